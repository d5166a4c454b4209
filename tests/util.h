/* util.h: helpers of the tests that run the replysim program as a user
 * does: a fresh temporary folder per test, the program run in it, and what
 * it wrote read back.  One folder at a time (Check runs tests one by one). */
#ifndef RS_TEST_UTIL_H
#define RS_TEST_UTIL_H

#include <stdio.h>

/* The current test's folder, "/tmp/replysim-NAME-XXXXXX" made unique. */
struct rs_csvin;

extern char rs_test_dir[256];

/* Creates rs_test_dir for tests of NAME (a checked fixture's setup). */
void rs_test_dir_create(const char *name);

/* Removes rs_test_dir and all it holds (the fixture's teardown). */
void rs_test_dir_destroy(void);

/* Runs `replysim ARGS` (ARGS formatted from fmt) in rs_test_dir through the
 * shell, its stdout and stderr into the files stdout and stderr there;
 * returns its exit status. */
int rs_test_replysim(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes text to the file name of rs_test_dir. */
void rs_test_write(const char *name, const char *text);

/* The whole of file name of rs_test_dir (NUL-terminated, the caller
 * frees it); the test fails when it is missing. */
char *rs_test_slurp(const char *name);

/* All of stream f, from its start (NUL-terminated, the caller frees it;
 * f stays open). */
char *rs_test_read_stream(FILE *f);

/* 1 when file name of rs_test_dir holds text. */
int rs_test_contains(const char *name, const char *text);

/* File name of rs_test_dir read as CSV (the test fails when it does not
 * read); free with rs_csvin_free. */
struct rs_csvin *rs_test_read_csv(const char *name);

/* 1 when name exists in rs_test_dir (a file or a folder). */
int rs_test_exists(const char *name);

/* The newlines in s. */
int rs_test_lines(const char *s);

#endif
