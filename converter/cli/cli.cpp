#include "cli.hpp"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <boost/filesystem.hpp>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <new>
#include <sstream>
#include <stdexcept>

#include "build_cli.hpp"
#include "jsonl_cli.hpp"
#include "profile_cli.hpp"
#include "teikit/base/file_io.hpp"
#include "teikit/base/file_names.hpp"
#include "teikit/base/text_util.hpp"
#include "teikit/base/version.hpp"
#include "teikit/base/xml_source.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/convert/tei_writer.hpp"
#include "teikit/render/edition_index.hpp"
#include "teikit/render/transform.hpp"
#include "validate_cli.hpp"

namespace fs = boost::filesystem;

namespace teikit {

namespace {

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  success\n"
    "  1  bad command line, or a run refused before writing anything (an output that is an\n"
    "     input, two inputs with one output, a file teikit did not write, a device as target)\n"
    "  2  --fail-on-warnings was given and warnings were reported\n"
    "  3  a document is not valid against the schema\n"
    "  4  an input could not be read (not well-formed XML, over --max-input-size, empty\n"
    "     standard input), an output could not be written (standard output included), or\n"
    "     memory ran out\n"
    "  5  a schema, stylesheet or profile did not compile\n"
    "  130  build was stopped by a signal (the edition is left usable; run it again)\n";

}  // namespace

// Config file: `key = value` lines (# comments) for publisher, licence, licence-url, pub-place.
bool read_config(const std::string& path, const std::string& bytes, PublicationOptions& pub,
                 std::string& error) {
  std::istringstream in(bytes);
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

namespace {

std::string output_name(const std::string& input, const std::string& ext) {
  if (input == "-") return "stdin" + ext;
  return fs::path(input).stem().string() + ext;
}

// Where each input's result goes: `targets[i]` for `inputs[i]`, "" for standard output.
struct OutputPlan {
  std::vector<std::string> targets;
  bool to_dir = false;  // derived names in a directory (recorded as teikit's once written)
  std::string dir;
};

// Decides where every input goes before anything is read or written, and refuses the run
// (kExitUsage, with the reason on `err`) when a write could destroy or drop a user's file:
// several inputs without a directory, an output that is an input (also `others`: profile,
// config, stylesheet), two inputs with one output, a target that is not a regular file, and —
// for names teikit derives in a directory — an existing file teikit did not write there
// (written_by_teikit). An explicit `-o FILE` is the user's choice and may replace a file that
// is not an input. `reserved` is a path no derived target may take (the edition's index.html).
int plan_outputs(const std::vector<std::string>& inputs, const std::string& output_arg,
                 const std::string& ext, const std::vector<std::string>& others,
                 const std::string& reserved, OutputPlan& plan, std::ostream& err) {
  const bool many = inputs.size() > 1;
  // d/new/../ is d/ once d/new exists: every check below must see that (resolved_output_path).
  const std::string output = output_arg == "-" ? output_arg : resolved_output_path(output_arg);
  std::vector<std::string> all_inputs = inputs;
  all_inputs.insert(all_inputs.end(), others.begin(), others.end());
  if (output.empty() || output == "-") {
    if (many) {
      err << "teikit: several inputs need an output directory: -o DIR/\n";
      return kExitUsage;
    }
    if (const std::string problem = InputFiles(all_inputs).conflict("-"); !problem.empty()) {
      err << "teikit: " << problem << "\n";
      return kExitUsage;
    }
    plan.targets.assign(inputs.size(), "");
    return kExitOk;
  }
  boost::system::error_code ec;
  plan.to_dir = output.back() == '/' || fs::is_directory(output, ec);
  if (many && !plan.to_dir) {
    err << "teikit: several inputs need an output directory: -o " << output
        << "/ (with a trailing /, or an existing directory), not the file " << output << "\n";
    return kExitUsage;
  }
  std::map<std::string, std::string> taken;  // target → the input that maps to it
  // Indexed once: checking each target against every input (and re-reading the directory's
  // record for each) made planning 10,000 outputs quadratic.
  const InputFiles input_files(all_inputs);
  OutputRecords records;
  for (const auto& input : inputs) {
    const std::string target =
        plan.to_dir ? (fs::path(output) / output_name(input, ext)).string() : output;
    if (const auto [it, fresh] = taken.emplace(target, input); !fresh) {
      err << "teikit: " << it->second << " and " << input << " would both be written to "
          << target << "; refused (write them into different directories)\n";
      return kExitUsage;
    }
    std::string problem = output_target_problem(target);
    if (problem.empty()) problem = input_files.conflict(target);
    if (problem.empty() && plan.to_dir && !reserved.empty() &&
        (fs::absolute(target).lexically_normal() == fs::absolute(reserved).lexically_normal() ||
         (fs::path(target).filename() == fs::path(reserved).filename() &&
          fs::equivalent(fs::path(target).parent_path(), fs::path(reserved).parent_path(), ec))))
      problem = target + ": is the edition's index page; a document named '" +
                fs::path(target).stem().string() + "' cannot have its page there (rename it)";
    struct stat st;
    // (A symbolic link there is not teikit's either: an explicit -o LINK replaces it.)
    if (problem.empty() && plan.to_dir && ::lstat(target.c_str(), &st) == 0 &&
        !records.written_by_teikit(target))
      problem = target + ": exists and was not written by teikit (or was changed since); not "
                         "replaced: move it away, or write into another directory";
    if (!problem.empty()) {
      err << "teikit: " << problem << "\n";
      return kExitUsage;
    }
    plan.targets.push_back(target);
  }
  plan.dir = plan.to_dir ? output : "";
  return kExitOk;
}

// Creates the output directory of a plan (after the plan was accepted, so a refused run
// creates nothing).
bool make_output_dir(const OutputPlan& plan, std::ostream& err) {
  if (!plan.to_dir) return true;
  boost::system::error_code ec;
  fs::create_directories(plan.dir, ec);
  if (!fs::is_directory(plan.dir, ec)) {
    err << "teikit: " << plan.dir << ": cannot create output directory\n";
    return false;
  }
  return true;
}

// Writes one planned output: standard output, or a file (recorded as teikit's when its name
// was derived in a directory).
bool write_output(const OutputPlan& plan, std::size_t i, const std::string& data,
                  std::ostream& out, std::ostream& err) {
  if (plan.targets[i].empty()) {
    out << data;
    return true;  // checked once at the end of the run (output_ok)
  }
  std::string error;
  if (!write_atomically(plan.targets[i], data, error, plan.to_dir)) {
    err << "teikit: " << error << "\n";
    return false;
  }
  return true;
}

// write_output for a page produced piece by piece. A transformation error is reported as
// "INPUT: why" (`render_error`, set by `produce`), a write error as "OUTPUT: why". On standard
// output, the pieces written before a transformation error stay written (exit 4 says the page
// is incomplete).
bool write_output(const OutputPlan& plan, std::size_t i, const ByteProducer& produce,
                  std::ostream& out, std::ostream& err, const std::string& input,
                  const std::string& render_error) {
  if (plan.targets[i].empty()) {
    const ByteSink to_out = [&out](const char* data, std::size_t size) {
      out.write(data, static_cast<std::streamsize>(size));
      return static_cast<bool>(out);
    };
    if (produce(to_out)) return true;
    // A failed write to standard output is reported once at the end of the run (output_ok).
    if (!out) return true;
    err << "teikit: " << input << ": " << render_error << "\n";
    return false;
  }
  std::string error;
  if (write_atomically(plan.targets[i], produce, error, plan.to_dir)) return true;
  // error is empty when the transformation failed, not a write.
  if (error.empty())
    err << "teikit: " << input << ": " << render_error << "\n";
  else
    err << "teikit: " << error << "\n";
  return false;
}

}  // namespace

int conversion_options(const ConversionArgs& a, ConvertOptions& options, std::ostream& err) {
  options.flavour = a.from == "plain" ? Flavour::Plain
                    : a.from == "markdown" ? Flavour::Markdown : Flavour::Auto;
  options.encoding = a.encoding == "latin-1" ? InputEncoding::Latin1
                     : a.encoding == "windows-1252" ? InputEncoding::Windows1252
                                                    : InputEncoding::Utf8;
  if (!a.profile.empty()) {
    // A built-in name (archive-translation, de-archive) first, else a file.
    std::string error;
    int code = kExitOk;
    options.profile = resolve_profile(a.profile, a.max_input_size, error, code);
    if (!options.profile) {
      err << "teikit: " << error << "\n";
      return code;
    }
  }
  if (!a.config.empty()) {
    std::string bytes, error;
    if (!read_input(a.config, bytes, error, a.max_input_size)) {
      err << "teikit: " << error << "\n";
      return kExitUnreadable;
    }
    if (!read_config(a.config, bytes, options.publication, error)) {
      err << "teikit: " << error << "\n";
      return kExitUsage;
    }
  }
  if (!a.publisher.empty()) options.publication.publisher = a.publisher;
  if (!a.licence.empty()) options.publication.licence = a.licence;
  if (!a.licence_url.empty()) options.publication.licence_url = a.licence_url;
  if (!a.pub_place.empty()) options.publication.pub_place = a.pub_place;
  // licence/@target is a link every page of the edition shows (issue 8): the stylesheets would
  // only show a javascript: or data: URL as text, but a TEI that the project rules refuse
  // (url-scheme-not-allowed) is not written in the first place.
  if (const std::string problem = licence_url_problem(options.publication.licence_url);
      !problem.empty()) {
    err << "teikit: " << problem << "\n";
    return kExitUsage;
  }
  // Written into the header as text: a value XML cannot carry (a control character, bytes that
  // are not UTF-8) would make the TEI ill-formed. Refused, not changed: it is the user's value.
  if (const std::string problem = publication_problem(options.publication); !problem.empty()) {
    err << "teikit: " << problem << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

namespace {

struct ConvertArgs : ConversionArgs {
  std::vector<std::string> inputs;
  std::string output, diagnostics = "text";
  std::string edition_id;
  bool fail_on_warnings = false;
  bool validate = false;  // --validate: check the TEI against the project schema and rules
  bool jsonl = false;     // --jsonl: JSON Lines in, one result per line out (jsonl_cli.hpp)
};

int run_convert(const ConvertArgs& a, std::ostream& out, std::ostream& err) {
  ConvertOptions options;
  if (const int code = conversion_options(a, options, err); code != kExitOk) return code;
  if (a.jsonl) {
    if (a.inputs.size() > 1) {
      err << "teikit: --jsonl reads one stream (a file, or - for standard input)\n";
      return kExitUsage;
    }
    if (a.encoding != "utf-8") {
      err << "teikit: --jsonl reads JSON, which is UTF-8; --encoding does not apply\n";
      return kExitUsage;
    }
    JsonlArgs j;
    j.input = a.inputs.empty() ? "-" : a.inputs.front();
    j.output = a.output;
    j.defaults = options;
    if (!a.edition_id.empty()) j.defaults.publication.edition_id = a.edition_id;
    j.profile_name = a.profile;
    j.validate = a.validate;
    j.max_line = a.max_input_size;
    return run_convert_jsonl(j, out, err);
  }
  if (a.inputs.empty()) {
    err << "teikit: convert needs input files (- for standard input), or --jsonl\n";
    return kExitUsage;
  }

  const bool many = a.inputs.size() > 1;
  if (const std::string why = xml_text_problem(a.edition_id); !why.empty()) {
    err << "teikit: --edition-id: the value " << why << "\n";
    return kExitUsage;
  }
  if (many && !a.edition_id.empty()) {
    err << "teikit: --edition-id names the edition of one input; " << a.inputs.size()
        << " inputs were given (each gets its file name as idno)\n";
    return kExitUsage;
  }
  OutputPlan plan;
  if (const int refused = plan_outputs(a.inputs, a.output, ".xml", {a.profile, a.config}, "",
                                       plan, err))
    return refused;
  if (!make_output_dir(plan, err)) return kExitUnreadable;
  int status = kExitOk;
  std::vector<Diagnostic> all;
  for (std::size_t i = 0; i < a.inputs.size(); ++i) {
    const std::string& input = a.inputs[i];
    std::string bytes, error;
    if (!read_input(input, bytes, error, a.max_input_size)) {
      err << "teikit: " << error << "\n";
      status = kExitUnreadable;
      continue;
    }
    ConvertOptions o = options;
    if (!a.edition_id.empty()) o.publication.edition_id = a.edition_id;
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
    if (!write_output(plan, i, r.xml, out, err)) status = kExitUnreadable;
  }
  if (a.diagnostics == "json") print_json(err, all);
  return status;
}

struct RenderArgs {
  std::vector<std::string> inputs;
  std::string to = "text", output, xslt, index_dir;
  std::vector<std::string> params;
  std::uintmax_t max_input_size = 512u * 1024 * 1024;
};

// `render --index DIR`: corpus.xml and index.html of the TEI documents in DIR (after the inputs,
// if any, were rendered, so pages just written into DIR are linked).
int run_index(const RenderArgs& a, const std::map<std::string, std::string>& params,
              std::ostream& err) {
  EditionIndexOptions options;
  options.params = params;
  options.max_input_size = a.max_input_size;
  if (const auto t = params.find("title"); t != params.end()) options.title = t->second;
  const EditionIndexResult r = write_edition_index(a.index_dir, options);
  for (const auto& s : r.skipped) err << "teikit: warning: " << a.index_dir << "/" << s << " (not indexed)\n";
  if (!r.ok) {
    err << "teikit: " << r.error << "\n";
    return r.refused ? kExitUsage : r.stylesheet_failed ? kExitSchema : kExitUnreadable;
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
  // The corpus that --index wrote into DIR is not one of DIR's documents: re-running
  // `render DIR/*.xml -o DIR/ --index DIR` must not try to render it as a page. (A document
  // that took the name corpus.xml is refused by edition_dir_problem below.)
  std::vector<std::string> inputs;
  boost::system::error_code ec;
  for (const auto& input : a.inputs)
    if (a.index_dir.empty() || fs::path(input).filename() != kCorpusFileName ||
        !fs::equivalent(fs::path(input).parent_path().empty() ? fs::path(".")
                                                              : fs::path(input).parent_path(),
                        a.index_dir, ec))
      inputs.push_back(input);
  const std::string ext = a.to == "html" ? ".html" : a.to == "markdown" ? ".md" : ".txt";
  OutputPlan plan;
  const std::string reserved =
      a.index_dir.empty() ? "" : (fs::path(a.index_dir) / kIndexFileName).string();
  if (const int refused = plan_outputs(inputs, a.output, ext, {a.xslt}, reserved, plan, err))
    return refused;
  if (!a.index_dir.empty() && fs::is_directory(a.index_dir, ec)) {
    // Refuse now, not after the pages were written.
    if (const std::string problem = edition_dir_problem(a.index_dir); !problem.empty()) {
      err << "teikit: " << problem << "\n";
      return kExitUsage;
    }
  }
  if (const std::string problem = library_input_problem(a.xslt, a.max_input_size);
      !problem.empty()) {
    err << "teikit: " << problem << "\n";
    return kExitUnreadable;
  }
  const std::string sheet_path =
      !a.xslt.empty() ? a.xslt : stylesheet_dir() + "/tei-to-" + a.to + ".xsl";
  const Stylesheet sheet(sheet_path);  // compiled once for every input
  if (!sheet.valid()) {
    err << "teikit: " << sheet.error() << "\n";
    return kExitSchema;
  }
  if (!make_output_dir(plan, err)) return kExitUnreadable;
  int status = kExitOk;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string& input = inputs[i];
    std::string bytes, error;
    if (!read_input(input, bytes, error, a.max_input_size)) {
      err << "teikit: " << error << "\n";
      status = kExitUnreadable;
      continue;
    }
    // Shapes libxml2 2.9 parses in super-linear time (10^5 attributes on an element) are
    // refused before parsing, as validate does (xml_source.hpp).
    std::uint32_t line = 0;
    if (std::string why = check_xml_shape(bytes, &line); !why.empty()) {
      err << "teikit: " << input << ":" << line << ": " << why << "\n";
      status = kExitUnreadable;
      continue;
    }
    // The tree is all the transformation reads: the text is freed as it is parsed.
    xml::DocPtr doc = xml::parse_memory_for_reading(bytes, input, error);
    if (!doc) {
      err << "teikit: " << input << ": " << error << "\n";
      status = kExitUnreadable;
      continue;
    }
    // The page is written as it is made (Stylesheet::apply_to), never held whole in memory.
    std::string render_error;
    const ByteProducer page = [&](const ByteSink& sink) {
      return sheet.apply_to(doc.get(), params, sink, render_error);
    };
    if (!write_output(plan, i, page, out, err, input, render_error)) status = kExitUnreadable;
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
  convert_cmd->add_option("inputs", ca.inputs,
                          "input files, - for standard input (with --jsonl: one JSON Lines "
                          "file, default standard input)");
  convert_cmd->add_option("-o,--output", ca.output,
                          "output file, or directory (DIR/) for several inputs; default stdout");
  convert_cmd->add_option("--from", ca.from, "input flavour")
      ->check(CLI::IsMember({"auto", "plain", "markdown"}));
  convert_cmd->add_option("--profile", ca.profile,
                          "profile: a built-in name (archive-translation, de-archive; teikit "
                          "profile list) or a profile file (XML)");
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
  convert_cmd->add_flag("--jsonl", ca.jsonl,
                        "streaming mode: each input line is {\"id\", \"text\", \"options\"}, "
                        "each output line {\"id\", \"tei\", \"diagnostics\", \"status\"} "
                        "(--max-input-size bounds a line)");
  convert_cmd->add_option("--encoding", ca.encoding, "encoding of the input (default utf-8)")
      ->check(CLI::IsMember({"utf-8", "latin-1", "windows-1252"}));
  convert_cmd->add_option("--max-input-size", ca.max_input_size,
                          "refuse inputs larger than this many bytes (default 512 MiB; 0: no limit)");

  ValidateArgs va;
  CLI::App* validate_cmd = add_validate_command(app, va);

  ProfileArgs pa;
  CLI::App* profile_cmd = add_profile_command(app, pa);

  BuildArgs ba;
  CLI::App* build_cmd = add_build_command(app, ba);

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
  render_cmd->add_option("--max-input-size", ra.max_input_size,
                         "refuse inputs larger than this many bytes (default 512 MiB; 0: no limit)");
  render_cmd->add_option("--index", ra.index_dir,
                         "also write DIR/index.html and DIR/corpus.xml (teiCorpus) for the TEI "
                         "files in DIR");

  int code = kExitUsage;
  try {
    try {
      app.parse(argc, argv);
      if (*convert_cmd) code = run_convert(ca, out, err);
      else if (*render_cmd) code = run_render(ra, out, err);
      else if (*validate_cmd) code = run_validate(va, out, err);
      else if (*profile_cmd) code = run_profile(pa, out, err);
      else if (*build_cmd) code = run_build(ba, out, err);
    } catch (const CLI::ParseError& e) {
      code = app.exit(e, out, err) == 0 ? kExitOk : kExitUsage;
    }
  } catch (const std::bad_alloc&) {
    err << "teikit: error: out of memory (an input too large for the memory available; see "
           "--max-input-size) [out-of-memory]\n";
    return kExitUnreadable;
  } catch (const std::length_error&) {
    err << "teikit: error: out of memory (a string or table larger than the implementation "
           "allows) [out-of-memory]\n";
    return kExitUnreadable;
  }
  // Everything on standard output must have arrived: a full disk or a closed descriptor is a
  // failed run, not a truncated result with exit 0.
  if (std::string why; !output_ok(out, why)) {
    err << "teikit: standard output: " << why << "\n";
    if (code == kExitOk || code == kExitWarnings || code == kExitInvalid) code = kExitUnreadable;
  }
  return code;
}

}  // namespace teikit
