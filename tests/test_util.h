/* test_util.h: the few helpers every test shares. A failed CHECK prints the
 * file, line and expression and makes the test exit non-zero at the end. */
#ifndef SA35_TEST_UTIL_H
#define SA35_TEST_UTIL_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures;

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,  \
                    #cond);                                                   \
            test_failures++;                                                  \
        }                                                                     \
    } while (0)

#define CHECK_MSG(cond, ...)                                                  \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__,  \
                    #cond);                                                   \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            test_failures++;                                                  \
        }                                                                     \
    } while (0)

/* Return from main with this. */
#define TEST_DONE()                                                           \
    (fprintf(stderr, "%s: %d failure(s)\n", __FILE__, test_failures),         \
     test_failures ? 1 : 0)

/* splitmix64: a deterministic generator a test can seed; state is local. */
static inline uint64_t test_rand_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/* Uniform in [lo, hi]. */
static inline int64_t test_rand_range(uint64_t *s, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(test_rand_u64(s) % (uint64_t)(hi - lo + 1));
}
/* Uniform float in [-1, 1). */
static inline float test_rand_unit(uint64_t *s)
{
    return (float)((double)(test_rand_u64(s) >> 11) * (1.0 / 9007199254740992.0)
                   * 2.0 - 1.0);
}
/* Standard normal (Box-Muller). */
static inline float test_rand_normal(uint64_t *s)
{
    double u1 = ((double)(test_rand_u64(s) >> 11) + 1.0) / 9007199254740993.0;
    double u2 = (double)(test_rand_u64(s) >> 11) / 9007199254740992.0;
    return (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}

#endif
