/*
 * The strategy discussion (GET/POST /episodes/{id}/strategy): records a strategy.held for the
 * episode's children: when it was held, who attended for each agency (health with or without
 * child sexual abuse expertise), the decisions (s47 enquiry, joint enquiry, police
 * investigation), the child protection medical (arranged, saying where and when, or not
 * needed, saying why) and the actions agreed. "Check before saving" sends the fact to POST
 * /api/facts?trial=1 and shows the form again, everything kept, with what saving would raise and
 * answer (an absent health representative is rule R06's alert) or, when a rule refuses it (R07: no
 * medical decision), what is missing and why it matters. "Save" records it and goes to the
 * first child's pathway.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/time.h"
#include "web/episode_form.h"

/* The agencies asked about, in the order a chair would go round the table. */
static const struct {
    const char *code;
    const char *hint;
} agencies[] = {
    { "csc", "Required: a local authority social worker." },
    { "police", "Required." },
    { "health", "Required: a health practitioner with clinical experience of assessing child "
                "sexual abuse, or who has consulted someone who has." },
    { "probation", "Needed when an alleged perpetrator is known to probation." },
    { "education", "Needed when the child attends a school or early-years setting." },
    { "yjs", NULL },
    { "other", "For example the referrer, or the sexual assault referral centre." },
};
#define AGENCIES (sizeof(agencies) / sizeof(agencies[0]))

/* Who may own an action: the agencies of a strategy discussion. */
static const char *const owners[] = { "csc",       "police", "health", "probation",
                                      "education", "yjs",    "other" };
#define OWNERS (sizeof(owners) / sizeof(owners[0]))

#define ACTION_ROWS_MIN 3
#define ACTION_ROWS_MAX 40

/* True when the form holds name=value among its repeated fields. */
static bool
form_has(const struct pw__form *f, const char *name, const char *value)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->fields[i].name, name) == 0 && strcmp(f->fields[i].value, value) == 0) {
            return true;
        }
    }
    return false;
}

/* The field "what-code" ("role-police"), or "". */
static const char *
agency_field(const struct pw__form *f, const char *what, const char *code)
{
    char name[96];
    (void)snprintf(name, sizeof(name), "%s-%s", what, code);
    return pw__form_text(f, name);
}

/* The field of action row n: "what-n" and suffix ("due-2-day"), or "". */
static const char *
row_field(const struct pw__form *f, const char *what, size_t n, const char *suffix)
{
    char name[96];
    (void)snprintf(name, sizeof(name), "%s-%zu%s", what, n, suffix);
    return pw__form_text(f, name);
}

/* The action row n (1-based) as typed: true when any part of it is filled in. */
static bool
action_filled(const struct pw__form *f, size_t n)
{
    return row_field(f, "action", n, "")[0] != '\0' || row_field(f, "owner", n, "")[0] != '\0' ||
           row_field(f, "due", n, "-day")[0] != '\0' ||
           row_field(f, "due", n, "-month")[0] != '\0' ||
           row_field(f, "due", n, "-year")[0] != '\0';
}

/* The last action row filled in (0 when none). */
static size_t
actions_last(const struct pw__form *f)
{
    size_t last = 0;
    for (size_t n = 1; n <= ACTION_ROWS_MAX; n++) {
        if (action_filled(f, n)) {
            last = n;
        }
    }
    return last;
}

static json_t *
error_of(const struct pw__page *pg, const char *field)
{
    json_t *e = json_object_get(pg->field_errors, field);
    return e != NULL ? json_incref(e) : json_null();
}

/* The yes/no radios of a decision: {yes, no, error}. */
static json_t *
yes_no(const struct pw__page *pg, const char *name)
{
    const char *v = pw__form_text(&pg->form, name);
    return json_pack("{s:b,s:b,s:o}", "yes", strcmp(v, "yes") == 0, "no", strcmp(v, "no") == 0,
                     "error", error_of(pg, name));
}

static json_t *
agency_rows(const struct pw__page *pg, bool posted, bool *any_error)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < AGENCIES; i++) {
        const char *code = agencies[i].code;
        char id[64];
        (void)snprintf(id, sizeof(id), "attended-%s", code);
        json_t *o = json_pack(
            "{s:s,s:s,s:s,s:b,s:s,s:s,s:b,s:b,s:o}", "code", code, "label", pw__words_agency(code),
            "id", id, "checked", posted && form_has(&pg->form, "attended", code), "role",
            agency_field(&pg->form, "role", code), "name", agency_field(&pg->form, "name", code),
            "health", strcmp(code, "health") == 0, "csa",
            form_has(&pg->form, "csa_expertise", "yes"), "error", error_of(pg, id));
        *any_error = *any_error || json_object_get(pg->field_errors, id) != NULL;
        if (agencies[i].hint != NULL) {
            (void)json_object_set_new(o, "hint", json_string(agencies[i].hint));
        }
        (void)json_array_append_new(rows, o);
    }
    return rows;
}

static json_t *
action_rows(const struct pw__page *pg)
{
    size_t last = actions_last(&pg->form);
    size_t rows_n = last + 1 < ACTION_ROWS_MIN ? ACTION_ROWS_MIN : last + 1;
    rows_n = rows_n > ACTION_ROWS_MAX ? ACTION_ROWS_MAX : rows_n;
    json_t *rows = json_array();
    for (size_t n = 1; n <= rows_n; n++) {
        const char *owner = row_field(&pg->form, "owner", n, "");
        json_t *opts = json_array();
        for (size_t k = 0; k < OWNERS; k++) {
            (void)json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "code", owners[k], "label",
                                                        pw__words_agency(owners[k]), "selected",
                                                        strcmp(owner, owners[k]) == 0));
        }
        char action_id[32];
        char due_id[32];
        char prefix[32];
        (void)snprintf(action_id, sizeof(action_id), "action-%zu", n);
        (void)snprintf(due_id, sizeof(due_id), "due-%zu-day", n);
        (void)snprintf(prefix, sizeof(prefix), "due-%zu", n);
        (void)json_array_append_new(
            rows, json_pack("{s:I,s:s,s:o,s:o,s:o,s:o}", "n", (json_int_t)n, "action",
                            pw__form_text(&pg->form, action_id), "owners", opts, "due",
                            pw__ep_date_typed(&pg->form, prefix), "action_error",
                            error_of(pg, action_id), "due_error", error_of(pg, due_id)));
    }
    return rows;
}

static json_t *
children_rows(const struct pw__page *pg, const struct pw__ep *ep, bool posted)
{
    json_t *rows = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(ep->children, i, c)
    {
        const char *id = json_string_value(json_object_get(c, "id"));
        char input[32];
        (void)snprintf(input, sizeof(input), i == 0 ? "children" : "children-%zu", i + 1);
        (void)json_array_append_new(rows,
                                    json_pack("{s:s,s:O,s:s,s:b}", "id", id, "name",
                                              json_object_get(c, "name"), "input", input, "checked",
                                              !posted || form_has(&pg->form, "children", id)));
    }
    return rows;
}

/* The people alleged in the episode, by name, for the hint about probation. */
static json_t *
alleged_words(const struct pw__ep *ep)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    size_t i;
    json_t *p;
    json_array_foreach(ep->alleged, i, p)
    {
        pw_buf_adds(&b, i > 0 ? "; " : "");
        pw_buf_adds(&b, pw__ep_name(ep, json_string_value(p)));
    }
    json_t *out = b.len > 0 ? json_stringn(pw_buf_cstr(&b), b.len) : json_null();
    pw_buf_release(&b);
    return out;
}

/*
 * The form, as typed when posted (everything put back), or fresh: every child chosen, held
 * today. check is the trial's answer to show ("what saving would raise"), or NULL.
 */
/* The trial's alerts as cards, each naming its child, the fact being checked named in words
 * rather than by the id it would be saved under. */
static json_t *
check_cards(const json_t *alerts, const struct pw__ep *ep, const char *fact_id)
{
    json_t *names = json_deep_copy(ep->names);
    if (fact_id != NULL) {
        (void)json_object_set_new(names, fact_id, json_string("(this one, not saved yet)"));
    }
    json_t *cards = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(alerts, i, a)
    {
        json_t *card = pw__alert_card(a, names);
        (void)json_object_set_new(card, "child_link", json_true());
        (void)json_array_append_new(cards, card);
    }
    json_decref(names);
    return cards;
}

static void
render(struct pw__page *pg, const char *episode, const struct pw__ep *ep, bool posted,
       const json_t *check, const char *fact_id)
{
    const char *medical = pw__form_text(&pg->form, "medical");
    char back[PW_ID_MAX + 48];
    char stage[128];
    char title[600];
    (void)snprintf(back, sizeof(back), "/children/%s#pathway", ep->first);
    pw__words_code(json_string_value(json_object_get(ep->episode, "stage")), stage, sizeof(stage));
    (void)snprintf(title, sizeof(title), "Strategy discussion for %s", ep->heading);
    json_t *data = json_object();
    (void)json_object_set_new(data, "episode", json_string(episode));
    (void)json_object_set_new(data, "heading", json_string(title));
    (void)json_object_set_new(data, "stage", json_string(stage));
    (void)json_object_set_new(data, "back", json_pack("{s:s,s:s}", "href", back, "text", "Back"));
    (void)json_object_set_new(data, "children", children_rows(pg, ep, posted));
    (void)json_object_set_new(data, "several", json_boolean(json_array_size(ep->children) > 1));
    (void)json_object_set_new(data, "children_error", error_of(pg, "children"));
    (void)json_object_set_new(data, "held",
                              posted ? pw__ep_date_typed(&pg->form, "held")
                                     : pw__ep_date_parts(pw__page_today(pg)));
    (void)json_object_set_new(data, "held_error", error_of(pg, "held-day"));
    bool attendees_error = false;
    (void)json_object_set_new(data, "agencies", agency_rows(pg, posted, &attendees_error));
    (void)json_object_set_new(data, "attendees_error", json_boolean(attendees_error));
    (void)json_object_set_new(data, "alleged", alleged_words(ep));
    (void)json_object_set_new(data, "s47", yes_no(pg, "s47"));
    (void)json_object_set_new(data, "joint", yes_no(pg, "joint_enquiry"));
    (void)json_object_set_new(data, "police", yes_no(pg, "police_investigation"));
    (void)json_object_set_new(
        data, "medical",
        json_pack("{s:b,s:b,s:s,s:o,s:o}", "arranged", strcmp(medical, "arranged") == 0,
                  "not_needed", strcmp(medical, "not_needed") == 0, "reason",
                  pw__form_text(&pg->form, "medical-reason"), "error", error_of(pg, "medical"),
                  "reason_error", error_of(pg, "medical-reason")));
    (void)json_object_set_new(data, "actions", action_rows(pg));
    if (check != NULL) {
        json_t *raised = check_cards(json_object_get(check, "raised"), ep, fact_id);
        json_t *answered = check_cards(json_object_get(check, "answered"), ep, fact_id);
        size_t nr = json_array_size(raised);
        size_t na = json_array_size(answered);
        char raised_words[96];
        char answered_words[96];
        if (nr == 0) {
            (void)snprintf(raised_words, sizeof(raised_words), "Saving this will raise no alerts.");
        } else {
            (void)snprintf(raised_words, sizeof(raised_words),
                           "Saving this will raise %zu alert%s:", nr, nr == 1 ? "" : "s");
        }
        (void)snprintf(answered_words, sizeof(answered_words), "It will answer %zu alert%s:", na,
                       na == 1 ? "" : "s");
        (void)json_object_set_new(data, "check",
                                  json_pack("{s:o,s:o,s:s,s:s}", "raised", raised, "answered",
                                            answered, "raised_words", raised_words,
                                            "answered_words", answered_words));
    }
    pw__page_render(pg, "strategy", title, data);
}

/* The attendees ticked, each with what was typed for them; errors for what does not fit. */
static json_t *
attendees_of(struct pw__page *pg)
{
    json_t *list = json_array();
    for (size_t i = 0; i < AGENCIES; i++) {
        const char *code = agencies[i].code;
        const char *role = agency_field(&pg->form, "role", code);
        const char *name = agency_field(&pg->form, "name", code);
        bool health = strcmp(code, "health") == 0;
        bool csa = health && form_has(&pg->form, "csa_expertise", "yes");
        if (!form_has(&pg->form, "attended", code)) {
            if (role[0] != '\0' || name[0] != '\0' || csa) {
                char id[64];
                char msg[200];
                (void)snprintf(id, sizeof(id), "attended-%s", code);
                (void)snprintf(msg, sizeof(msg),
                               "Tick %s if they attended, or clear the role and name you typed "
                               "for them",
                               pw__words_agency(code));
                pw__page_error(pg, id, msg);
            }
            continue;
        }
        json_t *a = json_pack("{s:s}", "agency", code);
        if (role[0] != '\0') {
            (void)json_object_set_new(a, "role", json_string(role));
        }
        if (name[0] != '\0') {
            (void)json_object_set_new(a, "name", json_string(name));
        }
        if (health) {
            (void)json_object_set_new(a, "csa_expertise", json_boolean(csa));
        }
        (void)json_array_append_new(list, a);
    }
    if (json_array_size(list) == 0) {
        pw__page_error(pg, "attended-csc", "Tick each agency that attended the discussion");
    }
    return list;
}

static void
decision(struct pw__page *pg, json_t *fact, const char *name)
{
    const char *v = pw__form_text(&pg->form, name);
    if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0) {
        (void)json_object_set_new(fact, name, json_boolean(strcmp(v, "yes") == 0));
    }
}

/* The medical decision as the fact holds it, or nothing when none is chosen (rule R07's). */
static void
medical_of(struct pw__page *pg, json_t *fact)
{
    const char *decision_code = pw__form_text(&pg->form, "medical");
    bool arranged = strcmp(decision_code, "arranged") == 0;
    if (!arranged && strcmp(decision_code, "not_needed") != 0) {
        return;
    }
    const char *reason = pw__form_text(&pg->form, "medical-reason");
    if (arranged && reason[0] == '\0') {
        pw__page_error(pg, "medical-reason",
                       "Say where and when the child protection medical is arranged");
    }
    json_t *m = json_pack("{s:s}", "decision", decision_code);
    if (reason[0] != '\0') {
        (void)json_object_set_new(m, "reason", json_string(reason));
    }
    (void)json_object_set_new(fact, "medical", m);
}

static json_t *
actions_of(struct pw__page *pg)
{
    json_t *list = json_array();
    size_t last = actions_last(&pg->form);
    for (size_t n = 1; n <= last; n++) {
        if (!action_filled(&pg->form, n)) {
            continue;
        }
        const char *text = row_field(&pg->form, "action", n, "");
        const char *owner = row_field(&pg->form, "owner", n, "");
        char id[32];
        char prefix[32];
        char what[64];
        (void)snprintf(prefix, sizeof(prefix), "due-%zu", n);
        (void)snprintf(what, sizeof(what), "the date action %zu is due by", n);
        if (text[0] == '\0') {
            char msg[128];
            (void)snprintf(id, sizeof(id), "action-%zu", n);
            (void)snprintf(msg, sizeof(msg),
                           "Say what action %zu is, or clear who owns it and by when", n);
            pw__page_error(pg, id, msg);
        }
        json_t *a = json_pack("{s:s}", "action", text);
        if (owner[0] != '\0') {
            (void)json_object_set_new(a, "owner", json_string(owner));
        }
        int32_t day = 0;
        if (pw__ep_date(&pg->form, prefix, &day) != PW__DATE_EMPTY &&
            pw__ep_date_check(pg, prefix, what, true, &day)) {
            char iso[PW_DATE_TEXT_MAX];
            pw_date_format(day, iso);
            (void)json_object_set_new(a, "due", json_string(iso));
        }
        (void)json_array_append_new(list, a);
    }
    return list;
}

/* The strategy.held the form describes; errors added for what must be put right first. */
static json_t *
fact_of(struct pw__page *pg, const char *episode, const struct pw__ep *ep)
{
    json_t *children = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(ep->children, i, c)
    {
        const char *id = json_string_value(json_object_get(c, "id"));
        if (json_array_size(ep->children) == 1 || form_has(&pg->form, "children", id)) {
            (void)json_array_append_new(children, json_string(id));
        }
    }
    if (json_array_size(children) == 0) {
        pw__page_error(pg, "children", "Select the children the discussion was about");
    }
    int32_t held = 0;
    char at[PW_DATE_TEXT_MAX] = "";
    if (pw__ep_date_check(pg, "held", "the date the discussion was held", false, &held)) {
        pw_date_format(held, at);
    }
    char id[64];
    pw__ep_fact_id(id, sizeof(id));
    json_t *fact = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "type", "strategy.held", "id", id,
                             "at", at, "agency", pg->p->user->agency, "episode", episode,
                             "children", children, "attendees", attendees_of(pg));
    decision(pg, fact, "s47");
    decision(pg, fact, "joint_enquiry");
    decision(pg, fact, "police_investigation");
    medical_of(pg, fact);
    json_t *actions = actions_of(pg);
    if (json_array_size(actions) > 0) {
        (void)json_object_set_new(fact, "actions", actions);
    } else {
        json_decref(actions);
    }
    return fact;
}

/* The API's complaint about a field ("[0].medical.reason": "is empty") on the form's input. */
static void
invalid(struct pw__page *pg, const struct pw_error *err)
{
    static const struct {
        const char *prefix;
        const char *input;
        const char *words;
    } map[] = {
        { "[0].at", "held-day", "The date the discussion was held" },
        { "[0].children", "children", "The children" },
        { "[0].attendees", "attended-csc", "Who attended" },
        { "[0].medical.reason", "medical-reason", "The reason about the medical" },
        { "[0].medical", "medical", "The child protection medical" },
        { "[0].actions", "action-1", "The actions" },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strncmp(err->field, map[i].prefix, strlen(map[i].prefix)) == 0) {
            char msg[sizeof(err->msg) + 64];
            (void)snprintf(msg, sizeof(msg), "%s: %s", map[i].words, err->msg);
            pw__page_error(pg, map[i].input, msg);
            return;
        }
    }
    pw__page_error(pg, "held-day", err->msg);
}

/* R07's refusal in the page's words: no decision, or "not needed" without the reason. */
static void
blocked(struct pw__page *pg, const struct pw_error *err)
{
    const char *decision_code = pw__form_text(&pg->form, "medical");
    if (strncmp(err->msg, "R07 ", 4) == 0 && decision_code[0] == '\0') {
        pw__ep_block(pg, "medical", err,
                     "Record a decision on a child protection medical: arranged (say where and "
                     "when) or not needed (say why)");
    } else if (strncmp(err->msg, "R07 ", 4) == 0) {
        pw__ep_block(pg, "medical-reason", err,
                     "Say why a child protection medical is not needed: a medical also "
                     "reassures the child, treats, and checks for infection and pregnancy");
    } else {
        pw__ep_block(pg, "held-day", err, NULL);
    }
}

void
pw__page_strategy(struct pw__page *pg)
{
    struct pw__ep ep;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw__ep_read(pg, pg->ids[0], &ep, &err);
    if (rc == PW_OK) {
        render(pg, pg->ids[0], &ep, false, NULL, NULL);
    } else {
        pw__page_api_fail(pg, rc, &err);
    }
    pw__ep_release(&ep);
}

void
pw__page_strategy_post(struct pw__page *pg)
{
    const char *episode = pg->ids[0];
    struct pw__ep ep;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw__ep_read(pg, episode, &ep, &err);
    if (rc != PW_OK) {
        pw__page_api_fail(pg, rc, &err);
        pw__ep_release(&ep);
        return;
    }
    bool check = pw__form_get(&pg->form, "check") != NULL;
    json_t *fact = fact_of(pg, episode, &ep);
    if (pg->errors != NULL) {
        pg->resp->status = 400;
        render(pg, episode, &ep, true, NULL, NULL);
        json_decref(fact);
        pw__ep_release(&ep);
        return;
    }
    json_t *body = json_pack("[O]", fact);
    json_t *out = NULL;
    rc = pw__page_api(pg, "POST", check ? "/api/facts?trial=1" : "/api/facts", body, &out, &err);
    json_decref(body);
    if (rc == PW_OK && check) {
        render(pg, episode, &ep, true, out, json_string_value(json_object_get(fact, "id")));
    } else if (rc == PW_OK) {
        pw__page_redirect_child(
            pg, json_string_value(json_array_get(json_object_get(fact, "children"), 0)),
            "#pathway");
    } else if (rc == PW_EBLOCKED || rc == PW_EINVAL) {
        if (rc == PW_EBLOCKED) {
            blocked(pg, &err);
        } else {
            invalid(pg, &err);
        }
        pg->resp->status = rc == PW_EBLOCKED ? 422 : 400;
        render(pg, episode, &ep, true, NULL, NULL);
    } else {
        pw__page_api_fail(pg, rc, &err);
    }
    json_decref(out);
    json_decref(fact);
    pw__ep_release(&ep);
}
