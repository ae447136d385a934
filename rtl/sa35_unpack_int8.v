// sa35_unpack_int8: the unpack of the int8 PE kind's 8-bit code (one INT8
// weight, docs/architecture.md "PE kinds"; the C twin is unpack_int8 in
// isa/isa_pe.c): the code is the weight, 8-bit two's complement, for the
// PE's one k-value (a TPU v1 PE). Wires only; a module of its own so that
// the PE's generate picks one unpack per kind like the others.
module sa35_unpack_int8 (
  input  wire [7:0] code_i,
  output wire [7:0] w_o     // w0
);

  assign w_o = code_i;

endmodule
