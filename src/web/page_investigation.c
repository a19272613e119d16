/*
 * An update on the police investigation of an episode (GET/POST /episodes/{id}/investigation),
 * for the police and for the social worker reading along: where the episode is (its stage, the
 * deadlines still open, the alerts about the investigation), what has happened so far (every
 * investigation.updated of the episode in the first child's chronology), and a form recording
 * the next event: what happened in plain words, with the end date and conditions of bail and the
 * outcome of a closure asked just below (not revealed by the choice: GOV.UK Frontend marks a
 * radio that reveals with aria-expanded, which ARIA does not allow on a radio), the suspect (the
 * people alleged in the episode first, then the other adults around the child, by name), and
 * when. A closure is written "no further police
 * action at this time", never the letters alone (national review rec. 3); rule R08 then asks
 * for a multi-agency discussion, which the child's record shows once saved.
 */
#include <stdio.h>
#include <string.h>

#include "core/time.h"
#include "web/episode_form.h"

/* The events of investigation.updated (src/model/schema.c), as the form and the history say
 * them. suspect: the event is about one person (src/model/checks.c); bail: it sets an end date. */
static const struct {
    const char *code;
    const char *label;
    const char *hint;
    bool suspect;
    bool bail;
} events[] = {
    { "opened", "Investigation opened", NULL, false, false },
    { "arrested", "Suspect arrested", NULL, true, false },
    { "voluntary_attendance", "Suspect interviewed by voluntary attendance (not under arrest)",
      "If they live with or see children, Pathway asks for a review of how the risk is managed "
      "without bail conditions.",
      true, false },
    { "interviewed", "Suspect interviewed", NULL, true, false },
    { "bail_set", "Bail set", NULL, true, true },
    { "bail_extended", "Bail extended", NULL, true, true },
    { "bail_ended", "Bail ended", "The conditions no longer protect the child.", true, false },
    { "released_under_investigation", "Released under investigation, without bail", NULL, true,
      false },
    { "abe_interview", "Achieving best evidence (ABE) interview held with the child", NULL, false,
      false },
    { "digital_forensics_requested", "Digital forensics requested", NULL, false, false },
    { "digital_forensics_completed", "Digital forensics completed", NULL, false, false },
    { "family_updated", "Child and family told how the investigation is going", NULL, false,
      false },
    { "charged", "Suspect charged", NULL, true, false },
    { "closed", "Investigation closed", NULL, false, false },
};
#define EVENTS (sizeof(events) / sizeof(events[0]))

static const struct {
    const char *code;
    const char *label;
    const char *hint;
} outcomes[] = {
    { "charged", "Charged", NULL },
    { "no_further_police_action_at_this_time", "No further police action at this time",
      "Say it in these words in every record and letter. Pathway asks for a multi-agency "
      "discussion about the risk and the support the child and family need within 10 working "
      "days; share the reason for the decision with the agencies involved." },
    { "out_of_court", "Out-of-court resolution", NULL },
};
#define OUTCOMES (sizeof(outcomes) / sizeof(outcomes[0]))

static int
event_index(const char *code)
{
    for (size_t i = 0; code != NULL && i < EVENTS; i++) {
        if (strcmp(events[i].code, code) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static const char *
outcome_words(const char *code)
{
    for (size_t i = 0; code != NULL && i < OUTCOMES; i++) {
        if (strcmp(outcomes[i].code, code) == 0) {
            return outcomes[i].label;
        }
    }
    return NULL;
}

/* What an investigation.updated says happened, in words: "Investigation closed: No further
 * police action at this time". */
static void
event_words(const json_t *f, char *out, size_t size)
{
    const char *event = json_string_value(json_object_get(f, "event"));
    int i = event_index(event);
    const char *outcome = outcome_words(json_string_value(json_object_get(f, "outcome")));
    if (i < 0) {
        pw__words_code(event != NULL ? event : "update", out, size);
    } else if (outcome != NULL) {
        (void)snprintf(out, size, "%s: %s", events[i].label, outcome);
    } else {
        (void)snprintf(out, size, "%s", events[i].label);
    }
}

static json_t *
error_of(const struct pw__page *pg, const char *field)
{
    json_t *e = json_object_get(pg->field_errors, field);
    return e != NULL ? json_incref(e) : json_null();
}

static bool
is_update_of(const json_t *f, const char *episode)
{
    const char *type = json_string_value(json_object_get(f, "type"));
    const char *ep = json_string_value(json_object_get(f, "episode"));
    return type != NULL && strcmp(type, "investigation.updated") == 0 && ep != NULL &&
           strcmp(ep, episode) == 0;
}

/* The investigation so far, oldest first, and where it stands now. */
static json_t *
history_of(const struct pw__ep *ep, const char *episode, json_t *status)
{
    json_t *rows = json_array();
    json_t *bail = json_object(); /* suspect: the words of their latest bail event */
    const json_t *last = NULL;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(ep->chronology, "facts"), i, f)
    {
        if (!is_update_of(f, episode) || json_is_string(json_object_get(f, "superseded_by"))) {
            continue;
        }
        char words[256];
        event_words(f, words, sizeof(words));
        const char *suspect = json_string_value(json_object_get(f, "suspect"));
        const char *until = json_string_value(json_object_get(f, "until"));
        json_t *o = json_pack("{s:o,s:s,s:s}", "date",
                              pw__words_date_json(json_string_value(json_object_get(f, "at"))),
                              "event", words, "agency",
                              pw__words_agency(json_string_value(json_object_get(f, "agency"))));
        if (suspect != NULL) {
            (void)json_object_set_new(o, "suspect", json_string(pw__ep_name(ep, suspect)));
        }
        const char *conditions = json_string_value(json_object_get(f, "conditions"));
        (void)json_object_set_new(o, "bail_until", pw__words_date_json(until));
        (void)json_object_set_new(o, "bail_conditions",
                                  conditions != NULL ? json_string(conditions) : json_null());
        (void)json_object_set_new(o, "restricted",
                                  json_boolean(json_is_true(json_object_get(f, "redacted"))));
        (void)json_array_append_new(rows, o);
        last = f;
        const char *event = json_string_value(json_object_get(f, "event"));
        if (suspect != NULL && event != NULL &&
            (strstr(event, "bail") != NULL || strcmp(event, "charged") == 0 ||
             strcmp(event, "released_under_investigation") == 0)) {
            char text[300];
            char d[64];
            pw__words_date(until, d, sizeof(d));
            if (until != NULL && strcmp(event, "bail_ended") != 0) {
                (void)snprintf(text, sizeof(text), "%s: on bail until %s", pw__ep_name(ep, suspect),
                               d);
            } else {
                (void)snprintf(text, sizeof(text), "%s: %s", pw__ep_name(ep, suspect), words);
            }
            (void)json_object_set_new(bail, suspect, json_string(text));
        }
    }
    char text[400];
    if (last == NULL) {
        (void)snprintf(text, sizeof(text), "No update recorded yet");
    } else {
        char words[256];
        char d[64];
        event_words(last, words, sizeof(words));
        pw__words_date(json_string_value(json_object_get(last, "at")), d, sizeof(d));
        (void)snprintf(text, sizeof(text), "Last update %s: %s", d, words);
    }
    (void)json_array_append_new(status,
                                json_pack("{s:s,s:s}", "key", "Investigation", "value", text));
    const char *who;
    json_t *words;
    json_object_foreach(bail, who, words)
    {
        (void)json_array_append_new(status, json_pack("{s:s,s:O}", "key", "Bail", "value", words));
    }
    json_decref(bail);
    return rows;
}

static bool
in_list(const json_t *list, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (strcmp(json_string_value(v), id) == 0) {
            return true;
        }
    }
    return false;
}

static bool
is_child_of(const struct pw__ep *ep, const char *id)
{
    return in_list(json_object_get(ep->episode, "children"), id);
}

/*
 * Who the update may be about: [{id, name, selected}] alleged first (alleged), then every other
 * adult (or person of unknown age) in the first child's network (others).
 */
static void
suspects_of(struct pw__page *pg, const struct pw__ep *ep, const char *chosen, json_t *alleged,
            json_t *others)
{
    size_t i;
    json_t *a;
    json_array_foreach(ep->alleged, i, a)
    {
        const char *id = json_string_value(a);
        (void)json_array_append_new(alleged, json_pack("{s:s,s:s,s:b}", "id", id, "name",
                                                       pw__ep_name(ep, id), "selected",
                                                       strcmp(chosen, id) == 0));
    }
    int32_t today = pw__page_today(pg);
    json_t *p;
    json_array_foreach(json_object_get(ep->network, "people"), i, p)
    {
        const char *id = json_string_value(json_object_get(p, "person"));
        const char *name = json_string_value(json_object_get(p, "name"));
        int age = pw__words_age(json_string_value(json_object_get(p, "dob")), today);
        if (id == NULL || name == NULL || is_child_of(ep, id) || in_list(ep->alleged, id) ||
            (age >= 0 && age < 18)) {
            continue;
        }
        (void)json_array_append_new(others, json_pack("{s:s,s:s,s:b}", "id", id, "name", name,
                                                      "selected", strcmp(chosen, id) == 0));
    }
}

static bool
has_suspect(const json_t *list, const char *id)
{
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s)
    {
        if (strcmp(json_string_value(json_object_get(s, "id")), id) == 0) {
            return true;
        }
    }
    return false;
}

static json_t *
event_rows(const struct pw__page *pg)
{
    const char *chosen = pw__form_text(&pg->form, "event");
    json_t *rows = json_array();
    for (size_t i = 0; i < EVENTS; i++) {
        char id[32];
        (void)snprintf(id, sizeof(id), i == 0 ? "event" : "event-%zu", i + 1);
        json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "code", events[i].code, "label", events[i].label,
                              "id", id, "checked", strcmp(chosen, events[i].code) == 0);
        if (events[i].hint != NULL) {
            (void)json_object_set_new(o, "hint", json_string(events[i].hint));
        }
        (void)json_array_append_new(rows, o);
    }
    return rows;
}

static json_t *
outcome_rows(const struct pw__page *pg)
{
    const char *chosen = pw__form_text(&pg->form, "outcome");
    json_t *rows = json_array();
    for (size_t i = 0; i < OUTCOMES; i++) {
        char id[32];
        (void)snprintf(id, sizeof(id), i == 0 ? "outcome" : "outcome-%zu", i + 1);
        json_t *o =
            json_pack("{s:s,s:s,s:s,s:b}", "code", outcomes[i].code, "label", outcomes[i].label,
                      "id", id, "checked", strcmp(chosen, outcomes[i].code) == 0);
        if (outcomes[i].hint != NULL) {
            (void)json_object_set_new(o, "hint", json_string(outcomes[i].hint));
        }
        (void)json_array_append_new(rows, o);
    }
    return rows;
}

/* The alerts about this episode's investigation (R08, R09, R10) still to act on. */
static enum pw_status
alerts_of(struct pw__page *pg, const struct pw__ep *ep, const char *episode, json_t *cards,
          struct pw_error *err)
{
    json_t *alerts = NULL;
    enum pw_status rc = pw__page_get(pg, "/api/children/", ep->first, "/alerts", &alerts, err);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(alerts, "alerts"), i, a)
    {
        const char *rule = json_string_value(json_object_get(a, "rule"));
        const char *status = json_string_value(json_object_get(a, "status"));
        const char *message = json_string_value(json_object_get(a, "message"));
        bool ours = rule != NULL && (strcmp(rule, "R08") == 0 || strcmp(rule, "R09") == 0 ||
                                     strcmp(rule, "R10") == 0);
        bool live =
            status != NULL && (strcmp(status, "open") == 0 || strcmp(status, "overdue") == 0);
        if (ours && live && message != NULL && strstr(message, episode) != NULL) {
            (void)json_array_append_new(cards, pw__alert_card(a, ep->names));
        }
    }
    json_decref(alerts);
    return rc;
}

static void
render(struct pw__page *pg, const char *episode, const struct pw__ep *ep, bool posted,
       json_t *cards)
{
    const char *suspect = pw__form_text(&pg->form, "suspect");
    char back[PW_ID_MAX + 48];
    char stage[128];
    char title[600];
    (void)snprintf(back, sizeof(back), "/children/%s#pathway", ep->first);
    pw__words_code(json_string_value(json_object_get(ep->episode, "stage")), stage, sizeof(stage));
    (void)snprintf(title, sizeof(title), "Police investigation for %s", ep->heading);
    json_t *status = json_array();
    (void)json_array_append_new(status, json_pack("{s:s,s:s}", "key", "Stage", "value", stage));
    json_t *history = history_of(ep, episode, status);
    json_t *steps = json_array();
    json_t *all = pw__ep_steps(ep->episode);
    size_t i;
    json_t *st;
    json_array_foreach(all, i, st)
    {
        if (json_is_true(json_object_get(st, "open"))) {
            (void)json_array_append(steps, st);
        }
    }
    json_decref(all);
    json_t *alleged = json_array();
    json_t *others = json_array();
    suspects_of(pg, ep, suspect, alleged, others);
    json_t *data = json_object();
    (void)json_object_set_new(data, "episode", json_string(episode));
    (void)json_object_set_new(data, "heading", json_string(title));
    (void)json_object_set_new(data, "first", json_string(ep->first));
    (void)json_object_set_new(data, "back", json_pack("{s:s,s:s}", "href", back, "text", "Back"));
    (void)json_object_set_new(data, "status", status);
    (void)json_object_set_new(data, "steps", steps);
    (void)json_object_set_new(data, "alerts", cards);
    (void)json_object_set_new(data, "history", history);
    (void)json_object_set_new(data, "alleged", alleged);
    (void)json_object_set_new(data, "others", others);
    (void)json_object_set_new(data, "suspect_error", error_of(pg, "suspect"));
    (void)json_object_set_new(data, "events", event_rows(pg));
    (void)json_object_set_new(data, "event_error", error_of(pg, "event"));
    (void)json_object_set_new(data, "until", pw__ep_date_typed(&pg->form, "until"));
    (void)json_object_set_new(data, "until_error", error_of(pg, "until-day"));
    (void)json_object_set_new(data, "conditions",
                              json_string(pw__form_text(&pg->form, "conditions")));
    (void)json_object_set_new(data, "conditions_error", error_of(pg, "conditions"));
    (void)json_object_set_new(data, "note", json_string(pw__form_text(&pg->form, "note")));
    (void)json_object_set_new(data, "note_error", error_of(pg, "note"));
    (void)json_object_set_new(data, "outcomes", outcome_rows(pg));
    (void)json_object_set_new(data, "outcome_error", error_of(pg, "outcome"));
    (void)json_object_set_new(data, "update",
                              posted ? pw__ep_date_typed(&pg->form, "update")
                                     : pw__ep_date_parts(pw__page_today(pg)));
    (void)json_object_set_new(data, "update_error", error_of(pg, "update-day"));
    pw__page_render(pg, "investigation", title, data);
}

/* Reads the episode and the alerts, then shows the form (as typed when posted). */
static void
show(struct pw__page *pg, const struct pw__ep *ep, bool posted)
{
    struct pw_error err;
    pw_error_clear(&err);
    json_t *cards = json_array();
    enum pw_status rc = alerts_of(pg, ep, pg->ids[0], cards, &err);
    if (rc == PW_OK) {
        render(pg, pg->ids[0], ep, posted, cards);
    } else {
        json_decref(cards);
        pw__page_api_fail(pg, rc, &err);
    }
}

void
pw__page_investigation(struct pw__page *pg)
{
    struct pw__ep ep;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw__ep_read(pg, pg->ids[0], &ep, &err);
    if (rc == PW_OK) {
        show(pg, &ep, false);
    } else {
        pw__page_api_fail(pg, rc, &err);
    }
    pw__ep_release(&ep);
}

/* The bail fields: for bail set or extended, until (required, on or after the update) and the
 * conditions; for anything else, nothing (the fact refuses them). */
static void
bail_of(struct pw__page *pg, json_t *fact, bool bail, int32_t day)
{
    const char *conditions = pw__form_text(&pg->form, "conditions");
    if (!bail) {
        int32_t ignored = 0;
        if (pw__ep_date(&pg->form, "until", &ignored) != PW__DATE_EMPTY) {
            pw__page_error(pg, "until-day",
                           "Leave the date bail ends empty unless bail was set "
                           "or extended");
        }
        if (conditions[0] != '\0') {
            pw__page_error(pg, "conditions",
                           "Leave the bail conditions empty unless bail was "
                           "set or extended");
        }
        return;
    }
    int32_t until = 0;
    if (pw__ep_date_check(pg, "until", "the date bail ends", true, &until)) {
        if (day != 0 && until < day) {
            pw__page_error(pg, "until-day",
                           "The date bail ends must be on or after the date "
                           "it was set or extended");
        }
        char iso[PW_DATE_TEXT_MAX];
        pw_date_format(until, iso);
        (void)json_object_set_new(fact, "until", json_string(iso));
    }
    if (conditions[0] != '\0') {
        (void)json_object_set_new(fact, "conditions", json_string(conditions));
    }
}

/* The investigation.updated the form describes; errors added for what must be put right. */
static json_t *
fact_of(struct pw__page *pg, const char *episode, const struct pw__ep *ep)
{
    const char *event = pw__form_text(&pg->form, "event");
    const char *suspect = pw__form_text(&pg->form, "suspect");
    int e = event_index(event);
    if (e < 0) {
        pw__page_error(pg, "event", "Select what has happened in the investigation");
    }
    json_t *alleged = json_array();
    json_t *others = json_array();
    suspects_of(pg, ep, "", alleged, others);
    if (suspect[0] != '\0' && !has_suspect(alleged, suspect) && !has_suspect(others, suspect)) {
        pw__page_error(pg, "suspect", "Select the suspect from the list");
    } else if (suspect[0] == '\0' && e >= 0 && events[e].suspect) {
        char msg[200];
        (void)snprintf(msg, sizeof(msg), "Select the suspect: ‘%s’ is about one person",
                       events[e].label);
        pw__page_error(pg, "suspect", msg);
    }
    json_decref(alleged);
    json_decref(others);
    int32_t day = 0;
    char at[PW_DATE_TEXT_MAX] = "";
    if (pw__ep_date_check(pg, "update", "the date it happened", false, &day)) {
        pw_date_format(day, at);
    }
    char id[64];
    pw__ep_fact_id(id, sizeof(id));
    json_t *fact = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "type", "investigation.updated", "id", id,
                             "at", at, "agency", pg->p->user->agency, "episode", episode, "event",
                             e >= 0 ? events[e].code : "");
    if (suspect[0] != '\0') {
        (void)json_object_set_new(fact, "suspect", json_string(suspect));
    }
    bail_of(pg, fact, e >= 0 && events[e].bail, day);
    const char *outcome = pw__form_text(&pg->form, "outcome");
    bool closed = e >= 0 && strcmp(event, "closed") == 0;
    if (closed && outcome_words(outcome) == NULL) {
        pw__page_error(pg, "outcome", "Select the outcome of the investigation");
    } else if (closed) {
        (void)json_object_set_new(fact, "outcome", json_string(outcome));
    }
    /* An outcome chosen for another event is left out: a radio cannot be cleared again. */
    const char *note = pw__form_text(&pg->form, "note");
    if (note[0] != '\0') {
        (void)json_object_set_new(fact, "note", json_string(note));
    }
    return fact;
}

/* The API's complaint about a field ("[0].until") on the form's input. */
static void
invalid(struct pw__page *pg, const struct pw_error *err)
{
    const char *input = strncmp(err->field, "[0].suspect", 11) == 0      ? "suspect"
                        : strncmp(err->field, "[0].until", 9) == 0       ? "until-day"
                        : strncmp(err->field, "[0].conditions", 14) == 0 ? "conditions"
                        : strncmp(err->field, "[0].note", 8) == 0        ? "note"
                        : strncmp(err->field, "[0].outcome", 11) == 0    ? "outcome"
                        : strncmp(err->field, "[0].at", 6) == 0          ? "update-day"
                                                                         : "event";
    pw__page_error(pg, input, err->msg);
}

void
pw__page_investigation_post(struct pw__page *pg)
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
    json_t *fact = fact_of(pg, episode, &ep);
    if (pg->errors != NULL) {
        pg->resp->status = 400;
        show(pg, &ep, true);
        json_decref(fact);
        pw__ep_release(&ep);
        return;
    }
    json_t *body = json_pack("[o]", fact);
    json_t *out = NULL;
    rc = pw__page_api(pg, "POST", "/api/facts", body, &out, &err);
    json_decref(body);
    json_decref(out);
    if (rc == PW_OK) {
        pw__page_redirect_child(pg, ep.first, "#alerts");
    } else if (rc == PW_EBLOCKED || rc == PW_EINVAL) {
        if (rc == PW_EBLOCKED) {
            pw__ep_block(pg, "event", &err, NULL);
        } else {
            invalid(pg, &err);
        }
        pg->resp->status = rc == PW_EBLOCKED ? 422 : 400;
        show(pg, &ep, true);
    } else {
        pw__page_api_fail(pg, rc, &err);
    }
    pw__ep_release(&ep);
}
