/*
 * `pathway serve`: the JSON API (docs/api.md) on libmicrohttpd until SIGINT or SIGTERM. The
 * signals are blocked before the server's threads start, so they inherit the mask and only
 * this thread takes them (sigwait): no handler runs in the middle of a request.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"
#include "web/web.h"

static const char usage[] =
    "usage: pathway serve [--listen ADDRESS:PORT] [--threads N] [--tls] [--assets DIR]\n"
    "\n"
    "Serves the practitioners' web pages (docs/web.md) and the JSON API (docs/api.md,\n"
    "docs/openapi.yaml) until interrupted. Everyone signs in (the sign-in page, POST\n"
    "/api/session) or sends an API token (pathway user token); every read and write goes\n"
    "through the access policy and onto the access log. Prints \"listening on ...\" when ready.\n"
    "\n"
    "  --listen ADDRESS:PORT  where to listen (default 127.0.0.1:8080; [::1]:8080 for IPv6;\n"
    "                         port 0 picks a free one, printed)\n"
    "  --assets DIR           the web pages' stylesheet, scripts and images (default: the\n"
    "                         build's own web/ folder, made by make)\n"
    "  --threads N            worker threads, each with its own store handle (default 4)\n"
    "  --tls                  behind TLS (a proxy terminating it): Secure cookies with the\n"
    "                         __Host- prefix, and HSTS\n"
    "  --bench-no-access-log  FOR bench/api ONLY: reads are decided but not logged, to measure\n"
    "                         the log's cost. Never use it in service\n";

/* "127.0.0.1:8080", "[::1]:8080" into addr and port. */
static enum pw_status
split_listen(const char *text, char *addr, size_t size, unsigned *port, struct pw_error *err)
{
    const char *colon = strrchr(text, ':');
    const char *a = text;
    size_t alen = colon != NULL ? (size_t)(colon - text) : 0;
    if (alen > 1 && text[0] == '[' && text[alen - 1] == ']') {
        a++;
        alen -= 2;
    }
    char *end = NULL;
    unsigned long p = colon != NULL ? strtoul(colon + 1, &end, 10) : 0;
    if (colon == NULL || alen == 0 || alen >= size || end == colon + 1 || *end != '\0' ||
        p > 65535) {
        return pw_fail(err, PW_EUSAGE, "--listen takes ADDRESS:PORT, such as 127.0.0.1:8080");
    }
    memcpy(addr, a, alen);
    addr[alen] = '\0';
    *port = (unsigned)p;
    return PW_OK;
}

enum pw_status
pw__cmd_serve(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    const char *listen = "127.0.0.1:8080";
    const char *threads = NULL;
    bool tls = false;
    bool no_log = false;
    const char *assets = NULL;
    const struct pw__opt opts[] = { { "--listen", &listen, NULL },
                                    { "--assets", &assets, NULL },
                                    { "--threads", &threads, NULL },
                                    { "--tls", NULL, &tls },
                                    { "--bench-no-access-log", NULL, &no_log },
                                    { NULL, NULL, NULL } };
    int npos = 0;
    char addr[64];
    unsigned port = 0;
    unsigned bound = 0;
    unsigned long nthreads = 4;
    const struct pw_config *config = NULL;
    struct pw_http *h = NULL;
    struct pw_web *web = NULL;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, NULL, 0, &npos, err);
    if (rc == PW_OK) {
        rc = split_listen(listen, addr, sizeof(addr), &port, err);
    }
    if (rc == PW_OK && threads != NULL) {
        char *end = NULL;
        nthreads = strtoul(threads, &end, 10);
        if (end == threads || *end != '\0' || nthreads < 1 || nthreads > 64) {
            rc = pw_fail(err, PW_EUSAGE, "--threads takes a number from 1 to 64");
        }
    }
    if (rc == PW_OK && cli->db == NULL) {
        rc = pw_fail(err, PW_EUSAGE, "name the database: --db FILE or PATHWAY_DB");
    }
    if (rc == PW_OK) {
        rc = pw__cli_config(cli, &config, err);
    }
    if (rc == PW_OK) {
        /* Bring an older store up to date (and its alerts) once, before the workers open it. */
        struct pw_store *s = NULL;
        rc = pw__cli_open(cli, 0, &s, err);
        pw_store_close(s);
    }
    sigset_t set;
    (void)sigemptyset(&set);
    (void)sigaddset(&set, SIGINT);
    (void)sigaddset(&set, SIGTERM);
    (void)sigaddset(&set, SIGPIPE);
    if (rc == PW_OK) {
        (void)pthread_sigmask(SIG_BLOCK, &set, NULL);
        struct pw_http_options o = { .db = cli->db,
                                     .config = config,
                                     .threads = (unsigned)nthreads,
                                     .secure_cookies = tls,
                                     .no_access_log = no_log };
        rc = pw_http_new(&o, &h, err);
    }
    if (rc == PW_OK) {
        struct pw_web_options wo = { .assets = assets };
        rc = pw_web_new(&wo, &web, err);
    }
    if (rc == PW_OK) {
        pw_web_attach(web, h);
        rc = pw_http_listen(h, addr, port, &bound, err);
    }
    if (rc == PW_OK) {
        if (no_log) {
            (void)fprintf(cli->errs, "pathway serve: WARNING: reads are not on the access log "
                                     "(--bench-no-access-log): for benchmarks only\n");
        }
        (void)fprintf(cli->out, "listening on http://%s%s%s:%u\n", strchr(addr, ':') ? "[" : "",
                      addr, strchr(addr, ':') ? "]" : "", bound);
        (void)fflush(cli->out);
        (void)sigdelset(&set, SIGPIPE);
        int sig = 0;
        (void)sigwait(&set, &sig);
        (void)fprintf(cli->errs, "pathway serve: stopping\n");
    }
    pw_http_free(h); /* stops serving before the pages go */
    pw_web_free(web);
    return rc;
}
