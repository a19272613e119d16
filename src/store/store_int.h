/*
 * Inside the store: the driver interface each backend implements, the query ids, and the
 * helpers the log and projection code share. Nothing outside src/store/ includes this.
 *
 * The driver is deliberately small (run a numbered query with typed parameters, read rows,
 * transactions, run a migration script) so that a backend is a few hundred lines and all the
 * logic above it (the chain, the projections, the checks) is written once for every backend.
 */
#ifndef PW_STORE_STORE_INT_H
#define PW_STORE_STORE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

enum pw__query {
#define PW_QUERY(name, sql)                 PW_Q_##name,
#define PW_QUERY2(name, sqlite_sql, pg_sql) PW_Q_##name,
#include "store/queries.def"
#undef PW_QUERY
#undef PW_QUERY2
    PW_Q__COUNT
};

enum pw__param_type {
    PW_P_NULL,
    PW_P_INT,
    PW_P_REAL,
    PW_P_TEXT,
};

/* A query parameter. Text is borrowed; NULL text binds SQL NULL. */
struct pw__param {
    enum pw__param_type type;
    int64_t i;
    double r;
    const char *s;
};

struct pw__row; /* a backend's current row; valid only inside the row callback */

typedef enum pw_status (*pw__row_fn)(void *ctx, const struct pw__row *row, struct pw_error *err);

struct pw__db;

struct pw__driver {
    const char *name;
    /* Starts a transaction; write transactions take the write lock at once. */
    enum pw_status (*begin)(struct pw__db *db, bool write, struct pw_error *err);
    enum pw_status (*commit)(struct pw__db *db, struct pw_error *err);
    /* Rolls back the open transaction, if any; never fails in a way the caller can mend. */
    void (*rollback)(struct pw__db *db);
    /* Runs query q with params; calls fn for each row (fn may be NULL). */
    enum pw_status (*query)(struct pw__db *db, enum pw__query q, const struct pw__param *params,
                            size_t n, pw__row_fn fn, void *ctx, struct pw_error *err);
    /* Runs a script of statements with no parameters (migrations). */
    enum pw_status (*exec)(struct pw__db *db, const char *sql, struct pw_error *err);
    /* The single integer a bootstrap query returns (migrations, before queries are ready). */
    enum pw_status (*scalar)(struct pw__db *db, const char *sql, int64_t *out,
                             struct pw_error *err);
    /* Prepares every query of queries.def once the schema is current. */
    enum pw_status (*prepare_all)(struct pw__db *db, struct pw_error *err);
    bool (*is_null)(const struct pw__row *row, int col);
    int64_t (*get_int)(const struct pw__row *row, int col);
    double (*get_real)(const struct pw__row *row, int col);
    /* Text of a column, "" for NULL; borrowed until the callback returns. */
    const char *(*get_text)(const struct pw__row *row, int col);
    void (*close)(struct pw__db *db);
};

struct pw_store {
    const struct pw__driver *drv;
    struct pw__db *db;
    int schema_version;
    bool needs_rebuild;   /* a migration added a projection: refill from the log on open */
    bool rebuilt_on_open; /* it was: the layers above derive their state again */
    /*
     * Open transactions: a read function called inside a write transaction (by a hook) joins
     * it instead of beginning its own; only the outermost begin, commit and rollback reach the
     * driver.
     */
    int tx_depth;
    struct pw_store_hook hook; /* what runs beside recording and rebuilding; zeroed: nothing */
    struct pw__chron_memo *chron_memo; /* chronology.c's reads in this transaction, or NULL */
};

/* The start of the key of an address nobody else's can match (project.c): then the fact id. */
#define PW__UNMATCHED_ADDRESS "only:"

/*
 * Forgets what chronologies have read (chronology.c): when the transaction ends and whenever
 * the facts or who they name change.
 */
void pw__chron_memo_forget(struct pw_store *s);

/* Opens a SQLite database at path (sqlite.c). */
enum pw_status pw__sqlite_open(const char *path, unsigned flags, struct pw__db **out,
                               const struct pw__driver **drv, struct pw_error *err);

/* Opens a PostgreSQL database at a postgresql:// URI (pg.c). */
enum pw_status pw__pg_open(const char *uri, unsigned flags, struct pw__db **out,
                           const struct pw__driver **drv, struct pw_error *err);

/* The text of query q for the named backend ("sqlite" or "postgresql"). */
const char *pw__query_sql(enum pw__query q, bool postgres);
/* The name of query q, for error details. */
const char *pw__query_name(enum pw__query q);

/* Brings the schema up to date (migrations.c). */
enum pw_status pw__migrate(struct pw_store *s, struct pw_error *err);
int pw__migrations_latest(void);

/* Parameter constructors. */
struct pw__param pw__p_text(const char *s);
struct pw__param pw__p_int(int64_t i);
struct pw__param pw__p_real(double r);
struct pw__param pw__p_null(void);

/* Shorthands over the driver. */
enum pw_status pw__q(struct pw_store *s, enum pw__query q, const struct pw__param *params, size_t n,
                     pw__row_fn fn, void *ctx, struct pw_error *err);
enum pw_status pw__begin(struct pw_store *s, bool write, struct pw_error *err);
enum pw_status pw__commit(struct pw_store *s, struct pw_error *err);
void pw__rollback(struct pw_store *s);
const char *pw__text(struct pw_store *s, const struct pw__row *row, int col);
int64_t pw__int(struct pw_store *s, const struct pw__row *row, int col);
double pw__real(struct pw_store *s, const struct pw__row *row, int col);
bool pw__null(struct pw_store *s, const struct pw__row *row, int col);

/* Row callback that sets *(bool *)ctx when any row comes back. */
enum pw_status pw__row_exists(void *ctx, const struct pw__row *row, struct pw_error *err);

/* True inside a transaction (a write function's precondition). */
bool pw__in_tx(const struct pw_store *s);

/* Projections (project.c): apply one recorded fact; clear all; dump all. */
enum pw_status pw__project_apply(struct pw_store *s, const struct pw_fact *f, int64_t seq,
                                 struct pw_error *err);
enum pw_status pw__project_clear(struct pw_store *s, struct pw_error *err);
/* Replays the whole log into (empty) projections, inside the caller's write transaction. */
enum pw_status pw__replay(struct pw_store *s, int64_t *replayed, struct pw_error *err);

/*
 * Households (household.c), shared with the chronology. A member is someone with a residence at
 * the same address as one of the person's, over the overlap of the two (since/until NULL: open);
 * the person's own residences are members too. Strings are owned (free with the household).
 */
struct pw__household_member {
    char *person;
    char *line1, *town, *postcode, *since, *until;
    bool unmatched; /* the address cannot be matched to anyone else's (PW__UNMATCHED_ADDRESS) */
};

struct pw__household {
    struct pw__household_member *members;
    size_t count, cap;
};

/*
 * Appends to out everyone who lived with person on day ("YYYY-MM-DD"), or over all time when
 * day is NULL, in the order of HOUSEHOLD_PAIRS. Runs in the caller's transaction. out starts
 * zeroed and is released with pw__household_release, also after a failure.
 */
enum pw_status pw__household_pairs(struct pw_store *s, const char *person, const char *day,
                                   struct pw__household *out, struct pw_error *err);
void pw__household_release(struct pw__household *h);

/* How a person is shown: their name (the birth name, then any known-as), dob, a sexual risk. */
struct pw__person_display {
    char name[600]; /* "" when no name is recorded */
    char dob[16];   /* "YYYY-MM-DD", "YYYY" or "" */
    bool sexual_risk;
};

/* Fills out for person (household.c), in the caller's transaction. */
enum pw_status pw__person_display(struct pw_store *s, const char *person,
                                  struct pw__person_display *out, struct pw_error *err);

/* The log (log.c). pw__log_head reads the head; with lock, for a writer, it also takes it. */
enum pw_status pw__log_head(struct pw_store *s, bool lock, struct pw_log_head *out,
                            struct pw_error *err);
enum pw_status pw__log_append(struct pw_store *s, const struct pw_fact *f, struct pw_log_head *head,
                              struct pw_error *err);
/* The chain hash of one entry (64 hex digits and a terminator into out). */
void pw__chain_hash(const char *prev_hash, int64_t seq, const char *recorded_at, const char *body,
                    size_t body_len, char *out);

/*
 * Walking a hash chain (the fact log, the access log) entry by entry for verification: where
 * it has got to and what broke it. Both logs verify with it, so they judge alike.
 */
struct pw__chain_walk {
    struct pw_store *s;
    struct pw_verify_result *out;
    char last_hash[65];
    int64_t expected_seq;
    size_t rows;
    bool broken;
};

/* Notes the first break: at entry seq, for reason (kept in out->reason). */
void pw__chain_broken(struct pw__chain_walk *w, int64_t seq, const char *reason);

/*
 * Checks one entry's place in the chain: its position follows the last, its previous hash is
 * the last hash, and computed (its hash worked out afresh) is hash. False, with the break
 * noted, when not.
 */
bool pw__chain_linked(struct pw__chain_walk *w, int64_t seq, const char *prev, const char *hash,
                      const char *computed);

/* Moves the walk past an entry found sound. */
void pw__chain_advance(struct pw__chain_walk *w, int64_t seq, const char *hash);

#endif
