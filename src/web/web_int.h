/*
 * What the web module's files share: the escaping writer, the template engine, the charts and
 * the genogram. Not a public interface: only src/web/ includes it.
 */
#ifndef PW_WEB_WEB_INT_H
#define PW_WEB_WEB_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/id.h"
#include "http/http.h"
#include "web/web.h"

/* ---- The templates built into the library (cmake/embed_templates.cmake) ---- */

struct pw__web_template_src {
    const char *name; /* the file name less ".html" */
    const char *text; /* NUL-terminated */
    size_t len;
};

extern const struct pw__web_template_src pw__web_templates[];
extern const size_t pw__web_templates_count;

/* ---- The template engine (template.c: the dialect is described there) ---- */

struct pw__tpl_set;

/* Compiles templates srcs[0..n) (borrowed: must outlive the set). PW_EINTERNAL naming the
 * template and line of the first mistake. New: pw__tpl_set_free. */
PW_MUSTCHECK enum pw_status pw__tpl_set_from(const struct pw__web_template_src *srcs, size_t n,
                                             struct pw__tpl_set **out, struct pw_error *err);
/* The templates built into the library. */
PW_MUSTCHECK enum pw_status pw__tpl_set_new(struct pw__tpl_set **out, struct pw_error *err);
void pw__tpl_set_free(struct pw__tpl_set *set);
bool pw__tpl_exists(const struct pw__tpl_set *set, const char *name);
/* Renders template name against data, appending to out. PW_EINTERNAL on a template bug (a name
 * holding an object written as text), PW_ETOOBIG when out overflows. Thread-safe: a set is
 * read-only once compiled. */
PW_MUSTCHECK enum pw_status pw__tpl_render(const struct pw__tpl_set *set, const char *name,
                                           const json_t *data, struct pw_buf *out,
                                           struct pw_error *err);

/* ---- The escaping writer (html.c) ---- */

/* Appends s[0..n) to b with & < > " ' ` written as entities: safe in element content and in
 * quoted attribute values, of HTML and of SVG alike. */
void pw__html_textn(struct pw_buf *b, const char *s, size_t n);
/* As pw__html_textn for a C string; NULL appends nothing. */
void pw__html_text(struct pw_buf *b, const char *s);

/* ---- Charts and the genogram: SVG, every text through the escaping writer ---- */

/*
 * The picture of concern (pw_picture_json's object, as GET /api/children/{id}/picture sends
 * it) as an SVG timeline: one row per agency with signs, each sign a mark placed by its date
 * and shaped by its strength (suspect a filled diamond, consider an outlined circle, a sign
 * seen in adulthood an outlined triangle, a restricted sign a small grey square with no detail),
 * a <title> on each for hovering, signs on one day in one row stacked apart, the counting window
 * (window_from..as_of) shaded. Appended to out as one <svg class="app-chart__svg" role="img">
 * element with a <title> and <desc> (ids pw-chart-picture-title and -desc: inline it in a page
 * once). Classes app-chart__axis, __grid, __window, __label, __mark with --suspect, --consider,
 * --none, --restricted and --outside (a sign outside the window); no style attributes. No signs:
 * a small drawing saying so. Every text is escaped. PW_EINVAL, with the JSON path in err->field
 * and nothing appended, when picture is not that object (a missing or unreal date, a sign
 * without its agency, name or strength); PW_ETOOBIG when out overflows. Pure; thread-safe.
 */
PW_MUSTCHECK enum pw_status pw__web_chart_picture(const json_t *picture, struct pw_buf *out,
                                                  struct pw_error *err);

/*
 * The family network (GET /api/children/{id}/network's object: people with sex, relationships,
 * households) as a genogram drawn by Graphviz: a square for a male, a circle for a female, a
 * diamond when sex is not recorded; the child (how "the child", or the households' is_self)
 * with a double outline and bold label; a sexual-harm history as a thick red outline and those
 * words; parents pointing to children, siblings and partners joined by lines, other kinds
 * labelled in words, at most one line between two people; each household the child lived in a
 * box with its address and dates around the people drawn there (each person in the latest they
 * shared); records with same_as drawn as the person they are. Appended to out as one
 * <svg class="app-genogram__svg" role="img"> element with a <title> and <desc> (ids
 * pw-genogram-title and -desc; Graphviz's own ids are pw-genogram-n/e/h and a number, plus
 * graph0), without XML prolog, doctype or comments. PW_EINVAL naming the JSON path when network
 * is not that object (a relationship or household naming someone not among the people);
 * PW_ETOOBIG over 300 people, 1000 relationships or 1000 household rows (the page's table lists
 * them); PW_EINTERNAL if Graphviz fails or takes over 10 s. Thread-safe: the graph is built
 * under one lock and laid out by a `dot -Tsvg` child process (about 20 ms for a family like
 * Lily's), so a crash or leak of Graphviz's stays in that process.
 */
PW_MUSTCHECK enum pw_status pw__web_genogram(const json_t *network, struct pw_buf *out,
                                             struct pw_error *err);

/* ---- Forms (form.c) ---- */

#define PW__FORM_FIELDS 512

struct pw__form_field {
    char *name;
    char *value;
};

/* A form's fields as sent (application/x-www-form-urlencoded), repeats kept in order. */
struct pw__form {
    struct pw__form_field *fields;
    size_t n;
};

/* Parses body[0..len): %XX and '+' decoded, valid UTF-8 without control characters other than
 * tab, CR and LF, at most PW__FORM_FIELDS fields. PW_EINVAL naming the problem. Release with
 * pw__form_release (also after a failure). */
PW_MUSTCHECK enum pw_status pw__form_parse(const char *body, size_t len, struct pw__form *out,
                                           struct pw_error *err);
void pw__form_release(struct pw__form *f);
/* The first value of name, trimmed of surrounding spaces in place; NULL when absent. */
const char *pw__form_get(const struct pw__form *f, const char *name);
/* The first value of name, or "" (never NULL). */
const char *pw__form_text(const struct pw__form *f, const char *name);

/* ---- Pages (web.c dispatches; page_*.c each hold a page or a few close ones) ---- */

struct pw__page {
    struct pw_web *w;
    struct pw_http_page *p;
    struct pw_http_response *resp;
    struct pw__form form;       /* a POST's fields */
    char ids[2][PW_ID_MAX + 1]; /* the {id} parts of the path */
    json_t *errors;             /* [{field, message}] for the error summary */
    json_t *field_errors;       /* {field: message} for the fields themselves */
    const char *notice;         /* a success banner */
    const char *nav;            /* which navigation item is current */
};

typedef void (*pw__page_fn)(struct pw__page *pg);

/* Every page's handler, as pages.def names them. */
#define PAGE(m, pat, signed_in, fn) void fn(struct pw__page *pg);
#include "web/pages.def"
#undef PAGE

/* Renders template name with data (stolen) inside the layout, titled title: 200 unless
 * resp->status is set. A render failure is a 500 page. */
void pw__page_render(struct pw__page *pg, const char *name, const char *title, json_t *data);
/* A 303 redirect to location (a path of ours). */
void pw__page_redirect(struct pw__page *pg, const char *location);
/* A 303 redirect to the child's record, /children/ID then suffix ("#alerts", "/seen-by"). */
void pw__page_redirect_child(struct pw__page *pg, const char *child, const char *suffix);
/* A page saying what went wrong: status, a title and a message safe to show. */
void pw__page_fail(struct pw__page *pg, int status, const char *title, const char *message);
/* The page for an API call's failure: 403/404 as "not found or not yours", 401 to sign in,
 * anything else with the error's message. */
void pw__page_api_fail(struct pw__page *pg, enum pw_status rc, const struct pw_error *err);
/* Calls the API as the page's user (pw_http_page_call). */
PW_MUSTCHECK enum pw_status pw__page_api(struct pw__page *pg, const char *method, const char *uri,
                                         json_t *body, json_t **out, struct pw_error *err);
/* GET prefix + id (percent-encoded) + suffix from the API as the page's user:
 * pw__page_get(pg, "/api/children/", child, "/alerts", &out, err). */
PW_MUSTCHECK enum pw_status pw__page_get(struct pw__page *pg, const char *prefix, const char *id,
                                         const char *suffix, json_t **out, struct pw_error *err);
/* Adds an error for the summary and for field (the id of the input to link to). */
void pw__page_error(struct pw__page *pg, const char *field, const char *message);
/* Whether the POSTed form carries the session's CSRF token; if not, the page is answered. */
bool pw__page_csrf(struct pw__page *pg);
/* The request's query parameter, or NULL. */
const char *pw__page_query(const struct pw__page *pg, const char *name);
/* Percent-encodes s for a URL's path segment or query value into b. */
void pw__url_encode(struct pw_buf *b, const char *s);
/* Today in England, as a day number, for the page's user. */
int32_t pw__page_today(const struct pw__page *pg);

/* ---- Words (words.c; pw__words_agency in web.c, pw__words_agencies in alert_view.c) ---- */

/* The words for an agency's code ("csc": "Children's social care"). Static. */
const char *pw__words_agency(const char *code);
/* A list of agency codes in words: "Children's social care, Police and Health". New ref. */
json_t *pw__words_agencies(const json_t *list);
/* "2025-05-27" (or a date-time) as "27 May 2025"; anything else copied as it is. */
void pw__words_date(const char *iso, char *out, size_t size);
/* As pw__words_date, as a JSON string (null for NULL). New reference. */
json_t *pw__words_date_json(const char *iso);
/* Whole years from a "YYYY-MM-DD" birth date to today; -1 when unknown. */
int pw__words_age(const char *dob, int32_t today);
/* A code in words: "known-risk-joins-household" as "Known risk joins household". */
void pw__words_code(const char *code, char *out, size_t size);
json_t *pw__words_code_json(const char *code);
/* A DfE ethnicity code ("WBRI") in words; an unknown code as it is; NULL for NULL. */
const char *pw__words_ethnicity(const char *code);
/* The i-th ethnicity code in the census's order, or NULL past the last. */
const char *pw__words_ethnicity_code(size_t i);
/* text with each person id that names holds (an object: id to name; may be NULL) replaced by
 * the name, and each date "2025-05-27" written "27 May 2025". New reference; null for NULL. */
json_t *pw__words_named(const char *text, const json_t *names);

/* ---- Alerts as pages show them (alert_view.c) ---- */

/* An alert of the API (pw_alert_view_json's object) as the alert card template reads it:
 * title, status words and tag, due in words, agencies in words; names from names (an object
 * of person id to name; may be NULL) and the alert's own child_name and subject_name for the
 * child and subject. New reference. */
json_t *pw__alert_card(const json_t *alert, const json_t *names);

#endif
