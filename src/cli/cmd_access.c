/*
 * `pathway access check|break-glass`: what the access policy says about a user and a child's
 * record, and emergency access with a written reason that the data lead reviews. Also the
 * helper the read commands use to put a look at a child's record on the access log.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/time.h"

static const char usage[] =
    "usage: pathway access check USER CHILD [--action ACTION]\n"
    "       pathway access break-glass --as USER --child CHILD --reason \"...\" [--hours N]\n"
    "       pathway access break-glass list [--all] --as DATALEAD\n"
    "       pathway access break-glass review ID --as DATALEAD (--justified|--not-justified)\n"
    "                                           [--note \"...\"]\n"
    "\n"
    "check        prints the policy's decision for USER and CHILD's record (ACTION: read_record\n"
    "             by default, or write_fact, break_glass) and its basis: allocated,\n"
    "             agency_involvement, front_door, break_glass, audit, or none with the reason.\n"
    "             Exit 0 when allowed, 8 when refused. A check reads no record: it is not logged.\n"
    "break-glass  emergency access to a child's record for N hours (default 4, at most 24)\n"
    "             with a reason of at least 20 characters; logged at once and listed for the\n"
    "             data lead until reviewed.\n"
    "list         the grants awaiting review (--all: every grant).\n"
    "review       the data lead's verdict on a grant, with an optional note.\n";

enum pw_status
pw__cli_acting_user(struct pw__cli *cli, struct pw_store *s, const char *as, struct pw_user *out,
                    struct pw_error *err)
{
    (void)cli;
    if (as == NULL || as[0] == '\0') {
        return pw_fail(err, PW_EUSAGE, "say who is acting: --as USER or PATHWAY_USER");
    }
    struct pw_error lookup = { 0 };
    enum pw_status rc = pw_access_user_get(s, as, out, &lookup);
    if (rc == PW_ENOTFOUND || (rc == PW_OK && out->disabled)) {
        return pw_fail(err, PW_EAUTH, "%s is not an enabled user (pathway user list)", as);
    }
    if (rc != PW_OK) {
        *err = lookup;
    }
    return rc;
}

enum pw_status
pw__cli_log_read(struct pw__cli *cli, struct pw_store *s, const char *as, const char *child,
                 struct pw_user *user, bool *acting, struct pw_access_decision *d,
                 struct pw_error *err)
{
    if (as == NULL) {
        as = getenv("PATHWAY_USER"); /* NOLINT(concurrency-mt-unsafe) */
    }
    *acting = as != NULL && as[0] != '\0';
    if (!*acting) {
        return PW_OK;
    }
    enum pw_status rc = pw__cli_acting_user(cli, s, as, user, err);
    if (rc == PW_OK) {
        rc = pw_access_authorize(s, NULL, user, PW_ACTION_READ_RECORD, child, "child", child, d,
                                 err);
    }
    return rc;
}

static enum pw_status
check(struct pw__cli *cli, struct pw_store *s, const char *user, const char *child,
      const char *action_text, struct pw_error *err)
{
    struct pw_user u;
    struct pw_access_state st;
    enum pw_action action = PW_ACTION_READ_RECORD;
    if (action_text != NULL && !pw_action_parse(action_text, &action)) {
        return pw_fail(err, PW_EUSAGE,
                       "unknown action %.40s: read_record, write_fact, raise_concern, "
                       "break_glass, manage_users, read_access_log or review_break_glass",
                       action_text);
    }
    enum pw_status rc = pw_access_user_get(s, user, &u, err);
    if (rc != PW_OK) {
        return rc;
    }
    int64_t now = pw_time_now_us();
    rc = pw_access_state_load(s, child, now, &st, err);
    if (rc == PW_OK) {
        struct pw_access_decision d = pw_access_decide(&u, action, &st, now);
        (void)fprintf(cli->out, "%s %s %s: %s\nbasis: %s\n", user, pw_action_name(action), child,
                      d.allow ? "allowed" : "refused", pw_basis_name(d.basis));
        if (d.allow && d.detail[0] != '\0') {
            (void)fprintf(cli->out, "because: %s\n", d.detail);
        }
        if (d.allow) {
            (void)fprintf(cli->out, "view: %s\n",
                          d.view == PW_VIEW_PSEUDONYMISED ? "pseudonymised" : "full");
        } else {
            (void)fprintf(cli->out, "reason: %s\n", d.reason);
            rc = pw_fail(err, PW_EFORBIDDEN, "%s may not %s %s's record", user,
                         pw_action_name(action), child);
            cli->reported = true;
        }
    }
    pw_access_state_release(&st);
    return rc;
}

static enum pw_status
print_grant(void *ctx, const struct pw_grant_row *g, struct pw_error *err)
{
    (void)err;
    FILE *out = ctx;
    (void)fprintf(out, "%s  %s (%s) on %s, %.16s to %.16s%s%s\n", g->id, g->user, g->agency,
                  g->child, g->granted_at, g->expires_at,
                  g->reviewed_at != NULL ? "  reviewed: " : "  awaiting review",
                  g->review_outcome != NULL ? g->review_outcome : "");
    (void)fprintf(out, "    reason: %s\n", g->reason);
    if (g->review_note != NULL && g->review_note[0] != '\0') {
        (void)fprintf(out, "    note by %s: %s\n", g->reviewed_by, g->review_note);
    }
    return PW_OK;
}

struct glass_opts {
    const char *as, *child, *reason, *hours, *note;
    bool all, justified, not_justified;
};

static enum pw_status
break_glass(struct pw__cli *cli, struct pw_store *s, const char **pos, int npos,
            const struct glass_opts *g, struct pw_error *err)
{
    struct pw_user u;
    enum pw_status rc = pw__cli_acting_user(cli, s, g->as, &u, err);
    const char *sub = npos > 1 ? pos[1] : NULL;
    if (rc != PW_OK) {
        return rc;
    }
    if (sub != NULL && strcmp(sub, "list") == 0) {
        struct pw_access_decision d;
        rc = pw_access_authorize(s, NULL, &u, PW_ACTION_REVIEW_BREAK_GLASS, NULL, "break_glass",
                                 g->all ? "all" : "unreviewed", &d, err);
        if (rc == PW_OK) {
            rc = pw_store_grants(s, g->all ? PW_GRANTS_ALL : PW_GRANTS_UNREVIEWED, NULL,
                                 print_grant, cli->out, err);
        }
        return rc;
    }
    if (sub != NULL && strcmp(sub, "review") == 0) {
        if (npos != 3 || g->justified == g->not_justified) {
            return pw_fail(err, PW_EUSAGE,
                           "pathway access break-glass review ID --as DATALEAD "
                           "(--justified|--not-justified)");
        }
        rc = pw_access_break_glass_review(s, NULL, &u, pos[2], g->justified, g->note, err);
        if (rc == PW_OK) {
            (void)fprintf(cli->out, "reviewed %s: %s\n", pos[2],
                          g->justified ? "justified" : "not justified");
        }
        return rc;
    }
    if (sub != NULL || g->child == NULL || g->reason == NULL) {
        return pw_fail(err, PW_EUSAGE,
                       "pathway access break-glass --as USER --child CHILD --reason \"...\"");
    }
    long hours = 0;
    if (g->hours != NULL) {
        char *end = NULL;
        errno = 0;
        hours = strtol(g->hours, &end, 10);
        if (errno != 0 || end == g->hours || *end != '\0' || hours < 1 ||
            hours > PW_BREAK_GLASS_HOURS_MAX) {
            return pw_fail(err, PW_EUSAGE, "--hours takes a whole number from 1 to %d",
                           PW_BREAK_GLASS_HOURS_MAX);
        }
    }
    char id[40];
    rc = pw_access_break_glass(s, NULL, &u, g->child, g->reason, (int)hours, id, err);
    if (rc == PW_OK) {
        (void)fprintf(cli->out, "break-glass %s: %s may read %s's record for %ld hours\n", id, u.id,
                      g->child, hours > 0 ? hours : (long)PW_BREAK_GLASS_HOURS);
        (void)fprintf(cli->out, "logged and sent to the data lead for review\n");
    }
    return rc;
}

enum pw_status
pw__cmd_access(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    struct glass_opts g = { 0 };
    const char *action = NULL;
    g.as = getenv("PATHWAY_USER"); /* NOLINT(concurrency-mt-unsafe) */
    const struct pw__opt opts[] = { { "--as", &g.as, NULL },
                                    { "--child", &g.child, NULL },
                                    { "--reason", &g.reason, NULL },
                                    { "--hours", &g.hours, NULL },
                                    { "--note", &g.note, NULL },
                                    { "--action", &action, NULL },
                                    { "--all", NULL, &g.all },
                                    { "--justified", NULL, &g.justified },
                                    { "--not-justified", NULL, &g.not_justified },
                                    { NULL, NULL, NULL } };
    const char *pos[3];
    int npos = 0;
    struct pw_store *s = NULL;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, pos, 3, &npos, err);
    const char *sub = npos > 0 ? pos[0] : "";
    if (rc == PW_OK && strcmp(sub, "check") != 0 && strcmp(sub, "break-glass") != 0) {
        rc = pw_fail(err, PW_EUSAGE, "say pathway access check or pathway access break-glass");
    } else if (rc == PW_OK && strcmp(sub, "check") == 0 && npos != 3) {
        rc = pw_fail(err, PW_EUSAGE, "pathway access check USER CHILD");
    }
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK && strcmp(sub, "check") == 0) {
        rc = check(cli, s, pos[1], pos[2], action, err);
    } else if (rc == PW_OK) {
        rc = break_glass(cli, s, pos, npos, &g, err);
    }
    pw_store_close(s);
    return rc;
}
