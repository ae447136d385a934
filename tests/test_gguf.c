/* test_gguf.c: the GGUF reader (io/gguf_*.c) on files gguf_writer.h makes
 * from the spec: every tensor type back to the floats it stands for (Q8_0
 * and Q4_0 by hand and against the cmodel dequantizers), every metadata
 * type, the alignment, each malformed file's one-line message, every
 * truncation of a good file; then `sa35 quantize F.gguf` against the same
 * weights in safetensors, and `sa35 model F.gguf` against the config.json
 * its metadata stands for. */
#include <stdarg.h>

#include "cli_test_util.h"
#include "gguf_writer.h"
#include "sa35_model.h"

static void save(const char *name, gw *w)
{
    CHECK(!w->oom);
    write_bytes(name, w->b, w->n);
    gw_free(w);
}

/* open fails, on one line naming the file, with every substring given. */
static void open_fails_at(int line, const char *name, ...)
{
    sa35_gguf g;
    sa35_err err = {{0}};
    int rc = sa35_gguf_open(path_of(name), &g, &err);
    CHECK_MSG(rc == -1, "line %d: %s opened", line, name);
    if (rc == 0)
        sa35_gguf_close(&g);
    CHECK_MSG(strstr(err.msg, name) && !strchr(err.msg, '\n'),
              "line %d: %s", line, err.msg);
    va_list ap;
    va_start(ap, name);
    for (const char *w; (w = va_arg(ap, const char *));)
        CHECK_MSG(strstr(err.msg, w), "line %d: '%s' not in: %s", line, w,
                  err.msg);
    va_end(ap);
}
#define OPEN_FAILS(name, ...)                                                 \
    open_fails_at(__LINE__, name, __VA_ARGS__, (const char *)NULL)

static int open_ok(const char *name, sa35_gguf *g)
{
    sa35_err err = {{0}};
    int rc = sa35_gguf_open(path_of(name), g, &err);
    CHECK_MSG(rc == 0, "%s: %s", name, err.msg);
    return rc;
}

static void put_half(uint8_t *p, uint16_t h)
{
    p[0] = (uint8_t)h;
    p[1] = (uint8_t)(h >> 8);
}

/* ------------------------------------------------------------ the types */
enum { NT = 7 };
typedef struct tcase {
    const char *name;
    uint32_t type, ndim;
    uint64_t ne[3];
    uint8_t data[300];
    size_t bytes;
    float want[256]; /* by hand, for the float types and one Q block each */
    int nwant;
} tcase;

static void make_cases(tcase *c)
{
    memset(c, 0, NT * sizeof *c);
    c[0] = (tcase){.name = "f32", .type = GT_F32, .ndim = 2, .ne = {3, 2},
                   .bytes = 24, .nwant = 6,
                   .want = {1.0f, -2.5f, 3.25f, 0.0f, 1e-3f, -7.0f}};
    memcpy(c[0].data, c[0].want, 24); /* little-endian host, as the file */
    static const uint16_t h16[4] = {0x3C00, 0xC000, 0x3800, 0x0001};
    c[1] = (tcase){.name = "f16", .type = GT_F16, .ndim = 1, .ne = {4},
                   .bytes = 8, .nwant = 4,
                   .want = {1.0f, -2.0f, 0.5f, 0x1p-24f}};
    static const uint16_t b16[4] = {0x3F80, 0xC000, 0x3F00, 0x4049};
    c[2] = (tcase){.name = "bf16", .type = GT_BF16, .ndim = 2, .ne = {2, 2},
                   .bytes = 8, .nwant = 4,
                   .want = {1.0f, -2.0f, 0.5f, 3.140625f}};
    for (int i = 0; i < 4; i++) {
        put_half(c[1].data + 2 * i, h16[i]);
        put_half(c[2].data + 2 * i, b16[i]);
    }
    /* Q8_0, two rows of one block: d = 0.5 then 2; code j - 16, then
     * arbitrary codes (checked against the cmodel only) */
    c[3] = (tcase){.name = "q8", .type = GT_Q8_0, .ndim = 2, .ne = {32, 2},
                   .bytes = 68, .nwant = 32};
    put_half(c[3].data, 0x3800);
    put_half(c[3].data + 34, 0x4000);
    for (int j = 0; j < 32; j++) {
        c[3].data[2 + j] = (uint8_t)(int8_t)(j - 16);
        c[3].want[j] = 0.5f * (float)(j - 16);
        c[3].data[36 + j] = (uint8_t)(j * 37 + 5);
    }
    /* Q4_0, one row of two blocks: d = 1; value j is its low nibble j, 16+j
     * the high nibble 15-j, each minus 8 */
    c[4] = (tcase){.name = "q4", .type = GT_Q4_0, .ndim = 1, .ne = {64},
                   .bytes = 36, .nwant = 32};
    put_half(c[4].data, 0x3C00);
    put_half(c[4].data + 18, 0xB800); /* -0.5 */
    for (int j = 0; j < 16; j++) {
        c[4].data[2 + j] = (uint8_t)(j | (15 - j) << 4);
        c[4].want[j] = (float)(j - 8);
        c[4].want[16 + j] = (float)(15 - j - 8);
        c[4].data[20 + j] = (uint8_t)(j * 29 + 3);
    }
    /* three dimensions: C order reverses ne */
    c[5] = (tcase){.name = "f32_3d", .type = GT_F32, .ndim = 3,
                   .ne = {2, 3, 4}, .bytes = 96};
    /* a type sa35 knows and does not read: listed, refused when read */
    c[6] = (tcase){.name = "q4k", .type = GT_Q4_K, .ndim = 2, .ne = {256, 1},
                   .bytes = 144};
}

/* The cases as one file, each tensor at the next multiple of 32; the file
 * ends with the last tensor's bytes (every shorter prefix is broken). */
static void write_cases(const char *name, const tcase *c, uint32_t version)
{
    gw w = {0};
    gw_header(&w, version, NT, 1);
    gw_kv_str(&w, "general.architecture", "llama");
    uint64_t off[NT], at = 0;
    for (int i = 0; i < NT; i++) {
        off[i] = at;
        at = (at + c[i].bytes + 31) / 32 * 32;
        gw_tensor(&w, c[i].name, c[i].ndim, c[i].ne, c[i].type, off[i]);
    }
    gw_pad(&w, 32);
    size_t start = w.n;
    for (int i = 0; i < NT; i++) {
        while (w.n < start + off[i])
            gw_le(&w, 0, 1);
        gw_bytes(&w, c[i].data, c[i].bytes);
    }
    save(name, &w);
}

static void test_types(void)
{
    static tcase c[NT];
    make_cases(c);
    write_cases("types.gguf", c, 3);
    sa35_gguf g;
    if (open_ok("types.gguf", &g))
        return;
    CHECK(g.version == 3 && g.alignment == 32 && g.ntensors == NT);
    CHECK(g.data_start % 32 == 0 && g.data_start < g.size);
    sa35_err err;
    for (int i = 0; i < NT; i++) {
        const sa35_gguf_tensor *t = sa35_gguf_find(&g, c[i].name);
        CHECK_MSG(t && t->nbytes == c[i].bytes && t->ndim == (int)c[i].ndim,
                  "%s", c[i].name);
        if (!t)
            continue;
        CHECK(t->data == g.bytes + g.data_start + t->offset);
        CHECK(memcmp(t->data, c[i].data, c[i].bytes) == 0);
        for (int d = 0; d < t->ndim; d++)
            CHECK(t->ne[d] == (int64_t)c[i].ne[d] &&
                  t->shape[t->ndim - 1 - d] == (int64_t)c[i].ne[d]);
        float *y = NULL;
        int rc = sa35_gguf_tensor_f32(t, &y, &err);
        if (c[i].type == GT_Q4_K) {
            CHECK(rc == -1 && !sa35_gguf_readable(t));
            CHECK_MSG(strstr(err.msg, "types.gguf") &&
                          strstr(err.msg, "tensor 'q4k'") &&
                          strstr(err.msg, "Q4_K"),
                      "%s", err.msg);
            continue;
        }
        CHECK_MSG(rc == 0, "%s", err.msg);
        if (rc)
            continue;
        for (int j = 0; j < c[i].nwant; j++)
            CHECK_MSG(y[j] == c[i].want[j], "%s[%d] = %g, want %g",
                      c[i].name, j, y[j], c[i].want[j]);
        if (c[i].type == GT_Q8_0 || c[i].type == GT_Q4_0) {
            sa35_ggml_type q = c[i].type == GT_Q8_0 ? SA35_GGML_Q8_0
                                                    : SA35_GGML_Q4_0;
            int64_t n = (int64_t)(c[i].ne[0] * (c[i].ndim > 1 ? c[i].ne[1]
                                                               : 1));
            float ref[64];
            sa35_ggml_dequantize_row(q, c[i].data, n, ref);
            CHECK(memcmp(ref, y, (size_t)n * sizeof *y) == 0);
        }
        free(y);
    }
    sa35_gguf_close(&g);

    /* version 2 has the same layout */
    write_cases("types2.gguf", c, 2);
    if (open_ok("types2.gguf", &g) == 0) {
        CHECK(g.version == 2 && g.ntensors == NT);
        sa35_gguf_close(&g);
    }

    /* every truncation fails, cleanly, naming the file */
    uint8_t *whole = NULL;
    size_t n = 0;
    CHECK(sa35_read_file(path_of("types.gguf"), &whole, &n, &err) == 0);
    for (size_t k = 0; whole && k < n; k++) {
        write_bytes("cut.gguf", whole, k);
        OPEN_FAILS("cut.gguf", "");
    }
    free(whole);
}

/* ------------------------------------------------------------- metadata */
static void test_meta(void)
{
    gw w = {0};
    gw_header(&w, 3, 0, 17);
    gw_key(&w, "t.u8", GW_U8), gw_le(&w, 200, 1);
    gw_key(&w, "t.i8", GW_I8), gw_le(&w, (uint8_t)-100, 1);
    gw_key(&w, "t.u16", GW_U16), gw_le(&w, 60000, 2);
    gw_key(&w, "t.i16", GW_I16), gw_le(&w, (uint16_t)-30000, 2);
    gw_kv_u32(&w, "t.u32", 4000000000u);
    gw_key(&w, "t.i32", GW_I32), gw_le(&w, (uint32_t)-2000000000, 4);
    gw_key(&w, "t.f32", GW_F32), gw_le(&w, 0x3FC00000u, 4); /* 1.5 */
    gw_key(&w, "t.bool", GW_BOOL), gw_le(&w, 1, 1);
    gw_kv_str(&w, "t.str", "h\xc3\xa9llo");
    gw_key(&w, "t.u64", GW_U64), gw_u64(&w, (1ull << 63) + 5);
    gw_key(&w, "t.i64", GW_I64), gw_u64(&w, (uint64_t)-(1ll << 62));
    gw_key(&w, "t.f64", GW_F64), gw_u64(&w, 0xBFC0000000000000ull);
    gw_key(&w, "t.arr_u32", GW_ARR), gw_arr(&w, GW_U32, 3);
    for (uint32_t i = 1; i <= 3; i++)
        gw_u32(&w, i * 11);
    gw_key(&w, "t.arr_str", GW_ARR), gw_arr(&w, GW_STR, 3);
    gw_str(&w, "a"), gw_str(&w, "bc"), gw_str(&w, "");
    gw_key(&w, "t.nested", GW_ARR), gw_arr(&w, GW_ARR, 2);
    gw_arr(&w, GW_I16, 2), gw_le(&w, 1, 2), gw_le(&w, (uint16_t)-2, 2);
    gw_arr(&w, GW_I16, 1), gw_le(&w, 3, 2);
    gw_key(&w, "t.empty", GW_ARR), gw_arr(&w, GW_F64, 0);
    gw_key(&w, "t.bools", GW_ARR), gw_arr(&w, GW_BOOL, 2);
    gw_le(&w, 0, 1), gw_le(&w, 1, 1);
    save("meta.gguf", &w);
    sa35_gguf g;
    if (open_ok("meta.gguf", &g))
        return;
    CHECK(g.nkv == 17 && g.ntensors == 0);
    const sa35_gguf_value *v;
#define GET(k) ((v = sa35_gguf_get(&g, k)) != NULL ? v : &none)
    static const sa35_gguf_value none = {.type = SA35_GGUF_TYPE_COUNT};
    CHECK(GET("t.u8")->type == SA35_GGUF_UINT8 && v->u == 200 && v->is_int);
    CHECK(GET("t.i8")->i == -100 && v->u == 0 && v->f == -100.0);
    CHECK(GET("t.u16")->u == 60000 && v->i == 60000);
    CHECK(GET("t.i16")->i == -30000);
    CHECK(GET("t.u32")->u == 4000000000u);
    CHECK(GET("t.i32")->i == -2000000000);
    CHECK(GET("t.f32")->f == 1.5 && !v->is_int);
    CHECK(GET("t.bool")->type == SA35_GGUF_BOOL && v->u == 1 && !v->is_int);
    CHECK(GET("t.str")->len == 6 && memcmp(v->str, "h\xc3\xa9llo", 6) == 0);
    CHECK(GET("t.u64")->u == (1ull << 63) + 5 && v->i == INT64_MAX);
    CHECK(GET("t.i64")->i == -(1ll << 62));
    CHECK(GET("t.f64")->f == -0.125);
    sa35_gguf_value it;
    CHECK(GET("t.arr_u32")->elem == SA35_GGUF_UINT32 && v->len == 3);
    CHECK(sa35_gguf_array_item(v, 2, &it) == 0 && it.u == 33);
    CHECK(sa35_gguf_array_item(v, 3, &it) == -1);
    CHECK(GET("t.arr_str")->len == 3);
    CHECK(sa35_gguf_array_item(v, 1, &it) == 0 && it.len == 2 &&
          memcmp(it.str, "bc", 2) == 0);
    CHECK(sa35_gguf_array_item(v, 2, &it) == 0 && it.len == 0);
    CHECK(GET("t.nested")->elem == SA35_GGUF_ARRAY && v->len == 2);
    sa35_gguf_value in;
    CHECK(sa35_gguf_array_item(v, 0, &it) == 0 && it.len == 2 &&
          sa35_gguf_array_item(&it, 1, &in) == 0 && in.i == -2);
    CHECK(sa35_gguf_array_item(v, 1, &it) == 0 && it.len == 1 &&
          sa35_gguf_array_item(&it, 0, &in) == 0 && in.i == 3);
    CHECK(GET("t.empty")->len == 0 && v->elem == SA35_GGUF_FLOAT64);
    CHECK(sa35_gguf_array_item(GET("t.bools"), 1, &it) == 0 && it.u == 1);
    CHECK(sa35_gguf_get(&g, "t.missing") == NULL);
#undef GET
    sa35_gguf_close(&g);
}

/* ------------------------------------------------------------ alignment */
static void test_alignment(void)
{
    gw w = {0};
    uint64_t ne3[1] = {3}, ne2[1] = {2};
    gw_header(&w, 3, 2, 1);
    gw_kv_u32(&w, "general.alignment", 64);
    gw_tensor(&w, "a", 1, ne3, GT_F32, 0);
    gw_tensor(&w, "b", 1, ne2, GT_F32, 64);
    gw_pad(&w, 64);
    float a[3] = {1, 2, 3}, b[2] = {4, 5};
    gw_bytes(&w, a, sizeof a);
    gw_pad(&w, 64);
    gw_bytes(&w, b, sizeof b);
    save("align64.gguf", &w);
    sa35_gguf g;
    if (open_ok("align64.gguf", &g) == 0) {
        CHECK(g.alignment == 64 && g.data_start % 64 == 0);
        const sa35_gguf_tensor *t = sa35_gguf_find(&g, "b");
        CHECK(t && memcmp(t->data, b, sizeof b) == 0);
        sa35_gguf_close(&g);
    }
}

/* ------------------------------------------------------------ malformed */
/* One tensor (or none for ndim 0 ... written as given), no pairs, its data
 * section of `data` zero bytes. */
static void one_tensor(const char *file, const char *name, uint32_t ndim,
                       const uint64_t *ne, uint32_t type, uint64_t offset,
                       size_t data)
{
    gw w = {0};
    gw_header(&w, 3, 1, 0);
    gw_tensor(&w, name, ndim, ne, type, offset);
    gw_pad(&w, 32);
    for (size_t i = 0; i < data; i++)
        gw_le(&w, 0, 1);
    save(file, &w);
}

/* F32 tensors 'x' of 8 values at offset 0 and `second` at `offset`, in a
 * data section of 64 bytes. */
static void two_tensors(const char *file, const char *second,
                        uint64_t offset)
{
    uint64_t ne[1] = {8};
    gw w = {0};
    gw_header(&w, 3, 2, 0);
    gw_tensor(&w, "x", 1, ne, GT_F32, 0);
    gw_tensor(&w, second, 1, ne, GT_F32, offset);
    gw_pad(&w, 32);
    for (int i = 0; i < 64; i++)
        gw_le(&w, 0, 1);
    save(file, &w);
}

/* A file of only pairs: the header with count, then what f writes. */
static void pairs(const char *file, uint64_t count, void (*f)(gw *))
{
    gw w = {0};
    gw_header(&w, 3, 0, count);
    f(&w);
    save(file, &w);
}

static void p_huge_arr(gw *w) { gw_key(w, "a", GW_ARR), gw_arr(w, GW_U8, 1ull << 60); }
static void p_huge_sarr(gw *w) { gw_key(w, "a", GW_ARR), gw_arr(w, GW_STR, 1ull << 40); }
static void p_long_str(gw *w) { gw_key(w, "k", GW_STR), gw_u64(w, 1000), gw_bytes(w, "xy", 2); }
static void p_long_key(gw *w) { gw_u64(w, 1ull << 62), gw_bytes(w, "abcdefgh", 8); }
static void p_bad_type(gw *w) { gw_key(w, "k", 13), gw_u64(w, 0); }
static void p_bad_bool(gw *w) { gw_key(w, "k", GW_BOOL), gw_le(w, 2, 1), gw_u64(w, 0); }
static void p_dup(gw *w) { gw_kv_u32(w, "a.b", 1), gw_kv_u32(w, "a.b", 2); }
static void p_empty_key(gw *w) { gw_kv_u32(w, "", 1); }
static void p_nul_key(gw *w) { gw_u64(w, 3), gw_bytes(w, "a\0b", 3), gw_u32(w, GW_U8), gw_le(w, 1, 1); }
static void p_align48(gw *w) { gw_kv_u32(w, "general.alignment", 48); }
static void p_align_u64(gw *w) { gw_key(w, "general.alignment", GW_U64), gw_u64(w, 32); }
static void p_deep(gw *w)
{
    gw_key(w, "deep", GW_ARR);
    for (int i = 0; i < 12; i++)
        gw_arr(w, GW_ARR, 1);
    gw_arr(w, GW_U8, 0);
}
static void p_bad_elem(gw *w) { gw_key(w, "a", GW_ARR), gw_arr(w, 99, 1), gw_u64(w, 0); }

static void test_bad(void)
{
    gw w = {0};
    gw_bytes(&w, "GGUX", 4), gw_u32(&w, 3), gw_u64(&w, 0), gw_u64(&w, 0);
    save("magic.gguf", &w);
    OPEN_FAILS("magic.gguf", "not a GGUF file");
    write_bytes("short.gguf", "GGUF\3\0\0\0", 8);
    OPEN_FAILS("short.gguf", "too short");
    static const struct { uint32_t v; const char *want; } versions[] = {
        {1, "version 1"}, {7, "unknown GGUF version 7"},
        {0x03000000u, "big-endian"}};
    for (size_t i = 0; i < 3; i++) {
        gw_header(&w, versions[i].v, 0, 0);
        save("version.gguf", &w);
        OPEN_FAILS("version.gguf", versions[i].want);
    }
    gw_header(&w, 3, 0, 1ull << 40);
    save("nkv.gguf", &w);
    OPEN_FAILS("nkv.gguf", "1099511627776 metadata pairs cannot fit");
    gw_header(&w, 3, 1ull << 50, 0);
    gw_u64(&w, 0);
    save("nt.gguf", &w);
    OPEN_FAILS("nt.gguf", "tensor infos cannot fit");

    static const struct {
        const char *file;
        uint64_t count;
        void (*write)(gw *);
        const char *want[2];
    } bad_pairs[] = {
        {"arr.gguf", 1, p_huge_arr,
         {"key 'a'", "1152921504606846976 uint8 values cannot fit"}},
        {"sarr.gguf", 1, p_huge_sarr, {"key 'a'", "string values cannot "
                                                  "fit"}},
        {"str.gguf", 1, p_long_str, {"key 'k'", "string of 1000 bytes runs "
                                                "past"}},
        {"key.gguf", 1, p_long_key, {"metadata pair 0's key", "runs past"}},
        {"vtype.gguf", 1, p_bad_type, {"key 'k'", "unknown value type 13"}},
        {"etype.gguf", 1, p_bad_elem, {"key 'a'", "unknown value type 99"}},
        {"bool.gguf", 1, p_bad_bool, {"key 'k'", "bool of value 2"}},
        {"dup.gguf", 2, p_dup, {"key 'a.b' appears twice", ""}},
        {"ekey.gguf", 1, p_empty_key, {"key is empty", ""}},
        {"nkey.gguf", 1, p_nul_key, {"NUL", ""}},
        {"a48.gguf", 1, p_align48, {"general.alignment 48 is not a power "
                                    "of two", ""}},
        {"a64.gguf", 1, p_align_u64, {"general.alignment is uint64, not "
                                      "uint32", ""}},
        {"deep.gguf", 1, p_deep, {"key 'deep'", "nested more than 8 deep"}},
    };
    for (size_t i = 0; i < sizeof bad_pairs / sizeof *bad_pairs; i++) {
        pairs(bad_pairs[i].file, bad_pairs[i].count, bad_pairs[i].write);
        OPEN_FAILS(bad_pairs[i].file, bad_pairs[i].want[0],
                   bad_pairs[i].want[1]);
    }

    uint64_t ne[5] = {4, 4, 1, 1, 1};
    one_tensor("nd5.gguf", "w", 5, ne, GT_F32, 0, 64);
    OPEN_FAILS("nd5.gguf", "tensor 'w' has 5 dimensions");
    one_tensor("nd0.gguf", "w", 0, ne, GT_F32, 0, 64);
    OPEN_FAILS("nd0.gguf", "tensor 'w' has 0 dimensions");
    uint64_t zero[2] = {4, 0};
    one_tensor("dim0.gguf", "w", 2, zero, GT_F32, 0, 64);
    OPEN_FAILS("dim0.gguf", "tensor 'w' has dimension 1 of 0");
    one_tensor("type.gguf", "w", 2, ne, 77, 0, 64);
    OPEN_FAILS("type.gguf", "tensor 'w' has unknown ggml type 77");
    one_tensor("gap.gguf", "w", 2, ne, 4, 0, 64); /* Q4_2: removed */
    OPEN_FAILS("gap.gguf", "unknown ggml type 4");
    uint64_t row33[1] = {33};
    one_tensor("block.gguf", "w", 1, row33, GT_Q8_0, 0, 64);
    OPEN_FAILS("block.gguf", "tensor 'w' is Q8_0", "33 values",
               "block (32)");
    uint64_t big[2] = {1ull << 62, 1ull << 62};
    one_tensor("over.gguf", "w", 2, big, GT_F32, 0, 64);
    OPEN_FAILS("over.gguf", "tensor 'w'", "overflows");
    one_tensor("unal.gguf", "w", 2, ne, GT_F32, 16, 128);
    OPEN_FAILS("unal.gguf", "offset 16, not a multiple of the alignment "
                            "(32)");
    one_tensor("past.gguf", "w", 2, ne, GT_F32, 0, 63);
    OPEN_FAILS("past.gguf", "tensor 'w'", "runs past the end of the data "
                                          "section (63 bytes)");
    one_tensor("far.gguf", "w", 2, ne, GT_F32, 1ull << 63, 64);
    OPEN_FAILS("far.gguf", "tensor 'w'", "runs past the end");
    one_tensor("nodata.gguf", "w", 2, ne, GT_F32, 0, 0);
    /* the infos end short of a multiple of 32: the data would start past
     * the end of the file */
    OPEN_FAILS("nodata.gguf", "past the end");

    two_tensors("tdup.gguf", "x", 32);
    OPEN_FAILS("tdup.gguf", "tensor 'x' appears twice");
    two_tensors("olap.gguf", "y", 0);
    OPEN_FAILS("olap.gguf", "tensors 'x' and 'y' overlap");
    gw_header(&w, 3, 1, 0);
    gw_u64(&w, 3), gw_bytes(&w, "a\0b", 3), gw_u32(&w, 1), gw_u64(&w, 8);
    gw_u32(&w, GT_F32), gw_u64(&w, 0);
    gw_pad(&w, 32);
    for (int i = 0; i < 32; i++)
        gw_le(&w, 0, 1);
    save("tnul.gguf", &w);
    OPEN_FAILS("tnul.gguf", "tensor 0's name holds a NUL");
    static const char npy[] = "\x93NUMPY\1\0 and the rest of a header";
    write_bytes("npy.gguf", npy, sizeof npy - 1);
    OPEN_FAILS("npy.gguf", "is a .npy file");
}

/* ---------------------------------------------------------- sa35 quantize */
/* The same weights as GGUF (ne = [K, N]) and as safetensors ([N, K]):
 * a K=64 N=8 F16 q projection, a K=32 N=16 F32 down projection, a norm. */
static void write_pair(const char *gguf, const char *st, uint32_t qtype)
{
    static uint16_t q16[8 * 64];
    static float down[16 * 32], norm[64], q8f[8 * 64];
    static uint8_t q8[8 * 2 * 34];
    uint64_t seed = 17;
    for (int i = 0; i < 8 * 64; i++) /* binary16 of normal values, by hand */
        q16[i] = (uint16_t)(0x3000 + test_rand_range(&seed, 0, 0x0FFF)) |
                 (uint16_t)(test_rand_range(&seed, 0, 1) << 15);
    for (int i = 0; i < 16 * 32; i++)
        down[i] = test_rand_normal(&seed);
    for (int i = 0; i < 64; i++)
        norm[i] = 1.0f + 0.01f * (float)i;
    for (int r = 0; r < 8 * 2; r++) { /* Q8_0 blocks, arbitrary codes */
        put_half(q8 + 34 * r, (uint16_t)(0x2000 + r));
        for (int j = 0; j < 32; j++)
            q8[34 * r + 2 + j] = (uint8_t)test_rand_range(&seed, 0, 255);
    }
    sa35_ggml_dequantize_row(SA35_GGML_Q8_0, q8, 8 * 64, q8f);
    int q = qtype == GT_Q8_0;
    uint64_t ne_q[2] = {64, 8}, ne_d[2] = {32, 16}, ne_n[1] = {64};
    size_t qbytes = q ? sizeof q8 : sizeof q16;
    if (qtype == GT_Q4_K) { /* rows of one 256-value block (of q16's bytes) */
        ne_q[0] = 256, ne_q[1] = 2;
        qbytes = 2 * 144;
    }
    gw w = {0};
    gw_header(&w, 3, 3, 1);
    gw_kv_str(&w, "general.architecture", "llama");
    gw_tensor(&w, "blk.0.attn_q.weight", 2, ne_q, qtype, 0);
    gw_tensor(&w, "blk.0.attn_norm.weight", 1, ne_n, GT_F32, 1024);
    gw_tensor(&w, "blk.0.ffn_down.weight", 2, ne_d, GT_F32, 1280);
    gw_pad(&w, 32);
    size_t start = w.n;
    gw_bytes(&w, q ? (const void *)q8 : (const void *)q16, qbytes);
    while (w.n < start + 1024)
        gw_le(&w, 0, 1);
    gw_bytes(&w, norm, sizeof norm);
    gw_bytes(&w, down, sizeof down);
    save(gguf, &w);

    sa35_st_writer *wr = sa35_st_writer_new();
    int64_t s_q[2] = {8, 64}, s_d[2] = {16, 32}, s_n[1] = {64};
    sa35_err err;
    CHECK(sa35_st_writer_add(wr, "blk.0.attn_q.weight",
                             q ? SA35_DT_F32 : SA35_DT_F16, 2, s_q,
                             q ? (const void *)q8f : (const void *)q16,
                             &err) == 0);
    CHECK(sa35_st_writer_add(wr, "blk.0.attn_norm.weight", SA35_DT_F32, 1,
                             s_n, norm, &err) == 0);
    CHECK(sa35_st_writer_add(wr, "blk.0.ffn_down.weight", SA35_DT_F32, 2,
                             s_d, down, &err) == 0);
    CHECK(sa35_st_writer_write(wr, path_of(st), &err) == 0);
    sa35_st_writer_free(wr);
}

static void test_quantize(void)
{
    static const uint32_t qtypes[2] = {GT_F16, GT_Q8_0};
    for (int i = 0; i < 2; i++) {
        write_pair("m.gguf", "m.safetensors", qtypes[i]);
        CHECK(run("quantize m.gguf -o g.safetensors") == 0);
        CHECK_MSG(strstr(slurp("out.txt"), "blk.0.attn_q.weight: K=64 N=8 "
                                           "(read transposed"),
                  "%s", slurp("out.txt"));
        CHECK(run("quantize m.safetensors -o s.safetensors") == 0);
        CHECK_MSG(same_files("g.safetensors", "s.safetensors"),
                  "type %u: GGUF and safetensors quantize differently",
                  qtypes[i]);
        CHECK(run("quantize m.gguf -o g.safetensors --group 32 -f int4") ==
              0);
        CHECK(run("quantize m.safetensors -o s.safetensors --group 32 "
                  "-f int4") == 0);
        CHECK(same_files("g.safetensors", "s.safetensors"));
    }
    /* --tensor picks by name */
    CHECK(run("quantize m.gguf -o one.safetensors -t blk.0.ffn_down.weight")
          == 0);
    sa35_safetensors st;
    sa35_err err;
    const char **names = NULL;
    int count = 0;
    if (sa35_st_open(path_of("one.safetensors"), &st, &err) == 0) {
        CHECK(sa35_qfile_names(&st, &names, &count, &err) == 0 &&
              count == 1 && strcmp(names[0], "blk.0.ffn_down.weight") == 0);
        free(names);
        sa35_st_close(&st);
    }
    /* which sa35 gemm runs (K = 32 of the down projection) */
    float x[2 * 32];
    for (int i = 0; i < 2 * 32; i++)
        x[i] = (float)(i % 7) - 3.0f;
    write_f32("x.npy", 2, (const int64_t[]){2, 32}, x);
    CHECK(run("gemm one.safetensors x.npy -o y.npy") == 0);
    sa35_array y = {0};
    read_npy("y.npy", &y);
    CHECK(y.ndim == 2 && y.shape[0] == 2 && y.shape[1] == 16);
    sa35_array_free(&y);
    EXPECT_FAIL("quantize m.gguf -o x.safetensors -t nope", "x.safetensors",
                "m.gguf: no tensor 'nope'");
    EXPECT_FAIL("quantize m.gguf -o x.safetensors -t blk.0.attn_norm.weight",
                "x.safetensors", "tensor 'blk.0.attn_norm.weight' is 1-D F32");
    /* a weight sa35 cannot read stops the run, by name: it can be neither
     * quantized nor passed through (the output is a complete checkpoint) */
    write_pair("k.gguf", "k.safetensors", GT_Q4_K);
    EXPECT_FAIL("quantize k.gguf -o x.safetensors", "x.safetensors",
                "k.gguf: tensor 'blk.0.attn_q.weight' is Q4_K",
                "pass through");
    EXPECT_FAIL("quantize k.gguf -o x.safetensors -t blk.0.ffn_down.weight",
                "x.safetensors", "k.gguf: tensor 'blk.0.attn_q.weight' is "
                "Q4_K");
    EXPECT_FAIL("quantize olap.gguf -o y.safetensors", "y.safetensors",
                "olap.gguf: tensors 'x' and 'y' overlap");
    EXPECT_FAIL("stats cut.gguf", "nothing", "cut.gguf");
}

/* ------------------------------------------------------------ sa35 model */
typedef struct mkey {
    const char *key;
    int type; /* GW_U32, GW_STR */
    uint32_t u;
    const char *s;
} mkey;

static void write_model(const char *file, const mkey *k, int nk, int tokens,
                        int embd_rows)
{
    gw w = {0};
    uint64_t ne[2] = {64, (uint64_t)embd_rows};
    gw_header(&w, 3, embd_rows ? 1 : 0, (uint64_t)nk + (tokens > 0));
    for (int i = 0; i < nk; i++)
        if (k[i].type == GW_STR)
            gw_kv_str(&w, k[i].key, k[i].s);
        else
            gw_kv_u32(&w, k[i].key, k[i].u);
    if (tokens) {
        gw_key(&w, "tokenizer.ggml.tokens", GW_ARR);
        gw_arr(&w, GW_STR, (uint64_t)tokens);
        for (int i = 0; i < tokens; i++)
            gw_str(&w, i % 2 ? "<tok>" : "x");
    }
    if (embd_rows) {
        gw_tensor(&w, "token_embd.weight", 2, ne, GT_F16, 0);
        gw_pad(&w, 32);
        for (int i = 0; i < 64 * embd_rows * 2; i++)
            gw_le(&w, 0, 1);
    }
    save(file, &w);
}

static const mkey tiny[] = {
    {"general.architecture", GW_STR, 0, "llama"},
    {"llama.embedding_length", GW_U32, 64, NULL},
    {"llama.feed_forward_length", GW_U32, 176, NULL},
    {"llama.block_count", GW_U32, 2, NULL},
    {"llama.attention.head_count", GW_U32, 4, NULL},
    {"llama.attention.head_count_kv", GW_U32, 2, NULL},
    {"llama.context_length", GW_U32, 256, NULL},
};
enum { NTINY = sizeof tiny / sizeof tiny[0] };

static void model_fails(const char *file, const mkey *k, int nk,
                        const char *w1, const char *w2)
{
    write_model(file, k, nk, 100, 0);
    sa35_llm m;
    sa35_err err = {{0}};
    CHECK(sa35_llm_read(path_of(file), &m, &err) == -1);
    CHECK_MSG(strstr(err.msg, file) && strstr(err.msg, w1) &&
                  (!w2 || strstr(err.msg, w2)) && !strchr(err.msg, '\n'),
              "%s", err.msg);
}

static void test_model(void)
{
    write_model("tiny.gguf", tiny, NTINY, 100, 0);
    sa35_llm m;
    sa35_err err;
    CHECK_MSG(sa35_llm_read(path_of("tiny.gguf"), &m, &err) == 0, "%s",
              err.msg);
    CHECK(m.hidden == 64 && m.ffn == 176 && m.layers == 2 && m.heads == 4);
    CHECK(m.kv_heads == 2 && m.head_dim == 16 && m.vocab == 100);
    CHECK(m.max_positions == 256 && !m.tie_embeddings);
    CHECK(strcmp(m.name, "tiny") == 0);
    /* no token list: the embedding table's rows; no output.weight: tied */
    write_model("embd.gguf", tiny, NTINY, 0, 50);
    CHECK_MSG(sa35_llm_read(path_of("embd.gguf"), &m, &err) == 0, "%s",
              err.msg);
    CHECK(m.vocab == 50 && m.tie_embeddings);

    /* the same run as the config.json the metadata stands for */
    FILE *f = fopen(path_of("tiny.json"), "w");
    CHECK(f != NULL);
    if (f) {
        fputs("{\"hidden_size\": 64, \"intermediate_size\": 176, "
              "\"num_hidden_layers\": 2, \"num_attention_heads\": 4, "
              "\"num_key_value_heads\": 2, \"vocab_size\": 100, "
              "\"max_position_embeddings\": 256}\n", f);
        fclose(f);
    }
    CHECK(run("model tiny.gguf --system tpuv1 --phase decode --quiet "
              "--out g") == 0);
    CHECK(run("model tiny.json --system tpuv1 --phase decode --quiet "
              "--out j") == 0);
    CHECK(same_files("g/totals.json", "j/totals.json"));
    CHECK(same_files("g/layers.csv", "j/layers.csv"));
    CHECK(strstr(slurp("g/totals.json"), "\"tiny\""));

    mkey k[NTINY];
    memcpy(k, tiny, sizeof k);
    model_fails("noblocks.gguf", k, 3, "llama.block_count", NULL);
    k[5].u = 3;
    model_fails("kv3.gguf", k, NTINY, "llama.attention.head_count_kv",
                "llama.attention.head_count");
    k[5].u = 2;
    k[4] = (mkey){"llama.attention.head_count", GW_STR, 0, "four"};
    model_fails("hstr.gguf", k, NTINY, "llama.attention.head_count is string",
                NULL);
    k[4] = tiny[4];
    k[0].s = "gpt2";
    model_fails("gpt2.gguf", k, NTINY, "general.architecture 'gpt2'", NULL);
    k[0].s = "llama";
    k[1].u = 1u << 30;
    model_fails("wide.gguf", k, NTINY, "llama.embedding_length", NULL);
    EXPECT_FAIL("model olap.gguf --system tpuv1 --phase decode --out o",
                "o", "olap.gguf: tensors 'x' and 'y' overlap");
}

int main(void)
{
    if (cli_test_init())
        return 1;
    test_types();
    test_meta();
    test_alignment();
    test_bad();
    test_quantize();
    test_model();
    CHECK(temp_files_left() == 0);
    return TEST_DONE();
}
