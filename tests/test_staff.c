/* test_staff.c: `replysim staff`, the fewest agents per interval.
 *
 * The staffing found meets the target in every interval when run again
 * with `replysim run` on its scenario.ini (same seeds); taking one agent
 * from any interval above the floor breaks the target in some interval;
 * at a constant rate without patience the steady hours get about the
 * Erlang C staffing; a bad --target exits 2 and writes nothing.  --shifts:
 * the shifts cover the staffing in every interval of a `replysim run` of
 * shifts.ini, with at least its agent-hours; hand-made needs with a known
 * optimum get it; a bad --shifts exits 2.  RS_QUICK
 * checks every third interval for minimality instead of every one. */
#include "replysim/buf.h"
#include "replysim/erlang.h"
#include "replysim/shifts.h"
#include "util.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char profile_scenario[] =
    "[scenario]\nname = st\nhorizon = 1d\ndrain = 6h\nreplications = 4\nseed = 7\n"
    "[channel twitter]\nrate = 30/h\nprofile = prof.csv\nmix = complaint:0.4, question:0.6\n"
    "[type complaint]\nhandle = lognormal(mean=6m, sd=3m)\npatience = exponential(mean=30m)\n"
    "[type question]\nhandle = exponential(mean=4m)\npatience = exponential(mean=2h)\n"
    "[staff]\nagents = 3\n";

/* Erlang C: constant rate, exponential handle, no patience. */
static const char erlang_scenario[] =
    "[scenario]\nname = ec\nhorizon = 12h\ndrain = 6h\nreplications = 10\nseed = 2\n"
    "[channel twitter]\nrate = 60/h\nmix = question:1\n"
    "[type question]\nhandle = exponential(mean=4m)\n"
    "[staff]\nagents = 3\n";

/* Working hours: the night's messages wait for the morning, so only the
 * open hours can be held to the target (regression: the pilot run at the
 * ceiling was judged by the wrong metric, and with hours every open
 * interval looked unreachable). */
static const char hours_scenario[] =
    "[scenario]\nname = hrs\nhorizon = 2d\ndrain = 1d\nreplications = 4\nseed = 3\n"
    "[channel twitter]\nrate = 4/h\nmix = question:1\n"
    "[type question]\nhandle = exponential(mean=5m)\n"
    "[staff]\nagents = 1\n[policy]\nhours = mon-fri 09:00-17:00\n";

static void setup(void)
{
    rs_test_dir_create("staff");
    struct rs_buf prof = RS_BUF_INIT;
    rs_buf_puts(&prof, "time,multiplier\n");
    for (int h = 0; h < 24; h++)
        rs_buf_printf(&prof, "%dh,%.3f\n", h,
                      1 + 0.8 * sin((h - 9) / 24.0 * 2 * 3.14159265358979323846));
    rs_test_write("prof.csv", rs_buf_str(&prof));
    rs_buf_free(&prof);
    rs_test_write("s.ini", profile_scenario);
    rs_test_write("ec.ini", erlang_scenario);
    rs_test_write("hrs.ini", hours_scenario);
}

static void teardown(void) { rs_test_dir_destroy(); }

/* Column col (0-based) of staffing.csv's rows into v; returns the rows. */
static int read_col(const char *file, int col, double *v, int max)
{
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/%s", rs_test_dir, file);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s missing", path);
    int n = -1;
    while (fgets(line, sizeof line, f) && n < max) {
        if (n++ < 0) continue;
        char *p = line;
        for (int k = 0; k < col; k++)
            p = strchr(p, ',') + 1;
        v[n - 1] = *p == ',' || *p == '\n' ? NAN : strtod(p, NULL);
    }
    fclose(f);
    return n;
}

/* The means of sl_30m per interval of a run's intervals.csv, for the first
 * n intervals; the number of them below goal. */
static int misses_in_run(const char *dir, int n, double goal)
{
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/%s/intervals.csv", rs_test_dir, dir);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s missing", path);
    int misses = 0;
    while (fgets(line, sizeof line, f)) {
        int i;
        char metric[64];
        double mean;
        /* interval,start_s,start,metric,mean,... ; start holds a blank */
        if (sscanf(line, "%d,%*[^,],%*[^,],%63[^,],%lf", &i, metric, &mean) != 3) continue;
        if (i < n && !strcmp(metric, "sl_30m") && mean < goal - 1e-12) misses++;
    }
    fclose(f);
    return misses;
}

START_TEST(found_staffing_meets_and_is_minimal)
{
    ck_assert_int_eq(rs_test_replysim("staff s.ini -q --target 'sl(30m)>=0.9' -o out -j 2"), 0);
    double agents[64], met[64];
    int n = read_col("out/staffing.csv", 3, agents, 64);
    ck_assert_int_eq(n, 24);
    ck_assert_int_eq(read_col("out/staffing.csv", 12, met, 64), 24);
    for (int i = 0; i < n; i++)
        ck_assert_msg(isnan(met[i]) || met[i] == 1, "interval %d misses", i);

    /* run again as a user would, with the schedule it wrote */
    ck_assert_int_eq(rs_test_replysim("run out/scenario.ini -q -o rerun"), 0);
    ck_assert_int_eq(misses_in_run("rerun", n, 0.9), 0);

    /* one agent fewer in any interval breaks the target somewhere */
    int step = getenv("RS_QUICK") ? 3 : 1, tried = 0;
    for (int i = 0; i < n; i += step) {
        if (agents[i] <= 0) continue;
        struct rs_buf csv = RS_BUF_INIT;
        rs_buf_puts(&csv, "time,agents\n");
        for (int k = 0; k < n; k++)
            rs_buf_printf(&csv, "%dh,%d\n", k, (int)agents[k] - (k == i));
        rs_test_write("minus.csv", rs_buf_str(&csv));
        rs_buf_free(&csv);
        ck_assert_int_eq(
            rs_test_replysim("run out/scenario.ini -q -o minus --set staff.schedule=%s/minus.csv",
                             rs_test_dir),
            0);
        ck_assert_msg(misses_in_run("minus", n, 0.9) > 0,
                      "interval %d: one agent fewer still meets the target", i);
        tried++;
    }
    ck_assert_int_gt(tried, 3);
}
END_TEST

static double mmc_sl(double lambda, double h, int c, double t)
{
    double mu = 1 / h, theta = c * mu - lambda;
    if (theta <= 0) return 0;
    double pw = rs_erlang_c(c, lambda * h);
    double conv = fabs(theta - mu) < 1e-12
                      ? 1 - exp(-mu * t) * (1 + mu * t)
                      : 1 - (theta * exp(-mu * t) - mu * exp(-theta * t)) / (theta - mu);
    return (1 - pw) * (1 - exp(-mu * t)) + pw * conv;
}

START_TEST(constant_rate_gives_about_erlang_c)
{
    ck_assert_int_eq(rs_test_replysim("staff ec.ini -q --target 'sl(10m)>=0.8' -o ec -j 2"), 0);
    double agents[64];
    int n = read_col("ec/staffing.csv", 3, agents, 64);
    ck_assert_int_eq(n, 12);
    int c = 1;
    while (mmc_sl(60 / 3600.0, 240, c, 600) < 0.8)
        c++;
    /* the steady hours: after the first, which starts empty */
    for (int i = 1; i < n; i++)
        ck_assert_msg(fabs(agents[i] - c) <= 1, "hour %d: %g agents, Erlang C says %d", i,
                      agents[i], c);
}
END_TEST

START_TEST(working_hours_are_staffed)
{
    ck_assert_int_eq(rs_test_replysim("staff hrs.ini -q --target 'sl(30m)>=0.9' -o hrs -j 2"), 0);
    double agents[64], met[64];
    int n = read_col("hrs/staffing.csv", 3, agents, 64);
    ck_assert_int_eq(n, 48);
    ck_assert_int_eq(read_col("hrs/staffing.csv", 12, met, 64), 48);
    for (int i = 0; i < n; i++) {
        int open = i % 24 >= 9 && i % 24 < 17;
        /* judged exactly in the open hours, and met there */
        ck_assert_msg(open ? met[i] == 1 : isnan(met[i]), "hour %d: met %g", i, met[i]);
        if (!open)
            ck_assert_msg(agents[i] == 0, "hour %d: %g agents while closed", i, agents[i]);
        else
            ck_assert_msg(agents[i] >= 1, "hour %d: no agent while open", i);
    }
}
END_TEST

START_TEST(bad_target_exits_2)
{
    static const char *const bad[] = {"'sl(30)>=0.9'", "'sl(30m)>=1.5'",     "'sl(30m)<=0.9'",
                                      "'frt_p42<=1h'", "'response_rate>=x'", "wait"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        ck_assert_int_eq(rs_test_replysim("staff s.ini -q --target %s -o bad", bad[k]), 2);
        ck_assert_msg(!rs_test_exists("bad"), "%s: wrote output", bad[k]);
    }
    ck_assert_int_eq(rs_test_replysim("staff s.ini -q -o bad"), 2);
    /* a second target must not silently replace the first */
    ck_assert_int_eq(rs_test_replysim("staff s.ini -q --target 'sl(30m)>=0.9' "
                                      "--target 'frt_p90<=1h' -o bad"),
                     2);
    ck_assert(rs_test_contains("stderr", "--target: expected one target, given twice"));
    ck_assert(!rs_test_exists("bad"));
}
END_TEST

/* When the target cannot be met, the summary names the intervals that
 * miss: the rows of staffing.csv whose met is 0, by start (hourly here). */
START_TEST(misses_are_named)
{
    ck_assert_int_eq(
        rs_test_replysim("staff s.ini -q --target 'sl(5m)>=0.99' --max-agents 1 -r 2 -o miss"), 3);
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/miss/staffing.csv", rs_test_dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    struct rs_buf want = RS_BUF_INIT;
    int misses = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\r\n");
        double start_s;
        if (len < 2 || strncmp(line + len - 2, ",0", 2) != 0) continue; /* met is 0 */
        ck_assert_int_eq(sscanf(line, "%*d,%lf", &start_s), 1);
        /* as schedule.csv writes times: 0s, 1h, 2h, ... */
        if (misses++ < 10)
            rs_buf_printf(&want, "%s %g%s", misses > 1 ? "," : ":", start_s ? start_s / 3600 : 0,
                          start_s ? "h" : "s");
    }
    fclose(f);
    ck_assert_int_gt(misses, 0);
    char head[128];
    snprintf(head, sizeof head, "target NOT met in %d interval(s)", misses);
    ck_assert(rs_test_contains("stdout", head));
    ck_assert_msg(rs_test_contains("stdout", rs_buf_str(&want)), "%s", rs_buf_str(&want));
    rs_buf_free(&want);
}
END_TEST

/* The per-interval agents of a run's intervals.csv (metric agents, the
 * time-average on shift) into v; returns how many. */
static int agents_in_run(const char *dir, double *v, int max)
{
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/%s/intervals.csv", rs_test_dir, dir);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s missing", path);
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        int i;
        char metric[64];
        double mean;
        if (sscanf(line, "%d,%*[^,],%*[^,],%63[^,],%lf", &i, metric, &mean) != 3) continue;
        if (strcmp(metric, "agents") != 0 || i >= max) continue;
        v[i] = mean;
        if (i + 1 > n) n = i + 1;
    }
    fclose(f);
    return n;
}

START_TEST(shifts_cover_the_staffing)
{
    /* 2 days hourly: a profile, so the shifts must follow the staffing */
    rs_test_write("s2.ini", "[scenario]\nname = s2\nhorizon = 2d\ndrain = 6h\nreplications = 2\n"
                            "seed = 7\n[channel twitter]\nrate = 30/h\nprofile = prof.csv\n"
                            "mix = question:1\n[type question]\nhandle = exponential(mean=5m)\n"
                            "[staff]\nagents = 3\n");
    ck_assert_int_eq(rs_test_replysim("staff s2.ini -q --target 'sl(30m)>=0.9' -o out -j 2 "
                                      "--shifts 8h,6h,4h --shift-starts 1h"),
                     0);
    double need[64], have[64];
    int n = read_col("out/staffing.csv", 3, need, 64);
    ck_assert_int_eq(n, 48);
    ck_assert(rs_test_contains("out/shifts.csv", "name,day,start,length,agents\n"));
    ck_assert(rs_test_contains("stdout", "breaks not modelled"));
    ck_assert(rs_test_contains("stdout", "shift model: optimal"));

    /* the paid agent-hours of shifts.csv, at least the staffing's */
    char *csv = rs_test_slurp("out/shifts.csv");
    double paid = 0, need_h = 0;
    int rows = 0;
    for (char *p = strchr(csv, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
        char day[8], len[16];
        int hh, mm, agents;
        ck_assert_int_eq(sscanf(p, "%*[^,],%7[^,],%d:%d,%15[^,],%d", day, &hh, &mm, len, &agents),
                         5);
        ck_assert(strcmp(day, "mon") == 0 || strcmp(day, "tue") == 0);
        ck_assert(strcmp(len, "8h") == 0 || strcmp(len, "6h") == 0 || strcmp(len, "4h") == 0);
        ck_assert_int_gt(agents, 0);
        paid += agents * strtod(len, NULL);
        rows++;
    }
    free(csv);
    for (int i = 0; i < n; i++)
        need_h += need[i];
    ck_assert_int_gt(rows, 2);
    ck_assert_msg(paid >= need_h, "shifts pay %g agent-hours, the staffing needs %g", paid, need_h);

    /* the loader takes shifts.ini, and on shift are at least the staffing's agents */
    ck_assert_int_eq(rs_test_replysim("run out/shifts.ini -q -o run"), 0);
    ck_assert_int_ge(agents_in_run("run", have, 64), 48); /* and the drain */
    for (int i = 0; i < n; i++)
        ck_assert_msg(have[i] >= need[i] - 1e-9, "hour %d: %g agents on shift, %g needed", i,
                      have[i], need[i]);
}
END_TEST

/* rs_shifts_solve on hand-made needs whose optimum is known. */
START_TEST(shift_model_known_optima)
{
    struct rs_error err = {0};
    struct rs_shifts_plan p;
    int need[48];

    /* 2 agents for 16 hours, 8h shifts: 2 + 2 agents in two shifts, 32 agent-hours */
    for (int i = 0; i < 24; i++)
        need[i] = i < 16 ? 2 : 0;
    struct rs_shifts_in in = {.n = 24,
                              .need = need,
                              .interval_s = 3600,
                              .horizon_s = 86400,
                              .n_lengths = 1,
                              .length_s = {8 * 3600.0},
                              .step_s = 3600,
                              .time_limit_s = 60};
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), 0);
    ck_assert(p.optimal);
    ck_assert_double_eq_tol(p.paid_hours, 32, 1e-9);
    ck_assert_double_eq_tol(p.need_hours, 32, 1e-9);
    ck_assert_int_eq(p.n_rows, 2);
    ck_assert_int_eq(p.rows[0].agents, 2);
    ck_assert_int_eq(p.rows[1].agents, 2);
    ck_assert_double_eq(p.rows[0].start_clock_s, 0);
    ck_assert_double_eq(p.rows[1].start_clock_s, 8 * 3600);
    rs_shifts_plan_free(&p);

    /* 1 agent for 10 hours with 8h and 4h shifts: 8h + 4h or 4h x 3, 12
     * agent-hours (8h x 2 would pay 16) */
    for (int i = 0; i < 24; i++)
        need[i] = i >= 6 && i < 16;
    in.n_lengths = 2;
    in.length_s[1] = 4 * 3600.0;
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), 0);
    ck_assert_double_eq_tol(p.paid_hours, 12, 1e-9);
    rs_shifts_plan_free(&p);

    /* the run starts tue 22:00: starts are clock times from there on */
    for (int i = 0; i < 24; i++)
        // cppcheck-suppress unreadVariable ; read through in.need
        need[i] = i < 8;
    in.n_lengths = 1;
    in.start_day = 1;
    in.start_clock_s = 22 * 3600.0;
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), 0);
    ck_assert_int_eq(p.n_rows, 1);
    ck_assert_int_eq(p.rows[0].day, 1);
    ck_assert_double_eq(p.rows[0].start_clock_s, 22 * 3600.0);
    rs_shifts_plan_free(&p);

    /* a 4h shift cannot cover a 6h interval wholly */
    in.interval_s = 6 * 3600.0;
    in.n = 4;
    in.length_s[0] = 4 * 3600.0;
    ck_assert_int_eq(rs_shifts_solve(&in, &p, &err), RS_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "covers the whole interval"));
}
END_TEST

START_TEST(bad_shifts_exit_2)
{
    static const char *const bad[] = {"--shifts 8",
                                      "--shifts 8h,x",
                                      "--shifts 0h",
                                      "--shifts 2w",
                                      "--shifts 8h --shift-starts 0m",
                                      "--shifts 8h --shift-starts 30s",
                                      "--shifts 8h --shift-cost-per-hour -1",
                                      "--shift-starts 1h",
                                      "--shifts 30m"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        ck_assert_int_eq(
            rs_test_replysim("staff s.ini -q --target 'sl(30m)>=0.9' %s -o bad", bad[k]), 2);
        ck_assert_msg(!rs_test_exists("bad"), "%s: wrote output", bad[k]);
    }
}
END_TEST

Suite *rs_test_staff_suite(void);
Suite *rs_test_staff_suite(void)
{
    Suite *s = suite_create("staff");
    TCase *tc = tcase_create("staff");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, found_staffing_meets_and_is_minimal);
    tcase_add_test(tc, constant_rate_gives_about_erlang_c);
    tcase_add_test(tc, working_hours_are_staffed);
    tcase_add_test(tc, bad_target_exits_2);
    tcase_add_test(tc, misses_are_named);
    tcase_add_test(tc, shifts_cover_the_staffing);
    tcase_add_test(tc, shift_model_known_optima);
    tcase_add_test(tc, bad_shifts_exit_2);
    suite_add_tcase(s, tc);
    return s;
}
