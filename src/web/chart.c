/*
 * The picture of concern as an SVG timeline: one lane per agency that has seen signs, each sign
 * a mark at its date whose shape (not only its colour) says its strength, the counting window
 * shaded. Everything is checked before anything is written, so a bad picture appends nothing.
 * Styling is by class (the page's CSP forbids style attributes and <style>); fill and stroke
 * attributes are only a fallback for when the stylesheet is missing. Every text, fixed or not,
 * goes through the escaping writer.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/time.h"
#include "web/web_int.h"

/* The drawing's geometry, in viewBox units. */
#define WIDTH     800.0
#define LEFT      180.0 /* the lane labels sit left of this */
#define RIGHT     20.0
#define TOP       30.0 /* room for the window's label */
#define AXIS      44.0 /* month and year labels under the lanes */
#define LANE_MIN  40.0
#define LANE_PAD  8.0
#define SLOT      14.0 /* marks stacked in one lane are this far apart */
#define MARK_GAP  13.0 /* marks nearer than this on one line would overlap */
#define MAX_TICKS 12

#define TITLE_ID "pw-chart-picture-title"
#define DESC_ID  "pw-chart-picture-desc"

/* The recording agencies of facts.md, in the order their lanes are drawn. */
static const struct {
    const char *code;
    const char *words;
} agencies[] = {
    { "csc", "Children's social care" },
    { "police", "Police" },
    { "health", "Health" },
    { "education", "Education" },
    { "probation", "Probation" },
    { "yjs", "Youth justice" },
    { "cafcass", "Cafcass" },
    { "early_help", "Early help" },
    { "other", "Other" },
};

#define N_AGENCIES (sizeof(agencies) / sizeof(agencies[0]))

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

enum mark_kind {
    MARK_SUSPECT,
    MARK_CONSIDER,
    MARK_NONE, /* seen when the person was no longer a child: shown, never counted */
    MARK_RESTRICTED,
};

struct mark {
    int32_t day;
    size_t seq;         /* position in signs[], to keep the order of a day's signs */
    const char *agency; /* borrowed from the picture, as are the other strings */
    const char *name;   /* NULL when restricted */
    const char *ask;    /* restricted: the agency to ask; may be NULL */
    enum mark_kind kind;
    json_int_t age; /* -1 when unknown */
    size_t lane;
    int slot; /* 0 on the lane's line; 1, -1, 2, ... when others are in the way */
};

struct lane {
    const char *code;
    size_t order; /* its place in agencies[], or after them in order of appearance */
    double top;
    double height;
    int lo; /* the lowest and highest slots its marks use */
    int hi;
};

struct chart {
    int32_t as_of;
    int32_t window_from;
    int32_t start; /* the axis: the first of a month ... */
    int32_t end;   /* ... to the first of a month, after every sign and as_of */
    json_int_t score;
    json_int_t threshold;
    struct mark *marks;
    size_t nmarks;
    struct lane *lanes;
    size_t nlanes;
    size_t in_window;
    size_t restricted;
    double height;
};

/* ---- Reading the picture ---- */

static enum pw_status
bad(struct pw_error *err, const char *path, const char *what)
{
    pw_fail(err, PW_EINVAL, "%s %s", path, what);
    pw_error_field(err, path);
    return PW_EINVAL;
}

static enum pw_status
read_date(const json_t *o, const char *member, const char *path, int32_t *out, struct pw_error *err)
{
    const char *s = json_string_value(json_object_get(o, member));
    struct pw_error why = { 0 };
    if (s == NULL || pw_date_parse(s, strlen(s), out, &why) != PW_OK) {
        /* Not quoted: whatever was there is the caller's data. */
        return bad(err, path, "must be a real date as YYYY-MM-DD");
    }
    return PW_OK;
}

static enum pw_status
read_sign(const json_t *s, size_t i, struct mark *m, struct pw_error *err)
{
    char path[64];
    if (!json_is_object(s)) {
        (void)snprintf(path, sizeof(path), "$.signs[%zu]", i);
        return bad(err, path, "must be an object");
    }
    (void)snprintf(path, sizeof(path), "$.signs[%zu].observed", i);
    enum pw_status rc = read_date(s, "observed", path, &m->day, err);
    if (rc != PW_OK) {
        return rc;
    }
    m->seq = i;
    m->age = -1;
    m->agency = json_string_value(json_object_get(s, "agency"));
    if (m->agency == NULL || m->agency[0] == '\0') {
        (void)snprintf(path, sizeof(path), "$.signs[%zu].agency", i);
        return bad(err, path, "must name an agency");
    }
    if (json_is_true(json_object_get(s, "restricted"))) {
        /* pw_picture_json: when, which agency, the fact and whom to ask; nothing more. */
        m->kind = MARK_RESTRICTED;
        m->ask = json_string_value(json_object_get(s, "ask"));
        return PW_OK;
    }
    m->name = json_string_value(json_object_get(s, "name"));
    if (m->name == NULL) {
        (void)snprintf(path, sizeof(path), "$.signs[%zu].name", i);
        return bad(err, path, "must be the indicator's name");
    }
    const char *strength = json_string_value(json_object_get(s, "strength"));
    if (strength != NULL && strcmp(strength, "suspect") == 0) {
        m->kind = MARK_SUSPECT;
    } else if (strength != NULL && strcmp(strength, "consider") == 0) {
        m->kind = MARK_CONSIDER;
    } else if (strength != NULL && strcmp(strength, "none") == 0) {
        m->kind = MARK_NONE;
    } else {
        (void)snprintf(path, sizeof(path), "$.signs[%zu].strength", i);
        return bad(err, path, "must be suspect, consider or none");
    }
    if (json_is_integer(json_object_get(s, "age"))) {
        m->age = json_integer_value(json_object_get(s, "age"));
    }
    return PW_OK;
}

static enum pw_status
read_picture(const json_t *picture, struct chart *c, struct pw_error *err)
{
    if (!json_is_object(picture)) {
        return bad(err, "$", "must be the picture of concern (a JSON object)");
    }
    enum pw_status rc = read_date(picture, "as_of", "$.as_of", &c->as_of, err);
    if (rc == PW_OK) {
        rc = read_date(picture, "window_from", "$.window_from", &c->window_from, err);
    }
    if (rc == PW_OK && c->window_from > c->as_of) {
        rc = bad(err, "$.window_from", "must not be after as_of");
    }
    const json_t *score = json_object_get(picture, "score");
    const json_t *threshold = json_object_get(picture, "threshold");
    if (rc == PW_OK && !json_is_integer(score)) {
        rc = bad(err, "$.score", "must be a whole number");
    }
    if (rc == PW_OK && !json_is_integer(threshold)) {
        rc = bad(err, "$.threshold", "must be a whole number");
    }
    const json_t *signs = json_object_get(picture, "signs");
    if (rc == PW_OK && !json_is_array(signs)) {
        rc = bad(err, "$.signs", "must be a list");
    }
    if (rc != PW_OK) {
        return rc;
    }
    c->score = json_integer_value(score);
    c->threshold = json_integer_value(threshold);
    c->nmarks = json_array_size(signs);
    c->marks = pw_xcalloc(c->nmarks == 0 ? 1 : c->nmarks, sizeof(*c->marks));
    for (size_t i = 0; i < c->nmarks && rc == PW_OK; i++) {
        rc = read_sign(json_array_get(signs, i), i, &c->marks[i], err);
    }
    return rc;
}

/* ---- Laying it out ---- */

static int
by_day(const void *a, const void *b)
{
    const struct mark *x = a;
    const struct mark *y = b;
    if (x->day != y->day) {
        return x->day < y->day ? -1 : 1;
    }
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
by_order(const void *a, const void *b)
{
    const struct lane *x = a;
    const struct lane *y = b;
    return x->order < y->order ? -1 : x->order > y->order;
}

static size_t
agency_index(const char *code)
{
    for (size_t i = 0; i < N_AGENCIES; i++) {
        if (strcmp(agencies[i].code, code) == 0) {
            return i;
        }
    }
    return N_AGENCIES;
}

static const char *
agency_words(const char *code)
{
    size_t i = agency_index(code);
    return i < N_AGENCIES ? agencies[i].words : code; /* a new agency: its code, escaped */
}

static size_t
lane_of(const struct chart *c, const char *code)
{
    for (size_t l = 0; l < c->nlanes; l++) {
        if (strcmp(c->lanes[l].code, code) == 0) {
            return l;
        }
    }
    return c->nlanes;
}

/* One lane per agency with signs, in the order of agencies[]; each mark given its lane. */
static void
make_lanes(struct chart *c)
{
    c->lanes = pw_xcalloc(c->nmarks, sizeof(*c->lanes));
    for (size_t i = 0; i < c->nmarks; i++) {
        const char *code = c->marks[i].agency;
        if (lane_of(c, code) == c->nlanes) {
            size_t known = agency_index(code);
            c->lanes[c->nlanes].code = code;
            c->lanes[c->nlanes].order = known < N_AGENCIES ? known : N_AGENCIES + i;
            c->nlanes++;
        }
    }
    qsort(c->lanes, c->nlanes, sizeof(*c->lanes), by_order);
    for (size_t i = 0; i < c->nmarks; i++) {
        c->marks[i].lane = lane_of(c, c->marks[i].agency);
    }
}

static int32_t
month_start(int32_t day)
{
    int y;
    int m;
    int d;
    pw_date_to_ymd(day, &y, &m, &d);
    return day - (d - 1);
}

static int32_t
next_month_start(int32_t day)
{
    int y;
    int m;
    int d;
    pw_date_to_ymd(day, &y, &m, &d);
    return day - (d - 1) + pw_date_days_in_month(y, m);
}

static double
x_of(const struct chart *c, int32_t day)
{
    double span = (double)(c->end - c->start);
    return LEFT + (double)(day - c->start) * (WIDTH - LEFT - RIGHT) / span;
}

/* The middle of the day, where its marks go. */
static double
mark_x(const struct chart *c, int32_t day)
{
    return (x_of(c, day) + x_of(c, day + 1)) / 2.0;
}

/*
 * Stacks the marks of one lane: each goes on the lane's line unless an earlier mark there is
 * too near, then just below, just above, further below... so no mark hides another. With n
 * marks at most n - 1 slots are taken near any one, so one of 2n + 1 is always free.
 */
static void
stack_lane(struct chart *c, size_t l)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nmarks; i++) {
        n += c->marks[i].lane == l;
    }
    double *last = pw_xcalloc(2 * n + 1, sizeof(*last));
    bool *used = pw_xcalloc(2 * n + 1, sizeof(*used));
    struct lane *ln = &c->lanes[l];
    for (size_t i = 0; i < c->nmarks; i++) {
        struct mark *m = &c->marks[i];
        if (m->lane != l) {
            continue;
        }
        double x = mark_x(c, m->day);
        for (size_t t = 0; t < 2 * n + 1; t++) {
            int k = (int)((t + 1) / 2) * (t % 2 == 1 ? 1 : -1);
            size_t at = (size_t)((long)n + k);
            if (!used[at] || x - last[at] >= MARK_GAP) {
                used[at] = true;
                last[at] = x;
                m->slot = k;
                break;
            }
        }
        ln->lo = m->slot < ln->lo ? m->slot : ln->lo;
        ln->hi = m->slot > ln->hi ? m->slot : ln->hi;
    }
    free(last);
    free(used);
}

static void
lay_out(struct chart *c)
{
    qsort(c->marks, c->nmarks, sizeof(*c->marks), by_day);
    int32_t first = c->nmarks > 0 ? c->marks[0].day : c->window_from;
    int32_t last = c->nmarks > 0 ? c->marks[c->nmarks - 1].day : c->as_of;
    c->start = month_start(first < c->window_from ? first : c->window_from);
    c->end = next_month_start(last > c->as_of ? last : c->as_of);
    make_lanes(c);
    double y = TOP;
    for (size_t l = 0; l < c->nlanes; l++) {
        stack_lane(c, l);
        struct lane *ln = &c->lanes[l];
        double need = (double)(ln->hi - ln->lo + 1) * SLOT + 2 * LANE_PAD;
        ln->top = y;
        ln->height = need > LANE_MIN ? need : LANE_MIN;
        y += ln->height;
    }
    for (size_t i = 0; i < c->nmarks; i++) {
        const struct mark *m = &c->marks[i];
        c->in_window += m->day >= c->window_from && m->day <= c->as_of;
        c->restricted += m->kind == MARK_RESTRICTED;
    }
    c->height = y + AXIS;
}

static double
mark_y(const struct chart *c, const struct mark *m)
{
    const struct lane *ln = &c->lanes[m->lane];
    double used = (double)(ln->hi - ln->lo + 1) * SLOT;
    return ln->top + (ln->height - used) / 2 + (double)(m->slot - ln->lo) * SLOT + SLOT / 2;
}

/* ---- Writing it ---- */

/* "10 Jun 2025" into out (16 bytes). */
static void
day_words(int32_t day, char *out, size_t size)
{
    int y;
    int m;
    int d;
    pw_date_to_ymd(day, &y, &m, &d);
    (void)snprintf(out, size, "%d %s %d", d, months[m - 1], y);
}

static void
write_plural(struct pw_buf *b, size_t n, const char *one, const char *many)
{
    pw_buf_addf(b, "%zu ", n);
    pw_buf_adds(b, n == 1 ? one : many);
}

static void
write_head(const struct chart *c, struct pw_buf *b)
{
    char from[16];
    char to[16];
    pw_buf_addf(b,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"app-chart__svg\" "
                "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"" TITLE_ID " " DESC_ID
                "\">\n<title id=\"" TITLE_ID "\">",
                WIDTH, c->height);
    pw_buf_adds(b, "Picture of concern: ");
    write_plural(b, c->nmarks, "sign", "signs");
    pw_buf_adds(b, " from ");
    write_plural(b, c->nlanes, "agency", "agencies");
    day_words(c->marks[0].day, from, sizeof(from));
    day_words(c->marks[c->nmarks - 1].day, to, sizeof(to));
    pw_buf_addf(b, ", %s to %s</title>\n<desc id=\"" DESC_ID "\">", from, to);
    pw_buf_addf(b, "Score %lld against a threshold of %lld. ", (long long)c->score,
                (long long)c->threshold);
    day_words(c->window_from, from, sizeof(from));
    day_words(c->as_of, to, sizeof(to));
    pw_buf_addf(b, "The counting window runs from %s to %s; ", from, to);
    pw_buf_addf(b, "%zu of the %zu %s in it. ", c->in_window, c->nmarks,
                c->in_window == 1 ? "signs is" : "signs are");
    if (c->restricted > 0) {
        write_plural(b, c->restricted, "sign is", "signs are");
        pw_buf_adds(b, " restricted: only when, which agency and whom to ask are shown. ");
    }
    pw_buf_adds(b, "One row per agency. Filled diamonds are signs to suspect abuse, outlined "
                   "circles signs to consider it, outlined triangles signs seen in adulthood, "
                   "small grey squares restricted signs.</desc>\n");
}

/* A line across the lanes on the first of a month, labelled with the month (m, 0 for none)
 * and under it the year (y, 0 for none). */
static void
write_tick(const struct chart *c, struct pw_buf *b, int32_t day, int m, int y)
{
    double bottom = c->height - AXIS;
    double x = x_of(c, day);
    pw_buf_addf(b,
                "<line class=\"app-chart__grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\" stroke=\"#b1b4b6\"/>\n",
                x, TOP, x, bottom + 5);
    pw_buf_addf(b,
                "<text class=\"app-chart__label\" x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"middle\" font-size=\"11\">",
                x, bottom + 18);
    if (m > 0) {
        pw__html_text(b, months[m - 1]);
    }
    if (y > 0) {
        pw_buf_addf(b, "<tspan x=\"%.1f\" dy=\"%d\">%d</tspan>", x, m > 0 ? 14 : 0, y);
    }
    pw_buf_adds(b, "</text>\n");
}

/* The counting window, the month or year lines and the axis with its labels. */
static void
write_axis(const struct chart *c, struct pw_buf *b)
{
    double bottom = c->height - AXIS;
    double x0 = x_of(c, c->window_from);
    double x1 = x_of(c, c->as_of + 1);
    pw_buf_addf(b,
                "<rect class=\"app-chart__window\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.1f\" fill=\"#f3f2f1\"/>\n",
                x0, TOP, x1 - x0, bottom - TOP);
    pw_buf_addf(b,
                "<text class=\"app-chart__label app-chart__label--window\" x=\"%.1f\" "
                "y=\"%.1f\" text-anchor=\"end\" font-size=\"12\">",
                x1 - 4, TOP - 10);
    pw__html_text(b, "counting window");
    pw_buf_adds(b, "</text>\n");

    int sy;
    int sm;
    int sd;
    int ey;
    int em;
    int ed;
    pw_date_to_ymd(c->start, &sy, &sm, &sd);
    pw_date_to_ymd(c->end, &ey, &em, &ed);
    int span = (ey - sy) * 12 + (em - sm);
    /* A line a month, two, a quarter, ... or a decade: whichever gives at most MAX_TICKS. */
    static const int steps[] = { 1, 2, 3, 6, 12, 24, 60, 120, 240 };
    size_t s = 0;
    while (s + 1 < sizeof(steps) / sizeof(steps[0]) && span / steps[s] > MAX_TICKS) {
        s++;
    }
    int step = steps[s];
    bool first = true;
    int32_t day = c->start;
    int y = sy;
    int m = sm;
    for (; day <= c->end; day += pw_date_days_in_month(y, m), y += m / 12, m = m % 12 + 1) {
        bool tick = step < 12 ? (m - 1) % step == 0 : m == 1 && y % (step / 12) == 0;
        if (tick) {
            write_tick(c, b, day, step < 12 ? m : 0, step >= 12 || m == 1 || first ? y : 0);
            first = false;
        }
    }
    pw_buf_addf(b,
                "<line class=\"app-chart__axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#0b0c0c\"/>\n",
                LEFT, bottom, WIDTH - RIGHT, bottom);
}

static void
write_lanes(const struct chart *c, struct pw_buf *b)
{
    for (size_t l = 0; l < c->nlanes; l++) {
        const struct lane *ln = &c->lanes[l];
        if (l > 0) {
            pw_buf_addf(b,
                        "<line class=\"app-chart__grid\" x1=\"0\" y1=\"%.1f\" x2=\"%.1f\" "
                        "y2=\"%.1f\" stroke=\"#b1b4b6\"/>\n",
                        ln->top, WIDTH - RIGHT, ln->top);
        }
        pw_buf_addf(b,
                    "<text class=\"app-chart__label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                    "font-size=\"12\">",
                    LEFT - 10, ln->top + ln->height / 2 + 4);
        pw__html_text(b, agency_words(ln->code));
        pw_buf_adds(b, "</text>\n");
    }
}

/* What hovering over a mark tells: "10 Jun 2025, Education: Fear of ... (consider; age 9)". */
static void
write_mark_title(const struct chart *c, const struct mark *m, struct pw_buf *b)
{
    char when[16];
    day_words(m->day, when, sizeof(when));
    pw_buf_adds(b, "<title>");
    pw__html_text(b, when);
    pw_buf_adds(b, ", ");
    pw__html_text(b, agency_words(m->agency));
    pw_buf_adds(b, ": ");
    if (m->kind == MARK_RESTRICTED) {
        pw__html_text(b, "a restricted sign (only that it exists may be shown");
        if (m->ask != NULL) {
            pw__html_text(b, "; ask ");
            pw__html_text(b, agency_words(m->ask));
        }
        pw__html_text(b, ")");
    } else {
        static const char *const words[] = { "suspect", "consider", "not counted: an adult" };
        pw__html_text(b, m->name);
        pw__html_text(b, " (");
        pw__html_text(b, words[m->kind]);
        if (m->age >= 0) {
            pw_buf_addf(b, "; age %lld", (long long)m->age);
        }
        pw__html_text(b, ")");
    }
    if (m->day < c->window_from || m->day > c->as_of) {
        pw__html_text(b, "; not in the counting window");
    }
    pw_buf_adds(b, "</title>");
}

static void
write_marks(const struct chart *c, struct pw_buf *b)
{
    static const char *const classes[] = {
        "app-chart__mark app-chart__mark--suspect",
        "app-chart__mark app-chart__mark--consider",
        "app-chart__mark app-chart__mark--none",
        "app-chart__mark app-chart__mark--restricted",
    };
    for (size_t i = 0; i < c->nmarks; i++) {
        const struct mark *m = &c->marks[i];
        double x = mark_x(c, m->day);
        double y = mark_y(c, m);
        bool outside = m->day < c->window_from || m->day > c->as_of;
        const char *cls = classes[m->kind];
        const char *more = outside ? " app-chart__mark--outside" : "";
        switch (m->kind) {
        case MARK_SUSPECT:
            pw_buf_addf(b,
                        "<polygon class=\"%s%s\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f "
                        "%.1f,%.1f\" fill=\"#d4351c\" stroke=\"#0b0c0c\">",
                        cls, more, x, y - 7, x + 7, y, x, y + 7, x - 7, y);
            break;
        case MARK_CONSIDER:
            pw_buf_addf(b,
                        "<circle class=\"%s%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#ffffff\" "
                        "stroke=\"#1d70b8\" stroke-width=\"2\">",
                        cls, more, x, y);
            break;
        case MARK_NONE:
            pw_buf_addf(b,
                        "<polygon class=\"%s%s\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
                        "fill=\"#ffffff\" stroke=\"#505a5f\" stroke-width=\"1.5\">",
                        cls, more, x, y - 5, x + 5, y + 4, x - 5, y + 4);
            break;
        case MARK_RESTRICTED:
            pw_buf_addf(b,
                        "<rect class=\"%s%s\" x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" "
                        "fill=\"#6f777b\">",
                        cls, more, x - 3.5, y - 3.5);
            break;
        }
        write_mark_title(c, m, b);
        static const char *const ends[] = { "</polygon>", "</circle>", "</polygon>", "</rect>" };
        pw_buf_adds(b, ends[m->kind]);
        pw_buf_addc(b, '\n');
    }
}

/* No signs: a small drawing that says so, with the score for the record. */
static void
write_empty(const struct chart *c, struct pw_buf *b)
{
    pw_buf_addf(b,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"app-chart__svg\" "
                "viewBox=\"0 0 %.0f 60\" role=\"img\" aria-labelledby=\"" TITLE_ID " " DESC_ID
                "\">\n<title id=\"" TITLE_ID "\">",
                WIDTH);
    pw__html_text(b, "Picture of concern: no signs or indicators recorded");
    pw_buf_addf(b, "</title>\n<desc id=\"" DESC_ID "\">Score %lld against a threshold of %lld.",
                (long long)c->score, (long long)c->threshold);
    pw_buf_addf(b,
                "</desc>\n<text class=\"app-chart__label\" x=\"%.1f\" y=\"34\" "
                "text-anchor=\"middle\" font-size=\"14\">",
                WIDTH / 2);
    pw__html_text(b, "No signs or indicators recorded");
    pw_buf_adds(b, "</text>\n</svg>\n");
}

enum pw_status
pw__web_chart_picture(const json_t *picture, struct pw_buf *out, struct pw_error *err)
{
    struct chart c;
    memset(&c, 0, sizeof(c));
    enum pw_status rc = read_picture(picture, &c, err);
    if (rc != PW_OK) {
        goto out;
    }
    if (c.nmarks == 0) {
        write_empty(&c, out);
    } else {
        lay_out(&c);
        write_head(&c, out);
        write_axis(&c, out);
        write_lanes(&c, out);
        write_marks(&c, out);
        pw_buf_adds(out, "</svg>\n");
    }
    rc = pw_buf_check(out, "the picture of concern", err);
out:
    free(c.marks);
    free(c.lanes);
    return rc;
}
