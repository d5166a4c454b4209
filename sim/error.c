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

void rs_error_format(const struct rs_error *e, char *buf, size_t len)
{
    struct rs_buf b;
    rs_buf_fixed(&b, buf, len); /* what does not fit is cut off */
    if (e->file[0] && e->line > 0)
        rs_buf_printf(&b, "%s:%d: ", e->file, e->line);
    else if (e->file[0])
        rs_buf_printf(&b, "%s: ", e->file);
    if (e->key[0]) rs_buf_printf(&b, "%s: ", e->key);
    rs_buf_puts(&b, e->msg);
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
