/* Random identifiers from libsodium's CSPRNG. */
#include "core/id.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

void
pw_id_random(char *out, size_t size, const char *prefix)
{
    unsigned char bytes[PW_ID_RANDOM_BYTES];
    char hex[PW_ID_RANDOM_TEXT];
    /* sodium_init is idempotent and thread-safe; 1 means it had already run. */
    if (sodium_init() < 0) {
        pw_abort(__FILE__, __LINE__, "the random number generator could not be initialised");
    }
    randombytes_buf(bytes, sizeof(bytes));
    sodium_bin2hex(hex, sizeof(hex), bytes, sizeof(bytes));
    PW_ASSERT(size >= strlen(prefix != NULL ? prefix : "") + sizeof(hex));
    (void)snprintf(out, size, "%s%s", prefix != NULL ? prefix : "", hex);
    sodium_memzero(bytes, sizeof(bytes));
}
