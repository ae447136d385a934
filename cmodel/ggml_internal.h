/* ggml_internal.h: what the ggml comparator sources (ggml_*.c) share; not
 * installed. The blocks are byte arrays written field by field, so the
 * layout does not depend on the host's struct padding or byte order. */
#ifndef SA35_GGML_INTERNAL_H
#define SA35_GGML_INTERNAL_H

#include <stdint.h>

#include "sa35_cmodel.h"

/* One format's row functions, nb blocks at a time. */
void sa35_ggml_q8_0_quantize(const float *x, int64_t nb, uint8_t *y);
void sa35_ggml_q8_0_dequantize(const uint8_t *b, int64_t nb, float *y);
void sa35_ggml_q4_0_quantize(const float *x, int64_t nb, uint8_t *y);
void sa35_ggml_q4_0_dequantize(const uint8_t *b, int64_t nb, float *y);
void sa35_ggml_q3_k_quantize(const float *x, int64_t nb, uint8_t *y);
void sa35_ggml_q3_k_dequantize(const uint8_t *b, int64_t nb, float *y);

/* ggml_half as stored: two bytes, little-endian. */
static inline void sa35_ggml_put_half(uint8_t *p, float f)
{
    uint16_t h = sa35_f32_to_f16(f);
    p[0] = (uint8_t)(h & 0xFFu);
    p[1] = (uint8_t)(h >> 8);
}

static inline float sa35_ggml_get_half(const uint8_t *p)
{
    return sa35_f16_to_f32((uint16_t)(p[0] | (uint16_t)p[1] << 8));
}

/* ggml converts floats to int8_t with a plain C conversion: truncation
 * toward zero. For every finite input whose block scale is a normal float
 * the value fits; for the rest (a scale that is subnormal in float32, far
 * below any weight) C leaves it undefined and x86-64 converts to int32
 * (INT32_MIN when out of range or NaN) and keeps the low byte: done here the
 * same way, without undefined behaviour. */
static inline int8_t sa35_ggml_trunc_i8(float f)
{
    uint32_t i = f > -2147483648.0f && f < 2147483648.0f
                     ? (uint32_t)(int32_t)f
                     : 0x80000000u;
    int32_t b = (int32_t)(i & 0xFFu);
    return (int8_t)(b > 127 ? b - 256 : b);
}

#endif
