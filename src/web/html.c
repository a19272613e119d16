/*
 * The escaping writer: the only way text reaches HTML or SVG. Every character that could end
 * an element, an attribute or an entity is written as an entity, so a name, a note or a reason
 * typed by anyone is shown as typed and never read as markup (Fossil's %h).
 */
#include <string.h>

#include "web/web_int.h"

void
pw__html_textn(struct pw_buf *b, const char *s, size_t n)
{
    size_t run = 0; /* characters since the last one escaped, written in one append */
    for (size_t i = 0; i < n; i++) {
        const char *e = NULL;
        switch (s[i]) {
        case '&':
            e = "&amp;";
            break;
        case '<':
            e = "&lt;";
            break;
        case '>':
            e = "&gt;";
            break;
        case '"':
            e = "&quot;";
            break;
        case '\'':
            e = "&#39;";
            break;
        case '`':
            e = "&#96;";
            break;
        default:
            break;
        }
        if (e != NULL) {
            pw_buf_add(b, s + i - run, run);
            pw_buf_adds(b, e);
            run = 0;
        } else {
            run++;
        }
    }
    pw_buf_add(b, s + n - run, run);
}

void
pw__html_text(struct pw_buf *b, const char *s)
{
    if (s != NULL) {
        pw__html_textn(b, s, strlen(s));
    }
}
