/* cmd_staff.c: `replysim staff`, the fewest agents per stats interval that
 * meet a target in every interval, found by simulation (SPEC section 9).
 *
 * Backlog carries over from one interval to the next, so hour-by-hour
 * Erlang figures are only a start.  In the manner of the iterative staffing
 * algorithm (Feldman, Mandelbaum, Massey and Whitt 2008):
 *
 *   1. a pilot run with every interval at --max-agents measures the demand
 *      (messages needing a reply per interval); the start of each interval
 *      is the smallest count that meets the target by Erlang C (Erlang A
 *      with abandon = leave and finite patience) at that interval's load;
 *   2. raise: simulate the schedule (common random numbers: the same seeds
 *      every time) and add agents (+1, or 5% when more) to every interval
 *      that misses, until none does;
 *   3. trim in groups: take one agent from every third interval at once;
 *      when some interval then misses, the latest changed interval at or
 *      before it gives its agent back (staffing only affects later
 *      messages);
 *   4. trim one at a time, largest slack first, until taking one agent from
 *      any interval breaks the target somewhere (or it is at its floor).
 *
 * An interval meets the target when the mean over replications of its
 * per-replication figure does (--strict: the 95% confidence bound does);
 * figures are by interval of arrival.  Intervals with no messages, and
 * intervals wholly outside [policy] hours, are not targeted and are staffed
 * at --min-agents.  The drain keeps the last interval's agents; agent-hours
 * count the horizon only. */
#include "cmd.h"

#include "cli.h"
#include "replysim/erlang.h"
#include "replysim/csvout.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "replysim/shifts.h"
#include "stats.h"
#include "replysim/units.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ITER 200 /* simulations of the raise step */
#define SHIFT_TIME_LIMIT_S 60 /* of the shift model's branch and bound */

static const char usage[] =
    "usage: replysim staff SCENARIO --target TARGET [--cost-per-agent-hour X]\n"
    "                      [--min-agents N] [--max-agents N] [--strict]\n"
    "                      [--shifts LENGTHS [--shift-starts STEP] [--shift-cost-per-hour X]]\n"
    "                      [-r REPS] [-s SEED] [-o DIR] [-j THREADS] [--set K=V]...\n"
    "\n"
    "Finds the fewest agents per stats interval ([scenario] interval, 1h) that\n"
    "meet TARGET in every interval of the horizon, by simulation: an Erlang\n"
    "start per interval, then raising the intervals that miss and trimming\n"
    "until taking one agent from any interval breaks the target (backlog\n"
    "carries over from one interval to the next).  The scenario's own [staff]\n"
    "agents, schedule and [shift] sections are replaced.  Every simulation runs\n"
    "the same replication seeds.\n"
    "\n"
    "  --target TARGET        what every interval must meet, by interval of arrival:\n"
    "                           'sl(1h)>=0.9'       share answered within 1h\n"
    "                           'response_rate>=0.95'  share answered at all\n"
    "                           'frt_p90<=4h'       p50, p90, p95 or p99 of the first\n"
    "                                               response time (of answered messages)\n"
    "                           'frt_mean<=30m'     mean first response time\n"
    "  --cost-per-agent-hour X  cost of one agent-hour (1)\n"
    "  --min-agents N         fewest agents in any interval (0)\n"
    "  --max-agents N         most agents in any interval (1000)\n"
    "  --strict               meet the target with the 95% confidence bound, not the\n"
    "                         mean over replications\n"
    "  --shifts LENGTHS       also turn the staffing into shifts of these lengths, such\n"
    "                         as 8h,6h,4h: the fewest paid agent-hours whose agents on\n"
    "                         shift cover the staffing in every interval (an exact\n"
    "                         integer program, GLPK, 60 s time limit); breaks are not\n"
    "                         modelled; a shift may run past the horizon (paid in full)\n"
    "  --shift-starts STEP    shifts start every STEP from the run's start (default:\n"
    "                         the interval), on each day of the horizon\n"
    "  --shift-cost-per-hour X  cost of a paid shift agent-hour (--cost-per-agent-hour)\n"
    "  -r, --replications N   replications of every simulation (default: the scenario's)\n"
    "  -s, --seed N           base seed (default: the scenario's)\n"
    "  -o, --output DIR       output folder (default results/NAME/)\n"
    "  -j, --threads N        replications run in parallel (output is identical)\n"
    "  --set SECTION.KEY=V    override a key of the scenario (repeatable)\n"
    "  -q, --quiet            no progress lines\n"
    "  -h, --help             this text\n"
    "\n"
    "Writes staffing.csv (per interval: agents, demand, the target's figure with\n"
    "its 95% CI), schedule.csv (time,agents: for [staff] schedule), scenario.ini\n"
    "(the scenario with that schedule) and intervals.csv of the final run; prints\n"
    "agent-hours and cost.  With --shifts also shifts.csv (name,day,start,length,\n"
    "agents) and shifts.ini (the scenario with those [shift] sections).  The drain keeps the last interval's agents.  Exit\n"
    "status 3 (files still written) when some interval cannot meet the target\n"
    "within --max-agents.\n";

enum kind { T_SL, T_RR, T_FRT_Q, T_FRT_MEAN };

struct target {
    enum kind kind;
    double d_s;       /* the threshold T of sl(T), frt_pQ <= D, frt_mean <= D */
    double p;         /* the share of sl and response_rate; Q/100 of frt_pQ */
    int ge;           /* 1: the figure must be >= goal, 0: <= goal */
    double goal;      /* p, or d_s for frt_mean */
    char text[128];   /* as given, blanks removed */
    char metric[96];  /* name of the figure in staffing.csv */
};

struct staff {
    const struct rs_scenario *sc; /* as loaded */
    struct rs_scenario *w;        /* shallow copy run with the schedule below */
    struct target tg;
    struct rs_run_opts opts;
    int n;                  /* intervals of the horizon */
    double width_s;
    int *agents;            /* current schedule */
    int *floor_;            /* --min-agents */
    int *targeted;          /* 0: no messages or closed: held at the floor */
    double *lambda;         /* messages needing a reply per second, pilot */
    double handle_mean_s, patience_mean_s;
    int min_agents, max_agents, strict, progress;
    int m_within, m_all, m_frt; /* interval metric indices */
    long sims;
    /* the figures of the last evaluation */
    struct rs_summary *fig;
    int *met;
};

static const char target_expected[] =
    "expected sl(DURATION)>=P, response_rate>=P, frt_pQ<=DURATION (Q 50, 90, 95, 99) or "
    "frt_mean<=DURATION, such as 'sl(1h)>=0.90'";

/* Parses --target; 0 or -1 after saying why on stderr. */
static int parse_target(const char *arg, struct target *t)
{
    char s[128], why[256] = "";
    size_t n = 0;
    for (const char *p = arg; *p; p++)
        if (*p != ' ' && *p != '\t' && n + 1 < sizeof s) s[n++] = *p;
    s[n] = '\0';
    memset(t, 0, sizeof *t);
    snprintf(t->text, sizeof t->text, "%s", s);
    const char *ge = strstr(s, ">="), *le = strstr(s, "<=");
    const char *op = ge ? ge : le;
    if (!op || (ge && le)) goto bad;
    char lhs[128];
    snprintf(lhs, sizeof lhs, "%.*s", (int)(op - s), s);
    const char *rhs = op + 2;
    if (ge && !strncmp(lhs, "sl(", 3) && lhs[strlen(lhs) - 1] == ')') {
        char d[128];
        snprintf(d, sizeof d, "%.*s", (int)strlen(lhs) - 4, lhs + 3);
        if (rs_units_duration(d, &t->d_s, why, sizeof why) || !(t->d_s > 0)) {
            fprintf(stderr, "replysim staff: --target %s: sl(T): %s\n", arg,
                    why[0] ? why : "expected T above 0");
            return -1;
        }
        t->kind = T_SL;
    } else if (ge && !strcmp(lhs, "response_rate")) {
        t->kind = T_RR;
    } else if (le && !strcmp(lhs, "frt_mean")) {
        t->kind = T_FRT_MEAN;
    } else if (le && (!strcmp(lhs, "frt_p50") || !strcmp(lhs, "frt_p90") ||
                      !strcmp(lhs, "frt_p95") || !strcmp(lhs, "frt_p99"))) {
        t->kind = T_FRT_Q;
        t->p = strtod(lhs + 5, NULL) / 100; /* one of 50, 90, 95, 99 */
    } else {
        goto bad;
    }
    why[0] = '\0';
    if (t->kind == T_SL || t->kind == T_RR) {
        if (rs_units_prob(rhs, &t->p, why, sizeof why) || t->p <= 0) {
            fprintf(stderr, "replysim staff: --target %s: %s\n", arg,
                    why[0] ? why : "expected a share above 0");
            return -1;
        }
        t->ge = 1;
        t->goal = t->p;
    } else {
        if (rs_units_duration(rhs, &t->d_s, why, sizeof why) || !(t->d_s > 0)) {
            fprintf(stderr, "replysim staff: --target %s: %s\n", arg,
                    why[0] ? why : "expected a duration above 0 such as 4h");
            return -1;
        }
        t->ge = t->kind == T_FRT_Q;
        t->goal = t->kind == T_FRT_Q ? t->p : t->d_s;
    }
    char label[32];
    rs_units_label_duration(t->d_s, label, sizeof label);
    if (t->kind == T_SL) snprintf(t->metric, sizeof t->metric, "sl_%s", label);
    if (t->kind == T_RR) snprintf(t->metric, sizeof t->metric, "response_rate");
    if (t->kind == T_FRT_MEAN) snprintf(t->metric, sizeof t->metric, "frt_mean_s");
    if (t->kind == T_FRT_Q) snprintf(t->metric, sizeof t->metric, "answered_within_%s", label);
    return 0;
bad:
    fprintf(stderr, "replysim staff: --target %s: %s\n", arg, target_expected);
    return -1;
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
static int analytic_meets(const struct staff *st, int c, double lambda)
{
    const struct target *t = &st->tg;
    double h = st->handle_mean_s, pm = st->patience_mean_s;
    struct rs_erlang_in in = {lambda, h, pm, c, t->d_s > h ? t->d_s - h : 0};
    struct rs_erlang_out out;
    char why[128];
    if (rs_erlang_compute(&in, &out, why, sizeof why) || !out.stable) return 0;
    int erlang_c = isinf(pm);
    double answered = erlang_c ? 1 : 1 - out.p_abandon;
    switch (t->kind) {
    case T_SL:
        return (erlang_c ? mmc_frt_cdf(lambda, h, c, t->d_s) : out.service_level) >= t->p;
    case T_RR:
        return answered >= t->p;
    case T_FRT_Q:
        return (erlang_c ? mmc_frt_cdf(lambda, h, c, t->d_s) : out.service_level / answered) >=
               t->p;
    case T_FRT_MEAN:
        return out.wait_mean_served_s + h <= t->d_s;
    }
    return 0;
}

static int analytic_start(const struct staff *st, double lambda)
{
    if (!(lambda > 0) || !(st->handle_mean_s > 0)) return st->min_agents;
    int c = st->min_agents > 1 ? st->min_agents : 1;
    while (c < st->max_agents && !analytic_meets(st, c, lambda))
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
    *patience_s = wsum > 0 && sc->abandon == RS_ABANDON_LEAVE && isfinite(psum) ? psum / wsum
                                                                               : INFINITY;
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

/* ------------------------------------------------------------- simulation */

static void set_schedule(struct staff *st)
{
    for (int i = 0; i < st->n; i++)
        st->w->schedule.value[i] = st->agents[i];
}

/* The target's figure of interval i in replication r. */
static double figure(const struct staff *st, const struct rs_results *res, int i, int r)
{
    switch (st->tg.kind) {
    case T_SL:
        return rs_results_interval_value(res, i, st->m_within, r);
    case T_RR:
        return rs_results_interval_value(res, i, st->m_all, r);
    case T_FRT_Q: {
        double all = rs_results_interval_value(res, i, st->m_all, r);
        return all > 0 ? rs_results_interval_value(res, i, st->m_within, r) / all : NAN;
    }
    case T_FRT_MEAN:
        return rs_results_interval_value(res, i, st->m_frt, r);
    }
    return NAN;
}

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
    double half = gsl_cdf_tdist_Pinv(0.975, n - 1) * out->sd / sqrt((double)n);
    out->ci_low = out->mean - half;
    out->ci_high = out->mean + half;
}

/* The value an interval is judged by: the mean, or with --strict the
 * confidence bound on the wrong side (the mean when there is none). */
static double judged(const struct staff *st, const struct rs_summary *s)
{
    double b = st->tg.ge ? s->ci_low : s->ci_high;
    return st->strict && !isnan(b) ? b : s->mean;
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

/* Simulates the current schedule and fills st->fig and st->met.  Returns
 * the number of targeted intervals that miss, or a negative RS_E* code.
 * With keep, the results are handed over instead of freed. */
static int evaluate(struct staff *st, struct rs_results **keep, struct rs_error *err)
{
    struct rs_results *res = NULL;
    set_schedule(st);
    int rc = rs_experiment_run(st->w, &st->opts, &res, err);
    if (rc) return rc;
    st->sims++;
    if (st->m_within < 0 && (st->tg.kind == T_SL || st->tg.kind == T_FRT_Q)) abort();
    int reps = rs_results_replications(res), misses = 0;
    double *x = malloc((size_t)reps * sizeof *x);
    if (!x) abort();
    for (int i = 0; i < st->n; i++) {
        for (int r = 0; r < reps; r++)
            x[r] = figure(st, res, i, r);
        summarize(x, reps, &st->fig[i]);
        double v = judged(st, &st->fig[i]);
        st->met[i] = st->fig[i].n == 0 || (st->tg.ge ? v >= st->tg.goal - 1e-12
                                                     : v <= st->tg.goal);
        if (st->targeted[i] && !st->met[i]) misses++;
    }
    free(x);
    if (keep)
        *keep = res;
    else
        rs_results_destroy(res);
    return misses;
}

static void say(const struct staff *st, const char *phase, int misses)
{
    if (!st->progress) return;
    long total = 0;
    for (int i = 0; i < st->n; i++)
        total += st->agents[i];
    fprintf(stderr, "replysim staff: %s: simulation %ld, %ld agents over %d intervals, %d missing\n",
            phase, st->sims, total, st->n, misses);
}

/* ------------------------------------------------------------- the search */

/* Step 2: raise the intervals that miss until none does.  Returns 0, 1 when
 * some interval misses at --max-agents with every interval before it there
 * too, or a negative RS_E* code. */
static int raise_until_met(struct staff *st, struct rs_error *err)
{
    for (int iter = 0; iter < MAX_ITER; iter++) {
        int misses = evaluate(st, NULL, err);
        if (misses < 0) return misses;
        say(st, "raise", misses);
        if (misses == 0) return 0;
        int raised = 0;
        for (int i = 0; i < st->n; i++) {
            if (!st->targeted[i] || st->met[i]) continue;
            /* at the ceiling: the backlog it inherits is the next lever */
            int j = i;
            while (j >= 0 && st->agents[j] >= st->max_agents)
                j--;
            if (j < 0) continue;
            int step = (int)ceil(0.05 * st->agents[j]);
            st->agents[j] += step < 1 ? 1 : step;
            if (st->agents[j] > st->max_agents) st->agents[j] = st->max_agents;
            raised = 1;
        }
        if (!raised) return 1;
    }
    return 1;
}

/* Step 3: one agent from every third interval at once, giving agents back
 * where the target then breaks.  Returns 0 or a negative RS_E* code. */
static int trim_groups(struct staff *st, struct rs_error *err)
{
    enum { K = 3 };
    int *locked = calloc((size_t)st->n, sizeof *locked);
    int *cut = calloc((size_t)st->n, sizeof *cut);
    if (!locked || !cut) abort();
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
                int misses = evaluate(st, NULL, err);
                if (misses < 0) {
                    rc = misses;
                    break;
                }
                say(st, "trim", misses);
                if (misses == 0) {
                    changed = 1;
                    break;
                }
                /* staffing acts forward in time: blame the latest cut at or
                 * before each interval that now misses */
                for (int j = 0; j < st->n; j++) {
                    if (!st->targeted[j] || st->met[j]) continue;
                    int b = j;
                    while (b >= 0 && !cut[b])
                        b--;
                    if (b < 0) { /* not explained by a cut: give every one back */
                        for (int i = 0; i < st->n; i++)
                            if (cut[i]) cut[i] = 0, st->agents[i]++, locked[i] = 1;
                        n_cut = 0;
                        break;
                    }
                    cut[b] = 0, st->agents[b]++, locked[b] = 1, n_cut--;
                }
            }
            for (int i = 0; i < st->n; i++)
                cut[i] = 0;
        }
    }
    free(locked);
    free(cut);
    return rc;
}

/* Step 4: one agent at a time, largest slack first, until no interval can
 * give one up.  Returns 0 or a negative RS_E* code. */
static int trim_single(struct staff *st, struct rs_error *err)
{
    int *minimal = calloc((size_t)st->n, sizeof *minimal);
    int *order = malloc((size_t)st->n * sizeof *order);
    double *slack = malloc((size_t)st->n * sizeof *slack);
    if (!minimal || !order || !slack) abort();
    int rc = evaluate(st, NULL, err);
    for (;;) {
        if (rc < 0) break;
        int m = 0;
        for (int i = 0; i < st->n; i++) {
            if (st->agents[i] <= st->floor_[i] || minimal[i]) continue;
            double v = judged(st, &st->fig[i]);
            slack[i] = st->fig[i].n == 0 ? INFINITY : st->tg.ge ? v - st->tg.goal : st->tg.goal - v;
            if (isnan(slack[i])) slack[i] = INFINITY;
            int k = m++;
            while (k > 0 && slack[order[k - 1]] < slack[i]) {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = i;
        }
        if (m == 0) break;
        for (int k = 0; k < m; k++) {
            int i = order[k];
            st->agents[i]--;
            int misses = evaluate(st, NULL, err);
            if (misses < 0) {
                rc = misses;
                break;
            }
            say(st, "check", misses);
            if (misses > 0) st->agents[i]++, minimal[i] = 1;
        }
        if (rc >= 0) rc = evaluate(st, NULL, err); /* fig of the current schedule */
    }
    free(minimal);
    free(order);
    free(slack);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------- outputs */

static double interval_len(const struct staff *st, int i)
{
    double a = i * st->width_s, b = a + st->width_s;
    return (b < st->sc->horizon_s ? b : st->sc->horizon_s) - a;
}

static void write_staffing(FILE *f, const struct staff *st)
{
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
        fprintf(f, ",%s,", st->tg.metric);
        rs_csvout_number(f, st->tg.goal);
        double x[3] = {st->fig[i].mean, st->fig[i].ci_low, st->fig[i].ci_high};
        for (int k = 0; k < 3; k++) {
            fputc(',', f);
            rs_csvout_number(f, x[k]);
        }
        fprintf(f, ",%d,", st->fig[i].n);
        if (st->targeted[i] && st->fig[i].n > 0) fputc(st->met[i] ? '1' : '0', f);
        fputc('\n', f);
    }
}

static void write_schedule(FILE *f, const struct staff *st)
{
    fputs("time,agents\n", f);
    for (int i = 0; i < st->n; i++) {
        char d[64];
        rs_units_format_duration(i * st->width_s, d, sizeof d);
        fprintf(f, "%s,%d\n", d, st->agents[i]);
    }
}

/* ------------------------------------------------------------- shifts */

/* Parses --shifts: comma-separated lengths (repeats dropped); 0, or -1
 * with why filled. */
static int parse_lengths(const char *v, struct rs_shifts_in *in, char *why, size_t n)
{
    in->n_lengths = 0;
    const char *p = v;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char item[64];
        double s;
        if (len >= sizeof item) len = sizeof item - 1;
        memcpy(item, p, len);
        item[len] = '\0';
        if (rs_units_duration(item, &s, why, n)) return -1;
        if (!(s > 0) || s > RS_WEEK_S || fabs(s / 60 - round(s / 60)) > 1e-9) {
            snprintf(why, n, "expected shift lengths of whole minutes above 0 and at most 1w "
                             "such as 8h,6h,4h, got \"%s\"", item);
            return -1;
        }
        int seen = 0;
        for (int k = 0; k < in->n_lengths; k++)
            seen |= in->length_s[k] == s;
        if (!seen) {
            if (in->n_lengths == RS_SHIFTS_MAX_LENGTHS) {
                snprintf(why, n, "expected at most %d shift lengths", RS_SHIFTS_MAX_LENGTHS);
                return -1;
            }
            in->length_s[in->n_lengths++] = s;
        }
        if (!e) return 0;
        p = e + 1;
    }
}

static const char *const weekday_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* "mon-0900-8h": weekday, start and length; unique within a plan. */
static void shift_name(const struct rs_shifts_row *r, char *buf, size_t n)
{
    char len[32];
    long min = lround(r->start_clock_s / 60);
    rs_units_label_duration(r->length_s, len, sizeof len);
    snprintf(buf, n, "%s-%02ld%02ld-%s", weekday_names[r->day], min / 60, min % 60, len);
}

static void write_shifts(FILE *f, const struct rs_shifts_plan *plan)
{
    fputs("name,day,start,length,agents\n", f);
    for (int k = 0; k < plan->n_rows; k++) {
        const struct rs_shifts_row *r = &plan->rows[k];
        char name[RS_NAME_MAX], len[64];
        long min = lround(r->start_clock_s / 60);
        shift_name(r, name, sizeof name);
        rs_units_format_duration(r->length_s, len, sizeof len);
        fprintf(f, "%s,%s,%02ld:%02ld,%s,%d\n", name, weekday_names[r->day], min / 60, min % 60,
                len, r->agents);
    }
}

/* Replaces x's staffing by the plan's [shift] sections (every channel, no
 * break).  The schedule's arrays stay for set_schedule; n = 0 turns it off. */
static void use_shifts(struct rs_scenario *x, const struct rs_shifts_plan *plan)
{
    x->agents = 0;
    x->schedule.n = 0;
    x->n_shifts = plan->n_rows;
    for (int k = 0; k < plan->n_rows; k++) {
        const struct rs_shifts_row *r = &plan->rows[k];
        struct rs_shift_cfg *s = &x->shifts[k];
        memset(s, 0, sizeof *s);
        shift_name(r, s->name, sizeof s->name);
        s->days = 1u << r->day;
        s->start_clock_s = r->start_clock_s;
        s->length_s = r->length_s;
        s->agents = r->agents;
        s->channels = x->n_channels >= 32 ? 0xffffffffu : (1u << x->n_channels) - 1;
    }
}

/* ------------------------------------------------------------- files */

/* What staff's files are written from. */
struct outputs {
    const struct staff *st;
    const struct rs_results *res;      /* the final run */
    const struct rs_scenario *sc;      /* as loaded */
    const struct rs_scenario *w;       /* the copy run with the schedule */
    const struct rs_shifts_plan *plan; /* with --shifts */
    const char *shifts_arg;
};

static int put_staffing(FILE *f, const void *ctx, struct rs_error *err)
{
    (void)err;
    write_staffing(f, ((const struct outputs *)ctx)->st);
    return RS_OK;
}

static int put_schedule(FILE *f, const void *ctx, struct rs_error *err)
{
    (void)err;
    write_schedule(f, ((const struct outputs *)ctx)->st);
    return RS_OK;
}

static int put_intervals(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct outputs *o = ctx;
    (void)err;
    rs_report_intervals(f, o->res, o->w);
    return RS_OK;
}

/* The scenario as loaded, its staff replaced by schedule.csv. */
static int put_ini(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct outputs *o = ctx;
    (void)err;
    struct rs_scenario *out = malloc(sizeof *out);
    if (!out) abort();
    *out = *o->sc;
    out->agents = 0;
    out->n_shifts = 0;
    out->schedule = o->w->schedule;
    fprintf(f, "; replysim %s: the staffing found by replysim staff --target '%s'\n",
            RS_VERSION, o->st->tg.text);
    rs_scenario_write(out, f);
    free(out);
    return RS_OK;
}

static int put_shifts(FILE *f, const void *ctx, struct rs_error *err)
{
    (void)err;
    write_shifts(f, ((const struct outputs *)ctx)->plan);
    return RS_OK;
}

/* The scenario as loaded, its staff replaced by the shifts. */
static int put_shifts_ini(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct outputs *o = ctx;
    (void)err;
    struct rs_scenario *out = malloc(sizeof *out);
    if (!out) abort();
    *out = *o->sc;
    use_shifts(out, o->plan);
    memset(&out->schedule, 0, sizeof out->schedule);
    fprintf(f, "; replysim %s: the shifts found by replysim staff --target '%s' --shifts %s\n",
            RS_VERSION, o->st->tg.text, o->shifts_arg);
    rs_scenario_write(out, f);
    free(out);
    return RS_OK;
}

/* ------------------------------------------------------------- command */

/* Adds threshold t to the copy's within list (kept increasing). */
static int add_within(struct rs_scenario *w, double t)
{
    int k = 0;
    while (k < w->n_within && w->within_s[k] < t)
        k++;
    if (k < w->n_within && w->within_s[k] == t) return 0;
    if (w->n_within == RS_MAX_WITHIN) return -1;
    memmove(&w->within_s[k + 1], &w->within_s[k], (size_t)(w->n_within - k) * sizeof(double));
    w->within_s[k] = t;
    w->n_within++;
    return 0;
}

int rs_cmd_staff(int argc, char **argv)
{
    struct rs_cli o;
    rs_cli_init(&o, "staff", RS_CLI_RUN);
    const char *target_arg = NULL;
    long min_agents = 0, max_agents = 1000;
    double cost = 1, shift_cost = NAN;
    int strict = 0, st_exit = RS_EXIT_OK;
    const char *shifts_arg = NULL, *starts_arg = NULL;
    struct rs_shifts_in sin = {.time_limit_s = SHIFT_TIME_LIMIT_S};
    char why[256];

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return RS_EXIT_OK;
        }
        if (!strcmp(a, "--strict")) {
            strict = 1;
            continue;
        }
        const char *opt = NULL, *v = NULL;
        static const char *const with_value[] = {"--target",       "--cost-per-agent-hour",
                                                 "--min-agents",   "--max-agents",
                                                 "--shifts",       "--shift-starts",
                                                 "--shift-cost-per-hour"};
        for (size_t k = 0; k < sizeof with_value / sizeof *with_value && !opt; k++) {
            int r = rs_cli_valued(argc, argv, &i, with_value[k], &v);
            if (r == RS_CLI_ERROR) return rs_cli_bad(&o, a, "expected a value after it");
            if (r == RS_CLI_TAKEN) opt = with_value[k];
        }
        if (!opt) {
            if (rs_cli_option(&o, argc, argv, &i) == RS_CLI_ERROR) return RS_EXIT_USAGE;
            continue;
        }
        int bad = 0;
        if (!strcmp(opt, "--target")) {
            target_arg = v;
        } else if (!strcmp(opt, "--cost-per-agent-hour")) {
            bad = rs_units_number(v, &cost, why, sizeof why);
            if (!bad && cost < 0) bad = 1, snprintf(why, sizeof why, "expected a cost >= 0");
        } else if (!strcmp(opt, "--shifts")) {
            shifts_arg = v;
            bad = parse_lengths(v, &sin, why, sizeof why);
        } else if (!strcmp(opt, "--shift-starts")) {
            starts_arg = v;
            bad = rs_units_duration(v, &sin.step_s, why, sizeof why);
            if (!bad && (!(sin.step_s > 0) || fabs(sin.step_s / 60 - round(sin.step_s / 60)) > 1e-9))
                bad = 1, snprintf(why, sizeof why, "expected whole minutes above 0 such as 1h");
        } else if (!strcmp(opt, "--shift-cost-per-hour")) {
            bad = rs_units_number(v, &shift_cost, why, sizeof why);
            if (!bad && shift_cost < 0) bad = 1, snprintf(why, sizeof why, "expected a cost >= 0");
        } else if (!strcmp(opt, "--min-agents")) {
            bad = rs_units_int(v, 0, 1000000, &min_agents, why, sizeof why);
        } else {
            bad = rs_units_int(v, 1, 1000000, &max_agents, why, sizeof why);
        }
        if (bad) return rs_cli_bad(&o, opt, why);
    }
    if (!o.path) {
        fputs(usage, stderr);
        return RS_EXIT_USAGE;
    }
    if (!target_arg)
        return rs_cli_bad(&o, "--target", "expected one, such as --target 'sl(1h)>=0.90'");
    if (min_agents > max_agents)
        return rs_cli_bad(&o, "--min-agents", "expected at most --max-agents");
    if (!shifts_arg && (starts_arg || !isnan(shift_cost)))
        return rs_cli_bad(&o, starts_arg ? "--shift-starts" : "--shift-cost-per-hour",
                          "expected it with --shifts");
    if (isnan(shift_cost)) shift_cost = cost;
    struct staff st = {0};
    if (parse_target(target_arg, &st.tg)) return RS_EXIT_USAGE;

    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    if (rs_cli_load(&o, &sc)) return RS_EXIT_USAGE;

    st.sc = sc;
    st.width_s = sc->interval_s;
    st.n = (int)ceil(sc->horizon_s / sc->interval_s);
    if (st.n < 1) st.n = 1;
    st.min_agents = (int)min_agents;
    st.max_agents = (int)max_agents;
    struct rs_shifts_plan plan = {0};
    struct rs_scenario *w_sh = NULL;
    int shift_misses = -1;
    if (shifts_arg) {
        /* the shift model's input, checked now (one agent everywhere) so a
         * bad --shifts fails before any simulation */
        sin.n = st.n;
        sin.interval_s = st.width_s;
        sin.horizon_s = sc->horizon_s;
        sin.start_day = sc->start_day;
        sin.start_clock_s = sc->start_clock_s;
        if (!starts_arg) sin.step_s = st.width_s;
        int *ones = malloc((size_t)st.n * sizeof *ones);
        if (!ones) abort();
        for (int i = 0; i < st.n; i++)
            ones[i] = 1;
        sin.need = ones;
        int src = rs_shifts_solve(&sin, &plan, &err);
        rs_shifts_plan_free(&plan);
        free(ones);
        sin.need = NULL;
        if (src) {
            rs_cli_fail(&o, &err, src);
            rs_scenario_destroy(sc);
            return RS_EXIT_USAGE;
        }
    }
    st.strict = strict;
    st.progress = !o.quiet && isatty(STDERR_FILENO);
    st.opts = (struct rs_run_opts){.replications = sc->replications,
                                   .seed = sc->seed,
                                   .threads = (int)o.threads};
    size_t n = (size_t)st.n;
    st.agents = calloc(n, sizeof *st.agents);
    st.floor_ = calloc(n, sizeof *st.floor_);
    st.targeted = calloc(n, sizeof *st.targeted);
    st.lambda = calloc(n, sizeof *st.lambda);
    st.fig = calloc(n, sizeof *st.fig);
    st.met = calloc(n, sizeof *st.met);
    double *sched_t = calloc(n, sizeof *sched_t), *sched_v = calloc(n, sizeof *sched_v);
    struct rs_scenario *w = malloc(sizeof *w);
    if (!st.agents || !st.floor_ || !st.targeted || !st.lambda || !st.fig || !st.met ||
        !sched_t || !sched_v || !w)
        abort();
    for (int i = 0; i < st.n; i++)
        sched_t[i] = i * st.width_s;

    /* The copy that runs: the found schedule instead of the scenario's
     * staff, and the thresholds the target's figure is read from (a
     * threshold past the end of the run counts every answered message). */
    *w = *sc;
    st.w = w;
    w->agents = 0;
    w->n_shifts = 0;
    memset(&w->schedule, 0, sizeof w->schedule);
    snprintf(w->schedule.path, sizeof w->schedule.path, "schedule.csv");
    w->schedule.n = st.n;
    w->schedule.t_s = sched_t;
    w->schedule.value = sched_v;
    double all_s = 2 * (sc->horizon_s + sc->drain_s) + 1;
    int need_t = st.tg.kind == T_SL || st.tg.kind == T_FRT_Q;
    int need_all = st.tg.kind == T_RR || st.tg.kind == T_FRT_Q;
    if ((need_t && add_within(w, st.tg.d_s)) || (need_all && add_within(w, all_s))) {
        fprintf(stderr, "replysim staff: [scenario] within: expected at most %d thresholds "
                        "besides the target's\n", RS_MAX_WITHIN - 2);
        st_exit = RS_EXIT_USAGE;
        goto done;
    }
    demand_means(sc, &st.handle_mean_s, &st.patience_mean_s);

    /* The interval metrics the target reads, known before any run: the pilot
     * below is judged by them too. */
    char label[32], name[64];
    rs_units_label_duration(st.tg.d_s, label, sizeof label);
    snprintf(name, sizeof name, "sl_%s", label);
    st.m_within = need_t ? interval_metric(w, name) : -1;
    rs_units_label_duration(all_s, label, sizeof label);
    snprintf(name, sizeof name, "sl_%s", label);
    st.m_all = need_all ? interval_metric(w, name) : -1;
    st.m_frt = interval_metric(w, "frt_mean_s");
    int m_inbox = interval_metric(w, "inbox");
    if ((need_t && st.m_within < 0) || (need_all && st.m_all < 0) || m_inbox < 0) abort();

    /* Step 1: demand from a pilot run at the ceiling, and the Erlang start. */
    for (int i = 0; i < st.n; i++)
        st.agents[i] = st.max_agents;
    struct rs_results *res = NULL;
    int rc = evaluate(&st, &res, &err);
    if (rc < 0) goto failed;
    {
        for (int i = 0; i < st.n; i++) {
            struct rs_summary s;
            rs_results_interval_summary(res, i, m_inbox, &s);
            st.lambda[i] = s.mean / interval_len(&st, i);
            double a = i * st.width_s;
            st.targeted[i] = s.mean > 0 && !closed(sc, a, a + interval_len(&st, i));
            st.floor_[i] = st.min_agents;
            st.agents[i] = st.targeted[i] ? analytic_start(&st, st.lambda[i]) : st.floor_[i];
        }
        rs_results_destroy(res);
        res = NULL;
    }
    /* the pilot at the ceiling already misses: no staffing can do better */
    int unreachable = 0;
    for (int i = 0; i < st.n; i++)
        if (st.targeted[i] && !st.met[i]) unreachable = 1;

    if (!unreachable) {
        rc = raise_until_met(&st, &err);
        if (rc < 0) goto failed;
        unreachable = rc == 1;
    }
    if (!unreachable) {
        rc = trim_groups(&st, &err);
        if (!rc) rc = trim_single(&st, &err);
        if (rc < 0) goto failed;
    }
    if (shifts_arg) {
        sin.need = st.agents;
        rc = rs_shifts_solve(&sin, &plan, &err);
        if (rc < 0) goto failed;
        if (plan.n_rows <= RS_MAX_SHIFTS) {
            /* simulate the shifts too: more agents than the staffing in
             * every interval, but the drain has only the shifts that run on */
            w_sh = malloc(sizeof *w_sh);
            if (!w_sh) abort();
            *w_sh = *w;
            use_shifts(w_sh, &plan);
            st.w = w_sh;
            shift_misses = evaluate(&st, NULL, &err);
            st.w = w;
            if (shift_misses < 0) {
                rc = shift_misses;
                goto failed;
            }
        }
    }
    rc = evaluate(&st, &res, &err);
    if (rc < 0) goto failed;
    int misses = rc;

    char dirbuf[512];
    const char *outdir = rs_cli_outdir(&o, sc, dirbuf, sizeof dirbuf);
    struct outputs out = {&st, res, sc, w, &plan, shifts_arg};
    const struct rs_report_entry files[] = {
        {"staffing.csv", put_staffing, &out},
        {"schedule.csv", put_schedule, &out},
        {"intervals.csv", put_intervals, &out},
        {"scenario.ini", put_ini, &out},
        {"shifts.csv", shifts_arg ? put_shifts : NULL, &out},
        {"shifts.ini", w_sh ? put_shifts_ini : NULL, &out},
    };
    rc = rs_report_write(outdir, files, sizeof files / sizeof files[0], &err);
    rs_results_destroy(res);
    res = NULL;
    if (rc) goto failed;

    double hours = 0;
    int lo = st.max_agents, hi = 0, n_targeted = 0;
    for (int i = 0; i < st.n; i++) {
        hours += st.agents[i] * interval_len(&st, i) / 3600;
        if (st.agents[i] < lo) lo = st.agents[i];
        if (st.agents[i] > hi) hi = st.agents[i];
        n_targeted += st.targeted[i];
    }
    char width[32];
    rs_units_label_duration(st.width_s, width, sizeof width);
    printf("staff %s: target %s in each of %d %s intervals with messages (of %d), %d "
           "replications from seed %llu, %ld simulations\n",
           sc->name, st.tg.text, n_targeted, width, st.n, st.opts.replications,
           (unsigned long long)st.opts.seed, st.sims);
    printf("agents per interval: %d to %d; agent-hours %.10g; cost %.10g (%.10g per agent-hour)\n",
           lo, hi, hours, hours * cost, cost);
    if (misses == 0) {
        printf("target met in every interval; taking one agent from any interval breaks it "
               "(or it is at --min-agents)\n");
    } else {
        printf("target NOT met in %d interval(s) even at --max-agents %d (see the met column)\n",
               misses, st.max_agents);
        st_exit = RS_EXIT_RUNTIME;
    }
    if (shifts_arg) {
        char step[32];
        rs_units_label_duration(sin.step_s, step, sizeof step);
        double over = plan.paid_hours - plan.need_hours;
        printf("shifts %s starting every %s: %d shift(s), %.10g paid agent-hours vs %.10g "
               "agent-hours per interval (over-coverage %.10g, %.3g%%); cost %.10g (%.10g per "
               "agent-hour); breaks not modelled\n",
               shifts_arg, step, plan.n_rows, plan.paid_hours, plan.need_hours, over,
               plan.need_hours > 0 ? 100 * over / plan.need_hours : 0.0,
               plan.paid_hours * shift_cost, shift_cost);
        if (plan.optimal)
            printf("shift model: optimal (GLPK, %d candidate shifts, %d intervals to cover, "
                   "%.3g s)\n", plan.n_candidates, plan.n_constraints, plan.solve_s);
        else
            printf("shift model: time limit of %ds hit: the best found, NOT proven optimal "
                   "(lower bound %.10g agent-hours; %d candidate shifts, %d intervals)\n",
                   SHIFT_TIME_LIMIT_S, plan.bound_hours, plan.n_candidates, plan.n_constraints);
        if (!w_sh) {
            printf("shifts: %d shifts are more than the %d [shift] sections a scenario may "
                   "hold: no shifts.ini written\n", plan.n_rows, RS_MAX_SHIFTS);
            st_exit = RS_EXIT_RUNTIME;
        } else if (shift_misses == 0) {
            printf("with the shifts (shifts.ini): target met in every interval\n");
        } else {
            printf("with the shifts (shifts.ini): target NOT met in %d interval(s)\n",
                   shift_misses);
        }
    }
    printf("replysim: staffing.csv, schedule.csv, scenario.ini, intervals.csv%s in %s\n",
           !shifts_arg ? "" : w_sh ? ", shifts.csv, shifts.ini" : ", shifts.csv", outdir);
    if (fflush(stdout) != 0) st_exit = RS_EXIT_RUNTIME;
    goto done;

failed:
    rs_results_destroy(res);
    rs_error_print(&err, stderr);
    st_exit = rs_error_exit_status(rc);
done:
    free(st.agents);
    free(st.floor_);
    free(st.targeted);
    free(st.lambda);
    free(st.fig);
    free(st.met);
    free(sched_t);
    free(sched_v);
    free(w);
    free(w_sh);
    rs_shifts_plan_free(&plan);
    rs_scenario_destroy(sc);
    return st_exit;
}
