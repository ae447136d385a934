/* cmd_sim.c: `sa35 sim --gemm M,K,N [--group G]`: a GEMM shape on the
 * accelerator model without weight files (random weights and activations
 * for the cycle-accurate simulator; none needed by the timing model). Prints the
 * headline figures; --stats writes every counter as JSON. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"
#include "commands.h"
#include "engines.h"
#include "sa35_sim.h"

void cmd_sim_usage(FILE *f)
{
    fprintf(f, "usage: sa35 sim --gemm M,K,N [--array RxC] [--pe %s]\n"
          "                [--group G] [--engine sim|timing|rtl] "
          "[--load-rows L]\n"
          "                [--dram-bw NUM[/DEN]] [--dram-latency N]\n"
          "                [--seed S] [--stats STATS.json]\n"
          "\n"
          "Compile an M x K x N GEMM for the array and run it:\n"
          "  sim     the cycle-accurate simulator, on random int8 "
          "activations and\n"
          "          random weights of the PE kind's format (seeded, through "
          "the\n"
          "          quantizer), checked against the golden model\n"
          "  timing  the timing model (default): same cycles and counters, "
          "no data\n"
          "  rtl     the Verilated RTL on the same data as sim, checked the "
          "same way\n"
          "          (a model of the array, PE kind and load lanes must be "
          "built in)\n"
          "\n"
          "options:\n"
          "  --gemm M,K,N      the shape (required)\n"
          "  --array RxC       PE rows x columns (default 320x320)\n"
          "  --pe KIND         what a PE stores and multiplies (default sa35;\n"
          "                    docs/architecture.md, \"PE kinds\"):\n",
          sa35_pe_names());
    for (int k = 0; k < SA35_PE_COUNT; k++)
        fprintf(f, "%*s%-5s %s\n", 20, "", sa35_pe_info((sa35_pe_kind)k)->name,
                sa35_pe_info((sa35_pe_kind)k)->what);
    fputs(          "  --group G         group-scaled weights, a scale and zero per "
          "G k-values\n"
          "                    (a multiple of 16, at most the K tile: 2R for "
          "sa35 and\n"
          "                    int4, R for int8; ldw.gs, mm.gs, out.fp); "
          "default: per\n"
          "                    column\n"
          "  --load-rows L     load lanes, ldws in flight (default 1)\n"
          "  --dram-bw NUM[/DEN]  off-chip bytes per cycle, an exact ratio\n"
          "                    (e.g. 16384/9: hbm1's 1638.4 GB/s at 900 MHz);\n"
          "                    default: the ideal memory (a dma takes a cycle)\n"
          "  --dram-latency N  off-chip latency in cycles (with --dram-bw)\n"
          "  --seed S          random data seed for sim (default 1)\n"
          "  -s, --stats FILE  every counter as JSON\n",
          f);
}

typedef struct sim_args {
    int64_t M, K, N;
    int64_t group;          /* 0: per column                             */
    int timing;             /* the engine computes no values            */
    const char *engine;     /* sim, timing or rtl                        */
    uint64_t seed;
    const char *stats_path;
    sa35_arch arch;
} sim_args;

static int parse_shape(const char *text, sim_args *a)
{
    char tail;
    long long m, k, n;
    if (sscanf(text, "%lld,%lld,%lld%c", &m, &k, &n, &tail) != 3 || m < 1 ||
        k < 1 || n < 1)
        return cli_failf("sim", "bad --gemm '%s': expected M,K,N, each >= 1",
                         text);
    a->M = m, a->K = k, a->N = n;
    return 0;
}

static int parse_args(int argc, char **argv, sim_args *a)
{
    enum { OPT_GEMM = 256, OPT_ARRAY, OPT_ENGINE, OPT_LOAD, OPT_SEED,
           OPT_DRAM_BW, OPT_DRAM_LAT, OPT_PE, OPT_GROUP };
    static const struct option opts[] = {
        {"gemm", required_argument, NULL, OPT_GEMM},
        {"array", required_argument, NULL, OPT_ARRAY},
        {"pe", required_argument, NULL, OPT_PE},
        {"group", required_argument, NULL, OPT_GROUP},
        {"engine", required_argument, NULL, OPT_ENGINE},
        {"load-rows", required_argument, NULL, OPT_LOAD},
        {"seed", required_argument, NULL, OPT_SEED},
        {"dram-bw", required_argument, NULL, OPT_DRAM_BW},
        {"dram-latency", required_argument, NULL, OPT_DRAM_LAT},
        {"stats", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    sa35_arch_default(&a->arch);
    a->timing = 1;
    a->engine = "timing";
    a->seed = 1;
    int c, have_shape = 0;
    char *end;
    sa35_err err;
    while ((c = getopt_long(argc, argv, "s:", opts, NULL)) != -1) {
        switch (c) {
        case OPT_GEMM:
            if (parse_shape(optarg, a))
                return 1;
            have_shape = 1;
            break;
        case OPT_ARRAY:
            if (sa35_arch_parse_array(optarg, &a->arch, &err))
                return cli_fail("sim", &err);
            break;
        case OPT_PE:
            if (sa35_pe_from_name(optarg, &a->arch.pe))
                return cli_failf("sim", "bad --pe '%s': expected %s", optarg,
                                 sa35_pe_names());
            break;
        case OPT_GROUP:
            if (cli_parse_positive("sim", "--group", optarg, &a->group))
                return 1;
            break;
        case OPT_ENGINE:
            if (strcmp(optarg, "sim") && strcmp(optarg, "timing") &&
                strcmp(optarg, "rtl"))
                return cli_failf("sim", "--engine must be sim, timing or "
                                        "rtl, got '%s'", optarg);
            a->engine = optarg;
            a->timing = strcmp(optarg, "timing") == 0;
            break;
        case OPT_LOAD:
            a->arch.load_rows = (int32_t)strtol(optarg, &end, 10);
            if (*end || a->arch.load_rows < 1)
                return cli_failf("sim", "bad --load-rows '%s'", optarg);
            break;
        case OPT_DRAM_BW: {
            unsigned long long num = strtoull(optarg, &end, 10), den = 1;
            if (*end == '/')
                den = strtoull(end + 1, &end, 10);
            if (*end || num < 1 || den < 1 || num > UINT32_MAX ||
                den > UINT32_MAX || optarg[0] == '-')
                return cli_failf("sim", "bad --dram-bw '%s': expected NUM or "
                                        "NUM/DEN bytes per cycle, integers "
                                        "in 1..2^32-1",
                                 optarg);
            a->arch.dram_bw_num = (uint32_t)num;
            a->arch.dram_bw_den = (uint32_t)den;
            break;
        }
        case OPT_DRAM_LAT: {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > INT32_MAX)
                return cli_failf("sim", "bad --dram-latency '%s'", optarg);
            a->arch.dram_latency = (int32_t)v;
            break;
        }
        case OPT_SEED:
            a->seed = strtoull(optarg, &end, 10);
            if (*end)
                return cli_failf("sim", "bad --seed '%s'", optarg);
            break;
        case 's': a->stats_path = optarg; break;
        default: return cli_failf("sim", "bad option (see --help)");
        }
    }
    if (optind != argc || !have_shape)
        return cli_failf("sim", "expected --gemm M,K,N (see --help)");
    if (a->arch.dram_latency && !a->arch.dram_bw_num)
        return cli_failf("sim", "--dram-latency needs --dram-bw (the ideal "
                                "memory has no latency)");
    if (sa35_arch_check(&a->arch, &err) ||
        (a->group &&
         sa35_group_check(sa35_arch_pe(&a->arch)->fmt, a->group, &err)))
        return cli_fail("sim", &err);
    return 0;
}

/* splitmix64: reproducible data from --seed */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Random activations, and weights quantized from uniform random floats in
 * the format of the array's PE kind (every code of the format occurs), in
 * groups of --group G if given. */
static int random_data(const sim_args *a, int8_t **A, sa35_qweights *q,
                       sa35_err *err)
{
    const size_t kn = (size_t)(a->K * a->N);
    *A = malloc((size_t)(a->M * a->K));
    float *w = malloc(kn * sizeof *w);
    int rc = 0;
    if (!*A || !w)
        rc = sa35_err_set(err, "out of memory for M x K = %lld and K x N = "
                               "%lld",
                          (long long)(a->M * a->K), (long long)kn);
    uint64_t s = a->seed;
    for (int64_t i = 0; !rc && i < a->M * a->K; i++)
        (*A)[i] = (int8_t)next_rand(&s);
    for (size_t i = 0; !rc && i < kn; i++)
        w[i] = (float)((double)(next_rand(&s) >> 11) * 0x1p-52 - 1.0);
    sa35_fview v = {w, a->K, a->N, a->N, 1};
    if (!rc)
        rc = sa35_quantize_group(&v, sa35_arch_pe(&a->arch)->fmt, a->group,
                                 q, err);
    free(w);
    return rc;
}

static void print_summary(const cJSON *st)
{
    static const char *keys[] = {"cycles", "macs", "utilization",
                                 "stall_cycles", "weight_load_cycles",
                                 "seconds"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, keys[i]);
        if (cJSON_IsNumber(v))
            printf("%-20s %.10g\n", keys[i], v->valuedouble);
    }
}

int cmd_sim(int argc, char **argv)
{
    sim_args a;
    if (parse_args(argc, argv, &a))
        return 1;
    sa35_err err;
    int8_t *A = NULL;
    int32_t *acc = NULL, *gold = NULL;
    sa35_qweights q = {0};
    cJSON *stats = cJSON_CreateObject();
    int rc = stats ? 0 : sa35_err_set(&err, "out of memory");
    if (!rc && !a.timing) {
        rc = random_data(&a, &A, &q, &err);
        acc = rc ? NULL : malloc((size_t)(a.M * a.N) * sizeof *acc);
        gold = rc ? NULL : malloc((size_t)(a.M * a.N) * sizeof *gold);
        if (!rc && (!acc || !gold))
            rc = sa35_err_set(&err, "out of memory for M x N outputs");
    }
    if (!rc)
        rc = engine_sim_shape(a.engine, &a.arch, a.M, a.K, a.N, a.group, A,
                              a.timing ? NULL : &q, acc,
                              isatty(STDERR_FILENO), stats, &err);
    if (!rc && !a.timing) {
        sa35_gemm_acc(A, a.M, &q, gold, NULL);
        if (memcmp(acc, gold, (size_t)(a.M * a.N) * sizeof *acc))
            rc = sa35_err_set(&err, "the %s engine's accumulators differ "
                                    "from the golden model (a bug)",
                              a.engine);
        else
            printf("%-20s identical to the golden model\n", "accumulators");
    }
    if (!rc) {
        print_summary(stats);
        if (a.stats_path) {
            char *text = cJSON_Print(stats);
            rc = text ? cli_write_text(a.stats_path, text, &err)
                      : sa35_err_set(&err, "out of memory");
            free(text);
        }
    }
    cJSON_Delete(stats);
    free(A);
    free(acc);
    free(gold);
    sa35_qweights_free(&q);
    return rc ? cli_fail("sim", &err) : 0;
}
