/* The status table and the first-failure-wins error record. */
#include "core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct status_row {
    const char *name;
    const char *text;
    int http;
    int exit;
};

static const struct status_row status_rows[] = {
#define PW_STATUS(name, http, exit, text) { #name, text, http, exit },
#include "core/status.def"
#undef PW_STATUS
};

static const struct status_row *
row_of(enum pw_status code)
{
    size_t n = sizeof(status_rows) / sizeof(status_rows[0]);
    if ((size_t)code >= n) {
        return &status_rows[PW_EINTERNAL];
    }
    return &status_rows[code];
}

void
pw_error_clear(struct pw_error *err)
{
    if (err != NULL) {
        memset(err, 0, sizeof(*err));
    }
}

enum pw_status
pw_error_set(struct pw_error *err, enum pw_status code, const char *file, int line, const char *fmt,
             ...)
{
    if (err == NULL || err->code != PW_OK) {
        return code;
    }
    err->code = code;
    err->src_file = file;
    err->src_line = line;
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

void
pw_error_field(struct pw_error *err, const char *field)
{
    if (err != NULL && err->code != PW_OK && err->field[0] == '\0' && field != NULL) {
        (void)snprintf(err->field, sizeof(err->field), "%s", field);
    }
}

void
pw_error_line(struct pw_error *err, long line)
{
    if (err != NULL && err->code != PW_OK && err->line == 0) {
        err->line = line;
    }
}

void
pw_error_detail(struct pw_error *err, const char *fmt, ...)
{
    if (err == NULL) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
    va_end(ap);
}

const char *
pw_status_name(enum pw_status code)
{
    return row_of(code)->name;
}

const char *
pw_status_text(enum pw_status code)
{
    return row_of(code)->text;
}

int
pw_status_http(enum pw_status code)
{
    return row_of(code)->http;
}

int
pw_status_exit(enum pw_status code)
{
    return row_of(code)->exit;
}

const char *
pw_strerror(int e, char *buf, size_t size)
{
    /* POSIX strerror_r (we build with _POSIX_C_SOURCE, so not the GNU variant). */
    if (strerror_r(e, buf, size) != 0) {
        (void)snprintf(buf, size, "error %d", e);
    }
    return buf;
}

void
pw_abort(const char *file, int line, const char *what)
{
    (void)fprintf(stderr, "pathway: internal error at %s:%d: %s\n", file, line, what);
    abort();
}
