/* outcome.c: the outcome model of docs/outcomes.md; forms and defaults in
 * outcome.h and README.md ("Outcome model"). */
#include "replysim/outcome.h"

#include "replysim/scenario.h"

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
        .complaint_types = RS_OUTCOME_COMPLAINT_NAMED,
    };
}

void rs_outcome_add(const struct rs_outcome_cfg *c, struct rs_outcome_sums *s, int answered,
                    double latency_s, double value, double followers, int public_, int complaint)
{
    struct rs_outcome_sums d;
    rs_outcome_effects(c, rs_outcome_goodwill(c, answered, latency_s), value, followers, public_,
                       complaint, &d);
    rs_outcome_sum(s, &d);
}

void rs_outcome_total(const struct rs_outcome_cfg *c, const struct rs_outcome_acc *a, double value,
                      int public_, int complaint, struct rs_outcome_sums *s)
{
    double miss = a->n - a->g; /* sum of 1 - G */
    s->recommenders += c->recommend_p0 * a->n + (c->recommend_p1 - c->recommend_p0) * a->g;
    s->spend_uplift += value * a->spend;
    if (complaint) s->defectors += c->defect_kappa * c->defect_d * miss;
    s->negative_posts += c->negative_a * miss;
    s->negative_reach += c->negative_a * a->followers_miss;
    s->positive_shares += c->positive_b * a->g;
    if (complaint && public_)
        s->onlooker_loss +=
            a->followers_miss * c->onlooker_purchase * c->onlooker_less * c->onlooker_delta;
}

void rs_outcome_summarize(const struct rs_scenario *sc, int channel, int type,
                          const struct rs_outcome_acc *a, struct rs_outcome_sums *out)
{
    const struct rs_type_cfg *tc = &sc->types[type];
    int complaint = (int)(rs_scenario_complaint_mask(sc) >> type & 1u);
    int public_ = sc->channels[channel].visibility == RS_PUBLIC;
    *out = (struct rs_outcome_sums){0};
    rs_outcome_total(&sc->outcome, a, tc->value, public_, complaint, out);
}
