// The `profile` subcommand: `teikit profile check FILE…`, `profile list`, `profile show NAME`.
// Part of the command line, not of the library: the interface is teikit::run (cli.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "teikit/convert/profile.hpp"

namespace teikit {

/// The command line of `teikit profile`.
struct ProfileArgs {
  std::vector<std::string> check;     ///< profile check FILE…
  std::string show;                   ///< profile show NAME
  std::string diagnostics = "text";   ///< --diagnostics=text|json
  std::uintmax_t max_input_size = 16u * 1024 * 1024;  ///< a profile is small
  CLI::App* check_cmd = nullptr;
  CLI::App* list_cmd = nullptr;
  CLI::App* show_cmd = nullptr;
};

/// Adds the `profile` subcommand (check, list, show) to `app`; returns it.
CLI::App* add_profile_command(CLI::App& app, ProfileArgs& args);

/// Runs `teikit profile …`: 0 valid, 5 a profile is not valid (it would not compile), 4 a file
/// is unreadable, 1 an unknown built-in name.
int run_profile(const ProfileArgs& args, std::ostream& out, std::ostream& err);

/// The profile named by --profile: a built-in name (archive-translation, de-archive) first,
/// else a file. Null with `error` set (and `code` the exit code, 4 unreadable, 5 invalid).
std::shared_ptr<const Profile> resolve_profile(const std::string& name_or_path,
                                               std::uintmax_t max_input_size, std::string& error,
                                               int& code);

}  // namespace teikit
