/* fmt.c: shortest round-trip formatting of doubles, by Ryu's method
 * (Ulf Adams, "Ryu: fast float-to-string conversion", PLDI 2018).
 *
 * A finite double x = m2 * 2^e2 has a rounding interval: the reals that
 * read back as x.  Scaled by 4 (so that its bounds are integers) and
 * multiplied by a power of ten, fixed-point with 128-bit products against
 * the tables of sim/fmt_tables.h, it gives three integers vm < vr < vp,
 * the interval's bounds and x in units of 10^e10.  Digits are removed from
 * all three while the bounds still differ, and the last removed digit of
 * vr rounds the result.  Where the products cannot tell whether the
 * removed digits are exactly zero (a bound exactly representable, or a tie
 * between two candidates), the slower path tracks it exactly.  The result
 * is the fewest digits in the interval and, among those, the closest to x:
 * no trial printing, no strtod. */
#include "fmt.h"

#include "fmt_tables.h"

#include <math.h>
#include <string.h>

typedef unsigned __int128 u128;

#define MANT_BITS 52
#define EXP_BITS 11
#define EXP_BIAS 1023

/* floor(log10(2^e)) and floor(log10(5^e)), 0 <= e <= 1650; the bit length
 * of 5^e, 0 <= e <= 3528 (the constants are the Ryu paper's). */
static inline uint32_t log10_pow2(int32_t e) { return ((uint32_t)e * 78913u) >> 18; }
static inline uint32_t log10_pow5(int32_t e) { return ((uint32_t)e * 732923u) >> 20; }
static inline int32_t pow5_bits(int32_t e) { return (int32_t)(((uint32_t)e * 1217359u) >> 19) + 1; }

static inline int multiple_of_pow5(uint64_t v, uint32_t p)
{
    uint32_t count = 0;
    while (v % 5 == 0 && count < p) {
        v /= 5;
        count++;
    }
    return count >= p;
}

static inline int multiple_of_pow2(uint64_t v, uint32_t p)
{
    return p < 64 && (v & ((1ull << p) - 1)) == 0;
}

/* (m * mul) >> j for a 128-bit mul, j >= 64. */
static inline uint64_t mul_shift(uint64_t m, const uint64_t mul[2], int32_t j)
{
    u128 lo = (u128)m * mul[0], hi = (u128)m * mul[1];
    return (uint64_t)(((lo >> 64) + hi) >> (j - 64));
}

/* The shortest decimal digits * 10^exp10 that read back as the double of
 * mantissa field mant and exponent field ex (finite, not zero). */
struct decimal {
    uint64_t digits;
    int32_t exp10;
};

/* vr, vp, vm for e2 >= 0, and whether the removed digits of vr and vm are
 * all zero (only decidable, and only needed, for small q). */
struct scaled {
    uint64_t vr, vp, vm;
    int32_t e10;
    int vr_zeros, vm_zeros;
};

static void scale(uint64_t m2, int32_t e2, int accept, uint32_t mm_shift, struct scaled *s)
{
    uint64_t mv = 4 * m2;
    s->vr_zeros = s->vm_zeros = 0;
    if (e2 >= 0) {
        uint32_t q = log10_pow2(e2) - (e2 > 3);
        s->e10 = (int32_t)q;
        int32_t k = FMT_POW5_INV_BITS + pow5_bits((int32_t)q) - 1;
        int32_t i = -e2 + (int32_t)q + k;
        const uint64_t *mul = FMT_POW5_INV[q];
        s->vr = mul_shift(mv, mul, i);
        s->vp = mul_shift(mv + 2, mul, i);
        s->vm = mul_shift(mv - 1 - mm_shift, mul, i);
        if (q <= 21) { /* only then can 5^q divide a 55-bit mv */
            if (mv % 5 == 0)
                s->vr_zeros = multiple_of_pow5(mv, q);
            else if (accept)
                s->vm_zeros = multiple_of_pow5(mv - 1 - mm_shift, q);
            else
                s->vp -= (uint64_t)multiple_of_pow5(mv + 2, q);
        }
    } else {
        uint32_t q = log10_pow5(-e2) - (-e2 > 1);
        s->e10 = (int32_t)q + e2;
        int32_t i = -e2 - (int32_t)q;
        int32_t k = pow5_bits(i) - FMT_POW5_BITS;
        int32_t j = (int32_t)q - k;
        /* 0 <= i < FMT_POW5_N: q <= -e2 - 1 for -e2 > 1 */
        // cppcheck-suppress negativeIndex
        const uint64_t *mul = FMT_POW5[i];
        s->vr = mul_shift(mv, mul, j);
        s->vp = mul_shift(mv + 2, mul, j);
        s->vm = mul_shift(mv - 1 - mm_shift, mul, j);
        if (q <= 1) { /* mv is a multiple of 2^q: exact */
            s->vr_zeros = 1;
            if (accept)
                s->vm_zeros = mm_shift == 1;
            else
                s->vp--;
        } else if (q < 63) {
            s->vr_zeros = multiple_of_pow2(mv, q);
        }
    }
}

static struct decimal shortest(uint64_t mant, uint32_t ex)
{
    int32_t e2;
    uint64_t m2;
    if (ex == 0) {
        e2 = 1 - EXP_BIAS - MANT_BITS - 2;
        m2 = mant;
    } else {
        e2 = (int32_t)ex - EXP_BIAS - MANT_BITS - 2;
        m2 = (1ull << MANT_BITS) | mant;
    }
    int accept = (m2 & 1) == 0;               /* an even mantissa wins ties: its bounds read back */
    uint32_t mm_shift = mant != 0 || ex <= 1; /* the lower gap is half as wide at 2^n */
    struct scaled s;
    scale(m2, e2, accept, mm_shift, &s);
    uint64_t vr = s.vr, vp = s.vp, vm = s.vm, out;
    int32_t removed = 0;
    if (s.vm_zeros || s.vr_zeros) { /* exact path: rare */
        int vm_zeros = s.vm_zeros, vr_zeros = s.vr_zeros;
        uint32_t last = 0;
        while (vp / 10 > vm / 10) {
            vm_zeros &= vm % 10 == 0;
            vr_zeros &= last == 0;
            last = (uint32_t)(vr % 10);
            vr /= 10, vp /= 10, vm /= 10, removed++;
        }
        if (vm_zeros)
            while (vm % 10 == 0) {
                vr_zeros &= last == 0;
                last = (uint32_t)(vr % 10);
                vr /= 10, vp /= 10, vm /= 10, removed++;
            }
        if (vr_zeros && last == 5 && vr % 2 == 0) last = 4; /* a tie: round to even */
        out = vr + ((vr == vm && (!accept || !vm_zeros)) || last >= 5);
    } else { /* the common path */
        int round_up = 0;
        if (vp / 100 > vm / 100) {
            round_up = vr % 100 >= 50;
            vr /= 100, vp /= 100, vm /= 100, removed += 2;
        }
        while (vp / 10 > vm / 10) {
            round_up = vr % 10 >= 5;
            vr /= 10, vp /= 10, vm /= 10, removed++;
        }
        out = vr + (vr == vm || round_up);
    }
    return (struct decimal){out, s.e10 + removed};
}

/* "00" "01" ... "99": two digits per division. */
static const char pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* Writes the decimal digits of v (no sign), returns their count. */
static int put_digits(uint64_t v, char *p)
{
    char tmp[24];
    char *end = tmp + sizeof tmp, *q = end;
    while (v >= 100) {
        unsigned k = (unsigned)(v % 100) * 2;
        v /= 100;
        *--q = pairs[k + 1];
        *--q = pairs[k];
    }
    if (v >= 10) {
        *--q = pairs[v * 2 + 1];
        *--q = pairs[v * 2];
    } else {
        *--q = (char)('0' + v);
    }
    int n = (int)(end - q);
    memcpy(p, q, (size_t)n);
    return n;
}

/* digits[0..n) * 10^exp10 as printf's %.<prec>g writes it (trailing zeros
 * dropped), prec = max(15, n): what rs_fmt_double's callers wrote before. */
static int layout(const char *dig, int n, int32_t exp10, int negative, char *buf)
{
    int prec = n > 15 ? n : 15;
    int32_t x = exp10 + n - 1; /* the exponent of the first digit */
    char *p = buf;
    if (negative) *p++ = '-';
    if (x < -4 || x >= prec) { /* d.ddde+XX */
        *p++ = dig[0];
        if (n > 1) {
            *p++ = '.';
            memcpy(p, dig + 1, (size_t)(n - 1));
            p += n - 1;
        }
        *p++ = 'e';
        *p++ = x < 0 ? '-' : '+';
        uint32_t ax = (uint32_t)(x < 0 ? -x : x);
        if (ax >= 100) *p++ = (char)('0' + ax / 100);
        *p++ = (char)('0' + ax / 10 % 10);
        *p++ = (char)('0' + ax % 10);
    } else if (x < 0) { /* 0.000ddd */
        *p++ = '0';
        *p++ = '.';
        for (int32_t i = -1; i > x; i--)
            *p++ = '0';
        memcpy(p, dig, (size_t)n);
        p += n;
    } else if (x + 1 >= n) { /* ddd000 */
        memcpy(p, dig, (size_t)n);
        p += n;
        for (int32_t i = n; i <= x; i++)
            *p++ = '0';
    } else { /* ddd.ddd */
        memcpy(p, dig, (size_t)(x + 1));
        p += x + 1;
        *p++ = '.';
        memcpy(p, dig + x + 1, (size_t)(n - x - 1));
        p += n - x - 1;
    }
    *p = '\0';
    return (int)(p - buf);
}

int rs_fmt_double(double x, char *buf)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int negative = (int)(bits >> 63);
    uint64_t mant = bits & ((1ull << MANT_BITS) - 1);
    uint32_t ex = (uint32_t)(bits >> MANT_BITS) & ((1u << EXP_BITS) - 1);
    if (ex == (1u << EXP_BITS) - 1) {
        const char *s = mant ? "nan" : negative ? "-inf" : "inf";
        memcpy(buf, s, strlen(s) + 1);
        return (int)strlen(s);
    }
    if (ex == 0 && mant == 0) {
        const char *s = negative ? "-0" : "0";
        memcpy(buf, s, strlen(s) + 1);
        return (int)strlen(s);
    }
    struct decimal d;
    double ax = fabs(x);
    if (ax < 0x1p53 && ax == (double)(uint64_t)ax) /* a whole number: itself, exactly */
        d = (struct decimal){(uint64_t)ax, 0};
    else
        d = shortest(mant, ex);
    while (d.digits % 10 == 0) { /* whole numbers' zeros; a round-up's */
        d.digits /= 10;
        d.exp10++;
    }
    char dig[24];
    int n = put_digits(d.digits, dig);
    return layout(dig, n, d.exp10, negative, buf);
}
