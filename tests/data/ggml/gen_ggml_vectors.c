/* gen_ggml_vectors.c: reference vectors for sa35's ggml comparators, made by
 * ggml's own reference code. Not part of the sa35 build: it links ggml's
 * libggml-base (where quantize_row_*_ref and dequantize_row_* live) and is
 * built and run by hand as README.md in this folder says.
 *
 * For each input case it writes CASE.bin:
 *   "SA35GGV1"                       8 bytes
 *   n                                uint32, little-endian (a multiple of 256)
 *   x[n]                             float32, the input row
 *   then for q8_0, q4_0, q3_K in that order:
 *     blocks                         n / block * block bytes, as ggml stores
 *     y[n]                           float32, ggml's dequantization of them
 * and cases.txt, one line a case: "NAME N".
 *
 * The inputs come from a generator written here (xorshift64*, the polar
 * method), so they are the same on every machine. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ggml-quants.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the vectors are written in host byte order: it must be little-endian"
#endif

_Static_assert(sizeof(block_q8_0) == 34, "block_q8_0 is 34 bytes");
_Static_assert(sizeof(block_q4_0) == 18, "block_q4_0 is 18 bytes");
_Static_assert(sizeof(block_q3_K) == 110, "block_q3_K is 110 bytes");

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r) /* xorshift64* */
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1Dull;
}

static double uniform(rng *r) /* [0, 1), 53 bits */
{
    return (double)(next(r) >> 11) / 9007199254740992.0;
}

static double normal(rng *r) /* Marsaglia's polar method, one of the pair */
{
    for (;;) {
        double u = 2.0 * uniform(r) - 1.0, v = 2.0 * uniform(r) - 1.0;
        double q = u * u + v * v;
        if (q > 0.0 && q < 1.0)
            return u * sqrt(-2.0 * log(q) / q);
    }
}

static double student_t3(rng *r)
{
    double z = normal(r), a = normal(r), b = normal(r), c = normal(r);
    return z / sqrt((a * a + b * b + c * c) / 3.0);
}

/* Rows found by searching where a small change of the algorithm changes
 * ggml's blocks, so that the test catches it: xorshift64 (13, 7, 17) from
 * Marsaglia's seed, row `it` of n weights a / (c + 0.001)^(0.3 + 0.3 (it
 * mod 3)), a uniform in [-1, 1) and c in [0, 1), rows of 256 for Q3_K and of
 * 32 for Q4_0. Fused multiply-adds (ggml built with -march=haswell
 * -ffp-contract=fast against -ffp-contract=off): Q3_K rows 13091, 13786,
 * 38900, 44988 (8 of the first 200000 differ), Q4_0 rows 183881, 959136,
 * 1669462, 1699960 (4 of 2000000). make_q3_quants with four passes instead
 * of five: Q3_K rows 3066, 4080; its sum w x l taken as w (x l): row 96032
 * (the only one of 200000). */
static void search_rows(int n, const int *rows, int count, float *x)
{
    uint64_t s = 88172645463325252ull;
    int it = 0;
    for (int r = 0; r < count; r++) {
        for (; it < rows[r]; it++) /* skip a row: 2n draws */
            for (int i = 0; i < 2 * n; i++) {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
            }
        for (int i = 0; i < n; i++, x++) {
            double u[2];
            for (int j = 0; j < 2; j++) {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                u[j] = (double)(s >> 11) / 9007199254740992.0;
            }
            double p = 0.3 + (it % 3) * 0.3;
            *x = (float)((u[0] * 2 - 1) / pow(u[1] + 1e-3, p));
        }
        it++;
    }
}

enum { MAXN = 7 * 256 };

/* Index of the largest |x| in x[0..n). */
static int argmax_abs(const float *x, int n)
{
    int m = 0;
    for (int i = 1; i < n; i++)
        if (fabsf(x[i]) > fabsf(x[m]))
            m = i;
    return m;
}

/* Fill x[0..n) for case c; returns its n. */
static int make_case(int c, rng *r, float *x)
{
    int n = 256;
    switch (c) {
    case 0: /* gauss: sigma 0.02, an LLM weight's scale */
        n = 1024;
        for (int i = 0; i < n; i++)
            x[i] = (float)(0.02 * normal(r));
        break;
    case 1: /* student_t3: heavy tails */
        n = 1024;
        for (int i = 0; i < n; i++)
            x[i] = (float)(0.02 * student_t3(r));
        break;
    case 2: /* uniform in [-1, 1) */
        n = 512;
        for (int i = 0; i < n; i++)
            x[i] = (float)(2.0 * uniform(r) - 1.0);
        break;
    case 3: /* outlier: Gaussian with two weights at 75 and -45 sigma */
        n = 512;
        for (int i = 0; i < n; i++)
            x[i] = (float)(0.02 * normal(r));
        x[77] = 1.5f;
        x[300] = -0.9f;
        break;
    case 4: /* zero */
        memset(x, 0, sizeof(float) * (size_t)n);
        break;
    case 5: /* constant */
        for (int i = 0; i < n; i++)
            x[i] = 0.37f;
        break;
    case 6: /* constant_neg */
        for (int i = 0; i < n; i++)
            x[i] = -1.25f;
        break;
    case 7: /* negmax: every 16 weights' largest magnitude is negative */
    case 8: /* posmax: ... positive */
        for (int i = 0; i < n; i++)
            x[i] = (float)normal(r);
        for (int b = 0; b < n; b += 16) {
            int m = b + argmax_abs(x + b, 16);
            x[m] = (c == 7 ? -1.5f : 1.5f) * fabsf(x[m]);
        }
        break;
    case 9: /* ties: half-integer steps (Q4_0's grid and its midpoints),
             * then integers -4..3 (Q3_K's grid) */
        n = 512;
        for (int i = 0; i < 256; i++)
            x[i] = 0.5f * (float)(i % 32 - 16);
        for (int i = 256; i < n; i++)
            x[i] = (float)(i % 8 - 4);
        break;
    case 10: /* subblocks: 16-weight sub-blocks 2^-8 .. 2^7 apart, one zero,
              * one below ggml's GROUP_MAX_EPS, one whose scale rounds to 0 */
        for (int j = 0; j < 16; j++)
            for (int i = 0; i < 16; i++) {
                double g = normal(r);
                x[16 * j + i] = (float)(j == 3    ? 0.0
                                        : j == 5  ? 1e-17 * g
                                        : j == 9  ? 1e-4 * g
                                                  : ldexp(g, j - 8));
            }
        break;
    case 11: /* tiny: scales that are subnormal in fp16 */
        for (int i = 0; i < n; i++)
            x[i] = (float)(1e-6 * normal(r));
        break;
    case 12: /* large */
        for (int i = 0; i < n; i++)
            x[i] = (float)(1000.0 * normal(r));
        break;
    case 13: /* denormal: Q8_0's float scale is subnormal, 1/d is inf */
        for (int i = 0; i < n; i++)
            x[i] = (float)(1e-38 * normal(r));
        break;
    case 14: /* sparse: one weight in 16 nonzero */
        for (int i = 0; i < n; i++)
            x[i] = i % 16 == (i / 16) % 16 ? (float)normal(r) : 0.0f;
        break;
    case 15: /* search_q3k: the Q3_K rows above */
        n = 7 * 256;
        search_rows(256, (const int[]){3066, 4080, 13091, 13786, 38900,
                                       44988, 96032},
                    7, x);
        break;
    case 16: /* search_q4_0: the Q4_0 rows above and their neighbours */
        search_rows(32, (const int[]){183881, 183882, 959136, 959137,
                                      1669462, 1669463, 1699960, 1699961},
                    8, x);
        break;
    case 17: /* ties_half: roundf's and fp16's ties, block by block */
        for (int i = 0; i < n; i++)
            x[i] = (float)(0.5 * normal(r));
        x[0] = 127.0f; /* Q8_0: d = id = 1, the rest on half-integers */
        for (int j = 1; j < 32; j++)
            x[j] = (float)(j - 16) + 0.5f;
        x[32] = 127.0f * (1.0f + ldexpf(1, -11)); /* Q8_0 d: fp16 tie */
        x[64] = 127.0f * (1.0f + ldexpf(5, -11)); /* ... to the even above */
        x[96] = -8.0f * (1.0f + ldexpf(1, -11));  /* Q4_0 d: fp16 tie */
        for (int j = 128; j < 160; j++) /* Q8_0 d = 3 2^-25: subnormal tie */
            x[j] = (j % 2 ? 1.0f : -1.0f) * ldexpf(127.0f * 3.0f, -25);
        x[160] = -8.0f * ldexpf(1, -25); /* Q4_0 d = 2^-25: tie to 0 */
        for (int j = 161; j < 192; j++)
            x[j] *= 1e-7f;
        break;
    default:
        return 0;
    }
    return n;
}

static const char *const names[] = {
    "gauss", "student_t3", "uniform", "outlier", "zero", "constant",
    "constant_neg", "negmax", "posmax", "ties", "subblocks", "tiny",
    "large", "denormal", "sparse", "search_q3k", "search_q4_0",
    "ties_half",
};

static void put(FILE *f, const void *p, size_t n, const char *path)
{
    if (fwrite(p, 1, n, f) != n) {
        fprintf(stderr, "gen_ggml_vectors: %s: write failed\n", path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_ggml_vectors OUTDIR\n");
        return 1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/cases.txt", argv[1]);
    FILE *list = fopen(path, "w");
    if (!list) {
        fprintf(stderr, "gen_ggml_vectors: %s: cannot create\n", path);
        return 1;
    }
    rng r = {0x5A35C0DE2B1Dull};
    static float x[MAXN], y[MAXN];
    static uint8_t blocks[MAXN / 32 * 34];
    for (int c = 0; c < (int)(sizeof names / sizeof *names); c++) {
        int n = make_case(c, &r, x);
        snprintf(path, sizeof path, "%s/%s.bin", argv[1], names[c]);
        FILE *f = fopen(path, "wb");
        if (!f) {
            fprintf(stderr, "gen_ggml_vectors: %s: cannot create\n", path);
            return 1;
        }
        uint32_t n32 = (uint32_t)n;
        put(f, "SA35GGV1", 8, path);
        put(f, &n32, 4, path);
        put(f, x, sizeof(float) * (size_t)n, path);

        quantize_row_q8_0_ref(x, (block_q8_0 *)blocks, n);
        dequantize_row_q8_0((const block_q8_0 *)blocks, y, n);
        put(f, blocks, (size_t)n / 32 * 34, path);
        put(f, y, sizeof(float) * (size_t)n, path);

        quantize_row_q4_0_ref(x, (block_q4_0 *)blocks, n);
        dequantize_row_q4_0((const block_q4_0 *)blocks, y, n);
        put(f, blocks, (size_t)n / 32 * 18, path);
        put(f, y, sizeof(float) * (size_t)n, path);

        quantize_row_q3_K_ref(x, (block_q3_K *)blocks, n);
        dequantize_row_q3_K((const block_q3_K *)blocks, y, n);
        put(f, blocks, (size_t)n / 256 * 110, path);
        put(f, y, sizeof(float) * (size_t)n, path);

        if (fclose(f)) {
            fprintf(stderr, "gen_ggml_vectors: %s: write failed\n", path);
            return 1;
        }
        fprintf(list, "%s %d\n", names[c], n);
    }
    if (fclose(list)) {
        fprintf(stderr, "gen_ggml_vectors: cases.txt: write failed\n");
        return 1;
    }
    return 0;
}
