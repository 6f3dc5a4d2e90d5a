#include "jsonl_cli.hpp"

#include <cctype>
#include <list>
#include <memory>
#include <new>
#include <string_view>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "profile_cli.hpp"
#include "teikit/base/diagnostics.hpp"
#include "teikit/base/file_io.hpp"
#include "teikit/base/file_names.hpp"
#include "teikit/base/json.hpp"
#include "teikit/base/line_reader.hpp"
#include "validate_cli.hpp"

namespace teikit {

std::string publication_problem(const PublicationOptions& p) {
  for (const auto& [name, value] :
       {std::pair<const char*, const std::string*>{"--publisher", &p.publisher},
        {"--licence", &p.licence},
        {"--licence-url", &p.licence_url},
        {"--edition-id", &p.edition_id},
        {"--pub-place", &p.pub_place}})
    if (const std::string why = xml_text_problem(*value); !why.empty())
      return std::string(name) + ": the value " + why;
  return "";
}

std::string licence_url_problem(const std::string& url) {
  if (url.empty()) return "";
  const auto colon = url.find(':');
  std::string scheme;
  for (char c : url.substr(0, colon))
    scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (colon == std::string::npos || (scheme != "http" && scheme != "https"))
    return "--licence-url '" + url + "': a licence URL must be an absolute http: or https: URL";
  return "";
}

namespace {

// Profiles named by lines, compiled once each. Few distinct profiles are expected; the cache is
// bounded so that a stream naming a new profile on every line cannot grow without limit.
class ProfileCache {
 public:
  std::shared_ptr<const Profile> get(const std::string& name, std::uintmax_t max_size,
                                     std::string& error) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->first == name) {
        entries_.splice(entries_.begin(), entries_, it);
        return it->second;
      }
    int code = kExitOk;
    auto profile = resolve_profile(name, max_size, error, code);
    if (!profile) return nullptr;
    entries_.emplace_front(name, profile);
    if (entries_.size() > kMax) entries_.pop_back();
    return profile;
  }

 private:
  static constexpr std::size_t kMax = 16;
  std::list<std::pair<std::string, std::shared_ptr<const Profile>>> entries_;
};

struct LineProblem {
  std::string code, message;
  std::uint32_t column = 0;
};

// One result line. `tei` is null (not written) for a line that was not converted.
std::string result_line(const std::string& id_json, const std::string* tei,
                        const std::vector<Diagnostic>& diagnostics, const char* status) {
  std::string line = "{\"id\":" + id_json + ",\"tei\":";
  line += tei ? json_string(*tei) : "null";
  line += ",\"diagnostics\":[";
  for (std::size_t i = 0; i < diagnostics.size(); ++i) {
    const Diagnostic& d = diagnostics[i];
    if (i) line += ',';
    line += "{\"line\":" + std::to_string(d.line) + ",\"column\":" + std::to_string(d.column) +
            ",\"severity\":\"" + to_string(d.severity) + "\",\"code\":" + json_string(d.code) +
            ",\"message\":" + json_string(d.message) + "}";
  }
  line += "],\"status\":\"";
  line += status;
  line += "\"}\n";
  return line;
}

// A result depends on its line alone (no line number in it), so that a stream cut into blocks
// (parallel --pipe, Hadoop's splits) gives the same results as the whole stream.
std::string error_line(const std::string& id_json, const LineProblem& p) {
  Diagnostic d;
  d.severity = Severity::Error;
  d.code = p.code;
  d.message = p.message;
  d.column = p.column;
  return result_line(id_json, nullptr, {d}, "error");
}

// Applies a line's "options" object to `o`; false (and `problem`) for an unknown option or a
// value of the wrong kind, so that a typo is an error on that line rather than silently ignored.
bool apply_options(const JsonValue& options, ConvertOptions& o, ProfileCache& profiles,
                   std::uintmax_t max_size, LineProblem& problem) {
  if (options.type != JsonValue::Type::Object) {
    problem = {"bad-options", "\"options\" must be an object", 0};
    return false;
  }
  for (const auto& [key, value] : options.members) {
    if (!value.is_string()) {
      problem = {"bad-options", "option \"" + key + "\" must be a string", 0};
      return false;
    }
    const std::string& v = value.text;
    if (key == "profile") {
      std::string error;
      o.profile = profiles.get(v, max_size, error);
      if (!o.profile) {
        problem = {"bad-profile", error, 0};
        return false;
      }
    } else if (key == "from") {
      if (v == "auto") o.flavour = Flavour::Auto;
      else if (v == "plain") o.flavour = Flavour::Plain;
      else if (v == "markdown") o.flavour = Flavour::Markdown;
      else {
        problem = {"bad-options", "option \"from\" must be auto, plain or markdown", 0};
        return false;
      }
    } else if (key == "publisher") {
      o.publication.publisher = v;
    } else if (key == "licence" || key == "license") {
      o.publication.licence = v;
    } else if (key == "licence-url" || key == "license-url") {
      if (const std::string why = licence_url_problem(v); !why.empty()) {
        problem = {"bad-options", why, 0};
        return false;
      }
      o.publication.licence_url = v;
    } else if (key == "edition-id") {
      o.publication.edition_id = v;
    } else if (key == "pub-place") {
      o.publication.pub_place = v;
    } else {
      problem = {"bad-options",
                 "unknown option \"" + key +
                     "\" (known: profile, from, publisher, licence, licence-url, edition-id, "
                     "pub-place)",
                 0};
      return false;
    }
  }
  // JSON strings may hold \u0001 (and lone surrogates, which the reader makes U+FFFD): a value
  // XML cannot carry would make the line's TEI ill-formed.
  if (const std::string why = publication_problem(o.publication); !why.empty()) {
    problem = {"bad-options", why, 0};
    return false;
  }
  return true;
}

// Converts one line into its result line.
std::string convert_line(const std::string& line, const JsonlArgs& a,
                         ProfileCache& profiles) {
  JsonValue v;
  std::string error;
  if (!parse_json(line, v, error)) {
    LineProblem p{"invalid-json", "not valid JSON: " + error, 0};
    if (error.rfind("column ", 0) == 0) p.column = static_cast<std::uint32_t>(std::stoul(error.substr(7)));
    return error_line("null", p);
  }
  if (v.type != JsonValue::Type::Object)
    return error_line("null", {"invalid-json", "a line must be a JSON object", 0});
  const JsonValue* id = v.find("id");
  const std::string id_json = id ? json_write(*id) : "null";
  // The id names the document in diagnostics and, like a file name, gives the default idno.
  const std::string name = !id                 ? std::string("document")
                           : id->is_string()   ? id->text
                                               : id_json;
  JsonValue* text = nullptr;  // the last "text", as find() would take
  for (auto& member : v.members)
    if (member.first == "text") text = &member.second;
  if (!text || !text->is_string())
    return error_line(id_json, {"no-text", "\"text\" (a string) is missing", 0});
  ConvertOptions o = a.defaults;
  if (const JsonValue* options = v.find("options");
      options && options->type != JsonValue::Type::Null) {
    LineProblem p;
    if (!apply_options(*options, o, profiles, a.max_line, p)) return error_line(id_json, p);
  }
  o.encoding = InputEncoding::Utf8;  // JSON text is Unicode, read as UTF-8
  o.element_spans = a.validate;
  // Refused before it starts rather than aborted half-way (as convert does for a file).
  if (text->text.size() > (1u << 20) && !conversion_memory_available(text->text.size(), error))
    return error_line(id_json, {"out-of-memory", error, 0});
  ConvertResult r;
  try {
    r = convert(name, std::move(text->text), o);  // the line's copy is released early
  } catch (const std::bad_alloc&) {
    return error_line(id_json, {"out-of-memory", "out of memory", 0});
  }
  std::vector<Diagnostic> found = r.diagnostics.diagnostics();
  const char* status = r.diagnostics.count(Severity::Warning) > 0 ? "warnings" : "ok";
  if (a.validate) {
    const int verdict = validate_conversion(r, found);
    if (verdict == kExitInvalid) status = "invalid";
    else if (verdict != kExitOk) status = "error";
  }
  return result_line(id_json, &r.xml, found, status);
}

}  // namespace

int run_convert_jsonl(const JsonlArgs& a, std::ostream& out, std::ostream& err) {
  const bool to_stdout = a.output.empty() || a.output == "-";
  {
    const std::string input = a.input.empty() ? "-" : a.input;
    if (const std::string problem = output_input_conflict(to_stdout ? "-" : a.output, {input});
        !problem.empty()) {
      err << "teikit: " << problem << "\n";
      return kExitUsage;
    }
  }
  if (!to_stdout) {
    if (const std::string problem = output_target_problem(a.output); !problem.empty()) {
      err << "teikit: " << problem << "\n";
      return kExitUsage;
    }
  }
  LineReader reader(a.input, a.max_line);
  if (!reader.ok()) {
    err << "teikit: " << reader.error() << "\n";
    return kExitUnreadable;
  }
  ProfileCache profiles;
  if (a.defaults.profile && !a.profile_name.empty()) {
    std::string ignored;
    profiles.get(a.profile_name, a.max_line, ignored);  // the command line's, compiled already
  }
  // JSON Lines are UTF-8 (RFC 8259 §8.1). A UTF-16 or UTF-32 byte-order mark at the start says
  // the stream is not: every line would be "invalid-json", so the run is refused instead; a
  // UTF-8 one is skipped, as JSON parsers may.
  std::string encoding_error;
  bool first = true;
  // One line in memory at a time: read, convert, write its result, forget it.
  const ByteProducer produce = [&](const ByteSink& sink) {
    std::string line;
    for (;;) {
      const LineReader::Status s = reader.next(line);
      if (s == LineReader::Status::End || s == LineReader::Status::Failed) break;
      if (first && s == LineReader::Status::Line) {
        first = false;
        const auto starts = [&](std::string_view bom) { return line.rfind(bom, 0) == 0; };
        using namespace std::string_view_literals;
        const char* other = starts("\xFF\xFE\0\0"sv)   ? "UTF-32 LE"
                            : starts("\0\0\xFE\xFF"sv) ? "UTF-32 BE"
                            : starts("\xFF\xFE"sv)     ? "UTF-16 LE"
                            : starts("\xFE\xFF"sv)     ? "UTF-16 BE"
                                                       : nullptr;
        if (other) {
          encoding_error = (a.input.empty() || a.input == "-" ? std::string("<stdin>") : a.input) +
                           ": starts with a " + other +
                           " byte-order mark; JSON Lines must be UTF-8 (convert it first, e.g. "
                           "with iconv -t UTF-8)";
          return false;
        }
        if (starts("\xEF\xBB\xBF"sv)) line.erase(0, 3);
      }
      first = false;
      std::string result;
      if (s == LineReader::Status::TooLong)
        result = error_line("null",
                            {"line-too-long",
                             "longer than --max-input-size (" + std::to_string(a.max_line) +
                                 " bytes); skipped",
                             0});
      else
        result = convert_line(line, a, profiles);
      if (!sink(result.data(), result.size())) return false;
    }
    return reader.ok();
  };
  if (to_stdout) {
    const ByteSink to_out = [&out](const char* data, std::size_t size) {
      out.write(data, static_cast<std::streamsize>(size));
      return static_cast<bool>(out);
    };
    produce(to_out);  // a failed write to standard output is reported by run() (output_ok)
  } else {
    std::string error;
    if (!write_atomically(a.output, produce, error) && !error.empty()) {
      err << "teikit: " << error << "\n";
      return kExitUnreadable;
    }
  }
  if (!encoding_error.empty()) {
    err << "teikit: " << encoding_error << "\n";
    return kExitUnreadable;
  }
  if (!reader.ok()) {
    err << "teikit: " << reader.error() << "\n";
    return kExitUnreadable;
  }
  return kExitOk;
}

}  // namespace teikit
