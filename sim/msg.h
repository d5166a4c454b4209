/* msg.h: a message in the brand's inbox, as the world and the reply
 * policies see it (engine-internal).  Messages come from a pool owned by
 * the world; policies only link them into their own structures. */
#ifndef RS_MSG_H
#define RS_MSG_H

#include "calendar.h"

#include <stddef.h>
#include <stdint.h>

struct rs_msg {
    /* first cache line: what every event and list operation touches */
    struct rs_event ev;   /* lapse or stale cut-off while waiting, or reply while handled */
    struct rs_msg *qprev; /* policy links (list policies) */
    struct rs_msg *qnext;
    double arrive_s;   /* arrival time */
    double deadline_s; /* arrive_s + patience; INFINITY when patience is never */

    double handle_s; /* handle time an agent will spend on it (what is left, after a handoff) */
    double take_s;   /* time an agent took it (valid when taken) */
    void *agent;     /* world's agent handling it (NULL while waiting) */
    int channel;     /* channel index in the scenario */
    int type;        /* type index in the scenario */
    int priority;    /* the type's priority */
    unsigned char public_;     /* posted on a public channel */
    unsigned char counted;     /* arrived in [warmup, horizon): enters the statistics */
    unsigned char lapsed;      /* the author's patience ran out while it waited */
    unsigned char answered;    /* the thread was answered while this was being handled */
    unsigned char handed_back; /* returned to the inbox at a shift end (handoff) */
    unsigned char taken;       /* an agent has taken it */
    unsigned char switched;    /* posted by an author who moved channel */
    unsigned short depth;      /* follow-ups before it in its thread */
    struct rs_msg *tprev;      /* open messages of the same thread, a ring (self when alone) */
    struct rs_msg *tnext;
    uint64_t id;      /* arrival order in the replication: the last tie-break */
    uint64_t thread;  /* id of the thread's first message */
    double followers; /* the author's follower count */
    double key;       /* policy's sort key, set by the policy on push */
    size_t qpos;      /* heap policies: pushes + removals, odd while it waits */
    /* conversations (stats_conv.h): a later turn is a new message of the
     * same conversation; follow-ups and switches inherit these */
    uint64_t conv;              /* id of the conversation's first message */
    double conv_start_s;        /* its arrival */
    void *last_agent;           /* who answered the previous turn (affinity); NULL: none */
    unsigned short turn;        /* 1: the first turn */
    unsigned char conv_counted; /* the conversation's first message was counted */
    unsigned char amplified;    /* caused by an unanswered public complaint */
    double svc_factor;          /* handle time to service time in its agent's hands (speed,
                                 * slowdown; set only when some pool has them) */
};

#endif
