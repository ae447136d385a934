// sa35_ctrl: the controller. It fetches the binary program (docs/isa.md),
// decodes each 16-byte instruction (sa35_decode: the named fields of the
// ISA table, isa/include/sa35_isa.def), issues at most one per cycle when its
// interlocks allow, and runs the three engines that work in the background:
// the left-edge streamer (mm), the weight load engine (ldw) and the output
// unit's row sequencer (out). The cycle timeline is the one of
// docs/architecture.md ("Timing rules") and sim/cyc_run.c; each cycle:
//
//   output unit  start a waiting out once the one before has finished and
//                no mm in flight writes its accumulator banks; one row a cycle
//   issue        the instruction at pc, if ready (below)
//   left edge    row i of the mm streaming now enters the array (row 0 in
//                the mm's issue cycle)
//   load lanes   L lanes; ldw number j takes lane j mod L. Issued in cycle
//                X with n rows, the lane reads tile row r in cycle X + r
//                (r < n, row 0 in the issue cycle); the array delays column
//                c by c cycles, so PE(r, c) takes its code at the end of
//                cycle X + r + c (docs/architecture.md, "Load engine");
//                an ldw.gs reads its 4 cols bytes of scale words in cycle
//                X + n too (ld_scale_o), and column c's scale unit takes
//                its word at the end of X + n + c ("The scale row")
//
// Ready rules (t = this cycle):
//   ldw      its lane (j mod L) is free: t >= X + n of the lane's last ldw
//            (X + n + 1 for an ldw.gs); an ldw.gs also t >= Sp + Rows + 1
//            - n, Sp the issue of the last mm.swap before it (its words
//            land after the swap that used the previous ones)
//   mm       t >= the previous mm's issue + its m; no waiting out shares
//            its banks (no load interlock: the swap wave runs behind the
//            diagonal of the ldw issued before it)
//   out      no out is waiting (one runs, one waits)
//   dma.st   no out is waiting and the output unit writes no row this cycle
//   sync     no mm in flight, every lane idle and its last code landed
//            (t >= X + n + C - 1 of every ldw), output unit idle, every
//            dma ended (t >= D of each; the ideal memory's: issue + 1)
//   dma.ld, scl   always (but the memory system's rules below)
//
// The memory system (docs/architecture.md, "The memory system"): with
// dram_bw_num_i = 0 (the ideal memory) a dma moves its bytes in its issue
// cycle (dma_valid_o) and there is no scoreboard. Otherwise the channel
// (sa35_dma) runs the transfers in order and the scoreboard
// (sa35_scoreboard) adds to the rules above:
//   dma.ld        its SRAM range is free to write (no overlapping write
//                 until its last cycle, no overlapping read after this one)
//   dma.st, ldw, mm   their SRAM range is free to read (no overlapping
//                 write up to this cycle)
//   out (start)   its SRAM rows are free to write, its .scale arrays to read
//   any of these  while an out waits, no access overlapping its rows (a
//                 dma.ld: also its .scale arrays)
// and records every access window (dma.ld: D - 1, dma.st: T, ldw: X + n -
// 1, mm: S + m - 1, out: O + rows - 1). A full channel FIFO or scoreboard
// raises mem_err_o and the run is void.
//
// The PE kind (PeKind, sa35_pe_kind.vh) changes two numbers here, nothing
// in the timing: the bytes of a tile row, ceil(CodeW cols / 8), and the
// activation bytes of an mm row, KPerRow krows.
//
// Memories are outside (testbench models, docs/rtl.md): the instruction
// memory, SRAM reads for activations and weight rows, dma copies and output
// rows are requests on ports, answered in the same cycle.
//
// Group scaling (docs/architecture.md, "The scale row"): the .gs flag of
// the streaming mm leaves with each row (act_gs_o) and travels with it to
// the scale row and the accumulators; out.fp passes its flag to the output
// unit (out_flags_o, the instruction's flag bits).
//
// Statistics: the harness counts the engines' TIMING counters from the
// memory ports and from a few event outputs that no port shows: the issue
// strobe with its opcode (issue_o, issue_op_o), the active tile's columns
// of the row at the left edge (act_cols_o, beside act_krows_o), and per
// lane the cycle the last code of an ldw lands in PE(rows - 1, Cols - 1)
// with its rows (ld_land_o, ld_land_rows_o). They drive nothing inside.
module sa35_ctrl #(
  parameter integer Rows     = 4,
  parameter integer Cols     = 4,
  parameter integer LoadRows = 1,
  parameter integer PeKind   = 0,   // 0 sa35, 1 int4, 2 int8
  parameter integer CycleW   = 48,
  parameter integer TagW     = 21,  // see sa35_top: valid, first, last, banks, row
  parameter integer DmaDepth = 32,  // channel FIFO slots (power of two)
  parameter integer SbEntries = 32  // scoreboard entries
) (
  input  wire              clk_i,
  input  wire              rst_i,
  input  wire [31:0]       prog_count_i,  // instructions in the program
  input  wire [15:0]       acc_rows_i,    // accumulator rows in use (even)
  // the memory system: bytes per cycle num/den (num 0: ideal), latency
  input  wire [31:0]       dram_bw_num_i,
  input  wire [31:0]       dram_bw_den_i,
  input  wire [31:0]       dram_latency_i,
  output wire              mem_err_o,     // channel FIFO or scoreboard full
  // instruction memory: instruction imem_addr_o, bytes 0..15 little-endian
  output wire [31:0]       imem_addr_o,
  input  wire [127:0]      imem_data_i,
  output wire              done_o,
  output wire [CycleW-1:0] cycle_o,
  output wire              issue_o,
  output wire [7:0]        issue_op_o,    // the opcode issued (with issue_o)
  // dma issued now: ideal memory, the whole copy; else, when its transfer
  // starts now, its source read (into the channel buffer dma_slot_o)
  output wire              dma_valid_o,
  output wire              dma_store_o,   // 1: SRAM -> off-chip
  output wire [47:0]       dma_dram_o,
  output wire [31:0]       dma_sram_o,
  output wire [31:0]       dma_bytes_o,
  output wire [$clog2(DmaDepth)-1:0]  dma_slot_o,
  // a queued transfer reads its source (first thing in the cycle)
  output wire              dq_rd_valid_o,
  output wire [$clog2(DmaDepth)-1:0]  dq_rd_slot_o,
  output wire              dq_rd_store_o,
  output wire [47:0]       dq_rd_dram_o,
  output wire [31:0]       dq_rd_sram_o,
  output wire [31:0]       dq_rd_bytes_o,
  // a transfer ends: a dma.ld's buffer lands in SRAM at the end of the cycle
  output wire              dq_land_valid_o,
  output wire [$clog2(DmaDepth)-1:0]  dq_land_slot_o,
  output wire              dq_land_store_o,
  output wire [31:0]       dq_land_sram_o,
  output wire [31:0]       dq_land_bytes_o,
  // left edge: activation row read, and the row's attributes
  output wire              act_valid_o,
  output wire [31:0]       act_addr_o,
  output wire [16:0]       act_len_o,     // KPerRow * krows bytes
  output wire [15:0]       act_krows_o,
  output wire [15:0]       act_cols_o,    // the active tile's columns
  output wire              act_swap_o,
  output wire              act_gs_o,      // the row is group-scaled (mm.gs)
  output wire [TagW-1:0]   tag_o,         // enters the tag pipeline
  input  wire [TagW-1:0]   tag_i,         // leaves it at the accumulators
  // load lanes: lane l reads tile row ld_row_o[16l +: 16] this cycle
  output wire [LoadRows-1:0]    ld_valid_o,
  output wire [LoadRows*32-1:0] ld_addr_o,     // SRAM address of that row
  output wire [LoadRows*16-1:0] ld_rowbytes_o,
  output wire [LoadRows*16-1:0] ld_row_o,
  output wire [LoadRows*16-1:0] ld_cols_o,
  // lane l reads the scale words of an ldw.gs (4 cols bytes), not a row
  output wire [LoadRows-1:0]    ld_scale_o,
  // lane l: the last code of its ldw lands this cycle (for the statistics)
  output wire [LoadRows-1:0]    ld_land_o,
  output wire [LoadRows*16-1:0] ld_land_rows_o, // that ldw's rows
  // output unit: one accumulator row a cycle
  output wire              out_valid_o,
  output wire [15:0]       out_row_o,     // i within the out
  output wire [15:0]       out_accrow_o,  // accumulator row acc + i
  output wire [15:0]       out_cols_o,
  output wire [31:0]       out_sram_o,
  output wire [31:0]       out_stride_o,
  output wire [7:0]        out_flags_o,
  output wire [31:0]       out_scl_sa_o,
  output wire [31:0]       out_scl_s_o,
  output wire [31:0]       out_scl_z_o
);

`include "sa35_pe_kind.vh"

  // the code width (7 or 8) as an operand of the row-bytes product
  localparam [3:0] CodeW4 = CodeW[3:0];

  // Activation bytes of an mm row that streams into krows PE rows
  // (sa35_mm_rowbytes): KPerRow is 1 or 2, so a shift, not a multiplier.
  function automatic [16:0] act_bytes;
    input [15:0] krows;
    begin
      act_bytes = KPerRow == 2 ? {krows, 1'b0} : {1'b0, krows};
    end
  endfunction

  // the opcodes (Op*), generated from the ISA table
  `include "sa35_isa_fields.vh"

  // cycles from a lane's last row read to its last code landing
  localparam integer DrainI = Cols - 1;
  localparam [15:0]  Drain  = DrainI[15:0];
  // Rows + 1: an ldw.gs waits for t + n >= Sp + Rows + 1
  localparam integer SwapGapI = Rows + 1;
  localparam [15:0]  SwapGap  = SwapGapI[15:0];

  // ---------------------------------------------------------------- state
  reg [31:0]       pc_q;
  reg [CycleW-1:0] cycle_q;
  // load lanes (per lane state in g_lane below)
  reg [LoadRows-1:0] lane_sel_q;    // one-hot: the lane of the next ldw
  wire [LoadRows-1:0] ld_busy;      // lane reads a row of an earlier ldw
  reg [15:0]       ld_drain_q;      // cycles until the last code has landed
  reg [15:0]       sh_rows_q;
  reg [15:0]       ac_rows_q;
  // the tiles' columns, for the statistics only (PE-cycles of a row)
  reg [15:0]       sh_cols_q;
  reg [15:0]       ac_cols_q;
  // the issue cycle of the last mm.swap (once there was one)
  reg              swap_seen_q;
  reg [CycleW-1:0] swap_s_q;
  // streamer
  reg              str_busy_q;
  reg [15:0]       str_i_q;
  reg [15:0]       str_m_q;
  reg [31:0]       str_addr_q;
  reg [31:0]       str_stride_q;
  reg [15:0]       str_krows_q;
  reg [15:0]       str_cols_q;
  reg [15:0]       str_acc_q;
  reg              str_first_q;
  reg              str_gs_q;
  reg [1:0]        str_banks_q;
  reg [CycleW-1:0] stream_free_q;
  // mms issued whose last row has not reached the accumulators, per bank too
  reg [15:0]       inflight_q;
  reg [15:0]       bank_cnt0_q;
  reg [15:0]       bank_cnt1_q;
  // output unit: the running out and the one waiting behind it
  reg              run_valid_q;
  reg [15:0]       run_i_q;
  reg [15:0]       run_rows_q;
  reg [15:0]       run_acc_q;
  reg [15:0]       run_cols_q;
  reg [31:0]       run_sram_q;
  reg [31:0]       run_stride_q;
  reg [7:0]        run_flags_q;
  reg [95:0]       run_scl_q;
  reg              wait_valid_q;
  reg [15:0]       wait_rows_q;
  reg [15:0]       wait_acc_q;
  reg [15:0]       wait_cols_q;
  reg [31:0]       wait_sram_q;
  reg [31:0]       wait_stride_q;
  reg [7:0]        wait_flags_q;
  reg [95:0]       wait_scl_q;
  reg [95:0]       scl_q;          // {z, s, sa}

  // --------------------------------------------------------------- decode
  // The instruction at pc, by field (each valid when op is its opcode).
  wire [7:0]  op;
  wire        illegal;
  wire [47:0] dma_dram;
  wire [31:0] dma_sram;
  wire [31:0] dma_bytes;
  wire [31:0] ldw_sram;
  wire [15:0] ldw_rows;
  wire [31:0] ldw_cols;
  wire        ldw_gs;
  wire        mm_first;
  wire        mm_last;
  wire        mm_swap;
  wire        mm_gs;
  wire [31:0] mm_sram;
  wire [31:0] mm_stride;
  wire [15:0] mm_m;
  wire [15:0] mm_acc;
  wire        out_scale;
  wire        out_fp;
  wire [31:0] out_sram;
  wire [31:0] out_stride;
  wire [15:0] out_rows;
  wire [15:0] out_cols;
  wire [15:0] out_acc;
  wire [31:0] scl_sa;
  wire [31:0] scl_s;
  wire [31:0] scl_z;
  sa35_decode u_decode (
    .instr_i      (imem_data_i),
    .op_o         (op),
    .illegal_o    (illegal),
    .dma_dram_o   (dma_dram),
    .dma_sram_o   (dma_sram),
    .dma_bytes_o  (dma_bytes),
    .ldw_sram_o   (ldw_sram),
    .ldw_rows_o   (ldw_rows),
    .ldw_cols_o   (ldw_cols),
    .ldw_gs_o     (ldw_gs),
    .mm_first_o   (mm_first),
    .mm_last_o    (mm_last),
    .mm_swap_o    (mm_swap),
    .mm_gs_o      (mm_gs),
    .mm_sram_o    (mm_sram),
    .mm_stride_o  (mm_stride),
    .mm_m_o       (mm_m),
    .mm_acc_o     (mm_acc),
    .out_scale_o  (out_scale),
    .out_fp_o     (out_fp),
    .out_sram_o   (out_sram),
    .out_stride_o (out_stride),
    .out_rows_o   (out_rows),
    .out_cols_o   (out_cols),
    .out_acc_o    (out_acc),
    .scl_sa_o     (scl_sa),
    .scl_s_o      (scl_s),
    .scl_z_o      (scl_z)
  );
  // ldw: bytes of one tile row, cols CodeW-bit codes, ceil(CodeW cols / 8)
  // (sa35_tile_rowbytes; a constant product: shifts and adds)
  wire [34:0] cols_xw      = {3'b000, ldw_cols} * {31'd0, CodeW4} + 35'd7;
  wire [15:0] ldw_rowbytes = cols_xw[18:3];
  // ldw.gs: the scale words, 4 bytes a column, after the tile's rows
  wire [15:0] ldw_scbytes  = {ldw_cols[13:0], 2'b00};
  // the out's flags as the output unit sees them (sa35_isa.def's bits)
  reg  [7:0]  out_flags;
  always @* begin
    out_flags = 8'd0;
    out_flags[FlagOutScale - 8] = out_scale;
    out_flags[FlagOutFp - 8]    = out_fp;
  end

  // Accumulator bank of a row: the upper half of acc_rows_i is bank 1.
  wire [15:0] acc_half = {1'b0, acc_rows_i[15:1]};

  function automatic [1:0] banks_of;
    input [15:0] first;
    input [15:0] count;
    input [15:0] half;
    reg   [16:0] last;
    begin
      last = {1'b0, first} + {1'b0, count} - 17'd1;
      banks_of = 2'b00;
      banks_of[first >= half ? 1 : 0] = 1'b1;
      banks_of[last >= {1'b0, half} ? 1 : 0] = 1'b1;
    end
  endfunction

  // ---------------------------------------------------------- output unit
  wire [1:0] wait_banks = banks_of(wait_acc_q, wait_rows_q, acc_half);
  wire       sb_out_ok;
  wire       out_start  = wait_valid_q && !run_valid_q &&
                          !(wait_banks[0] && bank_cnt0_q != 16'd0) &&
                          !(wait_banks[1] && bank_cnt1_q != 16'd0) &&
                          sb_out_ok;
  wire       out_now    = out_start || run_valid_q;
  wire       wait_now   = wait_valid_q && !out_start;
  wire [15:0] out_i     = out_start ? 16'd0 : run_i_q;
  wire [15:0] unit_rows = out_start ? wait_rows_q : run_rows_q;

  assign out_valid_o  = out_now;
  assign out_row_o    = out_i;
  assign out_accrow_o = (out_start ? wait_acc_q : run_acc_q) + out_i;
  assign out_cols_o   = out_start ? wait_cols_q : run_cols_q;
  assign out_sram_o   = out_start ? wait_sram_q : run_sram_q;
  assign out_stride_o = out_start ? wait_stride_q : run_stride_q;
  assign out_flags_o  = out_start ? wait_flags_q : run_flags_q;
  wire [95:0] out_scl = out_start ? wait_scl_q : run_scl_q;
  assign out_scl_sa_o = out_scl[31:0];
  assign out_scl_s_o  = out_scl[63:32];
  assign out_scl_z_o  = out_scl[95:64];

  // ---------------------------------------------------------------- ready
  wire have = pc_q < prog_count_i;

  // mm: the left edge is free and no waiting out reads its banks.
  wire [1:0] mm_banks  = banks_of(mm_acc, mm_m, acc_half);
  wire mm_ready = cycle_q >= stream_free_q &&
                  !(wait_now && (mm_banks & wait_banks) != 2'b00);
  // every lane idle and every code landed
  wire ld_idle = ld_busy == {LoadRows{1'b0}} && ld_drain_q == 16'd0;

  // ------------------------------------------------------- memory system
  // SRAM ranges [lo, hi) of the instruction at pc and of the waiting out
  wire        ideal    = dram_bw_num_i == 32'd0;
  wire        is_dma   = op == OpDmaLd || op == OpDmaSt;
  wire [15:0] mm_krows = mm_swap ? sh_rows_q : ac_rows_q;
  wire [15:0] mm_cols  = mm_swap ? sh_cols_q : ac_cols_q;
  wire [63:0] ldw_len  = {48'd0, ldw_rows} * {48'd0, ldw_rowbytes} +
                         {48'd0, ldw_gs ? ldw_scbytes : 16'd0};
  wire [63:0] mm_len   = {48'd0, mm_m - 16'd1} * {32'd0, mm_stride} +
                         {47'd0, act_bytes(mm_krows)};
  reg  [63:0] iq_len;
  reg  [31:0] iq_lo32;
  always @* begin
    case (op)
      OpLdw:   begin iq_lo32 = ldw_sram; iq_len = ldw_len; end
      OpMm:    begin iq_lo32 = mm_sram; iq_len = mm_len; end
      default: begin iq_lo32 = dma_sram; iq_len = {32'd0, dma_bytes}; end
    endcase
  end
  wire [32:0] iq_lo    = {1'b0, iq_lo32};
  wire [63:0] iq_hi64  = {32'd0, iq_lo32} + iq_len;
  wire [32:0] iq_hi    = iq_hi64[32:0];
  wire        iq_valid = have && (is_dma || op == OpLdw || op == OpMm);
  wire        iq_write = op == OpDmaLd;

  wire        w_scale  = wait_flags_q[FlagOutScale - 8];
  // out.fp.scale reads sa only (Y = sa acc): no s, no z windows
  wire        w_sz     = w_scale && !wait_flags_q[FlagOutFp - 8];
  wire [63:0] w_len    = {48'd0, wait_rows_q - 16'd1} * {32'd0, wait_stride_q} +
                         {46'd0, wait_cols_q, 2'b00};
  wire [63:0] w_hi64   = {32'd0, wait_sram_q} + w_len;
  wire [32:0] w_lo     = {1'b0, wait_sram_q};
  wire [32:0] w_hi     = w_hi64[32:0];
  wire [32:0] sa_lo    = {1'b0, wait_scl_q[31:0]};
  wire [32:0] sa_hi    = sa_lo + {15'd0, wait_rows_q, 2'b00};
  wire [32:0] s_lo     = {1'b0, wait_scl_q[63:32]};
  wire [32:0] s_hi     = s_lo + {15'd0, wait_cols_q, 2'b00};
  wire [32:0] z_lo     = {1'b0, wait_scl_q[95:64]};
  wire [32:0] z_hi     = z_lo + {15'd0, wait_cols_q, 2'b00};

  // while an out waits, an access overlapping its windows waits too
  wire iq_on_w  = iq_lo < w_hi && w_lo < iq_hi;
  wire iq_on_sc = (w_scale && iq_lo < sa_hi && sa_lo < iq_hi) ||
                  (w_sz && ((iq_lo < s_hi && s_lo < iq_hi) ||
                            (iq_lo < z_hi && z_lo < iq_hi)));
  wire by_wait  = !ideal && wait_now && (iq_on_w || (iq_write && iq_on_sc));
  wire sb_iq_ok;
  wire mem_ok   = sb_iq_ok && !by_wait;

  // ldw.gs: t + n >= Sp + Rows + 1 (no wait before the first mm.swap)
  wire ldw_gs_ok = !ldw_gs || !swap_seen_q ||
                   cycle_q + {{(CycleW-16){1'b0}}, ldw_rows} >=
                   swap_s_q + {{(CycleW-16){1'b0}}, SwapGap};

  reg ready;
  always @* begin
    case (op)
      OpDmaLd: ready = mem_ok;
      OpDmaSt: ready = !wait_now && !out_now && mem_ok;
      OpSync:  ready = inflight_q == 16'd0 && ld_idle && !wait_now &&
                       !out_now && dma_idle;
      OpLdw:   ready = (ld_busy & lane_sel_q) == {LoadRows{1'b0}} &&
                       ldw_gs_ok && mem_ok;
      OpMm:    ready = mm_ready && mem_ok;
      OpOut:   ready = !wait_now;
      default: ready = 1'b1;
    endcase
  end

  wire issue     = have && ready;
  wire issue_ldw = issue && op == OpLdw;
  wire issue_mm  = issue && op == OpMm;
  wire issue_out = issue && op == OpOut;
  wire issue_scl = issue && op == OpScl;

  assign imem_addr_o = pc_q;
  assign issue_o     = issue;
  assign issue_op_o  = op;
  assign cycle_o     = cycle_q;
  assign done_o      = !have && inflight_q == 16'd0 && ld_idle &&
                       !run_valid_q && !wait_valid_q && dma_idle;

  // the channel (non-ideal memory only)
  wire              issue_dma = issue && is_dma;
  wire              dma_now;
  wire              dma_now_fin;
  wire              dma_fin;
  wire [$clog2(DmaDepth)-1:0] dma_fin_slot;
  wire [CycleW-1:0] dma_fin_last;
  wire              dma_full;
  wire              dma_idle;
  sa35_dma #(
    .Depth  (DmaDepth),
    .CycleW (CycleW)
  ) u_dma (
    .clk_i        (clk_i),
    .rst_i        (rst_i),
    .cycle_i      (cycle_q),
    .num_i        (dram_bw_num_i),
    .den_i        (dram_bw_den_i),
    .latency_i    (dram_latency_i),
    .issue_i      (issue_dma && !ideal),
    .store_i      (op == OpDmaSt),
    .dram_i       (dma_dram),
    .sram_i       (dma_sram),
    .bytes_i      (dma_bytes),
    .now_o        (dma_now),
    .now_fin_o    (dma_now_fin),
    .now_slot_o   (dma_slot_o),
    .rd_valid_o   (dq_rd_valid_o),
    .rd_slot_o    (dq_rd_slot_o),
    .rd_store_o   (dq_rd_store_o),
    .rd_dram_o    (dq_rd_dram_o),
    .rd_sram_o    (dq_rd_sram_o),
    .rd_bytes_o   (dq_rd_bytes_o),
    .land_valid_o (dq_land_valid_o),
    .land_slot_o  (dq_land_slot_o),
    .land_store_o (dq_land_store_o),
    .land_sram_o  (dq_land_sram_o),
    .land_bytes_o (dq_land_bytes_o),
    .fin_valid_o  (dma_fin),
    .fin_slot_o   (dma_fin_slot),
    .fin_last_o   (dma_fin_last),
    .idle_o       (dma_idle),
    .full_o       (dma_full)
  );

  // the scoreboard: the waiting out's windows, the instruction at pc;
  // records of the out starting now and of the instruction issued now
  wire [CycleW-1:0] cyc_m1   = cycle_q - {{(CycleW-1){1'b0}}, 1'b1};
  wire [CycleW-1:0] out_last = cyc_m1 + {{(CycleW-16){1'b0}}, wait_rows_q};
  // a dma's window: known now if its transfer starts now (a dma.st: T = t)
  // and, for a dma.ld, also ends its x now (D - 1 = t + latency); else
  // the scoreboard entry waits on its channel slot
  reg  [CycleW-1:0] iss_last;
  reg               iss_pending;
  always @* begin
    iss_pending = 1'b0;
    case (op)
      OpDmaLd: begin
        iss_last    = dma_fin_last;
        iss_pending = !dma_now_fin;
      end
      OpDmaSt: begin
        iss_last    = cycle_q;
        iss_pending = !dma_now;
      end
      OpLdw:   iss_last = cyc_m1 + {{(CycleW-16){1'b0}}, ldw_rows} +
                          {{(CycleW-1){1'b0}}, ldw_gs};
      default: iss_last = cyc_m1 + {{(CycleW-16){1'b0}}, mm_m};
    endcase
  end
  wire sb_full;
  sa35_scoreboard #(
    .Entries (SbEntries),
    .AddrW   (33),
    .CycleW  (CycleW),
    .SlotW   ($clog2(DmaDepth))
  ) u_sb (
    .clk_i       (clk_i),
    .rst_i       (rst_i),
    .enable_i    (!ideal),
    .cycle_i     (cycle_q),
    .oq_valid_i  ({w_sz, w_sz, w_scale, 1'b1}),
    .oq_lo_i     ({z_lo, s_lo, sa_lo, w_lo}),
    .oq_hi_i     ({z_hi, s_hi, sa_hi, w_hi}),
    .oq_write_i  (4'b0001),
    .oq_ok_o     (sb_out_ok),
    .iq_valid_i  (iq_valid),
    .iq_lo_i     (iq_lo),
    .iq_hi_i     (iq_hi),
    .iq_write_i  (iq_write),
    .iq_ok_o     (sb_iq_ok),
    .orec_valid_i ({out_start && w_sz, out_start && w_sz,
                    out_start && w_scale, out_start}),
    .orec_lo_i    ({z_lo, s_lo, sa_lo, w_lo}),
    .orec_hi_i    ({z_hi, s_hi, sa_hi, w_hi}),
    .orec_last_i  ({out_last, out_last, out_last, out_last}),
    .orec_write_i (4'b0001),
    .irec_valid_i (issue && iq_valid),
    .irec_lo_i    (iq_lo),
    .irec_hi_i    (iq_hi),
    .irec_last_i  (iss_last),
    .irec_write_i (iq_write),
    .irec_pending_i (iss_pending),
    .irec_slot_i  (dma_slot_o),
    .start_valid_i (dq_rd_valid_o),
    .start_slot_i (dq_rd_slot_o),
    .fin_valid_i  (dma_fin),
    .fin_slot_i   (dma_fin_slot),
    .fin_last_i   (dma_fin_last),
    .full_o      (sb_full)
  );
  assign mem_err_o = dma_full || sb_full;

  assign dma_valid_o = ideal ? issue_dma : dma_now;
  assign dma_store_o = op == OpDmaSt;
  assign dma_dram_o  = dma_dram;
  assign dma_sram_o  = dma_sram;
  assign dma_bytes_o = dma_bytes;

  // ------------------------------------------------------------ left edge
  wire        str_now   = issue_mm || str_busy_q;
  wire [15:0] str_i     = issue_mm ? 16'd0 : str_i_q;
  wire [15:0] str_m     = issue_mm ? mm_m : str_m_q;
  wire [15:0] str_acc   = issue_mm ? mm_acc : str_acc_q;
  wire        str_first = issue_mm ? mm_first : str_first_q;
  wire        str_gs    = issue_mm ? mm_gs : str_gs_q;
  wire [1:0]  str_banks = issue_mm ? mm_banks : str_banks_q;
  wire        str_last  = str_i + 16'd1 == str_m;

  assign act_valid_o = str_now;
  assign act_addr_o  = issue_mm ? mm_sram : str_addr_q;
  assign act_krows_o = str_now ? (issue_mm ? mm_krows : str_krows_q) : 16'd0;
  assign act_len_o   = act_bytes(act_krows_o);
  assign act_cols_o  = str_now ? (issue_mm ? mm_cols : str_cols_q) : 16'd0;
  assign act_swap_o  = issue_mm && mm_swap;
  assign act_gs_o    = str_now && str_gs;
  // tag: {row, banks, last, first, valid}
  assign tag_o = str_now ? {str_acc + str_i, str_banks, str_last, str_first,
                            1'b1}
                         : {TagW{1'b0}};

  wire        tag_valid = tag_i[0];
  wire        tag_last  = tag_i[2];
  wire [1:0]  tag_banks = tag_i[4:3];
  wire        retire    = tag_valid && tag_last;
  wire unused_tag = ^{tag_i[1], tag_i[TagW-1:5]};

  // ----------------------------------------------------------- load lanes
  wire [LoadRows-1:0] ld_now;
  // the lane after lane_sel_q (rotated left; bit LoadRows is unused)
  wire [LoadRows:0]   lane_rot = {lane_sel_q, lane_sel_q[LoadRows-1]};

  genvar l;
  generate
    for (l = 0; l < LoadRows; l = l + 1) begin : g_lane
      reg         busy_q;
      reg  [15:0] row_q;
      reg  [15:0] rows_q;
      reg  [15:0] cols_q;
      reg  [15:0] rowbytes_q;
      reg  [31:0] addr_q;
      reg         gs_q;
      reg  [15:0] scbytes_q;
      wire        start    = issue_ldw && lane_sel_q[l];
      wire        now      = start || busy_q;
      wire [15:0] row      = start ? 16'd0 : row_q;
      wire [15:0] rows     = start ? ldw_rows : rows_q;
      wire [15:0] rowbytes = start ? ldw_rowbytes : rowbytes_q;
      wire [31:0] addr     = start ? ldw_sram : addr_q;
      wire        gs       = start ? ldw_gs : gs_q;
      // the reads: the tile's rows, then (ldw.gs) its scale words at row
      // index rows, the address after the last row
      wire [15:0] reads    = rows + {15'd0, gs};
      wire        scale    = now && gs && row == rows;
      wire [15:0] row_next = row + 16'd1;
      wire        last     = now && row_next == reads;

      assign ld_now[l]                 = now;
      assign ld_busy[l]                = busy_q;
      assign ld_valid_o[l]             = now;
      assign ld_scale_o[l]             = scale;
      assign ld_addr_o[32*l +: 32]     = addr;
      assign ld_rowbytes_o[16*l +: 16] = scale ? scbytes_q : rowbytes;
      assign ld_row_o[16*l +: 16]      = row;
      assign ld_cols_o[16*l +: 16]     = start ? ldw_cols[15:0] : cols_q;

      // When the lane reads an ldw's last row, that row's code for column
      // Cols - 1 lands Cols - 1 cycles later (sa35_array's column delays):
      // the ldw's end, where the statistics count its weight_load_cycles.
      // A chain, not a counter: with rows < Cols, several ldws of one
      // lane are on their way at once. An ldw.gs's last read is its scale
      // words, read as row n: its count is n + 1 (rows + Cols in all).
      wire [16:0] land;
      sa35_delay #(
        .Width (17),
        .Depth (Cols - 1)
      ) u_land (
        .clk_i (clk_i),
        .rst_i (rst_i),
        .d_i   ({last, reads}),
        .q_o   (land)
      );
      assign ld_land_o[l]               = land[16];
      assign ld_land_rows_o[16*l +: 16] = land[15:0];

      always @(posedge clk_i) begin
        if (rst_i) begin
          busy_q <= 1'b0;
        end else begin
          busy_q <= now && !last;
        end
      end

      // Data registers: written at the ldw's issue before they are used.
      always @(posedge clk_i) begin
        if (start) begin
          rows_q     <= ldw_rows;
          cols_q     <= ldw_cols[15:0];
          rowbytes_q <= ldw_rowbytes;
          gs_q       <= ldw_gs;
          scbytes_q  <= ldw_scbytes;
        end
        if (now) begin
          row_q  <= row_next;
          addr_q <= addr + {16'd0, rowbytes};
        end
      end
    end
  endgenerate

  // mm.last only matters at the accumulators (it travels in the tag);
  // illegal: the engines run validated programs only (sa35_decode.v)
  wire unused_fields = ^{mm_last, illegal, acc_rows_i[0], cols_xw[34:19],
                         ldw_cols[31:14],
                         cols_xw[2:0], lane_rot[LoadRows], ldw_len[63:33],
                         mm_len[63:33], iq_hi64[63:33], w_hi64[63:33],
                         wait_flags_q[7:1]};

  // ---------------------------------------------------------------- flops
  always @(posedge clk_i) begin
    if (rst_i) begin
      pc_q          <= 32'd0;
      cycle_q       <= {CycleW{1'b0}};
      lane_sel_q    <= {{(LoadRows-1){1'b0}}, 1'b1};
      ld_drain_q    <= 16'd0;
      str_busy_q    <= 1'b0;
      stream_free_q <= {CycleW{1'b0}};
      inflight_q    <= 16'd0;
      bank_cnt0_q   <= 16'd0;
      bank_cnt1_q   <= 16'd0;
      run_valid_q   <= 1'b0;
      wait_valid_q  <= 1'b0;
      swap_seen_q   <= 1'b0;
    end else begin
      cycle_q <= cycle_q + {{(CycleW-1){1'b0}}, 1'b1};
      if (issue) begin
        pc_q <= pc_q + 32'd1;
      end
      // load lanes: round robin; the last code lands C - 1 cycles after
      // the last row read
      if (issue_ldw) begin
        lane_sel_q <= lane_rot[LoadRows-1:0];
      end
      if (ld_now != {LoadRows{1'b0}}) begin
        ld_drain_q <= Drain;
      end else if (ld_drain_q != 16'd0) begin
        ld_drain_q <= ld_drain_q - 16'd1;
      end
      // streamer
      if (issue_mm) begin
        stream_free_q <= cycle_q + {{(CycleW-16){1'b0}}, mm_m};
      end
      str_busy_q <= str_now && !str_last;
      if (issue_mm && mm_swap) begin
        swap_seen_q <= 1'b1;
      end
      // streams in flight
      inflight_q  <= inflight_q + {15'd0, issue_mm} - {15'd0, retire};
      bank_cnt0_q <= bank_cnt0_q + {15'd0, issue_mm && mm_banks[0]}
                                 - {15'd0, retire && tag_banks[0]};
      bank_cnt1_q <= bank_cnt1_q + {15'd0, issue_mm && mm_banks[1]}
                                 - {15'd0, retire && tag_banks[1]};
      // output unit
      run_valid_q  <= out_now && out_i + 16'd1 < unit_rows;
      wait_valid_q <= wait_now || issue_out;
    end
  end

  // Data registers (no reset needed: each is written before it is used).
  always @(posedge clk_i) begin
    if (issue_ldw) begin
      sh_rows_q <= ldw_rows;
      sh_cols_q <= ldw_cols[15:0];
    end
    if (issue_mm) begin
      str_m_q      <= mm_m;
      str_stride_q <= mm_stride;
      str_krows_q  <= mm_krows;
      str_cols_q   <= mm_cols;
      str_acc_q    <= mm_acc;
      str_first_q  <= mm_first;
      str_gs_q     <= mm_gs;
      str_banks_q  <= mm_banks;
      if (mm_swap) begin
        ac_rows_q <= sh_rows_q;
        ac_cols_q <= sh_cols_q;
        swap_s_q  <= cycle_q;
      end
    end
    if (str_now) begin
      str_i_q    <= str_i + 16'd1;
      str_addr_q <= act_addr_o + (issue_mm ? mm_stride : str_stride_q);
    end
    if (out_start) begin
      run_rows_q   <= wait_rows_q;
      run_acc_q    <= wait_acc_q;
      run_cols_q   <= wait_cols_q;
      run_sram_q   <= wait_sram_q;
      run_stride_q <= wait_stride_q;
      run_flags_q  <= wait_flags_q;
      run_scl_q    <= wait_scl_q;
    end
    if (out_now) begin
      run_i_q <= out_i + 16'd1;
    end
    if (issue_out) begin
      wait_rows_q   <= out_rows;
      wait_acc_q    <= out_acc;
      wait_cols_q   <= out_cols;
      wait_sram_q   <= out_sram;
      wait_stride_q <= out_stride;
      wait_flags_q  <= out_flags;
      wait_scl_q    <= scl_q;
    end
    if (issue_scl) begin
      scl_q <= {scl_z, scl_s, scl_sa};
    end
  end

endmodule
