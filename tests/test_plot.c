/* test_plot.c: what `replysim plot` takes from a results folder (tool/plot.h):
 * numbers, text, and the gnuplot settings it builds from crafted files.
 * The command's answers on whole folders are in tests/data/hostile/plot.test. */
#include "plot.h"
#include "replysim/csvin.h"
#include "replysim/error.h"
#include "replysim/scenario.h"
#include "util.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The gnuplot scripts of this tree, wherever the program under test was
 * built (build/asan/replysim finds no ../plots beside it). */
static void setup(void)
{
    rs_test_dir_create("plot");
    setenv("REPLYSIM_PLOTS", RS_SOURCE_DIR "/plots", 1);
}
static void teardown(void) { rs_test_dir_destroy(); }

/* rs_plot_number: plain decimal numbers only. */
static const struct {
    const char *s;
    int ok;
    double x;
} numbers[] = {
    {"0", 1, 0},      {"-1.5", 1, -1.5}, {"+2", 1, 2},  {".5", 1, 0.5},  {"5.", 1, 5},
    {"1e3", 1, 1000}, {"1E-2", 1, 0.01}, {"", 0, 0},    {".", 0, 0},     {"-", 0, 0},
    {"nan", 0, 0},    {"NaN", 0, 0},     {"inf", 0, 0}, {"-inf", 0, 0},  {"1e999", 0, 0},
    {"0x10", 0, 0},   {"5abc", 0, 0},    {"1e", 0, 0},  {"1e+", 0, 0},   {"--1", 0, 0},
    {" 1", 0, 0},     {"1 ", 0, 0},      {"1,5", 0, 0}, {"1.2.3", 0, 0},
};

START_TEST(numbers_are_plain_decimals)
{
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        double x = -99;
        int rc = rs_plot_number(numbers[i].s, &x);
        ck_assert_msg((rc == 0) == numbers[i].ok, "\"%s\"", numbers[i].s);
        if (numbers[i].ok) ck_assert_double_eq(x, numbers[i].x);
    }
}
END_TEST

/* rs_plot_text: no control characters, quotes, (commas) or long text. */
static const struct {
    const char *s;
    int commas, ok;
    const char *why;
} texts[] = {
    {"channel:twitter", 0, 1, ""},
    {"mon 00:00", 0, 1, ""},
    {"`touch x`'; system('y')", 0, 1, ""},
    {"a,b", 1, 1, ""},
    {"a,b", 0, 0, "expected text without quotes or commas"},
    {"a\"b", 1, 0, "expected text without quotes"},
    {"a\nb", 1, 0, "expected text without control characters"},
    {"a\x1b[2J", 1, 0, "expected text without control characters"},
    {"a\x7f", 1, 0, "expected text without control characters"},
};

START_TEST(text_is_plain)
{
    char why[160];
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        why[0] = '\0';
        int rc = rs_plot_text(texts[i].s, texts[i].commas, why, sizeof why);
        ck_assert_msg((rc == 0) == texts[i].ok, "case %zu", i);
        ck_assert_str_eq(why, texts[i].why);
    }
    char long_text[RS_PLOT_MAX_TEXT + 2];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[RS_PLOT_MAX_TEXT] = '\0';
    ck_assert_int_eq(rs_plot_text(long_text, 0, why, sizeof why), 0);
    long_text[RS_PLOT_MAX_TEXT] = 'x';
    long_text[RS_PLOT_MAX_TEXT + 1] = '\0';
    ck_assert_int_eq(rs_plot_text(long_text, 0, why, sizeof why), -1);
    ck_assert_str_eq(why, "expected at most 256 characters, got 257");
}
END_TEST

/* A name with gnuplot syntax is one single-quoted literal. */
START_TEST(quote_doubles_single_quotes)
{
    struct rs_buf b = RS_BUF_INIT;
    rs_plot_setting(&b, "t", "a'; system('x'); `y` @z");
    ck_assert_str_eq(rs_buf_str(&b), "t='a''; system(''x''); `y` @z'; ");
    rs_buf_free(&b);
}
END_TEST

/* The settings of a sweep.csv whose values are gnuplot syntax: each value
 * inside a literal; and the file's line of the first bad cell. */
START_TEST(sweep_settings_keep_names_quoted)
{
    rs_test_write("sweep.csv", "point,policy.order,metric,scope,mean,ci_low,ci_high,sd,n\n"
                               "1,a'b,response_rate,all,0.5,0.4,0.6,0.1,2\n"
                               "2,`x`,response_rate,all,0.6,0.5,0.7,0.1,2\n");
    char path[512];
    snprintf(path, sizeof path, "%s/sweep.csv", rs_test_dir);
    struct rs_buf data = RS_BUF_INIT, set = RS_BUF_INIT;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_plot_sweep_settings(path, NULL, "s", 2, "d", &data, &set, &err), RS_OK);
    ck_assert_ptr_nonnull(strstr(rs_buf_str(&set), "categories='\"a''b\" \"`x`\"'"));
    ck_assert_str_eq(rs_buf_str(&data), "0 50 40 60 NaN NaN NaN \"a'b\"\n"
                                        "1 60 50 70 NaN NaN NaN \"`x`\"\n");
    rs_buf_reset(&data), rs_buf_reset(&set);
    rs_test_write("sweep.csv", "point,policy.order,metric,scope,mean,ci_low,ci_high,sd,n\n"
                               "1,a,response_rate,all,0.5,0.4,0.6,0.1,2\n"
                               "2,b,response_rate,all,0.5,inf,0.6,0.1,2\n");
    ck_assert_int_eq(rs_plot_sweep_settings(path, NULL, "s", 2, "d", &data, &set, &err), RS_EINPUT);
    ck_assert_int_eq(err.line, 3);
    ck_assert_str_eq(err.key, "ci_low");
    ck_assert_str_eq(err.msg, "expected a number or a blank");
    rs_buf_free(&data), rs_buf_free(&set);
}
END_TEST

/* A lone \r ends a line as \n and \r\n do: the lines in messages are the
 * lines an editor shows. */
START_TEST(csv_lines_count_lone_cr)
{
    static const struct {
        const char *text;
        int lines[3];
    } cases[] = {
        {"a,b\n1,2\n3,4\n", {1, 2, 3}},        {"a,b\r\n1,2\r\n3,4\r\n", {1, 2, 3}},
        {"a,b\r1,2\r3,4\r", {1, 2, 3}},        {"a,b\r1,\"x\ry\"\r3,4", {1, 2, 4}},
        {"a,b\n1,\"x\r\ny\"\n3,4", {1, 2, 4}},
    };
    char path[512];
    snprintf(path, sizeof path, "%s/x.csv", rs_test_dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rs_test_write("x.csv", cases[i].text);
        struct rs_csvin *c = NULL;
        struct rs_error err = {0};
        ck_assert_int_eq(rs_csvin_read(path, "x.csv", &c, &err), RS_OK);
        ck_assert_int_eq(c->n_rows, 3);
        for (int r = 0; r < 3; r++)
            ck_assert_msg(c->rows[r].line == cases[i].lines[r], "case %zu row %d: line %d", i, r,
                          c->rows[r].line);
        rs_csvin_destroy(c);
    }
}
END_TEST

/* What people read on an axis: words and a unit, and the factor to it. */
START_TEST(labels_say_what_and_unit)
{
    static const struct {
        const char *metric;
        double max_s;
        const char *label;
        double scale;
    } cases[] = {
        {"sl_1h", 0, "answered within 1h (%)", 100},
        {"response_rate", 0, "response rate (%)", 100},
        {"wait_within_15m", 0, "taken by an agent within 15m (%)", 100},
        {"occupancy", 0, "agents' occupancy (%)", 100},
        {"frt_p90_s", 600, "first response time, 90th percentile (minutes)", 1.0 / 60},
        {"frt_p90_s", 3 * 3600, "first response time, 90th percentile (hours)", 1.0 / 3600},
        {"wait_mean_s", 7199, "mean wait for an agent (minutes)", 1.0 / 60},
        {"offered", 0, "messages arrived", 1},
        {"defectors", 0, "customers lost (complaints)", 1},
        /* business hours, conversations, amplification, surge, staff's targets */
        {"sl_bh_1h", 0, "answered within 1h of business hours (%)", 100},
        {"frt_bh_p90_s", 600, "first response time in business hours, 90th percentile (minutes)",
         1.0 / 60},
        {"frt_bh_mean_s", 0, "mean first response time in business hours (minutes)", 1.0 / 60},
        {"sl_next_15m", 0, "later messages answered within 15m (%)", 100},
        {"resolved_rate", 0, "conversations resolved (%)", 100},
        {"moved_rate", 0, "conversations moved to private (%)", 100},
        {"resolution_p50_s", 3 * 3600, "time to resolve a conversation, 50th percentile (hours)",
         1.0 / 3600},
        {"nrt_mean_s", 0, "mean next reply time (minutes)", 1.0 / 60},
        {"nrt_p90_s", 0, "next reply time, 90th percentile (minutes)", 1.0 / 60},
        {"conversations", 0, "conversations", 1},
        {"turns_mean", 0, "agent replies per conversation", 1},
        {"amplified", 0, "messages caused by amplification", 1},
        {"surge_agent_hours", 0, "surge agents' hours on", 1},
        {"answered_within_2h", 0, "answered within 2h (%)", 100},
        {"unanswered_rate", 0, "left unanswered (%)", 100},
        {"no_such", 0, "no_such", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char label[256];
        double scale = rs_plot_metric_label(cases[i].metric, cases[i].max_s, label, sizeof label);
        ck_assert_str_eq(label, cases[i].label);
        ck_assert_msg(fabs(scale - cases[i].scale) < 1e-15, "%s: %g", cases[i].metric, scale);
    }
    static const char *const keys[][2] = {
        {"staff.agents", "agents"},
        {"policy.order", "reply order"},
        {"channel.twitter.rate", "arrival rate of twitter"},
        {"scenario.horizon", "scenario.horizon"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char label[256];
        rs_plot_key_label(keys[i][0], label, sizeof label);
        ck_assert_str_eq(label, keys[i][1]);
    }
}
END_TEST

/* The compare picture: the default metrics the file has, those no variant
 * changes left out, each with its direction, scale and words. */
START_TEST(compare_settings_pick_and_colour)
{
    rs_test_write("compare.csv",
                  "variant,metric,scope,base_mean,variant_mean,diff,ci_low,ci_high,sd,n,"
                  "rel_diff,significant\n"
                  "more,offered,all,100,100,0,0,0,0,3,0,0\n"
                  "more,response_rate,all,1,1,0,0,0,0,3,0,0\n"
                  "more,sl_1h,all,0.8,0.9,0.1,0.05,0.15,0.02,3,0.125,1\n"
                  "more,sl_1h,channel:a,0.8,0.9,0.1,0.05,0.15,0.02,3,0.125,1\n"
                  "more,frt_p90_s,all,900,600,-300,-400,-200,50,3,-0.33,1\n"
                  "l'ifo,sl_1h,all,0.8,0.7,-0.1,-0.2,0,0.02,3,-0.125,0\n");
    char path[512];
    snprintf(path, sizeof path, "%s/compare.csv", rs_test_dir);
    struct rs_scenario sc;
    memset(&sc, 0, sizeof sc);
    snprintf(sc.name, sizeof sc.name, "s");
    struct rs_buf set = RS_BUF_INIT;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_plot_compare_settings(path, NULL, &sc, "r", &set, &err), RS_OK);
    const char *t = rs_buf_str(&set);
    ck_assert_msg(strstr(t, "metrics='sl_1h frt_p90_s'") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "better='1 -1'") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "flat='0 0'") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "variants='\"more\" \"l''ifo\"'") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "change in answered within 1h (percentage points)") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "change in first response time, 90th percentile (minutes)") != NULL,
                  "%s", t);
    rs_buf_reset(&set);
    /* --metric: that one only, drawn even when flat */
    ck_assert_int_eq(rs_plot_compare_settings(path, "offered", &sc, "r", &set, &err), RS_OK);
    ck_assert_msg(strstr(rs_buf_str(&set), "metrics='offered'; scales='1'; flat='1'") != NULL, "%s",
                  rs_buf_str(&set));
    rs_buf_reset(&set);
    ck_assert_int_eq(rs_plot_compare_settings(path, "sl_2h", &sc, "r", &set, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "--metric");
    rs_buf_free(&set);
}
END_TEST

/* The scenario of the staffing tests, s.ini in the test folder, loaded. */
static struct rs_scenario *staffing_scenario(void)
{
    rs_test_write("s.ini", "[scenario]\nname = s\nhorizon = 1d\n[channel a]\nrate = 1/h\n"
                           "[type t]\nhandle = exponential(mean=5m)\n[staff]\nagents = 1\n");
    char ini[512];
    snprintf(ini, sizeof ini, "%s/s.ini", rs_test_dir);
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_scenario_load(ini, &sc, &err), RS_OK);
    return sc;
}

/* staffing: the axis in words, and the intervals not judged found by the
 * judged column, or in older files by an empty met. */
START_TEST(staffing_marks_unjudged_intervals)
{
    static const char head[] = "interval,start_s,start,agents,inbox_per_h,load_erl,metric,target,"
                               "mean,ci_low,ci_high,n,met";
    char text[512];
    snprintf(text, sizeof text,
             "%s,judged\n0,0,mon 00:00,1,2,0.2,frt_p90_s,900,600,500,700,2,1,1\n"
             "1,3600,mon 01:00,1,0,0,frt_p90_s,900,,,,0,,0\n",
             head);
    rs_test_write("staffing.csv", text);
    struct rs_scenario *sc = staffing_scenario();
    struct rs_error err = {0};
    const struct rs_plot_in in = {.dir = rs_test_dir, .target = 0.9, .sc = sc, .sweep_data = "d"};
    struct rs_plot_out out = RS_PLOT_OUT_INIT;
    ck_assert_int_eq(rs_plot_build(&in, &out, &err), RS_OK);
    const char *t = rs_buf_str(&out.set[RS_PLOT_STAFFING]);
    ck_assert_msg(strstr(t, "metric_text='first response time, 90th percentile (minutes)'") != NULL,
                  "%s", t);
    ck_assert_msg(strstr(t, "judged=14; met=13;") != NULL, "%s", t);
    rs_plot_out_free(&out);
    /* without judged: met's column, whose empty cells are the intervals not judged */
    snprintf(text, sizeof text, "%s\n0,0,mon 00:00,1,2,0.2,sl_1h,0.8,0.9,0.8,1,2,1\n", head);
    rs_test_write("staffing.csv", text);
    struct rs_plot_out out2 = RS_PLOT_OUT_INIT;
    ck_assert_int_eq(rs_plot_build(&in, &out2, &err), RS_OK);
    t = rs_buf_str(&out2.set[RS_PLOT_STAFFING]);
    ck_assert_msg(strstr(t, "metric_text='answered within 1h (%)'") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "pct=1; scale=100; judged=0; met=13;") != NULL, "%s", t);
    rs_plot_out_free(&out2);
    rs_scenario_destroy(sc);
}
END_TEST

/* staffing with several targets (a row per interval and target): the
 * first target's rows drawn (every 2nd row), on the fresh replications'
 * columns, the other target named in words; targets out of order are bad
 * input. */
START_TEST(staffing_draws_the_first_target_on_fresh_seeds)
{
    static const char head[] =
        "interval,start_s,start,agents,inbox_per_h,load_erl,metric,target,mean,ci_low,ci_high,n,"
        "rostered,fresh_mean,fresh_ci_low,fresh_ci_high,fresh_n,fresh_bound,thin,judged,met\n";
    static const char rows[] =
        "0,0,mon 00:00,1,2,0.2,sl_1h,0.8,0.9,0.8,1,2,1,0.85,0.8,0.9,2,0.81,0,0,\n"
        "0,0,mon 00:00,1,2,0.2,answered_within_2h,0.9,1,1,1,2,1,1,1,1,2,0.95,0,0,\n"
        "1,3600,mon 01:00,2,4,0.4,sl_1h,0.8,0.9,0.8,1,2,2,0.7,0.6,0.8,2,0.65,0,1,0\n"
        "1,3600,mon 01:00,2,4,0.4,answered_within_2h,0.9,1,1,1,2,2,1,1,1,2,0.95,0,1,1\n";
    char text[2048];
    snprintf(text, sizeof text, "%s%s", head, rows);
    rs_test_write("staffing.csv", text);
    struct rs_scenario *sc = staffing_scenario();
    struct rs_error err = {0};
    const struct rs_plot_in in = {.dir = rs_test_dir, .target = 0.9, .sc = sc, .sweep_data = "d"};
    struct rs_plot_out out = RS_PLOT_OUT_INIT;
    ck_assert_int_eq(rs_plot_build(&in, &out, &err), RS_OK);
    const char *t = rs_buf_str(&out.set[RS_PLOT_STAFFING]);
    /* fresh_mean, fresh_ci_low, fresh_ci_high are columns 14-16; of the
     * first target, interval 0 not judged and interval 1 judged and missed */
    ck_assert_msg(strstr(t, "stride=2; ymean=14; ylow=15; yhigh=16; unjudged_n=1; missed_n=1;"),
                  "%s", t);
    ck_assert_msg(strstr(t, "metric_text='answered within 1h (%)'"), "%s", t);
    ck_assert_msg(strstr(t, "panel_text='the first target on the fresh (verification) "
                            "replications; also held: answered within 2h 90%'"),
                  "%s", t);
    rs_plot_out_free(&out);
    /* the second interval's targets swapped: gnuplot's every-2nd row would
     * mix them, so it is refused, naming the line */
    const char *r3 = strstr(rows, "1,3600,mon 01:00,2,4,0.4,sl_1h");
    const char *r4 = strstr(rows, "1,3600,mon 01:00,2,4,0.4,answered");
    snprintf(text, sizeof text, "%s%.*s%s%.*s", head, (int)(r3 - rows), rows, r4, (int)(r4 - r3),
             r3);
    rs_test_write("staffing.csv", text);
    struct rs_plot_out out2 = RS_PLOT_OUT_INIT;
    ck_assert_int_eq(rs_plot_build(&in, &out2, &err), RS_EINPUT);
    ck_assert_int_eq(err.line, 4);
    ck_assert_msg(strstr(err.msg, "a row per interval and target"), "%s", err.msg);
    rs_plot_out_free(&out2);
    rs_scenario_destroy(sc);
}
END_TEST

/* plot on the folders of sweep and compare: --metric draws a file of its
 * own; the whole folder takes one gnuplot process (a gnuplot on PATH that
 * counts its runs). */
START_TEST(one_gnuplot_and_metric_files)
{
    rs_test_write("s.ini", "[scenario]\nname = s\nhorizon = 1d\nreplications = 2\n"
                           "within = 15m, 1h\n[channel a]\nrate = 20/h\n"
                           "[type t]\nhandle = exponential(mean=5m)\n[staff]\nagents = 2\n");
    ck_assert_int_eq(rs_test_replysim("sweep s.ini -q -o w --vary staff.agents=2,3"), 0);
    ck_assert_int_eq(rs_test_replysim("compare s.ini -q -o c --variant more:staff.agents=3"), 0);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mkdir bin && printf '#!/bin/sh\\necho run >> %s/runs\\n"
             "exec %s \"$@\"\\n' > bin/gnuplot && chmod +x bin/gnuplot",
             rs_test_dir, rs_test_dir, "/usr/bin/gnuplot");
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_eq(rs_test_replysim("run s.ini -q -o r"), 0);
    snprintf(cmd, sizeof cmd, "cd '%s' && PATH=\"$PWD/bin:$PATH\" %s/%s plot r", rs_test_dir,
             RS_SOURCE_DIR, RS_TEST_BIN);
    ck_assert_int_eq(system(cmd), 0);
    char *runs = rs_test_slurp("runs");
    ck_assert_str_eq(runs, "run\n"); /* four pictures, two formats, one gnuplot */
    free(runs);
    ck_assert(rs_test_exists("r/latency.png") && rs_test_exists("r/outcomes.svg"));
    ck_assert_int_eq(rs_test_replysim("plot w"), 0);
    ck_assert_int_eq(rs_test_replysim("plot w --metric wait_mean_s"), 0);
    ck_assert(rs_test_exists("w/sweep.png") && rs_test_exists("w/sweep_wait_mean_s.png"));
    ck_assert(rs_test_exists("w/sweep_wait_mean_s.svg"));
    ck_assert_int_eq(rs_test_replysim("plot c"), 0);
    ck_assert(rs_test_exists("c/compare.png") && rs_test_exists("c/compare.svg"));
    ck_assert_int_eq(rs_test_replysim("plot c --metric sl_1h"), 0);
    ck_assert(rs_test_exists("c/compare_sl_1h.png"));
    ck_assert_int_eq(rs_test_replysim("plot c --metric 'a/b'"), 2);
    ck_assert_int_eq(rs_test_replysim("plot c --metric nosuch"), 2);
    ck_assert(!rs_test_exists("c/compare_nosuch.png"));
}
END_TEST

Suite *rs_test_plot_suite(void);
Suite *rs_test_plot_suite(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = tcase_create("plot");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, numbers_are_plain_decimals);
    tcase_add_test(tc, text_is_plain);
    tcase_add_test(tc, quote_doubles_single_quotes);
    tcase_add_test(tc, sweep_settings_keep_names_quoted);
    tcase_add_test(tc, csv_lines_count_lone_cr);
    tcase_add_test(tc, labels_say_what_and_unit);
    tcase_add_test(tc, compare_settings_pick_and_colour);
    tcase_add_test(tc, one_gnuplot_and_metric_files);
    tcase_add_test(tc, staffing_marks_unjudged_intervals);
    tcase_add_test(tc, staffing_draws_the_first_target_on_fresh_seeds);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}
