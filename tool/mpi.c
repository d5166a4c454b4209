/* mpi.c: the pool's backend over MPI ranks, and the job's start and end
 * (mpi_job.h).
 *
 * Only a rank's main thread calls MPI (MPI_THREAD_FUNNELED); tasks run on
 * threads of their own, -j of them in every rank.  In a shipped run:
 *   - each other rank says how many threads it has (a request per thread,
 *     task -1) and gets a task index per request; a result goes back with
 *     the task's packed bytes and asks for the next index, until rank 0
 *     answers -1 (none left, or a task failed);
 *   - rank 0's own threads take indices from the same counter, so tasks
 *     go out in index order to whoever is free (points differ in cost);
 *   - rank 0 stores each result (the codec's unpack) and relays it to the
 *     ranks that did not run it, and ends the run with the lowest failed
 *     index, which every rank returns.
 * A rank's main thread waits by polling with short naps rather than in a
 * blocking call: Open MPI spins in those, taking a core from the tasks.
 *
 * Every message is [u64 total bytes][i64 fields...][payload], sent in
 * pieces of at most CHUNK bytes; MPI keeps the order of the messages from
 * one rank to another, which the protocol relies on (a run's relays and
 * its end reach a rank in the order sent). */
#include "mpi_job.h"

#include "replysim/alloc.h"
#include "replysim/buf.h"
#include "replysim/error.h"
#include "replysim/pool.h"
#include "replysim/report.h"

#include <mpi.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { TAG_WORK = 1, TAG_RESULT, TAG_RELAY, TAG_END, TAG_EXIT };
#define CHUNK ((size_t)1 << 30)
#define NAP_MIN_NS 20000L   /* 20 us after something happened */
#define NAP_MAX_NS 1000000L /* 1 ms when nothing has for a while */
#define KEPT_ERR_CAP 4096   /* bytes of a rank's stderr passed to rank 0 */

static int rank, ranks;
static long run_seq;      /* shipped runs begun: the same in every rank */
static int orig_err = -1; /* ranks > 0: the real stderr, for dying words */
static FILE *kept_err;    /* ranks > 0: what they would have printed */
static int *exited;       /* rank 0: [rank] 1 once its EXIT came (it sends one) */

/* ------------------------------------------------ messages */

struct msg {
    char *p;
    size_t len, cap;
    int from, tag;
};

static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void die(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    dprintf(orig_err >= 0 ? orig_err : STDERR_FILENO, "replysim-mpi: rank %d: %s\n", rank, line);
    MPI_Abort(MPI_COMM_WORLD, RS_EXIT_RUNTIME);
    _Exit(RS_EXIT_RUNTIME);
}

/* Messages on their way: sent without blocking (two ranks each sending
 * the other a large message must not wait for each other), their bytes
 * kept until MPI is done with them. */
struct sending {
    char *bytes;
    int n_req;
    MPI_Request *req;
};
static struct sending *sends;
static int n_sends, cap_sends;

/* Frees the messages MPI is done with. */
static void sent(void)
{
    int kept = 0;
    for (int i = 0; i < n_sends; i++) {
        int done = 0;
        if (MPI_Testall(sends[i].n_req, sends[i].req, &done, MPI_STATUSES_IGNORE) != MPI_SUCCESS)
            die("cannot send");
        if (done) {
            free(sends[i].bytes);
            free(sends[i].req);
        } else {
            sends[kept++] = sends[i];
        }
    }
    n_sends = kept;
}

/* A message of nf fields and a payload, to dest. */
static void send_msg(int dest, int tag, const int64_t *f, int nf, const char *payload, size_t len)
{
    size_t head = sizeof(uint64_t) + (size_t)nf * sizeof(int64_t);
    uint64_t total = head + len;
    struct sending s = {rs_malloc(head + len), (int)((total + CHUNK - 1) / CHUNK), NULL};
    memcpy(s.bytes, &total, sizeof total);
    memcpy(s.bytes + sizeof total, f, (size_t)nf * sizeof *f);
    if (len) memcpy(s.bytes + head, payload, len);
    s.req = rs_calloc((size_t)s.n_req, sizeof *s.req);
    for (int k = 0; k < s.n_req; k++) {
        size_t at = (size_t)k * CHUNK, n = total - at < CHUNK ? (size_t)(total - at) : CHUNK;
        if (MPI_Isend(s.bytes + at, (int)n, MPI_BYTE, dest, tag, MPI_COMM_WORLD, &s.req[k]) !=
            MPI_SUCCESS)
            die("cannot send to rank %d", dest);
    }
    if (n_sends == cap_sends) {
        cap_sends = cap_sends ? 2 * cap_sends : 16;
        sends = rs_realloc(sends, (size_t)cap_sends * sizeof *sends);
    }
    sends[n_sends++] = s;
    sent();
}

static void msg_room(struct msg *m, size_t n)
{
    if (n <= m->cap) return;
    m->p = rs_realloc(m->p, n);
    m->cap = n;
}

/* The next message from src (MPI_ANY_SOURCE: anyone), whole, into m: 1,
 * or 0 when none is waiting. */
static int poll_msg(int src, struct msg *m)
{
    int flag = 0, count = 0;
    MPI_Status st;
    sent();
    if (MPI_Iprobe(src, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) != MPI_SUCCESS)
        die("cannot look for messages");
    if (!flag) return 0;
    MPI_Get_count(&st, MPI_BYTE, &count);
    m->from = st.MPI_SOURCE;
    m->tag = st.MPI_TAG;
    msg_room(m, (size_t)count);
    MPI_Recv(m->p, count, MPI_BYTE, m->from, m->tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    uint64_t total = 0;
    if ((size_t)count < sizeof total) die("a message from rank %d is cut short", m->from);
    memcpy(&total, m->p, sizeof total);
    msg_room(m, (size_t)total);
    for (size_t at = (size_t)count; at < total; at += CHUNK) {
        size_t n = total - at < CHUNK ? (size_t)(total - at) : CHUNK;
        MPI_Recv(m->p + at, (int)n, MPI_BYTE, m->from, m->tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    m->len = (size_t)total;
    return 1;
}

/* Field k of m (0-based), and the payload after nf fields. */
static int64_t field(const struct msg *m, int k)
{
    int64_t v = 0;
    size_t at = sizeof(uint64_t) + (size_t)k * sizeof v;
    if (m->len < at + sizeof v) die("a message from rank %d is cut short", m->from);
    memcpy(&v, m->p + at, sizeof v);
    return v;
}

static const char *payload(const struct msg *m, int nf, size_t *len)
{
    size_t head = sizeof(uint64_t) + (size_t)nf * sizeof(int64_t);
    if (m->len < head) die("a message from rank %d is cut short", m->from);
    *len = m->len - head;
    return m->p + head;
}

/* Sleeps a little longer each time nothing happened. */
static void nap(long *ns, int busy)
{
    if (busy) {
        *ns = NAP_MIN_NS;
        return;
    }
    struct timespec t = {0, *ns};
    nanosleep(&t, NULL);
    if (*ns < NAP_MAX_NS) *ns *= 2;
}

/* The run a message belongs to must be this one. */
static void same_run(const struct msg *m)
{
    if (field(m, 0) != run_seq)
        die("rank %d is at shipped run %lld, this rank at %ld: the ranks disagree on the work",
            m->from, (long long)field(m, 0), run_seq);
}

/* ------------------------------------------------ results done here */

struct done {
    long task;
    int rc;
    struct rs_buf bytes;
    struct done *next;
};

/* What a rank's threads share: the tasks (rank 0: a counter; others: the
 * indices received) and the results done, for the main thread to send. */
struct here {
    const struct rs_pool_job *job;
    pthread_mutex_t lock;
    pthread_cond_t more;
    long next, failed; /* rank 0: next index to hand out, lowest failed (n: none) */
    int stop;          /* rank 0: a task failed, none started after */
    long *queue;       /* others: indices received, -1 a thread's stop */
    int q_head, q_len, q_cap;
    int running; /* threads not finished */
    struct done *out, **out_tail;
};

/* The next task for a thread of this rank, -1: none. */
static long take(struct here *h)
{
    long i = -1;
    pthread_mutex_lock(&h->lock);
    if (rank == 0) {
        if (!h->stop && h->next < h->job->n) i = h->next++;
    } else {
        while (!h->q_len)
            pthread_cond_wait(&h->more, &h->lock);
        i = h->queue[h->q_head];
        h->q_head = (h->q_head + 1) % h->q_cap;
        h->q_len--;
    }
    pthread_mutex_unlock(&h->lock);
    return i;
}

/* Notes task i's outcome (rank 0, lock held). */
static void finished(struct here *h, long i, int rc)
{
    if (!rc) return;
    h->stop = 1;
    if (i < h->failed) h->failed = i;
}

static void *thread_main(void *arg)
{
    struct here *h = arg;
    long i;
    while ((i = take(h)) >= 0) {
        struct done *d = rs_calloc(1, sizeof *d);
        d->task = i;
        d->rc = rs_pool_ship(h->job, i, &d->bytes);
        pthread_mutex_lock(&h->lock);
        if (rank == 0) finished(h, i, d->rc);
        *h->out_tail = d;
        h->out_tail = &d->next;
        pthread_mutex_unlock(&h->lock);
    }
    pthread_mutex_lock(&h->lock);
    h->running--;
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

/* The results done here so far, taken from h (NULL: none). */
static struct done *take_done(struct here *h)
{
    pthread_mutex_lock(&h->lock);
    struct done *d = h->out;
    h->out = NULL;
    h->out_tail = &h->out;
    pthread_mutex_unlock(&h->lock);
    return d;
}

static void free_done(struct done *d)
{
    rs_buf_free(&d->bytes);
    free(d);
}

/* Starts job->threads threads on h (no more than there are tasks); how
 * many started. */
static int start_threads(struct here *h, pthread_t *tids)
{
    int want = h->job->n < h->job->threads ? (int)h->job->n : h->job->threads, started = 0;
    h->running = want; /* before any of them can end */
    while (started < want && pthread_create(&tids[started], NULL, thread_main, h) == 0)
        started++;
    pthread_mutex_lock(&h->lock);
    h->running -= want - started;
    pthread_mutex_unlock(&h->lock);
    return started;
}

/* ------------------------------------------------ rank 0 */

/* Passes a result on to every rank but the one that ran it. */
static void relay(long task, int rc, const char *bytes, size_t len, int ran_on)
{
    const int64_t f[3] = {run_seq, task, rc};
    for (int r = 1; r < ranks; r++)
        if (r != ran_on && !exited[r]) send_msg(r, TAG_RELAY, f, 3, bytes, len);
}

static _Noreturn void end_job(int status, int threads_running);

struct lead {
    struct here *h;
    int hellos;       /* ranks not yet heard from in this run */
    long open;        /* their threads not yet told -1 */
    long outstanding; /* tasks out on other ranks */
};

/* Hands rank r its next task, or -1. */
static void hand_out(struct lead *l, int r)
{
    struct here *h = l->h;
    pthread_mutex_lock(&h->lock);
    long i = !h->stop && h->next < h->job->n ? h->next++ : -1;
    pthread_mutex_unlock(&h->lock);
    const int64_t f[2] = {run_seq, i};
    send_msg(r, TAG_WORK, f, 2, NULL, 0);
    if (i < 0)
        l->open--;
    else
        l->outstanding++;
}

/* A message to rank 0 during a run. */
static void lead_msg(struct lead *l, const struct msg *m)
{
    const struct rs_pool_job *job = l->h->job;
    if (m->tag == TAG_EXIT) { /* a rank ended early: its error, or a disagreement */
        exited[m->from] = 1;
        size_t len;
        const char *text = payload(m, 1, &len);
        if (field(m, 0) == RS_EXIT_OK) die("rank %d ended while work was left", m->from);
        fwrite(text, 1, len, stderr);
        end_job((int)field(m, 0), 1);
    }
    if (m->tag != TAG_RESULT) die("rank %d sent message %d during a run", m->from, m->tag);
    same_run(m);
    long task = (long)field(m, 1);
    int rc = (int)field(m, 2);
    if (task < 0) { /* hello: rc threads */
        l->hellos--;
        l->open += rc;
        for (int k = 0; k < rc; k++)
            hand_out(l, m->from);
        return;
    }
    size_t len;
    const char *bytes = payload(m, 3, &len);
    if (task >= job->n) die("rank %d sent a result for task %ld of %ld", m->from, task, job->n);
    int urc = job->codec->unpack(job->ctx, task, rc, bytes, len);
    if (urc == RS_EINPUT) die("the result of task %ld from rank %d does not fit", task, m->from);
    pthread_mutex_lock(&l->h->lock);
    finished(l->h, task, rc ? rc : urc);
    pthread_mutex_unlock(&l->h->lock);
    relay(task, rc, bytes, len, m->from);
    l->outstanding--;
    hand_out(l, m->from);
}

static long lead_run(const struct rs_pool_job *job)
{
    struct here h = {.job = job, .failed = job->n};
    pthread_mutex_init(&h.lock, NULL);
    h.out_tail = &h.out;
    pthread_t *tids = rs_calloc((size_t)job->threads, sizeof *tids);
    int started = start_threads(&h, tids);
    struct lead l = {.h = &h, .hellos = ranks - 1};
    struct msg m = {0};
    long ns = NAP_MIN_NS;
    for (;;) {
        int busy = 0;
        for (struct done *d = take_done(&h), *next; d; d = next, busy = 1) {
            next = d->next;
            relay(d->task, d->rc, d->bytes.s, d->bytes.len, 0);
            free_done(d);
        }
        if (poll_msg(MPI_ANY_SOURCE, &m)) {
            lead_msg(&l, &m);
            busy = 1;
        }
        pthread_mutex_lock(&h.lock);
        int local = h.running || h.out;
        pthread_mutex_unlock(&h.lock);
        if (!local && !l.hellos && !l.open && !l.outstanding) break;
        nap(&ns, busy);
    }
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
    free(m.p);
    pthread_mutex_destroy(&h.lock);
    long failed = h.failed < job->n ? h.failed : -1;
    const int64_t f[2] = {run_seq, failed};
    for (int r = 1; r < ranks; r++)
        if (!exited[r]) send_msg(r, TAG_END, f, 2, NULL, 0);
    return failed;
}

/* ------------------------------------------------ the other ranks */

static _Noreturn void follow_exit(void);

/* A message from rank 0 during a run; 1 at its end (*failed set). */
static int follow_msg(struct here *h, const struct msg *m, long *failed)
{
    const struct rs_pool_job *job = h->job;
    if (m->tag == TAG_EXIT) follow_exit();
    same_run(m);
    if (m->tag == TAG_END) {
        *failed = (long)field(m, 1);
        return 1;
    }
    if (m->tag == TAG_WORK) {
        long i = (long)field(m, 1);
        if (i >= job->n) die("rank 0 sent task %ld of %ld", i, job->n);
        pthread_mutex_lock(&h->lock);
        if (h->q_len == h->q_cap) die("rank 0 sent more tasks than this rank asked for");
        h->queue[(h->q_head + h->q_len) % h->q_cap] = i;
        h->q_len++;
        pthread_cond_signal(&h->more);
        pthread_mutex_unlock(&h->lock);
        return 0;
    }
    if (m->tag != TAG_RELAY) die("rank 0 sent message %d during a run", m->tag);
    long task = (long)field(m, 1);
    size_t len;
    const char *bytes = payload(m, 3, &len);
    if (task < 0 || task >= job->n) die("rank 0 relayed task %ld of %ld", task, job->n);
    if (job->codec->unpack(job->ctx, task, (int)field(m, 2), bytes, len) == RS_EINPUT)
        die("the result of task %ld relayed by rank 0 does not fit", task);
    return 0;
}

static long follow_run(const struct rs_pool_job *job)
{
    struct here h = {.job = job, .q_cap = job->threads};
    pthread_mutex_init(&h.lock, NULL);
    pthread_cond_init(&h.more, NULL);
    h.out_tail = &h.out;
    h.queue = rs_calloc((size_t)h.q_cap, sizeof *h.queue);
    pthread_t *tids = rs_calloc((size_t)job->threads, sizeof *tids);
    int started = start_threads(&h, tids);
    if (!started) die("cannot start a thread");
    const int64_t hello[3] = {run_seq, -1, started};
    send_msg(0, TAG_RESULT, hello, 3, NULL, 0);
    struct msg m = {0};
    long ns = NAP_MIN_NS, failed = -1;
    for (int over = 0; !over;) {
        int busy = 0;
        for (struct done *d = take_done(&h), *next; d; d = next, busy = 1) {
            next = d->next;
            const int64_t f[3] = {run_seq, d->task, d->rc};
            send_msg(0, TAG_RESULT, f, 3, d->bytes.s, d->bytes.len);
            free_done(d);
        }
        if (poll_msg(0, &m)) {
            over = follow_msg(&h, &m, &failed);
            busy = 1;
        }
        if (!over) nap(&ns, busy);
    }
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
    free(h.queue);
    free(m.p);
    pthread_cond_destroy(&h.more);
    pthread_mutex_destroy(&h.lock);
    return failed;
}

/* ------------------------------------------------ the backend, start, end */

/* Waits for this rank's messages to be taken (every rank receives until
 * the job's end), then ends MPI. */
static void finalize(void)
{
    long ns = NAP_MIN_NS;
    for (sent(); n_sends; sent())
        nap(&ns, 0);
    MPI_Finalize();
}

static long mpi_run(void *self, const struct rs_pool_job *job)
{
    (void)self;
    run_seq++;
    if (job->n <= 0) return -1;
    return rank == 0 ? lead_run(job) : follow_run(job);
}

void rs_mpi_start(int *argc, char ***argv)
{
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fputs("replysim: MPI could not start\n", stderr);
        exit(RS_EXIT_RUNTIME);
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (provided < MPI_THREAD_FUNNELED) die("this MPI cannot run threads beside it");
    if (ranks < 2) return;
    static const struct rs_pool_backend backend = {mpi_run, NULL};
    rs_pool_set_backend(&backend);
    exited = rs_calloc((size_t)ranks, sizeof *exited);
    if (rank == 0) return;
    rs_report_set_discard(1);
    fflush(NULL);
    kept_err = tmpfile();
    orig_err = dup(STDERR_FILENO);
    if (!kept_err || orig_err < 0 || dup2(fileno(kept_err), STDERR_FILENO) < 0 ||
        !freopen("/dev/null", "w", stdout))
        die("cannot set its output aside");
}

int rs_mpi_rank(void) { return rank; }

/* Rank 0: tells every rank the job is over, waits until each has said so
 * too and exits with status, or when that is 0 with the status of the
 * first rank that ended in an error (its message printed).
 * threads_running: tasks may still run here, so no atexit handlers. */
static _Noreturn void end_job(int status, int threads_running)
{
    fflush(NULL);
    const int64_t f[1] = {status};
    for (int r = 1; r < ranks; r++) /* each waits for it, even after its own */
        send_msg(r, TAG_EXIT, f, 1, NULL, 0);
    struct msg m = {0};
    long ns = NAP_MIN_NS;
    for (int r = 1; r < ranks;) {
        int busy = poll_msg(MPI_ANY_SOURCE, &m);
        if (busy && m.tag == TAG_EXIT && !exited[m.from]) {
            exited[m.from] = 1;
            size_t len;
            const char *text = payload(&m, 1, &len);
            if (status == RS_EXIT_OK && field(&m, 0) != RS_EXIT_OK) {
                fwrite(text, 1, len, stderr); /* an error rank 0 did not meet */
                status = (int)field(&m, 0);
            }
        }
        while (r < ranks && exited[r])
            r++;
        nap(&ns, busy);
    }
    free(m.p);
    finalize();
    if (threads_running) {
        fflush(NULL);
        _Exit(status);
    }
    exit(status);
}

/* Ranks > 0: says it ended (with status and what it would have printed),
 * waits for rank 0's end of the job, exits 0. */
static _Noreturn void follow_end(int status)
{
    size_t len = 0;
    char text[KEPT_ERR_CAP];
    if (status != RS_EXIT_OK && kept_err) {
        fflush(stderr);
        long size = ftell(kept_err); /* shares its offset with fd 2 */
        long from = size > (long)sizeof text ? size - (long)sizeof text : 0;
        if (fseek(kept_err, from, SEEK_SET) == 0) len = fread(text, 1, sizeof text, kept_err);
    }
    const int64_t f[1] = {status};
    send_msg(0, TAG_EXIT, f, 1, text, len);
    struct msg m = {0};
    long ns = NAP_MIN_NS;
    int over = 0;
    while (!over) {
        int busy = poll_msg(0, &m);
        over = busy && m.tag == TAG_EXIT;
        if (!over) nap(&ns, busy);
    }
    free(m.p);
    finalize();
    exit(RS_EXIT_OK);
}

/* Rank 0 ended the job while this rank was in a run. */
static _Noreturn void follow_exit(void)
{
    const int64_t f[1] = {RS_EXIT_OK};
    send_msg(0, TAG_EXIT, f, 1, NULL, 0);
    finalize();
    _Exit(RS_EXIT_OK);
}

_Noreturn void rs_mpi_finish(int status)
{
    if (ranks < 2) {
        finalize();
        exit(status);
    }
    if (rank == 0) end_job(status, 0);
    follow_end(status);
}
