/* baseline.c: reading, updating and writing the baseline CSV of
 * `replysim check`, and the Welch test and Holm adjustment it uses. */
#include "replysim/baseline.h"

#include "replysim/alloc.h"
#include "replysim/csvin.h"
#include "replysim/csvout.h"
#include "replysim/report.h"
#include "replysim/units.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct rs_baseline *rs_baseline_create(const char *label)
{
    struct rs_baseline *b = rs_calloc(1, sizeof *b);
    snprintf(b->label, sizeof b->label, "%s", label);
    return b;
}

/* ------------------------------------------------------------- the index */

/* Two open-addressing hash tables of row numbers (-1: empty): by (scenario,
 * metric, scope) and by scenario alone, each holding the first row of its
 * key, so that reading and checking a baseline of n rows takes O(n), not
 * O(n^2) string comparisons. */
struct rs_baseline_index {
    int *by_key;    /* n_slots row numbers */
    int *by_scn;    /* n_slots row numbers */
    size_t n_slots; /* a power of two, more than twice n */
    int n;          /* rows indexed: rows[0..n) */
};

static uint64_t hash_str(uint64_t h, const char *s)
{
    for (; *s; s++) { /* FNV-1a */
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    h ^= 0xff; /* a separator no name holds */
    return h * 0x100000001b3ULL;
}

static uint64_t hash_scn(const char *scenario) { return hash_str(0xcbf29ce484222325ULL, scenario); }

static uint64_t hash_key(const char *scenario, const char *metric, const char *scope)
{
    return hash_str(hash_str(hash_scn(scenario), metric), scope);
}

static int same_key(const struct rs_baseline_row *r, const char *scenario, const char *metric,
                    const char *scope)
{
    return !strcmp(r->metric, metric) && !strcmp(r->scope, scope) && !strcmp(r->scenario, scenario);
}

/* The slot of key (metric NULL: by scenario) in table t: where its row is,
 * or the empty slot where it would go. */
static size_t probe(const struct rs_baseline *b, const int *t, const char *scenario,
                    const char *metric, const char *scope)
{
    size_t mask = b->index->n_slots - 1;
    size_t i = (size_t)(metric ? hash_key(scenario, metric, scope) : hash_scn(scenario)) & mask;
    for (; t[i] >= 0; i = (i + 1) & mask) {
        const struct rs_baseline_row *r = &b->rows[t[i]];
        if (metric ? same_key(r, scenario, metric, scope) : !strcmp(r->scenario, scenario))
            return i;
    }
    return i;
}

/* Adds row i (the next one) to the index, growing it as needed. */
static void index_add(struct rs_baseline *b, int i);

static void index_clear(struct rs_baseline *b)
{
    if (!b->index) return;
    free(b->index->by_key);
    free(b->index->by_scn);
    free(b->index);
    b->index = NULL;
}

/* An empty index with room for n rows. */
static void index_reset(struct rs_baseline *b, int n)
{
    index_clear(b);
    size_t slots = 16;
    while (slots <= 2 * (size_t)n)
        slots *= 2;
    struct rs_baseline_index *x = rs_calloc(1, sizeof *x);
    x->n_slots = slots;
    x->by_key = rs_reallocarray(NULL, slots, sizeof *x->by_key);
    x->by_scn = rs_reallocarray(NULL, slots, sizeof *x->by_scn);
    memset(x->by_key, 0xff, slots * sizeof *x->by_key); /* all -1 */
    memset(x->by_scn, 0xff, slots * sizeof *x->by_scn);
    b->index = x;
}

static void index_add(struct rs_baseline *b, int i)
{
    if (2 * (size_t)(b->index->n + 1) >= b->index->n_slots) { /* grow: index every row again */
        int n = b->index->n;
        index_reset(b, 2 * n + 2);
        for (int j = 0; j < n; j++)
            index_add(b, j);
    }
    const struct rs_baseline_row *r = &b->rows[i];
    struct rs_baseline_index *x = b->index;
    size_t k = probe(b, x->by_key, r->scenario, r->metric, r->scope);
    if (x->by_key[k] < 0) x->by_key[k] = i;
    size_t s = probe(b, x->by_scn, r->scenario, NULL, NULL);
    if (x->by_scn[s] < 0) x->by_scn[s] = i;
    x->n++;
}

/* Indexes every row again (after rows were removed). */
static void index_build(struct rs_baseline *b)
{
    index_reset(b, b->n_rows);
    for (int i = 0; i < b->n_rows; i++)
        index_add(b, i);
}

void rs_baseline_destroy(struct rs_baseline *b)
{
    if (!b) return;
    index_clear(b);
    free(b->rows);
    free(b);
}

static struct rs_baseline_row *add_row(struct rs_baseline *b)
{
    if (b->n_rows == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 256;
        b->rows = rs_reallocarray(b->rows, (size_t)b->cap, sizeof *b->rows);
    }
    struct rs_baseline_row *r = &b->rows[b->n_rows++];
    memset(r, 0, sizeof *r);
    return r;
}

/* ------------------------------------------------------------- reading */

enum { C_SCENARIO, C_METRIC, C_SCOPE, C_MEAN, C_SD, C_N, C_SEED, C_REPS, C_VERSION, N_COLS };
static const char *const column[N_COLS] = {"scenario", "metric", "scope",        "mean",   "sd",
                                           "n",        "seed",   "replications", "version"};

static int copy_name(const struct rs_csvin *c, int row, int col, char *dst, size_t cap,
                     struct rs_error *err)
{
    const char *s = c->rows[row].cells[col];
    if (!s[0]) return rs_csvin_fail(err, c, row, column[col], "expected a name, got nothing");
    if (strlen(s) >= cap)
        return rs_csvin_fail(err, c, row, column[col], "expected at most %d characters",
                             (int)cap - 1);
    /* names are printed in check's report: no control codes reach a terminal */
    char shown[4 * RS_BASELINE_METRIC_MAX];
    rs_error_escape(s, shown, sizeof shown);
    if (strcmp(shown, s) != 0)
        return rs_csvin_fail(err, c, row, column[col],
                             "expected text without control characters, got \"%s\"", s);
    memcpy(dst, s, strlen(s) + 1);
    return RS_OK;
}

/* An optional number: empty is NaN. */
static int cell_number(const struct rs_csvin *c, int row, int col, double *out,
                       struct rs_error *err)
{
    const char *s = c->rows[row].cells[col];
    char why[256];
    if (!s[0]) {
        *out = NAN;
        return RS_OK;
    }
    if (rs_units_number(s, out, why, sizeof why))
        return rs_csvin_fail(err, c, row, column[col], "%s", why);
    return RS_OK;
}

static int parse_row(const struct rs_csvin *c, int i, struct rs_baseline_row *r,
                     struct rs_error *err)
{
    char **cell = c->rows[i].cells;
    char why[256];
    long v;
    r->line = c->rows[i].line;
    if (copy_name(c, i, C_SCENARIO, r->scenario, sizeof r->scenario, err) ||
        copy_name(c, i, C_METRIC, r->metric, sizeof r->metric, err) ||
        copy_name(c, i, C_SCOPE, r->scope, sizeof r->scope, err) ||
        copy_name(c, i, C_VERSION, r->version, sizeof r->version, err) ||
        cell_number(c, i, C_MEAN, &r->mean, err) || cell_number(c, i, C_SD, &r->sd, err))
        return RS_EINPUT;
    if (rs_units_int(cell[C_REPS], 1, RS_BASELINE_MAX_REPLICATIONS, &v, why, sizeof why))
        return rs_csvin_fail(err, c, i, column[C_REPS], "%s", why);
    r->replications = (int)v;
    if (rs_units_int(cell[C_N], 0, r->replications, &v, why, sizeof why))
        return rs_csvin_fail(err, c, i, column[C_N], "%s (at most replications)", why);
    r->n = (int)v;
    if (rs_units_seed(cell[C_SEED], &r->seed))
        return rs_csvin_fail(
            err, c, i, column[C_SEED],
            "expected a whole number from 0 to 18446744073709551615, got \"%.40s\"", cell[C_SEED]);
    if (isnan(r->mean) != (r->n == 0))
        return rs_csvin_fail(err, c, i, column[C_MEAN],
                             r->n ? "expected a number when n > 0"
                                  : "expected an empty field when n = 0");
    if (!isnan(r->sd) && (r->sd < 0 || r->n < 2))
        return rs_csvin_fail(err, c, i, column[C_SD],
                             r->n < 2 ? "expected an empty field when n < 2"
                                      : "expected a number >= 0");
    if (isnan(r->sd) && r->n >= 2)
        return rs_csvin_fail(err, c, i, column[C_SD], "expected a number when n >= 2");
    return RS_OK;
}

int rs_baseline_read(const char *path, const char *label, struct rs_baseline **out,
                     struct rs_error *err)
{
    struct rs_csvin *c = NULL;
    int rc = rs_csvin_read(path, label, &c, err);
    if (rc) return rc;
    if (c->n_rows == 0 || c->n_cols != N_COLS) {
        rc = rs_error_input(err, label, 1, NULL, "expected the header %s", RS_BASELINE_HEADER);
        rs_csvin_destroy(c);
        return rc;
    }
    for (int k = 0; k < N_COLS; k++)
        if (strcmp(c->rows[0].cells[k], column[k])) {
            rc = rs_error_input(err, label, c->rows[0].line, NULL,
                                "expected the header %s, got \"%.40s\" in column %d",
                                RS_BASELINE_HEADER, c->rows[0].cells[k], k + 1);
            rs_csvin_destroy(c);
            return rc;
        }
    struct rs_baseline *b = rs_baseline_create(label);
    index_reset(b, c->n_rows);
    for (int i = 1; i < c->n_rows && !rc; i++) {
        struct rs_baseline_row *r = add_row(b);
        rc = parse_row(c, i, r, err);
        if (rc) break;
        b->n_rows--; /* not yet: look for an earlier row of the same key or scenario */
        const struct rs_baseline_row *first = rs_baseline_scenario(b, r->scenario);
        if (first && (first->seed != r->seed || first->replications != r->replications))
            rc = rs_csvin_fail(err, c, i, first->seed != r->seed ? "seed" : "replications",
                               "expected the same seed and replications on every row of "
                               "scenario %s (as on line %d)",
                               r->scenario, first->line);
        const struct rs_baseline_row *dup =
            rc ? NULL : rs_baseline_find(b, r->scenario, r->metric, r->scope);
        if (dup)
            rc = rs_csvin_fail(err, c, i, NULL,
                               "expected one row per scenario, metric and scope; %s,%s,%s is "
                               "also on line %d",
                               r->scenario, r->metric, r->scope, dup->line);
        b->n_rows++;
        if (!rc) index_add(b, b->n_rows - 1);
    }
    rs_csvin_destroy(c);
    if (rc) {
        rs_baseline_destroy(b);
        return rc;
    }
    *out = b;
    return RS_OK;
}

/* ------------------------------------------------------------- lookup */

/* Whether the index holds exactly the rows (else a linear search). */
static int indexed(const struct rs_baseline *b) { return b->index && b->index->n == b->n_rows; }

const struct rs_baseline_row *rs_baseline_find(const struct rs_baseline *b, const char *scenario,
                                               const char *metric, const char *scope)
{
    if (indexed(b)) {
        int i = b->index->by_key[probe(b, b->index->by_key, scenario, metric, scope)];
        return i >= 0 ? &b->rows[i] : NULL;
    }
    for (int i = 0; i < b->n_rows; i++)
        if (same_key(&b->rows[i], scenario, metric, scope)) return &b->rows[i];
    return NULL;
}

const struct rs_baseline_row *rs_baseline_scenario(const struct rs_baseline *b,
                                                   const char *scenario)
{
    if (indexed(b)) {
        int i = b->index->by_scn[probe(b, b->index->by_scn, scenario, NULL, NULL)];
        return i >= 0 ? &b->rows[i] : NULL;
    }
    for (int i = 0; i < b->n_rows; i++)
        if (!strcmp(b->rows[i].scenario, scenario)) return &b->rows[i];
    return NULL;
}

/* ------------------------------------------------------------- updating */

void rs_baseline_set(struct rs_baseline *b, const char *scenario, const struct rs_results *res)
{
    int k = 0;
    for (int i = 0; i < b->n_rows; i++)
        if (strcmp(b->rows[i].scenario, scenario)) b->rows[k++] = b->rows[i];
    b->n_rows = k;
    for (int m = 0; m < rs_results_n_metrics(res); m++)
        for (int s = 0; s < rs_results_n_scopes(res); s++) {
            struct rs_summary sum;
            rs_results_summary(res, m, s, &sum);
            if (sum.n == 0 && s > 0) continue; /* as summary.csv */
            struct rs_baseline_row *r = add_row(b);
            snprintf(r->scenario, sizeof r->scenario, "%s", scenario);
            snprintf(r->metric, sizeof r->metric, "%s", rs_results_metric_name(res, m));
            snprintf(r->scope, sizeof r->scope, "%s", rs_results_scope_name(res, s));
            r->mean = sum.n ? sum.mean : NAN;
            r->sd = sum.n >= 2 ? sum.sd : NAN;
            r->n = sum.n;
            r->seed = rs_results_seed(res);
            r->replications = rs_results_replications(res);
            snprintf(r->version, sizeof r->version, "%s", RS_VERSION);
        }
    index_build(b);
}

/* ------------------------------------------------------------- writing */

struct order {
    const struct rs_baseline_row *row;
    int index;
};

static int by_scenario(const void *pa, const void *pb)
{
    const struct order *a = pa, *b = pb;
    int c = strcmp(a->row->scenario, b->row->scenario);
    if (c) return c;
    return (a->index > b->index) - (a->index < b->index);
}

void rs_baseline_write(FILE *f, const struct rs_baseline *b)
{
    fputs(RS_BASELINE_HEADER "\n", f);
    if (b->n_rows == 0) return;
    struct order *o = rs_malloc((size_t)b->n_rows * sizeof *o + 1);
    for (int i = 0; i < b->n_rows; i++)
        o[i] = (struct order){&b->rows[i], i};
    qsort(o, (size_t)b->n_rows, sizeof *o, by_scenario);
    for (int i = 0; i < b->n_rows; i++) {
        const struct rs_baseline_row *r = o[i].row;
        rs_csvout_field(f, r->scenario);
        fputc(',', f);
        rs_csvout_field(f, r->metric);
        fputc(',', f);
        rs_csvout_field(f, r->scope);
        fputc(',', f);
        rs_csvout_number(f, r->mean);
        fputc(',', f);
        rs_csvout_number(f, r->sd);
        fprintf(f, ",%d,%llu,%d,", r->n, (unsigned long long)r->seed, r->replications);
        rs_csvout_field(f, r->version);
        fputc('\n', f);
    }
    free(o);
}

/* ------------------------------------------------------------- statistics */

static int put_baseline(FILE *f, const void *b, struct rs_error *err)
{
    (void)err;
    rs_baseline_write(f, b);
    return RS_OK;
}

int rs_baseline_save(const char *path, const struct rs_baseline *b, struct rs_error *err)
{
    const struct rs_report_entry file = {path, put_baseline, b};
    return rs_report_write_file(path, &file, err);
}

void rs_baseline_welch(double base_mean, double base_sd, int base_n, double now_mean, double now_sd,
                       int now_n, struct rs_welch *out)
{
    out->diff = now_mean - base_mean;
    out->se = out->t = out->df = out->p = NAN;
    if (isnan(out->diff) || base_n < 1 || now_n < 1) return;
    int borrowed = 0; /* 1: one side's sd is the other's */
    if (base_n < 2 || isnan(base_sd)) base_sd = now_sd, borrowed = 1;
    if (now_n < 2 || isnan(now_sd)) now_sd = base_sd, borrowed = 1;
    if (isnan(base_sd)) return; /* one replication each: nothing to judge noise by */
    double vb = base_sd * base_sd / base_n, vn = now_sd * now_sd / now_n;
    out->se = sqrt(vb + vn);
    if (out->se == 0) {
        out->t = out->diff == 0 ? 0 : copysign(INFINITY, out->diff);
        out->df = INFINITY;
        out->p = out->diff == 0 ? 1 : 0;
        return;
    }
    if (borrowed) {
        /* one variance estimated from one side: a plain t with its df */
        out->df = (base_n > now_n ? base_n : now_n) - 1;
    } else {
        /* Welch-Satterthwaite */
        double db = vb * vb / (base_n - 1), dn = vn * vn / (now_n - 1);
        out->df = (vb + vn) * (vb + vn) / (db + dn);
    }
    out->t = out->diff / out->se;
    out->p = 2 * gsl_cdf_tdist_Q(fabs(out->t), out->df);
    if (out->p > 1) out->p = 1;
}

struct ranked {
    double p;
    int index;
};

static int by_p(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;
    if (a->p != b->p) return a->p < b->p ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

void rs_baseline_holm(double *p, int n)
{
    struct ranked *r = rs_malloc((size_t)(n > 0 ? n : 1) * sizeof *r);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(p[i])) r[m++] = (struct ranked){p[i], i};
    qsort(r, (size_t)m, sizeof *r, by_p);
    double running = 0;
    for (int k = 0; k < m; k++) {
        double adj = (double)(m - k) * r[k].p;
        if (adj > 1) adj = 1;
        if (adj < running) adj = running; /* adjusted values never decrease */
        running = adj;
        p[r[k].index] = adj;
    }
    free(r);
}
