/*
 * The page templates: a small Mustache dialect rendered against a JSON value, so a page is
 * data gathered by a handler and markup written once, never HTML assembled in C.
 *
 *   {{name}} {{a.b}} {{a.0}} {{.}}  the value, escaped (pw__html_text): the only way text gets in
 *   {{{name_html}}}          markup made by Pathway's own writers (a rendered page body, an
 *                            SVG drawn here); the name must end in "_html", so a raw insertion
 *                            is visible in the template and in the handler that fills it
 *   {{#name}}..{{/name}}     each element of an array as the context; once for any other true
 *                            value (not false, null, "", 0, [] or absent), the value as context
 *   {{^name}}..{{/name}}     once when the value is not true
 *   {{>name}}                another template, with the same context
 *   {{! comment }}
 *
 * Every template is compiled when the server starts: an unclosed section, an unknown partial
 * or a raw name without "_html" fails the start with the template's name and line, so a typo
 * never reaches a practitioner. Rendering a name that holds an object or array as text is an
 * error too (a template bug, caught by the page tests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "web/web_int.h"

#define NAME_MAX_LEN  64
#define CONTEXT_DEPTH 32
#define PARTIAL_DEPTH 8
#define SECTION_DEPTH 32

enum node_kind {
    N_TEXT,
    N_VAR,
    N_RAW,
    N_SECTION,
    N_INVERTED,
    N_PARTIAL
};

struct node {
    enum node_kind kind;
    const char *text; /* N_TEXT: into the template's source */
    size_t len;
    char name[NAME_MAX_LEN + 1];
    size_t first, count; /* N_SECTION, N_INVERTED: its children are nodes[first..first+count) */
    size_t partial;      /* N_PARTIAL: the template's index in the set */
    int line;
};

struct tpl {
    const char *name;
    const char *src;
    struct node *nodes;
    size_t nnodes;
    size_t cap;
    size_t top; /* the top-level nodes are nodes[0..top) */
};

struct pw__tpl_set {
    struct tpl *tpls;
    size_t n;
};

/* ---- Compiling ---- */

static size_t
add_node(struct tpl *t, const struct node *n)
{
    if (t->nnodes == t->cap) {
        t->cap = t->cap == 0 ? 64 : t->cap * 2;
        t->nodes = pw_xrealloc(t->nodes, t->cap * sizeof(*t->nodes));
    }
    t->nodes[t->nnodes] = *n;
    return t->nnodes++;
}

static int
line_at(const char *src, const char *p)
{
    int line = 1;
    for (const char *q = src; q < p; q++) {
        line += *q == '\n';
    }
    return line;
}

static bool
name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

/* The name inside a tag, trimmed, into out. */
static enum pw_status
tag_name(const struct tpl *t, const char *p, const char *end, char *out, struct pw_error *err)
{
    while (p < end && *p == ' ') {
        p++;
    }
    while (end > p && end[-1] == ' ') {
        end--;
    }
    size_t n = (size_t)(end - p);
    bool ok = n > 0 && n <= NAME_MAX_LEN;
    for (size_t i = 0; ok && i < n; i++) {
        ok = name_char(p[i]);
    }
    if (!ok) {
        return pw_fail(err, PW_EINTERNAL, "template %s, line %d: a bad name in a tag", t->name,
                       line_at(t->src, p));
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return PW_OK;
}

/* The frame of an open section while compiling: its node and the nodes of its body. */
struct frame {
    size_t node;
    size_t *children; /* indices of its body's nodes, in order */
    size_t n, cap;
};

static void
frame_add(struct frame *f, size_t idx)
{
    if (f->n == f->cap) {
        f->cap = f->cap == 0 ? 16 : f->cap * 2;
        f->children = pw_xrealloc(f->children, f->cap * sizeof(*f->children));
    }
    f->children[f->n++] = idx;
}

/*
 * Sections' bodies must be contiguous for rendering, but nested parsing interleaves them; so
 * parsing records the tree as lists of indices, and flatten() lays each body out in order.
 */
struct tree_node {
    struct node n;
    size_t *kids;
    size_t nkids;
};

static void
flatten(struct tpl *t, struct tree_node *tree, const size_t *ids, size_t n)
{
    size_t first = t->nnodes;
    for (size_t i = 0; i < n; i++) {
        (void)add_node(t, &tree[ids[i]].n);
    }
    for (size_t i = 0; i < n; i++) {
        struct tree_node *tn = &tree[ids[i]];
        if (tn->n.kind == N_SECTION || tn->n.kind == N_INVERTED) {
            size_t at = t->nnodes;
            flatten(t, tree, tn->kids, tn->nkids);
            t->nodes[first + i].first = at;
            t->nodes[first + i].count = tn->nkids;
        }
    }
}

static enum pw_status
compile(struct tpl *t, struct pw_error *err)
{
    struct tree_node *tree = NULL;
    size_t ntree = 0;
    size_t tcap = 0;
    struct frame stack[SECTION_DEPTH + 1];
    size_t depth = 0;
    enum pw_status rc = PW_OK;
    memset(stack, 0, sizeof(stack));
    const char *p = t->src;
    while (rc == PW_OK && *p != '\0') {
        struct node n;
        memset(&n, 0, sizeof(n));
        const char *open = strstr(p, "{{");
        if (open != p) {
            n.kind = N_TEXT;
            n.text = p;
            n.len = open != NULL ? (size_t)(open - p) : strlen(p);
            p += n.len;
        } else {
            n.line = line_at(t->src, open);
            bool triple = open[2] == '{';
            const char *close = strstr(open + 2, triple ? "}}}" : "}}");
            if (close == NULL) {
                rc = pw_fail(err, PW_EINTERNAL, "template %s, line %d: a tag is not closed",
                             t->name, n.line);
                break;
            }
            const char *in = open + (triple ? 3 : 2);
            p = close + (triple ? 3 : 2);
            char sigil = *in;
            if (triple) {
                sigil = '{';
            }
            if (sigil == '!') {
                continue;
            }
            if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>') {
                in++;
            }
            rc = tag_name(t, in, close, n.name, err);
            if (rc != PW_OK) {
                break;
            }
            if (sigil == '/') {
                if (depth == 0 || strcmp(tree[stack[depth].node].n.name, n.name) != 0) {
                    rc = pw_fail(err, PW_EINTERNAL,
                                 "template %s, line %d: {{/%s}} closes no open section", t->name,
                                 n.line, n.name);
                    break;
                }
                tree[stack[depth].node].kids = stack[depth].children;
                tree[stack[depth].node].nkids = stack[depth].n;
                depth--;
                continue;
            }
            n.kind = sigil == '#'   ? N_SECTION
                     : sigil == '^' ? N_INVERTED
                     : sigil == '>' ? N_PARTIAL
                     : triple       ? N_RAW
                                    : N_VAR;
            size_t len = strlen(n.name);
            if (n.kind == N_RAW && (len < 5 || strcmp(n.name + len - 5, "_html") != 0)) {
                rc = pw_fail(err, PW_EINTERNAL,
                             "template %s, line %d: {{{%s}}} inserts markup unescaped: only "
                             "names ending in _html may",
                             t->name, n.line, n.name);
                break;
            }
        }
        if (ntree == tcap) {
            tcap = tcap == 0 ? 64 : tcap * 2;
            tree = pw_xrealloc(tree, tcap * sizeof(*tree));
        }
        tree[ntree] = (struct tree_node){ n, NULL, 0 };
        frame_add(&stack[depth], ntree);
        ntree++;
        if (n.kind == N_SECTION || n.kind == N_INVERTED) {
            if (depth == SECTION_DEPTH) {
                rc = pw_fail(err, PW_EINTERNAL, "template %s, line %d: sections nest too deep",
                             t->name, n.line);
                break;
            }
            depth++;
            memset(&stack[depth], 0, sizeof(stack[depth]));
            stack[depth].node = ntree - 1;
        }
    }
    if (rc == PW_OK && depth > 0) {
        rc = pw_fail(err, PW_EINTERNAL, "template %s, line %d: {{#%s}} is never closed", t->name,
                     tree[stack[depth].node].n.line, tree[stack[depth].node].n.name);
    }
    if (rc == PW_OK) {
        flatten(t, tree, stack[0].children, stack[0].n);
        t->top = stack[0].n;
    }
    /* Bodies handed to the tree are freed with it; frames still open own theirs. */
    for (size_t i = 0; i < ntree; i++) {
        free(tree[i].kids);
    }
    for (size_t d = 0; d <= depth; d++) {
        free(stack[d].children);
    }
    free(tree);
    return rc;
}

static enum pw_status
resolve_partials(struct pw__tpl_set *set, struct tpl *t, struct pw_error *err)
{
    for (size_t i = 0; i < t->nnodes; i++) {
        struct node *n = &t->nodes[i];
        if (n->kind != N_PARTIAL) {
            continue;
        }
        bool found = false;
        for (size_t j = 0; j < set->n && !found; j++) {
            if (strcmp(set->tpls[j].name, n->name) == 0) {
                n->partial = j;
                found = true;
            }
        }
        if (!found) {
            return pw_fail(err, PW_EINTERNAL, "template %s, line %d: no template %s", t->name,
                           n->line, n->name);
        }
    }
    return PW_OK;
}

enum pw_status
pw__tpl_set_from(const struct pw__web_template_src *srcs, size_t n, struct pw__tpl_set **out,
                 struct pw_error *err)
{
    struct pw__tpl_set *set = pw_xcalloc(1, sizeof(*set));
    set->tpls = pw_xcalloc(n > 0 ? n : 1, sizeof(*set->tpls));
    set->n = n;
    enum pw_status rc = PW_OK;
    for (size_t i = 0; i < n && rc == PW_OK; i++) {
        set->tpls[i].name = srcs[i].name;
        set->tpls[i].src = srcs[i].text;
        rc = compile(&set->tpls[i], err);
    }
    for (size_t i = 0; i < n && rc == PW_OK; i++) {
        rc = resolve_partials(set, &set->tpls[i], err);
    }
    if (rc != PW_OK) {
        pw__tpl_set_free(set);
        return rc;
    }
    *out = set;
    return PW_OK;
}

enum pw_status
pw__tpl_set_new(struct pw__tpl_set **out, struct pw_error *err)
{
    return pw__tpl_set_from(pw__web_templates, pw__web_templates_count, out, err);
}

void
pw__tpl_set_free(struct pw__tpl_set *set)
{
    if (set == NULL) {
        return;
    }
    for (size_t i = 0; i < set->n; i++) {
        free(set->tpls[i].nodes);
    }
    free(set->tpls);
    free(set);
}

bool
pw__tpl_exists(const struct pw__tpl_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++) {
        if (strcmp(set->tpls[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

/* ---- Rendering ---- */

struct render {
    const struct pw__tpl_set *set;
    const json_t *stack[CONTEXT_DEPTH];
    size_t depth;
    int partials;
    struct pw_buf *out;
};

/* One step of a dotted name within v. */
static const json_t *
member(const json_t *v, const char *name, size_t n)
{
    if (json_is_array(v) && n > 0 && n < 6 && strspn(name, "0123456789") >= n) {
        size_t i = 0;
        for (size_t k = 0; k < n; k++) {
            i = i * 10 + (size_t)(name[k] - '0');
        }
        return json_array_get(v, i); /* "results.0": the first element, if any */
    }
    if (!json_is_object(v)) {
        return NULL;
    }
    char key[NAME_MAX_LEN + 1];
    memcpy(key, name, n);
    key[n] = '\0';
    return json_object_get(v, key);
}

/* The value a name means: "." the context; else the first context (innermost out) holding the
 * name's first part, then down the rest. NULL when nothing holds it. */
static const json_t *
lookup(const struct render *r, const char *name)
{
    if (strcmp(name, ".") == 0) {
        return r->stack[r->depth - 1];
    }
    const char *dot = strchr(name, '.');
    size_t first = dot != NULL ? (size_t)(dot - name) : strlen(name);
    const json_t *v = NULL;
    for (size_t i = r->depth; i > 0 && v == NULL; i--) {
        v = member(r->stack[i - 1], name, first);
    }
    while (v != NULL && dot != NULL) {
        const char *part = dot + 1;
        dot = strchr(part, '.');
        v = member(v, part, dot != NULL ? (size_t)(dot - part) : strlen(part));
    }
    return v;
}

static bool
truthy(const json_t *v)
{
    switch (v == NULL ? JSON_NULL : json_typeof(v)) {
    case JSON_OBJECT:
        return true;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    case JSON_STRING:
        return json_string_length(v) > 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0.0;
    case JSON_TRUE:
        return true;
    default:
        return false;
    }
}

static enum pw_status
write_value(struct render *r, const struct tpl *t, const struct node *n, bool raw,
            struct pw_error *err)
{
    const json_t *v = lookup(r, n->name);
    char num[48];
    const char *s = NULL;
    size_t len = 0;
    switch (v == NULL ? JSON_NULL : json_typeof(v)) {
    case JSON_STRING:
        s = json_string_value(v);
        len = json_string_length(v);
        break;
    case JSON_INTEGER:
        (void)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = num;
        len = strlen(num);
        break;
    case JSON_REAL:
        (void)snprintf(num, sizeof(num), "%g", json_real_value(v));
        s = num;
        len = strlen(num);
        break;
    case JSON_TRUE:
        s = "true";
        len = 4;
        break;
    case JSON_OBJECT:
    case JSON_ARRAY:
        return pw_fail(err, PW_EINTERNAL, "template %s, line %d: %s is not text", t->name, n->line,
                       n->name);
    default:
        break;
    }
    if (s != NULL) {
        if (raw) {
            pw_buf_add(r->out, s, len);
        } else {
            pw__html_textn(r->out, s, len);
        }
    }
    return PW_OK;
}

static enum pw_status render_nodes(struct render *r, const struct tpl *t, size_t first,
                                   size_t count, struct pw_error *err);

static enum pw_status
push_render(struct render *r, const struct tpl *t, const struct node *n, const json_t *ctx,
            struct pw_error *err)
{
    if (r->depth == CONTEXT_DEPTH) {
        return pw_fail(err, PW_EINTERNAL, "template %s, line %d: sections nest too deep", t->name,
                       n->line);
    }
    r->stack[r->depth++] = ctx;
    enum pw_status rc = render_nodes(r, t, n->first, n->count, err);
    r->depth--;
    return rc;
}

static enum pw_status
render_section(struct render *r, const struct tpl *t, const struct node *n, struct pw_error *err)
{
    const json_t *v = lookup(r, n->name);
    if (n->kind == N_INVERTED) {
        return truthy(v) ? PW_OK : render_nodes(r, t, n->first, n->count, err);
    }
    if (!truthy(v)) {
        return PW_OK;
    }
    if (json_is_array(v)) {
        enum pw_status rc = PW_OK;
        for (size_t i = 0; i < json_array_size(v) && rc == PW_OK; i++) {
            rc = push_render(r, t, n, json_array_get(v, i), err);
        }
        return rc;
    }
    /* An object, or any other true value, becomes the context: {{.}} inside is the value. */
    return push_render(r, t, n, v, err);
}

static enum pw_status
render_nodes(struct render *r, const struct tpl *t, size_t first, size_t count,
             struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    for (size_t i = first; i < first + count && rc == PW_OK; i++) {
        const struct node *n = &t->nodes[i];
        switch (n->kind) {
        case N_TEXT:
            pw_buf_add(r->out, n->text, n->len);
            break;
        case N_VAR:
            rc = write_value(r, t, n, false, err);
            break;
        case N_RAW:
            rc = write_value(r, t, n, true, err);
            break;
        case N_SECTION:
        case N_INVERTED:
            rc = render_section(r, t, n, err);
            break;
        case N_PARTIAL: {
            const struct tpl *p = &r->set->tpls[n->partial];
            if (r->partials == PARTIAL_DEPTH) {
                return pw_fail(err, PW_EINTERNAL, "template %s, line %d: partials nest too deep",
                               t->name, n->line);
            }
            r->partials++;
            rc = render_nodes(r, p, 0, p->top, err);
            r->partials--;
            break;
        }
        }
    }
    return rc;
}

enum pw_status
pw__tpl_render(const struct pw__tpl_set *set, const char *name, const json_t *data,
               struct pw_buf *out, struct pw_error *err)
{
    for (size_t i = 0; i < set->n; i++) {
        if (strcmp(set->tpls[i].name, name) == 0) {
            struct render r = { .set = set, .out = out };
            r.stack[0] = data;
            r.depth = 1;
            enum pw_status rc = render_nodes(&r, &set->tpls[i], 0, set->tpls[i].top, err);
            return rc == PW_OK ? pw_buf_check(out, "the page", err) : rc;
        }
    }
    return pw_fail(err, PW_EINTERNAL, "no template %s", name);
}
