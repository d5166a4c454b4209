/* observed.h: what a message log says happened, per interval of arrival
 * and for the whole log, under the names and meanings of summary.csv and
 * intervals.csv (`replysim fit`'s observed rows, `replysim backtest`).
 *
 * Each message is judged from its log fields alone (logread.h):
 *   - it needs a reply when the caller says so (a type with reply = no does
 *     not; a log alone cannot tell, so fit counts every message); those that
 *     do are the inbox, the denominator of every rate, as in summary.csv
 *     (a log cannot show a message blocked by an inbox limit);
 *   - answered: it has a reply time, not after an abandon time; its first
 *     response time is reply - arrive (0 when the log puts the reply first);
 *   - abandoned: not answered and it has an abandon time;
 *   - taken: it has a take time; its wait is take - arrive (0 when negative);
 *   - otherwise it was still open when the log ends: in the inbox, neither
 *     answered nor abandoned (as summary.csv counts messages open at the
 *     stop).
 * A message counts in the interval of its arrival, [i, i + 1) times
 * interval_s from t = 0, and in the whole log whatever its time.  Quantiles
 * come from the simulator's histograms (stats.h): the whole log's from the
 * fine one of summary.csv (within 0.4%), an interval's from the coarse one
 * of intervals.csv (within 1.6%), so observed and simulated figures are
 * computed alike.  Memory is fixed by the number of intervals, not by the
 * number of messages. */
#ifndef RS_OBSERVED_H
#define RS_OBSERVED_H

#include "replysim/logread.h"
#include "replysim/scenario.h"
#include "replysim/world.h"

#include <stddef.h>
#include <stdint.h>

/* The metrics, in this order, then sl_T for each threshold T. */
enum {
    RS_OBS_OFFERED,   /* "offered": messages arrived (intervals.csv's arrivals) */
    RS_OBS_NEEDING,   /* "needing_reply": of them, needing a reply (the inbox) */
    RS_OBS_RESPONSE,  /* "response_rate": answered / inbox */
    RS_OBS_ABANDON,   /* "abandon_rate": abandoned / inbox */
    RS_OBS_WAIT_MEAN, /* "wait_mean_s": mean wait of taken inbox messages */
    RS_OBS_FRT_MEAN,  /* "frt_mean_s": mean first response time of the answered */
    RS_OBS_FRT_P50,   /* "frt_p50_s" */
    RS_OBS_FRT_P90,   /* "frt_p90_s" */
    RS_OBS_FIXED      /* then "sl_T": answered within T / inbox */
};

struct rs_observed_cfg {
    double interval_s;              /* width of an interval (> 0) */
    long n_intervals;               /* intervals kept, [0, n); 0: the whole log only */
    int n_within;                   /* thresholds of sl_T */
    double within_s[RS_MAX_WITHIN]; /* increasing, as a scenario's within */
};

struct rs_observed; /* opaque */

/* An empty count; cfg is copied.  Aborts on out of memory (alloc.h). */
struct rs_observed *rs_observed_create(const struct rs_observed_cfg *cfg);
void rs_observed_destroy(struct rs_observed *o); /* NULL is fine */

/* Memory rs_observed_create takes for cfg, in bytes (for budget checks). */
double rs_observed_bytes(const struct rs_observed_cfg *cfg);

/* Counts message m; needs_reply 0 counts it as arrived only.  A message
 * without an arrival time (NaN) is not counted. */
void rs_observed_add(struct rs_observed *o, const struct rs_log_msg *m, int needs_reply);

/* RS_OBS_FIXED + n_within; the name of metric m ("sl_1h" as the scenario
 * labels its thresholds); the index of a name, -1 when none. */
int rs_observed_n_metrics(const struct rs_observed *o);
void rs_observed_metric_name(const struct rs_observed *o, int m, char *buf, size_t len);
int rs_observed_find_metric(const struct rs_observed *o, const char *name);

/* out[m] for every metric, NaN where undefined (a rate of an empty inbox,
 * a mean of none); with count, count[m] the messages the value is of (the
 * denominator: arrived, inbox, taken or answered).  Interval i < n_intervals. */
void rs_observed_whole(const struct rs_observed *o, double *out, uint64_t *count);
void rs_observed_interval(const struct rs_observed *o, long i, double *out, uint64_t *count);

/* Messages counted, and how many fell outside [0, n_intervals) intervals
 * (in the whole log only). */
uint64_t rs_observed_messages(const struct rs_observed *o);
uint64_t rs_observed_outside(const struct rs_observed *o);

/* A simulated message as a log would show it, for comparing a simulation
 * with a log alike: arrive and take as simulated, reply at its end when it
 * was answered (by an agent, its thread or the bot), abandon at its end
 * when withdrawn; a message blocked, dropped or open at the stop has
 * neither.  Names point into sc; no handle, agent or conversation. */
void rs_observed_from_record(const struct rs_scenario *sc, const struct rs_msg_record *r,
                             struct rs_log_msg *m);

#endif
