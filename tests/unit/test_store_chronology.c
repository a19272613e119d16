/*
 * The chronology of a child (src/store/chronology.c), on both backends: who is connected to the
 * child and how (relationships either way, a shared address over overlapping dates, the
 * partner of a parent), which facts come in and which stay out (another family; someone who
 * lived at the address before the child), the order things happened in rather than the order
 * they were recorded, corrections marked both ways, and an unknown child.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "model/model.h"
#include "store/store.h"
#include "testdb.h"

static enum pw_status
record_lines(struct pw_store *s, const char *const *lines, size_t n, struct pw_error *err)
{
    return pw_test_record(s, lines, n, NULL, err);
}

#define PERSON(fid, pid, given, family)                                                         \
 "{\"type\":\"person.registered\",\"id\":\"" fid "\",\"at\":\"2025-01-10\",\"agency\":\"csc\"," \
 "\"person\":\"" pid "\",\"names\":[{\"given\":\"" given "\",\"family\":\"" family              \
 "\",\"kind\":\"birth\"}]}"

#define RESIDENCE(fid, pid, line1, postcode, period)                                             \
 "{\"type\":\"residence.recorded\",\"id\":\"" fid "\",\"at\":\"2025-01-10\",\"agency\":\"csc\"," \
 "\"person\":\"" pid "\",\"address\":{\"line1\":\"" line1 "\",\"postcode\":\"" postcode          \
 "\"}" period "}"

#define RELATIONSHIP(fid, at, from, to, kind)                                                   \
 "{\"type\":\"relationship.recorded\",\"id\":\"" fid "\",\"at\":\"" at "\",\"agency\":\"csc\"," \
 "\"from\":\"" from "\",\"to\":\"" to "\",\"kind\":\"" kind "\"}"

#define RISK(fid, at, pid, extra)                                                             \
 "{\"type\":\"risk.recorded\",\"id\":\"" fid "\",\"at\":\"" at "\",\"agency\":\"probation\"," \
 "\"person\":\"" pid "\",\"kind\":\"conviction\",\"sexual\":true,\"against\":\"adult\"" extra "}"

/*
 * Lily lives with her mother at 12 Mill Lane; a lodger lived there for 2024; someone else lived
 * there long before Lily. Her mother's new partner has a sexual-offence conviction. Noah is her
 * half-brother, living elsewhere. Another family lives in Harehills.
 */
static const char *const family[] = {
    PERSON("f1", "p-child", "Lily", "Hart"),
    PERSON("f2", "p-mum", "Kerry", "Hart"),
    PERSON("f3", "p-sib", "Noah", "Hart"),
    PERSON("f4", "p-man", "Dean", "Cole"),
    PERSON("f5", "p-lodger", "Sam", "Ives"),
    PERSON("f6", "p-old", "Olive", "Pym"),
    PERSON("f7", "p-oc", "Zara", "Khan"),
    PERSON("f8", "p-op", "Imran", "Khan"),
    RESIDENCE("h1", "p-child", "12 Mill Lane", "LS6 2AB", ",\"since\":\"2016-04-02\""),
    RESIDENCE("h2", "p-mum", "12 Mill Lane", "LS6 2AB", ",\"since\":\"2014-01-01\""),
    RESIDENCE("h3", "p-lodger", "12 MILL LANE", "ls6 2ab",
              ",\"since\":\"2024-01-01\",\"until\":\"2024-12-31\""),
    RESIDENCE("h4", "p-old", "12 Mill Lane", "LS6 2AB",
              ",\"since\":\"2000-01-01\",\"until\":\"2010-01-01\""),
    RESIDENCE("h5", "p-oc", "4 Harehills Avenue", "LS8 4EX", ""),
    RESIDENCE("h6", "p-op", "4 Harehills Avenue", "LS8 4EX", ""),
    RELATIONSHIP("r1", "2025-01-10", "p-mum", "p-child", "parent"),
    RELATIONSHIP("r2", "2025-01-10", "p-child", "p-sib", "half_sibling"),
    RELATIONSHIP("r3", "2025-02-01", "p-man", "p-mum", "parent_partner"),
    RELATIONSHIP("r4", "2025-01-10", "p-op", "p-oc", "parent"),
    RISK("k1", "2025-02-01", "p-man", ""),
    RISK("k2", "2025-02-01", "p-op", ""),
    RISK("k3", "2025-02-01", "p-old", ""),
    "{\"type\":\"concern.raised\",\"id\":\"c1\",\"at\":\"2025-06-12T15:20:00+01:00\","
    "\"agency\":\"education\",\"concern\":\"c-1\",\"children\":[\"p-child\"],"
    "\"alleged\":[\"p-man\"],\"sensitivity\":\"standard\"}",
    /* Recorded last, about something seen before everything else here happened. */
    "{\"type\":\"indicator.observed\",\"id\":\"i1\",\"at\":\"2025-01-05\",\"agency\":\"health\","
    "\"child\":\"p-sib\",\"code\":\"soiling_wetting_regression\",\"note\":\"Seen at clinic.\","
    "\"sensitivity\":\"health_confidential\"}",
};

#define FAMILY_N (sizeof(family) / sizeof(family[0]))

/* What a chronology said, as text to compare. */
struct seen {
    struct pw_buf people; /* "id=how!;" ... ("!" when a sexual risk is recorded) */
    struct pw_buf facts;  /* "id" [">by" superseded] ["<of" corrects] [":who,who"] " " ... */
    int stop_after;       /* a callback failure after this many items; 0: never */
    int items;
};

static enum pw_status
collect(void *ctx, const struct pw_chronology_item *item, struct pw_error *err)
{
    struct seen *s = ctx;
    if (s->stop_after > 0 && ++s->items > s->stop_after) {
        return pw_fail(err, PW_EIO, "stopped");
    }
    if (item->person != NULL) {
        const struct pw_chronology_person *p = item->person;
        pw_buf_addf(&s->people, "%s=%s%s|", p->person, p->how, p->sexual_risk ? "!" : "");
        return PW_OK;
    }
    const struct pw_chronology_fact *f = item->fact;
    pw_buf_adds(&s->facts, f->entry.id);
    if (f->superseded_by != NULL) {
        pw_buf_addf(&s->facts, ">%s", f->superseded_by);
    }
    if (f->supersedes != NULL) {
        pw_buf_addf(&s->facts, "<%s", f->supersedes);
    }
    if (f->concern_count > 1) {
        for (size_t i = 0; i < f->concern_count; i++) {
            pw_buf_addf(&s->facts, "%c%s", i == 0 ? ':' : ',', f->concerns[i]);
        }
    }
    pw_buf_addc(&s->facts, ' ');
    return PW_OK;
}

static void
seen_init(struct seen *s)
{
    memset(s, 0, sizeof(*s));
    pw_buf_init(&s->people, 0);
    pw_buf_init(&s->facts, 0);
}

static void
seen_release(struct seen *s)
{
    pw_buf_release(&s->people);
    pw_buf_release(&s->facts);
}

static void
chronology(struct pw_store *st, const char *child, struct seen *s)
{
    struct pw_error err = { 0 };
    enum pw_status rc = pw_store_chronology(st, child, collect, s, &err);
    if (rc != PW_OK) {
        print_message("chronology: %s\n", err.msg);
    }
    assert_int_equal(rc, PW_OK);
}

static void
connects_the_people_around_a_child_and_how(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct seen s;
    seen_init(&s);
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, &err), PW_OK);
    chronology(fx->s, "p-child", &s);
    /*
     * The child; her relationships in log order; whoever lived with her (the lodger only by
     * the address, spelt another way; not whoever lived there before her); her mother's partner,
     * also the man her concern names.
     */
    assert_string_equal(pw_buf_cstr(&s.people),
                        "p-child=the child|"
                        "p-mum=parent; household member at 12 Mill Lane from 2016-04-02|"
                        "p-sib=half_sibling|"
                        "p-lodger=household member at 12 MILL LANE from 2024-01-01 to 2024-12-31|"
                        "p-man=partner of the child's parent p-mum; alleged in concern c-1!|");
    seen_release(&s);
}

static void
lists_every_fact_about_them_in_the_order_things_happened(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct seen s;
    seen_init(&s);
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, &err), PW_OK);
    chronology(fx->s, "p-child", &s);
    /*
     * Noah's indicator was recorded last but happened first. The mother's partner's risk is
     * there; the other family's facts (f7, f8, h5, h6, r4, k2) and the earlier occupant's
     * (f6, h4, k3) are not. A fact naming two of them is listed once, naming both.
     */
    assert_string_equal(pw_buf_cstr(&s.facts),
                        "i1 f1 f2 f3 f4 f5 h1 h2 h3 r1:p-child,p-mum r2:p-child,p-sib "
                        "r3:p-mum,p-man k1 c1:p-child,p-man ");
    seen_release(&s);
    /* From the mother's side: the same household, seen from her. */
    seen_init(&s);
    chronology(fx->s, "p-mum", &s);
    assert_non_null(strstr(pw_buf_cstr(&s.people), "p-child=the child is their parent; "
                                                   "household member at 12 Mill Lane from "
                                                   "2016-04-02|"));
    assert_non_null(strstr(pw_buf_cstr(&s.people), "p-man=parent_partner!|"));
    seen_release(&s);
}

static void
a_correction_stands_beside_what_it_corrects(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct seen s;
    seen_init(&s);
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, &err), PW_OK);
    const char *fix[] = {
        RISK("k1-fix", "2025-02-02", "p-man", ",\"supersedes\":\"k1\",\"date\":\"2009-11-03\""),
    };
    assert_int_equal(record_lines(fx->s, fix, 1, &err), PW_OK);
    chronology(fx->s, "p-child", &s);
    /* The correction sits where it happened (the next day), marked as the correction. */
    assert_non_null(strstr(pw_buf_cstr(&s.facts), " k1>k1-fix k1-fix<k1 c1:"));
    seen_release(&s);
}

static void
an_unknown_child_is_not_found_and_a_failing_callback_stops(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct seen s;
    seen_init(&s);
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, &err), PW_OK);
    assert_int_equal(pw_store_chronology(fx->s, "p-nobody", collect, &s, &err), PW_ENOTFOUND);
    assert_string_equal(err.msg, "person \"p-nobody\" is not known");
    assert_int_equal(s.people.len + s.facts.len, 0);
    /* The callback's own failure comes back, and nothing after it is reported. */
    pw_error_clear(&err);
    s.stop_after = 7;
    assert_int_equal(pw_store_chronology(fx->s, "p-child", collect, &s, &err), PW_EIO);
    assert_string_equal(err.msg, "stopped");
    assert_string_equal(pw_buf_cstr(&s.facts), "i1 f1 ");
    /* The store is left usable: the read transaction was ended. */
    s.stop_after = 0;
    assert_int_equal(
        record_lines(fx->s, (const char *const[]){ PERSON("n1", "p-new", "Ava", "Hart") }, 1, &err),
        PW_OK);
    seen_release(&s);
}

static void
a_child_with_nobody_around_them_has_their_own_facts(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct seen s;
    seen_init(&s);
    const char *alone[] = { PERSON("a1", "p-alone", "Ava", "Hart") };
    assert_int_equal(record_lines(fx->s, alone, 1, &err), PW_OK);
    chronology(fx->s, "p-alone", &s);
    assert_string_equal(pw_buf_cstr(&s.people), "p-alone=the child|");
    assert_string_equal(pw_buf_cstr(&s.facts), "a1 ");
    seen_release(&s);
}

/* What follows a concern into its episode; none of it names a person. */
static const char *const pathway_facts[] = {
    "{\"type\":\"referral.decided\",\"id\":\"d1\",\"at\":\"2025-06-13\",\"agency\":\"csc\","
    "\"concern\":\"c-1\",\"decision\":\"strategy_discussion\",\"rationale\":\"Signs.\","
    "\"episode\":\"e-1\"}",
    "{\"type\":\"investigation.updated\",\"id\":\"v1\",\"at\":\"2025-06-20\",\"agency\":\"police\","
    "\"episode\":\"e-1\",\"event\":\"digital_forensics_requested\"}",
    /* Another family's concern, decided the same day: not in this chronology. */
    "{\"type\":\"concern.raised\",\"id\":\"c2\",\"at\":\"2025-06-12\",\"agency\":\"health\","
    "\"concern\":\"c-2\",\"children\":[\"p-oc\"]}",
    "{\"type\":\"referral.decided\",\"id\":\"d2\",\"at\":\"2025-06-13\",\"agency\":\"csc\","
    "\"concern\":\"c-2\",\"decision\":\"assessment\",\"rationale\":\"Other.\"}",
};

/*
 * A referral decision names only its concern, an investigation update may name only its
 * episode: both belong in the child's chronology, found through the concern raised about the
 * child, and another child's concern does not bring its own facts in.
 */
static void
facts_naming_only_a_concern_or_episode_are_listed(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct seen s;
    seen_init(&s);
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, &err), PW_OK);
    assert_int_equal(record_lines(fx->s, pathway_facts, 4, &err), PW_OK);
    chronology(fx->s, "p-child", &s);
    assert_non_null(strstr(pw_buf_cstr(&s.facts), "c1:p-child,p-man d1 v1 "));
    assert_null(strstr(pw_buf_cstr(&s.facts), "d2"));
    assert_null(strstr(pw_buf_cstr(&s.facts), "c2"));
    seen_release(&s);
}

/*
 * A store made before the concerns-and-episodes projection existed gets it filled from its
 * own log when it is opened by a pathway that has it (the migration asks for a rebuild).
 */
static void
an_older_store_fills_the_new_projection_from_its_log(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct seen s;
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, &err), PW_OK);
    assert_int_equal(record_lines(fx->s, pathway_facts, 4, &err), PW_OK);
    pw_store_close(fx->s);
    fx->s = NULL;
    /* Back to schema version 2, as a store made before migration 3 would be. */
    assert_int_equal(pw_testdb_exec(&fx->db,
                                    fx->db.postgres
                                        ? "DROP TABLE users; DROP TABLE access_log; "
                                          "DROP TABLE access_head; DROP TABLE break_glass; "
                                          "DROP FUNCTION access_log_refuse()"
                                        : "DROP TABLE users; DROP TABLE access_log; "
                                          "DROP TABLE access_head; DROP TABLE break_glass",
                                    true),
                     0);
    assert_int_equal(pw_testdb_exec(&fx->db,
                                    "DROP TABLE fact_refs; DROP TABLE concern_people; "
                                    "DROP TABLE alerts; DROP TABLE store_meta; "
                                    "DROP TABLE release_addresses; "
                                    "DROP TABLE person_clusters; DROP TABLE link_review; "
                                    "ALTER TABLE person_links DROP COLUMN same; "
                                    "DROP INDEX fact_subjects_seq; "
                                    "DELETE FROM schema_migrations WHERE version >= 3",
                                    true),
                     0);
    assert_int_equal(pw_store_open(fx->db.target, 0, &fx->s, &err), PW_OK);
    assert_int_equal(pw_store_schema_version(fx->s), pw_store_schema_latest());
    seen_init(&s);
    chronology(fx->s, "p-child", &s);
    assert_non_null(strstr(pw_buf_cstr(&s.facts), " d1 v1 "));
    seen_release(&s);
    struct pw_verify_result v;
    assert_int_equal(pw_store_verify(fx->s, 0, NULL, &v, &err), PW_OK);
    assert_int_equal(v.broken_seq, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(connects_the_people_around_a_child_and_how,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(lists_every_fact_about_them_in_the_order_things_happened,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_correction_stands_beside_what_it_corrects,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(an_unknown_child_is_not_found_and_a_failing_callback_stops,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(facts_naming_only_a_concern_or_episode_are_listed,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(an_older_store_fills_the_new_projection_from_its_log,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_child_with_nobody_around_them_has_their_own_facts,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
