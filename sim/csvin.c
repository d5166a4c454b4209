/* csvin.c: reading CSV input files with libcsv (see csvin.h).
 *
 * libcsv reports cells and row ends through callbacks.  With CSV_REPALL_NL
 * it also reports every unquoted line break, even on empty lines, and hands
 * the break to the row callback, so we count lines from those plus the
 * breaks inside quoted cells, and see blank lines that would otherwise be
 * skipped in silence. */
#include "replysim/csvin.h"

#include "replysim/alloc.h"
#include "replysim/file.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    struct rs_csvin *c;
    struct rs_error *err;
    int rc;       /* first error, RS_OK while none */
    int line;     /* line the parser is on */
    int row_line; /* line of the row being read, 0 before its first cell */
    char **cells; /* cells of the row being read */
    int n_cells, cap_cells;
    int cap_rows;
    int blank_line; /* first blank line since the last row, 0 when none */
    int prev_cr;    /* the last row end was \r: a \n next is the same break */
};

int rs_csvin_fail(struct rs_error *err, const struct rs_csvin *c, int row, const char *column,
                  const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* no such row (a count of rows is wrong): the last row's line, where
     * rows are missing or one too many, or 1 in an empty file */
    int line = row >= 0 && row < c->n_rows ? c->rows[row].line
               : c->n_rows > 0             ? c->rows[c->n_rows - 1].line
                                           : 1;
    return rs_error_input(err, c->label, line, column, "%s", msg);
}

static void free_cells(char **cells, int n)
{
    for (int i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

static void on_cell(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->rc) return;
    if (r->row_line == 0) {
        if (r->blank_line) {
            r->rc = rs_error_input(r->err, r->c->label, r->blank_line, NULL,
                                   "expected no blank line between rows");
            return;
        }
        r->row_line = r->line;
    }
    if (r->n_cells == RS_CSVIN_MAX_CELLS) { /* quoted breaks: a row of many short lines */
        r->rc = rs_error_input(r->err, r->c->label, r->row_line, NULL,
                               "expected rows of at most %d cells", RS_CSVIN_MAX_CELLS);
        return;
    }
    if (r->n_cells == r->cap_cells) {
        r->cap_cells = r->cap_cells ? 2 * r->cap_cells : 8;
        r->cells = rs_reallocarray(r->cells, (size_t)r->cap_cells, sizeof *r->cells);
    }
    char *cell = rs_malloc(len + 1);
    if (len) memcpy(cell, s, len);
    cell[len] = '\0';
    r->cells[r->n_cells++] = cell;
    for (size_t i = 0; i < len; i++)
        if (cell[i] == '\n' || (cell[i] == '\r' && (i + 1 == len || cell[i + 1] != '\n')))
            r->line++;
}

static void on_row(int c, void *data)
{
    struct reader *r = data;
    if (r->rc) return;
    if (r->n_cells == 0) { /* an empty line, or the \n of a \r\n */
        if (c == '\n' && r->prev_cr) {
            /* the \n of a \r\n: the \r counted the line */
        } else if (c == '\n' || c == '\r') {
            if (!r->blank_line) r->blank_line = r->line;
            r->line++; /* a lone \r ends a line too */
        }
        r->prev_cr = c == '\r';
        return;
    }
    struct rs_csvin *t = r->c;
    if (t->n_rows == 0) {
        t->n_cols = r->n_cells;
    } else if (r->n_cells != t->n_cols) {
        r->rc = rs_error_input(r->err, t->label, r->row_line, NULL,
                               "expected %d cells as in line %d, got %d", t->n_cols,
                               t->rows[0].line, r->n_cells);
        return;
    }
    if (t->n_rows == RS_CSVIN_MAX_ROWS) {
        r->rc = rs_error_input(r->err, t->label, r->row_line, NULL, "expected at most %d rows",
                               RS_CSVIN_MAX_ROWS);
        return;
    }
    if (t->n_rows == r->cap_rows) {
        r->cap_rows = r->cap_rows ? 2 * r->cap_rows : 64;
        t->rows = rs_reallocarray(t->rows, (size_t)r->cap_rows, sizeof *t->rows);
    }
    t->rows[t->n_rows].line = r->row_line;
    /* fitted to its cells (at least one, so that a pointer stays) */
    t->rows[t->n_rows].cells =
        rs_reallocarray(r->cells, (size_t)(r->n_cells ? r->n_cells : 1), sizeof *r->cells);
    t->n_rows++;
    r->cells = NULL;
    r->n_cells = r->cap_cells = 0;
    r->row_line = 0;
    if (c == '\n' || c == '\r') r->line++;
    r->prev_cr = c == '\r';
}

/* Lengths of lines and cells, bounded while the file is read: a cell of
 * 100 MB is refused after its first RS_CSVIN_MAX_CELL bytes, not after
 * reading and parsing it whole (libcsv grows a cell in small steps). */
enum scan_state { AT_START, IN_PLAIN, IN_QUOTES, QUOTE_IN_QUOTES };

struct scan {
    enum scan_state st;
    int line;        /* line of the byte being scanned */
    int cell_line;   /* line the cell being scanned starts on */
    size_t line_len; /* bytes of this line so far, breaks left out */
    size_t cell_len; /* bytes of this cell so far */
};

static int is_break(char ch) { return ch == '\n' || ch == '\r'; }

/* The cell state after byte ch. */
static void scan_cell(struct scan *s, char ch)
{
    switch (s->st) {
    case AT_START:
        s->cell_line = s->line;
        s->cell_len = 0;
        if (ch == '"') {
            s->st = IN_QUOTES;
        } else if (ch != ',' && !is_break(ch) && ch != ' ' && ch != '\t') {
            s->st = IN_PLAIN;
            s->cell_len = 1;
        }
        break;
    case IN_PLAIN:
        if (ch == ',' || is_break(ch))
            s->st = AT_START;
        else
            s->cell_len++;
        break;
    case IN_QUOTES:
        if (ch == '"')
            s->st = QUOTE_IN_QUOTES;
        else
            s->cell_len++;
        break;
    case QUOTE_IN_QUOTES: /* "" is a quote; anything else but , or a break, libcsv refuses */
        if (ch == '"') {
            s->st = IN_QUOTES;
            s->cell_len++;
        } else {
            s->st = ch == ',' || is_break(ch) ? AT_START : IN_PLAIN;
        }
        break;
    }
}

/* Scans n more bytes of the file; RS_EINPUT at the first line or cell
 * over its bound. */
static int scan_bytes(struct scan *s, const char *p, size_t n, const char *label,
                      struct rs_error *err)
{
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        scan_cell(s, ch);
        if (s->cell_len > RS_CSVIN_MAX_CELL)
            return rs_error_input(err, label, s->cell_line, NULL,
                                  "expected cells of at most %d bytes, this one is longer",
                                  RS_CSVIN_MAX_CELL);
        s->line_len = is_break(ch) ? 0 : s->line_len + 1;
        if (s->line_len > RS_CSVIN_MAX_LINE)
            return rs_error_input(err, label, s->line, NULL,
                                  "expected lines of at most %d bytes, this one is longer",
                                  RS_CSVIN_MAX_LINE);
        s->line += ch == '\n';
    }
    return RS_OK;
}

static int line_at(const char *buf, size_t n)
{
    int line = 1;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 == n || buf[i + 1] != '\n'))) line++;
    return line;
}

/* The whole file into *buf; RS_EIO (message to re-word) or RS_EINPUT. */
static int slurp(const char *path, const char *label, char **buf, size_t *len, struct rs_error *err)
{
    FILE *f = NULL;
    char why[160];
    if (rs_file_open_read(path, &f, why, sizeof why)) /* a FIFO, a device: RS_EIO too */
        return rs_error_io(err, label, "cannot read \"%s\": %s", label, why);
    size_t cap = 1 << 16, n = 0;
    char *b = rs_malloc(cap);
    struct scan sc = {.st = AT_START, .line = 1};
    for (;;) {
        if (n == cap) {
            if (cap >= (size_t)RS_CSVIN_MAX_BYTES) {
                int line = line_at(b, n); /* the line the limit falls in */
                fclose(f);
                free(b);
                return rs_error_input(err, label, line, NULL,
                                      "expected a file of at most %ld bytes", RS_CSVIN_MAX_BYTES);
            }
            cap *= 2;
            b = rs_realloc(b, cap);
        }
        size_t got = fread(b + n, 1, cap - n, f);
        if (scan_bytes(&sc, b + n, got, label, err)) {
            fclose(f);
            free(b);
            return RS_EINPUT;
        }
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    if (bad) {
        free(b);
        return rs_error_io(err, label, "cannot read \"%s\": %s", label, strerror(e));
    }
    *buf = b;
    *len = n;
    return RS_OK;
}

int rs_csvin_read(const char *path, const char *label, struct rs_csvin **out, struct rs_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    if (!label) label = path;
    int rc = slurp(path, label, &buf, &len, err);
    if (rc) return rc;
    struct rs_csvin *c = rs_calloc(1, sizeof *c);
    snprintf(c->label, sizeof c->label, "%s", label);
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        rc = rs_error_input(err, label, line_at(buf, (size_t)(nul - buf)), NULL,
                            "expected text, got a NUL byte");
        free(buf);
        rs_csvin_destroy(c);
        return rc;
    }
    size_t skip = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL))
        rs_alloc_failed(0);
    struct reader r = {.c = c, .err = err, .line = 1};
    size_t done = csv_parse(&p, buf + skip, len - skip, on_cell, on_row, &r);
    if (!r.rc && done != len - skip) {
        if (csv_error(&p) != CSV_EPARSE) rs_alloc_failed(0); /* out of memory */
        r.rc = rs_error_input(err, label, line_at(buf, skip + done), NULL,
                              "expected quotes only around a whole cell (\"\" inside it)");
    }
    if (!r.rc && csv_fini(&p, on_cell, on_row, &r) != 0 && !r.rc)
        r.rc = rs_error_input(err, label, r.row_line ? r.row_line : r.line, NULL,
                              "expected a closing quote before the end of the file");
    csv_free(&p);
    free_cells(r.cells, r.n_cells);
    free(buf);
    if (r.rc) {
        rs_csvin_destroy(c);
        return r.rc;
    }
    *out = c;
    return RS_OK;
}

void rs_csvin_destroy(struct rs_csvin *c)
{
    if (!c) return;
    for (int i = 0; i < c->n_rows; i++)
        free_cells(c->rows[i].cells, c->n_cols);
    free(c->rows);
    free(c);
}

int rs_csvin_column(const struct rs_csvin *c, const char *name)
{
    if (c->n_rows == 0) return -1;
    for (int j = 0; j < c->n_cols; j++)
        if (strcmp(c->rows[0].cells[j], name) == 0) return j;
    return -1;
}
