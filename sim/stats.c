/* stats.c: metric names and their values from one replication's counts. */
#include "stats.h"

#include "stats_conv.h"

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

/* The business-hours family after sl_T (with [policy] hours): sl_bh_T for
 * each threshold, then these. */
enum { BH_FRT_MEAN, BH_FRT_P50, BH_FRT_P90, BH_FRT };
static const char *const bh_frt_names[BH_FRT] = {"frt_bh_mean_s", "frt_bh_p50_s", "frt_bh_p90_s"};
static const double bh_quantiles[BH_FRT] = {NAN, 0.50, 0.90};

/* Metrics of the business-hours family: none without [policy] hours. */
static int n_bh(const struct rs_scenario *sc)
{
    return sc->n_hours > 0 ? sc->n_within + BH_FRT : 0;
}

/* The fixed metrics with their within-T and business-hours families, then
 * the conversation family when the scenario has one (stats_conv.h). */
static int base_metrics(const struct rs_scenario *sc)
{
    return M_FIXED + 2 * sc->n_within + n_bh(sc);
}

int rs_stats_n_metrics(const struct rs_scenario *sc)
{
    return base_metrics(sc) + rs_conv_n_metrics(sc);
}

/* Maps a metric index to (fixed id, or -1 and a family: 0 wait_within_T,
 * 1 sl_T, 2 sl_bh_T with within its threshold; 3 frt_bh_* with within its
 * BH_FRT_* index). */
static int classify(const struct rs_scenario *sc, int metric, int *within, int *family)
{
    int n = sc->n_within, nb = n_bh(sc);
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
    metric -= n;
    if (metric <= M_FRT_P99 + nb) {
        int k = metric - M_FRT_P99 - 1;
        *within = k < n ? k : k - n;
        *family = k < n ? 2 : 3;
        return -1;
    }
    return metric - nb;
}

void rs_stats_metric_name(const struct rs_scenario *sc, int metric, char *buf, size_t len)
{
    int w, fam;
    if (metric >= base_metrics(sc)) {
        rs_conv_metric_name(sc, metric - base_metrics(sc), buf, len);
        return;
    }
    int id = classify(sc, metric, &w, &fam);
    if (id >= 0) {
        snprintf(buf, len, "%s", fixed_names[id]);
        return;
    }
    if (fam == 3) {
        snprintf(buf, len, "%s", bh_frt_names[w]);
        return;
    }
    static const char *const prefixes[3] = {"wait_within_", "sl_", "sl_bh_"};
    char label[32];
    rs_units_label_duration(sc->within_s[w], label, sizeof label);
    snprintf(buf, len, "%s%s", prefixes[fam], label);
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
                      const struct rs_time_stats *ts, const struct rs_conv_stats *conv, double *out)
{
    int ns = rs_stats_n_scopes(sc), nm = base_metrics(sc), nc = rs_conv_n_metrics(sc);
    for (int j = 0; j < nc; j++)
        for (int s = 0; s < ns; s++)
            out[(size_t)(nm + j) * (size_t)ns + (size_t)s] =
                conv ? rs_conv_value(sc, &conv[s], s, j) : NAN;
    for (int m = 0; m < nm; m++) {
        int w, fam;
        int id = classify(sc, m, &w, &fam);
        for (int s = 0; s < ns; s++) {
            const struct rs_scope_stats *st = &scopes[s];
            double v;
            if ((id >= M_OCCUPANCY && id <= M_BACKLOG_END && s > 0) || fam >= 2)
                v = NAN; /* business hours: rs_stats_compute_bh */
            else if (id >= 0)
                v = fixed_value(id, st, ts);
            else
                v = ratio(prefix(fam == 0 ? st->wait_first : st->sl_first, w), st->inbox);
            out[(size_t)m * (size_t)ns + (size_t)s] = v;
        }
    }
}

void rs_stats_compute_bh(const struct rs_scenario *sc, const struct rs_scope_stats *scopes,
                         const struct rs_scope_bh *bh, double *out)
{
    int ns = rs_stats_n_scopes(sc), nm = rs_stats_n_metrics(sc);
    for (int m = 0; m < nm; m++) {
        int w, fam;
        classify(sc, m, &w, &fam);
        if (fam < 2) continue;
        for (int s = 0; s < ns; s++) {
            const struct rs_scope_stats *st = &scopes[s];
            double v;
            if (fam == 2)
                v = ratio(prefix(bh[s].sl_first, w), st->inbox);
            else if (w == BH_FRT_MEAN)
                v = st->answered ? bh[s].frt_sum_s / (double)st->answered : NAN;
            else
                v = rs_hist_quantile(&bh[s].frt, bh_quantiles[w]);
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
    return I_FIXED_HEAD + sc->n_within + I_FIXED_TAIL + n_bh(sc);
}

/* With [policy] hours the interval metrics are head, sl_T..., sl_bh_T...,
 * frt_mean_s, frt_p90_s, frt_bh_*, then the rest of the tail: each
 * business-hours metric beside its elapsed-time sibling.  Index of the
 * first sl_bh_T and of the first frt_bh_* (-1 without hours). */
static int iv_sl_bh(const struct rs_scenario *sc)
{
    return sc->n_hours > 0 ? I_FIXED_HEAD + sc->n_within : -1;
}

static int iv_frt_bh(const struct rs_scenario *sc)
{
    return sc->n_hours > 0 ? I_FIXED_HEAD + 2 * sc->n_within + I_QUEUE : -1;
}

void rs_stats_interval_metric_name(const struct rs_scenario *sc, int metric, char *buf, size_t len)
{
    int n = sc->n_within, bh = iv_sl_bh(sc), fb = iv_frt_bh(sc);
    char label[32];
    if (metric < I_FIXED_HEAD) {
        snprintf(buf, len, "%s", interval_head[metric]);
    } else if (metric < I_FIXED_HEAD + n) {
        rs_units_label_duration(sc->within_s[metric - I_FIXED_HEAD], label, sizeof label);
        snprintf(buf, len, "sl_%s", label);
    } else if (bh >= 0 && metric < bh + n) {
        rs_units_label_duration(sc->within_s[metric - bh], label, sizeof label);
        snprintf(buf, len, "sl_bh_%s", label);
    } else if (fb >= 0 && metric >= fb && metric < fb + BH_FRT) {
        snprintf(buf, len, "%s", bh_frt_names[metric - fb]);
    } else {
        int k = metric - I_FIXED_HEAD - n - (bh >= 0 ? n : 0);
        if (fb >= 0 && metric >= fb + BH_FRT) k -= BH_FRT;
        snprintf(buf, len, "%s", interval_tail[k]);
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
    for (int i = 0; i < n_bh(sc) - BH_FRT; i++)
        out[k++] = NAN; /* sl_bh_T: rs_stats_interval_compute_bh */
    out[k++] = iv->answered ? iv->frt_sum_s / iv->answered : NAN;
    out[k++] = rs_ihist_quantile(iv->frt, iv->answered, 0.90);
    for (int i = 0; i < BH_FRT && sc->n_hours > 0; i++)
        out[k++] = NAN; /* frt_bh_* */
    out[k++] = iv->queue_area / width_s;
    out[k++] = iv->agent_area / width_s;
    out[k++] = iv->agent_area > 0 ? iv->busy_area / iv->agent_area : NAN;
}

void rs_stats_interval_compute_bh(const struct rs_scenario *sc, const struct rs_interval_stats *iv,
                                  const struct rs_interval_bh *bh, double *out)
{
    int k = iv_sl_bh(sc);
    if (k < 0) return;
    uint64_t within = 0;
    for (int i = 0; i < sc->n_within; i++) {
        within += bh->sl_first[i];
        out[k++] = ratio(within, iv->inbox);
    }
    k = iv_frt_bh(sc);
    out[k++] = iv->answered ? bh->frt_sum_s / iv->answered : NAN;
    out[k++] = rs_ihist_quantile(bh->frt, iv->answered, 0.50);
    out[k++] = rs_ihist_quantile(bh->frt, iv->answered, 0.90);
}
