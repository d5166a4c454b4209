/* histogram.c: quantiles and CDF points from a log-bucketed histogram. */
#include "histogram.h"

#include <math.h>

double rs_hist_bucket_low(int i)
{
    int e = (i >> RS_HIST_SUB_BITS) + RS_HIST_EXP_MIN;
    int m = i & ((1 << RS_HIST_SUB_BITS) - 1);
    return ldexp(1.0 + (double)m / (1 << RS_HIST_SUB_BITS), e);
}

double rs_hist_bucket_width(int i)
{
    int e = (i >> RS_HIST_SUB_BITS) + RS_HIST_EXP_MIN;
    return ldexp(1.0 / (1 << RS_HIST_SUB_BITS), e);
}

double rs_hist_quantile(const struct rs_hist *h, double p)
{
    if (h->total == 0) return NAN;
    /* rank of the quantile among 1..total */
    double r = ceil(p * (double)h->total);
    uint64_t rank = r < 1 ? 1 : (uint64_t)r;
    if (rank > h->total) rank = h->total;
    uint64_t seen = h->zero;
    if (seen >= rank) return 0.0;
    for (int i = 0; i < RS_HIST_BUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= rank) return rs_hist_bucket_low(i) + 0.5 * rs_hist_bucket_width(i);
    }
    return NAN; /* unreachable: counts add up to total */
}

double rs_hist_count_below(const struct rs_hist *h, double t)
{
    if (t < 0) return 0;
    double n = (double)h->zero;
    for (int i = 0; i < RS_HIST_BUCKETS; i++) {
        if (!h->counts[i]) continue;
        double lo = rs_hist_bucket_low(i), w = rs_hist_bucket_width(i);
        if (lo + w <= t)
            n += (double)h->counts[i];
        else {
            if (t > lo) n += (double)h->counts[i] * (t - lo) / w;
            break;
        }
    }
    return n;
}

void rs_hist_counts_below(const struct rs_hist *h, const double *t, int n, double *out)
{
    double full = (double)h->zero; /* values in the buckets before i, added in order */
    int i = 0;
    for (int k = 0; k < n; k++) {
        if (t[k] < 0) {
            out[k] = 0;
            continue;
        }
        if (k > 0 && !(t[k] >= t[k - 1])) { /* not ascending: start over */
            full = (double)h->zero;
            i = 0;
        }
        double n_below = full;
        for (; i < RS_HIST_BUCKETS; i++) {
            if (!h->counts[i]) continue;
            double lo = rs_hist_bucket_low(i), w = rs_hist_bucket_width(i);
            if (lo + w <= t[k]) {
                full += (double)h->counts[i];
                n_below = full;
                continue;
            }
            n_below = full;
            if (t[k] > lo) n_below += (double)h->counts[i] * (t[k] - lo) / w;
            break;
        }
        out[k] = n_below;
    }
}
