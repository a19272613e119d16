/*
 * `pathway chronology CHILD [--json]`: the multi-agency chronology of a child, as a social
 * worker or paediatrician reads it before a strategy discussion. First who is connected to the
 * child and how, with anyone about whom a risk of sexual harm is recorded marked on the line
 * after their name; then one block per fact, oldest first: when, which agency, any marker
 * (restricted, superseded, a correction), one line saying what it was, and who recorded it
 * when. Text is wrapped to 100 columns. The store finds the people and the facts; the model
 * says each fact in a line; this file only lays them out.
 */
#include "cli/cli.h"

#include <string.h>

#include "core/buf.h"
#include "core/time.h"

#define WIDTH       100
#define TEXT_INDENT 4
#define HOW_INDENT  17

static const char usage[] =
    "usage: pathway chronology CHILD [--json]\n"
    "\n"
    "The multi-agency chronology of a child: every fact about the child and the people\n"
    "connected to them, in the order things happened, with the agency and who recorded it.\n"
    "The people connected are the child; everyone with a relationship to or from the child;\n"
    "everyone who ever lived with the child; and the partners of the child's parents. Each is\n"
    "listed with how they are connected, and anyone about whom a risk of sexual harm is\n"
    "recorded is marked. Free text (notes, narrative, rationale) is not shown: the line says it\n"
    "was recorded, and pathway facts --person ID --json shows it. Facts that name no person\n"
    "but a concern or an episode of those facts (a referral decision, a meeting, an update\n"
    "on an investigation) are listed too.\n"
    "\n"
    "A fact that was corrected is marked [superseded by ID] and its correction [corrects ID].\n"
    "Police intelligence and confidential health information are marked as such.\n"
    "\n"
    "  --json   one JSON object a line for each fact, no heading: the fact as recorded, with\n"
    "           seq, recorded_at, prev_hash, hash, concerns (the connected people it\n"
    "           names), summary and superseded_by (null when it stands) added\n"
    "  --as USER  read as USER (default: PATHWAY_USER): the access policy decides, the look is\n"
    "           written on the access log first, police intelligence and confidential health\n"
    "           facts of other agencies are shown only as existing (and whom to ask), and an\n"
    "           auditor sees people as pseudonyms. Without a user nothing is checked or logged:\n"
    "           the operator's view (docs/access.md)\n";

struct chron_ctx {
    FILE *out;
    bool json;
    bool acting; /* reading as a user: the policy's view */
    struct pw_user user;
    struct pw_access_state state;
    bool pseudonymised; /* an auditor */
    struct pw_store *s;
    size_t people;
    size_t facts;
    struct pw_buf text;
};

static void
print_heading(struct chron_ctx *c, const struct pw_chronology_person *p)
{
    (void)fprintf(c->out, "chronology of %s", p->person);
    if (p->name[0] != '\0') {
        (void)fprintf(c->out, ": %s", p->name);
    }
    if (p->dob != NULL) {
        (void)fprintf(c->out, ", born %s", p->dob);
    }
    (void)fprintf(c->out, "\n\npeople connected to %s, and how\n", p->person);
}

/* Who, then any warning, then how they are connected (as pathway household lays it out). */
static void
print_person(struct chron_ctx *c, const struct pw_chronology_person *p)
{
    (void)fprintf(c->out, "\n  %-14s %s, %s%s\n", p->person,
                  p->name[0] != '\0' ? p->name : "(no name recorded)",
                  p->dob != NULL ? "born " : "date of birth unknown", p->dob != NULL ? p->dob : "");
    if (p->sexual_risk) {
        (void)fprintf(c->out, "  %-14s ! a risk of sexual harm is recorded\n", "");
    }
    pw__cli_print_wrapped(c->out, p->how, HOW_INDENT, WIDTH);
}

static enum pw_status
parse_body(const struct pw_chronology_fact *f, json_t **out, struct pw_error *err)
{
    json_error_t jerr;
    *out = json_loads(f->entry.body, 0, &jerr);
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return pw_fail(err, PW_EINTEGRITY,
                       "log entry %lld is not a JSON object: run pathway audit verify",
                       (long long)f->entry.seq);
    }
    return PW_OK;
}

/*
 * When it happened, as a reader in England would say it: the date, or the date and the local
 * time ("2025-06-12 15:20", where the log holds 14:20Z). Padded so the agencies line up.
 */
static void
add_when(struct pw_buf *b, const char *at)
{
    struct pw_when w;
    char text[PW_WHEN_TEXT_MAX];
    if (pw_when_parse(at, strlen(at), &w, NULL) != PW_OK || !w.has_time) {
        pw_buf_addf(b, "%-16s", at);
        return;
    }
    w.us += (int64_t)pw_time_uk_offset(w.us) * 1000000;
    pw_when_format(&w, text);
    pw_buf_addf(b, "%.10s %.5s", text, text + 11);
}

/* The markers a reader must see before the summary. */
static void
add_markers(struct pw_buf *b, const struct pw_chronology_fact *f)
{
    if (strcmp(f->sensitivity, "police_intelligence") == 0) {
        pw_buf_adds(b, "  [police intelligence]");
    } else if (strcmp(f->sensitivity, "health_confidential") == 0) {
        pw_buf_adds(b, "  [health confidential]");
    }
    if (f->superseded_by != NULL) {
        pw_buf_addf(b, "  [superseded by %s]", f->superseded_by);
    }
    if (f->supersedes != NULL) {
        pw_buf_addf(b, "  [corrects %s]", f->supersedes);
    }
}

static void
print_fact_text(struct chron_ctx *c, const struct pw_chronology_fact *f, const json_t *body)
{
    struct pw_buf *b = &c->text;
    if (c->facts == 1) {
        (void)fprintf(c->out, "\nwhat happened, oldest first\n");
    }
    pw_buf_reset(b);
    add_when(b, f->entry.at);
    pw_buf_addf(b, "  %s", f->entry.agency);
    add_markers(b, f);
    (void)fprintf(c->out, "\n%s\n", pw_buf_cstr(b));
    pw_buf_reset(b);
    pw_fact_summary(body, b);
    pw__cli_print_wrapped(c->out, pw_buf_cstr(b), TEXT_INDENT, WIDTH);
    pw_buf_reset(b);
    pw_buf_addf(b, "recorded by %s on %.10s (%s)", f->entry.by, f->entry.recorded_at, f->entry.id);
    for (size_t i = 0; i < f->concern_count; i++) {
        pw_buf_addf(b, "%s%s", i > 0 ? ", " : "; about ", f->concerns[i]);
    }
    pw__cli_print_wrapped(c->out, pw_buf_cstr(b), TEXT_INDENT, WIDTH);
}

static enum pw_status
print_fact_json(struct chron_ctx *c, const struct pw_chronology_fact *f, json_t *body,
                struct pw_error *err)
{
    json_t *concerns = json_array();
    for (size_t i = 0; i < f->concern_count; i++) {
        (void)json_array_append_new(concerns, json_string(f->concerns[i]));
    }
    pw_buf_reset(&c->text);
    pw_fact_summary(body, &c->text);
    (void)json_object_set_new(body, "seq", json_integer(f->entry.seq));
    (void)json_object_set_new(body, "recorded_at", json_string(f->entry.recorded_at));
    (void)json_object_set_new(body, "prev_hash", json_string(f->entry.prev_hash));
    (void)json_object_set_new(body, "hash", json_string(f->entry.hash));
    (void)json_object_set_new(body, "concerns", concerns);
    (void)json_object_set_new(body, "summary", json_string(pw_buf_cstr(&c->text)));
    (void)json_object_set_new(body, "superseded_by",
                              f->superseded_by != NULL ? json_string(f->superseded_by)
                                                       : json_null());
    size_t len = 0;
    char *line = pw_json_canonical(body, &len);
    if (line == NULL) {
        return pw_fail(err, PW_EINTERNAL, "log entry %lld could not be written as JSON",
                       (long long)f->entry.seq);
    }
    (void)fwrite(line, 1, len, c->out);
    (void)fputc('\n', c->out);
    free(line);
    return PW_OK;
}

/* What a user may not see of the fact is taken out of body (replaced). */
static enum pw_status
apply_view(struct chron_ctx *c, const struct pw_chronology_fact *f, json_t **body,
           struct pw_error *err)
{
    json_t *shown = NULL;
    if (pw_access_fact_view(&c->user, &c->state, f->entry.id, f->entry.agency, f->sensitivity) ==
        PW_FACT_REDACTED) {
        shown = pw_access_redact(*body);
    } else if (c->pseudonymised) {
        shown = pw_access_pseudonymise(c->s, *body, err);
        if (shown == NULL) {
            return err != NULL && err->code != PW_OK ? err->code : PW_EINTERNAL;
        }
    } else {
        return PW_OK;
    }
    json_decref(*body);
    *body = shown;
    return PW_OK;
}

static void
print_limited(struct chron_ctx *c, const struct pw_chronology_fact *f, const json_t *shown)
{
    struct pw_buf *b = &c->text;
    pw_buf_reset(b);
    add_when(b, f->entry.at);
    pw_buf_addf(b, "  %s", f->entry.agency);
    add_markers(b, f);
    (void)fprintf(c->out, "\n%s\n", pw_buf_cstr(b));
    pw_buf_reset(b);
    if (json_is_true(json_object_get(shown, "redacted"))) {
        pw_buf_addf(b, "restricted: ask %s (%s)", json_string_value(json_object_get(shown, "ask")),
                    f->entry.id);
    } else {
        pw_buf_addf(b, "%s (%s)", json_string_value(json_object_get(shown, "summary")),
                    f->entry.id);
    }
    pw__cli_print_wrapped(c->out, pw_buf_cstr(b), TEXT_INDENT, WIDTH);
}

static enum pw_status
print_item(void *ctx, const struct pw_chronology_item *item, struct pw_error *err)
{
    struct chron_ctx *c = ctx;
    json_t *body = NULL;
    if (item->person != NULL && c->pseudonymised) {
        char ps[24];
        enum pw_status prc = pw_access_pseudonym(c->s, item->person->person, ps, sizeof(ps), err);
        if (prc == PW_OK && !c->json) {
            (void)fprintf(c->out, "%s%s\n", c->people == 0 ? "chronology (pseudonymised)\n\n" : "",
                          ps);
        }
        c->people++;
        return prc;
    }
    if (item->person != NULL) {
        if (!c->json && c->people == 0) {
            print_heading(c, item->person); /* the child comes first */
        }
        if (!c->json) {
            print_person(c, item->person);
        }
        c->people++;
        return PW_OK;
    }
    c->facts++;
    enum pw_status rc = parse_body(item->fact, &body, err);
    bool limited = false;
    if (rc == PW_OK && c->acting) {
        json_t *before = body;
        json_incref(before);
        rc = apply_view(c, item->fact, &body, err);
        limited = body != before;
        json_decref(before);
    }
    if (rc == PW_OK && limited && c->json) {
        char *line = pw_json_canonical(body, NULL);
        (void)fprintf(c->out, "%s\n", line != NULL ? line : "{}");
        free(line);
    } else if (rc == PW_OK && limited) {
        print_limited(c, item->fact, body);
    } else if (rc == PW_OK && c->json) {
        rc = print_fact_json(c, item->fact, body, err);
    } else if (rc == PW_OK) {
        print_fact_text(c, item->fact, body);
    }
    json_decref(body);
    return rc;
}

enum pw_status
pw__cmd_chronology(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    struct chron_ctx c = { .out = cli->out };
    const char *as = NULL;
    struct pw_access_decision d;
    const struct pw__opt opts[] = { { "--json", NULL, &c.json },
                                    { "--as", &as, NULL },
                                    { NULL, NULL, NULL } };
    const char *pos[1];
    int npos = 0;
    struct pw_store *s = NULL;
    pw_buf_init(&c.text, 0);
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, pos, 1, &npos, err);
    if (rc == PW_OK && npos != 1) {
        rc = pw_fail(err, PW_EUSAGE, "name the child: pathway chronology CHILD");
    }
    if (rc == PW_OK) {
        rc = pw__cli_open(cli, 0, &s, err);
    }
    if (rc == PW_OK) {
        rc = pw__cli_log_read(cli, s, as, pos[0], &c.user, &c.acting, &d, err);
    }
    if (rc == PW_OK && c.acting) {
        c.s = s;
        c.pseudonymised = d.view == PW_VIEW_PSEUDONYMISED;
        rc = pw_access_state_load(s, pos[0], pw_time_now_us(), &c.state, err);
    }
    if (rc == PW_OK && c.pseudonymised) {
        /* The key is made on first use, a write: before the chronology's read transaction. */
        char ps[24];
        rc = pw_access_pseudonym(s, pos[0], ps, sizeof(ps), err);
    }
    if (rc == PW_OK) {
        rc = pw_store_chronology(s, pos[0], print_item, &c, err);
    }
    if (rc == PW_OK && !c.json) {
        (void)fprintf(cli->out, "\n%zu fact%s\n", c.facts, c.facts == 1 ? "" : "s");
    }
    pw_access_state_release(&c.state);
    pw_store_close(s);
    pw_buf_release(&c.text);
    return rc;
}
