// sa35_fp_add: IEEE binary32 addition, rounded to nearest, ties to even:
// fl(a + b) of docs/format.md, "Group scaling (normative)": the sum of the
// scale unit (fl(s psum) + fl(z rsum), sa35_gs_term) and the float32
// accumulator's fl(acc + t) (sa35_accum). Combinational.
//
// Domain: normals and signed zeros in, and sums that are normals or zero.
// That is all group scaling meets: format.md shows that every value of it
// is a multiple of 2^-24 (binary16 values are, and so are their products
// with integers and the sums of those, exact or rounded to binary32), so a
// nonzero one is at least 2^-24 in magnitude, and that every magnitude
// stays below 2^59. Subnormals, infinities and NaNs are therefore not
// handled: an input with exponent field 0 is taken as a zero, one with 255
// as a normal, and a sum that would fall below 2^-126 or reach 2^128 comes
// out wrong; none can arise in group scaling. Zeros follow IEEE
// round-to-nearest: x + (-x) = +0, (+0) + (-0) = +0, (-0) + (-0) = -0,
// x + 0 = x.
//
// Method (guard, round and sticky bits): the operand of larger magnitude
// is x, the other y; y's significand with three zero bits below is shifted
// right by the exponent difference d (at most 27), the bits shifted out
// ORed into its lowest bit (sticky); the significands are added (same
// signs) or subtracted (different: x - y >= 0). A carry shifts the sum
// right by one (the lost bit ORed into the sticky), else the difference is
// shifted left to its leading one (a shift of more than one only when d <=
// 1, where nothing was lost); then rounding on guard and (round, sticky or
// the LSB), and a carry out of the rounding gives fraction 0, exponent + 1.
// An exact zero is +0 unless both operands are -0.
//
// Critical path: the 31-bit magnitude compare and operand swap, the 8-bit
// exponent difference, the 27-bit alignment shifter with its sticky OR,
// the 28-bit adder, the 27-bit leading-one search and normalizing shift,
// the 24-bit rounding increment and the exponent adjust.
module sa35_fp_add (
  input  wire [31:0] a_i,
  input  wire [31:0] b_i,
  output reg  [31:0] y_o   // fl(a + b)
);

  wire        a_big = a_i[30:0] >= b_i[30:0];
  wire [31:0] x     = a_big ? a_i : b_i;
  wire [31:0] y     = a_big ? b_i : a_i;
  wire [7:0]  x_exp = x[30:23];
  wire [7:0]  y_exp = y[30:23];
  // significands with three bits below for guard, round and sticky
  wire [26:0] x_sig = {x_exp != 8'd0, x[22:0], 3'b000};
  wire [26:0] y_sig = {y_exp != 8'd0, y[22:0], 3'b000};
  wire [7:0]  diff  = x_exp - y_exp;
  wire [4:0]  shift = diff > 8'd27 ? 5'd27 : diff[4:0];
  wire        same  = x[31] == y[31];

  reg  [53:0] wide;    // y_sig shifted: aligned bits, then the lost ones
  reg  [26:0] y_al;
  reg  [27:0] sum;
  reg  [26:0] norm;    // the result's significand at bits 26:3
  reg  [4:0]  lz;
  reg  [9:0]  exp;     // biased, with room below 0 and above 255
  reg  [24:0] sig;
  reg         round;
  integer     i;

  always @* begin
    wide = {y_sig, 27'd0} >> shift;
    y_al = wide[53:27] | {26'd0, wide[26:0] != 27'd0};
    if (same) begin
      sum = {1'b0, x_sig} + {1'b0, y_al};
    end else begin
      sum = {1'b0, x_sig} - {1'b0, y_al};
    end
    // leading zeros of sum[26:0] (27 when it is 0)
    lz = 5'd27;
    for (i = 0; i < 27; i = i + 1) begin
      if (sum[i]) begin
        lz = 5'd26 - i[4:0];
      end
    end
    if (sum[27]) begin
      norm = {sum[27:2], sum[1] | sum[0]};
      exp  = {2'b00, x_exp} + 10'd1;
    end else begin
      norm = sum[26:0] << lz;
      exp  = {2'b00, x_exp} - {5'd0, lz};
    end
    round = norm[2] && (norm[1] || norm[0] || norm[3]);
    sig   = {1'b0, norm[26:3]} + {24'd0, round};
    exp   = exp + {9'd0, sig[24]};
    if (sum == 28'd0) begin
      y_o = {same && x[31], 31'd0};
    end else begin
      // with a carry the significand is 1.000 (sig[22:0] is 0 then)
      y_o = {x[31], exp[7:0], sig[22:0]};
    end
  end

  // the exponent's bits past 255 and below 0: none in the domain
  // (and the significand's leading one, implicit in binary32)
  wire unused_ok = ^{exp[9:8], sig[23]};

endmodule
