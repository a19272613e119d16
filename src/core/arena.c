/*
 * Arena: a chain of blocks, bump allocation inside a block, a new block when one is full.
 * Large requests get a block of their own so a big allocation does not waste a default block.
 */
#include "core/arena.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define BLOCK_SIZE ((size_t)16 * 1024)
#define ALIGN      (alignof(max_align_t))

struct block {
    struct block *next;
    size_t used;
    size_t size;
    alignas(max_align_t) unsigned char data[];
};

struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *p;
};

struct pw_arena {
    struct block *head;
    struct cleanup *cleanups;
    size_t used;
};

struct pw_arena *
pw_arena_new(void)
{
    return pw_xcalloc(1, sizeof(struct pw_arena));
}

void
pw_arena_free(struct pw_arena *a)
{
    if (a == NULL) {
        return;
    }
    struct cleanup *c = a->cleanups;
    while (c != NULL) {
        struct cleanup *next = c->next;
        c->fn(c->p);
        c = next;
    }
    struct block *b = a->head;
    while (b != NULL) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

static struct block *
block_new(size_t size)
{
    struct block *b = pw_xmalloc(pw_add_size(sizeof(struct block), size));
    b->next = NULL;
    b->used = 0;
    b->size = size;
    return b;
}

void *
pw_arena_alloc(struct pw_arena *a, size_t n)
{
    size_t need = pw_add_size(n == 0 ? 1 : n, ALIGN - 1) & ~(ALIGN - 1);
    struct block *b = a->head;
    if (b == NULL || b->size - b->used < need) {
        if (need > BLOCK_SIZE / 4) {
            /* A big request gets its own block, kept behind the current one. */
            struct block *big = block_new(need);
            if (b == NULL) {
                a->head = big;
            } else {
                big->next = b->next;
                b->next = big;
            }
            big->used = need;
            a->used += need;
            memset(big->data, 0, need);
            return big->data;
        }
        b = block_new(BLOCK_SIZE);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used += need;
    memset(p, 0, need);
    return p;
}

char *
pw_arena_strdup(struct pw_arena *a, const char *s)
{
    return pw_arena_strndup(a, s, strlen(s));
}

char *
pw_arena_strndup(struct pw_arena *a, const char *s, size_t n)
{
    char *p = pw_arena_alloc(a, pw_add_size(n, 1));
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
pw_arena_printf(struct pw_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return pw_arena_strdup(a, "");
    }
    char *p = pw_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    (void)vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void
pw_arena_defer(struct pw_arena *a, void (*fn)(void *), void *p)
{
    struct cleanup *c = pw_arena_alloc(a, sizeof(*c));
    c->fn = fn;
    c->p = p;
    c->next = a->cleanups;
    a->cleanups = c;
}

size_t
pw_arena_used(const struct pw_arena *a)
{
    return a->used;
}
