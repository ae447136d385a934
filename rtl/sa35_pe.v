// sa35_pe: the unpack-MAC processing element (shared/design/architecture.md).
//
// It holds one packed 7-bit pair (k = 2p, 2p+1) of one output column in its
// active register, and the next tile's pair in its shadow register. Each
// cycle it takes an activation pair from the left and passes it right, takes
// a partial sum from above and passes down
//
//     psum + a0 * e + a1 * (2c)
//
// |a0 e + a1 2c| <= 2048, so a column of R PEs needs 1 + ceil(log2(2048 R + 1))
// bits (sa35_arch_psum_bits in isa/sa35_isa.h); the array sets PsumW so.
//
// Weight double buffering: load_i writes code_i into the shadow register.
// swap_i travels with the first activation pair of a tile: in that cycle the
// PE computes with the shadow code and copies it into the active register,
// so the swap sweeps the array along the activation wavefront.
module sa35_pe #(
  parameter integer PsumW = 14
) (
  input  wire             clk_i,
  input  wire             rst_i,    // synchronous, active high
  // activation pair from the left: [7:0] = a0 (k = 2p), [15:8] = a1 (2p+1)
  input  wire [15:0]      act_i,
  input  wire             swap_i,
  output reg  [15:0]      act_o,
  output reg              swap_o,
  // partial sum from above, to below
  input  wire [PsumW-1:0] psum_i,
  output reg  [PsumW-1:0] psum_o,
  // shadow register load
  input  wire             load_i,
  input  wire [6:0]       code_i
);

  reg  [6:0] active_q;
  reg  [6:0] shadow_q;
  reg  [6:0] code;
  wire [3:0] e;
  wire [3:0] c2;

  always @* begin
    code = swap_i ? shadow_q : active_q;
  end

  sa35_unpack u_unpack (
    .code_i (code),
    .e_o    (e),
    .c2_o   (c2)
  );

  // int8 x int4 products in 12 bits (-1024 .. 1024), then the sum in PsumW.
  wire signed [11:0] a0 = {{4{act_i[7]}}, act_i[7:0]};
  wire signed [11:0] a1 = {{4{act_i[15]}}, act_i[15:8]};
  wire signed [11:0] w0 = {{8{e[3]}}, e};
  wire signed [11:0] w1 = {{8{c2[3]}}, c2};
  wire signed [11:0] p0 = a0 * w0;
  wire signed [11:0] p1 = a1 * w1;
  wire [PsumW-1:0] sum = psum_i + {{(PsumW-12){p0[11]}}, p0}
                                + {{(PsumW-12){p1[11]}}, p1};

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
