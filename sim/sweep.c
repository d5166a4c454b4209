/* sweep.c: the grid's axes, its points over the worker pool, and its
 * files. */
#include "replysim/sweep.h"

#include "replysim/alloc.h"
#include "replysim/buf.h"
#include "replysim/csvout.h"
#include "replysim/experiment.h"
#include "replysim/pool.h"
#include "replysim/report.h"
#include "replysim/variant.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DECIMALS 9 /* digits after the point in FROM:TO:STEP */

static void add_value(struct rs_sweep_axis *a, char *v)
{
    a->values = rs_reallocarray(a->values, (size_t)a->n + 1, sizeof *a->values);
    a->values[a->n++] = v;
}

/* A copy of s[0..len) without surrounding blanks. */
static char *dup_trim(const char *s, size_t len)
{
    while (len > 0 && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return rs_strndup(s, len);
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
static void put_scaled(struct rs_buf *b, long long x, int decimals)
{
    unsigned long long u = x < 0 ? (unsigned long long)(-x) : (unsigned long long)x;
    unsigned long long scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    unsigned long long ip = u / scale, fp = u % scale;
    rs_buf_printf(b, "%s%llu", x < 0 ? "-" : "", ip);
    if (fp) {
        int d = decimals;
        while (fp % 10 == 0)
            fp /= 10, d--;
        rs_buf_printf(b, ".%0*llu", d, fp);
    }
}

/* FROM, TO and STEP of text as mantissas over one count of decimals, and
 * their unit; 0, or -1 with why. */
static int parse_range(const char *text, long long m[3], char **unit, char *why, size_t len)
{
    char *parts[3];
    const char *s = text, *rest[3];
    for (int i = 0; i < 3; i++) {
        const char *end = i < 2 ? strchr(s, ':') : s + strlen(s);
        parts[i] = dup_trim(s, (size_t)(end - s));
        s = end + 1;
    }
    int dec[3], rc = 0, maxdec = 0;
    for (int i = 0; i < 3 && !rc; i++) {
        rc = parse_decimal(parts[i], &m[i], &dec[i], &rest[i]);
        if (!rc && (isdigit((unsigned char)rest[i][0]) || rest[i][0] == '.')) rc = -1;
        if (!rc && dec[i] > maxdec) maxdec = dec[i];
    }
    if (!rc && (strcmp(rest[0], rest[1]) || strcmp(rest[0], rest[2]))) rc = -1;
    if (rc)
        rs_error_why(why, len,
                     "expected FROM:TO:STEP of numbers with one unit, such as 3:8:1 "
                     "or 20/h:60/h:10/h");
    for (int i = 0; i < 3 && !rc; i++)
        for (int k = dec[i]; k < maxdec && !rc; k++) {
            if (m[i] > 100000000000000000LL || m[i] < -100000000000000000LL) {
                rs_error_why(why, len, "expected at most 17 digits");
                rc = -1;
            }
            m[i] *= 10;
        }
    if (!rc) {
        *unit = rs_strdup(rest[0]);
    }
    for (int i = 0; i < 3; i++)
        free(parts[i]);
    return rc ? rc : maxdec;
}

/* Expands FROM:TO:STEP into a's values in exact decimal arithmetic, so
 * that 0.1:0.5:0.1 gives 0.1 0.2 0.3 0.4 0.5.  0, or -1 with why. */
static int expand_range(struct rs_sweep_axis *a, const char *text, char *why, size_t len)
{
    long long m[3];
    char *unit = NULL;
    int maxdec = parse_range(text, m, &unit, why, len);
    if (maxdec < 0) return -1;
    int rc = 0;
    long long count = 0;
    if (m[2] == 0 || (m[1] - m[0]) / m[2] < 0 ||
        (m[1] != m[0] && (m[1] - m[0] > 0) != (m[2] > 0))) {
        rs_error_why(why, len, "expected a STEP other than 0 that goes from FROM towards TO");
        rc = -1;
    } else {
        count = (m[1] - m[0]) / m[2] + 1;
        if (count > RS_SWEEP_MAX_POINTS) {
            rs_error_why(why, len, "expected at most %d values, got %lld", RS_SWEEP_MAX_POINTS,
                         count);
            rc = -1;
        }
    }
    for (long long i = 0; i < count && !rc; i++) {
        struct rs_buf b = RS_BUF_INIT;
        put_scaled(&b, m[0] + i * m[2], maxdec);
        rs_buf_puts(&b, unit);
        add_value(a, rs_buf_detach(&b));
    }
    free(unit);
    return rc;
}

/* ------------------------------------------------ axes */

int rs_sweep_add_axis(struct rs_sweep *sw, const char *key, const char *text, char *why, size_t len)
{
    struct rs_sweep_axis a = {rs_strdup(key), 0, NULL};
    int colons = 0, rc = 0;
    for (const char *p = text; *p; p++)
        colons += *p == ':';
    if (colons == 2 && !strchr(text, ',')) rc = expand_range(&a, text, why, len);
    for (const char *s = text; !(colons == 2 && !strchr(text, ',')) && !rc;) {
        const char *end = strchr(s, ',');
        if (!end) end = s + strlen(s);
        char *v = dup_trim(s, (size_t)(end - s));
        if (!v[0]) {
            rs_error_why(why, len, "expected a value between each comma");
            free(v);
            rc = -1;
            break;
        }
        add_value(&a, v);
        if (!*end) break;
        s = end + 1;
    }
    if (rc || sw->n_axes == RS_SWEEP_MAX_AXES) {
        if (!rc) rs_error_why(why, len, "expected at most %d keys", RS_SWEEP_MAX_AXES);
        for (int i = 0; i < a.n; i++)
            free(a.values[i]);
        free(a.values);
        free(a.key);
        return -1;
    }
    sw->axes[sw->n_axes++] = a;
    return 0;
}

void rs_sweep_free(struct rs_sweep *sw)
{
    for (int i = 0; i < sw->n_axes; i++) {
        for (int k = 0; k < sw->axes[i].n; k++)
            free(sw->axes[i].values[k]);
        free(sw->axes[i].values);
        free(sw->axes[i].key);
    }
    sw->n_axes = 0;
}

const char *rs_sweep_value(const struct rs_sweep *sw, long p, int k)
{
    long stride = 1;
    for (int i = sw->n_axes - 1; i > k; i--)
        stride *= sw->axes[i].n;
    return sw->axes[k].values[p / stride % sw->axes[k].n];
}

int rs_sweep_load_point(const struct rs_sweep *sw, long p, struct rs_scenario **out,
                        struct rs_error *err)
{
    char *own[RS_SWEEP_MAX_AXES];
    for (int k = 0; k < sw->n_axes; k++) {
        struct rs_buf b = RS_BUF_INIT;
        rs_buf_printf(&b, "%s=%s", sw->axes[k].key, rs_sweep_value(sw, p, k));
        own[k] = rs_buf_detach(&b);
    }
    const struct rs_variant v = {sw->path,   sw->sets, sw->n_sets, (const char *const *)own,
                                 sw->n_axes, "--vary", 1};
    int rc = rs_variant_load(&v, out, err);
    for (int k = 0; k < sw->n_axes; k++)
        free(own[k]);
    if (!rc) {
        (*out)->replications = sw->replications;
        (*out)->seed = sw->seed;
    }
    return rc;
}

/* ------------------------------------------------ running the points */

struct run {
    const struct rs_sweep *sw;
    int inner_threads; /* each point's replications run over this many */
    FILE *rows;        /* sweep.csv rows, in point order */
    pthread_mutex_t lock;
    long written; /* points appended to rows */
    char **text;  /* [point] rows formatted, waiting for their turn */
    size_t *len;
    long failed; /* first failed point, -1 when none */
    int rc;
    struct rs_error err;
};

/* A point's rows of sweep.csv: as summary.csv, after the point and values. */
static void point_rows(FILE *f, const struct rs_sweep *sw, long p, const struct rs_results *res)
{
    for (int m = 0; m < rs_results_n_metrics(res); m++)
        for (int s = 0; s < rs_results_n_scopes(res); s++) {
            struct rs_summary sum;
            rs_results_summary(res, m, s, &sum);
            if (sum.n == 0 && s > 0) continue; /* as summary.csv: no such messages */
            fprintf(f, "%ld", p + 1);
            for (int k = 0; k < sw->n_axes; k++) {
                fputc(',', f);
                rs_csvout_field(f, rs_sweep_value(sw, p, k));
            }
            fputc(',', f);
            rs_report_summary_row(f, rs_results_metric_name(res, m), rs_results_scope_name(res, s),
                                  &sum);
        }
}

/* Runs point p and formats its rows into *text; RS_OK or an RS_E* code. */
static int run_point(const struct run *r, long p, char **text, size_t *len, struct rs_error *err)
{
    struct rs_scenario *sc = NULL;
    struct rs_results *res = NULL;
    int rc = rs_sweep_load_point(r->sw, p, &sc, err);
    if (!rc) {
        struct rs_run_opts opts = {.replications = sc->replications,
                                   .seed = sc->seed,
                                   .threads = r->inner_threads,
                                   .want = RS_WANT_METRICS}; /* sweep.csv only */
        rc = rs_experiment_run(sc, &opts, &res, err);
    }
    FILE *f = rc ? NULL : open_memstream(text, len);
    if (f) {
        point_rows(f, r->sw, p, res);
        if (fclose(f) != 0) f = NULL;
    }
    if (!rc && !f)
        rc = rs_error_io(err, "sweep.csv", "cannot format a point's rows: %s", strerror(errno));
    rs_results_destroy(res);
    rs_scenario_destroy(sc);
    return rc;
}

/* Appends the rows of every finished point that is next in order (lock held). */
static void flush_rows(struct run *r)
{
    const struct rs_sweep *sw = r->sw;
    while (r->written < sw->n_points && r->text[r->written]) {
        fwrite(r->text[r->written], 1, r->len[r->written], r->rows);
        free(r->text[r->written]);
        r->text[r->written] = NULL;
        r->written++;
    }
    if (sw->progress) {
        struct rs_progress pr = {
            .what = RS_PROGRESS_POINTS, .done = r->written, .total = sw->n_points};
        sw->progress(sw->progress_ctx, &pr);
    }
}

/* Keeps point p's outcome: its rows, appended in turn when flush, or its
 * error when it is the first failed point in grid order, whichever thread
 * saw it first.  Takes text. */
static void store_point(struct run *r, long p, int rc, const struct rs_error *err, char *text,
                        size_t len, int flush)
{
    pthread_mutex_lock(&r->lock);
    if (rc) {
        free(text);
        if (r->failed < 0 || p < r->failed) {
            r->failed = p;
            r->rc = rc;
            r->err = *err;
        }
    } else {
        r->text[p] = text;
        r->len[p] = len;
        if (flush) flush_rows(r);
    }
    pthread_mutex_unlock(&r->lock);
}

/* One point, a task of the pool.  A point run to be shipped leaves its
 * rows for pack_point. */
static int point_task(void *ctx, long p)
{
    struct run *r = ctx;
    struct rs_error err = {0};
    char *text = NULL;
    size_t len = 0;
    int rc = run_point(r, p, &text, &len, &err);
    store_point(r, p, rc, &err, text, len, !rs_pool_shipping());
    return rc;
}

/* A point's outcome as bytes, for a pool backend (pool.h): its rows, or
 * its error.  The rows then go their way as point_task's would have. */
static void pack_point(void *ctx, long p, int rc, struct rs_buf *out)
{
    struct run *r = ctx;
    pthread_mutex_lock(&r->lock);
    if (rc) {
        struct rs_error none = {0};
        const struct rs_error *e = r->failed == p ? &r->err : &none;
        rs_buf_putn(out, (const char *)e, sizeof *e);
    } else if (r->text[p]) {
        rs_buf_putn(out, r->text[p], r->len[p]);
        flush_rows(r);
    }
    pthread_mutex_unlock(&r->lock);
}

static int unpack_point(void *ctx, long p, int rc, const char *bytes, size_t len)
{
    struct run *r = ctx;
    if (rc) {
        struct rs_error e;
        if (len != sizeof e) return RS_EINPUT;
        memcpy(&e, bytes, sizeof e);
        e.file[sizeof e.file - 1] = e.key[sizeof e.key - 1] = e.msg[sizeof e.msg - 1] = '\0';
        store_point(r, p, rc, &e, NULL, 0, 1);
        return RS_OK;
    }
    char *text = rs_malloc(len + 1);
    memcpy(text, bytes, len);
    text[len] = '\0';
    store_point(r, p, rc, NULL, text, len, 1);
    return RS_OK;
}

static const struct rs_pool_codec point_codec = {pack_point, unpack_point};

int rs_sweep_run(const struct rs_sweep *sw, int threads, FILE *rows, struct rs_error *err)
{
    struct run r = {.sw = sw, .rows = rows, .failed = -1};
    pthread_mutex_init(&r.lock, NULL);
    r.text = rs_calloc((size_t)sw->n_points, sizeof *r.text);
    r.len = rs_calloc((size_t)sw->n_points, sizeof *r.len);
    long workers = threads < sw->n_points ? threads : sw->n_points;
    r.inner_threads = (int)(threads / workers);
    rs_pool_run_shipped(sw->n_points, threads, point_task, &point_codec, &r);
    for (long p = 0; p < sw->n_points; p++)
        free(r.text[p]);
    free(r.text);
    free(r.len);
    pthread_mutex_destroy(&r.lock);
    if (r.failed >= 0) {
        *err = r.err;
        return r.rc;
    }
    if (ferror(rows)) return rs_error_io(err, "sweep.csv", "cannot write a temporary file");
    return RS_OK;
}

/* ------------------------------------------------ files */

struct files {
    const struct rs_sweep *sw;
    const struct rs_scenario *base;
    FILE *rows;
};

static int put_csv(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct files *o = ctx;
    fputs("point", f);
    for (int k = 0; k < o->sw->n_axes; k++) {
        fputc(',', f);
        rs_csvout_field(f, o->sw->axes[k].key);
    }
    fputs(",metric,scope,mean,ci_low,ci_high,sd,n\n", f);
    char buf[1 << 16];
    size_t n;
    rewind(o->rows);
    while ((n = fread(buf, 1, sizeof buf, o->rows)) > 0)
        fwrite(buf, 1, n, f);
    if (ferror(o->rows)) return rs_error_io(err, "sweep.csv", "cannot read rows back");
    return RS_OK;
}

static int put_ini(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct files *o = ctx;
    const struct rs_sweep *sw = o->sw;
    (void)err;
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
    rs_scenario_write(o->base, f);
    return RS_OK;
}

int rs_sweep_write(const char *dir, const struct rs_sweep *sw, const struct rs_scenario *base,
                   FILE *rows, struct rs_error *err)
{
    struct files o = {sw, base, rows};
    const struct rs_report_entry files[] = {{"sweep.csv", put_csv, &o},
                                            {"scenario.ini", put_ini, &o}};
    return rs_report_write(dir, files, 2, err);
}
