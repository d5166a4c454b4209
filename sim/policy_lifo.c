/* policy_lifo.c: newest message first.  Keeps recent conversations alive
 * at the cost of the oldest ones, which wait far longer (a heavier tail). */
#include "replysim/policy.h"

static void push(struct rs_policy *p, struct rs_msg *m) { rs_policy_list_append(p, m); }

static struct rs_msg *pop(struct rs_policy *p, double now_s)
{
    (void)now_s;
    struct rs_msg *m = p->tail;
    if (m) rs_policy_list_unlink(p, m);
    return m;
}

static void remove_msg(struct rs_policy *p, struct rs_msg *m) { rs_policy_list_unlink(p, m); }

const struct rs_policy_ops rs_policy_lifo = {
    .name = "lifo",
    .push = push,
    .pop = pop,
    .remove = remove_msg,
};
