/*
 * Random identifiers: 128 bits from the operating system's CSPRNG (libsodium), as 32 lower-case
 * hex digits. For ids Pathway makes itself (sessions, tokens, generated fact ids), where a
 * guessable or colliding id would let one person's record be taken for another's. The ids
 * callers choose for their facts are checked by the model (pw_id_valid), not made here.
 */
#ifndef PW_CORE_ID_H
#define PW_CORE_ID_H

#include <stddef.h>

#define PW_ID_RANDOM_BYTES 16
#define PW_ID_RANDOM_TEXT  (PW_ID_RANDOM_BYTES * 2 + 1)

/**
 * Writes a new random id (32 hex digits and a terminator) into out, which holds at least
 * PW_ID_RANDOM_TEXT bytes; prefix, when not NULL, goes before it ("s-" for a session). Aborts
 * if the CSPRNG cannot be initialised: an id must never be predictable. Thread-safe.
 */
void pw_id_random(char *out, size_t size, const char *prefix);

#endif
