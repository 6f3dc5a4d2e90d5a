// The teikit executable: everything happens in the library (teikit::run), so tests can run the
// real command line in-process.
#include <iostream>

#include "teikit/cli.hpp"

int main(int argc, char** argv) { return teikit::run(argc, argv, std::cout, std::cerr); }
