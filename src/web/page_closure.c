/*
 * Step down or close a child's case (a case.closed fact, and for a step-down to early help the
 * early help plan with it, both or neither). The page first says what the record holds about
 * sexual abuse for the child: the signs and concerns, an investigation that ended with no
 * further police action at this time or an enquiry that concluded and whether the multi-agency
 * discussion has been held since (rule R08 blocks the closure until it is), and what the
 * closing record must therefore name (rule R15). The risks and triggers of the child's latest
 * plan fill the form to start with, so keeping them explicit is the easy path. "Check before
 * saving" asks POST /api/facts?trial=1 what saving would raise, answer or be refused by;
 * "Save" records. Refusals are said in words beside the box to fill in, with everything typed
 * kept.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/id.h"
#include "core/time.h"
#include "model/model.h"
#include "web/csa_form.h"
#include "web/web_int.h"

static const char *
str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static bool
same(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static bool
has_string(const json_t *list, const char *s)
{
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v)
    {
        if (same(json_string_value(v), s)) {
            return true;
        }
    }
    return false;
}

/* The chronology's fact with this id, or NULL. */
static const json_t *
fact_by_id(const struct pw__csa_child *r, const char *id)
{
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(r->chronology, "facts"), i, f)
    {
        if (same(str(f, "id"), id)) {
            return f;
        }
    }
    return NULL;
}

/* The child's latest current plan naming sexual-abuse risks or re-referral triggers, or NULL. */
static const json_t *
latest_plan(const struct pw__csa_child *r, const char *child)
{
    const json_t *found = NULL;
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(r->chronology, "facts"), i, f)
    {
        if (same(str(f, "type"), "plan.made") && same(str(f, "child"), child) &&
            !json_is_string(json_object_get(f, "superseded_by")) &&
            (json_array_size(json_object_get(f, "csa_risks")) > 0 ||
             json_array_size(json_object_get(f, "re_referral_triggers")) > 0)) {
            found = f;
        }
    }
    return found;
}

static bool
live(const json_t *alert)
{
    const char *st = str(alert, "status");
    return same(st, "open") || same(st, "overdue");
}

/* One R08 alert in words: what ended, when, and whether the discussion has been held. */
static void
r08_words(const struct pw__csa_child *r, const json_t *alert, struct pw_buf *out)
{
    const json_t *because = json_array_get(json_object_get(alert, "because"), 0);
    const json_t *f = fact_by_id(r, json_string_value(because));
    const char *message = str(alert, "message");
    bool police = f != NULL ? same(str(f, "type"), "investigation.updated")
                            : message != NULL && strncmp(message, "The police", 10) == 0;
    char when[64];
    pw__words_date(f != NULL ? str(f, "at") : str(alert, "raised_on"), when, sizeof(when));
    const char *episode = f != NULL ? str(f, "episode") : NULL;
    if (police) {
        pw_buf_addf(out,
                    "the police investigation%s%s ended with no further police action at this "
                    "time on %s",
                    episode != NULL ? " in episode " : "", episode != NULL ? episode : "", when);
    } else {
        pw_buf_addf(out, "the section 47 enquiry%s%s concluded on %s",
                    episode != NULL ? " in episode " : "", episode != NULL ? episode : "", when);
    }
    if (live(alert)) {
        pw_buf_adds(out, "; a multi-agency discussion is still required (R08)");
    } else {
        char held[64];
        pw__words_date(str(alert, "resolved_on"), held, sizeof(held));
        pw_buf_addf(out, "; a multi-agency discussion was held on %s", held);
    }
}

/* What the record says about sexual abuse for the child, for the top of the page. */
static json_t *
record_view(const struct pw__csa_child *r, const char *child)
{
    const json_t *signs = json_object_get(r->picture, "signs");
    size_t nsigns = json_array_size(signs);
    const char *latest = NULL;
    size_t i;
    const json_t *v;
    json_array_foreach(signs, i, v)
    {
        const char *seen = str(v, "observed");
        if (seen != NULL && (latest == NULL || strcmp(seen, latest) > 0)) {
            latest = seen;
        }
    }
    size_t concerns = 0;
    json_array_foreach(json_object_get(r->chronology, "facts"), i, v)
    {
        if (same(str(v, "type"), "concern.raised") &&
            (has_string(json_object_get(v, "children"), child) ||
             has_string(json_object_get(v, "alleged"), child))) {
            concerns++;
        }
    }
    struct pw_buf parts;
    pw_buf_init(&parts, 0);
    if (nsigns > 0) {
        char when[64];
        pw__words_date(latest, when, sizeof(when));
        pw_buf_addf(&parts, "%zu sign%s recorded%s%s", nsigns, nsigns == 1 ? "" : "s",
                    latest != NULL ? ", the latest seen on " : "", latest != NULL ? when : "");
    }
    if (concerns > 0) {
        pw_buf_addf(&parts, "%s%zu concern%s raised", parts.len > 0 ? "; " : "", concerns,
                    concerns == 1 ? "" : "s");
    }
    bool blocked = false;
    json_t *cards = json_array();
    json_array_foreach(json_object_get(r->alerts, "alerts"), i, v)
    {
        const char *rule = str(v, "rule");
        if (same(rule, "R08")) {
            pw_buf_adds(&parts, parts.len > 0 ? "; " : "");
            r08_words(r, v, &parts);
            blocked = blocked || live(v);
        }
        if ((same(rule, "R08") || same(rule, "R15")) && live(v)) {
            (void)json_array_append_new(cards, pw__alert_card(v, r->names));
        }
    }
    bool concern = nsigns > 0 || concerns > 0;
    struct pw_buf text;
    pw_buf_init(&text, 0);
    if (concern) {
        pw_buf_addf(&text, "Sexual abuse has been a concern for %s: %s.", r->name,
                    pw_buf_cstr(&parts));
    } else if (parts.len > 0) {
        pw_buf_addf(&text, "For %s, %s.", r->name, pw_buf_cstr(&parts));
    } else {
        pw_buf_addf(&text, "No signs of sexual abuse and no concerns are on record for %s.",
                    r->name);
    }
    json_t *out = json_pack("{s:s,s:b,s:b,s:o}", "sentence", pw_buf_cstr(&text), "concern", concern,
                            "blocked", blocked, "alerts", cards);
    pw_buf_release(&parts);
    pw_buf_release(&text);
    const json_t *plan = latest_plan(r, child);
    if (plan != NULL) {
        char kind[128];
        pw__words_code(str(plan, "kind"), kind, sizeof(kind));
        for (char *c = kind + 1; *c != '\0'; c++) {
            if (*c >= 'A' && *c <= 'Z') {
                *c = (char)(*c - 'A' + 'a');
            }
        }
        const json_t *risks = json_object_get(plan, "csa_risks");
        const json_t *lines = json_object_get(plan, "re_referral_triggers");
        (void)json_object_set_new(
            out, "plan",
            json_pack("{s:s,s:o,s:o,s:o}", "kind", kind, "date",
                      pw__words_date_json(str(plan, "at")), "risks",
                      risks != NULL ? json_incref((json_t *)(uintptr_t)risks) : json_array(),
                      "triggers",
                      lines != NULL ? json_incref((json_t *)(uintptr_t)lines) : json_array()));
    }
    return out;
}

/* The plan's risks as form rows, and its triggers one a line: the form's first contents. */
static json_t *
plan_rows(const json_t *record, struct pw_buf *triggers)
{
    json_t *rows = json_array();
    const json_t *plan = json_object_get(record, "plan");
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(plan, "risks"), i, v)
    {
        const char *risk = str(v, "risk");
        const char *mitigation = str(v, "mitigation");
        (void)json_array_append_new(rows,
                                    json_pack("{s:s,s:s}", "risk", risk != NULL ? risk : "",
                                              "mitigation", mitigation != NULL ? mitigation : ""));
    }
    json_array_foreach(json_object_get(plan, "triggers"), i, v)
    {
        pw_buf_addf(triggers, "%s%s", i > 0 ? "\n" : "", json_string_value(v));
    }
    return rows;
}

/* What the page shows besides the form's boxes. */
struct closure_view {
    json_t *record;      /* record_view's */
    const char *prefill; /* a sentence saying the form was filled from the plan, or NULL */
    json_t *check;       /* a trial's result in words, or NULL */
};

static void
closure_form(struct pw__page *pg, const struct pw__csa_child *r, const struct closure_view *v,
             const struct pw__form *form, const json_t *rows, size_t shown, const char *triggers)
{
    const char *outcome = form != NULL ? pw__form_text(form, "outcome") : "";
    bool plan_too = form == NULL || strcmp(pw__form_text(form, "early_help_plan"), "yes") == 0;
    char back[PW_ID_MAX * 3 + 32];
    pw__csa_child_path(pg->ids[0], "", back, sizeof(back));
    json_t *view_rows = pw__csa_rows_view(pg, rows, shown);
    json_t *data = json_object();
    (void)json_object_set_new(data, "child", json_string(pg->ids[0]));
    (void)json_object_set_new(data, "name", json_string(r->name));
    (void)json_object_set(data, "record", v->record);
    (void)json_object_set_new(data, "prefill",
                              v->prefill != NULL ? json_string(v->prefill) : json_null());
    (void)json_object_set(data, "check", v->check != NULL ? v->check : json_null());
    (void)json_object_set_new(data, "step_down", json_boolean(strcmp(outcome, "step_down") == 0));
    (void)json_object_set_new(data, "close", json_boolean(strcmp(outcome, "close") == 0));
    (void)json_object_set_new(data, "early_help_plan", json_boolean(plan_too));
    json_t *at = pw__csa_date_view(pg, form, "at");
    (void)json_object_set_new(at, "legend", json_string("When was this decided?"));
    (void)json_object_set_new(data, "at", at);
    (void)json_object_set_new(data, "rationale",
                              json_string(form != NULL ? pw__form_text(form, "rationale") : ""));
    (void)json_object_set_new(
        data, "decided_by",
        json_string(form != NULL ? pw__form_text(form, "decided_by") : pg->p->user->id));
    (void)json_object_set_new(data, "user_id", json_string(pg->p->user->id));
    (void)json_object_set_new(data, "user_name", json_string(pg->p->user->name));
    (void)json_object_set_new(data, "row_count",
                              json_integer((json_int_t)json_array_size(view_rows)));
    (void)json_object_set_new(data, "rows", view_rows);
    (void)json_object_set_new(data, "triggers", json_string(triggers));
    (void)json_object_set_new(data, "back", json_pack("{s:s,s:s}", "href", back, "text", "Back"));
    char title[320];
    (void)snprintf(title, sizeof(title), "Step down or close %s's case", r->name);
    pw__page_render(pg, "closure", title, data);
}

void
pw__page_closure(struct pw__page *pg)
{
    struct pw__csa_child r;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw__csa_read_child(pg, true, &r, &err);
    if (rc != PW_OK) {
        pw__page_api_fail(pg, rc, &err);
        pw__csa_child_release(&r);
        return;
    }
    struct closure_view v = { record_view(&r, pg->ids[0]), NULL, NULL };
    struct pw_buf triggers;
    pw_buf_init(&triggers, 0);
    json_t *rows = plan_rows(v.record, &triggers);
    char prefill[512];
    const json_t *plan = json_object_get(v.record, "plan");
    if (plan != NULL) {
        (void)snprintf(prefill, sizeof(prefill),
                       "The risks and re-referral triggers below are from the %s plan of %s. "
                       "Check each one is still right, and change or add to them.",
                       str(plan, "kind"), str(plan, "date"));
        v.prefill = prefill;
    }
    closure_form(pg, &r, &v, NULL, rows, PW__CSA_ROWS_MIN, pw_buf_cstr(&triggers));
    json_decref(rows);
    pw_buf_release(&triggers);
    json_decref(v.record);
    pw__csa_child_release(&r);
}

/* Checks what was typed; the date into at. */
static void
check_form(struct pw__page *pg, const struct pw__csa_child *r, const json_t *rows,
           const json_t *lines, char *at)
{
    const char *outcome = pw__form_text(&pg->form, "outcome");
    if (strcmp(outcome, "step_down") != 0 && strcmp(outcome, "close") != 0) {
        char msg[400];
        (void)snprintf(msg, sizeof(msg),
                       "Select whether %s is stepping down to early help or the case is closing",
                       r->name);
        pw__page_error(pg, "outcome", msg);
    }
    (void)pw__csa_date_read(pg, "at", "The date of the decision", at);
    const char *rationale = pw__form_text(&pg->form, "rationale");
    if (rationale[0] == '\0') {
        char msg[400];
        (void)snprintf(msg, sizeof(msg), "Say why %s's case is stepping down or closing", r->name);
        pw__page_error(pg, "rationale", msg);
    } else if (strlen(rationale) > 60000) {
        pw__page_error(pg, "rationale", "The reason must be 60,000 characters or fewer");
    }
    const char *decider = pw__form_text(&pg->form, "decided_by");
    if (!pw_id_valid(decider, strlen(decider))) {
        pw__page_error(pg, "decided_by",
                       "Enter the Pathway user name of the person who made the decision, for "
                       "example the team manager's");
    }
    pw__csa_rows_check(pg, rows);
    pw__csa_lines_check(pg, "triggers", "the re-referral triggers", lines);
}

/* The facts to send: the closing record, and the early help plan for a step-down with it. */
static json_t *
closure_facts(const struct pw__page *pg, const char *at, const json_t *rows, json_t *lines,
              bool plan_too)
{
    char id[PW_ID_RANDOM_TEXT + 8];
    pw_id_random(id, sizeof(id), "web-");
    json_t *closed = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "type", "case.closed", "id", id,
                               "at", at, "agency", pg->p->user->agency, "child", pg->ids[0],
                               "rationale", pw__form_text(&pg->form, "rationale"), "decided_by",
                               pw__form_text(&pg->form, "decided_by"));
    json_t *facts = json_array();
    (void)json_array_append_new(facts, closed);
    if (plan_too) {
        pw_id_random(id, sizeof(id), "web-");
        (void)json_array_append_new(facts,
                                    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", "plan.made",
                                              "id", id, "at", at, "agency", pg->p->user->agency,
                                              "child", pg->ids[0], "kind", "early_help"));
    }
    size_t i;
    json_t *f;
    json_array_foreach(facts, i, f)
    {
        if (pw__csa_rows_filled(rows) > 0) {
            (void)json_object_set_new(f, "csa_risks", pw__csa_rows_fact(rows));
        }
        if (json_array_size(lines) > 0) {
            (void)json_object_set(f, "re_referral_triggers", lines);
        }
    }
    return facts;
}

/* A trial's answer in words for the banner: what saving records, raises and answers. The
 * facts tried are named "you are saving" in the alerts' words, not by their new ids. */
static json_t *
check_view(const struct pw__csa_child *r, const json_t *answer, const json_t *facts, bool plan_too)
{
    json_t *names = json_deep_copy(r->names);
    size_t i;
    const json_t *f;
    json_array_foreach(facts, i, f)
    {
        (void)json_object_set_new(names, str(f, "id"), json_string("you are saving"));
    }
    char what[512];
    (void)snprintf(what, sizeof(what), "Nothing blocks this. Saving will record %s's %s.", r->name,
                   plan_too ? "closing record and early help plan" : "closing record");
    json_t *out = json_pack("{s:s,s:o,s:o}", "what", what, "raised",
                            pw__csa_cards(json_object_get(answer, "raised"), names), "answered",
                            pw__csa_cards(json_object_get(answer, "answered"), names));
    json_decref(names);
    return out;
}

/* Checks and then tries (trial) or records the facts; shows the form again unless saved. */
static void
closure_send(struct pw__page *pg, const struct pw__csa_child *r, struct closure_view *v,
             const json_t *rows, json_t *lines, size_t shown, bool trial)
{
    const char *outcome = pw__form_text(&pg->form, "outcome");
    bool plan_too = strcmp(outcome, "step_down") == 0 &&
                    strcmp(pw__form_text(&pg->form, "early_help_plan"), "yes") == 0;
    const char *triggers = pw__form_text(&pg->form, "triggers");
    char at[PW_DATE_TEXT_MAX] = "";
    check_form(pg, r, rows, lines, at);
    if (pg->errors != NULL) {
        pg->resp->status = 400;
        closure_form(pg, r, v, &pg->form, rows, shown, triggers);
        return;
    }
    json_t *facts = closure_facts(pg, at, rows, lines, plan_too);
    json_t *answer = NULL;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc =
        pw__page_api(pg, "POST", trial ? "/api/facts?trial=1" : "/api/facts", facts, &answer, &err);
    const struct pw__csa_refusal refusal = {
        .name = r->name,
        .record = plan_too ? "closing record and the early help plan" : "closing record",
        .rows = rows,
        .lines = lines,
        .names = r->names,
        .first = "outcome",
        .record_id = "record",
    };
    if (rc == PW_OK && !trial) {
        pw__page_redirect_child(pg, pg->ids[0], "");
    } else if (rc == PW_OK) {
        v->check = check_view(r, answer, facts, plan_too);
        closure_form(pg, r, v, &pg->form, rows, shown, triggers);
    } else if (pw__csa_refused(pg, rc, &err, &refusal)) {
        pg->resp->status = rc == PW_EBLOCKED ? 422 : 400;
        closure_form(pg, r, v, &pg->form, rows, shown, triggers);
    } else {
        pw__page_api_fail(pg, rc, &err);
    }
    json_decref(facts);
    json_decref(answer);
}

void
pw__page_closure_post(struct pw__page *pg)
{
    struct pw__csa_child r;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw__csa_read_child(pg, true, &r, &err);
    if (rc != PW_OK) {
        pw__page_api_fail(pg, rc, &err);
        pw__csa_child_release(&r);
        return;
    }
    struct closure_view v = { record_view(&r, pg->ids[0]), NULL, NULL };
    json_t *rows = pw__csa_rows_read(&pg->form);
    json_t *lines = pw__csa_lines(pw__form_text(&pg->form, "triggers"));
    size_t shown = pw__csa_rows_shown(&pg->form);
    const char *action = pw__form_text(&pg->form, "action");
    if (strcmp(action, "add-risk") == 0) {
        /* One more row, nothing checked or saved: "add another" without script. */
        closure_form(pg, &r, &v, &pg->form, rows, shown + 1, pw__form_text(&pg->form, "triggers"));
    } else {
        /* Only "Save" records: a form sent any other way is checked. */
        closure_send(pg, &r, &v, rows, lines, shown, strcmp(action, "save") != 0);
    }
    json_decref(v.check);
    json_decref(v.record);
    json_decref(rows);
    json_decref(lines);
    pw__csa_child_release(&r);
}
