/* staff_int.h: the state of one staffing search (staff.h), shared by its
 * parts: staff.c (the search and its verification), staff_judge.c (the
 * figures and the judging rule) and staff_write.c (the files). */
#ifndef RS_STAFF_INT_H
#define RS_STAFF_INT_H

#include "replysim/experiment.h"
#include "replysim/staff.h"

/* One target's figure in one interval over the replications of one run. */
struct rs_staff_fig {
    double mean, ci_low, ci_high; /* 95% two-sided Student t interval */
    int n;                        /* replications with a figure */
    double bound;                 /* the judging rule's bound (staff.h), NaN: none */
    int thin;                     /* 1: too few messages for the bound: judged by the mean */
    int met;                      /* 1: meets the target by the rule (or no figure) */
};

/* The interval metrics a search reads, by index (-1: not in the run). */
struct rs_staff_metrics {
    int inbox, all, occupancy, frt_mean;
    int t[RS_STAFF_MAX_TARGETS]; /* the target's own metric, where it has one */
};

struct rs_staff_scoped; /* staff_scope.c */

struct rs_staff {
    const struct rs_scenario *sc; /* as loaded */
    struct rs_scenario *w;        /* the copy run with the schedule below */
    struct rs_scenario *w_sh;     /* the copy run with the shifts, NULL: none */
    struct rs_staff_opts o;
    struct rs_run_opts run, fresh; /* search and verification seeds */
    struct rs_staff_metrics m;
    int n; /* intervals of the horizon */
    double width_s;
    int weekly, n_slots, weeks; /* weekly: interval i is slot i % n_slots */
    int first_row_slot;         /* weekly: the slot of the schedule's first row */
    int *slot_agents;           /* the schedule, per slot */
    int *agents;                /* ... per interval */
    int *judged;                /* 1: counted, open, with messages */
    int *steered;               /* 1: open, with messages, counted or in the warmup
                                 * (which must not hand a backlog to the counted) */
    const int *held;            /* held to the targets now: steered in the search,
                                 * judged in the verification */
    int *thin, *vthin;          /* [interval * n_targets + k]: the bound misses even at
                                 * max_agents, the mean meets (search, fresh seeds) */
    double *lambda;             /* messages needing a reply per second, pilot */
    double handle_mean_s, patience_mean_s;
    long sims, verify_sims;
    int verify_raised, verify_capped;
    struct rs_staff_fig *fig;   /* [interval * n_targets + k], search seeds */
    struct rs_staff_fig *vfig;  /* the same on fresh seeds */
    struct rs_staff_fig *shfig; /* the shifts on fresh seeds (NULL: none) */
    int *met;                   /* all targets met, last search evaluation */
    struct rs_results *res;     /* the final verification run */
    double whole[RS_STAFF_MAX_TARGETS][3];
    int misses, shift_misses;
    struct rs_shifts_plan plan;
    struct rs_staff_scoped *scoped; /* scoped targets' counts (staff_scope.c), NULL: none */
};

/* staff_scope.c */

/* Resolves the targets' scopes to sc's channels and types (RS_EINPUT with
 * err when one names none) and, when some target is scoped, sets up the
 * counts its runs fill; needs st->w. */
int rs_staff_scope_resolve(struct rs_staff *st, struct rs_error *err);

void rs_staff_scope_free(struct rs_staff_scoped *sp);

/* rs_experiment_run of x with run, plus, when some target is scoped, the
 * message hook that counts their figures, kept until the next run. */
int rs_staff_experiment(struct rs_staff *st, const struct rs_scenario *x,
                        const struct rs_run_opts *run, struct rs_results **out,
                        struct rs_error *err);

/* Scoped target k's figure in interval i of replication r of the last
 * run, and into *den the messages it is a share or mean of (NaN, 0: none). */
double rs_staff_scoped_figure(const struct rs_staff *st, int k, int i, int r, double *den);

/* staff_judge.c */

/* The interval metrics st's targets read from its working copy; -1 when
 * a target's metric is missing (sl_bh without [policy] hours). */
void rs_staff_find_metrics(struct rs_staff *st);

/* Fills figs[i * n_targets + k] for every interval of res, judging those
 * marked in thin (NULL: none) by their mean; returns the judged intervals
 * that miss some target. */
int rs_staff_judge(const struct rs_staff *st, const struct rs_results *res, const int *thin,
                   struct rs_staff_fig *figs);

/* 1 when every target of interval i meets in figs (or i is not judged). */
int rs_staff_interval_met(const struct rs_staff *st, const struct rs_staff_fig *figs, int i);

/* How far interval i is above its targets: the least, over them, of the
 * bound's distance to the goal relative to the goal (< 0: misses). */
double rs_staff_slack(const struct rs_staff *st, const struct rs_staff_fig *figs, int i);

/* The whole counted window of res, every message, per target: mean over
 * replications and its 95% interval into st->whole. */
void rs_staff_whole(struct rs_staff *st, const struct rs_results *res);

/* staff.c */

/* The slot of interval i: its interval of the week, or i itself. */
static inline int rs_staff_slot(const struct rs_staff *st, int i)
{
    return st->weekly ? i % st->n_slots : i;
}

/* Simulates the current slot_agents on the search seeds, filling st->fig
 * and st->met: the judged intervals that miss, or a negative RS_E* code. */
int rs_staff_eval(struct rs_staff *st, struct rs_error *err);

/* Raises by one step (+1, or 5% when more with big) the slot of every
 * judged interval that misses in figs, or when at max_agents the latest
 * slot before it that is not; returns the slots raised. */
int rs_staff_raise(struct rs_staff *st, const struct rs_staff_fig *figs, int big);

/* A progress line: phase and the intervals missing. */
void rs_staff_say(const struct rs_staff *st, const char *phase, int misses);

/* staff_search.c: the trims of staff.h's steps 3 and 4 (0 or an RS_E* code) */
int rs_staff_trim_groups(struct rs_staff *st, struct rs_error *err);
int rs_staff_trim_single(struct rs_staff *st, struct rs_error *err);

/* staff_shifts.c */

/* Checks that the shift model can cover every interval before any
 * simulation: RS_OK or RS_EINPUT. */
int rs_staff_shifts_check(struct rs_staff *st, struct rs_error *err);

/* Covers the (rostered) staffing by shifts and re-simulates them on the
 * fresh seeds (when they fit in a scenario): RS_OK or an RS_E* code. */
int rs_staff_shifts_run(struct rs_staff *st, struct rs_error *err);

/* Replaces x's staffing by the plan's [shift] sections. */
void rs_staff_use_shifts(struct rs_scenario *x, const struct rs_shifts_plan *plan);

/* "mon-0900-8h": weekday, start and length of a plan's row. */
void rs_staff_shift_name(const struct rs_shifts_row *r, char *buf, size_t n);

/* Agents rostered for a on duty: a / (1 - shrinkage), rounded up. */
int rs_staff_rostered(const struct rs_staff *st, int a);

/* staff_write.c */

/* The start of slot s as schedule.csv writes it (mon 09:00 when weekly). */
void rs_staff_slot_label(const struct rs_staff *st, int s, char *buf, size_t n);

#endif
