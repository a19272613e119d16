/* xorshift64* (Vigna): fast, small state, good enough for test data and sampling. */
#include "core/rng.h"

#include "core/error.h"

void
pw_rng_seed(struct pw_rng *r, uint64_t seed)
{
    /* splitmix64 of the seed, so nearby seeds start far apart and 0 is not the zero state. */
    uint64_t z = seed + UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    z ^= z >> 31;
    r->s = z != 0 ? z : UINT64_C(0x2545f4914f6cdd1d);
}

uint64_t
pw_rng_next(struct pw_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * UINT64_C(2685821657736338717);
}

uint64_t
pw_rng_below(struct pw_rng *r, uint64_t n)
{
    PW_ASSERT(n > 0);
    /* The high bits are the better ones in xorshift64*. */
    return (pw_rng_next(r) >> 11) % n;
}

int64_t
pw_rng_range(struct pw_rng *r, int64_t lo, int64_t hi)
{
    PW_ASSERT(lo <= hi);
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    if (span == 0) {
        return (int64_t)pw_rng_next(r); /* the whole 64-bit range */
    }
    return (int64_t)((uint64_t)lo + pw_rng_below(r, span));
}

bool
pw_rng_chance(struct pw_rng *r, unsigned percent)
{
    return pw_rng_below(r, 100) < percent;
}
