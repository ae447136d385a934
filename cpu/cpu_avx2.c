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

/* Software prefetch distance of the GEMV (M = 1) loops, in bytes of
 * weights ahead (0: none). On DRAM-resident weights the hardware
 * prefetcher alone left the cores waiting (measured on the EPYC, 2 threads,
 * 8192 x 28672: SA35 87 % of the read bandwidth without, 100+ % with 1024;
 * docs/cpu.md). */
#ifndef SA35_M1_PF
#define SA35_M1_PF 1024
#endif
#if SA35_M1_PF
#define SA35_M1_PREFETCH(p) _mm_prefetch((const char *)(p) + SA35_M1_PF, _MM_HINT_T0)
#else
#define SA35_M1_PREFETCH(p) ((void)0)
#endif

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
        if (R == 1 && !wb) { /* a GEMV streams: prefetch as dot_sa35_m1 */
            SA35_M1_PREFETCH(col);
            SA35_M1_PREFETCH(col + 64);
        }
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

/* ---- SA35 at M = 1 (GEMV): a cheaper unpack, in its own activation order.
 *
 * With one row there is nobody to share an unpack with, so its cost is the
 * whole cost (6 instructions per 32 weights above, against INT4's 2). This
 * path does 7 per 64 by not insisting that every weight land at bit 0 of
 * its byte: a weight may stay at bit o (0..3) of a byte, i.e. multiplied by
 * 2^o, as long as both weights of a vpmaddubsw pair carry the same 2^o;
 * the vpmaddwd that widens the pair sums then multiplies each pair by
 * 2^(3-o), so that every product ends up times 8, and the sum is divided
 * by 8 (exactly: every term is a multiple of 8) once per block.
 *
 * Per 64 weights (4 groups of 7 bytes, 28 bytes at p):
 *  - R: lane 0 = bytes p-1 .. p+14, lane 1 = bytes p+13 .. p+28, so each
 *    lane holds two groups, at lane bytes 1..7 and 8..14; XOR flips the
 *    sign bit of every field (e + 8, c + 4: the unsigned weights).
 *  - In R itself ("view 0") 8 fields of each group sit inside one byte at
 *    bit 0..3: c0@0 e0@3 e1@2 e2@1 e3@0 c5@3 c6@2 c7@1 (c at bit t is
 *    (c + 4) * 2^t = (2c + 8) * 2^(t-1)).
 *  - Z = R >> 4 per 64-bit lane ("view 4": each byte holds the stream bits
 *    4..11 of its byte): the other 8 fields, c1@3 c2@2 c3@1 c4@0 e4@3 e5@2
 *    e6@1 e7@0. The groups start at lane bytes 1 and 8 precisely so that
 *    every byte pair these fields straddle lies inside one 64-bit lane.
 *  - O1 = vpshufb(R) & mask1, O2 = vpshufb(Z) & mask2: 32 weights each,
 *    byte pairs of equal scale; the activations are laid out in the same
 *    order (sa35_m1_perm, applied once per call by the dispatcher).
 *  - vpmaddubsw, then vpmaddwd by 2^(3-o) (16 1 2 2 4 4 8 8 per lane).
 *    No int16 sum is kept: a scale-8 pair reaches |15*8*128*2| = 30720,
 *    so each vpmaddubsw result is widened at once.
 * Total 13 vector instructions per 64 weights instead of 16.5.
 *
 * The tables below were generated and checked bit-exactly against the
 * format by a script (every code, activations -128 and 127); the test
 * (tests/test_cpu.c) checks the kernel itself. */
#define X2(...) __VA_ARGS__, __VA_ARGS__
/* per 64 k of the row, position i holds plain k sa35_m1_perm[i] */
static const uint8_t sa35_m1_perm[64] = {
    1,  17, 0,  16, 2,  11, 18, 27, 4,  13, 20, 29, 6,  15, 22, 31,
    33, 49, 32, 48, 34, 43, 50, 59, 36, 45, 52, 61, 38, 47, 54, 63,
    9,  25, 8,  24, 3,  10, 19, 26, 5,  12, 21, 28, 7,  14, 23, 30,
    41, 57, 40, 56, 35, 42, 51, 58, 37, 44, 53, 60, 39, 46, 55, 62};

/* The constants of the M = 1 unpack. They are kept in registers (see
 * keep_in_reg): as memory operands they cost a load each per 64 weights,
 * and the loads, not the vector ALUs, became the limit (10 per 64 weights,
 * Zen 3 does 2 256-bit loads per cycle). */
typedef struct sa35_m1_consts {
    __m256i sign, pick1, pick2, mask1, mask2, mult;
} sa35_m1_consts;

/* An empty asm that claims to change v: the compiler must then hold v in
 * a register instead of folding the constant into each use as a load. */
#define keep_in_reg(v) __asm__("" : "+x"(v))

ALWAYS_INLINE sa35_m1_consts sa35_m1_consts_init(void)
{
    sa35_m1_consts c;
    c.sign = _mm256_setr_epi8(X2(0, 0x44, 0x22, (char)0x91, 0x48, 0x24, 0x12,
                                 (char)0x89, 0x44, 0x22, (char)0x91, 0x48,
                                 0x24, 0x12, (char)0x89, 0));
    c.pick1 = _mm256_setr_epi8(
        X2(1, 8, 1, 8, 2, 5, 9, 12, 3, 6, 10, 13, 4, 7, 11, 14));
    c.pick2 = _mm256_setr_epi8(
        X2(4, 11, 4, 11, 1, 5, 8, 12, 2, 6, 9, 13, 3, 7, 10, 14));
    c.mask1 = _mm256_setr_epi8(X2(0x07, 0x07, 0x78, 0x78, 0x3c, 0x38, 0x3c,
                                  0x38, 0x1e, 0x1c, 0x1e, 0x1c, 0x0f, 0x0e,
                                  0x0f, 0x0e));
    c.mask2 = _mm256_setr_epi8(X2(0x07, 0x07, 0x78, 0x78, 0x38, 0x3c, 0x38,
                                  0x3c, 0x1c, 0x1e, 0x1c, 0x1e, 0x0e, 0x0f,
                                  0x0e, 0x0f));
    c.mult = _mm256_setr_epi16(X2(16, 1, 2, 2, 4, 4, 8, 8));
    keep_in_reg(c.sign);
    keep_in_reg(c.pick1);
    keep_in_reg(c.pick2);
    keep_in_reg(c.mask1);
    keep_in_reg(c.mask2);
    keep_in_reg(c.mult);
    return c;
}

/* One block of 64 weights from R (already loaded); the products, times 8,
 * are added to acc. */
ALWAYS_INLINE __m256i sa35_m1_chunk(const sa35_m1_consts *c, __m256i r,
                                    const int8_t *a, __m256i acc)
{
    r = _mm256_xor_si256(r, c->sign);
    __m256i z = _mm256_srli_epi64(r, 4);
    __m256i o1 = _mm256_and_si256(_mm256_shuffle_epi8(r, c->pick1), c->mask1);
    __m256i o2 = _mm256_and_si256(_mm256_shuffle_epi8(z, c->pick2), c->mask2);
    __m256i p1 =
        _mm256_madd_epi16(_mm256_maddubs_epi16(o1, load_a(a)), c->mult);
    __m256i p2 =
        _mm256_madd_epi16(_mm256_maddubs_epi16(o2, load_a(a + 32)), c->mult);
    return _mm256_add_epi32(acc, _mm256_add_epi32(p1, p2));
}
#undef X2

ALWAYS_INLINE __m128i load16(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* R of the 28-byte block at p: bytes p-1 .. p+14 and p+13 .. p+28. */
ALWAYS_INLINE __m256i load_r(const uint8_t *p)
{
    return _mm256_inserti128_si256(_mm256_castsi128_si256(load16(p - 1)),
                                   load16(p + 13), 1);
}

/* sum_k a[k] * u[k] over len positions (a multiple of 128) of one column,
 * activations in sa35_m1_perm order. Reads bytes p - 1 .. p + 28 of each
 * 28-byte block, except before the column's first byte (which may be the
 * first byte of the weight buffer): that block is loaded at p and moved up
 * one byte instead. The int32 sums (8 times the products) are divided by
 * 8 every 2048 k: at most 8 * 2048 * 15 * 128 < 2^31 per lane. */
/* Not inlined: inside the big column loop the compiler spilled the
 * constants to the stack (a load each per use again). */
static __attribute__((noinline)) int32_t dot_sa35_m1(const uint8_t *p,
                                                     const int8_t *a,
                                                     size_t len)
{
    const sa35_m1_consts c = sa35_m1_consts_init();
    const __m256i zero = _mm256_setzero_si256();
    __m256i total = zero;
    /* Two blocks per iteration into two sums: less loop overhead (the
     * front end, 6 instructions a cycle, is near its limit too). */
    __m256i acc0 = sa35_m1_chunk(
        &c,
        _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_bslli_si128(load16(p), 1)),
            load16(p + 13), 1),
        a, zero);
    __m256i acc1 = sa35_m1_chunk(&c, load_r(p + 28), a + 64, zero);
    size_t k = 128;
    p += 56;
    while (k < len) {
        size_t end = (k & ~(size_t)2047) + 2048;
        end = end < len ? end : len;
        for (; k < end; k += 128, p += 56) {
            SA35_M1_PREFETCH(p);
            acc0 = sa35_m1_chunk(&c, load_r(p), a + k, acc0);
            acc1 = sa35_m1_chunk(&c, load_r(p + 28), a + k + 64, acc1);
        }
        total = _mm256_add_epi32(
            total, _mm256_srai_epi32(_mm256_add_epi32(acc0, acc1), 3));
        acc0 = acc1 = zero;
    }
    total = _mm256_add_epi32(
        total, _mm256_srai_epi32(_mm256_add_epi32(acc0, acc1), 3));
    return hsum(total);
}

/* Column n, rows m .. m+R-1, positions k0 .. k0+len-1 (see cpu_x86.h). */
ALWAYS_INLINE void dot_rows(const cpu_job *j, sa35_format fmt, int64_t n,
                            int64_t m, size_t k0, size_t len,
                            const uint8_t *wb, int R, int32_t *out)
{
    const uint8_t *col = cpu_col(j, n) + cpu_kbytes(fmt, k0);
    const int8_t *a = j->a + (size_t)m * j->kstride + k0;
    if (fmt == SA35_FMT_SA35 && R == 1 && j->M == 1) /* sa35_m1_perm */
        out[0] = dot_sa35_m1(col, a, len);
    else if (fmt == SA35_FMT_INT8)
        dot_i8(col, a, j->kstride, len, R, out);
    else
        dot_u8(fmt, col, wb, a, j->kstride, len, R, out);
}

CPU_X86_COLUMNS(unpack_block, dot_rows)

const cpu_backend cpu_backend_avx2 = {
    "avx2",
    {[SA35_FMT_SA35] = sa35_cols, [SA35_FMT_INT4] = int4_cols,
     [SA35_FMT_INT8] = int8_cols},
    {[SA35_FMT_INT4] = CPU_A_EVEN_ODD64},
    {[SA35_FMT_SA35] = sa35_m1_perm},
};
