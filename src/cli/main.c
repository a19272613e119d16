/* The `pathway` executable: everything it does is in the library (src/cli/cli.c). */
#include "cli/cli.h"

int
main(int argc, char **argv)
{
    return pw_cli_main(argc, argv);
}
