/* outcome.h: the outcome model of OUTCOMES.md (SPEC section 6).
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
 * section [outcome]); the sums are plain doubles in each scope's stats. */
#ifndef RS_OUTCOME_H
#define RS_OUTCOME_H

#include <stdint.h>

/* complaint_types value meaning "every type that needs a reply" (default):
 * a scenario built in code does not know its types when defaults are set. */
#define RS_OUTCOME_REPLY_TYPES UINT32_MAX

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
                               * (RS_OUTCOME_REPLY_TYPES) */
};

/* Expected effects, summed over messages (see the top). */
struct rs_outcome_sums {
    double recommenders;
    double spend_uplift;      /* in the unit of the types' value */
    double defectors;
    double negative_posts;
    double negative_reach;    /* followers */
    double positive_shares;
    double onlooker_loss;     /* purchases */
};

/* Fills c with the defaults of OUTCOMES.md (values above). */
void rs_outcome_defaults(struct rs_outcome_cfg *c);

/* G: phi + (1 - phi) exp(-latency_s / tau_s) when answered, else 0. */
double rs_outcome_goodwill(const struct rs_outcome_cfg *c, int answered, double latency_s);

/* One message's expected effects at goodwill g into *out (overwritten).
 * complaint: its type counts as a complaint; public_: posted on a public
 * channel. */
void rs_outcome_effects(const struct rs_outcome_cfg *c, double g, double value, double followers,
                        int public_, int complaint, struct rs_outcome_sums *out);

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

/* Adds one message's expected effects to *s: goodwill, then effects. */
void rs_outcome_add(const struct rs_outcome_cfg *c, struct rs_outcome_sums *s, int answered,
                    double latency_s, double value, double followers, int public_, int complaint);

#endif
