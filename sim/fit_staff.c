/* fit_staff.c: how many agents were effectively available, from when
 * agents were busy and customers waited.
 *
 * A log shows work, not presence: an agent idle at the desk leaves no row.
 * But while customers wait, every agent present is busy (no policy leaves
 * a customer waiting beside an idle agent), so the agents busy then are the
 * agents there.  Per slot of a minute we keep the exact seconds of work
 * (messages being handled, from take to take + handle) and of waiting
 * (from arrival to take); an interval's effective staffing is the largest
 * minute-average of agents busy among its minutes with at least one
 * customer waiting throughout on average, rounded to the nearest whole
 * agent; an interval without such a minute had spare capacity, and gets the
 * most agents it was seen to use at once (the minute average, rounded up).
 * Each interval is thus a lower bound of the staff on shift that is exact
 * under a queue.  Backtest checks it (README "Logs"). */
#include "fit_int.h"

#include "replysim/alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S 86400.0

static void grow(struct fit_slots *s, long need)
{
    if (need <= s->n) return;
    long n = s->n ? s->n : 1024;
    while (n < need)
        n *= 2;
    double **arrays[] = {&s->busy, &s->busy_full, &s->wait, &s->wait_full};
    for (int i = 0; i < 4; i++) {
        *arrays[i] = rs_reallocarray(*arrays[i], (size_t)n + 1, sizeof **arrays[i]);
        memset(*arrays[i] + s->n, 0, (size_t)(n + 1 - s->n) * sizeof **arrays[i]);
    }
    s->n = n;
}

/* Adds the seconds of [from, to) to sec per slot: the partial slots at
 * either end directly, the whole ones through the difference array. */
static void slots_add(struct fit_slots *s, int busy, double from_s, double to_s, double w_n)
{
    if (from_s < 0) from_s = 0;
    if (!(to_s > from_s)) return;
    double w = s->slot_s;
    if (to_s > FIT_MAX_SPAN_S) to_s = FIT_MAX_SPAN_S; /* the caller refused such logs */
    long a = (long)floor(from_s / w), b = (long)floor(to_s / w);
    grow(s, b + 1);
    double *secs = busy ? s->busy : s->wait;
    double *diff = busy ? s->busy_full : s->wait_full;
    if (a == b) {
        secs[a] += w_n * (to_s - from_s);
        return;
    }
    secs[a] += w_n * ((double)(a + 1) * w - from_s);
    secs[b] += w_n * (to_s - (double)b * w);
    diff[a + 1] += w_n;
    diff[b] -= w_n;
}

void rs_fit_slots_busy(struct fit_slots *s, double from_s, double to_s)
{
    slots_add(s, 1, from_s, to_s, 1);
}

void rs_fit_slots_wait(struct fit_slots *s, double from_s, double to_s, double n)
{
    slots_add(s, 0, from_s, to_s, n);
}

void rs_fit_slots_settle(struct fit_slots *s)
{
    double run_b = 0, run_w = 0;
    for (long k = 0; k < s->n; k++) {
        run_b += s->busy_full[k];
        run_w += s->wait_full[k];
        s->busy[k] += run_b * s->slot_s;
        s->wait[k] += run_w * s->slot_s;
        s->busy_full[k] = s->wait_full[k] = 0;
    }
}

void rs_fit_slots_free(struct fit_slots *s)
{
    free(s->busy);
    free(s->busy_full);
    free(s->wait);
    free(s->wait_full);
    memset(s, 0, sizeof *s);
}

void rs_fit_staffing(const struct fit_slots *s, double t0_s, double interval_s, long n_intervals,
                     double *agents, double *busy_max, double *queued_min)
{
    long per = (long)llround(interval_s / s->slot_s), k0 = (long)llround(t0_s / s->slot_s);
    if (per < 1) per = 1;
    for (long i = 0; i < n_intervals; i++) {
        double under_queue = -1, most = 0, queued = 0;
        for (long k = k0 + i * per; k < k0 + (i + 1) * per && k < s->n; k++) {
            if (k < 0) continue; /* before the log's origin: nothing kept */
            double busy = s->busy[k] / s->slot_s, waiting = s->wait[k] / s->slot_s;
            most = fmax(most, busy);
            if (waiting >= 1) {
                queued++;
                under_queue = fmax(under_queue, busy);
            }
        }
        busy_max[i] = most;
        queued_min[i] = queued * s->slot_s / 60;
        /* 1e-9: a minute-average of exactly 2 agents is 2, not 3 */
        agents[i] = under_queue >= 0 ? floor(under_queue + 0.5) : ceil(most - 1e-9);
        agents[i] += 0.0; /* ceil(-1e-9) is -0, written "-0" */
    }
}

/* A step of a schedule at a time of the week. */
struct week_step {
    double w_s, agents;
};

static int by_week_time(const void *a, const void *b)
{
    const struct week_step *x = a, *y = b;
    return (x->w_s > y->w_s) - (x->w_s < y->w_s);
}

/* The schedule's value at t_s (the last value holds to the end). */
static double schedule_at(const struct rs_series *s, double t_s)
{
    double v = s->value[0];
    for (int i = 0; i < s->n && s->t_s[i] <= t_s; i++)
        v = s->value[i];
    return v;
}

int rs_fit_schedule_last_week(struct rs_scenario *sc, double end_s)
{
    const struct rs_series *s = &sc->schedule;
    if (s->n == 0 || s->weekly) return 0;
    double week_s = 7 * DAY_S, from_s = end_s - week_s;
    double start_w = (double)sc->start_day * DAY_S + sc->start_clock_s;
    struct week_step *st = rs_calloc((size_t)s->n + 2, sizeof *st);
    int n = 0;
    st[n++] = (struct week_step){fmod(start_w + from_s, week_s), schedule_at(s, from_s)};
    for (int i = 0; i < s->n; i++)
        if (s->t_s[i] > from_s && s->t_s[i] < end_s)
            st[n++] = (struct week_step){fmod(start_w + s->t_s[i], week_s), s->value[i]};
    qsort(st, (size_t)n, sizeof *st, by_week_time);
    /* mon 00:00 holds what the week's latest step set, unless a step is there */
    if (st[0].w_s > 0) {
        memmove(st + 1, st, (size_t)n * sizeof *st);
        st[0] = (struct week_step){0, st[n].agents};
        n++;
    }
    double *t = rs_calloc((size_t)n, sizeof *t), *v = rs_calloc((size_t)n, sizeof *v);
    for (int i = 0; i < n; i++) {
        t[i] = st[i].w_s;
        v[i] = st[i].agents;
    }
    rs_scenario_set_schedule(sc, "schedule.csv", n, t, v);
    sc->schedule.weekly = 1;
    free(st);
    free(t);
    free(v);
    return 1;
}

int rs_fit_write_week_schedule(FILE *out, const void *ctx, struct rs_error *err)
{
    static const char *const days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    const struct rs_series *s = &((const struct rs_scenario *)ctx)->schedule;
    (void)err;
    fputs("time,agents\n", out);
    for (int i = 0; i < s->n; i++) {
        long min = lround(s->t_s[i] / 60);
        fprintf(out, "%s %02ld:%02ld,%.0f\n", days[min / 1440 % 7], min / 60 % 24, min % 60,
                s->value[i]);
    }
    return RS_OK;
}
