/* cmd_project.c: `sa35 project llama-2-70b --system tsp`: tokens/s,
 * J/token, watts and junction temperature, at the system's own bits and
 * beside it at the others, each width simulated on its PE kind, with every
 * assumption printed (docs/power.md, docs/paper.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "commands.h"
#include "sa35_io.h"
#include "sa35_project.h"

static const char usage[] =
    "usage: sa35 project MODEL --system NAME [--phase decode|prefill] "
    "[--batch B]\n"
    "                    [--seq L] [--bits 3.5|4|8] [--node 16|7|5] "
    "[--out DIR]\n"
    "                    [--no-throttle] [--activity measured|X] [--quiet]\n"
    "\n"
    "Run MODEL (a name in models/ or a config.json) on the system (a name "
    "in\nsystems/ or a .json) with `sa35 model`'s engine, then cost it: "
    "energy as\nevents x energy per event (power/tables/, each constant with "
    "its source),\nwatts per chip, junction temperature from the system's RC "
    "network with\nleakage fed back, and throttling above Tmax fed back into "
    "tokens/s. The\nsame system at the other weight widths stands beside "
    "the chosen one,\neach simulated on its own PE kind (3.5 bits: sa35, 4: "
    "int4, 8: int8). Prints\nthe table, `peak: X TOPS` and every assumption; "
    "writes project.json,\nproject.csv, project.md and SVG plots (layers, "
    "roofline, power and Tj\nover time, J/token against bits) to DIR.\n"
    "\n"
    "options:\n"
    "      --system S     system name or .json (required); its power config "
    "is\n"
    "                     its \"power\" object\n"
    "      --phase P      decode (default) or prefill\n"
    "      --batch B      sequences (default 1)\n"
    "      --seq L        decode: cached positions; prefill: prompt length "
    "(2048)\n"
    "      --bits W       the main run's bits per weight: 3.5, 4 or 8 "
    "(default:\n"
    "                     the system's own PE kind's)\n"
    "      --node N       process node for energies: 16, 7 or 5 (default: "
    "the\n"
    "                     power config's)\n"
    "      --out DIR      outputs (default out/project/MODEL-SYSTEM)\n"
    "      --no-throttle  report Tj (or runaway) without lowering the "
    "clock\n"
    "      --activity A   register toggle rates: measured (default: the "
    "cycle\n"
    "                     simulator on a slice of the model's q projection, "
    "see\n"
    "                     docs/power.md) or X in [0, 1] for every register "
    "class;\n"
    "                     the other is shown beside it\n"
    "      --quiet        no table on stdout\n";

void cmd_project_usage(FILE *f) { fputs(usage, f); }

typedef struct args {
    const char *model, *system, *out;
    double bits;
    int bits_given;
    int quiet;
    sa35_proj_opts o;
} args;

static int parse_args(int argc, char **argv, args *a)
{
    enum { O_SYSTEM = 256, O_PHASE, O_BATCH, O_SEQ, O_BITS, O_NODE, O_OUT,
           O_NOTHROTTLE, O_QUIET, O_ACTIVITY };
    static const struct option opts[] = {
        {"system", required_argument, NULL, O_SYSTEM},
        {"phase", required_argument, NULL, O_PHASE},
        {"batch", required_argument, NULL, O_BATCH},
        {"seq", required_argument, NULL, O_SEQ},
        {"bits", required_argument, NULL, O_BITS},
        {"node", required_argument, NULL, O_NODE},
        {"out", required_argument, NULL, O_OUT},
        {"no-throttle", no_argument, NULL, O_NOTHROTTLE},
        {"quiet", no_argument, NULL, O_QUIET},
        {"activity", required_argument, NULL, O_ACTIVITY},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->bits = 3.5;
    a->o.work = (sa35_workload){SA35_DECODE, 1, 2048, 1};
    a->o.throttle = 1;
    int c;
    int64_t v = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_SYSTEM: a->system = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_QUIET: a->quiet = 1; break;
        case O_NOTHROTTLE: a->o.throttle = 0; break;
        case O_ACTIVITY: {
            char *end;
            if (!strcmp(optarg, "measured")) {
                a->o.activity_assumed = 0;
                break;
            }
            a->o.activity = strtod(optarg, &end);
            if (end == optarg || *end || !(a->o.activity >= 0) ||
                a->o.activity > 1)
                return cli_failf("project", "--activity must be 'measured' "
                                 "or a rate in [0, 1], got '%s'", optarg);
            a->o.activity_assumed = 1;
            break;
        }
        case O_PHASE:
            if (strcmp(optarg, "decode") && strcmp(optarg, "prefill"))
                return cli_failf("project", "--phase must be decode or "
                                 "prefill, got '%s'", optarg);
            a->o.work.phase = optarg[0] == 'd' ? SA35_DECODE : SA35_PREFILL;
            break;
        case O_BATCH:
            if (cli_parse_positive("project", "--batch", optarg, &a->o.work.batch))
                return 1;
            break;
        case O_SEQ:
            if (cli_parse_positive("project", "--seq", optarg, &a->o.work.seq))
                return 1;
            break;
        case O_BITS:
            if (strcmp(optarg, "3.5") && strcmp(optarg, "4") &&
                strcmp(optarg, "8"))
                return cli_failf("project", "--bits must be 3.5, 4 or 8, "
                                 "got '%s'", optarg);
            a->bits = atof(optarg);
            a->bits_given = 1;
            break;
        case O_NODE:
            if (cli_parse_positive("project", "--node", optarg, &v))
                return 1;
            if (v != 16 && v != 7 && v != 5)
                return cli_failf("project", "--node must be 16, 7 or 5, got "
                                 "'%s'", optarg);
            a->o.node_nm = (int)v;
            break;
        default: return cli_failf("project", "bad option (see --help)");
        }
    }
    if (optind + 1 != argc)
        return cli_failf("project", "give one MODEL (see --help)");
    if (!a->system)
        return cli_failf("project", "--system is required (hbm1, tsp, "
                         "tpuv1 or a .json)");
    a->model = argv[optind];
    return 0;
}

/* Model, system and the system's power config. */
static int load_inputs(const args *a, sa35_llm *m, sa35_system *s,
                       sa35_power_cfg *pc, sa35_err *err)
{
    char mpath[4096], spath[4096];
    if (sa35_find_model(a->model, mpath, sizeof mpath, err) ||
        sa35_llm_read(mpath, m, err) ||
        sa35_find_system(a->system, spath, sizeof spath, err) ||
        sa35_system_read(spath, s, err) ||
        sa35_power_cfg_read(spath, pc, err))
        return -1;
    return 0;
}

/* The main run again with the other register rates (assumed if measured,
 * measured if assumed), so the report shows what the choice changes. */
static int other_activity(const sa35_llm *m, const sa35_system *s,
                          const sa35_power_cfg *pc, const sa35_proj_opts *o,
                          sa35_proj *p, sa35_err *err)
{
    sa35_proj_opts alt = *o;
    alt.activity_assumed = !o->activity_assumed;
    alt.activity = -1; /* the power config's */
    sa35_proj q;
    if (sa35_project(m, s, pc, &alt, p->bits, &q, err) != 0)
        return -1;
    if (q.ok) {
        p->has_alt = 1;
        if (q.act.measured)
            snprintf(p->alt_what, sizeof p->alt_what, "measured rates");
        else
            snprintf(p->alt_what, sizeof p->alt_what, "assumed activity %g",
                     q.act.psum);
        p->alt_j_per_token = q.j_per_token;
        p->alt_power_w = q.p_avg_w;
        p->alt_tj_c = q.tj_c;
        p->alt_reg_j = q.e.reg_j;
    }
    sa35_proj_free(&q);
    return 0;
}

int cmd_project(int argc, char **argv)
{
    args a;
    if (parse_args(argc, argv, &a))
        return 1;
    sa35_err err;
    sa35_llm m;
    sa35_system s;
    sa35_power_cfg pc;
    if (load_inputs(&a, &m, &s, &pc, &err) != 0)
        return cli_fail("project", &err);
    if (!a.bits_given) /* the system's own PE kind first */
        a.bits = sa35_pe_bits(sa35_pe_info(s.pe));
    /* the chosen width first, then the others beside it */
    double widths[3] = {a.bits, a.bits == 3.5 ? 4 : 3.5,
                        a.bits == 8 ? 4 : 8};
    sa35_proj p[3];
    int np = 0, rc = 0;
    for (; np < 3 && rc == 0; np++)
        rc = sa35_project(&m, &s, &pc, &a.o, widths[np], &p[np], &err);
    if (rc == 0 && !p[0].ok)
        rc = sa35_err_set(&err, "%s", p[0].why);
    if (rc == 0)
        rc = other_activity(&m, &s, &pc, &a.o, &p[0], &err);
    char dir[4200];
    if (rc == 0) {
        if (a.out)
            snprintf(dir, sizeof dir, "%s", a.out);
        else
            snprintf(dir, sizeof dir, "out/project/%s-%s", m.name, s.name);
        rc = sa35_proj_write(p, np, &pc, &a.o, dir, &err);
    }
    if (rc == 0 && !a.quiet) {
        printf("%s on %s (%s, batch %lld)\n\n", m.name, s.name,
               a.o.work.phase == SA35_DECODE ? "decode" : "prefill",
               (long long)a.o.work.batch);
        sa35_proj_print(p, np, &pc, &a.o, stdout);
        printf("\nwrote %s/project.json, project.csv, project.md, "
               "layers.svg, roofline.svg, power_time.svg, tj_time.svg, "
               "energy_bits.svg\n", dir);
    }
    for (int i = 0; i < np; i++)
        sa35_proj_free(&p[i]);
    return rc ? cli_fail("project", &err) : 0;
}
