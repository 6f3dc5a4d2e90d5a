// The teikit executable: everything happens in the library (teikit::run), so tests can run the
// real command line in-process. Only the process-wide set-up belongs here: standard
// descriptors, signals, and standard output written with checked write(2) calls.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <new>

#include "cli.hpp"
#include "teikit/base/file_io.hpp"

int main(int argc, char** argv) {
  teikit::protect_standard_descriptors();
  teikit::install_interrupt_cleanup();
  int code = teikit::kExitUnreadable;
  try {
    teikit::FdOutputBuffer buffer(STDOUT_FILENO);
    std::ostream out(&buffer);
    code = teikit::run(argc, argv, out, std::cerr);
  } catch (const std::bad_alloc&) {
    std::cerr << "teikit: out of memory\n";
    return teikit::kExitUnreadable;
  }
  // close() is where some file systems (NFS) report a failed write.
  if (::close(STDOUT_FILENO) != 0 && errno != EBADF && code == teikit::kExitOk) {
    std::cerr << "teikit: standard output: " << std::strerror(errno) << "\n";
    code = teikit::kExitUnreadable;
  }
  return code;
}
