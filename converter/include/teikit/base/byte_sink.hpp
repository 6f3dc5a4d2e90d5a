// Where a producer of bytes (a rendered page) writes them, piece by piece: a file being written,
// standard output, a string. The library writes through a sink and never opens files itself.
#pragma once

#include <cstddef>
#include <functional>

namespace teikit {

/// Receives `size` bytes at `data`, the next piece of an output, in order; returns false when
/// they could not be written (the producer then stops and reports a failure).
using ByteSink = std::function<bool(const char* data, std::size_t size)>;

}  // namespace teikit
