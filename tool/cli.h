/* cli.h: the command-line options that several commands share (docs/scenario-reference.md
 * section 7): the scenario operand, --set, -q, -r, -s, -o and -j, with one
 * wording of their errors, as entries of a command's option table
 * (options.h) storing into a struct rs_cli:
 *
 *     struct rs_cli o;
 *     rs_cli_init(&o, "run");
 *     const struct rs_opt opts[] = {RS_OPT_FLAG(0, "trace", &trace, "..."),
 *                                   RS_CLI_OPTS_RUN(&o), RS_OPT_END};
 *     int st = rs_opt_parse(o.cmd, usage, opts, argc, argv);
 *
 * A command's usage text stays its own. */
#ifndef RS_CLI_H
#define RS_CLI_H

#include "options.h"

#include <stddef.h>
#include <stdint.h>

struct rs_error;
struct rs_scenario;

#define RS_CLI_MAX_SETS 256 /* --set options of one command line */

/* The shared options of one command line; rs_cli_init fills in the
 * defaults.  Strings point into argv. */
struct rs_cli {
    const char *cmd;                   /* command name for messages, "run" */
    const char *path;                  /* the SCENARIO operand, NULL: not given */
    const char *outdir;                /* -o, NULL: the command's default */
    long replications;                 /* -r, -1: the scenario's (or baseline's) */
    uint64_t seed;                     /* -s, when have_seed */
    int have_seed;                     /* 1: -s given */
    long threads;                      /* -j, 1 by default */
    int quiet;                         /* 1: -q, no progress line */
    const char *sets[RS_CLI_MAX_SETS]; /* --set texts "section.key=value", in order */
    int n_sets;                        /* entries of sets */
};

/* The shared options as table entries storing into struct rs_cli *o. */
#define RS_CLI_OPT_SCENARIO(o)                                                                     \
    {                                                                                              \
        RS_OPT_OPERAND_F(&(o)->path, "SCENARIO", "the scenario file"),                             \
            .flags = RS_OPT_REQUIRED, .refuse = "expected one scenario file"                       \
    }
#define RS_CLI_OPT_SET(o)                                                                          \
    {                                                                                              \
        RS_OPT_LIST_F(0, "set", (o)->sets, &(o)->n_sets, RS_CLI_MAX_SETS, "SECTION.KEY=V",         \
                      "override a scenario key (repeatable)"),                                     \
            .expect = "expected K=V after it"                                                      \
    }
#define RS_CLI_OPT_QUIET(o) RS_OPT_FLAG('q', "quiet", &(o)->quiet, "no progress line")
#define RS_CLI_OPT_REPS(o)                                                                         \
    RS_OPT_INT('r', "replications", &(o)->replications, 1, 1000000, "N", "replications")
#define RS_CLI_OPT_SEED(o)                                                                         \
    {                                                                                              \
        RS_OPT_SEED_F('s', "seed", &(o)->seed, "N", "base seed"), .given = &(o)->have_seed         \
    }
#define RS_CLI_OPT_OUTPUT(o)                                                                       \
    {                                                                                              \
        RS_OPT_STRING_F('o', "output", &(o)->outdir, "DIR", "output folder"),                      \
            .refuse = "expected a folder"                                                          \
    }
#define RS_CLI_OPT_THREADS(o) RS_OPT_INT('j', "threads", &(o)->threads, 1, 1024, "N", "threads")
/* All of them, as run, compare, sweep and staff take. */
#define RS_CLI_OPTS_RUN(o)                                                                         \
    RS_CLI_OPT_SCENARIO(o), RS_CLI_OPT_SET(o), RS_CLI_OPT_QUIET(o), RS_CLI_OPT_REPS(o),            \
        RS_CLI_OPT_SEED(o), RS_CLI_OPT_OUTPUT(o), RS_CLI_OPT_THREADS(o)

/* Sets o to the defaults of command cmd (a static string such as "run"),
 * with nothing given yet. */
void rs_cli_init(struct rs_cli *o, const char *cmd);

/* Sets -r and -s, when given, over sc's own replications and seed. */
void rs_cli_apply(const struct rs_cli *o, struct rs_scenario *sc);

/* Loads the SCENARIO operand with the --set overrides and applies -r and
 * -s over it into *out: RS_EXIT_OK, or RS_EXIT_USAGE after printing the
 * error on stderr (a missing or unreadable scenario is bad input too). */
int rs_cli_load(const struct rs_cli *o, struct rs_scenario **out);

/* Refuses (exit 2, one line on stderr) a request on sc that breaks a limit
 * of budget.h: req (NULL: none) with the replications and threads of o
 * filled in, blaming -r and -j when given.  RS_EXIT_OK or RS_EXIT_USAGE. */
struct rs_budget_req;
int rs_cli_budget(const struct rs_cli *o, const struct rs_scenario *sc,
                  const struct rs_budget_req *req);

/* The output folder: -o when given, else results/NAME (NAME: sc's name)
 * written into buf.  Points at o->outdir or at buf. */
const char *rs_cli_outdir(const struct rs_cli *o, const struct rs_scenario *sc, char *buf,
                          size_t len);

/* Checks, before anything is simulated, that the output folder dir can
 * be written (rs_report_prepare): RS_EXIT_OK, or the exit status after
 * saying why (2 for a file or a folder of someone else's files). */
int rs_cli_prepare_outdir(const char *dir);

/* The length of the SECTION.KEY of a setting "section.key = value" (up to
 * the '=', blanks before it left out). */
size_t rs_cli_set_key_len(const char *set);

/* A copy of s[0..len) without surrounding blanks, for the caller to free;
 * for splitting option values such as --variant and --vary. */
char *rs_cli_dup_trim(const char *s, size_t len);

#endif
