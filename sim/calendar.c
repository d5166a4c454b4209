/* calendar.c: 4-ary min-heap of 16-byte (key, event) slots, and lanes.
 *
 * Four children per node halve the depth of a binary heap, and a node's
 * four children (64 bytes) share a cache line.  A slot's key is its time's
 * bits, which order as times >= 0 do and compare as integers; the least of
 * four children is picked without branches (least_of_four), since a heap's
 * comparisons are coin flips to the branch predictor.  The sequence number
 * that breaks ties is read from the event only when two times are equal,
 * which is rare.  Each event's pos follows its slot so that remove is
 * O(log n).
 *
 * Pop leaves the root empty (c->hole) instead of refilling it at once: the
 * handler of an event nearly always pushes the next one (a reply the
 * agent's next reply), and that push then drops into the root and sinks
 * once, where a refill and a push would sink the heap's last slot and raise
 * the new one.  Any other call fills the hole first.
 *
 * Lanes hold events that are scheduled again and again, one at a time (a
 * channel's next arrival): beside the heap, a push or pop of one is a
 * comparison, not a sift.  Pops come out in (time, sequence) order over
 * heap and lanes together. */
#include "calendar.h"
#include "replysim/alloc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* key: the time's bits, which order as the times do for times >= 0, and
 * compare as integers without branches or the parity checks of doubles */
struct slot {
    uint64_t key;
    struct rs_event *ev;
};

static inline uint64_t key_of(double t_s)
{
    uint64_t k;
    t_s += 0.0; /* -0 is 0 */
    memcpy(&k, &t_s, sizeof k);
    return k;
}

struct rs_calendar {
    struct slot *heap; /* heap[0] is the earliest (empty while hole) */
    size_t n, cap;     /* slots in use, counting the hole */
    int hole;          /* heap[0] is empty: a pop is waiting for a push */
    uint64_t next_seq;
    /* the lanes: each holds its one event while it is scheduled (ev NULL
     * and key UINT64_MAX while not), and `first` is the earliest lane or
     * -1 when none is scheduled */
    struct slot lanes[RS_CALENDAR_LANES];
    int n_lanes, first;
};

struct rs_calendar *rs_calendar_create(void)
{
    struct rs_calendar *c = rs_calloc(1, sizeof *c);
    c->cap = 256;
    c->heap = rs_reallocarray(NULL, c->cap, sizeof *c->heap);
    c->first = -1;
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
    return a.key < b.key || (a.key == b.key && a.ev->seq < b.ev->seq);
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

/* The least of a full family of four at h[first], or -1 when two of them
 * may tie at the least time (the caller then settles it by sequence).
 * Without branches: a heap's comparisons are coin flips to a branch
 * predictor, and its mispredictions were a quarter of the bench's time. */
static inline ptrdiff_t least_of_four(const struct slot *h, size_t first)
{
    uint64_t k0 = h[first].key, k1 = h[first + 1].key, k2 = h[first + 2].key, k3 = h[first + 3].key;
    size_t c01 = (size_t)(k1 < k0), c23 = 2 + (size_t)(k3 < k2);
    uint64_t m01 = h[first + c01].key, m23 = h[first + c23].key; /* loads, not branches */
    size_t pick = (size_t)(m23 < m01);
    size_t c = c01 ^ ((c01 ^ c23) & (0 - pick));
    if ((k0 == k1) | (k2 == k3) | (m01 == m23)) return -1;
    return (ptrdiff_t)(first + c);
}

static void sift_down(struct rs_calendar *c, size_t i, struct slot s)
{
    struct slot *h = c->heap;
    size_t n = c->n;
    for (;;) {
        size_t first = 4 * i + 1;
        if (first >= n) break;
        ptrdiff_t least = first + 4 <= n ? least_of_four(h, first) : -1;
        size_t child;
        if (least >= 0) {
            child = (size_t)least;
        } else { /* a short last family, or a tie */
            size_t end = first + 4 <= n ? first + 4 : n;
            child = first;
            for (size_t k = first + 1; k < end; k++)
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

int rs_calendar_lane(struct rs_calendar *c, struct rs_event *ev)
{
    assert(ev->pos == 0);
    if (c->n_lanes == RS_CALENDAR_LANES) return 0;
    c->lanes[c->n_lanes] = (struct slot){UINT64_MAX, NULL};
    ev->lane = ++c->n_lanes;
    return 1;
}

/* Finds the earliest scheduled lane. */
static void lanes_first(struct rs_calendar *c)
{
    int first = -1;
    for (int l = 0; l < c->n_lanes; l++)
        if (c->lanes[l].ev && (first < 0 || before(c->lanes[l], c->lanes[first]))) first = l;
    c->first = first;
}

static void lane_push(struct rs_calendar *c, struct rs_event *ev, struct slot s)
{
    int l = ev->lane - 1;
    c->lanes[l] = s;
    ev->pos = SIZE_MAX; /* scheduled, and in no heap slot */
    if (c->first < 0 || before(s, c->lanes[c->first])) c->first = l;
}

static struct rs_event *lane_take(struct rs_calendar *c, int l)
{
    struct rs_event *ev = c->lanes[l].ev;
    c->lanes[l] = (struct slot){UINT64_MAX, NULL};
    ev->pos = 0;
    if (l == c->first) {
        if (c->n_lanes == 1)
            c->first = -1; /* the common one channel: no scan */
        else
            lanes_first(c);
    }
    return ev;
}

void rs_calendar_push(struct rs_calendar *c, struct rs_event *ev, double t_s)
{
    assert(ev->pos == 0 && t_s >= 0);
    ev->t_s = t_s;
    ev->seq = c->next_seq++;
    struct slot s = {key_of(t_s), ev};
    if (ev->lane) {
        lane_push(c, ev, s);
        return;
    }
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
    if (c->first >= 0 && (c->n == 0 || before(c->lanes[c->first], c->heap[0])))
        return lane_take(c, c->first);
    if (c->n == 0) return NULL;
    struct rs_event *ev = c->heap[0].ev;
    ev->pos = 0;
    c->hole = 1;
    return ev;
}

void rs_calendar_remove(struct rs_calendar *c, struct rs_event *ev)
{
    if (ev->lane) {
        assert(c->lanes[ev->lane - 1].ev == ev);
        lane_take(c, ev->lane - 1);
        return;
    }
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

size_t rs_calendar_size(const struct rs_calendar *c)
{
    size_t n = c->n - (size_t)c->hole;
    for (int l = 0; l < c->n_lanes; l++)
        n += c->lanes[l].ev != NULL;
    return n;
}
