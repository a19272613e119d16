/*
 * Configuration: the defaults are the design's, a partnership's file overrides them, every
 * mistake is refused with its line and changes nothing, and what is written reads back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pathway/config.h"

static void
the_defaults_are_the_designs(void **state)
{
    (void)state;
    struct pw_config c;
    pw_config_defaults(&c);
    assert_int_equal(pw_config_get(&c, PW_CFG_ASSESSMENT), 45);
    assert_int_equal(pw_config_get(&c, PW_CFG_ICPC), 15);
    assert_int_equal(pw_config_get(&c, PW_CFG_R01_DUE), 5);
    assert_int_equal(pw_config_get(&c, PW_CFG_R08_DUE), 10);
    assert_int_equal(pw_config_get(&c, PW_CFG_R10_FORENSICS), 60);
    assert_string_equal(pw_config_name(PW_CFG_R03_THRESHOLD), "r03.threshold");
    assert_string_equal(pw_config_unit(PW_CFG_R03_WINDOW), "months");
    assert_non_null(strstr(pw_config_about(PW_CFG_R03_THRESHOLD), "Peter"));
    for (int k = 0; k < PW_CFG__COUNT; k++) {
        assert_false(c.from_file[k]);
    }
}

static enum pw_status
parse(struct pw_config *c, const char *text, struct pw_error *err)
{
    return pw_config_parse(c, text, strlen(text), err);
}

static void
a_file_overrides_what_it_names(void **state)
{
    (void)state;
    struct pw_config c;
    struct pw_error err = { 0 };
    pw_config_defaults(&c);
    const char *text = "# our partnership\n"
                       "\n"
                       "assessment.child_and_family = 30   # our own standard\n"
                       "  r03.threshold=6\r\n"
                       "r08.discussion = 5";
    assert_int_equal(parse(&c, text, &err), PW_OK);
    assert_int_equal(pw_config_get(&c, PW_CFG_ASSESSMENT), 30);
    assert_int_equal(pw_config_get(&c, PW_CFG_R03_THRESHOLD), 6);
    assert_int_equal(pw_config_get(&c, PW_CFG_R08_DUE), 5);
    assert_true(c.from_file[PW_CFG_ASSESSMENT]);
    assert_false(c.from_file[PW_CFG_ICPC]);
    assert_int_equal(pw_config_get(&c, PW_CFG_ICPC), 15);
}

static void
mistakes_are_refused_with_their_line(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long line;
        const char *says;
    } cases[] = {
        { "r03.threshold = 6\nr03.threshhold = 7\n", 2, "unknown key \"r03.threshhold\"" },
        { "r03.threshold = 6\n\nr03.threshold = 7\n", 3, "r03.threshold is set twice" },
        { "assessment.child_and_family = 50\n", 1, "from 10 to 45" },
        { "assessment.child_and_family = 30 days\n", 1, "not \"30 days\"" },
        { "assessment.child_and_family = 4.5\n", 1, "whole number" },
        { "assessment.child_and_family =\n", 1, "whole number" },
        { "# fine\nassessment.child_and_family 30\n", 2, "expected `key = value`" },
        { "r10.digital_forensics = -1\n", 1, "from 7 to 365" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pw_config c;
        struct pw_error err = { 0 };
        pw_config_defaults(&c);
        c.value[PW_CFG_ICPC] = 12; /* a value the caller had: it must survive a refusal */
        assert_int_equal(parse(&c, cases[i].text, &err), PW_EINVAL);
        if (strstr(err.msg, cases[i].says) == NULL || err.line != cases[i].line) {
            print_message("case %zu: line %ld: %s\n", i, err.line, err.msg);
        }
        assert_int_equal(err.line, cases[i].line);
        assert_non_null(strstr(err.msg, cases[i].says));
        assert_int_equal(c.value[PW_CFG_ICPC], 12);
        assert_int_equal(c.value[PW_CFG_R03_THRESHOLD], pw_config_default(PW_CFG_R03_THRESHOLD));
    }
}

/* What pw_config_write writes, pw_config_parse reads back to the same values. */
static void
a_written_file_reads_back(void **state)
{
    (void)state;
    struct pw_config c;
    struct pw_config back;
    struct pw_error err = { 0 };
    char *text = NULL;
    size_t len = 0;
    pw_config_defaults(&c);
    assert_int_equal(parse(&c, "r01.discussion = 3\nbail.initial = 3\n", &err), PW_OK);
    FILE *f = open_memstream(&text, &len);
    pw_config_write(&c, f, false);
    fclose(f);
    assert_non_null(strstr(text, "r01.discussion = 3\n"));
    assert_non_null(strstr(text, "set by this partnership"));
    pw_config_defaults(&back);
    assert_int_equal(pw_config_parse(&back, text, len, &err), PW_OK);
    for (int k = 0; k < PW_CFG__COUNT; k++) {
        assert_int_equal(back.value[k], c.value[k]);
    }
    free(text);
}

static void
a_missing_file_is_an_input_error(void **state)
{
    (void)state;
    struct pw_config c;
    struct pw_error err = { 0 };
    assert_int_equal(pw_config_load(&c, "/nonexistent/pathway.conf", &err), PW_EIO);
    assert_non_null(strstr(err.msg, "could not open the configuration"));
    assert_int_equal(pw_config_get(&c, PW_CFG_ASSESSMENT), 45);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_defaults_are_the_designs),
        cmocka_unit_test(a_file_overrides_what_it_names),
        cmocka_unit_test(mistakes_are_refused_with_their_line),
        cmocka_unit_test(a_written_file_reads_back),
        cmocka_unit_test(a_missing_file_is_an_input_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
