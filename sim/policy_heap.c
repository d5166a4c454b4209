/* policy_heap.c: the indexed 4-ary heap of heap-based policies.
 *
 * As in the event calendar (calendar.c), four children per node halve the
 * depth of a binary heap and the siblings share a cache line or two, and
 * each slot holds its (rank, id) key next to the message pointer, so that
 * sifting through a backlog of 100,000 messages compares without touching
 * the messages themselves; only m->qpos is written as slots move. */
#include "replysim/policy.h"

#include "replysim/error.h"

#include <assert.h>
#include <stdlib.h>

struct slot {
    uint64_t rank; /* the policy's rank, smallest first */
    uint64_t id;   /* the message's id, the tie-break */
    struct rs_msg *m;
};

struct heap {
    struct slot *a; /* a[0] is answered first */
    size_t n, cap;
};

static inline int first(const struct slot *x, const struct slot *y)
{
    return x->rank < y->rank || (x->rank == y->rank && x->id < y->id);
}

static inline void place(struct slot *a, size_t i, struct slot s)
{
    a[i] = s;
    s.m->qpos = i + 1;
}

static void sift_up(struct heap *h, size_t i, struct slot s)
{
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!first(&s, &h->a[parent])) break;
        place(h->a, i, h->a[parent]);
        i = parent;
    }
    place(h->a, i, s);
}

static void sift_down(struct heap *h, size_t i, struct slot s)
{
    size_t n = h->n;
    for (;;) {
        size_t kid = 4 * i + 1;
        if (kid >= n) break;
        size_t best = kid, last = kid + 4 < n ? kid + 4 : n;
        for (size_t k = kid + 1; k < last; k++)
            if (first(&h->a[k], &h->a[best])) best = k;
        if (!first(&h->a[best], &s)) break;
        place(h->a, i, h->a[best]);
        i = best;
    }
    place(h->a, i, s);
}

int rs_policy_heap_init(struct rs_policy *p, const struct rs_scenario *sc)
{
    (void)sc;
    struct heap *h = calloc(1, sizeof *h);
    if (!h) abort();
    p->state = h;
    return RS_OK;
}

void rs_policy_heap_fini(struct rs_policy *p)
{
    struct heap *h = p->state;
    if (!h) return;
    free(h->a);
    free(h);
    p->state = NULL;
}

void rs_policy_heap_push(struct rs_policy *p, struct rs_msg *m, uint64_t rank)
{
    struct heap *h = p->state;
    assert(m->qpos == 0);
    if (h->n == h->cap) {
        /* most channels never queue much: start small, double as needed */
        h->cap = h->cap ? 2 * h->cap : 64;
        h->a = realloc(h->a, h->cap * sizeof *h->a);
        if (!h->a) abort();
    }
    struct slot s = {rank, m->id, m};
    sift_up(h, h->n++, s);
}

struct rs_msg *rs_policy_heap_peek(struct rs_policy *p, double now_s)
{
    (void)now_s;
    struct heap *h = p->state;
    return h->n ? h->a[0].m : NULL;
}

void rs_policy_heap_remove(struct rs_policy *p, struct rs_msg *m)
{
    struct heap *h = p->state;
    assert(m->qpos >= 1 && m->qpos <= h->n && h->a[m->qpos - 1].m == m);
    size_t i = m->qpos - 1;
    m->qpos = 0;
    if (i == --h->n) return;
    struct slot last = h->a[h->n];
    if (i > 0 && first(&last, &h->a[(i - 1) / 4]))
        sift_up(h, i, last);
    else
        sift_down(h, i, last);
}

int rs_policy_heap_valid(const struct rs_policy *p)
{
    const struct heap *h = p->state;
    if (h->n != p->waiting) return 0;
    for (size_t i = 0; i < h->n; i++) {
        const struct slot *s = &h->a[i];
        if (s->m->qpos != i + 1 || s->m->id != s->id) return 0;
        if (i > 0 && first(s, &h->a[(i - 1) / 4])) return 0;
        /* the heap's order must be the policy's */
        if (i > 0 && !p->ops->before(h->a[(i - 1) / 4].m, s->m)) return 0;
    }
    return 1;
}
