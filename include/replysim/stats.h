/* stats.h: what one replication counts, per scope, and the metrics of SPEC
 * section 8 computed from it (engine-internal).
 *
 * A scope is "all", one channel or one type; every counted message is
 * recorded in three scopes.  Counting is over messages that arrive in
 * [warmup, horizon); time averages are over the same window. */
#ifndef RS_STATS_H
#define RS_STATS_H

#include "replysim/histogram.h"
#include "replysim/scenario.h"

#include <stddef.h>
#include <stdint.h>

struct rs_scope_stats {
    uint64_t offered;      /* arrived */
    uint64_t needing;      /* of them, needing a reply */
    uint64_t blocked;      /* rejected by the inbox limit */
    uint64_t inbox;        /* needing a reply and not blocked */
    uint64_t waited;       /* found no free agent */
    uint64_t taken;        /* taken by an agent */
    uint64_t answered;     /* reply posted before the run stopped */
    uint64_t late;         /* answered after the patience deadline */
    uint64_t lapsed;       /* deadline passed before the reply (or with none) */
    uint64_t abandoned;    /* withdrawn while waiting (abandon = leave) */
    double wait_sum_s;     /* sum of waits of taken messages */
    double frt_sum_s;      /* sum of first response times */
    uint64_t wait_within[RS_MAX_WITHIN]; /* taken within within_s[i] */
    uint64_t sl_within[RS_MAX_WITHIN];   /* answered within within_s[i] */
    struct rs_hist wait;   /* waits of taken messages */
    struct rs_hist frt;    /* first response times */
};

struct rs_time_stats {
    double window_s;       /* horizon - warmup */
    double busy_area;      /* integral of busy agents over the window */
    double queue_area;     /* integral of waiting messages over the window */
    double agent_area;     /* integral of agents on shift over the window */
    uint64_t queue_max;    /* most messages waiting at once in the window */
    uint64_t backlog_end;  /* messages open when the run stopped */
};

/* Scopes: 0 = all, 1..n_channels = channels, then types. */
int rs_stats_n_scopes(const struct rs_scenario *sc);
void rs_stats_scope_name(const struct rs_scenario *sc, int scope, char *buf, size_t len);

/* Metrics in the order of SPEC section 8's table. */
int rs_stats_n_metrics(const struct rs_scenario *sc);
void rs_stats_metric_name(const struct rs_scenario *sc, int metric, char *buf, size_t len);

/* Fills out[metric * n_scopes + scope]; NaN where undefined, which includes
 * the system-wide metrics (occupancy, queue, backlog) outside scope all. */
void rs_stats_compute(const struct rs_scenario *sc, const struct rs_scope_stats *scopes,
                      const struct rs_time_stats *ts, double *out);

/* Records into one scope; inlined because they run per message. */
static inline void rs_stats_taken(struct rs_scope_stats *s, const struct rs_scenario *sc,
                                  double wait_s)
{
    s->taken++;
    s->wait_sum_s += wait_s;
    rs_hist_add(&s->wait, wait_s);
    for (int i = sc->n_within - 1; i >= 0 && wait_s <= sc->within_s[i]; i--) s->wait_within[i]++;
}

static inline void rs_stats_answered(struct rs_scope_stats *s, const struct rs_scenario *sc,
                                     double frt_s, int late)
{
    s->answered++;
    s->frt_sum_s += frt_s;
    rs_hist_add(&s->frt, frt_s);
    if (late) {
        s->late++;
        s->lapsed++;
    }
    for (int i = sc->n_within - 1; i >= 0 && frt_s <= sc->within_s[i]; i--) s->sl_within[i]++;
}

#endif
