/*
 * A child's multi-agency chronology. The national reviews found that what one agency knew never
 * met what another knew, and that assessments left out the adult about whom there were
 * concerns; the chronology puts it in one place, in one read transaction, in two steps:
 *
 * 1. Who is connected to the child: the child; everyone with a relationship to or from them;
 *    everyone who ever lived with them (household.c's logic, over all time); the partners of
 *    their parents, because a man moving in with a mother is who the reviews found nobody
 *    assessed; everyone named with them in a concern (the alleged above all); a man to be
 *    released from custody to where they live (before any residence says he lives there);
 *    and the adults of a court application about them. Each person is kept once, with every
 *    way they are connected.
 * 2. Every fact naming any of them (fact_subjects), and every fact naming a concern or an
 *    episode those facts name (fact_refs: the referral decision, a meeting, an investigation
 *    update that names no person), once each, in the order things happened (at_key, then log
 *    position), so a fact recorded years later about an earlier event sits where it belongs. A
 *    correction does not hide what it corrected: both are listed, each marked.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/strmap.h"

/* A row found through a concern or an episode rather than a person. */
#define NO_PERSON SIZE_MAX

/* A person connected to the child. Strings in the arena. */
struct connected {
    const char *id;
    const char *how;                    /* every way they are connected, joined by "; " */
    const char *same_as;                /* another record of this person, found first */
    struct pw_chronology_period *lived; /* periods lived with the child; in the arena */
    size_t nlived, lived_cap;
};

/* One fact as found through one connected person. Strings in the arena. */
struct row {
    int64_t seq;
    size_t who; /* the connected person it was found through: an index of people */
    const char *id, *type, *at, *at_key, *agency, *by, *recorded_at, *sensitivity;
    const char *supersedes, *superseded_by, *body, *prev_hash, *hash;
};

struct chron {
    struct pw_store *s;
    const char *child;
    const char *self; /* the child's record whose connections are being found */
    struct pw_arena *arena;
    struct pw_arena *rows_arena; /* the fact rows' strings: the memo's */
    struct pw__chron_memo *memo;
    struct connected *people;
    size_t npeople, people_cap;
    struct row *rows;
    size_t nrows, rows_cap;
    size_t who;            /* the person whose facts are being read */
    bool plain;            /* people without name, date of birth or risk */
    struct pw_strmap seen; /* "seq:N" of facts found, "kind:id" of concerns/episodes followed */
};

/* ---- What chronologies read in one transaction ---- */

/*
 * The facts naming a person, and the concerns and episodes those facts name, as read in this
 * transaction. Judging one fact loads the cases of a child and their brothers and sisters,
 * whose chronologies read the same people; each person's facts are read once. The store forgets
 * it all when the transaction ends and whenever a fact is appended or who facts name changes
 * (pw__q), so nothing read here is ever stale. Strings live in the memo's arena, which is
 * freed only between chronologies.
 */
#define MEMO_MAX_PEOPLE ((size_t)4096)

struct memo_person {
    struct row *rows; /* who is meaningless here */
    size_t nrows;
    char (*refs)[2][PW_ID_MAX + 1];
    size_t nrefs;
    bool has_rows, has_refs;
};

struct pw__chron_memo {
    struct pw_arena *arena;
    struct pw_strmap index; /* person -> index of people */
    struct memo_person *people;
    size_t count, cap;
};

void
pw__chron_memo_forget(struct pw_store *s)
{
    struct pw__chron_memo *m = s->chron_memo;
    if (m == NULL) {
        return;
    }
    pw_arena_free(m->arena);
    pw_strmap_release(&m->index);
    free(m->people);
    free(m);
    s->chron_memo = NULL;
}

/* The memo, made afresh when there is none or it has grown too big (a recheck). */
static struct pw__chron_memo *
memo_open(struct pw_store *s)
{
    if (s->chron_memo != NULL && s->chron_memo->count >= MEMO_MAX_PEOPLE) {
        pw__chron_memo_forget(s);
    }
    if (s->chron_memo == NULL) {
        struct pw__chron_memo *m = pw_xcalloc(1, sizeof(*m));
        m->arena = pw_arena_new();
        pw_strmap_init(&m->index);
        s->chron_memo = m;
    }
    return s->chron_memo;
}

/* What the memo holds of person, made empty if nothing. */
static struct memo_person *
memo_person(struct pw__chron_memo *m, const char *person)
{
    int64_t at = 0;
    if (pw_strmap_get(&m->index, person, &at)) {
        return &m->people[at];
    }
    if (m->count == m->cap) {
        m->cap = m->cap == 0 ? 64 : pw_mul_size(m->cap, 2);
        m->people = pw_xrealloc(m->people, pw_mul_size(m->cap, sizeof(m->people[0])));
    }
    pw_strmap_put(&m->index, person, (int64_t)m->count);
    memset(&m->people[m->count], 0, sizeof(m->people[0]));
    return &m->people[m->count++];
}

/* Relationship kinds that read the same whichever way round they were recorded. */
static const char *const mutual_kinds[] = {
    "sibling",        "half_sibling",  "step_sibling",     "cousin",
    "other_relative", "family_friend", "household_member", "regular_contact",
};

static bool
is_mutual(const char *kind)
{
    for (size_t i = 0; i < sizeof(mutual_kinds) / sizeof(mutual_kinds[0]); i++) {
        if (strcmp(mutual_kinds[i], kind) == 0) {
            return true;
        }
    }
    return false;
}

/* True when label is one of the "; "-separated labels of how. */
static bool
has_label(const char *how, const char *label)
{
    size_t n = strlen(label);
    for (const char *p = strstr(how, label); p != NULL; p = strstr(p + 1, label)) {
        bool starts = p == how || (p - how >= 2 && p[-2] == ';' && p[-1] == ' ');
        bool ends = p[n] == '\0' || p[n] == ';';
        if (starts && ends) {
            return true;
        }
    }
    return false;
}

/* Adds person with the label, or the label to the person already there; returns them. */
static struct connected *
add_connection(struct chron *c, const char *person, const char *label)
{
    for (size_t i = 0; i < c->npeople; i++) {
        struct connected *p = &c->people[i];
        if (strcmp(p->id, person) == 0) {
            if (!has_label(p->how, label)) {
                p->how = pw_arena_printf(c->arena, "%s; %s", p->how, label);
            }
            return p;
        }
    }
    if (c->npeople == c->people_cap) {
        c->people_cap = c->people_cap == 0 ? 16 : pw_mul_size(c->people_cap, 2);
        c->people = pw_xrealloc(c->people, pw_mul_size(c->people_cap, sizeof(c->people[0])));
    }
    struct connected *p = &c->people[c->npeople++];
    memset(p, 0, sizeof(*p));
    p->id = pw_arena_strdup(c->arena, person);
    p->how = pw_arena_strdup(c->arena, label);
    return p;
}

static const char *
arena_dup_or_null(struct pw_arena *a, const char *s)
{
    return s == NULL ? NULL : pw_arena_strdup(a, s);
}

/* Notes a period p lived with the child (the arena holds it; the array grows by copying). */
static void
add_period(struct chron *c, struct connected *p, const struct pw__household_member *m)
{
    if (p->nlived == p->lived_cap) {
        size_t cap = p->lived_cap == 0 ? 4 : pw_mul_size(p->lived_cap, 2);
        struct pw_chronology_period *grown =
            pw_arena_alloc(c->arena, pw_mul_size(cap, sizeof(*grown)));
        if (p->nlived > 0) {
            memcpy(grown, p->lived, p->nlived * sizeof(*grown));
        }
        p->lived = grown;
        p->lived_cap = cap;
    }
    p->lived[p->nlived++] = (struct pw_chronology_period){
        arena_dup_or_null(c->arena, m->since),
        arena_dup_or_null(c->arena, m->until),
    };
}

/* A relationship to or from the child, labelled as seen from the child. */
static enum pw_status
relation_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct chron *c = ctx;
    const char *from = pw__text(c->s, row, 0);
    const char *to = pw__text(c->s, row, 1);
    const char *kind = pw__text(c->s, row, 2);
    if (strcmp(to, c->self) == 0) {
        add_connection(c, from, kind);
    } else if (is_mutual(kind)) {
        add_connection(c, to, kind);
    } else {
        add_connection(c, to, pw_arena_printf(c->arena, "the child is their %s", kind));
    }
    return PW_OK;
}

/* A partner of one of the child's parents. */
static enum pw_status
partner_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct chron *c = ctx;
    const char *parent = pw__text(c->s, row, 0);
    const char *partner = pw__text(c->s, row, 1);
    if (strcmp(partner, c->self) != 0 && strcmp(partner, c->child) != 0) {
        add_connection(c, partner,
                       pw_arena_printf(c->arena, "partner of the child's parent %s", parent));
    }
    return PW_OK;
}

/* "household member at 12 Mill Lane from 2025-05-10": where and when they lived together. */
static const char *
household_label(struct chron *c, const struct pw__household_member *m)
{
    const char *place = m->line1;
    if (place == NULL) {
        place = m->postcode != NULL ? m->postcode : m->town;
    }
    if (place == NULL) {
        place = "a shared address";
    }
    if (m->since != NULL && m->until != NULL) {
        return pw_arena_printf(c->arena, "household member at %s from %s to %s", place, m->since,
                               m->until);
    }
    if (m->since != NULL) {
        return pw_arena_printf(c->arena, "household member at %s from %s", place, m->since);
    }
    if (m->until != NULL) {
        return pw_arena_printf(c->arena, "household member at %s until %s", place, m->until);
    }
    return pw_arena_printf(c->arena, "household member at %s", place);
}

/* Someone named with the child in a concern, labelled by the part each plays in it. */
static enum pw_status
concern_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct chron *c = ctx;
    const char *person = pw__text(c->s, row, 0);
    const char *their_role = pw__text(c->s, row, 1);
    const char *child_role = pw__text(c->s, row, 2);
    const char *concern = pw__text(c->s, row, 3);
    const char *label;
    if (strcmp(their_role, "alleged") == 0) {
        label = pw_arena_printf(c->arena, "alleged in concern %s", concern);
    } else if (strcmp(child_role, "alleged") == 0) {
        label = pw_arena_printf(c->arena, "a child in concern %s, which names the child as alleged",
                                concern);
    } else {
        label = pw_arena_printf(c->arena, "named with the child in concern %s", concern);
    }
    add_connection(c, person, label);
    return PW_OK;
}

/* Someone to be released from custody to an address where the child lives. */
static enum pw_status
release_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct chron *c = ctx;
    add_connection(c, pw__text(c->s, row, 0),
                   pw_arena_printf(c->arena,
                                   "to be released from custody to the child's address on %s (%s)",
                                   pw__text(c->s, row, 1), pw__text(c->s, row, 2)));
    return PW_OK;
}

/* Someone named with the child in a court application. */
static enum pw_status
court_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct chron *c = ctx;
    add_connection(c, pw__text(c->s, row, 0),
                   pw_arena_printf(c->arena, "named with the child in court application %s",
                                   pw__text(c->s, row, 1)));
    return PW_OK;
}

static enum pw_status
find_housemates(struct chron *c, struct pw_error *err)
{
    struct pw__household h = { 0 };
    enum pw_status rc = pw__household_pairs(c->s, c->self, NULL, &h, err);
    for (size_t i = 0; rc == PW_OK && i < h.count; i++) {
        if (strcmp(h.members[i].person, c->self) != 0) {
            struct connected *p =
                add_connection(c, h.members[i].person, household_label(c, &h.members[i]));
            add_period(c, p, &h.members[i]);
        }
    }
    pw__household_release(&h);
    return rc;
}

/* The people connected to one of the child's records (c->self). */
static enum pw_status
find_connections(struct chron *c, struct pw_error *err)
{
    struct pw__param p = pw__p_text(c->self);
    enum pw_status rc = pw__q(c->s, PW_Q_CHRONOLOGY_RELATIONS, &p, 1, relation_row, c, err);
    if (rc == PW_OK) {
        rc = find_housemates(c, err);
    }
    if (rc == PW_OK) {
        rc = pw__q(c->s, PW_Q_CHRONOLOGY_PARENT_PARTNERS, &p, 1, partner_row, c, err);
    }
    if (rc == PW_OK) {
        rc = pw__q(c->s, PW_Q_CHRONOLOGY_CONCERN_CO, &p, 1, concern_row, c, err);
    }
    if (rc == PW_OK) {
        rc = pw__q(c->s, PW_Q_CHRONOLOGY_RELEASES, &p, 1, release_row, c, err);
    }
    if (rc == PW_OK) {
        rc = pw__q(c->s, PW_Q_CHRONOLOGY_COURT_CO, &p, 1, court_row, c, err);
    }
    return rc;
}

/* Another record of person i (record linkage or a practitioner linked them). */
struct mates {
    struct chron *c;
    size_t of;
};

static enum pw_status
mate_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct mates *m = ctx;
    struct chron *c = m->c;
    const char *of = c->people[m->of].id;
    const char *mate = pw__text(c->s, row, 0);
    bool child = strcmp(of, c->child) == 0;
    struct connected *p =
        add_connection(c, mate,
                       child ? "the child: another record of the child (linked)"
                             : pw_arena_printf(c->arena, "another record of %s (linked)", of));
    /* The first of a person's records in the list stands for them: the others point to it. */
    size_t at = (size_t)(p - c->people);
    if (at > m->of && p->same_as == NULL) {
        p->same_as = pw_arena_strdup(c->arena, of);
    }
    return PW_OK;
}

static enum pw_status
add_mates(struct chron *c, size_t i, struct pw_error *err)
{
    struct mates m = { c, i };
    struct pw__param p = pw__p_text(c->people[i].id);
    return pw__q(c->s, PW_Q_CLUSTER_MATES, &p, 1, mate_row, &m, err);
}

/*
 * Everyone connected to the child, through every record of the child: the connections of the
 * health record of a child are the child's too once the records are linked. Then each
 * person's other records, so that what the police know of a man the social worker knows under
 * another spelling is in the child's chronology.
 */
static enum pw_status
find_people(struct chron *c, struct pw_error *err)
{
    bool exists = false;
    bool linked = false;
    enum pw_status rc = pw_store_person_exists(c->s, c->child, &exists, err);
    if (rc == PW_OK && !exists) {
        rc = pw_fail(err, PW_ENOTFOUND, "person \"%s\" is not known", c->child);
    }
    if (rc == PW_OK) {
        rc = pw__q(c->s, PW_Q_ANY_CLUSTER, NULL, 0, pw__row_exists, &linked, err);
    }
    if (rc != PW_OK) {
        return rc;
    }
    add_connection(c, c->child, "the child");
    if (linked) {
        rc = add_mates(c, 0, err);
    }
    size_t records = c->npeople; /* the child and their other records */
    for (size_t i = 0; rc == PW_OK && i < records; i++) {
        c->self = c->people[i].id;
        rc = find_connections(c, err);
    }
    for (size_t i = records; rc == PW_OK && linked && i < c->npeople; i++) {
        rc = add_mates(c, i, err);
    }
    return rc;
}

/* Column col as an arena string, or NULL when the column is NULL. */
static const char *
text_or_null(struct chron *c, const struct pw__row *row, int col)
{
    return pw__null(c->s, row, col) ? NULL
                                    : pw_arena_strdup(c->rows_arena, pw__text(c->s, row, col));
}

static struct row *
new_row(struct chron *c)
{
    if (c->nrows == c->rows_cap) {
        c->rows_cap = c->rows_cap == 0 ? 64 : pw_mul_size(c->rows_cap, 2);
        c->rows = pw_xrealloc(c->rows, pw_mul_size(c->rows_cap, sizeof(c->rows[0])));
    }
    return &c->rows[c->nrows++];
}

static enum pw_status
fact_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct chron *c = ctx;
    struct row *r = new_row(c);
    r->seq = pw__int(c->s, row, 0);
    r->who = c->who;
    r->id = text_or_null(c, row, 1);
    r->type = text_or_null(c, row, 2);
    r->at = text_or_null(c, row, 3);
    r->at_key = text_or_null(c, row, 4);
    r->agency = text_or_null(c, row, 5);
    r->by = text_or_null(c, row, 6);
    r->recorded_at = text_or_null(c, row, 7);
    r->sensitivity = text_or_null(c, row, 8);
    r->supersedes = text_or_null(c, row, 9);
    r->body = text_or_null(c, row, 10);
    r->superseded_by = text_or_null(c, row, 11);
    r->prev_hash = text_or_null(c, row, 12);
    r->hash = text_or_null(c, row, 13);
    return PW_OK;
}

/* When it happened, then its place in the log, then the order the people came in. */
static int
row_order(const void *a, const void *b)
{
    const struct row *x = a;
    const struct row *y = b;
    int by_time = strcmp(x->at_key, y->at_key);
    if (by_time != 0) {
        return by_time;
    }
    if (x->seq != y->seq) {
        return x->seq < y->seq ? -1 : 1;
    }
    if (x->who != y->who) {
        return x->who < y->who ? -1 : 1;
    }
    return 0;
}

static void
mark_seen_seq(struct chron *c, int64_t seq)
{
    char key[32];
    (void)snprintf(key, sizeof(key), "seq:%lld", (long long)seq);
    pw_strmap_put(&c->seen, key, 1);
}

/* A fact found through a concern or episode, unless a person already brought it in. */
static enum pw_status
ref_fact_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct chron *c = ctx;
    char key[32];
    (void)snprintf(key, sizeof(key), "seq:%lld", (long long)pw__int(c->s, row, 0));
    if (pw_strmap_get(&c->seen, key, NULL)) {
        return PW_OK;
    }
    pw_strmap_put(&c->seen, key, 1);
    return fact_row(ctx, row, err);
}

/* The concerns and episodes of one fact, each followed once. */
struct refs {
    struct chron *c;
    char (*list)[2][PW_ID_MAX + 1];
    size_t count, cap;
};

/* A concern or episode to follow, unless it has been. */
static void
note_ref(struct refs *r, const char *kind, const char *id)
{
    char key[PW_ID_MAX + 16];
    (void)snprintf(key, sizeof(key), "%s:%s", kind, id);
    if (pw_strmap_get(&r->c->seen, key, NULL)) {
        return;
    }
    pw_strmap_put(&r->c->seen, key, 1);
    if (r->count == r->cap) {
        r->cap = r->cap == 0 ? 16 : pw_mul_size(r->cap, 2);
        r->list = pw_xrealloc(r->list, pw_mul_size(r->cap, sizeof(r->list[0])));
    }
    (void)snprintf(r->list[r->count][0], sizeof(r->list[0][0]), "%s", kind);
    (void)snprintf(r->list[r->count][1], sizeof(r->list[0][1]), "%s", id);
    r->count++;
}

static enum pw_status
ref_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct refs *r = ctx;
    note_ref(r, pw__text(r->c->s, row, 0), pw__text(r->c->s, row, 1));
    return PW_OK;
}

/* The references of the facts naming a person, as read: every row, for the memo. */
struct ref_list {
    struct pw_store *s;
    char (*list)[2][PW_ID_MAX + 1];
    size_t count, cap;
};

static enum pw_status
ref_list_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct ref_list *l = ctx;
    struct pw_store *s = l->s;
    if (l->count == l->cap) {
        l->cap = l->cap == 0 ? 8 : pw_mul_size(l->cap, 2);
        l->list = pw_xrealloc(l->list, pw_mul_size(l->cap, sizeof(l->list[0])));
    }
    (void)snprintf(l->list[l->count][0], sizeof(l->list[0][0]), "%s", pw__text(s, row, 0));
    (void)snprintf(l->list[l->count][1], sizeof(l->list[0][1]), "%s", pw__text(s, row, 1));
    l->count++;
    return PW_OK;
}

/* The concerns and episodes named by the facts naming person i, from the memo or the store. */
static enum pw_status
person_refs(struct chron *c, struct refs *r, size_t i, struct pw_error *err)
{
    struct memo_person *mp = memo_person(c->memo, c->people[i].id);
    if (!mp->has_refs) {
        struct ref_list l = { .s = c->s };
        struct pw__param p = pw__p_text(c->people[i].id);
        enum pw_status rc = pw__q(c->s, PW_Q_CHRONOLOGY_PERSON_REFS, &p, 1, ref_list_row, &l, err);
        if (rc != PW_OK) {
            free(l.list);
            return rc;
        }
        if (l.count > 0) {
            mp->refs = pw_arena_alloc(c->memo->arena, pw_mul_size(l.count, sizeof(l.list[0])));
            memcpy(mp->refs, l.list, l.count * sizeof(l.list[0]));
        }
        mp->nrefs = l.count;
        mp->has_refs = true;
        free(l.list);
    }
    for (size_t k = 0; k < mp->nrefs; k++) {
        note_ref(r, mp->refs[k][0], mp->refs[k][1]);
    }
    return PW_OK;
}

/* The facts naming person i, from the memo or the store. */
static enum pw_status
person_facts(struct chron *c, size_t i, struct pw_error *err)
{
    struct memo_person *mp = memo_person(c->memo, c->people[i].id);
    if (mp->has_rows) {
        for (size_t k = 0; k < mp->nrows; k++) {
            struct row *r = new_row(c);
            *r = mp->rows[k];
            r->who = i;
        }
        return PW_OK;
    }
    size_t first = c->nrows;
    struct pw__param p = pw__p_text(c->people[i].id);
    c->who = i;
    enum pw_status rc = pw__q(c->s, PW_Q_CHRONOLOGY_FACTS, &p, 1, fact_row, c, err);
    if (rc == PW_OK) {
        size_t n = c->nrows - first;
        if (n > 0) {
            mp->rows = pw_arena_alloc(c->memo->arena, pw_mul_size(n, sizeof(mp->rows[0])));
            memcpy(mp->rows, &c->rows[first], n * sizeof(mp->rows[0]));
        }
        mp->nrows = n;
        mp->has_rows = true;
    }
    return rc;
}

/*
 * Out from the people: the concerns and episodes the facts found name, every fact naming
 * those, and so on (a concern leads to the decision that opened an episode, the episode to
 * its investigation updates). A referral decision names only its concern; without this the
 * chronology would lack the decision that set everything else going. Each concern or episode
 * is followed once, so this ends.
 */
static enum pw_status
follow_refs(struct chron *c, struct pw_error *err)
{
    struct refs r = { .c = c };
    enum pw_status rc = PW_OK;
    size_t followed = 0;
    for (size_t i = 0; i < c->nrows; i++) {
        mark_seen_seq(c, c->rows[i].seq);
    }
    /* The facts found through people: their references in one query a person. */
    for (size_t i = 0; rc == PW_OK && i < c->npeople; i++) {
        rc = person_refs(c, &r, i, err);
    }
    /* Then those found through a concern or an episode, as they come. */
    for (size_t i = 0; rc == PW_OK && (i < c->nrows || followed < r.count);) {
        if (i < c->nrows) {
            const struct row *row = &c->rows[i++];
            if (row->who != NO_PERSON) {
                continue;
            }
            struct pw__param p = pw__p_int(row->seq);
            rc = pw__q(c->s, PW_Q_CHRONOLOGY_FACT_REFS, &p, 1, ref_row, &r, err);
            continue;
        }
        struct pw__param p[] = { pw__p_text(r.list[followed][0]), pw__p_text(r.list[followed][1]) };
        followed++;
        c->who = NO_PERSON;
        rc = pw__q(c->s, PW_Q_CHRONOLOGY_REF_FACTS, p, 2, ref_fact_row, c, err);
    }
    free(r.list);
    return rc;
}

static enum pw_status
read_facts(struct chron *c, struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    for (size_t i = 0; rc == PW_OK && i < c->npeople; i++) {
        rc = person_facts(c, i, err);
    }
    if (rc == PW_OK) {
        rc = follow_refs(c, err);
    }
    if (rc == PW_OK && c->nrows > 1) {
        qsort(c->rows, c->nrows, sizeof(c->rows[0]), row_order);
    }
    return rc;
}

static enum pw_status
emit_people(struct chron *c, pw_chronology_fn fn, void *ctx, struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    for (size_t i = 0; rc == PW_OK && i < c->npeople; i++) {
        struct pw__person_display d = { .name = "" };
        if (!c->plain) {
            rc = pw__person_display(c->s, c->people[i].id, &d, err);
        }
        if (rc != PW_OK) {
            break;
        }
        struct pw_chronology_person person = {
            .person = c->people[i].id,
            .name = d.name,
            .dob = d.dob[0] != '\0' ? d.dob : NULL,
            .how = c->people[i].how,
            .sexual_risk = d.sexual_risk,
            .lived_with = c->people[i].lived,
            .lived_with_count = c->people[i].nlived,
            .same_as = c->people[i].same_as,
        };
        struct pw_chronology_item item = { .person = &person };
        rc = fn(ctx, &item, err);
    }
    return rc;
}

/* One fact from rows[first..end): the same fact found through each person it names. */
static enum pw_status
emit_fact(struct chron *c, size_t first, size_t end, const char **concerns, pw_chronology_fn fn,
          void *ctx, struct pw_error *err)
{
    const struct row *r = &c->rows[first];
    size_t named = 0;
    PW_ASSERT(end - first <= c->npeople);
    for (size_t k = first; k < end; k++) {
        if (c->rows[k].who != NO_PERSON) {
            concerns[named++] = c->people[c->rows[k].who].id;
        }
    }
    struct pw_chronology_fact fact = {
        .entry = { .seq = r->seq,
                   .id = r->id,
                   .type = r->type,
                   .at = r->at,
                   .agency = r->agency,
                   .by = r->by,
                   .recorded_at = r->recorded_at,
                   .body = r->body,
                   .prev_hash = r->prev_hash,
                   .hash = r->hash },
        .sensitivity = r->sensitivity,
        .supersedes = r->supersedes,
        .superseded_by = r->superseded_by,
        .concerns = concerns,
        .concern_count = named,
    };
    struct pw_chronology_item item = { .fact = &fact };
    return fn(ctx, &item, err);
}

static enum pw_status
emit_facts(struct chron *c, pw_chronology_fn fn, void *ctx, struct pw_error *err)
{
    /* A fact names each person at most once, so it has at most npeople rows. */
    const char **concerns = pw_xcalloc(c->npeople, sizeof(*concerns));
    enum pw_status rc = PW_OK;
    size_t first = 0;
    while (rc == PW_OK && first < c->nrows) {
        size_t end = first + 1;
        while (end < c->nrows && c->rows[end].seq == c->rows[first].seq) {
            end++;
        }
        rc = emit_fact(c, first, end, concerns, fn, ctx, err);
        first = end;
    }
    free(concerns);
    return rc;
}

static enum pw_status
chronology(struct pw_store *s, const char *child, bool plain, pw_chronology_fn fn, void *ctx,
           struct pw_error *err)
{
    struct chron c = { .s = s, .child = child, .arena = pw_arena_new(), .plain = plain };
    pw_strmap_init(&c.seen);
    enum pw_status rc = pw__begin(s, false, err);
    if (rc == PW_OK) {
        c.memo = memo_open(s);
        c.rows_arena = c.memo->arena;
        rc = find_people(&c, err);
        if (rc == PW_OK) {
            rc = read_facts(&c, err);
        }
        if (rc == PW_OK) {
            rc = emit_people(&c, fn, ctx, err);
        }
        if (rc == PW_OK) {
            rc = emit_facts(&c, fn, ctx, err);
        }
        pw__rollback(s);
    }
    free(c.people);
    free(c.rows);
    pw_strmap_release(&c.seen);
    pw_arena_free(c.arena);
    return rc;
}

enum pw_status
pw_store_chronology(struct pw_store *s, const char *child, pw_chronology_fn fn, void *ctx,
                    struct pw_error *err)
{
    return chronology(s, child, false, fn, ctx, err);
}

enum pw_status
pw_store_chronology_plain(struct pw_store *s, const char *child, pw_chronology_fn fn, void *ctx,
                          struct pw_error *err)
{
    return chronology(s, child, true, fn, ctx, err);
}
