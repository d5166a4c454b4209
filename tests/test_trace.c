/* test_trace.c: messages.csv (run --trace): one row per message and its
 * fate, agreeing with the summary metrics, the same whatever the threads. */
#include "replysim/experiment.h"
#include "replysim/scenario.h"
#include "util.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Overloaded enough that every fate but bot and blocked occurs. */
static const char *const text =
    "[scenario]\nname = tr\nhorizon = 2d\nwarmup = 2h\ndrain = 6h\nreplications = 3\nseed = 5\n"
    "[channel tw]\nrate = 30/h\nmix = complaint:0.5, question:0.4, praise:0.1\n"
    "[type complaint]\nhandle = exponential(mean=4m)\npatience = exponential(mean=1h)\n"
    "followup = 0.5\n"
    "[type question]\nhandle = exponential(mean=3m)\npatience = exponential(mean=3h)\n"
    "[type praise]\nreply = no\n"
    "[staff]\nagents = 2\n[policy]\nmax_age = 1d\n";

static struct rs_results *run(int threads)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    ck_assert_msg(rs_scenario_load_string(text, "tr", &sc, &err) == RS_OK, "%s", err.msg);
    struct rs_run_opts o = {.replications = 3, .seed = 5, .threads = threads, .trace = 1};
    struct rs_results *res = NULL;
    ck_assert_int_eq(rs_experiment_run(sc, &o, &res, &err), RS_OK);
    rs_scenario_destroy(sc);
    return res;
}

/* Counts of one replication's rows: all, counted, counted and answered
 * (by an agent, the thread or the bot), counted with no reply needed. */
struct counts {
    long rows, counted, answered, no_reply, followups;
};

static struct counts count_rows(FILE *f)
{
    struct counts c = {0};
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        /* replication,id,thread,channel,type,followup,switched,counted,fate,... */
        char *field[10] = {NULL};
        int n = 0;
        char *save = NULL;
        for (char *p = strtok_r(line, ",", &save); p && n < 10; p = strtok_r(NULL, ",", &save))
            field[n++] = p;
        ck_assert_int_ge(n, 10);
        c.rows++;
        if (strtol(field[7], NULL, 10) != 1) continue;
        c.counted++;
        c.followups += (int)strtol(field[5], NULL, 10);
        if (!strcmp(field[8], "answered") || !strcmp(field[8], "thread") ||
            !strcmp(field[8], "bot"))
            c.answered++;
        if (!strcmp(field[8], "no_reply")) c.no_reply++;
    }
    return c;
}

START_TEST(rows_agree_with_the_metrics)
{
    struct rs_results *res = run(1);
    int m_off = rs_results_find_metric(res, "offered"),
        m_need = rs_results_find_metric(res, "needing_reply"),
        m_rr = rs_results_find_metric(res, "response_rate"),
        m_fu = rs_results_find_metric(res, "followups");
    ck_assert(m_off >= 0 && m_need >= 0 && m_rr >= 0 && m_fu >= 0);
    for (int rep = 0; rep < 3; rep++) {
        FILE *f = rs_results_trace(res, rep);
        ck_assert_ptr_nonnull(f);
        struct counts c = count_rows(f);
        double offered = rs_results_value(res, m_off, 0, rep),
               needing = rs_results_value(res, m_need, 0, rep),
               rr = rs_results_value(res, m_rr, 0, rep);
        ck_assert_int_eq(c.counted, (long)offered);
        ck_assert_int_eq(c.counted - c.no_reply, (long)needing);
        ck_assert_int_eq(c.followups, (long)rs_results_value(res, m_fu, 0, rep));
        /* nothing is blocked: inbox = needing */
        ck_assert_int_eq(c.answered, lround(rr * needing));
        ck_assert_int_gt(c.rows, c.counted); /* the warm-up's and drain's messages too */
    }
    rs_results_destroy(res);
}
END_TEST

START_TEST(same_rows_whatever_the_threads)
{
    struct rs_results *a = run(1), *b = run(3);
    for (int rep = 0; rep < 3; rep++) {
        char *x = rs_test_read_stream(rs_results_trace(a, rep)),
             *y = rs_test_read_stream(rs_results_trace(b, rep));
        ck_assert_msg(strcmp(x, y) == 0, "replication %d differs", rep + 1);
        free(x);
        free(y);
    }
    rs_results_destroy(a);
    rs_results_destroy(b);
}
END_TEST

Suite *rs_test_trace_suite(void);
Suite *rs_test_trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("messages");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rows_agree_with_the_metrics);
    tcase_add_test(tc, same_rows_whatever_the_threads);
    suite_add_tcase(s, tc);
    return s;
}
