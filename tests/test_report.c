/* test_report.c: one writer for a results folder (rs_report_write): every
 * file in place, or none when one fails; the run folder (rs_report_run). */
#include "replysim/experiment.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void setup(void) { rs_test_dir_create("report"); }
static void teardown(void) { rs_test_dir_destroy(); }

static int put_text(FILE *f, const void *ctx, struct rs_error *err)
{
    (void)err;
    fputs(ctx, f);
    return RS_OK;
}

static int put_fail(FILE *f, const void *ctx, struct rs_error *err)
{
    fputs("half written\n", f);
    return rs_error_io(err, ctx, "cannot read the rows back");
}

START_TEST(writes_every_file_in_order)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/out/deep", rs_test_dir);
    const struct rs_report_entry files[] = {
        {"a.csv", put_text, "x,y\n1,2\n"},
        {"skipped.csv", NULL, "never"},
        {"b.ini", put_text, "[scenario]\n"},
    };
    struct rs_error err = {0};
    ck_assert_int_eq(rs_report_write(dir, files, 3, &err), RS_OK);
    ck_assert(rs_test_contains("out/deep/a.csv", "x,y\n1,2\n"));
    ck_assert(rs_test_contains("out/deep/b.ini", "[scenario]\n"));
    ck_assert(!rs_test_exists("out/deep/skipped.csv"));
}
END_TEST

START_TEST(a_failing_writer_leaves_the_folder_untouched)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/out", rs_test_dir);
    const struct rs_report_entry first[] = {{"a.csv", put_text, "old\n"}};
    struct rs_error err = {0};
    ck_assert_int_eq(rs_report_write(dir, first, 1, &err), RS_OK);

    const struct rs_report_entry files[] = {
        {"a.csv", put_text, "new\n"},
        {"b.csv", put_fail, "b.csv"},
        {"c.csv", put_text, "never reached\n"},
    };
    ck_assert_int_eq(rs_report_write(dir, files, 3, &err), RS_EIO);
    ck_assert_str_eq(err.file, "b.csv");
    ck_assert_str_eq(err.msg, "cannot read the rows back");
    /* the earlier run's file and marker stay as they were, and no temporary is left */
    char *a = rs_test_slurp("out/a.csv");
    ck_assert_str_eq(a, "old\n");
    free(a);
    ck_assert(!rs_test_exists("out/b.csv"));
    ck_assert(!rs_test_exists("out/c.csv"));
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "test \"$(ls -A '%s/out' | tr '\\n' ' ')\" = '.replysim a.csv ' && "
             "test $(ls -A '%s' | wc -l) -eq 1",
             rs_test_dir, rs_test_dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(a_file_in_the_folders_place_is_bad_input)
{
    rs_test_write("plain", "a file, not a folder\n");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/plain", rs_test_dir);
    const struct rs_report_entry files[] = {{"a.csv", put_text, "x\n"}};
    struct rs_error err = {0};
    ck_assert_int_eq(rs_report_write(dir, files, 1, &err), RS_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "folder"));
    ck_assert_int_eq(rs_report_prepare(dir, &err), RS_EINPUT);
}
END_TEST

static const char *const text =
    "[scenario]\nname = rep\nhorizon = 1d\nwarmup = 0s\nreplications = 2\nseed = 3\n"
    "[channel tw]\nrate = 10/h\nmix = question:1\n"
    "[type question]\nhandle = exponential(mean=5m)\n[staff]\nagents = 2\n";

static void run_folder(int trace)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    ck_assert_msg(rs_scenario_load_string(text, "rep", &sc, &err) == RS_OK, "%s", err.msg);
    struct rs_run_opts o = {.replications = 2, .seed = 3, .threads = 1, .trace = trace};
    struct rs_results *res = NULL;
    ck_assert_int_eq(rs_experiment_run(sc, &o, &res, &err), RS_OK);
    ck_assert_int_eq(rs_results_traced(res), trace);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/run", rs_test_dir);
    ck_assert_int_eq(rs_report_run(dir, res, sc, &err), RS_OK);
    rs_results_destroy(res);
    rs_scenario_destroy(sc);
}

START_TEST(the_run_folder)
{
    run_folder(0);
    ck_assert(rs_test_contains("run/summary.csv", "metric,scope,mean,ci_low,ci_high,sd,n\n"));
    ck_assert(rs_test_contains("run/replications.csv", "replication,seed,"));
    ck_assert(rs_test_contains("run/latency.csv", "scope,t_s,answered_within,"));
    ck_assert(rs_test_contains("run/intervals.csv", "interval,start_s,start,metric,"));
    ck_assert(rs_test_contains("run/scenario.ini", "rerun with `replysim run scenario.ini`"));
    ck_assert(!rs_test_exists("run/messages.csv"));
    run_folder(1);
    ck_assert(rs_test_contains("run/messages.csv", rs_results_trace_header()));
}
END_TEST

/* The library's run folder is byte for byte what `replysim run` writes. */
START_TEST(the_run_folder_is_what_run_writes)
{
    run_folder(1);
    rs_test_write("rep.ini", text);
    ck_assert_int_eq(rs_test_replysim("run rep.ini -q --trace -o cli"), 0);
    static const char *const names[] = {"summary.csv",   "replications.csv", "latency.csv",
                                        "intervals.csv", "messages.csv",     "scenario.ini"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char a[64], b[64];
        snprintf(a, sizeof a, "run/%s", names[i]);
        snprintf(b, sizeof b, "cli/%s", names[i]);
        char *x = rs_test_slurp(a), *y = rs_test_slurp(b);
        ck_assert_msg(strcmp(x, y) == 0, "%s differs", names[i]);
        free(x);
        free(y);
    }
}
END_TEST

Suite *rs_test_report_suite(void);
Suite *rs_test_report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, writes_every_file_in_order);
    tcase_add_test(tc, a_failing_writer_leaves_the_folder_untouched);
    tcase_add_test(tc, a_file_in_the_folders_place_is_bad_input);
    tcase_add_test(tc, the_run_folder);
    tcase_add_test(tc, the_run_folder_is_what_run_writes);
    suite_add_tcase(s, tc);
    return s;
}
