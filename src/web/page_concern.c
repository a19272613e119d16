/*
 * Record a concern about a child (GET/POST /children/{id}/concern): for a practitioner with a
 * frightened child in front of them, quick to fill and nothing lost when it is refused.
 *
 * The form, in the order a practitioner needs it: when it was seen or heard (today filled in);
 * what the child said or showed (the kind of disclosure, who they told, their own words as they
 * said them: the most perishable evidence first); the signs and indicators of the taxonomy
 * grouped by category, each with its guidance and its strength at this child's age, with an
 * optional note each; what happened and who raised it; who is alleged (the people of the
 * child's network, those with a sexual-harm history marked); and who the child is (ethnicity,
 * first language, interpreter, communication: what the reviews found missing, R18), prefilled
 * from the current registration.
 *
 * Saving records one concern.raised (its concern id and fact id made here) through POST
 * /api/facts as the signed-in user, and, when the practitioner changed the child's identity, a
 * person.registered superseding the current registration in the same request (all or none).
 * The child's words go into the narrative in double quotes, as said: the rules read text in
 * quotes as someone's own words (R22). "Check what saving will do" tries the same facts with
 * ?trial=1 and shows the alerts saving would raise; nothing is kept.
 *
 * The ids are made when the form is first shown and carried in it (token), so the same form
 * sent twice (a double click, a retry after a time-out) records once: the API treats a fact
 *
 * The form's concern part (its values, the signs by category, the checks, the concern.raised
 * fact, the API's complaints put back on it) is shared with the page that raises a concern
 * about a child the user may not read, or one not on record yet (page_raise.c): concern_form.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/time.h"
#include "model/model.h"
#include "web/concern_form.h"
#include "web/web_int.h"

#define NO_DAY PW__CONCERN_NO_DAY /* a date not given or not real */

/* What the API told us about the child. */
struct child_info {
    json_t *summary;   /* GET /api/children/{id} */
    json_t *network;   /* GET /api/children/{id}/network */
    json_t *names;     /* person id -> name */
    const json_t *reg; /* the current registration (borrowed from summary), or NULL */
    bool reg_editable; /* shown in full: it can be corrected */
    char name[256];    /* "Lily Hart" */
    char first[64];    /* "Lily" */
    int age;           /* today, -1 unknown */
    int32_t born;      /* the day of birth, NO_DAY unknown */
};

static void
info_release(struct child_info *ci)
{
    json_decref(ci->summary);
    json_decref(ci->network);
    json_decref(ci->names);
    memset(ci, 0, sizeof(*ci));
}

static enum pw_status
api_get(struct pw__page *pg, const char *suffix, json_t **out, struct pw_error *err)
{
    return pw__page_get(pg, "/api/children/", pg->ids[0], suffix, out, err);
}

/* The child's name as registered: the birth name, else the first one. */
static void
child_names(const json_t *reg, const char *fallback, struct child_info *ci)
{
    (void)snprintf(ci->name, sizeof(ci->name), "%s", fallback);
    (void)snprintf(ci->first, sizeof(ci->first), "%.63s", fallback);
    const json_t *names = json_object_get(reg, "names");
    const json_t *chosen = json_array_get(names, 0);
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n)
    {
        const char *kind = json_string_value(json_object_get(n, "kind"));
        if (kind != NULL && strcmp(kind, "birth") == 0) {
            chosen = n;
            break;
        }
    }
    const char *given = json_string_value(json_object_get(chosen, "given"));
    const char *family = json_string_value(json_object_get(chosen, "family"));
    if (given != NULL && given[0] != '\0') {
        (void)snprintf(ci->first, sizeof(ci->first), "%s", given);
        (void)snprintf(ci->name, sizeof(ci->name), "%s%s%s", given,
                       family != NULL && family[0] != '\0' ? " " : "",
                       family != NULL ? family : "");
    }
}

/* Age today and the day of birth, from a dob that is a date or {year}. */
static void
child_age(const json_t *reg, int32_t today, struct child_info *ci)
{
    ci->age = -1;
    ci->born = NO_DAY;
    const json_t *dob = json_object_get(reg, "dob");
    if (json_is_string(dob)) {
        ci->age = pw__words_age(json_string_value(dob), today);
        struct pw_error ignored;
        pw_error_clear(&ignored);
        int32_t day = 0;
        if (json_string_length(dob) == 10 &&
            pw_date_parse(json_string_value(dob), 10, &day, &ignored) == PW_OK) {
            ci->born = day;
        }
    } else if (json_is_integer(json_object_get(dob, "year"))) {
        int y = 0;
        int m = 0;
        int d = 0;
        pw_date_to_ymd(today, &y, &m, &d);
        json_int_t year = json_integer_value(json_object_get(dob, "year"));
        if (year > 0 && year <= y) {
            /* the younger of the two possible ages, as the rules take it */
            ci->age = (int)(y - year) - 1 >= 0 ? (int)(y - year) - 1 : 0;
        }
    }
}

static enum pw_status
read_child(struct pw__page *pg, struct child_info *ci, struct pw_error *err)
{
    memset(ci, 0, sizeof(*ci));
    enum pw_status rc = api_get(pg, "", &ci->summary, err);
    if (rc == PW_OK) {
        rc = api_get(pg, "/network", &ci->network, err);
    }
    if (rc != PW_OK) {
        return rc;
    }
    ci->names = json_object();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(ci->network, "people"), i, p)
    {
        const char *id = json_string_value(json_object_get(p, "person"));
        const char *name = json_string_value(json_object_get(p, "name"));
        if (id != NULL && name != NULL && name[0] != '\0') {
            (void)json_object_set_new(ci->names, id, json_string(name));
        }
    }
    /*
     * The summary's registration is the child's latest person.registered by log position. A
     * correction is recorded after what it corrects and is of the same type and person, so the
     * latest is never superseded: it is the one a correction must supersede.
     */
    const json_t *reg = json_object_get(ci->summary, "registration");
    ci->reg = json_is_object(reg) ? reg : NULL;
    const char *view =
        json_string_value(json_object_get(json_object_get(ci->summary, "access"), "view"));
    ci->reg_editable = ci->reg != NULL && view != NULL && strcmp(view, "full") == 0 &&
                       !json_is_true(json_object_get(ci->reg, "redacted")) &&
                       json_is_string(json_object_get(ci->reg, "id"));
    child_names(ci->reg, pg->ids[0], ci);
    child_age(ci->reg, pw__page_today(pg), ci);
    return PW_OK;
}

/* ---- The values of the form (typed, or the defaults) ---- */

/* The identity fields of a registration as the form holds them. */
static void
identity_values(const json_t *reg, json_t *v)
{
    const char *eth = json_string_value(json_object_get(reg, "ethnicity"));
    const char *lang = json_string_value(json_object_get(reg, "language"));
    const json_t *interp = json_object_get(reg, "interpreter_needed");
    const char *comm = json_string_value(json_object_get(reg, "communication"));
    pw__concern_set_text(v, "ethnicity", eth);
    pw__concern_set_text(v, "language", lang);
    pw__concern_set_text(v, "interpreter",
                         json_is_true(interp) ? "yes" : (json_is_false(interp) ? "no" : ""));
    pw__concern_set_text(v, "communication", comm);
}

/* The form as first shown: today, and the child's identity as registered. */
static json_t *
default_values(struct pw__page *pg, const struct child_info *ci)
{
    json_t *v = json_object();
    pw__concern_defaults(pg, v);
    identity_values(ci->reg, v);
    (void)json_object_set_new(v, "alleged", json_array());
    return v;
}

/* The form as sent: every value kept, to be shown again if anything is wrong. */
static json_t *
posted_values(struct pw__page *pg)
{
    json_t *v = json_object();
    pw__concern_posted(pg, v);
    json_t *alleged = json_array();
    for (size_t i = 0; i < pg->form.n; i++) {
        if (strcmp(pg->form.fields[i].name, "alleged") == 0) {
            bool again = false;
            size_t k;
            json_t *a;
            json_array_foreach(alleged, k, a)
            {
                again = again || strcmp(json_string_value(a), pg->form.fields[i].value) == 0;
            }
            if (!again) {
                (void)json_array_append_new(alleged, json_string(pg->form.fields[i].value));
            }
        }
    }
    (void)json_object_set_new(v, "alleged", alleged);
    return v;
}

/* ---- The page ---- */

/* The relationship kinds of facts.md written with an underscore, as the network's "how" has
 * them ("half_sibling; household member at ..."). */
static const char *const kinds_with_underscore[] = {
    "step_parent", "parent_partner", "foster_carer",  "half_sibling",     "step_sibling",
    "aunt_uncle",  "other_relative", "family_friend", "household_member", "regular_contact",
};

/* How someone is connected to the child, in words: people named, relationship kinds spelt
 * out ("half sibling"). New reference. */
static json_t *
how_in_words(const char *how, const json_t *names)
{
    json_t *named = pw__words_named(how != NULL ? how : "", names);
    const char *s = json_string_value(named) != NULL ? json_string_value(named) : "";
    struct pw_buf b;
    pw_buf_init(&b, 0);
    for (size_t i = 0; s[i] != '\0';) {
        bool done = false;
        for (size_t k = 0;
             !done && k < sizeof(kinds_with_underscore) / sizeof(kinds_with_underscore[0]); k++) {
            const char *kind = kinds_with_underscore[k];
            size_t n = strlen(kind);
            bool start = i == 0 || s[i - 1] == ' ' || s[i - 1] == ';' || s[i - 1] == '(';
            if (!start || strncmp(s + i, kind, n) != 0 || (s[i + n] >= 'a' && s[i + n] <= 'z') ||
                s[i + n] == '_') {
                continue;
            }
            for (size_t c = 0; c < n; c++) {
                char ch = kind[c];
                if (ch == '_') {
                    ch = ' ';
                }
                pw_buf_addc(&b, ch);
            }
            i += n;
            done = true;
        }
        if (!done) {
            pw_buf_addc(&b, s[i++]);
        }
    }
    json_t *out = json_stringn(pw_buf_cstr(&b), b.len);
    pw_buf_release(&b);
    json_decref(named);
    return out;
}

/* Everyone connected to the child but the child: who could be alleged. */
static json_t *
people_list(struct pw__page *pg, const struct child_info *ci, const json_t *v)
{
    int32_t today = pw__page_today(pg);
    json_t *rows = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(ci->network, "people"), i, p)
    {
        const char *id = json_string_value(json_object_get(p, "person"));
        const char *how = json_string_value(json_object_get(p, "how"));
        if (id == NULL || strcmp(id, pg->ids[0]) == 0 ||
            json_is_string(json_object_get(p, "same_as")) ||
            (how != NULL && strcmp(how, "the child") == 0)) {
            continue;
        }
        const char *name = json_string_value(json_object_get(p, "name"));
        int age = pw__words_age(json_string_value(json_object_get(p, "dob")), today);
        char input_id[32] = "alleged";
        if (json_array_size(rows) > 0) {
            (void)snprintf(input_id, sizeof(input_id), "alleged-%zu", json_array_size(rows) + 1);
        }
        (void)json_array_append_new(
            rows, json_pack("{s:s,s:s,s:s,s:b,s:i,s:o,s:b,s:b}", "input_id", input_id, "person", id,
                            "person_name", name != NULL && name[0] != '\0' ? name : id,
                            "person_age_known", age >= 0, "person_age", age >= 0 ? age : 0, "how",
                            how_in_words(how, ci->names), "sexual_risk",
                            json_is_true(json_object_get(p, "sexual_risk")), "person_checked",
                            pw__concern_in_list(json_object_get(v, "alleged"), id)));
    }
    return rows;
}

/* The identity part: what is missing from the registration, and the choices. */
static json_t *
identity_part(const struct pw__page *pg, const struct child_info *ci, const json_t *v)
{
    if (!ci->reg_editable) {
        return json_null();
    }
    const json_t *reg = ci->reg;
    const char *eth = json_string_value(json_object_get(reg, "ethnicity"));
    const char *lang = json_string_value(json_object_get(reg, "language"));
    const json_t *interp = json_object_get(reg, "interpreter_needed");
    const char *comm = json_string_value(json_object_get(reg, "communication"));
    struct pw_buf missing;
    struct pw_buf recorded;
    pw_buf_init(&missing, 0);
    pw_buf_init(&recorded, 0);
    const char *parts[4];
    size_t n = 0;
    if (eth == NULL || eth[0] == '\0') {
        parts[n++] = "ethnicity";
    }
    if (lang == NULL || lang[0] == '\0') {
        parts[n++] = "first language";
    }
    if (!json_is_boolean(interp)) {
        parts[n++] = "whether an interpreter is needed";
    }
    if (comm == NULL) {
        parts[n++] = "how they communicate";
    }
    for (size_t i = 0; i < n; i++) {
        pw_buf_adds(&missing, i == 0 ? "" : (i + 1 == n ? " and " : ", "));
        pw_buf_adds(&missing, parts[i]);
    }
    const char *comm_text = NULL;
    for (size_t i = 0; i < pw__concern_communications_count; i++) {
        if (comm != NULL && strcmp(comm, pw__concern_communications[i].value) == 0) {
            comm_text = pw__concern_communications[i].text;
        }
    }
    pw_buf_addf(&recorded, "%s; first language %s; %s; %s",
                eth != NULL ? pw__words_ethnicity(eth) : "ethnicity not recorded",
                lang != NULL ? lang : "not recorded",
                json_is_true(interp)    ? "needs an interpreter"
                : json_is_false(interp) ? "no interpreter needed"
                                        : "interpreter not recorded",
                comm_text != NULL ? comm_text : "communication not recorded");

    json_t *eths = pw__concern_ethnicities(pw__concern_val(v, "ethnicity"), eth, "Not recorded");
    json_t *comms = pw__concern_communication_view(pw__concern_val(v, "communication"));
    /* open when something is missing, wrong or changed, so that what was typed is in view */
    bool unfold = n > 0;
    json_t *was = json_object();
    identity_values(reg, was);
    static const char *const fields[] = { "ethnicity", "language", "interpreter", "communication" };
    for (size_t i = 0; i < 4; i++) {
        unfold =
            unfold ||
            (pg->field_errors != NULL && json_object_get(pg->field_errors, fields[i]) != NULL) ||
            strcmp(pw__concern_val(v, fields[i]), pw__concern_val(was, fields[i])) != 0;
    }
    json_decref(was);
    json_t *out = json_pack("{s:s%,s:s%,s:o,s:o,s:b}", "missing", pw_buf_cstr(&missing),
                            missing.len, "recorded", pw_buf_cstr(&recorded), recorded.len,
                            "ethnicities", eths, "communications", comms, "identity_open", unfold);
    pw_buf_release(&missing);
    pw_buf_release(&recorded);
    return out;
}

/* Renders the form with v (stolen) and, after a trial, what saving would do (stolen). */
static void
render_form(struct pw__page *pg, const struct child_info *ci, json_t *v, json_t *trial)
{
    pw__concern_flags(v);
    char back[PW_ID_MAX + 32];
    (void)snprintf(back, sizeof(back), "/children/%s", pg->ids[0]);
    char back_text[300];
    (void)snprintf(back_text, sizeof(back_text), "Back to %s's record", ci->name);
    json_t *data = json_object();
    (void)json_object_set_new(data, "child", json_string(pg->ids[0]));
    (void)json_object_set_new(data, "name", json_string(ci->name));
    (void)json_object_set_new(data, "first", json_string(ci->first));
    (void)json_object_set_new(data, "First", json_string(ci->first));
    (void)json_object_set_new(data, "age_known", json_boolean(ci->age >= 0));
    (void)json_object_set_new(data, "age", json_integer(ci->age >= 0 ? ci->age : 0));
    (void)json_object_set_new(data, "categories", pw__concern_categories(pg, ci->age, false, v));
    (void)json_object_set_new(data, "people", people_list(pg, ci, v));
    (void)json_object_set_new(data, "identity", identity_part(pg, ci, v));
    (void)json_object_set_new(data, "trial", trial != NULL ? trial : json_null());
    (void)json_object_set_new(data, "v", v);
    (void)json_object_set_new(data, "back",
                              json_pack("{s:s,s:s}", "href", back, "text", back_text));
    char title[300];
    (void)snprintf(title, sizeof(title), "Record a concern about %s", ci->name);
    pw__page_render(pg, "concern", title, data);
}

/* ---- Checking what was sent ---- */

static bool
valid_choice(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Whether the identity the form holds differs from the registration; checks it too. */
static bool
check_identity(struct pw__page *pg, const struct child_info *ci, const json_t *v)
{
    if (!ci->reg_editable) {
        return false;
    }
    json_t *now = json_object();
    identity_values(ci->reg, now);
    const char *eth = pw__concern_val(v, "ethnicity");
    const char *was_eth = pw__concern_val(now, "ethnicity");
    char msg[512];
    if (eth[0] != '\0' && !pw__concern_is_ethnicity(eth) && strcmp(eth, was_eth) != 0) {
        (void)snprintf(msg, sizeof(msg), "Select %s's ethnicity from the list", ci->first);
        pw__page_error(pg, "ethnicity", msg);
    }
    if (eth[0] == '\0' && was_eth[0] != '\0') {
        (void)snprintf(msg, sizeof(msg), "Select %s's ethnicity: it was recorded as %s", ci->first,
                       pw__words_ethnicity(was_eth));
        pw__page_error(pg, "ethnicity", msg);
    }
    if (pw__concern_val(v, "language")[0] == '\0' && pw__concern_val(now, "language")[0] != '\0') {
        (void)snprintf(msg, sizeof(msg), "Enter %s's first language: it was recorded as %.100s",
                       ci->first, pw__concern_val(now, "language"));
        pw__page_error(pg, "language", msg);
    }
    pw__concern_check_short(pg, v, "language", "language", "The first language");
    static const char *const yes_no[] = { "yes", "no" };
    const char *interp = pw__concern_val(v, "interpreter");
    if ((interp[0] != '\0' && !valid_choice(interp, yes_no, 2)) ||
        (interp[0] == '\0' && pw__concern_val(now, "interpreter")[0] != '\0')) {
        (void)snprintf(msg, sizeof(msg), "Select whether %s needs an interpreter", ci->first);
        pw__page_error(pg, "interpreter", msg);
    }
    const char *comm = pw__concern_val(v, "communication");
    bool comm_ok = comm[0] == '\0' && pw__concern_val(now, "communication")[0] == '\0';
    comm_ok = comm_ok || pw__concern_is_communication(comm);
    if (!comm_ok) {
        (void)snprintf(msg, sizeof(msg), "Select how %s communicates", ci->first);
        pw__page_error(pg, "communication", msg);
    }
    static const char *const keys[] = { "ethnicity", "language", "interpreter", "communication" };
    bool changed = false;
    for (size_t i = 0; i < 4; i++) {
        changed =
            changed || strcmp(pw__concern_val(v, keys[i]), pw__concern_val(now, keys[i])) != 0;
    }
    json_decref(now);
    return changed;
}

/* Checks everything; adds an error for each problem. The day seen when all is well. */
static int32_t
check_form(struct pw__page *pg, const struct child_info *ci, const json_t *v, bool *correct)
{
    int32_t day = pw__concern_check(pg, v, ci->born, ci->first);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(v, "alleged"), i, a)
    {
        bool known = false;
        size_t k;
        json_t *p;
        json_array_foreach(json_object_get(ci->network, "people"), k, p)
        {
            known = known || strcmp(pw__concern_val(p, "person"), json_string_value(a)) == 0;
        }
        if (!known || strcmp(json_string_value(a), pg->ids[0]) == 0) {
            pw__page_error(pg, "alleged", "Select people from the list");
            break;
        }
    }
    *correct = check_identity(pg, ci, v);
    return pg->errors != NULL ? NO_DAY : day;
}

/* ---- Saving ---- */

/* The facts to record: the concern, and the registration corrected when asked. New. */
static json_t *
build_facts(struct pw__page *pg, const struct child_info *ci, const json_t *v, int32_t day,
            bool correct)
{
    const char *token = pw__concern_val(v, "token");
    const char *agency = pg->p->user->agency;
    json_t *concern = pw__concern_fact(pg, v, day, pg->ids[0], json_object_get(v, "alleged"));
    json_t *facts = json_array();
    (void)json_array_append_new(facts, concern);
    if (correct) {
        /* The registration as it is, with the identity as the practitioner gave it. */
        json_t *reg = json_deep_copy(ci->reg);
        /* What the server added, and the envelope this correction has its own of: source
         * (where an imported registration came from: a feed's file and line) is not where a
         * practitioner's correction came from, and the feed's digest ignores it. */
        static const char *const server_added[] = {
            "seq",     "recorded_at", "by",       "hash",       "prev_hash", "superseded_by",
            "summary", "concerns",    "redacted", "supersedes", "source",
        };
        for (size_t k = 0; k < sizeof(server_added) / sizeof(server_added[0]); k++) {
            (void)json_object_del(reg, server_added[k]);
        }
        char reg_id[PW_ID_MAX + 1];
        char today[PW_DATE_TEXT_MAX];
        pw_date_format(pw__page_today(pg), today);
        (void)snprintf(reg_id, sizeof(reg_id), "web-%s-reg", token);
        (void)json_object_set(reg, "supersedes", json_object_get(ci->reg, "id"));
        (void)json_object_set_new(reg, "id", json_string(reg_id));
        (void)json_object_set_new(reg, "at", json_string(today));
        (void)json_object_set_new(reg, "agency", json_string(agency));
        static const char *const texts[] = { "ethnicity", "language", "communication" };
        for (size_t k = 0; k < 3; k++) {
            if (pw__concern_val(v, texts[k])[0] != '\0') {
                (void)json_object_set_new(reg, texts[k], json_string(pw__concern_val(v, texts[k])));
            } else {
                (void)json_object_del(reg, texts[k]);
            }
        }
        const char *interp = pw__concern_val(v, "interpreter");
        if (interp[0] != '\0') {
            (void)json_object_set_new(reg, "interpreter_needed",
                                      json_boolean(strcmp(interp, "yes") == 0));
        } else {
            (void)json_object_del(reg, "interpreter_needed");
        }
        (void)json_array_append_new(facts, reg);
    }
    return facts;
}

/* Where on the form an API complaint about field ("[0].indicators[2].note") belongs: the
 * concern's fields (the first fact) as concern_form.c places them, the correction of the
 * identity (the second) here. */
static void
place_of(const char *field, const json_t *v, struct pw__concern_place *out)
{
    static const struct {
        const char *prefix;
        const char *id;
        const char *words;
    } map[] = {
        { "[1].language", "language", "The first language" },
        { "[1].ethnicity", "ethnicity", "The ethnicity" },
        { "[1].communication", "communication", "How the child communicates" },
        { "[1].interpreter_needed", "interpreter", "Whether an interpreter is needed" },
        { "[1]", "ethnicity", "The correction of the child's identity" },
    };
    if (pw__concern_place_of(field, 0, v, out)) {
        return;
    }
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strncmp(field, map[i].prefix, strlen(map[i].prefix)) == 0) {
            out->id = map[i].id;
            (void)snprintf(out->words, sizeof(out->words), "%s", map[i].words);
            return;
        }
    }
}

void
pw__page_concern(struct pw__page *pg)
{
    struct child_info ci;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = read_child(pg, &ci, &err);
    if (rc != PW_OK) {
        info_release(&ci);
        pw__page_api_fail(pg, rc, &err);
        return;
    }
    render_form(pg, &ci, default_values(pg, &ci), NULL);
    info_release(&ci);
}

void
pw__page_concern_post(struct pw__page *pg)
{
    struct child_info ci;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = read_child(pg, &ci, &err);
    if (rc != PW_OK) {
        info_release(&ci);
        pw__page_api_fail(pg, rc, &err);
        return;
    }
    json_t *v = posted_values(pg);
    bool correct = false;
    int32_t day = check_form(pg, &ci, v, &correct);
    if (pg->errors != NULL) {
        pg->resp->status = 400;
        render_form(pg, &ci, v, NULL);
        info_release(&ci);
        return;
    }
    bool trial = strcmp(pw__form_text(&pg->form, "action"), "check") == 0;
    json_t *facts = build_facts(pg, &ci, v, day, correct);
    json_t *out = NULL;
    rc = pw__page_api(pg, "POST", trial ? "/api/facts?trial=1" : "/api/facts", facts, &out, &err);
    json_decref(facts);
    if (rc == PW_OK && !trial) {
        pw__page_redirect_child(pg, pg->ids[0], "#alerts");
        json_decref(v);
    } else if (rc == PW_OK) {
        render_form(pg, &ci, v, pw__concern_trial(out, ci.names, correct));
    } else if (rc == PW_EBLOCKED || rc == PW_EINVAL || rc == PW_ECONFLICT) {
        struct pw__concern_place at;
        place_of(err.field, v, &at);
        /* the registration's correction: the second fact, or its supersedes named by the
         * store's check (a field without the fact's index) */
        bool about_identity =
            strncmp(err.field, "[1]", 3) == 0 || strcmp(err.field, "$.supersedes") == 0;
        if (strcmp(err.field, "$.supersedes") == 0) {
            at.id = "ethnicity";
        }
        if (rc == PW_ECONFLICT && !about_identity) {
            char msg[512];
            (void)snprintf(msg, sizeof(msg),
                           "This concern was saved already, with something different: check "
                           "%s's record, then save again if you mean to record another concern",
                           ci.first);
            pw__page_error(pg, "narrative", msg);
            pw__concern_new_token(v); /* a second save records a new concern */
        } else if (rc == PW_ECONFLICT) {
            char msg[512];
            (void)snprintf(msg, sizeof(msg),
                           "Someone else corrected %s's identity details while you were "
                           "writing: check them and save again",
                           ci.first);
            pw__page_error(pg, at.id, msg);
        } else if (rc == PW_EINVAL && err.field[0] == '[' && strchr(err.field, '.') != NULL) {
            char msg[512];
            (void)snprintf(msg, sizeof(msg), "%s %.300s", at.words, err.msg);
            pw__page_error(pg, at.id, msg);
        } else {
            pw__page_error(pg, at.id, err.msg);
        }
        pg->resp->status = rc == PW_EBLOCKED ? 422 : (rc == PW_ECONFLICT ? 409 : 400);
        render_form(pg, &ci, v, NULL);
    } else if (rc == PW_EFORBIDDEN) {
        /* The record could be read but not written to (a role that may read but not record): the
         * form stays, with what was typed, for someone who may record it. */
        const char *why = strstr(err.msg, ": ");
        char msg[512];
        (void)snprintf(msg, sizeof(msg),
                       "You cannot record on %s's record (%.200s). Nothing has been saved: "
                       "copy what you wrote and give it to %s's allocated worker or your manager",
                       ci.first, why != NULL ? why + 2 : err.msg, ci.first);
        pw__page_error(pg, "narrative", msg);
        pg->resp->status = 403;
        render_form(pg, &ci, v, NULL);
    } else {
        json_decref(v);
        pw__page_api_fail(pg, rc, &err);
    }
    json_decref(out);
    info_release(&ci);
}
