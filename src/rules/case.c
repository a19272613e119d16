/*
 * A child's case, as the rules read it: the chronology (every fact naming the child or anyone
 * connected to them, and the concerns and episodes they lead to, corrections included and
 * marked), each fact's body parsed once, and the periods the child shared an address with
 * someone. Plus the small readers every rule uses.
 */
#include "rules/rules_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/calendar.h"
#include "core/time.h"

struct loader {
    struct pw_case *c;
    struct pw__bodies *bodies;
    size_t people_cap, facts_cap, homes_cap;
    /* Another record of someone -> the id standing for them (the chronology's same_as). */
    struct pw_strmap aliases;
    size_t naliases;
    struct alias *list; /* the same, as a list, to settle who stands for whom */
    size_t list_cap;
    bool settled;
};

struct alias {
    const char *id; /* in the case's arena */
    size_t of;      /* index of people */
};

static const char *
dup_or_null(struct pw_arena *a, const char *s)
{
    return s == NULL ? NULL : pw_arena_strdup(a, s);
}

static void
release_body(void *p)
{
    json_decref(p);
}

int32_t
pw__text_day(const char *text)
{
    struct pw_when w;
    struct pw_error ignored = { 0 };
    if (text == NULL || pw_when_parse(text, strlen(text), &w, &ignored) != PW_OK) {
        return PW_NO_DAY;
    }
    return w.has_time ? pw_time_uk_date(w.us) : pw_when_day(&w);
}

/* The id standing for person: the first of their records, or person when linked to nobody. */
static const char *
standing_for(const struct loader *l, const char *person)
{
    int64_t at = 0;
    if (l->naliases > 0 && pw_strmap_get(&l->aliases, person, &at)) {
        return l->c->people[at].id;
    }
    return person;
}

/* True when some string in v is another record of someone. */
static bool
names_alias(const struct loader *l, const json_t *v)
{
    const char *key;
    size_t i;
    const json_t *item;
    if (json_is_string(v)) {
        return pw_strmap_get(&l->aliases, json_string_value(v), NULL);
    }
    if (json_is_object(v)) {
        json_object_foreach((json_t *)(uintptr_t)v, key, item)
        {
            if (names_alias(l, item)) {
                return true;
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            if (names_alias(l, item)) {
                return true;
            }
        }
    }
    return false;
}

/* Rewrites, in a copy of its own, every string of v naming another record of someone. */
static void
rename_aliases(const struct loader *l, json_t *v)
{
    const char *key;
    size_t i;
    json_t *item;
    if (json_is_object(v)) {
        json_object_foreach(v, key, item)
        {
            if (json_is_string(item)) {
                (void)json_string_set(item, standing_for(l, json_string_value(item)));
            } else {
                rename_aliases(l, item);
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            if (json_is_string(item)) {
                (void)json_string_set(item, standing_for(l, json_string_value(item)));
            } else {
                rename_aliases(l, item);
            }
        }
    }
}

/* The periods the child lived with person p. */
static void
add_homes(struct loader *l, const struct pw_chronology_person *p, const char *id)
{
    struct pw_case *c = l->c;
    for (size_t i = 0; i < p->lived_with_count; i++) {
        const struct pw_chronology_period *period = &p->lived_with[i];
        if (c->nhomes == l->homes_cap) {
            l->homes_cap = l->homes_cap == 0 ? 16 : pw_mul_size(l->homes_cap, 2);
            c->homes = pw_xrealloc(c->homes, pw_mul_size(l->homes_cap, sizeof(c->homes[0])));
        }
        struct pw_case_home *home = &c->homes[c->nhomes++];
        home->person = id;
        home->since = period->since != NULL ? pw__text_day(period->since) : PW_NO_DAY;
        home->until = period->until != NULL ? pw__text_day(period->until) : PW_OPEN_DAY;
    }
}

/*
 * A person of the case. Records linked as one person are one person to the rules: another
 * record of someone adds its homes to theirs, and every fact naming it is read as naming them
 * (add_fact), so the police's record of a man and the social worker's are one man.
 */
static enum pw_status
add_person(struct loader *l, const struct pw_chronology_person *p)
{
    struct pw_case *c = l->c;
    if (p->same_as != NULL) {
        for (size_t i = 0; i < c->npeople; i++) {
            if (strcmp(c->people[i].id, p->same_as) == 0) {
                if (l->naliases == l->list_cap) {
                    l->list_cap = l->list_cap == 0 ? 8 : pw_mul_size(l->list_cap, 2);
                    l->list = pw_xrealloc(l->list, pw_mul_size(l->list_cap, sizeof(l->list[0])));
                }
                l->list[l->naliases++] = (struct alias){ pw_arena_strdup(c->arena, p->person), i };
                pw_strmap_put(&l->aliases, p->person, (int64_t)i);
                add_homes(l, p, c->people[i].id);
                return PW_OK;
            }
        }
    }
    if (c->npeople == l->people_cap) {
        l->people_cap = l->people_cap == 0 ? 16 : pw_mul_size(l->people_cap, 2);
        c->people = pw_xrealloc(c->people, pw_mul_size(l->people_cap, sizeof(c->people[0])));
    }
    struct pw_case_person *cp = &c->people[c->npeople++];
    cp->id = pw_arena_strdup(c->arena, p->person);
    cp->how = pw_arena_strdup(c->arena, p->how);
    add_homes(l, p, cp->id);
    return PW_OK;
}

/*
 * Once everyone is known (the chronology lists people before facts): each person linked to
 * others is named in the case by the least id among their records, the record standing for
 * them everywhere (pw_store_person_cluster), so an alert is about the same id whichever record
 * a case happened to find first. The child's own id stays the child's.
 */
static void
settle_names(struct loader *l)
{
    struct pw_case *c = l->c;
    l->settled = true;
    for (size_t k = 0; k < l->naliases; k++) {
        size_t i = l->list[k].of;
        const char *old = c->people[i].id;
        if (i == 0 || strcmp(l->list[k].id, old) >= 0) {
            continue;
        }
        pw_strmap_put(&l->aliases, old, (int64_t)i);
        for (size_t h = 0; h < c->nhomes; h++) {
            if (c->homes[h].person == old) {
                c->homes[h].person = l->list[k].id;
            }
        }
        c->people[i].id = l->list[k].id;
    }
}

static enum pw_status
add_fact(struct loader *l, const struct pw_chronology_fact *f, struct pw_error *err)
{
    struct pw_case *c = l->c;
    if (!l->settled) {
        settle_names(l);
    }
    json_error_t jerr;
    json_t *body = pw__bodies_parse(l->bodies, f->entry.seq, f->entry.body, &jerr);
    if (body == NULL) {
        return pw_fail(err, PW_EINTEGRITY, "log entry %lld is not JSON: %s",
                       (long long)f->entry.seq, jerr.text);
    }
    if (l->naliases > 0 && names_alias(l, body)) {
        json_t *own = json_deep_copy(body);
        if (own == NULL) {
            pw_abort(__FILE__, __LINE__, "out of memory"); /* as every allocation does */
        }
        json_decref(body);
        body = own;
        rename_aliases(l, body);
    }
    pw_arena_defer(c->arena, release_body, body);
    if (c->nfacts == l->facts_cap) {
        l->facts_cap = l->facts_cap == 0 ? 64 : pw_mul_size(l->facts_cap, 2);
        c->facts = pw_xrealloc(c->facts, pw_mul_size(l->facts_cap, sizeof(c->facts[0])));
    }
    struct pw_case_fact *cf = &c->facts[c->nfacts++];
    cf->seq = f->entry.seq;
    cf->id = pw_arena_strdup(c->arena, f->entry.id);
    cf->type = pw_arena_strdup(c->arena, f->entry.type);
    cf->agency = pw_arena_strdup(c->arena, f->entry.agency);
    cf->by = pw_arena_strdup(c->arena, f->entry.by);
    cf->at = pw_arena_strdup(c->arena, f->entry.at);
    cf->sensitivity = dup_or_null(c->arena, f->sensitivity);
    cf->supersedes = dup_or_null(c->arena, f->supersedes);
    cf->superseded_by = dup_or_null(c->arena, f->superseded_by);
    cf->day = pw__text_day(f->entry.at);
    cf->current = f->superseded_by == NULL;
    cf->body = body;
    return PW_OK;
}

static enum pw_status
chronology_item(void *ctx, const struct pw_chronology_item *item, struct pw_error *err)
{
    struct loader *l = ctx;
    return item->person != NULL ? add_person(l, item->person) : add_fact(l, item->fact, err);
}

/* True when some current fact names the child in a child's role. */
static bool
named_as_child(const struct pw_case *c)
{
    static const char *const child_fields[] = { "child", NULL };
    static const char *const children_fields[] = { "children", NULL };
    for (size_t i = 0; i < c->nfacts; i++) {
        const json_t *b = c->facts[i].body;
        for (size_t k = 0; child_fields[k] != NULL; k++) {
            const char *v = pw__j(b, child_fields[k]);
            if (v != NULL && strcmp(v, c->child) == 0) {
                return true;
            }
        }
        for (size_t k = 0; children_fields[k] != NULL; k++) {
            if (pw__jhas(b, children_fields[k], c->child)) {
                return true;
            }
        }
    }
    return false;
}

enum pw_status
pw__case_load(struct pw_store *s, const char *child, const struct pw_config *config,
              struct pw__bodies *bodies, struct pw_case *out, struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    out->arena = pw_arena_new();
    out->child = pw_arena_strdup(out->arena, child);
    out->config = config;
    out->taxonomy = pw_taxonomy_shipped();
    struct loader l = { .c = out, .bodies = bodies };
    pw_strmap_init(&l.aliases);
    enum pw_status rc = pw_store_chronology_plain(s, child, chronology_item, &l, err);
    pw_strmap_release(&l.aliases);
    free(l.list);
    if (rc == PW_OK) {
        out->named_as_child = named_as_child(out);
    }
    return rc;
}

void
pw__case_release(struct pw_case *c)
{
    free(c->people);
    free(c->facts);
    free(c->homes);
    pw_arena_free(c->arena);
    memset(c, 0, sizeof(*c));
}

/* ---- Reading facts ---- */

const char *
pw__j(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

bool
pw__jtrue(const json_t *o, const char *key)
{
    return json_is_true(json_object_get(o, key));
}

int32_t
pw__jday(const json_t *o, const char *key)
{
    return pw__text_day(pw__j(o, key));
}

bool
pw__jhas(const json_t *o, const char *key, const char *value)
{
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(o, key), i, v)
    {
        const char *s = json_string_value(v);
        if (s != NULL && strcmp(s, value) == 0) {
            return true;
        }
    }
    return false;
}

bool
pw__same(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

bool
pw__blank(const char *text)
{
    if (text == NULL) {
        return true;
    }
    for (const char *p = text; *p != '\0'; p++) {
        if (!isspace((unsigned char)*p)) {
            return false;
        }
    }
    return true;
}

bool
pw__is(const struct pw_case_fact *f, const char *type)
{
    return f->current && strcmp(f->type, type) == 0;
}

const struct pw_case_fact *
pw__fact(const struct pw_case *c, const char *id)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        if (c->facts[i].current && strcmp(c->facts[i].id, id) == 0) {
            return &c->facts[i];
        }
    }
    return NULL;
}

const struct pw_case_fact *
pw__registration(const struct pw_case *c, const char *person)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "person.registered")) {
            const char *p = pw__j(f->body, "person");
            if (p != NULL && strcmp(p, person) == 0) {
                return f;
            }
        }
    }
    return NULL;
}

int
pw__age_of(int32_t born, int born_year, int32_t day)
{
    int y;
    int m;
    int d;
    if (day == PW_NO_DAY || (born == PW_NO_DAY && born_year <= 0)) {
        return -1;
    }
    pw_date_to_ymd(day, &y, &m, &d);
    int age;
    if (born != PW_NO_DAY) {
        int by;
        int bm;
        int bd;
        pw_date_to_ymd(born, &by, &bm, &bd);
        age = y - by;
        if (m < bm || (m == bm && d < bd)) {
            age--;
        }
    } else {
        /* Only a year: the younger of the two possible ages, so a child is never read as adult. */
        age = y - born_year - 1;
    }
    return age < 0 ? 0 : age;
}

int
pw__age(const struct pw_case *c, const char *person, int32_t day)
{
    const struct pw_case_fact *reg = pw__registration(c, person);
    if (reg == NULL) {
        return -1;
    }
    const json_t *dob = json_object_get(reg->body, "dob");
    if (json_is_string(dob)) {
        int32_t born = pw__text_day(json_string_value(dob));
        return born == PW_NO_DAY ? -1 : pw__age_of(born, 0, day);
    }
    json_int_t year = json_integer_value(json_object_get(dob, "year"));
    return pw__age_of(PW_NO_DAY, year > 0 && year < 10000 ? (int)year : 0, day);
}

bool
pw__child_at(const struct pw_case *c, int32_t day)
{
    int age = pw__age(c, c->child, day);
    return age < 0 ? c->named_as_child : age < 18;
}

bool
pw__lived_with(const struct pw_case *c, const char *person, int32_t day)
{
    for (size_t i = 0; i < c->nhomes; i++) {
        const struct pw_case_home *h = &c->homes[i];
        if (strcmp(h->person, person) == 0 && h->since <= day && day <= h->until) {
            return true;
        }
    }
    return false;
}

bool
pw__lived_with_since(const struct pw_case *c, const char *person, int32_t day)
{
    for (size_t i = 0; i < c->nhomes; i++) {
        const struct pw_case_home *h = &c->homes[i];
        if (strcmp(h->person, person) == 0 && day <= h->until) {
            return true;
        }
    }
    return false;
}

static bool
kind_in(const char *kind, const char *const *kinds)
{
    if (kinds == NULL) {
        return true;
    }
    for (size_t i = 0; kinds[i] != NULL; i++) {
        if (kind != NULL && strcmp(kind, kinds[i]) == 0) {
            return true;
        }
    }
    return false;
}

const struct pw_case_fact *
pw__relationship(const struct pw_case *c, const char *a, const char *b, const char *const *kinds)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!pw__is(f, "relationship.recorded") || !kind_in(pw__j(f->body, "kind"), kinds)) {
            continue;
        }
        const char *from = pw__j(f->body, "from");
        const char *to = pw__j(f->body, "to");
        if (from == NULL || to == NULL) {
            continue;
        }
        if ((strcmp(from, a) == 0 && strcmp(to, b) == 0) ||
            (strcmp(from, b) == 0 && strcmp(to, a) == 0)) {
            return f;
        }
    }
    return NULL;
}

/* True when the fact names the child directly: child, person or children. */
static bool
names_child(const struct pw_case *c, const json_t *body)
{
    static const char *const fields[] = { "child", "person", NULL };
    for (size_t i = 0; fields[i] != NULL; i++) {
        const char *v = pw__j(body, fields[i]);
        if (v != NULL && strcmp(v, c->child) == 0) {
            return true;
        }
    }
    return pw__jhas(body, "children", c->child);
}

bool
pw__concern_names_child(const struct pw_case *c, const char *concern)
{
    for (size_t i = 0; concern != NULL && i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "concern.raised") && strcmp(pw__j(f->body, "concern"), concern) == 0 &&
            pw__jhas(f->body, "children", c->child)) {
            return true;
        }
    }
    return false;
}

bool
pw__episode_of_child(const struct pw_case *c, const char *episode)
{
    for (size_t i = 0; episode != NULL && i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *e = pw__j(f->body, "episode");
        if (!f->current || e == NULL || strcmp(e, episode) != 0) {
            continue;
        }
        if (names_child(c, f->body) || (strcmp(f->type, "referral.decided") == 0 &&
                                        pw__concern_names_child(c, pw__j(f->body, "concern")))) {
            return true;
        }
    }
    return false;
}

bool
pw__about_child(const struct pw_case *c, const struct pw_case_fact *f)
{
    return names_child(c, f->body) || pw__concern_names_child(c, pw__j(f->body, "concern")) ||
           pw__episode_of_child(c, pw__j(f->body, "episode"));
}

bool
pw__connected(const struct pw_case *c, const char *person)
{
    for (size_t i = 0; i < c->npeople; i++) {
        if (strcmp(c->people[i].id, person) == 0) {
            return true;
        }
    }
    return false;
}

enum pw_strength
pw__indicator_strength(const struct pw_case *c, const char *code, int32_t day)
{
    const struct pw_indicator *ind = code == NULL ? NULL : pw_taxonomy_find(c->taxonomy, code);
    if (ind == NULL) {
        return PW_STRENGTH_NONE;
    }
    return pw_taxonomy_strength(c->taxonomy, ind, pw__age(c, c->child, day));
}

int
pw__cfg(const struct pw_case *c, enum pw_config_key k)
{
    return pw_config_get(c->config, k);
}

/* ---- Investigations ---- */

/* Suspects one investigation names: concerns hold at most 50 alleged. */
#define SUSPECTS_MAX 64

bool
pw__of_investigation(const struct pw_case_fact *f, const char *episode)
{
    return pw__is(f, "investigation.updated") && pw__same(pw__j(f->body, "episode"), episode);
}

bool
pw__investigation_ended(const struct pw_case *c, const char *episode, size_t last)
{
    const char *suspects[SUSPECTS_MAX];
    bool charged[SUSPECTS_MAX];
    size_t n = 0;
    bool closed = false;
    for (size_t i = 0; i <= last && i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!pw__of_investigation(f, episode)) {
            continue;
        }
        const char *event = pw__j(f->body, "event");
        if (pw__same(event, "opened") && closed) {
            closed = false;
            n = 0;
        }
        closed = closed || pw__same(event, "closed");
        const char *suspect = pw__j(f->body, "suspect");
        if (suspect == NULL) {
            continue;
        }
        size_t k = 0;
        while (k < n && strcmp(suspects[k], suspect) != 0) {
            k++;
        }
        if (k == n && n < SUSPECTS_MAX) {
            suspects[n] = suspect;
            charged[n] = false;
            n++;
        }
        if (k < n && pw__same(event, "charged")) {
            charged[k] = true;
        }
    }
    bool all_charged = n > 0;
    for (size_t k = 0; k < n; k++) {
        all_charged = all_charged && charged[k];
    }
    return closed || all_charged;
}

/* ---- Addresses (compared as households are: store/project.c) ---- */

/* True when a and b, folded to their letters and digits (case ignored), are equal. */
static bool
same_folded(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return false;
    }
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;
    for (;;) {
        while (*p != '\0' && !isalnum(*p)) {
            p++;
        }
        while (*q != '\0' && !isalnum(*q)) {
            q++;
        }
        if (*p == '\0' || *q == '\0') {
            return *p == *q;
        }
        if (tolower(*p) != tolower(*q)) {
            return false;
        }
        p++;
        q++;
    }
}

bool
pw__same_address(const json_t *x, const json_t *y)
{
    const char *ux = pw__j(x, "uprn");
    const char *uy = pw__j(y, "uprn");
    if (ux != NULL && uy != NULL) {
        return same_folded(ux, uy);
    }
    if (!same_folded(pw__j(x, "line1"), pw__j(y, "line1"))) {
        return false;
    }
    const char *px = pw__j(x, "postcode");
    const char *py = pw__j(y, "postcode");
    if (px != NULL || py != NULL) {
        return same_folded(px, py);
    }
    return same_folded(pw__j(x, "town"), pw__j(y, "town"));
}

/* ---- Dates ---- */

void
pw__day_text(int32_t day, char *out)
{
    pw_date_format(day, out);
}

int32_t
pw__add_months(int32_t day, int n)
{
    int y;
    int m;
    int d;
    pw_date_to_ymd(day, &y, &m, &d);
    int months = y * 12 + (m - 1) + n;
    y = months / 12;
    m = months % 12 + 1;
    int last = pw_date_days_in_month(y, m);
    return pw_date_from_ymd(y, m, d > last ? last : d);
}
