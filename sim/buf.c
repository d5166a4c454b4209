/* buf.c: the string builder (buf.h). */
#include "replysim/buf.h"

#include "replysim/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rs_buf_fixed(struct rs_buf *b, char *array, size_t size)
{
    b->s = array;
    b->cap = size;
    b->len = 0;
    b->fixed = 1;
    b->truncated = 0;
    array[0] = '\0';
}

/* Room for extra more bytes and the NUL, as far as the buffer allows; the
 * number of bytes that may be appended. */
static size_t room(struct rs_buf *b, size_t extra)
{
    if (!b->fixed && b->len + extra + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + extra + 1)
            cap *= 2;
        b->s = rs_realloc(b->s, cap);
        b->cap = cap;
    }
    size_t free_bytes = b->cap - b->len - 1;
    if (extra > free_bytes) b->truncated = 1;
    return extra < free_bytes ? extra : free_bytes;
}

void rs_buf_putn(struct rs_buf *b, const char *s, size_t n)
{
    if (!b->cap && !n) return;
    size_t k = room(b, n);
    memcpy(b->s + b->len, s, k);
    b->len += k;
    b->s[b->len] = '\0';
}

void rs_buf_puts(struct rs_buf *b, const char *s) { rs_buf_putn(b, s, strlen(s)); }

void rs_buf_putc(struct rs_buf *b, char c) { rs_buf_putn(b, &c, 1); }

void rs_buf_vprintf(struct rs_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) n = 0; /* an encoding error appends nothing */
    if ((size_t)n < sizeof small) {
        rs_buf_putn(b, small, (size_t)n);
    } else {
        size_t k = room(b, (size_t)n);
        /* vsnprintf writes k bytes and a NUL: exactly what fits */
        vsnprintf(b->s + b->len, k + 1, fmt, again);
        b->len += k;
    }
    va_end(again);
}

void rs_buf_printf(struct rs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rs_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *rs_buf_str(const struct rs_buf *b) { return b->cap ? b->s : ""; }

void rs_buf_reset(struct rs_buf *b) { rs_buf_setlen(b, 0); }

void rs_buf_setlen(struct rs_buf *b, size_t len)
{
    if (len >= b->len) return;
    b->len = len;
    b->s[len] = '\0';
}

void rs_buf_free(struct rs_buf *b)
{
    if (b->fixed) {
        rs_buf_reset(b);
        b->truncated = 0;
        return;
    }
    free(b->s);
    *b = (struct rs_buf)RS_BUF_INIT;
}

char *rs_buf_detach(struct rs_buf *b)
{
    char *s = b->cap ? b->s : rs_strdup("");
    *b = (struct rs_buf)RS_BUF_INIT;
    return s;
}
