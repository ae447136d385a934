/* fuzz_safetensors.c: the safetensors reader. Asserts: every tensor of a
 * file it opens lies inside the data section, no two share a byte, its
 * bytes match shape x dtype size, and a tensor of a readable dtype copies
 * to an array of the same bytes; metadata is found by its key. */
#include "fuzz_util.h"
#include "sa35_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    sa35_safetensors st;
    sa35_err err;
    if (sa35_st_open(fuzz_file("in.safetensors", d, n), &st, &err) != 0)
        return 0;
    for (int i = 0; i < st.ntensors; i++) {
        const sa35_st_tensor *t = &st.tensors[i];
        FUZZ_ASSERT(t->data >= st.bytes &&
                    t->data + t->nbytes <= st.bytes + st.size);
        FUZZ_ASSERT(sa35_st_find(&st, t->name) == t);
        for (int j = 0; j < i; j++) {
            const sa35_st_tensor *u = &st.tensors[j];
            FUZZ_ASSERT(!t->nbytes || !u->nbytes ||
                        t->data + t->nbytes <= u->data ||
                        u->data + u->nbytes <= t->data);
        }
        sa35_array a;
        if (sa35_st_tensor_copy(t, &a, &err) == 0) {
            FUZZ_ASSERT(a.nbytes == t->nbytes && a.ndim == t->ndim);
            FUZZ_ASSERT(!a.nbytes || memcmp(a.data, t->data, a.nbytes) == 0);
            sa35_array_free(&a);
        } else {
            FUZZ_ASSERT((unsigned)t->dtype >= SA35_DT_COUNT);
        }
    }
    for (int i = 0; i < st.nmeta; i++)
        FUZZ_ASSERT(sa35_st_meta_get(&st, st.meta[i].key) != NULL);
    sa35_st_close(&st);
    return 0;
}
