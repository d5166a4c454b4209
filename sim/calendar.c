/* calendar.c: 4-ary min-heap of 16-byte (time, event) slots.
 *
 * Four children per node halve the depth of a binary heap, and a node's
 * four children (64 bytes) share a cache line.  A slot holds the time and
 * the event; the sequence number that breaks ties is read from the event
 * only when two times are equal, which is rare.  Each event's pos follows
 * its slot so that remove is O(log n).
 *
 * Pop leaves the root empty (c->hole) instead of refilling it at once: the
 * handler of an event nearly always pushes the next one (an arrival the
 * next arrival, a reply the agent's next reply), and that push then drops
 * into the root and sinks once, where a refill and a push would sink the
 * heap's last slot and raise the new one.  Any other call fills the hole
 * first.  Pops come out in (time, sequence) order either way. */
#include "calendar.h"
#include "replysim/alloc.h"

#include <assert.h>
#include <stdlib.h>

struct slot {
    double t_s;
    struct rs_event *ev;
};

struct rs_calendar {
    struct slot *heap; /* heap[0] is the earliest (empty while hole) */
    size_t n, cap;     /* slots in use, counting the hole */
    int hole;          /* heap[0] is empty: a pop is waiting for a push */
    uint64_t next_seq;
};

struct rs_calendar *rs_calendar_create(void)
{
    struct rs_calendar *c = rs_calloc(1, sizeof *c);
    c->cap = 256;
    c->heap = rs_reallocarray(NULL, c->cap, sizeof *c->heap);
    return c;
}

void rs_calendar_destroy(struct rs_calendar *c)
{
    if (!c) return;
    free(c->heap);
    free(c);
}

static inline int before(struct slot a, struct slot b)
{
    return a.t_s < b.t_s || (a.t_s == b.t_s && a.ev->seq < b.ev->seq);
}

static inline void place(struct slot *h, size_t i, struct slot s)
{
    h[i] = s;
    s.ev->pos = i + 1;
}

/* Raises s from slot i; never into an empty root (lo = 1 then). */
static void sift_up(struct rs_calendar *c, size_t i, struct slot s, size_t lo)
{
    struct slot *h = c->heap;
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (parent < lo || !before(s, h[parent])) break;
        place(h, i, h[parent]);
        i = parent;
    }
    place(h, i, s);
}

static void sift_down(struct rs_calendar *c, size_t i, struct slot s)
{
    struct slot *h = c->heap;
    size_t n = c->n;
    for (;;) {
        size_t first = 4 * i + 1;
        if (first >= n) break;
        size_t child = first;
        if (first + 4 <= n) { /* a full family: unrolled */
            if (before(h[first + 1], h[child])) child = first + 1;
            if (before(h[first + 2], h[child])) child = first + 2;
            if (before(h[first + 3], h[child])) child = first + 3;
        } else {
            for (size_t k = first + 1; k < n; k++)
                if (before(h[k], h[child])) child = k;
        }
        if (!before(h[child], s)) break;
        place(h, i, h[child]);
        i = child;
    }
    place(h, i, s);
}

/* Fills the empty root with the last slot. */
static void fill_hole(struct rs_calendar *c)
{
    c->hole = 0;
    if (--c->n > 0) sift_down(c, 0, c->heap[c->n]);
}

void rs_calendar_push(struct rs_calendar *c, struct rs_event *ev, double t_s)
{
    assert(ev->pos == 0);
    ev->t_s = t_s;
    ev->seq = c->next_seq++;
    struct slot s = {t_s, ev};
    if (c->hole) { /* the new event takes the root and sinks */
        c->hole = 0;
        sift_down(c, 0, s);
        return;
    }
    if (c->n == c->cap) {
        c->cap *= 2;
        c->heap = rs_reallocarray(c->heap, c->cap, sizeof *c->heap);
    }
    sift_up(c, c->n++, s, 0);
}

struct rs_event *rs_calendar_pop(struct rs_calendar *c)
{
    if (c->hole) fill_hole(c);
    if (c->n == 0) return NULL;
    struct rs_event *ev = c->heap[0].ev;
    ev->pos = 0;
    c->hole = 1;
    return ev;
}

void rs_calendar_remove(struct rs_calendar *c, struct rs_event *ev)
{
    assert(ev->pos >= 1 && ev->pos <= c->n && c->heap[ev->pos - 1].ev == ev);
    size_t i = ev->pos - 1;
    ev->pos = 0;
    if (i == --c->n) return;
    /* the last slot takes i's place; an empty root stays where it is */
    struct slot last = c->heap[c->n];
    size_t lo = c->hole ? 1 : 0;
    if (i > 0 && (i - 1) / 4 >= lo && before(last, c->heap[(i - 1) / 4]))
        sift_up(c, i, last, lo);
    else
        sift_down(c, i, last);
}

size_t rs_calendar_size(const struct rs_calendar *c) { return c->n - (size_t)c->hole; }
