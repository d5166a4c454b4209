/* stats.h: what one replication counts, per scope, and the metrics of
 * docs/scenario-reference.md section 8 computed from it (engine-internal).
 *
 * A scope is "all", one channel or one type; every counted message is
 * recorded in three scopes.  Counting is over messages that arrive in
 * [warmup, horizon); time averages are over the same window. */
#ifndef RS_STATS_H
#define RS_STATS_H

#include "histogram.h"
#include "replysim/outcome.h"
#include "replysim/scenario.h"
#include "replysim/world.h"

#include <stddef.h>
#include <string.h>
#include <stdint.h>

struct rs_scope_stats {
    uint64_t offered;   /* arrived */
    uint64_t needing;   /* of them, needing a reply */
    uint64_t blocked;   /* rejected by the inbox limit */
    uint64_t inbox;     /* needing a reply and not blocked */
    uint64_t waited;    /* found no free agent */
    uint64_t taken;     /* taken by an agent */
    uint64_t answered;  /* reply posted before the run stopped */
    uint64_t late;      /* answered after the patience deadline */
    uint64_t lapsed;    /* deadline passed before the reply (or with none) */
    uint64_t abandoned; /* withdrawn while waiting (abandon = leave) */
    uint64_t dropped;   /* dropped unanswered by max_age */
    uint64_t bot;       /* resolved by the bot on arrival */
    uint64_t followups; /* follow-up messages posted */
    uint64_t switches;  /* lapsed authors who moved channel */
    double wait_sum_s;  /* sum of waits of taken messages */
    double frt_sum_s;   /* sum of first response times */
    /* expected effects of the inbox messages' fates (outcome.h), added once
     * each fate is final; beside the counters a fate touches anyway */
    struct rs_outcome_sums outcome;
    /* by the first threshold met: [i] counts values in (within_s[i-1],
     * within_s[i]], [n_within] those above all; "within T" sums a prefix,
     * so recording costs one increment whatever the number of thresholds */
    uint64_t wait_first[RS_MAX_WITHIN + 1];
    uint64_t sl_first[RS_MAX_WITHIN + 1];
    struct rs_hist wait; /* waits of taken messages */
    struct rs_hist frt;  /* first response times */
};

struct rs_time_stats {
    double window_s;      /* horizon - warmup */
    double busy_area;     /* integral of busy agents over the window */
    double queue_area;    /* integral of waiting messages over the window */
    double agent_area;    /* integral of agents on shift over the window */
    uint64_t queue_max;   /* most messages waiting at once in the window */
    uint64_t backlog_end; /* messages open when the run stopped */
};

/* Per stats interval, by time: arrivals and replies in the interval,
 * and the fate of the inbox messages that arrived in it.  The response
 * time histogram is coarse (32 buckets a doubling from 1 s, so p90 is
 * within 1/64 = 1.6%) to keep a week of hourly intervals small. */
#define RS_IHIST_SUB 32
#define RS_IHIST_OCTAVES 26 /* 1 s .. 2^26 s (2 years) */
#define RS_IHIST_BUCKETS (1 + RS_IHIST_SUB * RS_IHIST_OCTAVES)
#define RS_IHIST_REL_ERROR (1.0 / 64.0)

struct rs_interval_stats {
    uint32_t arrivals;                    /* messages arrived (all, counted or not) */
    uint32_t replies;                     /* replies posted by agents */
    uint32_t inbox;                       /* arrived, needing a reply, not blocked */
    uint32_t answered;                    /* of those, answered (at any time) */
    uint32_t sl_first[RS_MAX_WITHIN + 1]; /* of those, answered, by first threshold met */
    double frt_sum_s;
    double queue_area; /* integral of waiting messages */
    double agent_area; /* integral of agents working */
    double busy_area;  /* integral of agents' handling */
    uint32_t frt[RS_IHIST_BUCKETS];
};

/* Business-hours figures (with [policy] hours only, see bizhours.h): the
 * response times of the answered messages on the business clock, kept
 * apart from the scope and interval counts so that a run without hours
 * carries none of their memory.  The answered and inbox counts are the
 * scope's or interval's own. */
struct rs_scope_bh {
    double frt_sum_s;
    uint64_t sl_first[RS_MAX_WITHIN + 1]; /* answered, by first threshold met */
    struct rs_hist frt;
};

struct rs_interval_bh {
    double frt_sum_s;
    uint32_t sl_first[RS_MAX_WITHIN + 1];
    uint32_t frt[RS_IHIST_BUCKETS];
};

/* Interval metrics: arrivals, replies, inbox, sl_T..., [sl_bh_T...],
 * frt_mean_s, frt_p90_s, [frt_bh_mean_s, frt_bh_p50_s, frt_bh_p90_s],
 * queue_mean, agents, occupancy; the bracketed ones with [policy] hours. */
int rs_stats_n_interval_metrics(const struct rs_scenario *sc);
void rs_stats_interval_metric_name(const struct rs_scenario *sc, int metric, char *buf, size_t len);
/* Fills out[metric] for one interval of width width_s (the business-hours
 * metrics NaN: rs_stats_interval_compute_bh fills them). */
void rs_stats_interval_compute(const struct rs_scenario *sc, const struct rs_interval_stats *iv,
                               double width_s, double *out);
void rs_stats_interval_compute_bh(const struct rs_scenario *sc, const struct rs_interval_stats *iv,
                                  const struct rs_interval_bh *bh, double *out);

static inline void rs_ihist_add(uint32_t *h, double v)
{
    if (!(v >= 1.0)) {
        h[0]++;
        return;
    }
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    /* exponent and top 5 bits of the mantissa: octave and its 32nds */
    int idx = 1 + (int)(((bits >> 52) - 1023) << 5 | ((bits >> 47) & 31));
    if (idx >= RS_IHIST_BUCKETS) idx = RS_IHIST_BUCKETS - 1;
    h[idx]++;
}

/* The p-quantile of an interval histogram of total values, as the midpoint
 * of its bucket (0.5 for the bucket below 1 s); NaN when total is 0. */
double rs_ihist_quantile(const uint32_t *h, uint32_t total, double p);

/* Scopes: 0 = all, 1..n_channels = channels, then types. */
int rs_stats_n_scopes(const struct rs_scenario *sc);
void rs_stats_scope_name(const struct rs_scenario *sc, int scope, char *buf, size_t len);

/* Metrics in the order of docs/scenario-reference.md section 8's table: the fixed ones, the
 * within-T families, then the seven outcome metrics last. */
int rs_stats_n_metrics(const struct rs_scenario *sc);
void rs_stats_metric_name(const struct rs_scenario *sc, int metric, char *buf, size_t len);

/* Fills out[metric * n_scopes + scope]; NaN where undefined, which includes
 * the system-wide metrics (occupancy, queue, backlog) outside scope all.
 * The outcome metrics are sums, defined in every scope.  conv: the counts
 * of the conversation family per scope (stats_conv.h), NULL when sc has
 * none. */
struct rs_conv_stats;
void rs_stats_compute(const struct rs_scenario *sc, const struct rs_scope_stats *scopes,
                      const struct rs_time_stats *ts, const struct rs_conv_stats *conv,
                      double *out);
/* Fills the business-hours metrics of out (as rs_stats_compute lays it
 * out; it leaves them NaN) from bh[scope], one per scope. */
void rs_stats_compute_bh(const struct rs_scenario *sc, const struct rs_scope_stats *scopes,
                         const struct rs_scope_bh *bh, double *out);

/* Index of the first threshold x meets (x <= within_s[i]), n_within when none. */
static inline int rs_stats_within_index(const struct rs_scenario *sc, double x)
{
    int i = 0;
    while (i < sc->n_within && x > sc->within_s[i])
        i++;
    return i;
}

/* Recording: the world calls these, never writes the fields itself.  The
 * scope ones record into one scope (the world calls them once per scope a
 * message counts in) and are inlined: they run per message.  within is
 * rs_stats_within_index of the wait or response time. */

/* A counted message arrived: whether it needs a reply, and whether it is a
 * lapsed author's follow-up in its thread. */
static inline void rs_stats_arrived(struct rs_scope_stats *s, int needs_reply, int followup)
{
    s->offered++;
    s->needing += (uint64_t)needs_reply;
    s->followups += (uint64_t)followup;
}

/* It entered the inbox (needs a reply, not blocked). */
static inline void rs_stats_entered(struct rs_scope_stats *s) { s->inbox++; }

/* It found no free agent and waits. */
static inline void rs_stats_waited(struct rs_scope_stats *s) { s->waited++; }

/* Its author lapsed and posts again on another channel. */
static inline void rs_stats_switched(struct rs_scope_stats *s) { s->switches++; }

/* An agent took it after waiting wait_s (its first take only). */
static inline void rs_stats_taken(struct rs_scope_stats *s, double wait_s, int within)
{
    s->taken++;
    s->wait_sum_s += wait_s;
    rs_hist_add(&s->wait, wait_s);
    s->wait_first[within]++;
}

/* Answered (by an agent, its thread's reply or the bot) with first response
 * time frt_s; late: after its deadline; lapsed: by the world's one rule. */
static inline void rs_stats_answered(struct rs_scope_stats *s, double frt_s, int within, int late,
                                     int lapsed, int bot)
{
    s->answered++;
    s->frt_sum_s += frt_s;
    rs_hist_add(&s->frt, frt_s);
    if (late) s->late++;
    if (lapsed) s->lapsed++;
    if (bot) s->bot++;
    s->sl_first[within]++;
}

/* The same answered message's business-hours response time frt_bh_s, and
 * within: rs_stats_within_index of it. */
static inline void rs_stats_answered_bh(struct rs_scope_bh *s, double frt_bh_s, int within)
{
    s->frt_sum_s += frt_bh_s;
    rs_hist_add(&s->frt, frt_bh_s);
    s->sl_first[within]++;
}

/* Not answered: fate is RS_FATE_ABANDONED, _DROPPED, _BLOCKED or _OPEN. */
static inline void rs_stats_unanswered(struct rs_scope_stats *s, enum rs_fate fate, int lapsed)
{
    if (fate == RS_FATE_ABANDONED)
        s->abandoned++;
    else if (fate == RS_FATE_DROPPED)
        s->dropped++;
    else if (fate == RS_FATE_BLOCKED)
        s->blocked++;
    if (lapsed) s->lapsed++;
}

/* Adds expected outcomes (outcome.h) to the scope's sums. */
static inline void rs_stats_add_outcome(struct rs_scope_stats *s, const struct rs_outcome_sums *d)
{
    rs_outcome_sum(&s->outcome, d);
}

/* Fills out[i] with the share of the scope's inbox answered within t_s[i]
 * (from its response time histogram; NaN with an empty inbox), i < n. */
void rs_stats_latency(const struct rs_scope_stats *s, const double *t_s, int n, double *out);

/* Per interval: a message arrived; it entered the inbox; an agent replied. */
static inline void rs_stats_interval_arrived(struct rs_interval_stats *iv) { iv->arrivals++; }
static inline void rs_stats_interval_entered(struct rs_interval_stats *iv) { iv->inbox++; }
static inline void rs_stats_interval_replied(struct rs_interval_stats *iv) { iv->replies++; }

/* A message that arrived in the interval is answered after frt_s. */
static inline void rs_stats_interval_answered(struct rs_interval_stats *iv, double frt_s,
                                              int within)
{
    iv->answered++;
    iv->frt_sum_s += frt_s;
    rs_ihist_add(iv->frt, frt_s);
    iv->sl_first[within]++;
}

/* ... and its business-hours response time (bizhours.h). */
static inline void rs_stats_interval_answered_bh(struct rs_interval_bh *bh, double frt_bh_s,
                                                 int within)
{
    bh->frt_sum_s += frt_bh_s;
    rs_ihist_add(bh->frt, frt_bh_s);
    bh->sl_first[within]++;
}

/* The interval's integrals of agents' handling, waiting messages and agents
 * working, once it is over. */
static inline void rs_stats_interval_close(struct rs_interval_stats *iv, double busy, double queue,
                                           double agents)
{
    iv->busy_area = busy;
    iv->queue_area = queue;
    iv->agent_area = agents;
}

/* The statistics window: its width; it opens with waiting messages in
 * the inbox; the queue is seen at waiting (the most is kept); it closes
 * with the window's integrals (as rs_stats_interval_close); the run stops
 * with open messages not yet answered or gone. */
static inline void rs_stats_window(struct rs_time_stats *ts, double window_s)
{
    ts->window_s = window_s;
}

static inline void rs_stats_window_open(struct rs_time_stats *ts, uint64_t waiting)
{
    ts->queue_max = waiting;
}

static inline void rs_stats_queue_seen(struct rs_time_stats *ts, uint64_t waiting)
{
    if (waiting > ts->queue_max) ts->queue_max = waiting;
}

static inline void rs_stats_window_close(struct rs_time_stats *ts, double busy, double queue,
                                         double agents)
{
    ts->busy_area = busy;
    ts->queue_area = queue;
    ts->agent_area = agents;
}

static inline void rs_stats_stopped(struct rs_time_stats *ts, uint64_t open)
{
    ts->backlog_end = open;
}

#endif
