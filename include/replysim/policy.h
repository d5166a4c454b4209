/* policy.h: reply policies decide which waiting message an agent answers
 * next.  A policy is one source file, sim/policy_NAME.c, exporting its ops,
 * and one line in the table of sim/policy.c.
 *
 * The world keeps one queue (struct rs_policy) per channel, all with the
 * same ops; an agent skilled for several channels peeks at each queue's
 * first message and takes the one `before` puts first.  So the order a
 * policy defines must not depend on which queue a message sits in, and must
 * not change while messages wait (a key fixed at push, or a comparison
 * whose result does not move with time), which keeps choosing O(log n). */
#ifndef RS_POLICY_H
#define RS_POLICY_H

#include "replysim/msg.h"
#include "replysim/scenario.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

struct rs_policy;

struct rs_policy_ops {
    const char *name;
    const char *use;  /* one line for the README and --help: when to use it */
    /* Prepares p->state (sc gives weights and the like); RS_OK or RS_E*. */
    int (*init)(struct rs_policy *p, const struct rs_scenario *sc);
    /* A message starts waiting. */
    void (*push)(struct rs_policy *p, struct rs_msg *m);
    /* The message to answer next at now_s, left in place; NULL when none
     * waits.  now_s never decreases from one call to the next. */
    struct rs_msg *(*peek)(struct rs_policy *p, double now_s);
    /* Takes out m, which waits (taken by an agent, lapsed, dropped). */
    void (*remove)(struct rs_policy *p, struct rs_msg *m);
    /* Optional: m, waiting, has just lapsed (m->lapsed set); for orders
     * that treat lapsed messages apart.  NULL: nothing to do. */
    void (*lapse)(struct rs_policy *p, struct rs_msg *m);
    /* 1 when a is answered before b: a strict total order (ties end on id). */
    int (*before)(const struct rs_msg *a, const struct rs_msg *b);
    /* Frees p->state (messages are not owned). */
    void (*fini)(struct rs_policy *p);
};

struct rs_policy {
    const struct rs_policy_ops *ops;
    const struct rs_scenario *sc;
    size_t waiting;           /* messages waiting, kept by the rs_policy_* wrappers */
    struct rs_msg *head;      /* list policies: first and last waiting message */
    struct rs_msg *tail;
    void *state;              /* anything else the policy keeps */
};

/* The ops of the policy called name, or NULL. */
const struct rs_policy_ops *rs_policy_find(const char *name);

/* Comma-separated names of every policy, for error messages. */
const char *rs_policy_names(void);

/* The i-th policy of the table, NULL past the end (README, --help). */
const struct rs_policy_ops *rs_policy_at(int i);

int rs_policy_init(struct rs_policy *p, const struct rs_policy_ops *ops,
                   const struct rs_scenario *sc);
void rs_policy_fini(struct rs_policy *p);

static inline void rs_policy_push(struct rs_policy *p, struct rs_msg *m)
{
    p->ops->push(p, m);
    p->waiting++;
}

static inline struct rs_msg *rs_policy_peek(struct rs_policy *p, double now_s)
{
    return p->waiting ? p->ops->peek(p, now_s) : NULL;
}

static inline void rs_policy_remove(struct rs_policy *p, struct rs_msg *m)
{
    p->ops->remove(p, m);
    p->waiting--;
}

/* m, waiting in p, has just lapsed: the world sets m->lapsed, then calls
 * this so that orders that treat lapsed messages apart can move it. */
static inline void rs_policy_lapse(struct rs_policy *p, struct rs_msg *m)
{
    if (p->ops->lapse) p->ops->lapse(p, m);
}

/* Doubly linked list helpers shared by list-based policies. */
void rs_policy_list_append(struct rs_policy *p, struct rs_msg *m);
void rs_policy_list_unlink(struct rs_policy *p, struct rs_msg *m);

/* Indexed 4-ary heap shared by heap-based policies (sim/policy_heap.c),
 * kept in p->state.  It orders messages by a rank the policy computes at
 * push, smallest first, then by id; the policy's `before` must give the
 * same order.  The rank is copied next to the message pointer, so sifting
 * never reads the messages; m->qpos is 1 + m's index (0: not in the heap),
 * which makes removing any waiting message O(log n).  Aborts on out of
 * memory.  init and fini fit rs_policy_ops as they are, and so do peek and
 * remove; a policy's push computes the rank and calls push. */
int rs_policy_heap_init(struct rs_policy *p, const struct rs_scenario *sc);
void rs_policy_heap_fini(struct rs_policy *p);
void rs_policy_heap_push(struct rs_policy *p, struct rs_msg *m, uint64_t rank);
struct rs_msg *rs_policy_heap_peek(struct rs_policy *p, double now_s);
void rs_policy_heap_remove(struct rs_policy *p, struct rs_msg *m);

/* 1 when the heap holds p->waiting messages, each at its qpos, each placed
 * after its parent both by rank and by the policy's before.  O(n), for
 * tests. */
int rs_policy_heap_valid(const struct rs_policy *p);

/* A rank that sorts as x does (x not NaN; -0 and +0 rank alike), for
 * policies whose order is a double, smallest first. */
static inline uint64_t rs_policy_rank(double x)
{
    assert(!isnan(x));
    union {
        double d;
        uint64_t u;
    } v = {.d = x == 0 ? 0.0 : x};
    /* IEEE 754 bits sort as sign-magnitude: flip negatives whole, and set
     * the sign bit of the rest so they sort above every negative. */
    return v.u >> 63 ? ~v.u : v.u | (UINT64_C(1) << 63);
}

#endif
