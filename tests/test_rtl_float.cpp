/* test_rtl_float.cpp: the float units of group scaling (docs/format.md,
 * "Group scaling (normative)"; docs/rtl.md) against C, bit for bit:
 *
 *   mul   rtl/sa35_fp_mul.v (IntW 25: |x| < 2^24) against fl(h * float(x))
 *         in C, h the binary16 value (sa35_f16_to_f32)
 *   add   rtl/sa35_fp_add.v against fl(a + b) in C
 *   term  rtl/sa35_gs_term.v (PsumW = RsumW = 25) against sa35_group_term
 *         (cmodel/golden_gemm.c)
 *
 * The C side is compiled with -ffp-contract=off (the project's flags), so
 * each operation is one IEEE binary32 operation rounded to nearest even.
 * Vectors: every binary16 value but inf and NaN (both signs, subnormals)
 * against edge integers, and random ones; for the adder, random normals
 * over a wide exponent range, the same with small exponent gaps (ties are
 * frequent there), large gaps, cancellation (b near -a), carries out of
 * the significand, and zeros of both signs against everything; for the
 * term, random scales and sums and z rsum near -s psum. Each mode counts
 * the cases it reached (ties, carries, cancellations, zeros of each sign)
 * and fails if one class was never reached. argv[1] picks the mode. */
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "Vsa35_fp_add.h"
#include "Vsa35_fp_mul.h"
#include "Vsa35_gs_term.h"
#include "sa35_cmodel.h"
#include "test_util.h"

static uint64_t rng = 0x5A35F10A7ull;
static uint64_t rnd() { return test_rand_u64(&rng); }
static uint32_t pick(uint32_t lo, uint32_t hi)
{
    return (uint32_t)test_rand_range(&rng, lo, hi);
}

static uint32_t bits(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}
static float of_bits(uint32_t u)
{
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

static long vectors;

/* ------------------------------------------------------------------ mul */
enum { INT_W = 25, INT_LIM = (1 << 24) - 1 };
static const uint32_t INT_MASK = (1u << INT_W) - 1u;

/* A binary16 value that is not an infinity or a NaN. */
static uint16_t random_half()
{
    uint16_t h;
    do
        h = (uint16_t)rnd();
    while (((h >> 10) & 0x1F) == 0x1F);
    return h;
}

/* An integer of |x| < 2^24 with a random bit length (so small ones come
 * as often as large ones). */
static int32_t random_int(int maxbits = 24)
{
    int b = (int)pick(0, (uint32_t)maxbits);
    int32_t v = b ? (int32_t)(rnd() & ((1ull << b) - 1)) : 0;
    if (v > INT_LIM)
        v = INT_LIM;
    return rnd() & 1 ? -v : v;
}

struct mul_counts {
    long ties, carries, inexact, pzero, nzero;
};

/* The exact product's class: a tie (the bits below the 24 kept are
 * exactly one half), a carry (rounding up reached the next power of two). */
static void mul_classify(uint16_t h, int32_t x, uint32_t got, mul_counts *c)
{
    uint32_t e = (h >> 10) & 0x1F, m = (h & 0x3FF) | (e ? 0x400u : 0u);
    uint64_t p = (uint64_t)m * (uint64_t)(x < 0 ? -(int64_t)x : x);
    if (!p) {
        (got >> 31 ? c->nzero : c->pzero)++;
        return;
    }
    int lead = 63 - __builtin_clzll(p);
    if (lead < 24)
        return;
    int drop = lead - 23;
    uint64_t rest = p & ((1ull << drop) - 1), half = 1ull << (drop - 1);
    c->inexact += rest != 0;
    c->ties += rest == half;
    uint64_t top = p >> drop;
    if (top == 0xFFFFFF && rest >= half)
        c->carries++;
}

static void mul_one(Vsa35_fp_mul &m, uint16_t h, int32_t x, mul_counts *c)
{
    m.h_i = h;
    m.x_i = (uint32_t)x & INT_MASK;
    m.eval();
    volatile float hv = sa35_f16_to_f32(h);
    volatile float xv = (float)x;
    float want = hv * xv;
    vectors++;
    mul_classify(h, x, m.y_o, c);
    if (m.y_o != bits(want) && test_failures++ < 10)
        fprintf(stderr, "mul: h 0x%04x x %d: rtl 0x%08x (%a), C 0x%08x "
                        "(%a)\n",
                h, x, m.y_o, (double)of_bits(m.y_o), bits(want),
                (double)want);
}

static void test_mul()
{
    Vsa35_fp_mul m;
    mul_counts c = {0, 0, 0, 0, 0};
    /* every binary16 value but inf and NaN against edge integers */
    static const int32_t edge[] = {0, 1, 2, 3, 5, 7, 255, 1023, 1025, 2047,
                                   2049, 4095, 65535, 65537, 0x7FFFFF,
                                   0x800000, 0x800001, 0xAAAAAA, 0x555555,
                                   0xFFFFFE, INT_LIM, 0xFFF001, 0x1FFF,
                                   0x2001, 0xC00001, 0x100001};
    for (uint32_t h = 0; h < 0x10000; h++) {
        if (((h >> 10) & 0x1F) == 0x1F)
            continue;
        for (int32_t x : edge) {
            mul_one(m, (uint16_t)h, x, &c);
            mul_one(m, (uint16_t)h, -x, &c);
        }
    }
    /* x = +-(2^a + 2^b): sparse products, so ties and exact halves */
    for (int a = 0; a < 24; a++)
        for (int b = 0; b <= a; b++)
            for (int i = 0; i < 200; i++) {
                int32_t x = (int32_t)((1u << a) + (a == b ? 0 : 1u << b));
                if (x > INT_LIM)
                    x = INT_LIM;
                mul_one(m, random_half(), rnd() & 1 ? -x : x, &c);
            }
    /* carries: m x = 2^k - r with r small, x = floor(2^k / m), for every
     * significand m of 11 bits */
    for (uint32_t man = 1024; man < 2048; man++)
        for (int k = 25; k <= 34; k++) {
            int32_t x = (int32_t)((1ull << k) / man);
            if (x > INT_LIM)
                continue;
            uint16_t h = (uint16_t)(pick(1, 30) << 10 | (man & 0x3FF));
            mul_one(m, h, x, &c);
            mul_one(m, (uint16_t)(h | 0x8000u), -x, &c);
        }
    for (long i = 0; i < 3000000; i++)
        mul_one(m, random_half(), random_int(), &c);
    m.final();
    fprintf(stderr, "mul: %ld vectors: %ld inexact, %ld ties, %ld carries "
                    "to the next power of two, %ld +0, %ld -0\n",
            vectors, c.inexact, c.ties, c.carries, c.pzero, c.nzero);
    if (!c.ties || !c.carries || !c.pzero || !c.nzero || !c.inexact) {
        fprintf(stderr, "mul: a class of vectors was never reached\n");
        test_failures++;
    }
}

/* ------------------------------------------------------------------ add */
struct add_counts {
    long ties, carries, cancel, exact_zero, nzero, gap_large, same_exp;
};

/* A normal float with a biased exponent in lo..hi. */
static uint32_t random_normal(uint32_t lo, uint32_t hi)
{
    return (uint32_t)(rnd() & 1) << 31 | pick(lo, hi) << 23 |
           (uint32_t)(rnd() & 0x7FFFFF);
}

static void add_classify(uint32_t a, uint32_t b, float want, add_counts *c)
{
    float fa = of_bits(a), fb = of_bits(b);
    int ea = (a >> 23) & 0xFF, eb = (b >> 23) & 0xFF, ew = (bits(want) >> 23) & 0xFF;
    int emax = ea > eb ? ea : eb;
    if (want == 0.0f) {
        c->exact_zero++;
        c->nzero += bits(want) >> 31;
        return;
    }
    if (ea && eb && abs(ea - eb) > 24)
        c->gap_large++;
    if (ea && ea == eb)
        c->same_exp++;
    if (ew > emax)
        c->carries++;
    if (ea && eb && ew < emax - 1)
        c->cancel++;
    /* the exact error of the rounded sum (TwoSum), and a tie when it is
     * half the spacing of the floats on its side */
    volatile float s = want;
    volatile float bb = s - fa;
    float err = (fa - (s - bb)) + (fb - bb);
    if (err != 0.0f) {
        float next = std::nextafter(s, err > 0 ? INFINITY : -INFINITY);
        if (2.0f * std::fabs(err) == std::fabs(next - s))
            c->ties++;
    }
}

static void add_one(Vsa35_fp_add &m, uint32_t a, uint32_t b, add_counts *c)
{
    m.a_i = a;
    m.b_i = b;
    m.eval();
    volatile float fa = of_bits(a), fb = of_bits(b);
    float want = fa + fb;
    vectors++;
    add_classify(a, b, want, c);
    if (m.y_o != bits(want) && test_failures++ < 10)
        fprintf(stderr, "add: 0x%08x (%a) + 0x%08x (%a): rtl 0x%08x (%a), C "
                        "0x%08x (%a)\n",
                a, (double)of_bits(a), b, (double)of_bits(b), m.y_o,
                (double)of_bits(m.y_o), bits(want), (double)want);
}

static void test_add()
{
    Vsa35_fp_add m;
    add_counts c = {0, 0, 0, 0, 0, 0, 0};
    /* exponents 30..220: every sum and difference stays normal */
    const uint32_t LO = 30, HI = 220;
    const uint32_t zeros[] = {0x00000000u, 0x80000000u};
    /* zeros of both signs against each other and against normals */
    for (uint32_t z1 : zeros)
        for (uint32_t z2 : zeros)
            add_one(m, z1, z2, &c);
    for (int i = 0; i < 200000; i++) {
        uint32_t x = random_normal(LO, HI);
        for (uint32_t z : zeros) {
            add_one(m, x, z, &c);
            add_one(m, z, x, &c);
        }
        add_one(m, x, x ^ 0x80000000u, &c); /* x + (-x) = +0 */
        add_one(m, x, x, &c);
    }
    for (int i = 0; i < 1500000; i++) {
        /* independent exponents: large gaps */
        add_one(m, random_normal(LO, HI), random_normal(LO, HI), &c);
        /* gaps of 0..30 (ties are frequent for small ones) */
        uint32_t a = random_normal(LO + 31, HI);
        uint32_t gap = pick(0, 30);
        uint32_t b = (uint32_t)(rnd() & 1) << 31 |
                     (((a >> 23) & 0xFF) - gap) << 23 |
                     (uint32_t)(rnd() & 0x7FFFFF);
        add_one(m, a, b, &c);
        add_one(m, b, a, &c);
        /* cancellation: b = -a moved by a few units in the last place */
        uint32_t d = (a ^ 0x80000000u) + (uint32_t)((int32_t)pick(0, 64) - 32);
        if (((d >> 23) & 0xFF) >= LO)
            add_one(m, a, d, &c);
        /* carries: significands near all ones, the same sign */
        uint32_t top = (a & 0xFF800000u) | (0x7FFFFFu - pick(0, 7));
        uint32_t small = (a & 0x80000000u) |
                         (((a >> 23) & 0xFF) - pick(0, 25)) << 23 |
                         (uint32_t)(rnd() & 0x7FFFFF);
        add_one(m, top, small, &c);
    }
    m.final();
    fprintf(stderr, "add: %ld vectors: %ld ties, %ld carries into the "
                    "exponent, %ld cancellations (2+ bits), %ld exact zeros "
                    "(%ld of them -0), %ld exponent gaps > 24, %ld equal "
                    "exponents\n",
            vectors, c.ties, c.carries, c.cancel, c.exact_zero, c.nzero,
            c.gap_large, c.same_exp);
    if (!c.ties || !c.carries || !c.cancel || !c.exact_zero || !c.nzero ||
        !c.gap_large || !c.same_exp) {
        fprintf(stderr, "add: a class of vectors was never reached\n");
        test_failures++;
    }
}

/* ----------------------------------------------------------------- term */
static void term_one(Vsa35_gs_term &m, uint16_t s, uint16_t z, int32_t psum,
                     int32_t rsum, long *zeros)
{
    m.s_i = s;
    m.z_i = z;
    m.psum_i = (uint32_t)psum & INT_MASK;
    m.rsum_i = (uint32_t)rsum & INT_MASK;
    m.eval();
    float want = sa35_group_term(sa35_f16_to_f32(s), sa35_f16_to_f32(z),
                                 psum, rsum);
    vectors++;
    *zeros += want == 0.0f;
    if (m.t_o != bits(want) && test_failures++ < 10)
        fprintf(stderr, "term: s 0x%04x z 0x%04x psum %d rsum %d: rtl "
                        "0x%08x (%a), C 0x%08x (%a)\n",
                s, z, psum, rsum, m.t_o, (double)of_bits(m.t_o), bits(want),
                (double)want);
}

static void test_term()
{
    Vsa35_gs_term m;
    long zeros = 0, near = 0;
    for (long i = 0; i < 2000000; i++) {
        uint16_t s = random_half(), z = random_half();
        term_one(m, s, z, random_int(), random_int(), &zeros);
        /* realistic: s > 0 small, z of either sign, psum and rsum of a
         * tile of int8 activations (|rsum| <= 128 * 640) */
        uint16_t s2 = sa35_f32_to_f16(std::ldexp((float)pick(1, 4096), -(int)pick(10, 26)));
        int32_t rs = (int32_t)pick(0, 2 * 81920) - 81920;
        int32_t ps = random_int(21);
        /* z near -s psum / rsum: the two products cancel */
        float zf = rs ? -sa35_f16_to_f32(s2) * (float)ps / (float)rs : 0.0f;
        uint16_t z2 = std::fabs(zf) < 65504.0f ? sa35_f32_to_f16(zf)
                                               : (uint16_t)0;
        term_one(m, s2, z2, ps, rs, &zeros);
        near++;
        term_one(m, s2, (uint16_t)(z2 ^ 0x8000u), ps, rs, &zeros);
    }
    /* zeros in every place */
    static const uint16_t hz[] = {0x0000, 0x8000, 0x3C00, 0xBC00, 0x0001,
                                  0x8001, 0x7BFF, 0xFBFF};
    static const int32_t iz[] = {0, 1, -1, INT_LIM, -INT_LIM, 12345};
    for (uint16_t s : hz)
        for (uint16_t z : hz)
            for (int32_t p : iz)
                for (int32_t r : iz)
                    term_one(m, s, z, p, r, &zeros);
    m.final();
    fprintf(stderr, "term: %ld vectors (%ld with z rsum near -s psum), %ld "
                    "zero results\n", vectors, near, zeros);
    if (!zeros) {
        fprintf(stderr, "term: no zero result was reached\n");
        test_failures++;
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!std::strcmp(mode, "mul"))
        test_mul();
    else if (!std::strcmp(mode, "add"))
        test_add();
    else if (!std::strcmp(mode, "term"))
        test_term();
    else {
        fprintf(stderr, "usage: test_rtl_float mul|add|term\n");
        return 2;
    }
    fprintf(stderr, "test_rtl_float %s: %ld vectors, %d failure(s)\n", mode,
            vectors, test_failures);
    return test_failures ? 1 : 0;
}
