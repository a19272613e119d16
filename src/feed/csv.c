/*
 * The CSV reader of the feeds (RFC 4180): one pass over the bytes, fields copied into an
 * arena with quotes undone, each row remembering the line it starts on so every message can
 * name it. Structure errors stop the read; a field that is not UTF-8 is only flagged, so the
 * caller can report it by column together with every other error in the file.
 */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "feed/feed.h"

bool
pw_feed_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t more;
        uint32_t cp;
        if (c == 0) {
            return false;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (n - i <= more) {
            return false;
        }
        for (size_t k = 1; k <= more; k++) {
            if ((p[i + k] & 0xC0u) != 0x80u) {
                return false;
            }
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        if ((more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (more == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
            return false;
        }
        i += more + 1;
    }
    return true;
}

/* A row being built. */
struct row_build {
    char **fields;
    size_t *lens;
    bool *bad;
    size_t count, cap;
};

static void
row_add(struct row_build *r, struct pw_arena *a, const struct pw_buf *field)
{
    if (r->count == r->cap) {
        r->cap = r->cap == 0 ? 16 : pw_mul_size(r->cap, 2);
        r->fields = pw_xrealloc(r->fields, pw_mul_size(r->cap, sizeof(*r->fields)));
        r->lens = pw_xrealloc(r->lens, pw_mul_size(r->cap, sizeof(*r->lens)));
        r->bad = pw_xrealloc(r->bad, pw_mul_size(r->cap, sizeof(*r->bad)));
    }
    r->fields[r->count] = pw_arena_strndup(a, pw_buf_cstr(field), field->len);
    r->lens[r->count] = field->len;
    r->bad[r->count] = !pw_feed_utf8_valid(pw_buf_cstr(field), field->len);
    r->count++;
}

static void
push_row(struct pw_feed_csv *csv, size_t *cap, struct row_build *r, long line)
{
    /* A blank line is one empty field: skip it. */
    if (r->count == 1 && r->lens[0] == 0) {
        r->count = 0;
        return;
    }
    if (csv->count == *cap) {
        *cap = *cap == 0 ? 64 : pw_mul_size(*cap, 2);
        csv->rows = pw_xrealloc(csv->rows, pw_mul_size(*cap, sizeof(*csv->rows)));
    }
    struct pw_feed_csv_row *row = &csv->rows[csv->count++];
    row->line = line;
    row->count = r->count;
    row->fields = pw_arena_alloc(csv->arena, pw_mul_size(r->count, sizeof(char *)));
    row->lens = pw_arena_alloc(csv->arena, pw_mul_size(r->count, sizeof(size_t)));
    row->bad_utf8 = pw_arena_alloc(csv->arena, pw_mul_size(r->count, sizeof(bool)));
    memcpy(row->fields, r->fields, r->count * sizeof(char *));
    memcpy(row->lens, r->lens, r->count * sizeof(size_t));
    memcpy(row->bad_utf8, r->bad, r->count * sizeof(bool));
    r->count = 0;
}

enum pw_status
pw_feed_csv_parse(const char *data, size_t len, struct pw_feed_csv *out, struct pw_error *err)
{
    struct row_build r = { 0 };
    struct pw_buf field;
    size_t cap = 0;
    size_t i = 0;
    long line = 1;
    long row_line = 1;
    enum pw_status rc = PW_OK;
    memset(out, 0, sizeof(*out));
    out->arena = pw_arena_new();
    pw_buf_init(&field, 0);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    while (i < len) {
        pw_buf_reset(&field);
        if (data[i] == '"') {
            long opened = line;
            i++;
            for (;;) {
                if (i >= len) {
                    rc = pw_fail(err, PW_EINVAL, "a quoted field opened on line %ld is not closed",
                                 opened);
                    pw_error_line(err, opened);
                    goto out;
                }
                if (data[i] == '"') {
                    if (i + 1 < len && data[i + 1] == '"') {
                        pw_buf_addc(&field, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (data[i] == '\n') {
                    line++;
                }
                pw_buf_addc(&field, data[i]);
                i++;
            }
            if (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r') {
                rc = pw_fail(err, PW_EINVAL,
                             "text after the closing quote of a field (a quote inside a field "
                             "is written twice: \"\")");
                pw_error_line(err, line);
                goto out;
            }
        } else {
            while (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r') {
                if (data[i] == '"') {
                    rc = pw_fail(err, PW_EINVAL,
                                 "a quote inside a field that does not start with one (quote "
                                 "the whole field and write the quote twice)");
                    pw_error_line(err, line);
                    goto out;
                }
                pw_buf_addc(&field, data[i]);
                i++;
            }
        }
        row_add(&r, out->arena, &field);
        if (i >= len) {
            break;
        }
        if (data[i] == ',') {
            i++;
            if (i >= len) {
                /* "a,b," at the very end: the last field is empty. */
                pw_buf_reset(&field);
                row_add(&r, out->arena, &field);
            }
            continue;
        }
        if (data[i] == '\r') {
            if (i + 1 >= len || data[i + 1] != '\n') {
                rc = pw_fail(err, PW_EINVAL, "a carriage return not followed by a line feed");
                pw_error_line(err, line);
                goto out;
            }
            i++;
        }
        /* data[i] == '\n': the row ends. */
        i++;
        push_row(out, &cap, &r, row_line);
        line++;
        row_line = line;
    }
    if (r.count > 0) {
        push_row(out, &cap, &r, row_line);
    }
    rc = pw_buf_check(&field, "a CSV field", err);
out:
    pw_buf_release(&field);
    free(r.fields);
    free(r.lens);
    free(r.bad);
    return rc;
}

void
pw_feed_csv_release(struct pw_feed_csv *csv)
{
    free(csv->rows);
    pw_arena_free(csv->arena);
    memset(csv, 0, sizeof(*csv));
}
