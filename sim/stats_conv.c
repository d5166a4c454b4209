/* stats_conv.c: the metrics of conversations and amplification. */
#include "stats_conv.h"

#include "replysim/units.h"

#include <math.h>
#include <stdio.h>

enum {
    C_CONVERSATIONS,
    C_TURNS_MEAN,
    C_RESOLVED_RATE,
    C_MOVED_RATE,
    C_RESOLUTION_MEAN,
    C_RESOLUTION_P50,
    C_RESOLUTION_P90,
    C_NRT_MEAN,
    C_NRT_P90,
    C_FIXED /* then sl_next_T per threshold */
};

static const char *const conv_names[C_FIXED] = {
    "conversations",    "turns_mean",       "resolved_rate", "moved_rate", "resolution_mean_s",
    "resolution_p50_s", "resolution_p90_s", "nrt_mean_s",    "nrt_p90_s",
};

int rs_conv_enabled(const struct rs_scenario *sc)
{
    for (int t = 0; t < sc->n_types; t++)
        if (sc->types[t].reply_back > 0) return 1;
    return 0;
}

int rs_conv_amplifies(const struct rs_scenario *sc)
{
    for (int c = 0; c < sc->n_channels; c++)
        if (sc->channels[c].amplify > 0) return 1;
    return 0;
}

static int conv_count(const struct rs_scenario *sc)
{
    return rs_conv_enabled(sc) ? C_FIXED + sc->n_within : 0;
}

int rs_conv_kept(const struct rs_scenario *sc)
{
    return rs_conv_enabled(sc) || rs_conv_amplifies(sc) || sc->n_surges > 0;
}

int rs_conv_n_metrics(const struct rs_scenario *sc)
{
    return conv_count(sc) + rs_conv_amplifies(sc) + (sc->n_surges > 0);
}

void rs_conv_metric_name(const struct rs_scenario *sc, int j, char *buf, size_t len)
{
    int n = conv_count(sc);
    if (j >= n + rs_conv_amplifies(sc)) {
        snprintf(buf, len, "surge_agent_hours");
    } else if (j >= n) {
        snprintf(buf, len, "amplified");
    } else if (j < C_FIXED) {
        snprintf(buf, len, "%s", conv_names[j]);
    } else {
        char label[32];
        rs_units_label_duration(sc->within_s[j - C_FIXED], label, sizeof label);
        snprintf(buf, len, "sl_next_%s", label);
    }
}

static double ratio(uint64_t num, uint64_t den) { return den ? (double)num / (double)den : NAN; }

double rs_conv_value(const struct rs_scenario *sc, const struct rs_conv_stats *s, int scope, int j)
{
    int n = conv_count(sc);
    if (j >= n + rs_conv_amplifies(sc)) return scope == 0 ? s->surge_agent_s / 3600 : NAN;
    if (j >= n) return (double)s->amplified;
    switch (j) {
    case C_CONVERSATIONS:
        return (double)s->conversations;
    case C_TURNS_MEAN:
        return ratio(s->replies, s->conversations);
    case C_RESOLVED_RATE:
        return ratio(s->resolved, s->conversations);
    case C_MOVED_RATE:
        return ratio(s->moved, s->conversations);
    case C_RESOLUTION_MEAN:
        return s->resolved ? s->resolution_sum_s / (double)s->resolved : NAN;
    case C_RESOLUTION_P50:
        return rs_hist_quantile(&s->resolution, 0.50);
    case C_RESOLUTION_P90:
        return rs_hist_quantile(&s->resolution, 0.90);
    case C_NRT_MEAN:
        return s->next_answered ? s->nrt_sum_s / (double)s->next_answered : NAN;
    case C_NRT_P90:
        return rs_hist_quantile(&s->nrt, 0.90);
    default: {
        uint64_t within = 0;
        for (int i = 0; i <= j - C_FIXED; i++)
            within += s->next_first[i];
        return ratio(within, s->next_inbox);
    }
    }
}
