/* arrivals.h: arrival processes with time-varying rates (engine-internal).
 *
 * Arrivals are drawn by inverting the cumulative rate: a unit-exponential
 * draw e is spent across the pieces on which the rate is constant, so a
 * profile, a day-level gamma factor or a decaying burst cost one draw per
 * arrival, exactly, with no thinning. */
#ifndef RS_ARRIVALS_H
#define RS_ARRIVALS_H

#include "replysim/scenario.h"
#include "timeline.h"

#include <gsl/gsl_rng.h>

/* A channel's rate: base * profile(t) * gamma factor of t's calendar day. */
struct rs_rate {
    double base_per_s;
    double cv;        /* dispersion; 0: no day factor */
    gsl_rng *day_rng; /* the day factors' own stream */
    struct rs_series_cursor profile;
    double day_factor;
    double next_day_s; /* next midnight; INFINITY without dispersion */
    double end_s;      /* no arrivals from here (the horizon) */
    double seg_end_s;  /* the rate is seg_rate on [.., seg_end_s) */
    double seg_rate;
    double seg_gap; /* 1 / seg_rate */
};

void rs_rate_init(struct rs_rate *r, const struct rs_scenario *sc, int channel, gsl_rng *day_rng);

/* Next arrival after now_s, given a unit-exponential draw e; INFINITY when
 * none comes before the end. */
double rs_rate_next(struct rs_rate *r, double now_s, double e);

/* The same, inlined for the common case of an arrival inside the piece. */
static inline double rs_rate_next_fast(struct rs_rate *r, double now_s, double e)
{
    if (r->seg_rate > 0) {
        double t = now_s + e * r->seg_gap;
        if (t < r->seg_end_s) return t;
    }
    return rs_rate_next(r, now_s, e);
}

/* A burst: rate_per_s * 2^-((t - at) / half_life) from at_s.  *spent is
 * the cumulative rate used so far (0 at first); returns the next arrival
 * or INFINITY once the burst's finite total is spent or the horizon passed. */
double rs_burst_next(const struct rs_burst_cfg *b, double horizon_s, double *spent, double e);

/* Expected arrivals of a burst before the horizon (for tests and reports). */
double rs_burst_expected(const struct rs_burst_cfg *b, double horizon_s);

#endif
