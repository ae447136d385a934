/* test_checked.c: the checked sums and products (sa35_cmodel.h, "checked
 * sizes"): exact up to the limit, refused one past it, *out untouched; and
 * the strict integer parser ("strict integers"). */
#include <stdint.h>
#include <string.h>

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

static int i64_of(const char *s, int64_t lo, int64_t hi, int64_t *v)
{
    return sa35_parse_i64(s, strlen(s), lo, hi, v);
}

/* What strtol would take and the parser must not: spaces, '+', a base
 * prefix, trailing text, and values that wrap in the type or in a
 * narrower one (4294967297 = 2^32 + 1 is 1 in an int32). */
static void test_parse_int(void)
{
    int64_t v = 7;
    CHECK(i64_of("42", 1, 100, &v) == 0 && v == 42);
    CHECK(i64_of("-5", -10, 10, &v) == 0 && v == -5);
    CHECK(i64_of("9223372036854775807", 0, INT64_MAX, &v) == 0 &&
          v == INT64_MAX);
    CHECK(i64_of("-9223372036854775808", INT64_MIN, 0, &v) == 0 &&
          v == INT64_MIN);
    const char *bad[] = {"", " 4", "+4", "4 ", "4x", "0x10", "-", "--1",
                         "9223372036854775808", "-9223372036854775809",
                         "18446744073709551617", "4294967297", "101", "0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        v = 7;
        CHECK_MSG(i64_of(bad[i], 1, 100, &v) == -1 && v == 7, "'%s'", bad[i]);
    }
    /* the 4294967297 above is refused by its range, the same text in an
     * int64-wide range is that value: nothing wraps */
    CHECK(i64_of("4294967297", 1, INT64_MAX, &v) == 0 && v == 4294967297LL);
    /* a field of a longer text: exactly n characters */
    CHECK(sa35_parse_i64("12,34", 2, 1, 100, &v) == 0 && v == 12);
    CHECK(sa35_parse_i64("12,34", 3, 1, 100, &v) == -1);
    uint64_t u = 7;
    CHECK(sa35_parse_u64("18446744073709551615", 20, 0, UINT64_MAX, &u) == 0 &&
          u == UINT64_MAX);
    u = 7;
    CHECK(sa35_parse_u64("18446744073709551616", 20, 0, UINT64_MAX, &u) ==
              -1 && u == 7);
    CHECK(sa35_parse_u64("-1", 2, 0, UINT64_MAX, &u) == -1 && u == 7);
}

int main(void)
{
    test_parse_int();
    test_mul_size();
    test_i64();
    return TEST_DONE();
}
