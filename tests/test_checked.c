/* test_checked.c: the checked sums and products (sa35_cmodel.h, "checked
 * sizes"): exact up to the limit, refused one past it, *out untouched. */
#include <stdint.h>

#include "sa35_cmodel.h"
#include "test_util.h"

static void test_mul_size(void)
{
    size_t out = 7;
    CHECK(sa35_mul_size(0, SIZE_MAX, &out) == 0 && out == 0);
    CHECK(sa35_mul_size(SIZE_MAX, 1, &out) == 0 && out == SIZE_MAX);
    CHECK(sa35_mul_size((size_t)1 << 32, ((size_t)1 << 32) - 1, &out) == 0 &&
          out == ((size_t)1 << 32) * (((size_t)1 << 32) - 1));
    out = 7;
    CHECK(sa35_mul_size((size_t)1 << 32, (size_t)1 << 32, &out) == -1);
    CHECK(sa35_mul_size(SIZE_MAX / 3 + 1, 3, &out) == -1 && out == 7);
    CHECK(sa35_add_size(SIZE_MAX - 1, 1, &out) == 0 && out == SIZE_MAX);
    out = 7;
    CHECK(sa35_add_size(SIZE_MAX, 1, &out) == -1 && out == 7);
}

static void test_i64(void)
{
    int64_t out = 7;
    CHECK(sa35_mul_i64(1LL << 20, 1LL << 20, &out) == 0 && out == 1LL << 40);
    CHECK(sa35_mul_i64(INT64_MAX, 1, &out) == 0 && out == INT64_MAX);
    CHECK(sa35_mul_i64(0, INT64_MAX, &out) == 0 && out == 0);
    out = 7;
    CHECK(sa35_mul_i64(1LL << 31, 1LL << 32, &out) == -1 && out == 7);
    CHECK(sa35_mul_i64(3037000500LL, 3037000500LL, &out) == -1);
    CHECK(sa35_mul_i64(3037000499LL, 3037000499LL, &out) == 0 &&
          out == 9223372030926249001LL);
    CHECK(sa35_mul_i64(-1, 1, &out) == -1 && sa35_mul_i64(1, -1, &out) == -1);
    CHECK(sa35_add_i64(INT64_MAX - 1, 1, &out) == 0 && out == INT64_MAX);
    out = 7;
    CHECK(sa35_add_i64(INT64_MAX, 1, &out) == -1 && out == 7);
    CHECK(sa35_add_i64(-1, 0, &out) == -1);
}

int main(void)
{
    test_mul_size();
    test_i64();
    return TEST_DONE();
}
