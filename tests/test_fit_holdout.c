/* test_fit_holdout.c: `replysim fit LOG --holdout D` fits on all but the
 * log's last D and backtests the fitted scenario on that last D.  A log of
 * four weeks is simulated; the test cuts it by hand (midnight after the
 * last arrival, less 7 days), counts each part from messages.csv itself,
 * and checks that the fit saw only the first part (its rate's n and
 * value), that the held-out backtest saw only the rest, and that the
 * fitted scenario, right by construction, covers the held-out intervals
 * about as a 95% band should. */
#include "util.h"
#include "replysim/csvin.h"
#include "replysim/error.h"
#include "replysim/fit.h"
#include "replysim/scenario.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S 86400.0

/* Always open, constant staff, customers who give up: the fitted scenario
 * can be right, and the replications vary (patience), so bands have width. */
static const char team[] = "[scenario]\nhorizon = 4w\ndrain = 1d\nreplications = 1\nseed = 7\n"
                           "[channel web]\nrate = 6/h\n"
                           "[type question]\nhandle = exponential(mean=15m)\n"
                           "patience = exponential(mean=2h)\n"
                           "[staff]\nagents = 2\n"
                           "[policy]\nabandon = leave\n";

static void setup(void) { rs_test_dir_create("fit_holdout"); }
static void teardown(void) { rs_test_dir_destroy(); }

/* The row of fit.csv with quantity and scope; the test fails without. */
static char **fit_row(const struct rs_csvin *c, const char *quantity, const char *scope)
{
    for (int r = 1; r < c->n_rows; r++)
        if (!strcmp(c->rows[r].cells[0], quantity) && !strcmp(c->rows[r].cells[1], scope))
            return c->rows[r].cells;
    ck_abort_msg("fit.csv has no %s,%s", quantity, scope);
    return NULL;
}

START_TEST(the_fit_never_sees_the_held_out_week)
{
    rs_test_write("team.ini", team);
    ck_assert_int_eq(rs_test_replysim("run team.ini -q --trace -o sim"), 0);
    ck_assert_int_eq(rs_test_replysim("fit sim/messages.csv --holdout 7d -o fit"), 0);

    /* the cut, and each part's messages, from the log itself */
    struct rs_csvin *log = rs_test_read_csv("sim/messages.csv");
    int ca = rs_csvin_column(log, "arrive_s");
    ck_assert(ca >= 0);
    double last = -INFINITY;
    for (int r = 1; r < log->n_rows; r++)
        last = fmax(last, strtod(log->rows[r].cells[ca], NULL));
    double cut = (floor(last / DAY_S) + 1) * DAY_S - 7 * DAY_S, last_fit = -INFINITY;
    long n_fit = 0, n_held = 0;
    for (int r = 1; r < log->n_rows; r++) {
        double t = strtod(log->rows[r].cells[ca], NULL);
        if (t < cut) {
            n_fit++;
            last_fit = fmax(last_fit, t);
        } else {
            n_held++;
        }
    }
    rs_csvin_destroy(log);
    ck_assert_double_eq(cut, 21 * DAY_S); /* four weeks of arrivals */
    ck_assert(n_fit > 2500 && n_held > 800);

    /* the fit: its messages and rate are the first three weeks' */
    struct rs_csvin *fit = rs_test_read_csv("fit/fit.csv");
    char **rate = fit_row(fit, "rate_per_h", "all");
    ck_assert_int_eq(strtol(rate[5], NULL, 10), n_fit);
    double horizon_h = (floor(last_fit / DAY_S) + 1) * 24;
    ck_assert_double_eq_tol(strtod(rate[2], NULL), (double)n_fit / horizon_h, 1e-9);
    char line[120];
    snprintf(line, sizeof line, "fit: %ld messages of sim/messages.csv", n_fit);
    ck_assert(rs_test_contains("stdout", line));
    snprintf(line, sizeof line, "held out the last 7 days (%ld messages)", n_held);
    ck_assert(rs_test_contains("stdout", line));
    ck_assert(rs_test_contains("stdout", ": explains them -> fit/holdout/"));

    /* the held-out backtest: the rest of the log, by hour from the cut */
    struct rs_csvin *bt = rs_test_read_csv("fit/holdout/backtest.csv");
    int found = 0;
    for (int r = 1; r < bt->n_rows; r++) {
        char **c = bt->rows[r].cells;
        if (strcmp(c[0], "all") || strcmp(c[3], "arrivals")) continue;
        ck_assert_double_eq(strtod(c[4], NULL), (double)n_held);
        found = 1;
    }
    ck_assert(found);
    rs_csvin_destroy(bt);
    long intervals = (long)floor((last - cut) / 3600) + 1;
    struct rs_csvin *cov = rs_test_read_csv("fit/holdout/coverage.csv");
    ck_assert_int_eq(cov->n_rows, 1 + 6 + 5); /* the six metrics and sl_T of 5 thresholds */
    for (int r = 1; r < cov->n_rows; r++) {
        char **c = cov->rows[r].cells;
        long n = strtol(c[1], NULL, 10), k = strtol(c[2], NULL, 10);
        ck_assert_int_le(n, intervals);
        ck_assert_msg(n >= intervals - 24, "%s: %ld intervals of %ld", c[0], n, intervals);
        double floor_cov = 0.95 - 4 * sqrt(0.95 * 0.05 / (double)n);
        ck_assert_msg((double)k / (double)n >= floor_cov, "%s: %ld of %ld covered", c[0], k, n);
        /* and fit.csv says the same */
        char scope[80];
        snprintf(scope, sizeof scope, "metric:%s", c[0]);
        char **h = fit_row(fit, "holdout_coverage", scope);
        ck_assert_int_eq(strtol(h[5], NULL, 10), n);
        ck_assert_double_eq_tol(strtod(h[2], NULL), (double)k / (double)n, 1e-12);
        ck_assert(strtod(h[3], NULL) <= (double)k / (double)n);
    }
    ck_assert_int_eq(strtol(cov->rows[1].cells[1], NULL, 10), intervals); /* arrivals: every hour */
    rs_csvin_destroy(cov);
    rs_csvin_destroy(fit);
    ck_assert(rs_test_exists("fit/holdout/scenario.ini"));

    /* a fit that fails leaves the folder as it was, holdout/ too */
    char *before = rs_test_slurp("fit/holdout/coverage.csv");
    ck_assert_int_eq(rs_test_replysim("fit no_such_log.csv --holdout 7d -o fit"), 2);
    char *after = rs_test_slurp("fit/holdout/coverage.csv");
    ck_assert_str_eq(before, after);
    free(before);
    free(after);

    /* fit again into the folder without --holdout: one run's results, no
     * holdout left from the last */
    ck_assert_int_eq(rs_test_replysim("fit sim/messages.csv -o fit"), 0);
    ck_assert(!rs_test_exists("fit/holdout"));
    ck_assert(!rs_test_contains("fit/fit.csv", "holdout_coverage"));
}
END_TEST

/* A piecewise-constant schedule's value at t_s (the last value holds). */
static double step_at(int n, const double *t_s, const double *v, double t)
{
    double x = v[0];
    for (int i = 0; i < n && t_s[i] <= t; i++)
        x = v[i];
    return x;
}

/* The held-out replay staffs as the fit's last week did, by weekday and
 * hour: a schedule over ten days from a wednesday becomes the week before
 * day 10 (sat 00:00 to sat 00:00), read by time of the week from mon 00:00;
 * written as schedule.csv, it loads back as the same weekly schedule. */
START_TEST(the_replay_staffs_as_the_last_week)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(
        rs_scenario_load_string("[scenario]\nhorizon = 10d\nstart = wed 00:00\n"
                                "[channel c]\nrate = 1/h\n[type t]\nhandle = exponential(mean=5m)\n"
                                "[staff]\nagents = 1\n",
                                "x", &sc, &err),
        0);
    const double h = 3600, d = 86400;
    const double t[] = {0, 2 * d, 8 * d + 9 * h, 9 * d, 9 * d + 17 * h};
    const double v[] = {1, 4, 3, 2, 5};
    rs_scenario_set_schedule(sc, "s.csv", 5, t, v);
    ck_assert_int_eq(rs_fit_schedule_last_week(sc, 10 * d), 1);
    const struct rs_series *w = &sc->schedule;
    ck_assert_int_eq(w->weekly, 1);
    /* by hand: at sat 00:00 (day 3) 4 agents, thu 09:00 3, fri 00:00 2,
     * fri 17:00 5; mon 00:00 holds what sat 00:00 set, the latest in the week */
    const double want_t[] = {0, 3 * d + 9 * h, 4 * d, 4 * d + 17 * h, 5 * d};
    const double want_v[] = {4, 3, 2, 5, 4};
    ck_assert_int_eq(w->n, 5);
    for (int i = 0; i < 5; i++) {
        ck_assert_double_eq(w->t_s[i], want_t[i]);
        ck_assert_double_eq(w->value[i], want_v[i]);
    }
    /* and every minute of the last week agrees with the old schedule */
    for (double x = 3 * d; x < 10 * d; x += 60) {
        double week = fmod(2 * d + x, 7 * d); /* wed is 2 days after mon */
        ck_assert_double_eq(step_at(w->n, w->t_s, w->value, week), step_at(5, t, v, x));
    }
    /* written, it reads back as the same weekly schedule */
    char path[400];
    snprintf(path, sizeof path, "%s/w.csv", rs_test_dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(rs_fit_write_week_schedule(f, sc, &err), 0);
    fclose(f);
    char text[1024];
    snprintf(text, sizeof text,
             "[scenario]\nhorizon = 1w\n[channel c]\nrate = 1/h\n[type t]\nhandle = "
             "exponential(mean=5m)\n"
             "[staff]\nschedule = %s\n",
             path);
    struct rs_scenario *back = NULL;
    ck_assert_int_eq(rs_scenario_load_string(text, "y", &back, &err), 0);
    ck_assert_int_eq(back->schedule.weekly, 1);
    ck_assert_int_eq(back->schedule.n, w->n);
    for (int i = 0; i < w->n; i++) {
        ck_assert_double_eq(back->schedule.t_s[i], w->t_s[i]);
        ck_assert_double_eq(back->schedule.value[i], w->value[i]);
    }
    rs_scenario_destroy(back);
    /* constant staff stays as it is */
    struct rs_scenario *flat = NULL;
    ck_assert_int_eq(
        rs_scenario_load_string("[scenario]\nhorizon = 10d\n[channel c]\nrate = 1/h\n"
                                "[type t]\nhandle = exponential(mean=5m)\n[staff]\nagents = 3\n",
                                "z", &flat, &err),
        0);
    ck_assert_int_eq(rs_fit_schedule_last_week(flat, 10 * d), 0);
    ck_assert_int_eq(flat->agents, 3);
    rs_scenario_destroy(flat);
    rs_scenario_destroy(sc);
}
END_TEST

Suite *rs_test_fit_holdout_suite(void);
Suite *rs_test_fit_holdout_suite(void)
{
    Suite *s = suite_create("fit_holdout");
    TCase *tc = tcase_create("fit_holdout");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, the_fit_never_sees_the_held_out_week);
    tcase_add_test(tc, the_replay_staffs_as_the_last_week);
    suite_add_tcase(s, tc);
    return s;
}
