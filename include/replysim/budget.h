/* budget.h: what a request needs, estimated before anything runs, and the
 * limits it must stay within.
 *
 * Every runner (run, compare, sweep, staff, check) asks rs_budget_check
 * before it simulates; the scenario loader asks too (with the scenario's
 * own replications), so a scenario that cannot fit is refused at load with
 * the file and line of the key at fault.  Counts are computed in 64 bits
 * (doubles where they come from rates) so that no size overflows on the
 * way to its limit.  The limits are the table rs_budget_limits
 * (sim/budget.c) and README.md's "Limits". */
#ifndef RS_BUDGET_H
#define RS_BUDGET_H

#include "replysim/error.h"
#include "replysim/scenario.h"

#include <stddef.h>
#include <stdint.h>

/* The limits, by name (README.md, "Limits"). */
#define RS_BUDGET_MAX_BYTES (8.0 * 1024 * 1024 * 1024) /* estimated memory of one request */
#define RS_BUDGET_MAX_SPAN_S (1000 * 365.25 * 86400)   /* horizon + drain: 1000 years */
/* Interval rows of one request in temporary files (tmpfile(3), in /tmp):
 * a run keeps 1 MiB of them in memory, the rest on disk. */
#define RS_BUDGET_MAX_DISK_BYTES (16.0 * 1024 * 1024 * 1024)
/* Stats intervals of one run.  Memory no longer grows with them (a world
 * keeps only the live ones, a run's rows beyond 1 MiB go to a temporary
 * file), but interval indices are ints in the world, its ring and the
 * store, and intervals.csv writes a row per interval and metric: a million
 * intervals is some 13 million rows, about a gigabyte. */
#define RS_BUDGET_MAX_INTERVALS 1000000
#define RS_BUDGET_MAX_AGENTS 100000       /* agents staffed at once, all pools */
#define RS_BUDGET_MAX_SLOTS 1000000       /* agents x concurrency */
#define RS_BUDGET_MAX_CHANGES 10000000    /* staffing and hours changes of a run */
#define RS_BUDGET_MAX_MESSAGES 1e8        /* expected messages of a replication */
#define RS_BUDGET_MAX_EVENTS 5e8          /* expected events of a replication */
#define RS_BUDGET_MAX_TOTAL_MESSAGES 1e10 /* ... of all replications and runs */
#define RS_BUDGET_MAX_TRACE_ROWS 1e8      /* messages.csv rows (--trace) */
#define RS_BUDGET_MAX_OPEN 10000000       /* messages open at once (also while running) */

/* One limit as the README lists it. */
struct rs_budget_limit {
    const char *name; /* "memory", "intervals", ... */
    double value;
    const char *what; /* what it bounds, for the reader */
};

extern const struct rs_budget_limit rs_budget_limits[];
extern const int rs_budget_n_limits;

/* What a command asks of a scenario beyond the scenario itself.  Zeroed
 * means: the scenario's replications, one thread, one run, no trace, the
 * scenario's own staff.  The *_from fields name the command-line option a
 * value came from ("-r"), blamed when that value breaks a limit; NULL: the
 * scenario's key is blamed. */
struct rs_budget_req {
    int replications; /* of each run; 0: sc->replications */
    const char *replications_from;
    int threads; /* replications (or sweep points) simulated at once; 0: 1 */
    const char *threads_from;
    long runs;     /* experiments run (compare: base + variants, sweep: points); 0: 1 */
    int runs_kept; /* 1: the results of every run are held at once (compare) */
    const char *runs_from;
    int trace;        /* 1: messages.csv is written (--trace) */
    int staff_agents; /* > 0: every interval may be staffed by this many (staff --max-agents) */
    const char *staff_from;
};

/* The estimate of one request. */
struct rs_budget {
    double span_s;         /* horizon + drain */
    double intervals;      /* stats intervals of a run */
    double live_intervals; /* of them held at once by a world (its ring's slots) */
    double agents;         /* most agents staffed at once (an upper bound) */
    double slots;          /* agents x concurrency */
    double changes;        /* staffing and working-hours changes of a run */
    double messages;       /* expected messages of a replication, follow-ups included */
    double events;         /* expected events of a replication */
    double load;           /* agents busy on average: messages x mean handle time / horizon */
    double open;           /* messages open at once, roughly */
    double world_bytes;    /* memory of one replication while it runs */
    double results_bytes;  /* memory of one run's results (all replications) */
    double disk_bytes;     /* one run's interval rows in a temporary file (0: in memory) */
    double total_messages; /* messages of all replications and runs */
    double bytes;          /* memory of the whole request, the program's own included */
    double disk;           /* temporary file bytes of the whole request */
};

/* Fills out with the estimate of req (NULL: zeroed) on sc. */
void rs_budget_estimate(const struct rs_scenario *sc, const struct rs_budget_req *req,
                        struct rs_budget *out);

/* RS_OK when req (NULL: zeroed) on sc stays within every limit; else
 * RS_EINPUT with err naming the key (file and line when the scenario was
 * loaded from a file and the loader still knows them; the section's line
 * after it) or the option at fault, and the limit. */
int rs_budget_check(const struct rs_scenario *sc, const struct rs_budget_req *req,
                    struct rs_error *err);

#endif
