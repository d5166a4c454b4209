/* plot.h: what the pieces of `replysim plot` share: gnuplot string
 * literals, and the settings of the sweep picture (plot_sweep.c). */
#ifndef RS_PLOT_H
#define RS_PLOT_H

#include "replysim/buf.h"

/* Appends s to b as a gnuplot string literal: in single quotes, each
 * single quote doubled. */
void rs_plot_quote(struct rs_buf *b, const char *s);

/* Appends items to b as the gnuplot word list "a" "b" (double quotes
 * dropped from each). */
void rs_plot_words(struct rs_buf *b, const char *const *items, int n);

/* Reads the sweep.csv at csv and writes the points of metric (NULL:
 * response_rate with frt_p90_s beside it) in scope all to datafile, one
 * gnuplot block per combination of the other swept keys; appends the
 * settings of plots/sweep.gp to settings.  scenario and reps name the run
 * in the title.  RS_EXIT_OK, or the exit status after saying why. */
int rs_plot_sweep_settings(const char *csv, const char *metric, const char *scenario, int reps,
                           const char *datafile, struct rs_buf *settings);

#endif
