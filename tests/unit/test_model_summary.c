/*
 * Tests of the one-line summaries of facts (src/model/summary.c): every fact type of facts.md
 * has an example here, every example is a valid fact, and its summary is not empty, is not
 * just the type's name, and never carries free text (each free-text field below holds the word
 * FREETEXT). Then exact lines for the types a chronology is read for. Facts are written with
 * single quotes and turned into JSON by q() (no example contains an apostrophe).
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

#define ENV(type) "{'type':'" type "','id':'f-1','at':'2025-03-01','agency':'csc','by':'u1',"

/* One example of every type, with every free-text field set to FREETEXT. */
static const char *const examples[] = {
    ENV("person.registered") "'person':'p-c','names':[{'given':'Amy','kind':'birth'}],"
                             "'dob':{'year':1958},'sex':'female','disability':['FREETEXT']}",
    ENV("person.linked") "'person':'p-a','same_as':'p-b','confidence':0.97,'method':"
                         "'record_linkage'}",
    ENV("relationship.recorded") "'from':'p-a','to':'p-c','kind':'step_parent','since':"
                                 "'2024-01-01','until':'2025-01-01'}",
    ENV("residence.recorded") "'person':'p-a','address':{'uprn':'100023336956'}}",
    ENV("school.recorded") "'child':'p-c','setting':'Anytown Primary School'}",
    ENV("risk.recorded") "'person':'p-a','kind':'conviction','sexual':true,'against':'child',"
                         "'date':'2009-05-12','spent':false,'order':'shpo','conditions':"
                         "'FREETEXT','until':'2029-05-12','mappa':{'category':1,'level':2},"
                         "'managed_by':'probation','summary':'FREETEXT'}",
    ENV("custody.release_planned") "'person':'p-a','date':'2025-09-01','address':{'line1':"
                                   "'1 High Street','town':'Anytown'}}",
    ENV("disclosure.made") "'kind':'on_request','person':'p-a','to':'p-b'}",
    ENV("concern.raised") "'concern':'c-1','children':['p-c','p-d'],'indicators':[{'code':"
                          "'self_harm','note':'FREETEXT'}],'disclosure':{'kind':'none'},"
                          "'narrative':'FREETEXT','source':'neighbour'}",
    ENV("indicator.observed") "'child':'p-c','code':'self_harm','note':'FREETEXT','concern':"
                              "'c-1'}",
    ENV("disclosure.retracted") "'child':'p-c','concern':'c-1','note':'FREETEXT'}",
    ENV("child.view_recorded") "'child':'p-c','method':'signs_symbols','text':'FREETEXT'}",
    ENV("referral.decided") "'concern':'c-1','decision':'no_further_action','rationale':"
                            "'FREETEXT'}",
    ENV("child.decision_recorded") "'child':'p-c','about':'p-a','concern':'c-1','decision':"
                                   "'no_action','rationale':'FREETEXT','decided_by':'u.tm'}",
    ENV("allocation.changed") "'child':'p-c','user':'u.smith','role':'allocated_worker',"
                              "'since':'2025-03-01'}",
    ENV("strategy.held") "'episode':'e-1','children':['p-c'],'attendees':[{'agency':'csc'}],"
                         "'s47':false,'medical':{'decision':'not_needed','reason':'FREETEXT'},"
                         "'actions':[{'action':'FREETEXT'}]}",
    ENV("investigation.updated") "'episode':'e-1','suspect':'p-a','event':'bail_set','until':"
                                 "'2025-06-05','conditions':'FREETEXT'}",
    ENV("enquiry.concluded") "'episode':'e-1','child':'p-c','outcome':'concerns_substantiated',"
                             "'next':'icpc'}",
    ENV("meeting.held") "'kind':'mappa','attendees':[{'agency':'probation'},{'agency':"
                        "'police'}],'outcome':'FREETEXT','minutes_shared_with':['csc'],"
                        "'shared_at':'2025-03-02T12:00:00Z'}",
    ENV("assessment.completed") "'person':'p-a','kind':'sexual_risk_specialist','outcome':"
                                "'FREETEXT','analysis':'FREETEXT'}",
    ENV("plan.made") "'child':'p-c','kind':'child_protection','categories':['sexual',"
                     "'emotional'],'csa_risks':[{'risk':'FREETEXT','mitigation':'FREETEXT'},"
                     "{'risk':'FREETEXT'}],'re_referral_triggers':['FREETEXT'],"
                     "'relies_on_parent':'p-b'}",
    ENV("agreement.recorded") "'child':'p-c','parent':'p-b','about':'p-a','terms':'FREETEXT'}",
    ENV("support.started") "'person':'p-c','kind':'isva','provider':'Leeds ISVA service',"
                           "'deferred_reason':'FREETEXT'}",
    ENV("support.ended") "'person':'p-c','kind':'camhs','point_of_contact':'FREETEXT'}",
    ENV("court.application") "'children':['p-c'],'kind':'care','adults':['p-a','p-b']}",
    ENV("case.closed") "'child':'p-c','rationale':'FREETEXT','csa_risks':[{'risk':'FREETEXT'}],"
                       "'re_referral_triggers':['FREETEXT','FREETEXT']}",
    ENV("person.distinct") "'person':'p-a','other':'p-b','method':'practitioner','reason':"
                           "'FREETEXT'}",
    ENV("information.shared") "'fact':'f-x','episode':'e-1','with':['health'],'reason':"
                              "'FREETEXT'}",
};

#define N_EXAMPLES (sizeof(examples) / sizeof(examples[0]))

/* The summary of a fact given with single quotes; the fact must be valid. New. */
static char *
summary_of(const char *quoted)
{
    size_t n = strlen(quoted);
    char *text = malloc(n + 1);
    struct pw_fact f;
    struct pw_error err = { 0 };
    struct pw_buf b;
    assert_non_null(text);
    for (size_t i = 0; i <= n; i++) {
        text[i] = quoted[i] == '\'' ? '"' : quoted[i];
    }
    enum pw_status rc = pw_fact_parse(text, n, NULL, &f, &err);
    if (rc != PW_OK) {
        print_message("refused: %s [%s]\n%s\n", err.msg, err.field, text);
    }
    assert_int_equal(rc, PW_OK);
    pw_buf_init(&b, 0);
    pw_fact_summary(f.body, &b);
    pw_fact_release(&f);
    free(text);
    return pw_buf_detach(&b, NULL);
}

static void
every_type_has_a_summary_without_free_text(void **state)
{
    (void)state;
    assert_int_equal(N_EXAMPLES, pw_fact_type_count());
    for (size_t t = 0; t < pw_fact_type_count(); t++) {
        const char *type = pw_fact_type_name(t);
        char want[64];
        const char *example = NULL;
        (void)snprintf(want, sizeof(want), "{'type':'%s'", type);
        for (size_t i = 0; i < N_EXAMPLES; i++) {
            if (strncmp(examples[i], want, strlen(want)) == 0) {
                example = examples[i];
            }
        }
        if (example == NULL) {
            print_message("no example of %s\n", type);
        }
        assert_non_null(example);
        char *line = summary_of(example);
        print_message("%-24s %s\n", type, line);
        assert_true(strlen(line) > 10);
        assert_null(strstr(line, type)); /* its own words, not the default */
        assert_null(strstr(line, "FREETEXT"));
        assert_null(strstr(line, "(null)"));
        assert_null(strchr(line, '?'));
        assert_null(strchr(line, '\n'));
        free(line);
    }
}

static void
assert_summary(const char *quoted, const char *want)
{
    char *line = summary_of(quoted);
    assert_string_equal(line, want);
    free(line);
}

static void
the_lines_a_chronology_is_read_for(void **state)
{
    (void)state;
    assert_summary("{'type':'risk.recorded','id':'prob-0002','at':'2025-05-20','agency':"
                   "'probation','by':'pp.osei','person':'p-dean-c','kind':'conviction','sexual':"
                   "true,'against':'adult','date':'2009-11-03','spent':true,'summary':"
                   "'Conviction for sexual assault of an adult woman, 2009; sentence served.'}",
                   "risk recorded about p-dean-c: conviction, sexual, against an adult, "
                   "2009-11-03 (spent) (summary recorded)");
    assert_summary("{'type':'concern.raised','id':'edu-0002','at':'2025-06-12T15:20:00+01:00',"
                   "'agency':'education','by':'dsl.ward','concern':'c-lily-2025-06','children':"
                   "['p-lily-h'],'alleged':['p-dean-c'],'indicators':[{'code':'fear_of_person'},"
                   "{'code':'sexualised_behaviour_age_inappropriate'}],'disclosure':{'kind':"
                   "'behavioural','to':'class teacher'},'source':'designated safeguarding lead'}",
                   "concern raised about p-lily-h: 2 indicators (fear_of_person, "
                   "sexualised_behaviour_age_inappropriate); alleged: p-dean-c; behavioural "
                   "disclosure");
    assert_summary("{'type':'strategy.held','id':'csc-0011','at':'2025-06-16','agency':'csc',"
                   "'by':'tm.brook','episode':'e-hart-2025','children':['p-lily-h','p-noah-h'],"
                   "'attendees':[{'agency':'csc'},{'agency':'police'},{'agency':'health',"
                   "'csa_expertise':true},{'agency':'education'},{'agency':'probation'}],"
                   "'s47':true,'medical':{'decision':'arranged'}}",
                   "strategy discussion for episode e-hart-2025: csc, police, health (CSA "
                   "expertise), education, probation; s47; medical arranged");
    assert_summary(ENV("referral.decided") "'concern':'c-1','decision':'strategy_discussion',"
                                           "'rationale':'Signs from two agencies.'}",
                   "referral decided: strategy discussion (rationale recorded)");
    assert_summary(ENV("residence.recorded") "'person':'p-dean-c','address':{'line1':"
                                             "'12 Mill Lane','town':'Leeds','postcode':"
                                             "'LS6 2AB'},'since':'2025-05-10'}",
                   "p-dean-c moved to 12 Mill Lane, LS6 2AB from 2025-05-10");
    assert_summary(ENV("investigation.updated") "'episode':'e-1','event':'closed','outcome':"
                                                "'no_further_police_action_at_this_time'}",
                   "investigation: no further police action at this time");
    assert_summary(ENV("investigation.updated") "'episode':'e-1','suspect':'p-a','event':"
                                                "'abe_interview'}",
                   "investigation: ABE interview; suspect p-a");
    assert_summary(examples[5], "risk recorded about p-a: conviction, sexual, against a child, "
                                "2009-05-12; sexual harm prevention order until 2029-05-12; "
                                "MAPPA category 1, level 2; managed by probation (conditions "
                                "and summary recorded)");
    assert_summary(examples[20], "child protection plan made for p-c: categories sexual, "
                                 "emotional; 2 sexual-abuse risks (1 without a mitigation); "
                                 "1 re-referral trigger; relies on parent p-b");
    assert_summary(examples[15], "strategy discussion for episode e-1: csc; no s47; medical not "
                                 "needed; 1 action (medical reason recorded)");
    assert_summary(examples[18], "MAPPA meeting held: probation, police; minutes shared with csc "
                                 "on 2025-03-02T12:00:00Z (outcome recorded)");
    assert_summary(examples[2], "p-a is the step-parent of p-c from 2024-01-01 to 2025-01-01");
    assert_summary(examples[0], "p-c registered: born 1958, female (disability recorded)");
    assert_summary(examples[8], "concern raised about p-c, p-d: 1 indicator (self_harm); no "
                                "disclosure (notes and narrative recorded)");
}

static void
a_type_without_its_own_line_says_its_name_and_people(void **state)
{
    (void)state;
    json_error_t jerr;
    json_t *body = json_loads("{\"type\":\"visit.made\",\"child\":\"p-c\",\"adults\":"
                              "[\"p-a\",\"p-b\"],\"note\":\"FREETEXT\"}",
                              0, &jerr);
    struct pw_buf b;
    pw_buf_init(&b, 0);
    pw_fact_summary(body, &b);
    assert_string_equal(pw_buf_cstr(&b), "visit.made about p-c, p-a, p-b");
    pw_buf_reset(&b);
    /* A body missing what its type requires reads "?" rather than failing. */
    json_decref(body);
    body = json_loads("{\"type\":\"risk.recorded\"}", 0, &jerr);
    pw_fact_summary(body, &b);
    assert_string_equal(pw_buf_cstr(&b), "risk recorded about ?: not sexual");
    json_decref(body);
    pw_buf_release(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_type_has_a_summary_without_free_text),
        cmocka_unit_test(the_lines_a_chronology_is_read_for),
        cmocka_unit_test(a_type_without_its_own_line_says_its_name_and_people),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
