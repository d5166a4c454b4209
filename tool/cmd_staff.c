/* cmd_staff.c: `replysim staff`, the fewest agents per stats interval that
 * meet a target in every interval, found by simulation (SPEC section 9).
 * The search is the library's (replysim/staff.h); this file reads the
 * options, prints the summary and says what went wrong. */
#include "cmd.h"

#include "cli.h"
#include "progress.h"
#include "tool.h"
#include "replysim/budget.h"
#include "replysim/error.h"
#include "replysim/scenario.h"
#include "replysim/shifts.h"
#include "replysim/staff.h"
#include "replysim/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHIFT_TIME_LIMIT_S 60 /* of the shift model's branch and bound */

static const char usage[] =
    "usage: replysim staff SCENARIO --target TARGET [--cost-per-agent-hour X]\n"
    "                      [--min-agents N] [--max-agents N] [--strict]\n"
    "                      [--shifts LENGTHS [--shift-starts STEP] [--shift-cost-per-hour X]\n"
    "                       [--days-on N [--any-days-off]] [--same-weekdays] [--min-on N]]\n"
    "                      [-r REPS] [-s SEED] [-o DIR] [-j THREADS] [--set K=V]...\n"
    "\n"
    "Finds the fewest agents per stats interval ([scenario] interval, 1h) that\n"
    "meet TARGET in every interval of the horizon, by simulation: an Erlang\n"
    "start per interval, then raising the intervals that miss and trimming\n"
    "until taking one agent from any interval breaks the target (backlog\n"
    "carries over from one interval to the next).  The scenario's own [staff]\n"
    "agents, schedule and [shift] sections are replaced.  Every simulation runs\n"
    "the same replication seeds.\n"
    "\n"
    "  --target TARGET        what every interval must meet, by interval of arrival:\n"
    "                           'sl(1h)>=0.9'       share answered within 1h\n"
    "                           'response_rate>=0.95'  share answered at all\n"
    "                           'frt_p90<=4h'       p50, p90, p95 or p99 of the first\n"
    "                                               response time (of answered messages)\n"
    "                           'frt_mean<=30m'     mean first response time\n"
    "  --cost-per-agent-hour X  cost of one agent-hour (1)\n"
    "  --min-agents N         fewest agents in any interval (0)\n"
    "  --max-agents N         most agents in any interval (1000)\n"
    "  --strict               meet the target with the 95% confidence bound, not the\n"
    "                         mean over replications\n"
    "  --shifts LENGTHS       also turn the staffing into shifts of these lengths, such\n"
    "                         as 8h,6h,4h: the fewest paid agent-hours whose agents on\n"
    "                         shift cover the staffing in every interval (an exact\n"
    "                         integer program, GLPK, 60 s time limit); breaks are not\n"
    "                         modelled; a shift may run past the horizon (paid in full)\n"
    "  --shift-starts STEP    shifts start every STEP from the run's start (default:\n"
    "                         the interval), on each day of the horizon\n"
    "  --shift-cost-per-hour X  cost of a paid shift agent-hour (--cost-per-agent-hour)\n"
    "  --days-on N            a weekly roster of agent-weeks: each agent works N days\n"
    "                         (same shift each day), the other days off in a row (5:\n"
    "                         five on, two off) unless --any-days-off\n"
    "  --same-weekdays        weekdays with the same need get the same shift starts\n"
    "  --min-on N             at least N agents on in every interval with a need\n"
    "  -r, --replications N   replications of every simulation (default: the scenario's)\n"
    "  -s, --seed N           base seed (default: the scenario's)\n"
    "  -o, --output DIR       output folder (default results/NAME/)\n"
    "  -j, --threads N        replications run in parallel (output is identical)\n"
    "  --set SECTION.KEY=V    override a key of the scenario (repeatable)\n"
    "  -q, --quiet            no progress lines\n"
    "  -h, --help             this text\n"
    "\n"
    "Writes staffing.csv (per interval: agents, demand, the target's figure with\n"
    "its 95% CI), schedule.csv (time,agents: for [staff] schedule), scenario.ini\n"
    "(the scenario with that schedule) and intervals.csv of the final run; prints\n"
    "agent-hours and cost.  With --shifts also shifts.csv (name,day,start,length,\n"
    "agents) and shifts.ini (the scenario with those [shift] sections).  The drain keeps the last "
    "interval's agents.  Exit\n"
    "status 3 (files still written) when some interval cannot meet the target\n"
    "within --max-agents.\n";

/* The options of staff besides the shared ones. */
struct staff_args {
    const char *target; /* --target as given */
    long min_agents, max_agents;
    double cost, shift_cost; /* per agent-hour; shift_cost NaN: not given */
    int strict;
    const char *shifts;      /* --shifts as given, NULL: none */
    const char *starts;      /* --shift-starts as given, NULL: none */
    struct rs_shifts_in sin; /* lengths and step of the shift model */
    long days_on, min_on;    /* roster options (shifts.h), 0: none */
};

/* Takes the value v of one of staff's options (an option callback; the
 * value is the struct staff_args): 0, or RS_EXIT_USAGE after saying why. */
static int take(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *v)
{
    struct staff_args *a = opt->value;
    const char *name = opt->long_name;
    char why[256];
    int bad = 0;
    if (!strcmp(name, "target")) {
        /* one target is searched for: a second must not silently replace the first */
        if (a->target) return rs_opt_bad(c, "expected one target, given twice");
        a->target = v;
    } else if (!strcmp(name, "cost-per-agent-hour")) {
        bad = rs_units_number(v, &a->cost, why, sizeof why);
        if (!bad && a->cost < 0) bad = 1, snprintf(why, sizeof why, "expected a cost >= 0");
    } else if (!strcmp(name, "shifts")) {
        a->shifts = v;
        bad = rs_shifts_parse_lengths(v, &a->sin, why, sizeof why);
    } else if (!strcmp(name, "shift-starts")) {
        double *step = &a->sin.step_s;
        a->starts = v;
        bad = rs_units_duration(v, step, why, sizeof why);
        if (!bad && (!(*step > 0) || fabs(*step / 60 - round(*step / 60)) > 1e-9))
            bad = 1, snprintf(why, sizeof why, "expected whole minutes above 0 such as 1h");
    } else {
        bad = rs_units_number(v, &a->shift_cost, why, sizeof why);
        if (!bad && a->shift_cost < 0) bad = 1, snprintf(why, sizeof why, "expected a cost >= 0");
    }
    return bad ? rs_opt_bad(c, why) : 0;
}

/* Reads the command line into o and a: RS_OPT_CONTINUE, or the exit status
 * to return at once. */
static int read_options(int argc, char **argv, struct rs_cli *o, struct staff_args *a)
{
    const unsigned named = RS_OPT_NAMED; /* errors name "--min-agents", not "--min-agents=x" */
    const struct rs_opt opts[] = {
        RS_OPT_CALLBACK(0, "target", a, take, "TARGET", "what every interval must meet"),
        {RS_OPT_CALLBACK_F(0, "cost-per-agent-hour", a, take, "X", "cost of one agent-hour"),
         .flags = named},
        {RS_OPT_INT_F(0, "min-agents", &a->min_agents, 0, 1000000, "N", "fewest agents"),
         .flags = named},
        {RS_OPT_INT_F(0, "max-agents", &a->max_agents, 1, 1000000, "N", "most agents"),
         .flags = named},
        RS_OPT_FLAG(0, "strict", &a->strict, "meet the target with the 95% confidence bound"),
        {RS_OPT_CALLBACK_F(0, "shifts", a, take, "LENGTHS", "also turn it into shifts"),
         .flags = named},
        {RS_OPT_CALLBACK_F(0, "shift-starts", a, take, "STEP", "shifts start every STEP"),
         .flags = named},
        {RS_OPT_CALLBACK_F(0, "shift-cost-per-hour", a, take, "X", "cost of a shift hour"),
         .flags = named},
        {RS_OPT_INT_F(0, "days-on", &a->days_on, 1, 7, "N", "days an agent works a week"),
         .flags = named},
        RS_OPT_FLAG(0, "any-days-off", &a->sin.any_days_off, "days off need not be in a row"),
        RS_OPT_FLAG(0, "same-weekdays", &a->sin.same_weekdays, "like days, like shifts"),
        {RS_OPT_INT_F(0, "min-on", &a->min_on, 0, 1000000, "N", "fewest agents on"),
         .flags = named},
        RS_CLI_OPTS_RUN(o),
        RS_OPT_END,
    };
    int st = rs_opt_parse(o->cmd, usage, opts, argc, argv);
    if (st != RS_OPT_CONTINUE) return st;
    if (!a->target)
        return rs_tool_say(o->cmd, "--target: expected one, such as --target 'sl(1h)>=0.90'");
    if (a->min_agents > a->max_agents)
        return rs_tool_say(o->cmd, "--min-agents: expected at most --max-agents");
    if (!a->shifts && (a->starts || !isnan(a->shift_cost)))
        return rs_tool_say(o->cmd, "%s: expected it with --shifts",
                           a->starts ? "--shift-starts" : "--shift-cost-per-hour");
    if (isnan(a->shift_cost)) a->shift_cost = a->cost;
    if (!a->shifts && (a->days_on || a->min_on || a->sin.any_days_off || a->sin.same_weekdays))
        return rs_tool_say(o->cmd, "--days-on, --any-days-off, --same-weekdays, --min-on: "
                                   "expected them with --shifts");
    if (a->sin.any_days_off && !a->days_on)
        return rs_tool_say(o->cmd, "--any-days-off: expected it with --days-on");
    a->sin.days_on = (int)a->days_on;
    a->sin.min_on = (int)a->min_on;
    a->sin.cost_per_hour = a->shift_cost;
    return RS_OPT_CONTINUE;
}

static void print_shifts(const struct staff_args *a, const struct rs_staff_result *r)
{
    const struct rs_shifts_plan *plan = r->plan;
    char step[32];
    rs_units_label_duration(r->shift_step_s, step, sizeof step);
    double over = plan->paid_hours - plan->need_hours;
    printf("shifts %s starting every %s: %d shift(s), %.10g paid agent-hours vs %.10g "
           "agent-hours per interval (over-coverage %.10g, %.3g%%); cost %.10g (%.10g per "
           "agent-hour); breaks not modelled\n",
           a->shifts, step, plan->n_rows, plan->paid_hours, plan->need_hours, over,
           plan->need_hours > 0 ? 100 * over / plan->need_hours : 0.0,
           plan->paid_hours * a->shift_cost, a->shift_cost);
    if (plan->optimal)
        printf("shift model: optimal (GLPK, %d candidate shifts, %d intervals to cover, "
               "%.3g s)\n",
               plan->n_candidates, plan->n_constraints, plan->solve_s);
    else if (plan->stalled)
        printf("shift model: stopped after 2000 nodes without a better roster: the best found, "
               "NOT proven optimal (lower bound %.10g agent-hours; %d candidate shifts, %d "
               "intervals)\n",
               plan->bound_hours, plan->n_candidates, plan->n_constraints);
    else
        printf("shift model: time limit of %ds hit: the best found, NOT proven optimal "
               "(lower bound %.10g agent-hours; %d candidate shifts, %d intervals)\n",
               SHIFT_TIME_LIMIT_S, plan->bound_hours, plan->n_candidates, plan->n_constraints);
    if (plan->roster)
        printf("roster: %.10g paid agent-hours a week, cost %.10g a week\n", plan->paid_week_hours,
               plan->paid_week_hours * a->shift_cost);
    if (!r->shifts_fit)
        printf("shifts: %d shifts are more than the %d [shift] sections a scenario may "
               "hold: no shifts.ini written\n",
               plan->n_rows, RS_MAX_SHIFTS);
    else if (r->shift_misses == 0)
        printf("with the shifts (shifts.ini): target met in every interval\n");
    else
        printf("with the shifts (shifts.ini): target NOT met in %d interval(s)\n", r->shift_misses);
}

/* The intervals that miss, by their start from the run's start (as in
 * schedule.csv), the first ten of them. */
static void print_missed(const struct rs_staff *st, const struct rs_staff_result *r)
{
    int shown = 0;
    for (int i = 0; i < r->n && shown < 10; i++) {
        if (!rs_staff_missed(st, i)) continue;
        char at[32];
        rs_units_format_duration(i * r->width_s, at, sizeof at);
        printf("%s %s", shown++ ? "," : "", at);
    }
    printf("%s\n", r->misses > shown ? ", ..." : "");
}

/* The summary on stdout; the exit status. */
static int print_summary(const struct rs_scenario *sc, const struct staff_args *a,
                         const struct rs_staff_opts *so, const struct rs_staff *st,
                         const char *outdir)
{
    struct rs_staff_result r;
    rs_staff_result(st, &r);
    int status = RS_EXIT_OK;
    char width[32];
    rs_units_label_duration(r.width_s, width, sizeof width);
    printf("staff %s: target %s in each of %d %s intervals with messages (of %d), %d "
           "replications from seed %llu, %ld simulations\n",
           sc->name, so->target.text, r.n_targeted, width, r.n, so->replications,
           (unsigned long long)so->seed, r.sims);
    printf("agents per interval: %d to %d; agent-hours %.10g; cost %.10g (%.10g per agent-hour)\n",
           r.lo, r.hi, r.agent_hours, r.agent_hours * a->cost, a->cost);
    if (r.misses == 0) {
        printf("target met in every interval; taking one agent from any interval breaks it "
               "(or it is at --min-agents)\n");
    } else {
        printf("target NOT met in %d interval(s) even at --max-agents %d (see the met column):",
               r.misses, so->max_agents);
        print_missed(st, &r);
        status = RS_EXIT_RUNTIME;
    }
    if (a->shifts) {
        print_shifts(a, &r);
        if (!r.shifts_fit) status = RS_EXIT_RUNTIME;
    }
    printf("replysim: staffing.csv, schedule.csv, scenario.ini, intervals.csv%s in %s\n",
           !a->shifts     ? ""
           : r.shifts_fit ? ", shifts.csv, shifts.ini"
                          : ", shifts.csv",
           outdir);
    if (fflush(stdout) != 0) status = RS_EXIT_RUNTIME;
    return status;
}

/* Runs the search of sc with opts (besides the scenario's seed and
 * replications) and writes its folder: the exit status. */
static int search(const struct rs_cli *o, const struct staff_args *a,
                  const struct rs_staff_opts *opts, const struct rs_scenario *sc)
{
    struct rs_tool_progress shown = {0};
    struct rs_staff_opts so = *opts;
    struct rs_error err = {0};
    struct rs_staff *st = NULL;
    so.replications = sc->replications;
    so.seed = sc->seed;
    so.progress = rs_tool_progress_fn(o->quiet);
    so.progress_ctx = &shown;
    char dirbuf[512];
    const char *outdir = rs_cli_outdir(o, sc, dirbuf, sizeof dirbuf);
    int status = rs_cli_prepare_outdir(outdir);
    if (status) return status;
    int rc = rs_staff_create(sc, &so, &st, &err);
    if (rc) return rs_tool_error(o->cmd, &err, rc);
    rc = rs_staff_run(st, &err);
    if (!rc) rc = rs_staff_write(outdir, st, &err);
    status = rc ? rs_tool_error(NULL, &err, rc) : print_summary(sc, a, &so, st, outdir);
    rs_staff_destroy(st);
    return status;
}

int rs_cmd_staff(int argc, char **argv)
{
    struct rs_cli o;
    rs_cli_init(&o, "staff");
    struct staff_args a = {.max_agents = 1000,
                           .cost = 1,
                           .shift_cost = NAN,
                           .sin = {.time_limit_s = SHIFT_TIME_LIMIT_S}};
    int st = read_options(argc, argv, &o, &a);
    if (st != RS_OPT_CONTINUE) return st;
    struct rs_staff_opts so = {.min_agents = (int)a.min_agents,
                               .max_agents = (int)a.max_agents,
                               .strict = a.strict,
                               .threads = (int)o.threads,
                               .shifts = a.shifts != NULL,
                               .shift = a.sin,
                               .shifts_text = a.shifts};
    char why[256];
    if (rs_staff_target_parse(a.target, &so.target, why, sizeof why)) {
        return rs_tool_say(o.cmd, "--target %s: %s", a.target, why);
    }
    struct rs_scenario *sc = NULL;
    if (rs_cli_load(&o, &sc)) return RS_EXIT_USAGE;
    const struct rs_budget_req req = {.staff_agents = so.max_agents > 0 ? so.max_agents : 1,
                                      .staff_from = "--max-agents"};
    st = rs_cli_budget(&o, sc, &req);
    if (!st) st = search(&o, &a, &so, sc);
    rs_scenario_destroy(sc);
    return st;
}
