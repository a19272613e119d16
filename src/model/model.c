/*
 * Parsing a fact: load strictly, find its type, set `by` from the recording user, walk the
 * envelope and the type's table (walk.c), run the type's cross-field check (checks.c), and
 * encode the result canonically. The order matters for the messages people see: a misspelt
 * field is reported as unknown before the required field it was meant to be is reported as
 * missing, and the type is known before any field is judged.
 *
 * A fact given as a json_t is encoded and parsed again as text, so both ways in pass the very
 * same checks (UTF-8, NUL, size) and the caller's object is never changed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/model_int.h"

static const struct pw_fact_parse_opts no_opts = { NULL, 0 };

/* True when s is safe to quote in a message: a short run of lower case, digits, '.' and '_'. */
static bool
quotable_type(const char *s, size_t n)
{
    if (n == 0 || n > 40) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (strchr("abcdefghijklmnopqrstuvwxyz0123456789._", s[i]) == NULL || s[i] == '\0') {
            return false;
        }
    }
    return true;
}

/* The fact's type, or NULL with err saying why. */
static const struct pw__type *
find_type(const json_t *body, struct pw_error *err)
{
    const json_t *t = json_object_get(body, "type");
    if (t == NULL) {
        (void)pw__fail_at(err, "$.type", "is required");
        return NULL;
    }
    if (!json_is_string(t)) {
        (void)pw__fail_at(err, "$.type", "expected a fact type (string), got %s",
                          pw__json_type_name(t));
        return NULL;
    }
    const struct pw__type *type = pw__type_find(json_string_value(t));
    if (type != NULL) {
        return type;
    }
    if (quotable_type(json_string_value(t), json_string_length(t))) {
        (void)pw__fail_at(err, "$.type", "unknown fact type \"%s\"", json_string_value(t));
    } else {
        (void)pw__fail_at(err, "$.type", "unknown fact type");
    }
    return NULL;
}

/* Sets `by` to the recording user; a fact that names someone else is refused. */
static enum pw_status
apply_as_user(json_t *body, const char *as_user, struct pw_error *err)
{
    if (as_user == NULL) {
        return PW_OK;
    }
    if (!pw_id_valid(as_user, strlen(as_user))) {
        return pw__fail_at(err, "$.by", "the recording user is not a valid user id");
    }
    const json_t *by = json_object_get(body, "by");
    if (json_is_string(by) && strcmp(json_string_value(by), as_user) != 0) {
        return pw__fail_at(err, "$.by", "names a different user from the one recording the fact");
    }
    if (by != NULL) {
        return PW_OK; /* the same user, or not a string: the walk names the wrong type */
    }
    if (json_object_set_new(body, "by", json_string(as_user)) != 0) {
        return pw_fail(err, PW_EINTERNAL, "could not set the recording user");
    }
    return PW_OK;
}

/* Checks of the envelope that span fields, and fills the parsed `at`. */
static enum pw_status
check_envelope(const json_t *body, struct pw_fact *out, struct pw_error *err)
{
    const char *id = json_string_value(json_object_get(body, "id"));
    const char *supersedes = json_string_value(json_object_get(body, "supersedes"));
    if (supersedes != NULL && strcmp(supersedes, id) == 0) {
        return pw__fail_at(err, "$.supersedes", "is the fact's own id");
    }
    const json_t *at = json_object_get(body, "at");
    /* Canonical by now, so this cannot fail; it is checked all the same. */
    enum pw_status rc =
        pw_when_parse(json_string_value(at), json_string_length(at), &out->at, NULL);
    if (rc != PW_OK) {
        return pw_fail(err, PW_EINTERNAL, "the canonical date of a fact did not parse");
    }
    pw_when_format(&out->at, out->at_text);
    return PW_OK;
}

/* Encodes the validated body and points the fact's fields into it. */
static enum pw_status
finish(json_t *body, const struct pw__type *type, struct pw_fact *out, struct pw_error *err)
{
    out->canonical = pw_json_canonical(body, &out->canonical_len);
    if (out->canonical == NULL) {
        return pw_fail(err, PW_EINTERNAL, "could not encode a fact");
    }
    /* Text can grow in canonical form ("T10:00Z" gains ":00"); what is stored must parse. */
    if (out->canonical_len > PW_FACT_MAX_BYTES) {
        pw_fail(err, PW_ETOOBIG, "$: the fact is larger than %zu bytes in canonical form",
                PW_FACT_MAX_BYTES);
        pw_error_field(err, "$");
        return PW_ETOOBIG;
    }
    const char *sensitivity = json_string_value(json_object_get(body, "sensitivity"));
    out->type = type->name;
    out->id = json_string_value(json_object_get(body, "id"));
    out->agency = json_string_value(json_object_get(body, "agency"));
    out->by = json_string_value(json_object_get(body, "by"));
    out->supersedes = json_string_value(json_object_get(body, "supersedes"));
    out->sensitivity = sensitivity != NULL ? sensitivity : "standard";
    out->body = body;
    return PW_OK;
}

/* Validates body, which it owns: on success out->body takes it, on failure it is released. */
static enum pw_status
fact_from_body(json_t *body, const struct pw_fact_parse_opts *opts, struct pw_fact *out,
               struct pw_error *err)
{
    const struct pw__type *type = NULL;
    enum pw_status rc = PW_OK;
    if (!json_is_object(body)) {
        rc =
            pw__fail_at(err, "$", "a fact must be a JSON object, got %s", pw__json_type_name(body));
        goto out;
    }
    type = find_type(body, err);
    if (type == NULL) {
        rc = PW_EINVAL;
        goto out;
    }
    rc = apply_as_user(body, opts->as_user, err);
    if (rc == PW_OK) {
        struct pw__walk w = { .opts = opts };
        pw__path_init(&w.path);
        const struct pw__shape *shapes[2] = { &pw__envelope, &type->shape };
        rc = pw__walk_object(&w, shapes, 2, body, err);
    }
    if (rc == PW_OK) {
        rc = check_envelope(body, out, err);
    }
    if (rc == PW_OK && type->check != NULL) {
        struct pw__check_ctx ctx = { body, out->at };
        rc = type->check(&ctx, err);
    }
    if (rc == PW_OK) {
        rc = finish(body, type, out, err);
    }
out:
    if (rc != PW_OK) {
        free(out->canonical);
        memset(out, 0, sizeof(*out));
        json_decref(body);
    }
    return rc;
}

enum pw_status
pw_fact_parse(const char *s, size_t n, const struct pw_fact_parse_opts *opts, struct pw_fact *out,
              struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    if (n > PW_FACT_MAX_BYTES) {
        pw_fail(err, PW_ETOOBIG, "$: a fact may be at most %zu bytes; this one is %zu",
                PW_FACT_MAX_BYTES, n);
        pw_error_field(err, "$");
        return PW_ETOOBIG;
    }
    json_t *body = pw__json_load(s, n, err);
    if (body == NULL) {
        return err != NULL && err->code != PW_OK ? err->code : PW_EINVAL;
    }
    return fact_from_body(body, opts != NULL ? opts : &no_opts, out, err);
}

enum pw_status
pw_fact_from_json(json_t *obj, const struct pw_fact_parse_opts *opts, struct pw_fact *out,
                  struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    if (obj == NULL) {
        return pw__fail_at(err, "$", "no fact: expected one JSON object");
    }
    size_t len = 0;
    bool too_big = false;
    char *text = pw__json_encode(obj, PW_FACT_MAX_BYTES, &len, &too_big);
    if (text == NULL && too_big) {
        pw_fail(err, PW_ETOOBIG, "$: a fact may be at most %zu bytes", PW_FACT_MAX_BYTES);
        pw_error_field(err, "$");
        return PW_ETOOBIG;
    }
    if (text == NULL) {
        return pw__fail_at(err, "$", "holds text that is not valid UTF-8");
    }
    enum pw_status rc = pw_fact_parse(text, len, opts, out, err);
    free(text);
    return rc;
}

void
pw_fact_release(struct pw_fact *f)
{
    if (f == NULL) {
        return;
    }
    json_decref(f->body);
    free(f->canonical);
    memset(f, 0, sizeof(*f));
}

enum pw_status
pw_fact_each_ref(const struct pw_fact *f, pw_fact_ref_fn fn, void *ctx, struct pw_error *err)
{
    const struct pw__type *type = f->type != NULL ? pw__type_find(f->type) : NULL;
    if (type == NULL || f->body == NULL) {
        return PW_OK;
    }
    return pw__walk_refs(&type->shape, f->body, fn, ctx, err);
}

static enum pw__kind
def_kind(enum pw_ref_kind kind)
{
    switch (kind) {
    case PW_REF_PERSON:
        return PW__K_PERSON_DEF;
    case PW_REF_CONCERN:
        return PW__K_CONCERN_DEF;
    case PW_REF_EPISODE:
        return PW__K_EPISODE_DEF;
    }
    return PW__K_PERSON_DEF;
}

const char *
pw_fact_defines(const struct pw_fact *f, enum pw_ref_kind kind)
{
    const struct pw__type *type = f->type != NULL ? pw__type_find(f->type) : NULL;
    if (type == NULL || f->body == NULL) {
        return NULL;
    }
    enum pw__kind want = def_kind(kind);
    for (const struct pw__field *fd = type->shape.fields; fd->name != NULL; fd++) {
        if (fd->kind == want) {
            return json_string_value(json_object_get(f->body, fd->name));
        }
    }
    return NULL;
}

size_t
pw_fact_type_count(void)
{
    return pw__type_count;
}

const char *
pw_fact_type_name(size_t i)
{
    return i < pw__type_count ? pw__types[i].name : NULL;
}

bool
pw_fact_type_known(const char *name)
{
    return name != NULL && pw__type_find(name) != NULL;
}
