/* test_ggml_formats.c: sa35's ggml comparators (Q8_0, Q4_0, Q3_K) against
 * vectors made by ggml's own quantize_row_*_ref and dequantize_row_*
 * (tests/data/ggml/, README.md there says how): the same block bytes from
 * the same input, the same float bits from the same blocks. */
#include "sa35_cmodel.h"
#include "test_util.h"

/* One case of tests/data/ggml: the input and, per type, ggml's blocks and
 * ggml's dequantization of them. */
typedef struct ggml_case {
    char name[64];
    int64_t n;
    float *x;
    uint8_t *blocks[SA35_GGML_COUNT];
    float *y[SA35_GGML_COUNT];
    uint8_t *buf; /* the whole file */
} ggml_case;

static const char *data_dir;

/* Read CASE.bin; 0 on success. Its size must be exactly what n says. */
static int load_case(const char *name, int64_t n, ggml_case *c)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/ggml/%s.bin", data_dir, name);
    size_t want = 12 + 4 * (size_t)n;
    for (int t = 0; t < SA35_GGML_COUNT; t++)
        want += sa35_ggml_row_bytes((sa35_ggml_type)t, n) + 4 * (size_t)n;
    FILE *f = fopen(path, "rb");
    CHECK_MSG(f, "%s: cannot open", path);
    if (!f)
        return -1;
    c->buf = malloc(want + 1);
    size_t got = fread(c->buf, 1, want + 1, f);
    fclose(f);
    uint32_t n32;
    memcpy(&n32, c->buf + 8, 4);
    CHECK_MSG(got == want && memcmp(c->buf, "SA35GGV1", 8) == 0 &&
                  n32 == (uint32_t)n,
              "%s: %zu bytes, want %zu, n %u", path, got, want, n32);
    if (got != want) {
        free(c->buf);
        return -1;
    }
    snprintf(c->name, sizeof c->name, "%s", name);
    c->n = n;
    uint8_t *p = c->buf + 12;
    c->x = (float *)p;
    p += 4 * (size_t)n;
    for (int t = 0; t < SA35_GGML_COUNT; t++) {
        c->blocks[t] = p;
        p += sa35_ggml_row_bytes((sa35_ggml_type)t, n);
        c->y[t] = (float *)p;
        p += 4 * (size_t)n;
    }
    return 0;
}

/* Our quantizer gives ggml's bytes; our dequantizer of ggml's bytes gives
 * ggml's float bits. */
static void check_case(const ggml_case *c)
{
    for (int t = 0; t < SA35_GGML_COUNT; t++) {
        const sa35_ggml_traits *g = sa35_ggml_info((sa35_ggml_type)t);
        size_t nb = sa35_ggml_row_bytes((sa35_ggml_type)t, c->n);
        uint8_t *ours = malloc(nb);
        float *y = malloc(4 * (size_t)c->n);
        memset(ours, 0xA5, nb); /* every byte must be written */
        sa35_ggml_quantize_row((sa35_ggml_type)t, c->x, c->n, ours);
        size_t i = 0;
        while (i < nb && ours[i] == c->blocks[t][i])
            i++;
        CHECK_MSG(i == nb, "%s %s: byte %zu (block %zu) is %02x, ggml %02x",
                  c->name, g->name, i, i / (size_t)g->block_bytes,
                  i < nb ? ours[i] : 0, i < nb ? c->blocks[t][i] : 0);
        sa35_ggml_dequantize_row((sa35_ggml_type)t, c->blocks[t], c->n, y);
        int64_t k = 0;
        while (k < c->n && memcmp(&y[k], &c->y[t][k], 4) == 0)
            k++;
        CHECK_MSG(k == c->n, "%s %s: y[%lld] = %.9g, ggml %.9g", c->name,
                  g->name, (long long)k, k < c->n ? y[k] : 0.0,
                  k < c->n ? c->y[t][k] : 0.0);
        free(ours);
        free(y);
    }
}

/* The quality of a K x N view made of a case's input, against the same sums
 * taken here over ggml's own dequantization. */
static void check_quality(const ggml_case *c)
{
    const int64_t K = 256, N = c->n / 256;
    /* column n is x[n*K .. n*K + K): stride_k = 1, as a [out, in] weight */
    sa35_fview v = {c->x, K, N, 1, K};
    for (int t = 0; t < SA35_GGML_COUNT; t++) {
        sa35_quality q;
        sa35_err err;
        CHECK(sa35_ggml_quality(&v, (sa35_ggml_type)t, &q, &err) == 0);
        double sig = 0, e2 = 0, maxe = 0;
        for (int64_t i = 0; i < K * N; i++) {
            double d = (double)c->x[i] - (double)c->y[t][i];
            sig += (double)c->x[i] * (double)c->x[i];
            e2 += d * d;
            maxe = fabs(d) > maxe ? fabs(d) : maxe;
        }
        double sqnr = e2 > 0 ? 10.0 * log10(sig / e2) : INFINITY;
        CHECK_MSG(q.rmse == sqrt(e2 / (double)(K * N)) &&
                      q.sqnr_db == sqnr && q.max_abs_err == maxe,
                  "%s %d: rmse %g sqnr %g max %g", c->name, t, q.rmse,
                  q.sqnr_db, q.max_abs_err);
        CHECK(q.bits_per_weight == sa35_ggml_bits_per_weight(
                                       (sa35_ggml_type)t));
    }
}

/* ggml-common.h: sizeof(ggml_half) + QK8_0, sizeof(ggml_half) + QK4_0 / 2,
 * sizeof(ggml_half) + QK_K / 4 + QK_K / 8 + 12 ("3.4375 bits per weight"). */
static void test_traits(void)
{
    static const struct {
        const char *name;
        int32_t block, bytes;
        double bits;
    } want[SA35_GGML_COUNT] = {
        {"q8_0", 32, 2 + 32, 8.5},
        {"q4_0", 32, 2 + 16, 4.5},
        {"q3_K", 256, 2 + 64 + 32 + 12, 3.4375},
    };
    for (int t = 0; t < SA35_GGML_COUNT; t++) {
        const sa35_ggml_traits *g = sa35_ggml_info((sa35_ggml_type)t);
        CHECK(g && strcmp(g->name, want[t].name) == 0 &&
              g->block == want[t].block && g->block_bytes == want[t].bytes);
        CHECK(sa35_ggml_bits_per_weight((sa35_ggml_type)t) == want[t].bits);
        CHECK(sa35_ggml_row_bytes((sa35_ggml_type)t, 3 * 256) ==
              (size_t)(3 * 256 / want[t].block * want[t].bytes));
    }
    CHECK(sa35_ggml_info(SA35_GGML_COUNT) == NULL);
}

/* K not a multiple of the block, and NaN / Inf, are one-line errors. */
static void test_errors(void)
{
    static float w[100 * 2];
    for (int i = 0; i < 200; i++)
        w[i] = (float)(i % 7) - 3.0f;
    sa35_fview v = {w, 100, 2, 2, 1};
    sa35_quality q;
    sa35_err err;
    CHECK(sa35_ggml_quality(&v, SA35_GGML_Q3_K, &q, &err) == -1);
    CHECK_MSG(strstr(err.msg, "q3_K") && strstr(err.msg, "K=100") &&
                  strstr(err.msg, "256") && !strchr(err.msg, '\n'),
              "%s", err.msg);
    CHECK(sa35_ggml_quality(&v, SA35_GGML_Q4_0, &q, &err) == -1);
    CHECK_MSG(strstr(err.msg, "q4_0") && strstr(err.msg, "32"), "%s",
              err.msg);
    v.K = 96; /* a multiple of 32, not of 256 */
    CHECK(sa35_ggml_quality(&v, SA35_GGML_Q8_0, &q, &err) == 0);
    CHECK(q.bits_per_weight == 8.5 && q.rmse > 0 && q.sqnr_db > 30);
    CHECK(sa35_ggml_quality(&v, SA35_GGML_Q3_K, &q, &err) == -1);
    w[2 * 40 + 1] = NAN;
    CHECK(sa35_ggml_quality(&v, SA35_GGML_Q8_0, &q, &err) == -1);
    CHECK_MSG(strstr(err.msg, "NaN weight at W[k=40][n=1]"), "%s", err.msg);
    w[2 * 40 + 1] = -INFINITY;
    CHECK(sa35_ggml_quality(&v, SA35_GGML_Q4_0, &q, &err) == -1);
    CHECK_MSG(strstr(err.msg, "infinite weight at W[k=40][n=1]"), "%s",
              err.msg);
}

int main(void)
{
    data_dir = getenv("SA35_DATA");
    if (!data_dir) {
        fprintf(stderr, "SA35_DATA must be set (ctest does)\n");
        return 1;
    }
    test_traits();
    test_errors();
    char path[4096], name[64];
    snprintf(path, sizeof path, "%s/ggml/cases.txt", data_dir);
    FILE *list = fopen(path, "r");
    CHECK_MSG(list, "%s: cannot open", path);
    int cases = 0;
    long long n, weights = 0;
    while (list && fscanf(list, "%63s %lld", name, &n) == 2) {
        ggml_case c;
        if (load_case(name, n, &c) == 0) {
            check_case(&c);
            check_quality(&c);
            free(c.buf);
            cases++;
            weights += n;
        }
    }
    if (list)
        fclose(list);
    /* the 18 cases gen_ggml_vectors.c writes, 8448 weights */
    CHECK_MSG(cases == 18 && weights == 8448, "%d cases, %lld weights",
              cases, weights);
    return TEST_DONE();
}
