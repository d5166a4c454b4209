/* pool.h: the one worker pool of replysim, for replications and sweep
 * points alike.
 *
 * Tasks are numbered 0 .. n - 1 and handed out in that order to the
 * threads as they come free; a task writes its result by its own index,
 * so what the caller assembles afterwards does not depend on the thread
 * count or on which thread ran what.
 *
 * A program may also spread tasks over processes (replysim-mpi: MPI
 * ranks) by setting a backend.  Every process runs the same program on
 * the same input and so makes the same pool runs in the same order; the
 * backend runs each task of a shipped run (rs_pool_run_shipped) in one
 * process, packs its result there (the codec's pack) and stores it in
 * every other process (unpack), so that after the run each process holds
 * every result, as a single process would.  The library itself never
 * leaves the process. */
#ifndef RS_POOL_H
#define RS_POOL_H

#include <stddef.h>

struct rs_buf;

/* One task: RS_OK, or a negative RS_E* code (the task keeps its own error
 * message, by index or under its own lock). */
typedef int (*rs_pool_task)(void *ctx, long task);

/* Runs task(ctx, i) for i = 0 .. n - 1 over at most threads threads, the
 * caller's among them (threads <= 1, or n <= 1: all on the caller's).
 * After a task fails no further task is started; those running finish.
 * Returns -1 when every task succeeded, else the lowest index of a failed
 * task.  Always in this process. */
long rs_pool_run(long n, int threads, rs_pool_task task, void *ctx);

/* A task's result as bytes, for a backend.
 * pack appends to out what task left in ctx when it returned rc: its
 * figures, or on failure what the caller needs to report it.  It runs in
 * the process that ran the task, right after it (rs_pool_ship).
 * unpack stores such bytes into ctx as though the task had run here and
 * returned rc; it may run while other tasks of the run are running here,
 * so it takes the locks a task takes.  RS_OK, or RS_EINPUT for bytes of
 * the wrong length. */
struct rs_pool_codec {
    void (*pack)(void *ctx, long task, int rc, struct rs_buf *out);
    int (*unpack)(void *ctx, long task, int rc, const char *bytes, size_t len);
};

/* One pool run, as a backend receives it. */
struct rs_pool_job {
    long n;
    int threads; /* per process */
    rs_pool_task task;
    const struct rs_pool_codec *codec;
    void *ctx;
};

/* Runs a job over several processes and returns what rs_pool_run would:
 * -1, or the lowest failed index, the same in every process. */
struct rs_pool_backend {
    long (*run)(void *self, const struct rs_pool_job *job);
    void *self;
};

/* Sets the backend of rs_pool_run_shipped (NULL: none, threads only).
 * Set once, before any pool run. */
void rs_pool_set_backend(const struct rs_pool_backend *b);

/* rs_pool_run, but through the backend when one is set, unless called
 * from inside a task of a run the backend already spreads (a sweep
 * point's replications run where the point runs). */
long rs_pool_run_shipped(long n, int threads, rs_pool_task task, const struct rs_pool_codec *codec,
                         void *ctx);

/* For a backend: runs task i of job here for another process and appends
 * its packed result to out.  Returns the task's code. */
int rs_pool_ship(const struct rs_pool_job *job, long task, struct rs_buf *out);

/* 1 while the calling thread runs a task under rs_pool_ship: a task that
 * would hand its result on at once (sweep rows to their file) leaves that
 * to pack, which hands it on after copying it. */
int rs_pool_shipping(void);

#endif
