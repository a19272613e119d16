/*
 * JSON in and out for facts. Loading is jansson's strict parser (duplicate keys refused, no
 * NUL in strings, UTF-8 checked), but its messages quote the input ("near 'Mary'"), which may
 * be personal data; so each failure is reworded from its error code, and the JSON path where
 * the input went wrong is found by rescanning the well-formed prefix jansson accepted.
 * Writing is the canonical encoding the fact log hashes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/buf.h"
#include "model/model_int.h"

#define CANONICAL_FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY)

/* Containers deeper than this are still scanned but not named in the path. */
#define LOCATE_DEPTH 16

/* One open container while rescanning: an object with its current key, or an array. */
struct frame {
    bool is_object;
    bool have_key;
    size_t index;
    size_t key_start;
    size_t key_len;
};

struct locate {
    const char *s;
    struct frame frames[LOCATE_DEPTH];
    size_t depth; /* may exceed LOCATE_DEPTH: frames past it are not kept */
    bool in_string;
    bool string_is_key;
    size_t string_start;
};

static struct frame *
top(struct locate *l)
{
    return l->depth == 0 || l->depth > LOCATE_DEPTH ? NULL : &l->frames[l->depth - 1];
}

static void
push(struct locate *l, bool is_object)
{
    if (l->depth < LOCATE_DEPTH) {
        struct frame *f = &l->frames[l->depth];
        memset(f, 0, sizeof(*f));
        f->is_object = is_object;
    }
    l->depth++;
}

/* Feeds one byte at offset i of the text jansson accepted, outside or inside a string. */
static size_t
feed(struct locate *l, size_t i)
{
    char c = l->s[i];
    struct frame *f = top(l);
    if (l->in_string) {
        if (c == '\\') {
            return i + 2; /* the escaped byte cannot end the string */
        }
        if (c == '"') {
            l->in_string = false;
            if (l->string_is_key && f != NULL) {
                f->have_key = true;
                f->key_start = l->string_start;
                f->key_len = i - l->string_start;
            }
        }
        return i + 1;
    }
    if (c == '"') {
        l->in_string = true;
        l->string_is_key = f != NULL && f->is_object && !f->have_key;
        l->string_start = i + 1;
    } else if (c == '{' || c == '[') {
        push(l, c == '{');
    } else if ((c == '}' || c == ']') && l->depth > 0) {
        l->depth--;
    } else if (c == ',' && f != NULL) {
        f->index++;
        f->have_key = false;
    }
    return i + 1;
}

/* The path of the value being read at byte pos of s[0..n). */
static void
locate_path(const char *s, size_t n, size_t pos, struct pw__path *path)
{
    struct locate l;
    memset(&l, 0, sizeof(l));
    l.s = s;
    size_t end = pos < n ? pos : n;
    for (size_t i = 0; i < end;) {
        i = feed(&l, i);
    }
    pw__path_init(path);
    size_t kept = l.depth < LOCATE_DEPTH ? l.depth : LOCATE_DEPTH;
    for (size_t d = 0; d < kept; d++) {
        const struct frame *f = &l.frames[d];
        if (f->is_object && f->have_key) {
            (void)pw__path_key(path, s + f->key_start, f->key_len);
        } else if (!f->is_object) {
            (void)pw__path_index(path, f->index);
        }
    }
}

/*
 * The error text for a jansson error; never quotes the input. jansson gives several syntax
 * errors one code, so the start of its own text (before it quotes the input) tells them apart.
 */
static const char *
load_problem(const json_error_t *jerr)
{
    static const struct {
        const char *jansson;
        const char *ours;
    } syntax[] = {
        { "invalid Unicode", "holds an invalid \\u escape (or a lone surrogate)" },
        { "unexpected newline", "holds a raw line break: write it as \\n" },
        { "control character", "holds a raw control character: escape it (\\n, \\t, \\u0001)" },
        { "invalid escape", "holds an invalid escape after a backslash" },
    };
    enum json_error_code code = json_error_code(jerr);
    for (size_t i = 0; code == json_error_invalid_syntax && i < sizeof(syntax) / sizeof(syntax[0]);
         i++) {
        if (strncmp(jerr->text, syntax[i].jansson, strlen(syntax[i].jansson)) == 0) {
            return syntax[i].ours;
        }
    }
    switch (code) {
    case json_error_invalid_utf8:
        return "is not valid UTF-8";
    case json_error_premature_end_of_input:
        return "the JSON ends too early";
    case json_error_end_of_input_expected:
        return "unexpected text after the fact";
    case json_error_null_character:
        return "contains the NUL character (\\u0000), which is not allowed";
    case json_error_null_byte_in_key:
        return "a key contains the NUL character (\\u0000), which is not allowed";
    case json_error_duplicate_key:
        return "is given twice (duplicate key)";
    case json_error_numeric_overflow:
        return "is a number too large to store";
    case json_error_stack_overflow:
        return "is nested too deeply";
    default:
        return "is not valid JSON";
    }
}

static bool
blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') {
            return false;
        }
    }
    return true;
}

json_t *
pw__json_load(const char *s, size_t n, struct pw_error *err)
{
    if (s == NULL || blank(s, n)) {
        (void)pw__fail_at(err, "$", "no fact: expected one JSON object");
        return NULL;
    }
    json_error_t jerr;
    json_t *v = json_loadb(s, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (v != NULL) {
        return v;
    }
    enum json_error_code code = json_error_code(&jerr);
    if (code == json_error_out_of_memory) {
        (void)pw_fail(err, PW_EINTERNAL, "out of memory reading a fact");
        return NULL;
    }
    size_t pos = jerr.position > 0 ? (size_t)jerr.position : 0;
    struct pw__path path;
    locate_path(s, n, pos, &path);
    /* A fact is one line: jansson's column is the useful position, its line is always 1. */
    (void)pw__fail_at(err, path.text, "%s (at character %d)", load_problem(&jerr), jerr.position);
    return NULL;
}

const char *
pw__json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_NULL:
        return "null";
    }
    return "unknown";
}

/* jansson's dump callback: appends to a pw_buf, and stops it when the buffer is full. */
static int
append(const char *buffer, size_t size, void *data)
{
    struct pw_buf *b = data;
    pw_buf_add(b, buffer, size);
    return b->overflow ? -1 : 0;
}

char *
pw_json_canonical(const json_t *v, size_t *len)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    if (v == NULL || json_dump_callback(v, append, &b, CANONICAL_FLAGS) != 0) {
        pw_buf_release(&b);
        return NULL;
    }
    return pw_buf_detach(&b, len);
}

/*
 * Encodes v compactly (not canonically: the parse that follows does that) into at most max
 * bytes; NULL when it does not fit (*too_big set) or cannot be encoded (a string that is not
 * UTF-8, which jansson's encoder refuses).
 */
char *
pw__json_encode(const json_t *v, size_t max, size_t *len, bool *too_big)
{
    struct pw_buf b;
    pw_buf_init(&b, max);
    *too_big = false;
    if (json_dump_callback(v, append, &b, JSON_COMPACT | JSON_ENCODE_ANY) != 0) {
        *too_big = b.overflow;
        pw_buf_release(&b);
        return NULL;
    }
    return pw_buf_detach(&b, len);
}
