/* test_examples.c: the shipped scenarios of scenarios/.
 *
 * Every scenario file of scenarios/ loads, and its resolved form (what `replysim
 * validate` prints) loads again to the same scenario.  retail_2015.ini
 * reproduces the 2015 retail finding it is calibrated to (docs/outcomes.md,
 * "Calibration target"; docs/calibration.md): about 80% of the messages
 * needing a reply unanswered and about 12 hours to the first reply among
 * those answered.  Both the replication mean and its 95% confidence
 * interval must lie inside the band, so the check fails when the model
 * drifts, not only when one replication is unlucky.
 *
 * RS_QUICK (the sanitizer build) runs 6 replications instead of the file's
 * 10; the bands stay the same. */
#include "replysim/experiment.h"
#include "replysim/scenario.h"

#include <check.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCENARIOS RS_SOURCE_DIR "/scenarios/"

/* The calibration bands of docs/calibration.md. */
#define UNANSWERED_TARGET 0.80 /* share of inbox messages never answered */
#define UNANSWERED_TOL 0.05
#define FRT_TARGET_H 12.0 /* mean first response time of answered messages, hours */
#define FRT_TOL_H 2.0

static void load_ok(const char *path, struct rs_scenario **sc)
{
    struct rs_error err;
    char msg[1024];
    memset(&err, 0, sizeof err);
    int rc = rs_scenario_load(path, sc, &err);
    rs_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s: %s", path, msg);
}

/* Every shipped scenario loads, and writes as INI that loads to itself. */
START_TEST(every_scenario_loads_and_round_trips)
{
    glob_t g;
    ck_assert_int_eq(glob(SCENARIOS "*.ini", 0, NULL, &g), 0);
    ck_assert_msg(g.gl_pathc >= 5, "expected at least 5 scenarios, found %zu", g.gl_pathc);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *path = g.gl_pathv[i];
        struct rs_scenario *sc = NULL, *again = NULL;
        load_ok(path, &sc);

        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(rs_scenario_write(sc, f), RS_OK);
        fclose(f);

        struct rs_error err;
        char msg[1024];
        memset(&err, 0, sizeof err);
        int rc = rs_scenario_load_string(text, path, &again, &err);
        rs_error_format(&err, msg, sizeof msg);
        ck_assert_msg(rc == RS_OK, "%s: resolved form does not load: %s\n%s", path, msg, text);
        ck_assert_msg(rs_scenario_equal(sc, again),
                      "%s: resolved form loads to another scenario\n%s", path, text);
        free(text);
        rs_scenario_destroy(again);
        rs_scenario_destroy(sc);
    }
    globfree(&g);
}
END_TEST

/* Fails unless the mean and the whole CI of s lie in [lo, hi]. */
static void in_band(const char *what, const struct rs_summary *s, double lo, double hi)
{
    ck_assert_msg(s->n >= 2, "%s: only %d replications defined", what, s->n);
    ck_assert_msg(s->mean >= lo && s->mean <= hi && s->ci_low >= lo && s->ci_high <= hi,
                  "%s: %.4g (95%% CI %.4g to %.4g) outside the band %.4g to %.4g", what, s->mean,
                  s->ci_low, s->ci_high, lo, hi);
}

START_TEST(retail_2015_reproduces_the_finding)
{
    struct rs_scenario *sc = NULL;
    load_ok(SCENARIOS "retail_2015.ini", &sc);
    struct rs_run_opts o = {.replications = getenv("RS_QUICK") ? 6 : sc->replications,
                            .seed = sc->seed,
                            .threads = 4,
                            .progress = 0};
    struct rs_results *res = NULL;
    struct rs_error err;
    char msg[1024];
    memset(&err, 0, sizeof err);
    int rc = rs_experiment_run(sc, &o, &res, &err);
    rs_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "retail_2015: %s", msg);

    /* unanswered = 1 - response_rate: response_rate is over inbox messages,
     * the messages needing a reply, as in Sprout's finding */
    struct rs_summary rr, frt;
    ck_assert_int_eq(rs_results_get(res, "response_rate", "all", &rr), RS_OK);
    ck_assert_int_eq(rs_results_get(res, "frt_mean_s", "all", &frt), RS_OK);
    struct rs_summary unanswered = {1 - rr.mean, 1 - rr.ci_high, 1 - rr.ci_low, rr.sd, rr.n};
    struct rs_summary frt_h = {frt.mean / 3600, frt.ci_low / 3600, frt.ci_high / 3600,
                               frt.sd / 3600, frt.n};
    in_band("unanswered share", &unanswered, UNANSWERED_TARGET - UNANSWERED_TOL,
            UNANSWERED_TARGET + UNANSWERED_TOL);
    in_band("mean first response time (h)", &frt_h, FRT_TARGET_H - FRT_TOL_H,
            FRT_TARGET_H + FRT_TOL_H);

    /* the mechanism, not only the two numbers: nothing blocked or left open,
     * so every unanswered message was written off by max_age */
    struct rs_summary blocked, backlog;
    ck_assert_int_eq(rs_results_get(res, "blocked_rate", "all", &blocked), RS_OK);
    ck_assert_int_eq(rs_results_get(res, "backlog_end", "all", &backlog), RS_OK);
    ck_assert_double_eq(blocked.mean, 0);
    ck_assert_double_eq(backlog.mean, 0);

    rs_results_destroy(res);
    rs_scenario_destroy(sc);
}
END_TEST

Suite *rs_test_examples_suite(void);
Suite *rs_test_examples_suite(void)
{
    Suite *s = suite_create("examples");
    TCase *tc = tcase_create("scenarios");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_scenario_loads_and_round_trips);
    tcase_add_test(tc, retail_2015_reproduces_the_finding);
    suite_add_tcase(s, tc);
    return s;
}
