/* compare.c: base and variants run on the same seeds, and compare.csv. */
#include "replysim/compare.h"

#include "replysim/csvout.h"
#include "replysim/report.h"
#include "replysim/variant.h"

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
    }
    return rc;
}

void rs_compare_free(struct rs_compare *c)
{
    for (int i = 0; i < c->n; i++) {
        for (int k = 0; k < c->v[i].n_own; k++)
            free(c->v[i].own[k]);
        rs_scenario_destroy(c->v[i].sc);
        rs_results_destroy(c->v[i].res);
    }
    rs_results_destroy(c->base);
    c->n = 0;
    c->base = NULL;
}

/* ------------------------------------------------------------- files */

/* One row of compare.csv. */
static void put_row(FILE *f, const char *variant, const char *metric, const char *scope,
                    const struct rs_paired *p)
{
    rs_csvout_field(f, variant);
    fputc(',', f);
    rs_csvout_field(f, metric);
    fputc(',', f);
    rs_csvout_field(f, scope);
    double x[6] = {p->base_mean, p->variant_mean, p->diff, p->ci_low, p->ci_high, p->sd};
    for (int k = 0; k < 6; k++) {
        fputc(',', f);
        rs_csvout_number(f, x[k]);
    }
    fprintf(f, ",%d,", p->n);
    rs_csvout_number(f, p->rel_diff);
    fputc(',', f);
    if (!isnan(p->ci_low)) fputc(p->significant ? '1' : '0', f);
    fputc('\n', f);
}

static int put_csv(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_compare *c = ctx;
    const struct rs_results *base = c->base;
    (void)err;
    fputs("variant,metric,scope,base_mean,variant_mean,diff,ci_low,ci_high,sd,n,rel_diff,"
          "significant\n",
          f);
    for (int i = 0; i < c->n; i++)
        for (int m = 0; m < rs_results_n_metrics(base); m++)
            for (int s = 0; s < rs_results_n_scopes(base); s++) {
                const char *metric = rs_results_metric_name(base, m);
                const char *scope = rs_results_scope_name(base, s);
                struct rs_paired p;
                if (rs_results_paired(base, c->v[i].res, metric, scope, &p, NULL))
                    continue;                    /* not in the variant */
                if (p.n == 0 && s > 0) continue; /* as summary.csv: no such messages */
                put_row(f, c->v[i].name, metric, scope, &p);
            }
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
