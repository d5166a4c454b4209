/* cli.c: the command-line options that several commands share. */
#include "cli.h"

#include "replysim/error.h"
#include "replysim/scenario.h"
#include "replysim/units.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shared options that take a value. */
static const struct {
    const char *short_name; /* "-r", NULL: none */
    const char *long_name;  /* "--replications", also as "--replications=V" */
    unsigned flag;          /* RS_CLI_... */
} valued[] = {
    {NULL, "--set", RS_CLI_SET},         {"-r", "--replications", RS_CLI_REPS},
    {"-s", "--seed", RS_CLI_SEED},       {"-o", "--output", RS_CLI_OUTPUT},
    {"-j", "--threads", RS_CLI_THREADS},
};

void rs_cli_init(struct rs_cli *o, const char *cmd, unsigned accept)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->accept = accept;
    o->replications = -1;
    o->threads = 1;
}

void rs_cli_apply(const struct rs_cli *o, struct rs_scenario *sc)
{
    if (o->replications > 0) sc->replications = (int)o->replications;
    if (o->have_seed) sc->seed = o->seed;
}

const char *rs_cli_outdir(const struct rs_cli *o, const struct rs_scenario *sc, char *buf,
                          size_t len)
{
    if (o->outdir) return o->outdir;
    snprintf(buf, len, "results/%s", sc->name);
    return buf;
}

int rs_cli_valued(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *a = argv[*i];
    size_t len = strlen(name);
    if (strncmp(a, name, len)) return RS_CLI_NOT_MINE;
    if (a[len] == '=') {
        *value = a + len + 1;
        return RS_CLI_TAKEN;
    }
    if (a[len]) return RS_CLI_NOT_MINE;
    if (*i + 1 >= argc) return RS_CLI_ERROR;
    *i += 1;
    *value = argv[*i];
    return RS_CLI_TAKEN;
}

size_t rs_cli_set_key_len(const char *set)
{
    size_t n = strcspn(set, "=");
    while (n && isspace((unsigned char)set[n - 1]))
        n--;
    return n;
}

char *rs_cli_dup_trim(const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    char *out = malloc(len + 1);
    if (!out) abort();
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

int rs_cli_load(const struct rs_cli *o, struct rs_scenario **out)
{
    struct rs_error err = {0};
    if (rs_scenario_load_with(o->path, o->sets, o->n_sets, out, &err)) {
        rs_error_print(&err, stderr);
        return RS_EXIT_USAGE;
    }
    rs_cli_apply(o, *out);
    return RS_EXIT_OK;
}

int rs_cli_bad(const struct rs_cli *o, const char *opt, const char *why)
{
    fprintf(stderr, "replysim %s: %s: %s\n", o->cmd, opt, why);
    return RS_EXIT_USAGE;
}

int rs_cli_fail(const struct rs_cli *o, const struct rs_error *e, int code)
{
    char buf[1024];
    rs_error_format(e, buf, sizeof buf);
    fprintf(stderr, "replysim %s: %s\n", o->cmd, buf);
    return rs_error_exit_status(code);
}


/* Stores value v of option flag, given as opt; RS_CLI_TAKEN, or
 * RS_CLI_ERROR after saying why. */
static int take(struct rs_cli *o, unsigned flag, const char *opt, const char *v)
{
    char buf[256];
    const char *why = buf;
    switch (flag) {
    case RS_CLI_SET:
        if (o->n_sets < RS_CLI_MAX_SETS) {
            o->sets[o->n_sets++] = v;
            return RS_CLI_TAKEN;
        }
        why = "expected at most 256 of them";
        break;
    case RS_CLI_REPS:
        if (!rs_units_int(v, 1, 1000000, &o->replications, buf, sizeof buf)) return RS_CLI_TAKEN;
        break;
    case RS_CLI_SEED:
        if (!rs_units_seed(v, &o->seed)) {
            o->have_seed = 1;
            return RS_CLI_TAKEN;
        }
        why = "expected a whole number from 0 to 18446744073709551615";
        break;
    case RS_CLI_OUTPUT:
        if (v[0]) {
            o->outdir = v;
            return RS_CLI_TAKEN;
        }
        why = "expected a folder";
        break;
    default: /* RS_CLI_THREADS */
        if (!rs_units_int(v, 1, 1024, &o->threads, buf, sizeof buf)) return RS_CLI_TAKEN;
        break;
    }
    rs_cli_bad(o, opt, why);
    return RS_CLI_ERROR;
}

int rs_cli_option(struct rs_cli *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (a[0] != '-' || !a[1]) { /* an operand ("-" is one too) */
        if (!(o->accept & RS_CLI_SCENARIO)) return RS_CLI_NOT_MINE;
        if (o->path) {
            rs_cli_bad(o, a, "expected one scenario file");
            return RS_CLI_ERROR;
        }
        o->path = a;
        return RS_CLI_TAKEN;
    }
    if ((o->accept & RS_CLI_QUIET) && (!strcmp(a, "-q") || !strcmp(a, "--quiet"))) {
        o->quiet = 1;
        return RS_CLI_TAKEN;
    }
    for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++) {
        if (!(o->accept & valued[k].flag)) continue;
        size_t len = strlen(valued[k].long_name);
        if (!strncmp(a, valued[k].long_name, len) && a[len] == '=')
            return take(o, valued[k].flag, a, a + len + 1);
        if (strcmp(a, valued[k].long_name) &&
            !(valued[k].short_name && !strcmp(a, valued[k].short_name)))
            continue;
        if (*i + 1 >= argc) {
            rs_cli_bad(o, a,
                       valued[k].flag == RS_CLI_SET ? "expected K=V after it"
                                                    : "expected a value after it");
            return RS_CLI_ERROR;
        }
        *i += 1;
        return take(o, valued[k].flag, a, argv[*i]);
    }
    char why[128];
    snprintf(why, sizeof why, "unknown option (see replysim %s --help)", o->cmd);
    rs_cli_bad(o, a, why);
    return RS_CLI_ERROR;
}
