/* scenario_check.c: the rules of docs/scenario-reference.md section 3 that are not about syntax,
 * for loaded scenarios and scenarios built in code alike.  Each section's
 * keys are checked in table order: the table's range (scenario_keys.c),
 * then the key's own rule here when it spans keys or sections. */
#include "scenario_int.h"

#include "policy.h"
#include "replysim/units.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#define MIX_TOLERANCE 1e-9

/* File and line to blame for key of section (kind, i): where the loader saw
 * the key, else the section header (the section's line for scenarios built
 * in code). */
int rs_scn_line_of(const struct checker *ck, int kind, int i, const char *key, const char **file)
{
    const struct load *ld = ck->ld;
    int k = key ? rs_scn_key_index(kind, key) : -1, fid, line;
    line = ld && k >= 0 ? rs_scn_load_key_line(ld, kind, i, k, &fid) : 0;
    if (line > 0) {
        *file = rs_scn_load_file(ld, fid);
        return line;
    }
    line = ld ? rs_scn_load_sec_line(ld, kind, i, &fid) : -1;
    if (line >= 0) {
        *file = rs_scn_load_file(ld, fid);
        return line;
    }
    *file = ck->file;
    if (ld || !rs_scn_sections[kind].named) return 0;
    const char *sec = rs_scn_section_c(ck->sc, kind, i);
    size_t line_off = kind == SEC_CHANNEL ? offsetof(struct rs_channel_cfg, line)
                      : kind == SEC_TYPE  ? offsetof(struct rs_type_cfg, line)
                      : kind == SEC_BURST ? offsetof(struct rs_burst_cfg, line)
                                          : offsetof(struct rs_shift_cfg, line);
    memcpy(&line, sec + line_off, sizeof line);
    return line;
}

int rs_scn_fail(const struct checker *ck, int kind, int i, const char *key, const char *fmt, ...)
{
    char msg[RS_SCN_WHY];
    const char *file;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = rs_scn_line_of(ck, kind, i, key, &file);
    return rs_error_input(ck->err, file, line, key, "%s", msg);
}

static uint32_t all_of(int n) { return n >= 32 ? UINT32_MAX : (UINT32_C(1) << n) - 1; }

/* ------------------------------------------------ [scenario] */

int rs_scn_check_warmup(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_scenario *sc = sec;
    char a[64], b[64];
    if (sc->warmup_s < sc->horizon_s) return RS_OK;
    rs_units_format_duration(sc->warmup_s, a, sizeof a);
    rs_units_format_duration(sc->horizon_s, b, sizeof b);
    return rs_scn_fail(ck, kind, i, "warmup", "expected less than the horizon (%s), got %s", b, a);
}

/* Whole minutes, so that the HH:MM written back reads to the same value. */
int rs_scn_check_start(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_scenario *sc = sec;
    if (sc->start_day < 0 || sc->start_day > 6 || !(sc->start_clock_s >= 0) ||
        !(sc->start_clock_s < 86400) || fmod(sc->start_clock_s, 60) != 0)
        return rs_scn_fail(ck, kind, i, "start",
                           "expected a weekday and clock time from 00:00 to 23:59, such as "
                           "mon 09:00");
    return RS_OK;
}

int rs_scn_check_within(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_scenario *sc = sec;
    if (sc->n_within < 1 || sc->n_within > RS_MAX_WITHIN)
        return rs_scn_fail(ck, kind, i, "within", "expected 1 to %d durations", RS_MAX_WITHIN);
    for (int k = 0; k < sc->n_within; k++) {
        if (!(isfinite(sc->within_s[k]) && sc->within_s[k] > 0))
            return rs_scn_fail(ck, kind, i, "within", "expected durations > 0");
        if (k > 0 && !(sc->within_s[k] > sc->within_s[k - 1]))
            return rs_scn_fail(ck, kind, i, "within",
                               "expected strictly increasing durations, each once");
    }
    return RS_OK;
}

/* ------------------------------------------------ [channel NAME], [burst NAME] */

int rs_scn_check_rate(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_channel_cfg *c = sec;
    if (c->trace.n > 0 && c->rate_per_s != 0)
        return rs_scn_fail(ck, kind, i, "rate", "expected rate or trace, not both");
    return RS_OK;
}

/* A series read from CSV: times increasing, values finite and >= 0. */
static int check_series(const struct checker *ck, int kind, int i, const char *key,
                        const struct rs_series *s)
{
    if (s->n < 0 || (s->n > 0 && (!s->t_s || !s->value)))
        return rs_scn_fail(ck, kind, i, key, "expected a series with its arrays");
    for (int k = 0; k < s->n; k++) {
        if (!(isfinite(s->value[k]) && s->value[k] >= 0))
            return rs_scn_fail(ck, kind, i, key, "expected values >= 0");
        if (!isfinite(s->t_s[k]) || (k > 0 && !(s->t_s[k] > s->t_s[k - 1])))
            return rs_scn_fail(ck, kind, i, key, "expected strictly increasing times");
    }
    if (s->n > 0 && !s->weekly && s->t_s[0] != 0)
        return rs_scn_fail(ck, kind, i, key, "expected the first time to be 0s");
    if (s->n > 0 && s->weekly && !(s->t_s[0] >= 0 && s->t_s[s->n - 1] < RS_WEEK_S))
        return rs_scn_fail(ck, kind, i, key, "expected times within the week");
    return RS_OK;
}

int rs_scn_check_profile(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_channel_cfg *c = sec;
    int rc = check_series(ck, kind, i, "profile", &c->profile);
    if (rc || c->profile.n == 0 || c->profile_scale != RS_PROFILE_MEAN) return rc;
    /* rescaled to mean 1: a profile that is 0 over its whole period has no mean */
    if (rs_scenario_profile_scale(ck->sc, i) == 0)
        return rs_scn_fail(ck, kind, i, "profile",
                           "expected a multiplier > 0 somewhere in %s (profile_scale = mean "
                           "rescales them to mean 1)",
                           c->profile.weekly ? "the week" : "the horizon");
    return RS_OK;
}

int rs_scn_check_trace(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_trace *t = &((const struct rs_channel_cfg *)sec)->trace;
    if (t->n < 0 || (t->n > 0 && (!t->t_s || !t->type || !t->followers || !t->handle_s)))
        return rs_scn_fail(ck, kind, i, "trace", "expected a trace with its arrays");
    for (int k = 0; k < t->n; k++) {
        if (!(t->t_s[k] >= 0 && isfinite(t->t_s[k])) || (k > 0 && t->t_s[k] < t->t_s[k - 1]))
            return rs_scn_fail(ck, kind, i, "trace", "expected sorted times >= 0");
        if (t->type[k] < -1 || t->type[k] >= ck->sc->n_types)
            return rs_scn_fail(ck, kind, i, "trace", "expected types of [type NAME] sections");
        if (t->followers[k] < 0 || t->handle_s[k] < 0 || isinf(t->followers[k]) ||
            isinf(t->handle_s[k]))
            return rs_scn_fail(ck, kind, i, "trace", "expected followers and handle >= 0");
    }
    return RS_OK;
}

static int check_mix(const struct checker *ck, int kind, int i, const double *mix)
{
    double sum = 0;
    for (int t = 0; t < ck->sc->n_types && t < RS_MAX_TYPES; t++) {
        if (!(mix[t] >= 0 && mix[t] <= 1))
            return rs_scn_fail(ck, kind, i, "mix", "expected shares from 0 to 1");
        sum += mix[t];
    }
    if (!(fabs(sum - 1) <= MIX_TOLERANCE)) {
        char x[64];
        rs_units_format_number(sum, x, sizeof x);
        return rs_scn_fail(ck, kind, i, "mix", "expected shares summing to 1, got %s", x);
    }
    return RS_OK;
}

int rs_scn_check_channel_mix(const struct checker *ck, int kind, int i, const void *sec)
{
    return check_mix(ck, kind, i, ((const struct rs_channel_cfg *)sec)->mix);
}

int rs_scn_check_burst_mix(const struct checker *ck, int kind, int i, const void *sec)
{
    return check_mix(ck, kind, i, ((const struct rs_burst_cfg *)sec)->mix);
}

/* At least one channel or burst brings arrivals. */
int rs_scn_check_channels_all(const struct checker *ck)
{
    const struct rs_scenario *sc = ck->sc;
    for (int i = 0; i < sc->n_channels; i++)
        if (sc->channels[i].rate_per_s > 0 || sc->channels[i].trace.n > 0) return RS_OK;
    for (int i = 0; i < sc->n_bursts; i++)
        if (sc->bursts[i].rate_per_s > 0) return RS_OK;
    return rs_scn_fail(ck, SEC_CHANNEL, 0, "rate", "expected at least one channel with a rate > 0");
}

int rs_scn_check_burst_channel(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_burst_cfg *x = sec;
    if (x->channel < 0 || x->channel >= ck->sc->n_channels)
        return rs_scn_fail(ck, kind, i, "channel",
                           "expected a channel of a [channel NAME] section");
    return RS_OK;
}

int rs_scn_check_burst_at(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_burst_cfg *x = sec;
    char a[64], b[64];
    if (isfinite(x->at_s) && x->at_s >= 0 && x->at_s < ck->sc->horizon_s) return RS_OK;
    rs_units_format_duration(ck->sc->horizon_s, b, sizeof b);
    rs_units_format_duration(x->at_s, a, sizeof a);
    return rs_scn_fail(ck, kind, i, "at", "expected a time before the horizon (%s), got %s", b, a);
}

/* ------------------------------------------------ [type NAME] */

int rs_scn_check_switch(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_type_cfg *t = sec;
    char a[64], b[64];
    if (t->followup + t->switch_p <= 1 + 1e-12) return RS_OK;
    rs_units_format_number(t->followup, a, sizeof a);
    rs_units_format_number(t->switch_p, b, sizeof b);
    return rs_scn_fail(ck, kind, i, "switch", "expected followup + switch <= 1, got %s + %s", a, b);
}

int rs_scn_check_switch_to(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_type_cfg *t = sec;
    if (t->switch_to < -1 || t->switch_to >= ck->sc->n_channels)
        return rs_scn_fail(ck, kind, i, "switch_to",
                           "expected a channel of a [channel NAME] section");
    if (t->switch_p > 0 && t->switch_to < 0)
        return rs_scn_fail(ck, kind, i, "switch_to", "required when switch > 0");
    return RS_OK;
}

/* ------------------------------------------------ [staff], [shift NAME] */

int rs_scn_check_schedule(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_scenario *sc = sec;
    if (sc->agents > 0 && sc->schedule.n > 0)
        return rs_scn_fail(ck, kind, i, "schedule", "expected agents or schedule, not both");
    int rc = check_series(ck, kind, i, "schedule", &sc->schedule);
    if (rc) return rc;
    for (int k = 0; k < sc->schedule.n; k++)
        if (sc->schedule.value[k] != floor(sc->schedule.value[k]) ||
            sc->schedule.value[k] > INT_MAX)
            return rs_scn_fail(ck, kind, i, "schedule", "expected whole numbers of agents");
    return RS_OK;
}

int rs_scn_check_days(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_shift_cfg *s = sec;
    if (s->days == 0 || s->days > 0x7f)
        return rs_scn_fail(ck, kind, i, "days", "expected days such as mon-fri");
    return RS_OK;
}

int rs_scn_check_shift_channels(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_shift_cfg *s = sec;
    if (s->channels == 0 || (s->channels & ~all_of(ck->sc->n_channels)))
        return rs_scn_fail(ck, kind, i, "channels", "expected channels of [channel NAME] sections");
    return RS_OK;
}

int rs_scn_check_break(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_shift_cfg *s = sec;
    char a[64];
    if (s->break_s >= 0 && s->break_s < s->length_s) return RS_OK;
    rs_units_format_duration(s->length_s, a, sizeof a);
    return rs_scn_fail(ck, kind, i, "break",
                       "expected a duration >= 0 and shorter than the length (%s)", a);
}

/* ------------------------------------------------ [policy], [outcome] */

int rs_scn_check_order(const struct checker *ck, int kind, int i, const void *sec)
{
    if (!rs_policy_find(((const struct rs_scenario *)sec)->order))
        return rs_scn_fail(ck, kind, i, "order", "expected one of %s", rs_policy_names());
    return RS_OK;
}

int rs_scn_check_weights(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_weights *w = &((const struct rs_scenario *)sec)->weights;
    double x[5] = {w->age, w->priority, w->influence, w->public_, w->deadline};
    for (int k = 0; k < 5; k++)
        if (!(isfinite(x[k]) && x[k] >= 0))
            return rs_scn_fail(ck, kind, i, "weights", "expected numbers >= 0");
    return RS_OK;
}

int rs_scn_check_hours(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_scenario *sc = sec;
    if (sc->n_hours < 0 || sc->n_hours > RS_MAX_HOURS)
        return rs_scn_fail(ck, kind, i, "hours", "expected at most %d spans", RS_MAX_HOURS);
    for (int k = 0; k < sc->n_hours; k++) {
        const struct rs_hours_span *h = &sc->hours[k];
        if (!(h->from_s >= 0 && h->from_s < RS_WEEK_S && h->to_s > h->from_s &&
              h->to_s - h->from_s <= 86400))
            return rs_scn_fail(ck, kind, i, "hours",
                               "expected spans of at most a day within the week");
        if (fmod(h->from_s, 60) != 0 || fmod(h->to_s, 60) != 0)
            return rs_scn_fail(ck, kind, i, "hours", "expected spans in whole minutes");
        if (k > 0 && !(h->from_s >= sc->hours[k - 1].to_s))
            return rs_scn_fail(ck, kind, i, "hours", "expected sorted spans that do not overlap");
    }
    if (sc->n_hours > 1 && sc->hours[sc->n_hours - 1].to_s > sc->hours[0].from_s + RS_WEEK_S)
        return rs_scn_fail(ck, kind, i, "hours", "expected sorted spans that do not overlap");
    return RS_OK;
}

int rs_scn_check_bot_types(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_scenario *sc = sec;
    if (sc->bot_types & ~all_of(sc->n_types))
        return rs_scn_fail(ck, kind, i, "bot_types", "expected types of [type NAME] sections");
    if (sc->bot > 0 && sc->bot_types == 0)
        return rs_scn_fail(ck, kind, i, "bot_types", "required when bot > 0");
    return RS_OK;
}

int rs_scn_check_complaint_types(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_scenario *sc = sec;
    uint32_t m = sc->outcome.complaint_types;
    if (m != RS_OUTCOME_COMPLAINT_NAMED && (m & ~all_of(sc->n_types)))
        return rs_scn_fail(ck, kind, i, "complaint_types",
                           "expected types of [type NAME] sections");
    return RS_OK;
}

/* ------------------------------------------------ the driver */

/* Count, names, then each section's keys in table order. */
static int check_kind(const struct checker *ck, int kind)
{
    const struct section_def *sd = &rs_scn_sections[kind];
    const struct rs_scenario *sc = ck->sc;
    char why[RS_SCN_WHY];
    int n = rs_scn_count(sc, kind);
    if (sd->named && (n < sd->required || n > sd->max)) {
        if (sd->required)
            return rs_error_input(ck->err, ck->file, 0, sd->kind,
                                  "expected 1 to %d [%s NAME] sections", sd->max, sd->kind);
        return rs_error_input(ck->err, ck->file, 0, sd->kind,
                              "expected at most %d [%s NAME] sections", sd->max, sd->kind);
    }
    for (int i = 0; i < n; i++) {
        const char *name = rs_scn_name_of(sc, kind, i);
        if (sd->named && rs_scn_check_name(name, why, sizeof why))
            return rs_scn_fail(ck, kind, i, NULL, "%s", why);
        for (int j = 0; sd->named && j < i; j++)
            if (strcmp(rs_scn_name_of(sc, kind, j), name) == 0)
                return rs_scn_fail(ck, kind, i, NULL, "%s \"%s\" defined twice", sd->kind, name);
        for (int j = 0; j < sd->n_keys; j++) {
            int k = sd->check_order ? rs_scn_key_index(kind, sd->check_order[j]) : j;
            int rc = rs_scn_check_key(ck, kind, i, k);
            if (rc) return rc;
        }
    }
    return sd->check_all ? sd->check_all(ck) : RS_OK;
}

int rs_scn_check(const struct rs_scenario *sc, const struct load *ld, struct rs_error *err)
{
    /* types first: mixes are shares of the types */
    static const int order[] = {SEC_SCENARIO, SEC_TYPE,  SEC_CHANNEL, SEC_BURST,  SEC_STAFF,
                                SEC_SHIFT,    SEC_SURGE, SEC_POLICY,  SEC_OUTCOME};
    struct checker ck = {sc, ld, err, ld ? rs_scn_load_file(ld, 0) : sc->path};
    for (size_t s = 0; s < sizeof order / sizeof order[0]; s++) {
        int rc = check_kind(&ck, order[s]);
        if (rc) return rc;
    }
    return rs_scn_check_budget(&ck);
}

int rs_scenario_check(const struct rs_scenario *sc, struct rs_error *err)
{
    return rs_scn_check(sc, NULL, err);
}

/* ------------------------------------------------ conversations, amplification */

int rs_scn_check_think(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_type_cfg *t = sec;
    if (t->reply_back > 0 && !t->think.set)
        return rs_scn_fail(ck, kind, i, "think",
                           "required when reply_back > 0 (the author's time to write back, "
                           "such as exponential(mean=10m))");
    return RS_OK;
}

int rs_scn_check_amplify(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_channel_cfg *c = sec;
    if (c->amplify > 0 && c->visibility != RS_PUBLIC)
        return rs_scn_fail(ck, kind, i, "amplify",
                           "expected 0 on a private channel (only public complaints spread)");
    return RS_OK;
}

int rs_scn_check_amplify_delay(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_channel_cfg *c = sec;
    if (c->amplify > 0 && !c->amplify_delay.set)
        return rs_scn_fail(ck, kind, i, "amplify_delay",
                           "required when amplify > 0 (when the new complaints come, such as "
                           "exponential(mean=2h))");
    return RS_OK;
}

int rs_scn_check_move(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_channel_cfg *c = sec;
    if (c->move > 0 && c->visibility != RS_PUBLIC)
        return rs_scn_fail(ck, kind, i, "move",
                           "expected 0 on a private channel (conversations move from public to "
                           "private)");
    return RS_OK;
}

int rs_scn_check_move_to(const struct checker *ck, int kind, int i, const void *sec)
{
    const struct rs_channel_cfg *c = sec;
    if (c->move > 0 && c->move_to < 0)
        return rs_scn_fail(ck, kind, i, "move_to", "required when move > 0");
    if (c->move > 0 && c->move_to < ck->sc->n_channels &&
        ck->sc->channels[c->move_to].visibility != RS_PRIVATE)
        return rs_scn_fail(ck, kind, i, "move_to", "expected a private channel, got %s",
                           ck->sc->channels[c->move_to].name);
    return RS_OK;
}
