/*
 * Form bodies (application/x-www-form-urlencoded), parsed by Pathway rather than
 * libmicrohttpd's PostProcessor. Unlike a query string a form repeats names (each ticked
 * checkbox of a group), so every field is kept in order. What cannot be text a practitioner
 * typed (bad escapes, invalid UTF-8, control characters) is refused whole.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "web/web_int.h"

static int
hex(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Valid UTF-8 (no overlong forms or surrogates) with no control character but tab, CR, LF. */
static bool
text_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) {
                return false;
            }
            i++;
            continue;
        }
        size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (len == 0 || c > 0xf4 || i + len > n) {
            return false;
        }
        unsigned cp = c & (0x7f >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
            return false;
        }
        i += len;
    }
    return true;
}

/* Decodes s[0..n) into a new string; NULL when an escape is bad or the text is not text. */
static char *
decode(const char *s, size_t n)
{
    char *out = pw_xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[o++] = ' ';
        } else if (s[i] == '%') {
            int hi = i + 2 < n ? hex(s[i + 1]) : -1;
            int lo = i + 2 < n ? hex(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                free(out);
                return NULL;
            }
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    if (!text_ok((const unsigned char *)out, o)) {
        free(out);
        return NULL;
    }
    return out;
}

enum pw_status
pw__form_parse(const char *body, size_t len, struct pw__form *out, struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    size_t i = 0;
    while (i < len) {
        const char *amp = memchr(body + i, '&', len - i);
        size_t end = amp != NULL ? (size_t)(amp - body) : len;
        if (end > i) {
            const char *eq = memchr(body + i, '=', end - i);
            size_t name_end = eq != NULL ? (size_t)(eq - body) : end;
            if (out->n == PW__FORM_FIELDS) {
                return pw_fail(err, PW_EINVAL, "the form has more than %d fields", PW__FORM_FIELDS);
            }
            char *name = decode(body + i, name_end - i);
            char *value = eq != NULL ? decode(eq + 1, end - name_end - 1) : pw_xstrdup("");
            if (name == NULL || value == NULL) {
                free(name);
                free(value);
                return pw_fail(err, PW_EINVAL, "the form holds something that is not text");
            }
            if (out->n % 16 == 0) {
                out->fields = pw_xrealloc(out->fields, (out->n + 16) * sizeof(*out->fields));
            }
            out->fields[out->n].name = name;
            out->fields[out->n].value = value;
            out->n++;
        }
        i = end + 1;
    }
    return PW_OK;
}

void
pw__form_release(struct pw__form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->fields[i].name);
        if (f->fields[i].value != NULL) {
            pw_wipe(f->fields[i].value, strlen(f->fields[i].value)); /* it may be a password */
        }
        free(f->fields[i].value);
    }
    free(f->fields);
    memset(f, 0, sizeof(*f));
}

const char *
pw__form_get(const struct pw__form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->fields[i].name, name) == 0) {
            char *v = f->fields[i].value;
            size_t n = strlen(v);
            while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t')) {
                v[--n] = '\0';
            }
            size_t lead = strspn(v, " \t");
            memmove(v, v + lead, n - lead + 1);
            return v;
        }
    }
    return NULL;
}

const char *
pw__form_text(const struct pw__form *f, const char *name)
{
    const char *v = pw__form_get(f, name);
    return v != NULL ? v : "";
}
