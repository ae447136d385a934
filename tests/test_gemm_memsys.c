/* test_gemm_memsys.c: `sa35 gemm` and `sa35 sim` take the same memory
 * system and clock (--load-rows, --dram-bw, --dram-latency, --clock): the
 * timing engine's counters equal the simulator's and `sa35 sim`'s for the
 * same options; --dram-bw as a decimal bytes per second becomes the exact
 * ratio per cycle at the clock; bad values are refused on one line; and
 * the strict decimal parsers under them (cmodel/parse_int.c). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sa35_cmodel.h"
#include "sa35_io.h"
#include "cli_test_util.h"
#include "test_util.h"

static cJSON *read_json(const char *name)
{
    sa35_err err;
    char *text = sa35_read_text(path_of(name), &err);
    cJSON *js = text ? cJSON_Parse(text) : NULL;
    free(text);
    CHECK_MSG(js, "%s", name);
    return js;
}

static double num(const cJSON *js, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(js, key);
    CHECK_MSG(cJSON_IsNumber(v), "no number '%s'", key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1.0;
}

/* Every top-level number of a equals b's (the TIMING counters and the
 * arch they ran on); "activity" (DATA counters) and "engine" are not
 * compared. */
static int same_counters(const cJSON *a, const cJSON *b)
{
    int same = 1, n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, a) {
        if (!cJSON_IsNumber(e))
            continue;
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(b, e->string);
        n++;
        if (!cJSON_IsNumber(o) || o->valuedouble != e->valuedouble) {
            fprintf(stderr, "counter %s: %g vs %g\n", e->string,
                    e->valuedouble, cJSON_IsNumber(o) ? o->valuedouble : -1);
            same = 0;
        }
    }
    return same && n > 5;
}

static void test_parity(void)
{
    static const struct {
        const char *fmt, *pe, *group;
    } cases[] = {{"sa35", "sa35", ""}, {"int8", "int8", ""},
                 {"sa35", "sa35", "--group 32"}};
    const char *mem = "--array 16x16 --load-rows 2 --dram-bw 1.5e9 "
                      "--clock 1e9 --dram-latency 20";
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "randn --shape 200,40 -o w.npy --seed %zu",
                 c + 1);
        CHECK(run(cmd) == 0);
        CHECK(run("randn --shape 7,200 -o x.npy") == 0);
        snprintf(cmd, sizeof cmd, "quantize w.npy -o wq.safetensors "
                 "--format %s %s", cases[c].fmt, cases[c].group);
        CHECK(run(cmd) == 0);
        snprintf(cmd, sizeof cmd, "gemm wq.safetensors x.npy --engine timing "
                 "--stats t.json %s", mem);
        CHECK_MSG(run(cmd) == 0, "%s", slurp("err.txt"));
        CHECK(strstr(slurp("out.txt"), "at a 1000000000 Hz clock"));
        snprintf(cmd, sizeof cmd, "gemm wq.safetensors x.npy -o y.npy "
                 "--engine sim --stats s.json %s", mem);
        CHECK_MSG(run(cmd) == 0, "%s", slurp("err.txt"));
        snprintf(cmd, sizeof cmd, "sim --gemm 7,200,40 --pe %s %s --stats "
                 "c.json %s", cases[c].pe, cases[c].group, mem);
        CHECK_MSG(run(cmd) == 0, "%s", slurp("err.txt"));
        snprintf(cmd, sizeof cmd, "gemm wq.safetensors x.npy --engine timing "
                 "--stats d.json --array 16x16");
        CHECK(run(cmd) == 0);
        cJSON *t = read_json("t.json"), *s = read_json("s.json"),
              *m = read_json("c.json"), *d = read_json("d.json");
        CHECK_MSG(same_counters(t, s), "case %zu: timing != sim", c);
        CHECK_MSG(same_counters(t, m), "case %zu: gemm != sa35 sim", c);
        /* the options took effect: 3/2 bytes a cycle, 2 lanes, 1 GHz */
        CHECK(num(t, "dram_bw_num") == 3 && num(t, "dram_bw_den") == 2 &&
              num(t, "load_lanes") == 2 && num(t, "dram_latency") == 20 &&
              num(t, "clock_hz") == 1e9);
        CHECK(num(t, "seconds") == num(t, "cycles") / 1e9);
        CHECK(num(t, "cycles") > num(d, "cycles") &&
              num(d, "dram_bw_num") == 0 && num(d, "clock_hz") == 900e6);
        cJSON_Delete(t);
        cJSON_Delete(s);
        cJSON_Delete(m);
        cJSON_Delete(d);
    }
    /* the same memory given both ways is the same run */
    CHECK(run("sim --gemm 8,640,640 --dram-bw 1638.4e9 --clock 900e6 "
              "--stats a.json") == 0);
    CHECK(strstr(slurp("out.txt"), "at a 900000000 Hz clock"));
    CHECK(run("sim --gemm 8,640,640 --dram-bw 16384/9 --stats b.json") == 0);
    cJSON *a = read_json("a.json"), *b = read_json("b.json");
    CHECK(num(a, "dram_bw_num") == 16384 && num(a, "dram_bw_den") == 9);
    CHECK(same_counters(a, b));
    cJSON_Delete(a);
    cJSON_Delete(b);
    /* the default clock, for bytes per second too */
    CHECK(run("sim --gemm 8,640,640 --dram-bw 1.8e9 --stats a.json") == 0);
    a = read_json("a.json");
    CHECK(num(a, "dram_bw_num") == 2 && num(a, "dram_bw_den") == 1);
    cJSON_Delete(a);
}

static void test_refused(void)
{
    CHECK(run("randn --shape 64,8 -o w.npy") == 0);
    CHECK(run("randn --shape 2,64 -o x.npy") == 0);
    CHECK(run("quantize w.npy -o wq.safetensors") == 0);
    EXPECT_FAIL("sim --gemm 8,8,8 --dram-bw 0.0e9 --stats o.json", "o.json",
                "--dram-bw '0.0e9' bytes per second is not positive");
    EXPECT_FAIL("sim --gemm 8,8,8 --dram-bw -1.5e9 --stats o.json", "o.json",
                "bad --dram-bw '-1.5e9'");
    EXPECT_FAIL("sim --gemm 8,8,8 --dram-bw 1e-30 --stats o.json", "o.json",
                "--dram-bw '1e-30'", "not a ratio NUM/DEN");
    EXPECT_FAIL("sim --gemm 8,8,8 --dram-bw 1e400 --stats o.json", "o.json",
                "--dram-bw '1e400'", "not a ratio NUM/DEN");
    EXPECT_FAIL("sim --gemm 8,8,8 --dram-bw 1.5e9x --stats o.json", "o.json",
                "bad --dram-bw '1.5e9x'");
    EXPECT_FAIL("sim --gemm 8,8,8 --dram-bw 1638400000000 --stats o.json",
                "o.json", "bad --dram-bw '1638400000000'",
                "bytes per second (1638.4e9)");
    EXPECT_FAIL("sim --gemm 8,8,8 --clock 0 --stats o.json", "o.json",
                "--clock must be a frequency in Hz", "'0'");
    EXPECT_FAIL("sim --gemm 8,8,8 --clock inf --stats o.json", "o.json",
                "--clock", "'inf'");
    EXPECT_FAIL("sim --gemm 8,8,8 --clock ' 9e8' --stats o.json", "o.json",
                "--clock", "' 9e8'");
    EXPECT_FAIL("gemm wq.safetensors x.npy -o y.npy --clock 1e9", "y.npy",
                "the golden engine models no memory system");
    EXPECT_FAIL("gemm wq.safetensors x.npy -o y.npy --engine cpu "
                "--load-rows 2",
                "y.npy", "the cpu engine models no memory system");
    EXPECT_FAIL("gemm wq.safetensors x.npy -o y.npy --engine sim "
                "--array 8x8 --dram-latency 3",
                "y.npy", "--dram-latency needs --dram-bw");
    EXPECT_FAIL("gemm wq.safetensors x.npy -o y.npy --engine sim "
                "--array 8x8 --load-rows 9",
                "y.npy", "load");
    EXPECT_FAIL("gemm wq.safetensors x.npy -o y.npy --engine sim "
                "--load-rows +2",
                "y.npy", "--load-rows must be an integer");
}

static void test_parsers(void)
{
    uint64_t m, n, d;
    int32_t e;
    double v;
    CHECK(sa35_parse_decimal("1638.4e9", 8, &m, &e) == 0 && m == 16384 &&
          e == 8);
    CHECK(sa35_parse_decimal("900e6", 5, &m, &e) == 0 && m == 9 && e == 8);
    CHECK(sa35_parse_decimal("0.00125", 7, &m, &e) == 0 && m == 125 &&
          e == -5);
    CHECK(sa35_parse_decimal("1.5E+3", 6, &m, &e) == 0 && m == 15 && e == 2);
    CHECK(sa35_parse_decimal("000", 3, &m, &e) == 0 && m == 0);
    CHECK(sa35_parse_decimal("18446744073709551615", 20, &m, &e) == 0 &&
          m == UINT64_MAX && e == 0);
    CHECK(sa35_parse_decimal("18446744073709551616", 20, &m, &e) == -1);
    static const char *const bad[] = {"", ".", "+1", "-1", " 1", "1 ", "1e",
                                      "1e+", "1..2", "0x10", "inf", "nan",
                                      "1e9999999", "1,5", "e5"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_MSG(sa35_parse_decimal(bad[i], strlen(bad[i]), &m, &e) == -1,
                  "'%s' accepted", bad[i]);
        CHECK_MSG(sa35_parse_double(bad[i], strlen(bad[i]), 0, 1e300, &v) ==
                      -1,
                  "'%s' accepted", bad[i]);
    }
    CHECK(sa35_parse_double("900e6", 5, 1, 1e15, &v) == 0 && v == 900e6);
    CHECK(sa35_parse_double("2e15", 4, 1, 1e15, &v) == -1);
    CHECK(sa35_parse_double("1e999", 5, 0, 1e308, &v) == -1); /* inf */
    /* ratios, exact and in lowest terms */
    CHECK(sa35_decimal_ratio(16384, 8, 9, 8, UINT32_MAX, &n, &d) == 0 &&
          n == 16384 && d == 9);
    CHECK(sa35_decimal_ratio(15, 8, 1, 9, UINT32_MAX, &n, &d) == 0 &&
          n == 3 && d == 2);
    CHECK(sa35_decimal_ratio(1, -3, 25, 0, UINT32_MAX, &n, &d) == 0 &&
          n == 1 && d == 25000);
    CHECK(sa35_decimal_ratio(1, -30, 9, 8, UINT32_MAX, &n, &d) == -1);
    CHECK(sa35_decimal_ratio(0, 0, 9, 8, UINT32_MAX, &n, &d) == -1);
    CHECK(sa35_decimal_ratio(1, 0, 0, 0, UINT32_MAX, &n, &d) == -1);
    CHECK(sa35_decimal_ratio(UINT32_MAX, 0, 1, 0, UINT32_MAX, &n, &d) == 0 &&
          n == UINT32_MAX && d == 1);
    CHECK(sa35_decimal_ratio(1, 10, 1, 0, UINT32_MAX, &n, &d) == -1);
}

int main(void)
{
    if (cli_test_init())
        return 1;
    test_parsers();
    test_parity();
    test_refused();
    CHECK(temp_files_left() == 0);
    return TEST_DONE();
}
