/* test_erlang.c: Erlang B, C and A against published values, closed forms
 * derived by hand, the Mandelbaum-Zeltyn formulas, a small simulation and
 * limiting cases.  No expected value here was produced by sim/erlang.c. */
#include "cmd.h"
#include "replysim/erlang.h"
#include "replysim/error.h"

#include <check.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct rs_erlang_out compute(double rate, double handle, double patience, int agents,
                                    double within)
{
    struct rs_erlang_in in = {rate, handle, patience, agents, within};
    struct rs_erlang_out out;
    char why[256] = "";
    int rc = rs_erlang_compute(&in, &out, why, sizeof why);
    ck_assert_msg(rc == RS_OK, "rs_erlang_compute failed: %s", why);
    return out;
}

/* Erlang B by its definition, through GSL's Poisson pmf and cdf: a route
 * independent of the recursion under test. */
static double erlang_b_direct(int n, double a)
{
    return gsl_ran_poisson_pdf((unsigned)n, a) / gsl_cdf_poisson_P((unsigned)n, a);
}

START_TEST(erlang_b_published)
{
    /* Wolfram Language docs, ErlangB, "a modem pool of four modems offered
     * 2 Erlangs": by hand (2^4/4!) / (1 + 2 + 2 + 4/3 + 2/3) = 2/21. */
    ck_assert_double_eq_tol(rs_erlang_b(4, 2.0), 2.0 / 21.0, 1e-15);
    /* Scribd "GOS problem": five trunks offered 2 E, GOS = 0.037
     * (= (32/120) / 7.2667 by hand). */
    ck_assert_double_eq_tol(rs_erlang_b(5, 2.0), 0.037, 5e-4);
    ck_assert_double_eq_tol(rs_erlang_b(5, 2.0), (32.0 / 120.0) / (109.0 / 15.0), 1e-15);
    /* erlang.com calculator manual, "How much traffic can a trunk group
     * handle": 15 lines at 1% blocking carry 8.108 Erlangs. */
    ck_assert_double_eq_tol(rs_erlang_b(15, 8.108), 0.01, 2e-5);
    /* Standard Erlang B tables: 10 servers, 5 Erlangs -> 0.01838. */
    ck_assert_double_eq_tol(rs_erlang_b(10, 5.0), 0.01838, 1e-5);
    /* Wolfram Language docs, ErlangB: 30 lines, 25 Erlangs, "approximately 0.05". */
    ck_assert_double_eq_tol(rs_erlang_b(30, 25.0), 0.05, 5e-3);
    /* one server: a / (1 + a); no server: everyone is blocked */
    ck_assert_double_eq_tol(rs_erlang_b(1, 3.0), 0.75, 1e-15);
    ck_assert_double_eq(rs_erlang_b(0, 3.0), 1.0);
}
END_TEST

START_TEST(erlang_b_matches_definition)
{
    static const struct {
        int n;
        double a;
    } cases[] = {{1, 0.5}, {3, 2.0}, {20, 15.0}, {50, 47.5}, {100, 80.0}, {150, 160.0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double want = erlang_b_direct(cases[i].n, cases[i].a);
        ck_assert_double_eq_tol(rs_erlang_b(cases[i].n, cases[i].a), want, 1e-12 * want + 1e-300);
    }
    /* far beyond factorial overflow the recursion stays finite */
    double big = rs_erlang_b(20000, 19000.0);
    ck_assert(big > 0 && big < 1);
    ck_assert(rs_erlang_b(1000, 1.0) >= 0);
}
END_TEST

START_TEST(erlang_c_published)
{
    /* R package ErlangC 0.1.0 README (CRAN): 100 calls per 30 minutes,
     * 180 s handle, 14 agents, 20 s target: wait_probability 0.1741319,
     * service_level 0.88835, average_speed_of_answer 7.83593701177724 s,
     * occupancy 0.7142857. */
    struct rs_erlang_out o = compute(100.0 / 1800.0, 180.0, INFINITY, 14, 20.0);
    ck_assert_double_eq_tol(o.load_erl, 10.0, 1e-12);
    ck_assert_double_eq_tol(o.p_wait, 0.1741319, 1e-7);
    ck_assert_double_eq_tol(rs_erlang_c(14, 10.0), 0.1741319, 1e-7);
    ck_assert_double_eq_tol(o.service_level, 0.88835, 1e-5);
    ck_assert_double_eq_tol(o.wait_mean_s, 7.83593701177724, 1e-6);
    ck_assert_double_eq_tol(o.wait_mean_served_s, 7.83593701177724, 1e-6);
    ck_assert_double_eq_tol(o.occupancy, 0.7142857, 1e-7);
    ck_assert_double_eq(o.p_abandon, 0.0);
    ck_assert_int_eq(o.stable, 1);
}
END_TEST

START_TEST(erlang_c_one_and_two_servers)
{
    /* M/M/1: P(wait) = rho, Wq = rho / (mu - lambda), Lq = rho^2 / (1 - rho),
     * P(Wq <= T) = 1 - rho exp(-(mu - lambda) T). */
    double lambda = 0.3, mu = 0.5, rho = lambda / mu;
    struct rs_erlang_out o = compute(lambda, 1.0 / mu, INFINITY, 1, 4.0);
    ck_assert_double_eq_tol(o.p_wait, rho, 1e-14);
    ck_assert_double_eq_tol(o.wait_mean_s, rho / (mu - lambda), 1e-12);
    ck_assert_double_eq_tol(o.queue_mean, rho * rho / (1 - rho), 1e-12);
    ck_assert_double_eq_tol(o.service_level, 1 - rho * exp(-(mu - lambda) * 4.0), 1e-14);
    ck_assert_double_eq_tol(o.p_block_b, rho / (1 + rho), 1e-14);
    /* M/M/2 with r = lambda / (2 mu): P(wait) = 2 r^2 / (1 + r),
     * Lq = 2 r^3 / (1 - r^2). */
    lambda = 1.5, mu = 1.0;
    double r = lambda / (2 * mu);
    o = compute(lambda, 1.0 / mu, INFINITY, 2, 0.0);
    ck_assert_double_eq_tol(o.p_wait, 2 * r * r / (1 + r), 1e-14);
    ck_assert_double_eq_tol(o.queue_mean, 2 * r * r * r / (1 - r * r), 1e-12);
    ck_assert_double_eq_tol(o.wait_mean_s, o.queue_mean / lambda, 1e-12);
    ck_assert_double_eq_tol(o.service_level, 1 - o.p_wait, 1e-14);
    ck_assert_double_eq_tol(o.occupancy, r, 1e-14);
}
END_TEST

START_TEST(erlang_c_unstable)
{
    struct rs_erlang_out o = compute(1.0, 5.0, INFINITY, 5, 60.0);
    ck_assert_int_eq(o.stable, 0);
    ck_assert_double_eq(o.p_wait, 1.0);
    ck_assert(isinf(o.wait_mean_s) && isinf(o.wait_mean_served_s) && isinf(o.queue_mean));
    ck_assert_double_eq(o.service_level, 0.0);
    ck_assert_double_eq(o.occupancy, 1.0);
    ck_assert_double_eq(rs_erlang_c(5, 7.0), 1.0);
    /* Erlang B still makes sense in overload */
    ck_assert_double_eq_tol(o.p_block_b, erlang_b_direct(5, 5.0), 1e-14);
}
END_TEST

/* Mandelbaum & Zeltyn, "Service engineering in action: the Palm/Erlang-A
 * queue" (2007), with x = n mu / theta, y = lambda / theta,
 * A(x, y) = x e^y y^-x gamma(x, y), B = Erlang B:
 *   P(W > 0) = A B / (1 + (A - 1) B)
 *   P(Ab | W > 0) = 1 / (rho A) + 1 - 1 / rho,  rho = lambda / (n mu)
 *   E[W] = P(Ab) / theta. */
static void mz_erlang_a(double lambda, double mu, double theta, int n, double *p_wait, double *p_ab,
                        double *wait)
{
    double x = n * mu / theta, y = lambda / theta, rho = lambda / (n * mu);
    double log_a = log(x) + y - x * log(y) + gsl_sf_lngamma(x) + log(gsl_sf_gamma_inc_P(x, y));
    double big_a = exp(log_a), b = erlang_b_direct(n, lambda / mu);
    *p_wait = big_a * b / (1 + (big_a - 1) * b);
    *p_ab = *p_wait * (1 / (rho * big_a) + 1 - 1 / rho);
    *wait = *p_ab / theta;
}

START_TEST(erlang_a_mandelbaum_zeltyn)
{
    static const struct {
        double lambda, mu, theta;
        int n;
    } cases[] = {
        {9.5 / 60, 1.0 / 300, 1.0 / 600,
         50}, /* the benchmark model (docs/scenario-reference.md section 10) */
        {9.5 / 60, 1.0 / 300, 1.0 / 600, 45}, /* overloaded */
        {2.0, 1.0, 0.5, 3},
        {1.0, 1.0, 2.0, 1},
        {100.0, 1.0, 0.1, 95},
        {30.0, 1.0, 3.0, 40},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double pw, pab, w;
        mz_erlang_a(cases[i].lambda, cases[i].mu, cases[i].theta, cases[i].n, &pw, &pab, &w);
        struct rs_erlang_out o =
            compute(cases[i].lambda, 1 / cases[i].mu, 1 / cases[i].theta, cases[i].n, 60.0);
        ck_assert_double_eq_tol(o.p_wait, pw, 1e-9 * pw + 1e-13);
        ck_assert_double_eq_tol(o.p_abandon, pab, 1e-9 * pab + 1e-13);
        ck_assert_double_eq_tol(o.wait_mean_s, w, 1e-9 * w + 1e-13);
        ck_assert_int_eq(o.stable, 1);
        /* flow balance: served work = busy agents */
        ck_assert_double_eq_tol(o.occupancy * cases[i].n * cases[i].mu,
                                cases[i].lambda * (1 - o.p_abandon), 1e-10 * cases[i].lambda);
    }
}
END_TEST

START_TEST(erlang_a_patience_equals_handle)
{
    /* theta = mu makes every customer in the system leave at rate mu, so the
     * number present is that of M/M/inf: Poisson(a). */
    double lambda = 7.0, mu = 0.5, a = lambda / mu;
    int n = 12;
    struct rs_erlang_out o = compute(lambda, 1 / mu, 1 / mu, n, 1.0);
    double excess = 0.0; /* E[(K - n)+] */
    for (unsigned k = (unsigned)n + 1; k < 400; k++)
        excess += (double)(k - (unsigned)n) * gsl_ran_poisson_pdf(k, a);
    ck_assert_double_eq_tol(o.p_wait, gsl_cdf_poisson_Q((unsigned)n - 1, a), 1e-12);
    ck_assert_double_eq_tol(o.queue_mean, excess, 1e-11);
    ck_assert_double_eq_tol(o.occupancy, (a - excess) / n, 1e-12);
    ck_assert_double_eq_tol(o.p_abandon, mu * excess / lambda, 1e-12);
}
END_TEST

START_TEST(erlang_a_tends_to_erlang_c)
{
    /* the R ErlangC example again, with patience far beyond any wait */
    struct rs_erlang_out o = compute(100.0 / 1800.0, 180.0, 1e9, 14, 20.0);
    ck_assert_double_eq_tol(o.p_wait, 0.1741319, 1e-6);
    ck_assert_double_eq_tol(o.service_level, 0.88835, 1e-5);
    ck_assert_double_eq_tol(o.wait_mean_s, 7.83593701177724, 1e-5);
    ck_assert_double_eq_tol(o.wait_mean_served_s, 7.83593701177724, 1e-5);
    ck_assert(o.p_abandon < 1e-7);
    /* and the Erlang C closed forms at other thresholds and loads */
    static const double within[] = {0.0, 5.0, 60.0, 600.0};
    for (size_t i = 0; i < sizeof within / sizeof within[0]; i++) {
        double c = rs_erlang_c(40, 36.0), gap = 40 / 60.0 - 36 / 60.0;
        o = compute(36 / 60.0, 60.0, 1e10, 40, within[i]);
        ck_assert_double_eq_tol(o.service_level, 1 - c * exp(-gap * within[i]), 1e-6);
    }
}
END_TEST

START_TEST(erlang_a_many_agents_fluid)
{
    /* Fluid limit of Whitt (2004), "Efficiency-driven heavy-traffic
     * approximations for many-server queues with abandonments": with
     * rho = lambda / (n mu) > 1, P(Ab) -> 1 - 1/rho and served customers wait
     * log(rho) / theta.  Here rho = 2: 0.5 and 10 log 2 s.  The chain peaks
     * near 10^4 waiting, far past double range before rescaling. */
    struct rs_erlang_out o = compute(2000.0, 1.0, 10.0, 1000, 1.0);
    ck_assert_double_eq_tol(o.p_abandon, 0.5, 5e-3);
    ck_assert_double_eq_tol(o.wait_mean_served_s, 10 * log(2.0), 0.05);
    ck_assert_double_eq_tol(o.p_wait, 1.0, 1e-6);
    ck_assert_double_eq_tol(o.occupancy, 1.0, 1e-6);
    ck_assert(o.service_level < 1e-6); /* nobody is taken within 1 s */
    /* underload with many agents: almost nobody waits */
    o = compute(500.0, 1.0, 10.0, 1000, 1.0);
    ck_assert(o.p_wait < 1e-12 && o.p_wait >= 0);
    ck_assert_double_eq_tol(o.service_level, 1.0, 1e-12);
    ck_assert_double_eq_tol(o.occupancy, 0.5, 1e-12);
}
END_TEST

/* A direct simulation of M/M/n+M, first come first served.  Abandonment is
 * lazy: a waiting customer whose patience ran out before an agent reached it
 * is discarded when reached, which is exact because abandoners affect no one
 * else.  Counts only customers whose fate is known by the end. */
struct sim_tally {
    double arrivals, waited, abandoned, served, served_wait, taken_within;
};

static void simulate(double lambda, double mu, double theta, int n, double within, long customers,
                     struct sim_tally *t)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20240611);
    double *end = malloc((size_t)n * sizeof *end); /* service end, INFINITY when idle */
    long cap = 1 << 16, head = 0, tail = 0;
    double *q_arr = malloc((size_t)cap * sizeof *q_arr); /* arrival times, FIFO ring */
    double *q_due = malloc((size_t)cap * sizeof *q_due); /* when patience runs out */
    ck_assert(end && q_arr && q_due);
    for (int i = 0; i < n; i++)
        end[i] = INFINITY;
    memset(t, 0, sizeof *t);
    double now, next_arrival = gsl_ran_exponential(rng, 1 / lambda);
    long warmup = customers / 20, seen = 0;
    while (seen < customers + warmup) {
        int k = 0;
        for (int i = 1; i < n; i++)
            if (end[i] < end[k]) k = i;
        if (next_arrival < end[k]) {
            now = next_arrival;
            next_arrival = now + gsl_ran_exponential(rng, 1 / lambda);
            int idle = -1;
            for (int i = 0; i < n && idle < 0; i++)
                if (isinf(end[i])) idle = i;
            int counted = ++seen > warmup;
            if (counted) t->arrivals++;
            if (idle >= 0) {
                end[idle] = now + gsl_ran_exponential(rng, 1 / mu);
                if (counted) t->served++, t->taken_within++;
                continue;
            }
            if (counted) t->waited++;
            ck_assert(tail - head < cap);
            /* a negative arrival time marks a customer of the warm-up */
            q_arr[tail % cap] = counted ? now : -now - 1;
            q_due[tail % cap] = now + gsl_ran_exponential(rng, 1 / theta);
            tail++;
        } else {
            now = end[k];
            end[k] = INFINITY;
            while (head < tail) {
                double arr = q_arr[head % cap], due = q_due[head % cap];
                head++;
                int counted = arr >= 0;
                if (due < now) {
                    if (counted) t->abandoned++;
                    continue;
                }
                end[k] = now + gsl_ran_exponential(rng, 1 / mu);
                if (counted) {
                    t->served++;
                    t->served_wait += now - arr;
                    if (now - arr <= within) t->taken_within++;
                }
                break;
            }
        }
    }
    free(end);
    free(q_arr);
    free(q_due);
    gsl_rng_free(rng);
}

/* Service level of Erlang A the long way: the stationary distribution of a
 * chain cut at n + cap states, and for each state the probability of being
 * taken within T by uniformization of "j ahead -> j-1 -> .. -> taken" with
 * abandonment as a second absorbing state.  Independent of the closed form
 * in sim/erlang.c; fine for small chains only. */
static double sl_by_uniformization(double lambda, double mu, double theta, int n, double within)
{
    enum { CAP = 400 };
    double pi[CAP + 1], h[CAP + 1] = {0}, hk[CAP + 1] = {0}, below_n = 0, term = 1, total = 0;
    for (int k = 0; k < n; k++) { /* states 0..n-1, scaled by pi_0 */
        below_n += term;
        term *= lambda / ((k + 1) * mu);
    }
    for (int j = 0; j <= CAP; j++) { /* states n + j */
        pi[j] = term;
        term *= lambda / (n * mu + (j + 1) * theta);
    }
    total = below_n;
    for (int j = 0; j <= CAP; j++)
        total += pi[j];
    double rate = n * mu + CAP * theta + theta, x = rate * within;
    for (unsigned k = 1; k < (unsigned)(x + 40 * sqrt(x) + 100); k++) {
        for (int i = CAP; i >= 0; i--) {
            double r = n * mu + i * theta, from_below = i > 0 ? hk[i - 1] : 1.0;
            hk[i] = r / rate * from_below + (1 - (r + theta) / rate) * hk[i];
        }
        double wk = gsl_ran_poisson_pdf(k, x);
        for (int i = 0; i <= CAP; i++)
            h[i] += wk * hk[i];
    }
    double sl = below_n;
    for (int j = 0; j <= CAP; j++)
        sl += pi[j] * h[j];
    return sl / total;
}

START_TEST(erlang_a_service_level_by_uniformization)
{
    static const struct {
        double lambda, mu, theta;
        int n;
        double within;
    } cases[] = {
        {2.5, 1.0, 0.5, 3, 0.5},
        {9.5 / 60, 1.0 / 300, 1.0 / 600, 48, 60.0},
        {9.5 / 60, 1.0 / 300, 1.0 / 600, 45, 900.0},
        {2.0, 1.0, 0.2, 1, 3.0},
        {10.0, 1.0, 0.05, 8, 2.0},
        {1.0, 1.0, 5.0, 2, 0.1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_erlang_out o = compute(cases[i].lambda, 1 / cases[i].mu, 1 / cases[i].theta,
                                         cases[i].n, cases[i].within);
        double want = sl_by_uniformization(cases[i].lambda, cases[i].mu, cases[i].theta, cases[i].n,
                                           cases[i].within);
        ck_assert_msg(fabs(o.service_level - want) < 1e-12, "case %zu: %.15g vs %.15g", i,
                      o.service_level, want);
    }
}
END_TEST

START_TEST(erlang_a_against_simulation)
{
    /* service level and the wait of those served have no closed form here;
     * the simulation checks them (and the rest) within sampling error */
    double lambda = 2.5, mu = 1.0, theta = 0.5, within = 0.5;
    int n = 3;
    struct sim_tally t;
    simulate(lambda, mu, theta, n, within, 400000, &t);
    struct rs_erlang_out o = compute(lambda, 1 / mu, 1 / theta, n, within);
    double decided = t.served + t.abandoned;
    ck_assert_double_eq_tol(o.p_wait, t.waited / t.arrivals, 0.01);
    ck_assert_double_eq_tol(o.p_abandon, t.abandoned / decided, 0.005);
    ck_assert_double_eq_tol(o.service_level, t.taken_within / decided, 0.01);
    ck_assert_double_eq_tol(o.wait_mean_served_s, t.served_wait / t.served, 0.01);
    ck_assert(o.service_level < 1 - o.p_abandon);
}
END_TEST

START_TEST(monotone)
{
    double prev_wait = INFINITY, prev_ab = 1, prev_sl = 0, prev_served = INFINITY;
    for (int n = 40; n <= 60; n++) {
        struct rs_erlang_out o = compute(9.5 / 60, 300, 600, n, 60);
        ck_assert(o.p_wait < prev_wait && o.p_abandon < prev_ab && o.service_level > prev_sl);
        ck_assert(o.wait_mean_served_s < prev_served);
        ck_assert(o.service_level >= 1 - o.p_wait && o.service_level <= 1 - o.p_abandon);
        ck_assert(o.occupancy > 0 && o.occupancy <= 1);
        prev_wait = o.p_wait, prev_ab = o.p_abandon, prev_sl = o.service_level;
        prev_served = o.wait_mean_served_s;
    }
    /* a longer threshold never lowers the service level; infinity reaches
     * everyone who is served */
    double sl_prev = -1;
    static const double within[] = {0, 10, 60, 300, 1800, 3600, 86400};
    for (size_t i = 0; i < sizeof within / sizeof within[0]; i++) {
        struct rs_erlang_out o = compute(9.5 / 60, 300, 600, 48, within[i]);
        ck_assert(o.service_level >= sl_prev - 1e-14); /* equal to rounding once converged */
        sl_prev = o.service_level;
    }
    struct rs_erlang_out o = compute(9.5 / 60, 300, 600, 48, INFINITY);
    ck_assert_double_eq_tol(o.service_level, 1 - o.p_abandon, 1e-12);
    ck_assert_double_eq_tol(sl_prev, o.service_level, 1e-12);
    /* more patience: fewer abandon, more wait */
    struct rs_erlang_out impatient = compute(9.5 / 60, 300, 120, 48, 60);
    ck_assert(impatient.p_abandon > o.p_abandon && impatient.wait_mean_s < o.wait_mean_s);
}
END_TEST

START_TEST(invalid_input)
{
    static const struct rs_erlang_in bad[] = {
        {1.0, 60.0, INFINITY, 0, 0.0},      {0.0, 60.0, INFINITY, 3, 0.0},
        {-1.0, 60.0, INFINITY, 3, 0.0},     {NAN, 60.0, INFINITY, 3, 0.0},
        {1.0, 0.0, INFINITY, 3, 0.0},       {1.0, NAN, INFINITY, 3, 0.0},
        {1.0, INFINITY, INFINITY, 3, 0.0},  {1.0, 60.0, 0.0, 3, 0.0},
        {1.0, 60.0, NAN, 3, 0.0},           {1.0, 60.0, INFINITY, 3, -1.0},
        {1.0, 60.0, INFINITY, 3, NAN},      {1e300, 1e300, INFINITY, 3, 1.0},
        {INFINITY, 60.0, INFINITY, 3, 0.0}, {1.0, 60.0, 600.0, -5, 0.0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rs_erlang_out out;
        char why[128] = "";
        ck_assert_int_eq(rs_erlang_compute(&bad[i], &out, why, sizeof why), RS_EINPUT);
        ck_assert_msg(why[0] >= 'a' && why[0] <= 'z', "case %zu: \"%s\"", i, why);
        ck_assert(why[strlen(why) - 1] != '.');
    }
    ck_assert(isnan(rs_erlang_b(3, NAN)) && isnan(rs_erlang_c(0, 1.0)));
}
END_TEST

static int run_cmd(const char *const *args)
{
    char *argv[16]; /* writable copies, as main's argv */
    int argc = 0;
    while (args[argc]) {
        argv[argc] = strdup(args[argc]);
        ck_assert_ptr_nonnull(argv[argc]);
        argc++;
    }
    argv[argc] = NULL;
    int st = rs_cmd_erlang(argc, argv);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    return st;
}

START_TEST(command_errors)
{
    /* messages go to stderr; only the exit status is checked here */
    const char *const *bad[] = {
        (const char *const[]){"erlang", NULL},
        (const char *const[]){"erlang", "--rate", "x", "--handle", "5m", "--agents", "5", NULL},
        (const char *const[]){"erlang", "--rate", "9.5/m", "--handle", "5", "--agents", "5", NULL},
        (const char *const[]){"erlang", "--rate", "9.5/m", "--handle", "5m", "--agents", "0", NULL},
        (const char *const[]){"erlang", "--rate", "9/m", "--handle", "5m", "--agents", "9:3", NULL},
        (const char *const[]){"erlang", "--rate", "9/m", "--handle", "5m", "--agents", "3:", NULL},
        (const char *const[]){"erlang", "--rate", "9.5/m", "--handle", "5m", NULL},
        (const char *const[]){"erlang", "--rate", "9.5/m", "--handle", "5m", "--agents", "5",
                              "--within", "1m,,2m", NULL},
        (const char *const[]){"erlang", "--rate", "9.5/m", "--handle", "5m", "--agents", "5",
                              "--patience", "0s", NULL},
        (const char *const[]){"erlang", "--rate", "0/m", "--handle", "5m", "--agents", "5", NULL},
        (const char *const[]){"erlang", "--rate", NULL},
        (const char *const[]){"erlang", "--bogus", NULL},
        (const char *const[]){"erlang", "extra", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(run_cmd(bad[i]) == 2, "case %zu", i);
}
END_TEST

/* ---- rs_erlang_solve: every expected count below comes from the formulas
 * of this file (own_figures, sl_by_uniformization), never from the solver
 * or rs_erlang_compute. ---- */

/* Erlang C or A figures by the birth-death chain summed here in long
 * double (states 0..n+cap), p_wait, mean wait over all arrivals,
 * abandonment, occupancy, and the service level at T (Erlang C: the
 * textbook 1 - C e^{-(n mu - lambda) T}; Erlang A: sl_by_uniformization). */
struct own {
    double p_wait, wait_mean, abandon, occupancy, sl;
    int stable;
};

static struct own own_figures(double lambda, double handle, double patience, int n, double within)
{
    struct own o = {1, INFINITY, 0, 1, 0, 0};
    double mu = 1 / handle, a = lambda * handle;
    if (isinf(patience)) {
        if (a >= n) return o;
        long double term = 1, below = 0; /* a^k / k! */
        for (int k = 0; k < n; k++) {
            below += term;
            term *= (long double)a / (k + 1);
        }
        long double top = term * n / (n - a);
        double c = (double)(top / (below + top));
        o.stable = 1;
        o.p_wait = c;
        o.wait_mean = c / (n * mu - lambda);
        o.occupancy = a / n;
        o.sl = 1 - c * exp(-(n * mu - lambda) * within);
        return o;
    }
    double theta = 1 / patience;
    long double term = 1, total = 0, waiting = 0, queue = 0, busy = 0;
    for (int k = 0; k < n; k++) {
        total += term, busy += term * k;
        term *= (long double)lambda / ((k + 1) * mu);
    }
    for (int j = 0; j < 4000; j++) { /* state n + j */
        total += term, waiting += term, queue += term * j, busy += term * n;
        term *= (long double)lambda / (n * mu + (j + 1) * theta);
    }
    o.stable = 1;
    o.p_wait = (double)(waiting / total);
    o.wait_mean = (double)(queue / total) / lambda;
    o.abandon = theta * (double)(queue / total) / lambda;
    o.occupancy = (double)(busy / total) / n;
    o.sl = sl_by_uniformization(lambda, mu, theta, n, within);
    return o;
}

static int own_meets(const struct rs_erlang_target *t, const struct own *o)
{
    switch (t->goal) {
    case RS_ERLANG_SL:
        return o->sl >= t->bound;
    case RS_ERLANG_WAIT_MEAN:
        return o->wait_mean <= t->bound;
    case RS_ERLANG_P_WAIT:
        return o->p_wait <= t->bound;
    case RS_ERLANG_ABANDON:
        return o->abandon <= t->bound;
    case RS_ERLANG_OCCUPANCY:
        return o->occupancy <= t->bound;
    }
    return 0;
}

static int own_all(double lambda, double handle, double patience, int n,
                   const struct rs_erlang_target *t, int n_t)
{
    for (int i = 0; i < n_t; i++) {
        struct own o =
            own_figures(lambda, handle, patience, n, t[i].goal == RS_ERLANG_SL ? t[i].within_s : 0);
        if (!own_meets(&t[i], &o)) return 0;
    }
    return 1;
}

#define SL(T, P)                                                                                   \
    {                                                                                              \
        RS_ERLANG_SL, (T), (P)                                                                     \
    }
#define WAIT(D)                                                                                    \
    {                                                                                              \
        RS_ERLANG_WAIT_MEAN, 0, (D)                                                                \
    }
#define PWAIT(P)                                                                                   \
    {                                                                                              \
        RS_ERLANG_P_WAIT, 0, (P)                                                                   \
    }
#define ABANDON(P)                                                                                 \
    {                                                                                              \
        RS_ERLANG_ABANDON, 0, (P)                                                                  \
    }
#define OCC(P)                                                                                     \
    {                                                                                              \
        RS_ERLANG_OCCUPANCY, 0, (P)                                                                \
    }

static const struct solve_case {
    double rate_per_h, handle_s, patience_s;
    int want; /* fewest agents, from own_figures by hand-run search; 0: not pinned */
    int n_targets;
    struct rs_erlang_target targets[4];
} solve_cases[] = {
    /* 85/h, 5m: load 7.083 erl; 1 - C(10) e^{-(10-7.083) 20/300} = 0.8068,
     * and 9 agents give 0.667 */
    {85, 300, INFINITY, 10, 1, {SL(20, 0.8)}},
    /* R package ErlangC README (CRAN): 200/h, 180 s, 14 agents give sl(20s)
     * 0.88835; own_figures gives 13 agents less than 0.8 */
    {200, 180, INFINITY, 14, 1, {SL(20, 0.8)}},
    {85, 300, INFINITY, 0, 1, {WAIT(10)}},
    {85, 300, INFINITY, 0, 1, {PWAIT(0.1)}},
    {85, 300, INFINITY, 0, 1, {OCC(0.6)}},
    {570, 300, INFINITY, 0, 3, {SL(60, 0.9), WAIT(15), OCC(0.9)}},
    {85, 300, 180, 0, 1, {ABANDON(0.02)}},
    {85, 300, 180, 0, 1, {SL(20, 0.8)}},
    {85, 300, 180, 0, 3, {SL(20, 0.9), ABANDON(0.01), PWAIT(0.2)}},
    {300, 240, 600, 0, 2, {WAIT(5), OCC(0.85)}},
    /* Erlang A meets a loose target below the load: 20 erl, 10 agents */
    {240, 300, 60, 0, 1, {ABANDON(0.6)}},
};

START_TEST(solve_fewest_agents)
{
    for (size_t i = 0; i < sizeof solve_cases / sizeof solve_cases[0]; i++) {
        const struct solve_case *c = &solve_cases[i];
        double lambda = c->rate_per_h / 3600;
        int want = 1;
        while (!own_all(lambda, c->handle_s, c->patience_s, want, c->targets, c->n_targets))
            want++;
        if (c->want) ck_assert_int_eq(want, c->want);
        struct rs_erlang_in in = {lambda, c->handle_s, c->patience_s, 1, 0};
        struct rs_erlang_solution sol;
        char why[256] = "";
        int rc = rs_erlang_solve(&in, c->targets, c->n_targets, 1, RS_ERLANG_MAX_AGENTS, 0, &sol,
                                 why, sizeof why);
        ck_assert_msg(rc == RS_OK, "case %zu: %s", i, why);
        ck_assert_msg(sol.agents == want, "case %zu: %d agents, want %d", i, sol.agents, want);
        ck_assert_int_eq(sol.paid_agents, want);
        /* every target holds at the answer and one fewer misses one */
        ck_assert(own_all(lambda, c->handle_s, c->patience_s, want, c->targets, c->n_targets));
        if (want > 1)
            ck_assert(
                !own_all(lambda, c->handle_s, c->patience_s, want - 1, c->targets, c->n_targets));
        /* a search range starting at the answer, or ending there, finds it */
        rc = rs_erlang_solve(&in, c->targets, c->n_targets, want, want, 0, &sol, why, sizeof why);
        ck_assert(rc == RS_OK && sol.agents == want);
        if (want > 1)
            ck_assert_int_eq(rs_erlang_solve(&in, c->targets, c->n_targets, 1, want - 1, 0, &sol,
                                             why, sizeof why),
                             RS_EINPUT);
    }
    /* the case of the issue: Erlang A at 3m patience needs no more than Erlang C */
    struct rs_erlang_target sl = SL(20, 0.8);
    struct rs_erlang_in c_in = {85.0 / 3600, 300, INFINITY, 1, 0}, a_in = c_in;
    a_in.patience_mean_s = 180;
    struct rs_erlang_solution c_sol, a_sol;
    ck_assert_int_eq(rs_erlang_solve(&c_in, &sl, 1, 1, 1000, 0, &c_sol, NULL, 0), RS_OK);
    ck_assert_int_eq(rs_erlang_solve(&a_in, &sl, 1, 1, 1000, 0, &a_sol, NULL, 0), RS_OK);
    ck_assert(a_sol.agents <= c_sol.agents);
    ck_assert_double_eq_tol(c_sol.out.service_level, 0.8068, 1e-4);
}
END_TEST

/* The search relies on these figures being monotone in agents; checked
 * here with own_figures for Erlang C and A over a wide range. */
START_TEST(solve_figures_monotone)
{
    static const double patience[] = {INFINITY, 60, 600};
    for (size_t p = 0; p < 3; p++) {
        struct own prev = own_figures(20.0 / 60, 60, patience[p], 1, 30);
        for (int n = 2; n <= 60; n++) {
            struct own o = own_figures(20.0 / 60, 60, patience[p], n, 30);
            ck_assert(o.p_wait <= prev.p_wait && o.wait_mean <= prev.wait_mean);
            ck_assert(o.abandon <= prev.abandon && o.occupancy <= prev.occupancy);
            ck_assert(o.sl >= prev.sl - 1e-12);
            prev = o;
        }
    }
}
END_TEST

START_TEST(solve_shrinkage)
{
    /* an occupancy of at most 0.99 at a load of 0.01 erl: the search range's
     * start is the answer, so the paid count is pure arithmetic */
    static const struct {
        int agents;
        double shrinkage;
        int paid;
    } cases[] = {{1, 0, 1},      {10, 0.3, 15},                 /* 14.29 */
                 {7, 0.3, 10},                                  /* 7 / 0.7 = 10 exactly, not 11 */
                 {3, 0.5, 6},    {100, 0.2, 125}, {9, 0.1, 10}, /* 10 exactly */
                 {1, 0.99, 100}, {13, 0.35, 20}};               /* 20 exactly */
    struct rs_erlang_target occ = OCC(0.99);
    struct rs_erlang_in in = {0.01 / 60, 60, INFINITY, 1, 0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_erlang_solution sol;
        ck_assert_int_eq(rs_erlang_solve(&in, &occ, 1, cases[i].agents, cases[i].agents + 5,
                                         cases[i].shrinkage, &sol, NULL, 0),
                         RS_OK);
        ck_assert_int_eq(sol.agents, cases[i].agents);
        ck_assert_msg(sol.paid_agents == cases[i].paid, "case %zu: %d paid", i, sol.paid_agents);
    }
}
END_TEST

START_TEST(solve_refuses)
{
    struct rs_erlang_in c_in = {85.0 / 3600, 300, INFINITY, 1, 0}, a_in = c_in;
    a_in.patience_mean_s = 180;
    static const struct {
        int erlang_a;
        struct rs_erlang_target t;
        int to;
        double shrinkage;
        const char *why;
    } cases[] = {
        {0, SL(0, 1), 100000, 0, "unreachable"},
        {1, SL(20, 1), 100000, 0, "unreachable"},
        {0, PWAIT(0), 100000, 0, "unreachable"},
        {0, WAIT(0), 100000, 0, "unreachable"},
        {1, ABANDON(0), 100000, 0, "unreachable"},
        {0, OCC(0), 100000, 0, "unreachable"},
        {0, ABANDON(0.1), 100000, 0, "needs --patience"},
        {0, SL(20, 1.5), 100000, 0, "between 0 and 1"},
        {0, WAIT(-1), 100000, 0, "duration >= 0"},
        {0, SL(20, 0.8), 9, 0, "not met with 9 agents or fewer"},
        {0, OCC(0.5), 7, 0, "not met with 7 agents or fewer"}, /* below the load */
        {1, OCC(0.00001), 100000, 0, "not met with 100000"},   /* needs 708334 */
        {0, SL(20, 0.8), 100001, 0, "FROM <= TO <= 100000"},
        {0, SL(20, 0.8), 100, 1, "shrinkage"},
        {0, SL(20, 0.8), 100, -0.1, "shrinkage"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_erlang_solution sol;
        char why[256] = "";
        int rc = rs_erlang_solve(cases[i].erlang_a ? &a_in : &c_in, &cases[i].t, 1, 1, cases[i].to,
                                 cases[i].shrinkage, &sol, why, sizeof why);
        ck_assert_msg(rc == RS_EINPUT, "case %zu", i);
        ck_assert_msg(strstr(why, cases[i].why) && !strchr(why, '\n'), "case %zu: %s", i, why);
    }
}
END_TEST

START_TEST(solve_command)
{
    const char *const *bad[] = {
        (const char *const[]){"erlang", "--rate", "85/h", "--handle", "5m", "--target", "sl(0s)>=1",
                              NULL},
        (const char *const[]){"erlang", "--rate", "85/h", "--handle", "5m", "--target",
                              "abandon<=0.1", NULL},
        (const char *const[]){"erlang", "--rate", "85/h", "--handle", "5m", "--target", "sl(20s)",
                              NULL},
        (const char *const[]){"erlang", "--rate", "85/h", "--handle", "5m", "--target",
                              "sl(20s)>=0.8", "--agents", "10", NULL},
        (const char *const[]){"erlang", "--rate", "85/h", "--handle", "5m", "--target",
                              "sl(20s)>=0.8", "--agents", "1:9", NULL},
        (const char *const[]){"erlang", "--rate", "85/h", "--handle", "5m", "--target",
                              "sl(20s)>=0.8", "--shrinkage", "1", NULL},
        (const char *const[]){"erlang", "--rate", "85/h", "--handle", "5m", "--agents", "10",
                              "--shrinkage", "0.3", NULL},
        (const char *const[]){"erlang", "--rate", "100000/m", "--handle", "5m", "--target",
                              "p_wait<=0.5", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(run_cmd(bad[i]) == 2, "case %zu", i);
}
END_TEST

Suite *rs_test_erlang_suite(void);
Suite *rs_test_erlang_suite(void)
{
    Suite *s = suite_create("erlang");
    TCase *tc = tcase_create("analytic");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, erlang_b_published);
    tcase_add_test(tc, erlang_b_matches_definition);
    tcase_add_test(tc, erlang_c_published);
    tcase_add_test(tc, erlang_c_one_and_two_servers);
    tcase_add_test(tc, erlang_c_unstable);
    tcase_add_test(tc, erlang_a_mandelbaum_zeltyn);
    tcase_add_test(tc, erlang_a_patience_equals_handle);
    tcase_add_test(tc, erlang_a_tends_to_erlang_c);
    tcase_add_test(tc, erlang_a_many_agents_fluid);
    tcase_add_test(tc, erlang_a_service_level_by_uniformization);
    tcase_add_test(tc, erlang_a_against_simulation);
    tcase_add_test(tc, monotone);
    tcase_add_test(tc, invalid_input);
    tcase_add_test(tc, command_errors);
    tcase_add_test(tc, solve_fewest_agents);
    tcase_add_test(tc, solve_figures_monotone);
    tcase_add_test(tc, solve_shrinkage);
    tcase_add_test(tc, solve_refuses);
    tcase_add_test(tc, solve_command);
    suite_add_tcase(s, tc);
    return s;
}
