/* fmt.h: doubles as text, shortest round trip (engine-internal).
 *
 * rs_fmt_double writes the fewest significant digits that read back (by
 * strtod) as exactly x, the closest to x among them, in the C locale, laid
 * out as printf's %.Pg with P = max(15, digits): the text replysim wrote
 * when it tried %.15g, %.16g and %.17g in turn, found without trying. */
#ifndef RS_FMT_H
#define RS_FMT_H

#define RS_FMT_MAX 32 /* bytes of the longest text, with its NUL */

/* Writes x into buf (RS_FMT_MAX bytes): digits, "inf", "-inf" or "nan".
 * Returns the length written. */
int rs_fmt_double(double x, char *buf);

#endif
