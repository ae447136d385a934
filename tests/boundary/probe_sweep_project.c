/* A part including another part's private header must not build: sweep/
 * calls project/ through sa35_project.h only, never its
 * project_internal.h. tests/CMakeLists.txt builds this with sa35_sweep's
 * include path and expects the compiler to fail to find the header. */
#include "project_internal.h"

int probe_sweep_project(void) { return 0; }
