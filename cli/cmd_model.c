/* cmd_model.c: `sa35 model llama-2-70b --system hbm1 --phase decode`: a
 * whole model on a system, per-layer results and totals, with the
 * assumptions printed beside the figures. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "commands.h"
#include "engines.h"
#include "sa35_model.h"

static const char usage[] =
    "usage: sa35 model CONFIG.json|F.gguf|NAME --system NAME|FILE\n"
    "                  [--phase decode|prefill] [--batch B] [--seq L]\n"
    "                  [--microbatches K] [--out DIR] [--engine E] [--group G]\n"
    "                  [--force] [--quiet]\n"
    "\n"
    "Compile a Hugging Face style config.json (llama family), or the shapes "
    "in a\nGGUF file's metadata (llama.embedding_length, ...; docs/gguf.md), "
    "into its\nGEMMs (array) and its non-GEMM work (vector unit), put every "
    "op on the system's\nmemory system and report cycles, utilization, stalls and "
    "bytes per op and\nlayer, and the step's totals. NAME is a shipped "
    "config: llama-2-7b,\nllama-2-13b, llama-2-70b, llama-3-8b, llama-3-70b, "
    "mistral-7b (models/);\nsystems: hbm1, tsp, tpuv1 (systems/, every "
    "number with its source).\n"
    "\n"
    "options:\n"
    "      --system S   system name or .json file (required)\n"
    "      --phase P    decode (the default: M = batch, KV length L) or "
    "prefill\n"
    "                   (M = prompt), as `sa35 project`\n"
    "      --batch B    sequences (default 1)\n"
    "      --seq L      decode: cached positions; prefill: prompt length "
    "(default 2048)\n"
    "      --microbatches K  K micro-batches of B sequences in flight over "
    "the\n"
    "                   chips, each with its own KV cache (default 1): "
    "tokens/s =\n"
    "                   K x B / max(step latency, K x busiest chip's time)\n"
    "      --out DIR    where layers.csv, layers.json and totals.json go\n"
    "                   (default out/model/MODEL-SYSTEM-PHASE)\n"
    "      --engine E   timing (sim/'s timing model, default) or sim (the\n"
    "                   cycle-accurate simulator: slow, small models)\n"
    "      --group G    weights with a binary16 scale and zero per G "
    "k-values of a\n"
    "                   column (docs/format.md), applied by the scale row; "
    "a group\n"
    "                   is one K tile (G <= the array's k x R; default: a "
    "scale per\n"
    "                   column)\n"
    "      --force      with --engine sim, run even past 1e11 simulated "
    "PE-cycles\n"
    "                   (the timing model predicts them first)\n"
    "      --quiet      no summary on stdout\n";

void cmd_model_usage(FILE *f) { fputs(usage, f); }

int cmd_model(int argc, char **argv)
{
    enum {
        O_SYSTEM = 256, O_PHASE, O_BATCH, O_SEQ, O_OUT, O_QUIET, O_ENGINE,
        O_MICRO, O_GROUP, O_FORCE
    };
    static const struct option opts[] = {
        {"system", required_argument, NULL, O_SYSTEM},
        {"phase", required_argument, NULL, O_PHASE},
        {"batch", required_argument, NULL, O_BATCH},
        {"seq", required_argument, NULL, O_SEQ},
        {"out", required_argument, NULL, O_OUT},
        {"quiet", no_argument, NULL, O_QUIET},
        {"engine", required_argument, NULL, O_ENGINE},
        {"microbatches", required_argument, NULL, O_MICRO},
        {"group", required_argument, NULL, O_GROUP},
        {"force", no_argument, NULL, O_FORCE},
        {NULL, 0, NULL, 0},
    };
    const char *system = NULL, *phase = "decode", *out = NULL;
    const sa35_gemm_engine *eng = sa35_gemm_engine_timing();
    sa35_workload w = {SA35_DECODE, 1, 2048, 1};
    int quiet = 0, force = 0, c;
    int64_t group = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_SYSTEM: system = optarg; break;
        case O_PHASE: phase = optarg; break;
        case O_OUT: out = optarg; break;
        case O_QUIET: quiet = 1; break;
        case O_FORCE: force = 1; break;
        case O_ENGINE:
            if (strcmp(optarg, "timing") == 0)
                eng = sa35_gemm_engine_timing();
            else if (strcmp(optarg, "sim") == 0)
                eng = sa35_gemm_engine_sim();
            else
                return cli_failf("model", "--engine must be timing or sim, "
                                          "got '%s'", optarg);
            break;
        case O_BATCH:
            if (cli_parse_positive("model", "--batch", optarg, &w.batch))
                return 1;
            break;
        case O_SEQ:
            if (cli_parse_positive("model", "--seq", optarg, &w.seq))
                return 1;
            break;
        case O_MICRO:
            if (cli_parse_positive("model", "--microbatches", optarg,
                                   &w.microbatches))
                return 1;
            break;
        case O_GROUP:
            if (cli_parse_positive("model", "--group", optarg, &group))
                return 1;
            break;
        default: return cli_failf("model", "bad option (see --help)");
        }
    }
    if (optind != argc - 1 || !system)
        return cli_failf("model", "expected one model and --system "
                                  "(see --help)");
    if (strcmp(phase, "decode") == 0)
        w.phase = SA35_DECODE;
    else if (strcmp(phase, "prefill") == 0)
        w.phase = SA35_PREFILL;
    else
        return cli_failf("model", "--phase must be decode or prefill, got "
                                  "'%s'", phase);
    sa35_err err;
    char mpath[4096], spath[4096], dir[4096];
    sa35_llm m;
    sa35_system s;
    if (sa35_find_model(argv[optind], mpath, sizeof mpath, &err) ||
        sa35_llm_read(mpath, &m, &err) ||
        sa35_find_system(system, spath, sizeof spath, &err) ||
        sa35_system_read(spath, &s, &err))
        return cli_fail("model", &err);
    s.group = group;
    if (group && sa35_group_check(sa35_pe_info(s.pe)->fmt, group, &err))
        return cli_failf("model", "--group %lld: %s", (long long)group,
                         err.msg);
    if (!out) {
        snprintf(dir, sizeof dir, "out/model/%s-%s-%s", m.name, s.name,
                 phase);
        out = dir;
    }
    sa35_run run;
    if (eng == sa35_gemm_engine_sim() && !force) {
        /* the cycle-accurate engine on a whole model: the timing model's
         * cycles first (the same cycles, in milliseconds), and a run past
         * the PE-cycle limit asks for --force, as sim and gemm do */
        if (sa35_model_run(&m, &s, &w, sa35_gemm_engine_timing(), &run, &err))
            return cli_fail("model", &err);
        double cycles = (double)run.cycles;
        double pe_cycles = cycles * s.rows * s.cols;
        sa35_run_free(&run);
        if (pe_cycles > ENGINE_MAX_PE_CYCLES)
            return cli_failf("model", "--engine sim on %s would simulate "
                             "%.3g PE-cycles (the timing model's %.4g cycles "
                             "x %dx%d PEs), more than %.0e: --engine timing "
                             "gives the same cycles, --force runs it anyway",
                             m.name, pe_cycles, cycles, s.rows,
                             s.cols, ENGINE_MAX_PE_CYCLES);
    }
    if (sa35_model_run(&m, &s, &w, eng, &run, &err))
        return cli_fail("model", &err);
    if (sa35_run_write(&run, out, &err)) {
        sa35_run_free(&run);
        return cli_fail("model", &err);
    }
    if (!quiet) {
        printf("model %s, system %s\n", mpath, spath);
        sa35_run_print(&run, stdout);
        printf("\nwrote %s/layers.csv, layers.json, totals.json\n", out);
    }
    sa35_run_free(&run);
    return 0;
}
