/* options.c: the one option parser of the replysim program (options.h). */
#include "options.h"

#include "replysim/error.h"
#include "replysim/units.h"
#include "tool.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define WHY_LEN 256

int rs_opt_bad(const struct rs_opt_ctx *c, const char *why)
{
    return rs_tool_say(c->cmd, "%s: %s", c->label, why);
}

static int takes_value(const struct rs_opt *o) { return o->kind != RS_OPT_KIND_FLAG; }

static int is_operand(const char *a) { return a[0] != '-' || !a[1]; }

/* The entry named by argument a ("--name", "--name=V" or "-x"), with *eq
 * at the value after '=' (NULL: none); NULL when no entry is named. */
static const struct rs_opt *find(const struct rs_opt *opts, const char *a, const char **eq)
{
    *eq = NULL;
    for (const struct rs_opt *o = opts; o->kind != RS_OPT_KIND_END; o++) {
        if (o->kind >= RS_OPT_KIND_OPERAND) continue;
        if (a[1] != '-') {
            if (o->short_name && a[1] == o->short_name && !a[2]) return o;
            continue;
        }
        if (!o->long_name) continue;
        size_t len = strlen(o->long_name);
        if (strncmp(a + 2, o->long_name, len)) continue;
        if (!a[2 + len]) return o;
        if (a[2 + len] == '=' && takes_value(o) && !(o->flags & RS_OPT_NO_EQUALS)) {
            *eq = a + 2 + len + 1;
            return o;
        }
    }
    return NULL;
}

static const struct rs_opt *find_kind(const struct rs_opt *opts, enum rs_opt_kind k1,
                                      enum rs_opt_kind k2)
{
    for (const struct rs_opt *o = opts; o->kind != RS_OPT_KIND_END; o++)
        if (o->kind == k1 || o->kind == k2) return o;
    return NULL;
}

/* Appends v to the list of o (LIST or OPERANDS) or refuses it. */
static int append(const struct rs_opt_ctx *c, const struct rs_opt *o, const char *v)
{
    if (*o->given >= o->max) {
        if (o->refuse) return rs_opt_bad(c, o->refuse);
        char why[64];
        snprintf(why, sizeof why, "expected at most %ld of them", o->max);
        return rs_opt_bad(c, why);
    }
    ((const char **)o->value)[*o->given] = v;
    return 0; /* the caller counts it */
}

/* Takes value v of entry o: 0, or an exit status after saying why. */
static int take(const struct rs_opt_ctx *c, const struct rs_opt *o, const char *v)
{
    char why[WHY_LEN];
    switch (o->kind) {
    case RS_OPT_KIND_FLAG:
        *(int *)o->value = 1;
        return 0;
    case RS_OPT_KIND_STRING:
        if (o->refuse && !v[0]) return rs_opt_bad(c, o->refuse);
        *(const char **)o->value = v;
        return 0;
    case RS_OPT_KIND_INT:
        if (rs_units_int(v, o->min, o->max, o->value, why, sizeof why)) return rs_opt_bad(c, why);
        return 0;
    case RS_OPT_KIND_SEED:
        if (!rs_units_seed(v, o->value)) return 0;
        return rs_opt_bad(c, o->refuse ? o->refuse
                                       : "expected a whole number from 0 to 18446744073709551615");
    case RS_OPT_KIND_DURATION:
        if (rs_units_duration(v, o->value, why, sizeof why)) return rs_opt_bad(c, why);
        if ((o->flags & RS_OPT_POSITIVE) && !(*(double *)o->value > 0)) {
            snprintf(why, sizeof why, "expected a duration > 0 such as 5m, got \"%.100s\"", v);
            return rs_opt_bad(c, why);
        }
        return 0;
    case RS_OPT_KIND_LIST:
    case RS_OPT_KIND_OPERANDS:
        return append(c, o, v);
    case RS_OPT_KIND_OPERAND:
        if (o->fn) return o->fn(c, o, v);
        if (*(const char **)o->value)
            return rs_opt_bad(c, o->refuse ? o->refuse : "expected one operand");
        *(const char **)o->value = v;
        return 0;
    default: /* CALLBACK, UNKNOWN */
        return o->fn(c, o, v);
    }
}

/* An argument no entry takes. */
static int unknown(struct rs_opt_ctx *c, const struct rs_opt *opts, const char *a)
{
    const struct rs_opt *u = find_kind(opts, RS_OPT_KIND_UNKNOWN, RS_OPT_KIND_UNKNOWN);
    if (u) return take(c, u, a);
    char why[128];
    snprintf(why, sizeof why, "%s (see replysim %s --help)",
             is_operand(a) ? "unexpected argument" : "unknown option", c->cmd);
    return rs_opt_bad(c, why);
}

int rs_opt_step(const struct rs_opt_ctx *ctx, const struct rs_opt *opts, int argc, char **argv,
                int *i)
{
    const char *a = argv[*i], *v = NULL;
    struct rs_opt_ctx c = *ctx;
    c.arg = c.label = a;
    const struct rs_opt *o = NULL;
    if (is_operand(a))
        o = find_kind(opts, RS_OPT_KIND_OPERAND, RS_OPT_KIND_OPERANDS);
    else
        o = find(opts, a, &v);
    if (!o) return unknown(&c, opts, a);
    char name[128];
    if ((o->flags & RS_OPT_NAMED) && o->long_name) {
        snprintf(name, sizeof name, "--%s", o->long_name);
        c.label = name;
    }
    if (is_operand(a)) {
        v = a;
    } else if (!v && takes_value(o)) {
        if (*i + 1 >= argc)
            return rs_opt_bad(&c, o->expect ? o->expect : "expected a value after it");
        v = argv[++*i];
    }
    int st = take(&c, o, v ? v : "");
    if (st) return st;
    if (o->given) ++*o->given;
    return RS_OPT_CONTINUE;
}

/* A required operand missing: the help text on stderr. */
static int missing_operand(const char *usage, const struct rs_opt *opts)
{
    for (const struct rs_opt *o = opts; o->kind != RS_OPT_KIND_END; o++) {
        if (!(o->flags & RS_OPT_REQUIRED)) continue;
        int none = o->kind == RS_OPT_KIND_OPERANDS ? *o->given == 0 : !*(const char **)o->value;
        if (none) {
            fputs(usage, stderr);
            return RS_EXIT_USAGE;
        }
    }
    return RS_OPT_CONTINUE;
}

int rs_opt_parse(const char *cmd, const char *usage, const struct rs_opt *opts, int argc,
                 char **argv)
{
    struct rs_opt_ctx c = {cmd, usage, NULL, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return RS_EXIT_OK;
        }
        if (!strcmp(a, "--version")) {
            printf("replysim %s\n", RS_VERSION);
            return RS_EXIT_OK;
        }
        int st = rs_opt_step(&c, opts, argc, argv, &i);
        if (st != RS_OPT_CONTINUE) return st;
    }
    return missing_operand(usage, opts);
}
