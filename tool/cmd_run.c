/* cmd_run.c: `replysim run`, the main job: replications of one scenario
 * into summary.csv, replications.csv, latency.csv, intervals.csv,
 * scenario.ini and, with --trace, messages.csv; and the headline answer on
 * stdout, so the first thing a user sees is the answer. */
#include "cmd.h"

#include "cli.h"
#include "human.h"
#include "progress.h"
#include "replysim/budget.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "replysim/units.h"
#include "tool.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: replysim run SCENARIO [-r REPS] [-s SEED] [-o DIR] [-j THREADS] [--trace] [--set "
    "K=V]...\n"
    "\n"
    "Runs the scenario's replications and writes, into DIR (default\n"
    "results/NAME/): summary.csv, replications.csv, intervals.csv, latency.csv,\n"
    "scenario.ini; prints the headline (response rate, first-response times,\n"
    "service levels, occupancy, backlog, outcome totals: mean and 95% CI) on stdout.\n"
    "\n"
    "  -r, --replications N   replications (default: the scenario's, 10)\n"
    "  -s, --seed N           base seed, 0..2^64-1 (default: the scenario's, 1)\n"
    "  -o, --output DIR       output folder\n"
    "  -j, --threads N        replications run in parallel (output is identical)\n"
    "  --set SECTION.KEY=V    override a scenario key, e.g. channel.twitter.rate=50/h\n"
    "                         (repeatable; applied after the file and its includes)\n"
    "  --trace                also write messages.csv: every message and its fate\n"
    "  -q, --quiet            no progress line and no headline\n"
    "  -h, --help             this text\n";

/* One row of the headline: label, metric (scope all), mean [95% CI]; the
 * interval within what the value can be (rs_human_interval).  0 when the
 * row is left out: skip_zero and the metric is 0 in every replication. */
static int headline_row(const struct rs_results *res, const char *label, const char *metric,
                        int skip_zero)
{
    struct rs_summary s;
    if (rs_results_get(res, metric, "all", &s) || s.n == 0) return 0;
    if (skip_zero && s.mean == 0 && !(s.sd > 0)) return 0;
    enum rs_human_kind kind = rs_human_kind_of(metric);
    char mean[64], name[128];
    rs_human_format(mean, sizeof mean, kind, s.mean, 0);
    snprintf(name, sizeof name, "%s (%s)", label, metric);
    printf("  %-58s %10s", name, mean);
    if (!isnan(s.ci_low)) {
        char ci[160];
        rs_human_interval(ci, sizeof ci, kind, s.mean, s.ci_low, s.ci_high, 0);
        printf("  %s", ci);
    }
    putchar('\n');
    return 1;
}

static const char *const outcome_rows[][2] = {
    {"authors who would recommend the brand", "recommenders"},
    {"extra spend, in the unit of value", "spend_uplift"},
    {"customers lost (complaints only)", "defectors"},
    {"negative posts", "negative_posts"},
    {"readers of negative posts", "negative_reach"},
    {"positive shares", "positive_shares"},
    {"onlookers' purchases lost", "onlooker_loss"},
};

/* Rows of the headline a scenario has only with conversations
 * (reply_back), amplification or surge; like the business-hours rows
 * (with [policy] hours), each is shown when the results have it. */
static const char *const optional_rows[][2] = {
    {"conversations", "conversations"},
    {"agent replies per conversation", "turns_mean"},
    {"conversations resolved", "resolved_rate"},
    {"conversations moved to private", "moved_rate"},
    {"time to resolve, median", "resolution_p50_s"},
    {"time to resolve, 90% within", "resolution_p90_s"},
    {"next reply, 90% within", "nrt_p90_s"},
    {"messages caused by amplification", "amplified"},
    {"surge agents' hours on", "surge_agent_hours"},
};

/* The service-level rows of each threshold: elapsed, in business hours,
 * and for later messages of a conversation. */
static void service_levels(const struct rs_results *res, const struct rs_scenario *sc)
{
    for (int i = 0; i < RS_HUMAN_SL_KINDS; i++)
        for (int k = 0; k < sc->n_within; k++) {
            char label[96], metric[64];
            rs_human_service_level(i, sc->within_s[k], metric, sizeof metric, label, sizeof label);
            headline_row(res, label, metric, 0);
        }
}

/* The headline: what a support manager asks first, with 95% CIs. */
static void print_headline(const struct rs_results *res, const struct rs_scenario *sc,
                           const char *outdir)
{
    char from[64], to[64], span[64];
    rs_units_human_duration(sc->warmup_s, from, sizeof from);
    rs_units_human_duration(sc->horizon_s, to, sizeof to);
    rs_units_human_duration(sc->horizon_s - sc->warmup_s, span, sizeof span);
    printf("%s: %d replications from seed %llu; messages arriving from %s to %s are\n"
           "counted (%s); mean and [95%% confidence interval] over replications\n\n",
           sc->name, rs_results_replications(res), (unsigned long long)rs_results_seed(res),
           sc->warmup_s > 0 ? from : "the start", to, span);
    rs_human_expected(stdout, sc, "");
    putchar('\n');
    headline_row(res, "answered at all", "response_rate", 0);
    headline_row(res, "first reply, median", "frt_p50_s", 0);
    headline_row(res, "first reply, 90% within", "frt_p90_s", 0);
    headline_row(res, "first reply in business hours, median", "frt_bh_p50_s", 0);
    headline_row(res, "first reply in business hours, 90% within", "frt_bh_p90_s", 0);
    service_levels(res, sc);
    headline_row(res, "agents' time busy", "occupancy", 0);
    headline_row(res, "messages still open at the end", "backlog_end", 0);
    for (size_t i = 0; i < sizeof optional_rows / sizeof *optional_rows; i++)
        headline_row(res, optional_rows[i][0], optional_rows[i][1], 0);
    printf("\noutcomes, expected totals over the %s counted (outcome model: "
           "docs/outcomes.md)\n",
           span);
    const char *zero[sizeof outcome_rows / sizeof *outcome_rows];
    size_t n_zero = 0;
    for (size_t i = 0; i < sizeof outcome_rows / sizeof *outcome_rows; i++)
        if (!headline_row(res, outcome_rows[i][0], outcome_rows[i][1], 1))
            zero[n_zero++] = outcome_rows[i][1];
    for (size_t i = 0; i < n_zero; i++)
        printf("%s%s", i ? ", " : "  0 in every replication: ", zero[i]);
    if (n_zero) printf(" (types without value or followers)\n");
    printf("\nreplysim: every metric and scope in %s/summary.csv\n", outdir);
}

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
    if (!rc && !o.quiet) print_headline(res, sc, outdir);
    rs_results_destroy(res);
    rs_scenario_destroy(sc);
    if (rc) return rs_tool_error(NULL, &err, RS_EIO); /* names its file first */
    return fflush(stdout) == 0 ? RS_EXIT_OK : RS_EXIT_RUNTIME;
}
