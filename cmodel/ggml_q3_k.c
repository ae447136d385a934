/* ggml_q3_k.c: llama.cpp's Q3_K, a super-block of 256 weights in 16
 * sub-blocks of 16: 3-bit codes (2 low bits in qs, the high bit in hmask),
 * a signed 6-bit scale per sub-block and one fp16 d: the value is
 * d * (sc - 32) * (code - 4). Reproduces ggml/src/ggml-quants.c,
 * quantize_row_q3_K_ref (with nearest_int and make_q3_quants, do_rmse on)
 * and dequantize_row_q3_K, operation for operation, in float (our own code,
 * written against ggml's published layout and algorithm).
 *
 * Layout of a block (110 bytes): hmask[32] at 0, qs[64] at 32, scales[12] at
 * 96, d at 108. Weight e (0..255) has its high bit in bit e/32 of
 * hmask[e % 32] and its low two bits at bit 2*((e % 128) / 32) of
 * qs[32*(e/128) + e % 32]. Sub-block j's 6-bit scale keeps its low nibble in
 * scales[j] (j < 8) or the high nibble of scales[j - 8], and its top two bits
 * at bit 2*(j/4) of scales[8 + j % 4]. */
#include <math.h>
#include <string.h>

#include "ggml_internal.h"

enum { QK_K = 256, BYTES = 110, HMASK = 0, QS = 32, SCALES = 96, D = 108 };

/* ggml's GROUP_MAX_EPS: a sub-block below it is all zero. */
#define GROUP_MAX_EPS 1e-15f

/* ggml's nearest_int: round to nearest, ties to even, by adding 1.5 * 2^23
 * and reading the mantissa bits (meant for |f| <= 4194303; outside, the same
 * bits as ggml's). */
static int nearest_int(float f)
{
    float v = f + 12582912.0f;
    int32_t i;
    memcpy(&i, &v, sizeof i);
    return (i & 0x007FFFFF) - 0x00400000;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* make_q3_quants(n = 16, nmax = 4, do_rmse = true): codes L in 0..7 for a
 * sub-block and its scale, signed. Start from the grid that puts the signed
 * maximum at -4, then up to five passes that move single codes where that
 * raises (sum w x l)^2 / sum w l^2, with weights w = x^2. */
static float make_q3_quants(const float *x, int8_t *L)
{
    const int n = 16, nmax = 4;
    float max = 0.0f, amax = 0.0f;
    for (int i = 0; i < n; i++) {
        float ax = fabsf(x[i]);
        if (ax > amax) {
            amax = ax;
            max = x[i];
        }
    }
    if (amax < GROUP_MAX_EPS) {
        memset(L, 0, (size_t)n);
        return 0.0f;
    }
    const float iscale = (float)-nmax / max;
    float sumlx = 0.0f, suml2 = 0.0f;
    for (int i = 0; i < n; i++) {
        int l = clamp(nearest_int(iscale * x[i]), -nmax, nmax - 1);
        L[i] = (int8_t)l;
        float w = x[i] * x[i];
        sumlx += w * x[i] * (float)l;
        suml2 += w * (float)l * (float)l;
    }
    for (int itry = 0; itry < 5; itry++) {
        int n_changed = 0;
        for (int i = 0; i < n; i++) {
            float w = x[i] * x[i];
            float slx = sumlx - w * x[i] * (float)L[i];
            if (slx > 0.0f) {
                float sl2 = suml2 - w * (float)L[i] * (float)L[i];
                int new_l = clamp(nearest_int(x[i] * sl2 / slx), -nmax,
                                  nmax - 1);
                if (new_l != L[i]) {
                    slx += w * x[i] * (float)new_l;
                    sl2 += w * (float)new_l * (float)new_l;
                    if (sl2 > 0.0f &&
                        slx * slx * suml2 > sumlx * sumlx * sl2) {
                        L[i] = (int8_t)new_l;
                        sumlx = slx;
                        suml2 = sl2;
                        n_changed++;
                    }
                }
            }
        }
        if (!n_changed)
            break;
    }
    for (int i = 0; i < n; i++)
        L[i] = (int8_t)(L[i] + nmax);
    return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
}

/* Where weight e's bits sit (the layout above). */
static int qs_byte(int e) { return QS + 32 * (e / 128) + e % 32; }
static int qs_shift(int e) { return 2 * (e % 128 / 32); }
static int hmask_byte(int e) { return HMASK + e % 32; }
static int hmask_bit(int e) { return e / 32; }

/* Sub-block j's stored scale, sc - 32 (-32..31). */
static int sub_scale(const uint8_t *scales, int j)
{
    int lo = j < 8 ? scales[j] & 0xF : scales[j - 8] >> 4;
    int hi = (scales[8 + j % 4] >> (2 * (j / 4))) & 3;
    return (lo | hi << 4) - 32;
}

static void quantize_block(const float *x, uint8_t *y)
{
    int8_t L[QK_K];
    float scales[QK_K / 16];
    float max_scale = 0.0f, amax = 0.0f;
    for (int j = 0; j < QK_K / 16; j++) {
        scales[j] = make_q3_quants(x + 16 * j, L + 16 * j);
        float scale = fabsf(scales[j]);
        if (scale > amax) {
            amax = scale;
            max_scale = scales[j];
        }
    }
    uint8_t *sc = y + SCALES;
    memset(sc, 0, 12);
    if (max_scale != 0.0f) {
        const float iscale = -32.0f / max_scale;
        for (int j = 0; j < QK_K / 16; j++) {
            int l = clamp(nearest_int(iscale * scales[j]), -32, 31) + 32;
            if (j < 8)
                sc[j] = (uint8_t)(l & 0xF);
            else
                sc[j - 8] |= (uint8_t)((l & 0xF) << 4);
            sc[8 + j % 4] |= (uint8_t)((l >> 4) << (2 * (j / 4)));
        }
        sa35_ggml_put_half(y + D, 1.0f / iscale);
    } else {
        sa35_ggml_put_half(y + D, 0.0f);
    }
    /* The codes again, on the grid the stored scales give; a sub-block whose
     * scale is 0 keeps make_q3_quants' codes. */
    const float d_all = sa35_ggml_get_half(y + D);
    for (int j = 0; j < QK_K / 16; j++) {
        const float d = d_all * (float)sub_scale(sc, j);
        if (d == 0.0f)
            continue;
        for (int ii = 0; ii < 16; ii++)
            L[16 * j + ii] =
                (int8_t)(clamp(nearest_int(x[16 * j + ii] / d), -4, 3) + 4);
    }
    memset(y + HMASK, 0, QK_K / 8);
    memset(y + QS, 0, QK_K / 4);
    for (int e = 0; e < QK_K; e++) {
        int l = L[e];
        if (l > 3) {
            y[hmask_byte(e)] |= (uint8_t)(1u << hmask_bit(e));
            l -= 4;
        }
        y[qs_byte(e)] |= (uint8_t)(l << qs_shift(e));
    }
}

void sa35_ggml_q3_k_quantize(const float *x, int64_t nb, uint8_t *y)
{
    for (int64_t i = 0; i < nb; i++)
        quantize_block(x + i * QK_K, y + i * BYTES);
}

void sa35_ggml_q3_k_dequantize(const uint8_t *b, int64_t nb, float *y)
{
    for (int64_t i = 0; i < nb; i++, b += BYTES, y += QK_K) {
        const float d_all = sa35_ggml_get_half(b + D);
        for (int j = 0; j < QK_K / 16; j++) {
            const float dl = d_all * (float)sub_scale(b + SCALES, j);
            for (int e = 16 * j; e < 16 * j + 16; e++) {
                int low = (b[qs_byte(e)] >> qs_shift(e)) & 3;
                int high = (b[hmask_byte(e)] >> hmask_bit(e)) & 1;
                y[e] = dl * (float)(low - (high ? 0 : 4));
            }
        }
    }
}
