/* test_cli.c: the replysim program as a user runs it: exit statuses, bad
 * input writing nothing, and output independent of the thread count. */
#include "util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char scenario_text[] =
    "[scenario]\nname = cli\nhorizon = 2d\nwarmup = 2h\nreplications = 6\nseed = 7\n"
    "[channel twitter]\nrate = 20/h\nmix = complaint:0.5, question:0.5\n"
    "[channel dm]\nvisibility = private\nrate = 5/h\nmix = question:1\n"
    "[type complaint]\nhandle = lognormal(mean=6m, sd=3m)\npatience = exponential(mean=30m)\n"
    "[type question]\nhandle = exponential(mean=3m)\n"
    "[staff]\nagents = 3\n[policy]\nabandon = leave\n";

static void setup(void) { rs_test_dir_create("cli"); }

static void teardown(void) { rs_test_dir_destroy(); }

START_TEST(threads_do_not_change_output)
{
    rs_test_write("s.ini", scenario_text);
    ck_assert_int_eq(rs_test_replysim("run s.ini -q -j 1 --trace -o one"), 0);
    ck_assert_int_eq(rs_test_replysim("run s.ini -q -j 2 --trace -o two"), 0);
    ck_assert_int_eq(rs_test_replysim("run s.ini -q -j 5 --trace -o five"), 0);
    const char *files[] = {"summary.csv",   "replications.csv", "latency.csv",
                           "intervals.csv", "messages.csv",     "scenario.ini"};
    for (int i = 0; i < 6; i++) {
        char path[3][128];
        snprintf(path[0], sizeof path[0], "one/%s", files[i]);
        snprintf(path[1], sizeof path[1], "two/%s", files[i]);
        snprintf(path[2], sizeof path[2], "five/%s", files[i]);
        char *a = rs_test_slurp(path[0]), *b = rs_test_slurp(path[1]), *c = rs_test_slurp(path[2]);
        ck_assert_msg(strcmp(a, b) == 0 && strcmp(a, c) == 0, "%s differs with threads", files[i]);
        free(a), free(b), free(c);
    }
    /* the resolved scenario reruns to the same results */
    ck_assert_int_eq(rs_test_replysim("run one/scenario.ini -q -j 2 -o again"), 0);
    char *a = rs_test_slurp("one/summary.csv"), *b = rs_test_slurp("again/summary.csv");
    ck_assert_str_eq(a, b);
    free(a), free(b);
    /* another seed gives other numbers */
    ck_assert_int_eq(rs_test_replysim("run s.ini -q -s 8 -o seed8"), 0);
    a = rs_test_slurp("one/summary.csv"), b = rs_test_slurp("seed8/summary.csv");
    ck_assert_str_ne(a, b);
    ck_assert_ptr_nonnull(strstr(a, "metric,scope,mean,ci_low,ci_high,sd,n\n"));
    ck_assert_ptr_nonnull(strstr(a, "\nabandon_rate,channel:dm,"));
    free(a), free(b);
}
END_TEST

/* validate prints the resolved scenario, which loads again to itself;
 * --set changes it as the same line in the file would. */
START_TEST(validate_round_trips_with_set)
{
    rs_test_write("s.ini", scenario_text);
    ck_assert_int_eq(rs_test_replysim("validate s.ini --set policy.order=lifo "
                                      "--set channel.dm.rate=9/h"),
                     0);
    char *v1 = rs_test_slurp("stdout");
    rs_test_write("v1.ini", v1);
    ck_assert_ptr_nonnull(strstr(v1, "order = lifo\n"));
    ck_assert_ptr_nonnull(strstr(v1, "rate = 9/h\n"));
    ck_assert_ptr_nonnull(strstr(v1, "concurrency = 1\n")); /* defaults written out */
    ck_assert_int_eq(rs_test_replysim("validate v1.ini"), 0);
    char *v2 = rs_test_slurp("stdout");
    ck_assert_str_eq(v1, v2);
    free(v1), free(v2);
    /* a bad override: one line naming it, exit 2 */
    ck_assert_int_eq(rs_test_replysim("validate s.ini --set channel.dm.rate=fast"), 2);
    char *err = rs_test_slurp("stderr");
    ck_assert_ptr_nonnull(strstr(err, "--set:1: channel.dm.rate: expected a rate"));
    ck_assert_ptr_null(strchr(strchr(err, '\n') + 1, '\n'));
    free(err);
}
END_TEST

/* run answers on stdout: the headline, means and CIs in human units, from
 * summary.csv's numbers; -q silences it.  validate says the expected
 * messages a day (rate x 24 h: 20/h is 480, 5/h 120) and which types are
 * complaints (by default the one named complaint). */
START_TEST(run_headline_and_validate_say_what_they_assume)
{
    rs_test_write("s.ini", scenario_text);
    ck_assert_int_eq(rs_test_replysim("run s.ini -q -o quiet"), 0);
    char *out = rs_test_slurp("stdout");
    ck_assert_str_eq(out, "");
    free(out);
    ck_assert_int_eq(rs_test_replysim("run s.ini -o loud"), 0);
    out = rs_test_slurp("stdout");
    static const char *const wanted[] = {
        "cli: 6 replications from seed 7",
        "expected new messages a day (before follow-ups): twitter 480, dm 120 (600 in all)",
        "answered at all (response_rate)",
        "first reply, median (frt_p50_s)",
        "first reply, 90% within (frt_p90_s)",
        "answered within 15m (sl_15m)",
        "answered within 24h (sl_24h)",
        "agents' time busy (occupancy)",
        "messages still open at the end (backlog_end)",
        "outcomes, expected totals over the 46h counted",
        "customers lost (complaints only) (defectors)",
    };
    for (size_t i = 0; i < sizeof wanted / sizeof *wanted; i++)
        ck_assert_msg(strstr(out, wanted[i]) != NULL, "\"%s\" not in:\n%s", wanted[i], out);
    /* no raw seconds and no exponents in the table */
    ck_assert_ptr_null(strstr(out, "e+"));
    ck_assert_ptr_null(strstr(out, "e-0"));
    /* the occupancy shown is summary.csv's mean, as a percentage */
    char *sum = rs_test_slurp("loud/summary.csv");
    const char *row = strstr(sum, "\noccupancy,all,");
    ck_assert_ptr_nonnull(row);
    double occ = strtod(row + 15, NULL);
    char shown[64];
    snprintf(shown, sizeof shown, "%.1f%%  [", 100 * occ);
    ck_assert_msg(strstr(strstr(out, "(occupancy)"), shown) != NULL, "%s not in %s", shown, out);
    free(sum);
    free(out);

    ck_assert_int_eq(rs_test_replysim("validate s.ini"), 0);
    out = rs_test_slurp("stdout");
    ck_assert_ptr_nonnull(
        strstr(out, "; expected new messages a day (before follow-ups): twitter 480, dm 120"));
    ck_assert_ptr_nonnull(
        strstr(out, "; complaints in the outcome model (defectors, onlooker_loss): complaint\n"));
    free(out);
    ck_assert_int_eq(rs_test_replysim("validate s.ini --set outcome.complaint_types=none"), 0);
    out = rs_test_slurp("stdout");
    ck_assert_ptr_nonnull(strstr(out, "(defectors, onlooker_loss): none\n"));
    free(out);
}
END_TEST

START_TEST(bad_input_writes_nothing)
{
    rs_test_write("bad.ini", "[scenario]\nhorizon = 5\n");
    ck_assert_int_eq(rs_test_replysim("run bad.ini -o out"), 2);
    ck_assert(!rs_test_exists("out"));
    char *err = rs_test_slurp("stderr");
    ck_assert_ptr_nonnull(strstr(err, "bad.ini:2: horizon: expected a duration"));
    ck_assert_ptr_null(strchr(strchr(err, '\n') + 1, '\n')); /* one line */
    free(err);

    ck_assert_int_eq(rs_test_replysim("run missing.ini -o out"), 2);
    ck_assert(!rs_test_exists("out"));

    rs_test_write("s.ini", scenario_text);
    const char *bad_opts[] = {"-r 0", "-r x", "-j 0", "-s -1", "-s 1x", "--bogus", "-o", "-r"};
    for (size_t i = 0; i < sizeof bad_opts / sizeof bad_opts[0]; i++) {
        ck_assert_msg(rs_test_replysim("run s.ini -q -o out %s", bad_opts[i]) == 2, "%s",
                      bad_opts[i]);
        ck_assert(!rs_test_exists("out"));
    }
    ck_assert_int_eq(rs_test_replysim("frobnicate"), 2);
    ck_assert_int_eq(rs_test_replysim("%s", ""), 2);
    ck_assert_int_eq(rs_test_replysim("--version"), 0);
    ck_assert_int_eq(rs_test_replysim("--help"), 0);
    ck_assert_int_eq(rs_test_replysim("run --help"), 0);
    ck_assert_int_eq(rs_test_replysim("erlang --rate 9.5/m --handle 5m --agents 0"), 2);
    ck_assert_int_eq(rs_test_replysim("erlang --rate 9.5/m --handle 5m --agents 50 --patience 10m"),
                     0);
    ck_assert_int_eq(rs_test_replysim("plot /nonexistent-folder"), 2);
}
END_TEST

START_TEST(unwritable_output_is_a_runtime_failure)
{
    rs_test_write("s.ini", scenario_text);
    rs_test_write("afile", "x");
    /* a path through a file is bad usage; a folder that cannot be written is not */
    ck_assert_int_eq(rs_test_replysim("run s.ini -q -r 2 -o afile/sub"), 2);
    ck_assert_int_eq(rs_test_replysim("run s.ini -q -r 2 -o /proc/replysim-test/out"), 3);
    ck_assert(rs_test_contains("stderr", "cannot write into \"/proc\""));
}
END_TEST

/* The help text is made from the command table; --help and --version work
 * after a command; help CMD is CMD --help. */
START_TEST(help_and_version_after_commands)
{
    ck_assert_int_eq(rs_test_replysim("--help"), 0);
    char *help = rs_test_slurp("stdout");
    static const char *const commands[] = {"run",   "validate", "compare", "check",
                                           "sweep", "staff",    "erlang",  "plot"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char line[64];
        snprintf(line, sizeof line, "\n  %s ", commands[i]);
        ck_assert_msg(strstr(help, line) != NULL, "%s missing from --help", commands[i]);
    }
    ck_assert_ptr_nonnull(strstr(help, "\n  staff SCENARIO --target 'sl(1h)>=0.9'\n"
                                       "                    fewest agents per interval"));
    free(help);
    /* commands on the shared parser */
    static const char *const parsed[] = {"run", "validate", "erlang", "plot"};
    for (size_t i = 0; i < sizeof parsed / sizeof parsed[0]; i++) {
        ck_assert_int_eq(rs_test_replysim("%s --version", parsed[i]), 0);
        char *out = rs_test_slurp("stdout");
        ck_assert_str_eq(out, "replysim " RS_VERSION "\n");
        free(out);
        ck_assert_int_eq(rs_test_replysim("%s --help", parsed[i]), 0);
        char *a = rs_test_slurp("stdout");
        ck_assert_int_eq(rs_test_replysim("help %s", parsed[i]), 0);
        char *b = rs_test_slurp("stdout");
        ck_assert_str_eq(a, b);
        ck_assert_ptr_nonnull(strstr(a, "usage: replysim "));
        free(a), free(b);
    }
    ck_assert_int_eq(rs_test_replysim("frobnicate"), 2);
    char *err = rs_test_slurp("stderr");
    ck_assert_str_eq(err, "replysim: frobnicate: unknown command (see replysim --help)\n");
    free(err);
    ck_assert_int_eq(rs_test_replysim("help frobnicate"), 0); /* the program's help, as ever */
    help = rs_test_slurp("stdout");
    ck_assert_ptr_nonnull(strstr(help, "usage: replysim COMMAND"));
    free(help);
    /* an error before --help wins: arguments are taken in order */
    ck_assert_int_eq(rs_test_replysim("run --nope --version"), 2);
    err = rs_test_slurp("stderr");
    ck_assert_str_eq(err, "replysim run: --nope: unknown option (see replysim run --help)\n");
    free(err);
}
END_TEST

Suite *rs_test_cli_suite(void);
Suite *rs_test_cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("program");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, threads_do_not_change_output);
    tcase_add_test(tc, bad_input_writes_nothing);
    tcase_add_test(tc, validate_round_trips_with_set);
    tcase_add_test(tc, run_headline_and_validate_say_what_they_assume);
    tcase_add_test(tc, unwritable_output_is_a_runtime_failure);
    tcase_add_test(tc, help_and_version_after_commands);
    suite_add_tcase(s, tc);
    return s;
}
