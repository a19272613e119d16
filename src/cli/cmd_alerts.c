/*
 * `pathway alerts`: what the safeguarding rules ask of whom, by when, and why, as it stands on
 * a day; `pathway tick`: what has fallen overdue since the last tick, and the managers it goes
 * to. Both read; the rules module decides. With an acting user (--as, else PATHWAY_USER),
 * `alerts --child` is a read of the child's record: the access policy decides and the look is
 * logged before anything is shown.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/time.h"

static const char alerts_usage[] =
    "usage: pathway alerts [--child ID] [--status S] [--rule RNN] [--now DATE] [--json|--brief]\n"
    "\n"
    "The alerts the safeguarding rules have raised (shared/design/rules.md), as they stand on\n"
    "a day: overdue first (most overdue first), then open by due date, then resolved. Each\n"
    "says what to do, who must act, by when, the facts that raised it and the finding of the\n"
    "national reviews behind it. An alert is resolved only by a fact that answers it.\n"
    "\n"
    "  --child ID   one child's alerts\n"
    "  --status S   open, overdue, resolved, or all (default: open and overdue)\n"
    "  --rule RNN   one rule's alerts (R01 to R25)\n"
    "  --now DATE   the day to judge them on (YYYY-MM-DD; default: today in England)\n"
    "  --json       one JSON array of alerts, with the fields of rules.md\n"
    "  --brief      one line an alert: rule, child, status, due, subject, resolved_by, because\n"
    "  --as USER    read as USER (default: PATHWAY_USER); needs --child: the access policy\n"
    "               decides and the look is logged first (a child one may not read and one\n"
    "               that does not exist are refused alike); an auditor gets one JSON object a\n"
    "               line with the people as pseudonyms and no message. Without a user nothing\n"
    "               is checked or logged: the operator's view (docs/access.md)\n";

static const char tick_usage[] =
    "usage: pathway tick [--now DATE] [--since DATE] [--dry-run]\n"
    "\n"
    "Re-evaluates every deadline as of a day: lists the alerts that fell overdue after the\n"
    "last tick (or --since) and up to --now, with the managers they are escalated to (team\n"
    "managers allocated to the child by an agency that must act), and the alerts whose time\n"
    "limit passed in that span. Remembers the day for the next tick unless --dry-run.\n"
    "\n"
    "  --now DATE     the day to judge on (default: today in England)\n"
    "  --since DATE   the day of the last tick (default: the one remembered; else the day\n"
    "                 before --now)\n"
    "  --dry-run      do not remember this tick\n";

/* Which statuses to show. */
struct shown {
    bool status[4];
    const char *rule;
};

struct printer {
    struct pw__cli *cli;
    struct shown shown;
    bool json;
    bool brief;
    json_t *array;
    size_t count;
    struct pw_store *pseudonymise; /* an auditor's view: people as pseudonyms, or NULL */
};

/* An alert as an auditor sees it (new reference): no names or free text. */
static json_t *
pseudonymised(struct printer *p, const struct pw_alert_view *a, struct pw_error *err)
{
    static const char *const people[] = { "child", "subject", NULL };
    json_t *o = pw_alert_view_json(a);
    for (const char *const *k = people; *k != NULL; k++) {
        const char *id = json_string_value(json_object_get(o, *k));
        if (id != NULL) {
            char ps[24];
            if (pw_access_pseudonym(p->pseudonymise, id, ps, sizeof(ps), err) != PW_OK) {
                json_decref(o);
                return NULL;
            }
            (void)json_object_set_new(o, *k, json_string(ps));
        }
    }
    (void)json_object_del(o, "message");
    return o;
}

/* "u-1, u-2" from a JSON list, or "" when empty. */
static void
list_text(const char *json_text, struct pw_buf *out)
{
    json_t *v = pw_alert_list_json(json_text);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        if (i > 0) {
            pw_buf_adds(out, ", ");
        }
        pw_buf_adds(out, json_string_value(item));
    }
    json_decref(v);
}

static void
print_escalation(FILE *out, const struct pw_alert_view *a)
{
    struct pw_buf who;
    pw_buf_init(&who, 0);
    list_text(a->record.escalate_to, &who);
    if (pw_buf_cstr(&who)[0] != '\0') {
        (void)fprintf(out, "    Escalated to: %s\n", pw_buf_cstr(&who));
    } else {
        (void)fprintf(out,
                      "    Escalated to: the team managers of %s (no manager is allocated to "
                      "this child)\n",
                      a->record.agencies);
    }
    pw_buf_release(&who);
}

static void
print_alert(FILE *out, const struct pw_alert_view *a)
{
    const struct pw_alert_record *r = &a->record;
    char status[64];
    if (a->status == PW_ALERT_OVERDUE) {
        (void)snprintf(status, sizeof(status), "OVERDUE by %d working day%s", a->overdue_by,
                       a->overdue_by == 1 ? "" : "s");
    } else if (a->status == PW_ALERT_OPEN) {
        (void)snprintf(status, sizeof(status), "%s",
                       strcmp(r->strength, "consider") == 0 ? "CONSIDER" : "OPEN");
    } else {
        (void)snprintf(status, sizeof(status), "RESOLVED by %s on %s", r->resolved_by,
                       r->resolved_on != NULL ? r->resolved_on : "?");
    }
    (void)fprintf(out, "%s  %s %s  child %s", status, r->rule, a->rule->name, r->child);
    if (r->subject != NULL) {
        (void)fprintf(out, "  about %s", r->subject);
    }
    (void)fputc('\n', out);
    (void)fprintf(out, "    Raised %s", r->raised_on);
    if (r->due != NULL) {
        (void)fprintf(out, "; due %s", r->due);
    }
    if (r->agencies[0] != '\0') {
        (void)fprintf(out, "; for %s", r->agencies);
    }
    (void)fprintf(out, " (%s)\n", r->id);
    pw__cli_print_wrapped(out, r->message, 4, 96);
    struct pw_buf because;
    pw_buf_init(&because, 0);
    list_text(r->because, &because);
    (void)fprintf(out, "    Because of: %s\n", pw_buf_cstr(&because));
    pw_buf_release(&because);
    if (a->escalated) {
        print_escalation(out, a);
    }
    struct pw_buf finding;
    pw_buf_init(&finding, 0);
    pw_buf_addf(&finding, "Why: %s", a->rule->finding);
    pw__cli_print_wrapped(out, pw_buf_cstr(&finding), 4, 96);
    pw_buf_release(&finding);
}

static enum pw_status
alert_out(void *ctx, const struct pw_alert_view *a, struct pw_error *err)
{
    (void)err;
    struct printer *p = ctx;
    if (!p->shown.status[a->status] ||
        (p->shown.rule != NULL && strcmp(p->shown.rule, a->record.rule) != 0)) {
        return PW_OK;
    }
    if (p->pseudonymise != NULL) {
        json_t *o = pseudonymised(p, a, err);
        if (o == NULL) {
            return err->code != PW_OK ? err->code : PW_EINTERNAL;
        }
        if (p->json) {
            (void)json_array_append_new(p->array, o);
        } else {
            char *line = pw_json_canonical(o, NULL);
            (void)fprintf(p->cli->out, "%s\n", line != NULL ? line : "{}");
            free(line);
            json_decref(o);
        }
    } else if (p->json) {
        (void)json_array_append_new(p->array, pw_alert_view_json(a));
    } else if (p->brief) {
        const struct pw_alert_record *r = &a->record;
        json_t *because = pw_alert_list_json(r->because);
        size_t i;
        json_t *id;
        (void)fprintf(p->cli->out, "%s %s %s due=%s subject=%s resolved_by=%s because=", r->rule,
                      r->child, pw_alert_status_name(a->status), r->due ? r->due : "-",
                      r->subject ? r->subject : "-", r->resolved_by ? r->resolved_by : "-");
        json_array_foreach(because, i, id)
        {
            (void)fprintf(p->cli->out, "%s%s", i > 0 ? "," : "", json_string_value(id));
        }
        (void)fputc('\n', p->cli->out);
        json_decref(because);
    } else {
        if (p->count > 0) {
            (void)fputc('\n', p->cli->out);
        }
        print_alert(p->cli->out, a);
    }
    p->count++;
    return PW_OK;
}

static enum pw_status
parse_shown(const char *status, const char *rule, struct shown *out, struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    out->rule = rule;
    if (rule != NULL && pw_rules_find(rule) == NULL) {
        enum pw_status rc =
            pw_fail(err, PW_EUSAGE, "no rule \"%.20s\": rules are R01 to R25", rule);
        pw_error_field(err, "--rule");
        return rc;
    }
    if (status == NULL) {
        out->status[PW_ALERT_OPEN] = out->status[PW_ALERT_OVERDUE] = true;
        return PW_OK;
    }
    if (strcmp(status, "all") == 0) {
        out->status[PW_ALERT_OPEN] = out->status[PW_ALERT_OVERDUE] = true;
        out->status[PW_ALERT_RESOLVED] = true;
        return PW_OK;
    }
    enum pw_alert_status st;
    if (!pw_alert_status_parse(status, &st) || st == PW_ALERT_PENDING) {
        enum pw_status rc = pw_fail(
            err, PW_EUSAGE, "status \"%.20s\" is not open, overdue, resolved or all", status);
        pw_error_field(err, "--status");
        return rc;
    }
    out->status[st] = true;
    return PW_OK;
}

/* Warns when the alerts were derived under other rules or another configuration. */
static enum pw_status
warn_if_stale(struct pw__cli *cli, struct pw_store *s, struct pw_error *err)
{
    bool stale = false;
    enum pw_status rc = pw_rules_stale(cli->rules, s, &stale, err);
    if (rc == PW_OK && stale) {
        (void)fprintf(cli->errs,
                      "pathway %s: warning: these alerts were derived under other rules or "
                      "another configuration: run `pathway rules recheck --apply`\n",
                      cli->name);
    }
    return rc;
}

enum pw_status
pw__cmd_alerts(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, alerts_usage)) {
        return PW_OK;
    }
    const char *child = NULL;
    const char *status = NULL;
    const char *rule = NULL;
    const char *now_text = NULL;
    const char *as = NULL;
    bool acting = false;
    struct pw_user user;
    struct pw_access_decision d;
    memset(&d, 0, sizeof(d));
    struct printer p = { .cli = cli };
    const struct pw__opt opts[] = {
        { "--child", &child, NULL },  { "--status", &status, NULL }, { "--rule", &rule, NULL },
        { "--now", &now_text, NULL }, { "--json", NULL, &p.json },   { "--brief", NULL, &p.brief },
        { "--as", &as, NULL },        { NULL, NULL, NULL },
    };
    int npos = 0;
    int32_t now = 0;
    struct pw_store *s = NULL;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, NULL, 0, &npos, err);
    if (rc == PW_OK) {
        rc = parse_shown(status, rule, &p.shown, err);
    }
    if (rc == PW_OK) {
        rc = pw__cli_now(now_text, &now, err);
    }
    const char *acting_as =
        as != NULL ? as : getenv("PATHWAY_USER"); /* NOLINT(concurrency-mt-unsafe) */
    if (rc == PW_OK && acting_as != NULL && acting_as[0] != '\0' && child == NULL) {
        /* Every child's alerts are the operator's view: a user reads one child's at a time. */
        rc = pw_fail(err, PW_EUSAGE, "reading as a user, name the child: --child ID");
    }
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK && child != NULL) {
        /* First the policy: an unknown child is refused as one the user may not read. */
        rc = pw__cli_log_read(cli, s, as, child, &user, &acting, &d, err);
    }
    if (rc == PW_OK && acting && d.view == PW_VIEW_PSEUDONYMISED) {
        /* The key is made on first use, a write: before the alerts' reads. */
        char ps[24];
        rc = pw_access_pseudonym(s, child, ps, sizeof(ps), err);
        p.pseudonymise = s;
    }
    bool exists = true;
    if (rc == PW_OK && child != NULL) {
        rc = pw_store_person_exists(s, child, &exists, err);
    }
    if (rc == PW_OK && !exists) {
        rc = pw_fail(err, PW_ENOTFOUND, "person \"%s\" is not known", child);
    }
    if (rc == PW_OK) {
        rc = warn_if_stale(cli, s, err);
    }
    p.array = json_array();
    if (rc == PW_OK) {
        rc = pw_rules_alerts(cli->rules, s, child, now, alert_out, &p, err);
    }
    if (rc == PW_OK && p.json) {
        char *text = json_dumps(p.array, JSON_INDENT(2));
        (void)fprintf(cli->out, "%s\n", text);
        free(text);
    } else if (rc == PW_OK && p.count == 0 && !p.brief) {
        (void)fprintf(cli->out, "no alerts\n");
    }
    json_decref(p.array);
    pw_store_close(s);
    return rc;
}

/* ---- tick ---- */

#define META_TICK "tick.last"

struct ticker {
    struct pw__cli *cli;
    int32_t since, now;
    size_t overdue, arisen;
};

static int32_t
date_or(const char *text, int32_t fallback)
{
    int32_t day = fallback;
    struct pw_error ignored = { 0 };
    if (text == NULL || pw_date_parse(text, strlen(text), &day, &ignored) != PW_OK) {
        return fallback;
    }
    return day;
}

static enum pw_status
tick_alert(void *ctx, const struct pw_alert_view *a, struct pw_error *err)
{
    (void)err;
    struct ticker *t = ctx;
    const struct pw_alert_record *r = &a->record;
    if (a->status == PW_ALERT_OVERDUE) {
        /* Fell overdue in the span: the day after its due date is after the last tick. */
        int32_t due = date_or(r->due, 0);
        if (due >= t->since) {
            (void)fprintf(t->cli->out, "overdue  %s %s  child %s  due %s  for %s\n", r->rule,
                          a->rule->name, r->child, r->due, r->agencies);
            pw__cli_print_wrapped(t->cli->out, r->message, 4, 96);
            if (a->escalated) {
                print_escalation(t->cli->out, a);
            }
            t->overdue++;
        }
    } else if (a->status == PW_ALERT_OPEN) {
        int32_t active = date_or(r->active_from, 0);
        int32_t raised = date_or(r->raised_on, 0);
        if (active > raised && active > t->since) {
            (void)fprintf(t->cli->out, "arisen   %s %s  child %s  from %s%s%s\n", r->rule,
                          a->rule->name, r->child, r->active_from, r->due != NULL ? "  due " : "",
                          r->due != NULL ? r->due : "");
            pw__cli_print_wrapped(t->cli->out, r->message, 4, 96);
            t->arisen++;
        }
    }
    return PW_OK;
}

static enum pw_status
remember_tick(void *ctx, struct pw_store *s, struct pw_error *err)
{
    return pw_store_meta_set(s, META_TICK, ctx, err);
}

enum pw_status
pw__cmd_tick(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, tick_usage)) {
        return PW_OK;
    }
    const char *now_text = NULL;
    const char *since_text = NULL;
    bool dry_run = false;
    const struct pw__opt opts[] = {
        { "--now", &now_text, NULL },
        { "--since", &since_text, NULL },
        { "--dry-run", NULL, &dry_run },
        { NULL, NULL, NULL },
    };
    int npos = 0;
    struct ticker t = { .cli = cli };
    struct pw_store *s = NULL;
    char last[32] = "";
    bool found = false;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, NULL, 0, &npos, err);
    if (rc == PW_OK) {
        rc = pw__cli_now(now_text, &t.now, err);
    }
    if (rc == PW_OK && since_text != NULL) {
        rc = pw_date_parse(since_text, strlen(since_text), &t.since, err);
        pw_error_field(err, "--since");
    }
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK && since_text == NULL) {
        rc = pw_store_meta_get(s, META_TICK, last, sizeof(last), &found, err);
        t.since = found ? date_or(last, t.now - 1) : t.now - 1;
    }
    char since[PW_DATE_TEXT_MAX];
    char now[PW_DATE_TEXT_MAX];
    pw_date_format(t.since, since);
    pw_date_format(t.now, now);
    if (rc == PW_OK) {
        (void)fprintf(cli->out, "tick: from %s to %s\n", since, now);
        rc = pw_rules_alerts(cli->rules, s, NULL, t.now, tick_alert, &t, err);
    }
    if (rc == PW_OK) {
        (void)fprintf(cli->out, "%zu fell overdue; %zu arose as a time limit passed\n", t.overdue,
                      t.arisen);
    }
    if (rc == PW_OK && !dry_run) {
        rc = pw_store_transact(s, remember_tick, now, err);
    }
    pw_store_close(s);
    return rc;
}
