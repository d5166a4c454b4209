/* cmd_validate.c: `replysim validate`, the fully resolved scenario (every
 * default filled in, includes and --set applied) as INI on stdout, so a
 * user sees what a run would simulate and can keep it. */
#include "cmd.h"

#include "cli.h"
#include "human.h"
#include "tool.h"
#include "replysim/buf.h"
#include "replysim/error.h"
#include "replysim/scenario.h"
#include "replysim/units.h"

#include <stdio.h>

static const char usage[] =
    "usage: replysim validate SCENARIO [--set SECTION.KEY=VALUE]...\n"
    "\n"
    "Checks the scenario and prints it fully resolved (includes and overrides\n"
    "applied, every default written out) as INI that loads to the same scenario,\n"
    "after comments saying the expected new messages a day on each channel and\n"
    "which types count as complaints in the outcome model.\n"
    "\n"
    "  --set K=V    override a key, e.g. --set channel.twitter.rate=50/h,\n"
    "               --set policy.order=priority (repeatable)\n"
    "  -h, --help   this text\n";

/* What the defaults make of the scenario, as INI comments. */
static void print_assumed(const struct rs_scenario *sc)
{
    rs_human_expected(stdout, sc, "; ");
    printf(";   (rate is each channel's average: profiles give the shape, rescaled to mean 1\n"
           ";   unless profile_scale = absolute)\n");
    uint32_t m = rs_scenario_complaint_mask(sc);
    struct rs_buf names = RS_BUF_INIT;
    for (int t = 0; t < sc->n_types && t < 32; t++)
        if (m >> t & 1u) rs_buf_printf(&names, "%s%s", names.len ? ", " : "", sc->types[t].name);
    printf("; complaints in the outcome model (defectors, onlooker_loss): %s\n"
           ";   ([outcome] complaint_types; by default the type named complaint)\n",
           m ? rs_buf_str(&names) : "none");
    rs_buf_free(&names);
}

/* With [policy] hours, a comment (the INI still loads) naming the
 * business-hours metrics a run adds.  Nonzero when stdout fails. */
static int say_business_hours(const struct rs_scenario *sc)
{
    if (sc->n_hours == 0) return 0;
    printf("\n; business-hours metrics on (the clock stops outside [policy] hours):");
    for (int i = 0; i < sc->n_within; i++) {
        char label[32];
        rs_units_label_duration(sc->within_s[i], label, sizeof label);
        printf(" sl_bh_%s,", label);
    }
    printf(" frt_bh_mean_s, frt_bh_p50_s, frt_bh_p90_s\n");
    return fflush(stdout) != 0 || ferror(stdout);
}

int rs_cmd_validate(int argc, char **argv)
{
    struct rs_cli o;
    rs_cli_init(&o, "validate");
    const struct rs_opt opts[] = {RS_CLI_OPT_SCENARIO(&o), RS_CLI_OPT_SET(&o), RS_OPT_END};
    int st = rs_opt_parse(o.cmd, usage, opts, argc, argv);
    if (st != RS_OPT_CONTINUE) return st;
    struct rs_scenario *sc = NULL;
    if (rs_cli_load(&o, &sc)) return RS_EXIT_USAGE;
    st = RS_EXIT_OK;
    print_assumed(sc);
    rs_scenario_notes(sc, stdout);
    if (rs_scenario_write(sc, stdout) || say_business_hours(sc)) {
        rs_tool_say(o.cmd, "cannot write to stdout");
        st = RS_EXIT_RUNTIME;
    }
    rs_scenario_destroy(sc);
    return st;
}
