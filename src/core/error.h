/*
 * The status and error model. A fallible function returns enum pw_status (PW_OK is 0) and takes
 * struct pw_error *err last. The first failure is recorded with pw_fail(); later ones leave it
 * alone, so the message a user sees is the cause, not a consequence. err may be NULL.
 *
 * msg is safe to show a user: it may name ids, fields and lines but never holds a person's name,
 * date of birth or other personal data. detail is for the operator's log only.
 */
#ifndef PW_CORE_ERROR_H
#define PW_CORE_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
# define PW_MUSTCHECK    __attribute__((warn_unused_result))
# define PW_PRINTF(f, a) __attribute__((format(printf, f, a)))
# define PW_NORETURN     __attribute__((noreturn))
#else
# define PW_MUSTCHECK
# define PW_PRINTF(f, a)
# define PW_NORETURN
#endif

enum pw_status {
#define PW_STATUS(name, http, exit, text) PW_##name,
#include "core/status.def"
#undef PW_STATUS
};

struct pw_error {
    enum pw_status code; /* PW_OK until the first failure */
    char msg[512];       /* user-safe primary message: lower case, no final period */
    char field[160];     /* JSON path or field name the message is about, "" if none */
    long line;           /* input line the message is about, 0 if none */
    char detail[256];    /* operator log only: SQL error text, errno text */
    const char *src_file;
    int src_line;
};

/** Resets err to "no error". */
void pw_error_clear(struct pw_error *err);

/**
 * Records a failure in err unless one is already recorded, and returns code either way so that
 * `rc = pw_fail(err, PW_EINVAL, "...");` reads naturally. Use the pw_fail macro.
 */
enum pw_status pw_error_set(struct pw_error *err, enum pw_status code, const char *file, int line,
                            const char *fmt, ...) PW_PRINTF(5, 6);

#define pw_fail(err, code, ...) pw_error_set((err), (code), __FILE__, __LINE__, __VA_ARGS__)

/** Sets the JSON path or field of the recorded failure, if there is one and it has none. */
void pw_error_field(struct pw_error *err, const char *field);

/** Sets the input line of the recorded failure, if there is one and it has none. */
void pw_error_line(struct pw_error *err, long line);

/** Sets the log-only detail of the recorded failure (overwrites). */
void pw_error_detail(struct pw_error *err, const char *fmt, ...) PW_PRINTF(2, 3);

/** The status name, e.g. "EINVAL"; borrowed, static. */
const char *pw_status_name(enum pw_status code);
/** A short lower-case text for the status; borrowed, static. */
const char *pw_status_text(enum pw_status code);
/** The HTTP status the API answers with. */
int pw_status_http(enum pw_status code);
/** The CLI exit code (README.md documents them). */
int pw_status_exit(enum pw_status code);

/**
 * The text of errno value e in buf (thread-safe, unlike strerror). Returns buf, always
 * terminated.
 */
const char *pw_strerror(int e, char *buf, size_t size);

/** Prints a message and aborts: for states the code has proven impossible. */
PW_NORETURN void pw_abort(const char *file, int line, const char *what);

#define PW_ASSERT(cond)                 \
 do {                                   \
  if (!(cond)) {                        \
   pw_abort(__FILE__, __LINE__, #cond); \
  }                                     \
 } while (0)

#endif
