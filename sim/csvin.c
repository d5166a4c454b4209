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
    long rows_seen; /* rows read so far (a stream hands them out as it goes) */
    int first_line; /* line of the first row */
    int stream;     /* a stream: no bound on rows, a ragged row is queued as bad */
    int *n_got;     /* stream: cells of each queued row, for a ragged one's message */
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
    if (r->rows_seen == 0) {
        t->n_cols = r->n_cells;
        r->first_line = r->row_line;
    } else if (r->n_cells != t->n_cols && !r->stream) {
        r->rc = rs_error_input(r->err, t->label, r->row_line, NULL,
                               "expected %d cells as in line %d, got %d", t->n_cols, r->first_line,
                               r->n_cells);
        return;
    }
    if (t->n_rows == RS_CSVIN_MAX_ROWS && !r->stream) {
        r->rc = rs_error_input(r->err, t->label, r->row_line, NULL, "expected at most %d rows",
                               RS_CSVIN_MAX_ROWS);
        return;
    }
    if (t->n_rows == r->cap_rows) {
        r->cap_rows = r->cap_rows ? 2 * r->cap_rows : 64;
        t->rows = rs_reallocarray(t->rows, (size_t)r->cap_rows, sizeof *t->rows);
    }
    t->rows[t->n_rows].line = r->row_line;
    if (r->stream) {
        r->n_got = rs_reallocarray(r->n_got, (size_t)r->cap_rows, sizeof *r->n_got);
        r->n_got[t->n_rows] = r->n_cells;
    }
    /* fitted to its cells (at least one, so that a pointer stays) */
    t->rows[t->n_rows].cells =
        rs_reallocarray(r->cells, (size_t)(r->n_cells ? r->n_cells : 1), sizeof *r->cells);
    t->n_rows++;
    r->rows_seen++;
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

/* A stream: the file is read in chunks and handed out a row at a time, so
 * that memory is bounded by a chunk's rows, not by the file. */
struct rs_csvin_stream {
    struct rs_csvin c; /* the rows of the chunk being handed out */
    struct reader r;
    struct csv_parser p;
    struct scan sc;
    FILE *f;
    int head;    /* next row of c to hand out */
    int started; /* past the first chunk (its byte-order mark) */
    int eof;
    char chunk[1 << 16];
};

/* Frees the rows handed out, keeping what is left of the queue. */
static void stream_drop(struct rs_csvin_stream *s)
{
    struct rs_csvin *c = &s->c;
    for (int i = 0; i < s->head; i++)
        free_cells(c->rows[i].cells, s->r.n_got[i]);
    int left = c->n_rows - s->head;
    memmove(c->rows, c->rows + s->head, (size_t)left * sizeof *c->rows);
    memmove(s->r.n_got, s->r.n_got + s->head, (size_t)left * sizeof *s->r.n_got);
    c->n_rows = left;
    s->head = 0;
}

/* Parses one more chunk of the file; RS_OK (s->eof set at the end) or RS_E*. */
static int stream_fill(struct rs_csvin_stream *s, struct rs_error *err)
{
    const char *label = s->c.label;
    size_t got = fread(s->chunk, 1, sizeof s->chunk, s->f);
    if (got == 0) {
        if (ferror(s->f))
            return rs_error_io(err, label, "cannot read \"%s\": %s", label, strerror(errno));
        s->eof = 1;
        if (csv_fini(&s->p, on_cell, on_row, &s->r) != 0 && !s->r.rc)
            s->r.rc = rs_error_input(err, label, s->r.row_line ? s->r.row_line : s->r.line, NULL,
                                     "expected a closing quote before the end of the file");
        return s->r.rc;
    }
    const char *nul = memchr(s->chunk, '\0', got);
    if (nul)
        return rs_error_input(err, label,
                              s->sc.line + line_at(s->chunk, (size_t)(nul - s->chunk)) - 1, NULL,
                              "expected text, got a NUL byte");
    size_t skip = 0;
    if (!s->started && got >= 3 && memcmp(s->chunk, "\xEF\xBB\xBF", 3) == 0) skip = 3;
    s->started = 1;
    int line0 = s->r.line;
    if (scan_bytes(&s->sc, s->chunk + skip, got - skip, label, err)) return RS_EINPUT;
    size_t done = csv_parse(&s->p, s->chunk + skip, got - skip, on_cell, on_row, &s->r);
    if (!s->r.rc && done != got - skip) {
        if (csv_error(&s->p) != CSV_EPARSE) rs_alloc_failed(0);
        s->r.rc = rs_error_input(err, label, line0 + line_at(s->chunk + skip, done) - 1, NULL,
                                 "expected quotes only around a whole cell (\"\" inside it)");
    }
    return s->r.rc;
}

int rs_csvin_stream_open(const char *path, const char *label, struct rs_csvin_stream **out,
                         struct rs_error *err)
{
    FILE *f = NULL;
    char why[160];
    if (!label) label = path;
    if (rs_file_open_read(path, &f, why, sizeof why))
        return rs_error_io(err, label, "cannot read \"%s\": %s", label, why);
    struct rs_csvin_stream *s = rs_calloc(1, sizeof *s);
    snprintf(s->c.label, sizeof s->c.label, "%s", label);
    if (csv_init(&s->p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL))
        rs_alloc_failed(0);
    s->r = (struct reader){.c = &s->c, .err = err, .line = 1, .stream = 1};
    s->sc = (struct scan){.st = AT_START, .line = 1};
    s->f = f;
    *out = s;
    return RS_OK;
}

int rs_csvin_stream_next(struct rs_csvin_stream *s, const struct rs_csvin_row **row,
                         struct rs_error *err)
{
    if (s->head > 0 && s->head == s->c.n_rows) stream_drop(s);
    s->r.err = err;
    while (s->head == s->c.n_rows) {
        if (s->eof || s->r.rc) return s->r.rc;
        int rc = stream_fill(s, err);
        if (rc) {
            s->r.rc = rc;
            return rc;
        }
    }
    int k = s->head++;
    *row = &s->c.rows[k];
    if (s->r.n_got[k] != s->c.n_cols)
        return rs_error_input(err, s->c.label, s->c.rows[k].line, NULL,
                              "expected %d cells as in line %d, got %d", s->c.n_cols,
                              s->r.first_line, s->r.n_got[k]);
    return 1;
}

int rs_csvin_stream_cols(const struct rs_csvin_stream *s) { return s->c.n_cols; }

const char *rs_csvin_stream_label(const struct rs_csvin_stream *s) { return s->c.label; }

void rs_csvin_stream_close(struct rs_csvin_stream *s)
{
    if (!s) return;
    s->head = s->c.n_rows;
    if (s->r.n_got) stream_drop(s);
    free(s->c.rows);
    free(s->r.n_got);
    free_cells(s->r.cells, s->r.n_cells);
    csv_free(&s->p);
    fclose(s->f);
    free(s);
}
