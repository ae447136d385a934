/* test_io.c: .npy, safetensors, the quantized weight file, atomic output
 * files and the half-precision conversions. Every reader is also fed broken
 * files, each of which must fail with a message that says what is wrong. */
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sa35_io.h"
#include "test_util.h"

/* ----------------------------------------------------------------- helpers */

/* rc must be -1 and err->msg one line containing every word (NULL-ended). */
static void expect_fail_at(int line, const char *what, int rc,
                           const sa35_err *err, ...)
{
    if (rc != -1) {
        fprintf(stderr, "test_io.c:%d: %s returned %d, expected failure\n",
                line, what, rc);
        test_failures++;
        return;
    }
    if (strchr(err->msg, '\n')) {
        fprintf(stderr, "test_io.c:%d: message has a newline: %s\n", line,
                err->msg);
        test_failures++;
    }
    va_list ap;
    va_start(ap, err);
    for (const char *w; (w = va_arg(ap, const char *));)
        if (!strstr(err->msg, w)) {
            fprintf(stderr, "test_io.c:%d: %s: message lacks \"%s\": %s\n",
                    line, what, w, err->msg);
            test_failures++;
        }
    va_end(ap);
}
#define EXPECT_FAIL(call, ...)                                                \
    do {                                                                      \
        err.msg[0] = '\0';                                                    \
        expect_fail_at(__LINE__, #call, (call), &err, __VA_ARGS__,            \
                       (const char *)NULL);                                   \
    } while (0)
#define EXPECT_OK(call)                                                       \
    do {                                                                      \
        int rc_ = (call);                                                     \
        CHECK_MSG(rc_ == 0, "%s", err.msg);                                   \
    } while (0)

static void write_bytes(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(fwrite(p, 1, n, f) == n);
    fclose(f);
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* No "*.tmp.*" may be left in the working directory. */
static int temp_files_left(void)
{
    DIR *d = opendir(".");
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        if (strstr(e->d_name, ".tmp."))
            n++;
    if (d)
        closedir(d);
    return n;
}

static float f32_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* ------------------------------------------------------------ f16 / bf16 */
static void test_half(void)
{
    CHECK(sa35_f32_to_f16(1.0f) == 0x3C00);
    CHECK(sa35_f32_to_f16(-2.0f) == 0xC000);
    CHECK(sa35_f32_to_f16(65504.0f) == 0x7BFF);
    CHECK(sa35_f32_to_f16(65519.0f) == 0x7BFF); /* below the tie */
    CHECK(sa35_f32_to_f16(65520.0f) == 0x7C00); /* tie: to even = inf */
    CHECK(sa35_f32_to_f16(1e10f) == 0x7C00);
    CHECK(sa35_f32_to_f16(ldexpf(1, -14)) == 0x0400); /* smallest normal */
    CHECK(sa35_f32_to_f16(ldexpf(1, -24)) == 0x0001); /* smallest subnormal */
    CHECK(sa35_f32_to_f16(ldexpf(1023, -24)) == 0x03FF);
    CHECK(sa35_f32_to_f16(ldexpf(1, -25)) == 0x0000);  /* tie: to even 0 */
    CHECK(sa35_f32_to_f16(ldexpf(3, -26)) == 0x0001);  /* above the tie */
    CHECK(sa35_f32_to_f16(ldexpf(3, -25)) == 0x0002);  /* tie 1|2: even 2 */
    CHECK(sa35_f32_to_f16(ldexpf(2047, -25)) == 0x0400); /* to normal */
    CHECK(sa35_f32_to_f16(1.0f + ldexpf(1, -11)) == 0x3C00); /* tie: even */
    CHECK(sa35_f32_to_f16(1.0f + ldexpf(3, -11)) == 0x3C02); /* tie: even */
    CHECK(sa35_f32_to_f16(1.0f + ldexpf(1, -11) + ldexpf(1, -20)) == 0x3C01);
    CHECK(sa35_f32_to_f16(ldexpf(1, -30)) == 0x0000);
    CHECK(sa35_f32_to_f16(-0.0f) == 0x8000);
    CHECK(sa35_f32_to_f16(INFINITY) == 0x7C00);
    CHECK(sa35_f32_to_f16(-INFINITY) == 0xFC00);
    uint16_t n = sa35_f32_to_f16(NAN);
    CHECK((n & 0x7C00) == 0x7C00 && (n & 0x3FF) != 0);
    n = sa35_f32_to_f16(f32_bits(0x7F800001u)); /* low payload only */
    CHECK((n & 0x7C00) == 0x7C00 && (n & 0x3FF) != 0);

    CHECK(sa35_f16_to_f32(0x3C00) == 1.0f);
    CHECK(sa35_f16_to_f32(0xC000) == -2.0f);
    CHECK(sa35_f16_to_f32(0x7BFF) == 65504.0f);
    CHECK(sa35_f16_to_f32(0x0001) == ldexpf(1, -24));
    CHECK(sa35_f16_to_f32(0x03FF) == ldexpf(1023, -24));
    CHECK(sa35_f16_to_f32(0x0400) == ldexpf(1, -14));
    CHECK(sa35_f16_to_f32(0x7C00) == INFINITY);
    CHECK(sa35_f16_to_f32(0xFC00) == -INFINITY);
    CHECK(isnan(sa35_f16_to_f32(0x7E00)));
    CHECK(sa35_f16_to_f32(0x8000) == 0.0f && signbit(sa35_f16_to_f32(0x8000)));
    /* Every non-NaN half survives the round trip bit for bit. */
    int bad = 0;
    for (uint32_t h = 0; h <= 0xFFFF; h++) {
        if ((h & 0x7C00) == 0x7C00 && (h & 0x3FF))
            continue;
        bad += sa35_f32_to_f16(sa35_f16_to_f32((uint16_t)h)) != h;
    }
    CHECK(bad == 0);

    CHECK(sa35_bf16_to_f32(0x3F80) == 1.0f);
    CHECK(sa35_bf16_to_f32(0xC040) == -3.0f);
    CHECK(sa35_bf16_to_f32(0x7F80) == INFINITY);
    CHECK(isnan(sa35_bf16_to_f32(0x7FC0)));
}

/* ----------------------------------------------------------------- arrays */
static void test_array(void)
{
    sa35_err err;
    sa35_array a;
    int64_t neg[2] = {2, -1};
    EXPECT_FAIL(sa35_array_alloc(&a, SA35_DT_F32, 2, neg, &err), "negative");
    EXPECT_OK(sa35_array_alloc(&a, SA35_DT_I32, 0, NULL, &err));
    CHECK(sa35_array_count(&a) == 1 && a.nbytes == 4 && a.data);
    sa35_array_free(&a);

    int64_t shape[2] = {2, 2};
    EXPECT_OK(sa35_array_alloc(&a, SA35_DT_BF16, 2, shape, &err));
    uint16_t bf[4] = {0x3F80, 0xC040, 0x0000, 0x4000};
    memcpy(a.data, bf, sizeof bf);
    float *f = NULL;
    EXPECT_OK(sa35_array_to_f32(&a, "w.bf16", &f, &err));
    CHECK(f && f[0] == 1.0f && f[1] == -3.0f && f[2] == 0.0f && f[3] == 2.0f);
    free(f);
    a.dtype = SA35_DT_F16; /* same bytes read as halves */
    EXPECT_OK(sa35_array_to_f32(&a, "w.f16", &f, &err));
    CHECK(f && f[3] == sa35_f16_to_f32(0x4000));
    free(f);
    a.dtype = SA35_DT_I8;
    EXPECT_FAIL(sa35_array_to_f32(&a, "x.npy", &f, &err), "x.npy", "I8",
                "not a float");
    CHECK(f == NULL);
    sa35_array_free(&a);
    CHECK(strcmp(sa35_dtype_name(SA35_DT_BF16), "BF16") == 0);
    CHECK(sa35_dtype_size(SA35_DT_I32) == 4 && sa35_dtype_size(SA35_DT_F16) == 2);
}

/* -------------------------------------------------------------------- npy */

/* A .npy file of version major.0 with the given dict and data_bytes zeros. */
static void write_npy_raw(const char *path, int major, const char *dict,
                          size_t data_bytes)
{
    size_t dlen = strlen(dict), lb = major == 1 ? 2 : 4;
    size_t n = 8 + lb + dlen + data_bytes;
    uint8_t *b = calloc(n, 1);
    memcpy(b, "\x93NUMPY", 6);
    b[6] = (uint8_t)major;
    for (size_t i = 0; i < lb; i++)
        b[8 + i] = (uint8_t)(dlen >> (8 * i));
    memcpy(b + 8 + lb, dict, dlen);
    write_bytes(path, b, n);
    free(b);
}

static void fill_random(void *p, size_t n, uint64_t *seed)
{
    for (size_t i = 0; i < n; i++)
        ((uint8_t *)p)[i] = (uint8_t)test_rand_u64(seed);
}

static void test_npy_roundtrip(void)
{
    static const sa35_dtype dts[] = {SA35_DT_F32, SA35_DT_F16, SA35_DT_I8,
                                     SA35_DT_U8, SA35_DT_I32};
    static const struct {
        int ndim;
        int64_t shape[4];
    } shapes[] = {{1, {5}},       {2, {3, 4}}, {3, {2, 3, 4}}, {0, {0}},
                  {2, {0, 3}},    {3, {4, 0, 2}}, {4, {1, 2, 1, 3}},
                  {1, {1000}}};
    uint64_t seed = 1;
    sa35_err err;
    for (size_t d = 0; d < sizeof dts / sizeof dts[0]; d++)
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
            sa35_array a, b;
            EXPECT_OK(sa35_array_alloc(&a, dts[d], shapes[s].ndim,
                                       shapes[s].shape, &err));
            fill_random(a.data, a.nbytes, &seed);
            EXPECT_OK(sa35_npy_write("rt.npy", &a, &err));
            EXPECT_OK(sa35_npy_read("rt.npy", &b, &err));
            CHECK_MSG(b.dtype == a.dtype && b.ndim == a.ndim &&
                          b.nbytes == a.nbytes &&
                          memcmp(b.shape, a.shape,
                                 (size_t)a.ndim * sizeof a.shape[0]) == 0 &&
                          memcmp(b.data, a.data, a.nbytes) == 0,
                      "dtype %d shape #%zu", (int)dts[d], s);
            sa35_array_free(&a);
            sa35_array_free(&b);
        }
    sa35_array a;
    int64_t two = 2;
    EXPECT_OK(sa35_array_alloc(&a, SA35_DT_BF16, 1, &two, &err));
    remove("bf.npy");
    EXPECT_FAIL(sa35_npy_write("bf.npy", &a, &err), "bf.npy", "bfloat16");
    CHECK(!file_exists("bf.npy"));
    sa35_array_free(&a);
}

/* The bytes NumPy writes, worked out by hand from format.py's rules: the
 * dict with sorted keys, 21 - len(str(shape[0])) growth blanks, blanks up
 * to a multiple of 64 (a full 64 when already aligned) and '\n'. */
static void check_npy_bytes(sa35_dtype dt, int ndim, const int64_t *shape,
                            const char *dict, size_t blanks, size_t total)
{
    sa35_err err;
    sa35_array a;
    EXPECT_OK(sa35_array_alloc(&a, dt, ndim, shape, &err));
    for (size_t i = 0; i < a.nbytes; i++)
        ((uint8_t *)a.data)[i] = (uint8_t)(i * 7 + 1);
    EXPECT_OK(sa35_npy_write("known.npy", &a, &err));
    uint8_t *got = NULL;
    size_t n = 0;
    EXPECT_OK(sa35_read_file("known.npy", &got, &n, &err));

    uint8_t want[256];
    size_t dl = strlen(dict);
    memcpy(want, "\x93NUMPY\x01\x00", 8);
    want[8] = (uint8_t)(total - 10);
    want[9] = 0;
    memcpy(want + 10, dict, dl);
    memset(want + 10 + dl, ' ', blanks);
    want[10 + dl + blanks] = '\n';
    CHECK(10 + dl + blanks + 1 == total);
    CHECK_MSG(n == total + a.nbytes && got &&
                  memcmp(got, want, total) == 0 &&
                  memcmp(got + total, a.data, a.nbytes) == 0,
              "header for %s", dict);
    free(got);
    sa35_array_free(&a);
}

static void test_npy_known_bytes(void)
{
    int64_t s23[2] = {2, 3}, s3[1] = {3}, big[3] = {0, 1000000000000000000,
                                                   100000000000000000};
    check_npy_bytes(SA35_DT_F32, 2, s23,
                    "{'descr': '<f4', 'fortran_order': False, "
                    "'shape': (2, 3), }",
                    20 + 38, 128);
    check_npy_bytes(SA35_DT_U8, 1, s3,
                    "{'descr': '|u1', 'fortran_order': False, "
                    "'shape': (3,), }",
                    20 + 40, 128);
    check_npy_bytes(SA35_DT_I32, 0, NULL,
                    "{'descr': '<i4', 'fortran_order': False, "
                    "'shape': (), }",
                    62, 128);
    /* Here the header would end exactly on 64: NumPy adds 64 blanks. */
    check_npy_bytes(SA35_DT_F32, 3, big,
                    "{'descr': '<f4', 'fortran_order': False, "
                    "'shape': (0, 1000000000000000000, 100000000000000000), }",
                    20 + 64, 192);
}

/* Files NumPy or other writers may produce that sa35 must accept: other
 * versions, key orders, quotes, '=' byte order, Python 2's 'L'. */
static void test_npy_variants(void)
{
    static const struct {
        int major;
        const char *dict;
        size_t nbytes;
        sa35_dtype dt;
        int ndim;
    } ok[] = {
        {2, "{\"shape\": (2, 3,), \"fortran_order\": False, "
            "\"descr\": \"=f4\"}\n", 24, SA35_DT_F32, 2},
        {3, "{'descr':'|i1','fortran_order':False,'shape':(4L,)}   \n", 4,
         SA35_DT_I8, 1},
        {1, "{'descr': '<f2', 'fortran_order': False, 'shape': (), }\n", 2,
         SA35_DT_F16, 0},
        {1, "{'descr': '>u1', 'fortran_order': False, 'shape': (1, 1), }", 1,
         SA35_DT_U8, 2},
    };
    sa35_err err;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        sa35_array a;
        write_npy_raw("variant.npy", ok[i].major, ok[i].dict, ok[i].nbytes);
        EXPECT_OK(sa35_npy_read("variant.npy", &a, &err));
        CHECK_MSG(a.dtype == ok[i].dt && a.ndim == ok[i].ndim &&
                      a.nbytes == ok[i].nbytes,
                  "%s", ok[i].dict);
        sa35_array_free(&a);
    }
    /* empty, with dimensions whose product before the 0 passes 2^63: 0
     * elements, not an overflow (fuzz_npy found it in sa35_array_count) */
    sa35_array a;
    write_npy_raw("emptybig.npy", 1, "{'descr': '<i4', 'fortran_order': "
                  "False, 'shape': (5, 444444, 44444444444444445, 0), }\n",
                  0);
    EXPECT_OK(sa35_npy_read("emptybig.npy", &a, &err));
    CHECK(a.nbytes == 0 && sa35_array_count(&a) == 0);
    sa35_array_free(&a);
}

static void test_npy_bad(void)
{
    sa35_err err;
    sa35_array a;
    const char *f4 = "{'descr': '<f4', 'fortran_order': False, "
                     "'shape': (4, 8), }\n";
    write_npy_raw("short.npy", 1, f4, 100);
    EXPECT_FAIL(sa35_npy_read("short.npy", &a, &err), "short.npy",
                "shape (4, 8) of float32 (128 bytes)",
                "file has 100 data bytes");
    CHECK(a.data == NULL);
    write_npy_raw("long.npy", 1, f4, 129);
    EXPECT_FAIL(sa35_npy_read("long.npy", &a, &err), "long.npy",
                "129 data bytes");

    write_npy_raw("cut.npy", 1, f4, 0);
    CHECK(truncate("cut.npy", 30) == 0); /* inside the dict */
    EXPECT_FAIL(sa35_npy_read("cut.npy", &a, &err), "cut.npy", "truncated");
    write_bytes("tiny.npy", "\x93NU", 3);
    EXPECT_FAIL(sa35_npy_read("tiny.npy", &a, &err), "tiny.npy", "truncated");
    write_bytes("empty.npy", "", 0);
    EXPECT_FAIL(sa35_npy_read("empty.npy", &a, &err), "empty.npy",
                "truncated");
    write_bytes("magic.npy", "PK\x03\x04 not npy", 12);
    EXPECT_FAIL(sa35_npy_read("magic.npy", &a, &err), "magic.npy",
                "bad magic");
    write_npy_raw("v4.npy", 4, f4, 128);
    EXPECT_FAIL(sa35_npy_read("v4.npy", &a, &err), "v4.npy", "version 4.0");
    EXPECT_FAIL(sa35_npy_read("missing.npy", &a, &err), "missing.npy",
                "cannot open");

    static const struct {
        const char *dict, *words[2];
    } bad[] = {
        {"{'descr': '<f4', 'fortran_order': True, 'shape': (4, 8), }",
         {"Fortran", NULL}},
        {"{'descr': '>f4', 'fortran_order': False, 'shape': (4, 8), }",
         {"big-endian", "'>f4'"}},
        {"{'descr': '>i4', 'fortran_order': False, 'shape': (4, 8), }",
         {"big-endian", NULL}},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (4, 8), }",
         {"'<f8'", "not supported"}},
        {"{'descr': '|f4', 'fortran_order': False, 'shape': (4, 8), }",
         {"byte order", NULL}},
        {"{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (4,), }",
         {"structured", NULL}},
        {"{'descr': '<f4', 'fortran_order': False, }", {"lacks 'shape'", NULL}},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'x': 1}",
         {"unexpected key 'x'", NULL}},
        {"{'descr': '<f4', 'descr': '<f4', 'shape': (4,), }",
         {"repeats 'descr'", NULL}},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (4), }",
         {"tuple", NULL}},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (-4, 8), }",
         {"non-negative", NULL}},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (4 8), }",
         {"','", NULL}},
        {"{'descr': '<f4', 'fortran_order': 0, 'shape': (4,), }",
         {"True or False", NULL}},
        {"{'descr': '<f4', 'fortran_order': False, "
         "'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1), }",
         {"more than 8", NULL}},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (4,), } x",
         {"only blanks", NULL}},
        {"['descr', '<f4']", {"Python dict", NULL}},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_npy_raw("bad.npy", 1, bad[i].dict, 16);
        err.msg[0] = '\0';
        expect_fail_at(__LINE__, bad[i].dict, sa35_npy_read("bad.npy", &a,
                                                             &err),
                       &err, "bad.npy", bad[i].words[0], bad[i].words[1],
                       (const char *)NULL);
    }
}

/* ---------------------------------------------------------- atomic output */
static void test_outfile(void)
{
    sa35_err err;
    sa35_outfile of;
    remove("out.txt"); /* left by an earlier run */
    remove("gone.txt");
    EXPECT_OK(sa35_outfile_open(&of, "out.txt", &err));
    CHECK(of.fp && strstr(of.tmp_path, "out.txt.tmp.") == of.tmp_path);
    CHECK(!file_exists("out.txt") && temp_files_left() == 1);
    EXPECT_OK(sa35_outfile_write(&of, "hello\n", 6, &err));
    EXPECT_OK(sa35_outfile_commit(&of, &err));
    sa35_outfile_abort(&of); /* no-op after commit */
    struct stat sb;
    CHECK(stat("out.txt", &sb) == 0 && sb.st_size == 6 &&
          (sb.st_mode & 0777) == 0644);
    CHECK(temp_files_left() == 0);

    EXPECT_OK(sa35_outfile_open(&of, "gone.txt", &err));
    EXPECT_OK(sa35_outfile_write(&of, "x", 1, &err));
    sa35_outfile_abort(&of);
    CHECK(!file_exists("gone.txt") && temp_files_left() == 0);

    /* Failure at create: the directory does not exist. */
    sa35_array a;
    int64_t n = 3;
    EXPECT_OK(sa35_array_alloc(&a, SA35_DT_F32, 1, &n, &err));
    EXPECT_FAIL(sa35_npy_write("nodir/x.npy", &a, &err), "nodir/x.npy",
                "cannot create");
    CHECK(!file_exists("nodir"));
    /* Failure at commit, after the data was written: the rename onto a
     * directory fails, and the temporary must go. */
    mkdir("adir.npy", 0755);
    write_bytes("adir.npy/keep", "k", 1);
    EXPECT_FAIL(sa35_npy_write("adir.npy", &a, &err), "adir.npy",
                "cannot rename");
    CHECK(temp_files_left() == 0);
    remove("adir.npy/keep");
    remove("adir.npy");
    sa35_array_free(&a);

    uint8_t *bytes;
    size_t size;
    EXPECT_OK(sa35_read_file("out.txt", &bytes, &size, &err));
    CHECK(size == 6 && memcmp(bytes, "hello\n", 6) == 0);
    free(bytes);
    EXPECT_FAIL(sa35_read_file("nope.txt", &bytes, &size, &err), "nope.txt",
                "cannot open");
}

/* Whether an output is an input: the same path, or the same device and
 * inode under another name; a file that does not exist is no input. */
static void test_same_file(void)
{
    sa35_err err;
    write_bytes("in.txt", "in", 2);
    write_bytes("other.txt", "ot", 2);
    remove("hard.txt");
    CHECK(link("in.txt", "hard.txt") == 0);
    CHECK(sa35_same_file("in.txt", "in.txt"));
    CHECK(sa35_same_file("./in.txt", "in.txt"));
    CHECK(sa35_same_file("hard.txt", "in.txt"));
    CHECK(sa35_same_file("missing.txt", "missing.txt")); /* one path */
    CHECK(!sa35_same_file("missing.txt", "in.txt"));
    CHECK(!sa35_same_file("other.txt", "in.txt"));
    EXPECT_FAIL(sa35_output_is_input("hard.txt", "in.txt", &err),
                "hard.txt: the output is the input in.txt (the same file)");
    EXPECT_OK(sa35_output_is_input("other.txt", "in.txt", &err));
    remove("hard.txt");
    remove("in.txt");
    remove("other.txt");
}

/* An output that is a FIFO (or a device: /dev/null) is written into, not
 * replaced by a regular file renamed onto it. */
static void test_outfile_fifo(void)
{
    sa35_err err;
    remove("fifo");
    CHECK(mkfifo("fifo", 0644) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) { /* the reader: the bytes it got are its exit status */
        alarm(10);
        FILE *f = fopen("fifo", "rb");
        char buf[64];
        size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
        _exit(n == 5 && memcmp(buf, "hello", 5) == 0 ? 5 : 1);
    }
    EXPECT_OK(sa35_write_file("fifo", "hello", 5, &err));
    int st = -1;
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
    CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 5, "reader status %d", st);
    struct stat sb;
    CHECK(stat("fifo", &sb) == 0 && S_ISFIFO(sb.st_mode));
    CHECK(temp_files_left() == 0);
    remove("fifo");
}

/* A child that is in the middle of an output file, and of an output
 * directory (with parents to make, one file written into it, one half
 * written), when sig arrives (ignored first if `ignore`); its status. */
static int write_until(int sig, int ignore)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0) {
        int st = -1;
        CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
        return st;
    }
    if (ignore)
        signal(sig, SIG_IGN);
    sa35_err err;
    sa35_outfile of, half;
    sa35_outdir od;
    char p[4400];
    if (sa35_outfile_open(&of, "sig.bin", &err) ||
        sa35_outfile_write(&of, "partial", 7, &err) ||
        sa35_outdir_open(&od, "sigdir/a/out", &err) ||
        sa35_outdir_write(&od, "done.txt", "x", 1, &err) ||
        sa35_outdir_path(&od, "half.txt", p, sizeof p, &err) ||
        sa35_outfile_open(&half, p, &err) ||
        sa35_outfile_write(&half, "y", 1, &err))
        _exit(3);
    raise(sig);
    if (sa35_outfile_commit(&half, &err) || sa35_outdir_commit(&od, &err) ||
        sa35_outfile_commit(&of, &err))
        _exit(4);
    _exit(0);
}

/* SIGINT, SIGTERM or SIGHUP in the middle of a write: the process still
 * dies of the signal, and no temporary is left: not NAME.tmp.XXXXXX, not
 * an output directory's sibling with its files, not the parents it made.
 * A signal the program ignores stays ignored. */
static void test_signal_cleanup(void)
{
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 3; i++) {
        int st = write_until(sigs[i], 0);
        CHECK_MSG(WIFSIGNALED(st) && WTERMSIG(st) == sigs[i],
                  "signal %d: status %d", sigs[i], st);
        CHECK_MSG(!file_exists("sig.bin") && !file_exists("sigdir") &&
                      temp_files_left() == 0,
                  "signal %d left files behind", sigs[i]);
    }
    int st = write_until(SIGTERM, 1);
    CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
    CHECK(file_exists("sig.bin") && file_exists("sigdir/a/out/done.txt") &&
          file_exists("sigdir/a/out/half.txt") && temp_files_left() == 0);
    remove("sig.bin");
    remove("sigdir/a/out/done.txt");
    remove("sigdir/a/out/half.txt");
    rmdir("sigdir/a/out");
    rmdir("sigdir/a");
    rmdir("sigdir");
}

/* ------------------------------------------------------------ safetensors */
static void test_st_roundtrip(void)
{
    sa35_err err;
    uint64_t seed = 7;
    static const struct {
        const char *name;
        sa35_dtype dt;
        int ndim;
        int64_t shape[3];
    } ts[] = {
        {"a.f32", SA35_DT_F32, 2, {2, 3}}, {"b.f16", SA35_DT_F16, 1, {5}},
        {"c.bf16", SA35_DT_BF16, 2, {2, 2}}, {"d.i8", SA35_DT_I8, 3, {3, 1, 2}},
        {"e.u8", SA35_DT_U8, 1, {0}},       {"f.i32", SA35_DT_I32, 0, {0}},
        {"g \"quoted\"\\name", SA35_DT_F32, 1, {1}},
    };
    enum { NT = sizeof ts / sizeof ts[0] };
    sa35_array arr[NT];
    sa35_st_writer *w = sa35_st_writer_new();
    CHECK(w != NULL);
    if (!w)
        return;
    for (int i = 0; i < NT; i++) {
        EXPECT_OK(sa35_array_alloc(&arr[i], ts[i].dt, ts[i].ndim, ts[i].shape,
                                   &err));
        fill_random(arr[i].data, arr[i].nbytes, &seed);
        EXPECT_OK(sa35_st_writer_add(w, ts[i].name, ts[i].dt, ts[i].ndim,
                                     ts[i].shape, arr[i].data, &err));
    }
    EXPECT_OK(sa35_st_writer_meta(w, "note", "first", &err));
    EXPECT_OK(sa35_st_writer_meta(w, "other", "x", &err));
    EXPECT_OK(sa35_st_writer_meta(w, "note", "second", &err));
    int64_t neg = -1;
    EXPECT_FAIL(sa35_st_writer_add(w, "a.f32", SA35_DT_F32, 1, ts[0].shape,
                                   arr[0].data, &err), "a.f32", "twice");
    EXPECT_FAIL(sa35_st_writer_add(w, "__metadata__", SA35_DT_F32, 1,
                                   ts[0].shape, arr[0].data, &err),
                "__metadata__");
    EXPECT_FAIL(sa35_st_writer_add(w, "neg", SA35_DT_F32, 1, &neg,
                                   arr[0].data, &err), "neg", "negative");
    EXPECT_OK(sa35_st_writer_write(w, "rt.safetensors", &err));
    sa35_st_writer_free(w);
    CHECK(temp_files_left() == 0);

    sa35_safetensors st;
    EXPECT_OK(sa35_st_open("rt.safetensors", &st, &err));
    CHECK(st.ntensors == NT && st.nmeta == 2);
    uint64_t hlen = 0;
    for (int i = 7; i >= 0 && st.bytes; i--)
        hlen = hlen << 8 | st.bytes[i];
    CHECK(hlen % 8 == 0);
    CHECK(st.bytes && st.bytes[8] == '{' &&
          strchr("} ", st.bytes[8 + hlen - 1])); /* padded with blanks */
    CHECK(sa35_st_meta_get(&st, "note") &&
          strcmp(sa35_st_meta_get(&st, "note"), "second") == 0);
    CHECK(sa35_st_meta_get(&st, "other") &&
          strcmp(sa35_st_meta_get(&st, "other"), "x") == 0);
    CHECK(sa35_st_meta_get(&st, "none") == NULL);
    size_t offset = 8 + hlen;
    for (int i = 0; i < NT && i < st.ntensors; i++) {
        const sa35_st_tensor *t = &st.tensors[i]; /* file order = added */
        CHECK(strcmp(t->name, ts[i].name) == 0);
        CHECK(sa35_st_find(&st, ts[i].name) == t);
        CHECK(t->dtype == ts[i].dt && t->ndim == ts[i].ndim &&
              t->nbytes == arr[i].nbytes &&
              strcmp(t->dtype_name, sa35_dtype_name(ts[i].dt)) == 0);
        CHECK(memcmp(t->shape, ts[i].shape,
                     (size_t)ts[i].ndim * sizeof ts[i].shape[0]) == 0);
        CHECK(t->data == st.bytes + offset); /* dense, in order */
        offset += t->nbytes;
        sa35_array c;
        EXPECT_OK(sa35_st_tensor_copy(t, &c, &err));
        CHECK(c.nbytes == arr[i].nbytes &&
              memcmp(c.data, arr[i].data, c.nbytes) == 0);
        sa35_array_free(&c);
        sa35_array_free(&arr[i]);
    }
    CHECK(offset == st.size);
    CHECK(sa35_st_find(&st, "nope") == NULL);
    sa35_st_close(&st);
}

/* A safetensors file from header text and data_len zero bytes; hlen is
 * the header length field, normally strlen(json). */
static void write_st_raw(const char *path, const char *json, uint64_t hlen,
                         size_t data_len)
{
    size_t jl = strlen(json), n = 8 + jl + data_len;
    uint8_t *b = calloc(n, 1);
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(hlen >> (8 * i));
    memcpy(b + 8, json, jl);
    write_bytes(path, b, n);
    free(b);
}

static void test_st_bad(void)
{
    sa35_err err;
    sa35_safetensors st;
    write_bytes("tiny.st", "\x08\0\0\0", 4);
    EXPECT_FAIL(sa35_st_open("tiny.st", &st, &err), "tiny.st", "too short");
    CHECK(st.bytes == NULL && st.tensors == NULL);
    write_st_raw("past.st", "{}", 1000, 4);
    EXPECT_FAIL(sa35_st_open("past.st", &st, &err), "past.st",
                "header length 1000", "past the end");
    write_st_raw("huge.st", "{}", UINT64_MAX, 0);
    EXPECT_FAIL(sa35_st_open("huge.st", &st, &err), "huge.st",
                "past the end");
    EXPECT_FAIL(sa35_st_open("nope.st", &st, &err), "nope.st", "cannot open");
    /* a .npy where a safetensors file goes says so (its magic read as a
     * header length would run far past the end) */
    write_npy_raw("w.npy", 1, "{'descr': '<f4', 'fortran_order': False, "
                  "'shape': (2,), }", 8);
    EXPECT_FAIL(sa35_st_open("w.npy", &st, &err), "w.npy",
                "is a .npy file, not safetensors");
    /* tensors that touch, and empty ones anywhere, do not overlap */
    const char *touch = "{\"a\": {\"dtype\": \"U8\", \"shape\": [2], "
                        "\"data_offsets\": [0, 2]}, \"e\": {\"dtype\": \"U8\", "
                        "\"shape\": [0], \"data_offsets\": [1, 1]}, \"b\": "
                        "{\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": "
                        "[2, 4]}}";
    write_st_raw("touch.st", touch, strlen(touch), 4);
    EXPECT_OK(sa35_st_open("touch.st", &st, &err));
    CHECK(st.ntensors == 3);
    sa35_st_close(&st);

/* A header with one tensor "w" (string literals, joined at compile time). */
#define ONE(fields) "{\"w\": {" fields "}}"
#define W(dt, shape, offs)                                                    \
    ONE("\"dtype\": \"" dt "\", \"shape\": " shape ", \"data_offsets\": " offs)
    static const struct {
        const char *json;
        size_t data;
        const char *words[2];
    } bad[] = {
        {"{not json", 0, {"not valid JSON", NULL}},
        {"", 0, {"not valid JSON", NULL}},
        {"[1, 2]", 0, {"not an object", NULL}},
        {"{} x", 0, {"after the JSON", NULL}},
        {W("F32", "[2]", "[0, 8]"), 4,
         {"'w'", "past the end of the data section (4 bytes)"}},
        {W("F32", "[3]", "[0, 8]"), 8,
         {"shape (3,) of F32 is 12 bytes", "[0, 8] hold 8"}},
        {W("F32", "[1]", "[8, 4]"), 8, {"'w'", "begin after"}},
        {W("F32", "[1]", "[0.5, 4]"), 8, {"\"data_offsets\" is not", NULL}},
        {W("F32", "[1]", "[0]"), 8, {"\"data_offsets\" is not", NULL}},
        {W("F32", "[1]", "[-4, 0]"), 8, {"\"data_offsets\" is not", NULL}},
        {W("F32", "[1]", "\"0-4\""), 8, {"\"data_offsets\" is not", NULL}},
        {ONE("\"dtype\": \"F32\", \"shape\": [1]"), 8,
         {"\"data_offsets\"", NULL}},
        {W("F32", "[-1, 2]", "[0, 0]"), 8, {"'w'", "negative dimension"}},
        {W("F32", "[\"2\"]", "[0, 8]"), 8, {"'w'", "non-integer"}},
        {W("F32", "[1, 1, 1, 1, 1, 1, 1, 1, 1]", "[0, 4]"), 8,
         {"'w'", "9 dimensions"}},
        {W("F12", "[2]", "[0, 8]"), 8, {"'w'", "unknown dtype 'F12'"}},
        {ONE("\"shape\": [2], \"data_offsets\": [0, 8]"), 8,
         {"'w'", "\"dtype\""}},
        {"{\"w\": [1]}", 8, {"'w'", "not a JSON object"}},
        {"{\"w\": {\"dtype\": \"U8\", \"shape\": [1], "
         "\"data_offsets\": [0, 1]}, \"w\": {\"dtype\": \"U8\", "
         "\"shape\": [1], \"data_offsets\": [1, 2]}}",
         2, {"key \"w\" appears twice", NULL}},
        {ONE("\"dtype\": \"U8\", \"dtype\": \"F32\", \"shape\": [1], "
             "\"data_offsets\": [0, 1]"),
         1, {"key \"w.dtype\" appears twice", NULL}},
        {"{\"__metadata__\": {}, \"__metadata__\": {}}", 0,
         {"key \"__metadata__\" appears twice", NULL}},
        {"{\"__metadata__\": {\"k\": \"a\", \"k\": \"b\"}}", 0,
         {"key \"__metadata__.k\" appears twice", NULL}},
        {"{\"a\": {\"dtype\": \"U8\", \"shape\": [4], \"data_offsets\": "
         "[0, 4]}, \"b\": {\"dtype\": \"U8\", \"shape\": [4], "
         "\"data_offsets\": [2, 6]}}",
         6, {"tensors 'a' [0, 4) and 'b' [2, 6) overlap", NULL}},
        {"{\"big\": {\"dtype\": \"U8\", \"shape\": [8], \"data_offsets\": "
         "[0, 8]}, \"c\": {\"dtype\": \"U8\", \"shape\": [1], "
         "\"data_offsets\": [2, 3]}, \"d\": {\"dtype\": \"U8\", \"shape\": "
         "[1], \"data_offsets\": [5, 6]}}",
         8, {"tensors 'big' [0, 8) and 'c' [2, 3) overlap", NULL}},
        {"{\"__metadata__\": {\"k\": 3}}", 0, {"'k'", "not a string"}},
        {"{\"__metadata__\": [1]}", 0, {"__metadata__", "not a JSON object"}},
    };
#undef W
#undef ONE
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_st_raw("bad.st", bad[i].json, strlen(bad[i].json), bad[i].data);
        err.msg[0] = '\0';
        expect_fail_at(__LINE__, bad[i].json, sa35_st_open("bad.st", &st,
                                                            &err),
                       &err, "bad.st", bad[i].words[0], bad[i].words[1],
                       (const char *)NULL);
        CHECK(st.tensors == NULL && st.path == NULL);
    }

    /* Dtypes sa35 does not read open fine and fail only when used. */
    const char *other = "{\"pos\": {\"dtype\": \"I64\", \"shape\": [2], "
                        "\"data_offsets\": [0, 16]}, \"w\": {\"dtype\": "
                        "\"F32\", \"shape\": [1], \"data_offsets\": [16, 20]}}";
    write_st_raw("other.st", other, strlen(other), 20);
    EXPECT_OK(sa35_st_open("other.st", &st, &err));
    CHECK(st.ntensors == 2);
    if (st.ntensors == 2) {
        sa35_array a;
        CHECK(st.tensors[0].dtype == SA35_DT_COUNT &&
              strcmp(st.tensors[0].dtype_name, "I64") == 0);
        EXPECT_FAIL(sa35_st_tensor_copy(&st.tensors[0], &a, &err), "other.st",
                    "'pos'", "I64");
        EXPECT_OK(sa35_st_tensor_copy(&st.tensors[1], &a, &err));
        sa35_array_free(&a);
    }
    sa35_st_close(&st);
    const char *f64 = "{\"w\": {\"dtype\": \"F64\", \"shape\": [2], "
                      "\"data_offsets\": [0, 8]}}";
    write_st_raw("f64.st", f64, strlen(f64), 8);
    EXPECT_FAIL(sa35_st_open("f64.st", &st, &err), "f64.st",
                "shape (2,) of F64 is 16 bytes");
}

/* ------------------------------------------------------------- qfile */

static void make_q(sa35_qweights *q, sa35_format fmt, int K, int N,
                   uint64_t *seed)
{
    sa35_err err;
    EXPECT_OK(sa35_qweights_alloc(q, fmt, K, N, &err));
    fill_random(q->qweight, (size_t)N * q->colbytes, seed);
    for (int n = 0; n < N; n++) {
        q->scale[n] = test_rand_unit(seed);
        q->zero[n] = test_rand_unit(seed);
    }
}

static int q_equal(const sa35_qweights *a, const sa35_qweights *b)
{
    return a->fmt == b->fmt && a->K == b->K && a->N == b->N &&
           a->Kp == b->Kp && a->colbytes == b->colbytes &&
           memcmp(a->qweight, b->qweight, (size_t)a->N * a->colbytes) == 0 &&
           memcmp(a->scale, b->scale, (size_t)a->N * sizeof(float)) == 0 &&
           memcmp(a->zero, b->zero, (size_t)a->N * sizeof(float)) == 0;
}

static const char *meta(const sa35_safetensors *st, const char *k)
{
    const char *v = sa35_st_meta_get(st, k);
    return v ? v : "(absent)";
}

/* Write weights q[0..n) as "w0", "w1", ... and reopen the file. */
static void q_write_open(const char *path, const sa35_qweights *q, int n,
                         sa35_safetensors *st)
{
    sa35_err err;
    sa35_st_writer *w = sa35_st_writer_new();
    char name[16];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "w%d", i);
        EXPECT_OK(sa35_qfile_add(w, name, &q[i], &err));
    }
    EXPECT_OK(sa35_st_writer_write(w, path, &err));
    sa35_st_writer_free(w);
    EXPECT_OK(sa35_st_open(path, st, &err));
}

static void test_qfile_roundtrip(void)
{
    sa35_err err;
    uint64_t seed = 3;
    sa35_qweights q[3], back;
    make_q(&q[0], SA35_FMT_SA35, 20, 3, &seed);
    make_q(&q[1], SA35_FMT_SA35, 20, 3, &seed);
    make_q(&q[2], SA35_FMT_SA35, 33, 5, &seed);

    sa35_safetensors st;
    q_write_open("same.sa35q", q, 2, &st);
    CHECK(strcmp(meta(&st, "format"), "sa35") == 0);
    CHECK(strcmp(meta(&st, "K"), "20") == 0 && strcmp(meta(&st, "N"), "3") == 0);
    CHECK(strcmp(meta(&st, "w1.K"), "20") == 0 &&
          strcmp(meta(&st, "w1.N"), "3") == 0);
    const char **names = NULL;
    int count = 0;
    EXPECT_OK(sa35_qfile_names(&st, &names, &count, &err));
    CHECK(count == 2 && names && strcmp(names[0], "w0") == 0 &&
          strcmp(names[1], "w1") == 0);
    free(names);
    for (int i = 0; i < 2; i++) {
        EXPECT_OK(sa35_qfile_load(&st, i ? "w1" : "w0", &back, &err));
        CHECK(q_equal(&q[i], &back));
        sa35_qweights_free(&back);
    }
    EXPECT_FAIL(sa35_qfile_load(&st, NULL, &back, &err), "same.sa35q",
                "2 quantized weights", "name");
    EXPECT_FAIL(sa35_qfile_load(&st, "w9", &back, &err), "same.sa35q",
                "'w9.qweight'");
    sa35_st_close(&st);

    /* Shapes differ: the global K / N go, and stay gone for a third weight
     * that matches the first again. */
    sa35_qweights mixed[3] = {q[0], q[2], q[1]};
    q_write_open("mixed.sa35q", mixed, 3, &st);
    CHECK(strcmp(meta(&st, "K"), "(absent)") == 0 &&
          strcmp(meta(&st, "N"), "(absent)") == 0);
    CHECK(strcmp(meta(&st, "w1.K"), "33") == 0);
    EXPECT_OK(sa35_qfile_load(&st, "w1", &back, &err));
    CHECK(q_equal(&q[2], &back));
    sa35_qweights_free(&back);
    sa35_st_close(&st);

    /* One weight: NULL picks it. Every format round-trips. */
    for (int f = 0; f < SA35_FMT_COUNT; f++) {
        sa35_qweights one;
        make_q(&one, (sa35_format)f, 17, 4, &seed);
        q_write_open("one.sa35q", &one, 1, &st);
        EXPECT_OK(sa35_qfile_load(&st, NULL, &back, &err));
        CHECK(q_equal(&one, &back));
        sa35_qweights_free(&back);
        sa35_qweights_free(&one);
        sa35_st_close(&st);
    }

    /* One format per file. */
    sa35_qweights other;
    make_q(&other, SA35_FMT_INT4, 20, 3, &seed);
    sa35_st_writer *w = sa35_st_writer_new();
    EXPECT_OK(sa35_qfile_add(w, "a", &q[0], &err));
    EXPECT_FAIL(sa35_qfile_add(w, "b", &other, &err), "'b'", "int4",
                "already holds sa35");
    sa35_st_writer_free(w);
    sa35_qweights_free(&other);
    for (int i = 0; i < 3; i++)
        sa35_qweights_free(&q[i]);
}

/* Ways to break a one-weight file named "w" (K = 20, N = 3, sa35). */
enum q_break {
    QB_NO_FORMAT, QB_BAD_FORMAT, QB_COLBYTES, QB_SCALE_F16, QB_SCALE_LEN,
    QB_NAN_SCALE, QB_INF_ZERO, QB_NO_K, QB_N_DISAGREES, QB_K_DISAGREES,
    QB_K_NOT_DECIMAL, QB_NO_ZERO, QB_K_TOO_BIG, QB_COUNT
};

static void write_broken_q(const char *path, enum q_break b)
{
    sa35_err err;
    uint8_t qw[3 * 14] = {0};
    float scale[4] = {1, 1, 1, 1}, zero[3] = {0, 0, 0};
    uint16_t half[3] = {0};
    int64_t qshape[2] = {3, b == QB_COLBYTES ? 7 : 14};
    int64_t nshape = b == QB_SCALE_LEN ? 4 : 3;
    if (b == QB_NAN_SCALE)
        scale[1] = NAN;
    if (b == QB_INF_ZERO)
        zero[2] = -INFINITY;
    sa35_st_writer *w = sa35_st_writer_new();
    EXPECT_OK(sa35_st_writer_add(w, "w.qweight", SA35_DT_U8, 2, qshape, qw,
                                 &err));
    if (b == QB_SCALE_F16)
        EXPECT_OK(sa35_st_writer_add(w, "w.scale", SA35_DT_F16, 1, &nshape,
                                     half, &err));
    else
        EXPECT_OK(sa35_st_writer_add(w, "w.scale", SA35_DT_F32, 1, &nshape,
                                     scale, &err));
    nshape = 3;
    if (b != QB_NO_ZERO)
        EXPECT_OK(sa35_st_writer_add(w, "w.zero", SA35_DT_F32, 1, &nshape,
                                     zero, &err));
    if (b != QB_NO_FORMAT)
        EXPECT_OK(sa35_st_writer_meta(
            w, "format", b == QB_BAD_FORMAT ? "int5" : "sa35", &err));
    if (b != QB_NO_K)
        EXPECT_OK(sa35_st_writer_meta(w, "w.K",
                                      b == QB_K_NOT_DECIMAL ? "2x"
                                      : b == QB_K_TOO_BIG   ? "3000000"
                                                            : "20",
                                      &err));
    EXPECT_OK(sa35_st_writer_meta(w, "w.N", b == QB_N_DISAGREES ? "4" : "3",
                                  &err));
    if (b == QB_K_DISAGREES)
        EXPECT_OK(sa35_st_writer_meta(w, "K", "21", &err));
    EXPECT_OK(sa35_st_writer_write(w, path, &err));
    sa35_st_writer_free(w);
}

static void test_qfile_bad(void)
{
    static const char *const words[QB_COUNT][2] = {
        [QB_NO_FORMAT] = {"\"format\"", NULL},
        [QB_BAD_FORMAT] = {"unknown format \"int5\"", NULL},
        [QB_COLBYTES] = {"7 bytes per column", "needs 14"},
        [QB_SCALE_F16] = {"'w.scale' is F16", "expected F32"},
        [QB_SCALE_LEN] = {"'w.scale' is F32 (4,)", NULL},
        [QB_NAN_SCALE] = {"w.scale[1]", "not finite"},
        [QB_INF_ZERO] = {"w.zero[2]", "not finite"},
        [QB_NO_K] = {"no 'w.K' or 'K'", NULL},
        [QB_N_DISAGREES] = {"'w.N' is 4", "has 3"},
        [QB_K_DISAGREES] = {"'K' is 21", "has 20"},
        [QB_K_NOT_DECIMAL] = {"'w.K' is \"2x\"", "decimal"},
        [QB_NO_ZERO] = {"no tensor 'w.zero'", NULL},
        [QB_K_TOO_BIG] = {"weight 'w'", "K=3000000"},
    };
    sa35_err err;
    for (int b = 0; b < QB_COUNT; b++) {
        sa35_safetensors st;
        sa35_qweights q;
        write_broken_q("broken.sa35q", (enum q_break)b);
        EXPECT_OK(sa35_st_open("broken.sa35q", &st, &err));
        err.msg[0] = '\0';
        expect_fail_at(__LINE__, words[b][0],
                       sa35_qfile_load(&st, "w", &q, &err), &err,
                       "broken.sa35q", words[b][0], words[b][1],
                       (const char *)NULL);
        CHECK(q.qweight == NULL && q.scale == NULL);
        sa35_st_close(&st);
    }
    sa35_safetensors st;
    sa35_qweights q;
    write_st_raw("noq.st", "{}", 2, 0);
    EXPECT_OK(sa35_st_open("noq.st", &st, &err));
    EXPECT_FAIL(sa35_qfile_load(&st, NULL, &q, &err), "noq.st",
                "0 quantized weights");
    sa35_st_close(&st);
}

int main(void)
{
    test_half();
    test_array();
    test_npy_roundtrip();
    test_npy_known_bytes();
    test_npy_variants();
    test_npy_bad();
    test_outfile();
    test_signal_cleanup();
    test_same_file();
    test_outfile_fifo();
    test_st_roundtrip();
    test_st_bad();
    test_qfile_roundtrip();
    test_qfile_bad();
    CHECK(temp_files_left() == 0);
    return TEST_DONE();
}
