/* cmd_backtest.c: `replysim backtest`, a scenario's predictions against a
 * team's own log: the log's arrivals replayed under the scenario, each
 * interval's observation against the band one replication falls in. */
#include "cmd.h"

#include "cli.h"
#include "progress.h"
#include "replysim/backtest.h"
#include "replysim/error.h"
#include "replysim/logread.h"
#include "replysim/scenario.h"
#include "tool.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Replications when neither -r nor the scenario asks for more: the bands
 * come from their sd, which a handful of replications gives too roughly. */

static const char usage[] =
    "usage: replysim backtest LOG SCENARIO [--format F] [--map FIELD=COLUMN]... [-r N] [-s SEED]\n"
    "                         [-j T] [-o DIR] [--set K=V]...\n"
    "\n"
    "Replays the log's arrivals (times, channels, types, handle times where it has\n"
    "them) under the scenario's staffing and policy, and sets what the log shows,\n"
    "per interval of arrival and whole, against the 95% prediction band of one\n"
    "replication.  Writes, into DIR (default results/NAME-backtest/): backtest.csv,\n"
    "coverage.csv, and the replay as scenario.ini with its trace_*.csv.\n"
    "\n"
    "  --format F             events, messages or twcs (default: from the header)\n"
    "  --map FIELD=COLUMN     read FIELD (arrive, channel, type, take, reply,\n"
    "                         abandon, handle, agent, conversation, thread) from\n"
    "                         COLUMN (repeatable; thread: a customer's follow-ups\n"
    "                         share it and are answered by the thread's reply)\n"
    "  --brand NAME           twcs: keep this brand's threads\n"
    "  --skip-bad-rows        count and skip rows that cannot be read\n"
    "  --draw-handles         draw handle times from the scenario, not the log's\n"
    "                         (tests the scenario's handle-time model too)\n"
    "  -r, --replications N   replications (default: the scenario's, at least 20:\n"
    "                         a band needs the spread of many)\n"
    "  -s, --seed N           base seed, 0..2^64-1 (default: the scenario's, 1)\n"
    "  -o, --output DIR       output folder\n"
    "  -j, --threads N        replications run in parallel (output is identical)\n"
    "  --set SECTION.KEY=V    override a scenario key (repeatable)\n"
    "  -q, --quiet            no progress line\n"
    "  -h, --help             this text\n";

struct args {
    struct rs_cli o;
    const char *paths[2];
    int n_paths;
    const char *format;
    const char *maps[RS_LOG_MAX_MAP];
    int n_maps;
    char *fields[RS_LOG_MAX_MAP]; /* the FIELDs of --map, trimmed copies */
    struct rs_log_opts lo;
    int draw_handles;
};

/* --format and --map into a->lo: RS_OPT_CONTINUE or the exit status. */
static int log_options(struct args *a)
{
    if (a->format && rs_log_format_parse(a->format, &a->lo.format))
        return rs_tool_say(a->o.cmd, "--format: expected events, messages or twcs, got \"%s\"",
                           a->format);
    for (int i = 0; i < a->n_maps; i++) {
        const char *eq = strchr(a->maps[i], '=');
        if (!eq || eq == a->maps[i] || !eq[1])
            return rs_tool_say(a->o.cmd, "--map: expected FIELD=COLUMN, got \"%s\"", a->maps[i]);
        a->fields[i] = rs_cli_dup_trim(a->maps[i], (size_t)(eq - a->maps[i]));
        a->lo.map_field[i] = a->fields[i];
        a->lo.map_column[i] = eq + 1;
        a->lo.n_map = i + 1;
    }
    return RS_OPT_CONTINUE;
}

static int read_options(int argc, char **argv, struct args *a)
{
    struct rs_cli *o = &a->o;
    const struct rs_opt opts[] = {
        {RS_OPT_OPERANDS_F(a->paths, &a->n_paths, 2, "LOG SCENARIO", "the log and the scenario"),
         .flags = RS_OPT_REQUIRED, .refuse = "expected LOG SCENARIO, nothing after them"},
        RS_OPT_STRING(0, "format", &a->format, "F", "events, messages or twcs"),
        {RS_OPT_LIST_F(0, "map", a->maps, &a->n_maps, RS_LOG_MAX_MAP, "FIELD=COLUMN",
                       "read FIELD from COLUMN (repeatable)"),
         .expect = "expected FIELD=COLUMN after it"},
        RS_OPT_STRING(0, "brand", &a->lo.brand, "NAME", "twcs: this brand's threads"),
        RS_OPT_FLAG(0, "skip-bad-rows", &a->lo.skip_bad_rows, "count and skip bad rows"),
        RS_OPT_FLAG(0, "draw-handles", &a->draw_handles, "handle times from the scenario"),
        RS_CLI_OPT_SET(o),
        RS_CLI_OPT_QUIET(o),
        RS_CLI_OPT_REPS(o),
        RS_CLI_OPT_SEED(o),
        RS_CLI_OPT_OUTPUT(o),
        RS_CLI_OPT_THREADS(o),
        RS_OPT_END,
    };
    int st = rs_opt_parse(o->cmd, usage, opts, argc, argv);
    if (st != RS_OPT_CONTINUE) return st;
    if (a->n_paths != 2)
        return rs_tool_say(o->cmd, "expected a log and a scenario: backtest LOG SCENARIO");
    o->path = a->paths[1];
    return log_options(a);
}

/* 1 when every band of every metric but the arrivals is a point: nothing
 * in the replay was random (handle times from the log, no patience that
 * acts), so every replication is the log again. */
static int all_points(const struct rs_backtest *bt)
{
    for (int m = 1; m < rs_backtest_n_metrics(bt); m++)
        for (long i = 0; i < rs_backtest_n_intervals(bt); i++) {
            struct rs_backtest_row r;
            rs_backtest_row(bt, i, m, &r);
            if (r.hi > r.lo) return 0;
        }
    return 1;
}

/* Whether the scenario explains the log: every metric's coverage at least
 * 95% less three of its binomial standard errors (rs_backtest_metric_ok).
 * Names those below. */
static void verdict(const struct rs_backtest *bt)
{
    int low = 0;
    for (int m = 1; m < rs_backtest_n_metrics(bt); m++) {
        if (rs_backtest_metric_ok(bt, m)) continue;
        long n, k;
        rs_backtest_coverage(bt, m, &n, &k);
        double cov = (double)k / (double)n;
        printf("%s %s %.1f%%",
               low++ ? ","
                     : "replysim: NOT explained: covered far below 95% (less "
                       "than 95% - 3 se):",
               rs_backtest_metric_name(bt, m), 100 * cov);
    }
    if (low)
        printf("\n          the scenario misses something the log shows (volume and its profile, "
               "handle times,\n          patience, staffing, working hours): see backtest.csv "
               "interval by interval\n");
    else
        printf("replysim: every metric's coverage is 95%% or within 3 standard errors of it: the "
               "scenario explains the log\n");
}

/* What the run found, in a few lines: the coverage per metric. */
static void print_coverage(const struct rs_backtest *bt, long skipped, const char *log,
                           const char *outdir)
{
    const struct rs_scenario *rp = rs_backtest_scenario(bt);
    printf("replysim: %s replayed under %s, %d replications, %ld intervals\n", log, rp->name,
           rp->replications, rs_backtest_n_intervals(bt));
    if (skipped > 0) printf("replysim: %ld rows of the log could not be read: skipped\n", skipped);
    printf("%-16s %9s %10s   (share of intervals whose observation is in its 95%% band)\n",
           "metric", "intervals", "coverage");
    for (int m = 0; m < rs_backtest_n_metrics(bt); m++) {
        long n, k;
        rs_backtest_coverage(bt, m, &n, &k);
        if (n > 0)
            printf("%-16s %9ld %9.1f%%\n", rs_backtest_metric_name(bt, m), n,
                   100.0 * (double)k / (double)n);
        else
            printf("%-16s %9ld %10s\n", rs_backtest_metric_name(bt, m), n, "-");
    }
    long fewest = -1;
    for (int m = 1; m < rs_backtest_n_metrics(bt); m++) {
        long n, k;
        rs_backtest_coverage(bt, m, &n, &k);
        if (fewest < 0 || n < fewest) fewest = n;
    }
    if (fewest >= 0 && fewest < 20)
        printf("replysim: only %ld intervals to compare for some metric: its coverage says "
               "little\n",
               fewest);
    else if (all_points(bt))
        printf("replysim: every replication reproduced the log exactly: nothing in the replay "
               "is random\n          (the log's handle times, no patience that acts); "
               "--draw-handles tests the\n          scenario's handle times too\n");
    else
        verdict(bt);
    printf("replysim: every row in %s/backtest.csv\n", outdir);
}

static int run(struct args *a, const struct rs_scenario *sc, const char *outdir)
{
    struct rs_backtest_file f = {.path = a->paths[0], .opts = &a->lo};
    struct rs_log_source src;
    struct rs_error err = {0};
    struct rs_tool_progress shown = {0};
    const struct rs_backtest_opts bo = {
        .replications = sc->replications,
        .seed = sc->seed,
        .threads = (int)a->o.threads,
        .draw_handles = a->draw_handles,
        .replications_from = a->o.replications > 0 ? "-r" : NULL,
        .threads_from = a->o.threads > 1 ? "-j" : NULL,
        .progress = rs_tool_progress_fn(a->o.quiet),
        .progress_ctx = &shown,
    };
    struct rs_backtest *bt = NULL;
    int rc = rs_backtest_file_source(&f, &src, &err);
    if (!rc) rc = rs_backtest_run(sc, &src, &bo, &bt, &err);
    long skipped = f.lg ? rs_log_skipped(f.lg) : 0;
    rs_backtest_file_close(&f);
    if (rc) return rs_tool_error(NULL, &err, rc == RS_EIO ? RS_EINPUT : rc); /* a log unread */
    rc = rs_backtest_write(outdir, bt, &err);
    if (!rc) print_coverage(bt, skipped, a->paths[0], outdir);
    rs_backtest_destroy(bt);
    return rc ? rs_tool_error(NULL, &err, rc) : RS_EXIT_OK;
}

int rs_cmd_backtest(int argc, char **argv)
{
    struct args a = {0};
    rs_cli_init(&a.o, "backtest");
    int st = read_options(argc, argv, &a);
    struct rs_scenario *sc = NULL;
    if (st == RS_OPT_CONTINUE) st = rs_cli_load(&a.o, &sc) ? RS_EXIT_USAGE : RS_OPT_CONTINUE;
    if (st == RS_OPT_CONTINUE && a.o.replications < 0 && sc->replications < RS_BACKTEST_MIN_REPS)
        sc->replications = RS_BACKTEST_MIN_REPS;
    char dirbuf[512];
    const char *outdir = NULL;
    if (st == RS_OPT_CONTINUE) {
        if (a.o.outdir) {
            outdir = a.o.outdir;
        } else {
            snprintf(dirbuf, sizeof dirbuf, "results/%s-backtest", sc->name);
            outdir = dirbuf;
        }
        st = rs_cli_prepare_outdir(outdir);
        if (st == RS_EXIT_OK) st = run(&a, sc, outdir);
    }
    rs_scenario_destroy(sc);
    for (int i = 0; i < a.n_maps; i++)
        free(a.fields[i]);
    return st;
}
