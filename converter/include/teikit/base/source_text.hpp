// Source text: the transcription as decoded UTF-8 with a line index.
//
// Everything downstream (blocks, brackets, the TEI tree) refers to the input through byte
// offsets into SourceText::text(); offsets become line:column only when a diagnostic is printed
// (the pugixml approach: store offsets, compute lines lazily).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace teikit {

class DiagnosticSink;

/// A half-open byte range [begin, end) in SourceText::text().
struct Span {
  std::uint32_t begin = 0;  ///< first byte
  std::uint32_t end = 0;    ///< one past the last byte
};

/// A 1-based line and column (column counted in Unicode code points).
struct LineCol {
  std::uint32_t line = 1;    ///< 1-based line number
  std::uint32_t column = 1;  ///< 1-based column, in code points
};

/// How the input bytes are encoded (`teikit convert --encoding`).
enum class InputEncoding { Utf8, Latin1, Windows1252 };

/// The byte order mark an input starts with, if any.
enum class ByteOrderMark { None, Utf8, Utf16LE, Utf16BE, Utf32LE, Utf32BE };

/// Recognises a byte order mark at the start of `bytes` (UTF-32 before UTF-16: FF FE 00 00 is
/// UTF-32LE). Text without a mark is never guessed to be UTF-16 or UTF-32.
ByteOrderMark detect_bom(std::string_view bytes);

/// "UTF-16LE", "UTF-8", … ("none" for ByteOrderMark::None).
const char* bom_name(ByteOrderMark bom);

/// Decodes UTF-16 or UTF-32 `bytes` that start with the byte order mark `bom` (which is
/// skipped) to UTF-8. Unpaired surrogates, values past U+10FFFF and a truncated last code unit
/// become U+FFFD; `invalid` receives their number, `first_invalid` the byte offset of the first
/// and `first_invalid_output` (if given) where its U+FFFD stands in the result.
std::string utf16_or_32_to_utf8(std::string_view bytes, ByteOrderMark bom, std::size_t& invalid,
                                std::size_t& first_invalid,
                                std::size_t* first_invalid_output = nullptr);

/// The decoded input. Construction normalises what XML cannot carry or what would only get in the
/// way of parsing: a UTF-8 byte order mark is dropped, CRLF and lone CR become LF, invalid UTF-8
/// sequences and characters that XML 1.0 forbids (C0 controls except TAB/LF, U+FFFE, U+FFFF) are
/// replaced by U+FFFD with a warning, and the text is normalised to Unicode NFC (with a warning
/// when it was not). Line numbers are those of the original file.
class SourceText {
 public:
  /// Decodes `bytes` (named `name` in diagnostics), reporting replacements to `sink`. Latin-1 and
  /// Windows-1252 input is transcoded to UTF-8 first. Input that starts with a UTF-16 or UTF-32
  /// byte order mark is decoded as such whatever `encoding` says (a warning when it said
  /// Latin-1 or Windows-1252; so is a UTF-8 mark); invalid code units become U+FFFD with a
  /// warning.
  SourceText(std::string name, std::string_view bytes, DiagnosticSink& sink,
             InputEncoding encoding = InputEncoding::Utf8);

  /// Wraps already clean UTF-8 text (used by tests); no normalisation is done.
  static SourceText from_clean_text(std::string name, std::string text);

  /// The file name used in diagnostics ("-" or "<stdin>" for standard input).
  const std::string& name() const { return name_; }
  /// The normalised text (UTF-8, LF line ends, no BOM).
  const std::string& text() const { return text_; }
  /// The line and column of byte `offset` (clamped to the text).
  LineCol line_col(std::uint32_t offset) const;
  /// The substring covered by `span`.
  std::string_view slice(Span span) const;

 private:
  SourceText() = default;
  void index_lines();
  void normalise_nfc(DiagnosticSink& sink);

  std::string name_;
  std::string text_;
  /// Where every kLineStride-th line starts: line_starts_[k] is the start of line
  /// k × kLineStride + 1.
  static constexpr std::size_t kLineStride = 16;
  std::vector<std::uint32_t> line_starts_;
};

/// True for a code point that XML 1.0 allows in character data.
bool is_xml_char(char32_t c);

/// Decodes one UTF-8 code point at `pos` of `s`; returns U+FFFD and a length of 1 on an invalid
/// sequence. `length` receives the number of bytes consumed.
char32_t decode_utf8(std::string_view s, std::size_t pos, std::size_t& length, bool& valid);

/// Appends the UTF-8 encoding of `c` to `out`.
void append_utf8(std::string& out, char32_t c);

/// Transcodes Latin-1 or Windows-1252 bytes to UTF-8 (Utf8: returned unchanged).
std::string to_utf8(std::string_view bytes, InputEncoding encoding);

}  // namespace teikit
