/*
 * Reading a feed: the header against the format, then every row into facts. Each value is
 * checked where its column is known, so a message names the line and the column; the facts a
 * row makes are then validated by the model, and a refusal there is traced back to the column
 * that fed the field. Every error is reported and counted; the batch is kept only when there
 * were none.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/strmap.h"
#include "feed/feed_int.h"

#define DEFAULT_MAX_ERRORS 50

struct reader {
    const struct pw_feed_opts *opts;
    const struct pw__format *fmt;
    pw_feed_error_fn on_error;
    void *ctx;
    size_t errors;
    size_t max_errors;
    /* Per header position: the format column it is, or NULL when ignored. */
    const struct pw__column **cols;
    size_t ncols;
    /* Per field: the header name of the column that holds it, NULL when absent. */
    const char *field_col[PW__F_COUNT];
    struct pw_strmap ids; /* record id -> line */
};

static void report(struct reader *r, long line, const char *column, const char *fmt, ...)
    PW_PRINTF(4, 5);

static void
report(struct reader *r, long line, const char *column, const char *fmt, ...)
{
    r->errors++;
    if (r->errors > r->max_errors) {
        return;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    r->on_error(r->ctx, line, column, msg);
}

/* True when name is one of the comma-separated items of list. */
static bool
in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    const char *p = list;
    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, ',');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0) {
            return true;
        }
        p = end != NULL ? end + 1 : NULL;
    }
    return false;
}

static const struct pw__column *
find_column(const struct pw__format *fmt, const char *name)
{
    for (const struct pw__column *c = fmt->columns; c->name != NULL; c++) {
        if (strcmp(c->name, name) == 0) {
            return c;
        }
    }
    return NULL;
}

/* The column a header name stands for under --map (their=ours), or the name itself. */
static const char *
mapped(const char *map, const char *name, char *buf, size_t size)
{
    size_t n = strlen(name);
    const char *p = map;
    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, ',');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq != NULL && (size_t)(eq - p) == n && memcmp(p, name, n) == 0) {
            (void)snprintf(buf, size, "%.*s", (int)(len - n - 1), eq + 1);
            return buf;
        }
        p = end != NULL ? end + 1 : NULL;
    }
    return name;
}

static enum pw_status
check_map(const struct pw__format *fmt, const char *map, struct pw_error *err)
{
    const char *p = map;
    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, ',');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        char ours[128];
        if (eq == NULL || eq == p || (size_t)(eq - p) + 1 == len) {
            return pw_fail(err, PW_EUSAGE, "--map takes their_column=our_column pairs, got '%.*s'",
                           (int)len, p);
        }
        (void)snprintf(ours, sizeof(ours), "%.*s", (int)(len - (size_t)(eq - p) - 1), eq + 1);
        if (find_column(fmt, ours) == NULL) {
            return pw_fail(err, PW_EUSAGE, "--map: the %s format has no column '%s'", fmt->name,
                           ours);
        }
        p = end != NULL ? end + 1 : NULL;
    }
    return PW_OK;
}

/* Reads the header; false when it has errors (reported). */
static bool
read_header(struct reader *r, const struct pw_feed_csv_row *h)
{
    size_t before = r->errors;
    bool seen[64] = { false };
    char buf[128];
    r->ncols = h->count;
    r->cols = pw_xcalloc(h->count, sizeof(const struct pw__column *));
    for (size_t i = 0; i < h->count; i++) {
        if (h->bad_utf8[i]) {
            report(r, h->line, NULL, "column %zu of the header is not valid UTF-8", i + 1);
            continue;
        }
        const char *name = mapped(r->opts->map, h->fields[i], buf, sizeof(buf));
        if (r->opts->ignore != NULL && in_list(r->opts->ignore, h->fields[i])) {
            continue;
        }
        const struct pw__column *c = find_column(r->fmt, name);
        if (c == NULL) {
            report(r, h->line, h->fields[i],
                   "unknown column for the %s format (--ignore %s skips it%s)", r->fmt->name,
                   h->fields[i], strcmp(r->fmt->name, "generic") == 0 ? ", --map renames it" : "");
            continue;
        }
        size_t k = (size_t)(c - r->fmt->columns);
        if (k < 64 && seen[k]) {
            report(r, h->line, h->fields[i], "the column is named twice");
            continue;
        }
        if (k < 64) {
            seen[k] = true;
        }
        r->cols[i] = c;
        r->field_col[c->field] = h->fields[i];
    }
    for (const struct pw__column *c = r->fmt->columns; c->name != NULL; c++) {
        size_t k = (size_t)(c - r->fmt->columns);
        if (c->required && !(k < 64 && seen[k])) {
            report(r, h->line, c->name, "the required column is missing");
        }
    }
    return r->errors == before;
}

/* A trimmed value: NULL when empty. */
struct value {
    const char *s;
    size_t n;
    const struct pw__column *col;
    const char *header; /* the column's name in this file */
};

static const char *
sex_expected(const struct pw__sexcode *codes, char *buf, size_t size)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    for (size_t i = 0; codes[i].code != NULL; i++) {
        if (i > 0) {
            pw_buf_adds(&b, codes[i + 1].code == NULL ? " or " : ", ");
        }
        pw_buf_adds(&b, codes[i].code);
    }
    (void)snprintf(buf, size, "%s", pw_buf_cstr(&b));
    pw_buf_release(&b);
    return buf;
}

static void
set_str(json_t *o, const char *key, const struct value *v)
{
    (void)json_object_set_new(o, key, json_stringn(v->s, v->n));
}

/* Parses a small whole number from a dob part; -1 when it is not one. */
static int
part_number(const struct value *v)
{
    int n = 0;
    if (v->n == 0 || v->n > 4) {
        return -1;
    }
    for (size_t i = 0; i < v->n; i++) {
        if (!isdigit((unsigned char)v->s[i])) {
            return -1;
        }
        n = n * 10 + (v->s[i] - '0');
    }
    return n;
}

/* The column a model error's JSON path is about. */
static const char *
column_for_path(const struct reader *r, const char *path)
{
    static const struct {
        const char *prefix;
        enum pw__feed_field field;
    } paths[] = {
        { "$.names", PW__F_GIVEN },
        { "$.dob", PW__F_DOB },
        { "$.sex", PW__F_SEX },
        { "$.ethnicity", PW__F_ETHNICITY },
        { "$.language", PW__F_LANGUAGE },
        { "$.identifiers.nhs", PW__F_NHS },
        { "$.identifiers.pnc", PW__F_PNC },
        { "$.identifiers.upn", PW__F_UPN },
        { "$.identifiers.la", PW__F_LA },
        { "$.address.line1", PW__F_LINE1 },
        { "$.address.town", PW__F_TOWN },
        { "$.address.postcode", PW__F_POSTCODE },
        { "$.since", PW__F_SINCE },
        { "$.setting", PW__F_SCHOOL },
        { "$.person", PW__F_ID },
        { "$.child", PW__F_ID },
        { "$.source", PW__F_ID },
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        if (strncmp(path, paths[i].prefix, strlen(paths[i].prefix)) == 0) {
            const char *c = r->field_col[paths[i].field];
            if (c == NULL && paths[i].field == PW__F_DOB) {
                c = r->field_col[PW__F_DOB_Y];
            }
            if (c == NULL && paths[i].field == PW__F_GIVEN) {
                c = r->field_col[PW__F_FAMILY];
            }
            return c;
        }
    }
    return NULL;
}

/* Gives the fact its id (<person>.<kind>.<digest>) and checks it with the model. */
static bool
finish_fact(struct reader *r, const struct pw_feed_csv_row *row, json_t *fact, const char *person,
            const char *kind, char *digest_out)
{
    char digest[11];
    char id[PW_ID_MAX + 1];
    pw_feed_digest(fact, digest);
    (void)snprintf(id, sizeof(id), "%s.%s.%s", person, kind, digest);
    (void)json_object_set_new(fact, "id", json_string(id));
    if (digest_out != NULL) {
        memcpy(digest_out, digest, sizeof(digest));
    }
    struct pw_fact f = { 0 };
    struct pw_error e;
    pw_error_clear(&e);
    struct pw_fact_parse_opts po = { NULL, r->opts->now_us };
    if (pw_fact_from_json(fact, &po, &f, &e) == PW_OK) {
        pw_fact_release(&f);
        return true;
    }
    const char *col = column_for_path(r, e.field);
    if (col != NULL) {
        report(r, row->line, col, "%s", e.msg);
    } else if (e.field[0] != '\0') {
        report(r, row->line, NULL, "%s: %s", e.field, e.msg);
    } else {
        report(r, row->line, NULL, "%s", e.msg);
    }
    return false;
}

static json_t *
envelope(const struct reader *r, const char *type)
{
    json_t *o = json_object();
    (void)json_object_set_new(o, "type", json_string(type));
    (void)json_object_set_new(o, "at", json_string(r->opts->at));
    (void)json_object_set_new(o, "agency", json_string(r->opts->agency));
    (void)json_object_set_new(o, "by", json_string(r->opts->by));
    return o;
}

static void
add_name(json_t *names, const struct value *given, const struct value *middle,
         const struct value *family, const char *kind)
{
    json_t *n = json_object();
    if (given->s != NULL) {
        if (middle != NULL && middle->s != NULL) {
            char *g = pw_xmalloc(given->n + middle->n + 2);
            memcpy(g, given->s, given->n);
            g[given->n] = ' ';
            memcpy(g + given->n + 1, middle->s, middle->n);
            (void)json_object_set_new(n, "given", json_stringn(g, given->n + middle->n + 1));
            free(g);
        } else {
            set_str(n, "given", given);
        }
    }
    if (family->s != NULL) {
        set_str(n, "family", family);
    }
    (void)json_object_set_new(n, "kind", json_string(kind));
    (void)json_array_append_new(names, n);
}

/* The date of birth from the dob column or its parts; NULL with an error reported. */
static json_t *
read_dob(struct reader *r, const struct pw_feed_csv_row *row, const struct value *v, bool *ok)
{
    const struct value *dob = &v[PW__F_DOB];
    if (dob->s != NULL) {
        enum pw_feed_datefmt fmt = dob->col->date_opt ? r->opts->dob_format : dob->col->date;
        int32_t day = 0;
        struct pw_error e;
        pw_error_clear(&e);
        if (pw_feed_date_parse(dob->s, dob->n, fmt, &day, &e) != PW_OK) {
            report(r, row->line, dob->header, "%s", e.msg);
            *ok = false;
            return NULL;
        }
        char text[PW_DATE_TEXT_MAX];
        pw_date_format(day, text);
        return json_string(text);
    }
    const struct value *yv = &v[PW__F_DOB_Y];
    const struct value *mv = &v[PW__F_DOB_M];
    const struct value *dv = &v[PW__F_DOB_D];
    if (yv->s == NULL) {
        if (mv->s != NULL || dv->s != NULL) {
            report(r, row->line, mv->s != NULL ? mv->header : dv->header,
                   "a month or day of birth without the year");
            *ok = false;
        }
        return NULL;
    }
    int y = part_number(yv);
    int m = mv->s != NULL ? part_number(mv) : 0;
    int d = dv->s != NULL ? part_number(dv) : 0;
    if (y < PW_DATE_MIN_YEAR || y > PW_DATE_MAX_YEAR || yv->n != 4) {
        report(r, row->line, yv->header, "expected a year as YYYY");
        *ok = false;
        return NULL;
    }
    if (m < 0 || m > 12 || (mv->s != NULL && m == 0)) {
        report(r, row->line, mv->header, "expected a month from 1 to 12");
        *ok = false;
        return NULL;
    }
    if (dv->s != NULL) {
        if (m == 0) {
            report(r, row->line, dv->header, "a day of birth without the month");
            *ok = false;
            return NULL;
        }
        if (d < 1 || !pw_date_valid(y, m, d)) {
            report(r, row->line, dv->header, "%d-%02d-%.*s is not a real date", y, m, (int)dv->n,
                   dv->s);
            *ok = false;
            return NULL;
        }
        char text[PW_DATE_TEXT_MAX];
        pw_date_format(pw_date_from_ymd(y, m, d), text);
        return json_string(text);
    }
    json_t *o = json_object();
    (void)json_object_set_new(o, "year", json_integer(y));
    if (m > 0) {
        (void)json_object_set_new(o, "month", json_integer(m));
    }
    return o;
}

/* The identifiers of a row: NHS number checked, the others as given; NULL when none. */
static json_t *
read_identifiers(struct reader *r, const struct pw_feed_csv_row *row, const struct value *v,
                 const char *record, bool *ok)
{
    json_t *ids = json_object();
    if (v[PW__F_NHS].s != NULL) {
        char nhs[11];
        char *text = pw_xstrndup(v[PW__F_NHS].s, v[PW__F_NHS].n);
        if (pw_feed_nhs_valid(text, nhs)) {
            (void)json_object_set_new(ids, "nhs", json_string(nhs));
        } else {
            report(r, row->line, v[PW__F_NHS].header,
                   "is not a valid NHS number (10 digits, the last a modulus 11 check digit)");
            *ok = false;
        }
        free(text);
    }
    static const struct {
        enum pw__feed_field field;
        const char *scheme;
    } schemes[] = { { PW__F_PNC, "pnc" }, { PW__F_UPN, "upn" }, { PW__F_LA, "la" } };
    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
        if (v[schemes[i].field].s != NULL) {
            set_str(ids, schemes[i].scheme, &v[schemes[i].field]);
        }
    }
    if (r->fmt->id_scheme != NULL && json_object_get(ids, r->fmt->id_scheme) == NULL) {
        (void)json_object_set_new(ids, r->fmt->id_scheme, json_string(record));
    }
    if (json_object_size(ids) == 0) {
        json_decref(ids);
        return NULL;
    }
    return ids;
}

/* The residence a row gives, with since when known; NULL when the row has no address. */
static json_t *
read_residence(struct reader *r, const struct pw_feed_csv_row *row, const struct value *v,
               const char *person, bool *ok)
{
    json_t *res = NULL;
    if (v[PW__F_LINE1].s != NULL || v[PW__F_TOWN].s != NULL || v[PW__F_POSTCODE].s != NULL) {
        res = envelope(r, "residence.recorded");
        (void)json_object_set_new(res, "person", json_string(person));
        json_t *addr = json_object();
        if (v[PW__F_LINE1].s != NULL) {
            set_str(addr, "line1", &v[PW__F_LINE1]);
        }
        if (v[PW__F_TOWN].s != NULL) {
            set_str(addr, "town", &v[PW__F_TOWN]);
        }
        if (v[PW__F_POSTCODE].s != NULL) {
            set_str(addr, "postcode", &v[PW__F_POSTCODE]);
        }
        (void)json_object_set_new(res, "address", addr);
    }
    if (v[PW__F_SINCE].s != NULL) {
        int32_t day = 0;
        struct pw_error e;
        pw_error_clear(&e);
        if (pw_feed_date_parse(v[PW__F_SINCE].s, v[PW__F_SINCE].n, v[PW__F_SINCE].col->date, &day,
                               &e) != PW_OK) {
            report(r, row->line, v[PW__F_SINCE].header, "%s", e.msg);
            *ok = false;
        } else if (res == NULL) {
            report(r, row->line, v[PW__F_SINCE].header, "a date without an address");
            *ok = false;
        } else {
            char text[PW_DATE_TEXT_MAX];
            pw_date_format(day, text);
            (void)json_object_set_new(res, "since", json_string(text));
        }
    }
    return res;
}

/* The names of a row: the birth (legal) name, and a known-as name when it differs. */
static json_t *
read_names(struct reader *r, const struct pw_feed_csv_row *row, const struct value *v, bool *ok)
{
    json_t *names = json_array();
    if (v[PW__F_GIVEN].s == NULL && v[PW__F_FAMILY].s == NULL) {
        if (v[PW__F_KNOWN_AS].s == NULL) {
            const char *g = r->field_col[PW__F_GIVEN];
            const char *f = r->field_col[PW__F_FAMILY];
            report(r, row->line, NULL, "the record has no name (%s%s%s empty)", g != NULL ? g : "",
                   g != NULL && f != NULL ? " and " : "", f != NULL ? f : "");
            *ok = false;
        } else {
            add_name(names, &v[PW__F_KNOWN_AS], NULL, &v[PW__F_FAMILY], "known_as");
        }
    } else {
        add_name(names, &v[PW__F_GIVEN], &v[PW__F_MIDDLE], &v[PW__F_FAMILY], "birth");
        const struct value *ka = &v[PW__F_KNOWN_AS];
        if (ka->s != NULL && (v[PW__F_GIVEN].s == NULL || ka->n != v[PW__F_GIVEN].n ||
                              memcmp(ka->s, v[PW__F_GIVEN].s, ka->n) != 0)) {
            add_name(names, ka, NULL, &v[PW__F_FAMILY], "known_as");
        }
    }
    return names;
}

/* The sex code of a row in the model's terms, into reg. */
static void
read_sex(struct reader *r, const struct pw_feed_csv_row *row, const struct value *v, json_t *reg,
         bool *ok)
{
    if (v[PW__F_SEX].s != NULL) {
        const struct value *sv = &v[PW__F_SEX];
        const char *value = NULL;
        for (const struct pw__sexcode *c = sv->col->sex; c->code != NULL; c++) {
            if (strlen(c->code) == sv->n && strncasecmp(c->code, sv->s, sv->n) == 0) {
                value = c->value;
                break;
            }
        }
        if (value == NULL) {
            char expected[128];
            report(r, row->line, sv->header, "unknown code \"%.*s\" (expected %s)",
                   (int)(sv->n > 20 ? 20 : sv->n), sv->s,
                   sex_expected(sv->col->sex, expected, sizeof(expected)));
            *ok = false;
        } else {
            (void)json_object_set_new(reg, "sex", json_string(value));
        }
    }
}

static bool
read_row(struct reader *r, const struct pw_feed_csv_row *row, struct pw_feed_record *rec,
         struct pw_arena *arena)
{
    struct value v[PW__F_COUNT];
    bool ok = true;
    memset(v, 0, sizeof(v));
    if (row->count != r->ncols) {
        report(r, row->line, NULL, "the row has %zu fields; the header has %zu", row->count,
               r->ncols);
        return false;
    }
    for (size_t i = 0; i < row->count; i++) {
        const struct pw__column *c = r->cols[i];
        if (c == NULL) {
            continue;
        }
        if (row->bad_utf8[i]) {
            report(r, row->line, r->field_col[c->field], "is not valid UTF-8");
            ok = false;
            continue;
        }
        const char *s = row->fields[i];
        size_t n = row->lens[i];
        while (n > 0 && isspace((unsigned char)s[0])) {
            s++;
            n--;
        }
        while (n > 0 && isspace((unsigned char)s[n - 1])) {
            n--;
        }
        v[c->field].col = c;
        v[c->field].header = r->field_col[c->field];
        if (n > 0) {
            v[c->field].s = s;
            v[c->field].n = n;
        }
    }
    /* The record id. */
    const struct value *idv = &v[PW__F_ID];
    if (idv->s == NULL) {
        report(r, row->line, r->field_col[PW__F_ID], "the record id is missing");
        return false;
    }
    char *record = pw_arena_strndup(arena, idv->s, idv->n);
    int64_t first = 0;
    if (pw_strmap_get(&r->ids, record, &first)) {
        report(r, row->line, idv->header, "record id \"%s\" is also on line %lld", record,
               (long long)first);
        return false;
    }
    pw_strmap_put(&r->ids, record, row->line);

    /* Everything else, each value checked where its column is known. */
    json_t *reg = envelope(r, "person.registered");
    char person[PW_ID_MAX + 1];
    pw_feed_person_id(r->opts->agency, record, person);
    (void)json_object_set_new(reg, "person", json_string(person));
    json_t *names = read_names(r, row, v, &ok);
    (void)json_object_set_new(reg, "names", names);
    json_t *dob = read_dob(r, row, v, &ok);
    if (dob != NULL) {
        (void)json_object_set_new(reg, "dob", dob);
    }
    read_sex(r, row, v, reg, &ok);
    if (v[PW__F_ETHNICITY].s != NULL) {
        set_str(reg, "ethnicity", &v[PW__F_ETHNICITY]);
    }
    if (v[PW__F_LANGUAGE].s != NULL) {
        set_str(reg, "language", &v[PW__F_LANGUAGE]);
    }
    json_t *ids = read_identifiers(r, row, v, record, &ok);
    if (ids != NULL) {
        (void)json_object_set_new(reg, "identifiers", ids);
    }
    json_t *source = json_object();
    (void)json_object_set_new(source, "record", json_string(record));
    (void)json_object_set_new(source, "file", json_string(r->opts->file));
    (void)json_object_set_new(source, "line", json_integer(row->line));
    (void)json_object_set_new(reg, "source", source);

    json_t *res = read_residence(r, row, v, person, &ok);
    json_t *school = NULL;
    if (v[PW__F_SCHOOL].s != NULL) {
        school = envelope(r, "school.recorded");
        (void)json_object_set_new(school, "child", json_string(person));
        set_str(school, "setting", &v[PW__F_SCHOOL]);
    }
    /* Only facts whose values all passed are shown to the model: one error per value. */
    if (ok) {
        ok = finish_fact(r, row, reg, person, "reg", rec->digest);
    }
    if (ok && res != NULL) {
        ok = finish_fact(r, row, res, person, "res", NULL);
    }
    if (ok && school != NULL) {
        ok = finish_fact(r, row, school, person, "sch", NULL);
    }
    if (!ok) {
        json_decref(reg);
        json_decref(res);
        json_decref(school);
        return false;
    }
    rec->record = record;
    rec->line = row->line;
    (void)snprintf(rec->person, sizeof(rec->person), "%s", person);
    rec->facts[rec->nfacts++] = reg;
    if (res != NULL) {
        rec->facts[rec->nfacts++] = res;
    }
    if (school != NULL) {
        rec->facts[rec->nfacts++] = school;
    }
    return true;
}

enum pw_status
pw_feed_read(const struct pw_feed_opts *opts, const char *data, size_t len,
             pw_feed_error_fn on_error, void *ctx, struct pw_feed_batch *out, struct pw_error *err)
{
    struct reader r;
    struct pw_feed_csv csv = { 0 };
    struct pw_error e;
    enum pw_status rc = PW_OK;
    const char *fname = opts->format != NULL ? opts->format : opts->agency;
    memset(out, 0, sizeof(*out));
    memset(&r, 0, sizeof(r));
    pw_strmap_init(&r.ids);
    r.opts = opts;
    r.on_error = on_error;
    r.ctx = ctx;
    r.max_errors = opts->max_errors != 0 ? opts->max_errors : DEFAULT_MAX_ERRORS;
    if (opts->agency == NULL || !pw_agency_valid(opts->agency)) {
        rc = pw_fail(err, PW_EUSAGE,
                     "unknown agency '%s' (csc, police, health, education, "
                     "probation, yjs, cafcass, early_help, other)",
                     opts->agency != NULL ? opts->agency : "");
        goto out;
    }
    r.fmt = pw__feed_format(fname);
    if (r.fmt == NULL) {
        rc = opts->format != NULL
                 ? pw_fail(err, PW_EUSAGE, "unknown format '%s'", opts->format)
                 : pw_fail(err, PW_EUSAGE,
                           "the agency %s has no feed format of its own: use --format generic",
                           opts->agency);
        goto out;
    }
    rc = check_map(r.fmt, opts->map, err);
    if (rc != PW_OK) {
        goto out;
    }
    out->arena = pw_arena_new();
    pw_error_clear(&e);
    if (pw_feed_csv_parse(data, len, &csv, &e) != PW_OK) {
        report(&r, e.line, NULL, "%s", e.msg);
    } else if (csv.count == 0) {
        report(&r, 1, NULL, "the file is empty: a header row is needed");
    } else if (read_header(&r, &csv.rows[0])) {
        out->records = pw_xcalloc(csv.count, sizeof(*out->records));
        for (size_t i = 1; i < csv.count; i++) {
            struct pw_feed_record *rec = &out->records[out->count];
            if (read_row(&r, &csv.rows[i], rec, out->arena)) {
                out->count++;
                out->residences += rec->nfacts > 1 &&
                                   strcmp(json_string_value(json_object_get(rec->facts[1], "type")),
                                          "residence.recorded") == 0;
                out->schools +=
                    rec->nfacts > 1 &&
                    strcmp(json_string_value(json_object_get(rec->facts[rec->nfacts - 1], "type")),
                           "school.recorded") == 0;
            } else {
                memset(rec, 0, sizeof(*rec));
            }
        }
    }
    out->errors = r.errors;
    if (r.errors > 0) {
        size_t errors = r.errors;
        pw_feed_batch_release(out);
        out->errors = errors;
        rc = pw_fail(err, PW_EINVAL, "%zu error%s in the feed", errors, errors == 1 ? "" : "s");
    }
out:
    pw_feed_csv_release(&csv);
    pw_strmap_release(&r.ids);
    free(r.cols);
    return rc;
}

void
pw_feed_batch_release(struct pw_feed_batch *b)
{
    for (size_t i = 0; i < b->count; i++) {
        for (size_t k = 0; k < b->records[i].nfacts; k++) {
            json_decref(b->records[i].facts[k]);
        }
    }
    free(b->records);
    pw_arena_free(b->arena);
    memset(b, 0, sizeof(*b));
}
