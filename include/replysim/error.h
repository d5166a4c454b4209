/* error.h: error codes and the user-facing error record.
 *
 * Every fallible function returns RS_OK (0) or a negative RS_E* code and, when
 * given a struct rs_error, fills it with a message for the user.  Messages
 * follow one shape, `file:line: key: what was expected`, lowercase, no full
 * stop, so that scripts and people can find the culprit at once. */
#ifndef RS_ERROR_H
#define RS_ERROR_H

#include <stddef.h>
#include <stdio.h>

enum {
    RS_OK = 0,
    RS_EINPUT = -1,  /* bad scenario, CSV or command-line input (exit 2) */
    RS_EIO = -2,     /* a file could not be read or written (exit 3) */
    RS_EREGRESS = -3 /* a check found a regression (exit 1) */
};

/* Exit statuses of docs/scenario-reference.md section 7. */
enum { RS_EXIT_OK = 0, RS_EXIT_REGRESSION = 1, RS_EXIT_USAGE = 2, RS_EXIT_RUNTIME = 3 };

struct rs_error {
    char file[256]; /* file the error is in, "" when none (command line) */
    int line;       /* 1-based line in file, 0 when not applicable */
    char key[96];   /* key or option at fault, "" when none */
    char msg[512];  /* what was expected, lowercase, no full stop */
};

/* Fills e (when not NULL) and returns RS_EINPUT.  file and key may be NULL. */
int rs_error_input(struct rs_error *e, const char *file, int line, const char *key, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));

/* Fills e (when not NULL) and returns RS_EIO. */
int rs_error_io(struct rs_error *e, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes the one-line message `file:line: key: msg` (parts that are empty
 * are left out) followed by a newline. */
void rs_error_print(const struct rs_error *e, FILE *out);

/* Formats the same line into buf (always NUL-terminated).  The line is
 * passed through rs_error_escape, so that user text echoed in a message
 * (a CSV cell, a --set value) can never break it or reach the terminal as
 * control codes: every error is exactly one line. */
void rs_error_format(const struct rs_error *e, char *buf, size_t len);

/* Copies the text in into out (cap bytes, always NUL-terminated when cap >=
 * 1) with control characters (below 0x20, 0x7f), C1 controls and bytes
 * that are not valid UTF-8 made visible: \n, \r, \t, else \xHH.  What does
 * not fit is cut at a whole character or escape.  Returns the length
 * written.  The one place where text for an error line is made safe. */
size_t rs_error_escape(const char *in, char *out, size_t cap);

/* Writes a message into a caller's `why` buffer (NULL or 0 length: none);
 * the parsers' way of saying what was expected. */
void rs_error_why(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Maps an RS_E* code to the exit status of docs/scenario-reference.md section 7. */
int rs_error_exit_status(int code);

#endif
