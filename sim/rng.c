/* rng.c: xoshiro256++ as a GSL generator type, and stream keys. */
#include "replysim/rng.h"

#include "replysim/alloc.h"

#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(unsigned long) == 8, "GSL seeds must carry 64 bits");

uint64_t rs_rng_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static void xo_set(void *vstate, unsigned long seed)
{
    struct rs_rng_state *st = vstate;
    uint64_t x = (uint64_t)seed;
    /* splitmix64 sequence: never yields the all-zero state xoshiro forbids
     * in practice, and distinct keys give unrelated states. */
    for (int i = 0; i < 4; i++) {
        x += 0x9e3779b97f4a7c15ULL;
        st->s[i] = rs_rng_mix64(x);
    }
    if (!(st->s[0] | st->s[1] | st->s[2] | st->s[3])) st->s[0] = 1;
}

static unsigned long xo_get(void *vstate) { return (unsigned long)(rs_rng_next64(vstate) >> 32); }

static double xo_get_double(void *vstate)
{
    return (double)(rs_rng_next64(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256++", 0xffffffffUL, 0, sizeof(struct rs_rng_state), xo_set, xo_get, xo_get_double,
};

const gsl_rng_type *rs_rng_xoshiro256pp = &xoshiro_type;

uint64_t rs_rng_replication_key(uint64_t seed, int replication)
{
    return rs_rng_mix64(rs_rng_mix64(seed ^ 0x5265706c7953696dULL) + (uint64_t)replication);
}

uint64_t rs_rng_source_key(uint64_t replication_key, const char *source)
{
    /* FNV-1a of the name, then mixed with the replication key. */
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)source; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return rs_rng_mix64(replication_key ^ rs_rng_mix64(h));
}

gsl_rng *rs_rng_create(uint64_t key)
{
    gsl_rng *r = gsl_rng_alloc(rs_rng_xoshiro256pp);
    if (!r) rs_alloc_failed(sizeof *r);
    gsl_rng_set(r, (unsigned long)key);
    return r;
}

void rs_rng_destroy(gsl_rng *r)
{
    if (r) gsl_rng_free(r);
}
