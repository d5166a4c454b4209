/* test_fit.c: `replysim fit` round trips.  A scenario with known handle
 * times, patience, profile and staff is simulated with run --trace, its
 * messages.csv fitted, and the estimates compared with the truth within
 * tolerances from standard errors computed here from the trace itself
 * (counts of handled and withdrawn messages), never from fit's output. */
#include "fit_int.h"
#include "util.h"
#include "replysim/buf.h"
#include "replysim/csvin.h"
#include "replysim/error.h"
#include "replysim/scenario.h"
#include "replysim/units.h"

#include <check.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RETAIL_WEEK RS_SOURCE_DIR "/scenarios/data/retail_week.csv"

/* Two weeks of one channel with the retail week's hour-of-week profile,
 * two types of known handle-time family, exponential patience with
 * withdrawals, five agents. */
static const char roundtrip[] =
    "[scenario]\nhorizon = 2w\ndrain = 1d\nreplications = 1\nseed = 7\n"
    "[channel web]\nrate = 40/h\nprofile = " RETAIL_WEEK "\nmix = question:0.6, complaint:0.4\n"
    "[type question]\nhandle = gamma(mean=6m, sd=3m)\npatience = exponential(mean=30m)\n"
    "[type complaint]\nhandle = lognormal(mean=10m, sd=8m)\npatience = exponential(mean=20m)\n"
    "[staff]\nagents = 5\n[policy]\nabandon = leave\n";

static void setup(void)
{
    rs_test_dir_create("fit");
    rs_test_write("rt.ini", roundtrip);
}

static void teardown(void) { rs_test_dir_destroy(); }

/* The value of quantity in scope from fit.csv. */
static double fit_value(const struct rs_csvin *c, const char *quantity, const char *scope)
{
    for (int r = 1; r < c->n_rows; r++)
        if (!strcmp(c->rows[r].cells[0], quantity) && !strcmp(c->rows[r].cells[1], scope))
            return c->rows[r].cells[2][0] ? strtod(c->rows[r].cells[2], NULL) : NAN;
    ck_abort_msg("fit.csv has no %s,%s", quantity, scope);
    return NAN;
}

/* Counts in the trace: handled (answered) and withdrawn messages of type. */
static void trace_counts(const struct rs_csvin *t, const char *type, double *handled,
                         double *withdrawn)
{
    int ct = rs_csvin_column(t, "type"), cf = rs_csvin_column(t, "fate");
    *handled = *withdrawn = 0;
    for (int r = 1; r < t->n_rows; r++) {
        if (strcmp(t->rows[r].cells[ct], type)) continue;
        *handled += !strcmp(t->rows[r].cells[cf], "answered");
        *withdrawn += !strcmp(t->rows[r].cells[cf], "abandoned");
    }
}

/* Handle means within 4 standard errors of the truth (sd / sqrt(n)), the
 * family the truth's, patience means within 4 standard errors (mean /
 * sqrt(withdrawals): the exponential MLE's). */
START_TEST(roundtrip_recovers_types)
{
    ck_assert_int_eq(rs_test_replysim("run rt.ini -q --trace -o sim"), 0);
    ck_assert_int_eq(rs_test_replysim("fit sim/messages.csv -o fit"), 0);
    struct rs_csvin *t = rs_test_read_csv("sim/messages.csv"), *f = rs_test_read_csv("fit/fit.csv");
    static const struct {
        const char *type, *family;
        double mean_s, sd_s, patience_s;
    } truth[] = {{"question", "gamma", 360, 180, 1800}, {"complaint", "lognormal", 600, 480, 1200}};
    for (int k = 0; k < 2; k++) {
        double n, d;
        char scope[64];
        trace_counts(t, truth[k].type, &n, &d);
        ck_assert_msg(n > 1000 && d > 200, "%s: %g handled, %g withdrawn", truth[k].type, n, d);
        snprintf(scope, sizeof scope, "type:%s", truth[k].type);
        double mean = fit_value(f, "handle_mean_s", scope), se = truth[k].sd_s / sqrt(n);
        ck_assert_msg(fabs(mean - truth[k].mean_s) < 4 * se, "%s handle mean %g, truth %g, se %g",
                      truth[k].type, mean, truth[k].mean_s, se);
        double sd = fit_value(f, "handle_sd_s", scope);
        ck_assert_msg(fabs(sd / truth[k].sd_s - 1) < 0.1, "%s handle sd %g", truth[k].type, sd);
        double pat = fit_value(f, "patience_mean_s", scope), pse = truth[k].patience_s / sqrt(d);
        ck_assert_msg(fabs(pat - truth[k].patience_s) < 4 * pse, "%s patience %g, truth %g, se %g",
                      truth[k].type, pat, truth[k].patience_s, pse);
        /* the chosen family has the lowest AIC row */
        int found = 0;
        for (int r = 1; r < f->n_rows; r++) {
            char **c = f->rows[r].cells;
            if (!strcmp(c[0], "handle_mean_s") && !strcmp(c[1], scope))
                found = strncmp(c[6], truth[k].family, strlen(truth[k].family)) == 0;
        }
        ck_assert_msg(found, "%s: not fitted as %s", truth[k].type, truth[k].family);
    }
    rs_csvin_destroy(t);
    rs_csvin_destroy(f);
}
END_TEST

/* The hour-of-week profile: with N arrivals, the count of hour h is
 * Poisson with mean N p_h (p_h the true multiplier's share), so the fitted
 * profile turned into counts has a chi-square distance of 167 degrees of
 * freedom from them; it must stay below the 0.999 quantile.  The fitted
 * scenario then runs as it is. */
START_TEST(roundtrip_recovers_profile)
{
    ck_assert_int_eq(rs_test_replysim("run rt.ini -q --trace -o sim"), 0);
    ck_assert_int_eq(rs_test_replysim("fit sim/messages.csv -o fit"), 0);
    struct rs_csvin *f = rs_test_read_csv("fit/fit.csv"),
                    *p = rs_test_read_csv("fit/profile_web.csv");
    struct rs_error err = {0};
    struct rs_csvin *truth = NULL;
    ck_assert(rs_csvin_read(RETAIL_WEEK, "retail", &truth, &err) == RS_OK);
    ck_assert_int_eq(p->n_rows, 169);
    ck_assert_int_eq(truth->n_rows, 169);
    double n = fit_value(f, "offered", "all"), st = 0, sf = 0, chi2 = 0;
    for (int h = 1; h <= 168; h++) {
        st += strtod(truth->rows[h].cells[1], NULL);
        sf += strtod(p->rows[h].cells[0], NULL);
    }
    for (int h = 1; h <= 168; h++) {
        double e = n * strtod(truth->rows[h].cells[1], NULL) / st;
        double o = n * strtod(p->rows[h].cells[0], NULL) / sf;
        chi2 += (o - e) * (o - e) / e;
    }
    ck_assert_msg(chi2 < gsl_cdf_chisq_Pinv(0.999, 167), "chi-square %g", chi2);
    /* the rate: N over two weeks, the truth 40/h within 4 Poisson errors */
    double rate = fit_value(f, "rate_per_h", "channel:web");
    ck_assert_msg(fabs(rate - 40) < 4 * sqrt(40 * 336) / 336, "rate %g", rate);
    /* no day-level dispersion in the truth: with D = 14 days of mu ~ 950
     * arrivals, the moment estimate of d^2 has a standard error of about
     * sqrt(2 / D) / mu = 4e-4, so d stays under sqrt(4 x 4e-4) = 0.04 */
    ck_assert_msg(fit_value(f, "dispersion", "channel:web") < 0.04, "dispersion %g",
                  fit_value(f, "dispersion", "channel:web"));
    ck_assert_int_eq(rs_test_replysim("run fit/scenario.ini -q -r 1 -o rerun"), 0);
    rs_csvin_destroy(f);
    rs_csvin_destroy(p);
    rs_csvin_destroy(truth);
}
END_TEST

/* Staffing: every interval with a queue had all five agents busy; the
 * estimate there is 5 (at least 95% of them), never above. */
START_TEST(roundtrip_recovers_staffing)
{
    ck_assert_int_eq(rs_test_replysim("run rt.ini -q --trace -o sim"), 0);
    ck_assert_int_eq(rs_test_replysim("fit sim/messages.csv -o fit"), 0);
    struct rs_csvin *s = rs_test_read_csv("fit/fit_staffing.csv");
    int ca = rs_csvin_column(s, "agents_effective"), cq = rs_csvin_column(s, "queued_min");
    int queued = 0, five = 0;
    for (int r = 1; r < s->n_rows; r++) {
        double a = strtod(s->rows[r].cells[ca], NULL);
        ck_assert_msg(a <= 5, "interval %d: %g agents", r - 1, a);
        if (strtod(s->rows[r].cells[cq], NULL) > 0) queued++, five += a == 5;
    }
    ck_assert_int_eq(s->n_rows - 1, 336);
    ck_assert_msg(queued > 100 && five >= 0.95 * queued, "%d of %d queued intervals at 5", five,
                  queued);
    rs_csvin_destroy(s);
    /* and by backtest: the fitted scenario (its staffing, patience, handle
     * model) replayed on the log's arrivals puts about 95% of the hours'
     * observations in their bands: at least 0.95 - 4 binomial errors */
    ck_assert_int_eq(rs_test_replysim("backtest sim/messages.csv fit/scenario.ini --draw-handles "
                                      "-r 30 -j 2 -q -o bt"),
                     0);
    struct rs_csvin *cov = rs_test_read_csv("bt/coverage.csv");
    static const char *const metrics[] = {"response_rate", "wait_mean_s", "frt_p90_s", "sl_30m"};
    for (int k = 0; k < 4; k++) {
        int found = 0;
        for (int r = 1; r < cov->n_rows; r++) {
            char **c = cov->rows[r].cells;
            if (strcmp(c[0], metrics[k])) continue;
            double n = strtod(c[1], NULL), covered = strtod(c[2], NULL);
            double se = sqrt(0.95 * 0.05 / n);
            ck_assert_msg(n == 336 && covered / n >= 0.95 - 4 * se, "%s: %g of %g", metrics[k],
                          covered, n);
            found = 1;
        }
        ck_assert_msg(found, "coverage.csv has no %s", metrics[k]);
    }
    rs_csvin_destroy(cov);
}
END_TEST

/* A short log: a time,multiplier profile over the horizon, staffing from
 * --agents, and the scenario runs as it is; the sample's counts by hand. */
START_TEST(short_log_scenario_runs)
{
    ck_assert_int_eq(
        rs_test_replysim("fit " RS_SOURCE_DIR "/tests/data/logs/events.csv --agents 2 -o fit"), 0);
    ck_assert(rs_test_contains("fit/scenario.ini", "agents = 2"));
    ck_assert(rs_test_contains("fit/scenario.ini", "horizon = 2d"));
    ck_assert(rs_test_contains("fit/profile_twitter.csv", "time,multiplier\n0s,0\n"));
    ck_assert(rs_test_contains("fit/scenario.ini", "rate = 1.5/d")); /* 3 in 2 days */
    ck_assert(rs_test_contains("stdout", "patience cannot be identified"));
    ck_assert_int_eq(rs_test_replysim("run fit/scenario.ini -q -r 1 -o rerun"), 0);
    /* twcs has no handle times: --handle, else exit 2 with nothing written */
    const char *twcs = RS_SOURCE_DIR "/tests/data/logs/twcs.csv";
    ck_assert_int_eq(rs_test_replysim("fit %s -o tw --agents 1", twcs), 2);
    ck_assert(rs_test_contains("stderr", "expected handle times"));
    ck_assert(!rs_test_exists("tw"));
    ck_assert_int_eq(rs_test_replysim("fit %s --brand sprintcare -o tw --agents 1 "
                                      "--handle 'exponential(mean=4m)'",
                                      twcs),
                     0);
    ck_assert(rs_test_contains("fit/fit.csv", "offered,all,6,"));
    /* --schedule is copied beside the scenario; --interval 15m makes the
     * profile's bins and the scenario's interval 15m */
    rs_test_write("s.csv", "time,agents\n0s,1\n8h,3\n18h,1\n");
    ck_assert_int_eq(rs_test_replysim("fit " RS_SOURCE_DIR "/tests/data/logs/events.csv "
                                      "--schedule s.csv --interval 15m -o sched"),
                     0);
    ck_assert(rs_test_contains("sched/scenario.ini", "schedule = schedule.csv"));
    ck_assert(rs_test_contains("sched/scenario.ini", "interval = 15m"));
    ck_assert(rs_test_contains("sched/schedule.csv", "time,agents\n0s,1\n8h,3\n18h,1\n"));
    ck_assert(rs_test_contains("sched/profile_twitter.csv", "\n15m,0\n"));
    ck_assert_int_eq(rs_test_replysim("run sched/scenario.ini -q -r 1 -o rerun3"), 0);
    ck_assert(rs_test_contains("tw/fit.csv", "offered,all,5,"));
    ck_assert_int_eq(rs_test_replysim("run tw/scenario.ini -q -r 1 -o rerun2"), 0);
}
END_TEST

/* A type that needs no reply (replysim's no_reply fate: never taken,
 * answered or withdrawn) is fitted as reply = no, not given handle times
 * that would load the agents. */
START_TEST(a_type_nobody_answers_is_triage)
{
    rs_test_write("tri.ini", "[scenario]\nhorizon = 2d\nwarmup = 0s\nseed = 3\n"
                             "[channel tw]\nrate = 20/h\nmix = q:0.7, praise:0.3\n"
                             "[type q]\nhandle = exponential(mean=4m)\n"
                             "[type praise]\nreply = no\n[staff]\nagents = 2\n");
    ck_assert_int_eq(rs_test_replysim("run tri.ini -q --trace -r 1 -o sim"), 0);
    ck_assert_int_eq(rs_test_replysim("fit sim/messages.csv -o fit"), 0);
    ck_assert(rs_test_contains("fit/scenario.ini", "[type praise]\n"));
    ck_assert(
        rs_test_contains("fit/scenario.ini", "answered or withdrawn in the log\nreply = no\n"));
    ck_assert(rs_test_contains("stdout", "type praise: none of its"));
    ck_assert(!rs_test_contains("stdout", "type q: none of its"));
    ck_assert_int_eq(rs_test_replysim("run fit/scenario.ini -q -r 1 -o rerun"), 0);
}
END_TEST

/* Chi-square quantiles of many degrees of freedom (the intervals of large
 * counts): GSL's inversion can fail there, the approximation must not, and
 * agree with the normal limit df + z sqrt(2 df). */
START_TEST(chisq_quantile_large_df)
{
    double df = 4e6, z = 1.959963984540054;
    double hi = rs_fit_chisq_quantile(0.975, df), lo = rs_fit_chisq_quantile(0.025, df);
    ck_assert(fabs(hi / (df + z * sqrt(2 * df)) - 1) < 1e-5);
    ck_assert(fabs(lo / (df - z * sqrt(2 * df)) - 1) < 1e-5);
    ck_assert(fabs(rs_fit_chisq_quantile(0.975, 10) / 20.483177350807388 - 1) < 1e-9);
}
END_TEST

Suite *rs_test_fit_suite(void);
Suite *rs_test_fit_suite(void)
{
    Suite *s = suite_create("fit");
    TCase *tc = tcase_create("fit");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, roundtrip_recovers_types);
    tcase_add_test(tc, roundtrip_recovers_profile);
    tcase_add_test(tc, roundtrip_recovers_staffing);
    tcase_add_test(tc, short_log_scenario_runs);
    tcase_add_test(tc, a_type_nobody_answers_is_triage);
    tcase_add_test(tc, chisq_quantile_large_df);
    suite_add_tcase(s, tc);
    return s;
}
