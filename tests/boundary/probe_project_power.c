/* A part including another part's private header must not build: project/
 * (which once lived in power/) cannot see power/power_internal.h.
 * tests/CMakeLists.txt builds this with sa35_project's include path and
 * expects the compiler to fail to find the header. */
#include "power_internal.h"

int probe_project_power(void) { return 0; }
