/* cyc_kernel.c: the PE row update, portable C (the reference the AVX2
 * version must match bit for bit), and the CPU check. */
#include "cyc_internal.h"

uint64_t cyc_kernel_scalar(int32_t *psum, const int32_t *above,
                           const int8_t *act, const int8_t *w, int n,
                           uint32_t mask)
{
    uint64_t flips = 0;
    for (int c = 0; c < n; c++) {
        int32_t v = above[c] + act[2 * c] * w[2 * c] +
                    act[2 * c + 1] * w[2 * c + 1];
        flips += (uint64_t)cyc_popcount32(((uint32_t)v ^
                                               (uint32_t)psum[c]) & mask);
        psum[c] = v;
    }
    return flips;
}

int sa35_sim_has_avx2(void)
{
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
#else
    return 0;
#endif
}
