/*
 * The web module's plumbing: the template dialect (escaping by default, sections over arrays,
 * objects and truth, inverted sections, partials, array indices), the mistakes it refuses when
 * templates are compiled, every template Pathway ships compiling, the escaping writer, and the
 * form parser (repeats kept, escapes decoded, what is not text refused).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/time.h"
#include "web/web_int.h"

static char *
render(const char *tpl, const char *json)
{
    struct pw__web_template_src src[] = { { "t", tpl, strlen(tpl) }, { "p", "[{{x}}]", 7 } };
    struct pw__tpl_set *set = NULL;
    struct pw_error err = { 0 };
    if (pw__tpl_set_from(src, 2, &set, &err) != PW_OK) {
        fail_msg("%s: %s", tpl, err.msg);
    }
    json_t *data = json_loads(json, 0, NULL);
    assert_non_null(data);
    struct pw_buf b;
    pw_buf_init(&b, 0);
    assert_int_equal(pw__tpl_render(set, "t", data, &b, &err), PW_OK);
    size_t len = 0;
    char *out = pw_buf_detach(&b, &len);
    pw_buf_release(&b);
    json_decref(data);
    pw__tpl_set_free(set);
    return out != NULL ? out : strdup("");
}

static void
expect(const char *tpl, const char *json, const char *want)
{
    char *got = render(tpl, json);
    assert_string_equal(got, want);
    free(got);
}

static void
escapes_by_default(void **state)
{
    (void)state;
    expect("<p>{{name}}</p>", "{\"name\":\"<script>alert('x')</script> & \\\"q\\\"\"}",
           "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</p>");
    expect("<a title=\"{{t}}\">", "{\"t\":\"\\\" onmouseover=`x`\"}",
           "<a title=\"&quot; onmouseover=&#96;x&#96;\">");
    /* Only a name ending in _html is written raw. */
    expect("{{{body_html}}}", "{\"body_html\":\"<b>made here</b>\"}", "<b>made here</b>");
    expect("{{n}} {{r}} {{t}} {{f}} {{z}} {{missing}}",
           "{\"n\":42,\"r\":1.5,\"t\":true,\"f\":false,\"z\":null}", "42 1.5 true   ");
}

static void
sections(void **state)
{
    (void)state;
    expect("{{#list}}<{{name}}>{{/list}}", "{\"list\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
           "<a><b>");
    expect("{{#list}}{{.}},{{/list}}", "{\"list\":[\"x\",\"y\"]}", "x,y,");
    expect("{{#o}}{{a}}-{{outer}}{{/o}}", "{\"o\":{\"a\":1},\"outer\":\"up\"}", "1-up");
    expect("{{#t}}yes{{/t}}{{#f}}no{{/f}}{{#e}}no{{/e}}{{#s}}no{{/s}}{{#z}}no{{/z}}",
           "{\"t\":true,\"f\":false,\"e\":[],\"s\":\"\",\"z\":0}", "yes");
    expect("{{^e}}none{{/e}}{{^l}}no{{/l}}", "{\"e\":[],\"l\":[1]}", "none");
    expect("{{a.b.c}}|{{#l.1}}{{.}}{{/l.1}}|{{l.0}}",
           "{\"a\":{\"b\":{\"c\":\"deep\"}},\"l\":[\"one\",\"two\"]}", "deep|two|one");
    expect("{{#l}}{{>p}}{{/l}}", "{\"l\":[{\"x\":\"<1>\"},{\"x\":2}]}", "[&lt;1&gt;][2]");
    expect("a{{! a comment }}b", "{}", "ab");
    expect("{{#a}}{{#b}}{{c}}{{/b}}{{/a}}", "{\"a\":{\"b\":[{\"c\":1},{\"c\":2}]}}", "12");
}

static void
refuses_mistakes(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "{{#a}}never closed", "{{/a}}",       "{{#a}}{{/b}}", "{{{raw}}}", "{{a",
        "{{>nowhere}}",       "{{bad name}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct pw__web_template_src src[] = { { "broken", bad[i], strlen(bad[i]) } };
        struct pw__tpl_set *set = NULL;
        struct pw_error err = { 0 };
        assert_int_equal(pw__tpl_set_from(src, 1, &set, &err), PW_EINTERNAL);
        assert_non_null(strstr(err.msg, "template broken"));
        assert_null(set);
    }
    /* An object written as text is a template bug, caught when rendering. */
    struct pw__web_template_src src[] = { { "t", "{{o}}", 5 } };
    struct pw__tpl_set *set = NULL;
    struct pw_error err = { 0 };
    assert_int_equal(pw__tpl_set_from(src, 1, &set, &err), PW_OK);
    json_t *data = json_pack("{s:{s:i}}", "o", "a", 1);
    struct pw_buf b;
    pw_buf_init(&b, 0);
    assert_int_equal(pw__tpl_render(set, "t", data, &b, &err), PW_EINTERNAL);
    pw_buf_release(&b);
    json_decref(data);
    pw__tpl_set_free(set);
}

static void
shipped_templates_compile(void **state)
{
    (void)state;
    struct pw__tpl_set *set = NULL;
    struct pw_error err = { 0 };
    assert_int_equal(pw__tpl_set_new(&set, &err), PW_OK);
    assert_true(pw__tpl_exists(set, "layout"));
    assert_true(pw__tpl_exists(set, "sign_in"));
    assert_true(pw__tpl_exists(set, "child"));
    pw__tpl_set_free(set);
    struct pw_web *w = NULL;
    struct pw_web_options o = { .assets = "" };
    assert_int_equal(pw_web_new(&o, &w, &err), PW_OK);
    pw_web_free(w);
    o.assets = "/nonexistent/assets";
    assert_int_equal(pw_web_new(&o, &w, &err), PW_EIO);
    assert_non_null(strstr(err.msg, "scripts/setup.sh"));
}

static void
forms(void **state)
{
    (void)state;
    static const char body[] = "user=sam.w&password=a%20b%2Bc+d&ind=sti&ind=self_harm&empty=&flag"
                               "&note=%C3%BCber%0D%0Aline";
    struct pw__form f;
    struct pw_error err = { 0 };
    assert_int_equal(pw__form_parse(body, sizeof(body) - 1, &f, &err), PW_OK);
    assert_string_equal(pw__form_text(&f, "user"), "sam.w");
    assert_string_equal(pw__form_text(&f, "password"), "a b+c d");
    assert_string_equal(pw__form_text(&f, "ind"), "sti");
    size_t inds = 0;
    for (size_t i = 0; i < f.n; i++) {
        inds += strcmp(f.fields[i].name, "ind") == 0;
    }
    assert_int_equal(inds, 2);
    assert_string_equal(pw__form_text(&f, "empty"), "");
    assert_string_equal(pw__form_text(&f, "flag"), "");
    assert_null(pw__form_get(&f, "absent"));
    assert_string_equal(pw__form_text(&f, "note"), "\xC3\xBC"
                                                   "ber\r\nline");
    pw__form_release(&f);

    static const char *const bad[] = {
        "a=%zz", "a=%4", "a=%00", "a=%C3", "a=%ED%A0%80", "a=%1B[31m"
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(pw__form_parse(bad[i], strlen(bad[i]), &f, &err), PW_EINVAL);
        pw__form_release(&f);
    }
    /* Spaces around what was typed are not part of it. */
    assert_int_equal(pw__form_parse("q=++Lily+Hart+", 14, &f, &err), PW_OK);
    assert_string_equal(pw__form_text(&f, "q"), "Lily Hart");
    pw__form_release(&f);
}

static void
words(void **state)
{
    (void)state;
    char out[64];
    pw__words_date("2025-05-27", out, sizeof(out));
    assert_string_equal(out, "27 May 2025");
    pw__words_date("2025-05-27T10:00:00Z", out, sizeof(out));
    assert_string_equal(out, "27 May 2025");
    pw__words_code("known-risk-joins-household", out, sizeof(out));
    assert_string_equal(out, "Known risk joins household");
    int32_t day = pw_date_from_ymd(2026, 4, 1);
    assert_int_equal(pw__words_age("2016-04-02", day), 9);
    assert_int_equal(pw__words_age("2016-04-01", day), 10);
    assert_int_equal(pw__words_age("not a date", day), -1);
    json_t *names = json_pack("{s:s,s:s}", "p-dean-c", "Dean Cole", "p-dean", "Someone Else");
    json_t *t = pw__words_named("p-dean-c lives with the child; p-dean-cx is not p-dean", names);
    assert_string_equal(json_string_value(t),
                        "Dean Cole lives with the child; p-dean-cx is not Someone Else");
    json_decref(t);
    t = pw__words_named("due by 2025-05-27 (episode e-2025-05-27-x, 2025-02-30, 12025-05-27)",
                        NULL);
    assert_string_equal(json_string_value(t),
                        "due by 27 May 2025 (episode e-2025-05-27-x, 2025-02-30, 12025-05-27)");
    json_decref(t);
    json_decref(names);
}

/* An alert card in a practitioner's words: the child and the other person by name, dates in
 * words, and the configuration keys the API's readers get left out, keeping their figures. */
static void
alert_cards(void **state)
{
    (void)state;
    json_t *alert = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:[s,s],s:s,s:s}", "id", "R01-1", "rule", "R01", "name",
        "known-risk-joins-household", "child", "p-lily-h", "subject", "p-dean-c", "status",
        "overdue", "due", "2025-05-27", "overdue_by", 3, "agencies", "csc", "police", "message",
        "p-dean-c lives with p-lily-h. Hold a discussion by 2025-05-27 (r01.discussion: 5 working "
        "days), then share the minutes (r24.minutes_shared) (warning from 30 days before, "
        "r09.bail_ending) (r03.window months) (r3.x) (r01.)",
        "finding", "Nobody assessed the risk.");
    (void)json_object_set_new(alert, "child_name", json_string("Lily Hart"));
    (void)json_object_set_new(alert, "subject_name", json_string("Dean Cole"));
    json_t *card = pw__alert_card(alert, NULL);
    assert_string_equal(json_string_value(json_object_get(card, "message")),
                        "Dean Cole lives with Lily Hart. Hold a discussion by 27 May 2025 (5 "
                        "working days), then share the minutes (warning from 30 days before) "
                        "(r03.window months) (r3.x) (r01.)");
    assert_string_equal(json_string_value(json_object_get(card, "status_text")),
                        "Overdue by 3 working days");
    assert_string_equal(json_string_value(json_object_get(card, "agencies")),
                        "Children's social care and Police");
    assert_string_equal(json_string_value(json_object_get(card, "child_name")), "Lily Hart");
    assert_string_equal(json_string_value(json_object_get(card, "due_text")), "27 May 2025");
    json_decref(card);
    json_decref(alert);

    /* The ids of the facts it rests on and of the episode, when they are only named. */
    alert = json_pack(
        "{s:s,s:s,s:s,s:s,s:[s,s],s:s}", "rule", "R24", "child", "p-lily-h", "status", "open",
        "due", "2025-06-20", "because", "csc-0011", "csc-0001", "message",
        "The minutes of the strategy discussion csc-0011 on 2025-06-16 (episode e-hart-2025) "
        "are not shared; the investigation in episode e-hart-2025 for 20 days; correct it "
        "(person.registered superseding csc-0001); csc-00111 stays.");
    card = pw__alert_card(alert, NULL);
    assert_string_equal(json_string_value(json_object_get(card, "message")),
                        "The minutes of the strategy discussion on 16 June 2025 are not shared; "
                        "the investigation for 20 days; correct it (person.registered "
                        "superseding csc-0001); csc-00111 stays.");
    json_decref(card);
    json_decref(alert);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_by_default),
        cmocka_unit_test(sections),
        cmocka_unit_test(refuses_mistakes),
        cmocka_unit_test(shipped_templates_compile),
        cmocka_unit_test(forms),
        cmocka_unit_test(words),
        cmocka_unit_test(alert_cards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
