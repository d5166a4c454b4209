/* csvout.h: the fields of the CSV files replysim writes.
 *
 * Numbers are written in the C locale with the fewest digits that read
 * back exactly; an undefined value (NaN) is an empty field. */
#ifndef RS_CSVOUT_H
#define RS_CSVOUT_H

#include <stdio.h>

/* A string field, quoted only when it holds a comma, quote or newline. */
void rs_csvout_field(FILE *f, const char *s);

/* A number field; nothing for NaN. */
void rs_csvout_number(FILE *f, double x);

#endif
