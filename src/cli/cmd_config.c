/* `pathway config`: the thresholds and timescales in effect, checked, as an editable file. */
#include "cli/cli.h"

#include <stdlib.h>

#include "pathway/config.h"

static const char usage[] =
    "usage: pathway config [--file FILE] [--defaults] [--changed]\n"
    "\n"
    "Prints the configuration in effect: every threshold and timescale the pathway and the\n"
    "safeguarding rules use, each with what it is for, its unit, its range and its default,\n"
    "as a file a partnership can edit (docs/pathway.conf is the defaults). The file is\n"
    "--file FILE or the PATHWAY_CONFIG environment variable; it is checked strictly, and an\n"
    "error names the line.\n"
    "\n"
    "  --defaults   the design's defaults, whatever file is set\n"
    "  --changed    only the keys the file sets\n";

enum pw_status
pw__cmd_config(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    /* The CLI reads its environment before any thread exists. */
    const char *file = getenv("PATHWAY_CONFIG"); /* NOLINT(concurrency-mt-unsafe) */
    bool defaults = false;
    bool changed = false;
    const struct pw__opt opts[] = { { "--file", &file, NULL },
                                    { "--defaults", NULL, &defaults },
                                    { "--changed", NULL, &changed },
                                    { NULL, NULL, NULL } };
    int npos = 0;
    struct pw_config c;
    pw_config_defaults(&c);
    enum pw_status rc = pw__cli_parse(cli, argc, argv, opts, NULL, 0, &npos, err);
    if (rc == PW_OK && defaults && changed) {
        rc = pw_fail(err, PW_EUSAGE, "use --defaults or --changed, not both");
    }
    if (rc == PW_OK && !defaults && file != NULL && file[0] != '\0') {
        rc = pw_config_load(&c, file, err);
    }
    if (rc == PW_OK) {
        pw_config_write(&c, cli->out, changed);
    }
    return rc;
}
