/* policy_fifo.c: oldest message first, the default. */
#include "policy.h"

static void push(struct rs_policy *p, struct rs_msg *m) { rs_policy_list_append(p, m); }

static struct rs_msg *peek(struct rs_policy *p, double now_s)
{
    (void)now_s;
    return p->head;
}

static void remove_msg(struct rs_policy *p, struct rs_msg *m) { rs_policy_list_unlink(p, m); }

/* Arrival order: ids are handed out as messages arrive. */
static int before(const struct rs_msg *a, const struct rs_msg *b) { return a->id < b->id; }

const struct rs_policy_ops rs_policy_fifo = {
    .name = "fifo",
    .use = "oldest first; the fair default, and what customers expect",
    .push = push,
    .peek = peek,
    .remove = remove_msg,
    .drain = rs_policy_list_drain,
    .before = before,
};
