/* cmd_plot.c: `replysim plot DIR`, pictures of a results folder drawn by
 * gnuplot (an external program) with the scripts of plots/. */
#include "replysim/cmd.h"

#include "replysim/error.h"
#include "replysim/scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char usage[] =
    "usage: replysim plot DIR\n"
    "\n"
    "Draws latency.png and latency.svg (response-time CDF per channel, with\n"
    "confidence bands and the service-level thresholds) from DIR/latency.csv\n"
    "and DIR/scenario.ini.  Needs gnuplot (Debian package gnuplot-nox).\n"
    "The scripts are looked up in $REPLYSIM_PLOTS, ./plots, next to the\n"
    "program (../plots) and PREFIX/share/replysim/plots.\n";

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* The folder holding latency.gp. */
static int find_plots(char *out, size_t len)
{
    const char *env = getenv("REPLYSIM_PLOTS");
    char cand[4][1024 + 32];
    int n = 0;
    if (env && env[0]) snprintf(cand[n++], sizeof cand[0], "%s", env);
    snprintf(cand[n++], sizeof cand[0], "plots");
    char exe[900];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        snprintf(cand[n++], sizeof cand[0], "%s/../plots", exe);
        snprintf(cand[n++], sizeof cand[0], "%s/../share/replysim/plots", exe);
    }
    for (int i = 0; i < n; i++) {
        char probe[1100];
        if (snprintf(probe, sizeof probe, "%s/latency.gp", cand[i]) >= (int)sizeof probe) continue;
        if (exists(probe) && snprintf(out, len, "%s", cand[i]) < (int)len) return 0;
    }
    return -1;
}

/* Runs gnuplot on script with the -e settings; 0 on success. */
static int gnuplot(const char *settings, const char *script)
{
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        execlp("gnuplot", "gnuplot", "-e", settings, script, (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Writes a gnuplot string literal (single quotes doubled). */
static void quote(char *buf, size_t len, const char *s)
{
    size_t n = 0;
    if (n + 1 < len) buf[n++] = '\'';
    for (; *s && n + 3 < len; s++) {
        if (*s == '\'') buf[n++] = '\'';
        buf[n++] = *s;
    }
    if (n + 1 < len) buf[n++] = '\'';
    buf[n] = '\0';
}

int rs_cmd_plot(int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return RS_EXIT_OK;
        }
        if (argv[i][0] == '-' || dir) {
            fprintf(stderr, "replysim plot: %s: expected one results folder\n", argv[i]);
            return RS_EXIT_USAGE;
        }
        dir = argv[i];
    }
    if (!dir) {
        fputs(usage, stderr);
        return RS_EXIT_USAGE;
    }
    char data[1024], ini[1024], plots[1024], script[1100];
    snprintf(data, sizeof data, "%s/latency.csv", dir);
    snprintf(ini, sizeof ini, "%s/scenario.ini", dir);
    if (!exists(data) || !exists(ini)) {
        fprintf(stderr, "replysim plot: %s: expected a results folder of replysim run "
                        "(latency.csv and scenario.ini)\n", dir);
        return RS_EXIT_USAGE;
    }
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    if (rs_scenario_load(ini, &sc, &err)) {
        rs_error_print(&err, stderr);
        return RS_EXIT_USAGE;
    }
    if (find_plots(plots, sizeof plots)) {
        fprintf(stderr, "replysim plot: cannot find the gnuplot scripts (latency.gp); "
                        "set REPLYSIM_PLOTS to the plots/ folder\n");
        rs_scenario_destroy(sc);
        return RS_EXIT_RUNTIME;
    }
    snprintf(script, sizeof script, "%s/latency.gp", plots);

    char scopes[2048] = "all", thresholds[512] = "", title[256], q[4][2200];
    size_t n = strlen(scopes);
    for (int c = 0; c < sc->n_channels; c++)
        n += (size_t)snprintf(scopes + n, sizeof scopes - n, " channel:%s", sc->channels[c].name);
    n = 0;
    for (int w = 0; w < sc->n_within; w++)
        n += (size_t)snprintf(thresholds + n, sizeof thresholds - n, "%s%.17g", w ? " " : "",
                              sc->within_s[w]);
    snprintf(title, sizeof title, "%s: time to first response (mean of %d replications, 95%% CI)",
             sc->name, sc->replications);
    rs_scenario_destroy(sc);

    static const char *const terms[2] = {"png", "svg"};
    int rc = RS_EXIT_OK;
    for (int t = 0; t < 2 && rc == RS_EXIT_OK; t++) {
        char tmp[1100], final[1100], settings[16384];
        snprintf(final, sizeof final, "%s/latency.%s", dir, terms[t]);
        snprintf(tmp, sizeof tmp, "%s/.latency.%s.tmp%ld", dir, terms[t], (long)getpid());
        quote(q[0], sizeof q[0], data);
        quote(q[1], sizeof q[1], tmp);
        quote(q[2], sizeof q[2], scopes);
        quote(q[3], sizeof q[3], title);
        int sn = snprintf(settings, sizeof settings,
                 "datafile=%s; outfile=%s; term='%s'; scopes=%s; thresholds='%s'; title_text=%s",
                 q[0], q[1], terms[t], q[2], thresholds, q[3]);
        int st = sn < (int)sizeof settings ? gnuplot(settings, script) : -1;
        if (st != 0 || rename(tmp, final) != 0) {
            unlink(tmp);
            fprintf(stderr, "replysim plot: %s: %s\n", final,
                    st == 127 ? "gnuplot not found (install the Debian package gnuplot-nox)"
                              : "gnuplot could not draw it");
            rc = RS_EXIT_RUNTIME;
        }
    }
    return rc;
}
