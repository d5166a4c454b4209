/* plot_sweep.c: the sweep picture of `replysim plot`, from the sweep.csv
 * of replysim sweep: its data file and its gnuplot settings (plot.h). */
#include "plot.h"

#include "replysim/alloc.h"
#include "replysim/csvin.h"
#include "replysim/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One point of the grid: the first swept key's value, the others' as the
 * name of its series, and mean, low and high of each metric drawn. */
struct point {
    const char *x; /* a cell of sweep.csv */
    char *series;  /* "k2=v, k3=v", owned */
    int line;      /* of sweep.csv, where the point starts */
    int s, cat;    /* its series and category */
    double v[2][3];
};

struct sweep {
    struct rs_csvin *c;
    struct rs_error *err;
    const char *csv;   /* the file, for messages */
    const char *m[2];  /* the metrics drawn; m[1] NULL: one */
    int two;           /* 1: both drawn */
    struct point *pts; /* in file order */
    int n_pts;
    int numeric;         /* 1: x values are numbers with one unit, else categories */
    const char *unit0;   /* that unit ("", "/h", "m") */
    const char **cats;   /* distinct x values in order */
    const char **series; /* distinct series in order */
    int n_cats, n_series;
    double scale[2]; /* 100: a share drawn as %, 1/3600: seconds drawn as hours */
    struct rs_buf axis[2], name[2];
};

/* How a metric of sweep.csv is drawn (plot_labels.c): shares as
 * percentages, durations in minutes or hours (by the largest value), counts
 * as they are; a label for its axis, and for the key the label without
 * its unit. */
static void metric_style(const char *metric, double max_s, double *scale, struct rs_buf *axis,
                         struct rs_buf *name)
{
    char label[2 * RS_PLOT_MAX_TEXT];
    *scale = rs_plot_metric_label(metric, max_s, label, sizeof label);
    rs_buf_puts(axis, label);
    char *unit = strrchr(label, '(');
    if (unit && unit > label && strchr(unit, ')') && unit[-1] == ' ') unit[-1] = '\0';
    rs_buf_puts(name, label);
}

/* The length of the decimal number at the start of s, 0: none. */
static size_t number_len(const char *s)
{
    size_t i = s[0] == '-' || s[0] == '+';
    size_t d = strspn(s + i, "0123456789");
    i += d;
    if (s[i] == '.') {
        size_t f = strspn(s + i + 1, "0123456789");
        if (!d && !f) return 0;
        i += 1 + f;
    } else if (!d) {
        return 0;
    }
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1 + (s[i + 1] == '-' || s[i + 1] == '+');
        size_t e = strspn(s + j, "0123456789");
        if (e) i = j + e;
    }
    return i;
}

/* A number with an optional unit after it ("20/h", "3"): its value and unit. */
static int sweep_number(const char *s, double *x, const char **unit)
{
    char num[64];
    size_t n = number_len(s);
    if (!n || n >= sizeof num) return -1;
    memcpy(num, s, n);
    num[n] = '\0';
    if (rs_plot_number(num, x)) return -1;
    *unit = s + n;
    return 0;
}

static void sweep_free(struct sweep *sw)
{
    for (int i = 0; i < sw->n_pts; i++)
        free(sw->pts[i].series);
    free(sw->pts);
    free(sw->cats);
    free(sw->series);
    for (int k = 0; k < 2; k++) {
        rs_buf_free(&sw->axis[k]);
        rs_buf_free(&sw->name[k]);
    }
    rs_csvin_destroy(sw->c);
}

/* A new point for row r of sweep.csv, whose metric column is cm. */
static struct point *new_point(struct sweep *sw, int r, int cm)
{
    char **cell = sw->c->rows[r].cells;
    struct point *p = &sw->pts[sw->n_pts++];
    struct rs_buf series = RS_BUF_INIT;
    p->x = cell[1];
    p->line = sw->c->rows[r].line;
    for (int j = 2; j < cm; j++)
        rs_buf_printf(&series, "%s%s=%s", j > 2 ? ", " : "", sw->c->rows[0].cells[j], cell[j]);
    p->series = rs_buf_detach(&series);
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 3; b++)
            p->v[a][b] = NAN;
    return p;
}

/* Every cell plain text (commas allowed: the data file is not CSV) and the
 * header's first columns point and the swept keys.  RS_OK or RS_EINPUT. */
static int sweep_cells(const struct sweep *sw, int cm)
{
    const struct rs_csvin *c = sw->c;
    char why[160];
    if (strcmp(c->rows[0].cells[0], "point"))
        return rs_csvin_fail(sw->err, c, 0, NULL, "expected column 1 to be point");
    for (int r = 0; r < c->n_rows; r++)
        for (int j = 0; j < c->n_cols; j++) {
            const char *v = c->rows[r].cells[j];
            if (rs_plot_text(v, 1, why, sizeof why))
                return rs_csvin_fail(sw->err, c, r, r ? c->rows[0].cells[j] : NULL, "%s", why);
            if (!v[0] && (r == 0 || j < cm))
                return rs_csvin_fail(sw->err, c, r, r ? c->rows[0].cells[j] : NULL,
                                     "expected a name or value, got a blank");
        }
    return RS_OK;
}

/* The mean, ci_low and ci_high of row r into p's metric k. */
static int sweep_values(struct sweep *sw, int r, const int *cols, struct point *p, int k)
{
    for (int b = 0; b < 3; b++) {
        const char *v = sw->c->rows[r].cells[cols[b]];
        double x = NAN;
        if (v[0] && rs_plot_number(v, &x))
            return rs_csvin_fail(sw->err, sw->c, r, sw->c->rows[0].cells[cols[b]],
                                 "expected a number or a blank");
        p->v[k][b] = x;
    }
    return RS_OK;
}

/* Reads csv and its points of the metrics drawn.  RS_OK or the error. */
static int sweep_read(struct sweep *sw)
{
    char why[160];
    if (rs_plot_text(sw->m[0], 0, why, sizeof why))
        return rs_error_input(sw->err, NULL, 0, "--metric", "%s", why);
    int rc = rs_csvin_read(sw->csv, sw->csv, &sw->c, sw->err);
    if (rc) return rc;
    struct rs_csvin *c = sw->c;
    int cm = rs_csvin_column(c, "metric"), cs = rs_csvin_column(c, "scope");
    const int cols[3] = {rs_csvin_column(c, "mean"), rs_csvin_column(c, "ci_low"),
                         rs_csvin_column(c, "ci_high")};
    if (c->n_rows < 1)
        return rs_error_input(sw->err, sw->csv, 1, NULL,
                              "expected the sweep.csv of replysim sweep, got an empty file");
    if (cm < 2 || cs < 0 || cols[0] < 0 || cols[1] < 0 || cols[2] < 0)
        return rs_csvin_fail(sw->err, c, 0, NULL,
                             "expected the sweep.csv of replysim sweep: point, the swept keys, "
                             "metric, scope, mean, ci_low, ci_high");
    if (c->n_rows < 2) return rs_csvin_fail(sw->err, c, 0, NULL, "expected rows after the header");
    rc = sweep_cells(sw, cm);
    if (rc) return rc;
    sw->pts = rs_calloc((size_t)c->n_rows, sizeof *sw->pts);
    int found[2] = {0, 0}, defined[2] = {0, 0};
    const char *last_point = NULL;
    for (int r = 1; r < c->n_rows && !rc; r++) {
        char **cell = c->rows[r].cells;
        if (strcmp(cell[cs], "all")) continue;
        int k = !strcmp(cell[cm], sw->m[0]) ? 0 : sw->two && !strcmp(cell[cm], sw->m[1]) ? 1 : -1;
        if (k < 0) continue;
        if (!last_point || strcmp(last_point, cell[0])) {
            new_point(sw, r, cm);
            last_point = cell[0];
        }
        rc = sweep_values(sw, r, cols, &sw->pts[sw->n_pts - 1], k);
        found[k] = 1;
        defined[k] |= !rc && !isnan(sw->pts[sw->n_pts - 1].v[k][0]);
    }
    if (!rc && !found[0])
        rc = rs_error_input(sw->err, sw->csv, 0, "--metric",
                            "%s: expected a metric of the file such as response_rate or "
                            "frt_p90_s",
                            sw->m[0]);
    if (!rc && !defined[0])
        rc = rs_error_input(sw->err, sw->csv, 0, "mean",
                            "%s: expected a number at some point, got blanks only", sw->m[0]);
    sw->two = sw->two && defined[1];
    return rc;
}

/* Index of s in list (n long), adding it when new; -1 when list is full. */
static int index_of(const char **list, int *n, int max, const char *s)
{
    for (int k = 0; k < *n; k++)
        if (!strcmp(list[k], s)) return k;
    if (*n == max) return -1;
    list[*n] = s;
    return (*n)++;
}

/* The x axis (numbers with one unit on a numeric axis, else categories in
 * order), the series, and how each metric is drawn.  RS_OK, or RS_EINPUT
 * when there are more series or categories than a picture can show. */
static int sweep_axes(struct sweep *sw)
{
    sw->numeric = 1;
    for (int i = 0; i < sw->n_pts && sw->numeric; i++) {
        double x;
        const char *unit = "";
        if (sweep_number(sw->pts[i].x, &x, &unit) || (sw->unit0 && strcmp(unit, sw->unit0)))
            sw->numeric = 0;
        sw->unit0 = unit;
    }
    sw->cats = rs_calloc(RS_PLOT_MAX_CATEGORIES, sizeof *sw->cats);
    sw->series = rs_calloc(RS_PLOT_MAX_SERIES, sizeof *sw->series);
    for (int i = 0; i < sw->n_pts; i++) {
        struct point *p = &sw->pts[i];
        p->s = index_of(sw->series, &sw->n_series, RS_PLOT_MAX_SERIES, p->series);
        if (p->s < 0)
            return rs_error_input(sw->err, sw->csv, p->line, NULL,
                                  "expected at most %d combinations of the other swept keys "
                                  "(curves of one picture)",
                                  RS_PLOT_MAX_SERIES);
        p->cat = index_of(sw->cats, &sw->n_cats, RS_PLOT_MAX_CATEGORIES, p->x);
        if (p->cat < 0 && !sw->numeric)
            return rs_error_input(sw->err, sw->csv, p->line, sw->c->rows[0].cells[1],
                                  "expected at most %d values (categories of one picture)",
                                  RS_PLOT_MAX_CATEGORIES);
    }
    sw->scale[0] = sw->scale[1] = 1;
    for (int k = 0; k < 1 + sw->two; k++) {
        double max = 0;
        for (int i = 0; i < sw->n_pts; i++)
            for (int b = 0; b < 3; b++)
                if (sw->pts[i].v[k][b] > max) max = sw->pts[i].v[k][b];
        metric_style(sw->m[k], max, &sw->scale[k], &sw->axis[k], &sw->name[k]);
    }
    return RS_OK;
}

/* One line of the data file: x y1 lo1 hi1 y2 lo2 hi2 "label". */
static void write_point(struct rs_buf *f, const struct sweep *sw, const struct point *p)
{
    double x = p->cat;
    const char *unit;
    if (sw->numeric) sweep_number(p->x, &x, &unit);
    rs_buf_printf(f, "%.17g", x);
    for (int k = 0; k < 2; k++)
        for (int b = 0; b < 3; b++) {
            double v = p->v[k][b] * sw->scale[k];
            if (isfinite(v))
                rs_buf_printf(f, " %.17g", v);
            else
                rs_buf_puts(f, " NaN");
        }
    rs_buf_printf(f, " \"%s\"\n", p->x);
}

/* The data file of plots/sweep.gp, a block per series. */
static void sweep_write(const struct sweep *sw, struct rs_buf *data)
{
    for (int s = 0; s < sw->n_series; s++) {
        if (s) rs_buf_puts(data, "\n\n");
        for (int i = 0; i < sw->n_pts; i++)
            if (sw->pts[i].s == s) write_point(data, sw, &sw->pts[i]);
    }
}

/* The x axis' label: the key's words, with its unit when the values have
 * one. */
static void x_label(const struct sweep *sw, const char *name, struct rs_buf *b)
{
    char key[2 * RS_PLOT_MAX_TEXT];
    rs_plot_key_label(name, key, sizeof key);
    const char *u = sw->numeric ? sw->unit0 : NULL;
    if (u && u[0] == '/')
        rs_buf_printf(b, "%s (per %s)", key,
                      !strcmp(u, "/h")   ? "hour"
                      : !strcmp(u, "/m") ? "minute"
                      : !strcmp(u, "/d") ? "day"
                      : !strcmp(u, "/s") ? "second"
                                         : u + 1);
    else if (u && u[0])
        rs_buf_printf(b, "%s (%s)", key, u);
    else
        rs_buf_puts(b, key);
}

/* The settings of plots/sweep.gp. */
static void sweep_text(const struct sweep *sw, const char *scenario, int reps, const char *datafile,
                       struct rs_buf *out)
{
    const char *key = sw->c->rows[0].cells[1];
    struct rs_buf title = RS_BUF_INIT, xlabel = RS_BUF_INIT, titles = RS_BUF_INIT,
                  cats = RS_BUF_INIT;
    rs_plot_words(&titles, sw->series, sw->n_series);
    rs_plot_words(&cats, sw->cats, sw->numeric ? 0 : sw->n_cats);
    x_label(sw, key, &xlabel);
    char words[2 * RS_PLOT_MAX_TEXT];
    rs_plot_key_label(key, words, sizeof words);
    rs_buf_printf(&title, "%s: %s%s%s against %s (mean of %d replications, 95%% CI)", scenario,
                  rs_buf_str(&sw->name[0]), sw->two ? " and " : "",
                  sw->two ? rs_buf_str(&sw->name[1]) : "", words, reps);
    rs_plot_setting(out, "datafile", datafile);
    rs_plot_setting(out, "title_text", rs_buf_str(&title));
    rs_plot_setting(out, "xlabel_text", rs_buf_str(&xlabel));
    rs_plot_setting(out, "y1label", rs_buf_str(&sw->axis[0]));
    rs_plot_setting(out, "y2label", rs_buf_str(&sw->axis[1]));
    rs_plot_setting(out, "y1name", rs_buf_str(&sw->name[0]));
    rs_plot_setting(out, "y2name", rs_buf_str(&sw->name[1]));
    rs_plot_setting(out, "titles", rs_buf_str(&titles));
    rs_buf_printf(out, "nseries=%d; two=%d; categorical=%d; ncat=%d; ", sw->n_series, sw->two,
                  !sw->numeric, sw->n_cats);
    rs_plot_setting(out, "categories", rs_buf_str(&cats));
    rs_buf_printf(out, "y1pct=%d; y2pct=%d", sw->scale[0] == 100, sw->scale[1] == 100);
    rs_buf_free(&title);
    rs_buf_free(&xlabel);
    rs_buf_free(&titles);
    rs_buf_free(&cats);
}

int rs_plot_sweep_settings(const char *csv, const char *metric, const char *scenario, int reps,
                           const char *datafile, struct rs_buf *data, struct rs_buf *settings,
                           struct rs_error *err)
{
    struct sweep sw = {.csv = csv,
                       .err = err,
                       .m = {metric ? metric : "response_rate", metric ? NULL : "frt_p90_s"},
                       .two = metric == NULL,
                       .axis = {RS_BUF_INIT, RS_BUF_INIT},
                       .name = {RS_BUF_INIT, RS_BUF_INIT}};
    int rc = sweep_read(&sw);
    if (!rc) rc = sweep_axes(&sw);
    if (!rc) {
        sweep_write(&sw, data);
        sweep_text(&sw, scenario, reps, datafile, settings);
    }
    sweep_free(&sw);
    return rc;
}
