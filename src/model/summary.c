/*
 * One plain-English line for any fact, for a reader going down a chronology before a strategy
 * discussion: "risk recorded about p-dean-c: conviction, sexual, against an adult, 2009-11-03
 * (spent) (summary recorded)". Chronologies are read quickly, so free text (a note, narrative,
 * rationale, summary...) is never copied in: the line says it was recorded, and the record has
 * it. People are named by id; a caller may put names beside them.
 *
 * Codes become words (underscores to spaces), with a table of the few that read better
 * otherwise; "no further police action at this time" is always written out, never "NFA".
 * One function a type, in the order of facts.md; a type without one (a newer type) gets its
 * name and the people it names.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "model/model.h"

/* Free-text fields of one fact that were recorded, said at the end in one bracket. */
#define MAX_RECORDED 4

struct sum {
    struct pw_buf *out;
    const json_t *b;
    const char *sep; /* between the items after the ": " */
    bool any;        /* an item has been written */
    const char *recorded[MAX_RECORDED];
    size_t nrecorded;
};

/* Codes that do not read well with their underscores made spaces. */
static const struct {
    const char *code;
    const char *text;
} phrases[] = {
    { "pre_verbal", "pre-verbal" },
    { "non_verbal", "non-verbal" },
    { "half_sibling", "half-sibling" },
    { "step_parent", "step-parent" },
    { "step_sibling", "step-sibling" },
    { "aunt_uncle", "aunt or uncle" },
    { "record_linkage", "record linkage" },
    { "shpo", "sexual harm prevention order" },
    { "sro", "sexual risk order" },
    { "cawn", "child abduction warning notice" },
    { "fmpo", "forced marriage protection order" },
    { "non_molestation", "non-molestation order" },
    { "restraining", "restraining order" },
    { "signs_symbols", "signs and symbols" },
    { "abe_interview", "ABE interview" },
    { "out_of_court", "out-of-court outcome" },
    { "icpc", "initial child protection conference" },
    { "cin_plan", "child in need plan" },
    { "multi_agency_discussion", "multi-agency discussion" },
    { "review_conference", "review child protection conference" },
    { "cin_review", "child in need review" },
    { "mappa", "MAPPA meeting" },
    { "marac", "MARAC meeting" },
    { "core_group", "core group meeting" },
    { "sexual_risk_specialist", "specialist sexual risk" },
    { "hsb", "harmful sexual behaviour" },
    { "pre_release", "pre-release" },
    { "isva", "ISVA" },
    { "camhs", "CAMHS" },
    { "child_arrangements", "child arrangements" },
};

static const char *
str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* A field every valid fact of the type has; "?" rather than NULL for one that does not. */
static const char *
req(const json_t *obj, const char *key)
{
    const char *v = str(obj, key);
    return v != NULL ? v : "?";
}

static bool
has(const json_t *obj, const char *key)
{
    return json_object_get(obj, key) != NULL;
}

/* A code as words: "strategy_discussion" -> "strategy discussion". NULL adds nothing. */
static void
add_words(struct pw_buf *out, const char *code)
{
    if (code == NULL) {
        return;
    }
    for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
        if (strcmp(phrases[i].code, code) == 0) {
            pw_buf_adds(out, phrases[i].text);
            return;
        }
    }
    for (const char *p = code; *p != '\0'; p++) {
        if (*p == '_') {
            pw_buf_addc(out, ' ');
        } else {
            pw_buf_addc(out, *p);
        }
    }
}

/* The strings of an array, joined by ", ". */
static void
add_list(struct pw_buf *out, const json_t *arr)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v)) {
            pw_buf_adds(out, i > 0 ? ", " : "");
            pw_buf_adds(out, json_string_value(v));
        }
    }
}

/* Starts the next item: ": " before the first, the separator before the others. */
static void
next_item(struct sum *m)
{
    pw_buf_adds(m->out, m->any ? m->sep : ": ");
    m->any = true;
}

/* Notes that the free-text field key was recorded, as what ("rationale"). */
static void
note_text(struct sum *m, const json_t *obj, const char *key, const char *what)
{
    if (has(obj, key) && m->nrecorded < MAX_RECORDED) {
        m->recorded[m->nrecorded++] = what;
    }
}

/* Notes what once when any element of the array arr_key has the field key. */
static void
note_text_in(struct sum *m, const char *arr_key, const char *key, const char *what)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(m->b, arr_key), i, v)
    {
        if (has(v, key)) {
            note_text(m, v, key, what);
            return;
        }
    }
}

/* " (rationale recorded)", " (outcome and analysis recorded)", " (a, b and c recorded)". */
static void
finish(struct sum *m)
{
    if (m->nrecorded == 0) {
        return;
    }
    pw_buf_adds(m->out, " (");
    for (size_t i = 0; i < m->nrecorded; i++) {
        if (i > 0) {
            pw_buf_adds(m->out, i + 1 == m->nrecorded ? " and " : ", ");
        }
        pw_buf_adds(m->out, m->recorded[i]);
    }
    pw_buf_adds(m->out, " recorded)");
}

/* " from S", " from S to U", " until U", or nothing. */
static void
add_period(struct pw_buf *out, const json_t *b)
{
    const char *since = str(b, "since");
    const char *until = str(b, "until");
    if (since != NULL) {
        pw_buf_addf(out, " from %s", since);
    }
    if (until != NULL) {
        pw_buf_addf(out, since != NULL ? " to %s" : " until %s", until);
    }
}

/* "12 Mill Lane, LS6 2AB", "12 Mill Lane, Leeds", "LS6 2AB" or "UPRN 100023336956". */
static void
add_address(struct pw_buf *out, const json_t *addr)
{
    const char *line1 = str(addr, "line1");
    const char *place = str(addr, "postcode") != NULL ? str(addr, "postcode") : str(addr, "town");
    if (line1 != NULL) {
        pw_buf_adds(out, line1);
        pw_buf_adds(out, place != NULL ? ", " : "");
    }
    if (place != NULL) {
        pw_buf_adds(out, place);
    } else if (line1 == NULL && str(addr, "uprn") != NULL) {
        pw_buf_addf(out, "UPRN %s", req(addr, "uprn"));
    } else if (line1 == NULL) {
        pw_buf_adds(out, "an address");
    }
}

/* Attendees as their agencies: "csc, police, health (CSA expertise)". */
static void
add_attendees(struct pw_buf *out, const json_t *attendees)
{
    size_t i;
    json_t *a;
    json_array_foreach(attendees, i, a)
    {
        pw_buf_adds(out, i > 0 ? ", " : "");
        pw_buf_adds(out, str(a, "agency") != NULL ? str(a, "agency") : "?");
        if (json_is_true(json_object_get(a, "csa_expertise"))) {
            pw_buf_adds(out, " (CSA expertise)");
        }
    }
}

/* "2 sexual-abuse risks (1 without a mitigation)". Risk texts are free text: only counted. */
static void
add_csa_risks(struct sum *m)
{
    const json_t *risks = json_object_get(m->b, "csa_risks");
    size_t n = json_array_size(risks);
    size_t bare = 0;
    size_t i;
    json_t *r;
    if (n == 0) {
        return;
    }
    json_array_foreach(risks, i, r)
    {
        bare += has(r, "mitigation") ? 0 : 1;
    }
    next_item(m);
    pw_buf_addf(m->out, "%zu sexual-abuse risk%s", n, n == 1 ? "" : "s");
    if (bare > 0) {
        pw_buf_addf(m->out, " (%zu without a mitigation)", bare);
    }
}

static void
add_count(struct sum *m, const char *key, const char *one, const char *many)
{
    size_t n = json_array_size(json_object_get(m->b, key));
    if (n > 0) {
        next_item(m);
        pw_buf_addf(m->out, "%zu %s", n, n == 1 ? one : many);
    }
}

/* An optional boolean as "what" or "no what". */
static void
add_flag(struct sum *m, const char *key, const char *what)
{
    const json_t *v = json_object_get(m->b, key);
    if (json_is_boolean(v)) {
        next_item(m);
        pw_buf_addf(m->out, "%s%s", json_is_true(v) ? "" : "no ", what);
    }
}

/* An item "label value" when key is present: "language Urdu". */
static void
add_labelled(struct sum *m, const char *label, const char *key)
{
    const char *v = str(m->b, key);
    if (v != NULL) {
        next_item(m);
        pw_buf_adds(m->out, label);
        add_words(m->out, v);
    }
}

/* ---- People and their connections ---- */

static void
sum_person_registered(struct sum *m)
{
    const json_t *dob = json_object_get(m->b, "dob");
    pw_buf_addf(m->out, "%s registered", req(m->b, "person"));
    if (json_is_string(dob)) {
        next_item(m);
        pw_buf_addf(m->out, "born %s", json_string_value(dob));
    } else if (json_is_object(dob)) {
        next_item(m);
        pw_buf_addf(m->out, "born %lld",
                    (long long)json_integer_value(json_object_get(dob, "year")));
        if (json_is_integer(json_object_get(dob, "month"))) {
            pw_buf_addf(m->out, "-%02lld",
                        (long long)json_integer_value(json_object_get(dob, "month")));
        }
    }
    add_labelled(m, "", "sex");
    add_labelled(m, "language ", "language");
    if (json_is_true(json_object_get(m->b, "interpreter_needed"))) {
        next_item(m);
        pw_buf_adds(m->out, "interpreter needed");
    }
    add_labelled(m, "communication ", "communication");
    note_text(m, m->b, "disability", "disability");
}

static void
sum_person_linked(struct sum *m)
{
    const json_t *conf = json_object_get(m->b, "confidence");
    pw_buf_addf(m->out, "%s is the same person as %s", req(m->b, "person"), req(m->b, "same_as"));
    m->sep = ", ";
    add_labelled(m, "by ", "method");
    if (json_is_number(conf)) {
        next_item(m);
        pw_buf_addf(m->out, "confidence %.2f", json_number_value(conf));
    }
}

static void
sum_person_distinct(struct sum *m)
{
    const json_t *conf = json_object_get(m->b, "confidence");
    pw_buf_addf(m->out, "%s is not the same person as %s", req(m->b, "person"), req(m->b, "other"));
    m->sep = ", ";
    add_labelled(m, "by ", "method");
    if (json_is_number(conf)) {
        next_item(m);
        pw_buf_addf(m->out, "confidence %.2f", json_number_value(conf));
    }
    note_text(m, m->b, "reason", "reason");
}

static void
sum_relationship(struct sum *m)
{
    pw_buf_addf(m->out, "%s is the ", req(m->b, "from"));
    add_words(m->out, str(m->b, "kind"));
    pw_buf_addf(m->out, " of %s", req(m->b, "to"));
    add_period(m->out, m->b);
}

static void
sum_residence(struct sum *m)
{
    bool since = has(m->b, "since");
    bool until = has(m->b, "until");
    pw_buf_addf(m->out, "%s ", req(m->b, "person"));
    if (since && !until) {
        pw_buf_adds(m->out, "moved to ");
    } else {
        pw_buf_adds(m->out, since || until ? "lived at " : "lives at ");
    }
    add_address(m->out, json_object_get(m->b, "address"));
    add_period(m->out, m->b);
}

static void
sum_school(struct sum *m)
{
    pw_buf_addf(m->out, "school: %s at %s", req(m->b, "child"), req(m->b, "setting"));
    add_period(m->out, m->b);
}

/* ---- Risk of sexual harm ---- */

static void
sum_risk(struct sum *m)
{
    const char *against = str(m->b, "against");
    const json_t *mappa = json_object_get(m->b, "mappa");
    m->sep = ", ";
    pw_buf_addf(m->out, "risk recorded about %s", req(m->b, "person"));
    add_labelled(m, "", "kind");
    next_item(m);
    pw_buf_adds(m->out, json_is_true(json_object_get(m->b, "sexual")) ? "sexual" : "not sexual");
    if (against != NULL) {
        next_item(m);
        pw_buf_adds(m->out, strcmp(against, "child") == 0   ? "against a child"
                            : strcmp(against, "adult") == 0 ? "against an adult"
                                                            : "against someone unknown");
    }
    add_labelled(m, "", "date");
    if (json_is_true(json_object_get(m->b, "spent"))) {
        pw_buf_adds(m->out, " (spent)");
    }
    m->sep = "; ";
    add_labelled(m, "", "order");
    if (has(m->b, "until")) {
        pw_buf_addf(m->out, "%suntil %s", has(m->b, "order") ? " " : "; ", str(m->b, "until"));
    }
    if (json_is_object(mappa)) {
        next_item(m);
        pw_buf_addf(m->out, "MAPPA category %lld",
                    (long long)json_integer_value(json_object_get(mappa, "category")));
        if (has(mappa, "level")) {
            pw_buf_addf(m->out, ", level %lld",
                        (long long)json_integer_value(json_object_get(mappa, "level")));
        }
    }
    add_labelled(m, "managed by ", "managed_by");
    note_text(m, m->b, "conditions", "conditions");
    note_text(m, m->b, "summary", "summary");
}

static void
sum_custody_release(struct sum *m)
{
    pw_buf_addf(m->out, "release from custody planned for %s on %s", req(m->b, "person"),
                req(m->b, "date"));
    if (has(m->b, "address")) {
        pw_buf_adds(m->out, ", to ");
        add_address(m->out, json_object_get(m->b, "address"));
    }
}

static void
sum_disclosure_made(struct sum *m)
{
    pw_buf_addf(m->out, "disclosure about %s made to %s (", req(m->b, "person"), req(m->b, "to"));
    add_words(m->out, str(m->b, "kind"));
    pw_buf_adds(m->out, ")");
    if (has(m->b, "date")) {
        pw_buf_addf(m->out, " on %s", req(m->b, "date"));
    }
}

/* ---- Concerns and what is seen ---- */

static void
sum_concern(struct sum *m)
{
    const json_t *indicators = json_object_get(m->b, "indicators");
    size_t n = json_array_size(indicators);
    size_t i;
    json_t *ind;
    m->sep = "; ";
    pw_buf_adds(m->out, "concern raised about ");
    add_list(m->out, json_object_get(m->b, "children"));
    if (n > 0) {
        next_item(m);
        pw_buf_addf(m->out, "%zu indicator%s (", n, n == 1 ? "" : "s");
        json_array_foreach(indicators, i, ind)
        {
            pw_buf_adds(m->out, i > 0 ? ", " : "");
            pw_buf_adds(m->out, str(ind, "code") != NULL ? str(ind, "code") : "?");
        }
        pw_buf_adds(m->out, ")");
    }
    if (json_array_size(json_object_get(m->b, "alleged")) > 0) {
        next_item(m);
        pw_buf_adds(m->out, "alleged: ");
        add_list(m->out, json_object_get(m->b, "alleged"));
    }
    if (has(m->b, "disclosure")) {
        const char *kind = str(json_object_get(m->b, "disclosure"), "kind");
        next_item(m);
        pw_buf_adds(m->out, kind != NULL && strcmp(kind, "none") == 0 ? "no"
                            : kind != NULL                            ? kind
                                                                      : "?");
        pw_buf_adds(m->out, " disclosure");
    }
    note_text_in(m, "indicators", "note", "notes");
    note_text(m, m->b, "narrative", "narrative");
}

static void
sum_indicator(struct sum *m)
{
    pw_buf_addf(m->out, "indicator observed about %s: %s", req(m->b, "child"), req(m->b, "code"));
    if (has(m->b, "concern")) {
        pw_buf_addf(m->out, "; concern %s", str(m->b, "concern"));
    }
    note_text(m, m->b, "note", "note");
}

static void
sum_disclosure_retracted(struct sum *m)
{
    pw_buf_addf(m->out, "disclosure retracted by %s", req(m->b, "child"));
    if (has(m->b, "concern")) {
        pw_buf_addf(m->out, "; concern %s", str(m->b, "concern"));
    }
    note_text(m, m->b, "note", "note");
}

static void
sum_child_view(struct sum *m)
{
    pw_buf_addf(m->out, "view of %s recorded: ", req(m->b, "child"));
    add_words(m->out, str(m->b, "method"));
    note_text(m, m->b, "text", "text");
}

/* ---- The pathway ---- */

static void
sum_referral(struct sum *m)
{
    pw_buf_adds(m->out, "referral decided: ");
    add_words(m->out, str(m->b, "decision"));
    note_text(m, m->b, "rationale", "rationale");
}

static void
sum_child_decision(struct sum *m)
{
    pw_buf_addf(m->out, "decision about %s: ", req(m->b, "child"));
    add_words(m->out, str(m->b, "decision"));
    if (str(m->b, "about") != NULL) {
        pw_buf_addf(m->out, " (connected to %s)", str(m->b, "about"));
    }
    note_text(m, m->b, "rationale", "rationale");
}

static void
sum_allocation(struct sum *m)
{
    pw_buf_addf(m->out, "%s allocated to %s as ", req(m->b, "user"), req(m->b, "child"));
    add_words(m->out, str(m->b, "role"));
    add_period(m->out, m->b);
}

static void
sum_strategy(struct sum *m)
{
    const json_t *medical = json_object_get(m->b, "medical");
    m->sep = "; ";
    pw_buf_addf(m->out, "strategy discussion for episode %s", req(m->b, "episode"));
    next_item(m);
    add_attendees(m->out, json_object_get(m->b, "attendees"));
    add_flag(m, "s47", "s47");
    add_flag(m, "joint_enquiry", "joint enquiry");
    add_flag(m, "police_investigation", "police investigation");
    if (json_is_object(medical)) {
        next_item(m);
        pw_buf_adds(m->out, "medical ");
        add_words(m->out, str(medical, "decision"));
        note_text(m, medical, "reason", "medical reason");
    }
    add_count(m, "actions", "action", "actions");
}

static void
sum_investigation(struct sum *m)
{
    const char *event = str(m->b, "event");
    bool closed = event != NULL && strcmp(event, "closed") == 0 && has(m->b, "outcome");
    m->sep = "; ";
    pw_buf_adds(m->out, "investigation: ");
    add_words(m->out, closed ? str(m->b, "outcome") : event);
    if (has(m->b, "until")) {
        pw_buf_addf(m->out, " until %s", req(m->b, "until"));
    }
    m->any = true;
    add_labelled(m, "suspect ", "suspect");
    note_text(m, m->b, "conditions", "conditions");
}

static void
sum_enquiry(struct sum *m)
{
    pw_buf_addf(m->out, "enquiry concluded for %s: ", req(m->b, "child"));
    add_words(m->out, str(m->b, "outcome"));
    if (has(m->b, "next")) {
        pw_buf_adds(m->out, "; next: ");
        add_words(m->out, str(m->b, "next"));
    }
}

static void
sum_meeting(struct sum *m)
{
    m->sep = "; ";
    add_words(m->out, req(m->b, "kind"));
    pw_buf_adds(m->out, " held");
    if (has(m->b, "episode")) {
        pw_buf_addf(m->out, " for episode %s", req(m->b, "episode"));
    }
    if (json_array_size(json_object_get(m->b, "attendees")) > 0) {
        next_item(m);
        add_attendees(m->out, json_object_get(m->b, "attendees"));
    }
    if (has(m->b, "minutes_shared_with")) {
        next_item(m);
        pw_buf_adds(m->out, "minutes shared with ");
        add_list(m->out, json_object_get(m->b, "minutes_shared_with"));
        if (has(m->b, "shared_at")) {
            pw_buf_addf(m->out, " on %s", req(m->b, "shared_at"));
        }
    }
    note_text(m, m->b, "outcome", "outcome");
}

static void
sum_assessment(struct sum *m)
{
    const char *who = str(m->b, "child") != NULL ? str(m->b, "child") : str(m->b, "person");
    add_words(m->out, str(m->b, "kind"));
    pw_buf_addf(m->out, " assessment completed about %s", who != NULL ? who : "?");
    note_text(m, m->b, "outcome", "outcome");
    note_text(m, m->b, "analysis", "analysis");
}

static void
sum_plan(struct sum *m)
{
    m->sep = "; ";
    add_words(m->out, str(m->b, "kind"));
    pw_buf_addf(m->out, " plan made for %s", req(m->b, "child"));
    if (json_array_size(json_object_get(m->b, "categories")) > 0) {
        next_item(m);
        pw_buf_adds(m->out, "categories ");
        add_list(m->out, json_object_get(m->b, "categories"));
    }
    add_csa_risks(m);
    add_count(m, "re_referral_triggers", "re-referral trigger", "re-referral triggers");
    add_labelled(m, "relies on parent ", "relies_on_parent");
}

static void
sum_agreement(struct sum *m)
{
    pw_buf_addf(m->out, "written agreement for %s with parent %s", req(m->b, "child"),
                req(m->b, "parent"));
    if (has(m->b, "about")) {
        pw_buf_addf(m->out, " about %s", req(m->b, "about"));
    }
    note_text(m, m->b, "terms", "terms");
}

static void
sum_support(struct sum *m, const char *what)
{
    m->sep = ", ";
    pw_buf_addf(m->out, "support %s for %s", what, req(m->b, "person"));
    add_labelled(m, "", "kind");
    if (has(m->b, "provider")) {
        pw_buf_addf(m->out, " (%s)", req(m->b, "provider"));
    }
    if (has(m->b, "deferred_reason")) {
        next_item(m);
        pw_buf_adds(m->out, "deferred");
    }
    note_text(m, m->b, "deferred_reason", "reason");
    note_text(m, m->b, "point_of_contact", "point of contact");
}

static void
sum_support_started(struct sum *m)
{
    sum_support(m, "started");
}

static void
sum_support_ended(struct sum *m)
{
    sum_support(m, "ended");
}

static void
sum_court(struct sum *m)
{
    pw_buf_adds(m->out, "court application: ");
    add_words(m->out, str(m->b, "kind"));
    pw_buf_adds(m->out, " for ");
    add_list(m->out, json_object_get(m->b, "children"));
    if (json_array_size(json_object_get(m->b, "adults")) > 0) {
        pw_buf_adds(m->out, "; adults ");
        add_list(m->out, json_object_get(m->b, "adults"));
    }
}

static void
sum_case_closed(struct sum *m)
{
    m->sep = "; ";
    pw_buf_addf(m->out, "case closed for %s", req(m->b, "child"));
    add_csa_risks(m);
    add_count(m, "re_referral_triggers", "re-referral trigger", "re-referral triggers");
    note_text(m, m->b, "rationale", "rationale");
}

static void
sum_information_shared(struct sum *m)
{
    pw_buf_addf(m->out, "restricted fact %s shared for episode %s with ", req(m->b, "fact"),
                req(m->b, "episode"));
    add_list(m->out, json_object_get(m->b, "with"));
    note_text(m, m->b, "reason", "reason");
}

/* A type without a summary of its own: its name and the people it names. */
static void
sum_default(struct sum *m, const char *type)
{
    static const char *const person_keys[] = {
        "person",  "child",   "children", "from",  "to",     "same_as",
        "alleged", "suspect", "parent",   "about", "adults", NULL,
    };
    pw_buf_adds(m->out, type != NULL ? type : "fact");
    m->sep = ", ";
    for (const char *const *k = person_keys; *k != NULL; k++) {
        const json_t *v = json_object_get(m->b, *k);
        if (json_is_string(v) || json_array_size(v) > 0) {
            pw_buf_adds(m->out, m->any ? ", " : " about ");
            m->any = true;
            if (json_is_string(v)) {
                pw_buf_adds(m->out, json_string_value(v));
            } else {
                add_list(m->out, v);
            }
        }
    }
}

static const struct {
    const char *type;
    void (*fn)(struct sum *m);
} summaries[] = {
    { "person.registered", sum_person_registered },
    { "person.linked", sum_person_linked },
    { "person.distinct", sum_person_distinct },
    { "relationship.recorded", sum_relationship },
    { "residence.recorded", sum_residence },
    { "school.recorded", sum_school },
    { "risk.recorded", sum_risk },
    { "custody.release_planned", sum_custody_release },
    { "disclosure.made", sum_disclosure_made },
    { "concern.raised", sum_concern },
    { "indicator.observed", sum_indicator },
    { "disclosure.retracted", sum_disclosure_retracted },
    { "child.view_recorded", sum_child_view },
    { "referral.decided", sum_referral },
    { "child.decision_recorded", sum_child_decision },
    { "allocation.changed", sum_allocation },
    { "strategy.held", sum_strategy },
    { "investigation.updated", sum_investigation },
    { "enquiry.concluded", sum_enquiry },
    { "meeting.held", sum_meeting },
    { "assessment.completed", sum_assessment },
    { "plan.made", sum_plan },
    { "agreement.recorded", sum_agreement },
    { "support.started", sum_support_started },
    { "support.ended", sum_support_ended },
    { "court.application", sum_court },
    { "case.closed", sum_case_closed },
    { "information.shared", sum_information_shared },
};

void
pw_fact_summary(const json_t *body, struct pw_buf *out)
{
    const char *type = str(body, "type");
    struct sum m = { .out = out, .b = body, .sep = ", " };
    for (size_t i = 0; type != NULL && i < sizeof(summaries) / sizeof(summaries[0]); i++) {
        if (strcmp(summaries[i].type, type) == 0) {
            summaries[i].fn(&m);
            finish(&m);
            return;
        }
    }
    sum_default(&m, type);
}
