/* baseline.h: the committed baseline of `replysim check` (docs/scenario-reference.md section 9).
 *
 * A baseline is a tidy CSV file, one row per scenario, metric and scope:
 *
 *     scenario,metric,scope,mean,sd,n,seed,replications,version
 *
 * mean, sd and n summarise the metric across the replications of one run
 * (as summary.csv: n counts the replications where it is defined, mean is
 * empty when n = 0 and sd when n < 2); seed and replications are that run's,
 * the same on every row of a scenario, so the check can run it again on the
 * same random numbers; version is the replysim that wrote the row.  Rows are
 * keyed by (scenario, metric, scope), scenario being the scenario's name.
 *
 * The statistics of the comparison (a two-sample Welch t test from the
 * summaries alone) live here too, so that they can be tested without running
 * anything. */
#ifndef RS_BASELINE_H
#define RS_BASELINE_H

#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/scenario.h"

#include <stdint.h>
#include <stdio.h>

#define RS_BASELINE_HEADER "scenario,metric,scope,mean,sd,n,seed,replications,version"
#define RS_BASELINE_METRIC_MAX 96                /* longest metric name, with NUL */
#define RS_BASELINE_SCOPE_MAX (RS_NAME_MAX + 16) /* "channel:NAME", with NUL */
/* Most replications a baseline row may claim: a check runs them all, so a
 * larger number (a hand-edited or hostile file) would run for hours.  The
 * same bound as -r (README, Limits). */
#define RS_BASELINE_MAX_REPLICATIONS 10000

struct rs_baseline_row {
    char scenario[RS_NAME_MAX];          /* the scenario's name ([scenario] name) */
    char metric[RS_BASELINE_METRIC_MAX]; /* as in summary.csv: wait_mean_s, sl_1h, ... */
    char scope[RS_BASELINE_SCOPE_MAX];   /* all, channel:NAME, type:NAME */
    double mean;                         /* NaN when n = 0 */
    double sd;                           /* NaN when n < 2 */
    int n;                               /* replications where defined */
    uint64_t seed;                       /* base seed of the run */
    int replications;                    /* replications of the run, >= n */
    char version[32];                    /* replysim version that wrote it */
    int line;                            /* line in the file read, 0 when made here */
};

struct rs_baseline_index; /* private to baseline.c */

struct rs_baseline {
    char label[512]; /* the file as named in messages */
    int n_rows;
    int cap;
    struct rs_baseline_row *rows;    /* in file order */
    struct rs_baseline_index *index; /* hash lookups by key and scenario; kept by
                                        rs_baseline_read and rs_baseline_set, unused
                                        when rows were changed by hand */
};

/* An empty baseline; freed with rs_baseline_destroy (NULL is fine). */
struct rs_baseline *rs_baseline_create(const char *label);
void rs_baseline_destroy(struct rs_baseline *b);

/* Reads the baseline at path (label names it in messages).  A malformed
 * file is RS_EINPUT with `LABEL:LINE: COLUMN: what was expected`; a file
 * that cannot be read, RS_EIO.  *out is set only on success. */
int rs_baseline_read(const char *path, const char *label, struct rs_baseline **out,
                     struct rs_error *err);

/* The row of (scenario, metric, scope), or NULL (the first such row).
 * Constant time on baselines read or set here. */
const struct rs_baseline_row *rs_baseline_find(const struct rs_baseline *b, const char *scenario,
                                               const char *metric, const char *scope);

/* The first row of scenario, or NULL when the baseline has none. */
const struct rs_baseline_row *rs_baseline_scenario(const struct rs_baseline *b,
                                                   const char *scenario);

/* Replaces every row of scenario by the summary of res: the rows of
 * summary.csv (every metric in scope all, and each channel and type scope
 * where the metric is defined in some replication). */
void rs_baseline_set(struct rs_baseline *b, const char *scenario, const struct rs_results *res);

/* Writes the header and every row, grouped by scenario in name order, each
 * scenario's rows in the order they were added.  Numbers round-trip. */
void rs_baseline_write(FILE *f, const struct rs_baseline *b);

/* Writes b (as rs_baseline_write) to the file path, whole or not at all
 * (a temporary file renamed into place).  RS_OK, or RS_EIO with err filled
 * (also when path names a folder rather than a file). */
int rs_baseline_save(const char *path, const struct rs_baseline *b, struct rs_error *err);

/* Two-sample comparison of now against base from their means, sds and
 * counts (Welch's unequal-variance t test, two-sided).  When one side has
 * no sd (n < 2) it is taken equal to the other side's; when neither has one
 * the test is impossible and t, df and p are NaN.  When both sds are 0 a
 * difference is certain (p = 0, t = +-inf) and no difference is p = 1. */
struct rs_welch {
    double diff; /* now - base */
    double se;   /* standard error of diff */
    double t;    /* diff / se */
    double df;   /* Welch-Satterthwaite degrees of freedom */
    double p;    /* two-sided p-value of "the means are equal" */
};

void rs_baseline_welch(double base_mean, double base_sd, int base_n, double now_mean, double now_sd,
                       int now_n, struct rs_welch *out);

/* Holm's step-down adjustment of n p-values in place: controls the chance
 * of any false alarm among the n tests at the level the adjusted values are
 * compared with.  NaN p-values are left alone and do not count in n. */
void rs_baseline_holm(double *p, int n);

#endif
