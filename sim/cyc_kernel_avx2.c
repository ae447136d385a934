/* cyc_kernel_avx2.c: the PE rows update, 8 PEs per step. The pair product
 * a0 e + a1 2c of eight PEs is one vpmaddwd on sign-extended int8 pairs;
 * the psum register flips are a nibble-table popcount summed with vpsadbw
 * into one accumulator for the whole cycle (reduced once, not per row).
 * Compiled for AVX2 by attribute only, so the rest of the program runs on
 * any x86-64; the caller checks the CPU first. Same results as the scalar
 * kernel: integer arithmetic, no reassociation that could differ. */
#include "cyc_internal.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>

/* One 8-PE step of a row: psum[c..c+7] = above + a0 e + a1 2c (one
 * vpmaddwd on the sign-extended pairs); returns the flips of the new
 * psum registers (masked to their width) as per-byte bit counts, which
 * each caller reduces its own way. The one place the PE arithmetic of the
 * AVX2 kernel is written. */
__attribute__((target("avx2"))) static inline __m256i
pe8_step(int32_t *psum, const int32_t *above, const int8_t *act,
         const int8_t *w, __m256i vmask, __m256i *v_out)
{
    const __m256i nib = _mm256_set1_epi8(0x0F);
    const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3,
                                         2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3,
                                         1, 2, 2, 3, 2, 3, 3, 4);
    __m256i a = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)act));
    __m256i b = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)w));
    __m256i v = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)above),
                                 _mm256_madd_epi16(a, b));
    __m256i old = _mm256_loadu_si256((const __m256i *)psum);
    _mm256_storeu_si256((__m256i *)psum, v);
    __m256i x = _mm256_and_si256(_mm256_xor_si256(v, old), vmask);
    __m256i lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(x, nib));
    __m256i hi = _mm256_shuffle_epi8(
        lut, _mm256_and_si256(_mm256_srli_epi16(x, 4), nib));
    *v_out = v;
    return _mm256_add_epi8(lo, hi);
}

/* One row's columns [0, n): whole 8-PE steps counted into *count, the
 * tail by the scalar kernel into the returned flips. */
__attribute__((target("avx2"))) static inline uint64_t
row_avx2(int32_t *psum, const int32_t *above, const int8_t *act,
         const int8_t *w, int n, uint32_t mask, __m256i *count)
{
    const __m256i vmask = _mm256_set1_epi32((int)mask);
    __m256i cnt = *count, v;
    int c = 0;
    for (; c + 8 <= n; c += 8) {
        __m256i bytes = pe8_step(psum + c, above + c, act + 2 * c, w + 2 * c,
                                 vmask, &v);
        cnt = _mm256_add_epi64(
            cnt, _mm256_sad_epu8(bytes, _mm256_setzero_si256()));
    }
    *count = cnt;
    return c < n ? cyc_kernel_scalar(psum + c, above + c, act + 2 * c,
                                     w + 2 * c, n - c, mask)
                 : 0;
}

/* The bottom row's columns [c0, c1]: as row_avx2, plus the de-skew
 * entries and the skew toggles sum of flips(c) * (C-1-c), weighted per
 * 32-bit lane (per-PE flip counts from the byte counts by two multiply-
 * adds); the lane sums stay far below 2^31 in one cycle. */
__attribute__((target("avx2"))) static uint64_t
bottom_avx2(cyc *s, int64_t t, int32_t c0, int32_t c1, const int32_t *above,
            const int8_t *act, uint64_t *skew)
{
    const __m256i ones8 = _mm256_set1_epi8(1), ones16 = _mm256_set1_epi16(1);
    const __m256i step = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const int32_t r = s->R - 1, C = s->C;
    const __m256i vmask = _mm256_set1_epi32((int)s->psum_mask);
    int32_t *ps = s->psum + (size_t)r * (size_t)C;
    const int8_t *w = s->w_act + 2 * (size_t)r * (size_t)C;
    const int64_t dm = s->D - 1;
    __m256i fl = _mm256_setzero_si256(), flc = _mm256_setzero_si256();
    int32_t c = c0;
    for (; c + 7 <= c1; c += 8) {
        __m256i v, bytes = pe8_step(ps + c, above + c, act + 2 * c,
                                    w + 2 * c, vmask, &v);
        __m256i n32 = _mm256_madd_epi16(
            _mm256_maddubs_epi16(bytes, ones8), ones16);
        fl = _mm256_add_epi32(fl, n32);
        __m256i wt = _mm256_sub_epi32(_mm256_set1_epi32(C - 1 - c), step);
        flc = _mm256_add_epi32(flc, _mm256_mullo_epi32(n32, wt));
        int32_t vs[8];
        _mm256_storeu_si256((__m256i *)vs, v);
        for (int i = 0; i < 8; i++)
            s->deskew[(size_t)((t - r - c - i) & dm) * (size_t)C +
                      (size_t)(c + i)] = vs[i];
    }
    uint32_t f[8], g[8];
    _mm256_storeu_si256((__m256i *)f, fl);
    _mm256_storeu_si256((__m256i *)g, flc);
    uint64_t flips = 0;
    for (int i = 0; i < 8; i++)
        flips += f[i], *skew += g[i];
    if (c <= c1)
        flips += cyc_bottom_scalar(s, t, c, c1, above, act, skew);
    return flips;
}

__attribute__((target("avx2"))) uint64_t
cyc_rows_avx2(cyc *s, int64_t t, const cyc_span *sp, size_t ns)
{
    /* in locals: the vector stores may alias anything, so fields of *s
     * would be reloaded after each one */
    const int32_t C = s->C, R = s->R;
    const int64_t P = s->P;
    int32_t *const psum = s->psum;
    const int32_t *const zero_row = s->zero_row;
    const int8_t *const lane = s->lane, *const w_act = s->w_act;
    const uint32_t mask = s->psum_mask;
    __m256i count = _mm256_setzero_si256();
    uint64_t flips = 0, skew = 0;
    const int32_t *above =
        R > 1 ? psum + (size_t)(R - 2) * (size_t)C : zero_row;
    const int8_t *act = lane + (size_t)(R - 1) * 4 * (size_t)P +
                        2 * (size_t)((R - 1 - t) & (P - 1));
    for (size_t k = 0; k < ns; k++) {
        int32_t c0, c1;
        if (cyc_span_cols(t - (R - 1), &sp[k], C, &c0, &c1))
            flips += bottom_avx2(s, t, c0, c1, above, act, &skew);
    }
    s->st->toggles_skew += skew;
    /* Span by span, each over only the rows it reaches (r with a column
     * in [t - r - hi, t - r - lo]): spans are disjoint and apart, so a
     * span's PEs in row r read row r-1 columns no other span has updated
     * this cycle, and span-major order equals row-major. */
    const size_t rowlane = 4 * (size_t)P;
    for (size_t k = 0; k < ns; k++) {
        const int64_t lo = sp[k].lo, hi = sp[k].hi;
        int64_t rhi = t - lo, rlo = t - hi - (C - 1);
        if (rhi > R - 2)
            rhi = R - 2;
        if (rlo < 0)
            rlo = 0;
        for (int64_t r = rhi; r >= rlo; r--) {
            int64_t c0 = t - r - hi, c1 = t - r - lo;
            if (c0 < 0)
                c0 = 0;
            if (c1 > C - 1)
                c1 = C - 1;
            size_t o = (size_t)r * (size_t)C + (size_t)c0;
            const int32_t *above =
                r ? psum + o - (size_t)C : zero_row + (size_t)c0;
            const int8_t *act = lane + (size_t)r * rowlane +
                                2 * (size_t)((r - t) & (P - 1)) +
                                2 * (size_t)c0;
            flips += row_avx2(psum + o, above, act, w_act + 2 * o,
                              (int)(c1 - c0 + 1), mask, &count);
        }
    }
    uint64_t lanes[4];
    _mm256_storeu_si256((__m256i *)lanes, count);
    return flips + lanes[0] + lanes[1] + lanes[2] + lanes[3];
}
#else
uint64_t cyc_rows_avx2(cyc *s, int64_t t, const cyc_span *sp, size_t ns)
{
    return cyc_rows_scalar(s, t, sp, ns);
}
#endif
