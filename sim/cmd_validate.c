/* cmd_validate.c: `replysim validate`, the fully resolved scenario (every
 * default filled in, includes and --set applied) as INI on stdout, so a
 * user sees what a run would simulate and can keep it. */
#include "replysim/cmd.h"

#include "replysim/error.h"
#include "replysim/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SETS 256 /* --set options of one command line */

static const char usage[] =
    "usage: replysim validate SCENARIO [--set SECTION.KEY=VALUE]...\n"
    "\n"
    "Checks the scenario and prints it fully resolved (includes and overrides\n"
    "applied, every default written out) as INI that loads to the same scenario.\n"
    "\n"
    "  --set K=V    override a key, e.g. --set channel.twitter.rate=50/h,\n"
    "               --set policy.order=priority (repeatable)\n"
    "  -h, --help   this text\n";

int rs_cmd_validate(int argc, char **argv)
{
    const char *path = NULL;
    const char *sets[MAX_SETS];
    int n_sets = 0, st = RS_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            goto done;
        }
        if (n_sets == MAX_SETS && !strncmp(a, "--set", 5)) {
            fprintf(stderr, "replysim validate: --set: expected at most %d of them\n", MAX_SETS);
            st = RS_EXIT_USAGE;
            goto done;
        }
        if (!strcmp(a, "--set")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "replysim validate: --set: expected K=V after it\n");
                st = RS_EXIT_USAGE;
                goto done;
            }
            sets[n_sets++] = argv[++i];
            continue;
        }
        if (!strncmp(a, "--set=", 6)) {
            sets[n_sets++] = a + 6;
            continue;
        }
        if ((a[0] == '-' && a[1]) || path) {
            fprintf(stderr, "replysim validate: %s: %s\n", a,
                    path ? "expected one scenario file" : "unknown option (see replysim validate --help)");
            st = RS_EXIT_USAGE;
            goto done;
        }
        path = a;
    }
    if (!path) {
        fputs(usage, stderr);
        st = RS_EXIT_USAGE;
        goto done;
    }
    struct rs_error err = {0};
    struct rs_scenario *sc = NULL;
    if (rs_scenario_load_with(path, sets, n_sets, &sc, &err)) {
        rs_error_print(&err, stderr);
        st = RS_EXIT_USAGE; /* a missing or unreadable scenario is bad input too */
        goto done;
    }
    if (rs_scenario_write(sc, stdout)) {
        fprintf(stderr, "replysim validate: cannot write to stdout\n");
        st = RS_EXIT_RUNTIME;
    }
    rs_scenario_destroy(sc);
done:
    return st;
}
