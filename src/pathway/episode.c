/*
 * An episode's stage and deadlines, derived from its facts (pathway.h). The steps are one table
 * (steps[] below): each says what starts its clock, what meets it, which configuration key
 * holds its timescale and in what unit, and whether it recurs (a core group or review starts
 * the clock for the next). For each step the first fact that starts the clock makes it
 * applicable; the first later fact that meets it meets it. A step with no fact to start its
 * clock does not appear: no conference without a strategy discussion that started a section 47
 * enquiry, no core group before a conference.
 *
 * Counting. The statutory timescales of many working days (an assessment in 45, a conference
 * in 15, a first core group in 10) count as the DfE's validator does, the day the clock starts
 * being day 1 (pathway.md): pw_cal_deadline(X, n). The one-working-day steps (a referral
 * decision, a strategy discussion) are the next working day after X (pw_cal_add_working_days):
 * pathway.md sets "the same working day" for a strategy discussion when abuse may be recent
 * apart from "1 working day" otherwise, which day-1 counting would make the same day, and
 * practitioners read Working Together's "within one working day" as by the end of the next.
 * Weeks and months are calendar periods from the day the clock started (a month on from
 * 31 January is 28 or 29 February). A date-time counts on its date in England.
 */
#include "pathway/pathway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/calendar.h"
#include "core/time.h"

/* One fact of the episode, parsed. */
struct ev {
    char id[PW_ID_MAX + 1];
    char type[40];
    int32_t day;
    json_t *body;
};

struct ep {
    const char *episode;
    struct ev *facts; /* in the order things happened */
    size_t n, cap;
    char (*children)[PW_ID_MAX + 1];
    size_t nchildren, children_cap;
};

enum unit {
    UNIT_WORKING_DAYS,       /* the start is day 1 (DfE) */
    UNIT_WORKING_DAYS_AFTER, /* working days after the start */
    UNIT_WEEKS,
    UNIT_MONTHS,
};

/* One step of pathway.md's table of timescales. */
struct step_def {
    const char *id;
    const char *name; /* recurring: numbered from 2 ("core group 2"), the first being a step */
    enum pw_config_key key;
    enum unit unit;
    bool recurs;
    bool (*starts)(const struct ep *e, size_t i);
    bool (*meets)(const struct ep *e, size_t start, size_t i);
    /* NULL, or why the step is no longer needed although its clock started. */
    const char *(*moot)(const struct ep *e);
    const struct pw_step_guide *guide;
};

/* ---- Reading the facts ---- */

static const char *
str(const struct ep *e, size_t i, const char *key)
{
    return json_string_value(json_object_get(e->facts[i].body, key));
}

static bool
field_is(const struct ep *e, size_t i, const char *key, const char *value)
{
    const char *v = str(e, i, key);
    return v != NULL && strcmp(v, value) == 0;
}

static bool
is(const struct ep *e, size_t i, const char *type)
{
    return strcmp(e->facts[i].type, type) == 0;
}

static bool
has_child(const struct ep *e, const char *child)
{
    for (size_t k = 0; k < e->nchildren; k++) {
        if (strcmp(e->children[k], child) == 0) {
            return true;
        }
    }
    return false;
}

static void
add_child(struct ep *e, const char *child)
{
    if (child == NULL || has_child(e, child) || strlen(child) > PW_ID_MAX) {
        return;
    }
    if (e->nchildren == e->children_cap) {
        e->children_cap = e->children_cap == 0 ? 4 : pw_mul_size(e->children_cap, 2);
        e->children =
            pw_xrealloc(e->children, pw_mul_size(e->children_cap, sizeof(e->children[0])));
    }
    (void)snprintf(e->children[e->nchildren++], sizeof(e->children[0]), "%s", child);
}

/* The children of the episode: those its concerns, strategy discussions and enquiries name. */
static void
find_children(struct ep *e)
{
    for (size_t i = 0; i < e->n; i++) {
        if (is(e, i, "concern.raised") || is(e, i, "strategy.held")) {
            size_t k;
            json_t *child;
            json_array_foreach(json_object_get(e->facts[i].body, "children"), k, child)
            {
                add_child(e, json_string_value(child));
            }
        } else if (is(e, i, "enquiry.concluded")) {
            add_child(e, str(e, i, "child"));
        }
    }
}

/* The date in England on which a fact happened. */
static enum pw_status
fact_day(const char *at, int32_t *day, struct pw_error *err)
{
    struct pw_when w;
    enum pw_status rc = pw_when_parse(at, strlen(at), &w, err);
    if (rc == PW_OK) {
        *day = w.has_time ? pw_time_uk_date(w.us) : pw_when_day(&w);
    }
    return rc;
}

static enum pw_status
take_fact(void *ctx, const struct pw_log_entry *f, struct pw_error *err)
{
    struct ep *e = ctx;
    if (e->n == e->cap) {
        e->cap = e->cap == 0 ? 32 : pw_mul_size(e->cap, 2);
        e->facts = pw_xrealloc(e->facts, pw_mul_size(e->cap, sizeof(e->facts[0])));
    }
    struct ev *v = &e->facts[e->n];
    memset(v, 0, sizeof(*v));
    (void)snprintf(v->id, sizeof(v->id), "%s", f->id);
    (void)snprintf(v->type, sizeof(v->type), "%s", f->type);
    v->body = json_loads(f->body, 0, NULL);
    if (!json_is_object(v->body) || fact_day(f->at, &v->day, NULL) != PW_OK) {
        json_decref(v->body);
        return pw_fail(err, PW_EINTEGRITY,
                       "log entry %lld cannot be read: run pathway audit verify",
                       (long long)f->seq);
    }
    e->n++;
    return PW_OK;
}

static void
ep_release(struct ep *e)
{
    for (size_t i = 0; i < e->n; i++) {
        json_decref(e->facts[i].body);
    }
    free(e->facts);
    free(e->children);
}

/* ---- What starts a clock and what meets it ---- */

/* A referral decision for this episode (a concern may have others). */
static bool
decided(const struct ep *e, size_t i)
{
    return is(e, i, "referral.decided") && field_is(e, i, "episode", e->episode);
}

static bool
decided_strategy(const struct ep *e, size_t i)
{
    return decided(e, i) && field_is(e, i, "decision", "strategy_discussion");
}

/* A referral for an assessment; a section 47 enquiry has one too. */
static bool
decided_assessment(const struct ep *e, size_t i)
{
    return decided(e, i) && (field_is(e, i, "decision", "assessment") ||
                             field_is(e, i, "decision", "strategy_discussion"));
}

static bool
concern_raised(const struct ep *e, size_t i)
{
    return is(e, i, "concern.raised");
}

static bool
strategy_held(const struct ep *e, size_t i)
{
    return is(e, i, "strategy.held");
}

static bool
strategy_s47(const struct ep *e, size_t i)
{
    return strategy_held(e, i) && json_is_true(json_object_get(e->facts[i].body, "s47"));
}

static bool
meeting(const struct ep *e, size_t i, const char *kind)
{
    return is(e, i, "meeting.held") && field_is(e, i, "kind", kind) &&
           field_is(e, i, "episode", e->episode);
}

static bool
icpc_held(const struct ep *e, size_t i)
{
    return meeting(e, i, "icpc");
}

static bool
core_group_held(const struct ep *e, size_t i)
{
    return meeting(e, i, "core_group");
}

static bool
review_held(const struct ep *e, size_t i)
{
    return meeting(e, i, "review_conference");
}

static bool
meets_decided(const struct ep *e, size_t start, size_t i)
{
    (void)start;
    return decided(e, i);
}

static bool
meets_strategy(const struct ep *e, size_t start, size_t i)
{
    (void)start;
    return strategy_held(e, i);
}

static bool
meets_icpc(const struct ep *e, size_t start, size_t i)
{
    (void)start;
    return icpc_held(e, i);
}

static bool
meets_core_group(const struct ep *e, size_t start, size_t i)
{
    (void)start;
    return core_group_held(e, i);
}

static bool
meets_review(const struct ep *e, size_t start, size_t i)
{
    (void)start;
    return review_held(e, i);
}

static bool
assessed(const struct ep *e, size_t i, const char *child)
{
    return is(e, i, "assessment.completed") && field_is(e, i, "kind", "child_and_family") &&
           field_is(e, i, "child", child);
}

/* The assessment that completes the set: every child assessed since the referral. */
static bool
meets_assessment(const struct ep *e, size_t start, size_t i)
{
    const char *child = str(e, i, "child");
    if (child == NULL || !has_child(e, child) || !assessed(e, i, child)) {
        return false;
    }
    for (size_t k = 0; k < e->nchildren; k++) {
        bool found = false;
        for (size_t j = start + 1; j <= i && !found; j++) {
            found = assessed(e, j, e->children[k]);
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

static bool
any(const struct ep *e, bool (*pred)(const struct ep *, size_t))
{
    for (size_t i = 0; i < e->n; i++) {
        if (pred(e, i)) {
            return true;
        }
    }
    return false;
}

static bool
enquiry_concluded(const struct ep *e, size_t i)
{
    return is(e, i, "enquiry.concluded") && field_is(e, i, "episode", e->episode);
}

static bool
enquiry_to_icpc(const struct ep *e, size_t i)
{
    return enquiry_concluded(e, i) && field_is(e, i, "next", "icpc");
}

/* Concluded enquiries that all went another way make a conference no longer due. */
static const char *
icpc_moot(const struct ep *e)
{
    if (any(e, enquiry_concluded) && !any(e, enquiry_to_icpc)) {
        return "the section 47 enquiry concluded without a conference";
    }
    return NULL;
}

/*
 * pathway.md's timescales. The strategy discussion is due the same working day when sexual
 * abuse may be recent (forensic evidence; strategy.discussion_recent_abuse); no fact says so
 * yet, so the usual strategy.discussion (the next working day) applies.
 */
/*
 * Who must act on each step, what to do and why it matters: what a work list says. Children's
 * social care leads every step; a strategy discussion also needs police and health there
 * (pathway.md: the minimum membership, Working Together 2023).
 */
static const char *const by_csc[] = { "csc", NULL };
static const char *const by_strategy_members[] = { "csc", "police", "health", NULL };

static const struct pw_step_guide guide_referral = {
    by_csc,
    "Decide what happens next for the child: a strategy discussion, an assessment, early "
    "help or no further action, with the reasons recorded",
    "A child whose concern waits for a decision is a child nobody is yet protecting (Working "
    "Together 2023: a decision within one working day)"
};
static const struct pw_step_guide guide_strategy = {
    by_strategy_members,
    "Hold the strategy discussion with children's social care, police and health (someone with "
    "experience of child sexual abuse), and probation or the school when the case needs them",
    "There is reasonable cause to suspect significant harm: the child's safety and the evidence "
    "depend on the agencies deciding together, quickly (national review: discussions held "
    "without health or probation)"
};
static const struct pw_step_guide guide_assessment = {
    by_csc, "Complete the child and family assessment, with the child seen and heard",
    "Working Together 2023: within 45 working days of the referral, so the child's needs are "
    "known and met"
};
static const struct pw_step_guide guide_icpc = {
    by_csc, "Hold the initial child protection conference, with every agency's report",
    "Working Together 2023: within 15 working days of the strategy discussion that started the "
    "section 47 enquiry, so a plan protects the child"
};
static const struct pw_step_guide guide_core_group = {
    by_csc, "Hold the core group: check the plan is protecting the child and change what is not",
    "Working Together 2023: the first within 10 working days of the conference, then at least "
    "every six weeks, so the plan does not drift"
};
static const struct pw_step_guide guide_review = {
    by_csc, "Hold the review conference: is the child still at risk of significant harm?",
    "Working Together 2023: the first within three months of the initial conference, then at "
    "most six months apart"
};

static const struct step_def steps[] = {
    { "referral_decision", "referral decision", PW_CFG_REFERRAL_DECISION, UNIT_WORKING_DAYS_AFTER,
      false, concern_raised, meets_decided, NULL, &guide_referral },
    { "strategy_discussion", "strategy discussion", PW_CFG_STRATEGY_DISCUSSION,
      UNIT_WORKING_DAYS_AFTER, false, decided_strategy, meets_strategy, NULL, &guide_strategy },
    { "assessment", "child and family assessment", PW_CFG_ASSESSMENT, UNIT_WORKING_DAYS, false,
      decided_assessment, meets_assessment, NULL, &guide_assessment },
    { "icpc", "initial child protection conference", PW_CFG_ICPC, UNIT_WORKING_DAYS, false,
      strategy_s47, meets_icpc, icpc_moot, &guide_icpc },
    { "core_group_first", "first core group", PW_CFG_CORE_GROUP_FIRST, UNIT_WORKING_DAYS, false,
      icpc_held, meets_core_group, NULL, &guide_core_group },
    { "core_group", "core group", PW_CFG_CORE_GROUP_INTERVAL, UNIT_WEEKS, true, core_group_held,
      meets_core_group, NULL, &guide_core_group },
    { "review_first", "first review conference", PW_CFG_REVIEW_FIRST, UNIT_MONTHS, false, icpc_held,
      meets_review, NULL, &guide_review },
    { "review", "review conference", PW_CFG_REVIEW_INTERVAL, UNIT_MONTHS, true, review_held,
      meets_review, NULL, &guide_review },
};

#define STEP_COUNT (sizeof(steps) / sizeof(steps[0]))

/* ---- Dates ---- */

static int32_t
add_months(int32_t day, int months)
{
    int y = 0;
    int m = 0;
    int d = 0;
    pw_date_to_ymd(day, &y, &m, &d);
    int total = (m - 1) + months;
    y += total / 12;
    m = total % 12 + 1;
    int last = pw_date_days_in_month(y, m);
    return pw_date_from_ymd(y, m, d < last ? d : last);
}

static int32_t
due_date(const struct step_def *def, int32_t start, int amount)
{
    switch (def->unit) {
    case UNIT_WEEKS:
        return start + (int32_t)amount * 7;
    case UNIT_MONTHS:
        return add_months(start, amount);
    case UNIT_WORKING_DAYS_AFTER:
        return pw_cal_add_working_days(start, amount);
    case UNIT_WORKING_DAYS:
        break;
    }
    return pw_cal_deadline(start, amount);
}

static const char *
unit_name(enum unit u)
{
    switch (u) {
    case UNIT_WEEKS:
        return "weeks";
    case UNIT_MONTHS:
        return "months";
    case UNIT_WORKING_DAYS:
    case UNIT_WORKING_DAYS_AFTER:
        break;
    }
    return "working days";
}

/* Working days after due up to day; at least 1 (a weekend day after a Friday is late too). */
static int
working_days_late(int32_t due, int32_t day)
{
    int n = pw_cal_working_days_between(due + 1, day);
    return n < 1 ? 1 : n;
}

/* ---- The steps ---- */

struct steps_out {
    struct pw_step *list;
    size_t n, cap;
    size_t *order; /* the order each was found in, to keep sorting stable */
};

static struct pw_step *
new_step(struct steps_out *o)
{
    if (o->n == o->cap) {
        o->cap = o->cap == 0 ? 16 : pw_mul_size(o->cap, 2);
        o->list = pw_xrealloc(o->list, pw_mul_size(o->cap, sizeof(o->list[0])));
    }
    struct pw_step *st = &o->list[o->n++];
    memset(st, 0, sizeof(*st));
    return st;
}

static void
set_status(struct pw_step *st, int32_t now, const char *moot)
{
    if (st->met) {
        st->status = st->met_day <= st->due ? PW_STEP_MET : PW_STEP_MET_LATE;
        st->by = st->met_day <= st->due ? 0 : working_days_late(st->due, st->met_day);
    } else if (moot != NULL) {
        st->status = PW_STEP_NA;
        st->note = moot;
    } else if (now > st->due) {
        st->status = PW_STEP_OVERDUE;
        st->by = working_days_late(st->due, now);
    } else {
        st->status = PW_STEP_DUE;
    }
}

/* The occurrence of def whose clock fact `start` started. */
static void
add_occurrence(const struct ep *e, const struct step_def *def, const struct pw_config *config,
               size_t start, int occurrence, const char *closed, int32_t now, struct steps_out *o)
{
    struct pw_step *st = new_step(o);
    st->id = def->id;
    st->guide = def->guide;
    if (def->recurs) {
        /* The first of a recurring kind is its own step: the n-th held starts the (n+1)-th. */
        st->occurrence = occurrence + 1;
        (void)snprintf(st->name, sizeof(st->name), "%s %d", def->name, st->occurrence);
    } else {
        st->occurrence = occurrence;
        (void)snprintf(st->name, sizeof(st->name), "%s", def->name);
    }
    st->amount = pw_config_get(config, def->key);
    st->unit = unit_name(def->unit);
    st->counted = def->unit == UNIT_WORKING_DAYS_AFTER ? "after" : "from";
    (void)snprintf(st->clock_fact, sizeof(st->clock_fact), "%s", e->facts[start].id);
    st->clock_day = e->facts[start].day;
    st->due = due_date(def, st->clock_day, st->amount);
    for (size_t i = start + 1; i < e->n && !st->met; i++) {
        if (def->meets(e, start, i)) {
            st->met = true;
            (void)snprintf(st->met_fact, sizeof(st->met_fact), "%s", e->facts[i].id);
            st->met_day = e->facts[i].day;
        }
    }
    const char *moot = closed != NULL ? closed : (def->moot != NULL ? def->moot(e) : NULL);
    set_status(st, now, moot);
}

static void
add_steps(const struct ep *e, const struct pw_config *config, const char *closed, int32_t now,
          struct steps_out *o)
{
    for (size_t d = 0; d < STEP_COUNT; d++) {
        int occurrence = 0;
        for (size_t i = 0; i < e->n; i++) {
            if (!steps[d].starts(e, i)) {
                continue;
            }
            add_occurrence(e, &steps[d], config, i, ++occurrence, closed, now, o);
            if (!steps[d].recurs) {
                break;
            }
        }
    }
}

/* Overdue (most first), then due (soonest first), then met, then not needed; else as found. */
static int
step_rank(const struct pw_step *s)
{
    return (int)s->status == (int)PW_STEP_MET_LATE ? (int)PW_STEP_MET : (int)s->status;
}

static int
step_order(const void *a, const void *b)
{
    const struct pw_step *x = a;
    const struct pw_step *y = b;
    if (step_rank(x) != step_rank(y)) {
        return step_rank(x) < step_rank(y) ? -1 : 1;
    }
    if (x->status == PW_STEP_OVERDUE && x->by != y->by) {
        return x->by > y->by ? -1 : 1;
    }
    if (x->due != y->due) {
        return x->due < y->due ? -1 : 1;
    }
    return x->clock_day < y->clock_day ? -1 : (x->clock_day > y->clock_day ? 1 : 0);
}

/* ---- The stage ---- */

static bool
case_closed_for(const struct ep *e, const char *child)
{
    for (size_t i = 0; i < e->n; i++) {
        if (is(e, i, "case.closed") && field_is(e, i, "child", child)) {
            return true;
        }
    }
    return false;
}

static bool
all_closed(const struct ep *e)
{
    for (size_t k = 0; k < e->nchildren; k++) {
        if (!case_closed_for(e, e->children[k])) {
            return false;
        }
    }
    return e->nchildren > 0;
}

/* True when some fact is of type with key equal to value (and, for episode facts, ours). */
static bool
seen(const struct ep *e, const char *type, const char *key, const char *value)
{
    for (size_t i = 0; i < e->n; i++) {
        bool ours = !json_is_string(json_object_get(e->facts[i].body, "episode")) ||
                    field_is(e, i, "episode", e->episode);
        if (ours && is(e, i, type) && field_is(e, i, key, value)) {
            return true;
        }
    }
    return false;
}

static bool
decision(const struct ep *e, const char *value)
{
    for (size_t i = 0; i < e->n; i++) {
        if (decided(e, i) && field_is(e, i, "decision", value)) {
            return true;
        }
    }
    return false;
}

/* The furthest the course has reached: later stages first. */
static enum pw_stage
stage_of(const struct ep *e)
{
    if (all_closed(e)) {
        return PW_STAGE_CLOSED;
    }
    if (any(e, icpc_held) || seen(e, "plan.made", "kind", "child_protection")) {
        return PW_STAGE_PLAN;
    }
    if (any(e, enquiry_to_icpc)) {
        return PW_STAGE_ICPC;
    }
    if (seen(e, "enquiry.concluded", "next", "cin_plan") ||
        seen(e, "plan.made", "kind", "child_in_need")) {
        return PW_STAGE_CIN;
    }
    if (seen(e, "enquiry.concluded", "next", "early_help") || decision(e, "early_help") ||
        seen(e, "plan.made", "kind", "early_help")) {
        return PW_STAGE_EARLY_HELP;
    }
    if (seen(e, "enquiry.concluded", "next", "close") || decision(e, "no_further_action")) {
        return PW_STAGE_NFA;
    }
    if (any(e, strategy_s47)) {
        return PW_STAGE_S47;
    }
    if (any(e, strategy_held) || decision(e, "assessment")) {
        return PW_STAGE_ASSESSMENT;
    }
    if (decision(e, "strategy_discussion")) {
        return PW_STAGE_STRATEGY;
    }
    return any(e, decided) ? PW_STAGE_REFERRAL : PW_STAGE_CONCERN;
}

/* ---- The view ---- */

static void
fill_view(const struct ep *e, const struct pw_config *config, int32_t now,
          struct pw_episode_view *out)
{
    struct steps_out o = { 0 };
    const char *closed = all_closed(e) ? "the case was closed" : NULL;
    out->stage = stage_of(e);
    out->now = now;
    add_steps(e, config, closed, now, &o);
    if (o.n > 1) {
        qsort(o.list, o.n, sizeof(o.list[0]), step_order);
    }
    out->steps = o.list;
    out->nsteps = o.n;
    if (e->nchildren > 0) {
        out->children = pw_xcalloc(e->nchildren, sizeof(out->children[0]));
        memcpy(out->children, e->children, e->nchildren * sizeof(out->children[0]));
    }
    out->nchildren = e->nchildren;
}

enum pw_status
pw_pathway_episode(struct pw_store *s, const struct pw_config *config, const char *episode,
                   int32_t now_day, struct pw_episode_view *out, struct pw_error *err)
{
    struct ep e = { .episode = episode };
    memset(out, 0, sizeof(*out));
    enum pw_status rc = PW_OK;
    if (strlen(episode) > PW_ID_MAX) {
        rc = pw_fail(err, PW_ENOTFOUND, "episode \"%.64s...\" is not known", episode);
        goto out;
    }
    rc = pw_store_episode_facts(s, episode, take_fact, &e, err);
    if (rc != PW_OK) {
        goto out;
    }
    (void)snprintf(out->episode, sizeof(out->episode), "%s", episode);
    find_children(&e);
    fill_view(&e, config, now_day, out);
out:
    ep_release(&e);
    return rc;
}

void
pw_episode_view_release(struct pw_episode_view *v)
{
    free(v->children);
    free(v->steps);
    memset(v, 0, sizeof(*v));
}

const char *
pw_pathway_stage_name(enum pw_stage stage)
{
    static const char *const names[] = {
        [PW_STAGE_CONCERN] = "concern raised",
        [PW_STAGE_REFERRAL] = "referral decided",
        [PW_STAGE_STRATEGY] = "strategy discussion",
        [PW_STAGE_ASSESSMENT] = "child and family assessment",
        [PW_STAGE_S47] = "section 47 enquiry",
        [PW_STAGE_ICPC] = "initial child protection conference",
        [PW_STAGE_PLAN] = "child protection plan: core groups and reviews",
        [PW_STAGE_CIN] = "child in need plan",
        [PW_STAGE_EARLY_HELP] = "early help",
        [PW_STAGE_NFA] = "no further action",
        [PW_STAGE_CLOSED] = "closed",
    };
    return names[stage];
}

const char *
pw_pathway_status_name(enum pw_step_status status)
{
    static const char *const names[] = {
        [PW_STEP_OVERDUE] = "overdue",   [PW_STEP_DUE] = "due",
        [PW_STEP_MET_LATE] = "met_late", [PW_STEP_MET] = "met",
        [PW_STEP_NA] = "not_applicable",
    };
    return names[status];
}

/* ---- JSON ---- */

static json_t *
date_json(int32_t day)
{
    char text[PW_DATE_TEXT_MAX];
    pw_date_format(day, text);
    return json_string(text);
}

static json_t *
step_json(const struct pw_step *st)
{
    json_t *o = json_object();
    json_t *clock = json_object();
    (void)json_object_set_new(clock, "fact", json_string(st->clock_fact));
    (void)json_object_set_new(clock, "date", date_json(st->clock_day));
    json_t *met = json_null();
    if (st->met) {
        met = json_object();
        (void)json_object_set_new(met, "fact", json_string(st->met_fact));
        (void)json_object_set_new(met, "date", date_json(st->met_day));
    }
    (void)json_object_set_new(o, "id", json_string(st->id));
    (void)json_object_set_new(o, "name", json_string(st->name));
    (void)json_object_set_new(o, "timescale", json_integer(st->amount));
    (void)json_object_set_new(o, "unit", json_string(st->unit));
    (void)json_object_set_new(o, "counted", json_string(st->counted));
    (void)json_object_set_new(o, "clock_started", clock);
    (void)json_object_set_new(o, "due", date_json(st->due));
    (void)json_object_set_new(o, "met", met);
    (void)json_object_set_new(o, "status", json_string(pw_pathway_status_name(st->status)));
    (void)json_object_set_new(o, "working_days", json_integer(st->by));
    (void)json_object_set_new(o, "note", st->note != NULL ? json_string(st->note) : json_null());
    json_t *agencies = json_array();
    for (const char *const *a = st->guide->agencies; *a != NULL; a++) {
        (void)json_array_append_new(agencies, json_string(*a));
    }
    (void)json_object_set_new(o, "agencies", agencies);
    (void)json_object_set_new(o, "todo", json_string(st->guide->todo));
    (void)json_object_set_new(o, "why", json_string(st->guide->why));
    return o;
}

json_t *
pw_episode_view_json(const struct pw_episode_view *v)
{
    json_t *o = json_object();
    json_t *children = json_array();
    json_t *list = json_array();
    for (size_t i = 0; i < v->nchildren; i++) {
        (void)json_array_append_new(children, json_string(v->children[i]));
    }
    for (size_t i = 0; i < v->nsteps; i++) {
        (void)json_array_append_new(list, step_json(&v->steps[i]));
    }
    (void)json_object_set_new(o, "episode", json_string(v->episode));
    (void)json_object_set_new(o, "children", children);
    (void)json_object_set_new(o, "stage", json_string(pw_pathway_stage_name(v->stage)));
    (void)json_object_set_new(o, "as_of", date_json(v->now));
    (void)json_object_set_new(o, "steps", list);
    return o;
}
