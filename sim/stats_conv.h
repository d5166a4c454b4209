/* stats_conv.h: what one replication counts of conversations beyond the
 * first reply and of amplified complaints, per scope (engine-internal).
 *
 * Kept apart from rs_scope_stats and allocated only when a scenario has
 * conversations (a type with reply_back > 0) or amplification (a channel
 * with amplify > 0), so scenarios without them pay nothing and write the
 * same metrics as before.  A conversation is counted when its first
 * message is (arrived in [warmup, horizon)); its later turns belong to it
 * whenever they come.  Later turns are not first responses: they stay out
 * of offered, response_rate, frt_*, sl_T and the outcome model, and are
 * measured by the next-reply family (nrt_*, sl_next_T). */
#ifndef RS_STATS_CONV_H
#define RS_STATS_CONV_H

#include "histogram.h"
#include "replysim/scenario.h"

#include <stddef.h>
#include <stdint.h>

struct rs_conv_stats {
    uint64_t conversations;  /* first messages that entered the inbox */
    uint64_t replies;        /* agent replies in those conversations (all turns) */
    uint64_t resolved;       /* ended with a reply the author did not write back to */
    uint64_t moved;          /* went on privately after the first public reply (move) */
    double resolution_sum_s; /* first message to the last reply, of the resolved */
    uint64_t next_inbox;     /* later customer messages that entered the inbox */
    uint64_t next_answered;  /* of them, answered */
    double nrt_sum_s;        /* their next reply times */
    uint64_t amplified;      /* messages caused by amplification (counted by arrival) */
    double surge_agent_s;    /* surge agents' time on, in the window (scope all only) */
    uint64_t next_first[RS_MAX_WITHIN + 1]; /* answered later messages by first threshold met */
    struct rs_hist resolution;
    struct rs_hist nrt;
};

/* 1 when sc has conversations (some type's reply_back > 0). */
int rs_conv_enabled(const struct rs_scenario *sc);

/* 1 when sc amplifies (some channel's amplify > 0). */
int rs_conv_amplifies(const struct rs_scenario *sc);

/* 1 when sc has conversations, amplification or surges: the world keeps
 * rs_conv_stats. */
int rs_conv_kept(const struct rs_scenario *sc);

/* The metrics of this family in sc (0 without conversations or
 * amplification), their names, and their values from one scope's counts. */
int rs_conv_n_metrics(const struct rs_scenario *sc);
void rs_conv_metric_name(const struct rs_scenario *sc, int j, char *buf, size_t len);
double rs_conv_value(const struct rs_scenario *sc, const struct rs_conv_stats *s, int scope, int j);

static inline void rs_conv_resolved(struct rs_conv_stats *s, double resolution_s)
{
    s->resolved++;
    s->resolution_sum_s += resolution_s;
    rs_hist_add(&s->resolution, resolution_s);
}

static inline void rs_conv_next_answered(struct rs_conv_stats *s, double nrt_s, int within)
{
    s->next_answered++;
    s->nrt_sum_s += nrt_s;
    rs_hist_add(&s->nrt, nrt_s);
    s->next_first[within]++;
}

#endif
