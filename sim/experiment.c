/* experiment.c: replications over threads, and summaries across them.
 *
 * Threads take replication indices from a shared counter and write each
 * replication's metric vector into its own row, so the results do not
 * depend on which thread ran what. */
#include "replysim/experiment.h"

#include "replysim/report.h"
#include "replysim/rng.h"
#include "stats.h"
#include "replysim/world.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NAME_LEN 96

struct rs_results {
    int reps, n_metrics, n_scopes;
    uint64_t seed;
    char (*metric_names)[NAME_LEN];
    char (*scope_names)[NAME_LEN];
    double *values; /* [rep][metric][scope] */
    int n_lat, n_lat_scopes;
    double *lat_t;   /* latency points, seconds */
    double *lat;     /* [rep][scope][point] */
    int n_iv, n_iv_metrics;
    double interval_s;
    char (*iv_names)[NAME_LEN];
    double *iv;      /* [rep][interval][metric] */
    FILE **trace;    /* [rep] with opts->trace, else NULL */
    int trace_failed; /* a trace file could not be written */
};

/* 20 points a decade from 10 s to the end of the run. */
static int latency_grid(const struct rs_scenario *sc, double *t)
{
    double end = sc->horizon_s + sc->drain_s;
    int n = 0;
    for (int k = 0;; k++) {
        double x = 10.0 * pow(10.0, k / 20.0);
        if (x > end * (1 + 1e-12)) break;
        if (t) t[n] = x;
        n++;
    }
    return n;
}

struct job {
    const struct rs_scenario *sc;
    const struct rs_run_opts *opts;
    struct rs_results *res;
    atomic_int next;
    atomic_int done;
    pthread_mutex_t progress_lock;
    double *frac;      /* per replication: share of its simulated time done */
    double shown_s;    /* monotonic time of the last progress line */
};

static double clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The progress line: replications done and the share of all the simulated
 * time done, at most 5 times a second (called with progress_lock held). */
static void show(struct job *j, int done, int force)
{
    double now = clock_s();
    if (!force && now - j->shown_s < 0.2) return;
    j->shown_s = now;
    double sum = 0;
    for (int i = 0; i < j->opts->replications; i++) sum += j->frac[i];
    fprintf(stderr, "\rreplysim: %d/%d replications, %3.0f%%", done, j->opts->replications,
            100 * sum / j->opts->replications);
    if (done == j->opts->replications) fputc('\n', stderr);
    fflush(stderr);
}

struct rep_progress {
    struct job *j;
    int rep;
};

/* The world's callback inside a replication, so that a long one shows too. */
static void rep_progress(void *ctx, double fraction)
{
    struct rep_progress *rp = ctx;
    pthread_mutex_lock(&rp->j->progress_lock);
    rp->j->frac[rp->rep] = fraction;
    show(rp->j, atomic_load(&rp->j->done), 0);
    pthread_mutex_unlock(&rp->j->progress_lock);
}

static void progress(struct job *j, int rep)
{
    int done = atomic_fetch_add(&j->done, 1) + 1;
    if (!j->opts->progress) return;
    pthread_mutex_lock(&j->progress_lock);
    j->frac[rep] = 1;
    show(j, done, done == j->opts->replications);
    pthread_mutex_unlock(&j->progress_lock);
}

struct trace_ctx {
    FILE *f;
    const struct rs_scenario *sc;
    int rep;
};

static void trace_row(void *ctx, const struct rs_msg_record *m)
{
    struct trace_ctx *t = ctx;
    FILE *f = t->f;
    fprintf(f, "%d,%llu,%llu,", t->rep + 1, (unsigned long long)m->id + 1,
            (unsigned long long)m->thread + 1);
    rs_report_field(f, t->sc->channels[m->channel].name);
    fputc(',', f);
    rs_report_field(f, t->sc->types[m->type].name);
    fprintf(f, ",%d,%d,%d,%s,%d,", m->followup, m->switched, m->counted, rs_fate_name(m->fate),
            m->lapsed);
    double v[6] = {m->arrive_s, isfinite(m->deadline_s) ? m->deadline_s : NAN, m->take_s,
                   m->end_s,
                   m->fate == RS_FATE_ANSWERED || m->fate == RS_FATE_THREAD ||
                           m->fate == RS_FATE_BOT
                       ? m->end_s - m->arrive_s
                       : NAN,
                   m->followers};
    for (int i = 0; i < 6; i++) {
        if (i) fputc(',', f);
        rs_report_number(f, v[i]);
    }
    fputc('\n', f);
}

const char *rs_results_trace_header(void)
{
    return "replication,id,thread,channel,type,followup,switched,counted,fate,lapsed,arrive_s,"
           "deadline_s,take_s,end_s,frt_s,followers";
}

int rs_results_traced(const struct rs_results *r) { return r->trace != NULL; }

FILE *rs_results_trace(const struct rs_results *r, int rep)
{
    if (!r->trace || !r->trace[rep]) return NULL;
    rewind(r->trace[rep]);
    return r->trace[rep];
}

static void *worker(void *arg)
{
    struct job *j = arg;
    struct rs_results *r = j->res;
    size_t row = (size_t)r->n_metrics * (size_t)r->n_scopes;
    for (;;) {
        int rep = atomic_fetch_add(&j->next, 1);
        if (rep >= r->reps) break;
        struct rs_world *w = rs_world_create(j->sc, rs_rng_replication_key(r->seed, rep));
        struct trace_ctx tc = {NULL, j->sc, rep};
        if (r->trace) {
            tc.f = r->trace[rep] = tmpfile();
            if (tc.f)
                rs_world_set_log(w, trace_row, &tc);
            else
                r->trace_failed = 1;
        }
        struct rep_progress rp = {j, rep};
        if (j->opts->progress) rs_world_set_progress(w, rep_progress, &rp);
        rs_world_run(w);
        if (tc.f && (fflush(tc.f) != 0 || ferror(tc.f))) r->trace_failed = 1;
        rs_world_metrics(w, r->values + (size_t)rep * row);
        rs_world_latency(w, r->lat_t, r->n_lat,
                         r->lat + (size_t)rep * (size_t)(r->n_lat * r->n_lat_scopes));
        rs_world_intervals(w, r->iv + (size_t)rep * (size_t)r->n_iv * (size_t)r->n_iv_metrics);
        rs_world_destroy(w);
        progress(j, rep);
    }
    return NULL;
}

int rs_experiment_run(const struct rs_scenario *sc, const struct rs_run_opts *opts,
                      struct rs_results **out, struct rs_error *err)
{
    if (opts->replications < 1)
        return rs_error_input(err, NULL, 0, "replications", "expected a whole number >= 1");
    if (opts->threads < 1)
        return rs_error_input(err, NULL, 0, "threads", "expected a whole number >= 1");
    int rc = rs_scenario_check(sc, err);
    if (rc) return rc;

    struct rs_results *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->reps = opts->replications;
    r->seed = opts->seed;
    r->n_metrics = rs_stats_n_metrics(sc);
    r->n_scopes = rs_stats_n_scopes(sc);
    r->metric_names = calloc((size_t)r->n_metrics, sizeof *r->metric_names);
    r->scope_names = calloc((size_t)r->n_scopes, sizeof *r->scope_names);
    r->values = calloc((size_t)r->reps * (size_t)r->n_metrics * (size_t)r->n_scopes,
                       sizeof *r->values);
    r->n_lat = latency_grid(sc, NULL);
    r->n_lat_scopes = 1 + sc->n_channels;
    r->lat_t = calloc((size_t)r->n_lat + 1, sizeof *r->lat_t);
    r->lat = calloc((size_t)r->reps * (size_t)r->n_lat * (size_t)r->n_lat_scopes + 1,
                    sizeof *r->lat);
    if (!r->metric_names || !r->scope_names || !r->values || !r->lat_t || !r->lat) abort();
    latency_grid(sc, r->lat_t);
    r->n_iv = rs_world_n_intervals(sc);
    r->n_iv_metrics = rs_stats_n_interval_metrics(sc);
    r->interval_s = sc->interval_s;
    r->iv_names = calloc((size_t)r->n_iv_metrics, sizeof *r->iv_names);
    r->iv = calloc((size_t)r->reps * (size_t)r->n_iv * (size_t)r->n_iv_metrics, sizeof *r->iv);
    if (!r->iv_names || !r->iv) abort();
    for (int m = 0; m < r->n_iv_metrics; m++)
        rs_stats_interval_metric_name(sc, m, r->iv_names[m], NAME_LEN);
    for (int m = 0; m < r->n_metrics; m++)
        rs_stats_metric_name(sc, m, r->metric_names[m], NAME_LEN);
    for (int s = 0; s < r->n_scopes; s++) rs_stats_scope_name(sc, s, r->scope_names[s], NAME_LEN);

    if (opts->trace) {
        r->trace = calloc((size_t)r->reps, sizeof *r->trace);
        if (!r->trace) abort();
    }
    struct job j = {.sc = sc, .opts = opts, .res = r};
    atomic_init(&j.next, 0);
    atomic_init(&j.done, 0);
    pthread_mutex_init(&j.progress_lock, NULL);
    j.frac = calloc((size_t)r->reps, sizeof *j.frac);
    if (!j.frac) abort();
    int n_threads = opts->threads < r->reps ? opts->threads : r->reps;
    if (n_threads <= 1) {
        worker(&j);
    } else {
        pthread_t *tids = calloc((size_t)n_threads, sizeof *tids);
        if (!tids) abort();
        int started = 0;
        for (; started < n_threads; started++)
            if (pthread_create(&tids[started], NULL, worker, &j) != 0) break;
        if (started == 0) worker(&j); /* no thread could start: run here */
        for (int i = 0; i < started; i++) pthread_join(tids[i], NULL);
        free(tids);
    }
    pthread_mutex_destroy(&j.progress_lock);
    free(j.frac);
    if (r->trace_failed) {
        rs_results_destroy(r);
        return rs_error_io(err, "messages.csv", "cannot write the message trace to a temporary file");
    }
    *out = r;
    return RS_OK;
}

void rs_results_destroy(struct rs_results *r)
{
    if (!r) return;
    free(r->metric_names);
    free(r->scope_names);
    free(r->values);
    free(r->lat_t);
    free(r->lat);
    for (int i = 0; r->trace && i < r->reps; i++)
        if (r->trace[i]) fclose(r->trace[i]);
    free(r->trace);
    free(r->iv_names);
    free(r->iv);
    free(r);
}

int rs_results_replications(const struct rs_results *r) { return r->reps; }
uint64_t rs_results_seed(const struct rs_results *r) { return r->seed; }
int rs_results_n_metrics(const struct rs_results *r) { return r->n_metrics; }
int rs_results_n_scopes(const struct rs_results *r) { return r->n_scopes; }
const char *rs_results_metric_name(const struct rs_results *r, int m) { return r->metric_names[m]; }
const char *rs_results_scope_name(const struct rs_results *r, int s) { return r->scope_names[s]; }

int rs_results_find_metric(const struct rs_results *r, const char *name)
{
    for (int m = 0; m < r->n_metrics; m++)
        if (strcmp(r->metric_names[m], name) == 0) return m;
    return -1;
}

int rs_results_find_scope(const struct rs_results *r, const char *name)
{
    for (int s = 0; s < r->n_scopes; s++)
        if (strcmp(r->scope_names[s], name) == 0) return s;
    return -1;
}

double rs_results_value(const struct rs_results *r, int metric, int scope, int rep)
{
    size_t row = (size_t)r->n_metrics * (size_t)r->n_scopes;
    return r->values[(size_t)rep * row + (size_t)metric * (size_t)r->n_scopes + (size_t)scope];
}

/* Half-width of the 95% Student t confidence interval of a mean of n >= 2
 * values with standard deviation sd. */
static double ci_half(double sd, int n)
{
    return gsl_cdf_tdist_Pinv(0.975, n - 1) * sd / sqrt((double)n);
}

/* Summary of reps values spaced stride apart, skipping NaNs. */
static void summarize(const double *x, size_t stride, int reps, struct rs_summary *out)
{
    double *v = malloc((size_t)reps * sizeof *v + 1);
    if (!v) abort();
    int n = 0;
    for (int rep = 0; rep < reps; rep++) {
        double xi = x[(size_t)rep * stride];
        if (!isnan(xi)) v[n++] = xi;
    }
    out->n = n;
    out->mean = n ? gsl_stats_mean(v, 1, (size_t)n) : NAN;
    out->sd = out->ci_low = out->ci_high = NAN;
    if (n >= 2) {
        out->sd = gsl_stats_sd_m(v, 1, (size_t)n, out->mean);
        double half = ci_half(out->sd, n);
        out->ci_low = out->mean - half;
        out->ci_high = out->mean + half;
    }
    free(v);
}

void rs_results_summary(const struct rs_results *r, int metric, int scope, struct rs_summary *out)
{
    size_t row = (size_t)r->n_metrics * (size_t)r->n_scopes;
    summarize(r->values + (size_t)metric * (size_t)r->n_scopes + (size_t)scope, row, r->reps, out);
}

int rs_results_n_latency_points(const struct rs_results *r) { return r->n_lat; }
double rs_results_latency_t(const struct rs_results *r, int point) { return r->lat_t[point]; }

void rs_results_latency_summary(const struct rs_results *r, int scope, int point,
                                struct rs_summary *out)
{
    summarize(r->lat + (size_t)scope * (size_t)r->n_lat + (size_t)point,
              (size_t)r->n_lat * (size_t)r->n_lat_scopes, r->reps, out);
}

int rs_results_get(const struct rs_results *r, const char *metric, const char *scope,
                   struct rs_summary *out)
{
    int m = rs_results_find_metric(r, metric), s = rs_results_find_scope(r, scope);
    if (m < 0 || s < 0)
        return rs_error_input(NULL, NULL, 0, NULL, "no metric %s in scope %s", metric, scope);
    rs_results_summary(r, m, s, out);
    return RS_OK;
}

int rs_results_n_intervals(const struct rs_results *r) { return r->n_iv; }
double rs_results_interval_s(const struct rs_results *r) { return r->interval_s; }
int rs_results_n_interval_metrics(const struct rs_results *r) { return r->n_iv_metrics; }
const char *rs_results_interval_metric_name(const struct rs_results *r, int metric)
{
    return r->iv_names[metric];
}

int rs_results_find_interval_metric(const struct rs_results *r, const char *name)
{
    for (int m = 0; m < r->n_iv_metrics; m++)
        if (strcmp(r->iv_names[m], name) == 0) return m;
    return -1;
}

double rs_results_interval_value(const struct rs_results *r, int interval, int metric, int rep)
{
    return r->iv[((size_t)rep * (size_t)r->n_iv + (size_t)interval) * (size_t)r->n_iv_metrics +
                 (size_t)metric];
}

void rs_results_interval_summary(const struct rs_results *r, int interval, int metric,
                                 struct rs_summary *out)
{
    summarize(r->iv + (size_t)interval * (size_t)r->n_iv_metrics + (size_t)metric,
              (size_t)r->n_iv * (size_t)r->n_iv_metrics, r->reps, out);
}

int rs_results_paired(const struct rs_results *base, const struct rs_results *variant,
                      const char *metric, const char *scope, struct rs_paired *out,
                      struct rs_error *err)
{
    if (base->seed != variant->seed || base->reps != variant->reps)
        return rs_error_input(err, NULL, 0, NULL,
                              "expected two experiments on the same seed and replications");
    int bm = rs_results_find_metric(base, metric), bs = rs_results_find_scope(base, scope);
    int vm = rs_results_find_metric(variant, metric), vs = rs_results_find_scope(variant, scope);
    if (bm < 0 || bs < 0 || vm < 0 || vs < 0)
        return rs_error_input(err, NULL, 0, NULL, "no metric %s in scope %s in both", metric,
                              scope);

    int reps = base->reps, n = 0;
    double *b = malloc(3 * (size_t)reps * sizeof *b + 1);
    if (!b) abort();
    double *v = b + reps, *d = v + reps;
    for (int rep = 0; rep < reps; rep++) {
        double x = rs_results_value(base, bm, bs, rep), y = rs_results_value(variant, vm, vs, rep);
        if (isnan(x) || isnan(y)) continue;
        b[n] = x;
        v[n] = y;
        d[n] = y - x;
        n++;
    }
    out->n = n;
    out->base_mean = n ? gsl_stats_mean(b, 1, (size_t)n) : NAN;
    out->variant_mean = n ? gsl_stats_mean(v, 1, (size_t)n) : NAN;
    out->diff = n ? gsl_stats_mean(d, 1, (size_t)n) : NAN;
    out->sd = out->ci_low = out->ci_high = NAN;
    out->significant = 0;
    if (n >= 2) {
        out->sd = gsl_stats_sd_m(d, 1, (size_t)n, out->diff);
        double half = ci_half(out->sd, n);
        out->ci_low = out->diff - half;
        out->ci_high = out->diff + half;
        out->significant = out->ci_low > 0 || out->ci_high < 0;
    }
    out->rel_diff = n && out->base_mean != 0 ? out->diff / out->base_mean : NAN;
    free(b);
    return RS_OK;
}
