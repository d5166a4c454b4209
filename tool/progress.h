/* progress.h: the progress lines of the replysim program on stderr, from
 * the library's progress callbacks (replysim/progress.h). */
#ifndef RS_TOOL_PROGRESS_H
#define RS_TOOL_PROGRESS_H

#include "replysim/progress.h"

/* The printer's state: give each command line one, zeroed. */
struct rs_tool_progress {
    double shown_s; /* monotonic time of the last replications line */
};

/* An rs_progress_fn; ctx is a struct rs_tool_progress.  Prints
 *   "\rreplysim: D/N replications, P%" (at most 5 a second, the last always)
 *   "\rreplysim: D/N points"
 *   "replysim: LABEL" before each run of several
 *   "replysim staff: PHASE: simulation S, A agents over I intervals, M missing" */
void rs_tool_progress(void *ctx, const struct rs_progress *p);

/* The callback to hand the library: rs_tool_progress when progress lines
 * are wanted (not quiet, stderr a terminal), else NULL. */
rs_progress_fn rs_tool_progress_fn(int quiet);

#endif
