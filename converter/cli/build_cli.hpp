// The `build` subcommand: a tree of transcriptions made into an edition (TEI, validation, pages,
// index and teiCorpus) in parallel, incrementally. Part of the command line, not of the library:
// the interface is teikit::run (cli.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "teikit/base/publication.hpp"

namespace teikit {

struct ConvertOptions;

/// The conversion options that `convert` and `build` both take, as given on the command line.
struct ConversionArgs {
  std::string profile;               ///< --profile: a built-in name or a file
  std::string from = "auto";         ///< --from
  std::string encoding = "utf-8";    ///< --encoding
  std::string config;                ///< --config FILE (publisher, licence, …)
  std::string publisher, licence, licence_url, pub_place;  ///< publication options
  std::uintmax_t max_input_size = 512u * 1024 * 1024;  ///< --max-input-size (0: no limit)
};

/// Fills `options` from `a`: flavour, encoding, the profile, the config file and the publication
/// options over it, with the licence URL checked against the allow-list. Returns 0, or the exit
/// code after writing the reason to `err` (1: a bad config or URL; 4: an unreadable config;
/// the profile's own codes).
int conversion_options(const ConversionArgs& a, ConvertOptions& options, std::ostream& err);

/// The command line of `teikit build`.
struct BuildArgs : ConversionArgs {
  std::string source;                ///< SRC: the tree of transcriptions (.txt, .md)
  std::string output;                ///< -o OUT: the edition directory
  unsigned jobs = 0;                 ///< -j N; 0: the number of cores
  std::string schema;                ///< --schema; "" for the project schema
  std::string rules;                 ///< --rules; "" for the project rules or none
  bool no_rules = false;             ///< --no-rules
  bool no_validate = false;          ///< --no-validate
  /// --timeout: seconds for compiling the schema and, separately, for each document's
  /// validation, as `validate` takes it (0: no limit).
  double timeout = 5.0;
  bool no_prune = false;             ///< --no-prune: compile the whole grammar (same verdicts)
  std::string title;                 ///< --title: the edition's title (index, corpus)
  bool search = false;               ///< --search: a pagefind index and a search box
  bool force = false;                ///< --force: rebuild every document
  bool quiet = false;                ///< --quiet: no progress, no summary
  bool fail_on_warnings = false;     ///< --fail-on-warnings: exit 2 when warnings occur
  std::vector<std::string> report;   ///< --report json|junit FILE
};

/// Adds the `build` subcommand with its options to `app`; returns it.
CLI::App* add_build_command(CLI::App& app, BuildArgs& args);

/// Runs `teikit build`. Exit codes as for the other commands (cli.hpp): 0, 2 (warnings with
/// --fail-on-warnings), 3 (a document invalid), 4 (a document unreadable or an output not
/// written), 5 (schema, rules, stylesheet or profile did not compile), 1 (refused), and 130
/// when SIGINT, SIGTERM or SIGHUP stopped the run (the edition is left as the last complete
/// run made it, plus the documents finished before the signal).
int run_build(const BuildArgs& args, std::ostream& out, std::ostream& err);

/// Reads a config file's `key = value` lines (publisher, licence, licence-url, pub-place) into
/// `pub`; false with `error` ("PATH:LINE: why") for an unknown key or a malformed line.
bool read_config(const std::string& path, const std::string& bytes, PublicationOptions& pub,
                 std::string& error);

}  // namespace teikit
