/* calendar.c: 4-ary min-heap of (time, sequence) keys.
 *
 * Four children per node halve the depth of a binary heap, and the four
 * sibling keys share a cache line or two, which makes pop (the costlier
 * operation) faster.
 * The keys are copied into the heap array next to the event pointer so that
 * sifting compares without chasing pointers; the event's pos is kept in step
 * so that remove is O(log n). */
#include "calendar.h"
#include "replysim/alloc.h"

#include <assert.h>
#include <stdlib.h>

struct slot {
    double t_s;
    uint64_t seq;
    struct rs_event *ev;
};

struct rs_calendar {
    struct slot *heap; /* heap[0] is the earliest */
    size_t n, cap;
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

static inline int before(const struct slot *a, const struct slot *b)
{
    return a->t_s < b->t_s || (a->t_s == b->t_s && a->seq < b->seq);
}

static inline void place(struct rs_calendar *c, size_t i, struct slot s)
{
    c->heap[i] = s;
    s.ev->pos = i + 1;
}

static void sift_up(struct rs_calendar *c, size_t i, struct slot s)
{
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!before(&s, &c->heap[parent])) break;
        place(c, i, c->heap[parent]);
        i = parent;
    }
    place(c, i, s);
}

static void sift_down(struct rs_calendar *c, size_t i, struct slot s)
{
    size_t n = c->n;
    for (;;) {
        size_t first = 4 * i + 1;
        if (first >= n) break;
        size_t child = first, last = first + 4 < n ? first + 4 : n;
        for (size_t k = first + 1; k < last; k++)
            if (before(&c->heap[k], &c->heap[child])) child = k;
        if (!before(&c->heap[child], &s)) break;
        place(c, i, c->heap[child]);
        i = child;
    }
    place(c, i, s);
}

void rs_calendar_push(struct rs_calendar *c, struct rs_event *ev, double t_s)
{
    assert(ev->pos == 0);
    if (c->n == c->cap) {
        c->cap *= 2;
        c->heap = rs_reallocarray(c->heap, c->cap, sizeof *c->heap);
    }
    ev->t_s = t_s;
    ev->seq = c->next_seq++;
    struct slot s = {t_s, ev->seq, ev};
    sift_up(c, c->n++, s);
}

struct rs_event *rs_calendar_pop(struct rs_calendar *c)
{
    if (c->n == 0) return NULL;
    struct rs_event *ev = c->heap[0].ev;
    ev->pos = 0;
    if (--c->n > 0) sift_down(c, 0, c->heap[c->n]);
    return ev;
}

void rs_calendar_remove(struct rs_calendar *c, struct rs_event *ev)
{
    assert(ev->pos >= 1 && ev->pos <= c->n && c->heap[ev->pos - 1].ev == ev);
    size_t i = ev->pos - 1;
    ev->pos = 0;
    if (i == --c->n) return;
    struct slot last = c->heap[c->n];
    if (i > 0 && before(&last, &c->heap[(i - 1) / 4]))
        sift_up(c, i, last);
    else
        sift_down(c, i, last);
}

size_t rs_calendar_size(const struct rs_calendar *c) { return c->n; }
