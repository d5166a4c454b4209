/* ivring.h: a replication's stats intervals, kept only while they can
 * still change (engine-internal).
 *
 * An interval's figures are final once time has passed its end (closed)
 * and every inbox message that arrived in it has its fate (open = 0).  The
 * ring holds the intervals from the oldest not yet final to the newest
 * touched, each with its full response-time histogram (stats.h); a final
 * one becomes a row of metrics (rs_stats_interval_compute), handed to the
 * sink at once, and its slot is reused.  Memory is then set by how far back
 * open messages reach, not by the horizon: a few slots for a queue that
 * clears within hours, all of them for a backlog that never does. */
#ifndef RS_IVRING_H
#define RS_IVRING_H

#include "replysim/world.h"
#include "stats.h"

struct rs_ivring;

/* n_iv intervals of sc->interval_s, the last ending at end_s.  sink NULL:
 * the ring keeps the rows itself for rs_ivring_rows. */
struct rs_ivring *rs_ivring_create(const struct rs_scenario *sc, int n_iv, double end_s,
                                   rs_world_interval_fn sink, void *ctx);
void rs_ivring_destroy(struct rs_ivring *r);

/* The live interval i (i < n_iv, not final). */
struct rs_interval_stats *rs_ivring_at(struct rs_ivring *r, int i);

/* An inbox message arrived in interval i; one of them has its fate now. */
void rs_ivring_entered(struct rs_ivring *r, int i);
void rs_ivring_settled(struct rs_ivring *r, int i);

/* Time has passed the end of interval i, with these integrals. */
void rs_ivring_close(struct rs_ivring *r, int i, double busy, double queue, double agents);

/* The run is over: every interval not yet final becomes final as it is. */
void rs_ivring_finish_all(struct rs_ivring *r);

/* Without a sink: the rows, out[i * n_metrics + m] (after finish_all). */
void rs_ivring_rows(const struct rs_ivring *r, double *out);

/* Slots in use at most so far (for tests of the memory bound). */
int rs_ivring_peak(const struct rs_ivring *r);

#endif
