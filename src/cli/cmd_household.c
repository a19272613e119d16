/* `pathway household PERSON [--on DATE] [--all]`: who lived with a person, and where. */
#include "cli/cli.h"

#include <string.h>

#include "core/time.h"

static const char usage[] =
    "usage: pathway household PERSON [--on DATE | --all]\n"
    "\n"
    "Lists who lived at the same address as PERSON on DATE (default: today in England),\n"
    "the person first, with the address and the period they shared it, and marks anyone\n"
    "about whom a risk of sexual harm is recorded. A residence with no\n"
    "end date is taken as current, and one with no start as going back indefinitely, so\n"
    "nobody who may live with a child is left out.\n"
    "\n"
    "  --on DATE   the date, YYYY-MM-DD\n"
    "  --all       every period of shared residence, over all time\n";

struct hh_ctx {
    FILE *out;
    size_t count;
};

/*
 * One block a person: who, then any warning, then where and when. What matters most for the
 * child (a risk of sexual harm in the household) is on the line after the name, not at the
 * end of a long line.
 */
static enum pw_status
print_member(void *ctx, const struct pw_housemate *h, struct pw_error *err)
{
    (void)err;
    struct hh_ctx *c = ctx;
    c->count++;
    (void)fprintf(c->out, "\n  %-14s %s, %s%s%s\n", h->person,
                  h->name[0] != '\0' ? h->name : "(no name recorded)",
                  h->dob != NULL ? "born " : "date of birth unknown", h->dob != NULL ? h->dob : "",
                  h->is_self ? " (this person)" : "");
    if (h->sexual_risk) {
        (void)fprintf(c->out,
                      "  %-14s ! a risk of sexual harm is recorded: pathway facts --person %s "
                      "--type risk.recorded\n",
                      "", h->person);
    }
    (void)fprintf(c->out, "  %-14s %s%s%s%s%s, %s %s%s%s\n", "", h->line1 != NULL ? h->line1 : "",
                  h->town != NULL ? ", " : "", h->town != NULL ? h->town : "",
                  h->postcode != NULL ? " " : "", h->postcode != NULL ? h->postcode : "",
                  h->since != NULL ? "from" : "from an unknown date",
                  h->since != NULL ? h->since : "", h->until != NULL ? " to " : "",
                  h->until != NULL ? h->until : "");
    if (h->unmatched) {
        (void)fprintf(c->out,
                      "  %-14s ! this address has no postcode, town or UPRN, so nobody else "
                      "recorded there can be matched to it: correct the residence with the "
                      "postcode\n",
                      "");
    }
    return PW_OK;
}

enum pw_status
pw__cmd_household(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    const char *on = NULL;
    bool all = false;
    const struct pw__opt opts[] = { { "--on", &on, NULL },
                                    { "--all", NULL, &all },
                                    { NULL, NULL, NULL } };
    const char *pos[1];
    int npos = 0;
    struct pw_store *s = NULL;
    int32_t day = pw_time_uk_date(pw_time_now_us());
    struct hh_ctx c = { .out = cli->out };
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, pos, 1, &npos, err);
    if (rc == PW_OK && npos != 1) {
        rc = pw_fail(err, PW_EUSAGE, "name the person: pathway household PERSON");
    }
    if (rc == PW_OK && on != NULL && all) {
        rc = pw_fail(err, PW_EUSAGE, "use --on or --all, not both");
    }
    if (rc == PW_OK && on != NULL) {
        rc = pw_date_parse(on, strlen(on), &day, err);
        pw_error_field(err, "--on");
    }
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK) {
        char day_text[PW_DATE_TEXT_MAX];
        pw_date_format(day, day_text);
        if (all) {
            (void)fprintf(cli->out, "household of %s over time\n", pos[0]);
        } else {
            (void)fprintf(cli->out, "household of %s on %s\n", pos[0], day_text);
        }
        rc = pw_store_household(s, pos[0], day, all, print_member, &c, err);
    }
    if (rc == PW_OK && c.count == 0) {
        (void)fprintf(cli->out, "no residence recorded for %s %s\n", pos[0],
                      all ? "at any time" : "on that date");
    }
    pw_store_close(s);
    return rc;
}
