/* sweep.h: a grid of scenario settings, run point by point (docs/scenario-reference.md section 9).
 *
 * Each axis is one key and its values; the grid is every combination, in
 * the order the axes were added with the last varying fastest.  A point is
 * the base scenario (file plus shared settings) with one value of each axis
 * set on top, run on the base's seed and replications, so every point sees
 * the same customers (common random numbers).  Points run over the worker
 * pool; each point's rows are formatted when it finishes and appended in
 * point order, so sweep.csv is the same whatever the thread count. */
#ifndef RS_SWEEP_H
#define RS_SWEEP_H

#include "replysim/error.h"
#include "replysim/progress.h"
#include "replysim/scenario.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RS_SWEEP_MAX_AXES 16      /* keys of one grid */
#define RS_SWEEP_MAX_POINTS 10000 /* points of one grid, and values of one axis */

struct rs_sweep_axis {
    char *key;     /* "section.key", owned */
    int n;         /* values */
    char **values; /* value texts, owned */
};

/* A grid; fill path, sets and n_sets, add axes, then set replications and
 * seed (the base's) before running.  Free with rs_sweep_free. */
struct rs_sweep {
    const char *path;        /* the scenario file */
    const char *const *sets; /* settings of every point (--set), not owned */
    int n_sets;
    int n_axes;
    struct rs_sweep_axis axes[RS_SWEEP_MAX_AXES];
    long n_points;           /* product of the axes' n, at most RS_SWEEP_MAX_POINTS */
    int replications;        /* of every point */
    uint64_t seed;           /* base seed of every point */
    rs_progress_fn progress; /* NULL: none; else RS_PROGRESS_POINTS as they finish */
    void *progress_ctx;
};

/* Adds the axis key with values from text: "V1,V2,..." (blanks around a
 * value dropped), or "FROM:TO:STEP" of decimal numbers with one unit common
 * to the three ("20/h:60/h:10/h"), expanded in exact decimal arithmetic
 * (0.1:0.5:0.1 is 0.1 0.2 0.3 0.4 0.5; TO is included when a whole number
 * of STEPs away).  0, or -1 with why filled (nothing added).  The caller
 * checks the key itself and the axes' count. */
int rs_sweep_add_axis(struct rs_sweep *sw, const char *key, const char *text, char *why,
                      size_t len);

/* The value of axis k at point p. */
const char *rs_sweep_value(const struct rs_sweep *sw, long p, int k);

/* Loads point p into *out (the base's seed and replications set): errors
 * as rs_variant_load's, a swept value named as "--vary KEY=VALUE". */
int rs_sweep_load_point(const struct rs_sweep *sw, long p, struct rs_scenario **out,
                        struct rs_error *err);

/* Runs every point over threads and writes their rows of sweep.csv (no
 * header) into rows in point order.  Returns RS_OK, or the error of the
 * first failed point in grid order (no further point is started). */
int rs_sweep_run(const struct rs_sweep *sw, int threads, FILE *rows, struct rs_error *err);

/* The sweep's folder: sweep.csv (the header, then rows from its start) and
 * scenario.ini (base, the sweep described in its opening comments),
 * written as one report into dir.  RS_OK or RS_EIO with err filled. */
int rs_sweep_write(const char *dir, const struct rs_sweep *sw, const struct rs_scenario *base,
                   FILE *rows, struct rs_error *err);

/* Frees the axes of sw (sw itself is the caller's). */
void rs_sweep_free(struct rs_sweep *sw);

#endif
