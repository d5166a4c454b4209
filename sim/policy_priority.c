/* policy_priority.c: the type with the larger priority first, oldest first
 * within a priority (non-preemptive priority queueing: a message being
 * handled is never put back for a more urgent one). */
#include "policy.h"

#include <limits.h>

static void push(struct rs_policy *p, struct rs_msg *m)
{
    /* larger priority, smaller rank; never negative for any int */
    rs_policy_heap_push(p, m, (uint64_t)((int64_t)INT_MAX - m->priority));
}

static int before(const struct rs_msg *a, const struct rs_msg *b)
{
    if (a->priority != b->priority) return a->priority > b->priority;
    return a->id < b->id;
}

const struct rs_policy_ops rs_policy_priority = {
    .name = "priority",
    .use = "larger [type] priority first, oldest first within; for urgent types such as "
           "complaints or outages",
    .init = rs_policy_heap_init,
    .push = push,
    .peek = rs_policy_heap_peek,
    .remove = rs_policy_heap_remove,
    .before = before,
    .drain = rs_policy_heap_drain,
    .fini = rs_policy_heap_fini,
};
