/* report.c: the CSV result files (report_folder.c writes the folders). */
#include "replysim/report.h"

#include "replysim/alloc.h"
#include "replysim/csvout.h"
#include "replysim/rng.h"
#include "replysim/units.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void rs_report_summary_row(FILE *f, const char *metric, const char *scope,
                           const struct rs_summary *s)
{
    rs_csvout_field(f, metric);
    fputc(',', f);
    rs_csvout_field(f, scope);
    double v[4] = {s->mean, s->ci_low, s->ci_high, s->sd};
    for (int i = 0; i < 4; i++) {
        fputc(',', f);
        rs_csvout_number(f, v[i]);
    }
    fprintf(f, ",%d\n", s->n);
}

void rs_report_summary(FILE *f, const struct rs_results *res)
{
    fputs("metric,scope,mean,ci_low,ci_high,sd,n\n", f);
    for (int m = 0; m < rs_results_n_metrics(res); m++)
        for (int s = 0; s < rs_results_n_scopes(res); s++) {
            struct rs_summary sum;
            rs_results_summary(res, m, s, &sum);
            if (sum.n == 0 && s > 0) continue; /* system-wide metric, or no such messages */
            rs_report_summary_row(f, rs_results_metric_name(res, m), rs_results_scope_name(res, s),
                                  &sum);
        }
}

void rs_report_replications(FILE *f, const struct rs_results *res)
{
    fputs("replication,seed", f);
    for (int m = 0; m < rs_results_n_metrics(res); m++) {
        fputc(',', f);
        rs_csvout_field(f, rs_results_metric_name(res, m));
    }
    fputc('\n', f);
    for (int rep = 0; rep < rs_results_replications(res); rep++) {
        fprintf(f, "%d,%llu", rep + 1,
                (unsigned long long)rs_rng_replication_key(rs_results_seed(res), rep));
        for (int m = 0; m < rs_results_n_metrics(res); m++) {
            fputc(',', f);
            rs_csvout_number(f, rs_results_value(res, m, 0, rep));
        }
        fputc('\n', f);
    }
}

void rs_report_latency(FILE *f, const struct rs_results *res, const struct rs_scenario *sc)
{
    fputs("scope,t_s,answered_within,ci_low,ci_high,n\n", f);
    for (int s = 0; s <= sc->n_channels; s++) {
        const char *scope = rs_results_scope_name(res, s);
        for (int p = 0; p < rs_results_n_latency_points(res); p++) {
            struct rs_summary sum;
            rs_results_latency_summary(res, s, p, &sum);
            rs_csvout_field(f, scope);
            fputc(',', f);
            rs_csvout_number(f, rs_results_latency_t(res, p));
            double v[3] = {sum.mean, sum.ci_low, sum.ci_high};
            for (int i = 0; i < 3; i++) {
                fputc(',', f);
                rs_csvout_number(f, v[i]);
            }
            fprintf(f, ",%d\n", sum.n);
        }
    }
}

void rs_report_clock(const struct rs_scenario *sc, double t_s, char *buf, size_t n)
{
    static const char *const days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    double since_monday = fmod(sc->start_day * 86400.0 + sc->start_clock_s + t_s, RS_WEEK_S);
    long minutes = (long)floor(since_monday / 60 + 1e-9);
    snprintf(buf, n, "%s %02ld:%02ld", days[(minutes / 1440) % 7], minutes / 60 % 24, minutes % 60);
}

void rs_report_intervals(FILE *f, const struct rs_results *res, const struct rs_scenario *sc)
{
    fputs("interval,start_s,start,metric,mean,ci_low,ci_high,sd,n\n", f);
    double width = rs_results_interval_s(res);
    for (int i = 0; i < rs_results_n_intervals(res); i++) {
        char label[32];
        rs_report_clock(sc, i * width, label, sizeof label);
        for (int m = 0; m < rs_results_n_interval_metrics(res); m++) {
            struct rs_summary s;
            rs_results_interval_summary(res, i, m, &s);
            fprintf(f, "%d,", i);
            rs_csvout_number(f, i * width);
            fprintf(f, ",%s,", label);
            rs_csvout_field(f, rs_results_interval_metric_name(res, m));
            double v[4] = {s.mean, s.ci_low, s.ci_high, s.sd};
            for (int k = 0; k < 4; k++) {
                fputc(',', f);
                rs_csvout_number(f, v[k]);
            }
            fprintf(f, ",%d\n", s.n);
        }
    }
}

int rs_report_messages(FILE *f, const struct rs_results *res)
{
    fprintf(f, "%s\n", rs_results_trace_header());
    char buf[1 << 16];
    for (int rep = 0; rep < rs_results_replications(res); rep++) {
        FILE *in = rs_results_trace(res, rep);
        if (!in) return RS_EIO;
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            fwrite(buf, 1, n, f);
        if (ferror(in)) return RS_EIO;
    }
    return RS_OK;
}

void rs_report_cell(char *cell, size_t n, enum rs_cell_kind kind, double x)
{
    int big = fabs(x) >= 1e4 && fabs(x) < 1e15;
    if (isnan(x))
        snprintf(cell, n, "-");
    else if (x == 0)
        snprintf(cell, n, kind == RS_CELL_PERCENT ? "0%%" : "0");
    else if (isinf(x))
        snprintf(cell, n, x > 0 ? (kind == RS_CELL_PLAIN ? "inf" : "+inf") : "-inf");
    else if (kind == RS_CELL_PERCENT)
        snprintf(cell, n, "%+.1f%%", 100 * x);
    else if (kind == RS_CELL_SIGNED)
        snprintf(cell, n, big ? "%+.0f" : "%+.3g", x);
    else
        snprintf(cell, n, big ? "%.0f" : "%.4g", x);
}

/* The run folder's writers, over one context. */
struct run_files {
    const struct rs_results *res;
    const struct rs_scenario *sc;
};

static int put_summary(FILE *f, const void *ctx, struct rs_error *err)
{
    (void)err;
    rs_report_summary(f, ((const struct run_files *)ctx)->res);
    return RS_OK;
}

static int put_replications(FILE *f, const void *ctx, struct rs_error *err)
{
    (void)err;
    rs_report_replications(f, ((const struct run_files *)ctx)->res);
    return RS_OK;
}

static int put_latency(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct run_files *rf = ctx;
    (void)err;
    rs_report_latency(f, rf->res, rf->sc);
    return RS_OK;
}

static int put_intervals(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct run_files *rf = ctx;
    (void)err;
    rs_report_intervals(f, rf->res, rf->sc);
    return RS_OK;
}

static int put_messages(FILE *f, const void *ctx, struct rs_error *err)
{
    if (rs_report_messages(f, ((const struct run_files *)ctx)->res))
        return rs_error_io(err, "messages.csv", "cannot read the message trace back");
    return RS_OK;
}

static int put_scenario(FILE *f, const void *ctx, struct rs_error *err)
{
    (void)err;
    fprintf(f, "; replysim %s: rerun with `replysim run scenario.ini` for the same results\n",
            RS_VERSION);
    rs_scenario_write(((const struct run_files *)ctx)->sc, f);
    return RS_OK;
}

int rs_report_run(const char *dir, const struct rs_results *res, const struct rs_scenario *sc,
                  struct rs_error *err)
{
    struct run_files rf = {res, sc};
    const struct rs_report_entry files[] = {
        {"summary.csv", put_summary, &rf},
        {"replications.csv", put_replications, &rf},
        {"latency.csv", put_latency, &rf},
        {"intervals.csv", put_intervals, &rf},
        {"messages.csv", rs_results_traced(res) ? put_messages : NULL, &rf},
        {"scenario.ini", put_scenario, &rf},
    };
    return rs_report_write(dir, files, sizeof files / sizeof files[0], err);
}
