/*
 * `pathway audit verify|head|who`: prove nobody altered the fact log or the access log; print
 * the fact log's head for anchoring; say who has looked at a child's record, when and why.
 */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: pathway audit verify [--anchor SEQ:HASH]\n"
    "       pathway audit head\n"
    "       pathway audit who CHILD --as DATALEAD\n"
    "\n"
    "verify  recomputes the hash chain of the fact log from the first entry. Exit 0 and the\n"
    "        count when intact; exit 1 and the first broken position when anything was\n"
    "        altered, inserted or removed.\n"
    "        --anchor SEQ:HASH also checks the entry at SEQ has HASH: keep the output of\n"
    "        `audit head` somewhere else (a ticket, an email to the data lead) and a rewrite\n"
    "        of the whole database is caught too.\n"
    "        The access log's chain is verified too, the same way.\n"
    "head    prints the number of entries and the hash of the last one, as SEQ:HASH.\n"
    "who     every entry of the access log about CHILD's record: when, who (agency, role),\n"
    "        what (read, write, break-glass), whether it was allowed, on what basis and why.\n"
    "        Only a data lead may ask (--as or PATHWAY_USER); the asking is logged too.\n";

static enum pw_status
parse_anchor(const char *text, int64_t *seq, char *hash, struct pw_error *err)
{
    const char *colon = strchr(text, ':');
    char *end = NULL;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    if (colon == NULL || end != colon || errno != 0 || n <= 0 || strlen(colon + 1) != 64) {
        return pw_fail(err, PW_EUSAGE, "--anchor takes SEQ:HASH as printed by pathway audit head");
    }
    *seq = n;
    memcpy(hash, colon + 1, 65);
    return PW_OK;
}

static enum pw_status
verify(struct pw__cli *cli, struct pw_store *s, const char *anchor, struct pw_error *err)
{
    int64_t anchor_seq = 0;
    char anchor_hash[65] = "";
    struct pw_verify_result r;
    enum pw_status rc = PW_OK;
    if (anchor != NULL) {
        rc = parse_anchor(anchor, &anchor_seq, anchor_hash, err);
    }
    if (rc == PW_OK) {
        rc = pw_store_verify(s, anchor_seq, anchor_hash, &r, err);
    }
    if (rc != PW_OK) {
        return rc;
    }
    if (r.broken_seq != 0) {
        (void)fprintf(cli->out, "broken at %" PRId64 ": %s\n", r.broken_seq, r.reason);
        (void)fprintf(cli->out, "%" PRId64 " entries verified before it\n", r.count);
        pw_fail(err, PW_EINTEGRITY, "the fact log does not verify: first broken at %" PRId64,
                r.broken_seq);
        return PW_EINTEGRITY;
    }
    (void)fprintf(cli->out, "intact: %" PRId64 " entr%s verified\n", r.count,
                  r.count == 1 ? "y" : "ies");
    rc = pw_store_access_verify(s, &r, err);
    if (rc != PW_OK) {
        return rc;
    }
    if (r.broken_seq != 0) {
        (void)fprintf(cli->out, "access log broken at %" PRId64 ": %s\n", r.broken_seq, r.reason);
        (void)fprintf(cli->out, "%" PRId64 " access log entries verified before it\n", r.count);
        pw_fail(err, PW_EINTEGRITY, "the access log does not verify: first broken at %" PRId64,
                r.broken_seq);
        return PW_EINTEGRITY;
    }
    (void)fprintf(cli->out, "access log intact: %" PRId64 " entr%s verified\n", r.count,
                  r.count == 1 ? "y" : "ies");
    return PW_OK;
}

struct who_ctx {
    FILE *out;
    size_t n;
};

static enum pw_status
print_look(void *ctx, const struct pw_access_entry *e, struct pw_error *err)
{
    (void)err;
    struct who_ctx *w = ctx;
    if (w->n++ == 0) {
        (void)fprintf(w->out, "%-20s %-20s %-10s %-14s %-12s %-8s %s\n", "when (UTC)", "who",
                      "agency", "role", "what", "outcome", "basis: why");
    }
    (void)fprintf(w->out, "%-20.19s %-20s %-10s %-14s %-12s %-8s %s", e->at, e->user,
                  e->agency != NULL ? e->agency : "", e->role != NULL ? e->role : "", e->action,
                  e->outcome != NULL ? e->outcome : "", e->basis != NULL ? e->basis : "");
    if (e->reason != NULL && e->reason[0] != '\0') {
        (void)fprintf(w->out, ": %s", e->reason);
    }
    (void)fputc('\n', w->out);
    return PW_OK;
}

static enum pw_status
who(struct pw__cli *cli, struct pw_store *s, const char *as, const char *child,
    struct pw_error *err)
{
    struct pw_user u;
    struct pw_access_decision d;
    struct who_ctx w = { cli->out, 0 };
    enum pw_status rc = pw__cli_acting_user(cli, s, as, &u, err);
    if (rc == PW_OK) {
        /* Asking who looked is itself a look at the record of who looked: logged first. */
        rc = pw_access_authorize(s, NULL, &u, PW_ACTION_READ_ACCESS_LOG, NULL, "access_log", child,
                                 &d, err);
    }
    if (rc == PW_OK) {
        rc = pw_store_access_entries(s, child, print_look, &w, err);
    }
    if (rc == PW_OK) {
        (void)fprintf(cli->out, "%zu entr%s about %s's record\n", w.n, w.n == 1 ? "y" : "ies",
                      child);
    }
    return rc;
}

enum pw_status
pw__cmd_audit(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    const char *anchor = NULL;
    const char *as = getenv("PATHWAY_USER"); /* NOLINT(concurrency-mt-unsafe) */
    const struct pw__opt opts[] = { { "--anchor", &anchor, NULL },
                                    { "--as", &as, NULL },
                                    { NULL, NULL, NULL } };
    const char *pos[2];
    int npos = 0;
    struct pw_store *s = NULL;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, pos, 2, &npos, err);
    bool is_who = rc == PW_OK && npos >= 1 && strcmp(pos[0], "who") == 0;
    if (rc == PW_OK && is_who && npos != 2) {
        rc = pw_fail(err, PW_EUSAGE, "name the child: pathway audit who CHILD --as DATALEAD");
    } else if (rc == PW_OK && !is_who &&
               (npos != 1 || (strcmp(pos[0], "verify") != 0 && strcmp(pos[0], "head") != 0))) {
        rc = pw_fail(err, PW_EUSAGE, "say pathway audit verify, head or who");
    }
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK && is_who) {
        rc = who(cli, s, as, pos[1], err);
    } else if (rc == PW_OK && strcmp(pos[0], "verify") == 0) {
        rc = verify(cli, s, anchor, err);
    } else if (rc == PW_OK) {
        struct pw_log_head head;
        rc = pw_store_head(s, &head, err);
        if (rc == PW_OK) {
            (void)fprintf(cli->out, "%" PRId64 ":%s\n", head.seq, head.hash);
        }
    }
    pw_store_close(s);
    return rc;
}
