/*
 * Evaluating the rules over one child's case: what each rule raises, turned into the alerts
 * the store keeps (stable ids, dates as text, managers to escalate to), and what a refusing
 * rule says about the fact being recorded.
 */
#include "rules/rules_int.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"

#define MAX_AGENCIES 12

struct pw__alert {
    const struct pw__rule *rule;
    const char *key;
    const char *subject;
    int32_t raised, active, due, resolved_day;
    const char *resolved_by;
    const char *agencies[MAX_AGENCIES];
    size_t nagencies;
    const char **because;
    size_t nbecause, because_cap;
    const char *message;
    struct pw_arena *arena;
    enum pw__strength strength; /* the rule's, unless the rule says otherwise for this one */
};

struct pw__alert *
pw__raise(struct pw__eval *ev, const char *key, int32_t raised)
{
    /* The same rule and key is the same alert: raised twice, it is still one. */
    for (size_t i = 0; i < ev->nalerts; i++) {
        if (ev->alerts[i]->rule == ev->rule && strcmp(ev->alerts[i]->key, key) == 0) {
            return ev->alerts[i];
        }
    }
    struct pw__alert *a = pw_arena_alloc(ev->arena, sizeof(*a));
    memset(a, 0, sizeof(*a));
    a->rule = ev->rule;
    a->key = pw_arena_strdup(ev->arena, key);
    a->raised = raised;
    a->active = raised;
    a->due = PW_NO_DAY;
    a->resolved_day = PW_NO_DAY;
    a->message = "";
    a->arena = ev->arena;
    a->strength = ev->rule->strength == PW__BLOCK ? PW__ACT : ev->rule->strength;
    if (ev->nalerts == ev->alerts_cap) {
        ev->alerts_cap = ev->alerts_cap == 0 ? 8 : pw_mul_size(ev->alerts_cap, 2);
        ev->alerts =
            pw_xrealloc(ev->alerts, pw_mul_size(ev->alerts_cap, sizeof(struct pw__alert *)));
    }
    ev->alerts[ev->nalerts++] = a;
    return a;
}

void
pw__alert_strength(struct pw__alert *a, enum pw__strength strength)
{
    a->strength = strength;
}

void
pw__alert_subject(struct pw__alert *a, const char *person)
{
    a->subject = person == NULL ? NULL : pw_arena_strdup(a->arena, person);
}

void
pw__alert_active(struct pw__alert *a, int32_t day)
{
    if (day > a->active) {
        a->active = day;
    }
}

void
pw__alert_due(struct pw__alert *a, int32_t day)
{
    a->due = day;
}

void
pw__alert_agency(struct pw__alert *a, const char *agency)
{
    for (size_t i = 0; i < a->nagencies; i++) {
        if (strcmp(a->agencies[i], agency) == 0) {
            return;
        }
    }
    if (a->nagencies < MAX_AGENCIES) {
        a->agencies[a->nagencies++] = pw_arena_strdup(a->arena, agency);
    }
}

void
pw__alert_because(struct pw__alert *a, const char *fact_id)
{
    for (size_t i = 0; i < a->nbecause; i++) {
        if (strcmp(a->because[i], fact_id) == 0) {
            return;
        }
    }
    if (a->nbecause == a->because_cap) {
        size_t cap = a->because_cap == 0 ? 4 : a->because_cap * 2;
        const char **grown = pw_arena_alloc(a->arena, pw_mul_size(cap, sizeof(*grown)));
        if (a->nbecause > 0) {
            memcpy(grown, a->because, a->nbecause * sizeof(*grown));
        }
        a->because = grown;
        a->because_cap = cap;
    }
    a->because[a->nbecause++] = pw_arena_strdup(a->arena, fact_id);
}

void
pw__alert_resolved(struct pw__alert *a, const struct pw_case_fact *fact)
{
    a->resolved_by = fact->id;
    a->resolved_day = fact->day;
}

void
pw__alert_message(struct pw__alert *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char line[2048];
    (void)vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    a->message = pw_arena_strdup(a->arena, line);
}

void
pw__refuse(struct pw__eval *ev, const char *fmt, ...)
{
    if (ev->refused_by != NULL) {
        return; /* the first refusal is the one reported */
    }
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(ev->refusal, sizeof(ev->refusal), fmt, ap);
    va_end(ap);
    ev->refused_by = ev->rule;
}

/* ---- Running the rules ---- */

static bool
wakes_on(const struct pw__rule *rule, const char *type)
{
    for (size_t i = 0; rule->wakes != NULL && rule->wakes[i] != NULL; i++) {
        if (strcmp(rule->wakes[i], type) == 0) {
            return true;
        }
    }
    return false;
}

bool
pw__eval_may_refuse(const char *type)
{
    for (size_t i = 0; i < pw__rule_count; i++) {
        if (pw__rules[i]->check != NULL && wakes_on(pw__rules[i], type)) {
            return true;
        }
    }
    return false;
}

void
pw__eval_init(struct pw__eval *ev, const struct pw_case *c)
{
    memset(ev, 0, sizeof(*ev));
    ev->c = c;
    ev->arena = c->arena;
}

void
pw__eval_release(struct pw__eval *ev)
{
    free(ev->alerts);
    ev->alerts = NULL;
    ev->nalerts = 0;
}

void
pw__eval_check(struct pw__eval *ev, const struct pw_case_fact *f)
{
    for (size_t i = 0; i < pw__rule_count && ev->refused_by == NULL; i++) {
        const struct pw__rule *rule = pw__rules[i];
        if (rule->check != NULL && wakes_on(rule, f->type)) {
            ev->rule = rule;
            rule->check(ev, ev->c, f);
        }
    }
    ev->rule = NULL;
}

void
pw__eval_derive(struct pw__eval *ev)
{
    for (size_t i = 0; i < pw__rule_count; i++) {
        const struct pw__rule *rule = pw__rules[i];
        if (rule->derive != NULL) {
            ev->rule = rule;
            rule->derive(ev, ev->c);
        }
    }
    ev->rule = NULL;
}

/* ---- Into what the store keeps ---- */

static const char *
arena_dup(struct pw_arena *arena, const char *s)
{
    return s == NULL ? NULL : pw_arena_strdup(arena, s);
}

void
pw__alert_record_copy(struct pw_arena *arena, const struct pw_alert_record *in,
                      struct pw_alert_record *out)
{
    *out = (struct pw_alert_record){
        .id = arena_dup(arena, in->id),
        .rule = arena_dup(arena, in->rule),
        .strength = arena_dup(arena, in->strength),
        .child = arena_dup(arena, in->child),
        .subject = arena_dup(arena, in->subject),
        .raised_on = arena_dup(arena, in->raised_on),
        .active_from = arena_dup(arena, in->active_from),
        .due = arena_dup(arena, in->due),
        .agencies = arena_dup(arena, in->agencies),
        .because = arena_dup(arena, in->because),
        .resolved_by = arena_dup(arena, in->resolved_by),
        .resolved_on = arena_dup(arena, in->resolved_on),
        .message = arena_dup(arena, in->message),
        .escalate_to = arena_dup(arena, in->escalate_to),
    };
}

const char *
pw__strength_name(enum pw__strength s)
{
    switch (s) {
    case PW__BLOCK:
        return "block";
    case PW__ACT:
        return "act";
    case PW__CONSIDER:
        return "consider";
    }
    return "consider";
}

/* "R01-" and 16 hex digits of SHA-256(child, key): stable across evaluations and stores. */
static const char *
alert_id(struct pw_arena *arena, const char *rule, const char *child, const char *key)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)child, strlen(child) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)key, strlen(key) + 1);
    crypto_hash_sha256_final(&st, digest);
    char hex[17];
    for (size_t i = 0; i < 8; i++) {
        (void)snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    }
    return pw_arena_printf(arena, "%s-%s", rule, hex);
}

static const char *
day_or_null(struct pw_arena *arena, int32_t day)
{
    if (day == PW_NO_DAY || day == PW_OPEN_DAY) {
        return NULL;
    }
    char text[PW_DATE_TEXT_MAX];
    pw__day_text(day, text);
    return pw_arena_strdup(arena, text);
}

static const char *
json_list(struct pw_arena *arena, const char *const *items, size_t n)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    pw_buf_addc(&b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            pw_buf_addc(&b, ',');
        }
        pw_buf_addc(&b, '"');
        pw_buf_add_json_escaped(&b, items[i], strlen(items[i]));
        pw_buf_addc(&b, '"');
    }
    pw_buf_addc(&b, ']');
    const char *out = pw_arena_strdup(arena, pw_buf_cstr(&b));
    pw_buf_release(&b);
    return out;
}

static bool
has_agency(const struct pw__alert *a, const char *agency)
{
    for (size_t i = 0; i < a->nagencies; i++) {
        if (strcmp(a->agencies[i], agency) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * The managers an overdue alert goes to: team managers allocated to the child by an agency the
 * alert names, whose allocation had not ended when the alert was raised.
 */
static const char *
managers(const struct pw_case *c, const struct pw__alert *a)
{
    const char *users[32];
    size_t n = 0;
    for (size_t i = 0; i < c->nfacts && n < 32; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!pw__is(f, "allocation.changed")) {
            continue;
        }
        const char *child = pw__j(f->body, "child");
        const char *role = pw__j(f->body, "role");
        const char *user = pw__j(f->body, "user");
        int32_t until = pw__jday(f->body, "until");
        if (child == NULL || strcmp(child, c->child) != 0 || role == NULL ||
            strcmp(role, "team_manager") != 0 || user == NULL || !has_agency(a, f->agency) ||
            (until != PW_NO_DAY && until < a->raised)) {
            continue;
        }
        bool seen = false;
        for (size_t k = 0; k < n; k++) {
            seen = seen || strcmp(users[k], user) == 0;
        }
        if (!seen) {
            users[n++] = user;
        }
    }
    return json_list(c->arena, users, n);
}

void
pw__alert_record(const struct pw_case *c, const struct pw__alert *a, struct pw_alert_record *out)
{
    struct pw_arena *arena = c->arena;
    memset(out, 0, sizeof(*out));
    out->id = alert_id(arena, a->rule->id, c->child, a->key);
    out->rule = a->rule->id;
    out->strength = pw__strength_name(a->strength);
    out->child = c->child;
    out->subject = a->subject;
    out->raised_on = day_or_null(arena, a->raised);
    out->active_from = day_or_null(arena, a->active);
    if (out->raised_on == NULL) {
        out->raised_on = "0001-01-01";
    }
    if (out->active_from == NULL) {
        out->active_from = out->raised_on;
    }
    out->due = day_or_null(arena, a->due);
    struct pw_buf b;
    pw_buf_init(&b, 0);
    for (size_t i = 0; i < a->nagencies; i++) {
        if (i > 0) {
            pw_buf_addc(&b, ' ');
        }
        pw_buf_adds(&b, a->agencies[i]);
    }
    out->agencies = pw_arena_strdup(arena, pw_buf_cstr(&b));
    pw_buf_release(&b);
    out->because = json_list(arena, a->because, a->nbecause);
    out->resolved_by = a->resolved_by;
    out->resolved_on = a->resolved_by != NULL ? day_or_null(arena, a->resolved_day) : NULL;
    out->message = a->message;
    out->escalate_to = managers(c, a);
}
