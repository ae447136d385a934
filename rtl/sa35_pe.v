// sa35_pe: the unpack-MAC processing element (docs/architecture.md, "The
// datapath of one tile" and "PE kinds").
//
// It holds one CodeW-bit weight code of one output column in its active
// register, and the next tile's code in its shadow register. The code
// covers KPerRow k-values of its PE row: sa35 a packed 7-bit pair (e, c),
// int4 two 4-bit weights in 8 bits, int8 one 8-bit weight. Each cycle it
// takes KPerRow int8 activations from the left and passes them right, takes
// a partial sum from above and passes down
//
//     psum + sum_{i < KPerRow} a_i * w_i,    (w_0, w_1) = unpack(code)
//
// (sa35: psum + a0 * e + a1 * (2c)). The sum is at most ProdBound (2048 for
// sa35 and int4, 16384 for int8) in magnitude, so a column of R PEs needs
// 1 + ceil(log2(ProdBound R + 1)) bits (sa35_arch_psum_bits in
// isa/sa35_isa.h); the array sets PsumW so.
//
// The kind (PeKind, numbered as the C enum sa35_pe_kind) fixes the widths
// (sa35_pe_kind.vh, generated from isa/isa_pe.c) and picks the unpack
// module; the multipliers are as
// narrow as the kind's weights (int8 x 4-bit for sa35 and int4, int8 x int8
// for int8), so that the synthesized area is the kind's own.
//
// Weight double buffering: load_i writes code_i into the shadow register.
// swap_i travels with the first activations of a tile: in that cycle the
// PE computes with the shadow code and copies it into the active register,
// so the swap sweeps the array along the activation wavefront.
module sa35_pe #(
  parameter integer PeKind = 0,  // 0 sa35, 1 int4, 2 int8
  // the partial sum's width: the array derives it from the kind's
  // ProdBound and its rows (1 + ceil(log2(ProdBound R + 1))); the default
  // holds two rows of any kind's products (|a w| <= 128 x 128 each; the
  // parameter list cannot see sa35_pe_kind.vh's ProdBound yet)
  parameter integer PsumW  = 1 + $clog2(2 * 16384 + 1)
) (
  input  wire             clk_i,
  input  wire             rst_i,    // synchronous, active high
  // activations from the left: a_i = act_i[8i +: 8] (k = KPerRow p + i)
  input  wire [ActW-1:0]  act_i,
  input  wire             swap_i,
  output reg  [ActW-1:0]  act_o,
  output reg              swap_o,
  // partial sum from above, to below
  input  wire [PsumW-1:0] psum_i,
  output reg  [PsumW-1:0] psum_o,
  // shadow register load
  input  wire             load_i,
  input  wire [CodeW-1:0] code_i
);

`include "sa35_pe_kind.vh"

  reg  [CodeW-1:0] active_q;
  reg  [CodeW-1:0] shadow_q;
  reg  [CodeW-1:0] code;
  // the unpacked weights, w_i in wts[WeightW i +: WeightW]
  wire [KPerRow*WeightW-1:0] wts;

  always @* begin
    code = swap_i ? shadow_q : active_q;
  end

  // The one part that differs per kind: wires from the code to the weights.
  // Every kind's unpack has the same ports (rtl/sa35_unpack_sa35.v); a new
  // kind is one more branch here (docs/extending.md).
  generate
    if (PeKind == PeSa35) begin : g_sa35
      sa35_unpack_sa35 u_unpack (.code_i (code), .w_o (wts));
    end else if (PeKind == PeInt4) begin : g_int4
      sa35_unpack_int4 u_unpack (.code_i (code), .w_o (wts));
    end else if (PeKind == PeInt8) begin : g_int8
      sa35_unpack_int8 u_unpack (.code_i (code), .w_o (wts));
    end else begin : g_none
      // no such kind: isa/isa_pe.c has a kind this list lacks
      assign wts = {(KPerRow*WeightW){1'b0}};
    end
  endgenerate

  // int8 x weight products in ProdW bits (12 for 4-bit weights: -1024 ..
  // 1024; 16 for int8 ones: -16256 .. 16384), then the sum in PsumW.
  wire signed [ProdW-1:0] a0 = {{(ProdW-8){act_i[7]}}, act_i[7:0]};
  wire signed [ProdW-1:0] w0 = {{(ProdW-WeightW){wts[WeightW-1]}},
                                wts[WeightW-1:0]};
  wire signed [ProdW-1:0] p0 = a0 * w0;
  wire [PsumW-1:0] sum;
  generate
    if (KPerRow == 2) begin : g_sum2
      wire signed [ProdW-1:0] a1 = {{(ProdW-8){act_i[15]}}, act_i[15:8]};
      wire signed [ProdW-1:0] w1 = {{(ProdW-WeightW){wts[2*WeightW-1]}},
                                    wts[2*WeightW-1:WeightW]};
      wire signed [ProdW-1:0] p1 = a1 * w1;
      assign sum = psum_i + {{(PsumW-ProdW){p0[ProdW-1]}}, p0}
                          + {{(PsumW-ProdW){p1[ProdW-1]}}, p1};
    end else begin : g_sum1
      assign sum = psum_i + {{(PsumW-ProdW){p0[ProdW-1]}}, p0};
    end
  endgenerate

  always @(posedge clk_i) begin
    if (rst_i) begin
      swap_o <= 1'b0;
    end else begin
      swap_o <= swap_i;
    end
  end

  always @(posedge clk_i) begin
    act_o  <= act_i;
    psum_o <= sum;
    if (swap_i) begin
      active_q <= shadow_q;
    end
    if (load_i) begin
      shadow_q <= code_i;
    end
  end

endmodule
