/* plot_backtest.c: the settings of the backtest picture (plots/backtest.gp)
 * from a backtest's backtest.csv, checked first (plot.h): one panel per
 * metric worth a look, each titled with its coverage. */
#include "plot.h"

#include "replysim/buf.h"
#include "replysim/csvin.h"
#include "replysim/error.h"
#include "replysim/scenario.h"
#include "replysim/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct rs_plot_col backtest_cols[] = {
    {"interval", 0, 0}, {"start_s", 1, 1}, {"start", 2, 0}, {"metric", 3, 0}, {"observed", 4, 1},
    {"mean", 5, 1},     {"lo", 6, 1},      {"hi", 7, 1},    {"n", 8, 1}};

/* The panels, in order, when backtest.csv has them: the arrivals are the
 * log's own and left out; of the sl_T the 1h one, else the first. */
static const char *const panels[] = {"response_rate", "wait_mean_s", "frt_mean_s", "frt_p90_s"};
#define N_PANELS ((int)(sizeof panels / sizeof panels[0]))

/* Of metric's interval rows where the observation and band are numbers,
 * how many, and how many have it in the band. */
static void coverage_of(const struct rs_csvin *c, const char *metric, long *n, long *k)
{
    *n = *k = 0;
    for (int r = 1; r < c->n_rows; r++) {
        char **cell = c->rows[r].cells;
        double x, lo, hi;
        if (strcmp(cell[3], metric) || !strcmp(cell[0], "all")) continue;
        if (rs_plot_number(cell[4], &x) || rs_plot_number(cell[6], &lo) ||
            rs_plot_number(cell[7], &hi))
            continue;
        double eps = 1e-9 * fmax(1.0, fabs(x));
        (*n)++;
        *k += x >= lo - eps && x <= hi + eps;
    }
}

static int has_metric(const struct rs_csvin *c, const char *metric)
{
    for (int r = 1; r < c->n_rows; r++)
        if (!strcmp(c->rows[r].cells[3], metric)) return 1;
    return 0;
}

/* Adds a panel: its metric, coverage, count and whether it is a rate. */
static void panel(const struct rs_csvin *c, const char *metric, struct rs_buf *names,
                  struct rs_buf *cov, struct rs_buf *counted, struct rs_buf *rates)
{
    long n, k;
    coverage_of(c, metric, &n, &k);
    const char *sep = names->len ? " " : "";
    rs_buf_printf(names, "%s%s", sep, metric);
    rs_buf_printf(cov, "%s%.17g", sep, n ? (double)k / (double)n : 0.0);
    rs_buf_printf(counted, "%s%ld", sep, n);
    rs_buf_printf(rates, "%s%d", sep, strstr(metric, "_rate") || !strncmp(metric, "sl_", 3));
}

int rs_plot_backtest_settings(const char *csv, const struct rs_scenario *sc, const char *timing,
                              struct rs_buf *out, struct rs_error *err)
{
    struct rs_csvin *c = NULL;
    int rc = rs_plot_table(csv, backtest_cols,
                           (int)(sizeof backtest_cols / sizeof backtest_cols[0]), &c, err);
    if (rc) return rc;
    struct rs_buf names = RS_BUF_INIT, cov = RS_BUF_INIT, counted = RS_BUF_INIT,
                  rates = RS_BUF_INIT, title = RS_BUF_INIT;
    for (int i = 0; i < N_PANELS; i++)
        if (has_metric(c, panels[i])) panel(c, panels[i], &names, &cov, &counted, &rates);
    int k = -1;
    for (int w = 0; w < sc->n_within; w++)
        if (k < 0 || sc->within_s[w] == 3600) k = w;
    if (k >= 0) {
        char label[32], metric[48];
        rs_units_label_duration(sc->within_s[k], label, sizeof label);
        snprintf(metric, sizeof metric, "sl_%s", label);
        if (has_metric(c, metric)) panel(c, metric, &names, &cov, &counted, &rates);
    }
    if (names.len) {
        rs_buf_printf(&title,
                      "%s: the log against the scenario's prediction, by %s of arrival (%d "
                      "replications)",
                      sc->name, sc->interval_s == 3600 ? "hour" : "interval", sc->replications);
        rs_plot_setting(out, "datafile", csv);
        rs_plot_setting(out, "title_text", rs_buf_str(&title));
        rs_buf_printf(out, "metrics='%s'; coverage='%s'; counted='%s'; rates='%s'; %s",
                      rs_buf_str(&names), rs_buf_str(&cov), rs_buf_str(&counted),
                      rs_buf_str(&rates), timing);
    }
    rs_buf_free(&names), rs_buf_free(&cov), rs_buf_free(&counted), rs_buf_free(&rates);
    rs_buf_free(&title);
    rs_csvin_destroy(c);
    return RS_OK;
}
