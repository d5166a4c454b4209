/* progress.c: progress lines on stderr. */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void rs_tool_progress(void *ctx, const struct rs_progress *p)
{
    struct rs_tool_progress *t = ctx;
    switch (p->what) {
    case RS_PROGRESS_REPLICATIONS: {
        double now = clock_s();
        if (p->done < p->total && now - t->shown_s < 0.2) return;
        t->shown_s = now;
        fprintf(stderr, "\rreplysim: %ld/%ld replications, %3.0f%%", p->done, p->total,
                100 * p->fraction);
        if (p->done == p->total) fputc('\n', stderr);
        break;
    }
    case RS_PROGRESS_POINTS:
        fprintf(stderr, "\rreplysim: %ld/%ld points", p->done, p->total);
        if (p->done == p->total) fputc('\n', stderr);
        break;
    case RS_PROGRESS_RUN:
        t->shown_s = 0; /* a new run's first line shows at once */
        fprintf(stderr, "replysim: %s\n", p->label);
        break;
    case RS_PROGRESS_SEARCH:
        fprintf(stderr,
                "replysim staff: %s: simulation %ld, %ld agents over %d intervals, %d missing\n",
                p->label, p->done, p->agents, p->intervals, p->missing);
        break;
    }
    fflush(stderr);
}

rs_progress_fn rs_tool_progress_fn(int quiet)
{
    return !quiet && isatty(STDERR_FILENO) ? rs_tool_progress : NULL;
}
