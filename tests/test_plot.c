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

static void setup(void) { rs_test_dir_create("plot"); }
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
    suite_add_tcase(s, tc);
    return s;
}
