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
 * tells apart from a real change.
 *
 * Each metric has a direction (rs_check_direction: a table, check.c): a
 * row that moved in its bad direction got worse, in its good one better;
 * a neutral metric (offered: the demand) moved either way.  By default
 * (RS_CHECK_FAIL_WORSE) only rows that got worse fail the check; with
 * RS_CHECK_FAIL_MOVED every row that moved does. */
#ifndef RS_CHECK_H
#define RS_CHECK_H

#include "replysim/baseline.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/scenario.h"

#include <stddef.h>
#include <stdio.h>

#define RS_CHECK_MAX_TOLERANCES 256 /* tolerances of one check, the defaults included */
#define RS_CHECK_TEXT 64            /* a tolerance as written, with NUL */

/* A practical tolerance: the last one whose patterns match a row wins. */
struct rs_check_tolerance {
    char pattern[RS_BASELINE_METRIC_MAX]; /* a metric name, or a pattern with * and ? */
    char scope[RS_BASELINE_SCOPE_MAX];    /* a scope or a pattern; "*": every scope */
    double value;                         /* absolute, or a fraction of the baseline mean */
    int relative;                         /* 1: value is a fraction of the baseline mean */
    char text[RS_CHECK_TEXT];             /* as written, "5%" */
};

/* Parses METRIC=V, METRIC=V% (V >= 0), or either with @SCOPE after METRIC
 * (sl_1h@channel:twitter=0.02): 0, or -1 with why. */
int rs_check_parse_tolerance(const char *text, struct rs_check_tolerance *t, char *why, size_t len);

/* Which way a metric is better. */
enum rs_check_direction {
    RS_CHECK_EITHER,  /* not in the table: a move either way counts as worse */
    RS_CHECK_HIGHER,  /* higher is better: response_rate, sl_1h, recommenders */
    RS_CHECK_LOWER,   /* lower is better: wait_p90_s, lapsed_rate, defectors */
    RS_CHECK_NEUTRAL, /* neither: offered, occupancy (reported, never worse) */
};

/* The direction of metric (the first pattern of the table it matches). */
enum rs_check_direction rs_check_direction(const char *metric);

/* "higher is better", ... */
const char *rs_check_direction_text(enum rs_check_direction d);

/* What fails a check. */
enum rs_check_fail_on {
    RS_CHECK_FAIL_WORSE, /* rows that moved in their bad direction, and missing rows */
    RS_CHECK_FAIL_MOVED, /* every row that moved, either way, and missing rows */
};

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
    int change; /* of a MOVED row: -1 worse, +1 better, 0 neutral; MISSING: -1 */
};

/* A check; rs_check_init fills in the default tolerances and alpha. */
struct rs_check {
    double alpha;                  /* family-wise significance level, 0 < alpha < 1 (0.05) */
    enum rs_check_fail_on fail_on; /* RS_CHECK_FAIL_WORSE */
    int n_default_tol;             /* the first n_default_tol of tol are the defaults */
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

/* 1 when row e fails the check (c->fail_on), else 0. */
int rs_check_fails(const struct rs_check *c, const struct rs_check_entry *e);

/* Every tolerance given after the defaults names a metric and a scope that
 * some row of b of the n scenarios names[] has (patterns: matches one):
 * RS_OK, or RS_EINPUT with err saying which tolerance names what, and what
 * there is instead.  Scenarios without rows in b are skipped; with none in
 * b at all, RS_OK. */
int rs_check_known_tolerances(const struct rs_check *c, const struct rs_baseline *b,
                              const char *const *names, int n, struct rs_error *err);

/* Writes the check as JUnit XML (what CI systems display): one testsuite
 * named suite (the baseline file), one testcase per scenario names[i], a
 * failure per scenario that fails, naming each metric that got worse (or
 * moved, or is missing) and its scopes. */
void rs_check_junit(FILE *f, const struct rs_check *c, const char *suite, const char *const *names,
                    int n);

#endif
