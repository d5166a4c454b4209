/* main.c: the replysim program; one file per command (sim/cmd_*.c). */
#include "cmd.h"
#include "replysim/error.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: replysim COMMAND [OPTIONS]\n"
    "\n"
    "Simulates how a brand answers customers on social media.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO      run replications, write CSV results\n"
    "  validate SCENARIO print the resolved scenario, or the first error\n"
    "  compare SCENARIO --variant NAME:K=V...\n"
    "                    paired comparison of variants on the same customers\n"
    "  check SCENARIO... --baseline FILE [--update]\n"
    "                    run scenarios again; exit 1 when an outcome moved from\n"
    "                    the committed baseline (for CI)\n"
    "  sweep SCENARIO --vary K=V1,V2,...\n"
    "                    run a grid of settings, one row per point with CIs\n"
    "  staff SCENARIO --target 'sl(1h)>=0.9'\n"
    "                    fewest agents per interval that meet a target, by\n"
    "                    simulation, with agent-hours and cost\n"
    "  erlang ...        analytic Erlang B, C and A figures for sizing\n"
    "  plot DIR          draw PNG and SVG pictures of a results folder\n"
    "\n"
    "  replysim COMMAND --help   options of one command\n"
    "  replysim --version        version\n"
    "\n"
    "exit status: 0 success, 1 regression found, 2 bad usage or input, 3 run-time failure\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return RS_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return RS_EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("replysim %s\n", RS_VERSION);
        return RS_EXIT_OK;
    }
    if (!strcmp(cmd, "run")) return rs_cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate")) return rs_cmd_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "erlang")) return rs_cmd_erlang(argc - 1, argv + 1);
    if (!strcmp(cmd, "compare")) return rs_cmd_compare(argc - 1, argv + 1);
    if (!strcmp(cmd, "check")) return rs_cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep")) return rs_cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(cmd, "staff")) return rs_cmd_staff(argc - 1, argv + 1);
    if (!strcmp(cmd, "plot")) return rs_cmd_plot(argc - 1, argv + 1);
    fprintf(stderr, "replysim: %s: unknown command (see replysim --help)\n", cmd);
    return RS_EXIT_USAGE;
}
