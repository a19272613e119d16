/*
 * The string comparators linkage rests on: Jaro-Winkler (typos near the end of a name matter
 * less than at its start), bounded Damerau-Levenshtein (transpositions are one slip, and the
 * bound keeps it cheap in the hot loop), and the NYSIIS phonetic code (names that sound alike
 * spelt differently: Catherine, Katherine). All work on normalised byte strings.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "link/link.h"

#define JW_MAX 64 /* longer strings are compared on their first JW_MAX bytes */

double
pw_link_jaro_winkler(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    la = la > JW_MAX ? JW_MAX : la;
    lb = lb > JW_MAX ? JW_MAX : lb;
    if (la == 0 || lb == 0) {
        return la == lb ? 1.0 : 0.0;
    }
    size_t longer = la > lb ? la : lb;
    size_t window = longer / 2 == 0 ? 0 : longer / 2 - 1;
    bool ma[JW_MAX] = { false }, mb[JW_MAX] = { false };
    size_t matches = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < lb ? i + window + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = true;
                matches++;
                break;
            }
        }
    }
    if (matches == 0) {
        return 0.0;
    }
    size_t half = 0, k = 0;
    for (size_t i = 0; i < la; i++) {
        if (!ma[i]) {
            continue;
        }
        while (!mb[k]) {
            k++;
        }
        if (a[i] != b[k]) {
            half++;
        }
        k++;
    }
    double m = (double)matches;
    double jaro = (m / (double)la + m / (double)lb + (m - (double)half / 2.0) / m) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) {
        prefix++;
    }
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

unsigned
pw_link_damerau(const char *a, const char *b, unsigned max)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > JW_MAX || lb > JW_MAX) {
        return strcmp(a, b) == 0 ? 0 : max + 1;
    }
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > max) {
        return max + 1;
    }
    /* Three rows of the optimal-string-alignment table: enough for transpositions. */
    unsigned rows[3][JW_MAX + 1];
    unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++) {
        prev[j] = (unsigned)j;
    }
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (unsigned)i;
        unsigned best = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            unsigned cost = a[i - 1] == b[j - 1] ? 0u : 1u;
            unsigned v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) {
                v = cur[j - 1] + 1;
            }
            if (prev[j - 1] + cost < v) {
                v = prev[j - 1] + cost;
            }
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v) {
                v = prev2[j - 2] + 1;
            }
            cur[j] = v;
            if (v < best) {
                best = v;
            }
        }
        if (best > max) {
            return max + 1;
        }
        unsigned *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] > max ? max + 1 : prev[lb];
}

/* ---- NYSIIS (Taft 1970), as the common implementations (jellyfish) give it ---- */

static bool
vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

static bool
starts(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static bool
ends(const char *s, size_t n, const char *p)
{
    size_t lp = strlen(p);
    return n >= lp && memcmp(s + n - lp, p, lp) == 0;
}

/* Appends piece to the key unless its last letter repeats the key's last letter. */
static void
key_add(char *key, size_t *kn, size_t size, const char *piece, size_t plen)
{
    if (*kn > 0 && key[*kn - 1] == piece[plen - 1]) {
        return;
    }
    for (size_t i = 0; i < plen && *kn + 1 < size; i++) {
        key[(*kn)++] = piece[i];
    }
}

void
pw_link_nysiis(const char *name, char *out, size_t size)
{
    char s[JW_MAX + 4];
    size_t n = 0;
    if (size == 0) {
        return;
    }
    out[0] = '\0';
    for (const char *p = name; *p && n < JW_MAX; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        if (c >= 'A' && c <= 'Z') {
            s[n++] = c;
        }
    }
    s[n] = '\0';
    if (n == 0) {
        return;
    }
    if (starts(s, "MAC")) {
        s[1] = 'C';
    } else if (starts(s, "KN")) {
        s[0] = 'N';
    } else if (s[0] == 'K') {
        s[0] = 'C';
    } else if (starts(s, "PH") || starts(s, "PF")) {
        s[0] = s[1] = 'F';
    } else if (starts(s, "SCH")) {
        s[1] = s[2] = 'S';
    }
    if (ends(s, n, "EE") || ends(s, n, "IE")) {
        s[n - 2] = 'Y';
        s[--n] = '\0';
    } else if (ends(s, n, "DT") || ends(s, n, "RT") || ends(s, n, "RD") || ends(s, n, "NT") ||
               ends(s, n, "ND")) {
        s[n - 2] = 'D';
        s[--n] = '\0';
    }
    char key[JW_MAX * 2 + 2];
    size_t kn = 0;
    key[kn++] = s[0];
    for (size_t i = 1; i < n; i++) {
        char one[2] = { s[i], '\0' };
        const char *piece = one;
        size_t plen = 1;
        char c = s[i];
        if (c == 'E' && s[i + 1] == 'V') {
            piece = "AF";
            plen = 2;
            i++;
        } else if (vowel(c)) {
            one[0] = 'A';
        } else if (c == 'Q') {
            one[0] = 'G';
        } else if (c == 'Z') {
            one[0] = 'S';
        } else if (c == 'M') {
            one[0] = 'N';
        } else if (c == 'K') {
            one[0] = s[i + 1] == 'N' ? 'N' : 'C';
        } else if (c == 'S' && s[i + 1] == 'C' && s[i + 2] == 'H') {
            piece = "SS";
            plen = 2;
            i += 2;
        } else if (c == 'P' && s[i + 1] == 'H') {
            one[0] = 'F';
            i++;
        } else if (c == 'H' && (!vowel(s[i - 1]) || i + 1 >= n || !vowel(s[i + 1]))) {
            one[0] = (char)(vowel(s[i - 1]) ? 'A' : s[i - 1]);
        } else if (c == 'W' && vowel(s[i - 1])) {
            one[0] = s[i - 1];
        }
        key_add(key, &kn, sizeof(key), piece, plen);
    }
    if (kn > 1 && key[kn - 1] == 'S') {
        kn--;
    }
    if (kn >= 2 && key[kn - 2] == 'A' && key[kn - 1] == 'Y') {
        key[kn - 2] = 'Y';
        kn--;
    }
    if (kn > 1 && key[kn - 1] == 'A') {
        kn--;
    }
    if (kn >= size) {
        kn = size - 1;
    }
    memcpy(out, key, kn);
    out[kn] = '\0';
}
