/* experiment.h: replications of a scenario, in parallel, and their results.
 *
 * Each replication is an independent run of the world with its own random
 * streams derived from (seed, replication, source).  Replications may run on
 * several threads; results are stored by replication index, so they are the
 * same byte for byte whatever the thread count.
 *
 * Metrics are named as in docs/scenario-reference.md section 8 (wait_mean_s, sl_30m, ...); scopes
 * are "all", "channel:NAME" and "type:NAME".  A value is NaN where it is
 * undefined in a replication (for example a mean over no messages). */
#ifndef RS_EXPERIMENT_H
#define RS_EXPERIMENT_H

#include "replysim/error.h"
#include "replysim/progress.h"
#include "replysim/scenario.h"
#include "replysim/summary.h"
#include "replysim/world.h"

#include <stdint.h>

/* What a run computes (rs_run_opts.want); what is not asked for reads NaN. */
#define RS_WANT_METRICS 1u   /* whole-run metrics (rs_results_value, summary.csv) */
#define RS_WANT_LATENCY 2u   /* the response-time distribution (latency.csv) */
#define RS_WANT_INTERVALS 4u /* per stats interval (intervals.csv) */
#define RS_WANT_ALL (RS_WANT_METRICS | RS_WANT_LATENCY | RS_WANT_INTERVALS)

/* Every message of every replication, as it is settled (world.h's message
 * log), for a caller that counts them its own way (backtest.c).  begin
 * gives replication rep's state, handed to log with each of its messages,
 * and end takes it back after the run (ok 0: the run stopped at the open
 * limit).  All three run on the thread of the replication, so replications
 * running at once call them at once, each with its own rep and state. */
struct rs_msg_hook {
    void *(*begin)(void *ctx, int rep);
    rs_msg_log_fn log;
    void (*end)(void *ctx, int rep, void *state, int ok);
    void *ctx;
};

struct rs_run_opts {
    int replications;               /* >= 1 */
    uint64_t seed;                  /* base seed */
    int threads;                    /* >= 1 */
    rs_progress_fn progress;        /* NULL: none; else RS_PROGRESS_REPLICATIONS as they go */
    void *progress_ctx;             /* handed to progress */
    int trace;                      /* 1: keep every message's fate (messages.csv) */
    unsigned want;                  /* RS_WANT_* bits; 0: RS_WANT_ALL */
    const struct rs_msg_hook *hook; /* NULL: none; not with trace */
};

struct rs_results; /* opaque */

/* Runs opts->replications replications of sc.  *out is set on success and
 * freed with rs_results_destroy. */
int rs_experiment_run(const struct rs_scenario *sc, const struct rs_run_opts *opts,
                      struct rs_results **out, struct rs_error *err);

void rs_results_destroy(struct rs_results *r);

int rs_results_replications(const struct rs_results *r);
uint64_t rs_results_seed(const struct rs_results *r); /* base seed */
int rs_results_n_metrics(const struct rs_results *r);
const char *rs_results_metric_name(const struct rs_results *r, int metric);
int rs_results_n_scopes(const struct rs_results *r);
const char *rs_results_scope_name(const struct rs_results *r, int scope);
int rs_results_find_metric(const struct rs_results *r, const char *name); /* -1: none */
int rs_results_find_scope(const struct rs_results *r, const char *name);  /* -1: none */

/* Value of one metric in one scope and replication (NaN when undefined). */
double rs_results_value(const struct rs_results *r, int metric, int scope, int rep);

/* Mean, 95% confidence interval (Student t), sd and n across replications. */
void rs_results_summary(const struct rs_results *r, int metric, int scope, struct rs_summary *out);

/* By name: RS_OK, or RS_EINPUT when the metric or scope does not exist. */
int rs_results_get(const struct rs_results *r, const char *metric, const char *scope,
                   struct rs_summary *out);

/* The response-time distribution (latency.csv): the share of inbox
 * messages answered within t, at points t = 10 s .. horizon + drain spaced
 * 20 to a decade, for scopes 0 (all) .. n_channels (the channels). */
int rs_results_n_latency_points(const struct rs_results *r);
double rs_results_latency_t(const struct rs_results *r, int point);
void rs_results_latency_summary(const struct rs_results *r, int scope, int point,
                                struct rs_summary *out);

/* Per stats interval (intervals.csv): interval i covers [i, i + 1) times
 * interval_s from the start, through horizon + drain.  Metrics: arrivals,
 * replies, inbox, sl_T (of messages arriving in the interval), frt_mean_s,
 * frt_p90_s, queue_mean, agents (working, time-averaged), occupancy. */
int rs_results_n_intervals(const struct rs_results *r);
double rs_results_interval_s(const struct rs_results *r);
int rs_results_n_interval_metrics(const struct rs_results *r);
const char *rs_results_interval_metric_name(const struct rs_results *r, int metric);
double rs_results_interval_value(const struct rs_results *r, int interval, int metric, int rep);
void rs_results_interval_summary(const struct rs_results *r, int interval, int metric,
                                 struct rs_summary *out);

/* With opts->trace: the message rows of replication rep (CSV lines as in
 * messages.csv, without its header), rewound; NULL without a trace.  The
 * rows live in an anonymous temporary file, not in memory. */
FILE *rs_results_trace(const struct rs_results *r, int rep);

/* 1 when r was run with opts->trace (rs_results_trace has rows), else 0. */
int rs_results_traced(const struct rs_results *r);

/* The header line of messages.csv. */
const char *rs_results_trace_header(void);

/* A paired difference of one metric between two experiments run on the
 * same replication seeds (common random numbers: replication r of both saw
 * the same customers).  d_r = variant_r - base_r over the replications where
 * both values are defined; the interval is the 95% Student t interval of
 * the mean of d_r.  Pairing removes the variation the two share, so this
 * interval is usually far narrower than one from two independent runs. */
struct rs_paired {
    double base_mean;    /* base's mean over the paired replications */
    double variant_mean; /* variant's mean over the same replications */
    double diff;         /* mean of d_r */
    double ci_low;       /* 95% Student t interval of diff; NaN when n < 2 */
    double ci_high;
    double sd;       /* sample sd of d_r; NaN when n < 2 */
    int n;           /* replications where both are defined */
    double rel_diff; /* diff / base_mean; NaN when base_mean is 0 or undefined */
    int significant; /* 1 when the interval excludes 0 (0 also when n < 2) */
};

/* Paired difference of metric in scope between variant and base, found by
 * name in each.  RS_EINPUT (err filled) when either lacks the metric or
 * scope, or when the two did not run the same seed and replications. */
int rs_results_paired(const struct rs_results *base, const struct rs_results *variant,
                      const char *metric, const char *scope, struct rs_paired *out,
                      struct rs_error *err);

#endif
