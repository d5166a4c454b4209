/* fuzz_scenario.c: libFuzzer harness for the scenario loader (docs/scenario-reference.md section
 * 10: "the scenario parser survives fuzzing").
 *
 * Each input, as a NUL-terminated string, is loaded with
 * rs_scenario_load_string(text, "fuzz", ...).  Then:
 *   - on success, the scenario is written to memory with rs_scenario_write,
 *     loaded again and must be rs_scenario_equal to the first (the promise of
 *     `replysim validate`); the written text must also be a fixed point
 *     (writing the reloaded scenario gives the same text);
 *   - on failure, the code is RS_EINPUT or RS_EIO, *out is untouched and the
 *     error has a non-empty, NUL-terminated message.
 * Anything else calls abort(), which libFuzzer reports as a crash.
 *
 * Relative paths in include/profile/trace/schedule keys resolve against the
 * label's directory, i.e. the working directory: `make fuzz` runs the
 * harness in build/fuzz/files/, a copy of tests/fuzz/files/.
 *
 * The loader only reads.  To make sure of it, the fuzz build of sim/ has
 * every libc call that could create, change or remove a file renamed to a
 * guard of tests/fuzz/guard.c that aborts (reads go through). */
#include "replysim/alloc.h"
#include "replysim/error.h"
#include "replysim/scenario.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_scenario: %s\n", what);
    if (detail) fprintf(stderr, "----\n%s\n----\n", detail);
    abort();
}

/* ------------------------------------------------ the property */

static void check_error(int rc, const struct rs_scenario *sc, const struct rs_error *err,
                        const char *text)
{
    if (rc != RS_EINPUT && rc != RS_EIO)
        fail("load failed with a code other than RS_EINPUT/RS_EIO", text);
    if (sc) fail("load failed but set *out", text);
    if (!memchr(err->msg, '\0', sizeof err->msg) || !memchr(err->file, '\0', sizeof err->file) ||
        !memchr(err->key, '\0', sizeof err->key))
        fail("error record not NUL-terminated", text);
    if (err->msg[0] == '\0') fail("load failed with an empty error message", text);
}

/* The scenario written as INI into a malloc'd string. */
static char *write_text(const struct rs_scenario *sc, const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) rs_alloc_failed(0);
    if (rs_scenario_write(sc, m) != RS_OK) fail("rs_scenario_write failed", text);
    if (fclose(m) != 0) abort();
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = rs_malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';

    struct rs_scenario *sc = NULL;
    struct rs_error err;
    memset(&err, 0, sizeof err);
    int rc = rs_scenario_load_string(text, "fuzz", &sc, &err);
    if (rc != RS_OK) {
        check_error(rc, sc, &err, text);
        free(text);
        return 0;
    }
    if (!sc) fail("load succeeded but left *out NULL", text);

    char *first = write_text(sc, text);
    struct rs_scenario *again = NULL;
    struct rs_error err2;
    memset(&err2, 0, sizeof err2);
    int rc2 = rs_scenario_load_string(first, "fuzz", &again, &err2);
    if (rc2 != RS_OK) {
        char line[1024];
        rs_error_format(&err2, line, sizeof line);
        fprintf(stderr, "fuzz_scenario: input:\n----\n%s\n----\nerror: %s\n", text, line);
        fail("the written scenario does not load again", first);
    }
    if (!rs_scenario_equal(sc, again)) {
        fprintf(stderr, "fuzz_scenario: input:\n----\n%s\n----\n", text);
        fail("the written scenario loads to a different scenario", first);
    }
    char *second = write_text(again, first);
    if (strcmp(first, second) != 0) {
        fprintf(stderr, "fuzz_scenario: input:\n----\n%s\n----\nfirst write:\n----\n%s\n----\n",
                text, first);
        fail("writing the reloaded scenario gives different text", second);
    }

    free(second);
    free(first);
    rs_scenario_destroy(again);
    rs_scenario_destroy(sc);
    free(text);
    return 0;
}
