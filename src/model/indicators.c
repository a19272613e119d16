/*
 * The indicator taxonomy: the signs of child sexual abuse Pathway knows, each with a category,
 * a strength for each age band ('consider' or 'suspect') and plain guidance. It is data, in
 * data/indicators.json, built into the binary (cmake/embed.cmake) so a deployed pathway always
 * carries the list it was tested with. It is parsed and checked strictly; the shipped one is
 * parsed once per process and read-only afterwards.
 */
#include "model/model.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "model/model_int.h"

struct pw_taxonomy {
    json_t *root; /* owns every string the tables below point into */
    struct pw_band bands[PW_MAX_BANDS];
    size_t band_count;
    struct pw_indicator *items;
    size_t count;
};

static const char *
str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static enum pw_status
bad(struct pw_error *err, const char *path, const char *what)
{
    pw_fail(err, PW_EINVAL, "the indicator taxonomy is malformed: %s", what);
    pw_error_field(err, path);
    return PW_EINVAL;
}

static bool
code_ok(const char *s)
{
    return s != NULL && pw__code_valid(s, strlen(s));
}

/* A band code: lower-case letters, digits and _ ("under_13", "13_to_15"). */
static bool
band_code_ok(const char *s)
{
    if (s == NULL || s[0] == '\0' || strlen(s) > 32) {
        return false;
    }
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

/* Only the keys named may appear: a misspelt key in the data must not pass unnoticed. */
static bool
only_keys(json_t *obj, const char *const *keys)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        (void)value;
        bool known = false;
        for (const char *const *k = keys; *k != NULL; k++) {
            known = known || strcmp(*k, key) == 0;
        }
        if (!known) {
            return false;
        }
    }
    return true;
}

static enum pw_status
parse_bands(struct pw_taxonomy *t, const json_t *bands, struct pw_error *err)
{
    static const char *const keys[] = { "code", "from", "to", "name", NULL };
    size_t i;
    json_t *b;
    if (!json_is_array(bands) || json_array_size(bands) == 0 ||
        json_array_size(bands) > PW_MAX_BANDS) {
        return bad(err, "$.bands", "expected 1 to 8 age bands");
    }
    json_array_foreach(bands, i, b)
    {
        json_t *from = json_object_get(b, "from");
        json_t *to = json_object_get(b, "to");
        if (!json_is_object(b) || !only_keys(b, keys) || !band_code_ok(str(b, "code")) ||
            str(b, "name") == NULL || !json_is_integer(from) || !json_is_integer(to) ||
            json_integer_value(from) > json_integer_value(to)) {
            return bad(err, "$.bands", "a band needs code, name, from and to (from <= to)");
        }
        /* Bands cover ages 0 to 17 in order, without gaps or overlaps. */
        json_int_t expect = i == 0 ? 0 : t->bands[i - 1].to + 1;
        if (json_integer_value(from) != expect) {
            return bad(err, "$.bands", "bands must run from age 0 upwards without gaps");
        }
        t->bands[i] =
            (struct pw_band){ str(b, "code"), str(b, "name"), (int)json_integer_value(from),
                              (int)json_integer_value(to) };
    }
    t->band_count = json_array_size(bands);
    if (t->bands[t->band_count - 1].to != 17) {
        return bad(err, "$.bands", "the last band must end at 17: a child is under 18");
    }
    return PW_OK;
}

static const char *
category_name(const json_t *categories, const char *code)
{
    size_t i;
    json_t *c;
    json_array_foreach(categories, i, c)
    {
        const char *cc = str(c, "code");
        if (cc != NULL && strcmp(cc, code) == 0) {
            return str(c, "name");
        }
    }
    return NULL;
}

static enum pw_status
parse_strengths(const struct pw_taxonomy *t, const json_t *strength, struct pw_indicator *ind,
                struct pw_error *err)
{
    if (!json_is_object(strength) || json_object_size(strength) != t->band_count) {
        return bad(err, "$.indicators", "each indicator needs a strength for every age band");
    }
    for (size_t b = 0; b < t->band_count; b++) {
        const char *level = str(strength, t->bands[b].code);
        if (level != NULL && strcmp(level, "suspect") == 0) {
            ind->strength[b] = PW_STRENGTH_SUSPECT;
        } else if (level != NULL && strcmp(level, "consider") == 0) {
            ind->strength[b] = PW_STRENGTH_CONSIDER;
        } else {
            return bad(err, "$.indicators", "a strength is 'consider' or 'suspect'");
        }
    }
    return PW_OK;
}

static enum pw_status
parse_indicator(struct pw_taxonomy *t, const json_t *categories, json_t *item,
                struct pw_indicator *ind, struct pw_error *err)
{
    static const char *const keys[] = { "code",     "name",   "category", "strength",
                                        "guidance", "source", NULL };
    if (!json_is_object(item) || !only_keys(item, keys) || !code_ok(str(item, "code")) ||
        str(item, "name") == NULL || str(item, "guidance") == NULL || str(item, "source") == NULL ||
        str(item, "category") == NULL) {
        return bad(err, "$.indicators",
                   "an indicator needs code, name, category, strength, guidance and source");
    }
    ind->code = str(item, "code");
    ind->name = str(item, "name");
    ind->category = str(item, "category");
    ind->guidance = str(item, "guidance");
    ind->source = str(item, "source");
    ind->category_name = category_name(categories, ind->category);
    if (ind->category_name == NULL) {
        return bad(err, "$.indicators", "an indicator names a category that is not listed");
    }
    if (pw_taxonomy_find(t, ind->code) != NULL) {
        return bad(err, "$.indicators", "an indicator code is listed twice");
    }
    return parse_strengths(t, json_object_get(item, "strength"), ind, err);
}

enum pw_status
pw_taxonomy_parse(const char *text, size_t len, struct pw_taxonomy **out, struct pw_error *err)
{
    static const char *const keys[] = { "version", "bands", "categories", "indicators", NULL };
    json_error_t jerr;
    struct pw_taxonomy *t = pw_xcalloc(1, sizeof(*t));
    json_t *categories = NULL;
    json_t *items = NULL;
    enum pw_status rc = PW_OK;
    t->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(t->root) || !only_keys(t->root, keys) ||
        json_integer_value(json_object_get(t->root, "version")) != 1) {
        rc = bad(err, "$", "expected an object with version 1, bands, categories, indicators");
        goto out;
    }
    categories = json_object_get(t->root, "categories");
    items = json_object_get(t->root, "indicators");
    if (!json_is_array(categories) || !json_is_array(items) || json_array_size(items) == 0) {
        rc = bad(err, "$", "categories and indicators must be non-empty lists");
        goto out;
    }
    rc = parse_bands(t, json_object_get(t->root, "bands"), err);
    t->items = pw_xcalloc(json_array_size(items), sizeof(*t->items));
    for (size_t i = 0; rc == PW_OK && i < json_array_size(items); i++) {
        rc = parse_indicator(t, categories, json_array_get(items, i), &t->items[i], err);
        t->count += rc == PW_OK ? 1 : 0;
    }
out:
    if (rc != PW_OK) {
        pw_taxonomy_free(t);
        return rc;
    }
    *out = t;
    return PW_OK;
}

void
pw_taxonomy_free(struct pw_taxonomy *t)
{
    if (t == NULL) {
        return;
    }
    json_decref(t->root);
    free(t->items);
    free(t);
}

/* The shipped taxonomy: parsed once, never freed (it lives as long as the process). */
static struct pw_taxonomy *shipped;
static pthread_once_t shipped_once = PTHREAD_ONCE_INIT;

static void
load_shipped(void)
{
    struct pw_error err = { 0 };
    if (pw_taxonomy_parse((const char *)pw__indicators_json, pw__indicators_json_len, &shipped,
                          &err) != PW_OK) {
        /* A build defect, not a user error: the unit tests parse the same bytes. */
        pw_abort(__FILE__, __LINE__, err.msg);
    }
}

const struct pw_taxonomy *
pw_taxonomy_shipped(void)
{
    (void)pthread_once(&shipped_once, load_shipped);
    return shipped;
}

size_t
pw_taxonomy_count(const struct pw_taxonomy *t)
{
    return t->count;
}

const struct pw_indicator *
pw_taxonomy_at(const struct pw_taxonomy *t, size_t i)
{
    return i < t->count ? &t->items[i] : NULL;
}

const struct pw_indicator *
pw_taxonomy_find_n(const struct pw_taxonomy *t, const char *code, size_t n)
{
    for (size_t i = 0; i < t->count; i++) {
        if (strlen(t->items[i].code) == n && memcmp(t->items[i].code, code, n) == 0) {
            return &t->items[i];
        }
    }
    return NULL;
}

const struct pw_indicator *
pw_taxonomy_find(const struct pw_taxonomy *t, const char *code)
{
    return pw_taxonomy_find_n(t, code, strlen(code));
}

size_t
pw_taxonomy_band_count(const struct pw_taxonomy *t)
{
    return t->band_count;
}

const struct pw_band *
pw_taxonomy_band(const struct pw_taxonomy *t, size_t i)
{
    return i < t->band_count ? &t->bands[i] : NULL;
}

enum pw_strength
pw_taxonomy_strength(const struct pw_taxonomy *t, const struct pw_indicator *ind, int age)
{
    enum pw_strength strongest = PW_STRENGTH_NONE;
    for (size_t b = 0; b < t->band_count; b++) {
        if (age >= t->bands[b].from && age <= t->bands[b].to) {
            return ind->strength[b];
        }
        strongest = ind->strength[b] > strongest ? ind->strength[b] : strongest;
    }
    /* Unknown age: the strongest, so a child nobody recorded the age of is not under-read. */
    return age < 0 ? strongest : PW_STRENGTH_NONE;
}

const char *
pw_strength_name(enum pw_strength s)
{
    switch (s) {
    case PW_STRENGTH_SUSPECT:
        return "suspect";
    case PW_STRENGTH_CONSIDER:
        return "consider";
    case PW_STRENGTH_NONE:
        break;
    }
    return "none";
}

bool
pw__indicator_known(const char *s, size_t n)
{
    return pw_taxonomy_find_n(pw_taxonomy_shipped(), s, n) != NULL;
}
