/*
 * What the http module's files share: the server state (store pool, session table), one
 * request's context as handlers see it, and the helpers handlers answer with. Not a public
 * interface: only src/http/ includes it.
 */
#ifndef PW_HTTP_HTTP_INT_H
#define PW_HTTP_HTTP_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/id.h"
#include "http/http.h"
#include "rules/rules.h"
#include "store/store.h"

/* A store handle with its own rules engine, lent to one request at a time. */
struct pw__http_slot {
    struct pw_store *s;
    struct pw_rules *rules;
    bool busy;
};

/* A signed-in browser session. Held in memory only (docs/api.md: a restart signs all out). */
struct pw__http_session {
    char id[PW_ID_RANDOM_TEXT];   /* the cookie value: 128 random bits */
    char csrf[PW_ID_RANDOM_TEXT]; /* the X-CSRF-Token value: another 128 */
    char user[PW_ID_MAX + 1];
    int64_t created_us;
    int64_t last_us;
    bool used;
};

struct pw_http {
    struct pw_http_options opts;
    struct pw__http_slot *slots;
    size_t nslots;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_free;
    pthread_mutex_t session_lock;
    struct pw__http_session *sessions; /* PW_HTTP_SESSIONS_MAX */
    struct MHD_Daemon *daemon;
    pw_http_page_fn page_fn; /* pages outside /api/ (the web module) */
    void *page_ctx;
};

/* One request as a handler sees it. */
struct pw__http_ctx {
    struct pw_http *h;
    struct pw_store *s;
    struct pw_rules *rules;
    const struct pw_http_request *req;
    struct pw_http_target target;
    struct pw_http_match match;
    json_t *body;        /* the parsed body, when the route takes one */
    struct pw_user user; /* the caller (signed in) */
    bool signed_in;
    bool by_cookie;                  /* authenticated by a session cookie (CSRF applies) */
    struct pw__http_session session; /* a copy of the caller's session, when by_cookie */
    struct pw_access_opts aopts;
    int64_t now_us;
    struct pw_http_response *resp;
    json_t *out; /* the answer's JSON, when PW_OK */
};

typedef enum pw_status (*pw__http_handler)(struct pw__http_ctx *c, struct pw_error *err);

/* The pool of store handles (handle.c): borrow waits for a free one. */
struct pw__http_slot *pw__http_borrow(struct pw_http *h);
void pw__http_give_back(struct pw_http *h, struct pw__http_slot *slot);
/* Reads user id into c->user: PW_EAUTH when unknown or disabled. */
PW_MUSTCHECK enum pw_status pw__http_load_user(struct pw__http_ctx *c, const char *id,
                                               struct pw_error *err);
/* The error document for rc and err, as every API error is sent. */
void pw__http_answer_error(struct pw_http_response *resp, enum pw_status rc,
                           const struct pw_error *err);

/* Pages (page.c): whether a decoded path is the API's, and a page request from start to end. */
bool pw__http_is_api(const char *path);
void pw__http_page(struct pw__http_ctx *c);

/* The handler of a route of the table (routes.c). */
pw__http_handler pw__http_handler_for(const struct pw_http_route_info *r);

/* An error document with no field: a new reference. */
json_t *pw__http_error_doc(const char *code, const char *message);

/* Stops the listener, if any (server.c). */
void pw__http_stop(struct pw_http *h);

/* True when s[0..n) is UTF-8 without NUL, overlong forms or surrogates. */
bool pw__http_utf8_valid(const char *s, size_t n);

/* The session cookie's name: "__Host-pw_session" behind TLS (the prefix pins Secure, Path=/
 * and no Domain: ASVS 3.3.1), else "pw_session". */
const char *pw__http_cookie_name(const struct pw_http *h);

/* Sessions (session.c). Each copies out what it finds; the table's lock is held inside. */
PW_MUSTCHECK enum pw_status pw__http_session_new(struct pw_http *h, const char *user,
                                                 int64_t now_us, struct pw__http_session *out,
                                                 struct pw_error *err);
/* Finds the live session with cookie value id, touching it; false when none (or expired,
 * then removed). */
bool pw__http_session_find(struct pw_http *h, const char *id, int64_t now_us,
                           struct pw__http_session *out);
void pw__http_session_end(struct pw_http *h, const char *id);
/* Ends every session of user (disabled). */
void pw__http_session_end_user(struct pw_http *h, const char *user);

/* API tokens: the store key of a token (its SHA-256, never the token). */
void pw__http_token_key(const char *token, char *out, size_t size);

/* The caller's day in England (routes.c). */
int32_t pw__http_today(const struct pw__http_ctx *c);
/* Only the query parameters named may be present (names NULL: none): PW_EINVAL. */
PW_MUSTCHECK enum pw_status pw__http_query_only(const struct pw__http_ctx *c,
                                                const char *const *names, struct pw_error *err);
/* My work (work.c): GET /api/alerts?mine=1 and GET /api/deadlines?mine=1. */
PW_MUSTCHECK enum pw_status pw__http_alerts_mine(struct pw__http_ctx *c, struct pw_error *err);
PW_MUSTCHECK enum pw_status pw__http_deadlines_mine(struct pw__http_ctx *c, struct pw_error *err);

/* The access policy on a child's record for the caller, logged (by group commit) as a look at
 * record kind/record (record NULL: the child) unless the benchmark switched the log off.
 * PW_EFORBIDDEN with a reason that names nothing. */
PW_MUSTCHECK enum pw_status pw__http_authorize(struct pw__http_ctx *c, enum pw_action a,
                                               const char *child, const char *kind,
                                               const char *record, struct pw_access_decision *d,
                                               struct pw_error *err);
/* The same for one record of a list (my work, a search): one the caller may not read is PW_OK
 * with d->allow false, not logged, and left out of the list. */
PW_MUSTCHECK enum pw_status pw__http_authorize_listed(struct pw__http_ctx *c, enum pw_action a,
                                                      const char *child, const char *kind,
                                                      struct pw_access_decision *d,
                                                      struct pw_error *err);

#endif
