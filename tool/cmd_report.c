/* cmd_report.c: `replysim report DIR`, one self-contained report.html of a
 * results folder: plot's pictures drawn as SVG into a private folder
 * (rs_plot_run), the page built around them (report_html.c) and written
 * whole (a temporary file renamed into place). */
#include "cmd.h"

#include "options.h"
#include "plot.h"
#include "replysim/alloc.h"
#include "replysim/buf.h"
#include "replysim/error.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "report_html.h"
#include "tool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CMD "report"

static const char usage[] =
    "usage: replysim report DIR [-q]\n"
    "\n"
    "Writes DIR/report.html, one page a manager can read and mail around: no\n"
    "script, no external file, the pictures inlined as SVG.  It holds:\n"
    "  - the answer: response rate, first-response times, service levels,\n"
    "    occupancy and the backlog at the end, with 95% confidence intervals\n"
    "    (summary.csv);\n"
    "  - what was simulated: period, replications, channels with their\n"
    "    simulated messages per day, types, staff and reply order (scenario.ini);\n"
    "  - the pictures of replysim plot (drawn again, as SVG);\n"
    "  - the results of staff, compare, sweep and the other runners, when the\n"
    "    folder holds their files (staffing.csv, schedule.csv, roster.csv,\n"
    "    shifts.csv, compare.csv, sweep.csv, backtest.csv, fit.csv);\n"
    "  - the outcome model's figures, the parameters used, and where their\n"
    "    sources and assumptions are set out.\n"
    "\n"
    "  -q, --quiet    do not say where the page was written\n"
    "\n"
    "Needs gnuplot (Debian package gnuplot-nox) for the pictures.\n"
    "exit status: 0 written, 2 not a results folder or a malformed file in it,\n"
    "3 gnuplot or the page could not be written\n";

static int put_html(FILE *f, const void *ctx, struct rs_error *err)
{
    (void)err;
    const struct rs_buf *b = ctx;
    return fwrite(rs_buf_str(b), 1, b->len, f) == b->len ? RS_OK : RS_EIO;
}

/* Removes the pictures drawn into tmp, and tmp. */
static void clean(const char *tmp, const int *drawn)
{
    char path[4096];
    for (int i = 0; i < RS_PLOT_N; i++) {
        if (!drawn[i]) continue;
        snprintf(path, sizeof path, "%s/%s.svg", tmp, rs_plot_names[i]);
        unlink(path);
    }
    rmdir(tmp);
}

/* Draws the pictures into a private folder of dir, builds and writes the
 * page: the exit status. */
static int report(const char *dir, int quiet)
{
    struct rs_buf ini = RS_BUF_INIT, tmp = RS_BUF_INIT, out = RS_BUF_INIT, html = RS_BUF_INIT;
    rs_buf_printf(&ini, "%s/scenario.ini", dir);
    rs_buf_printf(&tmp, "%s/.report.replysim-XXXXXX", dir);
    rs_buf_printf(&out, "%s/report.html", dir);
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    struct stat st;
    int made = 0, stv = RS_EXIT_OK;
    struct rs_plot_job job = {.dir = dir, .target = 0.9, .svg_only = 1, .nothing_ok = 1};
    if (stat(rs_buf_str(&ini), &st) != 0) {
        stv = rs_tool_say(CMD, "%s: expected a results folder of replysim (scenario.ini)", dir);
    } else if (rs_scenario_load(rs_buf_str(&ini), &sc, &err)) {
        stv = rs_tool_error(NULL, &err, RS_EINPUT);
    } else if (!mkdtemp(tmp.s)) {
        rs_tool_say(CMD, "%s: cannot create a temporary folder: %s", dir, strerror(errno));
        stv = RS_EXIT_RUNTIME;
    } else {
        made = 1;
        job.out = rs_buf_str(&tmp);
        stv = rs_plot_run(&job);
    }
    if (!stv) {
        const struct rs_html_in in = {
            .dir = dir, .sc = sc, .svg_dir = rs_buf_str(&tmp), .drawn = job.drawn};
        int rc = rs_html_report(&in, &html, &err);
        const struct rs_report_entry file = {rs_buf_str(&out), put_html, &html};
        if (!rc) rc = rs_report_write_file(rs_buf_str(&out), &file, &err);
        if (rc) stv = rs_tool_error(NULL, &err, rc);
    }
    if (made) clean(rs_buf_str(&tmp), job.drawn);
    if (!stv && !quiet) printf("report: wrote %s\n", rs_buf_str(&out));
    rs_scenario_destroy(sc);
    rs_buf_free(&ini), rs_buf_free(&tmp), rs_buf_free(&out), rs_buf_free(&html);
    return stv;
}

/* The folder; any other option, "-" or a second folder is refused. */
static int take_dir(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *arg)
{
    const char **dir = opt->value;
    if (arg[0] == '-' || *dir) return rs_opt_bad(c, "expected one results folder");
    *dir = arg;
    return 0;
}

int rs_cmd_report(int argc, char **argv)
{
    const char *dir = NULL;
    int quiet = 0;
    const struct rs_opt opts[] = {
        {RS_OPT_OPERAND_F(&dir, "DIR", "a results folder"), .fn = take_dir,
         .flags = RS_OPT_REQUIRED},
        RS_OPT_FLAG('q', "quiet", &quiet, "do not say where the page was written"),
        {.kind = RS_OPT_KIND_UNKNOWN, .fn = take_dir, .value = &dir},
        RS_OPT_END,
    };
    int st = rs_opt_parse(CMD, usage, opts, argc, argv);
    if (st != RS_OPT_CONTINUE) return st;
    st = report(dir, quiet);
    if (fflush(stdout) != 0 && !st) st = RS_EXIT_RUNTIME;
    return st;
}
