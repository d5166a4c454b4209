/* report.h: result files, written whole or not at all.
 *
 * A report collects files in one output folder: each is written to a
 * temporary name in that folder, and only when every file was written
 * without error are they renamed into place.  Fields are written as
 * csvout.h says. */
#ifndef RS_REPORT_H
#define RS_REPORT_H

#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/summary.h"
#include "replysim/scenario.h"

#include <stdio.h>

/* One file of a results folder: its name and the function that writes it.
 * write returns RS_OK, or a negative RS_E* code with err filled; what it
 * prints into f is checked for write errors when the folder is committed. */
struct rs_report_entry {
    const char *name; /* file name inside the folder, "summary.csv" */
    int (*write)(FILE *f, const void *ctx, struct rs_error *err); /* NULL: file left out */
    const void *ctx;                                              /* handed to write as it is */
};

/* Writes the n files of files[] into dir (created with its parents when
 * missing) as one report: either every file is in place afterwards, or
 * none of them was touched.  Files are written in order; the first that
 * fails stops the rest.  Returns RS_OK, or the first error (err filled). */
int rs_report_write(const char *dir, const struct rs_report_entry *files, size_t n,
                    struct rs_error *err);

/* One row of summary.csv, "metric,scope,mean,ci_low,ci_high,sd,n\n". */
void rs_report_summary_row(FILE *f, const char *metric, const char *scope,
                           const struct rs_summary *s);

/* Weekday and clock of t_s seconds after sc's start, as "mon 09:00". */
void rs_report_clock(const struct rs_scenario *sc, double t_s, char *buf, size_t n);

/* A number for the tables that compare and check print: 4 significant
 * digits (3 with a sign), whole numbers from 10^4 on rather than an
 * exponent, a percentage, "-" when undefined; an exact 0 is "0" so that
 * "no difference at all" stands out. */
enum rs_cell_kind { RS_CELL_PLAIN, RS_CELL_SIGNED, RS_CELL_PERCENT };
void rs_report_cell(char *cell, size_t n, enum rs_cell_kind kind, double x);

/* The files of `replysim run` (SPEC section 8). */
void rs_report_summary(FILE *f, const struct rs_results *res);
void rs_report_replications(FILE *f, const struct rs_results *res);
void rs_report_latency(FILE *f, const struct rs_results *res, const struct rs_scenario *sc);

/* intervals.csv: one row per interval and metric (tidy, like summary.csv),
 * with the interval's start as seconds and as weekday and clock. */
void rs_report_intervals(FILE *f, const struct rs_results *res, const struct rs_scenario *sc);

/* messages.csv (run --trace): every message of every replication and its
 * fate.  RS_EIO when a replication's trace cannot be read back. */
int rs_report_messages(FILE *f, const struct rs_results *res);

/* The folder of `replysim run`: summary.csv, replications.csv, latency.csv,
 * intervals.csv, messages.csv (only when res was run with a trace) and
 * scenario.ini (sc as loaded, to rerun), written into dir as one report
 * (rs_report_write).  RS_OK or RS_EIO with err filled. */
int rs_report_run(const char *dir, const struct rs_results *res, const struct rs_scenario *sc,
                  struct rs_error *err);

#endif
