/* fuzz_csv.c: libFuzzer harness for the CSV readers (issue 11): the rate
 * profile, the staffing schedule and the trace, each read through the
 * scenario's CSV path (sim/scenario_csv.c, sim/csvin.c), the baseline of
 * `replysim check` (sim/baseline.c) and the bare reader rs_csvin_read.
 *
 * The input's first byte chooses the reader (p profile, s schedule, t
 * trace, b baseline, c the bare reader, l a message log of logread.h with
 * its second byte choosing the format and --skip-bad-rows; other bytes
 * modulo 6), the rest is the file, written
 * by the harness to fuzz.csv in the working folder (`make fuzz-csv` runs
 * it in build/fuzz/files/, like fuzz_scenario).  Then:
 *   - on failure: the code is RS_EINPUT or RS_EIO, nothing is returned, the
 *     error is a non-empty, NUL-terminated message, and its formatted line
 *     is free of line breaks and control characters (rs_error_escape);
 *   - on success: a scenario written and loaded again equals the first; a
 *     baseline written and read again writes the same text and finds each
 *     of its rows by key; the bare reader's rows have as many cells as the
 *     header, NUL-terminated, on increasing lines; a log's messages have
 *     a finite arrival and lines past the header, and every row is
 *     handed out or skipped, never more messages than lines.
 * Anything else calls abort().  The library is the guarded one of
 * fuzz_scenario (tests/fuzz/guard.syms): it may read, never write. */
#include "replysim/alloc.h"
#include "replysim/baseline.h"
#include "replysim/csvin.h"
#include "replysim/error.h"
#include "replysim/logread.h"
#include "replysim/scenario.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FILE_NAME "fuzz.csv"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_csv: %s\n", what);
    abort();
}

static void check_error(int rc, const struct rs_error *err)
{
    if (rc != RS_EINPUT && rc != RS_EIO) fail("failed with a code other than RS_EINPUT/RS_EIO");
    if (!memchr(err->msg, '\0', sizeof err->msg) || !memchr(err->file, '\0', sizeof err->file) ||
        !memchr(err->key, '\0', sizeof err->key))
        fail("error record not NUL-terminated");
    if (err->msg[0] == '\0') fail("failed with an empty error message");
    char line[1024];
    rs_error_format(err, line, sizeof line);
    for (const unsigned char *p = (const unsigned char *)line; *p; p++)
        if (*p < 0x20 || *p == 0x7f) {
            fprintf(stderr, "fuzz_csv: error: %s\n", line);
            fail("the error message holds a control character");
        }
}

/* Writes the file the readers read; the harness's own fopen is not guarded. */
static void put_file(const uint8_t *data, size_t size)
{
    FILE *f = fopen(FILE_NAME, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) fail("cannot write " FILE_NAME);
}

static char *scenario_text(const struct rs_scenario *sc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) rs_alloc_failed(0);
    if (rs_scenario_write(sc, m) != RS_OK) fail("rs_scenario_write failed");
    if (fclose(m) != 0) abort();
    return buf;
}

/* A small scenario reading fuzz.csv as a profile, schedule or trace. */
static void fuzz_scenario_csv(int which)
{
    static const char *const texts[] = {
        "[scenario]\nhorizon = 2d\n[channel a]\nrate = 6/h\nprofile = " FILE_NAME
        "\n[type q]\nhandle = exponential(mean=4m)\n[staff]\nagents = 1\n",
        "[scenario]\nhorizon = 2d\n[channel a]\nrate = 6/h\n[type q]\nhandle = "
        "exponential(mean=4m)\n[staff]\nschedule = " FILE_NAME "\n",
        "[scenario]\nhorizon = 2d\n[channel a]\ntrace = " FILE_NAME
        "\n[type q]\nhandle = exponential(mean=4m)\n[staff]\nagents = 1\n",
    };
    struct rs_scenario *sc = NULL, *again = NULL;
    struct rs_error err = {0};
    int rc = rs_scenario_load_string(texts[which], "fuzz", &sc, &err);
    if (rc) {
        if (sc) fail("load failed but set *out");
        check_error(rc, &err);
        return;
    }
    char *first = scenario_text(sc);
    rc = rs_scenario_load_string(first, "fuzz", &again, &err);
    if (rc) {
        char line[1024];
        rs_error_format(&err, line, sizeof line);
        fprintf(stderr, "fuzz_csv: written:\n%s\nerror: %s\n", first, line);
        fail("the written scenario does not load again");
    }
    if (!rs_scenario_equal(sc, again)) fail("the written scenario loads to a different one");
    free(first);
    rs_scenario_destroy(again);
    rs_scenario_destroy(sc);
}

static char *baseline_text(const struct rs_baseline *b)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) rs_alloc_failed(0);
    rs_baseline_write(m, b);
    if (fclose(m) != 0) abort();
    return buf;
}

static void fuzz_baseline(void)
{
    struct rs_baseline *b = NULL, *again = NULL;
    struct rs_error err = {0};
    int rc = rs_baseline_read(FILE_NAME, FILE_NAME, &b, &err);
    if (rc) {
        if (b) fail("read failed but set *out");
        check_error(rc, &err);
        return;
    }
    for (int i = 0; i < b->n_rows; i++) {
        const struct rs_baseline_row *r = &b->rows[i];
        const struct rs_baseline_row *f = rs_baseline_find(b, r->scenario, r->metric, r->scope);
        if (!f || strcmp(f->scenario, r->scenario) || strcmp(f->metric, r->metric) ||
            strcmp(f->scope, r->scope))
            fail("a row of the baseline is not found by its key");
        if (!rs_baseline_scenario(b, r->scenario)) fail("a scenario of the baseline not found");
    }
    char *first = baseline_text(b);
    put_file((const uint8_t *)first, strlen(first));
    rc = rs_baseline_read(FILE_NAME, FILE_NAME, &again, &err);
    if (rc) {
        char line[1024];
        rs_error_format(&err, line, sizeof line);
        fprintf(stderr, "fuzz_csv: written:\n%s\nerror: %s\n", first, line);
        fail("the written baseline does not read again");
    }
    char *second = baseline_text(again);
    if (strcmp(first, second)) fail("the baseline read again writes different text");
    free(first);
    free(second);
    rs_baseline_destroy(again);
    rs_baseline_destroy(b);
}

static void fuzz_csvin(void)
{
    struct rs_csvin *c = NULL;
    struct rs_error err = {0};
    int rc = rs_csvin_read(FILE_NAME, FILE_NAME, &c, &err);
    if (rc) {
        if (c) fail("read failed but set *out");
        check_error(rc, &err);
        return;
    }
    if (c->n_rows < 0 || c->n_rows > RS_CSVIN_MAX_ROWS) fail("row count out of range");
    if (c->n_rows > 0 && c->n_cols < 1) fail("rows without cells");
    int last = 0;
    for (int r = 0; r < c->n_rows; r++) {
        if (c->rows[r].line <= last) fail("row lines not increasing");
        last = c->rows[r].line;
        for (int k = 0; k < c->n_cols; k++)
            if (strlen(c->rows[r].cells[k]) > 1u << 30) fail("a cell longer than the file");
    }
    rs_csvin_destroy(c);
}

static void fuzz_log(uint8_t how, size_t size)
{
    struct rs_log_opts o = {.format = (enum rs_log_format)(how % 4), .skip_bad_rows = how / 4 % 2};
    if (how & 8) o.brand = "brand";
    struct rs_log *lg = NULL;
    struct rs_error err = {0};
    int rc = rs_log_open(FILE_NAME, &o, &lg, &err);
    if (rc) {
        if (lg) fail("open failed but set *out");
        check_error(rc, &err);
        return;
    }
    struct rs_log_msg m;
    size_t n = 0;
    while ((rc = rs_log_next(lg, &m, &err)) == 1) {
        if (!isfinite(m.arrive_s)) fail("a message without a finite arrival");
        if (m.line < 2) fail("a message on the header's line");
        if (!m.channel || !m.type || !m.agent || !m.conversation) fail("a NULL string");
        if (++n > size) fail("more messages than bytes");
        (void)strlen(m.channel), (void)strlen(m.conversation);
    }
    if (rc) check_error(rc, &err);
    if (rs_log_skipped(lg) > 0 && !rs_log_first_skipped(lg)) fail("skipped rows, no reason");
    rs_log_close(lg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const char pick[] = "pstbcl"; /* seeds name their reader */
    const char *k = memchr(pick, data[0], 6);
    int which = k ? (int)(k - pick) : data[0] % 6;
    if (which == 5) {
        if (size < 2) return 0;
        put_file(data + 2, size - 2);
        fuzz_log(data[1], size);
        return 0;
    }
    put_file(data + 1, size - 1);
    if (which < 3)
        fuzz_scenario_csv(which);
    else if (which == 3)
        fuzz_baseline();
    else
        fuzz_csvin();
    return 0;
}
