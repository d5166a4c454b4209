/* scenario_csv.c: the scenario's CSV inputs: rate profiles and staffing
 * schedules (time,value series) and traces of real arrivals.  csvin.c
 * splits the file into cells; here the cells become numbers, with errors
 * naming the CSV file, its line and column. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "scenario_int.h"

#include "replysim/alloc.h"
#include "replysim/csvin.h"
#include "replysim/units.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WHY_LEN RS_SCN_WHY
#define MAX_LINE RS_SCN_MAX_LINE

void rs_scn_series_free(struct rs_series *s)
{
    free(s->t_s);
    free(s->value);
    s->t_s = s->value = NULL;
    s->n = 0;
}

void rs_scn_trace_free(struct rs_trace *t)
{
    free(t->t_s);
    free(t->type);
    free(t->followers);
    free(t->handle_s);
    free(t->thread_of);
    t->t_s = t->followers = t->handle_s = NULL;
    t->type = t->thread_of = NULL;
    t->n = 0;
}

/* "dir/name", or name when it is absolute or dir is the current folder. */
int rs_scn_join_path(const char *dir, const char *name, char *out, size_t cap)
{
    int n = name[0] == '/' || !dir[0] ? snprintf(out, cap, "%s", name)
                                      : snprintf(out, cap, "%s/%s", dir, name);
    return n >= 0 && (size_t)n < cap ? RS_OK : RS_EINPUT;
}

/* Opens the CSV named by key of section (kind, i), relative to the folder
 * of the file that gave the key; fills real with its absolute path. */
static int open_csv(struct load *ld, int kind, int i, const char *key, struct rs_csvin **out,
                    char *real, size_t real_cap)
{
    struct rs_error *err = rs_scn_load_err(ld);
    struct checker ck = {rs_scn_load_sc(ld), ld, err, rs_scn_load_file(ld, 0)};
    const char *file;
    int line = rs_scn_line_of(&ck, kind, i, key, &file);
    const char *name = rs_scn_load_kept(ld, kind, i, key);
    char path[RS_PATH_MAX], abs[PATH_MAX];
    if (!name[0]) return rs_scn_fail(&ck, kind, i, key, "expected a CSV file name");
    int k = rs_scn_key_index(kind, key);
    if (rs_scn_join_path(rs_scn_load_dir(ld, kind, i, k), name, path, sizeof path))
        return rs_scn_fail(&ck, kind, i, key, "expected a path of at most %d characters",
                           RS_PATH_MAX - 1);
    int rc = rs_csvin_read(path, path, out, err);
    if (rc == RS_EIO) { /* a missing input is the scenario's fault: bad input */
        char msg[sizeof err->msg];
        memcpy(msg, err->msg, sizeof msg);
        return rs_error_input(err, file, line, key, "%s", msg);
    }
    if (rc) return rc;
    if (!realpath(path, abs) || strlen(abs) >= real_cap) {
        rs_csvin_destroy(*out);
        return rs_scn_fail(&ck, kind, i, key,
                           "cannot resolve \"%s\" to a path of at most %d characters", path,
                           RS_PATH_MAX - 1);
    }
    memcpy(real, abs, strlen(abs) + 1);
    return RS_OK;
}

/* A time cell: a duration from start ("2d14h", weekly = 0) or "day HH:MM"
 * (weekly = 1, seconds after mon 00:00). */
static int time_cell(const char *cell, int *weekly, double *t, char *why, size_t n)
{
    char day[MAX_LINE + 1];
    if (!((cell[0] >= 'a' && cell[0] <= 'z') || (cell[0] >= 'A' && cell[0] <= 'Z'))) {
        *weekly = 0;
        return rs_units_duration(cell, t, why, n);
    }
    size_t len = strcspn(cell, " \t");
    rs_scn_trim(cell, len, day, sizeof day);
    int d;
    double c;
    if (rs_units_weekday(day, &d, why, n)) return RS_EINPUT;
    if (rs_units_clock(cell + len, &c, why, n) || c >= 86400) {
        rs_error_why(why, n,
                     "expected a weekday and clock time from 00:00 to 23:59 such as "
                     "mon 09:00, got \"%s\"",
                     cell);
        return RS_EINPUT;
    }
    *weekly = 1;
    *t = d * 86400.0 + c;
    return RS_OK;
}

/* A profile (value "multiplier") or schedule ("agents", whole numbers). */
int rs_scn_read_series(struct load *ld, int kind, int i, const char *key, const char *column,
                       int whole, struct rs_series *out)
{
    struct rs_csvin *c = NULL;
    char real[RS_PATH_MAX], why[WHY_LEN];
    int rc = open_csv(ld, kind, i, key, &c, real, sizeof real);
    if (rc) return rc;
    struct rs_error *err = rs_scn_load_err(ld);
    int first = 0, one_column = !whole && c->n_cols == 1;
    if (c->n_rows == 0) {
        rc = rs_csvin_fail(err, c, -1, NULL, "expected rows of time,%s, got an empty file", column);
        goto done;
    }
    if (one_column) {
        first = strcmp(c->rows[0].cells[0], column) == 0; /* optional header */
        if (c->n_rows - first != 168) {
            rc = rs_csvin_fail(err, c, c->n_rows > 168 + first ? 168 + first : -1, column,
                               "expected 168 hour-of-week rows (mon 00:00 first), got %d",
                               c->n_rows - first);
            goto done;
        }
    } else if (c->n_cols != 2 || strcmp(c->rows[0].cells[0], "time") != 0 ||
               strcmp(c->rows[0].cells[1], column) != 0) {
        rc = rs_csvin_fail(err, c, 0, NULL, "expected a header row time,%s%s", column,
                           whole ? "" : ", or one column of 168 hour-of-week multipliers");
        goto done;
    } else {
        first = 1;
        if (c->n_rows < 2) {
            rc = rs_csvin_fail(err, c, 0, NULL, "expected at least one row after the header");
            goto done;
        }
    }
    int n = c->n_rows - first;
    rs_scn_series_free(out);
    out->t_s = rs_calloc((size_t)n, sizeof *out->t_s);
    out->value = rs_calloc((size_t)n, sizeof *out->value);
    out->n = n;
    out->weekly = 1;
    for (int r = first; r < c->n_rows && !rc; r++) {
        char **cell = c->rows[r].cells;
        const char *vcell = cell[one_column ? 0 : 1];
        int k = r - first, weekly = 1;
        double t = k * 3600.0, v = 0;
        if (!one_column && time_cell(cell[0], &weekly, &t, why, sizeof why)) {
            rc = rs_csvin_fail(err, c, r, "time", "%s", why);
        } else if (!one_column && k == 0 && !weekly && t != 0) {
            rc = rs_csvin_fail(err, c, r, "time", "expected 0s in the first row, got \"%s\"",
                               cell[0]);
        } else if (k > 0 && weekly != out->weekly) {
            rc = rs_csvin_fail(err, c, r, "time", "expected %s as in the first row, got \"%s\"",
                               out->weekly ? "a weekday and clock time such as mon 09:00"
                                           : "a duration from start such as 2d14h",
                               cell[0]);
        } else if (k > 0 && !(t > out->t_s[k - 1])) {
            rc = rs_csvin_fail(err, c, r, "time",
                               "expected times increasing row by row, got \"%s\"", cell[0]);
        } else if (whole) {
            long a = 0;
            if (rs_units_int(vcell, 0, INT_MAX, &a, why, sizeof why))
                rc = rs_csvin_fail(err, c, r, column, "%s", why);
            v = (double)a;
        } else if (rs_units_number(vcell, &v, why, sizeof why)) {
            rc = rs_csvin_fail(err, c, r, column, "%s", why);
        } else if (!(v >= 0)) {
            rc = rs_csvin_fail(err, c, r, column, "expected a number >= 0, got \"%s\"", vcell);
        }
        if (rc) break;
        if (k == 0) out->weekly = weekly;
        out->t_s[k] = t;
        out->value[k] = v;
    }
    if (rc)
        rs_scn_series_free(out);
    else
        memcpy(out->path, real, sizeof out->path);
done:
    rs_csvin_destroy(c);
    return rc;
}

/* A timestamp (ISO 8601, UTC or with a zone) to seconds since 1970. */
static int iso_cell(const char *s, double *out)
{
    return rs_units_timestamp(s, out, NULL, NULL, 0);
}

/* t = 0 for timestamps: the latest moment at or before the first one that
 * falls on the scenario's start (weekday and clock). */
static double trace_origin(const struct rs_scenario *sc, double first)
{
    double day = floor(first / 86400);
    int weekday = (int)(((long)day % 7 + 7 + 3) % 7); /* 1970-01-01 was a thursday */
    double week_s = weekday * 86400.0 + (first - day * 86400);
    double start_s = sc->start_day * 86400.0 + sc->start_clock_s;
    return first - fmod(week_s - start_s + RS_WEEK_S, RS_WEEK_S);
}

enum { COL_TIME, COL_TYPE, COL_FOLLOWERS, COL_HANDLE, COL_FOLLOWS, N_COLS };
static const char *const trace_columns[N_COLS] = {"time", "type", "followers", "handle", "follows"};

/* A follows cell of row k + 1: the number of an earlier row (1 = the first
 * after the header) whose thread the row follows up, into thread_of[k]
 * (-1 when empty). */
static int trace_follows(const struct rs_csvin *c, int r, const char *v, int *out,
                         struct rs_error *err)
{
    *out = -1;
    if (!v[0]) return RS_OK;
    char *end = NULL;
    long j = strtol(v, &end, 10);
    if (r == 1)
        return rs_csvin_fail(err, c, r, "follows",
                             "expected nothing in the first row (no row is earlier), got \"%s\"",
                             v);
    if (*end || end == v || j < 1 || j >= r)
        return rs_csvin_fail(err, c, r, "follows",
                             "expected the number of an earlier row (1 to %d) or nothing, got "
                             "\"%s\"",
                             r - 1, v);
    *out = (int)j - 1;
    return RS_OK;
}

/* The optional cells of row r (type, followers, handle, follows) into arrival r - 1;
 * *full drops to 0 at a row without a type. */
static int trace_extras(const struct rs_scenario *sc, const struct rs_csvin *c, int r,
                        const int *col, struct rs_trace *out, int *full, struct rs_error *err)
{
    char why[WHY_LEN];
    char **cell = c->rows[r].cells;
    int k = r - 1;
    out->type[k] = -1;
    out->followers[k] = NAN;
    out->handle_s[k] = NAN;
    if (col[COL_TYPE] >= 0) {
        const char *v = cell[col[COL_TYPE]];
        out->type[k] = v[0] ? rs_scenario_type(sc, v) : -1;
        if (!v[0]) {
            *full = 0;
        } else if (out->type[k] < 0) {
            return rs_csvin_fail(err, c, r, "type",
                                 "expected a type defined by a [type NAME] section, got \"%s\"", v);
        }
    }
    if (col[COL_FOLLOWERS] >= 0 && cell[col[COL_FOLLOWERS]][0] &&
        rs_scn_nonneg(cell[col[COL_FOLLOWERS]], &out->followers[k], why, sizeof why))
        return rs_csvin_fail(err, c, r, "followers", "%s", why);
    if (col[COL_HANDLE] >= 0 && cell[col[COL_HANDLE]][0] &&
        rs_units_duration(cell[col[COL_HANDLE]], &out->handle_s[k], why, sizeof why))
        return rs_csvin_fail(err, c, r, "handle", "%s", why);
    if (col[COL_FOLLOWS] >= 0)
        return trace_follows(c, r, cell[col[COL_FOLLOWS]], &out->thread_of[k], err);
    return RS_OK;
}

/* *full: every row names its type (no mix needed to draw one). */
int rs_scn_read_trace(struct load *ld, int i, int *full)
{
    struct rs_trace *out = &rs_scn_load_sc(ld)->channels[i].trace;
    struct rs_csvin *c = NULL;
    char real[RS_PATH_MAX], why[WHY_LEN];
    struct rs_error *err = rs_scn_load_err(ld);
    int rc = open_csv(ld, SEC_CHANNEL, i, "trace", &c, real, sizeof real);
    if (rc) return rc;
    int col[N_COLS] = {-1, -1, -1, -1, -1};
    if (c->n_rows == 0) {
        rc = rs_csvin_fail(err, c, -1, NULL,
                           "expected a header row such as time,type, got an empty file");
        goto done;
    }
    for (int j = 0; j < c->n_cols; j++) {
        const char *h = c->rows[0].cells[j];
        int k;
        if (rs_scn_word(h, trace_columns, N_COLS, &k, why, sizeof why,
                        "a header row of columns time, type, followers, handle, follows")) {
            rc = rs_csvin_fail(err, c, 0, NULL, "%s", why);
            goto done;
        }
        if (col[k] >= 0) {
            rc = rs_csvin_fail(err, c, 0, NULL, "expected each column once, got \"%s\" twice", h);
            goto done;
        }
        col[k] = j;
    }
    if (col[COL_TIME] < 0) {
        rc = rs_csvin_fail(err, c, 0, NULL, "expected a header row with a time column");
        goto done;
    }
    if (c->n_rows < 2) {
        rc = rs_csvin_fail(err, c, 0, NULL, "expected at least one row after the header");
        goto done;
    }
    int n = c->n_rows - 1, iso = 0;
    rs_scn_trace_free(out);
    out->t_s = rs_calloc((size_t)n, sizeof *out->t_s);
    out->type = rs_calloc((size_t)n, sizeof *out->type);
    out->followers = rs_calloc((size_t)n, sizeof *out->followers);
    out->handle_s = rs_calloc((size_t)n, sizeof *out->handle_s);
    if (col[COL_FOLLOWS] >= 0) out->thread_of = rs_calloc((size_t)n, sizeof *out->thread_of);
    out->n = n;
    *full = col[COL_TYPE] >= 0;
    for (int r = 1; r <= n && !rc; r++) {
        char **cell = c->rows[r].cells;
        const char *tc = cell[col[COL_TIME]];
        int k = r - 1, is_iso = tc[0] >= '0' && tc[0] <= '9' && strlen(tc) >= 10 && tc[4] == '-';
        double t;
        if (k == 0) iso = is_iso;
        if (is_iso != iso) {
            rc = rs_csvin_fail(err, c, r, "time", "expected %s as in the first row, got \"%s\"",
                               iso ? "a timestamp such as 2015-10-14T09:30Z"
                                   : "a duration from start such as 2d14h",
                               tc);
            break;
        }
        if (iso ? iso_cell(tc, &t) : rs_units_duration(tc, &t, why, sizeof why)) {
            rc = rs_csvin_fail(err, c, r, "time",
                               "expected a duration from start such as 2d14h or a timestamp "
                               "such as 2015-10-14T09:30Z, got \"%s\"",
                               tc);
            break;
        }
        if (k > 0 && t < out->t_s[k - 1]) {
            rc = rs_csvin_fail(err, c, r, "time",
                               "expected rows sorted by time, got \"%s\" after a later time", tc);
            break;
        }
        out->t_s[k] = t;
        rc = trace_extras(rs_scn_load_sc(ld), c, r, col, out, full, err);
    }
    if (!rc && iso) {
        double t0 = trace_origin(rs_scn_load_sc(ld), out->t_s[0]);
        for (int k = 0; k < n; k++)
            out->t_s[k] -= t0;
    }
    if (rc)
        rs_scn_trace_free(out);
    else
        memcpy(out->path, real, sizeof out->path);
done:
    rs_csvin_destroy(c);
    return rc;
}
