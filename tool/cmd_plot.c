/* cmd_plot.c: `replysim plot DIR`, pictures of a results folder drawn by
 * gnuplot (an external program) with the scripts of plots/. */
#include "cmd.h"

#include "options.h"
#include "plot.h"
#include "replysim/alloc.h"
#include "replysim/buf.h"
#include "replysim/error.h"
#include "replysim/file.h"
#include "replysim/scenario.h"
#include "replysim/units.h"
#include "tool.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CMD "plot"
/* Longer gnuplot settings are not handed to gnuplot: it takes them as one
 * argument. */
#define MAX_ARG 20000

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

/* The files of a results folder (paths, owned), and what the pictures
 * share. */
struct plot {
    const char *dir;    /* the results folder */
    const char *metric; /* --metric, NULL: none */
    double target;      /* --target */
    char *latency, *intervals, *summary, *ini, *sweep, *sweep_data, *staffing;
    char *plots;                  /* the folder of the gnuplot scripts */
    char *tmpdir;                 /* DIR/.plot.replysim-XXXXXX, private: drawn before renamed */
    const struct rs_scenario *sc; /* DIR/scenario.ini */
    int bands;                    /* 1: confidence bands (two replications or more) */
    struct rs_buf reps;           /* "mean of 10 replications, 95% CI" */
    struct rs_buf per;            /* "hour" or "15m interval" */
    struct rs_buf timing;         /* the settings of the run's clock */
};

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* "DIR/NAME" (a path to free). */
static char *path_in(const char *dir, const char *name)
{
    struct rs_buf b = RS_BUF_INIT;
    rs_buf_printf(&b, "%s/%s", dir, name);
    return rs_buf_detach(&b);
}

/* 1 when folder holds latency.gp. */
static int has_scripts(const char *folder)
{
    char *probe = path_in(folder, "latency.gp");
    int yes = exists(probe);
    free(probe);
    return yes;
}

/* The folder holding the gnuplot scripts (to free), NULL: none found. */
static char *find_plots(void)
{
    const char *env = getenv("REPLYSIM_PLOTS");
    if (env && env[0] && has_scripts(env)) return rs_strdup(env);
    if (has_scripts("plots")) return rs_strdup("plots");
    char exe[900];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0) return NULL;
    exe[k] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    static const char *const beside[] = {"../plots", "../share/replysim/plots"};
    for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
        char *cand = path_in(exe, beside[i]);
        if (has_scripts(cand)) return cand;
        free(cand);
    }
    return NULL;
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

/* Draws DIR/NAME.png and DIR/NAME.svg with plots/NAME.gp and the gnuplot
 * settings (statements separated by ';'), each written to a temporary name
 * in DIR and renamed.  Returns RS_EXIT_OK or RS_EXIT_RUNTIME (said on
 * stderr); *no_gnuplot is set when gnuplot cannot be run at all. */
static int draw(const struct plot *p, const char *name, const char *settings, int *no_gnuplot)
{
    static const char *const terms[2] = {"png", "svg"};
    struct rs_buf script = RS_BUF_INIT, final = RS_BUF_INIT, tmp = RS_BUF_INIT, all = RS_BUF_INIT;
    rs_buf_printf(&script, "%s/%s.gp", p->plots, name);
    int rc = RS_EXIT_OK;
    for (int t = 0; t < 2 && !rc; t++) {
        rs_buf_reset(&final), rs_buf_reset(&tmp), rs_buf_reset(&all);
        rs_buf_printf(&final, "%s/%s.%s", p->dir, name, terms[t]);
        rs_buf_printf(&tmp, "%s/%s.%s", p->tmpdir, name, terms[t]);
        rs_buf_printf(&all, "%s; outfile=", settings);
        rs_plot_quote(&all, rs_buf_str(&tmp));
        rs_buf_printf(&all, "; term='%s'; plotdir=", terms[t]);
        rs_plot_quote(&all, p->plots);
        int st = all.len < MAX_ARG ? gnuplot(rs_buf_str(&all), rs_buf_str(&script)) : -1;
        if (st != 0 || rename(rs_buf_str(&tmp), rs_buf_str(&final)) != 0) {
            unlink(rs_buf_str(&tmp));
            *no_gnuplot = st == 127;
            rs_tool_say(CMD, "%s: %s", rs_buf_str(&final),
                        st == 127 ? "gnuplot not found (install the Debian package gnuplot-nox)"
                                  : "gnuplot could not draw it");
            rc = RS_EXIT_RUNTIME;
        }
    }
    rs_buf_free(&script), rs_buf_free(&final), rs_buf_free(&tmp), rs_buf_free(&all);
    return rc;
}

/* The mean of metric in scope all from summary.csv; NaN when absent. */
static double summary_mean(const char *path, const char *metric)
{
    FILE *f = NULL;
    if (rs_file_open_read(path, &f, NULL, 0)) return NAN;
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

/* name=literal; for the settings. */
static void setting(struct rs_buf *b, const char *name, const char *text)
{
    rs_buf_printf(b, "%s=", name);
    rs_plot_quote(b, text);
    rs_buf_puts(b, "; ");
}

/* ------------------------------------------------ the pictures' settings */

/* latency: latency.csv, a curve per scope with the thresholds. */
static void latency_settings(const struct plot *p, struct rs_buf *out)
{
    const struct rs_scenario *sc = p->sc;
    struct rs_buf scopes = RS_BUF_INIT, title = RS_BUF_INIT;
    rs_buf_puts(&scopes, "all");
    for (int c = 0; c < sc->n_channels; c++)
        rs_buf_printf(&scopes, " channel:%s", sc->channels[c].name);
    rs_buf_printf(&title, "%s: time to first response (%s)", sc->name, rs_buf_str(&p->reps));
    setting(out, "datafile", p->latency);
    setting(out, "scopes", rs_buf_str(&scopes));
    rs_buf_puts(out, "thresholds='");
    for (int w = 0; w < sc->n_within; w++)
        rs_buf_printf(out, "%s%.17g", w ? " " : "", sc->within_s[w]);
    rs_buf_puts(out, "'; ");
    setting(out, "title_text", rs_buf_str(&title));
    rs_buf_printf(out, "bands=%d", p->bands);
    rs_buf_free(&scopes);
    rs_buf_free(&title);
}

/* service_level and load: intervals.csv, against the clock. */
static void interval_settings(const struct plot *p, struct rs_buf *sl, struct rs_buf *load)
{
    const struct rs_scenario *sc = p->sc;
    /* The 1h threshold when there is one, else the middle one. */
    int k = sc->n_within / 2;
    for (int w = 0; w < sc->n_within; w++)
        if (sc->within_s[w] == 3600) k = w;
    char within[32], metric[48], overall[40] = "NaN"; /* NaN: the script leaves it out */
    rs_units_label_duration(sc->within_s[k], within, sizeof within);
    snprintf(metric, sizeof metric, "sl_%s", within);
    double x = summary_mean(p->summary, metric);
    if (!isnan(x)) snprintf(overall, sizeof overall, "%.17g", x);
    struct rs_buf title = RS_BUF_INIT;
    rs_buf_printf(&title,
                  "%s: share of messages needing a reply answered within %s, by %s of arrival "
                  "(%s)",
                  sc->name, within, rs_buf_str(&p->per), rs_buf_str(&p->reps));
    setting(sl, "datafile", p->intervals);
    setting(sl, "title_text", rs_buf_str(&title));
    rs_buf_printf(sl, "metric='%s'; within_text='%s'; target=%.17g; overall=%s; bands=%d; %s",
                  metric, within, p->target, overall, p->bands, rs_buf_str(&p->timing));
    rs_buf_reset(&title);
    rs_buf_printf(&title, "%s: load per %s (%s)", sc->name, rs_buf_str(&p->per),
                  rs_buf_str(&p->reps));
    setting(load, "datafile", p->intervals);
    setting(load, "title_text", rs_buf_str(&title));
    rs_buf_printf(load, "bands=%d; %s", p->bands, rs_buf_str(&p->timing));
    rs_buf_free(&title);
}

/* The names of metrics whose mean summary.csv holds, as a word list. */
static void present(const char *summary, const char *const *names, size_t n, struct rs_buf *out)
{
    for (size_t i = 0; i < n; i++)
        if (!isnan(summary_mean(summary, names[i])))
            rs_buf_printf(out, "%s%s", out->len ? " " : "", names[i]);
}

/* outcomes: summary.csv's outcome metrics, when it has any. */
static void outcome_settings(const struct plot *p, struct rs_buf *out)
{
    static const char *const counts[] = {"recommenders", "positive_shares", "negative_posts",
                                         "defectors"};
    static const char *const amounts[] = {"spend_uplift", "negative_reach", "onlooker_loss"};
    struct rs_buf have_c = RS_BUF_INIT, have_a = RS_BUF_INIT, title = RS_BUF_INIT;
    present(p->summary, counts, sizeof counts / sizeof counts[0], &have_c);
    present(p->summary, amounts, sizeof amounts / sizeof amounts[0], &have_a);
    if (have_c.len + have_a.len == 0) {
        rs_tool_say(CMD,
                    "%s has no outcome metrics (results of an older replysim?): no outcomes "
                    "picture",
                    p->summary);
    } else {
        rs_buf_printf(&title, "%s: expected outcomes per replication (%s)", p->sc->name,
                      rs_buf_str(&p->reps));
        setting(out, "datafile", p->summary);
        setting(out, "title_text", rs_buf_str(&title));
        rs_buf_printf(out, "counts='%s'; amounts='%s'; bands=%d", rs_buf_str(&have_c),
                      rs_buf_str(&have_a), p->bands);
    }
    rs_buf_free(&have_c);
    rs_buf_free(&have_a);
    rs_buf_free(&title);
}

/* staffing: staffing.csv (replysim staff), its target and metric from row 1. */
static void staffing_settings(const struct plot *p, struct rs_buf *out)
{
    FILE *sf = NULL;
    rs_file_open_read(p->staffing, &sf, NULL, 0);
    char line[1024], metric[96] = "";
    double goal = NAN;
    if (sf && fgets(line, sizeof line, sf) && fgets(line, sizeof line, sf)) {
        char *s = line;
        for (int k = 0; k < 6 && s; k++)
            s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL;
        if (s && sscanf(s, "%95[^,],%lf", metric, &goal) != 2) metric[0] = '\0';
    }
    if (sf) fclose(sf);
    if (!metric[0] || isnan(goal)) return;
    int secs = strlen(metric) > 2 && !strcmp(metric + strlen(metric) - 2, "_s");
    struct rs_buf axis = RS_BUF_INIT, title = RS_BUF_INIT;
    rs_buf_printf(&axis, secs ? "%s (minutes)" : "%s (%%)", metric);
    rs_buf_printf(&title, "%s: staffing found against demand, per %s (%s)", p->sc->name,
                  rs_buf_str(&p->per), rs_buf_str(&p->reps));
    setting(out, "datafile", p->staffing);
    setting(out, "title_text", rs_buf_str(&title));
    setting(out, "metric_text", rs_buf_str(&axis));
    rs_buf_printf(out, "pct=%d; secs=%d; target=%.17g; bands=%d; %s", !secs, secs, goal, p->bands,
                  rs_buf_str(&p->timing));
    rs_buf_free(&axis);
    rs_buf_free(&title);
}

/* What every picture says of the run: replications, interval, clock. */
static void describe_run(struct plot *p)
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

/* ------------------------------------------------ command */

enum { LATENCY, SERVICE_LEVEL, LOAD, OUTCOMES, SWEEP, STAFFING, N_PICTURES };
static const char *const picture_names[N_PICTURES] = {"latency",  "service_level", "load",
                                                      "outcomes", "sweep",         "staffing"};

/* Every picture's settings (empty: not drawn), built while the scenario is
 * at hand.  RS_EXIT_OK, or the exit status after saying why. */
static int settings_of(const struct plot *p, struct rs_buf *set)
{
    if (exists(p->latency)) latency_settings(p, &set[LATENCY]);
    if (exists(p->intervals) && p->sc->n_within > 0)
        interval_settings(p, &set[SERVICE_LEVEL], &set[LOAD]);
    if (exists(p->summary)) outcome_settings(p, &set[OUTCOMES]);
    if (exists(p->sweep)) {
        int st = rs_plot_sweep_settings(p->sweep, p->metric, p->sc->name, p->sc->replications,
                                        p->sweep_data, &set[SWEEP]);
        if (st) return st;
    }
    if (exists(p->staffing)) staffing_settings(p, &set[STAFFING]);
    return RS_EXIT_OK;
}

/* Draws every picture whose settings are there; stops when gnuplot cannot
 * be run at all. */
static int draw_all(const struct plot *p, const struct rs_buf *set)
{
    int rc = RS_EXIT_OK, no_gnuplot = 0;
    for (int i = 0; i < N_PICTURES && !no_gnuplot; i++) {
        if (!set[i].len) continue;
        if (draw(p, picture_names[i], rs_buf_str(&set[i]), &no_gnuplot)) rc = RS_EXIT_RUNTIME;
    }
    return rc;
}

/* Every results file of p that exists is a regular file (gnuplot and the
 * readers here would block on a FIFO): RS_EXIT_OK, or RS_EXIT_USAGE after
 * saying which is not. */
static int regular_inputs(const struct plot *p)
{
    const char *paths[] = {p->latency, p->intervals, p->summary, p->ini, p->sweep, p->staffing};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        FILE *f = NULL;
        char why[160];
        int rc = exists(paths[i]) ? rs_file_open_read(paths[i], &f, why, sizeof why) : RS_OK;
        if (f) fclose(f);
        if (rc == RS_EINPUT) return rs_tool_say(CMD, "%s: %s", paths[i], why);
    }
    return RS_EXIT_OK;
}

/* The files of p->dir, and whether it is a results folder: RS_EXIT_OK, or
 * the exit status after saying why. */
static int find_files(struct plot *p)
{
    p->latency = path_in(p->dir, "latency.csv");
    p->intervals = path_in(p->dir, "intervals.csv");
    p->summary = path_in(p->dir, "summary.csv");
    p->ini = path_in(p->dir, "scenario.ini");
    p->sweep = path_in(p->dir, "sweep.csv");
    p->staffing = path_in(p->dir, "staffing.csv");
    if (p->metric && !exists(p->sweep))
        return rs_tool_say(CMD, "--metric: expected a results folder of replysim sweep "
                                "(sweep.csv)");
    if (!exists(p->ini) || !(exists(p->latency) || exists(p->intervals) || exists(p->summary) ||
                             exists(p->sweep) || exists(p->staffing)))
        return rs_tool_say(CMD,
                           "%s: expected a results folder of replysim run (scenario.ini and "
                           "latency.csv, intervals.csv or summary.csv)",
                           p->dir);
    int st = regular_inputs(p);
    if (st) return st;
    /* gnuplot writes with fopen: into a folder of our own (mkdtemp, 0700),
     * never at a name in DIR where a link could be planted */
    struct rs_buf tmp = RS_BUF_INIT;
    rs_buf_printf(&tmp, "%s/.plot.replysim-XXXXXX", p->dir);
    p->tmpdir = rs_buf_detach(&tmp);
    if (!mkdtemp(p->tmpdir)) {
        rs_tool_say(CMD, "%s: cannot create a temporary folder: %s", p->dir, strerror(errno));
        free(p->tmpdir);
        p->tmpdir = NULL;
        return RS_EXIT_RUNTIME;
    }
    p->sweep_data = path_in(p->tmpdir, "sweep.dat");
    return RS_EXIT_OK;
}

static void plot_free(struct plot *p)
{
    if (p->tmpdir) {
        unlink(p->sweep_data);
        rmdir(p->tmpdir);
        free(p->tmpdir);
    }
    char *paths[] = {p->latency, p->intervals,  p->summary,  p->ini,
                     p->sweep,   p->sweep_data, p->staffing, p->plots};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        free(paths[i]);
    rs_buf_free(&p->reps);
    rs_buf_free(&p->per);
    rs_buf_free(&p->timing);
}

/* Loads the scenario, builds the settings and draws. */
static int plot_folder(struct plot *p)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    if (rs_scenario_load(p->ini, &sc, &err)) return rs_tool_error(NULL, &err, RS_EINPUT);
    p->plots = find_plots();
    if (!p->plots) {
        rs_tool_say(CMD, "cannot find the gnuplot scripts (latency.gp); set REPLYSIM_PLOTS to "
                         "the plots/ folder");
        rs_scenario_destroy(sc);
        return RS_EXIT_RUNTIME;
    }
    p->sc = sc;
    describe_run(p);
    struct rs_buf set[N_PICTURES];
    for (int i = 0; i < N_PICTURES; i++)
        set[i] = (struct rs_buf)RS_BUF_INIT;
    int st = settings_of(p, set);
    rs_scenario_destroy(sc);
    p->sc = NULL;
    if (!st) st = draw_all(p, set);
    if (set[SWEEP].len || st) unlink(p->sweep_data);
    for (int i = 0; i < N_PICTURES; i++)
        rs_buf_free(&set[i]);
    return st;
}

/* --target: a share. */
static int take_target(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *v)
{
    char why[160];
    if (rs_units_prob(v, opt->value, why, sizeof why)) return rs_opt_bad(c, why);
    return 0;
}

/* The folder; any other option, "-" or a second folder is refused. */
static int take_dir(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *arg)
{
    const char **dir = opt->value;
    if (arg[0] == '-' || *dir) return rs_opt_bad(c, "expected one results folder");
    *dir = arg;
    return 0;
}

int rs_cmd_plot(int argc, char **argv)
{
    struct plot p = {.target = 0.9, .reps = RS_BUF_INIT, .per = RS_BUF_INIT, .timing = RS_BUF_INIT};
    static const char expect_metric[] = "expected a metric of sweep.csv such as wait_mean_s";
    const struct rs_opt opts[] = {
        {RS_OPT_OPERAND_F(&p.dir, "DIR", "a results folder"), .fn = take_dir,
         .flags = RS_OPT_REQUIRED},
        {RS_OPT_CALLBACK_F(0, "target", &p.target, take_target, "P", "service-level target"),
         .flags = RS_OPT_NO_EQUALS, .expect = "expected a share such as 0.9"},
        {RS_OPT_STRING_F(0, "metric", &p.metric, "NAME", "sweep: draw this metric"),
         .flags = RS_OPT_NO_EQUALS, .expect = expect_metric, .refuse = expect_metric},
        {.kind = RS_OPT_KIND_UNKNOWN, .fn = take_dir, .value = &p.dir},
        RS_OPT_END,
    };
    int st = rs_opt_parse(CMD, usage, opts, argc, argv);
    if (st != RS_OPT_CONTINUE) return st;
    st = find_files(&p);
    if (!st) st = plot_folder(&p);
    plot_free(&p);
    return st;
}
