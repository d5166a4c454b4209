/* msg.h: a message in the brand's inbox, as the world and the reply
 * policies see it (engine-internal).  Messages come from a pool owned by
 * the world; policies only link them into their own structures. */
#ifndef RS_MSG_H
#define RS_MSG_H

#include "replysim/calendar.h"

#include <stddef.h>

struct rs_msg {
    double arrive_s;      /* arrival time */
    double handle_s;      /* handle time an agent will spend on it */
    double deadline_s;    /* arrive_s + patience; INFINITY when patience is never */
    double take_s;        /* time an agent took it (valid when taken) */
    struct rs_event ev;   /* abandonment while waiting, or reply while handled */
    int channel;          /* channel index in the scenario */
    int type;             /* type index in the scenario */
    int counted;          /* arrived in [warmup, horizon): enters the statistics */
    struct rs_msg *qprev; /* policy links (list policies) */
    struct rs_msg *qnext;
    size_t qpos;          /* policy heap position (heap policies) */
};

#endif
