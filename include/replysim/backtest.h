/* backtest.h: a scenario's predictions against a team's own log
 * (`replysim backtest`).
 *
 * The log's arrivals (times, channels, types, and handle times where it
 * has them) are replayed, as channel traces of a copy of the scenario, under
 * the scenario's staffing and policy; the replications' messages are counted
 * as the log's are (observed.h), per interval of arrival and whole, and each
 * observation is set against the band one replication falls in:
 *
 *     mean +- t(0.975, n - 1) * sd * sqrt(1 + 1/n)
 *
 * over the n replications where the metric is defined (the 95% prediction
 * interval of one more replication, for values near normal; not the
 * confidence interval of the mean), clipped to the metric's range.
 *
 * The replay: t = 0 is the log's origin (logread.h), moved back by whole
 * days when rows come before it; the scenario's start becomes the origin's
 * weekday and midnight (a log of bare seconds keeps the scenario's start);
 * no warm-up; arrivals end just after the log's last one and the run stops
 * at the log's last event of any kind (arrival, take, reply, abandon), so
 * that messages still open when the log ends are open in the replay too.
 * The log holds every message, follow-ups included, so the replay has no
 * rate, profile, dispersion, bursts, follow-ups or channel switches. */
#ifndef RS_BACKTEST_H
#define RS_BACKTEST_H

#include "replysim/error.h"
#include "replysim/logread.h"
#include "replysim/progress.h"
#include "replysim/report.h"
#include "replysim/scenario.h"

#include <stdint.h>

/* Where the messages come from, read twice (to size, then to replay): next
 * as rs_log_next, rewind starts again from the first message.  name is the
 * file errors name; origin_day as rs_log_origin_day. */
struct rs_log_source {
    int (*next)(void *ctx, struct rs_log_msg *m, struct rs_error *err);
    int (*rewind)(void *ctx, struct rs_error *err);
    void *ctx;
    const char *name;
    int origin_day;
};

/* A log file as a source: rs_log_open on each rewind.  Fill path and opts,
 * zero the rest; rs_backtest_file_close after. */
struct rs_backtest_file {
    const char *path;
    const struct rs_log_opts *opts;
    struct rs_log *lg; /* the open log, NULL before the first rewind */
};
/* Opens f (reading its header) and fills src: RS_OK or the log's error. */
int rs_backtest_file_source(struct rs_backtest_file *f, struct rs_log_source *src,
                            struct rs_error *err);
void rs_backtest_file_close(struct rs_backtest_file *f);

/* The part of a source whose messages arrive in [from_s, to_s), their
 * times moved back by shift_s (whole days, so t = 0 stays a midnight; the
 * origin's weekday moves with it, a log of bare seconds taken as starting
 * on a monday, as fit takes it): `fit --holdout` fits on the first part of
 * a log and backtests on the rest.  A row without an arrival time is in
 * the window only when from_s is -INFINITY.  Fill the fields, then
 * rs_log_window_source; inner must outlive src. */
struct rs_log_window {
    const struct rs_log_source *inner;
    double from_s, to_s, shift_s;
};
void rs_log_window_source(struct rs_log_window *w, struct rs_log_source *src);

/* Replications a backtest runs at the least unless told (its bands come
 * from their sd, which a handful gives too roughly). */
#define RS_BACKTEST_MIN_REPS 20

struct rs_backtest_opts {
    int replications; /* >= 2 for bands */
    uint64_t seed;
    int threads;
    int draw_handles;              /* 1: handle times drawn from the scenario, not the log's */
    const char *replications_from; /* the options blamed by the limits ("-r"); NULL: keys */
    const char *threads_from;
    rs_progress_fn progress; /* NULL: none */
    void *progress_ctx;
};

struct rs_backtest; /* opaque */

/* Replays src under sc.  RS_OK with *out set; RS_EINPUT with err naming
 * the log's file and line for a message the scenario cannot place (a
 * channel or type it lacks, no arrival time, no channel while it has
 * several), for an empty log, or for a request beyond a limit of budget.h
 * (refused before anything is simulated); the log's own errors as
 * rs_log_next gives them. */
int rs_backtest_run(const struct rs_scenario *sc, const struct rs_log_source *src,
                    const struct rs_backtest_opts *o, struct rs_backtest **out,
                    struct rs_error *err);

void rs_backtest_destroy(struct rs_backtest *bt); /* NULL is fine */

/* The metrics compared: arrivals, response_rate, abandon_rate,
 * wait_mean_s, frt_mean_s, frt_p90_s, then sl_T for the scenario's
 * thresholds; the intervals of the log (by arrival, of the scenario's
 * interval) and the replay's scenario. */
int rs_backtest_n_metrics(const struct rs_backtest *bt);
const char *rs_backtest_metric_name(const struct rs_backtest *bt, int metric);
int rs_backtest_find_metric(const struct rs_backtest *bt, const char *name); /* -1: none */
long rs_backtest_n_intervals(const struct rs_backtest *bt);
const struct rs_scenario *rs_backtest_scenario(const struct rs_backtest *bt);

/* One comparison: interval (-1: the whole log) and metric. */
struct rs_backtest_row {
    double observed; /* the log's value; NaN when undefined there */
    double mean;     /* over the replications where defined */
    double lo, hi;   /* the band (above); NaN when n < 2 */
    int n;           /* replications where defined */
    int covered;     /* 1: observed within [lo, hi]; 0 when it is not or either is NaN */
};
void rs_backtest_row(const struct rs_backtest *bt, long interval, int metric,
                     struct rs_backtest_row *out);

/* Of the intervals where both the observation and the band are defined,
 * how many; of them, how many have the observation in the band. */
void rs_backtest_coverage(const struct rs_backtest *bt, int metric, long *intervals, long *covered);

/* 1 when metric's coverage is at least 95% less three of its binomial
 * standard errors, or it has no intervals to compare: `backtest`'s verdict
 * of one metric (three, not two: the intervals share queues). */
int rs_backtest_metric_ok(const struct rs_backtest *bt, int metric);

/* The files rs_backtest_write writes, into out (room entries): their
 * count.  The entries point into bt. */
size_t rs_backtest_files(const struct rs_backtest *bt, struct rs_report_entry *out, size_t room);

/* Writes the folder dir (rs_report_write): backtest.csv, coverage.csv, and
 * the replay as scenario.ini with its traces trace_CHANNEL.csv beside it
 * (`replysim run DIR/scenario.ini` simulates it again).  RS_OK or RS_EIO. */
int rs_backtest_write(const char *dir, const struct rs_backtest *bt, struct rs_error *err);

#endif
