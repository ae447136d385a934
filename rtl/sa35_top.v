// sa35_top: the accelerator core that runs binary programs: controller,
// Rows x Cols array (skew, PEs, de-skew), accumulators. The memories are
// outside, behind the ports below (docs/rtl.md has the full contract); every
// request is answered combinationally in the cycle it is made:
//
//   imem    imem_addr_o -> imem_data_i: instruction imem_addr_o (16 bytes)
//   dma     dma_valid_o: copy dma_bytes_o bytes between off-chip dma_dram_o
//           and SRAM dma_sram_o (dma_store_o: SRAM -> off-chip). With a
//           non-ideal memory (dram_bw_num_i != 0) the copy is split in
//           time: dma_valid_o (a transfer issued now that starts now) and
//           dq_rd_valid_o (a queued one that starts now) read the source:
//           a dma.st copies SRAM to off-chip, a dma.ld copies off-chip to
//           the channel buffer of its slot; dq_land_valid_o (not a store)
//           copies that buffer to SRAM at dq_land_sram_o at the end of the
//           cycle. mem_err_o: the channel FIFO or the scoreboard was full
//           (the run is void)
//   act     act_valid_o: act_data_i = act_len_o (KPerRow * krows) bytes of
//           SRAM at act_addr_o (byte j in act_data_i[8j +: 8]; the rest may
//           be anything)
//   ld      one port per load lane l < LoadRows: ld_valid_o[l]: lane l of
//           ld_data_i (Cols * CodeW bits at l * Cols * CodeW) =
//           ld_rowbytes_o[16l +: 16] bytes of SRAM at ld_addr_o[32l +: 32],
//           one whole tile row, as a little-endian bit stream (bits past
//           Cols * CodeW dropped, columns past the tile's cols ignored); all
//           lanes in one cycle. With ld_scale_o[l] the read is instead the
//           scale words of an ldw.gs (4 cols bytes, ld_rowbytes_o): they
//           go on sc_data_i (word c at sc_data_i[32c +: 32], the words
//           past the tile's cols ignored); at most one lane reads them in
//           a cycle (an ldw.gs waits for the swap of the one before,
//           docs/architecture.md, "The scale row")
//   out     out_valid_o: output row out_row_o of an out instruction: the
//           accumulator row out_acc_o (Cols int32, or float32 words of an
//           mm.gs with out.fp) and its row sum out_rsum_o, to be written
//           (as they are, or scaled to fp32 by the output unit model with
//           the scl addresses; out_flags_o holds the out's flags) at
//           out_sram_o + out_row_o * out_stride_o, out_cols_o columns
//
// The order within a cycle, when a program makes two requests touch the
// same bytes, is the simulator's: queued dma read (dq_rd), out write, dma,
// act read, ld read, dma.ld landing (dq_land).
//
//   stat    events for the statistics the harness counts (docs/rtl.md,
//           "Statistics"), for what the ports above do not show:
//           stat_issue_o, an instruction issued, its opcode stat_op_o;
//           with act_valid_o, the row enters stat_act_rows_o x
//           stat_act_cols_o PEs of the active tile (its busy PE-cycles);
//           stat_ld_land_o[l], the last code of lane l's ldw landed in
//           PE(rows - 1, Cols - 1), rows = stat_ld_land_rows_o[16l +: 16].
//           Outputs only: nothing in the core depends on them
//
// PeKind (0 sa35, 1 int4, 2 int8: the C enum sa35_pe_kind) is what every PE
// stores and multiplies (docs/architecture.md, "PE kinds"); it sets CodeW
// (7, 8, 8 bits a code) and KPerRow (2, 2, 1 k-values per PE row), hence the
// ld and act port widths, and the partial-sum width (sa35_pe_kind.vh). The
// timing is the same for every kind.
//
// GroupScale (default 1) builds the scale row and the float32 accumulator
// of group scaling (ldw.gs, mm.gs, out.fp; docs/architecture.md, "The scale
// row"); with 0 the array and the accumulators are the ones before it
// (the datapath ignores .gs; the controller still times an ldw.gs), for
// the comparison.
module sa35_top #(
  parameter integer Rows     = 4,
  parameter integer Cols     = 4,
  parameter integer LoadRows = 1,
  parameter integer PeKind   = 0,    // 0 sa35, 1 int4, 2 int8
  parameter integer GroupScale = 1,  // the scale row (group scaling)
  parameter integer AccRows  = 4096,
  parameter integer DmaDepth = 32,   // channel FIFO slots (power of two)
  parameter integer SbEntries = 32   // scoreboard entries
) (
  input  wire                       clk_i,
  input  wire                       rst_i,
  input  wire [31:0]                prog_count_i,
  input  wire [15:0]                acc_rows_i,
  input  wire [31:0]                dram_bw_num_i,
  input  wire [31:0]                dram_bw_den_i,
  input  wire [31:0]                dram_latency_i,
  output wire                       mem_err_o,
  output wire [31:0]                imem_addr_o,
  input  wire [127:0]               imem_data_i,
  output wire                       done_o,
  output wire [47:0]                cycle_o,
  output wire                       dma_valid_o,
  output wire                       dma_store_o,
  output wire [47:0]                dma_dram_o,
  output wire [31:0]                dma_sram_o,
  output wire [31:0]                dma_bytes_o,
  output wire [$clog2(DmaDepth)-1:0] dma_slot_o,
  output wire                       dq_rd_valid_o,
  output wire [$clog2(DmaDepth)-1:0] dq_rd_slot_o,
  output wire                       dq_rd_store_o,
  output wire [47:0]                dq_rd_dram_o,
  output wire [31:0]                dq_rd_sram_o,
  output wire [31:0]                dq_rd_bytes_o,
  output wire                       dq_land_valid_o,
  output wire [$clog2(DmaDepth)-1:0] dq_land_slot_o,
  output wire                       dq_land_store_o,
  output wire [31:0]                dq_land_sram_o,
  output wire [31:0]                dq_land_bytes_o,
  output wire                       act_valid_o,
  output wire [31:0]                act_addr_o,
  output wire [16:0]                act_len_o,
  input  wire [Rows*ActW-1:0]       act_data_i,
  output wire [LoadRows-1:0]        ld_valid_o,
  output wire [LoadRows*32-1:0]     ld_addr_o,
  output wire [LoadRows*16-1:0]     ld_rowbytes_o,
  input  wire [LoadRows*Cols*CodeW-1:0] ld_data_i,
  output wire [LoadRows-1:0]        ld_scale_o,
  input  wire [Cols*32-1:0]         sc_data_i,
  output wire                       out_valid_o,
  output wire [15:0]                out_row_o,
  output wire [15:0]                out_cols_o,
  output wire [31:0]                out_sram_o,
  output wire [31:0]                out_stride_o,
  output wire [7:0]                 out_flags_o,
  output wire [31:0]                out_scl_sa_o,
  output wire [31:0]                out_scl_s_o,
  output wire [31:0]                out_scl_z_o,
  output wire [Cols*32-1:0]         out_acc_o,
  output wire [31:0]                out_rsum_o,
  output wire                       stat_issue_o,
  output wire [7:0]                 stat_op_o,
  output wire [15:0]                stat_act_rows_o,
  output wire [15:0]                stat_act_cols_o,
  output wire [LoadRows-1:0]        stat_ld_land_o,
  output wire [LoadRows*16-1:0]     stat_ld_land_rows_o
);

`include "sa35_pe_kind.vh"

  // Widths derived from the array and the PE kind: no overflow anywhere
  // (architecture.md): R rows of products of at most ProdBound, and the
  // row sum of KPerRow R int8 activations.
  localparam integer PsumW   = 1 + $clog2(ProdBound * Rows + 1);
  localparam integer RsumW   = 1 + $clog2(128 * KPerRow * Rows + 1);
  localparam integer TagW    = 21;
  localparam integer Latency = Rows + Cols - 1;
  localparam integer RowW    = Rows > 1 ? $clog2(Rows) : 1;
  // what a column hands the accumulators: t (float32) or the partial sum
  localparam integer OutW    = GroupScale != 0 ? 32 : PsumW;

  wire [15:0]     act_krows;
  wire            act_swap;
  wire            act_gs;
  wire [TagW-1:0] tag_in;
  wire [TagW-1:0] tag_out;
  wire [LoadRows*16-1:0] ld_row;
  wire [LoadRows*16-1:0] ld_cols;
  wire [15:0]     out_accrow;

  sa35_ctrl #(
    .Rows     (Rows),
    .Cols     (Cols),
    .LoadRows (LoadRows),
    .PeKind   (PeKind),
    .CycleW   (48),
    .TagW     (TagW),
    .DmaDepth (DmaDepth),
    .SbEntries (SbEntries)
  ) u_ctrl (
    .clk_i         (clk_i),
    .rst_i         (rst_i),
    .prog_count_i  (prog_count_i),
    .acc_rows_i    (acc_rows_i),
    .dram_bw_num_i (dram_bw_num_i),
    .dram_bw_den_i (dram_bw_den_i),
    .dram_latency_i (dram_latency_i),
    .mem_err_o     (mem_err_o),
    .imem_addr_o   (imem_addr_o),
    .imem_data_i   (imem_data_i),
    .done_o        (done_o),
    .cycle_o       (cycle_o),
    .issue_o       (stat_issue_o),
    .issue_op_o    (stat_op_o),
    .dma_valid_o   (dma_valid_o),
    .dma_store_o   (dma_store_o),
    .dma_dram_o    (dma_dram_o),
    .dma_sram_o    (dma_sram_o),
    .dma_bytes_o   (dma_bytes_o),
    .dma_slot_o    (dma_slot_o),
    .dq_rd_valid_o (dq_rd_valid_o),
    .dq_rd_slot_o  (dq_rd_slot_o),
    .dq_rd_store_o (dq_rd_store_o),
    .dq_rd_dram_o  (dq_rd_dram_o),
    .dq_rd_sram_o  (dq_rd_sram_o),
    .dq_rd_bytes_o (dq_rd_bytes_o),
    .dq_land_valid_o (dq_land_valid_o),
    .dq_land_slot_o  (dq_land_slot_o),
    .dq_land_store_o (dq_land_store_o),
    .dq_land_sram_o  (dq_land_sram_o),
    .dq_land_bytes_o (dq_land_bytes_o),
    .act_valid_o   (act_valid_o),
    .act_addr_o    (act_addr_o),
    .act_len_o     (act_len_o),
    .act_krows_o   (act_krows),
    .act_cols_o    (stat_act_cols_o),
    .act_swap_o    (act_swap),
    .act_gs_o      (act_gs),
    .tag_o         (tag_in),
    .tag_i         (tag_out),
    .ld_valid_o    (ld_valid_o),
    .ld_addr_o     (ld_addr_o),
    .ld_rowbytes_o (ld_rowbytes_o),
    .ld_row_o      (ld_row),
    .ld_cols_o     (ld_cols),
    .ld_scale_o    (ld_scale_o),
    .ld_land_o     (stat_ld_land_o),
    .ld_land_rows_o (stat_ld_land_rows_o),
    .out_valid_o   (out_valid_o),
    .out_row_o     (out_row_o),
    .out_accrow_o  (out_accrow),
    .out_cols_o    (out_cols_o),
    .out_sram_o    (out_sram_o),
    .out_stride_o  (out_stride_o),
    .out_flags_o   (out_flags_o),
    .out_scl_sa_o  (out_scl_sa_o),
    .out_scl_s_o   (out_scl_s_o),
    .out_scl_z_o   (out_scl_z_o)
  );

  // Left edge: the KPerRow bytes of PE rows past the tile's rows are 0; the
  // row sum of all the bytes.
  reg  [Rows*ActW-1:0] act;
  reg  [RsumW-1:0]     rsum;
  integer r, j;
  always @* begin
    rsum = {RsumW{1'b0}};
    for (r = 0; r < Rows; r = r + 1) begin
      act[r*ActW +: ActW] = r < act_krows ? act_data_i[r*ActW +: ActW]
                                          : {ActW{1'b0}};
    end
    for (j = 0; j < Rows*KPerRow; j = j + 1) begin
      rsum = rsum + {{(RsumW-8){act[8*j + 7]}}, act[8*j +: 8]};
    end
  end

  // Load lanes: lane l carries tile row ld_row[l] to the array, which
  // delays column c by c cycles; columns past the tile get code 0. A lane
  // reading scale words carries no row; the words past the tile's cols
  // are 0 (the lane that reads them: at most one).
  reg [LoadRows*Cols*CodeW-1:0] codes;
  reg [LoadRows*RowW-1:0]   lane_row;
  reg [LoadRows*16-1:0]     lane_row_full;
  reg [15:0]                sc_cols;
  reg [Cols*32-1:0]         sc_words;
  integer l, c;
  always @* begin
    lane_row_full = ld_row;
    sc_cols = 16'd0;
    for (l = 0; l < LoadRows; l = l + 1) begin
      lane_row[l*RowW +: RowW] = lane_row_full[l*16 +: RowW];
      for (c = 0; c < Cols; c = c + 1) begin
        codes[(l*Cols + c)*CodeW +: CodeW] =
            c < ld_cols[l*16 +: 16] ? ld_data_i[(l*Cols + c)*CodeW +: CodeW]
                                    : {CodeW{1'b0}};
      end
      if (ld_scale_o[l]) begin
        sc_cols = sc_cols | ld_cols[l*16 +: 16];
      end
    end
    for (c = 0; c < Cols; c = c + 1) begin
      sc_words[c*32 +: 32] = c < sc_cols ? sc_data_i[c*32 +: 32] : 32'd0;
    end
  end
  wire [LoadRows-1:0] ld_code = ld_valid_o & ~ld_scale_o;
  wire                sc_valid = ld_scale_o != {LoadRows{1'b0}};

  // The row sum and the .gs flag travel beside the array to its bottom-left
  // corner (Rows cycles) and along the scale row (sa35_scale_row, Cols - 1
  // more); without the scale row, all the way beside it (Latency cycles).
  localparam integer RsumDelay = GroupScale != 0 ? Rows : Latency;
  wire [RsumW:0]   rsum_corner;
  wire [RsumW-1:0] rsum_out;
  wire             gs_out;

  sa35_delay #(
    .Width (RsumW + 1),
    .Depth (RsumDelay)
  ) u_rsum_pipe (
    .clk_i (clk_i),
    .rst_i (1'b0),
    .d_i   ({act_gs, rsum}),
    .q_o   (rsum_corner)
  );

  wire [Cols*OutW-1:0] psum;

  sa35_array #(
    .Rows       (Rows),
    .Cols       (Cols),
    .LoadRows   (LoadRows),
    .PeKind     (PeKind),
    .GroupScale (GroupScale)
  ) u_array (
    .clk_i      (clk_i),
    .rst_i      (rst_i),
    .act_i      (act),
    .swap_i     (act_swap),
    .ld_valid_i (ld_code),
    .ld_row_i   (lane_row),
    .ld_data_i  (codes),
    .rsum_i     (rsum_corner[RsumW-1:0]),
    .gs_i       (rsum_corner[RsumW]),
    .sc_valid_i (sc_valid),
    .sc_data_i  (sc_words),
    .psum_o     (psum),
    .rsum_o     (rsum_out),
    .gs_o       (gs_out)
  );

  // The row's tag travels beside the array and reaches the accumulators
  // with its de-skewed partial sums.
  sa35_delay #(
    .Width (TagW),
    .Depth (Latency)
  ) u_tag_pipe (
    .clk_i (clk_i),
    .rst_i (rst_i),
    .d_i   (tag_in),
    .q_o   (tag_out)
  );

  sa35_accum #(
    .Cols       (Cols),
    .PsumW      (OutW),
    .RsumW      (RsumW),
    .AccRows    (AccRows),
    .GroupScale (GroupScale)
  ) u_accum (
    .clk_i      (clk_i),
    .in_valid_i (tag_out[0]),
    .in_first_i (tag_out[1]),
    .in_gs_i    (gs_out),
    .in_row_i   (tag_out[TagW-1:5]),
    .psum_i     (psum),
    .rsum_i     (rsum_out),
    .rd_row_i   (out_accrow),
    .rd_acc_o   (out_acc_o),
    .rd_rsum_o  (out_rsum_o)
  );

  // the left edge's PE rows, an event for the statistics
  assign stat_act_rows_o = act_krows;

  // the row indices' upper bits (rows < Rows)
  reg unused_ctrl;
  always @* begin
    unused_ctrl = 1'b0;
    for (l = 0; l < LoadRows; l = l + 1) begin
      unused_ctrl = unused_ctrl ^ (^lane_row_full[l*16 + RowW +: 16 - RowW]);
    end
  end

endmodule
