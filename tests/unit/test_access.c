/*
 * Access (src/access/), on both backends: password hashing; sign-in that says and takes the
 * same for an unknown user as for a wrong password, and locks an account after repeated
 * failures; every basis of the policy read from real facts (allocated, agency involvement,
 * front door, break-glass, expired break-glass, none); redaction of sensitive facts and their
 * sharing; pseudonyms; the access log's chain detecting a tampered entry; a fact and its
 * access log entry committing or rolling back together.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "access/access.h"
#include "core/time.h"
#include "model/model.h"
#include "store/store.h"
#include "testdb.h"

/* 2025-07-01T12:00:00Z: after every fact below. */
#define NOW  ((int64_t)1751371200 * 1000000)
#define HOUR ((int64_t)3600 * 1000000)

static const struct pw_access_opts opts = { NOW, PW_HASH_TEST_MIN };

#define PW_ENV(type, id, agency, at) \
 "{\"type\":\"" type "\",\"id\":\"" id "\",\"agency\":\"" agency "\",\"at\":\"" at "\","

static const char *const case_facts[] = {
    PW_ENV("person.registered", "r-c1", "csc",
           "2025-01-01") "\"person\":\"c1\",\"names\":[{\"family\":\"T\"}]}",
    PW_ENV("person.registered", "r-c2", "csc",
           "2025-01-01") "\"person\":\"c2\",\"names\":[{\"family\":\"T\"}]}",
    PW_ENV("person.registered", "r-c3", "csc",
           "2025-01-01") "\"person\":\"c3\",\"names\":[{\"family\":\"T\"}]}",
    PW_ENV("person.registered", "r-c4", "csc",
           "2025-01-01") "\"person\":\"c4\",\"names\":[{\"family\":\"T\"}]}",
    /* c1: allocated to sw.a; an episode with police at the strategy discussion. */
    PW_ENV("allocation.changed", "a-1", "csc", "2025-02-01") "\"child\":\"c1\",\"user\":\"sw.a\","
                                                             "\"role\":\"allocated_worker\"}",
    PW_ENV("concern.raised", "k-1", "education", "2025-02-01") "\"concern\":\"k1\","
                                                               "\"children\":[\"c1\"]}",
    PW_ENV("referral.decided", "d-1", "csc", "2025-02-02") "\"concern\":\"k1\","
                                                           "\"decision\":\"strategy_discussion\","
                                                           "\"episode\":\"e1\"}",
    PW_ENV("strategy.held", "s-1", "csc", "2025-02-03") "\"episode\":\"e1\",\"children\":[\"c1\"],"
                                                        "\"attendees\":[{\"agency\":\"police\","
                                                        "\"role\":\"dc\"}]}",
    /* Police intelligence about c1, shared with health for e1. */
    PW_ENV("indicator.observed", "i-1", "police", "2025-02-04") "\"child\":\"c1\",\"code\":\"sti\","
                                                                "\"sensitivity\":"
                                                                "\"police_intelligence\"}",
    PW_ENV("information.shared", "sh-1", "police", "2025-02-05") "\"fact\":\"i-1\","
                                                                 "\"episode\":\"e1\","
                                                                 "\"with\":[\"health\"]}",
    /* c2: a concern in triage (no referral decision yet). */
    PW_ENV("concern.raised", "k-2", "education", "2025-03-01") "\"concern\":\"k2\","
                                                               "\"children\":[\"c2\"]}",
    /* c3: a closed episode, an allocation that ended. */
    PW_ENV("allocation.changed", "a-3", "csc", "2025-02-01") "\"child\":\"c3\",\"user\":\"sw.a\","
                                                             "\"role\":\"allocated_worker\","
                                                             "\"until\":\"2025-03-01\"}",
    PW_ENV("concern.raised", "k-3", "health", "2025-02-01") "\"concern\":\"k3\","
                                                            "\"children\":[\"c3\"]}",
    PW_ENV("referral.decided", "d-3", "csc", "2025-02-02") "\"concern\":\"k3\","
                                                           "\"decision\":\"assessment\","
                                                           "\"episode\":\"e3\"}",
    PW_ENV("case.closed", "x-3", "csc", "2025-04-01") "\"child\":\"c3\"}",
    /* c4: support from health, still going. */
    PW_ENV("support.started", "u-4", "health", "2025-05-01") "\"person\":\"c4\","
                                                             "\"kind\":\"camhs\"}",
};

static void
record_case(struct pw_store *s)
{
    struct pw_error err = { 0 };
    enum pw_status rc =
        pw_test_record(s, case_facts, sizeof(case_facts) / sizeof(case_facts[0]), NULL, &err);
    if (rc != PW_OK) {
        print_error("recording the case: %s (%s)\n", err.msg, err.field);
    }
    assert_int_equal(rc, PW_OK);
}

static void
add_user(struct pw_store *s, const char *id, const char *agency, enum pw_role role,
         const char *password)
{
    struct pw_error err = { 0 };
    assert_int_equal(pw_access_user_add(s, &opts, NULL, id, agency, role, "Test User", password,
                                        password != NULL ? strlen(password) : 0, &err),
                     PW_OK);
}

static struct pw_user
user(struct pw_store *s, const char *id)
{
    struct pw_user u;
    struct pw_error err = { 0 };
    assert_int_equal(pw_access_user_get(s, id, &u, &err), PW_OK);
    return u;
}

static struct pw_access_decision
decide(struct pw_store *s, const char *uid, const char *child, int64_t now)
{
    struct pw_access_state st;
    struct pw_error err = { 0 };
    struct pw_user u = user(s, uid);
    assert_int_equal(pw_access_state_load(s, child, now, &st, &err), PW_OK);
    struct pw_access_decision d = pw_access_decide(&u, PW_ACTION_READ_RECORD, &st, now);
    pw_access_state_release(&st);
    return d;
}

static void
test_hashing(void **state)
{
    (void)state;
    char hash[crypto_pwhash_STRBYTES];
    struct pw_error err = { 0 };
    const char *pw = "correct horse battery";
    assert_int_equal(
        pw_access_hash_password(pw, strlen(pw), PW_HASH_TEST_MIN, hash, sizeof(hash), &err), PW_OK);
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    assert_null(strstr(hash, pw));
    assert_true(pw_access_verify_password(hash, pw, strlen(pw)));
    assert_false(pw_access_verify_password(hash, "correct horse batterY", strlen(pw)));
    /* No truncation: a longer password is another password. */
    assert_false(pw_access_verify_password(hash, "correct horse battery!", strlen(pw) + 1));
    /* Production cost: libsodium's interactive limits, recorded in the PHC string. */
    assert_int_equal(
        pw_access_hash_password(pw, strlen(pw), PW_HASH_INTERACTIVE, hash, sizeof(hash), &err),
        PW_OK);
    assert_non_null(strstr(hash, "m=65536,t=2,p=1"));
    /* Lengths: 11 characters refused, 12 accepted; 128 accepted, 129 refused; counted in
     * characters, so 12 two-byte letters pass. */
    char long_pw[200];
    memset(long_pw, 'x', sizeof(long_pw));
    assert_int_equal(
        pw_access_hash_password(long_pw, 11, PW_HASH_TEST_MIN, hash, sizeof(hash), &err),
        PW_EINVAL);
    assert_non_null(strstr(err.msg, "12 to 128"));
    pw_error_clear(&err);
    assert_int_equal(
        pw_access_hash_password(long_pw, 12, PW_HASH_TEST_MIN, hash, sizeof(hash), &err), PW_OK);
    assert_int_equal(
        pw_access_hash_password(long_pw, 128, PW_HASH_TEST_MIN, hash, sizeof(hash), &err), PW_OK);
    assert_int_equal(
        pw_access_hash_password(long_pw, 129, PW_HASH_TEST_MIN, hash, sizeof(hash), &err),
        PW_EINVAL);
    const char *accents = "éééééééééééé";
    pw_error_clear(&err);
    assert_int_equal(pw_access_hash_password(accents, strlen(accents), PW_HASH_TEST_MIN, hash,
                                             sizeof(hash), &err),
                     PW_OK);
    assert_int_equal(
        pw_access_hash_password("\xff\xfe", 2, PW_HASH_TEST_MIN, hash, sizeof(hash), &err),
        PW_EINVAL);
}

struct log_collect {
    char text[8192];
};

static enum pw_status
collect_entry(void *ctx, const struct pw_access_entry *e, struct pw_error *err)
{
    (void)err;
    struct log_collect *c = ctx;
    size_t n = strlen(c->text);
    (void)snprintf(c->text + n, sizeof(c->text) - n, "%s %s %s %s|", e->user, e->action, e->outcome,
                   e->reason);
    return PW_OK;
}

static void
test_sign_in(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error e1 = { 0 }, e2 = { 0 }, e3 = { 0 };
    struct pw_user u;
    const char *pw = "correct horse battery";
    add_user(fx->s, "sw.a", "csc", PW_ROLE_PRACTITIONER, pw);
    assert_int_equal(pw_access_sign_in(fx->s, &opts, "sw.a", pw, strlen(pw), &u, &e1), PW_OK);
    assert_string_equal(u.id, "sw.a");
    /* Unknown user, wrong password and disabled: the same status and message. */
    assert_int_equal(pw_access_sign_in(fx->s, &opts, "nobody", pw, strlen(pw), &u, &e1), PW_EAUTH);
    assert_int_equal(pw_access_sign_in(fx->s, &opts, "sw.a", "wrong password!", 15, &u, &e2),
                     PW_EAUTH);
    assert_string_equal(e1.msg, e2.msg);
    add_user(fx->s, "sw.gone", "csc", PW_ROLE_PRACTITIONER, pw);
    assert_int_equal(pw_access_user_disable(fx->s, &opts, NULL, "sw.gone", &e3), PW_OK);
    assert_int_equal(pw_access_sign_in(fx->s, &opts, "sw.gone", pw, strlen(pw), &u, &e3), PW_EAUTH);
    assert_string_equal(e1.msg, e3.msg);
    /* The attempts are on the access log; the password never is, nor an unknown name. */
    struct log_collect c = { "" };
    struct pw_error err = { 0 };
    assert_int_equal(pw_store_access_entries(fx->s, NULL, collect_entry, &c, &err), PW_OK);
    assert_non_null(strstr(c.text, "sw.a sign_in allowed"));
    assert_non_null(strstr(c.text, "(unknown) sign_in unknown"));
    assert_non_null(strstr(c.text, "sw.a sign_in failed 1 failure in a row"));
    assert_non_null(strstr(c.text, "sw.gone sign_in disabled"));
    assert_null(strstr(c.text, "nobody"));
    assert_null(strstr(c.text, "horse"));
}

static void
test_lock_out(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_user u;
    const char *pw = "correct horse battery";
    add_user(fx->s, "sw.a", "csc", PW_ROLE_PRACTITIONER, pw);
    for (int i = 0; i < PW_LOCK_AFTER; i++) {
        pw_error_clear(&err);
        assert_int_equal(pw_access_sign_in(fx->s, &opts, "sw.a", "not the password", 16, &u, &err),
                         PW_EAUTH);
    }
    u = user(fx->s, "sw.a");
    assert_int_equal(u.failures, PW_LOCK_AFTER);
    assert_int_equal(u.locked_until_us, NOW + (int64_t)PW_LOCK_BASE_S * 1000000);
    /* Locked: even the right password is refused, with the same message. */
    pw_error_clear(&err);
    assert_int_equal(pw_access_sign_in(fx->s, &opts, "sw.a", pw, strlen(pw), &u, &err), PW_EAUTH);
    /* After the lock: one more failure locks for twice as long. */
    struct pw_access_opts later = { NOW + 2 * (int64_t)PW_LOCK_BASE_S * 1000000, PW_HASH_TEST_MIN };
    assert_int_equal(pw_access_sign_in(fx->s, &later, "sw.a", "not the password", 16, &u, &err),
                     PW_EAUTH);
    u = user(fx->s, "sw.a");
    assert_int_equal(u.locked_until_us, later.now_us + 2 * (int64_t)PW_LOCK_BASE_S * 1000000);
    /* Once that passes, the right password works and resets the count. */
    struct pw_access_opts after = { later.now_us + HOUR, PW_HASH_TEST_MIN };
    assert_int_equal(pw_access_sign_in(fx->s, &after, "sw.a", pw, strlen(pw), &u, &err), PW_OK);
    u = user(fx->s, "sw.a");
    assert_int_equal(u.failures, 0);
    assert_int_equal(u.locked_until_us, 0);
    struct log_collect c = { "" };
    assert_int_equal(pw_store_access_entries(fx->s, NULL, collect_entry, &c, &err), PW_OK);
    assert_non_null(strstr(c.text, "5 failures in a row: locked until"));
    assert_non_null(strstr(c.text, "sw.a sign_in locked"));
}

static void
test_users_bad_input(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(pw_access_user_add(fx->s, &opts, NULL, "bad id!", "csc", PW_ROLE_MANAGER, "X",
                                        NULL, 0, &err),
                     PW_EINVAL);
    pw_error_clear(&err);
    assert_int_equal(
        pw_access_user_add(fx->s, &opts, NULL, "ok", "army", PW_ROLE_MANAGER, "X", NULL, 0, &err),
        PW_EINVAL);
    assert_non_null(strstr(err.msg, "unknown agency army"));
    pw_error_clear(&err);
    assert_int_equal(
        pw_access_user_add(fx->s, &opts, NULL, "ok", "csc", PW_ROLE_MANAGER, "a\nb", NULL, 0, &err),
        PW_EINVAL);
    pw_error_clear(&err);
    assert_int_equal(
        pw_access_user_add(fx->s, &opts, NULL, "ok", "csc", PW_ROLE_MANAGER, "X", "short", 5, &err),
        PW_EINVAL);
    add_user(fx->s, "ok", "csc", PW_ROLE_MANAGER, NULL);
    pw_error_clear(&err);
    assert_int_equal(
        pw_access_user_add(fx->s, &opts, NULL, "ok", "csc", PW_ROLE_MANAGER, "X", NULL, 0, &err),
        PW_ECONFLICT);
    /* Only an administrator manages users. */
    pw_error_clear(&err);
    assert_int_equal(pw_access_user_disable(fx->s, &opts, "ok", "ok", &err), PW_EFORBIDDEN);
    pw_error_clear(&err);
    assert_int_equal(pw_access_user_disable(fx->s, &opts, NULL, "ghost", &err), PW_ENOTFOUND);
}

static void
test_policy_bases(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    record_case(fx->s);
    add_user(fx->s, "sw.a", "csc", PW_ROLE_PRACTITIONER, NULL);
    add_user(fx->s, "dc.b", "police", PW_ROLE_PRACTITIONER, NULL);
    add_user(fx->s, "hv.c", "health", PW_ROLE_PRACTITIONER, NULL);
    add_user(fx->s, "yj.d", "yjs", PW_ROLE_MANAGER, NULL);
    add_user(fx->s, "fd.e", "csc", PW_ROLE_FRONT_DOOR, NULL);
    add_user(fx->s, "ad.f", "csc", PW_ROLE_ADMINISTRATOR, NULL);
    add_user(fx->s, "au.g", "other", PW_ROLE_AUDITOR, NULL);

    struct pw_access_decision d = decide(fx->s, "sw.a", "c1", NOW);
    assert_true(d.allow);
    assert_int_equal(d.basis, PW_BASIS_ALLOCATED);
    assert_non_null(strstr(d.detail, "a-1"));
    d = decide(fx->s, "dc.b", "c1", NOW);
    assert_int_equal(d.basis, PW_BASIS_INVOLVEMENT);
    assert_non_null(strstr(d.detail, "episode e1"));
    d = decide(fx->s, "yj.d", "c1", NOW);
    assert_false(d.allow);
    assert_int_equal(d.basis, PW_BASIS_NONE);
    assert_non_null(strstr(d.reason, "break-glass"));
    d = decide(fx->s, "fd.e", "c2", NOW);
    assert_int_equal(d.basis, PW_BASIS_FRONT_DOOR);
    d = decide(fx->s, "fd.e", "c1", NOW); /* decided: triage over */
    assert_false(d.allow);
    d = decide(fx->s, "sw.a", "c3", NOW); /* allocation ended, episode closed */
    assert_false(d.allow);
    d = decide(fx->s, "sw.a", "c3", NOW - 150 * 24 * HOUR); /* 2025-02-01: allocated then */
    assert_int_equal(d.basis, PW_BASIS_ALLOCATED);
    d = decide(fx->s, "hv.c", "c4", NOW);
    assert_int_equal(d.basis, PW_BASIS_INVOLVEMENT);
    assert_non_null(strstr(d.detail, "support"));
    d = decide(fx->s, "ad.f", "c1", NOW);
    assert_false(d.allow);
    d = decide(fx->s, "au.g", "c1", NOW);
    assert_int_equal(d.basis, PW_BASIS_AUDIT);
    assert_int_equal(d.view, PW_VIEW_PSEUDONYMISED);
    /* An unknown child: refused exactly as a child one has no relationship with. */
    struct pw_access_decision unknown = decide(fx->s, "yj.d", "nobody", NOW);
    assert_false(unknown.allow);
    assert_string_equal(unknown.reason, decide(fx->s, "yj.d", "c1", NOW).reason);

    /* Break-glass: a reason too short is refused; then allowed for 2 hours, not after. */
    char id[40];
    struct pw_user yj = user(fx->s, "yj.d");
    assert_int_equal(pw_access_break_glass(fx->s, &opts, &yj, "c1", "urgent", 2, id, &err),
                     PW_EINVAL);
    pw_error_clear(&err);
    assert_int_equal(pw_access_break_glass(fx->s, &opts, &yj, "c1", "urgent", 25, id, &err),
                     PW_EINVAL);
    pw_error_clear(&err);
    assert_int_equal(pw_access_break_glass(fx->s, &opts, &yj, "nobody",
                                           "the boy was arrested tonight with the child", 2, id,
                                           &err),
                     PW_ENOTFOUND);
    pw_error_clear(&err);
    struct pw_user ad = user(fx->s, "ad.f");
    assert_int_equal(pw_access_break_glass(fx->s, &opts, &ad, "c1",
                                           "the boy was arrested tonight with the child", 2, id,
                                           &err),
                     PW_EFORBIDDEN);
    pw_error_clear(&err);
    assert_int_equal(pw_access_break_glass(fx->s, &opts, &yj, "c1",
                                           "the boy was arrested tonight with the child", 2, id,
                                           &err),
                     PW_OK);
    d = decide(fx->s, "yj.d", "c1", NOW + HOUR);
    assert_int_equal(d.basis, PW_BASIS_BREAK_GLASS);
    assert_string_equal(d.grant, id);
    d = decide(fx->s, "yj.d", "c1", NOW + 2 * HOUR); /* expired */
    assert_false(d.allow);

    /* Review: only a data lead, once. */
    add_user(fx->s, "dl.h", "csc", PW_ROLE_DATA_LEAD, NULL);
    struct pw_user dl = user(fx->s, "dl.h");
    pw_error_clear(&err);
    assert_int_equal(pw_access_break_glass_review(fx->s, &opts, &yj, id, true, NULL, &err),
                     PW_EFORBIDDEN);
    pw_error_clear(&err);
    assert_int_equal(
        pw_access_break_glass_review(fx->s, &opts, &dl, id, true, "arrest log seen", &err), PW_OK);
    assert_int_equal(pw_access_break_glass_review(fx->s, &opts, &dl, id, false, NULL, &err),
                     PW_ECONFLICT);
}

static void
test_sensitive(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_access_state st;
    record_case(fx->s);
    add_user(fx->s, "dc.b", "police", PW_ROLE_PRACTITIONER, NULL);
    add_user(fx->s, "hv.c", "health", PW_ROLE_PRACTITIONER, NULL);
    add_user(fx->s, "sw.a", "csc", PW_ROLE_PRACTITIONER, NULL);
    add_user(fx->s, "au.g", "police", PW_ROLE_AUDITOR, NULL);
    assert_int_equal(pw_access_state_load(fx->s, "c1", NOW, &st, &err), PW_OK);
    struct pw_user dc = user(fx->s, "dc.b"), hv = user(fx->s, "hv.c"), sw = user(fx->s, "sw.a");
    struct pw_user au = user(fx->s, "au.g");
    const char *intel = "police_intelligence";
    assert_int_equal(pw_access_fact_view(&dc, &st, "i-1", "police", intel), PW_FACT_SHOWN);
    assert_int_equal(pw_access_fact_view(&hv, &st, "i-1", "police", intel), PW_FACT_SHOWN);
    assert_int_equal(pw_access_fact_view(&sw, &st, "i-1", "police", intel), PW_FACT_REDACTED);
    assert_int_equal(pw_access_fact_view(&au, &st, "i-1", "police", intel), PW_FACT_REDACTED);
    assert_int_equal(pw_access_fact_view(&sw, &st, "k-1", "education", "standard"), PW_FACT_SHOWN);
    /* A share recorded by another agency than the fact's counts for nothing. */
    assert_int_equal(pw_access_fact_view(&hv, &st, "i-1", "csc", "health_confidential"),
                     PW_FACT_REDACTED);
    pw_access_state_release(&st);
    json_t *body =
        json_loads("{\"id\":\"i-1\",\"type\":\"indicator.observed\",\"at\":\"2025-02-04\","
                   "\"agency\":\"police\",\"by\":\"tester\",\"child\":\"c1\","
                   "\"code\":\"sti\",\"sensitivity\":\"police_intelligence\"}",
                   0, NULL);
    json_t *red = pw_access_redact(body);
    assert_true(json_is_true(json_object_get(red, "redacted")));
    assert_null(json_object_get(red, "code"));
    assert_null(json_object_get(red, "child"));
    assert_string_equal(json_string_value(json_object_get(red, "ask")),
                        "police (recorded by tester)");
    json_decref(red);
    /* Pseudonyms: stable, not the id, and the pseudonymised fact names nobody. */
    char p1[24], p2[24];
    assert_int_equal(pw_access_pseudonym(fx->s, "c1", p1, sizeof(p1), &err), PW_OK);
    assert_int_equal(pw_access_pseudonym(fx->s, "c1", p2, sizeof(p2), &err), PW_OK);
    assert_string_equal(p1, p2);
    assert_int_equal(strlen(p1), 19);
    json_t *ps = pw_access_pseudonymise(fx->s, body, &err);
    assert_non_null(ps);
    const char *summary = json_string_value(json_object_get(ps, "summary"));
    assert_non_null(strstr(summary, p1));
    /* Not the id, outside the pseudonym: 16 random hex digits hold "c1" one time in 17. */
    char rest[512] = "";
    size_t used = 0;
    for (const char *at = summary; *at != '\0' && used + 1 < sizeof(rest);) {
        if (strncmp(at, p1, strlen(p1)) == 0) {
            at += strlen(p1);
            rest[used++] = ' ';
        } else {
            rest[used++] = *at++;
        }
    }
    rest[used] = '\0';
    assert_null(strstr(rest, "c1"));
    json_decref(ps);
    json_decref(body);
}

static enum pw_status
tamper_free(void *ctx, const struct pw_access_entry *e, struct pw_error *err)
{
    (void)ctx;
    (void)e;
    (void)err;
    return PW_OK;
}

static void
test_chain(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_verify_result r;
    struct pw_access_decision d;
    record_case(fx->s);
    add_user(fx->s, "sw.a", "csc", PW_ROLE_PRACTITIONER, NULL);
    add_user(fx->s, "yj.d", "yjs", PW_ROLE_PRACTITIONER, NULL);
    struct pw_user sw = user(fx->s, "sw.a"), yj = user(fx->s, "yj.d");
    assert_int_equal(pw_access_authorize(fx->s, &opts, &sw, PW_ACTION_READ_RECORD, "c1", "child",
                                         "c1", &d, &err),
                     PW_OK);
    assert_int_equal(pw_access_authorize(fx->s, &opts, &yj, PW_ACTION_READ_RECORD, "c1", "child",
                                         "c1", &d, &err),
                     PW_EFORBIDDEN);
    struct log_collect c = { "" };
    pw_error_clear(&err);
    assert_int_equal(pw_store_access_entries(fx->s, "c1", collect_entry, &c, &err), PW_OK);
    assert_non_null(strstr(c.text, "sw.a read_record allowed allocated_worker"));
    assert_non_null(strstr(c.text, "yj.d read_record denied you have no recorded relationship"));
    assert_int_equal(pw_store_access_verify(fx->s, &r, &err), PW_OK);
    assert_int_equal(r.broken_seq, 0);
    assert_int_equal(r.count, 4); /* two users added, two decisions */
    /* The log refuses edits; with its guard dropped, an edit is found. */
    assert_int_not_equal(pw_testdb_exec(&fx->db, "UPDATE access_log SET user_id = 'x'", false), 0);
    const char *unlock = fx->db.postgres ? "DROP TRIGGER access_log_no_change ON access_log"
                                         : "DROP TRIGGER access_log_no_update";
    assert_int_equal(pw_testdb_exec(&fx->db, unlock, true), 0);
    assert_int_equal(pw_testdb_exec(&fx->db,
                                    "UPDATE access_log SET body = replace(body, 'denied', "
                                    "'allowed') WHERE seq = 4",
                                    true),
                     0);
    assert_int_equal(pw_store_access_verify(fx->s, &r, &err), PW_OK);
    assert_int_equal(r.broken_seq, 4);
    assert_non_null(strstr(r.reason, "altered"));
    assert_int_equal(pw_store_access_entries(fx->s, NULL, tamper_free, NULL, &err), PW_OK);
}

static void
test_record_with_log(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    struct pw_log_head h0, h1;
    record_case(fx->s);
    add_user(fx->s, "sw.a", "csc", PW_ROLE_PRACTITIONER, NULL);
    add_user(fx->s, "yj.d", "yjs", PW_ROLE_PRACTITIONER, NULL);
    struct pw_user sw = user(fx->s, "sw.a"), yj = user(fx->s, "yj.d");
    struct pw_fact f[2];
    struct pw_fact_parse_opts po = { "sw.a", 0 };
    const char *plan =
        PW_ENV("plan.made", "p-1", "csc", "2025-03-01") "\"child\":\"c1\","
                                                        "\"kind\":\"child_in_need\"}";
    const char *again = PW_ENV("plan.made", "p-1", "csc", "2025-03-02") "\"child\":\"c1\","
                                                                        "\"kind\":\"safety\"}";
    assert_int_equal(pw_fact_parse(plan, strlen(plan), &po, &f[0], &err), PW_OK);
    assert_int_equal(pw_store_access_head(fx->s, &h0, &err), PW_OK);
    assert_int_equal(pw_access_record(fx->s, &opts, &sw, f, 1, &out, &err), PW_OK);
    assert_int_equal(pw_store_access_head(fx->s, &h1, &err), PW_OK);
    assert_int_equal(h1.seq, h0.seq + 1);
    /* A fact the store refuses (same id, another body): its entry rolls back with it. */
    assert_int_equal(pw_fact_parse(again, strlen(again), &po, &f[1], &err), PW_OK);
    assert_int_equal(pw_access_record(fx->s, &opts, &sw, &f[1], 1, &out, &err), PW_ECONFLICT);
    assert_int_equal(pw_store_access_head(fx->s, &h0, &err), PW_OK);
    assert_int_equal(h0.seq, h1.seq);
    /* Someone with no relationship may not write about c1: refused and logged. */
    pw_error_clear(&err);
    assert_int_equal(pw_access_record(fx->s, &opts, &yj, f, 1, &out, &err), PW_EFORBIDDEN);
    pw_error_clear(&err);
    struct pw_fact_parse_opts yo = { "yj.d", 0 };
    struct pw_fact g;
    const char *yplan = PW_ENV("plan.made", "p-2", "yjs", "2025-03-01") "\"child\":\"c1\","
                                                                        "\"kind\":\"safety\"}";
    assert_int_equal(pw_fact_parse(yplan, strlen(yplan), &yo, &g, &err), PW_OK);
    assert_int_equal(pw_access_record(fx->s, &opts, &yj, &g, 1, &out, &err), PW_EFORBIDDEN);
    bool found = true;
    int64_t seq = 0;
    assert_int_equal(pw_store_fact_seq(fx->s, "p-2", &seq, &found, &err), PW_OK);
    assert_false(found);
    struct log_collect c = { "" };
    assert_int_equal(pw_store_access_entries(fx->s, NULL, collect_entry, &c, &err), PW_OK);
    assert_non_null(strstr(c.text, "sw.a write allowed"));
    assert_non_null(strstr(c.text, "yj.d write denied"));
    pw_fact_release(&f[0]);
    pw_fact_release(&f[1]);
    pw_fact_release(&g);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hashing),
        cmocka_unit_test_setup_teardown(test_sign_in, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_lock_out, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_users_bad_input, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_policy_bases, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_sensitive, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_chain, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_record_with_log, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
