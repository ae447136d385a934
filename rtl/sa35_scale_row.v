// sa35_scale_row: the scale row of group scaling (docs/architecture.md,
// "The scale row (group scaling)"; docs/format.md, "Group scaling"): one
// scale unit per column below PE row Rows - 1, between the bottom edge of
// the array and the de-skew (sa35_array instantiates it with GroupScale).
//
// Each unit holds a shadow and an active (s, z) pair of binary16 values,
// the word s | z << 16 of docs/isa.md (ldw.gs):
//
//   load   the scale words of an ldw.gs, read by its lane in cycle X + n
//          (ld_valid_i, word c in ld_data_i[32c +: 32], 0 past the tile's
//          cols), reach column c's shadow at the end of cycle X + n + c:
//          word c and the valid bit wait c cycles (sa35_delay), as the
//          load lanes' codes do at the top edge (a chip would skew the
//          column banks' reads instead: same timing)
//   swap   swap_i[c] is the swap flag leaving PE(Rows - 1, c) in cycle
//          S + Rows + c: the unit computes with the shadow pair in that
//          cycle and copies it to the active one, one row behind the PEs'
//          wave
//   use    psum_i[c] is the bottom PE's registered partial sum of row m in
//          cycle S + m + Rows + c; rsum_i and gs_i, the row's activation
//          sum and its mm's .gs flag, enter column 0 in cycle S + m + Rows
//          and step one column a cycle along the bottom edge. With gs, t_o
//          is t = fl(fl(s psum) + fl(z rsum)) (sa35_gs_term, combinational:
//          no extra cycle); else the partial sum sign-extended to 32 bits.
//          t_o[c] goes into column c's de-skew (Cols - 1 - c cycles), so
//          every column of row m reaches the accumulators in cycle
//          S + m + Rows + Cols - 1 as before, with rsum_o and gs_o, the
//          bottom edge's last column.
//
// The hazards are the controller's (sa35_ctrl: an ldw.gs waits for t >=
// Sp + Rows + 1 - n, so the next tile's words land after the swap that
// used the last ones, and the swap after the load it uses).
//
// Registers per column: 32 shadow + 32 active, RsumW + 1 on the bottom
// edge (they replace RsumW of the row-sum pipeline beside the array, which
// is Rows long instead of Rows + Cols - 1), and the load's c-cycle delay
// of its word and valid bit.
module sa35_scale_row #(
  parameter integer Cols  = 4,
  parameter integer PsumW = 15,
  parameter integer RsumW = 11
) (
  input  wire                  clk_i,
  input  wire                  rst_i,
  input  wire [Cols*PsumW-1:0] psum_i,
  input  wire [Cols-1:0]       swap_i,
  input  wire [RsumW-1:0]      rsum_i,
  input  wire                  gs_i,
  input  wire                  ld_valid_i,
  input  wire [Cols*32-1:0]    ld_data_i,
  output wire [Cols*32-1:0]    t_o,
  output wire [RsumW-1:0]      rsum_o,
  output wire                  gs_o
);

  // the bottom edge at column c: the row sum and the gs flag; the load's
  // valid bit and word c after their delays
  wire [RsumW:0] edge_q [0:Cols-1];
  wire           lv     [0:Cols-1];
  wire [31:0]    lw     [0:Cols-1];

  assign edge_q[0] = {gs_i, rsum_i};
  assign rsum_o    = edge_q[Cols-1][RsumW-1:0];
  assign gs_o      = edge_q[Cols-1][RsumW];

  genvar c;
  generate
    for (c = 1; c < Cols; c = c + 1) begin : g_step
      // data only: whatever it holds outside a row is never used
      sa35_delay #(
        .Width (RsumW + 1),
        .Depth (1)
      ) u_edge (
        .clk_i (clk_i),
        .rst_i (1'b0),
        .d_i   (edge_q[c-1]),
        .q_o   (edge_q[c])
      );
    end

    for (c = 0; c < Cols; c = c + 1) begin : g_unit
      // the load's valid bit and word c, c cycles (reset: the valid bits)
      sa35_delay #(
        .Width (33),
        .Depth (c)
      ) u_word (
        .clk_i (clk_i),
        .rst_i (rst_i),
        .d_i   ({ld_valid_i, ld_data_i[32*c +: 32]}),
        .q_o   ({lv[c], lw[c]})
      );

      reg  [31:0]      shadow_q;
      reg  [31:0]      active_q;
      wire [31:0]      pair = swap_i[c] ? shadow_q : active_q;
      wire [PsumW-1:0] psum = psum_i[PsumW*c +: PsumW];
      wire [31:0]      t;

      sa35_gs_term #(
        .PsumW (PsumW),
        .RsumW (RsumW)
      ) u_term (
        .s_i    (pair[15:0]),
        .z_i    (pair[31:16]),
        .psum_i (psum),
        .rsum_i (edge_q[c][RsumW-1:0]),
        .t_o    (t)
      );

      assign t_o[32*c +: 32] = edge_q[c][RsumW] ? t
          : {{(32-PsumW){psum[PsumW-1]}}, psum};

      // Data registers: the shadow is written before a swap uses it.
      always @(posedge clk_i) begin
        if (swap_i[c]) begin
          active_q <= shadow_q;
        end
        if (lv[c]) begin
          shadow_q <= lw[c];
        end
      end
    end
  endgenerate

endmodule
