/*
 * The configuration table, the strict `key = value` parser and the writer of a documented
 * file. Parsing works on a copy so that a refused file leaves the caller's configuration as
 * it was.
 */
#include "pathway/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

struct entry {
    const char *key;
    int def;
    int min;
    int max;
    const char *unit;
    const char *what;
};

static const struct entry entries[] = {
#define PW_CONFIG(id, key, def, min, max, unit, what) { key, def, min, max, unit, what },
#include "pathway/config.def"
#undef PW_CONFIG
};

void
pw_config_defaults(struct pw_config *c)
{
    memset(c, 0, sizeof(*c));
    for (int k = 0; k < PW_CFG__COUNT; k++) {
        c->value[k] = entries[k].def;
    }
}

static int
find_key(const char *key, size_t n)
{
    for (int k = 0; k < PW_CFG__COUNT; k++) {
        if (strlen(entries[k].key) == n && memcmp(entries[k].key, key, n) == 0) {
            return k;
        }
    }
    return -1;
}

static const char *
trim(const char *s, const char *end, const char **out_end)
{
    while (s < end && (*s == ' ' || *s == '\t')) {
        s++;
    }
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) {
        end--;
    }
    *out_end = end;
    return s;
}

static enum pw_status
parse_value(const char *s, const char *end, const struct entry *e, int *out, struct pw_error *err)
{
    char text[24];
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof(text)) {
        return pw_fail(err, PW_EINVAL, "%s needs a whole number of %s from %d to %d", e->key,
                       e->unit, e->min, e->max);
    }
    memcpy(text, s, n);
    text[n] = '\0';
    char *stop = NULL;
    errno = 0;
    long v = strtol(text, &stop, 10);
    if (errno != 0 || stop == text || *stop != '\0' || v < e->min || v > e->max) {
        return pw_fail(err, PW_EINVAL, "%s needs a whole number of %s from %d to %d, not \"%s\"",
                       e->key, e->unit, e->min, e->max, text);
    }
    *out = (int)v;
    return PW_OK;
}

/* One line: blank, a comment, or `key = value` with an optional trailing comment. */
static enum pw_status
parse_line(struct pw_config *c, const char *line, const char *end, struct pw_error *err)
{
    const char *hash = memchr(line, '#', (size_t)(end - line));
    const char *stop = hash != NULL ? hash : end;
    const char *kend;
    const char *s = trim(line, stop, &kend);
    if (s == kend) {
        return PW_OK;
    }
    const char *eq = memchr(s, '=', (size_t)(kend - s));
    if (eq == NULL) {
        return pw_fail(err, PW_EINVAL, "expected `key = value`");
    }
    const char *key_end;
    const char *key = trim(s, eq, &key_end);
    int k = find_key(key, (size_t)(key_end - key));
    if (k < 0) {
        return pw_fail(err, PW_EINVAL,
                       "unknown key \"%.*s\" (pathway config --defaults lists every key)",
                       (int)((key_end - key) > 60 ? 60 : (key_end - key)), key);
    }
    if (c->from_file[k]) {
        return pw_fail(err, PW_EINVAL, "%s is set twice", entries[k].key);
    }
    const char *value_end;
    const char *value = trim(eq + 1, kend, &value_end);
    enum pw_status rc = parse_value(value, value_end, &entries[k], &c->value[k], err);
    if (rc == PW_OK) {
        c->from_file[k] = true;
    }
    return rc;
}

enum pw_status
pw_config_parse(struct pw_config *c, const char *text, size_t len, struct pw_error *err)
{
    struct pw_config next;
    pw_config_defaults(&next);
    long lineno = 0;
    const char *end = text + len;
    for (const char *line = text; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *line_end = nl != NULL ? nl : end;
        lineno++;
        enum pw_status rc = parse_line(&next, line, line_end, err);
        if (rc != PW_OK) {
            pw_error_line(err, lineno);
            return rc;
        }
        line = nl != NULL ? nl + 1 : end;
    }
    (void)snprintf(next.path, sizeof(next.path), "%s", c->path);
    *c = next;
    return PW_OK;
}

enum pw_status
pw_config_load(struct pw_config *c, const char *path, struct pw_error *err)
{
    struct pw_buf text;
    char chunk[4096];
    char why[128];
    enum pw_status rc = PW_OK;
    pw_config_defaults(c);
    pw_buf_init(&text, (size_t)1024 * 1024);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return pw_fail(err, PW_EIO, "could not open the configuration %s: %s", path,
                       pw_strerror(errno, why, sizeof(why)));
    }
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        pw_buf_add(&text, chunk, n);
    }
    if (ferror(f)) {
        rc = pw_fail(err, PW_EIO, "could not read the configuration %s", path);
    }
    (void)fclose(f);
    if (rc == PW_OK) {
        rc = pw_buf_check(&text, "the configuration", err);
    }
    if (rc == PW_OK) {
        (void)snprintf(c->path, sizeof(c->path), "%s", path);
        rc = pw_config_parse(c, pw_buf_cstr(&text), text.len, err);
    }
    if (rc != PW_OK) {
        pw_config_defaults(c);
    }
    pw_buf_release(&text);
    return rc;
}

int
pw_config_get(const struct pw_config *c, enum pw_config_key k)
{
    return c->value[k];
}

const char *
pw_config_name(enum pw_config_key k)
{
    return entries[k].key;
}

int
pw_config_default(enum pw_config_key k)
{
    return entries[k].def;
}

const char *
pw_config_unit(enum pw_config_key k)
{
    return entries[k].unit;
}

const char *
pw_config_about(enum pw_config_key k)
{
    return entries[k].what;
}

/* The description as `#` comment lines of at most 96 columns. */
static void
write_comment(FILE *out, const char *text)
{
    size_t col = 0;
    for (const char *p = text + strspn(text, " "); *p != '\0'; p += strspn(p, " ")) {
        size_t word = strcspn(p, " ");
        if (col == 0) {
            col = (size_t)fprintf(out, "#");
        } else if (col + 1 + word > 96) {
            col = (size_t)fprintf(out, "\n#");
            col--;
        }
        col += (size_t)fprintf(out, " %.*s", (int)word, p);
        p += word;
    }
    (void)fputc('\n', out);
}

void
pw_config_write(const struct pw_config *c, FILE *out, bool only_changed)
{
    (void)fprintf(out, "# Pathway configuration: the thresholds and timescales of the pathway and "
                       "the rules.\n# One `key = value` a line; a key left out keeps its "
                       "default. Working days exclude\n# weekends and England and Wales bank "
                       "holidays, and the day the clock starts is day 1.\n");
    for (int k = 0; k < PW_CFG__COUNT; k++) {
        const struct entry *e = &entries[k];
        if (only_changed && !c->from_file[k]) {
            continue;
        }
        (void)fputc('\n', out);
        write_comment(out, e->what);
        (void)fprintf(out, "# %s, %d to %d; default %d%s\n%s = %d\n", e->unit, e->min, e->max,
                      e->def, c->from_file[k] ? "; set by this partnership" : "", e->key,
                      c->value[k]);
    }
}
