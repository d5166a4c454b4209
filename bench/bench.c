/* bench.c: the benchmark model of docs/scenario-reference.md section 10.
 *
 * M/M/c+M with abandon = leave: 50 agents, 9.5 arrivals a minute,
 * exponential 5-minute handle, exponential 10-minute patience, 10 million
 * arrivals, one replication on one thread, every statistic on.  Prints
 * messages and events per second and peak memory, then the ratio of its
 * time to the minimal hand-written loop's (bench/bareloop.c) on the same
 * model, measured here: BENCH_ROUNDS rounds (5) alternating the two on
 * BENCH_RATIO_ARRIVALS arrivals (2 million), the least time of each, so
 * that a loaded machine slows both alike; and to the same loop with each
 * waiting message's deadline an event in its heap (bench/bareheap.c), as a
 * simulator that knows when each message leaves the queue must.  Then the wall time of 8
 * replications on 1 and on 2 threads.  BENCH_ARRIVALS overrides the size.
 *
 * Then the backlog benchmark (bench/backlog.ini): an understaffed week that
 * leaves over a million messages open, under the score and deadline
 * policies, where choosing the next message is the cost that matters. */
#include "bareloop.h"
#include "replysim/experiment.h"
#include "replysim/alloc.h"
#include "replysim/rng.h"
#include "replysim/scenario.h"
#include "stats.h"
#include "replysim/world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static struct rs_scenario *model(double arrivals)
{
    struct rs_scenario *sc = rs_calloc(1, sizeof *sc);
    rs_scenario_defaults(sc);
    snprintf(sc->name, sizeof sc->name, "bench");
    double rate = 9.5 / 60.0;
    sc->horizon_s = arrivals / rate;
    sc->warmup_s = 0;
    sc->drain_s = 3600;
    sc->n_channels = 1;
    snprintf(sc->channels[0].name, RS_NAME_MAX, "twitter");
    sc->channels[0].rate_per_s = rate;
    sc->channels[0].mix[0] = 1;
    sc->n_types = 1;
    snprintf(sc->types[0].name, RS_NAME_MAX, "message");
    sc->types[0].needs_reply = 1;
    sc->types[0].handle = rs_dist_exponential(300);
    sc->types[0].patience = rs_dist_exponential(600);
    sc->agents = 50;
    sc->abandon = RS_ABANDON_LEAVE;
    return sc;
}

/* One replication of bench/backlog.ini under each heap policy. */
static int backlog(void)
{
    static const char *const orders[] = {"score", "deadline"};
    for (int i = 0; i < 2; i++) {
        char set[64];
        snprintf(set, sizeof set, "policy.order=%s", orders[i]);
        const char *sets[1] = {set};
        struct rs_scenario *sc = NULL;
        struct rs_error err;
        if (rs_scenario_load_with("bench/backlog.ini", sets, 1, &sc, &err)) {
            rs_error_print(&err, stderr);
            return 2;
        }
        double t0 = now_s();
        struct rs_world *w = rs_world_create(sc, rs_rng_replication_key(1, 0));
        rs_world_run(w);
        double dt = now_s() - t0;
        int nm = rs_stats_n_metrics(sc), ns = rs_stats_n_scopes(sc);
        double *v = rs_reallocarray(NULL, (size_t)nm * (size_t)ns, sizeof *v);
        rs_world_metrics(w, v);
        double backlog_end = NAN, queue_max = NAN;
        for (int m = 0; m < nm; m++) {
            char name[64];
            rs_stats_metric_name(sc, m, name, sizeof name);
            if (strcmp(name, "backlog_end") == 0) backlog_end = v[(size_t)m * (size_t)ns];
            if (strcmp(name, "queue_max") == 0) queue_max = v[(size_t)m * (size_t)ns];
        }
        uint64_t msgs = rs_world_messages(w), evs = rs_world_events(w);
        printf("backlog week, order = %s: %llu messages, %llu events in %.3f s: %.0f messages/s, "
               "%.0f events/s; most waiting %.0f, open at the end %.0f\n",
               orders[i], (unsigned long long)msgs, (unsigned long long)evs, dt, (double)msgs / dt,
               (double)evs / dt, queue_max, backlog_end);
        free(v);
        rs_world_destroy(w);
        rs_scenario_destroy(sc);
    }
    return 0;
}

static double env_or(const char *name, double dflt, double least)
{
    const char *env = getenv(name);
    double v = env ? strtod(env, NULL) : dflt;
    return v >= least ? v : dflt;
}

/* replysim's world against the two bare loops, in turn, the least of each. */
static void bare_loop_ratio(void)
{
    double arrivals = env_or("BENCH_RATIO_ARRIVALS", 2e6, 1000);
    int rounds = (int)env_or("BENCH_ROUNDS", 5, 1);
    struct rs_scenario *sc = model(arrivals);
    struct bareloop_model bm = BARELOOP_BENCH_MODEL(arrivals);
    double best_sim = INFINITY, best_bare = INFINITY, best_heap = INFINITY;
    struct bareloop_result br = {0}, bh = {0};
    uint64_t msgs = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_s();
        bareloop_run(&bm, &br);
        double t1 = now_s();
        struct rs_world *w = rs_world_create(sc, rs_rng_replication_key(1, 0));
        rs_world_run(w);
        msgs = rs_world_messages(w);
        rs_world_destroy(w);
        double t2 = now_s();
        bareloop_run_heap(&bm, &bh);
        double t3 = now_s();
        best_bare = fmin(best_bare, t1 - t0);
        best_sim = fmin(best_sim, t2 - t1);
        best_heap = fmin(best_heap, t3 - t2);
    }
    printf("bare loop (bench/bareloop.c), %llu arrivals: %.3f s; replysim, %llu arrivals: %.3f s "
           "(least of %d rounds each, alternated)\n",
           (unsigned long long)br.arrivals, best_bare, (unsigned long long)msgs, best_sim, rounds);
    printf("replysim / bare loop: %.2fx the time\n", best_sim / best_bare);
    /* the same customers: the two loops must answer the same messages */
    printf("deadline-event loop (bench/bareheap.c): %.3f s, %s the bare loop's answers; "
           "replysim / deadline-event loop: %.2fx the time\n",
           best_heap,
           bh.answered == br.answered && bh.wait_sum_s == br.wait_sum_s ? "the same as" : "NOT",
           best_sim / best_heap);
    free(sc);
}

int main(void)
{
    double arrivals = 1e7;
    const char *env = getenv("BENCH_ARRIVALS");
    if (env) arrivals = strtod(env, NULL);
    if (!(arrivals >= 1000)) arrivals = 1e7;

    struct rs_scenario *sc = model(arrivals);
    long rss0 = peak_rss_kib();
    double t0 = now_s();
    struct rs_world *w = rs_world_create(sc, rs_rng_replication_key(1, 0));
    rs_world_run(w);
    double dt = now_s() - t0;
    uint64_t msgs = rs_world_messages(w), evs = rs_world_events(w);
    rs_world_destroy(w);
    printf("benchmark model: M/M/50+M, 9.5/min, handle 5m, patience 10m, abandon = leave\n");
    printf("one replication, one thread: %llu messages, %llu events in %.3f s\n",
           (unsigned long long)msgs, (unsigned long long)evs, dt);
    printf("messages per second: %.0f\n", (double)msgs / dt);
    printf("events per second:   %.0f\n", (double)evs / dt);
    printf("peak memory (RSS):   %.1f MiB (%.1f MiB before the run)\n",
           (double)peak_rss_kib() / 1024.0, (double)rss0 / 1024.0);
    bare_loop_ratio();

    /* Scaling over threads: 8 replications of an eighth of the size. */
    sc->horizon_s /= 8;
    for (int threads = 1; threads <= 2; threads++) {
        struct rs_run_opts o = {.replications = 8, .seed = 1, .threads = threads};
        struct rs_results *res = NULL;
        struct rs_error err;
        t0 = now_s();
        if (rs_experiment_run(sc, &o, &res, &err)) {
            fprintf(stderr, "bench: %s\n", err.msg);
            return 3;
        }
        dt = now_s() - t0;
        struct rs_summary s = {0};
        rs_results_get(res, "abandon_rate", "all", &s);
        printf("8 replications of %.2g arrivals on %d thread%s: %.3f s (abandon_rate %.4f)\n",
               arrivals / 8, threads, threads > 1 ? "s" : "", dt, s.mean);
        rs_results_destroy(res);
    }
    free(sc);
    return backlog();
}
