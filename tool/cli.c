/* cli.c: the command-line options that several commands share. */
#include "cli.h"

#include "replysim/alloc.h"
#include "replysim/error.h"
#include "replysim/scenario.h"
#include "replysim/units.h"
#include "tool.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    return rs_strndup(s, len);
}

int rs_cli_load(const struct rs_cli *o, struct rs_scenario **out)
{
    struct rs_error err = {0};
    int rc = rs_scenario_load_with(o->path, o->sets, o->n_sets, out, &err);
    if (rc) return rs_tool_error(NULL, &err, RS_EINPUT); /* unreadable: bad input too */
    rs_cli_apply(o, *out);
    return RS_EXIT_OK;
}

int rs_cli_bad(const struct rs_cli *o, const char *opt, const char *why)
{
    return rs_tool_say(o->cmd, "%s: %s", opt, why);
}

int rs_cli_fail(const struct rs_cli *o, const struct rs_error *e, int code)
{
    return rs_tool_error(o->cmd, e, code);
}

int rs_cli_option(struct rs_cli *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    int operand = a[0] != '-' || !a[1]; /* "-" is one too */
    if (operand && !(o->accept & RS_CLI_SCENARIO)) return RS_CLI_NOT_MINE;
    const struct rs_opt all[] = {RS_CLI_OPT_SCENARIO(o), RS_CLI_OPT_SET(o),  RS_CLI_OPT_QUIET(o),
                                 RS_CLI_OPT_REPS(o),     RS_CLI_OPT_SEED(o), RS_CLI_OPT_OUTPUT(o),
                                 RS_CLI_OPT_THREADS(o)};
    static const unsigned flag[] = {RS_CLI_SCENARIO, RS_CLI_SET,    RS_CLI_QUIET,  RS_CLI_REPS,
                                    RS_CLI_SEED,     RS_CLI_OUTPUT, RS_CLI_THREADS};
    struct rs_opt mine[sizeof all / sizeof all[0] + 1];
    size_t n = 0;
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (o->accept & flag[k]) mine[n++] = all[k];
    mine[n] = (struct rs_opt)RS_OPT_END;
    struct rs_opt_ctx c = {o->cmd, NULL, NULL, NULL};
    return rs_opt_step(&c, mine, argc, argv, i) == RS_OPT_CONTINUE ? RS_CLI_TAKEN : RS_CLI_ERROR;
}
