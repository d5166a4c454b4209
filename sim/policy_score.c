/* policy_score.c: the highest weighted score first, weights from [policy].
 *
 * At time now a waiting message scores
 *
 *   w_age      * (now - arrive_s) / 1h             hours waited
 * + w_priority * priority                          its type's priority
 * + w_influence * log10(1 + followers)             decades of audience
 * + w_public   * public_                           seen by others
 * + w_deadline * (now - eff_deadline_s) / 1h       nearness to the deadline
 *
 * with eff_deadline_s = min(deadline_s, arrive_s + 24h), so that messages
 * without patience (deadline INFINITY) still gain urgency as they age.
 * Both time terms grow with now at the same rate for every message, so the
 * order of two waiting messages never changes: dropping the (w_age +
 * w_deadline) * now / 1h that all share leaves a static key, computed once
 * at push, and the heap stays valid while messages wait. */
#include "policy.h"

#include <math.h>

#define HOUR_S 3600.0
#define NO_PATIENCE_S (24 * HOUR_S)

static void push(struct rs_policy *p, struct rs_msg *m)
{
    const struct rs_weights *w = &p->sc->weights;
    double eff_deadline_s = fmin(m->deadline_s, m->arrive_s + NO_PATIENCE_S);
    m->key = w->age * (-m->arrive_s / HOUR_S) + w->priority * m->priority +
             w->influence * log10(1 + m->followers) + w->public_ * m->public_ +
             w->deadline * (-eff_deadline_s / HOUR_S);
    rs_policy_heap_push(p, m, rs_policy_rank(-m->key));
}

static int before(const struct rs_msg *a, const struct rs_msg *b)
{
    if (a->key != b->key) return a->key > b->key;
    return a->id < b->id;
}

const struct rs_policy_ops rs_policy_score = {
    .name = "score",
    .use = "highest weighted score of age, priority, influence, visibility and deadline "
           "first; to trade these off with the [policy] weights",
    .init = rs_policy_heap_init,
    .push = push,
    .peek = rs_policy_heap_peek,
    .remove = rs_policy_heap_remove,
    .before = before,
    .drain = rs_policy_heap_drain,
    .fini = rs_policy_heap_fini,
};
