/* staff.c: the staffing search of staff.h: the Erlang start, the raise,
 * the verification on fresh seeds, and the result.  The trims are in
 * staff_search.c, the rule in staff_judge.c, shifts in staff_shifts.c and
 * the files in staff_write.c. */
#include "staff_int.h"

#include "replysim/alloc.h"
#include "replysim/erlang.h"
#include "replysim/units.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITER 200  /* simulations of the raise step */
#define MAX_VERIFY 25 /* rounds of the verification's raise (one agent each) */

/* ------------------------------------------------------------- the Erlang start */

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

/* 1 when c agents meet target t at arrival rate lambda by Erlang C (no
 * patience) or Erlang A; only a start, so handle times count as
 * exponential with their mean, and business hours as clock hours. */
static int analytic_meets_one(const struct rs_staff *st, const struct rs_staff_target *t, int c,
                              double lambda)
{
    double h = st->handle_mean_s, pm = st->patience_mean_s;
    struct rs_erlang_in in = {lambda, h, pm, c, t->d_s > h ? t->d_s - h : 0};
    struct rs_erlang_out out;
    char why[128];
    if (rs_erlang_compute(&in, &out, why, sizeof why) || !out.stable) return 0;
    int erlang_c = isinf(pm);
    double answered = erlang_c ? 1 : 1 - out.p_abandon;
    switch (t->kind) {
    case RS_STAFF_SL:
    case RS_STAFF_SL_BH:
        return (erlang_c ? mmc_frt_cdf(lambda, h, c, t->d_s) : out.service_level) >= t->p;
    case RS_STAFF_RR:
        return answered >= t->p;
    case RS_STAFF_UNANSWERED:
        return 1 - answered <= t->p;
    case RS_STAFF_OCCUPANCY:
        return lambda * answered * h / c <= t->p;
    case RS_STAFF_FRT_Q:
        return (erlang_c ? mmc_frt_cdf(lambda, h, c, t->d_s) : out.service_level / answered) >=
               t->p;
    case RS_STAFF_FRT_MEAN:
        return out.wait_mean_served_s + h <= t->d_s;
    }
    return 0;
}

static int analytic_meets(const struct rs_staff *st, int c, double lambda)
{
    for (int k = 0; k < st->o.n_targets; k++)
        if (!analytic_meets_one(st, &st->o.target[k], c, lambda)) return 0;
    return 1;
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

/* Writes the slots' agents into the working copy's schedule and
 * st->agents. */
static void expand(struct rs_staff *st)
{
    for (int i = 0; i < st->n; i++)
        st->agents[i] = st->slot_agents[rs_staff_slot(st, i)];
    for (int k = 0; k < st->w->schedule.n; k++) {
        /* weekly rows are sorted by time of the week: row k holds slot
         * (first + k) mod n_slots */
        int s = st->weekly ? (st->first_row_slot + k) % st->n_slots : k;
        st->w->schedule.value[k] = st->slot_agents[s];
    }
}

/* Simulates the working copy with run, judges it into figs: the judged
 * intervals that miss, or a negative RS_E* code; keep takes the results. */
static int simulate(struct rs_staff *st, const struct rs_run_opts *run, const int *thin,
                    struct rs_staff_fig *figs, struct rs_results **keep, struct rs_error *err)
{
    expand(st);
    struct rs_results *res = NULL;
    int rc = rs_staff_experiment(st, st->w, run, &res, err);
    if (rc) return rc;
    int misses = rs_staff_judge(st, res, thin, figs);
    if (keep)
        *keep = res;
    else
        rs_results_destroy(res);
    return misses;
}

int rs_staff_eval(struct rs_staff *st, struct rs_error *err)
{
    int misses = simulate(st, &st->run, st->thin, st->fig, NULL, err);
    if (misses < 0) return misses;
    st->sims++;
    for (int i = 0; i < st->n; i++)
        st->met[i] = rs_staff_interval_met(st, st->fig, i);
    return misses;
}

int rs_staff_raise(struct rs_staff *st, const struct rs_staff_fig *figs, int big)
{
    int *raised = rs_calloc((size_t)st->n_slots, sizeof *raised), n = 0;
    for (int i = 0; i < st->n; i++) {
        if (rs_staff_interval_met(st, figs, i)) continue;
        /* at the ceiling: the backlog it inherits is the next lever */
        int j = i;
        while (j >= 0 && st->slot_agents[rs_staff_slot(st, j)] >= st->o.max_agents)
            j--;
        if (j < 0 || raised[rs_staff_slot(st, j)]) continue;
        int s = rs_staff_slot(st, j), step = big ? (int)ceil(0.05 * st->slot_agents[s]) : 1;
        st->slot_agents[s] += step < 1 ? 1 : step;
        if (st->slot_agents[s] > st->o.max_agents) st->slot_agents[s] = st->o.max_agents;
        raised[s] = 1, n++;
    }
    free(raised);
    return n;
}

void rs_staff_say(const struct rs_staff *st, const char *phase, int misses)
{
    if (!st->o.progress) return;
    long total = 0;
    for (int s = 0; s < st->n_slots; s++)
        total += st->slot_agents[s];
    struct rs_progress p = {.what = RS_PROGRESS_SEARCH,
                            .done = st->sims + st->verify_sims,
                            .label = phase,
                            .agents = total,
                            .intervals = st->n_slots,
                            .missing = misses};
    st->o.progress(st->o.progress_ctx, &p);
}

/* ------------------------------------------------------------- create */

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

/* The working copy's schedule: one row per interval, or (weekly) one per
 * interval of the week by time of the week, so that the drain follows the
 * pattern as the written schedule.csv does. */
static void working_schedule(struct rs_staff *st)
{
    int m = st->n_slots;
    double *t = rs_calloc((size_t)m, sizeof *t), *v = rs_calloc((size_t)m, sizeof *v);
    double off = st->sc->start_day * 86400.0 + st->sc->start_clock_s;
    st->first_row_slot = 0;
    if (st->weekly) {
        /* the slot that starts earliest in the calendar week comes first */
        for (int s = 0; s < m; s++)
            if (fmod(off + s * st->width_s, RS_WEEK_S) <
                fmod(off + st->first_row_slot * st->width_s, RS_WEEK_S))
                st->first_row_slot = s;
    }
    for (int k = 0; k < m; k++) {
        int s = (st->first_row_slot + k) % m;
        t[k] = st->weekly ? fmod(off + s * st->width_s, RS_WEEK_S) : k * st->width_s;
    }
    rs_scenario_set_schedule(st->w, "schedule.csv", m, t, v);
    st->w->schedule.weekly = st->weekly;
    free(t);
    free(v);
}

/* The copy that runs: the found schedule instead of the scenario's staff,
 * and the thresholds the targets read (one past the end of the run counts
 * every answered message), with their interval metrics. */
static int make_working_copy(struct rs_staff *st, struct rs_error *err)
{
    const struct rs_scenario *sc = st->sc;
    st->w = rs_scenario_copy(sc);
    working_schedule(st);
    int full = 0;
    for (int k = 0; k < st->o.n_targets; k++) {
        enum rs_staff_kind kind = st->o.target[k].kind;
        if (kind == RS_STAFF_SL || kind == RS_STAFF_SL_BH || kind == RS_STAFF_FRT_Q)
            full |= add_within(st->w, st->o.target[k].d_s);
    }
    if (full || add_within(st->w, 2 * (sc->horizon_s + sc->drain_s) + 1))
        return rs_error_input(err, sc->path[0] ? sc->path : NULL, 0, "[scenario] within",
                              "expected at most %d thresholds besides the targets'",
                              RS_MAX_WITHIN - st->o.n_targets - 1);
    rs_staff_find_metrics(st);
    for (int k = 0; k < st->o.n_targets; k++)
        if (st->m.t[k] < 0) /* only sl_bh can be missing: the rest were just added */
            return rs_error_input(err, sc->path[0] ? sc->path : NULL, 0, "[policy] hours",
                                  "expected working hours for --target %s (business time)",
                                  st->o.target[k].text);
    if (st->m.inbox < 0 || st->m.all < 0 || st->m.occupancy < 0 || st->m.frt_mean < 0) abort();
    return RS_OK;
}

/* One pattern per interval of the week when the horizon is whole weeks
 * (and the interval divides a week), unless per_interval. */
static void choose_slots(struct rs_staff *st)
{
    double weeks = st->sc->horizon_s / RS_WEEK_S, per_week = RS_WEEK_S / st->width_s;
    st->weekly = !st->o.per_interval && weeks >= 1 && fabs(weeks - round(weeks)) < 1e-9 &&
                 fabs(per_week - round(per_week)) < 1e-9;
    st->weeks = st->weekly ? (int)lround(weeks) : 0;
    st->n_slots = st->weekly ? (int)lround(per_week) : st->n;
}

int rs_staff_create(const struct rs_scenario *sc, const struct rs_staff_opts *opts,
                    struct rs_staff **out, struct rs_error *err)
{
    struct rs_staff *st = rs_calloc(1, sizeof *st);
    st->sc = sc;
    st->o = *opts;
    if (!(st->o.confidence > 0)) st->o.confidence = 0.95;
    st->width_s = sc->interval_s;
    st->n = (int)ceil(sc->horizon_s / sc->interval_s);
    if (st->n < 1) st->n = 1;
    choose_slots(st);
    int rc = opts->shifts ? rs_staff_shifts_check(st, err) : RS_OK;
    if (!rc) rc = make_working_copy(st, err);
    if (!rc) rc = rs_staff_scope_resolve(st, err);
    if (rc) {
        rs_staff_destroy(st);
        return rc;
    }
    st->run = (struct rs_run_opts){.replications = opts->replications,
                                   .seed = opts->seed,
                                   .threads = opts->threads,
                                   .want = RS_WANT_INTERVALS}; /* it reads nothing else */
    st->fresh = st->run;
    if (st->fresh.replications < opts->verify_replications)
        st->fresh.replications = opts->verify_replications;
    st->fresh.seed = opts->verify_seed_set ? opts->verify_seed : opts->seed + 1;
    size_t n = (size_t)st->n, nf = n * (size_t)st->o.n_targets;
    st->slot_agents = rs_calloc((size_t)st->n_slots, sizeof *st->slot_agents);
    st->agents = rs_calloc(n, sizeof *st->agents);
    st->judged = rs_calloc(n, sizeof *st->judged);
    st->steered = rs_calloc(n, sizeof *st->steered);
    st->held = st->steered;
    st->lambda = rs_calloc(n, sizeof *st->lambda);
    st->fig = rs_calloc(nf, sizeof *st->fig);
    st->thin = rs_calloc(nf, sizeof *st->thin);
    st->vthin = rs_calloc(nf, sizeof *st->vthin);
    st->vfig = rs_calloc(nf, sizeof *st->vfig);
    st->met = rs_calloc(n, sizeof *st->met);
    demand_means(sc, &st->handle_mean_s, &st->patience_mean_s);
    *out = st;
    return RS_OK;
}

/* ------------------------------------------------------------- run */

/* Marks in thin the targets of judged intervals whose bound misses in figs
 * (a run at the ceiling) while their mean meets: too few messages to show
 * the target whatever the staffing.  Returns the judged intervals whose
 * mean misses: no staffing can meet them. */
static int mark_thin(const struct rs_staff *st, const struct rs_staff_fig *figs, int *thin)
{
    int nt = st->o.n_targets, hopeless = 0;
    for (int i = 0; i < st->n; i++) {
        int bad = 0;
        for (int k = 0; k < nt && st->held[i]; k++) {
            const struct rs_staff_target *t = &st->o.target[k];
            const struct rs_staff_fig *f = &figs[i * nt + k];
            int mean_ok = t->ge ? f->mean >= t->goal - 1e-12 : f->mean <= t->goal + 1e-12;
            if (f->met || f->n == 0) continue;
            if (mean_ok)
                thin[i * nt + k] = 1;
            else
                bad = 1;
        }
        hopeless += bad;
    }
    return hopeless;
}

/* Step 1: a pilot run at the ceiling on the search seeds measures demand,
 * the intervals judged (and steered: the warmup's too, so that it hands no
 * backlog to the counted window) and those too thin for the bound, and gives the
 * Erlang start of each slot (the most over its weeks); another on the
 * fresh seeds finds the intervals too thin there.  Returns 1 when the
 * pilot already misses (no staffing can do better), 0, or a negative
 * RS_E* code. */
static int pilot(struct rs_staff *st, struct rs_error *err)
{
    for (int s = 0; s < st->n_slots; s++)
        st->slot_agents[s] = st->o.max_agents;
    expand(st);
    struct rs_results *res = NULL;
    int rc = rs_staff_experiment(st, st->w, &st->run, &res, err);
    if (rc) return rc;
    st->sims++;
    for (int i = 0; i < st->n; i++) {
        struct rs_summary s;
        rs_results_interval_summary(res, i, st->m.inbox, &s);
        st->lambda[i] = s.mean / interval_len(st, i);
        double a = i * st->width_s;
        st->steered[i] = s.mean > 0 && !closed(st->sc, a, a + interval_len(st, i));
        st->judged[i] = st->steered[i] && a >= st->sc->warmup_s;
    }
    st->held = st->steered;
    rs_staff_judge(st, res, NULL, st->fig);
    rs_results_destroy(res);
    int unreachable = mark_thin(st, st->fig, st->thin) > 0;
    st->held = st->judged;
    rc = simulate(st, &st->fresh, NULL, st->vfig, NULL, err);
    if (rc < 0) return rc;
    st->verify_sims++;
    mark_thin(st, st->vfig, st->vthin);
    st->held = st->steered;
    for (int s = 0; s < st->n_slots; s++)
        st->slot_agents[s] = unreachable ? st->o.max_agents : st->o.min_agents;
    for (int i = 0; i < st->n && !unreachable; i++) {
        int c = st->steered[i] ? analytic_start(st, st->lambda[i]) : st->o.min_agents;
        int *slot = &st->slot_agents[rs_staff_slot(st, i)];
        if (c > *slot) *slot = c;
    }
    return unreachable;
}

/* Step 2: raise the intervals that miss until none does.  Returns 0, 1 when
 * some interval misses at max_agents with every interval before it there
 * too, or a negative RS_E* code. */
static int raise_until_met(struct rs_staff *st, struct rs_error *err)
{
    for (int iter = 0; iter < MAX_ITER; iter++) {
        int misses = rs_staff_eval(st, err);
        if (misses < 0) return misses;
        rs_staff_say(st, "raise", misses);
        if (misses == 0) return 0;
        if (!rs_staff_raise(st, st->fig, 1)) return 1;
    }
    return 1;
}

/* Step 5: simulate on fresh seeds and raise by one agent the slots of the
 * intervals that miss there, until none does (or none can be raised).
 * Keeps the last fresh run.  0 or a negative RS_E* code. */
static int verify(struct rs_staff *st, struct rs_error *err)
{
    st->held = st->judged;
    for (int iter = 0;; iter++) {
        struct rs_results *res = NULL;
        int misses = simulate(st, &st->fresh, st->vthin, st->vfig, &res, err);
        if (misses < 0) return misses;
        st->verify_sims++;
        rs_staff_say(st, "verify", misses);
        int raised = misses > 0 && iter < MAX_VERIFY ? rs_staff_raise(st, st->vfig, 0) : 0;
        st->verify_capped = misses > 0 && iter == MAX_VERIFY;
        if (!raised) {
            st->misses = misses;
            st->res = res;
            expand(st);
            return 0;
        }
        st->verify_raised += raised;
        rs_results_destroy(res);
    }
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
        rc = rs_staff_trim_groups(st, err);
        if (!rc) rc = rs_staff_trim_single(st, err);
        if (rc < 0) return rc;
    }
    rc = verify(st, err);
    if (rc < 0) return rc;
    rs_staff_whole(st, st->res);
    /* the search seeds' figures of the staffing verified */
    if (st->verify_raised > 0) {
        rc = rs_staff_eval(st, err);
        if (rc < 0) return rc;
    }
    return st->o.shifts ? rs_staff_shifts_run(st, err) : RS_OK;
}

void rs_staff_result(const struct rs_staff *st, struct rs_staff_result *out)
{
    memset(out, 0, sizeof *out);
    out->n = st->n;
    out->width_s = st->width_s;
    out->weekly = st->weekly;
    out->n_slots = st->n_slots;
    out->weeks = st->weeks;
    out->lo = st->o.max_agents;
    for (int i = 0; i < st->n; i++) {
        /* weekly: the first week's intervals are the pattern's */
        if (!st->weekly || i < st->n_slots) {
            out->agent_hours += st->agents[i] * interval_len(st, i) / 3600;
            out->rostered_hours +=
                rs_staff_rostered(st, st->agents[i]) * interval_len(st, i) / 3600;
        }
        if (st->agents[i] < out->lo) out->lo = st->agents[i];
        if (st->agents[i] > out->hi) out->hi = st->agents[i];
        out->n_judged += st->judged[i];
        int thin = 0;
        for (int k = 0; k < st->o.n_targets; k++)
            thin |= st->vfig[i * st->o.n_targets + k].thin;
        out->n_thin += st->judged[i] && thin;
    }
    out->sims = st->sims;
    out->verify_sims = st->verify_sims;
    out->verify_raised = st->verify_raised;
    out->verify_capped = st->verify_capped;
    out->verify_replications = st->fresh.replications;
    out->verify_seed = st->fresh.seed;
    out->confidence = st->o.confidence;
    out->misses = st->misses;
    for (int k = 0; k < st->o.n_targets; k++) {
        out->whole_mean[k] = st->whole[k][0];
        out->whole_low[k] = st->whole[k][1];
        out->whole_high[k] = st->whole[k][2];
    }
    out->plan = st->o.shifts ? &st->plan : NULL;
    out->shift_step_s = st->o.shift.step_s;
    out->shifts_fit = st->shfig != NULL;
    out->shift_misses = st->shift_misses;
}

int rs_staff_missed(const struct rs_staff *st, int i, int shifts)
{
    const struct rs_staff_fig *figs = shifts ? st->shfig : st->vfig;
    return i >= 0 && i < st->n && figs && !rs_staff_interval_met(st, figs, i);
}

int rs_staff_shortfall(const struct rs_staff *st, int i, int shifts, int *k, double *bound)
{
    const struct rs_staff_fig *figs = shifts ? st->shfig : st->vfig;
    if (!rs_staff_missed(st, i, shifts)) return 0;
    double worst = INFINITY;
    for (int j = 0; j < st->o.n_targets; j++) {
        const struct rs_staff_target *t = &st->o.target[j];
        const struct rs_staff_fig *f = &figs[i * st->o.n_targets + j];
        double v = f->thin ? f->mean : f->bound;
        double s = (t->ge ? v - t->goal : t->goal - v) / t->goal;
        if (f->met || !(s < worst)) continue;
        worst = s, *k = j, *bound = v;
    }
    return 1;
}

void rs_staff_destroy(struct rs_staff *st)
{
    if (!st) return;
    rs_scenario_destroy(st->w);
    rs_scenario_destroy(st->w_sh);
    rs_results_destroy(st->res);
    rs_shifts_plan_free(&st->plan);
    free(st->slot_agents);
    free(st->agents);
    free(st->judged);
    free(st->steered);
    free(st->lambda);
    free(st->fig);
    free(st->thin);
    free(st->vthin);
    free(st->vfig);
    free(st->shfig);
    free(st->met);
    rs_staff_scope_free(st->scoped);
    free(st);
}
