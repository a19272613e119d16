/*
 * `pathway synth --children N --seed S --out DIR`: writes a synthetic partnership (the synth
 * module) for demonstrations, tests and linkage benchmarks, and prints what it made.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "synth/synth.h"

static const char usage[] =
    "usage: pathway synth --children N [--seed S] [--error-rate X] [--as-of DATE] --out DIR\n"
    "\n"
    "Writes a synthetic partnership into DIR: feeds/{csc,police,health,education,probation}.csv\n"
    "in each agency's format, truth.csv (which records are the same person), facts.jsonl\n"
    "(safeguarding histories naming the feeds' people) and README.md (what was made). The\n"
    "same options always give the same files. docs/feeds.md describes them.\n"
    "\n"
    "  --children N     children in the partnership (1 to 10000000)\n"
    "  --seed S         the random seed (default 1)\n"
    "  --error-rate X   multiplies every documented error rate (default 1; 0: clean records)\n"
    "  --as-of DATE     the day the extracts are taken (default 2025-09-01)\n"
    "  --out DIR        where to write (made when missing)\n";

static enum pw_status
parse_u64(const char *text, const char *what, uint64_t *out, struct pw_error *err)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-') {
        return pw_fail(err, PW_EUSAGE, "%s takes a whole number, got '%s'", what, text);
    }
    *out = v;
    return PW_OK;
}

enum pw_status
pw__cmd_synth(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    const char *children = NULL;
    const char *seed = "1";
    const char *rate = "1";
    const char *as_of = "2025-09-01";
    const char *dir = NULL;
    const struct pw__opt opts[] = {
        { "--children", &children, NULL }, { "--seed", &seed, NULL },
        { "--error-rate", &rate, NULL },   { "--as-of", &as_of, NULL },
        { "--out", &dir, NULL },           { NULL, NULL, NULL },
    };
    struct pw_synth_opts so = { 0, 0, 1.0, 0 };
    struct pw_synth_stats st;
    char *end = NULL;
    int npos = 0;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, NULL, 0, &npos, err);
    if (rc != PW_OK) {
        return rc;
    }
    if (children == NULL || dir == NULL) {
        return pw_fail(err, PW_EUSAGE, "--children and --out are required");
    }
    rc = parse_u64(children, "--children", &so.children, err);
    if (rc == PW_OK) {
        rc = parse_u64(seed, "--seed", &so.seed, err);
    }
    if (rc != PW_OK) {
        return rc;
    }
    errno = 0;
    so.error_rate = strtod(rate, &end);
    if (errno != 0 || end == rate || *end != '\0') {
        return pw_fail(err, PW_EUSAGE, "--error-rate takes a number, got '%s'", rate);
    }
    rc = pw_date_parse(as_of, strlen(as_of), &so.as_of, err);
    if (rc != PW_OK) {
        pw_error_field(err, "--as-of");
        return rc;
    }
    rc = pw_synth_write(&so, dir, &st, err);
    if (rc != PW_OK) {
        return rc;
    }
    (void)fprintf(cli->out,
                  "wrote %s: %zu people in %zu households (%zu children, %zu adults); "
                  "%zu households known to children's social care, %zu facts of history\n",
                  dir, st.people, st.households, st.children, st.adults, st.concern_households,
                  st.facts);
    (void)fprintf(cli->out, "records:");
    for (int a = 0; a < PW_SYNTH_AGENCIES; a++) {
        (void)fprintf(cli->out, " %s %zu%s", pw_synth_agency_name((enum pw_synth_agency)a),
                      st.records[a], a + 1 < PW_SYNTH_AGENCIES ? "," : "\n");
    }
    (void)fprintf(cli->out,
                  "error rate x%g (docs/feeds.md lists the rates; %s/README.md the counts)\n",
                  so.error_rate, dir);
    return PW_OK;
}
