/*
 * What the episode pages share (episode_form.h): the episode read through the API with its
 * children named, the GOV.UK date input read and checked, the deadlines in words, and a rule's
 * block explained with the finding behind the rule.
 */
#include "web/episode_form.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/time.h"
#include "rules/rules.h"

void
pw__ep_release(struct pw__ep *e)
{
    json_decref(e->episode);
    json_decref(e->children);
    json_decref(e->names);
    json_decref(e->network);
    json_decref(e->chronology);
    json_decref(e->alleged);
    memset(e, 0, sizeof(*e));
}

const char *
pw__ep_name(const struct pw__ep *e, const char *id)
{
    const char *name = json_string_value(json_object_get(e->names, id != NULL ? id : ""));
    return name != NULL ? name : (id != NULL ? id : "");
}

/* The child's name from their registration (GET /api/children/{id}): the birth name first. */
static enum pw_status
summary_name(struct pw__page *pg, const char *child, json_t *names, struct pw_error *err)
{
    json_t *summary = NULL;
    enum pw_status rc = pw__page_get(pg, "/api/children/", child, "", &summary, err);
    if (rc != PW_OK) {
        return rc;
    }
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(json_object_get(summary, "registration"), "names"), i, n)
    {
        const char *given = json_string_value(json_object_get(n, "given"));
        const char *family = json_string_value(json_object_get(n, "family"));
        const char *kind = json_string_value(json_object_get(n, "kind"));
        if (kind == NULL || strcmp(kind, "birth") == 0 || i == 0) {
            char one[256];
            (void)snprintf(one, sizeof(one), "%s%s%s", given != NULL ? given : "",
                           given != NULL && family != NULL ? " " : "",
                           family != NULL ? family : "");
            if (one[0] != '\0') {
                (void)json_object_set_new(names, child, json_string(one));
            }
            if (kind == NULL || strcmp(kind, "birth") == 0) {
                break;
            }
        }
    }
    json_decref(summary);
    return PW_OK;
}

static void
add_unique(json_t *list, const char *id)
{
    if (id == NULL || id[0] == '\0') {
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (strcmp(json_string_value(v), id) == 0) {
            return;
        }
    }
    (void)json_array_append_new(list, json_string(id));
}

static bool
is_type(const json_t *f, const char *type)
{
    const char *t = json_string_value(json_object_get(f, "type"));
    return t != NULL && strcmp(t, type) == 0;
}

static bool
field_is(const json_t *f, const char *field, const char *value)
{
    const char *v = json_string_value(json_object_get(f, field));
    return v != NULL && value != NULL && strcmp(v, value) == 0;
}

/* The people alleged in the concerns the episode's referral decisions answered, and its
 * investigation's suspects, as the chronology shows them. */
static json_t *
alleged_of(const json_t *chronology, const char *episode)
{
    json_t *alleged = json_array();
    json_t *concerns = json_array();
    const json_t *facts = json_object_get(chronology, "facts");
    size_t i;
    json_t *f;
    json_array_foreach(facts, i, f)
    {
        if (is_type(f, "referral.decided") && field_is(f, "episode", episode)) {
            add_unique(concerns, json_string_value(json_object_get(f, "concern")));
        }
    }
    json_array_foreach(facts, i, f)
    {
        if (is_type(f, "concern.raised")) {
            size_t k;
            json_t *c;
            bool ours = false;
            json_array_foreach(concerns, k, c)
            {
                ours = ours || field_is(f, "concern", json_string_value(c));
            }
            json_t *p;
            json_array_foreach(ours ? json_object_get(f, "alleged") : NULL, k, p)
            {
                add_unique(alleged, json_string_value(p));
            }
        } else if (is_type(f, "investigation.updated") && field_is(f, "episode", episode)) {
            add_unique(alleged, json_string_value(json_object_get(f, "suspect")));
        }
    }
    json_decref(concerns);
    return alleged;
}

/* "A", "A and B", "A, B and C" into out. */
static void
join_names(const struct pw__ep *e, char *out, size_t size)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    size_t n = json_array_size(e->children);
    size_t i;
    json_t *c;
    json_array_foreach(e->children, i, c)
    {
        if (i > 0) {
            pw_buf_adds(&b, i + 1 == n ? " and " : ", ");
        }
        pw_buf_adds(&b, json_string_value(json_object_get(c, "name")));
    }
    (void)snprintf(out, size, "%s", pw_buf_cstr(&b));
    pw_buf_release(&b);
}

enum pw_status
pw__ep_read(struct pw__page *pg, const char *id, struct pw__ep *out, struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    enum pw_status rc = pw__page_get(pg, "/api/episodes/", id, "", &out->episode, err);
    const json_t *children = json_object_get(out->episode, "children");
    if (rc == PW_OK && json_array_size(children) == 0) {
        rc = pw_fail(err, PW_ENOTFOUND, "the episode names no child");
    }
    if (rc == PW_OK) {
        out->first = json_string_value(json_array_get(children, 0));
        rc = pw__page_get(pg, "/api/children/", out->first, "/network", &out->network, err);
    }
    if (rc == PW_OK) {
        rc = pw__page_get(pg, "/api/children/", out->first, "/chronology", &out->chronology, err);
    }
    out->names = json_object();
    out->children = json_array();
    if (rc == PW_OK) {
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(out->network, "people"), i, p)
        {
            const char *person = json_string_value(json_object_get(p, "person"));
            const char *name = json_string_value(json_object_get(p, "name"));
            if (person != NULL && name != NULL && name[0] != '\0') {
                (void)json_object_set_new(out->names, person, json_string(name));
            }
        }
    }
    size_t i;
    json_t *c;
    json_array_foreach(children, i, c)
    {
        const char *child = json_string_value(c);
        if (rc == PW_OK && json_object_get(out->names, child) == NULL) {
            rc = summary_name(pg, child, out->names, err);
        }
        if (rc == PW_OK) {
            (void)json_array_append_new(out->children, json_pack("{s:s,s:s}", "id", child, "name",
                                                                 pw__ep_name(out, child)));
        }
    }
    if (rc != PW_OK) {
        pw__ep_release(out);
        return rc;
    }
    out->alleged = alleged_of(out->chronology, id);
    join_names(out, out->heading, sizeof(out->heading));
    return PW_OK;
}

/* ---- The date input ---- */

/* Parses 1 to max digits; -1 when empty, -2 when not a number. */
static int
number(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0) {
        return -1;
    }
    if (n > max) {
        return -2;
    }
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -2;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static const char *
part(const struct pw__form *f, const char *prefix, const char *which)
{
    char name[128];
    (void)snprintf(name, sizeof(name), "%s-%s", prefix, which);
    return pw__form_text(f, name);
}

enum pw__date_state
pw__ep_date(const struct pw__form *f, const char *prefix, int32_t *day)
{
    int d = number(part(f, prefix, "day"), 2);
    int m = number(part(f, prefix, "month"), 2);
    int y = number(part(f, prefix, "year"), 4);
    if (d == -1 && m == -1 && y == -1) {
        return PW__DATE_EMPTY;
    }
    if (d == -1 || m == -1 || y == -1) {
        return PW__DATE_PARTIAL;
    }
    if (d < 0 || m < 0 || y < 1000 || !pw_date_valid(y, m, d)) {
        return PW__DATE_UNREAL;
    }
    *day = pw_date_from_ymd(y, m, d);
    return PW__DATE_OK;
}

json_t *
pw__ep_date_typed(const struct pw__form *f, const char *prefix)
{
    return json_pack("{s:s,s:s,s:s}", "day", part(f, prefix, "day"), "month",
                     part(f, prefix, "month"), "year", part(f, prefix, "year"));
}

json_t *
pw__ep_date_parts(int32_t day)
{
    int y = 0;
    int m = 0;
    int d = 0;
    pw_date_to_ymd(day, &y, &m, &d);
    char ds[8];
    char ms[8];
    char ys[8];
    (void)snprintf(ds, sizeof(ds), "%d", d);
    (void)snprintf(ms, sizeof(ms), "%d", m);
    (void)snprintf(ys, sizeof(ys), "%d", y);
    return json_pack("{s:s,s:s,s:s}", "day", ds, "month", ms, "year", ys);
}

bool
pw__ep_date_check(struct pw__page *pg, const char *prefix, const char *what, bool future,
                  int32_t *day)
{
    char field[128];
    char msg[256];
    (void)snprintf(field, sizeof(field), "%s-day", prefix);
    msg[0] = '\0';
    switch (pw__ep_date(&pg->form, prefix, day)) {
    case PW__DATE_EMPTY:
        (void)snprintf(msg, sizeof(msg), "Enter %s", what);
        break;
    case PW__DATE_PARTIAL:
        (void)snprintf(msg, sizeof(msg), "%s must include a day, a month and a year", what);
        break;
    case PW__DATE_UNREAL:
        (void)snprintf(msg, sizeof(msg), "%s must be a real date, like 27 5 2025", what);
        break;
    case PW__DATE_OK:
        if (!future && *day > pw__page_today(pg)) {
            (void)snprintf(msg, sizeof(msg), "%s must be today or in the past", what);
        }
        break;
    }
    if (msg[0] != '\0') {
        pw__page_error(pg, field, msg);
        return false;
    }
    return true;
}

/* ---- Deadlines ---- */

json_t *
pw__ep_steps(const json_t *episode)
{
    json_t *rows = json_array();
    size_t i;
    json_t *st;
    json_array_foreach(json_object_get(episode, "steps"), i, st)
    {
        const char *status = json_string_value(json_object_get(st, "status"));
        status = status != NULL ? status : "";
        const char *tag = strcmp(status, "overdue") == 0    ? "govuk-tag--red"
                          : strcmp(status, "met") == 0      ? "govuk-tag--green"
                          : strcmp(status, "met_late") == 0 ? "govuk-tag--orange"
                          : strcmp(status, "due") == 0      ? "govuk-tag--blue"
                                                            : "govuk-tag--grey";
        bool open = strcmp(status, "overdue") == 0 || strcmp(status, "due") == 0;
        char name[128];
        char words[64];
        pw__words_code(json_string_value(json_object_get(st, "name")), name, sizeof(name));
        pw__words_code(status, words, sizeof(words));
        (void)json_array_append_new(
            rows, json_pack("{s:s,s:o,s:s,s:s,s:o,s:b}", "name", name, "due",
                            pw__words_date_json(json_string_value(json_object_get(st, "due"))),
                            "status", words, "tag", tag, "met",
                            pw__words_date_json(json_string_value(
                                json_object_get(json_object_get(st, "met"), "date"))),
                            "open", open));
    }
    return rows;
}

/* ---- A rule's block ---- */

void
pw__ep_block(struct pw__page *pg, const char *field, const struct pw_error *err, const char *what)
{
    /* err->msg: "R07 medical-considered: the strategy discussion records ..." */
    char id[16];
    size_t n = strcspn(err->msg, " ");
    (void)snprintf(id, sizeof(id), "%.*s", (int)(n < sizeof(id) ? n : sizeof(id) - 1), err->msg);
    const struct pw_rule_info *rule = pw_rules_find(id);
    const char *rest = strstr(err->msg, ": ");
    rest = rest != NULL ? rest + 2 : err->msg;
    if (rule == NULL) {
        pw__page_error(pg, field, err->msg);
        return;
    }
    char name[96];
    pw__words_code(rule->name, name, sizeof(name));
    if (name[0] >= 'A' && name[0] <= 'Z') {
        name[0] = (char)(name[0] - 'A' + 'a');
    }
    struct pw_buf b;
    pw_buf_init(&b, 0);
    pw_buf_addf(&b, "%s. Rule %s (%s) stops this being saved. Why it matters: %s",
                what != NULL ? what : rest, rule->id, name, rule->finding);
    if (b.len >= sizeof(err->msg)) {
        /* Too long for an error message: what is missing and the rule, without the why. */
        pw_buf_reset(&b);
        pw_buf_addf(&b, "%s (rule %s, %s)", what != NULL ? what : rest, rule->id, name);
    }
    pw__page_error(pg, field, pw_buf_cstr(&b));
    pw_buf_release(&b);
}

void
pw__ep_fact_id(char *out, size_t size)
{
    /* 64 random bits are plenty for one practitioner's save, and short enough to read. */
    char hex[PW_ID_RANDOM_TEXT];
    pw_id_random(hex, sizeof(hex), NULL);
    (void)snprintf(out, size, "web-%.16s", hex);
}
