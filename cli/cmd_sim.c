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
          "                [--dram-bw NUM[/DEN]|BYTES_PER_S] [--dram-latency N] "
          "[--clock HZ]\n"
          "                [--seed S] [--max-memory BYTES] [--force]\n"
          "                [--stats STATS.json]\n"
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
          "                    column\n", f);
    fputs(cli_memsys_usage, f);
    fputs("  --seed S          random data seed for sim (default 1)\n"
          "  --max-memory BYTES  refuse a run whose program, memory "
          "images and data\n"
          "                    need more (suffix K, M, G or T: 8G); "
          "default: half the\n"
          "                    physical memory\n"
          "  --force           run a cycle-accurate engine (sim, rtl) even "
          "when the\n"
          "                    timing model predicts more than 1e11 "
          "PE-cycles (R x C x\n"
          "                    cycles: minutes); without it such a run is "
          "refused\n"
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
    engine_limits limits;   /* --max-memory, --force                     */
} sim_args;

/* M,K,N: three fields through the strict parser (sscanf's %lld took
 * " 4", "+4" and wrapped past 2^63). */
static int parse_shape(const char *text, sim_args *a)
{
    int64_t v[3];
    const char *p = text;
    for (int i = 0; i < 3; i++) {
        const char *end = i < 2 ? strchr(p, ',') : p + strlen(p);
        if (!end || sa35_parse_i64(p, (size_t)(end - p), 1, INT64_MAX, &v[i]))
            return cli_failf("sim", "bad --gemm '%s': expected M,K,N, each "
                                    "an integer >= 1",
                             text);
        p = end + 1;
    }
    a->M = v[0], a->K = v[1], a->N = v[2];
    return 0;
}

static int parse_args(int argc, char **argv, sim_args *a)
{
    enum { OPT_GEMM = 256, OPT_ARRAY, OPT_ENGINE, OPT_SEED, OPT_PE,
           OPT_GROUP, OPT_MAX_MEMORY, OPT_FORCE };
    static const struct option opts[] = {
        {"gemm", required_argument, NULL, OPT_GEMM},
        {"array", required_argument, NULL, OPT_ARRAY},
        {"pe", required_argument, NULL, OPT_PE},
        {"group", required_argument, NULL, OPT_GROUP},
        {"engine", required_argument, NULL, OPT_ENGINE},
        {"seed", required_argument, NULL, OPT_SEED},
        CLI_MEMSYS_LONG_OPTIONS,
        {"stats", required_argument, NULL, 's'},
        {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
        {"force", no_argument, NULL, OPT_FORCE},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    sa35_arch_default(&a->arch);
    a->timing = 1;
    a->engine = "timing";
    a->seed = 1;
    a->limits.max_memory = cli_default_budget();
    int c, have_shape = 0, bad = 0;
    sa35_err err;
    cli_memsys mem;
    cli_memsys_init(&mem);
    while ((c = getopt_long(argc, argv, "s:", opts, NULL)) != -1) {
        if (cli_memsys_option("sim", c, optarg, &mem, &bad)) {
            if (bad)
                return 1;
            continue;
        }
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
        case OPT_SEED:
            if (sa35_parse_u64(optarg, strlen(optarg), 0, UINT64_MAX,
                               &a->seed))
                return cli_failf("sim", "--seed must be an integer in "
                                        "0..2^64-1, got '%s'",
                                 optarg);
            break;
        case OPT_MAX_MEMORY:
            if (cli_parse_bytes("sim", "--max-memory", optarg,
                                &a->limits.max_memory))
                return 1;
            break;
        case OPT_FORCE: a->limits.force = 1; break;
        case 's': a->stats_path = optarg; break;
        default: return cli_failf("sim", "bad option (see --help)");
        }
    }
    if (optind != argc || !have_shape)
        return cli_failf("sim", "expected --gemm M,K,N (see --help)");
    if (cli_memsys_apply(&mem, &a->arch, &err) ||
        sa35_arch_check(&a->arch, &err) ||
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
    /* engine_sim_check weighed these products (data_bytes): they fit */
    const size_t kn = (size_t)(a->K * a->N);
    *A = malloc((size_t)(a->M * a->K));
    float *w = malloc(kn * sizeof *w);
    int rc = 0;
    if (!*A || !w)
        rc = sa35_err_set(err, "out of memory for the random activations "
                               "(M x K = %lld bytes) and float weights (K x "
                               "N x 4 = %llu bytes)",
                          (long long)(a->M * a->K),
                          (unsigned long long)(kn * sizeof *w));
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

/* What random_data and cmd_sim allocate for an engine with values: A
 * (M x K), the float weights (K x N x 4), their codes (at most a byte a
 * weight) and scales and zeros (8 bytes a group of a column), acc and the
 * golden model's (M x N x 4 each); INT64_MAX past 63 bits. */
static uint64_t data_bytes(const sim_args *a)
{
    const int64_t groups = a->group ? (a->K - 1) / a->group + 1 : 1;
    int64_t mk, kn, sc, mn, t;
    if (sa35_mul_i64(a->M, a->K, &mk) || sa35_mul_i64(a->K, a->N, &kn) ||
        sa35_mul_i64(a->N, groups, &sc) || sa35_mul_i64(sc, 8, &sc) ||
        sa35_mul_i64(a->M, a->N, &mn) || sa35_mul_i64(mn, 8, &mn) ||
        sa35_mul_i64(kn, 5, &kn) || sa35_add_i64(mk, kn, &t) ||
        sa35_add_i64(t, sc, &t) || sa35_add_i64(t, mn, &t))
        return INT64_MAX;
    return (uint64_t)t;
}

static void print_summary(const cJSON *st)
{
    static const char *keys[] = {"cycles", "macs", "utilization",
                                 "stall_cycles", "weight_load_cycles"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, keys[i]);
        if (cJSON_IsNumber(v))
            printf("%-20s %.10g\n", keys[i], v->valuedouble);
    }
    cli_print_seconds(st);
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
    int rc = stats ? 0 : sa35_err_set(&err, "out of memory for the "
                                            "statistics");
    /* the plan's memory and the run's cost, before any of it is allocated */
    if (!rc)
        rc = engine_sim_check(a.engine, &a.arch, a.M, a.K, a.N, a.group,
                              a.timing ? 0 : data_bytes(&a), &a.limits, &err);
    if (!rc && !a.timing) {
        rc = random_data(&a, &A, &q, &err);
        acc = rc ? NULL : malloc((size_t)(a.M * a.N) * sizeof *acc);
        gold = rc ? NULL : malloc((size_t)(a.M * a.N) * sizeof *gold);
        if (!rc && (!acc || !gold))
            rc = sa35_err_set(&err, "out of memory for the accumulators "
                                    "(2 x M x N x 4 = %llu bytes)",
                              2ull * (unsigned long long)(a.M * a.N) *
                                  sizeof *acc);
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
                      : sa35_err_set(&err, "%s: out of memory for the "
                                           "statistics' JSON text",
                                     a.stats_path);
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
