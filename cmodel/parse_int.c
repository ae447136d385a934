/* parse_int.c: the one strict parser of integers that users type (option
 * values and the fields of an option's text: --gemm M,K,N, --array RxC).
 * strtol and sscanf skip leading spaces, take a '+' and wrap or saturate
 * silently ("4294967297" into an int32 is 1), so every integer option goes
 * through here instead (sa35_cmodel.h, "strict integers"). */
#include <stdlib.h>
#include <string.h>

#include "sa35_cmodel.h"

/* The magnitude of the digits s[0..n), or -1 if one is not a digit or the
 * value passes UINT64_MAX. */
static int digits(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int sa35_parse_u64(const char *s, size_t n, uint64_t lo, uint64_t hi,
                   uint64_t *out)
{
    uint64_t v;
    if (!s || digits(s, n, &v) || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int sa35_parse_i64(const char *s, size_t n, int64_t lo, int64_t hi,
                   int64_t *out)
{
    if (!s || n == 0)
        return -1;
    const int neg = s[0] == '-';
    uint64_t mag;
    if (digits(s + neg, n - (size_t)neg, &mag))
        return -1;
    /* INT64_MIN's magnitude is INT64_MAX + 1 */
    if (mag > (uint64_t)INT64_MAX + (uint64_t)neg)
        return -1;
    int64_t v = neg ? (mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN
                                                      : -(int64_t)mag)
                    : (int64_t)mag;
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* The decimals (sa35_cmodel.h, "strict decimals"): the text is checked
 * here, character by character, before strtod ever sees it (strtod takes
 * spaces, a sign, hex, "inf" and "nan", and stops silently). */
int sa35_parse_decimal(const char *s, size_t n, uint64_t *m, int32_t *e)
{
    if (!s)
        return -1;
    size_t i = 0;
    uint64_t v = 0;
    int64_t exp = 0;
    int ndig = 0, dot = 0;
    for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); i++) {
        if (s[i] == '.') {
            if (dot++)
                return -1;
            continue;
        }
        unsigned d = (unsigned)(s[i] - '0');
        ndig++;
        if (v == 0 && d == 0) { /* a leading zero: no digit to keep */
            exp -= dot;
            continue;
        }
        if (v > (UINT64_MAX - d) / 10)
            return -1; /* more significant digits than 64 bits hold */
        v = v * 10 + d;
        exp -= dot; /* a digit after the point divides by 10 */
    }
    if (!ndig)
        return -1;
    if (i < n) {
        if (s[i] != 'e' && s[i] != 'E')
            return -1;
        i++;
        int neg = i < n && s[i] == '-';
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        uint64_t x;
        if (sa35_parse_u64(s + i, n - i, 0, 999999, &x))
            return -1;
        exp += neg ? -(int64_t)x : (int64_t)x;
    }
    while (v && v % 10 == 0) {
        v /= 10;
        exp++;
    }
    if (v == 0)
        exp = 0;
    if (exp < -999999 - 64 || exp > 999999)
        return -1;
    *m = v;
    *e = (int32_t)exp;
    return 0;
}

int sa35_parse_double(const char *s, size_t n, double lo, double hi,
                      double *out)
{
    uint64_t m;
    int32_t e;
    char buf[128];
    if (sa35_parse_decimal(s, n, &m, &e) || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    double v = strtod(buf, NULL);
    if (!(v >= lo && v <= hi) || v - v != 0)
        return -1; /* past hi, below lo, NaN, or infinite */
    *out = v;
    return 0;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

int sa35_decimal_ratio(uint64_t m1, int32_t e1, uint64_t m2, int32_t e2,
                       uint64_t max, uint64_t *num, uint64_t *den)
{
    if (m1 == 0 || m2 == 0)
        return -1;
    uint64_t g = gcd64(m1, m2), a = m1 / g, b = m2 / g;
    /* times 10^d, one 10 at a time, staying in lowest terms: a factor the
     * other side shares is divided out instead (a 2 or a 5) */
    int64_t d = (int64_t)e1 - (int64_t)e2;
    for (; d != 0; d += d > 0 ? -1 : 1) {
        uint64_t *up = d > 0 ? &a : &b, *down = d > 0 ? &b : &a;
        uint64_t f = gcd64(*down, 10), mul = 10 / f;
        *down /= f;
        if (*up > max / mul)
            return -1; /* only grows from here */
        *up *= mul;
    }
    if (a > max || b > max)
        return -1;
    *num = a;
    *den = b;
    return 0;
}
