/* main.c: the replysim program: the command table, from which the help
 * text is made; one file per command (tool/cmd_*.c). */
#include "cmd.h"
#include "replysim/alloc.h"
#include "replysim/buf.h"
#include "replysim/error.h"
#include "tool.h"

#include <stdio.h>
#include <string.h>

/* The commands, in the order of the help text: name, function, synopsis
 * and summary (lines after the first start with '\n'). */
static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *synopsis;
    const char *summary;
} commands[] = {
    {"run", rs_cmd_run, "run SCENARIO", "run replications, write CSV results"},
    {"validate", rs_cmd_validate, "validate SCENARIO",
     "print the resolved scenario, or the first error"},
    {"compare", rs_cmd_compare, "compare SCENARIO --variant NAME:K=V...",
     "paired comparison of variants on the same customers"},
    {"check", rs_cmd_check, "check SCENARIO... --baseline FILE [--update]",
     "run scenarios again; exit 1 when an outcome moved from\n"
     "the committed baseline (for CI)"},
    {"sweep", rs_cmd_sweep, "sweep SCENARIO --vary K=V1,V2,...",
     "run a grid of settings, one row per point with CIs"},
    {"staff", rs_cmd_staff, "staff SCENARIO --target 'sl(1h)>=0.9'",
     "fewest agents per interval that meet a target, by\n"
     "simulation, with agent-hours and cost"},
    {"fit", rs_cmd_fit, "fit LOG", "estimate a scenario from a message log (README \"Logs\")"},
    {"backtest", rs_cmd_backtest, "backtest LOG SCENARIO",
     "replay a team's log under the scenario: observed against\n"
     "predicted bands, per interval"},
    {"erlang", rs_cmd_erlang, "erlang ...", "analytic Erlang B, C and A figures for sizing"},
    {"plot", rs_cmd_plot, "plot DIR", "draw PNG and SVG pictures of a results folder"},
    {"report", rs_cmd_report, "report DIR", "one self-contained report.html of a results folder"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])
#define SYNOPSIS_WIDTH 18 /* a longer synopsis has its summary on the next lines */

static const char usage_head[] = "usage: replysim COMMAND [OPTIONS]\n"
                                 "\n"
                                 "Simulates how a brand answers customers on social media.\n"
                                 "\n"
                                 "commands:\n";
static const char usage_tail[] =
    "\n"
    "  replysim COMMAND --help   options of one command\n"
    "  replysim --version        version\n"
    "\n"
    "exit status: 0 success, 1 regression found, 2 bad usage or input, 3 run-time failure\n";

/* The program's help text, from the command table, on out. */
static void usage(FILE *out)
{
    struct rs_buf b = RS_BUF_INIT;
    rs_buf_puts(&b, usage_head);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const struct command *c = &commands[i];
        if (strlen(c->synopsis) < SYNOPSIS_WIDTH)
            rs_buf_printf(&b, "  %-*s", SYNOPSIS_WIDTH, c->synopsis);
        else
            rs_buf_printf(&b, "  %s\n%*s", c->synopsis, SYNOPSIS_WIDTH + 2, "");
        for (const char *p = c->summary; *p; p++) {
            rs_buf_putc(&b, *p);
            if (*p == '\n') rs_buf_printf(&b, "%*s", SYNOPSIS_WIDTH + 2, "");
        }
        rs_buf_putc(&b, '\n');
    }
    rs_buf_puts(&b, usage_tail);
    fputs(rs_buf_str(&b), out);
    rs_buf_free(&b);
}

static const struct command *find(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(commands[i].name, name)) return &commands[i];
    return NULL;
}

static int unknown(const char *name)
{
    return rs_tool_say(NULL, "%s: unknown command (see replysim --help)", name);
}

int main(int argc, char **argv)
{
    rs_alloc_set_oom(rs_tool_oom);
    if (argc < 2) {
        usage(stderr);
        return RS_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    const struct command *c = argc > 2 && !strcmp(cmd, "help") ? find(argv[2]) : NULL;
    if (c) { /* help CMD: CMD --help */
        char help[] = "--help";
        char *help_argv[] = {argv[2], help, NULL};
        return c->fn(2, help_argv);
    }
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return RS_EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("replysim %s\n", RS_VERSION);
        return RS_EXIT_OK;
    }
    c = find(cmd);
    return c ? c->fn(argc - 1, argv + 1) : unknown(cmd);
}
