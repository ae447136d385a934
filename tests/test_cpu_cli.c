/* test_cpu_cli.c: `sa35 gemm --engine cpu` end to end: for each format the
 * accumulators and Y files are byte for byte those of the golden engine,
 * with 1 and 2 threads and with the scalar kernel forced; a kernel this
 * machine cannot run is an error (status 1, no output). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "sa35_cpu.h"
#include "test_util.h"

static const char *bin, *tmp;

/* `ENV sa35 ARGS` in the scratch directory; the exit status. */
static int sa35(const char *env, const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && %s '%s' %s >out.txt 2>err.txt",
             tmp, env, bin, args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* 1 if both files hold the same bytes. */
static int same_file(const char *a, const char *b)
{
    char pa[1024], pb[1024];
    snprintf(pa, sizeof pa, "%s/%s", tmp, a);
    snprintf(pb, sizeof pb, "%s/%s", tmp, b);
    FILE *fa = fopen(pa, "rb"), *fb = fopen(pb, "rb");
    int same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        same = ca == cb;
        if (ca == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

int main(void)
{
    bin = getenv("SA35_BIN");
    tmp = getenv("SA35_TMP");
    if (!bin || !tmp) {
        fprintf(stderr, "SA35_BIN and SA35_TMP must be set (run by ctest)\n");
        return 1;
    }
    /* K = 999: not a multiple of 16 or 128; N = 333; M = 7. */
    CHECK(sa35("", "randn --shape 999,333 -o w.npy --seed 5") == 0);
    CHECK(sa35("", "randn --shape 7,999 -o x.npy --seed 6") == 0);
    static const char *const fmts[] = {"sa35", "int4", "int8", "int3"};
    for (int f = 0; f < 4; f++) {
        char args[256];
        snprintf(args, sizeof args,
                 "quantize w.npy -o wq.safetensors --format %s", fmts[f]);
        CHECK(sa35("", args) == 0);
        CHECK(sa35("", "gemm wq.safetensors x.npy -o y0.npy --acc a0.npy") ==
              0);
        static const char *const runs[][2] = {
            {"", "--threads 1"},
            {"", "--threads 2"},
            {"SA35_CPU_KERNEL=scalar", ""},
        };
        for (int r = 0; r < 3; r++) {
            snprintf(args, sizeof args,
                     "gemm wq.safetensors x.npy -o y1.npy --acc a1.npy "
                     "--engine cpu %s",
                     runs[r][1]);
            CHECK(sa35(runs[r][0], args) == 0);
            CHECK_MSG(same_file("a0.npy", "a1.npy") &&
                          same_file("y0.npy", "y1.npy"),
                      "%s, %s %s", fmts[f], runs[r][0], runs[r][1]);
        }
    }
    /* A kernel this machine cannot run (there is always one: NEON on x86,
     * AVX2 on Arm) is an error naming it, and writes nothing. */
    for (int k = 0; k < SA35_CPU_KERNEL_COUNT; k++) {
        if (sa35_cpu_kernel_supported((sa35_cpu_kernel)k))
            continue;
        char env[64];
        snprintf(env, sizeof env, "SA35_CPU_KERNEL=%s",
                 sa35_cpu_kernel_name((sa35_cpu_kernel)k));
        CHECK(sa35(env, "gemm wq.safetensors x.npy -o y2.npy --engine cpu") ==
              1);
        char path[1024];
        snprintf(path, sizeof path, "%s/y2.npy", tmp);
        FILE *f = fopen(path, "rb");
        CHECK(f == NULL);
        if (f)
            fclose(f);
    }
    return TEST_DONE();
}
