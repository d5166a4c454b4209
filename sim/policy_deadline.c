/* policy_deadline.c: the message most at risk first.  Messages whose
 * author is still waiting go first, earliest patience deadline first; once
 * an author's patience has run out (m->lapsed), saving them is no longer
 * possible, so lapsed messages wait behind every other, earliest deadline
 * first among them.  Messages without patience (deadline INFINITY) come
 * after every unlapsed message that has one, oldest first. */
#include "replysim/policy.h"

#include <assert.h>

static uint64_t rank(const struct rs_msg *m)
{
    /* rs_policy_rank sets the top bit of every deadline >= 0; clearing it
     * for unlapsed messages puts them all before the lapsed ones */
    assert(m->deadline_s >= 0);
    uint64_t r = rs_policy_rank(m->deadline_s);
    return m->lapsed ? r : r & ~(UINT64_C(1) << 63);
}

static void push(struct rs_policy *p, struct rs_msg *m) { rs_policy_heap_push(p, m, rank(m)); }

/* The rank has changed: the message moves behind every unlapsed one. */
static void lapse(struct rs_policy *p, struct rs_msg *m)
{
    rs_policy_heap_remove(p, m);
    rs_policy_heap_push(p, m, rank(m));
}

static int before(const struct rs_msg *a, const struct rs_msg *b)
{
    if (a->lapsed != b->lapsed) return a->lapsed < b->lapsed;
    if (a->deadline_s != b->deadline_s) return a->deadline_s < b->deadline_s;
    return a->id < b->id;
}

const struct rs_policy_ops rs_policy_deadline = {
    .name = "deadline",
    .use = "earliest patience deadline first, lapsed authors last; fewest lapsed authors "
           "when the team cannot keep up",
    .init = rs_policy_heap_init,
    .push = push,
    .peek = rs_policy_heap_peek,
    .remove = rs_policy_heap_remove,
    .lapse = lapse,
    .before = before,
    .fini = rs_policy_heap_fini,
};
