// The teikit executable: everything happens in the library (teikit::run), so tests can run the
// real command line in-process. Only the process-wide signal set-up belongs here.
#include <iostream>

#include "teikit/cli.hpp"
#include "teikit/file_io.hpp"

int main(int argc, char** argv) {
  teikit::install_interrupt_cleanup();
  return teikit::run(argc, argv, std::cout, std::cerr);
}
