/* csvin.h: reading CSV input files (rate profiles, schedules, traces).
 *
 * A file is read whole with libcsv into rows of string cells, each row with
 * the 1-based line of the file it starts on (quoted cells may hold line
 * breaks).  The reader checks what every caller needs: no NUL bytes, quotes
 * well formed, no blank line between rows, every row as many cells as the
 * first, at most RS_CSVIN_MAX_ROWS rows of at most RS_CSVIN_MAX_CELLS cells,
 * lines and cells no longer than RS_CSVIN_MAX_LINE and RS_CSVIN_MAX_CELL
 * bytes (checked as the file is read, so that a huge cell is refused
 * early).  What the cells mean is the
 * caller's: rs_csvin_fail words its errors the same way. */
#ifndef RS_CSVIN_H
#define RS_CSVIN_H

#include "replysim/error.h"

#define RS_CSVIN_MAX_ROWS 10000000    /* more is an error, never cut */
#define RS_CSVIN_MAX_BYTES (1L << 30) /* larger files are an error */
#define RS_CSVIN_MAX_LINE 65536       /* bytes of a line (its break left out) */
#define RS_CSVIN_MAX_CELL 4096        /* bytes of a cell (quotes left out) */
#define RS_CSVIN_MAX_CELLS 4096       /* cells of a row */

struct rs_csvin_row {
    int line;     /* line of the file the row starts on */
    char **cells; /* n_cols NUL-terminated cells, blanks trimmed */
};

struct rs_csvin {
    char label[512]; /* the file as named in messages */
    int n_rows;
    int n_cols; /* cells in every row */
    struct rs_csvin_row *rows;
};

/* Reads the file at path; label names it in messages (the path as the user
 * wrote it, say).  Malformed content: RS_EINPUT with err naming label and
 * line.  A file that cannot be opened or read: RS_EIO with err->msg
 * `cannot read "LABEL": REASON`, which a caller may re-word (a missing file
 * named by a scenario is bad input).  An empty file gives 0 rows.  *out is
 * set only on success; free it with rs_csvin_destroy. */
int rs_csvin_read(const char *path, const char *label, struct rs_csvin **out, struct rs_error *err);

void rs_csvin_destroy(struct rs_csvin *c);

/* Column of the first row (the header) called name, or -1. */
int rs_csvin_column(const struct rs_csvin *c, const char *name);

/* Fills err with `LABEL:LINE: COLUMN: MSG` for cell row of c (column may be
 * NULL) and returns RS_EINPUT. */
int rs_csvin_fail(struct rs_error *err, const struct rs_csvin *c, int row, const char *column,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A stream of the rows of a file, for files too large to hold (logs): the
 * same checks as rs_csvin_read but no bound on rows or bytes; memory is
 * bounded by a chunk of the file.  A row with a different count of cells
 * than the first is an error of that row alone: the stream may go on. */
struct rs_csvin_stream;

int rs_csvin_stream_open(const char *path, const char *label, struct rs_csvin_stream **out,
                         struct rs_error *err);

/* The next row (the first is the header) into *row, valid until the next
 * call: 1, 0 at the end, RS_EINPUT (err names label and line; after a
 * ragged row the stream goes on, after any other error it stays failed) or
 * RS_EIO. */
int rs_csvin_stream_next(struct rs_csvin_stream *s, const struct rs_csvin_row **row,
                         struct rs_error *err);

/* Cells of the first row (0 before it is read), and the label. */
int rs_csvin_stream_cols(const struct rs_csvin_stream *s);
const char *rs_csvin_stream_label(const struct rs_csvin_stream *s);

void rs_csvin_stream_close(struct rs_csvin_stream *s);

#endif
