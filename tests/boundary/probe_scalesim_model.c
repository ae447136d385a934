/* A part including another part's private header must not build: scalesim/
 * once included model/model_internal.h. tests/CMakeLists.txt builds this
 * with sa35_scalesim's include path and expects the compiler to fail to
 * find the header. */
#include "model_internal.h"

int probe_scalesim_model(void) { return 0; }
