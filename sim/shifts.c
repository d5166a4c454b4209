/* shifts.c: agents per interval turned into shifts, an exact set-covering
 * integer program solved with GLPK (see shifts.h for the model).
 *
 * Without the weekly wrap every column covers consecutive intervals, so the
 * constraint matrix is an interval matrix (totally unimodular) and the LP
 * relaxation is already integral; branch and bound is there for the wrap,
 * and to prove it. */
#include "replysim/shifts.h"

#include "replysim/alloc.h"
#include "replysim/scenario.h"
#include "replysim/units.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY_S 86400.0
#define EPS_S 1e-6

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int whole_minutes(double s) { return fabs(s / 60 - round(s / 60)) < 1e-9; }

/* 1 when a shift starting at t0 (and every week before and after) for len
 * is on for all of [a, b). */
static int covers(double t0, double len, double a, double b)
{
    long m_lo = (long)ceil((b - len - t0 - EPS_S) / RS_WEEK_S);
    long m_hi = (long)floor((a - t0 + EPS_S) / RS_WEEK_S);
    return m_lo <= m_hi;
}

/* The weeks in which a shift starting at t0 for len is on during [0, h):
 * every one is paid in full. */
static int occurrences(double t0, double len, double h)
{
    long m_lo = (long)floor((-len - t0) / RS_WEEK_S) + 1; /* t0 + m W + len > 0 */
    long m_hi = (long)ceil((h - t0) / RS_WEEK_S) - 1;     /* t0 + m W < h */
    while (t0 + (double)m_lo * RS_WEEK_S + len <= 0)
        m_lo++;
    while (t0 + (double)m_hi * RS_WEEK_S >= h)
        m_hi--;
    return m_hi >= m_lo ? (int)(m_hi - m_lo + 1) : 0;
}

/* The model's input, checked: RS_OK or RS_EINPUT. */
static int check_input(const struct rs_shifts_in *in, struct rs_error *err)
{
    char d[64];
    if (!(in->step_s > 0) || !whole_minutes(in->step_s))
        return rs_error_input(err, NULL, 0, "--shift-starts",
                              "expected a step of whole minutes above 0 such as 1h");
    if (in->n_lengths < 1 || in->n_lengths > RS_SHIFTS_MAX_LENGTHS)
        return rs_error_input(err, NULL, 0, "--shifts", "expected 1 to %d shift lengths",
                              RS_SHIFTS_MAX_LENGTHS);
    for (int k = 0; k < in->n_lengths; k++) {
        double len = in->length_s[k];
        if (!(len > 0) || len > RS_WEEK_S || !whole_minutes(len)) {
            rs_units_format_duration(len, d, sizeof d);
            return rs_error_input(err, NULL, 0, "--shifts",
                                  "expected lengths of whole minutes above 0 and at most 1w, "
                                  "got %s",
                                  d);
        }
    }
    if (!whole_minutes(in->start_clock_s))
        return rs_error_input(err, NULL, 0, "--shifts",
                              "the run starts off a whole minute: shifts start on HH:MM");
    return RS_OK;
}

/* The coverage matrix in GLPK's triplets (1-based): row row_of[i] of each
 * interval with a need, column c + 1 of each candidate. */
struct matrix {
    int *row_of; /* [n] row of interval i, 0: no need */
    int n_rows;
    size_t nz, cap;
    int *ia, *ja;
    double *ar;
};

static double cand_start(const struct rs_shifts_in *in, int c)
{
    return (double)(c / in->n_lengths) * in->step_s;
}

static double cand_length(const struct rs_shifts_in *in, int c)
{
    return in->length_s[c % in->n_lengths];
}

/* Fills m for n_cand candidates: RS_OK, or RS_EINPUT when an interval with
 * a need is covered by no candidate. */
static int build_matrix(const struct rs_shifts_in *in, int n_cand, struct matrix *m,
                        struct rs_shifts_plan *out, struct rs_error *err)
{
    m->row_of = rs_calloc((size_t)in->n + 1, sizeof *m->row_of);
    for (int i = 0; i < in->n; i++) {
        double a = i * in->interval_s, b = fmin(a + in->interval_s, in->horizon_s);
        out->need_hours += in->need[i] * (b - a) / 3600;
        m->row_of[i] = in->need[i] > 0 ? ++m->n_rows : 0;
    }
    m->cap = 1024;
    m->ia = rs_calloc(m->cap, sizeof *m->ia);
    m->ja = rs_calloc(m->cap, sizeof *m->ja);
    m->ar = rs_calloc(m->cap, sizeof *m->ar);
    int *covered = rs_calloc((size_t)in->n + 1, sizeof *covered);
    for (int c = 0; c < n_cand; c++)
        for (int i = 0; i < in->n; i++) {
            double a = i * in->interval_s, b = fmin(a + in->interval_s, in->horizon_s);
            if (!m->row_of[i] || !covers(cand_start(in, c), cand_length(in, c), a, b)) continue;
            if (m->nz + 2 > m->cap) {
                m->cap *= 2;
                m->ia = rs_reallocarray(m->ia, m->cap, sizeof *m->ia);
                m->ja = rs_reallocarray(m->ja, m->cap, sizeof *m->ja);
                m->ar = rs_reallocarray(m->ar, m->cap, sizeof *m->ar);
            }
            m->nz++;
            m->ia[m->nz] = m->row_of[i], m->ja[m->nz] = c + 1, m->ar[m->nz] = 1;
            covered[i] = 1;
        }
    int rc = RS_OK;
    for (int i = 0; i < in->n && !rc; i++)
        if (m->row_of[i] && !covered[i]) {
            char d[64];
            rs_units_format_duration(i * in->interval_s, d, sizeof d);
            rc = rs_error_input(err, NULL, 0, "--shifts",
                                "no shift of these lengths starting every --shift-starts step "
                                "covers the whole interval at %s: expected lengths of at least "
                                "the interval",
                                d);
        }
    free(covered);
    return rc;
}

static void matrix_free(struct matrix *m)
{
    free(m->ia), free(m->ja), free(m->ar), free(m->row_of);
}

/* The integer program of m over n_cand candidates, loaded into GLPK. */
static glp_prob *make_problem(const struct rs_shifts_in *in, int n_cand, const struct matrix *m)
{
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_rows(lp, m->n_rows);
    for (int i = 0; i < in->n; i++)
        if (m->row_of[i]) glp_set_row_bnds(lp, m->row_of[i], GLP_LO, in->need[i], 0);
    glp_add_cols(lp, n_cand);
    for (int c = 0; c < n_cand; c++) {
        double len = cand_length(in, c);
        glp_set_col_bnds(lp, c + 1, GLP_LO, 0, 0);
        glp_set_col_kind(lp, c + 1, GLP_IV);
        glp_set_obj_coef(lp, c + 1,
                         occurrences(cand_start(in, c), len, in->horizon_s) * len / 3600);
    }
    glp_load_matrix(lp, (int)m->nz, m->ia, m->ja, m->ar);
    return lp;
}

/* The LP relaxation (its bound) and branch and bound: RS_OK (optimal, or
 * the time limit hit with a solution) or RS_EINPUT. */
static int solve(const struct rs_shifts_in *in, glp_prob *lp, struct rs_shifts_plan *out,
                 struct rs_error *err)
{
    double t_begin = now_s();
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.presolve = GLP_ON;
    int lp_rc = glp_simplex(lp, &smcp);
    if (lp_rc != 0 || glp_get_status(lp) != GLP_OPT)
        return rs_error_input(err, NULL, 0, "--shifts", "the LP relaxation failed (GLPK %d)",
                              lp_rc);
    out->bound_hours = glp_get_obj_val(lp);
    glp_iocp iocp;
    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.mip_gap = 0;
    iocp.tm_lim = (int)fmin(in->time_limit_s * 1000, 2e9);
    int mip_rc = glp_intopt(lp, &iocp);
    int status = glp_mip_status(lp);
    out->solve_s = now_s() - t_begin;
    if (!((mip_rc == 0 && status == GLP_OPT) || (mip_rc == GLP_ETMLIM && status == GLP_FEAS))) {
        if (mip_rc == GLP_ETMLIM)
            return rs_error_input(err, NULL, 0, "--shifts",
                                  "no integer solution within the time limit of %gs",
                                  in->time_limit_s);
        return rs_error_input(err, NULL, 0, "--shifts", "GLPK failed (%d, status %d)", mip_rc,
                              status);
    }
    out->optimal = status == GLP_OPT;
    return RS_OK;
}

/* The shifts with agents in the solution of lp. */
static void read_plan(const struct rs_shifts_in *in, int n_cand, glp_prob *lp,
                      struct rs_shifts_plan *out)
{
    out->rows = rs_calloc((size_t)n_cand, sizeof *out->rows);
    for (int c = 0; c < n_cand; c++) {
        long x = lround(glp_mip_col_val(lp, c + 1));
        if (x <= 0) continue;
        double t0 = cand_start(in, c);
        double abs_s = in->start_day * DAY_S + in->start_clock_s + t0;
        double day = floor(abs_s / DAY_S + 1e-12);
        struct rs_shifts_row *r = &out->rows[out->n_rows++];
        r->day = (int)fmod(day, 7);
        r->start_clock_s = 60 * round((abs_s - day * DAY_S) / 60);
        r->length_s = cand_length(in, c);
        r->t_s = t0;
        r->agents = (int)x;
        r->weeks = occurrences(t0, r->length_s, in->horizon_s);
        out->paid_hours += (double)x * r->weeks * r->length_s / 3600;
    }
    if (out->optimal) out->bound_hours = out->paid_hours;
}

int rs_shifts_solve(const struct rs_shifts_in *in, struct rs_shifts_plan *out, struct rs_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = check_input(in, err);
    if (rc) return rc;

    /* candidates: starts over the horizon, at most one week of them */
    double span = in->horizon_s < RS_WEEK_S ? in->horizon_s : RS_WEEK_S;
    long n_starts = (long)ceil(span / in->step_s - 1e-9);
    if (n_starts < 1) n_starts = 1;
    if (n_starts * in->n_lengths > 1000000)
        return rs_error_input(err, NULL, 0, "--shift-starts",
                              "expected at most 1000000 candidate shifts, got %ld",
                              n_starts * in->n_lengths);
    int n_cand = (int)n_starts * in->n_lengths;
    out->n_candidates = n_cand;

    struct matrix m = {0};
    rc = build_matrix(in, n_cand, &m, out, err);
    out->n_constraints = m.n_rows;
    if (rc || m.n_rows == 0) {
        matrix_free(&m);
        out->optimal = 1;
        return rc;
    }
    glp_term_out(GLP_OFF);
    glp_prob *lp = make_problem(in, n_cand, &m);
    matrix_free(&m);
    rc = solve(in, lp, out, err);
    if (!rc) read_plan(in, n_cand, lp, out);
    glp_delete_prob(lp);
    return rc;
}

void rs_shifts_plan_free(struct rs_shifts_plan *p)
{
    if (!p) return;
    free(p->rows);
    p->rows = NULL;
    p->n_rows = 0;
}

int rs_shifts_parse_lengths(const char *text, struct rs_shifts_in *in, char *why, size_t len)
{
    in->n_lengths = 0;
    for (const char *p = text;;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char item[64];
        double s;
        if (n >= sizeof item) n = sizeof item - 1;
        memcpy(item, p, n);
        item[n] = '\0';
        if (rs_units_duration(item, &s, why, len)) return -1;
        if (!(s > 0) || s > RS_WEEK_S || fabs(s / 60 - round(s / 60)) > 1e-9) {
            rs_error_why(why, len,
                         "expected shift lengths of whole minutes above 0 and at most 1w such "
                         "as 8h,6h,4h, got \"%s\"",
                         item);
            return -1;
        }
        int seen = 0;
        for (int k = 0; k < in->n_lengths; k++)
            seen |= in->length_s[k] == s;
        if (!seen) {
            if (in->n_lengths == RS_SHIFTS_MAX_LENGTHS) {
                rs_error_why(why, len, "expected at most %d shift lengths", RS_SHIFTS_MAX_LENGTHS);
                return -1;
            }
            in->length_s[in->n_lengths++] = s;
        }
        if (!e) return 0;
        p = e + 1;
    }
}
