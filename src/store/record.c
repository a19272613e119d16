/*
 * Recording a batch of facts: all or none. Inside one write transaction (so nothing can change
 * between a check and the write it allows), every fact is first checked against the store and
 * the rest of the batch; only when all pass is anything appended. Any failure rolls back and
 * names the fact, so a file of a thousand facts with one bad line leaves the database exactly
 * as it was.
 *
 * Also here: replaying the log into empty projections (pw_store_rebuild).
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/strmap.h"

/* What the batch itself defines, by key "kind:id", and which facts it holds, by "f:id". */
struct batch {
    struct pw_store *s;
    const struct pw_fact *facts;
    size_t n;
    struct pw_strmap defined;
    struct pw_strmap ids;
    struct pw_strmap superseded;
    bool *skip; /* facts already recorded identically: retries, not written again */
};

static const char *
kind_name(enum pw_ref_kind kind)
{
    switch (kind) {
    case PW_REF_PERSON:
        return "person";
    case PW_REF_CONCERN:
        return "concern";
    case PW_REF_EPISODE:
        return "episode";
    }
    return "id";
}

static void
map_key(char *out, size_t size, const char *prefix, const char *id)
{
    (void)snprintf(out, size, "%s:%s", prefix, id);
}

/* A fact as stored, looked up by id. */
struct stored_fact {
    struct pw_store *s;
    bool found;
    int64_t seq;
    char type[64];
    char *body; /* owned */
};

static enum pw_status
stored_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct stored_fact *sf = ctx;
    sf->found = true;
    sf->seq = pw__int(sf->s, row, 0);
    (void)snprintf(sf->type, sizeof(sf->type), "%s", pw__text(sf->s, row, 1));
    free(sf->body);
    sf->body = pw_xstrdup(pw__text(sf->s, row, 2));
    return PW_OK;
}

static enum pw_status
load_stored(struct pw_store *s, const char *id, struct stored_fact *out, struct pw_error *err)
{
    out->s = s;
    struct pw__param p = pw__p_text(id);
    return pw__q(s, PW_Q_LOG_BY_ID, &p, 1, stored_row, out, err);
}

static enum pw_status
entity_exists(struct pw_store *s, enum pw_ref_kind kind, const char *id, bool *exists,
              struct pw_error *err)
{
    if (kind == PW_REF_PERSON) {
        return pw_store_person_exists(s, id, exists, err);
    }
    *exists = false;
    struct pw__param p[] = { pw__p_text(kind_name(kind)), pw__p_text(id) };
    return pw__q(s, PW_Q_ENTITY_EXISTS, p, 2, pw__row_exists, exists, err);
}

static enum pw_status
check_ref(void *ctx, enum pw_ref_kind kind, const char *id, const char *path, struct pw_error *err)
{
    struct batch *b = ctx;
    char key[PW_ID_MAX + 16];
    map_key(key, sizeof(key), kind_name(kind), id);
    if (pw_strmap_get(&b->defined, key, NULL)) {
        return PW_OK;
    }
    bool exists = false;
    enum pw_status rc = entity_exists(b->s, kind, id, &exists, err);
    if (rc == PW_OK && !exists) {
        rc = pw_fail(err, PW_EINVAL,
                     "%s \"%s\" is not known: record the fact that introduces it first, or in "
                     "the same file",
                     kind_name(kind), id);
        pw_error_field(err, path);
    }
    return rc;
}

/* A fact may be recorded again only with exactly the same content (a retry). */
static enum pw_status
check_id(struct batch *b, size_t i, struct pw_error *err)
{
    const struct pw_fact *f = &b->facts[i];
    char key[PW_ID_MAX + 8];
    int64_t j;
    map_key(key, sizeof(key), "f", f->id);
    if (pw_strmap_get(&b->ids, key, &j)) {
        if (strcmp(b->facts[j].canonical, f->canonical) != 0) {
            return pw_fail(err, PW_ECONFLICT,
                           "fact id \"%s\" is used twice in this file with different content",
                           f->id);
        }
        b->skip[i] = true;
        return PW_OK;
    }
    pw_strmap_put(&b->ids, key, (int64_t)i);
    struct stored_fact sf = { 0 };
    enum pw_status rc = load_stored(b->s, f->id, &sf, err);
    if (rc == PW_OK && sf.found) {
        if (strcmp(sf.body, f->canonical) == 0) {
            b->skip[i] = true;
        } else {
            rc = pw_fail(err, PW_ECONFLICT,
                         "fact \"%s\" is already recorded (at position %lld) with different "
                         "content: facts are never changed; record a new fact with "
                         "\"supersedes\": \"%s\" to correct it",
                         f->id, (long long)sf.seq, f->id);
        }
    }
    free(sf.body);
    return rc;
}

/* The person a registration fact (stored text or parsed) is about. */
static char *
registered_person(const char *body)
{
    json_t *b = json_loads(body, 0, NULL);
    const char *p = json_string_value(json_object_get(b, "person"));
    char *out = p != NULL ? pw_xstrdup(p) : NULL;
    json_decref(b);
    return out;
}

/*
 * A correction must name a fact that exists (earlier in the file or in the store), of the same
 * type, not corrected already (correct the latest word, not an old one), and a registration's
 * correction must be about the same person.
 */
static enum pw_status
check_supersedes(struct batch *b, size_t i, struct pw_error *err)
{
    const struct pw_fact *f = &b->facts[i];
    char key[PW_ID_MAX + 8];
    int64_t j;
    struct stored_fact sf = { 0 };
    char *old_person = NULL;
    bool corrected = false;
    struct pw__param sp = pw__p_text(f->supersedes);
    const char *person = pw_fact_defines(f, PW_REF_PERSON);
    enum pw_status rc = PW_OK;
    map_key(key, sizeof(key), "f", f->supersedes);
    if (pw_strmap_get(&b->ids, key, &j) && (size_t)j < i) {
        sf.found = true;
        (void)snprintf(sf.type, sizeof(sf.type), "%s", b->facts[j].type);
        sf.body = pw_xstrdup(b->facts[j].canonical);
    } else {
        rc = load_stored(b->s, f->supersedes, &sf, err);
    }
    if (rc != PW_OK) {
        goto out;
    }
    if (!sf.found) {
        rc = pw_fail(err, PW_EINVAL, "fact \"%s\" to be superseded is not recorded", f->supersedes);
        goto out;
    }
    if (strcmp(sf.type, f->type) != 0) {
        rc = pw_fail(err, PW_EINVAL, "a %s cannot supersede a %s: a correction has the same type",
                     f->type, sf.type);
        goto out;
    }
    if (pw_strmap_get(&b->superseded, key, NULL)) {
        rc = pw_fail(err, PW_ECONFLICT, "fact \"%s\" is superseded twice in this file",
                     f->supersedes);
        goto out;
    }
    rc = pw__q(b->s, PW_Q_LOG_SUPERSEDED_BY, &sp, 1, pw__row_exists, &corrected, err);
    if (rc == PW_OK && corrected) {
        rc = pw_fail(err, PW_ECONFLICT,
                     "fact \"%s\" was already superseded: supersede its latest correction",
                     f->supersedes);
        goto out;
    }
    pw_strmap_put(&b->superseded, key, (int64_t)i);
    if (rc == PW_OK && person != NULL) {
        old_person = registered_person(sf.body);
        if (old_person == NULL || strcmp(old_person, person) != 0) {
            rc = pw_fail(err, PW_EINVAL,
                         "a correction of a registration must be about the same person");
        }
    }
out:
    free(sf.body);
    free(old_person);
    if (rc != PW_OK) {
        pw_error_field(err, "$.supersedes");
    }
    return rc;
}

/* A person or concern is introduced once; an episode may be opened or joined. */
static enum pw_status
check_definitions(struct batch *b, size_t i, struct pw_error *err)
{
    const struct pw_fact *f = &b->facts[i];
    static const enum pw_ref_kind once[] = { PW_REF_PERSON, PW_REF_CONCERN };
    for (size_t k = 0; k < sizeof(once) / sizeof(once[0]); k++) {
        const char *id = pw_fact_defines(f, once[k]);
        if (id == NULL || f->supersedes != NULL) {
            continue;
        }
        char key[PW_ID_MAX + 16];
        map_key(key, sizeof(key), kind_name(once[k]), id);
        int64_t j;
        bool exists = pw_strmap_get(&b->defined, key, &j) && (size_t)j != i;
        enum pw_status rc = PW_OK;
        if (!exists) {
            rc = entity_exists(b->s, once[k], id, &exists, err);
        }
        if (rc != PW_OK) {
            return rc;
        }
        if (exists) {
            pw_fail(err, PW_ECONFLICT,
                    "%s \"%s\" is already recorded: to correct it, supersede the fact that "
                    "introduced it",
                    kind_name(once[k]), id);
            pw_error_field(err, once[k] == PW_REF_PERSON ? "$.person" : "$.concern");
            return PW_ECONFLICT;
        }
    }
    return PW_OK;
}

static void
collect_definitions(struct batch *b)
{
    static const enum pw_ref_kind kinds[] = { PW_REF_PERSON, PW_REF_CONCERN, PW_REF_EPISODE };
    for (size_t i = 0; i < b->n; i++) {
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
            const char *id = pw_fact_defines(&b->facts[i], kinds[k]);
            char key[PW_ID_MAX + 16];
            if (id == NULL) {
                continue;
            }
            map_key(key, sizeof(key), kind_name(kinds[k]), id);
            if (!pw_strmap_get(&b->defined, key, NULL)) {
                pw_strmap_put(&b->defined, key, (int64_t)i);
            }
        }
    }
}

static enum pw_status
check_all(struct batch *b, struct pw_record_outcome *out, struct pw_error *err)
{
    collect_definitions(b);
    for (size_t i = 0; i < b->n; i++) {
        const struct pw_fact *f = &b->facts[i];
        enum pw_status rc = check_id(b, i, err);
        if (rc == PW_OK && !b->skip[i]) {
            rc = pw_fact_each_ref(f, check_ref, b, err);
            if (rc == PW_OK) {
                rc = check_definitions(b, i, err);
            }
            if (rc == PW_OK && f->supersedes != NULL) {
                rc = check_supersedes(b, i, err);
            }
        }
        if (rc != PW_OK) {
            out->failed = i;
            return rc;
        }
    }
    return PW_OK;
}

static enum pw_status
write_all(struct batch *b, struct pw_log_head head, struct pw_record_outcome *out,
          struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    for (size_t i = 0; rc == PW_OK && i < b->n; i++) {
        if (b->skip[i]) {
            out->unchanged++;
            continue;
        }
        const struct pw_store_hook *hook = &b->s->hook;
        if (hook->before != NULL) {
            rc = hook->before(hook->ctx, b->s, &b->facts[i], err);
        }
        if (rc == PW_OK) {
            rc = pw__log_append(b->s, &b->facts[i], &head, err);
        }
        if (rc == PW_OK) {
            rc = pw__project_apply(b->s, &b->facts[i], head.seq, err);
        }
        if (rc == PW_OK && hook->after != NULL) {
            rc = hook->after(hook->ctx, b->s, &b->facts[i], head.seq, err);
        }
        if (rc != PW_OK) {
            out->failed = i;
            break;
        }
        out->recorded++;
        out->last_seq = head.seq;
    }
    if (rc == PW_OK && out->recorded > 0) {
        struct pw__param p[] = { pw__p_int(head.seq), pw__p_text(head.hash) };
        rc = pw__q(b->s, PW_Q_HEAD_SET, p, 2, NULL, NULL, err);
    }
    if (rc == PW_OK && out->recorded > 0 && b->s->hook.after == NULL) {
        rc = pw_store_meta_set(b->s, PW_STORE_ALERTS_FINGERPRINT, "", err);
    }
    return rc;
}

/* Records facts; with trial set, trial sees the store as it would be and nothing is kept. */
static enum pw_status
record(struct pw_store *s, const struct pw_fact *facts, size_t n, struct pw_record_outcome *out,
       pw_store_tx_fn trial, void *trial_ctx, struct pw_error *err)
{
    struct batch b = { .s = s, .facts = facts, .n = n };
    memset(out, 0, sizeof(*out));
    out->failed = SIZE_MAX;
    pw_strmap_init(&b.defined);
    pw_strmap_init(&b.ids);
    pw_strmap_init(&b.superseded);
    b.skip = pw_xcalloc(n == 0 ? 1 : n, sizeof(bool));
    struct pw_log_head head;
    enum pw_status rc = pw__begin(s, true, err);
    if (rc == PW_OK) {
        /* The head first: from here no other writer can change what the checks see. */
        rc = pw__log_head(s, true, &head, err);
        if (rc == PW_OK) {
            rc = check_all(&b, out, err);
        }
        if (rc == PW_OK) {
            rc = write_all(&b, head, out, err);
        }
        if (trial != NULL) {
            if (rc == PW_OK) {
                rc = trial(trial_ctx, s, err);
            }
            pw__rollback(s); /* a trial keeps nothing, whatever it saw */
            out->last_seq = 0;
        } else if (rc == PW_OK) {
            rc = pw__commit(s, err);
            out->outcome_unknown = rc != PW_OK;
            if (rc != PW_OK) {
                pw__rollback(s);
            }
        } else {
            pw__rollback(s);
        }
        if (rc != PW_OK) {
            out->recorded = 0;
            out->unchanged = 0;
            out->last_seq = 0;
        }
    }
    free(b.skip);
    pw_strmap_release(&b.defined);
    pw_strmap_release(&b.ids);
    pw_strmap_release(&b.superseded);
    return rc;
}

enum pw_status
pw_store_record(struct pw_store *s, const struct pw_fact *facts, size_t n,
                struct pw_record_outcome *out, struct pw_error *err)
{
    return record(s, facts, n, out, NULL, NULL, err);
}

enum pw_status
pw_store_record_trial(struct pw_store *s, const struct pw_fact *facts, size_t n,
                      struct pw_record_outcome *out, pw_store_tx_fn fn, void *ctx,
                      struct pw_error *err)
{
    return record(s, facts, n, out, fn, ctx, err);
}

/* Rebuild: replay the log, a page at a time, through the same code that recorded it. */

struct replay_page {
    struct pw_store *s;
    char **bodies;
    int64_t *seqs;
    size_t count;
};

#define REPLAY_PAGE 1000

static enum pw_status
replay_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct replay_page *pg = ctx;
    pg->seqs[pg->count] = pw__int(pg->s, row, 0);
    pg->bodies[pg->count] = pw_xstrdup(pw__text(pg->s, row, 7));
    pg->count++;
    return PW_OK;
}

static enum pw_status
replay_one(struct pw_store *s, const char *body, int64_t seq, struct pw_error *err)
{
    struct pw_fact f = { 0 };
    /* No clock check: a replayed fact was valid when recorded. */
    struct pw_fact_parse_opts opts = { NULL, 0 };
    enum pw_status rc = pw_fact_parse(body, strlen(body), &opts, &f, err);
    if (rc == PW_OK) {
        rc = pw__project_apply(s, &f, seq, err);
    } else {
        pw_error_detail(err, "log entry %lld no longer parses", (long long)seq);
    }
    pw_fact_release(&f);
    return rc;
}

enum pw_status
pw__replay(struct pw_store *s, int64_t *replayed, struct pw_error *err)
{
    struct replay_page pg = { .s = s };
    pg.bodies = pw_xcalloc(REPLAY_PAGE, sizeof(char *));
    pg.seqs = pw_xcalloc(REPLAY_PAGE, sizeof(int64_t));
    int64_t after = 0;
    enum pw_status rc = PW_OK;
    size_t got;
    do {
        pg.count = 0;
        struct pw__param p[] = { pw__p_int(after), pw__p_int(REPLAY_PAGE) };
        rc = pw__q(s, PW_Q_LOG_PAGE, p, 2, replay_row, &pg, err);
        for (size_t i = 0; i < pg.count; i++) {
            if (rc == PW_OK) {
                rc = replay_one(s, pg.bodies[i], pg.seqs[i], err);
            }
            free(pg.bodies[i]);
        }
        got = pg.count;
        if (got > 0) {
            after = pg.seqs[got - 1];
            *replayed += (int64_t)got;
        }
    } while (rc == PW_OK && got == REPLAY_PAGE);
    free(pg.bodies);
    free(pg.seqs);
    return rc;
}

enum pw_status
pw_store_rebuild(struct pw_store *s, int64_t *replayed, struct pw_error *err)
{
    struct pw_log_head head;
    *replayed = 0;
    enum pw_status rc = pw__begin(s, true, err);
    if (rc != PW_OK) {
        return rc;
    }
    /* Writers wait while the tables are emptied and refilled (PostgreSQL: the head's lock). */
    rc = pw__log_head(s, true, &head, err);
    if (rc == PW_OK) {
        rc = pw__project_clear(s, err);
    }
    if (rc == PW_OK) {
        rc = pw__replay(s, replayed, err);
    }
    if (rc == PW_OK && s->hook.rebuilt != NULL) {
        rc = s->hook.rebuilt(s->hook.ctx, s, err);
    } else if (rc == PW_OK) {
        /* The alerts were cleared with the projections and nobody derived them again. */
        rc = pw_store_meta_set(s, PW_STORE_ALERTS_FINGERPRINT, "", err);
    }
    if (rc == PW_OK) {
        rc = pw__commit(s, err);
    }
    if (rc != PW_OK) {
        pw__rollback(s);
        *replayed = 0;
    }
    return rc;
}
