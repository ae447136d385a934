"""The C declarations the package uses and the loading of libsa35.so.

cffi in ABI mode: the declarations below are copied from the public
headers (cmodel/include/sa35_cmodel.h, api/include/sa35_api.h), and
``ffi.dlopen`` loads the library at import, with no compiler. The sizes of
the declared structs are checked against the library's own
(``sa35_api_struct_size``), so a header that changed without this file is
an ImportError, not a crash.
"""

import os

from cffi import FFI

CDEF = """
typedef struct sa35_err { char msg[512]; } sa35_err;

typedef enum sa35_format {
    SA35_FMT_SA35 = 0, SA35_FMT_INT4 = 1, SA35_FMT_INT3 = 2,
    SA35_FMT_INT8 = 3, SA35_FMT_COUNT = 4
} sa35_format;

typedef struct sa35_format_traits {
    const char *name;
    int32_t k_align;
    int32_t bits_per_16k;
    int32_t k_limit;
} sa35_format_traits;

const sa35_format_traits *sa35_format_info(sa35_format fmt);
int sa35_format_from_name(const char *name, sa35_format *fmt);

typedef struct sa35_qweights {
    sa35_format fmt;
    int32_t K;
    int32_t N;
    int32_t Kp;
    int32_t group;
    int32_t ngroups;
    size_t colbytes;
    uint8_t *qweight;
    float *scale;
    float *zero;
} sa35_qweights;

int sa35_group_check(sa35_format fmt, int64_t G, sa35_err *err);
int sa35_qweights_shape(sa35_format fmt, int64_t K, int64_t N, int32_t *Kp,
                        size_t *colbytes, sa35_err *err);
void sa35_qweights_free(sa35_qweights *q);

typedef struct sa35_fview {
    const float *data;
    int64_t K, N;
    int64_t stride_k, stride_n;
} sa35_fview;

int sa35_quantize_group(const sa35_fview *w, sa35_format fmt, int64_t G,
                        sa35_qweights *q, sa35_err *err);
void sa35_dequantize(const sa35_qweights *q, float *w_hat);
void sa35_gemm_acc(const int8_t *A, int64_t M, const sa35_qweights *q,
                   int32_t *acc, int32_t *rsum);

size_t sa35_api_struct_size(const char *name);
void sa35_api_free(void *p);
int sa35_api_pe_format(const char *pe, sa35_err *err);
int sa35_api_qfile_load(const char *path, const char *name,
                        sa35_qweights *q, sa35_err *err);
int sa35_api_qfile_save(const char *path, const char *name,
                        const sa35_qweights *q, sa35_err *err);
int sa35_api_gemm(const float *X, int64_t M, const sa35_qweights *q,
                  const char *engine, const char *array, int threads,
                  float *Y, int32_t *acc, char **stats, sa35_err *err);

typedef struct sa35_api_array {
    const char *array;
    const char *pe;
    int32_t load_rows;
    uint32_t dram_bw_num, dram_bw_den;
    int32_t dram_latency;
} sa35_api_array;

int sa35_api_sim(int64_t M, int64_t K, int64_t N, int64_t G,
                 const sa35_api_array *arr, const char *engine,
                 const int8_t *A, const sa35_qweights *q, int32_t *acc,
                 char **stats, sa35_err *err);

typedef struct sa35_api_work {
    const char *phase;
    int64_t batch, seq, microbatches;
} sa35_api_work;

int sa35_api_model(const char *model, const char *system,
                   const sa35_api_work *w, int64_t G, const char *engine,
                   const char *dir, sa35_err *err);

typedef struct sa35_api_project_opts {
    const char *formats;
    const char *dist;
    int node_nm;
    double vdd;
    double activity;
    int no_throttle;
    const char *tables;
} sa35_api_project_opts;

int sa35_api_project(const char *model, const char *system,
                     const sa35_api_work *w, const sa35_api_project_opts *o,
                     const char *dir, sa35_err *err);
int sa35_api_sweep(const char *text, const char *path, const char *dir,
                   int jobs, sa35_err *err);
"""

# the structs whose layout the package relies on
STRUCTS = ("sa35_err", "sa35_format_traits", "sa35_qweights", "sa35_fview",
           "sa35_api_array", "sa35_api_work", "sa35_api_project_opts")

HERE = os.path.dirname(os.path.abspath(__file__))


def candidates():
    """Where libsa35.so is looked for, in order."""
    found = []
    env = os.environ.get("SA35_LIB")
    if env:
        found.append(("$SA35_LIB", os.path.abspath(env)))
    try:  # an installed copy: cmake --install wrote the relative path
        from . import _installed
        found.append(("the installed library",
                      os.path.normpath(os.path.join(HERE, _installed.LIB))))
    except ImportError:
        pass
    # the package in a source checkout: the build tree of the README
    found.append(("the build tree",
                  os.path.normpath(os.path.join(HERE, "..", "..", "build",
                                                "libsa35.so"))))
    return found


def load():
    ffi = FFI()
    ffi.cdef(CDEF)
    tried = []
    for what, path in candidates():
        if not os.path.exists(path):
            tried.append("%s (%s: no such file)" % (path, what))
            continue
        lib = ffi.dlopen(path)  # an unloadable file raises OSError: say so
        for name in STRUCTS:
            have, want = ffi.sizeof(name), lib.sa35_api_struct_size(
                name.encode())
            if have != want:
                raise ImportError(
                    "%s: struct %s is %d bytes in the library, %d in "
                    "sa35/_ffi.py: the package and the library differ "
                    "(rebuild, or update _ffi.py)" % (path, name, want, have))
        return ffi, lib, path
    raise ImportError("sa35: no libsa35.so (build it with cmake --build "
                      "build, or set SA35_LIB); looked at " + "; ".join(tried))


ffi, lib, LIBRARY = load()
