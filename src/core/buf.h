/*
 * A growable, size-capped, always-terminated byte buffer (git strbuf, curl dynbuf) and a
 * non-owning slice. Appends never fail silently: past the cap the buffer stops growing and sets
 * a sticky `overflow` flag, so a caller builds a whole text and checks once with pw_buf_check().
 */
#ifndef PW_CORE_BUF_H
#define PW_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define PW_BUF_DEFAULT_MAX ((size_t)64 * 1024 * 1024)

struct pw_buf {
    char *ptr;     /* NULL until the first append; use pw_buf_cstr() to read */
    size_t len;    /* bytes used, not counting the terminator */
    size_t cap;    /* bytes allocated */
    size_t max;    /* most bytes it may hold */
    bool overflow; /* an append would have passed max */
};

struct pw_slice {
    const char *ptr; /* borrowed */
    size_t len;
};

/** Initialises an empty buffer that may hold at most max bytes (0: PW_BUF_DEFAULT_MAX). */
void pw_buf_init(struct pw_buf *b, size_t max);
/** Frees the memory and leaves the buffer empty and reusable. */
void pw_buf_release(struct pw_buf *b);
/** Empties the buffer, keeping its memory and clearing overflow. */
void pw_buf_reset(struct pw_buf *b);
/** Appends n bytes. */
void pw_buf_add(struct pw_buf *b, const void *p, size_t n);
/** Appends a terminated string. */
void pw_buf_adds(struct pw_buf *b, const char *s);
/** Appends one byte. */
void pw_buf_addc(struct pw_buf *b, char c);
/** Appends formatted text. */
void pw_buf_addf(struct pw_buf *b, const char *fmt, ...) PW_PRINTF(2, 3);
/** Appends s with JSON string escaping, without the quotes. */
void pw_buf_add_json_escaped(struct pw_buf *b, const char *s, size_t n);
/** The content, always terminated; "" when empty. Borrowed until the next change. */
const char *pw_buf_cstr(const struct pw_buf *b);
/** Takes the memory out (caller frees); the buffer is left empty. New. */
char *pw_buf_detach(struct pw_buf *b, size_t *len);
/** PW_OK, or PW_ETOOBIG naming what when the buffer overflowed. */
PW_MUSTCHECK enum pw_status pw_buf_check(const struct pw_buf *b, const char *what,
                                         struct pw_error *err);

/** A slice of a terminated string. */
struct pw_slice pw_slice_cstr(const char *s);
/** True when the slice equals the terminated string s. */
bool pw_slice_eq(struct pw_slice a, const char *s);

#endif
