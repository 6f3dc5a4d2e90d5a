#include "profile_cli.hpp"

#include <libxml/relaxng.h>

#include <algorithm>

#include "cli.hpp"
#include "teikit/base/diagnostics.hpp"
#include "teikit/base/file_io.hpp"
#include "teikit/base/xml.hpp"
#include "teikit/validate/validate.hpp"

namespace teikit {

extern const char* const kProfileSchemaRng;  // generated from schemas/profile.rng

namespace {

// The profile schema, compiled once from the copy built into the executable.
const RelaxNgSchema& profile_schema() {
  static const RelaxNgSchema schema = [] {
    std::string error;
    xml::DocPtr grammar = xml::parse_memory(kProfileSchemaRng, "profile.rng", error);
    return RelaxNgSchema(grammar.get());
  }();
  return schema;
}

// libxml2 gives the line of a node only: its column is where its start tag stands on that line
// (1 when it cannot be found there, 0 without a line).
std::uint32_t column_of(const std::string& text, std::uint32_t line, const xmlNode* node) {
  if (line == 0) return 0;
  std::size_t begin = 0;
  for (std::uint32_t l = 1; l < line; ++l) {
    begin = text.find('\n', begin);
    if (begin == std::string::npos) return 0;
    ++begin;
  }
  const std::size_t eol = std::min(text.find('\n', begin), text.size());
  const std::string l = text.substr(begin, eol - begin);
  std::size_t at = std::string::npos;
  if (node && node->name) at = l.find("<" + std::string(reinterpret_cast<const char*>(node->name)));
  return at == std::string::npos ? 1 : static_cast<std::uint32_t>(at + 1);
}

// Schema problems first (where the file breaks the format), then the loader's own (what the
// schema cannot say: a pattern that does not compile, a duplicate id, a month missing).
void check_one(const std::string& path, const std::string& bytes, DiagnosticSink& sink) {
  std::string error;
  xml::DocPtr doc = xml::parse_memory(bytes, path, error);
  if (doc) {
    const RelaxNgSchema& schema = profile_schema();
    std::vector<ValidityError> errors;
    if (!schema.valid()) {
      sink.report({Severity::Error, "profile-schema-missing",
                   "the built-in profile schema does not compile: " + schema.error(), path, 0, 0});
    } else if (!schema.validate(doc.get(), errors)) {
      for (const auto& e : errors) {
        const auto line = static_cast<std::uint32_t>(e.line > 0 ? e.line : 0);
        sink.report({Severity::Error, "profile-schema", e.message, path, line,
                     column_of(bytes, line, e.node)});
      }
    }
  }
  parse_profile(bytes, path, sink);
}

}  // namespace

CLI::App* add_profile_command(CLI::App& app, ProfileArgs& a) {
  CLI::App* cmd = app.add_subcommand("profile", "Check, list and show profiles");
  cmd->require_subcommand(1);
  a.check_cmd = cmd->add_subcommand(
      "check", "Check profiles against schemas/profile.rng and the loader's rules");
  a.check_cmd->add_option("files", a.check, "profile files (or built-in names)")->required();
  a.check_cmd->add_option("--diagnostics", a.diagnostics, "diagnostics format")
      ->check(CLI::IsMember({"text", "json"}));
  a.list_cmd = cmd->add_subcommand("list", "List the built-in profiles");
  a.show_cmd = cmd->add_subcommand("show", "Print a built-in profile (to copy and adapt)");
  a.show_cmd->add_option("name", a.show, "built-in profile name")->required();
  return cmd;
}

int run_profile(const ProfileArgs& a, std::ostream& out, std::ostream& err) {
  if (a.list_cmd && *a.list_cmd) {
    for (const auto& name : builtin_profile_names()) {
      auto p = builtin_profile(name);
      out << name << "\t" << (p ? p->language : "") << "\t" << (p ? p->title : "") << "\n";
    }
    return kExitOk;
  }
  if (a.show_cmd && *a.show_cmd) {
    const char* xml = builtin_profile_xml(a.show);
    if (!xml) {
      err << "teikit: no built-in profile '" << a.show << "' (teikit profile list)\n";
      return kExitUsage;
    }
    out << xml;
    return kExitOk;
  }
  int code = kExitOk;
  std::vector<Diagnostic> all;
  for (const auto& path : a.check) {
    std::string bytes, error;
    if (const char* builtin = builtin_profile_xml(path)) {
      // A built-in name, as --profile takes it ("teikit profile check de-archive").
      DiagnosticSink sink;
      check_one(path, builtin, sink);
      all.insert(all.end(), sink.diagnostics().begin(), sink.diagnostics().end());
      if (sink.count(Severity::Error) > 0 && code == kExitOk) code = kExitSchema;
      continue;
    }
    if (!read_input(path, bytes, error, a.max_input_size)) {
      all.push_back({Severity::Error, "profile-unreadable", error, path, 0, 0});
      code = kExitUnreadable;
      continue;
    }
    DiagnosticSink sink;
    check_one(path, bytes, sink);
    all.insert(all.end(), sink.diagnostics().begin(), sink.diagnostics().end());
    if (sink.count(Severity::Error) > 0 && code == kExitOk) code = kExitSchema;
  }
  if (a.diagnostics == "json") {
    print_json(err, all);
  } else {
    for (const auto& d : all) print_text(err, d);
  }
  return code;
}

std::shared_ptr<const Profile> resolve_profile(const std::string& name_or_path,
                                               std::uintmax_t max_input_size, std::string& error,
                                               int& code) {
  if (auto builtin = builtin_profile(name_or_path)) return builtin;
  std::string bytes;
  if (!read_input(name_or_path, bytes, error, max_input_size)) {
    code = kExitUnreadable;
    return nullptr;
  }
  auto p = parse_profile(bytes, name_or_path, error);
  if (!p) {
    error = "profile " + name_or_path + ": " + error;
    code = kExitSchema;
  }
  return p;
}

}  // namespace teikit
