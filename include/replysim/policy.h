/* policy.h: reply policies decide which waiting message an agent answers
 * next.  A policy is one source file, sim/policy_NAME.c, exporting its ops,
 * and one line in the table of sim/policy.c. */
#ifndef RS_POLICY_H
#define RS_POLICY_H

#include "replysim/msg.h"

#include <stddef.h>

struct rs_policy;

struct rs_policy_ops {
    const char *name;
    /* Prepares p->state; returns RS_OK or an RS_E* code. */
    int (*init)(struct rs_policy *p);
    /* A message starts waiting. */
    void (*push)(struct rs_policy *p, struct rs_msg *m);
    /* Takes out the message to answer next at now_s; NULL when none waits. */
    struct rs_msg *(*pop)(struct rs_policy *p, double now_s);
    /* Takes out m, which waits (abandonment, stale cut-off). */
    void (*remove)(struct rs_policy *p, struct rs_msg *m);
    /* Frees p->state (messages are not owned). */
    void (*fini)(struct rs_policy *p);
};

struct rs_policy {
    const struct rs_policy_ops *ops;
    size_t waiting;           /* messages waiting, kept by the rs_policy_* wrappers */
    struct rs_msg *head;      /* list policies: first and last waiting message */
    struct rs_msg *tail;
    void *state;              /* anything else the policy keeps */
};

/* The ops of the policy called name, or NULL. */
const struct rs_policy_ops *rs_policy_find(const char *name);

/* Comma-separated names of every policy, for error messages. */
const char *rs_policy_names(void);

int rs_policy_init(struct rs_policy *p, const struct rs_policy_ops *ops);
void rs_policy_fini(struct rs_policy *p);

static inline void rs_policy_push(struct rs_policy *p, struct rs_msg *m)
{
    p->ops->push(p, m);
    p->waiting++;
}

static inline struct rs_msg *rs_policy_pop(struct rs_policy *p, double now_s)
{
    if (!p->waiting) return NULL;
    struct rs_msg *m = p->ops->pop(p, now_s);
    if (m) p->waiting--;
    return m;
}

static inline void rs_policy_remove(struct rs_policy *p, struct rs_msg *m)
{
    p->ops->remove(p, m);
    p->waiting--;
}

/* Doubly linked list helpers shared by list-based policies. */
void rs_policy_list_append(struct rs_policy *p, struct rs_msg *m);
void rs_policy_list_unlink(struct rs_policy *p, struct rs_msg *m);

#endif
