/* fuzz_plot.c: libFuzzer harness for `replysim plot`'s reading of a
 * results folder (tool/plot_build.c, plot_input.c, plot_sweep.c; issue 11).
 *
 * The input is the folder's files: lines `@@ NAME` (sweep, latency,
 * intervals, summary, staffing) start NAME.csv, the lines after it its
 * content; a first line `metric=NAME` is --metric.  The harness writes them
 * into plotin/ of the working folder (`make fuzz-plot` runs in
 * build/fuzz/files/) and calls rs_plot_build with a fixed scenario, which
 * builds the gnuplot settings and the sweep data in memory: gnuplot is
 * never run.  Then:
 *   - on failure: RS_EINPUT or RS_EIO, nothing built, and one line of error
 *     (no control characters);
 *   - on success: each picture's settings are only `name=VALUE; ` with
 *     VALUE a number, NaN or a single-quoted gnuplot literal ('' for a
 *     quote, no control characters): no text outside a literal, so nothing
 *     a file holds can become a gnuplot command; the settings are at most
 *     RS_PLOT_MAX_SETTINGS bytes; every line of the sweep data is seven
 *     numbers (or NaN) and a double-quoted label holding no quote.
 * Anything else calls abort().  The library and plot's code are guarded
 * (tests/fuzz/guard.syms): they may read, never write. */
#include "plot.h"
#include "replysim/alloc.h"
#include "replysim/buf.h"
#include "replysim/error.h"
#include "replysim/scenario.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DIR_NAME "plotin"

static const char *const names[] = {"sweep", "latency", "intervals", "summary", "staffing"};
#define N_NAMES (sizeof names / sizeof names[0])

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_plot: %s\n", what);
    if (detail) fprintf(stderr, "----\n%s\n----\n", detail);
    abort();
}

static const struct rs_scenario *scenario(void)
{
    static struct rs_scenario *sc;
    static const char text[] = "[scenario]\nname = fuzz\nhorizon = 2d\nreplications = 3\n"
                               "interval = 15m\nwithin = 15m, 1h, 4h\n"
                               "[channel twitter]\nrate = 6/h\n"
                               "[channel a.very-long_channel.name.of-sixty-three.characters_xx]\n"
                               "rate = 1/h\n[type q]\nhandle = exponential(mean=4m)\n"
                               "[staff]\nagents = 1\n";
    struct rs_error err = {0};
    if (!sc && rs_scenario_load_string(text, "fuzz", &sc, &err)) fail("scenario", err.msg);
    return sc;
}

/* Writes the files of the input into plotin/; *metric is --metric (to free). */
static void put_files(const char *text, char **metric)
{
    mkdir(DIR_NAME, 0777);
    char path[64];
    for (size_t i = 0; i < N_NAMES; i++) {
        snprintf(path, sizeof path, DIR_NAME "/%s.csv", names[i]);
        unlink(path);
    }
    *metric = NULL;
    if (!strncmp(text, "metric=", 7)) {
        size_t n = strcspn(text + 7, "\n");
        *metric = rs_malloc(n + 1);
        memcpy(*metric, text + 7, n);
        (*metric)[n] = '\0';
    }
    FILE *f = NULL;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        int at = -1;
        for (size_t i = 0; i < N_NAMES && n > 3 && !strncmp(p, "@@ ", 3); i++)
            if (n == 3 + strlen(names[i]) && !strncmp(p + 3, names[i], n - 3)) at = (int)i;
        if (at >= 0) {
            if (f && fclose(f)) fail("cannot write", path);
            snprintf(path, sizeof path, DIR_NAME "/%s.csv", names[at]);
            f = fopen(path, "wb");
            if (!f) fail("cannot write", path);
        } else if (f) {
            fwrite(p, 1, n + (p[n] == '\n'), f);
        }
        p += n + (p[n] == '\n');
    }
    if (f && fclose(f)) fail("cannot write", path);
}

/* The settings: `name=VALUE; ` only, VALUE a number or a quoted literal. */
static void check_settings(const char *s)
{
    const char *p = s;
    while (*p) {
        const char *q = p;
        while (isalnum((unsigned char)*q) || *q == '_')
            q++;
        if (q == p || *q != '=') fail("settings: expected name=", s);
        q++;
        if (*q == '\'') {
            for (q++;; q++) {
                if (!*q) fail("settings: unterminated literal", s);
                if ((unsigned char)*q < 0x20 || *q == 0x7f) fail("settings: control character", s);
                if (*q == '\'' && q[1] == '\'')
                    q++;
                else if (*q == '\'')
                    break;
            }
            q++;
        } else if (!strncmp(q, "NaN", 3)) {
            q += 3;
        } else {
            const char *v = q;
            while (*q && strchr("0123456789.eE+-", *q))
                q++;
            if (q == v) fail("settings: text outside a literal", s);
        }
        if (!*q) break;
        if (q[0] != ';' || q[1] != ' ') fail("settings: expected '; ' after a value", s);
        p = q + 2;
    }
}

/* The sweep data: 7 numbers and a label per line, blocks between. */
static void check_data(const char *s)
{
    for (const char *p = s; *p;) {
        const char *e = strchr(p, '\n');
        if (!e) fail("data: the last line has no line break", s);
        if (e > p) {
            const char *q = p;
            for (int k = 0; k < 7; k++) {
                const char *v = q;
                if (!strncmp(q, "NaN", 3))
                    q += 3;
                else
                    while (q < e && strchr("0123456789.eE+-", *q))
                        q++;
                if (q == v || *q != ' ') fail("data: expected 7 numbers", s);
                q++;
            }
            if (*q != '"' || e[-1] != '"' || e - q < 2) fail("data: expected a quoted label", s);
            for (const char *c = q + 1; c < e - 1; c++)
                if (*c == '"' || (unsigned char)*c < 0x20) fail("data: a label holds a quote", s);
        }
        p = e + 1;
    }
}

static void check_error(int rc, const struct rs_plot_out *out, const struct rs_error *err)
{
    if (rc != RS_EINPUT && rc != RS_EIO) fail("failed with a code other than RS_EINPUT/RS_EIO", 0);
    for (int i = 0; i < RS_PLOT_N; i++)
        if (out->set[i].len) fail("failed but left settings", rs_buf_str(&out->set[i]));
    if (!err->msg[0]) fail("failed with an empty message", 0);
    char line[1024];
    rs_error_format(err, line, sizeof line);
    for (const unsigned char *p = (const unsigned char *)line; *p; p++)
        if (*p < 0x20 || *p == 0x7f) fail("the error is not one plain line", line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = rs_malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *metric;
    put_files(text, &metric);
    const struct rs_plot_in in = {.dir = DIR_NAME,
                                  .metric = metric,
                                  .target = 0.9,
                                  .sc = scenario(),
                                  .sweep_data = DIR_NAME "/.sweep.dat"};
    struct rs_plot_out out = RS_PLOT_OUT_INIT;
    struct rs_error err = {0};
    int rc = rs_plot_build(&in, &out, &err);
    if (rc) {
        check_error(rc, &out, &err);
    } else {
        for (int i = 0; i < RS_PLOT_N; i++) {
            if (out.set[i].len > RS_PLOT_MAX_SETTINGS) fail("settings too long", 0);
            check_settings(rs_buf_str(&out.set[i]));
        }
        check_data(rs_buf_str(&out.sweep_data));
    }
    rs_plot_out_free(&out);
    free(metric);
    free(text);
    return 0;
}
