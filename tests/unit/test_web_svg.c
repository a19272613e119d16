/*
 * The SVG drawings of src/web/: the picture of concern's timeline (chart.c) and the genogram
 * (genogram.c, by Graphviz). What is asserted is what a reader relies on: a mark per sign with
 * its class and hover text, shape by strength, restricted signs without their detail, the
 * counting window, marks on one day not hiding each other; people, households and
 * relationships in the genogram; one root element, no prolog or doctype, no style attributes
 * (the page's CSP forbids them); every text escaped, whatever it holds; bad input refused with
 * the place named. The genogram is also drawn from several threads at once.
 */
#include <pthread.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "web/web_int.h"

/* ---- Helpers ---- */

static size_t
count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static json_t *
parse(const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, 0, &e);
    if (v == NULL) {
        print_error("fixture JSON, line %d: %s\n", e.line, e.text);
    }
    assert_non_null(v);
    return v;
}

/* Draws the chart of text into out (initialised here); returns the status. */
static enum pw_status
chart(const char *text, struct pw_buf *out, struct pw_error *err)
{
    json_t *picture = parse(text);
    pw_buf_init(out, 0);
    enum pw_status rc = pw__web_chart_picture(picture, out, err);
    json_decref(picture);
    return rc;
}

static enum pw_status
genogram(const char *text, struct pw_buf *out, struct pw_error *err)
{
    json_t *network = parse(text);
    pw_buf_init(out, 0);
    enum pw_status rc = pw__web_genogram(network, out, err);
    json_decref(network);
    return rc;
}

/* What every drawing must be: one root <svg> first, none of what an inline SVG cannot have
 * or the page's CSP refuses. */
static void
assert_clean_svg(const char *svg, const char *root_class)
{
    char want[128];
    assert_int_equal(strncmp(svg, "<svg ", 5), 0);
    assert_int_equal(count(svg, "<svg"), 1);
    assert_int_equal(count(svg, "</svg>"), 1);
    (void)snprintf(want, sizeof(want), "class=\"%s\"", root_class);
    assert_non_null(strstr(svg, want));
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "aria-labelledby=\""));
    assert_null(strstr(svg, "<?xml"));
    assert_null(strstr(svg, "<!DOCTYPE"));
    assert_null(strstr(svg, "<!--"));
    assert_null(strstr(svg, "style="));
    assert_null(strstr(svg, "<style"));
    assert_null(strstr(svg, "<script"));
}

/* The <title> of the mark whose title mentions what; NULL if none. Borrowed from svg. */
static const char *
mark_titled(const char *svg, const char *what)
{
    const char *hit = strstr(svg, what);
    if (hit == NULL) {
        return NULL;
    }
    const char *title = hit;
    while (title > svg && strncmp(title, "<title>", 7) != 0) {
        title--;
    }
    return title;
}

/* The start of the element that holds the <title> at title (the mark itself). */
static const char *
mark_of(const char *svg, const char *title)
{
    const char *p = title - 1;
    while (p > svg && *p != '<') {
        p--;
    }
    return p;
}

/* ---- The picture of concern ---- */

#define PICTURE_HEAD(as_of, from)                                                            \
 "{\"child\":\"p-lily-h\",\"as_of\":\"" as_of "\",\"window_from\":\"" from "\",\"score\":0," \
 "\"threshold\":4,\"agencies\":0,\"signs\":["
#define PICTURE_TAIL "],\"access\":{\"basis\":\"allocated\",\"view\":\"full\",\"detail\":\"\"}}"

#define SIGN(observed, agency, code, name, strength)                                               \
 "{\"observed\":\"" observed "\",\"agency\":\"" agency "\",\"code\":\"" code "\",\"name\":\"" name \
 "\",\"category\":\"c\",\"strength\":\"" strength "\",\"age\":9,\"fact\":\"f\",\"concern\":null}"

/* The brief's example: Lily's two signs from school, before the window. */
static const char lily_picture[] = PICTURE_HEAD("2026-11-23", "2025-11-24")
    SIGN("2025-06-10", "education", "sexualised_behaviour_age_inappropriate",
         "Sexualised behaviour not expected for age",
         "consider") "," SIGN("2025-06-12", "education", "fear_of_person",
                              "Fear of a particular person or place", "consider") PICTURE_TAIL;

static void
chart_two_signs_in_one_lane(void **state)
{
    (void)state;
    struct pw_buf out;
    struct pw_error err = { 0 };
    assert_int_equal(chart(lily_picture, &out, &err), PW_OK);
    const char *svg = pw_buf_cstr(&out);
    assert_clean_svg(svg, "app-chart__svg");
    assert_non_null(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
    assert_non_null(strstr(svg, "viewBox=\"0 0 800 "));
    /* The accessible name and description, referenced by id. */
    assert_non_null(
        strstr(svg, "aria-labelledby=\"pw-chart-picture-title pw-chart-picture-desc\""));
    assert_non_null(strstr(svg, "<title id=\"pw-chart-picture-title\">Picture of concern: 2 "
                                "signs from 1 agency, 10 Jun 2025 to 12 Jun 2025</title>"));
    assert_non_null(strstr(svg, "<desc id=\"pw-chart-picture-desc\">Score 0 against a threshold "
                                "of 4."));
    assert_non_null(strstr(svg, "0 of the 2 signs are in it"));
    /* Two marks, both "consider", each with its own hover text; one lane. */
    assert_int_equal(count(svg, "class=\"app-chart__mark "), 2);
    assert_int_equal(count(svg, "app-chart__mark--consider"), 2);
    assert_int_equal(count(svg, "<title>"), 2);
    assert_non_null(strstr(svg, "<title>10 Jun 2025, Education: Sexualised behaviour not expected "
                                "for age (consider; age 9); not in the counting window</title>"));
    assert_non_null(strstr(svg, "<title>12 Jun 2025, Education: Fear of a particular person or "
                                "place (consider; age 9); not in the counting window</title>"));
    assert_int_equal(count(svg, ">Education</text>"), 1);
    assert_null(strstr(svg, "social care"));
    /* The counting window, shaded and labelled; the axis and its lines. */
    assert_int_equal(count(svg, "<rect class=\"app-chart__window\""), 1);
    assert_int_equal(count(svg, ">counting window</text>"), 1);
    assert_int_equal(count(svg, "class=\"app-chart__axis\""), 1);
    assert_true(count(svg, "class=\"app-chart__grid\"") >= 2);
    assert_true(count(svg, "class=\"app-chart__label\"") >= 3);
    pw_buf_release(&out);
}

static void
chart_shape_by_strength(void **state)
{
    (void)state;
    struct pw_buf out;
    struct pw_error err = { 0 };
    assert_int_equal(chart(PICTURE_HEAD("2025-07-01", "2024-07-02")
                               SIGN("2025-06-03", "health", "soiling_wetting_regression",
                                    "Soiling or wetting after being dry",
                                    "suspect") "," SIGN("2025-06-12", "education", "fear_of_person",
                                                        "Fear of a particular person or place",
                                                        "consider") PICTURE_TAIL,
                           &out, &err),
                     PW_OK);
    const char *svg = pw_buf_cstr(&out);
    /* A filled diamond and an outlined circle: shape, not colour alone. */
    const char *suspect = mark_of(svg, mark_titled(svg, "Soiling or wetting"));
    const char *consider = mark_of(svg, mark_titled(svg, "Fear of a particular"));
    assert_int_equal(
        strncmp(suspect, "<polygon class=\"app-chart__mark app-chart__mark--suspect\"", 56), 0);
    assert_int_equal(
        strncmp(consider, "<circle class=\"app-chart__mark app-chart__mark--consider\"", 57), 0);
    assert_non_null(strstr(svg, "(suspect; age 9)</title></polygon>"));
    assert_non_null(strstr(svg, "(consider; age 9)</title></circle>"));
    /* Two lanes, in the order of the agencies: health above education. */
    const char *health = strstr(svg, ">Health</text>");
    const char *education = strstr(svg, ">Education</text>");
    assert_non_null(health);
    assert_non_null(education);
    assert_true(health < education);
    assert_non_null(strstr(svg, "Picture of concern: 2 signs from 2 agencies"));
    assert_non_null(strstr(svg, "2 of the 2 signs are in it"));
    assert_null(strstr(svg, "not in the counting window"));
    assert_null(strstr(svg, "app-chart__mark--outside"));
    pw_buf_release(&out);
}

static void
chart_restricted_sign_without_detail(void **state)
{
    (void)state;
    struct pw_buf out;
    struct pw_error err = { 0 };
    /* As pw_picture_json writes a sign the reader may know only exists. */
    assert_int_equal(chart(PICTURE_HEAD("2025-07-01", "2024-07-02") SIGN(
                               "2025-06-12", "education", "fear_of_person",
                               "Fear of a particular person or place",
                               "consider") ",{\"observed\":\"2025-06-19\",\"agency\":\"police\","
                                           "\"fact\":\"pol-intel-lily\",\"restricted\":true,"
                                           "\"ask\":\"police\"}" PICTURE_TAIL,
                           &out, &err),
                     PW_OK);
    const char *svg = pw_buf_cstr(&out);
    const char *title = mark_titled(svg, "19 Jun 2025, Police");
    assert_non_null(title);
    assert_int_equal(strncmp(mark_of(svg, title),
                             "<rect class=\"app-chart__mark app-chart__mark--restricted\"", 57),
                     0);
    assert_non_null(strstr(svg, "<title>19 Jun 2025, Police: a restricted sign (only that it "
                                "exists may be shown; ask Police)</title></rect>"));
    assert_null(strstr(svg, "pol-intel-lily"));
    assert_non_null(strstr(svg, ">Police</text>"));
    assert_non_null(strstr(svg, "1 sign is restricted"));
    pw_buf_release(&out);
}

static void
chart_escapes_every_text(void **state)
{
    (void)state;
    struct pw_buf out;
    struct pw_error err = { 0 };
    assert_int_equal(chart(PICTURE_HEAD("2025-07-01", "2024-07-02") SIGN(
                               "2025-06-12", "<b>\\\"agency'`", "x",
                               "<script>alert(1)</script> & \\\"so\\\"", "suspect") PICTURE_TAIL,
                           &out, &err),
                     PW_OK);
    const char *svg = pw_buf_cstr(&out);
    assert_clean_svg(svg, "app-chart__svg");
    assert_null(strstr(svg, "<script>"));
    assert_null(strstr(svg, "<b>"));
    assert_non_null(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;so&quot;"));
    /* An agency not known here is shown as sent, escaped, as its lane's name. */
    assert_int_equal(count(svg, ">&lt;b&gt;&quot;agency&#39;&#96;</text>"), 1);
    pw_buf_release(&out);
}

static void
chart_window_in_and_out(void **state)
{
    (void)state;
    struct pw_buf out;
    struct pw_error err = { 0 };
    assert_int_equal(
        chart(PICTURE_HEAD("2025-07-01", "2024-07-02")
                  SIGN("2024-07-01", "csc", "a", "Before the window", "consider") "," SIGN(
                      "2024-07-02", "csc", "b", "First day in it",
                      "consider") "," SIGN("2025-07-01", "csc", "c", "Last day in it", "consider")
                      PICTURE_TAIL,
              &out, &err),
        PW_OK);
    const char *svg = pw_buf_cstr(&out);
    assert_non_null(
        strstr(svg, "Before the window (consider; age 9); not in the counting window</title>"));
    assert_non_null(strstr(svg, "First day in it (consider; age 9)</title>"));
    assert_non_null(strstr(svg, "Last day in it (consider; age 9)</title>"));
    assert_int_equal(count(svg, "app-chart__mark--outside"), 1);
    assert_int_equal(strncmp(mark_of(svg, mark_titled(svg, "Before the window")),
                             "<circle class=\"app-chart__mark app-chart__mark--consider "
                             "app-chart__mark--outside\"",
                             82),
                     0);
    assert_non_null(strstr(svg, "2 of the 3 signs are in it"));
    assert_non_null(strstr(svg, ">Children&#39;s social care</text>"));
    /* Thirteen months: a line a month, the year under January and under the first. */
    assert_non_null(strstr(svg, ">Jul<tspan"));
    assert_non_null(strstr(svg, ">Jan<tspan"));
    assert_non_null(strstr(svg, ">2025</tspan>"));
    pw_buf_release(&out);
}

/* The x of the window's left edge and of a mark (cx or the diamond's top point). */
static double
number_after(const char *s, const char *attr)
{
    const char *p = strstr(s, attr);
    assert_non_null(p);
    return strtod(p + strlen(attr), NULL);
}

static void
chart_marks_on_one_day_do_not_hide_each_other(void **state)
{
    (void)state;
    struct pw_buf out;
    struct pw_error err = { 0 };
    assert_int_equal(
        chart(PICTURE_HEAD("2025-07-01", "2024-07-02")
                  SIGN("2025-06-12", "education", "a", "Sign one", "consider") "," SIGN(
                      "2025-06-12", "education", "b", "Sign two",
                      "consider") "," SIGN("2025-06-12", "education", "c", "Sign three",
                                           "consider") "," SIGN("2025-06-12", "police", "d",
                                                                "Other lane", "consider")
                      PICTURE_TAIL,
              &out, &err),
        PW_OK);
    const char *svg = pw_buf_cstr(&out);
    const char *names[] = { "Sign one", "Sign two", "Sign three" };
    double cx[3];
    double cy[3];
    for (size_t i = 0; i < 3; i++) {
        const char *m = mark_of(svg, mark_titled(svg, names[i]));
        cx[i] = number_after(m, "cx=\"");
        cy[i] = number_after(m, "cy=\"");
    }
    /* Same day, so same x; each on its own line, far enough apart not to overlap. */
    assert_true(cx[0] == cx[1] && cx[1] == cx[2]);
    for (size_t i = 0; i < 3; i++) {
        for (size_t k = i + 1; k < 3; k++) {
            double d = cy[i] > cy[k] ? cy[i] - cy[k] : cy[k] - cy[i];
            assert_true(d >= 10.0);
        }
    }
    /* The window starts left of the marks; the other lane's mark is on its own line. */
    assert_true(number_after(svg, "<rect class=\"app-chart__window\" x=\"") < cx[0]);
    const char *other = mark_of(svg, mark_titled(svg, "Other lane"));
    assert_true(number_after(other, "cx=\"") == cx[0]);
    pw_buf_release(&out);
}

static void
chart_long_span_by_years(void **state)
{
    (void)state;
    struct pw_buf out;
    struct pw_error err = { 0 };
    assert_int_equal(chart(PICTURE_HEAD("2025-07-01", "2024-07-02")
                               SIGN("2012-03-01", "health", "a", "Long ago", "none") "," SIGN(
                                   "2025-06-12", "education", "b", "Recent", "suspect")
                                   PICTURE_TAIL,
                           &out, &err),
                     PW_OK);
    const char *svg = pw_buf_cstr(&out);
    /* Thirteen years: a line every two years, labelled with the year alone. */
    assert_null(strstr(svg, ">Jan<"));
    assert_non_null(strstr(svg, ">2014</tspan>"));
    assert_non_null(strstr(svg, ">2024</tspan>"));
    assert_null(strstr(svg, ">2013</tspan>"));
    /* A sign seen in adulthood: its own shape and class, never counted. */
    assert_non_null(strstr(svg, "<polygon class=\"app-chart__mark app-chart__mark--none "
                                "app-chart__mark--outside\""));
    assert_non_null(
        strstr(svg, "Long ago (not counted: an adult; age 9); not in the counting window"));
    pw_buf_release(&out);
}

static void
chart_without_signs(void **state)
{
    (void)state;
    struct pw_buf out;
    struct pw_error err = { 0 };
    assert_int_equal(chart(PICTURE_HEAD("2025-07-01", "2024-07-02") PICTURE_TAIL, &out, &err),
                     PW_OK);
    const char *svg = pw_buf_cstr(&out);
    assert_clean_svg(svg, "app-chart__svg");
    assert_non_null(strstr(svg, ">No signs or indicators recorded</text>"));
    assert_null(strstr(svg, "app-chart__mark"));
    pw_buf_release(&out);
}

static void
chart_refuses_bad_input(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *field;
    } cases[] = {
        { "[]", "$" },
        { "{\"as_of\":\"2025-07-01\",\"window_from\":\"2024-07-02\",\"score\":0,\"threshold\":4}",
          "$.signs" },
        { PICTURE_HEAD("2025-02-30", "2024-07-02") PICTURE_TAIL, "$.as_of" },
        { PICTURE_HEAD("2025-07-01", "2025-07-02") PICTURE_TAIL, "$.window_from" },
        { PICTURE_HEAD("2025-07-01", "2024-07-02") "{\"agency\":\"csc\",\"name\":\"n\","
                                                   "\"strength\":\"consider\"}" PICTURE_TAIL,
          "$.signs[0].observed" },
        { PICTURE_HEAD("2025-07-01", "2024-07-02")
              SIGN("2025-06-01", "csc", "a", "A",
                   "consider") "," SIGN("12/06/2025", "csc", "b", "B", "consider") PICTURE_TAIL,
          "$.signs[1].observed" },
        { PICTURE_HEAD("2025-07-01", "2024-07-02") SIGN("2025-06-01", "csc", "a", "A", "maybe")
              PICTURE_TAIL,
          "$.signs[0].strength" },
        { PICTURE_HEAD("2025-07-01", "2024-07-02") SIGN("2025-06-01", "", "a", "A", "suspect")
              PICTURE_TAIL,
          "$.signs[0].agency" },
        { PICTURE_HEAD("2025-07-01",
                       "2024-07-02") "{\"observed\":\"2025-06-01\","
                                     "\"agency\":\"csc\",\"strength\":\"suspect\"}" PICTURE_TAIL,
          "$.signs[0].name" },
        { PICTURE_HEAD("2025-07-01", "2024-07-02") "42" PICTURE_TAIL, "$.signs[0]" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pw_buf out;
        struct pw_error err = { 0 };
        assert_int_equal(chart(cases[i].json, &out, &err), PW_EINVAL);
        if (strcmp(err.field, cases[i].field) != 0) {
            print_error("case %zu: field %s (%s), expected %s\n", i, err.field, err.msg,
                        cases[i].field);
        }
        assert_string_equal(err.field, cases[i].field);
        assert_non_null(strstr(err.msg, cases[i].field));
        assert_int_equal(out.len, 0); /* nothing written */
        pw_buf_release(&out);
    }
    struct pw_buf out;
    struct pw_error err = { 0 };
    pw_buf_init(&out, 0);
    assert_int_equal(pw__web_chart_picture(NULL, &out, &err), PW_EINVAL);
    pw_buf_release(&out);
}

/* ---- The genogram ---- */

/* GET /api/children/p-lily-h/network for Lily's family (examples/partnership.jsonl). */
static const char lily_network[] =
    "{\"people\":["
    "{\"person\":\"p-lily-h\",\"name\":\"Lily Hart\",\"dob\":\"2016-04-02\",\"how\":\"the "
    "child\",\"same_as\":null,\"lived_with\":[],\"sexual_risk\":false,\"sex\":\"female\"},"
    "{\"person\":\"p-kerry-h\",\"name\":\"Kerry Hart\",\"dob\":\"1990-07-23\",\"how\":\"parent; "
    "household member at 12 Mill Lane from 2019-03-01\",\"same_as\":null,\"lived_with\":[{"
    "\"since\":\"2019-03-01\",\"until\":null}],\"sexual_risk\":false,\"sex\":\"female\"},"
    "{\"person\":\"p-noah-h\",\"name\":\"Noah Hart\",\"dob\":\"2021-02-11\",\"how\":\"half_sibling;"
    " household member at 12 Mill Lane from 2021-02-11\",\"same_as\":null,\"lived_with\":[{"
    "\"since\":\"2021-02-11\",\"until\":null}],\"sexual_risk\":false,\"sex\":\"male\"},"
    "{\"person\":\"p-dean-c\",\"name\":\"Dean Cole (known as Deano Cole)\",\"dob\":\"1984-09-12\","
    "\"how\":\"household member at 12 Mill Lane from 2025-05-10; partner of the child's parent "
    "p-kerry-h; alleged in concern c-lily-2025-06\",\"same_as\":null,\"lived_with\":[{\"since\":"
    "\"2025-05-10\",\"until\":null}],\"sexual_risk\":true,\"sex\":\"male\"}],"
    "\"relationships\":["
    "{\"from\":\"p-kerry-h\",\"to\":\"p-lily-h\",\"kind\":\"parent\",\"since\":null,\"until\":null},"
    "{\"from\":\"p-kerry-h\",\"to\":\"p-noah-h\",\"kind\":\"parent\",\"since\":null,\"until\":null},"
    "{\"from\":\"p-lily-h\",\"to\":\"p-noah-h\",\"kind\":\"half_sibling\",\"since\":null,"
    "\"until\":null},"
    "{\"from\":\"p-dean-c\",\"to\":\"p-kerry-h\",\"kind\":\"parent_partner\",\"since\":"
    "\"2024-12-01\",\"until\":null}],"
    "\"households\":["
    "{\"person\":\"p-lily-h\",\"name\":\"Lily Hart\",\"dob\":\"2016-04-02\",\"line1\":\"12 Mill "
    "Lane\",\"postcode\":\"LS6 2AB\",\"town\":\"Leeds\",\"since\":\"2019-03-01\",\"until\":null,"
    "\"is_self\":true,\"sexual_risk\":false},"
    "{\"person\":\"p-dean-c\",\"name\":\"Dean Cole (known as Deano Cole)\",\"dob\":\"1984-09-12\","
    "\"line1\":\"12 Mill Lane\",\"postcode\":\"ls6 2ab\",\"town\":\"Leeds\",\"since\":"
    "\"2025-05-10\",\"until\":null,\"is_self\":false,\"sexual_risk\":true},"
    "{\"person\":\"p-kerry-h\",\"name\":\"Kerry Hart\",\"dob\":\"1990-07-23\",\"line1\":\"12 Mill "
    "Lane\",\"postcode\":\"LS6 2AB\",\"town\":\"Leeds\",\"since\":\"2019-03-01\",\"until\":null,"
    "\"is_self\":false,\"sexual_risk\":false},"
    "{\"person\":\"p-noah-h\",\"name\":\"Noah Hart\",\"dob\":\"2021-02-11\",\"line1\":\"12 Mill "
    "Lane\",\"postcode\":\"LS6 2AB\",\"town\":\"Leeds\",\"since\":\"2021-02-11\",\"until\":null,"
    "\"is_self\":false,\"sexual_risk\":false}],"
    "\"access\":{\"basis\":\"agency_involvement\",\"view\":\"full\",\"detail\":\"\"}}";

/* The <g> of the node whose <title> is id; NULL if none. Borrowed from svg. */
static const char *
node_group(const char *svg, const char *id)
{
    char title[96];
    (void)snprintf(title, sizeof(title), "<title>%s</title>", id);
    const char *t = strstr(svg, title);
    if (t == NULL) {
        return NULL;
    }
    const char *g = t;
    while (g > svg && strncmp(g, "<g ", 3) != 0) {
        g--;
    }
    return g;
}

/* The text of the node group at g, to its end. Copied into out. */
static void
group_text(const char *g, char *out, size_t size)
{
    const char *end = strstr(g, "</g>");
    assert_non_null(end);
    size_t n = (size_t)(end - g);
    (void)snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), g);
}

static void
genogram_of_lily(void **state)
{
    (void)state;
    struct pw_buf out;
    struct pw_error err = { 0 };
    assert_int_equal(genogram(lily_network, &out, &err), PW_OK);
    const char *svg = pw_buf_cstr(&out);
    assert_clean_svg(svg, "app-genogram__svg");
    assert_non_null(strstr(svg, "aria-labelledby=\"pw-genogram-title pw-genogram-desc\""));
    assert_non_null(strstr(svg, "<title id=\"pw-genogram-title\">Family network of Lily Hart: 4 "
                                "people, 4 relationships, 1 household</title>"));
    assert_non_null(strstr(svg, "<desc id=\"pw-genogram-desc\">"));
    assert_non_null(strstr(svg, "1 person has a sexual-harm history"));

    /* Every person once, by name, with the year of birth. */
    static const char *const names[] = { ">Lily Hart</text>", ">Kerry Hart</text>",
                                         ">Noah Hart</text>",
                                         ">Dean Cole (known as Deano Cole)</text>" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        assert_int_equal(count(svg, names[i]), 1);
    }
    assert_int_equal(count(svg, ">born 1984</text>"), 1);
    assert_int_equal(count(svg, "sexual-harm history</text>"), 1);

    char g[4096];
    /* Lily: the child, a female: an ellipse twice over (double outline), a bold label. */
    group_text(node_group(svg, "p-lily-h"), g, sizeof(g));
    assert_non_null(strstr(g, "app-genogram__person--female"));
    assert_non_null(strstr(g, "app-genogram__person--child"));
    assert_int_equal(count(g, "<ellipse"), 2);
    assert_non_null(strstr(g, "font-weight=\"bold\""));
    /* Dean: a male (a box), with the sexual-harm history in words and a thick red outline. */
    group_text(node_group(svg, "p-dean-c"), g, sizeof(g));
    assert_non_null(strstr(g, "app-genogram__person--male"));
    assert_non_null(strstr(g, "app-genogram__person--risk"));
    assert_non_null(strstr(g, "<polygon"));
    assert_null(strstr(g, "<ellipse"));
    assert_non_null(strstr(g, "stroke=\"#d4351c\""));
    assert_non_null(strstr(g, "stroke-width=\"3\""));
    assert_non_null(strstr(g, ">sexual-harm history</text>"));
    group_text(node_group(svg, "p-kerry-h"), g, sizeof(g));
    assert_null(strstr(g, "sexual-harm"));
    assert_null(strstr(g, "app-genogram__person--child"));
    assert_int_equal(count(g, "<ellipse"), 1);

    /* The household, around its members, labelled with the address and since when. */
    assert_int_equal(count(svg, "class=\"cluster app-genogram__household\""), 1);
    assert_non_null(strstr(svg, ">12 Mill Lane, Leeds</text>"));
    assert_non_null(strstr(svg, ">from 2019-03-01</text>"));
    assert_null(strstr(svg, "LS6")); /* the postcode is the table's business */

    /* Relationships: parent to child (an arrow), partners and siblings (lines, labelled). */
    assert_int_equal(count(svg, "<title>p-kerry-h-&gt;p-lily-h</title>"), 1);
    assert_int_equal(count(svg, "<title>p-kerry-h-&gt;p-noah-h</title>"), 1);
    assert_int_equal(count(svg, "<title>p-dean-c-&gt;p-kerry-h</title>"), 1);
    assert_int_equal(count(svg, "<title>p-lily-h-&gt;p-noah-h</title>"), 1);
    assert_int_equal(count(svg, "app-genogram__relationship--parent\""), 2);
    assert_int_equal(count(svg, "app-genogram__relationship--parent_partner\""), 1);
    assert_non_null(strstr(svg, ">partner</text>"));
    assert_non_null(strstr(svg, ">half-sibling</text>"));
    pw_buf_release(&out);
}

static void
genogram_escapes_names(void **state)
{
    (void)state;
    struct pw_buf out;
    struct pw_error err = { 0 };
    assert_int_equal(
        genogram("{\"people\":["
                 "{\"person\":\"p-a\",\"name\":\"Eve <&\\\"> \\\\N \\\\G &lt;i&gt; '`\",\"dob\":"
                 "null,\"how\":\"the child\",\"sexual_risk\":false,\"sex\":null},"
                 "{\"person\":\"p-<b>\",\"name\":\"</text><script>alert(1)</script>\","
                 "\"sexual_risk\":true,\"sex\":\"male\"}],"
                 "\"relationships\":[{\"from\":\"p-<b>\",\"to\":\"p-a\",\"kind\":\"<kind & "
                 "co>\"}],"
                 "\"households\":[{\"person\":\"p-a\",\"line1\":\"1 <Road> & \\\\N\",\"town\":"
                 "null,\"since\":null,\"until\":null,\"is_self\":true}]}",
                 &out, &err),
        PW_OK);
    const char *svg = pw_buf_cstr(&out);
    assert_clean_svg(svg, "app-genogram__svg");
    /* As typed, escaped: Graphviz's own escapes (\N, \G, &lt;) are not read in a name. */
    assert_int_equal(count(svg, ">Eve &lt;&amp;&quot;&gt; \\N \\G &amp;lt;i&amp;gt; &#39;`</text>"),
                     1);
    assert_non_null(strstr(svg, "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;</text>"));
    assert_non_null(strstr(svg, ">1 &lt;Road&gt; &amp; \\N</text>"));
    assert_non_null(strstr(svg, "<title>p-&lt;b&gt;-&gt;p-a</title>"));
    assert_non_null(strstr(svg, ">&lt;kind &amp; co&gt;</text>"));
    assert_null(strstr(svg, "<b>"));
    /* Sex not recorded: a diamond. */
    char g[4096];
    group_text(node_group(svg, "p-a"), g, sizeof(g));
    assert_non_null(strstr(g, "app-genogram__person--unknown"));
    assert_non_null(strstr(g, "<polygon"));
    /* An auditor's view has no name: the person's pseudonym is the label. */
    pw_buf_release(&out);
    assert_int_equal(genogram("{\"people\":[{\"person\":\"ps-0123456789abcdef\",\"sexual_risk\":"
                              "true,\"sex\":\"female\"}],\"relationships\":[],\"households\":[{"
                              "\"person\":\"ps-0123456789abcdef\",\"town\":\"Leeds\",\"since\":"
                              "\"2019-03-01\",\"until\":\"2024-01-31\",\"is_self\":true}]}",
                              &out, &err),
                     PW_OK);
    svg = pw_buf_cstr(&out);
    assert_non_null(strstr(svg, ">ps-0123456789abcdef</text>"));
    assert_non_null(strstr(svg, "<title id=\"pw-genogram-title\">Family network: 1 person, 0 "
                                "relationships, 1 household</title>"));
    assert_non_null(strstr(svg, ">Leeds</text>"));
    assert_non_null(strstr(svg, ">2019-03-01\xe2\x80\x93"
                                "2024-01-31</text>"));
    assert_non_null(strstr(svg, "app-genogram__person--child"));
    pw_buf_release(&out);
}

static void
genogram_refuses_bad_input(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *field;
    } cases[] = {
        { "[]", "$" },
        { "{\"people\":{}}", "$.people" },
        { "{\"people\":[{\"name\":\"No id\"}]}", "$.people[0].person" },
        { "{\"people\":[{\"person\":\"a\",\"name\":7}]}", "$.people[0].name" },
        { "{\"people\":[{\"person\":\"a\"}],\"relationships\":[{\"from\":\"a\",\"to\":\"b\","
          "\"kind\":\"parent\"}]}",
          "$.relationships[0]" },
        { "{\"people\":[{\"person\":\"a\"}],\"relationships\":{}}", "$.relationships" },
        { "{\"people\":[{\"person\":\"a\"}],\"households\":[{\"person\":\"b\"}]}",
          "$.households[0]" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pw_buf out;
        struct pw_error err = { 0 };
        assert_int_equal(genogram(cases[i].json, &out, &err), PW_EINVAL);
        if (strcmp(err.field, cases[i].field) != 0) {
            print_error("case %zu: field %s (%s), expected %s\n", i, err.field, err.msg,
                        cases[i].field);
        }
        assert_string_equal(err.field, cases[i].field);
        assert_non_null(strstr(err.msg, cases[i].field));
        assert_int_equal(out.len, 0);
        pw_buf_release(&out);
    }
    /* Too many to draw (dot's time grows faster than the graph): the table shows them. */
    json_t *many = json_pack("{s:[]}", "people");
    for (int i = 0; i < 301; i++) {
        char id[16];
        (void)snprintf(id, sizeof(id), "p-%d", i);
        (void)json_array_append_new(json_object_get(many, "people"),
                                    json_pack("{s:s}", "person", id));
    }
    struct pw_buf out;
    struct pw_error err = { 0 };
    pw_buf_init(&out, 0);
    assert_int_equal(pw__web_genogram(many, &out, &err), PW_ETOOBIG);
    assert_string_equal(err.field, "$.people");
    assert_int_equal(out.len, 0);
    pw_buf_release(&out);
    json_decref(many);
}

/* Whether the centre of node id's shape is inside the box of the cluster labelled label. */
static bool
inside(const char *svg, const char *label, const char *id)
{
    const char *t = strstr(svg, label);
    assert_non_null(t);
    const char *g = t;
    while (g > svg && strncmp(g, "<g ", 3) != 0) {
        g--;
    }
    const char *p = strstr(g, "points=\"");
    assert_non_null(p);
    p += 8;
    double box[4] = { 1e9, 1e9, -1e9, -1e9 };
    while (*p != '"') {
        char *end;
        double x = strtod(p, &end);
        double y = strtod(end + 1, &end);
        box[0] = x < box[0] ? x : box[0];
        box[1] = y < box[1] ? y : box[1];
        box[2] = x > box[2] ? x : box[2];
        box[3] = y > box[3] ? y : box[3];
        p = end + (*end == ' ');
    }
    const char *n = node_group(svg, id);
    assert_non_null(n);
    const char *e = strstr(n, "<ellipse");
    const char *q = strstr(n, "<polygon");
    double x;
    double y;
    if (e != NULL && (q == NULL || e < q)) {
        x = number_after(e, "cx=\"");
        y = number_after(e, "cy=\"");
    } else {
        assert_non_null(q);
        x = number_after(q, "points=\"");
        y = strtod(strchr(strstr(q, "points=\""), ',') + 1, NULL);
    }
    return x > box[0] && x < box[2] && y > box[1] && y < box[3];
}

/* Households in turn: each person drawn once, in the latest they shared with the child. */
static void
genogram_households_over_time(void **state)
{
    (void)state;
    struct pw_buf out;
    struct pw_error err = { 0 };
    assert_int_equal(
        genogram("{\"people\":["
                 "{\"person\":\"c\",\"name\":\"Child\",\"how\":\"the child\",\"sex\":\"female\"},"
                 "{\"person\":\"m\",\"name\":\"Mother\",\"sex\":\"female\"},"
                 "{\"person\":\"f\",\"name\":\"Father\",\"sex\":\"male\"},"
                 "{\"person\":\"m2\",\"name\":\"Mother (health record)\",\"same_as\":\"m\"}],"
                 "\"relationships\":["
                 "{\"from\":\"m2\",\"to\":\"c\",\"kind\":\"parent\"},"
                 "{\"from\":\"m\",\"to\":\"c\",\"kind\":\"parent\"},"
                 "{\"from\":\"f\",\"to\":\"c\",\"kind\":\"parent\"},"
                 "{\"from\":\"f\",\"to\":\"m\",\"kind\":\"parent_partner\",\"until\":"
                 "\"2020-01-01\"}],"
                 "\"households\":["
                 "{\"person\":\"c\",\"line1\":\"1 Old Road\",\"town\":\"Leeds\",\"since\":"
                 "\"2016-04-02\",\"until\":\"2020-01-01\",\"is_self\":true},"
                 "{\"person\":\"m\",\"since\":\"2016-04-02\",\"until\":\"2020-01-01\"},"
                 "{\"person\":\"f\",\"since\":\"2016-04-02\",\"until\":\"2020-01-01\"},"
                 "{\"person\":\"c\",\"line1\":\"2 New Street\",\"town\":\"Leeds\",\"since\":"
                 "\"2020-01-01\",\"until\":null,\"is_self\":true},"
                 "{\"person\":\"m2\",\"since\":\"2020-01-01\",\"until\":null}]}",
                 &out, &err),
        PW_OK);
    const char *svg = pw_buf_cstr(&out);
    assert_int_equal(count(svg, "class=\"cluster app-genogram__household\""), 2);
    assert_int_equal(count(svg, ">Mother</text>"), 1);
    assert_null(strstr(svg, "health record")); /* one person, drawn once */
    assert_null(node_group(svg, "m2"));
    assert_int_equal(count(svg, "<title>m-&gt;c</title>"), 1); /* the two records' edge, once */
    assert_non_null(strstr(svg, ">partner (until 2020-01-01)</text>"));
    /* The child and her mother in the new household, her father in the old one. */
    assert_non_null(strstr(svg, ">2016-04-02\xe2\x80\x93"
                                "2020-01-01</text>"));
    assert_non_null(strstr(svg, ">from 2020-01-01</text>"));
    assert_true(inside(svg, ">2 New Street, Leeds</text>", "c"));
    assert_true(inside(svg, ">2 New Street, Leeds</text>", "m"));
    assert_false(inside(svg, ">2 New Street, Leeds</text>", "f"));
    assert_true(inside(svg, ">1 Old Road, Leeds</text>", "f"));
    assert_false(inside(svg, ">1 Old Road, Leeds</text>", "c"));
    assert_non_null(strstr(svg, "Family network of Child: 3 people, 3 relationships, 2 "
                                "households"));
    pw_buf_release(&out);
}

/* Graphviz is not thread-safe: pw__web_genogram serialises it. Many at once must all work. */
static void *
draw_many(void *arg)
{
    int *failures = arg;
    for (int i = 0; i < 5; i++) {
        struct pw_buf out;
        struct pw_error err = { 0 };
        if (genogram(lily_network, &out, &err) != PW_OK ||
            strstr(pw_buf_cstr(&out), ">Dean Cole (known as Deano Cole)</text>") == NULL) {
            (*failures)++;
        }
        pw_buf_release(&out);
    }
    return NULL;
}

static void
genogram_from_many_threads(void **state)
{
    (void)state;
    pthread_t threads[4];
    int failures[4] = { 0 };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&threads[i], NULL, draw_many, &failures[i]), 0);
    }
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(failures[i], 0);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chart_two_signs_in_one_lane),
        cmocka_unit_test(chart_shape_by_strength),
        cmocka_unit_test(chart_restricted_sign_without_detail),
        cmocka_unit_test(chart_escapes_every_text),
        cmocka_unit_test(chart_window_in_and_out),
        cmocka_unit_test(chart_marks_on_one_day_do_not_hide_each_other),
        cmocka_unit_test(chart_long_span_by_years),
        cmocka_unit_test(chart_without_signs),
        cmocka_unit_test(chart_refuses_bad_input),
        cmocka_unit_test(genogram_of_lily),
        cmocka_unit_test(genogram_escapes_names),
        cmocka_unit_test(genogram_refuses_bad_input),
        cmocka_unit_test(genogram_households_over_time),
        cmocka_unit_test(genogram_from_many_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
