/* staff.c: the staffing search of staff.h, and its files. */
#include "replysim/staff.h"

#include "replysim/alloc.h"
#include "replysim/csvout.h"
#include "replysim/erlang.h"
#include "replysim/experiment.h"
#include "replysim/report.h"
#include "replysim/summary.h"
#include "replysim/units.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITER 200 /* simulations of the raise step */

struct rs_staff {
    const struct rs_scenario *sc; /* as loaded */
    struct rs_scenario *w;        /* the copy run with the schedule below */
    struct rs_scenario *w_sh;     /* the copy run with the shifts, NULL: none */
    struct rs_staff_opts o;
    struct rs_run_opts run;
    int n; /* intervals of the horizon */
    double width_s;
    int *agents;    /* current schedule */
    int *floor_;    /* min_agents */
    int *targeted;  /* 0: no messages or closed: held at the floor */
    double *lambda; /* messages needing a reply per second, pilot */
    double handle_mean_s, patience_mean_s;
    int m_within, m_all, m_frt, m_inbox; /* interval metric indices */
    long sims;
    struct rs_summary *fig; /* the figures of the last evaluation */
    int *met;
    struct rs_results *res; /* the final run */
    int misses, shift_misses;
    struct rs_shifts_plan plan;
};

/* ------------------------------------------------------------- target */

static const char target_expected[] =
    "expected sl(DURATION)>=P, response_rate>=P, frt_pQ<=DURATION (Q 50, 90, 95, 99) or "
    "frt_mean<=DURATION, such as 'sl(1h)>=0.90'";

/* The kind named by lhs with operator >= (ge) or <=; -1: none. */
static int target_kind(const char *lhs, int ge, struct rs_staff_target *t, char *why, size_t len)
{
    size_t n = strlen(lhs);
    if (ge && !strncmp(lhs, "sl(", 3) && n > 0 && lhs[n - 1] == ')') {
        char d[128], w[256] = "";
        snprintf(d, sizeof d, "%.*s", (int)n - 4, lhs + 3);
        if (rs_units_duration(d, &t->d_s, w, sizeof w) || !(t->d_s > 0)) {
            rs_error_why(why, len, "sl(T): %s", w[0] ? w : "expected T above 0");
            return -2;
        }
        t->kind = RS_STAFF_SL;
    } else if (ge && !strcmp(lhs, "response_rate")) {
        t->kind = RS_STAFF_RR;
    } else if (!ge && !strcmp(lhs, "frt_mean")) {
        t->kind = RS_STAFF_FRT_MEAN;
    } else if (!ge && (!strcmp(lhs, "frt_p50") || !strcmp(lhs, "frt_p90") ||
                       !strcmp(lhs, "frt_p95") || !strcmp(lhs, "frt_p99"))) {
        t->kind = RS_STAFF_FRT_Q;
        t->p = strtod(lhs + 5, NULL) / 100; /* one of 50, 90, 95, 99 */
    } else {
        return -1;
    }
    return 0;
}

/* The goal from rhs, by kind. */
static int target_goal(const char *rhs, struct rs_staff_target *t, char *why, size_t len)
{
    char w[256] = "";
    if (t->kind == RS_STAFF_SL || t->kind == RS_STAFF_RR) {
        if (rs_units_prob(rhs, &t->p, w, sizeof w) || t->p <= 0) {
            rs_error_why(why, len, "%s", w[0] ? w : "expected a share above 0");
            return -1;
        }
        t->ge = 1;
        t->goal = t->p;
        return 0;
    }
    if (rs_units_duration(rhs, &t->d_s, w, sizeof w) || !(t->d_s > 0)) {
        rs_error_why(why, len, "%s", w[0] ? w : "expected a duration above 0 such as 4h");
        return -1;
    }
    t->ge = t->kind == RS_STAFF_FRT_Q;
    t->goal = t->kind == RS_STAFF_FRT_Q ? t->p : t->d_s;
    return 0;
}

int rs_staff_target_parse(const char *text, struct rs_staff_target *t, char *why, size_t len)
{
    char s[128];
    size_t n = 0;
    for (const char *p = text; *p; p++)
        if (*p != ' ' && *p != '\t' && n + 1 < sizeof s) s[n++] = *p;
    s[n] = '\0';
    memset(t, 0, sizeof *t);
    snprintf(t->text, sizeof t->text, "%s", s);
    const char *ge = strstr(s, ">="), *le = strstr(s, "<=");
    const char *op = ge ? ge : le;
    int rc = -1;
    if (op && !(ge && le)) {
        char lhs[128];
        snprintf(lhs, sizeof lhs, "%.*s", (int)(op - s), s);
        rc = target_kind(lhs, ge != NULL, t, why, len);
    }
    if (rc == -1) rs_error_why(why, len, "%s", target_expected);
    if (rc || target_goal(op + 2, t, why, len)) return -1;
    char label[32];
    rs_units_label_duration(t->d_s, label, sizeof label);
    if (t->kind == RS_STAFF_SL) snprintf(t->metric, sizeof t->metric, "sl_%s", label);
    if (t->kind == RS_STAFF_RR) snprintf(t->metric, sizeof t->metric, "response_rate");
    if (t->kind == RS_STAFF_FRT_MEAN) snprintf(t->metric, sizeof t->metric, "frt_mean_s");
    if (t->kind == RS_STAFF_FRT_Q)
        snprintf(t->metric, sizeof t->metric, "answered_within_%s", label);
    return 0;
}

/* ------------------------------------------------------------- analytic start */

/* P(wait + handle <= t) in M/M/c (Erlang C, FIFO) with exponential handle:
 * the wait is 0 with probability 1 - P(wait), else exponential with rate
 * theta = c mu - lambda. */
static double mmc_frt_cdf(double lambda, double h, int c, double t)
{
    double mu = 1 / h, theta = c * mu - lambda;
    if (!(theta > 0)) return 0;
    double pw = rs_erlang_c(c, lambda * h);
    double s = 1 - exp(-mu * t), conv;
    if (fabs(theta - mu) < 1e-12 * mu)
        conv = 1 - exp(-mu * t) * (1 + mu * t);
    else
        conv = 1 - (theta * exp(-mu * t) - mu * exp(-theta * t)) / (theta - mu);
    return (1 - pw) * s + pw * conv;
}

/* 1 when c agents meet the target at arrival rate lambda by Erlang C (no
 * patience) or Erlang A; only a start, so handle times count as
 * exponential with their mean. */
static int analytic_meets(const struct rs_staff *st, int c, double lambda)
{
    const struct rs_staff_target *t = &st->o.target;
    double h = st->handle_mean_s, pm = st->patience_mean_s;
    struct rs_erlang_in in = {lambda, h, pm, c, t->d_s > h ? t->d_s - h : 0};
    struct rs_erlang_out out;
    char why[128];
    if (rs_erlang_compute(&in, &out, why, sizeof why) || !out.stable) return 0;
    int erlang_c = isinf(pm);
    double answered = erlang_c ? 1 : 1 - out.p_abandon;
    switch (t->kind) {
    case RS_STAFF_SL:
        return (erlang_c ? mmc_frt_cdf(lambda, h, c, t->d_s) : out.service_level) >= t->p;
    case RS_STAFF_RR:
        return answered >= t->p;
    case RS_STAFF_FRT_Q:
        return (erlang_c ? mmc_frt_cdf(lambda, h, c, t->d_s) : out.service_level / answered) >=
               t->p;
    case RS_STAFF_FRT_MEAN:
        return out.wait_mean_served_s + h <= t->d_s;
    }
    return 0;
}

static int analytic_start(const struct rs_staff *st, double lambda)
{
    if (!(lambda > 0) || !(st->handle_mean_s > 0)) return st->o.min_agents;
    int c = st->o.min_agents > 1 ? st->o.min_agents : 1;
    /* more agents never do worse: when even the most miss, so does every
     * count below (and the walk up to a large --max-agents, an Erlang
     * computation of O(c) per step, would take minutes) */
    if (c < st->o.max_agents && !analytic_meets(st, st->o.max_agents, lambda))
        return st->o.max_agents;
    while (c < st->o.max_agents && !analytic_meets(st, c, lambda))
        c++;
    return c;
}

/* Mean handle and patience of the messages needing a reply, weighted by the
 * channels' base rates and mixes (equal weights when every rate is 0). */
static void demand_means(const struct rs_scenario *sc, double *handle_s, double *patience_s)
{
    double wsum = 0, hsum = 0, psum = 0, weight[RS_MAX_TYPES] = {0};
    for (int c = 0; c < sc->n_channels; c++)
        for (int t = 0; t < sc->n_types; t++)
            weight[t] += sc->channels[c].rate_per_s * sc->channels[c].mix[t];
    int any = 0;
    for (int t = 0; t < sc->n_types; t++)
        any |= sc->types[t].needs_reply && weight[t] > 0;
    for (int t = 0; t < sc->n_types; t++) {
        if (!sc->types[t].needs_reply) continue;
        double wt = any ? weight[t] : 1;
        wsum += wt;
        hsum += wt * rs_dist_mean(&sc->types[t].handle);
        psum += wt * rs_dist_mean(&sc->types[t].patience);
    }
    *handle_s = wsum > 0 ? hsum / wsum : 0;
    /* with abandon = stay a lapsed message still waits for an agent: Erlang C */
    *patience_s =
        wsum > 0 && sc->abandon == RS_ABANDON_LEAVE && isfinite(psum) ? psum / wsum : INFINITY;
}

/* 1 when [policy] hours leave [a, b) wholly closed. */
static int closed(const struct rs_scenario *sc, double a, double b)
{
    if (sc->n_hours == 0) return 0;
    double off = sc->start_day * 86400.0 + sc->start_clock_s;
    double wk = floor((a + off) / RS_WEEK_S);
    for (int k = -1; k <= 1; k++)
        for (int i = 0; i < sc->n_hours; i++) {
            double s = (wk + k) * RS_WEEK_S + sc->hours[i].from_s - off;
            double e = (wk + k) * RS_WEEK_S + sc->hours[i].to_s - off;
            if (s < b && e > a) return 0;
        }
    return 1;
}

static double interval_len(const struct rs_staff *st, int i)
{
    double a = i * st->width_s, b = a + st->width_s;
    return (b < st->sc->horizon_s ? b : st->sc->horizon_s) - a;
}

/* ------------------------------------------------------------- simulation */

/* The target's figure of interval i in replication r. */
static double figure(const struct rs_staff *st, const struct rs_results *res, int i, int r)
{
    switch (st->o.target.kind) {
    case RS_STAFF_SL:
        return rs_results_interval_value(res, i, st->m_within, r);
    case RS_STAFF_RR:
        return rs_results_interval_value(res, i, st->m_all, r);
    case RS_STAFF_FRT_Q: {
        double all = rs_results_interval_value(res, i, st->m_all, r);
        return all > 0 ? rs_results_interval_value(res, i, st->m_within, r) / all : NAN;
    }
    case RS_STAFF_FRT_MEAN:
        return rs_results_interval_value(res, i, st->m_frt, r);
    }
    return NAN;
}

/* The figures' summary across replications.  Summed in plain double, not
 * as rs_summary_of does: staffing.csv keeps its digits; the interval is
 * the one rule of summary.h. */
static void summarize(const double *x, int n_all, struct rs_summary *out)
{
    double sum = 0, ss = 0;
    int n = 0;
    for (int k = 0; k < n_all; k++)
        if (!isnan(x[k])) sum += x[k], n++;
    out->n = n;
    out->mean = n ? sum / n : NAN;
    out->sd = out->ci_low = out->ci_high = NAN;
    if (n < 2) return;
    for (int k = 0; k < n_all; k++)
        if (!isnan(x[k])) ss += (x[k] - out->mean) * (x[k] - out->mean);
    out->sd = sqrt(ss / (n - 1));
    double half = rs_summary_ci_half(out->sd, n);
    out->ci_low = out->mean - half;
    out->ci_high = out->mean + half;
}

/* The value an interval is judged by: the mean, or when strict the
 * confidence bound on the wrong side (the mean when there is none). */
static double judged(const struct rs_staff *st, const struct rs_summary *s)
{
    double b = st->o.target.ge ? s->ci_low : s->ci_high;
    return st->o.strict && !isnan(b) ? b : s->mean;
}

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

/* Simulates x and fills st->fig and st->met.  Returns the number of
 * targeted intervals that miss, or a negative RS_E* code.  With keep, the
 * results are handed over instead of freed. */
static int evaluate(struct rs_staff *st, const struct rs_scenario *x, struct rs_results **keep,
                    struct rs_error *err)
{
    struct rs_results *res = NULL;
    int rc = rs_experiment_run(x, &st->run, &res, err);
    if (rc) return rc;
    st->sims++;
    const struct rs_staff_target *t = &st->o.target;
    int reps = rs_results_replications(res), misses = 0;
    double *v = rs_malloc((size_t)reps * sizeof *v);
    for (int i = 0; i < st->n; i++) {
        for (int r = 0; r < reps; r++)
            v[r] = figure(st, res, i, r);
        summarize(v, reps, &st->fig[i]);
        double j = judged(st, &st->fig[i]);
        st->met[i] = st->fig[i].n == 0 || (t->ge ? j >= t->goal - 1e-12 : j <= t->goal);
        if (st->targeted[i] && !st->met[i]) misses++;
    }
    free(v);
    if (keep)
        *keep = res;
    else
        rs_results_destroy(res);
    return misses;
}

/* Simulates the current schedule. */
static int evaluate_schedule(struct rs_staff *st, struct rs_results **keep, struct rs_error *err)
{
    for (int i = 0; i < st->n; i++)
        st->w->schedule.value[i] = st->agents[i];
    return evaluate(st, st->w, keep, err);
}

static void say(const struct rs_staff *st, const char *phase, int misses)
{
    if (!st->o.progress) return;
    long total = 0;
    for (int i = 0; i < st->n; i++)
        total += st->agents[i];
    struct rs_progress p = {.what = RS_PROGRESS_SEARCH,
                            .done = st->sims,
                            .label = phase,
                            .agents = total,
                            .intervals = st->n,
                            .missing = misses};
    st->o.progress(st->o.progress_ctx, &p);
}

/* ------------------------------------------------------------- the search */

/* Step 2: raise the intervals that miss until none does.  Returns 0, 1 when
 * some interval misses at max_agents with every interval before it there
 * too, or a negative RS_E* code. */
static int raise_until_met(struct rs_staff *st, struct rs_error *err)
{
    for (int iter = 0; iter < MAX_ITER; iter++) {
        int misses = evaluate_schedule(st, NULL, err);
        if (misses < 0) return misses;
        say(st, "raise", misses);
        if (misses == 0) return 0;
        int raised = 0;
        for (int i = 0; i < st->n; i++) {
            if (!st->targeted[i] || st->met[i]) continue;
            /* at the ceiling: the backlog it inherits is the next lever */
            int j = i;
            while (j >= 0 && st->agents[j] >= st->o.max_agents)
                j--;
            if (j < 0) continue;
            int step = (int)ceil(0.05 * st->agents[j]);
            st->agents[j] += step < 1 ? 1 : step;
            if (st->agents[j] > st->o.max_agents) st->agents[j] = st->o.max_agents;
            raised = 1;
        }
        if (!raised) return 1;
    }
    return 1;
}

/* Gives back the cut agents that explain the intervals now missing: for
 * each, the latest cut at or before it (staffing acts forward in time);
 * when a miss has no cut before it, every cut.  Returns the cuts left. */
static int give_back(struct rs_staff *st, int *cut, int *locked, int n_cut)
{
    for (int j = 0; j < st->n; j++) {
        if (!st->targeted[j] || st->met[j]) continue;
        int b = j;
        while (b >= 0 && !cut[b])
            b--;
        if (b < 0) {
            for (int i = 0; i < st->n; i++)
                if (cut[i]) cut[i] = 0, st->agents[i]++, locked[i] = 1;
            return 0;
        }
        cut[b] = 0, st->agents[b]++, locked[b] = 1, n_cut--;
    }
    return n_cut;
}

/* Step 3: one agent from every third interval at once, giving agents back
 * where the target then breaks.  Returns 0 or a negative RS_E* code. */
static int trim_groups(struct rs_staff *st, struct rs_error *err)
{
    enum { K = 3 };
    int *locked = rs_calloc((size_t)st->n, sizeof *locked);
    int *cut = rs_calloc((size_t)st->n, sizeof *cut);
    int changed = 1, rc = 0;
    while (changed && !rc) {
        changed = 0;
        for (int g = 0; g < K && !rc; g++) {
            int n_cut = 0;
            for (int i = g; i < st->n; i += K) {
                cut[i] = st->agents[i] > st->floor_[i] && !locked[i];
                if (cut[i]) st->agents[i]--, n_cut++;
            }
            while (n_cut > 0) {
                int misses = evaluate_schedule(st, NULL, err);
                if (misses < 0) {
                    rc = misses;
                    break;
                }
                say(st, "trim", misses);
                if (misses == 0) {
                    changed = 1;
                    break;
                }
                n_cut = give_back(st, cut, locked, n_cut);
            }
            memset(cut, 0, (size_t)st->n * sizeof *cut);
        }
    }
    free(locked);
    free(cut);
    return rc;
}

/* The intervals that may give up an agent, largest slack first, into
 * order; returns their count. */
static int by_slack(const struct rs_staff *st, const int *minimal, int *order, double *slack)
{
    const struct rs_staff_target *t = &st->o.target;
    int m = 0;
    for (int i = 0; i < st->n; i++) {
        if (st->agents[i] <= st->floor_[i] || minimal[i]) continue;
        double v = judged(st, &st->fig[i]);
        slack[i] = st->fig[i].n == 0 ? INFINITY : t->ge ? v - t->goal : t->goal - v;
        if (isnan(slack[i])) slack[i] = INFINITY;
        int k = m++;
        while (k > 0 && slack[order[k - 1]] < slack[i]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    return m;
}

/* Step 4: one agent at a time, largest slack first, until no interval can
 * give one up.  Returns 0 or a negative RS_E* code. */
static int trim_single(struct rs_staff *st, struct rs_error *err)
{
    int *minimal = rs_calloc((size_t)st->n, sizeof *minimal);
    int *order = rs_calloc((size_t)st->n, sizeof *order);
    double *slack = rs_calloc((size_t)st->n, sizeof *slack);
    int rc = evaluate_schedule(st, NULL, err);
    while (rc >= 0) {
        int m = by_slack(st, minimal, order, slack);
        if (m == 0) break;
        for (int k = 0; k < m; k++) {
            int i = order[k];
            st->agents[i]--;
            int misses = evaluate_schedule(st, NULL, err);
            if (misses < 0) {
                rc = misses;
                break;
            }
            say(st, "check", misses);
            if (misses > 0) st->agents[i]++, minimal[i] = 1;
        }
        if (rc >= 0) rc = evaluate_schedule(st, NULL, err); /* fig of the current schedule */
    }
    free(minimal);
    free(order);
    free(slack);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------- shifts */

static const char *const weekday_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* "mon-0900-8h": weekdays, start and length; unique within a plan. */
static void shift_name(const struct rs_shifts_row *r, char *buf, size_t n)
{
    rs_shifts_row_name(r, buf, n);
}

/* Replaces x's staffing by the plan's [shift] sections (every channel, no
 * break). */
static void use_shifts(struct rs_scenario *x, const struct rs_shifts_plan *plan)
{
    rs_scenario_set_schedule(x, "", 0, NULL, NULL);
    x->n_shifts = plan->n_rows;
    for (int k = 0; k < plan->n_rows; k++) {
        const struct rs_shifts_row *r = &plan->rows[k];
        struct rs_shift_cfg *s = &x->shifts[k];
        memset(s, 0, sizeof *s);
        shift_name(r, s->name, sizeof s->name);
        s->days = r->days ? r->days : 1u << r->day; /* a roster's agent-week: several days */
        s->start_clock_s = r->start_clock_s;
        s->length_s = r->length_s;
        s->agents = r->agents;
        s->channels = x->n_channels >= 32 ? 0xffffffffu : (1u << x->n_channels) - 1;
    }
}

/* Checks that the shift model can cover every interval (one agent in each),
 * before any simulation. */
static int check_shifts(struct rs_staff *st, struct rs_error *err)
{
    struct rs_shifts_in *in = &st->o.shift;
    in->n = st->n;
    in->interval_s = st->width_s;
    in->horizon_s = st->sc->horizon_s;
    in->start_day = st->sc->start_day;
    in->start_clock_s = st->sc->start_clock_s;
    if (!(in->step_s > 0)) in->step_s = st->width_s;
    int *ones = rs_calloc((size_t)st->n, sizeof *ones);
    for (int i = 0; i < st->n; i++)
        ones[i] = 1;
    in->need = ones;
    struct rs_shifts_plan plan;
    int rc = rs_shifts_solve(in, &plan, err);
    rs_shifts_plan_free(&plan);
    free(ones);
    in->need = NULL;
    return rc;
}

/* The shifts covering the staffing found, simulated when they fit. */
static int run_shifts(struct rs_staff *st, struct rs_error *err)
{
    st->o.shift.need = st->agents;
    int rc = rs_shifts_solve(&st->o.shift, &st->plan, err);
    if (rc < 0 || st->plan.n_rows > RS_MAX_SHIFTS) return rc;
    /* more agents than the staffing in every interval, but the drain has
     * only the shifts that run on */
    st->w_sh = rs_scenario_copy(st->w);
    use_shifts(st->w_sh, &st->plan);
    rc = evaluate(st, st->w_sh, NULL, err);
    if (rc < 0) return rc;
    st->shift_misses = rc;
    return RS_OK;
}

/* ------------------------------------------------------------- create and run */

/* Adds threshold t to x's within list (kept increasing); -1: no room. */
static int add_within(struct rs_scenario *x, double t)
{
    int k = 0;
    while (k < x->n_within && x->within_s[k] < t)
        k++;
    if (k < x->n_within && x->within_s[k] == t) return 0;
    if (x->n_within == RS_MAX_WITHIN) return -1;
    memmove(&x->within_s[k + 1], &x->within_s[k], (size_t)(x->n_within - k) * sizeof(double));
    x->within_s[k] = t;
    x->n_within++;
    return 0;
}

/* The copy that runs: the found schedule instead of the scenario's staff,
 * and the thresholds the target's figure is read from (a threshold past
 * the end of the run counts every answered message), with their interval
 * metrics. */
static int make_working_copy(struct rs_staff *st, struct rs_error *err)
{
    const struct rs_scenario *sc = st->sc;
    enum rs_staff_kind kind = st->o.target.kind;
    double *t = rs_calloc((size_t)st->n, sizeof *t), *v = rs_calloc((size_t)st->n, sizeof *v);
    for (int i = 0; i < st->n; i++)
        t[i] = i * st->width_s;
    st->w = rs_scenario_copy(sc);
    rs_scenario_set_schedule(st->w, "schedule.csv", st->n, t, v);
    free(t);
    free(v);
    double all_s = 2 * (sc->horizon_s + sc->drain_s) + 1;
    int need_t = kind == RS_STAFF_SL || kind == RS_STAFF_FRT_Q;
    int need_all = kind == RS_STAFF_RR || kind == RS_STAFF_FRT_Q;
    if ((need_t && add_within(st->w, st->o.target.d_s)) || (need_all && add_within(st->w, all_s)))
        return rs_error_input(err, NULL, 0, "[scenario] within",
                              "expected at most %d thresholds besides the target's",
                              RS_MAX_WITHIN - 2);
    char label[32], name[64];
    rs_units_label_duration(st->o.target.d_s, label, sizeof label);
    snprintf(name, sizeof name, "sl_%s", label);
    st->m_within = need_t ? interval_metric(st->w, name) : -1;
    rs_units_label_duration(all_s, label, sizeof label);
    snprintf(name, sizeof name, "sl_%s", label);
    st->m_all = need_all ? interval_metric(st->w, name) : -1;
    st->m_frt = interval_metric(st->w, "frt_mean_s");
    st->m_inbox = interval_metric(st->w, "inbox");
    /* the thresholds were just added: a metric missing is a bug */
    if ((need_t && st->m_within < 0) || (need_all && st->m_all < 0) || st->m_inbox < 0) abort();
    return RS_OK;
}

int rs_staff_create(const struct rs_scenario *sc, const struct rs_staff_opts *opts,
                    struct rs_staff **out, struct rs_error *err)
{
    struct rs_staff *st = rs_calloc(1, sizeof *st);
    st->sc = sc;
    st->o = *opts;
    st->width_s = sc->interval_s;
    st->n = (int)ceil(sc->horizon_s / sc->interval_s);
    if (st->n < 1) st->n = 1;
    int rc = opts->shifts ? check_shifts(st, err) : RS_OK;
    if (!rc) rc = make_working_copy(st, err);
    if (rc) {
        rs_staff_destroy(st);
        return rc;
    }
    st->run = (struct rs_run_opts){.replications = opts->replications,
                                   .seed = opts->seed,
                                   .threads = opts->threads,
                                   .want = RS_WANT_INTERVALS}; /* it reads nothing else */
    size_t n = (size_t)st->n;
    st->agents = rs_calloc(n, sizeof *st->agents);
    st->floor_ = rs_calloc(n, sizeof *st->floor_);
    st->targeted = rs_calloc(n, sizeof *st->targeted);
    st->lambda = rs_calloc(n, sizeof *st->lambda);
    st->fig = rs_calloc(n, sizeof *st->fig);
    st->met = rs_calloc(n, sizeof *st->met);
    demand_means(sc, &st->handle_mean_s, &st->patience_mean_s);
    *out = st;
    return RS_OK;
}

/* Step 1: demand from a pilot run at the ceiling, and the Erlang start.
 * Returns 1 when the pilot already misses (no staffing can do better), 0,
 * or a negative RS_E* code. */
static int pilot(struct rs_staff *st, struct rs_error *err)
{
    for (int i = 0; i < st->n; i++)
        st->agents[i] = st->o.max_agents;
    struct rs_results *res = NULL;
    int rc = evaluate_schedule(st, &res, err);
    if (rc < 0) return rc;
    for (int i = 0; i < st->n; i++) {
        struct rs_summary s;
        rs_results_interval_summary(res, i, st->m_inbox, &s);
        st->lambda[i] = s.mean / interval_len(st, i);
        double a = i * st->width_s;
        st->targeted[i] = s.mean > 0 && !closed(st->sc, a, a + interval_len(st, i));
        st->floor_[i] = st->o.min_agents;
        st->agents[i] = st->targeted[i] ? analytic_start(st, st->lambda[i]) : st->floor_[i];
    }
    rs_results_destroy(res);
    for (int i = 0; i < st->n; i++)
        if (st->targeted[i] && !st->met[i]) return 1;
    return 0;
}

int rs_staff_run(struct rs_staff *st, struct rs_error *err)
{
    int rc = pilot(st, err);
    int unreachable = rc == 1;
    if (rc < 0) return rc;
    if (!unreachable) {
        rc = raise_until_met(st, err);
        if (rc < 0) return rc;
        unreachable = rc == 1;
    }
    if (!unreachable) {
        rc = trim_groups(st, err);
        if (!rc) rc = trim_single(st, err);
        if (rc < 0) return rc;
    }
    if (st->o.shifts) {
        rc = run_shifts(st, err);
        if (rc < 0) return rc;
    }
    rc = evaluate_schedule(st, &st->res, err);
    if (rc < 0) return rc;
    st->misses = rc;
    return RS_OK;
}

void rs_staff_result(const struct rs_staff *st, struct rs_staff_result *out)
{
    memset(out, 0, sizeof *out);
    out->n = st->n;
    out->width_s = st->width_s;
    out->lo = st->o.max_agents;
    for (int i = 0; i < st->n; i++) {
        out->agent_hours += st->agents[i] * interval_len(st, i) / 3600;
        if (st->agents[i] < out->lo) out->lo = st->agents[i];
        if (st->agents[i] > out->hi) out->hi = st->agents[i];
        out->n_targeted += st->targeted[i];
    }
    out->sims = st->sims;
    out->misses = st->misses;
    out->plan = st->o.shifts ? &st->plan : NULL;
    out->shift_step_s = st->o.shift.step_s;
    out->shifts_fit = st->w_sh != NULL;
    out->shift_misses = st->shift_misses;
}

int rs_staff_missed(const struct rs_staff *st, int i)
{
    return i >= 0 && i < st->n && st->targeted[i] && !st->met[i];
}

void rs_staff_destroy(struct rs_staff *st)
{
    if (!st) return;
    rs_scenario_destroy(st->w);
    rs_scenario_destroy(st->w_sh);
    rs_results_destroy(st->res);
    rs_shifts_plan_free(&st->plan);
    free(st->agents);
    free(st->floor_);
    free(st->targeted);
    free(st->lambda);
    free(st->fig);
    free(st->met);
    free(st);
}

/* ------------------------------------------------------------- files */

static int put_staffing(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    fputs("interval,start_s,start,agents,inbox_per_h,load_erl,metric,target,mean,ci_low,ci_high,"
          "n,met\n",
          f);
    for (int i = 0; i < st->n; i++) {
        char label[32];
        rs_report_clock(st->sc, i * st->width_s, label, sizeof label);
        fprintf(f, "%d,", i);
        rs_csvout_number(f, i * st->width_s);
        fprintf(f, ",%s,%d,", label, st->agents[i]);
        rs_csvout_number(f, st->lambda[i] * 3600);
        fputc(',', f);
        rs_csvout_number(f, st->lambda[i] * st->handle_mean_s);
        fprintf(f, ",%s,", st->o.target.metric);
        rs_csvout_number(f, st->o.target.goal);
        double x[3] = {st->fig[i].mean, st->fig[i].ci_low, st->fig[i].ci_high};
        for (int k = 0; k < 3; k++) {
            fputc(',', f);
            rs_csvout_number(f, x[k]);
        }
        fprintf(f, ",%d,", st->fig[i].n);
        if (st->targeted[i] && st->fig[i].n > 0) fputc(st->met[i] ? '1' : '0', f);
        fputc('\n', f);
    }
    return RS_OK;
}

static int put_schedule(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    fputs("time,agents\n", f);
    for (int i = 0; i < st->n; i++) {
        char d[64];
        rs_units_format_duration(i * st->width_s, d, sizeof d);
        fprintf(f, "%s,%d\n", d, st->agents[i]);
    }
    return RS_OK;
}

static int put_intervals(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    rs_report_intervals(f, st->res, st->w);
    return RS_OK;
}

/* The scenario as loaded, its staff replaced by schedule.csv. */
static int put_ini(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    struct rs_scenario *out = rs_scenario_copy(st->sc);
    rs_scenario_set_schedule(out, st->w->schedule.path, st->n, st->w->schedule.t_s,
                             st->w->schedule.value);
    fprintf(f, "; replysim %s: the staffing found by replysim staff --target '%s'\n", RS_VERSION,
            st->o.target.text);
    rs_scenario_write(out, f);
    rs_scenario_destroy(out);
    return RS_OK;
}

static int put_shifts(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    fputs("name,day,start,length,agents\n", f);
    for (int k = 0; k < st->plan.n_rows; k++) {
        const struct rs_shifts_row *r = &st->plan.rows[k];
        char name[RS_NAME_MAX], len[64];
        long min = lround(r->start_clock_s / 60);
        shift_name(r, name, sizeof name);
        rs_units_format_duration(r->length_s, len, sizeof len);
        fprintf(f, "%s,%s,%02ld:%02ld,%s,%d\n", name, weekday_names[r->day], min / 60, min % 60,
                len, r->agents);
    }
    return RS_OK;
}

/* The scenario as loaded, its staff replaced by the shifts. */
static int put_shifts_ini(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    struct rs_scenario *out = rs_scenario_copy(st->sc);
    use_shifts(out, &st->plan);
    fprintf(f, "; replysim %s: the shifts found by replysim staff --target '%s' --shifts %s\n",
            RS_VERSION, st->o.target.text, st->o.shifts_text);
    rs_scenario_write(out, f);
    rs_scenario_destroy(out);
    return RS_OK;
}

int rs_staff_write(const char *dir, const struct rs_staff *st, struct rs_error *err)
{
    const struct rs_report_entry files[] = {
        {"staffing.csv", put_staffing, st},
        {"schedule.csv", put_schedule, st},
        {"intervals.csv", put_intervals, st},
        {"scenario.ini", put_ini, st},
        {"shifts.csv", st->o.shifts ? put_shifts : NULL, st},
        {"shifts.ini", st->w_sh ? put_shifts_ini : NULL, st},
    };
    return rs_report_write(dir, files, sizeof files / sizeof files[0], err);
}
