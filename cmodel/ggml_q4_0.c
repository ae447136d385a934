/* ggml_q4_0.c: llama.cpp's Q4_0, a block of 32 4-bit codes and one fp16
 * scale: the value is (code - 8) * d, weight j in the low nibble of qs[j]
 * and weight 16 + j in its high nibble. Reproduces
 * ggml/src/ggml-quants.c, quantize_row_q4_0_ref and dequantize_row_q4_0,
 * operation for operation (our own code, written against ggml's published
 * layout and algorithm). */
#include <math.h>

#include "ggml_internal.h"

enum { QK = 32, BYTES = 18 };

/* The code of x * id: (int8_t)(x * id + 8.5f), truncated, at most 15. */
static uint8_t code_of(float v, float id)
{
    int c = sa35_ggml_trunc_i8(v * id + 8.5f);
    return (uint8_t)(c < 15 ? c : 15);
}

/* d = max / -8, max the weight of largest magnitude with its sign (the first
 * one on a tie), so that weight gets code 0 (value -8 d) exactly. */
void sa35_ggml_q4_0_quantize(const float *x, int64_t nb, uint8_t *y)
{
    for (int64_t i = 0; i < nb; i++, x += QK, y += BYTES) {
        float amax = 0.0f, max = 0.0f;
        for (int j = 0; j < QK; j++)
            if (amax < fabsf(x[j])) {
                amax = fabsf(x[j]);
                max = x[j];
            }
        const float d = max / -8.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        sa35_ggml_put_half(y, d);
        for (int j = 0; j < QK / 2; j++)
            y[2 + j] = (uint8_t)(code_of(x[j], id) |
                                 code_of(x[QK / 2 + j], id) << 4);
    }
}

void sa35_ggml_q4_0_dequantize(const uint8_t *b, int64_t nb, float *y)
{
    for (int64_t i = 0; i < nb; i++, b += BYTES, y += QK) {
        const float d = sa35_ggml_get_half(b);
        for (int j = 0; j < QK / 2; j++) {
            y[j] = (float)((b[2 + j] & 0x0F) - 8) * d;
            y[QK / 2 + j] = (float)((b[2 + j] >> 4) - 8) * d;
        }
    }
}
