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

/* Engine-internal, and visible for the inline calls below, which run per
 * message. */
struct rs_ivring_slot {
    struct rs_interval_stats st;
    struct rs_interval_bh bh; /* business-hours figures (with [policy] hours) */
    uint32_t open;            /* inbox messages of the interval without a fate */
    int closed;               /* time has passed its end */
};

struct rs_ivring {
    const struct rs_scenario *sc;
    struct rs_ivring_slot *slots; /* interval i in slots[i & (cap - 1)], lo <= i < hi */
    int cap;                      /* a power of two */
    int lo, hi;                   /* live intervals: [lo, hi), lo the oldest not final */
    int n_iv, nm, peak;
    double end_s;
    rs_world_interval_fn sink;
    void *ctx;
    double *rows; /* without a sink: [n_iv][nm] */
    double *row;  /* with one: the row being handed over */
};

/* n_iv intervals of sc->interval_s, the last ending at end_s.  sink NULL:
 * the ring keeps the rows itself for rs_ivring_rows. */
struct rs_ivring *rs_ivring_create(const struct rs_scenario *sc, int n_iv, double end_s,
                                   rs_world_interval_fn sink, void *ctx);
void rs_ivring_destroy(struct rs_ivring *r);

/* Makes interval i (>= hi) live; finishes final intervals from lo on. */
void rs_ivring_extend(struct rs_ivring *r, int i);
void rs_ivring_advance(struct rs_ivring *r);

/* The live interval i (lo <= i < n_iv). */
static inline struct rs_interval_stats *rs_ivring_at(struct rs_ivring *r, int i)
{
    if (i >= r->hi) rs_ivring_extend(r, i);
    return &r->slots[i & (r->cap - 1)].st;
}

/* The business-hours figures of the live interval i (lo <= i < n_iv). */
static inline struct rs_interval_bh *rs_ivring_bh_at(struct rs_ivring *r, int i)
{
    if (i >= r->hi) rs_ivring_extend(r, i);
    return &r->slots[i & (r->cap - 1)].bh;
}

/* An inbox message arrived in live interval i; one of them has its fate now. */
static inline void rs_ivring_entered(struct rs_ivring *r, int i)
{
    r->slots[i & (r->cap - 1)].open++;
}

static inline void rs_ivring_settled(struct rs_ivring *r, int i)
{
    struct rs_ivring_slot *s = &r->slots[i & (r->cap - 1)];
    if (--s->open == 0 && i == r->lo && s->closed) rs_ivring_advance(r);
}

/* Time has passed the end of interval i, with these integrals. */
void rs_ivring_close(struct rs_ivring *r, int i, double busy, double queue, double agents);

/* The run is over: every interval not yet final becomes final as it is. */
void rs_ivring_finish_all(struct rs_ivring *r);

/* Without a sink: the rows, out[i * n_metrics + m] (after finish_all). */
void rs_ivring_rows(const struct rs_ivring *r, double *out);

/* Slots in use at most so far (for tests of the memory bound). */
int rs_ivring_peak(const struct rs_ivring *r);

#endif
