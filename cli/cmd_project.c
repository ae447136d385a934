/* cmd_project.c: `sa35 project llama-2-70b --system tsp`: per weight
 * format (the system's own, then sa35 per column and in K-tile groups,
 * int4 per column and in groups of 128, int8), the SQNR it gives a test
 * matrix beside the tokens/s, J/token, watts and junction temperature of
 * the machine that runs it, each simulated on its PE kind, with every
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
    "                    [--seq L] [--bits 3.5|4|8] [--node N] "
    "[--out DIR]\n"
    "                    [--no-throttle] [--activity measured|X] [--quiet]\n"
    "                    [--formats F,F,...] [--dist DIST] [--tables DIR] "
    "[--vdd V]\n"
    "\n"
    "Run MODEL (a name in models/ or a config.json) on the system (a name "
    "in\nsystems/ or a .json) with `sa35 model`'s engine, then cost it: "
    "energy as\nevents x energy per event (power/tables/, each constant with "
    "its source),\nwatts per chip, junction temperature from the system's RC "
    "network with\nleakage fed back, and throttling above Tmax fed back into "
    "tokens/s. Each\nweight format is a column, simulated on its own machine: "
    "PEs of the kind\nthat stores its codes (sa35: 3.5 bits, int4: 4, int8: "
    "8) and, for KIND-gG,\nthe scale row applying a binary16 scale and zero "
    "per G k-values (a group is\none K tile). Each column also gives the "
    "format's SQNR on a test matrix\n(K = the model's hidden size x 256, "
    "`sa35 randn`'s generator, seed 1, std\n0.02). Prints the table, `peak: "
    "X TOPS` and every assumption; "
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
    "      --formats LIST the columns, comma-separated: sa35, int4, int8, "
    "KIND-gG\n"
    "                     (groups of G), KIND-g2R (the array's K tile: 640 "
    "for sa35\n"
    "                     on 320 rows); the first is the main run "
    "(default: the\n"
    "                     system's own kind, sa35, sa35-g2R, int4, "
    "int4-g128, int8)\n"
    "      --bits W       the main run per column at 3.5, 4 or 8 bits "
    "(sa35, int4,\n"
    "                     int8), the default formats beside it\n"
    "      --dist DIST    the test matrix's distribution, as `sa35 randn "
    "--dist`\n"
    "                     (default gauss)\n"
    "      --node N       process node for energies, nm: any of the "
    "node_scaling\n"
    "                     table (180, 130, 90, 65, 45, 32, 20, 16, 14, 10, "
    "7; 5\n"
    "                     extrapolated; default: the power config's)\n"
    "      --vdd V        the supply at that node (default: the table's "
    "vdd_N;\n"
    "                     nodes without one need it)\n"
    "      --tables DIR   energy tables from DIR: DIR/NAME.json replaces the "
    "built-in\n"
    "                     NAME (horowitz45, node_scaling, memory, "
    "osu018_cells,\n"
    "                     rtl_pe; docs/power.md); the others stay built in\n"
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
    const char *model, *system, *out, *formats, *dist;
    double bits;
    int bits_given;
    int quiet;
    sa35_proj_opts o;
} args;

static int parse_args(int argc, char **argv, args *a)
{
    enum { O_SYSTEM = 256, O_PHASE, O_BATCH, O_SEQ, O_BITS, O_NODE, O_OUT,
           O_NOTHROTTLE, O_QUIET, O_ACTIVITY, O_FORMATS, O_DIST, O_TABLES,
           O_VDD };
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
        {"formats", required_argument, NULL, O_FORMATS},
        {"dist", required_argument, NULL, O_DIST},
        {"tables", required_argument, NULL, O_TABLES},
        {"vdd", required_argument, NULL, O_VDD},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->bits = 3.5;
    a->dist = "gauss";
    a->o.work = (sa35_workload){SA35_DECODE, 1, 2048, 1};
    a->o.throttle = 1;
    int c;
    int64_t v = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_SYSTEM: a->system = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_QUIET: a->quiet = 1; break;
        case O_FORMATS: a->formats = optarg; break;
        case O_DIST: a->dist = optarg; break;
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
            /* any node of the scaling table (the energy model says which
             * it lacks) */
            if (cli_parse_positive("project", "--node", optarg, &v))
                return 1;
            if (v > 1000)
                return cli_failf("project", "--node must be a node in nm "
                                 "(180 ... 5), got '%s'", optarg);
            a->o.node_nm = (int)v;
            break;
        case O_TABLES: a->o.tables_dir = optarg; break;
        case O_VDD: {
            char *end;
            a->o.vdd = strtod(optarg, &end);
            if (end == optarg || *end || !(a->o.vdd > 0 && a->o.vdd < 5))
                return cli_failf("project", "--vdd must be a supply in volts "
                                 "(0 < V < 5), got '%s'", optarg);
            break;
        }
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
    alt.qm = NULL;     /* p has its quality; only the energy differs */
    sa35_proj q;
    if (sa35_project(m, s, pc, &alt, &p->wf, &q, err) != 0)
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

/* --formats, or the defaults (with --bits: that kind per column first). */
static int formats_of(const args *a, const sa35_system *s, sa35_wformat *f,
                      int *nf, sa35_err *err)
{
    if (!a->formats) {
        sa35_system own = *s;
        if (a->bits_given && sa35_pe_of_bits(a->bits, &own.pe))
            return sa35_err_set(err, "--bits %g: 3.5, 4 or 8", a->bits);
        *nf = sa35_wformat_defaults(&own, f, SA35_PROJ_FORMATS_MAX);
        return 0;
    }
    if (a->bits_given)
        return sa35_err_set(err, "give --formats or --bits, not both");
    const char *p = a->formats;
    *nf = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char one[32];
        if (*nf == SA35_PROJ_FORMATS_MAX)
            return sa35_err_set(err, "--formats: at most %d formats",
                                SA35_PROJ_FORMATS_MAX);
        if (len == 0 || len >= sizeof one)
            return sa35_err_set(err, "--formats '%s': an empty or too long "
                                "name", a->formats);
        snprintf(one, sizeof one, "%.*s", (int)len, p);
        if (sa35_wformat_parse(one, s, &f[*nf], err)) {
            char why[sizeof err->msg];
            snprintf(why, sizeof why, "%s", err->msg);
            return sa35_err_set(err, "--formats: %s", why);
        }
        for (int j = 0; j < *nf; j++)
            if (!strcmp(f[j].name, f[*nf].name))
                return sa35_err_set(err, "--formats: %s given twice",
                                    f[*nf].name);
        (*nf)++;
        if (!comma)
            return 0;
        p = comma + 1;
    }
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
    sa35_wformat f[SA35_PROJ_FORMATS_MAX];
    int nf = 0;
    if (formats_of(&a, &s, f, &nf, &err))
        return cli_fail("project", &err);
    /* every format's SQNR on one matrix shaped like the model's weights */
    sa35_qmatrix qm = {.seed = 1, .std = 0.02, .K = m.hidden, .N = 256};
    if (sa35_dist_parse(a.dist, &qm.dist, &err))
        return cli_failf("project", "--dist %s", err.msg);
    if (sa35_qmatrix_make(&qm, &err))
        return cli_fail("project", &err);
    a.o.qm = &qm;
    sa35_proj p[SA35_PROJ_FORMATS_MAX];
    int np = 0, rc = 0;
    for (; np < nf && rc == 0; np++)
        rc = sa35_project(&m, &s, &pc, &a.o, &f[np], &p[np], &err);
    if (rc)
        np--; /* p[np] was freed by sa35_project */
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
    sa35_qmatrix_free(&qm);
    return rc ? cli_fail("project", &err) : 0;
}
