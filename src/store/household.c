/*
 * Households: who lived at the same address at the same time. Built from the residences
 * projection: two residences with the same address key whose periods overlap make the two
 * people housemates for the overlap. Unknown ends are open (an unknown start counts from any
 * time before), because missing a man with a sexual-offence history from a child's household
 * is the failure the reviews found, and an extra name is only a question to ask.
 *
 * The chronology (chronology.c) finds a child's housemates with the same pw__household_pairs
 * and shows people with the same pw__person_display, so both read households one way.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/time.h"

/* A date bound: NULL or "" is open. */
static bool
open_bound(const char *d)
{
    return d == NULL || d[0] == '\0';
}

static const char *
later_start(const char *a, const char *b)
{
    if (open_bound(a)) {
        return b;
    }
    if (open_bound(b)) {
        return a;
    }
    return strcmp(a, b) >= 0 ? a : b;
}

static const char *
earlier_end(const char *a, const char *b)
{
    if (open_bound(a)) {
        return b;
    }
    if (open_bound(b)) {
        return a;
    }
    return strcmp(a, b) <= 0 ? a : b;
}

struct pairs_ctx {
    struct pw_store *s;
    const char *day; /* "YYYY-MM-DD", or NULL for every period */
    struct pw__household *out;
};

static char *
dup_or_null(const char *s)
{
    return open_bound(s) ? NULL : pw_xstrdup(s);
}

static bool
covers(const char *since, const char *until, const char *day)
{
    return (open_bound(since) || strcmp(since, day) <= 0) &&
           (open_bound(until) || strcmp(until, day) >= 0);
}

static enum pw_status
pair_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct pairs_ctx *c = ctx;
    struct pw_store *s = c->s;
    const char *since = later_start(pw__text(s, row, 4), pw__text(s, row, 6));
    const char *until = earlier_end(pw__text(s, row, 5), pw__text(s, row, 7));
    if (!open_bound(since) && !open_bound(until) && strcmp(since, until) > 0) {
        return PW_OK; /* the two periods do not overlap */
    }
    if (c->day != NULL && !covers(since, until, c->day)) {
        return PW_OK;
    }
    struct pw__household *h = c->out;
    if (h->count == h->cap) {
        h->cap = h->cap == 0 ? 16 : pw_mul_size(h->cap, 2);
        h->members = pw_xrealloc(h->members, pw_mul_size(h->cap, sizeof(h->members[0])));
    }
    struct pw__household_member *m = &h->members[h->count++];
    m->person = pw_xstrdup(pw__text(s, row, 0));
    m->line1 = dup_or_null(pw__text(s, row, 1));
    m->town = dup_or_null(pw__text(s, row, 2));
    m->postcode = dup_or_null(pw__text(s, row, 3));
    m->since = dup_or_null(since);
    m->until = dup_or_null(until);
    m->unmatched =
        strncmp(pw__text(s, row, 8), PW__UNMATCHED_ADDRESS, strlen(PW__UNMATCHED_ADDRESS)) == 0;
    return PW_OK;
}

enum pw_status
pw__household_pairs(struct pw_store *s, const char *person, const char *day,
                    struct pw__household *out, struct pw_error *err)
{
    struct pairs_ctx c = { .s = s, .day = day, .out = out };
    struct pw__param p = pw__p_text(person);
    return pw__q(s, PW_Q_HOUSEHOLD_PAIRS, &p, 1, pair_row, &c, err);
}

void
pw__household_release(struct pw__household *h)
{
    for (size_t i = 0; i < h->count; i++) {
        struct pw__household_member *m = &h->members[i];
        free(m->person);
        free(m->line1);
        free(m->town);
        free(m->postcode);
        free(m->since);
        free(m->until);
    }
    free(h->members);
    memset(h, 0, sizeof(*h));
}

/* The display name and date of birth of a person. */
struct display {
    struct pw_store *s;
    char birth[256];    /* the birth name, else the first name recorded */
    char known_as[256]; /* the first known-as name, if any */
    char dob[16];
    bool birth_is_birth;
};

static void
full_name(char *out, size_t size, const char *given, const char *family)
{
    (void)snprintf(out, size, "%s%s%s", given, given[0] != '\0' && family[0] != '\0' ? " " : "",
                   family);
}

static enum pw_status
display_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct display *d = ctx;
    struct pw_store *s = d->s;
    if (d->dob[0] == '\0') {
        if (!pw__null(s, row, 0)) {
            (void)snprintf(d->dob, sizeof(d->dob), "%s", pw__text(s, row, 0));
        } else if (!pw__null(s, row, 1)) {
            (void)snprintf(d->dob, sizeof(d->dob), "%lld", (long long)pw__int(s, row, 1));
        }
    }
    if (pw__null(s, row, 2) && pw__null(s, row, 3)) {
        return PW_OK;
    }
    const char *kind = pw__text(s, row, 4);
    if (strcmp(kind, "known_as") == 0) {
        if (d->known_as[0] == '\0') {
            full_name(d->known_as, sizeof(d->known_as), pw__text(s, row, 2), pw__text(s, row, 3));
        }
    } else if (!d->birth_is_birth) {
        /* A birth name wins over an alias recorded before it. */
        full_name(d->birth, sizeof(d->birth), pw__text(s, row, 2), pw__text(s, row, 3));
        d->birth_is_birth = strcmp(kind, "birth") == 0;
    }
    return PW_OK;
}

enum pw_status
pw__person_display(struct pw_store *s, const char *person, struct pw__person_display *out,
                   struct pw_error *err)
{
    struct display d = { .s = s };
    struct pw__param p = pw__p_text(person);
    memset(out, 0, sizeof(*out));
    enum pw_status rc = pw__q(s, PW_Q_PERSON_DISPLAY, &p, 1, display_row, &d, err);
    if (rc == PW_OK) {
        rc = pw__q(s, PW_Q_PERSON_SEXUAL_RISK, &p, 1, pw__row_exists, &out->sexual_risk, err);
    }
    if (rc != PW_OK) {
        return rc;
    }
    if (d.known_as[0] != '\0' && strcmp(d.known_as, d.birth) != 0) {
        (void)snprintf(out->name, sizeof(out->name), "%s (known as %s)",
                       d.birth[0] != '\0' ? d.birth : "?", d.known_as);
    } else {
        (void)snprintf(out->name, sizeof(out->name), "%s",
                       d.birth[0] != '\0' ? d.birth : d.known_as);
    }
    (void)snprintf(out->dob, sizeof(out->dob), "%s", d.dob);
    return PW_OK;
}

static enum pw_status
emit(struct pw_store *s, const struct pw__household_member *m, const char *asked,
     pw_housemate_fn fn, void *ctx, struct pw_error *err)
{
    struct pw__person_display d;
    enum pw_status rc = pw__person_display(s, m->person, &d, err);
    if (rc != PW_OK) {
        return rc;
    }
    struct pw_housemate h = {
        .person = m->person,
        .name = d.name,
        .dob = d.dob[0] != '\0' ? d.dob : NULL,
        .line1 = m->line1,
        .town = m->town,
        .postcode = m->postcode,
        .since = m->since,
        .until = m->until,
        .is_self = strcmp(m->person, asked) == 0,
        .sexual_risk = d.sexual_risk,
        .unmatched = m->unmatched,
    };
    return fn(ctx, &h, err);
}

enum pw_status
pw_store_household(struct pw_store *s, const char *person, int32_t day, bool all,
                   pw_housemate_fn fn, void *ctx, struct pw_error *err)
{
    char day_text[PW_DATE_TEXT_MAX];
    pw_date_format(day, day_text);
    struct pw__household h = { 0 };
    bool exists = false;
    enum pw_status rc = pw__begin(s, false, err);
    if (rc != PW_OK) {
        return rc;
    }
    rc = pw_store_person_exists(s, person, &exists, err);
    if (rc == PW_OK && !exists) {
        rc = pw_fail(err, PW_ENOTFOUND, "person \"%s\" is not known", person);
    }
    if (rc == PW_OK) {
        rc = pw__household_pairs(s, person, all ? NULL : day_text, &h, err);
    }
    /* In the query's order: by the person's own residences, the person first in each. */
    for (size_t i = 0; i < h.count && rc == PW_OK; i++) {
        rc = emit(s, &h.members[i], person, fn, ctx, err);
    }
    pw__rollback(s);
    pw__household_release(&h);
    return rc;
}
