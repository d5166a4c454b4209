/* fit_dist.c: handle-time distributions and patience, estimated from
 * sufficient statistics and binned histograms (bounded memory).
 *
 * Handle times: maximum likelihood for the exponential (mean = sample
 * mean), the lognormal (moments of ln x) and the gamma (shape from
 * ln k - psi(k) = ln mean(x) - mean(ln x), by Newton's method on GSL's
 * digamma and trigamma; scale = mean / k).  The family is chosen on data
 * it was not fitted to: the messages of a type are dealt alternately into
 * two halves, each half's fit is scored by its likelihood on the other,
 * and the best sum wins, a two-parameter family only by more than one unit
 * over the exponential (by AIC on the whole when a half has under 10).  Patience: the exponential
 * MLE from censored waits, mean = total exposure / withdrawals, with the exact chi-square interval,
 * checked against a Kaplan-Meier estimate on the binned waits. */
#include "fit_int.h"

#include "replysim/units.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define LN10 2.302585092994046

double rs_fit_chisq_quantile(double p, double df)
{
    if (df <= 1000) return gsl_cdf_chisq_Pinv(p, df);
    /* Wilson and Hilferty's cube-root normal approximation: within 1e-5
     * relative at these degrees of freedom, where GSL's inversion may fail
     * to converge (and abort) */
    double c = 2 / (9 * df), z = gsl_cdf_ugaussian_Pinv(p);
    return df * pow(1 - c + z * sqrt(c), 3);
}

double rs_fit_bin_lo(int k) { return k == 0 ? 0 : exp((k - 1) * LN10 / FIT_PER_DECADE); }
double rs_fit_bin_hi(int k)
{
    return k == FIT_BINS - 1 ? INFINITY : exp(k * LN10 / FIT_PER_DECADE);
}

int rs_fit_bin(double x_s)
{
    if (!(x_s >= 1)) return 0;
    int k = 1 + (int)floor(log10(x_s) * FIT_PER_DECADE);
    return k < FIT_BINS - 1 ? k : FIT_BINS - 1;
}

static const char *const family_names[FIT_N_FAMILIES] = {"exponential", "gamma", "lognormal"};

const char *rs_fit_family_name(int family) { return family >= 0 ? family_names[family] : "none"; }

void rs_fit_handle_add(struct fit_handle_acc *a, double x_s)
{
    a->hist[rs_fit_bin(x_s)]++;
    if (!(x_s > 0)) {
        a->zeros++;
        return;
    }
    double lx = log(x_s), x2 = x_s * x_s;
    a->n++;
    a->sx += x_s;
    a->sx2 += x2;
    a->sx3 += x2 * x_s;
    a->sx4 += x2 * x2;
    a->slx += lx;
    a->slx2 += lx * lx;
}

/* The gamma shape k solving ln k - psi(k) = s (s > 0): Newton's method
 * from the usual closed-form start (Minka 2002), in log k for safety. */
static double gamma_shape(double s)
{
    double k = (3 - s + sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
    for (int it = 0; it < 100; it++) {
        double f = log(k) - gsl_sf_psi(k) - s;
        double df = 1 / k - gsl_sf_psi_1(k);
        double next = k - f / df;
        if (!(next > 0)) next = k / 2;
        if (fabs(next - k) < 1e-12 * k) return next;
        k = next;
    }
    return k;
}

/* The sample's mean and sd with their 95% intervals (normal theory; the
 * sd's from the fourth central moment). */
static void sample_intervals(const struct fit_handle_acc *a, struct fit_handle *h)
{
    double n = a->n, m = a->sx / n;
    double var = n > 1 ? (a->sx2 - n * m * m) / (n - 1) : 0;
    if (var < 0) var = 0;
    double se = sqrt(var / n);
    h->mean_lo = h->mean_s - 1.96 * se;
    h->mean_hi = h->mean_s + 1.96 * se;
    double m4 = (a->sx4 - 4 * m * a->sx3 + 6 * m * m * a->sx2 - 3 * n * m * m * m * m) / n;
    double se_var = sqrt(fmax(m4 - var * var, 0) / n);
    double se_sd = var > 0 ? se_var / (2 * sqrt(var)) : 0;
    h->sd_lo = fmax(h->sd_s - 1.96 * se_sd, 0);
    h->sd_hi = h->sd_s + 1.96 * se_sd;
    if (n < 2) h->mean_lo = h->mean_hi = h->sd_lo = h->sd_hi = NAN;
}

/* Maximum-likelihood parameters of each family from a's statistics. */
struct fam_params {
    double m;            /* exponential mean; gamma mean */
    double mu, sigma;    /* lognormal, of ln x; sigma 0: not fitted */
    double shape, scale; /* gamma; shape 0: not fitted */
};

static void fit_params(const struct fit_handle_acc *a, struct fam_params *p)
{
    double n = a->n, ml = a->slx / n;
    p->m = a->sx / n;
    p->mu = ml;
    p->sigma = sqrt(fmax(a->slx2 / n - ml * ml, 0));
    double s = log(p->m) - ml; /* >= 0 by Jensen; 0 when every x is equal */
    p->shape = s > 1e-12 ? gamma_shape(s) : 0;
    p->scale = p->shape > 0 ? p->m / p->shape : 0;
}

/* The log-likelihood of family f with parameters p on the values whose
 * statistics b holds (-inf when f was not fitted). */
static double loglik(const struct fam_params *p, int f, const struct fit_handle_acc *b)
{
    double n = b->n;
    switch (f) {
    case FIT_EXPONENTIAL:
        return -n * log(p->m) - b->sx / p->m;
    case FIT_GAMMA:
        if (!(p->shape > 0)) return -INFINITY;
        return (p->shape - 1) * b->slx - b->sx / p->scale - n * p->shape * log(p->scale) -
               n * gsl_sf_lngamma(p->shape);
    default: {
        if (!(p->sigma > 0)) return -INFINITY;
        double ss = b->slx2 - 2 * p->mu * b->slx + n * p->mu * p->mu; /* sum (ln x - mu)^2 */
        return -b->slx - n * log(p->sigma) - 0.5 * n * log(2 * 3.14159265358979323846) -
               ss / (2 * p->sigma * p->sigma);
    }
    }
}

void rs_fit_handle_estimate(const struct fit_handle_acc *a, const struct fit_handle_acc *fold,
                            struct fit_handle *h)
{
    memset(h, 0, sizeof *h);
    h->n = a->n;
    h->family = -1;
    if (a->n < 1) return;
    struct fam_params p, pf[2];
    fit_params(a, &p);
    int cv = fold && fold[0].n >= 10 && fold[1].n >= 10;
    if (cv) {
        fit_params(&fold[0], &pf[0]);
        fit_params(&fold[1], &pf[1]);
    }
    static const int params[FIT_N_FAMILIES] = {1, 2, 2};
    h->family = FIT_EXPONENTIAL;
    h->by_holdout = cv;
    for (int f = 0; f < FIT_N_FAMILIES; f++) {
        h->loglik[f] = loglik(&p, f, a);
        h->aic[f] = 2 * params[f] - 2 * h->loglik[f];
        /* each half's fit judged on the other half */
        h->holdout[f] = cv ? loglik(&pf[0], f, &fold[1]) + loglik(&pf[1], f, &fold[0]) : NAN;
        /* a two-parameter family must beat the exponential by more than one
         * unit of held-out log-likelihood: the simpler wins a near tie */
        double margin = f != FIT_EXPONENTIAL && h->family == FIT_EXPONENTIAL ? 1 : 0;
        int better =
            cv ? h->holdout[f] > h->holdout[h->family] + margin : h->aic[f] < h->aic[h->family];
        if (better) h->family = f;
    }
    h->mu = p.mu;
    h->sigma = p.sigma;
    h->shape = p.shape;
    h->scale = p.scale;
    switch (h->family) {
    case FIT_EXPONENTIAL:
        h->mean_s = h->sd_s = p.m;
        break;
    case FIT_GAMMA:
        h->mean_s = p.m;
        h->sd_s = sqrt(p.shape) * p.scale;
        break;
    default:
        h->mean_s = exp(p.mu + p.sigma * p.sigma / 2);
        h->sd_s = h->mean_s * sqrt(expm1(p.sigma * p.sigma));
    }
    sample_intervals(a, h);
}

double rs_fit_handle_pdf(const struct fit_handle *h, double x_s)
{
    switch (h->family) {
    case FIT_EXPONENTIAL:
        return gsl_ran_exponential_pdf(x_s, h->mean_s);
    case FIT_GAMMA:
        return gsl_ran_gamma_pdf(x_s, h->shape, h->scale);
    case FIT_LOGNORMAL:
        return gsl_ran_lognormal_pdf(x_s, h->mu, h->sigma);
    default:
        return NAN;
    }
}

void rs_fit_handle_text(const struct fit_handle *h, char *buf, size_t len)
{
    char mean[48], sd[48];
    rs_units_format_duration(h->mean_s, mean, sizeof mean);
    rs_units_format_duration(h->sd_s, sd, sizeof sd);
    if (h->family == FIT_EXPONENTIAL)
        snprintf(buf, len, "exponential(mean=%s)", mean);
    else
        snprintf(buf, len, "%s(mean=%s, sd=%s)", family_names[h->family], mean, sd);
}

void rs_fit_patience_add(struct fit_patience_acc *a, double t_s, int event, double weight)
{
    if (!(t_s > 0)) t_s = 0;
    int k = rs_fit_bin(t_s);
    a->exposure_s += weight * t_s;
    if (event) {
        a->events += weight;
        a->ev[k] += weight;
    } else {
        a->censored += weight;
        a->cens[k] += weight;
    }
}

/* Kaplan-Meier on the bins, as a life table: those censored within a bin
 * count as at risk for half of it (the actuarial rule; a bin's censorings
 * are spread over it, not all after its withdrawals), against exp(-t / mean) at each bin's upper
 * edge: the largest gap where 100 or more were at risk, and the largest gap in Greenwood standard
 * errors where 20 or more were (the tail of a few is noise). */
static void kaplan_meier(const struct fit_patience_acc *a, struct fit_patience *p)
{
    double at_risk = a->events + a->censored, s = 1;
    p->km_gap = 0;
    p->km_median_s = NAN;
    for (int k = 0; k < FIT_BINS - 1 && at_risk > 0; k++) {
        double before = s, d = a->ev[k], n = at_risk - a->cens[k] / 2;
        if (d > 0) s *= 1 - d / n;
        double t = rs_fit_bin_hi(k);
        if (isnan(p->km_median_s) && s <= 0.5) {
            /* linear within the bin, in log time */
            double lo = k == 0 ? 0 : rs_fit_bin_lo(k);
            double f = before > s ? (before - 0.5) / (before - s) : 1;
            p->km_median_s = lo > 0 ? lo * pow(t / lo, f) : f * t;
        }
        if (at_risk >= 100 && isfinite(p->mean_s))
            p->km_gap = fmax(p->km_gap, fabs(s - exp(-t / p->mean_s)));
        at_risk -= a->ev[k] + a->cens[k];
    }
}

void rs_fit_patience_estimate(const struct fit_patience_acc *a, struct fit_patience *p)
{
    memset(p, 0, sizeof *p);
    p->events = a->events;
    p->n = a->events + a->censored;
    p->mean_s = p->lo = p->hi = NAN;
    if (a->events > 0 && a->exposure_s > 0) {
        double d = a->events, e = a->exposure_s;
        p->mean_s = e / d;
        /* 2 E / mean ~ chi-square with 2 d degrees of freedom */
        p->lo = 2 * e / rs_fit_chisq_quantile(0.975, 2 * d);
        p->hi = 2 * e / rs_fit_chisq_quantile(0.025, 2 * d);
    }
    kaplan_meier(a, p);
}
