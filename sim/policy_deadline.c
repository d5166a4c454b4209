/* policy_deadline.c: the message most at risk first.  Messages whose
 * author is still waiting go first, earliest patience deadline first; once
 * an author's patience has run out, saving them is no longer possible, so
 * lapsed messages wait behind every other, earliest deadline first among
 * them.  Messages without patience (deadline INFINITY) come after every
 * unlapsed message that has one, oldest first.
 *
 * Two heaps, both by deadline: heap 0 holds the messages not yet lapsed,
 * heap 1 the lapsed ones.  Lapsing is noticed at peek, lazily: whatever
 * sits first in heap 0 with deadline_s < now_s (or m->lapsed, which the
 * world sets at the deadline when it has a lapse event anyway) moves to
 * heap 1 and gets m->lapsed.  So the order needs no event at each
 * deadline, and the move costs one pop and one push (at heap 1's bottom,
 * deadlines passing in order).  m->key says which heap m is in: `before`
 * must agree with what peek returned, and peek, not the world's m->lapsed,
 * decides when a message moves. */
#include "policy.h"

#include <assert.h>

enum { WAITING, LAPSED }; /* the heaps, and m->key */

static uint64_t rank(const struct rs_msg *m)
{
    assert(m->deadline_s >= 0);
    return rs_policy_rank(m->deadline_s);
}

static void push(struct rs_policy *p, struct rs_msg *m)
{
    /* a message handed back at a shift end may come back lapsed */
    int in = m->lapsed ? LAPSED : WAITING;
    m->key = in;
    rs_policy_heap_push_in(p, in, m, rank(m));
}

static struct rs_msg *peek(struct rs_policy *p, double now_s)
{
    struct rs_msg *m;
    while ((m = rs_policy_heap_first_in(p, WAITING)) && (m->deadline_s < now_s || m->lapsed)) {
        rs_policy_heap_remove_from(p, WAITING, m);
        m->lapsed = 1;
        m->key = LAPSED;
        rs_policy_heap_push_in(p, LAPSED, m, rank(m));
    }
    return m ? m : rs_policy_heap_first_in(p, LAPSED);
}

static void remove_msg(struct rs_policy *p, struct rs_msg *m)
{
    rs_policy_heap_remove_from(p, m->key == LAPSED ? LAPSED : WAITING, m);
}

static int before(const struct rs_msg *a, const struct rs_msg *b)
{
    if (a->key != b->key) return a->key < b->key;
    if (a->deadline_s != b->deadline_s) return a->deadline_s < b->deadline_s;
    return a->id < b->id;
}

const struct rs_policy_ops rs_policy_deadline = {
    .name = "deadline",
    .use = "earliest patience deadline first, lapsed authors last; fewest lapsed authors "
           "when the team cannot keep up",
    .init = rs_policy_heap_init,
    .push = push,
    .peek = peek,
    .remove = remove_msg,
    .before = before,
    .drain = rs_policy_heap_drain,
    .fini = rs_policy_heap_fini,
};
