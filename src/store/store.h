/*
 * The store: Pathway's one way to keep and read facts. Behind this interface sit the fact log
 * (append-only, hash-chained: each entry's hash covers the previous hash, its position, when it
 * was recorded and the fact's canonical text) and the projections derived from it (people,
 * names, identifiers, relationships, residences and the households they make, risks of sexual
 * harm). Projections are written in the same transaction as the fact and can be rebuilt from
 * the log alone.
 *
 * The backend is chosen by the target: a file path means SQLite (embedded, one file), a
 * postgresql:// (or postgres://) URI means PostgreSQL (many users, replicas). All SQL lives in
 * this module. A store handle is used by one thread at a time; open one per thread.
 */
#ifndef PW_STORE_STORE_H
#define PW_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "model/model.h"

struct pw_store;

enum pw_store_open_flags {
    PW_STORE_CREATE = 1 << 0, /* create the database when it does not exist */
    PW_STORE_NEW = 1 << 1,    /* refuse when it already exists (pathway init) */
};

/**
 * Opens the store at target and brings its schema up to date (migrations run in their own
 * transactions). Without PW_STORE_CREATE a missing store is PW_ENOTFOUND. For PostgreSQL the
 * database must exist; "create" makes the Pathway schema in it. New: *out is closed with
 * pw_store_close. On failure *out is untouched.
 */
PW_MUSTCHECK enum pw_status pw_store_open(const char *target, unsigned flags, struct pw_store **out,
                                          struct pw_error *err);
/** True when target names a PostgreSQL database rather than a SQLite file. */
bool pw_store_is_postgres(const char *target);
/**
 * True when opening refilled the projections from the log (a migration added one): the
 * alerts were cleared with them, and whoever attaches the rules derives them again.
 */
bool pw_store_rebuilt_on_open(const struct pw_store *s);
/** Closes the store. NULL is a no-op. */
void pw_store_close(struct pw_store *s);
/** "sqlite" (later "postgresql"). Borrowed, static. */
const char *pw_store_backend(const struct pw_store *s);
/** The schema version the store is at. */
int pw_store_schema_version(const struct pw_store *s);
/** The newest schema version this build knows. */
int pw_store_schema_latest(void);

/** What pw_store_record did. */
struct pw_record_outcome {
    size_t recorded;  /* facts appended to the log */
    size_t unchanged; /* facts whose id was already recorded with the same body */
    size_t failed;    /* on failure, the index of the fact refused; SIZE_MAX if none */
    int64_t last_seq; /* the log position of the last fact appended, 0 if none */
    /*
     * The commit itself failed (a connection lost as it was sent, say): the facts may or may
     * not be recorded. Recording the same facts again is safe and settles it: those already
     * recorded are skipped.
     */
    bool outcome_unknown;
};

/**
 * Records facts[0..n) in one transaction: all or none. First every fact is checked against
 * the store and the batch (an id already recorded with another body is PW_ECONFLICT; a person,
 * concern or episode it names must be defined in the store or anywhere in the batch; a fact it
 * supersedes must exist, be of the same type and not already superseded; a person may be
 * registered once), then each is appended to the log and applied to the projections. A fact
 * whose id is already recorded with an identical body is a no-op (a retry). On failure nothing
 * is written and out->failed names the fact. Borrows facts.
 */
PW_MUSTCHECK enum pw_status pw_store_record(struct pw_store *s, const struct pw_fact *facts,
                                            size_t n, struct pw_record_outcome *out,
                                            struct pw_error *err);

/** One entry of the log as stored. Every pointer is borrowed for the callback's duration. */
struct pw_log_entry {
    int64_t seq;
    const char *id;
    const char *type;
    const char *at;
    const char *agency;
    const char *by;
    const char *recorded_at;
    const char *body; /* canonical JSON text */
    const char *prev_hash;
    const char *hash;
};

/** Which log entries pw_store_facts lists; NULL or 0 fields do not filter. */
struct pw_fact_filter {
    const char *person; /* facts that name or define this person */
    const char *type;   /* facts of this type */
};

typedef enum pw_status (*pw_log_entry_fn)(void *ctx, const struct pw_log_entry *e,
                                          struct pw_error *err);

/** Calls fn for each matching entry in log order. A non-PW_OK from fn stops and is returned. */
PW_MUSTCHECK enum pw_status pw_store_facts(struct pw_store *s, const struct pw_fact_filter *filter,
                                           pw_log_entry_fn fn, void *ctx, struct pw_error *err);

/** The head of the log: how many entries and the last hash (64 zeros when empty). */
struct pw_log_head {
    int64_t seq;
    char hash[65];
};

PW_MUSTCHECK enum pw_status pw_store_head(struct pw_store *s, struct pw_log_head *out,
                                          struct pw_error *err);

/** The result of verifying the chain. */
struct pw_verify_result {
    int64_t count;      /* entries checked and found intact */
    int64_t broken_seq; /* the first position that does not verify; 0 when intact */
    char reason[160];   /* what was wrong there, "" when intact */
};

/**
 * Recomputes the hash chain from the first entry: positions must run 1, 2, 3... without a gap,
 * each entry's prev_hash must be the hash before it, its hash must match what it covers, and
 * the recorded head must match the last entry (so a removed tail is found). When anchor_seq is
 * not 0 the entry at that position must have the hash anchor_hash (an anchor kept elsewhere
 * catches a rewrite of the whole chain). Returns PW_OK with out filled whether or not the
 * chain is intact; an error only when the store cannot be read.
 */
PW_MUSTCHECK enum pw_status pw_store_verify(struct pw_store *s, int64_t anchor_seq,
                                            const char *anchor_hash, struct pw_verify_result *out,
                                            struct pw_error *err);

/** Drops every projection and replays the log into them, in one transaction. */
PW_MUSTCHECK enum pw_status pw_store_rebuild(struct pw_store *s, int64_t *replayed,
                                             struct pw_error *err);

/** What pw_store_copy did. */
struct pw_copy_result {
    int64_t copied;   /* log entries copied */
    int64_t verified; /* entries of the copy that verified */
    struct pw_log_head head;
};

/**
 * Copies the whole store into a new store at target `to` (SQLite to PostgreSQL and back).
 * The source is verified first: a broken chain is PW_EINTEGRITY, and then nothing is copied
 * and no target is created. The target must be new (as pathway init: PW_ECONFLICT when it
 * exists or holds a store). The log is copied exactly as stored, positions, times and hashes
 * included, in one transaction with the rebuilt projections; then the copy is verified
 * against the source's head. Borrows from.
 */
PW_MUSTCHECK enum pw_status pw_store_copy(struct pw_store *from, const char *to,
                                          struct pw_copy_result *out, struct pw_error *err);

/** Calls fn(ctx, line) for every row of every projection, in a fixed order (for comparison). */
PW_MUSTCHECK enum pw_status pw_store_dump(struct pw_store *s,
                                          void (*fn)(void *ctx, const char *line), void *ctx,
                                          struct pw_error *err);

/** Someone who lived at the same address as the person asked about. Borrowed strings. */
struct pw_housemate {
    const char *person;
    const char *name;  /* the birth name (else the first recorded), then any known-as name */
    const char *dob;   /* "YYYY-MM-DD", "YYYY" or NULL */
    const char *line1; /* the shared address */
    const char *town;
    const char *postcode;
    const char *since; /* when they were both there: the overlap of the two residences */
    const char *until; /* NULL: open */
    bool is_self;      /* the person asked about */
    bool sexual_risk;  /* a risk of sexual harm is recorded about them (any kind, any date) */
    /*
     * The address has neither a UPRN nor a postcode or town with its first line, so nobody
     * else's can be matched to it: whoever else lives there is not listed.
     */
    bool unmatched;
};

typedef enum pw_status (*pw_housemate_fn)(void *ctx, const struct pw_housemate *h,
                                          struct pw_error *err);

/**
 * Who lived with person on day (a day number): everyone with a residence at the same address
 * covering that day, grouped by the person's own residences with the person first in each
 * group. A residence with no `since` counts from any time before
 * and one with no `until` is open: over-including someone in a household is safer than missing
 * them. With all true, day is ignored and every period of shared residence is listed. An
 * unknown person is PW_ENOTFOUND.
 */
PW_MUSTCHECK enum pw_status pw_store_household(struct pw_store *s, const char *person, int32_t day,
                                               bool all, pw_housemate_fn fn, void *ctx,
                                               struct pw_error *err);

/** A period the child and someone lived at one address: "YYYY-MM-DD" bounds, NULL when open. */
struct pw_chronology_period {
    const char *since;
    const char *until;
};

/** Someone connected to the child of a chronology, and how. Borrowed strings. */
struct pw_chronology_person {
    const char *person;
    const char *name; /* as in pw_housemate; "" when no name is recorded */
    const char *dob;  /* "YYYY-MM-DD", "YYYY" or NULL */
    /*
     * Every way they are connected, joined by "; ": "the child", a relationship kind seen from
     * the child ("parent", "half_sibling", or "the child is their babysitter" the other way),
     * "household member at 12 Mill Lane from 2025-05-10", "partner of the child's parent
     * p-kerry-h".
     */
    const char *how;
    bool sexual_risk; /* a risk of sexual harm is recorded about them */
    /* The periods they lived with the child (the "household member" ways), in the query's order. */
    const struct pw_chronology_period *lived_with;
    size_t lived_with_count;
    /*
     * Another record of the same person (record linkage or a practitioner linked them): the id
     * of the record they are the same person as (the child's id for the child's own other
     * records), which comes first. NULL for everyone else.
     */
    const char *same_as;
};

/** One fact of a chronology: the log entry and what the chronology adds. Borrowed strings. */
struct pw_chronology_fact {
    struct pw_log_entry entry;
    const char *sensitivity;     /* "standard", "police_intelligence", "health_confidential" */
    const char *supersedes;      /* the fact this one corrects, or NULL */
    const char *superseded_by;   /* the fact that corrects this one, or NULL */
    const char *const *concerns; /* the connected people it names, in the order they came */
    size_t concern_count;
};

/** What a chronology reports: exactly one of the two is set. */
struct pw_chronology_item {
    const struct pw_chronology_person *person;
    const struct pw_chronology_fact *fact;
};

typedef enum pw_status (*pw_chronology_fn)(void *ctx, const struct pw_chronology_item *item,
                                           struct pw_error *err);

/**
 * The multi-agency chronology of child. First fn gets each person connected to the child (the
 * child first; then everyone with a relationship to or from the child, in log order; everyone
 * who ever lived with the child, as pw_store_household finds them; anyone recorded as the
 * parent_partner of one of the child's parents, either way round; everyone named with the
 * child in a concern: the alleged, other children; anyone to be released from custody to an
 * address where the child lives; everyone named with the child in a court application), each
 * once with every way they are connected. Then fn gets every fact that names any of them, each
 * once, in the order things happened (the `at` of each fact, then its log position), with the
 * connected people it names. A fact corrected by another is listed with superseded_by set; the
 * correction with supersedes set (both stay: the latest word and what it changed). Read in one
 * transaction. An unknown child is PW_ENOTFOUND; a non-PW_OK from fn stops and is returned.
 */
PW_MUSTCHECK enum pw_status pw_store_chronology(struct pw_store *s, const char *child,
                                                pw_chronology_fn fn, void *ctx,
                                                struct pw_error *err);
/**
 * As pw_store_chronology, for a reader that takes what it needs about people from the facts
 * (the rules): each person carries only person, how and lived_with (name "", dob NULL,
 * sexual_risk false), which saves two queries a person.
 */
PW_MUSTCHECK enum pw_status pw_store_chronology_plain(struct pw_store *s, const char *child,
                                                      pw_chronology_fn fn, void *ctx,
                                                      struct pw_error *err);

/**
 * The facts of an episode, for the pathway to derive its stage and deadlines from: every fact
 * naming the episode; the concerns that led to it (those named by the referral decision that
 * opened it) and every fact naming them; and the assessments, plans and closures recorded about
 * any of its children (those of its concerns, strategy discussions and enquiries) from its
 * first fact on, since those facts name the child rather than the episode. Each fact once, in
 * the order things happened (`at`, then log position). A corrected fact is left out and its
 * correction kept: the latest word counts. Read in one transaction. An unknown episode is
 * PW_ENOTFOUND; a non-PW_OK from fn stops and is returned.
 */
PW_MUSTCHECK enum pw_status pw_store_episode_facts(struct pw_store *s, const char *episode,
                                                   pw_log_entry_fn fn, void *ctx,
                                                   struct pw_error *err);

/** The log position of the fact with that id; *found false when there is none. */
PW_MUSTCHECK enum pw_status pw_store_fact_seq(struct pw_store *s, const char *id, int64_t *seq,
                                              bool *found, struct pw_error *err);

/** True when person is registered. */
PW_MUSTCHECK enum pw_status pw_store_person_exists(struct pw_store *s, const char *person,
                                                   bool *exists, struct pw_error *err);

/** A person's date of birth as their registration records it. */
struct pw_person_dob {
    char dob[PW_DATE_TEXT_MAX]; /* "YYYY-MM-DD", or "" */
    int year;                   /* when only a year is recorded; else 0 */
};

/** person's date of birth; both fields empty when none is recorded or they are not known. */
PW_MUSTCHECK enum pw_status pw_store_person_dob(struct pw_store *s, const char *person,
                                                struct pw_person_dob *out, struct pw_error *err);

/* ---- Beside recording: hooks, transactions, derived state of the layers above ---- */

/*
 * What runs inside the store's own write transactions, for a layer above the store (the
 * rules) whose derived tables must move with the log: in the same transaction, so a fact and
 * what it causes are recorded together or not at all, and a hook's refusal refuses the batch.
 * Any field may be NULL.
 */
struct pw_store_hook {
    /* Before a new fact (not a retry) is appended: the store as it was without it. */
    enum pw_status (*before)(void *ctx, struct pw_store *s, const struct pw_fact *f,
                             struct pw_error *err);
    /* After the fact is appended at seq and projected. A non-PW_OK refuses the whole batch. */
    enum pw_status (*after)(void *ctx, struct pw_store *s, const struct pw_fact *f, int64_t seq,
                            struct pw_error *err);
    /* After a rebuild (or a copy) has refilled every projection from the log. */
    enum pw_status (*rebuilt)(void *ctx, struct pw_store *s, struct pw_error *err);
    void *ctx;
};

/** Sets (copies) the hook; NULL clears it. A copy's target gets the source's hook. */
void pw_store_set_hook(struct pw_store *s, const struct pw_store_hook *hook);
/** The hook in effect (zeroed when none). Borrowed. */
const struct pw_store_hook *pw_store_hook(const struct pw_store *s);

typedef enum pw_status (*pw_store_tx_fn)(void *ctx, struct pw_store *s, struct pw_error *err);

/**
 * Runs fn inside one write transaction that holds the log's head (recording waits), and
 * commits when fn returns PW_OK; otherwise rolls back and returns fn's status. Read functions
 * called by fn join the transaction.
 */
PW_MUSTCHECK enum pw_status pw_store_transact(struct pw_store *s, pw_store_tx_fn fn, void *ctx,
                                              struct pw_error *err);
/** Runs fn inside one read transaction (one consistent view), then rolls it back. */
PW_MUSTCHECK enum pw_status pw_store_read(struct pw_store *s, pw_store_tx_fn fn, void *ctx,
                                          struct pw_error *err);

/**
 * A trial of pw_store_record: every check, hook (the rules) and projection runs exactly as
 * when recording, then fn (inside the same transaction) sees the store as it would be, then
 * everything is rolled back and nothing is kept. A refusal (a block, a conflict) is returned
 * as pw_store_record returns it, and fn is not called. out->recorded says how many facts would
 * be recorded. So a form can show what saving would raise before anyone saves it.
 */
PW_MUSTCHECK enum pw_status pw_store_record_trial(struct pw_store *s, const struct pw_fact *facts,
                                                  size_t n, struct pw_record_outcome *out,
                                                  pw_store_tx_fn fn, void *ctx,
                                                  struct pw_error *err);

/**
 * An alert as the store keeps it: a projection the rules derive from the log (rules.md, "what
 * an alert looks like outside"). Dates are "YYYY-MM-DD"; lists are as the rules write them
 * (agencies space-separated, because and escalate_to JSON arrays). Borrowed strings.
 */
struct pw_alert_record {
    const char *id;
    const char *rule;     /* "R01" */
    const char *strength; /* "act", "consider" */
    const char *child;
    const char *subject;     /* NULL when none */
    const char *raised_on;   /* the day the condition arose */
    const char *active_from; /* the day it shows from (a time limit passing); >= raised_on */
    const char *due;         /* NULL when none */
    const char *agencies;    /* "police csc" */
    const char *because;     /* ["fact-id", ...] */
    const char *resolved_by; /* NULL while unanswered */
    const char *resolved_on; /* the day of the answering fact, NULL while unanswered */
    const char *message;
    const char *escalate_to; /* ["user", ...]: managers allocated to the child */
};

typedef enum pw_status (*pw_alert_record_fn)(void *ctx, const struct pw_alert_record *a,
                                             struct pw_error *err);

/** The alerts kept about child (every child when NULL), by child then id. */
PW_MUSTCHECK enum pw_status pw_store_alerts(struct pw_store *s, const char *child,
                                            pw_alert_record_fn fn, void *ctx, struct pw_error *err);
/** Inserts or replaces the alert with a->id. Only inside a hook or pw_store_transact. */
PW_MUSTCHECK enum pw_status pw_store_alert_put(struct pw_store *s, const struct pw_alert_record *a,
                                               struct pw_error *err);
/** Removes the alert id (no longer derived). Only inside a hook or pw_store_transact. */
PW_MUSTCHECK enum pw_status pw_store_alert_delete(struct pw_store *s, const char *id,
                                                  struct pw_error *err);
/** Removes every alert. Only inside a hook or pw_store_transact. */
PW_MUSTCHECK enum pw_status pw_store_alerts_clear(struct pw_store *s, struct pw_error *err);

/**
 * A small named value the layers above keep beside the log (the fingerprint of the rules the
 * alerts were derived under, the day of the last tick). Not part of the log: operational
 * state. get: *found false and out "" when unset.
 */
PW_MUSTCHECK enum pw_status pw_store_meta_get(struct pw_store *s, const char *key, char *out,
                                              size_t size, bool *found, struct pw_error *err);
/*
 * The meta key of the fingerprint of what derived the alerts (the rules and their
 * configuration). The store blanks it whenever it records facts or rebuilds with no hook to
 * keep the alerts in step, so alerts left behind read as stale until they are derived again.
 */
#define PW_STORE_ALERTS_FINGERPRINT "rules.fingerprint"

/** Only inside a hook or pw_store_transact. */
PW_MUSTCHECK enum pw_status pw_store_meta_set(struct pw_store *s, const char *key,
                                              const char *value, struct pw_error *err);

/* fn gets each person while the store is reading: it must not call the store itself. */
typedef enum pw_status (*pw_person_fn)(void *ctx, const char *person, struct pw_error *err);

/**
 * Everyone directly connected to person, each at most once, person not included: a
 * relationship either way; anyone who lived at one of person's addresses at a time that
 * overlaps theirs; the partners of their parents and the children of their partners; everyone
 * named with them in a concern (the alleged, the other children) or a court application; who
 * lives where they are to be released from custody to, or who is to be released to where they
 * live. The chronology's connections, seen from either side: who might be affected when
 * something about person changes.
 */
PW_MUSTCHECK enum pw_status pw_store_reach(struct pw_store *s, const char *person, pw_person_fn fn,
                                           void *ctx, struct pw_error *err);

/* ---- Record linkage: what src/link/ reads and keeps ---- */

/** A registered person as linkage reads them: borrowed strings, valid during the call. */
struct pw_link_person {
    const char *person;       /* their id */
    const char *agency;       /* the agency whose registration stands */
    const char *registration; /* the current person.registered body (JSON text) */
};
typedef enum pw_status (*pw_link_person_fn)(void *ctx, const struct pw_link_person *p,
                                            struct pw_error *err);

/** Every registered person, ordered by id, with their current registration. */
PW_MUSTCHECK enum pw_status pw_store_link_people(struct pw_store *s, pw_link_person_fn fn,
                                                 void *ctx, struct pw_error *err);

/** An address a person was recorded at (NULL parts unknown). */
struct pw_link_address {
    const char *person;
    const char *line1, *town, *postcode;
};
typedef enum pw_status (*pw_link_address_fn)(void *ctx, const struct pw_link_address *a,
                                             struct pw_error *err);

/** Every residence, by person, oldest first (so the last one seen is the latest). */
PW_MUSTCHECK enum pw_status pw_store_link_addresses(struct pw_store *s, pw_link_address_fn fn,
                                                    void *ctx, struct pw_error *err);

/** A decision standing about two records: person.linked (same) or person.distinct. */
struct pw_link_decision_row {
    const char *fact_id;
    const char *person, *other;
    bool same;
    const char *method; /* "record_linkage", "practitioner" or NULL */
    double confidence;  /* NAN when not recorded */
};
typedef enum pw_status (*pw_link_decision_fn)(void *ctx, const struct pw_link_decision_row *d,
                                              struct pw_error *err);

/**
 * The decisions standing, in the order they were recorded: for each pair only the latest (a
 * later decision about the same two records replaces an earlier one).
 */
PW_MUSTCHECK enum pw_status pw_store_link_decisions(struct pw_store *s, pw_link_decision_fn fn,
                                                    void *ctx, struct pw_error *err);

/**
 * Who person is, as one person: the least id among the records linked to them (directly or
 * through others), or person itself when linked to nobody. out holds PW_ID_MAX + 1 bytes.
 */
PW_MUSTCHECK enum pw_status pw_store_person_cluster(struct pw_store *s, const char *person,
                                                    char out[PW_ID_MAX + 1], struct pw_error *err);

/** True when any two records are linked as one person (most stores at first have none). */
PW_MUSTCHECK enum pw_status pw_store_any_links(struct pw_store *s, bool *any, struct pw_error *err);

/** The other records of the same person as person, by id (none when linked to nobody). */
PW_MUSTCHECK enum pw_status pw_store_person_mates(struct pw_store *s, const char *person,
                                                  pw_person_fn fn, void *ctx, struct pw_error *err);

/** A pair of records linkage was unsure of, for a person to decide. Borrowed strings. */
struct pw_link_review {
    const char *a, *b;
    double weight;      /* the match weight (log2 odds) */
    double probability; /* the match probability */
};
typedef enum pw_status (*pw_link_review_fn)(void *ctx, const struct pw_link_review *r,
                                            struct pw_error *err);

/** Replaces the review queue with pairs[0..n), in one transaction. */
PW_MUSTCHECK enum pw_status pw_store_link_review_set(struct pw_store *s,
                                                     const struct pw_link_review *pairs, size_t n,
                                                     struct pw_error *err);

/** The queue, most likely first, less the pairs decided since it was made. */
PW_MUSTCHECK enum pw_status pw_store_link_review(struct pw_store *s, pw_link_review_fn fn,
                                                 void *ctx, struct pw_error *err);

/* The ways one person reaches another (pw_store_reach_through), to ask for some only. */
enum pw_reach_way {
    PW_REACH_RELATIONS = 1u << 0,         /* a relationship, either way */
    PW_REACH_HOUSEMATES = 1u << 1,        /* lived at the same address at overlapping times */
    PW_REACH_PARTNERS_CHILDREN = 1u << 2, /* the children of their partners */
    PW_REACH_PARENTS_PARTNERS = 1u << 3,  /* the partners of their parents */
    PW_REACH_CONCERN_CO = 1u << 4,        /* named with them in a concern */
    PW_REACH_RELEASED_TO = 1u << 5,       /* lives where they are to be released to */
    PW_REACH_RELEASED_HERE = 1u << 6,     /* to be released to where they live */
    PW_REACH_COURT_CO = 1u << 7,          /* named with them in a court application */
    PW_REACH_LINKED = 1u << 8,            /* another record of the same person */
    PW_REACH_ALL = (1u << 9) - 1,
};

/** As pw_store_reach, through only the ways set in ways (enum pw_reach_way). */
PW_MUSTCHECK enum pw_status pw_store_reach_through(struct pw_store *s, const char *person,
                                                   unsigned ways, pw_person_fn fn, void *ctx,
                                                   struct pw_error *err);
/**
 * The people the fact at seq names, and those named by every fact that shares a concern or an
 * episode with it (followed as a chronology follows them), each once.
 */
PW_MUSTCHECK enum pw_status pw_store_fact_people(struct pw_store *s, int64_t seq, pw_person_fn fn,
                                                 void *ctx, struct pw_error *err);
/**
 * Everyone named by a fact other than those that only register, link, connect, house, school
 * or allocate people: who could have something the rules look at. Each once.
 */
PW_MUSTCHECK enum pw_status pw_store_case_people(struct pw_store *s, pw_person_fn fn, void *ctx,
                                                 struct pw_error *err);
/** The children of every stored alert, each once. */
PW_MUSTCHECK enum pw_status pw_store_alert_children(struct pw_store *s, pw_person_fn fn, void *ctx,
                                                    struct pw_error *err);
/** Every episode any fact names, each once, in id order (fn is given each id). */
PW_MUSTCHECK enum pw_status pw_store_episode_ids(struct pw_store *s, pw_person_fn fn, void *ctx,
                                                 struct pw_error *err);

/* ---- Access: users, the access log, break-glass grants (store/access.c) ---- */

/*
 * Instants here are text in the fixed-width form of pw_when_sort_key
 * ("2025-01-31T23:59:59.000000Z"), which sorts in time order on both backends.
 */

/** A user as the store keeps them. Borrowed strings, valid for the callback's duration. */
struct pw_user_row {
    const char *user;          /* the user id (the `by` of the facts they record) */
    const char *agency;        /* one of the agencies of facts.md */
    const char *role;          /* "practitioner", "manager", ... (access.h) */
    const char *name;          /* display name */
    const char *password_hash; /* the Argon2id string; NULL when no password is set */
    bool disabled;
    int failures;             /* failed sign-ins since the last success */
    const char *locked_until; /* an instant, or NULL when not locked */
    const char *created_at;
};

typedef enum pw_status (*pw_user_row_fn)(void *ctx, const struct pw_user_row *u,
                                         struct pw_error *err);

/**
 * Adds a user (disabled false, no failures); u->password_hash may be NULL. PW_ECONFLICT when
 * the id is taken. Joins an open transaction, else runs in its own.
 */
PW_MUSTCHECK enum pw_status pw_store_user_add(struct pw_store *s, const struct pw_user_row *u,
                                              struct pw_error *err);
/** Calls fn with the user id; *found false (fn not called) when there is none. */
PW_MUSTCHECK enum pw_status pw_store_user_get(struct pw_store *s, const char *user,
                                              pw_user_row_fn fn, void *ctx, bool *found,
                                              struct pw_error *err);
/** Every user, by id. */
PW_MUSTCHECK enum pw_status pw_store_users(struct pw_store *s, pw_user_row_fn fn, void *ctx,
                                           struct pw_error *err);
/** Sets the password hash and clears failures and lock-out. PW_ENOTFOUND for an unknown id. */
PW_MUSTCHECK enum pw_status pw_store_user_set_password(struct pw_store *s, const char *user,
                                                       const char *hash, struct pw_error *err);
/** Disables or enables the user. PW_ENOTFOUND for an unknown id. */
PW_MUSTCHECK enum pw_status pw_store_user_set_disabled(struct pw_store *s, const char *user,
                                                       bool disabled, struct pw_error *err);
/** Sets the failed sign-in count and the lock-out end (NULL: none). */
PW_MUSTCHECK enum pw_status pw_store_user_set_failures(struct pw_store *s, const char *user,
                                                       int failures, const char *locked_until,
                                                       struct pw_error *err);

/**
 * One entry of the access log. Strings borrowed. On append, seq, at, prev_hash and hash are
 * ignored (the store sets them); NULL strings are written as "" except child, which is NULL
 * when the entry is about no child's record.
 */
struct pw_access_entry {
    int64_t seq;
    const char *at; /* when it was written (an instant) */
    const char *user;
    const char *agency;
    const char *role;
    const char *action;      /* "read", "write", "sign_in", "break_glass", "user.add", ... */
    const char *record_kind; /* "child", "fact", "user", "break_glass", "access_log" */
    const char *record_id;
    const char *child;   /* the child whose record it touched, or NULL */
    const char *outcome; /* "allowed", "denied", "failed", "locked", "done" */
    const char *basis;   /* "allocated", "agency_involvement", "break_glass", "none", ... */
    const char *reason;  /* why: the relationship, the break-glass reason, the refusal */
    const char *grant;   /* the break-glass grant relied on, or NULL */
    const char *body;    /* the canonical JSON the hash covers (read only) */
    const char *prev_hash;
    const char *hash;
};

typedef enum pw_status (*pw_access_entry_fn)(void *ctx, const struct pw_access_entry *e,
                                             struct pw_error *err);

/**
 * Appends e to the access log. Its hash is SHA-256(prev_hash "\n" seq "\n" body) in hex,
 * where body is the canonical JSON of the entry (at, user, agency, role, action, record,
 * child, outcome, basis, reason, grant). Joins the caller's open write transaction (inside a
 * hook or pw_store_transact the entry commits or rolls back with what it records), else runs
 * in a transaction of its own. now_us is the time written. *seq (may be NULL) gets the
 * position. A reason longer than 2000 bytes is PW_EINVAL.
 */
PW_MUSTCHECK enum pw_status pw_store_access_append(struct pw_store *s,
                                                   const struct pw_access_entry *e, int64_t now_us,
                                                   int64_t *seq, struct pw_error *err);
/**
 * An access log entry made ready to append (pw_store_access_ready): its time and canonical
 * body fixed and checked, and owned copies of the columns beside the body, so it can wait for
 * a group commit after the caller's strings are gone. seq is its position once appended.
 */
struct pw_access_ready {
    char at[PW_WHEN_TEXT_MAX];
    char *user;
    char *action;
    char *child; /* NULL when about no child's record */
    char *body;  /* the canonical JSON the hash will cover */
    int64_t seq; /* 0 until appended */
};

/**
 * Makes e ready to append at now_us: checks it (a reason longer than 2000 bytes, or text that
 * is not UTF-8, is PW_EINVAL) and computes its body. Touches no store. Release out also after a
 * failure.
 */
PW_MUSTCHECK enum pw_status pw_store_access_ready(const struct pw_access_entry *e, int64_t now_us,
                                                  struct pw_access_ready *out,
                                                  struct pw_error *err);
void pw_store_access_ready_release(struct pw_access_ready *r);
/**
 * Appends v[0..n) in that order, each chained to the one before, with the head taken once and
 * moved once: the group commit of the access log. Joins the caller's open write transaction,
 * else runs in one of its own and commits once (one fsync for them all). before_commit (may be
 * NULL) runs inside the transaction after the entries are written: an error from it, as from
 * anything else, rolls back every one of them. Sets each v[i].seq on success, 0 on failure.
 */
PW_MUSTCHECK enum pw_status pw_store_access_append_ready(struct pw_store *s,
                                                         struct pw_access_ready *v, size_t n,
                                                         pw_store_tx_fn before_commit, void *ctx,
                                                         struct pw_error *err);
/** The access log in order; only the entries about child when child is not NULL. */
PW_MUSTCHECK enum pw_status pw_store_access_entries(struct pw_store *s, const char *child,
                                                    pw_access_entry_fn fn, void *ctx,
                                                    struct pw_error *err);
/** The head of the access log: its count and last hash (64 zeros when empty). */
PW_MUSTCHECK enum pw_status pw_store_access_head(struct pw_store *s, struct pw_log_head *out,
                                                 struct pw_error *err);
/**
 * Recomputes the access log's chain as pw_store_verify does the fact log's: positions without
 * a gap, each prev_hash the hash before it, each hash what it covers, the columns beside the
 * body agreeing with it, the head matching the last entry. PW_OK with out filled either way.
 */
PW_MUSTCHECK enum pw_status pw_store_access_verify(struct pw_store *s, struct pw_verify_result *out,
                                                   struct pw_error *err);

/** A break-glass grant. Borrowed strings. */
struct pw_grant_row {
    const char *id;
    const char *user;
    const char *agency;
    const char *child;
    const char *reason;
    const char *granted_at; /* instants */
    const char *expires_at;
    const char *reviewed_by; /* NULL until reviewed */
    const char *reviewed_at;
    const char *review_outcome; /* "justified", "not_justified" */
    const char *review_note;
};

typedef enum pw_status (*pw_grant_row_fn)(void *ctx, const struct pw_grant_row *g,
                                          struct pw_error *err);

/** Adds a grant (review fields ignored). Joins an open transaction. */
PW_MUSTCHECK enum pw_status pw_store_grant_add(struct pw_store *s, const struct pw_grant_row *g,
                                               struct pw_error *err);
/** Calls fn with grant id; *found false when there is none. */
PW_MUSTCHECK enum pw_status pw_store_grant_get(struct pw_store *s, const char *id,
                                               pw_grant_row_fn fn, void *ctx, bool *found,
                                               struct pw_error *err);

/** Which grants pw_store_grants lists. */
enum pw_grant_filter {
    PW_GRANTS_ALL,
    PW_GRANTS_UNREVIEWED,
    PW_GRANTS_OF_CHILD, /* every grant (any user, any time) about one child */
};

/** The grants, oldest first. child is used only with PW_GRANTS_OF_CHILD. */
PW_MUSTCHECK enum pw_status pw_store_grants(struct pw_store *s, enum pw_grant_filter which,
                                            const char *child, pw_grant_row_fn fn, void *ctx,
                                            struct pw_error *err);
/**
 * Records the review of grant id. PW_ENOTFOUND when there is no such grant, PW_ECONFLICT when
 * it was already reviewed (a review is final; a second opinion is a note in the log).
 */
PW_MUSTCHECK enum pw_status pw_store_grant_review(struct pw_store *s, const char *id,
                                                  const char *reviewer, const char *reviewed_at,
                                                  const char *outcome, const char *note,
                                                  struct pw_error *err);

/** A fact bearing on access to a child's record. Borrowed strings. */
struct pw_access_fact {
    int64_t seq;
    const char *id;
    const char *type;
    const char *at;
    const char *agency;
    const char *by;
    const char *sensitivity;
    const char *body; /* canonical JSON */
};

typedef enum pw_status (*pw_access_fact_fn)(void *ctx, const struct pw_access_fact *f,
                                            struct pw_error *err);

/**
 * The facts that decide who has a legitimate relationship with child's record: every fact
 * naming the child, every fact naming a concern or episode those facts name, and every fact
 * naming an episode a referral decision on one of those concerns opened. Corrected facts are
 * left out. In the order things happened (`at`, then log position). Reads in the caller's
 * transaction when there is one. An unknown child gives no facts (not an error).
 */
PW_MUSTCHECK enum pw_status pw_store_access_facts(struct pw_store *s, const char *child,
                                                  pw_access_fact_fn fn, void *ctx,
                                                  struct pw_error *err);

#endif
