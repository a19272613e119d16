/*
 * Projections: the current-state tables derived from the log. pw__project_apply is the only
 * code that writes them, both when a fact is recorded and when the log is replayed by
 * pw_store_rebuild, so a rebuild reproduces them exactly by construction (and a test checks).
 *
 * A correction (a fact that supersedes another) first removes every row the corrected fact put
 * in, then applies itself: the tables always show the latest word.
 */
#include "store/store_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"

static const char *
jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static struct pw__param
p_bool(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_boolean(v) ? pw__p_int(json_is_true(v) ? 1 : 0) : pw__p_null();
}

static struct pw__param
p_int(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? pw__p_int(json_integer_value(v)) : pw__p_null();
}

/* Adds each person the fact names or defines to fact_subjects (for `facts --person`). */
struct subject_ctx {
    struct pw_store *s;
    int64_t seq;
};

static const char *
ref_kind_name(enum pw_ref_kind kind)
{
    return kind == PW_REF_CONCERN ? "concern" : "episode";
}

/* People go to fact_subjects; concerns and episodes to fact_refs. */
static enum pw_status
add_subject(void *ctx, enum pw_ref_kind kind, const char *id, const char *path,
            struct pw_error *err)
{
    (void)path;
    struct subject_ctx *c = ctx;
    if (kind != PW_REF_PERSON) {
        struct pw__param p[] = { pw__p_text(ref_kind_name(kind)), pw__p_text(id),
                                 pw__p_int(c->seq) };
        return pw__q(c->s, PW_Q_REF_ADD, p, 3, NULL, NULL, err);
    }
    struct pw__param p[] = { pw__p_text(id), pw__p_int(c->seq) };
    return pw__q(c->s, PW_Q_SUBJECT_ADD, p, 2, NULL, NULL, err);
}

static enum pw_status
add_subjects_and_entities(struct pw_store *s, const struct pw_fact *f, int64_t seq,
                          struct pw_error *err)
{
    struct subject_ctx c = { s, seq };
    enum pw_status rc = pw_fact_each_ref(f, add_subject, &c, err);
    const char *person = pw_fact_defines(f, PW_REF_PERSON);
    if (rc == PW_OK && person != NULL) {
        rc = add_subject(&c, PW_REF_PERSON, person, "", err);
    }
    static const struct {
        enum pw_ref_kind kind;
        const char *name;
    } kinds[] = { { PW_REF_CONCERN, "concern" }, { PW_REF_EPISODE, "episode" } };
    for (size_t i = 0; rc == PW_OK && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        const char *id = pw_fact_defines(f, kinds[i].kind);
        if (id != NULL) {
            struct pw__param p[] = { pw__p_text(kinds[i].name), pw__p_text(id), pw__p_text(f->id) };
            rc = pw__q(s, PW_Q_ENTITY_ADD, p, 3, NULL, NULL, err);
        }
        if (id != NULL && rc == PW_OK) {
            rc = add_subject(&c, kinds[i].kind, id, "", err);
        }
    }
    return rc;
}

/* ---- Who is one person ---- */

struct names_list {
    struct pw_store *s;
    char **ids;
    size_t count, cap;
};

static void
names_add(struct names_list *l, const char *id)
{
    if (l->count == l->cap) {
        l->cap = l->cap == 0 ? 8 : pw_mul_size(l->cap, 2);
        l->ids = pw_xrealloc(l->ids, pw_mul_size(l->cap, sizeof(char *)));
    }
    l->ids[l->count++] = pw_xstrdup(id);
}

static enum pw_status
names_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct names_list *l = ctx;
    names_add(l, pw__text(l->s, row, 0));
    return PW_OK;
}

/* Both people of a link. */
static enum pw_status
pair_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct names_list *l = ctx;
    names_add(l, pw__text(l->s, row, 0));
    names_add(l, pw__text(l->s, row, 1));
    return PW_OK;
}

static void
names_release(struct names_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->ids[i]);
    }
    free(l->ids);
    l->ids = NULL;
    l->count = l->cap = 0;
}

/*
 * Names person's component of the links again: everyone linked to them, directly or through
 * others, gets the least id among them as their cluster; someone linked to nobody has no row.
 * Called for both ends of a link made or undone (undoing one may split a component in two).
 */
static enum pw_status
recluster(struct pw_store *s, const char *person, struct pw_error *err)
{
    struct names_list members = { .s = s };
    struct pw__param p = pw__p_text(person);
    enum pw_status rc = pw__q(s, PW_Q_LINK_COMPONENT, &p, 1, names_row, &members, err);
    for (size_t i = 0; rc == PW_OK && i < members.count; i++) {
        struct pw__param m = pw__p_text(members.ids[i]);
        rc = pw__q(s, PW_Q_CLUSTER_DELETE, &m, 1, NULL, NULL, err);
    }
    /* The component comes ordered: its first member names it. */
    for (size_t i = 0; rc == PW_OK && members.count > 1 && i < members.count; i++) {
        struct pw__param m[] = { pw__p_text(members.ids[i]), pw__p_text(members.ids[0]) };
        rc = pw__q(s, PW_Q_CLUSTER_ADD, m, 2, NULL, NULL, err);
    }
    names_release(&members);
    return rc;
}

static enum pw_status
undo(struct pw_store *s, const char *fact_id, struct pw_error *err)
{
    static const enum pw__query undo_queries[] = {
        PW_Q_UNDO_PERSON, PW_Q_UNDO_NAMES,          PW_Q_UNDO_IDENTIFIERS,
        PW_Q_UNDO_LINK,   PW_Q_UNDO_RELATIONSHIP,   PW_Q_UNDO_RESIDENCE,
        PW_Q_UNDO_RISK,   PW_Q_UNDO_CONCERN_PEOPLE, PW_Q_UNDO_RELEASE,
    };
    struct pw__param p = pw__p_text(fact_id);
    struct names_list linked = { .s = s }; /* the two ends of a link being undone */
    enum pw_status rc = pw__q(s, PW_Q_LINK_OF_FACT, &p, 1, pair_row, &linked, err);
    for (size_t i = 0; rc == PW_OK && i < sizeof(undo_queries) / sizeof(undo_queries[0]); i++) {
        rc = pw__q(s, undo_queries[i], &p, 1, NULL, NULL, err);
    }
    for (size_t i = 0; rc == PW_OK && i < linked.count; i++) {
        rc = recluster(s, linked.ids[i], err);
    }
    names_release(&linked);
    return rc;
}

static enum pw_status
apply_names(struct pw_store *s, const struct pw_fact *f, const char *person, struct pw_error *err)
{
    json_t *names = json_object_get(f->body, "names");
    size_t i;
    json_t *name;
    enum pw_status rc = PW_OK;
    json_array_foreach(names, i, name)
    {
        struct pw__param p[] = {
            pw__p_text(person),
            pw__p_int((int64_t)i),
            pw__p_text(f->id),
            pw__p_text(jstr(name, "given")),
            pw__p_text(jstr(name, "family")),
            pw__p_text(jstr(name, "kind")),
        };
        rc = pw__q(s, PW_Q_NAME_ADD, p, 6, NULL, NULL, err);
        if (rc != PW_OK) {
            break;
        }
    }
    return rc;
}

static enum pw_status
apply_identifiers(struct pw_store *s, const struct pw_fact *f, const char *person,
                  struct pw_error *err)
{
    json_t *ids = json_object_get(f->body, "identifiers");
    const char *scheme;
    json_t *value;
    enum pw_status rc = PW_OK;
    json_object_foreach(ids, scheme, value)
    {
        struct pw__param p[] = { pw__p_text(person), pw__p_text(scheme),
                                 pw__p_text(json_string_value(value)), pw__p_text(f->id) };
        rc = pw__q(s, PW_Q_IDENTIFIER_ADD, p, 4, NULL, NULL, err);
        if (rc != PW_OK) {
            break;
        }
    }
    return rc;
}

static enum pw_status
apply_person(struct pw_store *s, const struct pw_fact *f, struct pw_error *err)
{
    const json_t *b = f->body;
    const char *person = jstr(b, "person");
    json_t *dob = json_object_get(b, "dob");
    const char *dob_text = json_string_value(dob);
    struct pw__param dob_year = pw__p_null();
    if (dob_text != NULL && strlen(dob_text) >= 4) {
        dob_year = pw__p_int((dob_text[0] - '0') * 1000 + (dob_text[1] - '0') * 100 +
                             (dob_text[2] - '0') * 10 + (dob_text[3] - '0'));
    } else if (json_is_object(dob)) {
        dob_year = p_int(dob, "year");
    }
    char *disability = NULL;
    json_t *dis = json_object_get(b, "disability");
    if (dis != NULL) {
        disability = pw_json_canonical(dis, NULL);
    }
    struct pw__param p[] = {
        pw__p_text(person),
        pw__p_text(f->id),
        pw__p_text(f->agency),
        pw__p_text(dob_text),
        dob_year,
        pw__p_text(jstr(b, "sex")),
        pw__p_text(jstr(b, "gender")),
        pw__p_text(jstr(b, "ethnicity")),
        pw__p_text(jstr(b, "language")),
        p_bool(b, "interpreter_needed"),
        pw__p_text(jstr(b, "communication")),
        pw__p_text(disability),
    };
    enum pw_status rc = pw__q(s, PW_Q_PERSON_ADD, p, sizeof(p) / sizeof(p[0]), NULL, NULL, err);
    free(disability);
    if (rc == PW_OK) {
        rc = apply_names(s, f, person, err);
    }
    if (rc == PW_OK) {
        rc = apply_identifiers(s, f, person, err);
    }
    return rc;
}

/*
 * A link (same) or a distinction between person and other, kept as a row of person_links. The
 * latest decision about two records stands: a practitioner's "not the same person" after
 * record linkage linked them replaces the link (the log keeps both), and a rebuild, replaying
 * in order, comes to the same.
 */
static enum pw_status
add_link(struct pw_store *s, const struct pw_fact *f, const char *other, bool same,
         struct pw_error *err)
{
    json_t *conf = json_object_get(f->body, "confidence");
    const char *person = jstr(f->body, "person");
    struct pw__param pair[] = { pw__p_text(person), pw__p_text(other) };
    enum pw_status rc = pw__q(s, PW_Q_LINK_PAIR_DELETE, pair, 2, NULL, NULL, err);
    struct pw__param p[] = {
        pw__p_text(f->id),
        pw__p_text(person),
        pw__p_text(other),
        json_is_number(conf) ? pw__p_real(json_number_value(conf)) : pw__p_null(),
        pw__p_text(jstr(f->body, "method")),
        pw__p_int(same ? 1 : 0),
    };
    if (rc == PW_OK) {
        rc = pw__q(s, PW_Q_LINK_ADD, p, 6, NULL, NULL, err);
    }
    if (rc == PW_OK) {
        rc = recluster(s, person, err);
    }
    if (rc == PW_OK) {
        rc = recluster(s, other, err);
    }
    return rc;
}

static enum pw_status
apply_link(struct pw_store *s, const struct pw_fact *f, struct pw_error *err)
{
    return add_link(s, f, jstr(f->body, "same_as"), true, err);
}

static enum pw_status
apply_distinct(struct pw_store *s, const struct pw_fact *f, struct pw_error *err)
{
    return add_link(s, f, jstr(f->body, "other"), false, err);
}

static enum pw_status
apply_relationship(struct pw_store *s, const struct pw_fact *f, struct pw_error *err)
{
    const json_t *b = f->body;
    struct pw__param p[] = {
        pw__p_text(f->id),           pw__p_text(jstr(b, "from")),  pw__p_text(jstr(b, "to")),
        pw__p_text(jstr(b, "kind")), pw__p_text(jstr(b, "since")), pw__p_text(jstr(b, "until")),
    };
    return pw__q(s, PW_Q_RELATIONSHIP_ADD, p, 6, NULL, NULL, err);
}

/* Upper-case letters and digits of s, the rest dropped: "sw1a 1aa" and "SW1A1AA" agree. */
static void
add_folded(struct pw_buf *b, const char *s, bool upper)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (isalnum(*p)) {
            pw_buf_addc(b, (char)(upper ? toupper(*p) : tolower(*p)));
        } else if (*p == ' ' && b->len > 0 && b->ptr[b->len - 1] != ' ' && !upper) {
            pw_buf_addc(b, ' ');
        }
    }
}

/*
 * Two residences are one household when their address keys are equal: the UPRN when known,
 * else the first line with the postcode (or the town when no postcode). A residence with only
 * a postcode gets no key: a postcode covers a street, and a street is not a household.
 */
/*
 * The key households are matched on: the UPRN; else the first line with the postcode (or the
 * town). An address with neither (a first line alone: "12 Mill Lane" is in many towns) cannot
 * be matched to anyone else's, so its key is the fact's own: the person is a household of one
 * there, still listed, rather than missing from their own household.
 */
static char *
address_key(const json_t *addr, const char *fact_id)
{
    const char *uprn = jstr(addr, "uprn");
    const char *line1 = jstr(addr, "line1");
    const char *postcode = jstr(addr, "postcode");
    const char *town = jstr(addr, "town");
    struct pw_buf b;
    pw_buf_init(&b, 4096);
    if (uprn != NULL) {
        pw_buf_adds(&b, "uprn:");
        add_folded(&b, uprn, true);
    } else if (line1 != NULL && (postcode != NULL || town != NULL)) {
        pw_buf_adds(&b, "addr:");
        add_folded(&b, line1, false);
        pw_buf_addc(&b, '|');
        add_folded(&b, postcode != NULL ? postcode : town, postcode != NULL);
    } else {
        pw_buf_adds(&b, PW__UNMATCHED_ADDRESS);
        pw_buf_adds(&b, fact_id);
    }
    return pw_buf_detach(&b, NULL);
}

static enum pw_status
apply_residence(struct pw_store *s, const struct pw_fact *f, struct pw_error *err)
{
    const json_t *b = f->body;
    const json_t *addr = json_object_get(b, "address");
    char *key = address_key(addr, f->id);
    struct pw__param p[] = {
        pw__p_text(f->id),
        pw__p_text(jstr(b, "person")),
        pw__p_text(key),
        pw__p_text(jstr(addr, "line1")),
        pw__p_text(jstr(addr, "town")),
        pw__p_text(jstr(addr, "postcode")),
        pw__p_text(jstr(addr, "uprn")),
        pw__p_text(jstr(b, "since")),
        pw__p_text(jstr(b, "until")),
    };
    enum pw_status rc = pw__q(s, PW_Q_RESIDENCE_ADD, p, 9, NULL, NULL, err);
    free(key);
    return rc;
}

static enum pw_status
apply_risk(struct pw_store *s, const struct pw_fact *f, struct pw_error *err)
{
    const json_t *b = f->body;
    const json_t *mappa = json_object_get(b, "mappa");
    struct pw__param p[] = {
        pw__p_text(f->id),
        pw__p_text(jstr(b, "person")),
        pw__p_text(jstr(b, "kind")),
        p_bool(b, "sexual"),
        pw__p_text(jstr(b, "against")),
        pw__p_text(jstr(b, "date")),
        p_bool(b, "spent"),
        pw__p_text(jstr(b, "order")),
        pw__p_text(jstr(b, "conditions")),
        pw__p_text(jstr(b, "until")),
        p_int(mappa, "category"),
        p_int(mappa, "level"),
        pw__p_text(jstr(b, "managed_by")),
        pw__p_text(jstr(b, "summary")),
    };
    return pw__q(s, PW_Q_RISK_ADD, p, sizeof(p) / sizeof(p[0]), NULL, NULL, err);
}

/* A planned release to an address: a household the person joins on the release date. */
static enum pw_status
apply_release(struct pw_store *s, const struct pw_fact *f, struct pw_error *err)
{
    const json_t *addr = json_object_get(f->body, "address");
    if (!json_is_object(addr)) {
        return PW_OK; /* released, but nobody recorded where to */
    }
    char *key = address_key(addr, f->id);
    struct pw__param p[] = {
        pw__p_text(f->id),
        pw__p_text(jstr(f->body, "person")),
        pw__p_text(key),
        pw__p_text(jstr(f->body, "date")),
    };
    enum pw_status rc = pw__q(s, PW_Q_RELEASE_ADD, p, 4, NULL, NULL, err);
    free(key);
    return rc;
}

/* The children and the alleged of a concern, each with its role. */
static enum pw_status
apply_concern(struct pw_store *s, const struct pw_fact *f, struct pw_error *err)
{
    static const struct {
        const char *field, *role;
    } roles[] = { { "children", "child" }, { "alleged", "alleged" } };
    const char *concern = jstr(f->body, "concern");
    enum pw_status rc = PW_OK;
    for (size_t r = 0; rc == PW_OK && r < sizeof(roles) / sizeof(roles[0]); r++) {
        const json_t *list = json_object_get(f->body, roles[r].field);
        size_t i;
        const json_t *v;
        json_array_foreach(list, i, v)
        {
            struct pw__param p[] = { pw__p_text(f->id), pw__p_text(concern),
                                     pw__p_text(json_string_value(v)), pw__p_text(roles[r].role) };
            rc = pw__q(s, PW_Q_CONCERN_PERSON_ADD, p, 4, NULL, NULL, err);
            if (rc != PW_OK) {
                break;
            }
        }
    }
    return rc;
}

enum pw_status
pw__project_apply(struct pw_store *s, const struct pw_fact *f, int64_t seq, struct pw_error *err)
{
    static const struct {
        const char *type;
        enum pw_status (*apply)(struct pw_store *, const struct pw_fact *, struct pw_error *);
    } appliers[] = {
        { "person.registered", apply_person },     { "person.linked", apply_link },
        { "person.distinct", apply_distinct },     { "relationship.recorded", apply_relationship },
        { "residence.recorded", apply_residence }, { "risk.recorded", apply_risk },
        { "concern.raised", apply_concern },       { "custody.release_planned", apply_release },
    };
    enum pw_status rc = add_subjects_and_entities(s, f, seq, err);
    if (rc == PW_OK && f->supersedes != NULL) {
        rc = undo(s, f->supersedes, err);
    }
    for (size_t i = 0; rc == PW_OK && i < sizeof(appliers) / sizeof(appliers[0]); i++) {
        if (strcmp(f->type, appliers[i].type) == 0) {
            rc = appliers[i].apply(s, f, err);
        }
    }
    return rc;
}

enum pw_status
pw__project_clear(struct pw_store *s, struct pw_error *err)
{
    static const enum pw__query clears[] = {
        PW_Q_CLEAR_SUBJECTS, PW_Q_CLEAR_REFS,           PW_Q_CLEAR_ENTITIES,
        PW_Q_CLEAR_PEOPLE,   PW_Q_CLEAR_NAMES,          PW_Q_CLEAR_IDENTIFIERS,
        PW_Q_CLEAR_LINKS,    PW_Q_CLEAR_RELATIONSHIPS,  PW_Q_CLEAR_RESIDENCES,
        PW_Q_CLEAR_RISKS,    PW_Q_CLEAR_CONCERN_PEOPLE, PW_Q_CLEAR_ALERTS,
        PW_Q_CLEAR_RELEASES, PW_Q_CLEAR_CLUSTERS,
    };
    enum pw_status rc = PW_OK;
    for (size_t i = 0; rc == PW_OK && i < sizeof(clears) / sizeof(clears[0]); i++) {
        rc = pw__q(s, clears[i], NULL, 0, NULL, NULL, err);
    }
    return rc;
}

/* Dump. */

struct dump_ctx {
    struct pw_store *s;
    const char *table;
    int columns;
    void (*fn)(void *ctx, const char *line);
    void *ctx;
    struct pw_buf line;
};

static enum pw_status
dump_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct dump_ctx *d = ctx;
    pw_buf_reset(&d->line);
    pw_buf_adds(&d->line, d->table);
    for (int c = 0; c < d->columns; c++) {
        pw_buf_addc(&d->line, '\t');
        if (pw__null(d->s, row, c)) {
            pw_buf_adds(&d->line, "\\N");
        } else {
            const char *t = pw__text(d->s, row, c);
            pw_buf_add_json_escaped(&d->line, t, strlen(t));
        }
    }
    enum pw_status rc = pw_buf_check(&d->line, "a dumped row", err);
    if (rc == PW_OK) {
        d->fn(d->ctx, pw_buf_cstr(&d->line));
    }
    return rc;
}

enum pw_status
pw_store_dump(struct pw_store *s, void (*fn)(void *ctx, const char *line), void *ctx,
              struct pw_error *err)
{
    static const struct {
        const char *table;
        enum pw__query q;
        int columns;
    } dumps[] = {
        { "fact_subjects", PW_Q_DUMP_SUBJECTS, 2 },
        { "fact_refs", PW_Q_DUMP_REFS, 3 },
        { "entities", PW_Q_DUMP_ENTITIES, 3 },
        { "people", PW_Q_DUMP_PEOPLE, 12 },
        { "person_names", PW_Q_DUMP_NAMES, 6 },
        { "person_identifiers", PW_Q_DUMP_IDENTIFIERS, 4 },
        { "person_links", PW_Q_DUMP_LINKS, 6 },
        { "person_clusters", PW_Q_DUMP_CLUSTERS, 2 },
        { "relationships", PW_Q_DUMP_RELATIONSHIPS, 6 },
        { "residences", PW_Q_DUMP_RESIDENCES, 9 },
        { "risks", PW_Q_DUMP_RISKS, 14 },
        { "concern_people", PW_Q_DUMP_CONCERN_PEOPLE, 4 },
        { "release_addresses", PW_Q_DUMP_RELEASES, 4 },
        { "alerts", PW_Q_DUMP_ALERTS, 14 },
    };
    struct dump_ctx d = { .s = s, .fn = fn, .ctx = ctx };
    pw_buf_init(&d.line, 0);
    enum pw_status rc = pw__begin(s, false, err);
    for (size_t i = 0; rc == PW_OK && i < sizeof(dumps) / sizeof(dumps[0]); i++) {
        d.table = dumps[i].table;
        d.columns = dumps[i].columns;
        rc = pw__q(s, dumps[i].q, NULL, 0, dump_row, &d, err);
    }
    pw__rollback(s);
    pw_buf_release(&d.line);
    return rc;
}
