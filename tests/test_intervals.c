/* test_intervals.c: stats intervals in bounded memory: the world's ring of
 * live intervals (sim/ivring.c) and the run's store of interval rows
 * (sim/ivstore.c), in memory and spilled to a temporary file; and the
 * cached t quantile of their summaries (sim/summary.c). */
#include "ivstore.h"
#include "replysim/alloc.h"
#include "replysim/error.h"
#include "replysim/rng.h"
#include "replysim/scenario.h"
#include "replysim/world.h"
#include "stats.h"

#include <check.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static struct rs_scenario *load(const char *text)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(rs_scenario_load_string(text, "test_intervals.ini", &sc, &err), RS_OK);
    return sc;
}

/* The benchmark model with half-hour intervals: a message waits at most
 * until its patience runs out, so an interval is final soon after it ends. */
#define MODEL                                                                                      \
    "[scenario]\nhorizon = %s\ndrain = 2h\ninterval = 30m\nwithin = 5m, 1h\n"                      \
    "[channel twitter]\nrate = 570/h\nmix = message:1\n"                                           \
    "[type message]\nhandle = exponential(mean=5m)\npatience = exponential(mean=10m)\n"            \
    "[staff]\nagents = 50\n[policy]\nabandon = leave\n"

struct sink_rows {
    double *rows;
    int nm, calls;
    unsigned char *seen;
};

static void sink(void *ctx, int i, const double *row)
{
    struct sink_rows *s = ctx;
    ck_assert(!s->seen[i]); /* each interval once */
    s->seen[i] = 1;
    s->calls++;
    memcpy(s->rows + (size_t)i * (size_t)s->nm, row, (size_t)s->nm * sizeof *row);
}

/* Rows handed over as intervals become final are the rows kept to the end,
 * bit for bit; the ring's size does not grow with the horizon. */
START_TEST(ring_rows_and_bound)
{
    const char *horizons[2] = {"5d", "40d"};
    int peak[2];
    for (int h = 0; h < 2; h++) {
        char text[1024];
        snprintf(text, sizeof text, MODEL, horizons[h]);
        struct rs_scenario *sc = load(text);
        int n_iv = rs_world_n_intervals(sc), nm = rs_stats_n_interval_metrics(sc);
        size_t n = (size_t)n_iv * (size_t)nm;
        double *kept = rs_calloc(n, sizeof *kept);
        struct sink_rows s = {rs_calloc(n, sizeof(double)), nm, 0, rs_calloc((size_t)n_iv, 1)};
        struct rs_world *a = rs_world_create(sc, rs_rng_replication_key(3, 0));
        rs_world_run(a);
        rs_world_intervals(a, kept);
        struct rs_world *b = rs_world_create(sc, rs_rng_replication_key(3, 0));
        rs_world_set_interval_sink(b, sink, &s);
        rs_world_run(b);
        ck_assert_int_eq(s.calls, n_iv);
        ck_assert(memcmp(kept, s.rows, n * sizeof *kept) == 0);
        peak[h] = rs_world_interval_slots(b);
        rs_world_destroy(a);
        rs_world_destroy(b);
        free(kept);
        free(s.rows);
        free(s.seen);
        rs_scenario_destroy(sc);
    }
    /* waits end within patience: a handful of half hours live at once,
     * against 244 and 1,924 intervals in all */
    ck_assert_int_le(peak[0], 12);
    ck_assert_int_le(peak[1], 12);
}
END_TEST

#define REPS 5
#define N_IV 3000
#define NM 7

static double value(int rep, int i, int m)
{
    if ((rep + i + m) % 11 == 0) return NAN; /* undefined in that replication */
    return sin(rep * 1000.0 + i * 7.0 + m) * 1e3 + rep;
}

struct writer {
    struct rs_ivstore *s;
    int rep0, step;
};

/* Puts the rows of reps rep0, rep0 + step, ... in a scrambled order of
 * runs of consecutive intervals, as worlds hand them over. */
static void *write_reps(void *ctx)
{
    struct writer *wr = ctx;
    double row[NM];
    for (int rep = wr->rep0; rep < REPS; rep += wr->step) {
        for (int k = 0; k < N_IV; k++) {
            int i = (k * 7 + rep) % N_IV; /* 7 and N_IV coprime: every i once */
            for (int m = 0; m < NM; m++)
                row[m] = value(rep, i, m);
            rs_ivstore_put(wr->s, rep, i, row);
        }
        rs_ivstore_flush(wr->s, rep);
    }
    return NULL;
}

static int same(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

/* In memory and in a file (mem_max 0), from two threads: every value back,
 * and the summaries rs_summary_of gives on the values themselves. */
START_TEST(store_memory_and_file)
{
    for (int spill = 0; spill < 2; spill++) {
        struct rs_ivstore *s = rs_ivstore_create(REPS, N_IV, NM, 0, spill ? 0 : (size_t)1 << 30);
        ck_assert_int_eq(rs_ivstore_spilled(s), spill);
        struct writer w0 = {s, 0, 2}, w1 = {s, 1, 2};
        pthread_t t;
        pthread_create(&t, NULL, write_reps, &w1);
        write_reps(&w0);
        pthread_join(t, NULL);
        ck_assert_int_eq(rs_ivstore_error(s), 0);
        for (int i = 0; i < N_IV; i += 13)
            for (int m = 0; m < NM; m++) {
                double col[REPS];
                for (int rep = 0; rep < REPS; rep++) {
                    col[rep] = value(rep, i, m);
                    ck_assert(same(rs_ivstore_get(s, rep, i, m), col[rep]));
                }
                struct rs_summary a, b;
                rs_ivstore_summary(s, i, m, &a);
                rs_summary_of(col, 1, REPS, &b);
                ck_assert(same(a.mean, b.mean) && same(a.sd, b.sd) && a.n == b.n);
                ck_assert(same(a.ci_low, b.ci_low) && same(a.ci_high, b.ci_high));
            }
        rs_ivstore_destroy(s);
    }
    struct rs_ivstore *none = rs_ivstore_create(REPS, N_IV, NM, 1, 0);
    struct rs_summary z;
    rs_ivstore_summary(none, 5, 2, &z);
    ck_assert(isnan(rs_ivstore_get(none, 1, 5, 2)) && isnan(z.mean) && z.n == 0);
    rs_ivstore_destroy(none);
}
END_TEST

/* The half-width of the t interval, its quantile computed once per n and
 * then taken from the cache, is GSL's every time, from threads too. */
static void *half_widths(void *ctx)
{
    int *bad = ctx;
    for (int round = 0; round < 3; round++)
        for (int n = 2; n < 300; n++) {
            double want = gsl_cdf_tdist_Pinv(0.975, n - 1) * 2.5 / sqrt((double)n);
            *bad += rs_summary_ci_half(2.5, n) != want;
        }
    return NULL;
}

START_TEST(t_quantile_cached)
{
    int bad0 = 0, bad1 = 0;
    pthread_t t;
    pthread_create(&t, NULL, half_widths, &bad1);
    half_widths(&bad0);
    pthread_join(t, NULL);
    ck_assert_int_eq(bad0 + bad1, 0);
    /* beyond the cache */
    ck_assert(rs_summary_ci_half(1, 5000) == gsl_cdf_tdist_Pinv(0.975, 4999) / sqrt(5000.0));
}
END_TEST

Suite *rs_test_intervals_suite(void);
Suite *rs_test_intervals_suite(void)
{
    Suite *s = suite_create("intervals");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, ring_rows_and_bound);
    tcase_add_test(tc, store_memory_and_file);
    tcase_add_test(tc, t_quantile_cached);
    suite_add_tcase(s, tc);
    return s;
}
