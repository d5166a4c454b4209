/* test_units.c: the unit syntax of scenario files, as tables of small cases. */
#include "replysim/error.h"
#include "replysim/units.h"
#include "../tool/human.h"

#include <check.h>
#include <gsl/gsl_rng.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct good_case {
    const char *text;
    double want;
};

struct bad_case {
    const char *text;
    const char *fragment; /* must appear in the message */
};

/* ---- durations ---- */

static const struct good_case good_durations[] = {
    {"5m", 300},        {"90s", 90},
    {"1.5h", 5400},     {"2d14h", 223200},
    {"1h30m", 5400},    {" 2d ", 172800},
    {"\t5m\n", 300},    {"1w", 604800},
    {"0s", 0},          {"0.25s", 0.25},
    {".5m", 30},        {"1e3s", 1000},
    {"1h30m15s", 5415}, {"1w2d3h4m5s", 788645},
    {"5.m", 300},
};

static const struct bad_case bad_durations[] = {
    {"5", "expected a duration such as 5m, got \"5\""},
    {"", "expected a duration such as 5m, got \"\""},
    {"   ", "got \"\""},
    {"-5m", "got \"-5m\""},
    {"+5m", "got \"+5m\""},
    {"5x", "got \"5x\""},
    {"5m junk", "got \"5m junk\""},
    {"5 m", "got \"5 m\""},
    {"1h 30m", "got \"1h 30m\""},
    {"nanm", "got \"nanm\""},
    {"infs", "got \"infs\""},
    {"1e400s", "expected a finite duration"},
    {"m", "got \"m\""},
    {"5mm", "got \"5mm\""},
    {"30m1h", "in the order w, d, h, m, s"},
    {"1m1m", "in the order"},
    {"5M", "got \"5M\""},
    {"1..5h", "got \"1..5h\""},
    {"0x10s", "got \"0x10s\""},
    {"5m,", "got \"5m,\""},
};

START_TEST(duration_good)
{
    const struct good_case *c = &good_durations[_i];
    double v = -1;
    char why[256] = "";
    ck_assert_msg(rs_units_duration(c->text, &v, why, sizeof why) == RS_OK, "%s: %s", c->text, why);
    ck_assert_msg(v == c->want, "%s: got %.17g want %.17g", c->text, v, c->want);
}
END_TEST

START_TEST(duration_bad)
{
    const struct bad_case *c = &bad_durations[_i];
    double v = 0;
    char why[256] = "";
    ck_assert_int_eq(rs_units_duration(c->text, &v, why, sizeof why), RS_EINPUT);
    ck_assert_msg(strstr(why, c->fragment) != NULL, "%s: message \"%s\" lacks \"%s\"", c->text, why,
                  c->fragment);
}
END_TEST

/* ---- rates ---- */

static const struct good_case good_rates[] = {
    {"40/h", 40.0 / 3600},  {"9.5/m", 9.5 / 60}, {"1/s", 1},
    {"24/d", 24.0 / 86400}, {" 0/h ", 0},        {"1.25e2/h", 125.0 / 3600},
};

static const struct bad_case bad_rates[] = {
    {"40", "expected a rate such as 40/h"},
    {"40/", "got \"40/\""},
    {"-1/h", "got \"-1/h\""},
    {"40/w", "got \"40/w\""},
    {"40/hour", "got \"40/hour\""},
    {"/h", "got \"/h\""},
    {"40 /h", "got \"40 /h\""},
    {"nan/h", "got \"nan/h\""},
    {"1e999/h", "expected a finite rate"},
    {"40/h/h", "got \"40/h/h\""},
};

START_TEST(rate_good)
{
    const struct good_case *c = &good_rates[_i];
    double v = -1;
    char why[256] = "";
    ck_assert_msg(rs_units_rate(c->text, &v, why, sizeof why) == RS_OK, "%s: %s", c->text, why);
    ck_assert_msg(v == c->want, "%s: got %.17g want %.17g", c->text, v, c->want);
}
END_TEST

START_TEST(rate_bad)
{
    const struct bad_case *c = &bad_rates[_i];
    double v = 0;
    char why[256] = "";
    ck_assert_int_eq(rs_units_rate(c->text, &v, why, sizeof why), RS_EINPUT);
    ck_assert_msg(strstr(why, c->fragment) != NULL, "%s: message \"%s\" lacks \"%s\"", c->text, why,
                  c->fragment);
}
END_TEST

/* ---- numbers, whole numbers, probabilities, clocks, weekdays ---- */

START_TEST(scalars)
{
    char why[256];
    double v;
    long k;
    int day;

    ck_assert_int_eq(rs_units_number(" -2.5e-3 ", &v, why, sizeof why), RS_OK);
    ck_assert(v == -2.5e-3);
    ck_assert_int_eq(rs_units_number("5m", &v, why, sizeof why), RS_EINPUT);
    ck_assert_str_eq(why, "expected a number, got \"5m\"");
    ck_assert_int_eq(rs_units_number("inf", &v, why, sizeof why), RS_EINPUT);
    ck_assert_int_eq(rs_units_number("nan", &v, why, sizeof why), RS_EINPUT);
    ck_assert_int_eq(rs_units_number("", &v, why, sizeof why), RS_EINPUT);

    ck_assert_int_eq(rs_units_int("7", 1, 10, &k, why, sizeof why), RS_OK);
    ck_assert_int_eq(k, 7);
    ck_assert_int_eq(rs_units_int(" -3 ", -5, 5, &k, why, sizeof why), RS_OK);
    ck_assert_int_eq(k, -3);
    ck_assert_int_eq(rs_units_int("11", 1, 10, &k, why, sizeof why), RS_EINPUT);
    ck_assert_str_eq(why, "expected a whole number from 1 to 10, got \"11\"");
    ck_assert_int_eq(rs_units_int("2.5", 1, 10, &k, why, sizeof why), RS_EINPUT);
    ck_assert_int_eq(rs_units_int("", 1, 10, &k, why, sizeof why), RS_EINPUT);
    ck_assert_int_eq(rs_units_int("abc", 1, 10, &k, why, sizeof why), RS_EINPUT);
    ck_assert_int_eq(rs_units_int("99999999999999999999999", 1, 10, &k, why, sizeof why),
                     RS_EINPUT);
    ck_assert_int_eq(rs_units_int("0", 1, LONG_MAX, &k, why, sizeof why), RS_EINPUT);
    ck_assert_str_eq(why, "expected a whole number >= 1, got \"0\"");

    ck_assert_int_eq(rs_units_prob("0", &v, why, sizeof why), RS_OK);
    ck_assert(v == 0);
    ck_assert_int_eq(rs_units_prob("1", &v, why, sizeof why), RS_OK);
    ck_assert(v == 1);
    ck_assert_int_eq(rs_units_prob(" 0.3 ", &v, why, sizeof why), RS_OK);
    ck_assert(v == 0.3);
    ck_assert_int_eq(rs_units_prob("1.5", &v, why, sizeof why), RS_EINPUT);
    ck_assert_str_eq(why, "expected a probability from 0 to 1, got \"1.5\"");
    ck_assert_int_eq(rs_units_prob("-0.1", &v, why, sizeof why), RS_EINPUT);
    ck_assert_int_eq(rs_units_prob("nan", &v, why, sizeof why), RS_EINPUT);
    ck_assert_int_eq(rs_units_prob("30%", &v, why, sizeof why), RS_EINPUT);

    ck_assert_int_eq(rs_units_clock("00:00", &v, why, sizeof why), RS_OK);
    ck_assert(v == 0);
    ck_assert_int_eq(rs_units_clock("09:30", &v, why, sizeof why), RS_OK);
    ck_assert(v == 34200);
    ck_assert_int_eq(rs_units_clock("9:05", &v, why, sizeof why), RS_OK);
    ck_assert(v == 32700);
    ck_assert_int_eq(rs_units_clock(" 24:00 ", &v, why, sizeof why), RS_OK);
    ck_assert(v == 86400);
    const char *bad_clocks[] = {"24:01", "12:60", "1230",   "12:3",  "ab:cd",
                                "25:00", "",      "123:00", "12:00x"};
    for (int i = 0; i < N_OF(bad_clocks); i++) {
        ck_assert_int_eq(rs_units_clock(bad_clocks[i], &v, why, sizeof why), RS_EINPUT);
        ck_assert_ptr_nonnull(strstr(why, "expected a clock time"));
    }

    ck_assert_int_eq(rs_units_weekday("mon", &day, why, sizeof why), RS_OK);
    ck_assert_int_eq(day, 0);
    ck_assert_int_eq(rs_units_weekday(" SUN ", &day, why, sizeof why), RS_OK);
    ck_assert_int_eq(day, 6);
    ck_assert_int_eq(rs_units_weekday("Wed", &day, why, sizeof why), RS_OK);
    ck_assert_int_eq(day, 2);
    ck_assert_int_eq(rs_units_weekday("xyz", &day, why, sizeof why), RS_EINPUT);
    ck_assert_str_eq(why, "expected a weekday mon, tue, wed, thu, fri, sat or sun, got \"xyz\"");
    ck_assert_int_eq(rs_units_weekday("", &day, why, sizeof why), RS_EINPUT);
}
END_TEST

/* ---- formatting ---- */

static const struct {
    double s;
    const char *want;
} duration_texts[] = {
    {300, "5m"},     {5400, "1.5h"},  {90, "1.5m"},    {0, "0s"},        {0.1, "0.1s"},
    {3600, "1h"},    {86400, "1d"},   {604800, "1w"},  {1800, "30m"},    {900, "15m"},
    {14400, "4h"},   {45, "45s"},     {43200, "12h"},  {129600, "1.5d"}, {2700, "45m"},
    {1209600, "2w"}, {0.25, "0.25s"}, {223200, "62h"}, {1e-7, "1e-07s"},
};

START_TEST(format_duration_table)
{
    char buf[64], label[64];
    rs_units_format_duration(duration_texts[_i].s, buf, sizeof buf);
    ck_assert_str_eq(buf, duration_texts[_i].want);
    rs_units_label_duration(duration_texts[_i].s, label, sizeof label);
    double back;
    char why[128];
    /* a label is a duration too, of the same value */
    ck_assert_int_eq(rs_units_duration(label, &back, why, sizeof why), RS_OK);
    ck_assert(back == duration_texts[_i].s);
}
END_TEST

/* Labels of metric names read as people write thresholds (sl_24h, sl_90s). */
START_TEST(label_table)
{
    static const struct {
        double s;
        const char *want;
    } rows[] = {{900, "15m"},    {1800, "30m"},  {3600, "1h"},  {14400, "4h"},
                {86400, "24h"},  {90, "90s"},    {5400, "90m"}, {129600, "36h"},
                {172800, "48h"}, {604800, "7d"}, {0.5, "0.5s"}};
    char label[64];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        rs_units_label_duration(rows[i].s, label, sizeof label);
        ck_assert_str_eq(label, rows[i].want);
    }
}
END_TEST

START_TEST(format_round_trips)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12345);
    char buf[64], why[256];
    for (int i = 0; i < 20000; i++) {
        /* a mix of awkward doubles and round values of every scale */
        double x = i % 2 ? gsl_rng_uniform(r) * pow(10, (double)(i % 23) - 8)
                         : floor(gsl_rng_uniform(r) * 1000) * pow(60, (double)(i % 5)) / 4;
        double back = -1;
        rs_units_format_duration(x, buf, sizeof buf);
        ck_assert_msg(rs_units_duration(buf, &back, why, sizeof why) == RS_OK, "%s: %s", buf, why);
        ck_assert_msg(back == x, "%.17g -> %s -> %.17g", x, buf, back);
        ck_assert_msg(strchr("wdhms", buf[strlen(buf) - 1]) != NULL, "bare number %s", buf);

        rs_units_format_rate(x, buf, sizeof buf);
        ck_assert_msg(rs_units_rate(buf, &back, why, sizeof why) == RS_OK, "%s: %s", buf, why);
        ck_assert_msg(back == x, "%.17g -> %s -> %.17g", x, buf, back);

        rs_units_format_number(x, buf, sizeof buf);
        ck_assert_msg(rs_units_number(buf, &back, why, sizeof why) == RS_OK, "%s: %s", buf, why);
        ck_assert_msg(back == x, "%.17g -> %s -> %.17g", x, buf, back);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(format_number_and_rate)
{
    char buf[64];
    rs_units_format_number(0.1, buf, sizeof buf);
    ck_assert_str_eq(buf, "0.1");
    rs_units_format_number(2.5e-7, buf, sizeof buf);
    ck_assert_str_eq(buf, "2.5e-07");
    rs_units_format_number(100, buf, sizeof buf);
    ck_assert_str_eq(buf, "100");
    rs_units_format_number(0.1 + 0.2, buf, sizeof buf);
    ck_assert_str_eq(buf, "0.30000000000000004");
    rs_units_format_number(1.0 / 3, buf, sizeof buf);
    ck_assert_str_eq(buf, "0.3333333333333333");
    rs_units_format_number(INFINITY, buf, sizeof buf);
    ck_assert_str_eq(buf, "inf");
    rs_units_format_number(-INFINITY, buf, sizeof buf);
    ck_assert_str_eq(buf, "-inf");
    rs_units_format_number(NAN, buf, sizeof buf);
    ck_assert_str_eq(buf, "nan");

    rs_units_format_rate(40.0 / 3600, buf, sizeof buf);
    ck_assert_str_eq(buf, "40/h");
    rs_units_format_rate(1, buf, sizeof buf);
    ck_assert_str_eq(buf, "1/s");
    rs_units_format_rate(0, buf, sizeof buf);
    ck_assert_str_eq(buf, "0/h");
    rs_units_format_rate(12.0 / 3600, buf, sizeof buf);
    ck_assert_str_eq(buf, "12/h");

    /* a small buffer is cut, never overrun */
    char tiny[3];
    rs_units_format_duration(5400, tiny, sizeof tiny);
    ck_assert_str_eq(tiny, "1.");
}
END_TEST

/* Durations and numbers for people (tables on stdout, never CSV). */
START_TEST(human_table)
{
    static const struct {
        double s;
        const char *want;
    } durations[] = {
        {0, "0s"},         {2.5, "2.5s"},          {45, "45s"},       {59.4, "59s"},
        {59.6, "1m"},      {750, "12m 30s"},       {720, "12m"},      {3599.4, "59m 59s"},
        {3599.6, "1h"},    {15120, "4.2h"},        {86400, "24h"},    {41904, "11.6h"},
        {172800, "2d"},    {302400, "3.5d"},       {-190, "-3m 10s"}, {NAN, "-"},
        {INFINITY, "inf"}, {47.9 * 3600, "47.9h"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) {
        rs_units_human_duration(durations[i].s, buf, sizeof buf);
        ck_assert_msg(!strcmp(buf, durations[i].want), "%g s: \"%s\", expected \"%s\"",
                      durations[i].s, buf, durations[i].want);
    }
    static const struct {
        enum rs_human_kind kind;
        double x;
        int sign;
        const char *want;
    } cells[] = {
        {RS_HUMAN_NUMBER, 1008, 0, "1,008"},     {RS_HUMAN_NUMBER, 1234567, 1, "+1,234,567"},
        {RS_HUMAN_NUMBER, 12.34, 0, "12.3"},     {RS_HUMAN_NUMBER, 7.662e-06, 0, "0.000008"},
        {RS_HUMAN_NUMBER, -1550, 1, "-1,550"},   {RS_HUMAN_NUMBER, 0.0123, 0, "0.0123"},
        {RS_HUMAN_NUMBER, 96, 0, "96"},          {RS_HUMAN_NUMBER, 0.0120001, 0, "0.012"},
        {RS_HUMAN_SHARE, 0.8975, 0, "89.8%"},    {RS_HUMAN_SHARE, -0.015, 1, "-1.5pp"},
        {RS_HUMAN_DURATION, 750, 1, "+12m 30s"}, {RS_HUMAN_DURATION, NAN, 0, "-"},
    };
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        rs_human_format(buf, sizeof buf, cells[i].kind, cells[i].x, cells[i].sign);
        ck_assert_msg(!strcmp(buf, cells[i].want), "%g: \"%s\", expected \"%s\"", cells[i].x, buf,
                      cells[i].want);
    }
    rs_human_interval(buf, sizeof buf, RS_HUMAN_DURATION, 2.15 * 86400, 47.6 * 3600, 2.3 * 86400,
                      0);
    ck_assert_str_eq(buf, "[2d, 2.3d]");
    rs_human_interval(buf, sizeof buf, RS_HUMAN_DURATION, 41904, 39960, 43956, 0);
    ck_assert_str_eq(buf, "[11.1h, 12.2h]");
    rs_human_interval(buf, sizeof buf, RS_HUMAN_DURATION, -90, -108, -71, 1);
    ck_assert_str_eq(buf, "[-1m 48s, -1m 11s]");
    /* a value's interval (not a difference's) within what it can be */
    rs_human_interval(buf, sizeof buf, RS_HUMAN_SHARE, 0.486, -0.109, 1.081, 0);
    ck_assert_str_eq(buf, "[0%, 100.0%]");
    rs_human_interval(buf, sizeof buf, RS_HUMAN_DURATION, 4320, -1440, 10080, 0);
    ck_assert_str_eq(buf, "[0h, 2.8h]");
    rs_human_interval(buf, sizeof buf, RS_HUMAN_SHARE, -0.01, -0.03, 0.01, 1);
    ck_assert_str_eq(buf, "[-3.0pp, +1.0pp]");
    ck_assert_int_eq(rs_human_kind_of("frt_p90_s"), RS_HUMAN_DURATION);
    ck_assert_int_eq(rs_human_kind_of("sl_1h"), RS_HUMAN_SHARE);
    ck_assert_int_eq(rs_human_kind_of("response_rate"), RS_HUMAN_SHARE);
    ck_assert_int_eq(rs_human_kind_of("occupancy"), RS_HUMAN_SHARE);
    ck_assert_int_eq(rs_human_kind_of("offered"), RS_HUMAN_NUMBER);
    ck_assert_int_eq(rs_human_kind_of("answered_within_2h"), RS_HUMAN_SHARE);
    ck_assert_int_eq(rs_human_kind_of("sl_bh_1h"), RS_HUMAN_SHARE);
    ck_assert_int_eq(rs_human_kind_of("resolved_rate"), RS_HUMAN_SHARE);
    ck_assert_int_eq(rs_human_kind_of("nrt_p90_s"), RS_HUMAN_DURATION);
    ck_assert_int_eq(rs_human_kind_of("turns_mean"), RS_HUMAN_NUMBER);
    ck_assert_int_eq(rs_human_kind_of("surge_agent_hours"), RS_HUMAN_NUMBER);
}
END_TEST

Suite *rs_test_units_suite(void);
Suite *rs_test_units_suite(void)
{
    Suite *s = suite_create("units");
    TCase *tc = tcase_create("parse");
    tcase_add_loop_test(tc, duration_good, 0, N_OF(good_durations));
    tcase_add_loop_test(tc, duration_bad, 0, N_OF(bad_durations));
    tcase_add_loop_test(tc, rate_good, 0, N_OF(good_rates));
    tcase_add_loop_test(tc, rate_bad, 0, N_OF(bad_rates));
    tcase_add_test(tc, scalars);
    suite_add_tcase(s, tc);

    TCase *tf = tcase_create("format");
    tcase_set_timeout(tf, 60); /* 20,000 round trips: slow under ASan on a busy machine */
    tcase_add_loop_test(tf, format_duration_table, 0, N_OF(duration_texts));
    tcase_add_test(tf, label_table);
    tcase_add_test(tf, format_round_trips);
    tcase_add_test(tf, format_number_and_rate);
    tcase_add_test(tf, human_table);
    suite_add_tcase(s, tf);
    return s;
}
