/* test_followups.c: a customer's follow-up written while their first
 * message was unanswered, replayed as the log had it (the trace's
 * thread_of): joined to the open thread, whose one reply answers it (fate
 * thread), or a new message once that thread is answered.  Hand-worked
 * cases through the world's message log and through backtest, the readers'
 * thread keys, and small_shop backtested against its own log. */
#include "replysim/alloc.h"
#include "replysim/backtest.h"
#include "replysim/logread.h"
#include "replysim/rng.h"
#include "replysim/scenario.h"
#include "replysim/world.h"
#include "util.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGS RS_SOURCE_DIR "/tests/data/logs/"

/* One agent, fifo, customers who never give up; the trace's handle times. */
static const char *const one_agent =
    "[scenario]\nhorizon = 1h\ndrain = 1d\n[channel web]\nrate = 1/h\n"
    "[type q]\nhandle = exponential(mean=5m)\npatience = never\n[staff]\nagents = 1\n";

/* The trace of the hand-worked case: arrival, handle, the row it follows. */
static const struct {
    double t_s, handle_s;
    int follows;
} rows[] = {
    {0, 100, -1},  /* 0: taken at once, replied at 100 */
    {10, 50, 0},   /* 1: 0 is in hand: joins, answered by 0's reply at 100 */
    {20, 100, -1}, /* 2: waits; taken at 100, replied at 200 */
    {30, 70, 2},   /* 3: 2 waits: joins, answered at 200 */
    {150, 40, 3},  /* 4: 3 is open (in 2's thread): joins, answered at 200 */
    {300, 30, 2},  /* 5: 2 was answered at 200: a new message, 300 to 330 */
};
#define N_ROWS ((int)(sizeof rows / sizeof rows[0]))

static struct rs_scenario *one_agent_trace(int with_threads)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    ck_assert_msg(rs_scenario_load_string(one_agent, "fu.ini", &sc, &err) == RS_OK, "%s", err.msg);
    struct rs_trace *t = &sc->channels[0].trace;
    sc->channels[0].rate_per_s = 0;
    t->n = N_ROWS;
    t->t_s = rs_calloc(N_ROWS, sizeof *t->t_s);
    t->type = rs_calloc(N_ROWS, sizeof *t->type);
    t->followers = rs_calloc(N_ROWS, sizeof *t->followers);
    t->handle_s = rs_calloc(N_ROWS, sizeof *t->handle_s);
    if (with_threads) t->thread_of = rs_calloc(N_ROWS, sizeof *t->thread_of);
    for (int i = 0; i < N_ROWS; i++) {
        t->t_s[i] = rows[i].t_s;
        t->followers[i] = 0;
        t->handle_s[i] = rows[i].handle_s;
        if (with_threads) t->thread_of[i] = rows[i].follows;
    }
    ck_assert_msg(rs_scenario_check(sc, &err) == RS_OK, "%s", err.msg);
    return sc;
}

struct log {
    struct rs_msg_record v[16];
    int n;
};

static void log_cb(void *ctx, const struct rs_msg_record *r)
{
    struct log *l = ctx;
    ck_assert_int_lt(l->n, 16);
    l->v[l->n++] = *r;
}

/* The record of the message that arrived at t_s. */
static const struct rs_msg_record *at(const struct log *l, double t_s)
{
    for (int i = 0; i < l->n; i++)
        if (l->v[i].arrive_s == t_s) return &l->v[i];
    ck_abort_msg("no message arrived at %g", t_s);
    return NULL;
}

static void run_logged(const struct rs_scenario *sc, struct log *l)
{
    struct rs_world *w = rs_world_create(sc, rs_rng_replication_key(1, 0));
    rs_world_set_log(w, log_cb, l);
    ck_assert_int_eq(rs_world_run(w), RS_OK);
    rs_world_destroy(w);
}

START_TEST(a_followup_joins_its_open_thread)
{
    struct rs_scenario *sc = one_agent_trace(1);
    struct log l = {.n = 0};
    run_logged(sc, &l);
    ck_assert_int_eq(l.n, N_ROWS);
    /* fate and end by hand (see rows) */
    static const struct {
        enum rs_fate fate;
        double end_s;
        int thread_row; /* the row whose id is its thread */
    } want[N_ROWS] = {{RS_FATE_ANSWERED, 100, 0}, {RS_FATE_THREAD, 100, 0},
                      {RS_FATE_ANSWERED, 200, 2}, {RS_FATE_THREAD, 200, 2},
                      {RS_FATE_THREAD, 200, 2},   {RS_FATE_ANSWERED, 330, 5}};
    for (int i = 0; i < N_ROWS; i++) {
        const struct rs_msg_record *r = at(&l, rows[i].t_s);
        ck_assert_msg(r->fate == want[i].fate, "row %d: %s", i, rs_fate_name(r->fate));
        ck_assert_msg(fabs(r->end_s - want[i].end_s) < 1e-9, "row %d: end %g", i, r->end_s);
        ck_assert_uint_eq(r->thread, at(&l, rows[want[i].thread_row].t_s)->id);
        ck_assert_int_eq(r->followup, want[i].thread_row != i);
    }
    rs_scenario_destroy(sc);
}
END_TEST

/* The same trace without thread_of: every row gets its own reply, in turn. */
START_TEST(without_threads_every_row_is_answered_alone)
{
    struct rs_scenario *sc = one_agent_trace(0);
    struct log l = {.n = 0};
    run_logged(sc, &l);
    ck_assert_int_eq(l.n, N_ROWS);
    double free_s = 0;
    for (int i = 0; i < N_ROWS; i++) {
        const struct rs_msg_record *r = at(&l, rows[i].t_s);
        free_s = fmax(free_s, rows[i].t_s) + rows[i].handle_s;
        ck_assert_msg(r->fate == RS_FATE_ANSWERED, "row %d: %s", i, rs_fate_name(r->fate));
        ck_assert_msg(fabs(r->end_s - free_s) < 1e-9, "row %d: end %g, not %g", i, r->end_s,
                      free_s);
        ck_assert_uint_eq(r->thread, r->id);
    }
    rs_scenario_destroy(sc);
}
END_TEST

/* Two scenarios whose traces differ only in their follow-ups are not the
 * same scenario (rs_scenario_equal), nor are ones differing in a row's. */
START_TEST(follow_ups_make_a_trace_differ)
{
    struct rs_scenario *a = one_agent_trace(1), *b = one_agent_trace(0), *c = one_agent_trace(1);
    ck_assert(rs_scenario_equal(a, c));
    ck_assert(!rs_scenario_equal(a, b));
    c->channels[0].trace.thread_of[5] = -1;
    ck_assert(!rs_scenario_equal(a, c));
    rs_scenario_destroy(a);
    rs_scenario_destroy(b);
    rs_scenario_destroy(c);
}
END_TEST

/* ------------------------------------------------ backtest */

/* messages_threads.csv: web rows (by time) ids 1, 2, 3, 4, 5, 8 of threads
 * 1, 1, 3, 3, 3, 3 (id 4 is read after id 5); mail rows 6 (its own) and 7
 * (thread 3, whose first message is on web: a switch, not a follow-up). */
static const char *const two_channels =
    "[scenario]\nhorizon = 1h\n[channel web]\nrate = 1/h\n[channel mail]\nrate = 1/h\n"
    "[type q]\nhandle = exponential(mean=5m)\npatience = never\n[staff]\nagents = 1\n";

START_TEST(messages_threads_replay_as_the_log)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    ck_assert_msg(rs_scenario_load_string(two_channels, "bt.ini", &sc, &err) == RS_OK, "%s",
                  err.msg);
    struct rs_log_opts lo = {0};
    struct rs_backtest_file f = {.path = LOGS "messages_threads.csv", .opts = &lo};
    struct rs_log_source src;
    ck_assert_msg(rs_backtest_file_source(&f, &src, &err) == RS_OK, "%s", err.msg);
    struct rs_backtest_opts o = {.replications = 5, .seed = 3, .threads = 1};
    struct rs_backtest *bt = NULL;
    ck_assert_msg(rs_backtest_run(sc, &src, &o, &bt, &err) == RS_OK, "%s", err.msg);
    const struct rs_scenario *rp = rs_backtest_scenario(bt);
    const struct rs_trace *web = &rp->channels[0].trace, *mail = &rp->channels[1].trace;
    static const int want[] = {-1, 0, -1, 2, 3, 4};
    ck_assert_int_eq(web->n, 6);
    ck_assert_ptr_nonnull(web->thread_of);
    for (int i = 0; i < 6; i++)
        ck_assert_msg(web->thread_of[i] == want[i], "row %d: %d", i, web->thread_of[i]);
    ck_assert_int_eq(mail->n, 2);
    ck_assert_ptr_null(mail->thread_of);
    /* The replay with the log's handle times is the log itself: answered
     * at 100, 100 (thread), 200, 200, 200 (thread), 330 on web, 450 and
     * 520 on mail; taken (answered by an agent) at 0, 100, 300, 400, 500. */
    static const char *const metric[] = {"frt_mean_s", "wait_mean_s", "response_rate"};
    const double frt = (100 + 90 + 180 + 170 + 50 + 30 + 50 + 20) / 8.0, wait = 80 / 5.0;
    const double obs[] = {frt, wait, 1};
    for (int k = 0; k < 3; k++) {
        struct rs_backtest_row row;
        rs_backtest_row(bt, -1, rs_backtest_find_metric(bt, metric[k]), &row);
        ck_assert_msg(fabs(row.observed - obs[k]) < 1e-9, "%s: %g", metric[k], row.observed);
        ck_assert_msg(fabs(row.mean - obs[k]) < 1e-9, "%s: replay %g", metric[k], row.mean);
    }
    rs_backtest_destroy(bt);
    rs_backtest_file_close(&f);
    rs_scenario_destroy(sc);
}
END_TEST

/* twcs_threads.csv counted as the replay counts: the brand answered 22,
 * 21's follow-up, at 10:20, and that one reply answers 21 too (1200 s and
 * 900 s); 24 (a later turn) and 25 (another customer) have no answer. */
START_TEST(a_thread_reply_answers_the_earlier_message_in_the_log_too)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    static const char *const tw =
        "[scenario]\nhorizon = 1h\n[channel twitter]\nrate = 1/h\n"
        "[type q]\nhandle = exponential(mean=5m)\npatience = never\n[staff]\nagents = 1\n";
    ck_assert_msg(rs_scenario_load_string(tw, "tw.ini", &sc, &err) == RS_OK, "%s", err.msg);
    struct rs_log_opts lo = {0};
    struct rs_backtest_file f = {.path = LOGS "twcs_threads.csv", .opts = &lo};
    struct rs_log_source src;
    ck_assert_msg(rs_backtest_file_source(&f, &src, &err) == RS_OK, "%s", err.msg);
    struct rs_backtest_opts o = {.replications = 3, .seed = 3, .threads = 1};
    struct rs_backtest *bt = NULL;
    ck_assert_msg(rs_backtest_run(sc, &src, &o, &bt, &err) == RS_OK, "%s", err.msg);
    const struct rs_trace *t = &rs_backtest_scenario(bt)->channels[0].trace;
    ck_assert_int_eq(t->n, 4);
    ck_assert_ptr_nonnull(t->thread_of);
    static const int want[] = {-1, 0, -1, -1};
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(t->thread_of[i], want[i]);
    struct rs_backtest_row row;
    rs_backtest_row(bt, -1, rs_backtest_find_metric(bt, "response_rate"), &row);
    ck_assert(fabs(row.observed - 0.5) < 1e-12);
    rs_backtest_row(bt, -1, rs_backtest_find_metric(bt, "frt_mean_s"), &row);
    ck_assert_msg(fabs(row.observed - (1200 + 900) / 2.0) < 1e-9, "%g", row.observed);
    rs_backtest_destroy(bt);
    rs_backtest_file_close(&f);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------ the readers' threads */

struct thread_want {
    const char *path;
    const char *thread[8];
    int n;
};

/* events: a thread column; twcs (in the order tweets go out: 22, 24, 21,
 * 25): 22 answers its author's own 21 (a follow-up), 24 answers the brand
 * (a later turn), 25 is another customer's reply to 21; messages: the
 * thread column. */
static const struct thread_want thread_cases[] = {
    {LOGS "events_threads.csv", {"a", "a", "", "b"}, 4},
    {LOGS "twcs_threads.csv", {"21", "24", "21", "25"}, 4},
    {LOGS "messages_threads.csv", {"1", "1", "3", "3", "3", "6", "3", "3"}, 8},
};

START_TEST(readers_give_each_message_its_thread)
{
    const struct thread_want *c = &thread_cases[_i];
    struct rs_log_opts o = {0};
    struct rs_log *lg = NULL;
    struct rs_error err;
    ck_assert_msg(rs_log_open(c->path, &o, &lg, &err) == RS_OK, "%s", err.msg);
    struct rs_log_msg m;
    int n = 0, rc;
    while ((rc = rs_log_next(lg, &m, &err)) == 1) {
        ck_assert_int_lt(n, c->n);
        ck_assert_msg(strcmp(m.thread, c->thread[n]) == 0, "%s line %ld: thread \"%s\"", c->path,
                      m.line, m.thread);
        n++;
    }
    ck_assert_msg(rc == 0, "%s", err.msg);
    ck_assert_int_eq(n, c->n);
    rs_log_close(lg);
}
END_TEST

/* ------------------------------------------------ small_shop */

static void setup(void) { rs_test_dir_create("followups"); }
static void teardown(void) { rs_test_dir_destroy(); }

/* small_shop's own log backtested against small_shop: its follow-ups
 * answered by their thread's reply in the replay as in the log, the log is
 * one more draw of what the replications draw, and each metric's coverage
 * is 0.95 up to the binomial error over the intervals (4 standard errors:
 * intervals share queues).  Replaying each follow-up as a message of its
 * own, wait and frt were covered about 45%. */
START_TEST(small_shop_explains_its_own_log)
{
    ck_assert_int_eq(rs_test_replysim("run %s/scenarios/small_shop.ini -r 1 -s 1 --trace -q -o run",
                                      RS_SOURCE_DIR),
                     0);
    ck_assert_int_eq(rs_test_replysim("backtest run/messages.csv %s/scenarios/small_shop.ini "
                                      "--draw-handles -r 30 -s 1 -j 2 -q -o bt",
                                      RS_SOURCE_DIR),
                     0);
    char *csv = rs_test_slurp("bt/coverage.csv");
    static const char *const checked[] = {"response_rate", "wait_mean_s", "frt_mean_s", "frt_p90_s",
                                          "sl_1h"};
    for (int i = 0; i < 5; i++) {
        char want[64];
        snprintf(want, sizeof want, "\n%s,", checked[i]);
        const char *p = strstr(csv, want);
        ck_assert_msg(p != NULL, "no row %s", checked[i]);
        long n, k;
        ck_assert_int_eq(sscanf(p + strlen(want), "%ld,%ld,", &n, &k), 2);
        ck_assert_int_ge(n, 100);
        double se = sqrt(0.95 * 0.05 / (double)n);
        ck_assert_msg((double)k / (double)n >= 0.95 - 4 * se, "%s: %ld of %ld", checked[i], k, n);
    }
    ck_assert(rs_test_contains("stdout", "the scenario explains the log"));
    free(csv);
}
END_TEST

/* The backtest's folder keeps the follow-ups (trace_web.csv's follows
 * column): its scenario run again answers ids 2, 4 and 5 by their threads,
 * as the log did. */
START_TEST(the_replay_folder_runs_again_with_its_threads)
{
    rs_test_write("two.ini", two_channels);
    ck_assert_int_eq(
        rs_test_replysim("backtest %s -r 3 -q -o bt two.ini", LOGS "messages_threads.csv"), 0);
    ck_assert(rs_test_contains("bt/trace_web.csv", "time,type,handle,follows\n0s,q,100s,\n"
                                                   "10s,q,,1\n20s,q,100s,\n30s,q,,3\n"
                                                   "150s,q,,4\n300s,q,30s,5\n"));
    ck_assert(rs_test_contains("bt/trace_mail.csv", "time,type,handle\n400s,q,50s\n"));
    ck_assert_int_eq(rs_test_replysim("run bt/scenario.ini -r 1 --trace -q -o again"), 0);
    /* replication,id,thread,channel,type,followup,switched,counted,fate */
    ck_assert(rs_test_contains("again/messages.csv", "\n1,2,1,web,q,1,0,1,thread,"));
    ck_assert(rs_test_contains("again/messages.csv", "\n1,4,3,web,q,1,0,1,thread,"));
    ck_assert(rs_test_contains("again/messages.csv", "\n1,5,3,web,q,1,0,1,thread,"));
    ck_assert(rs_test_contains("again/messages.csv", "\n1,6,6,web,q,0,0,1,answered,"));
}
END_TEST

Suite *rs_test_followups_suite(void);
Suite *rs_test_followups_suite(void)
{
    Suite *s = suite_create("followups");
    TCase *tc = tcase_create("followups");
    tcase_add_test(tc, a_followup_joins_its_open_thread);
    tcase_add_test(tc, without_threads_every_row_is_answered_alone);
    tcase_add_test(tc, follow_ups_make_a_trace_differ);
    tcase_add_test(tc, messages_threads_replay_as_the_log);
    tcase_add_test(tc, a_thread_reply_answers_the_earlier_message_in_the_log_too);
    tcase_add_loop_test(tc, readers_give_each_message_its_thread, 0,
                        (int)(sizeof thread_cases / sizeof thread_cases[0]));
    suite_add_tcase(s, tc);
    TCase *cmd = tcase_create("command");
    tcase_set_timeout(cmd, 60);
    tcase_add_checked_fixture(cmd, setup, teardown);
    tcase_add_test(cmd, small_shop_explains_its_own_log);
    tcase_add_test(cmd, the_replay_folder_runs_again_with_its_threads);
    suite_add_tcase(s, cmd);
    return s;
}
