/* npy_header.c: the .npy header dict, a Python literal such as
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
 * NumPy reads it with ast.literal_eval; sa35 only needs this one shape of
 * dict, so a small strict parser does, and anything else is an error. */
#include <stdio.h>
#include <string.h>

#include "io_internal.h"

/* The dtypes sa35 reads from .npy, by NumPy type code (kind + size). */
static const struct {
    char code[3];
    sa35_dtype dt;
    const char *numpy; /* NumPy's name, for messages */
} kinds[] = {
    {"f4", SA35_DT_F32, "float32"}, {"f2", SA35_DT_F16, "float16"},
    {"i1", SA35_DT_I8, "int8"},     {"u1", SA35_DT_U8, "uint8"},
    {"i4", SA35_DT_I32, "int32"},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

const char *sa35_npy_type_name(sa35_dtype dt)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (kinds[i].dt == dt)
            return kinds[i].numpy;
    return dt == SA35_DT_BF16 ? "bfloat16" : "unknown";
}

/* ------------------------------------------------------------- parsing */
typedef struct cursor {
    const char *start, *p, *end;
    const char *path;
    sa35_err *err;
} cursor;

static void skip_ws(cursor *c)
{
    while (c->p < c->end &&
           (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

/* Skip blanks, then take ch if it is next. */
static int eat(cursor *c, char ch)
{
    skip_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

static int syntax(cursor *c, const char *expected)
{
    return sa35_err_set(c->err, "%s: cannot parse the .npy header at byte "
                        "%td: expected %s", c->path, c->p - c->start,
                        expected);
}

/* A quoted string without escapes (none of the keys or dtype codes sa35
 * accepts needs one). */
static int parse_str(cursor *c, char *buf, size_t cap, const char *what)
{
    skip_ws(c);
    if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
        return syntax(c, what);
    char quote = *c->p++;
    size_t n = 0;
    while (c->p < c->end && *c->p != quote && *c->p != '\\' && n + 1 < cap)
        buf[n++] = *c->p++;
    if (c->p >= c->end || *c->p != quote)
        return syntax(c, what);
    c->p++;
    buf[n] = '\0';
    return 0;
}

static int parse_bool(cursor *c, int *v)
{
    skip_ws(c);
    size_t left = (size_t)(c->end - c->p);
    if (left >= 4 && memcmp(c->p, "True", 4) == 0) {
        *v = 1;
        c->p += 4;
    } else if (left >= 5 && memcmp(c->p, "False", 5) == 0) {
        *v = 0;
        c->p += 5;
    } else {
        return syntax(c, "True or False for 'fortran_order'");
    }
    return 0;
}

/* A non-negative decimal integer (Python 2 wrote a trailing 'L'). */
static int parse_dim(cursor *c, int64_t *v)
{
    skip_ws(c);
    if (c->p >= c->end || *c->p < '0' || *c->p > '9')
        return syntax(c, "a non-negative integer in 'shape'");
    int64_t x = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        int d = *c->p++ - '0';
        if (x > (INT64_MAX - d) / 10)
            return sa35_err_set(c->err, "%s: .npy shape dimension does not "
                                "fit in 64 bits", c->path);
        x = x * 10 + d;
    }
    if (c->p < c->end && *c->p == 'L')
        c->p++;
    *v = x;
    return 0;
}

/* A tuple of dims: "()", "(3,)", "(3, 4)", "(3, 4,)". */
static int parse_shape(cursor *c, sa35_npy_header *h)
{
    if (!eat(c, '('))
        return syntax(c, "a tuple for 'shape'");
    h->ndim = 0;
    int comma = 0;
    while (!eat(c, ')')) {
        if (h->ndim && !comma)
            return syntax(c, "',' or ')' in 'shape'");
        if (h->ndim == SA35_MAX_DIMS)
            return sa35_err_set(c->err, "%s: .npy shape has more than %d "
                                "dimensions", c->path, SA35_MAX_DIMS);
        if (parse_dim(c, &h->shape[h->ndim++]))
            return -1;
        comma = eat(c, ',');
    }
    if (h->ndim == 1 && !comma) /* "(3)" is the int 3 in Python */
        return syntax(c, "a tuple for 'shape' ('(3,)', not '(3)')");
    return 0;
}

/* Map a dtype string such as '<f4' to an sa35 dtype. */
static int parse_descr(const char *path, const char *descr, sa35_dtype *dt,
                       sa35_err *err)
{
    size_t i = 0;
    if (strlen(descr) == 3)
        for (; i < NKINDS; i++)
            if (strcmp(descr + 1, kinds[i].code) == 0)
                break;
    if (strlen(descr) != 3 || i == NKINDS || !strchr("<=|>", descr[0]))
        return sa35_err_set(err, "%s: .npy dtype '%s' is not supported (sa35 "
                            "reads <f4, <f2, |i1, |u1, <i4)", path, descr);
    /* Byte order means nothing for one-byte types, so NumPy (and sa35)
     * accept any mark there. '=' is the host's order, little-endian here. */
    if (sa35_dtype_size(kinds[i].dt) > 1) {
        if (descr[0] == '>')
            return sa35_err_set(err, "%s: .npy dtype '%s' is big-endian; "
                                "sa35 reads little-endian only ('<%s')",
                                path, descr, kinds[i].code);
        if (descr[0] == '|')
            return sa35_err_set(err, "%s: .npy dtype '%s' lacks a byte "
                                "order", path, descr);
    }
    *dt = kinds[i].dt;
    return 0;
}

/* One "key: value" of the dict; seen collects which keys came. */
static int parse_item(cursor *c, sa35_npy_header *h, char *descr,
                      size_t descr_cap, int *fortran, unsigned *seen)
{
    static const char *const keys[] = {"descr", "fortran_order", "shape"};
    char key[32];
    if (parse_str(c, key, sizeof key, "a quoted key or '}'"))
        return -1;
    unsigned k = 0;
    while (k < 3 && strcmp(key, keys[k]) != 0)
        k++;
    if (k == 3)
        return sa35_err_set(c->err, "%s: .npy header has an unexpected key "
                            "'%s'", c->path, key);
    if (*seen & (1u << k))
        return sa35_err_set(c->err, "%s: .npy header repeats '%s'", c->path,
                            key);
    *seen |= 1u << k;
    if (!eat(c, ':'))
        return syntax(c, "':' after a key");
    if (k == 0)
        return parse_str(c, descr, descr_cap,
                         "a dtype string for 'descr' (structured dtypes are "
                         "not supported)");
    return k == 1 ? parse_bool(c, fortran) : parse_shape(c, h);
}

int sa35_npy_header_parse(const char *path, const char *text, size_t len,
                          sa35_npy_header *h, sa35_err *err)
{
    cursor c = {text, text, text + len, path, err};
    char descr[16] = "";
    int fortran = 0;
    unsigned seen = 0;
    memset(h, 0, sizeof *h);
    if (!eat(&c, '{'))
        return syntax(&c, "'{' (the header is a Python dict)");
    while (!eat(&c, '}')) {
        if (parse_item(&c, h, descr, sizeof descr, &fortran, &seen))
            return -1;
        if (!eat(&c, ',')) {
            if (!eat(&c, '}'))
                return syntax(&c, "',' or '}'");
            break;
        }
    }
    skip_ws(&c);
    if (c.p != c.end)
        return syntax(&c, "only blanks after the dict");
    if (seen != 7u)
        return sa35_err_set(err, "%s: .npy header lacks '%s'", path,
                            !(seen & 1u)   ? "descr"
                            : !(seen & 2u) ? "fortran_order"
                                           : "shape");
    if (fortran)
        return sa35_err_set(err, "%s: .npy array is in Fortran order "
                            "(fortran_order: True); sa35 reads C order only",
                            path);
    return parse_descr(path, descr, &h->dtype, err);
}

/* ------------------------------------------------------------ formatting */
int sa35_npy_header_format(const sa35_array *a, char *buf, size_t *len,
                           sa35_err *err)
{
    size_t i = 0;
    while (i < NKINDS && kinds[i].dt != a->dtype)
        i++;
    if (i == NKINDS)
        return sa35_err_set(err, ".npy has no %s dtype",
                            sa35_npy_type_name(a->dtype));
    char shape[256];
    sa35_io_shape_str(a->ndim, a->shape, shape, sizeof shape);
    char order = sa35_dtype_size(a->dtype) == 1 ? '|' : '<';
    int n = snprintf(buf + 10, SA35_NPY_HEADER_MAX - 10,
                     "{'descr': '%c%s', 'fortran_order': False, 'shape': %s, }",
                     order, kinds[i].code, shape);
    /* NumPy (>= 1.24) leaves room for the first dimension to grow to 21
     * digits, then pads with blanks so that the data starts at a multiple
     * of 64 bytes, ending the header with '\n' (a full 64 blanks when it
     * would already be aligned: we match its bytes exactly). */
    size_t used = 10 + (size_t)n;
    if (a->ndim > 0) {
        char first[24];
        used += 21 - (size_t)snprintf(first, sizeof first, "%lld",
                                      (long long)a->shape[0]);
    }
    size_t total = used + 1 + (64 - (used + 1) % 64);
    memset(buf + 10 + n, ' ', total - 1 - 10 - (size_t)n);
    buf[total - 1] = '\n';
    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (char)((total - 10) & 0xFF);
    buf[9] = (char)((total - 10) >> 8);
    *len = total;
    return 0;
}
