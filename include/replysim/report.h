/* report.h: result files, written whole or not at all.
 *
 * A results folder always holds one complete run: its files are written
 * into a fresh private folder beside it and swapped in with one rename
 * (report_folder.c says how, and what an interrupted run leaves).  A
 * folder holding files replysim did not write is never written into.
 * Fields are written as csvout.h says. */
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

/* Whether dir can take a results folder, before any work is done: RS_OK
 * when it is missing (its parents are created later), empty or holds only
 * replysim's results (files named by its marker .replysim, or by a name
 * replysim writes, or replysim's leftovers), and the folder above it can
 * be written into.  RS_EINPUT when dir is a file or holds anything else,
 * RS_EIO when it cannot be examined or written.  Removes what interrupted
 * runs into dir left beside it. */
int rs_report_prepare(const char *dir, struct rs_error *err);

/* Writes the n files of files[] (plain names) and the marker .replysim
 * listing them as the folder dir, replacing what dir held: afterwards dir
 * holds exactly these files, or, on any error or interruption, exactly
 * what it held before.  Checks dir as rs_report_prepare does.  Files are
 * written in order; the first that fails stops the rest.  Returns RS_OK,
 * or the first error (err filled). */
int rs_report_write(const char *dir, const struct rs_report_entry *files, size_t n,
                    struct rs_error *err);

/* Writes the one file at path (in a folder shared with other files, such
 * as a baseline) through a temporary file created O_EXCL beside it and
 * renamed over it: path holds the old file or the new one, never a mix.
 * RS_EINPUT when path is there but not a regular file. */
int rs_report_write_file(const char *path, const struct rs_report_entry *file,
                         struct rs_error *err);

/* 1: this process computes the results another one writes (a worker rank
 * of replysim-mpi, rank 0 writing): from then on rs_report_prepare only
 * looks (no trial folder, no leftovers removed) and rs_report_write and
 * rs_report_write_file write nothing and return RS_OK.  Set once, before
 * any of them runs. */
void rs_report_set_discard(int discard);

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

/* The files of `replysim run` (docs/scenario-reference.md section 8). */
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
