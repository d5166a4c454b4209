/* cmd_check.c: `replysim check`, regression of policy outcomes for CI
 * (docs/scenario-reference.md sections 7 and 9).  The runs and verdicts are the library's
 * (replysim/check.h, the baseline file replysim/baseline.h); this file
 * reads the options, loads the scenarios with the baseline's seeds, and
 * prints the verdicts.  --update writes the baseline from the run instead
 * (whole: temp file and rename), keeping the rows of scenarios not run. */
#include "cmd.h"

#include "cli.h"
#include "human.h"
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

static const char usage[] =
    "usage: replysim check SCENARIO... --baseline FILE [--update] [--tolerance METRIC=V]...\n"
    "                      [--fail-on worse|moved] [--junit FILE] [--alpha A]\n"
    "                      [-r REPS] [-s SEED] [-j THREADS] [--set K=V]... [-v]\n"
    "\n"
    "Runs each scenario again and compares every metric and scope with the\n"
    "committed baseline FILE; exits 1 when one got worse, 0 otherwise.  Made for\n"
    "CI: a change of code that makes what a policy or a staffing level\n"
    "achieves worse fails the build; an improvement is reported, not failed.\n"
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
    "Worse or better: each metric has a direction.  Higher is better: response_rate,\n"
    "sl_*, wait_within_*, recommenders, spend_uplift, positive_shares.  Neutral\n"
    "(reported, never worse): offered, needing_reply, bot_rate, occupancy.  Lower\n"
    "is better: every other metric (waits, first responses, lost or late\n"
    "messages, queues, backlog, defectors, negative posts and reach, onlooker\n"
    "loss).  The table lists what got worse, then what got better, then neutral\n"
    "moves, one line per metric with the scopes it moved in folded behind it.\n"
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
    "                         baseline mean; 0 fails on any significant change.\n"
    "                         METRIC@SCOPE=V: in the scopes SCOPE only (a pattern\n"
    "                         too, e.g. 'sl_1h@channel:*=0.05').  A metric or scope\n"
    "                         the baseline does not have is an error\n"
    "  --fail-on worse        fail only on rows that got worse (the default)\n"
    "  --fail-on moved        fail on every row that moved, better or worse\n"
    "  --junit FILE           also write the verdicts as JUnit XML for CI: a\n"
    "                         testsuite for the baseline, a testcase per scenario,\n"
    "                         a failure naming the metrics that got worse\n"
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
    "exit status: 0 no regression (or baseline updated), 1 regression (a row\n"
    "worse, or with --fail-on moved moved, or missing),\n"
    "2 bad usage or input (a malformed or missing baseline, a scenario not in\n"
    "it), 3 run-time failure (the baseline cannot be written)\n";

enum { CHANGE, METRIC, SCOPE, BASE, NOW, DIFF, REL, TOL, TSTAT, PVAL, ALSO, NCOL };

/* The groups of the table, in the order shown: what fails first. */
enum { G_WORSE, G_BETTER, G_NEUTRAL, G_NOISE, G_WITHIN, G_NONE };
static const char *const group_name[] = {"WORSE", "better", "moved", "noise", "within"};

static int group_of(const struct rs_check_entry *e)
{
    if (e->v == RS_CHECK_MISSING) return G_WORSE;
    if (e->v == RS_CHECK_MOVED)
        return e->change < 0 ? G_WORSE : e->change > 0 ? G_BETTER : G_NEUTRAL;
    if (e->v == RS_CHECK_NOISE) return G_NOISE;
    if (e->v == RS_CHECK_WITHIN) return G_WITHIN;
    return G_NONE;
}

/* The cells of row e. */
static void fill_row(char (*row)[CELL], const struct rs_check_entry *e, int group)
{
    snprintf(row[CHANGE], CELL, "%s", e->v == RS_CHECK_MISSING ? "MISSING" : group_name[group]);
    snprintf(row[METRIC], CELL, "%.*s", CELL - 1, e->metric);
    snprintf(row[SCOPE], CELL, "%.*s", CELL - 1, e->scope);
    /* for people, as compare prints them: 12m 30s, 89.8%, +1.5pp (the
     * JUnit file and the baseline keep exact numbers) */
    enum rs_human_kind kind = rs_human_kind_of(e->metric);
    rs_human_format(row[BASE], CELL, kind, e->base_mean, 0);
    rs_human_format(row[NOW], CELL, kind, e->now_mean, 0);
    rs_human_format(row[DIFF], CELL, kind, e->w.diff, 1);
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
    if (e->v == RS_CHECK_MISSING) snprintf(row[NOW], CELL, "(none)");
}

/* The other scopes of a folded metric: "channel:dm, type:question +3". */
static void also_in(char *cell, const struct rs_check *c, const int *idx, int n, int shown)
{
    size_t used = 0;
    int listed = 0;
    cell[0] = '\0';
    for (int k = 0; k < n; k++) {
        if (idx[k] == shown) continue;
        const char *scope = c->e[idx[k]].scope;
        if (listed < 2 && used + strlen(scope) + 3 < CELL - 8) {
            int w = snprintf(cell + used, CELL - used, "%s%s", listed ? ", " : "", scope);
            used += (size_t)w;
            listed++;
        } else {
            snprintf(cell + used, CELL - used, " +%d", n - 1 - listed);
            return;
        }
    }
}

static void print_cells(FILE *out, char (*cells)[NCOL][CELL], int rows)
{
    int width[NCOL] = {0};
    for (int r = 0; r < rows; r++)
        for (int k = 0; k < NCOL; k++) {
            int len = (int)strlen(cells[r][k]);
            if (len > width[k]) width[k] = len;
        }
    fputc('\n', out);
    for (int r = 0; r < rows; r++) {
        fprintf(out, "  %-*s  %-*s  %-*s", width[CHANGE], cells[r][CHANGE], width[METRIC],
                cells[r][METRIC], width[SCOPE], cells[r][SCOPE]);
        for (int k = BASE; k < ALSO; k++)
            fprintf(out, "  %*s", width[k], cells[r][k]);
        if (cells[r][ALSO][0])
            fprintf(out, "  %s\n", cells[r][ALSO]);
        else
            fputc('\n', out);
    }
    fputc('\n', out);
}

/* The rows of scenario si that differ: worse first, then better, then
 * neutral moves (and with verbose noise and rows within tolerance), by
 * metric; unless verbose, one line per metric and group, the scope all
 * (or the first) shown and the others folded into "also in". */
static void print_table(FILE *out, const struct rs_check *c, int si, int verbose)
{
    int n_rows = 1;
    for (int i = 0; i < c->n; i++)
        n_rows += c->e[i].scenario == si;
    char(*cells)[NCOL][CELL] = rs_calloc((size_t)n_rows, sizeof *cells);
    char *done = rs_calloc((size_t)c->n + 1, 1);
    int *idx = rs_malloc((size_t)n_rows * sizeof *idx);
    const char *head[NCOL] = {"change", "metric", "scope", "baseline", "now",    "diff",
                              "rel",    "tol",    "t",     "p(Holm)",  "also in"};
    for (int k = 0; k < NCOL; k++)
        snprintf(cells[0][k], CELL, "%s", head[k]);
    int rows = 1, last = verbose ? G_WITHIN : G_NEUTRAL;
    for (int g = G_WORSE; g <= last; g++)
        for (int i = 0; i < c->n; i++) {
            const struct rs_check_entry *e = &c->e[i];
            if (e->scenario != si || done[i] || group_of(e) != g) continue;
            int n = 0, shown = i;
            for (int j = i; j < c->n; j++) {
                const struct rs_check_entry *f = &c->e[j];
                if (f->scenario != si || done[j] || group_of(f) != g ||
                    strcmp(f->metric, e->metric))
                    continue;
                if (verbose && j != i) continue; /* every row on its own line */
                idx[n++] = j;
                done[j] = 1;
                if (!strcmp(f->scope, "all")) shown = j;
            }
            fill_row(cells[rows], &c->e[shown], g);
            also_in(cells[rows][ALSO], c, idx, n, shown);
            rows++;
        }
    if (rows > 1) print_cells(out, cells, rows);
    free(idx);
    free(done);
    free(cells);
}

/* "160 identical, 3 within tolerance, 2 WORSE, ..." for scenario si (-1:
 * all); count gets each verdict's count. */
static void print_counts(FILE *out, const struct rs_check *c, int si, int count[RS_CHECK_VERDICTS])
{
    static const char *const label[] = {"identical", "within tolerance", "noise (not significant)",
                                        NULL,        "MISSING",          "new"};
    rs_check_counts(c, si, count);
    int moved[3] = {0}; /* worse, better, neutral */
    for (int i = 0; i < c->n; i++)
        if ((si < 0 || c->e[i].scenario == si) && c->e[i].v == RS_CHECK_MOVED)
            moved[c->e[i].change < 0 ? 0 : c->e[i].change > 0 ? 1 : 2]++;
    static const char *const moved_label[] = {"WORSE", "better", "moved (neutral metrics)"};
    int sep = 0;
    for (int v = RS_CHECK_SAME; v <= RS_CHECK_NEW; v++) {
        if (v == RS_CHECK_MOVED) {
            for (int k = 0; k < 3; k++)
                if (moved[k]) {
                    fprintf(out, "%s%d %s", sep ? ", " : "", moved[k], moved_label[k]);
                    sep = 1;
                }
            continue;
        }
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
    const char *junit;    /* --junit FILE, NULL: none */
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

static int take_fail_on(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *v)
{
    enum rs_check_fail_on *f = opt->value;
    if (!strcmp(v, "worse"))
        *f = RS_CHECK_FAIL_WORSE;
    else if (!strcmp(v, "moved"))
        *f = RS_CHECK_FAIL_MOVED;
    else
        return rs_opt_bad(c, "expected worse or moved");
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
        RS_OPT_CALLBACK(0, "fail-on", &a->chk.fail_on, take_fail_on, "worse|moved",
                        "what fails the check"),
        {RS_OPT_STRING_F(0, "junit", &a->junit, "FILE", "JUnit XML"), .refuse = "expected a file"},
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
    if (a->junit && a->update)
        return rs_tool_say(o->cmd, "--junit: expected a check, not --update (nothing is judged)");
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

/* Every --tolerance names a metric and scope of the baseline:
 * RS_OPT_CONTINUE, or RS_EXIT_USAGE after saying why. */
static int known_tolerances(const struct check_args *a)
{
    const char **names = rs_calloc((size_t)a->n_sc + 1, sizeof *names);
    for (int i = 0; i < a->n_sc; i++)
        names[i] = a->sc[i]->name;
    struct rs_error err = {0};
    int rc = rs_check_known_tolerances(&a->chk, a->b, names, a->n_sc, &err);
    free(names);
    if (!rc) return RS_OPT_CONTINUE;
    rs_tool_error(a->o.cmd, &err, rc);
    return RS_EXIT_USAGE;
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

static int put_junit(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct check_args *a = ctx;
    (void)err;
    const char **names = rs_calloc((size_t)a->n_sc + 1, sizeof *names);
    for (int i = 0; i < a->n_sc; i++)
        names[i] = a->sc[i]->name;
    rs_check_junit(f, &a->chk, a->baseline, names, a->n_sc);
    free(names);
    return RS_OK;
}

/* The end: the baseline written with --update, else the verdict (and the
 * JUnit file); the exit status. */
static int finish(const struct check_args *a)
{
    int failed_scenarios = 0, bad = 0;
    for (int i = 0; i < a->n_sc; i++) {
        int any = 0;
        for (int k = 0; k < a->chk.n; k++)
            if (a->chk.e[k].scenario == i && rs_check_fails(&a->chk, &a->chk.e[k])) any = 1, bad++;
        failed_scenarios += any;
    }
    if (a->update) {
        struct rs_error err = {0};
        if (fflush(stdout) != 0) return RS_EXIT_RUNTIME;
        int rc = rs_baseline_save(a->baseline, a->b, &err);
        if (rc) return rs_tool_error(NULL, &err, rc);
        printf("update: wrote %s (%d rows, replysim %s)\n", a->baseline, a->b->n_rows, RS_VERSION);
        return RS_EXIT_OK;
    }
    if (a->junit) {
        struct rs_error err = {0};
        const struct rs_report_entry file = {a->junit, put_junit, a};
        int rc = rs_report_write_file(a->junit, &file, &err);
        if (rc) return rs_tool_error(NULL, &err, rc);
    }
    const char *how = a->chk.fail_on == RS_CHECK_FAIL_MOVED ? "moved" : "worse";
    if (!bad) {
        printf("check: ok (nothing %s)\n", how);
        return RS_EXIT_OK;
    }
    printf("check: FAILED: %d row%s %s or missing in %d of %d scenario%s; if the change "
           "is intended, run again with --update and commit %s\n",
           bad, bad == 1 ? "" : "s", how, failed_scenarios, a->n_sc, a->n_sc == 1 ? "" : "s",
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
    if (st == RS_OPT_CONTINUE) st = known_tolerances(a);
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
    st = finish(a);
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
