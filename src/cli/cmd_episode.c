/*
 * `pathway episode EPISODE [--now DATE] [--json]`: where an episode is on the pathway and
 * every deadline its course has started, most urgent first, as a team manager reads it. The
 * pathway module (src/pathway/episode.c) derives the stage and the steps; this file only lays
 * them out. The timescales are the configuration's (PATHWAY_CONFIG, else the defaults).
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/time.h"
#include "pathway/pathway.h"

static const char usage[] =
    "usage: pathway episode EPISODE [--now DATE] [--json]\n"
    "\n"
    "An episode's children, its stage on the pathway (concern, referral decision, strategy\n"
    "discussion, section 47 enquiry or assessment, initial conference, plan, core groups and\n"
    "reviews, closed; or early help, no further action), then each step its course has made\n"
    "due, most urgent first: what started the clock, the due date and whether it was met on\n"
    "time, late, or is overdue. Working days exclude weekends and bank holidays in England\n"
    "and Wales, and count the day the clock starts as day 1 (as the DfE does). Timescales come\n"
    "from the configuration file in PATHWAY_CONFIG, else the defaults (pathway config).\n"
    "\n"
    "  --now DATE   the day to judge what is overdue (YYYY-MM-DD; default: today in England)\n"
    "  --json       one JSON object: episode, children, stage, as_of and steps[]\n";

static void
add_status_text(struct pw_buf *b, const struct pw_step *st)
{
    char day[PW_DATE_TEXT_MAX];
    switch (st->status) {
    case PW_STEP_MET:
    case PW_STEP_MET_LATE:
        pw_date_format(st->met_day, day);
        pw_buf_addf(b, "met on %s (%s), ", day, st->met_fact);
        if (st->status == PW_STEP_MET) {
            pw_buf_adds(b, "on time");
        } else {
            pw_buf_addf(b, "%d working day%s late", st->by, st->by == 1 ? "" : "s");
        }
        break;
    case PW_STEP_DUE:
        pw_date_format(st->due, day);
        pw_buf_addf(b, "due by %s", day);
        break;
    case PW_STEP_OVERDUE:
        pw_buf_addf(b, "OVERDUE by %d working day%s", st->by, st->by == 1 ? "" : "s");
        break;
    case PW_STEP_NA:
        pw_buf_addf(b, "not needed: %s", st->note != NULL ? st->note : "no longer applicable");
        break;
    }
}

static void
print_text(FILE *out, const struct pw_episode_view *v, struct pw_buf *b)
{
    char day[PW_DATE_TEXT_MAX];
    char due[PW_DATE_TEXT_MAX];
    pw_date_format(v->now, day);
    (void)fprintf(out, "episode %s\nchildren:", v->episode);
    for (size_t i = 0; i < v->nchildren; i++) {
        (void)fprintf(out, "%s%s", i > 0 ? ", " : " ", v->children[i]);
    }
    (void)fprintf(out, "%s\nstage: %s\n\nsteps as of %s, most urgent first\n",
                  v->nchildren == 0 ? " (none named)" : "", pw_pathway_stage_name(v->stage), day);
    for (size_t i = 0; i < v->nsteps; i++) {
        const struct pw_step *st = &v->steps[i];
        pw_buf_reset(b);
        add_status_text(b, st);
        (void)fprintf(out, "\n  %s: %s\n", st->name, pw_buf_cstr(b));
        pw_date_format(st->clock_day, day);
        pw_date_format(st->due, due);
        /* "1 working day", "6 weeks": the unit's name is plural. */
        int unit_len = (int)strlen(st->unit) - (st->amount == 1 ? 1 : 0);
        (void)fprintf(out, "    %d %.*s %s %s (%s): due by %s\n", st->amount, unit_len, st->unit,
                      st->counted, day, st->clock_fact, due);
    }
    if (v->nsteps == 0) {
        (void)fprintf(out, "\n  (no step has started its clock)\n");
    }
}

static enum pw_status
print_json(FILE *out, const struct pw_episode_view *v, struct pw_error *err)
{
    json_t *o = pw_episode_view_json(v);
    size_t len = 0;
    char *text = pw_json_canonical(o, &len);
    json_decref(o);
    if (text == NULL) {
        return pw_fail(err, PW_EINTERNAL, "the episode could not be written as JSON");
    }
    (void)fwrite(text, 1, len, out);
    (void)fputc('\n', out);
    free(text);
    return PW_OK;
}

enum pw_status
pw__cmd_episode(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    bool json = false;
    const char *now_text = NULL;
    const struct pw__opt opts[] = { { "--json", NULL, &json },
                                    { "--now", &now_text, NULL },
                                    { NULL, NULL, NULL } };
    const char *pos[1];
    int npos = 0;
    int32_t now = 0;
    const struct pw_config *config = NULL;
    struct pw_store *s = NULL;
    struct pw_episode_view v = { 0 };
    struct pw_buf text;
    pw_buf_init(&text, 0);
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, pos, 1, &npos, err);
    if (rc == PW_OK && npos != 1) {
        rc = pw_fail(err, PW_EUSAGE, "name the episode: pathway episode EPISODE");
    }
    if (rc == PW_OK) {
        rc = pw__cli_now(now_text, &now, err);
    }
    if (rc == PW_OK) {
        rc = pw__cli_config(cli, &config, err);
    }
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK) {
        rc = pw_pathway_episode(s, config, pos[0], now, &v, err);
    }
    if (rc == PW_OK && json) {
        rc = print_json(cli->out, &v, err);
    } else if (rc == PW_OK) {
        print_text(cli->out, &v, &text);
    }
    pw_episode_view_release(&v);
    pw_store_close(s);
    pw_buf_release(&text);
    return rc;
}
