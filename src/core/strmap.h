/*
 * A map from strings to 64-bit values: open addressing with linear probing, FNV-1a hashing.
 * Keys are copied in. For sets of ids met while processing one batch or one linkage block.
 * Not thread-safe; one owner.
 */
#ifndef PW_CORE_STRMAP_H
#define PW_CORE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pw_strmap {
    struct pw_strmap_slot *slots;
    size_t cap;   /* a power of two, or 0 before the first put */
    size_t count; /* keys held */
};

/** Initialises an empty map. */
void pw_strmap_init(struct pw_strmap *m);
/** Frees the keys and slots; the map is left empty and reusable. */
void pw_strmap_release(struct pw_strmap *m);
/** Sets key to value, replacing any value it had. Copies key. */
void pw_strmap_put(struct pw_strmap *m, const char *key, int64_t value);
/** True when key is present; sets *value when value is not NULL. */
bool pw_strmap_get(const struct pw_strmap *m, const char *key, int64_t *value);

#endif
