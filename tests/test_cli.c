/* test_cli.c: the replysim program as a user runs it: exit statuses, bad
 * input writing nothing, and output independent of the thread count. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[256];

static const char scenario_text[] =
    "[scenario]\nname = cli\nhorizon = 2d\nwarmup = 2h\nreplications = 6\nseed = 7\n"
    "[channel twitter]\nrate = 20/h\nmix = complaint:0.5, question:0.5\n"
    "[channel dm]\nvisibility = private\nrate = 5/h\nmix = question:1\n"
    "[type complaint]\nhandle = lognormal(mean=6m, sd=3m)\npatience = exponential(mean=30m)\n"
    "[type question]\nhandle = exponential(mean=3m)\n"
    "[staff]\nagents = 3\n[policy]\nabandon = leave\n";

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/replysim-cli-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Runs the program with args through the shell; returns its exit status. */
static int run(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s/%s %s >/dev/null 2>%s/stderr", RS_SOURCE_DIR, RS_TEST_BIN, args,
             tmpdir);
    int st = system(cmd);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static char *slurp(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", tmpdir, dir, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s missing", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = calloc(1, (size_t)n + 1);
    ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return buf;
}

static int exists(const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return stat(path, &st) == 0;
}

START_TEST(threads_do_not_change_output)
{
    write_file("s.ini", scenario_text);
    char args[1024];
    snprintf(args, sizeof args, "run %s/s.ini -q -j 1 -o %s/one", tmpdir, tmpdir);
    ck_assert_int_eq(run(args), 0);
    snprintf(args, sizeof args, "run %s/s.ini -q -j 2 -o %s/two", tmpdir, tmpdir);
    ck_assert_int_eq(run(args), 0);
    snprintf(args, sizeof args, "run %s/s.ini -q -j 5 -o %s/five", tmpdir, tmpdir);
    ck_assert_int_eq(run(args), 0);
    const char *files[] = {"summary.csv", "replications.csv", "latency.csv", "scenario.ini"};
    for (int i = 0; i < 4; i++) {
        char *a = slurp("one", files[i]), *b = slurp("two", files[i]), *c = slurp("five", files[i]);
        ck_assert_msg(strcmp(a, b) == 0 && strcmp(a, c) == 0, "%s differs with threads", files[i]);
        free(a), free(b), free(c);
    }
    /* the resolved scenario reruns to the same results */
    snprintf(args, sizeof args, "run %s/one/scenario.ini -q -j 2 -o %s/again", tmpdir, tmpdir);
    ck_assert_int_eq(run(args), 0);
    char *a = slurp("one", "summary.csv"), *b = slurp("again", "summary.csv");
    ck_assert_str_eq(a, b);
    free(a), free(b);
    /* another seed gives other numbers */
    snprintf(args, sizeof args, "run %s/s.ini -q -s 8 -o %s/seed8", tmpdir, tmpdir);
    ck_assert_int_eq(run(args), 0);
    a = slurp("one", "summary.csv"), b = slurp("seed8", "summary.csv");
    ck_assert_str_ne(a, b);
    ck_assert_ptr_nonnull(strstr(a, "metric,scope,mean,ci_low,ci_high,sd,n\n"));
    ck_assert_ptr_nonnull(strstr(a, "\nabandon_rate,channel:dm,"));
    free(a), free(b);
}
END_TEST

START_TEST(bad_input_writes_nothing)
{
    char args[1024];
    write_file("bad.ini", "[scenario]\nhorizon = 5\n");
    snprintf(args, sizeof args, "run %s/bad.ini -o %s/out", tmpdir, tmpdir);
    ck_assert_int_eq(run(args), 2);
    ck_assert(!exists("out"));
    char *err = slurp(".", "stderr");
    ck_assert_ptr_nonnull(strstr(err, "bad.ini:2: horizon: expected a duration"));
    ck_assert_ptr_null(strchr(strchr(err, '\n') + 1, '\n')); /* one line */
    free(err);

    snprintf(args, sizeof args, "run %s/missing.ini -o %s/out", tmpdir, tmpdir);
    ck_assert_int_eq(run(args), 2);
    ck_assert(!exists("out"));

    write_file("s.ini", scenario_text);
    const char *bad_opts[] = {"-r 0", "-r x", "-j 0", "-s -1", "-s 1x", "--bogus", "-o", "-r"};
    for (size_t i = 0; i < sizeof bad_opts / sizeof bad_opts[0]; i++) {
        snprintf(args, sizeof args, "run %s/s.ini -q -o %s/out %s", tmpdir, tmpdir, bad_opts[i]);
        ck_assert_msg(run(args) == 2, "%s", bad_opts[i]);
        ck_assert(!exists("out"));
    }
    ck_assert_int_eq(run("frobnicate"), 2);
    ck_assert_int_eq(run(""), 2);
    ck_assert_int_eq(run("--version"), 0);
    ck_assert_int_eq(run("--help"), 0);
    ck_assert_int_eq(run("run --help"), 0);
    ck_assert_int_eq(run("erlang --rate 9.5/m --handle 5m --agents 0"), 2);
    ck_assert_int_eq(run("erlang --rate 9.5/m --handle 5m --agents 50 --patience 10m"), 0);
    ck_assert_int_eq(run("plot /nonexistent-folder"), 2);
}
END_TEST

START_TEST(unwritable_output_is_a_runtime_failure)
{
    char args[1024];
    write_file("s.ini", scenario_text);
    write_file("afile", "x");
    snprintf(args, sizeof args, "run %s/s.ini -q -r 2 -o %s/afile/sub", tmpdir, tmpdir);
    ck_assert_int_eq(run(args), 3);
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
    tcase_add_test(tc, unwritable_output_is_a_runtime_failure);
    suite_add_tcase(s, tc);
    return s;
}
