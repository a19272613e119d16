/*
 * Record a plan for a child (a plan.made fact): its kind, the categories of abuse, each
 * sexual-abuse risk with how it is mitigated, what would bring the child back to children's
 * social care, and the parent or carer it relies on to protect, if any. The form says what the
 * rules will ask of it before anyone saves: sexual abuse as a category when signs are on record
 * (R16), the risks kept explicit in an early help plan (R15), a capacity-to-protect assessment
 * for a parent relied on (R13). Saved through POST /api/facts, so the API checks it again and
 * the rules run; then the child's alerts, where what it raised is.
 */
#include <stdio.h>
#include <string.h>

#include "core/id.h"
#include "core/time.h"
#include "web/csa_form.h"
#include "web/web_int.h"

static const struct {
    const char *value;
    const char *text;
} kinds[] = {
    { "child_protection", "Child protection plan" },
    { "child_in_need", "Child in need plan" },
    { "early_help", "Early help plan" },
    { "looked_after", "Care plan for a looked-after child" },
    { "safety", "Safety plan" },
};

static const struct {
    const char *value;
    const char *text;
} categories[] = {
    { "sexual", "Sexual abuse" },
    { "emotional", "Emotional abuse" },
    { "physical", "Physical abuse" },
    { "neglect", "Neglect" },
};

/* Relationships to the child that make someone a parent or carer a plan could rely on. */
static const char *const carer_kinds[] = { "parent", "step_parent", "foster_carer", "grandparent",
                                           NULL };

static bool
is_carer_kind(const char *kind)
{
    for (size_t i = 0; kind != NULL && carer_kinds[i] != NULL; i++) {
        if (strcmp(kind, carer_kinds[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* The child's parents and carers from the network, with names: [{value, text}]. */
static json_t *
carers_of(const struct pw__csa_child *r, const char *child)
{
    json_t *out = json_array();
    json_t *seen = json_object();
    size_t i;
    const json_t *rel;
    json_array_foreach(json_object_get(r->network, "relationships"), i, rel)
    {
        const char *from = json_string_value(json_object_get(rel, "from"));
        const char *to = json_string_value(json_object_get(rel, "to"));
        const char *kind = json_string_value(json_object_get(rel, "kind"));
        const char *name = from != NULL ? json_string_value(json_object_get(r->names, from)) : NULL;
        if (from == NULL || to == NULL || strcmp(to, child) != 0 || !is_carer_kind(kind) ||
            name == NULL || json_object_get(seen, from) != NULL) {
            continue;
        }
        (void)json_object_set_new(seen, from, json_true());
        char words[64];
        pw__words_code(kind, words, sizeof(words));
        for (char *c = words; *c != '\0'; c++) {
            if (*c >= 'A' && *c <= 'Z') {
                *c = (char)(*c - 'A' + 'a');
            }
        }
        char text[400];
        (void)snprintf(text, sizeof(text), "%s (%s)", name, words);
        (void)json_array_append_new(out, json_pack("{s:s,s:s}", "value", from, "text", text));
    }
    json_decref(seen);
    return out;
}

/* How many signs of sexual abuse the picture holds (restricted ones too). */
static size_t
signs_of(const struct pw__csa_child *r)
{
    return json_array_size(json_object_get(r->picture, "signs"));
}

static bool
form_has(const struct pw__form *f, const char *name, const char *value)
{
    for (size_t i = 0; f != NULL && i < f->n; i++) {
        if (strcmp(f->fields[i].name, name) == 0 && strcmp(f->fields[i].value, value) == 0) {
            return true;
        }
    }
    return false;
}

/* The form, with what was typed (form NULL: a new one). */
static void
plan_form(struct pw__page *pg, const struct pw__csa_child *r, const struct pw__form *form,
          const json_t *rows, size_t shown)
{
    const char *kind = form != NULL ? pw__form_text(form, "kind") : "";
    const char *parent = form != NULL ? pw__form_text(form, "relies_on_parent") : "";
    json_t *kind_items = json_array();
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        char id[64];
        (void)snprintf(id, sizeof(id), "kind%s%s", i == 0 ? "" : "-", i == 0 ? "" : kinds[i].value);
        (void)json_array_append_new(
            kind_items, json_pack("{s:s,s:s,s:s,s:b}", "id", id, "value", kinds[i].value, "text",
                                  kinds[i].text, "checked", strcmp(kind, kinds[i].value) == 0));
    }
    json_t *cat_items = json_array();
    for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++) {
        char id[64];
        (void)snprintf(id, sizeof(id), "categories%s%s", i == 0 ? "" : "-",
                       i == 0 ? "" : categories[i].value);
        (void)json_array_append_new(
            cat_items, json_pack("{s:s,s:s,s:s,s:b}", "id", id, "value", categories[i].value,
                                 "text", categories[i].text, "checked",
                                 form_has(form, "categories", categories[i].value)));
    }
    json_t *carers = carers_of(r, pg->ids[0]);
    size_t i;
    json_t *c;
    json_array_foreach(carers, i, c)
    {
        (void)json_object_set_new(
            c, "selected",
            json_boolean(strcmp(json_string_value(json_object_get(c, "value")), parent) == 0));
    }
    size_t signs = signs_of(r);
    char hint[512];
    if (signs > 0) {
        (void)snprintf(hint, sizeof(hint),
                       "%zu sign%s of sexual abuse %s on record for %s. Record sexual abuse as a "
                       "category when sexual-abuse signs or findings are on record, so that the "
                       "plan addresses it (rule R16).",
                       signs, signs == 1 ? "" : "s", signs == 1 ? "is" : "are", r->name);
    } else {
        (void)snprintf(hint, sizeof(hint),
                       "Select all that apply. Record sexual abuse as a category when "
                       "sexual-abuse signs or findings are on record (rule R16).");
    }
    char back[PW_ID_MAX * 3 + 32];
    pw__csa_child_path(pg->ids[0], "", back, sizeof(back));
    json_t *view_rows = pw__csa_rows_view(pg, rows, shown);
    json_t *data = json_object();
    (void)json_object_set_new(data, "child", json_string(pg->ids[0]));
    (void)json_object_set_new(data, "name", json_string(r->name));
    (void)json_object_set_new(data, "kinds", kind_items);
    (void)json_object_set_new(data, "categories", cat_items);
    (void)json_object_set_new(data, "category_hint", json_string(hint));
    (void)json_object_set_new(data, "signs", json_integer((json_int_t)signs));
    json_t *at = pw__csa_date_view(pg, form, "at");
    (void)json_object_set_new(at, "legend", json_string("When was the plan agreed?"));
    (void)json_object_set_new(data, "at", at);
    (void)json_object_set_new(data, "row_count",
                              json_integer((json_int_t)json_array_size(view_rows)));
    (void)json_object_set_new(data, "rows", view_rows);
    (void)json_object_set_new(data, "triggers",
                              json_string(form != NULL ? pw__form_text(form, "triggers") : ""));
    (void)json_object_set_new(data, "carers", carers);
    (void)json_object_set_new(data, "back", json_pack("{s:s,s:s}", "href", back, "text", "Back"));
    pw__page_render(pg, "plan", "Record a plan", data);
}

void
pw__page_plan(struct pw__page *pg)
{
    struct pw__csa_child r;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw__csa_read_child(pg, false, &r, &err);
    if (rc == PW_OK) {
        json_t *rows = json_array();
        plan_form(pg, &r, NULL, rows, PW__CSA_ROWS_MIN);
        json_decref(rows);
    } else {
        pw__page_api_fail(pg, rc, &err);
    }
    pw__csa_child_release(&r);
}

static bool
known(const char *value, size_t n_known, const char *const *values)
{
    for (size_t i = 0; i < n_known; i++) {
        if (strcmp(value, values[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Checks what was typed; the categories ticked into cats, the date into at. */
static void
check_form(struct pw__page *pg, const struct pw__csa_child *r, const json_t *rows,
           const json_t *lines, json_t *cats, char *at)
{
    const char *kind = pw__form_text(&pg->form, "kind");
    const char *kind_values[sizeof(kinds) / sizeof(kinds[0])];
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        kind_values[i] = kinds[i].value;
    }
    const char *cat_values[sizeof(categories) / sizeof(categories[0])];
    for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++) {
        cat_values[i] = categories[i].value;
    }
    if (!known(kind, sizeof(kinds) / sizeof(kinds[0]), kind_values)) {
        pw__page_error(pg, "kind", "Select what kind of plan this is");
    }
    (void)pw__csa_date_read(pg, "at", "The date the plan was agreed", at);
    bool bad_category = false;
    for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++) {
        if (form_has(&pg->form, "categories", categories[i].value)) {
            (void)json_array_append_new(cats, json_string(categories[i].value));
        }
    }
    for (size_t i = 0; i < pg->form.n; i++) {
        if (strcmp(pg->form.fields[i].name, "categories") == 0 &&
            !known(pg->form.fields[i].value, sizeof(categories) / sizeof(categories[0]),
                   cat_values)) {
            bad_category = true;
        }
    }
    if (bad_category) {
        pw__page_error(pg, "categories", "Select categories from the list");
    } else if (strcmp(kind, "child_protection") == 0 && json_array_size(cats) == 0) {
        pw__page_error(pg, "categories",
                       "Select at least one category of abuse for a child protection plan");
    }
    pw__csa_rows_check(pg, rows);
    pw__csa_lines_check(pg, "triggers", "the re-referral triggers", lines);
    const char *parent = pw__form_text(&pg->form, "relies_on_parent");
    if (parent[0] != '\0') {
        json_t *carers = carers_of(r, pg->ids[0]);
        bool found = false;
        size_t i;
        json_t *c;
        json_array_foreach(carers, i, c)
        {
            found = found || strcmp(json_string_value(json_object_get(c, "value")), parent) == 0;
        }
        json_decref(carers);
        if (!found) {
            pw__page_error(pg, "relies_on_parent", "Select a parent or carer from the list, or No");
        }
    }
}

static json_t *
plan_fact(const struct pw__page *pg, const char *at, const json_t *rows, json_t *lines,
          json_t *cats)
{
    char id[PW_ID_RANDOM_TEXT + 8];
    pw_id_random(id, sizeof(id), "web-");
    json_t *fact = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", "plan.made", "id", id, "at", at,
                             "agency", pg->p->user->agency, "child", pg->ids[0], "kind",
                             pw__form_text(&pg->form, "kind"));
    if (json_array_size(cats) > 0) {
        (void)json_object_set(fact, "categories", cats);
    }
    if (pw__csa_rows_filled(rows) > 0) {
        (void)json_object_set_new(fact, "csa_risks", pw__csa_rows_fact(rows));
    }
    if (json_array_size(lines) > 0) {
        (void)json_object_set(fact, "re_referral_triggers", lines);
    }
    const char *parent = pw__form_text(&pg->form, "relies_on_parent");
    if (parent[0] != '\0') {
        (void)json_object_set_new(fact, "relies_on_parent", json_string(parent));
    }
    return fact;
}

/* Checks what was typed and saves it; or shows the form again with what is wrong. */
static void
plan_save(struct pw__page *pg, const struct pw__csa_child *r, const json_t *rows, json_t *lines,
          size_t shown)
{
    json_t *cats = json_array();
    char at[PW_DATE_TEXT_MAX] = "";
    check_form(pg, r, rows, lines, cats, at);
    if (pg->errors != NULL) {
        pg->resp->status = 400;
        plan_form(pg, r, &pg->form, rows, shown);
        json_decref(cats);
        return;
    }
    json_t *fact = plan_fact(pg, at, rows, lines, cats);
    json_decref(cats);
    json_t *answer = NULL;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw__page_api(pg, "POST", "/api/facts", fact, &answer, &err);
    json_decref(fact);
    json_decref(answer);
    const struct pw__csa_refusal refusal = {
        .name = r->name,
        .record = "early help plan",
        .rows = rows,
        .lines = lines,
        .names = r->names,
        .first = "kind",
        .record_id = NULL,
    };
    if (rc == PW_OK) {
        pw__page_redirect_child(pg, pg->ids[0], "#alerts");
    } else if (pw__csa_refused(pg, rc, &err, &refusal)) {
        pg->resp->status = rc == PW_EBLOCKED ? 422 : 400;
        plan_form(pg, r, &pg->form, rows, shown);
    } else {
        pw__page_api_fail(pg, rc, &err);
    }
}

void
pw__page_plan_post(struct pw__page *pg)
{
    struct pw__csa_child r;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw__csa_read_child(pg, false, &r, &err);
    if (rc != PW_OK) {
        pw__page_api_fail(pg, rc, &err);
        pw__csa_child_release(&r);
        return;
    }
    json_t *rows = pw__csa_rows_read(&pg->form);
    json_t *lines = pw__csa_lines(pw__form_text(&pg->form, "triggers"));
    size_t shown = pw__csa_rows_shown(&pg->form);
    if (strcmp(pw__form_text(&pg->form, "action"), "add-risk") == 0) {
        /* One more row, nothing checked or saved: "add another" without script. */
        plan_form(pg, &r, &pg->form, rows, shown + 1);
    } else {
        plan_save(pg, &r, rows, lines, shown);
    }
    json_decref(rows);
    json_decref(lines);
    pw__csa_child_release(&r);
}
