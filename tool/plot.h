/* plot.h: what the pieces of `replysim plot` share.  cmd_plot.c runs
 * gnuplot; plot_build.c reads a results folder and builds, in memory, the
 * gnuplot settings of every picture and the sweep picture's data
 * (plot_sweep.c); plot_input.c checks the files it reads.
 *
 * A results folder may come from anyone, so every file plot reads is
 * untrusted: it is read whole by the CSV reader (csvin.h: no NUL bytes,
 * well-formed quotes, as many cells in every row, bounded size) and must
 * have the columns gnuplot reads where the scripts read them; numbers are
 * plain decimal numbers (or empty where replysim leaves a blank), text
 * holds no control characters, quotes or commas and at most
 * RS_PLOT_MAX_TEXT characters.  Anything else is one error naming file and
 * line.  Text that reaches gnuplot's settings is a single-quoted gnuplot
 * literal (rs_plot_quote), never a macro or double-quoted string, so no
 * name can run a gnuplot command. */
#ifndef RS_PLOT_H
#define RS_PLOT_H

#include "replysim/buf.h"
#include "replysim/csvin.h"
#include "replysim/error.h"
#include "replysim/scenario.h"

/* Longest text cell of a file plot reads. */
#define RS_PLOT_MAX_TEXT 256
/* Longest settings of one picture: gnuplot takes them as one argument. */
#define RS_PLOT_MAX_SETTINGS 60000
/* The sweep picture: at most this many curves and categories. */
#define RS_PLOT_MAX_SERIES 32
#define RS_PLOT_MAX_CATEGORIES 100

enum {
    RS_PLOT_LATENCY,
    RS_PLOT_SERVICE_LEVEL,
    RS_PLOT_LOAD,
    RS_PLOT_OUTCOMES,
    RS_PLOT_SWEEP,
    RS_PLOT_STAFFING,
    RS_PLOT_COMPARE,
    RS_PLOT_BACKTEST,
    RS_PLOT_N
};

/* "latency", ...: the picture's name, of its script plots/NAME.gp and of
 * its files NAME.png and NAME.svg. */
extern const char *const rs_plot_names[RS_PLOT_N];

/* plot's whole work on one results folder (cmd_plot.c), for plot and
 * report: checks and reads its files, draws every picture they allow with
 * one gnuplot process (PNG and SVG; svg_only: SVG alone) into out (NULL:
 * dir), each written aside and renamed.  drawn[i] is 1 for each picture
 * drawn (the file out/NAME.svg; sweep with metric: sweep_METRIC).  Returns
 * the exit status, having said why on stderr. */
struct rs_plot_job {
    const char *dir;
    const char *metric; /* --metric, NULL: none */
    double target;      /* the service-level target drawn (0.9) */
    const char *out;
    int svg_only;
    int nothing_ok; /* 1: a folder with nothing to draw is no error (none drawn) */
    int drawn[RS_PLOT_N];
};
int rs_plot_run(struct rs_plot_job *job);

/* What plot draws from. */
struct rs_plot_in {
    const char *dir;              /* the results folder */
    const char *metric;           /* --metric, NULL: none */
    double target;                /* --target */
    const struct rs_scenario *sc; /* DIR/scenario.ini */
    const char *sweep_data;       /* the sweep data file's path, as the settings name it */
};

/* What it draws: each picture's settings (empty: not drawn), the sweep
 * data file's content, and notes for the user (lines, possibly none). */
struct rs_plot_out {
    struct rs_buf set[RS_PLOT_N];
    struct rs_buf sweep_data;
    struct rs_buf notes;
};

#define RS_PLOT_OUT_INIT                                                                           \
    {                                                                                              \
        .sweep_data = RS_BUF_INIT, .notes = RS_BUF_INIT                                            \
    }

/* Reads the files of in->dir and builds out (initialised by the caller
 * with RS_PLOT_OUT_INIT, or zeroed).  RS_OK; RS_EINPUT with err naming
 * file and line for a file that is not what replysim writes; RS_EIO when
 * a file cannot be read. */
int rs_plot_build(const struct rs_plot_in *in, struct rs_plot_out *out, struct rs_error *err);

void rs_plot_out_free(struct rs_plot_out *out);

/* Appends s to b as a gnuplot string literal: in single quotes, each
 * single quote doubled. */
void rs_plot_quote(struct rs_buf *b, const char *s);

/* Appends items to b as the gnuplot word list "a" "b" (items hold no
 * double quotes: rs_plot_text checked them). */
void rs_plot_words(struct rs_buf *b, const char *const *items, int n);

/* name=literal; for the settings. */
void rs_plot_setting(struct rs_buf *b, const char *name, const char *text);

/* ------------------------------------------------ plot_input.c */

/* A column of a file plot reads: its name, where gnuplot reads it (0-based;
 * -1: anywhere, found by name) and whether it holds numbers. */
struct rs_plot_col {
    const char *name;
    int at;
    int number; /* 1: decimal numbers or blanks */
};

/* Reads path (labelled so in messages) with the CSV reader and checks it:
 * a header with every column of cols (where it must be), at least one row
 * beneath, every cell plain text (rs_plot_text), each number column's
 * cells decimal numbers or blank.  On success *out holds the file. */
int rs_plot_table(const char *path, const struct rs_plot_col *cols, int n, struct rs_csvin **out,
                  struct rs_error *err);

/* 0 when s is plain text: no control characters, no quote, and no comma
 * unless commas is 1, at most RS_PLOT_MAX_TEXT characters; else -1 with
 * why filled ("expected ..."). */
int rs_plot_text(const char *s, int commas, char *why, size_t n);

/* 0 and *x when s is a finite decimal number ([-+]digits[.digits][e[-+]digits]),
 * else -1. */
int rs_plot_number(const char *s, double *x);

/* ------------------------------------------------ plot_labels.c */

/* The words of metric's axis with its unit, "answered within 1h (%)",
 * "first response time, 90th percentile (minutes)", into label; returns
 * the factor from the metric's values to the axis' (100 for a share,
 * 1/60 or 1/3600 for seconds: hours when max_value, in seconds, is 2 h
 * or more).  A metric not in the table is its own label, factor 1. */
double rs_plot_metric_label(const char *metric, double max_value, char *label, size_t len);

/* The words of a swept scenario key: staff.agents -> "agents". */
void rs_plot_key_label(const char *key, char *label, size_t len);

/* ------------------------------------------------ plot_compare.c */

/* compare.csv at csv: the settings of plots/compare.gp, a panel per metric
 * (metric, or a default few the file has) with each variant's difference
 * from the base and its 95% interval, in scope all.  RS_OK, or
 * RS_EINPUT/RS_EIO with err. */
int rs_plot_compare_settings(const char *csv, const char *metric, const struct rs_scenario *sc,
                             const char *reps, struct rs_buf *settings, struct rs_error *err);

/* ------------------------------------------------ plot_sweep.c */

/* Reads the sweep.csv at csv and builds the points of metric (NULL:
 * response_rate with frt_p90_s beside it) in scope all into data, one
 * gnuplot block per combination of the other swept keys; appends the
 * settings of plots/sweep.gp (naming datafile) to settings.  scenario and
 * reps name the run in the title.  RS_OK or RS_EINPUT/RS_EIO with err. */
int rs_plot_sweep_settings(const char *csv, const char *metric, const char *scenario, int reps,
                           const char *datafile, struct rs_buf *data, struct rs_buf *settings,
                           struct rs_error *err);

/* ------------------------------------------------ cmd_plot.c, for fit */

/* The folder of the gnuplot scripts (to free), NULL: none found. */
char *rs_plot_scripts(void);
/* Runs gnuplot on script with the -e settings: its exit status (127: not
 * found), -1 when it could not be run. */
int rs_plot_gnuplot(const char *settings, const char *script);

/* ------------------------------------------------ plot_fit.c */

/* Draws fit's pictures from the data files in dir (fit_arrivals.csv,
 * fit_handle.csv) into dir/fit_arrivals.{png,svg} and
 * dir/fit_handle.{png,svg}, naming fit's channels and types.  Returns how many files it drew; what
 * failed is said in notes. */
struct rs_fit;
int rs_plot_fit(const char *dir, const struct rs_fit *fit, const char *title, struct rs_buf *notes);

/* ------------------------------------------------ plot_backtest.c */

/* Reads the backtest.csv at csv (replysim backtest) and appends the
 * settings of plots/backtest.gp to out: a panel per metric it holds of
 * response_rate, wait_mean_s, frt_mean_s, frt_p90_s and sc's sl_1h (or
 * its first sl_T), each with its coverage; timing is the run's clock
 * settings.  RS_OK or RS_EINPUT/RS_EIO with err. */
int rs_plot_backtest_settings(const char *csv, const struct rs_scenario *sc, const char *timing,
                              struct rs_buf *out, struct rs_error *err);

#endif
