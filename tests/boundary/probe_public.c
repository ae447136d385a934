/* The control for the probes: every part's public header builds with the
 * include path of the parts that link them all (sweep, project, scalesim,
 * cpu). */
#include "sa35_cmodel.h"
#include "sa35_compiler.h"
#include "sa35_cpu.h"
#include "sa35_io.h"
#include "sa35_isa.h"
#include "sa35_model.h"
#include "sa35_power.h"
#include "sa35_activity.h"
#include "sa35_project.h"
#include "sa35_scalesim.h"
#include "sa35_sim.h"
#include "sa35_sweep.h"

int probe_public(void) { return 0; }
