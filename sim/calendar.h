/* calendar.h: the event calendar, a 4-ary heap of (time, event) slots with
 * O(log n) push, pop and remove (calendar.c).  Events that fall at the same
 * time come out in the order they were pushed (FIFO tie-break by a sequence
 * number, read only when times are equal), so runs are deterministic.
 *
 * Events are intrusive: the owner (a message, a channel) embeds a struct
 * rs_event and the calendar only keeps pointers to it; nothing is allocated
 * per event. */
#ifndef RS_CALENDAR_H
#define RS_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

struct rs_event {
    double t_s;   /* time the event fires */
    uint64_t seq; /* push order, the tie-break */
    size_t pos;   /* 1 + index in the heap; 0 when not scheduled */
    int kind;     /* owner's event kind */
    int lane;     /* 1 + its lane (rs_calendar_lane); 0: the heap */
};

struct rs_calendar;

/* Returns a new empty calendar; aborts on out of memory. */
struct rs_calendar *rs_calendar_create(void);
void rs_calendar_destroy(struct rs_calendar *c);

/* Schedules ev at t_s.  ev must not be scheduled already. */
void rs_calendar_push(struct rs_calendar *c, struct rs_event *ev, double t_s);

/* Gives ev a lane of its own beside the heap, when one is left (up to
 * RS_CALENDAR_LANES): for an event that is scheduled again and again, one
 * at a time, such as a source's next arrival.  Its pushes and pops then
 * cost a comparison instead of a heap's sift; the order of events is the
 * same.  ev must not be scheduled.  Returns 1 when it got a lane. */
#define RS_CALENDAR_LANES 4
int rs_calendar_lane(struct rs_calendar *c, struct rs_event *ev);

/* Removes and returns the earliest event, or NULL when empty. */
struct rs_event *rs_calendar_pop(struct rs_calendar *c);

/* Unschedules ev, which must be scheduled in c. */
void rs_calendar_remove(struct rs_calendar *c, struct rs_event *ev);

size_t rs_calendar_size(const struct rs_calendar *c);

static inline int rs_event_scheduled(const struct rs_event *ev) { return ev->pos != 0; }

#endif
