/* cpu_avx2.c: the AVX2 backend (compiled with -mavx2, called only when
 * cpuid says AVX2; see cpu_detect.c).
 *
 * SA35 and INT4: every weight is turned into the unsigned byte u = q + 8
 * (0..15), so that vpmaddubsw (u8 x s8) can multiply it by the int8
 * activation, -128 included: sum_k a*u = sum_k a*q + 8*rsum, and the
 * dispatcher's rsum takes the 8*rsum back off. A vpmaddubsw lane adds two
 * products, |15*128 + 15*128| = 3840, and eight such are added in int16
 * before vpmaddwd widens them (30720 < 32767): nothing saturates, so the
 * result is exact.
 *
 * SA35 unpack, 16 pairs (32 weights, 14 bytes) per 256-bit register, in
 * k order (byte 2j = even weight of pair j, byte 2j+1 = odd weight):
 *  1. vpshufb builds one 16-bit word per pair from the two bytes its 7 bits
 *     straddle: word j = byte[j] << 8 | byte[j-1] (byte[-1] = 0), one group
 *     of 7 bytes per 128-bit lane. Pair j's code sits at bit 8 - j of it.
 *  2. vpmullw by 2^(j+1), a per-lane variable left shift AVX2 lacks for
 *     16-bit lanes, moves every code to bits 9..15: e at 12..15, c at 9..11.
 *  3. e = y >> 12 lands in the low byte; c = y & 0x0E00 is already 2c in
 *     the high byte; XOR 0x0808 flips both sign bits: e + 8 and 2c + 8.
 *
 * INT8: sign-extended to 16 bits and multiplied with vpmaddwd (pairs of
 * 16384 fit int32), so all int8 weights, -128 included, are exact. */
#include "cpu_x86.h"

/* 32 weights (u = q + 8) from the 14 bytes at p (reads 16). */
ALWAYS_INLINE __m256i unpack_sa35(const uint8_t *p)
{
    const __m256i pick = _mm256_setr_epi8(
        -1, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, /* bytes 0..6   */
        -1, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14); /* 7..13 */
    const __m256i shift = _mm256_setr_epi16(2, 4, 8, 16, 32, 64, 128, 256,
                                            2, 4, 8, 16, 32, 64, 128, 256);
    __m256i x = _mm256_broadcastsi128_si256(
        _mm_loadu_si128((const __m128i *)(const void *)p));
    __m256i y = _mm256_mullo_epi16(_mm256_shuffle_epi8(x, pick), shift);
    __m256i e = _mm256_srli_epi16(y, 12);
    __m256i c2 = _mm256_and_si256(y, _mm256_set1_epi16(0x0E00));
    return _mm256_xor_si256(_mm256_or_si256(e, c2),
                            _mm256_set1_epi16(0x0808));
}

/* 64 weights of either biased format into two registers. */
ALWAYS_INLINE void unpack64(sa35_format fmt, const uint8_t *p, __m256i *w0,
                            __m256i *w1)
{
    if (fmt == SA35_FMT_SA35) {
        *w0 = unpack_sa35(p);
        *w1 = unpack_sa35(p + 14);
    } else {
        unpack_int4(p, w0, w1);
    }
}

ALWAYS_INLINE int32_t hsum(__m256i v)
{
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v),
                              _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

ALWAYS_INLINE __m256i load_a(const int8_t *a)
{
    return _mm256_loadu_si256((const __m256i *)(const void *)a);
}

/* 128 weights of one column against R rows: unpacked from col, or loaded
 * from wb (unpacked before) if not NULL; the vpmaddubsw results go to the
 * int16 partial sums p (4 per call). */
ALWAYS_INLINE void mac128(sa35_format fmt, const uint8_t *col,
                          const uint8_t *wb, const int8_t *a, size_t kstride,
                          int R, int first, __m256i *p)
{
    const size_t cb = fmt == SA35_FMT_SA35 ? 28 : 32; /* bytes per 64 k */
    __m256i w[4];
    if (wb) {
        for (int i = 0; i < 4; i++)
            w[i] = _mm256_load_si256((const __m256i *)(const void *)wb + i);
    } else {
        unpack64(fmt, col, &w[0], &w[1]);
        unpack64(fmt, col + cb, &w[2], &w[3]);
    }
    for (int r = 0; r < R; r++) {
        const int8_t *ar = a + (size_t)r * kstride;
        for (int i = 0; i < 4; i++) {
            __m256i t = _mm256_maddubs_epi16(w[i], load_a(ar + 32 * i));
            p[r] = first && i == 0 ? t : _mm256_add_epi16(p[r], t);
        }
    }
}

/* sum_k a[r][k] * u[k] over len positions of one column, R rows (rows of
 * A are kstride apart). Eight vpmaddubsw results (each lane |.| <= 3840)
 * are added in int16 (<= 30720) before one vpmaddwd widens them. */
ALWAYS_INLINE void dot_u8(sa35_format fmt, const uint8_t *col,
                          const uint8_t *wb, const int8_t *a, size_t kstride,
                          size_t len, int R, int32_t *out)
{
    const size_t cb = fmt == SA35_FMT_SA35 ? 28 : 32;
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i acc[ROWS], p[ROWS];
    for (int r = 0; r < R; r++)
        acc[r] = _mm256_setzero_si256();
    for (size_t k = 0; k < len; k += 256, col += 4 * cb) {
        mac128(fmt, col, wb ? wb + k : NULL, a + k, kstride, R, 1, p);
        if (k + 128 < len)
            mac128(fmt, col + 2 * cb, wb ? wb + k + 128 : NULL, a + k + 128,
                   kstride, R, 0, p);
        for (int r = 0; r < R; r++)
            acc[r] = _mm256_add_epi32(acc[r], _mm256_madd_epi16(p[r], ones));
    }
    for (int r = 0; r < R; r++)
        out[r] = hsum(acc[r]);
}

/* Column n's SA35 weights k0 .. k0+len-1 into buf, once for all the row
 * blocks of a GEMM. INT4's unpack (2 instructions per 32 weights) costs
 * about what storing and loading it again would, and INT8 has none: those
 * unpack in every row block. */
ALWAYS_INLINE const uint8_t *unpack_block(const cpu_job *j, sa35_format fmt,
                                          int64_t n, size_t k0, size_t len,
                                          uint8_t *buf)
{
    if (fmt != SA35_FMT_SA35)
        return NULL;
    const uint8_t *col = cpu_col(j, n) + cpu_kbytes(fmt, k0);
    const size_t cb = fmt == SA35_FMT_SA35 ? 28 : 32;
    for (size_t k = 0; k < len; k += 64, col += cb) {
        __m256i w0, w1;
        unpack64(fmt, col, &w0, &w1);
        _mm256_store_si256((__m256i *)(void *)(buf + k), w0);
        _mm256_store_si256((__m256i *)(void *)(buf + k + 32), w1);
    }
    return buf;
}

ALWAYS_INLINE __m256i widen(const void *p)
{
    return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)p));
}

/* sum_k a[r][k] * w[k] for int8 weights, len positions, R rows. */
ALWAYS_INLINE void dot_i8(const uint8_t *col, const int8_t *a,
                          size_t kstride, size_t len, int R, int32_t *out)
{
    __m256i acc[ROWS];
    for (int r = 0; r < R; r++)
        acc[r] = _mm256_setzero_si256();
    for (size_t k = 0; k < len; k += 32) {
        __m256i w0 = widen(col + k), w1 = widen(col + k + 16);
        for (int r = 0; r < R; r++) {
            const int8_t *ar = a + (size_t)r * kstride + k;
            __m256i p0 = _mm256_madd_epi16(w0, widen(ar));
            __m256i p1 = _mm256_madd_epi16(w1, widen(ar + 16));
            acc[r] = _mm256_add_epi32(acc[r], _mm256_add_epi32(p0, p1));
        }
    }
    for (int r = 0; r < R; r++)
        out[r] = hsum(acc[r]);
}

/* Column n, rows m .. m+R-1, positions k0 .. k0+len-1 (see cpu_x86.h). */
ALWAYS_INLINE void dot_rows(const cpu_job *j, sa35_format fmt, int64_t n,
                            int64_t m, size_t k0, size_t len,
                            const uint8_t *wb, int R, int32_t *out)
{
    const uint8_t *col = cpu_col(j, n) + cpu_kbytes(fmt, k0);
    const int8_t *a = j->a + (size_t)m * j->kstride + k0;
    if (fmt == SA35_FMT_INT8)
        dot_i8(col, a, j->kstride, len, R, out);
    else
        dot_u8(fmt, col, wb, a, j->kstride, len, R, out);
}

CPU_X86_COLUMNS(unpack_block, dot_rows)

const cpu_backend cpu_backend_avx2 = CPU_X86_BACKEND("avx2");
