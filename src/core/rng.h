/*
 * A small deterministic pseudo-random generator (xorshift64*): the same seed gives the same
 * sequence on every machine, so synthetic data, benchmarks and randomised tests reproduce.
 * Not for anything secret: use pw_id_random (libsodium) for that.
 */
#ifndef PW_CORE_RNG_H
#define PW_CORE_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pw_rng {
    uint64_t s; /* never 0 */
};

/** Seeds r; every seed (0 included) gives a valid, distinct sequence. */
void pw_rng_seed(struct pw_rng *r, uint64_t seed);
/** The next 64 random bits. */
uint64_t pw_rng_next(struct pw_rng *r);
/** A number in [0, n); n > 0. */
uint64_t pw_rng_below(struct pw_rng *r, uint64_t n);
/** A number in [lo, hi]; lo <= hi. */
int64_t pw_rng_range(struct pw_rng *r, int64_t lo, int64_t hi);
/** True percent times in a hundred. */
bool pw_rng_chance(struct pw_rng *r, unsigned percent);

#endif
