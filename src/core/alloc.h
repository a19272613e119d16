/*
 * Allocation that never returns NULL: Pathway aborts on out-of-memory (Redis, git, h2o), which
 * removes thousands of untested branches. Size arithmetic goes through the checked helpers.
 */
#ifndef PW_CORE_ALLOC_H
#define PW_CORE_ALLOC_H

#include <stddef.h>

/** malloc that aborts on failure; n == 0 allocates 1 byte. New: free with free(). */
void *pw_xmalloc(size_t n);
/** calloc that aborts on failure or on count * size overflow. New. */
void *pw_xcalloc(size_t count, size_t size);
/** realloc that aborts on failure. Steals p; new result. */
void *pw_xrealloc(void *p, size_t n);
/** strdup that aborts on failure. New. */
char *pw_xstrdup(const char *s);
/** Copies n bytes of s and terminates. New. */
char *pw_xstrndup(const char *s, size_t n);
/** a * b, aborting on overflow. */
size_t pw_mul_size(size_t a, size_t b);
/** a + b, aborting on overflow. */
size_t pw_add_size(size_t a, size_t b);
/** Overwrites n bytes at p so a secret does not outlive its use. */
void pw_wipe(void *p, size_t n);

#endif
