// sa35_gs_term: the group term of one column and one activation row,
//
//     t = fl( fl(s * float(psum)) + fl(z * float(rsum)) )
//
// (docs/format.md, "Group scaling (normative)"; the C twin is
// sa35_group_term in cmodel/golden_gemm.c): s and z the column's active
// binary16 scale and zero, psum the tile's partial sum of the column, rsum
// the row's activation sum over the tile, both two's complement with
// magnitude below 2^24. Two sa35_fp_mul and one sa35_fp_add, combinational;
// the domain is theirs (no infinity or NaN in s and z; the products and
// their sum are normals or signed zeros, as format.md proves).
//
// Critical path: one sa35_fp_mul (the wider of the two, PsumW) into the
// sa35_fp_add.
module sa35_gs_term #(
  parameter integer PsumW = 21,
  parameter integer RsumW = 18
) (
  input  wire [15:0]      s_i,
  input  wire [15:0]      z_i,
  input  wire [PsumW-1:0] psum_i,
  input  wire [RsumW-1:0] rsum_i,
  output wire [31:0]      t_o
);

  wire [31:0] sp;  // fl(s psum)
  wire [31:0] zr;  // fl(z rsum)

  sa35_fp_mul #(
    .IntW (PsumW)
  ) u_mul_s (
    .h_i (s_i),
    .x_i (psum_i),
    .y_o (sp)
  );

  sa35_fp_mul #(
    .IntW (RsumW)
  ) u_mul_z (
    .h_i (z_i),
    .x_i (rsum_i),
    .y_o (zr)
  );

  sa35_fp_add u_add (
    .a_i (sp),
    .b_i (zr),
    .y_o (t_o)
  );

endmodule
