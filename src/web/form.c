/*
 * Form bodies (application/x-www-form-urlencoded), parsed by Pathway rather than
 * libmicrohttpd's PostProcessor. Unlike a query string a form repeats names (each ticked
 * checkbox of a group), so every field is kept in order. Each name and value is decoded as
 * http decodes a query (pw_http_form_decode); what cannot be text a practitioner typed (bad
 * escapes, invalid UTF-8, control characters) is refused whole.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "web/web_int.h"

enum pw_status
pw__form_parse(const char *body, size_t len, struct pw__form *out, struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    size_t i = 0;
    while (i < len) {
        const char *amp = memchr(body + i, '&', len - i);
        size_t end = amp != NULL ? (size_t)(amp - body) : len;
        if (end > i) {
            const char *eq = memchr(body + i, '=', end - i);
            size_t name_end = eq != NULL ? (size_t)(eq - body) : end;
            if (out->n == PW__FORM_FIELDS) {
                return pw_fail(err, PW_EINVAL, "the form has more than %d fields", PW__FORM_FIELDS);
            }
            char *name = pw_http_form_decode(body + i, name_end - i);
            char *value =
                eq != NULL ? pw_http_form_decode(eq + 1, end - name_end - 1) : pw_xstrdup("");
            if (name == NULL || value == NULL) {
                free(name);
                free(value);
                return pw_fail(err, PW_EINVAL, "the form holds something that is not text");
            }
            if (out->n % 16 == 0) {
                out->fields = pw_xrealloc(out->fields, (out->n + 16) * sizeof(*out->fields));
            }
            out->fields[out->n].name = name;
            out->fields[out->n].value = value;
            out->n++;
        }
        i = end + 1;
    }
    return PW_OK;
}

void
pw__form_release(struct pw__form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->fields[i].name);
        if (f->fields[i].value != NULL) {
            pw_wipe(f->fields[i].value, strlen(f->fields[i].value)); /* it may be a password */
        }
        free(f->fields[i].value);
    }
    free(f->fields);
    memset(f, 0, sizeof(*f));
}

const char *
pw__form_get(const struct pw__form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->fields[i].name, name) == 0) {
            char *v = f->fields[i].value;
            size_t n = strlen(v);
            while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t')) {
                v[--n] = '\0';
            }
            size_t lead = strspn(v, " \t");
            memmove(v, v + lead, n - lead + 1);
            return v;
        }
    }
    return NULL;
}

const char *
pw__form_text(const struct pw__form *f, const char *name)
{
    const char *v = pw__form_get(f, name);
    return v != NULL ? v : "";
}
