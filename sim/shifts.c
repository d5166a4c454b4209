/* shifts.c: agents per interval turned into shifts, an exact set-covering
 * integer program solved with GLPK (see shifts.h for the model).
 *
 * Without the weekly wrap every column covers consecutive intervals, so the
 * constraint matrix is an interval matrix (totally unimodular) and the LP
 * relaxation is already integral; branch and bound is there for the wrap,
 * and to prove it.  A roster's agent-week columns (days_on) cover several
 * runs of intervals, and same_weekdays adds equality rows: there branch and
 * bound, with GLPK's cuts, does the work. */
#include "replysim/shifts.h"

#include "replysim/alloc.h"
#include "replysim/buf.h"
#include "replysim/csvout.h"
#include "replysim/scenario.h"
#include "replysim/units.h"
#include "scenario_int.h"

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
    if (in->days_on < 0 || in->days_on > 7)
        return rs_error_input(err, NULL, 0, "--days-on", "expected 1 to 7 days, got %d",
                              in->days_on);
    for (int k = 0; k < in->n_lengths && in->days_on > 1; k++)
        if (in->length_s[k] > DAY_S)
            return rs_error_input(err, NULL, 0, "--days-on",
                                  "expected shifts of at most 24h: an agent's shifts on two "
                                  "days would overlap");
    if (in->min_on < 0)
        return rs_error_input(err, NULL, 0, "--min-on", "expected agents >= 0, got %d", in->min_on);
    if (!(in->cost_per_hour >= 0) || !isfinite(in->cost_per_hour))
        return rs_error_input(err, NULL, 0, "--shift-cost-per-hour", "expected a cost >= 0");
    /* days compared interval by interval: intervals that tile each day */
    double off = in->start_day * DAY_S + in->start_clock_s;
    if (in->same_weekdays && (fmod(DAY_S, in->interval_s) != 0 || fmod(off, in->interval_s) != 0))
        return rs_error_input(err, NULL, 0, "--same-weekdays",
                              "expected intervals that divide a day and a run that starts on "
                              "one of their boundaries");
    return RS_OK;
}

/* ------------------------------------------------ candidates */

#define MAX_PATTERNS 35 /* C(7, 3) = C(7, 4): the most working-day patterns */

/* The candidates.  Without a roster, candidate c starts at
 * (c / n_lengths) step from t = 0.  In a roster it is (pattern, clock,
 * length), c = (p * n_clocks + k) * n_lengths + l: agents on the weekdays
 * of mask[p] from clock_s[k] (seconds after midnight) for length l. */
struct model {
    const struct rs_shifts_in *in;
    int roster;
    double off_s; /* week seconds of t = 0 */
    int n_cand;
    int n_patterns;
    unsigned mask[MAX_PATTERNS];
    int n_clocks;
    double *clock_s;
};

static int popcount7(unsigned m)
{
    int n = 0;
    for (int d = 0; d < 7; d++)
        n += (int)((m >> d) & 1u);
    return n;
}

/* Working-day patterns: single days, or days_on days with the others off
 * (consecutive, cyclically over the week, unless any_days_off). */
static void make_patterns(struct model *md)
{
    const struct rs_shifts_in *in = md->in;
    md->n_patterns = 0;
    if (in->days_on == 0) {
        for (int d = 0; d < 7; d++)
            md->mask[md->n_patterns++] = 1u << d;
        return;
    }
    for (unsigned m = 1; m < 128; m++) {
        if (popcount7(m) != in->days_on) continue;
        int runs = 0; /* runs of days on, cyclically */
        for (int d = 0; d < 7; d++)
            runs += ((m >> d) & 1u) && !((m >> ((d + 6) % 7)) & 1u);
        if (in->any_days_off || runs <= 1) md->mask[md->n_patterns++] = m;
    }
}

static double cand_start(const struct rs_shifts_in *in, int c)
{
    return (double)(c / in->n_lengths) * in->step_s;
}

static double cand_length(const struct rs_shifts_in *in, int c)
{
    return in->length_s[c % in->n_lengths];
}

static unsigned cand_mask(const struct model *md, int c)
{
    return md->mask[c / md->in->n_lengths / md->n_clocks];
}

static double cand_clock(const struct model *md, int c)
{
    return md->clock_s[c / md->in->n_lengths % md->n_clocks];
}

/* The roster's start on weekday d at clock, from t = 0 (any week). */
static double day_start(const struct model *md, int d, double clock)
{
    return d * DAY_S + clock - md->off_s;
}

/* 1 when candidate c is on for all of [a, b). */
static int cand_covers(const struct model *md, int c, double a, double b)
{
    double len = cand_length(md->in, c);
    if (!md->roster) return covers(cand_start(md->in, c), len, a, b);
    unsigned m = cand_mask(md, c);
    for (int d = 0; d < 7; d++)
        if (((m >> d) & 1u) && covers(day_start(md, d, cand_clock(md, c)), len, a, b)) return 1;
    return 0;
}

/* Hours a candidate's agent is paid: over the horizon, or a roster's week. */
static double cand_hours(const struct model *md, int c)
{
    double len = cand_length(md->in, c);
    if (md->roster) return popcount7(cand_mask(md, c)) * len / 3600;
    return occurrences(cand_start(md->in, c), len, md->in->horizon_s) * len / 3600;
}

/* The candidates of in: RS_OK or RS_EINPUT (too many). */
static int make_model(const struct rs_shifts_in *in, struct model *md, struct rs_error *err)
{
    memset(md, 0, sizeof *md);
    md->in = in;
    md->roster = in->weekly || in->days_on > 0 || in->same_weekdays;
    md->off_s = in->start_day * DAY_S + in->start_clock_s;
    long n;
    if (md->roster) {
        make_patterns(md);
        md->n_clocks = (int)ceil(DAY_S / in->step_s - 1e-9);
        if (md->n_clocks < 1) md->n_clocks = 1;
        n = (long)md->n_patterns * md->n_clocks;
    } else {
        /* starts over the horizon, at most one week of them */
        double span = in->horizon_s < RS_WEEK_S ? in->horizon_s : RS_WEEK_S;
        n = (long)ceil(span / in->step_s - 1e-9);
        if (n < 1) n = 1;
    }
    if (n * in->n_lengths > 1000000)
        return rs_error_input(err, NULL, 0, "--shift-starts",
                              "expected at most 1000000 candidate shifts, got %ld",
                              n * in->n_lengths);
    if (md->roster) {
        md->clock_s = rs_calloc((size_t)md->n_clocks, sizeof *md->clock_s);
        for (int k = 0; k < md->n_clocks; k++)
            md->clock_s[k] = fmod(in->start_clock_s + k * in->step_s, DAY_S);
    }
    md->n_cand = (int)n * in->n_lengths;
    return RS_OK;
}

/* The coverage matrix in GLPK's triplets (1-based): row row_of[i] of each
 * interval with a need, column c + 1 of each candidate; then, with
 * same_weekdays, one equality row per pair of like days, clock and length. */
struct matrix {
    int *row_of; /* [n] row of interval i, 0: no need */
    int n_rows;  /* all rows */
    int n_pairs; /* weekdays with the same need, pair[k][0] like pair[k][1] */
    int pair[6][2];
    size_t nz, cap;
    int *ia, *ja;
    double *ar;
};

/* The need of interval i with min_on: at least min_on where open. */
static int need_of(const struct rs_shifts_in *in, int i)
{
    int open = in->open ? in->open[i] != 0 : in->need[i] > 0;
    return open && in->need[i] < in->min_on ? in->min_on : in->need[i];
}

static void add_entry(struct matrix *m, int row, int col, double v)
{
    if (m->nz + 2 > m->cap) {
        m->cap = m->cap ? 2 * m->cap : 1024;
        m->ia = rs_reallocarray(m->ia, m->cap, sizeof *m->ia);
        m->ja = rs_reallocarray(m->ja, m->cap, sizeof *m->ja);
        m->ar = rs_reallocarray(m->ar, m->cap, sizeof *m->ar);
    }
    m->nz++;
    m->ia[m->nz] = row, m->ja[m->nz] = col, m->ar[m->nz] = v;
}

/* The need of weekday d, slot by slot of its intervals (the most over the
 * weeks of the horizon) into prof[]: 1, or 0 when some slot of the day is
 * outside the horizon. */
static int day_profile(const struct model *md, int d, int *prof)
{
    const struct rs_shifts_in *in = md->in;
    int slots = (int)lround(DAY_S / in->interval_s);
    long per_week = lround(RS_WEEK_S / in->interval_s);
    for (int j = 0; j < slots; j++) {
        double u = fmod(d * DAY_S + j * in->interval_s - md->off_s + 2 * RS_WEEK_S, RS_WEEK_S);
        long first = lround(u / in->interval_s);
        prof[j] = -1;
        for (long i = first; i < in->n; i += per_week)
            if (need_of(in, (int)i) > prof[j]) prof[j] = need_of(in, (int)i);
        if (prof[j] < 0) return 0;
    }
    return 1;
}

/* Pairs of weekdays with the same need (whole days in the horizon, some
 * need): each day paired with the first like it. */
static void like_days(const struct model *md, struct matrix *m)
{
    int slots = (int)lround(DAY_S / md->in->interval_s);
    int *prof = rs_calloc((size_t)(7 * slots), sizeof *prof), whole[7];
    for (int d = 0; d < 7; d++) {
        whole[d] = day_profile(md, d, prof + d * slots);
        int any = 0;
        for (int j = 0; j < slots; j++)
            any |= prof[d * slots + j] > 0;
        whole[d] &= any;
    }
    for (int d = 1; d < 7; d++)
        for (int e = 0; e < d && whole[d]; e++)
            if (whole[e] &&
                !memcmp(prof + d * slots, prof + e * slots, (size_t)slots * sizeof *prof)) {
                m->pair[m->n_pairs][0] = e, m->pair[m->n_pairs][1] = d;
                m->n_pairs++;
                break;
            }
    free(prof);
}

/* The equality rows of like days: agents starting at each clock and length
 * on day a, minus those on day b, are 0. */
static void like_rows(const struct model *md, struct matrix *m)
{
    int nl = md->in->n_lengths;
    for (int k = 0; k < m->n_pairs; k++)
        for (int q = 0; q < md->n_clocks * nl; q++) {
            int row = ++m->n_rows;
            for (int p = 0; p < md->n_patterns; p++) {
                int v = (int)((md->mask[p] >> m->pair[k][0]) & 1u) -
                        (int)((md->mask[p] >> m->pair[k][1]) & 1u);
                if (v) add_entry(m, row, p * md->n_clocks * nl + q + 1, v);
            }
        }
}

/* Fills m for the model's candidates: RS_OK, or RS_EINPUT when an interval
 * with a need is covered by no candidate. */
static int build_matrix(const struct model *md, struct matrix *m, struct rs_shifts_plan *out,
                        struct rs_error *err)
{
    const struct rs_shifts_in *in = md->in;
    m->row_of = rs_calloc((size_t)in->n + 1, sizeof *m->row_of);
    for (int i = 0; i < in->n; i++) {
        double a = i * in->interval_s, b = fmin(a + in->interval_s, in->horizon_s);
        out->need_hours += in->need[i] * (b - a) / 3600;
        m->row_of[i] = need_of(in, i) > 0 ? ++m->n_rows : 0;
    }
    int *covered = rs_calloc((size_t)in->n + 1, sizeof *covered);
    for (int c = 0; c < md->n_cand; c++)
        for (int i = 0; i < in->n; i++) {
            double a = i * in->interval_s, b = fmin(a + in->interval_s, in->horizon_s);
            if (!m->row_of[i] || !cand_covers(md, c, a, b)) continue;
            add_entry(m, m->row_of[i], c + 1, 1);
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
    if (!rc && in->same_weekdays && m->n_rows > 0) {
        like_days(md, m);
        like_rows(md, m);
    }
    return rc;
}

static void matrix_free(struct matrix *m)
{
    free(m->ia), free(m->ja), free(m->ar), free(m->row_of);
}

/* The integer program of m over the model's candidates, loaded into GLPK. */
static glp_prob *make_problem(const struct model *md, const struct matrix *m)
{
    const struct rs_shifts_in *in = md->in;
    double unit = in->cost_per_hour > 0 ? in->cost_per_hour : 1;
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_rows(lp, m->n_rows);
    int n_cover = 0;
    for (int i = 0; i < in->n; i++)
        if (m->row_of[i]) glp_set_row_bnds(lp, ++n_cover, GLP_LO, need_of(in, i), 0);
    for (int r = n_cover + 1; r <= m->n_rows; r++)
        glp_set_row_bnds(lp, r, GLP_FX, 0, 0);
    glp_add_cols(lp, md->n_cand);
    for (int c = 0; c < md->n_cand; c++) {
        glp_set_col_bnds(lp, c + 1, GLP_LO, 0, 0);
        glp_set_col_kind(lp, c + 1, GLP_IV);
        glp_set_obj_coef(lp, c + 1, cand_hours(md, c) * unit);
    }
    glp_load_matrix(lp, (int)m->nz, m->ia, m->ja, m->ar);
    return lp;
}

/* Branch and bound stops when this many nodes bring no better plan: GLPK
 * finds the optimum of a roster early but its bound closes slowly (CBC
 * proves in 0.05 s what GLPK had not proven in 400 s); nodes, unlike
 * seconds, give the same plan on any machine. */
#define STALL_NODES 2000

struct bnb {
    int have;     /* an integer plan found */
    int last;     /* nodes when it was found */
    double bound; /* best bound of the open nodes */
    int stalled;  /* stopped: STALL_NODES without a better plan */
};

static void on_tree(glp_tree *T, void *info)
{
    struct bnb *b = info;
    int active, current, total;
    glp_ios_tree_size(T, &active, &current, &total);
    if (glp_ios_reason(T) == GLP_IBINGO) {
        b->have = 1;
        b->last = total;
    } else if (glp_ios_reason(T) == GLP_ISELECT) {
        int best = glp_ios_best_node(T);
        if (best) b->bound = fmax(b->bound, glp_ios_node_bound(T, best));
        if (b->have && total - b->last > STALL_NODES) {
            b->stalled = 1;
            glp_ios_terminate(T);
        }
    }
}

/* The LP relaxation (its bound) and branch and bound: RS_OK (optimal, or
 * the time limit hit with a solution) or RS_EINPUT.  The bound is in the
 * objective's units (hours, or money with a cost). */
static int solve(const struct model *md, glp_prob *lp, struct rs_shifts_plan *out,
                 struct rs_error *err)
{
    const struct rs_shifts_in *in = md->in;
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
    struct bnb b = {.bound = out->bound_hours};
    if (md->roster) { /* not an interval matrix: cuts close the gap */
        iocp.gmi_cuts = iocp.mir_cuts = iocp.cov_cuts = GLP_ON;
        iocp.fp_heur = GLP_ON;
        iocp.cb_func = on_tree;
        iocp.cb_info = &b;
    }
    int mip_rc = glp_intopt(lp, &iocp);
    int status = glp_mip_status(lp);
    out->solve_s = now_s() - t_begin;
    out->stalled = b.stalled;
    if (b.bound > out->bound_hours) out->bound_hours = b.bound;
    int stopped = mip_rc == GLP_ETMLIM || (mip_rc == GLP_ESTOP && b.stalled);
    if (!((mip_rc == 0 && status == GLP_OPT) || (stopped && status == GLP_FEAS))) {
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

/* Where and when candidate c starts: its first weekday and clock time, and
 * its first start from t = 0 in [0, 1 week). */
static void cand_place(const struct model *md, int c, struct rs_shifts_row *r)
{
    const struct rs_shifts_in *in = md->in;
    if (!md->roster) {
        double t0 = cand_start(in, c), abs_s = md->off_s + t0;
        double day = floor(abs_s / DAY_S + 1e-12);
        r->day = (int)fmod(day, 7);
        r->days = 1u << r->day;
        r->start_clock_s = 60 * round((abs_s - day * DAY_S) / 60);
        r->t_s = t0;
        r->weeks = occurrences(t0, cand_length(in, c), in->horizon_s);
        return;
    }
    r->days = cand_mask(md, c);
    r->start_clock_s = 60 * round(cand_clock(md, c) / 60);
    r->t_s = RS_WEEK_S;
    for (int d = 6; d >= 0; d--) {
        if (!((r->days >> d) & 1u)) continue;
        r->day = d;
        double t = fmod(day_start(md, d, cand_clock(md, c)) + 2 * RS_WEEK_S, RS_WEEK_S);
        if (t < r->t_s) r->t_s = t;
    }
    r->weeks = 1;
}

static long gcd(long a, long b)
{
    while (b) {
        long t = a % b;
        a = b, b = t;
    }
    return a;
}

/* The hours a week of any roster of the model pays are whole multiples of
 * this: the greatest common divisor of the candidates' minutes a week. */
static double week_step_hours(const struct model *md)
{
    long g = 0;
    for (int c = 0; c < md->n_cand; c++)
        g = gcd(lround(cand_hours(md, c) * 60), g);
    return g > 0 ? (double)g / 60 : 1.0 / 60;
}

/* The shifts with agents in the solution of lp, and what they pay. */
static void read_plan(const struct model *md, glp_prob *lp, struct rs_shifts_plan *out)
{
    const struct rs_shifts_in *in = md->in;
    out->rows = rs_calloc((size_t)md->n_cand, sizeof *out->rows);
    for (int c = 0; c < md->n_cand; c++) {
        long x = lround(glp_mip_col_val(lp, c + 1));
        if (x <= 0) continue;
        struct rs_shifts_row *r = &out->rows[out->n_rows++];
        cand_place(md, c, r);
        r->length_s = cand_length(in, c);
        r->agents = (int)x;
        out->paid_week_hours += (double)x * popcount7(r->days) * r->length_s / 3600;
        if (!md->roster) out->paid_hours += (double)x * r->weeks * r->length_s / 3600;
    }
    double unit = in->cost_per_hour > 0 ? in->cost_per_hour : 1;
    out->bound_hours /= unit;
    if (md->roster) {
        /* a roster pays a whole multiple of the step g between plans: its
         * bound rounds up to one, and a plan on it is optimal */
        double g = week_step_hours(md);
        out->bound_hours = g * ceil(out->bound_hours / g - 1e-9);
        if (out->paid_week_hours <= out->bound_hours + 1e-9) out->optimal = 1;
        /* it runs, and is paid, every week the horizon touches */
        double weeks = fmax(1, ceil(in->horizon_s / RS_WEEK_S - 1e-9));
        out->paid_hours = out->paid_week_hours * weeks;
        out->bound_hours *= weeks;
    }
    if (out->optimal) out->bound_hours = out->paid_hours, out->stalled = 0;
}

int rs_shifts_solve(const struct rs_shifts_in *in, struct rs_shifts_plan *out, struct rs_error *err)
{
    memset(out, 0, sizeof *out);
    out->cost_per_week = NAN;
    out->days_on = in->days_on;
    int rc = check_input(in, err);
    struct model md;
    if (!rc) rc = make_model(in, &md, err);
    if (rc) return rc;
    out->n_candidates = md.n_cand;
    out->roster = md.roster;

    struct matrix m = {0};
    rc = build_matrix(&md, &m, out, err);
    out->n_constraints = m.n_rows;
    if (rc || m.n_rows == 0) {
        matrix_free(&m);
        free(md.clock_s);
        out->optimal = 1;
        if (!rc && in->cost_per_hour > 0) out->cost_per_week = 0;
        return rc;
    }
    glp_term_out(GLP_OFF);
    glp_prob *lp = make_problem(&md, &m);
    matrix_free(&m);
    rc = solve(&md, lp, out, err);
    if (!rc) read_plan(&md, lp, out);
    if (!rc && in->cost_per_hour > 0) out->cost_per_week = out->paid_week_hours * in->cost_per_hour;
    glp_delete_prob(lp);
    free(md.clock_s);
    return rc;
}

/* ------------------------------------------------ names and roster.csv */

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

void rs_shifts_row_name(const struct rs_shifts_row *r, char *buf, size_t n)
{
    char len[32], days[64];
    struct rs_buf b;
    rs_buf_fixed(&b, days, sizeof days);
    unsigned m = r->days ? r->days : 1u << r->day;
    /* runs of days on, each from a day whose eve is off (all 7: from mon) */
    for (int d = 0; d < 7; d++) {
        int on = (m >> d) & 1u, eve = (m >> ((d + 6) % 7)) & 1u;
        if (!on || (eve && m != 0x7f)) continue;
        if (m == 0x7f && d > 0) break;
        int e = d;
        while (((m >> ((e + 1) % 7)) & 1u) && (e + 1) % 7 != d)
            e = (e + 1) % 7;
        rs_buf_printf(&b, "%s%s", b.len ? "_" : "", day_names[d]);
        if (e != d) rs_buf_printf(&b, "-%s", day_names[e]);
    }
    long min = lround(r->start_clock_s / 60);
    rs_units_label_duration(r->length_s, len, sizeof len);
    snprintf(buf, n, "%s-%02ld%02ld-%s", days, min / 60, min % 60, len);
}

/* The roster's rows: the plan's, sorted by start, length and days; single
 * days of the same shift and agents merged (no days_on). */
struct roster_row {
    double start_s, length_s;
    unsigned days;
    int agents;
};

static int cmp_roster(const void *a, const void *b)
{
    const struct roster_row *x = a, *y = b;
    if (x->start_s != y->start_s) return x->start_s < y->start_s ? -1 : 1;
    if (x->length_s != y->length_s) return x->length_s < y->length_s ? -1 : 1;
    if (x->agents != y->agents) return x->agents > y->agents ? -1 : 1;
    /* days by their first weekday */
    unsigned lx = x->days & (~x->days + 1), ly = y->days & (~y->days + 1);
    return (lx > ly) - (lx < ly);
}

static int roster_rows(const struct rs_shifts_plan *p, struct roster_row *v)
{
    int n = 0;
    for (int k = 0; k < p->n_rows; k++) {
        const struct rs_shifts_row *r = &p->rows[k];
        unsigned days = r->days ? r->days : 1u << r->day;
        int merged = 0;
        for (int j = 0; j < n && p->days_on == 0 && !merged; j++)
            if (v[j].start_s == r->start_clock_s && v[j].length_s == r->length_s &&
                v[j].agents == r->agents && !(v[j].days & days)) {
                v[j].days |= days;
                merged = 1;
            }
        if (!merged) v[n++] = (struct roster_row){r->start_clock_s, r->length_s, days, r->agents};
    }
    if (n > 0) qsort(v, (size_t)n, sizeof *v, cmp_roster);
    return n;
}

static void put_clock(FILE *f, double s)
{
    long min = lround(fmod(s, DAY_S) / 60);
    fprintf(f, "%02ld:%02ld", min / 60, min % 60);
}

int rs_shifts_roster_csv(FILE *f, const struct rs_shifts_plan *p, struct rs_error *err)
{
    struct roster_row *v = rs_calloc((size_t)p->n_rows + 1, sizeof *v);
    int n = roster_rows(p, v);
    fputs("shift,days,start,end,length,agents,paid_hours_week\n", f);
    for (int k = 0; k < n; k++) {
        char days[64], len[32], name[64];
        struct rs_buf b;
        rs_buf_fixed(&b, days, sizeof days);
        rs_scn_put_days(NULL, NULL, &v[k].days, &b);
        rs_units_label_duration(v[k].length_s, len, sizeof len);
        long min = lround(v[k].start_s / 60);
        snprintf(name, sizeof name, "%02ld%02ld-%s", min / 60, min % 60, len);
        fprintf(f, "%s,", name);
        rs_csvout_field(f, days);
        fputc(',', f);
        put_clock(f, v[k].start_s);
        fputc(',', f);
        put_clock(f, v[k].start_s + v[k].length_s);
        rs_units_format_duration(v[k].length_s, len, sizeof len);
        fprintf(f, ",%s,%d,", len, v[k].agents);
        rs_csvout_number(f, (double)v[k].agents * popcount7(v[k].days) * v[k].length_s / 3600);
        fputc('\n', f);
    }
    free(v);
    if (ferror(f)) return rs_error_io(err, "roster.csv", "cannot write");
    return RS_OK;
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
