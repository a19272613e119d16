/*
 * Dispatch for `pathway SUBCOMMAND ...`, the shared option parser, and error printing. Errors
 * go to stderr as "pathway SUB: line N: PATH: message"; the exit code comes from the status
 * table (core/status.def), so the same failure exits the same way everywhere.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "core/time.h"

struct command {
    const char *name;
    enum pw_status (*run)(struct pw__cli *, int, char **, struct pw_error *);
    const char *summary;
};

static const struct command commands[] = {
    { "init", pw__cmd_init, "create a new database" },
    { "record", pw__cmd_record, "record facts from a JSON-lines file: all or none" },
    { "facts", pw__cmd_facts, "list recorded facts in log order" },
    { "household", pw__cmd_household, "who lived with a person on a date" },
    { "chronology", pw__cmd_chronology, "everything known about a child and those around them" },
    { "episode", pw__cmd_episode, "an episode's stage and every deadline of the pathway" },
    { "audit", pw__cmd_audit, "verify the hash chain; print its head for anchoring" },
    { "rebuild", pw__cmd_rebuild, "drop the derived tables and replay the log into them" },
    { "copy", pw__cmd_copy, "copy a whole store to another database (SQLite <-> PostgreSQL)" },
    { "dump", pw__cmd_dump, "print every derived table row (to compare stores)" },
    { "indicators", pw__cmd_indicators, "the signs of child sexual abuse, with guidance" },
    { "config", pw__cmd_config, "the thresholds and timescales in effect" },
    { "alerts", pw__cmd_alerts, "the safeguarding rules' alerts: what to do, by when, and why" },
    { "tick", pw__cmd_tick, "what has fallen overdue since the last tick, and who it goes to" },
    { "rules", pw__cmd_rules, "the rule table; recheck every alert against the whole store" },
    { "picture", pw__cmd_picture, "a child's picture of concern: signs by agency and strength" },
    { "calendar", pw__cmd_calendar, "bank holidays and working days (England and Wales)" },
    { "synth", pw__cmd_synth, "write a synthetic partnership: agency feeds, histories, truth" },
    { "import", pw__cmd_import, "import an agency's feed of people (CSV): all rows or none" },
    { "link", pw__cmd_link, "decide which records are the same person; explain; review" },
    { "user", pw__cmd_user, "add, disable and list users; set a password (from stdin)" },
    { "access", pw__cmd_access, "what the access policy allows; break-glass and its review" },
    { "serve", pw__cmd_serve, "the JSON API over HTTP (docs/api.md)" },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static const char usage_text[] =
    "usage: pathway [--db FILE|postgresql://...] COMMAND [ARGS]\n"
    "\n"
    "Pathway: the multi-agency record of concerns about child sexual abuse in the family.\n"
    "\n"
    "The database is --db FILE (a SQLite file) or --db postgresql://... (a PostgreSQL\n"
    "database; see docs/deploy.md), or the PATHWAY_DB environment variable.\n"
    "`pathway COMMAND --help` describes each command.\n"
    "\n"
    "commands:\n";

static void
print_usage(FILE *f)
{
    (void)fputs(usage_text, f);
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        (void)fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    }
    (void)fputs("\nexit codes: 0 ok; 1 integrity check failed; 2 usage; 3 invalid input; "
                "4 not found;\n5 conflict; 6 refused by a safeguarding rule; 9 too large; "
                "10 storage error;\n11 input/output error; 70 internal error\n",
                f);
}

bool
pw__cli_wants_help(struct pw__cli *cli, int argc, char **argv, const char *usage)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            (void)fputs(usage, cli->out);
            return true;
        }
        if (strcmp(argv[i], "--") == 0) {
            break;
        }
    }
    return false;
}

static const struct pw__opt *
find_opt(const struct pw__opt *opts, const char *name)
{
    for (const struct pw__opt *o = opts; o != NULL && o->name != NULL; o++) {
        if (strcmp(o->name, name) == 0) {
            return o;
        }
    }
    return NULL;
}

/* Accepts "--name value" and "--name=value". */
static enum pw_status
take_option(struct pw__cli *cli, const struct pw__opt *opts, int argc, char **argv, int *i,
            struct pw_error *err)
{
    char name[64];
    const char *arg = argv[*i];
    const char *eq = strchr(arg, '=');
    size_t len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    if (len >= sizeof(name)) {
        return pw_fail(err, PW_EUSAGE, "unknown option %.40s", arg);
    }
    memcpy(name, arg, len);
    name[len] = '\0';
    const char *value = eq != NULL ? eq + 1 : NULL;
    const char **target = NULL;
    const struct pw__opt *o = find_opt(opts, name);
    if (strcmp(name, "--db") == 0) {
        target = &cli->db;
    } else if (o == NULL) {
        return pw_fail(err, PW_EUSAGE, "unknown option %s (see pathway %s --help)", name,
                       cli->name);
    } else if (o->value == NULL) {
        if (value != NULL) {
            return pw_fail(err, PW_EUSAGE, "option %s takes no value", name);
        }
        *o->flag = true;
        return PW_OK;
    } else {
        target = o->value;
    }
    if (value == NULL) {
        if (*i + 1 >= argc) {
            return pw_fail(err, PW_EUSAGE, "option %s needs a value", name);
        }
        value = argv[++*i];
    }
    *target = value;
    return PW_OK;
}

enum pw_status
pw__cli_parse(struct pw__cli *cli, int argc, char **argv, const struct pw__opt *opts,
              const char **pos, int max_pos, int *npos, struct pw_error *err)
{
    bool only_positional = false;
    *npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!only_positional && strcmp(arg, "--") == 0) {
            only_positional = true;
            continue;
        }
        if (!only_positional && arg[0] == '-' && arg[1] != '\0') {
            enum pw_status rc = take_option(cli, opts, argc, argv, &i, err);
            if (rc != PW_OK) {
                return rc;
            }
            continue;
        }
        if (*npos >= max_pos) {
            return pw_fail(err, PW_EUSAGE, "unexpected argument \"%.40s\" (see pathway %s --help)",
                           arg, cli->name);
        }
        pos[(*npos)++] = arg;
    }
    return PW_OK;
}

enum pw_status
pw__cli_config(struct pw__cli *cli, const struct pw_config **out, struct pw_error *err)
{
    if (!cli->config_loaded) {
        /* The CLI reads its environment before any thread exists. */
        const char *file = getenv("PATHWAY_CONFIG"); /* NOLINT(concurrency-mt-unsafe) */
        pw_config_defaults(&cli->config);
        if (file != NULL && file[0] != '\0') {
            enum pw_status rc = pw_config_load(&cli->config, file, err);
            if (rc != PW_OK) {
                pw_error_detail(err, "PATHWAY_CONFIG=%s", file);
                return rc;
            }
        }
        cli->config_loaded = true;
    }
    *out = &cli->config;
    return PW_OK;
}

enum pw_status
pw__cli_attach(struct pw__cli *cli, struct pw_store *s, struct pw_error *err)
{
    const struct pw_config *config = NULL;
    enum pw_status rc = pw__cli_config(cli, &config, err);
    if (rc == PW_OK && cli->rules == NULL) {
        cli->rules = pw_rules_new(config);
    }
    if (rc == PW_OK) {
        pw_rules_attach(cli->rules, s);
    }
    if (rc == PW_OK && pw_store_rebuilt_on_open(s)) {
        /* An upgraded store: its alerts went with the old projections. */
        struct pw_recheck_result r;
        rc = pw_rules_recheck(cli->rules, s, true, NULL, NULL, &r, err);
        if (rc == PW_OK) {
            (void)fprintf(cli->errs,
                          "pathway: the store was upgraded and rebuilt; %zu alerts derived "
                          "again\n",
                          r.alerts);
        }
    }
    return rc;
}

enum pw_status
pw__cli_open(struct pw__cli *cli, unsigned flags, struct pw_store **out, struct pw_error *err)
{
    struct pw_store *s = NULL;
    enum pw_status rc = pw_store_open(cli->db, flags, &s, err);
    if (rc == PW_OK) {
        rc = pw__cli_attach(cli, s, err);
    }
    if (rc != PW_OK) {
        pw_store_close(s);
        return rc;
    }
    *out = s;
    return PW_OK;
}

enum pw_status
pw__cli_now(const char *text, int32_t *day, struct pw_error *err)
{
    *day = pw_time_uk_date(pw_time_now_us());
    if (text == NULL) {
        return PW_OK;
    }
    enum pw_status rc = pw_date_parse(text, strlen(text), day, err);
    pw_error_field(err, "--now");
    return rc;
}

void
pw__cli_print_wrapped(FILE *out, const char *text, size_t indent, size_t width)
{
    size_t room = width > indent + 20 ? width - indent : 20;
    const char *p = text + strspn(text, " ");
    while (*p != '\0') {
        size_t n = strlen(p);
        if (n > room) {
            size_t cut = room;
            while (cut > 0 && p[cut] != ' ') {
                cut--;
            }
            if (cut == 0) { /* one word longer than the line: let it run over */
                cut = strcspn(p, " ");
            }
            n = cut;
        }
        (void)fprintf(out, "%*s%.*s\n", (int)indent, "", (int)n, p);
        p += n;
        p += strspn(p, " ");
    }
}

void
pw__cli_print_error(struct pw__cli *cli, const struct pw_error *err)
{
    (void)fprintf(cli->errs, "pathway%s%s: ", cli->name != NULL ? " " : "",
                  cli->name != NULL ? cli->name : "");
    if (err->line > 0) {
        (void)fprintf(cli->errs, "line %ld: ", err->line);
    }
    if (err->field[0] != '\0') {
        (void)fprintf(cli->errs, "%s: ", err->field);
    }
    (void)fprintf(cli->errs, "%s\n", err->msg[0] != '\0' ? err->msg : pw_status_text(err->code));
}

int
pw_cli_main(int argc, char **argv)
{
    /* The CLI reads its environment before any thread exists. */
    const char *db = getenv("PATHWAY_DB"); /* NOLINT(concurrency-mt-unsafe) */
    struct pw__cli cli = { .db = db, .out = stdout, .errs = stderr };
    struct pw_error err = { 0 };
    int i = 1;
    /* Global options before the command. */
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            cli.db = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            cli.db = argv[i] + 5;
            i++;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_usage(stdout);
            return 0;
        } else {
            (void)fprintf(stderr, "pathway: unknown option %s\n\n", argv[i]);
            print_usage(stderr);
            return pw_status_exit(PW_EUSAGE);
        }
    }
    if (i >= argc) {
        print_usage(stderr);
        return pw_status_exit(PW_EUSAGE);
    }
    const char *name = argv[i];
    if (strcmp(name, "help") == 0) {
        print_usage(stdout);
        return 0;
    }
    for (size_t c = 0; c < COMMAND_COUNT; c++) {
        if (strcmp(commands[c].name, name) == 0) {
            cli.name = name;
            enum pw_status rc = commands[c].run(&cli, argc - i - 1, argv + i + 1, &err);
            if (rc != PW_OK && !cli.reported) {
                pw__cli_print_error(&cli, &err);
            }
            pw_rules_free(cli.rules);
            (void)fflush(stdout);
            return pw_status_exit(rc);
        }
    }
    (void)fprintf(stderr, "pathway: unknown command \"%.40s\"\n\n", name);
    print_usage(stderr);
    return pw_status_exit(PW_EUSAGE);
}
