/*
 * The practitioners' web pages (docs/web.md): server-rendered GOV.UK Design System pages over
 * the JSON API's own handlers. `pathway serve` attaches them to its server; every path outside
 * /api/ is a page or an asset. Pages hold no domain logic: they gather what the API answers,
 * lay it out with templates that escape everything by default, and turn forms into the facts
 * the API records.
 *
 * Threads: a pw_web is read-only once made (templates compiled, assets loaded) and is shared
 * by the server's threads; the genogram serialises Graphviz inside.
 */
#ifndef PW_WEB_WEB_H
#define PW_WEB_WEB_H

#include "core/error.h"
#include "http/http.h"

struct pw_web_options {
    /* The folder of built assets (app.css, app.js, govuk-frontend.min.js, images/): NULL for
     * the build's own (build/web), "" for none (tests of pages alone). */
    const char *assets;
};

struct pw_web;

/**
 * Compiles the templates and loads the assets. PW_EINTERNAL naming a template's mistake;
 * PW_EIO naming the folder when the assets are not there (run scripts/setup.sh, then make).
 * New: pw_web_free.
 */
PW_MUSTCHECK enum pw_status pw_web_new(const struct pw_web_options *opts, struct pw_web **out,
                                       struct pw_error *err);
void pw_web_free(struct pw_web *w);

/** Serves the pages on h (w must outlive h's serving). */
void pw_web_attach(struct pw_web *w, struct pw_http *h);

#endif
