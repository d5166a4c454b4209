/* pool.c: threads take task indices from a shared counter; a backend, when
 * a program sets one, spreads shipped runs over processes. */
#include "replysim/pool.h"

#include "replysim/alloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct pool {
    long n;
    rs_pool_task task;
    void *ctx;
    atomic_long next;   /* next task to hand out */
    atomic_long failed; /* lowest failed task, n when none */
};

static _Thread_local int in_task; /* 1 while this thread runs a task of rs_pool_run */

static void *worker(void *arg)
{
    struct pool *p = arg;
    int was = in_task;
    in_task = 1;
    for (;;) {
        if (atomic_load(&p->failed) < p->n) break;
        long i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n) break;
        if (p->task(p->ctx, i) == 0) continue;
        long seen = atomic_load(&p->failed);
        while (i < seen && !atomic_compare_exchange_weak(&p->failed, &seen, i))
            ;
    }
    in_task = was;
    return NULL;
}

long rs_pool_run(long n, int threads, rs_pool_task task, void *ctx)
{
    struct pool p = {.n = n, .task = task, .ctx = ctx};
    atomic_init(&p.next, 0);
    atomic_init(&p.failed, n);
    long extra = (threads < n ? threads : n) - 1; /* besides the caller's */
    pthread_t *tids = extra > 0 ? rs_calloc((size_t)extra, sizeof *tids) : NULL;
    long started = 0;
    while (started < extra && pthread_create(&tids[started], NULL, worker, &p) == 0)
        started++;
    worker(&p);
    for (long i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
    long failed = atomic_load(&p.failed);
    return failed < n ? failed : -1;
}

/* ------------------------------------------------ over processes */

static struct rs_pool_backend backend;
static atomic_int spreading;           /* 1 while the backend runs a job */
static _Thread_local int shipping_now; /* 1 inside rs_pool_ship's task */

void rs_pool_set_backend(const struct rs_pool_backend *b)
{
    backend = b ? *b : (struct rs_pool_backend){0};
}

long rs_pool_run_shipped(long n, int threads, rs_pool_task task, const struct rs_pool_codec *codec,
                         void *ctx)
{
    /* Only a run outside every task is spread, so that each process
     * spreads the same runs: never one a thread of a pool started. */
    int idle = 0;
    if (!backend.run || !codec || in_task || !atomic_compare_exchange_strong(&spreading, &idle, 1))
        return rs_pool_run(n, threads, task, ctx);
    const struct rs_pool_job job = {n, threads < 1 ? 1 : threads, task, codec, ctx};
    long failed = backend.run(backend.self, &job);
    atomic_store(&spreading, 0);
    return failed;
}

int rs_pool_ship(const struct rs_pool_job *job, long task, struct rs_buf *out)
{
    shipping_now = 1;
    int rc = job->task(job->ctx, task);
    shipping_now = 0;
    job->codec->pack(job->ctx, task, rc, out);
    return rc;
}

int rs_pool_shipping(void) { return shipping_now; }
