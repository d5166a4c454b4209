/* cmd_check.c: `replysim check`, regression of policy outcomes for CI
 * (docs/scenario-reference.md sections 7 and 9).  The runs and verdicts are the library's
 * (replysim/check.h, the baseline file replysim/baseline.h); this file
 * reads the options, loads the scenarios with the baseline's seeds, and
 * prints the verdicts.  --update writes the baseline from the run instead
 * (whole: temp file and rename), keeping the rows of scenarios not run. */
#include "cmd.h"

#include "cli.h"
#include "progress.h"
#include "replysim/alloc.h"
#include "replysim/baseline.h"
#include "replysim/budget.h"
#include "replysim/check.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "replysim/units.h"
#include "tool.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CELL 64 /* one formatted cell of the stdout table */

static const char *const verdict_name[] = {"same", "within", "noise", "MOVED", "MISSING", "new"};

static const char usage[] =
    "usage: replysim check SCENARIO... --baseline FILE [--update] [--tolerance METRIC=V]...\n"
    "                      [--alpha A] [-r REPS] [-s SEED] [-j THREADS] [--set K=V]... [-v]\n"
    "\n"
    "Runs each scenario again and compares every metric and scope with the\n"
    "committed baseline FILE; exits 1 when one has moved, 0 otherwise.  Made for\n"
    "CI: a change of code that changes what a policy or a staffing level\n"
    "achieves fails the build.\n"
    "\n"
    "Each scenario runs with the seed and replications of its baseline rows, so\n"
    "an unchanged engine reproduces the baseline exactly.  A change that only\n"
    "draws random numbers differently moves results by noise; to tell that\n"
    "from a real change, a row has MOVED when both\n"
    "  - |now - baseline| exceeds the metric's tolerance (the practical size of\n"
    "    a change worth failing for), and\n"
    "  - the difference is significant: Welch's two-sample t test on the\n"
    "    baseline's mean, sd and n against the run's, p-values adjusted by\n"
    "    Holm's method over every row that differs in the whole check, adjusted\n"
    "    p < alpha (so the chance of any false alarm is at most alpha).\n"
    "With one replication on a side its sd is taken from the other side; with\n"
    "one on both, no test is possible and the tolerance alone decides.  A row\n"
    "beyond tolerance but not significant is reported as noise, not a failure.\n"
    "Also failures: a row of the baseline that the run no longer has\n"
    "(MISSING), and a metric defined in one and undefined in the other (e.g.\n"
    "no message answered any more).  Rows undefined in both are skipped; rows\n"
    "the baseline lacks (a new metric) are noted and do not fail.\n"
    "\n"
    "Default tolerances (the last --tolerance matching a metric wins):\n"
    "  shares: *_rate, sl_*, wait_within_*, occupancy   0.01 absolute\n"
    "          (one percentage point of the messages)\n"
    "  times:  *_s (seconds)                            5% relative\n"
    "          (a wait 5% longer is noticed; quantiles are exact to 0.4%)\n"
    "  counts and the rest: offered, queue_max, ...     2% relative\n"
    "          (of the baseline mean; 0 when it is 0)\n"
    "\n"
    "Baseline FILE: CSV with the header\n"
    "  " RS_BASELINE_HEADER "\n"
    "one row per scenario (its [scenario] name), metric and scope (all,\n"
    "channel:NAME, type:NAME): the mean, sd and n (replications where defined)\n"
    "of that run; empty fields are undefined.  One file may hold many scenarios.\n"
    "\n"
    "  --baseline FILE        the baseline to compare with (or to write)\n"
    "  --update               write FILE from this run instead of failing: rows\n"
    "                         of the scenarios run are replaced, others kept;\n"
    "                         prints what changed; exit 0.  Seed and replications:\n"
    "                         -s and -r, else the baseline's, else the scenario's\n"
    "  --tolerance METRIC=V   practical tolerance of METRIC (a name, or a pattern\n"
    "                         with * and ?, e.g. 'sl_*'): V absolute, or V% of the\n"
    "                         baseline mean; 0 fails on any significant change\n"
    "  --alpha A              family-wise significance level, 0 < A < 1 (0.05)\n"
    "  -r, --replications N   replications (default: the baseline's)\n"
    "  -s, --seed N           base seed (default: the baseline's); another seed\n"
    "                         gives a purely statistical comparison\n"
    "  -j, --threads N        replications run in parallel (results are identical)\n"
    "  --set SECTION.KEY=V    override a key of every scenario (repeatable)\n"
    "  -v, --verbose          list every row that differs, not only those that\n"
    "                         moved: also noise and changes within tolerance\n"
    "  -q, --quiet            no progress line\n"
    "  -h, --help             this text\n"
    "\n"
    "exit status: 0 no regression (or baseline updated), 1 regression,\n"
    "2 bad usage or input (a malformed or missing baseline, a scenario not in\n"
    "it), 3 run-time failure (the baseline cannot be written)\n";

enum { METRIC, SCOPE, BASE, NOW, DIFF, REL, TOL, TSTAT, PVAL, VERDICT, NCOL };

static void print_table(FILE *out, const struct rs_check *c, int si, int verbose)
{
    int n_rows = 1;
    for (int i = 0; i < c->n; i++)
        n_rows += c->e[i].scenario == si;
    char(*cells)[NCOL][CELL] = rs_calloc((size_t)n_rows, sizeof *cells);
    const char *head[NCOL] = {"metric", "scope", "baseline", "now",     "diff",
                              "rel",    "tol",   "t",        "p(Holm)", "verdict"};
    for (int k = 0; k < NCOL; k++)
        snprintf(cells[0][k], CELL, "%s", head[k]);
    int rows = 1;
    for (int i = 0; i < c->n; i++) {
        const struct rs_check_entry *e = &c->e[i];
        if (e->scenario != si || e->v == RS_CHECK_SAME || e->v == RS_CHECK_NEW) continue;
        if ((e->v == RS_CHECK_WITHIN || e->v == RS_CHECK_NOISE) && !verbose) continue;
        char(*row)[CELL] = cells[rows++];
        snprintf(row[METRIC], CELL, "%.*s", CELL - 1, e->metric);
        snprintf(row[SCOPE], CELL, "%.*s", CELL - 1, e->scope);
        rs_report_cell(row[BASE], CELL, RS_CELL_PLAIN, e->base_mean);
        rs_report_cell(row[NOW], CELL, RS_CELL_PLAIN, e->now_mean);
        rs_report_cell(row[DIFF], CELL, RS_CELL_SIGNED, e->w.diff);
        rs_report_cell(row[REL], CELL, RS_CELL_PERCENT,
                       e->base_mean != 0 && !isnan(e->base_mean) ? e->w.diff / fabs(e->base_mean)
                                                                 : NAN);
        snprintf(row[TOL], CELL, "%s", e->tol);
        if (isnan(e->w.t))
            snprintf(row[TSTAT], CELL, "-");
        else if (isinf(e->w.t))
            snprintf(row[TSTAT], CELL, "%s", e->w.t > 0 ? "+inf" : "-inf");
        else
            snprintf(row[TSTAT], CELL, "%+.1f", e->w.t);
        if (isnan(e->p_adj))
            snprintf(row[PVAL], CELL, "-");
        else
            snprintf(row[PVAL], CELL, e->p_adj == 0 ? "0" : "%.2g", e->p_adj);
        snprintf(row[VERDICT], CELL, "%s", verdict_name[e->v]);
        if (e->v == RS_CHECK_MISSING) snprintf(row[NOW], CELL, "(none)");
    }
    if (rows > 1) {
        int width[NCOL] = {0};
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < NCOL; k++) {
                int len = (int)strlen(cells[r][k]);
                if (len > width[k]) width[k] = len;
            }
        fputc('\n', out);
        for (int r = 0; r < rows; r++) {
            fprintf(out, "  %-*s  %-*s", width[METRIC], cells[r][METRIC], width[SCOPE],
                    cells[r][SCOPE]);
            for (int k = BASE; k < VERDICT; k++)
                fprintf(out, "  %*s", width[k], cells[r][k]);
            fprintf(out, "  %s\n", cells[r][VERDICT]);
        }
        fputc('\n', out);
    }
    free(cells);
}

/* "160 identical, 3 within tolerance, ..." for scenario si (-1: all). */
static void print_counts(FILE *out, const struct rs_check *c, int si, int count[RS_CHECK_VERDICTS])
{
    static const char *const label[] = {"identical", "within tolerance", "noise (not significant)",
                                        "MOVED",     "MISSING",          "new"};
    rs_check_counts(c, si, count);
    int sep = 0;
    for (int v = RS_CHECK_SAME; v <= RS_CHECK_NEW; v++) {
        if (!count[v] && v != RS_CHECK_SAME) continue;
        fprintf(out, "%s%d %s", sep ? ", " : "", count[v], label[v]);
        sep = 1;
    }
}

/* The new rows of scenario si, by metric: "new in this run, not checked". */
static void print_new(FILE *out, const struct rs_check *c, int si)
{
    const char *last = NULL;
    int n = 0;
    for (int i = 0; i < c->n; i++) {
        const struct rs_check_entry *e = &c->e[i];
        if (e->scenario != si || e->v != RS_CHECK_NEW) continue;
        if (last && !strcmp(last, e->metric)) continue;
        fprintf(out, "%s%s",
                n++ ? ", " : "  note: not in the baseline, so not checked: ", e->metric);
        last = e->metric;
    }
    if (n) fputs(" (--update adds them)\n", out);
}

/* ------------------------------------------------------------- command */

/* What one command line of check holds. */
struct check_args {
    struct rs_cli o;
    const char *baseline; /* --baseline */
    int update, verbose;
    struct rs_check chk;     /* tolerances and alpha; then the rows */
    int n_sc;                /* scenario operands */
    const char **paths;      /* [argc] */
    struct rs_scenario **sc; /* [n_sc], loaded */
    char (*versions)[32];    /* [n_sc], of each one's baseline rows ("": none) */
    struct rs_baseline *b;
};

static int take_tolerance(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *v)
{
    struct rs_check *chk = opt->value;
    char why[256];
    if (chk->n_tol == RS_CHECK_MAX_TOLERANCES) return rs_opt_bad(c, "expected fewer of them");
    if (rs_check_parse_tolerance(v, &chk->tol[chk->n_tol], why, sizeof why))
        return rs_opt_bad(c, why);
    chk->n_tol++;
    return 0;
}

static int take_alpha(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *v)
{
    double *alpha = opt->value;
    char why[256];
    if (rs_units_number(v, alpha, why, sizeof why)) return rs_opt_bad(c, why);
    if (!(*alpha > 0 && *alpha < 1))
        return rs_opt_bad(c, "expected a number between 0 and 1, such as 0.05");
    return 0;
}

/* Reads the command line into a: RS_OPT_CONTINUE, or the exit status to
 * return at once. */
static int read_options(int argc, char **argv, struct check_args *a)
{
    struct rs_cli *o = &a->o;
    const struct rs_opt opts[] = {
        {RS_OPT_STRING_F(0, "baseline", &a->baseline, "FILE", "the baseline"),
         .refuse = "expected a file"},
        RS_OPT_FLAG(0, "update", &a->update, "write FILE from this run"),
        RS_OPT_CALLBACK(0, "tolerance", &a->chk, take_tolerance, "METRIC=V", "a tolerance"),
        RS_OPT_CALLBACK(0, "alpha", &a->chk.alpha, take_alpha, "A", "significance level"),
        RS_OPT_FLAG('v', "verbose", &a->verbose, "list every row that differs"),
        {RS_OPT_OPERANDS_F(a->paths, &a->n_sc, argc, "SCENARIO", "the scenarios"),
         .flags = RS_OPT_REQUIRED},
        RS_CLI_OPT_SET(o),
        RS_CLI_OPT_QUIET(o),
        RS_CLI_OPT_REPS(o),
        RS_CLI_OPT_SEED(o),
        RS_CLI_OPT_THREADS(o),
        RS_OPT_END,
    };
    int st = rs_opt_parse(o->cmd, usage, opts, argc, argv);
    if (st != RS_OPT_CONTINUE) return st;
    if (!a->baseline)
        return rs_tool_say(o->cmd, "--baseline: expected the baseline file, such as --baseline "
                                   "baselines/examples.csv");
    return RS_OPT_CONTINUE;
}

/* Reads the baseline (a new one with --update when there is no file):
 * RS_OPT_CONTINUE, or the exit status after saying why. */
static int read_baseline(struct check_args *a)
{
    struct rs_error err = {0};
    struct stat sb;
    int found = stat(a->baseline, &sb) == 0, missing = !found && errno == ENOENT;
    if (a->update && missing) {
        a->b = rs_baseline_create(a->baseline);
        return RS_OPT_CONTINUE;
    }
    /* a FIFO or a device is bad input to --update too (never written through) */
    if (a->update && found && !S_ISREG(sb.st_mode))
        return rs_tool_say(a->o.cmd, "--baseline: %s: expected a regular file", a->baseline);
    int rc = rs_baseline_read(a->baseline, a->baseline, &a->b, &err);
    if (!rc) return RS_OPT_CONTINUE;
    /* a baseline that cannot be read is bad input to a check */
    if (rc == RS_EIO && !a->update)
        rs_tool_say(a->o.cmd, "--baseline: %s (make one with --update)", err.msg);
    else
        rs_tool_error(NULL, &err, rc);
    return rc == RS_EIO && a->update ? RS_EXIT_RUNTIME : RS_EXIT_USAGE;
}

/* Loads scenario i with the seed and replications of its baseline rows:
 * RS_OPT_CONTINUE, or RS_EXIT_USAGE after saying why. */
static int load_scenario(struct check_args *a, int i)
{
    struct rs_error err = {0};
    const char *path = a->paths[i];
    int rc = rs_scenario_load_with(path, a->o.sets, a->o.n_sets, &a->sc[i], &err);
    if (rc) {
        rs_tool_error(NULL, &err, rc);
        return RS_EXIT_USAGE;
    }
    const char *name = a->sc[i]->name;
    for (int k = 0; k < i; k++)
        if (!strcmp(a->sc[k]->name, name))
            return rs_tool_say(a->o.cmd,
                               "%s: expected scenarios of different names, %s is also the name "
                               "of %s",
                               path, name, a->paths[k]);
    const struct rs_baseline_row *first = rs_baseline_scenario(a->b, name);
    if (!first && !a->update)
        return rs_tool_say(a->o.cmd,
                           "%s: scenario %s is not in the baseline %s (add it with --update)", path,
                           name, a->baseline);
    if (first) {
        snprintf(a->versions[i], sizeof a->versions[i], "%s", first->version);
        a->sc[i]->seed = first->seed;
        a->sc[i]->replications = first->replications;
    }
    rs_cli_apply(&a->o, a->sc[i]);
    if (a->update && a->sc[i]->replications > RS_BASELINE_MAX_REPLICATIONS)
        return rs_tool_say(a->o.cmd,
                           "%s: replications: expected at most %d in a baseline, got %d "
                           "(a check runs them all)",
                           path, RS_BASELINE_MAX_REPLICATIONS, a->sc[i]->replications);
    return RS_OPT_CONTINUE;
}

/* Each scenario's verdicts, then the whole check's line; returns the
 * counts of the whole check in count. */
static void print_verdicts(const struct check_args *a, int count[RS_CHECK_VERDICTS])
{
    const struct rs_check *chk = &a->chk;
    const char *what = a->update ? "update" : "check";
    for (int i = 0; i < a->n_sc; i++) {
        printf("%s %s (%s): %d replications from seed %llu: ", what, a->sc[i]->name, a->paths[i],
               a->sc[i]->replications, (unsigned long long)a->sc[i]->seed);
        if (!a->versions[i][0]) { /* only with --update */
            printf("new in the baseline\n");
            continue;
        }
        print_counts(stdout, chk, i, count);
        fputc('\n', stdout);
        if (strcmp(a->versions[i], RS_VERSION))
            printf("  note: the baseline was written by replysim %s, this is %s\n", a->versions[i],
                   RS_VERSION);
        print_table(stdout, chk, i, a->verbose);
        print_new(stdout, chk, i);
    }
    int tested = 0;
    for (int k = 0; k < chk->n; k++)
        tested += !isnan(chk->e[k].p_adj);
    printf("%s: %d scenario%s, %d rows: ", what, a->n_sc, a->n_sc == 1 ? "" : "s", chk->n);
    print_counts(stdout, chk, -1, count);
    printf(" (tolerance and Holm-adjusted p < %g over %d tests)\n", chk->alpha, tested);
}

/* The end: the baseline written with --update, else the verdict; the exit
 * status. */
static int finish(const struct check_args *a, const int count[RS_CHECK_VERDICTS])
{
    int failed_scenarios = 0;
    for (int i = 0; i < a->n_sc; i++) {
        int bad = 0;
        for (int k = 0; k < a->chk.n; k++)
            if (a->chk.e[k].scenario == i &&
                (a->chk.e[k].v == RS_CHECK_MOVED || a->chk.e[k].v == RS_CHECK_MISSING))
                bad = 1;
        failed_scenarios += bad;
    }
    if (a->update) {
        struct rs_error err = {0};
        if (fflush(stdout) != 0) return RS_EXIT_RUNTIME;
        int rc = rs_baseline_save(a->baseline, a->b, &err);
        if (rc) return rs_tool_error(NULL, &err, rc);
        printf("update: wrote %s (%d rows, replysim %s)\n", a->baseline, a->b->n_rows, RS_VERSION);
        return RS_EXIT_OK;
    }
    int bad = count[RS_CHECK_MOVED] + count[RS_CHECK_MISSING];
    if (!bad) {
        printf("check: ok\n");
        return RS_EXIT_OK;
    }
    printf("check: FAILED: %d row%s moved or missing in %d of %d scenario%s; if the change "
           "is intended, run again with --update and commit %s\n",
           bad, bad == 1 ? "" : "s", failed_scenarios, a->n_sc, a->n_sc == 1 ? "" : "s",
           a->baseline);
    return RS_EXIT_REGRESSION;
}

/* Reads, runs and judges: the exit status. */
static int check(struct check_args *a)
{
    /* the baseline and every scenario are read before anything runs */
    int st = read_baseline(a);
    for (int i = 0; i < a->n_sc && st == RS_OPT_CONTINUE; i++)
        st = load_scenario(a, i);
    if (st != RS_OPT_CONTINUE) return st;
    char from[600]; /* the baseline's replications, unless -r */
    snprintf(from, sizeof from, "%s: replications", a->baseline);
    const struct rs_budget_req req = {.replications_from = a->o.replications > 0 ? "-r" : from};
    for (int i = 0; i < a->n_sc; i++)
        if (rs_cli_budget(&a->o, a->sc[i], &req)) return RS_EXIT_USAGE;
    struct rs_tool_progress shown = {0};
    struct rs_run_opts opts = {.threads = (int)a->o.threads,
                               .progress = rs_tool_progress_fn(a->o.quiet),
                               .progress_ctx = &shown};
    struct rs_error err = {0};
    int failed = 0;
    int rc = rs_check_run(&a->chk, a->sc, a->n_sc, a->b, a->update, &opts, &failed, &err);
    if (rc) {
        char buf[1024];
        rs_error_format(&err, buf, sizeof buf);
        rs_tool_say(a->o.cmd, "%s: %s", a->paths[failed], buf);
        return rs_error_exit_status(rc);
    }
    int count[RS_CHECK_VERDICTS];
    print_verdicts(a, count);
    st = finish(a, count);
    if (fflush(stdout) != 0 && !st) st = RS_EXIT_RUNTIME;
    return st;
}

int rs_cmd_check(int argc, char **argv)
{
    struct check_args *a = rs_calloc(1, sizeof *a);
    rs_cli_init(&a->o, "check");
    rs_check_init(&a->chk);
    a->paths = rs_calloc((size_t)argc, sizeof *a->paths);
    a->sc = rs_calloc((size_t)argc, sizeof *a->sc);
    a->versions = rs_calloc((size_t)argc, sizeof *a->versions);
    int st = read_options(argc, argv, a);
    if (st == RS_OPT_CONTINUE) st = check(a);
    for (int i = 0; i < a->n_sc; i++)
        rs_scenario_destroy(a->sc[i]);
    free(a->sc);
    free(a->paths);
    free(a->versions);
    rs_check_free(&a->chk);
    rs_baseline_destroy(a->b);
    free(a);
    return st;
}
