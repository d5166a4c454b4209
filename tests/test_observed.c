/* test_observed.c: a log's metrics (observed.h): a tiny log against values
 * worked out by hand, and a simulated world's messages, seen as a log,
 * against the world's own summary and interval metrics. */
#include "replysim/observed.h"
#include "replysim/logread.h"
#include "replysim/experiment.h"
#include "replysim/rng.h"
#include "replysim/scenario.h"
#include "replysim/world.h"
#include "stats.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N_MAX (RS_OBS_FIXED + RS_MAX_WITHIN)

/* One row of the tiny log; NAN: empty cell. */
struct row {
    double arrive, take, reply, abandon;
    int needs_reply;
};

/* Worked by hand in the comments of values_by_hand below. */
static const struct row tiny[] = {
    {0, 60, 300, NAN, 1},       /* iv 0: answered after 5m, waited 1m */
    {600, NAN, NAN, 1200, 1},   /* iv 0: abandoned */
    {1800, 1900, 5400, NAN, 1}, /* iv 0: answered after 1h, waited 100 s */
    {3000, NAN, NAN, NAN, 0},   /* iv 0: needs no reply: arrived only */
    {3700, 3700, NAN, NAN, 1},  /* iv 1: taken at once, open at the end */
    {4000, NAN, 4100, 3900, 1}, /* iv 1: withdrew before the reply: abandoned */
    {7300, NAN, 7200, NAN, 1},  /* iv 2: a reply logged before it: frt 0 */
    {-10, NAN, 20, NAN, 1},     /* before t = 0: the whole log only, frt 30 */
    {NAN, NAN, NAN, NAN, 1},    /* no arrival: not counted */
};

static struct rs_observed *tiny_observed(void)
{
    struct rs_observed_cfg cfg = {
        .interval_s = 3600, .n_intervals = 3, .n_within = 2, .within_s = {900, 3600}};
    struct rs_observed *o = rs_observed_create(&cfg);
    for (size_t i = 0; i < sizeof tiny / sizeof tiny[0]; i++) {
        struct rs_log_msg m = {.arrive_s = tiny[i].arrive,
                               .take_s = tiny[i].take,
                               .reply_s = tiny[i].reply,
                               .abandon_s = tiny[i].abandon,
                               .handle_s = NAN,
                               .channel = "",
                               .type = "",
                               .agent = "",
                               .conversation = ""};
        rs_observed_add(o, &m, tiny[i].needs_reply);
    }
    return o;
}

static void near(double got, double want, double rel)
{
    ck_assert_msg(fabs(got - want) <= rel * fabs(want) + 1e-12, "got %.17g, want %.17g", got, want);
}

START_TEST(names_as_summary)
{
    struct rs_observed *o = tiny_observed();
    static const char *const want[] = {
        "offered",    "needing_reply", "response_rate", "abandon_rate", "wait_mean_s",
        "frt_mean_s", "frt_p50_s",     "frt_p90_s",     "sl_15m",       "sl_1h"};
    ck_assert_int_eq(rs_observed_n_metrics(o), 10);
    for (int m = 0; m < 10; m++) {
        char buf[48];
        rs_observed_metric_name(o, m, buf, sizeof buf);
        ck_assert_str_eq(buf, want[m]);
        ck_assert_int_eq(rs_observed_find_metric(o, want[m]), m);
    }
    ck_assert_int_eq(rs_observed_find_metric(o, "sl_2h"), -1);
    rs_observed_destroy(o);
}
END_TEST

START_TEST(values_by_hand)
{
    struct rs_observed *o = tiny_observed();
    double v[N_MAX];
    uint64_t n[N_MAX];
    ck_assert_uint_eq(rs_observed_messages(o), 8);
    ck_assert_uint_eq(rs_observed_outside(o), 1);

    /* Whole: 8 arrived, 7 need a reply; answered rows 1, 3, 7, 8 (frt 300,
     * 3600, 0, 30); abandoned rows 2 and 6; taken rows 1, 3, 5 (waits 60,
     * 100, 0); within 15m: 300, 0, 30. */
    rs_observed_whole(o, v, n);
    near(v[RS_OBS_OFFERED], 8, 0);
    near(v[RS_OBS_NEEDING], 7, 0);
    near(v[RS_OBS_RESPONSE], 4.0 / 7, 1e-15);
    near(v[RS_OBS_ABANDON], 2.0 / 7, 1e-15);
    near(v[RS_OBS_WAIT_MEAN], 160.0 / 3, 1e-15);
    near(v[RS_OBS_FRT_MEAN], 3930.0 / 4, 1e-15);
    near(v[RS_OBS_FRT_P50], 30, 1.0 / 256); /* the 2nd of 4: F(x) >= 0.5 */
    near(v[RS_OBS_FRT_P90], 3600, 1.0 / 256);
    near(v[RS_OBS_FIXED], 3.0 / 7, 1e-15);
    near(v[RS_OBS_FIXED + 1], 4.0 / 7, 1e-15);
    ck_assert_uint_eq(n[RS_OBS_RESPONSE], 7);
    ck_assert_uint_eq(n[RS_OBS_WAIT_MEAN], 3);
    ck_assert_uint_eq(n[RS_OBS_FRT_P90], 4);
    ck_assert_uint_eq(n[RS_OBS_OFFERED], 8);

    /* Interval 0 (rows 1-4): 4 arrived, 3 need a reply, 2 answered (300,
     * 3600), 1 abandoned, waits 60 and 100. */
    rs_observed_interval(o, 0, v, n);
    near(v[RS_OBS_OFFERED], 4, 0);
    near(v[RS_OBS_RESPONSE], 2.0 / 3, 1e-15);
    near(v[RS_OBS_ABANDON], 1.0 / 3, 1e-15);
    near(v[RS_OBS_WAIT_MEAN], 80, 1e-15);
    near(v[RS_OBS_FRT_MEAN], 1950, 1e-15);
    near(v[RS_OBS_FRT_P50], 300, 1.0 / 64);
    near(v[RS_OBS_FRT_P90], 3600, 1.0 / 64);
    near(v[RS_OBS_FIXED], 1.0 / 3, 1e-15);
    near(v[RS_OBS_FIXED + 1], 2.0 / 3, 1e-15);

    /* Interval 1 (rows 5, 6): none answered, one abandoned, one waited 0. */
    rs_observed_interval(o, 1, v, n);
    near(v[RS_OBS_OFFERED], 2, 0);
    near(v[RS_OBS_RESPONSE], 0, 0);
    near(v[RS_OBS_ABANDON], 0.5, 0);
    near(v[RS_OBS_WAIT_MEAN], 0, 0);
    ck_assert(isnan(v[RS_OBS_FRT_MEAN]) && isnan(v[RS_OBS_FRT_P90]));
    near(v[RS_OBS_FIXED + 1], 0, 0);

    /* Interval 2 (row 7): answered at once; nobody taken: no wait. */
    rs_observed_interval(o, 2, v, n);
    near(v[RS_OBS_RESPONSE], 1, 0);
    near(v[RS_OBS_FRT_MEAN], 0, 0);
    ck_assert(v[RS_OBS_FRT_P90] >= 0 && v[RS_OBS_FRT_P90] < 1); /* the bucket below 1 s */
    ck_assert(isnan(v[RS_OBS_WAIT_MEAN]));
    ck_assert_uint_eq(n[RS_OBS_WAIT_MEAN], 0);
    rs_observed_destroy(o);
}
END_TEST

/* The same rules through the log reader, on the events sample with plain
 * seconds (tests/data/logs/events_seconds.csv), worked by hand:
 *   0: taken at 5, replied at 125     (wait 5, frt 125)
 *  40: withdrew at 400                 (abandoned)
 * 100: taken at 125, replied at 425   (wait 25, frt 325)
 * 3600: taken at 3601, replied at 3661 (wait 1, frt 61), the next hour */
START_TEST(a_log_file_by_hand)
{
    struct rs_log_opts lo = {0};
    struct rs_log *lg = NULL;
    struct rs_error err;
    ck_assert_msg(
        rs_log_open(RS_SOURCE_DIR "/tests/data/logs/events_seconds.csv", &lo, &lg, &err) == RS_OK,
        "%s", err.msg);
    struct rs_observed_cfg cfg = {
        .interval_s = 3600, .n_intervals = 2, .n_within = 1, .within_s = {120}};
    struct rs_observed *o = rs_observed_create(&cfg);
    struct rs_log_msg m;
    int rc;
    while ((rc = rs_log_next(lg, &m, &err)) == 1)
        rs_observed_add(o, &m, 1);
    ck_assert_int_eq(rc, 0);
    rs_log_close(lg);
    double v[N_MAX];
    rs_observed_whole(o, v, NULL);
    near(v[RS_OBS_OFFERED], 4, 0);
    near(v[RS_OBS_RESPONSE], 0.75, 0);
    near(v[RS_OBS_ABANDON], 0.25, 0);
    near(v[RS_OBS_WAIT_MEAN], 31.0 / 3, 1e-15);
    near(v[RS_OBS_FRT_MEAN], 511.0 / 3, 1e-15);
    near(v[RS_OBS_FIXED], 0.25, 0); /* within 2m: only the 61 s */
    rs_observed_interval(o, 0, v, NULL);
    near(v[RS_OBS_OFFERED], 3, 0);
    near(v[RS_OBS_RESPONSE], 2.0 / 3, 1e-15);
    near(v[RS_OBS_WAIT_MEAN], 15, 1e-15);
    near(v[RS_OBS_FRT_MEAN], 225, 1e-15);
    near(v[RS_OBS_FIXED], 0, 0);
    rs_observed_interval(o, 1, v, NULL);
    near(v[RS_OBS_FRT_MEAN], 61, 1e-15);
    near(v[RS_OBS_FIXED], 1, 0);
    rs_observed_destroy(o);
}
END_TEST

/* ------------------------------------------------ a world seen as a log */

static const char *const world_text =
    "[scenario]\nname = ob\nhorizon = 2d\ndrain = 2h\nseed = 3\nwithin = 15m, 1h, 4h\n"
    "[channel tw]\nrate = 25/h\nmix = complaint:0.5, question:0.4, praise:0.1\n"
    "[type complaint]\nhandle = exponential(mean=6m)\npatience = exponential(mean=1h)\n"
    "[type question]\nhandle = gamma(mean=4m, sd=2m)\npatience = exponential(mean=3h)\n"
    "[type praise]\nreply = no\n"
    "[staff]\nagents = 2\n[policy]\nabandon = leave\n";

struct seen {
    const struct rs_scenario *sc;
    struct rs_observed *o;
};

static void see(void *ctx, const struct rs_msg_record *r)
{
    struct seen *s = ctx;
    struct rs_log_msg m;
    rs_observed_from_record(s->sc, r, &m);
    rs_observed_add(s->o, &m, s->sc->types[r->type].needs_reply);
}

/* The value of summary metric name in scope all from a world's metrics. */
static double metric_of(const struct rs_scenario *sc, const double *all, const char *name)
{
    char buf[48];
    for (int m = 0; m < rs_stats_n_metrics(sc); m++) {
        rs_stats_metric_name(sc, m, buf, sizeof buf);
        if (!strcmp(buf, name)) return all[(size_t)m * (size_t)rs_stats_n_scopes(sc)];
    }
    ck_abort_msg("no metric %s", name);
    return NAN;
}

START_TEST(a_world_seen_as_a_log_agrees)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    ck_assert_msg(rs_scenario_load_string(world_text, "ob", &sc, &err) == RS_OK, "%s", err.msg);
    long n_iv = rs_world_n_intervals(sc);
    struct rs_observed_cfg cfg = {.interval_s = sc->interval_s, .n_intervals = n_iv};
    cfg.n_within = sc->n_within;
    memcpy(cfg.within_s, sc->within_s, sizeof cfg.within_s);
    struct seen s = {sc, rs_observed_create(&cfg)};
    struct rs_world *w = rs_world_create(sc, rs_rng_replication_key(sc->seed, 0));
    rs_world_set_log(w, see, &s);
    ck_assert_int_eq(rs_world_run(w), RS_OK);
    size_t nm = (size_t)rs_stats_n_metrics(sc), ns = (size_t)rs_stats_n_scopes(sc);
    double *all = calloc(nm * ns, sizeof *all);
    rs_world_metrics(w, all);

    /* Whole run: the same counts, hence the same figures (bar the order of
     * additions in the sums). */
    double v[N_MAX];
    rs_observed_whole(s.o, v, NULL);
    static const char *const same[] = {
        "offered",   "needing_reply", "response_rate", "abandon_rate", "wait_mean_s", "frt_mean_s",
        "frt_p50_s", "frt_p90_s",     "sl_15m",        "sl_1h",        "sl_4h"};
    for (int k = 0; k < 11; k++) {
        int m = rs_observed_find_metric(s.o, same[k]);
        ck_assert_int_ge(m, 0);
        double want = metric_of(sc, all, same[k]);
        ck_assert_msg(fabs(v[m] - want) <= 1e-9 * fabs(want), "%s: %.17g vs %.17g", same[k], v[m],
                      want);
    }
    ck_assert(v[RS_OBS_ABANDON] > 0.02); /* the case is not empty */

    /* Per interval: arrivals, sl_T, frt_mean_s and frt_p90_s as intervals.csv. */
    int nim = rs_stats_n_interval_metrics(sc);
    double *iv = calloc((size_t)n_iv * (size_t)nim, sizeof *iv);
    rs_world_intervals(w, iv);
    for (long i = 0; i < n_iv; i++) {
        const double *x = &iv[i * nim];
        rs_observed_interval(s.o, i, v, NULL);
        ck_assert_double_eq(v[RS_OBS_OFFERED], x[0]);
        for (int t = 0; t < sc->n_within; t++)
            ck_assert(isnan(x[3 + t]) ? isnan(v[RS_OBS_FIXED + t])
                                      : fabs(v[RS_OBS_FIXED + t] - x[3 + t]) < 1e-12);
        int k = 3 + sc->n_within;
        ck_assert(isnan(x[k]) ? isnan(v[RS_OBS_FRT_MEAN])
                              : fabs(v[RS_OBS_FRT_MEAN] - x[k]) <= 1e-9 * x[k]);
        ck_assert(isnan(x[k + 1]) ? isnan(v[RS_OBS_FRT_P90]) : v[RS_OBS_FRT_P90] == x[k + 1]);
    }
    free(iv);
    free(all);
    rs_world_destroy(w);
    rs_observed_destroy(s.o);
    rs_scenario_destroy(sc);
}
END_TEST

Suite *rs_test_observed_suite(void);
Suite *rs_test_observed_suite(void)
{
    Suite *s = suite_create("observed");
    TCase *tc = tcase_create("observed");
    tcase_add_test(tc, names_as_summary);
    tcase_add_test(tc, values_by_hand);
    tcase_add_test(tc, a_log_file_by_hand);
    tcase_add_test(tc, a_world_seen_as_a_log_agrees);
    suite_add_tcase(s, tc);
    return s;
}
