// Diagnostics as values: {severity, code, message, span}. The library never prints; callers
// format the collected diagnostics as text (`file:line:col: warning: message [code]`) or JSON.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "teikit/base/source_text.hpp"

namespace teikit {

/// How serious a diagnostic is.
enum class Severity { Note, Warning, Error };

/// Returns "note", "warning" or "error".
const char* to_string(Severity s);

/// One finding about an input. `code` is a stable kebab-case identifier (documented in
/// docs/diagnostics.md) that scripts can filter on; `message` is for people.
struct Diagnostic {
  Severity severity = Severity::Warning;  ///< how serious
  std::string code;                       ///< stable identifier, e.g. "unmatched-open-bracket"
  std::string message;                    ///< human-readable text
  std::string file;                       ///< input name
  std::uint32_t line = 0;                 ///< 1-based line, 0 when unknown
  std::uint32_t column = 0;               ///< 1-based column, 0 when unknown
};

/// Collects diagnostics for one input file.
class DiagnosticSink {
 public:
  /// Reports a finding located at byte `offset` of `source`.
  void report(const SourceText& source, std::uint32_t offset, Severity severity, std::string code,
              std::string message);
  /// Reports a finding with an explicit location (line/column may be 0).
  void report(Diagnostic diagnostic);
  /// All diagnostics, in the order reported.
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  /// Number of diagnostics of at least `severity` (suppressed repeats included).
  std::size_t count(Severity at_least) const;
  /// Reports everything `other` collected, as if it had been reported here instead (at this
  /// point, in its order): its suppressed repeats count here too.
  void absorb(const DiagnosticSink& other);
  /// Adds one note per code whose repeats were suppressed ("and N more"). Call once at the end.
  void summarise_suppressed(const std::string& file);

  /// At most this many diagnostics of one code are kept per input; a pathological input (10⁵
  /// stray brackets) must not turn into 10⁵ lines of output or quadratic work.
  static constexpr std::size_t kMaxPerCode = 100;

 private:
  bool admit(const std::string& code, Severity severity);
  std::vector<Diagnostic> diagnostics_;
  std::vector<std::pair<std::string, std::size_t>> per_code_;  // code → reported so far
  std::size_t suppressed_warnings_ = 0;
};

/// Writes `d` as `file:line:col: severity: message [code]`.
void print_text(std::ostream& out, const Diagnostic& d);
/// Writes all diagnostics as one JSON array (one object per diagnostic).
void print_json(std::ostream& out, const std::vector<Diagnostic>& all);
/// Escapes `s` for use inside a JSON string literal.
std::string json_escape(const std::string& s);

}  // namespace teikit
