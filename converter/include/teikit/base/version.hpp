// The version of the library, as written into every TEI header's appInfo and printed by
// `teikit --version`.
#pragma once

namespace teikit {

/// The version of teikit ("0.1.0"), the project version of the build.
const char* version();

}  // namespace teikit
