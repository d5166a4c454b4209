/* cmd_compare.c: `replysim compare`, paired comparison of variants of one
 * scenario under common random numbers (docs/scenario-reference.md sections 7 and 9).  The runs
 * and compare.csv are the library's (replysim/compare.h); this file reads
 * the options and prints a table of the scope-`all` metrics on stdout. */
#include "cmd.h"

#include "cli.h"
#include "human.h"
#include "progress.h"
#include "replysim/alloc.h"
#include "replysim/compare.h"
#include "replysim/budget.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "tool.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL 64 /* one formatted cell of the stdout table */

static const char usage[] =
    "usage: replysim compare SCENARIO --variant NAME:K=V[,K=V]... [--variant ...]\n"
    "                        [-r REPS] [-s SEED] [-o DIR] [-j THREADS] [--set K=V]...\n"
    "\n"
    "Compares variants of a scenario with its baseline under common random\n"
    "numbers.  The baseline, named base, is the scenario as loaded (with every\n"
    "--set); a variant is the baseline plus its own settings.  All run the same\n"
    "replication seeds, so replication r of each sees the same customers, and\n"
    "each metric's difference variant - base is taken replication by replication\n"
    "with a 95% confidence interval and a paired t test; a difference is\n"
    "significant (marked * on stdout) when its p, adjusted by Holm's method over\n"
    "all of the variant's rows (every metric and scope), is below 0.05.  Writes,\n"
    "into DIR (default results/NAME/): compare.csv (every metric and scope, with\n"
    "p and p_holm), scenario.ini (the baseline).  A setting K= or K=none removes\n"
    "the key (as --set), e.g. --variant flat:staff.schedule=,staff.agents=3.\n"
    "\n"
    "  --variant NAME:K=V[,K=V]...\n"
    "                         a variant; K as in --set, e.g.\n"
    "                           --variant more:staff.agents=6\n"
    "                           --variant dl:policy.order=deadline,staff.agents=6\n"
    "                         a comma splits settings only before SECTION.KEY=, so\n"
    "                         values with commas pass whole:\n"
    "                           --variant w:policy.order=score,policy.weights=age:1,priority:60\n"
    "                         the same NAME given again adds settings to that variant\n"
    "                         (NAME: letters, digits, _ - . +; not base)\n"
    "  -r, --replications N   replications (default: the scenario's, 10)\n"
    "  -s, --seed N           base seed, 0..2^64-1 (default: the scenario's, 1)\n"
    "  -o, --output DIR       output folder\n"
    "  -j, --threads N        replications run in parallel (output is identical)\n"
    "  --set SECTION.KEY=V    override a key of the baseline and every variant\n"
    "                         (repeatable)\n"
    "  -q, --quiet            no progress line\n"
    "  -h, --help             this text\n";

static int word_char(int c) { return isalnum(c) || c == '_' || c == '-'; }

/* Length of a "section.key" (two or more dot-separated words) then optional
 * blanks and '=' at s, or 0 when s does not start with one. */
static size_t key_prefix(const char *s)
{
    size_t i = 0;
    int words = 0;
    for (;;) {
        size_t start = i;
        while (word_char((unsigned char)s[i]))
            i++;
        if (i == start) return 0;
        words++;
        if (s[i] != '.') break;
        i++;
    }
    if (words < 2) return 0;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    return s[i] == '=' ? i + 1 : 0;
}

static const char expected_variant[] =
    "expected NAME:SECTION.KEY=VALUE[,SECTION.KEY=VALUE]... such as more:staff.agents=6";

/* The variant called name in c, added when new; NULL after saying why. */
static struct rs_compare_variant *find_variant(const char *cmd, struct rs_compare *c,
                                               const char *arg, size_t nlen)
{
    for (size_t i = 0; i < nlen; i++) {
        int ch = (unsigned char)arg[i];
        if (!(word_char(ch) || ch == '.' || ch == '+')) {
            rs_tool_say(cmd,
                        "--variant %s: expected a NAME of letters, digits, _ - . + before ':' as "
                        "in more:staff.agents=6",
                        arg);
            return NULL;
        }
    }
    if (nlen >= RS_NAME_MAX) {
        rs_tool_say(cmd, "--variant %.*s: expected a NAME of at most %d characters", (int)nlen, arg,
                    RS_NAME_MAX - 1);
        return NULL;
    }
    char name[RS_NAME_MAX];
    memcpy(name, arg, nlen);
    name[nlen] = '\0';
    if (!strcmp(name, "base")) {
        rs_tool_say(cmd, "--variant base: expected another name, base is the scenario as loaded");
        return NULL;
    }
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->v[i].name, name)) return &c->v[i];
    if (c->n == RS_COMPARE_MAX_VARIANTS) {
        rs_tool_say(cmd, "--variant %s: expected at most %d variants", name,
                    RS_COMPARE_MAX_VARIANTS);
        return NULL;
    }
    struct rs_compare_variant *v = &c->v[c->n++];
    snprintf(v->name, sizeof v->name, "%s", name);
    return v;
}

/* Adds one setting to v; -1 after saying why. */
static int add_setting(const char *cmd, struct rs_compare_variant *v, char *set)
{
    size_t kl = rs_cli_set_key_len(set);
    if (v->n_own == RS_COMPARE_MAX_SETS) {
        rs_tool_say(cmd, "--variant %s: expected at most %d settings", v->name,
                    RS_COMPARE_MAX_SETS);
        return -1;
    }
    if ((kl == 13 && !strncmp(set, "scenario.seed", kl)) ||
        (kl == 21 && !strncmp(set, "scenario.replications", kl))) {
        rs_tool_say(cmd,
                    "--variant %s: %.*s: expected a key other than the seed or replications, "
                    "which every variant shares (use -s or -r)",
                    v->name, (int)kl, set);
        return -1;
    }
    for (int k = 0; k < v->n_own; k++)
        if (rs_cli_set_key_len(v->own[k]) == kl && !strncmp(v->own[k], set, kl)) {
            rs_tool_say(cmd,
                        "--variant %s: %.*s: expected each key once per variant (to compare two "
                        "values, give each variant its own name)",
                        v->name, (int)kl, set);
            return -1;
        }
    v->own[v->n_own++] = set;
    return 0;
}

/* Takes one --variant argument (an option callback; the value is the
 * comparison): 0, or RS_EXIT_USAGE after saying why. */
static int take_variant(const struct rs_opt_ctx *ctx, const struct rs_opt *opt, const char *arg)
{
    struct rs_compare *c = opt->value;
    const char *colon = strchr(arg, ':');
    if (!colon || colon == arg)
        return rs_tool_say(ctx->cmd, "--variant %s: %s", arg, expected_variant);
    struct rs_compare_variant *v = find_variant(ctx->cmd, c, arg, (size_t)(colon - arg));
    if (!v) return RS_EXIT_USAGE;

    /* Settings: split at each ',' that is followed by SECTION.KEY=. */
    const char *s = colon + 1;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!key_prefix(s))
        return rs_tool_say(ctx->cmd, "--variant %s: %s, got \"%.60s\"", v->name, expected_variant,
                           s);
    while (*s) {
        const char *end = s + strlen(s);
        for (const char *p = strchr(s, ','); p; p = strchr(p + 1, ',')) {
            const char *q = p + 1;
            while (*q == ' ' || *q == '\t')
                q++;
            if (key_prefix(q)) {
                end = p;
                break;
            }
        }
        char *set = rs_cli_dup_trim(s, (size_t)(end - s));
        if (add_setting(ctx->cmd, v, set)) {
            free(set);
            return RS_EXIT_USAGE;
        }
        s = *end ? end + 1 : end;
        while (*s == ' ' || *s == '\t')
            s++;
    }
    return 0;
}

/* A p-value for people: "<0.001", "0.034", "1"; "-" when not tested. */
static void p_cell(char *cell, size_t n, double p)
{
    if (isnan(p))
        snprintf(cell, n, "-");
    else if (p < 0.001)
        snprintf(cell, n, "<0.001");
    else
        rs_human_number(cell, n, p, 0);
}

/* One variant's block of the stdout table: the scope-all metrics, in the
 * metric's own unit (durations as 12m 30s, shares as %). */
static void print_variant(FILE *out, const struct rs_compare_variant *v,
                          const struct rs_results *base)
{
    enum { METRIC, BASE, VAR, DIFF, MARK, CI, REL, PH, NCOL };
    int n_rows = rs_results_n_metrics(base) + 1;
    char(*cells)[NCOL][CELL] = rs_calloc((size_t)n_rows, sizeof *cells);
    static const char *const head[NCOL] = {"metric", "base",           "",    "diff",
                                           "",       "95% CI of diff", "rel", "p(Holm)"};
    for (int k = 0; k < NCOL; k++)
        snprintf(cells[0][k], CELL, "%s", head[k]);
    snprintf(cells[0][VAR], CELL, "%.*s", CELL - 1, v->name);
    int rows = 1;
    for (int m = 0; m < rs_results_n_metrics(base); m++) {
        const struct rs_compare_row *r = rs_compare_row(v, m, 0);
        if (!r) continue;
        const struct rs_paired *p = &r->p;
        const char *metric = rs_results_metric_name(base, m);
        enum rs_human_kind kind = rs_human_kind_of(metric);
        char(*row)[CELL] = cells[rows++];
        snprintf(row[METRIC], CELL, "%.*s", CELL - 1, metric);
        rs_human_format(row[BASE], CELL, kind, p->base_mean, 0);
        rs_human_format(row[VAR], CELL, kind, p->variant_mean, 0);
        rs_human_format(row[DIFF], CELL, kind, p->diff, 1);
        snprintf(row[MARK], CELL, "%s", r->significant ? "*" : "");
        if (isnan(p->ci_low)) {
            snprintf(row[CI], CELL, "-");
        } else {
            rs_human_interval(row[CI], CELL, kind, p->diff, p->ci_low, p->ci_high, 1);
        }
        rs_report_cell(row[REL], CELL, RS_CELL_PERCENT, p->rel_diff);
        p_cell(row[PH], CELL, r->p_holm);
    }
    int width[NCOL] = {0};
    for (int r = 0; r < rows; r++)
        for (int k = 0; k < NCOL; k++) {
            int len = (int)strlen(cells[r][k]);
            if (len > width[k]) width[k] = len;
        }
    fprintf(out, "\n%s (", v->name);
    for (int k = 0; k < v->n_own; k++)
        fprintf(out, "%s%s", k ? ", " : "", v->own[k]);
    int sig = 0;
    for (int k = 0; k < v->n_rows; k++)
        sig += v->rows[k].significant;
    fprintf(out,
            ") against base\n  %d of the %d rows that differ are significant after Holm's "
            "adjustment\n\n",
            sig, v->n_tested);
    for (int r = 0; r < rows; r++) {
        fprintf(out, "  %-*s", width[METRIC], cells[r][METRIC]);
        for (int k = BASE; k < NCOL; k++) {
            if (k == MARK) {
                fprintf(out, " %-*s", width[k], cells[r][k]);
                continue;
            }
            fprintf(out, "  %*s", width[k], cells[r][k]);
        }
        fputc('\n', out);
    }
    free(cells);
}

/* ------------------------------------------------------------- command */

/* Reads the command line into o and c: RS_OPT_CONTINUE, or the exit status
 * to return at once. */
static int read_options(int argc, char **argv, struct rs_cli *o, struct rs_compare *c)
{
    const struct rs_opt opts[] = {
        {RS_OPT_CALLBACK_F(0, "variant", c, take_variant, "NAME:K=V[,K=V]...", "a variant"),
         .expect = expected_variant},
        RS_CLI_OPTS_RUN(o),
        RS_OPT_END,
    };
    int st = rs_opt_parse(o->cmd, usage, opts, argc, argv);
    if (st != RS_OPT_CONTINUE) return st;
    if (c->n == 0)
        return rs_tool_say(
            o->cmd, "--variant: expected at least one, such as --variant more:staff.agents=6");
    return RS_OPT_CONTINUE;
}

static void print_table(const struct rs_compare *c, const struct rs_scenario *sc,
                        const struct rs_run_opts *opts, const char *outdir)
{
    printf("compare %s: %d replications from seed %llu, each variant against base (the\n"
           "scenario as loaded) on the same customers; diff = variant - base, paired by\n"
           "replication, with its 95%% interval; * = significant: a paired t test's p,\n"
           "adjusted by Holm's method over all of the variant's rows in compare.csv, is\n"
           "below 0.05 (a row's interval alone would call some of ~170 rows significant\n"
           "by chance); shares in %% and their differences in percentage points (pp)\n",
           sc->name, opts->replications, (unsigned long long)opts->seed);
    for (int i = 0; i < c->n; i++)
        print_variant(stdout, &c->v[i], c->base);
    printf("\nreplysim: every metric and scope in %s/compare.csv\n", outdir);
}

/* Loads, runs and writes the comparison of c: the exit status. */
static int compare(const struct rs_cli *o, struct rs_compare *c)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    if (rs_cli_load(o, &sc)) return RS_EXIT_USAGE;
    c->path = o->path;
    c->sets = o->sets;
    c->n_sets = o->n_sets;
    /* every scenario is loaded before anything runs: bad input costs nothing */
    int rc = rs_compare_load(c, &err), st = RS_EXIT_OK;
    if (rc) {
        rs_tool_error(NULL, &err, rc);
        st = RS_EXIT_USAGE;
    }
    /* base and variants: every one's results are held until compare.csv */
    const struct rs_budget_req req = {.replications = sc->replications,
                                      .runs = 1 + c->n,
                                      .runs_kept = 1,
                                      .runs_from = "--variant"};
    for (int i = -1; i < c->n && !st; i++)
        st = rs_cli_budget(o, i < 0 ? sc : c->v[i].sc, &req);
    char dirbuf[512];
    const char *outdir = rs_cli_outdir(o, sc, dirbuf, sizeof dirbuf);
    if (!st) st = rs_cli_prepare_outdir(outdir);
    struct rs_tool_progress shown = {0};
    struct rs_run_opts opts = {.replications = sc->replications,
                               .seed = sc->seed,
                               .threads = (int)o->threads,
                               .progress = rs_tool_progress_fn(o->quiet),
                               .progress_ctx = &shown};
    if (!st) rc = rs_compare_run(c, sc, &opts, &err);
    if (!st && rc) st = rs_tool_error(o->cmd, &err, rc);
    if (!st) rc = rs_compare_write(outdir, c, sc, &err);
    if (!st && rc) st = rs_tool_error(NULL, &err, rc);
    if (!st) {
        print_table(c, sc, &opts, outdir);
        if (fflush(stdout) != 0) st = RS_EXIT_RUNTIME;
    }
    rs_scenario_destroy(sc);
    return st;
}

int rs_cmd_compare(int argc, char **argv)
{
    struct rs_cli o;
    rs_cli_init(&o, "compare");
    struct rs_compare *c = rs_calloc(1, sizeof *c);
    int st = read_options(argc, argv, &o, c);
    if (st == RS_OPT_CONTINUE) st = compare(&o, c);
    rs_compare_free(c);
    free(c);
    return st;
}
