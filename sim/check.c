/* check.c: the rows of a run against a baseline's, tolerances, Holm, and
 * each row's verdict. */
#include "replysim/check.h"

#include "replysim/alloc.h"
#include "replysim/units.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct rs_check_tolerance default_tolerances[] = {
    {"*", 0.02, 1, "2%"},
    {"*_s", 0.05, 1, "5%"},
    {"*_rate", 0.01, 0, "0.01"},
    {"sl_*", 0.01, 0, "0.01"},
    {"wait_within_*", 0.01, 0, "0.01"},
    {"occupancy", 0.01, 0, "0.01"},
};

void rs_check_init(struct rs_check *c)
{
    memset(c, 0, sizeof *c);
    c->alpha = 0.05;
    c->n_tol = (int)(sizeof default_tolerances / sizeof default_tolerances[0]);
    memcpy(c->tol, default_tolerances, sizeof default_tolerances);
}

void rs_check_free(struct rs_check *c)
{
    free(c->e);
    c->e = NULL;
    c->n = c->cap = 0;
}

int rs_check_parse_tolerance(const char *text, struct rs_check_tolerance *t, char *why, size_t len)
{
    const char *eq = strchr(text, '=');
    size_t plen = eq ? (size_t)(eq - text) : 0;
    if (!eq || plen == 0 || plen >= sizeof t->pattern) {
        rs_error_why(why, len,
                     "expected METRIC=VALUE or METRIC=VALUE%% such as sl_1h=0.02 or "
                     "wait_p90_s=10%%");
        return -1;
    }
    memcpy(t->pattern, text, plen);
    t->pattern[plen] = '\0';
    char num[RS_CHECK_TEXT];
    const char *v = eq + 1;
    size_t vlen = strlen(v);
    t->relative = vlen > 0 && v[vlen - 1] == '%';
    if (t->relative) vlen--;
    if (vlen == 0 || vlen >= sizeof num) {
        rs_error_why(why, len, "expected a number >= 0 (or a percentage) after =, got \"%.40s\"",
                     v);
        return -1;
    }
    memcpy(num, v, vlen);
    num[vlen] = '\0';
    if (rs_units_number(num, &t->value, why, len)) return -1;
    if (t->value < 0) {
        rs_error_why(why, len, "expected a number >= 0 (or a percentage) after =, got \"%.40s\"",
                     v);
        return -1;
    }
    snprintf(t->text, sizeof t->text, "%s", v);
    if (t->relative) t->value /= 100;
    return 0;
}

static const struct rs_check_tolerance *tolerance_of(const struct rs_check *c, const char *metric)
{
    const struct rs_check_tolerance *found = &c->tol[0];
    for (int i = 0; i < c->n_tol; i++)
        if (fnmatch(c->tol[i].pattern, metric, 0) == 0) found = &c->tol[i];
    return found;
}

static struct rs_check_entry *add_entry(struct rs_check *c, int si, const char *metric,
                                        const char *scope)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 1024;
        c->e = rs_reallocarray(c->e, (size_t)c->cap, sizeof *c->e);
    }
    struct rs_check_entry *e = &c->e[c->n++];
    memset(e, 0, sizeof *e);
    e->p_adj = NAN;
    e->scenario = si;
    snprintf(e->metric, sizeof e->metric, "%s", metric);
    snprintf(e->scope, sizeof e->scope, "%s", scope);
    return e;
}

/* The baseline's rows of scenario si (called name) against the run res. */
static void compare_rows(struct rs_check *c, int si, const char *name, const struct rs_baseline *b,
                         const struct rs_results *res)
{
    for (int i = 0; i < b->n_rows; i++) {
        const struct rs_baseline_row *r = &b->rows[i];
        if (strcmp(r->scenario, name)) continue;
        struct rs_summary now = {.mean = NAN, .sd = NAN, .n = 0};
        int found = rs_results_get(res, r->metric, r->scope, &now) == RS_OK;
        if (found && r->n == 0 && now.n == 0) continue; /* undefined in both */
        struct rs_check_entry *e = add_entry(c, si, r->metric, r->scope);
        e->base_mean = r->mean;
        e->base_n = r->n;
        e->now_mean = now.n ? now.mean : NAN;
        e->now_n = now.n;
        const struct rs_check_tolerance *t = tolerance_of(c, r->metric);
        e->tol = t->text;
        e->tol_abs = t->relative ? t->value * fabs(r->mean) : t->value;
        if (!found) {
            e->v = RS_CHECK_MISSING;
            e->w.diff = NAN;
            continue;
        }
        rs_baseline_welch(r->mean, r->sd, r->n, e->now_mean, now.n >= 2 ? now.sd : NAN, now.n,
                          &e->w);
        if (r->n == 0 || now.n == 0) e->v = RS_CHECK_MOVED; /* defined on one side only */
    }
}

/* The run's rows that the baseline lacks (a new metric): noted. */
static void new_rows(struct rs_check *c, int si, const char *name, const struct rs_baseline *b,
                     const struct rs_results *res)
{
    for (int m = 0; m < rs_results_n_metrics(res); m++)
        for (int s = 0; s < rs_results_n_scopes(res); s++) {
            const char *metric = rs_results_metric_name(res, m);
            const char *scope = rs_results_scope_name(res, s);
            if (rs_baseline_find(b, name, metric, scope)) continue;
            struct rs_summary now;
            rs_results_summary(res, m, s, &now);
            if (now.n == 0) continue; /* as summary.csv, and nothing to check */
            struct rs_check_entry *e = add_entry(c, si, metric, scope);
            e->base_mean = e->w.diff = NAN;
            e->now_mean = now.mean;
            e->now_n = now.n;
            e->tol = "";
            e->v = RS_CHECK_NEW;
        }
}

/* Holm over every row tested, then each row's verdict. */
static void judge(struct rs_check *c)
{
    double *p = rs_malloc((size_t)(c->n > 0 ? c->n : 1) * sizeof *p);
    for (int i = 0; i < c->n; i++) {
        const struct rs_check_entry *e = &c->e[i];
        /* rows already judged, and identical rows (p = 1 but no test) */
        p[i] =
            e->v == RS_CHECK_SAME && e->base_n > 0 && e->now_n > 0 && e->w.diff != 0 ? e->w.p : NAN;
    }
    rs_baseline_holm(p, c->n);
    for (int i = 0; i < c->n; i++) {
        struct rs_check_entry *e = &c->e[i];
        e->p_adj = p[i];
        if (e->v != RS_CHECK_SAME) continue;
        if (e->w.diff == 0)
            e->v = RS_CHECK_SAME;
        else if (!(fabs(e->w.diff) > e->tol_abs))
            e->v = RS_CHECK_WITHIN;
        else if (isnan(e->p_adj) || e->p_adj < c->alpha)
            e->v = RS_CHECK_MOVED; /* NaN: no test possible, the tolerance decides */
        else
            e->v = RS_CHECK_NOISE;
    }
    free(p);
}

int rs_check_run(struct rs_check *c, struct rs_scenario *const *sc, int n, struct rs_baseline *b,
                 int update, const struct rs_run_opts *opts, int *failed, struct rs_error *err)
{
    for (int i = 0; i < n; i++) {
        struct rs_run_opts o = *opts;
        o.replications = sc[i]->replications;
        o.seed = sc[i]->seed;
        if (o.progress) {
            char label[RS_NAME_MAX + 16];
            snprintf(label, sizeof label, "check %s", sc[i]->name);
            struct rs_progress p = {.what = RS_PROGRESS_RUN, .label = label};
            o.progress(o.progress_ctx, &p);
        }
        struct rs_results *res = NULL;
        int rc = rs_experiment_run(sc[i], &o, &res, err);
        if (rc) {
            *failed = i;
            return rc;
        }
        compare_rows(c, i, sc[i]->name, b, res);
        new_rows(c, i, sc[i]->name, b, res);
        if (update) rs_baseline_set(b, sc[i]->name, res);
        rs_results_destroy(res);
    }
    judge(c);
    return RS_OK;
}

void rs_check_counts(const struct rs_check *c, int si, int count[RS_CHECK_VERDICTS])
{
    memset(count, 0, RS_CHECK_VERDICTS * sizeof *count);
    for (int i = 0; i < c->n; i++)
        if (si < 0 || c->e[i].scenario == si) count[c->e[i].v]++;
}
