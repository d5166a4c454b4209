/* outcome.c: the outcome model of OUTCOMES.md; forms and defaults in
 * outcome.h and README.md ("Outcome model"). */
#include "replysim/outcome.h"

#include <math.h>

void rs_outcome_defaults(struct rs_outcome_cfg *c)
{
    *c = (struct rs_outcome_cfg){
        .tau_s = 12 * 60,
        .phi = 0.10,
        .recommend_p1 = 0.71,
        .recommend_p0 = 0.19,
        /* the median of the three Twitter 2016 studies (airline 0.08, quick-service
         * food 0.20, telecom 0.22): a scenario's industry is not known */
        .spend_s = 0.20,
        .spend_cap = 0.40,
        .defect_d = 0.27,
        .defect_kappa = 0.5,
        .negative_a = 0.45,
        .positive_b = 0.30,
        .onlooker_less = 0.883,
        .onlooker_delta = 0.1,
        .onlooker_purchase = 0.02,
        .complaint_types = RS_OUTCOME_REPLY_TYPES,
    };
}

double rs_outcome_goodwill(const struct rs_outcome_cfg *c, int answered, double latency_s)
{
    if (!answered) return 0;
    return c->phi + (1 - c->phi) * exp(-latency_s / c->tau_s);
}

void rs_outcome_effects(const struct rs_outcome_cfg *c, double g, double value, double followers,
                        int public_, int complaint, struct rs_outcome_sums *out)
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

void rs_outcome_add(const struct rs_outcome_cfg *c, struct rs_outcome_sums *s, int answered,
                    double latency_s, double value, double followers, int public_, int complaint)
{
    struct rs_outcome_sums d;
    rs_outcome_effects(c, rs_outcome_goodwill(c, answered, latency_s), value, followers, public_,
                       complaint, &d);
    rs_outcome_sum(s, &d);
}
