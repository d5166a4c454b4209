/* fit_int.h: what the pieces of fit share (fit.c: arrivals, mix and the
 * driver; fit_dist.c: handle times and patience; fit_staff.c: staffing;
 * fit_hours.c: working hours; fit_write.c: the files). */
#ifndef RS_FIT_INT_H
#define RS_FIT_INT_H

#include "replysim/buf.h"
#include "replysim/fit.h"
#include "replysim/observed.h"
#include "replysim/scenario.h"

#include <stdint.h>
#include <stdio.h>

/* Histograms of durations on a log scale: bin 0 holds [0, 1 s), bin k >= 1
 * [10^((k-1)/PER_DECADE), 10^(k/PER_DECADE)) s, the last everything above. */
#define FIT_PER_DECADE 10
#define FIT_BINS (8 * FIT_PER_DECADE + 2)
double rs_fit_bin_lo(int k);
/* The p quantile of chi-square with df degrees of freedom (GSL's, or for
 * large df the Wilson-Hilferty approximation: GSL's inversion can abort). */
double rs_fit_chisq_quantile(double p, double df);
double rs_fit_bin_hi(int k);
int rs_fit_bin(double x_s);

/* Handle times of one type: sufficient statistics of x > 0 and a histogram. */
struct fit_handle_acc {
    double n, zeros, sx, sx2, sx3, sx4, slx, slx2;
    double hist[FIT_BINS];
};

enum fit_family { FIT_EXPONENTIAL, FIT_GAMMA, FIT_LOGNORMAL, FIT_N_FAMILIES };

/* A fitted handle-time distribution. */
struct fit_handle {
    double n;
    int family;                     /* the one chosen, -1: no data */
    double loglik[FIT_N_FAMILIES];  /* maximised log-likelihoods */
    double aic[FIT_N_FAMILIES];     /* 2 k - 2 loglik */
    double holdout[FIT_N_FAMILIES]; /* two-fold held-out log-likelihood, NAN: too few */
    int by_holdout;                 /* 1: chosen by holdout, 0: by AIC */
    double shape, scale;            /* gamma */
    double mu, sigma;               /* lognormal, of ln x */
    double mean_s, sd_s;            /* of the chosen distribution */
    double mean_lo, mean_hi;        /* 95% CI of the mean (from the sample) */
    double sd_lo, sd_hi;            /* 95% CI of the sd (from the sample's moments) */
};

void rs_fit_handle_add(struct fit_handle_acc *a, double x_s);
/* fold: the two halves of a's values (dealt alternately), NULL: none. */
void rs_fit_handle_estimate(const struct fit_handle_acc *a, const struct fit_handle_acc *fold,
                            struct fit_handle *out);
/* Density of the chosen distribution at x (per second). */
double rs_fit_handle_pdf(const struct fit_handle *h, double x_s);
/* The scenario's text of it: "gamma(mean=4m, sd=2.5m)". */
void rs_fit_handle_text(const struct fit_handle *h, char *buf, size_t len);
const char *rs_fit_family_name(int family);

/* Patience of one type, from censored waits: events (withdrawals) and
 * exposures, binned for Kaplan-Meier. */
struct fit_patience_acc {
    double events, exposure_s, censored;
    double ev[FIT_BINS], cens[FIT_BINS];
};

struct fit_patience {
    double events, n;      /* withdrawals, messages */
    double mean_s, lo, hi; /* exponential MLE and its exact 95% CI; NAN: not identified */
    double km_gap;         /* largest |S_KM - S_exp| where 100 or more were at risk */
    double km_median_s;    /* Kaplan-Meier median, NAN when S stays above 1/2 */
};

void rs_fit_patience_add(struct fit_patience_acc *a, double t_s, int event, double weight);
void rs_fit_patience_estimate(const struct fit_patience_acc *a, struct fit_patience *out);

/* Staffing: seconds busy (agents at work) and waiting (customers not yet
 * taken) per slot of slot_s, kept as exact integrals. */
struct fit_slots {
    double slot_s;
    long n;
    double *busy, *busy_full; /* busy_full: a difference array of whole slots */
    double *wait, *wait_full;
};

void rs_fit_slots_busy(struct fit_slots *s, double from_s, double to_s);
void rs_fit_slots_wait(struct fit_slots *s, double from_s, double to_s, double n);
/* Latest time the minute counts reach (about 8 years from the origin). */
#define FIT_MAX_SPAN_S (4194304.0 * 60)
/* Folds the difference arrays into busy and wait (before reading them). */
void rs_fit_slots_settle(struct fit_slots *s);
void rs_fit_slots_free(struct fit_slots *s);
/* Per interval of interval_s from t = 0 (n_intervals of them): the
 * effective agents, the most busy at once (minute average) and the minutes
 * with a customer waiting throughout (fit_staff.c says how). */
void rs_fit_staffing(const struct fit_slots *s, double t0_s, double interval_s, long n_intervals,
                     double *agents, double *busy_max, double *queued_min);

/* A growable array of counts over bins of res_s from bin lo. */
struct fit_series {
    double *v;
    long lo, n;
};
void rs_fit_series_add(struct fit_series *s, long bin, double w);
double rs_fit_series_get(const struct fit_series *s, long bin);

/* A channel or type: its name in the log and in the scenario. */
struct fit_name {
    char *raw;
    char name[RS_NAME_MAX];
};

enum fit_shape { SHAPE_WEEK, SHAPE_DAY_WEEKDAY, SHAPE_DAY, SHAPE_FLAT, N_SHAPES };
const char *rs_fit_shape_name(int shape);

struct fit_channel {
    struct fit_name nm;
    double n, type_n[RS_MAX_TYPES];
    struct fit_series counts; /* arrivals per bin of res_s */
    struct rs_observed *obs;
    /* estimates */
    double rate_per_s, rate_lo, rate_hi;
    double *profile; /* 168 hour-of-week multipliers, or one per bin of the horizon */
    double *observed_per_h;
    double dispersion, disp_lo, disp_hi;
    long days;
    /* the profile's shape, chosen by the mean Poisson deviance per bin of
     * alternate whole weeks predicted from the others (fit.c) */
    int shape;
    double hold[N_SHAPES], hold_bins;
};

struct fit_type {
    struct fit_name nm;
    double n, derived; /* messages; handle times taken as reply - take */
    struct fit_handle_acc hacc, fold[2];
    struct fit_patience_acc pacc;
    struct fit_series open; /* arrivals per bin of messages still open at the end */
    struct fit_handle h;
    struct fit_patience p;
    int handle_given; /* no handle times: --handle used (1) or every type's fit (2) */
    double touched;   /* messages taken, answered or withdrawn in the log */
    int no_reply;     /* none was: written as reply = no (triage, not in the inbox) */
};

enum fit_staff_from { STAFF_ESTIMATED, STAFF_AGENTS, STAFF_SCHEDULE };
enum fit_hours_from { HOURS_INFERRED, HOURS_GIVEN };

/* Working hours: what fit_hours.c found (or --hours gave). */
struct fit_hours {
    enum fit_hours_from from;
    int n;                                   /* spans; 0: always open */
    struct rs_hours_span span[RS_MAX_HOURS]; /* as the scenario holds them */
    char *text;                              /* the [policy] hours value; NULL when n = 0 */
    unsigned char open[168];                 /* inferred: each hour of the week from mon 00:00 */
    double weeks;                            /* hours of the log looked at / 168 */
    double acted, evidence;                  /* open hours' weeks with work started, with either */
    double starts, outside;                  /* work starts, and those outside the hours */
    int bridged;                             /* closed runs opened to fit RS_MAX_HOURS spans */
    int none_open;                           /* inferred: no hour was open, so always */
};

struct rs_fit {
    struct rs_fit_opts o;
    int origin_day;
    double res_s; /* bins of the arrival counts */
    int n_ch, n_ty;
    struct fit_channel ch[RS_MAX_CHANNELS];
    struct fit_type ty[RS_MAX_TYPES];
    long n_msgs, n_busy, n_withdrawn;
    double min_arrive_s, max_arrive_s, end_s; /* end: the latest time of the log */
    struct fit_slots slots;
    struct fit_series starts; /* work started (take, else reply - handle, else reply) per hour */
    long n_takes;             /* starts read from a take time */
    struct fit_hours hours;
    struct fit_handle_acc hacc_all;
    struct fit_handle h_all; /* every type's handle times together */
    struct rs_observed *obs;
    struct rs_scenario *defaults; /* within thresholds and the like */
    /* estimates */
    double t0_s, horizon_s; /* the scenario's t = 0 on the log's clock, and its horizon */
    int start_day, weekly;
    long n_bins; /* of the profile: 168 or horizon / res_s */
    long n_intervals;
    double *agents, *busy_max, *queued_min;
    unsigned char *in_hours; /* per interval: 1 when any of it is in the working hours */
    enum fit_staff_from staff_from;
    char *schedule_text; /* --schedule's file, as it is */
    double rate_all, rate_all_lo, rate_all_hi;
    struct fit_heldout { /* rs_fit_add_holdout */
        char metric[48];
        long intervals, covered;
    } heldout[RS_FIT_MAX_HOLDOUT];
    int n_heldout;
    char *heldout_method;
    struct fit_profile_file {
        const struct rs_fit *f;
        int c;
        char name[RS_NAME_MAX + 16]; /* "profile_NAME.csv" */
    } pfile[RS_MAX_CHANNELS];
};

/* fit_hours.c: the working hours, inferred from the hours of the week in
 * which work started (or --hours), after the minute counts are settled,
 * and f->in_hours (per interval: 1 when any of it is in them); RS_EINPUT
 * for a bad --hours. */
int rs_fit_hours(struct rs_fit *f, struct rs_buf *notes, struct rs_error *err);
/* Estimated staffing in closed intervals (f->in_hours 0) set to that of
 * the next opening (so schedule and hours agree; fit_hours.c says why). */
void rs_fit_hours_staffing(struct rs_fit *f);
/* h->span, h->n and h->text from h->open (the hours of the week open);
 * when that takes more than RS_MAX_HOURS spans, the shortest closed runs
 * are opened (h->bridged of them). */
void rs_fit_hours_set_open(struct fit_hours *h);
/* Parses an hours value ("always", "mon-fri 09:00-17:00") into h: RS_OK
 * or RS_EINPUT with why. */
int rs_fit_hours_parse(const char *v, struct fit_hours *h, char *why, size_t n);

/* fit_write.c: reads --schedule's file (RS_EINPUT naming it) */
int rs_fit_read_schedule(struct rs_fit *f, struct rs_error *err);
/* fit_table.c: fit.csv and the pictures' data (report writers, ctx the fit) */
int rs_fit_write_table(FILE *out, const void *ctx, struct rs_error *err);
int rs_fit_write_arrivals(FILE *out, const void *ctx, struct rs_error *err);
int rs_fit_write_handle(FILE *out, const void *ctx, struct rs_error *err);

#endif
