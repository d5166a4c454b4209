/* outcome.h: the outcome model of docs/outcomes.md (docs/scenario-reference.md section 6).
 *
 * Each inbox message that needed a reply turns, by whether and how fast it
 * was answered, into business effects.  The goodwill kernel
 *
 *     G(L) = phi + (1 - phi) exp(-L / tau)    answered, L = first response time
 *     G    = 0                                unanswered (lapsed and withdrawn,
 *                                             dropped, open when the run stops)
 *
 * enters every effect linearly.  Every effect is an expected value: the
 * model adds probabilities (and probability-weighted amounts), it draws no
 * random numbers, so a replication's sums are expectations given the
 * latencies it simulated.  Per message (value = the type's value,
 * followers = the author's follower count):
 *
 *     recommenders     p0 + (p1 - p0) G          expected authors who recommend the brand
 *     spend_uplift     value min(s G, cap)       expected extra spend of authors who stay
 *     defectors        kappa d (1 - G)           complaints only: expected customers lost
 *     negative_posts   a (1 - G)                 expected negative public posts
 *     negative_reach   a (1 - G) followers       expected followers reached by them
 *     positive_shares  b G                       expected shares of a good experience
 *     onlooker_loss    (1 - G) followers purchase less delta
 *                                                complaints on public channels only:
 *                                                expected purchases lost among onlookers
 *
 * Configuration is a plain struct (in struct rs_scenario as `outcome`,
 * section [outcome]); the sums are plain doubles in each scope's stats.
 * The simulator records each message into a struct rs_outcome_acc of its
 * (channel, type) pair (four sums) and turns those into the seven effects
 * of each scope at the end of the run (rs_outcome_total). */
#ifndef RS_OUTCOME_H
#define RS_OUTCOME_H

#include <math.h>
#include <stdint.h>

/* complaint_types value meaning "the type named complaint, if any"
 * (default): a scenario built in code does not know its types when
 * defaults are set.  Questions, praise and the like are not complaints
 * unless the scenario says so (rs_scenario_complaint_mask resolves it). */
#define RS_OUTCOME_COMPLAINT_NAMED UINT32_MAX

struct rs_outcome_cfg {
    double tau_s;             /* goodwill decay time, seconds (12m) */
    double phi;               /* goodwill floor of a late reply (0.10) */
    double recommend_p1;      /* P(recommend) after a quick reply, G = 1 (0.71) */
    double recommend_p0;      /* P(recommend) with no reply, G = 0 (0.19) */
    double spend_s;           /* spend multiplier slope: uplift s G (0.20) */
    double spend_cap;         /* most spend uplift, as a share of value (0.40) */
    double defect_d;          /* P(an ignored complainer stops buying), stated (0.27) */
    double defect_kappa;      /* share of stated intent that is acted on (0.5, assumption) */
    double negative_a;        /* P(an ignored author posts negatively) (0.45) */
    double positive_b;        /* P(a well-served author shares it) (0.30) */
    double onlooker_less;     /* share of onlookers less likely to buy (0.883) */
    double onlooker_delta;    /* how much less likely (0.1, assumption) */
    double onlooker_purchase; /* P(an onlooker would have bought) (0.02, assumption) */
    uint32_t complaint_types; /* bit t: type t's messages are complaints, for defectors and
                               * onlookers; only types that need a reply count
                               * (RS_OUTCOME_COMPLAINT_NAMED) */
};

/* Expected effects, summed over messages (see the top). */
struct rs_outcome_sums {
    double recommenders;
    double spend_uplift; /* in the unit of the types' value */
    double defectors;
    double negative_posts;
    double negative_reach; /* followers */
    double positive_shares;
    double onlooker_loss; /* purchases */
};

/* Fills c with the defaults of docs/outcomes.md (values above). */
void rs_outcome_defaults(struct rs_outcome_cfg *c);

/* G: phi + (1 - phi) exp(-latency_s / tau_s) when answered, else 0.
 * Inline, with rs_outcome_effects: they run once per message. */
static inline double rs_outcome_goodwill(const struct rs_outcome_cfg *c, int answered,
                                         double latency_s)
{
    if (!answered) return 0;
    return c->phi + (1 - c->phi) * exp(-latency_s / c->tau_s);
}

/* One message's expected effects at goodwill g into *out (overwritten).
 * complaint: its type counts as a complaint; public_: posted on a public
 * channel. */
static inline void rs_outcome_effects(const struct rs_outcome_cfg *c, double g, double value,
                                      double followers, int public_, int complaint,
                                      struct rs_outcome_sums *out)
{
    double miss = 1 - g;
    double uplift = c->spend_s * g;
    double negative = c->negative_a * miss;
    out->recommenders = c->recommend_p0 + (c->recommend_p1 - c->recommend_p0) * g;
    out->spend_uplift = value * (uplift < c->spend_cap ? uplift : c->spend_cap);
    out->defectors = complaint ? c->defect_kappa * c->defect_d * miss : 0;
    out->negative_posts = negative;
    out->negative_reach = negative * followers;
    out->positive_shares = c->positive_b * g;
    out->onlooker_loss = complaint && public_ ? miss * followers * c->onlooker_purchase *
                                                    c->onlooker_less * c->onlooker_delta
                                              : 0;
}

/* *into += *d, field by field. */
static inline void rs_outcome_sum(struct rs_outcome_sums *into, const struct rs_outcome_sums *d)
{
    into->recommenders += d->recommenders;
    into->spend_uplift += d->spend_uplift;
    into->defectors += d->defectors;
    into->negative_posts += d->negative_posts;
    into->negative_reach += d->negative_reach;
    into->positive_shares += d->positive_shares;
    into->onlooker_loss += d->onlooker_loss;
}

/* What the simulator keeps per (channel, type) pair, where value, public_
 * and complaint are the same for every message: the effects are linear in
 * G but for the spend cap, so four sums give all seven (rs_outcome_total)
 * at a fraction of the cost of rs_outcome_add per message. */
struct rs_outcome_acc {
    double n;              /* messages */
    double g;              /* sum of G */
    double spend;          /* sum of min(spend_s G, spend_cap) */
    double followers_miss; /* sum of followers (1 - G) */
};

/* Records one message's fate into *a. */
static inline void rs_outcome_record(const struct rs_outcome_cfg *c, struct rs_outcome_acc *a,
                                     int answered, double latency_s, double followers)
{
    double g = rs_outcome_goodwill(c, answered, latency_s);
    double uplift = c->spend_s * g;
    a->n += 1;
    a->g += g;
    a->spend += uplift < c->spend_cap ? uplift : c->spend_cap;
    a->followers_miss += followers * (1 - g);
}

/* Adds to *s the expected effects of the messages recorded in *a, all of
 * one type (value, complaint) on one channel (public_): the sums of
 * rs_outcome_effects over them, up to rounding. */
void rs_outcome_total(const struct rs_outcome_cfg *c, const struct rs_outcome_acc *a, double value,
                      int public_, int complaint, struct rs_outcome_sums *s);

struct rs_scenario;

/* The expected effects of the messages of type `type` on channel `channel`
 * of sc recorded in *a, into *out (overwritten): rs_outcome_total with the
 * type's value, the channel's visibility, and the type counted as a
 * complaint when it needs a reply and is among sc's complaint_types. */
void rs_outcome_summarize(const struct rs_scenario *sc, int channel, int type,
                          const struct rs_outcome_acc *a, struct rs_outcome_sums *out);

/* Adds one message's expected effects to *s: goodwill, then effects. */
void rs_outcome_add(const struct rs_outcome_cfg *c, struct rs_outcome_sums *s, int answered,
                    double latency_s, double value, double followers, int public_, int complaint);

#endif
