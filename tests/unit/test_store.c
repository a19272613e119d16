/*
 * Store tests on SQLite: recording all-or-none, retries and conflicts, references, corrections,
 * the hash chain against direct tampering with the file, rebuild, households.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/time.h"
#include "model/model.h"
#include "store/store.h"
#include "testdb.h"

static enum pw_status
record_lines(struct pw_store *s, const char *const *lines, size_t n, struct pw_record_outcome *out,
             struct pw_error *err)
{
    return pw_test_record(s, lines, n, out, err);
}

static enum pw_status
record1(struct pw_store *s, const char *line, struct pw_error *err)
{
    return record_lines(s, &line, 1, NULL, err);
}

#define PERSON(fid, pid, given)                                                                 \
 "{\"type\":\"person.registered\",\"id\":\"" fid "\",\"at\":\"2025-01-10\",\"agency\":\"csc\"," \
 "\"person\":\"" pid "\",\"names\":[{\"given\":\"" given "\",\"family\":\"Hart\",\"kind\":"     \
 "\"birth\"}]}"

#define RESIDENCE(fid, pid, line1, since, until)                                                 \
 "{\"type\":\"residence.recorded\",\"id\":\"" fid "\",\"at\":\"2025-01-10\",\"agency\":\"csc\"," \
 "\"person\":\"" pid "\",\"address\":{\"line1\":\"" line1                                        \
 "\",\"postcode\":\"LS6 2AB\"}" since until "}"

static const char *const family[] = {
    PERSON("f1", "p-child", "Lily"),
    PERSON("f2", "p-mum", "Kerry"),
    PERSON("f3", "p-man", "Dean"),
    RESIDENCE("f4", "p-child", "12 Mill Lane", ",\"since\":\"2016-04-02\"", ""),
    RESIDENCE("f5", "p-mum", "12 MILL LANE", ",\"since\":\"2014-01-01\"", ""),
    RESIDENCE("f6", "p-man", "12 Mill  Lane", ",\"since\":\"2025-01-20\"",
              ",\"until\":\"2025-06-30\""),
    "{\"type\":\"risk.recorded\",\"id\":\"f7\",\"at\":\"2025-02-01\",\"agency\":\"police\","
    "\"person\":\"p-man\",\"kind\":\"conviction\",\"sexual\":true,\"against\":\"adult\"}",
    "{\"type\":\"relationship.recorded\",\"id\":\"f8\",\"at\":\"2025-02-01\",\"agency\":\"csc\","
    "\"from\":\"p-man\",\"to\":\"p-mum\",\"kind\":\"parent_partner\"}",
};

#define FAMILY_N (sizeof(family) / sizeof(family[0]))

static int64_t
head_seq(struct pw_store *s)
{
    struct pw_log_head head;
    struct pw_error err = { 0 };
    assert_int_equal(pw_store_head(s, &head, &err), PW_OK);
    return head.seq;
}

static void
records_a_batch_and_the_chain_verifies(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, &out, &err), PW_OK);
    assert_int_equal(out.recorded, FAMILY_N);
    assert_int_equal(out.last_seq, FAMILY_N);
    struct pw_verify_result v;
    assert_int_equal(pw_store_verify(fx->s, 0, NULL, &v, &err), PW_OK);
    assert_int_equal(v.broken_seq, 0);
    assert_int_equal(v.count, FAMILY_N);
}

static void
a_retry_is_a_no_op_and_a_changed_body_is_a_conflict(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, &out, &err), PW_OK);
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, &out, &err), PW_OK);
    assert_int_equal(out.recorded, 0);
    assert_int_equal(out.unchanged, FAMILY_N);
    assert_int_equal(head_seq(fx->s), FAMILY_N);
    const char *changed[] = {
        PERSON("f9", "p-new", "Ava"),
        "{\"type\":\"risk.recorded\",\"id\":\"f7\",\"at\":\"2025-02-01\",\"agency\":\"police\","
        "\"person\":\"p-man\",\"kind\":\"conviction\",\"sexual\":false}",
    };
    assert_int_equal(record_lines(fx->s, changed, 2, &out, &err), PW_ECONFLICT);
    assert_int_equal(out.failed, 1);
    assert_non_null(strstr(err.msg, "supersedes"));
    /* All or none: the good first fact of the refused batch is not there either. */
    assert_int_equal(head_seq(fx->s), FAMILY_N);
    bool exists = true;
    assert_int_equal(pw_store_person_exists(fx->s, "p-new", &exists, &err), PW_OK);
    assert_false(exists);
}

static void
references_must_be_known_or_in_the_batch(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    /* The relationship comes before the registrations it names: same batch is enough. */
    const char *forward[] = {
        "{\"type\":\"relationship.recorded\",\"id\":\"r1\",\"at\":\"2025-02-01\","
        "\"agency\":\"csc\",\"from\":\"p-a\",\"to\":\"p-b\",\"kind\":\"sibling\"}",
        PERSON("pa", "p-a", "Amy"),
        PERSON("pb", "p-b", "Ben"),
    };
    assert_int_equal(record_lines(fx->s, forward, 3, &out, &err), PW_OK);
    assert_int_equal(out.recorded, 3);
    const char *ghost =
        "{\"type\":\"relationship.recorded\",\"id\":\"r2\",\"at\":\"2025-02-01\","
        "\"agency\":\"csc\",\"from\":\"p-a\",\"to\":\"p-ghost\",\"kind\":\"sibling\"}";
    pw_error_clear(&err);
    assert_int_equal(record1(fx->s, ghost, &err), PW_EINVAL);
    assert_string_equal(err.field, "$.to");
    assert_non_null(strstr(err.msg, "p-ghost"));
    const char *no_concern =
        "{\"type\":\"referral.decided\",\"id\":\"d1\",\"at\":\"2025-02-01\",\"agency\":\"csc\","
        "\"concern\":\"c-missing\",\"decision\":\"assessment\",\"rationale\":\"x\"}";
    pw_error_clear(&err);
    assert_int_equal(record1(fx->s, no_concern, &err), PW_EINVAL);
    assert_non_null(strstr(err.msg, "concern \"c-missing\""));
    assert_int_equal(head_seq(fx->s), 3);
}

static void
a_person_is_registered_once(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(record1(fx->s, PERSON("a1", "p-x", "Amy"), &err), PW_OK);
    assert_int_equal(record1(fx->s, PERSON("a2", "p-x", "Amy"), &err), PW_ECONFLICT);
    assert_non_null(strstr(err.msg, "already recorded"));
    const char *twice[] = { PERSON("b1", "p-y", "Bo"), PERSON("b2", "p-y", "Bo") };
    pw_error_clear(&err);
    assert_int_equal(record_lines(fx->s, twice, 2, NULL, &err), PW_ECONFLICT);
}

static void
collect(void *ctx, const char *line)
{
    pw_buf_adds(ctx, line);
    pw_buf_addc(ctx, '\n');
}

static void
corrections_replace_what_they_correct(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    const char *fix =
        "{\"type\":\"risk.recorded\",\"id\":\"f7-fix\",\"at\":\"2025-02-02\",\"agency\":\"police\","
        "\"person\":\"p-man\",\"kind\":\"conviction\",\"sexual\":true,\"against\":\"child\","
        "\"supersedes\":\"f7\"}";
    assert_int_equal(record1(fx->s, fix, &err), PW_OK);
    /* The corrected row is gone from the projection; the new one is there. */
    struct pw_buf dump;
    pw_buf_init(&dump, 0);
    assert_int_equal(pw_store_dump(fx->s, collect, &dump, &err), PW_OK);
    assert_non_null(strstr(pw_buf_cstr(&dump), "risks\tf7-fix\tp-man\tconviction\t1\tchild"));
    assert_null(strstr(pw_buf_cstr(&dump), "risks\tf7\t"));
    pw_buf_release(&dump);
    /* Correct the latest word only; same type; it must exist. */
    const char *again =
        "{\"type\":\"risk.recorded\",\"id\":\"f7-fix2\",\"at\":\"2025-02-03\",\"agency\":\"police\","
        "\"person\":\"p-man\",\"kind\":\"caution\",\"sexual\":true,\"supersedes\":\"f7\"}";
    pw_error_clear(&err);
    assert_int_equal(record1(fx->s, again, &err), PW_ECONFLICT);
    const char *wrong_type =
        "{\"type\":\"relationship.recorded\",\"id\":\"r-fix\",\"at\":\"2025-02-03\","
        "\"agency\":\"csc\",\"from\":\"p-man\",\"to\":\"p-child\",\"kind\":\"parent\","
        "\"supersedes\":\"f7-fix\"}";
    pw_error_clear(&err);
    assert_int_equal(record1(fx->s, wrong_type, &err), PW_EINVAL);
    assert_string_equal(err.field, "$.supersedes");
    const char *missing =
        "{\"type\":\"risk.recorded\",\"id\":\"r-x\",\"at\":\"2025-02-03\",\"agency\":\"police\","
        "\"person\":\"p-man\",\"kind\":\"caution\",\"sexual\":true,\"supersedes\":\"nope\"}";
    pw_error_clear(&err);
    assert_int_equal(record1(fx->s, missing, &err), PW_EINVAL);
    /* A registration is corrected by a registration of the same person. */
    const char *rename_other =
        "{\"type\":\"person.registered\",\"id\":\"f1-fix\",\"at\":\"2025-03-01\",\"agency\":\"csc\","
        "\"person\":\"p-other\",\"names\":[{\"given\":\"L\",\"family\":\"H\",\"kind\":\"birth\"}],"
        "\"supersedes\":\"f1\"}";
    pw_error_clear(&err);
    assert_int_equal(record1(fx->s, rename_other, &err), PW_EINVAL);
    const char *rename =
        "{\"type\":\"person.registered\",\"id\":\"f1-fix\",\"at\":\"2025-03-01\",\"agency\":\"csc\","
        "\"person\":\"p-child\",\"names\":[{\"given\":\"Lilly\",\"family\":\"Hart\","
        "\"kind\":\"known_as\"}],\"supersedes\":\"f1\"}";
    pw_error_clear(&err);
    assert_int_equal(record1(fx->s, rename, &err), PW_OK);
}

/* Runs SQL on the database behind the store's back, as someone with access to it would. */
static void
tamper(const struct pw_store_fixture *fx, const char *sql)
{
    assert_int_equal(pw_testdb_exec(&fx->db, sql, true), 0);
}

/* The same, after dropping the triggers that guard the log. */
static void
tamper_log(const struct pw_store_fixture *fx, const char *sql)
{
    tamper(fx, pw_testdb_unlock_sql(&fx->db));
    tamper(fx, sql);
}

static struct pw_verify_result
verify(const struct pw_store_fixture *fx, int64_t anchor_seq, const char *anchor_hash)
{
    struct pw_verify_result v;
    struct pw_error err = { 0 };
    assert_int_equal(pw_store_verify(fx->s, anchor_seq, anchor_hash, &v, &err), PW_OK);
    return v;
}

static void
the_log_refuses_updates_through_sql(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    assert_int_not_equal(pw_testdb_exec(&fx->db, "UPDATE fact_log SET by_user = 'x'", false), 0);
    assert_int_not_equal(pw_testdb_exec(&fx->db, "DELETE FROM fact_log", false), 0);
    assert_int_equal(verify(fx, 0, NULL).broken_seq, 0);
}

static void
an_altered_body_is_found(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    tamper_log(fx, "UPDATE fact_log SET body = replace(body, '\"adult\"', '\"unknown\"') "
                   "WHERE seq = 7");
    struct pw_verify_result v = verify(fx, 0, NULL);
    assert_int_equal(v.broken_seq, 7);
    assert_int_equal(v.count, 6);
    assert_non_null(strstr(v.reason, "altered"));
}

static void
an_altered_column_beside_the_body_is_found(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    tamper_log(fx, "UPDATE fact_log SET at = '2020-01-01', at_key = '2020-01-01T00:00:00."
                   "000000Z' WHERE seq = 3");
    assert_int_equal(verify(fx, 0, NULL).broken_seq, 3);
}

static void
a_removed_entry_is_found(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    tamper_log(fx, "DELETE FROM fact_log WHERE seq = 4");
    struct pw_verify_result v = verify(fx, 0, NULL);
    assert_int_equal(v.broken_seq, 4);
    assert_non_null(strstr(v.reason, "missing"));
}

static void
a_removed_tail_is_found_by_the_head(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    tamper_log(fx, "DELETE FROM fact_log WHERE seq >= 7");
    assert_int_equal(verify(fx, 0, NULL).broken_seq, 7);
}

static void
an_inserted_entry_is_found(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    /* Move entries up to make room, then slip one in at 5: its hashes cannot fit. */
    tamper_log(fx, "UPDATE fact_log SET seq = seq + 100 WHERE seq >= 5;"
                   "UPDATE fact_log SET seq = seq - 99 WHERE seq >= 105;"
                   "INSERT INTO fact_log SELECT 5, 'fake', type, at, at_key, agency, by_user, "
                   "supersedes, sensitivity, recorded_at, body, prev_hash, hash FROM fact_log "
                   "WHERE seq = 4;"
                   "UPDATE log_head SET seq = 9");
    struct pw_verify_result v = verify(fx, 0, NULL);
    assert_int_equal(v.broken_seq, 5);
}

static void
a_rewritten_chain_is_found_by_an_anchor(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_log_head anchor;
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    assert_int_equal(pw_store_head(fx->s, &anchor, &err), PW_OK);
    assert_int_equal(verify(fx, anchor.seq, anchor.hash).broken_seq, 0);
    /* Whoever rewrites everything consistently (hashes and head) still misses the anchor. */
    tamper_log(fx, "UPDATE fact_log SET hash = 'x' || substr(hash, 2) WHERE seq = 8;"
                   "UPDATE log_head SET hash = (SELECT hash FROM fact_log WHERE seq = 8)");
    struct pw_verify_result v = verify(fx, 0, NULL);
    assert_int_equal(v.broken_seq, 8); /* the recomputed hash differs too */
    assert_int_equal(verify(fx, anchor.seq, anchor.hash).broken_seq, 8);
    char wrong[65];
    memset(wrong, 'a', 64);
    wrong[64] = '\0';
    assert_int_equal(verify(fx, 99, wrong).broken_seq, 8);
}

static void
rebuild_reproduces_the_projections_exactly(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_buf before;
    struct pw_buf after;
    int64_t replayed = 0;
    pw_buf_init(&before, 0);
    pw_buf_init(&after, 0);
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    const char *fix =
        "{\"type\":\"residence.recorded\",\"id\":\"f6-fix\",\"at\":\"2025-02-02\",\"agency\":\"csc\","
        "\"person\":\"p-man\",\"address\":{\"line1\":\"12 Mill Lane\",\"postcode\":\"LS6 2AB\"},"
        "\"since\":\"2024-12-01\",\"supersedes\":\"f6\"}";
    assert_int_equal(record1(fx->s, fix, &err), PW_OK);
    assert_int_equal(pw_store_dump(fx->s, collect, &before, &err), PW_OK);
    assert_true(before.len > 200);
    /* Damage the projections behind the store's back; the log alone restores them. */
    tamper(fx, "DELETE FROM people WHERE person_id = 'p-man'; DELETE FROM residences;"
               "INSERT INTO risks (fact_id, person_id, kind, sexual) VALUES ('x','p-x','y',0)");
    assert_int_equal(pw_store_rebuild(fx->s, &replayed, &err), PW_OK);
    assert_int_equal(replayed, FAMILY_N + 1);
    assert_int_equal(pw_store_dump(fx->s, collect, &after, &err), PW_OK);
    assert_string_equal(pw_buf_cstr(&before), pw_buf_cstr(&after));
    pw_buf_release(&before);
    pw_buf_release(&after);
}

struct members {
    char list[512];
    int count;
};

static enum pw_status
add_member(void *ctx, const struct pw_housemate *h, struct pw_error *err)
{
    (void)err;
    struct members *m = ctx;
    size_t used = strlen(m->list);
    (void)snprintf(m->list + used, sizeof(m->list) - used, "%s%s%s(%s..%s)",
                   m->count > 0 ? "," : "", h->sexual_risk ? "!" : "", h->person,
                   h->since != NULL ? h->since : "", h->until != NULL ? h->until : "");
    m->count++;
    return PW_OK;
}

static struct members
household(struct pw_store *s, const char *person, const char *date, bool all)
{
    struct members m = { "", 0 };
    struct pw_error err = { 0 };
    int32_t day = 0;
    assert_int_equal(pw_date_parse(date, strlen(date), &day, &err), PW_OK);
    assert_int_equal(pw_store_household(s, person, day, all, add_member, &m, &err), PW_OK);
    return m;
}

static void
households_follow_addresses_and_dates(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    /* Before the man moved in; while he lived there (address written differently); after. */
    assert_string_equal(household(fx->s, "p-child", "2025-01-01", false).list,
                        "p-child(2016-04-02..),p-mum(2016-04-02..)");
    assert_string_equal(household(fx->s, "p-child", "2025-03-01", false).list,
                        "p-child(2016-04-02..),!p-man(2025-01-20..2025-06-30),p-mum(2016-04-02..)");
    assert_string_equal(household(fx->s, "p-child", "2025-07-01", false).list,
                        "p-child(2016-04-02..),p-mum(2016-04-02..)");
    assert_string_equal(household(fx->s, "p-man", "2025-06-30", false).list,
                        "!p-man(2025-01-20..2025-06-30),p-child(2025-01-20..2025-06-30),"
                        "p-mum(2025-01-20..2025-06-30)");
    assert_int_equal(household(fx->s, "p-child", "2000-01-01", true).count, 3);
    /*
     * A postcode alone is a street and a first line alone is in many towns: nobody else is
     * matched at such an address, but the person is still listed at their own.
     */
    const char *street[] = {
        PERSON("s1", "p-street", "Sam"),
        "{\"type\":\"residence.recorded\",\"id\":\"s2\",\"at\":\"2025-01-10\",\"agency\":\"csc\","
        "\"person\":\"p-street\",\"address\":{\"postcode\":\"LS6 2AB\"}}",
        PERSON("s3", "p-lane", "Lee"),
        "{\"type\":\"residence.recorded\",\"id\":\"s4\",\"at\":\"2025-01-10\",\"agency\":\"csc\","
        "\"person\":\"p-lane\",\"address\":{\"line1\":\"12 Mill Lane\"}}",
        PERSON("s5", "p-lane2", "Lou"),
        "{\"type\":\"residence.recorded\",\"id\":\"s6\",\"at\":\"2025-01-10\",\"agency\":\"csc\","
        "\"person\":\"p-lane2\",\"address\":{\"line1\":\"12 Mill Lane\"}}",
    };
    assert_int_equal(record_lines(fx->s, street, 6, NULL, &err), PW_OK);
    assert_string_equal(household(fx->s, "p-street", "2025-03-01", false).list, "p-street(..)");
    assert_string_equal(household(fx->s, "p-lane", "2025-03-01", false).list, "p-lane(..)");
    assert_string_equal(household(fx->s, "p-lane2", "2025-03-01", false).list, "p-lane2(..)");
    assert_int_equal(household(fx->s, "p-child", "2025-07-01", false).count, 2);
    int32_t day = 0;
    assert_int_equal(pw_store_household(fx->s, "p-nobody", day, false, add_member, NULL, &err),
                     PW_ENOTFOUND);
}

static enum pw_status
collect_entry(void *ctx, const struct pw_log_entry *e, struct pw_error *err)
{
    (void)err;
    pw_buf_addf(ctx, "%lld:%s:%s ", (long long)e->seq, e->id, e->type);
    return PW_OK;
}

static const char *
list_facts(struct pw_store *s, struct pw_buf *b, const char *person, const char *type)
{
    struct pw_error err = { 0 };
    struct pw_fact_filter filter = { person, type };
    pw_buf_reset(b);
    assert_int_equal(pw_store_facts(s, &filter, collect_entry, b, &err), PW_OK);
    return pw_buf_cstr(b);
}

static void
facts_are_listed_by_person_and_type(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_buf b;
    pw_buf_init(&b, 0);
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    assert_string_equal(list_facts(fx->s, &b, "p-man", NULL),
                        "3:f3:person.registered 6:f6:residence.recorded 7:f7:risk.recorded "
                        "8:f8:relationship.recorded ");
    assert_string_equal(list_facts(fx->s, &b, NULL, "risk.recorded"), "7:f7:risk.recorded ");
    assert_string_equal(list_facts(fx->s, &b, "p-mum", "relationship.recorded"),
                        "8:f8:relationship.recorded ");
    assert_string_equal(list_facts(fx->s, &b, "p-nobody", NULL), "");
    assert_int_equal(strlen(list_facts(fx->s, &b, NULL, NULL)) > 0, 1);
    assert_non_null(strstr(pw_buf_cstr(&b), "1:f1:person.registered 2:f2"));
    pw_buf_release(&b);
}

static void
the_log_pages_past_a_thousand_entries(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    enum {
        N = 2500
    };
    static char lines[N][160];
    const char *ptrs[N];
    for (int i = 0; i < N; i++) {
        (void)snprintf(lines[i], sizeof(lines[i]),
                       "{\"type\":\"person.registered\",\"id\":\"f%d\",\"at\":\"2025-01-10\","
                       "\"agency\":\"health\",\"person\":\"p%d\",\"names\":[{\"family\":"
                       "\"Khan\",\"kind\":\"birth\"}]}",
                       i, i);
        ptrs[i] = lines[i];
    }
    assert_int_equal(record_lines(fx->s, ptrs, N, NULL, &err), PW_OK);
    struct pw_verify_result v = verify(fx, 0, NULL);
    assert_int_equal(v.count, N);
    assert_int_equal(v.broken_seq, 0);
    struct pw_buf b;
    pw_buf_init(&b, 0);
    const char *all = list_facts(fx->s, &b, NULL, "person.registered");
    assert_non_null(strstr(all, " 2500:f2499:person.registered "));
    assert_non_null(strstr(all, " 1001:f1000:"));
    pw_buf_release(&b);
    int64_t replayed = 0;
    assert_int_equal(pw_store_rebuild(fx->s, &replayed, &err), PW_OK);
    assert_int_equal(replayed, N);
    /* An entry deep in the second page is still found when altered. */
    tamper_log(fx, "UPDATE fact_log SET body = replace(body, 'Khan', 'Kahn') WHERE seq = 1999");
    assert_int_equal(verify(fx, 0, NULL).broken_seq, 1999);
}

static void
opening_a_sqlite_file_refuses_what_it_should(const struct pw_store_fixture *fx)
{
    struct pw_error err = { 0 };
    struct pw_store *s = NULL;
    char path[160];
    (void)snprintf(path, sizeof(path), "%s/absent.db", fx->db.dir);
    assert_int_equal(pw_store_open(path, 0, &s, &err), PW_ENOTFOUND);
    assert_non_null(strstr(err.msg, "pathway init"));
    (void)snprintf(path, sizeof(path), "%s/not-a-db.db", fx->db.dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("this is a shopping list, not a database, and it is long enough to look like one\n", f);
    fclose(f);
    pw_error_clear(&err);
    assert_int_equal(pw_store_open(path, 0, &s, &err), PW_EDB);
    assert_non_null(strstr(err.msg, "not a Pathway database"));
    assert_string_equal(pw_store_backend(fx->s), "sqlite");
}

static void
opening_a_postgres_database_refuses_what_it_should(const struct pw_store_fixture *fx)
{
    struct pw_error err = { 0 };
    struct pw_store *s = NULL;
    struct pw_testdb empty;
    /* A database with no Pathway store in it is not found without init... */
    assert_int_equal(pw_testdb_create_on(&empty, "empty", true), 0);
    assert_int_equal(pw_store_open(empty.target, 0, &s, &err), PW_ENOTFOUND);
    assert_non_null(strstr(err.msg, "pathway init"));
    pw_testdb_drop(&empty);
    /* ...an unreachable server is a storage error, and its URI (a password) is never echoed. */
    pw_error_clear(&err);
    assert_int_equal(pw_store_open("postgresql://pathway:s3cret@127.0.0.1:1/none", 0, &s, &err),
                     PW_EDB);
    assert_non_null(strstr(err.msg, "could not connect to PostgreSQL"));
    assert_null(strstr(err.msg, "s3cret"));
    assert_string_equal(pw_store_backend(fx->s), "postgresql");
}

static void
opening_refuses_what_it_should(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_store *s = NULL;
    assert_int_equal(pw_store_open(fx->db.target, PW_STORE_CREATE | PW_STORE_NEW, &s, &err),
                     PW_ECONFLICT);
    pw_error_clear(&err);
    assert_int_equal(pw_store_open("", 0, &s, &err), PW_EUSAGE);
    assert_int_equal(pw_store_schema_version(fx->s), pw_store_schema_latest());
    /* Opening again (a second process, say) finds the schema current and changes nothing. */
    pw_error_clear(&err);
    assert_int_equal(pw_store_open(fx->db.target, 0, &s, &err), PW_OK);
    assert_int_equal(pw_store_schema_version(s), pw_store_schema_latest());
    pw_store_close(s);
    if (fx->db.postgres) {
        opening_a_postgres_database_refuses_what_it_should(fx);
    } else {
        opening_a_sqlite_file_refuses_what_it_should(fx);
    }
}

static void
assert_same_store(struct pw_store *a, struct pw_store *b)
{
    struct pw_error err = { 0 };
    struct pw_buf da;
    struct pw_buf db;
    struct pw_log_head ha;
    struct pw_log_head hb;
    pw_buf_init(&da, 0);
    pw_buf_init(&db, 0);
    assert_int_equal(pw_store_dump(a, collect, &da, &err), PW_OK);
    assert_int_equal(pw_store_dump(b, collect, &db, &err), PW_OK);
    assert_string_equal(pw_buf_cstr(&da), pw_buf_cstr(&db));
    assert_int_equal(pw_store_head(a, &ha, &err), PW_OK);
    assert_int_equal(pw_store_head(b, &hb, &err), PW_OK);
    assert_int_equal(ha.seq, hb.seq);
    assert_string_equal(ha.hash, hb.hash);
    pw_buf_release(&da);
    pw_buf_release(&db);
}

/*
 * A store copied to the other backend and back is the same store: same log, same hashes,
 * same derived rows. On the SQLite-only run "the other backend" is SQLite again.
 */
static void
a_copy_between_backends_is_the_same_store(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_testdb mid_db;
    struct pw_testdb back_db;
    struct pw_copy_result r;
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    const char *fix =
        "{\"type\":\"risk.recorded\",\"id\":\"f7-fix\",\"at\":\"2025-02-02\",\"agency\":\"police\","
        "\"person\":\"p-man\",\"kind\":\"conviction\",\"sexual\":true,\"supersedes\":\"f7\"}";
    assert_int_equal(record1(fx->s, fix, &err), PW_OK);
    /* Through SQLite: on the PostgreSQL run that is PostgreSQL -> SQLite -> PostgreSQL. */
    assert_int_equal(pw_testdb_create_on(&mid_db, "copy-mid", false), 0);
    assert_int_equal(pw_store_copy(fx->s, mid_db.target, &r, &err), PW_OK);
    struct pw_store *mid = NULL;
    assert_int_equal(pw_store_open(mid_db.target, 0, &mid, &err), PW_OK);
    assert_int_equal(r.copied, FAMILY_N + 1);
    assert_int_equal(r.verified, FAMILY_N + 1);
    assert_same_store(fx->s, mid);
    assert_int_equal(pw_testdb_create_on(&back_db, "copy-back", fx->db.postgres), 0);
    assert_int_equal(pw_store_copy(mid, back_db.target, &r, &err), PW_OK);
    struct pw_store *back = NULL;
    assert_int_equal(pw_store_open(back_db.target, 0, &back, &err), PW_OK);
    assert_same_store(fx->s, back);
    /* The copy is a working store: it takes new facts and still verifies. */
    assert_int_equal(record1(back, PERSON("n1", "p-new", "Ava"), &err), PW_OK);
    struct pw_verify_result v;
    assert_int_equal(pw_store_verify(back, 0, NULL, &v, &err), PW_OK);
    assert_int_equal(v.count, FAMILY_N + 2);
    /* A target that holds a store is refused and left as it was. */
    pw_error_clear(&err);
    assert_int_equal(pw_store_copy(fx->s, back_db.target, &r, &err), PW_ECONFLICT);
    assert_int_equal(pw_store_verify(back, 0, NULL, &v, &err), PW_OK);
    assert_int_equal(v.count, FAMILY_N + 2);
    pw_store_close(mid);
    pw_store_close(back);
    pw_testdb_drop(&mid_db);
    pw_testdb_drop(&back_db);
}

static void
a_broken_source_is_not_copied(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_testdb to_db;
    struct pw_copy_result r;
    assert_int_equal(record_lines(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    tamper_log(fx, "UPDATE fact_log SET body = replace(body, 'Lily', 'Lilly') WHERE seq = 1");
    assert_int_equal(pw_testdb_create_on(&to_db, "copy-broken", fx->db.postgres), 0);
    assert_int_equal(pw_store_copy(fx->s, to_db.target, &r, &err), PW_EINTEGRITY);
    assert_non_null(strstr(err.msg, "broken at 1"));
    /* No target store was created. */
    struct pw_store *to = NULL;
    pw_error_clear(&err);
    assert_int_equal(pw_store_open(to_db.target, 0, &to, &err), PW_ENOTFOUND);
    pw_testdb_drop(&to_db);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(records_a_batch_and_the_chain_verifies,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_retry_is_a_no_op_and_a_changed_body_is_a_conflict,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(references_must_be_known_or_in_the_batch,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_person_is_registered_once, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(corrections_replace_what_they_correct,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(the_log_refuses_updates_through_sql, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(an_altered_body_is_found, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(an_altered_column_beside_the_body_is_found,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_removed_entry_is_found, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_removed_tail_is_found_by_the_head, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(an_inserted_entry_is_found, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_rewritten_chain_is_found_by_an_anchor,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(rebuild_reproduces_the_projections_exactly,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(households_follow_addresses_and_dates,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(facts_are_listed_by_person_and_type, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(the_log_pages_past_a_thousand_entries,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(opening_refuses_what_it_should, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_copy_between_backends_is_the_same_store,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_broken_source_is_not_copied, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
