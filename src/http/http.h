/*
 * The JSON API over HTTP (docs/api.md, docs/openapi.yaml): `pathway serve`. libmicrohttpd
 * carries the bytes; everything Pathway decides about a request is here and reachable without a
 * socket: pw_http_handle takes a request (method, raw URI, the few headers that matter, body)
 * and fills a response, so the unit tests, the authorization matrix and the fuzz target drive
 * the same code the server runs. Handlers only translate: the store, the rules, the access
 * policy and record linkage decide.
 *
 * Threads: a pw_http is shared by the server's worker threads. It holds a pool of store
 * handles (one per worker, each with its own rules engine: a store handle is used by one
 * thread at a time) and the session table behind a mutex. pw_http_handle is thread-safe.
 */
#ifndef PW_HTTP_HTTP_H
#define PW_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "core/error.h"
#include "pathway/config.h"

/* Limits (docs/api.md). Bodies are read by Pathway, never by libmicrohttpd's PostProcessor. */
#define PW_HTTP_BODY_MAX_FACTS ((size_t)1024 * 1024) /* POST /api/facts */
#define PW_HTTP_BODY_MAX_SMALL ((size_t)16 * 1024)   /* every other body */
#define PW_HTTP_JSON_DEPTH_MAX 32                    /* nesting of arrays and objects */
#define PW_HTTP_FACTS_MAX      1000                  /* facts in one POST */
#define PW_HTTP_URI_MAX        2048                  /* bytes of path and query */
#define PW_HTTP_QUERY_PARAMS   16                    /* parameters in a query string */
#define PW_HTTP_SESSIONS_MAX   4096                  /* sessions held at once */
#define PW_HTTP_IDLE_S         (30 * 60)             /* a session ends after this long unused */
#define PW_HTTP_ABSOLUTE_S     (10 * 3600)           /* and this long after sign-in, used or not */
#define PW_HTTP_SEARCH_RESULTS 20                    /* people a search returns at most */
#define PW_HTTP_WORK_LIMIT     100 /* my work: the most urgent alerts listed (limit=) */
#define PW_HTTP_WORK_LIMIT_MAX 1000
#define PW_HTTP_TOKEN_PREFIX   "pwt_" /* API tokens: the prefix and 64 hex digits */

/** How a server runs. Zeroed fields take the defaults given. */
struct pw_http_options {
    const char *db;                 /* the store target (as --db) */
    const struct pw_config *config; /* the rules' configuration; borrowed, must outlive */
    unsigned threads;               /* worker threads and store handles; 0: 4 */
    bool secure_cookies;            /* served over TLS (or behind a TLS proxy): Secure, HSTS */
    /*
     * For bench/api only: reads are decided by the policy but not written on the access log,
     * to measure what the log costs. Never in service: `pathway serve` says so when it starts.
     */
    bool no_access_log;
    int64_t now_us;              /* 0: the real clock (tests set it) */
    enum pw_hash_cost hash_cost; /* tests only: the cost of the unknown-user dummy hash */
    int idle_s;                  /* 0: PW_HTTP_IDLE_S */
    int absolute_s;              /* 0: PW_HTTP_ABSOLUTE_S */
};

struct pw_http;

/**
 * Opens opts->threads store handles on opts->db (rules attached) and an empty session table.
 * New: free with pw_http_free. opts is copied (its strings and config are borrowed).
 */
PW_MUSTCHECK enum pw_status pw_http_new(const struct pw_http_options *opts, struct pw_http **out,
                                        struct pw_error *err);
/** Stops any listener, closes the stores, wipes the sessions. NULL is a no-op. */
void pw_http_free(struct pw_http *h);

/**
 * Listens on addr ("127.0.0.1", "::1") and port (0: any free port) with libmicrohttpd, the
 * limits of docs/api.md set explicitly. *bound gets the port bound.
 */
PW_MUSTCHECK enum pw_status pw_http_listen(struct pw_http *h, const char *addr, unsigned port,
                                           unsigned *bound, struct pw_error *err);

/** A request as the handler sees it. Strings borrowed; NULL headers are absent. */
struct pw_http_request {
    const char *method;
    const char *uri; /* as sent: path and query, still percent-encoded */
    const char *cookie;
    const char *authorization;
    const char *csrf; /* X-CSRF-Token */
    const char *content_type;
    const char *sec_fetch_site; /* Sec-Fetch-Site: where a browser says the request came from */
    const char *body;
    size_t body_len;
    bool body_too_big; /* the server stopped reading past PW_HTTP_BODY_MAX_FACTS */
};

/** What to answer. body is JSON text (owned), or what content_type says for a page. */
struct pw_http_response {
    int status;
    char *body;
    size_t body_len;
    const char *content_type; /* static; NULL: JSON */
    bool page;                /* an HTML page: the pages' Content-Security-Policy */
    bool cacheable;           /* a static asset: browsers may keep it (nothing personal) */
    char location[512];       /* a redirect's target, "" when none */
    char set_cookie[256];     /* "" when none */
    char allow[64];           /* 405: the methods the path takes */
    bool www_authenticate;    /* 401: say how to authenticate */
};

/** Handles one request into resp (release it after). Never fails: errors are responses. */
void pw_http_handle(struct pw_http *h, const struct pw_http_request *req,
                    struct pw_http_response *resp);
void pw_http_response_release(struct pw_http_response *resp);

/** Whether the server answers with Secure cookies and HSTS. */
bool pw_http_secure(const struct pw_http *h);

/**
 * Makes an API token for user (enabled) as actor (NULL: the operator): PW_HTTP_TOKEN_PREFIX
 * and 256 random bits in hex, written into token (at least 72 bytes) to be shown once. Only
 * its SHA-256 is kept (in the store's operational values), with an access log entry, in one
 * transaction. A token acts as its user for as long as the user is enabled.
 */
PW_MUSTCHECK enum pw_status pw_http_token_new(struct pw_store *s, const char *actor,
                                              const char *user, char *token, size_t size,
                                              struct pw_error *err);

/* ---- Pages: the web module's hook ---- */

struct pw_rules;
struct pw_store;

#define PW_HTTP_BODY_MAX_PAGE ((size_t)64 * 1024) /* a form's body */

/**
 * One request for a page (any path outside /api/), as the web module sees it. Borrowed, valid
 * for the call. user is NULL when nobody is signed in (a page decides whether that is allowed).
 */
struct pw_http_page {
    struct pw_http *h;
    struct pw_store *s;
    struct pw_rules *rules;
    const struct pw_http_request *req;
    const struct pw_http_target *target; /* the path and query, decoded */
    const struct pw_user *user;          /* NULL: not signed in */
    const char *csrf;                    /* the session's CSRF token for forms; NULL: none */
    int64_t now_us;
    void *internal; /* http's own state for pw_http_page_call */
};

/** Fills resp (status, body, content_type, location...). Errors are pages too. */
typedef void (*pw_http_page_fn)(void *ctx, struct pw_http_page *p, struct pw_http_response *resp);

/** Hands every path outside /api/ to fn (NULL: such paths are 404). Before listening. */
void pw_http_set_pages(struct pw_http *h, pw_http_page_fn fn, void *ctx);

/**
 * Calls the API route method uri (path and query, percent-encoded) as the page's user, with
 * body (borrowed; NULL: none): the same handler, access policy, access log and views as a
 * client of the API gets, so a page shows exactly what the API would. *out gets the answer's
 * JSON (new reference) when PW_OK. A session begun or ended by the call (POST or DELETE
 * /api/session) sets resp->set_cookie. The page has checked its own form's CSRF token.
 */
PW_MUSTCHECK enum pw_status pw_http_page_call(struct pw_http_page *p, const char *method,
                                              const char *uri, json_t *body, json_t **out,
                                              struct pw_http_response *resp, struct pw_error *err);

/** True when token is the page's session CSRF token (constant-time). */
bool pw_http_page_csrf_ok(const struct pw_http_page *p, const char *token);

/* ---- The route table (served routes; docs/openapi.yaml describes each) ---- */

/** What a route needs of the caller, for the authorization matrix. */
enum pw_http_guard {
    PW_HTTP_PUBLIC,    /* anyone: signing in */
    PW_HTTP_SIGNED_IN, /* any signed-in user: their own session */
    PW_HTTP_POLICY,    /* the access policy, on the action named */
};

struct pw_http_route_info {
    const char *method;  /* "GET", "POST", "DELETE" */
    const char *pattern; /* "/api/children/{id}/picture" as docs/openapi.yaml spells it */
    enum pw_http_guard guard;
    enum pw_action action; /* PW_HTTP_POLICY: what the policy is asked */
    size_t body_max;       /* 0: takes no body */
};

size_t pw_http_route_count(void);
const struct pw_http_route_info *pw_http_route_at(size_t i);

/* ---- Request parsing, pure (the fuzz target and unit tests call these) ---- */

/** A query parameter, decoded. */
struct pw_http_param {
    char *name;
    char *value;
};

/** A parsed request target. Owned: pw_http_target_release. */
struct pw_http_target {
    char *path; /* decoded */
    struct pw_http_param params[PW_HTTP_QUERY_PARAMS];
    size_t nparams;
};

/**
 * Parses a raw request target ("/api/people?q=J%C3%BCrgen"): the path and the query decoded
 * (%XX, '+' as space in the query), refusing what no client of ours sends: no leading '/',
 * longer than PW_HTTP_URI_MAX, a bad escape, an encoded NUL or control character, invalid
 * UTF-8, "." or ".." segments, an encoded '/', a parameter repeated, more than
 * PW_HTTP_QUERY_PARAMS. PW_EINVAL (field "query" or "path") or PW_ETOOBIG.
 */
PW_MUSTCHECK enum pw_status pw_http_target_parse(const char *uri, struct pw_http_target *out,
                                                 struct pw_error *err);
void pw_http_target_release(struct pw_http_target *t);
/**
 * Decodes one name or value of a form body (application/x-www-form-urlencoded): %XX and '+'
 * as in a query, refusing the same (a bad escape, invalid UTF-8, a control character) but for
 * tab, CR and LF, which a textarea sends. New string (free it), or NULL when refused.
 */
char *pw_http_form_decode(const char *s, size_t n);
/** The value of parameter name, or NULL. Borrowed. */
const char *pw_http_target_param(const struct pw_http_target *t, const char *name);

/** Where a path goes: the route and up to two {id} values copied out. */
struct pw_http_match {
    const struct pw_http_route_info *route; /* NULL: none */
    char ids[2][PW_ID_MAX + 1];
    size_t nids;
    bool path_known; /* some route has the path (then a NULL route is 405) */
    char allow[64];  /* the methods the path takes, for 405 */
};

/** Matches method and a decoded path against the route table. */
void pw_http_route_match(const char *method, const char *path, struct pw_http_match *out);

/**
 * The value of cookie name in a Cookie header ("a=1; pw_session=..."), copied into out (size
 * bytes). False when absent, empty, repeated (a cookie set twice is an attack, not a choice)
 * or too long.
 */
bool pw_http_cookie_get(const char *header, const char *name, char *out, size_t size);
/** The token of "Authorization: Bearer TOKEN" into out; false when it is not that form. */
bool pw_http_bearer_get(const char *header, char *out, size_t size);

/**
 * Checks a JSON body before jansson sees it: valid UTF-8 with no NUL, nesting no deeper than
 * max_depth (jansson's own limit is 2048, deep enough to be a stack risk on a worker thread),
 * then parses it (duplicate keys refused). New reference in *out. PW_EINVAL with a message
 * naming the problem and never quoting the input.
 */
PW_MUSTCHECK enum pw_status pw_http_json_parse(const char *body, size_t len, int max_depth,
                                               json_t **out, struct pw_error *err);

#endif
