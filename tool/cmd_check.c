/* cmd_check.c: `replysim check`, regression of policy outcomes for CI
 * (SPEC sections 7 and 9).
 *
 * Runs each scenario again with the seed and replications its baseline rows
 * were made with, and compares every metric and scope with the baseline's
 * mean, sd and n: a row has moved when the difference is beyond the metric's
 * practical tolerance and significant in a Welch t test after Holm's
 * adjustment over every row that differs.  An unchanged engine reproduces the
 * baseline exactly (difference 0); a change that only reshuffles random
 * numbers moves rows by noise, which the test tells apart from a real
 * change.  --update writes the baseline from the run instead (whole: temp
 * file and rename), keeping the rows of scenarios not run. */
#include "cmd.h"

#include "replysim/baseline.h"
#include "cli.h"
#include "progress.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "replysim/units.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TOLERANCES 256 /* --tolerance options, with the defaults */
#define CELL 64            /* one formatted cell of the stdout table */

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

struct tolerance {
    char pattern[RS_BASELINE_METRIC_MAX];
    double value;
    int relative; /* 1: value is a fraction of the baseline mean */
    char text[CELL];
};

static const struct tolerance default_tolerances[] = {
    {"*", 0.02, 1, "2%"},
    {"*_s", 0.05, 1, "5%"},
    {"*_rate", 0.01, 0, "0.01"},
    {"sl_*", 0.01, 0, "0.01"},
    {"wait_within_*", 0.01, 0, "0.01"},
    {"occupancy", 0.01, 0, "0.01"},
};

enum verdict { SAME, WITHIN, NOISE, MOVED, MISSING, NEW };
static const char *const verdict_name[] = {"same", "within", "noise", "MOVED", "MISSING", "new"};

struct entry {
    int scenario; /* index of the scenario on the command line */
    char metric[RS_BASELINE_METRIC_MAX];
    char scope[RS_BASELINE_SCOPE_MAX];
    double base_mean, now_mean;
    int base_n, now_n;
    struct rs_welch w;
    double p_adj;    /* Holm-adjusted p; NaN when not tested */
    double tol_abs;  /* tolerance in the metric's unit */
    const char *tol; /* as written */
    enum verdict v;
};

struct check {
    int n, cap;
    struct entry *e;
};

static struct entry *add_entry(struct check *c)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 1024;
        c->e = realloc(c->e, (size_t)c->cap * sizeof *c->e);
        if (!c->e) abort();
    }
    struct entry *e = &c->e[c->n++];
    memset(e, 0, sizeof *e);
    e->p_adj = NAN;
    return e;
}

/* METRIC=V or METRIC=V% into t; -1 with why on bad input. */
static int parse_tolerance(const char *arg, struct tolerance *t, char *why, size_t len)
{
    const char *eq = strchr(arg, '=');
    size_t plen = eq ? (size_t)(eq - arg) : 0;
    if (!eq || plen == 0 || plen >= sizeof t->pattern) {
        rs_error_why(why, len,
                     "expected METRIC=VALUE or METRIC=VALUE%% such as sl_1h=0.02 or "
                     "wait_p90_s=10%%");
        return -1;
    }
    memcpy(t->pattern, arg, plen);
    t->pattern[plen] = '\0';
    char num[CELL];
    const char *v = eq + 1;
    size_t vlen = strlen(v);
    t->relative = vlen > 0 && v[vlen - 1] == '%';
    if (t->relative) vlen--;
    if (vlen == 0 || vlen >= sizeof num) {
        rs_error_why(why, len, "expected a number >= 0 (or a percentage) after =, got \"%.40s\"",
                     v);
        return -1;
    }
    memcpy(num, v, vlen);
    num[vlen] = '\0';
    if (rs_units_number(num, &t->value, why, len)) return -1;
    if (t->value < 0) {
        rs_error_why(why, len, "expected a number >= 0 (or a percentage) after =, got \"%.40s\"",
                     v);
        return -1;
    }
    snprintf(t->text, sizeof t->text, "%s", v);
    if (t->relative) t->value /= 100;
    return 0;
}

static const struct tolerance *tolerance_of(const struct tolerance *tol, int n, const char *metric)
{
    const struct tolerance *found = &tol[0];
    for (int i = 0; i < n; i++)
        if (fnmatch(tol[i].pattern, metric, 0) == 0) found = &tol[i];
    return found;
}

/* Compares the run res of scenario si with the baseline's rows for it. */
static void compare_scenario(struct check *c, int si, const char *name, const struct rs_baseline *b,
                             const struct rs_results *res, const struct tolerance *tol, int n_tol)
{
    for (int i = 0; i < b->n_rows; i++) {
        const struct rs_baseline_row *r = &b->rows[i];
        if (strcmp(r->scenario, name)) continue;
        struct rs_summary now = {.mean = NAN, .sd = NAN, .n = 0};
        int found = rs_results_get(res, r->metric, r->scope, &now) == RS_OK;
        if (found && r->n == 0 && now.n == 0) continue; /* undefined in both */
        struct entry *e = add_entry(c);
        e->scenario = si;
        snprintf(e->metric, sizeof e->metric, "%s", r->metric);
        snprintf(e->scope, sizeof e->scope, "%s", r->scope);
        e->base_mean = r->mean;
        e->base_n = r->n;
        e->now_mean = now.n ? now.mean : NAN;
        e->now_n = now.n;
        const struct tolerance *t = tolerance_of(tol, n_tol, r->metric);
        e->tol = t->text;
        e->tol_abs = t->relative ? t->value * fabs(r->mean) : t->value;
        if (!found) {
            e->v = MISSING;
            e->w.diff = NAN;
            continue;
        }
        rs_baseline_welch(r->mean, r->sd, r->n, e->now_mean, now.n >= 2 ? now.sd : NAN, now.n,
                          &e->w);
        if (r->n == 0 || now.n == 0) e->v = MOVED; /* defined on one side only */
    }
    for (int m = 0; m < rs_results_n_metrics(res); m++)
        for (int s = 0; s < rs_results_n_scopes(res); s++) {
            const char *metric = rs_results_metric_name(res, m);
            const char *scope = rs_results_scope_name(res, s);
            if (rs_baseline_find(b, name, metric, scope)) continue;
            struct rs_summary now;
            rs_results_summary(res, m, s, &now);
            if (now.n == 0) continue; /* as summary.csv, and nothing to check */
            struct entry *e = add_entry(c);
            e->scenario = si;
            snprintf(e->metric, sizeof e->metric, "%s", metric);
            snprintf(e->scope, sizeof e->scope, "%s", scope);
            e->base_mean = e->w.diff = NAN;
            e->now_mean = now.mean;
            e->now_n = now.n;
            e->tol = "";
            e->v = NEW;
        }
}

/* Holm over every row tested, then each row's verdict. */
static void judge(struct check *c, double alpha)
{
    double *p = malloc((size_t)(c->n > 0 ? c->n : 1) * sizeof *p);
    if (!p) abort();
    for (int i = 0; i < c->n; i++) {
        const struct entry *e = &c->e[i];
        /* rows already judged, and identical rows (p = 1 but no test) */
        p[i] = e->v == SAME && e->base_n > 0 && e->now_n > 0 && e->w.diff != 0 ? e->w.p : NAN;
    }
    rs_baseline_holm(p, c->n);
    for (int i = 0; i < c->n; i++) {
        struct entry *e = &c->e[i];
        e->p_adj = p[i];
        if (e->v != SAME) continue;
        if (e->w.diff == 0)
            e->v = SAME;
        else if (!(fabs(e->w.diff) > e->tol_abs))
            e->v = WITHIN;
        else if (isnan(e->p_adj) || e->p_adj < alpha)
            e->v = MOVED; /* NaN: no test possible, the tolerance decides */
        else
            e->v = NOISE;
    }
    free(p);
}

/* ------------------------------------------------------------- output */

enum { METRIC, SCOPE, BASE, NOW, DIFF, REL, TOL, TSTAT, PVAL, VERDICT, NCOL };

static void print_table(FILE *out, const struct check *c, int si, int verbose)
{
    int n_rows = 1;
    for (int i = 0; i < c->n; i++)
        n_rows += c->e[i].scenario == si;
    char(*cells)[NCOL][CELL] = calloc((size_t)n_rows, sizeof *cells);
    if (!cells) abort();
    const char *head[NCOL] = {"metric", "scope", "baseline", "now",     "diff",
                              "rel",    "tol",   "t",        "p(Holm)", "verdict"};
    for (int k = 0; k < NCOL; k++)
        snprintf(cells[0][k], CELL, "%s", head[k]);
    int rows = 1;
    for (int i = 0; i < c->n; i++) {
        const struct entry *e = &c->e[i];
        if (e->scenario != si || e->v == SAME || e->v == NEW) continue;
        if ((e->v == WITHIN || e->v == NOISE) && !verbose) continue;
        char(*row)[CELL] = cells[rows++];
        snprintf(row[METRIC], CELL, "%.*s", CELL - 1, e->metric);
        snprintf(row[SCOPE], CELL, "%.*s", CELL - 1, e->scope);
        rs_report_cell(row[BASE], CELL, RS_CELL_PLAIN, e->base_mean);
        rs_report_cell(row[NOW], CELL, RS_CELL_PLAIN, e->now_mean);
        rs_report_cell(row[DIFF], CELL, RS_CELL_SIGNED, e->w.diff);
        rs_report_cell(row[REL], CELL, RS_CELL_PERCENT,
                 e->base_mean != 0 && !isnan(e->base_mean) ? e->w.diff / fabs(e->base_mean) : NAN);
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
        if (e->v == MISSING) snprintf(row[NOW], CELL, "(none)");
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
static void print_counts(FILE *out, const struct check *c, int si, int count[6])
{
    static const char *const label[] = {"identical", "within tolerance", "noise (not significant)",
                                        "MOVED",     "MISSING",          "new"};
    memset(count, 0, 6 * sizeof *count);
    for (int i = 0; i < c->n; i++)
        if (si < 0 || c->e[i].scenario == si) count[c->e[i].v]++;
    int sep = 0;
    for (int v = SAME; v <= NEW; v++) {
        if (!count[v] && v != SAME) continue;
        fprintf(out, "%s%d %s", sep ? ", " : "", count[v], label[v]);
        sep = 1;
    }
}

/* The new rows of scenario si, by metric: "new in this run, not checked". */
static void print_new(FILE *out, const struct check *c, int si)
{
    const char *last = NULL;
    int n = 0;
    for (int i = 0; i < c->n; i++) {
        const struct entry *e = &c->e[i];
        if (e->scenario != si || e->v != NEW) continue;
        if (last && !strcmp(last, e->metric)) continue;
        fprintf(out, "%s%s",
                n++ ? ", " : "  note: not in the baseline, so not checked: ", e->metric);
        last = e->metric;
    }
    if (n) fputs(" (--update adds them)\n", out);
}

/* Splits path into its folder and file name for rs_report; -1 when it has
 * no file name. */
static int split_path(const char *path, char *dir, size_t dlen, const char **name)
{
    const char *slash = strrchr(path, '/');
    *name = slash ? slash + 1 : path;
    if (!**name || !strcmp(*name, ".") || !strcmp(*name, "..")) return -1;
    if (!slash)
        snprintf(dir, dlen, ".");
    else if (slash == path)
        snprintf(dir, dlen, "/");
    else
        snprintf(dir, dlen, "%.*s", (int)(slash - path), path);
    return 0;
}

static int put_baseline(FILE *f, const void *b, struct rs_error *err)
{
    (void)err;
    rs_baseline_write(f, b);
    return RS_OK;
}

static int write_baseline(const char *path, const struct rs_baseline *b, struct rs_error *err)
{
    char dir[1024];
    const char *name;
    if (split_path(path, dir, sizeof dir, &name))
        return rs_error_io(err, path, "expected a file name, not a folder");
    const struct rs_report_entry file = {name, put_baseline, b};
    return rs_report_write(dir, &file, 1, err);
}

/* ------------------------------------------------------------- command */

int rs_cmd_check(int argc, char **argv)
{
    struct rs_cli o;
    rs_cli_init(&o, "check", RS_CLI_SET | RS_CLI_QUIET | RS_CLI_REPS | RS_CLI_SEED | RS_CLI_THREADS);
    const char *baseline_path = NULL;
    int update = 0, verbose = 0, st = RS_EXIT_OK;
    double alpha = 0.05;
    char why[256];
    struct tolerance tol[MAX_TOLERANCES];
    int n_tol = (int)(sizeof default_tolerances / sizeof default_tolerances[0]);
    memcpy(tol, default_tolerances, sizeof default_tolerances);
    const char **paths = calloc((size_t)argc, sizeof *paths);
    char(*versions)[32] = calloc((size_t)argc, sizeof *versions); /* of each one's baseline */
    if (!versions) abort();
    struct rs_scenario **sc = calloc((size_t)argc, sizeof *sc);
    if (!paths || !sc) abort();
    int n_sc = 0;
    struct rs_baseline *b = NULL;
    struct check chk = {0};

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            goto done;
        }
        if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 1;
            continue;
        }
        if (!strcmp(a, "--update")) {
            update = 1;
            continue;
        }
        /* options with a value: "--opt V" and "--opt=V" */
        static const char *const takes[] = {"--baseline", "--tolerance", "--alpha"};
        const char *opt = NULL, *v = NULL;
        for (size_t k = 0; k < sizeof takes / sizeof takes[0] && !opt; k++) {
            int r = rs_cli_valued(argc, argv, &i, takes[k], &v);
            if (r == RS_CLI_ERROR) {
                st = rs_cli_bad(&o, a, "expected a value after it");
                goto done;
            }
            if (r == RS_CLI_TAKEN) opt = takes[k];
        }
        if (opt) {
            if (!strcmp(opt, "--baseline")) {
                if (!v[0]) st = rs_cli_bad(&o, a, "expected a file");
                baseline_path = v;
            } else if (!strcmp(opt, "--tolerance")) {
                if (n_tol == MAX_TOLERANCES)
                    st = rs_cli_bad(&o, a, "expected fewer of them");
                else if (parse_tolerance(v, &tol[n_tol], why, sizeof why))
                    st = rs_cli_bad(&o, a, why);
                else
                    n_tol++;
            } else {
                if (rs_units_number(v, &alpha, why, sizeof why))
                    st = rs_cli_bad(&o, a, why);
                else if (!(alpha > 0 && alpha < 1))
                    st = rs_cli_bad(&o, a, "expected a number between 0 and 1, such as 0.05");
            }
            if (st) goto done;
            continue;
        }
        int r = rs_cli_option(&o, argc, argv, &i);
        if (r == RS_CLI_ERROR) {
            st = RS_EXIT_USAGE;
            goto done;
        }
        if (r == RS_CLI_NOT_MINE) paths[n_sc++] = a;
    }
    if (n_sc == 0) {
        fputs(usage, stderr);
        st = RS_EXIT_USAGE;
        goto done;
    }
    if (!baseline_path) {
        st = rs_cli_bad(&o, "--baseline",
                        "expected the baseline file, such as --baseline baselines/examples.csv");
        goto done;
    }

    /* The baseline and every scenario are read before anything runs. */
    struct rs_error err = {0};
    struct stat sb;
    if (update && stat(baseline_path, &sb) != 0 && errno == ENOENT) {
        b = rs_baseline_create(baseline_path);
    } else {
        int rc = rs_baseline_read(baseline_path, baseline_path, &b, &err);
        if (rc) {
            /* a baseline that cannot be read is bad input to a check */
            if (rc == RS_EIO && !update)
                fprintf(stderr, "replysim check: --baseline: %s (make one with --update)\n",
                        err.msg);
            else
                rs_error_print(&err, stderr);
            st = rc == RS_EIO && update ? RS_EXIT_RUNTIME : RS_EXIT_USAGE;
            goto done;
        }
    }
    for (int i = 0; i < n_sc; i++) {
        if (rs_scenario_load_with(paths[i], o.sets, o.n_sets, &sc[i], &err)) {
            rs_error_print(&err, stderr);
            st = RS_EXIT_USAGE;
            goto done;
        }
        for (int k = 0; k < i; k++)
            if (!strcmp(sc[k]->name, sc[i]->name)) {
                fprintf(stderr,
                        "replysim check: %s: expected scenarios of different names, %s is also "
                        "the name of %s\n",
                        paths[i], sc[i]->name, paths[k]);
                st = RS_EXIT_USAGE;
                goto done;
            }
        const struct rs_baseline_row *first = rs_baseline_scenario(b, sc[i]->name);
        if (!first && !update) {
            fprintf(stderr,
                    "replysim check: %s: scenario %s is not in the baseline %s (add it with "
                    "--update)\n",
                    paths[i], sc[i]->name, baseline_path);
            st = RS_EXIT_USAGE;
            goto done;
        }
        if (first) {
            snprintf(versions[i], sizeof versions[i], "%s", first->version);
            sc[i]->seed = first->seed;
            sc[i]->replications = first->replications;
        }
        rs_cli_apply(&o, sc[i]);
    }

    /* Run and compare, one scenario at a time. */
    for (int i = 0; i < n_sc; i++) {
        struct rs_run_opts opts = {.replications = sc[i]->replications,
                                   .seed = sc[i]->seed,
                                   .threads = (int)o.threads,
                                   .progress = rs_tool_progress_fn(o.quiet)};
    struct rs_tool_progress shown = {0};
    opts.progress_ctx = &shown;
        if (opts.progress) fprintf(stderr, "replysim: check %s\n", sc[i]->name);
        struct rs_results *res = NULL;
        int rc = rs_experiment_run(sc[i], &opts, &res, &err);
        if (rc) {
            char buf[1024];
            rs_error_format(&err, buf, sizeof buf);
            fprintf(stderr, "replysim check: %s: %s\n", paths[i], buf);
            st = rs_error_exit_status(rc);
            goto done;
        }
        compare_scenario(&chk, i, sc[i]->name, b, res, tol, n_tol);
        if (update) rs_baseline_set(b, sc[i]->name, res);
        rs_results_destroy(res);
    }
    judge(&chk, alpha);

    for (int i = 0; i < n_sc; i++) {
        int count[6];
        printf("%s %s (%s): %d replications from seed %llu: ", update ? "update" : "check",
               sc[i]->name, paths[i], sc[i]->replications, (unsigned long long)sc[i]->seed);
        if (!versions[i][0]) { /* only with --update */
            printf("new in the baseline\n");
            continue;
        }
        print_counts(stdout, &chk, i, count);
        fputc('\n', stdout);
        if (strcmp(versions[i], RS_VERSION))
            printf("  note: the baseline was written by replysim %s, this is %s\n", versions[i],
                   RS_VERSION);
        print_table(stdout, &chk, i, verbose);
        print_new(stdout, &chk, i);
    }
    int count[6];
    int failed_scenarios = 0;
    for (int i = 0; i < n_sc; i++) {
        int bad = 0;
        for (int k = 0; k < chk.n; k++)
            if (chk.e[k].scenario == i && (chk.e[k].v == MOVED || chk.e[k].v == MISSING)) bad = 1;
        failed_scenarios += bad;
    }
    int tested = 0;
    for (int k = 0; k < chk.n; k++)
        tested += !isnan(chk.e[k].p_adj);
    printf("%s: %d scenario%s, %d rows: ", update ? "update" : "check", n_sc, n_sc == 1 ? "" : "s",
           chk.n);
    print_counts(stdout, &chk, -1, count);
    printf(" (tolerance and Holm-adjusted p < %g over %d tests)\n", alpha, tested);

    if (update) {
        if (fflush(stdout) != 0) {
            st = RS_EXIT_RUNTIME;
            goto done;
        }
        if (write_baseline(baseline_path, b, &err)) {
            rs_error_print(&err, stderr);
            st = RS_EXIT_RUNTIME;
            goto done;
        }
        printf("update: wrote %s (%d rows, replysim %s)\n", baseline_path, b->n_rows, RS_VERSION);
    } else if (count[MOVED] || count[MISSING]) {
        printf("check: FAILED: %d row%s moved or missing in %d of %d scenario%s; if the change "
               "is intended, run again with --update and commit %s\n",
               count[MOVED] + count[MISSING], count[MOVED] + count[MISSING] == 1 ? "" : "s",
               failed_scenarios, n_sc, n_sc == 1 ? "" : "s", baseline_path);
        st = RS_EXIT_REGRESSION;
    } else {
        printf("check: ok\n");
    }
    if (fflush(stdout) != 0 && !st) st = RS_EXIT_RUNTIME;

done:
    for (int i = 0; i < n_sc; i++)
        rs_scenario_destroy(sc[i]);
    free(sc);
    free(paths);
    free(versions);
    free(chk.e);
    rs_baseline_destroy(b);
    return st;
}
