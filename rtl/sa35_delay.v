// sa35_delay: a chain of Depth registers (Depth = 0 is a wire). Used for the
// activation skew, the result de-skew and the controller's pipelines.
// Reset clears every stage; tie rst_i to 1'b0 for data paths that need none
// (synthesis then removes the reset logic).
module sa35_delay #(
  parameter integer Width = 1,
  parameter integer Depth = 1
) (
  input  wire             clk_i,
  input  wire             rst_i,
  input  wire [Width-1:0] d_i,
  output wire [Width-1:0] q_o
);

  generate
    if (Depth == 0) begin : g_wire
      assign q_o = d_i;
      // rst_i and clk_i are unused here by design.
      wire unused_ok = &{1'b0, clk_i, rst_i};
    end else if (Depth == 1) begin : g_one
      reg [Width-1:0] q;
      always @(posedge clk_i) begin
        if (rst_i) begin
          q <= {Width{1'b0}};
        end else begin
          q <= d_i;
        end
      end
      assign q_o = q;
    end else begin : g_chain
      reg [Width*Depth-1:0] q;
      always @(posedge clk_i) begin
        if (rst_i) begin
          q <= {(Width*Depth){1'b0}};
        end else begin
          q <= {q[Width*(Depth-1)-1:0], d_i};
        end
      end
      assign q_o = q[Width*Depth-1 -: Width];
    end
  endgenerate

endmodule
