/*
 * The schema, as numbered migrations (Fossil keeps its schema in one file; so do we). Each
 * migration runs in its own transaction and is recorded in schema_migrations, so a database
 * is always at a known version. Never edit a released migration: add the next one.
 *
 * Where SQLite and PostgreSQL differ, a migration carries both texts. Dates and instants are
 * stored as canonical ISO 8601 text, which sorts in time order on both backends.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

struct migration {
    int version;
    bool rebuild; /* adds or changes a projection: refill them all from the log afterwards */
    const char *name;
    const char *sqlite_sql;
    const char *pg_sql;
};

/* The fact log: append-only (triggers refuse UPDATE and DELETE) and hash-chained. */
#define FACT_LOG_COMMON                                        \
 "  id TEXT NOT NULL UNIQUE,\n"                                \
 "  type TEXT NOT NULL,\n"                                     \
 "  at TEXT NOT NULL,\n"                                       \
 "  at_key TEXT NOT NULL,\n"                                   \
 "  agency TEXT NOT NULL,\n"                                   \
 "  by_user TEXT NOT NULL,\n"                                  \
 "  supersedes TEXT,\n"                                        \
 "  sensitivity TEXT NOT NULL,\n"                              \
 "  recorded_at TEXT NOT NULL,\n"                              \
 "  body TEXT NOT NULL,\n"                                     \
 "  prev_hash TEXT NOT NULL,\n"                                \
 "  hash TEXT NOT NULL\n"                                      \
 ");\n"                                                        \
 "CREATE INDEX fact_log_type ON fact_log(type, seq);\n"        \
 "CREATE INDEX fact_log_supersedes ON fact_log(supersedes);\n" \
 "CREATE TABLE log_head (\n"                                   \
 "  id INTEGER PRIMARY KEY CHECK (id = 1),\n"                  \
 "  seq BIGINT NOT NULL,\n"                                    \
 "  hash TEXT NOT NULL\n"                                      \
 ");\n"                                                        \
 "INSERT INTO log_head (id, seq, hash) VALUES (1, 0, "         \
 "'0000000000000000000000000000000000000000000000000000000000000000');\n"

static const char m1_sqlite[] = "CREATE TABLE fact_log (\n"
                                "  seq INTEGER PRIMARY KEY,\n" FACT_LOG_COMMON
                                "CREATE TRIGGER fact_log_no_update BEFORE UPDATE ON fact_log\n"
                                "BEGIN SELECT RAISE(ABORT, 'the fact log is append-only'); END;\n"
                                "CREATE TRIGGER fact_log_no_delete BEFORE DELETE ON fact_log\n"
                                "BEGIN SELECT RAISE(ABORT, 'the fact log is append-only'); END;\n";

static const char m1_pg[] =
    "CREATE TABLE fact_log (\n"
    "  seq BIGINT PRIMARY KEY,\n" FACT_LOG_COMMON
    "CREATE FUNCTION fact_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN RAISE EXCEPTION 'the fact log is append-only'; END $$;\n"
    "CREATE TRIGGER fact_log_no_change BEFORE UPDATE OR DELETE ON fact_log\n"
    "FOR EACH ROW EXECUTE FUNCTION fact_log_refuse();\n";

/*
 * The first projections. Each row names the fact it came from (fact_id), so a correction
 * (supersedes) removes exactly what the corrected fact put there, and a rebuild can prove the
 * tables are a function of the log.
 */
static const char m2_projections[] =
    "CREATE TABLE fact_subjects (\n"
    "  person_id TEXT NOT NULL,\n"
    "  seq BIGINT NOT NULL,\n"
    "  PRIMARY KEY (person_id, seq)\n"
    ");\n"
    "CREATE TABLE entities (\n"
    "  kind TEXT NOT NULL,\n"
    "  entity_id TEXT NOT NULL,\n"
    "  fact_id TEXT NOT NULL,\n"
    "  PRIMARY KEY (kind, entity_id)\n"
    ");\n"
    "CREATE TABLE people (\n"
    "  person_id TEXT PRIMARY KEY,\n"
    "  fact_id TEXT NOT NULL,\n"
    "  agency TEXT NOT NULL,\n"
    "  dob TEXT,\n"
    "  dob_year INTEGER,\n"
    "  sex TEXT,\n"
    "  gender TEXT,\n"
    "  ethnicity TEXT,\n"
    "  language TEXT,\n"
    "  interpreter_needed INTEGER,\n"
    "  communication TEXT,\n"
    "  disability TEXT\n"
    ");\n"
    "CREATE TABLE person_names (\n"
    "  person_id TEXT NOT NULL,\n"
    "  ord INTEGER NOT NULL,\n"
    "  fact_id TEXT NOT NULL,\n"
    "  given TEXT,\n"
    "  family TEXT,\n"
    "  kind TEXT,\n"
    "  PRIMARY KEY (person_id, ord)\n"
    ");\n"
    "CREATE INDEX person_names_fact ON person_names(fact_id);\n"
    "CREATE TABLE person_identifiers (\n"
    "  person_id TEXT NOT NULL,\n"
    "  scheme TEXT NOT NULL,\n"
    "  value TEXT NOT NULL,\n"
    "  fact_id TEXT NOT NULL,\n"
    "  PRIMARY KEY (person_id, scheme)\n"
    ");\n"
    "CREATE INDEX person_identifiers_value ON person_identifiers(scheme, value);\n"
    "CREATE INDEX person_identifiers_fact ON person_identifiers(fact_id);\n"
    "CREATE TABLE person_links (\n"
    "  fact_id TEXT PRIMARY KEY,\n"
    "  person_id TEXT NOT NULL,\n"
    "  same_as TEXT NOT NULL,\n"
    "  confidence DOUBLE PRECISION,\n"
    "  method TEXT\n"
    ");\n"
    "CREATE INDEX person_links_person ON person_links(person_id);\n"
    "CREATE INDEX person_links_same_as ON person_links(same_as);\n"
    "CREATE TABLE relationships (\n"
    "  fact_id TEXT PRIMARY KEY,\n"
    "  from_id TEXT NOT NULL,\n"
    "  to_id TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  since TEXT,\n"
    "  until TEXT\n"
    ");\n"
    "CREATE INDEX relationships_from ON relationships(from_id);\n"
    "CREATE INDEX relationships_to ON relationships(to_id);\n"
    "CREATE TABLE residences (\n"
    "  fact_id TEXT PRIMARY KEY,\n"
    "  person_id TEXT NOT NULL,\n"
    "  address_key TEXT,\n"
    "  line1 TEXT,\n"
    "  town TEXT,\n"
    "  postcode TEXT,\n"
    "  uprn TEXT,\n"
    "  since TEXT,\n"
    "  until TEXT\n"
    ");\n"
    "CREATE INDEX residences_person ON residences(person_id);\n"
    "CREATE INDEX residences_address ON residences(address_key);\n"
    "CREATE TABLE risks (\n"
    "  fact_id TEXT PRIMARY KEY,\n"
    "  person_id TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  sexual INTEGER NOT NULL,\n"
    "  against TEXT,\n"
    "  risk_date TEXT,\n"
    "  spent INTEGER,\n"
    "  order_kind TEXT,\n"
    "  conditions TEXT,\n"
    "  until TEXT,\n"
    "  mappa_category INTEGER,\n"
    "  mappa_level INTEGER,\n"
    "  managed_by TEXT,\n"
    "  summary TEXT\n"
    ");\n"
    "CREATE INDEX risks_person ON risks(person_id);\n";

/* Which concerns and episodes each fact names or opens: chronologies follow them. */
static const char m3_fact_refs[] = "CREATE TABLE fact_refs (\n"
                                   "  kind TEXT NOT NULL,\n"
                                   "  ref_id TEXT NOT NULL,\n"
                                   "  seq BIGINT NOT NULL,\n"
                                   "  PRIMARY KEY (kind, ref_id, seq)\n"
                                   ");\n"
                                   "CREATE INDEX fact_refs_seq ON fact_refs(seq);\n";

/*
 * Who each concern names and how (the children, the alleged): a child's chronology and the
 * rules follow a concern to the adult it is about. The alerts the rules derive, and a small
 * table of operational values (the fingerprint of the rules the alerts were derived under).
 */
static const char m4_alerts[] =
    "CREATE TABLE concern_people (\n"
    "  fact_id TEXT NOT NULL,\n"
    "  concern_id TEXT NOT NULL,\n"
    "  person_id TEXT NOT NULL,\n"
    "  role TEXT NOT NULL,\n"
    "  PRIMARY KEY (fact_id, person_id, role)\n"
    ");\n"
    "CREATE INDEX concern_people_person ON concern_people(person_id);\n"
    "CREATE INDEX concern_people_concern ON concern_people(concern_id);\n"
    "CREATE TABLE alerts (\n"
    "  alert_id TEXT PRIMARY KEY,\n"
    "  rule TEXT NOT NULL,\n"
    "  strength TEXT NOT NULL,\n"
    "  child_id TEXT NOT NULL,\n"
    "  subject_id TEXT,\n"
    "  raised_on TEXT NOT NULL,\n"
    "  active_from TEXT NOT NULL,\n"
    "  due TEXT,\n"
    "  agencies TEXT NOT NULL,\n"
    "  because TEXT NOT NULL,\n"
    "  resolved_by TEXT,\n"
    "  resolved_on TEXT,\n"
    "  message TEXT NOT NULL,\n"
    "  escalate_to TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX alerts_child ON alerts(child_id);\n"
    "CREATE TABLE store_meta (\n"
    "  meta_key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ");\n";

/* Who a fact names, by fact: the rules ask it for every fact recorded (bench/rules found a scan).
 */
static const char m5_subjects_by_seq[] = "CREATE INDEX fact_subjects_seq ON fact_subjects(seq);\n";

/*
 * Where a man is to be released from custody: a household he joins on the release date, before
 * any residence is recorded for him there (R19, Mark and Samantha). Every residence now has an
 * address key: one that cannot be matched (a first line alone) is a household of one, so the
 * person is still listed at it. Both refill from the log.
 */
static const char m6_release_addresses[] = "CREATE TABLE release_addresses (\n"
                                           "  fact_id TEXT PRIMARY KEY,\n"
                                           "  person_id TEXT NOT NULL,\n"
                                           "  address_key TEXT NOT NULL,\n"
                                           "  release_date TEXT NOT NULL\n"
                                           ");\n"
                                           "CREATE INDEX release_addresses_person ON "
                                           "release_addresses(person_id);\n"
                                           "CREATE INDEX release_addresses_address ON "
                                           "release_addresses(address_key);\n";

/*
 * Record linkage. A person.distinct (two records that are not the same person) is a row of
 * person_links with same = 0. person_clusters says which records are one person: the
 * components of the links with same = 1, each named by its least person id, listing only
 * people linked to someone (most are not). link_review is the queue of uncertain pairs the
 * last `pathway link run` left for a person to decide: operational, remade by each run.
 */
static const char m7_linkage[] = "ALTER TABLE person_links ADD COLUMN same INTEGER NOT NULL "
                                 "DEFAULT 1;\n"
                                 "CREATE TABLE person_clusters (\n"
                                 "  person_id TEXT PRIMARY KEY,\n"
                                 "  cluster_id TEXT NOT NULL\n"
                                 ");\n"
                                 "CREATE INDEX person_clusters_cluster ON "
                                 "person_clusters(cluster_id);\n"
                                 "CREATE TABLE link_review (\n"
                                 "  person_a TEXT NOT NULL,\n"
                                 "  person_b TEXT NOT NULL,\n"
                                 "  weight DOUBLE PRECISION NOT NULL,\n"
                                 "  probability DOUBLE PRECISION NOT NULL,\n"
                                 "  PRIMARY KEY (person_a, person_b)\n"
                                 ");\n";

/*
 * Access (src/access/): the users who may sign in, the access log and break-glass grants.
 * The access log is append-only and hash-chained like the fact log (triggers refuse UPDATE
 * and DELETE; access_head holds its last position and hash). Users and grants are operational
 * state that changes (a password, a review); every change to them is also an entry of the
 * access log, so their history is on the chained record. Nothing here is a projection.
 */
#define ACCESS_COMMON                                                     \
 "CREATE TABLE users (\n"                                                 \
 "  user_id TEXT PRIMARY KEY,\n"                                          \
 "  agency TEXT NOT NULL,\n"                                              \
 "  role TEXT NOT NULL,\n"                                                \
 "  name TEXT NOT NULL,\n"                                                \
 "  password_hash TEXT,\n"                                                \
 "  disabled INTEGER NOT NULL DEFAULT 0,\n"                               \
 "  failures INTEGER NOT NULL DEFAULT 0,\n"                               \
 "  locked_until TEXT,\n"                                                 \
 "  created_at TEXT NOT NULL\n"                                           \
 ");\n"                                                                   \
 "CREATE TABLE access_log (\n"                                            \
 "  seq BIGINT PRIMARY KEY,\n"                                            \
 "  at TEXT NOT NULL,\n"                                                  \
 "  user_id TEXT NOT NULL,\n"                                             \
 "  action TEXT NOT NULL,\n"                                              \
 "  child_id TEXT,\n"                                                     \
 "  body TEXT NOT NULL,\n"                                                \
 "  prev_hash TEXT NOT NULL,\n"                                           \
 "  hash TEXT NOT NULL\n"                                                 \
 ");\n"                                                                   \
 "CREATE INDEX access_log_child ON access_log(child_id, seq);\n"          \
 "CREATE INDEX access_log_user ON access_log(user_id, seq);\n"            \
 "CREATE TABLE access_head (\n"                                           \
 "  id INTEGER PRIMARY KEY CHECK (id = 1),\n"                             \
 "  seq BIGINT NOT NULL,\n"                                               \
 "  hash TEXT NOT NULL\n"                                                 \
 ");\n"                                                                   \
 "INSERT INTO access_head (id, seq, hash) VALUES (1, 0, "                 \
 "'0000000000000000000000000000000000000000000000000000000000000000');\n" \
 "CREATE TABLE break_glass (\n"                                           \
 "  grant_id TEXT PRIMARY KEY,\n"                                         \
 "  user_id TEXT NOT NULL,\n"                                             \
 "  agency TEXT NOT NULL,\n"                                              \
 "  child_id TEXT NOT NULL,\n"                                            \
 "  reason TEXT NOT NULL,\n"                                              \
 "  granted_at TEXT NOT NULL,\n"                                          \
 "  expires_at TEXT NOT NULL,\n"                                          \
 "  reviewed_by TEXT,\n"                                                  \
 "  reviewed_at TEXT,\n"                                                  \
 "  review_outcome TEXT,\n"                                               \
 "  review_note TEXT\n"                                                   \
 ");\n"                                                                   \
 "CREATE INDEX break_glass_child ON break_glass(child_id, user_id);\n"

static const char m8_sqlite[] =
    ACCESS_COMMON "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log\n"
                  "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;\n"
                  "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log\n"
                  "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;\n";

static const char m8_pg[] =
    ACCESS_COMMON "CREATE FUNCTION access_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                  "BEGIN RAISE EXCEPTION 'the access log is append-only'; END $$;\n"
                  "CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log\n"
                  "FOR EACH ROW EXECUTE FUNCTION access_log_refuse();\n";

/*
 * Whose concerns and episodes a fact names, found from the fact: a child's access facts start
 * from the facts naming the child and go to the episodes their concerns opened; by seq alone
 * SQLite scanned every episode reference for each such fact.
 */
static const char m9_refs_by_seq[] =
    "DROP INDEX IF EXISTS fact_refs_seq;\n"
    "CREATE INDEX IF NOT EXISTS fact_refs_by_seq ON fact_refs(seq, kind, ref_id);\n";

static const struct migration migrations[] = {
    { 1, false, "fact log and its hash chain", m1_sqlite, m1_pg },
    { 2, false, "people, relationships, residences and risks", m2_projections, m2_projections },
    { 3, true, "the concerns and episodes each fact names", m3_fact_refs, m3_fact_refs },
    { 4, true, "who concerns name; alerts; operational values", m4_alerts, m4_alerts },
    { 5, false, "who a fact names, by fact", m5_subjects_by_seq, m5_subjects_by_seq },
    { 6, true, "planned release addresses; every residence keyed", m6_release_addresses,
      m6_release_addresses },
    { 7, true, "record linkage: links and distinctions, who is one person, the review queue",
      m7_linkage, m7_linkage },
    { 8, false, "users, the access log and its hash chain, break-glass grants", m8_sqlite, m8_pg },
    { 9, false, "which concerns and episodes a fact names, by fact", m9_refs_by_seq,
      m9_refs_by_seq },
};

#define MIGRATION_COUNT ((int)(sizeof(migrations) / sizeof(migrations[0])))

int
pw__migrations_latest(void)
{
    return migrations[MIGRATION_COUNT - 1].version;
}

static enum pw_status
apply_one(struct pw_store *s, const struct migration *m, bool postgres, struct pw_error *err)
{
    char record[160];
    (void)snprintf(record, sizeof(record),
                   "INSERT INTO schema_migrations (version, name) VALUES (%d, '%s')", m->version,
                   m->name);
    char applied_sql[96];
    (void)snprintf(applied_sql, sizeof(applied_sql),
                   "SELECT count(*) FROM schema_migrations WHERE version = %d", m->version);
    int64_t applied = 0;
    enum pw_status rc = pw__begin(s, true, err);
    if (rc != PW_OK) {
        return rc;
    }
    /*
     * Under the write lock, ask again: another process opening the same file may have applied
     * it since this one read the version (SQLite has no lock to wait on before this one).
     */
    rc = s->drv->scalar(s->db, applied_sql, &applied, err);
    if (rc == PW_OK && applied > 0) {
        return pw__commit(s, err);
    }
    if (rc == PW_OK) {
        rc = s->drv->exec(s->db, postgres ? m->pg_sql : m->sqlite_sql, err);
    }
    if (rc == PW_OK) {
        rc = s->drv->exec(s->db, record, err);
    }
    if (rc == PW_OK) {
        rc = pw__commit(s, err);
    }
    if (rc != PW_OK) {
        pw__rollback(s);
        pw_error_detail(err, "migration %d (%s) failed", m->version, m->name);
    }
    return rc;
}

/*
 * The version the store is at, by reading alone: a read-only standby, or a role without
 * CREATE, must be able to open a current store, so nothing is written unless it is behind.
 */
static enum pw_status
current_version(struct pw_store *s, bool postgres, int64_t *version, struct pw_error *err)
{
    int64_t tables = 0;
    *version = 0;
    enum pw_status rc = s->drv->scalar(
        s->db,
        postgres ? "SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations' "
                   "AND schemaname = current_schema()"
                 : "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                   "AND name = 'schema_migrations'",
        &tables, err);
    if (rc == PW_OK && tables > 0) {
        rc = s->drv->scalar(s->db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                            version, err);
    }
    if (rc == PW_OK && *version > pw__migrations_latest()) {
        rc = pw_fail(err, PW_EDB,
                     "this database is at schema version %lld, newer than this pathway "
                     "(version %d): upgrade pathway",
                     (long long)*version, pw__migrations_latest());
    }
    return rc;
}

static enum pw_status
apply_pending(struct pw_store *s, bool postgres, struct pw_error *err)
{
    int64_t current = 0;
    /* Read again: another process may have migrated while this one waited for the lock. */
    enum pw_status rc = current_version(s, postgres, &current, err);
    if (rc == PW_OK && current < pw__migrations_latest()) {
        rc = s->drv->exec(s->db,
                          "CREATE TABLE IF NOT EXISTS schema_migrations (\n"
                          "  version INTEGER PRIMARY KEY,\n"
                          "  name TEXT NOT NULL\n"
                          ")",
                          err);
    }
    for (int i = 0; rc == PW_OK && i < MIGRATION_COUNT; i++) {
        if (migrations[i].version > current) {
            rc = apply_one(s, &migrations[i], postgres, err);
            /* A new store has no facts to replay; an existing one refills its projections. */
            s->needs_rebuild = s->needs_rebuild || (migrations[i].rebuild && current > 0);
        }
    }
    return rc;
}

enum pw_status
pw__migrate(struct pw_store *s, struct pw_error *err)
{
    bool postgres = strcmp(s->drv->name, "postgresql") == 0;
    int64_t current = 0;
    enum pw_status rc = current_version(s, postgres, &current, err);
    if (rc != PW_OK || current == pw__migrations_latest()) {
        s->schema_version = (int)current;
        return rc;
    }
    if (!postgres) {
        /* SQLite: each migration checks again under its write lock (apply_one). */
        rc = apply_pending(s, false, err);
    } else {
        /* Two servers starting at once must not both migrate: one waits for the other. */
        rc = s->drv->exec(s->db, "SELECT pg_advisory_lock(72697361)", err);
        if (rc == PW_OK) {
            rc = apply_pending(s, true, err);
            struct pw_error ignored = { 0 };
            (void)s->drv->exec(s->db, "SELECT pg_advisory_unlock(72697361)", &ignored);
        }
    }
    if (rc == PW_OK) {
        s->schema_version = pw__migrations_latest();
    }
    return rc;
}
