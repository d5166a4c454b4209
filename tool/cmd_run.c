/* cmd_run.c: `replysim run`, the main job: replications of one scenario
 * into summary.csv, replications.csv, latency.csv, intervals.csv,
 * scenario.ini and, with --trace, messages.csv. */
#include "cmd.h"

#include "cli.h"
#include "progress.h"
#include "replysim/budget.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "tool.h"

#include <stdio.h>
#include <unistd.h>

static const char usage[] =
    "usage: replysim run SCENARIO [-r REPS] [-s SEED] [-o DIR] [-j THREADS] [--trace] [--set "
    "K=V]...\n"
    "\n"
    "Runs the scenario's replications and writes, into DIR (default\n"
    "results/NAME/): summary.csv, replications.csv, intervals.csv, latency.csv,\n"
    "scenario.ini.\n"
    "\n"
    "  -r, --replications N   replications (default: the scenario's, 10)\n"
    "  -s, --seed N           base seed, 0..2^64-1 (default: the scenario's, 1)\n"
    "  -o, --output DIR       output folder\n"
    "  -j, --threads N        replications run in parallel (output is identical)\n"
    "  --set SECTION.KEY=V    override a scenario key, e.g. channel.twitter.rate=50/h\n"
    "                         (repeatable; applied after the file and its includes)\n"
    "  --trace                also write messages.csv: every message and its fate\n"
    "  -q, --quiet            no progress line\n"
    "  -h, --help             this text\n";

int rs_cmd_run(int argc, char **argv)
{
    struct rs_cli o;
    rs_cli_init(&o, "run");
    int trace = 0;
    const struct rs_opt opts[] = {
        RS_OPT_FLAG(0, "trace", &trace, "also write messages.csv: every message and its fate"),
        RS_CLI_OPTS_RUN(&o),
        RS_OPT_END,
    };
    int st = rs_opt_parse(o.cmd, usage, opts, argc, argv);
    if (st != RS_OPT_CONTINUE) return st;

    struct rs_scenario *sc = NULL;
    if (rs_cli_load(&o, &sc)) return RS_EXIT_USAGE;
    const struct rs_budget_req req = {.trace = trace};
    if (rs_cli_budget(&o, sc, &req)) {
        rs_scenario_destroy(sc);
        return RS_EXIT_USAGE;
    }

    char dirbuf[512];
    const char *outdir = rs_cli_outdir(&o, sc, dirbuf, sizeof dirbuf);
    st = rs_cli_prepare_outdir(outdir);
    if (st) {
        rs_scenario_destroy(sc);
        return st;
    }
    struct rs_tool_progress shown = {0};
    struct rs_run_opts opts_run = {.replications = sc->replications,
                                   .seed = sc->seed,
                                   .threads = (int)o.threads,
                                   .progress = rs_tool_progress_fn(o.quiet),
                                   .progress_ctx = &shown,
                                   .trace = trace};
    struct rs_error err = {0};
    struct rs_results *res = NULL;
    int rc = rs_experiment_run(sc, &opts_run, &res, &err);
    if (rc) {
        st = rs_tool_error(o.cmd, &err, rc);
        rs_scenario_destroy(sc);
        return st;
    }
    rc = rs_report_run(outdir, res, sc, &err);
    rs_results_destroy(res);
    rs_scenario_destroy(sc);
    if (rc) return rs_tool_error(NULL, &err, RS_EIO); /* names its file first */
    if (!o.quiet && isatty(STDOUT_FILENO)) printf("replysim: results in %s/\n", outdir);
    return RS_EXIT_OK;
}
