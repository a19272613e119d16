/*
 * A per-request arena (h2o pools, Postgres memory contexts): allocate freely while handling one
 * request or command, free everything at once at the end. Deferred cleanups run LIFO on free,
 * so json_t references, statements and results can be tied to the request's life.
 */
#ifndef PW_CORE_ARENA_H
#define PW_CORE_ARENA_H

#include <stddef.h>

#include "core/error.h"

struct pw_arena;

/** A new empty arena. New: free with pw_arena_free(). Never NULL. */
struct pw_arena *pw_arena_new(void);
/** Runs the deferred cleanups (last registered first) and frees every block. NULL is a no-op. */
void pw_arena_free(struct pw_arena *a);
/** n zeroed bytes, aligned for any type, living until the arena is freed. Never NULL. */
void *pw_arena_alloc(struct pw_arena *a, size_t n);
/** A copy of s in the arena. */
char *pw_arena_strdup(struct pw_arena *a, const char *s);
/** A terminated copy of n bytes of s in the arena. */
char *pw_arena_strndup(struct pw_arena *a, const char *s, size_t n);
/** Formatted text in the arena. */
char *pw_arena_printf(struct pw_arena *a, const char *fmt, ...) PW_PRINTF(2, 3);
/** Registers fn(p) to run when the arena is freed. */
void pw_arena_defer(struct pw_arena *a, void (*fn)(void *), void *p);
/** Bytes handed out so far (for limits and tests). */
size_t pw_arena_used(const struct pw_arena *a);

#endif
