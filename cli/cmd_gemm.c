/* cmd_gemm.c: `sa35 gemm WQ.safetensors X.npy -o Y.npy`: quantize the
 * activations to int8 per row, run the integer GEMM on an engine, apply the
 * scales. Every engine gives the same acc, so Y never depends on it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"
#include "commands.h"
#include "engines.h"

static const char usage[] =
    "usage: sa35 gemm WQ.safetensors X.npy -o Y.npy [--tensor NAME] "
    "[--acc ACC.npy]\n"
    "                 [--engine ENGINE] [--array RxC] [--threads T] "
    "[--stats STATS.json]\n"
    "                 [--trace FILE] [--max-memory BYTES] [--force]\n"
    "                 [--load-rows L] [--dram-bw BW] [--dram-latency N] "
    "[--clock HZ]\n"
    "\n"
    "Y = X . W for a quantized weight W (K x N) from `sa35 quantize`.\n"
    "X is an M x K float32 (or float16) .npy; Y is M x N float32:\n"
    "  A[m][k] = clamp(round(X[m][k] / sa[m]), -127, 127), sa[m] = max|X[m]| "
    "/ 127\n"
    "  acc[m][n] = sum_k A[m][k] q[k][n]     (int32, exact, on the engine)\n"
    "  Y[m][n] = sa[m] (s[n] acc[m][n] + z[n] sum_k A[m][k])\n"
    "With a group-scaled W (quantize --group G) acc is the float32 "
    "accumulator\n"
    "a[m][n] = sum over groups g of (s[n][g] psum_g + z[n][g] rsum_g), "
    "pinned to\n"
    "the bit in docs/format.md, and Y[m][n] = sa[m] a[m][n]; an "
    "accelerator engine\n"
    "needs G to fit its K tile (G <= 2R for sa35 and int4, R for int8).\n"
    "\n"
    "options:\n"
    "  -o, --output FILE   Y (required, except with --engine timing, which\n"
    "                      computes no values and writes --stats only)\n"
    "  -t, --tensor NAME   which weight in WQ (needed when it holds several);"
    "\n"
    "                      WQ may also be a quantized checkpoint's index,\n"
    "                      model.safetensors.index.json (docs/checkpoints.md)"
    "\n"
    "  -a, --acc FILE      also write the M x N int32 accumulators "
    "(float32 for a\n"
    "                      group-scaled W)\n"
    "  -e, --engine NAME   where acc is computed (default golden); an\n"
    "                      accelerator engine runs the PE kind of W's format\n"
    "                      (sa35, int4, int8):\n"
    "%s"
    "      --array RxC     array size, for engines that model one\n"
    "      --threads T     threads, for engines that use them\n"
    "  -s, --stats FILE    write the engine's statistics as JSON\n"
    "      --trace FILE    write a waveform trace, for engines that make "
    "one\n"
    "      --max-memory BYTES  accelerator engines: refuse a run whose "
    "program and\n"
    "                      memory images need more (suffix K, M, G or T: "
    "8G);\n"
    "                      default: half the physical memory\n"
    "      --force         run a cycle-accurate engine (sim, rtl) even "
    "when the\n"
    "                      timing model predicts more than 1e11 PE-cycles "
    "(R x C x\n"
    "                      cycles: minutes); without it such a run is "
    "refused\n"
    "The memory system and clock of the accelerator engines (sim, timing, "
    "rtl; as\n`sa35 sim` takes them, the same cycles for the same "
    "options):\n"
    "%s"
    "No output may be an input or another output.\n";

/* The usage text lists the engines built into this program. */
void cmd_gemm_usage(FILE *f)
{
    const char *split = strstr(usage, "%s"),
               *split2 = strstr(split + 2, "%s");
    fwrite(usage, 1, (size_t)(split - usage), f);
    for (const engine *e = engine_all(); e->name; e++)
        fprintf(f, "                        %-8s %s\n", e->name, e->help);
    fwrite(split + 2, 1, (size_t)(split2 - split - 2), f);
    fputs(cli_memsys_usage, f);
    fputs(split2 + 2, f);
}

static int load_activations(const char *path, const sa35_qweights *q,
                            sa35_array *x, float **xf, sa35_err *err)
{
    if (sa35_npy_read(path, x, err))
        return -1;
    if (x->ndim != 2)
        return sa35_err_set(err, "%s: X must be 2-D (M x K), got %d-D", path,
                            x->ndim);
    if (x->shape[1] != q->K)
        return sa35_err_set(err,
                            "%s: X has K=%lld columns but the weight has "
                            "K=%d inputs",
                            path, (long long)x->shape[1], q->K);
    if (x->shape[0] < 1)
        return sa35_err_set(err, "%s: X has no rows", path);
    return sa35_array_to_f32(x, path, xf, err);
}

typedef struct gemm_args {
    const char *wq, *x, *out, *tensor, *acc_path, *engine_name, *stats_path;
    engine_opts eopts;
    cli_memsys mem;
    const char *index;     /* WQ given as a checkpoint's index, or NULL   */
    char shard[8192];      /* then wq is its shard holding the weight     */
} gemm_args;

/* No output may be an input (Y onto W, --acc onto X, ...) or another
 * output (the second write would replace the first). */
static int check_outputs(const gemm_args *a)
{
    const char *out[] = {a->out, a->acc_path, a->stats_path,
                         a->eopts.trace_path};
    const char *in[] = {a->wq, a->x, a->index};
    sa35_err err;
    for (int i = 0; i < 4; i++) {
        if (!out[i])
            continue;
        for (int j = 0; j < 3; j++)
            if (in[j] && sa35_output_is_input(out[i], in[j], &err))
                return cli_fail("gemm", &err);
        for (int j = 0; j < i; j++)
            if (out[j] && cli_same_output(out[i], out[j]))
                return cli_failf("gemm", "%s: given as two outputs (-o, "
                                         "--acc, --stats, --trace): each "
                                         "needs a file of its own",
                                 out[i]);
    }
    return 0;
}

static int parse_args(int argc, char **argv, gemm_args *a)
{
    enum { OPT_ARRAY = 256, OPT_THREADS, OPT_TRACE, OPT_MAX_MEMORY,
           OPT_FORCE };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"tensor", required_argument, NULL, 't'},
        {"acc", required_argument, NULL, 'a'},
        {"engine", required_argument, NULL, 'e'},
        {"stats", required_argument, NULL, 's'},
        {"array", required_argument, NULL, OPT_ARRAY},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"trace", required_argument, NULL, OPT_TRACE},
        {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
        {"force", no_argument, NULL, OPT_FORCE},
        CLI_MEMSYS_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->engine_name = "golden";
    a->eopts.limits.max_memory = cli_default_budget();
    cli_memsys_init(&a->mem);
    int c, bad = 0;
    while ((c = getopt_long(argc, argv, "o:t:a:e:s:", opts, NULL)) != -1) {
        if (cli_memsys_option("gemm", c, optarg, &a->mem, &bad)) {
            if (bad)
                return 1;
            continue;
        }
        switch (c) {
        case 'o': a->out = optarg; break;
        case 't': a->tensor = optarg; break;
        case 'a': a->acc_path = optarg; break;
        case 'e': a->engine_name = optarg; break;
        case 's': a->stats_path = optarg; break;
        case OPT_ARRAY: a->eopts.array = optarg; break;
        case OPT_TRACE: a->eopts.trace_path = optarg; break;
        case OPT_THREADS: {
            int64_t t;
            if (cli_parse_int("gemm", "--threads", optarg, 1, 4096, &t))
                return 1;
            a->eopts.threads = (int)t;
            break;
        }
        case OPT_MAX_MEMORY:
            if (cli_parse_bytes("gemm", "--max-memory", optarg,
                                &a->eopts.limits.max_memory))
                return 1;
            break;
        case OPT_FORCE: a->eopts.limits.force = 1; break;
        default:
            return cli_failf("gemm", "bad option (see --help)");
        }
    }
    if (optind != argc - 2)
        return cli_failf("gemm", "expected WQ X -o Y (see --help)");
    a->wq = argv[optind];
    a->x = argv[optind + 1];
    a->eopts.progress = isatty(STDERR_FILENO);
    a->eopts.mem = &a->mem;
    sa35_err err;
    if (sa35_is_hf_index(a->wq)) { /* the shard is the input */
        if (cli_index_shard(a->wq, a->tensor, a->shard, sizeof a->shard,
                            &err))
            return cli_fail("gemm", &err);
        a->index = a->wq;
        a->wq = a->shard;
    }
    return check_outputs(a);
}

/* Write Y, then ACC and STATS if asked; a failure removes what was written,
 * so the command leaves all of its outputs or none. */
static int write_outputs(const gemm_args *a, const sa35_array *y,
                         const sa35_array *acc, const cJSON *stats,
                         sa35_err *err)
{
    if (a->out && sa35_npy_write(a->out, y, err))
        return -1;
    if (a->acc_path && sa35_npy_write(a->acc_path, acc, err)) {
        if (a->out)
            remove(a->out);
        return -1;
    }
    if (stats) {
        char *text = cJSON_Print(stats);
        int rc = text ? 0
                      : sa35_err_set(err, "%s: out of memory for the "
                                          "statistics' JSON text",
                                     a->stats_path);
        if (!rc) {
            size_t len = strlen(text);
            char *line = realloc(text, len + 2);
            if (line) {
                text = line;
                memcpy(text + len, "\n", 2);
            }
            rc = cli_write_text(a->stats_path, text, err);
        }
        free(text);
        if (rc) {
            if (a->out)
                remove(a->out);
            if (a->acc_path)
                remove(a->acc_path);
            return -1;
        }
    }
    return 0;
}

int cmd_gemm(int argc, char **argv)
{
    gemm_args a;
    if (parse_args(argc, argv, &a))
        return 1;
    const engine *eng = engine_find(a.engine_name);
    if (!eng) {
        const char *names[32];
        int n = 0;
        for (const engine *e = engine_all(); e->name && n < 32; e++)
            names[n++] = e->name;
        char list[256];
        cli_join_names(names, n, list, sizeof list);
        return cli_failf("gemm", "unknown --engine '%s' (built: %s)",
                         a.engine_name, list);
    }
    if (eng->values && !a.out)
        return cli_failf("gemm", "expected WQ X -o Y (see --help)");
    if (!eng->values && (a.out || a.acc_path))
        return cli_failf("gemm", "the %s engine computes no values, only "
                                 "cycles and counters: drop -o/--acc and give "
                                 "--stats S.json (the values are the golden "
                                 "model's: --engine golden)",
                         eng->name);
    if (!eng->values && !a.stats_path)
        return cli_failf("gemm", "the %s engine writes statistics only: give "
                                 "--stats S.json",
                         eng->name);
    /* the accelerator engines: they count cycles, at a clock */
    const int accel = !strcmp(eng->name, "sim") ||
                      !strcmp(eng->name, "timing") || !strcmp(eng->name, "rtl");
    if (a.mem.given && !accel)
        return cli_failf("gemm", "the %s engine models no memory system or "
                                 "clock: --load-rows, --dram-bw, "
                                 "--dram-latency and --clock are for the "
                                 "sim, timing and rtl engines",
                         eng->name);
    sa35_err err;
    sa35_qweights q = {0};
    sa35_array x = {0}, y = {0}, acc = {0};
    float *xf = NULL, *sa = NULL;
    int8_t *A = NULL;
    int32_t *rsum = NULL;
    cJSON *stats = a.stats_path || accel ? cJSON_CreateObject() : NULL;
    int rc = cli_load_qweights(a.wq, a.tensor, &q, &err);
    if (!rc)
        rc = load_activations(a.x, &q, &x, &xf, &err);
    int64_t M = rc ? 0 : x.shape[0];
    if (!rc) {
        A = malloc((size_t)(M * q.K));
        sa = malloc((size_t)M * sizeof *sa);
        rsum = malloc((size_t)M * sizeof *rsum);
        int64_t yshape[2] = {M, q.N};
        if (!A || !sa || !rsum)
            rc = sa35_err_set(&err, "out of memory for the int8 activations "
                                    "(M x K = %lld x %d bytes) and their "
                                    "scales and row sums",
                              (long long)M, q.K);
        if (!rc)
            rc = sa35_array_alloc(&y, SA35_DT_F32, 2, yshape, &err);
        /* group-scaled: the engines write the float32 accumulators' bits */
        if (!rc)
            rc = sa35_array_alloc(&acc, q.group ? SA35_DT_F32 : SA35_DT_I32,
                                  2, yshape, &err);
    }
    if (!rc && sa35_quantize_activations(xf, M, q.K, A, sa, &err))
        rc = sa35_err_prefix(&err, a.x);
    a.eopts.stats = stats;
    if (!rc && eng->run(A, M, &q, acc.data, &a.eopts, &err))
        rc = sa35_err_prefix(&err, a.engine_name);
    if (!rc) {
        if (eng->values) {
            sa35_row_sums(A, M, q.K, rsum);
            sa35_gemm_output(M, &q, sa, rsum, acc.data, y.data);
        }
        rc = write_outputs(&a, &y, &acc, a.stats_path ? stats : NULL,
                           &err);
    }
    if (!rc && a.out)
        printf("wrote %s (%lld x %d) with engine %s\n", a.out, (long long)M,
               q.N, eng->name);
    else if (!rc)
        printf("wrote %s (statistics of M=%lld x %d) with engine %s\n",
               a.stats_path, (long long)M, q.N, eng->name);
    const cJSON *cyc = stats ? cJSON_GetObjectItemCaseSensitive(stats,
                                                                "cycles")
                             : NULL;
    if (!rc && cJSON_IsNumber(cyc)) {
        printf("%-20s %.10g\n", "cycles", cyc->valuedouble);
        cli_print_seconds(stats);
    }
    cJSON_Delete(stats);
    free(A);
    free(sa);
    free(rsum);
    free(xf);
    sa35_array_free(&x);
    sa35_array_free(&y);
    sa35_array_free(&acc);
    sa35_qweights_free(&q);
    return rc ? cli_fail("gemm", &err) : 0;
}
