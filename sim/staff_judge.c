/* staff_judge.c: the figures of staff's targets per interval, and the rule
 * that judges them (staff.h): a margin of k standard errors, and for
 * shares the Wilson bound of the interval's messages pooled over the
 * replications, so that an interval whose replications all agree is not
 * taken as certain. */
#include "staff_int.h"

#include "replysim/alloc.h"
#include "replysim/summary.h"
#include "replysim/units.h"
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index of the interval metric called name in scenario sc, or -1. */
static int interval_metric(const struct rs_scenario *sc, const char *name)
{
    char buf[64];
    for (int m = 0; m < rs_stats_n_interval_metrics(sc); m++) {
        rs_stats_interval_metric_name(sc, m, buf, sizeof buf);
        if (strcmp(buf, name) == 0) return m;
    }
    return -1;
}

void rs_staff_find_metrics(struct rs_staff *st)
{
    struct rs_staff_metrics *m = &st->m;
    char label[32], name[64];
    rs_units_label_duration(2 * (st->sc->horizon_s + st->sc->drain_s) + 1, label, sizeof label);
    snprintf(name, sizeof name, "sl_%s", label);
    m->all = interval_metric(st->w, name);
    m->inbox = interval_metric(st->w, "inbox");
    m->occupancy = interval_metric(st->w, "occupancy");
    m->frt_mean = interval_metric(st->w, "frt_mean_s");
    for (int k = 0; k < st->o.n_targets; k++) {
        const struct rs_staff_target *t = &st->o.target[k];
        rs_units_label_duration(t->d_s, label, sizeof label);
        snprintf(name, sizeof name, t->kind == RS_STAFF_SL_BH ? "sl_bh_%s" : "sl_%s", label);
        int own = t->kind == RS_STAFF_SL || t->kind == RS_STAFF_SL_BH || t->kind == RS_STAFF_FRT_Q;
        m->t[k] = own ? interval_metric(st->w, name) : 0;
    }
}

/* 1 when target k's figure is a share of messages (judged with Wilson). */
static int is_share(enum rs_staff_kind kind)
{
    return kind != RS_STAFF_FRT_MEAN && kind != RS_STAFF_OCCUPANCY;
}

/* Target k's figure of interval i in replication r, and into *den the
 * messages it is a share or mean of. */
static double figure(const struct rs_staff *st, const struct rs_results *res, int k, int i, int r,
                     double *den)
{
    const struct rs_staff_metrics *m = &st->m;
    if (st->o.target[k].scope_kind) return rs_staff_scoped_figure(st, k, i, r, den);
    double inbox = rs_results_interval_value(res, i, m->inbox, r);
    double all = rs_results_interval_value(res, i, m->all, r);
    double own = rs_results_interval_value(res, i, m->t[k], r);
    *den = inbox;
    switch (st->o.target[k].kind) {
    case RS_STAFF_SL:
    case RS_STAFF_SL_BH:
        return own;
    case RS_STAFF_RR:
        return all;
    case RS_STAFF_UNANSWERED:
        return 1 - all;
    case RS_STAFF_FRT_Q:
        *den = inbox * all;
        return all > 0 ? own / all : NAN;
    case RS_STAFF_FRT_MEAN:
        *den = inbox * all;
        return rs_results_interval_value(res, i, m->frt_mean, r);
    case RS_STAFF_OCCUPANCY:
        *den = 0;
        return rs_results_interval_value(res, i, m->occupancy, r);
    }
    return NAN;
}

/* One-sided Wilson bound of share p of n messages at normal quantile z:
 * the lower (ge) or upper bound. */
static double wilson(double p, double n, double z, int ge)
{
    double z2n = z * z / n;
    double centre = (p + z2n / 2) / (1 + z2n);
    double half = z / (1 + z2n) * sqrt(p * (1 - p) / n + z2n / (4 * n));
    double b = ge ? centre - half : centre + half;
    return b < 0 ? 0 : b > 1 ? 1 : b;
}

/* Summarises target k of an interval from the values x (NaN: none) and
 * their messages den, and judges it (by the mean when thin). */
static void judge_one(const struct rs_staff *st, int k, const double *x, const double *den,
                      int reps, int thin, struct rs_staff_fig *f)
{
    const struct rs_staff_target *t = &st->o.target[k];
    struct rs_summary s;
    rs_summary_of(x, 1, reps, &s);
    double sum = 0, msgs = 0;
    for (int r = 0; r < reps; r++)
        if (!isnan(x[r]) && den[r] > 0) sum += x[r] * den[r], msgs += den[r];
    f->mean = s.mean, f->ci_low = s.ci_low, f->ci_high = s.ci_high, f->n = s.n;
    f->bound = NAN;
    f->met = 1;
    if (s.n == 0) return;
    double c = st->o.confidence, z = gsl_cdf_ugaussian_Pinv(c);
    double kq = s.n >= 2 ? gsl_cdf_tdist_Pinv(c, s.n - 1) : z;
    double se = s.n >= 2 ? s.sd / sqrt(s.n) : 0;
    if (t->kind == RS_STAFF_FRT_MEAN && msgs > 0 && s.mean / sqrt(msgs) > se)
        se = s.mean / sqrt(msgs); /* a response time's sd is about its mean */
    double b = t->ge ? s.mean - kq * se : s.mean + kq * se;
    f->thin = thin;
    if (is_share(t->kind) && msgs > 0) {
        double w = wilson(sum / msgs, msgs, z, t->ge);
        b = t->ge ? fmin(b, w) : fmax(b, w);
        /* too few messages for even a perfect record to show the goal */
        double best = wilson(t->ge ? 1 : 0, msgs, z, t->ge);
        f->thin |= t->ge ? best < t->goal : best > t->goal;
    }
    f->bound = b;
    double v = f->thin ? s.mean : b;
    f->met = t->ge ? v >= t->goal - 1e-12 : v <= t->goal + 1e-12;
}

int rs_staff_judge(const struct rs_staff *st, const struct rs_results *res, const int *thin,
                   struct rs_staff_fig *figs)
{
    int reps = rs_results_replications(res), nt = st->o.n_targets, misses = 0;
    double *x = rs_malloc(2 * (size_t)reps * sizeof *x), *den = x + reps;
    for (int i = 0; i < st->n; i++) {
        for (int k = 0; k < nt; k++) {
            for (int r = 0; r < reps; r++)
                x[r] = figure(st, res, k, i, r, &den[r]);
            judge_one(st, k, x, den, reps, thin && thin[i * nt + k], &figs[i * nt + k]);
        }
        misses += !rs_staff_interval_met(st, figs, i);
    }
    free(x);
    return misses;
}

int rs_staff_interval_met(const struct rs_staff *st, const struct rs_staff_fig *figs, int i)
{
    if (!st->held[i]) return 1;
    for (int k = 0; k < st->o.n_targets; k++)
        if (!figs[i * st->o.n_targets + k].met) return 0;
    return 1;
}

double rs_staff_slack(const struct rs_staff *st, const struct rs_staff_fig *figs, int i)
{
    double least = INFINITY;
    for (int k = 0; k < st->o.n_targets; k++) {
        const struct rs_staff_target *t = &st->o.target[k];
        const struct rs_staff_fig *f = &figs[i * st->o.n_targets + k];
        double v = f->thin ? f->mean : f->bound;
        if (isnan(v)) continue;
        double s = (t->ge ? v - t->goal : t->goal - v) / t->goal;
        if (s < least) least = s;
    }
    return least;
}

void rs_staff_whole(struct rs_staff *st, const struct rs_results *res)
{
    int reps = rs_results_replications(res);
    double *x = rs_malloc((size_t)reps * sizeof *x);
    for (int k = 0; k < st->o.n_targets; k++) {
        for (int r = 0; r < reps; r++) {
            double sum = 0, msgs = 0;
            for (int i = 0; i < st->n; i++) {
                double den, v = figure(st, res, k, i, r, &den);
                if (i * st->width_s < st->sc->warmup_s || isnan(v) || !(den > 0)) continue;
                sum += v * den, msgs += den;
            }
            x[r] = msgs > 0 ? sum / msgs : NAN;
        }
        struct rs_summary s;
        rs_summary_of(x, 1, reps, &s);
        st->whole[k][0] = s.mean, st->whole[k][1] = s.ci_low, st->whole[k][2] = s.ci_high;
    }
    free(x);
}
