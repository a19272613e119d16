/* `pathway init`, `rebuild` and `dump`: the database itself. */
#include "cli/cli.h"

#include <inttypes.h>

static const char init_usage[] = "usage: pathway init [--db FILE]\n"
                                 "\n"
                                 "Creates a new, empty database (refuses if FILE exists).\n";

static const char rebuild_usage[] =
    "usage: pathway rebuild\n"
    "\n"
    "Empties every derived table (people, names, relationships, households, risks) and\n"
    "replays the fact log into them, in one transaction. The result is identical to what\n"
    "recording built: the log is the truth and everything else follows from it.\n";

static const char dump_usage[] =
    "usage: pathway dump\n"
    "\n"
    "Prints every row of every derived table, in a fixed order, one row a line (table name,\n"
    "then the columns separated by tabs, \\N for none). Two stores with the same log dump\n"
    "the same text.\n";

enum pw_status
pw__cmd_init(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, init_usage)) {
        return PW_OK;
    }
    int npos = 0;
    struct pw_store *s = NULL;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, NULL, NULL, 0, &npos, err);
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, PW_STORE_CREATE | PW_STORE_NEW, &s, err);
    }
    if (rc == PW_OK && pw_store_is_postgres(cli->db)) {
        /* Never echo a PostgreSQL URI: it may carry a password. */
        (void)fprintf(cli->out,
                      "created a Pathway store in the PostgreSQL database (schema "
                      "version %d)\n",
                      pw_store_schema_version(s));
    } else if (rc == PW_OK) {
        (void)fprintf(cli->out, "created %s (%s, schema version %d)\n", cli->db,
                      pw_store_backend(s), pw_store_schema_version(s));
    }
    pw_store_close(s);
    return rc;
}

enum pw_status
pw__cmd_rebuild(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, rebuild_usage)) {
        return PW_OK;
    }
    int npos = 0;
    int64_t replayed = 0;
    struct pw_store *s = NULL;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, NULL, NULL, 0, &npos, err);
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK) {
        rc = pw_store_rebuild(s, &replayed, err);
    }
    if (rc == PW_OK) {
        (void)fprintf(cli->out, "rebuilt the derived tables from %" PRId64 " fact%s\n", replayed,
                      replayed == 1 ? "" : "s");
    }
    pw_store_close(s);
    return rc;
}

static void
print_line(void *ctx, const char *line)
{
    (void)fprintf((FILE *)ctx, "%s\n", line);
}

enum pw_status
pw__cmd_dump(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, dump_usage)) {
        return PW_OK;
    }
    int npos = 0;
    struct pw_store *s = NULL;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, NULL, NULL, 0, &npos, err);
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK) {
        rc = pw_store_dump(s, print_line, cli->out, err);
    }
    pw_store_close(s);
    return rc;
}
