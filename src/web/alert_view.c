/*
 * An alert as a card: what to do first (the message), why (the finding), by when, and who
 * must act, with the status in words and not colour alone. Names replace ids where the page
 * knows them, so "p-dean-c" reads as "Dean Cole".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "web/web_int.h"

/* Whether p starts a date "YYYY-MM-DD" standing alone (not inside a longer id or number). */
static bool
iso_date_at(const char *text, const char *p)
{
    static const char shape[] = "dddd-dd-dd";
    if (p > text && ((p[-1] >= '0' && p[-1] <= '9') || (p[-1] >= 'a' && p[-1] <= 'z') ||
                     (p[-1] >= 'A' && p[-1] <= 'Z') || p[-1] == '-')) {
        return false;
    }
    for (size_t i = 0; i < sizeof(shape) - 1; i++) {
        bool digit = p[i] >= '0' && p[i] <= '9';
        if (shape[i] == 'd' ? !digit : p[i] != '-') {
            return false;
        }
    }
    char after = p[sizeof(shape) - 1];
    return !((after >= '0' && after <= '9') || (after >= 'a' && after <= 'z') ||
             (after >= 'A' && after <= 'Z') || after == '-');
}

json_t *
pw__words_named(const char *text, const json_t *names)
{
    if (text == NULL) {
        return json_null();
    }
    struct pw_buf b;
    pw_buf_init(&b, 0);
    const char *p = text;
    while (*p != '\0') {
        const char *best = NULL;
        size_t best_len = 0;
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)(uintptr_t)names, key, v)
        {
            size_t n = strlen(key);
            /* a whole id: not part of a longer one */
            if (n > best_len && strncmp(p, key, n) == 0 &&
                !((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9') || p[n] == '-' ||
                  p[n] == '_')) {
                best = json_string_value(v);
                best_len = n;
            }
        }
        if (best != NULL && (p == text || !(p[-1] >= 'a' && p[-1] <= 'z') || p[-1] == ' ')) {
            pw_buf_adds(&b, best);
            p += best_len;
        } else if (iso_date_at(text, p)) {
            /* "by 2025-05-27" reads "by 27 May 2025" (an unreal date is left as it is) */
            char iso[11];
            char words[64];
            memcpy(iso, p, 10);
            iso[10] = '\0';
            pw__words_date(iso, words, sizeof(words));
            pw_buf_adds(&b, words);
            p += 10;
        } else {
            pw_buf_addc(&b, *p++);
        }
    }
    json_t *out = json_stringn(pw_buf_cstr(&b), b.len);
    pw_buf_release(&b);
    return out;
}

/* The length of a configuration key ("r24.minutes_shared") starting at p, else 0. */
static size_t
config_key_at(const char *p)
{
    if (p[0] != 'r' || !(p[1] >= '0' && p[1] <= '9') || !(p[2] >= '0' && p[2] <= '9') ||
        p[3] != '.') {
        return 0;
    }
    size_t n = 4;
    while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '_') {
        n++;
    }
    return n > 4 ? n : 0;
}

/*
 * A rule's message without the configuration keys it names for the API's readers: "(r24.x)"
 * goes, "(r01.x: 5 working days)" reads "(5 working days)", "(from 30 days before, r09.x)"
 * reads "(from 30 days before)". A practitioner needs the figure, not the key. New string.
 */
static char *
without_config_keys(const char *text)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    for (const char *p = text; *p != '\0';) {
        size_t n = p[0] == '(' ? config_key_at(p + 1) : 0;
        size_t m = p[0] == ',' && p[1] == ' ' ? config_key_at(p + 2) : 0;
        if (n > 0 && p[n + 1] == ')') {
            if (b.len > 0 && pw_buf_cstr(&b)[b.len - 1] == ' ') {
                b.len--; /* the space before "(" goes with it */
            }
            p += n + 2;
        } else if (n > 0 && (p[n + 1] == ':' || p[n + 1] == ';') && p[n + 2] == ' ') {
            pw_buf_addc(&b, '(');
            p += n + 3;
        } else if (m > 0 && p[m + 2] == ')') {
            p += m + 2;
        } else {
            pw_buf_addc(&b, *p++);
        }
    }
    char *out = pw_xstrdup(pw_buf_cstr(&b));
    pw_buf_release(&b);
    return out;
}

json_t *
pw__words_agencies(const json_t *list)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    size_t i;
    const json_t *a;
    json_array_foreach(list, i, a)
    {
        if (i > 0) {
            pw_buf_adds(&b, i + 1 == json_array_size(list) ? " and " : ", ");
        }
        pw_buf_adds(&b, pw__words_agency(json_string_value(a)));
    }
    json_t *out = json_stringn(pw_buf_cstr(&b), b.len);
    pw_buf_release(&b);
    return out;
}

/* A rule's name in words: its slug read aloud, but for the few that abbreviate. */
/* The length of the id-like token at p (up to a space, a comma, a bracket or the end). */
static size_t
token_len(const char *p)
{
    return strcspn(p, " ,;:()");
}

/*
 * A rule's message without the ids that mean nothing to a practitioner: a fact the alert rests
 * on named mid-sentence ("the strategy discussion csc-0011 on 16 June" reads "the strategy
 * discussion on 16 June") and the episode's id ("(episode e-hart-2025)", "in episode
 * e-hart-2025"). An id inside brackets that tells an API reader what to supersede is left.
 * New string.
 */
static char *
without_ids(const char *text, const json_t *because)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    for (const char *p = text; *p != '\0';) {
        size_t skip = 0;
        if (strncmp(p, " (episode ", 10) == 0 && p[10 + token_len(p + 10)] == ')') {
            skip = 10 + token_len(p + 10) + 1;
        } else if (strncmp(p, " in episode ", 12) == 0 && token_len(p + 12) > 0) {
            skip = 12 + token_len(p + 12);
        } else if (*p == ' ') {
            size_t n = token_len(p + 1);
            size_t i;
            const json_t *id;
            json_array_foreach(because, i, id)
            {
                const char *fact = json_string_value(id);
                if (n > 0 && fact != NULL && strlen(fact) == n && strncmp(p + 1, fact, n) == 0 &&
                    p[1 + n] == ' ') {
                    skip = 1 + n;
                }
            }
        }
        if (skip > 0) {
            p += skip;
        } else {
            pw_buf_addc(&b, *p++);
        }
    }
    char *out = pw_xstrdup(pw_buf_cstr(&b));
    pw_buf_release(&b);
    return out;
}

static json_t *
rule_title(const json_t *alert)
{
    static const struct {
        const char *rule;
        const char *words;
    } spelt[] = {
        { "R08", "Investigation or enquiry ended: a multi-agency discussion is needed" },
        { "R11", "Pregnancy or a sexually transmitted infection in a child under 16" },
        { "R12", "Harmful sexual behaviour: the child may also be a victim" },
    };
    const char *rule = json_string_value(json_object_get(alert, "rule"));
    for (size_t i = 0; rule != NULL && i < sizeof(spelt) / sizeof(spelt[0]); i++) {
        if (strcmp(spelt[i].rule, rule) == 0) {
            return json_string(spelt[i].words);
        }
    }
    return pw__words_code_json(json_string_value(json_object_get(alert, "name")));
}

json_t *
pw__alert_card(const json_t *alert, const json_t *names)
{
    const char *status = json_string_value(json_object_get(alert, "status"));
    const char *strength = json_string_value(json_object_get(alert, "strength"));
    const char *due = json_string_value(json_object_get(alert, "due"));
    const char *child = json_string_value(json_object_get(alert, "child"));
    const char *subject = json_string_value(json_object_get(alert, "subject"));
    json_int_t overdue_by = json_integer_value(json_object_get(alert, "overdue_by"));
    char when[96];
    char status_text[96];
    const char *tag = "govuk-tag--blue";
    const char *card = "app-alert--open";
    status = status != NULL ? status : "";
    strength = strength != NULL ? strength : "";
    when[0] = '\0';
    if (due != NULL) {
        char d[64];
        pw__words_date(due, d, sizeof(d));
        (void)snprintf(when, sizeof(when), "%s", d);
    }
    if (strcmp(status, "overdue") == 0) {
        (void)snprintf(status_text, sizeof(status_text), "Overdue by %lld working day%s",
                       (long long)overdue_by, overdue_by == 1 ? "" : "s");
        tag = "govuk-tag--red";
        card = "app-alert--overdue";
    } else if (strcmp(status, "resolved") == 0) {
        (void)snprintf(status_text, sizeof(status_text), "Answered");
        tag = "govuk-tag--green";
        card = "app-alert--consider";
    } else if (strcmp(strength, "consider") == 0) {
        (void)snprintf(status_text, sizeof(status_text), "To consider");
        tag = "govuk-tag--grey";
        card = "app-alert--consider";
    } else {
        (void)snprintf(status_text, sizeof(status_text), "%s", due != NULL ? "Due" : "Open");
    }
    /* The names the API gave with the alert (my work) join those the page knows. */
    json_t *known = names != NULL ? json_deep_copy(names) : json_object();
    const json_t *given_subject = json_object_get(alert, "subject_name");
    if (subject != NULL && json_is_string(given_subject)) {
        (void)json_object_set(known, subject, (json_t *)(uintptr_t)given_subject);
    }
    const json_t *given_child = json_object_get(alert, "child_name");
    if (child != NULL && json_is_string(given_child)) {
        (void)json_object_set(known, child, (json_t *)(uintptr_t)given_child);
    }
    names = known;
    const json_t *child_name = json_object_get(alert, "child_name");
    if (!json_is_string(child_name) && names != NULL && child != NULL) {
        child_name = json_object_get(names, child);
    }
    json_t *o = json_object();
    (void)json_object_set_new(o, "id",
                              json_string(json_string_value(json_object_get(alert, "id"))));
    (void)json_object_set_new(o, "rule",
                              json_string(json_string_value(json_object_get(alert, "rule"))));
    (void)json_object_set_new(o, "title", rule_title(alert));
    const char *message = json_string_value(json_object_get(alert, "message"));
    char *keyless = message != NULL ? without_config_keys(message) : NULL;
    char *plain = keyless != NULL ? without_ids(keyless, json_object_get(alert, "because")) : NULL;
    (void)json_object_set_new(o, "message", pw__words_named(plain, names));
    free(plain);
    free(keyless);
    (void)json_object_set_new(o, "finding",
                              json_string(json_string_value(json_object_get(alert, "finding"))));
    (void)json_object_set_new(o, "child", json_string(child != NULL ? child : ""));
    (void)json_object_set_new(o, "child_name",
                              json_string(json_is_string(child_name)
                                              ? json_string_value(child_name)
                                              : (child != NULL ? child : "")));
    if (subject != NULL && names != NULL && json_is_string(json_object_get(names, subject))) {
        (void)json_object_set(o, "subject_name", json_object_get(names, subject));
    }
    (void)json_object_set_new(o, "due_text", when[0] != '\0' ? json_string(when) : json_null());
    (void)json_object_set_new(o, "status_text", json_string(status_text));
    (void)json_object_set_new(o, "tag_class", json_string(tag));
    (void)json_object_set_new(o, "card_class", json_string(card));
    (void)json_object_set_new(o, "agencies",
                              pw__words_agencies(json_object_get(alert, "agencies")));
    (void)json_object_set_new(o, "escalated",
                              json_boolean(json_is_true(json_object_get(alert, "escalated"))));
    (void)json_object_set_new(o, "overdue", json_boolean(strcmp(status, "overdue") == 0));
    json_decref(known);
    return o;
}
