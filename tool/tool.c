/* tool.c: printing errors and running out of memory (tool.h). */
#include "tool.h"

#include "replysim/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int rs_tool_say(const char *cmd, const char *fmt, ...)
{
    char raw[1024], line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    rs_error_escape(raw, line, sizeof line); /* user text in it stays on one line */
    if (cmd)
        fprintf(stderr, "replysim %s: %s\n", cmd, line);
    else
        fprintf(stderr, "replysim: %s\n", line);
    return RS_EXIT_USAGE;
}

int rs_tool_error(const char *cmd, const struct rs_error *e, int code)
{
    char line[1024];
    rs_error_format(e, line, sizeof line);
    if (cmd)
        fprintf(stderr, "replysim %s: %s\n", cmd, line);
    else
        fprintf(stderr, "%s\n", line);
    return rs_error_exit_status(code);
}

void rs_tool_oom(size_t bytes)
{
    /* Nothing here may allocate: the line is built on the stack and
     * written in one call. */
    char line[96];
    int n = snprintf(line, sizeof line, "replysim: out of memory (%zu bytes)\n", bytes);
    if (n > 0) (void)!write(STDERR_FILENO, line, (size_t)n); /* nothing to do if it fails */
    _Exit(RS_EXIT_RUNTIME);
}
