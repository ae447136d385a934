/* rtl_model.h: the harness around one Verilated sa35_top, a template over
 * the model class (one class per model: array size, load lanes, PE kind).
 * It only moves bytes between the model's ports and the C memories (the
 * port widths follow the PE kind: ld_data_i holds cols codes of its
 * code_bits, act_data_i act_len_o bytes), and calls the ISA's own functions
 * for what the RTL leaves to the testbench (dma copies, the output unit's
 * rows): the logic stays in Verilog and C. Per cycle:
 *   1. the instruction at imem_addr_o goes on imem_data_i, clock low, eval
 *   2. requests of the cycle, in the simulator's order (sim/cyc_run.c): a
 *      queued dma's source read, out row, dma issued now (ideal memory:
 *      the whole copy; else its source read if its transfer starts now),
 *      activation row read, weight row reads (one per busy load lane),
 *      a dma.ld's bytes landing in SRAM
 *   3. clock high, eval (the edge)
 * The channel's buffers (one per FIFO slot of sa35_dma.v) are testbench
 * memories here, like the SRAM.
 *
 * The statistics (every TIMING counter of sa35_sim.h, as sim/cyc_*.c
 * counts them) are counted here from what the RTL does in each cycle: the
 * requests on its memory ports (bytes read and written, rows streamed) and
 * its stat_* event outputs (issues and their opcodes, the PEs a streamed
 * row keeps busy, the cycle an ldw's last code lands); nothing is derived
 * from the program text (docs/rtl.md, "Statistics"). */
#ifndef SA35_RTL_MODEL_H
#define SA35_RTL_MODEL_H

#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "rtl_port.h"
#include "sa35_rtl.h"
#include "sa35_sim.h"
#include "verilated_fst_c.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the harness copies bytes straight into Verilated ports");

/* What the harness needs to know of a model beyond its class. */
struct rtl_shape {
    int rows, cols, load_rows;
    sa35_pe_kind pe; /* the model's PeKind */
    int acc_rows;
};

/* Copy n bytes into a port (the rest of the port becomes 0). */
template <class T>
static inline void port_load_bytes(T &p, const uint8_t *src, size_t n)
{
    std::memset(&p, 0, sizeof p);
    std::memcpy(&p, src, n < sizeof p ? n : sizeof p);
}

/* A watchdog: no program waits this long without issuing. */
enum { RTL_HANG_CYCLES = 1 << 22 };

/* The counters of one cycle's events, in the definitions of sim/cyc_*.c
 * (docs/architecture.md, "Counters"). The left edge's first and last busy
 * cycles give fill, stall and drain at the end (rtl_stats_end). */
struct rtl_stat_state {
    int64_t first_row = -1; /* the cycle the left edge took its first row */
    int64_t last_row = -1;  /* and its last                               */
};

template <class V>
static void rtl_stats_cycle(const V &m, const rtl_shape &sh, bool ideal,
                            int64_t t, rtl_stat_state &ss, sa35_stats *st)
{
    if (m.stat_issue_o) {
        st->instructions++;
        st->weight_loads += m.stat_op_o == SA35_OP_LDW;
    }
    if (m.act_valid_o) { /* a row of the streaming mm enters the array */
        const uint64_t busy = (uint64_t)m.stat_act_rows_o * m.stat_act_cols_o;
        st->stream_cycles++;
        st->pe_busy_cycles += busy;
        st->macs += sa35_pe_info(sh.pe)->k_per_row * busy;
        st->sram_read_bytes += m.act_len_o;
        if (ss.first_row < 0)
            ss.first_row = t;
        ss.last_row = t;
    }
    for (unsigned l = 0; l < (unsigned)sh.load_rows; l++) {
        if (port_get(m.ld_valid_o, l, 1)) /* a tile row read */
            st->sram_read_bytes += port_get(m.ld_rowbytes_o, 16 * l, 16);
        if (port_get(m.stat_ld_land_o, l, 1)) /* issue to last code */
            st->weight_load_cycles +=
                port_get(m.stat_ld_land_rows_o, 16 * l, 16) +
                (uint64_t)sh.cols - 1;
    }
    if (m.out_valid_o) {
        st->sram_write_bytes += 4ull * m.out_cols_o;
        /* sa[i]; s and z at row 0 (out.fp.scale: sa only) */
        if (m.out_flags_o & SA35_OUT_SCALE)
            st->sram_read_bytes +=
                4 + (m.out_row_o == 0 && !(m.out_flags_o & SA35_OUT_FP)
                         ? 8ull * m.out_cols_o
                         : 0);
    }
    /* a dma's source read (the whole copy with the ideal memory), and a
     * dma.ld's bytes landing in SRAM */
    auto source = [&](bool store, uint64_t bytes) {
        if (store)
            st->sram_read_bytes += bytes, st->dram_write_bytes += bytes;
        else
            st->dram_read_bytes += bytes;
        if (ideal && !store)
            st->sram_write_bytes += bytes;
    };
    if (m.dma_valid_o)
        source(m.dma_store_o, m.dma_bytes_o);
    if (m.dq_rd_valid_o)
        source(m.dq_rd_store_o, m.dq_rd_bytes_o);
    if (m.dq_land_valid_o && !m.dq_land_store_o)
        st->sram_write_bytes += m.dq_land_bytes_o;
}

/* cycles = fill + stream + stall + drain (sim/cyc_run.c) */
static inline void rtl_stats_end(const rtl_stat_state &ss, uint64_t cycles,
                                 sa35_stats *st)
{
    st->cycles = cycles;
    if (ss.first_row < 0) {
        st->fill_cycles = cycles;
        return;
    }
    const uint64_t span = (uint64_t)(ss.last_row + 1 - ss.first_row);
    st->fill_cycles = (uint64_t)ss.first_row;
    st->stall_cycles = span - st->stream_cycles;
    st->drain_cycles = cycles - (uint64_t)(ss.last_row + 1);
}

template <class V>
static int rtl_run_model(const rtl_shape &sh, const sa35_arch *a,
                         const uint8_t *bin, uint32_t count, sa35_mem mem,
                         const sa35_rtl_opts *opts, sa35_stats *st,
                         sa35_err *err)
{
    std::memset(st, 0, sizeof *st);
    rtl_stat_state ss;
    const char *trace = opts ? opts->trace_path : nullptr;
    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    ctx->traceEverOn(trace != nullptr);
    std::unique_ptr<V> m(new V(ctx.get(), "sa35"));
    std::unique_ptr<VerilatedFstC> tfp;
    if (trace) {
        tfp.reset(new VerilatedFstC);
        m->trace(tfp.get(), 99);
        tfp->open(trace);
        if (!tfp->isOpen())
            return sa35_err_set(err, "%s: cannot write the trace", trace);
    }
    uint64_t now = 0;
    auto edge = [&](int clk) {
        m->clk_i = (uint8_t)clk;
        m->eval();
        if (tfp)
            tfp->dump(now);
        now++;
    };
    m->prog_count_i = count;
    m->acc_rows_i = (uint16_t)a->acc_rows;
    m->dram_bw_num_i = a->dram_bw_num;
    m->dram_bw_den_i = a->dram_bw_num ? a->dram_bw_den : 1;
    m->dram_latency_i = a->dram_bw_num ? (uint32_t)a->dram_latency : 0;
    const bool ideal = a->dram_bw_num == 0;
    /* the channel buffers, by slot (the slot ports are 5 bits at most) */
    std::vector<std::vector<uint8_t>> dbuf(64);
    /* a transfer reads its source: a dma.st its whole copy, a dma.ld into
     * its slot's buffer */
    auto dma_read = [&](bool store, uint64_t dram, uint32_t sram,
                        uint32_t bytes, unsigned slot) {
        if (store) {
            std::memcpy(mem.dram + dram, mem.sram + sram, bytes);
        } else {
            dbuf[slot].assign(mem.dram + dram, mem.dram + dram + bytes);
        }
    };
    m->rst_i = 1;
    edge(0);
    edge(1);
    m->rst_i = 0;

    /* a lane's port: cols codes of the kind's code_bits (ld_data_i) */
    const size_t rowbits = (size_t)sh.cols * sa35_pe_info(sh.pe)->code_bits;
    std::vector<int32_t> accrow((size_t)sh.cols);
    uint64_t t = 0, last_issue = 0;
    uint32_t last_pc = 0;
    int rc = 0;
    for (;; t++) {
        uint32_t pc = m->imem_addr_o;
        if (pc < count)
            port_load_bytes(m->imem_data_i, bin + 16 * ((size_t)pc + 1), 16);
        edge(0);
        if (m->mem_err_o) {
            rc = sa35_err_set(err, "the RTL's DMA FIFO or SRAM scoreboard "
                                   "is full (cycle %llu): a bigger one is "
                                   "needed for this program",
                              (unsigned long long)t);
            break;
        }
        if (m->done_o)
            break;
        if (pc != last_pc)
            last_pc = pc, last_issue = t;
        else if (t - last_issue > RTL_HANG_CYCLES) {
            rc = sa35_err_set(err, "the RTL made no progress for %d cycles "
                                   "at instruction %u (cycle %llu)",
                              RTL_HANG_CYCLES, pc, (unsigned long long)t);
            break;
        }
        rtl_stats_cycle(*m, sh, ideal, (int64_t)t, ss, st);
        if (m->dq_rd_valid_o)
            dma_read(m->dq_rd_store_o, m->dq_rd_dram_o, m->dq_rd_sram_o,
                     m->dq_rd_bytes_o, m->dq_rd_slot_o);
        if (m->out_valid_o) {
            sa35_instr in;
            std::memset(&in, 0, sizeof in);
            in.op = SA35_OP_OUT;
            in.flags = m->out_flags_o;
            in.sram = m->out_sram_o;
            in.stride = m->out_stride_o;
            in.cols = m->out_cols_o;
            sa35_scale_regs scl = {m->out_scl_sa_o, m->out_scl_s_o,
                                   m->out_scl_z_o, 1};
            std::memcpy(accrow.data(), &m->out_acc_o,
                        accrow.size() * sizeof(int32_t));
            sa35_exec_out_row(&in, &scl, m->out_row_o, accrow.data(),
                              (int32_t)m->out_rsum_o, &mem);
        }
        if (m->dma_valid_o && !ideal) {
            dma_read(m->dma_store_o, m->dma_dram_o, m->dma_sram_o,
                     m->dma_bytes_o, m->dma_slot_o);
        } else if (m->dma_valid_o) {
            sa35_instr in;
            std::memset(&in, 0, sizeof in);
            in.op = m->dma_store_o ? SA35_OP_DMA_ST : SA35_OP_DMA_LD;
            in.dram = m->dma_dram_o;
            in.sram = m->dma_sram_o;
            in.bytes = m->dma_bytes_o;
            sa35_exec_dma(&in, &mem);
        }
        if (m->act_valid_o)
            port_load_bytes(m->act_data_i, mem.sram + m->act_addr_o,
                            m->act_len_o);
        /* every load lane reads one whole tile row, all in this cycle, or
         * (ld_scale_o, at most one lane) an ldw.gs's scale words */
        for (unsigned l = 0; l < (unsigned)sh.load_rows; l++) {
            if (!port_get(m->ld_valid_o, l, 1))
                continue;
            const uint8_t *row =
                mem.sram + port_get(m->ld_addr_o, 32 * l, 32);
            unsigned rb = (unsigned)port_get(m->ld_rowbytes_o, 16 * l, 16);
            if (port_get(m->ld_scale_o, l, 1)) {
                port_load_bytes(m->sc_data_i, row, rb);
                continue;
            }
            for (unsigned j = 0; j < rb && 8 * j < rowbits; j++) {
                unsigned w = rowbits - 8 * j < 8
                                 ? (unsigned)(rowbits - 8 * j)
                                 : 8;
                port_set(m->ld_data_i, (unsigned)(l * rowbits + 8 * j), w,
                         row[j]);
            }
        }
        if (m->dq_land_valid_o && !m->dq_land_store_o) {
            const std::vector<uint8_t> &b = dbuf[m->dq_land_slot_o];
            if (b.size() != m->dq_land_bytes_o) {
                rc = sa35_err_set(err, "internal: the RTL landed slot %u "
                                       "before reading it (cycle %llu)",
                                  (unsigned)m->dq_land_slot_o,
                                  (unsigned long long)t);
                break;
            }
            std::memcpy(mem.sram + m->dq_land_sram_o, b.data(), b.size());
            dbuf[m->dq_land_slot_o].clear();
        }
        edge(1);
    }
    m->final();
    if (tfp)
        tfp->close();
    rtl_stats_end(ss, t, st);
    return rc;
}

#endif
