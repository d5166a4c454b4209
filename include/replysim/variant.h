/* variant.h: a scenario plus settings on top, the one loader of compare's
 * variants and sweep's points.
 *
 * A variant is the scenario file, the settings every variant shares (the
 * command line's --set) and then its own settings, each "section.key=value"
 * as rs_scenario_load_with takes them.  An error in one of its own settings
 * names the variant (label) rather than "--set" and a position. */
#ifndef RS_VARIANT_H
#define RS_VARIANT_H

#include "replysim/error.h"
#include "replysim/scenario.h"

struct rs_variant {
    const char *path;        /* the scenario file */
    const char *const *sets; /* settings every variant shares, in order */
    int n_sets;
    const char *const *own;  /* this variant's settings, applied after sets */
    int n_own;
    const char *label;       /* names own settings in errors: "--variant more", "--vary" */
    int label_setting;       /* 1: the error names label and the setting at fault */
};

/* Loads v into *out (free with rs_scenario_destroy).  Errors as
 * rs_scenario_load_with's, except that one in an own setting has file
 * "LABEL" (or "LABEL SETTING" with label_setting) and line 0. */
int rs_variant_load(const struct rs_variant *v, struct rs_scenario **out, struct rs_error *err);

#endif
