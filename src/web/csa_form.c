/*
 * The parts of the plan and step-down-or-close forms that keep the sexual-abuse risk explicit
 * (rule R15): risks as rows of a risk and how it is mitigated, which work without script (rows
 * left empty are ignored, "Add another risk" sends the form back with one more), re-referral
 * triggers one a line, a date in three boxes, and the API's refusals said in words beside the
 * box to fill in. The form keeps what was typed exactly; only the facts sent are tidied (a
 * risk is one line in the schema, so its line breaks become spaces).
 */
#include "web/csa_form.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/time.h"

/* ---- Risk rows ---- */

json_t *
pw__csa_rows_read(const struct pw__form *f)
{
    json_t *rows = json_array();
    size_t last = 0; /* rows[0..last) end with the last row typed in */
    for (int n = 1; n <= PW__CSA_ROWS_MAX; n++) {
        char rk[32];
        char mk[32];
        (void)snprintf(rk, sizeof(rk), "risk-%d", n);
        (void)snprintf(mk, sizeof(mk), "mitigation-%d", n);
        const char *risk = pw__form_text(f, rk);
        const char *mitigation = pw__form_text(f, mk);
        (void)json_array_append_new(rows,
                                    json_pack("{s:s,s:s}", "risk", risk, "mitigation", mitigation));
        if (risk[0] != '\0' || mitigation[0] != '\0') {
            last = (size_t)n;
        }
    }
    while (json_array_size(rows) > last) {
        (void)json_array_remove(rows, json_array_size(rows) - 1);
    }
    return rows;
}

static const char *
row_text(const json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s != NULL ? s : "";
}

static bool
row_empty(const json_t *row)
{
    return row_text(row, "risk")[0] == '\0' && row_text(row, "mitigation")[0] == '\0';
}

size_t
pw__csa_rows_filled(const json_t *rows)
{
    size_t n = 0;
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        n += row_empty(row) ? 0 : 1;
    }
    return n;
}

void
pw__csa_rows_check(struct pw__page *pg, const json_t *rows)
{
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *risk = row_text(row, "risk");
        const char *mitigation = row_text(row, "mitigation");
        char field[32];
        char msg[256];
        if (row_empty(row)) {
            continue;
        }
        if (risk[0] == '\0') {
            (void)snprintf(field, sizeof(field), "risk-%zu", i + 1);
            (void)snprintf(msg, sizeof(msg),
                           "Risk %zu has a mitigation but no risk: say what the risk is", i + 1);
            pw__page_error(pg, field, msg);
        } else if (strlen(risk) > PW__CSA_TEXT_MAX) {
            (void)snprintf(field, sizeof(field), "risk-%zu", i + 1);
            (void)snprintf(msg, sizeof(msg), "Risk %zu must be %d characters or fewer", i + 1,
                           PW__CSA_TEXT_MAX);
            pw__page_error(pg, field, msg);
        }
        if (risk[0] != '\0' && mitigation[0] == '\0') {
            (void)snprintf(field, sizeof(field), "mitigation-%zu", i + 1);
            (void)snprintf(msg, sizeof(msg), "Say how risk %zu is mitigated", i + 1);
            pw__page_error(pg, field, msg);
        } else if (strlen(mitigation) > PW__CSA_TEXT_MAX) {
            (void)snprintf(field, sizeof(field), "mitigation-%zu", i + 1);
            (void)snprintf(msg, sizeof(msg),
                           "How risk %zu is mitigated must be %d characters or fewer", i + 1,
                           PW__CSA_TEXT_MAX);
            pw__page_error(pg, field, msg);
        }
    }
}

/* s[0..n) with every run of spaces, tabs and line breaks made one space, trimmed. New
 * reference. */
static json_t *
one_linen(const char *s, size_t n)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    bool space = false;
    for (const char *p = s; p < s + n; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            space = b.len > 0;
        } else {
            if (space) {
                pw_buf_addc(&b, ' ');
                space = false;
            }
            pw_buf_addc(&b, *p);
        }
    }
    json_t *out = json_stringn(pw_buf_cstr(&b), b.len);
    pw_buf_release(&b);
    return out;
}

static json_t *
one_line(const char *s)
{
    return one_linen(s, strlen(s));
}

json_t *
pw__csa_rows_fact(const json_t *rows)
{
    json_t *out = json_array();
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (row_empty(row)) {
            continue;
        }
        json_t *o = json_object();
        (void)json_object_set_new(o, "risk", one_line(row_text(row, "risk")));
        json_t *m = one_line(row_text(row, "mitigation"));
        if (json_string_length(m) > 0) {
            (void)json_object_set_new(o, "mitigation", m);
        } else {
            json_decref(m);
        }
        (void)json_array_append_new(out, o);
    }
    return out;
}

static json_t *
field_error(const struct pw__page *pg, const char *field)
{
    const json_t *e = json_object_get(pg->field_errors, field);
    return json_is_string(e) ? json_incref((json_t *)(uintptr_t)e) : json_null();
}

json_t *
pw__csa_rows_view(const struct pw__page *pg, const json_t *rows, size_t shown)
{
    size_t typed = json_array_size(rows); /* up to the last row typed in */
    size_t total = shown > typed ? shown : typed + 1;
    if (total > PW__CSA_ROWS_MAX) {
        total = PW__CSA_ROWS_MAX;
    }
    json_t *out = json_array();
    for (size_t i = 0; i < total; i++) {
        const json_t *row = json_array_get(rows, i);
        const size_t n = i + 1;
        char rk[32];
        char mk[32];
        (void)snprintf(rk, sizeof(rk), "risk-%zu", n);
        (void)snprintf(mk, sizeof(mk), "mitigation-%zu", n);
        (void)json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:o,s:o}", "n", (json_int_t)n,
                                                   "risk", row_text(row, "risk"), "mitigation",
                                                   row_text(row, "mitigation"), "risk_error",
                                                   field_error(pg, rk), "mitigation_error",
                                                   field_error(pg, mk)));
    }
    return out;
}

size_t
pw__csa_rows_shown(const struct pw__form *f)
{
    const char *text = pw__form_get(f, "rows");
    char *end = NULL;
    long n = text != NULL ? strtol(text, &end, 10) : 0;
    if (text == NULL || end == text || *end != '\0' || n < PW__CSA_ROWS_MIN ||
        n > PW__CSA_ROWS_MAX) {
        return PW__CSA_ROWS_MIN;
    }
    return (size_t)n;
}

/* ---- Lines ---- */

json_t *
pw__csa_lines(const char *text)
{
    json_t *out = json_array();
    const char *p = text != NULL ? text : "";
    while (*p != '\0') {
        size_t n = strcspn(p, "\r\n");
        json_t *s = one_linen(p, n);
        if (json_string_length(s) > 0) {
            (void)json_array_append_new(out, s);
        } else {
            json_decref(s);
        }
        p += n;
        p += strspn(p, "\r\n");
    }
    return out;
}

void
pw__csa_lines_check(struct pw__page *pg, const char *field, const char *label, const json_t *lines)
{
    char msg[256];
    if (json_array_size(lines) > PW__CSA_ROWS_MAX) {
        (void)snprintf(msg, sizeof(msg), "%s can have at most %d lines", label, PW__CSA_ROWS_MAX);
        pw__page_error(pg, field, msg);
        return;
    }
    size_t i;
    const json_t *line;
    json_array_foreach(lines, i, line)
    {
        if (json_string_length(line) > PW__CSA_TEXT_MAX) {
            (void)snprintf(msg, sizeof(msg),
                           "Line %zu of %s must be %d characters or fewer: split it", i + 1, label,
                           PW__CSA_TEXT_MAX);
            pw__page_error(pg, field, msg);
            return;
        }
    }
}

/* ---- Dates ---- */

/* A box's whole number, or -1 when it is not 1 to 4 digits. */
static int
box_number(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 4 || strspn(s, "0123456789") != n) {
        return -1;
    }
    return (int)strtol(s, NULL, 10);
}

bool
pw__csa_date_read(struct pw__page *pg, const char *prefix, const char *what, char *out)
{
    char key[64];
    (void)snprintf(key, sizeof(key), "%s-day", prefix);
    const char *day = pw__form_text(&pg->form, key);
    (void)snprintf(key, sizeof(key), "%s-month", prefix);
    const char *month = pw__form_text(&pg->form, key);
    (void)snprintf(key, sizeof(key), "%s-year", prefix);
    const char *year = pw__form_text(&pg->form, key);
    char field[64];
    (void)snprintf(field, sizeof(field), "%s-day", prefix);
    char msg[256];
    if (day[0] == '\0' && month[0] == '\0' && year[0] == '\0') {
        (void)snprintf(msg, sizeof(msg), "Enter %c%s", what[0] == 'T' ? 't' : what[0], what + 1);
        pw__page_error(pg, field, msg);
        return false;
    }
    int d = box_number(day);
    int m = box_number(month);
    int y = box_number(year);
    if (d < 0 || m < 0 || y < 0 || strlen(year) != 4 || !pw_date_valid(y, m, d)) {
        (void)snprintf(msg, sizeof(msg), "%s must be a real date, for example 27 3 2025", what);
        pw__page_error(pg, field, msg);
        return false;
    }
    int32_t n = pw_date_from_ymd(y, m, d);
    if (n > pw__page_today(pg)) {
        (void)snprintf(msg, sizeof(msg), "%s must be today or in the past", what);
        pw__page_error(pg, field, msg);
        return false;
    }
    pw_date_format(n, out);
    return true;
}

json_t *
pw__csa_date_view(const struct pw__page *pg, const struct pw__form *form, const char *prefix)
{
    if (form == NULL) {
        int y = 0;
        int m = 0;
        int d = 0;
        pw_date_to_ymd(pw__page_today(pg), &y, &m, &d);
        char ds[16];
        char ms[16];
        char ys[16];
        (void)snprintf(ds, sizeof(ds), "%d", d);
        (void)snprintf(ms, sizeof(ms), "%d", m);
        (void)snprintf(ys, sizeof(ys), "%d", y);
        return json_pack("{s:s,s:s,s:s}", "day", ds, "month", ms, "year", ys);
    }
    char dk[64];
    char mk[64];
    char yk[64];
    (void)snprintf(dk, sizeof(dk), "%s-day", prefix);
    (void)snprintf(mk, sizeof(mk), "%s-month", prefix);
    (void)snprintf(yk, sizeof(yk), "%s-year", prefix);
    return json_pack("{s:s,s:s,s:s}", "day", pw__form_text(form, dk), "month",
                     pw__form_text(form, mk), "year", pw__form_text(form, yk));
}

/* ---- Names ---- */

json_t *
pw__csa_names(const json_t *network)
{
    json_t *names = json_object();
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(network, "people"), i, p)
    {
        const char *id = json_string_value(json_object_get(p, "person"));
        const char *name = json_string_value(json_object_get(p, "name"));
        if (id != NULL && name != NULL && name[0] != '\0') {
            (void)json_object_set_new(names, id, json_string(name));
        }
    }
    return names;
}

void
pw__csa_child_name(const json_t *summary, const char *child, char *out, size_t size)
{
    const json_t *names = json_object_get(json_object_get(summary, "registration"), "names");
    size_t i;
    const json_t *n;
    json_array_foreach(names, i, n)
    {
        const char *kind = json_string_value(json_object_get(n, "kind"));
        const char *given = json_string_value(json_object_get(n, "given"));
        const char *family = json_string_value(json_object_get(n, "family"));
        if ((kind == NULL || strcmp(kind, "birth") == 0) && (given != NULL || family != NULL)) {
            (void)snprintf(out, size, "%s%s%s", given != NULL ? given : "",
                           given != NULL && family != NULL ? " " : "",
                           family != NULL ? family : "");
            return;
        }
    }
    (void)snprintf(out, size, "%s", child);
}

void
pw__csa_child_path(const char *child, const char *suffix, char *out, size_t size)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    pw_buf_adds(&b, "/children/");
    pw__url_encode(&b, child);
    pw_buf_adds(&b, suffix);
    (void)snprintf(out, size, "%s", pw_buf_cstr(&b));
    pw_buf_release(&b);
}

/* ---- Refusals ---- */

/* The first YYYY-MM-DD in s, in words ("1 July 2025"), or "" when there is none. */
static void
first_date(const char *s, char *out, size_t size)
{
    out[0] = '\0';
    for (const char *p = s; *p != '\0'; p++) {
        if (strlen(p) >= 10 && strspn(p, "0123456789") == 4 && p[4] == '-' &&
            strspn(p + 5, "0123456789") == 2 && p[7] == '-' && strspn(p + 8, "0123456789") == 2) {
            char iso[11];
            (void)snprintf(iso, sizeof(iso), "%.10s", p);
            pw__words_date(iso, out, size);
            return;
        }
    }
}

/* The word after marker in s up to a space, comma or end ("e-hart-2025"), or "". */
static void
word_after(const char *s, const char *marker, char *out, size_t size)
{
    const char *p = strstr(s, marker);
    out[0] = '\0';
    if (p != NULL) {
        p += strlen(marker);
        size_t n = strcspn(p, " ,;");
        (void)snprintf(out, size, "%.*s", (int)(n < 100 ? n : 100), p);
    }
}

/* The rule's own words after "RNN name: ", with people named. */
static void
rule_words(const char *msg, const json_t *names, char *out, size_t size)
{
    const char *colon = strstr(msg, ": ");
    const char *text = colon != NULL ? colon + 2 : msg;
    json_t *named = pw__words_named(text, names);
    (void)snprintf(out, size, "%s", json_string_value(named));
    json_decref(named);
}

static void
refused_r15(struct pw__page *pg, const struct pw__csa_refusal *r, const char *rule_text)
{
    char msg[512];
    bool any = false;
    if (pw__csa_rows_filled(r->rows) == 0) {
        (void)snprintf(msg, sizeof(msg),
                       "Sexual abuse has been a concern for %s, so the %s must name each "
                       "sexual-abuse risk and how it is mitigated: fill in at least risk 1 and "
                       "how it is mitigated (rule R15)",
                       r->name, r->record);
        pw__page_error(pg, "risk-1", msg);
        any = true;
    }
    if (json_array_size(r->lines) == 0) {
        (void)snprintf(msg, sizeof(msg),
                       "Say what would bring %s back to children's social care: enter at least "
                       "one re-referral trigger, one a line (rule R15)",
                       r->name);
        pw__page_error(pg, "triggers", msg);
        any = true;
    }
    if (!any) {
        (void)snprintf(msg, sizeof(msg), "%.480s (rule R15)", rule_text);
        pw__page_error(pg, "risk-1", msg);
    }
}

static void
refused_r08(struct pw__page *pg, const struct pw__csa_refusal *r, const char *rule_text)
{
    char when[64];
    char episode[128];
    char msg[512];
    first_date(rule_text, when, sizeof(when));
    word_after(rule_text, "for episode ", episode, sizeof(episode));
    bool police = strstr(rule_text, "police investigation") != NULL;
    (void)snprintf(msg, sizeof(msg),
                   "%s's case cannot be closed until a multi-agency discussion about the risk "
                   "and the support the family need has been held: %s%s%s ended on %s%s, and no "
                   "discussion has been recorded since. Hold the discussion and record it, then "
                   "close the case (rule R08)",
                   r->name, police ? "the police investigation" : "the section 47 enquiry",
                   episode[0] != '\0' ? " in episode " : "", episode, when,
                   police ? " with no further police action at this time" : "");
    pw__page_error(pg, r->record_id != NULL ? r->record_id : r->first, msg);
}

static void
refused_r14(struct pw__page *pg, const struct pw__csa_refusal *r, const char *rule_text)
{
    char msg[512];
    bool rationale = strstr(rule_text, "a rationale") != NULL;
    bool decider = strstr(rule_text, "decided_by") != NULL;
    if (rationale) {
        (void)snprintf(msg, sizeof(msg),
                       "Say why %s's case is stepping down or closing without a strategy "
                       "discussion (rule R14)",
                       r->name);
        pw__page_error(pg, "rationale", msg);
    }
    if (decider || !rationale) {
        pw__page_error(pg, "decided_by",
                       "Enter the Pathway user name of the person who made the decision (rule "
                       "R14)");
    }
}

/* The form's field for the API's JSON path ("[0].csa_risks[1].mitigation"): csa_risks[k] is
 * the k-th row typed in (rows left empty are not sent). */
static void
field_for(const char *path, const json_t *rows, const char *first, char *out, size_t size)
{
    const char *risks = strstr(path, "csa_risks[");
    if (risks != NULL) {
        long k = strtol(risks + strlen("csa_risks["), NULL, 10);
        size_t row = 1;
        size_t i;
        const json_t *v;
        json_array_foreach(rows, i, v)
        {
            if (!row_empty(v) && k-- == 0) {
                row = i + 1;
                break;
            }
        }
        (void)snprintf(out, size, "%s-%zu",
                       strstr(risks, "mitigation") != NULL ? "mitigation" : "risk", row);
        return;
    }
    static const struct {
        const char *key;
        const char *field;
    } map[] = {
        { "re_referral_triggers", "triggers" },
        { "rationale", "rationale" },
        { "decided_by", "decided_by" },
        { "categories", "categories" },
        { "relies_on_parent", "relies_on_parent" },
        { "kind", "kind" },
        { ".at", "at-day" },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strstr(path, map[i].key) != NULL) {
            (void)snprintf(out, size, "%s", map[i].field);
            return;
        }
    }
    (void)snprintf(out, size, "%s", first);
}

bool
pw__csa_refused(struct pw__page *pg, enum pw_status rc, const struct pw_error *err,
                const struct pw__csa_refusal *r)
{
    char text[512];
    char msg[640];
    if (rc == PW_EBLOCKED) {
        rule_words(err->msg, r->names, text, sizeof(text));
        if (strncmp(err->msg, "R15 ", 4) == 0) {
            refused_r15(pg, r, text);
        } else if (strncmp(err->msg, "R08 ", 4) == 0) {
            refused_r08(pg, r, text);
        } else if (strncmp(err->msg, "R14 ", 4) == 0) {
            refused_r14(pg, r, text);
        } else {
            char rule[8];
            (void)snprintf(rule, sizeof(rule), "%.*s", (int)strcspn(err->msg, " "), err->msg);
            (void)snprintf(msg, sizeof(msg), "%s (rule %s)", text, rule);
            pw__page_error(pg, r->first, msg);
        }
        return true;
    }
    if (rc == PW_EINVAL) {
        char field[64];
        field_for(err->field, r->rows, r->first, field, sizeof(field));
        (void)snprintf(msg, sizeof(msg), "This could not be saved: %s", err->msg);
        pw__page_error(pg, field, msg);
        return true;
    }
    return false;
}

json_t *
pw__csa_cards(const json_t *alerts, const json_t *names)
{
    json_t *cards = json_array();
    size_t i;
    const json_t *a;
    json_array_foreach(alerts, i, a)
    {
        (void)json_array_append_new(cards, pw__alert_card(a, names));
    }
    return cards;
}

enum pw_status
pw__csa_read_child(struct pw__page *pg, bool with_history, struct pw__csa_child *out,
                   struct pw_error *err)
{
    static const char *const suffixes[] = { "", "/network", "/picture", "/alerts", "/chronology" };
    memset(out, 0, sizeof(*out));
    json_t **slots[] = { &out->summary, &out->network, &out->picture, &out->alerts,
                         &out->chronology };
    size_t n = with_history ? 5 : 3;
    enum pw_status rc = PW_OK;
    for (size_t i = 0; i < n && rc == PW_OK; i++) {
        rc = pw__page_get(pg, "/api/children/", pg->ids[0], suffixes[i], slots[i], err);
    }
    if (rc == PW_OK) {
        out->names = pw__csa_names(out->network);
        pw__csa_child_name(out->summary, pg->ids[0], out->name, sizeof(out->name));
    }
    return rc;
}

void
pw__csa_child_release(struct pw__csa_child *c)
{
    json_decref(c->summary);
    json_decref(c->network);
    json_decref(c->picture);
    json_decref(c->alerts);
    json_decref(c->chronology);
    json_decref(c->names);
    memset(c, 0, sizeof(*c));
}
