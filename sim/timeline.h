/* timeline.h: what the scenario fixes in advance about time (engine-
 * internal): agent pools and their staffing changes, working-hour
 * transitions, and the calendar arithmetic both need.
 *
 * Times are seconds from the scenario's start; "week seconds" count from
 * mon 00:00 of the calendar week. */
#ifndef RS_TIMELINE_H
#define RS_TIMELINE_H

#include "replysim/scenario.h"

#include <stdint.h>

/* Week seconds of t = 0. */
double rs_timeline_week_offset_s(const struct rs_scenario *sc);

/* A pool of agents with the same skills: [staff] agents or schedule is
 * pool 0 when given (all channels), then one pool per [shift]. */
struct rs_pool_cfg {
    uint32_t channels; /* bit c: may answer channel c */
    uint32_t types;    /* bit t: may answer type t */
    double speed;      /* handle times are divided by it (> 0) */
    double slowdown;   /* each further conversation in hand stretches handle times (>= 1) */
    int max_agents;    /* most agents of the pool on at once */
};

struct rs_staff_change {
    double t_s;
    int pool;
    int delta; /* agents coming (+) or going (-) */
};

struct rs_hours_change {
    double t_s;
    int open; /* working hours begin (1) or end (0) at t_s */
};

struct rs_timeline {
    int n_pools;     /* [staff], then [shift]s, then [surge]s */
    int first_surge; /* pool of the first [surge]: off until the world calls it */
    struct rs_pool_cfg *pools;
    int n_staff; /* changes sorted by time; those at t = 0 give the start */
    struct rs_staff_change *staff;
    int open_at_start; /* working at t = 0 */
    int n_hours;       /* transitions after t = 0, sorted, alternating */
    struct rs_hours_change *hours;
};

/* Builds the timeline of [0, end_s).  Aborts on out of memory. */
struct rs_timeline *rs_timeline_create(const struct rs_scenario *sc, double end_s);
void rs_timeline_destroy(struct rs_timeline *tl);

/* Agents of pool p on shift at t (for tests and reports). */
int rs_timeline_agents_at(const struct rs_timeline *tl, int pool, double t_s);

/* A piecewise-constant series (profile, schedule) as a cursor that walks
 * forward in time: value now and when it next changes. */
struct rs_series_cursor {
    const struct rs_series *s;
    double off_s;  /* week seconds of t = 0 (weekly series) */
    long week;     /* weekly: week of the current piece */
    int i;         /* index of the current piece */
    double value;  /* value on the current piece (1 when the series is empty) */
    double next_s; /* start of the next piece; INFINITY when none */
};

void rs_series_cursor_init(struct rs_series_cursor *c, const struct rs_series *s, double off_s,
                           double t_s);
/* Moves to the piece holding t_s >= the current piece's start. */
void rs_series_cursor_seek(struct rs_series_cursor *c, double t_s);

/* Integral of the series over [from_s, to_s) (seconds from the start; off_s
 * as for a cursor): value x seconds, with an empty series 1. */
double rs_series_integral(const struct rs_series *s, double off_s, double from_s, double to_s);

#endif
