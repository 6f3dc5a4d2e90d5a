#include "teikit/base/version.hpp"

namespace teikit {

// TEIKIT_VERSION is the CMake project version, given on the compiler's command line.
const char* version() { return TEIKIT_VERSION; }

}  // namespace teikit
