/* half.c: IEEE binary16 <-> float32, by hand so the result is exact and the
 * same on every compiler (no _Float16 needed). Rounding is to nearest, ties
 * to even, which is also what ggml's GGML_FP32_TO_FP16 does for every finite
 * value (ggml/src/ggml-impl.h, ggml_compute_fp32_to_fp16), so the ggml
 * comparators store their fp16 scales with it. io/ reads and writes F16
 * tensors with these same two functions. */
#include <math.h>
#include <string.h>

#include "sa35_cmodel.h"

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

float sa35_f16_to_f32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1Fu, mant = h & 0x3FFu;
    if (exp == 0) { /* zero or subnormal: mant * 2^-24, exact in float32 */
        float v = ldexpf((float)mant, -24);
        return sign ? -v : v;
    }
    if (exp == 31) /* inf, or nan keeping its payload */
        return from_bits(sign | 0x7F800000u | mant << 13);
    return from_bits(sign | (exp + 112u) << 23 | mant << 13);
}

/* Shift m right by s, rounding to nearest, ties to even. */
static uint32_t shift_rne(uint32_t m, uint32_t s)
{
    uint32_t q = m >> s, rem = m & ((1u << s) - 1u), half = 1u << (s - 1u);
    if (rem > half || (rem == half && (q & 1u)))
        q++;
    return q;
}

uint16_t sa35_f32_to_f16(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
    int32_t exp = (int32_t)((u >> 23) & 0xFFu);
    uint32_t mant = u & 0x7FFFFFu;
    if (exp == 0xFF) /* inf; nan stays a (quiet) nan with the top payload */
        return (uint16_t)(sign | 0x7C00u |
                          (mant ? 0x200u | (mant >> 13) : 0u));
    int32_t e = exp - 127 + 15; /* the half exponent field */
    if (e >= 31)
        return (uint16_t)(sign | 0x7C00u); /* too large: inf */
    if (e <= 0) {
        /* Subnormal half: value / 2^-24 = (mant | implicit 1) >> (14 - e).
         * Beyond a shift of 24 the value is below half the smallest
         * subnormal and rounds to zero. A carry out of the mantissa lands
         * on the smallest normal, which is right. */
        uint32_t s = (uint32_t)(14 - e);
        if (s > 24)
            return sign;
        return (uint16_t)(sign | shift_rne(mant | 0x800000u, s));
    }
    /* Normal: a carry out of the mantissa bumps the exponent, and from the
     * largest finite value on to inf, as rounding requires. */
    return (uint16_t)(sign | shift_rne((uint32_t)e << 23 | mant, 13));
}
