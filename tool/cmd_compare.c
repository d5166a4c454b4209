/* cmd_compare.c: `replysim compare`, paired comparison of variants of one
 * scenario under common random numbers (SPEC sections 7 and 9).
 *
 * The baseline, `base`, is the scenario as loaded (file plus the global
 * --set overrides); each --variant adds its own overrides on top.  Every
 * variant runs the base's replication seeds, so replication r of each sees
 * the same customers and the per-replication differences are paired.  Writes
 * compare.csv and the base's scenario.ini, and prints a table of the
 * scope-`all` metrics on stdout. */
#include "cmd.h"

#include "cli.h"
#include "progress.h"
#include "replysim/csvout.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/report.h"
#include "replysim/scenario.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SETS RS_CLI_MAX_SETS /* settings of one variant */
#define MAX_VARIANTS 64 /* distinct variant names */
#define CELL 64         /* one formatted cell of the stdout table */

static const char usage[] =
    "usage: replysim compare SCENARIO --variant NAME:K=V[,K=V]... [--variant ...]\n"
    "                        [-r REPS] [-s SEED] [-o DIR] [-j THREADS] [--set K=V]...\n"
    "\n"
    "Compares variants of a scenario with its baseline under common random\n"
    "numbers.  The baseline, named base, is the scenario as loaded (with every\n"
    "--set); a variant is the baseline plus its own settings.  All run the same\n"
    "replication seeds, so replication r of each sees the same customers, and\n"
    "each metric's difference variant - base is taken replication by replication\n"
    "with a 95% confidence interval; a difference whose interval excludes 0 is\n"
    "significant (marked * on stdout).  Writes, into DIR (default results/NAME/):\n"
    "compare.csv (every metric and scope), scenario.ini (the baseline).\n"
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

struct variant {
    char name[RS_NAME_MAX];
    int n_own;                 /* settings of this variant */
    const char *own[MAX_SETS]; /* each "section.key=value", owned (malloc) */
    struct rs_results *res;
};

struct compare {
    int n;
    struct variant v[MAX_VARIANTS];
};

static void compare_free(struct compare *c)
{
    for (int i = 0; i < c->n; i++) {
        for (int k = 0; k < c->v[i].n_own; k++)
            free((void *)c->v[i].own[k]);
        rs_results_destroy(c->v[i].res);
    }
    free(c);
}

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

/* Adds one --variant argument to c; on bad input prints the one-line error
 * and returns -1. */
static int add_variant(struct compare *c, const char *arg)
{
    const char *colon = strchr(arg, ':');
    size_t nlen = colon ? (size_t)(colon - arg) : 0;
    if (!colon || nlen == 0) {
        fprintf(stderr, "replysim compare: --variant %s: %s\n", arg, expected_variant);
        return -1;
    }
    for (size_t i = 0; i < nlen; i++) {
        int ch = (unsigned char)arg[i];
        if (!(word_char(ch) || ch == '.' || ch == '+')) {
            fprintf(stderr,
                    "replysim compare: --variant %s: expected a NAME of letters, digits, _ - . + "
                    "before ':' as in more:staff.agents=6\n",
                    arg);
            return -1;
        }
    }
    if (nlen >= RS_NAME_MAX) {
        fprintf(stderr,
                "replysim compare: --variant %.*s: expected a NAME of at most %d characters\n",
                (int)nlen, arg, RS_NAME_MAX - 1);
        return -1;
    }
    char name[RS_NAME_MAX];
    memcpy(name, arg, nlen);
    name[nlen] = '\0';
    if (!strcmp(name, "base")) {
        fprintf(stderr,
                "replysim compare: --variant base: expected another name, base is the scenario "
                "as loaded\n");
        return -1;
    }

    struct variant *v = NULL;
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->v[i].name, name)) v = &c->v[i];
    if (!v) {
        if (c->n == MAX_VARIANTS) {
            fprintf(stderr, "replysim compare: --variant %s: expected at most %d variants\n", name,
                    MAX_VARIANTS);
            return -1;
        }
        v = &c->v[c->n++];
        snprintf(v->name, sizeof v->name, "%s", name);
    }

    /* Settings: split at each ',' that is followed by SECTION.KEY=. */
    const char *s = colon + 1;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!key_prefix(s)) {
        fprintf(stderr, "replysim compare: --variant %s: %s, got \"%.60s\"\n", name,
                expected_variant, s);
        return -1;
    }
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
        size_t kl = rs_cli_set_key_len(set);
        int bad = 0;
        if (v->n_own == MAX_SETS) {
            fprintf(stderr, "replysim compare: --variant %s: expected at most %d settings\n", name,
                    MAX_SETS);
            bad = 1;
        }
        if (!bad && ((kl == 13 && !strncmp(set, "scenario.seed", kl)) ||
                     (kl == 21 && !strncmp(set, "scenario.replications", kl)))) {
            fprintf(stderr,
                    "replysim compare: --variant %s: %.*s: expected a key other than the seed "
                    "or replications, which every variant shares (use -s or -r)\n",
                    name, (int)kl, set);
            bad = 1;
        }
        for (int k = 0; k < v->n_own && !bad; k++)
            if (rs_cli_set_key_len(v->own[k]) == kl && !strncmp(v->own[k], set, kl)) {
                fprintf(stderr,
                        "replysim compare: --variant %s: %.*s: expected each key once per "
                        "variant (to compare two values, give each variant its own name)\n",
                        name, (int)kl, set);
                bad = 1;
            }
        if (bad) {
            free(set);
            return -1;
        }
        v->own[v->n_own++] = set;
        s = *end ? end + 1 : end;
        while (*s == ' ' || *s == '\t')
            s++;
    }
    return 0;
}

/* Loads variant v: the file, the global --set overrides, then its own.  An
 * error in its own settings names the variant instead of "--set". */
static int load_variant(const char *path, const char *const *sets, int n_sets,
                        const struct variant *v, struct rs_scenario **out, struct rs_error *err)
{
    const char **all = malloc((size_t)(n_sets + v->n_own) * sizeof *all + 1);
    if (!all) abort();
    for (int i = 0; i < n_sets; i++)
        all[i] = sets[i];
    for (int i = 0; i < v->n_own; i++)
        all[n_sets + i] = v->own[i];
    int rc = rs_scenario_load_with(path, all, n_sets + v->n_own, out, err);
    free(all);
    if (rc == RS_EINPUT && !strcmp(err->file, "--set") && err->line > n_sets) {
        snprintf(err->file, sizeof err->file, "--variant %s", v->name);
        err->line = 0;
    }
    return rc;
}

/* ------------------------------------------------------------- outputs */

static void write_csv(FILE *f, const struct compare *c, const struct rs_results *base)
{
    fputs("variant,metric,scope,base_mean,variant_mean,diff,ci_low,ci_high,sd,n,rel_diff,"
          "significant\n",
          f);
    for (int i = 0; i < c->n; i++)
        for (int m = 0; m < rs_results_n_metrics(base); m++)
            for (int s = 0; s < rs_results_n_scopes(base); s++) {
                const char *metric = rs_results_metric_name(base, m);
                const char *scope = rs_results_scope_name(base, s);
                struct rs_paired p;
                if (rs_results_paired(base, c->v[i].res, metric, scope, &p, NULL))
                    continue;                    /* not in the variant */
                if (p.n == 0 && s > 0) continue; /* as summary.csv: no such messages */
                rs_csvout_field(f, c->v[i].name);
                fputc(',', f);
                rs_csvout_field(f, metric);
                fputc(',', f);
                rs_csvout_field(f, scope);
                double x[6] = {p.base_mean, p.variant_mean, p.diff, p.ci_low, p.ci_high, p.sd};
                for (int k = 0; k < 6; k++) {
                    fputc(',', f);
                    rs_csvout_number(f, x[k]);
                }
                fprintf(f, ",%d,", p.n);
                rs_csvout_number(f, p.rel_diff);
                fputc(',', f);
                if (!isnan(p.ci_low)) fputc(p.significant ? '1' : '0', f);
                fputc('\n', f);
            }
}

/* What compare's files are written from. */
struct outputs {
    const struct compare *c;
    const struct rs_results *base;
    const struct rs_scenario *sc;
};

static int put_csv(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct outputs *o = ctx;
    (void)err;
    write_csv(f, o->c, o->base);
    return RS_OK;
}

/* The baseline as loaded, the variants' settings in its opening comment. */
static int put_ini(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct outputs *o = ctx;
    (void)err;
    fprintf(f, "; replysim %s: the baseline of `replysim compare`, with the variants\n",
            RS_VERSION);
    for (int i = 0; i < o->c->n; i++) {
        fprintf(f, ";   --variant %s:", o->c->v[i].name);
        for (int k = 0; k < o->c->v[i].n_own; k++)
            fprintf(f, "%s%s", k ? "," : "", o->c->v[i].own[k]);
        fputc('\n', f);
    }
    rs_scenario_write(o->sc, f);
    return RS_OK;
}

/* One variant's block of the stdout table: the scope-all metrics. */
static void print_variant(FILE *out, const struct variant *v, const struct rs_results *base)
{
    enum { METRIC, BASE, VAR, DIFF, MARK, CI, REL, NCOL };
    int n_rows = rs_results_n_metrics(base) + 1;
    char(*cells)[NCOL][CELL] = calloc((size_t)n_rows, sizeof *cells);
    if (!cells) abort();
    snprintf(cells[0][METRIC], CELL, "metric");
    snprintf(cells[0][BASE], CELL, "base");
    snprintf(cells[0][VAR], CELL, "%.*s", CELL - 1, v->name);
    snprintf(cells[0][DIFF], CELL, "diff");
    snprintf(cells[0][CI], CELL, "95%% CI of diff");
    snprintf(cells[0][REL], CELL, "rel");
    int rows = 1;
    for (int m = 0; m < rs_results_n_metrics(base); m++) {
        struct rs_paired p;
        const char *metric = rs_results_metric_name(base, m);
        if (rs_results_paired(base, v->res, metric, "all", &p, NULL)) continue;
        char(*row)[CELL] = cells[rows++];
        snprintf(row[METRIC], CELL, "%.*s", CELL - 1, metric);
        rs_report_cell(row[BASE], CELL, RS_CELL_PLAIN, p.base_mean);
        rs_report_cell(row[VAR], CELL, RS_CELL_PLAIN, p.variant_mean);
        rs_report_cell(row[DIFF], CELL, RS_CELL_SIGNED, p.diff);
        snprintf(row[MARK], CELL, "%s", p.significant ? "*" : "");
        if (isnan(p.ci_low)) {
            snprintf(row[CI], CELL, "-");
        } else {
            char lo[CELL], hi[CELL];
            rs_report_cell(lo, CELL, RS_CELL_SIGNED, p.ci_low);
            rs_report_cell(hi, CELL, RS_CELL_SIGNED, p.ci_high);
            snprintf(row[CI], CELL, "[%.28s, %.28s]", lo, hi);
        }
        rs_report_cell(row[REL], CELL, RS_CELL_PERCENT, p.rel_diff);
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
    fputs(") against base\n\n", out);
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

int rs_cmd_compare(int argc, char **argv)
{
    struct rs_cli o;
    rs_cli_init(&o, "compare", RS_CLI_RUN);
    int st = RS_EXIT_OK;
    struct compare *c = calloc(1, sizeof *c);
    if (!c) abort();
    struct rs_scenario *sc = NULL;
    struct rs_results *base = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            goto done;
        }
        const char *val;
        int r = rs_cli_valued(argc, argv, &i, "--variant", &val);
        if (r == RS_CLI_ERROR) {
            st = rs_cli_bad(&o, a, expected_variant);
            goto done;
        }
        if (r == RS_CLI_TAKEN) {
            if (add_variant(c, val)) {
                st = RS_EXIT_USAGE;
                goto done;
            }
            continue;
        }
        if (rs_cli_option(&o, argc, argv, &i) == RS_CLI_ERROR) {
            st = RS_EXIT_USAGE;
            goto done;
        }
    }
    if (!o.path) {
        fputs(usage, stderr);
        st = RS_EXIT_USAGE;
        goto done;
    }
    if (c->n == 0) {
        st = rs_cli_bad(&o, "--variant",
                        "expected at least one, such as --variant more:staff.agents=6");
        goto done;
    }

    /* Every scenario is loaded before anything runs: bad input costs nothing. */
    st = rs_cli_load(&o, &sc);
    if (st) goto done;
    struct rs_error err = {0};
    int rc = RS_OK;
    struct rs_scenario *vsc[MAX_VARIANTS] = {0};
    for (int i = 0; i < c->n && !rc; i++)
        rc = load_variant(o.path, o.sets, o.n_sets, &c->v[i], &vsc[i], &err);
    if (rc) {
        rs_error_print(&err, stderr);
        st = RS_EXIT_USAGE;
    }

    struct rs_run_opts opts = {.replications = sc->replications,
                               .seed = sc->seed,
                               .threads = (int)o.threads,
                               .progress = rs_tool_progress_fn(o.quiet)};
    struct rs_tool_progress shown = {0};
    opts.progress_ctx = &shown;
    if (!st) {
        if (opts.progress) fputs("replysim: base\n", stderr);
        rc = rs_experiment_run(sc, &opts, &base, &err);
    }
    for (int i = 0; i < c->n && !st && !rc; i++) {
        if (opts.progress) fprintf(stderr, "replysim: variant %s\n", c->v[i].name);
        rc = rs_experiment_run(vsc[i], &opts, &c->v[i].res, &err);
    }
    for (int i = 0; i < c->n; i++)
        rs_scenario_destroy(vsc[i]);
    if (!st && rc) st = rs_cli_fail(&o, &err, rc);
    if (st) goto done;

    char dirbuf[512];
    const char *outdir = rs_cli_outdir(&o, sc, dirbuf, sizeof dirbuf);
    struct outputs out = {c, base, sc};
    const struct rs_report_entry files[] = {{"compare.csv", put_csv, &out},
                                            {"scenario.ini", put_ini, &out}};
    rc = rs_report_write(outdir, files, 2, &err);
    if (rc) {
        rs_error_print(&err, stderr);
        st = RS_EXIT_RUNTIME;
        goto done;
    }

    printf("compare %s: %d replications from seed %llu, each variant against base (the\n"
           "scenario as loaded) on the same customers; diff = variant - base, paired by\n"
           "replication; * = significant (the 95%% interval excludes 0)\n",
           sc->name, opts.replications, (unsigned long long)opts.seed);
    for (int i = 0; i < c->n; i++)
        print_variant(stdout, &c->v[i], base);
    printf("\nreplysim: every metric and scope in %s/compare.csv\n", outdir);
    if (fflush(stdout) != 0) st = RS_EXIT_RUNTIME;

done:
    rs_results_destroy(base);
    rs_scenario_destroy(sc);
    compare_free(c);
    return st;
}
