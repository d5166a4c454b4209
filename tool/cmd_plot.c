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
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CMD "plot"
/* Longer gnuplot settings are not handed to gnuplot: it takes them as one
 * argument. */
#define MAX_ARG (RS_PLOT_MAX_SETTINGS + 16384)

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

/* The command's options and the files of the results folder (paths, owned). */
struct plot {
    const char *dir;    /* the results folder */
    const char *metric; /* --metric, NULL: none */
    double target;      /* --target */
    char *latency, *intervals, *summary, *ini, *sweep, *sweep_data, *staffing, *backtest;
    char *tmpdir; /* DIR/.plot.replysim-XXXXXX, private: drawn into, then renamed */
    char *plots;  /* the folder of the gnuplot scripts */
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

/* Draws every picture whose settings are there; stops when gnuplot cannot
 * be run at all. */
static int draw_all(const struct plot *p, const struct rs_buf *set)
{
    int rc = RS_EXIT_OK, no_gnuplot = 0;
    for (int i = 0; i < RS_PLOT_N && !no_gnuplot; i++) {
        if (!set[i].len) continue;
        if (draw(p, rs_plot_names[i], rs_buf_str(&set[i]), &no_gnuplot)) rc = RS_EXIT_RUNTIME;
    }
    return rc;
}

/* Every results file of p that exists is a regular file (gnuplot and the
 * readers here would block on a FIFO): RS_EXIT_OK, or RS_EXIT_USAGE after
 * saying which is not. */
static int regular_inputs(const struct plot *p)
{
    const char *paths[] = {p->latency, p->intervals, p->summary, p->ini,
                           p->sweep,   p->staffing,  p->backtest};
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
    p->backtest = path_in(p->dir, "backtest.csv");
    if (p->metric && !exists(p->sweep))
        return rs_tool_say(CMD, "--metric: expected a results folder of replysim sweep "
                                "(sweep.csv)");
    if (!exists(p->ini) || !(exists(p->latency) || exists(p->intervals) || exists(p->summary) ||
                             exists(p->sweep) || exists(p->staffing) || exists(p->backtest)))
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
    char *paths[] = {p->latency,    p->intervals, p->summary, p->ini,     p->sweep,
                     p->sweep_data, p->staffing,  p->plots,   p->backtest};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        free(paths[i]);
}

/* Writes the sweep picture's data file: RS_EXIT_OK or RS_EXIT_RUNTIME. */
static int write_data(const char *path, const struct rs_buf *data)
{
    /* a fresh name in the private folder: never an existing file or link */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    if (!f) {
        if (fd >= 0) close(fd);
        rs_tool_say(CMD, "%s: cannot write: %s", path, strerror(errno));
        return RS_EXIT_RUNTIME;
    }
    int bad = fwrite(rs_buf_str(data), 1, data->len, f) != data->len;
    if ((fclose(f) != 0) | bad) {
        rs_tool_say(CMD, "%s: cannot write", path);
        return RS_EXIT_RUNTIME;
    }
    return RS_EXIT_OK;
}

/* Loads the scenario, builds the settings (every file checked) and draws. */
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
    const struct rs_plot_in in = {.dir = p->dir,
                                  .metric = p->metric,
                                  .target = p->target,
                                  .sc = sc,
                                  .sweep_data = p->sweep_data};
    struct rs_plot_out out = RS_PLOT_OUT_INIT;
    int rc = rs_plot_build(&in, &out, &err);
    rs_scenario_destroy(sc);
    int st = rc ? rs_tool_error(NULL, &err, rc) : RS_EXIT_OK;
    for (const char *n = rs_buf_str(&out.notes), *e; !st && (e = strchr(n, '\n')); n = e + 1)
        rs_tool_say(CMD, "%.*s", (int)(e - n), n);
    if (!st && out.set[RS_PLOT_SWEEP].len) st = write_data(p->sweep_data, &out.sweep_data);
    if (!st) st = draw_all(p, out.set);
    if (out.set[RS_PLOT_SWEEP].len) unlink(p->sweep_data);
    rs_plot_out_free(&out);
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
    struct plot p = {.target = 0.9};
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

/* For fit's pictures (plot_fit.c): the scripts' folder and gnuplot. */
char *rs_plot_scripts(void) { return find_plots(); }
int rs_plot_gnuplot(const char *settings, const char *script) { return gnuplot(settings, script); }
