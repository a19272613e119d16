/*
 * Browser sessions, kept in memory: a restart signs everyone out (docs/api.md). Keeping them
 * here rather than in the store means a session id never reaches a disk, a backup or a
 * replica, and needs no migration; the cost is that a session lives on one server process, so
 * several servers behind one address need sticky routing (documented). Sign-ins themselves are
 * on the access log. A session has an idle and an absolute limit (ASVS 7.3.1, 7.3.2), a new id
 * at every sign-in (7.2.4), and ends at sign-out or when its user is disabled (7.4.1, 7.4.2).
 *
 * Ids are compared in constant time over the whole table, so the time a lookup takes says
 * nothing about how much of a guessed id was right.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "http/http_int.h"

const char *
pw__http_cookie_name(const struct pw_http *h)
{
    return h->opts.secure_cookies ? "__Host-pw_session" : "pw_session";
}

static bool
expired(const struct pw_http *h, const struct pw__http_session *s, int64_t now_us)
{
    int64_t idle = (int64_t)(h->opts.idle_s > 0 ? h->opts.idle_s : PW_HTTP_IDLE_S) * 1000000;
    int64_t abs =
        (int64_t)(h->opts.absolute_s > 0 ? h->opts.absolute_s : PW_HTTP_ABSOLUTE_S) * 1000000;
    return now_us - s->last_us > idle || now_us - s->created_us > abs;
}

static void
clear(struct pw__http_session *s)
{
    pw_wipe(s, sizeof(*s));
}

enum pw_status
pw__http_session_new(struct pw_http *h, const char *user, int64_t now_us,
                     struct pw__http_session *out, struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    struct pw__http_session *slot = NULL;
    (void)pthread_mutex_lock(&h->session_lock);
    for (size_t i = 0; i < PW_HTTP_SESSIONS_MAX; i++) {
        struct pw__http_session *s = &h->sessions[i];
        if (s->used && expired(h, s, now_us)) {
            clear(s);
        }
        if (!s->used && slot == NULL) {
            slot = s;
        }
    }
    if (slot == NULL) {
        rc = pw_fail(err, PW_EDB, "the server holds as many sessions as it can: try again later");
    } else {
        pw_id_random(slot->id, sizeof(slot->id), NULL);
        pw_id_random(slot->csrf, sizeof(slot->csrf), NULL);
        (void)snprintf(slot->user, sizeof(slot->user), "%s", user);
        slot->created_us = now_us;
        slot->last_us = now_us;
        slot->used = true;
        *out = *slot;
    }
    (void)pthread_mutex_unlock(&h->session_lock);
    return rc;
}

bool
pw__http_session_find(struct pw_http *h, const char *id, int64_t now_us,
                      struct pw__http_session *out)
{
    bool found = false;
    if (strlen(id) != PW_ID_RANDOM_TEXT - 1) {
        return false;
    }
    (void)pthread_mutex_lock(&h->session_lock);
    for (size_t i = 0; i < PW_HTTP_SESSIONS_MAX; i++) {
        struct pw__http_session *s = &h->sessions[i];
        /* Every used slot is compared, found or not: constant time in where it matched. */
        if (s->used && sodium_memcmp(s->id, id, PW_ID_RANDOM_TEXT - 1) == 0) {
            if (expired(h, s, now_us)) {
                clear(s);
            } else {
                s->last_us = now_us;
                *out = *s;
                found = true;
            }
        }
    }
    (void)pthread_mutex_unlock(&h->session_lock);
    return found;
}

void
pw__http_session_end(struct pw_http *h, const char *id)
{
    (void)pthread_mutex_lock(&h->session_lock);
    for (size_t i = 0; i < PW_HTTP_SESSIONS_MAX; i++) {
        struct pw__http_session *s = &h->sessions[i];
        if (s->used && strlen(id) == PW_ID_RANDOM_TEXT - 1 &&
            sodium_memcmp(s->id, id, PW_ID_RANDOM_TEXT - 1) == 0) {
            clear(s);
        }
    }
    (void)pthread_mutex_unlock(&h->session_lock);
}

void
pw__http_session_end_user(struct pw_http *h, const char *user)
{
    (void)pthread_mutex_lock(&h->session_lock);
    for (size_t i = 0; i < PW_HTTP_SESSIONS_MAX; i++) {
        struct pw__http_session *s = &h->sessions[i];
        if (s->used && strcmp(s->user, user) == 0) {
            clear(s);
        }
    }
    (void)pthread_mutex_unlock(&h->session_lock);
}

void
pw__http_token_key(const char *token, char *out, size_t size)
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
    (void)snprintf(out, size, "api_token.%s", hex);
}
