/* observed.c: a log's metrics, counted as the simulator counts its own
 * (stats.c), from each message's log fields (observed.h). */
#include "replysim/observed.h"

#include "histogram.h"
#include "replysim/alloc.h"
#include "replysim/units.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The counts of one interval: as struct rs_interval_stats, with the
 * wait and the abandoned beside them. */
struct obs_interval {
    uint32_t offered, inbox, answered, abandoned, taken;
    double wait_sum_s, frt_sum_s;
    uint32_t sl_first[RS_MAX_WITHIN + 1]; /* answered, by first threshold met */
    uint32_t frt[RS_IHIST_BUCKETS];       /* coarse, as intervals.csv */
};

/* The whole log: as struct rs_scope_stats. */
struct obs_whole {
    uint64_t offered, inbox, answered, abandoned, taken;
    double wait_sum_s, frt_sum_s;
    uint64_t sl_first[RS_MAX_WITHIN + 1];
    struct rs_hist frt; /* fine, as summary.csv */
};

struct rs_observed {
    struct rs_observed_cfg cfg;
    uint64_t outside;
    struct obs_whole whole;
    struct obs_interval *iv; /* [cfg.n_intervals] */
};

static const char *const fixed_names[RS_OBS_FIXED] = {
    "offered",     "needing_reply", "response_rate", "abandon_rate",
    "wait_mean_s", "frt_mean_s",    "frt_p50_s",     "frt_p90_s"};

struct rs_observed *rs_observed_create(const struct rs_observed_cfg *cfg)
{
    struct rs_observed *o = rs_calloc(1, sizeof *o);
    o->cfg = *cfg;
    if (o->cfg.n_intervals < 0) o->cfg.n_intervals = 0;
    if (o->cfg.n_within < 0) o->cfg.n_within = 0;
    if (o->cfg.n_within > RS_MAX_WITHIN) o->cfg.n_within = RS_MAX_WITHIN;
    if (o->cfg.n_intervals > 0) o->iv = rs_calloc((size_t)o->cfg.n_intervals, sizeof *o->iv);
    return o;
}

void rs_observed_destroy(struct rs_observed *o)
{
    if (!o) return;
    free(o->iv);
    free(o);
}

double rs_observed_bytes(const struct rs_observed_cfg *cfg)
{
    double n = cfg->n_intervals > 0 ? (double)cfg->n_intervals : 0;
    return (double)sizeof(struct rs_observed) + n * (double)sizeof(struct obs_interval);
}

/* Index of the first threshold x meets, n_within when none (as
 * rs_stats_within_index). */
static int within_index(const struct rs_observed_cfg *c, double x)
{
    int i = 0;
    while (i < c->n_within && x > c->within_s[i])
        i++;
    return i;
}

/* What a message's fields say of it: -1 when it is not in the inbox. */
struct verdict {
    int answered, abandoned, taken, within;
    double frt_s, wait_s;
};

static void judge(const struct rs_observed_cfg *c, const struct rs_log_msg *m, struct verdict *v)
{
    memset(v, 0, sizeof *v);
    v->answered = isfinite(m->reply_s) && !(m->abandon_s < m->reply_s);
    v->abandoned = !v->answered && isfinite(m->abandon_s);
    v->taken = isfinite(m->take_s);
    if (v->answered) {
        v->frt_s = fmax(0.0, m->reply_s - m->arrive_s);
        v->within = within_index(c, v->frt_s);
    }
    if (v->taken) v->wait_s = fmax(0.0, m->take_s - m->arrive_s);
}

static void add_whole(struct obs_whole *w, const struct verdict *v)
{
    w->inbox++;
    w->abandoned += (uint64_t)v->abandoned;
    if (v->taken) {
        w->taken++;
        w->wait_sum_s += v->wait_s;
    }
    if (v->answered) {
        w->answered++;
        w->frt_sum_s += v->frt_s;
        rs_hist_add(&w->frt, v->frt_s);
        w->sl_first[v->within]++;
    }
}

static void add_interval(struct obs_interval *iv, const struct verdict *v)
{
    iv->inbox++;
    iv->abandoned += (uint32_t)v->abandoned;
    if (v->taken) {
        iv->taken++;
        iv->wait_sum_s += v->wait_s;
    }
    if (v->answered) {
        iv->answered++;
        iv->frt_sum_s += v->frt_s;
        rs_ihist_add(iv->frt, v->frt_s);
        iv->sl_first[v->within]++;
    }
}

void rs_observed_add(struct rs_observed *o, const struct rs_log_msg *m, int needs_reply)
{
    if (isnan(m->arrive_s)) return;
    struct obs_interval *iv = NULL;
    double k = floor(m->arrive_s / o->cfg.interval_s);
    if (k >= 0 && k < (double)o->cfg.n_intervals)
        iv = &o->iv[(long)k];
    else
        o->outside++;
    o->whole.offered++;
    if (iv) iv->offered++;
    if (!needs_reply) return;
    struct verdict v;
    judge(&o->cfg, m, &v);
    add_whole(&o->whole, &v);
    if (iv) add_interval(iv, &v);
}

int rs_observed_n_metrics(const struct rs_observed *o) { return RS_OBS_FIXED + o->cfg.n_within; }

void rs_observed_metric_name(const struct rs_observed *o, int m, char *buf, size_t len)
{
    if (m < RS_OBS_FIXED) {
        snprintf(buf, len, "%s", fixed_names[m]);
        return;
    }
    char label[32];
    rs_units_label_duration(o->cfg.within_s[m - RS_OBS_FIXED], label, sizeof label);
    snprintf(buf, len, "sl_%s", label);
}

int rs_observed_find_metric(const struct rs_observed *o, const char *name)
{
    char buf[48];
    for (int m = 0; m < rs_observed_n_metrics(o); m++) {
        rs_observed_metric_name(o, m, buf, sizeof buf);
        if (!strcmp(buf, name)) return m;
    }
    return -1;
}

static double ratio(double num, uint64_t den) { return den ? num / (double)den : NAN; }

/* The metrics from counts common to both levels; p50 and p90 filled by the
 * caller from its histogram. */
static void fill(const struct rs_observed_cfg *c, uint64_t offered, uint64_t inbox,
                 uint64_t answered, uint64_t abandoned, uint64_t taken, double wait_sum_s,
                 double frt_sum_s, const uint64_t *sl_first, double *out, uint64_t *count)
{
    out[RS_OBS_OFFERED] = (double)offered;
    out[RS_OBS_NEEDING] = (double)inbox;
    out[RS_OBS_RESPONSE] = ratio((double)answered, inbox);
    out[RS_OBS_ABANDON] = ratio((double)abandoned, inbox);
    out[RS_OBS_WAIT_MEAN] = ratio(wait_sum_s, taken);
    out[RS_OBS_FRT_MEAN] = ratio(frt_sum_s, answered);
    uint64_t within = 0;
    for (int i = 0; i < c->n_within; i++) {
        within += sl_first[i];
        out[RS_OBS_FIXED + i] = ratio((double)within, inbox);
    }
    if (!count) return;
    const uint64_t of[RS_OBS_FIXED] = {offered, offered,  inbox,    inbox,
                                       taken,   answered, answered, answered};
    for (int m = 0; m < RS_OBS_FIXED; m++)
        count[m] = of[m];
    for (int i = 0; i < c->n_within; i++)
        count[RS_OBS_FIXED + i] = inbox;
}

void rs_observed_whole(const struct rs_observed *o, double *out, uint64_t *count)
{
    const struct obs_whole *w = &o->whole;
    fill(&o->cfg, w->offered, w->inbox, w->answered, w->abandoned, w->taken, w->wait_sum_s,
         w->frt_sum_s, w->sl_first, out, count);
    out[RS_OBS_FRT_P50] = rs_hist_quantile(&w->frt, 0.50);
    out[RS_OBS_FRT_P90] = rs_hist_quantile(&w->frt, 0.90);
}

void rs_observed_interval(const struct rs_observed *o, long i, double *out, uint64_t *count)
{
    const struct obs_interval *iv = &o->iv[i];
    uint64_t sl[RS_MAX_WITHIN + 1];
    for (int k = 0; k <= RS_MAX_WITHIN; k++)
        sl[k] = iv->sl_first[k];
    fill(&o->cfg, iv->offered, iv->inbox, iv->answered, iv->abandoned, iv->taken, iv->wait_sum_s,
         iv->frt_sum_s, sl, out, count);
    out[RS_OBS_FRT_P50] = rs_ihist_quantile(iv->frt, iv->answered, 0.50);
    out[RS_OBS_FRT_P90] = rs_ihist_quantile(iv->frt, iv->answered, 0.90);
}

uint64_t rs_observed_messages(const struct rs_observed *o) { return o->whole.offered; }
uint64_t rs_observed_outside(const struct rs_observed *o) { return o->outside; }

void rs_observed_from_record(const struct rs_scenario *sc, const struct rs_msg_record *r,
                             struct rs_log_msg *m)
{
    int answered =
        r->fate == RS_FATE_ANSWERED || r->fate == RS_FATE_THREAD || r->fate == RS_FATE_BOT;
    m->arrive_s = r->arrive_s;
    /* as the messages reader (logread.c): a message answered by its
     * thread's reply or the bot was not taken on its own */
    m->take_s = r->fate == RS_FATE_ANSWERED || !answered ? r->take_s : NAN;
    m->reply_s = answered ? r->end_s : NAN;
    m->abandon_s = r->fate == RS_FATE_ABANDONED ? r->end_s : NAN;
    m->handle_s = NAN;
    m->channel = sc->channels[r->channel].name;
    m->type = sc->types[r->type].name;
    m->agent = "";
    m->conversation = "";
    m->thread = "";
    m->line = 0;
}
