/* error.c: the user-facing error record. */
#include "replysim/error.h"

#include "replysim/buf.h"

#include <stdarg.h>
#include <string.h>

static void copy_field(char *dst, size_t cap, const char *src)
{
    if (!src) src = "";
    snprintf(dst, cap, "%s", src);
}

int rs_error_input(struct rs_error *e, const char *file, int line, const char *key, const char *fmt,
                   ...)
{
    if (!e) return RS_EINPUT;
    copy_field(e->file, sizeof e->file, file);
    copy_field(e->key, sizeof e->key, key);
    e->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return RS_EINPUT;
}

int rs_error_io(struct rs_error *e, const char *file, const char *fmt, ...)
{
    if (!e) return RS_EIO;
    copy_field(e->file, sizeof e->file, file);
    e->key[0] = '\0';
    e->line = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return RS_EIO;
}

/* Length of the valid UTF-8 sequence at p (a lead byte >= 0x80), 0 when
 * it is not one or encodes a C1 control (U+0080..U+009F), which some
 * terminals obey. */
static size_t utf8_len(const unsigned char *p)
{
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        n = 2;
        if (p[0] == 0xC2) lo = 0xA0;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
        if (p[0] == 0xE0) lo = 0xA0;
        if (p[0] == 0xED) hi = 0x9F; /* no surrogates */
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
        if (p[0] == 0xF0) lo = 0x90;
        if (p[0] == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF) return 0;
    return n;
}

/* The escape of the byte at p into esc (NUL-terminated), or "" when the
 * n bytes of the character at p are shown as they are. */
static void escape_of(const unsigned char *p, char esc[5], size_t *n)
{
    *n = *p >= 0x80 ? utf8_len(p) : 1; /* 0: not valid UTF-8 */
    esc[0] = '\0';
    if (*p == '\n' || *p == '\r' || *p == '\t') {
        snprintf(esc, 5, "\\%c", *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't');
    } else if (*p < 0x20 || *p == 0x7f || *n == 0) {
        *n = 1;
        snprintf(esc, 5, "\\x%02x", *p);
    }
}

size_t rs_error_escape(const char *in, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t o = 0;
    if (cap == 0) return 0;
    while (*p) {
        char esc[5];
        size_t n;
        escape_of(p, esc, &n);
        const char *src = esc[0] ? esc : (const char *)p;
        size_t len = esc[0] ? strlen(esc) : n;
        if (o + len >= cap) break; /* whole escapes and characters only */
        memcpy(out + o, src, len);
        o += len;
        p += n;
    }
    out[o] = '\0';
    return o;
}

void rs_error_format(const struct rs_error *e, char *buf, size_t len)
{
    char raw[sizeof e->file + sizeof e->key + sizeof e->msg + 32];
    struct rs_buf b;
    if (len == 0) return;
    rs_buf_fixed(&b, raw, len < sizeof raw ? len : sizeof raw); /* what does not fit is cut off */
    if (e->file[0] && e->line > 0)
        rs_buf_printf(&b, "%s:%d: ", e->file, e->line);
    else if (e->file[0])
        rs_buf_printf(&b, "%s: ", e->file);
    if (e->key[0]) rs_buf_printf(&b, "%s: ", e->key);
    rs_buf_puts(&b, e->msg);
    rs_error_escape(raw, buf, len);
}

void rs_error_print(const struct rs_error *e, FILE *out)
{
    char buf[1024];
    rs_error_format(e, buf, sizeof buf);
    fprintf(out, "%s\n", buf);
}

int rs_error_exit_status(int code)
{
    switch (code) {
    case RS_OK:
        return RS_EXIT_OK;
    case RS_EINPUT:
        return RS_EXIT_USAGE;
    case RS_EREGRESS:
        return RS_EXIT_REGRESSION;
    default:
        return RS_EXIT_RUNTIME;
    }
}

void rs_error_why(char *why, size_t len, const char *fmt, ...)
{
    if (!why || len == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
}
