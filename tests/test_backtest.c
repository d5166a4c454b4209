/* test_backtest.c: a log replayed under a scenario (backtest.h): an exact
 * replay reproduces the log, a simulated log's observations fall in their
 * bands about 95% of the time, and logs the scenario cannot place are
 * refused naming file, line and name. */
#include "replysim/backtest.h"
#include "replysim/observed.h"
#include "replysim/rng.h"
#include "replysim/scenario.h"
#include "replysim/world.h"
#include "util.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages from an array, as a log source. */
struct rows {
    struct rs_log_msg *m;
    long n, at, cap;
};

static int rows_next(void *ctx, struct rs_log_msg *m, struct rs_error *err)
{
    (void)err;
    struct rows *r = ctx;
    if (r->at >= r->n) return 0;
    *m = r->m[r->at++];
    return 1;
}

static int rows_rewind(void *ctx, struct rs_error *err)
{
    (void)err;
    ((struct rows *)ctx)->at = 0;
    return RS_OK;
}

static void push(struct rows *r, const struct rs_log_msg *m)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 256;
        r->m = realloc(r->m, (size_t)r->cap * sizeof *r->m);
        ck_assert_ptr_nonnull(r->m);
    }
    r->m[r->n] = *m;
    r->m[r->n].line = r->n + 2;
    r->n++;
}

static struct rs_log_source source(struct rows *r, int origin_day)
{
    return (struct rs_log_source){rows_next, rows_rewind, r, "log.csv", origin_day};
}

static struct rs_log_msg msg(double arrive, double take, double reply, double handle,
                             const char *channel, const char *type)
{
    return (struct rs_log_msg){.arrive_s = arrive,
                               .take_s = take,
                               .reply_s = reply,
                               .abandon_s = NAN,
                               .handle_s = handle,
                               .channel = channel,
                               .type = type,
                               .agent = "",
                               .conversation = ""};
}

static struct rs_scenario *load(const char *text)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    ck_assert_msg(rs_scenario_load_string(text, "bt.ini", &sc, &err) == RS_OK, "%s", err.msg);
    return sc;
}

static const struct rs_backtest_opts opts20 = {.replications = 20, .seed = 7, .threads = 2};

/* One agent, fifo, no patience, handle times in the log: the replay is the
 * log itself, so every replication matches it and its band is the point. */
static const char *const exact_text =
    "[scenario]\nhorizon = 1d\nwithin = 2m, 1h\n[channel web]\nrate = 1/h\n"
    "[type q]\nhandle = exponential(mean=5m)\n[staff]\nagents = 1\n";

START_TEST(an_exact_replay_is_the_log)
{
    struct rs_scenario *sc = load(exact_text);
    struct rows r = {0};
    /* Hand-worked: one agent takes them in turn; the 4th waits for nobody. */
    struct rs_log_msg l[] = {msg(0, 0, 100, 100, "web", "q"), msg(60, 100, 200, 100, "web", "q"),
                             msg(120, 200, 300, 100, "web", ""),
                             msg(4000, 4000, 4050, 50, "", "q")};
    for (int i = 0; i < 4; i++)
        push(&r, &l[i]);
    struct rs_log_source src = source(&r, -1);
    struct rs_backtest *bt = NULL;
    struct rs_error err;
    ck_assert_msg(rs_backtest_run(sc, &src, &opts20, &bt, &err) == RS_OK, "%s", err.msg);
    ck_assert_int_eq(rs_backtest_n_intervals(bt), 2);
    ck_assert_int_eq(rs_backtest_n_metrics(bt), 8);
    static const char *const names[] = {"arrivals",    "response_rate", "abandon_rate",
                                        "wait_mean_s", "frt_mean_s",    "frt_p90_s",
                                        "sl_2m",       "sl_1h"};
    /* interval 0: frt 100, 140, 180; waits 0, 40, 80; within 2m: one. */
    static const double want0[] = {3, 1, 0, 40, 140, 180, 1.0 / 3, 1};
    for (int m = 0; m < 8; m++) {
        ck_assert_str_eq(rs_backtest_metric_name(bt, m), names[m]);
        struct rs_backtest_row row;
        rs_backtest_row(bt, 0, m, &row);
        ck_assert_int_eq(row.n, 20);
        ck_assert_msg(fabs(row.mean - row.observed) <= 1e-9 * fmax(1, row.observed), "%s: %g vs %g",
                      names[m], row.mean, row.observed);
        ck_assert_msg(row.covered && row.lo <= row.hi, "%s", names[m]);
        if (m == 5) /* a p90 is a bucket's midpoint: within 1.6% */
            ck_assert(fabs(row.observed - want0[m]) <= want0[m] / 64);
        else
            ck_assert_msg(fabs(row.observed - want0[m]) < 1e-12, "%s: %g", names[m], row.observed);
    }
    struct rs_backtest_row whole;
    rs_backtest_row(bt, -1, rs_backtest_find_metric(bt, "frt_mean_s"), &whole);
    ck_assert(fabs(whole.observed - (100 + 140 + 180 + 50) / 4.0) < 1e-9);
    ck_assert(fabs(whole.mean - whole.observed) < 1e-9);
    long n, k;
    rs_backtest_coverage(bt, rs_backtest_find_metric(bt, "wait_mean_s"), &n, &k);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(k, 2);
    /* The replay stops at the log's last event and starts with no warm-up. */
    const struct rs_scenario *rp = rs_backtest_scenario(bt);
    ck_assert(fabs(rp->horizon_s + rp->drain_s - 4050) < 1e-2 && rp->warmup_s == 0);
    ck_assert_int_eq(rp->channels[0].trace.n, 4);
    rs_backtest_destroy(bt);
    rs_scenario_destroy(sc);
    free(r.m);
}
END_TEST

/* The same log read out of order, and moved a day earlier: the same
 * replay, sorted, its clock a day back. */
START_TEST(an_unsorted_log_replays_sorted)
{
    struct rs_scenario *sc = load(exact_text);
    struct rs_log_msg l[] = {msg(0, 0, 100, 100, "web", "q"), msg(60, 100, 200, 100, "web", "q"),
                             msg(120, 200, 300, 100, "web", ""),
                             msg(4000, 4000, 4050, 50, "", "q")};
    struct rows sorted = {0}, shuffled = {0};
    static const int order[] = {3, 1, 0, 2};
    for (int i = 0; i < 4; i++) {
        push(&sorted, &l[i]);
        struct rs_log_msg m = l[order[i]];
        m.arrive_s -= 86400; /* a day before the origin */
        m.take_s -= 86400;
        m.reply_s -= 86400;
        push(&shuffled, &m);
    }
    struct rs_log_source a = source(&sorted, -1), b = source(&shuffled, 0);
    struct rs_backtest *x = NULL, *y = NULL;
    struct rs_error err;
    ck_assert_int_eq(rs_backtest_run(sc, &a, &opts20, &x, &err), RS_OK);
    ck_assert_msg(rs_backtest_run(sc, &b, &opts20, &y, &err) == RS_OK, "%s", err.msg);
    const struct rs_trace *t = &rs_backtest_scenario(y)->channels[0].trace;
    static const double want_t[] = {0, 60, 120, 4000};
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(t->t_s[i], want_t[i]);
    ck_assert_int_eq(t->type[2], -1);
    ck_assert(isnan(t->handle_s[3]) == 0 && t->handle_s[3] == 50);
    ck_assert_int_eq(rs_backtest_scenario(y)->start_day, 6); /* the sunday before monday */
    ck_assert_int_eq(rs_backtest_scenario(x)->start_day, 0);
    for (long i = -1; i < rs_backtest_n_intervals(x); i++)
        for (int m = 0; m < rs_backtest_n_metrics(x); m++) {
            struct rs_backtest_row p, q;
            rs_backtest_row(x, i, m, &p);
            rs_backtest_row(y, i, m, &q);
            ck_assert(memcmp(&p, &q, sizeof p) == 0);
        }
    rs_backtest_destroy(x);
    rs_backtest_destroy(y);
    rs_scenario_destroy(sc);
    free(sorted.m);
    free(shuffled.m);
}
END_TEST

/* ------------------------------------------------ coverage */

/* Two agents near 80% busy, impatient customers who leave: plenty to
 * vary from one replication to the next. */
static const char *const busy_text =
    "[scenario]\nhorizon = 7d\ndrain = 12h\nwithin = 15m, 1h\n"
    "[channel tw]\nrate = 20/h\nmix = complaint:0.6, question:0.4\n"
    "[type complaint]\nhandle = exponential(mean=5m)\npatience = exponential(mean=30m)\n"
    "[type question]\nhandle = gamma(mean=4m, sd=2m)\npatience = exponential(mean=2h)\n"
    "[staff]\nagents = 2\n[policy]\nabandon = leave\n";

static void collect(void *ctx, const struct rs_msg_record *rec)
{
    void **c = ctx;
    struct rs_log_msg m;
    rs_observed_from_record(c[0], rec, &m);
    push(c[1], &m);
}

START_TEST(a_simulated_log_is_covered_about_95_percent)
{
    struct rs_scenario *sc = load(busy_text);
    struct rows r = {0};
    void *ctx[2] = {sc, &r};
    /* The "real" log: one run on its own seed, not one of the backtest's. */
    struct rs_world *w = rs_world_create(sc, rs_rng_replication_key(99, 0));
    rs_world_set_log(w, collect, ctx);
    ck_assert_int_eq(rs_world_run(w), RS_OK);
    rs_world_destroy(w);
    ck_assert_int_gt(r.n, 3000);
    struct rs_log_source src = source(&r, -1);
    struct rs_backtest *bt = NULL;
    struct rs_error err;
    struct rs_backtest_opts o = {.replications = 30, .seed = 1, .threads = 2};
    ck_assert_msg(rs_backtest_run(sc, &src, &o, &bt, &err) == RS_OK, "%s", err.msg);
    /* The observation is one more draw of what the replications draw: the
     * same arrivals, fresh handle and patience times.  Its share in the band
     * should be 0.95 up to the binomial error over the intervals; intervals
     * share queues, so allow 4 standard errors.  arrivals is replayed, so
     * it is always in (a check that every row was read). */
    static const char *const checked[] = {"abandon_rate", "wait_mean_s", "frt_mean_s",
                                          "frt_p90_s",    "sl_15m",      "sl_1h"};
    for (int i = 0; i < 6; i++) {
        long n, k;
        rs_backtest_coverage(bt, rs_backtest_find_metric(bt, checked[i]), &n, &k);
        double share = (double)k / (double)n, se = sqrt(0.95 * 0.05 / (double)n);
        ck_assert_int_ge(n, 160);
        ck_assert_msg(fabs(share - 0.95) <= 4 * se, "%s: %ld of %ld in the band", checked[i], k, n);
    }
    long n, k;
    rs_backtest_coverage(bt, 0, &n, &k);
    ck_assert_int_eq(n, k);
    struct rs_backtest_row whole;
    rs_backtest_row(bt, -1, 0, &whole);
    ck_assert_double_eq(whole.observed, (double)r.n);
    rs_backtest_destroy(bt);
    rs_scenario_destroy(sc);
    free(r.m);
}
END_TEST

/* ------------------------------------------------ bad logs */

static const char *const two_text =
    "[scenario]\nhorizon = 1d\n[channel web]\nrate = 1/h\n[channel mail]\nrate = 1/h\n"
    "[type q]\nhandle = exponential(mean=5m)\n[staff]\nagents = 1\n";

/* Each log: its third message is the bad one (line 4 of the file). */
static const struct {
    const char *channel, *type;
    double arrive;
    const char *want;
} bad[] = {
    {"phone", "q", 10,
     "log.csv:4: channel: expected a channel of the scenario (web, mail), got \"phone\""},
    {"web", "z", 10, "log.csv:4: type: expected a type of the scenario (q), got \"z\""},
    {"", "q", 10,
     "log.csv:4: channel: expected a channel name: the scenario has several (web, mail)"},
    {"web", "q", NAN, "log.csv:4: arrive: expected an arrival time"},
};

START_TEST(bad_logs_name_file_line_and_name)
{
    struct rs_scenario *sc = load(two_text);
    struct rows r = {0};
    struct rs_log_msg ok = msg(0, NAN, NAN, NAN, "web", "q");
    push(&r, &ok);
    push(&r, &ok);
    struct rs_log_msg m = msg(bad[_i].arrive, NAN, NAN, NAN, bad[_i].channel, bad[_i].type);
    push(&r, &m);
    struct rs_log_source src = source(&r, -1);
    struct rs_backtest *bt = NULL;
    struct rs_error err;
    ck_assert_int_eq(rs_backtest_run(sc, &src, &opts20, &bt, &err), RS_EINPUT);
    char line[512];
    rs_error_format(&err, line, sizeof line);
    ck_assert_str_eq(line, bad[_i].want);
    ck_assert_ptr_null(bt);
    rs_scenario_destroy(sc);
    free(r.m);
}
END_TEST

START_TEST(an_empty_log_is_refused)
{
    struct rs_scenario *sc = load(two_text);
    struct rows r = {0};
    struct rs_log_source src = source(&r, -1);
    struct rs_backtest *bt = NULL;
    struct rs_error err;
    ck_assert_int_eq(rs_backtest_run(sc, &src, &opts20, &bt, &err), RS_EINPUT);
    ck_assert(strstr(err.msg, "expected at least one message") != NULL);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------ the command */

static void setup(void) { rs_test_dir_create("backtest"); }
static void teardown(void) { rs_test_dir_destroy(); }

/* The coverage of each metric from coverage.csv, as the user reads it. */
static void coverage_rows(const char *csv, const char *metric, long *n, long *k)
{
    char want[64];
    snprintf(want, sizeof want, "\n%s,", metric);
    const char *p = strstr(csv, want);
    ck_assert_msg(p != NULL, "no row %s", metric);
    ck_assert_int_eq(sscanf(p + strlen(want), "%ld,%ld,", n, k), 2);
}

/* The round trip of the issue: a run's messages.csv backtested against its
 * own scenario.  Drawing handle times afresh, the log is one more draw of
 * what the replications draw, so each metric's coverage is 0.95 up to the
 * binomial error over the intervals (4 standard errors: intervals share
 * queues).  Replaying the log's handle times (the default) the bands are
 * narrower but the log is nearer them: coverage at least as high. */
START_TEST(run_trace_then_backtest_covers_about_95_percent)
{
    rs_test_write("busy.ini", busy_text);
    ck_assert_int_eq(rs_test_replysim("run busy.ini --trace -r 1 -s 42 -q -o run"), 0);
    ck_assert_int_eq(rs_test_replysim("backtest run/messages.csv busy.ini --draw-handles -r 30 "
                                      "-j 2 -q -o bt"),
                     0);
    ck_assert_int_eq(rs_test_replysim("backtest run/messages.csv busy.ini -r 30 -j 2 -q -o bt2"),
                     0);
    char *drawn = rs_test_slurp("bt/coverage.csv"), *replayed = rs_test_slurp("bt2/coverage.csv");
    static const char *const checked[] = {"response_rate", "abandon_rate", "wait_mean_s",
                                          "frt_mean_s",    "frt_p90_s",    "sl_15m",
                                          "sl_1h"};
    for (int i = 0; i < 7; i++) {
        long n, k, n2, k2;
        coverage_rows(drawn, checked[i], &n, &k);
        coverage_rows(replayed, checked[i], &n2, &k2);
        double se = sqrt(0.95 * 0.05 / (double)n);
        ck_assert_int_eq(n, 168);
        ck_assert_msg(fabs((double)k / (double)n - 0.95) <= 4 * se, "%s: %ld of %ld", checked[i], k,
                      n);
        ck_assert_msg((double)k2 / (double)n2 >= 0.95 - 4 * se, "%s: %ld of %ld replayed",
                      checked[i], k2, n2);
    }
    long n, k;
    coverage_rows(drawn, "arrivals", &n, &k);
    ck_assert_int_eq(n, k);
    ck_assert(rs_test_contains("bt/backtest.csv",
                               "interval,start_s,start,metric,observed,mean,lo,hi,n\n"));
    ck_assert(rs_test_contains("bt/backtest.csv", "\nall,,,arrivals,"));
    /* The replay runs again as it is. */
    ck_assert_int_eq(rs_test_replysim("run bt/scenario.ini -r 2 -q -o again"), 0);
    /* A scenario with three times the agents does not explain the log, and
     * the command says so, naming the metrics */
    ck_assert_int_eq(rs_test_replysim("backtest run/messages.csv busy.ini --draw-handles -r 10 "
                                      "-j 2 --set staff.agents=6 -o bt3"),
                     0);
    ck_assert(rs_test_contains("stdout", "replysim: NOT explained: covered far below 95%"));
    ck_assert(rs_test_contains("stdout", "wait_mean_s"));
    free(drawn);
    free(replayed);
}
END_TEST

Suite *rs_test_backtest_suite(void);
Suite *rs_test_backtest_suite(void)
{
    Suite *s = suite_create("backtest");
    TCase *tc = tcase_create("backtest");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, an_exact_replay_is_the_log);
    tcase_add_test(tc, an_unsorted_log_replays_sorted);
    tcase_add_test(tc, a_simulated_log_is_covered_about_95_percent);
    tcase_add_loop_test(tc, bad_logs_name_file_line_and_name, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, an_empty_log_is_refused);
    suite_add_tcase(s, tc);
    TCase *cmd = tcase_create("command");
    tcase_set_timeout(cmd, 120);
    tcase_add_checked_fixture(cmd, setup, teardown);
    tcase_add_test(cmd, run_trace_then_backtest_covers_about_95_percent);
    suite_add_tcase(s, cmd);
    return s;
}
