/*
 * bench/record: how many facts a second Pathway records, beside what the database itself
 * manages for the same rows in the same run (SQLite; PostgreSQL with --pg), so the cost of the
 * store (checks, hash chain, projections) can be read as a ratio rather than guessed at.
 *
 * It generates N facts (default 100,000) deterministically from a fixed-seed xorshift PRNG: a
 * realistic mix of person.registered (about 40%), relationship.recorded and residence.recorded
 * (about 25% each, within households of 2 to 5 people sharing an address), risk.recorded (3%),
 * indicator.observed (4%) and concern.raised (3%), each fact naming only people registered
 * before it. Every line is parsed and validated with pw_fact_parse before anything is timed
 * (that pass is timed too and reported as parse+validate). Then, each into a fresh database:
 *
 *   A. pathway, one transaction: pw_store_record of the whole batch in one call;
 *      then pw_store_verify over the result (what `pathway audit verify` does);
 *   B. pathway, one transaction a fact: pw_store_record of one fact per call, for the first
 *      --per-fact facts (every commit is an fsync under synchronous=FULL: the real figure);
 *   raw SQLite, with the store's pragmas (WAL, synchronous=FULL), a bare table (seq, id, type,
 *      body) and one prepared INSERT of each fact's canonical text: once in one transaction,
 *      once one transaction a row over the same count as B.
 *
 * With --pg URL (an admin URL: it makes and drops its own databases) the same on PostgreSQL:
 * A; B over the first --pg-per-fact facts; C, eight writer threads with a store handle each,
 * one transaction a fact, each recording a stream of its own (same generator, its own seed and
 * id prefix, so every fact names only what its writer recorded before). Beside them, on the same
 * server: the texts of A into a bare table in one transaction through libpq, and pgbench
 * inserting one row of the average fact's size a transaction into a bare (id, body) table,
 * with 1 client as many times as B and 8 clients as many as C. The server's fsync and
 * synchronous_commit are printed with the figures, which mean little without them.
 *
 * Times are CLOCK_MONOTONIC around the work only (opening and creating the schema excluded;
 * pgbench's own "without initial connection time"). The SQLite databases go in a fresh
 * directory under /tmp (or --dir) and are removed at the end unless --keep is given.
 */
#ifndef _POSIX_C_SOURCE
# define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <glob.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/rng.h"
#include "core/time.h"
#include "model/model.h"
#include "store/store.h"
#include "support/bench.h"

#define DEFAULT_FACTS ((size_t)100000)
/* One transaction a fact is bounded by fsync; all of them by default (see README.md). */
#define DEFAULT_PER_FACT SIZE_MAX
#define SEED             UINT64_C(0x9e3779b97f4a7c15)
#define USER             "bench"
#define PATH_MAX_LEN     4096

/* ---- Deterministic randomness (core/rng.h) ---- */

static size_t
rng_below(struct pw_rng *r, size_t n)
{
    return (size_t)pw_rng_below(r, n);
}

static int
rng_range(struct pw_rng *r, int lo, int hi)
{
    return (int)pw_rng_range(r, lo, hi);
}

#define PICK(r, arr) ((arr)[rng_below((r), sizeof(arr) / sizeof((arr)[0]))])

/* ---- Word lists (ASCII, nothing to escape) ---- */

static const char *const given_f[] = {
    "Amelia", "Olivia", "Isla",  "Ava",  "Mia",  "Grace", "Freya", "Lily",  "Ella",   "Sophie",
    "Chloe",  "Emily",  "Aisha", "Zara", "Maya", "Ruby",  "Evie",  "Layla", "Hannah", "Jessica",
};
static const char *const given_m[] = {
    "Oliver", "George", "Noah", "Arthur",   "Leo", "Harry",  "Oscar", "Jack", "Charlie", "Jacob",
    "Thomas", "Ethan",  "Adam", "Mohammed", "Ali", "Daniel", "Ryan",  "Liam", "Kyle",    "Mason",
};
static const char *const family_names[] = {
    "Smith", "Jones",    "Taylor", "Brown",    "Williams", "Wilson", "Johnson", "Davies",
    "Patel", "Robinson", "Wright", "Thompson", "Evans",    "Walker", "White",   "Roberts",
    "Green", "Hall",     "Khan",   "Hussain",  "Clarke",   "Lewis",  "Turner",  "Hill",
};
static const char *const streets[] = {
    "Church Road", "Station Road",      "Victoria Street", "Park Avenue", "Mill Lane",
    "Queens Road", "Springfield Close", "The Crescent",    "Manor Way",   "Albert Terrace",
};
static const char *const towns[] = {
    "Leeds", "Bradford", "Wakefield", "Halifax", "Huddersfield", "Dewsbury", "Keighley",
};
static const char *const outwards[] = { "LS", "BD", "WF", "HX", "HD" };
static const char *const languages[] = { "English", "Urdu", "Polish", "Punjabi", "Romanian" };
static const char *const rel_adult_child[] = { "parent", "parent", "parent", "step_parent" };
static const char *const rel_child_child[] = { "sibling", "sibling", "half_sibling" };
static const char *const risk_kinds[] = {
    "conviction", "caution", "charge", "allegation", "intelligence", "registered", "civil_order",
};
static const char *const risk_orders[] = { "shpo", "sro", "non_molestation", "restraining" };
static const char *const codes[] = {
    "sexualised_behaviour_age_inappropriate",
    "self_harm",
    "running_away",
    "soiling_wetting_regression",
    "fear_of_person",
    "gifts_secrecy_grooming",
    "contact_with_known_risk",
    "eating_disorder",
    "sti",
};
static const char *const sources[] = { "school nurse", "class teacher", "health visitor", "GP" };
static const char *const registering[] = { "csc", "health", "education", "early_help" };
static const char *const observing[] = { "health", "education", "csc", "police" };
static const char *const risk_agencies[] = { "police", "probation" };

/* ---- The generated population ---- */

enum fact_kind {
    K_PERSON,
    K_RELATIONSHIP,
    K_RESIDENCE,
    K_RISK,
    K_INDICATOR,
    K_CONCERN,
    K_COUNT,
};

static const char *const kind_names[K_COUNT] = {
    "person.registered", "relationship.recorded", "residence.recorded",
    "risk.recorded",     "indicator.observed",    "concern.raised",
};

/* Percent of facts of each kind, in enum order. */
static const unsigned kind_weights[K_COUNT] = { 40, 25, 25, 3, 4, 3 };

struct household {
    size_t first;      /* index of its first person */
    size_t size;       /* people it will have */
    size_t adults;     /* the first `adults` members are adults, the rest children */
    size_t registered; /* members registered so far */
    const char *family;
    char line1[48];
    const char *town;
    char postcode[12];
    char since[11];
};

struct person {
    size_t home;
    bool adult;
    bool female;
    size_t concern; /* 1 + the index of a concern about this child; 0 for none */
};

struct gen {
    struct pw_rng rng;
    const char *prefix; /* before every fact, person and concern id: "" or "w3-" */
    size_t n;           /* facts wanted */
    size_t made;        /* facts generated */
    char **lines;       /* n generated JSON lines, owned */
    size_t counts[K_COUNT];
    struct person *people;
    size_t n_people;
    size_t housed; /* people[0..housed) have their residence recorded */
    struct household *homes;
    size_t n_homes;
    size_t *children; /* indices of child people */
    size_t n_children;
    size_t *adults; /* indices of adult people */
    size_t n_adults;
    size_t n_concerns;
    /* The fact being built, and its `at`. */
    char at[11];
    char *buf;
    size_t len;
    size_t cap;
};

static void *
xcalloc(size_t count, size_t size)
{
    void *p = calloc(count == 0 ? 1 : count, size);
    if (p == NULL) {
        fprintf(stderr, "bench_record: out of memory\n");
        exit(1);
    }
    return p;
}

static void add(struct gen *g, const char *fmt, ...) PW_PRINTF(2, 3);

/* Appends formatted text to the fact being built. */
static void
add(struct gen *g, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int w = vsnprintf(g->buf + g->len, g->cap - g->len, fmt, ap);
        va_end(ap);
        if (w < 0) {
            fprintf(stderr, "bench_record: could not format a fact\n");
            exit(1);
        }
        if ((size_t)w < g->cap - g->len) {
            g->len += (size_t)w;
            return;
        }
        size_t cap = g->cap * 2 + (size_t)w;
        char *p = realloc(g->buf, cap);
        if (p == NULL) {
            fprintf(stderr, "bench_record: out of memory\n");
            exit(1);
        }
        g->buf = p;
        g->cap = cap;
    }
}

/* A real date in [y0, y1] as "YYYY-MM-DD" (days 1-28 keep every month valid). */
static void
random_date(struct pw_rng *r, int y0, int y1, char out[11])
{
    int y = rng_range(r, y0, y1);
    int m = rng_range(r, 1, 12);
    int d = rng_range(r, 1, 28);
    int w = snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    PW_ASSERT(w == 10);
}

/* Opens a fact: the envelope, with `at` a date in 2023-2024 (before now, after every dob). */
static void
begin_fact(struct gen *g, enum fact_kind kind, const char *agency)
{
    random_date(&g->rng, 2023, 2024, g->at);
    g->len = 0;
    add(g, "{\"type\":\"%s\",\"id\":\"%sf-%06zu\",\"at\":\"%s\",\"agency\":\"%s\"",
        kind_names[kind], g->prefix, g->made + 1, g->at, agency);
}

static void
end_fact(struct gen *g, enum fact_kind kind)
{
    add(g, "}");
    g->lines[g->made] = strdup(g->buf);
    if (g->lines[g->made] == NULL) {
        fprintf(stderr, "bench_record: out of memory\n");
        exit(1);
    }
    g->made++;
    g->counts[kind]++;
}

/* A valid NHS number: nine random digits and their modulus 11 check digit. */
static void
nhs_number(struct pw_rng *r, char out[11])
{
    for (;;) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            int d = rng_range(r, i == 0 ? 4 : 0, 9);
            out[i] = (char)('0' + d);
            sum += d * (10 - i);
        }
        int check = 11 - sum % 11;
        if (check == 11) {
            check = 0;
        }
        if (check != 10) {
            out[9] = (char)('0' + check);
            out[10] = '\0';
            return;
        }
    }
}

static void
new_household(struct gen *g)
{
    struct pw_rng *r = &g->rng;
    struct household *h = &g->homes[g->n_homes++];
    h->first = g->n_people;
    h->size = (size_t)rng_range(r, 2, 5);
    /* One or two adults, and always at least one child. */
    h->adults = pw_rng_chance(r, 60) && h->size > 2 ? 2 : 1;
    h->registered = 0;
    h->family = PICK(r, family_names);
    (void)snprintf(h->line1, sizeof(h->line1), "%d %s", rng_range(r, 1, 240), PICK(r, streets));
    h->town = PICK(r, towns);
    (void)snprintf(h->postcode, sizeof(h->postcode), "%s%d %d%c%c", PICK(r, outwards),
                   rng_range(r, 1, 29), rng_range(r, 1, 9), (char)('A' + rng_range(r, 0, 25)),
                   (char)('A' + rng_range(r, 0, 25)));
    random_date(r, 2005, 2022, h->since);
}

static void
gen_person(struct gen *g)
{
    struct pw_rng *r = &g->rng;
    if (g->n_homes == 0 || g->homes[g->n_homes - 1].registered == g->homes[g->n_homes - 1].size) {
        new_household(g);
    }
    struct household *h = &g->homes[g->n_homes - 1];
    size_t idx = g->n_people++;
    struct person *p = &g->people[idx];
    p->home = g->n_homes - 1;
    p->adult = h->registered < h->adults;
    p->female = pw_rng_chance(r, 50);
    h->registered++;
    if (p->adult) {
        g->adults[g->n_adults++] = idx;
    } else {
        g->children[g->n_children++] = idx;
    }

    begin_fact(g, K_PERSON, PICK(r, registering));
    add(g,
        ",\"person\":\"%sp-%06zu\",\"names\":"
        "[{\"given\":\"%s\",\"family\":\"%s\",\"kind\":\"birth\"}",
        g->prefix, idx + 1, p->female ? PICK(r, given_f) : PICK(r, given_m), h->family);
    if (pw_rng_chance(r, 10)) {
        add(g, ",{\"given\":\"%s\",\"kind\":\"known_as\"}",
            p->female ? PICK(r, given_f) : PICK(r, given_m));
    }
    add(g, "]");
    if (pw_rng_chance(r, 90)) {
        char dob[11];
        random_date(r, p->adult ? 1965 : 2006, p->adult ? 1999 : 2022, dob);
        add(g, ",\"dob\":\"%s\"", dob);
    } else {
        add(g, ",\"dob\":{\"year\":%d}",
            rng_range(r, p->adult ? 1965 : 2006, p->adult ? 1999 : 2022));
    }
    add(g, ",\"sex\":\"%s\"", p->female ? "female" : "male");
    if (pw_rng_chance(r, 15)) {
        add(g, ",\"language\":\"%s\"", PICK(r, languages));
    }
    if (pw_rng_chance(r, 60)) {
        char nhs[11];
        nhs_number(r, nhs);
        add(g, ",\"identifiers\":{\"nhs\":\"%s\"", nhs);
        if (pw_rng_chance(r, 40)) {
            add(g, ",\"la\":\"LA%07zu\"", idx + 1);
        }
        add(g, "}");
    }
    end_fact(g, K_PERSON);
}

/* Two different registered members of one household, the adult first; false if none found. */
static bool
pick_pair(struct gen *g, size_t *from, size_t *to)
{
    struct pw_rng *r = &g->rng;
    for (int tries = 0; tries < 8; tries++) {
        const struct household *h = &g->homes[rng_below(r, g->n_homes)];
        if (h->registered < 2) {
            continue;
        }
        size_t a = h->first + rng_below(r, h->registered);
        size_t b = h->first + rng_below(r, h->registered - 1);
        if (b >= a) {
            b++;
        }
        /* Members are registered adults first, so the lower index is the elder. */
        *from = a < b ? a : b;
        *to = a < b ? b : a;
        return true;
    }
    return false;
}

static bool
gen_relationship(struct gen *g)
{
    struct pw_rng *r = &g->rng;
    size_t from = 0;
    size_t to = 0;
    if (g->n_homes == 0 || !pick_pair(g, &from, &to)) {
        return false;
    }
    const struct person *a = &g->people[from];
    const struct person *b = &g->people[to];
    const char *kind = "household_member";
    if (a->adult && !b->adult) {
        kind = PICK(r, rel_adult_child);
    } else if (!a->adult && !b->adult) {
        kind = PICK(r, rel_child_child);
    }
    begin_fact(g, K_RELATIONSHIP, "csc");
    add(g, ",\"from\":\"%sp-%06zu\",\"to\":\"%sp-%06zu\",\"kind\":\"%s\"", g->prefix, from + 1,
        g->prefix, to + 1, kind);
    if (pw_rng_chance(r, 30)) {
        char since[11];
        random_date(r, 2005, 2022, since);
        add(g, ",\"since\":\"%s\"", since);
    }
    end_fact(g, K_RELATIONSHIP);
    return true;
}

static bool
gen_residence(struct gen *g)
{
    if (g->housed >= g->n_people) {
        return false;
    }
    size_t idx = g->housed++;
    const struct household *h = &g->homes[g->people[idx].home];
    begin_fact(g, K_RESIDENCE, PICK(&g->rng, registering));
    add(g,
        ",\"person\":\"%sp-%06zu\",\"address\":"
        "{\"line1\":\"%s\",\"town\":\"%s\",\"postcode\":\"%s\"},\"since\":\"%s\"",
        g->prefix, idx + 1, h->line1, h->town, h->postcode, h->since);
    end_fact(g, K_RESIDENCE);
    return true;
}

static bool
gen_risk(struct gen *g)
{
    struct pw_rng *r = &g->rng;
    if (g->n_adults == 0) {
        return false;
    }
    size_t who = g->adults[rng_below(r, g->n_adults)];
    const char *kind = PICK(r, risk_kinds);
    char date[11];
    random_date(r, 2000, 2022, date);
    begin_fact(g, K_RISK, PICK(r, risk_agencies));
    add(g,
        ",\"person\":\"%sp-%06zu\",\"kind\":\"%s\",\"sexual\":%s,"
        "\"against\":\"child\",\"date\":\"%s\"",
        g->prefix, who + 1, kind, pw_rng_chance(r, 70) ? "true" : "false", date);
    if (strcmp(kind, "civil_order") == 0) {
        add(g, ",\"order\":\"%s\"", PICK(r, risk_orders));
    }
    if (pw_rng_chance(r, 30)) {
        add(g, ",\"mappa\":{\"category\":%d,\"level\":%d}", rng_range(r, 1, 3), rng_range(r, 1, 3));
    }
    add(g, ",\"managed_by\":\"%s\",\"summary\":\"generated for the benchmark\"",
        PICK(r, risk_agencies));
    end_fact(g, K_RISK);
    return true;
}

static bool
gen_indicator(struct gen *g)
{
    struct pw_rng *r = &g->rng;
    if (g->n_children == 0) {
        return false;
    }
    size_t child = g->children[rng_below(r, g->n_children)];
    begin_fact(g, K_INDICATOR, PICK(r, observing));
    add(g, ",\"child\":\"%sp-%06zu\",\"code\":\"%s\",\"observed_at\":\"%s\",\"note\":\"%s\"",
        g->prefix, child + 1, PICK(r, codes), g->at, "seen during a routine contact");
    if (g->people[child].concern != 0) {
        add(g, ",\"concern\":\"%sc-%06zu\"", g->prefix, g->people[child].concern);
    }
    end_fact(g, K_INDICATOR);
    return true;
}

static bool
gen_concern(struct gen *g)
{
    struct pw_rng *r = &g->rng;
    if (g->n_children == 0) {
        return false;
    }
    size_t child = g->children[rng_below(r, g->n_children)];
    const struct household *h = &g->homes[g->people[child].home];
    size_t id = ++g->n_concerns;
    begin_fact(g, K_CONCERN, PICK(r, observing));
    add(g, ",\"concern\":\"%sc-%06zu\",\"children\":[\"%sp-%06zu\"", g->prefix, id, g->prefix,
        child + 1);
    /* A registered brother or sister in the same household, when there is one. */
    for (size_t k = h->adults; k < h->registered; k++) {
        size_t other = h->first + k;
        if (other != child) {
            add(g, ",\"%sp-%06zu\"", g->prefix, other + 1);
            g->people[other].concern = id;
            break;
        }
    }
    add(g, "]");
    if (h->registered > 0 && g->people[h->first].adult && pw_rng_chance(r, 50)) {
        add(g, ",\"alleged\":[\"%sp-%06zu\"]", g->prefix, h->first + 1);
    }
    add(g,
        ",\"indicators\":[{\"code\":\"%s\",\"observed_at\":\"%s\"}],"
        "\"disclosure\":{\"kind\":\"%s\"}"
        ",\"narrative\":\"generated for the benchmark\",\"source\":\"%s\"",
        PICK(r, codes), g->at, pw_rng_chance(r, 30) ? "partial" : "none", PICK(r, sources));
    g->people[child].concern = id;
    end_fact(g, K_CONCERN);
    return true;
}

static enum fact_kind
pick_kind(struct pw_rng *r)
{
    size_t roll = rng_below(r, 100);
    size_t sum = 0;
    for (int k = 0; k < K_COUNT; k++) {
        sum += kind_weights[k];
        if (roll < sum) {
            return (enum fact_kind)k;
        }
    }
    return K_PERSON;
}

/* Generates g->n facts into g->lines; a kind that cannot be made yet becomes a registration. */
static void
generate(struct gen *g)
{
    while (g->made < g->n) {
        bool done = false;
        switch (pick_kind(&g->rng)) {
        case K_RELATIONSHIP:
            done = gen_relationship(g);
            break;
        case K_RESIDENCE:
            done = gen_residence(g);
            break;
        case K_RISK:
            done = gen_risk(g);
            break;
        case K_INDICATOR:
            done = gen_indicator(g);
            break;
        case K_CONCERN:
            done = gen_concern(g);
            break;
        case K_PERSON:
        case K_COUNT:
            break;
        }
        if (!done) {
            gen_person(g);
        }
    }
}

static void
gen_init(struct gen *g, size_t n, uint64_t seed, const char *prefix)
{
    memset(g, 0, sizeof(*g));
    pw_rng_seed(&g->rng, seed);
    g->prefix = prefix;
    g->n = n;
    g->lines = xcalloc(n, sizeof(char *));
    /* Every fact makes at most one person or household: n bounds them all. */
    g->people = xcalloc(n, sizeof(struct person));
    g->homes = xcalloc(n, sizeof(struct household));
    g->children = xcalloc(n, sizeof(size_t));
    g->adults = xcalloc(n, sizeof(size_t));
    g->cap = 1024;
    g->buf = xcalloc(g->cap, 1);
}

static void
gen_release(struct gen *g)
{
    for (size_t i = 0; i < g->made; i++) {
        free(g->lines[i]);
    }
    free(g->lines);
    free(g->people);
    free(g->homes);
    free(g->children);
    free(g->adults);
    free(g->buf);
    memset(g, 0, sizeof(*g));
}

/* ---- Timing and reporting ---- */

static double
rate(size_t n, double seconds)
{
    return seconds > 0.0 ? (double)n / seconds : 0.0;
}

/* Bytes of a database: the file and any WAL beside it. */
static long long
db_size(const char *path)
{
    char wal[PATH_MAX_LEN];
    struct stat st;
    long long total = 0;
    if (stat(path, &st) == 0) {
        total += (long long)st.st_size;
    }
    int w = snprintf(wal, sizeof(wal), "%s-wal", path);
    if (w > 0 && (size_t)w < sizeof(wal) && stat(wal, &st) == 0) {
        total += (long long)st.st_size;
    }
    return total;
}

/* ---- Parsing ---- */

static bool
parse_all(char *const *lines, size_t n, struct pw_fact *facts, double *seconds)
{
    struct pw_fact_parse_opts opts = { USER, pw_time_now_us() };
    double t0 = bench_now_s();
    for (size_t i = 0; i < n; i++) {
        struct pw_error err = { 0 };
        if (pw_fact_parse(lines[i], strlen(lines[i]), &opts, &facts[i], &err) != PW_OK) {
            fprintf(stderr, "bench_record: generated fact %zu does not parse: %s%s%s\n  %s\n",
                    i + 1, err.field, err.field[0] != '\0' ? ": " : "", err.msg, lines[i]);
            return false;
        }
    }
    *seconds = bench_now_s() - t0;
    return true;
}

static size_t
canonical_bytes(const struct pw_fact *facts, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total += facts[i].canonical_len;
    }
    return total;
}

/* ---- Pathway runs ---- */

static bool
store_open(const char *path, struct pw_store **s)
{
    struct pw_error err = { 0 };
    if (pw_store_open(path, PW_STORE_CREATE | PW_STORE_NEW, s, &err) != PW_OK) {
        /* A PostgreSQL URL may hold a password: not echoed. */
        fprintf(stderr, "bench_record: could not open %s: %s\n",
                pw_store_is_postgres(path) ? "the PostgreSQL store" : path, err.msg);
        return false;
    }
    return true;
}

static bool
record_failed(const struct pw_error *err, const struct pw_record_outcome *out)
{
    fprintf(stderr, "bench_record: pw_store_record failed at fact %zu: %s%s%s\n",
            out->failed == SIZE_MAX ? (size_t)0 : out->failed + 1, err->field,
            err->field[0] != '\0' ? ": " : "", err->msg);
    return false;
}

/* Run A: the whole batch in one call, then the chain verified. */
static bool
run_pathway_batch(const char *path, const struct pw_fact *facts, size_t n, double *seconds,
                  double *verify_seconds)
{
    struct pw_store *s = NULL;
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    struct pw_verify_result vr;
    bool ok = false;
    if (!store_open(path, &s)) {
        return false;
    }
    double t0 = bench_now_s();
    if (pw_store_record(s, facts, n, &out, &err) != PW_OK) {
        (void)record_failed(&err, &out);
        goto out;
    }
    *seconds = bench_now_s() - t0;
    if (out.recorded != n) {
        fprintf(stderr, "bench_record: recorded %zu of %zu facts\n", out.recorded, n);
        goto out;
    }
    t0 = bench_now_s();
    if (pw_store_verify(s, 0, NULL, &vr, &err) != PW_OK) {
        fprintf(stderr, "bench_record: pw_store_verify failed: %s\n", err.msg);
        goto out;
    }
    *verify_seconds = bench_now_s() - t0;
    if (vr.broken_seq != 0 || vr.count != (int64_t)n) {
        fprintf(stderr,
                "bench_record: the chain does not verify: %lld entries, broken at %lld: %s\n",
                (long long)vr.count, (long long)vr.broken_seq, vr.reason);
        goto out;
    }
    ok = true;
out:
    pw_store_close(s);
    return ok;
}

/* Run B: one call, so one transaction and one fsync, a fact. */
static bool
run_pathway_each(const char *path, const struct pw_fact *facts, size_t n, double *seconds)
{
    struct pw_store *s = NULL;
    bool ok = true;
    if (!store_open(path, &s)) {
        return false;
    }
    double t0 = bench_now_s();
    for (size_t i = 0; ok && i < n; i++) {
        struct pw_error err = { 0 };
        struct pw_record_outcome out;
        if (pw_store_record(s, &facts[i], 1, &out, &err) != PW_OK) {
            out.failed = i;
            ok = record_failed(&err, &out);
        } else if (out.recorded != 1) {
            fprintf(stderr, "bench_record: fact %zu was not recorded\n", i + 1);
            ok = false;
        }
    }
    *seconds = bench_now_s() - t0;
    pw_store_close(s);
    return ok;
}

/* ---- Raw SQLite baseline ---- */

static bool
sql_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bench_record: sqlite: %s: %s\n", sql, msg != NULL ? msg : "?");
        sqlite3_free(msg);
        return false;
    }
    return true;
}

static bool
raw_insert(sqlite3 *db, sqlite3_stmt *st, const struct pw_fact *f)
{
    bool ok =
        sqlite3_bind_text(st, 1, f->id, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_text(st, 2, f->type, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_text(st, 3, f->canonical, (int)f->canonical_len, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_DONE;
    if (!ok) {
        fprintf(stderr, "bench_record: sqlite insert: %s\n", sqlite3_errmsg(db));
    }
    (void)sqlite3_reset(st);
    return ok;
}

/*
 * The same rows into a bare table with the store's pragmas: all in one transaction when
 * one_tx, else BEGIN IMMEDIATE ... COMMIT around each row (as the store does).
 */
static bool
run_raw(const char *path, const struct pw_fact *facts, size_t n, bool one_tx, double *seconds)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    double t0 = 0.0;
    bool ok = false;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_record: could not open %s: %s\n", path,
                db != NULL ? sqlite3_errmsg(db) : "out of memory");
        goto out;
    }
    if (!sql_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                      "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;") ||
        !sql_exec(db, "CREATE TABLE facts (seq INTEGER PRIMARY KEY, id TEXT, type TEXT, "
                      "body TEXT)")) {
        goto out;
    }
    if (sqlite3_prepare_v2(db, "INSERT INTO facts (id, type, body) VALUES (?1, ?2, ?3)", -1, &st,
                           NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_record: sqlite prepare: %s\n", sqlite3_errmsg(db));
        goto out;
    }
    t0 = bench_now_s();
    if (one_tx && !sql_exec(db, "BEGIN IMMEDIATE")) {
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if ((!one_tx && !sql_exec(db, "BEGIN IMMEDIATE")) || !raw_insert(db, st, &facts[i]) ||
            (!one_tx && !sql_exec(db, "COMMIT"))) {
            goto out;
        }
    }
    if (one_tx && !sql_exec(db, "COMMIT")) {
        goto out;
    }
    *seconds = bench_now_s() - t0;
    ok = true;
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ok;
}

/* ---- Command line ---- */

struct options {
    size_t facts;
    size_t per_fact;
    const char *dir;
    bool keep;
    bool no_sqlite;     /* skip the SQLite runs */
    const char *pg_url; /* a PostgreSQL admin URL, or NULL to skip PostgreSQL */
    size_t pg_per_fact; /* facts one transaction each on PostgreSQL (default --per-fact) */
};

static bool
parse_count(const char *s, size_t *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v <= 0) {
        return false;
    }
    *out = (size_t)v;
    return true;
}

static void
usage(FILE *to)
{
    fprintf(to,
            "usage: bench_record [--facts N] [--per-fact N] [--dir DIR] [--keep] [--no-sqlite]\n"
            "                    [--pg URL [--pg-per-fact N]]\n"
            "  --facts N        facts to generate (default %zu)\n"
            "  --per-fact N     record only the first N one transaction a fact (default all)\n"
            "  --dir DIR        where the databases go (default a fresh directory in /tmp)\n"
            "  --keep           leave the databases there\n"
            "  --no-sqlite      skip the SQLite runs\n"
            "  --pg URL         also run on PostgreSQL: an admin URL such as\n"
            "                   postgresql://USER@HOST:PORT/postgres (the benchmark makes and\n"
            "                   drops its own databases; bench/pg.sh starts a throwaway server)\n"
            "  --pg-per-fact N  facts one transaction each on PostgreSQL (default --per-fact)\n",
            DEFAULT_FACTS);
}

/* 0 to run, 1 on a bad command line, 2 after --help. */
static int
parse_args(int argc, char **argv, struct options *o)
{
    o->facts = DEFAULT_FACTS;
    o->per_fact = DEFAULT_PER_FACT;
    o->dir = NULL;
    o->keep = false;
    o->no_sqlite = false;
    o->pg_url = NULL;
    o->pg_per_fact = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 2;
        } else if (strcmp(a, "--keep") == 0) {
            o->keep = true;
        } else if (strcmp(a, "--facts") == 0 && has_value) {
            if (!parse_count(argv[++i], &o->facts)) {
                fprintf(stderr, "bench_record: --facts needs a positive number\n");
                return 1;
            }
        } else if (strcmp(a, "--per-fact") == 0 && has_value) {
            if (!parse_count(argv[++i], &o->per_fact)) {
                fprintf(stderr, "bench_record: --per-fact needs a positive number\n");
                return 1;
            }
        } else if (strcmp(a, "--dir") == 0 && has_value) {
            o->dir = argv[++i];
        } else if (strcmp(a, "--no-sqlite") == 0) {
            o->no_sqlite = true;
        } else if (strcmp(a, "--pg") == 0 && has_value) {
            o->pg_url = argv[++i];
        } else if (strcmp(a, "--pg-per-fact") == 0 && has_value) {
            if (!parse_count(argv[++i], &o->pg_per_fact)) {
                fprintf(stderr, "bench_record: --pg-per-fact needs a positive number\n");
                return 1;
            }
        } else {
            fprintf(stderr, "bench_record: unknown or incomplete option %s\n", a);
            usage(stderr);
            return 1;
        }
    }
    if (o->per_fact > o->facts) {
        o->per_fact = o->facts;
    }
    if (o->pg_per_fact == 0 || o->pg_per_fact > o->facts) {
        o->pg_per_fact = o->pg_per_fact == 0 ? o->per_fact : o->facts;
    }
    if (o->pg_url != NULL && !pw_store_is_postgres(o->pg_url)) {
        fprintf(stderr, "bench_record: --pg needs a postgresql:// URL\n");
        return 1;
    }
    return 0;
}

/* ---- PostgreSQL ---- */

#define PG_WRITERS  8
#define PG_URL_MAX  2048
#define PG_NAME_MAX 64
#define PG_CMD_MAX  (3 * PATH_MAX_LEN + PG_URL_MAX)

enum pg_db_name {
    PG_DB_ONE,     /* pathway, one transaction */
    PG_DB_EACH,    /* pathway, one transaction a fact, one writer */
    PG_DB_WRITERS, /* pathway, one transaction a fact, PG_WRITERS writers */
    PG_DB_BARE,    /* the baselines: raw libpq and pgbench */
    PG_DB_COUNT,
};

static const char *const pg_db_suffixes[PG_DB_COUNT] = { "one_tx", "per_fact", "writers", "bare" };

struct pg_run {
    const struct options *o;
    PGconn *admin;
    char names[PG_DB_COUNT][PG_NAME_MAX]; /* the databases made, "" until made */
    char urls[PG_DB_COUNT][PG_URL_MAX];
    char script[PATH_MAX_LEN]; /* the pgbench script, "" until written */
    char server[320];          /* version and durability settings, as the server reports them */
    bool checkpoint_refused;
    size_t per_writer; /* facts each of the PG_WRITERS writers records */
    struct pw_fact *writer_facts[PG_WRITERS];
    /* Seconds, except the pgbench figures, which are its transactions a second. */
    double a_pathway;
    double a_raw;
    double verify;
    double b_pathway;
    double b_pgbench;
    double c_pathway;
    double c_pgbench;
};

/* The first line of a libpq message. */
static void
pg_print_error(const char *doing, const char *msg)
{
    fprintf(stderr, "bench_record: postgresql: %s: %.*s\n", doing, (int)strcspn(msg, "\n"), msg);
}

/* Connects; the URL is never printed (it may hold a password). */
static bool
pg_connect(const char *url, PGconn **out)
{
    *out = PQconnectdb(url);
    if (PQstatus(*out) != CONNECTION_OK) {
        pg_print_error("could not connect", PQerrorMessage(*out));
        PQfinish(*out);
        *out = NULL;
        return false;
    }
    PQclear(PQexec(*out, "SET client_min_messages = warning"));
    return true;
}

static bool
pg_exec(PGconn *c, const char *sql)
{
    PGresult *res = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(res);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) {
        pg_print_error(sql, PQresultErrorMessage(res));
    }
    PQclear(res);
    return ok;
}

/* Runs one statement on its own connection to url. */
static bool
pg_exec_url(const char *url, const char *sql)
{
    PGconn *c = NULL;
    bool ok = pg_connect(url, &c) && pg_exec(c, sql);
    PQfinish(c);
    return ok;
}

/* The admin URL with its database (the path after host[:port]) replaced by db. */
static bool
pg_url_with_db(const char *url, const char *db, char *out, size_t size)
{
    const char *scheme = strstr(url, "://");
    const char *path = scheme != NULL ? strchr(scheme + 3, '/') : NULL;
    if (path == NULL) {
        fprintf(stderr, "bench_record: --pg needs a URL with a database, such as "
                        "postgresql://USER@HOST:PORT/postgres\n");
        return false;
    }
    const char *query = strchr(path, '?');
    int w =
        snprintf(out, size, "%.*s/%s%s", (int)(path - url), url, db, query != NULL ? query : "");
    if (w < 0 || (size_t)w >= size) {
        fprintf(stderr, "bench_record: --pg URL is too long\n");
        return false;
    }
    return true;
}

static bool
pg_make_db(struct pg_run *r, enum pg_db_name d)
{
    char sql[160];
    char name[PG_NAME_MAX];
    (void)snprintf(name, sizeof(name), "pw_bench_%ld_%s", (long)getpid(), pg_db_suffixes[d]);
    (void)snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
    if (!pg_exec(r->admin, sql)) {
        return false;
    }
    (void)snprintf(r->names[d], sizeof(r->names[d]), "%s", name);
    return pg_url_with_db(r->o->pg_url, name, r->urls[d], sizeof(r->urls[d]));
}

static void
pg_drop_dbs(struct pg_run *r)
{
    for (int d = 0; d < PG_DB_COUNT; d++) {
        char sql[160];
        if (r->names[d][0] == '\0') {
            continue;
        }
        if (r->o->keep) {
            printf("postgresql database kept: %s\n", r->names[d]);
            continue;
        }
        (void)snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", r->names[d]);
        (void)pg_exec(r->admin, sql);
    }
}

/* The server's version and the settings that decide what a commit costs. */
static bool
pg_server_settings(struct pg_run *r)
{
    PGresult *res = PQexec(r->admin, "SELECT current_setting('server_version'), "
                                     "current_setting('fsync'), "
                                     "current_setting('synchronous_commit'), "
                                     "current_setting('full_page_writes'), "
                                     "current_setting('wal_sync_method')");
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    if (ok) {
        (void)snprintf(r->server, sizeof(r->server),
                       "server %s; fsync %s, synchronous_commit %s, full_page_writes %s, "
                       "wal_sync_method %s",
                       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
                       PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4));
    } else {
        pg_print_error("could not read the server settings", PQresultErrorMessage(res));
    }
    PQclear(res);
    return ok;
}

/*
 * Before each timed run, so that writing out what the last run left in memory does not land
 * in this one. Needs a superuser (or pg_checkpoint); without one the runs go on, said once.
 */
static void
pg_checkpoint(struct pg_run *r)
{
    if (r->checkpoint_refused) {
        return;
    }
    PGresult *res = PQexec(r->admin, "CHECKPOINT");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        fprintf(stderr, "bench_record: postgresql: no CHECKPOINT between runs (%.*s)\n",
                (int)strcspn(PQresultErrorMessage(res), "\n"), PQresultErrorMessage(res));
        r->checkpoint_refused = true;
    }
    PQclear(res);
}

/* The baseline for one transaction: the same texts into a bare table, one prepared INSERT. */
static bool
run_pg_raw(const char *url, const struct pw_fact *facts, size_t n, double *seconds)
{
    PGconn *c = NULL;
    bool ok = pg_connect(url, &c) &&
              pg_exec(c, "CREATE TABLE raw_facts (seq bigint GENERATED ALWAYS AS IDENTITY "
                         "PRIMARY KEY, id text, type text, body text)");
    if (ok) {
        PGresult *res = PQprepare(
            c, "ins", "INSERT INTO raw_facts (id, type, body) VALUES ($1, $2, $3)", 3, NULL);
        ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok) {
            pg_print_error("prepare", PQresultErrorMessage(res));
        }
        PQclear(res);
    }
    double t0 = bench_now_s();
    ok = ok && pg_exec(c, "BEGIN");
    for (size_t i = 0; ok && i < n; i++) {
        const char *values[3] = { facts[i].id, facts[i].type, facts[i].canonical };
        PGresult *res = PQexecPrepared(c, "ins", 3, values, NULL, NULL, 0);
        ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok) {
            pg_print_error("insert", PQresultErrorMessage(res));
        }
        PQclear(res);
    }
    ok = ok && pg_exec(c, "COMMIT");
    *seconds = bench_now_s() - t0;
    PQfinish(c);
    return ok;
}

/* ---- PostgreSQL: Pathway with several writers ---- */

struct pg_writer {
    const char *url;
    const struct pw_fact *facts;
    size_t n;
    pthread_barrier_t *start;
    bool ok;
    char failure[700];
};

static void *
pg_writer_main(void *arg)
{
    struct pg_writer *w = arg;
    struct pw_store *s = NULL;
    struct pw_error err = { 0 };
    if (pw_store_open(w->url, 0, &s, &err) != PW_OK) {
        (void)snprintf(w->failure, sizeof(w->failure), "could not open the store: %s", err.msg);
        s = NULL;
    }
    /* Everyone waits here, opened or not, so nobody is left waiting for a missing writer. */
    (void)pthread_barrier_wait(w->start);
    w->ok = s != NULL;
    for (size_t i = 0; w->ok && i < w->n; i++) {
        struct pw_record_outcome out;
        pw_error_clear(&err);
        if (pw_store_record(s, &w->facts[i], 1, &out, &err) != PW_OK) {
            (void)snprintf(w->failure, sizeof(w->failure), "fact %zu (%s): %s", i + 1,
                           w->facts[i].id, err.msg);
            w->ok = false;
        } else if (out.recorded != 1) {
            (void)snprintf(w->failure, sizeof(w->failure), "fact %zu (%s) was not recorded", i + 1,
                           w->facts[i].id);
            w->ok = false;
        }
    }
    pw_store_close(s);
    return NULL;
}

/* The chain of a finished run verifies, with exactly the facts recorded. */
static bool
verify_store(const char *url, size_t n)
{
    struct pw_store *s = NULL;
    struct pw_error err = { 0 };
    struct pw_verify_result vr;
    bool ok =
        pw_store_open(url, 0, &s, &err) == PW_OK && pw_store_verify(s, 0, NULL, &vr, &err) == PW_OK;
    if (!ok) {
        fprintf(stderr, "bench_record: could not verify the store: %s\n", err.msg);
    } else if (vr.broken_seq != 0 || vr.count != (int64_t)n) {
        fprintf(stderr,
                "bench_record: the chain does not verify: %lld entries of %zu, broken at %lld: "
                "%s\n",
                (long long)vr.count, n, (long long)vr.broken_seq, vr.reason);
        ok = false;
    }
    pw_store_close(s);
    return ok;
}

/*
 * Run C: PG_WRITERS threads, each with its own store handle and its own stream of facts (its
 * own people, so every reference is to something it recorded before), one transaction a fact,
 * all started together. The time is from the start to the last writer's end.
 */
static bool
run_pathway_writers(const char *url, struct pw_fact *const *facts, size_t per_writer,
                    double *seconds)
{
    struct pw_store *s = NULL;
    pthread_barrier_t start;
    pthread_t threads[PG_WRITERS];
    struct pg_writer writers[PG_WRITERS];
    bool ok = true;
    if (!store_open(url, &s)) {
        return false; /* the schema, made before the clock starts */
    }
    pw_store_close(s);
    if (pthread_barrier_init(&start, NULL, PG_WRITERS + 1) != 0) {
        fprintf(stderr, "bench_record: could not make a barrier\n");
        return false;
    }
    for (int t = 0; t < PG_WRITERS; t++) {
        writers[t] = (struct pg_writer){ url, facts[t], per_writer, &start, false, "" };
        if (pthread_create(&threads[t], NULL, pg_writer_main, &writers[t]) != 0) {
            fprintf(stderr, "bench_record: could not start a writer thread\n");
            exit(1); /* the others would wait at the barrier for ever */
        }
    }
    (void)pthread_barrier_wait(&start);
    double t0 = bench_now_s();
    for (int t = 0; t < PG_WRITERS; t++) {
        (void)pthread_join(threads[t], NULL);
    }
    *seconds = bench_now_s() - t0;
    (void)pthread_barrier_destroy(&start);
    for (int t = 0; t < PG_WRITERS; t++) {
        if (!writers[t].ok) {
            fprintf(stderr, "bench_record: writer %d: %s\n", t + 1, writers[t].failure);
            ok = false;
        }
    }
    return ok && verify_store(url, per_writer * PG_WRITERS);
}

/* Each writer's own stream: the same generator with its own seed and id prefix "wN-". */
static bool
make_writer_facts(struct pg_run *r)
{
    for (int t = 0; t < PG_WRITERS; t++) {
        struct gen g;
        char prefix[16];
        double ignored = 0.0;
        (void)snprintf(prefix, sizeof(prefix), "w%d-", t + 1);
        gen_init(&g, r->per_writer, SEED + 1U + (uint64_t)t, prefix);
        generate(&g);
        r->writer_facts[t] = xcalloc(r->per_writer, sizeof(struct pw_fact));
        bool ok = parse_all(g.lines, r->per_writer, r->writer_facts[t], &ignored);
        gen_release(&g);
        if (!ok) {
            return false;
        }
    }
    return true;
}

static void
release_writer_facts(struct pg_run *r)
{
    for (int t = 0; t < PG_WRITERS; t++) {
        for (size_t i = 0; r->writer_facts[t] != NULL && i < r->per_writer; i++) {
            pw_fact_release(&r->writer_facts[t][i]);
        }
        free(r->writer_facts[t]);
        r->writer_facts[t] = NULL;
    }
}

/* ---- PostgreSQL: pgbench ---- */

/* pgbench beside the server the packages install (the newest), else the one on PATH. */
static void
find_pgbench(char *out, size_t size)
{
    glob_t gl;
    double best = 0.0;
    (void)snprintf(out, size, "pgbench");
    if (glob("/usr/lib/postgresql/*/bin/pgbench", 0, NULL, &gl) == 0) {
        for (size_t i = 0; i < gl.gl_pathc; i++) {
            double version = strtod(gl.gl_pathv[i] + strlen("/usr/lib/postgresql/"), NULL);
            if (version > best) {
                best = version;
                (void)snprintf(out, size, "%s", gl.gl_pathv[i]);
            }
        }
    }
    globfree(&gl);
}

/* s in single quotes for sh, each ' as '\''; false when it does not fit. */
static bool
shell_quote(const char *s, char *out, size_t size)
{
    size_t n = 0;
    if (size < 3U) {
        return false;
    }
    out[n++] = '\'';
    for (const char *p = s; *p != '\0'; p++) {
        bool quote = *p == '\'';
        size_t len = quote ? 4U : 1U;
        if (n + len + 2U > size) {
            return false;
        }
        if (quote) {
            memcpy(out + n, "'\\''", len);
        } else {
            out[n] = *p;
        }
        n += len;
    }
    out[n++] = '\'';
    out[n] = '\0';
    return true;
}

/*
 * pgbench's transaction: one row into the bare table, its body as long as the average
 * canonical fact. The id is made in pgbench (\set), as PostgreSQL 15 has no random(lo, hi).
 */
static bool
write_pgbench_script(struct pg_run *r, const char *dir, size_t body_bytes)
{
    int w = snprintf(r->script, sizeof(r->script), "%s/pgbench-insert.sql", dir);
    FILE *f = w > 0 && (size_t)w < sizeof(r->script) ? fopen(r->script, "w") : NULL;
    if (f == NULL) {
        fprintf(stderr, "bench_record: could not write the pgbench script in %s\n", dir);
        r->script[0] = '\0';
        return false;
    }
    fprintf(f,
            "\\set r random(1, 1000000000)\n"
            "INSERT INTO bare (id, body) VALUES (:client_id || '-' || :r, repeat('x', %zu));\n",
            body_bytes);
    return fclose(f) == 0;
}

/* A fresh bare table for each pgbench run. */
static bool
pg_bare_table(const struct pg_run *r)
{
    return pg_exec_url(r->urls[PG_DB_BARE], "DROP TABLE IF EXISTS bare") &&
           pg_exec_url(r->urls[PG_DB_BARE], "CREATE TABLE bare (id text, body text)");
}

/* Builds the pgbench command line; false when something does not fit. */
static bool
pgbench_command(const struct pg_run *r, int clients, size_t per_client, char *cmd, size_t size)
{
    char bin[PATH_MAX_LEN];
    char q_bin[PATH_MAX_LEN + 16];
    char q_script[PATH_MAX_LEN + 16];
    char q_url[PG_URL_MAX + 16];
    find_pgbench(bin, sizeof(bin));
    if (!shell_quote(bin, q_bin, sizeof(q_bin)) ||
        !shell_quote(r->script, q_script, sizeof(q_script)) ||
        !shell_quote(r->urls[PG_DB_BARE], q_url, sizeof(q_url))) {
        return false;
    }
    int w = snprintf(cmd, size, "%s -n -M prepared -f %s -c %d -j %d -t %zu %s 2>&1", q_bin,
                     q_script, clients, clients, per_client, q_url);
    return w > 0 && (size_t)w < size;
}

/*
 * Runs pgbench on the bare table: clients connections, per_client transactions each. *tps is
 * its "tps = ... (without initial connection time)". On failure its output is shown.
 */
static bool
run_pgbench(const struct pg_run *r, int clients, size_t per_client, double *tps)
{
    char cmd[PG_CMD_MAX];
    char line[512];
    char output[4096] = "";
    bool found = false;
    if (!pgbench_command(r, clients, per_client, cmd, sizeof(cmd))) {
        fprintf(stderr, "bench_record: the pgbench command line is too long\n");
        return false;
    }
    FILE *p = popen(cmd, "r");
    if (p == NULL) {
        fprintf(stderr, "bench_record: could not run pgbench: %s\n", strerror(errno));
        return false;
    }
    while (fgets(line, sizeof(line), p) != NULL) {
        if (strncmp(line, "tps = ", 6) == 0 && strstr(line, "without initial connection") != NULL) {
            *tps = strtod(line + 6, NULL);
            found = true;
        }
        size_t used = strlen(output);
        (void)snprintf(output + used, sizeof(output) - used, "%s", line);
    }
    int status = pclose(p);
    if (status != 0 || !found || *tps <= 0.0) {
        fprintf(stderr, "bench_record: pgbench failed (status %d); it said:\n%s", status, output);
        return false;
    }
    return true;
}

/* ---- PostgreSQL: the runs and the report ---- */

static bool
pg_run_pathway(struct pg_run *r, const struct pw_fact *facts)
{
    const struct options *o = r->o;
    fprintf(stderr, "running postgresql A (pathway, one transaction, %zu facts)...\n", o->facts);
    if (!pg_make_db(r, PG_DB_ONE)) {
        return false;
    }
    pg_checkpoint(r);
    if (!run_pathway_batch(r->urls[PG_DB_ONE], facts, o->facts, &r->a_pathway, &r->verify)) {
        return false;
    }
    fprintf(stderr, "running postgresql raw libpq, one transaction...\n");
    if (!pg_make_db(r, PG_DB_BARE)) {
        return false;
    }
    pg_checkpoint(r);
    if (!run_pg_raw(r->urls[PG_DB_BARE], facts, o->facts, &r->a_raw)) {
        return false;
    }
    fprintf(stderr, "running postgresql B (pathway, one transaction a fact, %zu facts)...\n",
            o->pg_per_fact);
    if (!pg_make_db(r, PG_DB_EACH)) {
        return false;
    }
    pg_checkpoint(r);
    return run_pathway_each(r->urls[PG_DB_EACH], facts, o->pg_per_fact, &r->b_pathway);
}

static bool
pg_run_writers_and_pgbench(struct pg_run *r)
{
    const struct options *o = r->o;
    fprintf(stderr, "running pgbench, 1 client, %zu transactions...\n", o->pg_per_fact);
    if (!pg_bare_table(r)) {
        return false;
    }
    pg_checkpoint(r);
    if (!run_pgbench(r, 1, o->pg_per_fact, &r->b_pgbench)) {
        return false;
    }
    fprintf(stderr, "running postgresql C (pathway, %d writers of %zu facts each)...\n", PG_WRITERS,
            r->per_writer);
    if (!make_writer_facts(r) || !pg_make_db(r, PG_DB_WRITERS)) {
        return false;
    }
    pg_checkpoint(r);
    if (!run_pathway_writers(r->urls[PG_DB_WRITERS], r->writer_facts, r->per_writer,
                             &r->c_pathway)) {
        return false;
    }
    fprintf(stderr, "running pgbench, %d clients, %zu transactions each...\n", PG_WRITERS,
            r->per_writer);
    if (!pg_bare_table(r)) {
        return false;
    }
    pg_checkpoint(r);
    return run_pgbench(r, PG_WRITERS, r->per_writer, &r->c_pgbench);
}

static void
print_pg_line(const char *label, size_t n, double pathway_s, const char *base, double base_rate,
              const char *unit)
{
    double p = rate(n, pathway_s);
    printf("%-18s pathway %9.0f facts/s   %-10s %9.0f %-6s   ratio %6.2f (%s/pathway)\n", label, p,
           base, base_rate, unit, p > 0.0 ? base_rate / p : 0.0,
           strcmp(base, "pgbench") == 0 ? "pgbench" : "raw");
}

static void
print_pg_results(const struct pg_run *r)
{
    const struct options *o = r->o;
    size_t c_facts = r->per_writer * PG_WRITERS;
    printf("postgresql:        %s\n", r->server);
    print_pg_line("one transaction:", o->facts, r->a_pathway, "raw libpq", rate(o->facts, r->a_raw),
                  "rows/s");
    printf("%-18s (%zu facts: pathway %.3f s, raw %.3f s)\n", "", o->facts, r->a_pathway, r->a_raw);
    print_pg_line("one per fact:", o->pg_per_fact, r->b_pathway, "pgbench", r->b_pgbench, "tx/s");
    printf("%-18s (%zu facts, 1 writer: pathway %.3f s; pgbench -c 1 -j 1 -t %zu)\n", "",
           o->pg_per_fact, r->b_pathway, o->pg_per_fact);
    char label[32];
    (void)snprintf(label, sizeof(label), "%d writers:", PG_WRITERS);
    print_pg_line(label, c_facts, r->c_pathway, "pgbench", r->c_pgbench, "tx/s");
    printf("%-18s (%zu facts, %d writers of %zu: pathway %.3f s; pgbench -c %d -j %d -t %zu)\n", "",
           c_facts, PG_WRITERS, r->per_writer, r->c_pathway, PG_WRITERS, PG_WRITERS, r->per_writer);
    printf("verify chain:      intact, %zu entries, %9.0f facts/s   (%.3f s)\n", o->facts,
           rate(o->facts, r->verify), r->verify);
}

/*
 * The PostgreSQL section: each Pathway run into a database of its own, the baselines into a
 * scratch one, all made through the admin URL and dropped at the end (unless --keep).
 */
static bool
run_pg(const struct options *o, const char *dir, const struct pw_fact *facts)
{
    struct pg_run r;
    memset(&r, 0, sizeof(r));
    r.o = o;
    r.per_writer = o->pg_per_fact / PG_WRITERS > 0 ? o->pg_per_fact / PG_WRITERS : 1U;
    bool ok = pg_connect(o->pg_url, &r.admin) && pg_server_settings(&r) &&
              write_pgbench_script(&r, dir, canonical_bytes(facts, o->facts) / o->facts);
    if (ok) {
        ok = pg_run_pathway(&r, facts) && pg_run_writers_and_pgbench(&r);
    }
    if (ok) {
        print_pg_results(&r);
    }
    if (r.admin != NULL) {
        pg_drop_dbs(&r);
        PQfinish(r.admin);
    }
    if (r.script[0] != '\0' && !o->keep) {
        (void)unlink(r.script);
    }
    release_writer_facts(&r);
    return ok;
}

/* ---- The benchmark ---- */

enum db_name {
    DB_PATHWAY_ONE,
    DB_PATHWAY_EACH,
    DB_RAW_ONE,
    DB_RAW_EACH,
    DB_COUNT,
};

static const char *const db_files[DB_COUNT] = {
    "pathway-one-tx.db",
    "pathway-per-fact.db",
    "raw-one-tx.db",
    "raw-per-row.db",
};

struct results {
    double parse;
    double a_pathway;
    double a_raw;
    double verify;
    double b_pathway;
    double b_raw;
    long long size[DB_COUNT];
};

static bool
paths_free(char paths[DB_COUNT][PATH_MAX_LEN])
{
    for (int d = 0; d < DB_COUNT; d++) {
        struct stat st;
        if (stat(paths[d], &st) == 0) {
            fprintf(stderr, "bench_record: %s already exists: remove it or choose another --dir\n",
                    paths[d]);
            return false;
        }
    }
    return true;
}

static bool
run_all(const struct options *o, const struct pw_fact *facts, char paths[DB_COUNT][PATH_MAX_LEN],
        struct results *r)
{
    fprintf(stderr, "running A (pathway, one transaction, %zu facts)...\n", o->facts);
    if (!run_pathway_batch(paths[DB_PATHWAY_ONE], facts, o->facts, &r->a_pathway, &r->verify)) {
        return false;
    }
    fprintf(stderr, "running raw sqlite, one transaction...\n");
    if (!run_raw(paths[DB_RAW_ONE], facts, o->facts, true, &r->a_raw)) {
        return false;
    }
    fprintf(stderr, "running B (pathway, one transaction a fact, %zu facts)...\n", o->per_fact);
    if (!run_pathway_each(paths[DB_PATHWAY_EACH], facts, o->per_fact, &r->b_pathway)) {
        return false;
    }
    fprintf(stderr, "running raw sqlite, one transaction a row...\n");
    if (!run_raw(paths[DB_RAW_EACH], facts, o->per_fact, false, &r->b_raw)) {
        return false;
    }
    for (int d = 0; d < DB_COUNT; d++) {
        r->size[d] = db_size(paths[d]);
    }
    return true;
}

static void
print_mix(const struct gen *g, const struct pw_fact *facts)
{
    printf("facts: %zu (", g->made);
    for (int k = 0; k < K_COUNT; k++) {
        printf("%s%s %zu", k == 0 ? "" : ", ", kind_names[k], g->counts[k]);
    }
    printf(")\n");
    printf("canonical text: %.1f MiB, %zu bytes a fact on average\n",
           bench_mib((long long)canonical_bytes(facts, g->made)),
           canonical_bytes(facts, g->made) / g->made);
}

static void
print_line(const char *label, size_t n, double pathway, double raw)
{
    double p = rate(n, pathway);
    double q = rate(n, raw);
    printf("%-18s pathway %9.0f facts/s   raw sqlite %9.0f rows/s   ratio %6.2f (raw/pathway)\n",
           label, p, q, p > 0.0 ? q / p : 0.0);
    printf("%-18s (%zu facts: pathway %.3f s, raw %.3f s)\n", "", n, pathway, raw);
}

static void
print_results(const struct options *o, const struct results *r)
{
    print_line("one transaction:", o->facts, r->a_pathway, r->a_raw);
    print_line("one per fact:", o->per_fact, r->b_pathway, r->b_raw);
    if (o->per_fact < o->facts) {
        printf(
            "                   one per fact measured on the first %zu of %zu facts (--per-fact)\n",
            o->per_fact, o->facts);
    }
    printf("verify chain:      intact, %zu entries, %9.0f facts/s   (%.3f s)\n", o->facts,
           rate(o->facts, r->verify), r->verify);
    printf("database sizes:    pathway one tx %.1f MiB (%zu facts), per fact %.1f MiB (%zu)\n",
           bench_mib(r->size[DB_PATHWAY_ONE]), o->facts, bench_mib(r->size[DB_PATHWAY_EACH]),
           o->per_fact);
    printf("                   raw one tx %.1f MiB (%zu rows), per row %.1f MiB (%zu)\n",
           bench_mib(r->size[DB_RAW_ONE]), o->facts, bench_mib(r->size[DB_RAW_EACH]), o->per_fact);
}

/* Makes the directory and the four paths; *made says whether the directory is ours. */
static bool
prepare_dir(const struct options *o, char *dir, size_t dir_size, char paths[DB_COUNT][PATH_MAX_LEN],
            bool *made)
{
    *made = false;
    if (o->dir != NULL) {
        (void)snprintf(dir, dir_size, "%s", o->dir);
    } else {
        (void)snprintf(dir, dir_size, "/tmp/pathway-bench-XXXXXX");
        if (mkdtemp(dir) == NULL) {
            fprintf(stderr, "bench_record: could not make a directory in /tmp: %s\n",
                    strerror(errno));
            return false;
        }
        *made = true;
    }
    for (int d = 0; d < DB_COUNT; d++) {
        int w = snprintf(paths[d], PATH_MAX_LEN, "%s/%s", dir, db_files[d]);
        if (w < 0 || (size_t)w >= PATH_MAX_LEN) {
            fprintf(stderr, "bench_record: --dir is too long\n");
            return false;
        }
    }
    return true;
}

static void
cleanup_dir(const struct options *o, const char *dir, char paths[DB_COUNT][PATH_MAX_LEN], bool made)
{
    if (o->keep) {
        printf("databases kept in %s\n", dir);
        return;
    }
    for (int d = 0; d < DB_COUNT; d++) {
        bench_db_remove(paths[d], "bench_record");
    }
    if (made && rmdir(dir) != 0) {
        fprintf(stderr, "bench_record: could not remove %s: %s\n", dir, strerror(errno));
    }
}

/* SQLite (unless --no-sqlite), then PostgreSQL (with --pg). */
static bool
run_benchmarks(const struct options *o, const char *dir, const struct pw_fact *facts,
               char paths[DB_COUNT][PATH_MAX_LEN], struct results *r)
{
    if (o->no_sqlite) {
        printf("sqlite:            skipped (--no-sqlite)\n");
    } else if (run_all(o, facts, paths, r)) {
        print_results(o, r);
    } else {
        return false;
    }
    (void)fflush(stdout);
    if (o->pg_url == NULL) {
        printf(
            "postgresql:        skipped: to run it, give --pg postgresql://USER@HOST:PORT/postgres "
            "(an admin URL; the benchmark makes and drops its own databases), or run bench/pg.sh "
            "for a throwaway durable server\n");
        return true;
    }
    return run_pg(o, dir, facts);
}

int
main(int argc, char **argv)
{
    struct options o;
    struct gen g;
    struct results r = { 0 };
    char dir[PATH_MAX_LEN];
    char paths[DB_COUNT][PATH_MAX_LEN];
    bool made = false;
    int status = 1;
    int args = parse_args(argc, argv, &o);
    if (args != 0) {
        return args == 2 ? 0 : 2;
    }

    if (!prepare_dir(&o, dir, sizeof(dir), paths, &made)) {
        return 1;
    }
    if (!paths_free(paths)) {
        return 1;
    }
    gen_init(&g, o.facts, SEED, "");
    generate(&g);
    struct pw_fact *facts = xcalloc(o.facts, sizeof(struct pw_fact));
    if (!parse_all(g.lines, o.facts, facts, &r.parse)) {
        goto out;
    }
    print_mix(&g, facts);
    printf("parse+validate:    %9.0f facts/s   (%zu facts in %.3f s)\n", rate(o.facts, r.parse),
           o.facts, r.parse);
    /* The mix before the progress lines on stderr. */
    (void)fflush(stdout);
    status = run_benchmarks(&o, dir, facts, paths, &r) ? 0 : 1;
out:
    cleanup_dir(&o, dir, paths, made);
    for (size_t i = 0; i < o.facts; i++) {
        pw_fact_release(&facts[i]);
    }
    free(facts);
    gen_release(&g);
    return status;
}
