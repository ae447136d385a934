/* gguf_tensor.c: ggml's tensor types (every one a GGUF file may hold, so a
 * model with Q4_K tensors opens and each tensor's size is checked) and the
 * five sa35 turns into float32. Block sizes are ggml's, from the block
 * structs of ggml-common.h (QK_K = 256). */
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

static const sa35_ggml_tinfo types[] = {
    [0] = {"F32", 1, 4},         [1] = {"F16", 1, 2},
    [2] = {"Q4_0", 32, 18},      [3] = {"Q4_1", 32, 20},
    [6] = {"Q5_0", 32, 22},      [7] = {"Q5_1", 32, 24},
    [8] = {"Q8_0", 32, 34},      [9] = {"Q8_1", 32, 36},
    [10] = {"Q2_K", 256, 84},    [11] = {"Q3_K", 256, 110},
    [12] = {"Q4_K", 256, 144},   [13] = {"Q5_K", 256, 176},
    [14] = {"Q6_K", 256, 210},   [15] = {"Q8_K", 256, 292},
    [16] = {"IQ2_XXS", 256, 66}, [17] = {"IQ2_XS", 256, 74},
    [18] = {"IQ3_XXS", 256, 98}, [19] = {"IQ1_S", 256, 50},
    [20] = {"IQ4_NL", 32, 18},   [21] = {"IQ3_S", 256, 110},
    [22] = {"IQ2_S", 256, 82},   [23] = {"IQ4_XS", 256, 136},
    [24] = {"I8", 1, 1},         [25] = {"I16", 1, 2},
    [26] = {"I32", 1, 4},        [27] = {"I64", 1, 8},
    [28] = {"F64", 1, 8},        [29] = {"IQ1_M", 256, 56},
    [30] = {"BF16", 1, 2},       [34] = {"TQ1_0", 256, 54},
    [35] = {"TQ2_0", 256, 66},   [39] = {"MXFP4", 32, 17},
};

const sa35_ggml_tinfo *sa35_ggml_tinfo_of(uint32_t type)
{
    /* the gaps (4, 5, 31-33, 36-38) are types ggml has removed */
    if (type >= sizeof types / sizeof types[0] || !types[type].name)
        return NULL;
    return &types[type];
}

int sa35_gguf_readable(const sa35_gguf_tensor *t)
{
    return t->type == SA35_GGML_T_F32 || t->type == SA35_GGML_T_F16 ||
           t->type == SA35_GGML_T_BF16 || t->type == SA35_GGML_T_Q8_0 ||
           t->type == SA35_GGML_T_Q4_0;
}

static uint16_t half_at(const uint8_t *p, size_t i)
{
    return (uint16_t)(p[2 * i] | (uint16_t)p[2 * i + 1] << 8);
}

int sa35_gguf_tensor_f32(const sa35_gguf_tensor *t, float **out,
                         sa35_err *err)
{
    *out = NULL;
    if (!sa35_gguf_readable(t))
        return sa35_err_set(err, "%s: tensor '%s' is %s (ggml type %u), "
                            "which sa35 does not read (F32, F16, BF16, "
                            "Q8_0, Q4_0)",
                            t->path, t->name, t->type_name,
                            (unsigned)t->type);
    /* open checked the tensor's bytes against the file; its float32 copy
     * is up to 7 times bigger (Q4_0 keeps 4.5 bits a value), so its size is
     * checked here. */
    size_t n = 1, bytes;
    for (int i = 0; i < t->ndim; i++)
        if (sa35_mul_size(n, (size_t)t->ne[i], &n))
            n = SIZE_MAX;
    float *y = NULL;
    if (n < SIZE_MAX && !sa35_mul_size(n, sizeof *y, &bytes))
        y = malloc(bytes);
    if (!y)
        return sa35_err_set(err, "%s: tensor '%s': out of memory for %zu "
                            "float32 values", t->path, t->name, n);
    const uint8_t *p = t->data;
    if (t->type == SA35_GGML_T_F32) {
        memcpy(y, p, n * sizeof *y); /* little-endian, as the file */
    } else if (t->type == SA35_GGML_T_F16) {
        for (size_t i = 0; i < n; i++)
            y[i] = sa35_f16_to_f32(half_at(p, i));
    } else if (t->type == SA35_GGML_T_BF16) {
        for (size_t i = 0; i < n; i++)
            y[i] = sa35_bf16_to_f32(half_at(p, i));
    } else {
        /* A ggml row is ne[0] values; open checked it is whole blocks. */
        sa35_ggml_type g = t->type == SA35_GGML_T_Q8_0 ? SA35_GGML_Q8_0
                                                       : SA35_GGML_Q4_0;
        size_t row = (size_t)t->ne[0], rb = sa35_ggml_row_bytes(g, t->ne[0]);
        for (size_t r = 0; r < n / row; r++)
            sa35_ggml_dequantize_row(g, p + r * rb, (int64_t)row,
                                     y + r * row);
    }
    *out = y;
    return 0;
}
