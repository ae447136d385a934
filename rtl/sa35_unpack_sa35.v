// sa35_unpack_sa35: the unpack of the sa35 PE kind's 7-bit pair code, the
// one Verilog unpack of SA35 (docs/format.md; the C twins are
// sa35_code_even and sa35_code_odd in cmodel/sa35_cmodel.h, through
// unpack_sa35 in isa/isa_pe.c). Every kind's unpack has these ports:
// code_i, the PE's code, and w_o, its KPerRow weights of WeightW bits
// (w_i at w_o[WeightW i +: WeightW]).
//
//   code[6:3] = e, 4-bit two's complement: the weight of k = 2p
//   code[2:0] = c, 3-bit two's complement with twice the step: k = 2p+1
//
// The PE multiplies by e and by 2c. Sign-extending c to 4 bits and shifting
// it left by one drops the copied sign bit again, so 2c is the wires
// {c, 1'b0}: a 4-bit two's complement value in -8..6. Both outputs are
// 4-bit two's complement; no logic, only wires.
module sa35_unpack_sa35 (
  input  wire [6:0] code_i,
  output wire [7:0] w_o     // {2c, e}
);

  assign w_o = {code_i[2:0], 1'b0, code_i[6:3]};

endmodule
