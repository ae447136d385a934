// sa35_array: the Rows x Cols weight-stationary array of unpack-MAC PEs with
// its input skew and output de-skew (docs/architecture.md).
//
// PE kind: PeKind (0 sa35, 1 int4, 2 int8, the C enum sa35_pe_kind) fixes
// the code width CodeW (7, 8, 8) and the k-values per PE row KPerRow (2, 2,
// 1) (sa35_pe_kind.vh); the rest of the array is the same for every kind.
//
// Activations: act_i holds one activation row's Rows groups of KPerRow
// bytes, group r in act_i[ActW r +: ActW] (ActW = 8 KPerRow; byte i is k =
// KPerRow r + i: for sa35 [7:0] = k = 2r, [15:8] = k = 2r+1), all in the
// same cycle; swap_i marks the first row of a tile. The skew delays row r
// by r cycles; inside the array a group moves one PE right per cycle and a
// partial sum one PE down per cycle.
//
// Results: the partial sum of an activation row fed at cycle t leaves the
// bottom of column c at t + Rows + c; the de-skew delays column c by
// Cols-1-c, so psum_o carries all Cols sums of that row at t + Latency
// (Latency = Rows + Cols - 1), column c in psum_o[PsumW c +: PsumW].
//
// Weights: LoadRows lanes (the architecture's load path width L). In a cycle
// lane l may carry one tile row: ld_valid_i[l], its row index
// ld_row_i[RowW l +: RowW] and its codes, column c in
// ld_data_i[(Cols l + c) * CodeW +: CodeW]. At the top edge each lane's row
// is delayed by c cycles for column c (a chip skews the column-banked SRAM
// addresses instead: same timing), so a row entering in cycle t is written
// into PE(r, c)'s shadow register at the end of cycle t + c, on the same
// diagonal as the swap wave. The controller never lets two lanes write one
// PE in the same cycle; the lanes' codes are OR-ed under their selects.
//
// Group scaling (GroupScale = 1; docs/architecture.md, "The scale row"): a
// row of scale units (sa35_scale_row) sits between the bottom PEs and the
// de-skew. rsum_i and gs_i, the row sum and .gs flag of the activation row
// that entered at t, come in at the bottom-left corner at t + Rows (the
// caller delays them); sc_valid_i and sc_data_i are the scale words of an
// ldw.gs (column c's word at sc_data_i[32c +: 32]), which reach column c's
// shadow pair c cycles later. psum_o is then 32 bits a column: the term t
// (float32) of a gs row, else the partial sum sign-extended; rsum_o and
// gs_o come out with it. With GroupScale = 0 there is no scale row:
// rsum_o = rsum_i and gs_o = gs_i are wires, the sc_* inputs are unused
// and psum_o is PsumW bits a column.
module sa35_array #(
  parameter integer Rows     = 4,
  parameter integer Cols     = 4,
  parameter integer LoadRows = 1,
  parameter integer PeKind   = 0,  // 0 sa35, 1 int4, 2 int8
  parameter integer GroupScale = 0,  // 1: the scale row (ldw.gs, mm.gs)
  // row index bits of a lane
  parameter integer RowW     = Rows > 1 ? $clog2(Rows) : 1
) (
  input  wire                          clk_i,
  input  wire                          rst_i,
  input  wire [Rows*ActW-1:0]          act_i,
  input  wire                          swap_i,
  input  wire [LoadRows-1:0]           ld_valid_i,
  input  wire [LoadRows*RowW-1:0]      ld_row_i,
  input  wire [LoadRows*Cols*CodeW-1:0] ld_data_i,
  input  wire [RsumW-1:0]              rsum_i,
  input  wire                          gs_i,
  input  wire                          sc_valid_i,
  input  wire [Cols*32-1:0]            sc_data_i,
  output wire [Cols*OutW-1:0]          psum_o,
  output wire [RsumW-1:0]              rsum_o,
  output wire                          gs_o
);

`include "sa35_pe_kind.vh"

  // 1 + ceil(log2(ProdBound Rows + 1)): no overflow inside a column (21
  // bits at 320 rows for sa35 and int4, 24 for int8)
  localparam integer PsumW = 1 + $clog2(ProdBound * Rows + 1);
  // the row sum of KPerRow Rows int8 activations (as sa35_top's)
  localparam integer RsumW = 1 + $clog2(128 * KPerRow * Rows + 1);
  // what leaves a column for the de-skew: t (float32) or the partial sum
  localparam integer OutW  = GroupScale != 0 ? 32 : PsumW;

  // Activations and swap flags entering each PE from the left, index
  // r * (Cols + 1) + c, column Cols being what leaves the right edge
  // (unused); partial sums entering each PE from above, index r * Cols + c,
  // row Rows being the bottom edge. Arrays of nets, not one wide vector, so
  // that a simulator updates each PE's wires alone.
  wire [ActW:0]    horiz [0:Rows*(Cols+1)-1];
  wire [PsumW-1:0] vert  [0:(Rows+1)*Cols-1];

  // Load lanes after the column delay: lane l at column c is index
  // l * Cols + c; {valid, row} steps one column per cycle, the code of
  // column c waits c cycles.
  wire            lv [0:LoadRows*Cols-1];
  wire [RowW-1:0] lr [0:LoadRows*Cols-1];
  wire [CodeW-1:0] lc [0:LoadRows*Cols-1];

  genvar r, c, l;
  generate
    for (c = 0; c < Cols; c = c + 1) begin : g_top
      assign vert[c] = {PsumW{1'b0}};
    end

    for (l = 0; l < LoadRows; l = l + 1) begin : g_lane
      assign lv[l*Cols] = ld_valid_i[l];
      assign lr[l*Cols] = ld_row_i[l*RowW +: RowW];
      for (c = 1; c < Cols; c = c + 1) begin : g_step
        sa35_delay #(
          .Width (1),
          .Depth (1)
        ) u_valid (
          .clk_i (clk_i),
          .rst_i (rst_i),
          .d_i   (lv[l*Cols + c - 1]),
          .q_o   (lv[l*Cols + c])
        );
        sa35_delay #(
          .Width (RowW),
          .Depth (1)
        ) u_row (
          .clk_i (clk_i),
          .rst_i (1'b0),
          .d_i   (lr[l*Cols + c - 1]),
          .q_o   (lr[l*Cols + c])
        );
      end
      for (c = 0; c < Cols; c = c + 1) begin : g_code
        sa35_delay #(
          .Width (CodeW),
          .Depth (c)
        ) u_code (
          .clk_i (clk_i),
          .rst_i (1'b0),
          .d_i   (ld_data_i[(l*Cols + c)*CodeW +: CodeW]),
          .q_o   (lc[l*Cols + c])
        );
      end
    end
  endgenerate

  generate
    for (r = 0; r < Rows; r = r + 1) begin : g_row
      // Skew: row r enters r cycles late.
      sa35_delay #(
        .Width (ActW + 1),
        .Depth (r)
      ) u_skew (
        .clk_i (clk_i),
        .rst_i (rst_i),
        .d_i   ({swap_i, act_i[ActW*r +: ActW]}),
        .q_o   (horiz[r*(Cols+1)])
      );

      for (c = 0; c < Cols; c = c + 1) begin : g_col
        // the lane (at most one) whose delayed row is r writes this PE
        localparam [RowW-1:0] RowIdx = r;
        reg             load;
        reg [CodeW-1:0] code;
        integer         k;
        always @* begin
          load = 1'b0;
          code = {CodeW{1'b0}};
          for (k = 0; k < LoadRows; k = k + 1) begin
            if (lv[k*Cols + c] && lr[k*Cols + c] == RowIdx) begin
              load = 1'b1;
              code = code | lc[k*Cols + c];
            end
          end
        end
        sa35_pe #(
          .PeKind (PeKind),
          .PsumW  (PsumW)
        ) u_pe (
          .clk_i  (clk_i),
          .rst_i  (rst_i),
          .act_i  (horiz[r*(Cols+1) + c][ActW-1:0]),
          .swap_i (horiz[r*(Cols+1) + c][ActW]),
          .act_o  (horiz[r*(Cols+1) + c + 1][ActW-1:0]),
          .swap_o (horiz[r*(Cols+1) + c + 1][ActW]),
          .psum_i (vert[r*Cols + c]),
          .psum_o (vert[(r+1)*Cols + c]),
          .load_i (load),
          .code_i (code)
        );
      end
    end

    // The bottom edge: the partial sums, or the scale row's terms.
    wire [Cols*OutW-1:0] bottom;
    if (GroupScale != 0) begin : g_scale
      wire [Cols*PsumW-1:0] bottom_psum;
      wire [Cols-1:0]       bottom_swap;
      for (c = 0; c < Cols; c = c + 1) begin : g_tap
        assign bottom_psum[c*PsumW +: PsumW] = vert[Rows*Cols + c];
        // the swap flag PE(Rows - 1, c) passes on: cycle S + Rows + c
        assign bottom_swap[c] = horiz[(Rows-1)*(Cols+1) + c + 1][ActW];
      end
      sa35_scale_row #(
        .Cols  (Cols),
        .PsumW (PsumW),
        .RsumW (RsumW)
      ) u_scale (
        .clk_i      (clk_i),
        .rst_i      (rst_i),
        .psum_i     (bottom_psum),
        .swap_i     (bottom_swap),
        .rsum_i     (rsum_i),
        .gs_i       (gs_i),
        .ld_valid_i (sc_valid_i),
        .ld_data_i  (sc_data_i),
        .t_o        (bottom),
        .rsum_o     (rsum_o),
        .gs_o       (gs_o)
      );
    end else begin : g_plain
      for (c = 0; c < Cols; c = c + 1) begin : g_tap
        assign bottom[c*OutW +: OutW] = vert[Rows*Cols + c];
      end
      assign rsum_o = rsum_i;
      assign gs_o   = gs_i;
      wire unused_sc = ^{sc_valid_i, sc_data_i};
    end

    // De-skew: column c waits Cols-1-c cycles. Data only: no reset.
    for (c = 0; c < Cols; c = c + 1) begin : g_deskew
      sa35_delay #(
        .Width (OutW),
        .Depth (Cols - 1 - c)
      ) u_deskew (
        .clk_i (clk_i),
        .rst_i (1'b0),
        .d_i   (bottom[c*OutW +: OutW]),
        .q_o   (psum_o[c*OutW +: OutW])
      );
    end
  endgenerate

  // What leaves the right edge goes nowhere.
  wire unused_ok;
  generate
    if (1) begin : g_unused
      wire [Rows*(ActW+1)-1:0] right_edge;
      for (r = 0; r < Rows; r = r + 1) begin : g_edge
        assign right_edge[r*(ActW+1) +: ActW+1] = horiz[r*(Cols+1) + Cols];
      end
      assign unused_ok = &{1'b0, right_edge};
    end
  endgenerate

endmodule
