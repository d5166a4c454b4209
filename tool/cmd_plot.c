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
#define NOTHING (-2) /* find_files: nothing to draw, and that is fine */
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
    "  compare        a folder of replysim compare: each variant's difference\n"
    "                 from base with its 95% interval, a panel per metric,\n"
    "                 green better, red worse (compare.csv)\n"
    "\n"
    "  --target P     service-level target drawn on service_level (0.9)\n"
    "  --metric NAME  sweep or compare: draw this metric of sweep.csv or\n"
    "                 compare.csv, into sweep_NAME or compare_NAME (.png, .svg)\n"
    "\n"
    "One gnuplot process draws the whole folder.\n"
    "Needs gnuplot (Debian package gnuplot-nox).  The scripts are looked up in\n"
    "$REPLYSIM_PLOTS, ./plots, next to the program (../plots) and\n"
    "PREFIX/share/replysim/plots.\n";

/* The command's options and the files of the results folder (paths, owned). */
struct plot {
    const char *dir;    /* the results folder */
    const char *metric; /* --metric, NULL: none */
    double target;      /* --target */
    const char *out;    /* where the pictures go (dir for plot) */
    int svg_only;       /* 1: SVG alone (report) */
    int *drawn;         /* [RS_PLOT_N]: 1 for each picture drawn */
    int nothing_ok;     /* 1: a folder with nothing to draw is fine (report) */
    char *latency, *intervals, *summary, *ini, *sweep, *sweep_data, *staffing, *compare;
    char *backtest;
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

/* Runs gnuplot on script; 0 on success, 127 when it cannot be run. */
static int gnuplot(const char *script)
{
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        execlp("gnuplot", "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The file name (no extension) of picture i: its name, or with --metric
 * sweep_METRIC. */
static void picture_name(const struct plot *p, int i, struct rs_buf *out)
{
    rs_buf_puts(out, rs_plot_names[i]);
    if ((i == RS_PLOT_SWEEP || i == RS_PLOT_COMPARE) && p->metric)
        rs_buf_printf(out, "_%s", p->metric);
}

static const char *const terms[2] = {"png", "svg"};

/* The one gnuplot script of the folder: each picture of set, in each
 * term, drawn by its plots/NAME.gp from a clean session (reset session)
 * with its settings, into the private folder. */
static void folder_script(const struct plot *p, const struct rs_buf *set, struct rs_buf *out)
{
    struct rs_buf name = RS_BUF_INIT, path = RS_BUF_INIT;
    for (int i = 0; i < RS_PLOT_N; i++) {
        if (!set[i].len) continue;
        rs_buf_reset(&name);
        picture_name(p, i, &name);
        for (int t = p->svg_only; t < 2; t++) {
            rs_buf_reset(&path);
            rs_buf_printf(&path, "%s/%s.%s", p->tmpdir, rs_buf_str(&name), terms[t]);
            rs_buf_printf(out, "reset session\n%s; outfile=", rs_buf_str(&set[i]));
            rs_plot_quote(out, rs_buf_str(&path));
            rs_buf_printf(out, "; term='%s'; plotdir=", terms[t]);
            rs_plot_quote(out, p->plots);
            rs_buf_puts(out, "\nload ");
            rs_buf_reset(&path);
            rs_buf_printf(&path, "%s/%s.gp", p->plots, rs_plot_names[i]);
            rs_plot_quote(out, rs_buf_str(&path));
            rs_buf_puts(out, "\nset output\n");
        }
    }
    rs_buf_free(&name);
    rs_buf_free(&path);
}

static int write_data(const char *path, const struct rs_buf *data);

/* The last picture drawn. */
static int last_picture(const struct rs_buf *set)
{
    int last = -1;
    for (int i = 0; i < RS_PLOT_N; i++)
        if (set[i].len) last = i;
    return last;
}

/* Draws every picture whose settings are there with one gnuplot process,
 * then renames each file drawn into the output folder (PNG and SVG, or
 * SVG alone).  RS_EXIT_OK, or RS_EXIT_RUNTIME after saying which picture
 * gnuplot could not draw. */
static int draw_all(struct plot *p, const struct rs_buf *set)
{
    struct rs_buf script = RS_BUF_INIT, tmp = RS_BUF_INIT, final = RS_BUF_INIT, name = RS_BUF_INIT;
    folder_script(p, set, &script);
    char *gp = path_in(p->tmpdir, "draw.gp");
    int rc = script.len ? write_data(gp, &script) : RS_EXIT_OK;
    int st = !rc && script.len ? gnuplot(gp) : 0;
    unlink(gp);
    free(gp);
    /* gnuplot stopped: nothing is kept, and the picture it stopped in (the
     * first not drawn, else the last) is named */
    for (int i = 0; i < RS_PLOT_N && !rc; i++) {
        if (!set[i].len) continue;
        rs_buf_reset(&name);
        picture_name(p, i, &name);
        for (int t = p->svg_only; t < 2 && !rc; t++) {
            rs_buf_reset(&tmp), rs_buf_reset(&final);
            rs_buf_printf(&tmp, "%s/%s.%s", p->tmpdir, rs_buf_str(&name), terms[t]);
            rs_buf_printf(&final, "%s/%s.%s", p->out, rs_buf_str(&name), terms[t]);
            struct stat sb;
            int there = stat(rs_buf_str(&tmp), &sb) == 0 && sb.st_size > 0;
            if (st == 0 && there && rename(rs_buf_str(&tmp), rs_buf_str(&final)) == 0) {
                p->drawn[i] = 1;
            } else if (!there || st == 0 || i == last_picture(set)) {
                rs_tool_say(CMD, "%s: %s", rs_buf_str(&final),
                            st == 127 ? "gnuplot not found (install the Debian package gnuplot-nox)"
                                      : "gnuplot could not draw it");
                rc = RS_EXIT_RUNTIME;
            }
        }
    }
    /* what a failed gnuplot left behind */
    for (int i = 0; i < RS_PLOT_N && rc; i++)
        for (int t = 0; t < 2; t++) {
            rs_buf_reset(&name), rs_buf_reset(&tmp);
            picture_name(p, i, &name);
            rs_buf_printf(&tmp, "%s/%s.%s", p->tmpdir, rs_buf_str(&name), terms[t]);
            unlink(rs_buf_str(&tmp));
        }
    rs_buf_free(&script), rs_buf_free(&tmp), rs_buf_free(&final), rs_buf_free(&name);
    return rc;
}

/* Every results file of p that exists is a regular file (gnuplot and the
 * readers here would block on a FIFO): RS_EXIT_OK, or RS_EXIT_USAGE after
 * saying which is not. */
static int regular_inputs(const struct plot *p)
{
    const char *paths[] = {p->latency, p->intervals, p->summary, p->ini,
                           p->sweep,   p->staffing,  p->compare, p->backtest};
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
    p->compare = path_in(p->dir, "compare.csv");
    p->backtest = path_in(p->dir, "backtest.csv");
    if (p->metric && !exists(p->sweep) && !exists(p->compare))
        return rs_tool_say(CMD, "--metric: expected a results folder of replysim sweep "
                                "(sweep.csv) or compare (compare.csv)");
    /* --metric names a file (sweep_METRIC.png): a metric's characters only */
    if (p->metric && (!p->metric[0] || strspn(p->metric, "abcdefghijklmnopqrstuvwxyz"
                                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
                                           strlen(p->metric)))
        return rs_tool_say(CMD, "--metric: expected a metric name of letters, digits and _, "
                                "such as wait_mean_s");
    int any = exists(p->latency) || exists(p->intervals) || exists(p->summary) ||
              exists(p->sweep) || exists(p->staffing) || exists(p->compare) || exists(p->backtest);
    if (exists(p->ini) && !any && p->nothing_ok) return NOTHING;
    if (!exists(p->ini) || !any)
        return rs_tool_say(CMD,
                           "%s: expected a results folder of replysim run (scenario.ini and "
                           "latency.csv, intervals.csv or summary.csv), sweep, staff or compare",
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
    char *paths[] = {p->latency,    p->intervals, p->summary, p->ini,      p->sweep,
                     p->sweep_data, p->staffing,  p->compare, p->backtest, p->plots};
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

int rs_plot_run(struct rs_plot_job *job)
{
    memset(job->drawn, 0, sizeof job->drawn);
    struct plot p = {.dir = job->dir,
                     .metric = job->metric,
                     .target = job->target,
                     .out = job->out ? job->out : job->dir,
                     .svg_only = job->svg_only,
                     .drawn = job->drawn,
                     .nothing_ok = job->nothing_ok};
    int st = find_files(&p);
    if (!st) st = plot_folder(&p);
    if (st == NOTHING) st = RS_EXIT_OK;
    plot_free(&p);
    return st;
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
    struct rs_plot_job job = {.dir = p.dir, .metric = p.metric, .target = p.target};
    return rs_plot_run(&job);
}

/* For fit's pictures (plot_fit.c): the scripts' folder and gnuplot. */
char *rs_plot_scripts(void) { return find_plots(); }
int rs_plot_gnuplot(const char *settings, const char *script)
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
