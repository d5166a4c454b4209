/* test_sweep.c: `replysim sweep`, a grid of settings.
 *
 * A sweep point is exactly a plain `replysim run` with the same settings,
 * seed and replications (its sweep.csv rows are summary.csv's, digit for
 * digit); the grid is in the order given with the last key fastest;
 * FROM:TO:STEP counts in exact decimals (0.3, never 0.30000000000000004, and
 * the end included); the output is the same bytes whatever -j; bad input
 * exits 2 with one line and writes nothing. */
#include "util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Two channels and types so that scopes are exercised; small so that a
 * grid of points runs in a fraction of a second. */
static const char scenario_text[] =
    "[scenario]\nname = sw\nhorizon = 1d\nwarmup = 1h\nreplications = 3\nseed = 5\n"
    "[channel twitter]\nrate = 20/h\nmix = complaint:0.5, question:0.5\n"
    "[channel dm]\nvisibility = private\nrate = 6/h\nmix = question:1\n"
    "[type complaint]\nhandle = lognormal(mean=6m, sd=3m)\npatience = exponential(mean=30m)\n"
    "[type question]\nhandle = exponential(mean=4m)\npatience = exponential(mean=2h)\n"
    "[staff]\nagents = 3\n[policy]\nabandon = leave\n";

static void setup(void)
{
    rs_test_dir_create("sweep");
    rs_test_write("s.ini", scenario_text);
}

static void teardown(void) { rs_test_dir_destroy(); }

/* Runs `replysim COMMAND s.ini -q ARGS` in the test folder; returns its exit
 * status. */
static int replysim(const char *command, const char *args)
{
    return rs_test_replysim("%s s.ini -q %s", command, args);
}

/* Rows of sweep.csv that start with prefix (such as "3,"). */
static int rows_with(const char *csv, const char *prefix)
{
    int n = 0;
    size_t len = strlen(prefix);
    for (const char *p = csv; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        n += strncmp(p, prefix, len) == 0;
    return n;
}

/* The --vary line of scenario.ini for key, e.g. "0.1/m,0.2/m" (static buffer). */
static const char *values_of(const char *ini, const char *key)
{
    static char buf[1024];
    char needle[256];
    snprintf(needle, sizeof needle, ";   --vary %s=", key);
    const char *p = strstr(ini, needle);
    ck_assert_msg(p != NULL, "no %s in scenario.ini", needle);
    p += strlen(needle);
    size_t n = strcspn(p, "\n");
    ck_assert(n < sizeof buf);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

START_TEST(point_equals_a_plain_run)
{
    char args[1024];
    snprintf(args, sizeof args,
             "-r 4 -s 9 -j 2 --set channel.dm.rate=8/h --vary staff.agents=2,3 "
             "--vary policy.order=fifo,lifo -o %s/sweep",
             rs_test_dir);
    ck_assert_int_eq(replysim("sweep", args), 0);
    snprintf(args, sizeof args,
             "-r 4 -s 9 --set channel.dm.rate=8/h --set staff.agents=3 --set policy.order=lifo "
             "-o %s/run",
             rs_test_dir);
    ck_assert_int_eq(replysim("run", args), 0);
    char *csv = rs_test_slurp("sweep/sweep.csv"), *sum = rs_test_slurp("run/summary.csv");
    /* every summary row appears as point 4 (agents 3, lifo), digit for digit */
    const char *row = strchr(sum, '\n') + 1; /* past the header */
    int n = 0;
    while (*row) {
        const char *end = strchr(row, '\n');
        char want[512];
        snprintf(want, sizeof want, "\n4,3,lifo,%.*s\n", (int)(end - row), row);
        ck_assert_msg(strstr(csv, want) != NULL, "sweep.csv lacks %s", want + 1);
        row = end + 1;
        n++;
    }
    ck_assert_int_gt(n, 40);
    ck_assert_int_eq(rows_with(csv, "4,"), n); /* and nothing more */
    /* the other points differ: staffing and order changed something */
    ck_assert_int_eq(rows_with(csv, "1,2,fifo,wait_mean_s,all,"), 1);
    ck_assert_ptr_null(strstr(csv, "\n1,2,fifo,wait_mean_s,all,0,"));
    free(csv), free(sum);
}
END_TEST

START_TEST(threads_do_not_change_output)
{
    char args[1024];
    static const char grid[] = "-r 3 --vary staff.agents=4:2:-1 --vary policy.order=fifo,lifo";
    snprintf(args, sizeof args, "-j 1 -o %s/one %s", rs_test_dir, grid);
    ck_assert_int_eq(replysim("sweep", args), 0);
    snprintf(args, sizeof args, "-j 3 -o %s/three %s", rs_test_dir, grid);
    ck_assert_int_eq(replysim("sweep", args), 0);
    const char *files[] = {"sweep.csv", "scenario.ini"};
    for (int i = 0; i < 2; i++) {
        char a_name[64], b_name[64];
        snprintf(a_name, sizeof a_name, "one/%s", files[i]);
        snprintf(b_name, sizeof b_name, "three/%s", files[i]);
        char *a = rs_test_slurp(a_name), *b = rs_test_slurp(b_name);
        ck_assert_msg(strcmp(a, b) == 0, "%s differs between -j 1 and -j 3", files[i]);
        free(a), free(b);
    }

    /* the grid: the first key slowest, in the order given */
    char *csv = rs_test_slurp("one/sweep.csv");
    ck_assert_ptr_eq(strstr(csv, "point,staff.agents,policy.order,metric,scope,mean,ci_low,"
                                 "ci_high,sd,n\n"),
                     csv);
    static const char *const points[] = {"1,4,fifo,", "2,4,lifo,", "3,3,fifo,",
                                         "4,3,lifo,", "5,2,fifo,", "6,2,lifo,"};
    int per_point = rows_with(csv, points[0]);
    ck_assert_int_gt(per_point, 40);
    const char *prev = csv;
    for (int p = 0; p < 6; p++) {
        char first[64];
        snprintf(first, sizeof first, "\n%soffered,all,", points[p]);
        const char *at = strstr(csv, first);
        ck_assert_msg(at != NULL && at > prev, "point %s missing or out of order", points[p]);
        prev = at;
        ck_assert_int_eq(rows_with(csv, points[p]), per_point);
    }
    ck_assert_int_eq(rs_test_lines(csv), 1 + 6 * per_point);
    ck_assert_int_eq(rows_with(csv, "7,"), 0);
    /* the same customers at every point */
    static const char a_row[] = "\n1,4,fifo,offered,all,", b_row[] = "\n6,2,lifo,offered,all,";
    const char *offered = strstr(csv, a_row) + strlen(a_row);
    const char *other = strstr(csv, b_row) + strlen(b_row);
    ck_assert_int_eq(strncmp(offered, other, strcspn(offered, "\n")), 0);

    char *ini = rs_test_slurp("one/scenario.ini");
    ck_assert_str_eq(values_of(ini, "staff.agents"), "4,3,2");
    ck_assert_str_eq(values_of(ini, "policy.order"), "fifo,lifo");
    ck_assert_ptr_nonnull(strstr(ini, "; 6 points"));
    ck_assert_ptr_nonnull(strstr(ini, "\n[staff]\nagents = 3\n")); /* the base */
    free(csv), free(ini);
}
END_TEST

struct range_case {
    const char *vary; /* KEY=FROM:TO:STEP */
    const char *key;
    const char *values; /* as expanded */
};

static const struct range_case range_cases[] = {
    {"channel.twitter.rate=0.1/m:0.5/m:0.1/m", "channel.twitter.rate",
     "0.1/m,0.2/m,0.3/m,0.4/m,0.5/m"},
    {"channel.twitter.rate=10/h:20/h:2.5/h", "channel.twitter.rate",
     "10/h,12.5/h,15/h,17.5/h,20/h"},
    {"channel.dm.rate=0.7/m:0:-0.1/m", NULL, NULL}, /* a unit missing: bad */
    {"channel.dm.rate=1/h:2/h:0.3/h", "channel.dm.rate", "1/h,1.3/h,1.6/h,1.9/h"},
    {"staff.agents=2:3:1", "staff.agents", "2,3"},
    {"staff.agents= 5 : 1 : -2 ", "staff.agents", "5,3,1"},
    {"policy.max_age=0.5h:1.5h:0.25h", "policy.max_age", "0.5h,0.75h,1h,1.25h,1.5h"},
    {"channel.dm.rate=0.01/m:0.03/m:0.01/m", "channel.dm.rate", "0.01/m,0.02/m,0.03/m"},
};

START_TEST(ranges_count_in_decimals)
{
    const struct range_case *rc = &range_cases[_i];
    char args[1024];
    snprintf(args, sizeof args, "-r 1 --set scenario.horizon=4h --vary '%s' -o %s/out", rc->vary,
             rs_test_dir);
    int st = replysim("sweep", args);
    if (!rc->values) {
        ck_assert_int_eq(st, 2);
        ck_assert(!rs_test_exists("out"));
        return;
    }
    ck_assert_msg(st == 0, "%s: exit %d", rc->vary, st);
    char *ini = rs_test_slurp("out/scenario.ini"), *csv = rs_test_slurp("out/sweep.csv");
    ck_assert_str_eq(values_of(ini, rc->key), rc->values);
    /* a point per value, each holding its text */
    char want[128];
    int n = 1;
    for (const char *p = rc->values; *p; p++)
        n += *p == ',';
    snprintf(want, sizeof want, "\n%d,", n);
    ck_assert_ptr_nonnull(strstr(csv, want));
    snprintf(want, sizeof want, "\n%d,", n + 1);
    ck_assert_ptr_null(strstr(csv, want));
    free(ini), free(csv);
}
END_TEST

START_TEST(bad_input_writes_nothing)
{
    static const char *const bad[] = {
        "",                                              /* no --vary */
        "--vary",                                        /* no value */
        "--vary staff.agents",                           /* no = */
        "--vary staff.agents=",                          /* no values */
        "--vary staff.agents=1,,2",                      /* empty value */
        "--vary agents=3",                               /* not section.key */
        "--vary staff.agents=3:8:0",                     /* zero step */
        "--vary staff.agents=8:3:1",                     /* away from TO */
        "--vary staff.agents=1:3:1/h",                   /* units differ */
        "--vary staff.agents=a:b:c",                     /* not numbers */
        "--vary staff.agents=2,three",                   /* a bad value */
        "--vary policy.order=fifo,nope",                 /* a bad policy */
        "--vary staff.bogus=1,2",                        /* unknown key */
        "--vary scenario.seed=1,2",                      /* breaks common seeds */
        "--vary staff.agents=1,2 --vary staff.agents=3", /* a key twice */
        "--vary staff.agents=1,2 --set staff.agents=3",  /* also in --set */
        "--vary staff.agents=1:20000:1",                 /* too many values */
        "--vary staff.agents=1:200:1 --vary channel.dm.rate=1/h:100/h:1/h", /* grid too big */
        "--vary staff.agents=1,2 --set staff.bogus=1",                      /* bad --set */
        "--vary staff.agents=1,2 -j 0",
        "--vary staff.agents=1,2 --frobnicate",
    };
    char args[1024];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(args, sizeof args, "-o %s/out %s", rs_test_dir, bad[i]);
        ck_assert_msg(replysim("sweep", args) == 2, "%s: expected exit 2", bad[i]);
        ck_assert_msg(!rs_test_exists("out"), "%s: wrote files", bad[i]);
        char *err = rs_test_slurp("stderr");
        ck_assert_msg(rs_test_lines(err) == 1, "%s: expected one line, got \"%s\"", bad[i], err);
        ck_assert_msg(strstr(err, "expected") || strstr(err, "unknown option"), "%s: %s", bad[i],
                      err);
        free(err);
    }
    /* an error in a swept value names the --vary it came from */
    snprintf(args, sizeof args, "-o %s/out --vary staff.agents=2,three", rs_test_dir);
    ck_assert_int_eq(replysim("sweep", args), 2);
    char *err = rs_test_slurp("stderr");
    ck_assert_msg(strstr(err, "--vary staff.agents=three: staff.agents: expected a whole number"),
                  "%s", err);
    free(err);
    ck_assert_int_eq(replysim("sweep", "--help"), 0);
}
END_TEST

Suite *rs_test_sweep_suite(void);
Suite *rs_test_sweep_suite(void)
{
    Suite *s = suite_create("sweep");
    TCase *tc = tcase_create("command");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, point_equals_a_plain_run);
    tcase_add_test(tc, threads_do_not_change_output);
    tcase_add_loop_test(tc, ranges_count_in_decimals, 0,
                        (int)(sizeof range_cases / sizeof range_cases[0]));
    tcase_add_test(tc, bad_input_writes_nothing);
    suite_add_tcase(s, tc);
    return s;
}
