/*
 * `pathway rules [list | show RNN | recheck [--apply]]`: the rule table, and a recheck of every
 * alert against the whole store; `pathway picture CHILD`: a child's picture of concern.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/time.h"

static const char rules_usage[] =
    "usage: pathway rules [list | show RNN | recheck [--apply] [--json]]\n"
    "\n"
    "  list             the safeguarding rules: id, strength, name (the default)\n"
    "  show RNN         one rule: the finding behind it, its source, the facts that wake it\n"
    "  recheck          evaluates every rule for everyone over the whole store and reports\n"
    "                   where the alerts kept differ from those derived afresh (after a change\n"
    "                   of configuration or of Pathway); exits 1 when any differ\n"
    "  recheck --apply  and replaces the alerts kept with those derived, in one transaction\n";

static const char picture_usage[] =
    "usage: pathway picture CHILD [--now DATE] [--json] [--as USER]\n"
    "\n"
    "A child's picture of concern: every sign and indicator on record, by date and agency,\n"
    "with its strength for the child's age then (NICE: consider or suspect); the weighted\n"
    "score over the configured window against the threshold at which a strategy discussion\n"
    "must be considered (rule R03); and the child's open alerts.\n"
    "\n"
    "  --now DATE   the day to judge on (default: today in England)\n"
    "  --json       the same as one JSON object\n"
    "  --as USER    read as USER (default: PATHWAY_USER): the access policy decides and the\n"
    "               look is written on the access log first (docs/access.md)\n";

static void
print_list(FILE *out)
{
    for (size_t i = 0; i < pw_rules_count(); i++) {
        const struct pw_rule_info *r = pw_rules_at(i);
        (void)fprintf(out, "%s  %-8s  %s\n", r->id, r->strength, r->name);
    }
}

static void
print_rule(FILE *out, const struct pw_rule_info *r)
{
    (void)fprintf(out, "%s %s (%s)\n", r->id, r->name, r->strength);
    pw__cli_print_wrapped(out, r->finding, 2, 96);
    (void)fprintf(out, "  Source: %s\n  Woken by:", r->source);
    for (size_t i = 0; r->wakes != NULL && r->wakes[i] != NULL; i++) {
        (void)fprintf(out, " %s", r->wakes[i]);
    }
    (void)fputc('\n', out);
}

struct diffs {
    struct pw__cli *cli;
    bool json;
    json_t *array;
};

static enum pw_status
diff_out(void *ctx, const struct pw_recheck_diff *d, struct pw_error *err)
{
    (void)err;
    struct diffs *x = ctx;
    const struct pw_alert_record *a = d->derived != NULL ? d->derived : d->stored;
    if (x->json) {
        json_t *o = json_object();
        (void)json_object_set_new(o, "difference", json_string(d->what));
        (void)json_object_set_new(o, "alert", json_string(a->id));
        (void)json_object_set_new(o, "rule", json_string(a->rule));
        (void)json_object_set_new(o, "child", json_string(a->child));
        (void)json_object_set_new(o, "field",
                                  d->field != NULL ? json_string(d->field) : json_null());
        (void)json_array_append_new(x->array, o);
        return PW_OK;
    }
    (void)fprintf(x->cli->out, "%-7s  %s  %s  child %s", d->what, a->id, a->rule, a->child);
    if (d->field != NULL) {
        (void)fprintf(x->cli->out, "  (%s)", d->field);
    }
    (void)fputc('\n', x->cli->out);
    return PW_OK;
}

static enum pw_status
recheck(struct pw__cli *cli, bool apply, bool json, struct pw_error *err)
{
    struct pw_store *s = NULL;
    struct diffs x = { .cli = cli, .json = json, .array = json_array() };
    struct pw_recheck_result r;
    int64_t start = pw_time_now_us();
    enum pw_status rc = pw__cli_open(cli, 0, &s, err);
    if (rc == PW_OK) {
        rc = pw_rules_recheck(cli->rules, s, apply, diff_out, &x, &r, err);
    }
    double seconds = (double)(pw_time_now_us() - start) / 1e6;
    if (rc == PW_OK && json) {
        json_t *o = json_object();
        (void)json_object_set_new(o, "people", json_integer((json_int_t)r.people));
        (void)json_object_set_new(o, "alerts", json_integer((json_int_t)r.alerts));
        (void)json_object_set_new(o, "differences", json_incref(x.array));
        (void)json_object_set_new(o, "applied", json_boolean(apply));
        char *text = json_dumps(o, JSON_INDENT(2));
        (void)fprintf(cli->out, "%s\n", text);
        free(text);
        json_decref(o);
    } else if (rc == PW_OK) {
        (void)fprintf(cli->out,
                      "rechecked %zu people in %.2f s: %zu alerts derived, %zu difference%s%s\n",
                      r.people, seconds, r.alerts, r.differences, r.differences == 1 ? "" : "s",
                      r.differences > 0 && apply ? " (mended)" : "");
    }
    if (rc == PW_OK && r.differences > 0 && !apply) {
        rc = pw_fail(err, PW_EINTEGRITY,
                     "the alerts kept differ from those derived: pathway rules recheck --apply");
    }
    json_decref(x.array);
    pw_store_close(s);
    return rc;
}

enum pw_status
pw__cmd_rules(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, rules_usage)) {
        return PW_OK;
    }
    bool apply = false;
    bool json = false;
    const struct pw__opt opts[] = { { "--apply", NULL, &apply },
                                    { "--json", NULL, &json },
                                    { NULL, NULL, NULL } };
    const char *pos[2];
    int npos = 0;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, pos, 2, &npos, err);
    if (rc != PW_OK) {
        return rc;
    }
    const char *what = npos > 0 ? pos[0] : "list";
    if (strcmp(what, "list") == 0 && npos <= 1) {
        print_list(cli->out);
        return PW_OK;
    }
    if (strcmp(what, "show") == 0 && npos == 2) {
        const struct pw_rule_info *r = pw_rules_find(pos[1]);
        if (r == NULL) {
            return pw_fail(err, PW_ENOTFOUND, "no rule \"%.20s\": rules are R01 to R25", pos[1]);
        }
        print_rule(cli->out, r);
        return PW_OK;
    }
    if (strcmp(what, "recheck") == 0 && npos == 1) {
        return recheck(cli, apply, json, err);
    }
    return pw_fail(err, PW_EUSAGE, "expected list, show RNN or recheck (see pathway rules --help)");
}

/* ---- picture ---- */

static void
print_picture(FILE *out, const char *child, const struct pw_picture *p)
{
    char from[PW_DATE_TEXT_MAX];
    char now[PW_DATE_TEXT_MAX];
    pw_date_format(p->window_from, from);
    pw_date_format(p->now, now);
    (void)fprintf(out, "Picture of concern for %s on %s\n\n", child, now);
    if (p->nsigns == 0) {
        (void)fprintf(out, "No signs or indicators are recorded.\n");
    }
    for (size_t i = 0; i < p->nsigns; i++) {
        const struct pw_picture_sign *sg = &p->signs[i];
        char day[PW_DATE_TEXT_MAX];
        pw_date_format(sg->day, day);
        const char *window =
            sg->day >= p->window_from && sg->day <= p->now ? "" : "  [outside window]";
        if (sg->restricted) {
            (void)fprintf(out, "%s  %-10s restricted: ask %s (%s)%s\n", day, sg->agency, sg->agency,
                          sg->fact, window);
            continue;
        }
        (void)fprintf(out, "%s  %-10s %-8s  %s (%s)%s\n", day, sg->agency,
                      pw_strength_name(sg->strength), sg->indicator->name, sg->indicator->code,
                      window);
    }
    (void)fprintf(out,
                  "\nFrom %s to %s: score %d from %zu agenc%s; a strategy discussion must be "
                  "considered at %d.\n",
                  from, now, p->score, p->agencies, p->agencies == 1 ? "y" : "ies", p->threshold);
}

struct open_alerts {
    struct pw__cli *cli;
    json_t *array;
    size_t count;
};

static enum pw_status
open_alert(void *ctx, const struct pw_alert_view *a, struct pw_error *err)
{
    (void)err;
    struct open_alerts *o = ctx;
    if (a->status != PW_ALERT_OPEN && a->status != PW_ALERT_OVERDUE) {
        return PW_OK;
    }
    if (o->array != NULL) {
        json_t *x = json_object();
        (void)json_object_set_new(x, "id", json_string(a->record.id));
        (void)json_object_set_new(x, "rule", json_string(a->record.rule));
        (void)json_object_set_new(x, "status", json_string(pw_alert_status_name(a->status)));
        (void)json_object_set_new(x, "due",
                                  a->record.due ? json_string(a->record.due) : json_null());
        (void)json_object_set_new(x, "message", json_string(a->record.message));
        (void)json_array_append_new(o->array, x);
    } else {
        if (o->count == 0) {
            (void)fprintf(o->cli->out, "\nOpen alerts:\n");
        }
        (void)fprintf(o->cli->out, "  %s %s %s%s%s\n", a->record.rule,
                      pw_alert_status_name(a->status), a->rule->name,
                      a->record.due != NULL ? ", due " : "",
                      a->record.due != NULL ? a->record.due : "");
        pw__cli_print_wrapped(o->cli->out, a->record.message, 4, 96);
    }
    o->count++;
    return PW_OK;
}

enum pw_status
pw__cmd_picture(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, picture_usage)) {
        return PW_OK;
    }
    bool json = false;
    const char *now_text = NULL;
    const char *as = NULL;
    bool acting = false;
    struct pw_user user;
    struct pw_access_decision d;
    const struct pw__opt opts[] = { { "--json", NULL, &json },
                                    { "--now", &now_text, NULL },
                                    { "--as", &as, NULL },
                                    { NULL, NULL, NULL } };
    const char *pos[1];
    int npos = 0;
    int32_t now = 0;
    struct pw_store *s = NULL;
    struct pw_picture p = { 0 };
    struct open_alerts o = { .cli = cli };
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, pos, 1, &npos, err);
    if (rc == PW_OK && npos != 1) {
        rc = pw_fail(err, PW_EUSAGE, "name the child: pathway picture CHILD");
    }
    if (rc == PW_OK) {
        rc = pw__cli_now(now_text, &now, err);
    }
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK) {
        /* Reading as a user: the policy decides and the look is logged before anything shows. */
        rc = pw__cli_log_read(cli, s, as, pos[0], &user, &acting, &d, err);
    }
    if (rc == PW_OK) {
        rc = pw_rules_picture(cli->rules, s, pos[0], now, &p, err);
    }
    if (rc == PW_OK && acting) {
        struct pw_access_state st;
        rc = pw_access_state_load(s, pos[0], pw_time_now_us(), &st, err);
        if (rc == PW_OK) {
            pw_access_picture_view(&user, &st, &p);
        }
        pw_access_state_release(&st);
    }
    json_t *doc = NULL;
    if (rc == PW_OK && json) {
        doc = pw_picture_json(pos[0], &p);
        o.array = json_array();
    } else if (rc == PW_OK) {
        print_picture(cli->out, pos[0], &p);
    }
    if (rc == PW_OK) {
        rc = pw_rules_alerts(cli->rules, s, pos[0], now, open_alert, &o, err);
    }
    if (rc == PW_OK && json) {
        (void)json_object_set_new(doc, "open_alerts", o.array);
        o.array = NULL;
        char *text = json_dumps(doc, JSON_INDENT(2));
        (void)fprintf(cli->out, "%s\n", text);
        free(text);
    } else if (rc == PW_OK && o.count == 0) {
        (void)fprintf(cli->out, "\nNo open alerts.\n");
    }
    json_decref(doc);
    json_decref(o.array);
    pw_picture_release(&p);
    pw_store_close(s);
    return rc;
}
