#include "validate_cli.hpp"

#include "supervised_validation.hpp"

#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "teikit/base/file_io.hpp"
#include "teikit/base/file_names.hpp"
#include "teikit/validate/validate.hpp"
#include "teikit/validate/validation_job.hpp"

namespace teikit {

namespace {

// The diagnostic code of a schema that was not compiled.
const char* schema_failure_code(SchemaStatus status) {
  switch (status) {
    case SchemaStatus::TimedOut:
      return "schema-timeout";
    case SchemaStatus::OutOfMemory:
      return "out-of-memory";
    default:
      return "schema-did-not-compile";
  }
}

void print_text_with_path(std::ostream& err, const ValidationDiagnostic& v) {
  print_text(err, v.diagnostic);
  if (!v.path.empty()) err << "    at " << v.path << "\n";
}

void print_json_with_path(std::ostream& out, const std::vector<ValidationDiagnostic>& all) {
  out << "[";
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Diagnostic& d = all[i].diagnostic;
    out << (i ? ",\n " : "\n ") << "{\"file\":\"" << json_escape(d.file) << "\",\"line\":" << d.line
        << ",\"column\":" << d.column << ",\"severity\":\"" << to_string(d.severity)
        << "\",\"code\":\"" << json_escape(d.code) << "\",\"message\":\"" << json_escape(d.message)
        << "\",\"path\":\"" << json_escape(all[i].path) << "\"}";
  }
  out << (all.empty() ? "]\n" : "\n]\n");
}

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

xmlNode* child(xmlNode* parent, const char* name) {
  return xmlNewChild(parent, nullptr, BAD_CAST name, nullptr);
}

// Values can hold file names (any bytes): only characters XML can carry go into the report.
void set(xmlNode* n, const char* name, const std::string& value) {
  xmlSetProp(n, BAD_CAST name, BAD_CAST as_xml_text(value).c_str());
}

// The JUnit XML report CI systems read (the Ant/Jenkins dialect): one testcase per document,
// a failure for an invalid one, an error for one that could not be read or validated.
std::string junit_report(const ValidationReport& report, const std::string& schema,
                         const std::vector<std::string>& names) {
  xml::DocPtr doc(xmlNewDoc(BAD_CAST "1.0"));
  xmlNode* suites = xmlNewDocNode(doc.get(), nullptr, BAD_CAST "testsuites", nullptr);
  xmlDocSetRootElement(doc.get(), suites);
  xmlNode* suite = child(suites, "testsuite");
  set(suite, "name", "teikit validate");
  std::size_t failures = 0, errors = 0;
  double total = report.compile_seconds;
  xmlNode* properties = child(suite, "properties");
  xmlNode* property = child(properties, "property");
  set(property, "name", "schema");
  set(property, "value", schema);
  if (report.schema != SchemaStatus::Compiled) {
    xmlNode* tc = child(suite, "testcase");
    set(tc, "classname", "teikit.validate");
    set(tc, "name", schema);
    xmlNode* e = child(tc, "error");
    set(e, "type",
        schema_failure_code(report.schema));
    set(e, "message", report.schema_error);
    ++errors;
  }
  for (std::size_t i = 0; i < report.documents.size(); ++i) {
    const DocumentResult& d = report.documents[i];
    xmlNode* tc = child(suite, "testcase");
    set(tc, "classname", "teikit.validate");
    set(tc, "name", i < names.size() ? names[i] : d.name);
    set(tc, "time", format_seconds(d.seconds));
    total += d.seconds;
    if (d.verdict == Verdict::Valid) continue;
    std::ostringstream text;
    std::size_t n = 0;
    for (const auto& v : d.diagnostics) {
      print_text_with_path(text, v);
      n += v.diagnostic.severity == Severity::Error;
    }
    const bool failure = d.verdict == Verdict::Invalid;
    xmlNode* f = child(tc, failure ? "failure" : "error");
    set(f, "type", to_string(d.verdict));
    set(f, "message",
        failure                 ? std::to_string(n) + (n == 1 ? " error" : " errors")
        : d.diagnostics.empty() ? std::string(to_string(d.verdict))
                                : d.diagnostics.front().diagnostic.message);
    xmlNodeAddContent(f, BAD_CAST as_xml_text(text.str()).c_str());
    if (failure)
      ++failures;
    else
      ++errors;
  }
  set(suite, "tests",
      std::to_string(report.documents.size() + (report.schema != SchemaStatus::Compiled ? 1 : 0)));
  set(suite, "failures", std::to_string(failures));
  set(suite, "errors", std::to_string(errors));
  set(suite, "time", format_seconds(total));
  return xml::serialize(doc.get());
}

}  // namespace

int exit_code(const ValidationReport& report) {
  switch (report.outcome()) {
    case JobOutcome::AllValid:
      return kExitOk;
    case JobOutcome::SomeInvalid:
      return kExitInvalid;
    case JobOutcome::SomeNotValidated:
      return kExitUnreadable;
    case JobOutcome::SchemaNotCompiled:
      break;
  }
  return kExitSchema;
}

CLI::App* add_validate_command(CLI::App& app, ValidateArgs& a) {
  CLI::App* cmd = app.add_subcommand(
      "validate", "Validate TEI (or any XML) against a RelaxNG schema and Schematron rules");
  cmd->add_option("inputs", a.inputs, "XML files, - for standard input")->required();
  cmd->add_option("--schema", a.schema,
                  "RelaxNG schema, XML syntax (default: the project schema schemas/teikit.rng "
                  "with its rules schemas/teikit.sch)");
  cmd->add_option("--rules", a.rules, "ISO Schematron rules (XPath 1.0) to apply as well");
  cmd->add_flag("--no-rules", a.no_rules, "do not apply the project's rules");
  cmd->add_option("--timeout", a.timeout,
                  "time limit in seconds (default 5; 0: no limit) for compiling the schema, and "
                  "separately for each document's reading and validation")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--diagnostics", a.diagnostics, "diagnostics format on stderr")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--report", a.report, "also write a report: --report=junit FILE")
      ->expected(2)
      ->allow_extra_args(false);
  cmd->add_flag("--no-prune", a.no_prune,
                "compile the whole grammar instead of the part the documents can reach (slow "
                "for tei_all.rng; same verdicts)");
  cmd->add_flag("--xinclude", a.xinclude,
                "process XIncludes (local files only, as jing does); off by default, so that a "
                "document cannot pull other files into the diagnostics");
  cmd->add_flag("-v,--verbose", a.verbose, "print each file's verdict and timings on stdout");
  cmd->add_option("--max-input-size", a.max_input_size,
                  "refuse documents larger than this many bytes (default 512 MiB; 0: no limit)");
  cmd->add_option("-j,--jobs", a.jobs,
                  "documents validated at once, in threads sharing the compiled schema (default "
                  "0: as many as there are cores); the output is the same for every N");
  cmd->add_option("--max-errors", a.max_errors,
                  "report at most this many errors per document (default 1000; 0: no limit); "
                  "a last note says how many more there were");
  return cmd;
}

int run_validate(const ValidateArgs& a, std::ostream& out, std::ostream& err) {
  if (!a.report.empty() && (a.report.size() != 2 || a.report[0] != "junit")) {
    err << "teikit: --report expects junit FILE\n";
    return kExitUsage;
  }
  ValidationOptions options;
  options.schema_path = a.schema.empty() ? project_schema_path() : a.schema;
  options.rules_path = !a.rules.empty()                  ? a.rules
                       : a.schema.empty() && !a.no_rules ? project_rules_path()
                                                         : "";
  const ValidationLimits limits{a.timeout, a.timeout};
  options.prune = !a.no_prune;
  options.read.xinclude = a.xinclude;

  options.max_input_size = a.max_input_size;
  options.jobs = a.jobs;
  options.max_errors = a.max_errors;
  for (const std::string& file : {a.schema, a.rules}) {
    if (const std::string problem = library_input_problem(file, a.max_input_size);
        !problem.empty()) {
      err << "teikit: " << problem << "\n";
      return kExitUnreadable;
    }
  }
  if (!a.report.empty()) {
    // The report must not replace a document, the schema or the rules, nor go to a device.
    std::vector<std::string> read = a.inputs;
    read.push_back(options.schema_path);
    read.push_back(options.rules_path);
    std::string problem = a.report[1] == "-" ? "" : output_target_problem(a.report[1]);
    if (problem.empty()) problem = output_input_conflict(a.report[1], read);
    if (!problem.empty()) {
      err << "teikit: --report: " << problem << "\n";
      return kExitUsage;
    }
  }

  std::vector<ValidationInput> inputs;
  std::vector<std::string> names;
  bool stdin_failed = false;
  for (const auto& path : a.inputs) {
    ValidationInput in;
    if (path == "-") {
      in.name = "<stdin>";
      std::string error;
      if (!read_input("-", in.bytes, error, a.max_input_size)) {
        err << "teikit: " << error << "\n";
        stdin_failed = true;
        continue;
      }
    } else {
      in.name = in.path = path;
    }
    names.push_back(in.name);
    inputs.push_back(std::move(in));
  }
  if (inputs.empty()) return kExitUnreadable;
  const ValidationReport report = validate_supervised(inputs, options, limits);

  std::vector<ValidationDiagnostic> all;
  if (report.schema != SchemaStatus::Compiled) {
    ValidationDiagnostic v;
    v.diagnostic.file = options.schema_path;
    v.diagnostic.severity = Severity::Error;
    v.diagnostic.code =
        schema_failure_code(report.schema);
    std::string message = report.schema_error;
    if (message.rfind(options.schema_path + ": ", 0) == 0)
      message = message.substr(options.schema_path.size() + 2);
    v.diagnostic.message = message;
    all.push_back(std::move(v));
  }
  for (const auto& d : report.documents) {
    all.insert(all.end(), d.diagnostics.begin(), d.diagnostics.end());
    if (a.verbose && report.schema == SchemaStatus::Compiled)
      out << d.name << ": " << to_string(d.verdict) << " (" << format_seconds(d.seconds) << " s)\n";
  }
  if (a.verbose && report.schema == SchemaStatus::Compiled) {
    out << options.schema_path << ": compiled in " << format_seconds(report.compile_seconds)
        << " s";
    if (report.pruned)
      out << " (pruned to " << report.prune.elements_kept << " element patterns; "
          << report.prune.elements_pruned << " elements and " << report.prune.attributes_pruned
          << " attributes not used by the documents left out)";
    out << "\n";
  }
  if (a.diagnostics == "json") {
    print_json_with_path(err, all);
  } else {
    for (const auto& v : all) print_text_with_path(err, v);
  }

  int code = exit_code(report);
  if (stdin_failed && (code == kExitOk || code == kExitInvalid)) code = kExitUnreadable;
  if (!a.report.empty()) {
    std::string error;
    const std::string xml = junit_report(report, options.schema_path, names);
    if (a.report[1] == "-") {
      out << xml;
    } else if (!write_atomically(a.report[1], xml, error)) {
      err << "teikit: " << error << "\n";
      if (code == kExitOk || code == kExitInvalid) code = kExitUnreadable;
    }
  }
  return code;
}

xml::DocPtr conversion_validation_input(const ConvertResult& result, ValidationInput& in) {
  in.name = result.source ? result.source->name() : "<stdin>";
  // The converter keeps no tree: its output is read back (it is its own, so libxml2's size
  // limits for untrusted documents are lifted; there is no DTD and there are no entities).
  const xml::SettingsScope settings;
  xml::DocPtr doc(xmlReadMemory(result.xml.data(), static_cast<int>(result.xml.size()),
                                in.name.c_str(), nullptr, xml::safe_parse_options() | XML_PARSE_HUGE));
  if (!doc) return doc;
  // Element k in document order came from result.element_spans[k]; the number (plus one) is
  // kept in the node's application field for the look-up below.
  std::size_t ordinal = 0;
  for (xmlNode* n = xmlDocGetRootElement(doc.get()); n;) {
    if (n->type == XML_ELEMENT_NODE) n->_private = reinterpret_cast<void*>(++ordinal);
    if (n->children && n->type == XML_ELEMENT_NODE) {
      n = n->children;
      continue;
    }
    while (n && !n->next) n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : nullptr;
    if (n) n = n->next;
  }
  in.doc = doc.get();
  in.locate = [&result](const xmlNode* node, Diagnostic& where) {
    // The nearest ancestor-or-self with a span from the text: the transcription's text that
    // produced the offending element.
    for (const xmlNode* n = node; n && result.source; n = n->parent) {
      if (n->type != XML_ELEMENT_NODE || !n->_private) continue;
      const auto k = reinterpret_cast<std::uintptr_t>(n->_private) - 1;
      if (k >= result.element_spans.size()) continue;
      const Span span = result.element_spans[k];
      if (span.begin == kNoSpan.begin && span.end == kNoSpan.end) continue;
      const LineCol lc = result.source->line_col(span.begin);
      where.line = lc.line;
      where.column = lc.column;
      return;
    }
  };
  return doc;
}

Diagnostic internal_tree_diagnostic(const std::string& name) {
  return {Severity::Error, "internal-tree",
          "the converter's output is not well-formed XML (a bug in teikit)", name, 0, 0};
}

void append_conversion_findings(const DocumentResult& result, const std::string& name,
                                std::vector<Diagnostic>& diagnostics) {
  for (const auto& v : result.diagnostics) {
    Diagnostic d = v.diagnostic;
    d.file = name;
    // The generated TEI has no lines of its own; the path says which element of it is meant.
    if (!v.path.empty()) d.message += " (in the TEI at " + v.path + ")";
    diagnostics.push_back(std::move(d));
  }
}

int validate_conversion(const ConvertResult& result, std::vector<Diagnostic>& diagnostics) {
  ValidationOptions options;
  options.schema_path = project_schema_path();
  options.rules_path = project_rules_path();
  // Pruning changes little for the small project schema, but it also flattens its choices,
  // which makes libxml2's messages precise (see rng_prune.cpp).
  options.prune = true;
  // The tree is the converter's own output, in proportion to the transcription: a large one may
  // take longer than the default limit to validate, and there is no hostile shape to stop.
  ValidationLimits limits;
  limits.document_timeout = 0;
  ValidationInput in;
  const xml::DocPtr doc = conversion_validation_input(result, in);
  if (!doc) {
    diagnostics.push_back(internal_tree_diagnostic(in.name));
    return kExitInvalid;
  }
  const ValidationReport report = validate_supervised({in}, options, limits);
  if (report.schema != SchemaStatus::Compiled) {
    Diagnostic d;
    d.file = options.schema_path;
    d.severity = Severity::Error;
    d.code = schema_failure_code(report.schema);
    d.message = report.schema_error;
    diagnostics.push_back(std::move(d));
    return report.schema == SchemaStatus::OutOfMemory ? kExitUnreadable : kExitSchema;
  }
  append_conversion_findings(report.documents.front(), in.name, diagnostics);
  return report.documents.front().verdict == Verdict::Valid ? kExitOk : kExitInvalid;
}

}  // namespace teikit
