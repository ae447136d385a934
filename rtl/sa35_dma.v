// sa35_dma: the DMA channel of docs/architecture.md ("The memory system"),
// for a non-ideal memory (dram_bw_num != 0; the ideal memory never uses it).
// One channel, in program order. A dma of B bytes issued in cycle t starts
// its transfer in T = max(t, F), holds the channel x = ceil(B den / num)
// cycles (F = T + x), reads its source in cycle T and ends at
// D = T + x + latency (a dma.ld's bytes land at the end of cycle D - 1).
//
// The transfers wait in a FIFO of Depth slots. The channel takes the oldest
// one as soon as it is free (in the cycle after the previous one's last, or
// in its issue cycle), and counts x with a credit accumulator: num credits a
// cycle from T on, until they reach B den; in that last cycle (T + x - 1)
// the transfer's D is known (that cycle + 1 + latency). So:
//   rd_*    a queued transfer starts now: it reads its source (first thing
//           in the cycle: the harness does it before the output unit)
//   now_*   the transfer issued now starts now (the channel was free): it
//           reads its source after the output unit, as the simulator does
//   start_* a queued transfer starts now (for the scoreboard: a dma.st's
//           read window is T)
//   fin_*   a transfer's x ends now: fin_last_o = D - 1 (for the
//           scoreboard: a dma.ld's write window)
//   land_*  the oldest transfer whose D - 1 is this cycle ends (a dma.ld's
//           bytes land in SRAM at the end of the cycle)
// bytes >= 1 (the validator's rule), so x >= 1: at most one transfer
// starts, one finishes and one lands per cycle. idle_o: no transfer left
// (every D has passed). The slot number names the channel's buffer (a
// testbench memory). A FIFO that is full at an issue sets full_o (sticky):
// the simulator's queue is unbounded, so the RTL stops rather than differ.
module sa35_dma #(
  parameter integer Depth  = 32,   // a power of two
  parameter integer CycleW = 48    // more than 32
) (
  input  wire              clk_i,
  input  wire              rst_i,
  input  wire [CycleW-1:0] cycle_i,
  input  wire [31:0]       num_i,
  input  wire [31:0]       den_i,
  input  wire [31:0]       latency_i,
  // a dma issued this cycle
  input  wire              issue_i,
  input  wire              store_i,
  input  wire [47:0]       dram_i,
  input  wire [31:0]       sram_i,
  input  wire [31:0]       bytes_i,
  output wire              now_o,      // it starts now
  output wire              now_fin_o,  // ... and its x ends now (x = 1)
  output wire [$clog2(Depth)-1:0] now_slot_o,
  // a queued transfer starts now and reads its source
  output wire              rd_valid_o,
  output wire [$clog2(Depth)-1:0] rd_slot_o,
  output wire              rd_store_o,
  output wire [47:0]       rd_dram_o,
  output wire [31:0]       rd_sram_o,
  output wire [31:0]       rd_bytes_o,
  // a transfer's x ends now
  output wire              fin_valid_o,
  output wire [$clog2(Depth)-1:0] fin_slot_o,
  output wire [CycleW-1:0] fin_last_o,
  // a transfer ends (a dma.ld lands)
  output wire              land_valid_o,
  output wire [$clog2(Depth)-1:0] land_slot_o,
  output wire              land_store_o,
  output wire [31:0]       land_sram_o,
  output wire [31:0]       land_bytes_o,
  output wire              idle_o,
  output wire              full_o
);

  localparam integer PtrW = $clog2(Depth);

  reg              store_q  [0:Depth-1];
  reg [47:0]       dram_q   [0:Depth-1];
  reg [31:0]       sram_q   [0:Depth-1];
  reg [31:0]       bytes_q  [0:Depth-1];
  reg              known_q  [0:Depth-1];  // its x has ended: D is known
  reg [CycleW-1:0] arrive_q [0:Depth-1];  // D
  reg [PtrW:0]     wr_q;                  // next slot written
  reg [PtrW:0]     ch_q;                  // oldest slot not started
  reg [PtrW:0]     land_q;                // oldest slot not ended
  reg              busy_q;                // a transfer holds the channel
  reg [PtrW-1:0]   cur_q;                 // ... in this slot
  reg [63:0]       credit_q;              // credits so far (num a cycle)
  reg [63:0]       need_q;                // B den
  reg              full_q;

  wire [PtrW-1:0] wr_slot   = wr_q[PtrW-1:0];
  wire [PtrW-1:0] ch_slot   = ch_q[PtrW-1:0];
  wire [PtrW-1:0] land_slot = land_q[PtrW-1:0];
  wire            occupied  = (wr_q - land_q) == Depth[PtrW:0];

  // the channel: start the oldest transfer when free, count its credits
  wire        start_q   = !busy_q && ch_q != wr_q;
  wire        start_now = !busy_q && ch_q == wr_q && issue_i;
  wire        start     = start_q || start_now;
  wire        active    = start || busy_q;
  wire [31:0] st_bytes  = start_q ? bytes_q[ch_slot] : bytes_i;
  wire [63:0] need      = start ? {32'd0, st_bytes} * {32'd0, den_i} : need_q;
  wire [63:0] credit    = (start ? 64'd0 : credit_q) + {32'd0, num_i};
  wire        fin       = active && credit >= need;
  wire [PtrW-1:0] cur   = start ? (start_q ? ch_slot : wr_slot) : cur_q;
  wire [CycleW-1:0] lat = {{(CycleW-32){1'b0}}, latency_i};
  wire [CycleW-1:0] fin_last = cycle_i + lat;   // D - 1

  assign now_o      = start_now;
  assign now_fin_o  = start_now && fin;
  assign now_slot_o = wr_slot;

  assign rd_valid_o = start_q;
  assign rd_slot_o  = ch_slot;
  assign rd_store_o = store_q[ch_slot];
  assign rd_dram_o  = dram_q[ch_slot];
  assign rd_sram_o  = sram_q[ch_slot];
  assign rd_bytes_o = bytes_q[ch_slot];

  assign fin_valid_o = fin;
  assign fin_slot_o  = cur;
  assign fin_last_o  = fin_last;

  // the oldest transfer not ended: known D, or its x ends now and no
  // latency follows (then it is the oldest: the ends are in order)
  wire head_queued = land_q != wr_q;
  wire queued_land = head_queued && known_q[land_slot] &&
                     arrive_q[land_slot] - 1 == cycle_i;
  wire fin_land    = fin && latency_i == 32'd0;
  assign land_valid_o = queued_land || fin_land;
  assign land_slot_o  = land_slot;
  assign land_store_o = head_queued ? store_q[land_slot] : store_i;
  assign land_sram_o  = head_queued ? sram_q[land_slot] : sram_i;
  assign land_bytes_o = head_queued ? bytes_q[land_slot] : bytes_i;
  assign idle_o       = !head_queued;
  assign full_o       = full_q;

  always @(posedge clk_i) begin
    if (rst_i) begin
      wr_q     <= {(PtrW+1){1'b0}};
      ch_q     <= {(PtrW+1){1'b0}};
      land_q   <= {(PtrW+1){1'b0}};
      busy_q   <= 1'b0;
      full_q   <= 1'b0;
    end else begin
      if (issue_i) begin
        if (occupied) begin
          full_q <= 1'b1;
        end else begin
          wr_q <= wr_q + 1'b1;
        end
      end
      ch_q   <= ch_q + {{PtrW{1'b0}}, start};
      land_q <= land_q + {{PtrW{1'b0}}, land_valid_o};
      busy_q <= active && !fin;
    end
  end

  always @(posedge clk_i) begin
    if (active) begin
      credit_q <= credit;
      need_q   <= need;
      cur_q    <= cur;
    end
    if (issue_i && !occupied) begin
      store_q[wr_slot] <= store_i;
      dram_q[wr_slot]  <= dram_i;
      sram_q[wr_slot]  <= sram_i;
      bytes_q[wr_slot] <= bytes_i;
      known_q[wr_slot] <= 1'b0;
    end
    if (fin) begin
      known_q[cur]  <= 1'b1;
      arrive_q[cur] <= fin_last + {{(CycleW-1){1'b0}}, 1'b1};
    end
  end

endmodule
