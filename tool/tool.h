/* tool.h: what every command of the replysim program shares: one way to
 * print an error, and the program's out-of-memory handler.  Every message
 * is one line on stderr, `replysim CMD: what went wrong`. */
#ifndef RS_TOOL_H
#define RS_TOOL_H

#include <stddef.h>

struct rs_error;

/* Prints `replysim CMD: ` and the formatted text and a newline on stderr
 * (cmd NULL: `replysim: `); returns RS_EXIT_USAGE, for the usual
 * `return rs_tool_say(...)` of a usage error. */
int rs_tool_say(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints e as `replysim CMD: file:line: key: msg` on stderr and returns the
 * exit status of code (an RS_E* code, rs_error_exit_status).  cmd NULL
 * prints e's line alone: errors of the scenario and result files, which
 * name their file first, are printed so. */
int rs_tool_error(const char *cmd, const struct rs_error *e, int code);

/* The out-of-memory handler main installs (rs_alloc_set_oom): prints
 * `replysim: out of memory (N bytes)` on stderr and exits with
 * RS_EXIT_RUNTIME, without running atexit handlers (other threads may be
 * running). */
void rs_tool_oom(size_t bytes);

#endif
