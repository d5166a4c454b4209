/* check.h: regression of policy outcomes against a committed baseline
 * (docs/scenario-reference.md section 9, `replysim check`).
 *
 * Each scenario runs again with the seed and replications its baseline rows
 * were made with, and every metric and scope is compared with the
 * baseline's mean, sd and n: a row has MOVED when the difference is beyond
 * the metric's practical tolerance and significant in a Welch t test
 * (baseline.h) after Holm's adjustment over every row that differs.  An
 * unchanged engine reproduces the baseline exactly (difference 0); a change
 * that only reshuffles random numbers moves rows by noise, which the test
 * tells apart from a real change. */
#ifndef RS_CHECK_H
#define RS_CHECK_H

#include "replysim/baseline.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/scenario.h"

#include <stddef.h>

#define RS_CHECK_MAX_TOLERANCES 256 /* tolerances of one check, the defaults included */
#define RS_CHECK_TEXT 64            /* a tolerance as written, with NUL */

/* A practical tolerance: the last one whose pattern matches a metric wins. */
struct rs_check_tolerance {
    char pattern[RS_BASELINE_METRIC_MAX]; /* a metric name, or a pattern with * and ? */
    double value;                         /* absolute, or a fraction of the baseline mean */
    int relative;                         /* 1: value is a fraction of the baseline mean */
    char text[RS_CHECK_TEXT];             /* as written, "5%" */
};

/* Parses METRIC=V or METRIC=V% (V >= 0): 0, or -1 with why. */
int rs_check_parse_tolerance(const char *text, struct rs_check_tolerance *t, char *why, size_t len);

enum rs_check_verdict {
    RS_CHECK_SAME,    /* identical */
    RS_CHECK_WITHIN,  /* differs within the tolerance */
    RS_CHECK_NOISE,   /* beyond the tolerance, not significant */
    RS_CHECK_MOVED,   /* beyond the tolerance and significant: a failure */
    RS_CHECK_MISSING, /* in the baseline, not in the run: a failure */
    RS_CHECK_NEW      /* in the run, not in the baseline: noted */
};
#define RS_CHECK_VERDICTS 6

/* One row compared. */
struct rs_check_entry {
    int scenario; /* index of the scenario in the check */
    char metric[RS_BASELINE_METRIC_MAX];
    char scope[RS_BASELINE_SCOPE_MAX];
    double base_mean, now_mean;
    int base_n, now_n;
    struct rs_welch w;
    double p_adj;    /* Holm-adjusted p; NaN when not tested */
    double tol_abs;  /* tolerance in the metric's unit */
    const char *tol; /* as written (points into the check's tolerances) */
    enum rs_check_verdict v;
};

/* A check; rs_check_init fills in the default tolerances and alpha. */
struct rs_check {
    double alpha; /* family-wise significance level, 0 < alpha < 1 (0.05) */
    int n_tol;
    struct rs_check_tolerance tol[RS_CHECK_MAX_TOLERANCES];
    int n, cap; /* rows compared */
    struct rs_check_entry *e;
};

void rs_check_init(struct rs_check *c);
void rs_check_free(struct rs_check *c);

/* Runs each of the n scenarios sc[i] (with its own seed and replications;
 * threads and progress from opts: RS_PROGRESS_RUN "check NAME" before
 * each), compares it with b's rows of its name and, with update, replaces
 * those rows by the run's; then judges every row.  RS_OK, or the error of
 * the scenario *failed that could not run. */
int rs_check_run(struct rs_check *c, struct rs_scenario *const *sc, int n, struct rs_baseline *b,
                 int update, const struct rs_run_opts *opts, int *failed, struct rs_error *err);

/* Counts of each verdict among the rows of scenario si (-1: all). */
void rs_check_counts(const struct rs_check *c, int si, int count[RS_CHECK_VERDICTS]);

#endif
