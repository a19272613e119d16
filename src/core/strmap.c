/* String map: open addressing, kept at most half full so probes stay short. */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

struct pw_strmap_slot {
    char *key; /* NULL: empty */
    uint64_t hash;
    int64_t value;
};

static uint64_t
fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

void
pw_strmap_init(struct pw_strmap *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
}

void
pw_strmap_release(struct pw_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->slots[i].key);
    }
    free(m->slots);
    pw_strmap_init(m);
}

static struct pw_strmap_slot *
find(const struct pw_strmap *m, const char *key, uint64_t hash)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        struct pw_strmap_slot *slot = &m->slots[i];
        if (slot->key == NULL || (slot->hash == hash && strcmp(slot->key, key) == 0)) {
            return slot;
        }
    }
}

static void
grow(struct pw_strmap *m)
{
    size_t old_cap = m->cap;
    struct pw_strmap_slot *old = m->slots;
    m->cap = old_cap == 0 ? 64 : pw_mul_size(old_cap, 2);
    m->slots = pw_xcalloc(m->cap, sizeof(*m->slots));
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].key != NULL) {
            *find(m, old[i].key, old[i].hash) = old[i];
        }
    }
    free(old);
}

void
pw_strmap_put(struct pw_strmap *m, const char *key, int64_t value)
{
    if (m->cap == 0 || (m->count + 1) * 2 > m->cap) {
        grow(m);
    }
    uint64_t hash = fnv1a(key);
    struct pw_strmap_slot *slot = find(m, key, hash);
    if (slot->key == NULL) {
        slot->key = pw_xstrdup(key);
        slot->hash = hash;
        m->count++;
    }
    slot->value = value;
}

bool
pw_strmap_get(const struct pw_strmap *m, const char *key, int64_t *value)
{
    if (m->cap == 0) {
        return false;
    }
    const struct pw_strmap_slot *slot = find(m, key, fnv1a(key));
    if (slot->key == NULL) {
        return false;
    }
    if (value != NULL) {
        *value = slot->value;
    }
    return true;
}
