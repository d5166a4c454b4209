/* test_staff.c: `replysim staff`, the fewest agents per interval.
 *
 * The staffing found holds on seeds neither the search nor its
 * verification saw (`replysim run` of its scenario.ini: no judged interval
 * significantly below the target); at a constant rate without patience
 * every hour is within one agent of Erlang C (from the birth-death chain);
 * only open hours are judged, and the whole horizon's figure is printed;
 * over whole weeks the pattern is the same every week and schedule.csv is
 * labelled mon 00:00 ...; several targets all hold; sl_bh works; shrinkage
 * rosters agents / (1 - F); bad targets and options exit 2 and write
 * nothing.  Scoped targets (sl(20m)[channel:dm], frt_p90[type:complaint]):
 * the figures staffing.csv reports equal those recomputed from a traced
 * re-run's messages.csv, they bind, and they hold on fresh seeds.  --shifts: the shifts cover the
 * staffing in every interval of a `replysim run` of shifts.ini, with at least its agent-hours, and
 * are judged on the fresh seeds; hand-made needs with a known optimum get it; a bad --shifts
 * exits 2. */
#include "replysim/buf.h"
#include "replysim/shifts.h"
#include "util.h"

#include <check.h>
#include <gsl/gsl_cdf.h>
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

/* Two channels: a busy public one of quick questions and a small private
 * one of longer complaints whose authors write back (later turns, which are
 * not first responses).  Under FIFO both wait alike, but a complaint takes
 * 10 minutes to handle, so answering it within 20 minutes asks for short
 * waits: the scoped target binds while the overall sl(1h) is easily met. */
static const char two_scenario[] =
    "[scenario]\nname = two\nhorizon = 12h\ndrain = 6h\nreplications = 8\nseed = 5\n"
    "[channel twitter]\nrate = 40/h\nmix = question:1\n"
    "[channel dm]\nrate = 4/h\nmix = complaint:1\n"
    "[type question]\nhandle = exponential(mean=4m)\n"
    "[type complaint]\nhandle = lognormal(mean=10m, sd=2m)\nreply_back = 0.4\n"
    "think = exponential(mean=5m)\n"
    "[staff]\nagents = 3\n";

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
    rs_test_write("two.ini", two_scenario);
}

static void teardown(void) { rs_test_dir_destroy(); }

/* staffing.csv's columns (0-based) */
enum { C_AGENTS = 3, C_ROSTERED = 12, C_FRESH_MEAN, C_JUDGED = 19, C_MET };

/* Column col (0-based) of a CSV file's rows into v; returns the rows. */
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

/* Of a run's intervals.csv, metric's mean, sd and n in the first max
 * intervals; returns how many intervals it read. */
static int interval_figures(const char *dir, const char *metric, double *mean, double *sd, int *n,
                            int max)
{
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/%s/intervals.csv", rs_test_dir, dir);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s missing", path);
    int got = 0;
    while (fgets(line, sizeof line, f)) {
        int i, k;
        char m[64];
        double mu, s;
        /* interval,start_s,start,metric,mean,ci_low,ci_high,sd,n */
        if (sscanf(line, "%d,%*[^,],%*[^,],%63[^,],%lf,%*[^,],%*[^,],%lf,%d", &i, m, &mu, &s, &k) !=
                5 ||
            i >= max || strcmp(m, metric) != 0)
            continue;
        mean[i] = mu, sd[i] = s, n[i] = k;
        if (i + 1 > got) got = i + 1;
    }
    fclose(f);
    return got;
}

/* The judged intervals of staffing.csv (of out) whose figure of metric in
 * a fresh run (dir: `run out/scenario.ini` on seeds the search never saw)
 * is significantly on the wrong side of goal: below it (ge) or above it
 * by more than the one-sided 95% t margin, or whose replications all
 * missed. */
static int fresh_misses(const char *out, int n_targets, const char *dir, const char *metric,
                        double goal, int ge)
{
    char file[256];
    snprintf(file, sizeof file, "%s/staffing.csv", out);
    double judged[1600], mean[400], sd[400];
    int n[400], rows = read_col(file, C_JUDGED, judged, 1600) / n_targets, misses = 0;
    ck_assert_int_eq(interval_figures(dir, metric, mean, sd, n, rows) >= rows, 1);
    for (int i = 0; i < rows; i++) {
        if (judged[i * n_targets] != 1 || n[i] == 0) continue;
        double margin = n[i] > 1 ? gsl_cdf_tdist_Pinv(0.95, n[i] - 1) * sd[i] / sqrt(n[i]) : 0;
        if (ge ? mean[i] + margin < goal - 1e-12 : mean[i] - margin > goal + 1e-12) {
            fprintf(stderr, "interval %d: %s %g (sd %g, n %d) against %g\n", i, metric, mean[i],
                    sd[i], n[i], goal);
            misses++;
        }
    }
    return misses;
}

/* The search runs seed 7; its verification seed 8 (4 replications); here
 * 8 replications from seed 1000, which neither saw. */
START_TEST(found_staffing_holds_on_fresh_seeds)
{
    ck_assert_int_eq(rs_test_replysim("staff s.ini -q --target 'sl(30m)>=0.9' -o out -j 2"), 0);
    ck_assert(rs_test_contains("stdout", "verified on 4 fresh replications (seed 8; the search "
                                         "ran seed 7): every target met in every judged "
                                         "interval at 95% confidence"));
    ck_assert(rs_test_contains("stdout", "guarantee: each judged interval meets every target"));
    double judged[64], met[64];
    int n = read_col("out/staffing.csv", C_JUDGED, judged, 64);
    ck_assert_int_eq(n, 24);
    read_col("out/staffing.csv", C_MET, met, 64);
    for (int i = 0; i < n; i++)
        ck_assert_msg(judged[i] == 1 && met[i] == 1, "interval %d: judged %g met %g", i, judged[i],
                      met[i]);
    ck_assert_int_eq(rs_test_replysim("run out/scenario.ini -q -o rerun -s 1000 -r 8 -j 2"), 0);
    ck_assert_int_eq(fresh_misses("out", 1, "rerun", "sl_30m", 0.9, 1), 0);
}
END_TEST

/* P(wait > 0) in M/M/c from the birth-death chain: stationary weights
 * a^k/k! below c, then a geometric tail of ratio a/c, summed until they
 * vanish. */
static double chain_wait_prob(int c, double a)
{
    double w = 1, below = 0, above = 0;
    for (int k = 0; k < c; k++) {
        below += w;
        w *= a / (k + 1);
    }
    for (int k = c; k < 100000 && w > 1e-300; k++) {
        above += w;
        w *= a / c;
    }
    return above / (below + above);
}

/* P(wait + handle <= t), exponential handle of mean h, FIFO. */
static double mmc_sl(double lambda, double h, int c, double t)
{
    double mu = 1 / h, theta = c * mu - lambda;
    if (theta <= 0) return 0;
    double pw = chain_wait_prob(c, lambda * h);
    double conv = fabs(theta - mu) < 1e-12
                      ? 1 - exp(-mu * t) * (1 + mu * t)
                      : 1 - (theta * exp(-mu * t) - mu * exp(-theta * t)) / (theta - mu);
    return (1 - pw) * (1 - exp(-mu * t)) + pw * conv;
}

/* Loads 4 and 12 Erlangs: every hour within one agent of Erlang C.
 *
 * Why an hour may have one agent fewer than Erlang C and still meet, on
 * fresh seeds too (at 180/h, sl(10m) >= 0.8, Erlang C asks 14 agents: 13
 * give 0.773 in the steady state, 14 give 0.882; staff finds 13 in hours
 * 0, 6 and 11, with fresh means 0.84-0.88 and bounds 0.81-0.86): Erlang C is the steady
 * state of a staffing held forever, and an hour is not.  An hour at c - 1
 * starts with the backlog it inherits: none in hour 0, and after an hour
 * at c the lighter queue of c agents (mean waiting queue P(wait) rho /
 * (1 - rho): rho 0.857 at 14, 0.923 at 13).  At 13 agents and rho 0.923
 * the queue relaxes towards its heavier steady state over hours (about
 * h / (c (1 - sqrt rho)^2) = 3.3 h), so within one hour it never gets
 * there: its messages see a service level between the two steady states.
 * Figures are by interval of arrival, so that is what the hour is judged
 * by.  So "never below Erlang C when verified" does not hold, and should
 * not: the verification on fresh seeds is the judge, not the steady
 * state.  What the explanation implies is asserted: every hour below
 * Erlang C is the first (empty start) or follows an hour at Erlang C or
 * above (the backlog it inherits is a c-agent one); and some hour after
 * the first has at least Erlang C's agents. */
START_TEST(constant_rate_gives_about_erlang_c)
{
    static const double rates_per_h[] = {60, 180};
    for (size_t k = 0; k < 2; k++) {
        ck_assert_int_eq(rs_test_replysim("staff ec.ini -q --target 'sl(10m)>=0.8' -o ec -j 2 "
                                          "-r 40 --set channel.twitter.rate=%g/h",
                                          rates_per_h[k]),
                         0);
        double agents[64], most = 0;
        int n = read_col("ec/staffing.csv", C_AGENTS, agents, 64);
        ck_assert_int_eq(n, 12);
        int c = 1;
        while (mmc_sl(rates_per_h[k] / 3600, 240, c, 600) < 0.8)
            c++;
        for (int i = 0; i < n; i++) {
            ck_assert_msg(fabs(agents[i] - c) <= 1, "%g/h hour %d: %g agents, Erlang C says %d",
                          rates_per_h[k], i, agents[i], c);
            if (i > 0 && agents[i] > most) most = agents[i];
            ck_assert_msg(agents[i] >= c || i == 0 || agents[i - 1] >= c,
                          "%g/h hours %d and %d both below Erlang C's %d", rates_per_h[k], i - 1, i,
                          c);
        }
        ck_assert_msg(most >= c, "%g/h: at most %g agents, Erlang C says %d", rates_per_h[k], most,
                      c);
    }
}
END_TEST

START_TEST(working_hours_are_staffed)
{
    ck_assert_int_eq(rs_test_replysim("staff hrs.ini -q --target 'sl(30m)>=0.9' -o hrs -j 2"), 0);
    double agents[64], met[64], judged[64];
    int n = read_col("hrs/staffing.csv", C_AGENTS, agents, 64);
    ck_assert_int_eq(n, 48);
    ck_assert_int_eq(read_col("hrs/staffing.csv", C_MET, met, 64), 48);
    read_col("hrs/staffing.csv", C_JUDGED, judged, 64);
    for (int i = 0; i < n; i++) {
        int open = i % 24 >= 9 && i % 24 < 17;
        /* judged exactly in the open hours, and met there */
        ck_assert_msg(judged[i] == open, "hour %d: judged %g", i, judged[i]);
        ck_assert_msg(open ? met[i] == 1 : isnan(met[i]), "hour %d: met %g", i, met[i]);
        if (!open)
            ck_assert_msg(agents[i] == 0, "hour %d: %g agents while closed", i, agents[i]);
        else
            ck_assert_msg(agents[i] >= 1, "hour %d: no agent while open", i);
    }
    /* the whole horizon, every message: the night's wait for the morning */
    ck_assert(rs_test_contains("stdout", "judged in 16 of 48 1h intervals"));
    ck_assert(rs_test_contains("stdout", "whole horizon after warmup on the fresh replications, "
                                         "every message (judged or not): sl_30m "));
}
END_TEST

START_TEST(bad_target_exits_2)
{
    static const char *const bad[] = {
        "--target 'sl(30)>=0.9'",
        "--target 'sl(30m)>=1.5'",
        "--target 'sl(30m)<=0.9'",
        "--target 'frt_p42<=1h'",
        "--target 'response_rate>=x'",
        "--target wait",
        "--target 'abandon_rate>=0.1'",
        "--target 'abandon_rate<=1'",
        "--target 'sl_bh(1h)>=0.9'", /* s.ini has no [policy] hours */
        "--target 'sl(1h)>=0.9' --shrinkage 1",
        "--target 'sl(1h)>=0.9' --max-occupancy 0",
        "--target 'sl(1h)>=0.9' --confidence 0.3",
        "--target 'sl(1h)>=0.9' --confidence 0.9 --strict",
        "--target 'sl(1h)>=0.9' --verify-replications 0",
        "-r 2",
        "--target 'sl(1h)[channel:nope]>=0.9'", /* s.ini's channel is twitter */
        "--target 'sl(1h)[type:nope]>=0.9'",
        "--target 'sl(1h)[twitter]>=0.9'",
        "--target 'sl(1h)[channel:twitter>=0.9'",
        "--target 'occupancy[channel:twitter]<=0.9'",
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        ck_assert_int_eq(rs_test_replysim("staff s.ini -q %s -o bad", bad[k]), 2);
        ck_assert_msg(!rs_test_exists("bad"), "%s: wrote output", bad[k]);
    }
    /* at most eight targets */
    struct rs_buf many = RS_BUF_INIT;
    for (int k = 0; k < 9; k++)
        rs_buf_printf(&many, " --target 'sl(%dm)>=0.5'", 10 + k);
    ck_assert_int_eq(rs_test_replysim("staff s.ini -q%s -o bad", rs_buf_str(&many)), 2);
    rs_buf_free(&many);
    ck_assert(rs_test_contains("stderr", "expected at most 8 targets"));
    ck_assert(!rs_test_exists("bad"));
}
END_TEST

/* When a target cannot be met, the summary names the judged intervals
 * that miss on fresh seeds: the rows of staffing.csv whose met is 0, by
 * start (hourly here), with the figure they were judged by. */
START_TEST(misses_are_named)
{
    ck_assert_int_eq(
        rs_test_replysim("staff s.ini -q --target 'sl(5m)>=0.99' --max-agents 1 -r 2 -o miss"), 3);
    double met[64], start[64];
    int n = read_col("miss/staffing.csv", C_MET, met, 64);
    read_col("miss/staffing.csv", 1, start, 64);
    struct rs_buf want = RS_BUF_INIT;
    int misses = 0;
    for (int i = 0; i < n; i++) {
        if (met[i] != 0) continue;
        /* as schedule.csv writes times: 0s, 1h, 2h, ... */
        if (misses++ < 10)
            rs_buf_printf(&want, "%s %g%s (sl_5m ", misses > 1 ? "," : ":",
                          start[i] ? start[i] / 3600 : 0, start[i] ? "h" : "s");
    }
    ck_assert_int_gt(misses, 0);
    char head[128];
    snprintf(head, sizeof head, "NOT met in %d judged interval(s)", misses);
    ck_assert(rs_test_contains("stdout", head));
    /* each named interval's judged figure and the goal it misses */
    char *out = rs_test_slurp("stdout");
    const char *p = out;
    for (const char *w = rs_buf_str(&want); *w;) {
        const char *e = strstr(w + 1, " (sl_5m ");
        size_t len = (size_t)(e - w) + 8;
        char piece[64];
        snprintf(piece, sizeof piece, "%.*s", (int)len, w);
        p = strstr(p, piece);
        ck_assert_msg(p != NULL, "%s not named in order", piece);
        w = e + 8;
    }
    ck_assert(strstr(out, " < 0.99)") != NULL);
    free(out);
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
    ck_assert(
        rs_test_contains("out/roster.csv", "shift,days,start,end,length,agents,paid_hours_week\n"));
    ck_assert(rs_test_contains("stdout", "breaks not modelled"));
    ck_assert(rs_test_contains("stdout", "shift model: optimal"));
    /* re-simulated and judged on the fresh replications */
    ck_assert(rs_test_contains("stdout", "with the shifts, on the 2 fresh replications: "));

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

/* Two weeks: one pattern per hour of the week, the same in both weeks,
 * labelled by time of the week, holding on fresh seeds in both weeks. */
START_TEST(weekly_pattern_is_the_same_every_week)
{
    rs_test_write("wk.ini", "[scenario]\nname = wk\nhorizon = 14d\ndrain = 6h\nreplications = 3\n"
                            "seed = 5\n[channel twitter]\nrate = 12/h\nprofile = prof.csv\n"
                            "mix = question:1\n[type question]\nhandle = exponential(mean=5m)\n"
                            "[staff]\nagents = 3\n");
    ck_assert_int_eq(rs_test_replysim("staff wk.ini -q --target 'sl(30m)>=0.9' -o wk -j 2"), 0);
    ck_assert(rs_test_contains("stdout", "weekly pattern: one staffing per 1h of the week, the "
                                         "same in every week of the 2-week horizon"));
    ck_assert(rs_test_contains("stdout", "agent-hours on duty per week"));
    ck_assert(rs_test_contains("stdout", "cost per week"));
    double agents[400];
    ck_assert_int_eq(read_col("wk/staffing.csv", C_AGENTS, agents, 400), 336);
    for (int i = 0; i < 168; i++)
        ck_assert_msg(agents[i] == agents[i + 168], "hour %d: %g agents in week 1, %g in week 2", i,
                      agents[i], agents[i + 168]);
    /* schedule.csv: one row per hour of the week, mon 00:00 first */
    static const char *const days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    char *sched = rs_test_slurp("wk/schedule.csv");
    ck_assert_int_eq(rs_test_lines(sched), 169);
    const char *p = strchr(sched, '\n') + 1;
    for (int h = 0; h < 168; h++, p = strchr(p, '\n') + 1) {
        char want[64];
        snprintf(want, sizeof want, "%s %02d:00,%d\n", days[h / 24], h % 24, (int)agents[h]);
        ck_assert_msg(!strncmp(p, want, strlen(want)), "row %d: want %s", h, want);
    }
    free(sched);
    ck_assert_int_eq(rs_test_replysim("run wk/scenario.ini -q -o rerun -s 1000 -r 4 -j 2"), 0);
    ck_assert_int_eq(fresh_misses("wk", 1, "rerun", "sl_30m", 0.9, 1), 0);
    /* scenario.ini on the verification's seeds reproduces its figures (the
     * weekly schedule.csv runs into the drain as the search's did) */
    ck_assert_int_eq(rs_test_replysim("run wk/scenario.ini -q -o same -s 6 -r 3 -j 2"), 0);
    double a[400], b[400], sd[400];
    int na[400], nb[400];
    ck_assert_int_eq(interval_figures("wk", "sl_30m", a, sd, na, 400),
                     interval_figures("same", "sl_30m", b, sd, nb, 400));
    for (int i = 0; i < 336; i++)
        ck_assert_msg(a[i] == b[i] && na[i] == nb[i], "hour %d: %g, run again %g", i, a[i], b[i]);
    /* --per-interval: one row per hour of the horizon, from the start */
    ck_assert_int_eq(
        rs_test_replysim("staff wk.ini -q --target 'sl(30m)>=0.9' -o pi -j 2 --per-interval -r 2"),
        0);
    ck_assert(!rs_test_contains("stdout", "weekly pattern"));
    ck_assert(rs_test_contains("stdout", "agent-hours on duty over the horizon"));
    char *pi = rs_test_slurp("pi/schedule.csv");
    ck_assert_int_eq(rs_test_lines(pi), 337);
    ck_assert(!strncmp(pi, "time,agents\n0s,", 15));
    free(pi);
}
END_TEST

/* Four targets at once: each holds in every judged interval, and on a
 * fresh run. */
START_TEST(several_targets_all_hold)
{
    ck_assert_int_eq(rs_test_replysim("staff s.ini -q --target 'sl(30m)>=0.9' --target "
                                      "'frt_mean<=10m' --target 'abandon_rate<=0.05' "
                                      "--max-occupancy 0.7 -o out -j 2"),
                     0);
    double met[128], judged[128], fresh[128];
    int rows = read_col("out/staffing.csv", C_MET, met, 128);
    ck_assert_int_eq(rows, 96);
    read_col("out/staffing.csv", C_JUDGED, judged, 128);
    read_col("out/staffing.csv", C_FRESH_MEAN, fresh, 128);
    char *csv = rs_test_slurp("out/staffing.csv");
    ck_assert(strstr(csv, ",sl_30m,0.9,") && strstr(csv, ",frt_mean_s,600,") &&
              strstr(csv, ",unanswered_rate,0.05,") && strstr(csv, ",occupancy,0.7,"));
    free(csv);
    for (int r = 0; r < rows; r++) {
        if (judged[r] != 1) continue;
        ck_assert_msg(met[r] == 1, "row %d misses", r);
        if (r % 4 == 3) /* the occupancy, mean of the fresh replications */
            ck_assert_msg(fresh[r] <= 0.7, "row %d: occupancy %g", r, fresh[r]);
    }
    ck_assert_int_eq(rs_test_replysim("run out/scenario.ini -q -o rerun -s 1000 -r 8 -j 2"), 0);
    ck_assert_int_eq(fresh_misses("out", 4, "rerun", "sl_30m", 0.9, 1), 0);
    ck_assert_int_eq(fresh_misses("out", 4, "rerun", "frt_mean_s", 600, 0), 0);
    ck_assert_int_eq(fresh_misses("out", 4, "rerun", "occupancy", 0.7, 0), 0);
}
END_TEST

/* sl_bh: answered within 1h of business time, from the business-hours
 * interval metrics. */
START_TEST(business_hours_target)
{
    ck_assert_int_eq(rs_test_replysim("staff hrs.ini -q --target 'sl_bh(1h)>=0.9' -o bh -j 2"), 0);
    ck_assert(rs_test_contains("bh/staffing.csv", ",sl_bh_1h,0.9,"));
    ck_assert(rs_test_contains("stdout", "every message (judged or not): sl_bh_1h "));
    double met[64], judged[64];
    int n = read_col("bh/staffing.csv", C_MET, met, 64);
    read_col("bh/staffing.csv", C_JUDGED, judged, 64);
    for (int i = 0; i < n; i++)
        ck_assert_msg(judged[i] != 1 || met[i] == 1, "hour %d misses", i);
}
END_TEST

/* --shrinkage 0.25: rostered = agents / 0.75 rounded up, per interval;
 * the shifts cover the rostered agents. */
START_TEST(shrinkage_rosters_more)
{
    rs_test_write("s2.ini", "[scenario]\nname = s2\nhorizon = 1d\ndrain = 6h\nreplications = 2\n"
                            "seed = 7\n[channel twitter]\nrate = 30/h\nprofile = prof.csv\n"
                            "mix = question:1\n[type question]\nhandle = exponential(mean=5m)\n"
                            "[staff]\nagents = 3\n");
    ck_assert_int_eq(rs_test_replysim("staff s2.ini -q --target 'sl(30m)>=0.9' -o out -j 2 "
                                      "--shrinkage 0.25 --shifts 8h,4h"),
                     0);
    double agents[64], rostered[64], on = 0, paid_need = 0;
    int n = read_col("out/staffing.csv", C_AGENTS, agents, 64);
    read_col("out/staffing.csv", C_ROSTERED, rostered, 64);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(rostered[i] == ceil(agents[i] / 0.75 - 1e-9), "hour %d: %g rostered for %g",
                      i, rostered[i], agents[i]);
        on += agents[i], paid_need += rostered[i];
    }
    char want[128];
    snprintf(want, sizeof want,
             "agent-hours on duty over the horizon %g; rostered (shrinkage "
             "0.25) %g; cost over the horizon %g",
             on, paid_need, paid_need);
    ck_assert_msg(rs_test_contains("stdout", want), "%s", want);
    snprintf(want, sizeof want, "vs %g rostered agent-hours per interval", paid_need);
    ck_assert_msg(rs_test_contains("stdout", want), "%s", want);
}
END_TEST

/* ------------------------------------------------ scoped targets */

/* A scoped figure recomputed from a traced run's messages.csv (dir), by
 * the definitions of the interval metrics: per replication and interval
 * of arrival (1 h), of the first turns of col's (3: channel, 4: type)
 * value name needing a reply and not blocked, the share answered within
 * within_s: of them all (of_answered 0) or of those answered (1).  Fills
 * mean[i], sd[i] and n[i] (replications with a figure) of the first
 * max intervals. */
enum { M_REP, M_CHANNEL = 3, M_TYPE, M_FATE = 8, M_ARRIVE = 10, M_END = 13, M_TURN = 17, M_COLS };
static void scoped_from_trace(const char *dir, int col, const char *name, double within_s,
                              int of_answered, int reps, double *mean, double *sd, int *n, int max)
{
    enum { MAX_REPS = 16, MAX_IV = 24 };
    ck_assert(reps <= MAX_REPS && max <= MAX_IV);
    double den[MAX_REPS][MAX_IV] = {{0}}, num[MAX_REPS][MAX_IV] = {{0}};
    char path[512], line[2048];
    snprintf(path, sizeof path, "%s/%s/messages.csv", rs_test_dir, dir);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s missing", path);
    ck_assert(fgets(line, sizeof line, f) != NULL); /* the header */
    while (fgets(line, sizeof line, f)) {
        char *field[M_COLS + 2] = {NULL}, *p = line;
        int k = 0;
        for (; k < M_COLS + 2 && p; k++) {
            field[k] = p;
            p = strchr(p, ',');
            if (p) *p++ = '\0';
        }
        ck_assert_int_ge(k, M_COLS);
        const char *fate = field[M_FATE];
        if (strcmp(field[col], name) != 0 || strcmp(field[M_TURN], "1") != 0 ||
            strcmp(fate, "no_reply") == 0 || strcmp(fate, "blocked") == 0)
            continue;
        int r = (int)strtol(field[M_REP], NULL, 10) - 1;
        double arrive = strtod(field[M_ARRIVE], NULL), end = strtod(field[M_END], NULL);
        int i = (int)(arrive / 3600);
        if (i >= max) continue;
        int answered = strcmp(fate, "answered") == 0 || strcmp(fate, "thread") == 0 ||
                       strcmp(fate, "bot") == 0;
        if (!of_answered || answered) den[r][i]++;
        if (answered && end - arrive <= within_s) num[r][i]++;
    }
    fclose(f);
    for (int i = 0; i < max; i++) {
        double sum = 0, sum2 = 0;
        n[i] = 0;
        for (int r = 0; r < reps; r++) {
            if (den[r][i] == 0) continue;
            double x = num[r][i] / den[r][i];
            sum += x, sum2 += x * x, n[i]++;
        }
        mean[i] = n[i] ? sum / n[i] : NAN;
        sd[i] = n[i] > 1 ? sqrt(fmax(0, (sum2 - sum * sum / n[i]) / (n[i] - 1))) : NAN;
    }
}

/* Column col of staffing.csv's rows of target k of nt, per interval. */
static int target_col(const char *file, int col, int k, int nt, double *v, int max)
{
    double all[256];
    int rows = read_col(file, col, all, 256) / nt;
    for (int i = 0; i < rows && i < max; i++)
        v[i] = all[i * nt + k];
    return rows < max ? rows : max;
}

/* The scoped figures staffing.csv (of out) reports on the verification
 * seeds are those of messages.csv of out's scenario.ini re-run on them:
 * the same messages by the same definitions.  k: the scoped target's row
 * among nt.  Returns the rows of staffing.csv. */
static int scoped_exact(const char *out, int k, int nt, int col, const char *name, double within_s,
                        int of_answered)
{
    char file[256];
    snprintf(file, sizeof file, "%s/staffing.csv", out);
    double fresh[24], fresh_n[24], mean[24], sd[24];
    int n[24], rows = target_col(file, C_FRESH_MEAN, k, nt, fresh, 24), compared = 0;
    ck_assert_int_eq(rows, 12);
    target_col(file, C_FRESH_MEAN + 3, k, nt, fresh_n, 24);
    /* the verification ran seed 6 (the scenario's 5, plus one), 8 replications */
    ck_assert_int_eq(rs_test_replysim("run %s/scenario.ini -q --trace -o ver -s 6 -r 8 -j 2", out),
                     0);
    scoped_from_trace("ver", col, name, within_s, of_answered, 8, mean, sd, n, rows);
    for (int i = 0; i < rows; i++) {
        ck_assert_msg(n[i] == (int)fresh_n[i], "hour %d: %d replications, staff says %g", i, n[i],
                      fresh_n[i]);
        if (!n[i]) continue;
        ck_assert_msg(fabs(mean[i] - fresh[i]) < 1e-9, "hour %d: %.17g, staff says %.17g", i,
                      mean[i], fresh[i]);
        compared++;
    }
    ck_assert_int_gt(compared, 0);
    return rows;
}

/* On 8 replications from seed 1000, which neither the search nor the
 * verification saw, no judged interval of out's scoped target is
 * significantly below the goal (and every hour is judged). */
static void scoped_holds(const char *out, int k, int nt, int col, const char *name, double within_s,
                         int of_answered, double goal)
{
    char file[256];
    snprintf(file, sizeof file, "%s/staffing.csv", out);
    double judged[24], mean[24], sd[24];
    int n[24], rows = scoped_exact(out, k, nt, col, name, within_s, of_answered);
    target_col(file, C_JUDGED, k, nt, judged, 24);
    ck_assert_int_eq(
        rs_test_replysim("run %s/scenario.ini -q --trace -o new -s 1000 -r 8 -j 2", out), 0);
    scoped_from_trace("new", col, name, within_s, of_answered, 8, mean, sd, n, rows);
    int judged_here = 0;
    for (int i = 0; i < rows; i++) {
        if (judged[i] != 1 || n[i] == 0) continue;
        judged_here++;
        double margin = n[i] > 1 ? gsl_cdf_tdist_Pinv(0.95, n[i] - 1) * sd[i] / sqrt(n[i]) : 0;
        ck_assert_msg(mean[i] + margin >= goal - 1e-12, "hour %d: %g (sd %g, n %d) below %g", i,
                      mean[i], sd[i], n[i], goal);
    }
    ck_assert_int_eq(judged_here, rows);
}

/* Agents over the horizon of a one-target staffing.csv's rows (1 h). */
static double agent_hours(const char *file, int nt)
{
    double a[64], sum = 0;
    int rows = target_col(file, C_AGENTS, 0, nt, a, 64);
    for (int i = 0; i < rows; i++)
        sum += a[i];
    return sum;
}

START_TEST(scoped_target_binds_and_holds)
{
    ck_assert_int_eq(rs_test_replysim("staff two.ini -q --target 'sl(1h)>=0.8' -o all -j 2"), 0);
    ck_assert_int_eq(rs_test_replysim("staff two.ini -q --target 'sl(1h)>=0.8' --target "
                                      "'sl(20m)[channel:dm]>=0.8' -o dm -j 2"),
                     0);
    ck_assert(rs_test_contains("dm/staffing.csv", ",sl_20m[channel:dm],0.8,"));
    ck_assert(rs_test_contains("stdout", "every message (judged or not): sl_1h "));
    ck_assert(rs_test_contains("stdout", " sl_20m[channel:dm] "));
    double alone = agent_hours("all/staffing.csv", 1), scoped = agent_hours("dm/staffing.csv", 2);
    ck_assert_msg(scoped > alone, "the scoped target does not bind: %g vs %g agent-hours", scoped,
                  alone);
    scoped_holds("dm", 1, 2, M_CHANNEL, "dm", 1200, 0, 0.8);
    /* understaffed, the figures are far from 1, where counting a later
     * turn, a blocked message or another channel's would show */
    ck_assert_int_eq(rs_test_replysim("staff two.ini -q --target 'sl(20m)[channel:dm]>=0.8' -o "
                                      "under -j 2 --max-agents 4"),
                     3);
    ck_assert(rs_test_contains("stdout", "NOT met"));
    scoped_exact("under", 0, 1, M_CHANNEL, "dm", 1200, 0);
}
END_TEST

/* frt_p90[type:complaint] <= 25m: of the complaints answered, 90% within
 * 25 minutes. */
START_TEST(scoped_quantile_target_holds)
{
    ck_assert_int_eq(
        rs_test_replysim("staff two.ini -q --target 'frt_p90[type:complaint]<=25m' -o q -j 2"), 0);
    ck_assert(rs_test_contains("q/staffing.csv", ",answered_within_25m[type:complaint],0.9,"));
    scoped_holds("q", 0, 1, M_TYPE, "complaint", 1500, 1, 0.9);
}
END_TEST

Suite *rs_test_staff_suite(void);
Suite *rs_test_staff_suite(void)
{
    Suite *s = suite_create("staff");
    TCase *tc = tcase_create("staff");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, found_staffing_holds_on_fresh_seeds);
    tcase_add_test(tc, constant_rate_gives_about_erlang_c);
    tcase_add_test(tc, working_hours_are_staffed);
    tcase_add_test(tc, bad_target_exits_2);
    tcase_add_test(tc, misses_are_named);
    tcase_add_test(tc, shifts_cover_the_staffing);
    tcase_add_test(tc, shift_model_known_optima);
    tcase_add_test(tc, bad_shifts_exit_2);
    tcase_add_test(tc, weekly_pattern_is_the_same_every_week);
    tcase_add_test(tc, several_targets_all_hold);
    tcase_add_test(tc, business_hours_target);
    tcase_add_test(tc, shrinkage_rosters_more);
    tcase_add_test(tc, scoped_target_binds_and_holds);
    tcase_add_test(tc, scoped_quantile_target_holds);
    suite_add_tcase(s, tc);
    return s;
}
