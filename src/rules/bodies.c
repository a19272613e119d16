/*
 * Fact bodies parsed once and shared by every case loaded while one fact is judged or the
 * whole store rechecked. The people a fact may affect are neighbours whose cases hold most of
 * the same facts; parsing each body once per case was the larger part of judging a fact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "rules/rules_int.h"

/* Beyond this many bodies the cache starts again: a recheck walks the whole store. */
#define BODIES_MAX ((size_t)20000)

void
pw__bodies_init(struct pw__bodies *b)
{
    memset(b, 0, sizeof(*b));
    pw_strmap_init(&b->index);
}

void
pw__bodies_release(struct pw__bodies *b)
{
    for (size_t i = 0; i < b->count; i++) {
        json_decref(b->list[i]);
    }
    free(b->list);
    pw_strmap_release(&b->index);
    pw__bodies_init(b);
}

json_t *
pw__bodies_parse(struct pw__bodies *b, int64_t seq, const char *text, json_error_t *jerr)
{
    char key[32];
    int64_t at = 0;
    if (b == NULL) {
        return json_loads(text, JSON_REJECT_DUPLICATES, jerr);
    }
    (void)snprintf(key, sizeof(key), "%lld", (long long)seq);
    if (pw_strmap_get(&b->index, key, &at)) {
        return json_incref(b->list[at]);
    }
    json_t *body = json_loads(text, JSON_REJECT_DUPLICATES, jerr);
    if (body == NULL) {
        return NULL;
    }
    if (b->count == BODIES_MAX) {
        pw__bodies_release(b);
    }
    if (b->count == b->cap) {
        b->cap = b->cap == 0 ? 256 : pw_mul_size(b->cap, 2);
        b->list = pw_xrealloc(b->list, pw_mul_size(b->cap, sizeof(json_t *)));
    }
    pw_strmap_put(&b->index, key, (int64_t)b->count);
    b->list[b->count++] = json_incref(body);
    return body;
}
