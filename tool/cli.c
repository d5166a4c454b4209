/* cli.c: the command-line options that several commands share. */
#include "cli.h"

#include "replysim/alloc.h"
#include "replysim/budget.h"
#include "replysim/error.h"
#include "replysim/report.h"
#include "replysim/scenario.h"
#include "replysim/units.h"
#include "tool.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rs_cli_init(struct rs_cli *o, const char *cmd)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
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

int rs_cli_prepare_outdir(const char *dir)
{
    struct rs_error err = {0};
    int rc = rs_report_prepare(dir, &err);
    return rc ? rs_tool_error(NULL, &err, rc) : RS_EXIT_OK;
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

int rs_cli_budget(const struct rs_cli *o, const struct rs_scenario *sc,
                  const struct rs_budget_req *req)
{
    struct rs_budget_req r = {0};
    if (req) r = *req;
    if (!r.replications) r.replications = sc->replications;
    if (!r.replications_from && o->replications > 0) r.replications_from = "-r";
    if (!r.threads) r.threads = (int)o->threads;
    if (!r.threads_from && o->threads > 1) r.threads_from = "-j";
    struct rs_error err = {0};
    if (rs_budget_check(sc, &r, &err)) return rs_tool_error(o->cmd, &err, RS_EINPUT);
    return RS_EXIT_OK;
}
