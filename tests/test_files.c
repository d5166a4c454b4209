/* test_files.c: special files as inputs (a FIFO, a folder, /dev/null:
 * refused at once, never a hang) and results folders written whole (a
 * foreign file refused before any work, old files of another run gone,
 * planted links never followed). */
#include "util.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void setup(void) { rs_test_dir_create("files"); }
static void teardown(void) { rs_test_dir_destroy(); }

static const char base_text[] =
    "[scenario]\nname = f\nhorizon = 1d\nwarmup = 0s\nreplications = 2\nseed = 1\n%s"
    "[channel tw]\nrate = 10/h\nmix = question:1\n%s"
    "[type question]\nhandle = exponential(mean=5m)\n[staff]\n%s";

/* s.ini with extra lines in [scenario], [channel tw] and [staff]. */
static void scenario(const char *in_scenario, const char *in_channel, const char *in_staff)
{
    char text[2048];
    snprintf(text, sizeof text, base_text, in_scenario, in_channel,
             in_staff[0] ? in_staff : "agents = 2\n");
    rs_test_write("s.ini", text);
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
    char cmd[1024], line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "cd '%s' && %s", rs_test_dir, line);
    ck_assert_msg(system(cmd) == 0, "%s", line);
}

/* replysim ARGS under a 10 s timeout (a hang fails with 124). */
static int run(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && timeout 10 %s/%s %s >stdout 2>stderr", rs_test_dir,
             RS_SOURCE_DIR, RS_TEST_BIN, args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Exit 2 and one line on stderr holding what. */
static void refused(const char *args, const char *what)
{
    ck_assert_int_eq(run(args), 2);
    char *err = rs_test_slurp("stderr");
    ck_assert_msg(rs_test_lines(err) == 1 && strstr(err, what), "%s: %s", args, err);
    free(err);
}

/* The three special files every input is tried with. */
static const char *const special[] = {"fifo", "adir", "/dev/null"};
static const char *const kind[] = {"a FIFO", "a folder", "a character device"};

static void make_special(void) { sh("mkfifo fifo && mkdir adir%s", ""); }

START_TEST(special_scenarios_and_includes_are_refused)
{
    make_special();
    for (int i = 0; i < 3; i++) {
        char args[256], line[256];
        snprintf(args, sizeof args, "run %s -o out", special[i]);
        refused(args, kind[i]);
        ck_assert(!rs_test_exists("out"));
        snprintf(line, sizeof line, "include = %s\n", special[i]);
        scenario(line, "", "");
        refused("validate s.ini", kind[i]);
        refused("validate s.ini", "s.ini:7: include:");
    }
}
END_TEST

START_TEST(special_csv_inputs_are_refused_with_the_keys_line)
{
    make_special();
    for (int i = 0; i < 3; i++) {
        char line[256];
        snprintf(line, sizeof line, "profile = %s\n", special[i]);
        scenario("", line, "");
        refused("run s.ini -o out", kind[i]);
        refused("validate s.ini", "s.ini:10: profile:");
        snprintf(line, sizeof line, "schedule = %s\n", special[i]);
        scenario("", "", line);
        refused("validate s.ini", kind[i]);
        refused("validate s.ini", "s.ini:13: schedule:");
        snprintf(line, sizeof line, "[channel tr]\ntrace = %s\nmix = question:1\n", special[i]);
        scenario("", line, "");
        refused("validate s.ini", kind[i]);
        refused("validate s.ini", "s.ini:11: trace:");
        ck_assert(!rs_test_exists("out"));
    }
}
END_TEST

START_TEST(special_baselines_and_plot_inputs_are_refused)
{
    make_special();
    scenario("", "", "");
    for (int i = 0; i < 3; i++) {
        char args[256];
        snprintf(args, sizeof args, "check s.ini --baseline %s -q", special[i]);
        refused(args, kind[i]);
        snprintf(args, sizeof args, "check s.ini --baseline %s --update -q", special[i]);
        refused(args, "expected a regular file");
    }
    ck_assert_int_eq(run("run s.ini -o r -q"), 0);
    static const char *const inputs[] = {"latency.csv", "summary.csv", "scenario.ini"};
    for (size_t k = 0; k < 3; k++) {
        sh("cp -r r p && rm p/%1$s && mkfifo p/%1$s", inputs[k]);
        refused("plot p", "a FIFO");
        sh("rm -r p%s", "");
    }
}
END_TEST

/* Seconds that ARGS took. */
static double timed(const char *args, int *status)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    *status = run(args);
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

START_TEST(an_unusable_output_is_refused_before_simulating)
{
    /* each of these runs for many seconds when it simulates */
    scenario("", "", "");
    rs_test_write("afile", "x\n");
    sh("mkdir busy && echo mine > busy/notes.txt%s", "");
    static const char *const cmds[] = {
        "run s.ini -r 5000",
        "staff s.ini -r 400 --target 'sl(1h)>=0.99'",
        "sweep s.ini -r 500 --vary staff.agents=1,2,3,4,5,6",
        "compare s.ini -r 3000 --variant l:policy.order=lifo",
    };
    static const char *const outs[] = {"afile", "busy"};
    for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++)
        for (int o = 0; o < 2; o++) {
            char args[256];
            int st;
            snprintf(args, sizeof args, "%s -o %s", cmds[c], outs[o]);
            double s = timed(args, &st);
            ck_assert_msg(st == 2 && s < 1.0, "%s: status %d after %.2f s", args, st, s);
            char *err = rs_test_slurp("stderr");
            ck_assert_msg(rs_test_lines(err) == 1, "%s", err);
            free(err);
        }
    ck_assert(rs_test_contains("busy/notes.txt", "mine\n"));
    ck_assert(rs_test_contains("afile", "x\n"));
    sh("test \"$(ls -A busy)\" = notes.txt%s", "");
}
END_TEST

START_TEST(a_folder_holds_one_run_only)
{
    scenario("", "", "");
    ck_assert_int_eq(run("run s.ini -o out -q --trace"), 0);
    ck_assert(rs_test_exists("out/messages.csv"));
    ck_assert_int_eq(run("run s.ini -o out -q"), 0);
    ck_assert(!rs_test_exists("out/messages.csv"));
    ck_assert(rs_test_contains("out/.replysim", "\nsummary.csv\n"));
    /* a folder of another command's results is replaced whole */
    ck_assert_int_eq(run("staff s.ini -r 2 --target 'sl(1h)>=0.5' --shifts 8h -o out -q"), 0);
    ck_assert(rs_test_exists("out/shifts.csv") && !rs_test_exists("out/summary.csv"));
    ck_assert_int_eq(run("staff s.ini -r 2 --target 'sl(1h)>=0.5' -o out -q"), 0);
    ck_assert(!rs_test_exists("out/shifts.csv") && !rs_test_exists("out/shifts.ini"));
    /* what a killed run left beside it is removed; nothing else stays */
    sh("mkdir .out.replysim-Ab12Cd && touch .out.replysim-Ab12Cd/summary.csv "
       "out/.latency.csv.tmp123%s",
       "");
    ck_assert_int_eq(run("run s.ini -o out -q"), 0);
    sh("test \"$(ls -A | grep replysim)\" = '' && ! test -e out/.latency.csv.tmp123%s", "");
}
END_TEST

START_TEST(planted_links_are_never_followed)
{
    scenario("", "", "");
    ck_assert_int_eq(run("run s.ini -o out -q"), 0);
    /* a link among the results: not replysim's, refused */
    sh("rm out/summary.csv && ln -s ../victim out/summary.csv%s", "");
    refused("run s.ini -o out -q", "summary.csv");
    ck_assert(!rs_test_exists("victim"));
    sh("rm out/summary.csv%s", "");
    /* a link at an old temporary's name in it: refused too */
    sh("ln -s ../victim out/.summary.csv.tmp1%s", "");
    refused("run s.ini -o out -q", ".summary.csv.tmp1");
    sh("rm out/.summary.csv.tmp1%s", "");
    /* a link at a temporary's name beside it: removed, never followed */
    sh("mkdir vdir && echo keep > vdir/keep && ln -s vdir .out.replysim-XXXXXX%s", "");
    ck_assert_int_eq(run("run s.ini -o out -q"), 0);
    ck_assert(rs_test_contains("vdir/keep", "keep\n"));
    ck_assert(!rs_test_exists("victim"));
    /* a baseline behind a link: its file is replaced, the link stays */
    ck_assert_int_eq(run("check s.ini --baseline real.csv --update -q"), 0);
    sh("ln -s real.csv link.csv && touch .real.csv.replysim-QQQQQQ%s", "");
    ck_assert_int_eq(run("check s.ini --baseline link.csv --update -q"), 0);
    ck_assert(rs_test_contains("real.csv", "scenario,metric,scope"));
    sh("test -L link.csv && ! test -e .real.csv.replysim-QQQQQQ%s", "");
}
END_TEST

Suite *rs_test_files_suite(void);
Suite *rs_test_files_suite(void)
{
    Suite *s = suite_create("files");
    TCase *t = tcase_create("program");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, special_scenarios_and_includes_are_refused);
    tcase_add_test(t, special_csv_inputs_are_refused_with_the_keys_line);
    tcase_add_test(t, special_baselines_and_plot_inputs_are_refused);
    tcase_add_test(t, an_unusable_output_is_refused_before_simulating);
    tcase_add_test(t, a_folder_holds_one_run_only);
    tcase_add_test(t, planted_links_are_never_followed);
    suite_add_tcase(s, t);
    return s;
}
