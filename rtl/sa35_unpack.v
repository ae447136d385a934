// sa35_unpack: the one Verilog unpack of a 7-bit SA35 pair code
// (shared/design/format.md; the C twins are sa35_code_even and
// sa35_code_odd in cmodel/sa35_cmodel.h).
//
//   code[6:3] = e, 4-bit two's complement: the weight of k = 2p
//   code[2:0] = c, 3-bit two's complement with twice the step: k = 2p+1
//
// The PE multiplies by e and by 2c. Sign-extending c to 4 bits and shifting
// it left by one drops the copied sign bit again, so 2c is the wires
// {c, 1'b0}: a 4-bit two's complement value in -8..6. Both outputs are
// 4-bit two's complement; no logic, only wires.
module sa35_unpack (
  input  wire [6:0] code_i,
  output wire [3:0] e_o,
  output wire [3:0] c2_o
);

  assign e_o  = code_i[6:3];
  assign c2_o = {code_i[2:0], 1'b0};

endmodule
