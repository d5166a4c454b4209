/* erlang.c: Erlang B, C and A figures (see erlang.h).
 *
 * Erlang A is the birth-death chain with birth rate lambda and death rate
 * min(k, n) mu + max(k - n, 0) theta.  States 0..n are summarised by Erlang B
 * (their probabilities relative to state n are those of M/M/n/n); states
 * above n are kept in a vector, truncated where the tail falls below 1e-16 of
 * the total.  The wait of those served and the service level come from the
 * time an arrival with j waiting ahead needs to reach an agent (see
 * taken_within), weighted by the state it finds (PASTA). */
#include "replysim/erlang.h"

#include "replysim/alloc.h"

#include "replysim/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Relative size of the ignored tail of the Erlang A chain. */
#define TAIL_EPS 1e-16
/* Largest number of waiting states kept (three vectors of doubles); a
 * longer chain means a queue of millions, beyond any useful sizing. */
#define MAX_WAITING 2000000L

double rs_erlang_b(int agents, double load_erl)
{
    if (isnan(load_erl) || load_erl < 0 || agents < 0) return NAN;
    if (isinf(load_erl)) return agents == 0 ? 1.0 : NAN;
    /* B(k) = a B(k-1) / (k + a B(k-1)): every term stays in [0, 1]. */
    double b = 1.0;
    for (int k = 1; k <= agents; k++)
        b = load_erl * b / (k + load_erl * b);
    return b;
}

double rs_erlang_c(int agents, double load_erl)
{
    if (isnan(load_erl) || load_erl < 0 || agents < 1) return NAN;
    if (load_erl >= agents) return 1.0;
    double b = rs_erlang_b(agents, load_erl);
    return agents * b / (agents - load_erl * (1.0 - b));
}

static int check_input(const struct rs_erlang_in *in, char *why, unsigned long why_len)
{
    const char *msg = NULL;
    if (in->agents < 1)
        msg = "agents must be a whole number >= 1";
    else if (!(in->rate_per_s > 0) || !isfinite(in->rate_per_s))
        msg = "rate must be a finite number > 0";
    else if (!(in->handle_mean_s > 0) || !isfinite(in->handle_mean_s))
        msg = "handle time must be a finite duration > 0";
    else if (!(in->patience_mean_s > 0)) /* also catches NaN; INFINITY is allowed */
        msg = "patience must be a duration > 0";
    else if (!(in->within_s >= 0)) /* also catches NaN */
        msg = "service-level threshold must be a duration >= 0";
    else if (!isfinite(in->rate_per_s * in->handle_mean_s))
        msg = "offered load is too large";
    if (!msg) return RS_OK;
    if (why && why_len > 0) snprintf(why, (size_t)why_len, "%s", msg);
    return RS_EINPUT;
}

static void erlang_c_figures(const struct rs_erlang_in *in, struct rs_erlang_out *out)
{
    int n = in->agents;
    double a = out->load_erl, mu = 1.0 / in->handle_mean_s;
    out->p_abandon = 0.0;
    if (a >= n) {
        out->stable = 0;
        out->p_wait = 1.0;
        out->wait_mean_s = INFINITY;
        out->wait_mean_served_s = INFINITY;
        out->service_level = 0.0;
        out->occupancy = 1.0;
        out->queue_mean = INFINITY;
        return;
    }
    double b = out->p_block_b;
    double c = n * b / (n - a * (1.0 - b));
    double gap = n * mu - in->rate_per_s; /* rate at which the queue drains */
    out->stable = 1;
    out->p_wait = c;
    out->wait_mean_s = c / gap;
    out->wait_mean_served_s = out->wait_mean_s; /* everyone is served */
    out->queue_mean = c * a / (n - a);
    out->occupancy = a / n;
    out->service_level = isinf(in->within_s) ? 1.0 : 1.0 - c * exp(-gap * in->within_s);
}

/* Relative weights of the states n + j (j waiting), on the scale where the
 * states 0..n weigh *low in total.  In heavy overload the weights rise far
 * past double range before they fall: each time the running product nears
 * overflow it is scaled down by 1e-200, and the entries already stored get
 * the same factors in one pass at the end (states far below the peak, and
 * *low, then vanish, as they should). */
static int tail_weights(double lambda, double n_mu, double theta, double b, double **w_out,
                        long *len_out, double *low)
{
    /* the weights peak where n mu + j theta = lambda */
    if ((lambda - n_mu) / theta > (double)MAX_WAITING) return RS_EINPUT;
    long cap = 256, len = 1, n_cuts = 0, cuts_cap = 16;
    double *w = rs_malloc((size_t)cap * sizeof *w);
    long *cuts = rs_malloc((size_t)cuts_cap * sizeof *cuts); /* first index after each cut */
    w[0] = b;                                                /* pi_n / P(K <= n) is Erlang B */
    double sum = 1.0, t = b; /* state n is counted in the 1 of states 0..n */
    for (long j = 1;; j++) {
        double q = lambda / (n_mu + (double)j * theta);
        t *= q;
        if (t > 1e200) {
            t *= 1e-200;
            sum *= 1e-200;
            if (n_cuts == cuts_cap) {
                cuts_cap *= 2;
                cuts = rs_reallocarray(cuts, (size_t)cuts_cap, sizeof *cuts);
            }
            cuts[n_cuts++] = j;
        }
        if (len == cap) {
            if (cap >= MAX_WAITING) {
                free(w);
                free(cuts);
                return RS_EINPUT;
            }
            cap *= 2;
            w = rs_reallocarray(w, (size_t)cap, sizeof *w);
        }
        w[len++] = t;
        sum += t;
        /* past the peak the rest is bounded by a geometric series of ratio q */
        double q_next = lambda / (n_mu + (double)(j + 1) * theta);
        if (q_next < 1 && t * q_next / (1 - q_next) < TAIL_EPS * sum) break;
        if (t == 0) break;
    }
    double factor = 1.0;
    for (long j = len - 1, c = n_cuts - 1; j >= 0; j--) {
        /* entries before cut c were stored before its scaling */
        while (c >= 0 && j < cuts[c])
            factor *= 1e-200, c--;
        w[j] *= factor;
    }
    *low = 1.0;
    for (long c = 0; c < n_cuts; c++)
        *low *= 1e-200;
    free(cuts);
    *w_out = w;
    *len_out = len;
    return RS_OK;
}

/* h[j] = P(a customer with j waiting ahead is taken by an agent within T and
 * before abandoning).  Its time to reach an agent, V_j, is hypoexponential
 * with rates theta (x + i), i = 0..j, x = n mu / theta; the Laplace
 * transform prod (x + i) / (s / theta + x + i) is a ratio of beta functions
 * and inverts to the density theta e^{-n mu t} (1 - e^{-theta t})^j / B(x, j + 1).
 * Integrating it against the survival e^{-theta t} of the customer's own
 * patience gives
 *     h_j(T) = p_j I_z(j + 1, x + 1),   z = 1 - e^{-theta T},
 * with p_j = x / (x + j + 1) = P(served) and I the regularized incomplete beta
 * function, which for a whole first argument is the upper tail of a
 * negative binomial: I_z(j + 1, b) = P(N > j), P(N = k) = C(k + b - 1, k)
 * z^k (1 - z)^b.  Summing those positive terms upwards is stable and costs
 * O(len) whatever T is.  served[j] = p_j. */
static void taken_within(double n_mu, double theta, long len, double t_s, const double *served,
                         double *h)
{
    if (t_s == 0 || isinf(t_s)) {
        for (long j = 0; j < len; j++)
            h[j] = t_s == 0 ? 0.0 : served[j];
        return;
    }
    double b = n_mu / theta + 1.0, z = -expm1(-theta * t_s);
    /* P(N = k) = s exp(log_scale): s is kept in range by factors 1e-200
     * because P(N = 0) = e^{-theta T b} underflows in long waits */
    double s = 1.0, log_scale = -theta * t_s * b, cdf = 0.0;
    double scale = exp(log_scale);
    for (long k = 0; k < len; k++) {
        if (k > 0) s *= z * ((double)k - 1.0 + b) / (double)k;
        if (s > 1e200) {
            s *= 1e-200;
            log_scale += 460.517018598809136; /* log(1e200) */
            scale = exp(log_scale);
        }
        cdf += s * scale;
        double tail = cdf < 1.0 ? 1.0 - cdf : 0.0; /* P(N > k) */
        h[k] = served[k] * tail;
    }
}

static int erlang_a_figures(const struct rs_erlang_in *in, struct rs_erlang_out *out, char *why,
                            unsigned long why_len)
{
    int n = in->agents;
    double lambda = in->rate_per_s, mu = 1.0 / in->handle_mean_s;
    double theta = 1.0 / in->patience_mean_s, n_mu = n * mu, a = out->load_erl;
    double *w, low;
    long len;
    if (tail_weights(lambda, n_mu, theta, out->p_block_b, &w, &len, &low) != RS_OK) {
        if (why && why_len > 0)
            snprintf(why, (size_t)why_len,
                     "queue too long for erlang a (over %ld waiting); use a shorter patience "
                     "or more agents",
                     MAX_WAITING);
        return RS_EINPUT;
    }

    double total = low, waiting = 0.0, queue = 0.0;
    for (long j = 1; j < len; j++)
        total += w[j];
    for (long j = 0; j < len; j++) {
        waiting += w[j];
        queue += (double)j * w[j];
    }
    /* E[min(K, n)] over states 0..n relative to their mass is a (1 - B) */
    double busy = (low * a * (1.0 - out->p_block_b) + n * (waiting - w[0])) / total;

    /* with j ahead: served[j] = p_j = P(served) and m = E[V_j 1{served}], by
     * phases i = 0..j of rate r_i, each survived with probability
     * s_i = r_i / (r_i + theta) and lasting 1 / (r_i + theta) on average:
     * m_j = s_j (p_{j-1} / (r_j + theta) + m_{j-1}) */
    double *served = rs_malloc((size_t)len * sizeof *served);
    double *h = rs_malloc((size_t)len * sizeof *h);
    double p_prev = 1.0, m = 0.0, served_wait = 0.0, p_served_waiting = 0.0;
    for (long j = 0; j < len; j++) {
        double r = n_mu + (double)j * theta, s = r / (r + theta);
        m = s * (p_prev / (r + theta) + m);
        p_prev *= s;
        served[j] = p_prev;
        served_wait += w[j] * m;
        p_served_waiting += w[j] * p_prev;
    }
    taken_within(n_mu, theta, len, in->within_s, served, h);
    double sl = 0.0;
    for (long j = 0; j < len; j++)
        sl += w[j] * h[j];

    double p_no_wait = (low - w[0]) / total; /* states 0..n-1 */
    out->stable = 1;
    out->p_wait = waiting / total;
    out->queue_mean = queue / total;
    out->p_abandon = theta * out->queue_mean / lambda;
    out->wait_mean_s = out->queue_mean / lambda;
    /* P(served) summed directly: more accurate than 1 - p_abandon when
     * nearly everyone abandons */
    double p_served = p_no_wait + p_served_waiting / total;
    out->wait_mean_served_s = p_served > 0 ? (served_wait / total) / p_served : INFINITY;
    out->service_level = p_no_wait + sl / total;
    out->occupancy = busy / n;
    free(w);
    free(served);
    free(h);
    return RS_OK;
}

int rs_erlang_compute(const struct rs_erlang_in *in, struct rs_erlang_out *out, char *why,
                      unsigned long why_len)
{
    int rc = check_input(in, why, why_len);
    if (rc != RS_OK) return rc;
    out->load_erl = in->rate_per_s * in->handle_mean_s;
    out->p_block_b = rs_erlang_b(in->agents, out->load_erl);
    if (isinf(in->patience_mean_s)) {
        erlang_c_figures(in, out);
        return RS_OK;
    }
    return erlang_a_figures(in, out, why, why_len);
}

int rs_erlang_meets(const struct rs_erlang_target *t, const struct rs_erlang_out *out)
{
    switch (t->goal) {
    case RS_ERLANG_SL:
        return out->service_level >= t->bound;
    case RS_ERLANG_WAIT_MEAN:
        return out->wait_mean_s <= t->bound;
    case RS_ERLANG_P_WAIT:
        return out->p_wait <= t->bound;
    case RS_ERLANG_ABANDON:
        return out->p_abandon <= t->bound;
    case RS_ERLANG_OCCUPANCY:
        return out->occupancy <= t->bound;
    }
    return 0;
}

static int say(char *why, unsigned long why_len, const char *msg)
{
    if (why && why_len > 0) snprintf(why, (size_t)why_len, "%s", msg);
    return RS_EINPUT;
}

/* A target that is malformed, or that no finite staffing meets. */
static const char *target_problem(const struct rs_erlang_target *t, int erlang_a)
{
    int share = t->goal != RS_ERLANG_WAIT_MEAN;
    if (isnan(t->bound) || t->bound < 0 || (share && t->bound > 1))
        return share ? "target: a share must be between 0 and 1"
                     : "target: a mean wait must be a duration >= 0";
    if (t->goal == RS_ERLANG_SL && !(t->within_s >= 0))
        return "target: sl(T) needs a duration T >= 0";
    if (t->goal == RS_ERLANG_ABANDON && !erlang_a)
        return "target: abandon<=P needs --patience (Erlang C has no abandonment)";
    /* some arrivals always wait longer than any finite T, wait at all, and
     * with patience abandon; the occupancy is never 0 */
    if (t->goal == RS_ERLANG_SL ? t->bound >= 1 && !isinf(t->within_s) : t->bound <= 0)
        return "target unreachable: no number of agents meets it (an sl of 1 or a bound of 0)";
    return NULL;
}

/* *met = 1 when `agents` meet every target.  A queue too long for Erlang A
 * counts as missing. */
static int evaluate(const struct rs_erlang_in *base, const struct rs_erlang_target *targets, int n,
                    int agents, int *met, char *why, unsigned long why_len)
{
    struct rs_erlang_in in = *base;
    in.agents = agents;
    *met = 1;
    for (int i = 0; i < n && *met; i++) {
        struct rs_erlang_out out;
        in.within_s = targets[i].goal == RS_ERLANG_SL ? targets[i].within_s : base->within_s;
        int rc = rs_erlang_compute(&in, &out, why, why_len);
        if (rc != RS_OK && isinf(in.patience_mean_s)) return rc;
        *met = rc == RS_OK && rs_erlang_meets(&targets[i], &out);
    }
    return RS_OK;
}

/* The fewest agents in [lo, to] meeting every target, or to + 1. */
static int search(const struct rs_erlang_in *in, const struct rs_erlang_target *targets, int n,
                  int lo, int to, int *found, char *why, unsigned long why_len)
{
    int met, hi, rc;
    *found = to + 1;
    if ((rc = evaluate(in, targets, n, lo, &met, why, why_len)) != RS_OK) return rc;
    if (met) {
        *found = lo;
        return RS_OK;
    }
    for (long step = 1;; step *= 2) { /* gallop: lo misses */
        if (lo == to) return RS_OK;
        hi = (long)lo + step > to ? to : (int)(lo + step);
        if ((rc = evaluate(in, targets, n, hi, &met, why, why_len)) != RS_OK) return rc;
        if (met) break;
        lo = hi;
    }
    while (hi - lo > 1) { /* lo misses, hi meets */
        int mid = lo + (hi - lo) / 2;
        if ((rc = evaluate(in, targets, n, mid, &met, why, why_len)) != RS_OK) return rc;
        if (met)
            hi = mid;
        else
            lo = mid;
    }
    *found = hi;
    return RS_OK;
}

int rs_erlang_solve(const struct rs_erlang_in *in, const struct rs_erlang_target *targets, int n,
                    int from, int to, double shrinkage, struct rs_erlang_solution *sol, char *why,
                    unsigned long why_len)
{
    struct rs_erlang_in probe = *in;
    probe.agents = 1;
    int rc = check_input(&probe, why, why_len);
    if (rc != RS_OK) return rc;
    if (n < 1) return say(why, why_len, "no target given");
    if (!(shrinkage >= 0 && shrinkage < 1))
        return say(why, why_len, "shrinkage must be a share >= 0 and < 1");
    if (from < 1 || to > RS_ERLANG_MAX_AGENTS || from > to)
        return say(why, why_len, "agents: expected a range 1 <= FROM <= TO <= 100000");
    int erlang_a = !isinf(in->patience_mean_s);
    for (int i = 0; i < n; i++) {
        const char *problem = target_problem(&targets[i], erlang_a);
        if (problem) return say(why, why_len, problem);
    }
    double load = in->rate_per_s * in->handle_mean_s;
    double stable = floor(load) + 1; /* Erlang C: fewer agents wait forever */
    int found = to + 1;
    if (erlang_a || stable <= from)
        rc = search(in, targets, n, from, to, &found, why, why_len);
    else if (stable <= to)
        rc = search(in, targets, n, (int)stable, to, &found, why, why_len);
    if (rc != RS_OK) return rc;
    if (found > to) {
        char msg[160];
        snprintf(msg, sizeof msg, "target unreachable: not met with %d agents or fewer", to);
        return say(why, why_len, msg);
    }
    struct rs_erlang_in at = *in;
    at.agents = found;
    for (int i = 0; i < n; i++)
        if (targets[i].goal == RS_ERLANG_SL) {
            at.within_s = targets[i].within_s;
            break;
        }
    if ((rc = rs_erlang_compute(&at, &sol->out, why, why_len)) != RS_OK) return rc;
    sol->agents = found;
    /* 7 / 0.7 is 10.000000000000002 in doubles: not 11 paid agents */
    sol->paid_agents = (int)ceil((double)found / (1.0 - shrinkage) - 1e-9);
    return RS_OK;
}
