/* human.h: numbers, shares and durations as people read them in the
 * tables commands print on stdout (run, compare, sweep, erlang, validate).
 * CSV files never use these: they keep seconds and full precision
 * (csvout.h).  No exponents: "0.000008", not "7.662e-06". */
#ifndef RS_HUMAN_H
#define RS_HUMAN_H

#include <stddef.h>
#include <stdio.h>

struct rs_scenario;

enum rs_human_kind {
    RS_HUMAN_NUMBER,   /* a count or plain number: "1,008", "12.3", "0.0123" */
    RS_HUMAN_SHARE,    /* a fraction shown as a percentage: "89.8%" */
    RS_HUMAN_DURATION, /* seconds shown as "12m 30s", "4.2h" (units.h) */
};

/* What a metric name holds: names ending in _s are durations in seconds;
 * *_rate, sl_*, wait_within_*, answered_within_* (staff's targets),
 * occupancy and p_* are shares; the rest are
 * numbers. */
enum rs_human_kind rs_human_kind_of(const char *metric);

/* x as kind says; sign: a difference, always signed ("+1.5%", a share's
 * difference in percentage points "+1.5pp", "-3m 10s").  "-" when NaN. */
void rs_human_format(char *buf, size_t n, enum rs_human_kind kind, double x, int sign);

/* "[lo, hi]" of an interval around mean, each end as rs_human_format
 * says; durations of an hour or more take the mean's unit for both ends
 * ("[47.6h, 55.7h]", not "[47.6h, 2.3d]").  Without sign (a value, not a
 * difference) the interval keeps within what the value can be: a share
 * within 0-100%, a duration from 0. */
void rs_human_interval(char *buf, size_t n, enum rs_human_kind kind, double mean, double lo,
                       double hi, int sign);

/* A plain number with thousands separators and about three significant
 * digits, no exponent and no trailing zeros ("96", "1.5", "0.012"). */
void rs_human_number(char *buf, size_t n, double x, int sign);

/* The service-level figures of one threshold, in the order people read
 * them: elapsed, in business hours (with [policy] hours), and for later
 * messages of a conversation (with reply_back).  For kind 0 ..
 * RS_HUMAN_SL_KINDS - 1, the metric's name ("sl_bh_1h") and its words
 * ("answered within 1h of business hours"). */
#define RS_HUMAN_SL_KINDS 3
void rs_human_service_level(int kind, double within_s, char *metric, size_t mlen, char *words,
                            size_t wlen);

/* "PREFIXexpected new messages a day (before follow-ups): twitter 720,
 * messenger 288 (1,008 in all)" and a newline: each channel's rate times
 * its scaled profile, plus bursts, or its trace, over the horizon. */
void rs_human_expected(FILE *out, const struct rs_scenario *sc, const char *prefix);

#endif
