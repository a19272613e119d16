/*
 * The facts of one episode, for the pathway (src/pathway/episode.c) to derive its stage and
 * deadlines from. An episode is named by the facts of its course (the strategy discussion, the
 * enquiry, the conferences); the referral decision that opened it also names the concern it
 * decided, and that concern's facts hold when the clock first started. Assessments, plans and
 * closures name a child, not an episode, so they are found through the episode's children.
 *
 * Two reads in one transaction: the episode's and its concerns' facts (EPISODE_FACTS), then,
 * for each child those facts name, the child's pathway facts from the episode's first fact on
 * (EPISODE_CHILD_FACTS). Rows are merged once each and ordered by when things happened.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/strmap.h"

/* One fact read. Strings in the arena. */
struct ep_row {
    int64_t seq;
    const char *id, *type, *at, *at_key, *agency, *by, *body, *recorded_at, *prev_hash, *hash;
};

struct ep_read {
    struct pw_store *s;
    struct pw_arena *arena;
    struct ep_row *rows;
    size_t nrows, rows_cap;
    const char **children;
    size_t nchildren, children_cap;
    struct pw_strmap seen; /* "seq:N" of facts kept, "child:ID" of children found */
};

static bool
first_time(struct ep_read *r, const char *key)
{
    if (pw_strmap_get(&r->seen, key, NULL)) {
        return false;
    }
    pw_strmap_put(&r->seen, key, 1);
    return true;
}

static void
add_child(struct ep_read *r, const char *child)
{
    char key[PW_ID_MAX + 16];
    (void)snprintf(key, sizeof(key), "child:%s", child);
    if (!first_time(r, key)) {
        return;
    }
    if (r->nchildren == r->children_cap) {
        r->children_cap = r->children_cap == 0 ? 8 : pw_mul_size(r->children_cap, 2);
        r->children =
            pw_xrealloc(r->children, pw_mul_size(r->children_cap, sizeof(r->children[0])));
    }
    r->children[r->nchildren++] = pw_arena_strdup(r->arena, child);
}

/* The children a concern, a strategy discussion or an enquiry names. */
static void
find_children(struct ep_read *r, const struct ep_row *row)
{
    bool listed =
        strcmp(row->type, "concern.raised") == 0 || strcmp(row->type, "strategy.held") == 0;
    bool single = strcmp(row->type, "enquiry.concluded") == 0;
    if (!listed && !single) {
        return;
    }
    json_t *body = json_loads(row->body, 0, NULL);
    if (single && json_is_string(json_object_get(body, "child"))) {
        add_child(r, json_string_value(json_object_get(body, "child")));
    }
    size_t i;
    json_t *child;
    json_array_foreach(json_object_get(body, "children"), i, child)
    {
        if (listed && json_is_string(child)) {
            add_child(r, json_string_value(child));
        }
    }
    json_decref(body);
}

static enum pw_status
fact_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct ep_read *r = ctx;
    char key[32];
    int64_t seq = pw__int(r->s, row, 0);
    (void)snprintf(key, sizeof(key), "seq:%lld", (long long)seq);
    if (!first_time(r, key)) {
        return PW_OK;
    }
    if (r->nrows == r->rows_cap) {
        r->rows_cap = r->rows_cap == 0 ? 32 : pw_mul_size(r->rows_cap, 2);
        r->rows = pw_xrealloc(r->rows, pw_mul_size(r->rows_cap, sizeof(r->rows[0])));
    }
    struct ep_row *e = &r->rows[r->nrows++];
    e->seq = seq;
    e->id = pw_arena_strdup(r->arena, pw__text(r->s, row, 1));
    e->type = pw_arena_strdup(r->arena, pw__text(r->s, row, 2));
    e->at = pw_arena_strdup(r->arena, pw__text(r->s, row, 3));
    e->at_key = pw_arena_strdup(r->arena, pw__text(r->s, row, 4));
    e->agency = pw_arena_strdup(r->arena, pw__text(r->s, row, 5));
    e->by = pw_arena_strdup(r->arena, pw__text(r->s, row, 6));
    e->body = pw_arena_strdup(r->arena, pw__text(r->s, row, 7));
    e->recorded_at = pw_arena_strdup(r->arena, pw__text(r->s, row, 8));
    e->prev_hash = pw_arena_strdup(r->arena, pw__text(r->s, row, 9));
    e->hash = pw_arena_strdup(r->arena, pw__text(r->s, row, 10));
    return PW_OK;
}

/* When it happened, then its place in the log. */
static int
row_order(const void *a, const void *b)
{
    const struct ep_row *x = a;
    const struct ep_row *y = b;
    int by_time = strcmp(x->at_key, y->at_key);
    if (by_time != 0) {
        return by_time;
    }
    if (x->seq != y->seq) {
        return x->seq < y->seq ? -1 : 1;
    }
    return 0;
}

static enum pw_status
read_episode(struct ep_read *r, const char *episode, struct pw_error *err)
{
    bool exists = false;
    struct pw__param kind[] = { pw__p_text("episode"), pw__p_text(episode) };
    enum pw_status rc = pw__q(r->s, PW_Q_ENTITY_EXISTS, kind, 2, pw__row_exists, &exists, err);
    if (rc == PW_OK && !exists) {
        rc = pw_fail(err, PW_ENOTFOUND, "episode \"%s\" is not known", episode);
    }
    if (rc == PW_OK) {
        struct pw__param p = pw__p_text(episode);
        rc = pw__q(r->s, PW_Q_EPISODE_FACTS, &p, 1, fact_row, r, err);
    }
    if (rc != PW_OK || r->nrows == 0) {
        return rc;
    }
    size_t own = r->nrows;
    const char *from = r->rows[0].at_key; /* the first fact: the rows come in time order */
    for (size_t i = 0; i < own; i++) {
        find_children(r, &r->rows[i]);
    }
    for (size_t i = 0; rc == PW_OK && i < r->nchildren; i++) {
        struct pw__param p[] = { pw__p_text(r->children[i]), pw__p_text(from) };
        rc = pw__q(r->s, PW_Q_EPISODE_CHILD_FACTS, p, 2, fact_row, r, err);
    }
    if (rc == PW_OK && r->nrows > own) {
        qsort(r->rows, r->nrows, sizeof(r->rows[0]), row_order);
    }
    return rc;
}

static enum pw_status
emit(struct ep_read *r, pw_log_entry_fn fn, void *ctx, struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    for (size_t i = 0; rc == PW_OK && i < r->nrows; i++) {
        const struct ep_row *e = &r->rows[i];
        struct pw_log_entry f = {
            .seq = e->seq,
            .id = e->id,
            .type = e->type,
            .at = e->at,
            .agency = e->agency,
            .by = e->by,
            .recorded_at = e->recorded_at,
            .body = e->body,
            .prev_hash = e->prev_hash,
            .hash = e->hash,
        };
        rc = fn(ctx, &f, err);
    }
    return rc;
}

enum pw_status
pw_store_episode_facts(struct pw_store *s, const char *episode, pw_log_entry_fn fn, void *ctx,
                       struct pw_error *err)
{
    struct ep_read r = { .s = s, .arena = pw_arena_new() };
    pw_strmap_init(&r.seen);
    enum pw_status rc = pw__begin(s, false, err);
    if (rc == PW_OK) {
        rc = read_episode(&r, episode, err);
        pw__rollback(s);
    }
    if (rc == PW_OK) {
        rc = emit(&r, fn, ctx, err);
    }
    free(r.rows);
    free(r.children);
    pw_strmap_release(&r.seen);
    pw_arena_free(r.arena);
    return rc;
}
