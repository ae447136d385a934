/* cmd_scalesim.c: `sa35 scalesim -c CFG -t TOPO.csv`: SCALE-Sim's input
 * files in, SCALE-Sim's three reports out, so users can set sa35 beside
 * numbers they already have (docs/scalesim.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "commands.h"
#include "sa35_scalesim.h"

static const char usage[] =
    "usage: sa35 scalesim -c CONFIG.cfg -t TOPOLOGY.csv [-i gemm|conv] "
    "[-p OUTDIR] [--compat]\n"
    "\n"
    "Read a SCALE-Sim v2 config and topology and write COMPUTE_REPORT.csv,\n"
    "BANDWIDTH_REPORT.csv and DETAILED_ACCESS_REPORT.csv (SCALE-Sim's "
    "columns)\ninto OUTDIR/RUN_NAME/. By default the cycles are the sa35 "
    "array's own\n(weight-stationary, two k per PE, weights double-buffered "
    "so a tile's load\noverlaps the previous tile); --compat reproduces "
    "SCALE-Sim v2's closed form\nfor os, ws and is instead "
    "(docs/scalesim.md says how they differ).\n"
    "\n"
    "options:\n"
    "  -c FILE      SCALE-Sim config (.cfg) (required)\n"
    "  -t FILE      topology CSV (required)\n"
    "  -i KIND      gemm (rows: name, M, N, K,) or conv (default conv)\n"
    "  -p DIR       output directory (default out/scalesim)\n"
    "  --compat     SCALE-Sim v2's cycle counts, not sa35's\n"
    "  --python V   3.12 (default) or 3.11: the Python that runs SCALE-Sim\n"
    "               (3.11 and older add floats without compensation; the\n"
    "               averages' last digits differ)\n";

void cmd_scalesim_usage(FILE *f) { fputs(usage, f); }

int cmd_scalesim(int argc, char **argv)
{
    enum { O_COMPAT = 256, O_PYTHON };
    static const struct option opts[] = {
        {"compat", no_argument, NULL, O_COMPAT},
        {"python", required_argument, NULL, O_PYTHON},
        {NULL, 0, NULL, 0},
    };
    const char *cfg = NULL, *topo = NULL, *kind = "conv", *top = "out/scalesim";
    int compat = 0, c;
    sa35_ss_pysum pysum = SA35_SS_SUM_PY312;
    while ((c = getopt_long(argc, argv, "c:t:i:p:", opts, NULL)) != -1) {
        switch (c) {
        case 'c': cfg = optarg; break;
        case 't': topo = optarg; break;
        case 'i': kind = optarg; break;
        case 'p': top = optarg; break;
        case O_COMPAT: compat = 1; break;
        case O_PYTHON:
            if (strcmp(optarg, "3.11") == 0)
                pysum = SA35_SS_SUM_PY311;
            else if (strcmp(optarg, "3.12") != 0)
                return cli_failf("scalesim", "--python must be 3.11 or 3.12, "
                                             "got '%s'", optarg);
            break;
        default: return cli_failf("scalesim", "bad option (see --help)");
        }
    }
    if (optind != argc || !cfg || !topo)
        return cli_failf("scalesim", "expected -c CONFIG and -t TOPOLOGY "
                                     "(see --help)");
    if (strcmp(kind, "gemm") && strcmp(kind, "conv"))
        return cli_failf("scalesim", "-i must be gemm or conv, got '%s'",
                         kind);
    sa35_err err;
    sa35_ss_config conf;
    sa35_ss_layer *layers;
    int n;
    if (sa35_ss_config_read(cfg, &conf, &err) ||
        sa35_ss_topo_read(topo, strcmp(kind, "gemm") == 0, &layers, &n,
                          &err))
        return cli_fail("scalesim", &err);
    sa35_ss_result *res = calloc((size_t)n, sizeof *res);
    if (!res) {
        free(layers);
        return cli_failf("scalesim", "out of memory for the results of %d "
                                     "layers",
                         n);
    }
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        if (compat)
            rc = sa35_ss_compat(&conf, &layers[i], pysum, &res[i], &err);
        else
            rc = sa35_ss_native(&conf, &layers[i], sa35_gemm_engine_timing(),
                                &res[i], &err);
        if (rc)
            sa35_err_prefix(&err, topo);
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", top, conf.run_name);
    if (rc == 0) /* creates dir; nothing of it is left on failure */
        rc = sa35_ss_write_reports(dir, res, n, &err);
    if (rc == 0) {
        printf("%s, %s dataflow, %lldx%lld array, %s cycles (%s)\n",
               conf.run_name,
               conf.dataflow == SA35_SS_OS ? "os"
               : conf.dataflow == SA35_SS_WS ? "ws" : "is",
               (long long)conf.rows, (long long)conf.cols,
               compat ? "SCALE-Sim v2 closed form" : "sa35 array",
               compat ? "--compat: stall-free, as v2 with ample bandwidth"
                      : sa35_gemm_engine_timing()->name);
        for (int i = 0; i < n; i++)
            printf("layer %d %s: compute cycles %lld, stall cycles %lld, "
                   "overall utilization %.2f%%, mapping efficiency %.2f%%\n",
                   i, layers[i].name, (long long)res[i].total_cycles,
                   (long long)res[i].stall_cycles, res[i].overall_util,
                   res[i].mapping_eff);
        printf("wrote %s/COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv, "
               "DETAILED_ACCESS_REPORT.csv\n", dir);
    }
    free(res);
    free(layers);
    return rc ? cli_fail("scalesim", &err) : 0;
}
