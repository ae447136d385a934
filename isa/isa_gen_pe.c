/* isa_gen_pe.c: writes what the RTL and its build need of the PE kinds,
 * from the one table in isa/isa_pe.c (compiled into this program), so a
 * kind added there reaches the Verilog, the models, the lint, the tests
 * and the synthesis flow without being written again (docs/extending.md).
 * rtl/CMakeLists.txt compiles and runs it at configure time, as it does
 * isa_gen_vh.c.
 *
 *   isa_gen_pe vh     sa35_pe_kind.vh: the widths a PE kind fixes, as
 *                     localparams of the including module's PeKind
 *   isa_gen_pe list   one line: NAME:NUMBER:CODE_BITS:K_PER_ROW:BOUND per
 *                     kind, for CMake and rtl/synth/synth.sh */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "isa_pe.c"

/* bits of a two's complement weight in -w_max .. w_max - 1 */
static unsigned weight_bits(unsigned w_max)
{
    unsigned b = 1;
    while ((1u << (b - 1)) < w_max)
        b++;
    return b;
}

/* "int4" -> "PeInt4" */
static void param_name(const char *name, char *out, size_t size)
{
    snprintf(out, size, "Pe%c%s", toupper((unsigned char)name[0]), name + 1);
}

/* localparam integer NAME = PeKind == 0 ? v0 : PeKind == 1 ? v1 : ... : 0; */
static void chain(const char *name, unsigned (*value)(const sa35_pe_desc *))
{
    printf("localparam integer %s =", name);
    for (int k = 0; k < SA35_PE_COUNT; k++)
        printf(" PeKind == %d ? %u :", k, value(&pe_table[k]));
    printf(" 0;\n");
}

static unsigned code_bits(const sa35_pe_desc *pe) { return pe->code_bits; }
static unsigned k_per_row(const sa35_pe_desc *pe) { return pe->k_per_row; }
static unsigned weight_w(const sa35_pe_desc *pe)
{
    return weight_bits(pe->w_max);
}
static unsigned bound(const sa35_pe_desc *pe)
{
    return sa35_pe_product_bound(pe);
}

static void vh(void)
{
    printf("// sa35_pe_kind.vh: GENERATED from the PE kinds' table "
           "(isa/isa_pe.c) by\n// isa/isa_gen_pe.c; do not edit. What a "
           "PE kind fixes in the RTL\n// (docs/architecture.md, \"PE "
           "kinds\"), as localparams of the including\n// module's PeKind "
           "parameter (numbered as the C enum sa35_pe_kind). Nothing\n// "
           "else in the RTL depends on the kind but the unpack module the "
           "PE\n// instantiates (rtl/sa35_unpack_KIND.v).\n//\n"
           "//   kind  PeKind  CodeW  KPerRow  WeightW  ProdBound\n");
    for (int k = 0; k < SA35_PE_COUNT; k++)
        printf("//   %-5s %-7d %-6u %-8u %-8u %u\n", pe_table[k].name, k,
               pe_table[k].code_bits, pe_table[k].k_per_row,
               weight_w(&pe_table[k]), bound(&pe_table[k]));
    printf("//\n// Not every module uses every width.\n"
           "/* verilator lint_off UNUSEDPARAM */\n");
    for (int k = 0; k < SA35_PE_COUNT; k++) {
        char p[32];
        param_name(pe_table[k].name, p, sizeof p);
        printf("localparam integer %s = %d;\n", p, k);
    }
    printf("// bits of one PE's weight code: the shadow and active "
           "registers, one column\n// of a load lane, one field of a tile "
           "row's bit stream in SRAM\n");
    chain("CodeW", code_bits);
    printf("// k-values per PE row: activation bytes a PE takes each cycle "
           "(and passes\n// right), MACs it does per busy cycle\n");
    chain("KPerRow", k_per_row);
    printf("// bits of one unpacked weight (two's complement), the "
           "multiplier's second\n// operand: the narrowest that holds "
           "-w_max .. w_max - 1\n");
    chain("WeightW", weight_w);
    printf("// bits of one int8 x weight product: |a w| <= 128 * "
           "2^(WeightW-1)\nlocalparam integer ProdW = 8 + WeightW;\n");
    printf("// |sum_i a_i w_i| of one PE (sa35_pe_product_bound): the "
           "partial sum of R\n// rows needs 1 + ceil(log2(ProdBound R + 1)) "
           "bits\n");
    chain("ProdBound", bound);
    printf("// bits of the activations one PE takes from the left\n"
           "localparam integer ActW = 8 * KPerRow;\n"
           "/* verilator lint_on UNUSEDPARAM */\n");
}

static void list(void)
{
    for (int k = 0; k < SA35_PE_COUNT; k++)
        printf("%s%s:%d:%u:%u:%u", k ? " " : "", pe_table[k].name, k,
               pe_table[k].code_bits, pe_table[k].k_per_row,
               bound(&pe_table[k]));
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "vh") == 0)
        vh();
    else if (argc == 2 && strcmp(argv[1], "list") == 0)
        list();
    else
        return fprintf(stderr, "usage: isa_gen_pe vh|list\n"), 2;
    return 0;
}
