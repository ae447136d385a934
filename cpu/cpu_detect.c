/* cpu_detect.c: which kernels this build has and this CPU can run, and the
 * choice between them (explicit, SA35_CPU_KERNEL, or the best). Everything is
 * recomputed per call from cpuid and the environment: no cached state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"

#ifdef SA35_CPU_BUILD_X86
#include <cpuid.h>
#endif

static const char *const kernel_names[SA35_CPU_KERNEL_COUNT] = {
    [SA35_CPU_SCALAR] = "scalar",
    [SA35_CPU_AVX2] = "avx2",
    [SA35_CPU_AVX512VNNI] = "avx512vnni",
    [SA35_CPU_NEON] = "neon",
};

const char *sa35_cpu_kernel_name(sa35_cpu_kernel k)
{
    if (k < 0 || k >= SA35_CPU_KERNEL_COUNT)
        return NULL;
    return kernel_names[k];
}

int sa35_cpu_kernel_from_name(const char *name, sa35_cpu_kernel *k)
{
    for (int i = 0; i < SA35_CPU_KERNEL_COUNT; i++) {
        if (strcmp(name, kernel_names[i]) == 0) {
            *k = (sa35_cpu_kernel)i;
            return 0;
        }
    }
    return -1;
}

#ifdef SA35_CPU_BUILD_X86
/* XCR0: which register states the OS saves on a context switch. A CPU may
 * have AVX-512 that the OS has not enabled; then using it faults. */
static uint64_t xgetbv0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

static int x86_supports(sa35_cpu_kernel k)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    const unsigned osxsave = 1u << 27, avx = 1u << 28;
    if ((c & (osxsave | avx)) != (osxsave | avx))
        return 0;
    uint64_t xcr0 = xgetbv0();
    if ((xcr0 & 0x6) != 0x6) /* XMM and YMM state */
        return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return 0;
    int avx2 = (b >> 5) & 1;
    if (k == SA35_CPU_AVX2)
        return avx2;
    /* AVX-512 F + BW (byte/word ops) + VNNI (vpdpbusd), and the OS saving
     * opmask and ZMM state (XCR0 bits 5..7). */
    int f = (b >> 16) & 1, bw = (b >> 30) & 1, vnni = (c >> 11) & 1;
    return k == SA35_CPU_AVX512VNNI && avx2 && f && bw && vnni &&
           (xcr0 & 0xE0) == 0xE0;
}
#endif

int sa35_cpu_kernel_supported(sa35_cpu_kernel k)
{
    switch (k) {
    case SA35_CPU_SCALAR:
        return 1;
#ifdef SA35_CPU_BUILD_X86
    case SA35_CPU_AVX2:
    case SA35_CPU_AVX512VNNI:
        return x86_supports(k);
#endif
#ifdef SA35_CPU_BUILD_NEON
    case SA35_CPU_NEON:
        return 1; /* Advanced SIMD is part of every AArch64 CPU */
#endif
    default:
        return 0;
    }
}

sa35_cpu_kernel sa35_cpu_kernel_best(void)
{
    static const sa35_cpu_kernel order[] = {
        SA35_CPU_AVX512VNNI, SA35_CPU_AVX2, SA35_CPU_NEON};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (sa35_cpu_kernel_supported(order[i]))
            return order[i];
    return SA35_CPU_SCALAR;
}

int sa35_cpu_kernel_resolve(sa35_cpu_kernel want, sa35_cpu_kernel *out,
                            sa35_err *err)
{
    const char *env = NULL;
    if (want == SA35_CPU_AUTO) {
        env = getenv("SA35_CPU_KERNEL");
        if (!env || !*env) {
            *out = sa35_cpu_kernel_best();
            return 0;
        }
        if (sa35_cpu_kernel_from_name(env, &want))
            return sa35_err_set(err,
                                "SA35_CPU_KERNEL=%s is not a kernel (scalar, "
                                "avx2, avx512vnni, neon)",
                                env);
    }
    if (!sa35_cpu_kernel_name(want))
        return sa35_err_set(err, "unknown CPU kernel %d", (int)want);
    if (!sa35_cpu_kernel_supported(want))
        return sa35_err_set(err,
                            "%s%s: this CPU or build cannot run the %s "
                            "kernel (best here: %s)",
                            env ? "SA35_CPU_KERNEL=" : "kernel ",
                            kernel_names[want], kernel_names[want],
                            kernel_names[sa35_cpu_kernel_best()]);
    *out = want;
    return 0;
}

/* The "model name" line of /proc/cpuinfo (x86) or the CPU part (Arm). */
static int cpuinfo_model(char *buf, size_t len)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return -1;
    char line[256];
    int found = -1;
    while (found && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon || strncmp(line, "model name", 10) != 0)
            continue;
        colon += 1 + (colon[1] == ' ');
        colon[strcspn(colon, "\n")] = '\0';
        snprintf(buf, len, "%s", colon);
        found = 0;
    }
    fclose(f);
    return found;
}

void sa35_cpu_model_name(char *buf, size_t len)
{
    if (!len)
        return;
#ifdef SA35_CPU_BUILD_X86
    unsigned r[12];
    if (__get_cpuid(0x80000000u, &r[0], &r[1], &r[2], &r[3]) &&
        r[0] >= 0x80000004u) {
        for (unsigned i = 0; i < 3; i++)
            __get_cpuid(0x80000002u + i, &r[4 * i], &r[4 * i + 1],
                        &r[4 * i + 2], &r[4 * i + 3]);
        char brand[49];
        memcpy(brand, r, 48);
        brand[48] = '\0';
        const char *p = brand;
        while (*p == ' ')
            p++;
        snprintf(buf, len, "%s", p);
        return;
    }
#endif
    if (cpuinfo_model(buf, len))
        snprintf(buf, len, "unknown");
}
