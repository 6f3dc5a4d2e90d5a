// The `teikit` Python module: the library's convert, validate, render and profile loading for
// Python programs (README, "From Python").
//
// Everything here is translation between Python values and the library's: the library does the
// work, and the same code paths as the command line are used so that a conversion from Python is
// byte for byte the CLI's. The GIL is released while the library works, so other Python threads
// run meanwhile (the library keeps its per-call state in thread-local variables). Like the
// library, the module never prints, exits or forks: validation runs in this process
// (validate_documents: the library never forks), so it has no time limit.

#include <pybind11/eval.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cctype>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "teikit/base/diagnostics.hpp"
#include "teikit/base/file_io.hpp"
#include "teikit/base/version.hpp"
#include "teikit/base/xml.hpp"
#include "teikit/base/xml_source.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/convert/profile.hpp"
#include "teikit/render/transform.hpp"
#include "teikit/validate/validate.hpp"
#include "teikit/validate/validation_job.hpp"

namespace py = pybind11;

namespace {

using namespace teikit;

// The command line's default for --max-input-size: files the module reads itself (a document
// to validate or render given by path, a profile) are bounded the same way.
constexpr std::uintmax_t kMaxInputSize = 512u * 1024 * 1024;

// A diagnostic as Python sees it: the library's fields, and for a validation finding the path
// of the offending node.
struct PyDiagnostic {
  Diagnostic d;
  std::string path;
};

// Thrown for what teikit.Error reports: a profile, schema or stylesheet that does not compile,
// an input that cannot be read. Turned into teikit.Error by the translator in the module init.
struct Failure : std::exception {
  std::vector<PyDiagnostic> diagnostics;
  const char* what() const noexcept override { return "teikit.Error"; }
};

// teikit.Error; one reference is kept for the life of the process (the translator needs it
// after the module object itself may be gone).
PyObject* error_type = nullptr;

std::string format(const Diagnostic& d) {
  std::ostringstream out;
  print_text(out, d);
  std::string s = out.str();
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

// Messages can quote bytes of a file name or a document: never let a stray byte turn a
// diagnostic into a UnicodeDecodeError.
py::str text(const std::string& s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (!o) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

// "line N: message" (the XML reader's and the profile loader's form) → line N and the message.
Diagnostic located(std::string file, std::string code, std::string message) {
  Diagnostic d{Severity::Error, std::move(code), std::move(message), std::move(file), 0, 0};
  if (d.message.rfind("line ", 0) == 0) {
    std::size_t i = 5;
    std::uint32_t line = 0;
    while (i < d.message.size() && std::isdigit(static_cast<unsigned char>(d.message[i])) &&
           line < 100000000)
      line = line * 10 + static_cast<std::uint32_t>(d.message[i++] - '0');
    if (i > 5 && d.message.compare(i, 2, ": ") == 0) {
      d.line = line;
      d.message.erase(0, i + 2);
    }
  }
  return d;
}

[[noreturn]] void fail(Diagnostic d) {
  Failure f;
  f.diagnostics.push_back({std::move(d), ""});
  throw f;
}

// read_input's and library_input_problem's messages start with "PATH: "; the path is the
// diagnostic's file already.
std::string without_prefix(const std::string& message, const std::string& path) {
  return message.rfind(path + ": ", 0) == 0 ? message.substr(path.size() + 2) : message;
}

[[noreturn]] void fail_unreadable(const std::string& path, const std::string& message) {
  fail({Severity::Error, "unreadable", without_prefix(message, path), path, 0, 0});
}

// A document, profile or stylesheet argument: XML text (a str whose first non-blank character
// is '<', or bytes) or the path of a file (a str or os.PathLike).
struct XmlArgument {
  bool is_text = false;
  std::string bytes;  // the text, UTF-8
  std::string path;   // the file
};

// A str or os.PathLike as the file system's bytes (os.fsencode): a file name that is not UTF-8
// (surrogate escapes in Python) names the same file.
std::string fs_path(const py::object& value) {
  return py::module_::import("os").attr("fsencode")(value).cast<std::string>();
}

XmlArgument xml_argument(const py::object& value, const char* what) {
  XmlArgument a;
  if (py::isinstance<py::bytes>(value)) {
    a.is_text = true;
    a.bytes = value.cast<std::string>();
    return a;
  }
  if (py::isinstance<py::str>(value)) {
    const std::string s = value.cast<std::string>();
    std::size_t i = 0;
    if (s.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // a byte order mark read into a str
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i < s.size() && s[i] == '<') {
      a.is_text = true;
      a.bytes = s;
    } else {
      a.path = fs_path(value);
    }
    return a;
  }
  if (py::hasattr(value, "__fspath__")) {
    a.path = fs_path(value);
    return a;
  }
  throw py::type_error(std::string(what) + " must be XML text (str or bytes) or a path");
}

std::string path_argument(const py::object& value, const char* what) {
  if (py::isinstance<py::str>(value) || py::hasattr(value, "__fspath__")) return fs_path(value);
  throw py::type_error(std::string(what) + " must be a path (str or os.PathLike)");
}

// The bytes of an XmlArgument, reading the file (bounded, as the CLI reads it) when it is one.
std::string xml_bytes(XmlArgument& a) {
  if (a.is_text) return std::move(a.bytes);
  std::string bytes, error;
  bool ok;
  {
    py::gil_scoped_release unlocked;
    ok = read_input(a.path, bytes, error, kMaxInputSize);
  }
  if (!ok) fail_unreadable(a.path, error);
  return bytes;
}

// ---- profiles ----

// teikit.Profile: a loaded profile, shared by every conversion it is given to.
struct PyProfile {
  std::shared_ptr<const Profile> profile;
};

PyProfile load_profile(const py::object& source) {
  XmlArgument a = xml_argument(source, "the profile");
  const std::string name = a.is_text ? "<string>" : a.path;
  const std::string bytes = xml_bytes(a);
  std::string error;
  std::shared_ptr<const Profile> profile;
  {
    py::gil_scoped_release unlocked;
    profile = parse_profile(bytes, name, error);
  }
  if (!profile) fail(located(name, "profile-did-not-compile", without_prefix(error, name)));
  return PyProfile{profile};
}

// ---- convert ----

// teikit.Result: the TEI document and what was noticed on the way.
struct PyConvertResult {
  py::str xml;
  py::list diagnostics;
  std::string flavour;
  bool ok = true;
};

py::list wrap(const std::vector<PyDiagnostic>& all) {
  py::list r;
  for (const auto& d : all) r.append(py::cast(d));
  return r;
}

py::list wrap(const std::vector<Diagnostic>& all) {
  py::list r;
  for (const auto& d : all) r.append(py::cast(PyDiagnostic{d, ""}));
  return r;
}

PyConvertResult convert_text(const py::object& text, const py::object& profile,
                             const std::string& flavour, const std::string& name,
                             const std::string& encoding, std::optional<std::string> publisher,
                             std::optional<std::string> licence,
                             std::optional<std::string> licence_url,
                             std::optional<std::string> edition_id,
                             std::optional<std::string> pub_place) {
  ConvertOptions options;
  if (flavour == "auto") options.flavour = Flavour::Auto;
  else if (flavour == "plain") options.flavour = Flavour::Plain;
  else if (flavour == "markdown") options.flavour = Flavour::Markdown;
  else throw py::value_error("flavour must be 'auto', 'plain' or 'markdown', not '" + flavour + "'");
  if (encoding == "utf-8") options.encoding = InputEncoding::Utf8;
  else if (encoding == "latin-1") options.encoding = InputEncoding::Latin1;
  else if (encoding == "windows-1252") options.encoding = InputEncoding::Windows1252;
  else
    throw py::value_error("encoding must be 'utf-8', 'latin-1' or 'windows-1252', not '" +
                          encoding + "'");

  std::string bytes;
  if (py::isinstance<py::bytes>(text)) {
    bytes = text.cast<std::string>();
  } else if (py::isinstance<py::str>(text)) {
    // A str is Unicode already: its UTF-8 is what the library reads.
    if (options.encoding != InputEncoding::Utf8)
      throw py::value_error("encoding= applies to bytes; a str is converted as it is");
    bytes = text.cast<std::string>();
  } else {
    throw py::type_error("the text to convert must be str or bytes (read a file first)");
  }

  if (!profile.is_none()) {
    if (py::isinstance<PyProfile>(profile)) options.profile = profile.cast<const PyProfile&>().profile;
    else options.profile = load_profile(profile).profile;  // a path or profile XML
  }
  PublicationOptions& pub = options.publication;
  if (publisher) pub.publisher = *publisher;
  if (licence) pub.licence = *licence;
  if (licence_url) pub.licence_url = *licence_url;
  if (edition_id) pub.edition_id = *edition_id;
  if (pub_place) pub.pub_place = *pub_place;
  // As the command line: a licence link every page of the edition shows must be http(s); a TEI
  // the project rules refuse (url-scheme-not-allowed) is not written in the first place.
  if (const std::string& url = pub.licence_url; !url.empty()) {
    const auto colon = url.find(':');
    std::string scheme;
    for (char c : url.substr(0, colon))
      scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (colon == std::string::npos || (scheme != "http" && scheme != "https"))
      throw py::value_error("licence_url '" + url +
                            "': a licence URL must be an absolute http: or https: URL");
  }
  // Python callers do not map validation errors back to the transcription; no spans needed.
  options.element_spans = false;

  std::string why;
  if (!conversion_memory_available(bytes.size(), why))
  {
    PyErr_SetString(PyExc_MemoryError, (name + ": " + why).c_str());
    throw py::error_already_set();
  }
  ConvertResult r;
  {
    py::gil_scoped_release unlocked;
    r = convert(name, std::move(bytes), options);
  }
  PyConvertResult result;
  result.xml = py::str(r.xml);
  r.xml.clear();
  result.diagnostics = wrap(r.diagnostics.diagnostics());
  result.flavour = r.flavour == Flavour::Markdown ? "markdown" : "plain";
  result.ok = r.diagnostics.count(Severity::Error) == 0;
  return result;
}

// ---- validate ----

// teikit.ValidationResult: the verdict on one document and why.
struct PyValidationResult {
  std::string verdict;
  bool valid = false;
  py::list diagnostics;
};

PyValidationResult validate_document(const py::object& document, const py::object& schema,
                                     const py::object& rules) {
  ValidationOptions options;
  options.schema_path = schema.is_none() ? project_schema_path() : path_argument(schema, "schema");
  // As `teikit validate`: the project's rules go with the project's schema unless rules=False;
  // another schema gets only the rules it is given.
  if (rules.is_none())
    options.rules_path = schema.is_none() ? project_rules_path() : "";
  else if (py::isinstance<py::bool_>(rules)) {
    if (rules.cast<bool>())
      throw py::value_error("rules= takes a path, None (the default) or False (no rules)");
    options.rules_path = "";
  } else
    options.rules_path = path_argument(rules, "rules");
  // In this process: a library must not fork. So there is no time limit either (a limit needs
  // a process that can be stopped); a caller who needs one runs `teikit validate`.
  options.max_input_size = kMaxInputSize;
  for (const std::string& file : {options.schema_path, options.rules_path})
    if (const std::string problem = library_input_problem(file, kMaxInputSize); !problem.empty())
      fail_unreadable(file, problem);

  XmlArgument a = xml_argument(document, "the document");
  ValidationInput in;
  if (a.is_text) {
    in.name = "<string>";
    in.bytes = std::move(a.bytes);
  } else {
    in.name = in.path = a.path;
  }
  ValidationReport report;
  {
    py::gil_scoped_release unlocked;
    report = validate_documents({in}, options);
  }
  if (report.schema != SchemaStatus::Compiled) {
    std::string message = without_prefix(report.schema_error, options.schema_path);
    fail(located(options.schema_path,
                 report.schema == SchemaStatus::TimedOut ? "schema-timeout" : "schema-did-not-compile",
                 message));
  }
  const DocumentResult& d = report.documents.front();
  std::vector<PyDiagnostic> diagnostics;
  for (const auto& v : d.diagnostics) diagnostics.push_back({v.diagnostic, v.path});
  if (d.verdict == Verdict::Unreadable || d.verdict == Verdict::NotValidated) {
    Failure f;
    f.diagnostics = std::move(diagnostics);
    if (f.diagnostics.empty())
      f.diagnostics.push_back(
          {{Severity::Error, "unreadable", to_string(d.verdict), in.name, 0, 0}, ""});
    throw f;
  }
  return PyValidationResult{to_string(d.verdict), d.verdict == Verdict::Valid, wrap(diagnostics)};
}

// ---- render ----

py::str render_document(const py::object& document, const std::string& to,
                        const std::optional<std::map<std::string, std::string>>& given,
                        const py::object& xslt) {
  const std::map<std::string, std::string> params = given ? *given : decltype(params){};
  if (to != "html" && to != "text" && to != "markdown")
    throw py::value_error("to must be 'html', 'text' or 'markdown', not '" + to + "'");
  const std::string sheet_path = xslt.is_none() ? stylesheet_dir() + "/tei-to-" + to + ".xsl"
                                                : path_argument(xslt, "xslt");
  if (const std::string problem = library_input_problem(sheet_path, kMaxInputSize);
      !problem.empty())
    fail_unreadable(sheet_path, problem);
  XmlArgument a = xml_argument(document, "the document");
  const std::string name = a.is_text ? "<string>" : a.path;
  const std::string bytes = xml_bytes(a);

  std::string result, error, sheet_error;
  Diagnostic problem;
  bool failed = false;
  {
    py::gil_scoped_release unlocked;
    // The same steps as `teikit render`: shapes libxml2 parses in super-linear time are refused
    // before parsing, then the document is read with the locked-down reader.
    std::uint32_t line = 0;
    const Stylesheet sheet(sheet_path);
    if (!sheet.valid()) {
      problem = located(sheet_path, "stylesheet-did-not-compile",
                        without_prefix(sheet.error(), sheet_path));
      failed = true;
    } else if (std::string why = check_xml_shape(bytes, &line); !why.empty()) {
      problem = {Severity::Error, "document-too-complex", why, name, line, 0};
      failed = true;
    } else if (xml::DocPtr doc = xml::parse_memory(bytes, name, error); !doc) {
      problem = located(name, "not-well-formed", error);
      failed = true;
    } else {
      result = sheet.apply(doc.get(), params, error);
      if (!error.empty()) {
        problem = {Severity::Error, "transformation-failed", error, name, 0, 0};
        failed = true;
      }
    }
  }
  if (failed) fail(problem);
  return py::str(result);
}

}  // namespace

PYBIND11_MODULE(teikit, m) {
  m.doc() =
      "teikit: plain-text transcriptions of archival documents to TEI P5 XML, validation "
      "(RelaxNG + Schematron) and rendering (HTML, text, Markdown).";
  m.attr("__version__") = version();

  // teikit.Error: a Python class, so that it can be raised, caught and subclassed as any
  // exception (a C++ exception type registered with pybind11 cannot take the diagnostics).
  py::dict scope;
  scope["__builtins__"] = py::module_::import("builtins");
  scope["__name__"] = "teikit";
  py::exec(R"(
class Error(Exception):
    """A profile, schema or stylesheet that did not compile, or an input that could not be
    read. ``diagnostics`` lists what went wrong (teikit.Diagnostic); the message is the first
    one's. Conversion warnings are not errors: they are in Result.diagnostics."""

    def __init__(self, message, diagnostics=()):
        super().__init__(message)
        self.diagnostics = list(diagnostics)
)",
           scope);
  py::object error = scope["Error"];
  error_type = error.inc_ref().ptr();
  m.attr("Error") = error;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Failure& f) {
      py::list diagnostics = wrap(f.diagnostics);
      const std::string message = f.diagnostics.empty() ? "teikit error" : format(f.diagnostics[0].d);
      py::object exc = py::reinterpret_borrow<py::object>(error_type)(text(message), diagnostics);
      PyErr_SetObject(error_type, exc.ptr());
    }
  });

  py::class_<PyDiagnostic>(m, "Diagnostic",
                           "One finding: file, line and column (1-based, 0 when unknown), "
                           "severity ('note', 'warning' or 'error'), a stable code "
                           "(docs/diagnostics.md) and a message; str() gives the command "
                           "line's form 'file:line:col: severity: message [code]'.")
      .def_property_readonly("file", [](const PyDiagnostic& d) { return text(d.d.file); })
      .def_property_readonly("line", [](const PyDiagnostic& d) { return d.d.line; })
      .def_property_readonly("column", [](const PyDiagnostic& d) { return d.d.column; })
      .def_property_readonly("severity",
                             [](const PyDiagnostic& d) { return to_string(d.d.severity); })
      .def_property_readonly("code", [](const PyDiagnostic& d) { return text(d.d.code); })
      .def_property_readonly("message", [](const PyDiagnostic& d) { return text(d.d.message); })
      .def_property_readonly(
          "path", [](const PyDiagnostic& d) { return text(d.path); },
          "validation: the path of the offending node in the document; '' otherwise")
      .def("__str__", [](const PyDiagnostic& d) { return text(format(d.d)); })
      .def("__repr__",
           [](const PyDiagnostic& d) { return text("<teikit.Diagnostic " + format(d.d) + ">"); });

  py::class_<PyProfile>(m, "Profile",
                        "A bracket-convention profile (docs/profiles.md); from load_profile() "
                        "or default_profile(), for convert(profile=…).")
      .def_property_readonly("name", [](const PyProfile& p) { return text(p.profile->name); })
      .def_property_readonly("title", [](const PyProfile& p) { return text(p.profile->title); })
      .def_property_readonly("description",
                             [](const PyProfile& p) { return text(p.profile->description); })
      .def("__repr__", [](const PyProfile& p) {
        return text("<teikit.Profile '" + p.profile->name + "'>");
      });

  py::class_<PyConvertResult>(m, "Result", "The result of convert().")
      .def_readonly("xml", &PyConvertResult::xml,
                    "the TEI document (str; well-formed for any input; it has an XML "
                    "declaration, so give lxml its .encode())")
      .def_readonly("diagnostics", &PyConvertResult::diagnostics,
                    "what was noticed, a list of teikit.Diagnostic")
      .def_readonly("flavour", &PyConvertResult::flavour,
                    "the input flavour used: 'plain' or 'markdown'")
      .def_readonly("ok", &PyConvertResult::ok, "no diagnostic of severity 'error'")
      .def("__repr__", [](const PyConvertResult& r) {
        return "<teikit.Result " + std::to_string(py::len(r.diagnostics)) + " diagnostics>";
      });

  py::class_<PyValidationResult>(m, "ValidationResult", "The result of validate().")
      .def_readonly("verdict", &PyValidationResult::verdict, "'valid' or 'invalid'")
      .def_readonly("valid", &PyValidationResult::valid, "verdict == 'valid'")
      .def_readonly("diagnostics", &PyValidationResult::diagnostics,
                    "the schema's and the rules' findings (teikit.Diagnostic, with .path)")
      .def("__repr__", [](const PyValidationResult& r) {
        return "<teikit.ValidationResult " + r.verdict + ", " +
               std::to_string(py::len(r.diagnostics)) + " diagnostics>";
      });

  m.def("convert", &convert_text, py::arg("text"), py::kw_only(), py::arg("profile") = py::none(),
        py::arg("flavour") = "auto", py::arg("name") = "input", py::arg("encoding") = "utf-8",
        py::arg("publisher") = py::none(), py::arg("licence") = py::none(),
        py::arg("licence_url") = py::none(), py::arg("edition_id") = py::none(),
        py::arg("pub_place") = py::none(),
        "Converts a transcription (str, or bytes in `encoding`) to TEI. `name` names the input "
        "in diagnostics and is the default edition id; `profile` is a teikit.Profile, a "
        "profile file or profile XML; publisher, licence, licence_url, edition_id and pub_place "
        "fill the publicationStmt. Returns a teikit.Result; warnings are in its diagnostics, "
        "never raised. Raises teikit.Error for a profile that does not load.");
  m.def("validate", &validate_document, py::arg("xml_or_path"), py::arg("schema") = py::none(),
        py::arg("rules") = py::none(),
        "Validates a document, `xml_or_path`: XML text (a str starting with '<', or bytes) or a path; "
        "against a RelaxNG schema (default: the project's schemas/teikit.rng with its rules "
        "schemas/teikit.sch) and Schematron rules (a path; False: none). Runs in this process, "
        "with no time limit. Returns a teikit.ValidationResult; raises teikit.Error when the "
        "schema or rules do not compile or the document cannot be read.");
  m.def("render", &render_document, py::arg("xml"), py::arg("to") = "html",
        py::arg("params") = py::none(), py::arg("xslt") = py::none(),
        "Renders a TEI document `xml` (XML text, or a path, as for validate) with the project's "
        "stylesheet for `to` ('html', 'text' or 'markdown'), or with the stylesheet `xslt`; "
        "`params` are string stylesheet parameters. Returns the result as str; raises "
        "teikit.Error when the stylesheet does not compile or the document cannot be read.");
  m.def("load_profile", &load_profile, py::arg("source"),
        "Loads a profile from a file (a path) or from XML text (a str starting with '<'). "
        "Raises teikit.Error (with the line) when it is not a valid profile.");
  m.def("default_profile", [] { return PyProfile{default_profile()}; },
        "The built-in profile (archive-translation) convert() uses when given none.");
}
