/* world.c: the event loop of one replication.
 *
 * Events: a channel's next arrival; a message's abandonment (while waiting,
 * abandon = leave) or reply (while handled), one event per message since the
 * two never pend together; the warm-up and horizon marks of the statistics
 * window; and the stop at horizon + drain.
 *
 * Every customer attribute is drawn at arrival from its own stream (type and
 * inter-arrival from the channel's, handle time and patience from the type's)
 * whether or not the run uses it, so that variants compared on one seed see
 * the same customers. */
#include "replysim/world.h"

#include "replysim/calendar.h"
#include "replysim/dist.h"
#include "replysim/msg.h"
#include "replysim/policy.h"
#include "replysim/rng.h"
#include "replysim/stats.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

enum { EV_ARRIVAL, EV_ABANDON, EV_REPLY, EV_WARMUP, EV_HORIZON, EV_STOP };

#define CONTAINER_OF(p, type, member) ((type *)(void *)((char *)(p) - offsetof(type, member)))

struct chan_rt {
    struct rs_event ev;  /* next arrival */
    gsl_rng *rng;        /* inter-arrival times and types */
    double mean_gap_s;   /* 1 / rate */
    double cum_mix[RS_MAX_TYPES]; /* cumulative type shares */
    int last_type;       /* last type with a positive share */
    int index;
};

struct type_rt {
    gsl_rng *rng_handle;
    gsl_rng *rng_patience;
};

#define POOL_CHUNK 4096

struct pool_chunk {
    struct pool_chunk *next;
    struct rs_msg msgs[POOL_CHUNK];
};

struct rs_world {
    const struct rs_scenario *sc;
    struct rs_calendar *cal;
    struct rs_policy policy;
    struct chan_rt *chans;
    struct type_rt *types;
    int abandon_leave;
    int agents;             /* on shift */
    int busy;               /* handling a message */
    uint64_t open;          /* waiting or being handled */
    uint64_t inbox_limit;   /* 0: none */
    double warmup_s, horizon_s;

    struct rs_scope_stats *scopes; /* all, channels, types */
    struct rs_time_stats ts;
    int in_window;          /* now in [warmup, horizon) */
    double t_last;          /* time of the last time-integral update */

    struct rs_event ev_warmup, ev_horizon, ev_stop;
    struct rs_msg *free_msgs;
    struct pool_chunk *chunks;
    uint64_t events, messages;
};

static struct rs_msg *msg_alloc(struct rs_world *w)
{
    if (!w->free_msgs) {
        struct pool_chunk *c = malloc(sizeof *c);
        if (!c) abort();
        c->next = w->chunks;
        w->chunks = c;
        for (int i = POOL_CHUNK - 1; i >= 0; i--) {
            c->msgs[i].qnext = w->free_msgs;
            w->free_msgs = &c->msgs[i];
        }
    }
    struct rs_msg *m = w->free_msgs;
    w->free_msgs = m->qnext;
    memset(m, 0, sizeof *m);
    return m;
}

static void msg_free(struct rs_world *w, struct rs_msg *m)
{
    m->qnext = w->free_msgs;
    w->free_msgs = m;
}

struct rs_world *rs_world_create(const struct rs_scenario *sc, uint64_t replication_key)
{
    struct rs_world *w = calloc(1, sizeof *w);
    if (!w) abort();
    w->sc = sc;
    w->cal = rs_calendar_create();
    const struct rs_policy_ops *ops = rs_policy_find(sc->order);
    assert(ops); /* rs_scenario_check has seen to it */
    if (rs_policy_init(&w->policy, ops) != 0) abort();
    w->abandon_leave = sc->abandon == RS_ABANDON_LEAVE;
    w->agents = sc->agents;
    w->inbox_limit = sc->inbox_limit > 0 ? (uint64_t)sc->inbox_limit : 0;
    w->warmup_s = sc->warmup_s;
    w->horizon_s = sc->horizon_s;

    char name[RS_NAME_MAX + 32];
    w->chans = calloc((size_t)sc->n_channels, sizeof *w->chans);
    w->types = calloc((size_t)sc->n_types, sizeof *w->types);
    if (!w->chans || !w->types) abort();
    for (int i = 0; i < sc->n_types; i++) {
        snprintf(name, sizeof name, "handle:%s", sc->types[i].name);
        w->types[i].rng_handle = rs_rng_create(rs_rng_source_key(replication_key, name));
        snprintf(name, sizeof name, "patience:%s", sc->types[i].name);
        w->types[i].rng_patience = rs_rng_create(rs_rng_source_key(replication_key, name));
    }
    for (int i = 0; i < sc->n_channels; i++) {
        struct chan_rt *c = &w->chans[i];
        const struct rs_channel_cfg *cfg = &sc->channels[i];
        snprintf(name, sizeof name, "arrivals:%s", cfg->name);
        c->rng = rs_rng_create(rs_rng_source_key(replication_key, name));
        c->index = i;
        c->ev.kind = EV_ARRIVAL;
        double cum = 0;
        for (int t = 0; t < sc->n_types; t++) {
            cum += cfg->mix[t];
            c->cum_mix[t] = cum;
            if (cfg->mix[t] > 0) c->last_type = t;
        }
        c->mean_gap_s = cfg->rate_per_s > 0 ? 1.0 / cfg->rate_per_s : INFINITY;
    }

    int ns = rs_stats_n_scopes(sc);
    w->scopes = calloc((size_t)ns, sizeof *w->scopes);
    if (!w->scopes) abort();
    return w;
}

void rs_world_destroy(struct rs_world *w)
{
    if (!w) return;
    for (int i = 0; i < w->sc->n_types; i++) {
        rs_rng_destroy(w->types[i].rng_handle);
        rs_rng_destroy(w->types[i].rng_patience);
    }
    for (int i = 0; i < w->sc->n_channels; i++) rs_rng_destroy(w->chans[i].rng);
    while (w->chunks) {
        struct pool_chunk *next = w->chunks->next;
        free(w->chunks);
        w->chunks = next;
    }
    rs_policy_fini(&w->policy);
    rs_calendar_destroy(w->cal);
    free(w->chans);
    free(w->types);
    free(w->scopes);
    free(w);
}

/* Brings the time integrals of the statistics window up to now. */
static inline void advance(struct rs_world *w, double now)
{
    if (w->in_window) {
        double dt = now - w->t_last;
        w->ts.busy_area += (double)w->busy * dt;
        w->ts.queue_area += (double)w->policy.waiting * dt;
        w->ts.agent_area += (double)w->agents * dt;
    }
    w->t_last = now;
}

/* The three scopes a message is recorded in. */
#define SCOPE_ALL(w) (&(w)->scopes[0])
#define SCOPE_CHAN(w, m) (&(w)->scopes[1 + (m)->channel])
#define SCOPE_TYPE(w, m) (&(w)->scopes[1 + (w)->sc->n_channels + (m)->type])

static void start_service(struct rs_world *w, struct rs_msg *m, double now)
{
    w->busy++;
    m->take_s = now;
    if (m->counted) {
        double wait = now - m->arrive_s;
        rs_stats_taken(SCOPE_ALL(w), w->sc, wait);
        rs_stats_taken(SCOPE_CHAN(w, m), w->sc, wait);
        rs_stats_taken(SCOPE_TYPE(w, m), w->sc, wait);
    }
    m->ev.kind = EV_REPLY;
    rs_calendar_push(w->cal, &m->ev, now + m->handle_s);
}

static int pick_type(struct chan_rt *c, int n_types)
{
    double u = gsl_rng_uniform(c->rng);
    for (int t = 0; t < n_types; t++)
        if (u < c->cum_mix[t]) return t;
    return c->last_type; /* rounding of the shares */
}

static void on_arrival(struct rs_world *w, struct chan_rt *c, double now)
{
    const struct rs_scenario *sc = w->sc;
    int type = pick_type(c, sc->n_types);
    const struct rs_type_cfg *tc = &sc->types[type];
    struct type_rt *tr = &w->types[type];
    double handle = tc->needs_reply ? rs_dist_sample(&tc->handle, tr->rng_handle) : 0;
    double patience = rs_dist_sample(&tc->patience, tr->rng_patience);
    double next = now + rs_dist_exponential_draw(c->rng, c->mean_gap_s);
    if (next < w->horizon_s) rs_calendar_push(w->cal, &c->ev, next);
    w->messages++;

    int counted = now >= w->warmup_s;
    struct rs_scope_stats *s_all = SCOPE_ALL(w), *s_ch = &w->scopes[1 + c->index],
                          *s_ty = &w->scopes[1 + sc->n_channels + type];
    if (counted) {
        s_all->offered++, s_ch->offered++, s_ty->offered++;
        if (tc->needs_reply) s_all->needing++, s_ch->needing++, s_ty->needing++;
    }
    if (!tc->needs_reply) return;
    if (w->inbox_limit && w->open >= w->inbox_limit) {
        if (counted) s_all->blocked++, s_ch->blocked++, s_ty->blocked++;
        return;
    }

    struct rs_msg *m = msg_alloc(w);
    m->arrive_s = now;
    m->handle_s = handle;
    m->deadline_s = now + patience;
    m->channel = c->index;
    m->type = type;
    m->counted = counted;
    w->open++;
    if (counted) s_all->inbox++, s_ch->inbox++, s_ty->inbox++;
    advance(w, now);
    if (w->busy < w->agents) {
        start_service(w, m, now);
        return;
    }
    if (counted) s_all->waited++, s_ch->waited++, s_ty->waited++;
    rs_policy_push(&w->policy, m);
    if (w->in_window && w->policy.waiting > w->ts.queue_max) w->ts.queue_max = w->policy.waiting;
    if (w->abandon_leave && isfinite(m->deadline_s)) {
        m->ev.kind = EV_ABANDON;
        rs_calendar_push(w->cal, &m->ev, m->deadline_s);
    }
}

static void on_reply(struct rs_world *w, struct rs_msg *m, double now)
{
    advance(w, now);
    w->busy--;
    w->open--;
    if (m->counted) {
        double frt = now - m->arrive_s;
        int late = now > m->deadline_s;
        rs_stats_answered(SCOPE_ALL(w), w->sc, frt, late);
        rs_stats_answered(SCOPE_CHAN(w, m), w->sc, frt, late);
        rs_stats_answered(SCOPE_TYPE(w, m), w->sc, frt, late);
    }
    msg_free(w, m);
    struct rs_msg *next = rs_policy_pop(&w->policy, now);
    if (next) {
        if (rs_event_scheduled(&next->ev)) rs_calendar_remove(w->cal, &next->ev);
        start_service(w, next, now);
    }
}

static void on_abandon(struct rs_world *w, struct rs_msg *m, double now)
{
    advance(w, now);
    rs_policy_remove(&w->policy, m);
    w->open--;
    if (m->counted) {
        struct rs_scope_stats *s[3] = {SCOPE_ALL(w), SCOPE_CHAN(w, m), SCOPE_TYPE(w, m)};
        for (int i = 0; i < 3; i++) s[i]->abandoned++, s[i]->lapsed++;
    }
    msg_free(w, m);
}

/* A message still open when the run stops is unanswered. */
static void close_open(struct rs_world *w, struct rs_msg *m, double now)
{
    if (m->counted && m->deadline_s < now) {
        SCOPE_ALL(w)->lapsed++;
        SCOPE_CHAN(w, m)->lapsed++;
        SCOPE_TYPE(w, m)->lapsed++;
    }
    msg_free(w, m);
}

static void on_stop(struct rs_world *w, double now)
{
    w->ts.backlog_end = w->open;
    struct rs_msg *m;
    while ((m = rs_policy_pop(&w->policy, now))) {
        if (rs_event_scheduled(&m->ev)) rs_calendar_remove(w->cal, &m->ev);
        close_open(w, m, now);
    }
    /* What is left in the calendar: replies still being written. */
    struct rs_event *ev;
    while ((ev = rs_calendar_pop(w->cal)))
        if (ev->kind == EV_REPLY) close_open(w, CONTAINER_OF(ev, struct rs_msg, ev), now);
}

void rs_world_run(struct rs_world *w)
{
    const struct rs_scenario *sc = w->sc;
    for (int i = 0; i < sc->n_channels; i++) {
        struct chan_rt *c = &w->chans[i];
        if (!isfinite(c->mean_gap_s)) continue;
        double first = rs_dist_exponential_draw(c->rng, c->mean_gap_s);
        if (first < w->horizon_s) rs_calendar_push(w->cal, &c->ev, first);
    }
    w->in_window = w->warmup_s <= 0;
    w->ev_warmup.kind = EV_WARMUP;
    w->ev_horizon.kind = EV_HORIZON;
    w->ev_stop.kind = EV_STOP;
    if (w->warmup_s > 0) rs_calendar_push(w->cal, &w->ev_warmup, w->warmup_s);
    rs_calendar_push(w->cal, &w->ev_horizon, w->horizon_s);
    rs_calendar_push(w->cal, &w->ev_stop, w->horizon_s + sc->drain_s);
    w->ts.window_s = w->horizon_s - w->warmup_s;

    struct rs_event *ev;
    while ((ev = rs_calendar_pop(w->cal))) {
        double now = ev->t_s;
        w->events++;
        switch (ev->kind) {
        case EV_ARRIVAL: on_arrival(w, CONTAINER_OF(ev, struct chan_rt, ev), now); break;
        case EV_REPLY: on_reply(w, CONTAINER_OF(ev, struct rs_msg, ev), now); break;
        case EV_ABANDON: on_abandon(w, CONTAINER_OF(ev, struct rs_msg, ev), now); break;
        case EV_WARMUP:
            advance(w, now);
            w->in_window = 1;
            w->ts.queue_max = w->policy.waiting;
            break;
        case EV_HORIZON:
            advance(w, now);
            w->in_window = 0;
            break;
        case EV_STOP: on_stop(w, now); return;
        default: assert(0 && "unknown event kind");
        }
    }
}

void rs_world_metrics(const struct rs_world *w, double *out)
{
    rs_stats_compute(w->sc, w->scopes, &w->ts, out);
}

void rs_world_latency(const struct rs_world *w, const double *t_s, int n, double *out)
{
    for (int s = 0; s <= w->sc->n_channels; s++) {
        const struct rs_scope_stats *st = &w->scopes[s];
        for (int i = 0; i < n; i++)
            out[s * n + i] =
                st->inbox ? rs_hist_count_below(&st->frt, t_s[i]) / (double)st->inbox : NAN;
    }
}

uint64_t rs_world_events(const struct rs_world *w) { return w->events; }
uint64_t rs_world_messages(const struct rs_world *w) { return w->messages; }
