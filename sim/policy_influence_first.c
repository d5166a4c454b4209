/* policy_influence_first.c: authors with more followers first, oldest first
 * among equal follower counts. */
#include "policy.h"

static void push(struct rs_policy *p, struct rs_msg *m)
{
    rs_policy_heap_push(p, m, rs_policy_rank(-m->followers));
}

static int before(const struct rs_msg *a, const struct rs_msg *b)
{
    if (a->followers != b->followers) return a->followers > b->followers;
    return a->id < b->id;
}

const struct rs_policy_ops rs_policy_influence_first = {
    .name = "influence-first",
    .use = "authors with more followers first; limits what large audiences see go "
           "unanswered, at the cost of everyone else's wait",
    .init = rs_policy_heap_init,
    .push = push,
    .peek = rs_policy_heap_peek,
    .remove = rs_policy_heap_remove,
    .before = before,
    .drain = rs_policy_heap_drain,
    .fini = rs_policy_heap_fini,
};
