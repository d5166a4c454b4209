/* scenario_copy.c: copying a scenario with its arrays, and replacing its
 * staff; the arrays are freed by rs_scenario_destroy. */
#include "replysim/alloc.h"
#include "replysim/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A copy of n elements of size bytes at p, or NULL when p is. */
static void *dup_array(const void *p, int n, size_t size)
{
    if (!p) return NULL;
    void *q = rs_calloc(n > 0 ? (size_t)n : 1, size);
    memcpy(q, p, (size_t)n * size);
    return q;
}

static void copy_series(struct rs_series *s)
{
    s->t_s = dup_array(s->t_s, s->n, sizeof *s->t_s);
    s->value = dup_array(s->value, s->n, sizeof *s->value);
}

struct rs_scenario *rs_scenario_copy(const struct rs_scenario *sc)
{
    struct rs_scenario *c = rs_malloc(sizeof *c);
    memcpy(c, sc, sizeof *c);
    for (int i = 0; i < c->n_channels && i < RS_MAX_CHANNELS; i++) {
        struct rs_trace *t = &c->channels[i].trace;
        copy_series(&c->channels[i].profile);
        t->t_s = dup_array(t->t_s, t->n, sizeof *t->t_s);
        t->type = dup_array(t->type, t->n, sizeof *t->type);
        t->followers = dup_array(t->followers, t->n, sizeof *t->followers);
        t->handle_s = dup_array(t->handle_s, t->n, sizeof *t->handle_s);
        t->thread_of = dup_array(t->thread_of, t->n, sizeof *t->thread_of);
    }
    copy_series(&c->schedule);
    return c;
}

void rs_scenario_set_schedule(struct rs_scenario *sc, const char *path, int n, const double *t_s,
                              const double *value)
{
    free(sc->schedule.t_s);
    free(sc->schedule.value);
    memset(&sc->schedule, 0, sizeof sc->schedule);
    snprintf(sc->schedule.path, sizeof sc->schedule.path, "%s", path);
    sc->schedule.n = n;
    sc->schedule.t_s = n > 0 ? dup_array(t_s, n, sizeof *t_s) : NULL;
    sc->schedule.value = n > 0 ? dup_array(value, n, sizeof *value) : NULL;
    sc->agents = 0;
    sc->n_shifts = 0;
}

void rs_scenario_shift_init(const struct rs_scenario *sc, struct rs_shift_cfg *s)
{
    memset(s, 0, sizeof *s);
    s->channels = sc->n_channels >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_channels) - 1;
    s->types = sc->n_types >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_types) - 1;
    s->speed = 1;
    s->slowdown = 1;
}
