#include "teikit/base/diagnostics.hpp"

#include <utf8proc.h>

#include <cstdio>

namespace teikit {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

bool DiagnosticSink::admit(const std::string& code, Severity severity) {
  for (auto& [c, n] : per_code_)
    if (c == code) {
      if (++n <= kMaxPerCode) return true;
      if (severity != Severity::Note) ++suppressed_warnings_;
      return false;
    }
  per_code_.emplace_back(code, 1);
  return true;
}

void DiagnosticSink::summarise_suppressed(const std::string& file) {
  for (const auto& [c, n] : per_code_)
    if (n > kMaxPerCode)
      diagnostics_.push_back({Severity::Note, c,
                              std::to_string(n - kMaxPerCode) + " more diagnostics of this kind "
                              "were not listed", file, 0, 0});
}

void DiagnosticSink::report(const SourceText& source, std::uint32_t offset, Severity severity,
                            std::string code, std::string message) {
  if (!admit(code, severity)) return;
  const LineCol lc = source.line_col(offset);
  diagnostics_.push_back(
      {severity, std::move(code), std::move(message), source.name(), lc.line, lc.column});
}

void DiagnosticSink::report(Diagnostic diagnostic) {
  if (admit(diagnostic.code, diagnostic.severity)) diagnostics_.push_back(std::move(diagnostic));
}

void DiagnosticSink::absorb(const DiagnosticSink& other) {
  for (const auto& d : other.diagnostics_) report(d);
  // What `other` suppressed came after kMaxPerCode of its code, all reported just now: here,
  // too, they are repeats beyond the limit (report() above entered every such code).
  for (const auto& [code, n] : other.per_code_) {
    if (n <= kMaxPerCode) continue;
    for (auto& [c, m] : per_code_)
      if (c == code) m += n - kMaxPerCode;
  }
  suppressed_warnings_ += other.suppressed_warnings_;
}

std::size_t DiagnosticSink::count(Severity at_least) const {
  std::size_t n = at_least == Severity::Error ? 0 : suppressed_warnings_;
  for (const auto& d : diagnostics_)
    if (static_cast<int>(d.severity) >= static_cast<int>(at_least)) ++n;
  return n;
}

void print_text(std::ostream& out, const Diagnostic& d) {
  out << d.file;
  if (d.line > 0) {
    out << ':' << d.line;
    if (d.column > 0) out << ':' << d.column;
  }
  out << ": " << to_string(d.severity) << ": " << d.message << " [" << d.code << "]\n";
}

std::string json_escape(const std::string& s) {
  std::string r;
  r.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    if (static_cast<unsigned char>(ch) >= 0x80) {
      // JSON is UTF-8: a byte that is not part of a valid sequence (a file name's) is written
      // "%XX", as in the XML teikit writes (file_names.hpp).
      utf8proc_int32_t c = -1;
      const utf8proc_ssize_t n = utf8proc_iterate(
          reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
          static_cast<utf8proc_ssize_t>(s.size() - i), &c);
      if (n > 0) {
        r.append(s, i, static_cast<std::size_t>(n));
        i += static_cast<std::size_t>(n) - 1;
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(ch));
        r += buf;
      }
      continue;
    }
    switch (ch) {
      case '"': r += "\\\""; break;
      case '\\': r += "\\\\"; break;
      case '\n': r += "\\n"; break;
      case '\r': r += "\\r"; break;
      case '\t': r += "\\t"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(ch));
          r += buf;
        } else {
          r += ch;
        }
    }
  }
  return r;
}

void print_json(std::ostream& out, const std::vector<Diagnostic>& all) {
  out << "[";
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& d = all[i];
    out << (i ? ",\n " : "\n ") << "{\"file\":\"" << json_escape(d.file) << "\",\"line\":" << d.line
        << ",\"column\":" << d.column << ",\"severity\":\"" << to_string(d.severity)
        << "\",\"code\":\"" << json_escape(d.code) << "\",\"message\":\"" << json_escape(d.message)
        << "\"}";
  }
  out << (all.empty() ? "]\n" : "\n]\n");
}

}  // namespace teikit
