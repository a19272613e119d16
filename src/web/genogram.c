/*
 * The family network as a genogram, laid out and drawn by Graphviz (dot, SVG). The graph is
 * built with the cgraph API, attribute by attribute, never as DOT text, so nothing a name holds
 * can change the graph's structure; label text is given to Graphviz with its own escapes (\ and
 * &) neutralised, and Graphviz writes it into the SVG as escaped text. We keep Graphviz's SVG
 * from the <svg> element on, without its prolog, doctype and comments, and give the root our
 * class and an accessible title and description.
 *
 * Genogram conventions: a square for a male, a circle for a female, a diamond when sex is not
 * recorded; the child the record is about with a double outline and a bold label; anyone with a
 * recorded sexual-harm history with a thick red outline and those words in the label (never
 * colour alone). Parents point to their children; siblings and partners are joined by lines;
 * other relationships are labelled in words; whatever is recorded between two people is one
 * line (see add_pair for why). Each household the child lived in is a box labelled with its
 * address and dates, around those who lived there with the child; a person who shared several
 * households is drawn in the latest.
 *
 * The graph is built with cgraph (not thread-safe: global state) under one mutex and written
 * out by cgraph's own writer, which quotes every name and label. The layout runs in a child
 * process, Graphviz's `dot -Tsvg`, with a time limit: dot 2.42 can fail an assertion and
 * abort() on some graphs (class2.c merge_chain), and leaks about 2 KB on every layout with
 * clusters; in a process of its own neither can take the server down or grow it, and layouts
 * for different pages run side by side rather than one at a time under the lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cgraph.h>

#include "core/alloc.h"
#include "web/web_int.h"

/*
 * The most drawn. Families are tens of people; dot's layout grows faster than the graph and
 * runs under the one lock, so a record linked to hundreds must not hold every other page up
 * (400 random people and 1200 links take about 0.3 s). The page's table lists everyone anyway.
 */
#define MAX_PEOPLE         300
#define MAX_RELATIONSHIPS  1000
#define MAX_HOUSEHOLD_ROWS 1000

#define TITLE_ID "pw-genogram-title"
#define DESC_ID  "pw-genogram-desc"

static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- What the network holds ---- */

struct person {
    const char *id; /* borrowed from the network, as are the other strings */
    const char *name;
    const char *dob;
    const char *sex;
    const char *same_as; /* another record of the same person, drawn as that one */
    bool child;          /* the child the record is about */
    bool risk;           /* a sexual-harm history is recorded */
    size_t canon;        /* the person drawn for this record (itself unless same_as) */
    size_t house;        /* the household drawn around them; nhouses: none */
    bool housed;         /* house is set */
    Agnode_t *node;
};

struct house {
    const char *line1;
    const char *town;
    const char *since;
    const char *until;
    size_t members;
    Agraph_t *cluster;
};

struct rel {
    size_t from; /* people drawn (canonical) */
    size_t to;
    size_t kind;           /* in kinds[], or N_KINDS for a kind not known here */
    const char *kind_text; /* borrowed */
    const char *until;     /* NULL: not ended */
};

struct net {
    struct person *people;
    size_t npeople;
    struct house *houses;
    size_t nhouses;
    struct rel *rels;
    size_t nrels;
    size_t nrel;  /* relationships drawn */
    size_t nrisk; /* people drawn with a sexual-harm history */
    const char *child_name;
};

/* How each kind of relationship is drawn. */
static const struct {
    const char *kind;
    const char *words;
    bool plain;    /* drawn without words when it is all there is to say of the two */
    bool directed; /* from -> to; else a line */
    bool ranks;    /* from a generation above to: the layout puts from higher */
    const char *style;
} kinds[] = {
    { "parent", "parent", true, true, true, "solid" },
    { "step_parent", "step-parent", false, true, true, "dashed" },
    { "foster_carer", "foster carer", false, true, true, "dotted" },
    { "grandparent", "grandparent", false, true, true, "dashed" },
    { "aunt_uncle", "aunt or uncle", false, true, true, "dashed" },
    { "sibling", "sibling", true, false, false, "dashed" },
    { "half_sibling", "half-sibling", false, false, false, "dashed" },
    { "step_sibling", "step-sibling", false, false, false, "dashed" },
    { "parent_partner", "partner", false, false, false, "bold" },
    { "cousin", "cousin", false, true, false, "dotted" },
    { "other_relative", "other relative", false, true, false, "dotted" },
    { "family_friend", "family friend", false, true, false, "dotted" },
    { "babysitter", "babysitter", false, true, false, "dotted" },
    { "household_member", "household member", false, true, false, "dotted" },
    { "regular_contact", "regular contact", false, true, false, "dotted" },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static enum pw_status
bad(struct pw_error *err, const char *path, const char *what)
{
    pw_fail(err, PW_EINVAL, "%s %s", path, what);
    pw_error_field(err, path);
    return PW_EINVAL;
}

/* A member that, when present and not null, must be a string; *out NULL otherwise. */
static enum pw_status
opt_string(const json_t *o, const char *member, const char *path, const char **out,
           struct pw_error *err)
{
    const json_t *v = json_object_get(o, member);
    *out = json_string_value(v);
    if (v != NULL && !json_is_null(v) && *out == NULL) {
        char at[96];
        (void)snprintf(at, sizeof(at), "%s.%s", path, member);
        return bad(err, at, "must be a string or null");
    }
    return PW_OK;
}

static size_t
find(const struct net *n, const char *id)
{
    for (size_t i = 0; id != NULL && i < n->npeople; i++) {
        if (strcmp(n->people[i].id, id) == 0) {
            return i;
        }
    }
    return n->npeople;
}

static enum pw_status
read_person(const json_t *o, size_t i, struct person *p, struct pw_error *err)
{
    char path[64];
    (void)snprintf(path, sizeof(path), "$.people[%zu]", i);
    if (!json_is_object(o)) {
        return bad(err, path, "must be an object");
    }
    p->id = json_string_value(json_object_get(o, "person"));
    if (p->id == NULL || p->id[0] == '\0') {
        (void)snprintf(path, sizeof(path), "$.people[%zu].person", i);
        return bad(err, path, "must be the person's id");
    }
    const char *how = NULL;
    enum pw_status rc = opt_string(o, "name", path, &p->name, err);
    if (rc == PW_OK) {
        rc = opt_string(o, "dob", path, &p->dob, err);
    }
    if (rc == PW_OK) {
        rc = opt_string(o, "sex", path, &p->sex, err);
    }
    if (rc == PW_OK) {
        rc = opt_string(o, "same_as", path, &p->same_as, err);
    }
    if (rc == PW_OK) {
        rc = opt_string(o, "how", path, &how, err);
    }
    /* "the child" is the first of the ways someone is connected, when it is one of them. */
    p->child =
        how != NULL && strncmp(how, "the child", 9) == 0 && (how[9] == '\0' || how[9] == ';');
    p->risk = json_is_true(json_object_get(o, "sexual_risk"));
    return rc;
}

/* Each record is drawn as the person it is the same as (who has no same_as of their own). */
static void
link_records(struct net *n)
{
    for (size_t i = 0; i < n->npeople; i++) {
        struct person *p = &n->people[i];
        size_t to = find(n, p->same_as);
        p->canon = to < n->npeople && n->people[to].same_as == NULL ? to : i;
    }
}

/* ... who carries what all their records say. */
static void
merge_records(struct net *n)
{
    for (size_t i = 0; i < n->npeople; i++) {
        struct person *p = &n->people[i];
        struct person *c = &n->people[p->canon];
        c->risk = c->risk || p->risk;
        c->child = c->child || p->child;
        c->sex = c->sex != NULL ? c->sex : p->sex;
        c->name = c->name != NULL ? c->name : p->name;
        c->dob = c->dob != NULL ? c->dob : p->dob;
    }
    for (size_t i = 0; i < n->npeople; i++) {
        const struct person *p = &n->people[i];
        if (p->canon == i) {
            n->nrisk += p->risk;
            if (p->child && n->child_name == NULL) {
                n->child_name = p->name;
            }
        }
    }
}

/* A later household than h: open ones last, then by until, then by since (ISO dates). */
static bool
later(const struct house *a, const struct house *h)
{
    const char *ua = a->until != NULL ? a->until : "9999";
    const char *uh = h->until != NULL ? h->until : "9999";
    int c = strcmp(ua, uh);
    if (c == 0) {
        c = strcmp(a->since != NULL ? a->since : "", h->since != NULL ? h->since : "");
    }
    return c > 0;
}

/*
 * The households: pw_store_household's groups, each opened by the child's own residence
 * (is_self) and followed by whoever lived there with the child. Each person goes in the latest.
 */
static enum pw_status
read_households(const json_t *list, struct net *n, struct pw_error *err)
{
    if (list == NULL || json_is_null(list)) {
        return PW_OK;
    }
    if (!json_is_array(list)) {
        return bad(err, "$.households", "must be a list");
    }
    if (json_array_size(list) > MAX_HOUSEHOLD_ROWS) {
        pw_fail(err, PW_ETOOBIG,
                "the family network has more than %d household rows: too many to "
                "draw",
                MAX_HOUSEHOLD_ROWS);
        pw_error_field(err, "$.households");
        return PW_ETOOBIG;
    }
    n->houses = pw_xcalloc(json_array_size(list) + 1, sizeof(*n->houses));
    size_t i;
    const json_t *o;
    json_array_foreach(list, i, o)
    {
        char path[64];
        (void)snprintf(path, sizeof(path), "$.households[%zu]", i);
        size_t who = find(n, json_string_value(json_object_get(o, "person")));
        if (!json_is_object(o) || who == n->npeople) {
            return bad(err, path, "must name one of the people");
        }
        if (json_is_true(json_object_get(o, "is_self")) || n->nhouses == 0) {
            struct house *h = &n->houses[n->nhouses++];
            enum pw_status rc = opt_string(o, "line1", path, &h->line1, err);
            if (rc == PW_OK) {
                rc = opt_string(o, "town", path, &h->town, err);
            }
            if (rc == PW_OK) {
                rc = opt_string(o, "since", path, &h->since, err);
            }
            if (rc == PW_OK) {
                rc = opt_string(o, "until", path, &h->until, err);
            }
            if (rc != PW_OK) {
                return rc;
            }
        }
        size_t here = n->nhouses - 1;
        struct person *p = &n->people[n->people[who].canon];
        if (json_is_true(json_object_get(o, "is_self"))) {
            p->child = true; /* the person the households are of (an auditor sees no "how") */
        }
        if (!p->housed || later(&n->houses[here], &n->houses[p->house])) {
            p->house = here;
            p->housed = true;
        }
    }
    return PW_OK;
}

/* The relationships, each between two of the people, as the people drawn for them. */
static enum pw_status
read_relationships(const json_t *list, struct net *n, struct pw_error *err)
{
    if (list == NULL || json_is_null(list)) {
        return PW_OK;
    }
    if (!json_is_array(list)) {
        return bad(err, "$.relationships", "must be a list");
    }
    if (json_array_size(list) > MAX_RELATIONSHIPS) {
        pw_fail(err, PW_ETOOBIG,
                "the family network has more than %d relationships: too many to "
                "draw",
                MAX_RELATIONSHIPS);
        pw_error_field(err, "$.relationships");
        return PW_ETOOBIG;
    }
    n->rels = pw_xcalloc(json_array_size(list) + 1, sizeof(*n->rels));
    size_t i;
    const json_t *o;
    json_array_foreach(list, i, o)
    {
        char path[64];
        (void)snprintf(path, sizeof(path), "$.relationships[%zu]", i);
        struct rel *r = &n->rels[n->nrels++];
        size_t from = find(n, json_string_value(json_object_get(o, "from")));
        size_t to = find(n, json_string_value(json_object_get(o, "to")));
        r->kind_text = json_string_value(json_object_get(o, "kind"));
        if (!json_is_object(o) || r->kind_text == NULL || from == n->npeople || to == n->npeople) {
            return bad(err, path, "must give a kind and name two of the people");
        }
        enum pw_status rc = opt_string(o, "until", path, &r->until, err);
        if (rc != PW_OK) {
            return rc;
        }
        r->from = n->people[from].canon;
        r->to = n->people[to].canon;
        r->kind = 0;
        while (r->kind < N_KINDS && strcmp(kinds[r->kind].kind, r->kind_text) != 0) {
            r->kind++;
        }
    }
    return PW_OK;
}

static enum pw_status
read_network(const json_t *network, struct net *n, struct pw_error *err)
{
    if (!json_is_object(network)) {
        return bad(err, "$", "must be the family network (a JSON object)");
    }
    const json_t *people = json_object_get(network, "people");
    if (!json_is_array(people)) {
        return bad(err, "$.people", "must be a list");
    }
    if (json_array_size(people) > MAX_PEOPLE) {
        pw_fail(err, PW_ETOOBIG, "the family network has more than %d people: too many to draw",
                MAX_PEOPLE);
        pw_error_field(err, "$.people");
        return PW_ETOOBIG;
    }
    n->npeople = json_array_size(people);
    n->people = pw_xcalloc(n->npeople + 1, sizeof(*n->people));
    enum pw_status rc = PW_OK;
    for (size_t i = 0; i < n->npeople && rc == PW_OK; i++) {
        rc = read_person(json_array_get(people, i), i, &n->people[i], err);
    }
    if (rc != PW_OK) {
        return rc;
    }
    link_records(n);
    rc = read_households(json_object_get(network, "households"), n, err);
    for (size_t i = 0; i < n->npeople; i++) {
        n->people[i].house = n->people[i].housed ? n->people[i].house : n->nhouses;
    }
    merge_records(n);
    if (rc == PW_OK) {
        rc = read_relationships(json_object_get(network, "relationships"), n, err);
    }
    return rc;
}

/* ---- Building the graph ---- */

/*
 * Text for a Graphviz label, shown as given: Graphviz reads \N, \G, \n, \l ... in labels and
 * turns entities such as &lt; into characters, so backslashes are doubled and & written as
 * &amp; (which it turns back into &). Control characters become spaces.
 */
static void
gv_text(struct pw_buf *b, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        if (*s == '\\') {
            pw_buf_adds(b, "\\\\");
        } else if (*s == '&') {
            pw_buf_adds(b, "&amp;");
        } else if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            pw_buf_addc(b, ' ');
        } else {
            pw_buf_addc(b, *s);
        }
    }
}

/* cgraph takes char * though it copies and never writes: these copy into mutable storage. */
static void
set(void *obj, const char *name, const char *value)
{
    char n[32];
    char def[1] = "";
    (void)snprintf(n, sizeof(n), "%s", name);
    char *v = pw_xstrdup(value);
    (void)agsafeset(obj, n, v, def);
    free(v);
}

static void
by_default(Agraph_t *g, int kind, const char *name, const char *value)
{
    char n[32];
    char v[32];
    (void)snprintf(n, sizeof(n), "%s", name);
    (void)snprintf(v, sizeof(v), "%s", value);
    (void)agattr(g, kind, n, v);
}

/* Sets the id attribute: "pw-genogram-" what and i, unique in the page. */
static void
set_id(void *obj, char what, size_t i)
{
    char v[48];
    (void)snprintf(v, sizeof(v), "pw-genogram-%c%zu", what, i);
    set(obj, "id", v);
}

static void
add_households(Agraph_t *g, struct net *n, struct pw_buf *text)
{
    for (size_t h = 0; h < n->nhouses; h++) {
        struct house *hs = &n->houses[h];
        char name[32];
        (void)snprintf(name, sizeof(name), "cluster_%zu", h);
        hs->cluster = agsubg(g, name, 1);
        pw_buf_reset(text);
        gv_text(text, hs->line1);
        pw_buf_adds(text, hs->line1 != NULL && hs->town != NULL ? ", " : "");
        gv_text(text, hs->town);
        pw_buf_adds(text, hs->line1 == NULL && hs->town == NULL ? "address not shown" : "");
        /* Each line ends \l: left-justified, as the label is. */
        pw_buf_adds(text, "\\l");
        if (hs->since != NULL && hs->until != NULL) {
            gv_text(text, hs->since);
            pw_buf_adds(text, "\xe2\x80\x93"); /* an en dash */
            gv_text(text, hs->until);
            pw_buf_adds(text, "\\l");
        } else if (hs->since != NULL || hs->until != NULL) {
            pw_buf_adds(text, hs->since != NULL ? "from " : "until ");
            gv_text(text, hs->since != NULL ? hs->since : hs->until);
            pw_buf_adds(text, "\\l");
        }
        set(hs->cluster, "label", pw_buf_cstr(text));
        set(hs->cluster, "class", "app-genogram__household");
        set_id(hs->cluster, 'h', h);
    }
}

static void
add_person(Agraph_t *g, struct net *n, size_t i, struct pw_buf *text)
{
    struct person *p = &n->people[i];
    Agraph_t *in = p->house < n->nhouses ? n->houses[p->house].cluster : g;
    char *id = pw_xstrdup(p->id);
    p->node = agnode(in, id, 1);
    free(id);
    if (p->house < n->nhouses) {
        n->houses[p->house].members++;
    }
    pw_buf_reset(text);
    gv_text(text, p->name != NULL ? p->name : p->id);
    if (p->dob != NULL && strlen(p->dob) >= 4) {
        pw_buf_adds(text, "\\nborn ");
        pw_buf_add(text, p->dob, 4);
    }
    if (p->risk) {
        pw_buf_adds(text, "\\nsexual-harm history");
    }
    set(p->node, "label", pw_buf_cstr(text));
    const char *sex =
        p->sex != NULL && (strcmp(p->sex, "male") == 0 || strcmp(p->sex, "female") == 0)
            ? p->sex
            : "unknown";
    set(p->node, "shape", sex[0] == 'm' ? "box" : sex[0] == 'f' ? "ellipse" : "diamond");
    pw_buf_reset(text);
    pw_buf_adds(text, "app-genogram__person app-genogram__person--");
    pw_buf_adds(text, sex);
    if (p->child) {
        pw_buf_adds(text, " app-genogram__person--child");
        set(p->node, "peripheries", "2");
        set(p->node, "fontname", "Helvetica-Bold");
    }
    if (p->risk) {
        pw_buf_adds(text, " app-genogram__person--risk");
        set(p->node, "color", "#d4351c");
        set(p->node, "penwidth", "3");
    }
    set(p->node, "class", pw_buf_cstr(text));
    set_id(p->node, 'n', i);
}

static bool
same_pair(const struct rel *a, const struct rel *b)
{
    return (a->from == b->from && a->to == b->to) || (a->from == b->to && a->to == b->from);
}

/* Whether relationship i says what an earlier one says: the same kind, the same way round. */
static bool
said_before(const struct net *n, size_t i)
{
    const struct rel *r = &n->rels[i];
    for (size_t k = 0; k < i; k++) {
        const struct rel *o = &n->rels[k];
        if (o->from == r->from && o->to == r->to && strcmp(o->kind_text, r->kind_text) == 0) {
            return true;
        }
    }
    return false;
}

static void
add_words(struct pw_buf *text, const struct rel *r)
{
    if (text->len > 0) {
        pw_buf_adds(text, "\\n");
    }
    if (r->kind < N_KINDS) {
        pw_buf_adds(text, kinds[r->kind].words);
    } else {
        for (const char *c = r->kind_text; *c != '\0'; c++) { /* a kind not known here */
            char one[2] = { *c, '\0' };
            if (one[0] == '_') {
                one[0] = ' ';
            }
            gv_text(text, one);
        }
    }
    if (r->until != NULL) {
        pw_buf_adds(text, " (until ");
        gv_text(text, r->until);
        pw_buf_adds(text, ")");
    }
}

/*
 * Draws everything said of the two people of relationship i, when it is the first said of
 * them, as one edge: it follows the first generational relationship of the two (else the
 * first), and its words list them all. One edge a pair, because dot 2.42 fails an assertion
 * and aborts the process on some graphs with two non-ranking edges between people of two
 * households; it has not on any graph with one edge a pair that we have tried.
 */
static void
add_pair(Agraph_t *g, struct net *n, size_t i, struct pw_buf *text)
{
    const struct rel *first = &n->rels[i];
    if (first->from == first->to) {
        return;
    }
    for (size_t k = 0; k < i; k++) {
        if (same_pair(&n->rels[k], first)) {
            return; /* drawn with k */
        }
    }
    size_t lead = i;
    size_t said = 0;
    for (size_t k = n->nrels; k-- > i;) {
        const struct rel *r = &n->rels[k];
        if (same_pair(r, first) && !said_before(n, k)) {
            said++;
            lead = r->kind < N_KINDS && kinds[r->kind].ranks ? k : lead;
        }
    }
    const struct rel *l = &n->rels[lead];
    Agedge_t *e = agedge(g, n->people[l->from].node, n->people[l->to].node, NULL, 1);
    struct pw_buf cls;
    pw_buf_init(&cls, 0);
    pw_buf_adds(&cls, "app-genogram__relationship");
    pw_buf_reset(text);
    for (size_t k = i; k < n->nrels; k++) {
        const struct rel *r = &n->rels[k];
        if (!same_pair(r, first) || said_before(n, k)) {
            continue;
        }
        if (said > 1 || r->kind == N_KINDS || !kinds[r->kind].plain || r->until != NULL) {
            add_words(text, r);
        }
        pw_buf_adds(&cls, " app-genogram__relationship--");
        pw_buf_adds(&cls, r->kind < N_KINDS ? kinds[r->kind].kind : "other");
    }
    /* External labels: placed after the layout, so they never take part in the ranking
     * (dot 2.42 fails on some graphs with labels on edges within a rank). */
    if (text->len > 0) {
        set(e, "xlabel", pw_buf_cstr(text));
    }
    bool known = l->kind < N_KINDS;
    set(e, "dir", !known || kinds[l->kind].directed ? "forward" : "none");
    set(e, "constraint", known && kinds[l->kind].ranks ? "true" : "false");
    set(e, "style", known ? kinds[l->kind].style : "dotted");
    set(e, "class", pw_buf_cstr(&cls));
    set_id(e, 'e', i);
    pw_buf_release(&cls);
    n->nrel += said;
}

static Agraph_t *
build(struct net *n)
{
    char name[] = "Family network";
    Agraph_t *g = agopen(name, Agdirected, NULL);
    set(g, "rankdir", "TB");
    set(g, "bgcolor", "transparent");
    set(g, "fontname", "Helvetica");
    set(g, "fontsize", "11");
    set(g, "labeljust", "l");
    set(g, "nodesep", "0.7");
    set(g, "ranksep", "0.5");
    set(g, "forcelabels", "true");
    by_default(g, AGNODE, "fontname", "Helvetica");
    by_default(g, AGNODE, "fontsize", "12");
    by_default(g, AGNODE, "style", "filled");
    by_default(g, AGNODE, "fillcolor", "#ffffff");
    by_default(g, AGEDGE, "fontname", "Helvetica");
    by_default(g, AGEDGE, "fontsize", "10");
    struct pw_buf text;
    pw_buf_init(&text, 0);
    add_households(g, n, &text);
    for (size_t i = 0; i < n->npeople; i++) {
        if (n->people[i].canon == i) {
            add_person(g, n, i, &text);
        }
    }
    for (size_t h = 0; h < n->nhouses; h++) {
        if (n->houses[h].members == 0) {
            /* Everyone who lived here with the child is drawn at a later address. */
            char note[32];
            (void)snprintf(note, sizeof(note), "pw-note-%zu", h);
            Agnode_t *m = agnode(n->houses[h].cluster, note, 1);
            set(m, "shape", "plaintext");
            set(m, "label", "everyone here is shown\\nat a later address");
            set(m, "fontsize", "10");
        }
    }
    for (size_t i = 0; i < n->nrels; i++) {
        add_pair(g, n, i, &text);
    }
    pw_buf_release(&text);
    return g;
}

/* ---- Graphviz ---- */

#define DOT_SECONDS 10                        /* a family's layout takes milliseconds */
#define DOT_OUT_MAX ((size_t)8 * 1024 * 1024) /* the SVG of MAX_PEOPLE is far less */

extern char **environ;

static int
quiet(char *message)
{
    (void)message; /* it may quote a label: a name */
    return 0;
}

/* g as DOT text, by cgraph's writer (it quotes every name and label). New: free it. */
static enum pw_status
dot_text(Agraph_t *g, char **text, size_t *len, struct pw_error *err)
{
    *text = NULL;
    *len = 0;
    FILE *f = open_memstream(text, len);
    if (f == NULL) {
        return pw_fail(err, PW_EINTERNAL, "the family network could not be drawn");
    }
    int wrote = agwrite(g, f);
    if (fclose(f) != 0 || wrote != 0 || *text == NULL) {
        free(*text);
        *text = NULL;
        return pw_fail(err, PW_EINTERNAL, "the family network could not be drawn");
    }
    return PW_OK;
}

static int64_t
now_ms(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Starts dot -Tsvg with pipes for its input and output and nothing for its errors (they may
 * quote a label: a name). */
static enum pw_status
spawn_dot(pid_t *pid, int *to, int *from, struct pw_error *err)
{
    int in[2] = { -1, -1 };
    int out[2] = { -1, -1 };
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none;
    sigset_t dflt;
    char *argv[] = { (char *)(uintptr_t) "dot", (char *)(uintptr_t) "-Tsvg", NULL };
    enum pw_status rc = PW_OK;
    /* Close-on-exec, so a dot started for another page at the same moment holds none of
     * these (it would keep this one's pipe open and its reader waiting). */
    if (pipe(in) != 0 || pipe(out) != 0 || fcntl(in[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(in[1], F_SETFD, FD_CLOEXEC) != 0 || fcntl(out[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(out[1], F_SETFD, FD_CLOEXEC) != 0) {
        rc = pw_fail(err, PW_EINTERNAL, "the family network could not be drawn");
    }
    if (rc == PW_OK) {
        (void)posix_spawn_file_actions_init(&fa);
        (void)posix_spawn_file_actions_adddup2(&fa, in[0], 0);
        (void)posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        (void)posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        (void)posix_spawnattr_init(&attr);
        (void)sigemptyset(&none);
        (void)sigemptyset(&dflt);
        (void)sigaddset(&dflt, SIGPIPE);
        (void)posix_spawnattr_setsigmask(&attr, &none);
        (void)posix_spawnattr_setsigdefault(&attr, &dflt);
        (void)posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        int e = posix_spawnp(pid, "dot", &fa, &attr, argv, environ);
        (void)posix_spawn_file_actions_destroy(&fa);
        (void)posix_spawnattr_destroy(&attr);
        if (e != 0) {
            rc = pw_fail(err, PW_EINTERNAL, "the family network could not be drawn");
            pw_error_detail(err, "graphviz: dot could not be started (is graphviz installed?)");
        }
    }
    /* dot's ends of the pipes are dot's alone now. */
    if (in[0] >= 0) {
        (void)close(in[0]);
    }
    if (out[1] >= 0) {
        (void)close(out[1]);
    }
    *to = in[1];
    *from = out[0];
    if (rc != PW_OK) {
        if (*to >= 0) {
            (void)close(*to);
        }
        if (*from >= 0) {
            (void)close(*from);
        }
        *to = -1;
        *from = -1;
    }
    return rc;
}

/*
 * Feeds dot its input and reads its output at once (either may fill a pipe while the other
 * waits), within DOT_SECONDS; a dot that takes longer is killed. A writer's SIGPIPE (dot gone)
 * is kept from the process: blocked here, and taken back if it came.
 */
static enum pw_status
pump(int to, int from, const char *dot, size_t len, struct pw_buf *svg, struct pw_error *err)
{
    size_t sent = 0;
    int64_t deadline = now_ms() + (int64_t)DOT_SECONDS * 1000;
    enum pw_status rc = PW_OK;
    if (len == 0) {
        (void)close(to);
        to = -1;
    }
    while (rc == PW_OK && from >= 0) {
        struct pollfd fds[2] = { { from, POLLIN, 0 }, { to, POLLOUT, 0 } };
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            rc = pw_fail(err, PW_EINTERNAL, "the family network could not be drawn in time");
            break;
        }
        int n = poll(fds, to >= 0 ? 2 : 1, (int)left);
        if (n < 0 && errno != EINTR) {
            rc = pw_fail(err, PW_EINTERNAL, "the family network could not be drawn");
        }
        if (n <= 0) {
            continue;
        }
        if (to >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
            ssize_t w = write(to, dot + sent, len - sent);
            if (w > 0) {
                sent += (size_t)w;
            }
            if (w < 0 || sent == len) {
                (void)close(to); /* all sent, or dot stopped reading */
                to = -1;
            }
        }
        if ((fds[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0) {
            char chunk[16384];
            ssize_t r = read(from, chunk, sizeof(chunk));
            if (r > 0 && svg->len + (size_t)r <= DOT_OUT_MAX) {
                pw_buf_add(svg, chunk, (size_t)r);
            } else if (r > 0) {
                rc = pw_fail(err, PW_ETOOBIG, "the family network is too large to draw");
            } else if (r == 0 || errno != EINTR) {
                (void)close(from);
                from = -1;
            }
        }
    }
    if (to >= 0) {
        (void)close(to);
    }
    if (from >= 0) {
        (void)close(from);
    }
    return rc;
}

/* Lays out and draws dot (DOT text) as SVG into svg, in a child process. */
static enum pw_status
render(const char *dot, size_t len, struct pw_buf *svg, struct pw_error *err)
{
    sigset_t pipe_only;
    sigset_t old;
    (void)sigemptyset(&pipe_only);
    (void)sigaddset(&pipe_only, SIGPIPE);
    (void)pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    pid_t pid = -1;
    int to = -1;
    int from = -1;
    enum pw_status rc = spawn_dot(&pid, &to, &from, err);
    if (rc == PW_OK) {
        rc = pump(to, from, dot, len, svg, err);
        if (rc != PW_OK) {
            (void)kill(pid, SIGKILL);
        }
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (rc == PW_OK && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
            rc = pw_fail(err, PW_EINTERNAL, "the family network could not be drawn");
            pw_error_detail(err, "graphviz: dot failed");
        }
    }
    /* A SIGPIPE raised while dot was gone is taken here, not delivered when unblocked. */
    struct timespec zero = { 0, 0 };
    while (sigtimedwait(&pipe_only, NULL, &zero) == SIGPIPE) {
    }
    (void)pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* ---- The SVG ---- */

static void
write_title(const struct net *n, struct pw_buf *b)
{
    size_t drawn = 0;
    size_t houses = 0;
    for (size_t i = 0; i < n->npeople; i++) {
        drawn += n->people[i].canon == i;
    }
    for (size_t h = 0; h < n->nhouses; h++) {
        houses += n->houses[h].cluster != NULL;
    }
    pw_buf_adds(b, "<title id=\"" TITLE_ID "\">");
    pw__html_text(b, "Family network");
    if (n->child_name != NULL) {
        pw__html_text(b, " of ");
        pw__html_text(b, n->child_name);
    }
    pw_buf_addf(b, ": %zu %s, %zu %s, %zu %s</title>\n", drawn, drawn == 1 ? "person" : "people",
                n->nrel, n->nrel == 1 ? "relationship" : "relationships", houses,
                houses == 1 ? "household" : "households");
    pw_buf_adds(b, "<desc id=\"" DESC_ID "\">");
    pw__html_text(b, "A genogram. Squares are male, circles female, diamonds people whose sex is "
                     "not recorded; the child has a double outline. Arrows go from parents to "
                     "their children; dashed lines join siblings, bold lines partners. ");
    if (n->nrisk > 0) {
        pw_buf_addf(b, "%zu %s", n->nrisk, n->nrisk == 1 ? "person has" : "people have");
        pw__html_text(b, " a sexual-harm history, marked by a thick red outline and those words. ");
    }
    pw__html_text(b, "Boxes are the households the child lived in, with the address and dates.");
    pw_buf_adds(b, "</desc>\n");
}

/*
 * Appends s[0..n) with Graphviz's "&#45;" written back as "-" (it escapes every hyphen, which
 * is harmless but makes class="app&#45;genogram__svg" of our class names). Only comments could
 * mind a "-", and they are gone.
 */
static void
add_dashes(struct pw_buf *b, const char *s, size_t n)
{
    static const char dash[] = "&#45;";
    const size_t len = sizeof(dash) - 1;
    size_t run = 0; /* bytes since the last dash, written in one append */
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '&' && n - i >= len && memcmp(s + i, dash, len) == 0) {
            pw_buf_add(b, s + i - run, run);
            pw_buf_addc(b, '-');
            run = 0;
            i += len - 1;
        } else {
            run++;
        }
    }
    pw_buf_add(b, s + n - run, run);
}

/* Appends Graphviz's SVG from the root element on, with our attributes, title and desc, and
 * without comments. */
static enum pw_status
write_svg(const struct net *n, const char *svg, struct pw_buf *out, struct pw_error *err)
{
    const char *root = strstr(svg, "<svg");
    const char *open_end = root != NULL ? strchr(root, '>') : NULL;
    const char *end = open_end != NULL ? strstr(open_end, "</svg>") : NULL;
    if (root == NULL || open_end == NULL || end == NULL ||
        (root[4] != ' ' && root[4] != '\n' && root[4] != '\t')) {
        pw_fail(err, PW_EINTERNAL, "the family network could not be drawn");
        pw_error_detail(err, "graphviz: no <svg> element in its output");
        return PW_EINTERNAL;
    }
    pw_buf_adds(out, "<svg class=\"app-genogram__svg\" role=\"img\" aria-labelledby=\"" TITLE_ID
                     " " DESC_ID "\"");
    pw_buf_add(out, root + 4, (size_t)(open_end - (root + 4)) + 1);
    pw_buf_addc(out, '\n');
    write_title(n, out);
    /* Graphviz escapes "-" in its comments' text, so "-->" ends each and nothing else does. */
    const char *p = open_end + 1;
    while (p < end) {
        const char *c = strstr(p, "<!--");
        if (c == NULL || c > end) {
            c = end;
        }
        add_dashes(out, p, (size_t)(c - p));
        if (c == end) {
            break;
        }
        const char *close = strstr(c, "-->");
        p = close != NULL ? close + 3 : end;
        p += p < end && *p == '\n';
    }
    pw_buf_adds(out, "</svg>\n");
    return PW_OK;
}

enum pw_status
pw__web_genogram(const json_t *network, struct pw_buf *out, struct pw_error *err)
{
    struct net n;
    memset(&n, 0, sizeof(n));
    char *dot = NULL;
    size_t len = 0;
    Agraph_t *g = NULL;
    struct pw_buf svg;
    pw_buf_init(&svg, 0);
    enum pw_status rc = read_network(network, &n, err);
    if (rc != PW_OK) {
        goto out;
    }
    /* cgraph has global state: the graph is built and written under the lock, then laid out
     * by dot outside it. */
    if (pthread_mutex_lock(&gv_lock) != 0) {
        rc = pw_fail(err, PW_EINTERNAL, "the family network could not be drawn");
        goto out;
    }
    (void)agseterrf(quiet);
    g = build(&n);
    rc = dot_text(g, &dot, &len, err);
    (void)agclose(g);
    (void)pthread_mutex_unlock(&gv_lock);
    if (rc == PW_OK) {
        rc = render(dot, len, &svg, err);
    }
    if (rc == PW_OK) {
        rc = write_svg(&n, pw_buf_cstr(&svg), out, err);
    }
    if (rc == PW_OK) {
        rc = pw_buf_check(out, "the family network", err);
    }
out:
    free(dot);
    pw_buf_release(&svg);
    free(n.people);
    free(n.houses);
    free(n.rels);
    return rc;
}
