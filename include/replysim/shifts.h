/* shifts.h: agents per interval turned into shifts by an exact integer
 * program (set covering, solved with GLPK; docs/scenario-reference.md section 9, `staff --shifts`).
 *
 * Candidate shifts start every step_s from the run's start (t = 0) over the
 * horizon, at most one week of starts, with each of the given lengths.  A
 * candidate is the [shift] section `days = WEEKDAY, start = HH:MM, length =
 * L`, so like one it recurs every week (a horizon over a week sees it again;
 * a week-long horizon sees sunday's late shift also before t = 0).  The model
 * chooses x_s >= 0 whole agents per candidate, minimising the paid
 * agent-hours sum x_s L w_s (w_s: the weeks it is on during the horizon,
 * each paid in full), such that in every interval i the candidates that
 * cover it wholly hold at least need[i] agents.  A shift may run past the
 * horizon: it is paid in full and works on into the drain.  Breaks are not
 * modelled. */
#ifndef RS_SHIFTS_H
#define RS_SHIFTS_H

#include "replysim/error.h"

#include <stddef.h>

#define RS_SHIFTS_MAX_LENGTHS 16

struct rs_shifts_in {
    int n;                                  /* intervals */
    const int *need;                        /* agents required per interval (>= 0) */
    double interval_s;                      /* width of an interval */
    double horizon_s;                       /* end of the last interval, which may be short */
    int start_day;                          /* weekday of t = 0: 0 = mon .. 6 = sun */
    double start_clock_s;                   /* clock time of t = 0, seconds after midnight */
    int n_lengths;                          /* 1 .. RS_SHIFTS_MAX_LENGTHS */
    double length_s[RS_SHIFTS_MAX_LENGTHS]; /* shift lengths, whole minutes, at most 1 week */
    double step_s;                          /* starts every step_s from t = 0, whole minutes */
    double time_limit_s;                    /* of the branch and bound (> 0) */
};

/* One shift of the plan: agents on weekday day from start_clock_s for
 * length_s, first at t_s after the run's start. */
struct rs_shifts_row {
    int day;              /* 0 = mon .. 6 = sun */
    double start_clock_s; /* seconds after midnight, whole minutes */
    double length_s;
    double t_s; /* first start, seconds from t = 0 (in [0, 1 week)) */
    int agents; /* > 0 */
    int weeks;  /* times it is on during the horizon (1, more over a week) */
};

struct rs_shifts_plan {
    int n_rows;
    struct rs_shifts_row *rows; /* shifts with agents, by t_s then length */
    double paid_hours;          /* sum of agents x length x weeks, in hours */
    double need_hours;          /* sum of need[i] x interval length, in hours */
    int n_candidates;           /* integer variables of the model */
    int n_constraints;          /* intervals with need > 0 */
    int optimal;                /* 1: proven optimal; 0: the time limit hit first */
    double bound_hours;         /* best lower bound on paid_hours */
    double solve_s;             /* wall time of the solve */
};

/* Solves the model of in into *out (free with rs_shifts_plan_free).  Returns
 * RS_OK (also when the time limit stopped the search with a solution:
 * out->optimal = 0), or RS_EINPUT with err saying why: a bad step or
 * length, or an interval with a need that no candidate covers wholly. */
int rs_shifts_solve(const struct rs_shifts_in *in, struct rs_shifts_plan *out,
                    struct rs_error *err);

/* Parses comma-separated shift lengths ("8h,6h,4h", repeats dropped) into
 * in->length_s and in->n_lengths: 0, or -1 with why filled. */
int rs_shifts_parse_lengths(const char *text, struct rs_shifts_in *in, char *why, size_t len);

/* Frees the rows of p (p itself is the caller's); NULL is fine. */
void rs_shifts_plan_free(struct rs_shifts_plan *p);

#endif
