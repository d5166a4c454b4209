/* variant.c: the scenario file, shared settings, then a variant's own. */
#include "replysim/variant.h"

#include "replysim/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An error found after every setting was applied (agents and schedule
 * both given, a required key removed) names a line of the file; when the
 * scenario loads without the variant's own settings, they are the cause,
 * so the error names the variant, with the file's line kept in the text. */
static void blame_own(const struct rs_variant *v, struct rs_error *err)
{
    struct rs_scenario *plain = NULL;
    struct rs_error e2 = {0};
    if (rs_scenario_load_with(v->path, v->sets, v->n_sets, &plain, &e2) != RS_OK) return;
    rs_scenario_destroy(plain);
    char where[300], msg[sizeof err->msg];
    if (err->line > 0)
        snprintf(where, sizeof where, "%.250s:%d", err->file, err->line);
    else
        snprintf(where, sizeof where, "%.250s", err->file);
    snprintf(msg, sizeof msg, "%.300s (with %.200s)", err->msg, where);
    memcpy(err->msg, msg, sizeof msg);
    snprintf(err->file, sizeof err->file, "%s", v->label);
    err->line = 0;
}

int rs_variant_load(const struct rs_variant *v, struct rs_scenario **out, struct rs_error *err)
{
    int n = v->n_sets + v->n_own;
    const char **all = rs_malloc((size_t)n * sizeof *all + 1);
    for (int i = 0; i < v->n_sets; i++)
        all[i] = v->sets[i];
    for (int i = 0; i < v->n_own; i++)
        all[v->n_sets + i] = v->own[i];
    int rc = rs_scenario_load_with(v->path, all, n, out, err);
    free(all);
    if (rc == RS_EINPUT && !strcmp(err->file, "--set") && err->line > v->n_sets) {
        if (v->label_setting)
            snprintf(err->file, sizeof err->file, "%s %.200s", v->label,
                     v->own[err->line - v->n_sets - 1]);
        else
            snprintf(err->file, sizeof err->file, "%s", v->label);
        err->line = 0;
    } else if (rc == RS_EINPUT && v->n_own > 0 && strcmp(err->file, "--set") != 0) {
        blame_own(v, err);
    }
    return rc;
}
