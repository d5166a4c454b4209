/* bareloop.h: the benchmark model as a minimal hand-written event loop
 * (bareloop.c), the yardstick of `make bench`. */
#ifndef BARELOOP_H
#define BARELOOP_H

#include "replysim/rng.h"

#include <math.h>
#include <stdint.h>

struct bareloop_model {
    double horizon_s; /* arrivals stop */
    double mean_gap_s, mean_handle_s, mean_patience_s;
    int agents;
    uint64_t seed;
};

/* SPEC section 10's model: 9.5 arrivals a minute, 50 agents, handle 5 m,
 * patience 10 m, sized to about `arrivals` arrivals. */
#define BARELOOP_BENCH_MODEL(arrivals)                                                             \
    ((struct bareloop_model){.horizon_s = (arrivals)*60.0 / 9.5,                                   \
                             .mean_gap_s = 60.0 / 9.5,                                             \
                             .mean_handle_s = 300,                                                 \
                             .mean_patience_s = 600,                                               \
                             .agents = 50,                                                         \
                             .seed = 1})

struct bareloop_result {
    uint64_t arrivals, events, answered, abandoned, waited;
    double wait_sum_s;
};

/* The loops' draws: xoshiro256++ through rng.h's inline step, as
 * replysim's, seeded by splitmix64; exponentials as -mean log(1 - u).
 * Both loops draw arrivals, handle times and patience from three streams
 * seeded model seed, + 1 and + 2, so they see the same customers. */
struct bl_rng {
    struct rs_rng_state st;
};

static inline void bl_seed(struct bl_rng *r, uint64_t x)
{
    for (int i = 0; i < 4; i++)
        r->st.s[i] = rs_rng_mix64(x += 0x9e3779b97f4a7c15ULL);
}

static inline double bl_expo(struct bl_rng *r, double mean)
{
    return -mean * log(1.0 - (double)(rs_rng_next64(&r->st) >> 11) * 0x1.0p-53);
}

void bareloop_run(const struct bareloop_model *m, struct bareloop_result *res);

/* The same loop with each waiting message's deadline an event in its heap
 * (bareheap.c): the same answered count and waits. */
void bareloop_run_heap(const struct bareloop_model *m, struct bareloop_result *res);

#endif
