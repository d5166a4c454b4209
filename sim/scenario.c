/* scenario.c: the scenario's small public lifecycle: defaults, lookups and
 * destroy.  The keys are described once, as data, in scenario_keys.c;
 * loading is scenario_load.c, checking scenario_check.c (see
 * scenario_int.h for the map). */
#include "scenario_int.h"

#include <stdlib.h>
#include <string.h>

void rs_scenario_defaults(struct rs_scenario *sc)
{
    static const double within[] = {15 * 60, 30 * 60, 3600, 4 * 3600, 24 * 3600};
    memset(sc, 0, sizeof *sc);
    for (int s = 0; s < N_SECTIONS; s++)
        if (!rs_scn_sections[s].named) rs_scn_key_defaults(sc, s, 0);
    /* composite defaults: the table holds numbers only */
    snprintf(sc->name, sizeof sc->name, "scenario");
    sc->n_within = (int)(sizeof within / sizeof within[0]);
    memcpy(sc->within_s, within, sizeof within);
    snprintf(sc->order, sizeof sc->order, "fifo");
    sc->weights =
        (struct rs_weights){.age = 1, .priority = 60, .influence = 5, .public_ = 30, .deadline = 2};
    rs_outcome_defaults(&sc->outcome);
}

int rs_scenario_channel(const struct rs_scenario *sc, const char *name)
{
    for (int i = 0; i < sc->n_channels; i++)
        if (strcmp(sc->channels[i].name, name) == 0) return i;
    return -1;
}

int rs_scenario_type(const struct rs_scenario *sc, const char *name)
{
    for (int i = 0; i < sc->n_types; i++)
        if (strcmp(sc->types[i].name, name) == 0) return i;
    return -1;
}

void rs_scenario_destroy(struct rs_scenario *sc)
{
    if (!sc) return;
    for (int i = 0; i < sc->n_channels && i < RS_MAX_CHANNELS; i++) {
        rs_scn_series_free(&sc->channels[i].profile);
        rs_scn_trace_free(&sc->channels[i].trace);
    }
    rs_scn_series_free(&sc->schedule);
    free(sc);
}
