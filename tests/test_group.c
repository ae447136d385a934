/* test_group.c: group-scaled weights (docs/format.md, "Group scaling"):
 * the binary16 grid by hand, codes against the rounded grid, the float32
 * accumulator against a per-group computation through the per-column
 * path, the limits on G, bits per weight and the file round trip. */
#include "sa35_cmodel.h"
#include "sa35_io.h"
#include "test_util.h"

static int is_half(float v)
{
    return sa35_f16_to_f32(sa35_f32_to_f16(v)) == v;
}

/* K = 32 in two groups of 16 (SA35): group 0 spans -1 .. 2, group 1 is
 * constant 0.1. By hand: s = 3/15 = 0.2 rounds to binary16 0x3266 =
 * 0.199951171875; z = -1 + 8 s = 0.599609375 (exactly 1228 * 2^-11, a
 * binary16 value); group 1: s = 0, z = binary16(0.1) = 0.0999755859375. */
static void test_worked_example(void)
{
    float w[32];
    for (int k = 0; k < 16; k++)
        w[k] = k == 3 ? 2.0f : k == 5 ? -1.0f : 0.25f;
    for (int k = 16; k < 32; k++)
        w[k] = 0.1f;
    sa35_fview v = {w, 32, 1, 1, 1};
    sa35_qweights q;
    sa35_err err;
    CHECK(sa35_quantize_group(&v, SA35_FMT_SA35, 16, &q, &err) == 0);
    CHECK(q.group == 16 && q.ngroups == 2);
    CHECK(sa35_qweights_scale(&q, 0, 0) == 0.199951171875f);
    CHECK(sa35_qweights_zero(&q, 0, 0) == 0.599609375f);
    CHECK(sa35_qweights_scale(&q, 1, 0) == 0.0f);
    CHECK(sa35_qweights_zero(&q, 1, 0) == 0.0999755859375f);
    /* k = 5 (odd): (-1 - z) / 2s = -4.0 -> c = -4, q = -8; k = 3 (odd):
     * (2 - z) / 2s = 3.502 -> rounds to 4, clamps to 3, q = 6; k = 0
     * (even): (0.25 - z) / s = -1.749 -> e = -2 */
    CHECK(sa35_qweights_code(&q, 5, 0) == -8);
    CHECK(sa35_qweights_code(&q, 3, 0) == 6);
    CHECK(sa35_qweights_code(&q, 0, 0) == -2);
    for (int k = 16; k < 32; k++)
        CHECK(sa35_qweights_code(&q, k, 0) == 0);
    sa35_qweights_free(&q);
}

/* Student-t-like data (a normal over the root of a chi-square of 3) with
 * a heavy tail: groups must beat one grid per column. */
static void fill_heavy(float *w, int64_t n, uint64_t *seed)
{
    for (int64_t i = 0; i < n; i++) {
        double c = 0.0;
        for (int j = 0; j < 3; j++) {
            double g = test_rand_normal(seed);
            c += g * g;
        }
        w[i] = (float)(0.02 * test_rand_normal(seed) / sqrt(c / 3.0 + 1e-6));
    }
}

static void test_grid_and_quality(void)
{
    const int64_t K = 1000, N = 7; /* K not a multiple of G: a short group */
    float *w = malloc((size_t)(K * N) * sizeof *w);
    float *wh = malloc((size_t)(K * N) * sizeof *wh);
    uint64_t seed = 11;
    fill_heavy(w, K * N, &seed);
    sa35_fview v = {w, K, N, N, 1};
    sa35_err err;
    for (int f = 0; f < SA35_FMT_COUNT; f++) {
        sa35_qweights pc, g;
        CHECK(sa35_quantize(&v, (sa35_format)f, &pc, &err) == 0);
        CHECK(sa35_quantize_group(&v, (sa35_format)f, 64, &g, &err) == 0);
        CHECK(g.ngroups == 16);
        /* every scale and zero a binary16 value; dequantized = z + s q */
        int bad = 0;
        for (int32_t i = 0; i < g.N * g.ngroups; i++)
            bad += !is_half(g.scale[i]) || !is_half(g.zero[i]);
        CHECK(bad == 0);
        sa35_dequantize(&g, wh);
        bad = 0;
        for (int32_t n = 0; n < g.N; n++)
            for (int32_t k = 0; k < g.K; k++) {
                int32_t gi = k / 64;
                float t = sa35_qweights_scale(&g, gi, n) *
                          (float)sa35_qweights_code(&g, k, n);
                bad += wh[k * N + n] != sa35_qweights_zero(&g, gi, n) + t;
            }
        CHECK(bad == 0);
        sa35_quality qp, qg;
        sa35_quality_measure(&v, &pc, &qp);
        sa35_quality_measure(&v, &g, &qg);
        CHECK_MSG(qg.sqnr_db > qp.sqnr_db + 3.0, "%s: groups %.2f dB, per "
                  "column %.2f dB", sa35_format_info((sa35_format)f)->name,
                  qg.sqnr_db, qp.sqnr_db);
        sa35_qweights_free(&pc);
        sa35_qweights_free(&g);
    }
    free(w);
    free(wh);
}

/* The float32 accumulator of sa35_gemm_acc, recomputed group by group
 * through the per-column integer path: each group's rows of W become a
 * per-column weight of their own with the same codes, so its int32 acc and
 * row sum are psum_g and rsum_g. */
static void test_accumulator(void)
{
    const int64_t K = 200, N = 5, M = 3, G = 48;
    float *w = malloc((size_t)(K * N) * sizeof *w);
    int8_t *A = malloc((size_t)(M * K));
    uint64_t seed = 5;
    fill_heavy(w, K * N, &seed);
    for (int64_t i = 0; i < M * K; i++)
        A[i] = (int8_t)test_rand_range(&seed, -128, 127);
    sa35_fview v = {w, K, N, N, 1};
    sa35_err err;
    for (int f = 0; f < SA35_FMT_COUNT; f++) {
        sa35_qweights q;
        CHECK(sa35_quantize_group(&v, (sa35_format)f, G, &q, &err) == 0);
        int32_t *acc = malloc((size_t)(M * N) * sizeof *acc);
        float *want = malloc((size_t)(M * N) * sizeof *want);
        sa35_gemm_acc(A, M, &q, acc, NULL);
        for (int32_t g = 0; g < q.ngroups; g++) {
            int64_t k0 = g * G, len = K - k0 < G ? K - k0 : G;
            sa35_qweights sub;
            CHECK(sa35_qweights_alloc(&sub, (sa35_format)f, len, N, &err) ==
                  0);
            int8_t *As = malloc((size_t)(M * len));
            int32_t *ps = malloc((size_t)(M * N) * sizeof *ps), rs[3];
            for (int64_t m = 0; m < M; m++)
                memcpy(As + m * len, A + m * K + k0, (size_t)len);
            /* groups start on a byte: the group's codes are a slice of
             * the column (its padding is code 0 in both) */
            size_t gbytes = (size_t)(G * sa35_format_info((sa35_format)f)
                                             ->bits_per_16k / 128);
            for (int32_t n = 0; n < N; n++)
                memcpy(sub.qweight + (size_t)n * sub.colbytes,
                       q.qweight + (size_t)n * q.colbytes + (size_t)g * gbytes,
                       sub.colbytes);
            sa35_gemm_acc(As, M, &sub, ps, rs);
            for (int64_t m = 0; m < M; m++)
                for (int32_t n = 0; n < N; n++) {
                    float t = sa35_group_term(sa35_qweights_scale(&q, g, n),
                                              sa35_qweights_zero(&q, g, n),
                                              ps[m * N + n], rs[m]);
                    want[m * N + n] = g ? want[m * N + n] + t : t;
                }
            sa35_qweights_free(&sub);
            free(ps);
            free(As);
        }
        int bad = 0;
        for (int64_t i = 0; i < M * N; i++)
            bad += acc[i] != sa35_acc_word(want[i]);
        CHECK_MSG(bad == 0, "%s: %d accumulators differ",
                  sa35_format_info((sa35_format)f)->name, bad);
        free(acc);
        free(want);
        sa35_qweights_free(&q);
    }
    free(w);
    free(A);
}

/* One group covering K is the per-column output stage: the same Y from
 * the float32 accumulator as from int32 acc with those scales. */
static void test_one_group_is_per_column(void)
{
    const int64_t K = 96, N = 4, M = 2;
    float w[96 * 4], X[2 * 96], sa[2], Yg[8], Yc[8];
    int8_t A[2 * 96];
    int32_t accg[8], accc[8], rsum[2];
    uint64_t seed = 9;
    for (int i = 0; i < 96 * 4; i++)
        w[i] = test_rand_normal(&seed);
    for (int i = 0; i < 2 * 96; i++)
        X[i] = test_rand_normal(&seed);
    sa35_fview v = {w, K, N, N, 1};
    sa35_err err;
    sa35_qweights g, c;
    CHECK(sa35_quantize_group(&v, SA35_FMT_SA35, 96, &g, &err) == 0);
    CHECK(sa35_qweights_alloc(&c, SA35_FMT_SA35, K, N, &err) == 0);
    memcpy(c.qweight, g.qweight, (size_t)N * c.colbytes);
    memcpy(c.scale, g.scale, (size_t)N * sizeof(float));
    memcpy(c.zero, g.zero, (size_t)N * sizeof(float));
    CHECK(sa35_quantize_activations(X, M, K, A, sa, &err) == 0);
    sa35_gemm_acc(A, M, &g, accg, rsum);
    sa35_gemm_output(M, &g, sa, rsum, accg, Yg);
    sa35_gemm_acc(A, M, &c, accc, rsum);
    sa35_gemm_output(M, &c, sa, rsum, accc, Yc);
    CHECK(memcmp(Yg, Yc, sizeof Yg) == 0);
    sa35_qweights_free(&g);
    sa35_qweights_free(&c);
}

static void test_limits(void)
{
    sa35_err err;
    CHECK(sa35_group_check(SA35_FMT_SA35, 8, &err) == -1 &&
          strstr(err.msg, "multiple of 16"));
    CHECK(sa35_group_check(SA35_FMT_SA35, 24, &err) == -1);
    CHECK(sa35_group_check(SA35_FMT_SA35, 16368, &err) == 0);
    CHECK(sa35_group_check(SA35_FMT_SA35, 16384, &err) == -1 &&
          strstr(err.msg, "2^24"));
    CHECK(sa35_group_check(SA35_FMT_INT3, 32752, &err) == 0);
    CHECK(sa35_group_check(SA35_FMT_INT8, 1008, &err) == 0);
    CHECK(sa35_group_check(SA35_FMT_INT8, 1024, &err) == -1);
    float w[32];
    for (int k = 0; k < 32; k++)
        w[k] = k == 7 ? 1e6f : 0.0f; /* s = 1e6 / 15 > 65504 */
    sa35_fview v = {w, 32, 1, 1, 1};
    sa35_qweights q;
    CHECK(sa35_quantize_group(&v, SA35_FMT_SA35, 16, &q, &err) == -1 &&
          strstr(err.msg, "column 0, group 0") && strstr(err.msg, "binary16"));
    CHECK(sa35_quantize(&v, SA35_FMT_SA35, &q, &err) == 0); /* float32 fine */
    sa35_qweights_free(&q);
}

static void test_bits_per_weight(void)
{
    /* SA35, K = 8192 in groups of 640: 8192 * 3.5 code bits + 13 groups of
     * 32 bits. INT8 in groups of 128: 8 bits + 16 per 128. */
    CHECK(sa35_bits_per_weight_group(SA35_FMT_SA35, 8192, 3, 640) ==
          (8192.0 * 3.5 + 13.0 * 32.0) / 8192.0);
    CHECK(sa35_bits_per_weight_group(SA35_FMT_INT4, 8192, 3, 128) == 4.25);
    CHECK(sa35_bits_per_weight_group(SA35_FMT_INT3, 8192, 3, 64) == 3.5);
    CHECK(sa35_bits_per_weight_group(SA35_FMT_INT8, 8192, 3, 128) == 8.125);
    CHECK(sa35_bits_per_weight_group(SA35_FMT_SA35, 8192, 3, 0) ==
          sa35_bits_per_weight(SA35_FMT_SA35, 8192, 3));
}

static void test_file_round_trip(void)
{
    const int64_t K = 100, N = 3;
    float w[300];
    uint64_t seed = 3;
    fill_heavy(w, K * N, &seed);
    sa35_fview v = {w, K, N, N, 1};
    sa35_err err;
    sa35_qweights q, r;
    CHECK(sa35_quantize_group(&v, SA35_FMT_INT4, 32, &q, &err) == 0);
    sa35_st_writer *wr = sa35_st_writer_new();
    CHECK(wr && sa35_qfile_add(wr, "w", &q, &err) == 0 &&
          sa35_st_writer_write(wr, "g.safetensors", &err) == 0);
    sa35_st_writer_free(wr);
    sa35_safetensors st;
    CHECK(sa35_st_open("g.safetensors", &st, &err) == 0);
    const sa35_st_tensor *t = sa35_st_find(&st, "w.scale");
    CHECK(t && t->dtype == SA35_DT_F16 && t->ndim == 2 && t->shape[0] == 3 &&
          t->shape[1] == 4);
    CHECK(strcmp(sa35_st_meta_get(&st, "w.group"), "32") == 0);
    CHECK(sa35_qfile_load(&st, NULL, &r, &err) == 0);
    CHECK(r.group == 32 && r.ngroups == 4 && r.fmt == SA35_FMT_INT4);
    CHECK(memcmp(r.qweight, q.qweight, (size_t)N * q.colbytes) == 0);
    CHECK(memcmp(r.scale, q.scale, 12 * sizeof(float)) == 0);
    CHECK(memcmp(r.zero, q.zero, 12 * sizeof(float)) == 0);
    sa35_qweights_free(&r);
    sa35_st_close(&st);
    sa35_qweights_free(&q);
}

int main(void)
{
    test_worked_example();
    test_grid_and_quality();
    test_accumulator();
    test_one_group_is_per_column();
    test_limits();
    test_bits_per_weight();
    test_file_round_trip();
    return TEST_DONE();
}
