/* policy_heap.c: the 4-ary heaps of heap-based policies, with lazy removal.
 *
 * As in the event calendar (calendar.c), four children per node halve the
 * depth of a binary heap, and each slot holds its (rank, id) key next to
 * the message pointer, so that sifting compares without touching the
 * messages.  Slots are 24 bytes and the array is offset so that the four
 * children of a node fill two 64-byte cache lines exactly.
 *
 * Removal is lazy.  Keeping an index in every message (its slot) means
 * writing into each message a sift moves, a cache miss per level of a
 * heap of a million messages.  Instead m->qpos counts m's pushes and
 * removals (odd while it waits) and a slot keeps the low TAG_BITS of it
 * next to m's id; removal bumps m->qpos.  A slot whose message no longer
 * matches its id and tag (removed, pushed again after a handoff, or its
 * pool memory reused for another message) is stale: sifts move it like
 * any other slot, and it is dropped when it reaches the root.  So sifts
 * touch only the heap array.  The root's message, when removed, is popped
 * at once (the usual case: an agent takes the first message), and when
 * stale slots outnumber live ones the heap is rebuilt without them, so it
 * never holds more than twice the messages waiting.  A stale slot could
 * pass for live only if its message were pushed 2^15 times more while it
 * lingered; a message is pushed again only after a handoff at a shift end.
 * Ids must stay below 2^48. */
#include "policy.h"
#include "replysim/alloc.h"

#include "replysim/error.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    uint64_t rank;    /* the policy's rank, smallest first */
    uint64_t idtag;   /* the message's id, the tie-break, then its tag (TAG_BITS) */
    struct rs_msg *m; /* the message, which may have left (see live) */
};

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

#define TAG_BITS 16
#define TAG_MASK ((UINT64_C(1) << TAG_BITS) - 1)
#define SLOT_PAD 3 /* slots before a[0]: children 4i+1..4i+4 start at 96(i+1) bytes */
#define ALIGN 64

struct heap {
    struct slot *a; /* a[0] is answered first (when live) */
    void *mem;      /* the allocation a points into */
    size_t n, cap;  /* slots used, allocated */
    size_t stale;   /* slots whose message has left */
};

struct heaps {
    struct heap h[RS_POLICY_HEAPS];
};

static inline int first(const struct slot *x, const struct slot *y)
{
    return x->rank < y->rank || (x->rank == y->rank && x->idtag < y->idtag);
}

static inline uint64_t idtag_of(const struct rs_msg *m)
{
    return m->id << TAG_BITS | (m->qpos & TAG_MASK);
}

static inline int live(const struct slot *s) { return idtag_of(s->m) == s->idtag; }

static void sift_up(struct heap *h, size_t i, struct slot s)
{
    struct slot *a = h->a;
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!first(&s, &a[parent])) break;
        a[i] = a[parent];
        i = parent;
    }
    a[i] = s;
}

static void sift_down(struct heap *h, size_t i, struct slot s)
{
    struct slot *a = h->a;
    size_t n = h->n;
    for (;;) {
        size_t kid = 4 * i + 1;
        if (kid >= n) break;
        size_t best = kid, last = kid + 4 < n ? kid + 4 : n;
        for (size_t k = kid + 1; k < last; k++)
            if (first(&a[k], &a[best])) best = k;
        if (!first(&a[best], &s)) break;
        a[i] = a[best];
        i = best;
    }
    a[i] = s;
}

static void pop_root(struct heap *h)
{
    if (--h->n) {
        sift_down(h, 0, h->a[h->n]);
        /* the world reads the next first message soon: start fetching it */
        PREFETCH(h->a[0].m);
    }
}

/* Drops the stale slots and restores the heap bottom-up (Floyd), O(n). */
static void compact(struct heap *h)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++)
        if (live(&h->a[i])) h->a[n++] = h->a[i];
    h->n = n;
    h->stale = 0;
    for (size_t i = n / 4 + 1; i-- > 0;)
        if (i < n) sift_down(h, i, h->a[i]);
}

static void grow(struct heap *h)
{
    /* most channels never queue much: start small, double as needed */
    size_t cap = h->cap ? 2 * h->cap : 64;
    void *mem = rs_aligned(ALIGN, (cap + SLOT_PAD) * sizeof(struct slot));
    struct slot *a = (struct slot *)mem + SLOT_PAD;
    if (h->n) memcpy(a, h->a, h->n * sizeof *a);
    free(h->mem);
    h->mem = mem;
    h->a = a;
    h->cap = cap;
}

static struct heap *heap_of(struct rs_policy *p, int which)
{
    assert(which >= 0 && which < RS_POLICY_HEAPS);
    return &((struct heaps *)p->state)->h[which];
}

int rs_policy_heap_init(struct rs_policy *p, const struct rs_scenario *sc)
{
    (void)sc;
    struct heaps *hs = rs_calloc(1, sizeof *hs);
    p->state = hs;
    return RS_OK;
}

void rs_policy_heap_fini(struct rs_policy *p)
{
    struct heaps *hs = p->state;
    if (!hs) return;
    for (int i = 0; i < RS_POLICY_HEAPS; i++)
        free(hs->h[i].mem);
    free(hs);
    p->state = NULL;
}

void rs_policy_heap_push_in(struct rs_policy *p, int which, struct rs_msg *m, uint64_t rank)
{
    struct heap *h = heap_of(p, which);
    assert(!(m->qpos & 1) && m->id >> (64 - TAG_BITS) == 0);
    if (h->n == h->cap) grow(h);
    m->qpos++;
    struct slot s = {rank, idtag_of(m), m};
    sift_up(h, h->n++, s);
}

struct rs_msg *rs_policy_heap_first_in(struct rs_policy *p, int which)
{
    struct heap *h = heap_of(p, which);
    while (h->n && !live(&h->a[0])) {
        pop_root(h);
        h->stale--;
    }
    return h->n ? h->a[0].m : NULL;
}

void rs_policy_heap_remove_from(struct rs_policy *p, int which, struct rs_msg *m)
{
    struct heap *h = heap_of(p, which);
    assert(m->qpos & 1);
    int root = h->n && h->a[0].m == m && live(&h->a[0]);
    m->qpos++;
    if (root)
        pop_root(h);
    else
        h->stale++;
    if (2 * h->stale > h->n) compact(h);
}

void rs_policy_heap_push(struct rs_policy *p, struct rs_msg *m, uint64_t rank)
{
    rs_policy_heap_push_in(p, 0, m, rank);
}

struct rs_msg *rs_policy_heap_peek(struct rs_policy *p, double now_s)
{
    (void)now_s;
    return rs_policy_heap_first_in(p, 0);
}

void rs_policy_heap_remove(struct rs_policy *p, struct rs_msg *m)
{
    rs_policy_heap_remove_from(p, 0, m);
}

void rs_policy_heap_drain(struct rs_policy *p, void (*fn)(void *ctx, struct rs_msg *m), void *ctx)
{
    for (int which = 0; which < RS_POLICY_HEAPS; which++) {
        struct heap *h = heap_of(p, which);
        for (size_t i = 0; i < h->n; i++) {
            struct slot *s = &h->a[i];
            if (!live(s)) continue;
            s->m->qpos++; /* removed: a message is live in one slot at most */
            fn(ctx, s->m);
        }
        h->n = 0;
        h->stale = 0;
    }
}

/* The nearest live slot above i, or NULL. */
static const struct slot *live_ancestor(const struct heap *h, size_t i)
{
    while (i > 0) {
        i = (i - 1) / 4;
        if (live(&h->a[i])) return &h->a[i];
    }
    return NULL;
}

int rs_policy_heap_valid(const struct rs_policy *p)
{
    const struct heaps *hs = p->state;
    size_t waiting = 0;
    const struct slot *min[RS_POLICY_HEAPS] = {NULL};
    for (int k = 0; k < RS_POLICY_HEAPS; k++) {
        const struct heap *h = &hs->h[k];
        size_t n_live = 0;
        if (h->n > h->cap || 2 * h->stale > h->n) return 0;
        for (size_t i = 0; i < h->n; i++) {
            const struct slot *s = &h->a[i];
            if (!(s->idtag & 1)) return 0;
            /* stale slots keep their keys: the whole array is a heap */
            if (i > 0 && first(s, &h->a[(i - 1) / 4])) return 0;
            if (!live(s)) continue;
            n_live++;
            /* the heap's order must be the policy's */
            const struct slot *up = live_ancestor(h, i);
            if (up && !p->ops->before(up->m, s->m)) return 0;
            if (!min[k] || first(s, min[k])) min[k] = s;
        }
        if (h->n - n_live != h->stale) return 0;
        waiting += n_live;
    }
    /* every live message of a heap is answered before the first of the
     * next, so that taking the first non-empty heap's root is right */
    for (int k = 0; k + 1 < RS_POLICY_HEAPS; k++) {
        if (!min[k + 1]) continue;
        const struct heap *h = &hs->h[k];
        for (size_t i = 0; i < h->n; i++)
            if (live(&h->a[i]) && !p->ops->before(h->a[i].m, min[k + 1]->m)) return 0;
    }
    return waiting == p->waiting;
}
