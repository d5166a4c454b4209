/* summary.h: a mean across replications and its 95% confidence interval,
 * the one rule every runner and file uses. */
#ifndef RS_SUMMARY_H
#define RS_SUMMARY_H

#include <stddef.h>

struct rs_summary {
    double mean;    /* mean over replications where defined */
    double ci_low;  /* 95% Student t interval; NaN when n < 2 */
    double ci_high;
    double sd;      /* sample standard deviation across replications; NaN when n < 2 */
    int n;          /* replications where the value is defined */
};

/* Summary of the n values x[0], x[stride], ..., x[(n - 1) * stride],
 * skipping NaNs (undefined in that replication). */
void rs_summary_of(const double *x, size_t stride, int n, struct rs_summary *out);

/* Half-width of the 95% Student t confidence interval of a mean of n >= 2
 * values with sample standard deviation sd. */
double rs_summary_ci_half(double sd, int n);

#endif
