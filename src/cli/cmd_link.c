/*
 * `pathway link run|clusters|explain|review`: which records are the same person. The work is
 * in src/link/ (people.h); this parses arguments and prints.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "link/people.h"

static const char usage[] =
    "usage: pathway link run [--link-at P] [--review-at P] [--agency A] [--as USER]\n"
    "       pathway link clusters [--csv]\n"
    "       pathway link explain PERSON PERSON\n"
    "       pathway link review [--accept | --reject] [PERSON PERSON --reason TEXT]\n"
    "\n"
    "Decides which of the people registered (by every agency, and imported from their feeds)\n"
    "are the same person, so that what one agency knows meets what another knows.\n"
    "\n"
    "  run        link everyone: Fellegi-Sunter match weights learnt from the records\n"
    "             themselves (EM), records joined into people without chaining strangers;\n"
    "             each link is recorded as a person.linked fact with its probability and\n"
    "             weight; pairs it is unsure of go to the review queue. Decisions already\n"
    "             recorded (links, and people found not to be the same) are kept.\n"
    "  clusters   one line per record: agency, the record's id in the agency's system, and\n"
    "             the person it belongs to (the id standing for all their records)\n"
    "  explain    how each comparison (names, date of birth, sex, address, identifiers)\n"
    "             adds to or takes from the match weight of two people, and the total\n"
    "  review     the queue of uncertain pairs, most likely first; with --accept or --reject\n"
    "             and two people, records your decision as a fact, with your reason\n"
    "\n"
    "  --link-at P     probability at or above which two records are linked (default 0.90)\n"
    "  --review-at P   probability at or above which a pair is queued for review (0.50)\n"
    "  --agency A      the agency recording links and decisions (default: other)\n"
    "  --as USER       the recording user (default: PATHWAY_USER)\n"
    "  --reason TEXT   why you decided as you did (required with --accept or --reject)\n";

struct args {
    const char *link_at, *review_at, *agency, *as, *reason;
    bool csv, accept, reject;
};

static enum pw_status
probability_arg(const char *text, const char *name, double *out, struct pw_error *err)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || !(v > 0.0 && v < 1.0)) {
        return pw_fail(err, PW_EUSAGE, "%s: expected a probability between 0 and 1, not \"%.20s\"",
                       name, text);
    }
    *out = v;
    return PW_OK;
}

static enum pw_status
options_from(const struct args *a, struct pw_link_options *o, struct pw_error *err)
{
    pw_link_options_default(o);
    enum pw_status rc = PW_OK;
    if (a->link_at != NULL) {
        rc = probability_arg(a->link_at, "--link-at", &o->link_at, err);
    }
    if (rc == PW_OK && a->review_at != NULL) {
        rc = probability_arg(a->review_at, "--review-at", &o->review_at, err);
    }
    if (rc == PW_OK && o->review_at > o->link_at) {
        rc = pw_fail(err, PW_EUSAGE, "--review-at must not be above --link-at");
    }
    return rc;
}

static const char *
recording_user(const struct args *a, struct pw_error *err)
{
    const char *as = a->as != NULL ? a->as : getenv("PATHWAY_USER"); /* NOLINT */
    if (as == NULL || as[0] == '\0') {
        (void)pw_fail(err, PW_EUSAGE, "name the recording user with --as USER or PATHWAY_USER");
        return NULL;
    }
    return as;
}

static void
today(char out[PW_DATE_TEXT_MAX])
{
    pw_date_format(pw_time_uk_date(pw_time_now_us()), out);
}

static enum pw_status
run(struct pw__cli *cli, const struct args *a, struct pw_error *err)
{
    struct pw_link_options o;
    struct pw_link_run_summary sum;
    struct pw_store *s = NULL;
    char day[PW_DATE_TEXT_MAX];
    const char *by = recording_user(a, err);
    enum pw_status rc = by == NULL ? PW_EUSAGE : options_from(a, &o, err);
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    today(day);
    if (rc == PW_OK) {
        rc = pw_link_people_run(s, &o, by, a->agency != NULL ? a->agency : "other", day, &sum, err);
    }
    if (rc == PW_OK) {
        const struct pw_link_stats *st = &sum.stats;
        (void)fprintf(cli->out,
                      "linked %zu records in %.2f s: %zu candidate pairs compared, %zu linked, "
                      "%zu to review\n"
                      "  %zu people found, %zu of them with records from more than one source\n"
                      "  %zu links recorded now (person.linked), %zu already held; %zu decisions "
                      "kept\n"
                      "  %zu pairs queued for review: pathway link review\n",
                      st->records, st->t_total, st->candidate_pairs, st->link_pairs,
                      st->review_pairs, st->clusters, sum.people_joined, sum.links_recorded,
                      sum.already_linked, sum.decisions, sum.review_queued);
    }
    pw_store_close(s);
    return rc;
}

/* Quotes a CSV field when it must be. */
static void
csv_field(FILE *out, const char *v, const char *after)
{
    if (strpbrk(v, ",\"\r\n") == NULL) {
        (void)fprintf(out, "%s%s", v, after);
        return;
    }
    (void)fputc('"', out);
    for (const char *p = v; *p != '\0'; p++) {
        if (*p == '"') {
            (void)fputc('"', out);
        }
        (void)fputc(*p, out);
    }
    (void)fprintf(out, "\"%s", after);
}

static enum pw_status
clusters(struct pw__cli *cli, const struct args *a, struct pw_error *err)
{
    struct pw_store *s = NULL;
    struct pw_link_people *p = NULL;
    enum pw_status rc = pw__cli_open(cli, 0, &s, err);
    if (rc == PW_OK) {
        rc = pw_link_people_load(s, &p, err);
    }
    if (rc == PW_OK) {
        (void)fprintf(cli->out, a->csv ? "agency,record_id,person_id\n" : "%-10s %-24s %s\n",
                      "agency", "record", "person");
    }
    for (size_t i = 0; rc == PW_OK && i < p->n; i++) {
        char standing[PW_ID_MAX + 1];
        rc = pw_store_person_cluster(s, p->person[i], standing, err);
        if (rc == PW_OK && a->csv) {
            csv_field(cli->out, p->agency[i], ",");
            csv_field(cli->out, p->record[i], ",");
            csv_field(cli->out, standing, "\n");
        } else if (rc == PW_OK) {
            (void)fprintf(cli->out, "%-10s %-24s %s\n", p->agency[i], p->record[i], standing);
        }
    }
    pw_link_people_free(p);
    pw_store_close(s);
    return rc;
}

static const char *
band_words(enum pw_link_band b)
{
    switch (b) {
    case PW_LINK_LINK:
        return "the same person (link)";
    case PW_LINK_REVIEW:
        return "unsure: a person should decide (review)";
    default:
        return "not the same person (no link)";
    }
}

static enum pw_status
explain(struct pw__cli *cli, const struct args *a, const char *x, const char *y,
        struct pw_error *err)
{
    struct pw_link_options o;
    struct pw_link_explanation e;
    struct pw_store *s = NULL;
    enum pw_status rc = options_from(a, &o, err);
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK) {
        rc = pw_link_people_explain(s, &o, x, y, &e, err);
    }
    if (rc == PW_OK) {
        (void)fprintf(cli->out, "%s and %s\n\n  %-22s %-34s %9s %9s %8s\n", x, y, "comparison",
                      "how they compare", "m", "u", "bits");
        (void)fprintf(cli->out, "  %-22s %-34s %9s %9s %+8.2f\n", "prior",
                      "how likely any two records match", "", "", e.prior_weight);
        for (size_t i = 0; i < e.nparts; i++) {
            const struct pw_link_part *p = &e.parts[i];
            (void)fprintf(cli->out, "  %-22s %-34s %9.5f %9.5f %+8.2f\n", p->field, p->level, p->m,
                          p->u, p->weight);
            if (p->tf_adjust != 0.0) {
                (void)fprintf(cli->out, "  %-22s %-34s %9s %9s %+8.2f\n", "",
                              "  how common the name is", "", "", p->tf_adjust);
            }
        }
        (void)fprintf(cli->out,
                      "\n  match weight %+.2f bits: probability %.4f, %s\n"
                      "  (each line is log2(m/u): how much more often records of one person "
                      "compare so than records of two)\n",
                      e.weight, e.probability, band_words(e.band));
    }
    pw_store_close(s);
    return rc;
}

struct queue {
    FILE *out;
    size_t n;
};

static enum pw_status
queue_row(void *ctx, const struct pw_link_review *r, struct pw_error *err)
{
    (void)err;
    struct queue *q = ctx;
    q->n++;
    (void)fprintf(q->out, "  %-24s %-24s probability %.3f  weight %+.2f\n", r->a, r->b,
                  r->probability, r->weight);
    return PW_OK;
}

static enum pw_status
review(struct pw__cli *cli, const struct args *a, int npos, const char **pos, struct pw_error *err)
{
    struct pw_store *s = NULL;
    bool deciding = a->accept || a->reject;
    if (a->accept && a->reject) {
        return pw_fail(err, PW_EUSAGE, "--accept or --reject, not both");
    }
    if (deciding != (npos == 3)) {
        return pw_fail(err, PW_EUSAGE,
                       deciding
                           ? "name the two people: pathway link review --accept A B --reason T"
                           : "--accept or --reject says what you decided about the two people");
    }
    const char *by = deciding ? recording_user(a, err) : "";
    enum pw_status rc = by == NULL ? PW_EUSAGE : pw__cli_open(cli, 0, &s, err);
    if (rc == PW_OK && deciding) {
        char day[PW_DATE_TEXT_MAX];
        today(day);
        rc = pw_link_people_decide(s, pos[1], pos[2], a->accept, a->reason, by,
                                   a->agency != NULL ? a->agency : "other", day, err);
        if (rc == PW_OK) {
            (void)fprintf(cli->out, "recorded: %s and %s are %s\n", pos[1], pos[2],
                          a->accept ? "the same person" : "not the same person");
        }
    } else if (rc == PW_OK) {
        struct queue q = { cli->out, 0 };
        (void)fprintf(cli->out, "pairs to review, most likely first:\n");
        rc = pw_store_link_review(s, queue_row, &q, err);
        if (rc == PW_OK) {
            (void)fprintf(cli->out,
                          q.n == 0 ? "  none\n"
                                   : "\nsee why: pathway link explain A B; decide: pathway link "
                                     "review --accept|--reject A B --reason TEXT\n");
        }
    }
    pw_store_close(s);
    return rc;
}

enum pw_status
pw__cmd_link(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    struct args a = { 0 };
    const struct pw__opt opts[] = {
        { "--link-at", &a.link_at, NULL },
        { "--review-at", &a.review_at, NULL },
        { "--agency", &a.agency, NULL },
        { "--as", &a.as, NULL },
        { "--reason", &a.reason, NULL },
        { "--csv", NULL, &a.csv },
        { "--accept", NULL, &a.accept },
        { "--reject", NULL, &a.reject },
        { NULL, NULL, NULL },
    };
    const char *pos[3];
    int npos = 0;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, pos, 3, &npos, err);
    if (rc != PW_OK) {
        return rc;
    }
    const char *what = npos > 0 ? pos[0] : "";
    if (strcmp(what, "run") == 0 && npos == 1) {
        return run(cli, &a, err);
    }
    if (strcmp(what, "clusters") == 0 && npos == 1) {
        return clusters(cli, &a, err);
    }
    if (strcmp(what, "explain") == 0 && npos == 3) {
        return explain(cli, &a, pos[1], pos[2], err);
    }
    if (strcmp(what, "review") == 0) {
        return review(cli, &a, npos, pos, err);
    }
    return pw_fail(err, PW_EUSAGE,
                   "expected run, clusters, explain A B or review (see pathway link --help)");
}
