/*
 * The values feeds carry that need more than copying: dates in the two shapes agency systems
 * write, NHS numbers with their check digit, the person ids made from record ids, and the
 * digest that tells a re-imported record from a changed one.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "core/time.h"
#include "feed/feed.h"

static bool
digits(const char *s, size_t n, int *out)
{
    int v = 0;
    if (n == 0) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

enum pw_status
pw_feed_date_parse(const char *s, size_t n, enum pw_feed_datefmt fmt, int32_t *day,
                   struct pw_error *err)
{
    int y = 0;
    int m = 0;
    int d = 0;
    if (fmt == PW_FEED_DATE_ISO) {
        return pw_date_parse(s, n, day, err);
    }
    const char *a = memchr(s, '/', n);
    const char *b = a != NULL ? memchr(a + 1, '/', n - (size_t)(a + 1 - s)) : NULL;
    if (a == NULL || b == NULL || a - s > 2 || b - a - 1 > 2 || n - (size_t)(b + 1 - s) != 4 ||
        !digits(s, (size_t)(a - s), &d) || !digits(a + 1, (size_t)(b - a - 1), &m) ||
        !digits(b + 1, 4, &y)) {
        return pw_fail(err, PW_EINVAL, "expected a date as DD/MM/YYYY");
    }
    if (!pw_date_valid(y, m, d)) {
        return pw_fail(err, PW_EINVAL, "%.*s is not a real date", (int)n, s);
    }
    *day = pw_date_from_ymd(y, m, d);
    return PW_OK;
}

bool
pw_feed_nhs_valid(const char *s, char *out)
{
    char d[11];
    size_t n = 0;
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == ' ' && n > 0) {
            continue;
        }
        if (*p < '0' || *p > '9' || n == 10) {
            return false;
        }
        d[n++] = *p;
    }
    if (n != 10) {
        return false;
    }
    int sum = 0;
    for (int i = 0; i < 9; i++) {
        sum += (d[i] - '0') * (10 - i);
    }
    int check = 11 - sum % 11;
    if (check == 11) {
        check = 0;
    }
    if (check == 10 || check != d[9] - '0') {
        return false;
    }
    if (out != NULL) {
        memcpy(out, d, 10);
        out[10] = '\0';
    }
    return true;
}

static uint64_t
fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static bool
plain_char(unsigned char c)
{
    return isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
}

void
pw_feed_person_id(const char *agency, const char *record, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t alen = strlen(agency);
    size_t rlen = strlen(record);
    size_t need = alen + 1;
    bool plain = true;
    for (size_t i = 0; i < rlen; i++) {
        bool ok = plain_char((unsigned char)record[i]) && (unsigned char)record[i] < 0x80;
        plain = plain && ok;
        need += ok ? 1 : 3;
    }
    if (need <= PW_FEED_PERSON_MAX) {
        size_t o = 0;
        memcpy(out, agency, alen);
        o = alen;
        out[o++] = '-';
        for (size_t i = 0; i < rlen; i++) {
            unsigned char c = (unsigned char)record[i];
            if (plain_char(c) && c < 0x80) {
                out[o++] = (char)c;
            } else {
                out[o++] = ':';
                out[o++] = hex[c >> 4];
                out[o++] = hex[c & 15u];
            }
        }
        out[o] = '\0';
        return;
    }
    (void)plain;
    (void)snprintf(out, PW_FEED_PERSON_MAX + 1, "%s-::%016llx", agency,
                   (unsigned long long)fnv1a(record, rlen));
}

void
pw_feed_digest(const json_t *body, char out[11])
{
    static const char *const envelope[] = { "type",       "id",          "at",     "agency", "by",
                                            "supersedes", "sensitivity", "source", NULL };
    json_t *copy = json_deep_copy(body);
    uint64_t h = 0;
    if (copy != NULL) {
        for (size_t i = 0; envelope[i] != NULL; i++) {
            (void)json_object_del(copy, envelope[i]);
        }
        size_t n = 0;
        char *text = pw_json_canonical(copy, &n);
        if (text != NULL) {
            h = fnv1a(text, n);
        }
        free(text);
        json_decref(copy);
    }
    (void)snprintf(out, 11, "%010llx", (unsigned long long)(h & 0xFFFFFFFFFFULL));
}
