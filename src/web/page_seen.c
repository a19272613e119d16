/*
 * Who has seen this record: the access log about one child's record (GET
 * /api/children/{id}/access-log, for data leads), every look and refusal with its grounds, a
 * break-glass marked as such. /seen-by?child=ID is the data lead's way in from a form.
 */
#include <stdio.h>
#include <string.h>

#include "web/web_int.h"

void
pw__page_seen_by(struct pw__page *pg)
{
    const char *child = pg->ids[0];
    struct pw_error err;
    pw_error_clear(&err);
    json_t *out = NULL;
    enum pw_status rc = pw__page_get(pg, "/api/children/", child, "/access-log", &out, &err);
    if (rc != PW_OK) {
        pw__page_api_fail(pg, rc, &err);
        return;
    }
    json_t *rows = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(out, "entries"), i, e)
    {
        const char *at = json_string_value(json_object_get(e, "at"));
        char when[80];
        char date[64];
        pw__words_date(at, date, sizeof(date));
        (void)snprintf(when, sizeof(when), "%s %.5s", date,
                       at != NULL && strlen(at) >= 16 ? at + 11 : "");
        const char *basis = json_string_value(json_object_get(e, "basis"));
        const char *action = json_string_value(json_object_get(e, "action"));
        char basis_words[64];
        pw__words_code(basis, basis_words, sizeof(basis_words));
        bool glass = (basis != NULL && strcmp(basis, "break_glass") == 0) ||
                     (action != NULL && strcmp(action, "break_glass") == 0);
        (void)json_array_append_new(
            rows,
            json_pack("{s:s,s:O,s:s,s:O,s:O,s:O,s:O,s:s,s:O,s:b}", "at", when, "user",
                      json_object_get(e, "user"), "agency",
                      pw__words_agency(json_string_value(json_object_get(e, "agency"))), "role",
                      json_object_get(e, "role"), "action", json_object_get(e, "action"),
                      "record_kind", json_object_get(e, "record_kind"), "outcome",
                      json_object_get(e, "outcome"), "basis", basis_words, "reason",
                      json_object_get(e, "reason"), "break_glass", glass));
    }
    json_decref(out);
    pw__page_render(pg, "seen_by", "Who has seen this record",
                    json_pack("{s:s,s:o,s:{s:s,s:s}}", "child", child, "entries", rows, "back",
                              "href", "/work", "text", "Back to my work"));
}

void
pw__page_seen_by_form(struct pw__page *pg)
{
    const char *child = pw__page_query(pg, "child");
    if (child == NULL || child[0] == '\0' || strlen(child) > PW_ID_MAX) {
        pw__page_fail(pg, 400, "Enter a record id",
                      "Give the id of the child's record, as the "
                      "break-glass list or the report names it.");
        return;
    }
    pw__page_redirect_child(pg, child, "/seen-by");
}
