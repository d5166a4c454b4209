/* test_calendar.c: the event calendar, the random streams and the
 * histogram, the pieces every run rests on. */
#include "calendar.h"
#include "histogram.h"
#include "replysim/alloc.h"
#include "replysim/rng.h"

#include <check.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#define N_EV 5000

/* Events come out by time, ties in push order, across pushes and removes. */
START_TEST(calendar_orders_and_removes)
{
    struct rs_calendar *c = rs_calendar_create();
    static struct rs_event ev[N_EV];
    gsl_rng *r = rs_rng_create(42);
    for (int i = 0; i < N_EV; i++) {
        ev[i].pos = 0;
        ev[i].kind = i;
        /* few distinct times, so ties are common */
        rs_calendar_push(c, &ev[i], (double)gsl_rng_uniform_int(r, 50));
    }
    int removed = 0;
    for (int i = 0; i < N_EV; i += 7) {
        ck_assert(rs_event_scheduled(&ev[i]));
        rs_calendar_remove(c, &ev[i]);
        ck_assert(!rs_event_scheduled(&ev[i]));
        removed++;
    }
    ck_assert_uint_eq(rs_calendar_size(c), (size_t)(N_EV - removed));
    double last_t = -1;
    int last_kind = -1, n = 0;
    struct rs_event *e;
    while ((e = rs_calendar_pop(c))) {
        ck_assert(e->kind % 7 != 0);
        ck_assert(e->t_s >= last_t);
        if (e->t_s == last_t) ck_assert_int_gt(e->kind, last_kind); /* FIFO tie-break */
        last_t = e->t_s;
        last_kind = e->kind;
        n++;
    }
    ck_assert_int_eq(n, N_EV - removed);
    ck_assert_ptr_null(rs_calendar_pop(c));
    rs_rng_destroy(r);
    rs_calendar_destroy(c);
}
END_TEST

/* Interleaved pushes and pops against a sorted reference. */
START_TEST(calendar_interleaved)
{
    struct rs_calendar *c = rs_calendar_create();
    static struct rs_event ev[N_EV];
    gsl_rng *r = rs_rng_create(7);
    double now = 0;
    int pushed = 0;
    for (int i = 0; i < 64; i++) {
        ev[pushed].pos = 0;
        rs_calendar_push(c, &ev[pushed], gsl_rng_uniform(r) * 10);
        pushed++;
    }
    while (rs_calendar_size(c) > 0) {
        struct rs_event *e = rs_calendar_pop(c);
        ck_assert(e->t_s >= now);
        now = e->t_s;
        if (pushed < N_EV) {
            ev[pushed].pos = 0;
            rs_calendar_push(c, &ev[pushed], now + gsl_rng_uniform(r) * 10);
            pushed++;
        }
    }
    ck_assert_int_eq(pushed, N_EV);
    rs_rng_destroy(r);
    rs_calendar_destroy(c);
}
END_TEST

/* Same key, same stream; other keys, other streams; uniform mean right. */
START_TEST(rng_streams)
{
    uint64_t k0 = rs_rng_source_key(rs_rng_replication_key(1, 0), "arrivals:twitter");
    uint64_t k1 = rs_rng_source_key(rs_rng_replication_key(1, 1), "arrivals:twitter");
    uint64_t k2 = rs_rng_source_key(rs_rng_replication_key(1, 0), "arrivals:messenger");
    uint64_t k3 = rs_rng_source_key(rs_rng_replication_key(2, 0), "arrivals:twitter");
    ck_assert(k0 != k1 && k0 != k2 && k0 != k3 && k1 != k3);
    gsl_rng *a = rs_rng_create(k0), *b = rs_rng_create(k0), *c = rs_rng_create(k1);
    int same = 0;
    double sum = 0;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double x = gsl_rng_uniform(a);
        ck_assert(x >= 0 && x < 1);
        ck_assert(x == gsl_rng_uniform(b));
        same += x == gsl_rng_uniform(c);
        sum += x;
    }
    ck_assert_int_eq(same, 0);
    /* mean of U(0,1): sd 1/sqrt(12); 4.5 standard errors */
    ck_assert(fabs(sum / n - 0.5) < 4.5 / sqrt(12.0 * n));
    ck_assert_str_eq(gsl_rng_name(a), "xoshiro256++");
    rs_rng_destroy(a), rs_rng_destroy(b), rs_rng_destroy(c);
}
END_TEST

static int cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Quantiles within the stated relative error of the exact order statistic. */
START_TEST(histogram_quantiles)
{
    static struct rs_hist h;
    rs_hist_clear(&h);
    enum { N = 100001 };
    double *v = rs_malloc(N * sizeof *v);
    gsl_rng *r = rs_rng_create(99);
    for (int i = 0; i < N; i++) {
        v[i] = i % 10 == 0 ? 0.0 : gsl_ran_lognormal(r, 3, 2);
        rs_hist_add(&h, v[i]);
    }
    qsort(v, N, sizeof *v, cmp);
    const double ps[] = {0.05, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double exact = v[(size_t)ceil(ps[i] * N) - 1];
        double q = rs_hist_quantile(&h, ps[i]);
        if (exact == 0)
            ck_assert(q == 0);
        else
            ck_assert_msg(fabs(q - exact) <= RS_HIST_REL_ERROR * exact, "p=%g: %g vs %g", ps[i], q,
                          exact);
    }
    /* count below a point: exact up to the one bucket the point falls in */
    double t = v[N / 2];
    double below = rs_hist_count_below(&h, t);
    ck_assert(fabs(below - (double)(N / 2 + 1)) <= (double)N * 0.01);
    ck_assert(isnan(rs_hist_quantile(&(struct rs_hist){0}, 0.5)));
    rs_rng_destroy(r);
    free(v);
}
END_TEST

/* The one-pass counts equal the point-by-point ones bit for bit, whatever
 * the order of the points (ascending, falling back, negative, NaN, past
 * the last bucket). */
START_TEST(histogram_counts_in_one_pass)
{
    static struct rs_hist h;
    rs_hist_clear(&h);
    gsl_rng *r = rs_rng_create(7);
    for (int i = 0; i < 5000; i++)
        rs_hist_add(&h, i % 7 == 0 ? 0.0 : gsl_ran_lognormal(r, 4, 2.5));
    enum { N = 200 };
    double t[N], got[N];
    for (int k = 0; k < N; k++)
        t[k] = 10.0 * pow(10.0, k / 20.0); /* the latency grid, to 1e11 s */
    t[50] = 3.0;                           /* falls back */
    t[51] = -1.0;                          /* negative */
    t[52] = NAN;
    t[53] = 0.0;
    rs_hist_counts_below(&h, t, N, got);
    for (int k = 0; k < N; k++) {
        double want = rs_hist_count_below(&h, t[k]);
        ck_assert_msg(memcmp(&want, &got[k], sizeof want) == 0, "t=%g: %.17g vs %.17g", t[k],
                      got[k], want);
    }
    rs_hist_clear(&h); /* empty: all zero */
    rs_hist_counts_below(&h, t, N, got);
    for (int k = 0; k < N; k++)
        ck_assert(got[k] == 0);
    rs_rng_destroy(r);
}
END_TEST

/* A random mix of pushes, pops and removes (removes often straight after a
 * pop, while the calendar holds its popped root empty for the next push),
 * against a reference that scans every scheduled event for the least
 * (time, push order).  Variants: coarse times (ties are common: the
 * comparisons by sequence) or fine ones (ties are rare: the branch-free
 * least of four children), and none or all of the lanes taken by events
 * that are pushed and popped among the heap's (lanes and heap ordered
 * together, ties across them by push order too). */
#define N_MIX 400
static const struct {
    int fine_times, lanes;
} mix_variants[] = {{0, 0}, {1, 0}, {0, RS_CALENDAR_LANES}, {1, RS_CALENDAR_LANES}};

START_TEST(calendar_matches_a_scan)
{
    struct rs_calendar *c = rs_calendar_create();
    static struct rs_event ev[N_MIX];
    static uint64_t order[N_MIX]; /* push order, kept by the test */
    uint64_t pushes = 0;
    gsl_rng *r = rs_rng_create(99 + (unsigned long)_i);
    for (int i = 0; i < N_MIX; i++)
        ev[i] = (struct rs_event){0};
    for (int l = 0; l < mix_variants[_i].lanes; l++)
        ck_assert_int_eq(rs_calendar_lane(c, &ev[l]), 1);
    ck_assert_int_eq(rs_calendar_lane(c, &ev[N_MIX - 1]), mix_variants[_i].lanes == 0);
    double now = 0;
    for (int step = 0; step < 200000; step++) {
        double u = gsl_rng_uniform(r);
        int i = (int)gsl_rng_uniform_int(r, N_MIX);
        if (u < 0.45 && !rs_event_scheduled(&ev[i])) {
            double dt = mix_variants[_i].fine_times ? 20 * gsl_rng_uniform(r)
                                                    : (double)gsl_rng_uniform_int(r, 20);
            rs_calendar_push(c, &ev[i], now + dt);
            order[i] = pushes++;
        } else if (u < 0.6 && rs_event_scheduled(&ev[i])) {
            rs_calendar_remove(c, &ev[i]);
        } else if (u >= 0.6) {
            int best = -1;
            size_t n = 0;
            for (int k = 0; k < N_MIX; k++) {
                if (!rs_event_scheduled(&ev[k])) continue;
                n++;
                if (best < 0 || ev[k].t_s < ev[best].t_s ||
                    (ev[k].t_s == ev[best].t_s && order[k] < order[best]))
                    best = k;
            }
            ck_assert_uint_eq(rs_calendar_size(c), n);
            struct rs_event *e = rs_calendar_pop(c);
            if (best < 0) {
                ck_assert_ptr_null(e);
                continue;
            }
            ck_assert_ptr_eq(e, &ev[best]);
            ck_assert(!rs_event_scheduled(e));
            now = e->t_s;
        }
    }
    rs_rng_destroy(r);
    rs_calendar_destroy(c);
}
END_TEST

/* -0 is a time like 0 (keys are the times' bits): it comes out before a
 * later time and after an earlier push at 0. */
START_TEST(calendar_negative_zero)
{
    struct rs_calendar *c = rs_calendar_create();
    struct rs_event a = {0}, b = {0}, z = {0};
    rs_calendar_push(c, &b, 1.0);
    rs_calendar_push(c, &a, 0.0);
    rs_calendar_push(c, &z, -0.0);
    ck_assert_ptr_eq(rs_calendar_pop(c), &a);
    ck_assert_ptr_eq(rs_calendar_pop(c), &z);
    ck_assert_ptr_eq(rs_calendar_pop(c), &b);
    ck_assert_ptr_null(rs_calendar_pop(c));
    rs_calendar_destroy(c);
}
END_TEST

/* The inline uniform is GSL's, number for number, for replysim's streams
 * and for GSL's own generators. */
START_TEST(rng_inline_uniform_is_gsl)
{
    gsl_rng *a = rs_rng_create(2024), *b = rs_rng_create(2024);
    for (int i = 0; i < 100000; i++)
        ck_assert(rs_rng_uniform(a) == gsl_rng_uniform(b));
    rs_rng_destroy(a);
    rs_rng_destroy(b);
    gsl_rng *m = gsl_rng_alloc(gsl_rng_mt19937), *n = gsl_rng_alloc(gsl_rng_mt19937);
    for (int i = 0; i < 1000; i++)
        ck_assert(rs_rng_uniform(m) == gsl_rng_uniform(n));
    gsl_rng_free(m);
    gsl_rng_free(n);
}
END_TEST

Suite *rs_test_calendar_suite(void);
Suite *rs_test_calendar_suite(void)
{
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, calendar_orders_and_removes);
    tcase_add_test(tc, calendar_interleaved);
    tcase_add_loop_test(tc, calendar_matches_a_scan, 0,
                        (int)(sizeof mix_variants / sizeof mix_variants[0]));
    tcase_add_test(tc, calendar_negative_zero);
    tcase_add_test(tc, rng_inline_uniform_is_gsl);
    tcase_add_test(tc, rng_streams);
    tcase_add_test(tc, histogram_quantiles);
    tcase_add_test(tc, histogram_counts_in_one_pass);
    suite_add_tcase(s, tc);
    return s;
}
