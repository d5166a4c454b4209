/* test_runners.c: the experiment runners of the library without the
 * program: sweep axes and points, the variant loader, staff targets, check
 * tolerances, scenario copies and the progress callbacks. */
#include "replysim/check.h"
#include "replysim/compare.h"
#include "replysim/experiment.h"
#include "replysim/progress.h"
#include "replysim/scenario.h"
#include "replysim/staff.h"
#include "replysim/sweep.h"
#include "replysim/variant.h"
#include "util.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const text =
    "[scenario]\nname = rn\nhorizon = 1d\nwarmup = 0s\nreplications = 3\nseed = 4\n"
    "[channel tw]\nrate = 10/h\nmix = question:1\n"
    "[type question]\nhandle = exponential(mean=5m)\n[staff]\nagents = 2\n";

static void setup(void)
{
    rs_test_dir_create("runners");
    rs_test_write("s.ini", text);
}
static void teardown(void) { rs_test_dir_destroy(); }

static const char *path(const char *name)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", rs_test_dir, name);
    return buf;
}

/* ------------------------------------------------------------- sweep */

START_TEST(sweep_axes)
{
    static const struct {
        const char *text;
        const char *values; /* joined by spaces; NULL: refused */
    } cases[] = {
        {"fifo, lifo ,deadline", "fifo lifo deadline"},
        {"0.1:0.5:0.1", "0.1 0.2 0.3 0.4 0.5"},
        {"3:8:2", "3 5 7"},
        {"20/h:40/h:10/h", "20/h 30/h 40/h"},
        {"1:-1:-1", "1 0 -1"},
        {"2:2:1", "2"},
        {"1,,2", NULL},
        {"3:8:0", NULL},
        {"3:8:-1", NULL},
        {"3:8:1x", NULL},
        {"1:100000:1", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_sweep sw = {0};
        char why[256] = "", got[512] = "";
        int rc = rs_sweep_add_axis(&sw, "staff.agents", cases[i].text, why, sizeof why);
        if (!cases[i].values) {
            ck_assert_msg(rc == -1 && why[0], "%s accepted", cases[i].text);
            ck_assert_int_eq(sw.n_axes, 0);
            continue;
        }
        ck_assert_msg(rc == 0, "%s: %s", cases[i].text, why);
        for (int k = 0; k < sw.axes[0].n; k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "",
                     sw.axes[0].values[k]);
        ck_assert_str_eq(got, cases[i].values);
        rs_sweep_free(&sw);
    }
}
END_TEST

START_TEST(sweep_points_last_axis_fastest)
{
    struct rs_sweep sw = {0};
    char why[256];
    ck_assert_int_eq(rs_sweep_add_axis(&sw, "staff.agents", "1,2", why, sizeof why), 0);
    ck_assert_int_eq(rs_sweep_add_axis(&sw, "policy.order", "fifo,lifo,deadline", why, sizeof why),
                     0);
    sw.n_points = 6;
    ck_assert_str_eq(rs_sweep_value(&sw, 0, 0), "1");
    ck_assert_str_eq(rs_sweep_value(&sw, 2, 1), "deadline");
    ck_assert_str_eq(rs_sweep_value(&sw, 3, 0), "2");
    ck_assert_str_eq(rs_sweep_value(&sw, 4, 1), "lifo");
    rs_sweep_free(&sw);
}
END_TEST

/* The rows of a sweep run on t threads. */
static char *sweep_rows(int threads, int *rc)
{
    struct rs_sweep sw = {.path = path("s.ini"), .replications = 2, .seed = 9};
    char why[256];
    ck_assert_int_eq(rs_sweep_add_axis(&sw, "staff.agents", "1:4:1", why, sizeof why), 0);
    sw.n_points = 4;
    FILE *rows = tmpfile();
    ck_assert_ptr_nonnull(rows);
    struct rs_error err = {0};
    *rc = rs_sweep_run(&sw, threads, rows, &err);
    char *s = rs_test_read_stream(rows);
    fclose(rows);
    rs_sweep_free(&sw);
    return s;
}

START_TEST(sweep_rows_whatever_the_threads)
{
    int rc;
    char *one = sweep_rows(1, &rc);
    ck_assert_int_eq(rc, RS_OK);
    ck_assert(!strncmp(one, "1,1,", 4));
    ck_assert_ptr_nonnull(strstr(one, "\n4,4,"));
    for (int t = 2; t <= 8; t *= 2) {
        char *many = sweep_rows(t, &rc);
        ck_assert_str_eq(one, many);
        free(many);
    }
    free(one);
}
END_TEST

START_TEST(sweep_bad_point_names_its_value)
{
    struct rs_sweep sw = {.path = path("s.ini"), .replications = 2, .seed = 9};
    char why[256];
    ck_assert_int_eq(rs_sweep_add_axis(&sw, "staff.agents", "1,x", why, sizeof why), 0);
    sw.n_points = 2;
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_sweep_load_point(&sw, 0, &sc, &err), RS_OK);
    ck_assert_int_eq(sc->replications, 2);
    ck_assert_int_eq(sc->agents, 1);
    rs_scenario_destroy(sc);
    ck_assert_int_eq(rs_sweep_load_point(&sw, 1, &sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.file, "--vary staff.agents=x");
    FILE *rows = tmpfile();
    ck_assert_int_eq(rs_sweep_run(&sw, 2, rows, &err), RS_EINPUT);
    ck_assert_str_eq(err.file, "--vary staff.agents=x");
    fclose(rows);
    rs_sweep_free(&sw);
}
END_TEST

/* ------------------------------------------------------------- variants */

START_TEST(variant_errors_name_the_variant)
{
    const char *sets[] = {"staff.agents=3"};
    const char *own[] = {"policy.order=lifo", "staff.agents=nope"};
    struct rs_variant v = {path("s.ini"), sets, 1, own, 1, "--variant more", 0};
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_variant_load(&v, &sc, &err), RS_OK);
    ck_assert_int_eq(sc->agents, 3);
    ck_assert_str_eq(sc->order, "lifo");
    rs_scenario_destroy(sc);
    v.n_own = 2;
    ck_assert_int_eq(rs_variant_load(&v, &sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.file, "--variant more");
    ck_assert_int_eq(err.line, 0);
    /* a shared setting keeps its own name */
    const char *bad[] = {"staff.agents=x"};
    struct rs_variant w = {path("s.ini"), bad, 1, own, 1, "--variant more", 0};
    ck_assert_int_eq(rs_variant_load(&w, &sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.file, "--set");
    ck_assert_int_eq(err.line, 1);
}
END_TEST

/* ------------------------------------------------------------- staff, check */

START_TEST(staff_targets)
{
    static const struct {
        const char *text;
        int ok;
        enum rs_staff_kind kind;
        int ge;
        double goal;
        const char *metric;
    } cases[] = {
        {"sl(1h) >= 0.9", 1, RS_STAFF_SL, 1, 0.9, "sl_1h"},
        {"response_rate>=0.95", 1, RS_STAFF_RR, 1, 0.95, "response_rate"},
        {"frt_p90<=4h", 1, RS_STAFF_FRT_Q, 1, 0.9, "answered_within_4h"},
        {"frt_mean<=30m", 1, RS_STAFF_FRT_MEAN, 0, 1800, "frt_mean_s"},
        {"sl_bh(30m)>=0.8", 1, RS_STAFF_SL_BH, 1, 0.8, "sl_bh_30m"},
        {"abandon_rate<=0.05", 1, RS_STAFF_UNANSWERED, 0, 0.05, "unanswered_rate"},
        {"occupancy <= 0.85", 1, RS_STAFF_OCCUPANCY, 0, 0.85, "occupancy"},
        {"abandon_rate<=1", 0, 0, 0, 0, NULL},
        {"abandon_rate>=0.1", 0, 0, 0, 0, NULL},
        {"sl_bh(x)>=0.9", 0, 0, 0, 0, NULL},
        {"sl_bh>=0.9", 0, 0, 0, 0, NULL},
        {"sl(0)>=0.9", 0, 0, 0, 0, NULL},
        {"sl(1h)<=0.9", 0, 0, 0, 0, NULL},
        {"frt_p80<=1h", 0, 0, 0, 0, NULL},
        {"response_rate>=0", 0, 0, 0, 0, NULL},
        {"frt_mean<=x", 0, 0, 0, 0, NULL},
        {"", 0, 0, 0, 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_staff_target t;
        char why[256] = "";
        int rc = rs_staff_target_parse(cases[i].text, &t, why, sizeof why);
        if (!cases[i].ok) {
            ck_assert_msg(rc == -1 && why[0], "%s accepted", cases[i].text);
            continue;
        }
        ck_assert_msg(rc == 0, "%s: %s", cases[i].text, why);
        ck_assert_int_eq(t.kind, cases[i].kind);
        ck_assert_int_eq(t.ge, cases[i].ge);
        ck_assert_double_eq_tol(t.goal, cases[i].goal, 1e-12);
        ck_assert_str_eq(t.metric, cases[i].metric);
    }
}
END_TEST

START_TEST(check_tolerances)
{
    struct rs_check_tolerance t;
    char why[256];
    ck_assert_int_eq(rs_check_parse_tolerance("sl_*=0.02", &t, why, sizeof why), 0);
    ck_assert_str_eq(t.pattern, "sl_*");
    ck_assert_int_eq(t.relative, 0);
    ck_assert_double_eq(t.value, 0.02);
    ck_assert_int_eq(rs_check_parse_tolerance("wait_p90_s=10%", &t, why, sizeof why), 0);
    ck_assert_int_eq(t.relative, 1);
    ck_assert_double_eq_tol(t.value, 0.1, 1e-15);
    ck_assert_str_eq(t.text, "10%");
    ck_assert_int_eq(rs_check_parse_tolerance("x=-1", &t, why, sizeof why), -1);
    ck_assert_int_eq(rs_check_parse_tolerance("=1", &t, why, sizeof why), -1);
    ck_assert_int_eq(rs_check_parse_tolerance("x=%", &t, why, sizeof why), -1);
    struct rs_check c;
    rs_check_init(&c);
    ck_assert_double_eq(c.alpha, 0.05);
    ck_assert_int_eq(c.n_tol, 6);
    ck_assert_str_eq(c.tol[0].pattern, "*");
    rs_check_free(&c);
}
END_TEST

/* ------------------------------------------------------------- scenario copy */

START_TEST(a_copy_owns_its_arrays)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_scenario_load_string(text, "rn", &sc, &err), RS_OK);
    const double t[] = {0, 3600}, v[] = {1, 2};
    rs_scenario_set_schedule(sc, "a.csv", 2, t, v);
    ck_assert_int_eq(sc->agents, 0);
    struct rs_scenario *c = rs_scenario_copy(sc);
    ck_assert(rs_scenario_equal(sc, c));
    ck_assert_ptr_ne(c->schedule.value, sc->schedule.value);
    c->schedule.value[1] = 5;
    ck_assert_double_eq(sc->schedule.value[1], 2);
    rs_scenario_set_schedule(c, "", 0, NULL, NULL);
    ck_assert_int_eq(c->schedule.n, 0);
    ck_assert_str_eq(c->schedule.path, "");
    rs_scenario_destroy(c);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------------------- progress */

struct seen {
    int calls, runs;
    long last_done, total;
    double last_fraction;
    int monotone;
};

static void record(void *ctx, const struct rs_progress *p)
{
    struct seen *s = ctx;
    s->calls++;
    if (p->what == RS_PROGRESS_RUN) {
        s->runs++;
        s->last_done = 0;
        return;
    }
    if (p->done < s->last_done) s->monotone = 0;
    s->last_done = p->done;
    s->total = p->total;
    s->last_fraction = p->fraction;
}

START_TEST(progress_reaches_the_end)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_scenario_load_string(text, "rn", &sc, &err), RS_OK);
    struct seen s = {.monotone = 1};
    struct rs_run_opts o = {
        .replications = 5, .seed = 1, .threads = 3, .progress = record, .progress_ctx = &s};
    struct rs_results *res = NULL;
    ck_assert_int_eq(rs_experiment_run(sc, &o, &res, &err), RS_OK);
    ck_assert_int_ge(s.calls, 5);
    ck_assert(s.monotone);
    ck_assert_int_eq(s.last_done, 5);
    ck_assert_int_eq(s.total, 5);
    ck_assert_double_eq(s.last_fraction, 1);
    rs_results_destroy(res);

    /* compare: a run event before base and each variant */
    struct rs_compare *c = calloc(1, sizeof *c);
    c->path = path("s.ini");
    c->n = 1;
    snprintf(c->v[0].name, sizeof c->v[0].name, "more");
    c->v[0].own[c->v[0].n_own++] = strdup("staff.agents=4");
    memset(&s, 0, sizeof s);
    s.monotone = 1;
    ck_assert_int_eq(rs_compare_load(c, &err), RS_OK);
    ck_assert_int_eq(rs_compare_run(c, sc, &o, &err), RS_OK);
    ck_assert_int_eq(s.runs, 2);
    ck_assert_ptr_nonnull(c->base);
    ck_assert_ptr_nonnull(c->v[0].res);
    struct rs_paired p;
    ck_assert_int_eq(rs_results_paired(c->base, c->v[0].res, "wait_mean_s", "all", &p, &err),
                     RS_OK);
    ck_assert(p.diff < 0); /* more agents, shorter waits, on the same customers */
    rs_compare_free(c);
    free(c);
    rs_scenario_destroy(sc);
}
END_TEST

Suite *rs_test_runners_suite(void);
Suite *rs_test_runners_suite(void)
{
    Suite *s = suite_create("runners");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, sweep_axes);
    tcase_add_test(tc, sweep_points_last_axis_fastest);
    tcase_add_test(tc, sweep_rows_whatever_the_threads);
    tcase_add_test(tc, sweep_bad_point_names_its_value);
    tcase_add_test(tc, variant_errors_name_the_variant);
    tcase_add_test(tc, staff_targets);
    tcase_add_test(tc, check_tolerances);
    tcase_add_test(tc, a_copy_owns_its_arrays);
    tcase_add_test(tc, progress_reaches_the_end);
    suite_add_tcase(s, tc);
    return s;
}
