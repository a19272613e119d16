/*
 * The indicator taxonomy: the shipped one is complete and consistent, strengths answer by age,
 * and a malformed taxonomy is refused, never half-read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/model.h"

static void
the_shipped_taxonomy_is_complete(void **state)
{
    (void)state;
    const struct pw_taxonomy *t = pw_taxonomy_shipped();
    assert_true(pw_taxonomy_count(t) >= 40);
    assert_int_equal(pw_taxonomy_band_count(t), 3);
    assert_string_equal(pw_taxonomy_band(t, 0)->code, "under_13");
    assert_int_equal(pw_taxonomy_band(t, 0)->from, 0);
    assert_int_equal(pw_taxonomy_band(t, 2)->to, 17);
    /* Every code the data contract gives as an example is there. */
    static const char *const contract[] = {
        "sti",
        "pregnancy",
        "emergency_contraception",
        "anogenital_injury",
        "sexualised_behaviour_age_inappropriate",
        "harmful_sexual_behaviour",
        "self_harm",
        "eating_disorder",
        "running_away",
        "soiling_wetting_regression",
        "fear_of_person",
        "gifts_secrecy_grooming",
        "contact_with_known_risk",
        "online_images_in_household",
        "forced_marriage_risk",
    };
    for (size_t i = 0; i < sizeof(contract) / sizeof(contract[0]); i++) {
        if (pw_taxonomy_find(t, contract[i]) == NULL) {
            print_message("missing: %s\n", contract[i]);
        }
        assert_non_null(pw_taxonomy_find(t, contract[i]));
    }
    /* Every category has at least five signs, and every sign has guidance and a source. */
    static const char *const categories[] = { "physical_medical", "sexual_behaviour",
                                              "emotional_behavioural",
                                              "circumstances_relationships",
                                              "child_says_or_shows" };
    for (size_t c = 0; c < sizeof(categories) / sizeof(categories[0]); c++) {
        size_t n = 0;
        for (size_t i = 0; i < pw_taxonomy_count(t); i++) {
            const struct pw_indicator *ind = pw_taxonomy_at(t, i);
            n += strcmp(ind->category, categories[c]) == 0 ? 1 : 0;
            assert_true(strlen(ind->guidance) > 20);
            assert_true(strlen(ind->source) > 2);
        }
        assert_true(n >= 5);
    }
    assert_null(pw_taxonomy_at(t, pw_taxonomy_count(t)));
    assert_null(pw_taxonomy_find(t, "no_such_sign"));
}

static void
strength_follows_age(void **state)
{
    (void)state;
    const struct pw_taxonomy *t = pw_taxonomy_shipped();
    const struct pw_indicator *sti = pw_taxonomy_find(t, "sti");
    const struct pw_indicator *preg = pw_taxonomy_find(t, "pregnancy");
    /* Under 13 a child cannot consent in law: an STI or a pregnancy is 'suspect'. */
    assert_int_equal(pw_taxonomy_strength(t, sti, 0), PW_STRENGTH_SUSPECT);
    assert_int_equal(pw_taxonomy_strength(t, sti, 12), PW_STRENGTH_SUSPECT);
    assert_int_equal(pw_taxonomy_strength(t, preg, 12), PW_STRENGTH_SUSPECT);
    assert_int_not_equal(pw_taxonomy_strength(t, sti, 16), PW_STRENGTH_NONE);
    /* An adult is not a child: no strength. An unknown age gets the strongest. */
    assert_int_equal(pw_taxonomy_strength(t, sti, 18), PW_STRENGTH_NONE);
    assert_int_equal(pw_taxonomy_strength(t, sti, -1), PW_STRENGTH_SUSPECT);
    assert_string_equal(pw_strength_name(PW_STRENGTH_SUSPECT), "suspect");
    assert_string_equal(pw_strength_name(PW_STRENGTH_CONSIDER), "consider");
}

#define BANDS                                                               \
 "\"bands\":[{\"code\":\"young\",\"from\":0,\"to\":12,\"name\":\"young\"}," \
 "{\"code\":\"old\",\"from\":13,\"to\":17,\"name\":\"old\"}]"
#define CATS "\"categories\":[{\"code\":\"c\",\"name\":\"C\"}]"
#define ITEM(code, cat, young, old)                                                                \
 "{\"code\":\"" code "\",\"name\":\"N\",\"category\":\"" cat "\",\"strength\":{\"young\":\"" young \
 "\",\"old\":\"" old "\"},\"guidance\":\"G\",\"source\":\"S\"}"

static enum pw_status
parse(const char *text, struct pw_error *err)
{
    struct pw_taxonomy *t = NULL;
    enum pw_status rc = pw_taxonomy_parse(text, strlen(text), &t, err);
    pw_taxonomy_free(t);
    return rc;
}

static void
a_small_taxonomy_parses(void **state)
{
    (void)state;
    const char *text = "{\"version\":1," BANDS "," CATS ",\"indicators\":[" ITEM(
        "a", "c", "suspect", "consider") "," ITEM("b", "c", "consider", "consider") "]}";
    struct pw_error err = { 0 };
    struct pw_taxonomy *t = NULL;
    assert_int_equal(pw_taxonomy_parse(text, strlen(text), &t, &err), PW_OK);
    assert_int_equal(pw_taxonomy_count(t), 2);
    assert_int_equal(pw_taxonomy_strength(t, pw_taxonomy_find(t, "a"), 13), PW_STRENGTH_CONSIDER);
    assert_string_equal(pw_taxonomy_find(t, "b")->category_name, "C");
    pw_taxonomy_free(t);
}

static void
a_malformed_taxonomy_is_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        /* not JSON, wrong version, a stray key */
        "{\"version\":1,",
        "{\"version\":2," BANDS "," CATS
        ",\"indicators\":[" ITEM("a", "c", "suspect", "consider") "]}",
        "{\"version\":1,\"extra\":1," BANDS "," CATS
        ",\"indicators\":[" ITEM("a", "c", "suspect", "consider") "]}",
        /* a category nobody listed, a code twice, a strength that is neither */
        "{\"version\":1," BANDS "," CATS
        ",\"indicators\":[" ITEM("a", "x", "suspect", "consider") "]}",
        "{\"version\":1," BANDS "," CATS ",\"indicators\":[" ITEM(
            "a", "c", "suspect", "consider") "," ITEM("a", "c", "suspect", "consider") "]}",
        "{\"version\":1," BANDS "," CATS
        ",\"indicators\":[" ITEM("a", "c", "maybe", "consider") "]}",
        /* bands with a gap, and bands that stop before 17 */
        "{\"version\":1,\"bands\":[{\"code\":\"young\",\"from\":0,\"to\":11,\"name\":\"y\"},"
        "{\"code\":\"old\",\"from\":13,\"to\":17,\"name\":\"o\"}]," CATS
        ",\"indicators\":[" ITEM("a", "c", "suspect", "consider") "]}",
        "{\"version\":1,\"bands\":[{\"code\":\"young\",\"from\":0,\"to\":12,\"name\":\"y\"},"
        "{\"code\":\"old\",\"from\":13,\"to\":15,\"name\":\"o\"}]," CATS
        ",\"indicators\":[" ITEM("a", "c", "suspect", "consider") "]}",
        /* an indicator missing its guidance */
        "{\"version\":1," BANDS "," CATS ",\"indicators\":[{\"code\":\"a\",\"name\":\"N\","
        "\"category\":\"c\",\"strength\":{\"young\":\"suspect\",\"old\":\"consider\"},"
        "\"source\":\"S\"}]}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct pw_error err = { 0 };
        enum pw_status rc = parse(bad[i], &err);
        if (rc != PW_EINVAL) {
            print_message("case %zu was accepted\n", i);
        }
        assert_int_equal(rc, PW_EINVAL);
        assert_non_null(strstr(err.msg, "the indicator taxonomy is malformed"));
    }
}

static void
facts_must_use_known_codes(void **state)
{
    (void)state;
    const char *good =
        "{\"type\":\"indicator.observed\",\"id\":\"i1\",\"at\":\"2025-06-03\",\"agency\":\"health\","
        "\"by\":\"hv.noor\",\"child\":\"p1\",\"code\":\"self_harm\"}";
    const char *unknown =
        "{\"type\":\"concern.raised\",\"id\":\"c1\",\"at\":\"2025-06-03\",\"agency\":\"health\","
        "\"by\":\"hv.noor\",\"concern\":\"k1\",\"children\":[\"p1\"],\"indicators\":["
        "{\"code\":\"self_harm\"},{\"code\":\"sadness\"}]}";
    struct pw_fact f = { 0 };
    struct pw_error err = { 0 };
    assert_int_equal(pw_fact_parse(good, strlen(good), NULL, &f, &err), PW_OK);
    pw_fact_release(&f);
    assert_int_equal(pw_fact_parse(unknown, strlen(unknown), NULL, &f, &err), PW_EINVAL);
    assert_string_equal(err.field, "$.indicators[1].code");
    assert_non_null(strstr(err.msg, "pathway indicators"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_shipped_taxonomy_is_complete),
        cmocka_unit_test(strength_follows_age),
        cmocka_unit_test(a_small_taxonomy_parses),
        cmocka_unit_test(a_malformed_taxonomy_is_refused),
        cmocka_unit_test(facts_must_use_known_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
