/* rng.h: one GSL random stream per stochastic source.
 *
 * Streams are keyed by (seed, replication, source name).  GSL's own
 * generators take 32-bit seeds, so thousands of streams would risk two
 * sharing a seed; replysim registers its own gsl_rng_type, xoshiro256++,
 * whose 256-bit state is filled from the full 64-bit key by splitmix64.
 * Every gsl_ran_* distribution works on it unchanged. */
#ifndef RS_RNG_H
#define RS_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The generator type (name "xoshiro256++"): 53-bit doubles in [0,1), 32-bit
 * integers from gsl_rng_get. */
extern const gsl_rng_type *rs_rng_xoshiro256pp;

/* 64-bit key of a replication: mixes the base seed with its index. */
uint64_t rs_rng_replication_key(uint64_t seed, int replication);

/* 64-bit key of one source within a replication, from its stable name
 * ("arrivals:twitter", "handle:complaint"): adding a source elsewhere in
 * the scenario leaves every other stream as it was. */
uint64_t rs_rng_source_key(uint64_t replication_key, const char *source);

/* A new generator seeded from key.  Aborts on out of memory. */
gsl_rng *rs_rng_create(uint64_t key);
void rs_rng_destroy(gsl_rng *r);

/* The 64-bit finaliser of splitmix64, a bijection with good avalanche. */
uint64_t rs_rng_mix64(uint64_t x);

/* xoshiro256++'s state and step, shared by rng.c and the inline draws. */
struct rs_rng_state {
    uint64_t s[4];
};

static inline uint64_t rs_rng_next64(struct rs_rng_state *st)
{
    uint64_t *s = st->s;
    uint64_t sum = s[0] + s[3];
    uint64_t result = ((sum << 23) | (sum >> 41)) + s[0];
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* A uniform in [0,1), the same number gsl_rng_uniform(r) returns, without
 * its call through the type's function pointer when r is one of
 * rs_rng_create's (the draws on the simulator's hot path). */
static inline double rs_rng_uniform(gsl_rng *r)
{
    if (r->type != rs_rng_xoshiro256pp) return gsl_rng_uniform(r);
    return (double)(rs_rng_next64(r->state) >> 11) * 0x1.0p-53;
}

#endif
