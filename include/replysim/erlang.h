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

#endif
