/* ggml_q8_0.c: llama.cpp's Q8_0, a block of 32 int8 codes and one fp16
 * scale: the value is qs[j] * d. Reproduces ggml/src/ggml-quants.c,
 * quantize_row_q8_0_ref and dequantize_row_q8_0, operation for operation
 * (our own code, written against ggml's published layout and algorithm). */
#include <math.h>

#include "ggml_internal.h"

enum { QK = 32, BYTES = 34 };

/* d = amax / 127 in float; the codes use the float 1/d, not the fp16 d the
 * block keeps; roundf rounds half away from zero. */
void sa35_ggml_q8_0_quantize(const float *x, int64_t nb, uint8_t *y)
{
    for (int64_t i = 0; i < nb; i++, x += QK, y += BYTES) {
        float amax = 0.0f;
        for (int j = 0; j < QK; j++) {
            float a = fabsf(x[j]);
            amax = amax > a ? amax : a; /* ggml's MAX(amax, fabsf(v)) */
        }
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        sa35_ggml_put_half(y, d);
        for (int j = 0; j < QK; j++)
            y[2 + j] = (uint8_t)sa35_ggml_trunc_i8(roundf(x[j] * id));
    }
}

void sa35_ggml_q8_0_dequantize(const uint8_t *b, int64_t nb, float *y)
{
    for (int64_t i = 0; i < nb; i++, b += BYTES, y += QK) {
        const float d = sa35_ggml_get_half(b);
        for (int j = 0; j < QK; j++)
            y[j] = (float)(int8_t)b[2 + j] * d;
    }
}
