/* units.h: the unit syntax of scenario files (docs/scenario-reference.md section 2).
 *
 * Simulation time is in seconds everywhere inside replysim.  Durations in
 * scenario files carry a unit (s, m, h, d, w); rates are N/s, N/m, N/h, N/d;
 * clock times are HH:MM; days are mon..sun.
 *
 * Parsers take the whole text (surrounding blanks allowed), return RS_OK or
 * RS_EINPUT and, on error, write what was expected into why (lowercase, no
 * full stop), e.g. `expected a duration such as 5m, got "5"`. */
#ifndef RS_UNITS_H
#define RS_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* A duration with a unit: "90s", "5m", "1.5h", "2d", "1w", and sums written
 * without blanks such as "2d14h" or "1h30m".  Must be finite and >= 0. */
int rs_units_duration(const char *text, double *out_s, char *why, size_t why_len);

/* A rate "N/s", "N/m", "N/h" or "N/d" (N >= 0, finite), in events per second. */
int rs_units_rate(const char *text, double *out_per_s, char *why, size_t why_len);

/* A plain finite number (unitless keys). */
int rs_units_number(const char *text, double *out, char *why, size_t why_len);

/* A whole number in [min, max]. */
int rs_units_int(const char *text, long min, long max, long *out, char *why, size_t why_len);

/* A probability in [0, 1]. */
int rs_units_prob(const char *text, double *out, char *why, size_t why_len);

/* A clock time "HH:MM" (00:00 to 24:00), in seconds after midnight. */
int rs_units_clock(const char *text, double *out_s, char *why, size_t why_len);

/* A weekday "mon".."sun" (case-insensitive): 0 = mon .. 6 = sun. */
int rs_units_weekday(const char *text, int *out_day, char *why, size_t why_len);

/* Writes a duration in the shortest form that parses back to exactly the same
 * double, never a bare number: 300 -> "5m", 1800 -> "30m", 5400 -> "1.5h",
 * 45 -> "45s", 0.25 -> "0.25s", 0 -> "0s".  Length counts digits, not the
 * decimal point, ties go to the larger unit (90 -> "1.5m"), and no unit above
 * s is used for a value below 1 in it ("30m", not "0.5h"). */
void rs_units_format_duration(double s, char *buf, size_t len);

/* Writes a rate as "N/h" (or "N/s" when that is shorter), exact round trip. */
void rs_units_format_rate(double per_s, char *buf, size_t len);

/* Writes a double with the fewest significant digits (up to 17) that read
 * back to the same value, in the C locale: "0.1", "2.5e-07", "inf", "nan". */
void rs_units_format_number(double x, char *buf, size_t len);

/* A duration for people to read in tables (never CSV, which keeps
 * seconds): "45s", "2.5s", "12m 30s", "12m", "4.2h" (under 48 h), "3.5d";
 * a minus sign when negative, "-" for NaN. */
void rs_units_human_duration(double s, char *buf, size_t len);

/* Label of a duration for metric names such as sl_30m: the same text as
 * rs_units_format_duration, e.g. 1800 s -> "30m", 3600 s -> "1h". */
void rs_units_label_duration(double s, char *buf, size_t len);

/* A seed: a whole number from 0 to 2^64-1 in decimal, nothing else (no
 * sign, blank or 0x).  0, or -1 on bad text with *out untouched. */
int rs_units_seed(const char *text, uint64_t *out);

/* An ISO 8601 timestamp "YYYY-MM-DDTHH:MM[:SS[.fff]]" (a blank for the T
 * allowed) with an optional zone "Z", "+HH:MM", "+HHMM" or "+HH" (none:
 * UTC), in seconds since 1970-01-01 UTC; *offset_s (may be NULL) gets the
 * zone's offset east of UTC in seconds. */
int rs_units_timestamp(const char *text, double *unix_s, int *offset_s, char *why, size_t why_len);

/* Days from 1970-01-01 to the date y-m-d (proleptic Gregorian), and
 * whether y-m-d is a date. */
long rs_units_civil_days(long y, int m, int d);
int rs_units_valid_date(int y, int m, int d);

#endif
