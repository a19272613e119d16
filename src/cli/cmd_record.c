/*
 * `pathway record [--as USER] FILE|-`: JSON lines in, all recorded or none. Every line is
 * parsed and validated before the store is touched, and every bad line is reported (up to a
 * limit) so a user mends a file in one pass; then the store checks the batch as a whole in one
 * transaction.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/time.h"

#define MAX_REPORTED 20

static const char usage[] =
    "usage: pathway record [--as USER] FILE|-\n"
    "\n"
    "Records the facts in FILE (or standard input), one JSON object a line, as the data\n"
    "contract describes (shared/design/facts.md). Every line is checked first; if any is\n"
    "wrong nothing is recorded and each error names the line, the JSON path and what is\n"
    "wrong. A fact whose id is already recorded with the same content is skipped, so a\n"
    "file can be recorded again safely. Blank lines are ignored.\n"
    "\n"
    "  --as USER   the recording user, set as each fact's `by` (default: PATHWAY_USER);\n"
    "              a fact that names a different `by` is refused\n";

struct batch {
    struct pw_fact *facts;
    long *lines;
    size_t count, cap;
};

static void
batch_push(struct batch *b, const struct pw_fact *f, long line)
{
    if (b->count == b->cap) {
        b->cap = b->cap == 0 ? 256 : pw_mul_size(b->cap, 2);
        b->facts = pw_xrealloc(b->facts, pw_mul_size(b->cap, sizeof(*b->facts)));
        b->lines = pw_xrealloc(b->lines, pw_mul_size(b->cap, sizeof(*b->lines)));
    }
    b->facts[b->count] = *f;
    b->lines[b->count] = line;
    b->count++;
}

static void
batch_release(struct batch *b)
{
    for (size_t i = 0; i < b->count; i++) {
        pw_fact_release(&b->facts[i]);
    }
    free(b->facts);
    free(b->lines);
}

static bool
blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') {
            return false;
        }
    }
    return true;
}

/* Parses every line; returns the number of bad lines (0: all good). */
static size_t
parse_lines(struct pw__cli *cli, FILE *in, const struct pw_fact_parse_opts *opts, struct batch *b,
            struct pw_error *err)
{
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    size_t bad = 0;
    ssize_t n;
    errno = 0;
    while ((n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        if (blank(line, (size_t)n)) {
            continue;
        }
        struct pw_fact f = { 0 };
        struct pw_error e = { 0 };
        if (pw_fact_parse(line, (size_t)n, opts, &f, &e) == PW_OK) {
            batch_push(b, &f, lineno);
            continue;
        }
        if (bad < MAX_REPORTED) {
            pw_error_line(&e, lineno);
            pw__cli_print_error(cli, &e);
        }
        if (bad == 0) {
            *err = e;
            pw_error_line(err, lineno);
        }
        bad++;
    }
    if (ferror(in)) {
        char why[128];
        pw_fail(err, PW_EIO, "could not read the input: %s", pw_strerror(errno, why, sizeof(why)));
        bad++;
    }
    free(line);
    if (bad > MAX_REPORTED) {
        (void)fprintf(cli->errs, "pathway record: ... and %zu more bad lines\n",
                      bad - MAX_REPORTED);
    }
    return bad;
}

static enum pw_status
record_batch(struct pw__cli *cli, struct batch *b, struct pw_error *err)
{
    struct pw_store *s = NULL;
    struct pw_record_outcome out;
    enum pw_status rc = pw__cli_open(cli, 0, &s, err);
    if (rc != PW_OK) {
        return rc;
    }
    rc = pw_store_record(s, b->facts, b->count, &out, err);
    if (rc != PW_OK && out.failed < b->count) {
        pw_error_line(err, b->lines[out.failed]);
    }
    if (rc == PW_OK) {
        (void)fprintf(cli->out, "recorded %zu fact%s", out.recorded, out.recorded == 1 ? "" : "s");
        if (out.unchanged > 0) {
            (void)fprintf(cli->out, "; %zu already recorded, unchanged", out.unchanged);
        }
        if (out.recorded > 0) {
            (void)fprintf(cli->out, "; the log is at %lld", (long long)out.last_seq);
        }
        (void)fputc('\n', cli->out);
    } else if (out.outcome_unknown) {
        /*
         * Never say "nothing was recorded" when that is not known: someone would enter the
         * facts again under new ids, and a child's record would hold them twice.
         */
        pw__cli_print_error(cli, err);
        (void)fprintf(cli->errs,
                      "pathway record: the database did not confirm the commit, so these facts "
                      "may or may not be recorded: record the same file again (facts already "
                      "recorded are skipped, so nothing is recorded twice)\n");
        cli->reported = true;
    } else {
        pw__cli_print_error(cli, err);
        (void)fprintf(cli->errs, "pathway record: nothing was recorded\n");
        cli->reported = true;
    }
    pw_store_close(s);
    return rc;
}

enum pw_status
pw__cmd_record(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    /* The CLI reads its environment before any thread exists. */
    const char *as = getenv("PATHWAY_USER"); /* NOLINT(concurrency-mt-unsafe) */
    const struct pw__opt opts[] = { { "--as", &as, NULL }, { NULL, NULL, NULL } };
    const char *pos[1];
    int npos = 0;
    struct batch b = { 0 };
    FILE *in = NULL;
    struct pw_fact_parse_opts popts = { NULL, pw_time_now_us() };
    size_t bad = 0;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, pos, 1, &npos, err);
    if (rc != PW_OK) {
        goto out;
    }
    if (npos != 1) {
        rc = pw_fail(err, PW_EUSAGE, "name a file of facts, or - for standard input");
        goto out;
    }
    in = strcmp(pos[0], "-") == 0 ? stdin : fopen(pos[0], "r");
    if (in == NULL) {
        char why[128];
        rc = pw_fail(err, PW_EIO, "could not open %s: %s", pos[0],
                     pw_strerror(errno, why, sizeof(why)));
        goto out;
    }
    popts.as_user = as != NULL && as[0] != '\0' ? as : NULL;
    bad = parse_lines(cli, in, &popts, &b, err);
    if (bad > 0) {
        (void)fprintf(cli->errs, "pathway record: %zu bad line%s; nothing was recorded\n", bad,
                      bad == 1 ? "" : "s");
        rc = err->code != PW_OK ? err->code : PW_EINVAL;
        cli->reported = true;
        goto out;
    }
    rc = record_batch(cli, &b, err);
out:
    if (in != NULL && in != stdin) {
        (void)fclose(in);
    }
    batch_release(&b);
    return rc;
}
