#include "teikit/cli.hpp"

#include <CLI/CLI.hpp>
#include <boost/filesystem.hpp>

#include <fstream>
#include <iostream>
#include <new>
#include <sstream>

#include "teikit/convert.hpp"
#include "teikit/edition_index.hpp"
#include "teikit/file_io.hpp"
#include "teikit/tei_writer.hpp"
#include "teikit/text_util.hpp"
#include "teikit/transform.hpp"
#include "validate_cli.hpp"

namespace fs = boost::filesystem;

namespace teikit {

namespace {

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  success\n"
    "  1  bad command line\n"
    "  2  --fail-on-warnings was given and warnings were reported\n"
    "  3  a document is not valid against the schema\n"
    "  4  an input could not be read (or is not well-formed XML), or an output could not be "
    "written\n"
    "  5  a schema, stylesheet or profile did not compile\n";

// Config file: `key = value` lines (# comments) for publisher, licence, licence-url, pub-place.
bool read_config(const std::string& path, PublicationOptions& pub, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = path + ": cannot read config file";
    return false;
  }
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const auto eq = t.find('=');
    if (eq == std::string::npos) {
      error = path + ":" + std::to_string(n) + ": expected key = value";
      return false;
    }
    const std::string key = trim(t.substr(0, eq)), value = trim(t.substr(eq + 1));
    if (key == "publisher") pub.publisher = value;
    else if (key == "licence" || key == "license") pub.licence = value;
    else if (key == "licence-url" || key == "license-url") pub.licence_url = value;
    else if (key == "pub-place") pub.pub_place = value;
    else {
      error = path + ":" + std::to_string(n) + ": unknown key '" + key + "'";
      return false;
    }
  }
  return true;
}

std::string output_name(const std::string& input, const std::string& ext) {
  if (input == "-") return "stdin" + ext;
  return fs::path(input).stem().string() + ext;
}

struct ConvertArgs {
  std::vector<std::string> inputs;
  std::string output, from = "auto", profile, config, diagnostics = "text";
  std::string publisher, licence, licence_url, edition_id, pub_place;
  bool fail_on_warnings = false;
  bool validate = false;  // --validate: check the TEI against the project schema and rules
  std::string encoding = "utf-8";
  std::uintmax_t max_input_size = 512u * 1024 * 1024;
};

int run_convert(const ConvertArgs& a, std::ostream& out, std::ostream& err) {
  ConvertOptions options;
  options.flavour = a.from == "plain" ? Flavour::Plain
                    : a.from == "markdown" ? Flavour::Markdown : Flavour::Auto;
  options.encoding = a.encoding == "latin-1" ? InputEncoding::Latin1
                     : a.encoding == "windows-1252" ? InputEncoding::Windows1252
                                                    : InputEncoding::Utf8;
  if (!a.profile.empty()) {
    std::string error;
    options.profile = load_profile_file(a.profile, error);
    if (!options.profile) {
      err << "teikit: profile " << a.profile << ": " << error << "\n";
      return kExitSchema;
    }
  }
  if (!a.config.empty()) {
    std::string error;
    if (!read_config(a.config, options.publication, error)) {
      err << "teikit: " << error << "\n";
      return kExitUsage;
    }
  }
  if (!a.publisher.empty()) options.publication.publisher = a.publisher;
  if (!a.licence.empty()) options.publication.licence = a.licence;
  if (!a.licence_url.empty()) options.publication.licence_url = a.licence_url;
  if (!a.pub_place.empty()) options.publication.pub_place = a.pub_place;

  const bool many = a.inputs.size() > 1;
  boost::system::error_code ec;
  const bool to_dir = many || (!a.output.empty() && (a.output.back() == '/' ||
                                                     fs::is_directory(a.output, ec)));
  if (many && a.output.empty()) {
    err << "teikit: several inputs need -o DIR/\n";
    return kExitUsage;
  }
  if (to_dir) {
    fs::create_directories(a.output, ec);
    if (!fs::is_directory(a.output, ec)) {
      err << "teikit: " << a.output << ": cannot create output directory\n";
      return kExitUnreadable;
    }
  }
  int status = kExitOk;
  std::vector<Diagnostic> all;
  for (const auto& input : a.inputs) {
    std::string bytes, error;
    if (!read_input(input, bytes, error, a.max_input_size)) {
      err << "teikit: " << error << "\n";
      status = kExitUnreadable;
      continue;
    }
    ConvertOptions o = options;
    if (!a.edition_id.empty() && !many) o.publication.edition_id = a.edition_id;
    o.element_spans = a.validate;
    // Refused before it starts rather than aborted half-way (exit 4, like an unreadable input).
    if (!conversion_memory_available(bytes.size(), error)) {
      err << "teikit: " << input << ": " << error << "\n";
      status = kExitUnreadable;
      continue;
    }
    ConvertResult r;
    try {
      r = convert(input == "-" ? "<stdin>" : input, std::move(bytes), o);
    } catch (const std::bad_alloc&) {
      err << "teikit: " << input << ": out of memory\n";
      status = kExitUnreadable;
      continue;
    }
    if (a.diagnostics == "json") {
      all.insert(all.end(), r.diagnostics.diagnostics().begin(), r.diagnostics.diagnostics().end());
    } else {
      for (const auto& d : r.diagnostics.diagnostics()) print_text(err, d);
    }
    if (a.validate) {
      std::vector<Diagnostic> found;
      const int v = validate_conversion(r, found);
      if (a.diagnostics == "json") all.insert(all.end(), found.begin(), found.end());
      else for (const auto& d : found) print_text(err, d);
      if (v != kExitOk && (status == kExitOk || status == kExitWarnings)) status = v;
    }
    if (a.fail_on_warnings && r.diagnostics.count(Severity::Warning) > 0 && status == kExitOk)
      status = kExitWarnings;
    if (a.output.empty() || a.output == "-") {
      out << r.xml;
      continue;
    }
    const std::string target =
        to_dir ? (fs::path(a.output) / output_name(input, ".xml")).string() : a.output;
    if (!write_atomically(target, r.xml, error)) {
      err << "teikit: " << error << "\n";
      status = kExitUnreadable;
    }
  }
  if (a.diagnostics == "json") print_json(err, all);
  return status;
}

struct RenderArgs {
  std::vector<std::string> inputs;
  std::string to = "text", output, xslt, index_dir;
  std::vector<std::string> params;
};

// `render --index DIR`: corpus.xml and index.html of the TEI documents in DIR (after the inputs,
// if any, were rendered, so pages just written into DIR are linked).
int run_index(const RenderArgs& a, const std::map<std::string, std::string>& params,
              std::ostream& err) {
  EditionIndexOptions options;
  options.params = params;
  if (const auto t = params.find("title"); t != params.end()) options.title = t->second;
  const EditionIndexResult r = write_edition_index(a.index_dir, options);
  for (const auto& s : r.skipped) err << "teikit: warning: " << a.index_dir << "/" << s << " (not indexed)\n";
  if (!r.ok) {
    err << "teikit: " << r.error << "\n";
    return r.stylesheet_failed ? kExitSchema : kExitUnreadable;
  }
  return kExitOk;
}

int run_render(const RenderArgs& a, std::ostream& out, std::ostream& err) {
  if (a.inputs.empty() && a.index_dir.empty()) {
    err << "teikit: render needs TEI files, or --index DIR\n";
    return kExitUsage;
  }
  std::map<std::string, std::string> params;
  for (const auto& p : a.params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      err << "teikit: --param expects name=value, got '" << p << "'\n";
      return kExitUsage;
    }
    params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  if (a.inputs.empty()) return run_index(a, params, err);
  const std::string sheet_path =
      !a.xslt.empty() ? a.xslt : stylesheet_dir() + "/tei-to-" + a.to + ".xsl";
  const Stylesheet sheet(sheet_path);  // compiled once for every input
  if (!sheet.valid()) {
    err << "teikit: " << sheet.error() << "\n";
    return kExitSchema;
  }
  const bool many = a.inputs.size() > 1;
  boost::system::error_code ec;
  const bool to_dir =
      many || (!a.output.empty() && (a.output.back() == '/' || fs::is_directory(a.output, ec)));
  if (many && a.output.empty()) {
    err << "teikit: several inputs need -o DIR/\n";
    return kExitUsage;
  }
  if (to_dir) fs::create_directories(a.output, ec);
  const std::string ext = a.to == "html" ? ".html" : a.to == "markdown" ? ".md" : ".txt";
  int status = kExitOk;
  for (const auto& input : a.inputs) {
    // The corpus that --index wrote into DIR is not one of DIR's documents: re-running
    // `render DIR/*.xml -o DIR/ --index DIR` must not try to render it as a page.
    if (!a.index_dir.empty() && fs::path(input).filename() == kCorpusFileName &&
        fs::equivalent(fs::path(input).parent_path().empty() ? fs::path(".")
                                                             : fs::path(input).parent_path(),
                       a.index_dir, ec))
      continue;
    std::string bytes, error;
    if (!read_input(input, bytes, error)) {
      err << "teikit: " << error << "\n";
      status = kExitUnreadable;
      continue;
    }
    xml::DocPtr doc = xml::parse_memory(bytes, input, error);
    if (!doc) {
      err << "teikit: " << input << ": " << error << "\n";
      status = kExitUnreadable;
      continue;
    }
    const std::string result = sheet.apply(doc.get(), params, error);
    if (!error.empty()) {
      err << "teikit: " << input << ": " << error << "\n";
      status = kExitUnreadable;
      continue;
    }
    if (a.output.empty() || a.output == "-") {
      out << result;
      continue;
    }
    const std::string target = to_dir ? (fs::path(a.output) / output_name(input, ext)).string()
                                      : a.output;
    if (!write_atomically(target, result, error)) {
      err << "teikit: " << error << "\n";
      status = kExitUnreadable;
    }
  }
  if (!a.index_dir.empty()) {
    const int index_status = run_index(a, params, err);
    if (status == kExitOk) status = index_status;
  }
  return status;
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"teikit: archive transcriptions to TEI P5, and back.", "teikit"};
  app.footer(kExitCodes);
  app.set_version_flag("--version", std::string("teikit ") + version());
  app.require_subcommand(1);

  ConvertArgs ca;
  CLI::App* convert_cmd = app.add_subcommand("convert", "Convert transcriptions (.txt) to TEI");
  convert_cmd->add_option("inputs", ca.inputs, "input files, - for standard input")->required();
  convert_cmd->add_option("-o,--output", ca.output,
                          "output file, or directory (DIR/) for several inputs; default stdout");
  convert_cmd->add_option("--from", ca.from, "input flavour")
      ->check(CLI::IsMember({"auto", "plain", "markdown"}));
  convert_cmd->add_option("--profile", ca.profile, "bracket-convention profile (XML)");
  convert_cmd->add_option("--config", ca.config, "config file with publisher, licence, …");
  convert_cmd->add_option("--publisher", ca.publisher, "publicationStmt/publisher");
  convert_cmd->add_option("--licence", ca.licence, "licence statement");
  convert_cmd->add_option("--licence-url", ca.licence_url, "licence URL (licence/@target)");
  convert_cmd->add_option("--edition-id", ca.edition_id, "idno of the edition (one input)");
  convert_cmd->add_option("--pub-place", ca.pub_place, "publicationStmt/pubPlace");
  convert_cmd->add_option("--diagnostics", ca.diagnostics, "diagnostics format")
      ->check(CLI::IsMember({"text", "json"}));
  convert_cmd->add_flag("--fail-on-warnings", ca.fail_on_warnings, "exit 2 when warnings occur");
  convert_cmd->add_flag("--validate", ca.validate,
                        "validate the TEI against the project schema and rules; errors point at "
                        "the transcription (exit 3 when invalid)");
  convert_cmd->add_option("--encoding", ca.encoding, "encoding of the input (default utf-8)")
      ->check(CLI::IsMember({"utf-8", "latin-1", "windows-1252"}));
  convert_cmd->add_option("--max-input-size", ca.max_input_size,
                          "refuse inputs larger than this many bytes (default 512 MiB; 0: no limit)");

  ValidateArgs va;
  CLI::App* validate_cmd = add_validate_command(app, va);

  RenderArgs ra;
  CLI::App* render_cmd = app.add_subcommand("render", "Render TEI with an XSLT stylesheet");
  render_cmd->add_option("inputs", ra.inputs, "TEI files, - for standard input");
  render_cmd->add_option("--to", ra.to, "output format (project stylesheet)")
      ->check(CLI::IsMember({"text", "html", "markdown"}));
  render_cmd->add_option("-o,--output", ra.output, "output file or directory");
  render_cmd->add_option("--xslt", ra.xslt, "use this stylesheet instead");
  // One name=value per --param (repeatable), so that the TEI files after it stay inputs.
  render_cmd->add_option("--param", ra.params, "stylesheet parameter name=value (repeatable)")
      ->expected(1)
      ->allow_extra_args(false)
      ->take_all();
  render_cmd->add_option("--index", ra.index_dir,
                         "also write DIR/index.html and DIR/corpus.xml (teiCorpus) for the TEI "
                         "files in DIR");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (*convert_cmd) return run_convert(ca, out, err);
  if (*render_cmd) return run_render(ra, out, err);
  if (*validate_cmd) return run_validate(va, out, err);
  return kExitUsage;
}

}  // namespace teikit
