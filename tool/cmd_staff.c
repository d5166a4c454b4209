/* cmd_staff.c: `replysim staff`, the fewest agents per stats interval that
 * meet a target in every interval, found by simulation (docs/scenario-reference.md section 9).
 * The search is the library's (replysim/staff.h); this file reads the
 * options, prints the summary and says what went wrong. */
#include "cmd.h"

#include "cli.h"
#include "human.h"
#include "progress.h"
#include "tool.h"
#include "replysim/budget.h"
#include "replysim/error.h"
#include "replysim/scenario.h"
#include "replysim/shifts.h"
#include "replysim/staff.h"
#include "replysim/report.h"
#include "replysim/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHIFT_TIME_LIMIT_S 60 /* of the shift model's branch and bound */

static const char usage[] =
    "usage: replysim staff SCENARIO --target TARGET [--target TARGET]...\n"
    "                      [--max-occupancy P] [--shrinkage F] [--cost-per-agent-hour X]\n"
    "                      [--min-agents N] [--max-agents N] [--per-interval]\n"
    "                      [--confidence P | --strict] [--verify-replications N]\n"
    "                      [--verify-seed N]\n"
    "                      [--shifts LENGTHS [--shift-starts STEP] [--shift-cost-per-hour X]\n"
    "                       [--days-on N [--any-days-off]] [--same-weekdays] [--min-on N]]\n"
    "                      [-r REPS] [-s SEED] [-o DIR] [-j THREADS] [--set K=V]...\n"
    "\n"
    "Finds the fewest agents per stats interval ([scenario] interval, 1h) that\n"
    "meet every TARGET in every judged interval, by simulation: an Erlang start\n"
    "per interval, then raising the intervals that miss and trimming until\n"
    "taking one agent from any interval breaks a target (backlog carries over\n"
    "from one interval to the next).  The search runs the scenario's seed; the\n"
    "staffing is then verified on fresh replications it never saw, raising any\n"
    "interval that misses there until none does.  Judged are the intervals\n"
    "after [scenario] warmup, with messages, not wholly outside [policy] hours.\n"
    "An interval meets a target when its mean clears it by the one-sided\n"
    "t margin at the confidence (95%) and, for shares, the Wilson bound of its\n"
    "messages pooled over the replications clears it too.  When the horizon is\n"
    "whole weeks the answer is one weekly pattern (the same agents in every\n"
    "week at each interval of the week).  The scenario's own [staff] agents,\n"
    "schedule and [shift] sections are replaced.\n"
    "\n"
    "  --target TARGET        what every judged interval must meet, by interval of\n"
    "                         arrival (repeatable: all must hold):\n"
    "                           'sl(1h)>=0.9'       share answered within 1h\n"
    "                           'sl_bh(1h)>=0.9'    the same in business time ([policy] hours)\n"
    "                           'response_rate>=0.95'  share answered at all\n"
    "                           'abandon_rate<=0.05'   share never answered (abandoned,\n"
    "                                               or still open at the end: an upper bound)\n"
    "                           'frt_p90<=4h'       p50, p90, p95 or p99 of the first\n"
    "                                               response time (of answered messages)\n"
    "                           'frt_mean<=30m'     mean first response time\n"
    "                           'occupancy<=0.85'   busy share of the working agents\n"
    "                         each but occupancy for one channel or type: a scope after\n"
    "                         the name, 'sl(1h)[channel:twitter]>=0.95',\n"
    "                         'frt_p90[type:complaint]<=4h'\n"
    "  --max-occupancy P      the same as --target 'occupancy<=P'\n"
    "  --shrinkage F          share of paid time not on duty (breaks, meetings,\n"
    "                         training), 0 to below 1 (0): rosters and shifts cover\n"
    "                         agents / (1 - F), rounded up\n"
    "  --cost-per-agent-hour X  cost of one rostered agent-hour (1)\n"
    "  --min-agents N         fewest agents in any interval (0)\n"
    "  --max-agents N         most agents in any interval (1000)\n"
    "  --per-interval         an answer per interval of the horizon, not a weekly pattern\n"
    "  --confidence P         of the judging rule, 0.5 to below 1 (0.95)\n"
    "  --strict               --confidence 0.99\n"
    "  --verify-replications N  fresh replications of the verification (default and\n"
    "                         least: the search's)\n"
    "  --verify-seed N        their base seed (default: the search's seed + 1)\n"
    "  --shifts LENGTHS       also turn the rostered staffing into shifts of these\n"
    "                         lengths, such as 8h,6h,4h: the fewest paid agent-hours\n"
    "                         whose agents on shift cover it in every interval (an\n"
    "                         exact integer program, GLPK, 60 s time limit; one week\n"
    "                         with a weekly pattern); breaks are not modelled; a shift\n"
    "                         may run past the horizon (paid in full); re-simulated\n"
    "                         and judged on the fresh replications\n"
    "  --shift-starts STEP    shifts start every STEP from the run's start (default:\n"
    "                         the interval), on each day of the horizon\n"
    "  --shift-cost-per-hour X  cost of a paid shift agent-hour (--cost-per-agent-hour)\n"
    "  --days-on N            a weekly roster of agent-weeks: each agent works N days\n"
    "                         (same shift each day), the other days off in a row (5:\n"
    "                         five on, two off) unless --any-days-off\n"
    "  --same-weekdays        weekdays with the same need get the same shift starts\n"
    "  --min-on N             at least N agents on in every interval with a need\n"
    "  -r, --replications N   replications of every search simulation (default: the\n"
    "                         scenario's)\n"
    "  -s, --seed N           base seed of the search (default: the scenario's)\n"
    "  -o, --output DIR       output folder (default results/NAME/)\n"
    "  -j, --threads N        replications run in parallel (output is identical)\n"
    "  --set SECTION.KEY=V    override a key of the scenario (repeatable)\n"
    "  -q, --quiet            no progress lines\n"
    "  -h, --help             this text\n"
    "\n"
    "Writes staffing.csv (per interval and target: agents, rostered agents,\n"
    "demand, the figure on the search seeds and on the fresh seeds with the\n"
    "judging rule's bound, judged and met), schedule.csv (time,agents for\n"
    "[staff] schedule: times of the week such as mon 09:00 with a weekly\n"
    "pattern), scenario.ini (the scenario with that schedule) and intervals.csv\n"
    "of the verification run; prints agent-hours and cost (per week with a\n"
    "weekly pattern).  With --shifts also shifts.csv (name,day,start,length,\n"
    "agents), roster.csv (shift,days,start,end,length,agents,paid_hours_week, for a\n"
    "scheduler) and shifts.ini (the scenario with those [shift] sections).  The\n"
    "drain keeps the last interval's agents (the pattern's, when weekly).\n"
    "Exit status 3 (files still written) when some judged interval misses on\n"
    "the fresh replications within --max-agents.\n";

/* The options of staff besides the shared ones. */
struct staff_args {
    struct rs_staff_target target[RS_STAFF_MAX_TARGETS];
    int n_targets;
    double max_occupancy, shrinkage, confidence; /* NaN: not given */
    long min_agents, max_agents, verify_reps;
    uint64_t verify_seed;
    int verify_seed_set;     /* --verify-seed given */
    double cost, shift_cost; /* per agent-hour; shift_cost NaN: not given */
    int strict, per_interval;
    const char *shifts;      /* --shifts as given, NULL: none */
    const char *starts;      /* --shift-starts as given, NULL: none */
    struct rs_shifts_in sin; /* lengths and step of the shift model */
    long days_on, min_on;    /* roster options (shifts.h), 0: none */
};

/* Adds target text to a: 0, or -1 with why. */
static int add_target(struct staff_args *a, const char *text, char *why, size_t len)
{
    if (a->n_targets == RS_STAFF_MAX_TARGETS) {
        snprintf(why, len, "expected at most %d targets", RS_STAFF_MAX_TARGETS);
        return -1;
    }
    return rs_staff_target_parse(text, &a->target[a->n_targets++], why, len);
}

/* A share option's value into *x, in [lo, 1): 0, or 1 with why. */
static int share(const char *v, double lo, int lo_open, double *x, char *why, size_t len)
{
    if (rs_units_prob(v, x, why, len)) return 1;
    if (*x < lo || (lo_open && *x == lo) || *x >= 1) {
        snprintf(why, len, "expected a share from %g%s to below 1, got \"%s\"", lo,
                 lo_open ? " (not included)" : "", v);
        return 1;
    }
    return 0;
}

/* Takes the value v of one of staff's options (an option callback; the
 * value is the struct staff_args): 0, or RS_EXIT_USAGE after saying why. */
static int take(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *v)
{
    struct staff_args *a = opt->value;
    const char *name = opt->long_name;
    char why[512];
    int bad = 0;
    if (!strcmp(name, "target")) {
        char w[400];
        bad = add_target(a, v, w, sizeof w) != 0;
        if (bad) snprintf(why, sizeof why, "%s: %s", v, w); /* names the target given */
    } else if (!strcmp(name, "max-occupancy")) {
        bad = share(v, 0, 1, &a->max_occupancy, why, sizeof why);
    } else if (!strcmp(name, "shrinkage")) {
        bad = share(v, 0, 0, &a->shrinkage, why, sizeof why);
    } else if (!strcmp(name, "confidence")) {
        bad = share(v, 0.5, 0, &a->confidence, why, sizeof why);
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
        {RS_OPT_CALLBACK_F(0, "max-occupancy", a, take, "P", "busy share at most P"),
         .flags = named},
        {RS_OPT_CALLBACK_F(0, "shrinkage", a, take, "F", "share of paid time off duty"),
         .flags = named},
        {RS_OPT_CALLBACK_F(0, "confidence", a, take, "P", "of the judging rule"), .flags = named},
        {RS_OPT_CALLBACK_F(0, "cost-per-agent-hour", a, take, "X", "cost of one agent-hour"),
         .flags = named},
        {RS_OPT_INT_F(0, "min-agents", &a->min_agents, 0, 1000000, "N", "fewest agents"),
         .flags = named},
        {RS_OPT_INT_F(0, "max-agents", &a->max_agents, 1, 1000000, "N", "most agents"),
         .flags = named},
        {RS_OPT_INT_F(0, "verify-replications", &a->verify_reps, 1, 1000000, "N",
                      "fresh replications"),
         .flags = named},
        {RS_OPT_SEED_F(0, "verify-seed", &a->verify_seed, "N", "their base seed"),
         .given = &a->verify_seed_set, .flags = named},
        RS_OPT_FLAG(0, "per-interval", &a->per_interval, "no weekly pattern"),
        RS_OPT_FLAG(0, "strict", &a->strict, "--confidence 0.99"),
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
    if (a->n_targets == 0 && isnan(a->max_occupancy))
        return rs_tool_say(o->cmd, "--target: expected one, such as --target 'sl(1h)>=0.90'");
    if (!isnan(a->max_occupancy)) {
        char text[64], why[256];
        snprintf(text, sizeof text, "occupancy<=%.10g", a->max_occupancy);
        if (add_target(a, text, why, sizeof why))
            return rs_tool_say(o->cmd, "--max-occupancy: %s", why);
    }
    if (a->strict && !isnan(a->confidence))
        return rs_tool_say(o->cmd, "--strict: expected it without --confidence");
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

/* The time of interval i as the summary names it: the time of the week
 * (mon 09:00) with a weekly pattern, else from the start (as schedule.csv). */
static void when(const struct rs_scenario *sc, const struct rs_staff_result *r, int i, char *buf,
                 size_t n)
{
    if (r->weekly)
        rs_report_clock(sc, i * r->width_s, buf, n);
    else
        rs_units_format_duration(i * r->width_s, buf, n);
}

/* Target t's figure v as people read it: a duration ("22m 55s") for a
 * mean response time, else the share (staffing.csv keeps seconds). */
static void fig_text(const struct rs_staff_target *t, double v, char *buf, size_t n)
{
    if (t->kind == RS_STAFF_FRT_MEAN)
        rs_human_format(buf, n, RS_HUMAN_DURATION, v, 0);
    else
        snprintf(buf, n, "%.4g", v);
}

/* The judged intervals that miss on fresh seeds (shifts = 1: with the
 * shifts), the first ten, each with its worst target's judged figure. */
static void print_missed(const struct rs_scenario *sc, const struct rs_staff_opts *so,
                         const struct rs_staff *st, const struct rs_staff_result *r, int shifts,
                         int misses)
{
    int shown = 0;
    for (int i = 0; i < r->n && shown < 10; i++) {
        int k;
        double bound;
        if (!rs_staff_shortfall(st, i, shifts, &k, &bound)) continue;
        char at[32];
        when(sc, r, i, at, sizeof at);
        const struct rs_staff_target *t = &so->target[k];
        char week[32] = "";
        if (r->weekly && r->weeks > 1)
            snprintf(week, sizeof week, " of week %d", i / r->n_slots + 1);
        char got[32], goal[32];
        fig_text(t, bound, got, sizeof got);
        fig_text(t, t->goal, goal, sizeof goal);
        printf("%s %s%s (%s %s %s %s)", shown++ ? "," : ":", at, week, t->metric, got,
               t->ge ? "<" : ">", goal);
    }
    printf("%s\n", misses > shown ? ", ..." : "");
}

static void print_shifts(const struct rs_scenario *sc, const struct staff_args *a,
                         const struct rs_staff_opts *so, const struct rs_staff *st,
                         const struct rs_staff_result *r)
{
    const struct rs_shifts_plan *plan = r->plan;
    char step[32];
    rs_units_label_duration(r->shift_step_s, step, sizeof step);
    double over = plan->paid_hours - plan->need_hours;
    printf("shifts %s starting every %s: %d shift(s), %.10g paid agent-hours%s vs %.10g "
           "rostered agent-hours per interval (over-coverage %.10g, %.3g%%); cost %.10g "
           "(%.10g per agent-hour); breaks not modelled\n",
           a->shifts, step, plan->n_rows, plan->paid_hours, r->weekly ? " per week" : "",
           plan->need_hours, over, plan->need_hours > 0 ? 100 * over / plan->need_hours : 0.0,
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
    if (!r->shifts_fit) {
        printf("shifts: %d shifts are more than the %d [shift] sections a scenario may "
               "hold: no shifts.ini written, not simulated\n",
               plan->n_rows, RS_MAX_SHIFTS);
    } else if (r->shift_misses == 0) {
        printf("with the shifts, on the %d fresh replications: every target met in every judged "
               "interval\n",
               r->verify_replications);
    } else {
        printf("with the shifts, on the %d fresh replications: NOT met in %d judged interval(s)",
               r->verify_replications, r->shift_misses);
        print_missed(sc, so, st, r, 1, r->shift_misses);
    }
}

/* The targets, comma-separated. */
static void print_targets(const struct rs_staff_opts *so)
{
    for (int k = 0; k < so->n_targets; k++)
        printf("%s%s", k ? ", " : "", so->target[k].text);
}

/* What was searched and what was verified, on fresh seeds. */
static void print_verified(const struct rs_staff_opts *so, const struct rs_staff_result *r)
{
    printf("verified on %d fresh replications (seed %llu; the search ran seed %llu): ",
           r->verify_replications, (unsigned long long)r->verify_seed,
           (unsigned long long)so->seed);
    if (r->misses == 0)
        printf("every target met in every judged interval at %g%% confidence", 100 * r->confidence);
    else
        printf("NOT met in %d judged interval(s)", r->misses);
    if (r->verify_raised > 0) printf(" (the verification added %d agent(s))", r->verify_raised);
    printf("\n");
    printf("whole horizon after warmup on the fresh replications, every message (judged or "
           "not):");
    for (int k = 0; k < so->n_targets; k++) {
        if (isnan(r->whole_mean[k])) continue;
        const struct rs_staff_target *t = &so->target[k];
        char v[32], ci[80];
        fig_text(t, r->whole_mean[k], v, sizeof v);
        if (t->kind == RS_STAFF_FRT_MEAN)
            rs_human_interval(ci, sizeof ci, RS_HUMAN_DURATION, r->whole_mean[k], r->whole_low[k],
                              r->whole_high[k], 0);
        else
            snprintf(ci, sizeof ci, "[%.4g, %.4g]", r->whole_low[k], r->whole_high[k]);
        printf(" %s %s %s", t->metric, v, ci);
    }
    printf("\n");
    printf("guarantee: each judged interval meets every target with %g%% confidence on "
           "simulated customers the search never saw%s\n",
           100 * r->confidence,
           r->n_thin ? " (thin intervals: by their mean, too few messages to show more)" : "");
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
    printf("staff %s: ", sc->name);
    print_targets(so);
    printf(" judged in %d of %d %s intervals (after warmup, open, with messages; %d thin), "
           "%d replications from seed %llu, %ld search + %ld verification simulations\n",
           r.n_judged, r.n, width, r.n_thin, so->replications, (unsigned long long)so->seed, r.sims,
           r.verify_sims);
    if (r.weekly)
        printf("weekly pattern: one staffing per %s of the week, the same in every week of the "
               "%d-week horizon (--per-interval: one per interval)\n",
               width, r.weeks);
    const char *per = r.weekly ? " per week" : " over the horizon";
    printf("agents per interval: %d to %d; agent-hours on duty%s %.10g", r.lo, r.hi, per,
           r.agent_hours);
    if (so->shrinkage > 0)
        printf("; rostered (shrinkage %g) %.10g", so->shrinkage, r.rostered_hours);
    printf("; cost%s %.10g (%.10g per rostered agent-hour)\n", per, r.rostered_hours * a->cost,
           a->cost);
    print_verified(so, &r);
    if (r.misses > 0) {
        if (r.verify_capped)
            printf("NOT met on the fresh replications after %d agents added one at a time (see "
                   "the met column)",
                   r.verify_raised);
        else
            printf("NOT met on the fresh replications even at --max-agents %d (see the met "
                   "column)",
                   so->max_agents);
        print_missed(sc, so, st, &r, 0, r.misses);
        status = RS_EXIT_RUNTIME;
    }
    if (a->shifts) {
        print_shifts(sc, a, so, st, &r);
        if (!r.shifts_fit) status = RS_EXIT_RUNTIME;
    }
    printf("replysim: staffing.csv, schedule.csv, scenario.ini, intervals.csv%s in %s\n",
           !a->shifts     ? ""
           : r.shifts_fit ? ", shifts.csv, roster.csv, shifts.ini"
                          : ", shifts.csv, roster.csv",
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
                           .max_occupancy = NAN,
                           .confidence = NAN,
                           .sin = {.time_limit_s = SHIFT_TIME_LIMIT_S}};
    int st = read_options(argc, argv, &o, &a);
    if (st != RS_OPT_CONTINUE) return st;
    struct rs_staff_opts so = {.n_targets = a.n_targets,
                               .min_agents = (int)a.min_agents,
                               .max_agents = (int)a.max_agents,
                               .confidence = a.strict              ? 0.99
                                             : isnan(a.confidence) ? 0.95
                                                                   : a.confidence,
                               .shrinkage = a.shrinkage,
                               .per_interval = a.per_interval,
                               .verify_replications = (int)a.verify_reps,
                               .verify_seed = a.verify_seed,
                               .verify_seed_set = a.verify_seed_set > 0,
                               .threads = (int)o.threads,
                               .shifts = a.shifts != NULL,
                               .shift = a.sin,
                               .shifts_text = a.shifts};
    memcpy(so.target, a.target, sizeof so.target);
    struct rs_scenario *sc = NULL;
    if (rs_cli_load(&o, &sc)) return RS_EXIT_USAGE;
    const struct rs_budget_req req = {.staff_agents = so.max_agents > 0 ? so.max_agents : 1,
                                      .staff_from = "--max-agents"};
    st = rs_cli_budget(&o, sc, &req);
    if (!st) st = search(&o, &a, &so, sc);
    rs_scenario_destroy(sc);
    return st;
}
