/* erlang.h: analytic queueing figures for sizing and for validation.
 *
 * Erlang B (M/M/c/c), Erlang C (M/M/c) and Erlang A (M/M/c+M, Palm's model
 * with exponential patience).  Rates are per second, times in seconds. */
#ifndef RS_ERLANG_H
#define RS_ERLANG_H

/* Erlang B blocking probability for `agents` servers and offered load
 * `load_erl` = rate * handle_mean (Erlangs); stable recursion. */
double rs_erlang_b(int agents, double load_erl);

/* Erlang C probability of waiting; 1 when load_erl >= agents. */
double rs_erlang_c(int agents, double load_erl);

struct rs_erlang_in {
    double rate_per_s;      /* arrival rate */
    double handle_mean_s;   /* mean of the exponential handle time */
    double patience_mean_s; /* mean exponential patience; INFINITY: none (Erlang C) */
    int agents;             /* number of agents, >= 1 */
    double within_s;        /* threshold T of the service level */
};

struct rs_erlang_out {
    double load_erl;           /* offered load a = rate * handle_mean */
    double p_block_b;          /* Erlang B: blocked with no waiting room */
    double p_wait;             /* arrival finds all agents busy */
    double p_abandon;          /* abandons before service (0 for Erlang C) */
    double wait_mean_s;        /* mean time in queue, over all arrivals */
    double wait_mean_served_s; /* mean wait of those served */
    double service_level;      /* P(taken by an agent within within_s) over all arrivals */
    double occupancy;          /* busy agents / agents */
    double queue_mean;         /* mean number waiting */
    int stable;                /* 0 for Erlang C with load >= agents */
};

/* Computes every figure.  Returns RS_OK, or RS_EINPUT for invalid input
 * (agents < 1, non-positive rate or handle time, negative T) with a message
 * in why.  An unstable Erlang C system returns RS_OK with stable = 0 and
 * infinite waits. */
int rs_erlang_compute(const struct rs_erlang_in *in, struct rs_erlang_out *out, char *why,
                      unsigned long why_len);

/* What a target bounds (rs_erlang_solve). */
enum rs_erlang_goal {
    RS_ERLANG_SL,        /* service_level at within_s >= bound */
    RS_ERLANG_WAIT_MEAN, /* wait_mean_s (all arrivals) <= bound seconds */
    RS_ERLANG_P_WAIT,    /* p_wait <= bound */
    RS_ERLANG_ABANDON,   /* p_abandon <= bound (Erlang A only) */
    RS_ERLANG_OCCUPANCY  /* occupancy <= bound */
};

struct rs_erlang_target {
    enum rs_erlang_goal goal;
    double within_s; /* T of RS_ERLANG_SL */
    double bound;    /* the share or the seconds */
};

/* Largest number of agents rs_erlang_solve tries. */
#define RS_ERLANG_MAX_AGENTS 100000

struct rs_erlang_solution {
    int agents;      /* fewest agents on the floor meeting every target */
    int paid_agents; /* ceil(agents / (1 - shrinkage)) */
    /* figures at agents (service_level at the first SL target's T, or at
     * in->within_s without one) */
    struct rs_erlang_out out;
};

/* 1 when out (computed at within_s = t->within_s for an SL target) meets t. */
int rs_erlang_meets(const struct rs_erlang_target *t, const struct rs_erlang_out *out);

/* Finds the fewest agents in [from, to] (to <= RS_ERLANG_MAX_AGENTS) meeting
 * all n targets for in's rate, handle time and patience (in->agents is
 * ignored); every figure bounded falls (service level rises) as agents
 * rise, so the search gallops up from the offered load (Erlang C: the
 * first stable count) and bisects.  shrinkage in [0, 1) gives paid_agents.
 * Returns RS_OK, or RS_EINPUT with a one-line message in why: an invalid
 * input or target, an abandonment target without patience, or a target no
 * count up to `to` meets (sl(T)>=1 and bounds of 0 never are). */
int rs_erlang_solve(const struct rs_erlang_in *in, const struct rs_erlang_target *targets, int n,
                    int from, int to, double shrinkage, struct rs_erlang_solution *sol, char *why,
                    unsigned long why_len);

#endif
