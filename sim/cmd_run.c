/* cmd_run.c: `replysim run`, the main job: replications of one scenario
 * into summary.csv, replications.csv, latency.csv and scenario.ini. */
#include "replysim/cmd.h"

#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "replysim/units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SETS 256 /* --set options of one command line */

static const char usage[] =
    "usage: replysim run SCENARIO [-r REPS] [-s SEED] [-o DIR] [-j THREADS] [--trace] [--set K=V]...\n"
    "\n"
    "Runs the scenario's replications and writes, into DIR (default\n"
    "results/NAME/): summary.csv, replications.csv, intervals.csv, latency.csv,\n"
    "scenario.ini.\n"
    "\n"
    "  -r, --replications N   replications (default: the scenario's, 10)\n"
    "  -s, --seed N           base seed, 0..2^64-1 (default: the scenario's, 1)\n"
    "  -o, --output DIR       output folder\n"
    "  -j, --threads N        replications run in parallel (output is identical)\n"
    "  --set SECTION.KEY=V    override a scenario key, e.g. channel.twitter.rate=50/h\n"
    "                         (repeatable; applied after the file and its includes)\n"
    "  --trace                also write messages.csv: every message and its fate\n"
    "  -q, --quiet            no progress line\n"
    "  -h, --help             this text\n";

static int fail(const struct rs_error *e, int code)
{
    char buf[1024];
    rs_error_format(e, buf, sizeof buf);
    fprintf(stderr, "replysim run: %s\n", buf);
    return rs_error_exit_status(code);
}

static int bad_option(const char *opt, const char *why)
{
    fprintf(stderr, "replysim run: %s: %s\n", opt, why);
    return RS_EXIT_USAGE;
}

static int parse_seed(const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!text[0] || text[0] == '-') return -1;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end) return -1;
    *out = (uint64_t)v;
    return 0;
}

int rs_cmd_run(int argc, char **argv)
{
    const char *path = NULL, *outdir = NULL;
    long reps = -1, threads = 1;
    uint64_t seed = 0;
    int have_seed = 0, quiet = 0, trace = 0;
    char why[256];
    const char *sets[MAX_SETS];
    int n_sets = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return RS_EXIT_OK;
        }
        if (!strcmp(a, "--set") || !strncmp(a, "--set=", 6)) {
            if (n_sets == MAX_SETS) return bad_option(a, "expected at most 256 of them");
            if (a[5] == '=') {
                sets[n_sets++] = a + 6;
            } else if (i + 1 >= argc) {
                return bad_option(a, "expected K=V after it");
            } else {
                sets[n_sets++] = argv[++i];
            }
            continue;
        }
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
            continue;
        }
        if (!strcmp(a, "--trace")) {
            trace = 1;
            continue;
        }
        int takes = !strcmp(a, "-r") || !strcmp(a, "--replications") || !strcmp(a, "-s") ||
                    !strcmp(a, "--seed") || !strcmp(a, "-o") || !strcmp(a, "--output") ||
                    !strcmp(a, "-j") || !strcmp(a, "--threads");
        if (takes) {
            if (i + 1 >= argc) return bad_option(a, "expected a value after it");
            const char *v = argv[++i];
            if (a[1] == 'r' || !strcmp(a, "--replications")) {
                if (rs_units_int(v, 1, 1000000, &reps, why, sizeof why)) return bad_option(a, why);
            } else if (a[1] == 's' || !strcmp(a, "--seed")) {
                if (parse_seed(v, &seed))
                    return bad_option(a, "expected a whole number from 0 to 18446744073709551615");
                have_seed = 1;
            } else if (a[1] == 'o' || !strcmp(a, "--output")) {
                if (!v[0]) return bad_option(a, "expected a folder");
                outdir = v;
            } else {
                if (rs_units_int(v, 1, 1024, &threads, why, sizeof why)) return bad_option(a, why);
            }
            continue;
        }
        if (a[0] == '-' && a[1]) return bad_option(a, "unknown option (see replysim run --help)");
        if (path) return bad_option(a, "expected one scenario file");
        path = a;
    }
    if (!path) {
        fputs(usage, stderr);
        return RS_EXIT_USAGE;
    }

    struct rs_error err = {0};
    struct rs_scenario *sc = NULL;
    int rc = rs_scenario_load_with(path, sets, n_sets, &sc, &err);
    if (rc) {
        rs_error_print(&err, stderr);
        return RS_EXIT_USAGE; /* a missing or unreadable scenario is bad input too */
    }
    if (reps > 0) sc->replications = (int)reps;
    if (have_seed) sc->seed = seed;

    char dirbuf[512];
    if (!outdir) {
        snprintf(dirbuf, sizeof dirbuf, "results/%s", sc->name);
        outdir = dirbuf;
    }
    struct rs_run_opts opts = {.replications = sc->replications,
                               .seed = sc->seed,
                               .threads = (int)threads,
                               .progress = !quiet && isatty(STDERR_FILENO), .trace = trace};
    struct rs_results *res = NULL;
    rc = rs_experiment_run(sc, &opts, &res, &err);
    if (rc) {
        int st = fail(&err, rc);
        rs_scenario_destroy(sc);
        return st;
    }

    struct rs_report *rep = NULL;
    rc = rs_report_begin(outdir, &rep, &err);
    FILE *f;
    if (!rc && (f = rs_report_file(rep, "summary.csv", &err))) rs_report_summary(f, res);
    else if (!rc) rc = RS_EIO;
    if (!rc && (f = rs_report_file(rep, "replications.csv", &err))) rs_report_replications(f, res);
    else if (!rc) rc = RS_EIO;
    if (!rc && (f = rs_report_file(rep, "latency.csv", &err))) rs_report_latency(f, res, sc);
    else if (!rc) rc = RS_EIO;
    if (!rc && (f = rs_report_file(rep, "intervals.csv", &err))) rs_report_intervals(f, res, sc);
    else if (!rc) rc = RS_EIO;
    if (!rc && trace) {
        if ((f = rs_report_file(rep, "messages.csv", &err))) {
            if (rs_report_messages(f, res))
                rc = rs_error_io(&err, "messages.csv", "cannot read the message trace back");
        } else {
            rc = RS_EIO;
        }
    }
    if (!rc && (f = rs_report_file(rep, "scenario.ini", &err))) {
        fprintf(f, "; replysim %s: rerun with `replysim run scenario.ini` for the same results\n",
                RS_VERSION);
        rs_scenario_write(sc, f);
    } else if (!rc)
        rc = RS_EIO;
    if (!rc)
        rc = rs_report_commit(rep, &err);
    else
        rs_report_abort(rep);

    rs_results_destroy(res);
    rs_scenario_destroy(sc);
    if (rc) {
        rs_error_print(&err, stderr);
        return RS_EXIT_RUNTIME;
    }
    if (!quiet && isatty(STDOUT_FILENO)) printf("replysim: results in %s/\n", outdir);
    return RS_EXIT_OK;
}
