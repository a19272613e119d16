/*
 * `pathway import --agency A FILE.csv`: an agency's extract in, as facts, all or none. The feed
 * module reads and checks every row first (every error by line and column), then compares each
 * record with the store and records what changed (pw_feed_import); this parses the options,
 * reads the file and prints.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/time.h"
#include "feed/feed.h"

static const char usage[] =
    "usage: pathway import --agency AGENCY [--format FORMAT] [--at DATE] [--as USER]\n"
    "                      [--ignore COL,...] [--map THEIRS=OURS,...] [--dob-format iso|dmy]\n"
    "                      [--check] FILE.csv\n"
    "\n"
    "Imports an agency's CSV extract (docs/feeds.md): every row registers a person\n"
    "\"<agency>-<record id>\", with a residence when it has an address and a school for a\n"
    "pupil. Every row is checked first; if any is wrong nothing is recorded and each error\n"
    "names the line and the column. Importing the same file again records nothing new; a\n"
    "later extract records only what changed (a corrected registration supersedes the\n"
    "previous one; a new address is a new residence).\n"
    "\n"
    "  --agency AGENCY   the agency the extract comes from (csc, police, health, education,\n"
    "                    probation; others with --format generic)\n"
    "  --format FORMAT   csc, police, health, education, probation or generic (default: the\n"
    "                    agency's own)\n"
    "  --at DATE         when the facts are recorded as having happened (default: today)\n"
    "  --as USER         the recording user (default: PATHWAY_USER)\n"
    "  --ignore COLS     columns to skip rather than refuse\n"
    "  --map PAIRS       rename the file's columns to the format's (given_name=given_names)\n"
    "  --dob-format F    the generic format's dob column: iso (YYYY-MM-DD, the default) or dmy\n"
    "                    (DD/MM/YYYY)\n"
    "  --check           check the file and say what would be recorded; record nothing\n";

struct import {
    struct pw__cli *cli;
    const char *file; /* as named on the command line */
    size_t reported;
};

static void
on_error(void *ctx, long line, const char *column, const char *msg)
{
    struct import *im = ctx;
    im->reported++;
    if (column != NULL) {
        (void)fprintf(im->cli->errs, "pathway import: %s: line %ld, column %s: %s\n", im->file,
                      line, column, msg);
    } else {
        (void)fprintf(im->cli->errs, "pathway import: %s: line %ld: %s\n", im->file, line, msg);
    }
}

static enum pw_status
read_file(const char *path, char **data, size_t *len, struct pw_error *err)
{
    FILE *in = fopen(path, "rb");
    struct pw_buf b;
    char chunk[65536];
    size_t n;
    char why[128];
    if (in == NULL) {
        return pw_fail(err, PW_EIO, "could not open %s: %s", path,
                       pw_strerror(errno, why, sizeof(why)));
    }
    pw_buf_init(&b, (size_t)2 * 1024 * 1024 * 1024);
    while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0) {
        pw_buf_add(&b, chunk, n);
    }
    enum pw_status rc = PW_OK;
    if (ferror(in)) {
        rc = pw_fail(err, PW_EIO, "could not read %s: %s", path,
                     pw_strerror(errno, why, sizeof(why)));
    } else {
        rc = pw_buf_check(&b, "the file", err);
    }
    (void)fclose(in);
    if (rc != PW_OK) {
        pw_buf_release(&b);
        return rc;
    }
    if (b.ptr == NULL) {
        pw_buf_addc(&b, '\0');
        b.len = 0;
    }
    *data = pw_buf_detach(&b, len);
    return PW_OK;
}

static void
print_summary(struct pw__cli *cli, const char *verb, size_t records, const char *file,
              const char *agency, const struct pw_feed_import *p)
{
    (void)fprintf(cli->out, "%s %zu record%s from %s (agency %s): %zu %s registered", verb, records,
                  records == 1 ? "" : "s", file, agency, p->registered,
                  p->registered == 1 ? "person" : "people");
    if (p->corrected > 0) {
        (void)fprintf(cli->out, ", %zu registration%s corrected", p->corrected,
                      p->corrected == 1 ? "" : "s");
    }
    (void)fprintf(cli->out, ", %zu residence%s, %zu school%s; %zu unchanged\n", p->residences,
                  p->residences == 1 ? "" : "s", p->schools, p->schools == 1 ? "" : "s",
                  p->unchanged);
}

static enum pw_status
import_batch(struct pw__cli *cli, struct import *im, struct pw_feed_batch *b,
             const struct pw_fact_parse_opts *po, const char *agency, bool check,
             struct pw_error *err)
{
    struct pw_store *s = NULL;
    struct pw_feed_import sum = { 0 };
    enum pw_status rc = pw__cli_open(cli, 0, &s, err);
    if (rc == PW_OK) {
        rc = pw_feed_import(s, b, po, check, &sum, err);
    }
    if (rc == PW_OK) {
        print_summary(cli, check ? "would import" : "imported", b->count, im->file, agency, &sum);
    } else if (s != NULL) {
        pw__cli_print_error(cli, err);
        if (sum.outcome_unknown) {
            (void)fprintf(cli->errs,
                          "pathway import: the database did not confirm the commit, so these "
                          "facts may or may not be recorded: import the same file again (what is "
                          "already recorded is skipped)\n");
        } else {
            (void)fprintf(cli->errs, "pathway import: %s: nothing was recorded\n", im->file);
        }
        cli->reported = true;
    }
    pw_store_close(s);
    return rc;
}

enum pw_status
pw__cmd_import(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    /* The CLI reads its environment before any thread exists. */
    const char *as = getenv("PATHWAY_USER"); /* NOLINT(concurrency-mt-unsafe) */
    const char *agency = NULL;
    const char *format = NULL;
    const char *at = NULL;
    const char *ignore = NULL;
    const char *map = NULL;
    const char *dob_format = NULL;
    bool check = false;
    const struct pw__opt opts[] = {
        { "--as", &as, NULL },
        { "--agency", &agency, NULL },
        { "--format", &format, NULL },
        { "--at", &at, NULL },
        { "--ignore", &ignore, NULL },
        { "--map", &map, NULL },
        { "--dob-format", &dob_format, NULL },
        { "--check", NULL, &check },
        { NULL, NULL, NULL },
    };
    const char *pos[1];
    int npos = 0;
    char *data = NULL;
    size_t len = 0;
    struct pw_feed_batch batch = { 0 };
    struct import im = { cli, NULL, 0 };
    char at_text[PW_WHEN_TEXT_MAX];
    struct pw_feed_opts fo;
    const char *slash = NULL;
    struct pw_fact_parse_opts po = { NULL, 0 };
    memset(&fo, 0, sizeof(fo));
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, pos, 1, &npos, err);
    if (rc != PW_OK) {
        goto out;
    }
    if (npos != 1) {
        rc = pw_fail(err, PW_EUSAGE, "name the CSV file to import");
        goto out;
    }
    if (agency == NULL) {
        rc = pw_fail(err, PW_EUSAGE, "--agency is required: the agency the extract comes from");
        goto out;
    }
    if (as == NULL || as[0] == '\0') {
        rc = pw_fail(err, PW_EUSAGE, "name the recording user with --as USER or PATHWAY_USER");
        goto out;
    }
    if (dob_format != NULL && strcmp(dob_format, "iso") != 0 && strcmp(dob_format, "dmy") != 0) {
        rc = pw_fail(err, PW_EUSAGE, "--dob-format is iso or dmy");
        goto out;
    }
    if (at != NULL) {
        struct pw_when w = { 0, false };
        rc = pw_when_parse(at, strlen(at), &w, err);
        if (rc != PW_OK) {
            pw_error_field(err, "--at");
            goto out;
        }
        pw_when_format(&w, at_text);
    } else {
        pw_date_format(pw_time_uk_date(pw_time_now_us()), at_text);
    }
    im.file = pos[0];
    rc = read_file(pos[0], &data, &len, err);
    if (rc != PW_OK) {
        goto out;
    }
    slash = strrchr(pos[0], '/');
    fo.agency = agency;
    fo.format = format;
    fo.file = slash != NULL ? slash + 1 : pos[0];
    fo.at = at_text;
    fo.by = as;
    fo.ignore = ignore;
    fo.map = map;
    fo.dob_format =
        dob_format != NULL && strcmp(dob_format, "dmy") == 0 ? PW_FEED_DATE_DMY : PW_FEED_DATE_ISO;
    fo.now_us = pw_time_now_us();
    rc = pw_feed_read(&fo, data, len, on_error, &im, &batch, err);
    if (rc == PW_EINVAL) {
        if (batch.errors > im.reported) {
            (void)fprintf(cli->errs, "pathway import: %s: ... and %zu more errors\n", im.file,
                          batch.errors - im.reported);
        }
        (void)fprintf(cli->errs, "pathway import: %s: %zu error%s; nothing was recorded\n", im.file,
                      batch.errors, batch.errors == 1 ? "" : "s");
        cli->reported = true;
        goto out;
    }
    if (rc != PW_OK) {
        goto out;
    }
    po.as_user = as;
    po.now_us = fo.now_us;
    rc = import_batch(cli, &im, &batch, &po, agency, check, err);
out:
    pw_feed_batch_release(&batch);
    free(data);
    return rc;
}
