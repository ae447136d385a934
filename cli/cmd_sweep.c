/* cmd_sweep.c: `sa35 sweep SPEC -o DIR`: a design-space sweep, each point
 * one `sa35 project` run, on every core, resumable and shardable; `sa35
 * sweep --merge DIR`: the tidy CSV with its Pareto front (docs/sweep.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"
#include "commands.h"
#include "sa35_sweep.h"

static const char usage[] =
    "usage: sa35 sweep SPEC -o DIR [-j N] [--shard I/N] [--quiet]\n"
    "       sa35 sweep SPEC --list\n"
    "       sa35 sweep --merge DIR\n"
    "\n"
    "Run every point of SPEC (JSON: a base model, system and run options "
    "and axes,\nlists or ranges, crossed or zipped; docs/sweep.md), each "
    "one `sa35 project`\nrun of one weight format, on worker processes. "
    "Each point is written\natomically to DIR/points/NNNNN.json; a rerun "
    "skips the points DIR holds,\nand refuses a DIR made by another spec. "
    "Without --shard the run ends with\nthe merge.\n"
    "\n"
    "options:\n"
    "  -o, --out DIR      the sweep's directory (required to run)\n"
    "  -j, --jobs N       worker processes (default: every online core)\n"
    "      --shard I/N    only the points whose index % N is I (0 <= I < N),"
    "\n"
    "                     for a scheduler; merge when every shard is done\n"
    "      --list         print the points' axis values, run nothing\n"
    "      --merge DIR    write DIR/sweep.csv: a row per point, every "
    "parameter\n"
    "                     and metric (units in the column names), pareto "
    "(the\n"
    "                     front of max tokens/s, min J/token) and why (the "
    "reason\n"
    "                     a point could not run)\n"
    "      --quiet        no progress line and no summary\n";

void cmd_sweep_usage(FILE *f) { fputs(usage, f); }

typedef struct args {
    const char *spec, *out, *merge;
    int list, quiet;
    sa35_sweep_opts o;
} args;

static int parse_shard(const char *s, sa35_sweep_opts *o)
{
    /* I/N through the strict integer parser (digits only, nothing wraps) */
    const char *slash = strchr(s, '/');
    int64_t i = 0, n = 0;
    if (!slash || sa35_parse_i64(slash + 1, strlen(slash + 1), 1, 1000000,
                                 &n) ||
        sa35_parse_i64(s, (size_t)(slash - s), 0, n - 1, &i))
        return cli_failf("sweep", "--shard must be I/N with 0 <= I < N <= "
                         "1000000, got '%s'", s);
    o->shard = (int)i, o->nshards = (int)n;
    return 0;
}

static int parse_args(int argc, char **argv, args *a)
{
    enum { O_SHARD = 256, O_LIST, O_MERGE, O_QUIET };
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"shard", required_argument, NULL, O_SHARD},
        {"list", no_argument, NULL, O_LIST},
        {"merge", required_argument, NULL, O_MERGE},
        {"quiet", no_argument, NULL, O_QUIET},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->o.nshards = 1;
    int c;
    int64_t v;
    while ((c = getopt_long(argc, argv, "o:j:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': a->out = optarg; break;
        case 'j':
            if (cli_parse_positive("sweep", "--jobs", optarg, &v))
                return 1;
            a->o.jobs = v > 4096 ? 4096 : (int)v;
            break;
        case O_SHARD:
            if (parse_shard(optarg, &a->o))
                return 1;
            break;
        case O_LIST: a->list = 1; break;
        case O_MERGE: a->merge = optarg; break;
        case O_QUIET: a->quiet = 1; break;
        default: return cli_failf("sweep", "bad option (see --help)");
        }
    }
    if (a->merge) {
        if (optind != argc || a->out || a->list)
            return cli_failf("sweep", "--merge DIR takes no SPEC, -o or "
                             "--list");
        return 0;
    }
    if (optind + 1 != argc)
        return cli_failf("sweep", "give one SPEC (see --help)");
    a->spec = argv[optind];
    if (!a->out && !a->list)
        return cli_failf("sweep", "-o DIR is required (or --list)");
    return 0;
}

static int merge(const char *dir, int quiet)
{
    sa35_err err;
    int64_t rows, front;
    if (sa35_sweep_merge(dir, &rows, &front, &err))
        return cli_fail("sweep", &err);
    if (!quiet)
        printf("wrote %s/sweep.csv: %lld points, %lld on the Pareto front\n",
               dir, (long long)rows, (long long)front);
    return 0;
}

static void list(const sa35_sweep_spec *sp)
{
    for (int64_t i = 0; i < sp->npoints; i++) {
        char label[1024];
        sa35_sweep_point_label(sp, i, label, sizeof label);
        puts(label);
    }
}

int cmd_sweep(int argc, char **argv)
{
    args a;
    if (parse_args(argc, argv, &a))
        return 1;
    if (a.merge)
        return merge(a.merge, a.quiet);
    sa35_err err;
    sa35_sweep_spec sp;
    if (sa35_sweep_spec_read(a.spec, &sp, &err))
        return cli_fail("sweep", &err);
    if (a.list) {
        list(&sp);
        sa35_sweep_spec_free(&sp);
        return 0;
    }
    a.o.progress = !a.quiet && isatty(STDERR_FILENO);
    sa35_sweep_stats st;
    int rc = sa35_sweep_run(&sp, a.out, &a.o, &st, &err);
    sa35_sweep_spec_free(&sp);
    if (rc)
        return cli_fail("sweep", &err);
    if (!a.quiet)
        printf("%s: %lld points in shard %d/%d: %lld already done, %lld run "
               "(%lld could not run) on %d workers in %.2f s (%.2f "
               "points/s)\n", a.out, (long long)st.in_shard, a.o.shard,
               a.o.nshards, (long long)st.skipped, (long long)st.ran,
               (long long)st.not_ok, st.jobs, st.seconds,
               st.seconds > 0 ? st.ran / st.seconds : 0.0);
    return a.o.nshards == 1 ? merge(a.out, a.quiet) : 0;
}
