// sa35_fp_mul: an IEEE binary16 value times a signed integer, rounded to
// IEEE binary32, to nearest, ties to even: fl(h * float(x)) of
// docs/format.md, "Group scaling (normative)", the products s * psum and
// z * rsum of the scale unit (sa35_gs_term). Combinational.
//
// Domain: h_i is any binary16 value but an infinity or a NaN (exponent
// field 31): zeros of both signs, subnormals (exact in binary32: m 2^-24)
// and normals. x_i is a two's complement integer of IntW bits with |x| <
// 2^24, so float(x) is exact and the one rounding is the product's. The
// result is then always a binary32 normal or a signed zero, never a
// subnormal, an infinity or a NaN (format.md's argument: a nonzero product
// is a multiple of 2^-24, at least 2^-24 in magnitude, and |h x| < 2^16
// 2^24 = 2^40), so none of those is handled here. The sign is IEEE's: h x
// = 0 has the sign of h xor that of x, and float(0) is +0 (-0 * 5 = -0,
// 3 * 0 = +0, -3 * 0 = -0).
//
// Method: h = m 2^(eh - 25) with m = {exp != 0, frac} (11 bits) and eh =
// max(exp, 1); the exact product is P 2^(eh - 25), P = m |x| (11 + IntW
// bits). P is shifted left until its leading one is the top bit of an
// NW-bit field (NW = max(11 + IntW, 26)), then the top 24 bits are the
// significand, the next bit the guard and the rest the sticky bit; round
// up on guard and (sticky or the significand's LSB). A carry out of the
// significand (24 ones + 1) gives the next power of two: fraction 0,
// exponent + 1. The biased exponent is p + eh + 102 (p: the leading one's
// position in P), at least 103 and at most 167 + 1.
//
// Critical path: the |x| negation (IntW-bit increment), the 11 x IntW
// multiplier, the NW-bit leading-one search and left shift (6 mux levels
// at NW = 36), the 24-bit rounding increment, the exponent adder.
module sa35_fp_mul #(
  parameter integer IntW = 25  // bits of x_i (|x| < 2^24: at most 25)
) (
  input  wire [15:0]     h_i,  // binary16
  input  wire [IntW-1:0] x_i,  // two's complement
  output reg  [31:0]     y_o   // binary32: fl(h * x)
);

  localparam integer PW = 11 + IntW;         // bits of the exact product
  localparam integer NW = PW < 26 ? 26 : PW; // room for 24 + guard + sticky
  localparam integer TopI = NW - 1;
  localparam [7:0]   Top  = TopI[7:0];           // the leading one's place

  wire            x_neg = x_i[IntW-1];
  wire [IntW-1:0] x_mag = x_neg ? ~x_i + {{(IntW-1){1'b0}}, 1'b1} : x_i;
  wire [4:0]      h_exp = h_i[14:10];
  wire [10:0]     h_man = {h_exp != 5'd0, h_i[9:0]};
  // max(exp, 1): a subnormal has the exponent of the smallest normal
  wire [4:0]      h_eh  = h_exp == 5'd0 ? 5'd1 : h_exp;

  wire [PW-1:0] prod = {{IntW{1'b0}}, h_man} * {11'd0, x_mag};
  wire [NW-1:0] p_nw = {{(NW-PW){1'b0}}, prod};

  reg  [7:0]    lead;    // position of the leading one of prod
  reg  [NW-1:0] norm;    // prod with its leading one at bit NW-1
  reg           guard;
  reg           sticky;
  reg  [24:0]   sig;     // the rounded significand, 1.xxx (bit 24: carry)
  reg  [7:0]    exp;
  integer       i;

  always @* begin
    lead = 8'd0;
    for (i = 0; i < PW; i = i + 1) begin
      if (prod[i]) begin
        lead = i[7:0];
      end
    end
    norm   = p_nw << (Top - lead);
    guard  = norm[NW-25];
    sticky = |norm[NW-26:0];
    sig    = {1'b0, norm[NW-1 -: 24]} +
             {24'd0, guard && (sticky || norm[NW-24])};
    exp    = lead + {3'd0, h_eh} + 8'd102 + {7'd0, sig[24]};
    if (prod == {PW{1'b0}}) begin
      y_o = {h_i[15] ^ x_neg, 31'd0};
    end else begin
      // with a carry the significand is 1.000 (sig[22:0] is 0 then)
      y_o = {h_i[15] ^ x_neg, exp, sig[22:0]};
    end
  end

  // the leading one of the rounded significand (implicit in binary32)
  wire unused_ok = sig[23];

endmodule
