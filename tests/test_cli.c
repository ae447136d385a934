/* test_cli.c: the sa35 program end to end, as a user runs it: round trips
 * through files, and every bad input failing with its message, exit status 1
 * and no output file left behind. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "sa35_cmodel.h"
#include "sa35_io.h"
#include "test_util.h"

static const char *bin, *tmp;

static char *path_of(const char *name)
{
    static char buf[8][1024];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, sizeof buf[0], "%s/%s", tmp, name);
    return p;
}

/* Run `sa35 ARGS` with stdout and stderr to files; the exit status. */
static int run(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >out.txt 2>err.txt", tmp,
             bin, args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *name)
{
    static char buf[8192];
    FILE *f = fopen(path_of(name), "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

static int exists(const char *name)
{
    FILE *f = fopen(path_of(name), "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* No "*.tmp.*" file may survive any command. */
static int temp_files_left(void)
{
    DIR *d = opendir(tmp);
    int found = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp."))
            found++;
    if (d)
        closedir(d);
    return found;
}

/* A failing command: status 1, a message on stderr with every `want`
 * substring, and no `out` file. */
#define EXPECT_FAIL(args, out, ...)                                           \
    do {                                                                      \
        remove(path_of(out));                                                 \
        int st_ = run(args);                                                  \
        const char *err_ = slurp("err.txt");                                  \
        const char *want_[] = {__VA_ARGS__};                                  \
        CHECK_MSG(st_ == 1, "%s: status %d", args, st_);                      \
        for (size_t i_ = 0; i_ < sizeof want_ / sizeof *want_; i_++)          \
            CHECK_MSG(strstr(err_, want_[i_]), "%s: '%s' not in: %s", args,   \
                      want_[i_], err_);                                       \
        CHECK_MSG(!exists(out), "%s left %s behind", args, out);              \
        CHECK_MSG(strchr(err_, '\n') == err_ + strlen(err_) - 1,              \
                  "%s: not one line: %s", args, err_);                        \
        CHECK(temp_files_left() == 0);                                        \
    } while (0)

static void write_f32(const char *name, int ndim, const int64_t *shape,
                      const float *v)
{
    sa35_array a;
    sa35_err err;
    CHECK(sa35_array_alloc(&a, SA35_DT_F32, ndim, shape, &err) == 0);
    memcpy(a.data, v, a.nbytes);
    CHECK(sa35_npy_write(path_of(name), &a, &err) == 0);
    sa35_array_free(&a);
}

static void read_npy(const char *name, sa35_array *a)
{
    sa35_err err;
    int rc = sa35_npy_read(path_of(name), a, &err);
    CHECK_MSG(rc == 0, "%s", err.msg);
}

/* quantize -> dequant -> gemm through files equals the library in memory. */
static void test_npy_round_trip(void)
{
    const int64_t K = 75, N = 9, M = 4;
    uint64_t seed = 3;
    float w[75 * 9], x[4 * 75];
    for (int i = 0; i < K * N; i++)
        w[i] = test_rand_normal(&seed);
    for (int i = 0; i < M * K; i++)
        x[i] = test_rand_normal(&seed);
    write_f32("w.npy", 2, (int64_t[]){K, N}, w);
    write_f32("x.npy", 2, (int64_t[]){M, K}, x);
    CHECK(run("quantize w.npy -o wq.safetensors") == 0);
    CHECK(run("dequant wq.safetensors -o wd.npy") == 0);
    CHECK(run("gemm wq.safetensors x.npy -o y.npy --acc acc.npy") == 0);
    CHECK(run("gemm wq.safetensors x.npy -o y2.npy --tensor weight "
              "--engine golden") == 0);

    sa35_fview v = {w, K, N, N, 1};
    sa35_qweights q;
    CHECK(sa35_quantize(&v, SA35_FMT_SA35, &q, NULL) == 0);
    float wd[75 * 9], y[4 * 9], sa[4];
    int8_t A[4 * 75];
    int32_t acc[4 * 9], rsum[4];
    sa35_dequantize(&q, wd);
    CHECK(sa35_quantize_activations(x, M, K, A, sa, NULL) == 0);
    sa35_gemm_acc(A, M, &q, acc, rsum);
    sa35_gemm_output(M, &q, sa, rsum, acc, y);

    sa35_array a;
    read_npy("wd.npy", &a);
    CHECK(a.dtype == SA35_DT_F32 && a.ndim == 2 && a.shape[0] == K &&
          a.shape[1] == N && memcmp(a.data, wd, sizeof wd) == 0);
    sa35_array_free(&a);
    read_npy("acc.npy", &a);
    CHECK(a.dtype == SA35_DT_I32 && a.shape[0] == M && a.shape[1] == N &&
          memcmp(a.data, acc, sizeof acc) == 0);
    sa35_array_free(&a);
    read_npy("y.npy", &a);
    CHECK(a.dtype == SA35_DT_F32 && memcmp(a.data, y, sizeof y) == 0);
    sa35_array_free(&a);
    read_npy("y2.npy", &a);
    CHECK(memcmp(a.data, y, sizeof y) == 0);
    sa35_array_free(&a);

    /* the file holds what format.md and the issue say */
    sa35_safetensors st;
    sa35_err err;
    CHECK(sa35_st_open(path_of("wq.safetensors"), &st, &err) == 0);
    const sa35_st_tensor *t = sa35_st_find(&st, "weight.qweight");
    CHECK(t && t->dtype == SA35_DT_U8 && t->ndim == 2 && t->shape[0] == N &&
          t->shape[1] == (int64_t)q.colbytes &&
          memcmp(t->data, q.qweight, (size_t)N * q.colbytes) == 0);
    t = sa35_st_find(&st, "weight.scale");
    CHECK(t && t->dtype == SA35_DT_F32 && t->shape[0] == N &&
          memcmp(t->data, q.scale, sizeof(float) * N) == 0);
    t = sa35_st_find(&st, "weight.zero");
    CHECK(t && t->dtype == SA35_DT_F32 &&
          memcmp(t->data, q.zero, sizeof(float) * N) == 0);
    const char *f = sa35_st_meta_get(&st, "format");
    const char *mk = sa35_st_meta_get(&st, "K");
    const char *mn = sa35_st_meta_get(&st, "N");
    CHECK(f && strcmp(f, "sa35") == 0);
    CHECK(mk && strcmp(mk, "75") == 0 && mn && strcmp(mn, "9") == 0);
    sa35_st_close(&st);
    sa35_qweights_free(&q);

    CHECK(run("stats w.npy") == 0);
    const char *out = slurp("out.txt");
    CHECK(strstr(out, "| sa35 |") && strstr(out, "| int4 |") &&
          strstr(out, "| int3 |") && strstr(out, "| int8 |"));
    CHECK(temp_files_left() == 0);
}

/* quantize --group G -> gemm through files equals the library in memory:
 * the file's binary16 scales and zeros, the float32 accumulators (--acc,
 * as float32) and Y; bad group sizes fail with one line and no file. */
static void test_group_round_trip(void)
{
    const int64_t K = 100, N = 5, M = 3, G = 32;
    uint64_t seed = 9;
    float w[100 * 5], x[3 * 100];
    for (int i = 0; i < K * N; i++)
        w[i] = test_rand_normal(&seed);
    for (int i = 0; i < M * K; i++)
        x[i] = test_rand_normal(&seed);
    write_f32("wg.npy", 2, (int64_t[]){K, N}, w);
    write_f32("xg.npy", 2, (int64_t[]){M, K}, x);
    CHECK(run("quantize wg.npy -o wgq.safetensors --group 32") == 0);
    /* codes of K padded to 112 (392 bits) + 4 groups x 32 bits, per 100 */
    CHECK(strstr(slurp("out.txt"), "-> sa35 in groups of 32, 5.2000 "
                                   "bits/weight"));
    CHECK(run("gemm wgq.safetensors xg.npy -o yg.npy --acc ag.npy") == 0);

    sa35_fview v = {w, K, N, N, 1};
    sa35_qweights q;
    CHECK(sa35_quantize_group(&v, SA35_FMT_SA35, G, &q, NULL) == 0);
    float y[3 * 5], sa[3];
    int8_t A[3 * 100];
    int32_t acc[3 * 5];
    CHECK(sa35_quantize_activations(x, M, K, A, sa, NULL) == 0);
    sa35_gemm_acc(A, M, &q, acc, NULL);
    sa35_gemm_output(M, &q, sa, NULL, acc, y);
    sa35_array a;
    read_npy("ag.npy", &a);
    CHECK(a.dtype == SA35_DT_F32 && a.shape[0] == M && a.shape[1] == N &&
          memcmp(a.data, acc, sizeof acc) == 0);
    sa35_array_free(&a);
    read_npy("yg.npy", &a);
    CHECK(a.dtype == SA35_DT_F32 && memcmp(a.data, y, sizeof y) == 0);
    sa35_array_free(&a);
    sa35_safetensors st;
    sa35_err err;
    CHECK(sa35_st_open(path_of("wgq.safetensors"), &st, &err) == 0);
    const sa35_st_tensor *t = sa35_st_find(&st, "weight.scale");
    CHECK(t && t->dtype == SA35_DT_F16 && t->ndim == 2 && t->shape[0] == N &&
          t->shape[1] == 4);
    for (int i = 0; t && i < N * 4; i++) {
        uint16_t h;
        memcpy(&h, (const uint8_t *)t->data + 2 * i, 2);
        CHECK(sa35_f16_to_f32(h) == q.scale[i]);
    }
    const char *g = sa35_st_meta_get(&st, "weight.group");
    CHECK(g && strcmp(g, "32") == 0);
    sa35_st_close(&st);
    sa35_qweights_free(&q);

    EXPECT_FAIL("quantize wg.npy -o wq2.safetensors --group 40",
                "wq2.safetensors", "group size 40 is not a positive "
                                   "multiple of 16");
    EXPECT_FAIL("quantize wg.npy -o wq2.safetensors --group 16384",
                "wq2.safetensors", "group size 16384 is too large for sa35");
    EXPECT_FAIL("quantize wg.npy -o wq2.safetensors --group -16",
                "wq2.safetensors", "--group must be a positive integer");
    EXPECT_FAIL("quantize wg.npy -o wq2.safetensors --format int8 --group "
                "1024",
                "wq2.safetensors", "too large for int8");
}

/* A Hugging Face style safetensors file: [out, in] tensors are read
 * transposed, non-2-D and non-float tensors are skipped unless named. */
static void test_safetensors_input(void)
{
    const int64_t N = 6, K = 33;
    uint64_t seed = 5;
    float w[6 * 33], b[6];
    uint16_t wh[6 * 33];
    for (int i = 0; i < N * K; i++) {
        w[i] = test_rand_normal(&seed);
        wh[i] = sa35_f32_to_f16(w[i]);
    }
    for (int i = 0; i < N; i++)
        b[i] = (float)i;
    sa35_st_writer *wr = sa35_st_writer_new();
    sa35_err err;
    CHECK(sa35_st_writer_add(wr, "proj.weight", SA35_DT_F32, 2,
                             (int64_t[]){N, K}, w, &err) == 0);
    CHECK(sa35_st_writer_add(wr, "proj.bias", SA35_DT_F32, 1,
                             (int64_t[]){N}, b, &err) == 0);
    CHECK(sa35_st_writer_add(wr, "half.weight", SA35_DT_F16, 2,
                             (int64_t[]){N, K}, wh, &err) == 0);
    CHECK(sa35_st_writer_write(wr, path_of("model.safetensors"), &err) == 0);
    sa35_st_writer_free(wr);

    CHECK(run("quantize model.safetensors -o mq.safetensors") == 0);
    CHECK(strstr(slurp("out.txt"), "transposed"));
    sa35_safetensors st;
    CHECK(sa35_st_open(path_of("mq.safetensors"), &st, &err) == 0);
    sa35_qweights q, ref;
    CHECK(sa35_qfile_load(&st, "proj.weight", &q, &err) == 0);
    sa35_fview v = {w, K, N, 1, K}; /* element (k, n) is w[n][k] */
    CHECK(sa35_quantize(&v, SA35_FMT_SA35, &ref, NULL) == 0);
    CHECK(q.K == K && q.N == N &&
          memcmp(q.qweight, ref.qweight, (size_t)N * q.colbytes) == 0 &&
          memcmp(q.scale, ref.scale, sizeof(float) * N) == 0);
    sa35_qweights_free(&q);
    sa35_qweights_free(&ref);
    CHECK(sa35_st_find(&st, "half.weight.qweight") != NULL);
    CHECK(sa35_st_find(&st, "proj.bias.qweight") == NULL);
    sa35_st_close(&st);

    /* --tensor selects; gemm then needs no --tensor */
    CHECK(run("quantize model.safetensors -o one.safetensors "
              "--tensor half.weight --format int4") == 0);
    CHECK(sa35_st_open(path_of("one.safetensors"), &st, &err) == 0);
    CHECK(sa35_st_find(&st, "proj.weight.qweight") == NULL);
    CHECK(strcmp(sa35_st_meta_get(&st, "format"), "int4") == 0);
    sa35_st_close(&st);
    float x[2 * 33] = {0};
    x[0] = 1.0f;
    write_f32("x33.npy", 2, (int64_t[]){2, K}, x);
    CHECK(run("gemm one.safetensors x33.npy -o y33.npy") == 0);
    /* several weights: --tensor is required */
    EXPECT_FAIL("gemm mq.safetensors x33.npy -o y.npy", "y.npy",
                "mq.safetensors", "--tensor");
    EXPECT_FAIL("quantize model.safetensors -o z.safetensors --tensor "
                "proj.bias",
                "z.safetensors", "proj.bias", "2-D");
    EXPECT_FAIL("quantize model.safetensors -o z.safetensors --tensor nope",
                "z.safetensors", "nope");
}

static void write_bytes(const char *name, const void *p, size_t n)
{
    FILE *f = fopen(path_of(name), "wb");
    CHECK(f && fwrite(p, 1, n, f) == n);
    if (f)
        fclose(f);
}

/* A .npy header for shape text `shape` and dtype `descr`, then nbytes of
 * zero data. */
static void write_npy_raw(const char *name, const char *descr,
                          const char *shape, size_t nbytes)
{
    char hdr[256];
    int len = snprintf(hdr, sizeof hdr,
                       "{'descr': '%s', 'fortran_order': False, 'shape': "
                       "%s, }",
                       descr, shape);
    int total = 10 + len + 1;
    int pad = (64 - total % 64) % 64;
    unsigned char buf[4096] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    uint16_t hl = (uint16_t)(len + pad + 1);
    buf[8] = (unsigned char)(hl & 0xFF);
    buf[9] = (unsigned char)(hl >> 8);
    memcpy(buf + 10, hdr, (size_t)len);
    memset(buf + 10 + len, ' ', (size_t)pad);
    buf[10 + len + pad] = '\n';
    size_t n = (size_t)(10 + len + pad + 1);
    FILE *f = fopen(path_of(name), "wb");
    CHECK(f && fwrite(buf, 1, n, f) == n);
    for (size_t i = 0; f && i < nbytes; i++)
        fputc(0, f);
    if (f)
        fclose(f);
}

static void test_bad_inputs(void)
{
    /* NaN and Inf name the tensor and the element */
    float w[4 * 3];
    for (int i = 0; i < 12; i++)
        w[i] = (float)i;
    w[3 * 3 + 2] = NAN; /* row 3, column 2 of a K x N .npy */
    write_f32("nan.npy", 2, (int64_t[]){4, 3}, w);
    EXPECT_FAIL("quantize nan.npy -o q.safetensors", "q.safetensors",
                "nan.npy", "NaN", "row 3, column 2");
    w[3 * 3 + 2] = INFINITY;
    write_f32("inf.npy", 2, (int64_t[]){4, 3}, w);
    EXPECT_FAIL("quantize inf.npy -o q.safetensors", "q.safetensors",
                "inf.npy", "infinite");
    EXPECT_FAIL("stats inf.npy", "none", "infinite");

    /* wrong dtype, wrong rank */
    write_npy_raw("i32.npy", "<i4", "(4, 3)", 48);
    EXPECT_FAIL("quantize i32.npy -o q.safetensors", "q.safetensors",
                "i32.npy");
    write_f32("three.npy", 3, (int64_t[]){2, 2, 3}, w);
    EXPECT_FAIL("quantize three.npy -o q.safetensors", "q.safetensors",
                "three.npy", "2-D");

    /* a truncated file, a lying shape, a bad magic */
    write_npy_raw("short.npy", "<f4", "(4, 3)", 47);
    EXPECT_FAIL("quantize short.npy -o q.safetensors", "q.safetensors",
                "short.npy");
    write_npy_raw("lie.npy", "<f4", "(400, 3)", 48);
    EXPECT_FAIL("quantize lie.npy -o q.safetensors", "q.safetensors",
                "lie.npy");
    write_bytes("cut.npy", "\x93NUMPY\x01\x00\x76", 9);
    EXPECT_FAIL("quantize cut.npy -o q.safetensors", "q.safetensors",
                "cut.npy");
    write_bytes("junk.bin", "hello", 5);
    EXPECT_FAIL("quantize junk.bin -o q.safetensors", "q.safetensors",
                "junk.bin");
    EXPECT_FAIL("quantize missing.npy -o q.safetensors", "q.safetensors",
                "missing.npy");

    /* safetensors with an offset past the end of the file */
    const char *hj = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],"
                     "\"data_offsets\":[0,1600]}}";
    unsigned char st[256] = {0};
    uint64_t hl = strlen(hj);
    for (int i = 0; i < 8; i++)
        st[i] = (unsigned char)(hl >> (8 * i));
    memcpy(st + 8, hj, hl);
    write_bytes("past.safetensors", st, 8 + hl + 16);
    EXPECT_FAIL("quantize past.safetensors -o q.safetensors",
                "q.safetensors", "past.safetensors");
    /* a header length past the end */
    st[0] = 0xFF;
    st[1] = 0xFF;
    write_bytes("hlen.safetensors", st, 8 + hl + 16);
    EXPECT_FAIL("quantize hlen.safetensors -o q.safetensors",
                "q.safetensors", "hlen.safetensors");

    /* gemm: K mismatch, NaN activations, 1-D X, unknown engine, a float
     * file where a quantized one is expected */
    float good[4 * 3];
    for (int i = 0; i < 12; i++)
        good[i] = (float)(i % 5) - 2.0f;
    write_f32("w43.npy", 2, (int64_t[]){4, 3}, good);
    CHECK(run("quantize w43.npy -o w43.safetensors") == 0);
    float x[2 * 5] = {0};
    write_f32("x25.npy", 2, (int64_t[]){2, 5}, x);
    remove(path_of("acc.npy"));
    EXPECT_FAIL("gemm w43.safetensors x25.npy -o y.npy --acc acc.npy",
                "y.npy", "x25.npy", "K=5", "K=4");
    CHECK(!exists("acc.npy"));
    x[1] = NAN;
    write_f32("xnan.npy", 2, (int64_t[]){2, 4}, x);
    EXPECT_FAIL("gemm w43.safetensors xnan.npy -o y.npy", "y.npy",
                "xnan.npy", "NaN");
    write_f32("x1d.npy", 1, (int64_t[]){4}, x);
    EXPECT_FAIL("gemm w43.safetensors x1d.npy -o y.npy", "y.npy", "x1d.npy",
                "2-D");
    x[1] = 0;
    write_f32("x24.npy", 2, (int64_t[]){2, 4}, x);
    EXPECT_FAIL("gemm w43.safetensors x24.npy -o y.npy --engine warp",
                "y.npy", "warp", "golden");
    EXPECT_FAIL("gemm past.safetensors x24.npy -o y.npy", "y.npy",
                "past.safetensors");
    EXPECT_FAIL("gemm w43.safetensors x24.npy -o /nonexistent/dir/y.npy",
                "y.npy", "/nonexistent/dir/y.npy");

    /* K >= 2^21 is refused, K = 2^21 - 1 is fine (not run: 8 MB) */
    sa35_array big;
    sa35_err err;
    CHECK(sa35_array_alloc(&big, SA35_DT_F32, 2,
                           (int64_t[]){SA35_K_LIMIT, 1}, &err) == 0);
    CHECK(sa35_npy_write(path_of("bigk.npy"), &big, &err) == 0);
    sa35_array_free(&big);
    EXPECT_FAIL("quantize bigk.npy -o q.safetensors", "q.safetensors",
                "bigk.npy", "2^21");
    remove(path_of("bigk.npy"));

    /* usage errors */
    EXPECT_FAIL("quantize w43.npy", "none", "-o");
    EXPECT_FAIL("quantize w43.npy -o q.safetensors --format int5",
                "q.safetensors", "int5");
    EXPECT_FAIL("frobnicate", "none", "frobnicate");
    CHECK(run("help") == 0 && strstr(slurp("out.txt"), "quantize"));
    CHECK(run("gemm --help") == 0 && strstr(slurp("out.txt"), "golden"));
    CHECK(run("help quantize") == 0 &&
          strstr(slurp("out.txt"), "TRANSPOSED"));
}

/* randn: the shape asked for, the same bytes for the same seed. */
static void test_randn(void)
{
    CHECK(run("randn --shape 3,5 --seed 9 -o r1.npy") == 0);
    CHECK(run("randn --shape 3,5 --seed 9 -o r2.npy") == 0);
    CHECK(run("randn --shape 3,5 --seed 10 -o r3.npy") == 0);
    sa35_array a, b, c;
    read_npy("r1.npy", &a);
    read_npy("r2.npy", &b);
    read_npy("r3.npy", &c);
    CHECK(a.ndim == 2 && a.shape[0] == 3 && a.shape[1] == 5 &&
          a.dtype == SA35_DT_F32);
    CHECK(a.nbytes == b.nbytes && memcmp(a.data, b.data, a.nbytes) == 0);
    CHECK(a.nbytes == c.nbytes && memcmp(a.data, c.data, a.nbytes) != 0);
    int nonzero = 0;
    for (int i = 0; i < 15; i++)
        nonzero += ((float *)a.data)[i] != 0.0f;
    CHECK(nonzero == 15);
    sa35_array_free(&a);
    sa35_array_free(&b);
    sa35_array_free(&c);
    EXPECT_FAIL("randn --shape 3,x -o r4.npy", "r4.npy", "--shape");
}

/* Run `sa35 ARGS` unable to write a file past `limit` bytes (a full disk:
 * write fails with EFBIG, SIGXFSZ ignored); the exit status. */
static int run_fsize(const char *args, rlim_t limit)
{
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = limit;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &lim);
    int st = run(args);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    return st;
}

static int is_dir(const char *name)
{
    struct stat sb;
    return stat(path_of(name), &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Entries of tmp/name other than . and .. (-1 if it cannot be read). */
static int entries(const char *name)
{
    DIR *d = opendir(path_of(name));
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* `sa35 model` and `sa35 project` write a directory of files: all appear
 * together, and a run that fails while writing leaves no output directory
 * (nor the parents it made, nor a temporary) behind. */
static void test_output_dirs(void)
{
    char args[2048];
    /* a failure at the 16 KiB file size limit, with parents to make:
     * project.json and the first plots fit, power_time.svg does not */
    snprintf(args, sizeof args, "project llama-2-7b --system tpuv1 "
             "--activity 0.5 --quiet --out gone/a/proj");
    CHECK(run_fsize(args, 16384) == 1);
    CHECK_MSG(strstr(slurp("err.txt"), "gone/a/proj/"), "%s",
              slurp("err.txt"));
    CHECK(!exists("gone"));
    CHECK(temp_files_left() == 0);
    snprintf(args, sizeof args, "model llama-2-7b --system tpuv1 --phase "
             "decode --quiet --out gone/b/model");
    CHECK(run_fsize(args, 16384) == 1);
    CHECK_MSG(strstr(slurp("err.txt"), "gone/b/model/layers.csv"), "%s",
              slurp("err.txt"));
    CHECK(!exists("gone"));
    CHECK(temp_files_left() == 0);
    /* an existing directory keeps what it had and gets nothing new */
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/keep' && mkdir '%s/keep' && "
             "echo x > '%s/keep/mine.txt'", tmp, tmp, tmp);
    CHECK(system(cmd) == 0);
    CHECK(run_fsize("project llama-2-7b --system tpuv1 --activity 0.5 "
                    "--quiet --out keep", 16384) == 1);
    CHECK(entries("keep") == 1 && exists("keep/mine.txt"));
    CHECK(temp_files_left() == 0);
    /* and the same run without the limit: everything, into the existing
     * directory beside its file, then again over its own files */
    for (int k = 0; k < 2; k++) {
        CHECK(run("project llama-2-7b --system tpuv1 --activity 0.5 "
                  "--quiet --out keep") == 0);
        CHECK_MSG(entries("keep") == 9, "%d", entries("keep"));
        CHECK(exists("keep/mine.txt") && exists("keep/project.json") &&
              exists("keep/energy_bits.svg"));
        CHECK(temp_files_left() == 0);
    }
    CHECK(run("model llama-2-7b --system tpuv1 --phase decode --quiet "
              "--out made/here/model") == 0);
    CHECK(is_dir("made/here/model") && entries("made/here/model") == 3);
    CHECK(entries("made/here") == 1 && temp_files_left() == 0);
}

int main(void)
{
    bin = getenv("SA35_BIN");
    tmp = getenv("SA35_TMP");
    if (!bin || !tmp) {
        fprintf(stderr, "SA35_BIN and SA35_TMP must be set (ctest does)\n");
        return 1;
    }
    test_randn();
    test_npy_round_trip();
    test_group_round_trip();
    test_safetensors_input();
    test_bad_inputs();
    test_output_dirs();
    return TEST_DONE();
}
