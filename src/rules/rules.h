/*
 * The safeguarding rules (shared/design/rules.md): R01 to R25, each turning a finding of the
 * national reviews into something Pathway does. Attached to a store, they run inside the
 * transaction that records each fact: a `block` rule refuses the fact (PW_EBLOCKED, naming the
 * rule and what is missing; nothing is recorded), `act` and `consider` rules raise alerts that
 * the store keeps as a projection of the log, answered only by a fact that answers them.
 *
 * Alerts are derived, not edited: for each child a new fact may affect (the people it and its
 * concern or episode name, and everyone connected to them), every rule is evaluated over the
 * child's case and the difference written. Whether an alert is open, overdue or resolved is a
 * matter of the day asked about, so `--now` shows the picture on any day.
 */
#ifndef PW_RULES_RULES_H
#define PW_RULES_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "model/model.h"
#include "pathway/config.h"
#include "store/store.h"

/** One rule of the table, as the outside sees it. Static strings. */
struct pw_rule_info {
    const char *id;       /* "R01" */
    const char *name;     /* "known-risk-joins-household" */
    const char *strength; /* "block", "act", "consider" */
    const char *finding;  /* the finding it comes from, in a sentence */
    const char *source;   /* the source documents */
    const char *const *wakes;
};

size_t pw_rules_count(void);
/** The i-th rule in id order, or NULL past the end. */
const struct pw_rule_info *pw_rules_at(size_t i);
/** The rule with that id ("R07"), or NULL. */
const struct pw_rule_info *pw_rules_find(const char *id);

struct pw_rules;
struct pw_arena;

/** An engine under config (copied). New: free with pw_rules_free. */
struct pw_rules *pw_rules_new(const struct pw_config *config);
void pw_rules_free(struct pw_rules *r);

/** What the engine has done while recording facts since it was made (for the benchmarks). */
struct pw_rules_counts {
    size_t facts;   /* facts judged */
    size_t judged;  /* cases loaded and judged for them */
    size_t skipped; /* people reached but left alone: adults by then, holding no alert */
};

void pw_rules_counts(const struct pw_rules *r, struct pw_rules_counts *out);

/**
 * Attaches the rules to s: from now on recording through s evaluates them, a rebuild or a copy
 * derives every alert again. r must outlive s's use. The store's alerts carry the fingerprint
 * of the rules and configuration they were derived under; pw_rules_stale says whether it
 * differs from r's.
 */
void pw_rules_attach(struct pw_rules *r, struct pw_store *s);
/** Marks a new, empty store as derived under r (pathway init). */
PW_MUSTCHECK enum pw_status pw_rules_init_store(struct pw_rules *r, struct pw_store *s,
                                                struct pw_error *err);
PW_MUSTCHECK enum pw_status pw_rules_stale(struct pw_rules *r, struct pw_store *s, bool *stale,
                                           struct pw_error *err);

/** Where an alert stands on a day. */
enum pw_alert_status {
    PW_ALERT_PENDING,  /* its condition has not arisen yet on that day */
    PW_ALERT_OPEN,     /* raised, not answered, not past its due date */
    PW_ALERT_OVERDUE,  /* past its due date and not answered */
    PW_ALERT_RESOLVED, /* answered by a fact */
};

/** "pending", "open", "overdue", "resolved". */
const char *pw_alert_status_name(enum pw_alert_status s);
/** Parses a status name; false when unknown. */
bool pw_alert_status_parse(const char *name, enum pw_alert_status *out);

/** An alert as seen on a day. Borrowed strings. */
struct pw_alert_view {
    struct pw_alert_record record;
    const struct pw_rule_info *rule;
    enum pw_alert_status status;
    int overdue_by; /* working days past due (OVERDUE), else 0 */
    bool escalated; /* overdue long enough to go to the managers (escalation.after_overdue) */
};

typedef enum pw_status (*pw_alert_view_fn)(void *ctx, const struct pw_alert_view *a,
                                           struct pw_error *err);

/**
 * An alert as one JSON object (id, rule, name, strength, child, subject, status, due,
 * agencies, because, resolved_by, message, finding, raised_on, active_from, resolved_on,
 * overdue_by, escalated, escalate_to): the form `pathway alerts --json` prints and the API
 * sends. New reference.
 */
json_t *pw_alert_view_json(const struct pw_alert_view *a);

/** A record's because or escalate_to (JSON text) as an array; empty when absent. New reference. */
json_t *pw_alert_list_json(const char *text);

/**
 * The alerts about child (every child when NULL) as they stand on day now (a day number in
 * England), pending ones left out: overdue first (most overdue first), then open by due date
 * (none last), then resolved.
 */
PW_MUSTCHECK enum pw_status pw_rules_alerts(struct pw_rules *r, struct pw_store *s,
                                            const char *child, int32_t now, pw_alert_view_fn fn,
                                            void *ctx, struct pw_error *err);

/** One difference between the alerts stored and the alerts derived afresh. */
struct pw_recheck_diff {
    const char *what; /* "missing" (derived, not stored), "extra" (stored, not derived),
                         "changed" */
    const struct pw_alert_record *stored;  /* NULL when missing */
    const struct pw_alert_record *derived; /* NULL when extra */
    const char *field;                     /* the first field that differs ("changed") */
};

typedef enum pw_status (*pw_recheck_fn)(void *ctx, const struct pw_recheck_diff *d,
                                        struct pw_error *err);

/** What a recheck did. */
struct pw_recheck_result {
    size_t people;      /* people evaluated */
    size_t alerts;      /* alerts derived */
    size_t differences; /* differences found (and, with apply, mended) */
};

/**
 * Evaluates every rule for everyone the rules could concern, over the whole store, and
 * compares with the alerts stored: fn (may be NULL) gets each difference. With apply the
 * stored alerts are replaced by the derived ones and the fingerprint set, in one transaction.
 */
PW_MUSTCHECK enum pw_status pw_rules_recheck(struct pw_rules *r, struct pw_store *s, bool apply,
                                             pw_recheck_fn fn, void *ctx,
                                             struct pw_recheck_result *out, struct pw_error *err);

/** One sign or indicator in a child's picture of concern. Borrowed strings. */
struct pw_picture_sign {
    const char *fact;        /* the fact that recorded it */
    const char *agency;      /* who saw it */
    const char *sensitivity; /* the fact's marking ("standard" when none): who may see it */
    const char *concern;     /* the concern it was part of, or NULL */
    int32_t day;             /* when it was observed */
    const struct pw_indicator *indicator;
    enum pw_strength strength; /* for the child's age then */
    int age;                   /* -1 when unknown */
    bool restricted; /* the reader may know only that it exists (pw_access_picture_view) */
};

/** The picture of concern of a child on a day (rule R03's reckoning). */
struct pw_picture {
    struct pw_picture_sign *signs; /* every sign on record, in date order */
    size_t nsigns;
    int32_t now;
    int32_t window_from; /* signs from this day count */
    int score;           /* the weighted score of the signs in the window */
    int threshold;
    size_t agencies; /* distinct agencies in the window */
    struct pw_arena *arena;
};

/**
 * Fills out with child's picture as of now. Release with pw_picture_release (also after a
 * failure). An unknown child is PW_ENOTFOUND.
 */
PW_MUSTCHECK enum pw_status pw_rules_picture(struct pw_rules *r, struct pw_store *s,
                                             const char *child, int32_t now, struct pw_picture *out,
                                             struct pw_error *err);
void pw_picture_release(struct pw_picture *p);

/**
 * The picture as one JSON object (child, as_of, window_from, score, threshold, agencies,
 * signs): a restricted sign gives only when, which agency, its fact and whom to ask. New
 * reference.
 */
json_t *pw_picture_json(const char *child, const struct pw_picture *p);

#endif
