/*
 * Users, passwords and sign-in. Argon2id through libsodium's crypto_pwhash_str (a PHC string
 * carrying its own salt and parameters). Sign-in gives one answer for every failure and spends
 * about the same time on each (an unknown user is checked against a dummy hash made once at
 * the same cost), so neither the message nor the clock says whether an account exists.
 */
#include "access/access.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/time.h"

static const char *const role_names[PW_ROLE__COUNT] = {
    "practitioner", "manager", "front_door", "data_lead", "auditor", "administrator",
};

static const char refused_msg[] =
    "the user name or password is not right, or the account cannot be used just now";

const char *
pw_role_name(enum pw_role r)
{
    return (unsigned)r < PW_ROLE__COUNT ? role_names[r] : "?";
}

bool
pw_role_parse(const char *name, enum pw_role *out)
{
    for (int i = 0; name != NULL && i < PW_ROLE__COUNT; i++) {
        if (strcmp(name, role_names[i]) == 0) {
            *out = (enum pw_role)i;
            return true;
        }
    }
    return false;
}

static int64_t
now_of(const struct pw_access_opts *o)
{
    return o != NULL && o->now_us != 0 ? o->now_us : pw_time_now_us();
}

/* Characters (code points) of UTF-8 text; -1 when it is not UTF-8 or holds a NUL. */
static long
utf8_chars(const char *s, size_t len)
{
    long n = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80           ? 1
                   : (c >> 5) == 0x6  ? 2
                   : (c >> 4) == 0xE  ? 3
                   : (c >> 3) == 0x1E ? 4
                                      : 0;
        if (c == 0 || k == 0 || i + k > len) {
            return -1;
        }
        for (size_t j = 1; j < k; j++) {
            if (((unsigned char)s[i + j] >> 6) != 0x2) {
                return -1;
            }
        }
        i += k;
        n++;
    }
    return n;
}

static void
limits(enum pw_hash_cost cost, unsigned long long *ops, size_t *mem)
{
    if (cost == PW_HASH_TEST_MIN) {
        *ops = crypto_pwhash_OPSLIMIT_MIN;
        *mem = crypto_pwhash_MEMLIMIT_MIN;
    } else {
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }
}

enum pw_status
pw_access_hash_password(const char *password, size_t len, enum pw_hash_cost cost, char *out,
                        size_t size, struct pw_error *err)
{
    long chars = utf8_chars(password, len);
    if (size < crypto_pwhash_STRBYTES) {
        return pw_fail(err, PW_EINTERNAL, "the password hash buffer is too small");
    }
    if (chars < 0) {
        return pw_fail(err, PW_EINVAL, "the password must be UTF-8 text without NUL");
    }
    if (chars < PW_PASSWORD_MIN || chars > PW_PASSWORD_MAX) {
        return pw_fail(err, PW_EINVAL, "the password must be %d to %d characters long (it is %ld)",
                       PW_PASSWORD_MIN, PW_PASSWORD_MAX, chars);
    }
    if (sodium_init() < 0) {
        return pw_fail(err, PW_EINTERNAL, "libsodium could not be initialised");
    }
    unsigned long long ops;
    size_t mem;
    limits(cost, &ops, &mem);
    if (crypto_pwhash_str(out, password, len, ops, mem) != 0) {
        return pw_fail(err, PW_EINTERNAL, "the password could not be hashed (out of memory)");
    }
    return PW_OK;
}

bool
pw_access_verify_password(const char *hash, const char *password, size_t len)
{
    if (hash == NULL || sodium_init() < 0) {
        return false;
    }
    return crypto_pwhash_str_verify(hash, password, len) == 0;
}

/* The dummy an unknown user's password is checked against: same cost as real hashes. */
static const char *
dummy_hash(enum pw_hash_cost cost)
{
    static char hashes[2][crypto_pwhash_STRBYTES];
    int i = cost == PW_HASH_TEST_MIN ? 1 : 0;
    if (hashes[i][0] == '\0') {
        char random_pw[33];
        unsigned char bytes[16];
        unsigned long long ops;
        size_t mem;
        limits(cost, &ops, &mem);
        if (sodium_init() < 0) {
            return NULL;
        }
        randombytes_buf(bytes, sizeof(bytes));
        sodium_bin2hex(random_pw, sizeof(random_pw), bytes, sizeof(bytes));
        if (crypto_pwhash_str(hashes[i], random_pw, strlen(random_pw), ops, mem) != 0) {
            hashes[i][0] = '\0';
            return NULL;
        }
        pw_wipe(random_pw, sizeof(random_pw));
    }
    return hashes[i];
}

static enum pw_status
to_user(void *ctx, const struct pw_user_row *r, struct pw_error *err)
{
    struct pw_user *u = ctx;
    memset(u, 0, sizeof(*u));
    (void)snprintf(u->id, sizeof(u->id), "%s", r->user);
    (void)snprintf(u->agency, sizeof(u->agency), "%s", r->agency);
    (void)snprintf(u->name, sizeof(u->name), "%s", r->name);
    if (!pw_role_parse(r->role, &u->role)) {
        return pw_fail(err, PW_EINTEGRITY, "user %s has an unknown role in the store", r->user);
    }
    u->disabled = r->disabled;
    u->has_password = r->password_hash != NULL;
    u->failures = r->failures;
    if (r->locked_until != NULL) {
        struct pw_when w;
        if (pw_when_parse(r->locked_until, strlen(r->locked_until), &w, NULL) == PW_OK) {
            u->locked_until_us = w.us;
        }
    }
    return PW_OK;
}

enum pw_status
pw_access_user_get(struct pw_store *s, const char *id, struct pw_user *out, struct pw_error *err)
{
    bool found = false;
    memset(out, 0, sizeof(*out));
    enum pw_status rc = pw_store_user_get(s, id, to_user, out, &found, err);
    if (rc == PW_OK && !found) {
        rc = pw_fail(err, PW_ENOTFOUND, "no user %s", id);
    }
    return rc;
}

struct list_ctx {
    pw_user_fn fn;
    void *ctx;
};

static enum pw_status
list_one(void *ctx, const struct pw_user_row *r, struct pw_error *err)
{
    struct list_ctx *l = ctx;
    struct pw_user u;
    enum pw_status rc = to_user(&u, r, err);
    return rc == PW_OK ? l->fn(l->ctx, &u, err) : rc;
}

enum pw_status
pw_access_users(struct pw_store *s, pw_user_fn fn, void *ctx, struct pw_error *err)
{
    struct list_ctx l = { fn, ctx };
    return pw_store_users(s, list_one, &l, err);
}

/* The user whose change is logged: the actor if they are a user, else the operator. */
static enum pw_status
actor_entry(struct pw_store *s, const char *actor, struct pw_user *out, struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    (void)snprintf(out->id, sizeof(out->id), "%s", actor != NULL ? actor : "system");
    out->role = PW_ROLE_ADMINISTRATOR;
    if (actor == NULL) {
        return PW_OK;
    }
    enum pw_status rc = pw_access_user_get(s, actor, out, err);
    if (rc == PW_OK && (out->disabled || out->role != PW_ROLE_ADMINISTRATOR)) {
        rc = pw_fail(err, PW_EFORBIDDEN, "only an administrator manages users");
    }
    return rc;
}

static enum pw_status
check_name(const char *name, struct pw_error *err)
{
    size_t len = name != NULL ? strlen(name) : 0;
    if (len == 0 || len > PW_USER_NAME_MAX || utf8_chars(name, len) < 0) {
        return pw_fail(err, PW_EINVAL, "the name must be 1 to %d bytes of UTF-8 text",
                       PW_USER_NAME_MAX);
    }
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) {
            return pw_fail(err, PW_EINVAL, "the name must not hold control characters");
        }
    }
    return PW_OK;
}

/* What a user change writes, in one transaction with its log entry. */
struct change {
    const struct pw_access_opts *o;
    const struct pw_user *actor;
    const char *action;
    const struct pw_user_row *add; /* user.add */
    const char *id;
    const char *hash; /* user.password */
};

static enum pw_status
apply_change(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct change *c = ctx;
    enum pw_status rc = PW_OK;
    if (c->add != NULL) {
        rc = pw_store_user_add(s, c->add, err);
    } else if (c->hash != NULL) {
        rc = pw_store_user_set_password(s, c->id, c->hash, err);
    } else {
        rc = pw_store_user_set_disabled(s, c->id, true, err);
    }
    if (rc == PW_OK) {
        rc = pw_access_log(s, c->o, c->actor, c->action, "user", c->id, NULL, "done", "role",
                           c->add != NULL ? c->add->role : "", NULL, err);
    }
    return rc;
}

enum pw_status
pw_access_user_add(struct pw_store *s, const struct pw_access_opts *o, const char *actor,
                   const char *id, const char *agency, enum pw_role role, const char *name,
                   const char *password, size_t password_len, struct pw_error *err)
{
    char hash[crypto_pwhash_STRBYTES] = "";
    struct pw_user who;
    char created[PW_WHEN_TEXT_MAX];
    struct pw_when now = { now_of(o), true };
    pw_when_sort_key(&now, created);
    if (id == NULL || !pw_id_valid(id, strlen(id))) {
        return pw_fail(err, PW_EINVAL,
                       "the user id must be 1 to %d letters, digits or . _ : - starting with a "
                       "letter or digit",
                       PW_ID_MAX);
    }
    if (agency == NULL || !pw_agency_valid(agency)) {
        return pw_fail(err, PW_EINVAL,
                       "unknown agency %.40s: csc, police, health, probation, education, yjs, "
                       "cafcass, early_help or other",
                       agency != NULL ? agency : "(none)");
    }
    if ((unsigned)role >= PW_ROLE__COUNT) {
        return pw_fail(err, PW_EINVAL, "unknown role");
    }
    enum pw_status rc = check_name(name, err);
    if (rc == PW_OK && password != NULL) {
        rc = pw_access_hash_password(password, password_len, o != NULL ? o->hash_cost : 0, hash,
                                     sizeof(hash), err);
    }
    if (rc == PW_OK) {
        rc = actor_entry(s, actor, &who, err);
    }
    if (rc == PW_OK) {
        struct pw_user_row row = {
            .user = id,
            .agency = agency,
            .role = pw_role_name(role),
            .name = name,
            .password_hash = password != NULL ? hash : NULL,
            .created_at = created,
        };
        struct change c = { o, &who, "user.add", &row, id, NULL };
        rc = pw_store_transact(s, apply_change, &c, err);
    }
    pw_wipe(hash, sizeof(hash));
    return rc;
}

enum pw_status
pw_access_user_disable(struct pw_store *s, const struct pw_access_opts *o, const char *actor,
                       const char *id, struct pw_error *err)
{
    struct pw_user who;
    enum pw_status rc = actor_entry(s, actor, &who, err);
    if (rc == PW_OK) {
        struct change c = { o, &who, "user.disable", NULL, id, NULL };
        rc = pw_store_transact(s, apply_change, &c, err);
    }
    return rc;
}

enum pw_status
pw_access_user_password(struct pw_store *s, const struct pw_access_opts *o, const char *actor,
                        const char *id, const char *password, size_t len, struct pw_error *err)
{
    char hash[crypto_pwhash_STRBYTES] = "";
    struct pw_user who;
    enum pw_status rc = pw_access_hash_password(password, len, o != NULL ? o->hash_cost : 0, hash,
                                                sizeof(hash), err);
    if (rc == PW_OK) {
        rc = actor_entry(s, actor, &who, err);
    }
    if (rc == PW_OK) {
        struct change c = { o, &who, "user.password", NULL, id, hash };
        rc = pw_store_transact(s, apply_change, &c, err);
    }
    pw_wipe(hash, sizeof(hash));
    return rc;
}

/* ---- Sign-in ---- */

struct hash_ctx {
    struct pw_user user;
    char hash[crypto_pwhash_STRBYTES];
};

static enum pw_status
take_hash(void *ctx, const struct pw_user_row *r, struct pw_error *err)
{
    struct hash_ctx *h = ctx;
    if (r->password_hash != NULL) {
        (void)snprintf(h->hash, sizeof(h->hash), "%s", r->password_hash);
    }
    return to_user(&h->user, r, err);
}

/* The lock-out after failures in a row, in seconds (0: none). */
static int64_t
lock_seconds(int failures)
{
    if (failures < PW_LOCK_AFTER) {
        return 0;
    }
    int64_t secs = PW_LOCK_BASE_S;
    for (int i = PW_LOCK_AFTER; i < failures && secs < PW_LOCK_MAX_S; i++) {
        secs *= 2;
    }
    return secs < PW_LOCK_MAX_S ? secs : PW_LOCK_MAX_S;
}

struct attempt {
    const struct pw_access_opts *o;
    struct hash_ctx *h;
    bool known;
    const char *outcome; /* "allowed", "failed", "locked", "disabled", "unknown" */
    int failures;
    int64_t lock_until;
};

static enum pw_status
record_attempt(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct attempt *a = ctx;
    char reason[160] = "";
    char until[PW_WHEN_TEXT_MAX];
    const char *until_text = NULL;
    enum pw_status rc = PW_OK;
    if (a->lock_until != 0) {
        struct pw_when w = { a->lock_until, true };
        pw_when_sort_key(&w, until);
        until_text = until;
        (void)snprintf(reason, sizeof(reason), "%d failures in a row: locked until %s", a->failures,
                       until);
    } else if (strcmp(a->outcome, "failed") == 0) {
        (void)snprintf(reason, sizeof(reason), "%d failure%s in a row", a->failures,
                       a->failures == 1 ? "" : "s");
    }
    if (a->known && (strcmp(a->outcome, "allowed") == 0 || strcmp(a->outcome, "failed") == 0)) {
        rc = pw_store_user_set_failures(s, a->h->user.id, a->failures, until_text, err);
    }
    if (rc == PW_OK) {
        const struct pw_user *u = a->known ? &a->h->user : NULL;
        struct pw_user anon;
        if (!a->known) {
            memset(&anon, 0, sizeof(anon));
            (void)snprintf(anon.id, sizeof(anon.id), "%s", "(unknown)");
            u = &anon;
        }
        rc = pw_access_log(s, a->o, u, "sign_in", "user", u->id, NULL, a->outcome, "none", reason,
                           NULL, err);
    }
    return rc;
}

enum pw_status
pw_access_sign_in(struct pw_store *s, const struct pw_access_opts *o, const char *user,
                  const char *password, size_t len, struct pw_user *out, struct pw_error *err)
{
    struct hash_ctx h;
    bool found = false;
    int64_t now = now_of(o);
    enum pw_hash_cost cost = o != NULL ? o->hash_cost : PW_HASH_INTERACTIVE;
    memset(&h, 0, sizeof(h));
    memset(out, 0, sizeof(*out));
    enum pw_status rc = PW_OK;
    if (user != NULL && pw_id_valid(user, strlen(user))) {
        rc = pw_store_user_get(s, user, take_hash, &h, &found, err);
    }
    if (rc != PW_OK) {
        return rc;
    }
    struct attempt a = { o, &h, found, "unknown", 0, 0 };
    const char *dummy = dummy_hash(cost);
    if (dummy == NULL) {
        return pw_fail(err, PW_EINTERNAL, "password hashing is unavailable (out of memory)");
    }
    bool usable = found && !h.user.disabled && h.hash[0] != '\0' && h.user.locked_until_us <= now;
    /* Every path verifies one Argon2id hash of the same cost: the time says nothing. */
    bool match = pw_access_verify_password(
        usable ? h.hash : dummy, password != NULL ? password : "", password != NULL ? len : 0);
    if (!found) {
        a.outcome = "unknown";
    } else if (h.user.disabled) {
        a.outcome = "disabled";
    } else if (h.user.locked_until_us > now) {
        a.outcome = "locked";
    } else if (usable && match) {
        a.outcome = "allowed";
        a.failures = 0;
    } else {
        a.outcome = "failed";
        a.failures = h.user.failures + 1;
        int64_t secs = lock_seconds(a.failures);
        a.lock_until = secs > 0 ? now + secs * 1000000 : 0;
    }
    rc = pw_store_transact(s, record_attempt, &a, err);
    pw_wipe(h.hash, sizeof(h.hash));
    if (rc != PW_OK) {
        return rc;
    }
    if (strcmp(a.outcome, "allowed") != 0) {
        return pw_fail(err, PW_EAUTH, "%s", refused_msg);
    }
    *out = h.user;
    out->failures = 0;
    out->locked_until_us = 0;
    return PW_OK;
}
