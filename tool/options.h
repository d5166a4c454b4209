/* options.h: the one option parser of the replysim program, in the manner
 * of git's parse-options.  Each command declares a table of its options
 * (short name, long name, kind, where the value goes, value name, help
 * line) ended by RS_OPT_END, and one call parses its arguments against it:
 *
 *     long reps = 10;
 *     int trace = 0;
 *     const struct rs_opt opts[] = {
 *         RS_OPT_INT('r', "replications", &reps, 1, 1000000, "N", "replications"),
 *         RS_OPT_FLAG(0, "trace", &trace, "also write messages.csv"),
 *         RS_OPT_END,
 *     };
 *     int st = rs_opt_parse("run", usage, opts, argc, argv);
 *     if (st != RS_OPT_CONTINUE) return st;
 *
 * Arguments are taken in order.  An option with a value is written "-r 5",
 * "--replications 5" or "--replications=5" (not "-r5"); a flag takes no
 * "=".  An argument not starting with '-' (and "-" alone) is an operand.
 * -h/--help prints the command's help text on stdout and --version the
 * version, wherever they come, so every command has them.  Every error is
 * one line `replysim CMD: OPT: why` on stderr (OPT as written, "--seed=x"),
 * and the command exits RS_EXIT_USAGE. */
#ifndef RS_OPTIONS_H
#define RS_OPTIONS_H

#include <stddef.h>

/* How an option's value is taken and where it goes (rs_opt's value). */
enum rs_opt_kind {
    RS_OPT_KIND_END = 0,  /* ends a table */
    RS_OPT_KIND_FLAG,     /* no value; int *value set to 1 */
    RS_OPT_KIND_STRING,   /* const char **value, pointing into argv; refuse: "" is refused */
    RS_OPT_KIND_INT,      /* long *value, a whole number in [min, max] */
    RS_OPT_KIND_SEED,     /* uint64_t *value, 0..2^64-1 in digits (rs_units_seed) */
    RS_OPT_KIND_DURATION, /* double *value in seconds, "5m" (rs_units_duration) */
    RS_OPT_KIND_LIST,     /* const char *value[max], repeatable; given counts the entries */
    RS_OPT_KIND_CALLBACK, /* fn(ctx, opt, value) takes the value */
    RS_OPT_KIND_OPERAND,  /* one operand into const char **value; refuse: a second one
                             (with fn: fn takes each operand instead) */
    RS_OPT_KIND_OPERANDS, /* operands into const char *value[max]; given counts them */
    RS_OPT_KIND_UNKNOWN   /* fn(ctx, opt, arg) says what is wrong with an argument
                             no other entry takes (default: "unknown option") */
};

/* rs_opt's flags. */
enum {
    RS_OPT_REQUIRED = 1 << 0,  /* OPERAND(S): none given prints the help text on stderr */
    RS_OPT_NO_EQUALS = 1 << 1, /* only "--name V", never "--name=V" */
    RS_OPT_NAMED = 1 << 2,     /* errors name the option "--name", not as written */
    RS_OPT_POSITIVE = 1 << 3   /* DURATION: 0 is refused */
};

/* What a callback knows of the argument at hand. */
struct rs_opt_ctx {
    const char *cmd;   /* the command, "run": messages start `replysim run: ` */
    const char *usage; /* its help text */
    const char *arg;   /* the argument being parsed, as written: "--seed=5", "-s" */
    const char *label; /* how errors name the option: arg, or "--seed" (RS_OPT_NAMED) */
};

struct rs_opt;

/* Takes value (an option's value, or for RS_OPT_KIND_UNKNOWN the argument):
 * 0, or an exit status after printing the one-line error (rs_opt_bad). */
typedef int rs_opt_fn(const struct rs_opt_ctx *c, const struct rs_opt *opt, const char *value);

/* One option of a command's table. */
struct rs_opt {
    enum rs_opt_kind kind;
    char short_name;        /* 'r' for -r, 0: none */
    const char *long_name;  /* "replications" for --replications, NULL: none */
    void *value;            /* where the value goes, of the type the kind says */
    int *given;             /* NULL, or counted up each time the option is taken */
    const char *value_name; /* "N", "DIR": the value in the help text */
    const char *help;       /* one line for the help text */
    long min, max;          /* INT: the range; LIST, OPERANDS: the room in value */
    rs_opt_fn *fn;          /* CALLBACK, UNKNOWN, and OPERAND when set */
    unsigned flags;         /* RS_OPT_... */
    const char *expect;     /* why when the value is missing, NULL: "expected a value after it" */
    const char *refuse;     /* why a value is refused (see the kinds), NULL: the kind's own */
};

/* Table entries, in the manner of git's OPT_BOOL and friends.  Further
 * fields (expect, refuse, flags, given) go after them as designators:
 *     {RS_OPT_STRING_F('o', "output", &dir, "DIR", "output folder"),
 *      .refuse = "expected a folder"}  */
#define RS_OPT_FLAG_F(s, l, v, h)                                                                  \
    .kind = RS_OPT_KIND_FLAG, .short_name = (s), .long_name = (l), .value = (v), .help = (h)
#define RS_OPT_STRING_F(s, l, v, name, h)                                                          \
    .kind = RS_OPT_KIND_STRING, .short_name = (s), .long_name = (l), .value = (v),                 \
    .value_name = (name), .help = (h)
#define RS_OPT_INT_F(s, l, v, lo, hi, name, h)                                                     \
    .kind = RS_OPT_KIND_INT, .short_name = (s), .long_name = (l), .value = (v), .min = (lo),       \
    .max = (hi), .value_name = (name), .help = (h)
#define RS_OPT_SEED_F(s, l, v, name, h)                                                            \
    .kind = RS_OPT_KIND_SEED, .short_name = (s), .long_name = (l), .value = (v),                   \
    .value_name = (name), .help = (h)
#define RS_OPT_DURATION_F(s, l, v, name, h)                                                        \
    .kind = RS_OPT_KIND_DURATION, .short_name = (s), .long_name = (l), .value = (v),               \
    .value_name = (name), .help = (h)
#define RS_OPT_LIST_F(s, l, array, count, room, name, h)                                           \
    .kind = RS_OPT_KIND_LIST, .short_name = (s), .long_name = (l), .value = (array),               \
    .given = (count), .max = (room), .value_name = (name), .help = (h)
#define RS_OPT_CALLBACK_F(s, l, v, f, name, h)                                                     \
    .kind = RS_OPT_KIND_CALLBACK, .short_name = (s), .long_name = (l), .value = (v), .fn = (f),    \
    .value_name = (name), .help = (h)
#define RS_OPT_OPERAND_F(v, name, h)                                                               \
    .kind = RS_OPT_KIND_OPERAND, .value = (v), .value_name = (name), .help = (h)
#define RS_OPT_OPERANDS_F(array, count, room, name, h)                                             \
    .kind = RS_OPT_KIND_OPERANDS, .value = (array), .given = (count), .max = (room),               \
    .value_name = (name), .help = (h)

#define RS_OPT_FLAG(s, l, v, h)                                                                    \
    {                                                                                              \
        RS_OPT_FLAG_F(s, l, v, h)                                                                  \
    }
#define RS_OPT_STRING(s, l, v, name, h)                                                            \
    {                                                                                              \
        RS_OPT_STRING_F(s, l, v, name, h)                                                          \
    }
#define RS_OPT_INT(s, l, v, lo, hi, name, h)                                                       \
    {                                                                                              \
        RS_OPT_INT_F(s, l, v, lo, hi, name, h)                                                     \
    }
#define RS_OPT_SEED(s, l, v, name, h)                                                              \
    {                                                                                              \
        RS_OPT_SEED_F(s, l, v, name, h)                                                            \
    }
#define RS_OPT_DURATION(s, l, v, name, h)                                                          \
    {                                                                                              \
        RS_OPT_DURATION_F(s, l, v, name, h)                                                        \
    }
#define RS_OPT_CALLBACK(s, l, v, f, name, h)                                                       \
    {                                                                                              \
        RS_OPT_CALLBACK_F(s, l, v, f, name, h)                                                     \
    }
#define RS_OPT_UNKNOWN(f)                                                                          \
    {                                                                                              \
        .kind = RS_OPT_KIND_UNKNOWN, .fn = (f)                                                     \
    }
#define RS_OPT_END                                                                                 \
    {                                                                                              \
        .kind = RS_OPT_KIND_END                                                                    \
    }

/* rs_opt_parse's result when the command goes on. */
#define RS_OPT_CONTINUE (-1)

/* Parses argv[1..argc) (argv[0] is the command's name) against the table
 * opts of command cmd (a static string such as "run", for messages), in
 * order.  Returns RS_OPT_CONTINUE when the command goes on with the values
 * stored; else the exit status to return at once: RS_EXIT_OK after
 * --help (usage on stdout) or --version, RS_EXIT_USAGE after printing the
 * one-line error (or, when a required operand is missing, usage on
 * stderr).  Values point into argv. */
int rs_opt_parse(const char *cmd, const char *usage, const struct rs_opt *opts, int argc,
                 char **argv);

/* Takes argv[*i] (and the value after it, advancing *i) when an entry of
 * opts names it or, for an operand, when opts has an operand entry:
 * RS_OPT_CONTINUE, or an exit status after printing why.  An argument no
 * entry takes goes to the table's UNKNOWN entry, else is "unknown option".
 * rs_opt_parse's one step, for parsers built around it. */
int rs_opt_step(const struct rs_opt_ctx *c, const struct rs_opt *opts, int argc, char **argv,
                int *i);

/* Prints `replysim CMD: LABEL: why` (c's command and label) on stderr and
 * returns RS_EXIT_USAGE: how a callback refuses a value. */
int rs_opt_bad(const struct rs_opt_ctx *c, const char *why);

#endif
