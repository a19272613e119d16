/*
 * The `pathway` command: argument handling and the subcommands. Subcommands parse their
 * arguments, call the store and the model, and print; they hold no domain logic of their own.
 */
#ifndef PW_CLI_CLI_H
#define PW_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "access/access.h"
#include "core/error.h"
#include "pathway/config.h"
#include "rules/rules.h"
#include "store/store.h"

/** Runs `pathway` with argv; returns the process exit code (README.md lists them). */
int pw_cli_main(int argc, char **argv);

/* An option a subcommand accepts. value == NULL: a flag (sets *flag). */
struct pw__opt {
    const char *name; /* "--json" */
    const char **value;
    bool *flag;
};

/* What every subcommand gets. */
struct pw__cli {
    const char *db;   /* --db or PATHWAY_DB, may be NULL */
    const char *name; /* the subcommand's name, for messages */
    FILE *out;
    FILE *errs;
    bool reported;           /* the subcommand printed its own errors: print none for it */
    struct pw_config config; /* PATHWAY_CONFIG, else the defaults: loaded by pw__cli_config */
    bool config_loaded;
    struct pw_rules *rules; /* attached to every store pw__cli_open opens */
};

/*
 * Parses argv[0..argc) against opts, putting up to max_pos positional arguments into pos.
 * "--db FILE" is accepted anywhere. Returns PW_EUSAGE naming the bad argument.
 */
enum pw_status pw__cli_parse(struct pw__cli *cli, int argc, char **argv, const struct pw__opt *opts,
                             const char **pos, int max_pos, int *npos, struct pw_error *err);

/*
 * Opens the store named by --db / PATHWAY_DB with the safeguarding rules attached (under the
 * configuration), so recording evaluates them.
 */
enum pw_status pw__cli_open(struct pw__cli *cli, unsigned flags, struct pw_store **out,
                            struct pw_error *err);
/* Attaches the rules to a store the subcommand opened itself. */
enum pw_status pw__cli_attach(struct pw__cli *cli, struct pw_store *s, struct pw_error *err);
/* The configuration from PATHWAY_CONFIG (else the defaults), loaded once. */
enum pw_status pw__cli_config(struct pw__cli *cli, const struct pw_config **out,
                              struct pw_error *err);
/* "--now DATE" or today in England, into *day. */
enum pw_status pw__cli_now(const char *text, int32_t *day, struct pw_error *err);

/* The subcommands: each returns a status; usage text on --help. */
enum pw_status pw__cmd_init(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_record(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_facts(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_household(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_chronology(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_episode(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_audit(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_rebuild(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_copy(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_indicators(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_config(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_dump(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_alerts(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_tick(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_rules(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_picture(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_calendar(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_synth(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_import(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_link(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_user(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_access(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);
enum pw_status pw__cmd_serve(struct pw__cli *cli, int argc, char **argv, struct pw_error *err);

/*
 * The user acting (--as, else PATHWAY_USER): PW_EUSAGE when none is named, PW_EAUTH when it is
 * not an enabled user. The CLI trusts whoever can open the database to say who they are; the
 * JSON API signs people in (pw_access_sign_in).
 */
enum pw_status pw__cli_acting_user(struct pw__cli *cli, struct pw_store *s, const char *as,
                                   struct pw_user *out, struct pw_error *err);
/*
 * For a read of child's record: when an acting user is named (as, else PATHWAY_USER) sets
 * *acting, asks the access policy and puts the look on the access log (PW_EFORBIDDEN when
 * refused: print nothing). With no acting user, *acting is false and nothing is checked.
 */
enum pw_status pw__cli_log_read(struct pw__cli *cli, struct pw_store *s, const char *as,
                                const char *child, struct pw_user *user, bool *acting,
                                struct pw_access_decision *d, struct pw_error *err);

/* Prints text word-wrapped to width columns, every line indented by indent spaces. */
void pw__cli_print_wrapped(FILE *out, const char *text, size_t indent, size_t width);

/* Prints err as "pathway SUB: line N: PATH: message" to cli->errs. */
void pw__cli_print_error(struct pw__cli *cli, const struct pw_error *err);

/* True when argv holds --help or -h; prints usage to cli->out. */
bool pw__cli_wants_help(struct pw__cli *cli, int argc, char **argv, const char *usage);

#endif
