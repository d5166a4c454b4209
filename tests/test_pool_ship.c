/* test_pool_ship.c: the pool's backend seam (pool.h) without MPI.  A test
 * backend runs every odd task in a forked child process, sends its packed
 * result (the runner's codec) back over a pipe and unpacks it here, as
 * replysim-mpi's ranks do; the even tasks run here.  What the runners
 * produce through it is byte for byte what they produce without it, a
 * failed task in the other process is reported as it would be here, and
 * only runs outside every task are shipped. */
#include "replysim/buf.h"
#include "replysim/experiment.h"
#include "replysim/pool.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "replysim/sweep.h"
#include "util.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const text =
    "[scenario]\nname = ship\nhorizon = 1d\nwarmup = 0s\nreplications = 5\nseed = 4\n"
    "interval = 6h\n"
    "[channel tw]\nrate = 12/h\nmix = question:1\n"
    "[type question]\nhandle = exponential(mean=5m)\n[staff]\nagents = 2\n";

static void setup(void)
{
    rs_test_dir_create("pool_ship");
    rs_test_write("s.ini", text);
}
static void teardown(void)
{
    rs_pool_set_backend(NULL);
    rs_test_dir_destroy();
}

static void put(int fd, const void *p, size_t n)
{
    for (const char *c = p; n;) {
        ssize_t k = write(fd, c, n);
        if (k <= 0) _exit(99);
        c += k;
        n -= (size_t)k;
    }
}

/* n bytes, or 0 at the end of the pipe. */
static int get(int fd, void *p, size_t n)
{
    for (char *c = p; n;) {
        ssize_t k = read(fd, c, n);
        if (k <= 0) return 0;
        c += k;
        n -= (size_t)k;
    }
    return 1;
}

struct shipper {
    int runs;    /* jobs the backend was given */
    long tasks;  /* their tasks in all */
    int shipped; /* results that came through the pipe */
};

static long fork_run(void *self, const struct rs_pool_job *job)
{
    struct shipper *s = self;
    s->runs++;
    s->tasks += job->n;
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fd[0]);
        for (long i = 1; i < job->n; i += 2) {
            struct rs_buf b = RS_BUF_INIT;
            int rc = rs_pool_ship(job, i, &b);
            const int64_t head[3] = {i, rc, (int64_t)b.len};
            put(fd[1], head, sizeof head);
            put(fd[1], b.s, b.len);
            rs_buf_free(&b);
        }
        _exit(0);
    }
    close(fd[1]);
    long failed = -1;
    for (long i = 0; i < job->n; i += 2) {
        struct rs_buf b = RS_BUF_INIT;
        if (rs_pool_ship(job, i, &b) && (failed < 0 || i < failed)) failed = i;
        rs_buf_free(&b);
    }
    int64_t head[3];
    while (get(fd[0], head, sizeof head)) {
        size_t len = (size_t)head[2];
        char *bytes = malloc(len + 1);
        ck_assert(get(fd[0], bytes, len) || len == 0);
        int rc = job->codec->unpack(job->ctx, (long)head[0], (int)head[1], bytes, len);
        ck_assert_int_eq(rc, RS_OK);
        if (head[1] && (failed < 0 || head[0] < failed)) failed = (long)head[0];
        s->shipped++;
        free(bytes);
    }
    close(fd[0]);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return failed;
}

static struct shipper *ship_on(void)
{
    static struct shipper s;
    memset(&s, 0, sizeof s);
    static const struct rs_pool_backend b = {fork_run, &s};
    rs_pool_set_backend(&b);
    return &s;
}

/* Every file a run writes from res, one after the other. */
static char *run_files(const struct rs_scenario *sc, int threads)
{
    struct rs_run_opts o = {.replications = 5, .seed = 11, .threads = threads, .trace = 1};
    struct rs_results *res = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_experiment_run(sc, &o, &res, &err), RS_OK);
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    rs_report_summary(f, res);
    rs_report_replications(f, res);
    rs_report_latency(f, res, sc);
    rs_report_intervals(f, res, sc);
    ck_assert_int_eq(rs_report_messages(f, res), RS_OK);
    fclose(f);
    rs_results_destroy(res);
    return s;
}

START_TEST(replications_shipped_give_the_same_files)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_scenario_load_string(text, "ship", &sc, &err), RS_OK);
    char *here = run_files(sc, 1);
    struct shipper *s = ship_on();
    for (int threads = 1; threads <= 2; threads++) {
        char *shipped = run_files(sc, threads);
        ck_assert_str_eq(here, shipped);
        free(shipped);
    }
    ck_assert_int_eq(s->runs, 2);
    ck_assert_int_eq(s->shipped, 2 * 2);         /* replications 2 and 4, twice */
    ck_assert_ptr_nonnull(strstr(here, "\n5,")); /* the fifth replication's trace rows */
    free(here);
    rs_scenario_destroy(sc);
}
END_TEST

/* sweep.csv's rows of --vary staff.agents=values, and the run's code. */
static char *sweep_rows(const char *values, int threads, int *rc, struct rs_error *err)
{
    char p[512];
    snprintf(p, sizeof p, "%s/s.ini", rs_test_dir);
    struct rs_sweep sw = {.path = p, .replications = 2, .seed = 9};
    char why[256];
    ck_assert_int_eq(rs_sweep_add_axis(&sw, "staff.agents", values, why, sizeof why), 0);
    sw.n_points = sw.axes[0].n;
    FILE *rows = tmpfile();
    ck_assert_ptr_nonnull(rows);
    *rc = rs_sweep_run(&sw, threads, rows, err);
    char *s = rs_test_read_stream(rows);
    fclose(rows);
    rs_sweep_free(&sw);
    return s;
}

START_TEST(sweep_points_shipped_give_the_same_rows)
{
    int rc;
    struct rs_error err = {0};
    char *here = sweep_rows("1,2,3,4,5", 1, &rc, &err);
    ck_assert_int_eq(rc, RS_OK);
    struct shipper *s = ship_on();
    char *shipped = sweep_rows("1,2,3,4,5", 2, &rc, &err);
    ck_assert_int_eq(rc, RS_OK);
    ck_assert_str_eq(here, shipped);
    ck_assert_ptr_nonnull(strstr(here, "\n5,5,"));
    /* one shipped run: each point's replications ran where the point did */
    ck_assert_int_eq(s->runs, 1);
    ck_assert_int_eq(s->tasks, 5);
    ck_assert_int_eq(s->shipped, 2);
    free(here);
    free(shipped);
}
END_TEST

START_TEST(a_point_failed_elsewhere_is_reported_here)
{
    int rc;
    struct rs_error err = {0};
    ship_on();
    char *rows = sweep_rows("1,x,3", 1, &rc, &err); /* point 2 runs in the child */
    ck_assert_int_eq(rc, RS_EINPUT);
    ck_assert_str_eq(err.file, "--vary staff.agents=x");
    ck_assert_str_eq(err.key, "staff.agents");
    free(rows);
}
END_TEST

Suite *rs_test_pool_ship_suite(void);
Suite *rs_test_pool_ship_suite(void)
{
    Suite *s = suite_create("pool_ship");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, replications_shipped_give_the_same_files);
    tcase_add_test(tc, sweep_points_shipped_give_the_same_rows);
    tcase_add_test(tc, a_point_failed_elsewhere_is_reported_here);
    suite_add_tcase(s, tc);
    return s;
}
