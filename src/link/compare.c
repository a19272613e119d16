/*
 * Comparing two prepared records field by field into discrete agreement levels, the input of
 * the Fellegi-Sunter model: names (exact, nickname or alias, spelling similarity, sound, other
 * given names and swaps), dates of birth (exact, day and month swapped, one slip, year only),
 * the address as one comparison of first line, postcode and town, sex and identifiers. Also the
 * hard conflicts that keep two records out of one cluster whatever their weight. Levels run from
 * strongest agreement (0) to disagreement; PW__LINK_NULL means a side lacks the field, which
 * contributes nothing.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/internal.h"

static const char *const field_names[PW__NFIELDS] = {
    "given name", "family name", "date of birth",    "sex",
    "address",    "NHS number",  "other identifier",
};

static const char *const level_names[PW__NFIELDS][PW__LINK_MAXLEVELS] = {
    { "exact", "nickname or alias", "very similar spelling", "similar spelling or sounds alike",
      "another given name, an initial, or swapped with the family name", "different" },
    { "exact", "one part, the other name or swapped", "very similar spelling",
      "similar spelling or sounds alike", "different" },
    { "exact", "day and month swapped", "one slip (a digit, or the year by one)",
      "year only agrees", "different", "a generation apart (12 years or more)" },
    { "same", "different" },
    { "same first line, postcode and town", "same first line and postcode",
      "two of first line, postcode and town the same, the third nearly or missing",
      "same first line without postcode, or nearly the same line and the same postcode",
      "same postcode and town, another first line", "same postcode, another first line",
      "similar first line, postcode nearby or different", "same outward code or town",
      "different" },
    { "same", "one digit different", "different" },
    { "same", "one character different", "different" },
};

static const unsigned nlevels[PW__NFIELDS] = { 6, 5, 6, 2, 9, 3, 3 };

const char *
pw__link_field_name(unsigned f)
{
    return f < PW__NFIELDS ? field_names[f] : "?";
}

const char *
pw__link_level_name(unsigned f, unsigned level)
{
    if (level == PW__LINK_NULL) {
        return "missing";
    }
    return f < PW__NFIELDS && level < nlevels[f] ? level_names[f][level] : "?";
}

unsigned
pw__link_nlevels(unsigned f)
{
    return f < PW__NFIELDS ? nlevels[f] : 0;
}

static bool
share_group(const int32_t *ga, const int32_t *gb)
{
    for (size_t i = 0; i < PW__LINK_GROUPS_MAX && ga[i] >= 0; i++) {
        for (size_t j = 0; j < PW__LINK_GROUPS_MAX && gb[j] >= 0; j++) {
            if (ga[i] == gb[j]) {
                return true;
            }
        }
    }
    return false;
}

static bool
same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* One name is the other's initial: "j" and "john". */
static bool
initial(const char *a, const char *b)
{
    return (a[1] == '\0' || b[1] == '\0') && a[0] == b[0];
}

static bool
other_given(const struct pw__link_prec *a, const struct pw__link_prec *b)
{
    for (size_t i = 0; i < a->ngiven; i++) {
        for (size_t j = 0; j < b->ngiven; j++) {
            if ((i || j) &&
                (same(a->given[i], b->given[j]) || share_group(a->groups[i], b->groups[j]) ||
                 initial(a->given[i], b->given[j]))) {
                return true;
            }
        }
    }
    return false;
}

static bool
swapped(const struct pw__link_prec *a, const struct pw__link_prec *b)
{
    return a->ngiven && b->ngiven && same(a->given[0], b->family) && same(a->family, b->given[0]);
}

static unsigned
cmp_given(const struct pw__link_prec *a, const struct pw__link_prec *b)
{
    if (!a->ngiven || !b->ngiven) {
        return PW__LINK_NULL;
    }
    const char *x = a->given[0], *y = b->given[0];
    if (strcmp(x, y) == 0) {
        return 0;
    }
    if (share_group(a->groups[0], b->groups[0])) {
        return 1;
    }
    double jw = pw_link_jaro_winkler(x, y);
    if (jw >= 0.92) {
        return 2;
    }
    if (jw >= 0.85 || (a->given_code[0] && strcmp(a->given_code, b->given_code) == 0)) {
        return 3;
    }
    if (initial(x, y) || other_given(a, b) || swapped(a, b)) {
        return 4;
    }
    return 5;
}

/* The family names a record is known by: whole, alias, and parts of a double-barrelled one. */
static size_t
family_forms(const struct pw__link_prec *p, const char **out)
{
    size_t k = 0;
    out[k++] = p->family;
    if (p->family_alt) {
        out[k++] = p->family_alt;
    }
    for (size_t i = 0; i < p->nfparts; i++) {
        out[k++] = p->fparts[i];
    }
    return k;
}

static unsigned
cmp_family(const struct pw__link_prec *a, const struct pw__link_prec *b)
{
    if (!a->family || !b->family) {
        return PW__LINK_NULL;
    }
    if (strcmp(a->family, b->family) == 0) {
        return 0;
    }
    if (a->family_alt || b->family_alt || a->nfparts || b->nfparts) {
        const char *fa[2 + PW__LINK_PARTS_MAX], *fb[2 + PW__LINK_PARTS_MAX];
        size_t na = family_forms(a, fa), nb = family_forms(b, fb);
        for (size_t i = 0; i < na; i++) {
            for (size_t j = 0; j < nb; j++) {
                if (strcmp(fa[i], fb[j]) == 0) {
                    return 1;
                }
            }
        }
    }
    if (swapped(a, b)) {
        return 1;
    }
    double jw = pw_link_jaro_winkler(a->family, b->family);
    if (jw >= 0.92) {
        return 2;
    }
    if (jw >= 0.85 || (a->family_code[0] && strcmp(a->family_code, b->family_code) == 0)) {
        return 3;
    }
    return 4;
}

/* Two numbers of width digits that differ in exactly one digit. */
static bool
one_digit(int x, int y, int width)
{
    int diff = 0;
    for (int i = 0; i < width; i++) {
        diff += x % 10 != y % 10;
        x /= 10;
        y /= 10;
    }
    return diff == 1;
}

/* True when x and y differ by two neighbouring digits swapped, as in 1951 keyed as 1915. */
static bool
two_digits_swapped(int x, int y)
{
    char a[16], b[16];
    (void)snprintf(a, sizeof(a), "%d", x);
    (void)snprintf(b, sizeof(b), "%d", y);
    size_t n = strlen(a);
    if (n != strlen(b)) {
        return false;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        if (a[i] != b[i]) {
            return a[i] == b[i + 1] && a[i + 1] == b[i] && strcmp(a + i + 2, b + i + 2) == 0;
        }
    }
    return false;
}

/*
 * Years apart that make two dates of birth a parent's and a child's rather than one person's
 * with a slip: relatives share a surname, an address and often a given name (a son named for
 * his father, a daughter for her mother), so "different" must not be one level for a typo'd
 * month and for 27 years. Records of one person almost never disagree by a generation.
 */
#define GENERATION_YEARS 12

static unsigned
cmp_dob(const struct pw__link_prec *a, const struct pw__link_prec *b)
{
    if (!a->year || !b->year) {
        return PW__LINK_NULL;
    }
    if (abs(a->year - b->year) >= GENERATION_YEARS && !one_digit(a->year, b->year, 4) &&
        !two_digits_swapped(a->year, b->year)) {
        return 5;
    }
    bool full = a->month && a->day && b->month && b->day;
    if (!full) {
        return a->year == b->year ? 3 : 4;
    }
    int dy = a->year != b->year, dm = a->month != b->month, dd = a->day != b->day;
    if (!dy && !dm && !dd) {
        return 0;
    }
    if (!dy && a->month == b->day && a->day == b->month) {
        return 1;
    }
    if (dy + dm + dd == 1) {
        if ((dy && (abs(a->year - b->year) == 1 || one_digit(a->year, b->year, 4))) ||
            (dm && one_digit(a->month, b->month, 2)) || (dd && one_digit(a->day, b->day, 2))) {
            return 2;
        }
    }
    return dy ? 4 : 3;
}

/* UK postcodes: the inward code is the last three characters (digit, letter, letter). */
static bool
uk_postcode(const char *pc, size_t len)
{
    return len >= 5 && len <= 7 && pc[len - 3] >= '0' && pc[len - 3] <= '9' && pc[0] >= 'A';
}

static bool
all_digits(const char *s)
{
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
    }
    return true;
}

static size_t
letters(const char *s)
{
    size_t k = 0;
    while (s[k] >= 'A' && s[k] <= 'Z') {
        k++;
    }
    return k;
}

/* How two postcodes relate: 0 the same, 1 the same sector (or first 3 digits), 2 the same
 * outward code, 3 the same area, 4 different; PW__LINK_NULL when a side has none. */
static unsigned
cmp_postcode(const struct pw__link_prec *a, const struct pw__link_prec *b)
{
    const char *x = a->postcode, *y = b->postcode;
    if (!x[0] || !y[0]) {
        return PW__LINK_NULL;
    }
    if (strcmp(x, y) == 0) {
        return 0;
    }
    size_t lx = strlen(x), ly = strlen(y);
    if (uk_postcode(x, lx) && uk_postcode(y, ly)) {
        size_t ox = lx - 3, oy = ly - 3;
        if (ox == oy && memcmp(x, y, ox) == 0) {
            return x[ox] == y[oy] ? 1 : 2;
        }
        size_t ax = letters(x), ay = letters(y);
        return ax == ay && memcmp(x, y, ax) == 0 ? 3 : 4;
    }
    if (all_digits(x) && all_digits(y) && lx == ly && lx >= 4) {
        if (memcmp(x, y, 3) == 0) {
            return 1;
        }
        return memcmp(x, y, 2) == 0 ? 3 : 4;
    }
    return 4;
}

/* The same first line: equal, or one is the other with more words after it, as when a feed
 * without a town column writes "30 Beeston Road, Nottingham" where another has "30 Beeston
 * Road" (normalised, the comma is a space). */
static bool
same_line(const char *x, const char *y)
{
    size_t lx = strlen(x);
    size_t ly = strlen(y);
    if (lx > ly) { /* x the shorter */
        const char *t = x;
        x = y;
        y = t;
        lx = ly;
    }
    return lx > 0 && memcmp(x, y, lx) == 0 && (y[lx] == '\0' || y[lx] == ' ');
}

/*
 * The address as ONE comparison. First line, postcode and town are not independent evidence:
 * everyone at an address shares all three, so scoring them as three fields counted one fact
 * (living together) three times, and a household's members (parents, children, siblings, who
 * also share a surname) outweighed a different given name and date of birth and were linked.
 * One comparison with joint levels lets u, measured on random pairs, say how rare each
 * combination really is: in British data the same first line and postcode is one household
 * whether or not the town agrees too, while in data whose fields vary independently (FEBRL)
 * agreeing on all three is far rarer than on two, and the weights follow. Levels:
 *   0 same first line, postcode and town;
 *   1 same first line and postcode (town different or missing, as in feeds without one);
 *   2 same first line and town with the postcode not the same (missing or mistyped), or a
 *     very similar first line with the same postcode and town;
 *   3 same first line with no postcode to compare, or a very similar first line with the same
 *     postcode;
 *   4 same postcode and town, another first line;  5 same postcode, another first line;
 *   6 the same or a similar first line with the postcode nearby (sector, outward code), or
 *     in the same town;
 *   7 the same outward code or town;  8 different. Missing: nothing to compare.
 */
static unsigned
cmp_address(const struct pw__link_prec *a, const struct pw__link_prec *b)
{
    unsigned pc = cmp_postcode(a, b);
    bool towns = a->town && b->town;
    bool town = towns && strcmp(a->town, b->town) == 0;
    bool lines = a->line1 && b->line1;
    bool ls = lines && same_line(a->line1, b->line1);
    bool lv = ls || (lines && pw_link_jaro_winkler(a->line1, b->line1) >= 0.92);
    if (ls && pc == 0) {
        return town ? 0 : 1;
    }
    if ((ls && town) || (lv && pc == 0 && town)) {
        return 2;
    }
    if ((ls && pc == PW__LINK_NULL && !towns) || (lv && pc == 0)) {
        return 3;
    }
    if (pc == 0) {
        return town ? 4 : 5;
    }
    if (lv && ((pc != PW__LINK_NULL && pc <= 2) || town || (ls && !towns))) {
        return 6;
    }
    if ((pc != PW__LINK_NULL && pc <= 2) || town) {
        return 7;
    }
    if (pc == PW__LINK_NULL && !towns && !lines) {
        return PW__LINK_NULL;
    }
    return 8;
}

/* Identifiers of the schemes both records have: same (any equal), one edit apart, different. */
static unsigned
cmp_ids(const struct pw__link_prec *a, const struct pw__link_prec *b, bool nhs)
{
    unsigned best = PW__LINK_NULL;
    for (size_t i = 0; i < a->nids; i++) {
        if (a->ids[i].nhs != nhs) {
            continue;
        }
        for (size_t j = 0; j < b->nids; j++) {
            if (b->ids[j].scheme != a->ids[i].scheme) {
                continue;
            }
            unsigned d = pw_link_damerau(a->ids[i].value, b->ids[j].value, 1);
            unsigned level = d == 0 ? 0 : d == 1 ? 1 : 2;
            best = best == PW__LINK_NULL || level < best ? level : best;
        }
    }
    return best;
}

uint32_t
pw__link_compare(const struct pw__link_prec *a, const struct pw__link_prec *b)
{
    unsigned lv[PW__NFIELDS];
    lv[PW__F_GIVEN] = cmp_given(a, b);
    lv[PW__F_FAMILY] = cmp_family(a, b);
    lv[PW__F_DOB] = cmp_dob(a, b);
    lv[PW__F_SEX] = a->sex && b->sex ? (a->sex == b->sex ? 0u : 1u) : PW__LINK_NULL;
    lv[PW__F_ADDRESS] = cmp_address(a, b);
    lv[PW__F_NHS] = a->nids && b->nids ? cmp_ids(a, b, true) : PW__LINK_NULL;
    lv[PW__F_IDS] = a->nids && b->nids ? cmp_ids(a, b, false) : PW__LINK_NULL;
    uint32_t pat = 0;
    for (unsigned f = 0; f < PW__NFIELDS; f++) {
        pat |= (uint32_t)lv[f] << (f * PW__LINK_BITS);
    }
    return pat;
}

static bool
strict_differ(const struct pw__link_prec *a, const struct pw__link_prec *b)
{
    for (size_t i = 0; i < a->nids; i++) {
        if (!a->ids[i].strict) {
            continue;
        }
        bool shared = false, equal = false;
        for (size_t j = 0; j < b->nids; j++) {
            if (b->ids[j].scheme == a->ids[i].scheme) {
                shared = true;
                equal = equal || strcmp(a->ids[i].value, b->ids[j].value) == 0;
            }
        }
        if (shared && !equal) {
            return true;
        }
    }
    return false;
}

bool
pw__link_conflict(const struct pw__link_prec *a, const struct pw__link_prec *b, int dob_years)
{
    if (a->sex && b->sex && a->sex != b->sex) {
        return true;
    }
    if (dob_years >= 0 && a->year && b->year && abs(a->year - b->year) > dob_years &&
        cmp_ids(a, b, true) != 0 && cmp_ids(a, b, false) != 0) {
        /* Unless a slip explains it (one digit, or two transposed: 1915, 1951), or the
         * records share an identifier, which outweighs a mistyped date. */
        char ya[8], yb[8];
        (void)snprintf(ya, sizeof(ya), "%04d", a->year);
        (void)snprintf(yb, sizeof(yb), "%04d", b->year);
        if (pw_link_damerau(ya, yb, 1) > 1) {
            return true;
        }
    }
    return strict_differ(a, b);
}
