/* util.c: helpers of the tests that run the replysim program. */
#include "util.h"

#include "replysim/csvin.h"
#include "replysim/error.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

char rs_test_dir[256];

void rs_test_dir_create(const char *name)
{
    snprintf(rs_test_dir, sizeof rs_test_dir, "/tmp/replysim-%s-XXXXXX", name);
    ck_assert_ptr_nonnull(mkdtemp(rs_test_dir));
}

void rs_test_dir_destroy(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", rs_test_dir);
    ck_assert_int_eq(system(cmd), 0);
}

int rs_test_replysim(const char *fmt, ...)
{
    char args[4096], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "cd '%s' && %s/%s %s >stdout 2>stderr", rs_test_dir, RS_SOURCE_DIR,
             RS_TEST_BIN, args);
    int st = system(cmd);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

void rs_test_write(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", rs_test_dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

char *rs_test_read_stream(FILE *f)
{
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = calloc(1, (size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    return buf;
}

char *rs_test_slurp(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", rs_test_dir, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s missing", path);
    char *buf = rs_test_read_stream(f);
    fclose(f);
    return buf;
}

int rs_test_contains(const char *name, const char *text)
{
    char *s = rs_test_slurp(name);
    int yes = strstr(s, text) != NULL;
    free(s);
    return yes;
}

int rs_test_exists(const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", rs_test_dir, name);
    return stat(path, &st) == 0;
}

int rs_test_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

struct rs_csvin *rs_test_read_csv(const char *name)
{
    char path[512];
    struct rs_csvin *c = NULL;
    struct rs_error err = {0};
    snprintf(path, sizeof path, "%s/%s", rs_test_dir, name);
    ck_assert_msg(rs_csvin_read(path, name, &c, &err) == RS_OK, "%s", err.msg);
    return c;
}
