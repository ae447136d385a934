/* test_format.c: the SA35 format against docs/format.md, bit for
 * bit, and the comparison formats against their own definitions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sa35_cmodel.h"
#include "test_util.h"

/* format.md's worked example: column [-1.0, 0.5, 2.0, 0.0], K = 4. */
static void test_worked_example(void)
{
    const float col[4] = {-1.0f, 0.5f, 2.0f, 0.0f};
    sa35_fview v = {col, 4, 1, 1, 1};
    sa35_qweights q;
    sa35_err err;
    CHECK(sa35_quantize(&v, SA35_FMT_SA35, &q, &err) == 0);
    CHECK(q.Kp == 16 && q.colbytes == 7);
    CHECK(q.scale[0] == (2.0f - -1.0f) / 15.0f); /* 0.2 in float32 */
    float ms = 8.0f * q.scale[0];
    CHECK(q.zero[0] == -1.0f + ms);
    const uint8_t expect[7] = {0x40, 0x1F, 0, 0, 0, 0, 0};
    CHECK(memcmp(q.qweight, expect, 7) == 0);
    CHECK(sa35_pair_code(q.qweight, 0) == 0x40);
    CHECK(sa35_pair_code(q.qweight, 1) == 0x3E);
    CHECK(sa35_qweights_code(&q, 0, 0) == -8);
    CHECK(sa35_qweights_code(&q, 1, 0) == 0);
    CHECK(sa35_qweights_code(&q, 2, 0) == 7);
    CHECK(sa35_qweights_code(&q, 3, 0) == -4); /* c = -2, contributes 2c */
    sa35_qweights_free(&q);
}

/* Every 7-bit code unpacks to the e and 2c it was packed from, at every
 * position of the stream (all 8 bit offsets of a 7-byte group). */
static void test_pair_codes(void)
{
    for (int32_t e = -8; e <= 7; e++)
        for (int32_t c = -4; c <= 3; c++) {
            uint32_t code = sa35_pair_pack(e, c);
            CHECK(code < 128);
            CHECK(sa35_code_even(code) == e);
            CHECK(sa35_code_odd(code) == 2 * c);
            for (int32_t p = 0; p < 8; p++) {
                uint8_t col[8] = {0};
                sa35_pair_store(col, p, code);
                CHECK(sa35_pair_code(col, p) == code);
                /* nothing else in the stream was touched */
                for (int32_t o = 0; o < 8; o++)
                    if (o != p)
                        CHECK(sa35_pair_code(col, o) == 0);
            }
        }
}

/* The stream layout itself: pair p at bits 7p..7p+6, LSB first. */
static void test_stream_layout(void)
{
    uint8_t col[7] = {0};
    for (int32_t p = 0; p < 8; p++)
        sa35_pair_store(col, p, (uint32_t)(p * 17 + 3) & 0x7Fu);
    for (int32_t bit = 0; bit < 56; bit++) {
        int32_t p = bit / 7, b = bit % 7;
        uint32_t want = ((uint32_t)(p * 17 + 3) & 0x7Fu) >> b & 1u;
        CHECK((uint32_t)(col[bit / 8] >> (bit % 8) & 1) == want);
    }
}

/* The reference quantizer of format.md, written from the text a second time
 * (per element, no packing) to check codes and packing together. */
static int32_t ref_code(float w, float z, float s, int32_t k)
{
    if (s == 0.0f)
        return 0;
    float d = w - z;
    if (k % 2 == 0) {
        float r = roundf(d / s);
        return r < -8.0f ? -8 : r > 7.0f ? 7 : (int32_t)r;
    }
    float r = roundf(d / (2.0f * s));
    return 2 * (r < -4.0f ? -4 : r > 3.0f ? 3 : (int32_t)r);
}

static void fill(float *w, int64_t count, uint64_t *seed, int kind)
{
    for (int64_t i = 0; i < count; i++) {
        switch (kind) {
        case 0: w[i] = test_rand_normal(seed); break;
        case 1: w[i] = test_rand_unit(seed) * 1e-3f; break;
        case 2: w[i] = 3.25f; break; /* constant: s == 0 */
        default: w[i] = (float)test_rand_range(seed, -5, 5) * 0.5f; break;
        }
    }
}

/* Round trips for every K mod 16 (and K < 16): codes, padding, bounds. */
static void test_round_trips(void)
{
    uint64_t seed = 1;
    for (int32_t K = 1; K <= 70; K++)
        for (int kind = 0; kind < 4; kind++) {
            const int32_t N = 3;
            float *w = malloc((size_t)K * N * sizeof *w);
            float *wh = malloc((size_t)K * N * sizeof *wh);
            fill(w, (int64_t)K * N, &seed, kind);
            sa35_fview v = {w, K, N, N, 1};
            sa35_qweights q;
            CHECK(sa35_quantize(&v, SA35_FMT_SA35, &q, NULL) == 0);
            CHECK(q.Kp == (K + 15) / 16 * 16);
            CHECK(q.colbytes == (size_t)q.Kp / 16 * 7);
            sa35_dequantize(&q, wh);
            for (int32_t n = 0; n < N; n++) {
                float s = q.scale[n], z = q.zero[n];
                const uint8_t *col = q.qweight + (size_t)n * q.colbytes;
                for (int32_t k = 0; k < q.Kp; k++) {
                    int32_t got = sa35_qweights_code(&q, k, n);
                    if (k >= K) { /* padding is code 0 */
                        CHECK(got == 0);
                        continue;
                    }
                    int32_t want = ref_code(w[k * N + n], z, s, k);
                    CHECK_MSG(got == want, "K=%d k=%d n=%d got %d want %d",
                              K, k, n, got, want);
                    /* |w - w_hat| <= step/2 unless the code was clipped.
                     * The bound is checked in double on the float values:
                     * the only slack is the float rounding of z + s*q and
                     * of the division (a few ulps of |w|), not a
                     * tolerance on the format. */
                    float step = (k % 2) ? 2.0f * s : s;
                    int clipped = (k % 2) ? (got == -8 || got == 6)
                                          : (got == -8 || got == 7);
                    double e = fabs((double)w[k * N + n] -
                                    (double)wh[k * N + n]);
                    float mag = fmaxf(fabsf(w[k * N + n]), fabsf(z)) +
                                step;
                    double ulp = 4.0 * (double)(nextafterf(mag, INFINITY) -
                                                mag);
                    if (!clipped || s == 0.0f)
                        CHECK_MSG(e <= (double)step / 2.0 + ulp,
                                  "K=%d k=%d err %g step %g", K, k, e,
                                  (double)step);
                }
                /* the bit stream holds exactly these codes */
                for (int32_t p = 0; p < q.Kp / 2; p++) {
                    uint32_t code = sa35_pair_code(col, p);
                    CHECK(sa35_code_even(code) ==
                          sa35_qweights_code(&q, 2 * p, n));
                    CHECK(sa35_code_odd(code) ==
                          sa35_qweights_code(&q, 2 * p + 1, n));
                }
                if (kind == 2) /* constant column: value is lo exactly */
                    CHECK(s == 0.0f && z == 3.25f && wh[n] == 3.25f);
            }
            sa35_qweights_free(&q);
            free(w);
            free(wh);
        }
}

/* The comparison formats: codes in range, error bounds, storage sizes. */
static void test_baselines(void)
{
    uint64_t seed = 7;
    const int32_t lim_lo[SA35_FMT_COUNT] = {-8, -8, -4, -127};
    const int32_t lim_hi[SA35_FMT_COUNT] = {7, 7, 3, 127};
    for (int f = SA35_FMT_INT4; f < SA35_FMT_COUNT; f++)
        for (int32_t K = 1; K <= 40; K++) {
            const int32_t N = 2;
            float w[80], wh[80];
            fill(w, K * N, &seed, 0);
            sa35_fview v = {w, K, N, N, 1};
            sa35_qweights q;
            CHECK(sa35_quantize(&v, (sa35_format)f, &q, NULL) == 0);
            sa35_dequantize(&q, wh);
            for (int32_t n = 0; n < N; n++) {
                float lo = INFINITY, hi = -INFINITY, amax = 0.0f;
                for (int32_t k = 0; k < K; k++) {
                    lo = fminf(lo, w[k * N + n]);
                    hi = fmaxf(hi, w[k * N + n]);
                    amax = fmaxf(amax, fabsf(w[k * N + n]));
                }
                float s = f == SA35_FMT_INT8 ? amax / 127.0f
                          : f == SA35_FMT_INT3 ? (hi - lo) / 7.0f
                                               : (hi - lo) / 15.0f;
                CHECK(q.scale[n] == s);
                for (int32_t k = 0; k < K; k++) {
                    int32_t code = sa35_qweights_code(&q, k, n);
                    CHECK(code >= lim_lo[f] && code <= lim_hi[f]);
                    double e = fabs((double)w[k * N + n] -
                                    (double)wh[k * N + n]);
                    /* no clipping in these formats: lo and hi map to the
                     * end codes exactly; 1e-6 relative covers float
                     * rounding of z + s*q. */
                    CHECK_MSG(e <= (double)s / 2.0 * (1.0 + 1e-5) + 1e-7,
                              "%s K=%d err %g s %g",
                              sa35_format_info((sa35_format)f)->name, K, e,
                              (double)s);
                }
                for (int32_t k = K; k < q.Kp; k++)
                    CHECK(sa35_qweights_code(&q, k, n) == 0);
            }
            size_t want = f == SA35_FMT_INT4   ? (size_t)(K + 1) / 2
                          : f == SA35_FMT_INT3 ? (size_t)(K + 7) / 8 * 3
                                               : (size_t)K;
            CHECK(q.colbytes == want);
            sa35_qweights_free(&q);
        }
    /* INT4's nibble layout: even k in the low nibble. */
    float w4[4] = {-1.0f, 2.0f, 0.5f, -1.0f};
    sa35_fview v4 = {w4, 4, 1, 1, 1};
    sa35_qweights q4;
    CHECK(sa35_quantize(&v4, SA35_FMT_INT4, &q4, NULL) == 0);
    CHECK(q4.qweight[0] == (uint8_t)(0x8 | 0x7 << 4)); /* -8, 7 */
    sa35_qweights_free(&q4);
}

/* Bits per weight, from the definition. */
static void test_bits_per_weight(void)
{
    CHECK(sa35_bits_per_weight(SA35_FMT_SA35, 4096, 64) ==
          (4096.0 / 16 * 56 + 64) / 4096.0);
    CHECK(sa35_bits_per_weight(SA35_FMT_INT4, 4096, 64) ==
          (4096.0 * 4 + 64) / 4096.0);
    CHECK(sa35_bits_per_weight(SA35_FMT_INT8, 4096, 64) ==
          (4096.0 * 8 + 32) / 4096.0);
    /* K = 1 pays a whole 16-weight group in SA35 */
    CHECK(sa35_bits_per_weight(SA35_FMT_SA35, 1, 1) == 56.0 + 64.0);
}

/* Bad input: NaN / Inf name the element, K >= 2^21 is refused. */
static void test_bad_input(void)
{
    float w[6] = {1, 2, 3, 4, 5, 6};
    sa35_fview v = {w, 3, 2, 2, 1};
    sa35_qweights q;
    sa35_err err;
    w[3] = NAN; /* k = 1, n = 1 */
    CHECK(sa35_quantize(&v, SA35_FMT_SA35, &q, &err) == -1);
    CHECK_MSG(strstr(err.msg, "NaN") && strstr(err.msg, "k=1") &&
                  strstr(err.msg, "n=1"),
              "%s", err.msg);
    w[3] = -INFINITY;
    CHECK(sa35_quantize(&v, SA35_FMT_INT4, &q, &err) == -1);
    CHECK_MSG(strstr(err.msg, "infinite"), "%s", err.msg);
    w[3] = 4;
    w[0] = 3e38f;
    w[2] = -3e38f; /* hi - lo overflows */
    CHECK(sa35_quantize(&v, SA35_FMT_SA35, &q, &err) == -1);
    CHECK_MSG(strstr(err.msg, "overflows"), "%s", err.msg);
    int32_t Kp;
    size_t cb;
    CHECK(sa35_qweights_shape(SA35_FMT_SA35, SA35_K_LIMIT, 1, &Kp, &cb,
                              &err) == -1);
    CHECK_MSG(strstr(err.msg, "2^21"), "%s", err.msg);
    CHECK(sa35_qweights_shape(SA35_FMT_SA35, SA35_K_LIMIT - 1, 1, &Kp, &cb,
                              &err) == 0);
    float x[2] = {1.0f, NAN};
    int8_t a[2];
    float sa;
    CHECK(sa35_quantize_activations(x, 1, 2, a, &sa, &err) == -1);
    CHECK_MSG(strstr(err.msg, "X[m=0][k=1]"), "%s", err.msg);
}

/* Activation quantization per format.md. */
static void test_activations(void)
{
    float x[2][4] = {{0.0f, 1.0f, -2.54f, 0.5f}, {0, 0, 0, 0}};
    int8_t a[8];
    float sa[2];
    CHECK(sa35_quantize_activations(&x[0][0], 2, 4, a, sa, NULL) == 0);
    CHECK(sa[0] == 2.54f / 127.0f);
    CHECK(a[2] == -127 && a[0] == 0);
    CHECK(a[1] == (int8_t)roundf(1.0f / sa[0]));
    CHECK(sa[1] == 0.0f && a[4] == 0 && a[7] == 0);
}

int main(void)
{
    test_worked_example();
    test_pair_codes();
    test_stream_layout();
    test_round_trips();
    test_baselines();
    test_bits_per_weight();
    test_bad_input();
    test_activations();
    return TEST_DONE();
}
