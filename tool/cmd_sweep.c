/* cmd_sweep.c: `replysim sweep`, a grid of scenario settings (SPEC
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
 * Points run over the threads (a pool over points; each point's
 * replications over the spare threads when there are fewer points than
 * threads).  A point's rows are formatted when it finishes and appended to
 * sweep.csv in point order, so the file is the same whatever the thread
 * count.  Writes sweep.csv and the base's scenario.ini. */
#include "cmd.h"

#include "cli.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "replysim/units.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_AXES 16      /* --vary options */
#define MAX_POINTS 10000 /* grid size */
#define MAX_DECIMALS 9   /* digits after the point in FROM:TO:STEP */

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

struct axis {
    char *key;     /* "section.key", owned */
    int n;         /* values */
    char **values; /* value texts, owned */
};

struct sweep {
    const char *path;
    const char *const *sets; /* the global --set options */
    int n_sets;
    int n_axes;
    struct axis axes[MAX_AXES];
    long n_points;
    int replications;
    uint64_t seed;
};

static void add_value(struct axis *a, char *v)
{
    char **grown = realloc(a->values, (size_t)(a->n + 1) * sizeof *grown);
    if (!grown) abort();
    a->values = grown;
    a->values[a->n++] = v;
}

/* ------------------------------------------------ FROM:TO:STEP */

/* A decimal number [+-]digits[.digits] at the start of s, as an integer
 * mantissa and its count of decimals; *rest is what follows (the unit).
 * -1 when s does not start with one or it has too many digits. */
static int parse_decimal(const char *s, long long *mant, int *decimals, const char **rest)
{
    int neg = 0, digits = 0, dec = 0, point = 0;
    long long m = 0;
    if (*s == '+' || *s == '-') neg = *s++ == '-';
    for (;; s++) {
        if (isdigit((unsigned char)*s)) {
            if (digits == 15) return -1;
            m = m * 10 + (*s - '0');
            digits++;
            dec += point;
        } else if (*s == '.' && !point) {
            point = 1;
        } else {
            break;
        }
    }
    if (digits == 0 || dec > MAX_DECIMALS) return -1;
    *mant = neg ? -m : m;
    *decimals = dec;
    *rest = s;
    return 0;
}

/* The decimal text of x / 10^decimals, without trailing zeros: 30, 3 -> "0.03". */
static void format_scaled(long long x, int decimals, char *buf, size_t len)
{
    unsigned long long u = x < 0 ? (unsigned long long)(-x) : (unsigned long long)x;
    unsigned long long scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    unsigned long long ip = u / scale, fp = u % scale;
    int n = snprintf(buf, len, "%s%llu", x < 0 ? "-" : "", ip);
    if (fp && n > 0 && (size_t)n < len) {
        int d = decimals;
        while (fp % 10 == 0)
            fp /= 10, d--;
        snprintf(buf + n, len - (size_t)n, ".%0*llu", d, fp);
    }
}

static const char expected_range[] =
    "expected FROM:TO:STEP of numbers with one unit, such as 3:8:1 or 20/h:60/h:10/h";

/* Expands FROM:TO:STEP into a's values in exact decimal arithmetic, so that
 * 0.1:0.5:0.1 gives 0.1 0.2 0.3 0.4 0.5.  Prints the error; -1 on bad input. */
static int expand_range(struct axis *a, const char *text)
{
    char *parts[3];
    const char *s = text;
    for (int i = 0; i < 3; i++) {
        const char *end = i < 2 ? strchr(s, ':') : s + strlen(s);
        parts[i] = rs_cli_dup_trim(s, (size_t)(end - s));
        s = end + 1;
    }
    long long m[3];
    int dec[3], rc = 0, maxdec = 0;
    const char *unit[3];
    for (int i = 0; i < 3 && !rc; i++) {
        rc = parse_decimal(parts[i], &m[i], &dec[i], &unit[i]);
        if (!rc && (isdigit((unsigned char)unit[i][0]) || unit[i][0] == '.')) rc = -1;
        if (!rc && dec[i] > maxdec) maxdec = dec[i];
    }
    if (!rc && (strcmp(unit[0], unit[1]) || strcmp(unit[0], unit[2]))) rc = -1;
    if (rc) {
        fprintf(stderr, "replysim sweep: --vary %s=%s: %s\n", a->key, text, expected_range);
        goto out;
    }
    for (int i = 0; i < 3; i++)
        for (int k = dec[i]; k < maxdec && !rc; k++) {
            if (m[i] > 100000000000000000LL || m[i] < -100000000000000000LL) rc = -1;
            m[i] *= 10;
        }
    if (rc) {
        fprintf(stderr, "replysim sweep: --vary %s=%s: expected at most 17 digits\n", a->key, text);
        goto out;
    }
    if (m[2] == 0 || (m[1] - m[0]) / m[2] < 0 ||
        (m[1] != m[0] && (m[1] - m[0] > 0) != (m[2] > 0))) {
        fprintf(stderr,
                "replysim sweep: --vary %s=%s: expected a STEP other than 0 that goes "
                "from FROM towards TO\n",
                a->key, text);
        rc = -1;
        goto out;
    }
    long long count = (m[1] - m[0]) / m[2] + 1;
    if (count > MAX_POINTS) {
        fprintf(stderr, "replysim sweep: --vary %s=%s: expected at most %d values, got %lld\n",
                a->key, text, MAX_POINTS, count);
        rc = -1;
        goto out;
    }
    for (long long i = 0; i < count; i++) {
        char num[64], *v;
        format_scaled(m[0] + i * m[2], maxdec, num, sizeof num);
        size_t len = strlen(num) + strlen(unit[0]) + 1;
        v = malloc(len);
        if (!v) abort();
        snprintf(v, len, "%s%s", num, unit[0]);
        add_value(a, v);
    }
out:
    for (int i = 0; i < 3; i++)
        free(parts[i]);
    return rc;
}

/* ------------------------------------------------ --vary */

static int same_key(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen) return 0;
    for (size_t i = 0; i < alen; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return 0;
    return 1;
}

/* Adds one --vary argument; prints the one-line error and returns -1 on bad
 * input.  Keys given twice are found later (against --set too). */
static int add_axis(struct sweep *sw, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char *key = eq ? rs_cli_dup_trim(arg, (size_t)(eq - arg)) : NULL;
    if (!key || !key[0] || !strchr(key, '.') || strpbrk(key, " \t,:")) {
        fprintf(stderr,
                "replysim sweep: --vary %s: expected SECTION.KEY=V1,V2,... or "
                "SECTION.KEY=FROM:TO:STEP, such as staff.agents=3:8:1\n",
                arg);
        free(key);
        return -1;
    }
    if (!strcmp(key, "scenario.seed") || !strcmp(key, "scenario.replications")) {
        fprintf(stderr,
                "replysim sweep: --vary %s: expected a key other than the seed or "
                "replications, which every point shares (use -s or -r)\n",
                key);
        free(key);
        return -1;
    }
    if (sw->n_axes == MAX_AXES) {
        fprintf(stderr, "replysim sweep: --vary %s: expected at most %d keys\n", key, MAX_AXES);
        free(key);
        return -1;
    }
    struct axis *a = &sw->axes[sw->n_axes++];
    a->key = key;
    const char *text = eq + 1;
    int colons = 0;
    for (const char *p = text; *p; p++)
        colons += *p == ':';
    if (colons == 2 && !strchr(text, ',')) return expand_range(a, text);
    const char *s = text;
    for (;;) {
        const char *end = strchr(s, ',');
        if (!end) end = s + strlen(s);
        char *v = rs_cli_dup_trim(s, (size_t)(end - s));
        if (!v[0]) {
            fprintf(stderr, "replysim sweep: --vary %s=%s: expected a value between each comma\n",
                    key, text);
            free(v);
            return -1;
        }
        add_value(a, v);
        if (!*end) break;
        s = end + 1;
    }
    return 0;
}

static void sweep_free(struct sweep *sw)
{
    for (int i = 0; i < sw->n_axes; i++) {
        for (int k = 0; k < sw->axes[i].n; k++)
            free(sw->axes[i].values[k]);
        free(sw->axes[i].values);
        free(sw->axes[i].key);
    }
    free(sw);
}

/* Index into axis k's values of point p (last axis fastest). */
static int value_index(const struct sweep *sw, long p, int k)
{
    long stride = 1;
    for (int i = sw->n_axes - 1; i > k; i--)
        stride *= sw->axes[i].n;
    return (int)(p / stride % sw->axes[k].n);
}

/* Loads point p: the file, the --set overrides, then one value of each
 * axis, with the base's seed and replications.  An error in a swept value
 * names the --vary it came from rather than "--set:N". */
static int load_point(const struct sweep *sw, long p, struct rs_scenario **out,
                      struct rs_error *err)
{
    const char *all[RS_CLI_MAX_SETS + MAX_AXES];
    char *own[MAX_AXES];
    for (int i = 0; i < sw->n_sets; i++)
        all[i] = sw->sets[i];
    for (int k = 0; k < sw->n_axes; k++) {
        const char *v = sw->axes[k].values[value_index(sw, p, k)];
        size_t len = strlen(sw->axes[k].key) + strlen(v) + 2;
        own[k] = malloc(len);
        if (!own[k]) abort();
        snprintf(own[k], len, "%s=%s", sw->axes[k].key, v);
        all[sw->n_sets + k] = own[k];
    }
    int rc = rs_scenario_load_with(sw->path, all, sw->n_sets + sw->n_axes, out, err);
    if (rc == RS_EINPUT && !strcmp(err->file, "--set") && err->line > sw->n_sets) {
        snprintf(err->file, sizeof err->file, "--vary %.200s", own[err->line - sw->n_sets - 1]);
        err->line = 0;
    }
    for (int k = 0; k < sw->n_axes; k++)
        free(own[k]);
    if (!rc) {
        (*out)->replications = sw->replications;
        (*out)->seed = sw->seed;
    }
    return rc;
}

/* ------------------------------------------------ running the points */

struct pool {
    const struct sweep *sw;
    int inner_threads; /* each point's replications run over this many */
    int progress;
    FILE *rows;       /* sweep.csv rows, in point order */
    atomic_long next; /* next point to take */
    atomic_int stop;  /* a point failed: take no more */
    pthread_mutex_t lock;
    long written; /* points appended to rows */
    char **text;  /* [point] rows formatted, waiting for their turn */
    size_t *len;
    long failed; /* first failed point, -1 when none */
    int rc;
    struct rs_error err;
};

/* A point's rows of sweep.csv: as summary.csv, after the point and values. */
static void point_rows(FILE *f, const struct sweep *sw, long p, const struct rs_results *res)
{
    for (int m = 0; m < rs_results_n_metrics(res); m++)
        for (int s = 0; s < rs_results_n_scopes(res); s++) {
            struct rs_summary sum;
            rs_results_summary(res, m, s, &sum);
            if (sum.n == 0 && s > 0) continue; /* as summary.csv: no such messages */
            fprintf(f, "%ld", p + 1);
            for (int k = 0; k < sw->n_axes; k++) {
                fputc(',', f);
                rs_report_field(f, sw->axes[k].values[value_index(sw, p, k)]);
            }
            fputc(',', f);
            rs_report_summary_row(f, rs_results_metric_name(res, m), rs_results_scope_name(res, s),
                                  &sum);
        }
}

static void *pool_worker(void *arg)
{
    struct pool *pl = arg;
    const struct sweep *sw = pl->sw;
    for (;;) {
        if (atomic_load(&pl->stop)) break;
        long p = atomic_fetch_add(&pl->next, 1);
        if (p >= sw->n_points) break;
        struct rs_error err = {0};
        struct rs_scenario *sc = NULL;
        struct rs_results *res = NULL;
        int rc = load_point(sw, p, &sc, &err);
        if (!rc) {
            struct rs_run_opts opts = {
                .replications = sc->replications, .seed = sc->seed, .threads = pl->inner_threads};
            rc = rs_experiment_run(sc, &opts, &res, &err);
        }
        char *text = NULL;
        size_t len = 0;
        if (!rc) {
            FILE *f = open_memstream(&text, &len);
            if (!f) abort();
            point_rows(f, sw, p, res);
            if (fclose(f) != 0) abort();
        }
        rs_results_destroy(res);
        rs_scenario_destroy(sc);

        pthread_mutex_lock(&pl->lock);
        if (rc) {
            /* the first point in grid order, whichever thread saw it first */
            if (pl->failed < 0 || p < pl->failed) {
                pl->failed = p;
                pl->rc = rc;
                pl->err = err;
            }
            atomic_store(&pl->stop, 1);
        } else {
            pl->text[p] = text;
            pl->len[p] = len;
            while (pl->written < sw->n_points && pl->text[pl->written]) {
                fwrite(pl->text[pl->written], 1, pl->len[pl->written], pl->rows);
                free(pl->text[pl->written]);
                pl->text[pl->written] = NULL;
                pl->written++;
            }
            if (pl->progress) {
                fprintf(stderr, "\rreplysim: %ld/%ld points", pl->written, sw->n_points);
                if (pl->written == sw->n_points) fputc('\n', stderr);
                fflush(stderr);
            }
        }
        pthread_mutex_unlock(&pl->lock);
    }
    return NULL;
}

/* Runs every point over threads; the rows land in rows in point order. */
static int run_points(const struct sweep *sw, int threads, int progress, FILE *rows,
                      struct rs_error *err)
{
    struct pool pl = {.sw = sw, .progress = progress, .rows = rows, .failed = -1};
    atomic_init(&pl.next, 0);
    atomic_init(&pl.stop, 0);
    pthread_mutex_init(&pl.lock, NULL);
    pl.text = calloc((size_t)sw->n_points, sizeof *pl.text);
    pl.len = calloc((size_t)sw->n_points, sizeof *pl.len);
    if (!pl.text || !pl.len) abort();
    int workers = threads < sw->n_points ? threads : (int)sw->n_points;
    pl.inner_threads = threads / workers;
    pthread_t *tids = calloc((size_t)workers, sizeof *tids);
    if (!tids) abort();
    int started = 0;
    for (int i = 1; i < workers; i++)
        if (pthread_create(&tids[i], NULL, pool_worker, &pl) == 0)
            started = i;
        else
            break;
    pool_worker(&pl);
    for (int i = 1; i <= started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
    for (long p = 0; p < sw->n_points; p++)
        free(pl.text[p]);
    free(pl.text);
    free(pl.len);
    pthread_mutex_destroy(&pl.lock);
    if (pl.failed >= 0) {
        *err = pl.err;
        return pl.rc;
    }
    if (ferror(rows)) return rs_error_io(err, "sweep.csv", "cannot write a temporary file");
    return RS_OK;
}

/* ------------------------------------------------ outputs */

static int copy_stream(FILE *in, FILE *out)
{
    char buf[1 << 16];
    size_t n;
    rewind(in);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    return ferror(in) ? -1 : 0;
}

static void write_header(FILE *f, const struct sweep *sw)
{
    fputs("point", f);
    for (int k = 0; k < sw->n_axes; k++) {
        fputc(',', f);
        rs_report_field(f, sw->axes[k].key);
    }
    fputs(",metric,scope,mean,ci_low,ci_high,sd,n\n", f);
}

static void write_ini(FILE *f, const struct sweep *sw, const struct rs_scenario *base)
{
    fprintf(f,
            "; replysim %s: the base scenario of `replysim sweep`.  Each point of\n"
            "; sweep.csv is this scenario with one value of each swept key set on top,\n"
            "; run on the same seed and replications (common random numbers):\n",
            RS_VERSION);
    for (int k = 0; k < sw->n_axes; k++) {
        fprintf(f, ";   --vary %s=", sw->axes[k].key);
        for (int i = 0; i < sw->axes[k].n; i++)
            fprintf(f, "%s%s", i ? "," : "", sw->axes[k].values[i]);
        fputc('\n', f);
    }
    fprintf(f,
            "; %ld points, the last key varying fastest.  Point p reruns alone with\n"
            ";   replysim run scenario.ini --set KEY=VALUE...  (its values in sweep.csv)\n",
            sw->n_points);
    rs_scenario_write(base, f);
}

/* What sweep's files are written from: the rows are in a temporary file. */
struct outputs {
    const struct sweep *sw;
    const struct rs_scenario *base;
    FILE *rows;
};

static int put_csv(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct outputs *o = ctx;
    write_header(f, o->sw);
    if (copy_stream(o->rows, f)) return rs_error_io(err, "sweep.csv", "cannot read rows back");
    return RS_OK;
}

static int put_ini(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct outputs *o = ctx;
    (void)err;
    write_ini(f, o->sw, o->base);
    return RS_OK;
}

/* ------------------------------------------------ command */

int rs_cmd_sweep(int argc, char **argv)
{
    struct rs_cli o;
    rs_cli_init(&o, "sweep", RS_CLI_RUN);
    int st = RS_EXIT_OK;
    struct sweep *sw = calloc(1, sizeof *sw);
    if (!sw) abort();
    struct rs_scenario *base = NULL;
    FILE *rows = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            goto done;
        }
        const char *val;
        int r = rs_cli_valued(argc, argv, &i, "--vary", &val);
        if (r == RS_CLI_ERROR) {
            st = rs_cli_bad(&o, a, "expected K=V1,V2,... or K=FROM:TO:STEP after it");
            goto done;
        }
        if (r == RS_CLI_TAKEN) {
            if (add_axis(sw, val)) {
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
    if (sw->n_axes == 0) {
        st = rs_cli_bad(&o, "--vary", "expected at least one, such as --vary staff.agents=3:8:1");
        goto done;
    }
    /* each key once, and not also in --set (one of the two would be ignored) */
    for (int k = 0; k < sw->n_axes; k++) {
        const char *key = sw->axes[k].key;
        size_t kl = strlen(key);
        for (int j = 0; j < k; j++)
            if (same_key(sw->axes[j].key, strlen(sw->axes[j].key), key, kl)) {
                fprintf(stderr, "replysim sweep: --vary %s: expected each key once\n", key);
                st = RS_EXIT_USAGE;
                goto done;
            }
        for (int j = 0; j < o.n_sets; j++)
            if (same_key(o.sets[j], rs_cli_set_key_len(o.sets[j]), key, kl)) {
                fprintf(stderr,
                        "replysim sweep: --vary %s: expected a key not also given with "
                        "--set\n",
                        key);
                st = RS_EXIT_USAGE;
                goto done;
            }
    }
    double grid = 1;
    for (int k = 0; k < sw->n_axes; k++)
        grid *= sw->axes[k].n;
    if (grid > MAX_POINTS) {
        fprintf(stderr, "replysim sweep: --vary: expected a grid of at most %d points, got %.0f\n",
                MAX_POINTS, grid);
        st = RS_EXIT_USAGE;
        goto done;
    }
    sw->n_points = (long)grid;
    sw->path = o.path;
    sw->sets = o.sets;
    sw->n_sets = o.n_sets;

    /* Every scenario is loaded before anything runs: bad input costs nothing. */
    st = rs_cli_load(&o, &base);
    if (st) goto done;
    struct rs_error err = {0};
    int rc;
    sw->replications = base->replications;
    sw->seed = base->seed;
    for (long p = 0; p < sw->n_points; p++) {
        struct rs_scenario *sc = NULL;
        rc = load_point(sw, p, &sc, &err);
        rs_scenario_destroy(sc);
        if (rc) {
            rs_error_print(&err, stderr);
            st = RS_EXIT_USAGE;
            goto done;
        }
    }

    int progress = !o.quiet && isatty(STDERR_FILENO);
    rows = tmpfile();
    if (!rows) {
        fprintf(stderr, "replysim sweep: cannot create a temporary file: %s\n", strerror(errno));
        st = RS_EXIT_RUNTIME;
        goto done;
    }
    rc = run_points(sw, (int)o.threads, progress, rows, &err);
    if (rc) {
        st = rs_cli_fail(&o, &err, rc);
        goto done;
    }

    char dirbuf[512];
    const char *outdir = rs_cli_outdir(&o, base, dirbuf, sizeof dirbuf);
    struct outputs out = {sw, base, rows};
    const struct rs_report_entry files[] = {{"sweep.csv", put_csv, &out},
                                            {"scenario.ini", put_ini, &out}};
    rc = rs_report_write(outdir, files, 2, &err);
    if (rc) {
        rs_error_print(&err, stderr);
        st = RS_EXIT_RUNTIME;
        goto done;
    }
    if (!o.quiet && isatty(STDOUT_FILENO))
        printf("replysim: %ld points in %s/sweep.csv\n", sw->n_points, outdir);

done:
    if (rows) fclose(rows);
    rs_scenario_destroy(base);
    sweep_free(sw);
    return st;
}
