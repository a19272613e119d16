/*
 * `pathway facts`: the log, in order, for a person or of a type; as a table or JSON lines.
 * With an acting user (--as, else PATHWAY_USER) it is a read of that person's record: the
 * access policy decides and the look is logged first, restricted facts of other agencies are
 * shown only as existing (and whom to ask), and an auditor sees them pseudonymised.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "core/time.h"

static const char usage[] =
    "usage: pathway facts [--json] [--person ID] [--type TYPE]\n"
    "\n"
    "Lists recorded facts in log order. --person keeps the facts that name or introduce that\n"
    "person; --type keeps facts of one type (e.g. risk.recorded).\n"
    "\n"
    "  --json   one JSON object a line: the fact as recorded, with seq, recorded_at,\n"
    "           prev_hash and hash added\n"
    "  --as USER  read as USER (default: PATHWAY_USER); needs --person: the access policy\n"
    "           decides and the look is logged first; police intelligence and confidential\n"
    "           health facts of other agencies show only that they exist and whom to ask (the\n"
    "           type, body and hashes are left out), and an auditor sees each fact\n"
    "           pseudonymised. Without a user nothing is checked or logged: the operator's\n"
    "           view (docs/access.md)\n";

struct facts_ctx {
    FILE *out;
    bool json;
    size_t count;
    bool acting; /* reading as a user: the policy's view */
    struct pw_user user;
    struct pw_access_state state;
    bool pseudonymised; /* an auditor */
    struct pw_store *s;
};

/* How the acting user sees e: NULL when in full, else a new reference (redacted or
 * pseudonymised), or NULL with err set. */
static json_t *
limited_view(struct facts_ctx *c, const struct pw_log_entry *e, bool *limited, struct pw_error *err)
{
    *limited = false;
    if (!c->acting) {
        return NULL;
    }
    json_t *body = json_loads(e->body, 0, NULL);
    if (!json_is_object(body)) {
        json_decref(body);
        *limited = true;
        (void)pw_fail(err, PW_EINTEGRITY,
                      "log entry %lld is not a JSON object: run pathway audit verify",
                      (long long)e->seq);
        return NULL;
    }
    const char *sensitivity = json_string_value(json_object_get(body, "sensitivity"));
    json_t *shown = NULL;
    if (pw_access_fact_view(&c->user, &c->state, e->id, e->agency,
                            sensitivity != NULL ? sensitivity : "standard") == PW_FACT_REDACTED) {
        shown = pw_access_redact(body);
        *limited = true;
    } else if (c->pseudonymised) {
        shown = pw_access_pseudonymise(c->s, body, err);
        *limited = true;
    }
    json_decref(body);
    return shown;
}

static enum pw_status
print_limited(struct facts_ctx *c, const struct pw_log_entry *e, json_t *shown,
              struct pw_error *err)
{
    if (shown == NULL) {
        return err->code != PW_OK ? err->code : PW_EINTERNAL;
    }
    bool redacted = json_is_true(json_object_get(shown, "redacted"));
    if (c->json) {
        /* No hashes: a hash of the whole body would let a guess at a redacted one be checked. */
        (void)json_object_set_new(shown, "seq", json_integer(e->seq));
        (void)json_object_set_new(shown, "recorded_at", json_string(e->recorded_at));
        char *text = pw_json_canonical(shown, NULL);
        (void)fprintf(c->out, "%s\n", text != NULL ? text : "{}");
        free(text);
        return PW_OK;
    }
    if (c->count == 1) {
        (void)fprintf(c->out, "%6s  %-20s  %-10s  %-24s  %-20s  %s\n", "seq", "at", "agency",
                      "type", "id", "by");
    }
    (void)fprintf(c->out, "%6lld  %-20s  %-10s  %-24s  %-20s  %s\n", (long long)e->seq, e->at,
                  e->agency, redacted ? "(restricted)" : e->type, e->id, e->by);
    if (redacted) {
        (void)fprintf(c->out, "        restricted: ask %s\n",
                      json_string_value(json_object_get(shown, "ask")));
    }
    return PW_OK;
}

static enum pw_status
print_json(struct facts_ctx *c, const struct pw_log_entry *e, struct pw_error *err)
{
    json_error_t jerr;
    json_t *obj = json_loads(e->body, 0, &jerr);
    if (obj == NULL) {
        return pw_fail(err, PW_EINTEGRITY,
                       "log entry %lld is not valid JSON: run pathway audit "
                       "verify",
                       (long long)e->seq);
    }
    (void)json_object_set_new(obj, "seq", json_integer(e->seq));
    (void)json_object_set_new(obj, "recorded_at", json_string(e->recorded_at));
    (void)json_object_set_new(obj, "prev_hash", json_string(e->prev_hash));
    (void)json_object_set_new(obj, "hash", json_string(e->hash));
    size_t len = 0;
    char *text = pw_json_canonical(obj, &len);
    json_decref(obj);
    (void)fwrite(text, 1, len, c->out);
    (void)fputc('\n', c->out);
    free(text);
    return PW_OK;
}

static enum pw_status
print_entry(void *ctx, const struct pw_log_entry *e, struct pw_error *err)
{
    struct facts_ctx *c = ctx;
    c->count++;
    bool limited = false;
    json_t *shown = limited_view(c, e, &limited, err);
    if (limited) {
        enum pw_status rc = print_limited(c, e, shown, err);
        json_decref(shown);
        return rc;
    }
    if (c->json) {
        return print_json(c, e, err);
    }
    if (c->count == 1) {
        (void)fprintf(c->out, "%6s  %-20s  %-10s  %-24s  %-20s  %s\n", "seq", "at", "agency",
                      "type", "id", "by");
    }
    (void)fprintf(c->out, "%6lld  %-20s  %-10s  %-24s  %-20s  %s\n", (long long)e->seq, e->at,
                  e->agency, e->type, e->id, e->by);
    return PW_OK;
}

enum pw_status
pw__cmd_facts(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    struct facts_ctx c = { .out = cli->out };
    struct pw_fact_filter filter = { 0 };
    const char *as = NULL;
    struct pw_access_decision d;
    memset(&d, 0, sizeof(d));
    const struct pw__opt opts[] = {
        { "--json", NULL, &c.json },
        { "--person", &filter.person, NULL },
        { "--type", &filter.type, NULL },
        { "--as", &as, NULL },
        { NULL, NULL, NULL },
    };
    int npos = 0;
    struct pw_store *s = NULL;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, NULL, 0, &npos, err);
    if (rc == PW_OK && filter.type != NULL && !pw_fact_type_known(filter.type)) {
        rc = pw_fail(err, PW_EUSAGE, "\"%.40s\" is not a fact type", filter.type);
    }
    const char *acting_as =
        as != NULL ? as : getenv("PATHWAY_USER"); /* NOLINT(concurrency-mt-unsafe) */
    if (rc == PW_OK && acting_as != NULL && acting_as[0] != '\0' && filter.person == NULL) {
        /* The whole log is the operator's view: a user reads one person's record at a time. */
        rc = pw_fail(err, PW_EUSAGE, "reading as a user, name the person: --person ID");
    }
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK && filter.person != NULL) {
        rc = pw__cli_log_read(cli, s, as, filter.person, &c.user, &c.acting, &d, err);
    }
    if (rc == PW_OK && c.acting) {
        c.s = s;
        c.pseudonymised = d.view == PW_VIEW_PSEUDONYMISED;
        rc = pw_access_state_load(s, filter.person, pw_time_now_us(), &c.state, err);
    }
    if (rc == PW_OK && c.pseudonymised) {
        /* The key is made on first use, a write: before the log's read transaction. */
        char ps[24];
        rc = pw_access_pseudonym(s, filter.person, ps, sizeof(ps), err);
    }
    if (rc == PW_OK) {
        rc = pw_store_facts(s, &filter, print_entry, &c, err);
    }
    if (rc == PW_OK && c.count == 0 && !c.json) {
        (void)fprintf(cli->out, "no facts\n");
    }
    pw_access_state_release(&c.state);
    pw_store_close(s);
    return rc;
}
