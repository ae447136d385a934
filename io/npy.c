/* npy.c: reading and writing NumPy .npy files (the header dict itself is
 * npy_header.c's job). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io_internal.h"

/* NumPy refuses headers above 10000 characters by default; sa35's dicts
 * are tiny, so anything past this is a corrupt length, not a header. */
#define NPY_HEADER_LIMIT (1u << 20)

/* Read the magic, version and header length; return the dict's length and
 * how many bytes the prefix took. */
static int read_prefix(FILE *f, const char *path, size_t *hlen, size_t *pre,
                       sa35_err *err)
{
    uint8_t b[12];
    size_t got = fread(b, 1, 8, f);
    if (memcmp(b, "\x93NUMPY", got < 6 ? got : 6) != 0)
        return sa35_err_set(err, "%s: not a .npy file (bad magic)", path);
    if (got < 8)
        return sa35_err_set(err, "%s: truncated: %zu bytes, too short for "
                            "the .npy magic and version", path, got);
    if ((b[6] < 1 || b[6] > 3) || b[7] != 0)
        return sa35_err_set(err, "%s: unsupported .npy version %u.%u (sa35 "
                            "reads 1.0, 2.0, 3.0)", path, b[6], b[7]);
    /* Version 1.0 has a 2-byte header length, 2.0 and 3.0 a 4-byte one
     * (3.0 only allows UTF-8 in the dict, which no accepted value uses). */
    size_t lenbytes = b[6] == 1 ? 2 : 4;
    if (fread(b + 8, 1, lenbytes, f) != lenbytes)
        return sa35_err_set(err, "%s: truncated: the .npy header length is "
                            "cut off", path);
    *hlen = 0;
    for (size_t i = lenbytes; i-- > 0;)
        *hlen = *hlen << 8 | b[8 + i];
    *pre = 8 + lenbytes;
    if (*hlen > NPY_HEADER_LIMIT)
        return sa35_err_set(err, "%s: .npy header length %zu is implausible "
                            "(corrupt file?)", path, *hlen);
    return 0;
}

static int size_mismatch(const char *path, const sa35_npy_header *h,
                         size_t nbytes, long long have, sa35_err *err)
{
    char s[256];
    sa35_io_shape_str(h->ndim, h->shape, s, sizeof s);
    return sa35_err_set(err, "%s: header says shape %s of %s (%zu bytes) "
                        "but the file has %lld data bytes", path, s,
                        sa35_npy_type_name(h->dtype), nbytes, have);
}

static int read_npy(FILE *f, const char *path, sa35_array *out,
                    sa35_err *err)
{
    size_t hlen = 0, pre = 0; /* set by the header parser; gcc -O2 cannot see it */
    if (read_prefix(f, path, &hlen, &pre, err))
        return -1;
    char *text = malloc(hlen ? hlen : 1);
    if (!text)
        return sa35_err_set(err, "%s: out of memory", path);
    size_t got = fread(text, 1, hlen, f);
    sa35_npy_header h;
    int rc = got != hlen
                 ? sa35_err_set(err, "%s: truncated: the .npy header says "
                                "%zu bytes but only %zu follow", path, hlen,
                                got)
                 : sa35_npy_header_parse(path, text, hlen, &h, err);
    free(text);
    if (rc)
        return -1;

    size_t nbytes;
    const char *why = sa35_io_shape_bytes(h.ndim, h.shape,
                                          sa35_dtype_size(h.dtype), &nbytes);
    if (why)
        return sa35_err_set(err, "%s: .npy shape has %s", path, why);
    /* Check the size before allocating, so a lying shape is reported as
     * such rather than as an allocation failure. A pipe has no size: there
     * the short read below catches a lie. */
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) {
        long long have = (long long)sb.st_size - (long long)(pre + hlen);
        if (have != (long long)nbytes)
            return size_mismatch(path, &h, nbytes, have, err);
    }
    if (sa35_array_alloc(out, h.dtype, h.ndim, h.shape, err))
        return sa35_err_prefix(err, path);
    got = fread(out->data, 1, nbytes, f);
    if (got != nbytes)
        return ferror(f) ? sa35_err_set(err, "%s: read error: %s", path,
                                        strerror(errno))
                         : size_mismatch(path, &h, nbytes, (long long)got,
                                         err);
    return 0;
}

int sa35_npy_read(const char *path, sa35_array *out, sa35_err *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return sa35_err_set(err, "%s: cannot open: %s", path,
                            strerror(errno));
    int rc = read_npy(f, path, out, err);
    fclose(f);
    if (rc)
        sa35_array_free(out);
    return rc;
}

int sa35_npy_write(const char *path, const sa35_array *a, sa35_err *err)
{
    size_t nbytes;
    const char *why = sa35_io_shape_bytes(a->ndim, a->shape,
                                          sa35_dtype_size(a->dtype), &nbytes);
    if (why)
        return sa35_err_set(err, "%s: cannot write an array with %s", path,
                            why);
    if (nbytes != a->nbytes)
        return sa35_err_set(err, "%s: array holds %zu bytes but its shape "
                            "needs %zu", path, a->nbytes, nbytes);
    char hdr[SA35_NPY_HEADER_MAX];
    size_t hlen;
    if (sa35_npy_header_format(a, hdr, &hlen, err))
        return sa35_err_prefix(err, path);
    sa35_outfile of;
    if (sa35_outfile_open(&of, path, err))
        return -1;
    if (sa35_outfile_write(&of, hdr, hlen, err) ||
        sa35_outfile_write(&of, a->data, a->nbytes, err)) {
        sa35_outfile_abort(&of);
        return -1;
    }
    return sa35_outfile_commit(&of, err);
}
