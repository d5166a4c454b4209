/* policy.h: reply policies decide which waiting message an agent answers
 * next.  A policy is one source file, sim/policy_NAME.c, exporting its ops,
 * and one line in the table of sim/policy.c.
 *
 * The world keeps one queue (struct rs_policy) per channel, all with the
 * same ops; an agent skilled for several channels peeks at each queue's
 * first message, all at the same now, and takes the one `before` puts
 * first.  So the order a policy defines must not depend on which queue a
 * message sits in.  It may change as time passes only in ways each queue
 * can apply by itself at peek (deadline moves a message behind the others
 * once its deadline has passed): `before` compares messages as the last
 * peek of their queues left them, which is why the world peeks at every
 * queue before comparing.  Keys fixed at push keep choosing O(log n). */
#ifndef RS_POLICY_H
#define RS_POLICY_H

#include "msg.h"
#include "replysim/scenario.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

struct rs_policy;

struct rs_policy_ops {
    const char *name;
    const char *use; /* one line for the README and --help: when to use it */
    /* Prepares p->state (sc gives weights and the like); RS_OK or RS_E*. */
    int (*init)(struct rs_policy *p, const struct rs_scenario *sc);
    /* A message starts waiting. */
    void (*push)(struct rs_policy *p, struct rs_msg *m);
    /* The message to answer next at now_s, left in place; NULL when none
     * waits.  now_s never decreases from one call to the next; a policy
     * whose order moves with time brings its queue up to now_s here. */
    struct rs_msg *(*peek)(struct rs_policy *p, double now_s);
    /* Takes out m, which waits (taken by an agent, lapsed, dropped). */
    void (*remove)(struct rs_policy *p, struct rs_msg *m);
    /* Optional: m, waiting, has just lapsed (m->lapsed set).  NULL: nothing
     * to do.  Setting it costs a calendar event at every waiting message's
     * deadline (the world schedules them only for policies that have it,
     * abandon = leave, follow-ups and channel switches), so a policy that
     * treats lapsed messages apart does better to notice deadline_s < now_s
     * at peek, as deadline does; no built-in policy sets it. */
    void (*lapse)(struct rs_policy *p, struct rs_msg *m);
    /* 1 when a is answered before b: a strict total order (ties end on id),
     * valid between messages whose queues were peeked at the same now. */
    int (*before)(const struct rs_msg *a, const struct rs_msg *b);
    /* Optional: calls fn on every waiting message, in no set order, and
     * leaves the queue empty (fn may free the message).  The run's stop
     * closes a backlog of a million this way in O(n), not O(n log n).
     * NULL: rs_policy_drain takes them out one by one. */
    void (*drain)(struct rs_policy *p, void (*fn)(void *ctx, struct rs_msg *m), void *ctx);
    /* Frees p->state (messages are not owned). */
    void (*fini)(struct rs_policy *p);
};

struct rs_policy {
    const struct rs_policy_ops *ops;
    const struct rs_scenario *sc;
    size_t waiting;      /* messages waiting, kept by the rs_policy_* wrappers */
    struct rs_msg *head; /* list policies: first and last waiting message */
    struct rs_msg *tail;
    void *state; /* anything else the policy keeps */
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

/* m, waiting in p, has just lapsed (m->lapsed set): runs the policy's
 * lapse op, if it has one. */
static inline void rs_policy_lapse(struct rs_policy *p, struct rs_msg *m)
{
    if (p->ops->lapse) p->ops->lapse(p, m);
}

/* Empties p, calling fn(ctx, m) on each message that waited (see drain). */
void rs_policy_drain(struct rs_policy *p, void (*fn)(void *ctx, struct rs_msg *m), void *ctx);

/* Doubly linked list helpers shared by list-based policies. */
void rs_policy_list_append(struct rs_policy *p, struct rs_msg *m);
void rs_policy_list_unlink(struct rs_policy *p, struct rs_msg *m);
void rs_policy_list_drain(struct rs_policy *p, void (*fn)(void *ctx, struct rs_msg *m), void *ctx);

/* 4-ary heaps shared by heap-based policies (sim/policy_heap.c), kept in
 * p->state: RS_POLICY_HEAPS of them, numbered from 0; policies with one
 * order use heap 0 only.  A heap orders messages by a rank the policy
 * computes at push, smallest first, then by id; the policy's `before` must
 * give the same order, and must put every message of heap k before every
 * message of heap k + 1.  The rank is copied next to the message pointer,
 * so sifting never reads the messages.  Removal is lazy: m->qpos counts
 * m's pushes and removals (odd while it waits; 0 for a new message), the
 * slot keeps m's id and that count, and a slot that no longer matches its
 * message is dropped later, so removing a waiting message other than the
 * first costs O(1) amortized.  Message memory may be reused while a stale
 * slot still points at it, but must stay allocated until fini; ids must
 * stay below 2^48.  Aborts on out of memory.
 * init and fini fit rs_policy_ops as they are, and so do peek and remove
 * (heap 0); a policy's push computes the rank and calls push. */
#define RS_POLICY_HEAPS 2

int rs_policy_heap_init(struct rs_policy *p, const struct rs_scenario *sc);
void rs_policy_heap_fini(struct rs_policy *p);
void rs_policy_heap_push(struct rs_policy *p, struct rs_msg *m, uint64_t rank);
struct rs_msg *rs_policy_heap_peek(struct rs_policy *p, double now_s);
void rs_policy_heap_remove(struct rs_policy *p, struct rs_msg *m);

/* The same on heap `which`: push, the first waiting message (NULL when
 * none) and removal of m, which waits in that heap. */
void rs_policy_heap_push_in(struct rs_policy *p, int which, struct rs_msg *m, uint64_t rank);
struct rs_msg *rs_policy_heap_first_in(struct rs_policy *p, int which);
void rs_policy_heap_remove_from(struct rs_policy *p, int which, struct rs_msg *m);
/* drain for heap policies: every live slot of every heap, then empty. */
void rs_policy_heap_drain(struct rs_policy *p, void (*fn)(void *ctx, struct rs_msg *m), void *ctx);

/* 1 when the heaps hold p->waiting live messages, every slot (stale ones
 * too) after its parent by rank, each live message after its nearest live
 * ancestor by the policy's before and before every message of the next
 * heap, and no more stale slots than live ones.  O(n), for tests. */
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
