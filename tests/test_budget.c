/* test_budget.c: the estimate of what a request needs and its limits
 * (sim/budget.c), the open-message cap of a running world, and the
 * interval count that must not overflow.
 *
 * The estimate is held to the measured figures of the shipped default
 * scenario (messages, events, memory of a replication) and to the memory
 * of worlds whose stats intervals stay live for minutes, a weekend or for
 * ever; each limit to its boundary: the limit itself passes, one more is
 * refused with the key and the limit named. */
#include "replysim/budget.h"
#include "replysim/error.h"
#include "replysim/rng.h"
#include "replysim/scenario.h"
#include "replysim/world.h"
#include "stats.h"

#include <check.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_INI RS_SOURCE_DIR "/scenarios/default.ini"

static struct rs_scenario *load_text(const char *text)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    int rc = rs_scenario_load_string(text, "shop.ini", &sc, &err);
    ck_assert_msg(rc == RS_OK, "%s:%d: %s: %s", err.file, err.line, err.key, err.msg);
    return sc;
}

/* A valid scenario of one channel and type (handle time: handle), its
 * sizes set in code. */
static struct rs_scenario *scenario(double horizon_s, double rate_per_s, int agents,
                                    const char *handle)
{
    char text[256];
    snprintf(text, sizeof text,
             "[scenario]\nhorizon = 1d\n[channel a]\nrate = 1/h\n"
             "[type q]\nhandle = %s\n[staff]\nagents = 1\n",
             handle);
    struct rs_scenario *sc = load_text(text);
    sc->horizon_s = horizon_s;
    sc->drain_s = 0;
    sc->channels[0].rate_per_s = rate_per_s;
    sc->agents = agents;
    return sc;
}

static struct rs_scenario *plain(double horizon_s, double rate_per_s, int agents)
{
    return scenario(horizon_s, rate_per_s, agents, "exponential(mean=0.5s)");
}

START_TEST(estimate_matches_default_run)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_scenario_load(DEFAULT_INI, &sc, &err), RS_OK);
    struct rs_budget b;
    rs_budget_estimate(sc, NULL, &b);

    struct mallinfo2 before = mallinfo2();
    struct rs_world *w = rs_world_create(sc, rs_rng_replication_key(sc->seed, 0));
    ck_assert_int_eq(rs_world_run(w), RS_OK);
    struct mallinfo2 after = mallinfo2(); /* message chunks stay until destroy: the peak */
    double used =
        (double)(after.uordblks + after.hblkhd) - (double)(before.uordblks + before.hblkhd);
    double messages = (double)rs_world_messages(w), events = (double)rs_world_events(w);
    rs_world_destroy(w);

    /* arrivals are Poisson: the expectation is within a few percent */
    ck_assert_msg(fabs(b.messages - messages) < 0.05 * messages, "estimated %g messages, ran %g",
                  b.messages, messages);
    ck_assert_msg(b.events >= events / 3 && b.events <= events * 3, "estimated %g events, ran %g",
                  b.events, events);
    if (used > 0) /* 0 under a sanitizer's allocator */
        ck_assert_msg(b.world_bytes >= used / 4 && b.world_bytes <= used * 4,
                      "estimated %g bytes, used %g", b.world_bytes, used);
    ck_assert(b.intervals == 15 * 24);
    ck_assert_int_eq(rs_budget_check(sc, NULL, &err), RS_OK);
    rs_scenario_destroy(sc);
}
END_TEST

/* Refused with RS_EINPUT, err naming key (or option) and holding text. */
static void refused(const struct rs_scenario *sc, const struct rs_budget_req *req, const char *key,
                    const char *text)
{
    struct rs_error err = {0};
    ck_assert_int_eq(rs_budget_check(sc, req, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, key);
    ck_assert_msg(strstr(err.msg, text) != NULL, "'%s' lacks '%s'", err.msg, text);
}

static void drop_row(void *ctx, int interval, const double *row)
{
    (void)ctx;
    (void)interval;
    (void)row;
}

static void passes(const struct rs_scenario *sc, const struct rs_budget_req *req)
{
    struct rs_error err = {0};
    int rc = rs_budget_check(sc, req, &err);
    ck_assert_msg(rc == RS_OK, "%s: %s", err.key, err.msg);
}

START_TEST(intervals_at_the_boundary)
{
    struct rs_scenario *sc = plain(RS_BUDGET_MAX_INTERVALS, 1.0 / 3600, 1);
    sc->interval_s = 1;
    sc->replications = 1;
    passes(sc, NULL);
    sc->horizon_s += 1;
    refused(sc, NULL, "interval", "at most 1000000 stats intervals");
    /* 4 weeks at 1 ms: more than INT_MAX, counted without overflow */
    sc->horizon_s = 28 * 86400.0;
    sc->interval_s = 0.001;
    refused(sc, NULL, "interval", "got 2419200000");
    ck_assert_int_eq(rs_world_n_intervals(sc), INT_MAX);
    sc->horizon_s = 1e300;
    ck_assert_int_eq(rs_world_n_intervals(sc), INT_MAX);
    refused(sc, NULL, "horizon", "at most 1000 years");
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(agents_and_slots_at_the_boundary)
{
    struct rs_scenario *sc = plain(86400, 1.0 / 3600, RS_BUDGET_MAX_AGENTS);
    passes(sc, NULL);
    sc->agents++;
    refused(sc, NULL, "agents", "at most 100000 agents at once");
    sc->agents = 1000;
    sc->concurrency = 1000;
    passes(sc, NULL);
    sc->concurrency = 1001;
    refused(sc, NULL, "concurrency", "at most 1000000");
    sc->concurrency = INT_MAX;
    refused(sc, NULL, "concurrency", "at most 1000000");
    /* staff --max-agents stands for the scenario's staff */
    sc->concurrency = 1;
    struct rs_budget_req req = {.staff_agents = RS_BUDGET_MAX_AGENTS, .staff_from = "--max-agents"};
    passes(sc, &req);
    req.staff_agents++;
    refused(sc, &req, "--max-agents", "at most 100000 agents");
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(messages_at_the_boundary)
{
    /* 100/s for 10^6 s: exactly the messages limit, answered at once */
    struct rs_scenario *sc = plain(1e6, 100, RS_BUDGET_MAX_AGENTS);
    sc->replications = 1;
    struct rs_budget b;
    rs_budget_estimate(sc, NULL, &b);
    ck_assert(b.messages == RS_BUDGET_MAX_MESSAGES);
    passes(sc, NULL);
    sc->channels[0].rate_per_s = nextafter(100, 200);
    refused(sc, NULL, "rate", "at most 100000000 messages in a replication");
    /* absolute multipliers that multiply the rate are blamed themselves */
    sc->channels[0].rate_per_s = 1e-3;
    double t[2] = {0, 3600}, v[2] = {1, 1e12};
    sc->channels[0].profile = (struct rs_series){.n = 2, .t_s = t, .value = v};
    sc->channels[0].profile_scale = RS_PROFILE_ABSOLUTE;
    refused(sc, NULL, "profile", "messages in a replication");
    /* rescaled to mean 1 (the default), rate is the average: 10^3 messages */
    sc->channels[0].profile_scale = RS_PROFILE_MEAN;
    passes(sc, NULL);
    sc->channels[0].profile = (struct rs_series){0}; /* the arrays are the test's */
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(replications_at_the_boundary)
{
    /* 10^6 messages a replication: 10^4 replications reach the total */
    struct rs_scenario *sc = plain(1e6, 1, 10);
    struct rs_budget_req req = {.replications = 10000, .replications_from = "-r"};
    passes(sc, &req);
    req.replications++;
    refused(sc, &req, "-r", "at most 10000000000 messages over all replications");
    /* runs multiply: blamed on the option that asked for them */
    req = (struct rs_budget_req){
        .replications = 6000, .runs = 2, .runs_kept = 1, .runs_from = "--variant"};
    refused(sc, &req, "--variant", "over all replications and runs");
    req = (struct rs_budget_req){.replications = 101, .trace = 1};
    refused(sc, &req, "--trace", "at most 100000000 rows");
    rs_scenario_destroy(sc);
}
END_TEST

/* Heap bytes a world takes to run sc to its end (0 under a sanitizer's
 * allocator); sink: its interval rows go out as they become final, as a
 * run's do, instead of staying in the world, as a sweep's do. */
static double world_heap(const struct rs_scenario *sc, int sink, int *slots)
{
    struct mallinfo2 before = mallinfo2();
    struct rs_world *w = rs_world_create(sc, rs_rng_replication_key(sc->seed, 0));
    if (sink) rs_world_set_interval_sink(w, drop_row, NULL);
    ck_assert_int_eq(rs_world_run(w), RS_OK);
    struct mallinfo2 after = mallinfo2(); /* the ring and message chunks stay: the peak */
    *slots = rs_world_interval_slots(w);
    rs_world_destroy(w);
    return (double)(after.uordblks + after.hblkhd) - (double)(before.uordblks + before.hblkhd);
}

/* Three years of hourly intervals, answered within minutes: the world
 * holds a few intervals' histograms, not 26,000 of them, and the estimate
 * bounds what it takes, within 3x, both with the rows kept (sweep) and
 * with them handed out (run). */
START_TEST(estimate_bounds_a_long_hourly_run)
{
    struct rs_scenario *sc = scenario(1096 * 86400.0, 30.0 / 3600, 3, "exponential(mean=4m)");
    sc->abandon = RS_ABANDON_LEAVE;
    sc->types[0].patience = rs_dist_exponential(3600);
    struct rs_budget b;
    rs_budget_estimate(sc, NULL, &b);
    double intervals = 1096 * 24, all = intervals * (double)sizeof(struct rs_interval_stats);
    ck_assert(b.intervals == intervals);
    int slots;
    double kept = world_heap(sc, 0, &slots);
    ck_assert_int_le(slots, 8); /* messages stay open minutes: few intervals are live */
    double handed = world_heap(sc, 1, &slots);
    /* the rows kept: 8 bytes a metric of every interval */
    double rows = intervals * rs_stats_n_interval_metrics(sc) * (double)sizeof(double);
    if (kept > 0) { /* 0 under a sanitizer's allocator */
        ck_assert_msg(kept - handed >= rows && kept - handed < rows * 1.1, "rows %g of %g",
                      kept - handed, rows);
        ck_assert_msg(b.world_bytes >= kept && b.world_bytes <= 3 * kept,
                      "estimated %g bytes, used %g", b.world_bytes, kept);
        ck_assert_msg(b.world_bytes <= 3 * handed + rows, "estimated %g bytes, used %g",
                      b.world_bytes, handed);
    }
    ck_assert_msg(b.world_bytes < all / 10, "estimated %g bytes, every interval %g", b.world_bytes,
                  all);
    rs_scenario_destroy(sc);
}
END_TEST

/* Shop hours, 10-minute intervals: a message sent on friday evening waits
 * for monday, so the world holds the 64 closed hours of intervals (384)
 * and more; the estimate spans them, and bounds the world within 3x. */
START_TEST(estimate_spans_the_weekend)
{
    struct rs_scenario *sc = load_text("[scenario]\nhorizon = 4w\ninterval = 10m\n"
                                       "[channel a]\nrate = 2/h\n"
                                       "[type q]\nhandle = exponential(mean=10m)\n"
                                       "[staff]\nagents = 2\n"
                                       "[policy]\nhours = mon-fri 09:00-17:00\n");
    struct rs_budget b;
    rs_budget_estimate(sc, NULL, &b);
    double closed = (64 * 3600.0) / (10 * 60); /* fri 17:00 to mon 09:00 */
    ck_assert_msg(b.live_intervals >= closed, "%g live", b.live_intervals);
    int slots;
    double used = world_heap(sc, 0, &slots);
    ck_assert_msg(slots >= closed, "%d slots", slots);
    if (used > 0)
        ck_assert_msg(b.world_bytes >= used && b.world_bytes <= 3 * used,
                      "estimated %g bytes, used %g", b.world_bytes, used);
    rs_scenario_destroy(sc);
}
END_TEST

/* A century of hourly intervals, 4 replications 4 at a time: every
 * interval held would be 12 GB (refused before the ring); now it fits, its
 * rows on disk. */
START_TEST(century_hourly_fits)
{
    struct rs_scenario *sc = plain(36525 * 86400.0, 1.0 / 3600, 3);
    struct rs_budget_req req = {.replications = 4, .threads = 4};
    double intervals = 36525 * 24;
    ck_assert(4 * intervals * (double)sizeof(struct rs_interval_stats) > RS_BUDGET_MAX_BYTES);
    passes(sc, &req);
    struct rs_budget b;
    rs_budget_estimate(sc, &req, &b);
    ck_assert(b.intervals == intervals);
    double rows = 4 * intervals * rs_stats_n_interval_metrics(sc) * (double)sizeof(double);
    ck_assert_msg(b.disk == rows, "disk %g, rows %g", b.disk, rows);
    ck_assert_msg(b.bytes < 4 * intervals * 200, "estimated %g bytes", b.bytes);
    rs_scenario_destroy(sc);
}
END_TEST

/* A backlog that never clears, at 1-minute intervals: every interval stays
 * live, its histogram with it.  The estimate bounds a short run of it
 * within 3x; 300 days of it keep 432,000 intervals live, 3 GB of figures
 * and more while the ring doubles: one world fits, four at once are
 * refused, the option named. */
START_TEST(memory_limit_blames_the_multiplier)
{
    /* 10 an hour, one agent taking an hour each: 9 of 10 wait for ever */
    struct rs_scenario *sc = scenario(5 * 86400.0, 10.0 / 3600, 1, "exponential(mean=1h)");
    sc->interval_s = 60;
    struct rs_budget b;
    rs_budget_estimate(sc, NULL, &b);
    int slots;
    double used = world_heap(sc, 1, &slots);
    ck_assert_int_ge(slots, 5760); /* 0.8 of the 7,200 intervals: 9 of 10 never answered */
    if (used > 0)
        ck_assert_msg(b.world_bytes >= used && b.world_bytes <= 3 * used,
                      "estimated %g bytes, used %g", b.world_bytes, used);

    sc->horizon_s = 300 * 86400.0;
    sc->replications = 4;
    passes(sc, NULL);
    struct rs_budget_req req = {.threads = 4, .threads_from = "-j"};
    refused(sc, &req, "-j", "fits in 8 GiB of memory");
    rs_budget_estimate(sc, &req, &b);
    ck_assert(b.world_bytes >= 300 * 1440 * (double)sizeof(struct rs_interval_stats));
    ck_assert(b.bytes > RS_BUDGET_MAX_BYTES);
    /* 600 days of it: one world alone is too much, the interval is blamed
     * (every interval's histogram alone would take 3 GB) */
    sc->horizon_s = 600 * 86400.0;
    refused(sc, NULL, "interval", "intervals that open messages keep live");
    rs_scenario_destroy(sc);
}
END_TEST

/* The interval rows beyond 1 MiB go to a temporary file: its size is the
 * replications' rows, 8 bytes a metric and interval, and the limit holds
 * at its boundary. */
START_TEST(disk_limit_blames_the_replications)
{
    struct rs_scenario *sc = plain(100 * 86400.0, 10.0 / 3600, 3);
    sc->interval_s = 60;
    double one = 100 * 1440 * rs_stats_n_interval_metrics(sc) * (double)sizeof(double);
    int most = (int)floor(RS_BUDGET_MAX_DISK_BYTES / one);
    struct rs_budget_req req = {.replications = most, .replications_from = "-r"};
    passes(sc, &req);
    struct rs_budget b;
    rs_budget_estimate(sc, &req, &b);
    ck_assert(b.disk == most * one);
    ck_assert(b.bytes < 64.0 * 1024 * 1024); /* the rows are not in memory */
    req.replications++;
    refused(sc, &req, "-r", "fit in 16 GiB of temporary files (the disk limit)");
    sc->replications = most + 1;
    refused(sc, NULL, "replications", "the disk limit");
    /* compare holds every run's: the variants are blamed */
    req = (struct rs_budget_req){
        .replications = most / 2 + 1, .runs = 2, .runs_kept = 1, .runs_from = "--variant"};
    refused(sc, &req, "--variant", "the disk limit");
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(loader_names_file_and_line)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    int rc = rs_scenario_load_string("[scenario]\nhorizon = 4w\ninterval = 0.001s\n"
                                     "[channel a]\nrate = 1/h\n[type q]\n"
                                     "handle = exponential(mean=4m)\n[staff]\nagents = 1\n",
                                     "shop.ini", &sc, &err);
    ck_assert_int_eq(rc, RS_EINPUT);
    ck_assert_ptr_null(sc);
    ck_assert_str_eq(err.file, "shop.ini");
    ck_assert_int_eq(err.line, 3);
    ck_assert_str_eq(err.key, "interval");
}
END_TEST

START_TEST(open_limit_stops_a_run)
{
    /* far more arrivals than one agent answers: the inbox grows */
    struct rs_scenario *sc = scenario(86400, 1, 1, "exponential(mean=10m)");
    struct rs_world *w = rs_world_create(sc, rs_rng_replication_key(1, 0));
    rs_world_set_open_limit(w, 1000);
    ck_assert_int_eq(rs_world_run(w), RS_EINPUT);
    double t = rs_world_overflow_s(w);
    ck_assert(t > 0 && t < 86400);
    ck_assert_msg(rs_world_messages(w) <= 1010, "%g messages", (double)rs_world_messages(w));
    rs_world_destroy(w);
    /* a run that keeps up never reaches it */
    sc->agents = 1000;
    w = rs_world_create(sc, rs_rng_replication_key(1, 0));
    rs_world_set_open_limit(w, 1000);
    ck_assert_int_eq(rs_world_run(w), RS_OK);
    ck_assert(isnan(rs_world_overflow_s(w)));
    rs_world_destroy(w);
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(limits_table_lists_every_limit)
{
    ck_assert_int_ge(rs_budget_n_limits, 10);
    for (int i = 0; i < rs_budget_n_limits; i++) {
        ck_assert_ptr_nonnull(rs_budget_limits[i].name);
        ck_assert(rs_budget_limits[i].value > 0);
    }
}
END_TEST

Suite *rs_test_budget_suite(void);
Suite *rs_test_budget_suite(void)
{
    Suite *s = suite_create("budget");
    TCase *tc = tcase_create("budget");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, estimate_matches_default_run);
    tcase_add_test(tc, intervals_at_the_boundary);
    tcase_add_test(tc, agents_and_slots_at_the_boundary);
    tcase_add_test(tc, messages_at_the_boundary);
    tcase_add_test(tc, replications_at_the_boundary);
    tcase_add_test(tc, estimate_bounds_a_long_hourly_run);
    tcase_add_test(tc, estimate_spans_the_weekend);
    tcase_add_test(tc, century_hourly_fits);
    tcase_add_test(tc, memory_limit_blames_the_multiplier);
    tcase_add_test(tc, disk_limit_blames_the_replications);
    tcase_add_test(tc, loader_names_file_and_line);
    tcase_add_test(tc, open_limit_stops_a_run);
    tcase_add_test(tc, limits_table_lists_every_limit);
    suite_add_tcase(s, tc);
    return s;
}
