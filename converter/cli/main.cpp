// The teikit executable: everything happens in the library (teikit::run), so tests can run the
// real command line in-process. Only the process-wide set-up belongs here: standard
// descriptors, signals, and standard output written with checked write(2) calls.
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cerrno>
#include <cstring>
#include <iostream>
#include <new>

#include "cli.hpp"
#include "teikit/base/file_io.hpp"

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), after
  // which large buffers grown by doubling come from the heap, and a freed one stays resident
  // beside its successor. A fixed threshold keeps every buffer of 128 KiB or more in a mapping
  // of its own, returned when freed: a 1 MB bracket-note peaked at 69 MB, 55 MB with this.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  teikit::protect_standard_descriptors();
  teikit::install_interrupt_cleanup();
  int code = teikit::kExitUnreadable;
  try {
    teikit::FdOutputBuffer buffer(STDOUT_FILENO);
    std::ostream out(&buffer);
    code = teikit::run(argc, argv, out, std::cerr);
  } catch (const std::bad_alloc&) {
    // Memory ran out before the command line was even set up (teikit::run catches it after).
    std::cerr << "teikit: error: out of memory [out-of-memory]\n";
    return teikit::kExitUnreadable;
  }
  // close() is where some file systems (NFS) report a failed write.
  if (::close(STDOUT_FILENO) != 0 && errno != EBADF && code == teikit::kExitOk) {
    std::cerr << "teikit: standard output: " << std::strerror(errno) << "\n";
    code = teikit::kExitUnreadable;
  }
  return code;
}
