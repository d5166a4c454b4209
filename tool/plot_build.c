/* plot_build.c: the gnuplot settings of every picture of `replysim plot`,
 * built in memory from the files of a results folder, each checked first
 * (plot.h).  Nothing here runs gnuplot or writes a file. */
#include "plot.h"

#include "replysim/alloc.h"
#include "replysim/buf.h"
#include "replysim/csvin.h"
#include "replysim/error.h"
#include "replysim/scenario.h"
#include "replysim/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const rs_plot_names[RS_PLOT_N] = {"latency", "service_level", "load",    "outcomes",
                                              "sweep",   "staffing",      "compare", "backtest"};

/* The files of the folder (paths, owned; NULL: absent) and what the
 * pictures share. */
struct build {
    const struct rs_plot_in *in;
    const struct rs_scenario *sc;
    char *file[RS_PLOT_N]; /* the file each picture reads */
    struct rs_csvin *summary;
    int bands;            /* 1: confidence bands (two replications or more) */
    struct rs_buf reps;   /* "mean of 10 replications, 95% CI" */
    struct rs_buf per;    /* "hour" or "15m interval" */
    struct rs_buf timing; /* the settings of the run's clock */
};

/* The columns gnuplot reads by place, and those read here by name. */
static const struct rs_plot_col latency_cols[] = {
    {"scope", 0, 0}, {"t_s", 1, 1}, {"answered_within", 2, 1}, {"ci_low", 3, 1}, {"ci_high", 4, 1}};
static const struct rs_plot_col interval_cols[] = {
    {"interval", 0, 1}, {"start_s", 1, 1}, {"start", 2, 0},  {"metric", 3, 0},
    {"mean", 4, 1},     {"ci_low", 5, 1},  {"ci_high", 6, 1}};
static const struct rs_plot_col summary_cols[] = {
    {"metric", 0, 0}, {"scope", 1, 0}, {"mean", 2, 1}, {"ci_low", 3, 1}, {"ci_high", 4, 1}};
static const struct rs_plot_col staffing_cols[] = {
    {"interval", 0, 1},    {"start_s", 1, 1},  {"start", 2, 0},   {"agents", 3, 1},
    {"inbox_per_h", 4, 1}, {"load_erl", 5, 1}, {"metric", 6, 0},  {"target", 7, 1},
    {"mean", 8, 1},        {"ci_low", 9, 1},   {"ci_high", 10, 1}};

void rs_plot_quote(struct rs_buf *b, const char *s)
{
    rs_buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'') rs_buf_putc(b, '\'');
        rs_buf_putc(b, *s);
    }
    rs_buf_putc(b, '\'');
}

void rs_plot_words(struct rs_buf *b, const char *const *items, int n)
{
    for (int i = 0; i < n; i++)
        rs_buf_printf(b, "%s\"%s\"", i ? " " : "", items[i]);
}

void rs_plot_setting(struct rs_buf *b, const char *name, const char *text)
{
    rs_buf_printf(b, "%s=", name);
    rs_plot_quote(b, text);
    rs_buf_puts(b, "; ");
}

/* "DIR/NAME" (to free) when the file is there, else NULL. */
static char *file_in(const char *dir, const char *name)
{
    struct rs_buf b = RS_BUF_INIT;
    struct stat st;
    rs_buf_printf(&b, "%s/%s", dir, name);
    if (stat(rs_buf_str(&b), &st) == 0) return rs_buf_detach(&b);
    rs_buf_free(&b);
    return NULL;
}

/* The mean of metric in scope all from summary.csv; NaN when absent. */
static double summary_mean(const struct rs_csvin *c, const char *metric)
{
    if (!c) return NAN;
    int cm = rs_csvin_column(c, "metric"), cs = rs_csvin_column(c, "scope"),
        cv = rs_csvin_column(c, "mean");
    for (int r = 1; r < c->n_rows; r++) {
        char **cell = c->rows[r].cells;
        double x;
        if (strcmp(cell[cm], metric) || strcmp(cell[cs], "all")) continue;
        return rs_plot_number(cell[cv], &x) ? NAN : x;
    }
    return NAN;
}

/* latency: latency.csv, a curve per scope with the thresholds. */
static void latency_settings(const struct build *p, struct rs_buf *out)
{
    const struct rs_scenario *sc = p->sc;
    struct rs_buf scopes = RS_BUF_INIT, title = RS_BUF_INIT;
    rs_buf_puts(&scopes, "all");
    for (int c = 0; c < sc->n_channels; c++)
        rs_buf_printf(&scopes, " channel:%s", sc->channels[c].name);
    rs_buf_printf(&title, "%s: time to first response (%s)", sc->name, rs_buf_str(&p->reps));
    rs_plot_setting(out, "datafile", p->file[RS_PLOT_LATENCY]);
    rs_plot_setting(out, "scopes", rs_buf_str(&scopes));
    rs_buf_puts(out, "thresholds='");
    for (int w = 0; w < sc->n_within; w++)
        rs_buf_printf(out, "%s%.17g", w ? " " : "", sc->within_s[w]);
    rs_buf_puts(out, "'; ");
    rs_plot_setting(out, "title_text", rs_buf_str(&title));
    rs_buf_printf(out, "bands=%d", p->bands);
    rs_buf_free(&scopes);
    rs_buf_free(&title);
}

/* The whole run's service level within threshold w (NaN: unknown). */
static double sl_mean(const struct build *p, int w)
{
    char label[32], metric[48];
    rs_units_label_duration(p->sc->within_s[w], label, sizeof label);
    snprintf(metric, sizeof metric, "sl_%s", label);
    return summary_mean(p->summary, metric);
}

/* service_level and load: intervals.csv, against the clock. */
static void interval_settings(const struct build *p, struct rs_buf *sl, struct rs_buf *load)
{
    const struct rs_scenario *sc = p->sc;
    /* The 1h threshold when there is one, else the middle one; but when
     * nearly everything is answered within it (a flat line at 100%), the
     * longest threshold that tells intervals apart, else the shortest. */
    int k = sc->n_within / 2;
    for (int w = 0; w < sc->n_within; w++)
        if (sc->within_s[w] == 3600) k = w;
    char within[32], metric[48], overall[40] = "NaN"; /* NaN: the script leaves it out */
    double x = sl_mean(p, k);
    if (x >= 0.99) {
        int pick = 0;
        for (int w = 0; w < sc->n_within; w++)
            if (sl_mean(p, w) < 0.99) pick = w;
        k = pick;
    }
    rs_units_label_duration(sc->within_s[k], within, sizeof within);
    snprintf(metric, sizeof metric, "sl_%s", within);
    x = summary_mean(p->summary, metric);
    if (!isnan(x)) snprintf(overall, sizeof overall, "%.17g", x);
    const char *data = p->file[RS_PLOT_SERVICE_LEVEL];
    struct rs_buf title = RS_BUF_INIT;
    rs_buf_printf(&title,
                  "%s: share of messages needing a reply answered within %s, by %s of arrival "
                  "(%s)",
                  sc->name, within, rs_buf_str(&p->per), rs_buf_str(&p->reps));
    /* with [policy] hours, the same threshold in business time beside it:
     * the figure a shop's SLA is judged by */
    char bh[64] = "";
    snprintf(bh, sizeof bh, "sl_bh_%s", within);
    if (isnan(summary_mean(p->summary, bh))) bh[0] = '\0';
    rs_plot_setting(sl, "datafile", data);
    rs_plot_setting(sl, "title_text", rs_buf_str(&title));
    rs_buf_printf(sl,
                  "metric='%s'; bh_metric='%s'; within_text='%s'; target=%.17g; overall=%s; "
                  "bands=%d; %s",
                  metric, bh, within, p->in->target, overall, p->bands, rs_buf_str(&p->timing));
    rs_buf_reset(&title);
    rs_buf_printf(&title, "%s: load per %s (%s)", sc->name, rs_buf_str(&p->per),
                  rs_buf_str(&p->reps));
    rs_plot_setting(load, "datafile", data);
    rs_plot_setting(load, "title_text", rs_buf_str(&title));
    rs_buf_printf(load, "bands=%d; %s", p->bands, rs_buf_str(&p->timing));
    rs_buf_free(&title);
}

/* The names of metrics whose mean summary.csv holds, as a word list; with
 * zero_out, those whose mean is 0 go to zero_out instead (an empty panel
 * is not drawn). */
static void present(const struct rs_csvin *summary, const char *const *names, size_t n,
                    struct rs_buf *out, struct rs_buf *zero_out)
{
    for (size_t i = 0; i < n; i++) {
        double x = summary_mean(summary, names[i]);
        if (isnan(x)) continue;
        struct rs_buf *to = zero_out && x == 0 ? zero_out : out;
        rs_buf_printf(to, "%s%s", to->len ? " " : "", names[i]);
    }
}

/* outcomes: summary.csv's outcome metrics, when it has any. */
static void outcome_settings(const struct build *p, struct rs_buf *out, struct rs_buf *notes)
{
    static const char *const counts[] = {"recommenders", "positive_shares", "negative_posts",
                                         "defectors"};
    static const char *const amounts[] = {"spend_uplift", "negative_reach", "onlooker_loss"};
    struct rs_buf have_c = RS_BUF_INIT, have_a = RS_BUF_INIT, title = RS_BUF_INIT,
                  zero = RS_BUF_INIT;
    present(p->summary, counts, sizeof counts / sizeof counts[0], &have_c, NULL);
    present(p->summary, amounts, sizeof amounts / sizeof amounts[0], &have_a, &zero);
    const char *file = p->file[RS_PLOT_OUTCOMES];
    if (have_c.len + have_a.len == 0) {
        rs_buf_printf(notes,
                      "%s has no outcome metrics (results of an older replysim?): no outcomes "
                      "picture\n",
                      file);
    } else {
        /* the period a replication counts: "per replication" alone does not
         * say whether it is a day or a fortnight */
        char span[64], per[96];
        rs_units_human_duration(p->sc->horizon_s - p->sc->warmup_s, span, sizeof span);
        snprintf(per, sizeof per, "over the %s counted", span);
        rs_buf_printf(&title, "%s: expected outcomes %s (%s)", p->sc->name, per,
                      rs_buf_str(&p->reps));
        rs_plot_setting(out, "datafile", file);
        rs_plot_setting(out, "title_text", rs_buf_str(&title));
        rs_plot_setting(out, "period_text", per);
        rs_buf_printf(out, "counts='%s'; amounts='%s'; zero='%s'; bands=%d", rs_buf_str(&have_c),
                      rs_buf_str(&have_a), rs_buf_str(&zero), p->bands);
    }
    rs_buf_free(&zero);
    rs_buf_free(&have_c);
    rs_buf_free(&have_a);
    rs_buf_free(&title);
}

/* staffing.csv's rows come a row per interval and target, the targets in
 * the same order in every interval: how many targets (the rows of the
 * first interval), checked on every row so that gnuplot's "every k" reads
 * the first target's.  0, or -1 with err. */
static int staffing_targets(const struct rs_csvin *c, int *k, struct rs_error *err)
{
    int n = 1;
    while (n + 1 < c->n_rows && !strcmp(c->rows[n + 1].cells[0], c->rows[1].cells[0]))
        n++;
    for (int r = 1; r < c->n_rows; r++) {
        int first = r - (r - 1) % n; /* the row of this interval's first target */
        if (strcmp(c->rows[r].cells[0], c->rows[first].cells[0]) ||
            strcmp(c->rows[r].cells[6], c->rows[(r - 1) % n + 1].cells[6]) ||
            strcmp(c->rows[r].cells[7], c->rows[(r - 1) % n + 1].cells[7]) ||
            (r == first && r > 1 && !strcmp(c->rows[r].cells[0], c->rows[r - 1].cells[0])))
            return rs_csvin_fail(err, c, r, "metric",
                                 "expected a row per interval and target, the %d target%s of "
                                 "interval %s in the same order in every interval",
                                 n, n == 1 ? "" : "s", c->rows[1].cells[0]);
    }
    *k = n;
    return RS_OK;
}

/* The columns of the figure drawn (1-based, as gnuplot counts): the fresh
 * (verification) replications' mean and interval when the file has them,
 * else the search's; their cells numbers or blanks. */
static int staffing_figure(const struct rs_csvin *c, int col[3], struct rs_error *err)
{
    static const char *const fresh[3] = {"fresh_mean", "fresh_ci_low", "fresh_ci_high"};
    int have = 0;
    for (int i = 0; i < 3; i++)
        have += rs_csvin_column(c, fresh[i]) >= 0;
    if (have > 0 && have < 3)
        return rs_csvin_fail(err, c, 0, NULL,
                             "expected fresh_mean, fresh_ci_low and "
                             "fresh_ci_high together");
    for (int i = 0; i < 3; i++) {
        col[i] = have ? rs_csvin_column(c, fresh[i]) + 1 : 9 + i;
        for (int r = 1; have && r < c->n_rows; r++) {
            double x;
            const char *v = c->rows[r].cells[col[i] - 1];
            if (v[0] && rs_plot_number(v, &x))
                return rs_csvin_fail(err, c, r, fresh[i], "expected a number or a blank");
        }
    }
    return have ? 1 : 0;
}

/* "answered within 2h 90%", "first response time, 90th percentile 15
 * minutes": a target in words, from the metric's axis label. */
static void target_words(struct rs_buf *b, const char *metric, const char *value)
{
    char label[2 * RS_PLOT_MAX_TEXT];
    double goal = 0;
    rs_plot_number(value, &goal);
    double scale = rs_plot_metric_label(metric, goal, label, sizeof label);
    char *unit = strrchr(label, '(');
    size_t n = strlen(label);
    if (unit && unit > label + 1 && unit[-1] == ' ' && label[n - 1] == ')') {
        unit[-1] = '\0';
        label[n - 1] = '\0';
        rs_buf_printf(b, "%s %g%s%s", label, goal * scale, strcmp(unit + 1, "%") ? " " : "",
                      unit + 1);
    } else {
        rs_buf_printf(b, "%s %s", label, value);
    }
}

/* staffing: staffing.csv (replysim staff).  The bottom panel shows the
 * first target (row 1's metric and value); the others are named in its
 * title, their rows left out. */
static int staffing_settings(const struct build *p, const struct rs_csvin *c, struct rs_buf *out,
                             struct rs_error *err)
{
    const char *metric = c->rows[1].cells[6];
    double goal;
    int k = 1, col[3];
    if (!metric[0]) return rs_csvin_fail(err, c, 1, "metric", "expected the target's metric");
    if (rs_plot_number(c->rows[1].cells[7], &goal))
        return rs_csvin_fail(err, c, 1, "target", "expected the target's value");
    if (staffing_targets(c, &k, err)) return RS_EINPUT;
    int fresh = staffing_figure(c, col, err);
    if (fresh < 0) return RS_EINPUT;
    char label[2 * RS_PLOT_MAX_TEXT];
    double scale = rs_plot_metric_label(metric, goal, label, sizeof label);
    /* the staff helper's judged column (1: the interval had messages enough
     * to be judged against the target), when staffing.csv has one */
    int judged = rs_csvin_column(c, "judged") + 1;
    int met = rs_csvin_column(c, "met") + 1; /* empty: not judged, in files without judged */
    /* what the first target's rows hold: gnuplot warns of a plot with no
     * point, so the marks of none are left out */
    int unjudged = 0, missed = 0;
    for (int r = 1; r < c->n_rows; r += k) {
        const char *m = met ? c->rows[r].cells[met - 1] : "";
        int j = judged ? strcmp(c->rows[r].cells[judged - 1], "0") != 0 : !met || m[0];
        unjudged += !j;
        missed += j && !strcmp(m, "0");
    }
    struct rs_buf title = RS_BUF_INIT, panel = RS_BUF_INIT;
    rs_buf_printf(&title, "%s: staffing found against demand, per %s (%s)", p->sc->name,
                  rs_buf_str(&p->per), rs_buf_str(&p->reps));
    rs_buf_printf(&panel, "%s on the %s replications", k > 1 ? "the first target" : "the target",
                  fresh ? "fresh (verification)" : "search's");
    for (int r = 2; r <= k; r++) {
        rs_buf_puts(&panel, r == 2 ? "; also held: " : ", ");
        target_words(&panel, c->rows[r].cells[6], c->rows[r].cells[7]);
    }
    rs_plot_setting(out, "datafile", p->file[RS_PLOT_STAFFING]);
    rs_plot_setting(out, "title_text", rs_buf_str(&title));
    rs_plot_setting(out, "panel_text", rs_buf_str(&panel));
    rs_plot_setting(out, "metric_text", label);
    rs_buf_printf(out,
                  "pct=%d; scale=%.17g; judged=%d; met=%d; target=%.17g; bands=%d; stride=%d; "
                  "ymean=%d; ylow=%d; yhigh=%d; unjudged_n=%d; missed_n=%d; %s",
                  scale == 100, scale, judged, met, goal, p->bands, k, col[0], col[1], col[2],
                  unjudged, missed, rs_buf_str(&p->timing));
    rs_buf_free(&title);
    rs_buf_free(&panel);
    return RS_OK;
}

/* What every picture says of the run: replications, interval, clock. */
static void describe_run(struct build *p)
{
    const struct rs_scenario *sc = p->sc;
    rs_buf_printf(&p->timing,
                  "start_day=%d; start_clock_s=%.17g; warmup_s=%.17g; horizon_s=%.17g; "
                  "drain_s=%.17g; interval_s=%.17g",
                  sc->start_day, sc->start_clock_s, sc->warmup_s, sc->horizon_s, sc->drain_s,
                  sc->interval_s);
    /* One replication has no confidence intervals: the scripts leave them out. */
    p->bands = sc->replications >= 2;
    if (p->bands)
        rs_buf_printf(&p->reps, "mean of %d replications, 95%% CI", sc->replications);
    else
        rs_buf_puts(&p->reps, "one replication");
    if (sc->interval_s == 3600) {
        rs_buf_puts(&p->per, "hour");
    } else {
        char w[32];
        rs_units_label_duration(sc->interval_s, w, sizeof w);
        rs_buf_printf(&p->per, "%s interval", w);
    }
}

/* Checks a table and drops it: RS_OK or the error. */
static int check_only(const char *path, const struct rs_plot_col *cols, int n, struct rs_error *err)
{
    struct rs_csvin *c = NULL;
    int rc = rs_plot_table(path, cols, n, &c, err);
    rs_csvin_destroy(c);
    return rc;
}

#define COLS(a) a, (int)(sizeof a / sizeof a[0])

/* Every picture's settings, each file checked before it is used. */
static int settings_of(struct build *p, struct rs_plot_out *out, struct rs_error *err)
{
    int rc = RS_OK;
    char **f = p->file;
    if (f[RS_PLOT_OUTCOMES])
        rc = rs_plot_table(f[RS_PLOT_OUTCOMES], COLS(summary_cols), &p->summary, err);
    if (!rc && f[RS_PLOT_LATENCY]) rc = check_only(f[RS_PLOT_LATENCY], COLS(latency_cols), err);
    if (!rc && f[RS_PLOT_LATENCY]) latency_settings(p, &out->set[RS_PLOT_LATENCY]);
    if (!rc && f[RS_PLOT_SERVICE_LEVEL] && p->sc->n_within > 0) {
        rc = check_only(f[RS_PLOT_SERVICE_LEVEL], COLS(interval_cols), err);
        if (!rc) interval_settings(p, &out->set[RS_PLOT_SERVICE_LEVEL], &out->set[RS_PLOT_LOAD]);
    }
    if (!rc && p->summary) outcome_settings(p, &out->set[RS_PLOT_OUTCOMES], &out->notes);
    if (!rc && f[RS_PLOT_SWEEP])
        rc = rs_plot_sweep_settings(f[RS_PLOT_SWEEP], p->in->metric, p->sc->name,
                                    p->sc->replications, p->in->sweep_data, &out->sweep_data,
                                    &out->set[RS_PLOT_SWEEP], err);
    if (!rc && f[RS_PLOT_COMPARE])
        rc = rs_plot_compare_settings(f[RS_PLOT_COMPARE], p->in->metric, p->sc,
                                      rs_buf_str(&p->reps), &out->set[RS_PLOT_COMPARE], err);
    if (!rc && f[RS_PLOT_STAFFING]) {
        struct rs_csvin *c = NULL;
        rc = rs_plot_table(f[RS_PLOT_STAFFING], COLS(staffing_cols), &c, err);
        if (!rc) rc = staffing_settings(p, c, &out->set[RS_PLOT_STAFFING], err);
        rs_csvin_destroy(c);
    }
    if (!rc && f[RS_PLOT_BACKTEST])
        rc = rs_plot_backtest_settings(f[RS_PLOT_BACKTEST], p->sc, rs_buf_str(&p->timing),
                                       &out->set[RS_PLOT_BACKTEST], err);
    for (int i = 0; i < RS_PLOT_N && !rc; i++)
        if (out->set[i].len > RS_PLOT_MAX_SETTINGS)
            rc = rs_error_input(err, f[i], 0, NULL,
                                "expected fewer or shorter names: the %s picture's settings "
                                "take %zu bytes, at most %d",
                                rs_plot_names[i], out->set[i].len, RS_PLOT_MAX_SETTINGS);
    return rc;
}

int rs_plot_build(const struct rs_plot_in *in, struct rs_plot_out *out, struct rs_error *err)
{
    struct build p = {
        .in = in, .sc = in->sc, .reps = RS_BUF_INIT, .per = RS_BUF_INIT, .timing = RS_BUF_INIT};
    static const char *const files[RS_PLOT_N] = {"latency.csv", "intervals.csv", NULL,
                                                 "summary.csv", "sweep.csv",     "staffing.csv",
                                                 "compare.csv", "backtest.csv"};
    for (int i = 0; i < RS_PLOT_N; i++)
        p.file[i] = files[i] ? file_in(in->dir, files[i]) : NULL;
    p.file[RS_PLOT_LOAD] =
        p.file[RS_PLOT_SERVICE_LEVEL] ? rs_strdup(p.file[RS_PLOT_SERVICE_LEVEL]) : NULL;
    describe_run(&p);
    int rc = settings_of(&p, out, err);
    for (int i = 0; i < RS_PLOT_N; i++) {
        free(p.file[i]);
        if (rc) rs_buf_reset(&out->set[i]);
    }
    rs_csvin_destroy(p.summary);
    rs_buf_free(&p.reps);
    rs_buf_free(&p.per);
    rs_buf_free(&p.timing);
    return rc;
}

void rs_plot_out_free(struct rs_plot_out *out)
{
    for (int i = 0; i < RS_PLOT_N; i++)
        rs_buf_free(&out->set[i]);
    rs_buf_free(&out->sweep_data);
    rs_buf_free(&out->notes);
}
