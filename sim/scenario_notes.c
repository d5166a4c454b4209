/* scenario_notes.c: what a scenario's conversation and amplification keys
 * mean in numbers, as comment lines under `replysim validate`. */
#include "replysim/scenario.h"

#include "replysim/units.h"

#include <math.h>
#include <stdio.h>

/* Expected agent replies per conversation: turns are geometric in
 * reply_back, capped at turns_max: sum of P^k for k < cap. */
static double turns_mean(const struct rs_type_cfg *t)
{
    double p = t->reply_back;
    if (t->turns_max > 0) return (1 - pow(p, t->turns_max)) / (1 - p);
    return 1 / (1 - p);
}

void rs_scenario_notes(const struct rs_scenario *sc, FILE *out)
{
    char a[1024], b[64];
    for (int i = 0; i < sc->n_types; i++) {
        const struct rs_type_cfg *t = &sc->types[i];
        if (t->reply_back <= 0) continue;
        rs_dist_format(&t->think.d, RS_DIST_DURATION, a, sizeof a);
        fprintf(out,
                "; conversations: %s writes back after %.4g%% of agent replies (think %s): %.3g "
                "agent replies per conversation on average%s\n",
                t->name, 100 * t->reply_back, a, turns_mean(t),
                t->turns_max > 0 ? " (capped by turns_max)" : "");
        if (t->affinity_s > 0) {
            if (isinf(t->affinity_s))
                snprintf(b, sizeof b, "for as long as they are on shift");
            else
                rs_units_format_duration(t->affinity_s, b, sizeof b);
            fprintf(out, "; affinity: a later %s waits %s%s for the agent who answered before\n",
                    t->name, isinf(t->affinity_s) ? "" : "up to ", b);
        }
    }
    for (int c = 0; c < sc->n_channels; c++) {
        const struct rs_channel_cfg *ch = &sc->channels[c];
        if (ch->amplify <= 0) continue;
        rs_dist_format(&ch->amplify_delay.d, RS_DIST_DURATION, a, sizeof a);
        fprintf(out,
                "; amplification: on %s each complaint left to lapse brings %.4g more (after %s); "
                "were none answered, its complaints would be %.3gx the arrivals\n",
                ch->name, ch->amplify, a, 1 / (1 - ch->amplify));
    }
}
