/* world.c: the event loop of one replication.
 *
 * Events: a channel's next arrival (rate process or trace); a burst's next
 * arrival; a message's lapse or stale cut-off while it waits, or its reply
 * while an agent handles it (one event per message: never two at once); a
 * staffing change; a working-hours transition; the warm-up and horizon
 * marks of the statistics window; and the stop at horizon + drain.
 *
 * Agents belong to pools of equal skills ([staff] is one pool, each
 * [shift] another).  Waiting messages sit in one policy queue per channel;
 * a free agent takes the first message, by the policy's order, among the
 * queues of its channels (take_next, the one way to take work).  An agent
 * holds up to `concurrency` private conversations at once; a public
 * message takes the whole agent.
 *
 * A message is posted (post: counted on arrival, then offered to a free
 * agent or queued), and its fate is settled in one place (settle: answered,
 * by its thread or the bot, withdrawn, dropped, blocked, needing no reply,
 * or open at the stop), which counts it through the statistics helpers of
 * stats.h and logs it.
 *
 * Common random numbers: every customer attribute comes from a stream of
 * its own source (arrivals and types per channel or burst, handle time,
 * patience, followers and bot per type), drawn at arrival whatever the
 * policy does.  What depends on the policy (who lapses, and so who posts
 * again or switches) draws from the lapse and follow-up streams only, so
 * variants compared on one seed see the same customers. */
#include "replysim/world.h"

#include "arrivals.h"
#include "replysim/alloc.h"
#include "replysim/budget.h"
#include "calendar.h"
#include "ivring.h"
#include "replysim/dist.h"
#include "msg.h"
#include "policy.h"
#include "replysim/rng.h"
#include "stats.h"
#include "timeline.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

enum {
    EV_ARRIVAL,
    EV_BURST,
    EV_LAPSE,
    EV_STALE,
    EV_REPLY,
    EV_STAFF,
    EV_HOURS,
    EV_WARMUP,
    EV_HORIZON,
    EV_STOP
};

#define CONTAINER_OF(p, type, member) ((type *)(void *)((char *)(p)-offsetof(type, member)))
#define MAX_FOLLOWUPS 100 /* per thread: bounds a chain of follow-ups at patience near 0 */

struct chan_rt {
    struct rs_event ev; /* next arrival */
    gsl_rng *rng;       /* inter-arrival draws and types */
    gsl_rng *rng_day;   /* day-level rate factors */
    struct rs_rate rate;
    const struct rs_trace *trace; /* NULL: rate process */
    int trace_next;               /* index of the next trace row */
    double cum_mix[RS_MAX_TYPES];
    int index;
    int public_;
};

struct burst_rt {
    struct rs_event ev;
    gsl_rng *rng;
    double spent; /* cumulative rate used */
    double cum_mix[RS_MAX_TYPES];
    int index;
};

struct type_rt {
    gsl_rng *rng_handle, *rng_patience, *rng_authors, *rng_bot, *rng_lapse, *rng_followup;
    int lapse_event; /* a waiting message needs an event at its deadline */
    int bot;         /* may go to the bot */
};

enum { AG_OFF, AG_ON, AG_LEAVING };
enum { L_NONE, L_IDLE, L_PARTIAL, L_OFF };

struct agent {
    struct agent *prev, *next; /* in the pool's list named by `list` */
    struct rs_msg **held;      /* messages in hand, used ones first */
    int n_held;
    int used; /* slots in use, of concurrency */
    int state, list, pool;
};

struct pool_rt {
    uint32_t channels;
    int n_ch, ch[RS_MAX_CHANNELS]; /* the channels it answers */
    struct agent *agents;          /* max_agents of them */
    int leaving;                   /* of them AG_LEAVING: agent_on scans for one only then */
    struct agent *lists[4];        /* heads by L_* (L_NONE unused) */
};

#define POOL_CHUNK 4096

struct pool_chunk {
    struct pool_chunk *next;
    struct rs_msg msgs[POOL_CHUNK];
};

/* Running integrals since t = 0 of agents' handling, waiting messages and
 * agents working; an interval's or the window's share is the difference
 * of two snapshots, so each event updates three sums and no more. */
struct integrals {
    double busy, queue, agents;
};

struct rs_world {
    const struct rs_scenario *sc;
    struct rs_calendar *cal;
    const struct rs_policy_ops *ops;
    struct rs_policy *queues; /* one per channel */
    size_t waiting;           /* messages in all queues */
    struct chan_rt *chans;
    struct burst_rt *bursts;
    struct type_rt *types;
    struct rs_timeline *tl;
    struct pool_rt *pools;
    int n_pools;
    int k; /* concurrency */
    int handoff;
    int abandon_leave;
    int open_hours; /* working now */
    int staff_next, hours_next;
    struct rs_event ev_staff, ev_hours;
    int agents_present; /* on shift, or past it and finishing */
    int agents_busy;    /* holding at least one message */
    int slots_busy;
    uint64_t open;        /* inbox messages not yet answered or gone */
    uint64_t inbox_limit; /* 0: none */
    double max_age_s;     /* 0: none */
    double autoack;       /* 0: none */
    double warmup_s, horizon_s, end_s;
    double stop_s; /* the run's stop, once reached */
    uint64_t next_id;

    struct rs_scope_stats *scopes;  /* all, channels, types */
    struct rs_outcome_acc *outcome; /* by channel * n_types + type; into scopes at the stop */
    int one_channel, one_type;      /* that scope is a copy of all (see EACH_SCOPE) */
    struct rs_time_stats ts;
    int in_window;              /* now in [warmup, horizon) */
    double t_last;              /* time of the last time-integral update */
    struct integrals cum;       /* running integrals at t_last */
    struct integrals iv_start;  /* ... at the start of interval iv_cur */
    struct integrals win_start; /* ... when the statistics window opened */
    /* the live intervals (ivring.h, from rs_world_run on), and where final
     * ones go (NULL: kept for rs_world_intervals) */
    struct rs_ivring *iv;
    rs_world_interval_fn iv_sink;
    void *iv_sink_ctx;
    int n_iv;
    int iv_cur;          /* interval of t_last */
    double per_interval; /* 1 / interval_s */
    double iv_end;       /* end of interval iv_cur */

    struct rs_event ev_warmup, ev_horizon, ev_stop;
    void (*progress)(void *ctx, double fraction); /* NULL: none */
    void *progress_ctx;
    rs_msg_log_fn log; /* NULL: no message log */
    void *log_ctx;
    struct rs_msg *free_msgs;
    struct pool_chunk *chunks;
    struct rs_world_mem *mem; /* NULL: none */
    size_t scopes_size;
    uint64_t events, messages;
    uint64_t open_limit; /* more messages open at once stop the run (RS_BUDGET_MAX_OPEN) */
    int overflowed;      /* open passed open_limit: the run stops */
    double overflow_s;   /* when */
};

/* ------------------------------------------------ memory */

struct rs_world_mem {
    void *scopes; /* spare block, NULL: none */
    size_t scopes_size;
    struct pool_chunk *chunks; /* spare message chunks */
};

struct rs_world_mem *rs_world_mem_create(void) { return rs_calloc(1, sizeof(struct rs_world_mem)); }

static void chunks_free(struct pool_chunk *c)
{
    while (c) {
        struct pool_chunk *next = c->next;
        free(c);
        c = next;
    }
}

void rs_world_mem_destroy(struct rs_world_mem *mem)
{
    if (!mem) return;
    free(mem->scopes);
    chunks_free(mem->chunks);
    free(mem);
}

/* size zeroed bytes: the spare block *slot when it is big enough (slot
 * NULL: no spares), else a new one. */
static void *mem_take(void **slot, size_t have, size_t size)
{
    if (slot && *slot && have >= size) {
        void *p = *slot;
        *slot = NULL;
        memset(p, 0, size);
        return p;
    }
    return rs_calloc(1, size);
}

/* Keeps block p of size bytes as the spare *slot unless that one is at
 * least as big (slot NULL: no spares; p is freed). */
static void mem_keep(void **slot, size_t *have, void *p, size_t size)
{
    if (!slot || (*slot && *have >= size)) {
        free(p);
        return;
    }
    free(*slot);
    *slot = p;
    *have = size;
}

static struct rs_msg *msg_alloc(struct rs_world *w)
{
    if (!w->free_msgs) {
        struct pool_chunk *c = w->mem ? w->mem->chunks : NULL;
        if (c)
            w->mem->chunks = c->next;
        else
            c = rs_malloc(sizeof *c);
        c->next = w->chunks;
        w->chunks = c;
        for (int i = POOL_CHUNK - 1; i >= 0; i--) {
            c->msgs[i].qnext = w->free_msgs;
            w->free_msgs = &c->msgs[i];
        }
    }
    struct rs_msg *m = w->free_msgs;
    w->free_msgs = m->qnext;
    /* field by field: a memset of the whole struct showed in profiles;
     * post sets the rest, and take_s is read only once taken */
    m->key = 0;
    m->ev.pos = 0;
    m->lapsed = m->answered = m->handed_back = m->taken = 0;
    m->depth = 0;
    m->tprev = m->tnext = m;
    m->agent = NULL;
    m->qprev = m->qnext = NULL;
    m->qpos = 0;
    return m;
}

static void msg_free(struct rs_world *w, struct rs_msg *m)
{
    /* leave the thread ring */
    m->tprev->tnext = m->tnext;
    m->tnext->tprev = m->tprev;
    m->qnext = w->free_msgs;
    w->free_msgs = m;
}

static gsl_rng *stream(uint64_t key, const char *what, const char *name)
{
    char label[RS_NAME_MAX + 32];
    snprintf(label, sizeof label, "%s:%s", what, name);
    return rs_rng_create(rs_rng_source_key(key, label));
}

static void cumulate(const double *mix, int n, double *cum)
{
    double c = 0;
    for (int t = 0; t < n; t++)
        cum[t] = c += mix[t];
    /* rounding of the shares: the last type with a share takes the rest */
    for (int t = n - 1; t >= 0; t--) {
        if (mix[t] > 0) {
            for (int u = t; u < n; u++)
                cum[u] = INFINITY;
            break;
        }
    }
}

static int pick_type(gsl_rng *r, const double *cum, int n_types)
{
    double u = rs_rng_uniform(r);
    for (int t = 0; t < n_types; t++)
        if (u < cum[t]) return t;
    return n_types - 1;
}

/* ------------------------------------------------ agents */

static void list_put(struct pool_rt *p, struct agent *a, int list)
{
    if (a->list != L_NONE) {
        if (a->prev)
            a->prev->next = a->next;
        else
            p->lists[a->list] = a->next;
        if (a->next) a->next->prev = a->prev;
    }
    a->list = list;
    a->prev = NULL;
    a->next = NULL;
    if (list == L_NONE) return;
    a->next = p->lists[list];
    if (a->next) a->next->prev = a;
    p->lists[list] = a;
}

/* Puts a in the list its state and load call for. */
static inline void relist(struct rs_world *w, struct agent *a)
{
    int list = L_NONE;
    if (a->state == AG_OFF)
        list = L_OFF;
    else if (a->state == AG_ON && a->used == 0)
        list = L_IDLE;
    else if (a->state == AG_ON && a->used < w->k)
        list = L_PARTIAL;
    if (list != a->list) list_put(&w->pools[a->pool], a, list);
}

static int slots_of(const struct rs_world *w, const struct rs_msg *m)
{
    return m->public_ ? w->k : 1;
}

/* ------------------------------------------------ time integrals */

static inline void integrate(struct rs_world *w, double dt)
{
    double busy = w->k == 1 ? (double)w->slots_busy : (double)w->slots_busy / w->k;
    double working = w->open_hours ? w->agents_present : w->agents_busy;
    w->cum.busy += busy * dt;
    w->cum.queue += (double)w->waiting * dt;
    w->cum.agents += working * dt;
}

/* Closes interval iv_cur at the running integrals. */
static void close_interval(struct rs_world *w)
{
    rs_ivring_close(w->iv, w->iv_cur, w->cum.busy - w->iv_start.busy,
                    w->cum.queue - w->iv_start.queue, w->cum.agents - w->iv_start.agents);
    w->iv_start = w->cum;
}

/* Brings the time integrals up to now. */
static inline void advance(struct rs_world *w, double now)
{
    while (now > w->iv_end && w->iv_cur + 1 < w->n_iv) {
        integrate(w, w->iv_end - w->t_last);
        w->t_last = w->iv_end;
        close_interval(w);
        w->iv_cur++;
        w->iv_end = (w->iv_cur + 1) * w->sc->interval_s;
    }
    integrate(w, now - w->t_last);
    w->t_last = now;
}

/* The statistics window opens (warm-up) or closes (horizon) now. */
static void window_mark(struct rs_world *w, double now, int opening)
{
    advance(w, now);
    if (opening) {
        w->win_start = w->cum;
        rs_stats_window_open(&w->ts, w->waiting);
    } else {
        rs_stats_window_close(&w->ts, w->cum.busy - w->win_start.busy,
                              w->cum.queue - w->win_start.queue,
                              w->cum.agents - w->win_start.agents);
    }
    w->in_window = opening;
}

static inline int interval_index(const struct rs_world *w, double t)
{
    int i = (int)(t * w->per_interval);
    return i < w->n_iv ? i : w->n_iv - 1;
}

static inline struct rs_interval_stats *interval_of(struct rs_world *w, double t)
{
    return rs_ivring_at(w->iv, interval_index(w, t));
}

/* The scopes a message is recorded in: all, its channel, its type.  With
 * one channel (or type) that scope is the same as all: it is recorded once
 * and copied at the stop, which halves the statistics work of the common
 * single-channel models. */
#define EACH_SCOPE(w, m, stmt) EACH_SCOPE_OF(w, (m)->channel, (m)->type, stmt)
#define EACH_SCOPE_OF(w, ch, ty, stmt)                                                             \
    do { /* unrolled: a loop over the three showed in profiles */                                  \
        struct rs_scope_stats *S = &(w)->scopes[0];                                                \
        stmt;                                                                                      \
        if (!(w)->one_channel) {                                                                   \
            S = &(w)->scopes[1 + (ch)];                                                            \
            stmt;                                                                                  \
        }                                                                                          \
        if (!(w)->one_type) {                                                                      \
            S = &(w)->scopes[1 + (w)->sc->n_channels + (ty)];                                      \
            stmt;                                                                                  \
        }                                                                                          \
    } while (0)

static const char *const fate_names[] = {"answered", "thread",  "bot",      "abandoned",
                                         "dropped",  "blocked", "no_reply", "open"};

const char *rs_fate_name(enum rs_fate f) { return fate_names[f]; }

void rs_world_set_progress(struct rs_world *w, void (*fn)(void *ctx, double fraction), void *ctx)
{
    w->progress = fn;
    w->progress_ctx = ctx;
}

void rs_world_set_log(struct rs_world *w, rs_msg_log_fn fn, void *ctx)
{
    w->log = fn;
    w->log_ctx = ctx;
}

static void log_msg(struct rs_world *w, const struct rs_msg *m, enum rs_fate fate, int lapsed,
                    double now)
{
    struct rs_msg_record r = {.id = m->id,
                              .thread = m->thread,
                              .channel = m->channel,
                              .type = m->type,
                              .followup = m->depth > 0,
                              .switched = m->switched,
                              .counted = m->counted,
                              .lapsed = lapsed,
                              .fate = fate,
                              .arrive_s = m->arrive_s,
                              .deadline_s = m->deadline_s,
                              .take_s = m->taken ? m->take_s : NAN,
                              .end_s = now,
                              .followers = m->followers};
    w->log(w->log_ctx, &r);
}

/* The expected outcomes of counted inbox message m, once its fate is final:
 * answered after latency_s, or not answered (latency_s unused).  Kept per
 * (channel, type) pair, four sums, and turned into the seven metrics of
 * the three scopes at the stop (outcome_scopes). */
static inline void record_outcome(struct rs_world *w, const struct rs_msg *m, int answered,
                                  double latency_s)
{
    rs_outcome_record(&w->sc->outcome, &w->outcome[m->channel * w->sc->n_types + m->type], answered,
                      latency_s, m->followers);
}

static void outcome_scopes(struct rs_world *w)
{
    const struct rs_scenario *sc = w->sc;
    for (int c = 0; c < sc->n_channels; c++)
        for (int t = 0; t < sc->n_types; t++) {
            struct rs_outcome_sums d;
            rs_outcome_summarize(sc, c, t, &w->outcome[c * sc->n_types + t], &d);
            EACH_SCOPE_OF(w, c, t, rs_stats_add_outcome(S, &d));
        }
}

/* The one lapsed rule: m's author's patience ran out before its fate: its
 * lapse event fired (m->lapsed), its deadline is strictly past now, or it
 * is withdrawn (abandon = leave: its lapse event is at the deadline
 * itself).  Counters and the message log both use it.  (Before, lapsed was
 * counted in four places under three spellings, and the log alone counted
 * a message whose lapse fired at the instant of its fate.) */
static inline int lapsed_at(const struct rs_msg *m, enum rs_fate fate, double now)
{
    return m->lapsed || m->deadline_s < now || fate == RS_FATE_ABANDONED;
}

/* An inbox message answered now: by an agent, its thread's reply or the bot.
 * Inlined, like settle: a call here cost the main bench 2% of its speed. */
static inline __attribute__((always_inline)) void settle_answered(struct rs_world *w,
                                                                  const struct rs_msg *m,
                                                                  enum rs_fate fate, int lapsed,
                                                                  double now)
{
    double frt = now - m->arrive_s;
    int within = rs_stats_within_index(w->sc, frt);
    if (m->counted) {
        int late = now > m->deadline_s, bot = fate == RS_FATE_BOT;
        EACH_SCOPE(w, m, rs_stats_answered(S, frt, within, late, lapsed, bot));
        record_outcome(w, m, 1, frt);
    }
    rs_stats_interval_answered(interval_of(w, m->arrive_s), frt, within);
}

/* m's fate is final now: the one place that counts it (open messages, the
 * scopes' counters, the one lapsed rule, expected outcomes, the interval
 * of its arrival) and logs it.  The caller frees m after.  Inlined at each
 * call, where the fate is a constant and its tests fold away: a call with
 * the tests at run time cost 2% of the backlog bench's instructions. */
static inline __attribute__((always_inline)) void settle(struct rs_world *w, struct rs_msg *m,
                                                         enum rs_fate fate, double now)
{
    int lapsed = lapsed_at(m, fate, now);
    if (w->log) log_msg(w, m, fate, lapsed, now);
    if (fate == RS_FATE_NO_REPLY) return; /* counted on arrival only */
    if (fate == RS_FATE_BLOCKED) {        /* never entered the inbox */
        if (m->counted) EACH_SCOPE(w, m, rs_stats_unanswered(S, fate, lapsed));
        return;
    }
    w->open--;
    if (fate == RS_FATE_ANSWERED || fate == RS_FATE_THREAD || fate == RS_FATE_BOT) {
        settle_answered(w, m, fate, lapsed, now);
    } else if (m->counted) {
        EACH_SCOPE(w, m, rs_stats_unanswered(S, fate, lapsed));
        record_outcome(w, m, 0, 0);
    }
    /* last: the interval of its arrival may be final now */
    rs_ivring_settled(w->iv, interval_index(w, m->arrive_s));
}

/* ------------------------------------------------ queues */

static void schedule_wait_event(struct rs_world *w, struct rs_msg *m, double now)
{
    double t = INFINITY;
    int kind = EV_STALE;
    if (!m->lapsed && w->types[m->type].lapse_event && isfinite(m->deadline_s)) {
        t = m->deadline_s > now ? m->deadline_s : now;
        kind = EV_LAPSE;
    }
    if (w->max_age_s > 0 && m->arrive_s + w->max_age_s < t) {
        t = m->arrive_s + w->max_age_s;
        kind = EV_STALE;
    }
    if (!isfinite(t)) return;
    m->ev.kind = kind;
    rs_calendar_push(w->cal, &m->ev, t > now ? t : now);
}

static void enqueue(struct rs_world *w, struct rs_msg *m, double now)
{
    rs_policy_push(&w->queues[m->channel], m);
    w->waiting++;
    if (w->in_window) rs_stats_queue_seen(&w->ts, w->waiting);
    schedule_wait_event(w, m, now);
}

static void dequeue(struct rs_world *w, struct rs_msg *m)
{
    rs_policy_remove(&w->queues[m->channel], m);
    w->waiting--;
    if (rs_event_scheduled(&m->ev)) rs_calendar_remove(w->cal, &m->ev);
}

/* ------------------------------------------------ service */

/* m, in a's hands, is taken now: its wait ends, its handle time starts. */
static void begin(struct rs_world *w, struct agent *a, struct rs_msg *m, double now)
{
    m->agent = a;
    m->take_s = now;
    m->taken = 1;
    if (m->counted && !m->handed_back) {
        double wait = now - m->arrive_s;
        int within = rs_stats_within_index(w->sc, wait);
        EACH_SCOPE(w, m, rs_stats_taken(S, wait, within));
    }
    m->ev.kind = EV_REPLY;
    rs_calendar_push(w->cal, &m->ev, now + m->handle_s);
}

static void start_service(struct rs_world *w, struct agent *a, struct rs_msg *m, double now)
{
    if (a->used == 0) w->agents_busy++;
    int slots = slots_of(w, m);
    a->used += slots;
    w->slots_busy += slots;
    a->held[a->n_held++] = m;
    relist(w, a);
    begin(w, a, m, now);
}

/* Frees m's slots in its agent's hands. */
static void release(struct rs_world *w, struct rs_msg *m)
{
    struct agent *a = m->agent;
    int i = 0;
    while (a->held[i] != m)
        i++;
    a->held[i] = a->held[--a->n_held];
    int slots = slots_of(w, m);
    a->used -= slots;
    w->slots_busy -= slots;
    if (a->used == 0) {
        w->agents_busy--;
        if (a->state == AG_LEAVING) {
            a->state = AG_OFF;
            w->pools[a->pool].leaving--;
            w->agents_present--;
        }
    }
    relist(w, a);
    m->agent = NULL;
}

/* The first waiting message a may take, by the policy's order. */
static struct rs_msg *best_for(struct rs_world *w, const struct pool_rt *p, int partial, double now)
{
    struct rs_msg *best = NULL;
    for (int i = 0; i < p->n_ch; i++) {
        int c = p->ch[i];
        if (partial && w->chans[c].public_) continue; /* a public reply needs the whole agent */
        struct rs_msg *m = rs_policy_peek(&w->queues[c], now);
        if (m && (!best || w->ops->before(m, best))) best = m;
    }
    return best;
}

/* The one way an agent takes its next message: the first waiting message
 * a may take now with `used` of its slots in use, off its queue; NULL when
 * a cannot take one or none waits. */
static struct rs_msg *take_next(struct rs_world *w, const struct agent *a, int used, double now)
{
    if (!w->open_hours || a->state != AG_ON || used >= w->k || !w->waiting) return NULL;
    struct rs_msg *m = best_for(w, &w->pools[a->pool], used > 0, now);
    if (m) dequeue(w, m);
    return m;
}

/* Gives a free agent work from the queues while it has room. */
static void agent_fill(struct rs_world *w, struct agent *a, double now)
{
    for (;;) {
        struct rs_msg *m = take_next(w, a, a->used, now);
        if (!m) return;
        start_service(w, a, m, now);
    }
}

/* A free agent for m now, or NULL. */
static struct agent *free_agent(struct rs_world *w, const struct rs_msg *m)
{
    if (!w->open_hours) return NULL;
    uint32_t bit = 1u << m->channel;
    int whole = slots_of(w, m) == w->k;
    for (int i = 0; i < w->n_pools; i++) {
        struct pool_rt *p = &w->pools[i];
        if (!(p->channels & bit)) continue;
        if (!whole && p->lists[L_PARTIAL]) return p->lists[L_PARTIAL];
        if (p->lists[L_IDLE]) return p->lists[L_IDLE];
    }
    return NULL;
}

/* m, new or handed back, is taken at once or waits. */
static void offer(struct rs_world *w, struct rs_msg *m, double now)
{
    struct agent *a = free_agent(w, m);
    if (a) {
        start_service(w, a, m, now);
        return;
    }
    if (m->counted && !m->handed_back) EACH_SCOPE(w, m, rs_stats_waited(S));
    enqueue(w, m, now);
}

/* ------------------------------------------------ arrivals */

struct new_msg {
    int channel, type;
    double handle_s;                    /* NaN: draw */
    double followers;                   /* NaN: draw */
    gsl_rng *rng_handle, *rng_patience; /* where fresh draws come from */
    struct rs_msg *thread;              /* a follow-up joins this thread */
    int fresh;                          /* a customer's first message (the bot may take it) */
    int switched;                       /* the author moved here from another channel */
};

/* A new message from nm's draws, posted now; ids in arrival order. */
static struct rs_msg *new_msg(struct rs_world *w, const struct new_msg *nm, double patience,
                              double now)
{
    const struct rs_type_cfg *tc = &w->sc->types[nm->type];
    struct rs_msg *m = msg_alloc(w);
    m->arrive_s = now;
    m->deadline_s = now + (w->autoack > 0 ? patience * w->autoack : patience);
    m->id = w->next_id++;
    m->channel = nm->channel;
    m->type = nm->type;
    m->priority = tc->priority;
    m->public_ = (unsigned char)w->chans[nm->channel].public_;
    m->counted = (unsigned char)(now >= w->warmup_s && now < w->horizon_s);
    m->switched = (unsigned char)nm->switched;
    m->thread = m->id;
    return m;
}

/* m, a follow-up in the inbox, joins the thread of the message that lapsed
 * (a blocked follow-up stays a thread of its own, in the log too). */
static void join_thread(struct rs_msg *m, struct rs_msg *lapsed)
{
    m->thread = lapsed->thread;
    m->depth = (unsigned short)(lapsed->depth + 1);
    m->tnext = lapsed->tnext;
    m->tprev = lapsed;
    lapsed->tnext->tprev = m;
    lapsed->tnext = m;
}

/* A message arrives now: its draws, its arrival counters, then its fate at
 * once (no reply needed, blocked, the bot) or an agent or the queue. */
static void post(struct rs_world *w, const struct new_msg *nm, double now)
{
    const struct rs_scenario *sc = w->sc;
    const struct rs_type_cfg *tc = &sc->types[nm->type];
    struct type_rt *tr = &w->types[nm->type];
    /* every draw happens whatever becomes of the message (see the top) */
    double handle = !isnan(nm->handle_s) ? nm->handle_s
                    : tc->needs_reply    ? rs_dist_draw(&tc->handle, nm->rng_handle)
                                         : 0;
    double patience = rs_dist_draw(&tc->patience, nm->rng_patience);
    double followers =
        !isnan(nm->followers) ? nm->followers : rs_dist_draw(&tc->followers, tr->rng_authors);
    int to_bot = nm->fresh && tr->bot && rs_rng_uniform(tr->rng_bot) < sc->bot;
    w->messages++;
    struct rs_interval_stats *iv_now = interval_of(w, now);
    rs_stats_interval_arrived(iv_now);

    struct rs_msg *m = new_msg(w, nm, patience, now);
    m->handle_s = handle;
    m->followers = followers;
    if (m->counted) EACH_SCOPE(w, m, rs_stats_arrived(S, tc->needs_reply, nm->thread != NULL));
    int blocked = tc->needs_reply && w->inbox_limit && w->open >= w->inbox_limit && !to_bot;
    if (!tc->needs_reply || blocked) {
        settle(w, m, blocked ? RS_FATE_BLOCKED : RS_FATE_NO_REPLY, now);
        msg_free(w, m);
        return;
    }
    if (nm->thread) join_thread(m, nm->thread);
    if (++w->open > w->open_limit && !w->overflowed) {
        w->overflowed = 1; /* memory grows with every open message: stop before it runs out */
        w->overflow_s = now;
    }
    rs_stats_interval_entered(iv_now);
    rs_ivring_entered(w->iv, interval_index(w, now));
    if (m->counted) EACH_SCOPE(w, m, rs_stats_entered(S));
    if (to_bot) {
        settle(w, m, RS_FATE_BOT, now); /* the bot's reply is at once */
        msg_free(w, m);
        return;
    }
    offer(w, m, now);
}

static void on_arrival(struct rs_world *w, struct chan_rt *c, double now)
{
    advance(w, now);
    const struct rs_scenario *sc = w->sc;
    struct new_msg nm = {.channel = c->index, .handle_s = NAN, .followers = NAN, .fresh = 1};
    if (c->trace) {
        int i = c->trace_next++;
        const struct rs_trace *tr = c->trace;
        nm.type = tr->type[i] >= 0 ? tr->type[i] : pick_type(c->rng, c->cum_mix, sc->n_types);
        nm.handle_s = tr->handle_s[i];
        nm.followers = tr->followers[i];
        if (c->trace_next < tr->n && tr->t_s[c->trace_next] < w->horizon_s)
            rs_calendar_push(w->cal, &c->ev, tr->t_s[c->trace_next]);
    } else {
        nm.type = pick_type(c->rng, c->cum_mix, sc->n_types);
        double next = rs_rate_next_fast(&c->rate, now, -log(1.0 - rs_rng_uniform(c->rng)));
        if (next < w->horizon_s) rs_calendar_push(w->cal, &c->ev, next);
    }
    nm.rng_handle = w->types[nm.type].rng_handle;
    nm.rng_patience = w->types[nm.type].rng_patience;
    post(w, &nm, now);
}

static void on_burst(struct rs_world *w, struct burst_rt *b, double now)
{
    advance(w, now);
    const struct rs_scenario *sc = w->sc;
    const struct rs_burst_cfg *cfg = &sc->bursts[b->index];
    struct new_msg nm = {.channel = cfg->channel, .handle_s = NAN, .followers = NAN, .fresh = 1};
    nm.type = pick_type(b->rng, b->cum_mix, sc->n_types);
    nm.rng_handle = w->types[nm.type].rng_handle;
    nm.rng_patience = w->types[nm.type].rng_patience;
    double next = rs_burst_next(cfg, w->horizon_s, &b->spent, -log(1.0 - rs_rng_uniform(b->rng)));
    if (next < w->horizon_s) rs_calendar_push(w->cal, &b->ev, next);
    post(w, &nm, now);
}

/* ------------------------------------------------ replies, lapses */

static void on_reply(struct rs_world *w, struct rs_msg *m, double now)
{
    advance(w, now);
    struct agent *a = m->agent;
    if (!m->answered) {
        rs_stats_interval_replied(interval_of(w, now));
        settle(w, m, RS_FATE_ANSWERED, now);
        /* the reply answers the whole thread */
        while (m->tnext != m) {
            struct rs_msg *o = m->tnext;
            o->tprev->tnext = o->tnext;
            o->tnext->tprev = o->tprev;
            o->tprev = o->tnext = o;
            settle(w, o, RS_FATE_THREAD, now);
            if (o->agent) {
                o->answered = 1; /* its agent's work is moot; the slot frees at its end */
            } else {
                dequeue(w, o);
                msg_free(w, o);
            }
        }
    }
    /* With one slot per agent, which m frees, the agent goes straight on to
     * the next message: no release and retake (the common case, and a hot
     * path). */
    if (w->k == 1) {
        struct rs_msg *next = take_next(w, a, 0, now);
        if (next) {
            a->held[0] = next;
            msg_free(w, m);
            begin(w, a, next, now);
            return;
        }
    }
    release(w, m);
    msg_free(w, m);
    agent_fill(w, a, now);
}

/* A lapsed author posts again, moves channel or gives up. */
static void after_lapse(struct rs_world *w, struct rs_msg *m, double now)
{
    const struct rs_type_cfg *tc = &w->sc->types[m->type];
    if (tc->followup <= 0 && tc->switch_p <= 0) return;
    struct type_rt *tr = &w->types[m->type];
    double u = rs_rng_uniform(tr->rng_lapse);
    if (now >= w->end_s) return;
    struct new_msg nm = {.type = m->type,
                         .handle_s = NAN,
                         .followers = m->followers,
                         .rng_handle = tr->rng_followup,
                         .rng_patience = tr->rng_followup};
    if (u < tc->followup) {
        if (m->depth >= MAX_FOLLOWUPS) return;
        nm.channel = m->channel;
        nm.thread = m;
        post(w, &nm, now);
    } else if (u < tc->followup + tc->switch_p) {
        nm.channel = tc->switch_to;
        nm.switched = 1;
        if (m->counted) EACH_SCOPE(w, m, rs_stats_switched(S));
        post(w, &nm, now);
    }
}

static void on_lapse(struct rs_world *w, struct rs_msg *m, double now)
{
    advance(w, now);
    m->lapsed = 1;
    if (w->abandon_leave) {
        dequeue(w, m);
        settle(w, m, RS_FATE_ABANDONED, now);
        after_lapse(w, m, now); /* a follow-up joins the thread before m leaves it */
        msg_free(w, m);
        return;
    }
    rs_policy_lapse(&w->queues[m->channel], m);
    schedule_wait_event(w, m, now); /* the stale cut-off, if any */
    after_lapse(w, m, now);
}

static void on_stale(struct rs_world *w, struct rs_msg *m, double now)
{
    advance(w, now);
    dequeue(w, m);
    settle(w, m, RS_FATE_DROPPED, now);
    msg_free(w, m);
}

/* ------------------------------------------------ staffing, hours */

static void agent_on(struct rs_world *w, struct pool_rt *p, double now)
{
    /* an agent still finishing past their shift stays on */
    struct agent *a = NULL;
    int n = p->leaving ? w->tl->pools[p - w->pools].max_agents : 0;
    for (int i = 0; i < n && !a; i++)
        if (p->agents[i].state == AG_LEAVING) a = &p->agents[i];
    if (a) {
        a->state = AG_ON;
        p->leaving--;
    } else {
        a = p->lists[L_OFF];
        assert(a && "pool sized by the timeline's maximum");
        a->state = AG_ON;
        w->agents_present++;
    }
    relist(w, a);
    agent_fill(w, a, now);
}

static void agent_off(struct rs_world *w, struct pool_rt *p, double now)
{
    struct agent *a = p->lists[L_IDLE];
    if (!a) a = p->lists[L_PARTIAL];
    if (!a) {
        int n = w->tl->pools[p - w->pools].max_agents;
        for (int i = 0; i < n && !a; i++)
            if (p->agents[i].state == AG_ON) a = &p->agents[i];
    }
    assert(a && "the timeline never takes more agents than it gave");
    if (a->used == 0) {
        a->state = AG_OFF;
        w->agents_present--;
        relist(w, a);
        return;
    }
    a->state = AG_LEAVING;
    p->leaving++;
    if (!w->handoff) {
        relist(w, a);
        return;
    }
    /* handoff: what is in hand goes back to the inbox with the work left
     * (release relists a before offer looks for a free agent) */
    while (a->n_held) {
        struct rs_msg *m = a->held[0];
        rs_calendar_remove(w->cal, &m->ev);
        release(w, m); /* the last release turns the agent off */
        if (m->answered) {
            msg_free(w, m);
            continue;
        }
        m->handle_s -= now - m->take_s;
        m->handed_back = 1;
        offer(w, m, now);
    }
}

static void on_staff(struct rs_world *w, double now)
{
    advance(w, now);
    const struct rs_timeline *tl = w->tl;
    while (w->staff_next < tl->n_staff && tl->staff[w->staff_next].t_s <= now) {
        const struct rs_staff_change *ch = &tl->staff[w->staff_next++];
        struct pool_rt *p = &w->pools[ch->pool];
        for (int i = 0; i < ch->delta; i++)
            agent_on(w, p, now);
        for (int i = 0; i < -ch->delta; i++)
            agent_off(w, p, now);
    }
    if (w->staff_next < tl->n_staff)
        rs_calendar_push(w->cal, &w->ev_staff, tl->staff[w->staff_next].t_s);
}

static void on_hours(struct rs_world *w, double now)
{
    advance(w, now);
    const struct rs_timeline *tl = w->tl;
    w->open_hours = tl->hours[w->hours_next++].open;
    if (w->open_hours)
        for (int i = 0; i < w->n_pools; i++) {
            struct pool_rt *p = &w->pools[i];
            for (int j = 0; j < w->tl->pools[i].max_agents; j++)
                agent_fill(w, &p->agents[j], now);
        }
    if (w->hours_next < tl->n_hours)
        rs_calendar_push(w->cal, &w->ev_hours, tl->hours[w->hours_next].t_s);
}

/* ------------------------------------------------ the run */

/* A message still open when the run stops is unanswered (one whose thread
 * was answered while an agent had it is only freed). */
static void close_open(struct rs_world *w, struct rs_msg *m, double now)
{
    if (!m->answered) settle(w, m, RS_FATE_OPEN, now);
    msg_free(w, m);
}

/* drain's callback at the stop: m waited and is taken out unanswered. */
static void close_waiting(void *ctx, struct rs_msg *m)
{
    struct rs_world *w = ctx;
    w->waiting--;
    if (rs_event_scheduled(&m->ev)) rs_calendar_remove(w->cal, &m->ev);
    close_open(w, m, w->stop_s);
}

static void on_stop(struct rs_world *w, double now)
{
    advance(w, now);
    close_interval(w);
    rs_stats_stopped(&w->ts, w->open);
    w->stop_s = now;
    for (int c = 0; c < w->sc->n_channels; c++)
        rs_policy_drain(&w->queues[c], close_waiting, w);
    /* of what is left in the calendar (staff changes past the end too),
     * the replies still being written */
    struct rs_event *ev;
    while ((ev = rs_calendar_pop(w->cal)))
        if (ev->kind == EV_REPLY) close_open(w, CONTAINER_OF(ev, struct rs_msg, ev), now);
    outcome_scopes(w);
    if (w->one_channel) w->scopes[1] = w->scopes[0];
    if (w->one_type) w->scopes[1 + w->sc->n_channels] = w->scopes[0];
}

/* The random streams of types, channels and bursts, and what each
 * channel and burst needs to draw its arrivals. */
static void create_sources(struct rs_world *w, uint64_t key)
{
    const struct rs_scenario *sc = w->sc;
    w->types = rs_calloc((size_t)sc->n_types, sizeof *w->types);
    w->chans = rs_calloc((size_t)sc->n_channels, sizeof *w->chans);
    w->bursts = rs_calloc((size_t)sc->n_bursts + 1, sizeof *w->bursts);
    for (int i = 0; i < sc->n_types; i++) {
        const struct rs_type_cfg *tc = &sc->types[i];
        struct type_rt *t = &w->types[i];
        t->rng_handle = stream(key, "handle", tc->name);
        t->rng_patience = stream(key, "patience", tc->name);
        t->rng_authors = stream(key, "authors", tc->name);
        t->rng_bot = stream(key, "bot", tc->name);
        t->rng_lapse = stream(key, "lapse", tc->name);
        t->rng_followup = stream(key, "followup", tc->name);
        t->lapse_event =
            w->abandon_leave || tc->followup > 0 || tc->switch_p > 0 || w->ops->lapse != NULL;
        t->bot = sc->bot > 0 && (sc->bot_types >> i & 1u);
    }
    for (int i = 0; i < sc->n_channels; i++) {
        struct chan_rt *c = &w->chans[i];
        const struct rs_channel_cfg *cfg = &sc->channels[i];
        c->rng = stream(key, "arrivals", cfg->name);
        c->rng_day = stream(key, "dispersion", cfg->name);
        c->index = i;
        c->public_ = cfg->visibility == RS_PUBLIC;
        c->ev.kind = EV_ARRIVAL;
        c->trace = cfg->trace.n > 0 ? &cfg->trace : NULL;
        cumulate(cfg->mix, sc->n_types, c->cum_mix);
        if (!c->trace) rs_rate_init(&c->rate, sc, i, c->rng_day);
    }
    for (int i = 0; i < sc->n_bursts; i++) {
        struct burst_rt *b = &w->bursts[i];
        b->rng = stream(key, "burst", sc->bursts[i].name);
        b->index = i;
        b->ev.kind = EV_BURST;
        cumulate(sc->bursts[i].mix, sc->n_types, b->cum_mix);
    }
}

/* The agents' pools, sized by the timeline's most agents, all off. */
static void create_pools(struct rs_world *w)
{
    const struct rs_scenario *sc = w->sc;
    w->tl = rs_timeline_create(sc, w->end_s);
    w->n_pools = w->tl->n_pools;
    w->pools = rs_calloc((size_t)w->n_pools + 1, sizeof *w->pools);
    for (int i = 0; i < w->n_pools; i++) {
        struct pool_rt *p = &w->pools[i];
        p->channels = w->tl->pools[i].channels;
        for (int c = 0; c < sc->n_channels; c++)
            if (p->channels >> c & 1u) p->ch[p->n_ch++] = c;
        int n = w->tl->pools[i].max_agents;
        p->agents = rs_calloc((size_t)n + 1, sizeof *p->agents);
        for (int j = n - 1; j >= 0; j--) {
            struct agent *a = &p->agents[j];
            a->pool = i;
            a->held = rs_calloc((size_t)w->k, sizeof *a->held);
            a->state = AG_OFF;
            list_put(p, a, L_OFF);
        }
    }
}

struct rs_world *rs_world_create(const struct rs_scenario *sc, uint64_t key)
{
    return rs_world_create_in(sc, key, NULL);
}

struct rs_world *rs_world_create_in(const struct rs_scenario *sc, uint64_t key,
                                    struct rs_world_mem *mem)
{
    struct rs_world *w = rs_calloc(1, sizeof *w);
    w->sc = sc;
    w->mem = mem;
    w->cal = rs_calendar_create();
    w->ops = rs_policy_find(sc->order);
    assert(w->ops); /* rs_scenario_check has seen to it */
    w->queues = rs_calloc((size_t)sc->n_channels, sizeof *w->queues);
    for (int c = 0; c < sc->n_channels; c++)
        if (rs_policy_init(&w->queues[c], w->ops, sc) != 0) abort();
    w->abandon_leave = sc->abandon == RS_ABANDON_LEAVE;
    w->k = sc->concurrency > 0 ? sc->concurrency : 1;
    w->handoff = sc->shift_end == RS_SHIFT_HANDOFF;
    w->inbox_limit = sc->inbox_limit > 0 ? (uint64_t)sc->inbox_limit : 0;
    w->max_age_s = sc->max_age_s;
    w->autoack = sc->autoack;
    w->warmup_s = sc->warmup_s;
    w->horizon_s = sc->horizon_s;
    w->end_s = sc->horizon_s + sc->drain_s;
    w->open_limit = RS_BUDGET_MAX_OPEN;

    create_sources(w, key);
    create_pools(w);
    int ns = rs_stats_n_scopes(sc);
    w->scopes_size = (size_t)ns * sizeof *w->scopes;
    w->scopes = mem_take(mem ? &mem->scopes : NULL, mem ? mem->scopes_size : 0, w->scopes_size);
    w->outcome = rs_calloc((size_t)sc->n_channels * (size_t)sc->n_types, sizeof *w->outcome);
    w->one_channel = sc->n_channels == 1;
    w->one_type = sc->n_types == 1;
    w->n_iv = rs_world_n_intervals(sc);
    w->iv_end = sc->interval_s;
    w->per_interval = 1.0 / sc->interval_s;
    return w;
}

void rs_world_destroy(struct rs_world *w)
{
    if (!w) return;
    const struct rs_scenario *sc = w->sc;
    for (int i = 0; i < sc->n_types; i++) {
        struct type_rt *t = &w->types[i];
        rs_rng_destroy(t->rng_handle);
        rs_rng_destroy(t->rng_patience);
        rs_rng_destroy(t->rng_authors);
        rs_rng_destroy(t->rng_bot);
        rs_rng_destroy(t->rng_lapse);
        rs_rng_destroy(t->rng_followup);
    }
    for (int i = 0; i < sc->n_channels; i++) {
        rs_rng_destroy(w->chans[i].rng);
        rs_rng_destroy(w->chans[i].rng_day);
        rs_policy_fini(&w->queues[i]);
    }
    for (int i = 0; i < sc->n_bursts; i++)
        rs_rng_destroy(w->bursts[i].rng);
    for (int i = 0; i < w->n_pools; i++) {
        for (int j = 0; j < w->tl->pools[i].max_agents; j++)
            free(w->pools[i].agents[j].held);
        free(w->pools[i].agents);
    }
    struct rs_world_mem *mem = w->mem;
    if (mem) { /* the chunks become spares */
        struct pool_chunk **tail = &w->chunks;
        while (*tail)
            tail = &(*tail)->next;
        *tail = mem->chunks;
        mem->chunks = w->chunks;
    } else
        chunks_free(w->chunks);
    rs_timeline_destroy(w->tl);
    rs_calendar_destroy(w->cal);
    free(w->pools);
    free(w->queues);
    free(w->chans);
    free(w->bursts);
    free(w->types);
    free(w->outcome);
    mem_keep(mem ? &mem->scopes : NULL, mem ? &mem->scopes_size : NULL, w->scopes, w->scopes_size);
    rs_ivring_destroy(w->iv);
    free(w);
}

/* The first event of each kind. */
static void schedule_first(struct rs_world *w)
{
    const struct rs_scenario *sc = w->sc;
    for (int i = 0; i < sc->n_channels; i++) {
        struct chan_rt *c = &w->chans[i];
        double first = c->trace ? c->trace->t_s[0]
                                : rs_rate_next(&c->rate, 0, -log(1.0 - rs_rng_uniform(c->rng)));
        if (first < w->horizon_s) rs_calendar_push(w->cal, &c->ev, first);
    }
    for (int i = 0; i < sc->n_bursts; i++) {
        struct burst_rt *b = &w->bursts[i];
        double first = rs_burst_next(&sc->bursts[i], w->horizon_s, &b->spent,
                                     -log(1.0 - rs_rng_uniform(b->rng)));
        if (first < w->horizon_s) rs_calendar_push(w->cal, &b->ev, first);
    }
    w->open_hours = w->tl->open_at_start;
    w->ev_staff.kind = EV_STAFF;
    w->ev_hours.kind = EV_HOURS;
    if (w->tl->n_staff) rs_calendar_push(w->cal, &w->ev_staff, w->tl->staff[0].t_s);
    if (w->tl->n_hours) rs_calendar_push(w->cal, &w->ev_hours, w->tl->hours[0].t_s);
    w->in_window = w->warmup_s <= 0;
    w->ev_warmup.kind = EV_WARMUP;
    w->ev_horizon.kind = EV_HORIZON;
    w->ev_stop.kind = EV_STOP;
    if (w->warmup_s > 0) rs_calendar_push(w->cal, &w->ev_warmup, w->warmup_s);
    rs_calendar_push(w->cal, &w->ev_horizon, w->horizon_s);
    rs_calendar_push(w->cal, &w->ev_stop, w->end_s);
    rs_stats_window(&w->ts, w->horizon_s - w->warmup_s);
}

void rs_world_set_open_limit(struct rs_world *w, uint64_t n) { w->open_limit = n; }

double rs_world_overflow_s(const struct rs_world *w) { return w->overflowed ? w->overflow_s : NAN; }

void rs_world_set_interval_sink(struct rs_world *w, rs_world_interval_fn fn, void *ctx)
{
    w->iv_sink = fn;
    w->iv_sink_ctx = ctx;
}

static int run_events(struct rs_world *w);

int rs_world_run(struct rs_world *w)
{
    w->iv = rs_ivring_create(w->sc, w->n_iv, w->end_s, w->iv_sink, w->iv_sink_ctx);
    int rc = run_events(w);
    rs_ivring_finish_all(w->iv); /* all of them after a stop; as they are after an overflow */
    return rc;
}

static int run_events(struct rs_world *w)
{
    schedule_first(w);
    struct rs_event *ev;
    while ((ev = rs_calendar_pop(w->cal))) {
        double now = ev->t_s;
        w->events++;
        if ((w->events & 0x3ffff) == 0 && w->progress) w->progress(w->progress_ctx, now / w->end_s);
        switch (ev->kind) {
        case EV_ARRIVAL:
            on_arrival(w, CONTAINER_OF(ev, struct chan_rt, ev), now);
            break;
        case EV_BURST:
            on_burst(w, CONTAINER_OF(ev, struct burst_rt, ev), now);
            break;
        case EV_REPLY:
            on_reply(w, CONTAINER_OF(ev, struct rs_msg, ev), now);
            break;
        case EV_LAPSE:
            on_lapse(w, CONTAINER_OF(ev, struct rs_msg, ev), now);
            break;
        case EV_STALE:
            on_stale(w, CONTAINER_OF(ev, struct rs_msg, ev), now);
            break;
        case EV_STAFF:
            on_staff(w, now);
            break;
        case EV_HOURS:
            on_hours(w, now);
            break;
        case EV_WARMUP:
            window_mark(w, now, 1);
            break;
        case EV_HORIZON:
            window_mark(w, now, 0);
            break;
        case EV_STOP:
            on_stop(w, now);
            return RS_OK;
        default:
            assert(0 && "unknown event kind");
        }
        if (w->overflowed) return RS_EINPUT;
    }
    return RS_OK;
}

void rs_world_metrics(const struct rs_world *w, double *out)
{
    rs_stats_compute(w->sc, w->scopes, &w->ts, out);
}

void rs_world_latency(const struct rs_world *w, const double *t_s, int n, double *out)
{
    for (int s = 0; s <= w->sc->n_channels; s++)
        rs_stats_latency(&w->scopes[s], t_s, n, out + s * n);
}

int rs_world_n_intervals(const struct rs_scenario *sc)
{
    /* in double, so that no span overflows the int (the budget keeps it far
     * below: RS_BUDGET_MAX_INTERVALS) */
    double n = ceil((sc->horizon_s + sc->drain_s) / sc->interval_s);
    if (!(n >= 1)) return 1;
    return n < INT_MAX ? (int)n : INT_MAX;
}

void rs_world_intervals(const struct rs_world *w, double *out) { rs_ivring_rows(w->iv, out); }

int rs_world_interval_slots(const struct rs_world *w) { return rs_ivring_peak(w->iv); }

uint64_t rs_world_events(const struct rs_world *w) { return w->events; }
uint64_t rs_world_messages(const struct rs_world *w) { return w->messages; }
