/*
 * bench/record: how many facts a second Pathway records, beside what SQLite itself manages for
 * the same rows, so the cost of the store (checks, hash chain, projections) can be read as a
 * ratio rather than guessed at.
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
 * Times are CLOCK_MONOTONIC around the work only (opening and creating the schema excluded).
 * The databases go in a fresh directory under /tmp (or --dir) and are removed at the end
 * unless --keep is given.
 */
#ifndef _POSIX_C_SOURCE
# define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
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
    size_t n;     /* facts wanted */
    size_t made;  /* facts generated */
    char **lines; /* n generated JSON lines, owned */
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
    add(g, "{\"type\":\"%s\",\"id\":\"f-%06zu\",\"at\":\"%s\",\"agency\":\"%s\"", kind_names[kind],
        g->made + 1, g->at, agency);
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
        ",\"person\":\"p-%06zu\",\"names\":"
        "[{\"given\":\"%s\",\"family\":\"%s\",\"kind\":\"birth\"}",
        idx + 1, p->female ? PICK(r, given_f) : PICK(r, given_m), h->family);
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
    add(g, ",\"from\":\"p-%06zu\",\"to\":\"p-%06zu\",\"kind\":\"%s\"", from + 1, to + 1, kind);
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
        ",\"person\":\"p-%06zu\",\"address\":{\"line1\":\"%s\",\"town\":\"%s\",\"postcode\":\"%s\"}"
        ",\"since\":\"%s\"",
        idx + 1, h->line1, h->town, h->postcode, h->since);
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
        ",\"person\":\"p-%06zu\",\"kind\":\"%s\",\"sexual\":%s,"
        "\"against\":\"child\",\"date\":\"%s\"",
        who + 1, kind, pw_rng_chance(r, 70) ? "true" : "false", date);
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
    add(g, ",\"child\":\"p-%06zu\",\"code\":\"%s\",\"observed_at\":\"%s\",\"note\":\"%s\"",
        child + 1, PICK(r, codes), g->at, "seen during a routine contact");
    if (g->people[child].concern != 0) {
        add(g, ",\"concern\":\"c-%06zu\"", g->people[child].concern);
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
    add(g, ",\"concern\":\"c-%06zu\",\"children\":[\"p-%06zu\"", id, child + 1);
    /* A registered brother or sister in the same household, when there is one. */
    for (size_t k = h->adults; k < h->registered; k++) {
        size_t other = h->first + k;
        if (other != child) {
            add(g, ",\"p-%06zu\"", other + 1);
            g->people[other].concern = id;
            break;
        }
    }
    add(g, "]");
    if (h->registered > 0 && g->people[h->first].adult && pw_rng_chance(r, 50)) {
        add(g, ",\"alleged\":[\"p-%06zu\"]", h->first + 1);
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
gen_init(struct gen *g, size_t n)
{
    memset(g, 0, sizeof(*g));
    pw_rng_seed(&g->rng, SEED);
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
now_s(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

static double
mib(long long bytes)
{
    return (double)bytes / (1024.0 * 1024.0);
}

/* Removes a database and the files SQLite keeps beside it. */
static void
db_remove(const char *path)
{
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        char p[PATH_MAX_LEN];
        int w = snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
        if (w < 0 || (size_t)w >= sizeof(p)) {
            continue;
        }
        if (unlink(p) != 0 && errno != ENOENT) {
            fprintf(stderr, "bench_record: could not remove %s: %s\n", p, strerror(errno));
        }
    }
}

/* ---- Parsing ---- */

static bool
parse_all(char *const *lines, size_t n, struct pw_fact *facts, double *seconds)
{
    struct pw_fact_parse_opts opts = { USER, pw_time_now_us() };
    double t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        struct pw_error err = { 0 };
        if (pw_fact_parse(lines[i], strlen(lines[i]), &opts, &facts[i], &err) != PW_OK) {
            fprintf(stderr, "bench_record: generated fact %zu does not parse: %s%s%s\n  %s\n",
                    i + 1, err.field, err.field[0] != '\0' ? ": " : "", err.msg, lines[i]);
            return false;
        }
    }
    *seconds = now_s() - t0;
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
        fprintf(stderr, "bench_record: could not open %s: %s\n", path, err.msg);
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
    double t0 = now_s();
    if (pw_store_record(s, facts, n, &out, &err) != PW_OK) {
        (void)record_failed(&err, &out);
        goto out;
    }
    *seconds = now_s() - t0;
    if (out.recorded != n) {
        fprintf(stderr, "bench_record: recorded %zu of %zu facts\n", out.recorded, n);
        goto out;
    }
    t0 = now_s();
    if (pw_store_verify(s, 0, NULL, &vr, &err) != PW_OK) {
        fprintf(stderr, "bench_record: pw_store_verify failed: %s\n", err.msg);
        goto out;
    }
    *verify_seconds = now_s() - t0;
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
    double t0 = now_s();
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
    *seconds = now_s() - t0;
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
    t0 = now_s();
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
    *seconds = now_s() - t0;
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
            "usage: bench_record [--facts N] [--per-fact N] [--dir DIR] [--keep]\n"
            "  --facts N     facts to generate (default %zu)\n"
            "  --per-fact N  record only the first N one transaction a fact (default all)\n"
            "  --dir DIR     where the databases go (default a fresh directory in /tmp)\n"
            "  --keep        leave the databases there\n",
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
        } else {
            fprintf(stderr, "bench_record: unknown or incomplete option %s\n", a);
            usage(stderr);
            return 1;
        }
    }
    if (o->per_fact > o->facts) {
        o->per_fact = o->facts;
    }
    return 0;
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
           mib((long long)canonical_bytes(facts, g->made)),
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
    printf("parse+validate:    %9.0f facts/s   (%zu facts in %.3f s)\n", rate(o->facts, r->parse),
           o->facts, r->parse);
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
           mib(r->size[DB_PATHWAY_ONE]), o->facts, mib(r->size[DB_PATHWAY_EACH]), o->per_fact);
    printf("                   raw one tx %.1f MiB (%zu rows), per row %.1f MiB (%zu)\n",
           mib(r->size[DB_RAW_ONE]), o->facts, mib(r->size[DB_RAW_EACH]), o->per_fact);
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
        db_remove(paths[d]);
    }
    if (made && rmdir(dir) != 0) {
        fprintf(stderr, "bench_record: could not remove %s: %s\n", dir, strerror(errno));
    }
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
    gen_init(&g, o.facts);
    generate(&g);
    struct pw_fact *facts = xcalloc(o.facts, sizeof(struct pw_fact));
    if (!parse_all(g.lines, o.facts, facts, &r.parse)) {
        goto out;
    }
    print_mix(&g, facts);
    /* The mix before the progress lines on stderr. */
    (void)fflush(stdout);
    if (run_all(&o, facts, paths, &r)) {
        print_results(&o, &r);
        status = 0;
    }
out:
    cleanup_dir(&o, dir, paths, made);
    for (size_t i = 0; i < o.facts; i++) {
        pw_fact_release(&facts[i]);
    }
    free(facts);
    gen_release(&g);
    return status;
}
