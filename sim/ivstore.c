/* ivstore.c: interval rows in memory or in a temporary file (ivstore.h). */
#include "ivstore.h"

#include "replysim/alloc.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Rows of one replication waiting to be written: consecutive rows from
 * first on (a world hands them over nearly in order). */
struct pending {
    int first, n;
    double *v; /* cap rows */
};

struct rs_ivstore {
    int reps, n_iv, nm, none;
    size_t row_bytes;
    double *mem; /* in memory: [rep][interval][metric]; NULL: in file */
    FILE *file;
    int fd;
    struct pending *pend; /* [rep] */
    int pend_cap;         /* rows a pending buffer holds */
    int err;              /* first errno of a failed write */
    pthread_mutex_t lock; /* errors and the read block */
    double *block;        /* rows [block_first, + block_n) of every rep: [rep][k][metric] */
    int block_first, block_n, block_rows;
    double *col; /* one value across reps, for summaries */
};

struct rs_ivstore *rs_ivstore_create(int reps, int n_iv, int nm, int none, size_t mem_max)
{
    struct rs_ivstore *s = rs_calloc(1, sizeof *s);
    s->reps = reps;
    s->n_iv = n_iv;
    s->nm = nm;
    s->none = none;
    s->row_bytes = (size_t)nm * sizeof(double);
    s->fd = -1;
    s->block_first = -1;
    pthread_mutex_init(&s->lock, NULL);
    s->col = rs_calloc((size_t)reps + 1, sizeof *s->col);
    if (none) return s;
    size_t total = (size_t)reps * (size_t)n_iv * s->row_bytes;
    if (total > mem_max) s->file = tmpfile();
    if (!s->file) { /* small, or no temporary file to be had: memory */
        s->mem = rs_calloc((size_t)reps * (size_t)n_iv * (size_t)nm + 1, sizeof *s->mem);
        return s;
    }
    s->fd = fileno(s->file);
    s->pend = rs_calloc((size_t)reps, sizeof *s->pend);
    s->pend_cap = (int)(RS_IVSTORE_BLOCK / 8 / s->row_bytes) + 1;
    s->block_rows = (int)(RS_IVSTORE_BLOCK / ((size_t)reps * s->row_bytes)) + 1;
    if (s->block_rows > n_iv) s->block_rows = n_iv;
    s->block = rs_malloc((size_t)reps * (size_t)s->block_rows * s->row_bytes);
    return s;
}

void rs_ivstore_destroy(struct rs_ivstore *s)
{
    if (!s) return;
    if (s->file) fclose(s->file);
    if (s->pend)
        for (int r = 0; r < s->reps; r++)
            free(s->pend[r].v);
    free(s->pend);
    free(s->mem);
    free(s->block);
    free(s->col);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static void failed(struct rs_ivstore *s, int e)
{
    pthread_mutex_lock(&s->lock);
    if (!s->err) s->err = e ? e : EIO;
    pthread_mutex_unlock(&s->lock);
}

/* Writes n bytes at offset off, all of them. */
static int write_at(int fd, const void *p, size_t n, off_t off)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = pwrite(fd, c, n, off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        c += k;
        n -= (size_t)k;
        off += k;
    }
    return 0;
}

static off_t offset_of(const struct rs_ivstore *s, int rep, int i)
{
    return (off_t)(((size_t)rep * (size_t)s->n_iv + (size_t)i) * s->row_bytes);
}

void rs_ivstore_flush(struct rs_ivstore *s, int rep)
{
    if (!s->file) return;
    struct pending *p = &s->pend[rep];
    if (p->n && write_at(s->fd, p->v, (size_t)p->n * s->row_bytes, offset_of(s, rep, p->first)))
        failed(s, errno);
    p->n = 0;
    free(p->v); /* a replication's buffer lives while it runs */
    p->v = NULL;
}

void rs_ivstore_put(struct rs_ivstore *s, int rep, int i, const double *row)
{
    if (s->none) return;
    if (!s->file) {
        memcpy(s->mem + ((size_t)rep * (size_t)s->n_iv + (size_t)i) * (size_t)s->nm, row,
               s->row_bytes);
        return;
    }
    struct pending *p = &s->pend[rep];
    if (p->n && (i != p->first + p->n || p->n == s->pend_cap)) {
        if (write_at(s->fd, p->v, (size_t)p->n * s->row_bytes, offset_of(s, rep, p->first)))
            failed(s, errno);
        p->n = 0;
    }
    if (!p->v) p->v = rs_malloc((size_t)s->pend_cap * s->row_bytes);
    if (p->n == 0) p->first = i;
    memcpy(p->v + (size_t)p->n * (size_t)s->nm, row, s->row_bytes);
    p->n++;
}

int rs_ivstore_error(const struct rs_ivstore *s) { return s->err; }

int rs_ivstore_spilled(const struct rs_ivstore *s) { return s->file != NULL; }

/* Reads n bytes at offset off; a short file reads as NaN (cannot happen
 * after every row is written). */
static void read_at(int fd, double *v, size_t n_values, off_t off)
{
    char *c = (char *)v;
    size_t n = n_values * sizeof *v, got = 0;
    while (got < n) {
        ssize_t k = pread(fd, c + got, n - got, off + (off_t)got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        got += (size_t)k;
    }
    for (size_t j = got / sizeof *v; j < n_values; j++)
        v[j] = NAN;
}

/* The read block holding row i (lock held). */
static void load(struct rs_ivstore *s, int i)
{
    if (s->block_first >= 0 && i >= s->block_first && i < s->block_first + s->block_n) return;
    s->block_first = i;
    s->block_n = s->n_iv - i < s->block_rows ? s->n_iv - i : s->block_rows;
    for (int r = 0; r < s->reps; r++)
        read_at(s->fd, s->block + (size_t)r * (size_t)s->block_rows * (size_t)s->nm,
                (size_t)s->block_n * (size_t)s->nm, offset_of(s, r, i));
}

static inline double block_value(const struct rs_ivstore *s, int rep, int i, int m)
{
    return s->block[((size_t)rep * (size_t)s->block_rows + (size_t)(i - s->block_first)) *
                        (size_t)s->nm +
                    (size_t)m];
}

double rs_ivstore_get(struct rs_ivstore *s, int rep, int i, int m)
{
    if (s->none) return NAN;
    if (!s->file)
        return s->mem[((size_t)rep * (size_t)s->n_iv + (size_t)i) * (size_t)s->nm + (size_t)m];
    pthread_mutex_lock(&s->lock);
    load(s, i);
    double v = block_value(s, rep, i, m);
    pthread_mutex_unlock(&s->lock);
    return v;
}

void rs_ivstore_summary(struct rs_ivstore *s, int i, int m, struct rs_summary *out)
{
    if (s->none) {
        *out = (struct rs_summary){NAN, NAN, NAN, NAN, 0};
        return;
    }
    if (!s->file) {
        rs_summary_of(s->mem + (size_t)i * (size_t)s->nm + (size_t)m,
                      (size_t)s->n_iv * (size_t)s->nm, s->reps, out);
        return;
    }
    pthread_mutex_lock(&s->lock);
    load(s, i);
    for (int r = 0; r < s->reps; r++)
        s->col[r] = block_value(s, r, i, m);
    rs_summary_of(s->col, 1, s->reps, out);
    pthread_mutex_unlock(&s->lock);
}
