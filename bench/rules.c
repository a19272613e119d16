/*
 * bench/rules: what the safeguarding rules cost (issue #4). The median and 99th-percentile
 * time to record one fact with the rules evaluated, on a store of a synthetic population of
 * 1,000,000 people and their relationships, beside the same without the rules; and the time of
 * a full `pathway rules recheck` over that store.
 *
 * 1. It generates a population deterministically from a fixed-seed PRNG (core/rng.h): households
 *    of realistic shapes (two parents with 1 to 4 children, single parents, step-families with
 *    a parent_partner, grandparents living apart from their grandchildren, adults on their
 *    own), each person registered (names, dob, sex, often an NHS number), living at the
 *    household's address (a UPRN each) and related to the others (parent, sibling,
 *    parent_partner, grandparent). With safeguarding content for the rules to work on: about
 *    2% of the households with children have a concern.raised (1 to 3 indicators, half of them
 *    naming an adult of the household as alleged), half of those a referral.decided and, when
 *    the decision is a strategy discussion, most a strategy.held; about 1% of children have an
 *    indicator.observed on its own; about 0.5% of adults a risk.recorded (a conviction, sexual,
 *    against a child). Every fact goes through pw_fact_parse. The store is loaded without the
 *    rules attached, BATCH facts a pw_store_record call.
 * 2. Then the rules are attached and pw_rules_recheck runs twice: with apply (deriving every
 *    alert: a full `pathway rules recheck --apply`) and report-only (`pathway rules recheck`).
 * 3. Then 2 x K realistic new facts are recorded one a transaction (pw_store_record with n = 1),
 *    alternately with the rules attached and without (pw_store_set_hook(s, NULL)), so both see
 *    the same store, cache and WAL: indicator.observed (the most common), concern.raised naming
 *    an alleged adult, residence.recorded moving an adult (often one with a recorded risk) into
 *    a household with children, relationship.recorded, risk.recorded about an adult living with
 *    children. Each call is timed, wall-clock (the commit's fsync included) and in the thread's
 *    CPU time (the waits for the disk left out, which on a shared VM vary from run to run); the
 *    median, p90, p99 and maximum are printed overall and by type, with the rules and without.
 * 4. Peak RSS and the database's size; how long generating and loading took.
 *
 * Times are CLOCK_MONOTONIC around the call only (the fact is parsed before). The database is
 * --db (default /tmp/pw-bench-rules.db): made afresh and removed at the end, unless --keep,
 * which reuses a store an earlier --keep run generated (skipping generation) and leaves it.
 */
#ifndef _POSIX_C_SOURCE
# define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/rng.h"
#include "core/time.h"
#include "model/model.h"
#include "pathway/config.h"
#include "rules/rules.h"
#include "store/store.h"
#include "support/bench.h"

#define DEFAULT_PEOPLE ((size_t)1000000)
#define DEFAULT_FACTS  ((size_t)2000)
#define DEFAULT_DB     "/tmp/pw-bench-rules.db"
#define SEED           UINT64_C(0x5eed0f5afe6a4d01)
#define USER           "u-bench"
#define BATCH          ((size_t)5000)
#define PATH_MAX_LEN   4096
#define UPRN_BASE      ((size_t)100000000000)

/* ---- Small helpers ---- */

static void die(const char *fmt, ...) PW_PRINTF(1, 2);

static void
die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench_rules: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *
xcalloc(size_t count, size_t size)
{
    void *p = calloc(count == 0 ? 1 : count, size);
    if (p == NULL) {
        die("out of memory");
    }
    return p;
}

static void *
xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size == 0 ? 1 : size);
    if (q == NULL) {
        die("out of memory");
    }
    return q;
}

static size_t
below(struct pw_rng *r, size_t n)
{
    return (size_t)pw_rng_below(r, n);
}

static int
range(struct pw_rng *r, int lo, int hi)
{
    return (int)pw_rng_range(r, lo, hi);
}

#define PICK(r, arr) ((arr)[below((r), sizeof(arr) / sizeof((arr)[0]))])

/* A real date in [y0, y1] as "YYYY-MM-DD" (days 1-28 keep every month valid). */
static void
random_date(struct pw_rng *r, int y0, int y1, char out[11])
{
    int w = snprintf(out, 11, "%04d-%02d-%02d", range(r, y0, y1), range(r, 1, 12), range(r, 1, 28));
    PW_ASSERT(w == 10);
}

/* A valid NHS number: nine random digits and their modulus 11 check digit. */
static void
nhs_number(struct pw_rng *r, char out[11])
{
    for (;;) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            int d = range(r, i == 0 ? 4 : 0, 9);
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
/* Indicator codes of data/indicators.json. */
static const char *const codes[] = {
    "sexualised_behaviour_age_inappropriate",
    "self_harm",
    "soiling_wetting_regression",
    "fear_of_person",
    "running_away",
    "withdrawn",
    "nightmares_sleep_problems",
    "gifts_secrecy_grooming",
    "contact_with_known_risk",
    "sexual_knowledge_beyond_age",
    "sudden_change_in_behaviour",
    "reluctance_to_go_home",
    "says_has_secret",
    "sti",
};
static const char *const disclosures[] = { "none", "none", "partial", "behavioural", "verbal" };
static const char *const sources[] = { "school nurse", "class teacher", "health visitor", "GP" };
static const char *const registering[] = { "csc", "health", "education", "early_help" };
static const char *const observing[] = { "health", "education", "csc", "police" };
static const char *const risk_kinds[] = { "conviction", "caution", "allegation", "intelligence" };

/* ---- The population, as the benchmark remembers it ---- */

enum home_kind {
    H_COUPLE,
    H_SINGLE,
    H_STEP,
    H_GRANDPARENTS,
    H_ADULTS,
    H_COUNT
};

static const char *const home_kind_names[H_COUNT] = {
    "two parents", "single parent", "step-family", "grandparents", "adults only",
};

struct home {
    uint32_t first;   /* index of its first member */
    uint32_t concern; /* the number of a concern about its children, 0 for none */
    uint8_t size;
    uint8_t adults; /* members [0, adults) are adults, the rest children */
    uint8_t kind;
    char since[11]; /* when the adults moved in */
};

/* Fact types the benchmark makes, for counting. */
enum fact_type {
    T_PERSON,
    T_RELATIONSHIP,
    T_RESIDENCE,
    T_CONCERN,
    T_INDICATOR,
    T_RISK,
    T_REFERRAL,
    T_STRATEGY,
    T_COUNT,
};

static const char *const type_names[T_COUNT] = {
    "person.registered",  "relationship.recorded", "residence.recorded", "concern.raised",
    "indicator.observed", "risk.recorded",         "referral.decided",   "strategy.held",
};

/* A growing array of 32-bit indices. */
struct idx {
    uint32_t *v;
    size_t n, cap;
};

static void
idx_push(struct idx *a, size_t value)
{
    if (a->n == a->cap) {
        a->cap = a->cap == 0 ? 1024 : a->cap * 2;
        a->v = xrealloc(a->v, a->cap * sizeof(a->v[0]));
    }
    a->v[a->n++] = (uint32_t)value;
}

struct pop {
    struct pw_rng rng;
    size_t want;       /* people wanted */
    uint32_t *home_of; /* per person */
    size_t n_people;
    struct home *homes;
    size_t n_homes;
    struct idx children;
    struct idx adults;
    struct idx family_homes; /* homes with children */
    struct idx risky;        /* adults with a sexual risk recorded */
    size_t last_family;      /* the newest home with children, SIZE_MAX before any */
    size_t n_concerns;
    size_t n_episodes;
    size_t n_facts;
    size_t home_counts[H_COUNT];
    size_t type_counts[T_COUNT];
};

/* ---- Building and parsing facts ---- */

struct fact_text {
    char *buf;
    size_t len, cap;
};

static void add(struct fact_text *t, const char *fmt, ...) PW_PRINTF(2, 3);

/* Appends formatted text to the fact being built. */
static void
add(struct fact_text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int w = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (w < 0) {
            die("could not format a fact");
        }
        if ((size_t)w < t->cap - t->len) {
            t->len += (size_t)w;
            return;
        }
        t->cap = t->cap * 2 + (size_t)w;
        t->buf = xrealloc(t->buf, t->cap);
    }
}

static void
parse_text(const struct fact_text *t, struct pw_fact *out)
{
    struct pw_fact_parse_opts opts = { USER, 0 };
    struct pw_error err = { 0 };
    if (pw_fact_parse(t->buf, t->len, &opts, out, &err) != PW_OK) {
        die("a generated fact does not parse: %s%s%s\n  %s", err.field,
            err.field[0] != '\0' ? ": " : "", err.msg, t->buf);
    }
}

/* The facts of the load, recorded BATCH at a time (after a whole household). */
struct loader {
    struct pop *p;
    struct pw_store *s; /* NULL: only remember the population (--keep) */
    struct fact_text text;
    struct pw_fact *facts;
    size_t n, cap;
    size_t recorded;
    double record_s; /* inside pw_store_record */
};

/* Opens a fact of the load: the envelope, with `at` a day in 2023 or 2024. */
static void
begin(struct loader *l, enum fact_type type, const char *agency, const char *at)
{
    char day[11];
    if (at == NULL) {
        random_date(&l->p->rng, 2023, 2024, day);
        at = day;
    }
    l->text.len = 0;
    add(&l->text, "{\"type\":\"%s\",\"id\":\"g-%08zu\",\"at\":\"%s\",\"agency\":\"%s\"",
        type_names[type], l->p->n_facts + 1, at, agency);
}

static void
end(struct loader *l, enum fact_type type)
{
    add(&l->text, "}");
    l->p->n_facts++;
    l->p->type_counts[type]++;
    if (l->s == NULL) {
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap == 0 ? BATCH + 256 : l->cap * 2;
        l->facts = xrealloc(l->facts, l->cap * sizeof(l->facts[0]));
    }
    parse_text(&l->text, &l->facts[l->n++]);
}

static void
flush(struct loader *l)
{
    if (l->s == NULL || l->n == 0) {
        return;
    }
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    double t0 = bench_now_s();
    if (pw_store_record(l->s, l->facts, l->n, &out, &err) != PW_OK) {
        size_t bad = out.failed == SIZE_MAX ? 0 : out.failed;
        die("loading: pw_store_record refused fact %zu of a batch: %s%s%s\n  %s", bad + 1,
            err.field, err.field[0] != '\0' ? ": " : "", err.msg,
            bad < l->n ? l->facts[bad].canonical : "");
    }
    l->record_s += bench_now_s() - t0;
    l->recorded += out.recorded;
    for (size_t i = 0; i < l->n; i++) {
        pw_fact_release(&l->facts[i]);
    }
    l->n = 0;
}

/* ---- Generating the population ---- */

static void
person_registered(struct loader *l, size_t person, int y0, int y1, const char *family,
                  char dob_out[11])
{
    struct pw_rng *r = &l->p->rng;
    bool female = pw_rng_chance(r, 50);
    begin(l, T_PERSON, PICK(r, registering), NULL);
    add(&l->text,
        ",\"person\":\"p-%07zu\",\"names\":[{\"given\":\"%s\",\"family\":\"%s\",\"kind\":"
        "\"birth\"}]",
        person + 1, female ? PICK(r, given_f) : PICK(r, given_m), family);
    random_date(r, y0, y1, dob_out);
    if (pw_rng_chance(r, 95)) {
        add(&l->text, ",\"dob\":\"%s\"", dob_out);
    } else {
        add(&l->text, ",\"dob\":{\"year\":%.4s}", dob_out);
    }
    add(&l->text, ",\"sex\":\"%s\"", female ? "female" : "male");
    if (pw_rng_chance(r, 12)) {
        add(&l->text, ",\"language\":\"%s\"", PICK(r, languages));
    }
    if (pw_rng_chance(r, 60)) {
        char nhs[11];
        nhs_number(r, nhs);
        add(&l->text, ",\"identifiers\":{\"nhs\":\"%s\"}", nhs);
    }
    end(l, T_PERSON);
}

/* The address of home h, as a residence.recorded's `address`. */
static void
add_address(struct fact_text *t, size_t h)
{
    /* Derived from the index so every household has its own address, without the PRNG. */
    add(t,
        ",\"address\":{\"line1\":\"%zu %s\",\"town\":\"%s\",\"postcode\":\"%s%zu %zu%c%c\","
        "\"uprn\":\"%012zu\"}",
        h % 240 + 1, streets[(h / 240) % 10], towns[h % 7], outwards[h % 5], h % 29 + 1,
        (h / 29) % 9 + 1, (char)('A' + (h / 261) % 26), (char)('A' + (h / 6786) % 26),
        UPRN_BASE + h);
}

static void
residence(struct loader *l, size_t person, size_t h, const char *since)
{
    begin(l, T_RESIDENCE, PICK(&l->p->rng, registering), NULL);
    add(&l->text, ",\"person\":\"p-%07zu\"", person + 1);
    add_address(&l->text, h);
    add(&l->text, ",\"since\":\"%s\"", since);
    end(l, T_RESIDENCE);
}

static void
relationship(struct loader *l, size_t from, size_t to, const char *kind)
{
    begin(l, T_RELATIONSHIP, "csc", NULL);
    add(&l->text, ",\"from\":\"p-%07zu\",\"to\":\"p-%07zu\",\"kind\":\"%s\"", from + 1, to + 1,
        kind);
    end(l, T_RELATIONSHIP);
}

/* 1 to 3 different indicator codes, observed on day `at`. */
static void
add_indicators(struct fact_text *t, struct pw_rng *r, const char *at, int count)
{
    size_t first = below(r, sizeof(codes) / sizeof(codes[0]));
    add(t, ",\"indicators\":[");
    for (int i = 0; i < count; i++) {
        add(t, "%s{\"code\":\"%s\",\"observed_at\":\"%s\"}", i > 0 ? "," : "",
            codes[(first + (size_t)i * 5) % (sizeof(codes) / sizeof(codes[0]))], at);
    }
    add(t, "]");
}

static void
add_children(struct fact_text *t, const struct home *h)
{
    add(t, ",\"children\":[");
    for (size_t k = h->adults; k < h->size; k++) {
        add(t, "%s\"p-%07zu\"", k > h->adults ? "," : "", (size_t)h->first + k + 1);
    }
    add(t, "]");
}

/* A concern about the children of home h; perhaps a referral, a strategy discussion. */
static void
safeguarding(struct loader *l, size_t hi)
{
    struct pop *p = l->p;
    struct pw_rng *r = &p->rng;
    struct home *h = &p->homes[hi];
    char at[11];
    random_date(r, 2024, 2024, at);
    size_t concern = ++p->n_concerns;
    h->concern = (uint32_t)concern;

    begin(l, T_CONCERN, PICK(r, observing), at);
    add(&l->text, ",\"concern\":\"c-%07zu\"", concern);
    add_children(&l->text, h);
    if (pw_rng_chance(r, 50)) {
        /* In a step-family the mother's partner; else one of the parents. */
        size_t alleged = h->kind == H_STEP ? 1 : below(r, h->adults);
        add(&l->text, ",\"alleged\":[\"p-%07zu\"]", (size_t)h->first + alleged + 1);
    }
    add_indicators(&l->text, r, at, range(r, 1, 3));
    add(&l->text,
        ",\"disclosure\":{\"kind\":\"%s\"},\"narrative\":\"generated for the benchmark\","
        "\"source\":\"%s\"",
        PICK(r, disclosures), PICK(r, sources));
    end(l, T_CONCERN);

    if (!pw_rng_chance(r, 50)) {
        return;
    }
    size_t roll = below(r, 100);
    const char *decision = roll < 60   ? "strategy_discussion"
                           : roll < 85 ? "assessment"
                                       : "no_further_action";
    size_t episode = roll < 60 ? ++p->n_episodes : 0;
    begin(l, T_REFERRAL, "csc", at);
    add(&l->text,
        ",\"concern\":\"c-%07zu\",\"decision\":\"%s\",\"rationale\":\"generated for the "
        "benchmark\",\"decided_by\":\"u-team-manager\"",
        concern, decision);
    if (episode != 0) {
        add(&l->text, ",\"episode\":\"e-%07zu\"", episode);
    }
    end(l, T_REFERRAL);

    if (episode == 0 || !pw_rng_chance(r, 80)) {
        return;
    }
    begin(l, T_STRATEGY, "csc", at);
    add(&l->text, ",\"episode\":\"e-%07zu\"", episode);
    add_children(&l->text, h);
    add(&l->text,
        ",\"attendees\":[{\"agency\":\"csc\",\"role\":\"social worker\"},"
        "{\"agency\":\"police\",\"role\":\"detective constable\"},"
        "{\"agency\":\"health\",\"role\":\"paediatrician\",\"csa_expertise\":true}],"
        "\"s47\":true,\"joint_enquiry\":true,\"police_investigation\":%s,"
        "\"medical\":{\"decision\":\"arranged\"},"
        "\"actions\":[{\"action\":\"visit the children at school\",\"owner\":\"csc\","
        "\"due\":\"%s\"}]",
        pw_rng_chance(r, 50) ? "true" : "false", at);
    end(l, T_STRATEGY);
}

static void
risk(struct loader *l, size_t person)
{
    struct pw_rng *r = &l->p->rng;
    char date[11];
    random_date(r, 1995, 2020, date);
    begin(l, T_RISK, "probation", NULL);
    add(&l->text,
        ",\"person\":\"p-%07zu\",\"kind\":\"conviction\",\"sexual\":true,\"against\":"
        "\"child\",\"date\":\"%s\",\"managed_by\":\"probation\"",
        person + 1, date);
    if (pw_rng_chance(r, 50)) {
        add(&l->text, ",\"mappa\":{\"category\":1,\"level\":%d}", range(r, 1, 2));
    }
    add(&l->text, ",\"summary\":\"generated for the benchmark\"");
    end(l, T_RISK);
    idx_push(&l->p->risky, person);
}

static void
indicator(struct loader *l, size_t child)
{
    struct pw_rng *r = &l->p->rng;
    char at[11];
    random_date(r, 2023, 2024, at);
    begin(l, T_INDICATOR, PICK(r, observing), at);
    add(&l->text,
        ",\"child\":\"p-%07zu\",\"code\":\"%s\",\"observed_at\":\"%s\",\"note\":\"seen "
        "during a routine contact\"",
        child + 1, PICK(r, codes), at);
    end(l, T_INDICATOR);
}

/* One household: its people, where they live, how they are related, and any concern. */
static void
gen_home(struct loader *l)
{
    struct pop *p = l->p;
    struct pw_rng *r = &p->rng;
    size_t hi = p->n_homes++;
    struct home *h = &p->homes[hi];
    size_t roll = below(r, 100);
    enum home_kind kind = roll < 45   ? H_COUPLE
                          : roll < 63 ? H_SINGLE
                          : roll < 73 ? H_STEP
                          : roll < 83 ? H_GRANDPARENTS
                                      : H_ADULTS;
    if (kind == H_GRANDPARENTS && p->last_family == SIZE_MAX) {
        kind = H_ADULTS;
    }
    size_t children = 0;
    size_t adults = 2;
    size_t c = below(r, 10);
    switch (kind) {
    case H_COUPLE:
        children = c < 3 ? 1 : c < 7 ? 2 : c < 9 ? 3 : 4;
        break;
    case H_SINGLE:
        adults = 1;
        children = c < 5 ? 1 : c < 8 ? 2 : 3;
        break;
    case H_STEP:
        children = c < 5 ? 1 : c < 8 ? 2 : 3;
        break;
    case H_GRANDPARENTS:
        adults = pw_rng_chance(r, 70) ? 2 : 1;
        break;
    case H_ADULTS:
    case H_COUNT:
        adults = pw_rng_chance(r, 50) ? 2 : 1;
        break;
    }
    h->first = (uint32_t)p->n_people;
    h->adults = (uint8_t)adults;
    h->size = (uint8_t)(adults + children);
    h->kind = (uint8_t)kind;
    h->concern = 0;
    random_date(r, 2005, 2015, h->since);
    p->home_counts[kind]++;
    for (size_t k = 0; k < h->size; k++) {
        p->home_of[p->n_people++] = (uint32_t)hi;
    }
    if (children > 0) {
        idx_push(&p->family_homes, hi);
    }

    /* People: the adults (the elderly for grandparents), then the children. */
    const char *family = PICK(r, family_names);
    for (size_t k = 0; k < h->size; k++) {
        size_t person = h->first + k;
        char dob[11];
        const char *name = kind == H_STEP && k == 1 ? PICK(r, family_names) : family;
        if (k >= adults) {
            person_registered(l, person, 2008, 2022, name, dob);
            idx_push(&p->children, person);
        } else {
            person_registered(l, person, kind == H_GRANDPARENTS ? 1940 : 1968,
                              kind == H_GRANDPARENTS ? 1962 : 1998, name, dob);
            idx_push(&p->adults, person);
        }
        /* A child born after the family moved in lives there from birth. */
        residence(l, person, hi, k >= adults && strcmp(dob, h->since) > 0 ? dob : h->since);
    }

    /* Relationships. */
    size_t parents = kind == H_STEP ? 1 : adults; /* the step-parent is the mother's partner */
    for (size_t a = 0; children > 0 && a < parents; a++) {
        for (size_t k = adults; k < h->size; k++) {
            relationship(l, h->first + a, h->first + k, "parent");
        }
    }
    for (size_t i = adults; i < h->size; i++) {
        for (size_t j = i + 1; j < h->size; j++) {
            relationship(l, h->first + i, h->first + j,
                         kind == H_STEP && pw_rng_chance(r, 30) ? "half_sibling" : "sibling");
        }
    }
    if (kind == H_STEP) {
        relationship(l, h->first + 1, h->first, "parent_partner");
    }
    if (kind == H_GRANDPARENTS) {
        const struct home *f = &p->homes[p->last_family];
        for (size_t a = 0; a < adults; a++) {
            for (size_t k = f->adults; k < f->size; k++) {
                relationship(l, h->first + a, (size_t)f->first + k, "grandparent");
            }
        }
    }

    /* What the rules work on. */
    for (size_t a = 0; a < adults; a++) {
        if (kind != H_GRANDPARENTS && pw_rng_below(r, 1000) < 5) {
            risk(l, h->first + a);
        }
    }
    for (size_t k = adults; k < h->size; k++) {
        if (pw_rng_chance(r, 1)) {
            indicator(l, h->first + k);
        }
    }
    if (children > 0 && pw_rng_chance(r, 2)) {
        safeguarding(l, hi);
    }
    if (children > 0) {
        p->last_family = hi;
    }
}

static void
pop_init(struct pop *p, size_t want)
{
    memset(p, 0, sizeof(*p));
    pw_rng_seed(&p->rng, SEED);
    p->want = want;
    p->home_of = xcalloc(want + 8, sizeof(p->home_of[0]));
    p->homes = xcalloc(want + 1, sizeof(p->homes[0]));
    p->last_family = SIZE_MAX;
}

static void
pop_release(struct pop *p)
{
    free(p->home_of);
    free(p->homes);
    free(p->children.v);
    free(p->adults.v);
    free(p->family_homes.v);
    free(p->risky.v);
    memset(p, 0, sizeof(*p));
}

/*
 * Generates the population; records it into s unless s is NULL. Returns the seconds spent
 * inside pw_store_record.
 */
static double
generate(struct pop *p, struct pw_store *s)
{
    struct loader l = { .p = p, .s = s };
    l.text.cap = 4096;
    l.text.buf = xcalloc(l.text.cap, 1);
    size_t next_progress = 100000;
    double t0 = bench_now_s();
    /* A household is at most 6 people: the last one may overshoot by 5. */
    while (p->n_people < p->want) {
        gen_home(&l);
        if (l.n >= BATCH) {
            flush(&l);
        }
        if (s != NULL && p->n_people >= next_progress) {
            fprintf(stderr, "  %zu people, %zu facts, %.0f s\n", p->n_people, p->n_facts,
                    bench_now_s() - t0);
            next_progress += 100000;
        }
    }
    flush(&l);
    free(l.facts);
    free(l.text.buf);
    return l.record_s;
}

/* ---- Reporting ---- */

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* The pct-th percentile (nearest rank) of sorted v[0..n). */
static double
percentile(const double *v, size_t n, size_t pct)
{
    if (n == 0) {
        return 0.0;
    }
    size_t rank = (n * pct + 99) / 100;
    return v[rank == 0 ? 0 : rank - 1];
}

static long long
file_size(const char *path, const char *suffix)
{
    char p[PATH_MAX_LEN];
    struct stat st;
    int w = snprintf(p, sizeof(p), "%s%s", path, suffix);
    if (w < 0 || (size_t)w >= sizeof(p) || stat(p, &st) != 0) {
        return 0;
    }
    return (long long)st.st_size;
}

static long
peak_rss_kib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) {
        return 0;
    }
    return ru.ru_maxrss; /* KiB on Linux */
}

/* ---- The timed facts ---- */

enum move_kind {
    M_INDICATOR,
    M_CONCERN,
    M_MOVE,
    M_RELATIONSHIP,
    M_RISK,
    M_COUNT
};

static const char *const move_names[M_COUNT] = {
    "indicator.observed",    "concern.raised", "residence.recorded (move)",
    "relationship.recorded", "risk.recorded",
};
/* Percent of the timed facts of each kind, in enum order. */
static const unsigned move_weights[M_COUNT] = { 45, 15, 15, 15, 10 };

/* Times of the calls, in milliseconds: [0] wall-clock, [1] the thread's CPU time. */
struct timings {
    double *ms[M_COUNT][2];
    size_t n[M_COUNT];
    size_t refused[M_COUNT];
    double *all[2];
    size_t n_all;
};

static void
timings_init(struct timings *t, size_t k)
{
    memset(t, 0, sizeof(*t));
    for (int c = 0; c < 2; c++) {
        for (int i = 0; i < M_COUNT; i++) {
            t->ms[i][c] = xcalloc(k, sizeof(double));
        }
        t->all[c] = xcalloc(k, sizeof(double));
    }
}

static void
timings_release(struct timings *t)
{
    for (int c = 0; c < 2; c++) {
        for (int i = 0; i < M_COUNT; i++) {
            free(t->ms[i][c]);
        }
        free(t->all[c]);
    }
}

/* What makes the timed facts: the population, a PRNG of its own, an id stamp for this run. */
struct mover {
    struct pop *p;
    struct pw_rng rng;
    char stamp[24]; /* ids are t<stamp>-<n>: unique across --keep runs */
    size_t made;
    struct fact_text text;
};

static size_t
random_family(struct mover *m)
{
    return m->p->family_homes.v[below(&m->rng, m->p->family_homes.n)];
}

static size_t
home_adult(struct mover *m, size_t hi)
{
    const struct home *h = &m->p->homes[hi];
    return (size_t)h->first + below(&m->rng, h->adults);
}

static size_t
home_child(struct mover *m, size_t hi)
{
    const struct home *h = &m->p->homes[hi];
    return (size_t)h->first + h->adults + below(&m->rng, (size_t)(h->size - h->adults));
}

/* An adult: one with a recorded risk pct percent of the time (when there are any). */
static size_t
some_adult(struct mover *m, unsigned pct)
{
    const struct pop *p = m->p;
    if (p->risky.n > 0 && pw_rng_chance(&m->rng, pct)) {
        return p->risky.v[below(&m->rng, p->risky.n)];
    }
    return p->adults.v[below(&m->rng, p->adults.n)];
}

static enum move_kind
pick_move(struct pw_rng *r)
{
    size_t roll = below(r, 100);
    size_t sum = 0;
    for (int k = 0; k < M_COUNT; k++) {
        sum += move_weights[k];
        if (roll < sum) {
            return (enum move_kind)k;
        }
    }
    return M_INDICATOR;
}

/* Builds the next timed fact into m->text; returns its kind. */
static enum move_kind
make_move(struct mover *m)
{
    struct pw_rng *r = &m->rng;
    struct fact_text *t = &m->text;
    enum move_kind kind = pick_move(r);
    static const char *const agencies[M_COUNT] = {
        "education", "health", "csc", "csc", "police",
    };
    char at[11];
    random_date(r, 2025, 2025, at);
    size_t n = ++m->made;
    t->len = 0;
    add(t, "{\"id\":\"t%s-%06zu\",\"at\":\"%s\",\"agency\":\"%s\"", m->stamp, n, at,
        agencies[kind]);
    size_t hi = random_family(m);
    switch (kind) {
    case M_INDICATOR: {
        size_t child = home_child(m, hi);
        const struct home *h = &m->p->homes[hi];
        add(t,
            ",\"type\":\"indicator.observed\",\"child\":\"p-%07zu\",\"code\":\"%s\","
            "\"observed_at\":\"%s\",\"note\":\"seen at school\"",
            child + 1, PICK(r, codes), at);
        if (h->concern != 0 && pw_rng_chance(r, 50)) {
            add(t, ",\"concern\":\"c-%07zu\"", (size_t)h->concern);
        }
        break;
    }
    case M_CONCERN: {
        /* An adult of the household, or (a third of the time) someone from elsewhere. */
        size_t alleged = pw_rng_chance(r, 67) ? home_adult(m, hi) : some_adult(m, 50);
        add(t, ",\"type\":\"concern.raised\",\"concern\":\"tc%s-%06zu\"", m->stamp, n);
        add_children(t, &m->p->homes[hi]);
        add(t, ",\"alleged\":[\"p-%07zu\"]", alleged + 1);
        add_indicators(t, r, at, range(r, 1, 2));
        add(t,
            ",\"disclosure\":{\"kind\":\"%s\"},\"narrative\":\"raised during the benchmark\","
            "\"source\":\"%s\"",
            PICK(r, disclosures), PICK(r, sources));
        break;
    }
    case M_MOVE: {
        size_t adult = some_adult(m, 40);
        add(t, ",\"type\":\"residence.recorded\",\"person\":\"p-%07zu\"", adult + 1);
        add_address(t, hi);
        add(t, ",\"since\":\"%s\"", at);
        break;
    }
    case M_RELATIONSHIP: {
        size_t roll = below(r, 100);
        if (roll < 50) {
            /* A new partner of one of the parents (never the parent themself). */
            size_t partner = some_adult(m, 30);
            if (partner == m->p->homes[hi].first) {
                partner = m->p->adults.v[0] == partner ? m->p->adults.v[1] : m->p->adults.v[0];
            }
            add(t,
                ",\"type\":\"relationship.recorded\",\"from\":\"p-%07zu\",\"to\":\"p-%07zu\","
                "\"kind\":\"parent_partner\",\"since\":\"%s\"",
                partner + 1, (size_t)m->p->homes[hi].first + 1, at);
        } else {
            size_t adult = some_adult(m, 30);
            add(t,
                ",\"type\":\"relationship.recorded\",\"from\":\"p-%07zu\",\"to\":\"p-%07zu\","
                "\"kind\":\"%s\",\"since\":\"%s\"",
                adult + 1, home_child(m, hi) + 1, roll < 75 ? "babysitter" : "regular_contact", at);
        }
        break;
    }
    case M_RISK:
    case M_COUNT: {
        kind = M_RISK;
        add(t,
            ",\"type\":\"risk.recorded\",\"person\":\"p-%07zu\",\"kind\":\"%s\","
            "\"sexual\":true,\"against\":\"child\",\"date\":\"%s\",\"managed_by\":\"police\"",
            home_adult(m, hi) + 1, PICK(r, risk_kinds), at);
        break;
    }
    }
    add(t, "}");
    return kind;
}

static double
cpu_s(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Records one fact in its own transaction; adds its times to t. False on an error. */
static bool
record_one(struct pw_store *s, const struct pw_fact *f, enum move_kind kind, struct timings *t)
{
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    double c0 = cpu_s();
    double t0 = bench_now_s();
    enum pw_status rc = pw_store_record(s, f, 1, &out, &err);
    double ms = (bench_now_s() - t0) * 1000.0;
    double cpu = (cpu_s() - c0) * 1000.0;
    if (rc == PW_EBLOCKED) {
        /* A rule refused it: that is the rules working; counted, not timed. */
        t->refused[kind]++;
        return true;
    }
    if (rc != PW_OK || out.recorded != 1) {
        fprintf(stderr, "bench_rules: recording a %s failed: %s%s%s\n  %s\n", move_names[kind],
                err.field, err.field[0] != '\0' ? ": " : "", err.msg, f->canonical);
        return false;
    }
    t->ms[kind][0][t->n[kind]] = ms;
    t->ms[kind][1][t->n[kind]++] = cpu;
    t->all[0][t->n_all] = ms;
    t->all[1][t->n_all++] = cpu;
    return true;
}

static void
print_row(const char *label, const char *what, double *const v[2], size_t n, size_t refused)
{
    if (n == 0) {
        printf("  %-14s %-26s %6zu\n", label, what, n);
        return;
    }
    qsort(v[0], n, sizeof(double), cmp_double);
    qsort(v[1], n, sizeof(double), cmp_double);
    printf("  %-14s %-26s %6zu %8.3f %8.3f %8.3f %8.3f  %8.3f %8.3f", label, what, n,
           percentile(v[0], n, 50), percentile(v[0], n, 90), percentile(v[0], n, 99), v[0][n - 1],
           percentile(v[1], n, 50), percentile(v[1], n, 99));
    if (refused > 0) {
        printf("   (%zu refused by a rule, not timed)", refused);
    }
    printf("\n");
}

static void
print_timings(const char *label, struct timings *t)
{
    size_t refused = 0;
    for (int k = 0; k < M_COUNT; k++) {
        refused += t->refused[k];
    }
    print_row(label, "all", t->all, t->n_all, refused);
    for (int k = 0; k < M_COUNT; k++) {
        print_row("", move_names[k], t->ms[k], t->n[k], t->refused[k]);
    }
}

/*
 * 2 x k facts, one a transaction, alternately with the rules attached and without, so that
 * both halves see the same store, page cache and WAL.
 */
static bool
run_facts(struct pop *p, struct pw_store *s, struct pw_rules *rules, size_t k, struct timings *with,
          struct timings *without)
{
    struct mover m = { .p = p };
    if (p->family_homes.n == 0 || p->adults.n < 2) {
        fprintf(stderr, "bench_rules: the population has no household with children\n");
        return false;
    }
    pw_rng_seed(&m.rng, SEED ^ UINT64_C(0x7157));
    /* Microseconds: two --keep runs within one second must not reuse ids. */
    (void)snprintf(m.stamp, sizeof(m.stamp), "%lld", (long long)pw_time_now_us());
    m.text.cap = 4096;
    m.text.buf = xcalloc(m.text.cap, 1);
    bool ok = true;
    double t0 = bench_now_s();
    for (size_t i = 0; ok && i < 2 * k; i++) {
        bool rules_on = i % 2 == 0;
        enum move_kind kind = make_move(&m);
        struct pw_fact f;
        parse_text(&m.text, &f);
        if (rules_on) {
            pw_rules_attach(rules, s);
        } else {
            pw_store_set_hook(s, NULL);
        }
        ok = record_one(s, &f, kind, rules_on ? with : without);
        pw_fact_release(&f);
        if ((i + 1) % 1000 == 0) {
            fprintf(stderr, "  %zu facts, %.0f s\n", i + 1, bench_now_s() - t0);
        }
    }
    pw_rules_attach(rules, s);
    free(m.text.buf);
    return ok;
}

/* ---- Command line ---- */

struct options {
    size_t people;
    size_t facts;
    const char *db;
    bool keep;
    bool recheck; /* false with --no-recheck: only the facts are timed (for profiling them) */
};

static bool
parse_count(const char *s, size_t *out)
{
    char *endp = NULL;
    errno = 0;
    long long v = strtoll(s, &endp, 10);
    if (errno != 0 || endp == s || *endp != '\0' || v <= 0 || v > INT32_MAX) {
        return false;
    }
    *out = (size_t)v;
    return true;
}

static void
usage(FILE *to)
{
    fprintf(to,
            "usage: bench_rules [--people N] [--facts K] [--db PATH] [--keep] [--no-recheck]\n"
            "  --people N  the population to generate (default %zu)\n"
            "  --facts K   facts recorded one a transaction with the rules, and K more\n"
            "              without (default %zu)\n"
            "  --db PATH   the SQLite database (default %s)\n"
            "  --keep      reuse the store at PATH when it exists (made by an earlier --keep\n"
            "              run with the same --people), skipping generation, and leave it\n"
            "              there at the end (by default it is made afresh and removed)\n"
            "  --no-recheck  skip the two rechecks (to profile recording alone)\n",
            DEFAULT_PEOPLE, DEFAULT_FACTS, DEFAULT_DB);
}

/* 0 to run, 1 on a bad command line, 2 after --help. */
static int
parse_args(int argc, char **argv, struct options *o)
{
    o->people = DEFAULT_PEOPLE;
    o->facts = DEFAULT_FACTS;
    o->db = DEFAULT_DB;
    o->keep = false;
    o->recheck = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 2;
        } else if (strcmp(a, "--keep") == 0) {
            o->keep = true;
        } else if (strcmp(a, "--no-recheck") == 0) {
            o->recheck = false;
        } else if (strcmp(a, "--people") == 0 && has_value) {
            if (!parse_count(argv[++i], &o->people) || o->people < 10) {
                fprintf(stderr, "bench_rules: --people needs a number from 10\n");
                return 1;
            }
        } else if (strcmp(a, "--facts") == 0 && has_value) {
            if (!parse_count(argv[++i], &o->facts)) {
                fprintf(stderr, "bench_rules: --facts needs a positive number\n");
                return 1;
            }
        } else if (strcmp(a, "--db") == 0 && has_value) {
            o->db = argv[++i];
        } else {
            fprintf(stderr, "bench_rules: unknown or incomplete option %s\n", a);
            usage(stderr);
            return 1;
        }
    }
    if (pw_store_is_postgres(o->db)) {
        fprintf(stderr, "bench_rules: --db is a SQLite file\n");
        return 1;
    }
    return 0;
}

/* ---- The run ---- */

static void
print_population(const struct pop *p)
{
    printf("population: %zu people in %zu households (", p->n_people, p->n_homes);
    for (int k = 0; k < H_COUNT; k++) {
        printf("%s%s %zu", k > 0 ? ", " : "", home_kind_names[k], p->home_counts[k]);
    }
    printf(")\n            %zu children, %zu adults, %zu with a sexual risk recorded, "
           "%zu concerns, %zu episodes\n",
           p->children.n, p->adults.n, p->risky.n, p->n_concerns, p->n_episodes);
    printf("facts:      %zu (", p->n_facts);
    for (int k = 0; k < T_COUNT; k++) {
        printf("%s%s %zu", k > 0 ? ", " : "", type_names[k], p->type_counts[k]);
    }
    printf(")\n");
}

/* Opens the store, generating and loading the population unless --keep finds it there. */
static bool
open_and_load(const struct options *o, struct pop *p, struct pw_store **s)
{
    struct pw_error err = { 0 };
    struct stat st;
    bool reuse = o->keep && stat(o->db, &st) == 0;
    if (!reuse) {
        bench_db_remove(o->db, "bench_rules");
    }
    if (pw_store_open(o->db, reuse ? 0 : PW_STORE_CREATE | PW_STORE_NEW, s, &err) != PW_OK) {
        fprintf(stderr, "bench_rules: could not open %s: %s\n", o->db, err.msg);
        return false;
    }
    double t0 = bench_now_s();
    if (reuse) {
        (void)generate(p, NULL);
        char last[32];
        bool exists = false;
        (void)snprintf(last, sizeof(last), "p-%07zu", p->n_people);
        if (pw_store_person_exists(*s, last, &exists, &err) != PW_OK || !exists) {
            fprintf(stderr,
                    "bench_rules: %s does not hold the population of --people %zu (no %s); "
                    "run without --keep, or remove it\n",
                    o->db, o->people, last);
            return false;
        }
        print_population(p);
        printf("load:       reused %s (generation skipped; the population remembered in "
               "%.1f s)\n",
               o->db, bench_now_s() - t0);
        return true;
    }
    fprintf(stderr, "generating and loading %zu people into %s...\n", o->people, o->db);
    double record_s = generate(p, *s);
    double total = bench_now_s() - t0;
    print_population(p);
    printf("load:       %.1f s, %.0f facts/s (inside pw_store_record %.1f s; generating and "
           "parsing %.1f s),\n            %zu facts a transaction, rules not attached\n",
           total, total > 0.0 ? (double)p->n_facts / total : 0.0, record_s, total - record_s,
           BATCH);
    return true;
}

static bool
recheck(struct pw_rules *rules, struct pw_store *s, bool apply)
{
    struct pw_error err = { 0 };
    struct pw_recheck_result res;
    fprintf(stderr, "recheck%s...\n", apply ? " --apply" : "");
    double t0 = bench_now_s();
    if (pw_rules_recheck(rules, s, apply, NULL, NULL, &res, &err) != PW_OK) {
        fprintf(stderr, "bench_rules: recheck%s failed: %s\n", apply ? " --apply" : "", err.msg);
        return false;
    }
    double secs = bench_now_s() - t0;
    printf("%-18s %8.2f s   people evaluated %zu, alerts derived %zu, differences %zu%s\n",
           apply ? "recheck --apply:" : "recheck (report):", secs, res.people, res.alerts,
           res.differences, apply ? " (mended)" : "");
    (void)fflush(stdout);
    return true;
}

int
main(int argc, char **argv)
{
    struct options o;
    struct pop p;
    struct pw_store *s = NULL;
    struct pw_rules *rules = NULL;
    struct pw_config config;
    struct timings with;
    struct timings without;
    int status = 1;
    long long db = 0;
    long long wal = 0;
    int args = parse_args(argc, argv, &o);
    if (args != 0) {
        return args == 2 ? 0 : 2;
    }
    pop_init(&p, o.people);
    timings_init(&with, o.facts);
    timings_init(&without, o.facts);
    double t_start = bench_now_s();
    if (!open_and_load(&o, &p, &s)) {
        goto out;
    }
    (void)fflush(stdout);

    pw_config_defaults(&config);
    rules = pw_rules_new(&config);
    pw_rules_attach(rules, s);
    if (o.recheck && (!recheck(rules, s, true) || !recheck(rules, s, false))) {
        goto out;
    }
    (void)fflush(stdout);

    fprintf(stderr, "recording 2 x %zu facts, one a transaction...\n", o.facts);
    if (!run_facts(&p, s, rules, o.facts, &with, &without)) {
        goto out;
    }
    printf("record one fact, one transaction each, alternately with the rules and without (ms:\n"
           "wall-clock with the commit's fsync; then the call's CPU time, without the waits):\n");
    printf("  %-14s %-26s %6s %8s %8s %8s %8s  %8s %8s\n", "", "", "count", "median", "p90", "p99",
           "max", "cpu med", "cpu p99");
    print_timings("with rules", &with);
    print_timings("without rules", &without);
    struct pw_rules_counts counts;
    pw_rules_counts(rules, &counts);
    if (counts.facts > 0) {
        printf("cases judged:      %.2f a fact (and %.2f people reached but left alone: adults "
               "by then, holding no alert)\n",
               (double)counts.judged / (double)counts.facts,
               (double)counts.skipped / (double)counts.facts);
    }
    printf("peak RSS:          %.1f MiB\n", (double)peak_rss_kib() / 1024.0);
    db = file_size(o.db, "");
    wal = file_size(o.db, "-wal");
    printf("database:          %.1f MiB (%s, and %.1f MiB of WAL)\n", bench_mib(db), o.db,
           bench_mib(wal));
    printf("total:             %.1f s\n", bench_now_s() - t_start);
    status = 0;
out:
    pw_store_close(s);
    pw_rules_free(rules);
    if (!o.keep) {
        bench_db_remove(o.db, "bench_rules");
    }
    timings_release(&with);
    timings_release(&without);
    pop_release(&p);
    return status;
}
