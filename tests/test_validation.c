/* test_validation.c: the simulator against queueing theory (docs/scenario-reference.md section 10).
 *
 * Each case builds a one-channel, one-type scenario in code, runs it, and
 * compares the mean over replications of several metrics (docs/scenario-reference.md section 8)
 * with exact values computed here, independently of sim/erlang.c:
 *
 *   M/M/c      Erlang C closed forms (patience never, abandon stay)
 *   M/M/c+M    Erlang A: a birth-death chain (birth lambda, death
 *              min(k,c) mu + (k-c)+ theta) truncated where the tail is below
 *              e^-60 of the mode, plus the phase argument for the wait of an
 *              arrival that finds j waiting (see chain_metrics)
 *   M/M/c/K    the same chain, finite, K = inbox_limit
 *   M/G/1      Pollaczek-Khinchine, E[S] and E[S^2] from the parameters
 *
 * Tolerance rule, the same for every check and never widened by hand:
 *
 *   |mean - exact| <= 4 sd / sqrt(n)  (+ 0.004 |exact| for quantile metrics)
 *
 * where mean, sd and n are across replications (rs_results_get).  The 0.4%
 * is the stated relative error of the log-bucketed quantile histogram.  A
 * further 1e-9 |exact| + 1e-12 absorbs floating-point rounding only (it
 * matters where sd is exactly 0, e.g. response_rate = 1 in M/M/c).  With 30
 * replications a correct simulator exceeds 4 standard errors with
 * probability about 4e-4 per check (Student t, 29 df); seeds are fixed, so a
 * passing run stays passing.
 *
 * Warm-up: at least ~30 relaxation times of the chain (1 / (mu (sqrt(c) -
 * sqrt(a))^2) for M/M/c, which is exact for c = 1), so that the initial
 * transient from an empty system is far below one standard error.
 *
 * Quantiles: each replication's wait_pXX_s is a sample quantile over one
 * window of a correlated process, biased low by O(relaxation / window).
 * Measured with 300 replications (on the engine and on an independent
 * reference simulator) the bias is below 0.3 standard errors of the
 * 30-replication mean for every quantile checked here; wait_p99_s at
 * c = 100 (window of ~90 relaxation times) was 0.9 SE low, so it is not
 * checked there (skip_p99).
 *
 * RS_QUICK (the sanitizer build): the counted arrival window is divided by
 * 8; warm-up and replications are kept, and the tolerances follow the sd.
 * The quantile bias grows 8-fold with that (wait_p99_s at c = 100 came out
 * 6 SE low on both simulators), so quick runs skip the quantile checks;
 * every other check still runs.
 * RS_VALIDATION_VERBOSE: print every comparison. */
#include "replysim/dist.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/scenario.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Exact values                                                         */
/* ------------------------------------------------------------------ */

#define MAX_T 2 /* service-level thresholds checked per case */

struct exact {
    double waited;        /* waited_rate */
    double abandon;       /* abandon_rate */
    double blocked;       /* blocked_rate */
    double response;      /* response_rate */
    double wait_mean;     /* wait_mean_s */
    double frt_mean;      /* frt_mean_s */
    double occupancy;     /* occupancy */
    double queue_mean;    /* queue_mean */
    double within[MAX_T]; /* wait_within_T */
    double sl[MAX_T];     /* sl_T */
    double q[4];          /* wait_p50_s, p90, p95, p99; NaN: not checked */
};

static const double qlevel[4] = {0.50, 0.90, 0.95, 0.99};
static const char *const qname[4] = {"wait_p50_s", "wait_p90_s", "wait_p95_s", "wait_p99_s"};

/* A quantile is checked only where the wait distribution is continuous
 * around it: P(W > 0) >= 1.5 (1 - p), away from the atom at zero. */
static int quantile_checkable(double p_positive, double level)
{
    return p_positive >= 1.5 * (1.0 - level);
}

static void exact_clear(struct exact *e)
{
    e->waited = e->abandon = e->blocked = e->response = NAN;
    e->wait_mean = e->frt_mean = e->occupancy = e->queue_mean = NAN;
    for (int i = 0; i < MAX_T; i++)
        e->within[i] = e->sl[i] = NAN;
    for (int i = 0; i < 4; i++)
        e->q[i] = NAN;
}

/* P(X + S <= t) for independent X ~ Exp(d), S ~ Exp(m). */
static double hypo2_cdf(double d, double m, double t)
{
    if (fabs(d - m) <= 1e-9 * m) return 1.0 - exp(-m * t) * (1.0 + m * t);
    return 1.0 - (d * exp(-m * t) - m * exp(-d * t)) / (d - m);
}

/* Erlang C, M/M/c: a = lambda / mu offered load, rho = a / c < 1.  Erlang B
 * by the stable recursion B(k) = a B(k-1) / (k + a B(k-1)); then
 * C = B / (1 - rho (1 - B)).  The wait is 0 with probability 1 - C, else
 * Exp(delta) with delta = c mu - lambda. */
static double erlang_c(int c, double a)
{
    double b = 1.0;
    for (int k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    double rho = a / c;
    return b / (1.0 - rho * (1.0 - b));
}

static void erlang_c_metrics(int c, double lambda, double mu, const double *T, int nT,
                             struct exact *e)
{
    exact_clear(e);
    double a = lambda / mu, rho = a / c, C = erlang_c(c, a), delta = c * mu - lambda;
    e->waited = C;
    e->abandon = 0.0;
    e->blocked = 0.0;
    e->response = 1.0;
    e->wait_mean = C / delta;
    e->frt_mean = e->wait_mean + 1.0 / mu;
    e->occupancy = rho;
    e->queue_mean = lambda * e->wait_mean;
    for (int i = 0; i < nT; i++) {
        e->within[i] = 1.0 - C * exp(-delta * T[i]);
        e->sl[i] = (1.0 - C) * (1.0 - exp(-mu * T[i])) + C * hypo2_cdf(delta, mu, T[i]);
    }
    for (int i = 0; i < 4; i++)
        if (quantile_checkable(C, qlevel[i])) e->q[i] = log(C / (1.0 - qlevel[i])) / delta;
}

/* A birth-death chain: birth lambda (in states < K when finite), death
 * min(k,c) mu + (k-c)+ theta.  pi[0..top]. */
struct chain {
    int c;
    double lambda, mu, theta;
    int finite; /* 1: K = top is the inbox limit (arrivals there are blocked) */
    int top;
    double *pi;
};

static double death(const struct chain *ch, int k)
{
    return (k < ch->c ? k : ch->c) * ch->mu + (k > ch->c ? k - ch->c : 0) * ch->theta;
}

/* K > 0: finite chain with K states above 0; K == 0: infinite, truncated
 * once beyond c, past the drift point and 60 e-folds (1e-26) below the
 * mode: the mass left out is far below any tolerance. */
static void chain_solve(struct chain *ch, int c, double lambda, double mu, double theta, int K)
{
    enum { CAP = 200000 };
    ch->c = c;
    ch->lambda = lambda;
    ch->mu = mu;
    ch->theta = theta;
    ch->finite = K > 0;
    double *lp = malloc(sizeof *lp * (CAP + 1));
    ck_assert_ptr_nonnull(lp);
    lp[0] = 0.0;
    double lmax = 0.0;
    int k = 0;
    for (;;) {
        if (ch->finite && k == K) break;
        if (!ch->finite && k > c && death(ch, k) > lambda && lp[k] < lmax - 60.0) break;
        ck_assert_msg(k < CAP, "birth-death chain does not converge");
        k++;
        lp[k] = lp[k - 1] + log(lambda) - log(death(ch, k));
        if (lp[k] > lmax) lmax = lp[k];
    }
    ch->top = k;
    ch->pi = malloc(sizeof *ch->pi * (size_t)(k + 1));
    ck_assert_ptr_nonnull(ch->pi);
    double sum = 0.0;
    for (int i = 0; i <= k; i++)
        sum += ch->pi[i] = exp(lp[i] - lmax);
    for (int i = 0; i <= k; i++)
        ch->pi[i] /= sum;
    free(lp);
}

/* Highest number waiting that an admitted arrival can find. */
static int chain_jmax(const struct chain *ch)
{
    return (ch->finite ? ch->top - 1 : ch->top) - ch->c;
}

/* An arrival that finds j waiting (j >= 0, all agents busy) passes phases
 * i = j, j-1, .., 0, where i is the number still ahead of it.  In phase i
 * it moves on at rate r_i = c mu + i theta (a service completion or one of
 * the i ahead abandoning) and abandons itself at rate theta.  By competing
 * exponentials each phase lasts Exp(r_i + theta) whatever its outcome, so
 *   P(taken | j)                = p_j = prod_{i<=j} r_i / (r_i + theta)
 *   E[wait 1{taken} | j]        = p_j sum_{i<=j} 1 / (r_i + theta)
 *   P(taken by t | j)           = p_j P(sum_{i<=j} Exp(r_i + theta) <= t)
 * and after it is taken the handle adds one Exp(mu) phase.
 *
 * phase_cdf fills h[j] = P(taken by t | j) and g[j] = P(answered by t | j)
 * for j = 0..J, and *g_free = P(answered by t | an agent was free), by
 * uniformization of the absorbing chain of phases. */
static void phase_cdf(const struct chain *ch, double t, double *h, double *g, double *g_free)
{
    int J = chain_jmax(ch);
    int n_st = J + 2; /* index 0: handle phase; s = i + 1: queue phase i */
    double L = ch->mu;
    for (int i = 0; i <= J; i++) {
        double r = ch->c * ch->mu + i * ch->theta + ch->theta;
        if (r > L) L = r;
    }
    size_t n_cells = (size_t)n_st;
    double *hf = calloc(n_cells, sizeof *hf), *hn = calloc(n_cells, sizeof *hn);
    double *gf = calloc(n_cells, sizeof *gf), *gn = calloc(n_cells, sizeof *gn);
    double *ha = calloc(n_cells, sizeof *ha), *ga = calloc(n_cells, sizeof *ga);
    ck_assert(hf && hn && gf && gn && ha && ga);
    /* f_n(s): P(target reached within n uniformized steps from s).  Target
     * of h: the handle phase (s = 0); of g: done after the handle phase. */
    hf[0] = 1.0;
    double x = L * t;
    int nmax = (int)(x + 12.0 * sqrt(x) + 60.0);
    for (int n = 0; n <= nmax; n++) {
        double w = exp(-x + n * log(x) - lgamma(n + 1.0)); /* Poisson(n; x) */
        if (x == 0.0) w = n == 0 ? 1.0 : 0.0;
        for (int s = 0; s < n_st; s++) {
            ha[s] += w * hf[s];
            ga[s] += w * gf[s];
        }
        /* one uniformized step */
        hn[0] = 1.0;
        gn[0] = ch->mu / L + (1.0 - ch->mu / L) * gf[0];
        for (int s = 1; s < n_st; s++) {
            double r = ch->c * ch->mu + (s - 1) * ch->theta;
            double move = r / L, stay = 1.0 - (r + ch->theta) / L;
            hn[s] = move * hf[s - 1] + stay * hf[s];
            gn[s] = move * gf[s - 1] + stay * gf[s];
        }
        double *tmp = hf;
        hf = hn;
        hn = tmp;
        tmp = gf;
        gf = gn;
        gn = tmp;
    }
    *g_free = ga[0];
    for (int j = 0; j <= J; j++) {
        h[j] = ha[j + 1];
        g[j] = ga[j + 1];
    }
    free(hf);
    free(hn);
    free(gf);
    free(gn);
    free(ha);
    free(ga);
}

/* Shares over admitted arrivals (PASTA): taken and answered within t. */
static void chain_within(const struct chain *ch, double t, double *within, double *sl)
{
    int J = chain_jmax(ch), c = ch->c;
    double adm = ch->finite ? 1.0 - ch->pi[ch->top] : 1.0;
    double *h = malloc(sizeof *h * (size_t)(J + 1)), *g = malloc(sizeof *g * (size_t)(J + 1)),
           g_free;
    ck_assert(h && g);
    phase_cdf(ch, t, h, g, &g_free);
    double w = 0.0, s = 0.0;
    for (int k = 0; k < c && k <= ch->top; k++) {
        w += ch->pi[k];
        s += ch->pi[k] * g_free;
    }
    for (int j = 0; j <= J; j++) {
        w += ch->pi[c + j] * h[j];
        s += ch->pi[c + j] * g[j];
    }
    free(h);
    free(g);
    *within = w / adm;
    *sl = s / adm;
}

/* Every metric of an M/M/c+M or M/M/c/K case.  Returns P(taken) over
 * admitted arrivals computed from the phases, which must agree with
 * 1 - abandon computed from the flow balance theta E[queue] = lambda_adm
 * P(abandon) (checked by the caller). */
static double chain_metrics(const struct chain *ch, const double *T, int nT, struct exact *e)
{
    exact_clear(e);
    int c = ch->c, J = chain_jmax(ch);
    double adm = ch->finite ? 1.0 - ch->pi[ch->top] : 1.0;
    double lq = 0.0, busy = 0.0, waited = 0.0;
    for (int k = 0; k <= ch->top; k++) {
        lq += (k > c ? k - c : 0) * ch->pi[k];
        busy += (k < c ? k : c) * ch->pi[k];
    }
    for (int j = 0; j <= J; j++)
        waited += ch->pi[c + j];
    double taken = 0.0, wsum = 0.0;
    for (int k = 0; k < c && k <= ch->top; k++)
        taken += ch->pi[k];
    double p = 1.0, S = 0.0;
    for (int j = 0; j <= J; j++) {
        double r = c * ch->mu + j * ch->theta;
        p *= r / (r + ch->theta);
        S += 1.0 / (r + ch->theta);
        taken += ch->pi[c + j] * p;
        wsum += ch->pi[c + j] * p * S;
    }
    taken /= adm;
    e->waited = waited / adm;
    e->blocked = ch->finite ? ch->pi[ch->top] : 0.0;
    e->abandon = ch->theta * lq / (ch->lambda * adm);
    e->response = taken;
    e->wait_mean = wsum / adm / taken;
    e->frt_mean = e->wait_mean + 1.0 / ch->mu;
    e->occupancy = busy / c;
    e->queue_mean = lq;
    for (int i = 0; i < nT; i++)
        chain_within(ch, T[i], &e->within[i], &e->sl[i]);
    /* Quantiles of the wait over taken messages, by bisection on
     * P(W <= t | taken) = within(t) / taken. */
    double p_zero = 0.0;
    for (int k = 0; k < c && k <= ch->top; k++)
        p_zero += ch->pi[k];
    p_zero /= adm * taken;
    for (int i = 0; i < 4; i++) {
        if (!quantile_checkable(1.0 - p_zero, qlevel[i])) continue;
        double lo = 0.0, hi = 1.0 / ch->mu, w, s;
        for (;;) {
            chain_within(ch, hi, &w, &s);
            if (w / taken >= qlevel[i]) break;
            lo = hi;
            hi *= 2.0;
        }
        while (hi - lo > 1e-9 * hi) {
            double mid = 0.5 * (lo + hi);
            chain_within(ch, mid, &w, &s);
            if (w / taken >= qlevel[i])
                hi = mid;
            else
                lo = mid;
        }
        e->q[i] = 0.5 * (lo + hi);
    }
    return taken;
}

/* M/G/1 by Pollaczek-Khinchine: W = lambda E[S^2] / (2 (1 - rho)),
 * P(wait) = rho (PASTA: the server is busy a share rho of the time). */
static void mg1_metrics(double lambda, double es, double es2, struct exact *e)
{
    exact_clear(e);
    double rho = lambda * es;
    e->waited = rho;
    e->abandon = 0.0;
    e->blocked = 0.0;
    e->response = 1.0;
    e->wait_mean = lambda * es2 / (2.0 * (1.0 - rho));
    e->frt_mean = e->wait_mean + es;
    e->occupancy = rho;
    e->queue_mean = lambda * e->wait_mean;
}

/* ------------------------------------------------------------------ */
/* The cases                                                            */
/* ------------------------------------------------------------------ */

enum model { ERLANG_C, ERLANG_A, MMCK, MG1 };
enum handle_kind { H_EXP, H_CONST, H_LOGNORMAL, H_GAMMA };

struct vcase {
    const char *name;
    enum model model;
    int c;                   /* agents */
    double rho;              /* lambda / (c mu) */
    enum handle_kind handle; /* distribution of the handle time */
    double h1, h2;           /* mean (s) [, sd (s)]; gamma: shape, scale (s) */
    double patience_s;       /* exponential mean; 0: never */
    long K;                  /* inbox_limit; 0: none */
    double warmup_handles;   /* warm-up in mean handle times */
    double arrivals;         /* counted arrivals, all replications together */
    int reps;
    double T[MAX_T]; /* thresholds of wait_within_T and sl_T (0: none) */
    const char *label[MAX_T];
    int skip_p99; /* 1: wait_p99_s not checked (see the top) */
};

/* Relaxation times (mean handle times) behind the warm-ups: M/M/1 rho .5:
 * 12, rho .9: 380; M/M/5 rho .8: 18; M/M/20 rho .9: 19; M/M/100 rho .95:
 * 16; M/G/1 rho .85 about 170 at most (M/M/1); with abandonment or a finite
 * inbox the chain relaxes within a few 1 / min(mu, theta). */
static const struct vcase cases[] = {
    /* M/M/c, Erlang C */
    {"mm1_rho50", ERLANG_C, 1, 0.50, H_EXP, 60, 0, 0, 0, 500, 3e6, 30, {30, 120}, {"30s", "2m"}, 0},
    {"mm1_rho90",
     ERLANG_C,
     1,
     0.90,
     H_EXP,
     60,
     0,
     0,
     0,
     15000,
     6e6,
     30,
     {60, 300},
     {"1m", "5m"},
     0},
    {"mm5_rho80", ERLANG_C, 5, 0.80, H_EXP, 60, 0, 0, 0, 1000, 3e6, 30, {30, 60}, {"30s", "1m"}, 0},
    {"mm20_rho90",
     ERLANG_C,
     20,
     0.90,
     H_EXP,
     60,
     0,
     0,
     0,
     1000,
     3e6,
     30,
     {15, 60},
     {"15s", "1m"},
     0},
    {"mm100_rho95",
     ERLANG_C,
     100,
     0.95,
     H_EXP,
     60,
     0,
     0,
     0,
     600,
     4e6,
     30,
     {15, 30},
     {"15s", "30s"},
     1},
    /* M/M/c+M, Erlang A, abandon = leave */
    {"mm1m_rho80",
     ERLANG_A,
     1,
     0.80,
     H_EXP,
     60,
     0,
     120,
     0,
     500,
     3e6,
     30,
     {60, 300},
     {"1m", "5m"},
     0},
    {"mm10m_rho120",
     ERLANG_A,
     10,
     1.20,
     H_EXP,
     60,
     0,
     60,
     0,
     300,
     2e6,
     30,
     {30, 60},
     {"30s", "1m"},
     0},
    /* the benchmark model: 9.5/min, 5-minute handle, 10-minute patience */
    {"mm50m_bench",
     ERLANG_A,
     50,
     0.95,
     H_EXP,
     300,
     0,
     600,
     0,
     500,
     3e6,
     30,
     {60, 300},
     {"1m", "5m"},
     0},
    {"mm100m_rho100",
     ERLANG_A,
     100,
     1.00,
     H_EXP,
     60,
     0,
     120,
     0,
     500,
     3e6,
     30,
     {15, 60},
     {"15s", "1m"},
     0},
    /* M/M/c/K, inbox_limit = K */
    {"mm1k5_rho150", MMCK, 1, 1.50, H_EXP, 60, 0, 0, 5, 200, 1.5e6, 30, {60, 300}, {"1m", "5m"}, 0},
    {"mm3k10_rho90",
     MMCK,
     3,
     0.90,
     H_EXP,
     60,
     0,
     0,
     10,
     300,
     1.5e6,
     30,
     {30, 120},
     {"30s", "2m"},
     0},
    /* M/D/1 and M/G/1, Pollaczek-Khinchine */
    {"md1_rho50", MG1, 1, 0.50, H_CONST, 60, 0, 0, 0, 1000, 2e6, 30, {0, 0}, {NULL, NULL}, 0},
    {"md1_rho85", MG1, 1, 0.85, H_CONST, 60, 0, 0, 0, 6000, 3e6, 30, {0, 0}, {NULL, NULL}, 0},
    {"mg1_lognormal_rho50",
     MG1,
     1,
     0.50,
     H_LOGNORMAL,
     60,
     90,
     0,
     0,
     2000,
     2e6,
     30,
     {0, 0},
     {NULL, NULL},
     0},
    {"mg1_lognormal_rho85",
     MG1,
     1,
     0.85,
     H_LOGNORMAL,
     60,
     60,
     0,
     0,
     8000,
     4e6,
     30,
     {0, 0},
     {NULL, NULL},
     0},
    {"mg1_gamma_rho85", MG1, 1, 0.85, H_GAMMA, 2, 30, 0, 0, 6000, 3e6, 30, {0, 0}, {NULL, NULL}, 0},
};
#define N_CASES ((int)(sizeof cases / sizeof cases[0]))

static int n_thresholds(const struct vcase *vc)
{
    int n = 0;
    while (n < MAX_T && vc->T[n] > 0)
        n++;
    return n;
}

/* Handle-time moments from the parameters: E[S], E[S^2]. */
static void handle_moments(const struct vcase *vc, double *es, double *es2)
{
    switch (vc->handle) {
    case H_EXP:
        *es = vc->h1;
        *es2 = 2.0 * vc->h1 * vc->h1;
        break;
    case H_CONST:
        *es = vc->h1;
        *es2 = vc->h1 * vc->h1;
        break;
    case H_LOGNORMAL: /* parameterised by mean and sd */
        *es = vc->h1;
        *es2 = vc->h2 * vc->h2 + vc->h1 * vc->h1;
        break;
    case H_GAMMA: /* shape k, scale s: k s and k (k + 1) s^2 */
        *es = vc->h1 * vc->h2;
        *es2 = vc->h1 * (vc->h1 + 1.0) * vc->h2 * vc->h2;
        break;
    }
}

static struct rs_dist handle_dist(const struct vcase *vc)
{
    struct rs_dist d;
    char text[128], why[256];
    switch (vc->handle) {
    case H_EXP:
        return rs_dist_exponential(vc->h1);
    case H_CONST:
        return rs_dist_const(vc->h1);
    case H_LOGNORMAL:
        snprintf(text, sizeof text, "lognormal(mean=%gs, sd=%gs)", vc->h1, vc->h2);
        break;
    case H_GAMMA:
        snprintf(text, sizeof text, "gamma(shape=%g, scale=%gs)", vc->h1, vc->h2);
        break;
    }
    int rc = rs_dist_parse(text, RS_DIST_DURATION, 0, &d, why, sizeof why);
    ck_assert_msg(rc == RS_OK, "%s: %s", text, why);
    return d;
}

static double lambda_of(const struct vcase *vc)
{
    double es, es2;
    handle_moments(vc, &es, &es2);
    return vc->rho * vc->c / es;
}

static void case_exact(const struct vcase *vc, struct exact *e)
{
    double es, es2, lambda = lambda_of(vc);
    handle_moments(vc, &es, &es2);
    int nT = n_thresholds(vc);
    struct chain ch;
    switch (vc->model) {
    case ERLANG_C:
        erlang_c_metrics(vc->c, lambda, 1.0 / es, vc->T, nT, e);
        break;
    case ERLANG_A:
    case MMCK: {
        double theta = vc->patience_s > 0 ? 1.0 / vc->patience_s : 0.0;
        chain_solve(&ch, vc->c, lambda, 1.0 / es, theta, (int)vc->K);
        double taken = chain_metrics(&ch, vc->T, nT, e);
        ck_assert_msg(fabs(taken + e->abandon - 1.0) < 1e-9,
                      "%s: exact values disagree: P(taken) %.12g + P(abandon) %.12g != 1", vc->name,
                      taken, e->abandon);
        free(ch.pi);
        break;
    }
    case MG1:
        mg1_metrics(lambda, es, es2, e);
        break;
    }
}

static struct rs_scenario *case_scenario(const struct vcase *vc, double window_scale)
{
    struct rs_scenario *sc = calloc(1, sizeof *sc);
    ck_assert_ptr_nonnull(sc);
    rs_scenario_defaults(sc);
    double es, es2, lambda = lambda_of(vc);
    handle_moments(vc, &es, &es2);
    snprintf(sc->name, sizeof sc->name, "%s", vc->name);
    sc->warmup_s = vc->warmup_handles * es;
    sc->horizon_s = sc->warmup_s + vc->arrivals * window_scale / vc->reps / lambda;
    sc->interval_s = sc->horizon_s; /* one statistics interval: none are checked */
    sc->replications = vc->reps;
    sc->seed = 20240601u + (uint64_t)(vc - cases);
    int nT = n_thresholds(vc);
    if (nT > 0) {
        sc->n_within = nT;
        for (int i = 0; i < nT; i++)
            sc->within_s[i] = vc->T[i];
    }
    sc->n_channels = 1;
    snprintf(sc->channels[0].name, sizeof sc->channels[0].name, "inbox");
    sc->channels[0].visibility = RS_PUBLIC;
    sc->channels[0].rate_per_s = lambda;
    sc->channels[0].mix[0] = 1.0;
    sc->n_types = 1;
    snprintf(sc->types[0].name, sizeof sc->types[0].name, "message");
    sc->types[0].needs_reply = 1;
    sc->types[0].handle = handle_dist(vc);
    sc->types[0].patience =
        vc->patience_s > 0 ? rs_dist_exponential(vc->patience_s) : rs_dist_never();
    sc->agents = vc->c;
    snprintf(sc->order, sizeof sc->order, "fifo");
    sc->abandon = vc->model == ERLANG_A ? RS_ABANDON_LEAVE : RS_ABANDON_STAY;
    sc->inbox_limit = vc->K;
    return sc;
}

/* ------------------------------------------------------------------ */
/* Comparison                                                           */
/* ------------------------------------------------------------------ */

struct verdict {
    const struct vcase *vc;
    const struct rs_results *res;
    int checks, failures;
    int verbose;
    char first[512]; /* the first failure, for the assertion message */
};

static void compare(struct verdict *v, const char *metric, double exact, int quantile)
{
    if (isnan(exact)) return;
    struct rs_summary s;
    char line[512];
    v->checks++;
    if (rs_results_get(v->res, metric, "all", &s) != RS_OK) {
        snprintf(line, sizeof line, "%s: metric %s missing", v->vc->name, metric);
    } else {
        double se = s.sd / sqrt(s.n);
        double tol = 4.0 * se + (quantile ? 0.004 * fabs(exact) : 0.0) + 1e-9 * fabs(exact) + 1e-12;
        double z = se > 0 ? (s.mean - exact) / se : 0.0;
        int ok = s.n == v->vc->reps && !isnan(s.mean) && fabs(s.mean - exact) <= tol;
        snprintf(line, sizeof line,
                 "%s: %-18s exact %-12.6g mean %-12.6g sd %-10.4g n %2d  tol %-10.4g z %+.2f%s",
                 v->vc->name, metric, exact, s.mean, s.sd, s.n, tol, z, ok ? "" : "  FAIL");
        if (ok) {
            if (v->verbose) fprintf(stderr, "%s\n", line);
            return;
        }
    }
    fprintf(stderr, "%s\n", line);
    if (v->failures++ == 0) snprintf(v->first, sizeof v->first, "%s", line);
}

static int threads_to_use(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

START_TEST(queueing_case)
{
    const struct vcase *vc = &cases[_i];
    int quick = getenv("RS_QUICK") != NULL;
    double scale = quick ? 1.0 / 8.0 : 1.0;
    struct exact e;
    case_exact(vc, &e);

    struct rs_scenario *sc = case_scenario(vc, scale);
    struct rs_error err;
    char msg[1024];
    memset(&err, 0, sizeof err);
    int rc = rs_scenario_check(sc, &err);
    rs_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s: scenario rejected: %s", vc->name, msg);

    struct rs_run_opts opts = {
        .replications = vc->reps, .seed = sc->seed, .threads = threads_to_use()};
    struct rs_results *res = NULL;
    rc = rs_experiment_run(sc, &opts, &res, &err);
    rs_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s: run failed: %s", vc->name, msg);

    struct verdict v = {vc, res, 0, 0, getenv("RS_VALIDATION_VERBOSE") != NULL, ""};
    compare(&v, "waited_rate", e.waited, 0);
    compare(&v, "abandon_rate", e.abandon, 0);
    compare(&v, "blocked_rate", e.blocked, 0);
    compare(&v, "response_rate", e.response, 0);
    compare(&v, "wait_mean_s", e.wait_mean, 0);
    compare(&v, "frt_mean_s", e.frt_mean, 0);
    compare(&v, "occupancy", e.occupancy, 0);
    compare(&v, "queue_mean", e.queue_mean, 0);
    for (int i = 0; i < n_thresholds(vc); i++) {
        char name[64];
        snprintf(name, sizeof name, "wait_within_%s", vc->label[i]);
        compare(&v, name, e.within[i], 0);
        snprintf(name, sizeof name, "sl_%s", vc->label[i]);
        compare(&v, name, e.sl[i], 0);
    }
    for (int i = 0; i < 4 && !quick; i++)
        if (!(i == 3 && vc->skip_p99)) compare(&v, qname[i], e.q[i], 1);

    rs_results_destroy(res);
    free(sc);
    ck_assert_msg(v.failures == 0, "%d of %d checks failed; first: %s", v.failures, v.checks,
                  v.first);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The exact values checked against each other and known numbers      */
/* ------------------------------------------------------------------ */

static int close_rel(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + 1e-15;
}

START_TEST(exact_anchors)
{
    /* M/M/3 with a = 2: P0 = 1/9, C = 4/9 (by hand). */
    ck_assert(close_rel(erlang_c(3, 2.0), 4.0 / 9.0, 1e-12));
    /* M/M/1: C = rho. */
    ck_assert(close_rel(erlang_c(1, 0.7), 0.7, 1e-12));

    /* Erlang A with theta = mu: every message leaves at rate mu whether
     * waiting or handled, so the number present is Poisson(a) (M/M/inf). */
    struct chain ch;
    double mu = 1.0 / 60, a = 12.0;
    chain_solve(&ch, 10, a * mu, mu, mu, 0);
    double pk = exp(-a), tail = 0.0;
    for (int k = 0; k <= ch.top; k++) {
        ck_assert_msg(close_rel(ch.pi[k], pk, 1e-9) || pk < 1e-250, "pi[%d] %g vs %g", k, ch.pi[k],
                      pk);
        if (k >= 10) tail += ch.pi[k];
        pk *= a / (k + 1);
    }
    struct exact e;
    double T[1] = {60};
    double taken = chain_metrics(&ch, T, 1, &e);
    ck_assert(close_rel(e.waited, tail, 1e-12));
    ck_assert(close_rel(taken + e.abandon, 1.0, 1e-12));
    free(ch.pi);
}
END_TEST

/* The chain with theta = 0 reproduces every Erlang C closed form, and the
 * M/M/c/K chain obeys Little's law for the wait. */
START_TEST(exact_chain_matches_erlang_c)
{
    const struct vcase *vc = &cases[_i];
    if (vc->model != ERLANG_C) return;
    double mu = 1.0 / vc->h1, lambda = lambda_of(vc);
    int nT = n_thresholds(vc);
    struct exact closed, chained;
    erlang_c_metrics(vc->c, lambda, mu, vc->T, nT, &closed);
    struct chain ch;
    chain_solve(&ch, vc->c, lambda, mu, 0.0, 0);
    chain_metrics(&ch, vc->T, nT, &chained);
    free(ch.pi);
    ck_assert(close_rel(closed.waited, chained.waited, 1e-9));
    ck_assert(close_rel(closed.wait_mean, chained.wait_mean, 1e-9));
    ck_assert(close_rel(closed.queue_mean, chained.queue_mean, 1e-9));
    ck_assert(close_rel(closed.occupancy, chained.occupancy, 1e-9));
    ck_assert(close_rel(closed.response, chained.response, 1e-9));
    for (int i = 0; i < nT; i++) {
        ck_assert_msg(close_rel(closed.within[i], chained.within[i], 1e-9), "within %g vs %g",
                      closed.within[i], chained.within[i]);
        ck_assert_msg(close_rel(closed.sl[i], chained.sl[i], 1e-9), "sl %g vs %g", closed.sl[i],
                      chained.sl[i]);
    }
    for (int i = 0; i < 4; i++) {
        ck_assert(isnan(closed.q[i]) == isnan(chained.q[i]));
        if (!isnan(closed.q[i]))
            ck_assert_msg(close_rel(closed.q[i], chained.q[i], 1e-7), "q %g vs %g", closed.q[i],
                          chained.q[i]);
    }
}
END_TEST

START_TEST(exact_mmck_little)
{
    struct chain ch;
    double mu = 1.0 / 60;
    chain_solve(&ch, 3, 2.7 * mu, mu, 0.0, 10);
    struct exact e;
    double T[1] = {60};
    chain_metrics(&ch, T, 1, &e);
    double adm = 1.0 - ch.pi[10];
    ck_assert(close_rel(e.wait_mean, e.queue_mean / (ch.lambda * adm), 1e-12));
    ck_assert(close_rel(e.occupancy * 3 * mu, ch.lambda * adm, 1e-12)); /* throughput */
    ck_assert(close_rel(e.response, 1.0, 1e-12));
    free(ch.pi);
}
END_TEST

Suite *rs_test_validation_suite(void);
Suite *rs_test_validation_suite(void)
{
    Suite *s = suite_create("validation");
    TCase *tx = tcase_create("exact");
    tcase_add_test(tx, exact_anchors);
    tcase_add_loop_test(tx, exact_chain_matches_erlang_c, 0, N_CASES);
    tcase_add_test(tx, exact_mmck_little);
    suite_add_tcase(s, tx);
    TCase *tc = tcase_create("queueing");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, queueing_case, 0, N_CASES);
    suite_add_tcase(s, tc);
    return s;
}
