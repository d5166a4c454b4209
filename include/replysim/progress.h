/* progress.h: how the experiment runners tell how far they are.
 *
 * The library never prints: a runner given a progress callback calls it
 * with one of these, and the program decides what to show (and how often).
 * Calls of one runner never overlap (they are serialized even when the
 * work runs on several threads), but they may come from any thread. */
#ifndef RS_PROGRESS_H
#define RS_PROGRESS_H

enum rs_progress_what {
    RS_PROGRESS_REPLICATIONS, /* done of total replications; fraction of the simulated time */
    RS_PROGRESS_POINTS,       /* sweep: done of total points finished, in grid order */
    RS_PROGRESS_RUN,          /* a run of several starts: label names it ("base") */
    RS_PROGRESS_SEARCH        /* staffing search: one more simulation judged */
};

struct rs_progress {
    enum rs_progress_what what;
    long done;            /* replications, points or (SEARCH) simulations so far */
    long total;           /* replications or points in all; 0 for SEARCH */
    double fraction;      /* REPLICATIONS: share of all the simulated time done, 0..1 */
    const char *label;    /* RUN: the run ("variant lifo"); SEARCH: the phase ("raise") */
    long agents;          /* SEARCH: agents summed over the intervals */
    int intervals;        /* SEARCH: intervals of the horizon */
    int missing;          /* SEARCH: targeted intervals that miss */
};

/* The callback of the runners' options; ctx is the options' progress_ctx. */
typedef void (*rs_progress_fn)(void *ctx, const struct rs_progress *p);

#endif
