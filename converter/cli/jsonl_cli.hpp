// `teikit convert --jsonl`: conversion as a streaming mapper (GNU parallel --pipe, Hadoop
// Streaming, Spark's pipe): one JSON object per input line, one result per output line, in
// order. Part of the command line, not of the library: the interface is teikit::run (cli.hpp).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "teikit/convert/convert.hpp"

namespace teikit {

/// What `convert --jsonl` was given on the command line.
struct JsonlArgs {
  std::string input = "-";   ///< the JSON Lines file, "-" for standard input
  std::string output;        ///< -o FILE; "" or "-" for standard output
  ConvertOptions defaults;   ///< the command line's options, which each line's "options" override
  std::string profile_name;  ///< --profile as given (a line naming the same profile reuses it)
  bool validate = false;     ///< --validate: add the validation findings to each result
  std::uintmax_t max_line = 512u * 1024 * 1024;  ///< --max-input-size: the longest line read
};

/// "" when every value of `publication` can be written into the TEI as text (xml_text_problem);
/// otherwise why not, naming the option ("--publisher: the value holds the character U+0001,
/// which XML cannot carry").
std::string publication_problem(const PublicationOptions& publication);

/// "" when `url` may be written as licence/@target (an absolute http: or https: URL);
/// otherwise why not.
std::string licence_url_problem(const std::string& url);

/// Runs `convert --jsonl`: reads each line as {"id": …, "text": "…", "options": {…}}, converts
/// it and writes {"id", "tei", "diagnostics", "status"} on one line. A bad line (not JSON,
/// longer than max_line, no text, an unknown option) gives a result with status "error" and
/// the run goes on. Returns 0 when every line was read and every result written, 4 when the
/// input or the output failed (1 for a refused output path).
int run_convert_jsonl(const JsonlArgs& args, std::ostream& out, std::ostream& err);

}  // namespace teikit
