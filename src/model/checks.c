/*
 * The few checks one field cannot make alone: a relationship needs two people, a date of birth
 * cannot follow the fact that records it, bail needs an end date, a closed investigation needs
 * its outcome. They run after the walk, on a body whose fields already have the right kinds,
 * so they only look up what they compare. since <= until is checked by the walker for every
 * object that has both. Kept few on purpose: anything a practitioner may legitimately record
 * in an unusual order is a rule's concern (rules.md), not a reason to refuse the fact.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model/model_int.h"

/* The string at key, or NULL when absent (the walk has checked it is a string if present). */
static const char *
str_at(const json_t *body, const char *key)
{
    return json_string_value(json_object_get(body, key));
}

/* Refuses a fact whose two person fields a and b name the same person. */
static enum pw_status
different_people(const json_t *body, const char *a, const char *b, struct pw_error *err)
{
    const char *x = str_at(body, a);
    const char *y = str_at(body, b);
    if (x != NULL && y != NULL && strcmp(x, y) == 0) {
        char path[PW__PATH_MAX];
        (void)snprintf(path, sizeof(path), "$.%s", b);
        return pw__fail_at(err, path, "names the same person as %s", a);
    }
    return PW_OK;
}

enum pw_status
pw__check_person_linked(const struct pw__check_ctx *ctx, struct pw_error *err)
{
    return different_people(ctx->body, "person", "same_as", err);
}

enum pw_status
pw__check_person_distinct(const struct pw__check_ctx *ctx, struct pw_error *err)
{
    return different_people(ctx->body, "person", "other", err);
}

enum pw_status
pw__check_relationship(const struct pw__check_ctx *ctx, struct pw_error *err)
{
    return different_people(ctx->body, "from", "to", err);
}

enum pw_status
pw__check_disclosure_made(const struct pw__check_ctx *ctx, struct pw_error *err)
{
    return different_people(ctx->body, "person", "to", err);
}

/* The first day a date of birth can be: the date itself, or the start of {year, month}. */
static int32_t
dob_first_day(const json_t *dob)
{
    int32_t day = 0;
    if (json_is_string(dob)) {
        /* Already validated by the walk, so this cannot fail. */
        if (pw_date_parse(json_string_value(dob), json_string_length(dob), &day, NULL) != PW_OK) {
            return INT32_MIN;
        }
        return day;
    }
    json_int_t year = json_integer_value(json_object_get(dob, "year"));
    json_t *month = json_object_get(dob, "month");
    int m = month == NULL ? 1 : (int)json_integer_value(month);
    return pw_date_from_ymd((int)year, m, 1);
}

enum pw_status
pw__check_person_registered(const struct pw__check_ctx *ctx, struct pw_error *err)
{
    const json_t *dob = json_object_get(ctx->body, "dob");
    if (dob == NULL) {
        return PW_OK;
    }
    /*
     * `at` may carry an offset that puts it on the previous day in UTC: a baby registered in
     * the first hour of its birthday in summer. A day's grace avoids refusing that.
     */
    if (dob_first_day(dob) > pw_when_day(&ctx->at) + 1) {
        return pw__fail_at(err, "$.dob", "is after the date of the fact (at)");
    }
    return PW_OK;
}

/* Events that are about a particular suspect, so they must name one (rules R09, R10). */
static const char *const suspect_events[] = {
    "arrested",
    "voluntary_attendance",
    "interviewed",
    "bail_set",
    "bail_extended",
    "released_under_investigation",
    "bail_ended",
    "charged",
    NULL,
};
/* Events that set a bail end date. */
static const char *const bail_events[] = { "bail_set", "bail_extended", NULL };

static bool
event_in(const char *event, const char *const *events)
{
    return pw__enum_has(events, event, strlen(event));
}

/* Fails with "$.<field>: <what> <event>". */
static enum pw_status
fail_field(struct pw_error *err, const char *field, const char *what, const char *event)
{
    char path[PW__PATH_MAX];
    (void)snprintf(path, sizeof(path), "$.%s", field);
    return pw__fail_at(err, path, "%s %s", what, event);
}

enum pw_status
pw__check_investigation(const struct pw__check_ctx *ctx, struct pw_error *err)
{
    const json_t *body = ctx->body;
    const char *event = str_at(body, "event");
    bool bail = event_in(event, bail_events);
    bool closed = strcmp(event, "closed") == 0;

    if (event_in(event, suspect_events) && json_object_get(body, "suspect") == NULL) {
        return fail_field(err, "suspect", "is required when event is", event);
    }
    if (bail && json_object_get(body, "until") == NULL) {
        return fail_field(err, "until", "(the bail end date) is required when event is", event);
    }
    if (!bail && json_object_get(body, "until") != NULL) {
        return fail_field(err, "until", "is only for bail_set and bail_extended, not", event);
    }
    if (!bail && json_object_get(body, "conditions") != NULL) {
        return fail_field(err, "conditions", "are only for bail_set and bail_extended, not", event);
    }
    if (closed && json_object_get(body, "outcome") == NULL) {
        return fail_field(err, "outcome", "is required when event is", event);
    }
    if (!closed && json_object_get(body, "outcome") != NULL) {
        return fail_field(err, "outcome", "is only for event closed, not", event);
    }
    return PW_OK;
}
