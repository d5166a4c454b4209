/* plot_sweep.c: the sweep picture of `replysim plot`, from the sweep.csv
 * of replysim sweep: its data file and its gnuplot settings (plot.h). */
#include "plot.h"

#include "replysim/alloc.h"
#include "replysim/csvin.h"
#include "replysim/error.h"
#include "tool.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "plot"
/* Longer settings are refused: gnuplot takes them as one argument. */
#define MAX_SETTINGS 40000

/* One point of the grid: the first swept key's value, the others' as the
 * name of its series, and mean, low and high of each metric drawn. */
struct point {
    const char *x; /* a cell of sweep.csv */
    char *series;  /* "k2=v, k3=v", owned */
    double v[2][3];
};

struct sweep {
    struct rs_csvin *c;
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
    for (int i = 0; i < n; i++) {
        rs_buf_puts(b, i ? " \"" : "\"");
        for (const char *p = items[i]; *p; p++)
            if (*p != '"') rs_buf_putc(b, *p);
        rs_buf_putc(b, '"');
    }
}

/* How a metric of sweep.csv is drawn: shares as percentages, durations in
 * hours, counts as they are; a label for its axis and a name for the key. */
static void metric_style(const char *metric, double *scale, struct rs_buf *axis,
                         struct rs_buf *name)
{
    size_t n = strlen(metric);
    int share = (n > 5 && !strcmp(metric + n - 5, "_rate")) || !strncmp(metric, "sl_", 3) ||
                !strncmp(metric, "wait_within_", 12) || !strcmp(metric, "occupancy");
    int secs = n > 2 && !strcmp(metric + n - 2, "_s");
    *scale = share ? 100 : secs ? 1.0 / 3600 : 1;
    if (!strcmp(metric, "response_rate")) {
        rs_buf_puts(name, "response rate");
        rs_buf_puts(axis, "response rate (% of messages needing a reply answered)");
    } else if (!strcmp(metric, "frt_p90_s")) {
        rs_buf_puts(name, "p90 first response");
        rs_buf_puts(axis, "p90 time to first response (hours)");
    } else {
        rs_buf_puts(name, metric);
        rs_buf_printf(axis, "%s%s", metric, share ? " (%)" : secs ? " (hours)" : "");
    }
}

/* A number with an optional unit after it ("20/h", "3"): its value and unit. */
static int sweep_number(const char *s, double *x, const char **unit)
{
    char *end;
    *x = strtod(s, &end);
    if (end == s || !isfinite(*x)) return -1;
    *unit = end;
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

/* A new point for row cell of sweep.csv, whose metric column is cm. */
static struct point *new_point(struct sweep *sw, char **cell, int cm)
{
    struct point *p = &sw->pts[sw->n_pts++];
    struct rs_buf series = RS_BUF_INIT;
    p->x = cell[1];
    for (int j = 2; j < cm; j++)
        rs_buf_printf(&series, "%s%s=%s", j > 2 ? ", " : "", sw->c->rows[0].cells[j], cell[j]);
    p->series = rs_buf_detach(&series);
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 3; b++)
            p->v[a][b] = NAN;
    return p;
}

/* Reads csv and its points of the metrics drawn.  RS_EXIT_OK, or the exit
 * status after saying why. */
static int sweep_read(struct sweep *sw)
{
    struct rs_error err = {0};
    if (rs_csvin_read(sw->csv, sw->csv, &sw->c, &err)) return rs_tool_error(NULL, &err, RS_EINPUT);
    struct rs_csvin *c = sw->c;
    int cm = rs_csvin_column(c, "metric"), cs = rs_csvin_column(c, "scope");
    const int cols[3] = {rs_csvin_column(c, "mean"), rs_csvin_column(c, "ci_low"),
                         rs_csvin_column(c, "ci_high")};
    if (c->n_rows < 2 || cm < 2 || cs < 0 || cols[0] < 0 || cols[1] < 0 || cols[2] < 0)
        return rs_tool_say(CMD, "%s: expected the sweep.csv of replysim sweep", sw->csv);
    sw->pts = rs_calloc((size_t)c->n_rows, sizeof *sw->pts);
    int found[2] = {0, 0};
    const char *last_point = NULL;
    for (int r = 1; r < c->n_rows; r++) {
        char **cell = c->rows[r].cells;
        if (strcmp(cell[cs], "all")) continue;
        int k = !strcmp(cell[cm], sw->m[0]) ? 0 : sw->two && !strcmp(cell[cm], sw->m[1]) ? 1 : -1;
        if (k < 0) continue;
        if (!last_point || strcmp(last_point, cell[0])) {
            new_point(sw, cell, cm);
            last_point = cell[0];
        }
        for (int b = 0; b < 3; b++) {
            char *end;
            double x = strtod(cell[cols[b]], &end);
            sw->pts[sw->n_pts - 1].v[k][b] = end != cell[cols[b]] ? x : NAN;
        }
        found[k] = 1;
    }
    if (!found[0])
        return rs_tool_say(CMD,
                           "--metric %s: expected a metric of %s such as response_rate or "
                           "frt_p90_s",
                           sw->m[0], sw->csv);
    sw->two = sw->two && found[1];
    return RS_EXIT_OK;
}

/* The x axis (numbers with one unit on a numeric axis, else categories in
 * order), the series, and how each metric is drawn. */
static void sweep_axes(struct sweep *sw)
{
    sw->numeric = 1;
    for (int i = 0; i < sw->n_pts && sw->numeric; i++) {
        double x;
        const char *unit = "";
        if (sweep_number(sw->pts[i].x, &x, &unit) || (sw->unit0 && strcmp(unit, sw->unit0)))
            sw->numeric = 0;
        sw->unit0 = unit;
    }
    sw->cats = rs_calloc((size_t)sw->n_pts + 1, sizeof *sw->cats);
    sw->series = rs_calloc((size_t)sw->n_pts + 1, sizeof *sw->series);
    for (int i = 0; i < sw->n_pts; i++) {
        int k = 0;
        while (k < sw->n_series && strcmp(sw->series[k], sw->pts[i].series))
            k++;
        if (k == sw->n_series) sw->series[sw->n_series++] = sw->pts[i].series;
        k = 0;
        while (k < sw->n_cats && strcmp(sw->cats[k], sw->pts[i].x))
            k++;
        if (k == sw->n_cats) sw->cats[sw->n_cats++] = sw->pts[i].x;
    }
    sw->scale[0] = sw->scale[1] = 1;
    for (int k = 0; k < 1 + sw->two; k++)
        metric_style(sw->m[k], &sw->scale[k], &sw->axis[k], &sw->name[k]);
}

/* One line of the data file: x y1 lo1 hi1 y2 lo2 hi2 "label". */
static void write_point(FILE *f, const struct sweep *sw, const struct point *p)
{
    double x = 0;
    const char *unit;
    if (sw->numeric) {
        sweep_number(p->x, &x, &unit);
    } else {
        int k = 0;
        while (strcmp(sw->cats[k], p->x))
            k++;
        x = k;
    }
    fprintf(f, "%.17g", x);
    for (int k = 0; k < 2; k++)
        for (int b = 0; b < 3; b++) {
            double v = p->v[k][b] * sw->scale[k];
            if (isnan(v))
                fputs(" NaN", f);
            else
                fprintf(f, " %.17g", v);
        }
    fputs(" \"", f);
    for (const char *c = p->x; *c; c++)
        if (*c != '"') fputc(*c, f);
    fputs("\"\n", f);
}

/* The data file of plots/sweep.gp, a block per series. */
static int sweep_write(const struct sweep *sw, const char *datafile)
{
    FILE *f = fopen(datafile, "w");
    if (!f) {
        rs_tool_say(CMD, "%s: cannot write: %s", datafile, strerror(errno));
        return RS_EXIT_RUNTIME;
    }
    for (int s = 0; s < sw->n_series; s++) {
        if (s) fputs("\n\n", f);
        for (int i = 0; i < sw->n_pts; i++)
            if (!strcmp(sw->pts[i].series, sw->series[s])) write_point(f, sw, &sw->pts[i]);
    }
    if (fclose(f) != 0) {
        rs_tool_say(CMD, "%s: cannot write", datafile);
        return RS_EXIT_RUNTIME;
    }
    return RS_EXIT_OK;
}

/* The x axis' label: the key, with its unit when the values have one. */
static void x_label(const struct sweep *sw, const char *key, struct rs_buf *b)
{
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

/* name=literal; for the settings. */
static void setting(struct rs_buf *b, const char *name, const char *text)
{
    rs_buf_printf(b, "%s=", name);
    rs_plot_quote(b, text);
    rs_buf_puts(b, "; ");
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
    rs_buf_printf(&title, "%s: %s%s%s against %s (mean of %d replications, 95%% CI)", scenario,
                  rs_buf_str(&sw->name[0]), sw->two ? " and " : "",
                  sw->two ? rs_buf_str(&sw->name[1]) : "", key, reps);
    setting(out, "datafile", datafile);
    setting(out, "title_text", rs_buf_str(&title));
    setting(out, "xlabel_text", rs_buf_str(&xlabel));
    setting(out, "y1label", rs_buf_str(&sw->axis[0]));
    setting(out, "y2label", rs_buf_str(&sw->axis[1]));
    setting(out, "y1name", rs_buf_str(&sw->name[0]));
    setting(out, "y2name", rs_buf_str(&sw->name[1]));
    setting(out, "titles", rs_buf_str(&titles));
    rs_buf_printf(out, "nseries=%d; two=%d; categorical=%d; ncat=%d; ", sw->n_series, sw->two,
                  !sw->numeric, sw->n_cats);
    setting(out, "categories", rs_buf_str(&cats));
    rs_buf_printf(out, "y1pct=%d; y2pct=%d", sw->scale[0] == 100, sw->scale[1] == 100);
    rs_buf_free(&title);
    rs_buf_free(&xlabel);
    rs_buf_free(&titles);
    rs_buf_free(&cats);
}

int rs_plot_sweep_settings(const char *csv, const char *metric, const char *scenario, int reps,
                           const char *datafile, struct rs_buf *settings)
{
    struct sweep sw = {.csv = csv,
                       .m = {metric ? metric : "response_rate", metric ? NULL : "frt_p90_s"},
                       .two = metric == NULL,
                       .axis = {RS_BUF_INIT, RS_BUF_INIT},
                       .name = {RS_BUF_INIT, RS_BUF_INIT}};
    int rc = sweep_read(&sw);
    if (!rc) {
        sweep_axes(&sw);
        rc = sweep_write(&sw, datafile);
    }
    if (!rc) {
        sweep_text(&sw, scenario, reps, datafile, settings);
        if (settings->len >= MAX_SETTINGS) {
            rs_tool_say(CMD, "%s: too many series to draw", csv);
            rs_buf_reset(settings);
            rc = RS_EXIT_USAGE;
        }
    }
    sweep_free(&sw);
    return rc;
}
