/* fit.h: a scenario estimated from a message log (`replysim fit`).
 *
 * Messages are added one at a time (logread.h streams them); what is kept
 * is bounded by the log's span and its channels and types, never by its
 * rows: arrival counts per bin of time, sufficient statistics and binned
 * histograms of handle times and of patience (censored), and the seconds
 * agents were busy and customers waited per minute.  rs_fit_finish then
 * estimates, per channel, the rate and its profile (hour of the week, or
 * one multiplier per interval for a log under two weeks), the day-level
 * dispersion and the type mix; per type the handle-time distribution
 * (exponential, gamma or lognormal, by AIC on maximum likelihood) and the
 * patience (exponential MLE on censored waits, checked by Kaplan-Meier);
 * the staffing that was effectively available, and the working hours
 * (fit_hours.c).  README "Logs" says
 * how.  The results are written as the files of a results folder
 * (rs_fit_files, for rs_report_write): scenario.ini and the CSV inputs it
 * names, fit.csv, staffing.csv and the data of fit's pictures. */
#ifndef RS_FIT_H
#define RS_FIT_H

#include "replysim/buf.h"
#include "replysim/error.h"
#include "replysim/logread.h"
#include "replysim/report.h"
#include "replysim/scenario.h"

#include <stddef.h>
#include <stdio.h>

struct rs_fit_opts {
    double interval_s;    /* the scenario's interval and the staffing's step (3600) */
    long agents;          /* --agents: constant staff; -1: not given */
    const char *schedule; /* --schedule: a time,agents CSV to use as it is; NULL: none */
    const char *handle;   /* --handle: a distribution for types the log has no
                             handle times of; NULL: none (then such a type is an error) */
    const char *hours;    /* --hours: "always" or a [policy] hours value; NULL: inferred
                             from the hours of the week in which work started */
    const char *label;    /* the log as named in messages */
};

struct rs_fit; /* opaque */

/* An empty fit; o is copied (its strings must outlive the fit).  RS_EINPUT
 * when interval_s is neither a divisor of 1h nor whole hours. */
int rs_fit_create(const struct rs_fit_opts *o, struct rs_fit **out, struct rs_error *err);

/* Adds message m (with the observed-metrics counters of observed.h).
 * RS_EINPUT (err naming the log's line) when m brings a channel or type
 * beyond what a scenario may hold. */
int rs_fit_add(struct rs_fit *f, const struct rs_log_msg *m, struct rs_error *err);

/* The weekday of the log's t = 0 (0 = mon; -1: bare seconds, taken as
 * mon), known once the log's first time is read (rs_log_origin_day). */
void rs_fit_set_origin_day(struct rs_fit *f, int day);

/* Estimates everything from what was added.  RS_EINPUT when the log cannot
 * make a scenario (no messages; no handle times and no opts->handle; no
 * staffing seen and neither agents nor schedule).  notes gets lines for
 * the user (what could not be identified, what was assumed), each ending
 * in a newline; it may be NULL. */
int rs_fit_finish(struct rs_fit *f, struct rs_buf *notes, struct rs_error *err);

/* The files of the results folder, into out (room entries): their count.
 * The entries point into f. */
size_t rs_fit_files(const struct rs_fit *f, struct rs_report_entry *out, size_t room);

/* Messages added, and the picture data files' names among the files. */
long rs_fit_messages(const struct rs_fit *f);
#define RS_FIT_ARRIVALS_CSV "fit_arrivals.csv"
#define RS_FIT_HANDLE_CSV "fit_handle.csv"

/* What fit's pictures name (after rs_fit_finish): 1 when the profile is
 * by hour of the week; the channels' and types' scenario names and each
 * type's chosen handle-time distribution ("gamma", "none"). */
int rs_fit_weekly(const struct rs_fit *f);
int rs_fit_n_channels(const struct rs_fit *f);
const char *rs_fit_channel_name(const struct rs_fit *f, int c);
int rs_fit_n_types(const struct rs_fit *f);
const char *rs_fit_type_name(const struct rs_fit *f, int k);
const char *rs_fit_type_family(const struct rs_fit *f, int k);

/* A check of the fitted scenario on data the fit did not see (`fit
 * --holdout`: a backtest of the log's held-out end), for fit.csv: per metric
 * of the backtest, the intervals compared and those covered, as rows
 * holdout_coverage (scope metric:NAME, Wilson interval), method saying
 * what was held out and how it was checked.  Copied; at most
 * RS_FIT_MAX_HOLDOUT metrics (more are ignored). */
#define RS_FIT_MAX_HOLDOUT 24
void rs_fit_add_holdout(struct rs_fit *f, const char *metric, long intervals, long covered,
                        const char *method);

/* For a replay of what came after a fitted scenario's first end_s seconds
 * (`fit --holdout`): a schedule over time (the staffing fit saw, interval
 * by interval) says nothing beyond it, so it becomes its last week before
 * end_s, repeated weekly on the calendar (a weekly schedule, from mon
 * 00:00, as sc's start places it), named "schedule.csv" for the folder
 * it is written into (rs_fit_write_week_schedule, ctx the scenario).
 * Returns 1 when it did; constant agents, weekly schedules and shifts stay
 * as they are (0).  end_s must be at least a week. */
int rs_fit_schedule_last_week(struct rs_scenario *sc, double end_s);
int rs_fit_write_week_schedule(FILE *out, const void *sc, struct rs_error *err);

void rs_fit_destroy(struct rs_fit *f); /* NULL is fine */

#endif
