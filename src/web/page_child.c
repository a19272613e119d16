/*
 * A child's record, what matters most first: who the child is and why the user may see the
 * record; the alerts to act on; where the child is on the pathway with every deadline; the
 * picture of concern (a timeline chart and the same signs as a table); who they are
 * (identity, communication, ethnicity, language); the family network as a genogram with the
 * same people in a table; and the multi-agency chronology. Every part comes from the API's
 * answer for it, each read asked of the policy and logged; the page only joins them (people's
 * names into messages) and lays them out.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "web/web_int.h"

struct child_reads {
    json_t *summary;
    json_t *picture;
    json_t *alerts;
    json_t *network;
    json_t *chronology;
};

static void
reads_release(struct child_reads *r)
{
    json_decref(r->summary);
    json_decref(r->picture);
    json_decref(r->alerts);
    json_decref(r->network);
    json_decref(r->chronology);
}

static enum pw_status
read_all(struct pw__page *pg, const char *child, struct child_reads *r, struct pw_error *err)
{
    static const struct {
        const char *suffix;
        size_t offset;
    } parts[] = {
        { "", offsetof(struct child_reads, summary) },
        { "/alerts", offsetof(struct child_reads, alerts) },
        { "/picture", offsetof(struct child_reads, picture) },
        { "/network", offsetof(struct child_reads, network) },
        { "/chronology", offsetof(struct child_reads, chronology) },
    };
    enum pw_status rc = PW_OK;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && rc == PW_OK; i++) {
        json_t **slot = (json_t **)(void *)((char *)r + parts[i].offset);
        rc = pw__page_get(pg, "/api/children/", child, parts[i].suffix, slot, err);
    }
    return rc;
}

/* Person id to display name, from the network (everyone connected to the child). */
static json_t *
names_of(const json_t *network)
{
    json_t *names = json_object();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(network, "people"), i, p)
    {
        const char *id = json_string_value(json_object_get(p, "person"));
        const char *name = json_string_value(json_object_get(p, "name"));
        if (id != NULL && name != NULL && name[0] != '\0') {
            (void)json_object_set_new(names, id, json_string(name));
        }
    }
    return names;
}

static void
row(json_t *rows, const char *key, const char *value)
{
    if (value != NULL && value[0] != '\0') {
        (void)json_array_append_new(rows, json_pack("{s:s,s:s}", "key", key, "value", value));
    }
}

/* Who the child is, as a summary list: the fields that decide how to work with them. */
static json_t *
identity_rows(const json_t *reg, int32_t today, char *name, size_t name_size)
{
    json_t *rows = json_array();
    const json_t *names = json_object_get(reg, "names");
    struct pw_buf others;
    pw_buf_init(&others, 0);
    name[0] = '\0';
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n)
    {
        const char *given = json_string_value(json_object_get(n, "given"));
        const char *family = json_string_value(json_object_get(n, "family"));
        const char *kind = json_string_value(json_object_get(n, "kind"));
        char one[256];
        (void)snprintf(one, sizeof(one), "%s %s", given != NULL ? given : "",
                       family != NULL ? family : "");
        if (name[0] == '\0' && (kind == NULL || strcmp(kind, "birth") == 0)) {
            (void)snprintf(name, name_size, "%s", one);
        } else {
            if (others.len > 0) {
                pw_buf_adds(&others, "; ");
            }
            pw_buf_adds(&others, one);
            pw_buf_addf(&others, " (%s)",
                        kind != NULL && strcmp(kind, "known_as") == 0
                            ? "known as"
                            : (kind != NULL ? kind : "other name"));
        }
    }
    const char *dob = json_string_value(json_object_get(reg, "dob"));
    char text[256];
    if (dob != NULL) {
        char d[64];
        pw__words_date(dob, d, sizeof(d));
        int age = pw__words_age(dob, today);
        if (age >= 0) {
            (void)snprintf(text, sizeof(text), "%s (age %d)", d, age);
        } else {
            (void)snprintf(text, sizeof(text), "%s", d);
        }
        row(rows, "Date of birth", text);
    }
    row(rows, "Other names", pw_buf_cstr(&others));
    pw_buf_release(&others);
    const char *sex = json_string_value(json_object_get(reg, "sex"));
    pw__words_code(sex, text, sizeof(text));
    row(rows, "Sex", text);
    const char *gender = json_string_value(json_object_get(reg, "gender"));
    pw__words_code(gender, text, sizeof(text));
    row(rows, "Gender", text);
    const char *comm = json_string_value(json_object_get(reg, "communication"));
    pw__words_code(comm, text, sizeof(text));
    row(rows, "Communication",
        comm != NULL ? text : "Not recorded: find out how the child communicates");
    row(rows, "Language", json_string_value(json_object_get(reg, "language")));
    const json_t *interp = json_object_get(reg, "interpreter_needed");
    if (json_is_boolean(interp)) {
        row(rows, "Interpreter needed", json_is_true(interp) ? "Yes" : "No");
    }
    const char *eth = json_string_value(json_object_get(reg, "ethnicity"));
    row(rows, "Ethnicity", eth != NULL ? pw__words_ethnicity(eth) : "Not recorded");
    const json_t *dis = json_object_get(reg, "disability");
    struct pw_buf b;
    pw_buf_init(&b, 0);
    json_array_foreach(dis, i, n)
    {
        if (json_is_string(n)) {
            pw__words_code(json_string_value(n), text, sizeof(text));
            pw_buf_adds(&b, i > 0 ? ", " : "");
            pw_buf_adds(&b, text);
        }
    }
    row(rows, "Disability", pw_buf_cstr(&b));
    pw_buf_reset(&b);
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)json_object_get(reg, "identifiers"), key, v)
    {
        if (json_is_string(v)) {
            pw_buf_addf(&b, "%s%s %s", b.len > 0 ? ", " : "", key, json_string_value(v));
        }
    }
    row(rows, "Identifiers", pw_buf_cstr(&b));
    pw_buf_release(&b);
    return rows;
}

/* The picture's signs as table rows (the chart's text alternative). */
static json_t *
sign_rows(const json_t *picture, const json_t *names)
{
    (void)names;
    json_t *rows = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(picture, "signs"), i, s)
    {
        json_t *o = json_object();
        (void)json_object_set_new(
            o, "date", pw__words_date_json(json_string_value(json_object_get(s, "observed"))));
        (void)json_object_set_new(
            o, "agency",
            json_string(pw__words_agency(json_string_value(json_object_get(s, "agency")))));
        if (json_is_true(json_object_get(s, "restricted"))) {
            (void)json_object_set_new(o, "restricted", json_true());
            (void)json_object_set(o, "ask", json_object_get(s, "ask"));
        } else {
            (void)json_object_set(o, "name", json_object_get(s, "name"));
            const char *strength = json_string_value(json_object_get(s, "strength"));
            (void)json_object_set_new(o, "strength", json_string(strength != NULL ? strength : ""));
            (void)json_object_set_new(
                o, "suspect", json_boolean(strength != NULL && strcmp(strength, "suspect") == 0));
        }
        (void)json_array_append_new(rows, o);
    }
    return rows;
}

/* Each episode the chronology names, with its stage and deadlines (GET /api/episodes/{id}). */
static enum pw_status
episodes_of(struct pw__page *pg, const json_t *chronology, json_t *out, struct pw_error *err)
{
    json_t *seen = json_object();
    enum pw_status rc = PW_OK;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(chronology, "facts"), i, f)
    {
        const char *ep = json_string_value(json_object_get(f, "episode"));
        if (rc != PW_OK || ep == NULL || json_object_get(seen, ep) != NULL) {
            continue;
        }
        (void)json_object_set_new(seen, ep, json_true());
        json_t *e = NULL;
        rc = pw__page_get(pg, "/api/episodes/", ep, "", &e, err);
        if (rc == PW_EFORBIDDEN || rc == PW_ENOTFOUND) {
            /* An episode is read only by who may read every child it concerns: the page says
             * it exists and why its deadlines are not shown, and goes on. */
            pw_error_clear(err);
            rc = PW_OK;
            (void)json_array_append_new(out, json_pack("{s:s,s:b}", "episode", ep, "hidden", 1));
            continue;
        }
        if (rc != PW_OK) {
            break;
        }
        json_t *steps = json_array();
        size_t k;
        json_t *st;
        json_array_foreach(json_object_get(e, "steps"), k, st)
        {
            const char *status = json_string_value(json_object_get(st, "status"));
            const char *tag = status == NULL                    ? "govuk-tag--grey"
                              : strcmp(status, "overdue") == 0  ? "govuk-tag--red"
                              : strcmp(status, "met") == 0      ? "govuk-tag--green"
                              : strcmp(status, "met_late") == 0 ? "govuk-tag--orange"
                                                                : "govuk-tag--blue";
            char name[128];
            pw__words_code(json_string_value(json_object_get(st, "name")), name, sizeof(name));
            char status_words[64];
            pw__words_code(status, status_words, sizeof(status_words));
            (void)json_array_append_new(
                steps, json_pack("{s:s,s:o,s:s,s:s,s:o}", "name", name, "due",
                                 pw__words_date_json(json_string_value(json_object_get(st, "due"))),
                                 "status", status_words, "tag", tag, "met",
                                 pw__words_date_json(json_string_value(
                                     json_object_get(json_object_get(st, "met"), "date")))));
        }
        char stage[128];
        pw__words_code(json_string_value(json_object_get(e, "stage")), stage, sizeof(stage));
        (void)json_array_append_new(
            out, json_pack("{s:s,s:s,s:o}", "episode", ep, "stage", stage, "steps", steps));
        json_decref(e);
    }
    json_decref(seen);
    return rc;
}

static json_t *
chronology_rows(const json_t *chronology, const json_t *names)
{
    json_t *rows = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(chronology, "facts"), i, f)
    {
        json_t *o = json_object();
        (void)json_object_set_new(o, "date",
                                  pw__words_date_json(json_string_value(json_object_get(f, "at"))));
        (void)json_object_set_new(
            o, "agency",
            json_string(pw__words_agency(json_string_value(json_object_get(f, "agency")))));
        const char *summary = json_string_value(json_object_get(f, "summary"));
        (void)json_object_set_new(
            o, "text",
            pw__words_named(
                summary != NULL ? summary : json_string_value(json_object_get(f, "type")), names));
        /* What was written in words (a concern's narrative, the child's own words, a
         * rationale): the chronology is where practitioners read it. Redacted facts carry none. */
        static const char *const written[] = { "narrative", "text",     "note",
                                               "rationale", "analysis", NULL };
        for (const char *const *w = written; *w != NULL; w++) {
            const char *t = json_string_value(json_object_get(f, *w));
            if (t != NULL && t[0] != '\0') {
                (void)json_object_set_new(o, "detail", json_string(t));
                break;
            }
        }
        (void)json_object_set_new(
            o, "corrected", json_boolean(json_is_string(json_object_get(f, "superseded_by"))));
        (void)json_object_set_new(o, "restricted",
                                  json_boolean(json_is_true(json_object_get(f, "redacted"))));
        (void)json_array_append_new(rows, o);
    }
    return rows;
}

static json_t *
people_rows(const json_t *network, int32_t today)
{
    json_t *rows = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(network, "people"), i, p)
    {
        const char *dob = json_string_value(json_object_get(p, "dob"));
        int age = pw__words_age(dob, today);
        json_t *o = json_pack("{s:O,s:O,s:b}", "name", json_object_get(p, "name"), "how",
                              json_object_get(p, "how"), "sexual_risk",
                              json_is_true(json_object_get(p, "sexual_risk")));
        if (age >= 0) {
            (void)json_object_set_new(o, "age", json_integer(age));
        }
        (void)json_array_append_new(rows, o);
    }
    return rows;
}

static void
render_child(struct pw__page *pg, const char *child, struct child_reads *r, json_t *episodes)
{
    int32_t today = pw__page_today(pg);
    json_t *names = names_of(r->network);
    char name[256];
    json_t *identity =
        identity_rows(json_object_get(r->summary, "registration"), today, name, sizeof(name));
    if (name[0] == '\0') {
        (void)snprintf(name, sizeof(name), "%s", child);
    }
    json_t *cards = json_array();
    json_t *answered = json_array();
    int overdue = 0;
    int open = 0;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(r->alerts, "alerts"), i, a)
    {
        const char *status = json_string_value(json_object_get(a, "status"));
        bool done = status != NULL && strcmp(status, "resolved") == 0;
        (void)json_array_append_new(done ? answered : cards, pw__alert_card(a, names));
        overdue += status != NULL && strcmp(status, "overdue") == 0;
        open += !done;
    }
    struct pw_buf svg;
    struct pw_error err;
    pw_error_clear(&err);
    pw_buf_init(&svg, 0);
    json_t *chart = NULL;
    if (json_array_size(json_object_get(r->picture, "signs")) > 0 &&
        pw__web_chart_picture(r->picture, &svg, &err) == PW_OK) {
        chart = json_stringn(pw_buf_cstr(&svg), svg.len);
    }
    pw_buf_reset(&svg);
    json_t *genogram = NULL;
    if (pw__web_genogram(r->network, &svg, &err) == PW_OK) {
        genogram = json_stringn(pw_buf_cstr(&svg), svg.len);
    }
    pw_buf_release(&svg);
    const json_t *access = json_object_get(r->summary, "access");
    const json_t *pic = json_object_get(r->summary, "picture");
    json_t *data = json_object();
    (void)json_object_set_new(data, "child", json_string(child));
    (void)json_object_set_new(data, "name", json_string(name));
    (void)json_object_set_new(data, "identity", identity);
    (void)json_object_set_new(data, "alerts", cards);
    (void)json_object_set_new(data, "answered", answered);
    (void)json_object_set_new(data, "overdue", json_integer(overdue));
    (void)json_object_set_new(data, "open", json_integer(open));
    (void)json_object_set_new(data, "episodes", episodes);
    (void)json_object_set_new(data, "stage",
                              json_incref(json_object_get(json_array_get(episodes, 0), "stage")));
    (void)json_object_set(data, "score", json_object_get(pic, "score"));
    (void)json_object_set(data, "threshold", json_object_get(pic, "threshold"));
    (void)json_object_set_new(
        data, "window_from",
        pw__words_date_json(json_string_value(json_object_get(r->picture, "window_from"))));
    (void)json_object_set_new(data, "signs", sign_rows(r->picture, names));
    (void)json_object_set_new(data, "chart_html", chart != NULL ? chart : json_null());
    (void)json_object_set_new(data, "genogram_html", genogram != NULL ? genogram : json_null());
    (void)json_object_set_new(data, "people", people_rows(r->network, today));
    (void)json_object_set_new(data, "chronology", chronology_rows(r->chronology, names));
    char basis[64];
    pw__words_code(json_string_value(json_object_get(access, "basis")), basis, sizeof(basis));
    (void)json_object_set_new(data, "basis", json_string(basis));
    (void)json_object_set(data, "basis_detail", json_object_get(access, "detail"));
    (void)json_object_set_new(
        data, "break_glass",
        json_boolean(strcmp(json_string_value(json_object_get(access, "basis")) != NULL
                                ? json_string_value(json_object_get(access, "basis"))
                                : "",
                            "break_glass") == 0));
    json_decref(names);
    pw__page_render(pg, "child", name, data);
}

void
pw__page_child(struct pw__page *pg)
{
    const char *child = pg->ids[0];
    struct child_reads r;
    struct pw_error err;
    memset(&r, 0, sizeof(r));
    pw_error_clear(&err);
    json_t *episodes = json_array();
    enum pw_status rc = read_all(pg, child, &r, &err);
    if (rc == PW_OK) {
        rc = episodes_of(pg, r.chronology, episodes, &err);
    }
    if (rc == PW_OK) {
        render_child(pg, child, &r, episodes);
    } else {
        json_decref(episodes);
        if (rc == PW_EFORBIDDEN || rc == PW_ENOTFOUND) {
            /* The same page for a record refused and one that does not exist, with the way in
             * for an emergency. */
            pg->resp->status = 404;
            pw__page_render(pg, "child_refused", "Record not found or not yours to see",
                            json_pack("{s:s}", "child", child));
        } else {
            pw__page_api_fail(pg, rc, &err);
        }
    }
    reads_release(&r);
}
