/* Unit tests for core: the capped buffer, the arena, the string map and the error record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/id.h"
#include "core/rng.h"
#include "core/strmap.h"

static void
buf_grows_and_stays_terminated(void **state)
{
    (void)state;
    struct pw_buf b;
    pw_buf_init(&b, 0);
    assert_string_equal(pw_buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++) {
        pw_buf_addf(&b, "%d,", i);
    }
    assert_int_equal(b.len, strlen(pw_buf_cstr(&b)));
    assert_true(strncmp(pw_buf_cstr(&b), "0,1,2,3,", 8) == 0);
    assert_non_null(strstr(pw_buf_cstr(&b), ",999,"));
    struct pw_error err = { 0 };
    assert_int_equal(pw_buf_check(&b, "list", &err), PW_OK);
    pw_buf_release(&b);
}

static void
buf_long_format_goes_through_the_slow_path(void **state)
{
    (void)state;
    struct pw_buf b;
    char big[1000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    pw_buf_init(&b, 0);
    pw_buf_adds(&b, "<");
    pw_buf_addf(&b, "%s|%d", big, 42);
    assert_int_equal(b.len, 1 + 999 + 3);
    assert_string_equal(pw_buf_cstr(&b) + 1000, "|42");
    pw_buf_release(&b);
}

static void
buf_cap_is_sticky_and_reported(void **state)
{
    (void)state;
    struct pw_buf b;
    struct pw_error err = { 0 };
    pw_buf_init(&b, 8);
    pw_buf_adds(&b, "12345678");
    assert_false(b.overflow);
    pw_buf_addc(&b, '9');
    assert_true(b.overflow);
    pw_buf_adds(&b, "x"); /* ignored once overflowed */
    assert_string_equal(pw_buf_cstr(&b), "12345678");
    assert_int_equal(pw_buf_check(&b, "the reply", &err), PW_ETOOBIG);
    assert_non_null(strstr(err.msg, "the reply"));
    assert_non_null(strstr(err.msg, "8 bytes"));
    pw_buf_reset(&b);
    assert_false(b.overflow);
    pw_buf_release(&b);
}

static void
buf_json_escaping(void **state)
{
    (void)state;
    struct pw_buf b;
    pw_buf_init(&b, 0);
    const char in[] = "a\"b\\c\nd\x01";
    pw_buf_add_json_escaped(&b, in, sizeof(in) - 1);
    assert_string_equal(pw_buf_cstr(&b), "a\\\"b\\\\c\\nd\\u0001");
    size_t len = 0;
    char *owned = pw_buf_detach(&b, &len);
    assert_int_equal(len, strlen(owned));
    assert_null(b.ptr);
    free(owned);
}

static void
slices_compare(void **state)
{
    (void)state;
    struct pw_slice s = { "household", 5 };
    assert_true(pw_slice_eq(s, "house"));
    assert_false(pw_slice_eq(s, "household"));
    assert_true(pw_slice_eq(pw_slice_cstr(""), ""));
}

static int cleanups_run;

static void
count_cleanup(void *p)
{
    /* Cleanups run last-registered first: each sees the count it expects. */
    int expected = *(int *)p;
    assert_int_equal(cleanups_run, expected);
    cleanups_run++;
}

static void
arena_allocates_aligned_zeroed_and_cleans_up(void **state)
{
    (void)state;
    struct pw_arena *a = pw_arena_new();
    for (int i = 0; i < 5000; i++) {
        unsigned char *p = pw_arena_alloc(a, (size_t)(i % 97) + 1);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        for (int k = 0; k < (i % 97) + 1; k++) {
            assert_int_equal(p[k], 0);
        }
        p[0] = 0xff;
    }
    char *big = pw_arena_alloc(a, 100000);
    big[99999] = 'z';
    assert_string_equal(pw_arena_strdup(a, "nhs"), "nhs");
    assert_string_equal(pw_arena_strndup(a, "postcode", 4), "post");
    assert_string_equal(pw_arena_printf(a, "%s-%03d", "p", 7), "p-007");
    static int order[2] = { 1, 0 };
    cleanups_run = 0;
    pw_arena_defer(a, count_cleanup, &order[0]);
    pw_arena_defer(a, count_cleanup, &order[1]);
    assert_true(pw_arena_used(a) > 100000);
    pw_arena_free(a);
    assert_int_equal(cleanups_run, 2);
    pw_arena_free(NULL);
}

static void
strmap_puts_gets_and_grows(void **state)
{
    (void)state;
    struct pw_strmap m;
    char key[32];
    pw_strmap_init(&m);
    assert_false(pw_strmap_get(&m, "absent", NULL));
    for (int i = 0; i < 10000; i++) {
        (void)snprintf(key, sizeof(key), "person:p-%d", i);
        pw_strmap_put(&m, key, i);
    }
    assert_int_equal(m.count, 10000);
    for (int i = 0; i < 10000; i++) {
        int64_t v = -1;
        (void)snprintf(key, sizeof(key), "person:p-%d", i);
        assert_true(pw_strmap_get(&m, key, &v));
        assert_int_equal(v, i);
    }
    pw_strmap_put(&m, "person:p-5", 55);
    int64_t v = 0;
    assert_true(pw_strmap_get(&m, "person:p-5", &v));
    assert_int_equal(v, 55);
    assert_int_equal(m.count, 10000);
    assert_false(pw_strmap_get(&m, "person:p-10000", NULL));
    pw_strmap_release(&m);
    assert_false(pw_strmap_get(&m, "person:p-1", NULL));
}

static void
error_keeps_the_first_failure(void **state)
{
    (void)state;
    struct pw_error err = { 0 };
    pw_error_field(&err, "$.ignored"); /* no failure yet: nothing to annotate */
    assert_string_equal(err.field, "");
    assert_int_equal(pw_fail(&err, PW_EINVAL, "bad %s", "date"), PW_EINVAL);
    assert_int_equal(pw_fail(&err, PW_EDB, "later"), PW_EDB);
    assert_int_equal(err.code, PW_EINVAL);
    assert_string_equal(err.msg, "bad date");
    pw_error_field(&err, "$.at");
    pw_error_field(&err, "$.other");
    assert_string_equal(err.field, "$.at");
    pw_error_line(&err, 7);
    pw_error_line(&err, 9);
    assert_int_equal(err.line, 7);
    assert_int_equal(pw_fail(NULL, PW_ENOTFOUND, "no error record"), PW_ENOTFOUND);
    pw_error_clear(&err);
    assert_int_equal(err.code, PW_OK);
}

static void
status_table_maps_codes(void **state)
{
    (void)state;
    assert_string_equal(pw_status_name(PW_EINVAL), "EINVAL");
    assert_int_equal(pw_status_http(PW_EBLOCKED), 422);
    assert_int_equal(pw_status_http(PW_ENOTFOUND), 404);
    assert_int_equal(pw_status_exit(PW_OK), 0);
    assert_int_equal(pw_status_exit(PW_EINTEGRITY), 1);
    assert_int_equal(pw_status_exit(PW_EUSAGE), 2);
    assert_int_equal(pw_status_exit(PW_EINVAL), 3);
    assert_string_equal(pw_status_text(PW_ECONFLICT), "conflict");
}

static void
random_ids_are_hex_prefixed_and_distinct(void **state)
{
    (void)state;
    struct pw_strmap seen;
    char id[64];
    pw_strmap_init(&seen);
    for (int i = 0; i < 10000; i++) {
        pw_id_random(id, sizeof(id), "s-");
        assert_int_equal(strlen(id), 2 + 32);
        assert_true(strncmp(id, "s-", 2) == 0);
        assert_int_equal(strspn(id + 2, "0123456789abcdef"), 32);
        assert_false(pw_strmap_get(&seen, id, NULL));
        pw_strmap_put(&seen, id, i);
    }
    pw_id_random(id, sizeof(id), NULL);
    assert_int_equal(strlen(id), 32);
    pw_strmap_release(&seen);
}

static void
rng_reproduces_and_stays_in_range(void **state)
{
    (void)state;
    struct pw_rng a;
    struct pw_rng b;
    pw_rng_seed(&a, 42);
    pw_rng_seed(&b, 42);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(pw_rng_next(&a), pw_rng_next(&b));
    }
    pw_rng_seed(&b, 43);
    assert_int_not_equal(pw_rng_next(&a), pw_rng_next(&b));
    pw_rng_seed(&a, 0);
    assert_int_not_equal(a.s, 0);
    int seen[7] = { 0 };
    for (int i = 0; i < 7000; i++) {
        int64_t v = pw_rng_range(&a, -3, 3);
        assert_true(v >= -3 && v <= 3);
        seen[v + 3]++;
    }
    for (int i = 0; i < 7; i++) {
        assert_true(seen[i] > 800 && seen[i] < 1200); /* roughly uniform */
    }
    int hits = 0;
    for (int i = 0; i < 10000; i++) {
        hits += pw_rng_chance(&a, 30) ? 1 : 0;
    }
    assert_true(hits > 2700 && hits < 3300);
    assert_int_equal(pw_rng_range(&a, 5, 5), 5);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_grows_and_stays_terminated),
        cmocka_unit_test(buf_long_format_goes_through_the_slow_path),
        cmocka_unit_test(buf_cap_is_sticky_and_reported),
        cmocka_unit_test(buf_json_escaping),
        cmocka_unit_test(slices_compare),
        cmocka_unit_test(arena_allocates_aligned_zeroed_and_cleans_up),
        cmocka_unit_test(strmap_puts_gets_and_grows),
        cmocka_unit_test(error_keeps_the_first_failure),
        cmocka_unit_test(status_table_maps_codes),
        cmocka_unit_test(random_ids_are_hex_prefixed_and_distinct),
        cmocka_unit_test(rng_reproduces_and_stays_in_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
