/*
 * Tests of the fact model: a valid example of every fact type parses and round-trips through
 * its canonical text; canonical text does not depend on key order, space or time zone; every
 * kind of refusal gives the right status, JSON path and message; references and definitions
 * are reported with their paths. Facts are written with single quotes for readability and
 * turned into JSON by q() (no example contains an apostrophe).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/time.h"
#include "model/model.h"

#define US_PER_DAY INT64_C(86400000000)

/* The envelope most examples share. */
#define ENV "'id':'f-1','at':'2025-03-01','agency':'csc','by':'u1',"

/* ---- Helpers ---- */

/* A copy of s with every ' turned into ". New. */
static char *
q(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    assert_non_null(out);
    for (size_t i = 0; i <= n; i++) {
        out[i] = s[i] == '\'' ? '"' : s[i];
    }
    return out;
}

static enum pw_status
parse_q(const char *quoted, const struct pw_fact_parse_opts *opts, struct pw_fact *f,
        struct pw_error *err)
{
    char *s = q(quoted);
    pw_error_clear(err);
    enum pw_status rc = pw_fact_parse(s, strlen(s), opts, f, err);
    free(s);
    return rc;
}

/* Parses a fact that must be accepted. */
static void
parse_ok(const char *quoted, const struct pw_fact_parse_opts *opts, struct pw_fact *f)
{
    struct pw_error err;
    enum pw_status rc = parse_q(quoted, opts, f, &err);
    if (rc != PW_OK) {
        print_message("refused: %s [%s]\n", err.msg, err.field);
    }
    assert_int_equal(rc, PW_OK);
    assert_non_null(f->body);
    assert_non_null(f->canonical);
    assert_int_equal(strlen(f->canonical), f->canonical_len);
}

/*
 * Parses a fact that must be refused with code, with err.field the path and a message starting
 * with msg (the path is not repeated in the message).
 */
static void
refused(const char *quoted, const struct pw_fact_parse_opts *opts, enum pw_status code,
        const char *path, const char *msg)
{
    struct pw_fact f;
    struct pw_error err;
    enum pw_status rc = parse_q(quoted, opts, &f, &err);
    const char *want = msg;
    if (rc != code || strcmp(err.field, path) != 0 || strncmp(err.msg, want, strlen(want)) != 0) {
        print_message("got %s [%s] %s\nwanted %s [%s] %s\n", pw_status_name(rc), err.field, err.msg,
                      pw_status_name(code), path, want);
    }
    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.field, path);
    assert_true(strncmp(err.msg, want, strlen(want)) == 0);
    /* A refused fact is left zeroed. */
    assert_null(f.body);
    assert_null(f.canonical);
    assert_null(f.type);
    assert_null(f.id);
}

/* Parses, then parses the canonical text again: both must give the same canonical text. */
static void
assert_round_trip(const struct pw_fact *f)
{
    struct pw_fact again;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw_fact_parse(f->canonical, f->canonical_len, NULL, &again, &err);
    if (rc != PW_OK) {
        print_message("canonical refused: %s\n%s\n", err.msg, f->canonical);
    }
    assert_int_equal(rc, PW_OK);
    assert_string_equal(again.canonical, f->canonical);
    assert_int_equal(again.canonical_len, f->canonical_len);
    assert_string_equal(again.type, f->type);
    assert_string_equal(again.at_text, f->at_text);
    pw_fact_release(&again);
}

/* Asserts that the keys of the object text (jansson keeps their order) are in byte order. */
static void
assert_keys_sorted(const char *text)
{
    json_error_t jerr;
    json_t *obj = json_loads(text, 0, &jerr);
    assert_non_null(obj);
    const char *prev = "";
    const char *key = NULL;
    json_t *value = NULL;
    json_object_foreach(obj, key, value)
    {
        assert_true(strcmp(prev, key) < 0);
        prev = key;
    }
    json_decref(obj);
}

/* ---- One valid example of every type of facts.md ---- */

struct example {
    const char *type;
    const char *json;
};

static const struct example examples[] = {
    { "person.registered",
      "{'type':'person.registered','id':'f-person-1','at':'2025-03-01T09:30:00+00:00',"
      "'agency':'csc','by':'u.smith','person':'p-child-1','names':[{'given':'Amy','family':"
      "'Example','kind':'birth'},{'given':'Ames','kind':'known_as'}],'dob':'2015-06-01',"
      "'sex':'female','gender':'girl','ethnicity':'WBRI','language':'English',"
      "'interpreter_needed':false,'disability':['hearing impairment'],'communication':"
      "'verbal','identifiers':{'nhs':'9434765919','upn':'A123456789012'}}" },
    { "person.linked",
      "{'type':'person.linked','id':'f-link-1','at':'2025-03-02','agency':'other','by':"
      "'u.link','person':'p-adult-1','same_as':'p-adult-9','confidence':0.97,'method':"
      "'record_linkage'}" },
    { "relationship.recorded",
      "{'type':'relationship.recorded','id':'f-rel-1','at':'2025-03-01','agency':'csc','by':"
      "'u.smith','from':'p-adult-1','to':'p-child-1','kind':'parent_partner','since':"
      "'2024-01-01','until':'2025-01-01'}" },
    { "residence.recorded",
      "{'type':'residence.recorded','id':'f-res-1','at':'2025-03-01','agency':'police','by':"
      "'u.jones','person':'p-adult-1','address':{'line1':'1 High Street','town':'Anytown',"
      "'postcode':'AB1 2CD','uprn':'100023336956'},'since':'2024-06-01'}" },
    { "school.recorded",
      "{'type':'school.recorded','id':'f-school-1','at':'2025-03-01','agency':'education',"
      "'by':'u.dsl','child':'p-child-1','setting':'Anytown Primary School','since':"
      "'2021-09-01'}" },
    { "risk.recorded",
      "{'type':'risk.recorded','id':'f-risk-1','at':'2025-03-01','agency':'probation','by':"
      "'u.om','sensitivity':'police_intelligence','person':'p-adult-1','kind':'conviction',"
      "'sexual':true,'against':'child','date':'2009-05-12','spent':false,'order':'shpo',"
      "'conditions':'No unsupervised contact with children under 16','until':'2029-05-12',"
      "'mappa':{'category':1,'level':2},'managed_by':'probation','summary':'Convicted of an "
      "offence against a child in 2009.'}" },
    { "custody.release_planned",
      "{'type':'custody.release_planned','id':'f-rel-plan-1','at':'2025-03-05','agency':"
      "'probation','by':'u.om','person':'p-adult-2','date':'2025-09-01','address':"
      "{'postcode':'AB1 2CD'}}" },
    { "disclosure.made",
      "{'type':'disclosure.made','id':'f-cside-1','at':'2025-03-10','agency':'police','by':"
      "'u.jones','kind':'proactive','person':'p-adult-1','to':'p-adult-3','date':"
      "'2025-03-10'}" },
    { "concern.raised",
      "{'type':'concern.raised','id':'f-concern-1','at':'2025-02-28T15:40:00Z','agency':"
      "'education','by':'u.dsl','concern':'c-1','children':['p-child-1','p-child-2'],"
      "'alleged':['p-adult-1'],'indicators':[{'code':"
      "'sexualised_behaviour_age_inappropriate','observed_at':'2025-02-27T10:15:00Z','note':"
      "'Seen in class.'},{'code':'soiling_wetting_regression'}],'disclosure':{'kind':"
      "'partial','to':'class teacher'},'narrative':'Line one.\\nLine two.','source':"
      "'designated safeguarding lead'}" },
    { "indicator.observed",
      "{'type':'indicator.observed','id':'f-ind-1','at':'2025-03-03','agency':'health','by':"
      "'u.nurse','sensitivity':'health_confidential','child':'p-child-1','code':'self_harm',"
      "'observed_at':'2025-03-03T16:00:00+00:00','note':'Seen at the drop-in.','concern':"
      "'c-1'}" },
    { "disclosure.retracted",
      "{'type':'disclosure.retracted','id':'f-retract-1','at':'2025-03-06','agency':'csc',"
      "'by':'u.smith','child':'p-child-1','concern':'c-1','note':'Said she made it up.'}" },
    { "child.view_recorded",
      "{'type':'child.view_recorded','id':'f-view-1','at':'2025-03-07','agency':'csc','by':"
      "'u.smith','child':'p-child-2','method':'play','text':'Drew the family home.'}" },
    { "referral.decided",
      "{'type':'referral.decided','id':'f-ref-1','at':'2025-03-01T11:00:00Z','agency':'csc',"
      "'by':'u.smith','concern':'c-1','decision':'strategy_discussion','rationale':"
      "'Indicators from two agencies.','decided_by':'u.manager','episode':'e-1'}" },
    { "child.decision_recorded",
      "{'type':'child.decision_recorded','id':'f-dec-1','at':'2025-03-03','agency':'csc',"
      "'by':'u.smith','child':'p-child-2','about':'p-adult-1','concern':'c-1','decision':"
      "'assess','rationale':'Lives with the man the concern names.','decided_by':'u.manager'}" },
    { "allocation.changed",
      "{'type':'allocation.changed','id':'f-alloc-1','at':'2025-03-01','agency':'csc','by':"
      "'u.manager','child':'p-child-1','user':'u.smith','role':'allocated_worker','since':"
      "'2025-03-01'}" },
    { "strategy.held",
      "{'type':'strategy.held','id':'f-strat-1','at':'2025-03-02T10:00:00Z','agency':'csc',"
      "'by':'u.smith','episode':'e-1','children':['p-child-1','p-child-2'],'attendees':"
      "[{'agency':'csc','role':'social worker','user':'u.smith'},{'agency':'police','role':"
      "'detective constable'},{'agency':'health','role':'community paediatrician',"
      "'csa_expertise':true},{'agency':'education','role':'designated safeguarding lead'}],"
      "'s47':true,'joint_enquiry':true,'police_investigation':true,'medical':{'decision':"
      "'arranged','reason':'Possible recent abuse.'},'actions':[{'action':'ABE interview',"
      "'owner':'police','due':'2025-03-12'},{'action':'Speak to the school'}]}" },
    { "investigation.updated",
      "{'type':'investigation.updated','id':'f-inv-1','at':'2025-03-06','agency':'police',"
      "'by':'u.jones','episode':'e-1','suspect':'p-adult-1','event':'bail_set','until':"
      "'2025-06-05','conditions':'Not to contact the children.'}" },
    { "enquiry.concluded",
      "{'type':'enquiry.concluded','id':'f-enq-1','at':'2025-03-20','agency':'csc','by':"
      "'u.smith','episode':'e-1','child':'p-child-1','outcome':'concerns_substantiated',"
      "'next':'icpc'}" },
    { "meeting.held",
      "{'type':'meeting.held','id':'f-meet-1','at':'2025-03-28','agency':'csc','by':"
      "'u.chair','episode':'e-1','kind':'icpc','attendees':[{'agency':'csc'},{'agency':"
      "'police'}],'outcome':'Child protection plan.','minutes_shared_with':['csc','police',"
      "'health','education'],'shared_at':'2025-04-01T12:00:00+01:00'}" },
    { "assessment.completed",
      "{'type':'assessment.completed','id':'f-assess-1','at':'2025-04-10','agency':'csc','by':"
      "'u.smith','child':'p-child-1','kind':'child_and_family','outcome':'Needs a plan.',"
      "'analysis':'See the report.'}" },
    { "plan.made",
      "{'type':'plan.made','id':'f-plan-1','at':'2025-03-28','agency':'csc','by':'u.chair',"
      "'child':'p-child-1','kind':'child_protection','categories':['sexual','emotional'],"
      "'csa_risks':[{'risk':'Contact with the alleged abuser.','mitigation':'Supervised "
      "contact only.'}],'re_referral_triggers':['Any contact with the alleged abuser.'],"
      "'relies_on_parent':'p-adult-3'}" },
    { "agreement.recorded",
      "{'type':'agreement.recorded','id':'f-agree-1','at':'2025-03-08','agency':'csc','by':"
      "'u.smith','child':'p-child-1','parent':'p-adult-3','about':'p-adult-1','terms':"
      "'No contact at the family home.'}" },
    { "support.started",
      "{'type':'support.started','id':'f-sup-1','at':'2025-04-15','agency':'health','by':"
      "'u.camhs','person':'p-child-1','kind':'therapeutic','provider':'CAMHS','deferred_reason':"
      "'Waiting list.'}" },
    { "support.ended",
      "{'type':'support.ended','id':'f-sup-2','at':'2025-10-15','agency':'health','by':"
      "'u.camhs','person':'p-child-1','kind':'isva','provider':'ISVA service',"
      "'point_of_contact':'ISVA duty line'}" },
    { "court.application",
      "{'type':'court.application','id':'f-court-1','at':'2025-05-01','agency':'cafcass','by':"
      "'u.fco','children':['p-child-1'],'kind':'child_arrangements','adults':['p-adult-1',"
      "'p-adult-3']}" },
    { "case.closed",
      "{'type':'case.closed','id':'f-close-1','at':'2026-01-10','agency':'csc','by':"
      "'u.manager','supersedes':'f-close-0','child':'p-child-1','rationale':'Plan ended.',"
      "'decided_by':'u.manager','csa_risks':[{'risk':'Contact with the alleged abuser.'}],"
      "'re_referral_triggers':['Return of the alleged abuser.']}" },
    { "person.distinct",
      "{'type':'person.distinct','id':'f-distinct-1','at':'2025-03-03','agency':'csc','by':"
      "'u.smith','person':'p-adult-1','other':'p-adult-9','confidence':0.62,'weight':1.5,"
      "'method':'practitioner','reason':'Different places of birth on the two records.'}" },
    { "information.shared",
      "{'type':'information.shared','id':'f-share-1','at':'2025-03-04','agency':'police','by':"
      "'u.dc','fact':'f-intel-1','episode':'e-1','with':['health','csc'],'reason':"
      "'Needed for the medical.'}" },
};

#define N_EXAMPLES (sizeof(examples) / sizeof(examples[0]))

static void
test_every_type_has_a_valid_example(void **state)
{
    (void)state;
    assert_int_equal(pw_fact_type_count(), N_EXAMPLES);
    for (size_t i = 0; i < pw_fact_type_count(); i++) {
        const char *name = pw_fact_type_name(i);
        assert_non_null(name);
        assert_true(pw_fact_type_known(name));
        bool found = false;
        for (size_t j = 0; j < N_EXAMPLES; j++) {
            found = found || strcmp(examples[j].type, name) == 0;
        }
        if (!found) {
            print_message("no example of %s\n", name);
        }
        assert_true(found);
    }
    assert_null(pw_fact_type_name(pw_fact_type_count()));
}

static void
test_every_example_round_trips(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_EXAMPLES; i++) {
        struct pw_fact f;
        parse_ok(examples[i].json, NULL, &f);
        assert_string_equal(f.type, examples[i].type);
        assert_non_null(f.id);
        assert_non_null(f.by);
        assert_true(pw_agency_valid(f.agency));
        assert_keys_sorted(f.canonical);
        assert_null(strstr(f.canonical, ", "));
        assert_null(strstr(f.canonical, "\": "));
        assert_round_trip(&f);
        pw_fact_release(&f);
    }
}

/* ---- Canonical form ---- */

static void
test_canonical_text_exact(void **state)
{
    (void)state;
    struct pw_fact f;
    parse_ok("{ 'type': 'relationship.recorded', 'to': 'p2', 'id': 'f-2',\n"
             "  'at': '2025-03-01T14:05+01:00', 'agency': 'police', 'by': 'u1',\n"
             "  'from': 'p1', 'kind': 'parent' }",
             NULL, &f);
    assert_string_equal(f.canonical,
                        "{\"agency\":\"police\",\"at\":\"2025-03-01T13:05:00Z\",\"by\":\"u1\","
                        "\"from\":\"p1\",\"id\":\"f-2\",\"kind\":\"parent\",\"to\":\"p2\","
                        "\"type\":\"relationship.recorded\"}");
    assert_string_equal(f.at_text, "2025-03-01T13:05:00Z");
    assert_true(f.at.has_time);
    assert_string_equal(f.type, "relationship.recorded");
    assert_string_equal(f.id, "f-2");
    assert_string_equal(f.agency, "police");
    assert_string_equal(f.by, "u1");
    assert_null(f.supersedes);
    assert_string_equal(f.sensitivity, "standard");
    /* The borrowed strings point into the body the fact owns. */
    assert_ptr_equal(f.id, json_string_value(json_object_get(f.body, "id")));
    /* An absent sensitivity stays absent in the canonical text. */
    assert_null(strstr(f.canonical, "sensitivity"));
    pw_fact_release(&f);
}

static void
test_canonical_ignores_order_and_space(void **state)
{
    (void)state;
    struct pw_fact a;
    struct pw_fact b;
    parse_ok("{'type':'concern.raised','id':'f-9','at':'2025-03-01T10:00:00Z','agency':'health',"
             "'by':'u1','concern':'c-9','children':['p1','p2'],'disclosure':{'kind':'verbal',"
             "'to':'nurse'},'narrative':'caf\\u00e9 \\/ \\u00e9'}",
             NULL, &a);
    parse_ok("\n\t{ 'narrative' : 'caf\xc3\xa9 / \xc3\xa9' , 'disclosure' : { 'to' : 'nurse' ,"
             " 'kind' : 'verbal' } , 'children' : [ 'p1' , 'p2' ] ,\r\n 'concern' : 'c-9' ,"
             " 'by' : 'u1' , 'agency' : 'health' , 'at' : '2025-03-01T11:00:00+01:00' ,"
             " 'id' : 'f-9' , 'type' : 'concern.raised' }\n",
             NULL, &b);
    assert_string_equal(a.canonical, b.canonical);
    /* Non-ASCII is kept as UTF-8, not escaped; the escaped solidus is not kept. */
    assert_non_null(strstr(a.canonical, "\"narrative\":\"caf\xc3\xa9 / \xc3\xa9\""));
    /* Array order is meaning, not form: it is kept. */
    assert_non_null(strstr(a.canonical, "\"children\":[\"p1\",\"p2\"]"));
    pw_fact_release(&a);
    pw_fact_release(&b);
}

static void
test_offsets_become_utc(void **state)
{
    (void)state;
    static const struct {
        const char *at;
        const char *utc;
    } cases[] = {
        { "2025-03-01T14:05:00+05:30", "2025-03-01T08:35:00Z" },
        { "2025-03-01T20:00:00-08:00", "2025-03-02T04:00:00Z" },
        { "2025-07-01T00:30:00+01:00", "2025-06-30T23:30:00Z" },
        { "2025-03-01T10:00:00.5Z", "2025-03-01T10:00:00.500Z" },
        { "2025-03-01T10:00:00.000001z", "2025-03-01T10:00:00.000001Z" },
        { "2025-03-01T10:00+0100", "2025-03-01T09:00:00Z" },
        { "2025-03-01", "2025-03-01" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[400];
        (void)snprintf(text, sizeof(text),
                       "{'type':'indicator.observed','id':'f-1','at':'%s','agency':'health',"
                       "'by':'u1','child':'p1','code':'sti','observed_at':'%s'}",
                       cases[i].at, cases[i].at);
        struct pw_fact f;
        parse_ok(text, NULL, &f);
        assert_string_equal(f.at_text, cases[i].utc);
        assert_string_equal(json_string_value(json_object_get(f.body, "at")), cases[i].utc);
        assert_string_equal(json_string_value(json_object_get(f.body, "observed_at")),
                            cases[i].utc);
        assert_round_trip(&f);
        pw_fact_release(&f);
    }
}

static void
test_reals_have_one_form(void **state)
{
    (void)state;
    static const struct {
        const char *given;
        const char *canonical;
    } cases[] = {
        { "1", "\"confidence\":1.0" },
        { "0", "\"confidence\":0.0" },
        { "-0.0", "\"confidence\":0.0" },
        { "0.97", "\"confidence\":0.97" },
        { "9.7e-1", "\"confidence\":0.97" },
        { "0.1234567890123456789", "\"confidence\":0.123456789012346" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[300];
        (void)snprintf(text, sizeof(text),
                       "{'type':'person.linked'," ENV "'person':'p1','same_as':'p2',"
                       "'confidence':%s}",
                       cases[i].given);
        struct pw_fact f;
        parse_ok(text, NULL, &f);
        if (strstr(f.canonical, cases[i].canonical) == NULL) {
            print_message("%s gave %s\n", cases[i].given, f.canonical);
        }
        assert_non_null(strstr(f.canonical, cases[i].canonical));
        assert_round_trip(&f);
        pw_fact_release(&f);
    }
    refused("{'type':'person.linked'," ENV "'person':'p1','same_as':'p2','confidence':1.5}", NULL,
            PW_EINVAL, "$.confidence", "must be from 0 to 1");
    refused("{'type':'risk.recorded'," ENV "'person':'p1','kind':'caution','sexual':true,"
            "'mappa':{'category':2.0}}",
            NULL, PW_EINVAL, "$.mappa.category",
            "expected an integer, got a number with a decimal point");
    refused("{'type':'risk.recorded'," ENV "'person':'p1','kind':'caution','sexual':true,"
            "'mappa':{'category':4}}",
            NULL, PW_EINVAL, "$.mappa.category", "must be from 1 to 3");
}

/* ---- Refusals: each kind names its path ---- */

static void
test_unknown_field(void **state)
{
    (void)state;
    refused("{'type':'person.registered'," ENV "'person':'p1','nmaes':[{'given':'A'}]}", NULL,
            PW_EINVAL, "$.nmaes", "unknown field");
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'},"
            "{'given':'B','middle':'C'}]}",
            NULL, PW_EINVAL, "$.names[1].middle", "unknown field");
    refused("{'type':'residence.recorded'," ENV "'person':'p1','address':{'postcode':'AB1 2CD',"
            "'county':'Shire'}}",
            NULL, PW_EINVAL, "$.address.county", "unknown field");
    /* A field of another type is unknown here. */
    refused("{'type':'case.closed'," ENV "'child':'p1','children':['p1']}", NULL, PW_EINVAL,
            "$.children", "unknown field");
    /* Fields the server adds are named as such. */
    refused("{'type':'case.closed'," ENV "'child':'p1','seq':12}", NULL, PW_EINVAL, "$.seq",
            "is added by the server");
    /* A key that is not a plain word is shown made safe, not as given. */
    refused("{'type':'case.closed'," ENV "'child':'p1','bad key\\n':1}", NULL, PW_EINVAL,
            "$.bad?key?", "unknown field");
}

static void
test_unknown_type(void **state)
{
    (void)state;
    refused("{'type':'person.registerd'," ENV "'person':'p1'}", NULL, PW_EINVAL, "$.type",
            "unknown fact type \"person.registerd\"");
    /* Anything that does not look like a type name is not quoted back. */
    struct pw_fact f;
    struct pw_error err;
    assert_int_equal(
        parse_q("{'type':'Mary Smith 2010-01-01'," ENV "'person':'p1'}", NULL, &f, &err),
        PW_EINVAL);
    assert_string_equal(err.msg, "unknown fact type");
    refused("{" ENV "'person':'p1'}", NULL, PW_EINVAL, "$.type", "is required");
    refused("{'type':7," ENV "'person':'p1'}", NULL, PW_EINVAL, "$.type",
            "expected a fact type (string), got number");
}

static void
test_wrong_json_type(void **state)
{
    (void)state;
    refused("{'type':'concern.raised'," ENV "'concern':'c-1','children':['p1',2]}", NULL, PW_EINVAL,
            "$.children[1]", "expected a person id (string), got number");
    refused("{'type':'concern.raised'," ENV "'concern':'c-1','children':'p1'}", NULL, PW_EINVAL,
            "$.children", "expected an array, got string");
    refused("{'type':'risk.recorded'," ENV "'person':'p1','kind':'caution','sexual':'yes'}", NULL,
            PW_EINVAL, "$.sexual", "expected true or false, got string");
    refused("{'type':'strategy.held'," ENV "'episode':'e-1','children':['p1'],'attendees':"
            "[{'agency':'csc','csa_expertise':null}]}",
            NULL, PW_EINVAL, "$.attendees[0].csa_expertise", "expected true or false, got null");
    refused("{'type':'concern.raised'," ENV "'concern':['c-1'],'children':['p1']}", NULL, PW_EINVAL,
            "$.concern", "expected a concern id (string), got array");
    refused("{'type':'concern.raised','id':'f-1','at':20250301,'agency':'csc','by':'u1',"
            "'concern':'c-1','children':['p1']}",
            NULL, PW_EINVAL, "$.at", "expected a date or date-time (string), got number");
    refused("{'type':'concern.raised'," ENV "'concern':'c 1','children':['p1']}", NULL, PW_EINVAL,
            "$.concern", "is not a valid id");
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],'dob':"
            "2015}",
            NULL, PW_EINVAL, "$.dob", "expected a date (string YYYY-MM-DD) or an object");
}

static void
test_bad_enum(void **state)
{
    (void)state;
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A','kind':"
            "'maiden'}]}",
            NULL, PW_EINVAL, "$.names[0].kind", "expected one of birth, known_as, alias");
    refused("{'type':'case.closed','id':'f-1','at':'2025-03-01','agency':'social_care','by':"
            "'u1','child':'p1'}",
            NULL, PW_EINVAL, "$.agency",
            "expected one of csc, police, health, probation, education, yjs, cafcass, "
            "early_help, other");
    refused("{'type':'case.closed'," ENV "'sensitivity':'secret','child':'p1'}", NULL, PW_EINVAL,
            "$.sensitivity", "expected one of standard, police_intelligence, health_confidential");
    refused("{'type':'plan.made'," ENV "'child':'p1','kind':'child_protection','categories':"
            "['sexual','sexual']}",
            NULL, PW_EINVAL, "$.categories[1]", "repeats entry [0]");
    /* The value given is not quoted back: it may be anything. */
    struct pw_fact f;
    struct pw_error err;
    assert_int_equal(parse_q("{'type':'relationship.recorded'," ENV "'from':'p1','to':'p2',"
                             "'kind':'Mary Smith'}",
                             NULL, &f, &err),
                     PW_EINVAL);
    assert_null(strstr(err.msg, "Mary"));
}

static void
test_bad_dates(void **state)
{
    (void)state;
    refused("{'type':'relationship.recorded'," ENV "'from':'p1','to':'p2','kind':'parent',"
            "'since':'2025-02-30'}",
            NULL, PW_EINVAL, "$.since", "\"2025-02-30\" is not a real date");
    refused("{'type':'relationship.recorded','id':'f-1','at':'2025-13-01','agency':'csc','by':"
            "'u1','from':'p1','to':'p2','kind':'parent'}",
            NULL, PW_EINVAL, "$.at", "\"2025-13-01\" is not a real date");
    /* A date-time without an offset is ambiguous across the clock change. */
    refused("{'type':'relationship.recorded','id':'f-1','at':'2025-03-01T10:00:00','agency':"
            "'csc','by':'u1','from':'p1','to':'p2','kind':'parent'}",
            NULL, PW_EINVAL, "$.at", "");
    /* A date field does not take a time. */
    refused("{'type':'relationship.recorded'," ENV "'from':'p1','to':'p2','kind':'parent',"
            "'until':'2025-03-01T10:00:00Z'}",
            NULL, PW_EINVAL, "$.until", "");
    refused("{'type':'concern.raised'," ENV "'concern':'c-1','children':['p1'],'indicators':"
            "[{'code':'sti'},{'code':'sti','observed_at':'2025-02-29T10:00:00Z'}]}",
            NULL, PW_EINVAL, "$.indicators[1].observed_at", "\"2025-02-29T10:00:00Z\" is not");
    /* What is not shaped like a date is not quoted back. */
    struct pw_fact f;
    struct pw_error err;
    assert_int_equal(parse_q("{'type':'relationship.recorded'," ENV "'from':'p1','to':'p2',"
                             "'kind':'parent','since':'Mary Smith'}",
                             NULL, &f, &err),
                     PW_EINVAL);
    assert_string_equal(err.field, "$.since");
    assert_null(strstr(err.msg, "Mary"));
    /* A date of birth is personal: never quoted back, even when date-shaped. */
    assert_int_equal(parse_q("{'type':'person.registered'," ENV "'person':'p1','names':"
                             "[{'family':'A'}],'dob':'2015-02-29'}",
                             NULL, &f, &err),
                     PW_EINVAL);
    assert_string_equal(err.field, "$.dob");
    assert_null(strstr(err.msg, "2015"));
}

static void
test_missing_required(void **state)
{
    (void)state;
    refused("{'type':'person.registered'," ENV "'person':'p1'}", NULL, PW_EINVAL, "$.names",
            "is required");
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[]}", NULL, PW_EINVAL,
            "$.names", "needs at least 1 entry");
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'kind':'birth'}]}", NULL,
            PW_EINVAL, "$.names[0]", "needs at least one of given or family");
    refused("{'type':'residence.recorded'," ENV "'person':'p1','address':{'town':'Anytown'}}", NULL,
            PW_EINVAL, "$.address", "needs at least one of line1, postcode or uprn");
    refused("{'type':'concern.raised'," ENV "'concern':'c-1'}", NULL, PW_EINVAL, "$.children",
            "is required");
    refused("{'type':'concern.raised','id':'f-1','agency':'csc','by':'u1','concern':'c-1',"
            "'children':['p1']}",
            NULL, PW_EINVAL, "$.at", "is required");
    refused("{'type':'strategy.held'," ENV "'episode':'e-1','children':['p1'],'attendees':"
            "[{'role':'chair'}]}",
            NULL, PW_EINVAL, "$.attendees[0].agency", "is required");
    refused("{'type':'risk.recorded'," ENV "'person':'p1','kind':'caution'}", NULL, PW_EINVAL,
            "$.sexual", "is required");
    refused("{'type':'assessment.completed'," ENV "'kind':'hsb'}", NULL, PW_EINVAL, "$",
            "needs exactly one of child or person");
    refused("{'type':'assessment.completed'," ENV "'kind':'hsb','child':'p1','person':'p2'}", NULL,
            PW_EINVAL, "$", "needs exactly one of child or person");
    /* Without a recording user the fact must name its own. */
    refused("{'type':'case.closed','id':'f-1','at':'2025-03-01','agency':'csc','child':'p1'}", NULL,
            PW_EINVAL, "$.by", "is required");
}

static void
test_strings(void **state)
{
    (void)state;
    refused("{'type':'school.recorded'," ENV "'child':'p1','setting':''}", NULL, PW_EINVAL,
            "$.setting", "is empty");
    refused("{'type':'school.recorded'," ENV "'child':'p1','setting':' \\t '}", NULL, PW_EINVAL,
            "$.setting", "contains a control character");
    refused("{'type':'school.recorded'," ENV "'child':'p1','setting':'   '}", NULL, PW_EINVAL,
            "$.setting", "is empty");
    refused("{'type':'school.recorded'," ENV "'child':'p1','setting':'Two\\nlines'}", NULL,
            PW_EINVAL, "$.setting", "contains a control character (such as a line break)");
    refused("{'type':'disclosure.retracted'," ENV "'child':'p1','note':'bell\\u0007'}", NULL,
            PW_EINVAL, "$.note", "contains a control character");
    refused("{'type':'residence.recorded'," ENV "'person':'p1','address':{'uprn':'12a'}}", NULL,
            PW_EINVAL, "$.address.uprn", "expected a uprn");
    refused("{'type':'indicator.observed'," ENV "'child':'p1','code':'Self Harm'}", NULL, PW_EINVAL,
            "$.code", "expected an indicator code");

    /* Free text keeps its lines; short text has a limit, free text a larger one. */
    char *big = malloc(70 * 1024);
    assert_non_null(big);
    int n = snprintf(big, 300, "{'type':'school.recorded'," ENV "'child':'p1','setting':'");
    memset(big + n, 'x', 201);
    memcpy(big + n + 201, "'}", 3);
    refused(big, NULL, PW_EINVAL, "$.setting", "is longer than 200 bytes");
    n = snprintf(big, 300, "{'type':'disclosure.retracted'," ENV "'child':'p1','note':'");
    memset(big + n, 'x', 64 * 1024);
    memcpy(big + n + 64 * 1024, "'}", 3);
    struct pw_fact f;
    parse_ok(big, NULL, &f);
    pw_fact_release(&f);
    memset(big + n, 'x', 64 * 1024 + 1);
    memcpy(big + n + 64 * 1024 + 1, "'}", 3);
    refused(big, NULL, PW_EINVAL, "$.note", "is longer than 65536 bytes");
    free(big);
}

static void
test_since_after_until(void **state)
{
    (void)state;
    refused("{'type':'relationship.recorded'," ENV "'from':'p1','to':'p2','kind':'sibling',"
            "'since':'2025-01-02','until':'2025-01-01'}",
            NULL, PW_EINVAL, "$.until", "2025-01-01 is before since 2025-01-02");
    refused("{'type':'allocation.changed'," ENV "'child':'p1','user':'u2','role':"
            "'allocated_worker','since':'2025-06-01','until':'2024-06-01'}",
            NULL, PW_EINVAL, "$.until", "2024-06-01 is before since 2025-06-01");
    /* The same day is a valid one-day span. */
    struct pw_fact f;
    parse_ok("{'type':'school.recorded'," ENV "'child':'p1','setting':'A school','since':"
             "'2025-01-01','until':'2025-01-01'}",
             NULL, &f);
    pw_fact_release(&f);
}

static void
test_duplicate_key(void **state)
{
    (void)state;
    refused("{'type':'case.closed','id':'f-1','id':'f-2','at':'2025-03-01','agency':'csc',"
            "'by':'u1','child':'p1'}",
            NULL, PW_EINVAL, "$.id", "is given twice (duplicate key)");
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'},"
            "{'given':'B','given':'C'}]}",
            NULL, PW_EINVAL, "$.names[1].given", "is given twice (duplicate key)");
}

static void
test_invalid_utf8(void **state)
{
    (void)state;
    refused("{'type':'disclosure.retracted'," ENV "'child':'p1','note':'caf\xe9'}", NULL, PW_EINVAL,
            "$.note", "is not valid UTF-8");
    refused("{'type':'concern.raised'," ENV "'concern':'c-1','children':['p1','p\xff']}", NULL,
            PW_EINVAL, "$.children[1]", "is not valid UTF-8");
    /* An overlong encoding of '/' and an unpaired surrogate are not UTF-8 either. */
    refused("{'type':'disclosure.retracted'," ENV "'child':'p1','note':'a\xc0\xaf'}", NULL,
            PW_EINVAL, "$.note", "is not valid UTF-8");
    refused("{'type':'disclosure.retracted'," ENV "'child':'p1','note':'a\\ud800'}", NULL,
            PW_EINVAL, "$.note", "holds an invalid \\u escape");
}

static void
test_nul_refused(void **state)
{
    (void)state;
    refused("{'type':'disclosure.retracted'," ENV "'child':'p1','note':'a\\u0000b'}", NULL,
            PW_EINVAL, "$.note", "contains the NUL character");
    /* A raw NUL byte inside the text. */
    char *s = q("{'type':'disclosure.retracted'," ENV "'child':'p1','note':'aXb'}");
    *strchr(s, 'X') = '\0';
    size_t n = strlen(s) + 1 + strlen(s + strlen(s) + 1);
    struct pw_fact f;
    struct pw_error err;
    pw_error_clear(&err);
    assert_int_equal(pw_fact_parse(s, n, NULL, &f, &err), PW_EINVAL);
    assert_string_equal(err.field, "$.note");
    assert_null(f.body);
    free(s);
}

static void
test_not_an_object(void **state)
{
    (void)state;
    refused("[{'type':'case.closed'}]", NULL, PW_EINVAL, "$",
            "a fact must be a JSON object, got array");
    refused("42", NULL, PW_EINVAL, "$", "a fact must be a JSON object, got number");
    refused("'case.closed'", NULL, PW_EINVAL, "$", "a fact must be a JSON object, got string");
    refused("null", NULL, PW_EINVAL, "$", "a fact must be a JSON object, got null");
    refused("", NULL, PW_EINVAL, "$", "no fact");
    refused(" \n", NULL, PW_EINVAL, "$", "no fact");
    refused("{'type':'case.closed'," ENV "'child':'p1'} {}", NULL, PW_EINVAL, "$",
            "unexpected text after the fact");
    refused("{'type':'case.closed'," ENV "'child':'p1'", NULL, PW_EINVAL, "$.child",
            "the JSON ends too early");
    /* jansson's own message would quote the input near the error; ours does not. */
    struct pw_fact f;
    struct pw_error err;
    assert_int_equal(
        parse_q("{'type':'case.closed'," ENV "'child':'p1','note':Mary Smith}", NULL, &f, &err),
        PW_EINVAL);
    assert_string_equal(err.field, "$.note");
    assert_null(strstr(err.msg, "Mary"));
    assert_non_null(strstr(err.msg, "is not valid JSON (at character"));

    struct pw_error err2;
    pw_error_clear(&err2);
    assert_int_equal(pw_fact_parse(NULL, 0, NULL, &f, &err2), PW_EINVAL);
}

static void
test_too_big(void **state)
{
    (void)state;
    size_t n = PW_FACT_MAX_BYTES + 1;
    char *s = malloc(n);
    assert_non_null(s);
    memset(s, ' ', n);
    s[0] = '{';
    s[n - 1] = '}';
    struct pw_fact f;
    struct pw_error err;
    pw_error_clear(&err);
    assert_int_equal(pw_fact_parse(s, n, NULL, &f, &err), PW_ETOOBIG);
    assert_int_equal(err.code, PW_ETOOBIG);
    assert_string_equal(err.field, "$");
    assert_non_null(strstr(err.msg, "at most 1048576 bytes"));
    assert_null(f.body);
    /* One byte less is parsed (and refused for what it holds, not its size). */
    pw_error_clear(&err);
    assert_int_equal(pw_fact_parse(s + 1, n - 1, NULL, &f, &err), PW_EINVAL);
    free(s);
}

static void
test_nhs_number(void **state)
{
    (void)state;
    struct pw_fact f;
    parse_ok("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],"
             "'identifiers':{'nhs':'9434765919','pnc':'12/345678A','la_case_2':'X1'}}",
             NULL, &f);
    pw_fact_release(&f);
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],"
            "'identifiers':{'nhs':'9434765918'}}",
            NULL, PW_EINVAL, "$.identifiers.nhs",
            "is not a valid NHS number: the check digit is wrong");
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],"
            "'identifiers':{'nhs':'943 476 5919'}}",
            NULL, PW_EINVAL, "$.identifiers.nhs", "is not a valid NHS number: expected 10 digits");
    /* Nine digits whose check digit would be 10: no valid number starts this way. */
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],"
            "'identifiers':{'nhs':'1000000010'}}",
            NULL, PW_EINVAL, "$.identifiers.nhs",
            "is not a valid NHS number: the check digit is wrong");
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],"
            "'identifiers':{'NHS':'9434765919'}}",
            NULL, PW_EINVAL, "$.identifiers.NHS", "is not an identifier scheme");
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],"
            "'identifiers':{'upn':''}}",
            NULL, PW_EINVAL, "$.identifiers.upn", "expected an identifier of 1 to 64");
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],"
            "'identifiers':{'upn':5}}",
            NULL, PW_EINVAL, "$.identifiers.upn", "expected an identifier (string), got number");
}

static void
test_as_user(void **state)
{
    (void)state;
    struct pw_fact_parse_opts opts = { "u.smith", 0 };
    struct pw_fact f;
    /* The recording user is set as `by`. */
    parse_ok("{'type':'case.closed','id':'f-1','at':'2025-03-01','agency':'csc','child':'p1'}",
             &opts, &f);
    assert_string_equal(f.by, "u.smith");
    assert_non_null(strstr(f.canonical, "\"by\":\"u.smith\""));
    assert_round_trip(&f);
    pw_fact_release(&f);
    /* Naming the same user is fine. */
    parse_ok("{'type':'case.closed','id':'f-1','at':'2025-03-01','agency':'csc','by':"
             "'u.smith','child':'p1'}",
             &opts, &f);
    pw_fact_release(&f);
    /* Nobody records as someone else. */
    refused("{'type':'case.closed','id':'f-1','at':'2025-03-01','agency':'csc','by':'u.jones',"
            "'child':'p1'}",
            &opts, PW_EINVAL, "$.by", "names a different user from the one recording the fact");
    refused("{'type':'case.closed','id':'f-1','at':'2025-03-01','agency':'csc','by':5,"
            "'child':'p1'}",
            &opts, PW_EINVAL, "$.by", "expected a user id (string), got number");
    struct pw_fact_parse_opts bad = { "not a user", 0 };
    refused("{'type':'case.closed','id':'f-1','at':'2025-03-01','agency':'csc','child':'p1'}", &bad,
            PW_EINVAL, "$.by", "the recording user is not a valid user id");
}

static void
test_at_in_the_future(void **state)
{
    (void)state;
    int64_t now =
        (int64_t)pw_date_from_ymd(2026, 1, 15) * US_PER_DAY + 12 * 3600 * INT64_C(1000000);
    struct pw_fact_parse_opts opts = { NULL, now };
    refused("{'type':'case.closed','id':'f-1','at':'2062-01-15','agency':'csc','by':'u1',"
            "'child':'p1'}",
            &opts, PW_EINVAL, "$.at", "2062-01-15 is in the future");
    refused("{'type':'case.closed','id':'f-1','at':'2026-01-17T01:00:00Z','agency':'csc','by':"
            "'u1','child':'p1'}",
            &opts, PW_EINVAL, "$.at", "2026-01-17T01:00:00Z is in the future");
    refused("{'type':'indicator.observed'," ENV "'child':'p1','code':'sti','observed_at':"
            "'2062-01-01'}",
            &opts, PW_EINVAL, "$.observed_at", "2062-01-01 is in the future");
    /* Up to a day ahead is allowed (clocks, time zones); and the check is off without now. */
    struct pw_fact f;
    parse_ok("{'type':'case.closed','id':'f-1','at':'2026-01-16T11:00:00Z','agency':'csc',"
             "'by':'u1','child':'p1'}",
             &opts, &f);
    pw_fact_release(&f);
    parse_ok("{'type':'case.closed','id':'f-1','at':'2062-01-15','agency':'csc','by':'u1',"
             "'child':'p1'}",
             NULL, &f);
    pw_fact_release(&f);
    /* A planned release date is a date, not a happening: it may be in the future. */
    parse_ok("{'type':'custody.release_planned'," ENV "'person':'p1','date':'2027-01-01'}", &opts,
             &f);
    pw_fact_release(&f);
}

static void
test_supersedes_own_id(void **state)
{
    (void)state;
    refused("{'type':'case.closed'," ENV "'supersedes':'f-1','child':'p1'}", NULL, PW_EINVAL,
            "$.supersedes", "is the fact's own id");
    struct pw_fact f;
    parse_ok("{'type':'case.closed'," ENV "'supersedes':'f-0','child':'p1'}", NULL, &f);
    assert_string_equal(f.supersedes, "f-0");
    pw_fact_release(&f);
}

static void
test_cross_field_checks(void **state)
{
    (void)state;
    refused("{'type':'relationship.recorded'," ENV "'from':'p1','to':'p1','kind':'parent'}", NULL,
            PW_EINVAL, "$.to", "names the same person as from");
    refused("{'type':'person.linked'," ENV "'person':'p1','same_as':'p1'}", NULL, PW_EINVAL,
            "$.same_as", "names the same person as person");
    refused("{'type':'person.distinct'," ENV "'person':'p1','other':'p1'}", NULL, PW_EINVAL,
            "$.other", "names the same person as person");
    refused("{'type':'disclosure.made'," ENV "'kind':'on_request','person':'p1','to':'p1'}", NULL,
            PW_EINVAL, "$.to", "names the same person as person");
    refused("{'type':'investigation.updated'," ENV "'episode':'e-1','event':'bail_set',"
            "'suspect':'p1'}",
            NULL, PW_EINVAL, "$.until", "(the bail end date) is required when event is bail_set");
    refused("{'type':'investigation.updated'," ENV "'episode':'e-1','event':'interviewed',"
            "'suspect':'p1','until':'2025-06-01'}",
            NULL, PW_EINVAL, "$.until", "is only for bail_set and bail_extended, not interviewed");
    refused("{'type':'investigation.updated'," ENV "'episode':'e-1','event':'closed'}", NULL,
            PW_EINVAL, "$.outcome", "is required when event is closed");
    refused("{'type':'investigation.updated'," ENV "'episode':'e-1','event':'opened','outcome':"
            "'charged'}",
            NULL, PW_EINVAL, "$.outcome", "is only for event closed, not opened");
    refused("{'type':'investigation.updated'," ENV "'episode':'e-1','event':'arrested'}", NULL,
            PW_EINVAL, "$.suspect", "is required when event is arrested");
    struct pw_fact f;
    parse_ok("{'type':'investigation.updated'," ENV "'episode':'e-1','event':'closed',"
             "'outcome':'no_further_police_action_at_this_time'}",
             NULL, &f);
    pw_fact_release(&f);
    /* A date of birth cannot follow the fact that records it; a part-known one may be given. */
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],'dob':"
            "'2025-03-03'}",
            NULL, PW_EINVAL, "$.dob", "is after the date of the fact (at)");
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],'dob':"
            "{'year':2025,'month':4}}",
            NULL, PW_EINVAL, "$.dob", "is after the date of the fact (at)");
    refused("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],'dob':"
            "{'month':4}}",
            NULL, PW_EINVAL, "$.dob.year", "is required");
    parse_ok("{'type':'person.registered'," ENV "'person':'p1','names':[{'given':'A'}],'dob':"
             "{'year':1990,'month':4}}",
             NULL, &f);
    assert_round_trip(&f);
    pw_fact_release(&f);
    /* Born on the day of the fact, recorded early in the morning in summer time. */
    parse_ok("{'type':'person.registered','id':'f-1','at':'2025-07-01T00:30:00+01:00','agency':"
             "'health','by':'u1','person':'p1','names':[{'given':'A'}],'dob':'2025-07-01'}",
             NULL, &f);
    pw_fact_release(&f);
}

/* ---- References and definitions ---- */

struct seen {
    size_t n;
    enum pw_ref_kind kind[16];
    char id[16][PW_ID_MAX + 1];
    char path[16][64];
};

static enum pw_status
collect(void *ctx, enum pw_ref_kind kind, const char *id, const char *path, struct pw_error *err)
{
    (void)err;
    struct seen *s = ctx;
    assert_true(s->n < 16);
    s->kind[s->n] = kind;
    (void)snprintf(s->id[s->n], sizeof(s->id[0]), "%s", id);
    (void)snprintf(s->path[s->n], sizeof(s->path[0]), "%s", path);
    s->n++;
    return PW_OK;
}

static enum pw_status
stop_at_second(void *ctx, enum pw_ref_kind kind, const char *id, const char *path,
               struct pw_error *err)
{
    (void)kind;
    (void)id;
    (void)path;
    size_t *n = ctx;
    if (++*n == 2) {
        return pw_fail(err, PW_ENOTFOUND, "no such person");
    }
    return PW_OK;
}

static void
test_each_ref(void **state)
{
    (void)state;
    struct pw_fact f;
    parse_ok("{'type':'concern.raised'," ENV "'concern':'c-1','children':['p-c1','p-c2'],"
             "'alleged':['p-a1','p-a2'],'disclosure':{'kind':'verbal','to':'teacher'}}",
             NULL, &f);
    struct seen s;
    memset(&s, 0, sizeof(s));
    struct pw_error err;
    pw_error_clear(&err);
    assert_int_equal(pw_fact_each_ref(&f, collect, &s, &err), PW_OK);
    /* The concern it opens is a definition, and disclosure.to is a description: neither. */
    assert_int_equal(s.n, 4);
    static const char *const ids[] = { "p-c1", "p-c2", "p-a1", "p-a2" };
    static const char *const paths[] = { "$.children[0]", "$.children[1]", "$.alleged[0]",
                                         "$.alleged[1]" };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(s.kind[i], PW_REF_PERSON);
        assert_string_equal(s.id[i], ids[i]);
        assert_string_equal(s.path[i], paths[i]);
    }
    assert_string_equal(pw_fact_defines(&f, PW_REF_CONCERN), "c-1");
    assert_null(pw_fact_defines(&f, PW_REF_PERSON));
    assert_null(pw_fact_defines(&f, PW_REF_EPISODE));

    /* A callback's failure stops the walk and is returned. */
    size_t calls = 0;
    pw_error_clear(&err);
    assert_int_equal(pw_fact_each_ref(&f, stop_at_second, &calls, &err), PW_ENOTFOUND);
    assert_int_equal(calls, 2);
    assert_string_equal(err.msg, "no such person");
    pw_fact_release(&f);
}

static void
test_refs_of_other_types(void **state)
{
    (void)state;
    struct pw_fact f;
    struct seen s;
    struct pw_error err;

    /* referral.decided: refers to its concern, defines its episode. */
    parse_ok("{'type':'referral.decided'," ENV "'concern':'c-1','decision':'assessment',"
             "'episode':'e-7'}",
             NULL, &f);
    memset(&s, 0, sizeof(s));
    assert_int_equal(pw_fact_each_ref(&f, collect, &s, &err), PW_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.kind[0], PW_REF_CONCERN);
    assert_string_equal(s.path[0], "$.concern");
    assert_string_equal(pw_fact_defines(&f, PW_REF_EPISODE), "e-7");
    pw_fact_release(&f);

    /* referral.decided without an episode opens none. */
    parse_ok("{'type':'referral.decided'," ENV "'concern':'c-1','decision':'no_further_action'}",
             NULL, &f);
    assert_null(pw_fact_defines(&f, PW_REF_EPISODE));
    pw_fact_release(&f);

    /* person.registered defines its person and refers to nobody. */
    parse_ok(examples[0].json, NULL, &f);
    memset(&s, 0, sizeof(s));
    assert_int_equal(pw_fact_each_ref(&f, collect, &s, &err), PW_OK);
    assert_int_equal(s.n, 0);
    assert_string_equal(pw_fact_defines(&f, PW_REF_PERSON), "p-child-1");
    pw_fact_release(&f);

    /* investigation.updated: its episode and suspect. */
    parse_ok("{'type':'investigation.updated'," ENV "'episode':'e-1','event':'arrested',"
             "'suspect':'p-a1'}",
             NULL, &f);
    memset(&s, 0, sizeof(s));
    assert_int_equal(pw_fact_each_ref(&f, collect, &s, &err), PW_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.kind[0], PW_REF_EPISODE);
    assert_string_equal(s.path[0], "$.episode");
    assert_int_equal(s.kind[1], PW_REF_PERSON);
    assert_string_equal(s.path[1], "$.suspect");
    assert_null(pw_fact_defines(&f, PW_REF_EPISODE));
    pw_fact_release(&f);

    /* strategy.held defines its episode and refers to its children. */
    parse_ok(examples[15].json, NULL, &f);
    assert_string_equal(f.type, "strategy.held");
    memset(&s, 0, sizeof(s));
    assert_int_equal(pw_fact_each_ref(&f, collect, &s, &err), PW_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.path[1], "$.children[1]");
    assert_string_equal(pw_fact_defines(&f, PW_REF_EPISODE), "e-1");
    pw_fact_release(&f);

    /* A zeroed fact has nothing. */
    memset(&f, 0, sizeof(f));
    memset(&s, 0, sizeof(s));
    assert_int_equal(pw_fact_each_ref(&f, collect, &s, &err), PW_OK);
    assert_int_equal(s.n, 0);
    assert_null(pw_fact_defines(&f, PW_REF_PERSON));
    pw_fact_release(&f);
}

/* ---- The other ways in and the helpers ---- */

static void
test_from_json(void **state)
{
    (void)state;
    json_error_t jerr;
    char *text = q("{'type':'case.closed','id':'f-1','at':'2025-03-01T10:00:00+01:00','agency':"
                   "'csc','by':'u1','child':'p1'}");
    json_t *obj = json_loads(text, 0, &jerr);
    free(text);
    assert_non_null(obj);
    struct pw_fact f;
    struct pw_error err;
    pw_error_clear(&err);
    assert_int_equal(pw_fact_from_json(obj, NULL, &f, &err), PW_OK);
    assert_string_equal(f.at_text, "2025-03-01T09:00:00Z");
    /* The caller's object is not changed. */
    assert_string_equal(json_string_value(json_object_get(obj, "at")), "2025-03-01T10:00:00+01:00");
    assert_ptr_not_equal(f.body, obj);
    pw_fact_release(&f);

    /* A string that is not UTF-8 (made without jansson's check) is refused. */
    assert_int_equal(json_object_set_new(obj, "rationale", json_stringn_nocheck("a\xff", 2)), 0);
    pw_error_clear(&err);
    assert_int_equal(pw_fact_from_json(obj, NULL, &f, &err), PW_EINVAL);
    assert_non_null(strstr(err.msg, "not valid UTF-8"));
    /* And one holding a NUL. */
    assert_int_equal(json_object_set_new(obj, "rationale", json_stringn("a\0b", 3)), 0);
    pw_error_clear(&err);
    assert_int_equal(pw_fact_from_json(obj, NULL, &f, &err), PW_EINVAL);
    assert_string_equal(err.field, "$.rationale");
    json_decref(obj);

    json_t *arr = json_array();
    pw_error_clear(&err);
    assert_int_equal(pw_fact_from_json(arr, NULL, &f, &err), PW_EINVAL);
    assert_string_equal(err.msg, "a fact must be a JSON object, got array");
    json_decref(arr);
    pw_error_clear(&err);
    assert_int_equal(pw_fact_from_json(NULL, NULL, &f, &err), PW_EINVAL);
}

static void
test_null_err_is_allowed(void **state)
{
    (void)state;
    struct pw_fact f;
    assert_int_equal(pw_fact_parse("[]", 2, NULL, &f, NULL), PW_EINVAL);
    assert_int_equal(pw_fact_parse("{", 1, NULL, &f, NULL), PW_EINVAL);
    char *s = q("{'type':'case.closed'," ENV "'child':'p1'}");
    assert_int_equal(pw_fact_parse(s, strlen(s), NULL, &f, NULL), PW_OK);
    pw_fact_release(&f);
    free(s);
    pw_fact_release(NULL);
}

static void
test_helpers(void **state)
{
    (void)state;
    assert_true(pw_agency_valid("csc"));
    assert_true(pw_agency_valid("early_help"));
    assert_false(pw_agency_valid("CSC"));
    assert_false(pw_agency_valid(""));
    assert_false(pw_agency_valid(NULL));
    assert_true(pw_fact_type_known("strategy.held"));
    assert_false(pw_fact_type_known("strategy"));
    assert_false(pw_fact_type_known(NULL));
    assert_true(pw_id_valid("a", 1));
    assert_true(pw_id_valid("P-1.x_y:z", 9));
    assert_false(pw_id_valid("-a", 2));
    assert_false(pw_id_valid("", 0));
    assert_false(pw_id_valid("a b", 3));
    assert_false(pw_id_valid("a\0b", 3));
    assert_false(pw_id_valid("\xc3\xa9", 2));
    char id[PW_ID_MAX + 1];
    memset(id, 'a', sizeof(id));
    assert_true(pw_id_valid(id, PW_ID_MAX));
    assert_false(pw_id_valid(id, PW_ID_MAX + 1));

    json_t *v = json_pack("{s:[i,f,s,b,n],s:s}", "z", 1, 0.5, "\xc3\xa9\n", 1, "a", "x");
    assert_non_null(v);
    size_t len = 0;
    char *text = pw_json_canonical(v, &len);
    assert_string_equal(text, "{\"a\":\"x\",\"z\":[1,0.5,\"\xc3\xa9\\n\",true,null]}");
    assert_int_equal(len, strlen(text));
    free(text);
    json_decref(v);
    json_t *s = json_string("only");
    text = pw_json_canonical(s, NULL);
    assert_string_equal(text, "\"only\"");
    free(text);
    json_decref(s);
}

/* Every line of tests/data/facts/valid.jsonl is accepted and is already canonical. */
static void
test_data_file_is_canonical(void **state)
{
    (void)state;
    const char *dir = getenv("PW_TEST_DATA");
    if (dir == NULL) {
        skip();
    }
    char path[512];
    (void)snprintf(path, sizeof(path), "%s/facts/valid.jsonl", dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[8192];
    size_t lines = 0;
    while (fgets(line, sizeof(line), fp) != NULL) {
        size_t n = strcspn(line, "\n");
        struct pw_fact f;
        struct pw_error err;
        pw_error_clear(&err);
        enum pw_status rc = pw_fact_parse(line, n, NULL, &f, &err);
        if (rc != PW_OK) {
            print_message("line %zu: %s\n", lines + 1, err.msg);
        }
        assert_int_equal(rc, PW_OK);
        assert_int_equal(f.canonical_len, n);
        assert_memory_equal(f.canonical, line, n);
        pw_fact_release(&f);
        lines++;
    }
    (void)fclose(fp);
    assert_true(lines >= pw_fact_type_count());
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_has_a_valid_example),
        cmocka_unit_test(test_every_example_round_trips),
        cmocka_unit_test(test_canonical_text_exact),
        cmocka_unit_test(test_canonical_ignores_order_and_space),
        cmocka_unit_test(test_offsets_become_utc),
        cmocka_unit_test(test_reals_have_one_form),
        cmocka_unit_test(test_unknown_field),
        cmocka_unit_test(test_unknown_type),
        cmocka_unit_test(test_wrong_json_type),
        cmocka_unit_test(test_bad_enum),
        cmocka_unit_test(test_bad_dates),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_since_after_until),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_refused),
        cmocka_unit_test(test_not_an_object),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_nhs_number),
        cmocka_unit_test(test_as_user),
        cmocka_unit_test(test_at_in_the_future),
        cmocka_unit_test(test_supersedes_own_id),
        cmocka_unit_test(test_cross_field_checks),
        cmocka_unit_test(test_each_ref),
        cmocka_unit_test(test_refs_of_other_types),
        cmocka_unit_test(test_from_json),
        cmocka_unit_test(test_null_err_is_allowed),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_data_file_is_canonical),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
