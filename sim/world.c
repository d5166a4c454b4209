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
#include "bizhours.h"
#include "replysim/alloc.h"
#include "replysim/budget.h"
#include "calendar.h"
#include "ivring.h"
#include "replysim/dist.h"
#include "msg.h"
#include "policy.h"
#include "replysim/rng.h"
#include "stats.h"
#include "stats_conv.h"
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
    EV_STOP,
    EV_TURN,     /* a conversation's author writes back (the carrier is a message) */
    EV_AMPLIFY,  /* an amplified complaint arrives (the carrier is a message) */
    EV_AFFINITY, /* a later turn waiting for its agent: its wait, lapse or cut-off is due */
    EV_OVERFLOW, /* a queue's first message may now go to pools without its type */
    EV_SURGE     /* a surge comes on, or goes off */
};

#define CONTAINER_OF(p, type, member) ((type *)(void *)((char *)(p)-offsetof(type, member)))
#define MAX_FOLLOWUPS 100 /* per thread: bounds a chain of follow-ups at patience near 0 */

/* A trace's rows with follow-ups: row i's message id (posted rows, in
 * increasing order) and the message while it is open (NULL: settled, or
 * not posted yet). */
struct trace_rows {
    uint64_t *id;
    struct rs_msg **msg;
};

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
    gsl_rng *rng_amplify; /* amplified complaints: how many, when, their authors (NULL: none) */
    gsl_rng *rng_move;    /* does a conversation go private (NULL: move = 0) */
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
    gsl_rng *rng_converse; /* later turns: write back?, think, handle, patience (NULL: none) */
    int lapse_event;       /* a waiting message needs an event at its deadline */
    int bot;               /* may go to the bot */
    int complaint;         /* counts as a complaint (amplification) */
};

enum { AG_OFF, AG_ON, AG_LEAVING };
enum { L_NONE, L_IDLE, L_PARTIAL, L_OFF };

struct agent {
    struct agent *prev, *next; /* in the pool's list named by `list` */
    struct rs_msg **held;      /* messages in hand, used ones first */
    int n_held;
    int used; /* slots in use, of concurrency */
    int state, list, pool;
    int id;                     /* 1 .. over all pools, for the message log */
    struct rs_msg *mine, *tail; /* later turns waiting for this agent (affinity), by qnext */
};

/* A queue a pool takes from, and whether it is a public channel's. */
struct pool_q {
    int q, public_;
};

struct pool_rt {
    uint32_t channels, types;
    int n_q, n_oq;
    struct pool_q *q;  /* the queues of the channels and types it answers */
    struct pool_q *oq; /* with overflow: its channels' queues of types it lacks */
    double speed, slowdown;
    struct agent *agents;   /* max_agents of them */
    int leaving;            /* of them AG_LEAVING: agent_on scans for one only then */
    struct agent *lists[4]; /* heads by L_* (L_NONE unused) */
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
    struct rs_policy *queues; /* one per channel, or per channel and type (tsplit) */
    int nq, tsplit;           /* queues per channel: 1, or n_types when pools differ in types */
    int n_queues;
    int *pool_order;         /* pools by fewest types first: the specialist takes first */
    int scaled;              /* some pool has a speed or slowdown other than 1 */
    double overflow_after_s; /* [policy] overflow; 0: none */
    struct qtimer *qtimers;  /* per queue, with overflow; else NULL */
    struct surge_rt *surges; /* per [surge]; NULL: none */
    size_t waiting;          /* messages in all queues */
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
    struct rs_conv_stats *conv;     /* per scope, with conversations or amplification; else NULL */
    int conversations;              /* some type's authors write back (reply_back > 0) */
    int amplifies;                  /* some channel amplifies (amplify > 0) */
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
    /* with [policy] hours: the business clock and response times on it
     * (NULL without) */
    struct rs_bizhours bh;
    struct rs_scope_bh *scopes_bh;
    int iv_cur;          /* interval of t_last */
    double per_interval; /* 1 / interval_s */
    double iv_end;       /* end of interval iv_cur */

    struct rs_event ev_warmup, ev_horizon, ev_stop;
    void (*progress)(void *ctx, double fraction); /* NULL: none */
    void *progress_ctx;
    rs_msg_log_fn log; /* NULL: no message log */
    void *log_ctx;
    /* traces with follow-ups (thread_of): each channel's rows' open
     * messages, kept up by the log (track_rows), and the caller's log
     * behind it; NULL when no trace has follow-ups */
    struct trace_rows *rows;
    rs_msg_log_fn user_log;
    void *user_log_ctx;
    struct rs_msg *free_msgs;
    struct pool_chunk *chunks;
    struct rs_world_mem *mem; /* NULL: none */
    size_t scopes_size, scopes_bh_size;
    uint64_t events, messages;
    uint64_t open_limit; /* more messages open at once stop the run (RS_BUDGET_MAX_OPEN) */
    int overflowed;      /* open passed open_limit: the run stops */
    double overflow_s;   /* when */
};

/* A [surge]: idle, armed (the queue has been long since the event's time
 * minus after), or on (its agents until the event). */
enum { SU_IDLE, SU_ARMED, SU_ON };

struct surge_rt {
    struct rs_event ev;
    uint64_t waiting; /* messages waiting in queues of its skills */
    int state;
    double on_s; /* when it came on */
};

/* A queue's overflow timer: when its first message will have waited
 * overflow_s, pools without its type may take it. */
struct qtimer {
    struct rs_event ev;
    int armed;
};

/* ------------------------------------------------ memory */

struct rs_world_mem {
    void *scopes; /* spare block, NULL: none */
    size_t scopes_size;
    void *scopes_bh; /* ... of business-hours figures */
    size_t scopes_bh_size;
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
    free(mem->scopes_bh);
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

static inline __attribute__((always_inline)) struct rs_msg *msg_alloc(struct rs_world *w)
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
            c->msgs[i].ev.lane = 0; /* a message's event is in the calendar's heap */
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

/* A new message's type by the mix.  Drawn even with one type: a channel
 * then keeps the arrival times of a variant that splits its type in two
 * (common random numbers; README, "Performance"). */
static inline int pick_type(gsl_rng *r, const double *cum, int n_types)
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
#define EACH_SCOPE_OF(w, ch, ty, stmt) EACH_IN(w, struct rs_scope_stats, (w)->scopes, ch, ty, stmt)
/* The same scopes in a parallel array of per-scope counts (conversations,
 * business hours), allocated only when a scenario uses them. */
#define EACH_CONV(w, m, stmt)                                                                      \
    EACH_IN(w, struct rs_conv_stats, (w)->conv, (m)->channel, (m)->type, stmt)
#define EACH_IN(w, T, arr, ch, ty, stmt)                                                           \
    do { /* unrolled: a loop over the three showed in profiles */                                  \
        T *S = &(arr)[0];                                                                          \
        stmt;                                                                                      \
        if (!(w)->one_channel) {                                                                   \
            S = &(arr)[1 + (ch)];                                                                  \
            stmt;                                                                                  \
        }                                                                                          \
        if (!(w)->one_type) {                                                                      \
            S = &(arr)[1 + (w)->sc->n_channels + (ty)];                                            \
            stmt;                                                                                  \
        }                                                                                          \
    } while (0)

/* Scope 1 (the one channel) or the first type scope is a copy of all when
 * there is only one: filled in at the stop. */
#define COPY_SINGLE_SCOPES(w, arr)                                                                 \
    do {                                                                                           \
        if ((w)->one_channel) (arr)[1] = (arr)[0];                                                 \
        if ((w)->one_type) (arr)[1 + (w)->sc->n_channels] = (arr)[0];                              \
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
    if (w->rows) { /* track_rows sees every fate first */
        w->user_log = fn;
        w->user_log_ctx = ctx;
        return;
    }
    w->log = fn;
    w->log_ctx = ctx;
}

/* The log when traces have follow-ups: a row's message settled (as every
 * message is before it is freed) is no longer open; then the caller's
 * log.  Ordinary runs never come here. */
static void track_rows(void *ctx, const struct rs_msg_record *r)
{
    struct rs_world *w = ctx;
    const struct trace_rows *tr = &w->rows[r->channel];
    if (tr->id) { /* the posted rows' ids increase: a binary search */
        int lo = 0, hi = w->chans[r->channel].trace_next;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (tr->id[mid] < r->id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < w->chans[r->channel].trace_next && tr->id[lo] == r->id) tr->msg[lo] = NULL;
    }
    if (w->user_log) w->user_log(w->user_log_ctx, r);
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
                              .followers = m->followers,
                              .conversation = w->conv ? m->conv : m->id,
                              .turn = m->turn,
                              .agent = m->agent ? ((const struct agent *)m->agent)->id : 0};
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

/* The response time of an answered message on the business clock (with
 * [policy] hours): a message that arrived while closed is judged from the
 * opening, and closed time before the reply does not count. */
static void settle_answered_bh(struct rs_world *w, const struct rs_msg *m, double now)
{
    double frt = rs_bizhours_between_s(&w->bh, m->arrive_s, now);
    int within = rs_stats_within_index(w->sc, frt);
    if (m->counted) {
        EACH_IN(w, struct rs_scope_bh, w->scopes_bh, m->channel, m->type,
                rs_stats_answered_bh(S, frt, within));
    }
    rs_stats_interval_answered_bh(rs_ivring_bh_at(w->iv, interval_index(w, m->arrive_s)), frt,
                                  within);
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
    if (m->turn > 1) { /* a next reply, not a first response (stats_conv.h) */
        if (m->conv_counted) EACH_CONV(w, m, rs_conv_next_answered(S, frt, within));
        return;
    }
    if (m->counted) {
        int late = now > m->deadline_s, bot = fate == RS_FATE_BOT;
        EACH_SCOPE(w, m, rs_stats_answered(S, frt, within, late, lapsed, bot));
        record_outcome(w, m, 1, frt);
    }
    rs_stats_interval_answered(interval_of(w, m->arrive_s), frt, within);
    if (w->scopes_bh) settle_answered_bh(w, m, now);
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
    /* last: the interval of its arrival may be final now (later turns are
     * not in its figures) */
    if (m->turn == 1) rs_ivring_settled(w->iv, interval_index(w, m->arrive_s));
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

/* The queue m waits in. */
static inline int queue_index(const struct rs_world *w, const struct rs_msg *m)
{
    return m->channel * w->nq + m->type * w->tsplit;
}

static void overflow_arm(struct rs_world *w, int q, double now);

static void surge_count(struct rs_world *w, const struct rs_msg *m, int delta, double now);

static void enqueue(struct rs_world *w, struct rs_msg *m, double now)
{
    if (w->surges) surge_count(w, m, 1, now);
    rs_policy_push(&w->queues[queue_index(w, m)], m);
    if (w->qtimers) overflow_arm(w, queue_index(w, m), now);
    w->waiting++;
    if (w->in_window) rs_stats_queue_seen(&w->ts, w->waiting);
    schedule_wait_event(w, m, now);
}

static void dequeue(struct rs_world *w, struct rs_msg *m, double now)
{
    rs_policy_remove(&w->queues[queue_index(w, m)], m);
    if (w->surges) surge_count(w, m, -1, now);
    w->waiting--;
    if (rs_event_scheduled(&m->ev)) rs_calendar_remove(w->cal, &m->ev);
    if (w->qtimers) overflow_arm(w, queue_index(w, m), now);
}

/* ------------------------------------------------ service */

/* m, in a's hands, is taken now: its wait ends, its handle time starts. */
static inline __attribute__((always_inline)) void begin(struct rs_world *w, struct agent *a,
                                                        struct rs_msg *m, double now)
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
    if (w->scaled) { /* speed, and the slowdown of the conversations a holds besides */
        const struct pool_rt *p = &w->pools[a->pool];
        m->svc_factor = (p->slowdown == 1 ? 1 : pow(p->slowdown, a->n_held - 1)) / p->speed;
        rs_calendar_push(w->cal, &m->ev, now + m->handle_s * m->svc_factor);
        return;
    }
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

/* ------------------------------------------------ affinity */

/* When m, waiting for its agent, next needs attention: the end of its
 * affinity, or before it its lapse (when its type needs that event) or its
 * stale cut-off.  One event per message, as in the queues. */
static void mine_schedule(struct rs_world *w, struct rs_msg *m, double now)
{
    double t = m->arrive_s + w->sc->types[m->type].affinity_s;
    if (!m->lapsed && w->types[m->type].lapse_event && m->deadline_s < t) t = m->deadline_s;
    if (w->max_age_s > 0 && m->arrive_s + w->max_age_s < t) t = m->arrive_s + w->max_age_s;
    if (!isfinite(t)) return;
    m->ev.kind = EV_AFFINITY;
    rs_calendar_push(w->cal, &m->ev, t > now ? t : now);
}

/* m, a later turn, waits for agent a, who answered its conversation last. */
static void mine_push(struct rs_world *w, struct agent *a, struct rs_msg *m, double now)
{
    m->qnext = NULL;
    m->qprev = a->tail;
    if (a->tail)
        a->tail->qnext = m;
    else
        a->mine = m;
    a->tail = m;
    w->waiting++;
    if (w->in_window) rs_stats_queue_seen(&w->ts, w->waiting);
    mine_schedule(w, m, now);
}

static void mine_remove(struct rs_world *w, struct agent *a, struct rs_msg *m)
{
    if (m->qprev)
        m->qprev->qnext = m->qnext;
    else
        a->mine = m->qnext;
    if (m->qnext)
        m->qnext->qprev = m->qprev;
    else
        a->tail = m->qprev;
    m->qprev = m->qnext = NULL;
    w->waiting--;
    if (rs_event_scheduled(&m->ev)) rs_calendar_remove(w->cal, &m->ev);
}

/* The first later turn waiting for a that a may take now, off a's list;
 * its conversations go first, in the order they came (out of line: only
 * scenarios with affinity come here). */
static __attribute__((noinline)) struct rs_msg *take_mine(struct rs_world *w, struct agent *a,
                                                          int used)
{
    for (struct rs_msg *m = a->mine; m; m = m->qnext)
        if (used + slots_of(w, m) <= w->k) {
            mine_remove(w, a, m);
            return m;
        }
    return NULL;
}

/* best, or the first message of a queue of a type p lacks that has
 * waited overflow_s, whichever comes first by the policy's order. */
static __attribute__((noinline)) struct rs_msg *best_overflow(struct rs_world *w,
                                                              const struct pool_rt *p, int partial,
                                                              double now, struct rs_msg *best)
{
    for (int i = 0; i < p->n_oq; i++) {
        if (partial && p->oq[i].public_) continue;
        struct rs_msg *m = rs_policy_peek(&w->queues[p->oq[i].q], now);
        if (m && now - m->arrive_s >= w->overflow_after_s && (!best || w->ops->before(m, best)))
            best = m;
    }
    return best;
}

/* The first waiting message a may take, by the policy's order. */
static struct rs_msg *best_for(struct rs_world *w, const struct pool_rt *p, int partial, double now)
{
    struct rs_msg *best = NULL;
    for (int i = 0; i < p->n_q; i++) {
        if (partial && p->q[i].public_) continue; /* a public reply needs the whole agent */
        struct rs_msg *m = rs_policy_peek(&w->queues[p->q[i].q], now);
        if (m && (!best || w->ops->before(m, best))) best = m;
    }
    return p->n_oq ? best_overflow(w, p, partial, now, best) : best;
}

/* The one way an agent takes its next message: the first waiting message
 * a may take now with `used` of its slots in use, off its queue; NULL when
 * a cannot take one or none waits. */
static struct rs_msg *take_next(struct rs_world *w, struct agent *a, int used, double now)
{
    if (!w->open_hours || a->state != AG_ON || used >= w->k || !w->waiting) return NULL;
    struct rs_msg *m = a->mine ? take_mine(w, a, used) : NULL;
    if (m) return m;
    m = best_for(w, &w->pools[a->pool], used > 0, now);
    if (m) dequeue(w, m, now);
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

/* free_agent when pools differ in types: the pools that have m's type,
 * the specialist (fewest types) first. */
static __attribute__((noinline)) struct agent *
free_specialist(struct rs_world *w, const struct rs_msg *m, uint32_t bit, int whole)
{
    for (int i = 0; i < w->n_pools; i++) {
        struct pool_rt *p = &w->pools[w->pool_order[i]];
        if (!(p->channels & bit) || !(p->types >> m->type & 1u)) continue;
        if (!whole && p->lists[L_PARTIAL]) return p->lists[L_PARTIAL];
        if (p->lists[L_IDLE]) return p->lists[L_IDLE];
    }
    return NULL;
}

/* A free agent for m now, or NULL. */
static struct agent *free_agent(struct rs_world *w, const struct rs_msg *m)
{
    if (!w->open_hours) return NULL;
    uint32_t bit = 1u << m->channel;
    int whole = slots_of(w, m) == w->k;
    if (w->tsplit) return free_specialist(w, m, bit, whole);
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

/* m, a later turn whose type has affinity: its last agent takes it at once,
 * or it waits for them (until its affinity ends), unless they are off. */
static void offer_affine(struct rs_world *w, struct rs_msg *m, double now)
{
    struct agent *a = m->last_agent;
    if (a->state != AG_ON) {
        offer(w, m, now);
        return;
    }
    if (w->open_hours && a->used + slots_of(w, m) <= w->k) {
        start_service(w, a, m, now);
        return;
    }
    mine_push(w, a, m, now);
}

/* Agent a went off shift: the later turns waiting for them go to anyone. */
static void mine_flush(struct rs_world *w, struct agent *a, double now)
{
    while (a->mine) {
        struct rs_msg *m = a->mine;
        mine_remove(w, a, m);
        offer(w, m, now);
    }
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
    int amplified;                      /* caused by an unanswered public complaint */
    const struct rs_msg *from;          /* its conversation's: a later turn's carrier, or the
                                         * message a follow-up or switch comes from (NULL: new) */
    const struct rs_dist *patience;     /* NULL: the type's */
};

/* A new message from nm's draws, posted now; ids in arrival order. */
static inline __attribute__((always_inline)) struct rs_msg *
new_msg(struct rs_world *w, const struct new_msg *nm, double patience, double now, const int plain)
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
    m->turn = 1;
    const struct rs_msg *f = plain ? NULL : nm->from;
    if (!w->conv) return m; /* neither conversations nor amplification: only turn is read */
    m->amplified = (unsigned char)(!plain && nm->amplified);
    if (f) {
        m->conv = f->conv;
        m->conv_start_s = f->conv_start_s;
        m->conv_counted = f->conv_counted;
        m->turn = f->turn;
        m->last_agent = f->last_agent;
        if (f->turn > 1) m->counted = 0; /* not a first response: stats_conv.h */
    } else {
        m->conv = m->id;
        m->conv_start_s = now;
        m->conv_counted = m->counted;
        m->last_agent = NULL;
    }
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

/* m entered the inbox: a new conversation, a later turn, or amplified. */
static void count_conversation(struct rs_world *w, const struct rs_msg *m)
{
    if (m->counted && m->conv == m->id) EACH_CONV(w, m, S->conversations++);
    if (m->turn > 1 && m->conv_counted) EACH_CONV(w, m, S->next_inbox++);
    if (m->amplified && m->counted) EACH_CONV(w, m, S->amplified++);
}

/* A message arrives now: its draws, its arrival counters, then its fate at
 * once (no reply needed, blocked, the bot) or an agent or the queue.
 * *open (when open is not NULL: post_row's) is the message while it is
 * open, NULL when its fate came at once. */
static inline __attribute__((always_inline)) void post_as(struct rs_world *w,
                                                          const struct new_msg *nm, double now,
                                                          const int plain, struct rs_msg **open)
{
    const struct rs_scenario *sc = w->sc;
    const struct rs_type_cfg *tc = &sc->types[nm->type];
    struct type_rt *tr = &w->types[nm->type];
    /* every draw happens whatever becomes of the message (see the top) */
    double handle = !isnan(nm->handle_s) ? nm->handle_s
                    : tc->needs_reply    ? rs_dist_draw(&tc->handle, nm->rng_handle)
                                         : 0;
    double patience =
        rs_dist_draw(!plain && nm->patience ? nm->patience : &tc->patience, nm->rng_patience);
    double followers =
        !isnan(nm->followers) ? nm->followers : rs_dist_draw(&tc->followers, tr->rng_authors);
    int to_bot = nm->fresh && tr->bot && rs_rng_uniform(tr->rng_bot) < sc->bot;
    w->messages++;
    struct rs_interval_stats *iv_now = interval_of(w, now);
    rs_stats_interval_arrived(iv_now);

    struct rs_msg *m = new_msg(w, nm, patience, now, plain);
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
    if (plain || m->turn == 1) { /* later turns are not first responses (stats_conv.h) */
        rs_stats_interval_entered(iv_now);
        rs_ivring_entered(w->iv, interval_index(w, now));
    }
    if (m->counted) EACH_SCOPE(w, m, rs_stats_entered(S));
    if (w->conv) count_conversation(w, m);
    if (to_bot) {
        if (w->conversations && m->conv_counted) EACH_CONV(w, m, rs_conv_resolved(S, 0));
        settle(w, m, RS_FATE_BOT, now); /* the bot's reply is at once */
        msg_free(w, m);
        return;
    }
    if (!plain && m->turn > 1 && m->last_agent && tc->affinity_s > 0)
        offer_affine(w, m, now);
    else
        offer(w, m, now);
    if (open) *open = m;
}

/* A customer's new message from a channel or a burst: no conversation
 * before it, the type's patience (the checks for later turns fold away). */
static void post_plain(struct rs_world *w, const struct new_msg *nm, double now)
{
    post_as(w, nm, now, 1, NULL);
}

/* Any message: a later turn, a follow-up, a switch, an amplified one. */
static void post(struct rs_world *w, const struct new_msg *nm, double now)
{
    post_as(w, nm, now, 0, NULL);
}

/* Trace row i of a trace with follow-ups: while the message of the row it
 * follows up is open (waiting, or in hand and not yet answered), it joins
 * that thread, whose one reply answers it (fate thread); else it is a new
 * message.  Either way its message is the row's while open.  Not inlined:
 * on_arrival stays as small as it was for ordinary runs. */
static __attribute__((noinline)) void post_row(struct rs_world *w, struct new_msg *nm, int i,
                                               double now)
{
    struct trace_rows *tr = &w->rows[nm->channel];
    int j = w->chans[nm->channel].trace->thread_of[i];
    nm->rng_handle = w->types[nm->type].rng_handle;
    nm->rng_patience = w->types[nm->type].rng_patience;
    if (j >= 0 && j < i && tr->msg[j] && tr->msg[j]->depth < USHRT_MAX) {
        nm->thread = tr->msg[j];
        nm->fresh = 0; /* a follow-up, not a customer's first message */
    }
    tr->id[i] = w->next_id; /* post gives it the next id */
    tr->msg[i] = NULL;
    post_as(w, nm, now, 1, &tr->msg[i]);
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
        if (tr->thread_of) { /* w->rows keeps its rows' messages */
            post_row(w, &nm, i, now);
            return;
        }
    } else {
        nm.type = pick_type(c->rng, c->cum_mix, sc->n_types);
        double next = rs_rate_next_fast(&c->rate, now, -log(1.0 - rs_rng_uniform(c->rng)));
        if (next < w->horizon_s) rs_calendar_push(w->cal, &c->ev, next);
    }
    nm.rng_handle = w->types[nm.type].rng_handle;
    nm.rng_patience = w->types[nm.type].rng_patience;
    post_plain(w, &nm, now);
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
    post_plain(w, &nm, now);
}

/* ------------------------------------------------ replies, lapses */

#define MAX_TURNS 10000 /* per conversation: bounds one at reply_back near 1 */

/* An agent answered m now: its author writes back after thinking (a later
 * turn, carried by a message until it comes), or is satisfied and the
 * conversation is resolved. */
static void converse(struct rs_world *w, const struct rs_msg *m, struct agent *a, double now)
{
    const struct rs_type_cfg *tc = &w->sc->types[m->type];
    gsl_rng *r = w->types[m->type].rng_converse;
    if (m->conv_counted) EACH_CONV(w, m, S->replies++);
    int back = r && gsl_rng_uniform(r) < tc->reply_back && m->turn < MAX_TURNS &&
               (tc->turns_max == 0 || m->turn < tc->turns_max);
    if (!back) {
        if (m->conv_counted) EACH_CONV(w, m, rs_conv_resolved(S, now - m->conv_start_s));
        return;
    }
    double t = now + rs_dist_draw(&tc->think.d, r);
    if (!(t < w->end_s)) return; /* the run stops first: the conversation ends open */
    struct rs_msg *c = msg_alloc(w);
    c->channel = m->channel;
    gsl_rng *mv = w->chans[m->channel].rng_move;
    if (mv && m->turn == 1 && gsl_rng_uniform(mv) < w->sc->channels[m->channel].move) {
        c->channel = w->sc->channels[m->channel].move_to; /* "DM us": on privately */
        if (m->conv_counted) EACH_CONV(w, m, S->moved++);
    }
    c->type = m->type;
    c->followers = m->followers;
    c->conv = m->conv;
    c->conv_start_s = m->conv_start_s;
    c->conv_counted = m->conv_counted;
    c->turn = (unsigned short)(m->turn + 1);
    c->last_agent = a;
    c->ev.kind = EV_TURN;
    rs_calendar_push(w->cal, &c->ev, t);
}

/* The author of conversation carrier c writes again now. */
static void on_turn(struct rs_world *w, struct rs_msg *c, double now)
{
    advance(w, now);
    const struct rs_type_cfg *tc = &w->sc->types[c->type];
    gsl_rng *r = w->types[c->type].rng_converse;
    struct new_msg nm = {.channel = c->channel,
                         .type = c->type,
                         .handle_s = NAN,
                         .followers = c->followers,
                         .rng_handle = r,
                         .rng_patience = r,
                         .from = c,
                         .patience = tc->next_patience.set ? &tc->next_patience.d : NULL};
    if (tc->needs_reply) /* drawn here, as post would, from the later turns' stream */
        nm.handle_s = rs_dist_draw(tc->next_handle.set ? &tc->next_handle.d : &tc->handle, r);
    post(w, &nm, now);
    msg_free(w, c);
}

/* m, a complaint on a public channel that amplifies, lapsed unanswered
 * now: a Poisson number of new complaints (mean amplify) by new authors
 * follow after the channel's delay. */
static void amplify(struct rs_world *w, const struct rs_msg *m, double now)
{
    struct chan_rt *ch = &w->chans[m->channel];
    if (!ch->rng_amplify || !w->types[m->type].complaint) return;
    const struct rs_channel_cfg *cfg = &w->sc->channels[m->channel];
    unsigned k = gsl_ran_poisson(ch->rng_amplify, cfg->amplify);
    for (unsigned i = 0; i < k; i++) {
        double t = now + rs_dist_draw(&cfg->amplify_delay.d, ch->rng_amplify);
        if (!(t < w->horizon_s)) continue; /* arrivals end at the horizon */
        struct rs_msg *c = msg_alloc(w);
        c->channel = m->channel;
        c->type = m->type;
        c->ev.kind = EV_AMPLIFY;
        rs_calendar_push(w->cal, &c->ev, t);
    }
}

/* An amplified complaint (carrier c) arrives now. */
static void on_amplify(struct rs_world *w, struct rs_msg *c, double now)
{
    advance(w, now);
    struct chan_rt *ch = &w->chans[c->channel];
    const struct rs_type_cfg *tc = &w->sc->types[c->type];
    struct new_msg nm = {.channel = c->channel,
                         .type = c->type,
                         .handle_s = NAN,
                         .followers = rs_dist_draw(&tc->followers, ch->rng_amplify),
                         .rng_handle = ch->rng_amplify,
                         .rng_patience = ch->rng_amplify,
                         .fresh = 1,
                         .amplified = 1};
    post(w, &nm, now);
    msg_free(w, c);
}

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
                dequeue(w, o, now);
                msg_free(w, o);
            }
        }
        if (w->conversations) converse(w, m, a, now);
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
                         .rng_patience = tr->rng_followup,
                         .from = m};
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
    if (w->amplifies) amplify(w, m, now);
    if (w->abandon_leave) {
        dequeue(w, m, now);
        settle(w, m, RS_FATE_ABANDONED, now);
        after_lapse(w, m, now); /* a follow-up joins the thread before m leaves it */
        msg_free(w, m);
        return;
    }
    rs_policy_lapse(&w->queues[queue_index(w, m)], m);
    schedule_wait_event(w, m, now); /* the stale cut-off, if any */
    after_lapse(w, m, now);
}

static void on_stale(struct rs_world *w, struct rs_msg *m, double now)
{
    advance(w, now);
    dequeue(w, m, now);
    settle(w, m, RS_FATE_DROPPED, now);
    msg_free(w, m);
}

/* m, waiting for its agent, is due: dropped (max_age), lapsed (then it
 * waits on while its affinity lasts, unless it left), or its affinity is
 * over and any agent with the skill may take it. */
static void on_affinity(struct rs_world *w, struct rs_msg *m, double now)
{
    advance(w, now);
    struct agent *a = m->last_agent;
    if (w->max_age_s > 0 && m->arrive_s + w->max_age_s <= now) {
        mine_remove(w, a, m);
        settle(w, m, RS_FATE_DROPPED, now);
        msg_free(w, m);
        return;
    }
    if (!m->lapsed && w->types[m->type].lapse_event && m->deadline_s <= now) {
        m->lapsed = 1;
        amplify(w, m, now);
        if (w->abandon_leave) {
            mine_remove(w, a, m);
            settle(w, m, RS_FATE_ABANDONED, now);
            after_lapse(w, m, now);
            msg_free(w, m);
            return;
        }
        after_lapse(w, m, now);
        if (m->arrive_s + w->sc->types[m->type].affinity_s > now) {
            mine_schedule(w, m, now);
            return;
        }
    }
    mine_remove(w, a, m);
    offer(w, m, now);
}

/* ------------------------------------------------ overflow */

/* Arms queue q's timer, unless armed, for when its first message will have
 * waited overflow_s. */
static void overflow_arm(struct rs_world *w, int q, double now)
{
    struct qtimer *t = &w->qtimers[q];
    if (t->armed) return;
    struct rs_msg *h = rs_policy_peek(&w->queues[q], now);
    if (!h || h->arrive_s + w->overflow_after_s <= now) return; /* empty, or already free to all */
    t->armed = 1;
    rs_calendar_push(w->cal, &t->ev, h->arrive_s + w->overflow_after_s);
}

/* Queue q's first message has waited overflow_s: the agents with a free
 * slot in the pools on its channel that lack its type look again (the
 * specialists first), then the timer waits for the next first message. */
static void on_overflow(struct rs_world *w, struct qtimer *t, double now)
{
    advance(w, now);
    int q = (int)(t - w->qtimers);
    uint32_t bit = 1u << (q / w->nq);
    int type = q % w->nq;
    t->armed = 0;
    for (int i = 0; i < w->n_pools && w->waiting; i++) {
        struct pool_rt *p = &w->pools[w->pool_order[i]];
        if (!(p->channels & bit) || (p->types >> type & 1u)) continue;
        for (int j = 0; j < w->tl->pools[w->pool_order[i]].max_agents; j++)
            if (p->agents[j].state == AG_ON && p->agents[j].used < w->k)
                agent_fill(w, &p->agents[j], now);
    }
    overflow_arm(w, q, now);
}

/* ------------------------------------------------ surges */

/* m joins (delta 1) or leaves (-1) the queues: the surges of its skills
 * arm when their queue reaches queue>=N, and disarm when it falls below
 * before they come on. */
static void surge_count(struct rs_world *w, const struct rs_msg *m, int delta, double now)
{
    for (int i = 0; i < w->sc->n_surges; i++) {
        const struct rs_surge_cfg *c = &w->sc->surges[i];
        struct surge_rt *s = &w->surges[i];
        if (!(c->channels >> m->channel & 1u) || !(c->types >> m->type & 1u)) continue;
        s->waiting = delta > 0 ? s->waiting + 1 : s->waiting - 1;
        if (s->state == SU_IDLE && s->waiting >= (uint64_t)c->queue_min) {
            s->state = SU_ARMED;
            rs_calendar_push(w->cal, &s->ev, now + c->after_s);
        } else if (s->state == SU_ARMED && s->waiting < (uint64_t)c->queue_min) {
            s->state = SU_IDLE;
            rs_calendar_remove(w->cal, &s->ev);
        }
    }
}

/* Surge agents' time on in [from, to] that falls in the statistics window. */
static void surge_time(struct rs_world *w, const struct rs_surge_cfg *c, double from, double to)
{
    double a = from > w->warmup_s ? from : w->warmup_s, b = to < w->horizon_s ? to : w->horizon_s;
    if (b > a) w->conv[0].surge_agent_s += c->agents * (b - a);
}

static void agent_on(struct rs_world *w, struct pool_rt *p, double now);
static struct agent *agent_off(struct rs_world *w, struct pool_rt *p, double now);

/* Surge s comes on (armed) or goes off (on); off, it arms again when its
 * queue is still long. */
static void on_surge(struct rs_world *w, struct surge_rt *s, double now)
{
    advance(w, now);
    int i = (int)(s - w->surges);
    const struct rs_surge_cfg *c = &w->sc->surges[i];
    struct pool_rt *p = &w->pools[w->tl->first_surge + i];
    if (s->state == SU_ARMED) {
        s->state = SU_ON;
        s->on_s = now;
        rs_calendar_push(w->cal, &s->ev, now + c->for_s);
        for (int k = 0; k < c->agents; k++)
            agent_on(w, p, now);
        return;
    }
    surge_time(w, c, s->on_s, now);
    s->state = SU_IDLE;
    for (int k = 0; k < c->agents; k++)
        mine_flush(w, agent_off(w, p, now), now);
    if (s->waiting >= (uint64_t)c->queue_min) {
        s->state = SU_ARMED;
        rs_calendar_push(w->cal, &s->ev, now + c->after_s);
    }
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

static struct agent *agent_off(struct rs_world *w, struct pool_rt *p, double now)
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
        return a;
    }
    a->state = AG_LEAVING;
    p->leaving++;
    if (!w->handoff) {
        relist(w, a);
        return a;
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
        m->handle_s -= w->scaled ? (now - m->take_s) / m->svc_factor : now - m->take_s;
        m->handed_back = 1;
        offer(w, m, now);
    }
    return a;
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
            mine_flush(w, agent_off(w, p, now), now);
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
    for (int i = 0; i < w->sc->n_surges; i++)
        if (w->surges[i].state == SU_ON) surge_time(w, &w->sc->surges[i], w->surges[i].on_s, now);
    for (int q = 0; q < w->n_queues; q++)
        rs_policy_drain(&w->queues[q], close_waiting, w);
    for (int i = 0; i < w->n_pools; i++) /* later turns waiting for their agent */
        for (int j = 0; j < w->tl->pools[i].max_agents; j++)
            for (struct agent *a = &w->pools[i].agents[j]; a->mine;) {
                struct rs_msg *m = a->mine;
                mine_remove(w, a, m);
                close_open(w, m, now);
            }
    /* of what is left in the calendar (staff changes past the end too),
     * the replies still being written */
    struct rs_event *ev;
    while ((ev = rs_calendar_pop(w->cal)))
        if (ev->kind == EV_REPLY) close_open(w, CONTAINER_OF(ev, struct rs_msg, ev), now);
    outcome_scopes(w);
    COPY_SINGLE_SCOPES(w, w->scopes);
    if (w->conv) COPY_SINGLE_SCOPES(w, w->conv);
    if (w->scopes_bh) COPY_SINGLE_SCOPES(w, w->scopes_bh);
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
        t->complaint = tc->needs_reply && (sc->outcome.complaint_types >> i & 1u);
        t->lapse_event = w->abandon_leave || tc->followup > 0 || tc->switch_p > 0 ||
                         w->ops->lapse != NULL || (t->complaint && rs_conv_amplifies(sc));
        t->bot = sc->bot > 0 && (sc->bot_types >> i & 1u);
        if (tc->reply_back > 0) t->rng_converse = stream(key, "converse", tc->name);
    }
    for (int i = 0; i < sc->n_channels; i++) {
        struct chan_rt *c = &w->chans[i];
        const struct rs_channel_cfg *cfg = &sc->channels[i];
        c->rng = stream(key, "arrivals", cfg->name);
        c->rng_day = stream(key, "dispersion", cfg->name);
        c->index = i;
        c->public_ = cfg->visibility == RS_PUBLIC;
        c->ev.kind = EV_ARRIVAL;
        rs_calendar_lane(w->cal, &c->ev); /* the first channels: pushed and popped once a message */
        c->trace = cfg->trace.n > 0 ? &cfg->trace : NULL;
        if (cfg->amplify > 0) c->rng_amplify = stream(key, "amplify", cfg->name);
        if (cfg->move > 0) c->rng_move = stream(key, "move", cfg->name);
        cumulate(cfg->mix, sc->n_types, c->cum_mix);
        if (!c->trace) rs_rate_init(&c->rate, sc, i, c->rng_day);
    }
    for (int i = 0; i < sc->n_bursts; i++) {
        struct burst_rt *b = &w->bursts[i];
        b->rng = stream(key, "burst", sc->bursts[i].name);
        b->index = i;
        b->ev.kind = EV_BURST;
        rs_calendar_lane(w->cal, &b->ev); /* when channels left a lane */
        cumulate(sc->bursts[i].mix, sc->n_types, b->cum_mix);
    }
}

/* The map of trace rows to their open messages, when a trace has
 * follow-ups; its log (track_rows) keeps it. */
static void create_rows(struct rs_world *w)
{
    const struct rs_scenario *sc = w->sc;
    for (int i = 0; i < sc->n_channels; i++) {
        const struct rs_trace *t = w->chans[i].trace;
        if (!t || !t->thread_of) continue;
        if (!w->rows) w->rows = rs_calloc((size_t)sc->n_channels, sizeof *w->rows);
        w->rows[i].id = rs_calloc((size_t)t->n, sizeof *w->rows[i].id);
        w->rows[i].msg = rs_calloc((size_t)t->n, sizeof *w->rows[i].msg);
    }
    if (!w->rows) return;
    w->log = track_rows;
    w->log_ctx = w;
}

/* The queues: one per channel, or, when the pools differ in the types
 * they answer, one per channel and type, so that a pool takes from those
 * of its skills only.  With overflow, a timer per queue. */
static void create_queues(struct rs_world *w)
{
    const struct rs_scenario *sc = w->sc;
    uint32_t all = sc->n_types >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_types) - 1;
    for (int i = 0; i < w->n_pools; i++) {
        const struct rs_pool_cfg *c = &w->tl->pools[i];
        if (c->types != all) w->tsplit = 1;
        if (c->speed != 1 || c->slowdown != 1) w->scaled = 1;
    }
    w->nq = w->tsplit ? sc->n_types : 1;
    w->n_queues = sc->n_channels * w->nq;
    w->queues = rs_calloc((size_t)w->n_queues, sizeof *w->queues);
    for (int q = 0; q < w->n_queues; q++)
        if (rs_policy_init(&w->queues[q], w->ops, sc) != 0) abort();
    if (sc->n_surges > 0) {
        w->surges = rs_calloc((size_t)sc->n_surges, sizeof *w->surges);
        for (int i = 0; i < sc->n_surges; i++)
            w->surges[i].ev.kind = EV_SURGE;
    }
    w->overflow_after_s = w->tsplit ? sc->overflow_s : 0;
    if (w->overflow_after_s > 0) {
        w->qtimers = rs_calloc((size_t)w->n_queues, sizeof *w->qtimers);
        for (int q = 0; q < w->n_queues; q++)
            w->qtimers[q].ev.kind = EV_OVERFLOW;
    }
    /* the specialist first: fewest types, then the order of the sections */
    w->pool_order = rs_calloc((size_t)w->n_pools + 1, sizeof *w->pool_order);
    for (int i = 0, n = 0; i < w->n_pools; i++) {
        int j = n++;
        int pc = __builtin_popcount(w->tl->pools[i].types);
        for (; j > 0 && __builtin_popcount(w->tl->pools[w->pool_order[j - 1]].types) > pc; j--)
            w->pool_order[j] = w->pool_order[j - 1];
        w->pool_order[j] = i;
    }
}

/* Pool p's skills from its configuration c, and the queues it takes from. */
static void pool_queues(struct rs_world *w, struct pool_rt *p, const struct rs_pool_cfg *c)
{
    const struct rs_scenario *sc = w->sc;
    p->channels = c->channels;
    p->types = c->types;
    p->speed = c->speed;
    p->slowdown = c->slowdown;
    p->q = rs_calloc((size_t)w->n_queues + 1, sizeof *p->q);
    p->oq = rs_calloc((size_t)w->n_queues + 1, sizeof *p->oq);
    for (int ch = 0; ch < sc->n_channels; ch++) {
        if (!(p->channels >> ch & 1u)) continue;
        int pub = w->chans[ch].public_;
        for (int t = 0; t < w->nq; t++) {
            int has = !w->tsplit || (p->types >> t & 1u);
            if (has)
                p->q[p->n_q++] = (struct pool_q){ch * w->nq + t, pub};
            else if (w->overflow_after_s > 0)
                p->oq[p->n_oq++] = (struct pool_q){ch * w->nq + t, pub};
        }
    }
}

/* The agents' pools, sized by the timeline's most agents, all off. */
static void create_pools(struct rs_world *w)
{
    const struct rs_scenario *sc = w->sc;
    w->tl = rs_timeline_create(sc, w->end_s);
    w->n_pools = w->tl->n_pools;
    w->pools = rs_calloc((size_t)w->n_pools + 1, sizeof *w->pools);
    create_queues(w);
    for (int i = 0, id0 = 0; i < w->n_pools; id0 += w->tl->pools[i++].max_agents) {
        struct pool_rt *p = &w->pools[i];
        pool_queues(w, p, &w->tl->pools[i]);
        int n = w->tl->pools[i].max_agents;
        p->agents = rs_calloc((size_t)n + 1, sizeof *p->agents);
        for (int j = n - 1; j >= 0; j--) {
            struct agent *a = &p->agents[j];
            a->pool = i;
            a->id = id0 + j + 1;
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
    create_rows(w);
    create_pools(w);
    int ns = rs_stats_n_scopes(sc);
    w->scopes_size = (size_t)ns * sizeof *w->scopes;
    w->scopes = mem_take(mem ? &mem->scopes : NULL, mem ? mem->scopes_size : 0, w->scopes_size);
    w->outcome = rs_calloc((size_t)sc->n_channels * (size_t)sc->n_types, sizeof *w->outcome);
    w->one_channel = sc->n_channels == 1;
    w->one_type = sc->n_types == 1;
    w->conversations = rs_conv_enabled(sc);
    w->amplifies = rs_conv_amplifies(sc);
    if (rs_conv_kept(sc)) w->conv = rs_calloc((size_t)ns, sizeof *w->conv);
    w->n_iv = rs_world_n_intervals(sc);
    w->iv_end = sc->interval_s;
    w->per_interval = 1.0 / sc->interval_s;
    if (rs_bizhours_init(&w->bh, sc)) {
        w->scopes_bh_size = (size_t)ns * sizeof *w->scopes_bh;
        w->scopes_bh = mem_take(mem ? &mem->scopes_bh : NULL, mem ? mem->scopes_bh_size : 0,
                                w->scopes_bh_size);
    }
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
        rs_rng_destroy(t->rng_converse);
    }
    for (int i = 0; i < sc->n_channels; i++) {
        rs_rng_destroy(w->chans[i].rng);
        rs_rng_destroy(w->chans[i].rng_day);
        rs_rng_destroy(w->chans[i].rng_amplify);
        rs_rng_destroy(w->chans[i].rng_move);
    }
    for (int q = 0; q < w->n_queues; q++)
        rs_policy_fini(&w->queues[q]);
    for (int i = 0; i < sc->n_bursts; i++)
        rs_rng_destroy(w->bursts[i].rng);
    for (int i = 0; i < w->n_pools; i++) {
        for (int j = 0; j < w->tl->pools[i].max_agents; j++)
            free(w->pools[i].agents[j].held);
        free(w->pools[i].agents);
        free(w->pools[i].q);
        free(w->pools[i].oq);
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
    free(w->pool_order);
    free(w->qtimers);
    free(w->surges);
    free(w->queues);
    for (int i = 0; w->rows && i < sc->n_channels; i++) {
        free(w->rows[i].id);
        free(w->rows[i].msg);
    }
    free(w->rows);
    free(w->chans);
    free(w->bursts);
    free(w->types);
    free(w->outcome);
    free(w->conv);
    mem_keep(mem ? &mem->scopes : NULL, mem ? &mem->scopes_size : NULL, w->scopes, w->scopes_size);
    if (w->scopes_bh)
        mem_keep(mem ? &mem->scopes_bh : NULL, mem ? &mem->scopes_bh_size : NULL, w->scopes_bh,
                 w->scopes_bh_size);
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
        case EV_TURN:
            on_turn(w, CONTAINER_OF(ev, struct rs_msg, ev), now);
            break;
        case EV_AMPLIFY:
            on_amplify(w, CONTAINER_OF(ev, struct rs_msg, ev), now);
            break;
        case EV_AFFINITY:
            on_affinity(w, CONTAINER_OF(ev, struct rs_msg, ev), now);
            break;
        case EV_OVERFLOW:
            on_overflow(w, CONTAINER_OF(ev, struct qtimer, ev), now);
            break;
        case EV_SURGE:
            on_surge(w, CONTAINER_OF(ev, struct surge_rt, ev), now);
            break;
        default:
            assert(0 && "unknown event kind");
        }
        if (w->overflowed) return RS_EINPUT;
    }
    return RS_OK;
}

void rs_world_metrics(const struct rs_world *w, double *out)
{
    rs_stats_compute(w->sc, w->scopes, &w->ts, w->conv, out);
    if (w->scopes_bh) rs_stats_compute_bh(w->sc, w->scopes, w->scopes_bh, out);
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
