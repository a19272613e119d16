/*
 * Find a person: by name (fuzzy: nicknames and misspellings, as the API's search scores
 * them), date of birth or an identifier. Only people whose record the user may read are
 * listed, and the page says so, with the way to break the glass when a child may be at risk.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "web/web_int.h"

static void
add_param(struct pw_buf *b, const char *name, const char *value, bool *first)
{
    if (value == NULL || value[0] == '\0') {
        return;
    }
    pw_buf_adds(b, *first ? "?" : "&");
    pw_buf_adds(b, name);
    pw_buf_addc(b, '=');
    pw__url_encode(b, value);
    *first = false;
}

static json_t *
result_row(const json_t *r, int32_t today)
{
    const json_t *names = json_object_get(r, "names");
    const json_t *pick = json_array_get(names, 0);
    char name[256];
    const char *given = json_string_value(json_object_get(pick, "given"));
    const char *family = json_string_value(json_object_get(pick, "family"));
    (void)snprintf(name, sizeof(name), "%s %s", given != NULL ? given : "",
                   family != NULL ? family : "");
    const char *dob = json_string_value(json_object_get(r, "dob"));
    int age = pw__words_age(dob, today);
    json_t *o =
        json_pack("{s:s,s:s,s:o,s:s}", "person", json_string_value(json_object_get(r, "person")),
                  "name", name, "dob", pw__words_date_json(dob), "agency",
                  pw__words_agency(json_string_value(json_object_get(r, "agency"))));
    if (age >= 0) {
        (void)json_object_set_new(o, "age", json_integer(age));
    }
    return o;
}

void
pw__page_people(struct pw__page *pg)
{
    const char *q = pw__page_query(pg, "q");
    const char *dob = pw__page_query(pg, "dob");
    const char *id = pw__page_query(pg, "id");
    json_t *data = json_pack("{s:s,s:s,s:s}", "q", q != NULL ? q : "", "dob",
                             dob != NULL ? dob : "", "id", id != NULL ? id : "");
    pg->nav = "people";
    bool asked = (q != NULL && q[0] != '\0') || (dob != NULL && dob[0] != '\0') ||
                 (id != NULL && id[0] != '\0');
    if (asked) {
        struct pw_buf uri;
        bool first = true;
        pw_buf_init(&uri, 0);
        pw_buf_adds(&uri, "/api/people");
        add_param(&uri, "q", q, &first);
        add_param(&uri, "dob", dob, &first);
        add_param(&uri, "id", id, &first);
        struct pw_error err;
        pw_error_clear(&err);
        json_t *out = NULL;
        enum pw_status rc = pw__page_api(pg, "GET", pw_buf_cstr(&uri), NULL, &out, &err);
        pw_buf_release(&uri);
        if (rc == PW_EINVAL) {
            const char *field = strcmp(err.field, "dob") == 0  ? "dob"
                                : strcmp(err.field, "id") == 0 ? "id"
                                                               : "q";
            pw__page_error(pg, field, err.msg);
            pg->resp->status = 400;
        } else if (rc != PW_OK) {
            json_decref(data);
            pw__page_api_fail(pg, rc, &err);
            return;
        } else {
            json_t *rows = json_array();
            size_t i;
            json_t *r;
            json_array_foreach(json_object_get(out, "results"), i, r)
            {
                (void)json_array_append_new(rows, result_row(r, pw__page_today(pg)));
            }
            (void)json_object_set_new(data, "searched", json_true());
            (void)json_object_set_new(data, "count",
                                      json_integer((json_int_t)json_array_size(rows)));
            (void)json_object_set_new(data, "results", rows);
        }
        json_decref(out);
    }
    pw__page_render(pg, "people", "Find a person", data);
}
