/* report_html.c: the one self-contained page of `replysim report`: what was
 * simulated, the headline answer with its 95% confidence intervals, the
 * pictures (SVG inlined), the results of staff, compare, sweep and the
 * other runners when the folder holds their files (a table of readers
 * below: a new results file is a new row), and the outcome figures with
 * their assumptions.  Inline CSS, no script, no external resource: a page
 * a manager can mail around. */
#include "report_html.h"

#include "human.h"
#include "replysim/alloc.h"
#include "replysim/check.h"
#include "replysim/csvin.h"
#include "replysim/file.h"
#include "replysim/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_TABLE_ROWS 200 /* rows of a results table shown; the file has them all */

static const char style[] =
    "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;"
    "line-height:1.45}"
    "h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;margin-top:2em}"
    "p.meta{color:#555}table{border-collapse:collapse;margin:1em 0;font-size:.92em}"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
    "th{background:#f2f2f2}td.l,th.l{text-align:left}"
    "figure{margin:1.5em 0}figure svg{width:100%;height:auto;border:1px solid #eee}"
    "figcaption{color:#555;font-size:.92em}.note{color:#555;font-size:.92em}"
    ".worse{color:#b02a10}.better{color:#1d7a2e}";

void rs_html_text(struct rs_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&')
            rs_buf_puts(b, "&amp;");
        else if (c == '<')
            rs_buf_puts(b, "&lt;");
        else if (c == '>')
            rs_buf_puts(b, "&gt;");
        else if (c == '"')
            rs_buf_puts(b, "&quot;");
        else if (c < 0x20 || c == 0x7f)
            rs_buf_putc(b, '?');
        else
            rs_buf_putc(b, (char)c);
    }
}

/* ------------------------------------------------------------- numbers */

/* How a metric's value reads: as run's headline says it (human.h): a
 * share in %, seconds as a duration ("12m 30s", "4.2h"), a count. */
static void value_text(const char *metric, double x, char *buf, size_t len)
{
    rs_human_format(buf, len, rs_human_kind_of(metric), x, 0);
}

/* A cell of a results file as shown: numbers to about 3 significant digits,
 * durations (a column ending in _s) for people, no exponents (human.h);
 * text as it is. */
static void cell_text(struct rs_buf *b, const char *column, const char *cell)
{
    char *end;
    double x = strtod(cell, &end);
    size_t n = strlen(column);
    char buf[64];
    if (!cell[0] || *end || end == cell) {
        rs_html_text(b, cell);
    } else if (n > 2 && !strcmp(column + n - 2, "_s") && strcmp(column, "start_s")) {
        rs_units_human_duration(x, buf, sizeof buf);
        rs_buf_puts(b, buf);
    } else {
        rs_human_number(buf, sizeof buf, x, 0);
        rs_buf_puts(b, buf);
    }
}

/* ------------------------------------------------------------- summary.csv */

/* The row of metric in scope all of summary.csv, or -1. */
static int summary_row(const struct rs_csvin *c, const char *metric)
{
    if (!c) return -1;
    for (int r = 1; r < c->n_rows; r++)
        if (!strcmp(c->rows[r].cells[0], metric) && !strcmp(c->rows[r].cells[1], "all")) return r;
    return -1;
}

/* "value (95% CI low - high)" of metric, into a table row with words. */
static void headline_row(struct rs_buf *b, const struct rs_csvin *c, const char *metric,
                         const char *words)
{
    int r = summary_row(c, metric);
    if (r < 0) return;
    char **cell = c->rows[r].cells;
    char v[64], ci[160];
    double mean = cell[2][0] ? strtod(cell[2], NULL) : NAN;
    double lo = cell[3][0] ? strtod(cell[3], NULL) : NAN;
    double hi = cell[4][0] ? strtod(cell[4], NULL) : NAN;
    value_text(metric, mean, v, sizeof v);
    rs_human_interval(ci, sizeof ci, rs_human_kind_of(metric), mean, lo, hi, 0);
    rs_buf_puts(b, "<tr><td class=l>");
    rs_html_text(b, words);
    rs_buf_printf(b, "</td><td><b>%s</b></td><td>%s</td><td class=l>", v, ci);
    rs_html_text(b, metric);
    rs_buf_puts(b, "</td></tr>\n");
}

/* The headline's rows after the service levels; those a scenario lacks
 * (conversations need reply_back, amplified an amplify, surge hours a
 * [surge]) are not in summary.csv and are left out. */
static const struct {
    const char *metric, *words;
} more_rows[] = {
    {"lapsed_rate", "gone unanswered past the author's patience"},
    {"occupancy", "agents' time spent answering"},
    {"backlog_end", "messages still waiting at the end"},
    {"conversations", "conversations (first messages needing a reply)"},
    {"turns_mean", "agent replies per conversation"},
    {"resolved_rate", "conversations resolved"},
    {"moved_rate", "conversations moved to a private channel"},
    {"resolution_p50_s", "half of the conversations were resolved within"},
    {"resolution_p90_s", "9 in 10 conversations were resolved within"},
    {"nrt_p90_s", "9 in 10 next replies (later messages) came within"},
    {"amplified", "messages caused by amplification"},
    {"surge_agent_hours", "surge agents' hours on"},
};

/* The answer: the service figures of the whole run, with their CIs. */
static void headline(struct rs_buf *b, const struct rs_scenario *sc, const struct rs_csvin *sum)
{
    char d[64];
    rs_buf_puts(b, "<h2>The answer</h2>\n");
    if (!sum) {
        rs_buf_puts(b, "<p class=note>No headline figures: those come from the summary.csv of "
                       "replysim run, and this folder has none.  What the folder holds is "
                       "below.</p>\n");
        return;
    }
    rs_units_human_duration(sc->horizon_s - sc->warmup_s, d, sizeof d);
    rs_buf_printf(b,
                  "<p>Means over %d replication%s, each %s of arrivals counted; the interval "
                  "is the 95%% confidence interval of the mean (kept within what the "
                  "figure can be: 0-100%%, no time below 0).</p>\n",
                  sc->replications, sc->replications == 1 ? "" : "s", d);
    rs_buf_puts(b, "<table><tr><th class=l>figure</th><th>mean</th><th>95% CI</th>"
                   "<th class=l>metric</th></tr>\n");
    headline_row(b, sum, "response_rate", "messages needing a reply that were answered");
    headline_row(b, sum, "frt_p50_s", "half of the first responses came within");
    headline_row(b, sum, "frt_p90_s", "9 in 10 first responses came within");
    headline_row(b, sum, "frt_bh_p50_s", "half came within, counting business hours only");
    headline_row(b, sum, "frt_bh_p90_s", "9 in 10 came within, counting business hours only");
    for (int i = 0; i < RS_HUMAN_SL_KINDS; i++)
        for (int w = 0; w < sc->n_within; w++) {
            char metric[48], words[128];
            rs_human_service_level(i, sc->within_s[w], metric, sizeof metric, words, sizeof words);
            headline_row(b, sum, metric, words);
        }
    for (size_t i = 0; i < sizeof more_rows / sizeof more_rows[0]; i++)
        headline_row(b, sum, more_rows[i].metric, more_rows[i].words);
    rs_buf_puts(b, "</table>\n<p class=note>Rows of business hours, conversations, "
                   "amplification and surge appear when the scenario has them.</p>\n");
}

/* A rate for people: "12/h", "11.6/h", "714/d" when under one an hour. */
static void human_rate(double per_s, char *buf, size_t len)
{
    char n[64];
    int per_day = per_s * 3600 < 1;
    rs_human_number(n, sizeof n, per_s * (per_day ? 86400 : 3600), 0);
    snprintf(buf, len, "%s/%s", n, per_day ? "d" : "h");
}

/* What was simulated: the period, the channels with their expected
 * volumes, the types, the staff and the reply order. */
static void simulated(struct rs_buf *b, const struct rs_scenario *sc)
{
    char h[64], w[64], r[96];
    rs_units_human_duration(sc->horizon_s, h, sizeof h);
    rs_units_human_duration(sc->warmup_s, w, sizeof w);
    rs_buf_puts(b, "<h2>What was simulated</h2>\n<p>Scenario <b>");
    rs_html_text(b, sc->name);
    rs_buf_printf(b,
                  "</b>: %s of arrivals (the first %s a warm-up, not counted), %d "
                  "replication%s from seed %llu.</p>\n",
                  h, w, sc->replications, sc->replications == 1 ? "" : "s",
                  (unsigned long long)sc->seed);
    /* what the scenario asks for, as validate and run say it, not what
     * one run happened to draw */
    rs_buf_puts(b, "<table><tr><th class=l>channel</th><th class=l>visibility</th>"
                   "<th>average rate</th><th>expected new messages a day</th></tr>\n");
    double days = sc->horizon_s / 86400, all = 0;
    for (int c = 0; c < sc->n_channels; c++) {
        double x = rs_scenario_expected_arrivals(sc, c) / days;
        char per_day[64];
        all += x;
        rs_human_number(per_day, sizeof per_day, x, 0);
        if (sc->channels[c].trace.n)
            snprintf(r, sizeof r, "a trace (%d arrivals)", sc->channels[c].trace.n);
        else
            human_rate(sc->channels[c].rate_per_s, r, sizeof r);
        rs_buf_puts(b, "<tr><td class=l>");
        rs_html_text(b, sc->channels[c].name);
        rs_buf_printf(b, "</td><td class=l>%s</td><td>%s%s</td><td>%s</td></tr>\n",
                      sc->channels[c].visibility == RS_PUBLIC ? "public" : "private", r,
                      sc->channels[c].profile.n ? " (with a profile)" : "", per_day);
    }
    rs_human_number(h, sizeof h, all, 0);
    rs_buf_printf(b,
                  "<tr><td class=l>all</td><td></td><td></td><td><b>%s</b></td></tr>\n</table>\n"
                  "<p class=note>Expected from the scenario (each channel's rate and profile, "
                  "bursts and traces, over the whole horizon), before follow-ups; the "
                  "simulated counts are in summary.csv (offered).</p>\n",
                  h);
    rs_buf_puts(b, "<p>Message types: ");
    for (int t = 0; t < sc->n_types; t++) {
        rs_buf_puts(b, t ? ", " : "");
        rs_html_text(b, sc->types[t].name);
        if (!sc->types[t].needs_reply) rs_buf_puts(b, " (no reply needed)");
    }
    rs_buf_puts(b, ". Staff: ");
    if (sc->schedule.n)
        rs_buf_printf(b, "a schedule of %d steps", sc->schedule.n);
    else if (sc->n_shifts)
        rs_buf_printf(b, "%d shift%s", sc->n_shifts, sc->n_shifts == 1 ? "" : "s");
    else
        rs_buf_printf(b, "%d agent%s at all times", sc->agents, sc->agents == 1 ? "" : "s");
    rs_buf_puts(b, ". Reply order: ");
    rs_html_text(b, sc->order);
    rs_buf_puts(b, ".</p>\n");
}

/* ------------------------------------------------------------- pictures */

static const char *const captions[RS_PLOT_N] = {
    /* one per picture of plot.h: a new picture needs its caption */
    "How long customers waited for a first response: the share answered within each time, "
    "per channel, with the service-level thresholds marked.",
    "The share of messages answered within the threshold, hour by hour of arrival, against "
    "the target.",
    "Messages arriving, replies and agents on shift per interval, and the messages waiting.",
    "The outcome model's expected business effects per replication.",
    "The swept settings against the figures they give.",
    "The staffing found per interval against the demand, and the target's figure it gives.",
    "Each variant's difference from the base, with its 95% interval.",
    "What the log shows per interval against the replay's predicted mean and 95% band, per "
    "metric, with the share of intervals whose observation falls in its band.",
};

/* Appends the SVG file at path from its <svg element on, every id (and
 * every reference to one) prefixed with prefix, so that the pictures'
 * ids do not collide in one page.  0, or -1 when it cannot be read. */
static int inline_svg(struct rs_buf *b, const char *path, const char *prefix)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    struct rs_buf svg = RS_BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rs_buf_putn(&svg, chunk, n);
    int bad = ferror(f);
    fclose(f);
    const char *s = strstr(rs_buf_str(&svg), "<svg");
    if (bad || !s) {
        rs_buf_free(&svg);
        return -1;
    }
    static const char *const refs[] = {"id='", "id=\"", "href='#", "href=\"#", "url(#"};
    while (*s) {
        size_t k = 0;
        for (; k < sizeof refs / sizeof refs[0]; k++)
            if (!strncmp(s, refs[k], strlen(refs[k]))) break;
        if (k < sizeof refs / sizeof refs[0]) {
            size_t len = strlen(refs[k]);
            rs_buf_putn(b, s, len);
            rs_buf_puts(b, prefix);
            s += len;
        } else {
            rs_buf_putc(b, *s++);
        }
    }
    rs_buf_free(&svg);
    return 0;
}

/* The pictures `replysim fit` draws into its folder (plot_fit.c), shown
 * as they are when the folder holds them. */
static const char *const fit_pictures[][2] = {
    {"fit_arrivals", "Arrivals per hour in the log against the fitted profile, per channel."},
    {"fit_handle", "Handle times in the log against the fitted distributions, per type."},
};

static void pictures(struct rs_buf *b, const struct rs_html_in *in, struct rs_error *err)
{
    (void)err;
    int any = 0;
    for (int i = 0; i < RS_PLOT_N; i++)
        any |= in->drawn[i];
    rs_buf_puts(b, "<h2>Pictures</h2>\n");
    for (size_t i = 0; i < sizeof fit_pictures / sizeof fit_pictures[0]; i++) {
        char path[4096], prefix[32];
        snprintf(path, sizeof path, "%s/%s.svg", in->dir, fit_pictures[i][0]);
        snprintf(prefix, sizeof prefix, "f%zu_", i);
        struct rs_buf fig = RS_BUF_INIT;
        struct stat st; /* a file, not a FIFO that would block */
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && inline_svg(&fig, path, prefix) == 0) {
            rs_buf_printf(b, "<figure id=\"%s\">\n%s\n<figcaption>%s</figcaption>\n</figure>\n",
                          fit_pictures[i][0], rs_buf_str(&fig), fit_pictures[i][1]);
            any = 1;
        }
        rs_buf_free(&fig);
    }
    if (!any) rs_buf_puts(b, "<p class=note>Nothing in this folder to draw.</p>\n");
    for (int i = 0; i < RS_PLOT_N; i++) {
        if (!in->drawn[i]) continue;
        char path[4096], prefix[32];
        snprintf(path, sizeof path, "%s/%s.svg", in->svg_dir, rs_plot_names[i]);
        snprintf(prefix, sizeof prefix, "p%d_", i);
        rs_buf_printf(b, "<figure id=\"%s\">\n", rs_plot_names[i]);
        if (inline_svg(b, path, prefix))
            rs_buf_printf(b, "<p class=note>(the %s picture could not be read)</p>",
                          rs_plot_names[i]);
        rs_buf_printf(b, "\n<figcaption>%s</figcaption>\n</figure>\n", captions[i]);
    }
}

/* ------------------------------------------------------------- results files */

/* "answered within 1h at least 80%": a staff target in words. */
static void target_text(struct rs_buf *b, const char *metric, const char *value)
{
    char label[2 * RS_PLOT_MAX_TEXT], v[64];
    rs_plot_metric_label(metric, 0, label, sizeof label);
    char *unit = strrchr(label, '(');
    if (unit && unit > label && unit[-1] == ' ') unit[-1] = '\0'; /* the value says its unit */
    value_text(metric, strtod(value, NULL), v, sizeof v);
    int at_most = !strcmp(metric, "occupancy") || rs_check_direction(metric) == RS_CHECK_LOWER;
    rs_html_text(b, label);
    rs_buf_printf(b, " %s %s", at_most ? "at most" : "at least", v);
}

/* staffing.csv, a row per interval and target (the targets in the same
 * order in every interval, as staff writes them): the agent-hours, the
 * intervals where every target is met on the fresh replications, and a
 * table per interval of the agents and each target's figure.  Returns 1:
 * the table is drawn here (the file's 21 columns are too many to read). */
static int staffing_summary(struct rs_buf *b, const struct rs_csvin *c,
                            const struct rs_scenario *sc)
{
    int ca = rs_csvin_column(c, "agents"), cm = rs_csvin_column(c, "met");
    int cj = rs_csvin_column(c, "judged"), ct = rs_csvin_column(c, "metric");
    int cv = rs_csvin_column(c, "target"), cs = rs_csvin_column(c, "start");
    int cr = rs_csvin_column(c, "rostered"), cd = rs_csvin_column(c, "inbox_per_h");
    int fm = rs_csvin_column(c, "fresh_mean"), fl = rs_csvin_column(c, "fresh_ci_low");
    int fh = rs_csvin_column(c, "fresh_ci_high");
    if (ca < 0 || ct < 0 || cv < 0 || cs < 0 || c->n_rows < 2) return 0;
    if (fm < 0 || fl < 0 || fh < 0) { /* older files: the search's figures */
        fm = rs_csvin_column(c, "mean");
        fl = rs_csvin_column(c, "ci_low");
        fh = rs_csvin_column(c, "ci_high");
    }
    int k = 1; /* targets: the rows of the first interval */
    while (k + 1 < c->n_rows && !strcmp(c->rows[k + 1].cells[0], c->rows[1].cells[0]))
        k++;
    double agents = 0;
    int met = 0, judged = 0, intervals = (c->n_rows - 1) / k;
    for (int r = 1; r + k <= c->n_rows; r += k) {
        agents += strtod(c->rows[r].cells[ca], NULL);
        /* not judged: judged = 0, or (older files) an empty met */
        int j = cj >= 0 ? strcmp(c->rows[r].cells[cj], "0") != 0
                        : cm < 0 || c->rows[r].cells[cm][0] != '\0';
        int all = cm >= 0;
        for (int t = 0; t < k; t++)
            all = all && !strcmp(c->rows[r + t].cells[cm], "1");
        judged += j;
        met += j && all;
    }
    rs_buf_puts(b, "<p>Target");
    rs_buf_puts(b, k > 1 ? "s, all held in every judged interval: " : ": ");
    for (int t = 1; t <= k; t++) {
        rs_buf_puts(b, t > 1 ? "; " : "");
        target_text(b, c->rows[t].cells[ct], c->rows[t].cells[cv]);
    }
    rs_buf_printf(b, ".</p>\n<p><b>%.0f agent-hours</b> on duty over %d intervals",
                  agents * sc->interval_s / 3600, intervals);
    if (cm >= 0)
        rs_buf_printf(b,
                      "; %s met in <b>%d of %d</b> judged intervals on fresh replications the "
                      "search never saw%s",
                      k > 1 ? "every target" : "the target", met, judged,
                      judged < intervals ? " (the others are in the warm-up or had too few "
                                           "messages to judge)"
                                         : "");
    rs_buf_puts(b, ".</p>\n<table><tr><th class=l>interval</th><th>agents</th>");
    if (cr >= 0) rs_buf_puts(b, "<th>rostered</th>");
    if (cd >= 0) rs_buf_puts(b, "<th>messages needing a reply per hour</th>");
    for (int t = 1; t <= k; t++) {
        char label[2 * RS_PLOT_MAX_TEXT];
        rs_plot_metric_label(c->rows[t].cells[ct], 0, label, sizeof label);
        rs_buf_puts(b, "<th>");
        rs_html_text(b, label);
        rs_buf_puts(b, ", mean [95% CI]</th>");
    }
    rs_buf_puts(b, "<th class=l>judged</th></tr>\n");
    int shown = 0;
    for (int r = 1; r + k <= c->n_rows && shown < MAX_TABLE_ROWS; r += k, shown++) {
        char **cell = c->rows[r].cells;
        rs_buf_puts(b, "<tr><td class=l>");
        rs_html_text(b, cell[cs]);
        rs_buf_puts(b, "</td><td>");
        cell_text(b, "agents", cell[ca]);
        if (cr >= 0) {
            rs_buf_puts(b, "</td><td>");
            cell_text(b, "rostered", cell[cr]);
        }
        if (cd >= 0) {
            rs_buf_puts(b, "</td><td>");
            cell_text(b, "inbox_per_h", cell[cd]);
        }
        for (int t = 0; t < k; t++) {
            char **tc = c->rows[r + t].cells;
            const char *m = tc[ct];
            char v[64], ci[160];
            double mean = tc[fm][0] ? strtod(tc[fm], NULL) : NAN;
            value_text(m, mean, v, sizeof v);
            rs_human_interval(ci, sizeof ci, rs_human_kind_of(m), mean,
                              tc[fl][0] ? strtod(tc[fl], NULL) : NAN,
                              tc[fh][0] ? strtod(tc[fh], NULL) : NAN, 0);
            int miss = cm >= 0 && !strcmp(tc[cm], "0");
            rs_buf_printf(b, "</td><td%s>%s %s", miss ? " class=worse" : "", v, ci);
        }
        int j = cj >= 0 ? strcmp(cell[cj], "0") != 0 : cm < 0 || cell[cm][0] != '\0';
        rs_buf_printf(b, "</td><td class=l>%s</td></tr>\n", j ? "yes" : "no");
    }
    rs_buf_puts(b, "</table>\n");
    if (shown < intervals)
        rs_buf_printf(b,
                      "<p class=note>The first %d of %d intervals; staffing.csv has them "
                      "all.</p>\n",
                      shown, intervals);
    return 1;
}

/* A results file the folder may hold: its heading, what it is, and how
 * it is shown.  A new runner's file is a new row. */
static const struct reader {
    const char *file, *heading, *intro;
    const char *all_only; /* a column whose rows other than "all" are left out, NULL: none */
    /* what the file says in words; 1 when it drew the file's table too */
    int (*summary)(struct rs_buf *b, const struct rs_csvin *c, const struct rs_scenario *sc);
} readers[] = {
    {"staffing.csv", "Staffing found (replysim staff)",
     "The fewest agents per interval that meet the targets, found by simulation on the "
     "scenario's seed, then verified on fresh replications; each target's figure is shown "
     "as those fresh replications give it (mean and 95% CI).",
     NULL, staffing_summary},
    {"schedule.csv", "Schedule", "Agents on shift from each time on (replysim staff).", NULL, NULL},
    {"roster.csv", "Roster", "The shifts that cover the staffing found.", NULL, NULL},
    {"shifts.csv", "Shifts", "The shifts chosen to cover the staffing found.", NULL, NULL},
    {"compare.csv", "Comparison of variants (replysim compare)",
     "Each variant against the base on the same customers (common random numbers): diff = "
     "variant - base, paired by replication, with its 95% interval; significant = 1 when the "
     "interval excludes 0.  Scope all only; compare.csv has every channel and type.",
     "scope", NULL},
    {"sweep.csv", "Sweep (replysim sweep)",
     "Each point of the grid, mean and 95% CI over the replications.  Scope all only; "
     "sweep.csv has every channel and type.",
     "scope", NULL},
    {"coverage.csv", "Backtest: does the scenario explain the log? (replysim backtest)",
     "Per metric, of the intervals where the log and the replay's band are both defined, the "
     "share whose observation falls in its 95% band (coverage): near 0.95, within about two "
     "standard errors (se), the scenario explains the log; well below, it misses something "
     "the log shows.",
     NULL, NULL},
    {"backtest.csv", "Backtest: the whole log",
     "What the log shows against the replay's predicted mean and 95% band (lo to hi), over "
     "the whole log; backtest.csv has the same per interval, and the backtest picture "
     "draws them.",
     "interval", NULL},
    {"fit.csv", "Fit to the logs", "The scenario's figures fitted to the logs, with intervals.",
     NULL, NULL},
};

/* Columns that hold a value of the row's metric (or fit's quantity): shown
 * in its unit, as the headline shows it (durations, %); in a file with a
 * diff column, the difference and its interval are signed (pp for shares). */
static const char *const value_columns[] = {
    "mean",  "ci_low", "ci_high", "observed",  "lo",           "hi",
    "value", "sd",     "diff",    "base_mean", "variant_mean", NULL,
};

/* 0: not a value column; 1: a value; 2: a signed difference. */
static int value_column(const struct rs_csvin *c, int k)
{
    const char *name = c->rows[0].cells[k];
    int diff = rs_csvin_column(c, "diff") >= 0;
    for (int i = 0; value_columns[i]; i++)
        if (!strcmp(name, value_columns[i]))
            return diff && (!strcmp(name, "diff") || !strncmp(name, "ci_", 3)) ? 2 : 1;
    return 0;
}

/* A cell as result_table shows it. */
static void table_cell(struct rs_buf *b, const struct rs_csvin *c, int r, int k, int metric)
{
    const char *cell = c->rows[r].cells[k];
    char *end;
    double x = strtod(cell, &end);
    int how = metric >= 0 && cell[0] && !*end ? value_column(c, k) : 0;
    const char *name = c->rows[0].cells[k];
    if (cell[0] && !*end && rs_csvin_column(c, "coverage") >= 0 &&
        (!strcmp(name, "coverage") || !strcmp(name, "expected") || !strcmp(name, "se"))) {
        char buf[64]; /* backtest's coverage.csv: shares of intervals */
        rs_human_format(buf, sizeof buf, RS_HUMAN_SHARE, x, 0);
        rs_buf_puts(b, buf);
    } else if (how) {
        char buf[64];
        rs_human_format(buf, sizeof buf, rs_human_kind_of(c->rows[r].cells[metric]), x, how == 2);
        rs_buf_puts(b, buf);
    } else {
        cell_text(b, c->rows[0].cells[k], cell);
    }
}

/* One results file as a table (at most MAX_TABLE_ROWS rows). */
static void result_table(struct rs_buf *b, const struct reader *rd, const struct rs_csvin *c)
{
    int keep = rd->all_only ? rs_csvin_column(c, rd->all_only) : -1;
    int metric = rs_csvin_column(c, "metric");
    if (metric < 0) metric = rs_csvin_column(c, "quantity");
    /* the rows shown, and the columns with something in them */
    int *show = rs_calloc((size_t)c->n_cols, sizeof *show);
    int total = 0;
    for (int r = 1; r < c->n_rows; r++) {
        if (keep >= 0 && strcmp(c->rows[r].cells[keep], "all")) continue;
        if (++total > MAX_TABLE_ROWS) continue;
        for (int k = 0; k < c->n_cols; k++)
            show[k] |= k != keep && c->rows[r].cells[k][0] != '\0';
    }
    rs_buf_puts(b, "<table><tr>");
    for (int k = 0; k < c->n_cols; k++) {
        if (!show[k]) continue;
        rs_buf_puts(b, "<th>");
        rs_html_text(b, c->rows[0].cells[k]);
        rs_buf_puts(b, "</th>");
    }
    rs_buf_puts(b, "</tr>\n");
    int shown = 0;
    for (int r = 1; r < c->n_rows && shown < MAX_TABLE_ROWS; r++) {
        char **cell = c->rows[r].cells;
        if (keep >= 0 && strcmp(cell[keep], "all")) continue;
        shown++;
        rs_buf_puts(b, "<tr>");
        for (int k = 0; k < c->n_cols; k++) {
            if (!show[k]) continue;
            char *end;
            strtod(cell[k], &end);
            rs_buf_puts(b, cell[k][0] && !*end ? "<td>" : "<td class=l>");
            table_cell(b, c, r, k, metric);
            rs_buf_puts(b, "</td>");
        }
        rs_buf_puts(b, "</tr>\n");
    }
    rs_buf_puts(b, "</table>\n");
    free(show);
    if (shown < total)
        rs_buf_printf(b, "<p class=note>The first %d of %d rows; %s has them all.</p>\n", shown,
                      total, rd->file);
}

/* The results files the folder holds, each read whole and checked. */
static int results(struct rs_buf *b, const struct rs_html_in *in, struct rs_error *err)
{
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
        const struct reader *rd = &readers[i];
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", in->dir, rd->file);
        if (stat(path, &st) != 0) continue;
        FILE *f = NULL;
        char why[160];
        int rc = rs_file_open_read(path, &f, why, sizeof why); /* a FIFO would block */
        if (f) fclose(f);
        if (rc == RS_EINPUT) return rs_error_input(err, path, 0, NULL, "%s", why);
        struct rs_csvin *c = NULL;
        rc = rs_csvin_read(path, path, &c, err);
        if (rc) return rc;
        if (c->n_rows < 1) {
            rs_csvin_destroy(c);
            return rs_error_input(err, path, 1, NULL, "expected a header row");
        }
        rs_buf_puts(b, "<h2>");
        rs_html_text(b, rd->heading);
        rs_buf_puts(b, "</h2>\n<p>");
        rs_html_text(b, rd->intro);
        rs_buf_puts(b, "</p>\n");
        if (!rd->summary || !rd->summary(b, c, in->sc)) result_table(b, rd, c);
        rs_csvin_destroy(c);
    }
    return RS_OK;
}

/* ------------------------------------------------------------- outcomes */

static const struct {
    const char *metric, *words;
} outcome_rows[] = {
    {"recommenders", "customers who recommend the brand"},
    {"positive_shares", "good experiences shared"},
    {"spend_uplift", "extra spend of customers who stay (in the unit of the types' value)"},
    {"defectors", "customers lost (complainers who stop buying)"},
    {"negative_posts", "negative public posts"},
    {"negative_reach", "followers who see those negative posts"},
    {"onlooker_loss", "purchases lost among onlookers of unanswered public complaints"},
};

static void outcomes(struct rs_buf *b, const struct rs_scenario *sc, const struct rs_csvin *sum)
{
    if (summary_row(sum, "recommenders") < 0) return;
    char d[64];
    rs_units_human_duration(sc->horizon_s - sc->warmup_s, d, sizeof d);
    const struct rs_outcome_cfg *o = &sc->outcome;
    rs_buf_printf(b,
                  "<h2>Business outcomes</h2>\n<p>Expected totals per replication, that is "
                  "per %s of arrivals counted, mean and 95%% CI over the replications.</p>\n",
                  d);
    rs_buf_puts(b, "<table><tr><th class=l>outcome</th><th>mean</th><th>95% CI</th>"
                   "<th class=l>metric</th></tr>\n");
    for (size_t i = 0; i < sizeof outcome_rows / sizeof outcome_rows[0]; i++)
        headline_row(b, sum, outcome_rows[i].metric, outcome_rows[i].words);
    rs_buf_puts(b, "</table>\n");
    char tau[64];
    rs_units_human_duration(o->tau_s, tau, sizeof tau);
    rs_buf_printf(
        b,
        "<p><b>How these are reckoned.</b> Each message that needed a reply earns a goodwill "
        "G = phi + (1 - phi) exp(-L / tau) when it is answered after L (a bot's answer has "
        "L = 0) and G = 0 when it is not; every outcome is linear in G and is an expected "
        "value, not a count of people observed.  This run used tau = %s, phi = %g, "
        "P(recommend) from %g (no reply) to %g (a quick reply), spend uplift slope %g capped "
        "at %g of value, P(an ignored complainer says they stop buying) %g of which %g is "
        "acted on, P(negative post when not served) %g, P(sharing a good experience) %g, "
        "onlookers less likely to buy %g, by %g, with a purchase probability of %g.</p>\n",
        tau, o->phi, o->recommend_p0, o->recommend_p1, o->spend_s, o->spend_cap, o->defect_d,
        o->defect_kappa, o->negative_a, o->positive_b, o->onlooker_less, o->onlooker_delta,
        o->onlooker_purchase);
    rs_buf_puts(b, "<p class=note>Sources and assumptions: the published studies behind each "
                   "parameter (customer surveys of reply times, recommendation, spend, "
                   "complaints and negative posting), and which values are assumptions with "
                   "no study behind them (the share of stated defection acted on, the "
                   "onlookers' purchase probability and how much less they buy), are set out "
                   "in the replysim documentation: docs/outcomes.md, and the Outcome model "
                   "section of README.md.  Change the [outcome] keys of the scenario to fit "
                   "your brand.</p>\n");
}

/* ------------------------------------------------------------- the page */

int rs_html_report(const struct rs_html_in *in, struct rs_buf *html, struct rs_error *err)
{
    char path[4096];
    struct rs_csvin *sum = NULL;
    struct stat st;
    snprintf(path, sizeof path, "%s/summary.csv", in->dir);
    if (stat(path, &st) == 0) {
        int rc = rs_csvin_read(path, path, &sum, err);
        if (!rc && (sum->n_cols < 5 || sum->n_rows < 1 || strcmp(sum->rows[0].cells[0], "metric") ||
                    strcmp(sum->rows[0].cells[1], "scope")))
            rc = rs_error_input(err, path, 1, NULL,
                                "expected the header metric,scope,mean,ci_low,ci_high,...");
        if (rc) {
            rs_csvin_destroy(sum);
            return rc;
        }
    }
    rs_buf_puts(html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<title>replysim report: ");
    rs_html_text(html, in->sc->name);
    rs_buf_printf(html, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
    rs_html_text(html, in->sc->name);
    rs_buf_puts(html, ": what replysim found</h1>\n<p class=meta>Results folder ");
    rs_html_text(html, in->dir);
    rs_buf_puts(html, ", simulated by replysim " RS_VERSION ".  This page holds everything it "
                      "shows (pictures included) and needs nothing else to be read.</p>\n");
    headline(html, in->sc, sum);
    simulated(html, in->sc);
    pictures(html, in, err);
    int rc = results(html, in, err);
    if (!rc) outcomes(html, in->sc, sum);
    rs_buf_puts(html, "</body>\n</html>\n");
    rs_csvin_destroy(sum);
    return rc;
}
