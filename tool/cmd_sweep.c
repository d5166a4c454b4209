/* cmd_sweep.c: `replysim sweep`, a grid of scenario settings (docs/scenario-reference.md
 * sections 7 and 9).
 *
 * Each --vary KEY=V1,V2,... (or KEY=FROM:TO:STEP) is one axis; the grid is
 * every combination, in the order the axes were given with the last varying
 * fastest.  A point is the scenario as loaded (file plus --set) with one
 * value of each axis set on top, run on the base's seed and replications, so
 * every point sees the same customers (common random numbers) and
 * neighbouring points are comparable.  Every point's scenario is loaded
 * before anything runs: bad input costs nothing and writes nothing.
 *
 * The grid runs in the library (replysim/sweep.h); this file reads the
 * options and says what went wrong.  Writes sweep.csv and the base's
 * scenario.ini. */
#include "cmd.h"

#include "cli.h"
#include "replysim/budget.h"
#include "replysim/error.h"
#include "progress.h"
#include "tool.h"
#include "replysim/scenario.h"
#include "replysim/sweep.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: replysim sweep SCENARIO --vary K=V1,V2,... | --vary K=FROM:TO:STEP [--vary ...]\n"
    "                      [-r REPS] [-s SEED] [-o DIR] [-j THREADS] [--set K=V]... [-q]\n"
    "\n"
    "Runs the scenario at every point of a grid of settings and writes, into\n"
    "DIR (default results/NAME/): sweep.csv (one row per point, metric and\n"
    "scope, with a column per swept key and 95% confidence intervals) and\n"
    "scenario.ini (the base scenario, the sweep described in its comments).\n"
    "Every point runs the same seeds (common random numbers).  Draw it with\n"
    "replysim plot DIR.\n"
    "\n"
    "  --vary KEY=V1,V2,...   the values of one key, K as in --set, e.g.\n"
    "                           --vary policy.order=fifo,lifo,deadline\n"
    "  --vary KEY=FROM:TO:STEP\n"
    "                         numbers from FROM to TO (inclusive when a whole\n"
    "                         number of STEPs away), with an optional unit\n"
    "                         common to all three, e.g.\n"
    "                           --vary staff.agents=3:8:1\n"
    "                           --vary channel.twitter.rate=20/h:60/h:10/h\n"
    "                         several --vary make a grid, the last varying\n"
    "                         fastest; at most 10000 points; values cannot\n"
    "                         hold commas\n"
    "  -r, --replications N   replications per point (default: the scenario's)\n"
    "  -s, --seed N           base seed of every point (default: the scenario's)\n"
    "  -o, --output DIR       output folder\n"
    "  -j, --threads N        points run in parallel (output is identical)\n"
    "  --set SECTION.KEY=V    override a key at every point (repeatable)\n"
    "  -q, --quiet            no progress line\n"
    "  -h, --help             this text\n";

static int same_key(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen) return 0;
    for (size_t i = 0; i < alen; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return 0;
    return 1;
}

/* Adds one --vary argument (an option callback; ctx is the sweep): 0, or
 * RS_EXIT_USAGE after printing the one-line error.  Keys given twice are
 * found later (against --set too). */
static int add_axis(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *arg)
{
    struct rs_sweep *sw = opt->value;
    const char *eq = strchr(arg, '=');
    char *key = eq ? rs_cli_dup_trim(arg, (size_t)(eq - arg)) : NULL;
    char why[256];
    int st = 0;
    if (!key || !key[0] || !strchr(key, '.') || strpbrk(key, " \t,:"))
        st = rs_tool_say(c->cmd,
                         "--vary %s: expected SECTION.KEY=V1,V2,... or SECTION.KEY=FROM:TO:STEP, "
                         "such as staff.agents=3:8:1",
                         arg);
    else if (!strcmp(key, "scenario.seed") || !strcmp(key, "scenario.replications"))
        st = rs_tool_say(c->cmd,
                         "--vary %s: expected a key other than the seed or replications, which "
                         "every point shares (use -s or -r)",
                         key);
    else if (sw->n_axes == RS_SWEEP_MAX_AXES)
        st = rs_tool_say(c->cmd, "--vary %s: expected at most %d keys", key, RS_SWEEP_MAX_AXES);
    else if (rs_sweep_add_axis(sw, key, eq + 1, why, sizeof why))
        st = rs_tool_say(c->cmd, "--vary %s=%s: %s", key, eq + 1, why);
    free(key);
    return st;
}

/* Each key once, and not also in --set (one of the two would be ignored);
 * the grid's size into sw->n_points.  Prints why and returns -1 when not. */
static int check_grid(struct rs_sweep *sw, const struct rs_cli *o)
{
    for (int k = 0; k < sw->n_axes; k++) {
        const char *key = sw->axes[k].key;
        size_t kl = strlen(key);
        for (int j = 0; j < k; j++)
            if (same_key(sw->axes[j].key, strlen(sw->axes[j].key), key, kl)) {
                rs_tool_say(o->cmd, "--vary %s: expected each key once", key);
                return -1;
            }
        for (int j = 0; j < o->n_sets; j++)
            if (same_key(o->sets[j], rs_cli_set_key_len(o->sets[j]), key, kl)) {
                rs_tool_say(o->cmd, "--vary %s: expected a key not also given with --set", key);
                return -1;
            }
    }
    double grid = 1;
    for (int k = 0; k < sw->n_axes; k++)
        grid *= sw->axes[k].n;
    if (grid > RS_SWEEP_MAX_POINTS) {
        rs_tool_say(o->cmd, "--vary: expected a grid of at most %d points, got %.0f",
                    RS_SWEEP_MAX_POINTS, grid);
        return -1;
    }
    sw->n_points = (long)grid;
    return 0;
}

/* Reads the command line into o and sw's axes: RS_OPT_CONTINUE, or the
 * exit status to return at once (after -h, or after saying why). */
static int read_options(int argc, char **argv, struct rs_cli *o, struct rs_sweep *sw)
{
    const struct rs_opt opts[] = {
        {RS_OPT_CALLBACK_F(0, "vary", sw, add_axis, "K=V1,V2,...", "the values of one key"),
         .expect = "expected K=V1,V2,... or K=FROM:TO:STEP after it"},
        RS_CLI_OPTS_RUN(o),
        RS_OPT_END,
    };
    int st = rs_opt_parse(o->cmd, usage, opts, argc, argv);
    if (st != RS_OPT_CONTINUE) return st;
    if (sw->n_axes == 0)
        return rs_tool_say(o->cmd,
                           "--vary: expected at least one, such as --vary staff.agents=3:8:1");
    return check_grid(sw, o) ? RS_EXIT_USAGE : RS_OPT_CONTINUE;
}

/* Loads the base and every point before anything runs: bad input costs
 * nothing.  RS_EXIT_OK or RS_EXIT_USAGE after saying why. */
static int load_all(const struct rs_cli *o, struct rs_sweep *sw, struct rs_scenario **base)
{
    int st = rs_cli_load(o, base);
    if (st) return st;
    sw->path = o->path;
    sw->sets = o->sets;
    sw->n_sets = o->n_sets;
    sw->replications = (*base)->replications;
    sw->seed = (*base)->seed;
    for (long p = 0; p < sw->n_points; p++) {
        struct rs_scenario *sc = NULL;
        struct rs_error err = {0};
        int rc = rs_sweep_load_point(sw, p, &sc, &err);
        if (rc) {
            rs_scenario_destroy(sc);
            rs_tool_error(NULL, &err, rc);
            return RS_EXIT_USAGE;
        }
        /* points run -j at once; each one's results go once written */
        const struct rs_budget_req req = {
            .threads = (int)o->threads, .runs = sw->n_points, .runs_from = "--vary"};
        int st2 = rs_cli_budget(o, sc, &req);
        rs_scenario_destroy(sc);
        if (st2) return st2;
    }
    return RS_EXIT_OK;
}

int rs_cmd_sweep(int argc, char **argv)
{
    struct rs_cli o;
    rs_cli_init(&o, "sweep");
    struct rs_sweep sw = {0};
    struct rs_scenario *base = NULL;
    struct rs_tool_progress shown = {0};
    FILE *rows = NULL;
    int st = read_options(argc, argv, &o, &sw);
    if (st != RS_OPT_CONTINUE) goto done;
    st = load_all(&o, &sw, &base);
    if (st) goto done;

    char dirbuf[512];
    const char *outdir = rs_cli_outdir(&o, base, dirbuf, sizeof dirbuf);
    st = rs_cli_prepare_outdir(outdir);
    if (st) goto done;
    sw.progress = rs_tool_progress_fn(o.quiet);
    sw.progress_ctx = &shown;
    rows = tmpfile();
    if (!rows) {
        rs_tool_say(o.cmd, "cannot create a temporary file: %s", strerror(errno));
        st = RS_EXIT_RUNTIME;
        goto done;
    }
    struct rs_error err = {0};
    int rc = rs_sweep_run(&sw, (int)o.threads, rows, &err);
    if (rc) {
        st = rs_tool_error(o.cmd, &err, rc);
        goto done;
    }
    rc = rs_sweep_write(outdir, &sw, base, rows, &err);
    if (rc) {
        st = rs_tool_error(NULL, &err, rc);
        goto done;
    }
    if (!o.quiet && isatty(STDOUT_FILENO))
        printf("replysim: %ld points in %s/sweep.csv\n", sw.n_points, outdir);

done:
    if (rows) fclose(rows);
    rs_scenario_destroy(base);
    rs_sweep_free(&sw);
    return st;
}
