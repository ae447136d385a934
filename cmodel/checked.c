/* checked.c: sums and products of sizes that input gives, refused rather
 * than wrapped (sa35_cmodel.h, "checked sizes"). */
#include "sa35_cmodel.h"

int sa35_mul_size(size_t a, size_t b, size_t *out)
{
    if (a && b > SIZE_MAX / a)
        return -1;
    *out = a * b;
    return 0;
}

int sa35_add_size(size_t a, size_t b, size_t *out)
{
    if (b > SIZE_MAX - a)
        return -1;
    *out = a + b;
    return 0;
}

int sa35_mul_i64(int64_t a, int64_t b, int64_t *out)
{
    if (a < 0 || b < 0 || (a && b > INT64_MAX / a))
        return -1;
    *out = a * b;
    return 0;
}

int sa35_add_i64(int64_t a, int64_t b, int64_t *out)
{
    if (a < 0 || b < 0 || b > INT64_MAX - a)
        return -1;
    *out = a + b;
    return 0;
}
