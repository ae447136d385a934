// sa35_decode: the instruction decoder. One 16-byte instruction word in
// (docs/isa.md, "Binary form"; byte 0 in bits 7:0), its opcode and every
// field by name out. Kept apart from the controller (sa35_ctrl.v) as
// lowRISC Ibex keeps ibex_decoder apart from its controller: the format is
// here, when each instruction may issue is there.
//
// Where each field sits is not written here: sa35_isa_fields.vh is
// generated at configure time from isa/include/sa35_isa.def, the table the C
// encoder, decoder, text form and validator are made of, so the RTL and
// the C model cannot disagree on the layout. Each output is assigned
// through the table's position, width and value bit (Fld<Name>Lsb, W,
// Val); the port widths are the fields', so a field that grows in the
// table without its port here fails lint (out-of-range select, undriven
// bits) rather than being cut silently.
//
// The fields are pure slices of the word, valid when op_o is their opcode
// and don't-care otherwise: the controller qualifies every use with the
// opcode, and gating them here would only put muxes on the issue path.
// illegal_o flags what the C decoder rejects (an unknown opcode, a flag or
// a bit outside the opcode's fields set); the engines only run validated
// programs, so the controller does not act on it (a chip would trap).
module sa35_decode (
  input  wire [127:0] instr_i,     // the instruction, little-endian bytes
  output wire [7:0]   op_o,        // opcode: Op* of sa35_isa_fields.vh
  output wire         illegal_o,
  // dma.ld, dma.st
  output wire [47:0]  dma_dram_o,  // off-chip byte address
  output wire [31:0]  dma_sram_o,
  output wire [31:0]  dma_bytes_o,
  // ldw
  output wire         ldw_gs_o,    // and the tile's scale words
  output wire [31:0]  ldw_sram_o,  // the tile in SRAM
  output wire [15:0]  ldw_rows_o,  // tile rows (k_per_row k-values each)
  output wire [31:0]  ldw_cols_o,  // tile columns
  // mm
  output wire         mm_first_o,  // acc = psum (else acc += psum)
  output wire         mm_last_o,   // the accumulator rows are complete
  output wire         mm_swap_o,   // shadow -> active as row 0 passes
  output wire         mm_gs_o,     // group-scaled: float32 acc += t
  output wire [31:0]  mm_sram_o,   // first activation row
  output wire [31:0]  mm_stride_o, // bytes between activation rows
  output wire [15:0]  mm_m_o,      // activation rows streamed
  output wire [15:0]  mm_acc_o,    // first accumulator row
  // out
  output wire         out_scale_o, // float32 Y instead of int32 acc
  output wire         out_fp_o,    // the rows hold float32 (mm.gs)
  output wire [31:0]  out_sram_o,
  output wire [31:0]  out_stride_o,
  output wire [15:0]  out_rows_o,  // accumulator rows
  output wire [15:0]  out_cols_o,
  output wire [15:0]  out_acc_o,   // first accumulator row
  // scl: SRAM addresses of sa[m], s[n], z[n]
  output wire [31:0]  scl_sa_o,
  output wire [31:0]  scl_s_o,
  output wire [31:0]  scl_z_o
);

  `include "sa35_isa_fields.vh"

  assign op_o = instr_i[7:0];

  assign mm_first_o  = instr_i[FlagMmFirst];
  assign mm_last_o   = instr_i[FlagMmLast];
  assign mm_swap_o   = instr_i[FlagMmSwap];
  assign mm_gs_o     = instr_i[FlagMmGs];
  assign ldw_gs_o    = instr_i[FlagLdwGs];
  assign out_scale_o = instr_i[FlagOutScale];
  assign out_fp_o    = instr_i[FlagOutFp];

  // the off-chip address is two fields: dram[31:0] in W1, dram[47:32] in H
  assign dma_dram_o[FldDmaDramLoVal +: FldDmaDramLoW] =
      instr_i[FldDmaDramLoLsb +: FldDmaDramLoW];
  assign dma_dram_o[FldDmaDramHiVal +: FldDmaDramHiW] =
      instr_i[FldDmaDramHiLsb +: FldDmaDramHiW];
  assign dma_sram_o   = instr_i[FldDmaSramLsb +: FldDmaSramW];
  assign dma_bytes_o  = instr_i[FldDmaBytesLsb +: FldDmaBytesW];

  assign ldw_sram_o   = instr_i[FldLdwSramLsb +: FldLdwSramW];
  assign ldw_rows_o   = instr_i[FldLdwRowsLsb +: FldLdwRowsW];
  assign ldw_cols_o   = instr_i[FldLdwColsLsb +: FldLdwColsW];

  assign mm_sram_o    = instr_i[FldMmSramLsb +: FldMmSramW];
  assign mm_stride_o  = instr_i[FldMmStrideLsb +: FldMmStrideW];
  assign mm_m_o       = instr_i[FldMmMLsb +: FldMmMW];
  assign mm_acc_o     = instr_i[FldMmAccLsb +: FldMmAccW];

  assign out_sram_o   = instr_i[FldOutSramLsb +: FldOutSramW];
  assign out_stride_o = instr_i[FldOutStrideLsb +: FldOutStrideW];
  assign out_rows_o   = instr_i[FldOutRowsLsb +: FldOutRowsW];
  assign out_cols_o   = instr_i[FldOutColsLsb +: FldOutColsW];
  assign out_acc_o    = instr_i[FldOutAccLsb +: FldOutAccW];

  assign scl_sa_o     = instr_i[FldSclSaLsb +: FldSclSaW];
  assign scl_s_o      = instr_i[FldSclSLsb +: FldSclSW];
  assign scl_z_o      = instr_i[FldSclZLsb +: FldSclZW];

  // The bits the opcode gives a meaning (the table's Used* masks): any
  // other bit set, or an opcode the table does not have, is illegal.
  reg [InstrW-1:0] used;
  always @* begin
    case (op_o)
      OpDmaLd: used = UsedDmaLd;
      OpDmaSt: used = UsedDmaSt;
      OpLdw:   used = UsedLdw;
      OpMm:    used = UsedMm;
      OpOut:   used = UsedOut;
      OpScl:   used = UsedScl;
      OpSync:  used = UsedSync;
      default: used = {InstrW{1'b0}};
    endcase
  end
  assign illegal_o = used == {InstrW{1'b0}} ||
                     (instr_i & ~used) != {InstrW{1'b0}};

endmodule
