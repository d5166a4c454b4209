/* test_conversations.c: conversations beyond the first reply, affinity and
 * amplification (sim/world.c, sim/stats_conv.c), against theory written
 * out here.
 *
 * Tolerances: 4 standard errors of the quantity's sampling distribution,
 * computed here from the model's own moments (geometric turns, compound
 * sums of handle and think times, Poisson clusters of a branching
 * process); deterministic quantities exactly or to 1e-9.  Seeds are fixed. */
#include "replysim/alloc.h"
#include "replysim/check.h"
#include "replysim/error.h"
#include "replysim/rng.h"
#include "replysim/scenario.h"
#include "stats.h"
#include "replysim/world.h"
#include "util.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct rs_scenario *load(const char *text)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    char msg[1024];
    int rc = rs_scenario_load_string(text, "conversations.ini", &sc, &err);
    rs_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "scenario rejected: %s", msg);
    return sc;
}

static int metric_index(const struct rs_scenario *sc, const char *name)
{
    char buf[64];
    for (int i = 0; i < rs_stats_n_metrics(sc); i++) {
        rs_stats_metric_name(sc, i, buf, sizeof buf);
        if (strcmp(buf, name) == 0) return i;
    }
    return -1;
}

/* Sums of metric values (scope all) over reps replications. */
struct sums {
    double v[8];
};

static void run_reps(const struct rs_scenario *sc, int reps, const char *const *names, int n,
                     struct sums *out)
{
    memset(out, 0, sizeof *out);
    size_t size = (size_t)(rs_stats_n_metrics(sc) * rs_stats_n_scopes(sc));
    double *m = rs_calloc(size, sizeof *m);
    for (int r = 0; r < reps; r++) {
        struct rs_world *w = rs_world_create(sc, rs_rng_replication_key(sc->seed, r));
        ck_assert_int_eq(rs_world_run(w), RS_OK);
        rs_world_metrics(w, m);
        for (int i = 0; i < n; i++) {
            int k = metric_index(sc, names[i]);
            ck_assert_msg(k >= 0, "no metric %s", names[i]);
            out->v[i] += m[(size_t)k * (size_t)rs_stats_n_scopes(sc)];
        }
        rs_world_destroy(w);
    }
    free(m);
}

/* With agents to spare nobody waits: turns are geometric, mean 1/(1-P),
 * and a conversation lasts its turns' handle times plus the thinking in
 * between: E[T] E[H] + (E[T] - 1) E[Th]. */
START_TEST(turns_are_geometric_and_resolution_adds_up)
{
    const double P = 0.4, H = 300, TH = 600, rate_per_h = 6, days = 20;
    const int reps = 4;
    char text[1024];
    snprintf(text, sizeof text,
             "[scenario]\nhorizon = %gd\nwarmup = 0s\ndrain = 3d\nseed = 11\n"
             "[channel chat]\nvisibility = private\nrate = %g/h\nmix = question:1\n"
             "[type question]\nhandle = exponential(mean=%gs)\nreply_back = %g\n"
             "think = exponential(mean=%gs)\n[staff]\nagents = 60\n",
             days, rate_per_h, H, P, TH);
    struct rs_scenario *sc = load(text);
    static const char *const names[] = {"conversations", "turns_mean", "resolution_mean_s",
                                        "resolved_rate", "nrt_mean_s"};
    struct sums s;
    run_reps(sc, reps, names, 5, &s);
    double n = s.v[0]; /* conversations over all replications */
    double et = 1 / (1 - P), vt = P / ((1 - P) * (1 - P));
    double turns = s.v[1] / reps, res = s.v[2] / reps;
    ck_assert_msg(fabs(turns - et) <= 4 * sqrt(vt / n), "turns_mean %g, theory %g", turns, et);
    /* Var R = E[T] Var H + E[T-1] Var Th + Var T (E[H] + E[Th])^2 (exponential: Var = mean^2) */
    double er = et * H + (et - 1) * TH;
    double vr = et * H * H + (et - 1) * TH * TH + vt * (H + TH) * (H + TH);
    ck_assert_msg(fabs(res - er) <= 4 * sqrt(vr / n), "resolution_mean_s %g, theory %g", res, er);
    ck_assert_msg(s.v[3] / reps == 1, "every conversation resolves in the drain");
    /* nobody waits: a next reply takes its handle time, mean H */
    double nrt = s.v[4] / reps, later = n * (et - 1);
    ck_assert_msg(fabs(nrt - H) <= 4 * H / sqrt(later), "nrt_mean_s %g, theory %g", nrt, H);
    rs_scenario_destroy(sc);
}
END_TEST

/* turns_max caps the replies: E[T] = sum_{k<cap} P^k; later turns take
 * next_handle, and are answered within any threshold above it. */
START_TEST(turns_max_caps_and_next_handle_applies)
{
    const double P = 0.9;
    const int cap = 3, reps = 3;
    const char *text = "[scenario]\nhorizon = 10d\nwarmup = 0s\ndrain = 2d\nseed = 5\n"
                       "within = 1h\n"
                       "[channel chat]\nvisibility = private\nrate = 4/h\nmix = question:1\n"
                       "[type question]\nhandle = exponential(mean=5m)\nreply_back = 0.9\n"
                       "turns_max = 3\nthink = const(10m)\nnext_handle = const(2m)\n"
                       "[staff]\nagents = 60\n";
    struct rs_scenario *sc = load(text);
    static const char *const names[] = {"conversations", "turns_mean", "nrt_mean_s", "nrt_p90_s",
                                        "sl_next_1h"};
    struct sums s;
    run_reps(sc, reps, names, 5, &s);
    double et = 1 + P + P * P; /* sum of P^k, k < cap */
    /* T = 1 w.p. 1-P, 2 w.p. P(1-P), ..., cap w.p. P^(cap-1) */
    double m1 = 0, m2 = 0, pk = 1;
    for (int k = 1; k <= cap; k++) {
        double pt = k < cap ? pk * (1 - P) : pk;
        m1 += k * pt;
        m2 += k * k * pt;
        pk *= P;
    }
    ck_assert(fabs(m1 - et) < 1e-12);
    double turns = s.v[1] / reps;
    ck_assert_msg(fabs(turns - et) <= 4 * sqrt((m2 - m1 * m1) / s.v[0]), "turns_mean %g, theory %g",
                  turns, et);
    ck_assert_msg(fabs(s.v[2] / reps - 120) < 1e-9, "nrt_mean_s %g", s.v[2] / reps);
    ck_assert_int_eq((int)(s.v[4] / reps * 1e9), (int)1e9); /* all within 1h */
    rs_scenario_destroy(sc);
}
END_TEST

/* Every metric of the family has a direction for check (a metric without
 * one would count any move as worse). */
START_TEST(every_new_metric_has_a_direction)
{
    struct rs_scenario *sc = load("[scenario]\nhorizon = 1d\n[channel tw]\nrate = 5/h\n"
                                  "mix = complaint:1\namplify = 0.2\n"
                                  "amplify_delay = const(1h)\n[type complaint]\n"
                                  "handle = const(1m)\nreply_back = 0.3\nthink = const(5m)\n"
                                  "[staff]\nagents = 1\n[surge s]\nwhen = queue>=5\n"
                                  "agents = 1\nfor = 1h\n");
    char name[64];
    int n = 0;
    for (int i = metric_index(sc, "conversations"); i < rs_stats_n_metrics(sc); i++, n++) {
        rs_stats_metric_name(sc, i, name, sizeof name);
        ck_assert_msg(rs_check_direction(name) != RS_CHECK_EITHER, "%s has no direction", name);
    }
    ck_assert_int_eq(n, 9 + sc->n_within + 2); /* the family, sl_next_T, amplified, surge */
    rs_scenario_destroy(sc);
}
END_TEST

/* Without reply_back or amplify, no metric of the family is written. */
START_TEST(no_family_without_the_keys)
{
    struct rs_scenario *sc = load("[scenario]\nhorizon = 1d\n[channel tw]\nrate = 5/h\n"
                                  "mix = question:1\n[type question]\nhandle = const(1m)\n"
                                  "[staff]\nagents = 1\n");
    ck_assert_int_lt(metric_index(sc, "conversations"), 0);
    ck_assert_int_lt(metric_index(sc, "amplified"), 0);
    ck_assert_int_eq(metric_index(sc, "onlooker_loss"), rs_stats_n_metrics(sc) - 1);
    rs_scenario_destroy(sc);
}
END_TEST

/* Nobody answers: every complaint lapses and brings Poisson(A) more after
 * patience + delay, so the load is multiplied by 1/(1-A).  Clusters cut by
 * the horizon lose lambda tau A/(1-A)^2 (tau: one generation's mean
 * time); a cluster's size has mean 1/(1-A), variance A/(1-A)^3. */
START_TEST(amplification_multiplies_the_load)
{
    const double A = 0.5, rate_per_h = 20, days = 20, pat_s = 600, delay_s = 1800;
    const int reps = 4;
    char text[1024];
    snprintf(text, sizeof text,
             "[scenario]\nhorizon = %gd\nwarmup = 0s\ndrain = 0s\nseed = 3\n"
             "[channel tw]\nrate = %g/h\nmix = complaint:1\namplify = %g\n"
             "amplify_delay = exponential(mean=%gs)\n"
             "[type complaint]\nhandle = const(1m)\npatience = exponential(mean=%gs)\n"
             "[staff]\nagents = 0\n[policy]\nabandon = leave\n",
             days, rate_per_h, A, delay_s, pat_s);
    struct rs_scenario *sc = load(text);
    static const char *const names[] = {"offered", "amplified"};
    struct sums s;
    run_reps(sc, reps, names, 2, &s);
    double lt = rate_per_h * 24 * days, tau_h = (pat_s + delay_s) / 3600;
    double expect = lt / (1 - A) - rate_per_h * tau_h * A / ((1 - A) * (1 - A));
    double es = 1 / (1 - A), vs = A / pow(1 - A, 3);
    double se = sqrt(lt * (vs + es * es) / reps);
    double offered = s.v[0] / reps, amplified = s.v[1] / reps;
    ck_assert_msg(fabs(offered - expect) <= 4 * se, "offered %g, theory %g (se %g)", offered,
                  expect, se);
    /* the base arrivals are Poisson(lt): offered - amplified */
    ck_assert_msg(fabs(offered - amplified - lt) <= 4 * sqrt(lt / reps), "base %g, theory %g",
                  offered - amplified, lt);
    rs_scenario_destroy(sc);
}
END_TEST

/* "DM us": after the first public reply, a conversation that goes on does
 * so on the private channel with probability move: moved_rate is
 * reply_back x move of the public channel's share of conversations, a
 * binomial share. */
START_TEST(move_takes_conversations_private)
{
    const double P = 0.5, MOVE = 0.6;
    const int reps = 3;
    char text[1024];
    snprintf(text, sizeof text,
             "[scenario]\nhorizon = 10d\nwarmup = 0s\ndrain = 2d\nseed = 9\n"
             "[channel tw]\nrate = 8/h\nmix = q:1\nmove = %g\nmove_to = dm\n"
             "[channel dm]\nvisibility = private\nrate = 1/h\nmix = q:1\n"
             "[type q]\nhandle = exponential(mean=4m)\nreply_back = %g\n"
             "think = exponential(mean=5m)\n[staff]\nagents = 40\n",
             MOVE, P);
    struct rs_scenario *sc = load(text);
    static const char *const names[] = {"conversations", "moved_rate"};
    struct sums s;
    run_reps(sc, reps, names, 2, &s);
    double p = P * MOVE * 8 / 9, got = s.v[1] / reps; /* dm's own 1/h never moves */
    ck_assert_msg(fabs(got - p) <= 4 * sqrt(p * (1 - p) / s.v[0]), "moved_rate %g, theory %g", got,
                  p);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------ affinity, from messages.csv */

/* Per conversation (up to max), the one agent who answered its turns, or
 * -1 when two agents did; returns how many conversations had two. */
static int agents_per_conversation(const char *csv, int *answered_later)
{
    enum { MAX = 200000 };
    int *who = rs_calloc(MAX, sizeof *who), split = 0;
    *answered_later = 0;
    const char *p = strchr(csv, '\n') + 1; /* past the header */
    while (*p) {
        const char *end = strchr(p, '\n');
        char line[1024];
        size_t len = (size_t)(end - p);
        ck_assert(len < sizeof line);
        memcpy(line, p, len);
        line[len] = '\0';
        p = end + 1;
        /* fields: 9 fate, 17 conversation, 18 turn, 19 agent (1-based) */
        char *f[20];
        int n = 0;
        for (char *q = line; n < 20; q++) {
            f[n++] = q;
            q = strchr(q, ',');
            if (!q) break;
            *q = '\0';
        }
        ck_assert_int_eq(n, 19);
        if (strcmp(f[8], "answered") != 0) continue;
        long conv = strtol(f[16], NULL, 10), turn = strtol(f[17], NULL, 10);
        int agent = (int)strtol(f[18], NULL, 10);
        ck_assert(conv > 0 && conv < MAX && agent > 0);
        if (turn > 1) ++*answered_later;
        if (who[conv] == 0)
            who[conv] = agent;
        else if (who[conv] != agent && who[conv] > 0) {
            who[conv] = -1;
            split++;
        }
    }
    free(who);
    return split;
}

/* A busy chat of 3 agents whose authors write back, with affinity aff. */
static void affinity_scenario(char *buf, size_t len, const char *aff)
{
    snprintf(buf, len,
             "[scenario]\nhorizon = 3d\nwarmup = 0s\ndrain = 1d\nreplications = 1\nseed = 8\n"
             "[channel chat]\nvisibility = private\nrate = 20/h\nmix = question:1\n"
             "[type question]\nhandle = exponential(mean=5m)\nreply_back = 0.6\n"
             "think = exponential(mean=3m)\naffinity = %s\n[staff]\nagents = 3\n",
             aff);
}

static void affinity_fixture_setup(void) { rs_test_dir_create("conversations"); }

START_TEST(affinity_forever_keeps_the_agent)
{
    char text[1024];
    affinity_scenario(text, sizeof text, "forever");
    rs_test_write("forever.ini", text);
    ck_assert_int_eq(rs_test_replysim("run forever.ini -q --trace -o f"), 0);
    char *csv = rs_test_slurp("f/messages.csv");
    int later;
    ck_assert_int_eq(agents_per_conversation(csv, &later), 0);
    ck_assert_int_gt(later, 500);
    free(csv);
    /* without affinity the same load spreads later turns over the agents */
    affinity_scenario(text, sizeof text, "0s");
    rs_test_write("none.ini", text);
    ck_assert_int_eq(rs_test_replysim("run none.ini -q --trace -o n"), 0);
    csv = rs_test_slurp("n/messages.csv");
    ck_assert_int_gt(agents_per_conversation(csv, &later), 100);
    free(csv);
}
END_TEST

/* Same seed, same log, whatever the threads. */
START_TEST(conversations_are_deterministic_across_threads)
{
    char text[1024];
    affinity_scenario(text, sizeof text, "10m");
    rs_test_write("a.ini", text);
    ck_assert_int_eq(rs_test_replysim("run a.ini -q -r 3 -j 1 --trace -o one"), 0);
    ck_assert_int_eq(rs_test_replysim("run a.ini -q -r 3 -j 2 --trace -o two"), 0);
    char *a = rs_test_slurp("one/messages.csv"), *b = rs_test_slurp("two/messages.csv");
    ck_assert(strcmp(a, b) == 0);
    free(a);
    free(b);
    a = rs_test_slurp("one/summary.csv");
    b = rs_test_slurp("two/summary.csv");
    ck_assert(strcmp(a, b) == 0);
    ck_assert(strstr(a, "\nturns_mean,all,") != NULL);
    free(a);
    free(b);
}
END_TEST

Suite *rs_test_conversations_suite(void);
Suite *rs_test_conversations_suite(void)
{
    Suite *s = suite_create("conversations");
    TCase *t = tcase_create("theory");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, turns_are_geometric_and_resolution_adds_up);
    tcase_add_test(t, turns_max_caps_and_next_handle_applies);
    tcase_add_test(t, no_family_without_the_keys);
    tcase_add_test(t, every_new_metric_has_a_direction);
    tcase_add_test(t, amplification_multiplies_the_load);
    tcase_add_test(t, move_takes_conversations_private);
    suite_add_tcase(s, t);
    TCase *a = tcase_create("affinity");
    tcase_set_timeout(a, 120);
    tcase_add_checked_fixture(a, affinity_fixture_setup, rs_test_dir_destroy);
    tcase_add_test(a, affinity_forever_keeps_the_agent);
    tcase_add_test(a, conversations_are_deterministic_across_threads);
    suite_add_tcase(s, a);
    return s;
}
