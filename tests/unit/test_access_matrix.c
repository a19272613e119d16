/*
 * The authorization matrix: one table of action x role x relationship state with the answer
 * the policy must give, checked against pw_access_decide. The states are built directly (the
 * policy is a pure function of them; test_access.c checks they are read right from facts).
 * Every combination must have a row: a new action, role or state without one fails, so the
 * HTTP layer adds its routes here (route -> action) and cannot forget one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "access/access.h"

#define NOW  ((int64_t)1751371200 * 1000000)
#define HOUR ((int64_t)3600 * 1000000)

enum rel {
    REL_NONE,
    REL_ALLOCATED,
    REL_INVOLVEMENT,
    REL_FRONT_DOOR,
    REL_BREAK_GLASS,
    REL_EXPIRED_BREAK_GLASS,
    REL__COUNT
};

static const char *const rel_names[REL__COUNT] = {
    "none", "allocated", "agency involvement", "front door", "break-glass", "expired break-glass",
};

/* Abbreviations keep the table one line a row: A allow with basis, D deny. */
#define D  false, PW_BASIS_NONE
#define AL true, PW_BASIS_ALLOCATED
#define AI true, PW_BASIS_INVOLVEMENT
#define AF true, PW_BASIS_FRONT_DOOR
#define AB true, PW_BASIS_BREAK_GLASS
#define AU true, PW_BASIS_AUDIT
#define AR true, PW_BASIS_ROLE
#define AD true, PW_BASIS_DUTY

struct row {
    enum pw_action action;
    enum pw_role role;
    enum rel rel;
    bool allow;
    enum pw_basis basis;
};

#define PR PW_ROLE_PRACTITIONER
#define MG PW_ROLE_MANAGER
#define FD PW_ROLE_FRONT_DOOR
#define DL PW_ROLE_DATA_LEAD
#define AT PW_ROLE_AUDITOR
#define AM PW_ROLE_ADMINISTRATOR

/* Reading and writing a child's record follow the same grounds. */
#define CASE_ROWS(act)                                                                           \
 { act, PR, REL_NONE, D }, { act, PR, REL_ALLOCATED, AL }, { act, PR, REL_INVOLVEMENT, AI },     \
     { act, PR, REL_FRONT_DOOR, D }, { act, PR, REL_BREAK_GLASS, AB },                           \
     { act, PR, REL_EXPIRED_BREAK_GLASS, D }, { act, MG, REL_NONE, D },                          \
     { act, MG, REL_ALLOCATED, AL }, { act, MG, REL_INVOLVEMENT, AI },                           \
     { act, MG, REL_FRONT_DOOR, D }, { act, MG, REL_BREAK_GLASS, AB },                           \
     { act, MG, REL_EXPIRED_BREAK_GLASS, D }, { act, FD, REL_NONE, D },                          \
     { act, FD, REL_ALLOCATED,                                                                   \
       AL }, /* the front door does not read by its agency's involvement: only while triaging */ \
     { act, FD, REL_INVOLVEMENT, D }, { act, FD, REL_FRONT_DOOR, AF },                           \
     { act, FD, REL_BREAK_GLASS, AB }, { act, FD, REL_EXPIRED_BREAK_GLASS, D },                  \
     { act, DL, REL_NONE, D }, { act, DL, REL_ALLOCATED, D }, { act, DL, REL_INVOLVEMENT, D },   \
     { act, DL, REL_FRONT_DOOR, D }, { act, DL, REL_BREAK_GLASS, D },                            \
     { act, DL, REL_EXPIRED_BREAK_GLASS, D }, { act, AM, REL_NONE, D },                          \
     { act, AM, REL_ALLOCATED, D }, { act, AM, REL_INVOLVEMENT, D },                             \
     { act, AM, REL_FRONT_DOOR, D }, { act, AM, REL_BREAK_GLASS, D },                            \
 {                                                                                               \
  act, AM, REL_EXPIRED_BREAK_GLASS, D                                                            \
 }

/* An action that depends on the role alone. */
#define ROLE_ROWS(act, role, ...)                                                             \
 { act, role, REL_NONE, __VA_ARGS__ }, { act, role, REL_ALLOCATED, __VA_ARGS__ },             \
     { act, role, REL_INVOLVEMENT, __VA_ARGS__ }, { act, role, REL_FRONT_DOOR, __VA_ARGS__ }, \
     { act, role, REL_BREAK_GLASS, __VA_ARGS__ },                                             \
 {                                                                                            \
  act, role, REL_EXPIRED_BREAK_GLASS, __VA_ARGS__                                             \
 }

static const struct row matrix[] = {
    CASE_ROWS(PW_ACTION_READ_RECORD),
    /* Auditors read every record, pseudonymised. */
    ROLE_ROWS(PW_ACTION_READ_RECORD, AT, AU),
    CASE_ROWS(PW_ACTION_WRITE_FACT),
    ROLE_ROWS(PW_ACTION_WRITE_FACT, AT, D),
    /* Anyone in a case-working role may raise a concern about any child. */
    ROLE_ROWS(PW_ACTION_RAISE_CONCERN, PR, AD),
    ROLE_ROWS(PW_ACTION_RAISE_CONCERN, MG, AD),
    ROLE_ROWS(PW_ACTION_RAISE_CONCERN, FD, AD),
    ROLE_ROWS(PW_ACTION_RAISE_CONCERN, DL, D),
    ROLE_ROWS(PW_ACTION_RAISE_CONCERN, AT, D),
    ROLE_ROWS(PW_ACTION_RAISE_CONCERN, AM, D),
    ROLE_ROWS(PW_ACTION_BREAK_GLASS, PR, AR),
    ROLE_ROWS(PW_ACTION_BREAK_GLASS, MG, AR),
    ROLE_ROWS(PW_ACTION_BREAK_GLASS, FD, AR),
    ROLE_ROWS(PW_ACTION_BREAK_GLASS, DL, D),
    ROLE_ROWS(PW_ACTION_BREAK_GLASS, AT, D),
    ROLE_ROWS(PW_ACTION_BREAK_GLASS, AM, D),
    ROLE_ROWS(PW_ACTION_MANAGE_USERS, PR, D),
    ROLE_ROWS(PW_ACTION_MANAGE_USERS, MG, D),
    ROLE_ROWS(PW_ACTION_MANAGE_USERS, FD, D),
    ROLE_ROWS(PW_ACTION_MANAGE_USERS, DL, D),
    ROLE_ROWS(PW_ACTION_MANAGE_USERS, AT, D),
    ROLE_ROWS(PW_ACTION_MANAGE_USERS, AM, AR),
    ROLE_ROWS(PW_ACTION_READ_ACCESS_LOG, PR, D),
    ROLE_ROWS(PW_ACTION_READ_ACCESS_LOG, MG, D),
    ROLE_ROWS(PW_ACTION_READ_ACCESS_LOG, FD, D),
    ROLE_ROWS(PW_ACTION_READ_ACCESS_LOG, DL, AR),
    ROLE_ROWS(PW_ACTION_READ_ACCESS_LOG, AT, D),
    ROLE_ROWS(PW_ACTION_READ_ACCESS_LOG, AM, D),
    ROLE_ROWS(PW_ACTION_REVIEW_BREAK_GLASS, PR, D),
    ROLE_ROWS(PW_ACTION_REVIEW_BREAK_GLASS, MG, D),
    ROLE_ROWS(PW_ACTION_REVIEW_BREAK_GLASS, FD, D),
    ROLE_ROWS(PW_ACTION_REVIEW_BREAK_GLASS, DL, AR),
    ROLE_ROWS(PW_ACTION_REVIEW_BREAK_GLASS, AT, D),
    ROLE_ROWS(PW_ACTION_REVIEW_BREAK_GLASS, AM, D),
};

#define N_ROWS (sizeof(matrix) / sizeof(matrix[0]))

static struct pw_access_allocation alloc_me = { "me", "csc", "allocated_worker", "a-1" };
static struct pw_access_involvement inv_mine = { "csc", "episode", "e-1" };
static char triage[1][PW_ID_MAX + 1] = { "k-1" };
static struct pw_access_grant grant_now = { "bg-1", "me", NOW - HOUR, NOW + HOUR };
static struct pw_access_grant grant_old = { "bg-0", "me", NOW - 6 * HOUR, NOW - 2 * HOUR };

/* The child's record state in relationship r to user "me" of csc. */
static struct pw_access_state
state_of(enum rel r)
{
    struct pw_access_state st;
    memset(&st, 0, sizeof(st));
    (void)snprintf(st.child, sizeof(st.child), "%s", "c-1");
    st.known = true;
    switch (r) {
    case REL_ALLOCATED:
        st.allocations = &alloc_me;
        st.nallocations = 1;
        break;
    case REL_INVOLVEMENT:
        st.involvements = &inv_mine;
        st.ninvolvements = 1;
        break;
    case REL_FRONT_DOOR:
        st.triage = triage;
        st.ntriage = 1;
        break;
    case REL_BREAK_GLASS:
        st.grants = &grant_now;
        st.ngrants = 1;
        break;
    case REL_EXPIRED_BREAK_GLASS:
        st.grants = &grant_old;
        st.ngrants = 1;
        break;
    case REL_NONE:
    case REL__COUNT:
        break;
    }
    return st;
}

static void
test_matrix(void **state)
{
    (void)state;
    static bool seen[PW_ACTION__COUNT][PW_ROLE__COUNT][REL__COUNT];
    size_t failures = 0;
    for (size_t i = 0; i < N_ROWS; i++) {
        const struct row *r = &matrix[i];
        if (seen[r->action][r->role][r->rel]) {
            print_error("row %zu repeats %s/%s/%s\n", i, pw_action_name(r->action),
                        pw_role_name(r->role), rel_names[r->rel]);
            failures++;
        }
        seen[r->action][r->role][r->rel] = true;
        struct pw_user u = { .id = "me", .agency = "csc", .role = r->role };
        struct pw_access_state st = state_of(r->rel);
        struct pw_access_decision d = pw_access_decide(&u, r->action, &st, NOW);
        if (d.allow != r->allow || d.basis != r->basis) {
            print_error("%s by %s with %s: got %s (%s), table says %s (%s)\n",
                        pw_action_name(r->action), pw_role_name(r->role), rel_names[r->rel],
                        d.allow ? "allow" : "deny", pw_basis_name(d.basis),
                        r->allow ? "allow" : "deny", pw_basis_name(r->basis));
            failures++;
        }
        if (!d.allow && (d.reason == NULL || d.reason[0] == '\0')) {
            print_error("a denial without a reason to show\n");
            failures++;
        }
        /* A disabled user is refused everything, whatever the table says. */
        u.disabled = true;
        if (pw_access_decide(&u, r->action, &st, NOW).allow) {
            print_error("%s allowed to a disabled %s\n", pw_action_name(r->action),
                        pw_role_name(r->role));
            failures++;
        }
    }
    for (int a = 0; a < PW_ACTION__COUNT; a++) {
        for (int ro = 0; ro < PW_ROLE__COUNT; ro++) {
            for (int re = 0; re < REL__COUNT; re++) {
                if (!seen[a][ro][re]) {
                    print_error("no row for %s by %s with %s\n", pw_action_name((enum pw_action)a),
                                pw_role_name((enum pw_role)ro), rel_names[re]);
                    failures++;
                }
            }
        }
    }
    assert_int_equal(failures, 0);
}

/* Someone else's grant or allocation is no ground; an unknown child is no ground. */
static void
test_not_mine(void **state)
{
    (void)state;
    struct pw_user u = { .id = "other", .agency = "police", .role = PW_ROLE_PRACTITIONER };
    for (int r = 0; r < REL__COUNT; r++) {
        struct pw_access_state st = state_of((enum rel)r);
        assert_false(pw_access_decide(&u, PW_ACTION_READ_RECORD, &st, NOW).allow);
        st.known = false;
        struct pw_user me = { .id = "me", .agency = "csc", .role = PW_ROLE_PRACTITIONER };
        assert_false(pw_access_decide(&me, PW_ACTION_READ_RECORD, &st, NOW).allow);
    }
    assert_false(pw_access_decide(&u, PW_ACTION_READ_RECORD, NULL, NOW).allow);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_not_mine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
