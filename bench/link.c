/*
 * bench/link: how well and how fast record linkage (src/link) finds the same person. On public
 * labelled data sets (FEBRL 1-4, Splink's fake_1000, RLdata500 and 10000) it prints pairwise and
 * B-cubed cluster precision, recall and F1 against the known truth, with the time of each phase;
 * then a scaling run on a seeded generator of corrupted British person records (nicknames,
 * typos, swapped day and month, missing dates of birth, changed surnames, moves, identifiers in
 * some records only) from 10,000 to 1,000,000 records, printing how time and memory grow.
 * And the feeds of a synthetic partnership (pathway synth: households whose members share a
 * surname and an address), read as Pathway reads them, where what matters most is that no
 * relative is taken for the same person: it prints the false links within a household.
 * bench/README.md (## bench_link) describes the measures and options.
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

#include <jansson.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/rng.h"
#include "core/strmap.h"
#include "core/time.h"
#include "feed/feed.h"
#include "link/link.h"
#include "link/people.h"
#include "support/bench.h"
#include "synth/synth.h"

#define SEED       UINT64_C(0x11d4a6e5b3c70f21)
#define MAX_SCALE  ((size_t)1000000)
#define MAX_FIELDS 16
/* Children in the partnerships made for the feeds run: about three records per child. */
#define SYNTH_SMALL ((size_t)5000)
#define SYNTH_LARGE ((size_t)50000)

static void die(const char *fmt, ...) PW_PRINTF(1, 2);

static void
die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench_link: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static double
peak_rss_mib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) {
        return 0;
    }
    return (double)ru.ru_maxrss / 1024.0; /* KiB on Linux */
}

/* ---- A data set: records, their truth, and the strings they borrow ---- */

struct dataset {
    struct pw_link_record *recs;
    struct pw_link_id *ids; /* one per record at most */
    size_t *truth;
    size_t n, cap;
    char **strings; /* owned copies the records point into */
    size_t nstrings, capstrings;
    struct pw_strmap truthmap;
    bool across;
    struct pw_arena *arena; /* when set, records' identifiers live here and stay put */
};

static const char *
keep(struct dataset *d, const char *s)
{
    if (!s || !*s) {
        return NULL;
    }
    if (d->nstrings == d->capstrings) {
        d->capstrings = d->capstrings ? d->capstrings * 2 : 4096;
        d->strings = pw_xrealloc(d->strings, pw_mul_size(d->capstrings, sizeof(char *)));
    }
    return d->strings[d->nstrings++] = pw_xstrdup(s);
}

static struct pw_link_record *
add_record(struct dataset *d, const char *truth_key)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 1024;
        d->recs = pw_xrealloc(d->recs, pw_mul_size(d->cap, sizeof(*d->recs)));
        d->ids = pw_xrealloc(d->ids, pw_mul_size(d->cap, sizeof(*d->ids)));
        d->truth = pw_xrealloc(d->truth, pw_mul_size(d->cap, sizeof(size_t)));
    }
    int64_t t;
    if (!pw_strmap_get(&d->truthmap, truth_key, &t)) {
        t = (int64_t)d->truthmap.count;
        pw_strmap_put(&d->truthmap, truth_key, t);
    }
    d->truth[d->n] = (size_t)t;
    struct pw_link_record *r = &d->recs[d->n++];
    memset(r, 0, sizeof(*r));
    return r;
}

static void
dataset_free(struct dataset *d)
{
    for (size_t i = 0; i < d->nstrings; i++) {
        free(d->strings[i]);
    }
    free(d->strings);
    free(d->recs);
    free(d->ids);
    free(d->truth);
    pw_strmap_release(&d->truthmap);
    if (d->arena) {
        pw_arena_free(d->arena);
    }
    memset(d, 0, sizeof(*d));
}

/* ---- CSV readers: simple comma-separated files without quoted commas ---- */

static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        die("cannot open %s: %s", path, strerror(errno));
    }
    size_t cap = 1 << 20, n = 0;
    char *buf = pw_xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            cap *= 2;
            buf = pw_xrealloc(buf, cap);
        }
    }
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Splits line (modified) at commas into trimmed fields; "NA" and "" become "". */
static size_t
split(char *line, char **fields, size_t max)
{
    size_t k = 0;
    char *p = line;
    while (k < max) {
        char *c = strchr(p, ',');
        if (c) {
            *c = '\0';
        }
        while (*p == ' ') {
            p++;
        }
        size_t len = strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\r')) {
            p[--len] = '\0';
        }
        fields[k++] = strcmp(p, "NA") == 0 ? p + len : p;
        if (!c) {
            break;
        }
        p = c + 1;
    }
    return k;
}

static int
num(const char *s, size_t from, size_t len)
{
    int v = 0;
    if (strlen(s) < from + len) {
        return 0;
    }
    for (size_t i = from; i < from + len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static long
to_long(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno || end == s ? 0 : v;
}

typedef void (*row_fn)(struct dataset *d, char **f, size_t nf, const char *source);

static void
read_csv(struct dataset *d, const char *path, const char *source, row_fn fn)
{
    char *buf = slurp(path);
    char *line = buf;
    bool header = true;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
        }
        char *f[MAX_FIELDS];
        size_t nf = split(line, f, MAX_FIELDS);
        if (!header && nf > 1) {
            fn(d, f, nf, source);
        }
        header = false;
        line = nl ? nl + 1 : NULL;
    }
    free(buf);
}

static void
febrl_row(struct dataset *d, char **f, size_t nf, const char *source)
{
    if (nf < 11) {
        return;
    }
    /* rec-N-org or rec-N-dup-k: N is the person */
    char key[64];
    const char *p = f[0] + 4, *e = strchr(p, '-');
    int w = snprintf(key, sizeof(key), "%.*s", e ? (int)(e - p) : 0, p);
    if (w <= 0) {
        return;
    }
    struct pw_link_record *r = add_record(d, key);
    r->source = source;
    r->id = keep(d, f[0]);
    r->given = keep(d, f[1]);
    r->family = keep(d, f[2]);
    char line1[256];
    (void)snprintf(line1, sizeof(line1), "%s %s", f[3], f[4]);
    r->line1 = keep(d, line1[0] == ' ' ? line1 + 1 : line1);
    r->town = keep(d, f[6]);
    r->postcode = keep(d, f[7]);
    if (strlen(f[9]) == 8) {
        r->dob_year = num(f[9], 0, 4);
        r->dob_month = num(f[9], 4, 2);
        r->dob_day = num(f[9], 6, 2);
    }
    if (f[10][0]) {
        struct pw_link_id *id = &d->ids[d->n - 1];
        id->scheme = "ssn";
        id->value = keep(d, f[10]);
        r->ids = id;
        r->nids = 1;
    }
}

static void
fake_row(struct dataset *d, char **f, size_t nf, const char *source)
{
    if (nf < 7) {
        return;
    }
    struct pw_link_record *r = add_record(d, f[6]);
    r->source = source;
    r->id = keep(d, f[0]);
    r->given = keep(d, f[1]);
    r->family = keep(d, f[2]);
    if (strlen(f[3]) == 10) {
        r->dob_year = num(f[3], 0, 4);
        r->dob_month = num(f[3], 5, 2);
        r->dob_day = num(f[3], 8, 2);
    }
    r->town = keep(d, f[4]);
    if (f[5][0]) {
        struct pw_link_id *id = &d->ids[d->n - 1];
        id->scheme = "email";
        id->value = keep(d, f[5]);
        r->ids = id;
        r->nids = 1;
    }
}

static void
rl_row(struct dataset *d, char **f, size_t nf, const char *source)
{
    if (nf < 9) {
        return;
    }
    struct pw_link_record *r = add_record(d, f[8]);
    char buf[256];
    r->source = source;
    r->id = keep(d, f[7]);
    (void)snprintf(buf, sizeof(buf), "%s %s", f[0], f[1]);
    r->given = keep(d, buf);
    (void)snprintf(buf, sizeof(buf), "%s%s%s", f[2], f[3][0] ? "-" : "", f[3]);
    r->family = keep(d, buf);
    r->dob_year = (int)to_long(f[4]);
    r->dob_month = (int)to_long(f[5]);
    r->dob_day = (int)to_long(f[6]);
}

/* ---- The generator of corrupted British person records ---- */

static const char *const male[] = {
    "Oliver",  "George",    "Harry",  "Jack",        "Jacob",     "Noah",    "Charlie",  "Thomas",
    "Oscar",   "William",   "James",  "Henry",       "Leo",       "Alfie",   "Joshua",   "Freddie",
    "Archie",  "Ethan",     "Isaac",  "Alexander",   "Joseph",    "Edward",  "Samuel",   "Max",
    "Daniel",  "Arthur",    "Lucas",  "Mohammed",    "Logan",     "Theo",    "Harrison", "Benjamin",
    "Mason",   "Sebastian", "Finley", "Adam",        "Dylan",     "Zachary", "Riley",    "Michael",
    "Matthew", "David",     "Robert", "Christopher", "Andrew",    "Richard", "Peter",    "Paul",
    "Anthony", "Stephen",   "John",   "Mark",        "Kevin",     "Gary",    "Ian",      "Simon",
    "Ahmed",   "Omar",      "Kwame",  "Tomasz",      "Krzysztof", "Piotr",   "Ciaran",   "Rhys",
    "Dafydd",  "Seamus",    "José",   "Raj",         "Sanjay",    "Yusuf",   "Ibrahim",  "Callum",
    "Connor",  "Kieran",    "Declan", "Liam",
};
static const char *const female[] = {
    "Olivia",    "Amelia",   "Isla",     "Ava",       "Emily",    "Isabella",   "Mia",
    "Poppy",     "Ella",     "Lily",     "Jessica",   "Sophie",   "Grace",      "Evie",
    "Charlotte", "Freya",    "Chloe",    "Daisy",     "Alice",    "Sophia",     "Florence",
    "Phoebe",    "Ruby",     "Matilda",  "Elizabeth", "Margaret", "Catherine",  "Victoria",
    "Rebecca",   "Samantha", "Jennifer", "Susan",     "Patricia", "Deborah",    "Sarah",
    "Rachel",    "Helen",    "Karen",    "Sharon",    "Tracy",    "Nicola",     "Joanne",
    "Fatima",    "Aisha",    "Maryam",   "Zainab",    "Priya",    "Siobhan",    "Niamh",
    "Aoife",     "Bethany",  "Megan",    "Zoë",       "Chloé",    "Małgorzata", "Katarzyna",
    "Agnieszka", "Abena",    "Ngozi",    "Amina",     "Leah",     "Hannah",     "Lauren",
    "Kayleigh",  "Jade",     "Courtney", "Natalie",   "Danielle", "Gemma",
};
/* Formal name, a nickname or variant the same person is recorded under elsewhere. */
static const char *const nick[][2] = {
    { "William", "Bill" },      { "William", "Liam" },      { "Elizabeth", "Liz" },
    { "Elizabeth", "Beth" },    { "Margaret", "Peggy" },    { "Margaret", "Maggie" },
    { "John", "Jack" },         { "Alexander", "Sasha" },   { "Alexander", "Alex" },
    { "Robert", "Bob" },        { "Robert", "Rob" },        { "Richard", "Dick" },
    { "Michael", "Mick" },      { "Catherine", "Kate" },    { "Catherine", "Cathy" },
    { "Christopher", "Chris" }, { "Mohammed", "Muhammad" }, { "Mohammed", "Mohamed" },
    { "Joseph", "Joe" },        { "Samuel", "Sam" },        { "Samantha", "Sam" },
    { "Edward", "Ted" },        { "Thomas", "Tom" },        { "Daniel", "Danny" },
    { "Matthew", "Matt" },      { "Rebecca", "Becky" },     { "Jennifer", "Jenny" },
    { "Victoria", "Vicky" },    { "Deborah", "Debbie" },    { "Patricia", "Trish" },
    { "Susan", "Sue" },         { "Nicola", "Nicky" },      { "Andrew", "Andy" },
    { "Anthony", "Tony" },      { "Stephen", "Steve" },     { "Benjamin", "Ben" },
    { "Frederick", "Freddie" }, { "Harry", "Henry" },       { "Zachary", "Zach" },
    { "Joshua", "Josh" },       { "James", "Jim" },         { "Peter", "Pete" },
    { "Oliver", "Ollie" },      { "Charlotte", "Lottie" },  { "Isabella", "Bella" },
    { "Florence", "Flo" },      { "Małgorzata", "Gosia" },  { "Katarzyna", "Kasia" },
    { "Yusuf", "Yousef" },      { "Ahmed", "Ahmad" },       { "Fatima", "Fatimah" },
    { "Siobhan", "Shevaun" },   { "Aisha", "Ayesha" },      { "Maryam", "Mariam" },
};
static const char *const surnames[] = {
    "Smith",        "Jones",       "Williams",
    "Taylor",       "Brown",       "Davies",
    "Evans",        "Wilson",      "Thomas",
    "Johnson",      "Roberts",     "Robinson",
    "Thompson",     "Wright",      "Walker",
    "White",        "Edwards",     "Hughes",
    "Green",        "Hall",        "Lewis",
    "Harris",       "Clarke",      "Patel",
    "Jackson",      "Wood",        "Turner",
    "Martin",       "Cooper",      "Hill",
    "Ward",         "Morris",      "Moore",
    "Clark",        "Lee",         "King",
    "Baker",        "Harrison",    "Morgan",
    "Allen",        "James",       "Scott",
    "Phillips",     "Watson",      "Davis",
    "Parker",       "Price",       "Bennett",
    "Young",        "Griffiths",   "Mitchell",
    "Kelly",        "Cook",        "Carter",
    "Richardson",   "Bailey",      "Collins",
    "Bell",         "Shaw",        "Murphy",
    "Miller",       "Cox",         "Richards",
    "Khan",         "Marshall",    "Anderson",
    "Simpson",      "Ellis",       "Adams",
    "Singh",        "Begum",       "Wilkinson",
    "Foster",       "Chapman",     "Powell",
    "Webb",         "Rogers",      "Gray",
    "Mason",        "Ali",         "Hunt",
    "Hussain",      "Campbell",    "Matthews",
    "Owen",         "Palmer",      "Holmes",
    "Mills",        "Barnes",      "Knight",
    "Lloyd",        "Butler",      "Russell",
    "Barker",       "Fisher",      "Stevens",
    "Jenkins",      "Murray",      "Dixon",
    "Harvey",       "O'Neill",     "O'Brien",
    "McDonald",     "MacKenzie",   "Nowak",
    "Kowalski",     "Wiśniewski",  "Oyelaran",
    "Okafor",       "Mensah",      "Adeyemi",
    "Chowdhury",    "Rahman",      "Ahmed",
    "Sharma",       "Gupta",       "Nguyen",
    "Müller",       "Fernández",   "Da Silva",
    "Van der Berg", "Smith-Jones", "Ashworth-Clarke",
};
static const char *const syl1[] = {
    "Ash",   "Bar",  "Black", "Brad", "Brook", "Bur",  "Cal",   "Cart", "Chat", "Cold",
    "Crom",  "Dal",  "Dun",   "East", "Els",   "Fair", "Farn",  "Gar",  "Glad", "Green",
    "Hal",   "Hart", "Haw",   "Hol",  "Ing",   "Kel",  "Kings", "Lang", "Lind", "Mar",
    "Mel",   "Mid",  "Nor",   "Ock",  "Pem",   "Pres", "Rad",   "Red",  "Roth", "Sal",
    "Sand",  "Shel", "Stan",  "Sum",  "Thorn", "Tre",  "Wal",   "West", "Whit", "Wor",
    "Ather", "Bram", "Corn",  "Dray", "Fen",   "Gos",  "Hed",   "Lyn",  "Pen",  "Quen",
};
static const char *const syl2[] = {
    "ford",  "ley",    "ton",   "wood",    "field", "by",     "well", "combe", "ham",    "worth",
    "stone", "bridge", "den",   "hurst",   "more",  "thorpe", "wick", "shaw",  "cott",   "land",
    "mer",   "win",    "ridge", "borough", "low",   "bury",   "dale", "sey",   "ington", "man",
    "er",    "nell",   "ock",   "ings",    "ard",   "ell",    "ick",  "oe",    "ers",    "cliffe",
};
static const char *const streets[] = {
    "High Street",    "Station Road",   "Church Lane",    "Victoria Road",    "Park Avenue",
    "Green Lane",     "Manor Road",     "Mill Lane",      "Kings Road",       "Queens Road",
    "New Road",       "Grange Road",    "London Road",    "School Lane",      "The Crescent",
    "Chestnut Close", "Orchard Way",    "Elm Grove",      "St John's Road",   "Albert Street",
    "Windsor Avenue", "Oak Drive",      "Mount Pleasant", "Springfield Road", "Bridge Street",
    "Castle Street",  "Alexandra Road", "York Road",
};
static const char *const towns[] = {
    "Manchester", "Leeds",      "Bradford", "Sheffield", "Birmingham",  "Coventry",
    "Leicester",  "Nottingham", "Bristol",  "Cardiff",   "Swansea",     "Newcastle",
    "Sunderland", "Liverpool",  "Preston",  "Blackburn", "Bolton",      "Oldham",
    "Stockport",  "Derby",      "Luton",    "Reading",   "Southampton", "Portsmouth",
    "Plymouth",   "Norwich",    "Ipswich",  "Hull",      "York",        "London",
};
static const char *const areas[] = {
    "M",  "LS", "BD", "S",  "B",  "CV", "LE", "NG", "BS", "CF", "SA", "NE", "SR", "L",  "PR", "BB",
    "BL", "OL", "SK", "DE", "LU", "RG", "SO", "PO", "PL", "NR", "IP", "HU", "YO", "E",  "N",  "SE",
    "SW", "W",  "NW", "EC", "WC", "CR", "BR", "DA", "EN", "HA", "IG", "KT", "RM", "SM", "TW", "UB",
    "WD", "CM", "SS", "CO", "CB", "PE", "MK", "OX", "GL", "WR", "WV", "WS", "DY", "ST", "CW", "CH",
    "WA", "WN", "FY", "LA", "CA", "DH", "DL", "TS", "HG", "HD", "HX", "WF", "DN", "LN", "NN",
};
static const char *const sources[] = { "police", "health", "school", "probation", "social care" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct person {
    char given[64], middle[64], family[64];
    int y, m, d;
    char sex;
    char line1[96], postcode[12];
    int town;
    char nhs[12], upn[16], pnc[16];
};

static const char *
pick(struct pw_rng *r, const char *const *list, size_t n)
{
    return list[pw_rng_below(r, n)];
}

static void
make_surname(struct pw_rng *r, char *out, size_t size)
{
    /* Half from the common list (Smith, Jones most often), half from a long tail. */
    if (pw_rng_chance(r, 50)) {
        size_t a = (size_t)pw_rng_below(r, COUNT(surnames));
        size_t b = (size_t)pw_rng_below(r, COUNT(surnames));
        (void)snprintf(out, size, "%s", surnames[a < b ? a : b]);
    } else {
        (void)snprintf(out, size, "%s%s", pick(r, syl1, COUNT(syl1)), pick(r, syl2, COUNT(syl2)));
    }
}

static void
make_address(struct pw_rng *r, struct person *p)
{
    (void)snprintf(p->line1, sizeof(p->line1), "%d %s", (int)pw_rng_range(r, 1, 180),
                   pick(r, streets, COUNT(streets)));
    (void)snprintf(p->postcode, sizeof(p->postcode), "%s%d %d%c%c", pick(r, areas, COUNT(areas)),
                   (int)pw_rng_range(r, 1, 40), (int)pw_rng_range(r, 0, 9),
                   (char)('A' + pw_rng_below(r, 20)), (char)('A' + pw_rng_below(r, 20)));
    p->town = (int)pw_rng_below(r, COUNT(towns));
}

static void
typo(struct pw_rng *r, char *s)
{
    size_t n = strlen(s);
    if (n < 3) {
        return;
    }
    size_t i = 1 + (size_t)pw_rng_below(r, n - 2);
    switch (pw_rng_below(r, 3)) {
    case 0: /* substitute */
        s[i] = (char)('a' + pw_rng_below(r, 26));
        break;
    case 1: /* delete */
        memmove(s + i, s + i + 1, n - i);
        break;
    default: { /* transpose */
        char t = s[i];
        s[i] = s[i + 1];
        s[i + 1] = t;
        break;
    }
    }
}

static const char *
nickname_of(struct pw_rng *r, const char *given)
{
    size_t hits[8], k = 0;
    for (size_t i = 0; i < COUNT(nick) && k < 8; i++) {
        if (strcmp(nick[i][0], given) == 0) {
            hits[k++] = i;
        }
    }
    return k ? nick[hits[pw_rng_below(r, k)]][1] : NULL;
}

static void
new_person(struct pw_rng *r, struct person *p, const struct person *family, size_t id)
{
    memset(p, 0, sizeof(*p));
    p->sex = pw_rng_chance(r, 50) ? 'm' : 'f';
    const char *const *names = p->sex == 'm' ? male : female;
    size_t nn = p->sex == 'm' ? COUNT(male) : COUNT(female);
    (void)snprintf(p->given, sizeof(p->given), "%s", pick(r, names, nn));
    if (pw_rng_chance(r, 50)) {
        (void)snprintf(p->middle, sizeof(p->middle), "%s", pick(r, names, nn));
    }
    if (family) {
        (void)snprintf(p->family, sizeof(p->family), "%s", family->family);
        memcpy(p->line1, family->line1, sizeof(p->line1));
        memcpy(p->postcode, family->postcode, sizeof(p->postcode));
        p->town = family->town;
        p->y = family->y + (int)pw_rng_range(r, 20, 40);
    } else {
        make_surname(r, p->family, sizeof(p->family));
        make_address(r, p);
        p->y = (int)pw_rng_range(r, 1950, 1995);
    }
    p->m = (int)pw_rng_range(r, 1, 12);
    p->d = (int)pw_rng_range(r, 1, 28);
    /* Distinct NHS and other numbers from the person's index. */
    /* Scrambled (a bijection mod a prime), so relatives' numbers are not one digit apart. */
    (void)snprintf(p->nhs, sizeof(p->nhs), "%010llu",
                   (unsigned long long)(4000000000ULL + (id * 2654435761ULL) % 5999999999ULL));
    (void)snprintf(p->upn, sizeof(p->upn), "U%09llu",
                   (unsigned long long)((id * 40503ULL + 17) % 999999937ULL));
    (void)snprintf(p->pnc, sizeof(p->pnc), "PNC%08llu",
                   (unsigned long long)((id * 104729ULL + 11) % 99999989ULL));
}

struct gen {
    struct dataset *d;
    struct pw_rng rng;
    size_t people;
};

static void
emit_record(struct gen *g, const struct person *p, size_t pid, size_t k)
{
    struct pw_rng *r = &g->rng;
    struct dataset *d = g->d;
    char key[32], buf[160];
    (void)snprintf(key, sizeof(key), "%zu", pid);
    struct pw_link_record *rec = add_record(d, key);
    const char *src = sources[(pid + k) % COUNT(sources)];
    rec->source = src;
    (void)snprintf(buf, sizeof(buf), "%s-%zu-%zu", src, pid, k);
    rec->id = keep(d, buf);
    char given[64], family[64];
    const char *nk = nickname_of(r, p->given);
    (void)snprintf(given, sizeof(given), "%s", nk && pw_rng_chance(r, 20) ? nk : p->given);
    if (pw_rng_chance(r, 6)) {
        typo(r, given);
    }
    if (p->middle[0] && pw_rng_chance(r, 60)) {
        (void)snprintf(buf, sizeof(buf), "%s %s", given, p->middle);
    } else {
        (void)snprintf(buf, sizeof(buf), "%s", given);
    }
    rec->given = keep(d, pw_rng_chance(r, 2) ? NULL : buf);
    (void)snprintf(family, sizeof(family), "%s", p->family);
    if (pw_rng_chance(r, 6)) {
        typo(r, family);
    }
    if (p->sex == 'f' && pw_rng_chance(r, 5)) {
        make_surname(r, family, sizeof(family)); /* a married name */
        rec->family_alt = pw_rng_chance(r, 50) ? keep(d, p->family) : NULL;
    }
    rec->family = keep(d, family);
    if (!pw_rng_chance(r, 8)) {
        rec->dob_year = p->y;
        rec->dob_month = p->m;
        rec->dob_day = p->d;
        if (p->d <= 12 && pw_rng_chance(r, 4)) {
            rec->dob_month = p->d;
            rec->dob_day = p->m;
        } else if (pw_rng_chance(r, 4)) {
            rec->dob_year += pw_rng_chance(r, 50) ? 1 : -1;
        } else if (pw_rng_chance(r, 3)) {
            rec->dob_day = rec->dob_day % 10 == 9 ? rec->dob_day - 1 : rec->dob_day + 1;
        }
    }
    rec->sex = pw_rng_chance(r, 10) ? 0 : p->sex;
    if (pw_rng_chance(r, 15)) {
        struct person moved = *p;
        make_address(r, &moved); /* moved house */
        rec->line1 = keep(d, moved.line1);
        rec->postcode = keep(d, moved.postcode);
        rec->town = towns[moved.town];
    } else {
        rec->line1 = pw_rng_chance(r, 15) ? NULL : keep(d, p->line1);
        rec->postcode = pw_rng_chance(r, 10) ? NULL : keep(d, p->postcode);
        rec->town = pw_rng_chance(r, 20) ? NULL : towns[p->town];
    }
    struct pw_link_id *id = &d->ids[d->n - 1];
    bool health = strcmp(src, "health") == 0, school = strcmp(src, "school") == 0;
    bool police = strcmp(src, "police") == 0;
    if ((health && pw_rng_chance(r, 90)) || pw_rng_chance(r, 15)) {
        *id = (struct pw_link_id){ "nhs", p->nhs };
    } else if (school && pw_rng_chance(r, 80)) {
        *id = (struct pw_link_id){ "upn", p->upn };
    } else if (police && pw_rng_chance(r, 50)) {
        *id = (struct pw_link_id){ "pnc", p->pnc };
    } else {
        id = NULL;
    }
    if (id) {
        id->value = keep(d, id->value);
        rec->ids = id;
        rec->nids = 1;
    }
}

/* Households: parents and children sharing a surname and address (twins now and then), each
 * person recorded by 1 to 4 agencies. */
static void
generate(struct dataset *d, size_t n, uint64_t seed)
{
    struct gen g = { d, { 0 }, 0 };
    pw_rng_seed(&g.rng, seed);
    while (d->n < n) {
        struct person parent, child;
        new_person(&g.rng, &parent, NULL, g.people);
        size_t kids = (size_t)pw_rng_below(&g.rng, 4);
        for (size_t c = 0; c <= kids && d->n < n; c++) {
            struct person *p = &parent;
            if (c > 0) {
                bool twin = c > 1 && pw_rng_chance(&g.rng, 5);
                struct person prev = child;
                new_person(&g.rng, &child, &parent, g.people);
                if (twin) {
                    child.y = prev.y;
                    child.m = prev.m;
                    child.d = prev.d;
                }
                p = &child;
            }
            size_t pid = g.people++;
            unsigned roll = (unsigned)pw_rng_below(&g.rng, 100);
            size_t copies = roll < 30 ? 1 : roll < 60 ? 2 : roll < 85 ? 3 : 4;
            for (size_t k = 0; k < copies && d->n < n; k++) {
                emit_record(&g, p, pid, k);
            }
        }
    }
}

/* ---- Measures ---- */

struct measures {
    double true_pairs, tp, fp, fn;
    double b3p, b3r;
    double cluster_pairs, cluster_tp; /* pairs implied by the clusters; those truly one person */
    double fp_home;                   /* false links between records at one address */
    double joined, joined_home;       /* pairs of different people in one cluster; at one address */
};

/* First address line up to its first comma, folded: the feeds that have no town column put it
 * after a comma ("30 Beeston Road, Nottingham"). */
static void
home_line(const char *s, char *out, size_t size)
{
    size_t k = 0;
    for (; s && *s && *s != ',' && k + 1 < size; s++) {
        if (*s != ' ') {
            out[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
        }
    }
    out[k] = '\0';
}

static void
home_postcode(const char *s, char *out, size_t size)
{
    size_t k = 0;
    for (; s && *s && k + 1 < size; s++) {
        if ((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z')) {
            out[k++] = *s;
        } else if (*s >= 'a' && *s <= 'z') {
            out[k++] = (char)(*s - 'a' + 'A');
        }
    }
    out[k] = '\0';
}

/* Do two records give one address (a household's): the same first line, and the same postcode
 * unless one lacks it; or, without a first line, the same postcode. */
static bool
same_home(const struct pw_link_record *a, const struct pw_link_record *b)
{
    char pa[16], pb[16];
    home_postcode(a->postcode, pa, sizeof(pa));
    home_postcode(b->postcode, pb, sizeof(pb));
    if (a->line1 && b->line1) {
        char la[256], lb[256];
        home_line(a->line1, la, sizeof(la));
        home_line(b->line1, lb, sizeof(lb));
        return la[0] && strcmp(la, lb) == 0 && (!pa[0] || !pb[0] || strcmp(pa, pb) == 0);
    }
    return pa[0] && strcmp(pa, pb) == 0;
}

/* Pairs of different people the clusters put together, and those of them at one address. */
static void
wrongly_joined(const struct dataset *d, const size_t *cl, size_t nc, struct measures *m)
{
    size_t *start = pw_xcalloc(nc + 1, sizeof(size_t));
    size_t *order = pw_xmalloc(pw_mul_size(d->n ? d->n : 1, sizeof(size_t)));
    for (size_t i = 0; i < d->n; i++) {
        start[cl[i] + 1]++;
    }
    for (size_t c = 0; c < nc; c++) {
        start[c + 1] += start[c];
    }
    size_t *fill = pw_xmalloc(pw_mul_size(nc + 1, sizeof(size_t)));
    memcpy(fill, start, (nc + 1) * sizeof(size_t));
    for (size_t i = 0; i < d->n; i++) {
        order[fill[cl[i]]++] = i;
    }
    for (size_t c = 0; c < nc; c++) {
        for (size_t x = start[c]; x < start[c + 1]; x++) {
            for (size_t y = x + 1; y < start[c + 1]; y++) {
                size_t a = order[x], b = order[y];
                if (d->truth[a] != d->truth[b]) {
                    m->joined++;
                    m->joined_home += same_home(&d->recs[a], &d->recs[b]);
                }
            }
        }
    }
    free(fill);
    free(order);
    free(start);
}

static int
cmp_pair_idx(const void *x, const void *y, const size_t *a, const size_t *b)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    if (a[i] != a[j]) {
        return a[i] < a[j] ? -1 : 1;
    }
    if (b[i] != b[j]) {
        return b[i] < b[j] ? -1 : 1;
    }
    return 0;
}

static const size_t *sort_a, *sort_b;

static int
cmp_idx(const void *x, const void *y)
{
    return cmp_pair_idx(x, y, sort_a, sort_b);
}

/* Sizes of the groups of equal (a[i], b[i]) for each record i, by sorting indexes. */
static void
group_sizes(const size_t *a, const size_t *b, size_t n, size_t *size)
{
    size_t *idx = pw_xmalloc(pw_mul_size(n ? n : 1, sizeof(size_t)));
    for (size_t i = 0; i < n; i++) {
        idx[i] = i;
    }
    sort_a = a;
    sort_b = b;
    qsort(idx, n, sizeof(size_t), cmp_idx);
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && cmp_pair_idx(&idx[i], &idx[j], a, b) == 0) {
            j++;
        }
        for (size_t k = i; k < j; k++) {
            size[idx[k]] = j - i;
        }
        i = j;
    }
    free(idx);
}

static double
true_pair_count(const struct dataset *d)
{
    /* Pairs sharing a truth key; across sources only when the task is a two-file link. */
    size_t *zero = pw_xcalloc(d->n ? d->n : 1, sizeof(size_t));
    size_t *src = pw_xcalloc(d->n ? d->n : 1, sizeof(size_t));
    size_t *by_truth = pw_xmalloc(pw_mul_size(d->n ? d->n : 1, sizeof(size_t)));
    size_t *by_truth_src = pw_xmalloc(pw_mul_size(d->n ? d->n : 1, sizeof(size_t)));
    for (size_t i = 0; i < d->n; i++) {
        src[i] = d->recs[i].source == d->recs[0].source ? 0 : 1;
    }
    group_sizes(d->truth, zero, d->n, by_truth);
    group_sizes(d->truth, src, d->n, by_truth_src);
    double pairs = 0;
    for (size_t i = 0; i < d->n; i++) {
        pairs += (double)(d->across ? by_truth[i] - by_truth_src[i] : by_truth[i] - 1);
    }
    free(zero);
    free(src);
    free(by_truth);
    free(by_truth_src);
    return pairs / 2;
}

static struct measures
measure(const struct dataset *d, const struct pw_link_result *r)
{
    struct measures m = { 0 };
    m.true_pairs = true_pair_count(d);
    size_t np, nc;
    const struct pw_link_pair *pairs = pw_link_result_pairs(r, &np);
    for (size_t i = 0; i < np; i++) {
        if (pairs[i].band == PW_LINK_LINK) {
            if (d->truth[pairs[i].a] == d->truth[pairs[i].b]) {
                m.tp++;
            } else {
                m.fp++;
                m.fp_home += same_home(&d->recs[pairs[i].a], &d->recs[pairs[i].b]);
            }
        }
    }
    m.fn = m.true_pairs - m.tp;
    const size_t *cl = pw_link_result_clusters(r, &nc);
    wrongly_joined(d, cl, pw_link_result_stats(r)->clusters, &m);
    size_t *zero = pw_xcalloc(d->n ? d->n : 1, sizeof(size_t));
    size_t *cs = pw_xmalloc(pw_mul_size(d->n ? d->n : 1, sizeof(size_t)));
    size_t *ts = pw_xmalloc(pw_mul_size(d->n ? d->n : 1, sizeof(size_t)));
    size_t *both = pw_xmalloc(pw_mul_size(d->n ? d->n : 1, sizeof(size_t)));
    group_sizes(cl, zero, d->n, cs);
    group_sizes(d->truth, zero, d->n, ts);
    group_sizes(cl, d->truth, d->n, both);
    for (size_t i = 0; i < d->n; i++) {
        m.b3p += (double)both[i] / (double)cs[i];
        m.b3r += (double)both[i] / (double)ts[i];
        /* The pairs the clusters imply: each record counts its cluster-mates (halved below). */
        m.cluster_pairs += (double)(cs[i] - 1) / 2;
        m.cluster_tp += (double)(both[i] - 1) / 2;
    }
    m.b3p /= (double)(d->n ? d->n : 1);
    m.b3r /= (double)(d->n ? d->n : 1);
    free(zero);
    free(cs);
    free(ts);
    free(both);
    return m;
}

static double
f1(double p, double r)
{
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

static bool show_model;
static double link_at;     /* --link-at: 0 keeps the library's default */
static size_t show_false;  /* --show-false N: print N false links with their explanation */
static size_t show_missed; /* --show-missed N: print N true pairs not linked */

static void
print_record(const struct pw_link_record *r)
{
    printf("      %s %s | %s %s (%s) | %04d-%02d-%02d %c | %s, %s %s\n", r->source, r->id,
           r->given ? r->given : "-", r->family ? r->family : "-",
           r->family_alt ? r->family_alt : "", r->dob_year, r->dob_month, r->dob_day,
           r->sex ? r->sex : '?', r->line1 ? r->line1 : "-", r->town ? r->town : "-",
           r->postcode ? r->postcode : "-");
}

/* The first N true pairs (same truth key) not linked, with the parts of their weight. */
static void
print_missed(const struct dataset *d, const struct pw_link_result *r)
{
    size_t shown = 0;
    for (size_t a = 0; a < d->n && shown < show_missed; a++) {
        for (size_t b = a + 1; b < d->n && shown < show_missed; b++) {
            if (d->truth[a] != d->truth[b]) {
                continue;
            }
            struct pw_link_explanation e;
            struct pw_error err = { 0 };
            if (pw_link_explain(r, a, b, &e, &err) != PW_OK || e.band == PW_LINK_LINK) {
                continue;
            }
            shown++;
            printf("    missed, weight %+.2f (p %.3f):\n", e.weight, e.probability);
            print_record(&d->recs[a]);
            print_record(&d->recs[b]);
            for (size_t k = 0; k < e.nparts; k++) {
                printf("        %-16s %-34s %+6.2f %+6.2f\n", e.parts[k].field, e.parts[k].level,
                       e.parts[k].weight, e.parts[k].tf_adjust);
            }
        }
    }
}

/* The first N false links, each with its records and the parts of its weight. */
static void
print_false_links(const struct dataset *d, const struct pw_link_result *r)
{
    size_t np = 0, shown = 0;
    const struct pw_link_pair *pairs = pw_link_result_pairs(r, &np);
    for (size_t i = 0; i < np && shown < show_false; i++) {
        if (pairs[i].band != PW_LINK_LINK || d->truth[pairs[i].a] == d->truth[pairs[i].b]) {
            continue;
        }
        struct pw_link_explanation e;
        struct pw_error err = { 0 };
        if (pw_link_explain(r, pairs[i].a, pairs[i].b, &e, &err) != PW_OK) {
            continue;
        }
        shown++;
        printf("    false link, weight %+.2f (p %.3f):\n", e.weight, e.probability);
        print_record(&d->recs[pairs[i].a]);
        print_record(&d->recs[pairs[i].b]);
        for (size_t k = 0; k < e.nparts; k++) {
            printf("        %-16s %-34s %+6.2f %+6.2f\n", e.parts[k].field, e.parts[k].level,
                   e.parts[k].weight, e.parts[k].tf_adjust);
        }
    }
}

static void
print_model(const struct pw_link_model *model)
{
    for (size_t f = 0; f < pw_link_model_fields(model); f++) {
        for (size_t l = 0; l < pw_link_model_levels(model, f); l++) {
            const char *field, *level;
            double mp, up;
            if (pw_link_model_level(model, f, l, &field, &level, &mp, &up)) {
                printf("    %-16s %-40.40s m %.5f u %.6f\n", field, level, mp, up);
            }
        }
    }
}

static void
run(const char *name, struct dataset *d, int threads)
{
    struct pw_link_options o;
    pw_link_options_default(&o);
    o.across_sources_only = d->across;
    o.threads = threads;
    if (link_at > 0) {
        o.link_at = link_at;
        o.review_at = o.review_at < link_at ? o.review_at : link_at;
    }
    struct pw_link_result *r;
    struct pw_error err = { 0 };
    for (size_t i = 0; i < d->n && !d->arena; i++) {
        /* The id array moved as it grew: point each record at its own entry again. */
        d->recs[i].ids = d->recs[i].nids ? &d->ids[i] : NULL;
    }
    double t0 = bench_now_s();
    if (pw_link_run(d->recs, d->n, NULL, 0, &o, &r, &err) != PW_OK) {
        die("%s: %s", name, err.msg);
    }
    double wall = bench_now_s() - t0;
    const struct pw_link_stats *s = pw_link_result_stats(r);
    struct measures m = measure(d, r);
    double pp = m.tp + m.fp > 0 ? m.tp / (m.tp + m.fp) : 0;
    double pr = m.true_pairs > 0 ? m.tp / m.true_pairs : 0;
    printf("%-12s records %8zu  true pairs %8.0f  candidates %9zu  (%zu skipped keys)\n", name,
           d->n, m.true_pairs, s->candidate_pairs, s->skipped_blocks);
    printf("%-12s pairwise  P %.4f R %.4f F1 %.4f  (link %zu, review %zu)\n", "", pp, pr,
           f1(pp, pr), s->link_pairs, s->review_pairs);
    double cp = m.cluster_pairs > 0 ? m.cluster_tp / m.cluster_pairs : 0;
    double cr = m.true_pairs > 0 ? m.cluster_tp / m.true_pairs : 0;
    printf("%-12s clusters  P %.4f R %.4f F1 %.4f  (the pairs the people found imply)\n", "", cp,
           cr, f1(cp, cr));
    printf("%-12s B-cubed   P %.4f R %.4f F1 %.4f  (clusters %zu, refused merges %zu)\n", "", m.b3p,
           m.b3r, f1(m.b3p, m.b3r), s->clusters, s->refused_merges);
    printf("%-12s relatives false links %.0f of %.0f at one address; people wrongly joined: %.0f "
           "record pairs, %.0f at one address\n",
           "", m.fp_home, m.fp, m.joined, m.joined_home);
    printf("%-12s %.0f records/s  %.3f s: prepare %.3f block %.3f compare %.3f train %.3f "
           "(%u it, prior %.4f) score %.3f cluster %.3f  peak RSS %.0f MiB\n",
           "", (double)d->n / wall, wall, s->t_prepare, s->t_block, s->t_compare, s->t_train,
           s->em_iterations, s->prior, s->t_score, s->t_cluster, peak_rss_mib());
    if (show_model) {
        print_model(pw_link_result_model(r));
    }
    if (show_false > 0) {
        print_false_links(d, r);
    }
    if (show_missed > 0) {
        print_missed(d, r);
    }
    fflush(stdout);
    pw_link_result_free(r);
}

/* ---- Driver ---- */

static bool
exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void
path_of(char *out, size_t size, const char *dir, const char *file)
{
    int w = snprintf(out, size, "%s/%s", dir, file);
    if (w < 0 || (size_t)w >= size) {
        die("path too long: %s/%s", dir, file);
    }
}

/* ---- A synthetic partnership: the agencies' feeds read as pathway import reads them ---- */

static const char *const feed_agencies[] = { "csc", "police", "health", "education", "probation" };

static void
feed_error(void *ctx, long line, const char *column, const char *msg)
{
    fprintf(stderr, "bench_link: %s:%ld %s: %s\n", (const char *)ctx, line, column ? column : "",
            msg);
}

static const char *
json_text(const json_t *o, const char *key, struct pw_arena *a)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? pw_arena_strdup(a, s) : NULL;
}

/* One feed's good rows as records: the registration gives the person, the residence (when the
 * row has one) the address, as pw_link_people_load would find them in the store. */
static void
read_feed(struct dataset *d, const char *dir, const char *agency, const struct pw_strmap *truth,
          char **keys)
{
    char path[4096];
    char file[64];
    (void)snprintf(file, sizeof(file), "feeds/%s.csv", agency);
    path_of(path, sizeof(path), dir, file);
    char *data = slurp(path);
    struct pw_feed_opts fo = { 0 };
    fo.agency = agency;
    fo.file = file;
    fo.at = "2099-12-31"; /* after any date of birth a typo could make */
    fo.by = "bench";
    struct pw_feed_batch b = { 0 };
    struct pw_error err = { 0 };
    if (pw_feed_read(&fo, data, strlen(data), feed_error, path, &b, &err) != PW_OK) {
        die("%s: %s", path, err.msg);
    }
    for (size_t i = 0; i < b.count; i++) {
        const struct pw_feed_record *fr = &b.records[i];
        char tk[256];
        int64_t k;
        (void)snprintf(tk, sizeof(tk), "%s/%s", agency, fr->record);
        if (!pw_strmap_get(truth, tk, &k)) {
            die("%s: record %s is not in truth.csv", path, fr->record);
        }
        struct pw_link_record *r = add_record(d, keys[k]);
        size_t max = json_object_size(json_object_get(fr->facts[0], "identifiers"));
        struct pw_link_id *ids =
            pw_arena_alloc(d->arena, pw_mul_size(max ? max : 1, sizeof(struct pw_link_id)));
        pw_link_record_from_registration(fr->facts[0], agency, fr->record, d->arena, ids, max, r);
        for (size_t f = 1; f < fr->nfacts; f++) {
            const char *type = json_string_value(json_object_get(fr->facts[f], "type"));
            if (type && strcmp(type, "residence.recorded") == 0) {
                const json_t *addr = json_object_get(fr->facts[f], "address");
                r->line1 = json_text(addr, "line1", d->arena);
                r->town = json_text(addr, "town", d->arena);
                r->postcode = json_text(addr, "postcode", d->arena);
            }
        }
    }
    pw_feed_batch_release(&b);
    free(data);
}

/* A partnership's five feeds with truth.csv (agency,record_id,person_key). */
static void
read_synth(struct dataset *d, const char *dir)
{
    char path[4096];
    path_of(path, sizeof(path), dir, "truth.csv");
    char *buf = slurp(path);
    struct pw_strmap truth;
    pw_strmap_init(&truth);
    char **keys = NULL;
    size_t nkeys = 0, cap = 0;
    bool header = true;
    for (char *line = buf; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
        }
        char *f[MAX_FIELDS];
        if (!header && split(line, f, MAX_FIELDS) >= 3) {
            char tk[256];
            (void)snprintf(tk, sizeof(tk), "%s/%s", f[0], f[1]);
            if (nkeys == cap) {
                cap = cap ? cap * 2 : 4096;
                keys = pw_xrealloc(keys, pw_mul_size(cap, sizeof(char *)));
            }
            keys[nkeys] = (char *)(uintptr_t)keep(d, f[2]);
            pw_strmap_put(&truth, tk, (int64_t)nkeys++);
        }
        header = false;
        line = nl ? nl + 1 : NULL;
    }
    free(buf);
    d->arena = pw_arena_new();
    for (size_t a = 0; a < sizeof(feed_agencies) / sizeof(feed_agencies[0]); a++) {
        read_feed(d, dir, feed_agencies[a], &truth, keys);
    }
    pw_strmap_release(&truth);
    free(keys);
}

/* A partnership of children made in a temporary folder, read, then the folder removed. */
static void
make_synth(struct dataset *d, uint64_t children)
{
    char dir[] = "/tmp/bench_link.XXXXXX";
    if (!mkdtemp(dir)) {
        die("mkdtemp: %s", strerror(errno));
    }
    struct pw_synth_opts so = { children, 1, 1.0, pw_date_from_ymd(2025, 9, 1) };
    struct pw_error err = { 0 };
    if (pw_synth_write(&so, dir, NULL, &err) != PW_OK) {
        die("synth: %s", err.msg);
    }
    read_synth(d, dir);
    static const char *const made[] = {
        "feeds/csc.csv",       "feeds/police.csv",    "feeds/health.csv",
        "feeds/education.csv", "feeds/probation.csv", "truth.csv",
        "facts.jsonl",         "README.md",           "feeds"
    };
    char path[4096];
    for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
        path_of(path, sizeof(path), dir, made[i]);
        (void)remove(path);
    }
    (void)remove(dir);
}

static bool
wanted(const char *only, const char *name)
{
    return !only || strcmp(only, name) == 0 ||
           (strcmp(only, "scale") == 0 && strncmp(name, "gen", 3) == 0) ||
           (strcmp(only, "synth") == 0 && strncmp(name, "synth", 5) == 0);
}

static void
run_file(const char *dir, const char *only, const char *name, const char *file, const char *file2,
         row_fn fn, int threads)
{
    if (!wanted(only, name)) {
        return;
    }
    struct dataset d = { 0 };
    char path[4096];
    pw_strmap_init(&d.truthmap);
    path_of(path, sizeof(path), dir, file);
    read_csv(&d, path, file2 ? "a" : name, fn);
    if (file2) {
        path_of(path, sizeof(path), dir, file2);
        read_csv(&d, path, "b", fn);
        d.across = true;
    }
    run(name, &d, threads);
    dataset_free(&d);
}

int
main(int argc, char **argv)
{
    const char *dir = NULL, *only = NULL, *synth = NULL;
    size_t scale = MAX_SCALE, synth_large = SYNTH_LARGE;
    int threads = 2;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only = argv[++i];
        } else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
            scale = (size_t)to_long(argv[++i]);
        } else if (strcmp(argv[i], "--synth") == 0 && i + 1 < argc) {
            synth = argv[++i];
        } else if (strcmp(argv[i], "--synth-children") == 0 && i + 1 < argc) {
            synth_large = (size_t)to_long(argv[++i]);
        } else if (strcmp(argv[i], "--model") == 0) {
            show_model = true;
        } else if (strcmp(argv[i], "--show-missed") == 0 && i + 1 < argc) {
            show_missed = (size_t)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--show-false") == 0 && i + 1 < argc) {
            show_false = (size_t)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--link-at") == 0 && i + 1 < argc) {
            link_at = strtod(argv[++i], NULL);
            if (!(link_at > 0 && link_at < 1)) {
                die("--link-at: a probability between 0 and 1");
            }
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            threads = (int)to_long(argv[++i]);
        } else {
            die("usage: bench_link [--data DIR] [--only NAME] [--scale N] [--synth DIR] "
                "[--synth-children N] [--threads N] [--model] [--link-at P] [--show-false N] [--show-missed N]");
        }
    }
    if (!dir) {
        dir = exists("/work/shared/data/linkage") ? "/work/shared/data/linkage"
                                                  : "../shared/data/linkage";
    }
    run_file(dir, only, "febrl1", "febrl/dataset1.csv", NULL, febrl_row, threads);
    run_file(dir, only, "febrl2", "febrl/dataset2.csv", NULL, febrl_row, threads);
    run_file(dir, only, "febrl3", "febrl/dataset3.csv", NULL, febrl_row, threads);
    run_file(dir, only, "febrl4", "febrl/dataset4a.csv", "febrl/dataset4b.csv", febrl_row, threads);
    run_file(dir, only, "fake_1000", "splink/fake_1000.csv", NULL, fake_row, threads);
    run_file(dir, only, "rldata500", "rldata/RLdata500.csv", NULL, rl_row, threads);
    run_file(dir, only, "rldata10000", "rldata/RLdata10000.csv", NULL, rl_row, threads);
    /* A partnership: the one named, else one of SYNTH_SMALL children and a larger one. */
    size_t sizes[2] = { SYNTH_SMALL, synth_large };
    for (size_t k = 0; k < (synth ? 1u : 2u); k++) {
        char name[32];
        (void)snprintf(name, sizeof(name), synth ? "synth" : "synth%zu", sizes[k]);
        if (!wanted(only, name) || sizes[k] == 0) {
            continue;
        }
        struct dataset d = { 0 };
        pw_strmap_init(&d.truthmap);
        double t0 = bench_now_s();
        if (synth) {
            read_synth(&d, synth);
        } else {
            make_synth(&d, sizes[k]);
        }
        fprintf(stderr, "read %zu feed records in %.2f s\n", d.n, bench_now_s() - t0);
        run(name, &d, threads);
        dataset_free(&d);
    }
    for (size_t n = 10000; n <= scale; n *= 10) {
        char name[32];
        (void)snprintf(name, sizeof(name), "gen%zu", n);
        if (!wanted(only, name)) {
            continue;
        }
        struct dataset d = { 0 };
        pw_strmap_init(&d.truthmap);
        double t0 = bench_now_s();
        generate(&d, n, SEED);
        fprintf(stderr, "generated %zu records in %.2f s\n", d.n, bench_now_s() - t0);
        run(name, &d, threads);
        dataset_free(&d);
    }
    return 0;
}
