/* `pathway facts`: the log, in order, for a person or of a type; as a table or JSON lines. */
#include "cli/cli.h"

#include <string.h>

static const char usage[] =
    "usage: pathway facts [--json] [--person ID] [--type TYPE]\n"
    "\n"
    "Lists recorded facts in log order. --person keeps the facts that name or introduce that\n"
    "person; --type keeps facts of one type (e.g. risk.recorded).\n"
    "\n"
    "  --json   one JSON object a line: the fact as recorded, with seq, recorded_at,\n"
    "           prev_hash and hash added\n";

struct facts_ctx {
    FILE *out;
    bool json;
    size_t count;
};

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
    const struct pw__opt opts[] = {
        { "--json", NULL, &c.json },
        { "--person", &filter.person, NULL },
        { "--type", &filter.type, NULL },
        { NULL, NULL, NULL },
    };
    int npos = 0;
    struct pw_store *s = NULL;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, NULL, 0, &npos, err);
    if (rc == PW_OK && filter.type != NULL && !pw_fact_type_known(filter.type)) {
        rc = pw_fail(err, PW_EUSAGE, "\"%.40s\" is not a fact type", filter.type);
    }
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK) {
        rc = pw_store_facts(s, &filter, print_entry, &c, err);
    }
    if (rc == PW_OK && c.count == 0 && !c.json) {
        (void)fprintf(cli->out, "no facts\n");
    }
    pw_store_close(s);
    return rc;
}
