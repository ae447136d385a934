/* project_internal.h: what the projection's writers share. */
#ifndef SA35_PROJECT_INTERNAL_H
#define SA35_PROJECT_INTERNAL_H

#include "sa35_project.h"

/* The files one `sa35 project` wrote, to remove them all if a later one
 * fails (the outputs appear together or not at all). */
#define PROJ_MAX_FILES 16
typedef struct proj_files {
    char path[PROJ_MAX_FILES][4200];
    int n;
} proj_files;

/* Reserve the next path dir/name; its index, or -1 when full. */
int proj_files_add(proj_files *w, const char *dir, const char *name);
void proj_files_undo(proj_files *w);
/* Write text to path atomically. */
int proj_write_text(const char *path, const char *text, sa35_err *err);

/* layers.svg, roofline.svg, thermal.svg, energy_bits.svg. */
int proj_plots(const sa35_proj *p, int np, const sa35_power_cfg *pc,
               const sa35_proj_opts *o, const char *dir, proj_files *w,
               sa35_err *err);

#endif
