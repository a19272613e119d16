/*
 * The synthetic partnership generator. First the population: households of one of four
 * shapes (two parents, a single parent, a step-family whose new partner moved in later, three
 * generations), older siblings, grandparents and family friends living elsewhere, each person
 * with a heritage, names from its pools, sex, date of birth, address and school. Then who each
 * agency knows, each with its own record ids; then each record written in the agency's format
 * with errors drawn at the documented rates from a generator seeded by the record alone, so a
 * record's errors do not depend on the order of writing. Last, the histories of the families
 * children's social care works with: relationships, sexual-offence histories, signs across
 * agencies, referrals, strategy discussions, investigations with bail, plans.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/rng.h"
#include "core/time.h"
#include "feed/feed.h"
#include "synth/synth_int.h"

#define NONE UINT32_MAX

enum role {
    R_CHILD,
    R_MOTHER,
    R_FATHER,
    R_PARTNER,
    R_GRANDPARENT,
    R_OLDER_SIB,
    R_FRIEND
};

struct address {
    uint32_t town;
    uint32_t street;
    uint32_t number;
    char postcode[9];
};

struct person {
    uint32_t household;
    uint32_t heritage;
    enum role role;
    bool female;
    bool offender;
    bool sexual;
    const char *given; /* pool entry: "Name" or "Name|Short" */
    const char *middle;
    const char *family;
    const char *birth_family;
    int32_t dob;
    uint32_t addr;
    uint32_t prev_addr; /* NONE unless they moved */
    int32_t since;      /* at the current address from */
    uint32_t school;    /* NONE unless at school */
    uint32_t rec[PW_SYNTH_AGENCIES];
};

struct household {
    uint32_t first, count; /* people[first .. first+count) live here */
    bool concern;
    uint32_t partner;     /* a step-family's new partner, NONE otherwise */
    uint32_t friend;      /* a family friend or babysitter elsewhere, NONE when none */
    uint32_t grandparent; /* a grandparent elsewhere */
};

struct gen {
    const struct pw_synth_opts *o;
    struct pw_rng rng;
    struct person *people;
    size_t npeople, cap_people;
    struct household *hh;
    size_t nhh, cap_hh;
    struct address *addrs;
    size_t naddrs, cap_addrs;
    uint32_t counters[PW_SYNTH_AGENCIES];
    struct pw_synth_stats st;
    size_t nstreets;
};

static const char *const agency_names[] = { "csc", "police", "health", "education", "probation" };

const char *
pw_synth_agency_name(enum pw_synth_agency a)
{
    return (unsigned)a < PW_SYNTH_AGENCIES ? agency_names[a] : NULL;
}

/* ---- Drawing ---- */

static uint32_t
below(struct pw_rng *r, size_t n)
{
    return (uint32_t)pw_rng_below(r, n);
}

/* True with probability pct percent, scaled by the error rate when scaled. */
static bool
chance(struct pw_rng *r, double pct)
{
    return (double)pw_rng_below(r, 1000000) < pct * 10000.0;
}

static bool
error_chance(const struct gen *g, struct pw_rng *r, double pct)
{
    return chance(r, pct * g->o->error_rate);
}

static const char *
pick(struct pw_rng *r, const char *const *list)
{
    return list[below(r, pw__synth_count(list))];
}

static uint32_t
pick_heritage(struct pw_rng *r)
{
    uint32_t x = below(r, 100);
    for (size_t i = 0; i < pw__heritage_count; i++) {
        if (x < pw__heritages[i].weight) {
            return (uint32_t)i;
        }
        x -= pw__heritages[i].weight;
    }
    return 0;
}

static uint32_t
new_address(struct gen *g, uint32_t town)
{
    static const char letters[] = "ABDEFGHJLNPQRSTUWXYZ";
    if (g->naddrs == g->cap_addrs) {
        g->cap_addrs = g->cap_addrs == 0 ? 1024 : pw_mul_size(g->cap_addrs, 2);
        g->addrs = pw_xrealloc(g->addrs, pw_mul_size(g->cap_addrs, sizeof(*g->addrs)));
    }
    struct address *a = &g->addrs[g->naddrs];
    a->town = town;
    a->street = below(&g->rng, g->nstreets);
    a->number = 1 + below(&g->rng, 180);
    (void)snprintf(a->postcode, sizeof(a->postcode), "%s%u %u%c%c", pw__towns[town].area,
                   1 + below(&g->rng, 20), below(&g->rng, 10), letters[below(&g->rng, 20)],
                   letters[below(&g->rng, 20)]);
    return (uint32_t)g->naddrs++;
}

static int32_t
birth_day(struct gen *g, int age)
{
    return g->o->as_of - age * 365 - (int32_t)below(&g->rng, 365);
}

static uint32_t
new_person(struct gen *g, uint32_t household, uint32_t heritage, enum role role, bool female,
           int32_t dob, const char *family, uint32_t addr)
{
    if (g->npeople == g->cap_people) {
        g->cap_people = g->cap_people == 0 ? 1024 : pw_mul_size(g->cap_people, 2);
        g->people = pw_xrealloc(g->people, pw_mul_size(g->cap_people, sizeof(*g->people)));
    }
    struct person *p = &g->people[g->npeople];
    const struct pw__heritage *h = &pw__heritages[heritage];
    memset(p, 0, sizeof(*p));
    p->household = household;
    p->heritage = heritage;
    p->role = role;
    p->female = female;
    p->given = pick(&g->rng, female ? h->female : h->male);
    p->middle = chance(&g->rng, 30) ? pick(&g->rng, female ? h->female : h->male) : NULL;
    p->family = family;
    p->birth_family = family;
    p->dob = dob;
    p->addr = addr;
    p->prev_addr = NONE;
    p->since =
        dob > g->o->as_of - 3650 ? dob : g->o->as_of - 365 * (1 + (int32_t)below(&g->rng, 12));
    p->school = NONE;
    for (int a = 0; a < PW_SYNTH_AGENCIES; a++) {
        p->rec[a] = NONE;
    }
    if (p->middle != NULL && strcmp(p->middle, p->given) == 0) {
        p->middle = NULL;
    }
    return (uint32_t)g->npeople++;
}

static int
age_of(const struct gen *g, const struct person *p)
{
    return (g->o->as_of - p->dob) / 365;
}

/* Who lives elsewhere around household hid: a grandparent, a family friend or babysitter. */
static void
add_elsewhere(struct gen *g, uint32_t hid, uint32_t her, uint32_t town, int mother_age,
              const char *family)
{
    /* Who lives elsewhere: a grandparent, a family friend or babysitter. */
    if (chance(&g->rng, 25)) {
        uint32_t gh = (uint32_t)g->nhh;
        uint32_t ga = new_address(g, town);
        uint32_t gp =
            new_person(g, gh, her, R_GRANDPARENT, chance(&g->rng, 60),
                       birth_day(g, mother_age + 22 + (int)below(&g->rng, 12)), family, ga);
        g->hh[hid].grandparent = gp;
        if (g->nhh == g->cap_hh) {
            g->cap_hh = pw_mul_size(g->cap_hh, 2);
            g->hh = pw_xrealloc(g->hh, pw_mul_size(g->cap_hh, sizeof(*g->hh)));
        }
        struct household *x = &g->hh[g->nhh++];
        memset(x, 0, sizeof(*x));
        x->first = gp;
        x->count = 1;
        x->partner = x->friend = x->grandparent = NONE;
    }
    if (chance(&g->rng, 8)) {
        uint32_t fh = (uint32_t)g->nhh;
        uint32_t fher = pick_heritage(&g->rng);
        uint32_t fa = new_address(g, town);
        bool female = chance(&g->rng, 40);
        uint32_t f =
            new_person(g, fh, fher, R_FRIEND, female, birth_day(g, 20 + (int)below(&g->rng, 40)),
                       pick(&g->rng, pw__heritages[fher].family), fa);
        g->hh[hid].friend = f;
        if (!female && chance(&g->rng, 10)) {
            g->people[f].offender = g->people[f].sexual = true;
            g->hh[hid].concern = chance(&g->rng, 50) || g->hh[hid].concern;
        }
        if (g->nhh == g->cap_hh) {
            g->cap_hh = pw_mul_size(g->cap_hh, 2);
            g->hh = pw_xrealloc(g->hh, pw_mul_size(g->cap_hh, sizeof(*g->hh)));
        }
        struct household *x = &g->hh[g->nhh++];
        memset(x, 0, sizeof(*x));
        x->first = f;
        x->count = 1;
        x->partner = x->friend = x->grandparent = NONE;
    }
}

/* One household and whoever around it lives elsewhere. */
static void
make_household(struct gen *g, uint64_t children_left)
{
    if (g->nhh == g->cap_hh) {
        g->cap_hh = g->cap_hh == 0 ? 256 : pw_mul_size(g->cap_hh, 2);
        g->hh = pw_xrealloc(g->hh, pw_mul_size(g->cap_hh, sizeof(*g->hh)));
    }
    uint32_t hid = (uint32_t)g->nhh++;
    struct household *h = &g->hh[hid];
    memset(h, 0, sizeof(*h));
    h->partner = h->friend = h->grandparent = NONE;
    uint32_t her = pick_heritage(&g->rng);
    const struct pw__heritage *hp = &pw__heritages[her];
    uint32_t town = below(&g->rng, pw__town_count);
    uint32_t addr = new_address(g, town);
    const char *family = pick(&g->rng, hp->family);
    uint32_t shape = below(&g->rng, 100); /* <45 two parents, <75 single, <90 step, else 3 gen */
    uint32_t nkids = 1 + below(&g->rng, 3) + (chance(&g->rng, 15) ? 1 : 0);
    if (nkids > children_left) {
        nkids = (uint32_t)children_left;
    }
    int ages[4];
    int oldest = 0;
    for (uint32_t i = 0; i < nkids; i++) {
        ages[i] = (int)below(&g->rng, 18);
        oldest = ages[i] > oldest ? ages[i] : oldest;
    }
    bool older_sib = chance(&g->rng, 12);
    if (older_sib) {
        oldest = 18 + (int)below(&g->rng, 6);
    }
    h->first = (uint32_t)g->npeople;
    int mother_age = oldest + 18 + (int)below(&g->rng, 20);
    const char *kids_family = family;
    uint32_t mother = NONE;
    if (shape >= 90) { /* three generations: a grandparent heads the household */
        (void)new_person(g, hid, her, R_GRANDPARENT, chance(&g->rng, 75),
                         birth_day(g, mother_age + 20 + (int)below(&g->rng, 10)), family, addr);
    }
    if (shape < 45 || shape >= 90 || chance(&g->rng, 90)) {
        mother = new_person(g, hid, her, R_MOTHER, true, birth_day(g, mother_age), family, addr);
        g->people[mother].birth_family =
            shape < 45 && chance(&g->rng, 85) ? pick(&g->rng, hp->family) : family;
        if (shape < 45 && chance(&g->rng, 20)) {
            g->people[mother].family = g->people[mother].birth_family; /* kept her own name */
        }
    } else {
        (void)new_person(g, hid, her, R_FATHER, false, birth_day(g, mother_age + 2), family, addr);
    }
    if (shape < 45) {
        (void)new_person(g, hid, her, R_FATHER, false,
                         birth_day(g, mother_age - 3 + (int)below(&g->rng, 9)), family, addr);
    }
    for (uint32_t i = 0; i < nkids; i++) {
        uint32_t c = new_person(g, hid, her, R_CHILD, chance(&g->rng, 49), birth_day(g, ages[i]),
                                kids_family, addr);
        if (ages[i] >= 4 && ages[i] <= 16) {
            g->people[c].school = town * 64 + (ages[i] >= 11 ? 32 : 0) + below(&g->rng, 4);
        }
    }
    if (older_sib) {
        (void)new_person(g, hid, her, R_OLDER_SIB, chance(&g->rng, 50), birth_day(g, oldest),
                         kids_family, addr);
    }
    if (shape >= 75 && shape < 90 && mother != NONE) {
        /* A step-family: the mother's new partner moved in later, from his own address. */
        uint32_t pher = chance(&g->rng, 70) ? her : pick_heritage(&g->rng);
        uint32_t p = new_person(g, hid, pher, R_PARTNER, false,
                                birth_day(g, mother_age - 4 + (int)below(&g->rng, 12)),
                                pick(&g->rng, pw__heritages[pher].family), addr);
        g->people[p].prev_addr = new_address(g, town);
        g->people[p].since = g->o->as_of - 60 - (int32_t)below(&g->rng, 700);
        h->partner = p;
        if (chance(&g->rng, 25)) {
            g->people[p].offender = g->people[p].sexual = true;
            h->concern = true;
        }
    }
    h->count = (uint32_t)g->npeople - h->first;
    /* A move: the whole household came from another address. */
    if (chance(&g->rng, 15)) {
        uint32_t prev = new_address(g, chance(&g->rng, 80) ? town : below(&g->rng, pw__town_count));
        int32_t moved = g->o->as_of - 30 - (int32_t)below(&g->rng, 900);
        for (uint32_t i = h->first; i < h->first + h->count; i++) {
            struct person *p = &g->people[i];
            if (p->role != R_PARTNER && p->dob < moved) {
                p->prev_addr = prev;
                p->since = moved;
            }
        }
    }
    for (uint32_t i = h->first; i < h->first + h->count; i++) {
        struct person *p = &g->people[i];
        if (p->role != R_CHILD && !p->offender && chance(&g->rng, p->female ? 1.5 : 6)) {
            p->offender = true;
        }
    }
    add_elsewhere(g, hid, her, town, mother_age, family);
    if (chance(&g->rng, 5)) {
        g->hh[hid].concern = true;
    }
    g->st.children += nkids;
}

/* Who each agency knows, with a record id of its own (a bijection of a counter: no repeats). */
static void
assign_records(struct gen *g)
{
    for (size_t i = 0; i < g->nhh; i++) {
        const struct household *h = &g->hh[i];
        if (!h->concern) {
            continue;
        }
        g->st.concern_households++;
        for (uint32_t k = h->first; k < h->first + h->count; k++) {
            g->people[k].rec[PW_SYNTH_CSC] = 0;
            if (g->people[k].role != R_CHILD && chance(&g->rng, 50)) {
                g->people[k].rec[PW_SYNTH_POLICE] = 0;
            }
        }
        if (h->friend != NONE) {
            g->people[h->friend].rec[PW_SYNTH_CSC] = 0;
        }
        if (h->grandparent != NONE) {
            g->people[h->grandparent].rec[PW_SYNTH_CSC] = 0;
        }
    }
    for (size_t i = 0; i < g->npeople; i++) {
        struct person *p = &g->people[i];
        int age = age_of(g, p);
        if (chance(&g->rng, 97)) {
            p->rec[PW_SYNTH_HEALTH] = 0;
        }
        if (p->school != NONE && chance(&g->rng, 98)) {
            p->rec[PW_SYNTH_EDUCATION] = 0;
        }
        if (p->offender) {
            p->rec[PW_SYNTH_POLICE] = 0;
            if (p->sexual || chance(&g->rng, 60)) {
                p->rec[PW_SYNTH_PROBATION] = 0;
            }
        }
        (void)age;
        g->st.sexual_offenders += p->sexual;
        for (int a = 0; a < PW_SYNTH_AGENCIES; a++) {
            if (p->rec[a] == 0) {
                p->rec[a] = g->counters[a]++;
                g->st.records[a]++;
            }
        }
    }
}

static void
record_id(enum pw_synth_agency a, uint32_t n, char *out, size_t size)
{
    switch (a) {
    case PW_SYNTH_CSC:
        (void)snprintf(out, size, "LA%07u",
                       (uint32_t)(((uint64_t)n * 104729u + 1234567u) % 10000000u));
        break;
    case PW_SYNTH_POLICE:
        (void)snprintf(out, size, "N%07u",
                       (uint32_t)(((uint64_t)n * 7919u + 2750159u) % 10000000u));
        break;
    case PW_SYNTH_HEALTH:
        (void)snprintf(out, size, "G%08u",
                       (uint32_t)(((uint64_t)n * 15485863u + 98765u) % 100000000u));
        break;
    case PW_SYNTH_EDUCATION:
        (void)snprintf(out, size, "P%07u", (uint32_t)(((uint64_t)n * 1299709u + 555u) % 10000000u));
        break;
    default:
        (void)snprintf(out, size, "X%07u", (uint32_t)(((uint64_t)n * 3571u + 424242u) % 10000000u));
        break;
    }
}

/* A valid NHS number unique to person i: the first of seven bases of its own with a check digit. */
static void
nhs_number(size_t i, char *out)
{
    for (uint64_t k = 0; k < 7; k++) {
        uint64_t base = 400000000u + ((uint64_t)i * 7u + k) % 590000000u;
        char d[24];
        (void)snprintf(d, sizeof(d), "%09llu", (unsigned long long)base);
        int sum = 0;
        for (int j = 0; j < 9; j++) {
            sum += (d[j] - '0') * (10 - j);
        }
        int check = 11 - sum % 11;
        check = check == 11 ? 0 : check;
        if (check != 10) {
            memcpy(out, d, 9);
            out[9] = (char)('0' + check);
            out[10] = '\0';
            return;
        }
    }
    out[0] = '\0';
}

/* ---- Writing ---- */

static void
csv_field(FILE *f, const char *s, bool last)
{
    if (s != NULL && strpbrk(s, ",\"\r\n") != NULL) {
        (void)fputc('"', f);
        for (const char *p = s; *p != '\0'; p++) {
            if (*p == '"') {
                (void)fputc('"', f);
            }
            (void)fputc(*p, f);
        }
        (void)fputc('"', f);
    } else if (s != NULL) {
        (void)fputs(s, f);
    }
    (void)fputs(last ? "\n" : ",", f);
}

/* The name before the bar, and the short form after it (or NULL). */
static void
split_given(const char *entry, char *name, size_t size, const char **nick)
{
    const char *bar = strchr(entry, '|');
    if (bar == NULL) {
        (void)snprintf(name, size, "%s", entry);
        *nick = NULL;
        return;
    }
    (void)snprintf(name, size, "%.*s", (int)(bar - entry), entry);
    *nick = bar + 1;
}

static void
typo(struct pw_rng *r, char *s)
{
    size_t n = strlen(s);
    if (n < 3) {
        return;
    }
    size_t i = 1 + below(r, n - 2);
    switch (below(r, 3)) {
    case 0: { /* two letters swapped */
        char c = s[i];
        s[i] = s[i + 1];
        s[i + 1] = c;
        break;
    }
    case 1: /* a letter dropped */
        memmove(s + i, s + i + 1, n - i);
        break;
    default: /* a letter doubled */
        if (n + 1 < 64) {
            memmove(s + i + 1, s + i, n - i + 1);
        }
        break;
    }
}

/* One record as an agency holds it: the person with the errors drawn for this record. */
struct rec {
    char given[64], family[64], middle[64];
    const char *nick;
    bool use_nick;
    bool dob_missing;
    int y, m, d;
    bool sex_missing;
    const struct address *addr; /* NULL: none */
    int32_t since;
    bool postcode_missing;
};

static void
draw_record(struct gen *g, const struct person *p, size_t idx, enum pw_synth_agency a,
            struct rec *out)
{
    struct pw_rng r;
    pw_rng_seed(&r, g->o->seed * 0x9E3779B97F4A7C15ULL + idx * 8 + (uint64_t)a);
    memset(out, 0, sizeof(*out));
    split_given(p->given, out->given, sizeof(out->given), &out->nick);
    out->middle[0] = '\0';
    if (p->middle != NULL) {
        const char *unused = NULL;
        split_given(p->middle, out->middle, sizeof(out->middle), &unused);
    }
    (void)snprintf(out->family, sizeof(out->family), "%s", p->family);
    if (strcmp(p->family, p->birth_family) != 0) {
        g->st.surname_records++;
        if (error_chance(g, &r, PW_SYNTH_RATE_OLD_SURNAME)) {
            (void)snprintf(out->family, sizeof(out->family), "%s", p->birth_family);
            g->st.old_surname++;
        }
    }
    out->use_nick =
        out->nick != NULL && a == PW_SYNTH_POLICE && error_chance(g, &r, PW_SYNTH_RATE_NICKNAME);
    g->st.typo_records++;
    if (error_chance(g, &r, PW_SYNTH_RATE_TYPO)) {
        typo(&r, below(&r, 2) == 0 ? out->given : out->family);
        g->st.typos++;
    }
    pw_date_to_ymd(p->dob, &out->y, &out->m, &out->d);
    g->st.dob_records++;
    if (error_chance(g, &r, PW_SYNTH_RATE_MISSING_DOB)) {
        out->dob_missing = true;
        g->st.missing_dob++;
    } else if (out->d <= 12 && out->d != out->m) {
        g->st.swap_records++;
        if (error_chance(g, &r, PW_SYNTH_RATE_SWAPPED_DOB)) {
            int t = out->d;
            out->d = out->m;
            out->m = t;
            g->st.swapped++;
        }
    }
    g->st.field_records++;
    out->sex_missing = error_chance(g, &r, PW_SYNTH_RATE_NO_SEX);
    g->st.no_sex += out->sex_missing;
    out->addr = &g->addrs[p->addr];
    out->since = p->since;
    if (p->prev_addr != NONE) {
        g->st.moved_records++;
        if (a != PW_SYNTH_HEALTH && error_chance(g, &r, PW_SYNTH_RATE_OLD_ADDRESS)) {
            out->addr = &g->addrs[p->prev_addr];
            out->since = 0;
            g->st.old_address++;
        }
    }
    if (error_chance(g, &r, PW_SYNTH_RATE_NO_ADDRESS)) {
        out->addr = NULL;
        g->st.no_address++;
    } else if (error_chance(g, &r, PW_SYNTH_RATE_NO_POSTCODE)) {
        out->postcode_missing = true;
        g->st.no_postcode++;
    }
    /* Keep what the agency says plausible: csc and schools know the preferred name. */
    if (out->nick != NULL && (a == PW_SYNTH_CSC || a == PW_SYNTH_EDUCATION) && chance(&r, 40)) {
        out->use_nick = true;
    }
}

static void
street_line(const struct rec *r, char *out, size_t size, bool with_town)
{
    if (r->addr == NULL) {
        out[0] = '\0';
        return;
    }
    if (with_town) {
        (void)snprintf(out, size, "%u %s, %s", r->addr->number, pw__streets[r->addr->street],
                       pw__towns[r->addr->town].name);
    } else {
        (void)snprintf(out, size, "%u %s", r->addr->number, pw__streets[r->addr->street]);
    }
}

static void
write_record(FILE *f, struct gen *g, size_t idx, enum pw_synth_agency a, const char *id)
{
    const struct person *p = &g->people[idx];
    struct rec r;
    char dob[16] = "";
    char line[128];
    char since[PW_DATE_TEXT_MAX] = "";
    char nhs[11] = "";
    char pnc[40];
    char upn[32];
    char school[96] = "";
    draw_record(g, p, idx, a, &r);
    street_line(&r, line, sizeof(line), a != PW_SYNTH_CSC && a != PW_SYNTH_HEALTH);
    const char *postcode = r.addr != NULL && !r.postcode_missing ? r.addr->postcode : "";
    const char *town = r.addr != NULL ? pw__towns[r.addr->town].name : "";
    bool dmy = a == PW_SYNTH_POLICE || a == PW_SYNTH_EDUCATION;
    if (!r.dob_missing) {
        if (dmy) {
            (void)snprintf(dob, sizeof(dob), "%02d/%02d/%04d", r.d, r.m, r.y);
        } else {
            (void)snprintf(dob, sizeof(dob), "%04d-%02d-%02d", r.y, r.m, r.d);
        }
    }
    if (r.addr != NULL && r.since != 0 && r.since >= p->dob) {
        pw_date_format(r.since, since);
    }
    (void)snprintf(pnc, sizeof(pnc), "%04d/%07zu%c", 1990 + (int)(idx % 35), idx % 10000000,
                   "ABCDEFGHJKLMNPQRTUVWXYZ"[idx % 23]);
    (void)snprintf(upn, sizeof(upn), "%c%012zu", "ABCDEFGHJKLMNPRTUVWXYZ"[idx % 22], idx);
    struct pw_rng ir;
    pw_rng_seed(&ir, g->o->seed ^ (idx * 31 + (size_t)a));
    bool has_nhs = a == PW_SYNTH_HEALTH ? chance(&ir, 99) : a == PW_SYNTH_CSC && chance(&ir, 60);
    if (has_nhs) {
        nhs_number(idx, nhs);
    }
    if (p->school != NONE) {
        uint32_t t = p->school / 64;
        uint32_t k = p->school % 64;
        const char *word = pw__school_words[(t * 7 + (k % 32)) % pw__synth_count(pw__school_words)];
        (void)snprintf(school, sizeof(school), "%s %s, %s", word,
                       k >= 32 ? "Academy" : "Primary School", pw__towns[t].name);
    }
    const char *given = r.use_nick ? r.nick : r.given;
    const char *sex = NULL;
    switch (a) {
    case PW_SYNTH_CSC:
        csv_field(f, id, false);
        csv_field(f, r.given, false);
        csv_field(f, r.middle, false);
        csv_field(f, r.family, false);
        csv_field(f, r.use_nick ? r.nick : "", false);
        csv_field(f, dob, false);
        csv_field(f, r.sex_missing ? "" : p->female ? "female" : "male", false);
        csv_field(f, pw__heritages[p->heritage].ethnicity, false);
        csv_field(f, pw__heritages[p->heritage].language, false);
        csv_field(f, line, false);
        csv_field(f, town, false);
        csv_field(f, postcode, false);
        csv_field(f, since, false);
        csv_field(f, nhs, true);
        break;
    case PW_SYNTH_POLICE:
        for (char *c = r.family; *c != '\0'; c++) {
            *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A'
                                               : *c); /* nominal surnames in capitals */
        }
        csv_field(f, id, false);
        csv_field(f, r.family, false);
        csv_field(f, given, false);
        csv_field(f, dob, false);
        csv_field(f, r.sex_missing ? "U" : p->female ? "F" : "M", false);
        csv_field(f, line, false);
        csv_field(f, postcode, false);
        csv_field(f, p->offender ? pnc : "", true);
        break;
    case PW_SYNTH_HEALTH:
        csv_field(f, id, false);
        csv_field(f, nhs, false);
        csv_field(f, r.given, false);
        csv_field(f, r.family, false);
        csv_field(f, dob, false);
        csv_field(f, r.sex_missing ? "9" : p->female ? "2" : "1", false);
        csv_field(f, line, false);
        csv_field(f, town, false);
        csv_field(f, postcode, true);
        break;
    case PW_SYNTH_EDUCATION:
        csv_field(f, id, false);
        csv_field(f, upn, false);
        csv_field(f, r.given, false);
        csv_field(f, r.use_nick ? r.nick : "", false);
        csv_field(f, r.family, false);
        csv_field(f, dob, false);
        sex = p->female ? "F" : "M";
        csv_field(f, r.sex_missing ? "" : sex, false);
        csv_field(f, line, false);
        csv_field(f, postcode, false);
        csv_field(f, school, true);
        break;
    default:
        csv_field(f, id, false);
        csv_field(f, r.given, false);
        csv_field(f, r.family, false);
        csv_field(f, dob, false);
        csv_field(f, r.sex_missing ? "" : p->female ? "Female" : "Male", false);
        csv_field(f, pnc, false);
        csv_field(f, line, false);
        csv_field(f, postcode, true);
        break;
    }
}

static const char *const headers[] = {
    ("person_id,first_name,middle_names,last_name,known_as,dob,gender,ethnicity,language,"
     "address_line1,town,postcode,address_since,nhs_number"),
    "nominal_id,surname,forenames,dob,sex,address,postcode,pnc_id",
    "patient_id,nhs_number,given_name,family_name,date_of_birth,sex,address_line1,town,postcode",
    "pupil_id,upn,legal_forename,preferred_forename,legal_surname,dob,sex,address,postcode,school",
    "crn,first_name,surname,date_of_birth,gender,pnc_number,address,postcode",
};

static enum pw_status
open_out(const char *dir, const char *name, FILE **f, struct pw_error *err)
{
    char path[4096];
    char why[128];
    (void)snprintf(path, sizeof(path), "%s/%s", dir, name);
    *f = fopen(path, "w");
    if (*f == NULL) {
        return pw_fail(err, PW_EIO, "could not write %s: %s", path,
                       pw_strerror(errno, why, sizeof(why)));
    }
    return PW_OK;
}

static enum pw_status
close_out(FILE *f, const char *name, struct pw_error *err)
{
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        return pw_fail(err, PW_EIO, "could not write %s", name);
    }
    return PW_OK;
}

/* ---- Histories ---- */

struct facts {
    FILE *f;
    size_t n;
    struct gen *g;
};

static void
pid(const struct gen *g, uint32_t person, enum pw_synth_agency a, char *out, size_t size)
{
    char id[24];
    record_id(a, g->people[person].rec[a], id, sizeof(id));
    (void)snprintf(out, size, "%s-%s", agency_names[a], id);
}

/* Begins a fact line: the envelope; the caller adds the rest and "}\n". */
static void
fact_begin(struct facts *fx, const char *type, int32_t at, const char *agency, const char *by)
{
    char day[PW_DATE_TEXT_MAX];
    pw_date_format(at, day);
    fx->n++;
    (void)fprintf(fx->f,
                  "{\"type\":\"%s\",\"id\":\"syn-%06zu\",\"at\":\"%s\",\"agency\":\"%s\","
                  "\"by\":\"%s\"",
                  type, fx->n, day, agency, by);
}

static void
relationship(struct facts *fx, int32_t at, uint32_t from, uint32_t to, const char *kind,
             int32_t since)
{
    char a[48];
    char b[48];
    pid(fx->g, from, PW_SYNTH_CSC, a, sizeof(a));
    pid(fx->g, to, PW_SYNTH_CSC, b, sizeof(b));
    fact_begin(fx, "relationship.recorded", at, "csc", "sw.synth");
    (void)fprintf(fx->f, ",\"from\":\"%s\",\"to\":\"%s\",\"kind\":\"%s\"", a, b, kind);
    if (since != 0) {
        char day[PW_DATE_TEXT_MAX];
        pw_date_format(since, day);
        (void)fprintf(fx->f, ",\"since\":\"%s\"", day);
    }
    (void)fputs("}\n", fx->f);
}

static void
risk(struct facts *fx, uint32_t person, enum pw_synth_agency a, int32_t at, int32_t date)
{
    char id[48];
    char day[PW_DATE_TEXT_MAX];
    pid(fx->g, person, a, id, sizeof(id));
    pw_date_format(date, day);
    fact_begin(fx, "risk.recorded", at, agency_names[a],
               a == PW_SYNTH_POLICE ? "pc.synth" : "pp.synth");
    (void)fprintf(fx->f,
                  ",\"person\":\"%s\",\"kind\":\"conviction\",\"sexual\":true,\"against\":"
                  "\"child\",\"date\":\"%s\",\"managed_by\":\"%s\"",
                  id, day, a == PW_SYNTH_POLICE ? "police" : "probation");
    if (a == PW_SYNTH_PROBATION) {
        (void)fputs(",\"mappa\":{\"category\":1,\"level\":2}", fx->f);
    }
    (void)fputs(",\"summary\":\"Conviction for a sexual offence against a child.\"}\n", fx->f);
}

static const char *const signs_young[] = { "soiling_wetting_regression",
                                           "sexualised_play_drawing_or_talk",
                                           "nightmares_sleep_problems",
                                           "fear_of_person",
                                           "sexualised_behaviour_age_inappropriate",
                                           NULL };
static const char *const signs_older[] = { "self_harm",
                                           "running_away",
                                           "withdrawn",
                                           "school_refusal_or_falling_attendance",
                                           "gifts_secrecy_grooming",
                                           "fear_of_person",
                                           NULL };

/* Who is who in household hid, as children's social care records it. */
static void
family_relationships(struct facts *fx, const struct household *h, const uint32_t *kids, size_t nk,
                     int32_t rec_at)
{
    struct gen *g = fx->g;
    /* Who is who, as children's social care records it. */
    for (uint32_t k = h->first; k < h->first + h->count; k++) {
        const struct person *p = &g->people[k];
        for (size_t c = 0; c < nk; c++) {
            if (p->role == R_MOTHER || p->role == R_FATHER) {
                relationship(fx, rec_at, k, kids[c], "parent", 0);
            } else if (p->role == R_GRANDPARENT) {
                relationship(fx, rec_at, k, kids[c], "grandparent", 0);
            } else if (p->role == R_OLDER_SIB) {
                relationship(fx, rec_at, k, kids[c], "sibling", 0);
            }
        }
    }
    for (size_t a = 0; a < nk; a++) {
        for (size_t b = a + 1; b < nk; b++) {
            relationship(fx, rec_at, kids[a], kids[b], "sibling", 0);
        }
    }
    if (h->grandparent != NONE) {
        relationship(fx, rec_at, h->grandparent, kids[0], "grandparent", 0);
    }
}

/* A strategy discussion, the police investigation and the plans, for a known risk. */
static void
episode(struct facts *fx, uint32_t hid, const uint32_t *kids, size_t nk, uint32_t alleged,
        int32_t t0)
{
    struct gen *g = fx->g;
    char id[48];
    char day[PW_DATE_TEXT_MAX];
    fact_begin(fx, "strategy.held", t0 + 3, "csc", "tm.synth");
    (void)fprintf(fx->f, ",\"episode\":\"e-syn-%05u\",\"children\":[", hid);
    for (size_t c = 0; c < nk; c++) {
        pid(g, kids[c], PW_SYNTH_CSC, id, sizeof(id));
        (void)fprintf(fx->f, "%s\"%s\"", c > 0 ? "," : "", id);
    }
    (void)fputs("],\"attendees\":[{\"agency\":\"csc\",\"role\":\"team manager\"},"
                "{\"agency\":\"police\",\"role\":\"detective sergeant\"},"
                "{\"agency\":\"health\",\"role\":\"named nurse\",\"csa_expertise\":true},"
                "{\"agency\":\"education\",\"role\":\"designated safeguarding lead\"}],"
                "\"s47\":true,\"joint_enquiry\":true,\"police_investigation\":true,"
                "\"medical\":{\"decision\":\"arranged\",\"reason\":\"Paediatric assessment: "
                "reassurance, treatment and checks, not only forensic.\"}}\n",
                fx->f);
    pid(g, alleged, PW_SYNTH_CSC, id, sizeof(id));
    static const char *const events[] = { "opened", "arrested", "bail_set" };
    for (int e = 0; e < 3; e++) {
        fact_begin(fx, "investigation.updated", t0 + 4 + e * 2, "police", "pc.synth");
        (void)fprintf(fx->f, ",\"episode\":\"e-syn-%05u\",\"event\":\"%s\"", hid, events[e]);
        if (e > 0) {
            (void)fprintf(fx->f, ",\"suspect\":\"%s\"", id);
        }
        if (e == 2) {
            pw_date_format(t0 + 8 + 28, day);
            (void)fprintf(fx->f,
                          ",\"until\":\"%s\",\"conditions\":\"No contact with the children; "
                          "not to live at the family address.\"",
                          day);
        }
        (void)fputs("}\n", fx->f);
    }
    if (t0 + 30 <= g->o->as_of) {
        for (size_t c = 0; c < nk; c++) {
            char child[48];
            pid(g, kids[c], PW_SYNTH_CSC, child, sizeof(child));
            fact_begin(fx, "plan.made", t0 + 30, "csc", "sw.synth");
            (void)fprintf(fx->f,
                          ",\"child\":\"%s\",\"kind\":\"child_protection\",\"categories\":"
                          "[\"sexual\"],\"csa_risks\":[{\"risk\":\"Contact with a person "
                          "convicted of a sexual offence against a child.\",\"mitigation\":"
                          "\"No contact; the protective parent's agreement; unannounced "
                          "visits.\"}]}\n",
                          child);
        }
    }
}

static void
history(struct facts *fx, uint32_t hid, struct pw_rng *r)
{
    struct gen *g = fx->g;
    const struct household *h = &g->hh[hid];
    uint32_t kids[8];
    size_t nk = 0;
    uint32_t mother = NONE;
    char id[48];
    char day[PW_DATE_TEXT_MAX];
    int32_t t0 = g->o->as_of - 60 - (int32_t)below(r, 270);
    int32_t rec_at = t0 + 1;
    for (uint32_t k = h->first; k < h->first + h->count; k++) {
        const struct person *p = &g->people[k];
        if (p->role == R_CHILD && age_of(g, p) < 18 && nk < 8 && p->dob < t0 - 30) {
            kids[nk++] = k;
        }
        if (p->role == R_MOTHER) {
            mother = k;
        }
    }
    if (nk == 0) {
        return;
    }
    family_relationships(fx, h, kids, nk, rec_at);
    uint32_t alleged = NONE;
    if (h->partner != NONE && mother != NONE) {
        int32_t since = g->people[h->partner].since;
        relationship(fx, rec_at, h->partner, mother, "parent_partner",
                     since < rec_at ? since : rec_at);
        if (g->people[h->partner].sexual) {
            alleged = h->partner;
        }
    }
    if (h->friend != NONE) {
        for (size_t c = 0; c < nk; c++) {
            relationship(fx, rec_at, h->friend, kids[c],
                         c % 2 == 0 ? "family_friend" : "babysitter", 0);
        }
        if (g->people[h->friend].sexual && alleged == NONE) {
            alleged = h->friend;
        }
    }
    /* Sexual-offence histories, on the records of the agencies that hold them. */
    if (alleged != NONE) {
        int32_t when = g->people[alleged].dob + 365 * (20 + (int32_t)below(r, 10));
        if (when > t0 - 400) {
            when = t0 - 400;
        }
        risk(fx, alleged, PW_SYNTH_POLICE, when + 30, when);
        risk(fx, alleged, PW_SYNTH_PROBATION, when + 60 + (int32_t)below(r, 300), when);
    }
    /* Signs seen by health and school, then a concern. */
    const struct person *c0 = &g->people[kids[0]];
    bool older = age_of(g, c0) >= 10;
    const char *sign = pick(r, older ? signs_older : signs_young);
    pid(g, kids[0], PW_SYNTH_CSC, id, sizeof(id));
    fact_begin(fx, "indicator.observed", t0 - 21, "health", older ? "sn.synth" : "hv.synth");
    pw_date_format(t0 - 21, day);
    (void)fprintf(fx->f, ",\"child\":\"%s\",\"code\":\"%s\",\"observed_at\":\"%s\"}\n", id, sign,
                  day);
    bool school_age = c0->school != NONE;
    fact_begin(fx, "concern.raised", t0, school_age ? "education" : "health",
               school_age ? "dsl.synth" : "hv.synth");
    (void)fprintf(fx->f, ",\"concern\":\"c-syn-%05u\",\"children\":[", hid);
    for (size_t c = 0; c < nk; c++) {
        pid(g, kids[c], PW_SYNTH_CSC, id, sizeof(id));
        (void)fprintf(fx->f, "%s\"%s\"", c > 0 ? "," : "", id);
    }
    (void)fputc(']', fx->f);
    if (alleged != NONE) {
        pid(g, alleged, PW_SYNTH_CSC, id, sizeof(id));
        (void)fprintf(fx->f, ",\"alleged\":[\"%s\"]", id);
    }
    pw_date_format(t0, day);
    (void)fprintf(fx->f, ",\"indicators\":[{\"code\":\"%s\",\"observed_at\":\"%s\"}",
                  pick(r, older ? signs_older : signs_young), day);
    if (alleged != NONE) {
        (void)fprintf(fx->f, ",{\"code\":\"%s\",\"observed_at\":\"%s\"}",
                      h->partner == alleged ? "new_partner_moved_in_quickly"
                                            : "contact_with_known_risk",
                      day);
    }
    (void)fprintf(fx->f, "],\"source\":\"%s\"}\n",
                  school_age ? "designated safeguarding lead" : "health visitor");
    /* The front door's decision, and where there is a known risk, the strategy discussion. */
    fact_begin(fx, "referral.decided", t0 + 1, "csc", "tm.synth");
    if (alleged == NONE) {
        (void)fprintf(fx->f,
                      ",\"concern\":\"c-syn-%05u\",\"decision\":\"assessment\",\"rationale\":"
                      "\"Signs seen by more than one agency; a child and family assessment will "
                      "look at the whole household.\",\"decided_by\":\"tm.synth\"}\n",
                      hid);
        return;
    }
    (void)fprintf(fx->f,
                  ",\"concern\":\"c-syn-%05u\",\"decision\":\"strategy_discussion\",\"rationale\":"
                  "\"Signs across agencies and a person with a sexual-offence history in the "
                  "child's life.\",\"decided_by\":\"tm.synth\",\"episode\":\"e-syn-%05u\"}\n",
                  hid, hid);
    episode(fx, hid, kids, nk, alleged, t0);
}

static enum pw_status
write_readme(struct gen *g, const char *dir, struct pw_error *err)
{
    FILE *f = NULL;
    char day[PW_DATE_TEXT_MAX];
    enum pw_status rc = open_out(dir, "README.md", &f, err);
    if (rc != PW_OK) {
        return rc;
    }
    pw_date_format(g->o->as_of, day);
    (void)fprintf(f,
                  "# A synthetic partnership\n\n"
                  "Made by `pathway synth --children %llu --seed %llu --error-rate %g --as-of %s`."
                  " Nobody here is real. docs/feeds.md describes the formats, the structure and "
                  "the error rates.\n\n"
                  "| what | count |\n| --- | --- |\n"
                  "| people | %zu |\n| households | %zu |\n| children | %zu |\n"
                  "| households children's social care works with | %zu |\n"
                  "| people with a sexual-offence history | %zu |\n",
                  (unsigned long long)g->o->children, (unsigned long long)g->o->seed,
                  g->o->error_rate, day, g->st.people, g->st.households, g->st.children,
                  g->st.concern_households, g->st.sexual_offenders);
    for (int a = 0; a < PW_SYNTH_AGENCIES; a++) {
        (void)fprintf(f, "| records in feeds/%s.csv | %zu |\n", agency_names[a], g->st.records[a]);
    }
    (void)fprintf(f, "| facts in facts.jsonl | %zu |\n\n", g->st.facts);
    (void)fprintf(f, "| error | rate used (%%) | made | of records |\n| --- | --- | --- | --- |\n");
    const struct {
        const char *what;
        double rate;
        size_t made, of;
    } rows[] = {
        { "typo in a name", PW_SYNTH_RATE_TYPO, g->st.typos, g->st.typo_records },
        { "no date of birth", PW_SYNTH_RATE_MISSING_DOB, g->st.missing_dob, g->st.dob_records },
        { "day and month swapped", PW_SYNTH_RATE_SWAPPED_DOB, g->st.swapped, g->st.swap_records },
        { "surname from before a change", PW_SYNTH_RATE_OLD_SURNAME, g->st.old_surname,
          g->st.surname_records },
        { "old address after a move", PW_SYNTH_RATE_OLD_ADDRESS, g->st.old_address,
          g->st.moved_records },
        { "no address", PW_SYNTH_RATE_NO_ADDRESS, g->st.no_address, g->st.field_records },
        { "no postcode", PW_SYNTH_RATE_NO_POSTCODE, g->st.no_postcode, g->st.field_records },
        { "no sex", PW_SYNTH_RATE_NO_SEX, g->st.no_sex, g->st.field_records },
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        (void)fprintf(f, "| %s | %g | %zu | %zu |\n", rows[i].what, rows[i].rate * g->o->error_rate,
                      rows[i].made, rows[i].of);
    }
    return close_out(f, "README.md", err);
}

static enum pw_status
make_dir(const char *path, struct pw_error *err)
{
    char why[128];
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        return pw_fail(err, PW_EIO, "could not make %s: %s", path,
                       pw_strerror(errno, why, sizeof(why)));
    }
    return PW_OK;
}

enum pw_status
pw_synth_write(const struct pw_synth_opts *opts, const char *dir, struct pw_synth_stats *stats,
               struct pw_error *err)
{
    struct gen g;
    char path[4096];
    FILE *truth = NULL;
    enum pw_status rc = PW_OK;
    memset(&g, 0, sizeof(g));
    if (opts->children == 0 || opts->children > 10000000) {
        return pw_fail(err, PW_EUSAGE, "--children must be from 1 to 10000000");
    }
    if (opts->error_rate < 0 || opts->error_rate > 20) {
        return pw_fail(err, PW_EUSAGE, "--error-rate must be from 0 to 20");
    }
    g.o = opts;
    g.nstreets = pw__synth_count(pw__streets);
    pw_rng_seed(&g.rng, opts->seed);
    while (g.st.children < opts->children) {
        make_household(&g, opts->children - g.st.children);
    }
    g.st.people = g.npeople;
    g.st.households = g.nhh;
    for (size_t i = 0; i < g.npeople; i++) {
        g.st.adults += age_of(&g, &g.people[i]) >= 18;
    }
    assign_records(&g);
    rc = make_dir(dir, err);
    (void)snprintf(path, sizeof(path), "%s/feeds", dir);
    if (rc == PW_OK) {
        rc = make_dir(path, err);
    }
    if (rc == PW_OK) {
        rc = open_out(dir, "truth.csv", &truth, err);
    }
    if (rc != PW_OK) {
        goto out;
    }
    (void)fputs("agency,record_id,person_key\n", truth);
    for (int a = 0; a < PW_SYNTH_AGENCIES && rc == PW_OK; a++) {
        char name[64];
        FILE *f = NULL;
        (void)snprintf(name, sizeof(name), "feeds/%s.csv", agency_names[a]);
        rc = open_out(dir, name, &f, err);
        if (rc != PW_OK) {
            break;
        }
        (void)fprintf(f, "%s\n", headers[a]);
        for (size_t i = 0; i < g.npeople; i++) {
            if (g.people[i].rec[a] == NONE) {
                continue;
            }
            char id[24];
            record_id((enum pw_synth_agency)a, g.people[i].rec[a], id, sizeof(id));
            write_record(f, &g, i, (enum pw_synth_agency)a, id);
            (void)fprintf(truth, "%s,%s,P%07zu\n", agency_names[a], id, i);
        }
        rc = close_out(f, name, err);
    }
    if (rc == PW_OK) {
        rc = close_out(truth, "truth.csv", err);
        truth = NULL;
    }
    if (rc == PW_OK) {
        struct facts fx = { NULL, 0, &g };
        rc = open_out(dir, "facts.jsonl", &fx.f, err);
        if (rc == PW_OK) {
            struct pw_rng r;
            pw_rng_seed(&r, opts->seed ^ 0x5eedfac75ULL);
            for (size_t i = 0; i < g.nhh; i++) {
                if (g.hh[i].concern) {
                    history(&fx, (uint32_t)i, &r);
                }
            }
            g.st.facts = fx.n;
            rc = close_out(fx.f, "facts.jsonl", err);
        }
    }
    if (rc == PW_OK) {
        rc = write_readme(&g, dir, err);
    }
out:
    if (truth != NULL) {
        (void)fclose(truth);
    }
    if (stats != NULL) {
        *stats = g.st;
    }
    free(g.people);
    free(g.hh);
    free(g.addrs);
    return rc;
}
