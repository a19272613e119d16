/* `pathway indicators`: the signs of child sexual abuse Pathway knows, with their guidance. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static const char usage[] =
    "usage: pathway indicators [--age YEARS] [--category CODE] [--json]\n"
    "\n"
    "Lists the signs and indicators of child sexual abuse that Pathway knows, by category,\n"
    "each with how strongly it points to abuse at each age ('suspect' or 'consider', as NICE\n"
    "guidance puts it), plain guidance on what to do, and where it comes from. Recording one\n"
    "does not need a child to have said anything: most children do not tell.\n"
    "\n"
    "  --age YEARS      show the strength for a child of that age only\n"
    "  --category CODE  one category (physical_medical, sexual_behaviour,\n"
    "                   emotional_behavioural, circumstances_relationships,\n"
    "                   child_says_or_shows)\n"
    "  --json           one JSON object a line\n";

struct listing {
    const struct pw_taxonomy *t;
    FILE *out;
    long age; /* -1: every band */
    const char *category;
    bool json;
};

static void
print_json(const struct listing *l, const struct pw_indicator *ind)
{
    json_t *o = json_object();
    json_t *strength = json_object();
    for (size_t b = 0; b < pw_taxonomy_band_count(l->t); b++) {
        (void)json_object_set_new(strength, pw_taxonomy_band(l->t, b)->code,
                                  json_string(pw_strength_name(ind->strength[b])));
    }
    (void)json_object_set_new(o, "code", json_string(ind->code));
    (void)json_object_set_new(o, "name", json_string(ind->name));
    (void)json_object_set_new(o, "category", json_string(ind->category));
    (void)json_object_set_new(o, "strength", strength);
    if (l->age >= 0) {
        (void)json_object_set_new(
            o, "strength_at_age",
            json_string(pw_strength_name(pw_taxonomy_strength(l->t, ind, (int)l->age))));
    }
    (void)json_object_set_new(o, "guidance", json_string(ind->guidance));
    (void)json_object_set_new(o, "source", json_string(ind->source));
    size_t len = 0;
    char *text = pw_json_canonical(o, &len);
    (void)fprintf(l->out, "%s\n", text);
    free(text);
    json_decref(o);
}

#define WRAP_WIDTH 96
#define INDENT     "      "

static void
print_text(const struct listing *l, const struct pw_indicator *ind)
{
    (void)fprintf(l->out, "  %s: %s\n", ind->code, ind->name);
    if (l->age >= 0) {
        (void)fprintf(l->out, "%sat %ld: %s\n", INDENT, l->age,
                      pw_strength_name(pw_taxonomy_strength(l->t, ind, (int)l->age)));
    } else {
        (void)fprintf(l->out, "%s", INDENT);
        for (size_t b = 0; b < pw_taxonomy_band_count(l->t); b++) {
            (void)fprintf(l->out, "%s%s: %s", b > 0 ? "; " : "", pw_taxonomy_band(l->t, b)->name,
                          pw_strength_name(ind->strength[b]));
        }
        (void)fputc('\n', l->out);
    }
    struct pw_buf source;
    pw_buf_init(&source, 0);
    pw_buf_addf(&source, "Source: %s", ind->source);
    pw__cli_print_wrapped(l->out, ind->guidance, strlen(INDENT), WRAP_WIDTH);
    pw__cli_print_wrapped(l->out, pw_buf_cstr(&source), strlen(INDENT), WRAP_WIDTH);
    pw_buf_release(&source);
    (void)fputc('\n', l->out);
}

static size_t
print_all(const struct listing *l)
{
    const char *heading = NULL;
    size_t shown = 0;
    for (size_t i = 0; i < pw_taxonomy_count(l->t); i++) {
        const struct pw_indicator *ind = pw_taxonomy_at(l->t, i);
        if (l->category != NULL && strcmp(ind->category, l->category) != 0) {
            continue;
        }
        shown++;
        if (l->json) {
            print_json(l, ind);
            continue;
        }
        if (heading == NULL || strcmp(heading, ind->category) != 0) {
            (void)fprintf(l->out, "%s\n\n", ind->category_name);
            heading = ind->category;
        }
        print_text(l, ind);
    }
    return shown;
}

enum pw_status
pw__cmd_indicators(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    const char *age_text = NULL;
    struct listing l = { .t = pw_taxonomy_shipped(), .out = cli->out, .age = -1 };
    const struct pw__opt opts[] = { { "--age", &age_text, NULL },
                                    { "--category", &l.category, NULL },
                                    { "--json", NULL, &l.json },
                                    { NULL, NULL, NULL } };
    int npos = 0;
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, NULL, 0, &npos, err);
    if (rc != PW_OK) {
        return rc;
    }
    if (age_text != NULL) {
        char *end = NULL;
        errno = 0;
        l.age = strtol(age_text, &end, 10);
        if (errno != 0 || end == age_text || *end != '\0' || l.age < 0 || l.age > 17) {
            rc = pw_fail(err, PW_EUSAGE, "--age takes a child's age in whole years, 0 to 17");
            pw_error_field(err, "--age");
            return rc;
        }
    }
    if (print_all(&l) == 0) {
        return pw_fail(err, PW_EUSAGE, "no category \"%.40s\" (see pathway indicators --help)",
                       l.category);
    }
    return PW_OK;
}
