/*
 * `pathway user add|disable|list|password`: the people who may use Pathway. Passwords come
 * from standard input only (never the command line, where ps and shell history would see
 * them), are hashed with Argon2id and never printed. Every change is on the access log.
 */
#include "cli/cli.h"

#include <string.h>

#include "core/alloc.h"
#include "http/http.h"

static const char usage[] =
    "usage: pathway user add USER --agency AGENCY --role ROLE --name \"NAME\" [--password-stdin]\n"
    "       pathway user disable USER\n"
    "       pathway user list\n"
    "       pathway user password USER          (the new password on standard input)\n"
    "       pathway user token USER             (an API token for a system: shown once)\n"
    "\n"
    "Roles: practitioner, manager, front_door (triage), data_lead (the access log and\n"
    "break-glass reviews), auditor (pseudonymised records), administrator (users only).\n"
    "Agencies: csc, police, health, probation, education, yjs, cafcass, early_help, other.\n"
    "Passwords are 12 to 128 characters, read from the first line of standard input.\n"
    "\n"
    "  --as USER   the administrator making the change (default: PATHWAY_USER; when neither\n"
    "              is given the change is logged as made by \"system\", the operator)\n";

/* Reads one line of standard input as a password (without its line end). New, or NULL. */
static char *
read_password(FILE *in, size_t *len, struct pw_error *err)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, in);
    if (n <= 0) {
        free(line);
        pw_fail(err, PW_EUSAGE, "no password on standard input");
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
        line[--n] = '\0';
    }
    *len = (size_t)n;
    return line;
}

static void
free_password(char *p, size_t len)
{
    if (p != NULL) {
        pw_wipe(p, len);
        free(p);
    }
}

static enum pw_status
print_user(void *ctx, const struct pw_user *u, struct pw_error *err)
{
    (void)err;
    FILE *out = ctx;
    (void)fprintf(out, "%-20s %-11s %-13s %s%s%s\n", u->id, u->agency, pw_role_name(u->role),
                  u->name, u->disabled ? "  [disabled]" : "",
                  u->has_password ? "" : "  [no password]");
    return PW_OK;
}

enum pw_status
pw__cmd_user(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    const char *agency = NULL, *role_text = NULL, *name = NULL;
    const char *as = getenv("PATHWAY_USER"); /* NOLINT(concurrency-mt-unsafe) */
    bool password_stdin = false;
    const struct pw__opt opts[] = { { "--agency", &agency, NULL },
                                    { "--role", &role_text, NULL },
                                    { "--name", &name, NULL },
                                    { "--as", &as, NULL },
                                    { "--password-stdin", NULL, &password_stdin },
                                    { NULL, NULL, NULL } };
    const char *pos[2];
    int npos = 0;
    struct pw_store *s = NULL;
    char *password = NULL;
    size_t plen = 0;
    enum pw_role role = PW_ROLE_PRACTITIONER;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, pos, 2, &npos, err);
    const char *sub = npos > 0 ? pos[0] : "";
    bool add = strcmp(sub, "add") == 0, list = strcmp(sub, "list") == 0;
    bool disable = strcmp(sub, "disable") == 0, pass = strcmp(sub, "password") == 0;
    bool token = strcmp(sub, "token") == 0;
    if (rc == PW_OK && !add && !list && !disable && !pass && !token) {
        rc = pw_fail(err, PW_EUSAGE, "say pathway user add, disable, list, password or token");
    } else if (rc == PW_OK && (list ? npos != 1 : npos != 2)) {
        rc = pw_fail(
            err, PW_EUSAGE,
            list ? "pathway user list takes no user" : "name the user: pathway user %s USER", sub);
    } else if (rc == PW_OK && add && (agency == NULL || role_text == NULL || name == NULL)) {
        rc = pw_fail(err, PW_EUSAGE, "pathway user add needs --agency, --role and --name");
    } else if (rc == PW_OK && add && !pw_role_parse(role_text, &role)) {
        rc = pw_fail(err, PW_EINVAL,
                     "unknown role %.40s: practitioner, manager, front_door, data_lead, auditor "
                     "or administrator",
                     role_text);
    }
    if (rc == PW_OK && ((add && password_stdin) || pass)) {
        password = read_password(stdin, &plen, err);
        rc = password == NULL ? PW_EUSAGE : PW_OK;
    }
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK && add) {
        rc = pw_access_user_add(s, NULL, as, pos[1], agency, role, name, password, plen, err);
        if (rc == PW_OK) {
            (void)fprintf(cli->out, "added %s (%s, %s)%s\n", pos[1], agency, role_text,
                          password != NULL ? "" : ": no password yet (pathway user password)");
        }
    } else if (rc == PW_OK && disable) {
        rc = pw_access_user_disable(s, NULL, as, pos[1], err);
        if (rc == PW_OK) {
            (void)fprintf(cli->out, "disabled %s\n", pos[1]);
        }
    } else if (rc == PW_OK && token) {
        /* Only the token's SHA-256 is kept; this is the one time it is shown. */
        char text[96];
        rc = pw_http_token_new(s, as, pos[1], text, sizeof(text), err);
        if (rc == PW_OK) {
            (void)fprintf(cli->out, "%s\n", text);
            (void)fprintf(cli->errs,
                          "an API token for %s: send it as \"Authorization: Bearer TOKEN\"; it "
                          "is not kept and will not be shown again\n",
                          pos[1]);
        }
        pw_wipe(text, sizeof(text));
    } else if (rc == PW_OK && pass) {
        rc = pw_access_user_password(s, NULL, as, pos[1], password, plen, err);
        if (rc == PW_OK) {
            (void)fprintf(cli->out, "password set for %s\n", pos[1]);
        }
    } else if (rc == PW_OK) {
        rc = pw_access_users(s, print_user, cli->out, err);
    }
    free_password(password, plen);
    pw_store_close(s);
    return rc;
}
