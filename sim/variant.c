/* variant.c: the scenario file, shared settings, then a variant's own. */
#include "replysim/variant.h"

#include "replysim/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    }
    return rc;
}
