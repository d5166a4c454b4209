/* pool.c: threads take task indices from a shared counter. */
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

static void *worker(void *arg)
{
    struct pool *p = arg;
    for (;;) {
        if (atomic_load(&p->failed) < p->n) break;
        long i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n) break;
        if (p->task(p->ctx, i) == 0) continue;
        long seen = atomic_load(&p->failed);
        while (i < seen && !atomic_compare_exchange_weak(&p->failed, &seen, i))
            ;
    }
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
