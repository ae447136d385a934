/* sa35_cmodel.h: the golden model. The SA35 3.5-bit weight format
 * (docs/format.md, normative), int8 activation quantization, the
 * golden integer GEMM, the comparison formats (asymmetric INT4 / INT3,
 * symmetric INT8) and quality metrics.
 *
 * Every other part of sa35 (simulators, CPU kernels, RTL regression) is
 * checked against the functions declared here. The format's unpack lives in
 * this header only (sa35_pair_code, sa35_code_even, sa35_code_odd).
 *
 * Conventions: a weight matrix W is K x N (K inputs, N outputs) and is
 * quantized per output column n along k. Functions that can fail return 0 on
 * success and -1 on failure, with a one-line message in *err. */
#ifndef SA35_CMODEL_H
#define SA35_CMODEL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ errors */
typedef struct sa35_err {
    char msg[512];
} sa35_err;

/* printf-style; a NULL err is allowed and ignored. Always returns -1 so that
 * callers can write `return sa35_err_set(err, ...);`. */
int sa35_err_set(sa35_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Prefix an existing message ("ctx: old message"). Returns -1. */
int sa35_err_prefix(sa35_err *err, const char *ctx);

/* ---------------------------------------------------------- checked sizes
 * Products and sums of numbers that input gives (dimensions, counts,
 * bytes): 0 with *out set, or -1 (*out untouched) when the result does not
 * fit. The one place sa35 checks them; the caller's message says which
 * figures overflowed. The int64 forms take non-negative operands only (-1
 * for a negative one). */
int sa35_mul_size(size_t a, size_t b, size_t *out);
int sa35_add_size(size_t a, size_t b, size_t *out);
int sa35_mul_i64(int64_t a, int64_t b, int64_t *out);
int sa35_add_i64(int64_t a, int64_t b, int64_t *out);

/* -------------------------------------------------------- strict integers
 * A decimal integer that a user typed, as the n characters s[0..n) (an
 * option's value, or one field of it): digits only, a '-' first for the
 * signed form; no spaces, no '+', no base prefix, nothing after. 0 with
 * *out set when it is in lo..hi, else -1 (*out untouched): out of range
 * and out of the type alike, never wrapped. */
int sa35_parse_i64(const char *s, size_t n, int64_t lo, int64_t hi,
                   int64_t *out);
int sa35_parse_u64(const char *s, size_t n, uint64_t lo, uint64_t hi,
                   uint64_t *out);

/* -------------------------------------------------------- strict decimals
 * A non-negative decimal number a user typed (a clock in Hz, bytes per
 * second), s[0..n): digits with at most one '.', at least one digit, then
 * optionally 'e' or 'E', an optional '+' or '-' and digits ("1638.4e9",
 * "900e6", "0.5"); no sign in front, no spaces, no hex, inf or nan, nothing
 * after. sa35_parse_decimal gives its exact value, m x 10^e (trailing
 * zeros of m moved into e), -1 if the text is not such a number or its
 * significant digits pass UINT64_MAX (|e| stays below 10^6).
 * sa35_parse_double gives the nearest double, 0 when finite and in
 * lo..hi, else -1 (*out untouched). */
int sa35_parse_decimal(const char *s, size_t n, uint64_t *m, int32_t *e);
int sa35_parse_double(const char *s, size_t n, double lo, double hi,
                      double *out);
/* (m1 x 10^e1) / (m2 x 10^e2) exactly, in lowest terms num / den with
 * both in 1..max: 0, or -1 when it is 0 or one of them would pass max
 * (m2 = 0 included). */
int sa35_decimal_ratio(uint64_t m1, int32_t e1, uint64_t m2, int32_t e2,
                       uint64_t max, uint64_t *num, uint64_t *den);

/* K must stay below 2^21: with raw int8 activations (-128 included) each
 * product is at most 128*8 = 1024 in magnitude, so an int32 accumulator holds
 * any K < 2^21 without overflow (format.md). INT8 weights reach 128 * 128,
 * so K < 2^17 there (sa35_format_traits.k_limit). */
#define SA35_K_LIMIT (1 << 21)
#define SA35_K_LIMIT_INT8 (1 << 17)

/* ------------------------------------------------------- the weight formats */
typedef enum sa35_format {
    SA35_FMT_SA35 = 0, /* 4-bit even k + 3-bit (x2 step) odd k, 7-bit pairs  */
    SA35_FMT_INT4 = 1, /* asymmetric per column, 4-bit, two codes per byte   */
    SA35_FMT_INT3 = 2, /* asymmetric per column, 3-bit bit stream            */
    SA35_FMT_INT8 = 3, /* symmetric per column, one int8 per byte, zero = 0  */
    SA35_FMT_COUNT
} sa35_format;

/* Traits of a format: how K is padded and how many bytes a column takes. */
typedef struct sa35_format_traits {
    const char *name;     /* "sa35", "int4", "int3", "int8"                 */
    int32_t k_align;      /* K is padded to a multiple of this with code 0  */
    int32_t bits_per_16k; /* storage bits per 16 weights (56, 64, 48, 128)  */
    int32_t k_limit;      /* K < k_limit: int32 sums of K products of an    */
                          /* int8 and a code cannot overflow               */
} sa35_format_traits;

const sa35_format_traits *sa35_format_info(sa35_format fmt);
/* Parse "sa35", "int4", "int3", "int8"; returns -1 if unknown. */
int sa35_format_from_name(const char *name, sa35_format *fmt);

/* A quantized K x N matrix, stored per output column.
 * Every weight contributes the integer q[k][n] (sa35_qweights_code) and
 * dequantizes to zero + scale * q[k][n] with the scale and zero of its
 * group: per column (group 0: one float32 scale and zero per column, G = K)
 * or group-scaled (group G: k-values g*G .. g*G + G - 1 of a column share a
 * scale and a zero, stored as IEEE binary16; docs/format.md, "Group
 * scaling"). */
typedef struct sa35_qweights {
    sa35_format fmt;
    int32_t K;        /* real inputs                                        */
    int32_t N;        /* outputs (columns)                                  */
    int32_t Kp;       /* K padded to the format's k_align                   */
    int32_t group;    /* 0: per column; else G, the k-values of a group     */
    int32_t ngroups;  /* scales per column: 1, or ceil(K / G)               */
    size_t colbytes;  /* bytes per column; column n at qweight + n*colbytes */
    uint8_t *qweight; /* N * colbytes bytes                                 */
    float *scale;     /* N * ngroups: s of group g of column n at           */
                      /* scale[n * ngroups + g] (binary16 values if group)  */
    float *zero;      /* likewise z, the value of code 0                    */
} sa35_qweights;

/* The group sizes a format accepts: G a multiple of 16 (so every group
 * starts on a byte of every format's code stream) and small enough that a
 * group's int32 partial sum, |A q| <= 128 w_max per k-value, stays below
 * 2^24 and so converts to float32 exactly: G < 16384 (SA35, INT4), 32768
 * (INT3), 1024 (INT8). An error says which rule G breaks. */
int sa35_group_check(sa35_format fmt, int64_t G, sa35_err *err);
/* Scale and zero of group g of column n. */
static inline float sa35_qweights_scale(const sa35_qweights *q, int32_t g,
                                        int32_t n)
{
    return q->scale[(size_t)n * (size_t)q->ngroups + (size_t)g];
}
static inline float sa35_qweights_zero(const sa35_qweights *q, int32_t g,
                                       int32_t n)
{
    return q->zero[(size_t)n * (size_t)q->ngroups + (size_t)g];
}
/* The group of k-value k (0 per column). */
static inline int32_t sa35_qweights_group_of(const sa35_qweights *q,
                                             int32_t k)
{
    return q->group ? k / q->group : 0;
}

/* Shape bookkeeping without allocation (checks K < k_limit, K, N >= 1). */
int sa35_qweights_shape(sa35_format fmt, int64_t K, int64_t N, int32_t *Kp,
                        size_t *colbytes, sa35_err *err);
/* Allocate storage for a K x N matrix of the given format (codes zeroed),
 * per column; _group with group size G (0: per column; sa35_group_check). */
int sa35_qweights_alloc(sa35_qweights *q, sa35_format fmt, int64_t K,
                        int64_t N, sa35_err *err);
int sa35_qweights_alloc_group(sa35_qweights *q, sa35_format fmt, int64_t K,
                              int64_t N, int64_t G, sa35_err *err);
void sa35_qweights_free(sa35_qweights *q);

/* A read-only view of a float matrix seen as K x N:
 * element (k, n) is data[k * stride_k + n * stride_n]. A row-major K x N
 * array has stride_k = N, stride_n = 1; a Hugging Face Linear weight
 * ([out, in] = N x K, row-major) has stride_k = 1, stride_n = K. */
typedef struct sa35_fview {
    const float *data;
    int64_t K, N;
    int64_t stride_k, stride_n;
} sa35_fview;

static inline float sa35_fview_at(const sa35_fview *v, int64_t k, int64_t n)
{
    return v->data[k * v->stride_k + n * v->stride_n];
}

/* Find the first NaN or +-Inf (in k-major order); returns 1 and sets *k, *n
 * if one exists, else 0. */
int sa35_find_nonfinite(const sa35_fview *w, int64_t *k, int64_t *n);

/* Quantize W into *q (allocated here) in the given format, exactly as
 * format.md says: IEEE float32, one operation at a time. NaN/Inf is an error
 * naming W[k][n]. */
int sa35_quantize(const sa35_fview *w, sa35_format fmt, sa35_qweights *q,
                  sa35_err *err);
/* The same with groups of G k-values (0: per column, as sa35_quantize):
 * each group's scale and zero are computed as a column's are, over the
 * group, then rounded to binary16, and its codes are taken against the
 * rounded grid (format.md, "Group scaling"). A scale or zero beyond
 * binary16's range is an error naming the group. */
int sa35_quantize_group(const sa35_fview *w, sa35_format fmt, int64_t G,
                        sa35_qweights *q, sa35_err *err);

/* The integer a stored weight contributes: e (-8..7) for even k, 2c (-8..6)
 * for odd k in SA35; the signed code for the other formats. Padded k give 0. */
int32_t sa35_qweights_code(const sa35_qweights *q, int32_t k, int32_t n);

/* Dequantize to a row-major K x N float array (w_hat[k*N + n]). */
void sa35_dequantize(const sa35_qweights *q, float *w_hat);

/* --------------------------------------------------- SA35 pack and unpack
 * The one place where the 7-bit pair layout is written down in C. */

/* Code of pair p (k = 2p, 2p+1) from a column's little-endian bit stream. */
static inline uint32_t sa35_pair_code(const uint8_t *col, int32_t p)
{
    uint32_t bit = 7u * (uint32_t)p;
    uint32_t byte = bit >> 3, shift = bit & 7u;
    uint32_t v = col[byte];
    if (shift > 1u) /* the 7 bits run into the next byte */
        v |= (uint32_t)col[byte + 1] << 8;
    return (v >> shift) & 0x7Fu;
}

/* e: bits 6..3, 4-bit two's complement, sign-extended. */
static inline int32_t sa35_code_even(uint32_t code)
{
    return (int32_t)(((code >> 3) & 0xFu) ^ 0x8u) - 8;
}

/* 2c: bits 2..0, 3-bit two's complement, sign-extended, then shifted left
 * by one (the x2 step is a wire shift in hardware). */
static inline int32_t sa35_code_odd(uint32_t code)
{
    return ((int32_t)((code & 0x7u) ^ 0x4u) - 4) * 2;
}

/* 7-bit code of a pair from e in -8..7 and c in -4..3. */
static inline uint32_t sa35_pair_pack(int32_t e, int32_t c)
{
    return ((uint32_t)e & 0xFu) << 3 | ((uint32_t)c & 0x7u);
}

/* Write pair p's code into a column's bit stream (bits must be zero). */
static inline void sa35_pair_store(uint8_t *col, int32_t p, uint32_t code)
{
    uint32_t bit = 7u * (uint32_t)p;
    uint32_t byte = bit >> 3, shift = bit & 7u;
    uint32_t v = (code & 0x7Fu) << shift;
    col[byte] |= (uint8_t)(v & 0xFFu);
    if (shift > 1u)
        col[byte + 1] |= (uint8_t)(v >> 8);
}

/* Bits [bit, bit + width) of a little-endian bit stream (width <= 8): how
 * every format stores its codes along k, and how a tile row holds its
 * columns' PE codes. */
static inline uint32_t sa35_stream_bits(const uint8_t *s, uint32_t bit,
                                        uint32_t width)
{
    uint32_t byte = bit >> 3, shift = bit & 7u;
    uint32_t v = s[byte];
    if (shift + width > 8u)
        v |= (uint32_t)s[byte + 1] << 8;
    return (v >> shift) & ((1u << width) - 1u);
}

/* Store the low `width` bits of v at stream bit `bit` (bits must be 0). */
static inline void sa35_stream_store(uint8_t *s, uint32_t bit, uint32_t width,
                                     uint32_t v)
{
    uint32_t u = (v & ((1u << width) - 1u)) << (bit & 7u);
    s[bit >> 3] |= (uint8_t)(u & 0xFFu);
    if ((bit & 7u) + width > 8u)
        s[(bit >> 3) + 1] |= (uint8_t)(u >> 8);
}

/* ------------------------------------------------- activations (int8/row) */

/* sa[m] = max_k |X[m][k]| / 127; A = clamp(round(X / sa), -127, 127), 0 when
 * sa == 0. X is M x K row-major float32; A is M x K int8. NaN/Inf in X is an
 * error naming the row and column. */
int sa35_quantize_activations(const float *X, int64_t M, int64_t K, int8_t *A,
                              float *sa, sa35_err *err);

/* ------------------------------------------------------------ golden GEMM */

/* The accumulators acc[M][N] (row-major) as the machine holds them, and
 * rsum[m] = sum_k A[m][k]. A is M x K row-major (K == q->K); rsum may be
 * NULL. The reference every engine must match.
 * Per column: acc[m][n] = sum_k A[m][k] * q[k][n] (int32, exact; A may hold
 * -128). Group-scaled: acc[m][n] holds the bits of the float32 accumulator
 * of format.md, "Group scaling": a = t_0, a = a + t_g for g = 1 .. in
 * order, t_g = s_g psum_g + z_g rsum_g over group g's k-values (read it with
 * sa35_acc_float). */
void sa35_gemm_acc(const int8_t *A, int64_t M, const sa35_qweights *q,
                   int32_t *acc, int32_t *rsum);

/* The float32 a group-scaled accumulator word holds. */
static inline float sa35_acc_float(int32_t word)
{
    float a;
    memcpy(&a, &word, sizeof a);
    return a;
}
static inline int32_t sa35_acc_word(float a)
{
    int32_t w;
    memcpy(&w, &a, sizeof w);
    return w;
}

/* t = s psum + z rsum for one group, as format.md pins it: psum and rsum
 * to float32 (exact below 2^24), each product rounded, then the sum. */
float sa35_group_term(float s, float z, int32_t psum, int32_t rsum);

/* rsum[m] = sum_k A[m][k] (int32), the term the zero point multiplies. */
void sa35_row_sums(const int8_t *A, int64_t M, int64_t K, int32_t *rsum);

/* Y[m][n] = sa[m] * (s[n] * acc[m][n] + z[n] * rsum[m]) in float32, one
 * operation at a time in that order; group-scaled, Y[m][n] = sa[m] * a[m][n]
 * with the float32 accumulator a (rsum is not used). */
void sa35_gemm_output(int64_t M, const sa35_qweights *q, const float *sa,
                      const int32_t *rsum, const int32_t *acc, float *Y);

/* ---------------------------------------------------------------- quality */
typedef struct sa35_quality {
    double rmse;            /* sqrt(mean (w - w_hat)^2)                     */
    double sqnr_db;         /* 10 log10(sum w^2 / sum (w - w_hat)^2); +inf  */
                            /* when the error is zero                       */
    double max_abs_err;     /* max |w - w_hat|                              */
    double bits_per_weight; /* storage incl. padding, scales and zeros      */
} sa35_quality;

/* Compare W with the dequantized q (same K x N). */
void sa35_quality_measure(const sa35_fview *w, const sa35_qweights *q,
                          sa35_quality *out);

/* Bits per weight of a K x N matrix in fmt: codes (with padding) plus the
 * float32 scale per column, and the float32 zero where the format has one. */
double sa35_bits_per_weight(sa35_format fmt, int64_t K, int64_t N);
/* The same with groups of G (0: per column): binary16 scale and zero per
 * group (INT8: scale only). */
double sa35_bits_per_weight_group(sa35_format fmt, int64_t K, int64_t N,
                                  int64_t G);

/* ------------------------------------------------ LLM-like test matrices
 * Reproducible samples shaped like trained LLM weights (randmat.c; the
 * generator is spelled out in `sa35 randn --help`): SIGMA times a draw of
 * the distribution, in double, rounded to float32 once; the draws are
 * splitmix64 from the seed. Specs: "gauss", "student-t:NU",
 * "outliers:rows=R,scale=F", "outliers:cols=C,scale=F". */
typedef enum sa35_dist_kind {
    SA35_DIST_GAUSS = 0,
    SA35_DIST_STUDENT_T = 1,
    SA35_DIST_OUTLIERS = 2,
} sa35_dist_kind;

typedef struct sa35_dist {
    sa35_dist_kind kind;
    double nu;     /* student-t                                    */
    int last_dim;  /* outliers: 0 the first dimension, 1 the last  */
    int64_t count; /* outliers: how many indices                   */
    double scale;  /* outliers: F                                  */
    char spec[64]; /* as given, for messages                       */
} sa35_dist;

/* Errors begin with the spec ("student-t:0: NU must be ..."). */
int sa35_dist_parse(const char *spec, sa35_dist *d, sa35_err *err);
/* Outliers: mask[i] = 1 for the d->count indices of 0..dim-1 the seed
 * picks (dim bytes; dim is the first dimension, or the last with cols=). */
int sa35_dist_outliers(const sa35_dist *d, uint64_t seed, int64_t dim,
                       unsigned char *mask, sa35_err *err);
/* v[prod dims] (row-major) from the seed; mask from sa35_dist_outliers for
 * outliers, else unused. uniform: 2u - 1 in place of N(0, 1) (not with a
 * Student-t). A sample beyond float32's range is an error naming it. */
int sa35_dist_fill(const sa35_dist *d, uint64_t seed, double sigma,
                   int uniform, int ndim, const int64_t *dims,
                   const unsigned char *mask, float *v, sa35_err *err);

/* ------------------------------------------------------- IEEE binary16
 * By hand, exact on every compiler: to binary16 rounds to nearest, ties to
 * even (inf beyond the range, subnormals kept; as ggml's GGML_FP32_TO_FP16
 * for every non-NaN value); from binary16 is exact. */
float sa35_f16_to_f32(uint16_t h);
uint16_t sa35_f32_to_f16(float f);

/* ====================================================================
 * llama.cpp's comparators: ggml's Q8_0, Q4_0 and Q3_K, bit for bit.
 *
 * Blocks are laid out as ggml-common.h declares them (little-endian fp16):
 *   q8_0: fp16 d, int8 qs[32]                      34 bytes / 32 weights
 *   q4_0: fp16 d, qs[16]: weight j is the low nibble of qs[j], weight
 *         16 + j its high nibble, value (code - 8) * d  18 bytes / 32
 *   q3_K: hmask[32], qs[64], scales[12] (16 6-bit sub-block scales),
 *         fp16 d                                   110 bytes / 256 (QK_K)
 * Quantizing reproduces ggml's reference quantizers (quantize_row_q8_0_ref,
 * quantize_row_q4_0_ref, quantize_row_q3_K_ref with make_q3_quants) in
 * their float operation order, and dequantizing ggml's dequantize_row_*;
 * tests/test_ggml_formats.c checks both against vectors made by ggml's own
 * code (tests/data/ggml/). A "row" in ggml's sense is n consecutive weights;
 * a K x N weight is quantized along k, each column one row.
 * ==================================================================== */

typedef enum sa35_ggml_type {
    SA35_GGML_Q8_0 = 0,
    SA35_GGML_Q4_0 = 1,
    SA35_GGML_Q3_K = 2,
    SA35_GGML_COUNT
} sa35_ggml_type;

typedef struct sa35_ggml_traits {
    const char *name;    /* ggml's name: "q8_0", "q4_0", "q3_K"             */
    int32_t block;       /* weights per block: 32, 32, 256                  */
    int32_t block_bytes; /* bytes per block: 34, 18, 110                    */
} sa35_ggml_traits;

const sa35_ggml_traits *sa35_ggml_info(sa35_ggml_type t);
/* 8 * block_bytes / block, exactly: 8.5, 4.5, 3.4375. */
double sa35_ggml_bits_per_weight(sa35_ggml_type t);
/* Bytes of a row of n weights (n a multiple of the block). */
size_t sa35_ggml_row_bytes(sa35_ggml_type t, int64_t n);

/* Quantize n weights (n a multiple of the block, x finite) into
 * sa35_ggml_row_bytes(t, n) bytes, as ggml's quantize_row_*_ref does. As
 * with ggml, a block is only meaningful while its scales fit fp16 (max |x|
 * below 65504 * 127 for Q8_0, 65504 * 8 for Q4_0) and, for Q3_K, x^3 is
 * finite in float. */
void sa35_ggml_quantize_row(sa35_ggml_type t, const float *x, int64_t n,
                            void *blocks);
/* The n weights the blocks stand for, as ggml's dequantize_row_* gives. */
void sa35_ggml_dequantize_row(sa35_ggml_type t, const void *blocks, int64_t n,
                              float *y);

/* Quantize each column of W (K x N) as one row of K weights and compare the
 * dequantized matrix with W, as sa35_quality_measure does; bits per weight
 * are the format's exact 8 * block_bytes / block. K not a multiple of the
 * block, or a NaN / Inf weight, is an error. */
int sa35_ggml_quality(const sa35_fview *w, sa35_ggml_type t,
                      sa35_quality *out, sa35_err *err);

#ifdef __cplusplus
}
#endif
#endif /* SA35_CMODEL_H */
