/* staff.h: the fewest agents per stats interval that meet a target in
 * every interval, found by simulation (docs/scenario-reference.md section 9, `replysim staff`).
 *
 * Backlog carries over from one interval to the next, so hour-by-hour
 * Erlang figures are only a start.  In the manner of the iterative staffing
 * algorithm (Feldman, Mandelbaum, Massey and Whitt 2008):
 *
 *   1. a pilot run with every interval at max_agents measures the demand
 *      (messages needing a reply per interval); the start of each interval
 *      is the smallest count that meets the target by Erlang C (Erlang A
 *      with abandon = leave and finite patience) at that interval's load;
 *   2. raise: simulate the schedule (common random numbers: the same seeds
 *      every time) and add agents (+1, or 5% when more) to every interval
 *      that misses, until none does;
 *   3. trim in groups: take one agent from every third interval at once;
 *      when some interval then misses, the latest changed interval at or
 *      before it gives its agent back (staffing only affects later
 *      messages);
 *   4. trim one at a time, largest slack first, until taking one agent from
 *      any interval breaks the target somewhere (or it is at its floor).
 *
 * An interval meets the target when the mean over replications of its
 * per-replication figure does (strict: the 95% confidence bound does);
 * figures are by interval of arrival.  Intervals with no messages, and
 * intervals wholly outside [policy] hours, are not targeted and are staffed
 * at min_agents.  The drain keeps the last interval's agents; agent-hours
 * count the horizon only.  With shifts, the staffing found is covered by
 * shifts (shifts.h), which are simulated too. */
#ifndef RS_STAFF_H
#define RS_STAFF_H

#include "replysim/error.h"
#include "replysim/progress.h"
#include "replysim/scenario.h"
#include "replysim/shifts.h"

#include <stddef.h>
#include <stdint.h>

enum rs_staff_kind {
    RS_STAFF_SL,      /* sl(T) >= P: share answered within T */
    RS_STAFF_RR,      /* response_rate >= P: share answered at all */
    RS_STAFF_FRT_Q,   /* frt_pQ <= D: that quantile of the first response time */
    RS_STAFF_FRT_MEAN /* frt_mean <= D */
};

struct rs_staff_target {
    enum rs_staff_kind kind;
    double d_s;      /* the threshold T of sl(T), frt_pQ <= D, frt_mean <= D */
    double p;        /* the share of sl and response_rate; Q/100 of frt_pQ */
    int ge;          /* 1: the figure must be >= goal, 0: <= goal */
    double goal;     /* p, or d_s for frt_mean */
    char text[128];  /* as given, blanks removed */
    char metric[96]; /* name of the figure in staffing.csv */
};

/* Parses a target such as "sl(1h)>=0.9", "response_rate>=0.95",
 * "frt_p90<=4h" or "frt_mean<=30m" (blanks ignored): 0, or -1 with why. */
int rs_staff_target_parse(const char *text, struct rs_staff_target *t, char *why, size_t len);

struct rs_staff_opts {
    struct rs_staff_target target;
    int min_agents;            /* fewest agents in any interval (0) */
    int max_agents;            /* most agents in any interval (1000) */
    int strict;                /* 1: judge by the 95% confidence bound, not the mean */
    int replications;          /* of every simulation */
    uint64_t seed;             /* base seed of every simulation */
    int threads;               /* replications run in parallel */
    int shifts;                /* 1: also cover the staffing by shifts */
    struct rs_shifts_in shift; /* with shifts: n_lengths, length_s, step_s (0: the
                                * interval) and time_limit_s; the rest is filled in */
    const char *shifts_text;   /* the lengths as given, for shifts.ini's comment */
    rs_progress_fn progress;   /* NULL: none; else RS_PROGRESS_SEARCH per simulation */
    void *progress_ctx;
};

struct rs_staff; /* opaque: one search */

/* Prepares the search of sc (which must outlive it) with opts: RS_OK, or
 * RS_EINPUT with err filled when shifts cannot cover every interval, or
 * the target leaves no room in [scenario] within; nothing has run yet. */
int rs_staff_create(const struct rs_scenario *sc, const struct rs_staff_opts *opts,
                    struct rs_staff **out, struct rs_error *err);

/* Runs the search (and the shifts): RS_OK, also when some interval cannot
 * meet the target (see the result's misses), or an RS_E* code. */
int rs_staff_run(struct rs_staff *st, struct rs_error *err);

/* What the search found, for the summary a program prints. */
struct rs_staff_result {
    int n;                             /* intervals of the horizon */
    double width_s;                    /* their width */
    int n_targeted;                    /* intervals with messages, not closed */
    int lo, hi;                        /* fewest and most agents in an interval */
    double agent_hours;                /* over the horizon */
    long sims;                         /* simulations run */
    int misses;                        /* targeted intervals that miss; 0: target met */
    const struct rs_shifts_plan *plan; /* NULL without shifts */
    double shift_step_s;               /* shifts start every this */
    int shifts_fit;                    /* 1: the plan fits RS_MAX_SHIFTS sections */
    int shift_misses;                  /* targeted intervals the shifts miss */
};

void rs_staff_result(const struct rs_staff *st, struct rs_staff_result *out);

/* 1 when interval i (0-based, [i, i + 1) widths from the start) is judged
 * and misses the target in the final evaluation; 0 otherwise. */
int rs_staff_missed(const struct rs_staff *st, int i);

/* The folder: staffing.csv, schedule.csv, intervals.csv, scenario.ini and,
 * with shifts, shifts.csv and (when they fit) shifts.ini, written as one
 * report into dir.  RS_OK or RS_EIO with err filled. */
int rs_staff_write(const char *dir, const struct rs_staff *st, struct rs_error *err);

/* Frees st (NULL is fine). */
void rs_staff_destroy(struct rs_staff *st);

#endif
