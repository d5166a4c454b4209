/* bareheap.c: the benchmark model as a hand-written loop that keeps each
 * deadline as an event, the second yardstick of `make bench`.
 *
 * The same loop, model, draws and streams as bareloop.c (the next arrival
 * beside the heap), but with each waiting message's deadline an event in
 * the heap of reply times, a binary heap of (time, kind, who), removed when
 * an agent takes the message first.  That is what a simulator must do to
 * know when each message leaves the queue (for the most messages waiting or
 * the mean queue, per interval), where the lazy loop finds a message gone
 * only when an agent reaches it.  It counts the same few figures as bareloop.c, and
 * on the same seed gives the same counts: a check of both. */
#include "bareloop.h"

#include "replysim/alloc.h"
#include "replysim/rng.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

enum { REPLY, DEADLINE };

struct hev {
    double t;
    int kind, who; /* who: a waiting message's slot (DEADLINE) */
};

struct heap {
    struct hev *e;
    int n;
    int *pos; /* a slot's deadline event's index in e */
};

/* By time alone: with continuous draws two events never share a time, so
 * the loop spares itself the push order a simulator keeps for ties. */
static inline int earlier(const struct hev *a, const struct hev *b) { return a->t < b->t; }

static inline void put(struct heap *h, int i, struct hev ev)
{
    h->e[i] = ev;
    if (ev.kind == DEADLINE) h->pos[ev.who] = i;
}

static void sift_up(struct heap *h, int i, struct hev ev)
{
    while (i > 0 && earlier(&ev, &h->e[(i - 1) / 2])) {
        put(h, i, h->e[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    put(h, i, ev);
}

static void sift_down(struct heap *h, int i, struct hev ev)
{
    for (;;) {
        int c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n) c += h->e[c + 1].t < h->e[c].t; /* no branch: a coin flip */
        if (!earlier(&h->e[c], &ev)) break;
        put(h, i, h->e[c]);
        i = c;
    }
    put(h, i, ev);
}

static void push(struct heap *h, double t, int kind, int who)
{
    struct hev ev = {t, kind, who};
    sift_up(h, h->n++, ev);
}

static struct hev pop(struct heap *h)
{
    struct hev top = h->e[0];
    if (--h->n > 0) sift_down(h, 0, h->e[h->n]);
    return top;
}

/* Removes the event at index i. */
static void remove_at(struct heap *h, int i)
{
    if (i == --h->n) return;
    struct hev last = h->e[h->n];
    if (i > 0 && earlier(&last, &h->e[(i - 1) / 2]))
        sift_up(h, i, last);
    else
        sift_down(h, i, last);
}

/* Waiting messages: slots in a doubly linked FIFO, a free list beside. */
struct queue {
    double *arrive;
    int *next, *prev;
    int head, tail, free, cap;
};

static int q_add(struct queue *q, struct heap *h, double arrive, int agents)
{
    if (q->free < 0) { /* grow: slots are indices, so the links stay valid */
        int cap = q->cap ? 2 * q->cap : 1024;
        q->arrive = rs_reallocarray(q->arrive, (size_t)cap, sizeof *q->arrive);
        q->next = rs_reallocarray(q->next, (size_t)cap, sizeof *q->next);
        q->prev = rs_reallocarray(q->prev, (size_t)cap, sizeof *q->prev);
        h->pos = rs_reallocarray(h->pos, (size_t)cap, sizeof *h->pos);
        /* the heap: every waiting message, every agent and the next arrival */
        h->e = rs_reallocarray(h->e, (size_t)cap + (size_t)agents + 1, sizeof *h->e);
        for (int i = cap - 1; i >= q->cap; i--) {
            q->next[i] = q->free;
            q->free = i;
        }
        q->cap = cap;
    }
    int s = q->free;
    q->free = q->next[s];
    q->arrive[s] = arrive;
    q->next[s] = -1;
    q->prev[s] = q->tail;
    if (q->tail >= 0)
        q->next[q->tail] = s;
    else
        q->head = s;
    q->tail = s;
    return s;
}

static void q_remove(struct queue *q, int s)
{
    if (q->prev[s] >= 0)
        q->next[q->prev[s]] = q->next[s];
    else
        q->head = q->next[s];
    if (q->next[s] >= 0)
        q->prev[q->next[s]] = q->prev[s];
    else
        q->tail = q->prev[s];
    q->next[s] = q->free;
    q->free = s;
}

void bareloop_run_heap(const struct bareloop_model *m, struct bareloop_result *res)
{
    struct bl_rng r_arr, r_handle, r_pat; /* as bareloop.c: the same draws */
    bl_seed(&r_arr, m->seed);
    bl_seed(&r_handle, m->seed + 1);
    bl_seed(&r_pat, m->seed + 2);
    struct heap h = {0};
    struct queue q = {.head = -1, .tail = -1, .free = -1};
    h.e = rs_reallocarray(NULL, (size_t)m->agents + 1, sizeof *h.e);
    *res = (struct bareloop_result){0};
    int busy = 0;
    double next_arrival = bl_expo(&r_arr, m->mean_gap_s); /* beside the heap, as bareloop.c */
    for (;;) {
        if (h.n == 0 || next_arrival < h.e[0].t) {
            double now = next_arrival;
            if (now >= m->horizon_s) break;
            res->events++;
            res->arrivals++;
            next_arrival = now + bl_expo(&r_arr, m->mean_gap_s);
            double handle = bl_expo(&r_handle, m->mean_handle_s);
            double patience = bl_expo(&r_pat, m->mean_patience_s);
            if (busy < m->agents) {
                busy++;
                push(&h, now + handle, REPLY, 0);
                res->answered++;
            } else {
                int s = q_add(&q, &h, now, m->agents);
                push(&h, now + patience, DEADLINE, s);
                res->waited++;
            }
            continue;
        }
        struct hev ev = pop(&h);
        double now = ev.t;
        res->events++;
        if (ev.kind == REPLY) {
            if (q.head >= 0) {
                int s = q.head;
                remove_at(&h, h.pos[s]);
                res->wait_sum_s += now - q.arrive[s];
                res->answered++;
                q_remove(&q, s);
                push(&h, now + bl_expo(&r_handle, m->mean_handle_s), REPLY, 0);
            } else {
                busy--;
            }
        } else { /* the author of a waiting message gave up */
            res->abandoned++;
            q_remove(&q, ev.who);
        }
    }
    free(h.e);
    free(h.pos);
    free(q.arrive);
    free(q.next);
    free(q.prev);
}
