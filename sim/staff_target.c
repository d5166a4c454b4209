/* staff_target.c: the targets of `replysim staff` (staff.h), parsed. */
#include "replysim/staff.h"

#include "replysim/error.h"
#include "replysim/units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char target_expected[] =
    "expected sl(DURATION)>=P, sl_bh(DURATION)>=P, response_rate>=P, abandon_rate<=P, "
    "occupancy<=P, frt_pQ<=DURATION (Q 50, 90, 95, 99) or frt_mean<=DURATION, such as "
    "'sl(1h)>=0.90', each but occupancy with an optional [channel:NAME] or [type:NAME] after "
    "its name";

/* Takes a trailing "[channel:NAME]" or "[type:NAME]" off lhs into t: 0,
 * or -1 with why. */
static int scope(char *lhs, struct rs_staff_target *t, char *why, size_t len)
{
    size_t n = strlen(lhs);
    char *open = strchr(lhs, '[');
    if (!open && !strchr(lhs, ']')) return 0;
    if (!open || lhs[n - 1] != ']' || strchr(open + 1, '[') || strchr(open, ']') != lhs + n - 1) {
        rs_error_why(why, len,
                     "expected one scope [channel:NAME] or [type:NAME] after the "
                     "figure's name");
        return -1;
    }
    const char *in = open + 1;
    size_t in_len = (size_t)(lhs + n - 1 - in);
    t->scope_kind = strncmp(in, "channel:", 8) == 0 ? 1 : strncmp(in, "type:", 5) == 0 ? 2 : 0;
    size_t skip = t->scope_kind == 1 ? 8 : 5;
    if (!t->scope_kind || in_len <= skip || in_len - skip >= sizeof t->scope_name) {
        rs_error_why(why, len, "expected a scope [channel:NAME] or [type:NAME], got [%.*s]",
                     (int)in_len, in);
        return -1;
    }
    snprintf(t->scope_name, sizeof t->scope_name, "%.*s", (int)(in_len - skip), in + skip);
    *open = '\0';
    return 0;
}

/* The threshold T of "NAME(T)" into t->d_s: 1 when lhs has that form, 0
 * when not, -2 with why when T is bad. */
static int threshold(const char *lhs, const char *name, struct rs_staff_target *t, char *why,
                     size_t len)
{
    size_t n = strlen(lhs), k = strlen(name);
    if (strncmp(lhs, name, k) != 0 || lhs[k] != '(' || n < k + 2 || lhs[n - 1] != ')') return 0;
    char d[128], w[256] = "";
    snprintf(d, sizeof d, "%.*s", (int)(n - k - 2), lhs + k + 1);
    if (rs_units_duration(d, &t->d_s, w, sizeof w) || !(t->d_s > 0)) {
        rs_error_why(why, len, "%s(T): %s", name, w[0] ? w : "expected T above 0");
        return -2;
    }
    return 1;
}

/* The kinds named by a word alone, with their operator. */
static const struct {
    const char *name;
    int ge;
    enum rs_staff_kind kind;
} plain[] = {
    {"response_rate", 1, RS_STAFF_RR},    {"abandon_rate", 0, RS_STAFF_UNANSWERED},
    {"occupancy", 0, RS_STAFF_OCCUPANCY}, {"frt_mean", 0, RS_STAFF_FRT_MEAN},
    {"frt_p50", 0, RS_STAFF_FRT_Q},       {"frt_p90", 0, RS_STAFF_FRT_Q},
    {"frt_p95", 0, RS_STAFF_FRT_Q},       {"frt_p99", 0, RS_STAFF_FRT_Q},
};

/* The kind named by lhs with operator >= (ge) or <=; -1: none. */
static int target_kind(const char *lhs, int ge, struct rs_staff_target *t, char *why, size_t len)
{
    int sl = ge ? threshold(lhs, "sl", t, why, len) : 0;
    int bh = ge && !sl ? threshold(lhs, "sl_bh", t, why, len) : 0;
    if (sl < 0 || bh < 0) return -2;
    if (sl || bh) {
        t->kind = sl ? RS_STAFF_SL : RS_STAFF_SL_BH;
        return 0;
    }
    for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++) {
        if (plain[k].ge != ge || strcmp(lhs, plain[k].name) != 0) continue;
        t->kind = plain[k].kind;
        if (t->kind == RS_STAFF_FRT_Q) t->p = strtod(lhs + 5, NULL) / 100;
        return 0;
    }
    return -1;
}

/* 1 when the target's figure is a share given as P. */
static int share_goal(enum rs_staff_kind k)
{
    return k == RS_STAFF_SL || k == RS_STAFF_SL_BH || k == RS_STAFF_RR ||
           k == RS_STAFF_UNANSWERED || k == RS_STAFF_OCCUPANCY;
}

/* The goal from rhs, by kind. */
static int target_goal(const char *rhs, struct rs_staff_target *t, char *why, size_t len)
{
    char w[256] = "";
    if (share_goal(t->kind)) {
        int ge = t->kind == RS_STAFF_SL || t->kind == RS_STAFF_SL_BH || t->kind == RS_STAFF_RR;
        if (rs_units_prob(rhs, &t->p, w, sizeof w) || (ge ? t->p <= 0 : t->p >= 1)) {
            rs_error_why(why, len, "%s",
                         w[0] ? w
                         : ge ? "expected a share above 0"
                              : "expected a share below 1");
            return -1;
        }
        t->ge = ge;
        t->goal = t->p;
        return 0;
    }
    if (rs_units_duration(rhs, &t->d_s, w, sizeof w) || !(t->d_s > 0)) {
        rs_error_why(why, len, "%s", w[0] ? w : "expected a duration above 0 such as 4h");
        return -1;
    }
    t->ge = t->kind == RS_STAFF_FRT_Q;
    t->goal = t->kind == RS_STAFF_FRT_Q ? t->p : t->d_s;
    return 0;
}

/* The name of the target's figure in staffing.csv. */
static void target_metric(struct rs_staff_target *t)
{
    static const char *const fixed[] = {
        [RS_STAFF_RR] = "response_rate",
        [RS_STAFF_FRT_MEAN] = "frt_mean_s",
        [RS_STAFF_UNANSWERED] = "unanswered_rate",
        [RS_STAFF_OCCUPANCY] = "occupancy",
    };
    char label[32];
    rs_units_label_duration(t->d_s, label, sizeof label);
    if (t->kind == RS_STAFF_SL)
        snprintf(t->metric, sizeof t->metric, "sl_%s", label);
    else if (t->kind == RS_STAFF_SL_BH)
        snprintf(t->metric, sizeof t->metric, "sl_bh_%s", label);
    else if (t->kind == RS_STAFF_FRT_Q)
        snprintf(t->metric, sizeof t->metric, "answered_within_%s", label);
    else
        snprintf(t->metric, sizeof t->metric, "%s", fixed[t->kind]);
}

int rs_staff_target_parse(const char *text, struct rs_staff_target *t, char *why, size_t len)
{
    char s[128];
    size_t n = 0;
    for (const char *p = text; *p; p++)
        if (*p != ' ' && *p != '\t' && n + 1 < sizeof s) s[n++] = *p;
    s[n] = '\0';
    memset(t, 0, sizeof *t);
    snprintf(t->text, sizeof t->text, "%s", s);
    const char *ge = strstr(s, ">="), *le = strstr(s, "<=");
    const char *op = ge ? ge : le;
    int rc = -1;
    if (op && !(ge && le)) {
        char lhs[128];
        snprintf(lhs, sizeof lhs, "%.*s", (int)(op - s), s);
        if (scope(lhs, t, why, len)) return -1;
        rc = target_kind(lhs, ge != NULL, t, why, len);
    }
    if (rc == -1) rs_error_why(why, len, "%s", target_expected);
    if (rc || target_goal(op + 2, t, why, len)) return -1;
    if (t->scope_kind && t->kind == RS_STAFF_OCCUPANCY) {
        rs_error_why(why, len, "expected occupancy without a scope (it is the agents')");
        return -1;
    }
    target_metric(t);
    if (t->scope_kind) {
        size_t m = strlen(t->metric);
        snprintf(t->metric + m, sizeof t->metric - m, "[%s:%s]",
                 t->scope_kind == 1 ? "channel" : "type", t->scope_name);
    }
    return 0;
}
