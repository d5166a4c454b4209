/* policy_public_first.c: messages posted in public (where other customers
 * see whether the brand answers) before private ones, oldest first within. */
#include "policy.h"

static void push(struct rs_policy *p, struct rs_msg *m) { rs_policy_heap_push(p, m, !m->public_); }

static int before(const struct rs_msg *a, const struct rs_msg *b)
{
    if (a->public_ != b->public_) return a->public_ > b->public_;
    return a->id < b->id;
}

const struct rs_policy_ops rs_policy_public_first = {
    .name = "public-first",
    .use = "public messages before private ones, oldest first within; when being seen to "
           "answer matters more than private waits",
    .init = rs_policy_heap_init,
    .push = push,
    .peek = rs_policy_heap_peek,
    .remove = rs_policy_heap_remove,
    .before = before,
    .drain = rs_policy_heap_drain,
    .fini = rs_policy_heap_fini,
};
