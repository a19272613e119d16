/*
 * Import: an agency's feed, read and checked (read.c), compared with what the store holds and
 * recorded, all in one transaction. Importing the same extract again records nothing; a later
 * extract records only what changed: a new registration superseding the old one when a name or
 * date of birth was corrected, a new residence when the address moved. A practitioner's
 * correction of a registration stands until the feed's own row changes, and then keeps what
 * the feed does not say. The comparison and the
 * recording share the transaction (pw_store_transact holds the log's head), so an import
 * running at the same time cannot slip between them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "feed/feed.h"
#include "store/store.h"

/* The registrations of one person in the store, to find the one not yet corrected. */
struct regs {
    char **ids;
    char **supersedes;
    char **bodies;
    size_t count;
};

static enum pw_status
collect_reg(void *ctx, const struct pw_log_entry *e, struct pw_error *err)
{
    (void)err;
    struct regs *r = ctx;
    json_t *body = json_loads(e->body, 0, NULL);
    const char *sup = json_string_value(json_object_get(body, "supersedes"));
    r->ids = pw_xrealloc(r->ids, pw_mul_size(r->count + 1, sizeof(char *)));
    r->supersedes = pw_xrealloc(r->supersedes, pw_mul_size(r->count + 1, sizeof(char *)));
    r->bodies = pw_xrealloc(r->bodies, pw_mul_size(r->count + 1, sizeof(char *)));
    r->ids[r->count] = pw_xstrdup(e->id);
    r->supersedes[r->count] = sup != NULL ? pw_xstrdup(sup) : NULL;
    r->bodies[r->count] = pw_xstrdup(e->body);
    r->count++;
    json_decref(body);
    return PW_OK;
}

static void
regs_release(struct regs *r)
{
    for (size_t i = 0; i < r->count; i++) {
        free(r->ids[i]);
        free(r->supersedes[i]);
        free(r->bodies[i]);
    }
    free(r->ids);
    free(r->supersedes);
    free(r->bodies);
    memset(r, 0, sizeof(*r));
}

/* The latest word on the person: the last registration no other supersedes. */
static size_t
current_reg(const struct regs *r)
{
    for (size_t i = r->count; i-- > 0;) {
        bool superseded = false;
        for (size_t k = 0; k < r->count && !superseded; k++) {
            superseded = r->supersedes[k] != NULL && strcmp(r->supersedes[k], r->ids[i]) == 0;
        }
        if (!superseded) {
            return i;
        }
    }
    return SIZE_MAX;
}

/*
 * The last registration an import recorded ("<person>.reg.<digest>", maybe ".2"...): what the
 * feed itself last said. SIZE_MAX when none (a person a practitioner registered).
 */
static size_t
last_fed(const struct regs *r, const char *person)
{
    size_t n = strlen(person);
    for (size_t i = r->count; i-- > 0;) {
        if (strncmp(r->ids[i], person, n) == 0 && strncmp(r->ids[i] + n, ".reg.", 5) == 0) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* Whether the feed's row is the one it gave when it recorded id: the digest id carries. */
static bool
same_row(const char *id, const char *person, const char *digest)
{
    const char *d = id + strlen(person) + 5;
    size_t n = strlen(digest);
    return strncmp(d, digest, n) == 0 && (d[n] == '\0' || d[n] == '.');
}

static bool
is_envelope(const char *key)
{
    static const char *const keys[] = { "type",       "id",          "at",     "agency", "by",
                                        "supersedes", "sensitivity", "source", NULL };
    for (const char *const *k = keys; *k != NULL; k++) {
        if (strcmp(*k, key) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * A practitioner's correction survives a feed that changed: what the feed does not say (how the
 * child communicates, a disability, an ethnicity the extract leaves blank, an identifier it
 * lacks) is kept from the correction; what it says, it says.
 */
static void
keep_correction(const json_t *corrected, json_t *fact)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)corrected, key, v)
    {
        json_t *fed = json_object_get(fact, key);
        if (is_envelope(key)) {
            continue;
        }
        if (fed == NULL) {
            (void)json_object_set(fact, key, v);
        } else if (strcmp(key, "identifiers") == 0 && json_is_object(fed) && json_is_object(v)) {
            const char *scheme;
            json_t *value;
            json_object_foreach(v, scheme, value)
            {
                if (json_object_get(fed, scheme) == NULL) {
                    (void)json_object_set(fed, scheme, value);
                }
            }
        }
    }
}

/* What an import will record. */
struct plan {
    struct pw_fact *facts;
    long *lines;
    size_t count, cap;
    struct pw_feed_import *sum;
};

static void
plan_add(struct plan *p, const struct pw_fact *f, long line)
{
    if (p->count == p->cap) {
        p->cap = p->cap == 0 ? 256 : pw_mul_size(p->cap, 2);
        p->facts = pw_xrealloc(p->facts, pw_mul_size(p->cap, sizeof(*p->facts)));
        p->lines = pw_xrealloc(p->lines, pw_mul_size(p->cap, sizeof(*p->lines)));
    }
    p->facts[p->count] = *f;
    p->lines[p->count] = line;
    p->count++;
}

static void
plan_release(struct plan *p)
{
    for (size_t i = 0; i < p->count; i++) {
        pw_fact_release(&p->facts[i]);
    }
    free(p->facts);
    free(p->lines);
}

/* An id for a correction not yet used: the default, else with .2, .3 ... after it. */
static enum pw_status
fresh_id(struct pw_store *s, json_t *fact, struct pw_error *err)
{
    const char *base = json_string_value(json_object_get(fact, "id"));
    char id[PW_ID_MAX + 1];
    (void)snprintf(id, sizeof(id), "%s", base);
    for (int n = 2;; n++) {
        int64_t seq = 0;
        bool found = false;
        enum pw_status rc = pw_store_fact_seq(s, id, &seq, &found, err);
        if (rc != PW_OK) {
            return rc;
        }
        if (!found) {
            break;
        }
        char next[PW_ID_MAX + 1];
        (void)snprintf(next, sizeof(next), "%s.%d", base, n);
        (void)snprintf(id, sizeof(id), "%s", next);
    }
    (void)json_object_set_new(fact, "id", json_string(id));
    return PW_OK;
}

/*
 * Whether the feed's registration of a known person (fact) is news, and if so, fact as the
 * registration superseding the current one (cur). The feed is compared with what it said last,
 * not with a practitioner's correction since: an unchanged row leaves the correction standing,
 * however often the extract is imported; a changed row keeps what the correction says and the
 * feed does not. Nothing is recorded when that is the current registration already.
 */
static enum pw_status
plan_registration(struct pw_store *s, const struct regs *regs, size_t cur,
                  const struct pw_feed_record *rec, json_t *fact, bool *add, struct pw_error *err)
{
    size_t fed = last_fed(regs, rec->person);
    *add = false;
    if (fed != SIZE_MAX && same_row(regs->ids[fed], rec->person, rec->digest)) {
        return PW_OK;
    }
    json_t *current = json_loads(regs->bodies[cur], 0, NULL);
    if (current != NULL && cur != fed) {
        keep_correction(current, fact);
    }
    char now[11];
    char was[11];
    pw_feed_digest(fact, now);
    pw_feed_digest(current, was);
    json_decref(current);
    if (strcmp(now, was) == 0) {
        return PW_OK;
    }
    (void)json_object_set_new(fact, "supersedes", json_string(regs->ids[cur]));
    *add = true;
    return fresh_id(s, fact, err);
}

/* Decides for one record which of its facts are new; adds those to the plan. */
static enum pw_status
plan_record(struct pw_store *s, struct pw_feed_record *rec, const struct pw_fact_parse_opts *po,
            struct plan *p, struct pw_error *err)
{
    bool exists = false;
    bool any = false;
    struct regs regs = { 0 };
    enum pw_status rc = pw_store_person_exists(s, rec->person, &exists, err);
    if (rc != PW_OK) {
        return rc;
    }
    for (size_t k = 0; k < rec->nfacts && rc == PW_OK; k++) {
        json_t *fact = rec->facts[k];
        const char *type = json_string_value(json_object_get(fact, "type"));
        bool is_reg = strcmp(type, "person.registered") == 0;
        bool add = !exists;
        if (exists && is_reg) {
            struct pw_fact_filter filter = { rec->person, "person.registered" };
            rc = pw_store_facts(s, &filter, collect_reg, &regs, err);
            size_t cur = rc == PW_OK ? current_reg(&regs) : SIZE_MAX;
            if (cur != SIZE_MAX) {
                rc = plan_registration(s, &regs, cur, rec, fact, &add, err);
                p->sum->corrected += add ? 1 : 0;
            }
        } else if (exists) {
            int64_t seq = 0;
            bool found = false;
            rc = pw_store_fact_seq(s, json_string_value(json_object_get(fact, "id")), &seq, &found,
                                   err);
            add = !found;
        }
        if (rc != PW_OK || !add) {
            continue;
        }
        struct pw_fact f = { 0 };
        rc = pw_fact_from_json(fact, po, &f, err);
        if (rc != PW_OK) {
            pw_error_line(err, rec->line);
            break;
        }
        plan_add(p, &f, rec->line);
        any = true;
        if (is_reg && !exists) {
            p->sum->registered++;
        } else if (strcmp(type, "residence.recorded") == 0) {
            p->sum->residences++;
        } else if (strcmp(type, "school.recorded") == 0) {
            p->sum->schools++;
        }
    }
    if (rc == PW_OK && !any) {
        p->sum->unchanged++;
    }
    regs_release(&regs);
    return rc;
}

struct import_run {
    struct pw_feed_batch *b;
    const struct pw_fact_parse_opts *po;
    bool check;
    struct plan plan;
    struct pw_record_outcome outcome;
};

static enum pw_status
import_tx(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct import_run *r = ctx;
    enum pw_status rc = PW_OK;
    for (size_t i = 0; i < r->b->count && rc == PW_OK; i++) {
        rc = plan_record(s, &r->b->records[i], r->po, &r->plan, err);
    }
    if (rc == PW_OK && !r->check && r->plan.count > 0) {
        rc = pw_store_record(s, r->plan.facts, r->plan.count, &r->outcome, err);
        if (rc != PW_OK && r->outcome.failed < r->plan.count) {
            r->plan.sum->failed_line = r->plan.lines[r->outcome.failed];
            pw_error_line(err, r->plan.sum->failed_line);
        }
    }
    return rc;
}

enum pw_status
pw_feed_import(struct pw_store *s, struct pw_feed_batch *b, const struct pw_fact_parse_opts *po,
               bool check, struct pw_feed_import *out, struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    struct import_run r = { .b = b, .po = po, .check = check, .plan = { .sum = out } };
    r.outcome.failed = SIZE_MAX;
    enum pw_status rc = pw_store_transact(s, import_tx, &r, err);
    out->recorded = rc == PW_OK ? r.outcome.recorded : 0;
    out->outcome_unknown = r.outcome.outcome_unknown;
    plan_release(&r.plan);
    return rc;
}
