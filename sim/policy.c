/* policy.c: the table of reply policies and what they share. */
#include "policy.h"

#include "replysim/buf.h"
#include "replysim/error.h"

#include <math.h>
#include <string.h>

extern const struct rs_policy_ops rs_policy_fifo;
extern const struct rs_policy_ops rs_policy_lifo;
extern const struct rs_policy_ops rs_policy_priority;
extern const struct rs_policy_ops rs_policy_score;
extern const struct rs_policy_ops rs_policy_deadline;
extern const struct rs_policy_ops rs_policy_public_first;
extern const struct rs_policy_ops rs_policy_influence_first;

/* One line per policy. */
static const struct rs_policy_ops *const table[] = {
    &rs_policy_fifo,     &rs_policy_lifo,         &rs_policy_priority,        &rs_policy_score,
    &rs_policy_deadline, &rs_policy_public_first, &rs_policy_influence_first,
};

#define N_POLICIES (sizeof table / sizeof table[0])

const struct rs_policy_ops *rs_policy_find(const char *name)
{
    for (size_t i = 0; i < N_POLICIES; i++)
        if (strcmp(table[i]->name, name) == 0) return table[i];
    return NULL;
}

const char *rs_policy_names(void)
{
    static char names[256];
    if (!names[0]) {
        struct rs_buf b;
        rs_buf_fixed(&b, names, sizeof names);
        for (size_t i = 0; i < N_POLICIES; i++)
            rs_buf_printf(&b, "%s%s", i ? ", " : "", table[i]->name);
    }
    return names;
}

const struct rs_policy_ops *rs_policy_at(int i)
{
    return i >= 0 && (size_t)i < N_POLICIES ? table[i] : NULL;
}

int rs_policy_init(struct rs_policy *p, const struct rs_policy_ops *ops,
                   const struct rs_scenario *sc)
{
    memset(p, 0, sizeof *p);
    p->ops = ops;
    p->sc = sc;
    return ops->init ? ops->init(p, sc) : RS_OK;
}

void rs_policy_fini(struct rs_policy *p)
{
    if (p->ops && p->ops->fini) p->ops->fini(p);
    memset(p, 0, sizeof *p);
}

/* Keeps the list in id (arrival) order.  New messages go at the tail in
 * O(1); only a message handed back at a shift end walks back to its place. */
void rs_policy_list_append(struct rs_policy *p, struct rs_msg *m)
{
    struct rs_msg *after = p->tail;
    while (after && after->id > m->id)
        after = after->qprev;
    m->qprev = after;
    m->qnext = after ? after->qnext : p->head;
    if (m->qnext)
        m->qnext->qprev = m;
    else
        p->tail = m;
    if (after)
        after->qnext = m;
    else
        p->head = m;
}

void rs_policy_list_unlink(struct rs_policy *p, struct rs_msg *m)
{
    if (m->qprev)
        m->qprev->qnext = m->qnext;
    else
        p->head = m->qnext;
    if (m->qnext)
        m->qnext->qprev = m->qprev;
    else
        p->tail = m->qprev;
    m->qprev = m->qnext = NULL;
}

void rs_policy_drain(struct rs_policy *p, void (*fn)(void *ctx, struct rs_msg *m), void *ctx)
{
    if (p->ops->drain) {
        p->ops->drain(p, fn, ctx);
        p->waiting = 0;
        return;
    }
    struct rs_msg *m;
    while ((m = rs_policy_peek(p, INFINITY))) {
        rs_policy_remove(p, m);
        fn(ctx, m);
    }
}

void rs_policy_list_drain(struct rs_policy *p, void (*fn)(void *ctx, struct rs_msg *m), void *ctx)
{
    struct rs_msg *m = p->head;
    p->head = p->tail = NULL;
    while (m) {
        struct rs_msg *next = m->qnext; /* fn may free m */
        m->qprev = m->qnext = NULL;
        fn(ctx, m);
        m = next;
    }
}
