// sa35_acc_add: the adder of one accumulator column (sa35_accum), what the
// accumulator does with a row's word of that column:
//
//   int32 rows      acc_o = old_i + psum_i (psum_i sign-extended; old_i is
//                   0 on the first K tile: sa35_accum clears it)
//   gs rows         acc_o = psum_i (the term t, float32) with first_i, else
//   (GroupScale)    fl(old_i + t) (sa35_fp_add; docs/format.md, "Group
//                   scaling"): not 0 + t on the first tile, since t may be
//                   -0 and +0 + -0 = +0
//
// Combinational. With GroupScale the input is 32 bits (PsumW = 32: the
// scale row hands the accumulators t, or the partial sum sign-extended);
// without it first_i and gs_i are unused and the int32 add is all there
// is, today's accumulator slice.
module sa35_acc_add #(
  parameter integer PsumW      = 21,
  parameter integer GroupScale = 0
) (
  input  wire [31:0]      old_i,    // the row's word (0 on the first tile)
  input  wire [PsumW-1:0] psum_i,
  input  wire             first_i,
  input  wire             gs_i,
  output wire [31:0]      acc_o
);

  wire [31:0] isum;
  generate
    if (PsumW < 32) begin : g_ext
      assign isum = old_i + {{(32-PsumW){psum_i[PsumW-1]}}, psum_i};
    end else begin : g_full
      assign isum = old_i + psum_i[31:0];
    end

    if (GroupScale != 0) begin : g_float
      wire [31:0] fsum;
      sa35_fp_add u_add (
        .a_i (old_i),
        .b_i (psum_i[31:0]),
        .y_o (fsum)
      );
      assign acc_o = !gs_i ? isum : first_i ? psum_i[31:0] : fsum;
    end else begin : g_int
      assign acc_o = isum;
      wire unused_ok = ^{first_i, gs_i};
    end
  endgenerate

endmodule
