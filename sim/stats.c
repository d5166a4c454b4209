/* stats.c: metric names and their values from one replication's counts. */
#include "stats.h"

#include "replysim/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The fixed metrics, in the README's order; the within-T families are spliced in
 * after wait_p99_s (wait_within_T) and frt_p99_s (sl_T).  The system-wide
 * metrics (M_OCCUPANCY .. M_BACKLOG_END) are defined in scope all only;
 * the outcome metrics after them (expected values, outcome.h) in every
 * scope. */
enum {
    M_OFFERED,
    M_NEEDING,
    M_RESPONSE,
    M_LATE,
    M_LAPSED,
    M_ABANDON,
    M_DROPPED,
    M_BLOCKED,
    M_BOT,
    M_WAITED,
    M_WAIT_MEAN,
    M_WAIT_P50,
    M_WAIT_P90,
    M_WAIT_P95,
    M_WAIT_P99,
    M_FRT_MEAN,
    M_FRT_P50,
    M_FRT_P90,
    M_FRT_P95,
    M_FRT_P99,
    M_FOLLOWUPS,
    M_SWITCHES,
    M_OCCUPANCY,
    M_QUEUE_MEAN,
    M_QUEUE_MAX,
    M_BACKLOG_END,
    M_RECOMMENDERS,
    M_SPEND_UPLIFT,
    M_DEFECTORS,
    M_NEGATIVE_POSTS,
    M_NEGATIVE_REACH,
    M_POSITIVE_SHARES,
    M_ONLOOKER_LOSS,
    M_FIXED
};

static const char *const fixed_names[M_FIXED] = {
    "offered",        "needing_reply",   "response_rate", "answered_late_rate", "lapsed_rate",
    "abandon_rate",   "dropped_rate",    "blocked_rate",  "bot_rate",           "waited_rate",
    "wait_mean_s",    "wait_p50_s",      "wait_p90_s",    "wait_p95_s",         "wait_p99_s",
    "frt_mean_s",     "frt_p50_s",       "frt_p90_s",     "frt_p95_s",          "frt_p99_s",
    "followups",      "switches",        "occupancy",     "queue_mean",         "queue_max",
    "backlog_end",    "recommenders",    "spend_uplift",  "defectors",          "negative_posts",
    "negative_reach", "positive_shares", "onlooker_loss",
};

static const double quantiles[4] = {0.50, 0.90, 0.95, 0.99};

int rs_stats_n_scopes(const struct rs_scenario *sc) { return 1 + sc->n_channels + sc->n_types; }

void rs_stats_scope_name(const struct rs_scenario *sc, int scope, char *buf, size_t len)
{
    if (scope == 0)
        snprintf(buf, len, "all");
    else if (scope <= sc->n_channels)
        snprintf(buf, len, "channel:%s", sc->channels[scope - 1].name);
    else
        snprintf(buf, len, "type:%s", sc->types[scope - 1 - sc->n_channels].name);
}

int rs_stats_n_metrics(const struct rs_scenario *sc) { return M_FIXED + 2 * sc->n_within; }

/* Maps a metric index to (fixed id, within index or -1, family 0/1). */
static int classify(const struct rs_scenario *sc, int metric, int *within, int *family)
{
    int n = sc->n_within;
    *within = -1;
    *family = -1;
    if (metric <= M_WAIT_P99) return metric;
    if (metric <= M_WAIT_P99 + n) {
        *within = metric - M_WAIT_P99 - 1;
        *family = 0;
        return -1;
    }
    metric -= n;
    if (metric <= M_FRT_P99) return metric;
    if (metric <= M_FRT_P99 + n) {
        *within = metric - M_FRT_P99 - 1;
        *family = 1;
        return -1;
    }
    return metric - n;
}

void rs_stats_metric_name(const struct rs_scenario *sc, int metric, char *buf, size_t len)
{
    int w, fam;
    int id = classify(sc, metric, &w, &fam);
    if (id >= 0) {
        snprintf(buf, len, "%s", fixed_names[id]);
        return;
    }
    char label[32];
    rs_units_label_duration(sc->within_s[w], label, sizeof label);
    snprintf(buf, len, "%s%s", fam == 0 ? "wait_within_" : "sl_", label);
}

static double ratio(uint64_t num, uint64_t den) { return den ? (double)num / (double)den : NAN; }

/* Values within threshold w from counts by first threshold met. */
static uint64_t prefix(const uint64_t *first, int w)
{
    uint64_t n = 0;
    for (int i = 0; i <= w; i++)
        n += first[i];
    return n;
}

static double fixed_value(int id, const struct rs_scope_stats *s, const struct rs_time_stats *ts)
{
    switch (id) {
    case M_OFFERED:
        return (double)s->offered;
    case M_NEEDING:
        return (double)s->needing;
    case M_RESPONSE:
        return ratio(s->answered, s->inbox);
    case M_LATE:
        return ratio(s->late, s->inbox);
    case M_LAPSED:
        return ratio(s->lapsed, s->inbox);
    case M_ABANDON:
        return ratio(s->abandoned, s->inbox);
    case M_DROPPED:
        return ratio(s->dropped, s->inbox);
    case M_BLOCKED:
        return ratio(s->blocked, s->needing);
    case M_BOT:
        return ratio(s->bot, s->inbox);
    case M_WAITED:
        return ratio(s->waited, s->inbox);
    case M_WAIT_MEAN:
        return s->taken ? s->wait_sum_s / (double)s->taken : NAN;
    case M_WAIT_P50:
    case M_WAIT_P90:
    case M_WAIT_P95:
    case M_WAIT_P99:
        return rs_hist_quantile(&s->wait, quantiles[id - M_WAIT_P50]);
    case M_FRT_MEAN:
        return s->answered ? s->frt_sum_s / (double)s->answered : NAN;
    case M_FRT_P50:
    case M_FRT_P90:
    case M_FRT_P95:
    case M_FRT_P99:
        return rs_hist_quantile(&s->frt, quantiles[id - M_FRT_P50]);
    case M_FOLLOWUPS:
        return (double)s->followups;
    case M_SWITCHES:
        return (double)s->switches;
    case M_OCCUPANCY:
        return ts->agent_area > 0 ? ts->busy_area / ts->agent_area : NAN;
    case M_QUEUE_MEAN:
        return ts->window_s > 0 ? ts->queue_area / ts->window_s : NAN;
    case M_QUEUE_MAX:
        return (double)ts->queue_max;
    case M_BACKLOG_END:
        return (double)ts->backlog_end;
    case M_RECOMMENDERS:
        return s->outcome.recommenders;
    case M_SPEND_UPLIFT:
        return s->outcome.spend_uplift;
    case M_DEFECTORS:
        return s->outcome.defectors;
    case M_NEGATIVE_POSTS:
        return s->outcome.negative_posts;
    case M_NEGATIVE_REACH:
        return s->outcome.negative_reach;
    case M_POSITIVE_SHARES:
        return s->outcome.positive_shares;
    case M_ONLOOKER_LOSS:
        return s->outcome.onlooker_loss;
    default:
        return NAN;
    }
}

void rs_stats_compute(const struct rs_scenario *sc, const struct rs_scope_stats *scopes,
                      const struct rs_time_stats *ts, double *out)
{
    int ns = rs_stats_n_scopes(sc), nm = rs_stats_n_metrics(sc);
    for (int m = 0; m < nm; m++) {
        int w, fam;
        int id = classify(sc, m, &w, &fam);
        for (int s = 0; s < ns; s++) {
            const struct rs_scope_stats *st = &scopes[s];
            double v;
            if (id >= M_OCCUPANCY && id <= M_BACKLOG_END && s > 0)
                v = NAN;
            else if (id >= 0)
                v = fixed_value(id, st, ts);
            else
                v = ratio(prefix(fam == 0 ? st->wait_first : st->sl_first, w), st->inbox);
            out[(size_t)m * (size_t)ns + (size_t)s] = v;
        }
    }
}

void rs_stats_latency(const struct rs_scope_stats *s, const double *t_s, int n, double *out)
{
    if (!s->inbox) {
        for (int i = 0; i < n; i++)
            out[i] = NAN;
        return;
    }
    rs_hist_counts_below(&s->frt, t_s, n, out); /* one pass: t_s ascends */
    for (int i = 0; i < n; i++)
        out[i] /= (double)s->inbox;
}

/* ------------------------------------------------ per interval */

enum { I_ARRIVALS, I_REPLIES, I_INBOX, I_FIXED_HEAD };
enum { I_FRT_MEAN, I_FRT_P90, I_QUEUE, I_AGENTS, I_OCCUPANCY, I_FIXED_TAIL };
static const char *const interval_head[I_FIXED_HEAD] = {"arrivals", "replies", "inbox"};
static const char *const interval_tail[I_FIXED_TAIL] = {"frt_mean_s", "frt_p90_s", "queue_mean",
                                                        "agents", "occupancy"};

int rs_stats_n_interval_metrics(const struct rs_scenario *sc)
{
    return I_FIXED_HEAD + sc->n_within + I_FIXED_TAIL;
}

void rs_stats_interval_metric_name(const struct rs_scenario *sc, int metric, char *buf, size_t len)
{
    if (metric < I_FIXED_HEAD) {
        snprintf(buf, len, "%s", interval_head[metric]);
    } else if (metric < I_FIXED_HEAD + sc->n_within) {
        char label[32];
        rs_units_label_duration(sc->within_s[metric - I_FIXED_HEAD], label, sizeof label);
        snprintf(buf, len, "sl_%s", label);
    } else {
        snprintf(buf, len, "%s", interval_tail[metric - I_FIXED_HEAD - sc->n_within]);
    }
}

double rs_ihist_quantile(const uint32_t *h, uint32_t total, double p)
{
    if (!total) return NAN;
    double r = ceil(p * total);
    uint32_t rank = r < 1 ? 1 : (uint32_t)r, seen = 0;
    for (int i = 0; i < RS_IHIST_BUCKETS; i++) {
        seen += h[i];
        if (seen < rank) continue;
        if (i == 0) return 0.5;
        int e = (i - 1) / RS_IHIST_SUB, m = (i - 1) % RS_IHIST_SUB;
        return ldexp(1.0 + (m + 0.5) / RS_IHIST_SUB, e);
    }
    return NAN;
}

void rs_stats_interval_compute(const struct rs_scenario *sc, const struct rs_interval_stats *iv,
                               double width_s, double *out)
{
    int k = 0;
    out[k++] = iv->arrivals;
    out[k++] = iv->replies;
    out[k++] = iv->inbox;
    uint64_t within = 0;
    for (int i = 0; i < sc->n_within; i++) {
        within += iv->sl_first[i];
        out[k++] = ratio(within, iv->inbox);
    }
    out[k++] = iv->answered ? iv->frt_sum_s / iv->answered : NAN;
    out[k++] = rs_ihist_quantile(iv->frt, iv->answered, 0.90);
    out[k++] = iv->queue_area / width_s;
    out[k++] = iv->agent_area / width_s;
    out[k++] = iv->agent_area > 0 ? iv->busy_area / iv->agent_area : NAN;
}
