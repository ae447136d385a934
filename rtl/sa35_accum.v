// sa35_accum: the int32 accumulators, AccRows rows of Cols, and the int32
// row sums of the activations (rsum[m], for the output unit's zero-point
// term). A valid row from the array (in_valid_i, de-skewed partial sums
// psum_i, its row sum rsum_i) is added into row in_row_i, or replaces it
// when in_first_i (the first K tile). One read port for the output unit
// (combinational: it sees the rows as they were at the start of the cycle).
//
// Group scaling (GroupScale = 1; docs/format.md, "Group scaling"): a row
// with in_gs_i (written by an mm.gs) holds float32 words and psum_i holds
// the terms t of the scale row: acc = t with in_first_i, else acc =
// fl(acc + t) (sa35_fp_add, combinational, in the cycle the row arrives);
// other rows add as int32 (sa35_acc_add, one per column). psum_i is then 32 bits a column (PsumW = 32:
// the scale row sign-extends the partial sums of plain rows).
module sa35_accum #(
  parameter integer Cols    = 4,
  parameter integer PsumW   = 14,
  parameter integer RsumW   = 12,
  parameter integer AccRows = 4096,
  parameter integer GroupScale = 0  // 1: float32 rows (in_gs_i)
) (
  input  wire               clk_i,
  input  wire               in_valid_i,
  input  wire               in_first_i,
  input  wire               in_gs_i,
  input  wire [15:0]        in_row_i,
  input  wire [Cols*PsumW-1:0] psum_i,
  input  wire [RsumW-1:0]   rsum_i,
  input  wire [15:0]        rd_row_i,
  output wire [Cols*32-1:0] rd_acc_o,
  output wire [31:0]        rd_rsum_o
);

  localparam integer AddrW = $clog2(AccRows);

  reg [Cols*32-1:0] acc_mem  [0:AccRows-1];
  reg [31:0]        rsum_mem [0:AccRows-1];

  wire [AddrW-1:0] wr_row = in_row_i[AddrW-1:0];
  wire [AddrW-1:0] rd_row = rd_row_i[AddrW-1:0];
  // rows beyond AccRows never come (the program validator checks them)
  wire unused_rows = ^{in_row_i, rd_row_i};

  // The row being added to, and the sums to write back.
  wire [Cols*32-1:0] old_acc  = in_first_i ? {(Cols*32){1'b0}} : acc_mem[wr_row];
  wire [31:0]        old_rsum = in_first_i ? 32'd0 : rsum_mem[wr_row];
  wire [Cols*32-1:0] new_acc;
  wire [31:0]        new_rsum = old_rsum + {{(32-RsumW){rsum_i[RsumW-1]}}, rsum_i};

  genvar c;
  generate
    for (c = 0; c < Cols; c = c + 1) begin : g_col
      sa35_acc_add #(
        .PsumW      (PsumW),
        .GroupScale (GroupScale)
      ) u_add (
        .old_i   (old_acc[c*32 +: 32]),
        .psum_i  (psum_i[c*PsumW +: PsumW]),
        .first_i (in_first_i),
        .gs_i    (in_gs_i),
        .acc_o   (new_acc[c*32 +: 32])
      );
    end
  endgenerate

  always @(posedge clk_i) begin
    if (in_valid_i) begin
      acc_mem[wr_row]  <= new_acc;
      rsum_mem[wr_row] <= new_rsum;
    end
  end

  assign rd_acc_o  = acc_mem[rd_row];
  assign rd_rsum_o = rsum_mem[rd_row];

endmodule
