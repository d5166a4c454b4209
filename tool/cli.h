/* cli.h: the command-line options that several commands share (SPEC
 * section 7): the scenario operand, --set, -q, -r, -s, -o and -j, with one
 * wording of their errors, as entries of a command's option table
 * (options.h) storing into a struct rs_cli:
 *
 *     struct rs_cli o;
 *     rs_cli_init(&o, "run", RS_CLI_RUN);
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

/* The shared options a command takes (struct rs_cli's accept). */
enum {
    RS_CLI_SCENARIO = 1 << 0, /* one SCENARIO operand, into path */
    RS_CLI_SET = 1 << 1,      /* --set SECTION.KEY=V, repeatable */
    RS_CLI_QUIET = 1 << 2,    /* -q, --quiet */
    RS_CLI_REPS = 1 << 3,     /* -r, --replications N */
    RS_CLI_SEED = 1 << 4,     /* -s, --seed N */
    RS_CLI_OUTPUT = 1 << 5,   /* -o, --output DIR */
    RS_CLI_THREADS = 1 << 6,  /* -j, --threads N */
    RS_CLI_RUN = RS_CLI_SCENARIO | RS_CLI_SET | RS_CLI_QUIET | RS_CLI_REPS | RS_CLI_SEED |
                 RS_CLI_OUTPUT | RS_CLI_THREADS /* all of them, as `run` takes */
};

/* The shared options of one command line; rs_cli_init fills in the
 * defaults.  Strings point into argv. */
struct rs_cli {
    const char *cmd;                   /* command name for messages, "run" */
    unsigned accept;                   /* RS_CLI_... the command takes */
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

/* Result of rs_cli_option. */
enum { RS_CLI_ERROR = -1, RS_CLI_NOT_MINE = 0, RS_CLI_TAKEN = 1 };

/* Sets o to the defaults of command cmd (a static string such as "run"),
 * which takes the shared options in accept. */
void rs_cli_init(struct rs_cli *o, const char *cmd, unsigned accept);

/* For commands not yet on rs_opt_parse: one step of it over the shared
 * options in o->accept.
 * Consumes argv[*i] when it is a shared option the command takes, with its
 * value ("-s 5", "--seed 5" or "--seed=5"; *i is advanced past a separate
 * value), or the SCENARIO operand: RS_CLI_TAKEN.  Any other option is
 * unknown, since the command tries its own first.  An operand the command
 * does not take into path (no RS_CLI_SCENARIO) is RS_CLI_NOT_MINE.  On bad
 * input prints the one-line message `replysim CMD: OPT: why` on stderr and
 * returns RS_CLI_ERROR; the command then exits RS_EXIT_USAGE. */
int rs_cli_option(struct rs_cli *o, int argc, char **argv, int *i);

/* Sets -r and -s, when given, over sc's own replications and seed. */
void rs_cli_apply(const struct rs_cli *o, struct rs_scenario *sc);

/* Loads the SCENARIO operand with the --set overrides and applies -r and
 * -s over it into *out: RS_EXIT_OK, or RS_EXIT_USAGE after printing the
 * error on stderr (a missing or unreadable scenario is bad input too). */
int rs_cli_load(const struct rs_cli *o, struct rs_scenario **out);

/* The output folder: -o when given, else results/NAME (NAME: sc's name)
 * written into buf.  Points at o->outdir or at buf. */
const char *rs_cli_outdir(const struct rs_cli *o, const struct rs_scenario *sc, char *buf,
                          size_t len);

/* When argv[*i] is the command's own option name, given as "NAME V" or
 * "NAME=V": RS_CLI_TAKEN with *value set (and *i advanced past a separate
 * value), or RS_CLI_ERROR when no value follows (nothing printed: the
 * command says what it expected).  Any other argument: RS_CLI_NOT_MINE. */
int rs_cli_valued(int argc, char **argv, int *i, const char *name, const char **value);

/* The length of the SECTION.KEY of a setting "section.key = value" (up to
 * the '=', blanks before it left out). */
size_t rs_cli_set_key_len(const char *set);

/* A copy of s[0..len) without surrounding blanks, for the caller to free;
 * for splitting option values such as --variant and --vary. */
char *rs_cli_dup_trim(const char *s, size_t len);

/* Prints `replysim CMD: opt: why` on stderr; returns RS_EXIT_USAGE. */
int rs_cli_bad(const struct rs_cli *o, const char *opt, const char *why);

/* Prints `replysim CMD: ERROR` (e as rs_error_format writes it) on stderr;
 * returns the exit status of code, an RS_E* code. */
int rs_cli_fail(const struct rs_cli *o, const struct rs_error *e, int code);

#endif
