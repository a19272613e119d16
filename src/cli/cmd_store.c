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
    if (rc == PW_OK) {
        rc = pw_rules_init_store(cli->rules, s, err);
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

static const char copy_usage[] =
    "usage: pathway copy --from SOURCE --to TARGET\n"
    "\n"
    "Copies a whole Pathway store from one database to another: a SQLite file to PostgreSQL\n"
    "to move a partnership up, or PostgreSQL to a SQLite file for a copy to inspect offline.\n"
    "The source must verify; its log is copied exactly as stored (positions, times, hashes),\n"
    "the derived tables are rebuilt from it, and the copy is verified against the source's\n"
    "head before anything is reported. TARGET must be new: a SQLite file that does not\n"
    "exist, or a PostgreSQL database holding no Pathway store.\n";

enum pw_status
pw__cmd_copy(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, copy_usage)) {
        return PW_OK;
    }
    const char *from = NULL;
    const char *to = NULL;
    const struct pw__opt opts[] = { { "--from", &from, NULL },
                                    { "--to", &to, NULL },
                                    { NULL, NULL, NULL } };
    int npos = 0;
    struct pw_store *src = NULL;
    struct pw_copy_result r;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, NULL, 0, &npos, err);
    if (rc == PW_OK && (from == NULL || to == NULL)) {
        rc = pw_fail(err, PW_EUSAGE, "name both: pathway copy --from SOURCE --to TARGET");
    }
    if (rc == PW_OK) {
        rc = pw_store_open(from, 0, &src, err);
    }
    if (rc == PW_OK) {
        rc = pw__cli_attach(cli, src, err); /* the copy derives its alerts as the source did */
    }
    if (rc == PW_OK) {
        rc = pw_store_copy(src, to, &r, err);
    }
    if (rc == PW_OK) {
        (void)fprintf(cli->out,
                      "copied %lld facts from %s to %s; the copy verifies: %lld entries, head "
                      "%lld:%s\n",
                      (long long)r.copied, pw_store_backend(src),
                      pw_store_is_postgres(to) ? "postgresql" : "sqlite", (long long)r.verified,
                      (long long)r.head.seq, r.head.hash);
    }
    pw_store_close(src);
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
