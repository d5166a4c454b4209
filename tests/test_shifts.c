/* test_shifts.c: rosters (sim/shifts.c with the roster options of shifts.h):
 * GLPK's optimum against small cases solved by hand, and on a realistic
 * week the properties every roster must have, checked here from the plan's
 * rows alone: it covers the need in every interval, each agent-week works
 * days_on days with the days off in a row, and weekdays with the same need
 * get the same shift starts.  roster.csv is checked byte for byte. */
#include "replysim/error.h"
#include "replysim/shifts.h"
#include "util.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define H 3600.0
#define DAY 86400.0
#define WEEK 604800.0

static int popcount(unsigned m)
{
    int n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

/* 1 when the days of m form one run, cyclically over the week. */
static int one_run(unsigned m)
{
    int starts = 0;
    for (int d = 0; d < 7; d++)
        starts += ((m >> d) & 1u) && !((m >> ((d + 6) % 7)) & 1u);
    return starts <= 1;
}

/* Agents of p on for all of interval i of in (week seconds from mon 00:00;
 * shifts recur every week), counted from the rows. */
static int on_in(const struct rs_shifts_in *in, const struct rs_shifts_plan *p, int i)
{
    double off = in->start_day * DAY + in->start_clock_s;
    double a = fmod(off + i * in->interval_s, WEEK), b = a + in->interval_s;
    int n = 0;
    for (int k = 0; k < p->n_rows; k++) {
        const struct rs_shifts_row *r = &p->rows[k];
        for (int d = 0; d < 7; d++) {
            if (!((r->days >> d) & 1u)) continue;
            double s = d * DAY + r->start_clock_s;
            for (int w = -1; w <= 1; w++)
                if (s + w * WEEK <= a && b <= s + w * WEEK + r->length_s) n += r->agents;
        }
    }
    return n;
}

static void assert_covers(const struct rs_shifts_in *in, const struct rs_shifts_plan *p)
{
    for (int i = 0; i < in->n; i++) {
        int want = in->need[i];
        int open = in->open ? in->open[i] : in->need[i] > 0;
        if (open && want < in->min_on) want = in->min_on;
        ck_assert_msg(on_in(in, p, i) >= want, "interval %d: %d on, %d needed", i, on_in(in, p, i),
                      want);
    }
}

static void assert_days_off(const struct rs_shifts_in *in, const struct rs_shifts_plan *p)
{
    for (int k = 0; k < p->n_rows; k++) {
        unsigned m = p->rows[k].days;
        ck_assert_int_eq(popcount(m), in->days_on ? in->days_on : 1);
        if (!in->any_days_off) ck_assert_msg(one_run(m), "row %d: days 0x%x not in a row", k, m);
    }
}

static struct rs_shifts_in week_in(int *need, int n, double interval_s)
{
    struct rs_shifts_in in = {.n = n,
                              .need = need,
                              .interval_s = interval_s,
                              .horizon_s = n * interval_s,
                              .n_lengths = 1,
                              .length_s = {8 * H},
                              .step_s = H,
                              .time_limit_s = 60,
                              .weekly = 1};
    return in;
}

/* Five days on, two off (in a row), demand per day: the day shift 08:00-16:00
 * (8h intervals, shifts every 8h) needs 3 agents mon-fri and 1 on sat and
 * sun.  By hand: 17 agent-days at 5 per agent-week need at least
 * ceil(17 / 5) = 4 agent-weeks; 4 do it: 3 work mon-fri and one wed-sun
 * (mon 3, tue 3, wed-fri 4, sat 1, sun 1).  So 4 x 5 x 8 h = 160 paid
 * hours a week, 4000 at 25 an hour. */
START_TEST(days_off_optimum)
{
    static const int per_day[7] = {3, 3, 3, 3, 3, 1, 1};
    int need[21] = {0};
    for (int d = 0; d < 7; d++)
        need[3 * d + 1] = per_day[d];
    struct rs_shifts_in in = week_in(need, 21, 8 * H);
    in.step_s = 8 * H;
    in.days_on = 5;
    in.cost_per_hour = 25;
    struct rs_shifts_plan p;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_OK);
    ck_assert(p.optimal);
    ck_assert_double_eq_tol(p.paid_week_hours, 160, 1e-9);
    ck_assert_double_eq_tol(p.cost_per_week, 4000, 1e-9);
    ck_assert_double_eq_tol(p.paid_hours, 160, 1e-9); /* the horizon is one week */
    int agents = 0;
    for (int k = 0; k < p.n_rows; k++) {
        agents += p.rows[k].agents;
        ck_assert_double_eq(p.rows[k].start_clock_s, 8 * H);
    }
    ck_assert_int_eq(agents, 4);
    assert_covers(&in, &p);
    assert_days_off(&in, &p);
    rs_shifts_plan_free(&p);
}
END_TEST

/* Three days on, need on mon, wed and fri.  Any days off: one agent works
 * mon, wed, fri (24 h).  Days on in a row: three days in a row hold at most
 * two of mon, wed, fri (mon-wed or wed-fri), so two agents (48 h), e.g.
 * mon-wed and wed-fri. */
START_TEST(days_in_a_row_or_any)
{
    int need[21] = {0};
    need[1] = need[7] = need[13] = 1;
    struct rs_shifts_in in = week_in(need, 21, 8 * H);
    in.step_s = 8 * H;
    in.days_on = 3;
    in.any_days_off = 1;
    struct rs_shifts_plan p;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_OK);
    ck_assert(p.optimal);
    ck_assert_double_eq_tol(p.paid_week_hours, 24, 1e-9);
    ck_assert(isnan(p.cost_per_week));
    ck_assert_int_eq(p.n_rows, 1);
    ck_assert_uint_eq(p.rows[0].days, 1u | 4u | 16u);
    rs_shifts_plan_free(&p);

    in.any_days_off = 0;
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_OK);
    ck_assert(p.optimal);
    ck_assert_double_eq_tol(p.paid_week_hours, 48, 1e-9);
    assert_covers(&in, &p);
    assert_days_off(&in, &p);
    rs_shifts_plan_free(&p);
}
END_TEST

/* A night over sunday midnight, sun 22:00 - mon 06:00, one agent: a weekly
 * roster pays the one 8h shift once a week. */
START_TEST(weekly_night_over_sunday)
{
    int need[168] = {0};
    for (int h = 0; h < 6; h++)
        need[h] = 1;
    need[166] = need[167] = 1;
    struct rs_shifts_in in = week_in(need, 168, H);
    struct rs_shifts_plan p;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_OK);
    ck_assert(p.optimal);
    ck_assert_int_eq(p.n_rows, 1);
    ck_assert_int_eq(p.rows[0].day, 6);
    ck_assert_double_eq(p.rows[0].start_clock_s, 22 * H);
    ck_assert_double_eq_tol(p.paid_week_hours, 8, 1e-9);
    ck_assert_double_eq_tol(p.paid_hours, 8, 1e-9);
    assert_covers(&in, &p);
    rs_shifts_plan_free(&p);
}
END_TEST

/* At least 2 agents in each open hour (mon 09:00-17:00), 3 at 10:00; 8h and
 * 4h shifts.  By hand: 2 x 8 + 1 = 17 agent-hours of need, and shifts pay
 * in steps of 4 h, so at least 20; 2 x 8h + one 4h over 10:00 pay 20.
 * The same without a roster option (one day). */
START_TEST(min_on_open_hours)
{
    int need[24] = {0};
    unsigned char open[24] = {0};
    for (int h = 9; h < 17; h++)
        open[h] = 1;
    need[10] = 3;
    struct rs_shifts_in in = {.n = 24,
                              .need = need,
                              .interval_s = H,
                              .horizon_s = DAY,
                              .n_lengths = 2,
                              .length_s = {8 * H, 4 * H},
                              .step_s = H,
                              .time_limit_s = 60,
                              .min_on = 2,
                              .open = open};
    struct rs_shifts_plan p;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_OK);
    ck_assert(p.optimal);
    ck_assert_double_eq_tol(p.paid_hours, 20, 1e-9);
    assert_covers(&in, &p);
    rs_shifts_plan_free(&p);
}
END_TEST

/* Agents starting each shift on weekday d, by start (hour) and length (the
 * lengths' index), from the rows. */
static void starts_of(const struct rs_shifts_in *in, const struct rs_shifts_plan *p, int d, int *y)
{
    memset(y, 0, 24 * RS_SHIFTS_MAX_LENGTHS * sizeof *y);
    for (int k = 0; k < p->n_rows; k++) {
        const struct rs_shifts_row *r = &p->rows[k];
        if (!((r->days >> d) & 1u)) continue;
        int l = 0;
        while (in->length_s[l] != r->length_s)
            l++;
        y[(int)(r->start_clock_s / H) * RS_SHIFTS_MAX_LENGTHS + l] += r->agents;
    }
}

/* mon-fri start alike, and sat-sun (the need of realistic_week_roster). */
static void assert_like_weekdays(const struct rs_shifts_in *in, const struct rs_shifts_plan *p)
{
    int y0[24 * RS_SHIFTS_MAX_LENGTHS], y[24 * RS_SHIFTS_MAX_LENGTHS];
    starts_of(in, p, 0, y0);
    for (int d = 1; d < 5; d++) {
        starts_of(in, p, d, y);
        ck_assert_msg(!memcmp(y, y0, sizeof y), "weekday %d starts differ from monday's", d);
    }
    starts_of(in, p, 5, y0);
    starts_of(in, p, 6, y);
    ck_assert_msg(!memcmp(y, y0, sizeof y), "sunday's starts differ from saturday's");
}

/* A realistic week (hourly need, busier weekdays, a night floor), 8h shifts
 * five days on: the roster covers, keeps the days off, and with
 * same_weekdays mon-fri (one need) and sat-sun (another) start alike. */
START_TEST(realistic_week_roster)
{
    int need[168];
    for (int d = 0; d < 7; d++)
        for (int h = 0; h < 24; h++) {
            int day = h >= 8 && h < 20, peak = h >= 11 && h < 16;
            need[d * 24 + h] = d < 5 ? 1 + 3 * day + 2 * peak : 1 + day + peak;
        }
    struct rs_shifts_in in = week_in(need, 168, H);
    in.days_on = 5;
    in.time_limit_s = 1e6; /* stopped by its node count, not the clock */
    struct rs_shifts_plan p, q;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_OK);
    assert_covers(&in, &p);
    assert_days_off(&in, &p);
    in.same_weekdays = 1;
    ck_assert_int_eq(rs_shifts_solve(&in, &q, &err), RS_OK);
    assert_covers(&in, &q);
    assert_days_off(&in, &q);
    assert_like_weekdays(&in, &q);
    /* a constraint more: never below the bound without it (GLPK finds
     * good rosters fast but may stop before proving them optimal) */
    ck_assert(p.optimal || p.stalled);
    ck_assert(q.paid_week_hours >= p.bound_hours - 1e-9);
    ck_assert(p.paid_week_hours >= p.bound_hours - 1e-9);
    rs_shifts_plan_free(&p);
    rs_shifts_plan_free(&q);

    /* shifts of single days: the same */
    in.days_on = 0;
    ck_assert_int_eq(rs_shifts_solve(&in, &q, &err), RS_OK);
    assert_covers(&in, &q);
    assert_days_off(&in, &q);
    assert_like_weekdays(&in, &q);
    rs_shifts_plan_free(&q);
}
END_TEST

/* roster.csv of a plan whose optimum is unique: mon-fri 09:00-17:00 (five
 * single days merged into one row) and a night over sunday midnight. */
START_TEST(roster_csv_bytes)
{
    int need[168] = {0};
    for (int d = 0; d < 5; d++)
        for (int h = 9; h < 17; h++)
            need[d * 24 + h] = 1;
    for (int h = 0; h < 6; h++)
        need[h] = 1;
    need[166] = need[167] = 1;
    struct rs_shifts_in in = week_in(need, 168, H);
    struct rs_shifts_plan p;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_OK);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_int_eq(rs_shifts_roster_csv(f, &p, &err), RS_OK);
    fclose(f);
    ck_assert_str_eq(text, "shift,days,start,end,length,agents,paid_hours_week\n"
                           "0900-8h,mon-fri,09:00,17:00,8h,1,40\n"
                           "2200-8h,sun,22:00,06:00,8h,1,8\n");
    free(text);
    rs_shifts_plan_free(&p);

    /* an agent-week on mon, wed and fri: one row, days quoted */
    int need3[21] = {0};
    need3[1] = need3[7] = need3[13] = 2;
    in = week_in(need3, 21, 8 * H);
    in.step_s = 8 * H;
    in.days_on = 3;
    in.any_days_off = 1;
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_OK);
    f = open_memstream(&text, &len);
    ck_assert_int_eq(rs_shifts_roster_csv(f, &p, &err), RS_OK);
    fclose(f);
    ck_assert_str_eq(text, "shift,days,start,end,length,agents,paid_hours_week\n"
                           "0800-8h,\"mon, wed, fri\",08:00,16:00,8h,2,48\n");
    free(text);
    rs_shifts_plan_free(&p);
}
END_TEST

static const struct {
    unsigned days;
    const char *name;
} names[] = {
    {1u << 0, "mon-0930-8h"},
    {0x1f, "mon-fri-0930-8h"},
    {(1u << 5) | (1u << 6) | 7u, "sat-wed-0930-8h"},
    {1u | 4u | 16u, "mon_wed_fri-0930-8h"},
    {0x7f, "mon-sun-0930-8h"},
    {(1u << 6) | 2u, "tue_sun-0930-8h"},
};

START_TEST(row_names)
{
    struct rs_shifts_row r = {.start_clock_s = 9.5 * H, .length_s = 8 * H};
    char buf[64];
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        r.days = names[k].days;
        r.day = __builtin_ctz(names[k].days);
        rs_shifts_row_name(&r, buf, sizeof buf);
        ck_assert_str_eq(buf, names[k].name);
    }
}
END_TEST

START_TEST(bad_roster_options)
{
    int need[24] = {1};
    struct rs_shifts_in in = week_in(need, 24, H);
    struct rs_shifts_plan p;
    struct rs_error err = {0};
    in.days_on = 8;
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "1 to 7"));
    in.days_on = 5;
    in.length_s[0] = 25 * H;
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "overlap"));
    in.length_s[0] = 8 * H;
    in.days_on = 0;
    in.same_weekdays = 1;
    in.interval_s = 7 * H;
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "divide a day"));
}
END_TEST

/* Days of a [shift] days value as the scenario writes it ("mon-wed, sat, sun"). */
static int days_in(const char *v)
{
    static const char *const wd[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    int n = 0;
    for (const char *p = v; *p && *p != '\n';) {
        int a = -1, b = -1;
        for (int d = 0; d < 7; d++) {
            if (!strncmp(p, wd[d], 3)) a = d;
            if (p[3] == '-' && !strncmp(p + 4, wd[d], 3)) b = d;
        }
        ck_assert_int_ge(a, 0);
        n += b < 0 ? 1 : (b - a + 7) % 7 + 1;
        p += b < 0 ? 3 : 7;
        while (*p == ',' || *p == ' ')
            p++;
    }
    return n;
}

/* staff --shifts with roster options: shifts.ini holds agent-weeks of five
 * days, loads again, and the summary gives the week's pay. */
START_TEST(staff_roster_cli)
{
    rs_test_write("r.ini", "[scenario]\nhorizon = 1d\n[channel a]\nrate = 4/h\n"
                           "[type q]\nhandle = exponential(mean=6m)\n[staff]\nagents = 1\n");
    ck_assert_int_eq(rs_test_replysim("staff r.ini -q -r 2 --target 'sl(1h)>=0.8' -o out "
                                      "--shifts 8h --days-on 5 --min-on 1 "
                                      "--shift-cost-per-hour 20"),
                     0);
    ck_assert(rs_test_contains("stdout", "roster: "));
    char *ini = rs_test_slurp("out/shifts.ini");
    int sections = 0;
    for (const char *p = strstr(ini, "\ndays = "); p; p = strstr(p + 1, "\ndays = ")) {
        ck_assert_int_eq(days_in(p + 8), 5);
        sections++;
    }
    ck_assert_int_gt(sections, 0);
    free(ini);
    ck_assert_int_eq(rs_test_replysim("validate out/shifts.ini"), 0);
}
END_TEST

static void setup(void) { rs_test_dir_create("shifts"); }
static void teardown(void) { rs_test_dir_destroy(); }

Suite *rs_test_shifts_suite(void);
Suite *rs_test_shifts_suite(void)
{
    Suite *s = suite_create("shifts");
    TCase *tc = tcase_create("shifts");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, days_off_optimum);
    tcase_add_test(tc, days_in_a_row_or_any);
    tcase_add_test(tc, weekly_night_over_sunday);
    tcase_add_test(tc, min_on_open_hours);
    tcase_add_test(tc, realistic_week_roster);
    tcase_add_test(tc, roster_csv_bytes);
    tcase_add_test(tc, row_names);
    tcase_add_test(tc, bad_roster_options);
    suite_add_tcase(s, tc);
    TCase *cli = tcase_create("staff");
    tcase_add_checked_fixture(cli, setup, teardown);
    tcase_set_timeout(cli, 300);
    tcase_add_test(cli, staff_roster_cli);
    suite_add_tcase(s, cli);
    return s;
}
