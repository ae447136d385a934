/* cpu_avx512vnni.c: the AVX-512 backend (F + BW + VNNI; compiled with
 * those -m flags, called only when cpuid and XCR0 say so).
 *
 * The same method as cpu_avx2.c, twice as wide, with the VNNI dot products
 * doing the accumulation without any int16 intermediate:
 *  - SA35 / INT4: u = q + 8 (unsigned, 0..15) times the int8 activation
 *    with vpdpbusd (u8 x s8, four products summed into int32, no
 *    saturation); 8 * rsum is taken back off at the end.
 *  - INT8: sign-extended to 16 bits and vpdpwssd (s16 x s16 into int32).
 *
 * SA35 unpack, 32 pairs (64 weights, 28 bytes) per 512-bit register: vpermd
 * gives each 128-bit lane the dwords that hold its 7-byte group (lane L
 * needs bytes 7L .. 7L+7), then the AVX2 steps run per lane: vpshufb to one
 * word per pair (byte[j] << 8 | byte[j-1]), vpmullw by 2^(j+1) to put every
 * code at bits 9..15, e = y >> 12, 2c = y & 0x0E00, XOR 0x0808.
 *
 * This machine has no AVX-512: this file is compile-checked (gcc, clang)
 * only; see docs/cpu.md. */
#include "cpu_x86.h"

/* Per-lane vpshufb indices: word j of a lane = byte[j] << 8 | byte[j-1]
 * of the lane's group, which starts at byte o = 0, 3, 2, 1 of lanes 0..3
 * (lane L holds dwords floor(7L / 4) on; its group is at byte 7L). -1
 * gives the 0 of byte[-1]. */
#define GROUP(o)                                                              \
    -1, (o), (o), (o) + 1, (o) + 1, (o) + 2, (o) + 2, (o) + 3, (o) + 3,       \
        (o) + 4, (o) + 4, (o) + 5, (o) + 5, (o) + 6, (o) + 6, (o) + 7
static const int8_t pick_bytes[64] __attribute__((aligned(64))) = {
    GROUP(0), GROUP(3), GROUP(2), GROUP(1)};
#undef GROUP
#define SHIFTS 2, 4, 8, 16, 32, 64, 128, 256
static const int16_t shift_words[32] __attribute__((aligned(64))) = {
    SHIFTS, SHIFTS, SHIFTS, SHIFTS};
#undef SHIFTS

/* 64 weights (u = q + 8) from the 28 bytes at p (reads 32). */
ALWAYS_INLINE __m512i unpack_sa35(const uint8_t *p)
{
    const __m512i dwords = _mm512_setr_epi32(0, 1, 2, 3, 1, 2, 3, 4,
                                             3, 4, 5, 6, 5, 6, 7, 7);
    const __m512i pick = _mm512_load_si512(pick_bytes);
    const __m512i shift = _mm512_load_si512(shift_words);
    __m512i x = _mm512_permutexvar_epi32(
        dwords, _mm512_castsi256_si512(
                    _mm256_loadu_si256((const __m256i *)(const void *)p)));
    __m512i y = _mm512_mullo_epi16(_mm512_shuffle_epi8(x, pick), shift);
    __m512i e = _mm512_srli_epi16(y, 12);
    __m512i c2 = _mm512_and_si512(y, _mm512_set1_epi16(0x0E00));
    return _mm512_xor_si512(_mm512_or_si512(e, c2),
                            _mm512_set1_epi16(0x0808));
}

/* 64 INT4 weights (u = q + 8) from the 32 bytes at p: the AVX2 unpack,
 * even k in the low half and odd k in the high half (CPU_A_EVEN_ODD64). */
ALWAYS_INLINE __m512i unpack_int4_512(const uint8_t *p)
{
    __m256i lo, hi;
    unpack_int4(p, &lo, &hi);
    return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
}

ALWAYS_INLINE __m512i load_a(const int8_t *a)
{
    return _mm512_loadu_si512((const void *)a);
}

ALWAYS_INLINE __m512i widen(const void *p)
{
    return _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)p));
}

/* Column n, rows m .. m+R-1, positions k0 .. k0+len-1 (see cpu_x86.h). */
/* This backend unpacks in every row block (no buffer): simpler, for a
 * kernel that cannot be run here. */
ALWAYS_INLINE const uint8_t *no_unpack_block(const cpu_job *j,
                                             sa35_format fmt, int64_t n,
                                             size_t k0, size_t len,
                                             uint8_t *buf)
{
    (void)j, (void)fmt, (void)n, (void)k0, (void)len, (void)buf;
    return NULL;
}

ALWAYS_INLINE void dot_rows(const cpu_job *j, sa35_format fmt, int64_t n,
                            int64_t m, size_t k0, size_t len,
                            const uint8_t *wb, int R, int32_t *out)
{
    (void)wb;
    const uint8_t *col = cpu_col(j, n) + cpu_kbytes(fmt, k0);
    const int8_t *a = j->a + (size_t)m * j->kstride + k0;
    const size_t ks = j->kstride;
    __m512i acc[ROWS];
    for (int r = 0; r < R; r++)
        acc[r] = _mm512_setzero_si512();
    if (fmt == SA35_FMT_INT8) {
        for (size_t k = 0; k < len; k += 32) {
            __m512i w = widen(col + k);
            for (int r = 0; r < R; r++)
                acc[r] = _mm512_dpwssd_epi32(acc[r], w,
                                             widen(a + (size_t)r * ks + k));
        }
    } else {
        const size_t cb = fmt == SA35_FMT_SA35 ? 28 : 32; /* bytes / 64 k */
        for (size_t k = 0; k < len; k += 64, col += cb) {
            __m512i w = fmt == SA35_FMT_SA35 ? unpack_sa35(col)
                                             : unpack_int4_512(col);
            for (int r = 0; r < R; r++)
                acc[r] = _mm512_dpbusd_epi32(acc[r], w,
                                             load_a(a + (size_t)r * ks + k));
        }
    }
    for (int r = 0; r < R; r++)
        out[r] = _mm512_reduce_add_epi32(acc[r]);
}

CPU_X86_COLUMNS(no_unpack_block, dot_rows)

const cpu_backend cpu_backend_avx512vnni = CPU_X86_BACKEND("avx512vnni");
