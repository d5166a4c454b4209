/* world.h: one replication of the simulated world (docs/scenario-reference.md section 4).
 *
 * Messages arrive on channels, wait in the inbox, are taken by agents in the
 * order the reply policy gives and answered after their handle time; authors
 * lapse when their patience runs out and, with abandon = leave, withdraw the
 * message.  Time is in seconds from the scenario's start. */
#ifndef RS_WORLD_H
#define RS_WORLD_H

#include "replysim/scenario.h"

#include <stdint.h>

struct rs_world; /* opaque */

/* A world for one replication; its random streams derive from
 * replication_key (rs_rng_replication_key).  The scenario must outlive it.
 * Aborts on out of memory. */
struct rs_world *rs_world_create(const struct rs_scenario *sc, uint64_t replication_key);

/* Memory one world hands on to the next (on one thread at a time), so that
 * a run of replications does not allocate, fault in and give back its
 * largest blocks each time.  Figures do not depend on it. */
struct rs_world_mem; /* opaque */
struct rs_world_mem *rs_world_mem_create(void);
void rs_world_mem_destroy(struct rs_world_mem *mem);

/* As rs_world_create, taking memory from mem (NULL: none) and giving it
 * back there at rs_world_destroy; mem must outlive the world. */
struct rs_world *rs_world_create_in(const struct rs_scenario *sc, uint64_t replication_key,
                                    struct rs_world_mem *mem);

/* What became of a message (messages.csv, tests). */
enum rs_fate {
    RS_FATE_ANSWERED,  /* an agent replied to it */
    RS_FATE_THREAD,    /* answered by a reply to another message of its thread */
    RS_FATE_BOT,       /* resolved by the bot on arrival */
    RS_FATE_ABANDONED, /* withdrawn when patience ran out (abandon = leave) */
    RS_FATE_DROPPED,   /* dropped by max_age */
    RS_FATE_BLOCKED,   /* rejected by inbox_limit */
    RS_FATE_NO_REPLY,  /* its type needs no reply */
    RS_FATE_OPEN       /* still open when the run stopped */
};

const char *rs_fate_name(enum rs_fate f);

struct rs_msg_record {
    uint64_t id, thread; /* thread: id of the thread's first message */
    int channel, type;
    int followup; /* posted again in its thread by a lapsed author */
    int switched; /* posted by an author who moved from another channel */
    int counted;  /* arrived in [warmup, horizon) */
    int lapsed;   /* patience ran out before the reply (or the stop) */
    enum rs_fate fate;
    double arrive_s;
    double deadline_s; /* arrival + patience (INFINITY: never) */
    double take_s;     /* an agent last took it; NaN if never */
    double end_s;      /* reply, withdrawal, drop or stop */
    double followers;
    uint64_t conversation; /* id of the conversation's first message */
    int turn;              /* 1: the conversation's first turn */
    int agent;             /* agent holding it at its fate (1 ..), 0: none */
};

typedef void (*rs_msg_log_fn)(void *ctx, const struct rs_msg_record *r);

/* Calls fn once per message, when its fate is known (before rs_world_run). */
void rs_world_set_log(struct rs_world *w, rs_msg_log_fn fn, void *ctx);

/* Calls fn every 2^18 events with the share of the run's simulated time
 * done (for a progress line; before rs_world_run). */
void rs_world_set_progress(struct rs_world *w, void (*fn)(void *ctx, double fraction), void *ctx);

/* Runs from t = 0 to horizon + drain: RS_OK, or RS_EINPUT when more
 * messages than the open limit were open at once (arrivals outpace the
 * agents; the run stops there and its figures are not to be used). */
int rs_world_run(struct rs_world *w);

/* Most messages open at once before rs_world_run stops (default
 * RS_BUDGET_MAX_OPEN); for tests. */
void rs_world_set_open_limit(struct rs_world *w, uint64_t n);

/* When the open limit was passed, seconds from the start; NaN: never. */
double rs_world_overflow_s(const struct rs_world *w);

/* The replication's metrics, out[metric * n_scopes + scope] (see stats.h). */
void rs_world_metrics(const struct rs_world *w, double *out);

/* Share of inbox messages answered within each of the n times t_s[], for
 * scopes 0 (all) .. n_channels: out[scope * n + i].  Read from the response
 * time histogram, so within 0.4% of t. */
void rs_world_latency(const struct rs_world *w, const double *t_s, int n, double *out);

/* Stats intervals of the run: ceil((horizon + drain) / interval), at
 * least 1, at most INT_MAX (rs_budget_check keeps it far below). */
int rs_world_n_intervals(const struct rs_scenario *sc);

/* Per-interval metrics (stats.h), out[interval * n_interval_metrics + metric],
 * after rs_world_run, in a world without an interval sink. */
void rs_world_intervals(const struct rs_world *w, double *out);

/* Hands each stats interval's row of metrics to fn (in no particular order
 * of interval, each once) as soon as it is final: time has passed its end
 * and every inbox message that arrived in it has its fate.  The world then
 * keeps no rows, and only the intervals still open: its memory does not
 * grow with the horizon.  Before rs_world_run. */
typedef void (*rs_world_interval_fn)(void *ctx, int interval, const double *row);
void rs_world_set_interval_sink(struct rs_world *w, rs_world_interval_fn fn, void *ctx);

/* Most stats intervals the run held at once (after rs_world_run). */
int rs_world_interval_slots(const struct rs_world *w);

uint64_t rs_world_events(const struct rs_world *w);   /* events processed */
uint64_t rs_world_messages(const struct rs_world *w); /* messages arrived */

void rs_world_destroy(struct rs_world *w);

#endif
