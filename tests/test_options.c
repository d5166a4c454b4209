/* test_options.c: the program's one option parser (tool/options.h) and its
 * error printing and out-of-memory handler (tool/tool.h), called directly:
 * every way of writing an option, every error message's exact bytes. */
#include "options.h"
#include "tool.h"

#include "replysim/error.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* What one parse stored and printed. */
struct got {
    int flag;
    const char *str;
    long num;
    uint64_t seed;
    int seed_given;
    double dur_s;
    const char *list[2];
    int n_list;
    const char *operand;
    const char *called; /* the callback's value */
    char out[1024], err[1024];
};

static int callback(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *v)
{
    struct got *g = opt->value;
    if (!strcmp(v, "bad")) return rs_opt_bad(c, "not that one");
    g->called = v;
    return 0;
}

static const char usage[] = "usage: t [OPTIONS]\n";

/* Reads what the file descriptor fd's temporary file holds into buf. */
static void slurp(FILE *f, char *buf, size_t len)
{
    fflush(f);
    rewind(f);
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
}

/* Parses the words of line (split at blanks) against a table of every
 * kind; stdout and stderr land in g->out and g->err. */
static int parse(const char *line, struct got *g)
{
    memset(g, 0, sizeof *g);
    char copy[512], *argv[32];
    int argc = 0;
    snprintf(copy, sizeof copy, "t %s", line);
    for (char *p = copy; *p && argc < 31;) {
        argv[argc++] = p;
        p += strcspn(p, " ");
        if (*p) *p++ = '\0';
    }
    argv[argc] = NULL;
    const struct rs_opt opts[] = {
        RS_OPT_FLAG('f', "flag", &g->flag, "a flag"),
        {RS_OPT_STRING_F('o', "out", &g->str, "DIR", "a string"), .refuse = "expected a folder"},
        RS_OPT_INT('r', "reps", &g->num, 1, 10, "N", "a number"),
        {RS_OPT_SEED_F('s', "seed", &g->seed, "N", "a seed"), .given = &g->seed_given},
        {RS_OPT_DURATION_F(0, "wait", &g->dur_s, "D", "a duration"),
         .flags = RS_OPT_NAMED | RS_OPT_POSITIVE},
        {RS_OPT_LIST_F(0, "set", g->list, &g->n_list, 2, "K=V", "a list"),
         .expect = "expected K=V after it"},
        {RS_OPT_CALLBACK_F(0, "call", g, callback, "X", "a callback"), .flags = RS_OPT_NO_EQUALS},
        {RS_OPT_OPERAND_F(&g->operand, "FILE", "a file"), .flags = RS_OPT_REQUIRED,
         .refuse = "expected one file"},
        RS_OPT_END,
    };
    fflush(stdout), fflush(stderr);
    FILE *out = tmpfile(), *err = tmpfile();
    ck_assert(out && err);
    int saved_out = dup(1), saved_err = dup(2);
    dup2(fileno(out), 1), dup2(fileno(err), 2);
    int st = rs_opt_parse("t", usage, opts, argc, argv);
    fflush(stdout), fflush(stderr);
    dup2(saved_out, 1), dup2(saved_err, 2);
    close(saved_out), close(saved_err);
    slurp(out, g->out, sizeof g->out);
    slurp(err, g->err, sizeof g->err);
    fclose(out), fclose(err);
    return st;
}

START_TEST(every_way_of_writing_a_value)
{
    static const char *const forms[] = {"-r 5 x", "--reps 5 x", "--reps=5 x", "x -r 5"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        struct got g;
        ck_assert_int_eq(parse(forms[i], &g), RS_OPT_CONTINUE);
        ck_assert_int_eq(g.num, 5);
        ck_assert_str_eq(g.operand, "x");
        ck_assert_str_eq(g.err, "");
    }
    struct got g;
    ck_assert_int_eq(parse("x -f --out=d -s 18446744073709551615 --wait 5m --set a=1 --set "
                           "b=2 --call v",
                           &g),
                     RS_OPT_CONTINUE);
    ck_assert_int_eq(g.flag, 1);
    ck_assert_str_eq(g.str, "d");
    ck_assert(g.seed == UINT64_MAX && g.seed_given == 1);
    ck_assert(g.dur_s == 300);
    ck_assert_int_eq(g.n_list, 2);
    ck_assert_str_eq(g.list[0], "a=1");
    ck_assert_str_eq(g.list[1], "b=2");
    ck_assert_str_eq(g.called, "v");
    /* "-" is an operand; a value may start with '-' */
    ck_assert_int_eq(parse("- -o -f", &g), RS_OPT_CONTINUE);
    ck_assert_str_eq(g.operand, "-");
    ck_assert_str_eq(g.str, "-f");
    ck_assert_int_eq(g.flag, 0);
}
END_TEST

START_TEST(errors_are_one_line_naming_the_option)
{
    static const struct {
        const char *line, *err;
    } cases[] = {
        {"x --nope", "replysim t: --nope: unknown option (see replysim t --help)\n"},
        {"x -r5", "replysim t: -r5: unknown option (see replysim t --help)\n"},
        {"x --flag=1", "replysim t: --flag=1: unknown option (see replysim t --help)\n"},
        {"x --", "replysim t: --: unknown option (see replysim t --help)\n"},
        {"x -r", "replysim t: -r: expected a value after it\n"},
        {"x --set", "replysim t: --set: expected K=V after it\n"},
        {"x -r 0", "replysim t: -r: expected a whole number from 1 to 10, got \"0\"\n"},
        {"x --reps=11",
         "replysim t: --reps=11: expected a whole number from 1 to 10, got \"11\"\n"},
        {"x -s -1", "replysim t: -s: expected a whole number from 0 to 18446744073709551615\n"},
        {"x --out=", "replysim t: --out=: expected a folder\n"},
        {"x --wait=0s", "replysim t: --wait: expected a duration > 0 such as 5m, got \"0s\"\n"},
        {"x --set a --set b --set c", "replysim t: --set: expected at most 2 of them\n"},
        {"x y", "replysim t: y: expected one file\n"},
        {"x --call bad", "replysim t: --call: not that one\n"},
        {"x --call=v", "replysim t: --call=v: unknown option (see replysim t --help)\n"},
        {"--nope --help", "replysim t: --nope: unknown option (see replysim t --help)\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct got g;
        ck_assert_msg(parse(cases[i].line, &g) == RS_EXIT_USAGE, "%s", cases[i].line);
        ck_assert_str_eq(g.err, cases[i].err);
        ck_assert_str_eq(g.out, "");
    }
}
END_TEST

START_TEST(help_version_and_a_missing_operand)
{
    struct got g;
    ck_assert_int_eq(parse("x -r 0 --help", &g), RS_EXIT_USAGE); /* in order */
    ck_assert_int_eq(parse("--help --nope", &g), RS_EXIT_OK);
    ck_assert_str_eq(g.out, usage);
    ck_assert_int_eq(parse("x -h", &g), RS_EXIT_OK);
    ck_assert_str_eq(g.out, usage);
    ck_assert_int_eq(parse("--version", &g), RS_EXIT_OK);
    ck_assert_str_eq(g.out, "replysim " RS_VERSION "\n");
    ck_assert_int_eq(parse("-o --help", &g), RS_EXIT_USAGE); /* a value, not help */
    ck_assert_str_eq(g.err, usage);                          /* no operand: usage */
    ck_assert_int_eq(parse("-f", &g), RS_EXIT_USAGE);
    ck_assert_str_eq(g.err, usage);
}
END_TEST

static int unknown_cb(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *arg)
{
    (void)opt;
    return rs_tool_say(c->cmd, "what is %s", arg);
}

/* Without an operand entry, operands go to the UNKNOWN entry too. */
START_TEST(unknown_entry_takes_what_no_other_does)
{
    int flag = 0;
    const struct rs_opt opts[] = {RS_OPT_FLAG(0, "csv", &flag, "csv"), RS_OPT_UNKNOWN(unknown_cb),
                                  RS_OPT_END};
    char a0[] = "t", a1[] = "--csv", a2[] = "word";
    char *argv[] = {a0, a1, a2, NULL};
    FILE *err = tmpfile();
    ck_assert_ptr_nonnull(err);
    fflush(stderr);
    int saved = dup(2);
    dup2(fileno(err), 2);
    int st = rs_opt_parse("t", usage, opts, 3, argv);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char text[256];
    slurp(err, text, sizeof text);
    fclose(err);
    ck_assert_int_eq(st, RS_EXIT_USAGE);
    ck_assert_int_eq(flag, 1);
    ck_assert_str_eq(text, "replysim t: what is word\n");
}
END_TEST

/* The program's out-of-memory handler: one line, exit status 3. */
START_TEST(out_of_memory_is_one_line_and_status_3)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    pid_t pid = fork();
    ck_assert_int_ne(pid, -1);
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        rs_tool_oom(123456789);
        _exit(99); /* not reached */
    }
    close(fd[1]);
    char text[256];
    ssize_t n = read(fd[0], text, sizeof text - 1);
    close(fd[0]);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), RS_EXIT_RUNTIME);
    ck_assert_int_gt(n, 0);
    text[n] = '\0';
    ck_assert_str_eq(text, "replysim: out of memory (123456789 bytes)\n");
}
END_TEST

Suite *rs_test_options_suite(void);
Suite *rs_test_options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, every_way_of_writing_a_value);
    tcase_add_test(tc, errors_are_one_line_naming_the_option);
    tcase_add_test(tc, help_version_and_a_missing_operand);
    tcase_add_test(tc, unknown_entry_takes_what_no_other_does);
    tcase_add_test(tc, out_of_memory_is_one_line_and_status_3);
    suite_add_tcase(s, tc);
    return s;
}
