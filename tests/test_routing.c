/* test_routing.c: skills by type, speed, the specialist first, overflow
 * and concurrency slowdown (sim/world.c), against Erlang C written out
 * here and against exact schedules read from messages.csv.
 *
 * Statistical checks: the mean over replications within 4 standard errors
 * of the replications' spread (a one-day warm-up keeps the empty start's
 * bias far below that).  Seeds are fixed. */
#include "replysim/scenario.h"
#include "util.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void setup(void) { rs_test_dir_create("routing"); }

/* Erlang C: P(wait) in M/M/c at offered load a (Erlangs), from the
 * Erlang B recursion B(k) = a B(k-1) / (k + a B(k-1)). */
static double erlang_c(int c, double a)
{
    double b = 1;
    for (int k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b / (1 - (a / c) * (1 - b));
}

/* mean, sd and n over replications of metric,scope from a summary.csv
 * (the interval and sd are empty with one replication: sd is then 0). */
static void summary_of(const char *file, const char *metric, const char *scope, double *mean,
                       double *sd, int *n)
{
    char *csv = rs_test_slurp(file), key[128];
    snprintf(key, sizeof key, "\n%s,%s,", metric, scope);
    char *p = strstr(csv, key);
    ck_assert_msg(p != NULL, "%s %s missing", metric, scope);
    p += strlen(key);
    *strchr(p, '\n') = '\0';
    char *f[5];
    int k = 0;
    for (char *q = p; k < 5;) {
        f[k++] = q;
        q = strchr(q, ',');
        if (!q) break;
        *q++ = '\0';
    }
    ck_assert_int_eq(k, 5);
    *mean = strtod(f[0], NULL);
    *sd = *f[3] ? strtod(f[3], NULL) : 0;
    *n = (int)strtol(f[4], NULL, 10);
    free(csv);
}

/* Two pools with disjoint types and no overflow are two M/M/c queues; a
 * pool with speed F answers as one with handle times F times shorter. */
START_TEST(disjoint_pools_are_erlang_c_queues)
{
    rs_test_write("two.ini", "[scenario]\nhorizon = 4w\nwarmup = 1d\nreplications = 8\nseed = 4\n"
                             "[channel chat]\nvisibility = private\nrate = 36/h\n"
                             "mix = a:0.5555555555555556, b:0.4444444444444444\n"
                             "[type a]\nhandle = exponential(mean=6m)\n"
                             "[type b]\nhandle = exponential(mean=12m)\n"
                             "[shift A]\ndays = mon\nstart = 00:00\nlength = 7d\nagents = 3\n"
                             "types = a\n"
                             "[shift B]\ndays = mon\nstart = 00:00\nlength = 7d\nagents = 4\n"
                             "types = b\nspeed = 2\n");
    ck_assert_int_eq(rs_test_replysim("run two.ini -q -o out"), 0);
    /* a: 20/h x 6m = 2 Erlangs on 3 agents; b: 16/h x 12m / 2 = 1.6 Erlangs on 4 */
    const struct {
        const char *type;
        int c;
        double a, mu_per_h, lambda_per_h;
    } q[2] = {{"type:a", 3, 2.0, 10, 20}, {"type:b", 4, 1.6, 10, 16}};
    for (int i = 0; i < 2; i++) {
        double m, sd, pw = erlang_c(q[i].c, q[i].a);
        int n;
        summary_of("out/summary.csv", "waited_rate", q[i].type, &m, &sd, &n);
        ck_assert_msg(fabs(m - pw) <= 4 * sd / sqrt(n), "%s waited_rate %g, Erlang C %g", q[i].type,
                      m, pw);
        double wq_s = 3600 * pw / (q[i].c * q[i].mu_per_h - q[i].lambda_per_h);
        summary_of("out/summary.csv", "wait_mean_s", q[i].type, &m, &sd, &n);
        ck_assert_msg(fabs(m - wq_s) <= 4 * sd / sqrt(n), "%s wait_mean_s %g, Erlang C %g",
                      q[i].type, m, wq_s);
    }
}
END_TEST

/* Fields 5 (type), 13 (take_s), 11 (arrive_s), 14 (end_s), 19 (agent) of
 * the answered rows of a messages.csv, by callback. */
typedef void (*row_fn)(void *ctx, const char *type, double arrive_s, double take_s, double end_s,
                       int agent);

static void each_answered(const char *file, row_fn fn, void *ctx)
{
    char *csv = rs_test_slurp(file);
    char *p = strchr(csv, '\n') + 1;
    while (*p) {
        char *end = strchr(p, '\n');
        *end = '\0';
        char *f[20];
        int n = 0;
        for (char *q = p; n < 20;) {
            f[n++] = q;
            q = strchr(q, ',');
            if (!q) break;
            *q++ = '\0';
        }
        ck_assert_int_eq(n, 19);
        if (strcmp(f[8], "answered") == 0)
            fn(ctx, f[4], strtod(f[10], NULL), strtod(f[12], NULL), strtod(f[13], NULL),
               (int)strtol(f[18], NULL, 10));
        p = end + 1;
    }
    free(csv);
}

struct tally {
    int a_by_s, a_by_g, a_total; /* a answered by the specialist, the generalist */
    int over, over_early;        /* a taken by pool B; of them, before overflow */
    double overflow_s;
    int first_b; /* agent ids of pool B start here */
};

static void count_specialist(void *ctx, const char *type, double arrive_s, double take_s,
                             double end_s, int agent)
{
    struct tally *t = ctx;
    (void)arrive_s, (void)take_s, (void)end_s;
    if (strcmp(type, "a") != 0) return;
    t->a_total++;
    if (agent >= t->first_b)
        t->a_by_s++;
    else
        t->a_by_g++;
}

/* When several pools could take a message, the one with fewest types does. */
START_TEST(the_specialist_goes_first)
{
    /* G is written first: the order of sections alone would send a to G */
    rs_test_write("sp.ini", "[scenario]\nhorizon = 3d\nreplications = 1\nseed = 2\n"
                            "[channel chat]\nvisibility = private\nrate = 20/h\n"
                            "mix = a:0.5, b:0.5\n"
                            "[type a]\nhandle = exponential(mean=5m)\n"
                            "[type b]\nhandle = exponential(mean=5m)\n"
                            "[shift G]\ndays = mon\nstart = 00:00\nlength = 7d\nagents = 15\n"
                            "[shift S]\ndays = mon\nstart = 00:00\nlength = 7d\nagents = 15\n"
                            "types = a\n");
    ck_assert_int_eq(rs_test_replysim("run sp.ini -q --trace -o out"), 0);
    struct tally t = {.first_b = 16}; /* G: agents 1..15, S: 16..30 */
    each_answered("out/messages.csv", count_specialist, &t);
    ck_assert_int_gt(t.a_total, 500);
    /* S (16..) has 15 agents for 10/h x 5m: one is always free */
    ck_assert_int_eq(t.a_by_g, 0);
    ck_assert_int_eq(t.a_by_s, t.a_total);
}
END_TEST

static void count_overflow(void *ctx, const char *type, double arrive_s, double take_s,
                           double end_s, int agent)
{
    struct tally *t = ctx;
    (void)end_s;
    if (strcmp(type, "a") != 0 || agent < t->first_b) return;
    t->over++;
    if (take_s - arrive_s < t->overflow_s - 1e-9) t->over_early++;
}

/* One busy agent for type a, three for b, with overflow after. */
static void overflow_scenario(char *buf, size_t len, const char *after)
{
    snprintf(buf, len,
             "[scenario]\nhorizon = 5d\nreplications = 1\nseed = 6\n"
             "[channel chat]\nvisibility = private\nrate = 14/h\nmix = a:0.5, b:0.5\n"
             "[type a]\nhandle = exponential(mean=10m)\n"
             "[type b]\nhandle = exponential(mean=5m)\n"
             "[shift A]\ndays = mon\nstart = 00:00\nlength = 7d\nagents = 1\ntypes = a\n"
             "[shift B]\ndays = mon\nstart = 00:00\nlength = 7d\nagents = 3\ntypes = b\n"
             "[policy]\noverflow = %s\n",
             after);
}

/* A message of a type the pool lacks is taken only once it has waited
 * overflow; without overflow, never. */
START_TEST(overflow_after_the_wait_only)
{
    char buf[1024];
    overflow_scenario(buf, sizeof buf, "20m");
    rs_test_write("o.ini", buf);
    ck_assert_int_eq(rs_test_replysim("run o.ini -q --trace -o out"), 0);
    struct tally t = {.first_b = 2, .overflow_s = 1200};
    each_answered("out/messages.csv", count_overflow, &t);
    ck_assert_int_gt(t.over, 50);
    ck_assert_int_eq(t.over_early, 0);
    overflow_scenario(buf, sizeof buf, "0s");
    rs_test_write("n.ini", buf);
    ck_assert_int_eq(rs_test_replysim("run n.ini -q --trace -o none"), 0);
    struct tally u = {.first_b = 2, .overflow_s = 0};
    each_answered("none/messages.csv", count_overflow, &u);
    ck_assert_int_eq(u.over, 0);
}
END_TEST

struct ends {
    double end_s[8];
    int n;
};

static void collect_ends(void *ctx, const char *type, double arrive_s, double take_s, double end_s,
                         int agent)
{
    struct ends *e = ctx;
    (void)type, (void)arrive_s, (void)take_s, (void)agent;
    if (e->n < 8) e->end_s[e->n++] = end_s;
}

/* With two chats in hand, the second takes slowdown x its handle time. */
START_TEST(concurrency_slowdown_stretches_the_second_chat)
{
    rs_test_write("t.csv", "time\n0s\n1m\n");
    rs_test_write("c.ini", "[scenario]\nhorizon = 1h\ndrain = 1h\nreplications = 1\n"
                           "[channel chat]\nvisibility = private\ntrace = t.csv\nmix = q:1\n"
                           "[type q]\nhandle = const(10m)\n"
                           "[staff]\nagents = 1\nconcurrency = 2\nconcurrency_slowdown = 1.5\n");
    ck_assert_int_eq(rs_test_replysim("run c.ini -q --trace -o out"), 0);
    struct ends e = {0};
    each_answered("out/messages.csv", collect_ends, &e);
    ck_assert_int_eq(e.n, 2);
    double lo = fmin(e.end_s[0], e.end_s[1]), hi = fmax(e.end_s[0], e.end_s[1]);
    ck_assert_msg(fabs(lo - 600) < 1e-9, "first reply at %g", lo);
    ck_assert_msg(fabs(hi - (60 + 1.5 * 600)) < 1e-9, "second reply at %g", hi);
}
END_TEST

/* A surge comes on when the queue reaches N and stays its time: five
 * messages at 0..4 s, no agents but two that surge at 4 s for an hour:
 * replies at 604, 604, 1204, 1204 and 1804 s, and 2 agent-hours. */
static void surge_scenario(char *buf, size_t len, int n)
{
    snprintf(buf, len,
             "[scenario]\nhorizon = 2h\ndrain = 1h\nwarmup = 0s\nreplications = 1\n"
             "[channel chat]\nvisibility = private\ntrace = t.csv\nmix = q:1\n"
             "[type q]\nhandle = const(10m)\n[staff]\nagents = 0\n"
             "[surge crisis]\nwhen = queue>=%d\nafter = 0s\nagents = 2\nfor = 1h\n",
             n);
}

START_TEST(a_surge_comes_on_and_stays_its_time)
{
    char buf[1024];
    rs_test_write("t.csv", "time\n0s\n1s\n2s\n3s\n4s\n");
    surge_scenario(buf, sizeof buf, 5);
    rs_test_write("s.ini", buf);
    ck_assert_int_eq(rs_test_replysim("run s.ini -q --trace -o out"), 0);
    struct ends e = {0};
    each_answered("out/messages.csv", collect_ends, &e);
    ck_assert_int_eq(e.n, 5); /* in the order of their replies */
    static const double want[5] = {604, 604, 1204, 1204, 1804};
    for (int i = 0; i < 5; i++)
        ck_assert_msg(fabs(e.end_s[i] - want[i]) < 1e-9, "reply %d at %g", i, e.end_s[i]);
    double m, sd;
    int n;
    summary_of("out/summary.csv", "surge_agent_hours", "all", &m, &sd, &n);
    ck_assert_msg(fabs(m - 2) < 1e-12, "surge_agent_hours %g", m);
    summary_of("out/summary.csv", "response_rate", "all", &m, &sd, &n);
    ck_assert_msg(fabs(m - 1) < 1e-12, "response_rate %g", m);
    /* a queue that never reaches 6: no surge, nobody answers */
    surge_scenario(buf, sizeof buf, 6);
    rs_test_write("n.ini", buf);
    ck_assert_int_eq(rs_test_replysim("run n.ini -q -o none"), 0);
    summary_of("none/summary.csv", "surge_agent_hours", "all", &m, &sd, &n);
    ck_assert(m == 0);
    summary_of("none/summary.csv", "response_rate", "all", &m, &sd, &n);
    ck_assert(m == 0);
}
END_TEST

Suite *rs_test_routing_suite(void);
Suite *rs_test_routing_suite(void)
{
    Suite *s = suite_create("routing");
    TCase *t = tcase_create("routing");
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, rs_test_dir_destroy);
    tcase_add_test(t, disjoint_pools_are_erlang_c_queues);
    tcase_add_test(t, the_specialist_goes_first);
    tcase_add_test(t, overflow_after_the_wait_only);
    tcase_add_test(t, concurrency_slowdown_stretches_the_second_chat);
    tcase_add_test(t, a_surge_comes_on_and_stays_its_time);
    suite_add_tcase(s, t);
    return s;
}
