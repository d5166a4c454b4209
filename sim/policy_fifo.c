/* policy_fifo.c: oldest message first, the default. */
#include "replysim/policy.h"

static void push(struct rs_policy *p, struct rs_msg *m) { rs_policy_list_append(p, m); }

static struct rs_msg *pop(struct rs_policy *p, double now_s)
{
    (void)now_s;
    struct rs_msg *m = p->head;
    if (m) rs_policy_list_unlink(p, m);
    return m;
}

static void remove_msg(struct rs_policy *p, struct rs_msg *m) { rs_policy_list_unlink(p, m); }

const struct rs_policy_ops rs_policy_fifo = {
    .name = "fifo",
    .push = push,
    .pop = pop,
    .remove = remove_msg,
};
