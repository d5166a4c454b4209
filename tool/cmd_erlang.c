/* cmd_erlang.c: `replysim erlang`, analytic Erlang B, C and A figures for
 * quick sizing: one row per agent count, one service-level column per
 * threshold, as an aligned table or as tidy CSV. */
#include "cmd.h"

#include "options.h"
#include "replysim/alloc.h"
#include "replysim/erlang.h"
#include "replysim/error.h"
#include "replysim/units.h"
#include "tool.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WITHIN 32      /* service-level columns */
#define MAX_AGENTS 1000000 /* beyond this the O(n) Erlang B loop per row is too slow */
#define MAX_ROWS 1000      /* rows of one sizing table */
#define WHY_LEN 256
#define MAX_TARGETS 16

struct options {
    double rate_per_s, handle_mean_s, patience_mean_s;
    int agents_from, agents_to;
    double within_s[MAX_WITHIN];
    int n_within, within_given; /* within_given: the defaults were replaced */
    int csv, have_rate, have_handle, have_agents;
    int agents_range, agents_many; /* FROM:TO given; more than MAX_ROWS rows */
    char agents_many_msg[WHY_LEN + 160];
    struct rs_erlang_target targets[MAX_TARGETS];
    char target_text[MAX_TARGETS][64];
    int n_targets;
    double shrinkage;
    int have_shrinkage;
    struct rs_erlang_solution sol; /* with --target: the answer */
    int search_from;               /* and the lowest count searched */
};

static const char usage[] =
    "usage: replysim erlang --rate RATE --handle DURATION --agents N[:TO]\n"
    "                       [--patience DURATION] [--within DURATION[,...]]... [--csv]\n"
    "       replysim erlang --rate RATE --handle DURATION --target TARGET...\n"
    "                       [--agents FROM:TO] [--patience DURATION] [--shrinkage F]\n"
    "                       [--within DURATION[,...]]... [--csv]\n"
    "\n"
    "Analytic figures of an inbox with exponential arrivals, handle times and\n"
    "(with --patience) patience: Erlang C without --patience, Erlang A with it;\n"
    "p_block_b is Erlang B (no waiting room) for comparison.\n"
    "\n"
    "  --rate RATE          arrival rate, e.g. 9.5/m, 570/h\n"
    "  --handle DURATION    mean handle time, e.g. 5m\n"
    "  --agents N[:TO]      agents, or a range FROM:TO giving one row per count\n"
    "  --patience DURATION  mean patience before a customer gives up, e.g. 10m\n"
    "  --target TARGET      solve for the fewest agents meeting TARGET; repeat it:\n"
    "                       all must hold.  sl(T)>=P share taken within T (all\n"
    "                       arrivals), wait_mean<=D mean wait (all arrivals),\n"
    "                       p_wait<=P, occupancy<=P, abandon<=P (needs --patience);\n"
    "                       --agents FROM:TO then bounds the search (default\n"
    "                       1:100000) and the one row printed is the answer\n"
    "  --shrinkage F        with --target: share of paid time not on the floor\n"
    "                       (0 <= F < 1); paid agents = ceil(agents / (1 - F))\n"
    "  --within DURATION    service-level threshold; repeat or list with commas\n"
    "                       (default 15m,30m,1h): one sl_T column each\n"
    "  --csv                tidy CSV on stdout instead of a table\n"
    "  -h, --help           this text\n"
    "\n"
    "Columns: load_erl offered load; p_wait finds all agents busy; p_abandon\n"
    "gives up before an agent takes it; wait_mean_s mean wait over all arrivals;\n"
    "wait_mean_served_s mean wait of those served; sl_T taken by an agent within\n"
    "T, over all arrivals; occupancy busy agents / agents; queue_mean mean number\n"
    "waiting.  Times are in seconds.  With --target the sl_T of each target is\n"
    "added to the columns, and --csv adds paid_agents when --shrinkage is given;\n"
    "a target no count up to TO meets is refused (exit 2).\n";

#define CMD "erlang"

static int fail(const char *key, const char *msg)
{
    if (key) return rs_tool_say(CMD, "%s: %s", key, msg);
    return rs_tool_say(CMD, "%s", msg);
}

/* --rate: a rate above 0. */
static int take_rate(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *value)
{
    struct options *o = opt->value;
    char why[WHY_LEN];
    if (rs_units_rate(value, &o->rate_per_s, why, sizeof why) != RS_OK) return rs_opt_bad(c, why);
    if (!(o->rate_per_s > 0)) {
        snprintf(why, sizeof why, "expected a rate > 0 such as 9.5/m, got \"%.100s\"", value);
        return rs_opt_bad(c, why);
    }
    return 0;
}

/* --agents: "N" or "FROM:TO". */
static int take_agents(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *text)
{
    struct options *o = opt->value;
    char why[WHY_LEN];
    const char *colon = strchr(text, ':');
    long from, to;
    o->agents_many = 0;
    o->agents_range = colon != NULL;
    if (!colon) {
        if (rs_units_int(text, 1, MAX_AGENTS, &from, why, sizeof why) != RS_OK)
            return rs_opt_bad(c, why);
        o->agents_from = o->agents_to = (int)from;
        return 0;
    }
    char left[64];
    size_t n = (size_t)(colon - text);
    int ok = n < sizeof left;
    if (ok) {
        memcpy(left, text, n);
        left[n] = '\0';
        ok = rs_units_int(left, 1, MAX_AGENTS, &from, why, sizeof why) == RS_OK &&
             rs_units_int(colon + 1, 1, MAX_AGENTS, &to, why, sizeof why) == RS_OK && from <= to;
    }
    char msg[sizeof o->agents_many_msg];
    snprintf(msg, sizeof msg,
             "expected a range FROM:TO such as 45:60 (1 <= FROM <= TO <= %d, at most %d "
             "rows), got \"%.100s\"",
             MAX_AGENTS, MAX_ROWS, text);
    if (!ok) return rs_opt_bad(c, msg);
    if (to - from >= MAX_ROWS) { /* a search range (--target) may be wider: judged later */
        o->agents_many = 1;
        memcpy(o->agents_many_msg, msg, sizeof msg);
    }
    o->agents_from = (int)from;
    o->agents_to = (int)to;
    return 0;
}

/* --within: a comma list of durations, appended to the thresholds (the
 * first --within replaces the defaults). */
static int take_within(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *text)
{
    struct options *o = opt->value;
    char why[WHY_LEN], item[128];
    if (!o->within_given) {
        o->n_within = 0;
        o->within_given = 1;
    }
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n >= sizeof item) n = sizeof item - 1; /* the parser then rejects the prefix */
        memcpy(item, p, n);
        item[n] = '\0';
        double t;
        if (rs_units_duration(item, &t, why, sizeof why) != RS_OK) return rs_opt_bad(c, why);
        if (o->n_within == MAX_WITHIN) {
            snprintf(why, sizeof why, "at most %d thresholds", MAX_WITHIN);
            return rs_opt_bad(c, why);
        }
        o->within_s[o->n_within++] = t;
        if (!comma) return 0;
        p = comma + 1;
    }
}

/* "NAME<=" or "NAME>=" at the start of text: the rest, or NULL. */
static const char *after(const char *text, const char *name)
{
    size_t n = strlen(name);
    return strncmp(text, name, n) == 0 ? text + n : NULL;
}

/* The target in text: 0, or 1 when it is none of the forms. */
static int parse_target(const char *text, struct rs_erlang_target *t, char *why, size_t why_len)
{
    static const struct {
        const char *prefix;
        enum rs_erlang_goal goal;
    } shares[] = {{"p_wait<=", RS_ERLANG_P_WAIT},
                  {"abandon<=", RS_ERLANG_ABANDON},
                  {"occupancy<=", RS_ERLANG_OCCUPANCY}};
    const char *rest;
    memset(t, 0, sizeof *t);
    if ((rest = after(text, "wait_mean<="))) {
        t->goal = RS_ERLANG_WAIT_MEAN;
        return rs_units_duration(rest, &t->bound, why, why_len) != RS_OK;
    }
    for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++)
        if ((rest = after(text, shares[i].prefix))) {
            t->goal = shares[i].goal;
            return rs_units_prob(rest, &t->bound, why, why_len) != RS_OK;
        }
    const char *close = strstr(text, ")>=");
    if (!after(text, "sl(") || !close || (size_t)(close - text) - 3 >= 64) return 1;
    char within[64];
    size_t n = (size_t)(close - text) - 3;
    memcpy(within, text + 3, n);
    within[n] = '\0';
    t->goal = RS_ERLANG_SL;
    return rs_units_duration(within, &t->within_s, why, why_len) != RS_OK ||
           rs_units_prob(close + 3, &t->bound, why, why_len) != RS_OK;
}

/* --target: one target, appended. */
static int take_target(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *text)
{
    struct options *o = opt->value;
    char why[WHY_LEN] = "", msg[WHY_LEN + 240];
    if (o->n_targets == MAX_TARGETS) {
        snprintf(msg, sizeof msg, "at most %d targets", MAX_TARGETS);
        return rs_opt_bad(c, msg);
    }
    if (parse_target(text, &o->targets[o->n_targets], why, sizeof why)) {
        snprintf(msg, sizeof msg,
                 "expected sl(T)>=P, wait_mean<=D, p_wait<=P, abandon<=P or occupancy<=P "
                 "(P a share in [0, 1]), got \"%.100s\"%s%s",
                 text, why[0] ? ": " : "", why);
        return rs_opt_bad(c, msg);
    }
    snprintf(o->target_text[o->n_targets++], sizeof o->target_text[0], "%.63s", text);
    return 0;
}

/* --shrinkage: a share in [0, 1). */
static int take_shrinkage(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *text)
{
    struct options *o = opt->value;
    char why[WHY_LEN];
    if (rs_units_prob(text, &o->shrinkage, why, sizeof why) != RS_OK || o->shrinkage >= 1) {
        char msg[160];
        snprintf(msg, sizeof msg, "expected a share 0 <= F < 1 such as 0.3, got \"%.80s\"", text);
        return rs_opt_bad(c, msg);
    }
    return 0;
}

/* An argument no option takes. */
static int unexpected(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *arg)
{
    (void)opt;
    char msg[160];
    snprintf(msg, sizeof msg, "%s \"%.80s\" (see --help)",
             arg[0] == '-' ? "unknown option" : "unexpected argument", arg);
    return rs_tool_say(c->cmd, "%s", msg);
}

/* With --target: --agents is a search range; abandonment needs patience. */
static int check_solve_args(struct options *o)
{
    if (o->have_agents && !o->agents_range)
        return fail("--agents", "with --target, expected a search range FROM:TO such as 1:200");
    if (!o->have_agents) o->agents_from = 1, o->agents_to = RS_ERLANG_MAX_AGENTS;
    if (o->agents_to > RS_ERLANG_MAX_AGENTS) {
        char msg[120];
        snprintf(msg, sizeof msg, "with --target, expected TO <= %d", RS_ERLANG_MAX_AGENTS);
        return fail("--agents", msg);
    }
    for (int i = 0; i < o->n_targets; i++)
        if (o->targets[i].goal == RS_ERLANG_ABANDON && isinf(o->patience_mean_s))
            return fail("--target", "abandon<=P needs --patience (Erlang C has no abandonment)");
    /* each sl(T) target's T is a column */
    for (int i = 0; i < o->n_targets; i++) {
        if (o->targets[i].goal != RS_ERLANG_SL) continue;
        int have = 0;
        for (int k = 0; k < o->n_within; k++)
            have |= o->within_s[k] == o->targets[i].within_s;
        if (!have && o->n_within < MAX_WITHIN) o->within_s[o->n_within++] = o->targets[i].within_s;
    }
    return -1;
}

/* Returns -1 to go on, or an exit status (help, or a usage error). */
static int parse_args(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof *o);
    o->patience_mean_s = INFINITY;
    o->within_s[0] = 900.0, o->within_s[1] = 1800.0, o->within_s[2] = 3600.0;
    o->n_within = 3;
    const unsigned named = RS_OPT_NAMED; /* erlang's messages name "--rate", not "--rate=x" */
    const struct rs_opt opts[] = {
        {RS_OPT_CALLBACK_F(0, "rate", o, take_rate, "RATE", "arrival rate"), .given = &o->have_rate,
         .flags = named, .expect = "expected a value"},
        {RS_OPT_DURATION_F(0, "handle", &o->handle_mean_s, "DURATION", "mean handle time"),
         .given = &o->have_handle, .flags = named | RS_OPT_POSITIVE, .expect = "expected a value"},
        {RS_OPT_CALLBACK_F(0, "agents", o, take_agents, "N[:TO]", "agents, or a range"),
         .given = &o->have_agents, .flags = named, .expect = "expected a value"},
        {RS_OPT_DURATION_F(0, "patience", &o->patience_mean_s, "DURATION", "mean patience"),
         .flags = named | RS_OPT_POSITIVE, .expect = "expected a value"},
        {RS_OPT_CALLBACK_F(0, "within", o, take_within, "DURATION", "service-level threshold"),
         .flags = named, .expect = "expected a value"},
        {RS_OPT_CALLBACK_F(0, "target", o, take_target, "TARGET", "target to solve for"),
         .flags = named, .expect = "expected a value"},
        {RS_OPT_CALLBACK_F(0, "shrinkage", o, take_shrinkage, "F", "share of paid time off"),
         .given = &o->have_shrinkage, .flags = named, .expect = "expected a value"},
        RS_OPT_FLAG(0, "csv", &o->csv, "tidy CSV on stdout instead of a table"),
        RS_OPT_UNKNOWN(unexpected),
        RS_OPT_END,
    };
    int st = rs_opt_parse(CMD, usage, opts, argc, argv);
    if (st != RS_OPT_CONTINUE) return st;
    if (!o->have_rate) return fail("--rate", "missing; e.g. --rate 9.5/m (see --help)");
    if (!o->have_handle) return fail("--handle", "missing; e.g. --handle 5m (see --help)");
    if (o->n_targets) return check_solve_args(o);
    if (!o->have_agents) return fail("--agents", "missing; e.g. --agents 50 (see --help)");
    if (o->agents_many) return fail("--agents", o->agents_many_msg);
    if (o->have_shrinkage) return fail("--shrinkage", "needs --target (see --help)");
    return -1;
}

/* One row: the figures that do not depend on T, and one service level per T. */
struct row {
    int agents;
    struct rs_erlang_out out;
    double sl[MAX_WITHIN];
};

static int compute_row(const struct options *o, int agents, struct row *r)
{
    char why[WHY_LEN];
    struct rs_erlang_in in = {o->rate_per_s, o->handle_mean_s, o->patience_mean_s, agents, 0.0};
    r->agents = agents;
    for (int k = 0; k < o->n_within; k++) {
        in.within_s = o->within_s[k];
        if (rs_erlang_compute(&in, &r->out, why, sizeof why) != RS_OK) return fail(NULL, why);
        r->sl[k] = r->out.service_level;
    }
    return 0;
}

static const char *const columns_before[] = {
    "agents", "load_erl", "p_block_b", "p_wait", "p_abandon", "wait_mean_s", "wait_mean_served_s"};
static const char *const columns_after[] = {"occupancy", "queue_mean"};
#define N_BEFORE (sizeof columns_before / sizeof columns_before[0])
#define N_AFTER (sizeof columns_after / sizeof columns_after[0])

static void values_of(const struct row *r, const struct options *o, double *v)
{
    int i = 0;
    v[i++] = r->agents;
    v[i++] = r->out.load_erl;
    v[i++] = r->out.p_block_b;
    v[i++] = r->out.p_wait;
    v[i++] = r->out.p_abandon;
    v[i++] = r->out.wait_mean_s;
    v[i++] = r->out.wait_mean_served_s;
    for (int k = 0; k < o->n_within; k++)
        v[i++] = r->sl[k];
    v[i++] = r->out.occupancy;
    v[i++] = r->out.queue_mean;
}

static void column_names(const struct options *o, char names[][40])
{
    size_t i = 0;
    for (size_t c = 0; c < N_BEFORE; c++)
        snprintf(names[i++], 40, "%s", columns_before[c]);
    for (int k = 0; k < o->n_within; k++) {
        char label[32];
        rs_units_label_duration(o->within_s[k], label, sizeof label);
        snprintf(names[i++], 40, "sl_%s", label);
    }
    for (size_t c = 0; c < N_AFTER; c++)
        snprintf(names[i++], 40, "%s", columns_after[c]);
}

/* paid: paid agents after shrinkage (a column after agents), or -1: none */
static void print_csv(const struct options *o, const struct row *rows, int n_rows, char names[][40],
                      int n_cols, int paid)
{
    for (int c = 0; c < n_cols; c++)
        printf("%s%s%s", c ? "," : "", names[c], c == 0 && paid >= 0 ? ",paid_agents" : "");
    putchar('\n');
    double v[N_BEFORE + MAX_WITHIN + N_AFTER];
    for (int r = 0; r < n_rows; r++) {
        values_of(&rows[r], o, v);
        printf("%d", rows[r].agents);
        if (paid >= 0) printf(",%d", paid);
        for (int c = 1; c < n_cols; c++) {
            char buf[40];
            rs_units_format_number(v[c], buf, sizeof buf);
            printf(",%s", buf);
        }
        putchar('\n');
    }
}

/* The targets and the answer, under the model line. */
static void print_answer(const struct options *o)
{
    printf("targets:");
    for (int i = 0; i < o->n_targets; i++)
        printf("%s %s", i ? " and" : "", o->target_text[i]);
    printf("\nfewest agents meeting every target: %d on the floor", o->sol.agents);
    if (o->sol.agents > o->search_from) printf(" (%d miss)", o->sol.agents - 1);
    if (o->have_shrinkage) {
        char f[40];
        rs_units_format_number(o->shrinkage, f, sizeof f);
        printf("; paid agents at shrinkage %s: %d", f, o->sol.paid_agents);
    }
    putchar('\n');
}

static void print_table(const struct options *o, const struct row *rows, int n_rows,
                        char names[][40], int n_cols)
{
    char rate[40], handle[40];
    rs_units_format_rate(o->rate_per_s, rate, sizeof rate);
    rs_units_format_duration(o->handle_mean_s, handle, sizeof handle);
    if (isinf(o->patience_mean_s))
        printf("model: Erlang C (M/M/n, no abandonment), rate %s, handle %s, load %.4g erl\n", rate,
               handle, rows[0].out.load_erl);
    else {
        char patience[40];
        rs_units_format_duration(o->patience_mean_s, patience, sizeof patience);
        printf("model: Erlang A (M/M/n+M), rate %s, handle %s, patience %s, load %.4g erl\n", rate,
               handle, patience, rows[0].out.load_erl);
    }
    if (o->n_targets) print_answer(o);
    int width[N_BEFORE + MAX_WITHIN + N_AFTER] = {0};
    for (int c = 0; c < n_cols; c++) {
        /* durations are shown as 46s or 12m 30s: their header drops the _s */
        size_t len = strlen(names[c]);
        int dur = len > 2 && strcmp(names[c] + len - 2, "_s") == 0;
        int w = (int)(dur ? len - 2 : len);
        width[c] = w < 9 ? 9 : w;
        printf("%s%*.*s", c ? "  " : "", width[c], w, names[c]);
    }
    putchar('\n');
    double v[N_BEFORE + MAX_WITHIN + N_AFTER];
    int unstable = 0;
    for (int r = 0; r < n_rows; r++) {
        values_of(&rows[r], o, v);
        unstable |= !rows[r].out.stable;
        printf("%*d", width[0], rows[r].agents);
        for (int c = 1; c < n_cols; c++) {
            /* waits for people (CSV keeps seconds); queue lengths with fewer decimals */
            size_t len = strlen(names[c]);
            if (len > 2 && strcmp(names[c] + len - 2, "_s") == 0) {
                char d[64];
                rs_units_human_duration(v[c], d, sizeof d);
                printf("  %*s", width[c], d);
                continue;
            }
            int two = strcmp(names[c], "queue_mean") == 0 || strcmp(names[c], "load_erl") == 0;
            printf("  %*.*f", width[c], two ? 2 : 4, v[c]);
        }
        putchar('\n');
    }
    if (unstable)
        printf("rows with inf waits are overloaded: the queue grows without bound "
               "(load >= agents, no abandonment)\n");
}

/* --target: finds the fewest agents, the one row printed (*paid: paid
 * agents, or -1). */
static int solve(struct options *o, int *paid)
{
    char why[WHY_LEN];
    struct rs_erlang_in in = {o->rate_per_s, o->handle_mean_s, o->patience_mean_s, 1, 0.0};
    struct rs_erlang_solution sol;
    if (rs_erlang_solve(&in, o->targets, o->n_targets, o->agents_from, o->agents_to, o->shrinkage,
                        &sol, why, sizeof why) != RS_OK)
        return fail(NULL, why);
    *paid = o->have_shrinkage ? sol.paid_agents : -1;
    o->sol = sol;
    o->search_from = o->agents_from;
    return 0;
}

int rs_cmd_erlang(int argc, char **argv)
{
    struct options o;
    int paid = -1;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) return rc;
    if (o.n_targets) {
        if ((rc = solve(&o, &paid)) != 0) return rc;
        o.agents_to = o.agents_from = o.sol.agents;
    }

    int n_rows = o.agents_to - o.agents_from + 1;
    struct row *rows = rs_calloc((size_t)n_rows, sizeof *rows);
    for (int r = 0; r < n_rows; r++) {
        rc = compute_row(&o, o.agents_from + r, &rows[r]);
        if (rc) {
            free(rows);
            return rc;
        }
    }
    char names[N_BEFORE + MAX_WITHIN + N_AFTER][40];
    int n_cols = (int)N_BEFORE + o.n_within + (int)N_AFTER;
    column_names(&o, names);
    if (o.csv)
        print_csv(&o, rows, n_rows, names, n_cols, paid);
    else
        print_table(&o, rows, n_rows, names, n_cols);
    free(rows);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        rs_tool_say(CMD, "cannot write the output");
        return RS_EXIT_RUNTIME;
    }
    return RS_EXIT_OK;
}
