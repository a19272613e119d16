/*
 * Normalising what agencies type into something comparable: UTF-8 Latin letters folded to
 * ASCII (é to e, ß to ss, ø to o), case, apostrophes dropped (O'Neill and ONeill are one name),
 * other punctuation and hyphens turned into word breaks (so Smith-Jones has parts), postcodes
 * reduced to letters and digits. A record is prepared once, so comparing a pair parses nothing.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/strmap.h"
#include "link/internal.h"

/* ASCII for U+00C0..U+00FF; "" drops the character (multiplication and division signs). */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
};

/* Base letter of U+0100..U+017F (Latin Extended-A); '2' marks the two-letter ligatures. */
static const char latin_a[129] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii22jjkkklllllll"
                                 "lllnnnnnnnnnoooooo22rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* Decodes one UTF-8 sequence at s; returns its length (1 for an invalid byte) and the code
 * point, or -1 for an invalid sequence. */
static size_t
utf8_next(const unsigned char *s, int32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    int32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2;
        v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        v = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        v = c & 0x07;
    } else {
        *cp = -1;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = -1;
            return i;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return len;
}

/* What one code point contributes: letters and digits folded, apostrophes nothing, anything
 * else a word break (" "). Code points it cannot fold are kept as their bytes, so names in
 * other scripts still compare exactly. */
static void
fold(int32_t cp, const unsigned char *raw, size_t rawlen, char *tmp, const char **piece,
     size_t *plen)
{
    *piece = tmp;
    *plen = 1;
    if (cp >= 'A' && cp <= 'Z') {
        tmp[0] = (char)(cp - 'A' + 'a');
    } else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
        tmp[0] = (char)cp;
    } else if (cp == '\'' || cp == '`' || cp == 0x2019 || cp == 0x2018 || cp == 0xB4) {
        *plen = 0;
    } else if (cp >= 0xC0 && cp <= 0xFF) {
        *piece = latin1[cp - 0xC0];
        *plen = strlen(*piece);
    } else if (cp >= 0x100 && cp <= 0x17F) {
        char c = latin_a[cp - 0x100];
        if (c == '2') {
            *piece = cp < 0x140 ? "ij" : "oe";
            *plen = 2;
        } else {
            tmp[0] = c;
        }
    } else if (cp >= 0x180) {
        *piece = (const char *)raw;
        *plen = rawlen;
    } else {
        tmp[0] = ' ';
    }
}

void
pw_link_normalise(const char *s, char *out, size_t size)
{
    size_t n = 0;
    bool space = true; /* drops leading and repeated breaks */
    if (size == 0) {
        return;
    }
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        int32_t cp;
        size_t len = utf8_next(p, &cp);
        char tmp[2];
        const char *piece;
        size_t plen;
        fold(cp, p, len, tmp, &piece, &plen);
        p += len;
        if (plen == 1 && piece[0] == ' ') {
            if (!space && n + 1 < size) {
                out[n++] = ' ';
            }
            space = true;
            continue;
        }
        if (n + plen >= size) {
            break;
        }
        memcpy(out + n, piece, plen);
        n += plen;
        space = plen == 0 ? space : false;
    }
    while (n > 0 && out[n - 1] == ' ') {
        n--;
    }
    out[n] = '\0';
}

void
pw__link_postcode(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = s ? s : ""; *p && n + 1 < size; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            out[n++] = c;
        }
    }
    out[n] = '\0';
}

/* Splits normalised text at spaces into at most max words copied into the arena. */
static size_t
words(struct pw_arena *a, const char *norm, const char **out, size_t max)
{
    size_t k = 0;
    const char *p = norm;
    while (*p && k < max) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        out[k++] = pw_arena_strndup(a, p, len);
        p += len;
        while (*p == ' ') {
            p++;
        }
    }
    return k;
}

/* The normalised text without its spaces: "van der berg" and "vanderberg" are one name. */
static const char *
joined(struct pw_arena *a, const char *norm)
{
    char buf[PW__LINK_NAME * 2];
    size_t n = 0;
    for (const char *p = norm; *p && n + 1 < sizeof(buf); p++) {
        if (*p != ' ') {
            buf[n++] = *p;
        }
    }
    buf[n] = '\0';
    return n ? pw_arena_strndup(a, buf, n) : NULL;
}

static const char *
norm_copy(struct pw_arena *a, const char *s)
{
    char buf[PW__LINK_NAME * 2];
    pw_link_normalise(s, buf, sizeof(buf));
    return buf[0] ? pw_arena_strdup(a, buf) : NULL;
}

static bool
is_strict(const struct pw_link_model *m, const char *scheme)
{
    for (size_t i = 0; i < m->nstrict; i++) {
        if (strcmp(m->strict[i], scheme) == 0) {
            return true;
        }
    }
    return false;
}

/* The number of a scheme: interned when intern is given, else looked up in the model; a scheme
 * the model never saw gets a number from its hash, so two new records can still agree on it. */
static uint32_t
scheme_number(const struct pw_link_model *m, struct pw_strmap *intern, const char *scheme)
{
    int64_t num;
    if (intern) {
        if (!pw_strmap_get(intern, scheme, &num)) {
            num = (int64_t)intern->count;
            pw_strmap_put(intern, scheme, num);
        }
        return (uint32_t)num;
    }
    if (pw_strmap_get(&m->schemes, scheme, &num)) {
        return (uint32_t)num;
    }
    uint32_t h = 2166136261u;
    for (const char *s = scheme; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return 0x80000000u | h;
}

static void
prepare_ids(const struct pw_link_record *rec, struct pw__link_prec *p, struct pw_arena *a,
            const struct pw_link_model *m, struct pw_strmap *intern)
{
    size_t nids = rec->nids > 255 ? 255 : rec->nids;
    struct pw__link_pid *ids = nids ? pw_arena_alloc(a, sizeof(struct pw__link_pid) * nids) : NULL;
    size_t k = 0;
    for (size_t i = 0; i < nids; i++) {
        char scheme[32], value[PW__LINK_NAME];
        pw_link_normalise(rec->ids[i].scheme, scheme, sizeof(scheme));
        /* Identifiers compare on letters and digits only: "943 476 5919" is 9434765919. */
        pw__link_postcode(rec->ids[i].value, value, sizeof(value));
        if (!scheme[0] || !value[0]) {
            continue;
        }
        ids[k].scheme = scheme_number(m, intern, scheme);
        ids[k].strict = is_strict(m, scheme);
        ids[k].nhs = strcmp(scheme, "nhs") == 0;
        ids[k].value = pw_arena_strdup(a, value);
        k++;
    }
    p->ids = ids;
    p->nids = (uint8_t)k;
}

static void
prepare_names(const struct pw_link_record *rec, struct pw__link_prec *p, struct pw_arena *a)
{
    char buf[PW__LINK_NAME * 2];
    pw_link_normalise(rec->given, buf, sizeof(buf));
    p->ngiven = (uint8_t)words(a, buf, p->given, PW__LINK_GIVEN_MAX);
    for (size_t i = 0; i < PW__LINK_GIVEN_MAX; i++) {
        for (size_t j = 0; j < PW__LINK_GROUPS_MAX; j++) {
            p->groups[i][j] = -1;
        }
        if (i < p->ngiven) {
            (void)pw__link_nick_groups(p->given[i], p->groups[i], PW__LINK_GROUPS_MAX);
        }
    }
    pw_link_normalise(rec->family, buf, sizeof(buf));
    p->family = joined(a, buf);
    const char *parts[PW__LINK_PARTS_MAX];
    size_t np = words(a, buf, parts, PW__LINK_PARTS_MAX);
    p->nfparts = np > 1 ? (uint8_t)np : 0;
    for (size_t i = 0; i < p->nfparts; i++) {
        p->fparts[i] = parts[i];
    }
    pw_link_normalise(rec->family_alt, buf, sizeof(buf));
    p->family_alt = joined(a, buf);
    if (p->family_alt && p->family && strcmp(p->family_alt, p->family) == 0) {
        p->family_alt = NULL;
    }
    if (p->ngiven) {
        pw_link_nysiis(p->given[0], p->given_code, sizeof(p->given_code));
    }
    if (p->family) {
        pw_link_nysiis(p->family, p->family_code, sizeof(p->family_code));
    }
    if (p->family_alt) {
        pw_link_nysiis(p->family_alt, p->alt_code, sizeof(p->alt_code));
    }
}

void
pw__link_prepare(const struct pw_link_record *rec, struct pw__link_prec *p, struct pw_arena *a,
                 const struct pw_link_model *m, struct pw_strmap *intern)
{
    memset(p, 0, sizeof(*p));
    prepare_names(rec, p, a);
    p->year = (int16_t)(rec->dob_year > 0 && rec->dob_year < 10000 ? rec->dob_year : 0);
    p->month = (int8_t)(rec->dob_month >= 1 && rec->dob_month <= 12 ? rec->dob_month : 0);
    p->day = (int8_t)(rec->dob_day >= 1 && rec->dob_day <= 31 ? rec->dob_day : 0);
    p->sex = (char)(rec->sex == 'm' || rec->sex == 'M'   ? 'm'
                    : rec->sex == 'f' || rec->sex == 'F' ? 'f'
                                                         : 0);
    p->line1 = norm_copy(a, rec->line1);
    p->town = norm_copy(a, rec->town);
    pw__link_postcode(rec->postcode, p->postcode, sizeof(p->postcode));
    prepare_ids(rec, p, a, m, intern);
}
