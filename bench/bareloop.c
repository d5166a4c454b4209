/* bareloop.c: the benchmark model written as the smallest honest event
 * loop, the yardstick `make bench` measures replysim against.
 *
 * M/M/c+M, abandon = leave, FIFO: Poisson arrivals, exponential handle and
 * patience, c agents.  Deadlines are lazy: a waiting message carries its
 * deadline and is dropped as abandoned when an agent reaches it too late,
 * which for FIFO gives the same waits and abandonments as an event at each
 * deadline.  Events are the next arrival and the agents' reply times in a
 * binary heap of times.  It counts what replysim's headline needs (answered,
 * abandoned, waits) and nothing more: no scopes, intervals, quantiles or
 * outcome model.  Draws are xoshiro256++ uniforms (rng.h's inline step, as
 * replysim's), -mean log(1 - u).
 *
 * bench.c calls bareloop_run; `build/bench_bareloop N` runs it alone. */
#include "bareloop.h"

#include "replysim/alloc.h"
#include "replysim/rng.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* A min-heap of agents' reply times (free agents are not in it). */
struct heap {
    double *t;
    int n;
};

static void heap_push(struct heap *h, double t)
{
    int i = h->n++;
    while (i > 0 && h->t[(i - 1) / 2] > t) {
        h->t[i] = h->t[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->t[i] = t;
}

/* Replaces the earliest time by t (t = INFINITY: removes it). */
static void heap_replace_top(struct heap *h, double t)
{
    if (t == INFINITY) t = h->t[--h->n];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && h->t[c + 1] < h->t[c]) c++;
        if (h->t[c] >= t) break;
        h->t[i] = h->t[c];
        i = c;
    }
    if (h->n) h->t[i] = t;
}

/* Waiting messages: arrival and deadline, in a growing ring. */
struct fifo {
    double *arrive, *deadline;
    size_t head, n, cap;
};

static void fifo_push(struct fifo *q, double arrive, double deadline)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 1024;
        double *a = rs_malloc(cap * sizeof *a), *d = rs_malloc(cap * sizeof *d);
        for (size_t i = 0; i < q->n; i++) {
            a[i] = q->arrive[(q->head + i) % q->cap];
            d[i] = q->deadline[(q->head + i) % q->cap];
        }
        free(q->arrive);
        free(q->deadline);
        q->arrive = a;
        q->deadline = d;
        q->head = 0;
        q->cap = cap;
    }
    size_t i = (q->head + q->n++) % q->cap;
    q->arrive[i] = arrive;
    q->deadline[i] = deadline;
}

/* An agent free at now takes the first waiting message whose author is
 * still there; the others ahead of it abandoned.  Returns 1 when it took
 * one, with its wait. */
static int fifo_take(struct fifo *q, double now, struct bareloop_result *res, double *wait)
{
    while (q->n) {
        double a = q->arrive[q->head], d = q->deadline[q->head];
        q->head = (q->head + 1) % q->cap;
        q->n--;
        if (d > now) {
            *wait = now - a;
            return 1;
        }
        res->abandoned++;
    }
    return 0;
}

void bareloop_run(const struct bareloop_model *m, struct bareloop_result *res)
{
    struct bl_rng r_arr, r_handle, r_pat;
    bl_seed(&r_arr, m->seed);
    bl_seed(&r_handle, m->seed + 1);
    bl_seed(&r_pat, m->seed + 2);
    struct heap busy = {rs_malloc((size_t)m->agents * sizeof(double)), 0};
    struct fifo q = {0};
    *res = (struct bareloop_result){0};
    double next_arrival = bl_expo(&r_arr, m->mean_gap_s);
    for (;;) {
        double t_reply = busy.n ? busy.t[0] : INFINITY;
        if (next_arrival < t_reply) {
            double now = next_arrival;
            if (now >= m->horizon_s) break;
            res->events++;
            res->arrivals++;
            next_arrival = now + bl_expo(&r_arr, m->mean_gap_s);
            double handle = bl_expo(&r_handle, m->mean_handle_s);
            double patience = bl_expo(&r_pat, m->mean_patience_s);
            if (busy.n < m->agents) {
                heap_push(&busy, now + handle);
                res->answered++;
            } else {
                fifo_push(&q, now, now + patience);
                res->waited++;
            }
        } else {
            double now = t_reply, wait;
            res->events++;
            if (fifo_take(&q, now, res, &wait)) {
                res->wait_sum_s += wait;
                res->answered++;
                heap_replace_top(&busy, now + bl_expo(&r_handle, m->mean_handle_s));
            } else {
                heap_replace_top(&busy, INFINITY);
            }
        }
    }
    free(busy.t);
    free(q.arrive);
    free(q.deadline);
}

#ifdef BARELOOP_MAIN
#include <stdio.h>

int main(int argc, char **argv)
{
    double arrivals = argc > 1 ? strtod(argv[1], NULL) : 1e7;
    if (!(arrivals >= 1000)) arrivals = 1e7;
    struct bareloop_model m = BARELOOP_BENCH_MODEL(arrivals);
    struct bareloop_result r;
    bareloop_run(&m, &r);
    printf(
        "bare loop: %llu arrivals, %llu events; answered %.4f, abandoned %.4f, mean wait %.1f s\n",
        (unsigned long long)r.arrivals, (unsigned long long)r.events,
        (double)r.answered / (double)r.arrivals, (double)r.abandoned / (double)r.arrivals,
        r.wait_sum_s / (double)r.answered);
    return 0;
}
#endif
