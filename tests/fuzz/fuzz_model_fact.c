/*
 * libFuzzer target for the fact parser. Any bytes may arrive from the API or a JSONL file, so
 * pw_fact_parse must never crash, leak or accept something it cannot reproduce: for every
 * accepted input, the canonical text must parse again to the same canonical text, and the
 * reference walk must visit only valid ids. A refusal must leave the fact zeroed and say why.
 * Messages must be printable ASCII (they never carry raw input). Each input is parsed twice:
 * without options, and as a recording user with a clock, so the `by` and future-date paths are
 * exercised too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum pw_status
check_ref(void *ctx, enum pw_ref_kind kind, const char *id, const char *path, struct pw_error *err)
{
    (void)ctx;
    (void)kind;
    (void)err;
    if (id == NULL || !pw_id_valid(id, strlen(id)) || path == NULL || path[0] != '$') {
        abort();
    }
    return PW_OK;
}

static void
check_accepted(const struct pw_fact *f)
{
    struct pw_fact again;
    struct pw_error err;
    pw_error_clear(&err);
    if (pw_fact_parse(f->canonical, f->canonical_len, NULL, &again, &err) != PW_OK) {
        abort();
    }
    if (again.canonical_len != f->canonical_len ||
        memcmp(again.canonical, f->canonical, f->canonical_len) != 0) {
        abort();
    }
    pw_fact_release(&again);
    pw_error_clear(&err);
    if (pw_fact_each_ref(f, check_ref, NULL, &err) != PW_OK) {
        abort();
    }
    (void)pw_fact_defines(f, PW_REF_PERSON);
    (void)pw_fact_defines(f, PW_REF_CONCERN);
    (void)pw_fact_defines(f, PW_REF_EPISODE);
}

static void
parse_one(const uint8_t *data, size_t size, const struct pw_fact_parse_opts *opts)
{
    struct pw_fact f;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw_fact_parse((const char *)data, size, opts, &f, &err);
    if (rc == PW_OK) {
        check_accepted(&f);
        pw_fact_release(&f);
        return;
    }
    if (err.code != rc || err.msg[0] == '\0' || f.body != NULL || f.canonical != NULL) {
        abort();
    }
    /* Messages quote nothing raw from the input: they are printable ASCII, one line. */
    for (const char *p = err.msg; *p != '\0'; p++) {
        if (*p < 0x20 || *p > 0x7e) {
            abort();
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse_one(data, size, NULL);
    /* 2026-01-15T00:00:00Z. */
    struct pw_fact_parse_opts opts = { "u1", INT64_C(1768435200000000) };
    parse_one(data, size, &opts);
    return 0;
}
