/* test_pool.c: the one worker pool (sim/pool.c): every task once, by
 * index, whatever the thread count; a failure stops the hand-out and the
 * lowest failed index is returned. */
#include "replysim/pool.h"

#include <check.h>
#include <stdatomic.h>
#include <string.h>

#define N 200

struct ctx {
    atomic_int runs[N];
    long out[N];
    long fail_from; /* tasks >= this fail; N: none */
};

static int square(void *p, long i)
{
    struct ctx *c = p;
    atomic_fetch_add(&c->runs[i], 1);
    c->out[i] = i * i;
    return i >= c->fail_from ? -2 : 0;
}

START_TEST(every_task_once_by_index)
{
    static const int threads[] = {1, 2, 3, 8, 500};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        struct ctx c;
        memset(&c, 0, sizeof c);
        c.fail_from = N;
        ck_assert_int_eq(rs_pool_run(N, threads[t], square, &c), -1);
        for (long i = 0; i < N; i++) {
            ck_assert_int_eq(atomic_load(&c.runs[i]), 1);
            ck_assert_int_eq(c.out[i], i * i);
        }
    }
}
END_TEST

START_TEST(no_tasks)
{
    struct ctx c;
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(rs_pool_run(0, 4, square, &c), -1);
}
END_TEST

START_TEST(a_failure_stops_the_hand_out)
{
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.fail_from = 17;
    /* one thread: tasks run in order, none after the first failure */
    ck_assert_int_eq(rs_pool_run(N, 1, square, &c), 17);
    for (long i = 0; i < N; i++)
        ck_assert_int_eq(atomic_load(&c.runs[i]), i <= 17);
    /* several: the lowest failed index, whichever thread saw which */
    memset(&c, 0, sizeof c);
    c.fail_from = 5;
    ck_assert_int_eq(rs_pool_run(N, 4, square, &c), 5);
    for (long i = 0; i < 5; i++)
        ck_assert_int_eq(atomic_load(&c.runs[i]), 1);
}
END_TEST

Suite *rs_test_pool_suite(void);
Suite *rs_test_pool_suite(void)
{
    Suite *s = suite_create("pool");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_task_once_by_index);
    tcase_add_test(tc, no_tasks);
    tcase_add_test(tc, a_failure_stops_the_hand_out);
    suite_add_tcase(s, tc);
    return s;
}
