/* policy_lifo.c: newest message first.  Keeps recent conversations alive
 * at the cost of the oldest ones, which wait far longer (a heavier tail). */
#include "policy.h"

static void push(struct rs_policy *p, struct rs_msg *m) { rs_policy_list_append(p, m); }

static struct rs_msg *peek(struct rs_policy *p, double now_s)
{
    (void)now_s;
    return p->tail;
}

static void remove_msg(struct rs_policy *p, struct rs_msg *m) { rs_policy_list_unlink(p, m); }

static int before(const struct rs_msg *a, const struct rs_msg *b) { return a->id > b->id; }

const struct rs_policy_ops rs_policy_lifo = {
    .name = "lifo",
    .use = "newest first; keeps fresh conversations alive, leaves a long tail of old ones",
    .push = push,
    .peek = peek,
    .remove = remove_msg,
    .drain = rs_policy_list_drain,
    .before = before,
};
