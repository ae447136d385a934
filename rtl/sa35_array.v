// sa35_array: the Rows x Cols weight-stationary array of unpack-MAC PEs with
// its input skew and output de-skew (shared/design/architecture.md).
//
// Activations: act_i holds one activation row's Rows pairs, pair r in
// act_i[16r +: 16] ([7:0] = k = 2r, [15:8] = k = 2r+1), all in the same cycle;
// swap_i marks the first row of a tile. The skew delays row r by r cycles;
// inside the array a pair moves one PE right per cycle and a partial sum one
// PE down per cycle.
//
// Results: the partial sum of an activation row fed at cycle t leaves the
// bottom of column c at t + Rows + c; the de-skew delays column c by
// Cols-1-c, so psum_o carries all Cols sums of that row at t + Latency
// (Latency = Rows + Cols - 1), column c in psum_o[PsumW c +: PsumW].
//
// Weights: ld_en_i[r] writes shadow row r from load bus r mod LoadRows,
// ld_data_i[(LoadRows * b + c) * 7 +: 7] being column c of bus b, so LoadRows
// rows can be written per cycle (the architecture's load path width L).
module sa35_array #(
  parameter integer Rows     = 4,
  parameter integer Cols     = 4,
  parameter integer LoadRows = 1,
  // 1 + ceil(log2(2048 Rows + 1)): no overflow inside a column
  parameter integer PsumW    = 1 + $clog2(2048 * Rows + 1)
) (
  input  wire                      clk_i,
  input  wire                      rst_i,
  input  wire [Rows*16-1:0]        act_i,
  input  wire                      swap_i,
  input  wire [Rows-1:0]           ld_en_i,
  input  wire [LoadRows*Cols*7-1:0] ld_data_i,
  output wire [Cols*PsumW-1:0]     psum_o
);

  // Activation pairs and swap flags entering each PE from the left, index
  // r * (Cols + 1) + c, column Cols being what leaves the right edge
  // (unused); partial sums entering each PE from above, index r * Cols + c,
  // row Rows being the bottom edge. Arrays of nets, not one wide vector, so
  // that a simulator updates each PE's wires alone.
  wire [16:0]      horiz [0:Rows*(Cols+1)-1];
  wire [PsumW-1:0] vert  [0:(Rows+1)*Cols-1];

  genvar r, c;
  generate
    for (c = 0; c < Cols; c = c + 1) begin : g_top
      assign vert[c] = {PsumW{1'b0}};
    end
  endgenerate

  generate
    for (r = 0; r < Rows; r = r + 1) begin : g_row
      // Skew: row r enters r cycles late.
      sa35_delay #(
        .Width (17),
        .Depth (r)
      ) u_skew (
        .clk_i (clk_i),
        .rst_i (rst_i),
        .d_i   ({swap_i, act_i[16*r +: 16]}),
        .q_o   (horiz[r*(Cols+1)])
      );

      for (c = 0; c < Cols; c = c + 1) begin : g_col
        wire [6:0] code = ld_data_i[((r % LoadRows)*Cols + c)*7 +: 7];
        sa35_pe #(
          .PsumW (PsumW)
        ) u_pe (
          .clk_i  (clk_i),
          .rst_i  (rst_i),
          .act_i  (horiz[r*(Cols+1) + c][15:0]),
          .swap_i (horiz[r*(Cols+1) + c][16]),
          .act_o  (horiz[r*(Cols+1) + c + 1][15:0]),
          .swap_o (horiz[r*(Cols+1) + c + 1][16]),
          .psum_i (vert[r*Cols + c]),
          .psum_o (vert[(r+1)*Cols + c]),
          .load_i (ld_en_i[r]),
          .code_i (code)
        );
      end
    end

    // De-skew: column c waits Cols-1-c cycles. Data only: no reset.
    for (c = 0; c < Cols; c = c + 1) begin : g_deskew
      sa35_delay #(
        .Width (PsumW),
        .Depth (Cols - 1 - c)
      ) u_deskew (
        .clk_i (clk_i),
        .rst_i (1'b0),
        .d_i   (vert[Rows*Cols + c]),
        .q_o   (psum_o[c*PsumW +: PsumW])
      );
    end
  endgenerate

  // What leaves the right edge goes nowhere.
  wire unused_ok;
  generate
    if (1) begin : g_unused
      wire [Rows*17-1:0] right_edge;
      for (r = 0; r < Rows; r = r + 1) begin : g_edge
        assign right_edge[r*17 +: 17] = horiz[r*(Cols+1) + Cols];
      end
      assign unused_ok = &{1'b0, right_edge};
    end
  endgenerate

endmodule
