/*
 * The socket side of the API: libmicrohttpd with every limit set explicitly (its defaults are
 * no timeout and no per-address limit: reliability_security.md 4.1), the body read by us into
 * a capped buffer (never the PostProcessor, where MHD's worst bugs were), the raw request
 * target taken from the URI log callback so Pathway decodes it once itself, framing that could
 * smuggle a request refused (two Content-Lengths, or one with Transfer-Encoding), and the
 * security headers added to every answer.
 *
 * Threads: MHD's internal polling with a thread pool of as many threads as the pool has store
 * handles, so a request never waits for a handle another thread is using for long.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "http/http_int.h"

#define CONNECTIONS_MAX    512
#define CONNECTIONS_PER_IP 64 /* bench/api opens 50 from loopback */
#define CONNECTION_TIMEOUT 30 /* seconds without traffic */
#define CONNECTION_MEMORY \
 ((size_t)32 * 1024) /* per connection: caps the request line and headers */
#define DISCARD_MAX ((size_t)4 * PW_HTTP_BODY_MAX_FACTS)

/* One request's state between the access handler's calls. */
struct conn {
    char *uri;
    char *body;
    size_t len;
    size_t cap;
    size_t seen; /* bytes received, kept or not */
    bool too_big;
};

static void *
uri_logged(void *cls, const char *uri, struct MHD_Connection *con)
{
    (void)cls;
    (void)con;
    struct conn *c = pw_xcalloc(1, sizeof(*c));
    c->uri = pw_xstrndup(uri, PW_HTTP_URI_MAX + 1);
    return c;
}

static void
completed(void *cls, struct MHD_Connection *con, void **con_cls,
          enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)con;
    (void)toe;
    struct conn *c = *con_cls;
    if (c != NULL) {
        if (c->body != NULL) {
            pw_wipe(c->body, c->len); /* it may have held a password */
        }
        free(c->body);
        free(c->uri);
        free(c);
        *con_cls = NULL;
    }
}

struct header_count {
    unsigned content_length;
    unsigned transfer_encoding;
    unsigned cookie;
    unsigned authorization;
};

static enum MHD_Result
count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    (void)value;
    struct header_count *n = cls;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        n->content_length++;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        n->transfer_encoding++;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_COOKIE) == 0) {
        n->cookie++;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_AUTHORIZATION) == 0) {
        n->authorization++;
    }
    return MHD_YES;
}

static void
add_headers(const struct pw_http *h, struct MHD_Response *r, const struct pw_http_response *p)
{
    (void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                                  p->content_type != NULL ? p->content_type
                                                          : "application/json; charset=utf-8");
    if (p->page) {
        /* A page loads only Pathway's own stylesheet, script and images: no inline script or
         * style, no other origin, no frame, and forms post only here (ASVS 3.4.3). */
        (void)MHD_add_response_header(
            r, "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'");
    } else {
        /* An API answer is never a page: nothing may load, run or frame it (ASVS 3.4.3-3.4.6). */
        (void)MHD_add_response_header(r, "Content-Security-Policy",
                                      "default-src 'none'; frame-ancestors 'none'; "
                                      "base-uri 'none'; form-action 'none'");
    }
    (void)MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    (void)MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    (void)MHD_add_response_header(r, "X-Frame-Options", "DENY");
    (void)MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    /* Every answer may hold a record or a session: no cache keeps it (ASVS 14.3.2). Only the
     * stylesheet, scripts and images, which hold nothing personal, may be kept a while. */
    (void)MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                                  p->cacheable ? "public, max-age=3600" : "no-store");
    if (p->location[0] != '\0') {
        (void)MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, p->location);
    }
    if (pw_http_secure(h)) {
        (void)MHD_add_response_header(r, "Strict-Transport-Security",
                                      "max-age=31536000; includeSubDomains");
    }
    if (p->set_cookie[0] != '\0') {
        (void)MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, p->set_cookie);
    }
    if (p->allow[0] != '\0') {
        (void)MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, p->allow);
    }
    if (p->www_authenticate) {
        (void)MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    }
}

static enum MHD_Result
send_response(struct pw_http *h, struct MHD_Connection *con, struct pw_http_response *p)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(p->body_len, p->body, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        pw_http_response_release(p);
        return MHD_NO;
    }
    p->body = NULL; /* MHD frees it */
    add_headers(h, r, p);
    enum MHD_Result ok = MHD_queue_response(con, (unsigned)p->status, r);
    MHD_destroy_response(r);
    return ok;
}

/* A refusal before the request reaches pw_http_handle (framing, size). */
static enum MHD_Result
send_early(struct pw_http *h, struct MHD_Connection *con, int status, const char *code,
           const char *message)
{
    struct pw_http_response p;
    memset(&p, 0, sizeof(p));
    json_t *doc = pw__http_error_doc(code, message);
    p.status = status;
    p.body = json_dumps(doc, JSON_COMPACT);
    p.body_len = p.body != NULL ? strlen(p.body) : 0;
    json_decref(doc);
    return send_response(h, con, &p);
}

static void
append(struct conn *c, const char *data, size_t n)
{
    c->seen += n;
    if (c->too_big || c->len + n > PW_HTTP_BODY_MAX_FACTS) {
        c->too_big = true;
        return;
    }
    if (c->len + n + 1 > c->cap) {
        size_t cap = c->cap > 0 ? c->cap : 4096;
        while (cap < c->len + n + 1) {
            cap *= 2;
        }
        c->body = pw_xrealloc(c->body, cap);
        c->cap = cap;
    }
    memcpy(c->body + c->len, data, n);
    c->len += n;
    c->body[c->len] = '\0';
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *con, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    (void)url; /* decoded by MHD: we decode the raw target ourselves */
    (void)version;
    struct pw_http *h = cls;
    struct conn *c = *con_cls;
    if (c == NULL) {
        return MHD_NO; /* the URI callback always sets it */
    }
    if (*upload_data_size > 0) {
        append(c, upload_data, *upload_data_size);
        *upload_data_size = 0;
        /* Stop reading a body far past the limit rather than drain it for the whole timeout. */
        return c->seen > DISCARD_MAX ? MHD_NO : MHD_YES;
    }
    if (c->seen == 0 && c->body == NULL && !c->too_big) {
        /* The first call: headers only. Refuse what could smuggle a second request. */
        struct header_count n = { 0 };
        (void)MHD_get_connection_values(con, MHD_HEADER_KIND, count_header, &n);
        if (n.content_length > 1 || (n.content_length > 0 && n.transfer_encoding > 0) ||
            n.transfer_encoding > 1 || n.cookie > 1 || n.authorization > 1) {
            return send_early(h, con, 400, "EINVAL",
                              "conflicting or repeated framing or credential headers");
        }
        const char *cl =
            MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl != NULL && (strlen(cl) > 9 || strtoul(cl, NULL, 10) > PW_HTTP_BODY_MAX_FACTS)) {
            return send_early(h, con, 413, "ETOOBIG", "the body is too large");
        }
        c->body = pw_xstrdup(""); /* marks the first call as done */
        c->cap = 1;
        return MHD_YES;
    }
    struct pw_http_request req = {
        .method = method,
        .uri = c->uri,
        .cookie = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE),
        .authorization =
            MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
        .csrf = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-CSRF-Token"),
        .content_type =
            MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
        .sec_fetch_site = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Sec-Fetch-Site"),
        .body = c->body,
        .body_len = c->len,
        .body_too_big = c->too_big,
    };
    struct pw_http_response resp;
    pw_http_handle(h, &req, &resp);
    return send_response(h, con, &resp);
}

static bool
parse_addr(const char *addr, unsigned port, struct sockaddr_storage *ss, bool *v6)
{
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *v6 = false;
        return true;
    }
    if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *v6 = true;
        return true;
    }
    return false;
}

enum pw_status
pw_http_listen(struct pw_http *h, const char *addr, unsigned port, unsigned *bound,
               struct pw_error *err)
{
    struct sockaddr_storage ss;
    bool v6 = false;
    if (port > 65535 || !parse_addr(addr, port, &ss, &v6)) {
        return pw_fail(err, PW_EUSAGE, "--listen takes ADDRESS:PORT, such as 127.0.0.1:8080");
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
    if (v6) {
        flags |= MHD_USE_IPv6;
    }
    h->daemon = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)h->nslots,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTIONS_MAX, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)CONNECTIONS_PER_IP, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY, MHD_OPTION_STRICT_FOR_CLIENT,
        (int)1, MHD_OPTION_URI_LOG_CALLBACK, uri_logged, h, MHD_OPTION_NOTIFY_COMPLETED, completed,
        h, MHD_OPTION_END);
    if (h->daemon == NULL) {
        return pw_fail(err, PW_EIO, "could not listen on %s port %u (in use, or not allowed)", addr,
                       port);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *bound = info != NULL ? info->port : port;
    return PW_OK;
}

void
pw__http_stop(struct pw_http *h)
{
    if (h->daemon != NULL) {
        MHD_stop_daemon(h->daemon);
        h->daemon = NULL;
    }
}
