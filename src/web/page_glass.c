/*
 * Break-glass: emergency access to a child's record with a reason and a time limit, through
 * POST /api/break-glass, which records the grant and its reason on the access log for the
 * data lead to review. The form says plainly that it is reported before anyone uses it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

static void
glass_form(struct pw__page *pg, const char *reason, const char *hours)
{
    char back[PW_ID_MAX + 32];
    (void)snprintf(back, sizeof(back), "/children/%s", pg->ids[0]);
    pw__page_render(pg, "break_glass", "Break the glass",
                    json_pack("{s:s,s:s,s:s,s:{s:s,s:s}}", "child", pg->ids[0], "reason", reason,
                              "hours", hours, "back", "href", "/people", "text", "Back"));
}

void
pw__page_break_glass(struct pw__page *pg)
{
    glass_form(pg, "", "4");
}

void
pw__page_break_glass_post(struct pw__page *pg)
{
    const char *reason = pw__form_text(&pg->form, "reason");
    const char *hours_text = pw__form_text(&pg->form, "hours");
    char *end = NULL;
    long hours = strtol(hours_text, &end, 10);
    if (strlen(reason) < PW_BREAK_GLASS_REASON_MIN) {
        pw__page_error(pg, "reason", "Say why you need this record now, in at least 20 characters");
    }
    if (hours_text[0] == '\0' || end == NULL || *end != '\0' || hours < 1 ||
        hours > PW_BREAK_GLASS_HOURS_MAX) {
        pw__page_error(pg, "hours", "Enter a whole number of hours from 1 to 24");
    }
    if (pg->errors != NULL) {
        pg->resp->status = 400;
        glass_form(pg, reason, hours_text);
        return;
    }
    json_t *body = json_pack("{s:s,s:s,s:I}", "child", pg->ids[0], "reason", reason, "hours",
                             (json_int_t)hours);
    json_t *out = NULL;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw__page_api(pg, "POST", "/api/break-glass", body, &out, &err);
    json_decref(body);
    json_decref(out);
    if (rc == PW_OK) {
        pw__page_redirect_child(pg, pg->ids[0], "");
    } else if (rc == PW_EINVAL) {
        pw__page_error(pg, strcmp(err.field, "hours") == 0 ? "hours" : "reason", err.msg);
        pg->resp->status = 400;
        glass_form(pg, reason, hours_text);
    } else {
        pw__page_api_fail(pg, rc, &err);
    }
}
