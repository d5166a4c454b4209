/* compare.h: paired comparison of variants of one scenario under common
 * random numbers (docs/scenario-reference.md section 9, `replysim compare`).
 *
 * The baseline, base, is the scenario as loaded (file plus the shared
 * settings); each variant adds its own settings on top (variant.h).  Every
 * variant runs the base's replication seeds, so replication r of each sees
 * the same customers and the per-replication differences are paired
 * (rs_results_paired). */
#ifndef RS_COMPARE_H
#define RS_COMPARE_H

#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/scenario.h"

#define RS_COMPARE_MAX_VARIANTS 64 /* variants of one comparison */
#define RS_COMPARE_MAX_SETS 256    /* settings of one variant */

/* One row of compare.csv: a metric in a scope, variant against base.  The
 * paired t test's p is adjusted by Holm's method over every row of the
 * variant that differs (as check does over its rows), so that among the
 * ~170 rows of a variant a difference is not called significant by chance
 * alone more than 5% of the time. */
struct rs_compare_row {
    int metric, scope;  /* indices in base's results */
    struct rs_paired p; /* p.significant: the row's own 95% interval excludes 0 */
    double p_value;     /* two-sided paired t test; NaN when not tested */
    double p_holm;      /* Holm-adjusted over the variant's tested rows */
    int significant;    /* p_holm < RS_COMPARE_ALPHA */
};

#define RS_COMPARE_ALPHA 0.05

struct rs_compare_variant {
    char name[RS_NAME_MAX];         /* not "base" */
    int n_own;                      /* settings of this variant */
    char *own[RS_COMPARE_MAX_SETS]; /* each "section.key=value", owned (malloc) */
    struct rs_scenario *sc;         /* loaded by rs_compare_load */
    struct rs_results *res;         /* run by rs_compare_run */
    struct rs_compare_row *rows;    /* filled by rs_compare_run, as compare.csv */
    int n_rows;
    int n_tested; /* rows that differ, the Holm family */
};

/* A comparison: fill path, sets and the variants' names and settings. */
struct rs_compare {
    const char *path;        /* the scenario file */
    const char *const *sets; /* settings of base and every variant (--set), not owned */
    int n_sets;
    int n; /* variants */
    struct rs_compare_variant v[RS_COMPARE_MAX_VARIANTS];
    struct rs_results *base; /* run by rs_compare_run */
};

/* Loads every variant's scenario before anything runs, so that bad input
 * costs nothing: RS_OK, or the first variant's error (rs_variant_load's,
 * its own settings named "--variant NAME"). */
int rs_compare_load(struct rs_compare *c, struct rs_error *err);

/* Runs base (the scenario as loaded) and then every variant with opts (the
 * base's seed and replications), telling opts->progress RS_PROGRESS_RUN
 * "base" and "variant NAME" before each; frees the variants' scenarios and
 * fills each variant's rows.  RS_OK or the first run's error. */
int rs_compare_run(struct rs_compare *c, const struct rs_scenario *base,
                   const struct rs_run_opts *opts, struct rs_error *err);

/* The folder: compare.csv (every variant, metric and scope against base)
 * and scenario.ini (base, with the variants in its opening comments),
 * written as one report into dir.  RS_OK or RS_EIO with err filled. */
int rs_compare_write(const char *dir, const struct rs_compare *c, const struct rs_scenario *base,
                     struct rs_error *err);

/* The row of variant v for metric and scope (indices in base), or NULL. */
const struct rs_compare_row *rs_compare_row(const struct rs_compare_variant *v, int metric,
                                            int scope);

/* Frees what c holds (c itself is the caller's). */
void rs_compare_free(struct rs_compare *c);

#endif
