/* ivring.c: live stats intervals in a ring of slots (see ivring.h). */
#include "ivring.h"

#include "replysim/alloc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct rs_ivring *rs_ivring_create(const struct rs_scenario *sc, int n_iv, double end_s,
                                   rs_world_interval_fn sink, void *ctx)
{
    struct rs_ivring *r = rs_calloc(1, sizeof *r);
    r->sc = sc;
    r->n_iv = n_iv;
    r->nm = rs_stats_n_interval_metrics(sc);
    r->end_s = end_s;
    r->sink = sink;
    r->ctx = ctx;
    r->cap = 4;
    r->slots = rs_calloc((size_t)r->cap, sizeof *r->slots);
    if (sink)
        r->row = rs_calloc((size_t)r->nm, sizeof *r->row);
    else
        r->rows = rs_calloc((size_t)n_iv * (size_t)r->nm, sizeof *r->rows);
    return r;
}

void rs_ivring_destroy(struct rs_ivring *r)
{
    if (!r) return;
    free(r->slots);
    free(r->rows);
    free(r->row);
    free(r);
}

/* Room for intervals up to i: doubles the ring, keeping each live
 * interval at its index modulo the new size. */
static void grow(struct rs_ivring *r, int i)
{
    int cap = r->cap;
    while (i - r->lo >= cap)
        cap *= 2;
    struct rs_ivring_slot *s = rs_calloc((size_t)cap, sizeof *s);
    for (int k = r->lo; k < r->hi; k++)
        s[k & (cap - 1)] = r->slots[k & (r->cap - 1)];
    free(r->slots);
    r->slots = s;
    r->cap = cap;
}

static struct rs_ivring_slot *slot_of(struct rs_ivring *r, int i)
{
    return &r->slots[i & (r->cap - 1)];
}

void rs_ivring_extend(struct rs_ivring *r, int i)
{
    assert(i >= r->lo && i < r->n_iv);
    if (i - r->lo >= r->cap) grow(r, i);
    r->hi = i + 1; /* slots outside [lo, hi) are zero (see finish) */
    if (r->hi - r->lo > r->peak) r->peak = r->hi - r->lo;
}

/* Interval i is final: its row out, its slot zeroed for reuse. */
static void finish(struct rs_ivring *r, int i)
{
    struct rs_ivring_slot *s = slot_of(r, i);
    double width = r->sc->interval_s;
    if ((i + 1) * width > r->end_s) width = r->end_s - i * width;
    double *row = r->sink ? r->row : r->rows + (size_t)i * (size_t)r->nm;
    rs_stats_interval_compute(r->sc, &s->st, width, row);
    if (r->sc->n_hours > 0) rs_stats_interval_compute_bh(r->sc, &s->st, &s->bh, row);
    if (r->sink) r->sink(r->ctx, i, row);
    memset(s, 0, sizeof *s);
}

/* Finishes the intervals from lo on while they are final. */
void rs_ivring_advance(struct rs_ivring *r)
{
    while (r->lo < r->hi) {
        struct rs_ivring_slot *s = slot_of(r, r->lo);
        if (!s->closed || s->open) break;
        finish(r, r->lo++);
    }
}

void rs_ivring_close(struct rs_ivring *r, int i, double busy, double queue, double agents)
{
    rs_stats_interval_close(rs_ivring_at(r, i), busy, queue, agents);
    slot_of(r, i)->closed = 1;
    if (i == r->lo) rs_ivring_advance(r);
}

void rs_ivring_finish_all(struct rs_ivring *r)
{
    while (r->lo < r->hi)
        finish(r, r->lo++);
    for (; r->lo < r->n_iv; r->lo++) { /* never reached: empty */
        r->hi = r->lo + 1;
        finish(r, r->lo);
    }
}

void rs_ivring_rows(const struct rs_ivring *r, double *out)
{
    memcpy(out, r->rows, (size_t)r->n_iv * (size_t)r->nm * sizeof *out);
}

int rs_ivring_peak(const struct rs_ivring *r) { return r->peak; }
