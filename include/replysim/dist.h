/* dist.h: probability distributions of handle times, patience and followers.
 *
 * A distribution is a plain value parsed from scenario text such as
 * `exponential(mean=5m)`.  Durations are in seconds; with RS_DIST_UNITLESS
 * parameters are bare numbers (follower counts).  Sampling takes the GSL
 * generator of the stochastic source it belongs to; there is no hidden state.
 *
 * Syntax (parameters by name, any order; durations need a unit):
 *   const(5m)                      also const(value=5m)
 *   exponential(mean=5m)           also exponential(rate=12/h)
 *   lognormal(mean=8m, sd=4m)      also lognormal(mu=..., sigma=...) for ln X
 *   gamma(mean=5m, sd=2m)          also gamma(shape=2, scale=150s)
 *   erlang(k=3, mean=5m)
 *   weibull(shape=1.5, scale=10m)
 *   uniform(min=1m, max=9m)
 *   pareto(alpha=1.5, min=10)      heavy tails, e.g. follower counts
 *   empirical(5m:0.20, 30m:0.26, 1h:0.49, 24h:0.76)
 *       cumulative points (time:share); linear in time from 0 to the first
 *       point, linear in log time between points; the mass above the last
 *       share is `never` (infinite).  Shares strictly increasing in (0, 1].
 *   never                          +infinity (patience only)
 */
#ifndef RS_DIST_H
#define RS_DIST_H

#include "replysim/rng.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stddef.h>

enum rs_dist_kind {
    RS_DIST_CONST,
    RS_DIST_EXPONENTIAL,
    RS_DIST_LOGNORMAL,
    RS_DIST_GAMMA,
    RS_DIST_ERLANG,
    RS_DIST_WEIBULL,
    RS_DIST_UNIFORM,
    RS_DIST_PARETO,
    RS_DIST_EMPIRICAL,
    RS_DIST_NEVER
};

enum rs_dist_units {
    RS_DIST_DURATION, /* parameters are durations with a unit, values in s */
    RS_DIST_UNITLESS  /* parameters are bare numbers */
};

#define RS_DIST_MAX_POINTS 32

struct rs_dist {
    enum rs_dist_kind kind;
    double p1, p2;                 /* canonical parameters, see dist.c per kind */
    int n_points;                  /* RS_DIST_EMPIRICAL: number of points */
    double x[RS_DIST_MAX_POINTS];  /* RS_DIST_EMPIRICAL: values (s), increasing */
    double F[RS_DIST_MAX_POINTS];  /* RS_DIST_EMPIRICAL: cumulative shares */
    int form;                      /* which spelling p1, p2 hold: 0 first, 1 the `also` one */
    double a, b;                   /* derived sampling parameters, see dist.c per kind */
    double lx[RS_DIST_MAX_POINTS]; /* RS_DIST_EMPIRICAL: log(x), for sampling */
};

/* A distribution that a scenario key may leave unset, whose default is
 * another key's (next_handle: handle) or that is required only with
 * another key (think: with reply_back). */
struct rs_opt_dist {
    int set; /* 0: not given */
    struct rs_dist d;
};

/* Parses text into d.  allow_never: whether `never` is accepted.  Rejects
 * unknown names, unknown or missing parameters, missing units (duration
 * distributions), negative or non-finite values, sd <= 0 where it must be
 * positive.  On error writes what was expected into why. */
int rs_dist_parse(const char *text, enum rs_dist_units units, int allow_never, struct rs_dist *d,
                  char *why, size_t why_len);

/* Draws one value (>= 0; +INFINITY for never and the empirical tail). */
double rs_dist_sample(const struct rs_dist *d, gsl_rng *r);

/* An exponential draw with the given mean.  1 - u is exact for GSL's
 * uniforms (multiples of 2^-53), so log() loses nothing against log1p()
 * and is about twice as fast on the hot path. */
static inline double rs_dist_exponential_draw(gsl_rng *r, double mean)
{
    return -mean * log(1.0 - rs_rng_uniform(r));
}

/* The same, with constants and exponentials inline: the simulator draws
 * per message, a constant (followers, handle in tests) needs no call and
 * no random number, and an exponential no call but log's. */
static inline double rs_dist_draw(const struct rs_dist *d, gsl_rng *r)
{
    if (d->kind == RS_DIST_CONST) return d->a;
    if (d->kind == RS_DIST_EXPONENTIAL) return rs_dist_exponential_draw(r, d->a);
    return rs_dist_sample(d, r);
}

/* Mean and second moment E[X^2] (INFINITY where they do not exist). */
double rs_dist_mean(const struct rs_dist *d);
double rs_dist_second_moment(const struct rs_dist *d);

/* 1 when a and b are the same distribution with identical parameters. */
int rs_dist_equal(const struct rs_dist *a, const struct rs_dist *b);

/* Writes d back as text that rs_dist_parse reads to an identical struct. */
void rs_dist_format(const struct rs_dist *d, enum rs_dist_units units, char *buf, size_t len);

/* Convenience constructors for code and tests. */
struct rs_dist rs_dist_const(double v);
struct rs_dist rs_dist_exponential(double mean);
struct rs_dist rs_dist_never(void);

#endif
