/* arrivals.c: inversion of piecewise-constant and decaying rates.
 *
 * A channel's rate is its average: its profile gives the shape, rescaled
 * to mean 1 over its period (time-weighted: a step profile's pieces count
 * by their length) unless profile_scale = absolute.  The period is the week
 * for a weekly profile, else the horizon (the last multiplier holds to the
 * end).  So rate = 800/d is 800 a day on average whatever the profile. */
#include "arrivals.h"

#include <gsl/gsl_randist.h>
#include <math.h>

#define DAY_S 86400.0
#define LN2 0.69314718055994530942

static void draw_day_factor(struct rs_rate *r)
{
    /* gamma with mean 1 and coefficient of variation cv */
    double shape = 1.0 / (r->cv * r->cv);
    r->day_factor = gsl_ran_gamma(r->day_rng, shape, 1.0 / shape);
}

/* Sets the piece holding t: t is the previous piece's end, or the start. */
static void set_piece(struct rs_rate *r, double t)
{
    if (t >= r->next_day_s) {
        r->next_day_s += DAY_S;
        draw_day_factor(r);
    }
    rs_series_cursor_seek(&r->profile, t);
    double end = r->profile.next_s < r->next_day_s ? r->profile.next_s : r->next_day_s;
    r->seg_end_s = end < r->end_s ? end : r->end_s;
    r->seg_rate = r->base_per_s * r->profile.value * r->day_factor;
    r->seg_gap = r->seg_rate > 0 ? 1.0 / r->seg_rate : INFINITY;
}

void rs_rate_init(struct rs_rate *r, const struct rs_scenario *sc, int channel, gsl_rng *day_rng)
{
    const struct rs_channel_cfg *c = &sc->channels[channel];
    r->base_per_s = c->rate_per_s * rs_scenario_profile_scale(sc, channel);
    r->cv = c->dispersion;
    r->day_rng = day_rng;
    r->end_s = sc->horizon_s;
    r->day_factor = 1;
    r->next_day_s = INFINITY;
    if (r->cv > 0) {
        r->next_day_s = DAY_S - sc->start_clock_s;
        draw_day_factor(r);
    }
    rs_series_cursor_init(&r->profile, &c->profile, rs_timeline_week_offset_s(sc), 0);
    set_piece(r, 0);
}

double rs_rate_next(struct rs_rate *r, double now_s, double e)
{
    double t = now_s;
    for (;;) {
        if (r->seg_rate > 0) {
            double dt = e / r->seg_rate;
            if (t + dt < r->seg_end_s) return t + dt;
            e -= r->seg_rate * (r->seg_end_s - t);
        }
        t = r->seg_end_s;
        if (t >= r->end_s) return INFINITY;
        set_piece(r, t);
    }
}

double rs_scenario_profile_scale(const struct rs_scenario *sc, int c)
{
    const struct rs_series *p = &sc->channels[c].profile;
    if (p->n == 0 || sc->channels[c].profile_scale == RS_PROFILE_ABSOLUTE) return 1;
    double span = p->weekly ? RS_WEEK_S : sc->horizon_s;
    double sum = rs_series_integral(p, rs_timeline_week_offset_s(sc), 0, span);
    if (!(sum > 0 && span > 0)) return 0;
    /* a mean of 1 but for rounding (168 multipliers summed) is left alone, so
     * a profile written with mean 1 gives the same bytes as before */
    return fabs(sum / span - 1) < 1e-12 ? 1 : span / sum;
}

double rs_scenario_expected_arrivals(const struct rs_scenario *sc, int c)
{
    const struct rs_channel_cfg *ch = &sc->channels[c];
    if (ch->trace.n > 0) return ch->trace.n;
    double n = ch->rate_per_s * rs_scenario_profile_scale(sc, c) *
               rs_series_integral(&ch->profile, rs_timeline_week_offset_s(sc), 0, sc->horizon_s);
    for (int i = 0; i < sc->n_bursts; i++)
        if (sc->bursts[i].channel == c) n += rs_burst_expected(&sc->bursts[i], sc->horizon_s);
    return n;
}

double rs_burst_expected(const struct rs_burst_cfg *b, double horizon_s)
{
    double k = LN2 / b->half_life_s, span = horizon_s - b->at_s;
    if (span <= 0) return 0;
    return b->rate_per_s / k * -expm1(-k * span);
}

double rs_burst_next(const struct rs_burst_cfg *b, double horizon_s, double *spent, double e)
{
    /* cumulative rate L(s) = (r/k)(1 - exp(-k s)), so s = -log(1 - k L / r) / k */
    double k = LN2 / b->half_life_s, total = b->rate_per_s / k;
    double target = *spent + e;
    if (target >= total) {
        *spent = total;
        return INFINITY;
    }
    *spent = target;
    double t = b->at_s - log1p(-k * target / b->rate_per_s) / k;
    return t < horizon_s ? t : INFINITY;
}
