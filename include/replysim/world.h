/* world.h: one replication of the simulated world (SPEC section 4).
 *
 * Messages arrive on channels, wait in the inbox, are taken by agents in the
 * order the reply policy gives and answered after their handle time; authors
 * lapse when their patience runs out and, with abandon = leave, withdraw the
 * message.  Time is in seconds from the scenario's start. */
#ifndef RS_WORLD_H
#define RS_WORLD_H

#include "replysim/scenario.h"

#include <stdint.h>

struct rs_world; /* opaque */

/* A world for one replication; its random streams derive from
 * replication_key (rs_rng_replication_key).  The scenario must outlive it.
 * Aborts on out of memory. */
struct rs_world *rs_world_create(const struct rs_scenario *sc, uint64_t replication_key);

/* Runs from t = 0 to horizon + drain. */
void rs_world_run(struct rs_world *w);

/* The replication's metrics, out[metric * n_scopes + scope] (see stats.h). */
void rs_world_metrics(const struct rs_world *w, double *out);

/* Share of inbox messages answered within each of the n times t_s[], for
 * scopes 0 (all) .. n_channels: out[scope * n + i].  Read from the response
 * time histogram, so within 0.4% of t. */
void rs_world_latency(const struct rs_world *w, const double *t_s, int n, double *out);

/* Stats intervals of the run: ceil((horizon + drain) / interval). */
int rs_world_n_intervals(const struct rs_scenario *sc);

/* Per-interval metrics (stats.h), out[interval * n_interval_metrics + metric]. */
void rs_world_intervals(const struct rs_world *w, double *out);

uint64_t rs_world_events(const struct rs_world *w);   /* events processed */
uint64_t rs_world_messages(const struct rs_world *w); /* messages arrived */

void rs_world_destroy(struct rs_world *w);

#endif
