/* staff.h: the fewest agents per stats interval that meet every target in
 * every judged interval, found by simulation and verified on fresh seeds
 * (docs/scenario-reference.md section 9, `replysim staff`).
 *
 * Backlog carries over from one interval to the next, so hour-by-hour
 * Erlang figures are only a start.  In the manner of the iterative staffing
 * algorithm (Feldman, Mandelbaum, Massey and Whitt 2008):
 *
 *   1. a pilot run with every interval at max_agents measures the demand
 *      (messages needing a reply per interval) and the thin intervals
 *      (another on the fresh seeds those thin there); the start of each
 *      interval is the smallest count that meets the targets by Erlang C
 *      (Erlang A with abandon = leave and finite patience) at its load;
 *   2. raise: simulate the schedule (common random numbers: the search's
 *      seeds every time) and add agents (+1, or 5% when more) to every
 *      interval that misses, until none does;
 *   3. trim in groups: take one agent from every third slot at once; when
 *      some interval then misses, the latest changed slot at or before it
 *      gives its agent back (staffing only affects later messages);
 *   4. trim one at a time, largest slack first, until taking one agent from
 *      any slot breaks a target somewhere (or it is at its floor);
 *   5. verify: simulate on fresh seeds (another base seed, at least as many
 *      replications) and add one agent to the slot of every interval that
 *      misses there, until none does.
 *
 * A slot is an interval, or when the horizon is whole weeks (and not
 * per_interval) an interval of the week: the answer is then one weekly
 * pattern, the same in every week.  Figures are by interval of arrival.
 * Judged are the intervals after warmup, with messages, not wholly
 * outside [policy] hours; the search holds the warmup's intervals to the
 * targets too (so they hand no backlog to the counted window), the
 * verification does not; the others are staffed at min_agents.  A scoped
 * target is judged in those intervals where its scope has messages.  The drain
 * keeps the last interval's agents (weekly: the pattern's).  With shifts,
 * the rostered staffing is covered by shifts (shifts.h), which are
 * re-simulated and judged on the fresh seeds too. */
#ifndef RS_STAFF_H
#define RS_STAFF_H

#include "replysim/error.h"
#include "replysim/progress.h"
#include "replysim/scenario.h"
#include "replysim/shifts.h"

#include <stddef.h>
#include <stdint.h>

enum rs_staff_kind {
    RS_STAFF_SL,         /* sl(T) >= P: share answered within T */
    RS_STAFF_RR,         /* response_rate >= P: share answered at all */
    RS_STAFF_FRT_Q,      /* frt_pQ <= D: that quantile of the first response time */
    RS_STAFF_FRT_MEAN,   /* frt_mean <= D */
    RS_STAFF_SL_BH,      /* sl_bh(T) >= P: within T of business time ([policy] hours) */
    RS_STAFF_UNANSWERED, /* abandon_rate <= P: share never answered (abandoned or
                          * still open at the end of the drain: an upper bound) */
    RS_STAFF_OCCUPANCY   /* occupancy <= P: busy over working agents (--max-occupancy) */
};

#define RS_STAFF_MAX_TARGETS 8

struct rs_staff_target {
    enum rs_staff_kind kind;
    double d_s;      /* the threshold T of sl(T), frt_pQ <= D, frt_mean <= D */
    double p;        /* the share of sl and response_rate; Q/100 of frt_pQ */
    int ge;          /* 1: the figure must be >= goal, 0: <= goal */
    double goal;     /* p, or d_s for frt_mean */
    char text[128];  /* as given, blanks removed */
    char metric[96]; /* name of the figure in staffing.csv (with its [scope]) */
    /* the messages judged: all (scope_kind 0), or those of one channel (1)
     * or one type (2) named scope_name, resolved to scope_index by
     * rs_staff_create */
    int scope_kind;
    char scope_name[64];
    int scope_index;
};

/* Parses a target such as "sl(1h)>=0.9", "sl_bh(1h)>=0.9",
 * "response_rate>=0.95", "abandon_rate<=0.05", "occupancy<=0.85",
 * "frt_p90<=4h" or "frt_mean<=30m" (blanks ignored): 0, or -1 with why.
 * A scope after the figure's name, "sl(1h)[channel:twitter]>=0.95" or
 * "frt_p90[type:complaint]<=4h", holds only that channel's or type's
 * messages to the target (not occupancy, which is the agents'); the name
 * is checked against the scenario by rs_staff_create. */
int rs_staff_target_parse(const char *text, struct rs_staff_target *t, char *why, size_t len);

/* How an interval is judged (staff_judge.c): with n replications of
 * figure x_r and the interval's messages pooled over them, it meets a
 * target >= P when mean - k s / sqrt(n) >= P, k the one-sided t quantile
 * at the confidence with n - 1 degrees of freedom, and, for shares, the
 * Wilson lower bound of the pooled share at that confidence is >= P too
 * (so an interval with no variation across replications is not taken as
 * certain); a mean first response time uses sd/sqrt(answered) as its
 * least standard error.  <= targets mirror this.  An interval whose bound
 * misses even at --max-agents while its mean meets (too few messages to
 * show it) is judged by its mean and counted as thin. */
struct rs_staff_opts {
    struct rs_staff_target target[RS_STAFF_MAX_TARGETS]; /* all must hold */
    int n_targets;                                       /* >= 1 */
    int min_agents;                                      /* fewest agents in any interval (0) */
    int max_agents;                                      /* most agents in any interval (1000) */
    double confidence;                                   /* of the judging rule (0: 0.95) */
    double shrinkage;          /* share of paid time not on duty, [0, 1): rosters cover
                                * agents / (1 - shrinkage) */
    int per_interval;          /* 1: no weekly pattern even over whole weeks */
    int replications;          /* of every search simulation */
    uint64_t seed;             /* base seed of the search */
    int verify_replications;   /* of the verification (0: replications; never fewer) */
    uint64_t verify_seed;      /* base seed of the verification, when verify_seed_set */
    int verify_seed_set;       /* 0: the verification runs seed + 1 */
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
 * RS_EINPUT with err filled when shifts cannot cover every interval, the
 * target leaves no room in [scenario] within, or a target's scope names
 * no channel or type of sc; nothing has run yet.  Scoped targets are
 * counted from every settled message through the runner's message hook
 * (staff_scope.c), with the interval metrics' definitions; without them
 * the hook is not set and costs nothing. */
int rs_staff_create(const struct rs_scenario *sc, const struct rs_staff_opts *opts,
                    struct rs_staff **out, struct rs_error *err);

/* Runs the search (and the shifts): RS_OK, also when some interval cannot
 * meet the target (see the result's misses), or an RS_E* code. */
int rs_staff_run(struct rs_staff *st, struct rs_error *err);

/* What the search found, for the summary a program prints. */
struct rs_staff_result {
    int n;                   /* intervals of the horizon */
    double width_s;          /* their width */
    int n_judged;            /* counted, open, with messages: held to the targets */
    int n_thin;              /* of those, judged by the mean (too few messages) */
    int weekly;              /* 1: one pattern per interval of the week */
    int n_slots;             /* intervals of the week (weekly) or n */
    int weeks;               /* whole weeks of the horizon (weekly), else 0 */
    int lo, hi;              /* fewest and most agents in an interval */
    double agent_hours;      /* per week (weekly) or over the horizon, on duty */
    double rostered_hours;   /* the same, rostered: agents / (1 - shrinkage) */
    long sims;               /* search simulations run */
    long verify_sims;        /* verification simulations run */
    int verify_raised;       /* agents the verification added */
    int verify_capped;       /* 1: it stopped after its most rounds (25) with misses */
    int verify_replications; /* of each verification */
    uint64_t verify_seed;    /* their base seed */
    double confidence;       /* of the judging rule */
    int misses;              /* judged intervals that miss on fresh seeds; 0: met */
    /* the whole counted window on fresh seeds, every message (judged or
     * not), per target: mean over replications and 95% CI; NaN: none */
    double whole_mean[RS_STAFF_MAX_TARGETS], whole_low[RS_STAFF_MAX_TARGETS],
        whole_high[RS_STAFF_MAX_TARGETS];
    const struct rs_shifts_plan *plan; /* NULL without shifts */
    double shift_step_s;               /* shifts start every this */
    int shifts_fit;                    /* 1: the plan fits RS_MAX_SHIFTS sections */
    int shift_misses;                  /* judged intervals the shifts miss on fresh seeds */
};

void rs_staff_result(const struct rs_staff *st, struct rs_staff_result *out);

/* 1 when interval i (0-based, [i, i + 1) widths from the start) is judged
 * and misses some target on fresh seeds; 0 otherwise.  With shifts = 1,
 * the same for the shifts' re-simulation. */
int rs_staff_missed(const struct rs_staff *st, int i, int shifts);

/* The worst shortfall of interval i on fresh seeds (shifts = 1: of the
 * shifts): the target index into *k and the judged bound into *bound, so
 * a summary can say by how much; 0 when it meets every target. */
int rs_staff_shortfall(const struct rs_staff *st, int i, int shifts, int *k, double *bound);

/* The folder: staffing.csv, schedule.csv, intervals.csv, scenario.ini and,
 * with shifts, shifts.csv and (when they fit) shifts.ini, written as one
 * report into dir.  RS_OK or RS_EIO with err filled. */
int rs_staff_write(const char *dir, const struct rs_staff *st, struct rs_error *err);

/* Frees st (NULL is fine). */
void rs_staff_destroy(struct rs_staff *st);

#endif
