/* test_bizhours.c: the business clock (sim/bizhours.c) and the
 * business-hours metrics (sl_bh_T, frt_bh_*), against times and counts
 * worked out by hand from the calendar.
 *
 * The clock is checked on a table of instants whose working time in
 * between is counted on a calendar (weekend, overnight, arrival and reply
 * while closed, a span over sunday midnight, a start that is not monday).
 * The metrics are checked on a run that has no randomness at all: arrivals
 * from a trace, constant handle times, one agent, patience never, so every
 * message's reply time follows from the trace by hand (see world_case). */
#include "bizhours.h"
#include "replysim/alloc.h"
#include "replysim/error.h"
#include "replysim/rng.h"
#include "replysim/scenario.h"
#include "replysim/world.h"
#include "stats.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA_DIR RS_SOURCE_DIR "/tests/data/bizhours"
#define H 3600.0
#define D 86400.0
#define WEEK 604800.0

static struct rs_scenario *load(const char *text)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    char msg[1024];
    memset(&err, 0, sizeof err);
    int rc = rs_scenario_load_string(text, DATA_DIR "/test.ini", &sc, &err);
    rs_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "scenario rejected: %s", msg);
    return sc;
}

static struct rs_scenario *with_hours(const char *start, const char *hours)
{
    char text[1024];
    snprintf(text, sizeof text,
             "[scenario]\nhorizon = 2w\nstart = %s\n[channel c]\nrate = 1/h\n"
             "[type q]\nhandle = const(1m)\n[staff]\nagents = 1\n[policy]\nhours = %s\n",
             start, hours);
    return load(text);
}

/* Working seconds between two instants (seconds from the start), counted on
 * a calendar by hand. */
static const struct {
    const char *start, *hours;
    double a_s, b_s, want_s;
    const char *why;
} clock_cases[] = {
    {"mon 00:00", "mon-fri 09:00-17:00", 10 * H, 11.5 * H, 1.5 * H, "inside one day"},
    {"mon 00:00", "mon-fri 09:00-17:00", 16 * H, D + 10 * H, 2 * H,
     "overnight: mon 16-17, tue 09-10"},
    {"mon 00:00", "mon-fri 09:00-17:00", 4 * D + 16.5 * H, 7 * D + 9.5 * H, 1 * H,
     "weekend: fri 16:30-17:00, mon 09:00-09:30"},
    {"mon 00:00", "mon-fri 09:00-17:00", 5 * D + 12 * H, 7 * D + 9.75 * H, 0.75 * H,
     "arrival while closed (sat): judged from mon 09:00"},
    {"mon 00:00", "mon-fri 09:00-17:00", D + 16 * H, D + 18 * H, 1 * H,
     "reply while closed: tue 16:00-17:00 only"},
    {"mon 00:00", "mon-fri 09:00-17:00", 4 * D + 18 * H, 7 * D + 8 * H, 0,
     "closed throughout: fri 18:00 to mon 08:00"},
    {"mon 00:00", "mon-fri 09:00-17:00", 9 * H, WEEK + 9 * H, 40 * H, "a whole week: 5 x 8 h"},
    {"mon 00:00", "mon-fri 09:00-17:00", 9 * H, 2 * WEEK + 10 * H, 81 * H, "two weeks and an hour"},
    {"mon 00:00", "mon-fri 09:00-17:00, sat 10:00-14:00", 4 * D + 16 * H, 7 * D + 10 * H, 6 * H,
     "fri 16-17, sat 10-14, mon 09-10"},
    {"wed 12:00", "mon-fri 09:00-17:00", 0, 6 * H, 5 * H, "start wed 12:00: 12:00-17:00"},
    {"wed 12:00", "mon-fri 09:00-17:00", 2 * D + 6 * H, 5 * D, 3 * H,
     "start wed 12:00: fri 18:00 to mon 12:00 is mon 09:00-12:00"},
    {"mon 00:00", "sun 22:00-02:00", 0, 3 * H, 2 * H, "over sunday midnight: mon 00:00-02:00"},
    {"mon 00:00", "sun 22:00-02:00", 6 * D + 21 * H, WEEK + 3 * H, 4 * H,
     "sun 22:00 to mon 02:00 in one piece"},
    {"mon 00:00", "mon-fri 22:00-06:00", 20 * H, D + 7 * H, 8 * H, "night shift: mon 22 - tue 06"},
    {"mon 00:00", "always", 5 * H, 5 * D, 5 * D - 5 * H, "always open: elapsed time"},
};

START_TEST(clock_table)
{
    int i = _i;
    struct rs_scenario *sc = with_hours(clock_cases[i].start, clock_cases[i].hours);
    struct rs_bizhours bh;
    int on = rs_bizhours_init(&bh, sc);
    ck_assert_int_eq(on, strcmp(clock_cases[i].hours, "always") != 0);
    double got = rs_bizhours_between_s(&bh, clock_cases[i].a_s, clock_cases[i].b_s);
    ck_assert_msg(got == clock_cases[i].want_s, "case %d (%s): %g s, expected %g s", i,
                  clock_cases[i].why, got, clock_cases[i].want_s);
    rs_scenario_destroy(sc);
}
END_TEST

/* The clock never runs backwards and runs at most as fast as time: on a
 * grid of instants over three weeks, with spans over sunday midnight. */
START_TEST(clock_monotone)
{
    struct rs_scenario *sc = with_hours("thu 07:30", "mon-fri 08:00-18:00, sun 20:00-01:00");
    struct rs_bizhours bh;
    rs_bizhours_init(&bh, sc);
    double prev = rs_bizhours_clock_s(&bh, 0), open = 0;
    for (double t = 60; t <= 3 * WEEK; t += 60) {
        double c = rs_bizhours_clock_s(&bh, t);
        ck_assert_msg(c >= prev && c - prev <= 60, "at %g s: %g after %g", t, c, prev);
        open += c - prev;
        prev = c;
    }
    /* 3 weeks of (5 x 10 h + 5 h) */
    ck_assert_msg(open == 3 * 55 * H, "%g working seconds in 3 weeks, expected %g", open,
                  3 * 55 * H);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The metrics on a run worked out by hand                              */
/* ------------------------------------------------------------------ */

/* One agent, handle 1 h, office hours mon-fri 09:00-17:00, start mon 00:00;
 * the agent takes work only while open and finishes a reply in hand after
 * closing.  The trace (tests/data/bizhours/trace.csv):
 *
 *   msg  arrives      taken        replied      elapsed  business
 *   A    mon 10:00    mon 10:00    mon 11:00    1 h      1 h
 *   B    mon 10:30    mon 11:00    mon 12:00    1.5 h    1.5 h
 *   C    mon 16:30    mon 16:30    mon 17:30    1 h      0.5 h  (reply while closed)
 *   D    mon 20:00    tue 09:00    tue 10:00    14 h     1 h    (arrival while closed)
 *   E    fri 16:45    fri 16:45    fri 17:45    1 h      0.25 h
 *   F    sat 12:00    mon 09:00    mon 10:00    46 h     1 h    (weekend)
 *
 * Business times sorted: 0.25, 0.5, 1, 1, 1, 1.5 h. */
static const char world_text[] = "[scenario]\nhorizon = 1w\ndrain = 2d\nwithin = 30m, 1h, 2h\n"
                                 "[channel c]\ntrace = trace.csv\n"
                                 "[type q]\nhandle = const(1h)\n"
                                 "[staff]\nagents = 1\n"
                                 "[policy]\nhours = mon-fri 09:00-17:00\n";

static int index_of(const struct rs_scenario *sc, int interval_metric, const char *name)
{
    char buf[64];
    int n = interval_metric ? rs_stats_n_interval_metrics(sc) : rs_stats_n_metrics(sc);
    for (int i = 0; i < n; i++) {
        if (interval_metric)
            rs_stats_interval_metric_name(sc, i, buf, sizeof buf);
        else
            rs_stats_metric_name(sc, i, buf, sizeof buf);
        if (strcmp(buf, name) == 0) return i;
    }
    return -1;
}

struct run {
    struct rs_scenario *sc;
    double *m, *iv;
};

static struct run run_world(const char *text)
{
    struct run r;
    r.sc = load(text);
    struct rs_world *w = rs_world_create(r.sc, rs_rng_replication_key(r.sc->seed, 0));
    ck_assert_int_eq(rs_world_run(w), RS_OK);
    r.m = rs_calloc((size_t)(rs_stats_n_metrics(r.sc) * rs_stats_n_scopes(r.sc)), sizeof *r.m);
    rs_world_metrics(w, r.m);
    r.iv = rs_calloc((size_t)(rs_world_n_intervals(r.sc) * rs_stats_n_interval_metrics(r.sc)),
                     sizeof *r.iv);
    rs_world_intervals(w, r.iv);
    rs_world_destroy(w);
    return r;
}

static void run_free(struct run *r)
{
    free(r->m);
    free(r->iv);
    rs_scenario_destroy(r->sc);
}

/* Metric name in scope s. */
static double metric(const struct run *r, const char *name, int s)
{
    int i = index_of(r->sc, 0, name);
    ck_assert_msg(i >= 0, "no metric %s", name);
    return r->m[(size_t)i * (size_t)rs_stats_n_scopes(r->sc) + (size_t)s];
}

static double iv_metric(const struct run *r, int interval, const char *name)
{
    int i = index_of(r->sc, 1, name);
    ck_assert_msg(i >= 0, "no interval metric %s", name);
    return r->iv[(size_t)interval * (size_t)rs_stats_n_interval_metrics(r->sc) + (size_t)i];
}

/* Within the stated relative error of the histogram quantile. */
static void near_rel(double got, double want, double rel, const char *what)
{
    ck_assert_msg(fabs(got - want) <= rel * want, "%s: %g, expected %g within %g relative", what,
                  got, want, rel);
}

static void exact(double got, double want, const char *what)
{
    ck_assert_msg(fabs(got - want) <= 1e-9 * fmax(1, fabs(want)), "%s: %.12g, expected %.12g", what,
                  got, want);
}

START_TEST(world_case)
{
    struct run r = run_world(world_text);
    for (int s = 0; s < rs_stats_n_scopes(r.sc); s++) { /* all, channel c, type q: the same */
        exact(metric(&r, "offered", s), 6, "offered");
        exact(metric(&r, "sl_1h", s), 3.0 / 6, "sl_1h (elapsed: A, C, E)");
        exact(metric(&r, "sl_bh_30m", s), 2.0 / 6, "sl_bh_30m (C, E)");
        exact(metric(&r, "sl_bh_1h", s), 5.0 / 6, "sl_bh_1h (all but B)");
        exact(metric(&r, "sl_bh_2h", s), 1, "sl_bh_2h");
        exact(metric(&r, "frt_bh_mean_s", s), 5.25 * H / 6, "frt_bh_mean_s");
        near_rel(metric(&r, "frt_bh_p50_s", s), 1 * H, 1.0 / 256, "frt_bh_p50_s (3rd of 6)");
        near_rel(metric(&r, "frt_bh_p90_s", s), 1.5 * H, 1.0 / 256, "frt_bh_p90_s (6th of 6)");
        exact(metric(&r, "frt_mean_s", s), (1 + 1.5 + 1 + 14 + 1 + 46) * H / 6, "frt_mean_s");
    }
    /* per interval of arrival: mon 10:00 holds A and B */
    exact(iv_metric(&r, 10, "sl_bh_1h"), 0.5, "mon 10:00 sl_bh_1h");
    exact(iv_metric(&r, 10, "sl_bh_2h"), 1, "mon 10:00 sl_bh_2h");
    exact(iv_metric(&r, 10, "frt_bh_mean_s"), 1.25 * H, "mon 10:00 frt_bh_mean_s");
    near_rel(iv_metric(&r, 10, "frt_bh_p50_s"), 1 * H, 1.0 / 64, "mon 10:00 frt_bh_p50_s");
    near_rel(iv_metric(&r, 10, "frt_bh_p90_s"), 1.5 * H, 1.0 / 64, "mon 10:00 frt_bh_p90_s");
    exact(iv_metric(&r, 16, "sl_bh_30m"), 1, "mon 16:00 sl_bh_30m (C)");
    exact(iv_metric(&r, 16, "sl_30m"), 0, "mon 16:00 sl_30m (C, elapsed 1 h)");
    exact(iv_metric(&r, 20, "frt_bh_mean_s"), 1 * H, "mon 20:00 frt_bh_mean_s (D)");
    exact(iv_metric(&r, 20, "sl_bh_1h"), 1, "mon 20:00 sl_bh_1h (D)");
    exact(iv_metric(&r, 20, "sl_1h"), 0, "mon 20:00 sl_1h (D, elapsed 14 h)");
    exact(iv_metric(&r, 4 * 24 + 16, "frt_bh_mean_s"), 0.25 * H, "fri 16:00 (E)");
    exact(iv_metric(&r, 5 * 24 + 12, "frt_bh_mean_s"), 1 * H, "sat 12:00 (F)");
    exact(iv_metric(&r, 5 * 24 + 12, "frt_mean_s"), 46 * H, "sat 12:00 (F) elapsed");
    /* an interval without arrivals has no response times */
    ck_assert(isnan(iv_metric(&r, 3, "sl_bh_1h")) && isnan(iv_metric(&r, 3, "frt_bh_p50_s")));
    run_free(&r);
}
END_TEST

/* Without [policy] hours there are no business-hours metrics (outputs stay
 * as they were), and the other metrics keep their names and places. */
START_TEST(off_without_hours)
{
    static const char text[] = "[scenario]\nhorizon = 1d\nwithin = 30m, 1h\n"
                               "[channel c]\nrate = 1/h\n[type q]\nhandle = const(1m)\n"
                               "[staff]\nagents = 1\n";
    struct rs_scenario *sc = load(text);
    ck_assert_int_eq(index_of(sc, 0, "sl_bh_1h"), -1);
    ck_assert_int_eq(index_of(sc, 0, "frt_bh_mean_s"), -1);
    ck_assert_int_eq(index_of(sc, 1, "sl_bh_1h"), -1);
    ck_assert_int_eq(index_of(sc, 1, "frt_bh_p90_s"), -1);
    int m_off = rs_stats_n_metrics(sc), i_off = rs_stats_n_interval_metrics(sc);
    int followups = index_of(sc, 0, "followups"), queue = index_of(sc, 1, "queue_mean");
    rs_scenario_destroy(sc);
    /* with hours: 2 thresholds + 3 more, in scope and interval metrics */
    char with[512];
    snprintf(with, sizeof with, "%s[policy]\nhours = mon-fri 09:00-17:00\n", text);
    sc = load(with);
    ck_assert_int_eq(rs_stats_n_metrics(sc), m_off + 5);
    ck_assert_int_eq(rs_stats_n_interval_metrics(sc), i_off + 5);
    ck_assert_int_eq(index_of(sc, 0, "followups"), followups + 5);
    ck_assert_int_eq(index_of(sc, 0, "sl_bh_30m"), index_of(sc, 0, "sl_1h") + 1);
    ck_assert_int_eq(index_of(sc, 0, "frt_bh_p90_s"), index_of(sc, 0, "sl_bh_1h") + 3);
    ck_assert_int_eq(index_of(sc, 1, "queue_mean"), queue + 5);
    ck_assert_int_eq(index_of(sc, 1, "sl_bh_1h"), index_of(sc, 1, "sl_1h") + 2);
    ck_assert_int_eq(index_of(sc, 1, "frt_bh_mean_s"), index_of(sc, 1, "frt_p90_s") + 1);
    rs_scenario_destroy(sc);
}
END_TEST

Suite *rs_test_bizhours_suite(void);
Suite *rs_test_bizhours_suite(void)
{
    Suite *s = suite_create("bizhours");
    TCase *tc = tcase_create("bizhours");
    tcase_add_loop_test(tc, clock_table, 0, (int)(sizeof clock_cases / sizeof clock_cases[0]));
    tcase_add_test(tc, clock_monotone);
    tcase_add_test(tc, world_case);
    tcase_add_test(tc, off_without_hours);
    suite_add_tcase(s, tc);
    return s;
}
