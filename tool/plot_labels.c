/* plot_labels.c: what people read on an axis instead of a metric's or a
 * key's name: a table of metrics (name, words, kind of unit) and of
 * scenario keys.  Shares are drawn as %, durations in minutes or hours,
 * counts as they are. */
#include "plot.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

enum kind { SHARE, SECONDS, COUNT };

/* The first matching pattern wins; %s in the words is the metric's
 * threshold (sl_1h: "1h") or percentile (wait_p90_s: "90"). */
static const struct {
    const char *pattern;
    const char *words;
    enum kind kind;
} metrics[] = {
    {"response_rate", "response rate", SHARE},
    {"answered_late_rate", "answered after they stopped waiting", SHARE},
    {"lapsed_rate", "never answered in time (lapsed)", SHARE},
    {"abandon_rate", "abandoned", SHARE},
    {"dropped_rate", "dropped as too old", SHARE},
    {"blocked_rate", "refused by a full inbox", SHARE},
    {"bot_rate", "resolved by the bot", SHARE},
    {"waited_rate", "found no free agent", SHARE},
    {"unanswered_rate", "left unanswered", SHARE},
    {"resolved_rate", "conversations resolved", SHARE},
    {"moved_rate", "conversations moved to private", SHARE},
    {"sl_bh_*", "answered within %s of business hours", SHARE},
    {"sl_next_*", "later messages answered within %s", SHARE},
    {"sl_*", "answered within %s", SHARE},
    {"answered_within_*", "answered within %s", SHARE},
    {"wait_within_*", "taken by an agent within %s", SHARE},
    {"occupancy", "agents' occupancy", SHARE},
    {"wait_mean_s", "mean wait for an agent", SECONDS},
    {"wait_p*_s", "wait for an agent, %sth percentile", SECONDS},
    {"frt_mean_s", "mean first response time", SECONDS},
    {"frt_p*_s", "first response time, %sth percentile", SECONDS},
    {"frt_bh_mean_s", "mean first response time in business hours", SECONDS},
    {"frt_bh_p*_s", "first response time in business hours, %sth percentile", SECONDS},
    {"resolution_mean_s", "mean time to resolve a conversation", SECONDS},
    {"resolution_p*_s", "time to resolve a conversation, %sth percentile", SECONDS},
    {"nrt_mean_s", "mean next reply time", SECONDS},
    {"nrt_p*_s", "next reply time, %sth percentile", SECONDS},
    {"*_s", "%s", SECONDS},
    {"offered", "messages arrived", COUNT},
    {"needing_reply", "messages needing a reply", COUNT},
    {"followups", "follow-up messages", COUNT},
    {"switches", "customers who switched channel", COUNT},
    {"queue_mean", "messages waiting (time-average)", COUNT},
    {"queue_max", "most messages waiting at once", COUNT},
    {"backlog_end", "messages still waiting at the end", COUNT},
    {"conversations", "conversations", COUNT},
    {"turns_mean", "agent replies per conversation", COUNT},
    {"amplified", "messages caused by amplification", COUNT},
    {"surge_agent_hours", "surge agents' hours on", COUNT},
    {"recommenders", "customers who recommend the brand", COUNT},
    {"spend_uplift", "extra spend of customers who stay", COUNT},
    {"positive_shares", "good experiences shared", COUNT},
    {"defectors", "customers lost (complaints)", COUNT},
    {"negative_posts", "negative posts", COUNT},
    {"negative_reach", "followers reached by negative posts", COUNT},
    {"onlooker_loss", "purchases lost among onlookers", COUNT},
};

/* Scenario keys as swept: the words of an x axis. */
static const struct {
    const char *pattern, *words;
} keys[] = {
    {"staff.agents", "agents"},
    {"staff.schedule", "schedule"},
    {"policy.order", "reply order"},
    {"policy.*", "policy: %s"},
    {"channel.*.rate", "arrival rate of %s"},
    {"type.*.handle", "handle time of %s"},
    {"type.*.patience", "patience of %s"},
    {"bot.*", "bot: %s"},
};

/* The part of name the pattern's * stands for (first *), into out. */
static void star_part(const char *pattern, const char *name, char *out, size_t len)
{
    const char *star = strchr(pattern, '*');
    size_t pre = star ? (size_t)(star - pattern) : 0, post = star ? strlen(star + 1) : 0;
    size_t n = strlen(name);
    if (!star || n < pre + post) {
        snprintf(out, len, "%s", name);
        return;
    }
    snprintf(out, len, "%.*s", (int)(n - pre - post), name + pre);
}

/* words with its "%s" (if any) replaced by part, into out. */
static void fill_in(const char *words, const char *part, char *out, size_t len)
{
    const char *at = strstr(words, "%s");
    if (!at)
        snprintf(out, len, "%s", words);
    else
        snprintf(out, len, "%.*s%s%s", (int)(at - words), words, part, at + 2);
}

double rs_plot_metric_label(const char *metric, double max_value, char *label, size_t len)
{
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
        if (fnmatch(metrics[i].pattern, metric, 0)) continue;
        char part[RS_PLOT_MAX_TEXT + 1], words[2 * RS_PLOT_MAX_TEXT];
        star_part(metrics[i].pattern, metric, part, sizeof part);
        fill_in(metrics[i].words, part, words, sizeof words);
        if (metrics[i].kind == SHARE) {
            snprintf(label, len, "%s (%%)", words);
            return 100;
        }
        if (metrics[i].kind == SECONDS) {
            int hours = max_value >= 2 * 3600;
            snprintf(label, len, "%s (%s)", words, hours ? "hours" : "minutes");
            return hours ? 1.0 / 3600 : 1.0 / 60;
        }
        snprintf(label, len, "%s", words);
        return 1;
    }
    snprintf(label, len, "%s", metric);
    return 1;
}

void rs_plot_key_label(const char *key, char *label, size_t len)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (fnmatch(keys[i].pattern, key, 0)) continue;
        char part[RS_PLOT_MAX_TEXT + 1];
        star_part(keys[i].pattern, key, part, sizeof part);
        fill_in(keys[i].words, part, label, len);
        return;
    }
    snprintf(label, len, "%s", key);
}
