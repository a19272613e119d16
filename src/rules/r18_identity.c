/*
 * R18 identity-considered. A referral decision about a concern naming the child, an assessment
 * of the child or a plan for them, made while the child's registration records no ethnicity,
 * language, disability or communication needs, raises a consider alert: the audit found
 * assessments that left out who the child is (race, culture, language, disability, how they
 * communicate), and with it what shaped their experience and what they could tell us.
 *
 * Judgements. The registration judged is the one in force when the referral, assessment or plan
 * was recorded: the latest registration of the child recorded before it (by log position, so a
 * registration later corrected counts as it stood then). No alert when the fields were there
 * already. The alert is answered by the correcting registration (person.registered superseding
 * the old one) once the child's current registration has every field. A disability array that
 * is empty means "no disability" and counts as recorded; an absent one does not. Culture has no
 * field of its own: ethnicity and language stand for it, and the message asks about it.
 */
#include <string.h>

#include "core/buf.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "referral.decided",  "assessment.completed", "plan.made",
    "person.registered", "concern.raised",       NULL,
};

static bool
is_child(const json_t *body, const char *key, const char *child)
{
    const char *v = pw__j(body, key);
    return v != NULL && strcmp(v, child) == 0;
}

/* True when f is a referral decision, assessment or plan about the case's child. */
static bool
is_trigger(const struct pw_case *c, const struct pw_case_fact *f)
{
    if (pw__is(f, "assessment.completed") || pw__is(f, "plan.made")) {
        return is_child(f->body, "child", c->child);
    }
    return pw__is(f, "referral.decided") && pw__concern_names_child(c, pw__j(f->body, "concern"));
}

/* The child's registration as it stood when the fact at log position seq was recorded. */
static const struct pw_case_fact *
registration_then(const struct pw_case *c, int64_t seq)
{
    const struct pw_case_fact *reg = NULL;
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (strcmp(f->type, "person.registered") == 0 && is_child(f->body, "person", c->child) &&
            f->seq < seq && (reg == NULL || f->seq > reg->seq)) {
            reg = f;
        }
    }
    return reg;
}

/* Appends to out (", "-separated) what reg lacks; returns how many. */
static int
missing_fields(const struct pw_case_fact *reg, struct pw_buf *out)
{
    int n = 0;
    const json_t *b = reg->body;
    const char *what[4];
    if (pw__blank(pw__j(b, "ethnicity"))) {
        what[n++] = "ethnicity";
    }
    if (pw__blank(pw__j(b, "language"))) {
        what[n++] = "language";
    }
    if (!json_is_array(json_object_get(b, "disability"))) {
        what[n++] = "disability (an empty list when none)";
    }
    if (pw__j(b, "communication") == NULL) {
        what[n++] = "communication needs";
    }
    for (int i = 0; out != NULL && i < n; i++) {
        pw_buf_adds(out, i == 0 ? "" : (i == n - 1 ? " or " : ", "));
        pw_buf_adds(out, what[i]);
    }
    return n;
}

static const char *
trigger_name(const struct pw_case_fact *f)
{
    if (strcmp(f->type, "referral.decided") == 0) {
        return "referral decision";
    }
    return strcmp(f->type, "plan.made") == 0 ? "plan" : "assessment";
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    const struct pw_case_fact *now = pw__registration(c, c->child);
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!is_trigger(c, f) || !pw__child_at(c, f->day)) {
            continue;
        }
        const struct pw_case_fact *then = registration_then(c, f->seq);
        struct pw_buf missing;
        pw_buf_init(&missing, 0);
        if (then != NULL && missing_fields(then, &missing) > 0) {
            struct pw__alert *a = pw__raise(ev, f->id, f->day);
            pw__alert_agency(a, strcmp(f->agency, "other") == 0 ? "csc" : f->agency);
            pw__alert_because(a, f->id);
            pw__alert_message(a,
                              "The %s %s was made while %s's record had no %s. Consider who "
                              "the child is (ethnicity, culture, faith, language, any "
                              "disability and how they communicate) and how it shapes their "
                              "experience and what they can tell us; record it by correcting "
                              "their registration (person.registered superseding %s).",
                              trigger_name(f), f->id, c->child, pw_buf_cstr(&missing),
                              now != NULL ? now->id : then->id);
            if (now != NULL && now->seq > then->seq && missing_fields(now, NULL) == 0) {
                pw__alert_resolved(a, now);
            }
        }
        pw_buf_release(&missing);
    }
}

const struct pw__rule pw__rule_r18 = {
    .id = "R18",
    .name = "identity-considered",
    .strength = PW__CONSIDER,
    .finding =
        "Assessments left out the child's ethnicity, language, culture, disability and communication needs.",
    .source = "004 anti-racist practice, 000 (race, disability)",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
