// Helpers shared by the test files.
#pragma once

#include <string>
#include <vector>

#include "teikit/xml.hpp"

namespace teikit::test {

/// The project's source directory (for samples/, schemas/, xslt/).
std::string source_dir();
/// The shared corpus directory: $TEIKIT_SHARED, else ../shared beside the project; "" if absent.
std::string shared_dir();
/// Reads a whole file ("" if it cannot be read).
std::string read_file(const std::string& path);
/// Number of nodes an XPath expression selects in `doc` (TEI namespace bound to prefix "t").
int xpath_count(xmlDoc* doc, const std::string& expr);
/// String value of an XPath expression evaluated on `doc` (prefix "t" = TEI).
std::string xpath_string(xmlDoc* doc, const std::string& expr);
/// What an in-process run of the command line returned.
struct CliRun {
  int code;         ///< exit code
  std::string out;  ///< standard output
  std::string err;  ///< standard error
};
/// Runs `teikit ARGS…` in-process (teikit::run), with `stdin_text` as standard input.
CliRun teikit_cli(std::vector<std::string> args, const std::string& stdin_text = "");

/// Converts `text` with default options and parses the result back into a document.
xml::DocPtr convert_to_doc(const std::string& name, const std::string& text);

}  // namespace teikit::test
