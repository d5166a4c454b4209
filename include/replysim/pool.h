/* pool.h: the one worker pool of replysim, for replications and sweep
 * points alike.
 *
 * Tasks are numbered 0 .. n - 1 and handed out in that order to the
 * threads as they come free; a task writes its result by its own index,
 * so what the caller assembles afterwards does not depend on the thread
 * count or on which thread ran what. */
#ifndef RS_POOL_H
#define RS_POOL_H

/* One task: RS_OK, or a negative RS_E* code (the task keeps its own error
 * message, by index or under its own lock). */
typedef int (*rs_pool_task)(void *ctx, long task);

/* Runs task(ctx, i) for i = 0 .. n - 1 over at most threads threads, the
 * caller's among them (threads <= 1, or n <= 1: all on the caller's).
 * After a task fails no further task is started; those running finish.
 * Returns -1 when every task succeeded, else the lowest index of a failed
 * task. */
long rs_pool_run(long n, int threads, rs_pool_task task, void *ctx);

#endif
