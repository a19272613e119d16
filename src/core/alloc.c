/* Allocation wrappers: abort on out-of-memory and on size overflow. */
#include "core/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

void *
pw_xmalloc(size_t n)
{
    void *p = malloc(n == 0 ? 1 : n);
    if (p == NULL) {
        pw_abort(__FILE__, __LINE__, "out of memory");
    }
    return p;
}

void *
pw_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);
    if (p == NULL) {
        pw_abort(__FILE__, __LINE__, "out of memory");
    }
    return p;
}

void *
pw_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n == 0 ? 1 : n);
    if (q == NULL) {
        pw_abort(__FILE__, __LINE__, "out of memory");
    }
    return q;
}

char *
pw_xstrdup(const char *s)
{
    return pw_xstrndup(s, strlen(s));
}

char *
pw_xstrndup(const char *s, size_t n)
{
    char *p = pw_xmalloc(pw_add_size(n, 1));
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

size_t
pw_mul_size(size_t a, size_t b)
{
    if (a != 0 && b > SIZE_MAX / a) {
        pw_abort(__FILE__, __LINE__, "size overflow");
    }
    return a * b;
}

size_t
pw_add_size(size_t a, size_t b)
{
    if (b > SIZE_MAX - a) {
        pw_abort(__FILE__, __LINE__, "size overflow");
    }
    return a + b;
}

void
pw_wipe(void *p, size_t n)
{
    /* volatile so the compiler cannot drop the stores as dead. */
    volatile unsigned char *v = p;
    while (n > 0) {
        *v++ = 0;
        n--;
    }
}
