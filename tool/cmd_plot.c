/* cmd_plot.c: `replysim plot DIR`, pictures of a results folder drawn by
 * gnuplot (an external program) with the scripts of plots/. */
#include "cmd.h"

#include "replysim/csvin.h"
#include "replysim/error.h"
#include "replysim/scenario.h"
#include "replysim/units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char usage[] =
    "usage: replysim plot DIR [--target P] [--metric NAME]\n"
    "\n"
    "Draws pictures of a results folder of replysim run, each as PNG and SVG,\n"
    "from whichever of its files are there (DIR/scenario.ini is needed):\n"
    "  latency        response-time CDF per channel, with confidence bands and\n"
    "                 the service-level thresholds (latency.csv)\n"
    "  service_level  share answered within 1h (or the middle threshold) per\n"
    "                 stats interval, with its confidence band and the target\n"
    "                 (intervals.csv, summary.csv)\n"
    "  load           arrivals, replies and agents on shift per hour, and the\n"
    "                 queue length (intervals.csv)\n"
    "  outcomes       the outcome model's expected counts with confidence\n"
    "                 intervals (summary.csv; skipped when it has none)\n"
    "  sweep          a folder of replysim sweep: response rate (left axis) and\n"
    "                 p90 first response (right axis) against the first swept\n"
    "                 key, with 95% CIs, a curve per value of the other keys\n"
    "                 (sweep.csv)\n"
    "  staffing       a folder of replysim staff: agents per interval against\n"
    "                 the offered load, and the target's figure per interval\n"
    "                 with the target line (staffing.csv)\n"
    "\n"
    "  --target P     service-level target drawn on service_level (0.9)\n"
    "  --metric NAME  sweep: draw this metric of sweep.csv instead\n"
    "\n"
    "Needs gnuplot (Debian package gnuplot-nox).  The scripts are looked up in\n"
    "$REPLYSIM_PLOTS, ./plots, next to the program (../plots) and\n"
    "PREFIX/share/replysim/plots.\n";

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* The folder holding latency.gp. */
static int find_plots(char *out, size_t len)
{
    const char *env = getenv("REPLYSIM_PLOTS");
    char cand[4][1024 + 32];
    int n = 0;
    if (env && env[0]) snprintf(cand[n++], sizeof cand[0], "%s", env);
    snprintf(cand[n++], sizeof cand[0], "plots");
    char exe[900];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        snprintf(cand[n++], sizeof cand[0], "%s/../plots", exe);
        snprintf(cand[n++], sizeof cand[0], "%s/../share/replysim/plots", exe);
    }
    for (int i = 0; i < n; i++) {
        char probe[1100];
        if (snprintf(probe, sizeof probe, "%s/latency.gp", cand[i]) >= (int)sizeof probe) continue;
        if (exists(probe) && snprintf(out, len, "%s", cand[i]) < (int)len) return 0;
    }
    return -1;
}

/* Runs gnuplot on script with the -e settings; 0 on success. */
static int gnuplot(const char *settings, const char *script)
{
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        execlp("gnuplot", "gnuplot", "-e", settings, script, (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Writes a gnuplot string literal (single quotes doubled). */
static void quote(char *buf, size_t len, const char *s)
{
    size_t n = 0;
    if (n + 1 < len) buf[n++] = '\'';
    for (; *s && n + 3 < len; s++) {
        if (*s == '\'') buf[n++] = '\'';
        buf[n++] = *s;
    }
    if (n + 1 < len) buf[n++] = '\'';
    buf[n] = '\0';
}

/* Draws DIR/NAME.png and DIR/NAME.svg with plots/NAME.gp and the gnuplot
 * settings (statements separated by ';'), each written to a temporary name
 * in DIR and renamed.  Returns RS_EXIT_OK or RS_EXIT_RUNTIME (said on
 * stderr); *no_gnuplot is set when gnuplot cannot be run at all. */
static int draw(const char *dir, const char *plots, const char *name, const char *settings,
                int *no_gnuplot)
{
    static const char *const terms[2] = {"png", "svg"};
    char script[1100], qdir[2200];
    snprintf(script, sizeof script, "%s/%s.gp", plots, name);
    quote(qdir, sizeof qdir, plots);
    for (int t = 0; t < 2; t++) {
        char tmp[1100], final[1100], qtmp[2200], all[20000];
        snprintf(final, sizeof final, "%s/%s.%s", dir, name, terms[t]);
        snprintf(tmp, sizeof tmp, "%s/.%s.%s.tmp%ld", dir, name, terms[t], (long)getpid());
        quote(qtmp, sizeof qtmp, tmp);
        int sn = snprintf(all, sizeof all, "%s; outfile=%s; term='%s'; plotdir=%s", settings,
                          qtmp, terms[t], qdir);
        int st = sn < (int)sizeof all ? gnuplot(all, script) : -1;
        if (st != 0 || rename(tmp, final) != 0) {
            unlink(tmp);
            *no_gnuplot = st == 127;
            fprintf(stderr, "replysim plot: %s: %s\n", final,
                    st == 127 ? "gnuplot not found (install the Debian package gnuplot-nox)"
                              : "gnuplot could not draw it");
            return RS_EXIT_RUNTIME;
        }
    }
    return RS_EXIT_OK;
}

/* The mean of metric in scope all from summary.csv; NaN when absent. */
static double summary_mean(const char *path, const char *metric)
{
    FILE *f = fopen(path, "r");
    if (!f) return NAN;
    char line[1024], want[160];
    snprintf(want, sizeof want, "%s,all,", metric);
    size_t n = strlen(want);
    double v = NAN;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, want, n)) continue;
        char *end;
        double x = strtod(line + n, &end);
        if (end != line + n && *end == ',') v = x;
        break;
    }
    fclose(f);
    return v;
}

/* ------------------------------------------------ sweep.csv (replysim sweep) */

/* How a metric of sweep.csv is drawn: shares as percentages, durations in
 * hours, counts as they are; a label for its axis and a name for the key. */
static void sweep_metric_style(const char *metric, double *scale, char *axis, size_t alen,
                               char *name, size_t nlen)
{
    size_t n = strlen(metric);
    int share = (n > 5 && !strcmp(metric + n - 5, "_rate")) || !strncmp(metric, "sl_", 3) ||
                !strncmp(metric, "wait_within_", 12) || !strcmp(metric, "occupancy");
    int secs = n > 2 && !strcmp(metric + n - 2, "_s");
    *scale = share ? 100 : secs ? 1.0 / 3600 : 1;
    if (!strcmp(metric, "response_rate")) {
        snprintf(name, nlen, "response rate");
        snprintf(axis, alen, "response rate (%% of messages needing a reply answered)");
    } else if (!strcmp(metric, "frt_p90_s")) {
        snprintf(name, nlen, "p90 first response");
        snprintf(axis, alen, "p90 time to first response (hours)");
    } else {
        snprintf(name, nlen, "%s", metric);
        snprintf(axis, alen, "%s%s", metric, share ? " (%)" : secs ? " (hours)" : "");
    }
}

/* Writes items as the gnuplot word list "a" "b" (double quotes dropped
 * from each) into buf, as much of it as fits. */
static void word_list(char *buf, size_t len, const char *const *items, int n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && k + 1 < len; i++) {
        k += (size_t)snprintf(buf + k, len - k, "%s\"", i ? " " : "");
        if (k >= len) break;
        for (const char *p = items[i]; *p && k + 2 < len; p++)
            if (*p != '"') buf[k++] = *p;
        buf[k] = '\0';
        k += (size_t)snprintf(buf + k, len - k, "\"");
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

/* Reads DIR/sweep.csv, writes the points of metric (and frt_p90_s beside
 * response_rate when metric is NULL) in scope all to datafile, one gnuplot
 * block per combination of the other swept keys, and fills the settings of
 * plots/sweep.gp.  RS_EXIT_OK, or the exit status after saying why. */
static int sweep_settings(const char *csv, const char *metric, const char *scenario, int reps,
                          const char *datafile, char *settings, size_t len)
{
    struct rs_csvin *c = NULL;
    struct rs_error err = {0};
    if (rs_csvin_read(csv, csv, &c, &err)) {
        rs_error_print(&err, stderr);
        return RS_EXIT_USAGE;
    }
    int cm = rs_csvin_column(c, "metric"), cs = rs_csvin_column(c, "scope"),
        cmean = rs_csvin_column(c, "mean"), clo = rs_csvin_column(c, "ci_low"),
        chi = rs_csvin_column(c, "ci_high");
    if (c->n_rows < 2 || cm < 2 || cs < 0 || cmean < 0 || clo < 0 || chi < 0) {
        fprintf(stderr, "replysim plot: %s: expected the sweep.csv of replysim sweep\n", csv);
        rs_csvin_destroy(c);
        return RS_EXIT_USAGE;
    }
    const char *m[2] = {metric ? metric : "response_rate", metric ? NULL : "frt_p90_s"};
    int two = m[1] != NULL, rc = RS_EXIT_OK;
    /* points in file order: x text, series text, mean/low/high of each metric */
    struct pt {
        const char *x;
        char series[512];
        double v[2][3];
    } *pts = calloc((size_t)c->n_rows, sizeof *pts);
    if (!pts) abort();
    int n_pts = 0, found[2] = {0, 0};
    const char *last_point = NULL;
    for (int r = 1; r < c->n_rows; r++) {
        char **cell = c->rows[r].cells;
        if (strcmp(cell[cs], "all")) continue;
        int k = !strcmp(cell[cm], m[0]) ? 0 : two && !strcmp(cell[cm], m[1]) ? 1 : -1;
        if (k < 0) continue;
        if (!last_point || strcmp(last_point, cell[0])) {
            struct pt *p = &pts[n_pts++];
            p->x = cell[1];
            size_t sn = 0;
            for (int j = 2; j < cm; j++)
                sn += (size_t)snprintf(p->series + sn, sizeof p->series - sn, "%s%s=%s",
                                       j > 2 ? ", " : "", c->rows[0].cells[j], cell[j]);
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 3; b++)
                    p->v[a][b] = NAN;
            last_point = cell[0];
        }
        int cols[3] = {cmean, clo, chi};
        for (int b = 0; b < 3; b++) {
            char *end;
            double x = strtod(cell[cols[b]], &end);
            pts[n_pts - 1].v[k][b] = end != cell[cols[b]] ? x : NAN;
        }
        found[k] = 1;
    }
    if (!found[0]) {
        fprintf(stderr, "replysim plot: --metric %s: expected a metric of %s such as "
                        "response_rate or frt_p90_s\n", m[0], csv);
        rc = RS_EXIT_USAGE;
        goto out;
    }
    two = two && found[1];

    /* x: numbers (with one unit) on a numeric axis, else categories in order */
    int numeric = 1;
    const char *unit0 = NULL;
    for (int i = 0; i < n_pts && numeric; i++) {
        double x;
        const char *unit = "";
        if (sweep_number(pts[i].x, &x, &unit) || (unit0 && strcmp(unit, unit0))) numeric = 0;
        unit0 = unit;
    }
    const char **cats = calloc((size_t)n_pts + 1, sizeof *cats);
    const char **series = calloc((size_t)n_pts + 1, sizeof *series);
    if (!cats || !series) abort();
    int n_cats = 0, n_series = 0;
    for (int i = 0; i < n_pts; i++) {
        int k = 0;
        while (k < n_series && strcmp(series[k], pts[i].series)) k++;
        if (k == n_series) series[n_series++] = pts[i].series;
        k = 0;
        while (k < n_cats && strcmp(cats[k], pts[i].x)) k++;
        if (k == n_cats) cats[n_cats++] = pts[i].x;
    }
    double scale[2] = {1, 1};
    char axis[2][256] = {"", ""}, name[2][128] = {"", ""};
    for (int k = 0; k < 1 + two; k++)
        sweep_metric_style(m[k], &scale[k], axis[k], sizeof axis[k], name[k], sizeof name[k]);

    FILE *f = fopen(datafile, "w");
    if (!f) {
        fprintf(stderr, "replysim plot: %s: cannot write: %s\n", datafile, strerror(errno));
        rc = RS_EXIT_RUNTIME;
        goto out_lists;
    }
    /* x y1 lo1 hi1 y2 lo2 hi2 "label", a block per series */
    for (int s = 0; s < n_series; s++) {
        if (s) fputs("\n\n", f);
        for (int i = 0; i < n_pts; i++) {
            if (strcmp(pts[i].series, series[s])) continue;
            double x = 0;
            const char *unit;
            if (numeric) {
                sweep_number(pts[i].x, &x, &unit);
            } else {
                int k = 0;
                while (strcmp(cats[k], pts[i].x)) k++;
                x = k;
            }
            fprintf(f, "%.17g", x);
            for (int k = 0; k < 2; k++)
                for (int b = 0; b < 3; b++) {
                    double v = pts[i].v[k][b] * scale[k];
                    if (isnan(v)) fputs(" NaN", f);
                    else fprintf(f, " %.17g", v);
                }
            fputs(" \"", f);
            for (const char *p = pts[i].x; *p; p++)
                if (*p != '"') fputc(*p, f);
            fputs("\"\n", f);
        }
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "replysim plot: %s: cannot write\n", datafile);
        rc = RS_EXIT_RUNTIME;
        goto out_lists;
    }

    char titles[4096], catlist[4096], xlabel[512], title[512], q[7][4200];
    word_list(titles, sizeof titles, series, n_series);
    word_list(catlist, sizeof catlist, cats, numeric ? 0 : n_cats);
    const char *key = c->rows[0].cells[1];
    if (numeric && unit0 && unit0[0] && unit0[0] != '/')
        snprintf(xlabel, sizeof xlabel, "%s (%s)", key, unit0);
    else
        snprintf(xlabel, sizeof xlabel, "%s", key);
    if (numeric && unit0 && unit0[0] == '/')
        snprintf(xlabel, sizeof xlabel, "%s (per %s)", key,
                 !strcmp(unit0, "/h")   ? "hour"
                 : !strcmp(unit0, "/m") ? "minute"
                 : !strcmp(unit0, "/d") ? "day"
                 : !strcmp(unit0, "/s") ? "second"
                                        : unit0 + 1);
    snprintf(title, sizeof title, "%s: %s%s%s against %s (mean of %d replications, 95%% CI)",
             scenario, name[0], two ? " and " : "", two ? name[1] : "", key, reps);
    quote(q[0], sizeof q[0], datafile);
    quote(q[1], sizeof q[1], title);
    quote(q[2], sizeof q[2], xlabel);
    quote(q[3], sizeof q[3], axis[0]);
    quote(q[4], sizeof q[4], axis[1]);
    quote(q[5], sizeof q[5], titles);
    quote(q[6], sizeof q[6], catlist);
    char n0[160], n1[160];
    quote(n0, sizeof n0, name[0]);
    quote(n1, sizeof n1, name[1]);
    int sn = snprintf(settings, len,
                      "datafile=%s; title_text=%s; xlabel_text=%s; y1label=%s; y2label=%s; "
                      "y1name=%s; y2name=%s; titles=%s; nseries=%d; two=%d; categorical=%d; "
                      "ncat=%d; categories=%s; y1pct=%d; y2pct=%d",
                      q[0], q[1], q[2], q[3], q[4], n0, n1, q[5], n_series, two, !numeric,
                      n_cats, q[6], scale[0] == 100, scale[1] == 100);
    if (sn >= (int)len) {
        fprintf(stderr, "replysim plot: %s: too many series to draw\n", csv);
        rc = RS_EXIT_USAGE;
    }
out_lists:
    free(cats);
    free(series);
out:
    free(pts);
    rs_csvin_destroy(c);
    return rc;
}

int rs_cmd_plot(int argc, char **argv)
{
    const char *dir = NULL;
    double target = 0.9;
    const char *sweep_metric = NULL; /* --metric */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return RS_EXIT_OK;
        }
        if (!strcmp(argv[i], "--target")) {
            char why[160];
            if (i + 1 == argc) {
                fprintf(stderr, "replysim plot: --target: expected a share such as 0.9\n");
                return RS_EXIT_USAGE;
            }
            if (rs_units_prob(argv[++i], &target, why, sizeof why)) {
                fprintf(stderr, "replysim plot: --target: %s\n", why);
                return RS_EXIT_USAGE;
            }
            continue;
        }
        if (!strcmp(argv[i], "--metric")) {
            if (i + 1 == argc || !argv[i + 1][0]) {
                fprintf(stderr, "replysim plot: --metric: expected a metric of sweep.csv such "
                                "as wait_mean_s\n");
                return RS_EXIT_USAGE;
            }
            sweep_metric = argv[++i];
            continue;
        }
        if (argv[i][0] == '-' || dir) {
            fprintf(stderr, "replysim plot: %s: expected one results folder\n", argv[i]);
            return RS_EXIT_USAGE;
        }
        dir = argv[i];
    }
    if (!dir) {
        fputs(usage, stderr);
        return RS_EXIT_USAGE;
    }
    char latency[1024], intervals[1024], summary[1024], ini[1024], plots[1024];
    snprintf(latency, sizeof latency, "%s/latency.csv", dir);
    snprintf(intervals, sizeof intervals, "%s/intervals.csv", dir);
    snprintf(summary, sizeof summary, "%s/summary.csv", dir);
    snprintf(ini, sizeof ini, "%s/scenario.ini", dir);
    char sweep[1024], sweep_data[1100];
    snprintf(sweep, sizeof sweep, "%s/sweep.csv", dir);
    snprintf(sweep_data, sizeof sweep_data, "%s/.sweep.dat.tmp%ld", dir, (long)getpid());
    if (sweep_metric && !exists(sweep)) {
        fprintf(stderr, "replysim plot: --metric: expected a results folder of replysim sweep "
                        "(sweep.csv)\n");
        return RS_EXIT_USAGE;
    }
    char staffing[1024];
    snprintf(staffing, sizeof staffing, "%s/staffing.csv", dir);
    if (!exists(ini) || !(exists(latency) || exists(intervals) || exists(summary) ||
                          exists(sweep) || exists(staffing))) {
        fprintf(stderr, "replysim plot: %s: expected a results folder of replysim run "
                        "(scenario.ini and latency.csv, intervals.csv or summary.csv)\n", dir);
        return RS_EXIT_USAGE;
    }
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    if (rs_scenario_load(ini, &sc, &err)) {
        rs_error_print(&err, stderr);
        return RS_EXIT_USAGE;
    }
    if (find_plots(plots, sizeof plots)) {
        fprintf(stderr, "replysim plot: cannot find the gnuplot scripts (latency.gp); "
                        "set REPLYSIM_PLOTS to the plots/ folder\n");
        rs_scenario_destroy(sc);
        return RS_EXIT_RUNTIME;
    }

    /* Each picture's gnuplot settings, built while the scenario is at hand. */
    static char set_latency[16384], set_sl[8192], set_load[8192], set_outcomes[8192];
    char q[3][2200], title[512];
    set_latency[0] = set_sl[0] = set_load[0] = set_outcomes[0] = '\0';
    char timing[512];
    snprintf(timing, sizeof timing,
             "start_day=%d; start_clock_s=%.17g; warmup_s=%.17g; horizon_s=%.17g; "
             "drain_s=%.17g; interval_s=%.17g",
             sc->start_day, sc->start_clock_s, sc->warmup_s, sc->horizon_s, sc->drain_s,
             sc->interval_s);
    /* One replication has no confidence intervals: the scripts leave them out. */
    int bands = sc->replications >= 2;
    char reps[64];
    if (bands)
        snprintf(reps, sizeof reps, "mean of %d replications, 95%% CI", sc->replications);
    else
        snprintf(reps, sizeof reps, "one replication");
    char per[64];
    if (sc->interval_s == 3600) {
        snprintf(per, sizeof per, "hour");
    } else {
        char w[32];
        rs_units_label_duration(sc->interval_s, w, sizeof w);
        snprintf(per, sizeof per, "%s interval", w);
    }

    if (exists(latency)) {
        char scopes[2048] = "all", thresholds[512] = "";
        size_t n = strlen(scopes);
        for (int c = 0; c < sc->n_channels; c++)
            n += (size_t)snprintf(scopes + n, sizeof scopes - n, " channel:%s",
                                  sc->channels[c].name);
        n = 0;
        for (int w = 0; w < sc->n_within; w++)
            n += (size_t)snprintf(thresholds + n, sizeof thresholds - n, "%s%.17g", w ? " " : "",
                                  sc->within_s[w]);
        snprintf(title, sizeof title,
                 "%s: time to first response (%s)", sc->name, reps);
        quote(q[0], sizeof q[0], latency);
        quote(q[1], sizeof q[1], scopes);
        quote(q[2], sizeof q[2], title);
        snprintf(set_latency, sizeof set_latency,
                 "datafile=%s; scopes=%s; thresholds='%s'; title_text=%s; bands=%d", q[0], q[1],
                 thresholds, q[2], bands);
    }
    if (exists(intervals) && sc->n_within > 0) {
        /* The 1h threshold when there is one, else the middle one. */
        int k = sc->n_within / 2;
        for (int w = 0; w < sc->n_within; w++)
            if (sc->within_s[w] == 3600) k = w;
        char within[32], metric[48];
        rs_units_label_duration(sc->within_s[k], within, sizeof within);
        snprintf(metric, sizeof metric, "sl_%s", within);
        double overall = summary_mean(summary, metric);
        snprintf(title, sizeof title,
                 "%s: share of messages needing a reply answered within %s, by %s of arrival "
                 "(%s)",
                 sc->name, within, per, reps);
        quote(q[0], sizeof q[0], intervals);
        quote(q[1], sizeof q[1], title);
        char ov[40] = "NaN"; /* the script leaves out the whole-run line then */
        if (!isnan(overall)) snprintf(ov, sizeof ov, "%.17g", overall);
        snprintf(set_sl, sizeof set_sl,
                 "datafile=%s; title_text=%s; metric='%s'; within_text='%s'; target=%.17g; "
                 "overall=%s; bands=%d; %s",
                 q[0], q[1], metric, within, target, ov, bands, timing);
        snprintf(title, sizeof title,
                 "%s: load per %s (%s)", sc->name, per, reps);
        quote(q[1], sizeof q[1], title);
        snprintf(set_load, sizeof set_load, "datafile=%s; title_text=%s; bands=%d; %s", q[0],
                 q[1], bands, timing);
    }
    if (exists(summary)) {
        static const char *const counts[] = {"recommenders", "positive_shares", "negative_posts",
                                             "defectors"};
        static const char *const amounts[] = {"spend_uplift", "negative_reach", "onlooker_loss"};
        char have_c[256] = "", have_a[256] = "";
        size_t nc = 0, na = 0;
        for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
            if (!isnan(summary_mean(summary, counts[i])))
                nc += (size_t)snprintf(have_c + nc, sizeof have_c - nc, "%s%s", nc ? " " : "",
                                       counts[i]);
        for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++)
            if (!isnan(summary_mean(summary, amounts[i])))
                na += (size_t)snprintf(have_a + na, sizeof have_a - na, "%s%s", na ? " " : "",
                                       amounts[i]);
        if (nc + na == 0) {
            fprintf(stderr, "replysim plot: %s has no outcome metrics (results of an older "
                            "replysim?): no outcomes picture\n", summary);
        } else {
            snprintf(title, sizeof title,
                     "%s: expected outcomes per replication (%s)", sc->name, reps);
            quote(q[0], sizeof q[0], summary);
            quote(q[1], sizeof q[1], title);
            snprintf(set_outcomes, sizeof set_outcomes,
                     "datafile=%s; title_text=%s; counts='%s'; amounts='%s'; bands=%d", q[0], q[1],
                     have_c, have_a, bands);
        }
    }
    static char set_sweep[40000];
    set_sweep[0] = '\0';
    if (exists(sweep)) {
        int st = sweep_settings(sweep, sweep_metric, sc->name, sc->replications, sweep_data,
                                set_sweep, sizeof set_sweep);
        if (st) {
            unlink(sweep_data);
            rs_scenario_destroy(sc);
            return st;
        }
    }
    /* staffing.csv (replysim staff): its target and metric from row 1 */
    static char set_staffing[8192];
    set_staffing[0] = '\0';
    if (exists(staffing)) {
        FILE *sf = fopen(staffing, "r");
        char line[1024], metric[96] = "";
        double goal = NAN;
        if (sf && fgets(line, sizeof line, sf) && fgets(line, sizeof line, sf)) {
            char *p = line;
            for (int k = 0; k < 6 && p; k++)
                p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
            if (p && sscanf(p, "%95[^,],%lf", metric, &goal) != 2) metric[0] = '\0';
        }
        if (sf) fclose(sf);
        if (metric[0] && !isnan(goal)) {
            int secs = strlen(metric) > 2 && !strcmp(metric + strlen(metric) - 2, "_s");
            char axis[160];
            if (secs)
                snprintf(axis, sizeof axis, "%s (minutes)", metric);
            else
                snprintf(axis, sizeof axis, "%s (%%)", metric);
            snprintf(title, sizeof title, "%s: staffing found against demand, per %s (%s)",
                     sc->name, per, reps);
            quote(q[0], sizeof q[0], staffing);
            quote(q[1], sizeof q[1], title);
            quote(q[2], sizeof q[2], axis);
            snprintf(set_staffing, sizeof set_staffing,
                     "datafile=%s; title_text=%s; metric_text=%s; pct=%d; secs=%d; "
                     "target=%.17g; bands=%d; %s",
                     q[0], q[1], q[2], !secs, secs, goal, bands, timing);
        }
    }
    rs_scenario_destroy(sc);

    const struct {
        const char *name, *settings;
    } pictures[] = {
        {"latency", set_latency},
        {"service_level", set_sl},
        {"load", set_load},
        {"outcomes", set_outcomes},
        {"sweep", set_sweep},
        {"staffing", set_staffing},
    };
    int rc = RS_EXIT_OK, no_gnuplot = 0;
    for (size_t i = 0; i < sizeof pictures / sizeof pictures[0] && !no_gnuplot; i++) {
        if (!pictures[i].settings[0]) continue;
        if (draw(dir, plots, pictures[i].name, pictures[i].settings, &no_gnuplot))
            rc = RS_EXIT_RUNTIME;
    }
    if (set_sweep[0]) unlink(sweep_data);
    return rc;
}
