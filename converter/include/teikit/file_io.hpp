// Writing output files so that a failed run never leaves a half-written file behind.
#pragma once

#include <string>

namespace teikit {

/// Writes `data` to `path` through a temporary file in the same directory that is renamed into
/// place (rename is atomic within one file system): readers see the old file or the new one,
/// never a part. On failure the temporary is removed, the target is untouched, `error` says why
/// ("PATH: …") and the result is false.
bool write_atomically(const std::string& path, const std::string& data, std::string& error);

}  // namespace teikit
