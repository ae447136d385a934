/* test_rtl_array.cpp: the Verilog array (rtl/sa35_array.v: skew, PEs with
 * shadow registers, de-skew, load lanes with their column delays) against
 * the C golden GEMM. Built once per array shape (RTL_ROWS x RTL_COLS,
 * RTL_LOAD load lanes) and PE kind (RTL_PE, as sa35_pe_kind: the tile's
 * codes are the kind's code_bits, its activations k_per_row bytes per PE
 * row, and the golden GEMM runs on weights of the kind's format).
 *
 * Five tiles run back to back: tile t+1's weights are written into the
 * shadow registers while tile t streams (tile t on lane t mod L, one row a
 * cycle, so with short tiles several lanes load at once), and its first
 * activation row carries the swap, so the test covers the double buffering
 * and the swap that sweeps the array with the wavefront. Activations include
 * -128 and the kind's most negative weights (the worst products: the
 * kind's product bound, which the psum width RTL_PSUM_W was derived from).
 * Every de-skewed row is checked against sa35_gemm_acc on the same codes. */
#include <cstdio>
#include <cstdlib>
#include <vector>

#include RTL_MODEL_H
#include "rtl_port.h"
#include "sa35_cmodel.h"
#include "sa35_isa.h"

enum { R = RTL_ROWS, C = RTL_COLS, L = RTL_LOAD, PSUM_W = RTL_PSUM_W };
static const sa35_pe_desc *const PE = sa35_pe_info((sa35_pe_kind)RTL_PE);
/* code bits W, k-values per PE row (activation bytes per PE row) */
static const unsigned W = PE->code_bits, KPR = PE->k_per_row;
enum { LATENCY = R + C - 1, TILES = 5 };
/* bits of a lane's row index, as the RTL derives them */
static int row_bits()
{
    int b = 0;
    while ((1 << b) < R)
        b++;
    return b ? b : 1;
}

static uint64_t rng = 12345;
static uint64_t next_rand()
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The code whose weights are the most negative (times a = -128: the
 * largest product sum), and that sum. */
static uint32_t worst_code(int *sum)
{
    uint32_t best = 0;
    int most = 0;
    for (uint32_t code = 0; code < 1u << W; code++) {
        int8_t w[2] = {0, 0};
        PE->unpack(code, w);
        int s = -128 * (w[0] + w[1]);
        if (s > most)
            most = s, best = code;
    }
    *sum = most;
    return best;
}

struct tile {
    std::vector<uint32_t> code; /* R x C */
    std::vector<int8_t> act;    /* M x KPR R */
    int m;
    std::vector<int32_t> want; /* M x C */
};

static void make_tile(tile &t, int m, int corner)
{
    t.m = m;
    t.code.resize(R * C);
    t.act.resize((size_t)m * KPR * R);
    int worst;
    const uint32_t corner_code = worst_code(&worst);
    for (auto &c : t.code)
        c = corner ? corner_code : (uint32_t)(next_rand() & ((1u << W) - 1));
    for (auto &a : t.act)
        a = corner ? (int8_t)-128 : (int8_t)(next_rand() & 0xFF);
    /* golden: the tile as a K = KPR R x N = C weight of the kind's format,
     * PE row r's code at bit W r of column c's stream (docs/architecture.md,
     * "PE kinds") */
    sa35_qweights q;
    sa35_err err;
    if (sa35_qweights_alloc(&q, PE->fmt, (int64_t)KPR * R, C, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    for (int c = 0; c < C; c++)
        for (int r = 0; r < R; r++)
            sa35_stream_store(q.qweight + (size_t)c * q.colbytes,
                              W * (uint32_t)r, W, t.code[r * C + c]);
    t.want.resize((size_t)m * C);
    sa35_gemm_acc(t.act.data(), m, &q, t.want.data(), NULL);
    sa35_qweights_free(&q);
}

int main()
{
    /* the psum width CMake derived from RTL_BOUND is the kind's, and the
     * corner tile reaches that bound */
    int worst;
    worst_code(&worst);
    if (RTL_BOUND != sa35_pe_product_bound(PE) ||
        (uint32_t)worst != sa35_pe_product_bound(PE)) {
        fprintf(stderr, "test_rtl_array: %s product bound %u, built with "
                        "%d, worst code reaches %d\n",
                PE->name, sa35_pe_product_bound(PE), RTL_BOUND, worst);
        return 1;
    }
    Vsa35_model m;
    int fails = 0, rows_checked = 0;
    long cycle = 0;
    auto tick = [&]() {
        m.clk_i = 0;
        m.eval();
        m.clk_i = 1;
        m.eval();
        cycle++;
    };
    std::vector<tile> tiles(TILES);
    make_tile(tiles[0], 5, 0);
    make_tile(tiles[1], 1, 1); /* M = 1, all corners */
    make_tile(tiles[2], 2 * R + 3, 0);
    make_tile(tiles[3], 1, 0);
    make_tile(tiles[4], 2, 0);
    const int RW = row_bits();

    m.rst_i = 1;
    tick();
    tick();
    m.rst_i = 0;

    /* Schedule (docs/architecture.md, "Load engine"). Tile t loads on lane
     * t mod L from cycle ld[t], row r in cycle ld[t] + r, and PE(r, c)
     * takes its code at the end of cycle ld[t] + r + c; tile t's swap
     * reaches PE(r, c) in cycle start[t] + r + c. So ld[t] > start[t-1]
     * (the previous tile's swap has copied the shadow code), start[t] >
     * ld[t] (the swap sees the new code), and a lane takes a tile once its
     * previous one has read its R rows. Tiles stream as early as that
     * allows. */
    std::vector<long> start(TILES), ld(TILES), lane_free(L, 0);
    ld[0] = 0;
    start[0] = 1;
    lane_free[0] = R;
    for (int t = 1; t < TILES; t++) {
        long x = start[t - 1] + 1;
        ld[t] = x > lane_free[t % L] ? x : lane_free[t % L];
        lane_free[t % L] = ld[t] + R;
        start[t] = start[t - 1] + tiles[t - 1].m > ld[t] + 1
                       ? start[t - 1] + tiles[t - 1].m
                       : ld[t] + 1;
    }
    long total = start[TILES - 1] + tiles[TILES - 1].m + LATENCY + 2;

    for (long cyc = 0; cyc < total; cyc++) {
        /* inputs for this cycle */
        m.swap_i = 0;
        for (int l = 0; l < L; l++)
            port_set(m.ld_valid_i, (unsigned)l, 1, 0);
        for (unsigned j = 0; j < KPR * R; j++)
            port_set(m.act_i, 8 * j, 8, 0);
        for (int t = 0; t < TILES; t++) {
            long i = cyc - start[t];
            if (i < 0 || i >= tiles[t].m)
                continue;
            /* byte j of the row: PE row j / KPR, k = j */
            const int8_t *a = &tiles[t].act[(size_t)i * KPR * R];
            for (unsigned j = 0; j < KPR * R; j++)
                port_set(m.act_i, 8 * j, 8, (uint8_t)a[j]);
            m.swap_i = i == 0;
        }
        for (int t = 0; t < TILES; t++) {
            long r = cyc - ld[t];
            if (r < 0 || r >= R)
                continue;
            int l = t % L;
            port_set(m.ld_valid_i, (unsigned)l, 1, 1);
            port_set(m.ld_row_i, (unsigned)(l * RW), (unsigned)RW,
                     (uint64_t)r);
            for (int c = 0; c < C; c++)
                port_set(m.ld_data_i, (unsigned)(l * C + c) * W, W,
                         tiles[t].code[r * C + c]);
        }
        tick();
        /* outputs: the row streamed LATENCY cycles ago */
        for (int t = 0; t < TILES; t++) {
            long i = cyc + 1 - LATENCY - start[t];
            if (i < 0 || i >= tiles[t].m)
                continue;
            rows_checked++;
            for (int c = 0; c < C; c++) {
                int64_t got = port_get_signed(m.psum_o,
                                              (unsigned)(c * PSUM_W), PSUM_W);
                int32_t want = tiles[t].want[i * C + c];
                if (got != want && fails++ < 10)
                    fprintf(stderr,
                            "tile %d row %ld col %d: rtl %lld, golden %d\n",
                            t, i, c, (long long)got, want);
            }
        }
    }
    m.final();
    int want_rows = 0;
    for (const tile &t : tiles)
        want_rows += t.m;
    if (rows_checked != want_rows)
        fails++;
    fprintf(stderr, "test_rtl_array %dx%d (L=%d, %s PEs): %d rows in %ld "
            "cycles, %d failure(s)\n", R, C, L, PE->name, rows_checked, cycle,
            fails);
    return fails ? 1 : 0;
}
