/* staff_scope.c: the figures of scoped targets (staff.h), such as
 * sl(1h)[channel:twitter]>=0.95, per interval of arrival and replication.
 *
 * The runner's interval metrics are of all messages only, so a run with a
 * scoped target hands every settled message to a message hook
 * (experiment.h) that counts, per replication, interval and target, what
 * the target's figure needs.  The definitions are the interval metrics'
 * (stats.c): a message counts in the interval of its arrival (counted or
 * not: the search steers the warmup's intervals too); the inbox is the
 * messages needing a reply and not blocked; later turns of a conversation
 * are not first responses and are left out; answered means by an agent,
 * its thread's reply or the bot, at any time before the stop; within T
 * means a first response time of at most T (on the business clock for
 * sl_bh).  frt_pQ <= D is judged, as for all messages, as the share of
 * answered messages answered within D being at least Q, which an exact
 * count gives without a histogram.  Without scoped targets no hook is
 * set: the runs cost what they did.  With them the runs stay in this
 * process under replysim-mpi (see run_here). */
#include "staff_int.h"

#include "bizhours.h"
#include "replysim/alloc.h"
#include "replysim/buf.h"
#include "replysim/pool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One target's counts in one interval of one replication. */
struct cell {
    uint32_t inbox, answered, within;
    double frt_sum_s;
};

struct rep_state {
    const struct rs_staff_scoped *sp;
    struct cell *cells; /* [interval * n_targets + k] */
};

struct rs_staff_scoped {
    const struct rs_staff *st;
    struct rs_bizhours bh; /* the business clock of sl_bh targets */
    double per_interval;   /* 1 / interval width, as the world computes it */
    int n, nt;             /* intervals judged, targets */
    int reps;              /* of the last run */
    size_t cap;            /* cells allocated */
    struct cell *cells;    /* [(rep * n + interval) * nt + k] */
    struct rep_state *states;
    size_t states_cap;
};

/* Names a scope of sc can take, for the error line, into out. */
static void scope_names(const struct rs_scenario *sc, int kind, struct rs_buf *out)
{
    int n = kind == 1 ? sc->n_channels : sc->n_types;
    for (int i = 0; i < n; i++)
        rs_buf_printf(out, "%s%s", i ? ", " : "",
                      kind == 1 ? sc->channels[i].name : sc->types[i].name);
}

int rs_staff_scope_resolve(struct rs_staff *st, struct rs_error *err)
{
    const struct rs_scenario *sc = st->sc;
    int any = 0;
    for (int k = 0; k < st->o.n_targets; k++) {
        struct rs_staff_target *t = &st->o.target[k];
        if (!t->scope_kind) continue;
        any = 1;
        t->scope_index = t->scope_kind == 1 ? rs_scenario_channel(sc, t->scope_name)
                                            : rs_scenario_type(sc, t->scope_name);
        if (t->scope_index >= 0) continue;
        struct rs_buf names = RS_BUF_INIT;
        scope_names(sc, t->scope_kind, &names);
        int rc = rs_error_input(
            err, NULL, 0, "--target", "%s: expected a %s of %s (%s), got \"%s\"", t->text,
            t->scope_kind == 1 ? "channel" : "type", sc->path[0] ? sc->path : "the scenario",
            rs_buf_str(&names), t->scope_name);
        rs_buf_free(&names);
        return rc;
    }
    if (!any) return RS_OK;
    struct rs_staff_scoped *sp = rs_calloc(1, sizeof *sp);
    sp->st = st;
    rs_bizhours_init(&sp->bh, st->w);
    sp->per_interval = 1.0 / sc->interval_s;
    sp->n = st->n;
    sp->nt = st->o.n_targets;
    st->scoped = sp;
    return RS_OK;
}

void rs_staff_scope_free(struct rs_staff_scoped *sp)
{
    if (!sp) return;
    free(sp->cells);
    free(sp->states);
    free(sp);
}

/* ------------------------------------------------------------- the hook */

static void *rep_begin(void *ctx, int rep)
{
    struct rs_staff_scoped *sp = ctx;
    return &sp->states[rep];
}

static void rep_end(void *ctx, int rep, void *state, int ok)
{
    (void)ctx, (void)rep, (void)state, (void)ok; /* a failed run's counts are never read */
}

/* 1 when message r is in target t's scope. */
static int in_scope(const struct rs_staff_target *t, const struct rs_msg_record *r)
{
    return t->scope_kind == 1 ? r->channel == t->scope_index : r->type == t->scope_index;
}

/* One settled message: into the cells of its interval of arrival, for every
 * scoped target whose scope it is in. */
static void rep_message(void *state, const struct rs_msg_record *r)
{
    const struct rep_state *rs = state;
    const struct rs_staff_scoped *sp = rs->sp;
    if (r->turn > 1 || r->fate == RS_FATE_NO_REPLY || r->fate == RS_FATE_BLOCKED) return;
    int i = (int)(r->arrive_s * sp->per_interval);
    if (i < 0 || i >= sp->n) return;
    int answered =
        r->fate == RS_FATE_ANSWERED || r->fate == RS_FATE_THREAD || r->fate == RS_FATE_BOT;
    double frt = r->end_s - r->arrive_s;
    for (int k = 0; k < sp->nt; k++) {
        const struct rs_staff_target *t = &sp->st->o.target[k];
        if (!t->scope_kind || !in_scope(t, r)) continue;
        struct cell *c = &rs->cells[i * sp->nt + k];
        c->inbox++;
        if (!answered) continue;
        c->answered++;
        c->frt_sum_s += frt;
        double x =
            t->kind == RS_STAFF_SL_BH ? rs_bizhours_between_s(&sp->bh, r->arrive_s, r->end_s) : frt;
        c->within += x <= t->d_s;
    }
}

/* A run kept in this process (replysim-mpi spreads pool runs over ranks,
 * and ships back a replication's figures but not what a hook counted):
 * every rank runs every replication, the same results, no speed-up. */
struct in_process {
    const struct rs_scenario *x;
    struct rs_run_opts run;
    struct rs_results **out;
    struct rs_error *err;
    int rc;
};

static int run_here(void *ctx, long task)
{
    struct in_process *j = ctx;
    (void)task;
    j->rc = rs_experiment_run(j->x, &j->run, j->out, j->err);
    return RS_OK;
}

int rs_staff_experiment(struct rs_staff *st, const struct rs_scenario *x,
                        const struct rs_run_opts *run, struct rs_results **out,
                        struct rs_error *err)
{
    struct rs_staff_scoped *sp = st->scoped;
    if (!sp) return rs_experiment_run(x, run, out, err);
    size_t per_rep = (size_t)sp->n * (size_t)sp->nt, need = (size_t)run->replications * per_rep;
    if (need > sp->cap) {
        free(sp->cells);
        sp->cells = rs_malloc(need * sizeof *sp->cells);
        sp->cap = need;
    }
    if ((size_t)run->replications > sp->states_cap) {
        free(sp->states);
        sp->states_cap = (size_t)run->replications;
        sp->states = rs_malloc(sp->states_cap * sizeof *sp->states);
    }
    memset(sp->cells, 0, need * sizeof *sp->cells);
    for (int r = 0; r < run->replications; r++)
        sp->states[r] = (struct rep_state){sp, sp->cells + (size_t)r * per_rep};
    sp->reps = run->replications;
    struct rs_msg_hook hook = {rep_begin, rep_message, rep_end, sp};
    struct in_process job = {x, *run, out, err, RS_OK};
    job.run.hook = &hook;
    /* as a task of a one-task pool run: a pool run inside a task is never
     * shipped to other processes (pool.h), whose counts would stay there */
    rs_pool_run(1, 1, run_here, &job);
    return job.rc;
}

double rs_staff_scoped_figure(const struct rs_staff *st, int k, int i, int r, double *den)
{
    const struct rs_staff_scoped *sp = st->scoped;
    *den = 0;
    if (i >= sp->n || r >= sp->reps) return NAN;
    const struct cell *c =
        &sp->cells[((size_t)r * (size_t)sp->n + (size_t)i) * (size_t)sp->nt + (size_t)k];
    double inbox = c->inbox, answered = c->answered;
    switch (st->o.target[k].kind) {
    case RS_STAFF_SL:
    case RS_STAFF_SL_BH:
        *den = inbox;
        return inbox > 0 ? c->within / inbox : NAN;
    case RS_STAFF_RR:
        *den = inbox;
        return inbox > 0 ? answered / inbox : NAN;
    case RS_STAFF_UNANSWERED:
        *den = inbox;
        return inbox > 0 ? 1 - answered / inbox : NAN;
    case RS_STAFF_FRT_Q:
        *den = answered;
        return answered > 0 ? c->within / answered : NAN;
    case RS_STAFF_FRT_MEAN:
        *den = answered;
        return answered > 0 ? c->frt_sum_s / answered : NAN;
    case RS_STAFF_OCCUPANCY:
        break; /* never scoped (rs_staff_target_parse) */
    }
    return NAN;
}
