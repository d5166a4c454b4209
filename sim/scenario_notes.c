/* scenario_notes.c: what a scenario's conversation and amplification keys
 * mean in numbers, as comment lines under `replysim validate`. */
#include "replysim/scenario.h"

#include "replysim/units.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

/* Expected agent replies per conversation: turns are geometric in
 * reply_back, capped at turns_max: sum of P^k for k < cap. */
static double turns_mean(const struct rs_type_cfg *t)
{
    double p = t->reply_back;
    if (t->turns_max > 0) return (1 - pow(p, t->turns_max)) / (1 - p);
    return 1 / (1 - p);
}

/* Skills by type, speed, slowdown, overflow and surges. */
static void routing_notes(const struct rs_scenario *sc, FILE *out)
{
    uint32_t all = sc->n_types >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_types) - 1;
    int split = (sc->staff_types & all) != all;
    for (int i = 0; i < sc->n_shifts; i++)
        split |= (sc->shifts[i].types & all) != all;
    for (int i = 0; i < sc->n_surges; i++)
        split |= (sc->surges[i].types & all) != all;
    if (split)
        fprintf(out,
                "; routing: agents answer only their types; when several pools could take "
                "a message, the one with fewest types does%s\n",
                sc->overflow_s > 0 ? "; after overflow, any pool on its channel may" : "");
    double sp = sc->staff_speed > 0 ? sc->staff_speed : 1;
    double sl = sc->staff_slowdown >= 1 ? sc->staff_slowdown : 1;
    if (sc->agents > 0 || sc->schedule.n > 0) {
        if (sp != 1) fprintf(out, "; speed: [staff] handle times / %.4g\n", sp);
        if (sl != 1)
            fprintf(out, "; slowdown: [staff] each further conversation in hand x %.4g\n", sl);
    }
    for (int i = 0; i < sc->n_shifts; i++) {
        const struct rs_shift_cfg *s = &sc->shifts[i];
        if (s->speed > 0 && s->speed != 1)
            fprintf(out, "; speed: [shift %s] handle times / %.4g\n", s->name, s->speed);
        if (s->slowdown > 1)
            fprintf(out, "; slowdown: [shift %s] each further conversation in hand x %.4g\n",
                    s->name, s->slowdown);
    }
    for (int i = 0; i < sc->n_surges; i++) {
        const struct rs_surge_cfg *u = &sc->surges[i];
        char a[64], f[64];
        rs_units_format_duration(u->after_s, a, sizeof a);
        rs_units_format_duration(u->for_s, f, sizeof f);
        fprintf(out,
                "; surge %s: %d more agents for %s once %d or more messages have waited "
                "for %s\n",
                u->name, u->agents, f, u->queue_min, a);
    }
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
        if (ch->move > 0 && ch->move_to >= 0 && ch->move_to < sc->n_channels)
            fprintf(out,
                    "; move: on %s %.4g%% of conversations that go on after the first reply "
                    "go on privately on %s\n",
                    ch->name, 100 * ch->move, sc->channels[ch->move_to].name);
        if (ch->amplify <= 0) continue;
        rs_dist_format(&ch->amplify_delay.d, RS_DIST_DURATION, a, sizeof a);
        fprintf(out,
                "; amplification: on %s each complaint left to lapse brings %.4g more (after %s); "
                "were none answered, its complaints would be %.3gx the arrivals\n",
                ch->name, ch->amplify, a, 1 / (1 - ch->amplify));
    }
    routing_notes(sc, out);
}
