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
 * modelled.
 *
 * A roster (weekly, days_on or same_weekdays set) is what a person runs
 * every week.  Candidates start on a daily grid (the clock times of the
 * first day's starts, every step_s) on each weekday, and a candidate is an
 * agent-week: agents who work the same shift on the days of a working-day
 * pattern, one day (days_on = 0) or days_on days of the week with the
 * other days off, consecutive (5 on, 2 off: the classic days-off
 * scheduling covering model, 7 patterns) or any (any_days_off: C(7,
 * days_on) patterns).  Each is paid once a week (a shift over sunday
 * midnight too); the objective is the agent-hours (or, with a cost per
 * hour, the money) a week of the roster pays.  same_weekdays adds, for
 * every two weekdays whose need is the same interval by interval (and not
 * nil), that as many agents start each shift on the one as on the other.
 * min_on raises the need of every open interval to at least min_on agents
 * (in either model). */
#ifndef RS_SHIFTS_H
#define RS_SHIFTS_H

#include "replysim/error.h"

#include <stddef.h>
#include <stdio.h>

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
    /* Roster options; zero leaves each out (the model above). */
    int weekly;                /* 1: a roster that repeats every week (need[] is a week or more) */
    int days_on;               /* 1..7: days an agent works a week, same shift each day; 0: none */
    int any_days_off;          /* with days_on: 0 days off consecutive, 1 any days */
    int same_weekdays;         /* 1: weekdays with the same need get the same shift starts */
    int min_on;                /* at least this many agents on in every open interval */
    const unsigned char *open; /* [n] 1: open (min_on applies); NULL: intervals with need > 0 */
    double cost_per_hour;      /* of a paid agent-hour: > 0 the objective is money; 0: hours */
};

/* One shift of the plan: agents on weekday day from start_clock_s for
 * length_s, first at t_s after the run's start; in a roster with days_on,
 * the same agents on every weekday of days. */
struct rs_shifts_row {
    int day;              /* 0 = mon .. 6 = sun: the first of days */
    unsigned days;        /* bit d: on weekday d (1u << day but with days_on) */
    double start_clock_s; /* seconds after midnight, whole minutes */
    double length_s;
    double t_s; /* first start, seconds from t = 0 (in [0, 1 week)) */
    int agents; /* > 0 */
    int weeks;  /* times it is on during the horizon (1, more over a week); roster: 1 */
};

struct rs_shifts_plan {
    int n_rows;
    struct rs_shifts_row *rows; /* shifts with agents, by t_s then length */
    double paid_hours;          /* sum of agents x length x weeks, in hours; roster:
                                   paid_week_hours x the weeks the horizon touches */
    double paid_week_hours;     /* sum of agents x days x length: a week of the plan */
    double cost_per_week;       /* paid_week_hours x cost_per_hour; NaN: no cost given */
    int roster;                 /* 1: a weekly roster (weekly, days_on or same_weekdays) */
    int days_on;                /* the model's days_on (0: a row is one day's shift) */
    double need_hours;          /* sum of need[i] x interval length, in hours */
    int n_candidates;           /* integer variables of the model */
    int n_constraints;          /* intervals with need > 0 */
    int optimal;                /* 1: proven optimal; 0: the time limit hit first, or */
    int stalled;                /* 1: a roster's search stopped after 2000 nodes without
                                   a better plan (the same on any machine) */
    double bound_hours;         /* best lower bound on paid_hours */
    double solve_s;             /* wall time of the solve */
};

/* Solves the model of in into *out (free with rs_shifts_plan_free).  Returns
 * RS_OK (also when the time limit stopped the search with a solution:
 * out->optimal = 0), or RS_EINPUT with err saying why: a bad step or
 * length, or an interval with a need that no candidate covers wholly. */
int rs_shifts_solve(const struct rs_shifts_in *in, struct rs_shifts_plan *out,
                    struct rs_error *err);

/* A name for row r, unique within a plan and fit for a [shift NAME]
 * section: its days, start and length, "mon-0900-8h" (one day),
 * "sat-wed-0900-8h" (days on in a run, over sunday too) or
 * "mon_wed_fri-0900-8h". */
void rs_shifts_row_name(const struct rs_shifts_row *r, char *buf, size_t n);

/* Writes p as roster.csv: `shift,days,start,end,length,agents,paid_hours_week`,
 * one row per shift (start and length) and days, times as HH:MM (end the
 * clock time the shift ends, on a later day when length passes midnight),
 * days as in a scenario's [shift] days ("mon-fri, sun"), agents on each of
 * those days (with days_on, the same agents every day of the row).  Rows of
 * single days with the same shift and agents are merged.  RS_OK, or
 * RS_EIO with err filled. */
int rs_shifts_roster_csv(FILE *f, const struct rs_shifts_plan *p, struct rs_error *err);

/* Parses comma-separated shift lengths ("8h,6h,4h", repeats dropped) into
 * in->length_s and in->n_lengths: 0, or -1 with why filled. */
int rs_shifts_parse_lengths(const char *text, struct rs_shifts_in *in, char *why, size_t len);

/* Frees the rows of p (p itself is the caller's); NULL is fine. */
void rs_shifts_plan_free(struct rs_shifts_plan *p);

#endif
