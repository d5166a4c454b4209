/* file.h: opening an input file safely.
 *
 * Every file replysim reads (scenario, include, profile, schedule, trace,
 * baseline, plot's results) is opened here: without blocking (a FIFO would
 * hang open(2) until a writer came), without becoming the controlling
 * terminal, closed on exec, and refused unless it is a regular file (a
 * FIFO, a device such as /dev/zero or /dev/null, a folder).  The caller
 * words the error, with the file:line of the key that named the file when
 * it has one. */
#ifndef RS_FILE_H
#define RS_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "replysim/error.h"

/* Opens path for reading as a stream (blocking reads, once it is known to
 * be a regular file).  RS_OK with *out set; RS_EIO when it cannot be opened
 * or examined (why: the system's reason, "No such file or directory");
 * RS_EINPUT when it is not a regular file (why: "expected a regular file,
 * got a FIFO").  why (of why_len bytes) may be NULL. */
int rs_file_open_read(const char *path, FILE **out, char *why, size_t why_len);

/* What kind of file st_mode is, for messages: "a FIFO", "a folder", ... */
const char *rs_file_kind(unsigned mode);

#endif
