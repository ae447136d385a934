// sa35_unpack_int4: the unpack of the int4 PE kind's 8-bit code (two INT4
// weights, docs/architecture.md "PE kinds"; the C twin is unpack_int4 in
// isa/isa_pe.c). Ports as every kind's (rtl/sa35_unpack_sa35.v).
//
//   code[3:0] = w0, 4-bit two's complement: the weight of k = 2p
//   code[7:4] = w1, 4-bit two's complement: k = 2p+1
//
// The low nibble is the even k because the INT4 format stores its codes as
// a little-endian stream of 4-bit fields, two a byte (format.md). Wires
// only.
module sa35_unpack_int4 (
  input  wire [7:0] code_i,
  output wire [7:0] w_o     // {w1, w0}: the code as it is
);

  assign w_o = code_i;

endmodule
