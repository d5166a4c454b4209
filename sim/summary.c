/* summary.c: mean, sd and the Student t interval across replications. */
#include "replysim/summary.h"

#include "replysim/alloc.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* t quantiles by n, computed once each: a results file asks for the same
 * few n in every cell, and gsl_cdf_tdist_Pinv costs thousands of
 * instructions.  Threads may race to fill a slot; they store the same
 * bits.  0 marks a slot not yet filled (no quantile is 0). */
#define T_CACHE 4096
static _Atomic uint64_t t_cache[T_CACHE];

static double t975(int n)
{
    if (n < 2 || n >= T_CACHE) return gsl_cdf_tdist_Pinv(0.975, n - 1);
    uint64_t bits = atomic_load_explicit(&t_cache[n], memory_order_relaxed);
    double t;
    if (bits) {
        memcpy(&t, &bits, sizeof t);
        return t;
    }
    t = gsl_cdf_tdist_Pinv(0.975, n - 1);
    memcpy(&bits, &t, sizeof bits);
    atomic_store_explicit(&t_cache[n], bits, memory_order_relaxed);
    return t;
}

double rs_summary_ci_half(double sd, int n) { return t975(n) * sd / sqrt((double)n); }

void rs_summary_of(const double *x, size_t stride, int n, struct rs_summary *out)
{
    double *v = rs_malloc((size_t)n * sizeof *v + 1);
    int k = 0;
    for (int i = 0; i < n; i++) {
        double xi = x[(size_t)i * stride];
        if (!isnan(xi)) v[k++] = xi;
    }
    out->n = k;
    out->mean = k ? gsl_stats_mean(v, 1, (size_t)k) : NAN;
    out->sd = out->ci_low = out->ci_high = NAN;
    if (k >= 2) {
        out->sd = gsl_stats_sd_m(v, 1, (size_t)k, out->mean);
        double half = rs_summary_ci_half(out->sd, k);
        out->ci_low = out->mean - half;
        out->ci_high = out->mean + half;
    }
    free(v);
}
