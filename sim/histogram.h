/* histogram.h: log-bucketed histogram for quantiles in constant memory.
 *
 * A positive value v = 2^e * (1 + f) falls in the bucket of its exponent e
 * and the top 7 bits of f: 128 buckets per doubling, so a bucket's width is
 * at most 1/128 of its lower edge and its midpoint is within 1/256 (0.39%)
 * of any value in it.  Exponents cover 2^-20 s (about 1 us) to 2^40 s;
 * smaller values count as exact zeros, larger ones land in the top bucket.
 * Memory is fixed (about 61 KiB) whatever the number of values. */
#ifndef RS_HISTOGRAM_H
#define RS_HISTOGRAM_H

#include <stdint.h>
#include <string.h>

#define RS_HIST_SUB_BITS 7
#define RS_HIST_EXP_MIN (-20)
#define RS_HIST_EXP_MAX 40
#define RS_HIST_BUCKETS ((RS_HIST_EXP_MAX - RS_HIST_EXP_MIN) << RS_HIST_SUB_BITS)
#define RS_HIST_REL_ERROR (1.0 / 256.0) /* stated bound on a quantile's relative error */

struct rs_hist {
    uint64_t total;                   /* values added */
    uint64_t zero;                    /* values below 2^RS_HIST_EXP_MIN, taken as 0 */
    uint64_t counts[RS_HIST_BUCKETS]; /* per bucket */
};

static inline void rs_hist_clear(struct rs_hist *h) { memset(h, 0, sizeof *h); }

/* Adds v >= 0 (finite). */
static inline void rs_hist_add(struct rs_hist *h, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int e = (int)((bits >> 52) & 0x7ff) - 1023;
    h->total++;
    if (e < RS_HIST_EXP_MIN) {
        h->zero++;
        return;
    }
    int idx = ((e - RS_HIST_EXP_MIN) << RS_HIST_SUB_BITS) |
              (int)((bits >> (52 - RS_HIST_SUB_BITS)) & ((1u << RS_HIST_SUB_BITS) - 1));
    if (idx >= RS_HIST_BUCKETS) idx = RS_HIST_BUCKETS - 1;
    h->counts[idx]++;
}

/* The p-quantile (smallest x with F(x) >= p), as the midpoint of its bucket;
 * NaN when empty. */
double rs_hist_quantile(const struct rs_hist *h, double p);

/* Count of values <= t, interpolating linearly inside t's bucket. */
double rs_hist_count_below(const struct rs_hist *h, double t);

/* out[i] = rs_hist_count_below(h, t[i]) for i < n, the same numbers, in one
 * pass over the buckets while t[] ascends (it restarts where t[] falls). */
void rs_hist_counts_below(const struct rs_hist *h, const double *t, int n, double *out);

/* Lower edge and width of bucket i, for reports and tests. */
double rs_hist_bucket_low(int i);
double rs_hist_bucket_width(int i);

#endif
