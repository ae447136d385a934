/* project_internal.h: what the projection's parts share. */
#ifndef SA35_PROJECT_INTERNAL_H
#define SA35_PROJECT_INTERNAL_H

#include "sa35_io.h"
#include "sa35_project.h"

/* layers.svg, roofline.svg, power_time.svg, tj_time.svg and
 * energy_bits.svg into the output directory (sa35_io.h). */
int proj_plots(const sa35_proj *p, int np, const sa35_power_cfg *pc,
               const sa35_proj_opts *o, const sa35_outdir *od,
               sa35_err *err);

/* SQNR, RMSE and max error of format f on the matrix (sa35_quality). */
int proj_quality(const sa35_qmatrix *qm, const sa35_wformat *f,
                 sa35_quality *out, sa35_err *err);

#endif
