/* buf.h: the one string builder for text assembled piece by piece.
 *
 * Two kinds, one interface (in the manner of git's strbuf):
 *  - growing: RS_BUF_INIT, memory from the allocation family, the caller
 *    frees it with rs_buf_free (or takes it with rs_buf_detach);
 *  - fixed: rs_buf_fixed over a caller's array, which never grows: what
 *    does not fit is cut off at a whole byte, `truncated` is set, and the
 *    text is always NUL-terminated.
 * Either way appending can never write past the end, and s is a valid
 * string at all times. */
#ifndef RS_BUF_H
#define RS_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct rs_buf {
    char *s;       /* the text, always NUL-terminated */
    size_t len;    /* bytes before the NUL */
    size_t cap;    /* bytes of s, NUL included; 0: nothing allocated yet */
    int fixed;     /* 1: a caller's array, never grown */
    int truncated; /* 1: a fixed buffer dropped text */
};

#define RS_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, 0, 0                                                                           \
    }

/* A fixed buffer over array[0..size) (size >= 1), emptied. */
void rs_buf_fixed(struct rs_buf *b, char *array, size_t size);

void rs_buf_puts(struct rs_buf *b, const char *s);
void rs_buf_putn(struct rs_buf *b, const char *s, size_t n);
void rs_buf_putc(struct rs_buf *b, char c);
void rs_buf_printf(struct rs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rs_buf_vprintf(struct rs_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* The text so far ("" for a growing buffer never written to). */
const char *rs_buf_str(const struct rs_buf *b);

/* Empties the text, keeping the memory. */
void rs_buf_reset(struct rs_buf *b);

/* Cuts the text back to len bytes (no-op when it is shorter). */
void rs_buf_setlen(struct rs_buf *b, size_t len);

/* Frees a growing buffer's memory and empties it; for a fixed one, empties it. */
void rs_buf_free(struct rs_buf *b);

/* Hands a growing buffer's text to the caller (free() it; never NULL) and
 * leaves b empty. */
char *rs_buf_detach(struct rs_buf *b);

#endif
