// sa35_scoreboard: the SRAM scoreboard of docs/architecture.md ("The memory
// system"), for a non-ideal memory (enable_i; the ideal memory has none).
// A table of Entries recent accesses: byte range [lo, hi), the access's
// last cycle, read or write. In cycle t an entry binds a query on an
// overlapping range when
//   the entry is a write and last >= t   (read after write: the query's
//                                         first access >= last + 1;
//                                         write after write likewise)
//   the entry is a read, the query a write, and last > t
//                                        (write after read: >= last)
// so an entry whose last cycle has passed binds nothing: its slot is free.
// A dma's window is not known at its issue while the channel is busy: its
// entry is pending on the channel's slot (SlotW bits) until then, and
// binds as if its last cycle were still ahead (a dma.ld's write window ends
// at D - 1, after the cycle its transfer's x ends; a dma.st's read is in
// its start cycle T):
//   a pending write binds every overlapping query; a pending read binds an
//   overlapping write query, but not in the cycle its transfer starts
//   (start_*: last = T = this cycle binds no write)
// and takes its last cycle from the channel: a read when its transfer
// starts (start_*), a write when its x ends (fin_*: last = D - 1).
//
// Queries (combinational, this cycle):
//   oq_*  the waiting out's ranges, before it starts: against the table
//   iq_*  the instruction at pc: against the table and the records 0..3 of
//         this cycle (the out starting now, whose windows begin now)
// Records (written at the end of the cycle): 0..3 the out starting now
// (its SRAM rows, and the .scale reads sa, s, z), 4 the instruction
// issued now. Empty ranges are not recorded (as sim/mem_unit.c).
// A record with no free slot sets full_o (sticky): the simulator's table
// is unbounded, so the RTL stops rather than differ.
module sa35_scoreboard #(
  parameter integer Entries = 32,
  parameter integer AddrW   = 33,   // SRAM byte addresses, and their end
  parameter integer CycleW  = 48,
  parameter integer SlotW   = 5     // channel slot numbers
) (
  input  wire                 clk_i,
  input  wire                 rst_i,
  input  wire                 enable_i,
  input  wire [CycleW-1:0]    cycle_i,
  input  wire [3:0]           oq_valid_i,
  input  wire [4*AddrW-1:0]   oq_lo_i,
  input  wire [4*AddrW-1:0]   oq_hi_i,
  input  wire [3:0]           oq_write_i,
  output wire                 oq_ok_o,
  input  wire                 iq_valid_i,
  input  wire [AddrW-1:0]     iq_lo_i,
  input  wire [AddrW-1:0]     iq_hi_i,
  input  wire                 iq_write_i,
  output wire                 iq_ok_o,
  input  wire [3:0]           orec_valid_i,   // records 0..3
  input  wire [4*AddrW-1:0]   orec_lo_i,
  input  wire [4*AddrW-1:0]   orec_hi_i,
  input  wire [4*CycleW-1:0]  orec_last_i,
  input  wire [3:0]           orec_write_i,
  input  wire                 irec_valid_i,   // record 4
  input  wire [AddrW-1:0]     irec_lo_i,
  input  wire [AddrW-1:0]     irec_hi_i,
  input  wire [CycleW-1:0]    irec_last_i,
  input  wire                 irec_write_i,
  input  wire                 irec_pending_i, // a dma: on its slot
  input  wire [SlotW-1:0]     irec_slot_i,
  // the channel: a queued transfer starts now; a transfer's x ends now
  input  wire                 start_valid_i,
  input  wire [SlotW-1:0]     start_slot_i,
  input  wire                 fin_valid_i,
  input  wire [SlotW-1:0]     fin_slot_i,
  input  wire [CycleW-1:0]    fin_last_i,
  output wire                 full_o
);

  localparam integer IdxW = Entries > 1 ? $clog2(Entries) : 1;

  reg              valid_q [0:Entries-1];
  reg [AddrW-1:0]  lo_q    [0:Entries-1];
  reg [AddrW-1:0]  hi_q    [0:Entries-1];
  reg [CycleW-1:0] last_q  [0:Entries-1];
  reg              write_q [0:Entries-1];
  reg              pend_q  [0:Entries-1];
  reg [SlotW-1:0]  slot_q  [0:Entries-1];
  reg              full_q;
  reg [4:0]        rec;            // records that take a slot
  reg [4:0]        placed;         // ... and found one
  reg [IdxW-1:0]   slot [0:4];
  reg [Entries-1:0] taken;

  function automatic binds;
    input [AddrW-1:0]  lo;
    input [AddrW-1:0]  hi;
    input [CycleW-1:0] last;
    input              write;
    input [AddrW-1:0]  qlo;
    input [AddrW-1:0]  qhi;
    input              qwrite;
    input [CycleW-1:0] t;
    begin
      binds = lo < qhi && qlo < hi &&
              (write ? last >= t : qwrite && last > t);
    end
  endfunction

  // a pending entry against a query
  function automatic pend_binds;
    input [AddrW-1:0]  lo;
    input [AddrW-1:0]  hi;
    input              write;
    input              starts;   // its transfer starts now
    input [AddrW-1:0]  qlo;
    input [AddrW-1:0]  qhi;
    input              qwrite;
    begin
      pend_binds = lo < qhi && qlo < hi && (write || (qwrite && !starts));
    end
  endfunction

  // ------------------------------------------------------------- queries
  reg oq_bind;
  reg [Entries-1:0] starts;
  reg iq_bind;
  reg [Entries-1:0] free;
  integer e, q;
  // (two blocks: the issue query sees the out starting now, which the out
  // query decides)
  always @* begin
    oq_bind = 1'b0;
    for (e = 0; e < Entries; e = e + 1) begin
      free[e] = !valid_q[e] || (!pend_q[e] && last_q[e] < cycle_i);
      starts[e] = start_valid_i && slot_q[e] == start_slot_i;
      for (q = 0; q < 4; q = q + 1) begin
        if (valid_q[e] && oq_valid_i[q] &&
            (pend_q[e]
             ? pend_binds(lo_q[e], hi_q[e], write_q[e], starts[e],
                          oq_lo_i[q*AddrW +: AddrW],
                          oq_hi_i[q*AddrW +: AddrW], oq_write_i[q])
             : binds(lo_q[e], hi_q[e], last_q[e], write_q[e],
                     oq_lo_i[q*AddrW +: AddrW], oq_hi_i[q*AddrW +: AddrW],
                     oq_write_i[q], cycle_i))) begin
          oq_bind = 1'b1;
        end
      end
    end
  end

  integer i, j;
  always @* begin
    iq_bind = 1'b0;
    for (i = 0; i < Entries; i = i + 1) begin
      if (valid_q[i] && iq_valid_i &&
          (pend_q[i]
           ? pend_binds(lo_q[i], hi_q[i], write_q[i], starts[i], iq_lo_i,
                        iq_hi_i, iq_write_i)
           : binds(lo_q[i], hi_q[i], last_q[i], write_q[i], iq_lo_i,
                   iq_hi_i, iq_write_i, cycle_i))) begin
        iq_bind = 1'b1;
      end
    end
    for (j = 0; j < 4; j = j + 1) begin
      if (orec_valid_i[j] && iq_valid_i &&
          binds(orec_lo_i[j*AddrW +: AddrW], orec_hi_i[j*AddrW +: AddrW],
                orec_last_i[j*CycleW +: CycleW], orec_write_i[j], iq_lo_i,
                iq_hi_i, iq_write_i, cycle_i)) begin
        iq_bind = 1'b1;
      end
    end
  end

  assign oq_ok_o = !enable_i || !oq_bind;
  assign iq_ok_o = !enable_i || !iq_bind;
  assign full_o  = full_q;

  // ---------------------------------------------------------- allocation
  // record r takes the r-th free slot (lowest first)
  wire [4:0]          rec_valid = {irec_valid_i, orec_valid_i};
  wire [5*AddrW-1:0]  rec_lo    = {irec_lo_i, orec_lo_i};
  wire [5*AddrW-1:0]  rec_hi    = {irec_hi_i, orec_hi_i};
  wire [5*CycleW-1:0] rec_last  = {irec_last_i, orec_last_i};
  wire [4:0]          rec_write = {irec_write_i, orec_write_i};
  integer r, s;
  always @* begin
    taken = {Entries{1'b0}};
    for (r = 0; r < 5; r = r + 1) begin
      rec[r] = enable_i && rec_valid[r] &&
               rec_lo[r*AddrW +: AddrW] < rec_hi[r*AddrW +: AddrW];
      slot[r] = {IdxW{1'b0}};
      placed[r] = 1'b0;
      for (s = 0; s < Entries; s = s + 1) begin
        if (rec[r] && !placed[r] && free[s] && !taken[s]) begin
          slot[r] = s[IdxW-1:0];
          placed[r] = 1'b1;
          taken[s] = 1'b1;
        end
      end
    end
  end

  integer k;
  always @(posedge clk_i) begin
    if (rst_i) begin
      full_q <= 1'b0;
      for (k = 0; k < Entries; k = k + 1) begin
        valid_q[k] <= 1'b0;
      end
    end else begin
      if ((rec & ~placed) != 5'd0) begin
        full_q <= 1'b1;
      end
      for (k = 0; k < 5; k = k + 1) begin
        if (placed[k]) begin
          valid_q[slot[k]] <= 1'b1;
        end
      end
      // the channel resolves pending entries (a free slot is never pending)
      for (k = 0; k < Entries; k = k + 1) begin
        if (start_res[k] || fin_res[k]) begin
          pend_q[k] <= 1'b0;
        end
      end
      if (placed[4]) begin
        pend_q[slot[4]] <= irec_pending_i;
      end
      for (k = 0; k < 4; k = k + 1) begin
        if (placed[k]) begin
          pend_q[slot[k]] <= 1'b0;
        end
      end
    end
  end

  // pending entries whose window the channel gives now
  reg [Entries-1:0] start_res;
  reg [Entries-1:0] fin_res;
  integer f;
  always @* begin
    for (f = 0; f < Entries; f = f + 1) begin
      start_res[f] = valid_q[f] && pend_q[f] && !write_q[f] && starts[f];
      fin_res[f]   = valid_q[f] && pend_q[f] && write_q[f] && fin_valid_i &&
                     slot_q[f] == fin_slot_i;
    end
  end

  integer w;
  always @(posedge clk_i) begin
    for (w = 0; w < Entries; w = w + 1) begin
      if (start_res[w]) begin
        last_q[w] <= cycle_i;
      end
      if (fin_res[w]) begin
        last_q[w] <= fin_last_i;
      end
    end
    if (placed[4]) begin
      slot_q[slot[4]] <= irec_slot_i;
    end
    for (w = 0; w < 5; w = w + 1) begin
      if (placed[w]) begin
        lo_q[slot[w]]    <= rec_lo[w*AddrW +: AddrW];
        hi_q[slot[w]]    <= rec_hi[w*AddrW +: AddrW];
        last_q[slot[w]]  <= rec_last[w*CycleW +: CycleW];
        write_q[slot[w]] <= rec_write[w];
      end
    end
  end

endmodule
