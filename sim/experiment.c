/* experiment.c: replications over the worker pool, and summaries across
 * them.
 *
 * Each replication is one task of the pool and writes its metric vector
 * into its own row, so the results do not depend on which thread ran
 * what. */
#include "replysim/experiment.h"

#include "replysim/alloc.h"
#include "replysim/budget.h"
#include "replysim/buf.h"
#include "replysim/csvout.h"
#include "replysim/pool.h"
#include "replysim/rng.h"
#include "replysim/world.h"
#include "ivstore.h"
#include "stats.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_LEN 96

struct rs_results {
    int reps, n_metrics, n_scopes;
    uint64_t seed;
    char (*metric_names)[NAME_LEN];
    char (*scope_names)[NAME_LEN];
    double *values; /* [rep][metric][scope] */
    int n_lat, n_lat_scopes;
    double *lat_t; /* latency points, seconds */
    double *lat;   /* [rep][scope][point] */
    int n_iv, n_iv_metrics;
    double interval_s;
    char (*iv_names)[NAME_LEN];
    struct rs_ivstore *iv; /* [rep][interval][metric], in memory or a file (ivstore.h) */
    FILE **trace;          /* [rep] with opts->trace, else NULL */
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
    pthread_mutex_t progress_lock; /* serializes the progress calls */
    int done;                      /* replications finished */
    double *frac;                  /* per replication: share of its simulated time done */
    int overflow_rep;              /* first replication that passed the open limit, -1: none */
    double overflow_s;             /* when it did */
    unsigned want;                 /* RS_WANT_* */
    struct rs_world_mem **mem;     /* [threads]: world memory not in use, NULL: none yet */
    int n_mem;
};

/* World memory for one replication: a spare one, else a new one (a run
 * makes at most one per thread). */
static struct rs_world_mem *mem_get(struct job *j)
{
    struct rs_world_mem *m = NULL;
    pthread_mutex_lock(&j->progress_lock);
    for (int i = 0; i < j->n_mem && !m; i++) {
        m = j->mem[i];
        j->mem[i] = NULL;
    }
    pthread_mutex_unlock(&j->progress_lock);
    return m ? m : rs_world_mem_create();
}

static void mem_put(struct job *j, struct rs_world_mem *m)
{
    pthread_mutex_lock(&j->progress_lock);
    for (int i = 0; i < j->n_mem && m; i++)
        if (!j->mem[i]) {
            j->mem[i] = m;
            m = NULL;
        }
    pthread_mutex_unlock(&j->progress_lock);
    rs_world_mem_destroy(m); /* no room: cannot happen with one per thread */
}

/* Fills n values with NaN: figures a run did not ask for. */
static void not_asked(double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = NAN;
}

/* The replication's figures, as many as j->want asks for. */
static void collect(const struct job *j, const struct rs_world *w, int rep)
{
    struct rs_results *r = j->res;
    size_t row = (size_t)r->n_metrics * (size_t)r->n_scopes;
    size_t lat_row = (size_t)r->n_lat * (size_t)r->n_lat_scopes;
    double *values = r->values + (size_t)rep * row, *lat = r->lat + (size_t)rep * lat_row;
    if (j->want & RS_WANT_METRICS)
        rs_world_metrics(w, values);
    else
        not_asked(values, row);
    if (j->want & RS_WANT_LATENCY)
        rs_world_latency(w, r->lat_t, r->n_lat, lat);
    else
        not_asked(lat, lat_row);
    /* intervals went to the store as each became final (iv_row) */
}

struct iv_ctx {
    struct rs_ivstore *store;
    int rep;
};

/* The sink of intervals nobody asked for. */
static void iv_drop(void *ctx, int interval, const double *row)
{
    (void)ctx, (void)interval, (void)row;
}

/* The world's interval sink: a final interval's row into the store. */
static void iv_row(void *ctx, int interval, const double *row)
{
    const struct iv_ctx *c = ctx;
    rs_ivstore_put(c->store, c->rep, interval, row);
}

/* Tells opts->progress how far the job is (progress_lock held). */
static void report(const struct job *j)
{
    double sum = 0;
    for (int i = 0; i < j->opts->replications; i++)
        sum += j->frac[i];
    struct rs_progress p = {.what = RS_PROGRESS_REPLICATIONS,
                            .done = j->done,
                            .total = j->opts->replications,
                            .fraction = sum / j->opts->replications};
    j->opts->progress(j->opts->progress_ctx, &p);
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
    report(rp->j);
    pthread_mutex_unlock(&rp->j->progress_lock);
}

static void rep_done(struct job *j, int rep)
{
    pthread_mutex_lock(&j->progress_lock);
    j->done++;
    j->frac[rep] = 1;
    if (j->opts->progress) report(j);
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
    rs_csvout_field(f, t->sc->channels[m->channel].name);
    fputc(',', f);
    rs_csvout_field(f, t->sc->types[m->type].name);
    fprintf(f, ",%d,%d,%d,%s,%d,", m->followup, m->switched, m->counted, rs_fate_name(m->fate),
            m->lapsed);
    double v[6] = {m->arrive_s,
                   isfinite(m->deadline_s) ? m->deadline_s : NAN,
                   m->take_s,
                   m->end_s,
                   m->fate == RS_FATE_ANSWERED || m->fate == RS_FATE_THREAD ||
                           m->fate == RS_FATE_BOT
                       ? m->end_s - m->arrive_s
                       : NAN,
                   m->followers};
    for (int i = 0; i < 6; i++) {
        if (i) fputc(',', f);
        rs_csvout_number(f, v[i]);
    }
    fprintf(f, ",%llu,%d,", (unsigned long long)m->conversation + 1, m->turn);
    if (m->agent > 0) fprintf(f, "%d", m->agent);
    fputc('\n', f);
}

const char *rs_results_trace_header(void)
{
    return "replication,id,thread,channel,type,followup,switched,counted,fate,lapsed,arrive_s,"
           "deadline_s,take_s,end_s,frt_s,followers,conversation,turn,agent";
}

int rs_results_traced(const struct rs_results *r) { return r->trace != NULL; }

FILE *rs_results_trace(const struct rs_results *r, int rep)
{
    if (!r->trace || !r->trace[rep]) return NULL;
    rewind(r->trace[rep]);
    return r->trace[rep];
}

/* Notes that replication rep stopped at the open limit (the lowest such
 * replication is reported, whatever the threads). */
static void overflowed(struct job *j, int rep, double t_s)
{
    pthread_mutex_lock(&j->progress_lock);
    if (j->overflow_rep < 0 || rep < j->overflow_rep) {
        j->overflow_rep = rep;
        j->overflow_s = t_s;
    }
    pthread_mutex_unlock(&j->progress_lock);
}

/* One replication, a task of the pool: RS_EIO when its trace cannot be
 * written, RS_EINPUT when it passed the open limit. */
static int run_replication(void *ctx, long task)
{
    struct job *j = ctx;
    struct rs_results *r = j->res;
    int rep = (int)task, rc = RS_OK;
    struct rs_world_mem *mem = mem_get(j);
    struct rs_world *w = rs_world_create_in(j->sc, rs_rng_replication_key(r->seed, rep), mem);
    struct trace_ctx tc = {NULL, j->sc, rep};
    if (r->trace) {
        tc.f = r->trace[rep] = tmpfile();
        if (tc.f)
            rs_world_set_log(w, trace_row, &tc);
        else
            rc = RS_EIO;
    }
    const struct rs_msg_hook *hook = j->opts->hook;
    void *state = hook ? hook->begin(hook->ctx, rep) : NULL;
    if (hook) rs_world_set_log(w, hook->log, state);
    struct rep_progress rp = {j, rep};
    if (j->opts->progress) rs_world_set_progress(w, rep_progress, &rp);
    struct iv_ctx ic = {r->iv, rep};
    /* intervals not asked for (sweep, backtest) are dropped as they become
     * final, not kept by the world: memory stays flat in the horizon */
    rs_world_set_interval_sink(w, j->want & RS_WANT_INTERVALS ? iv_row : iv_drop, &ic);
    int ran = rs_world_run(w);
    rs_ivstore_flush(r->iv, rep);
    if (hook) hook->end(hook->ctx, rep, state, ran == RS_OK);
    if (ran != RS_OK) {
        overflowed(j, rep, rs_world_overflow_s(w));
        rs_world_destroy(w);
        mem_put(j, mem);
        rep_done(j, rep);
        return RS_EINPUT;
    }
    if (tc.f && (fflush(tc.f) != 0 || ferror(tc.f))) rc = RS_EIO;
    collect(j, w, rep);
    rs_world_destroy(w);
    mem_put(j, mem);
    rep_done(j, rep);
    return rc;
}

/* A replication's result as bytes, for a pool backend (pool.h): its three
 * rows of figures and its message trace, or when it passed the open limit
 * the time it did. */
static void pack_replication(void *ctx, long task, int rc, struct rs_buf *out)
{
    struct job *j = ctx;
    struct rs_results *r = j->res;
    int rep = (int)task;
    if (rc == RS_EINPUT) {
        pthread_mutex_lock(&j->progress_lock);
        double t_s = j->overflow_rep == rep ? j->overflow_s : NAN;
        pthread_mutex_unlock(&j->progress_lock);
        rs_buf_putn(out, (const char *)&t_s, sizeof t_s);
        return;
    }
    size_t row = (size_t)r->n_metrics * (size_t)r->n_scopes;
    size_t lat_row = (size_t)r->n_lat * (size_t)r->n_lat_scopes;
    rs_buf_putn(out, (const char *)(r->values + (size_t)rep * row), row * sizeof(double));
    rs_buf_putn(out, (const char *)(r->lat + (size_t)rep * lat_row), lat_row * sizeof(double));
    for (int i = 0; i < r->n_iv; i++) /* from the store (ivstore.h), row by row */
        for (int m = 0; m < r->n_iv_metrics; m++) {
            double v = rs_ivstore_get(r->iv, rep, i, m);
            rs_buf_putn(out, (const char *)&v, sizeof v);
        }
    FILE *f = r->trace ? r->trace[rep] : NULL;
    char chunk[1 << 14];
    size_t got;
    if (f) rewind(f);
    while (f && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        rs_buf_putn(out, chunk, got);
}

/* Stores a packed replication as though it had run here: RS_OK, RS_EINPUT
 * for bytes of the wrong length, RS_EIO when its trace cannot be kept. */
static int unpack_replication(void *ctx, long task, int rc, const char *bytes, size_t len)
{
    struct job *j = ctx;
    struct rs_results *r = j->res;
    int rep = (int)task;
    if (rc == RS_EINPUT) {
        double t_s;
        if (len != sizeof t_s) return RS_EINPUT;
        memcpy(&t_s, bytes, sizeof t_s);
        overflowed(j, rep, t_s);
        rep_done(j, rep);
        return RS_OK;
    }
    size_t row = (size_t)r->n_metrics * (size_t)r->n_scopes;
    size_t lat_row = (size_t)r->n_lat * (size_t)r->n_lat_scopes;
    size_t iv_rows = (size_t)r->n_iv * (size_t)r->n_iv_metrics;
    size_t figures = (row + lat_row + iv_rows) * sizeof(double);
    if (len < figures || (!r->trace && len != figures)) return RS_EINPUT;
    memcpy(r->values + (size_t)rep * row, bytes, row * sizeof(double));
    memcpy(r->lat + (size_t)rep * lat_row, bytes + row * sizeof(double), lat_row * sizeof(double));
    double *ivr = rs_calloc((size_t)r->n_iv_metrics + 1, sizeof *ivr);
    for (int i = 0; i < r->n_iv; i++) {
        memcpy(ivr, bytes + (row + lat_row + (size_t)i * (size_t)r->n_iv_metrics) * sizeof(double),
               (size_t)r->n_iv_metrics * sizeof(double));
        rs_ivstore_put(r->iv, rep, i, ivr);
    }
    rs_ivstore_flush(r->iv, rep);
    free(ivr);
    int kept = RS_OK;
    if (r->trace) {
        FILE *f = r->trace[rep] = tmpfile();
        if (!f || fwrite(bytes + figures, 1, len - figures, f) != len - figures || fflush(f) != 0)
            kept = RS_EIO;
    }
    rep_done(j, rep);
    return kept;
}

static const struct rs_pool_codec replication_codec = {pack_replication, unpack_replication};

/* The results of opts->replications replications of sc, named and sized,
 * every value still 0. */
static struct rs_results *results_create(const struct rs_scenario *sc,
                                         const struct rs_run_opts *opts, unsigned want)
{
    struct rs_results *r = rs_calloc(1, sizeof *r);
    r->reps = opts->replications;
    r->seed = opts->seed;
    r->n_metrics = rs_stats_n_metrics(sc);
    r->n_scopes = rs_stats_n_scopes(sc);
    r->metric_names = rs_calloc((size_t)r->n_metrics, sizeof *r->metric_names);
    r->scope_names = rs_calloc((size_t)r->n_scopes, sizeof *r->scope_names);
    r->values =
        rs_calloc((size_t)r->reps * (size_t)r->n_metrics * (size_t)r->n_scopes, sizeof *r->values);
    r->n_lat = latency_grid(sc, NULL);
    r->n_lat_scopes = 1 + sc->n_channels;
    r->lat_t = rs_calloc((size_t)r->n_lat + 1, sizeof *r->lat_t);
    r->lat =
        rs_calloc((size_t)r->reps * (size_t)r->n_lat * (size_t)r->n_lat_scopes + 1, sizeof *r->lat);
    latency_grid(sc, r->lat_t);
    r->n_iv = rs_world_n_intervals(sc);
    r->n_iv_metrics = rs_stats_n_interval_metrics(sc);
    r->interval_s = sc->interval_s;
    r->iv_names = rs_calloc((size_t)r->n_iv_metrics, sizeof *r->iv_names);
    r->iv = rs_ivstore_create(r->reps, r->n_iv, r->n_iv_metrics, !(want & RS_WANT_INTERVALS),
                              RS_IVSTORE_MEM_MAX);
    for (int m = 0; m < r->n_iv_metrics; m++)
        rs_stats_interval_metric_name(sc, m, r->iv_names[m], NAME_LEN);
    for (int m = 0; m < r->n_metrics; m++)
        rs_stats_metric_name(sc, m, r->metric_names[m], NAME_LEN);
    for (int s = 0; s < r->n_scopes; s++)
        rs_stats_scope_name(sc, s, r->scope_names[s], NAME_LEN);
    if (opts->trace) r->trace = rs_calloc((size_t)r->reps, sizeof *r->trace);
    return r;
}

int rs_experiment_run(const struct rs_scenario *sc, const struct rs_run_opts *opts,
                      struct rs_results **out, struct rs_error *err)
{
    if (opts->replications < 1)
        return rs_error_input(err, NULL, 0, "replications", "expected a whole number >= 1");
    if (opts->threads < 1)
        return rs_error_input(err, NULL, 0, "threads", "expected a whole number >= 1");
    if (opts->hook && opts->trace)
        return rs_error_input(err, NULL, 0, "trace",
                              "expected a trace or a message hook, not both");
    int rc = rs_scenario_check(sc, err);
    if (rc) return rc;
    const struct rs_budget_req req = {
        .replications = opts->replications, .threads = opts->threads, .trace = opts->trace};
    rc = rs_budget_check(sc, &req, err);
    if (rc) return rc;

    unsigned want = opts->want ? opts->want : RS_WANT_ALL;
    struct rs_results *r = results_create(sc, opts, want);
    struct job j = {.sc = sc,
                    .opts = opts,
                    .res = r,
                    .overflow_rep = -1,
                    .want = want,
                    .n_mem = opts->threads < r->reps ? opts->threads : r->reps};
    pthread_mutex_init(&j.progress_lock, NULL);
    j.frac = rs_calloc((size_t)r->reps, sizeof *j.frac);
    j.mem = rs_calloc((size_t)j.n_mem, sizeof *j.mem);
    long failed =
        rs_pool_run_shipped(r->reps, opts->threads, run_replication, &replication_codec, &j);
    pthread_mutex_destroy(&j.progress_lock);
    free(j.frac);
    for (int i = 0; i < j.n_mem; i++)
        rs_world_mem_destroy(j.mem[i]);
    free(j.mem);
    if (failed >= 0) {
        rs_results_destroy(r);
        if (j.overflow_rep >= 0)
            return rs_error_input(err, sc->path[0] ? sc->path : NULL, 0, NULL,
                                  "expected at most %d messages open at once (the open messages "
                                  "limit), replication %d passed it at %.0f s: arrivals outpace "
                                  "the agents; lower the rates or add agents, inbox_limit, "
                                  "max_age or abandon = leave",
                                  RS_BUDGET_MAX_OPEN, j.overflow_rep + 1, j.overflow_s);
        return rs_error_io(err, "messages.csv",
                           "cannot write the message trace to a temporary file");
    }
    int e = rs_ivstore_error(r->iv);
    if (e) {
        rs_results_destroy(r);
        return rs_error_io(err, "intervals.csv",
                           "cannot write the interval figures to a temporary file: %s",
                           strerror(e));
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
    rs_ivstore_destroy(r->iv);
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

void rs_results_summary(const struct rs_results *r, int metric, int scope, struct rs_summary *out)
{
    size_t row = (size_t)r->n_metrics * (size_t)r->n_scopes;
    rs_summary_of(r->values + (size_t)metric * (size_t)r->n_scopes + (size_t)scope, row, r->reps,
                  out);
}

int rs_results_n_latency_points(const struct rs_results *r) { return r->n_lat; }
double rs_results_latency_t(const struct rs_results *r, int point) { return r->lat_t[point]; }

void rs_results_latency_summary(const struct rs_results *r, int scope, int point,
                                struct rs_summary *out)
{
    rs_summary_of(r->lat + (size_t)scope * (size_t)r->n_lat + (size_t)point,
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

double rs_results_interval_value(const struct rs_results *r, int interval, int metric, int rep)
{
    return rs_ivstore_get(r->iv, rep, interval, metric);
}

void rs_results_interval_summary(const struct rs_results *r, int interval, int metric,
                                 struct rs_summary *out)
{
    rs_ivstore_summary(r->iv, interval, metric, out);
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
    double *b = rs_malloc(3 * (size_t)reps * sizeof *b + 1);
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
        double half = rs_summary_ci_half(out->sd, n);
        out->ci_low = out->diff - half;
        out->ci_high = out->diff + half;
        out->significant = out->ci_low > 0 || out->ci_high < 0;
    }
    out->rel_diff = n && out->base_mean != 0 ? out->diff / out->base_mean : NAN;
    free(b);
    return RS_OK;
}
