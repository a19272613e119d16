/* The capped buffer and slices. */
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

void
pw_buf_init(struct pw_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max == 0 ? PW_BUF_DEFAULT_MAX : max;
    b->overflow = false;
}

void
pw_buf_release(struct pw_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->overflow = false;
}

void
pw_buf_reset(struct pw_buf *b)
{
    b->len = 0;
    b->overflow = false;
    if (b->ptr != NULL) {
        b->ptr[0] = '\0';
    }
}

/* Makes room for n more bytes plus the terminator; false when that would pass max. */
static bool
grow(struct pw_buf *b, size_t n)
{
    if (b->overflow) {
        return false;
    }
    if (n > b->max || b->len > b->max - n) {
        b->overflow = true;
        return false;
    }
    size_t need = b->len + n + 1;
    if (need <= b->cap) {
        return true;
    }
    size_t cap = b->cap < 64 ? 64 : b->cap;
    while (cap < need) {
        cap = pw_mul_size(cap, 2);
    }
    b->ptr = pw_xrealloc(b->ptr, cap);
    b->cap = cap;
    return true;
}

void
pw_buf_add(struct pw_buf *b, const void *p, size_t n)
{
    if (!grow(b, n)) {
        return;
    }
    if (n > 0) {
        memcpy(b->ptr + b->len, p, n);
    }
    b->len += n;
    b->ptr[b->len] = '\0';
}

void
pw_buf_adds(struct pw_buf *b, const char *s)
{
    pw_buf_add(b, s, strlen(s));
}

void
pw_buf_addc(struct pw_buf *b, char c)
{
    pw_buf_add(b, &c, 1);
}

void
pw_buf_addf(struct pw_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->overflow = true;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        pw_buf_add(b, small, (size_t)n);
        return;
    }
    if (!grow(b, (size_t)n)) {
        return;
    }
    va_start(ap, fmt);
    (void)vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
pw_buf_add_json_escaped(struct pw_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            pw_buf_adds(b, "\\\"");
            break;
        case '\\':
            pw_buf_adds(b, "\\\\");
            break;
        case '\n':
            pw_buf_adds(b, "\\n");
            break;
        case '\r':
            pw_buf_adds(b, "\\r");
            break;
        case '\t':
            pw_buf_adds(b, "\\t");
            break;
        default:
            if (c < 0x20) {
                pw_buf_addf(b, "\\u%04x", c);
            } else {
                pw_buf_addc(b, (char)c);
            }
        }
    }
}

const char *
pw_buf_cstr(const struct pw_buf *b)
{
    return b->ptr == NULL ? "" : b->ptr;
}

char *
pw_buf_detach(struct pw_buf *b, size_t *len)
{
    char *p = b->ptr == NULL ? pw_xstrdup("") : b->ptr;
    if (len != NULL) {
        *len = b->len;
    }
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->overflow = false;
    return p;
}

enum pw_status
pw_buf_check(const struct pw_buf *b, const char *what, struct pw_error *err)
{
    if (b->overflow) {
        return pw_fail(err, PW_ETOOBIG, "%s is larger than the limit of %zu bytes", what, b->max);
    }
    return PW_OK;
}

struct pw_slice
pw_slice_cstr(const char *s)
{
    struct pw_slice sl = { s, strlen(s) };
    return sl;
}

bool
pw_slice_eq(struct pw_slice a, const char *s)
{
    size_t n = strlen(s);
    return a.len == n && (n == 0 || memcmp(a.ptr, s, n) == 0);
}
