// sa35_pe_kind.vh: what a PE kind fixes in the RTL (docs/architecture.md,
// "PE kinds"; the C table is isa/isa_pe.c, whose numbering this follows:
// sa35_pe_kind). Included inside every module that takes the PeKind
// parameter, so that the widths below are written once. Nothing else in the
// RTL depends on the kind but the unpack module the PE instantiates.
//
//   kind  PeKind  CodeW  KPerRow  unpack            weights
//   sa35  0       7      2        sa35_unpack       e (4-bit), 2c (4-bit)
//   int4  1       8      2        sa35_unpack_int4  2 x 4-bit
//   int8  2       8      1        sa35_unpack_int8  1 x 8-bit
//
// Not every module uses every width.
/* verilator lint_off UNUSEDPARAM */
localparam integer PeSa35 = 0;
localparam integer PeInt4 = 1;
localparam integer PeInt8 = 2;
// bits of one PE's weight code: the shadow and active registers, one column
// of a load lane, one field of a tile row's bit stream in SRAM
localparam integer CodeW = PeKind == PeSa35 ? 7 : 8;
// k-values per PE row: activation bytes a PE takes each cycle (and passes
// right), MACs it does per busy cycle
localparam integer KPerRow = PeKind == PeInt8 ? 1 : 2;
// bits of one unpacked weight (two's complement), the multiplier's second
// operand: the narrowest that holds the kind's weights (sa35: -8..7 and
// 2c in -8..6; int4: -8..7; int8: -128..127)
localparam integer WeightW = PeKind == PeInt8 ? 8 : 4;
// bits of one int8 x weight product: |a w| <= 128 * 2^(WeightW-1)
localparam integer ProdW = 8 + WeightW;
// |sum_i a_i w_i| of one PE (sa35_pe_product_bound): the partial sum of R
// rows needs 1 + ceil(log2(ProdBound R + 1)) bits
localparam integer ProdBound = KPerRow * 128 * (1 << (WeightW - 1));
// bits of the activations one PE takes from the left
localparam integer ActW = 8 * KPerRow;
/* verilator lint_on UNUSEDPARAM */
