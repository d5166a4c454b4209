/* bizhours.h: the business clock of [policy] hours (engine-internal).
 *
 * Support tools measure response times in business time: the clock runs
 * while the team works and stops outside working hours, so a message that
 * arrives on friday at 16:30 and is answered on monday at 09:30 took one
 * business hour, and one that arrives while closed is judged from the
 * opening.  The clock reads the seconds of working time from mon 00:00 of
 * the week of t = 0 up to an instant; the business time between two
 * instants is the difference of two readings.  Plain data, no allocation:
 * the world keeps one by value. */
#ifndef RS_BIZHOURS_H
#define RS_BIZHOURS_H

#include "replysim/scenario.h"

/* Working time within one week as sorted, disjoint pieces [from, to) of
 * week seconds in [0, RS_WEEK_S) (a span over sunday midnight is split),
 * with the working seconds before each piece. */
struct rs_bizhours {
    int n;              /* pieces; 0: always working (the clock is the time) */
    double off_s;       /* week seconds of t = 0 */
    double open_week_s; /* working seconds per week */
    double from_s[2 * RS_MAX_HOURS];
    double to_s[2 * RS_MAX_HOURS];
    double before_s[2 * RS_MAX_HOURS]; /* working seconds of the week before from_s[i] */
};

/* Lays out sc's [policy] hours.  Returns 1 when they are set (business time
 * differs from elapsed time), 0 when always working. */
int rs_bizhours_init(struct rs_bizhours *bh, const struct rs_scenario *sc);

/* Working seconds from mon 00:00 of the week of t = 0 to t_s (t_s >= 0 seconds
 * from the start; earlier instants read consistently too). */
double rs_bizhours_clock_s(const struct rs_bizhours *bh, double t_s);

/* Working seconds in [a_s, b_s], a_s <= b_s: 0 when the team did not work
 * at all in between. */
static inline double rs_bizhours_between_s(const struct rs_bizhours *bh, double a_s, double b_s)
{
    double d = rs_bizhours_clock_s(bh, b_s) - rs_bizhours_clock_s(bh, a_s);
    return d > 0 ? d : 0;
}

#endif
