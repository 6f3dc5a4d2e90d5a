// Writing output files so that a failed or interrupted run never leaves a half-written file.
#pragma once

#include <cstdint>
#include <string>

namespace teikit {

/// Writes `data` to `path` through a temporary file in the same directory that is flushed to
/// disk and renamed into place (rename is atomic within one file system): readers see the old
/// file or the new one, never a part. On failure (disk full, file-size limit, no permission) the
/// temporary is removed, the target is untouched, `error` says why ("PATH: …") and the result is
/// false.
bool write_atomically(const std::string& path, const std::string& data, std::string& error);

/// Reads a whole input file, or standard input for "-". Refuses one larger than `max_size` bytes
/// (0: no limit) before reading it (files) or as soon as the limit is passed (standard input), so
/// memory stays bounded. Returns false and sets `error` ("PATH: why") on failure.
bool read_input(const std::string& path, std::string& bytes, std::string& error,
                std::uintmax_t max_size = 0);

/// Makes SIGINT and SIGTERM remove the temporary that write_atomically is writing before the
/// process ends with the signal, and makes a file-size limit an error rather than a kill
/// (SIGXFSZ ignored). For executables: call once from main/run; the library never does it itself.
void install_interrupt_cleanup();

}  // namespace teikit
