/* ivstore.h: the per-replication rows of stats intervals of a run, and
 * their summaries across replications (engine-internal).
 *
 * Rows up to RS_IVSTORE_MEM_MAX bytes in all are kept in memory; beyond,
 * in an unlinked temporary file (tmpfile), each at its own offset, so the
 * bytes do not depend on which thread wrote which replication or when.
 * Reads go through a block of intervals across all replications, so a
 * pass over the intervals in order reads the file once.  Either way the
 * values, and every file written from them, are the same. */
#ifndef RS_IVSTORE_H
#define RS_IVSTORE_H

#include "replysim/summary.h"

#include <stddef.h>

#define RS_IVSTORE_MEM_MAX ((size_t)1 << 20)
#define RS_IVSTORE_BLOCK ((size_t)1 << 19) /* bytes of the read block, about */

struct rs_ivstore;

/* reps x n_iv rows of nm values.  none: nothing will be stored, every
 * value is NaN (a run that does not ask for intervals).  mem_max: most
 * bytes kept in memory (RS_IVSTORE_MEM_MAX). */
struct rs_ivstore *rs_ivstore_create(int reps, int n_iv, int nm, int none, size_t mem_max);
void rs_ivstore_destroy(struct rs_ivstore *s);

/* Row i of replication rep.  Calls for one rep come from one thread at a
 * time; different reps may be put at once.  rs_ivstore_flush(rep) after
 * the last row of rep. */
void rs_ivstore_put(struct rs_ivstore *s, int rep, int i, const double *row);
void rs_ivstore_flush(struct rs_ivstore *s, int rep);

/* 0, or the errno of the first write to the temporary file that failed. */
int rs_ivstore_error(const struct rs_ivstore *s);

/* Value m of row i of rep; the summary of value m of row i across reps.
 * After every rep is flushed; safe from several threads. */
double rs_ivstore_get(struct rs_ivstore *s, int rep, int i, int m);
void rs_ivstore_summary(struct rs_ivstore *s, int i, int m, struct rs_summary *out);

/* 1 when the rows went to a file. */
int rs_ivstore_spilled(const struct rs_ivstore *s);

#endif
