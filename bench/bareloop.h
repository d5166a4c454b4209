/* bareloop.h: the benchmark model as a minimal hand-written event loop
 * (bareloop.c), the yardstick of `make bench`. */
#ifndef BARELOOP_H
#define BARELOOP_H

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

void bareloop_run(const struct bareloop_model *m, struct bareloop_result *res);

/* The same loop with each waiting message's deadline an event in its heap
 * (bareheap.c): the same answered count and waits. */
void bareloop_run_heap(const struct bareloop_model *m, struct bareloop_result *res);

#endif
