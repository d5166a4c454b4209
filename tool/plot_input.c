/* plot_input.c: the checks of the files `replysim plot` reads (plot.h): a
 * results folder may come from anyone. */
#include "plot.h"

#include "replysim/csvin.h"
#include "replysim/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rs_plot_text(const char *s, int commas, char *why, size_t n)
{
    size_t len = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, len++) {
        if (*p < 0x20 || *p == 0x7f) {
            rs_error_why(why, n, "expected text without control characters");
            return -1;
        }
        if (*p == '"' || (*p == ',' && !commas)) {
            rs_error_why(why, n, "expected text without %s",
                         commas ? "quotes" : "quotes or commas");
            return -1;
        }
    }
    if (len > RS_PLOT_MAX_TEXT) {
        rs_error_why(why, n, "expected at most %d characters, got %zu", RS_PLOT_MAX_TEXT, len);
        return -1;
    }
    return 0;
}

static const char *digits(const char *p)
{
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

int rs_plot_number(const char *s, double *x)
{
    const char *p = s;
    if (*p == '-' || *p == '+') p++;
    const char *d = digits(p);
    int whole = d > p;
    p = d;
    if (*p == '.') {
        d = digits(p + 1);
        if (!whole && d == p + 1) return -1;
        p = d;
    } else if (!whole) {
        return -1;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+') p++;
        d = digits(p);
        if (d == p) return -1;
        p = d;
    }
    if (*p) return -1;
    *x = strtod(s, NULL);
    return isfinite(*x) ? 0 : -1;
}

/* The header of c against cols: RS_OK or RS_EINPUT. */
static int check_header(const struct rs_csvin *c, const struct rs_plot_col *cols, int n,
                        struct rs_error *err)
{
    for (int k = 0; k < n; k++) {
        int at = rs_csvin_column(c, cols[k].name);
        if (at < 0 || (cols[k].at >= 0 && at != cols[k].at)) {
            if (cols[k].at < 0)
                return rs_csvin_fail(err, c, 0, NULL, "expected a column %s", cols[k].name);
            return rs_csvin_fail(err, c, 0, NULL, "expected column %d to be %s", cols[k].at + 1,
                                 cols[k].name);
        }
    }
    return RS_OK;
}

/* Every cell of c plain text, the number columns numbers or blank. */
static int check_cells(const struct rs_csvin *c, const struct rs_plot_col *cols, int n,
                       struct rs_error *err)
{
    char why[160];
    for (int r = 0; r < c->n_rows; r++) {
        char **cell = c->rows[r].cells;
        for (int j = 0; j < c->n_cols; j++)
            if (rs_plot_text(cell[j], 0, why, sizeof why))
                return rs_csvin_fail(err, c, r, r ? c->rows[0].cells[j] : NULL, "%s", why);
        for (int k = 0; k < n && r > 0; k++) {
            const char *v = cell[rs_csvin_column(c, cols[k].name)];
            double x;
            if (cols[k].number && v[0] && rs_plot_number(v, &x))
                return rs_csvin_fail(err, c, r, cols[k].name, "expected a number or a blank");
        }
    }
    return RS_OK;
}

int rs_plot_table(const char *path, const struct rs_plot_col *cols, int n, struct rs_csvin **out,
                  struct rs_error *err)
{
    struct rs_csvin *c = NULL;
    int rc = rs_csvin_read(path, path, &c, err);
    if (rc) return rc;
    if (c->n_rows < 1)
        rc = rs_error_input(err, path, 1, NULL,
                            "expected a header naming the columns, got an "
                            "empty file");
    if (!rc) rc = check_header(c, cols, n, err);
    if (!rc && c->n_rows < 2) rc = rs_csvin_fail(err, c, 0, NULL, "expected rows after the header");
    if (!rc) rc = check_cells(c, cols, n, err);
    if (rc) {
        rs_csvin_destroy(c);
        return rc;
    }
    *out = c;
    return RS_OK;
}
