/*
 * libFuzzer target for agency feeds. Any bytes may arrive as a CSV file from an agency, so the
 * CSV reader and the feed reader must never crash, leak or accept what they cannot account
 * for: every row kept has as many fields as it was read with, every record a feed yields has
 * a registration and a person id the model accepts, and a refused feed yields no records.
 * The first byte picks the agency's format (so every format's column checks run).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed.h"
#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
ignore_error(void *ctx, long line, const char *column, const char *msg)
{
    (void)ctx;
    (void)column;
    if (line < 0 || msg == NULL || msg[0] == '\0') {
        abort();
    }
}

static void
check_csv(const char *text, size_t n)
{
    struct pw_feed_csv csv = { 0 };
    struct pw_error err = { 0 };
    if (pw_feed_csv_parse(text, n, &csv, &err) == PW_OK) {
        for (size_t i = 0; i < csv.count; i++) {
            if (csv.rows[i].count > 0 && csv.rows[i].fields == NULL) {
                abort();
            }
        }
    }
    pw_feed_csv_release(&csv);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const agencies[] = { "csc", "police", "health", "education", "probation" };
    if (size == 0) {
        return 0;
    }
    const char *agency = agencies[data[0] % 5];
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    check_csv(text, n);
    struct pw_feed_opts o = {
        .agency = agency,
        .file = "fuzz.csv",
        .at = "2025-09-01",
        .by = "u.fuzz",
        .format = (data[0] & 8) != 0 ? "generic" : NULL,
    };
    struct pw_feed_batch b = { 0 };
    struct pw_error err = { 0 };
    enum pw_status rc = pw_feed_read(&o, text, n, ignore_error, NULL, &b, &err);
    if (rc != PW_OK && b.count != 0) {
        abort();
    }
    for (size_t i = 0; i < b.count; i++) {
        const struct pw_feed_record *r = &b.records[i];
        if (r->nfacts == 0 || r->facts[0] == NULL || !pw_id_valid(r->person, strlen(r->person))) {
            abort();
        }
    }
    pw_feed_batch_release(&b);
    return 0;
}
