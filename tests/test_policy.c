/* test_policy.c: properties of reply policies that queueing theory fixes. */
#include "replysim/experiment.h"
#include "replysim/scenario.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* M/M/1 at rho = 0.8: lambda = 9.6/h, mean handle 5 min. */
static struct rs_results *mm1(const char *order)
{
    char text[1024];
    snprintf(text, sizeof text,
             "[scenario]\nname = mm1\nhorizon = %s\nwarmup = 2d\ndrain = 30d\nreplications = 12\n"
             "seed = 11\n[channel c]\nrate = 9.6/h\n[type t]\nhandle = exponential(mean=5m)\n"
             "[staff]\nagents = 1\n[policy]\norder = %s\n",
             getenv("RS_QUICK") ? "60d" : "300d", order);
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    ck_assert_msg(rs_scenario_load_string(text, "mm1", &sc, &err) == RS_OK, "%s", err.msg);
    struct rs_run_opts o = {.replications = sc->replications, .seed = sc->seed, .threads = 2};
    struct rs_results *res = NULL;
    ck_assert_int_eq(rs_experiment_run(sc, &o, &res, &err), RS_OK);
    rs_scenario_destroy(sc);
    return res;
}

/* Any order that ignores handle times gives the same mean wait (work is
 * conserved and Little's law holds), rho / (mu - lambda) = 1200 s, while
 * lifo leaves a few messages waiting far longer: its p99 is larger. */
START_TEST(fifo_and_lifo_same_mean_lifo_heavier_tail)
{
    const double lambda = 9.6 / 3600, mu = 1.0 / 300, exact = (lambda / mu) / (mu - lambda);
    struct rs_results *fifo = mm1("fifo"), *lifo = mm1("lifo");
    struct rs_summary f, l, f99, l99;
    ck_assert_int_eq(rs_results_get(fifo, "wait_mean_s", "all", &f), RS_OK);
    ck_assert_int_eq(rs_results_get(lifo, "wait_mean_s", "all", &l), RS_OK);
    /* 4 standard errors of the replication means */
    ck_assert_msg(fabs(f.mean - exact) <= 4 * f.sd / sqrt(f.n), "fifo %g vs %g", f.mean, exact);
    ck_assert_msg(fabs(l.mean - exact) <= 4 * l.sd / sqrt(l.n), "lifo %g vs %g", l.mean, exact);
    ck_assert_int_eq(rs_results_get(fifo, "wait_p99_s", "all", &f99), RS_OK);
    ck_assert_int_eq(rs_results_get(lifo, "wait_p99_s", "all", &l99), RS_OK);
    /* fifo's p99 is exact for M/M/1: P(W > t) = rho exp(-(mu - lambda) t) */
    double p99 = log((lambda / mu) / 0.01) / (mu - lambda);
    ck_assert_msg(fabs(f99.mean - p99) <= 4 * f99.sd / sqrt(f99.n) + 0.004 * p99,
                  "fifo p99 %g vs %g", f99.mean, p99);
    ck_assert_msg(l99.ci_low > f99.ci_high, "lifo p99 [%g, %g] vs fifo [%g, %g]", l99.ci_low,
                  l99.ci_high, f99.ci_low, f99.ci_high);
    rs_results_destroy(fifo);
    rs_results_destroy(lifo);
}
END_TEST

Suite *rs_test_policy_suite(void);
Suite *rs_test_policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *tc = tcase_create("theory");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, fifo_and_lifo_same_mean_lifo_heavier_tail);
    suite_add_tcase(s, tc);
    return s;
}
