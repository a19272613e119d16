/*
 * R03 picture-of-concern. Signs and indicators of possible sexual abuse, from any agency, are
 * weighed together over a rolling window (r03.window months): each 'suspect' sign counts more
 * than a 'consider' one (strengths by the child's age when seen), and every agency beyond the
 * first adds more, because the national review found that what one agency saw never met what
 * another knew. When the score reaches r03.threshold while no strategy discussion is under
 * way for the child, a strategy discussion must be considered within r03.consider_strategy
 * working days. Peter was progressed only on the fourth occasion; the defaults prompt by the
 * second (two 'consider' signs from two agencies reach 4).
 *
 * The alert is answered by a strategy discussion naming the child, or by a referral decision
 * on one of the child's concerns that records its rationale (the discussion was considered).
 * A sign after that answer, with the picture still over the threshold, prompts again: new
 * information is exactly when the review asked for a fresh look.
 */
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "concern.raised",    "indicator.observed", "strategy.held",     "referral.decided",
    "enquiry.concluded", "case.closed",        "person.registered", NULL,
};

/*
 * True when a strategy discussion about the child is under way on day: one that started a
 * section 47 or joint enquiry, until the enquiry concludes or the case closes.
 */
static bool
strategy_open(const struct pw_case *c, int32_t day)
{
    bool open = false;
    for (size_t i = 0; i < c->nfacts && c->facts[i].day <= day; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "strategy.held") && pw__jhas(f->body, "children", c->child)) {
            /* A discussion that decided on no enquiry is over the day it met. */
            open = pw__jtrue(f->body, "s47") || pw__jtrue(f->body, "joint_enquiry");
        } else if ((pw__is(f, "enquiry.concluded") || pw__is(f, "case.closed")) &&
                   pw__about_child(c, f)) {
            open = false;
        }
    }
    return open;
}

/*
 * The first fact after the sign that tipped the picture (in the order things happened) that
 * answers the prompt, or NULL: a decision recorded the same day on an earlier concern came
 * before the sign and did not weigh it.
 */
static const struct pw_case_fact *
answer(const struct pw_case *c, const char *tip_fact)
{
    size_t from = c->nfacts;
    for (size_t i = 0; i < c->nfacts; i++) {
        if (c->facts[i].current && strcmp(c->facts[i].id, tip_fact) == 0) {
            from = i + 1;
            break;
        }
    }
    for (size_t i = from; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "strategy.held") && pw__jhas(f->body, "children", c->child)) {
            return f;
        }
        if (pw__is(f, "referral.decided") && !pw__blank(pw__j(f->body, "rationale")) &&
            pw__concern_names_child(c, pw__j(f->body, "concern"))) {
            return f;
        }
    }
    return NULL;
}

static void
raise_prompt(struct pw__eval *ev, const struct pw_case *c, const struct pw_picture *p, size_t last,
             int32_t from, int score, size_t agencies)
{
    const struct pw_picture_sign *tip = &p->signs[last];
    struct pw__alert *a = pw__raise(ev, tip->fact, tip->day);
    pw__alert_agency(a, "csc");
    char codes[600] = "";
    size_t used = 0;
    for (size_t i = 0; i <= last; i++) {
        const struct pw_picture_sign *sg = &p->signs[i];
        if (sg->day < from || sg->strength == PW_STRENGTH_NONE) {
            continue;
        }
        pw__alert_because(a, sg->fact);
        int n = snprintf(codes + used, sizeof(codes) - used, "%s%s (%s, %s)", used > 0 ? "; " : "",
                         sg->indicator->code, sg->agency, pw_strength_name(sg->strength));
        if (n > 0 && (size_t)n < sizeof(codes) - used) {
            used += (size_t)n;
        }
    }
    int32_t due = pw_cal_add_working_days(tip->day, pw__cfg(c, PW_CFG_R03_DUE));
    pw__alert_due(a, due);
    char due_text[PW_DATE_TEXT_MAX];
    pw__day_text(due, due_text);
    pw__alert_message(
        a,
        "Signs of possible sexual abuse have built up from %zu agenc%s: %s. Score %d against a "
        "threshold of %d (r03.threshold) over the last %d months (r03.window). Consider a "
        "strategy discussion by %s (r03.consider_strategy: %d working day%s) and record the "
        "decision and its reasons. The child need not have said anything.",
        agencies, agencies == 1 ? "y" : "ies", codes, score, pw__cfg(c, PW_CFG_R03_THRESHOLD),
        pw__cfg(c, PW_CFG_R03_WINDOW), due_text, pw__cfg(c, PW_CFG_R03_DUE),
        pw__cfg(c, PW_CFG_R03_DUE) == 1 ? "" : "s");
    const struct pw_case_fact *ans = answer(c, tip->fact);
    if (ans != NULL) {
        pw__alert_resolved(a, ans);
    }
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    struct pw_picture p = { .arena = c->arena };
    pw__picture_signs(c, &p);
    int32_t answered_until = PW_NO_DAY; /* a prompt is pending, or was answered on this day */
    bool pending = false;
    for (size_t i = 0; i < p.nsigns; i++) {
        int32_t day = p.signs[i].day;
        /* Judge once a day, after every sign of that day is in. */
        if ((i + 1 < p.nsigns && p.signs[i + 1].day == day) || !pw__child_at(c, day)) {
            continue;
        }
        if (pending || day <= answered_until || strategy_open(c, day)) {
            continue;
        }
        int32_t from = pw__add_months(day, -pw__cfg(c, PW_CFG_R03_WINDOW)) + 1;
        size_t agencies = 0;
        int score = pw__picture_score(c, p.signs, i + 1, from, day, &agencies);
        if (score < pw__cfg(c, PW_CFG_R03_THRESHOLD)) {
            continue;
        }
        raise_prompt(ev, c, &p, i, from, score, agencies);
        const struct pw_case_fact *ans = answer(c, p.signs[i].fact);
        if (ans == NULL) {
            pending = true; /* one prompt at a time: the next comes after an answer */
        } else {
            answered_until = ans->day;
        }
    }
    free(p.signs);
}

const struct pw__rule pw__rule_r03 = {
    .id = "R03",
    .name = "picture-of-concern",
    .strength = PW__ACT,
    .finding =
        "Signs seen by different agencies were never put together; Peter's case was progressed only on the fourth occasion.",
    .source = "001 (Peter), 000 'build a picture'",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
