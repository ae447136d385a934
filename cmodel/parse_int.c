/* parse_int.c: the one strict parser of integers that users type (option
 * values and the fields of an option's text: --gemm M,K,N, --array RxC).
 * strtol and sscanf skip leading spaces, take a '+' and wrap or saturate
 * silently ("4294967297" into an int32 is 1), so every integer option goes
 * through here instead (sa35_cmodel.h, "strict integers"). */
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
