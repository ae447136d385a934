/* test_sweep.c: `sa35 sweep`: a spec's expansion (product, zip, ranges:
 * counts and order), a run, its rerun (skips every point, the same CSV),
 * two shards into one directory against the unsharded CSV, the Pareto
 * column against a brute-force front from the CSV, a point that cannot
 * run, and the bad specs' one-line errors that leave no directory. */
#include "cli_test_util.h"
#include "sa35_sweep.h"

/* A tiny llama (two layers of 256) so a point costs milliseconds. */
static const char tiny_model[] =
    "{\"model_type\": \"llama\", \"hidden_size\": 256, \"intermediate_size\":"
    " 512, \"num_hidden_layers\": 2, \"num_attention_heads\": 4, "
    "\"num_key_value_heads\": 4, \"vocab_size\": 1000, "
    "\"max_position_embeddings\": 512}";

/* 2 x 3 x 2 = 12 points; offchip_bytes 1000 holds no weights (ok = 0);
 * the larger arrays trade J/token for tokens/s (a front of several). */
static const char spec12[] =
    "{\"model\": \"tiny.json\", \"system\": \"hbm1\", \"seq\": 128,\n"
    " \"batch\": 16, \"load_rows\": 8, \"activity\": 0.5,\n"
    " \"sram_bytes\": 262144,\n"
    " \"axes\": [{\"offchip_bytes\": [1000, 51539607552]},\n"
    "          {\"rows\": [32, 64, 128], \"cols\": [32, 64, 128]},\n"
    "          {\"format\": [\"sa35\", \"int8\"]}]}\n";

static void write_text(const char *name, const char *text)
{
    write_bytes(name, text, strlen(text));
}

static char *read_all(const char *name)
{
    sa35_err err;
    char *t = sa35_read_text(path_of(name), &err);
    CHECK_MSG(t, "%s", err.msg);
    return t;
}

static void test_expansion(void)
{
    const char *text =
        "{\"model\": \"m\", \"system\": \"s\", \"axes\": [\n"
        " {\"load_rows\": [1, 2, 4]},\n"
        " {\"rows\": [32, 64], \"format\": [\"sa35\", \"int4\"]},\n"
        " {\"clock_hz\": {\"from\": 5e8, \"to\": 1e9, \"step\": 2.5e8}},\n"
        " {\"batch\": {\"from\": 1, \"to\": 8, \"times\": 2}},\n"
        " {\"seq\": {\"from\": 1, \"to\": 10, \"step\": 4}}]}";
    sa35_sweep_spec sp;
    sa35_err err;
    CHECK_MSG(sa35_sweep_spec_parse(text, "x.json", &sp, &err) == 0, "%s",
              err.msg);
    CHECK(sp.npoints == 3 * 2 * 3 * 4 * 3);
    CHECK(sp.ngroups == 5 && sp.naxes == 6);
    const double lanes[] = {1, 2, 4}, rows[] = {32, 64};
    const char *fmt[] = {"sa35", "int4"};
    const double clk[] = {5e8, 7.5e8, 1e9}, batch[] = {1, 2, 4, 8};
    const double seq[] = {1, 5, 9};
    int64_t i = 0, bad = 0;
    /* the order of nested loops, the first axis outermost */
    for (int a = 0; a < 3; a++)
        for (int z = 0; z < 2; z++)
            for (int c = 0; c < 3; c++)
                for (int b = 0; b < 4; b++)
                    for (int s = 0; s < 3; s++, i++) {
                        sa35_sweep_val v[SA35_SK_COUNT];
                        int set[SA35_SK_COUNT];
                        sa35_sweep_point(&sp, i, v, set);
                        bad += !set[SA35_SK_LOAD_ROWS] || set[SA35_SK_COLS] ||
                               v[SA35_SK_LOAD_ROWS].num != lanes[a] ||
                               v[SA35_SK_ROWS].num != rows[z] ||
                               strcmp(v[SA35_SK_FORMAT].str, fmt[z]) ||
                               v[SA35_SK_CLOCK].num != clk[c] ||
                               v[SA35_SK_BATCH].num != batch[b] ||
                               v[SA35_SK_SEQ].num != seq[s] ||
                               strcmp(v[SA35_SK_MODEL].str, "m");
                    }
    CHECK_MSG(bad == 0, "%lld points out of order", (long long)bad);
    char label[256];
    sa35_sweep_point_label(&sp, 7, label, sizeof label);
    CHECK_MSG(!strcmp(label, "point 7 (load_rows=1, rows=32, format=sa35, "
                             "clock_hz=500000000, batch=4, seq=5)"),
              "%s", label);
    sa35_sweep_spec_free(&sp);
    /* the model (or the system) may be an axis instead of a base value */
    CHECK(sa35_sweep_spec_parse("{\"system\": \"s\", \"axes\": "
                                "[{\"model\": [\"a\", \"b\"]}]}",
                                "z.json", &sp, &err) == 0 &&
          sp.npoints == 2);
    sa35_sweep_spec_free(&sp);
    /* no axes: one point, the base */
    CHECK(sa35_sweep_spec_parse("{\"model\": \"m\", \"system\": \"s\"}",
                                "y.json", &sp, &err) == 0 &&
          sp.npoints == 1);
    sa35_sweep_spec_free(&sp);
}

/* The CSV's rows as fields (no quoted commas in the columns read). */
typedef struct csv {
    int ncol, nrow;
    char *cell[64][48];
    char *text;
} csv;

static void csv_read(const char *name, csv *c)
{
    memset(c, 0, sizeof *c);
    c->text = read_all(name);
    char *save = NULL, *line = c->text ? strtok_r(c->text, "\n", &save) : 0;
    for (; line && c->nrow < 64; line = strtok_r(NULL, "\n", &save)) {
        int k = 0;
        for (char *p = line; k < 48; k++) {
            c->cell[c->nrow][k] = p;
            char *comma = strchr(p, ',');
            if (!comma || *p == '"')
                break;
            *comma = '\0';
            p = comma + 1;
        }
        if (c->nrow == 0)
            c->ncol = k + 1;
        c->nrow++;
    }
}

static int col(const csv *c, const char *name)
{
    for (int k = 0; k < c->ncol; k++)
        if (!strcmp(c->cell[0][k], name))
            return k;
    CHECK_MSG(0, "no column %s", name);
    return 0;
}

/* The pareto column against every pair of points that ran. */
static void test_pareto(const csv *c)
{
    int ok = col(c, "ok"), tps = col(c, "tokens_per_s");
    int jpt = col(c, "j_per_token"), par = col(c, "pareto");
    int front = 0, off = 0, wrong = 0;
    for (int i = 1; i < c->nrow; i++) {
        int on = atoi(c->cell[i][ok]);
        double ti = atof(c->cell[i][tps]), ji = atof(c->cell[i][jpt]);
        for (int j = 1; j < c->nrow && on; j++) {
            double tj = atof(c->cell[j][tps]), jj = atof(c->cell[j][jpt]);
            if (atoi(c->cell[j][ok]) && tj >= ti && jj <= ji &&
                (tj > ti || jj < ji))
                on = 0;
        }
        wrong += on != atoi(c->cell[i][par]);
        front += on;
        off += !on && atoi(c->cell[i][ok]);
    }
    CHECK_MSG(wrong == 0, "%d pareto cells wrong", wrong);
    CHECK_MSG(front >= 2 && off >= 2, "front %d, dominated %d", front, off);
}

static void test_run_rerun_shards(void)
{
    write_text("tiny.json", tiny_model);
    write_text("s12.json", spec12);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && rm -rf sw1 sw2", tmp);
    CHECK(system(cmd) == 0);
    CHECK(run("sweep s12.json -o sw1 -j 2") == 0);
    CHECK_MSG(strstr(slurp("out.txt"), "0 already done, 12 run (6 could not "
                                       "run) on 2 workers"),
              "%s", slurp("out.txt"));
    char *first = read_all("sw1/sweep.csv");
    /* --list: a line per point, in point order */
    CHECK(run("sweep s12.json --list") == 0);
    const char *out = slurp("out.txt");
    int lines = 0;
    for (const char *p = out; (p = strchr(p, '\n')); p++)
        lines++;
    CHECK_MSG(lines == 12 && strstr(out, "point 11 (offchip_bytes=51539607552, "
                                         "rows=128, cols=128, format=int8)\n"),
              "%s", out);
    CHECK(exists("sw1/spec.json") && exists("sw1/points/00011.json"));
    /* the rerun runs nothing and writes the same CSV */
    CHECK(run("sweep s12.json -o sw1") == 0);
    CHECK_MSG(strstr(slurp("out.txt"), "12 already done, 0 run"), "%s",
              slurp("out.txt"));
    char *again = read_all("sw1/sweep.csv");
    CHECK(first && again && !strcmp(first, again));
    /* a lost point is run again, alone */
    remove(path_of("sw1/points/00005.json"));
    CHECK(run("sweep s12.json -o sw1 -j 1") == 0);
    CHECK_MSG(strstr(slurp("out.txt"), "11 already done, 1 run"), "%s",
              slurp("out.txt"));
    free(again);
    again = read_all("sw1/sweep.csv");
    CHECK(first && again && !strcmp(first, again));
    /* two shards into one directory, merged, equal to the whole run */
    CHECK(run("sweep s12.json -o sw2 --shard 1/2 -j 1") == 0);
    CHECK(strstr(slurp("out.txt"), "6 points in shard 1/2"));
    CHECK(!exists("sw2/sweep.csv") && exists("sw2/points/00001.json") &&
          !exists("sw2/points/00000.json"));
    EXPECT_FAIL("sweep --merge sw2", "sw2/sweep.csv", "sw2", "6 of 12 points "
                "have not run", "points/00000.json");
    CHECK(run("sweep s12.json -o sw2 --shard 0/2") == 0);
    CHECK(run("sweep --merge sw2") == 0);
    char *sharded = read_all("sw2/sweep.csv");
    CHECK(first && sharded && !strcmp(first, sharded));
    /* two shards started together race to make the DIR: both join it */
    snprintf(cmd, sizeof cmd, "cd '%s' && rm -rf sw3 && ('%s' sweep s12.json "
             "-o sw3 --shard 0/2 -j 1 & '%s' sweep s12.json -o sw3 --shard "
             "1/2 -j 1; st=$?; wait $! && exit $st) >out.txt 2>err.txt", tmp,
             bin, bin);
    CHECK_MSG(system(cmd) == 0, "%s", slurp("err.txt"));
    CHECK(temp_files_left() == 0); /* the loser's temporary DIR is gone */
    CHECK(run("sweep --merge sw3") == 0);
    char *raced = read_all("sw3/sweep.csv");
    CHECK(first && raced && !strcmp(first, raced));
    free(raced);
    csv c;
    csv_read("sw1/sweep.csv", &c);
    CHECK(c.nrow == 13);
    test_pareto(&c);
    /* the rows that could not run say why, and have no figures */
    int why = col(&c, "why"), ok = col(&c, "ok"), tps = col(&c, "tokens_per_s");
    int dram = col(&c, "offchip_bytes"), fmt = col(&c, "format");
    for (int i = 1; i < c.nrow; i++) {
        int fits = strcmp(c.cell[i][dram], "1000") != 0;
        CHECK(atoi(c.cell[i][ok]) == fits);
        CHECK(fits == (c.cell[i][tps][0] != '\0'));
        CHECK(fits == !c.cell[i][why][0] ||
              (!fits && strstr(c.cell[i][why], "do not fit")));
    }
    CHECK(!strcmp(c.cell[1][fmt], "sa35") && !strcmp(c.cell[2][fmt], "int8"));
    CHECK(!strcmp(c.cell[2][col(&c, "pe")], "int8"));
    CHECK(!strcmp(c.cell[3][col(&c, "rows")], "64") &&
          !strcmp(c.cell[3][col(&c, "cols")], "64"));
    free(c.text);
    /* another spec into the same directory is refused */
    write_text("other.json", "{\"model\": \"tiny.json\", \"system\": "
                             "\"hbm1\", \"batch\": 2}");
    CHECK(run("sweep other.json -o sw1") == 1);
    CHECK_MSG(strstr(slurp("err.txt"), "holds the points of another spec"),
              "%s", slurp("err.txt"));
    free(first);
    free(again);
    free(sharded);
}

/* A bad spec: status 1, one line naming the spec and each `want`, and no
 * directory. */
#define BAD_SPEC(text, ...)                                                   \
    do {                                                                      \
        write_text("bad.json", text);                                         \
        EXPECT_FAIL("sweep bad.json -o badout", "badout", "bad.json",         \
                    __VA_ARGS__);                                             \
    } while (0)

static void test_bad_specs(void)
{
    write_text("tiny.json", tiny_model);
#define BASE "\"model\": \"tiny.json\", \"system\": \"hbm1\""
    BAD_SPEC("{" BASE ", \"axes\": [", "not valid JSON");
    BAD_SPEC("[1]", "a spec is a JSON object");
    BAD_SPEC("{\"system\": \"hbm1\"}", "\"model\" and \"system\" are required");
    BAD_SPEC("{" BASE ", \"lanes\": 4}", "lanes: unknown key");
    BAD_SPEC("{" BASE ", \"axes\": {\"rows\": [1]}}", "axes: must be a list");
    BAD_SPEC("{" BASE ", \"axes\": [[1]]}", "axes[0]: must be an object");
    BAD_SPEC("{" BASE ", \"axes\": [{\"lanes\": [1, 2]}]}",
             "axes[0].lanes: unknown key");
    BAD_SPEC("{" BASE ", \"axes\": [{\"rows\": []}]}",
             "axes[0].rows: must be a non-empty list");
    BAD_SPEC("{" BASE ", \"axes\": [{\"rows\": [32, \"64\"]}]}",
             "axes[0].rows[1]: must be a number");
    BAD_SPEC("{" BASE ", \"axes\": [{\"rows\": [32.5]}]}",
             "axes[0].rows[0]: must be a whole number");
    BAD_SPEC("{" BASE ", \"axes\": [{\"format\": [\"sa35\", 4]}]}",
             "axes[0].format[1]: must be a string");
    BAD_SPEC("{" BASE ", \"axes\": [{\"rows\": [32, 64], \"cols\": [32]}]}",
             "axes[0].cols: 1 values, but the axes zipped with it have 2");
    BAD_SPEC("{" BASE ", \"axes\": [{\"rows\": [32]}, {\"rows\": [64]}]}",
             "axes[1].rows: the key is an axis twice");
    BAD_SPEC("{" BASE ", \"batch\": 2, \"axes\": [{\"batch\": [1, 4]}]}",
             "axes[0].batch: also given as a base value");
    BAD_SPEC("{" BASE ", \"phase\": \"train\"}",
             "phase: must be \"decode\" or \"prefill\"");
    BAD_SPEC("{" BASE ", \"axes\": [{\"node_nm\": [7, 9]}]}",
             "axes[0].node_nm[1]: must be 180, 45, 16, 7 or 5");
    BAD_SPEC("{" BASE ", \"axes\": [{\"seq\": {\"from\": 8, \"to\": 1, "
             "\"step\": 1}}]}", "axes[0].seq: a range needs from <= to");
    BAD_SPEC("{" BASE ", \"axes\": [{\"seq\": {\"from\": 1, \"to\": 8}}]}",
             "axes[0].seq: a range is");
    BAD_SPEC("{" BASE ", \"axes\": [{\"seq\": {\"from\": 1, \"to\": 8, "
             "\"by\": 2}}]}", "axes[0].seq: unknown range key \"by\"");
    BAD_SPEC("{" BASE ", \"axes\": [{\"batch\": {\"from\": 1, \"to\": 1e6, "
             "\"step\": 1}}]}", "axes[0].batch: more than 100000 values");
    BAD_SPEC("{" BASE ", \"activity\": 2}", "activity: must be \"measured\"");
    BAD_SPEC("{" BASE ", \"throttle\": 1}", "throttle: must be true or false");
    /* what only the point's system can say: named with the point */
    BAD_SPEC("{" BASE ", \"axes\": [{\"format\": [\"sa35\", \"int5\"]}]}",
             "point 1 (format=int5)", "int5");
    BAD_SPEC("{" BASE ", \"rows\": 8, \"axes\": [{\"load_rows\": [4, 16]}]}",
             "point 1 (load_rows=16)", "array.load_rows");
    BAD_SPEC("{\"model\": \"nosuch\", \"system\": \"hbm1\"}", "point 0",
             "nosuch");
    EXPECT_FAIL("sweep --merge nodir", "nodir", "nodir: not a sweep's "
                "directory");
    /* --shard's form */
    EXPECT_FAIL("sweep s12.json -o badout --shard 2/2", "badout",
                "--shard must be I/N with 0 <= I < N");
    /* the strict parser: no sign, no space, no wrap past 32 bits */
    EXPECT_FAIL("sweep s12.json -o badout --shard +0/2", "badout",
                "--shard must be I/N", "'+0/2'");
    EXPECT_FAIL("sweep s12.json -o badout --shard '0/ 2'", "badout",
                "--shard must be I/N");
    EXPECT_FAIL("sweep s12.json -o badout --shard 0/4294967297", "badout",
                "--shard must be I/N");
#undef BASE
}

int main(void)
{
    if (cli_test_init())
        return 1;
    test_expansion();
    test_run_rerun_shards();
    test_bad_specs();
    return TEST_DONE();
}
