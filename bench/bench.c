/* bench.c: the benchmark model of SPEC section 10.
 *
 * M/M/c+M with abandon = leave: 50 agents, 9.5 arrivals a minute,
 * exponential 5-minute handle, exponential 10-minute patience, 10 million
 * arrivals, one replication on one thread, every statistic on.  Prints
 * messages and events per second and peak memory, then the wall time of 8
 * replications on 1 and on 2 threads.  BENCH_ARRIVALS overrides the size. */
#include "replysim/experiment.h"
#include "replysim/rng.h"
#include "replysim/scenario.h"
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
    struct rs_scenario *sc = calloc(1, sizeof *sc);
    if (!sc) abort();
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
    printf("peak memory (RSS):   %.1f MiB (%.1f MiB before the run)\n", peak_rss_kib() / 1024.0,
           rss0 / 1024.0);

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
    return 0;
}
