// Helpers shared by the test files.
#pragma once

#include <gtest/gtest.h>

#include <boost/filesystem.hpp>

#include <string>
#include <vector>

#include "teikit/base/xml.hpp"

namespace teikit::test {

/// The project's source directory (for samples/, schemas/, xslt/).
std::string source_dir();
/// The shared corpus directory: $TEIKIT_SHARED, else ../shared beside the project; "" if absent.
std::string shared_dir();
/// The files of `dir` ending in `ext` (".txt"), sorted; empty when `dir` does not exist.
std::vector<std::string> files(const std::string& dir, const std::string& ext);
/// Reads a whole file ("" if it cannot be read).
std::string read_file(const std::string& path);
/// `text` encoded as UTF-16 (`unit` 2, astral characters as surrogate pairs) or UTF-32 (`unit`
/// 4), little- or big-endian, with a byte order mark first.
std::string encode_with_bom(const std::u32string& text, int unit, bool little);
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

/// A test with its own temporary directory, removed afterwards.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  /// The path of `name` in the directory.
  std::string path(const std::string& name) const;
  /// Writes `text` to `name` (subdirectories made as needed) and returns its path.
  std::string write(const std::string& name, const std::string& text) const;
  boost::filesystem::path dir_;  ///< the directory
};

}  // namespace teikit::test

/// Skips the test with a visible message when ../shared (or $TEIKIT_SHARED) is absent; else
/// defines `shared`, its path.
#define REQUIRE_SHARED()                                                                      \
  const std::string shared = teikit::test::shared_dir();                                      \
  if (shared.empty()) GTEST_SKIP() << "../shared is absent (set TEIKIT_SHARED): corpus test " \
                                      "skipped"
