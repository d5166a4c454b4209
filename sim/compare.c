/* compare.c: base and variants run on the same seeds, and compare.csv. */
#include "replysim/compare.h"

#include "replysim/alloc.h"
#include "replysim/baseline.h"
#include "replysim/csvout.h"
#include "replysim/report.h"
#include "replysim/variant.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int rs_compare_load(struct rs_compare *c, struct rs_error *err)
{
    for (int i = 0; i < c->n; i++) {
        char label[RS_NAME_MAX + 16];
        snprintf(label, sizeof label, "--variant %s", c->v[i].name);
        const struct rs_variant v = {
            c->path, c->sets, c->n_sets, (const char *const *)c->v[i].own, c->v[i].n_own, label, 0};
        int rc = rs_variant_load(&v, &c->v[i].sc, err);
        if (rc) return rc;
    }
    return RS_OK;
}

/* Two-sided p of the paired t test of d_r; NaN when there is nothing to
 * test: fewer than two pairs, or no difference in any replication.  Every
 * replication moved by the same amount (sd 0) is certain: p = 0. */
static double paired_p(const struct rs_paired *p)
{
    if (p->n < 2 || isnan(p->diff) || (p->diff == 0 && !(p->sd > 0))) return NAN;
    if (!(p->sd > 0)) return 0;
    double t = fabs(p->diff) / (p->sd / sqrt((double)p->n));
    return 2 * gsl_cdf_tdist_Q(t, (double)(p->n - 1));
}

/* The rows of compare.csv for variant v, Holm-adjusted over those tested. */
static void fill_rows(const struct rs_results *base, struct rs_compare_variant *v)
{
    int nm = rs_results_n_metrics(base), ns = rs_results_n_scopes(base), n = 0;
    v->rows = rs_reallocarray(NULL, (size_t)nm * (size_t)ns + 1, sizeof *v->rows);
    for (int m = 0; m < nm; m++)
        for (int s = 0; s < ns; s++) {
            struct rs_compare_row *r = &v->rows[n];
            *r = (struct rs_compare_row){.metric = m, .scope = s};
            if (rs_results_paired(base, v->res, rs_results_metric_name(base, m),
                                  rs_results_scope_name(base, s), &r->p, NULL))
                continue;                       /* not in the variant */
            if (r->p.n == 0 && s > 0) continue; /* as summary.csv: no such messages */
            r->p_value = paired_p(&r->p);
            n++;
        }
    v->n_rows = n;
    double *adj = rs_malloc((size_t)n * sizeof *adj + 1);
    v->n_tested = 0;
    for (int k = 0; k < n; k++) {
        adj[k] = v->rows[k].p_value;
        v->n_tested += !isnan(adj[k]);
    }
    rs_baseline_holm(adj, n);
    for (int k = 0; k < n; k++) {
        v->rows[k].p_holm = adj[k];
        v->rows[k].significant = !isnan(adj[k]) && adj[k] < RS_COMPARE_ALPHA;
    }
    free(adj);
}

/* Tells opts->progress that the run label starts. */
static void starting(const struct rs_run_opts *opts, const char *label)
{
    if (!opts->progress) return;
    struct rs_progress p = {.what = RS_PROGRESS_RUN, .label = label};
    opts->progress(opts->progress_ctx, &p);
}

int rs_compare_run(struct rs_compare *c, const struct rs_scenario *base,
                   const struct rs_run_opts *opts, struct rs_error *err)
{
    starting(opts, "base");
    int rc = rs_experiment_run(base, opts, &c->base, err);
    for (int i = 0; i < c->n && !rc; i++) {
        char label[RS_NAME_MAX + 16];
        snprintf(label, sizeof label, "variant %s", c->v[i].name);
        starting(opts, label);
        rc = rs_experiment_run(c->v[i].sc, opts, &c->v[i].res, err);
    }
    for (int i = 0; i < c->n; i++) {
        rs_scenario_destroy(c->v[i].sc);
        c->v[i].sc = NULL;
        if (!rc) fill_rows(c->base, &c->v[i]);
    }
    return rc;
}

const struct rs_compare_row *rs_compare_row(const struct rs_compare_variant *v, int metric,
                                            int scope)
{
    for (int k = 0; k < v->n_rows; k++)
        if (v->rows[k].metric == metric && v->rows[k].scope == scope) return &v->rows[k];
    return NULL;
}

void rs_compare_free(struct rs_compare *c)
{
    for (int i = 0; i < c->n; i++) {
        for (int k = 0; k < c->v[i].n_own; k++)
            free(c->v[i].own[k]);
        rs_scenario_destroy(c->v[i].sc);
        rs_results_destroy(c->v[i].res);
        free(c->v[i].rows);
        c->v[i].rows = NULL;
        c->v[i].n_rows = 0;
    }
    rs_results_destroy(c->base);
    c->n = 0;
    c->base = NULL;
}

/* ------------------------------------------------------------- files */

/* One row of compare.csv. */
static void put_row(FILE *f, const char *variant, const struct rs_results *base,
                    const struct rs_compare_row *r)
{
    const struct rs_paired *p = &r->p;
    rs_csvout_field(f, variant);
    fputc(',', f);
    rs_csvout_field(f, rs_results_metric_name(base, r->metric));
    fputc(',', f);
    rs_csvout_field(f, rs_results_scope_name(base, r->scope));
    double x[6] = {p->base_mean, p->variant_mean, p->diff, p->ci_low, p->ci_high, p->sd};
    for (int k = 0; k < 6; k++) {
        fputc(',', f);
        rs_csvout_number(f, x[k]);
    }
    fprintf(f, ",%d,", p->n);
    rs_csvout_number(f, p->rel_diff);
    fputc(',', f);
    if (!isnan(p->ci_low)) fputc(r->significant ? '1' : '0', f);
    fputc(',', f);
    rs_csvout_number(f, r->p_value);
    fputc(',', f);
    rs_csvout_number(f, r->p_holm);
    fputc('\n', f);
}

static int put_csv(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_compare *c = ctx;
    (void)err;
    fputs("variant,metric,scope,base_mean,variant_mean,diff,ci_low,ci_high,sd,n,rel_diff,"
          "significant,p,p_holm\n",
          f);
    for (int i = 0; i < c->n; i++)
        for (int k = 0; k < c->v[i].n_rows; k++)
            put_row(f, c->v[i].name, c->base, &c->v[i].rows[k]);
    return RS_OK;
}

struct ini {
    const struct rs_compare *c;
    const struct rs_scenario *base;
};

/* The baseline as loaded, the variants' settings in its opening comment. */
static int put_ini(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct ini *o = ctx;
    (void)err;
    fprintf(f, "; replysim %s: the baseline of `replysim compare`, with the variants\n",
            RS_VERSION);
    for (int i = 0; i < o->c->n; i++) {
        fprintf(f, ";   --variant %s:", o->c->v[i].name);
        for (int k = 0; k < o->c->v[i].n_own; k++)
            fprintf(f, "%s%s", k ? "," : "", o->c->v[i].own[k]);
        fputc('\n', f);
    }
    rs_scenario_write(o->base, f);
    return RS_OK;
}

int rs_compare_write(const char *dir, const struct rs_compare *c, const struct rs_scenario *base,
                     struct rs_error *err)
{
    struct ini o = {c, base};
    const struct rs_report_entry files[] = {{"compare.csv", put_csv, c},
                                            {"scenario.ini", put_ini, &o}};
    return rs_report_write(dir, files, 2, err);
}
