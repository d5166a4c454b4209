/* plot_compare.c: the compare picture's settings from compare.csv (replysim
 * compare): for a few metrics, or the one of --metric, each variant's
 * difference from the base with its 95% interval in scope all, coloured by
 * whether it is better or worse (the metric's direction, check.h). */
#include "plot.h"

#include "replysim/alloc.h"
#include "replysim/buf.h"
#include "replysim/check.h"
#include "replysim/csvin.h"
#include "replysim/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PANELS 4

static const struct rs_plot_col compare_cols[] = {
    {"variant", 0, 0},      {"metric", 1, 0}, {"scope", 2, 0},  {"base_mean", 3, 1},
    {"variant_mean", 4, 1}, {"diff", 5, 1},   {"ci_low", 6, 1}, {"ci_high", 7, 1}};

/* Whether c has metric in scope all; the largest |diff| or interval end
 * of it in *big. */
static int has_metric(const struct rs_csvin *c, const char *metric, double *big)
{
    int found = 0;
    *big = 0;
    for (int r = 1; r < c->n_rows; r++) {
        char **cell = c->rows[r].cells;
        if (strcmp(cell[1], metric) || strcmp(cell[2], "all")) continue;
        found = 1;
        for (int k = 5; k <= 7; k++) {
            double x;
            if (!rs_plot_number(cell[k], &x) && fabs(x) > *big) *big = fabs(x);
        }
    }
    return found;
}

/* The metrics drawn: metric, or the first of each default family the file
 * has (sl_1h, else the first sl_*). */
static int pick_metrics(const struct rs_csvin *c, const char *metric, const char **m, int *n,
                        const char *csv, struct rs_error *err)
{
    double big;
    *n = 0;
    if (metric) {
        if (!has_metric(c, metric, &big))
            return rs_error_input(err, csv, 0, "--metric",
                                  "%s: expected a metric of the file such as response_rate or "
                                  "frt_p90_s",
                                  metric);
        m[(*n)++] = metric;
        return RS_OK;
    }
    static const char *const wanted[] = {"response_rate", "sl_1h", "frt_p90_s", "defectors"};
    const char *flat = NULL; /* a metric no variant changes: an empty panel, left out */
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        const char *w = wanted[i];
        if (!strcmp(w, "sl_1h") && !has_metric(c, w, &big))
            for (int r = 1; r < c->n_rows; r++)
                if (!strncmp(c->rows[r].cells[1], "sl_", 3)) {
                    w = c->rows[r].cells[1];
                    break;
                }
        if (!has_metric(c, w, &big)) continue;
        if (big > 0)
            m[(*n)++] = w;
        else if (!flat)
            flat = w;
    }
    if (*n == 0 && flat) m[(*n)++] = flat; /* nothing changed: say so on one panel */
    if (*n == 0)
        return rs_error_input(err, csv, 0, NULL,
                              "expected rows of response_rate, sl_*, frt_p90_s or defectors in "
                              "scope all");
    return RS_OK;
}

/* The variants of the file, in order, as a word list. */
static int variants(const struct rs_csvin *c, struct rs_buf *words, const char *csv,
                    struct rs_error *err)
{
    const char *seen[RS_PLOT_MAX_SERIES];
    int n = 0;
    for (int r = 1; r < c->n_rows; r++) {
        const char *v = c->rows[r].cells[0];
        int k = 0;
        while (k < n && strcmp(seen[k], v))
            k++;
        if (k < n) continue;
        if (n == RS_PLOT_MAX_SERIES)
            return rs_error_input(err, csv, c->rows[r].line, "variant",
                                  "expected at most %d variants in one picture",
                                  RS_PLOT_MAX_SERIES);
        seen[n++] = v;
    }
    rs_plot_words(words, seen, n);
    return RS_OK;
}

int rs_plot_compare_settings(const char *csv, const char *metric, const struct rs_scenario *sc,
                             const char *reps, struct rs_buf *settings, struct rs_error *err)
{
    struct rs_csvin *c = NULL;
    int rc = rs_plot_table(csv, compare_cols, (int)(sizeof compare_cols / sizeof compare_cols[0]),
                           &c, err);
    const char *m[MAX_PANELS];
    int n = 0;
    struct rs_buf names = RS_BUF_INIT, labels = RS_BUF_INIT, title = RS_BUF_INIT;
    if (!rc) rc = pick_metrics(c, metric, m, &n, csv, err);
    if (!rc) rc = variants(c, &names, csv, err);
    if (!rc) {
        rs_buf_puts(settings, "metrics='");
        for (int i = 0; i < n; i++)
            rs_buf_printf(settings, "%s%s", i ? " " : "", m[i]);
        rs_buf_puts(settings, "'; scales='");
        const char *lab[MAX_PANELS];
        char text[MAX_PANELS][2 * RS_PLOT_MAX_TEXT + 32];
        for (int i = 0; i < n; i++) {
            double big;
            has_metric(c, m[i], &big);
            char words[2 * RS_PLOT_MAX_TEXT];
            double scale = rs_plot_metric_label(m[i], big, words, sizeof words);
            char *pct = strstr(words, " (%)");
            if (pct) snprintf(pct, sizeof words - (size_t)(pct - words), " (percentage points)");
            snprintf(text[i], sizeof text[i], "change in %s", words);
            lab[i] = text[i];
            rs_buf_printf(settings, "%s%.17g", i ? " " : "", scale);
        }
        rs_buf_puts(settings, "'; flat='");
        for (int i = 0; i < n; i++) {
            double big;
            has_metric(c, m[i], &big);
            rs_buf_printf(settings, "%s%d", i ? " " : "", big == 0);
        }
        rs_buf_puts(settings, "'; better='");
        for (int i = 0; i < n; i++) {
            enum rs_check_direction d = rs_check_direction(m[i]);
            rs_buf_printf(settings, "%s%d", i ? " " : "",
                          d == RS_CHECK_HIGHER  ? 1
                          : d == RS_CHECK_LOWER ? -1
                                                : 0);
        }
        rs_buf_puts(settings, "'; ");
        rs_plot_words(&labels, lab, n);
        rs_buf_printf(&title, "%s: each variant against the base, difference of means (%s)",
                      sc->name, reps);
        rs_plot_setting(settings, "datafile", csv);
        rs_plot_setting(settings, "title_text", rs_buf_str(&title));
        rs_plot_setting(settings, "labels", rs_buf_str(&labels));
        rs_plot_setting(settings, "variants", rs_buf_str(&names));
        rs_buf_printf(settings, "npanels=%d", n);
    }
    rs_buf_free(&names);
    rs_buf_free(&labels);
    rs_buf_free(&title);
    rs_csvin_destroy(c);
    return rc;
}
