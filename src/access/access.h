/*
 * Access: who may see what, and the record of every look (docs/access.md). Users belong to an
 * agency and hold one role; passwords are Argon2id (libsodium); sign-in answers the same way,
 * in about the same time, for an unknown user, a disabled one, a locked one and a wrong
 * password. The access policy is one pure function, default deny, of (user, action, the
 * child's record state, now): every interface (CLI, JSON API, web pages) asks it, and every
 * decision about a child's record, allowed or refused, goes on the hash-chained access log.
 *
 * The record state is what the facts say about who has a legitimate relationship with a child
 * (allocations, agencies with an open involvement, concerns in triage) plus the break-glass
 * grants about the child; pw_access_state_load reads it, pw_access_decide judges it.
 *
 * Thread-safety: as the store (one store handle per thread). The policy functions are pure.
 */
#ifndef PW_ACCESS_ACCESS_H
#define PW_ACCESS_ACCESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/strmap.h"
#include "model/model.h"
#include "rules/rules.h"
#include "store/store.h"

/* ---- Roles and users ---- */

enum pw_role {
    PW_ROLE_PRACTITIONER,  /* reads a child's record with a legitimate relationship */
    PW_ROLE_MANAGER,       /* as a practitioner (a team manager is allocated as such) */
    PW_ROLE_FRONT_DOOR,    /* triage: reads a child's record while a concern awaits decision */
    PW_ROLE_DATA_LEAD,     /* the access log and break-glass reviews; no case records */
    PW_ROLE_AUDITOR,       /* pseudonymised records only */
    PW_ROLE_ADMINISTRATOR, /* manages users; reads no case records */
    PW_ROLE__COUNT
};

/** "practitioner", "manager", "front_door", "data_lead", "auditor", "administrator". Static. */
const char *pw_role_name(enum pw_role r);
/** Parses a role name; false when unknown. */
bool pw_role_parse(const char *name, enum pw_role *out);

/** A user as the access layer sees them. */
struct pw_user {
    char id[PW_ID_MAX + 1];
    char agency[16];
    enum pw_role role;
    char name[200];
    bool disabled;
    bool has_password;
    int failures;            /* failed sign-ins in a row */
    int64_t locked_until_us; /* 0: not locked */
};

/* Password limits (ASVS 6.2.1, 6.2.9): counted in characters (UTF-8 code points). */
#define PW_PASSWORD_MIN 12
#define PW_PASSWORD_MAX 128

/* Display names: 1 to this many bytes of UTF-8 without control characters. */
#define PW_USER_NAME_MAX 199

/*
 * How costly password hashing is. INTERACTIVE is libsodium's interactive Argon2id limits
 * (2 passes over 64 MiB): three times the memory of OWASP's minimum (19 MiB, 2 passes), about
 * 0.1 s a sign-in, and a server can afford it for many sign-ins at once; MODERATE (256 MiB)
 * would let a few dozen parallel sign-ins exhaust memory. MIN is for tests only: never use it
 * for a real password.
 */
enum pw_hash_cost {
    PW_HASH_INTERACTIVE = 0,
    PW_HASH_TEST_MIN = 1,
};

/** Options the access functions take. Zeroed is production: the real clock, full cost. */
struct pw_access_opts {
    int64_t now_us;              /* 0: pw_time_now_us() */
    enum pw_hash_cost hash_cost; /* what new hashes cost (and the unknown-user dummy) */
};

/**
 * Hashes password[0..len) with Argon2id into out (crypto_pwhash_STRBYTES bytes, a PHC string
 * with its own parameters and salt). The password's length must be within the limits:
 * PW_EINVAL says what is wrong, without echoing it.
 */
PW_MUSTCHECK enum pw_status pw_access_hash_password(const char *password, size_t len,
                                                    enum pw_hash_cost cost, char *out, size_t size,
                                                    struct pw_error *err);
/** True when password[0..len) matches the stored hash. Constant in the password. */
bool pw_access_verify_password(const char *hash, const char *password, size_t len);

/**
 * Adds a user: id a valid id, agency one of facts.md's, name 1..PW_USER_NAME_MAX bytes of
 * UTF-8 without control characters; password may be NULL (the user cannot sign in until one
 * is set). The change is on the access log as done by actor (NULL: "system", the CLI run by an
 * operator), in the same transaction. PW_EINVAL names the bad field; PW_ECONFLICT when the id
 * is taken.
 */
PW_MUSTCHECK enum pw_status pw_access_user_add(struct pw_store *s, const struct pw_access_opts *o,
                                               const char *actor, const char *id,
                                               const char *agency, enum pw_role role,
                                               const char *name, const char *password,
                                               size_t password_len, struct pw_error *err);
/** Disables a user: they can no longer sign in or be acted as. Logged as above. */
PW_MUSTCHECK enum pw_status pw_access_user_disable(struct pw_store *s,
                                                   const struct pw_access_opts *o,
                                                   const char *actor, const char *id,
                                                   struct pw_error *err);
/** Sets a user's password (and clears a lock-out). Logged as above; the password never is. */
PW_MUSTCHECK enum pw_status
pw_access_user_password(struct pw_store *s, const struct pw_access_opts *o, const char *actor,
                        const char *id, const char *password, size_t len, struct pw_error *err);
/** Fills out with user id. PW_ENOTFOUND when there is none. */
PW_MUSTCHECK enum pw_status pw_access_user_get(struct pw_store *s, const char *id,
                                               struct pw_user *out, struct pw_error *err);

typedef enum pw_status (*pw_user_fn)(void *ctx, const struct pw_user *u, struct pw_error *err);
/** Every user, by id. */
PW_MUSTCHECK enum pw_status pw_access_users(struct pw_store *s, pw_user_fn fn, void *ctx,
                                            struct pw_error *err);

/* After this many failed sign-ins in a row an account is locked: 1 minute, doubling with each
 * further failure after a lock ends, at most PW_LOCK_MAX_S. Success resets the count. */
#define PW_LOCK_AFTER  5
#define PW_LOCK_BASE_S 60
#define PW_LOCK_MAX_S  3600

/**
 * Signs user in with password[0..len). On success fills out and returns PW_OK. Otherwise
 * PW_EAUTH with the one message "the user name or password is not right, or the account
 * cannot be used just now" whether the user is unknown (a dummy hash is verified, so the time
 * is about the same), disabled, locked, has no password, or the password is wrong. Failures
 * count towards the lock-out; every attempt is on the access log (an unknown user's name is
 * not written: it may be a password typed in the wrong box). Store errors pass through.
 */
PW_MUSTCHECK enum pw_status pw_access_sign_in(struct pw_store *s, const struct pw_access_opts *o,
                                              const char *user, const char *password, size_t len,
                                              struct pw_user *out, struct pw_error *err);

/* ---- The policy ---- */

enum pw_action {
    PW_ACTION_READ_RECORD,        /* see a child's record (chronology, picture, alerts...) */
    PW_ACTION_WRITE_FACT,         /* record a fact about a child whose record it is */
    PW_ACTION_RAISE_CONCERN,      /* record a new concern about any child */
    PW_ACTION_BREAK_GLASS,        /* ask for emergency access to a child's record */
    PW_ACTION_MANAGE_USERS,       /* add, disable, set passwords */
    PW_ACTION_READ_ACCESS_LOG,    /* the access log, `audit who` */
    PW_ACTION_REVIEW_BREAK_GLASS, /* list and review break-glass grants */
    PW_ACTION__COUNT
};

/** "read_record", "write_fact", ... Static. */
const char *pw_action_name(enum pw_action a);
bool pw_action_parse(const char *name, enum pw_action *out);

/** Why access was allowed (or that there was no ground). */
enum pw_basis {
    PW_BASIS_NONE,        /* no ground: refused */
    PW_BASIS_ALLOCATED,   /* a current allocation.changed names the user */
    PW_BASIS_INVOLVEMENT, /* the user's agency has an open involvement */
    PW_BASIS_FRONT_DOOR,  /* front door, a concern about the child awaiting decision */
    PW_BASIS_BREAK_GLASS, /* an unexpired break-glass grant */
    PW_BASIS_AUDIT,       /* an auditor: pseudonymised */
    PW_BASIS_ROLE,        /* the role itself grants the action (administrator, data lead) */
    PW_BASIS_DUTY,        /* anyone in a case-working role may raise a concern */
};

/** "none", "allocated", "agency_involvement", "front_door", "break_glass", "audit", "role",
 * "duty". Static. */
const char *pw_basis_name(enum pw_basis b);

/** How a record is shown when allowed. */
enum pw_view {
    PW_VIEW_FULL,          /* as recorded, sensitive facts subject to pw_access_fact_view */
    PW_VIEW_PSEUDONYMISED, /* auditors: people as stable pseudonyms, no names or free text */
};

/** A current allocation of someone to the child. */
struct pw_access_allocation {
    char user[PW_ID_MAX + 1];
    char agency[16];
    char role[32];
    char fact[PW_ID_MAX + 1];
};

/** An agency's open involvement with the child, and what makes it so. */
struct pw_access_involvement {
    char agency[16];
    char what[24];           /* "episode", "plan", "investigation", "support", "allocation" */
    char ref[PW_ID_MAX + 1]; /* the episode id, or the fact id */
};

/** A break-glass grant about the child (any user, expired or not). */
struct pw_access_grant {
    char id[40];
    char user[PW_ID_MAX + 1];
    int64_t granted_us;
    int64_t expires_us;
};

/** A sharing of a restricted fact with other agencies (information.shared). */
struct pw_access_share {
    char fact[PW_ID_MAX + 1]; /* the restricted fact */
    char agency[16];          /* who shared it: counts only when it is the fact's own */
    char with[9][16];         /* the agencies it was shared with */
    size_t nwith;
    char episode[PW_ID_MAX + 1]; /* the episode it was shared for */
};

/** What the facts and grants say about one child's record. Owned: pw_access_state_release. */
struct pw_access_state {
    char child[PW_ID_MAX + 1];
    bool known; /* the child is registered */
    struct pw_access_allocation *allocations;
    size_t nallocations;
    struct pw_access_involvement *involvements;
    size_t ninvolvements;
    char (*triage)[PW_ID_MAX + 1]; /* concerns about the child awaiting a referral decision */
    size_t ntriage;
    struct pw_access_grant *grants;
    size_t ngrants;
    struct pw_access_share *shares;
    size_t nshares;
};

/**
 * Reads child's record state as of now_us (which allocations are current, which episodes,
 * plans, investigations and support are open, which concerns await decision, the grants and
 * the sharings): docs/access.md says exactly what counts. Fills out (release it also after a
 * failure). An unknown child gives an empty state with known false: not an error, so callers
 * answer as for a child they have no relationship with and reveal nothing.
 */
PW_MUSTCHECK enum pw_status pw_access_state_load(struct pw_store *s, const char *child,
                                                 int64_t now_us, struct pw_access_state *out,
                                                 struct pw_error *err);
void pw_access_state_release(struct pw_access_state *st);

/** The policy's answer. */
struct pw_access_decision {
    bool allow;
    enum pw_basis basis;
    enum pw_view view;
    char grant[40];     /* the break-glass grant relied on, "" when none */
    char detail[200];   /* the relationship relied on ("allocated_worker (fact a-1)"), or "" */
    const char *reason; /* a denial's reason, safe to show (names nothing about the child);
                           NULL when allowed. Static. */
};

/**
 * The policy: default deny. state may be NULL for actions about no child's record (managing
 * users, the access log, break-glass reviews); for the others a NULL state is refused. A
 * disabled user is refused everything. Pure: the same inputs give the same answer.
 */
struct pw_access_decision pw_access_decide(const struct pw_user *u, enum pw_action a,
                                           const struct pw_access_state *state, int64_t now_us);

/**
 * Loads the state, decides, and writes the decision on the access log (allowed or refused):
 * the look is recorded before anything is shown, and if the entry cannot be written the
 * answer is a refusal (fail closed). record_kind/record_id name what was asked
 * for ("child", the child id, for a record read). PW_OK when allowed; PW_EFORBIDDEN with the
 * decision's reason when refused; *out filled either way.
 */
PW_MUSTCHECK enum pw_status
pw_access_authorize(struct pw_store *s, const struct pw_access_opts *o, const struct pw_user *u,
                    enum pw_action a, const char *child, const char *record_kind,
                    const char *record_id, struct pw_access_decision *out, struct pw_error *err);

/** How one fact is shown to a user allowed to read the record. */
enum pw_fact_view {
    PW_FACT_SHOWN,    /* in full */
    PW_FACT_REDACTED, /* that it exists, when, and whom to ask: pw_access_redact */
};

/**
 * A fact marked police_intelligence or health_confidential is shown only to its own agency and
 * to the agencies it shared it with (information.shared by the same agency); to everyone else,
 * and always to auditors, it is redacted. Standard facts are shown. Pure.
 */
enum pw_fact_view pw_access_fact_view(const struct pw_user *u, const struct pw_access_state *st,
                                      const char *fact_id, const char *agency,
                                      const char *sensitivity);

/**
 * Marks the signs of p that u may know only exist (pw_access_fact_view says redacted), so that
 * every interface shows them alike (pw_picture_json). The score is not changed: it is the
 * rules' reckoning, and that such signs exist is what u may know. Pure.
 */
void pw_access_picture_view(const struct pw_user *u, const struct pw_access_state *st,
                            struct pw_picture *p);

/**
 * The redacted form of a fact body: id, at, agency, by, sensitivity, "redacted": true and
 * "ask": whom to ask. New reference (json_decref it).
 */
json_t *pw_access_redact(const json_t *body);

/* ---- Break-glass ---- */

#define PW_BREAK_GLASS_REASON_MIN 20
#define PW_BREAK_GLASS_REASON_MAX 1000
#define PW_BREAK_GLASS_HOURS      4
#define PW_BREAK_GLASS_HOURS_MAX  24

/**
 * Grants u emergency access to child's record for hours (1..PW_BREAK_GLASS_HOURS_MAX; 0 means
 * PW_BREAK_GLASS_HOURS) with a written reason (PW_BREAK_GLASS_REASON_MIN.. _MAX characters).
 * Only case-working roles may (practitioner, manager, front door): others PW_EFORBIDDEN. The
 * grant and the access log entry carrying its reason are written in one transaction, and the
 * grant waits in the data lead's list until reviewed. An unknown child is PW_ENOTFOUND. id
 * (40 bytes) gets the grant's id.
 */
PW_MUSTCHECK enum pw_status pw_access_break_glass(struct pw_store *s,
                                                  const struct pw_access_opts *o,
                                                  const struct pw_user *u, const char *child,
                                                  const char *reason, int hours, char *id,
                                                  struct pw_error *err);
/**
 * The data lead's review of grant id: justified true or false, with a note (may be NULL).
 * Only a data lead (PW_EFORBIDDEN), never of their own grant; logged.
 */
PW_MUSTCHECK enum pw_status pw_access_break_glass_review(struct pw_store *s,
                                                         const struct pw_access_opts *o,
                                                         const struct pw_user *reviewer,
                                                         const char *id, bool justified,
                                                         const char *note, struct pw_error *err);

/* ---- The access log ---- */

/**
 * Appends one entry for u (NULL: "system") inside the caller's transaction when there is one
 * (a store hook recording a fact, pw_store_transact), so it commits or rolls back with the
 * write; else in its own.
 */
PW_MUSTCHECK enum pw_status pw_access_log(struct pw_store *s, const struct pw_access_opts *o,
                                          const struct pw_user *u, const char *action,
                                          const char *record_kind, const char *record_id,
                                          const char *child, const char *outcome, const char *basis,
                                          const char *reason, const char *grant,
                                          struct pw_error *err);

/**
 * Records facts[0..n) as u: each fact is authorised (a concern.raised by the duty to raise a
 * concern; any other fact naming a registered child needs write access to that child's
 * record; a fact about nobody's existing record, such as registering a new person, needs a
 * case-working role) and an access log entry for it is appended in the recording transaction,
 * so the fact and its entry commit together or not at all. Any store hook in place (the
 * rules) still runs. A refusal is PW_EFORBIDDEN naming the fact; nothing is recorded.
 */
PW_MUSTCHECK enum pw_status pw_access_record(struct pw_store *s, const struct pw_access_opts *o,
                                             const struct pw_user *u, const struct pw_fact *facts,
                                             size_t n, struct pw_record_outcome *out,
                                             struct pw_error *err);

/**
 * As pw_access_record, as a trial (pw_store_record_trial): the same checks of who may write
 * what, the same rules, then fn sees the store as it would be and nothing is kept. One access
 * log entry ("trial") says the user was shown what recording would raise.
 */
PW_MUSTCHECK enum pw_status
pw_access_record_trial(struct pw_store *s, const struct pw_access_opts *o, const struct pw_user *u,
                       const struct pw_fact *facts, size_t n, struct pw_record_outcome *out,
                       pw_store_tx_fn fn, void *ctx, struct pw_error *err);

/* ---- Group commit of the access log ---- */

/*
 * A logger shared by a server's threads: standalone entries (reads of a record, listings)
 * queue in it, and one waiting thread at a time, the committer, takes every entry queued so
 * far (oldest first, at most batch_max), appends them in order in one transaction on the
 * logger's own store handle, commits once, and wakes their threads with the outcome. Each
 * entry is committed before its append returns, exactly as with pw_access_log; a failed
 * commit fails every entry of that batch and none of them is on the log. There is no timer:
 * entries gather while a commit is in flight, so a lone entry is written at once.
 *
 * Only standalone entries belong here: an entry that must commit or roll back with a write
 * (pw_access_record, break-glass) goes through pw_access_log in that write's transaction. A
 * thread must not wait here while it holds a write transaction open on another handle (the
 * committer would wait for that transaction's lock).
 */
struct pw_access_logger;

struct pw_access_logger_opts {
    size_t batch_max; /* entries in one transaction at most; 0: PW_ACCESS_BATCH_MAX */
    /*
     * Tests only (fault injection): runs in each batch's transaction after its entries are
     * written and before the commit; an error fails the batch. NULL in service.
     */
    pw_store_tx_fn before_commit;
    void *ctx;
};

#define PW_ACCESS_BATCH_MAX 128

/** What a logger has done. */
struct pw_access_logger_stats {
    uint64_t batches; /* transactions committed or failed */
    uint64_t entries; /* entries those held */
    uint64_t failed;  /* entries failed by their batch */
    size_t largest;   /* the most entries one batch held */
    size_t queued;    /* waiting now for a committer */
};

/**
 * A logger writing through s, which it takes over (closed by pw_access_logger_free, also after
 * a failure here) and which nothing else may use. o may be NULL (the defaults).
 */
PW_MUSTCHECK enum pw_status pw_access_logger_new(struct pw_store *s,
                                                 const struct pw_access_logger_opts *o,
                                                 struct pw_access_logger **out,
                                                 struct pw_error *err);
/**
 * Refuses new entries (their appends fail: nothing is shown) and waits until every entry
 * already queued is committed or failed. Idempotent.
 */
void pw_access_logger_close(struct pw_access_logger *lg);
/** Closes (draining the queue) and frees lg and its store handle. NULL is a no-op. No append may
 * start once this is called. */
void pw_access_logger_free(struct pw_access_logger *lg);
void pw_access_logger_stats(struct pw_access_logger *lg, struct pw_access_logger_stats *out);

/**
 * Appends e, written at now_us, through the group commit; returns once it is committed (PW_OK,
 * *seq its position when seq is not NULL) or has failed (its batch's error). Thread-safe.
 */
PW_MUSTCHECK enum pw_status pw_access_logger_append(struct pw_access_logger *lg,
                                                    const struct pw_access_entry *e, int64_t now_us,
                                                    int64_t *seq, struct pw_error *err);
/** pw_access_log through the group commit. */
PW_MUSTCHECK enum pw_status pw_access_logger_log(struct pw_access_logger *lg,
                                                 const struct pw_access_opts *o,
                                                 const struct pw_user *u, const char *action,
                                                 const char *record_kind, const char *record_id,
                                                 const char *child, const char *outcome,
                                                 const char *basis, const char *reason,
                                                 const char *grant, struct pw_error *err);
/**
 * pw_access_authorize with its entry written through lg (NULL: on s, as pw_access_authorize);
 * s reads the record's state and must not be inside a transaction. Fail closed as there: if the
 * entry's batch fails, out->allow is false and the batch's error is returned.
 */
PW_MUSTCHECK enum pw_status pw_access_authorize_grouped(
    struct pw_store *s, struct pw_access_logger *lg, const struct pw_access_opts *o,
    const struct pw_user *u, enum pw_action a, const char *child, const char *record_kind,
    const char *record_id, struct pw_access_decision *out, struct pw_error *err);

/**
 * Every child an allocation.changed has named user for, put in out (value 1): those allocated
 * to them now and before. A superset for a list to start from; whether an allocation stands
 * today is the policy's to say (pw_access_state_load, pw_access_decide). Reads no record: not
 * logged.
 */
PW_MUSTCHECK enum pw_status pw_access_children_allocated(struct pw_store *s, const char *user,
                                                         struct pw_strmap *out,
                                                         struct pw_error *err);

/**
 * pw_access_authorize_grouped for a list of records (my work, a search): a record the caller may
 * not read is PW_OK with out->allow false and no entry (the list leaves it out; nothing was
 * shown); one they may read is logged as there. Errors only for the store or the log.
 */
PW_MUSTCHECK enum pw_status pw_access_authorize_listed(
    struct pw_store *s, struct pw_access_logger *lg, const struct pw_access_opts *o,
    const struct pw_user *u, enum pw_action a, const char *child, const char *record_kind,
    const char *record_id, struct pw_access_decision *out, struct pw_error *err);

/* ---- Pseudonyms (auditors) ---- */

/**
 * A stable pseudonym for a person id: "ps-" and 16 hex digits of HMAC-SHA-256 under the
 * store's pseudonym key (made at random on first use and kept in the store's operational
 * values). out holds at least 20 bytes. Making the key is a write: the first call must not be
 * inside a read transaction (call it once before one).
 */
PW_MUSTCHECK enum pw_status pw_access_pseudonym(struct pw_store *s, const char *person, char *out,
                                                size_t size, struct pw_error *err);
/**
 * The pseudonymised form of a fact body for an auditor: id, type, at, agency, and a summary
 * (pw_fact_summary: no free text) in which every person id is replaced by its pseudonym, the
 * date of birth cut to the year and addresses to the town. New reference, or NULL with err set.
 */
json_t *pw_access_pseudonymise(struct pw_store *s, const json_t *body, struct pw_error *err);

#endif
