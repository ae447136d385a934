/* fuzz_npy.c: the .npy reader. Asserts: an array it accepts has as many
 * bytes as its shape and dtype say, and writes back and reads again to the
 * same dtype, shape and bytes. */
#include "fuzz_util.h"
#include "sa35_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    sa35_array a, b;
    sa35_err err;
    if (sa35_npy_read(fuzz_file("in.npy", d, n), &a, &err) != 0)
        return 0;
    FUZZ_ASSERT(a.ndim >= 0 && a.ndim <= SA35_MAX_DIMS);
    FUZZ_ASSERT(a.nbytes ==
                (size_t)sa35_array_count(&a) * sa35_dtype_size(a.dtype));
    FUZZ_ASSERT(sa35_npy_write(fuzz_path("out.npy"), &a, &err) == 0);
    FUZZ_ASSERT(sa35_npy_read(fuzz_path("out.npy"), &b, &err) == 0);
    FUZZ_ASSERT(b.dtype == a.dtype && b.ndim == a.ndim &&
                b.nbytes == a.nbytes);
    for (int i = 0; i < a.ndim; i++)
        FUZZ_ASSERT(a.shape[i] == b.shape[i]);
    FUZZ_ASSERT(a.nbytes == 0 || memcmp(a.data, b.data, a.nbytes) == 0);
    sa35_array_free(&a);
    sa35_array_free(&b);
    return 0;
}
