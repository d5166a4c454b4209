/* test_check.c: `replysim check` and its baseline (sim/baseline.c): the
 * statistics in small tables, then the program as CI runs it: an unchanged
 * scenario passes, a changed policy or staffing level fails, --update
 * writes a baseline that then passes, bad baselines are bad input. */
#include "replysim/baseline.h"
#include "replysim/check.h"
#include "util.h"

#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- statistics */

START_TEST(welch_table)
{
    static const struct {
        double bm, bsd;
        int bn;
        double nm, nsd;
        int nn;
        double t, df, p; /* NaN: expected NaN */
    } cases[] = {
        /* equal sds and n: t = 1 / sqrt(0.2), df = 18 (p by numerical integration) */
        {0, 1, 10, 1, 1, 10, 2.2360679775, 18, 0.0382496145},
        {1, 1, 10, 0, 1, 10, -2.2360679775, 18, 0.0382496145},
        /* unequal: se = sqrt(4/5 + 16/8), df Welch-Satterthwaite 10.71875 */
        {10, 2, 5, 13, 4, 8, 1.7928429140, 10.71875, 0.1012277877},
        /* identical: no difference at all */
        {5, 1, 10, 5, 1, 10, 0, 18, 1},
        /* no spread on either side: any difference is certain */
        {3, 0, 10, 3, 0, 10, 0, INFINITY, 1},
        {3, 0, 10, 4, 0, 10, INFINITY, INFINITY, 0},
        /* one replication on one side: its sd is the other side's, df the other's */
        {0, NAN, 1, 1, 1, 10, 0.9534625892, 9, 0.3652602982},
        /* one on both: no test */
        {0, NAN, 1, 1, NAN, 1, NAN, NAN, NAN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_welch w;
        rs_baseline_welch(cases[i].bm, cases[i].bsd, cases[i].bn, cases[i].nm, cases[i].nsd,
                          cases[i].nn, &w);
        ck_assert_msg(fabs(w.diff - (cases[i].nm - cases[i].bm)) < 1e-12, "case %zu diff", i);
        const double got[3] = {w.t, w.df, w.p}, want[3] = {cases[i].t, cases[i].df, cases[i].p};
        for (int k = 0; k < 3; k++) {
            if (isnan(want[k]))
                ck_assert_msg(isnan(got[k]), "case %zu field %d: %g, expected NaN", i, k, got[k]);
            else if (isinf(want[k]))
                ck_assert_msg(got[k] == want[k], "case %zu field %d: %g", i, k, got[k]);
            else
                ck_assert_msg(fabs(got[k] - want[k]) <= 1e-8 * fmax(1, fabs(want[k])),
                              "case %zu field %d: %.7g, expected %.7g", i, k, got[k], want[k]);
        }
    }
}
END_TEST

START_TEST(holm_table)
{
    double p[] = {0.01, 0.04, NAN, 0.03, 0.005};
    const double want[] = {0.03, 0.06, NAN, 0.06, 0.02};
    rs_baseline_holm(p, 5);
    for (int i = 0; i < 5; i++) {
        if (isnan(want[i]))
            ck_assert(isnan(p[i]));
        else
            ck_assert_msg(fabs(p[i] - want[i]) < 1e-12, "p[%d] = %g, expected %g", i, p[i],
                          want[i]);
    }
    double big[] = {0.9, 0.5};
    rs_baseline_holm(big, 2);
    ck_assert(big[0] == 1 && big[1] == 1); /* capped at 1 */
    rs_baseline_holm(NULL, 0);
}
END_TEST

/* ------------------------------------------------------------- program */

/* A small two-channel scenario, busy enough (3.6 of 4 agents busy) that
 * the reply order and the staffing level change its waits. */
static const char scenario_text[] =
    "[scenario]\nname = chk\nhorizon = 3d\nwarmup = 2h\nreplications = 8\nseed = 11\n"
    "within = 15m, 1h\n"
    "[channel twitter]\nrate = 24/h\nmix = complaint:0.5, question:0.5\n"
    "[channel dm]\nvisibility = private\nrate = 12/h\nmix = question:1\n"
    "[type complaint]\nhandle = lognormal(mean=8m, sd=4m)\npatience = exponential(mean=1h)\n"
    "[type question]\nhandle = exponential(mean=5m)\n"
    "[staff]\nagents = 4\n[policy]\norder = fifo\n";

static void setup(void) { rs_test_dir_create("check"); }

static void teardown(void) { rs_test_dir_destroy(); }

/* Runs `replysim check ARGS -q` in the test folder; returns the exit status. */
static int checkf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int checkf(const char *fmt, ...)
{
    char args[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    return rs_test_replysim("check %s -q", args);
}

static int check(const char *args) { return checkf("%s", args); }

static void make_baseline(void)
{
    rs_test_write("s.ini", scenario_text);
    ck_assert_int_eq(check("s.ini --baseline b.csv --update"), 0);
}

START_TEST(unchanged_scenario_passes)
{
    make_baseline();
    char *b = rs_test_slurp("b.csv");
    ck_assert_ptr_nonnull(strstr(b, RS_BASELINE_HEADER "\n"));
    ck_assert_ptr_nonnull(strstr(b, "\nchk,response_rate,all,"));
    ck_assert_ptr_nonnull(strstr(b, "\nchk,wait_p90_s,channel:dm,"));
    ck_assert_ptr_nonnull(strstr(b, ",11,8," RS_VERSION "\n")); /* seed, replications */
    free(b);
    ck_assert_int_eq(check("s.ini --baseline b.csv"), 0);
    ck_assert(rs_test_contains("stdout", "check: ok"));
    ck_assert(!rs_test_contains("stdout", "MOVED"));
    /* threads change nothing; an explicit seed equal to the baseline's neither */
    ck_assert_int_eq(check("s.ini --baseline b.csv -j 3 -s 11"), 0);
    ck_assert(rs_test_contains("stdout", " identical\n"));
    ck_assert(!rs_test_contains("stdout", "within"));
}
END_TEST

START_TEST(policy_change_fails)
{
    make_baseline();
    /* lifo answers most messages sooner here (the impatient are still
     * there): only better, so a pass unless --fail-on moved */
    ck_assert_int_eq(check("s.ini --baseline b.csv --set policy.order=lifo"), 0);
    ck_assert(rs_test_contains("stdout", "\n  better  sl_15m "));
    ck_assert(!rs_test_contains("stdout", "WORSE"));
    ck_assert_int_eq(check("s.ini --baseline b.csv --set policy.order=lifo --fail-on moved"), 1);
    ck_assert(rs_test_contains("stdout", "check: FAILED"));
    /* with one agent fewer too, the table says what got worse (lifo leaves
     * the oldest waiting: the tail of the waits grows) before what got
     * better, one line per metric, scopes folded */
    const char *both = "s.ini --baseline b.csv --set policy.order=lifo --set staff.agents=3";
    ck_assert_int_eq(check(both), 1);
    char *out = rs_test_slurp("stdout");
    const char *worse = strstr(out, "\n  WORSE "), *better = strstr(out, "\n  better ");
    ck_assert_ptr_nonnull(worse);
    ck_assert_ptr_nonnull(better);
    ck_assert(worse < better);
    ck_assert_ptr_nonnull(strstr(out, " wait_p99_s "));
    ck_assert_ptr_null(strstr(better, "\n  WORSE "));
    ck_assert_ptr_nonnull(strstr(out, "p(Holm)"));
    ck_assert_ptr_nonnull(strstr(out, "also in"));
    /* folded: each metric once per group, however many scopes moved */
    const char *p99 = strstr(worse, " wait_p99_s ");
    ck_assert_ptr_nonnull(p99);
    ck_assert_ptr_null(strstr(p99 + 1, " wait_p99_s "));
    free(out);
    /* -v lists every row: the metric again in its other scopes */
    ck_assert_int_eq(checkf("%s -v", both), 1);
    out = rs_test_slurp("stdout");
    p99 = strstr(out, " wait_p99_s ");
    ck_assert_ptr_nonnull(p99);
    ck_assert_ptr_nonnull(strstr(p99 + 1, " wait_p99_s "));
    free(out);
}
END_TEST

START_TEST(staffing_change_fails)
{
    make_baseline();
    ck_assert_int_eq(check("s.ini --baseline b.csv --set staff.agents=2"), 1);
    ck_assert(rs_test_contains("stdout", "\n  WORSE   sl_15m "));
    /* the table is for people: durations as 14m 17s / 23.3h, shares in %
     * and their differences in percentage points; the baseline keeps
     * seconds and fractions */
    char *out = rs_test_slurp("stdout");
    const char *frt = strstr(out, "\n  WORSE   frt_p50_s ");
    const char *sl = strstr(out, "\n  WORSE   sl_15m ");
    ck_assert_ptr_nonnull(frt);
    ck_assert_ptr_nonnull(sl);
    char line[256];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(frt + 1, "\n"), frt + 1);
    ck_assert_msg(strstr(line, "m ") && strstr(line, "s ") && strstr(line, "h "), "%s", line);
    snprintf(line, sizeof line, "%.*s", (int)strcspn(sl + 1, "\n"), sl + 1);
    ck_assert_msg(strstr(line, "%") && strstr(line, "pp "), "%s", line);
    ck_assert_ptr_null(strstr(out, "e+0"));
    free(out);
    char *b = rs_test_slurp("b.csv");
    ck_assert_ptr_null(strstr(b, "m "));
    ck_assert_ptr_null(strstr(b, "%"));
    free(b);
    /* two agents more are a pure improvement: reported, not failed, unless
     * --fail-on moved (the old behaviour); occupancy falls, but it is neutral */
    ck_assert_int_eq(check("s.ini --baseline b.csv --set staff.agents=6"), 0);
    ck_assert(rs_test_contains("stdout", "\n  better  sl_15m "));
    ck_assert(rs_test_contains("stdout", "\n  moved   occupancy "));
    ck_assert(!rs_test_contains("stdout", "WORSE"));
    ck_assert(rs_test_contains("stdout", "check: ok (nothing worse)"));
    ck_assert_int_eq(check("s.ini --baseline b.csv --set staff.agents=6 --fail-on moved"), 1);
    ck_assert(rs_test_contains("stdout", "rows moved or missing"));
    ck_assert_int_eq(check("s.ini --baseline b.csv --set staff.agents=6 --fail-on worse"), 0);
    /* one agent fewer than that is a smaller change, still caught */
    ck_assert_int_eq(check("s.ini --baseline b.csv --set staff.agents=3"), 1);
    /* a tolerance no change reaches lets it pass; later options win */
    ck_assert_int_eq(check("s.ini --baseline b.csv --set staff.agents=2 --tolerance '*=1e9'"), 0);
    ck_assert_int_eq(check("s.ini --baseline b.csv --set staff.agents=2 --tolerance '*=1e9' "
                           "--tolerance 'sl_*=0.01'"),
                     1);
}
END_TEST

START_TEST(update_writes_a_passing_baseline)
{
    make_baseline();
    /* a second scenario in the same file, then the first one updated */
    char other[sizeof scenario_text + 64];
    snprintf(other, sizeof other, "%s", scenario_text);
    memcpy(strstr(other, "name = chk"), "name = c2k", 10);
    rs_test_write("o.ini", other);
    ck_assert_int_eq(check("o.ini --baseline b.csv --update"), 0);
    ck_assert(rs_test_contains("stdout", "new in the baseline"));
    ck_assert_int_eq(check("s.ini --baseline b.csv --set policy.order=lifo --update"), 0);
    ck_assert(rs_test_contains("stdout", "better")); /* what changed */
    ck_assert(rs_test_contains("stdout", "update: wrote b.csv"));
    ck_assert(rs_test_contains("b.csv", "\nc2k,response_rate,all,")); /* kept */
    ck_assert_int_eq(check("s.ini o.ini --baseline b.csv --set policy.order=lifo --fail-on moved"),
                     1);
    ck_assert_int_eq(check("s.ini --baseline b.csv --set policy.order=lifo --fail-on moved"), 0);
    ck_assert_int_eq(check("o.ini --baseline b.csv"), 0);
    /* the rows are grouped by scenario in name order, whatever the order of updates */
    char *b = rs_test_slurp("b.csv");
    ck_assert(strstr(b, "\nc2k,") < strstr(b, "\nchk,"));
    free(b);
    /* --update keeps the baseline's seed and replications; -r changes them */
    ck_assert_int_eq(check("s.ini --baseline b.csv --update -r 3"), 0);
    ck_assert(rs_test_contains("b.csv", "\nchk,offered,all,"));
    ck_assert(rs_test_contains("b.csv", ",11,3," RS_VERSION "\n"));
    ck_assert_int_eq(check("s.ini --baseline b.csv"), 0);
    ck_assert(rs_test_contains("stdout", "3 replications from seed 11"));
}
END_TEST

START_TEST(missing_and_new_rows)
{
    make_baseline();
    /* a row the run does not have any more fails */
    char *b = rs_test_slurp("b.csv");
    size_t len = strlen(b);
    char *more = malloc(len + 128);
    snprintf(more, len + 128, "%schk,gone_rate,all,0.5,0.1,8,11,8,%s\n", b, RS_VERSION);
    rs_test_write("m.csv", more);
    ck_assert_int_eq(check("s.ini --baseline m.csv"), 1);
    ck_assert(rs_test_contains("stdout", "gone_rate"));
    ck_assert(rs_test_contains("stdout", "MISSING"));
    /* a metric the baseline lacks is a note, not a failure */
    char *kept = malloc(len + 1), *w = kept;
    for (const char *line = b; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);
        if (strncmp(line, "chk,queue_max,", 14)) {
            memcpy(w, line, n);
            w += n;
        }
        line += n;
    }
    *w = '\0';
    rs_test_write("n.csv", kept);
    ck_assert_int_eq(check("s.ini --baseline n.csv"), 0);
    ck_assert(rs_test_contains("stdout", "not in the baseline, so not checked: queue_max"));
    free(b), free(more), free(kept);
}
END_TEST

START_TEST(bad_baseline_is_bad_input)
{
    rs_test_write("s.ini", scenario_text);
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"scenario,metric,scope,mean,sd,n,seed\n",
         "b.csv:1: expected the header " RS_BASELINE_HEADER},
        {"scenario,metric,scope,mean,sd,n,seed,replications,versio\n"
         "chk,offered,all,1,,1,11,6,0.1.0\n",
         "b.csv:1: expected the header"},
        {"", "b.csv:1: expected the header"},
        {RS_BASELINE_HEADER "\nchk,offered,all,1,0,2,11,6,x\nchk,sl_1h,all,0.5x,,1,11,6,x\n",
         "b.csv:3: mean: "},
        {RS_BASELINE_HEADER "\nchk,offered,all,1,0,2,11,6,x\nchk,sl_1h,all,0.5,,1,-1,6,x\n",
         "b.csv:3: seed: "},
        {RS_BASELINE_HEADER "\nchk,offered,all,1,0,9,11,6,x\n", "b.csv:2: n: "},
        {RS_BASELINE_HEADER "\nchk,offered,all,1,0,2,11,6,x\nchk,sl_1h,all,0.5,,1,12,6,x\n",
         "b.csv:3: seed: expected the same seed"},
        {RS_BASELINE_HEADER "\nchk,offered,all,1,0,2,11,6,x\nchk,offered,all,1,0,2,11,6,x\n",
         "b.csv:3: expected one row per scenario, metric and scope"},
        {RS_BASELINE_HEADER "\nchk,offered,all,,0,2,11,6,x\n", "b.csv:2: mean: "},
        {RS_BASELINE_HEADER "\nchk,offered,all,1,-1,2,11,6,x\n", "b.csv:2: sd: "},
        {RS_BASELINE_HEADER "\nchk,offered,all,1,0,2,11,6\n", "b.csv:2:"},
        {RS_BASELINE_HEADER "\nother,offered,all,1,0,2,11,6,x\n", "not in the baseline"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rs_test_write("b.csv", cases[i].text);
        ck_assert_msg(check("s.ini --baseline b.csv") == 2, "case %zu", i);
        char *err = rs_test_slurp("stderr");
        ck_assert_msg(strstr(err, cases[i].message) != NULL, "case %zu: %s", i, err);
        ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "case %zu: one line: %s", i, err);
        free(err);
        /* --update does not overwrite a file it cannot read as a baseline */
        if (i < 2) {
            ck_assert_int_eq(check("s.ini --baseline b.csv --update"), 2);
            ck_assert(rs_test_contains("b.csv", cases[i].text));
        }
    }
    ck_assert_int_eq(check("s.ini --baseline missing.csv"), 2);
    ck_assert(rs_test_contains("stderr", "missing.csv"));
    ck_assert(rs_test_contains("stderr", "--update"));

    make_baseline();
    const char *bad_args[] = {
        "s.ini",                                /* no --baseline */
        "--baseline b.csv",                     /* no scenario */
        "s.ini --baseline b.csv --tolerance x", /* no = */
        "s.ini --baseline b.csv --tolerance sl_1h=-1",
        "s.ini --baseline b.csv --tolerance sl_1h=abc%",
        "s.ini --baseline b.csv --alpha 1",
        "s.ini --baseline b.csv --alpha 0",
        "s.ini --baseline b.csv -r 0",
        "s.ini --baseline b.csv --bogus",
        "s.ini --baseline b.csv --set policy.order=nosuch",
        "s.ini s.ini --baseline b.csv", /* the same name twice */
        "nosuch.ini --baseline b.csv",
        "s.ini --baseline",
        "s.ini --baseline b.csv --tolerance sl_1hr=0.01",            /* no such metric */
        "s.ini --baseline b.csv --tolerance 'sl_1h@chanel:dm=0.01'", /* no such scope */
        "s.ini --baseline b.csv --tolerance 'sl_1h@=0.01'",
        "s.ini --baseline b.csv --fail-on better",
        "s.ini --baseline b.csv --junit ''",
        "s.ini --baseline b.csv --junit j.xml --update",
    };
    for (size_t i = 0; i < sizeof bad_args / sizeof bad_args[0]; i++)
        ck_assert_msg(check(bad_args[i]) == 2, "%s", bad_args[i]);
    /* a typo is one line that offers the names there are */
    ck_assert_int_eq(check("s.ini --baseline b.csv --tolerance sl_1hr=0.01"), 2);
    ck_assert(rs_test_contains("stderr", "sl_1hr: expected a metric of the baseline b.csv, "
                                         "such as sl_15m, sl_1h; "));
    ck_assert_int_eq(check("s.ini --baseline b.csv --tolerance 'sl_1h@chanel:dm=0.01'"), 2);
    ck_assert(rs_test_contains("stderr", "channel:dm"));
    ck_assert_int_eq(check("--help"), 0);
    ck_assert(rs_test_contains("stdout", "Welch"));
    /* a tolerance of one scope only, and patterns, are known names */
    ck_assert_int_eq(check("s.ini --baseline b.csv --tolerance 'sl_15m@channel:*=0.5' "
                           "--tolerance 'wait_p9?_s@all=1%'"),
                     0);
    ck_assert_int_eq(check("s.ini --baseline b.csv --tolerance 'wait_*_s=10%' --alpha 0.01"), 0);
}
END_TEST

/* Every metric a run has is in the table of directions, and the table
 * says what a support manager would. */
START_TEST(every_metric_has_a_direction)
{
    make_baseline();
    char *b = rs_test_slurp("b.csv");
    int rows = 0;
    for (const char *line = strchr(b, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        const char *m = strchr(line, ',') + 1;
        char metric[RS_BASELINE_METRIC_MAX];
        snprintf(metric, sizeof metric, "%.*s", (int)(strchr(m, ',') - m), m);
        ck_assert_msg(rs_check_direction(metric) != RS_CHECK_EITHER, "%s has no direction", metric);
        rows++;
    }
    ck_assert_int_gt(rows, 100);
    free(b);
    static const struct {
        const char *metric;
        enum rs_check_direction dir;
    } cases[] = {
        {"response_rate", RS_CHECK_HIGHER},   {"sl_1h", RS_CHECK_HIGHER},
        {"wait_within_15m", RS_CHECK_HIGHER}, {"recommenders", RS_CHECK_HIGHER},
        {"wait_p90_s", RS_CHECK_LOWER},       {"frt_mean_s", RS_CHECK_LOWER},
        {"lapsed_rate", RS_CHECK_LOWER},      {"defectors", RS_CHECK_LOWER},
        {"backlog_end", RS_CHECK_LOWER},      {"offered", RS_CHECK_NEUTRAL},
        {"occupancy", RS_CHECK_NEUTRAL},      {"no_such_metric", RS_CHECK_EITHER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(rs_check_direction(cases[i].metric) == cases[i].dir, "%s", cases[i].metric);
}
END_TEST

/* --junit: well-formed XML (xmllint), a testsuite for the baseline, a
 * testcase per scenario, a failure naming what got worse. */
START_TEST(junit_names_what_got_worse)
{
    rs_test_write("s.ini", scenario_text);
    char other[sizeof scenario_text + 64];
    snprintf(other, sizeof other, "%s", scenario_text);
    memcpy(strstr(other, "name = chk"), "name = c2k", 10);
    memcpy(strstr(other, "agents = 4"), "agents = 6", 10);
    rs_test_write("o.ini", other);
    /* a baseline whose name needs escaping in XML */
    ck_assert_int_eq(check("s.ini o.ini --baseline 'a&<b.csv' --update"), 0);
    ck_assert_int_eq(check("s.ini o.ini --baseline 'a&<b.csv' --set staff.agents=2 --junit j.xml"),
                     1);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && xmllint --noout j.xml && "
             "test \"$(xmllint --xpath 'count(/testsuites/testsuite[@name=\"a&<b.csv\"]/testcase)' "
             "j.xml)\" = 2 && "
             "test \"$(xmllint --xpath 'count(//testcase/failure)' j.xml)\" = 2 && "
             "xmllint --xpath 'string(//testcase[@name=\"chk\"]/failure/@message)' j.xml > msg",
             rs_test_dir);
    ck_assert_int_eq(system(cmd), 0);
    char *msg = rs_test_slurp("msg");
    ck_assert_msg(strncmp(msg, "worse: ", 7) == 0, "%s", msg);
    ck_assert_ptr_nonnull(strstr(msg, "sl_15m (all, channel:twitter"));
    ck_assert_ptr_null(strstr(msg, "occupancy")); /* neutral: never a failure */
    free(msg);
    /* a passing check: testcases without failures */
    ck_assert_int_eq(check("s.ini o.ini --baseline 'a&<b.csv' --junit j.xml"), 0);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && xmllint --noout j.xml && "
             "test \"$(xmllint --xpath 'count(//testcase[not(failure)])' j.xml)\" = 2",
             rs_test_dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(unwritable_update_target_is_a_runtime_failure)
{
    rs_test_write("s.ini", scenario_text);
    rs_test_write("afile", "x");
    ck_assert_int_eq(check("s.ini --baseline afile/sub/b.csv --update"), 3);
    ck_assert(rs_test_contains("stderr", "afile"));
    ck_assert_int_eq(check("s.ini --baseline sub/ --update"), 3);
    /* nothing is left behind, and a good target next to it works */
    ck_assert_int_eq(check("s.ini --baseline sub/b.csv --update"), 0);
    ck_assert_int_eq(system("true"), 0);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s/sub')\" = b.csv", rs_test_dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *rs_test_check_suite(void);
Suite *rs_test_check_suite(void)
{
    Suite *s = suite_create("check");
    TCase *stats = tcase_create("statistics");
    tcase_add_test(stats, welch_table);
    tcase_add_test(stats, holm_table);
    suite_add_tcase(s, stats);
    TCase *tc = tcase_create("program");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, unchanged_scenario_passes);
    tcase_add_test(tc, policy_change_fails);
    tcase_add_test(tc, staffing_change_fails);
    tcase_add_test(tc, update_writes_a_passing_baseline);
    tcase_add_test(tc, missing_and_new_rows);
    tcase_add_test(tc, bad_baseline_is_bad_input);
    tcase_add_test(tc, unwritable_update_target_is_a_runtime_failure);
    tcase_add_test(tc, every_metric_has_a_direction);
    tcase_add_test(tc, junit_names_what_got_worse);
    suite_add_tcase(s, tc);
    return s;
}
