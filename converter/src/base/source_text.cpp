#include "teikit/base/source_text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "teikit/base/diagnostics.hpp"

namespace teikit {

bool is_xml_char(char32_t c) {
  // XML 1.0 §2.2 Char production.
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

char32_t decode_utf8(std::string_view s, std::size_t pos, std::size_t& length, bool& valid) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  valid = true;
  length = 1;
  if (b0 < 0x80) return b0;
  int extra = 0;
  char32_t c = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    extra = 1, c = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2, c = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3, c = b0 & 0x07, min = 0x10000;
  } else {
    valid = false;
    return 0xFFFD;
  }
  if (pos + static_cast<std::size_t>(extra) >= s.size()) {
    valid = false;
    return 0xFFFD;
  }
  for (int i = 1; i <= extra; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) {
      valid = false;
      return 0xFFFD;
    }
    c = (c << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 (RFC 3629 §3).
  if (c < min || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
    valid = false;
    return 0xFFFD;
  }
  length = static_cast<std::size_t>(extra) + 1;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string to_utf8(std::string_view bytes, InputEncoding encoding) {
  if (encoding == InputEncoding::Utf8) return std::string(bytes);
  // Windows-1252 differs from Latin-1 in 0x80–0x9F (curly quotes, dashes, €); its five unused
  // positions stay the C1 controls of Latin-1, which the decoder then reports.
  static const char16_t cp1252[32] = {
      0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (const char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    char32_t c = b;
    if (encoding == InputEncoding::Windows1252 && b >= 0x80 && b < 0xA0) c = cp1252[b - 0x80];
    append_utf8(out, c);
  }
  return out;
}

ByteOrderMark detect_bom(std::string_view b) {
  // UTF-32 LE first: its mark FF FE 00 00 begins with the UTF-16 LE mark (a UTF-16 text whose
  // first character is U+0000 is not text XML could carry anyway).
  if (b.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4)) return ByteOrderMark::Utf32LE;
  if (b.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4)) return ByteOrderMark::Utf32BE;
  if (b.substr(0, 3) == "\xEF\xBB\xBF") return ByteOrderMark::Utf8;
  if (b.substr(0, 2) == "\xFF\xFE") return ByteOrderMark::Utf16LE;
  if (b.substr(0, 2) == "\xFE\xFF") return ByteOrderMark::Utf16BE;
  return ByteOrderMark::None;
}

const char* bom_name(ByteOrderMark bom) {
  switch (bom) {
    case ByteOrderMark::None: return "none";
    case ByteOrderMark::Utf8: return "UTF-8";
    case ByteOrderMark::Utf16LE: return "UTF-16LE";
    case ByteOrderMark::Utf16BE: return "UTF-16BE";
    case ByteOrderMark::Utf32LE: return "UTF-32LE";
    case ByteOrderMark::Utf32BE: return "UTF-32BE";
  }
  return "none";
}

std::string utf16_or_32_to_utf8(std::string_view bytes, ByteOrderMark bom, std::size_t& invalid,
                                std::size_t& first_invalid, std::size_t* first_invalid_output) {
  invalid = 0;
  first_invalid = 0;
  if (first_invalid_output) *first_invalid_output = 0;
  const bool wide = bom == ByteOrderMark::Utf32LE || bom == ByteOrderMark::Utf32BE;
  const bool little = bom == ByteOrderMark::Utf16LE || bom == ByteOrderMark::Utf32LE;
  const std::size_t unit = wide ? 4 : 2;
  std::string out;
  auto bad = [&](std::size_t at) {
    if (invalid++ > 0) return;
    first_invalid = at;
    if (first_invalid_output) *first_invalid_output = out.size();
  };
  auto read = [&](std::size_t at) -> char32_t {
    char32_t v = 0;
    for (std::size_t k = 0; k < unit; ++k) {
      const auto b = static_cast<unsigned char>(bytes[at + (little ? unit - 1 - k : k)]);
      v = (v << 8) | b;
    }
    return v;
  };
  // Mostly-ASCII text shrinks to a half (a quarter) of its bytes; reserve for that.
  out.reserve(bytes.size() / unit + 16);
  std::size_t pos = unit;  // past the byte order mark
  while (pos + unit <= bytes.size()) {
    char32_t c = read(pos);
    const std::size_t at = pos;
    pos += unit;
    if (!wide && c >= 0xD800 && c <= 0xDBFF) {
      // A high surrogate needs a low one right after it (RFC 2781 §2.2).
      if (pos + unit <= bytes.size()) {
        const char32_t low = read(pos);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          pos += unit;
          append_utf8(out, 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00));
          continue;
        }
      }
      bad(at);
      c = 0xFFFD;
    } else if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
      bad(at);
      c = 0xFFFD;
    }
    append_utf8(out, c);
  }
  if (pos < bytes.size()) {  // a byte count that is not a multiple of the code unit
    bad(pos);
    append_utf8(out, 0xFFFD);
  }
  return out;
}

namespace {

// True for the bytes the decoder copies as they are without a look: printable ASCII, tab and
// line feed (not CR, which becomes a line feed, nor the other controls).
constexpr bool plain_ascii(unsigned char c) { return c < 0x80 && (c >= 0x20 || c == '\n' || c == '\t'); }

// The length of the run of plain_ascii bytes at s[pos], eight bytes at a time while every
// byte of a word is in 0x20..0x7F (then a byte-wise look settles tabs and line feeds).
std::size_t plain_ascii_run(std::string_view s, std::size_t pos) {
  const std::size_t start = pos, n = s.size();
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  for (;;) {
    while (pos + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + pos, 8);
      // A byte below 0x20 (subtracting 0x20 sets its high bit) or from 0x80 on ends the step.
      if (((w - 0x20 * kOnes) | w) & kHigh) break;
      pos += 8;
    }
    // Byte by byte over the next word: a tab or line feed continues the run.
    const std::size_t stop = std::min(n, pos + 8);
    while (pos < stop && plain_ascii(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos < stop || pos >= n) return pos - start;
  }
}

}  // namespace

SourceText::SourceText(std::string name, std::string_view raw, DiagnosticSink& sink,
                       InputEncoding encoding)
    : name_(std::move(name)) {
  std::string transcoded;
  std::string_view bytes = raw;
  // A byte order mark says how the file is encoded, whatever --encoding claims: a UTF-16 file
  // read as UTF-8 (or Latin-1) would turn every other character into garbage.
  const ByteOrderMark bom = detect_bom(raw);
  if (bom != ByteOrderMark::None && encoding != InputEncoding::Utf8) {
    sink.report({Severity::Warning, "bom-overrides-encoding",
                 std::string("the input starts with a ") + bom_name(bom) +
                     " byte order mark; decoded as " + bom_name(bom) +
                     ", not in the encoding given with --encoding",
                 name_, 1, 0});
  }
  std::size_t invalid_units = 0, first_invalid_unit = 0, first_invalid_output = 0;
  if (bom != ByteOrderMark::None && bom != ByteOrderMark::Utf8) {
    transcoded = utf16_or_32_to_utf8(raw, bom, invalid_units, first_invalid_unit,
                                     &first_invalid_output);
    bytes = transcoded;
  } else if (encoding != InputEncoding::Utf8 && bom == ByteOrderMark::None) {
    transcoded = to_utf8(raw, encoding);
    bytes = transcoded;
  }
  text_.reserve(bytes.size());
  std::size_t pos = 0;
  if (bom == ByteOrderMark::Utf8) pos = 3;  // ENCODING.md §1: optional UTF-8 BOM
  std::size_t invalid = 0, forbidden = 0;
  std::uint32_t first_invalid = 0, first_forbidden = 0;
  std::uint32_t invalid_line = 0, forbidden_line = 0;
  // The line of the byte being decoded, wanted only for the first bad character of each kind:
  // every line end written so far (CR, CRLF and LF each wrote one line feed) plus one.
  auto line_here = [&] {
    return static_cast<std::uint32_t>(1 + std::count(text_.begin(), text_.end(), '\n'));
  };
  const std::size_t size = bytes.size();
  while (pos < size) {
    // Most of a transcription is printable ASCII, tabs and line feeds: each such run is copied
    // in one append.
    if (const std::size_t run = plain_ascii_run(bytes, pos); run > 0) {
      text_.append(bytes.data() + pos, run);
      pos += run;
      if (pos >= size) break;
    }
    const char ch = bytes[pos];
    if (ch == '\r') {  // CRLF and lone CR both end a line.
      text_ += '\n';
      pos += (pos + 1 < size && bytes[pos + 1] == '\n') ? 2 : 1;
      continue;
    }
    std::size_t len = 1;
    bool valid = true;
    const char32_t c = decode_utf8(bytes, pos, len, valid);
    if (!valid) {
      if (invalid++ == 0) first_invalid = static_cast<std::uint32_t>(pos), invalid_line = line_here();
      append_utf8(text_, 0xFFFD);
    } else if (!is_xml_char(c)) {
      if (forbidden++ == 0)
        first_forbidden = static_cast<std::uint32_t>(pos), forbidden_line = line_here();
      append_utf8(text_, 0xFFFD);
    } else {
      text_.append(bytes.substr(pos, len));
    }
    pos += len;
  }
  if (invalid_units > 0) {
    // The line of the first bad unit: line ends before it in the decoded text (CRLF is one).
    std::uint32_t unit_line = 1;
    for (std::size_t i = 0; i < first_invalid_output && i < transcoded.size(); ++i)
      if (transcoded[i] == '\n' || (transcoded[i] == '\r' && (i + 1 >= transcoded.size() ||
                                                              transcoded[i + 1] != '\n')))
        ++unit_line;
    const bool utf16 = bom == ByteOrderMark::Utf16LE || bom == ByteOrderMark::Utf16BE;
    sink.report({Severity::Warning, utf16 ? "invalid-utf16" : "invalid-utf32",
                 std::to_string(invalid_units) + " invalid " + (utf16 ? "UTF-16" : "UTF-32") +
                     " code unit(s) (an unpaired surrogate, a value past U+10FFFF or a "
                     "truncated last unit) replaced by U+FFFD; the first at byte offset " +
                     std::to_string(first_invalid_unit),
                 name_, unit_line, 0});
  }
  normalise_nfc(sink);
  index_lines();
  if (invalid > 0) {
    sink.report({Severity::Warning, "invalid-utf8",
                 std::to_string(invalid) + " invalid UTF-8 byte sequence(s) replaced by U+FFFD; "
                     "the first at byte offset " + std::to_string(first_invalid),
                 name_, invalid_line, 0});
  }
  if (forbidden > 0) {
    sink.report({Severity::Warning, "forbidden-character",
                 std::to_string(forbidden) + " character(s) that XML cannot carry (control "
                     "characters, U+FFFE/U+FFFF) replaced by U+FFFD; the first at byte offset " +
                     std::to_string(first_forbidden),
                 name_, forbidden_line, 0});
  }
}

SourceText SourceText::from_clean_text(std::string name, std::string text) {
  SourceText s;
  s.name_ = std::move(name);
  s.text_ = std::move(text);
  s.index_lines();
  return s;
}

namespace {

// Whether NFC leaves a code point alone and never joins it to what precedes it: a starter
// (combining class 0) that is its own NFC, whose canonical decomposition starts with a starter,
// and that is in a range where no starter is the second of a composition (those are Indic
// vowel signs from U+09BE on, Hangul jamo and a few others: they are never "stable" here).
// NFC of a text then equals the concatenation of NFC of the pieces between such characters.
bool compute_nfc_stable(char32_t cp) {
  const bool in_range = cp < 0x0900 || (cp >= 0x1E00 && cp < 0x2C00) ||
                        (cp >= 0x3000 && cp < 0xA000) || (cp >= 0xAC00 && cp < 0xD7A4);
  if (!in_range) return false;
  const auto c = static_cast<utf8proc_int32_t>(cp);
  if (utf8proc_get_property(c)->combining_class != 0) return false;
  utf8proc_int32_t decomposed[8];
  int last = 0;
  const utf8proc_ssize_t n = utf8proc_decompose_char(
      c, decomposed, 8, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE),
      &last);
  if (n < 1 || n > 8 || utf8proc_get_property(decomposed[0])->combining_class != 0) return false;
  std::string one;
  append_utf8(one, cp);
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t m = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(one.data()), static_cast<utf8proc_ssize_t>(one.size()),
      &mapped, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  const bool same = m >= 0 && std::string_view(reinterpret_cast<const char*>(mapped),
                                               static_cast<std::size_t>(m)) == one;
  std::free(mapped);
  return same;
}

// compute_nfc_stable, remembered per code point below U+D7A4 (the ranges it accepts): 0 not
// yet known, 1 stable, 2 not. Relaxed atomics: two threads computing the same entry agree.
bool nfc_stable(char32_t cp) {
  if (cp < 0x80) return true;
  if (cp >= 0xD7A4) return false;
  static std::atomic<unsigned char> known[0xD7A4];
  unsigned char k = known[cp].load(std::memory_order_relaxed);
  if (k == 0) {
    k = compute_nfc_stable(cp) ? 1 : 2;
    known[cp].store(k, std::memory_order_relaxed);
  }
  return k == 1;
}

// The code point at text[i] (valid UTF-8: the constructor replaced everything else) and its
// length.
char32_t code_point_at(const std::string& text, std::size_t i, std::size_t& length) {
  bool valid = true;
  return decode_utf8(text, i, length, valid);
}

}  // namespace

void SourceText::normalise_nfc(DiagnosticSink& sink) {
  // Most characters of a transcription (ASCII, accented Latin letters, punctuation) are NFC
  // and never compose with their neighbours (nfc_stable); only the runs of the others, with
  // the stable character before them, are given to utf8proc. NFC of the text is NFC of those
  // runs with everything between them unchanged. A new text is made only from the first run
  // that changes.
  std::string out;
  bool changed = false;
  std::size_t at = 0;      // the first byte that changed
  std::size_t copied = 0;  // text_ before this is in `out` (once changed)
  std::size_t last_stable = 0;  // where the last stable character starts
  std::size_t i = 0;
  const std::size_t size = text_.size();
  while (i < size) {
    if (static_cast<unsigned char>(text_[i]) < 0x80) {
      // An ASCII run, eight bytes at a time: every ASCII character is stable.
      std::size_t j = i + 1;
      while (j + 8 <= size) {
        std::uint64_t w;
        std::memcpy(&w, text_.data() + j, 8);
        if (w & 0x8080808080808080ull) break;
        j += 8;
      }
      while (j < size && static_cast<unsigned char>(text_[j]) < 0x80) ++j;
      last_stable = j - 1;
      i = j;
      continue;
    }
    std::size_t len = 1;
    const char32_t cp = code_point_at(text_, i, len);
    if (nfc_stable(cp)) {
      last_stable = i;
      i += len;
      continue;
    }
    // A run that NFC may change: from the stable character before it (it may compose with
    // it) to the next stable character.
    const std::size_t begin = i > 0 ? last_stable : 0;
    std::size_t end = i + len;
    while (end < size) {
      std::size_t l = 1;
      if (static_cast<unsigned char>(text_[end]) < 0x80 || nfc_stable(code_point_at(text_, end, l)))
        break;
      end += l;
    }
    const std::string_view run(text_.data() + begin, end - begin);
    utf8proc_uint8_t* mapped = nullptr;
    const utf8proc_ssize_t n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(run.data()),
        static_cast<utf8proc_ssize_t>(run.size()), &mapped,
        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
    // n < 0 cannot happen on valid UTF-8; then the run stays as it is.
    const std::string_view nfc =
        n >= 0 ? std::string_view(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n))
               : run;
    if (nfc != run) {
      if (!changed) {
        changed = true;
        std::size_t k = 0;
        while (k < run.size() && k < nfc.size() && run[k] == nfc[k]) ++k;
        at = begin + k;
        out.reserve(size + size / 16);
      }
      out.append(text_, copied, begin - copied);
      out.append(nfc);
      copied = end;
    }
    // The run ends before a stable character (or the text's end), which the loop reads next.
    last_stable = end;
    i = end;
  }
  if (!changed) return;
  out.append(text_, copied, std::string::npos);
  // Report where the first change is, in the text as it was.
  std::uint32_t line = 1;
  for (std::size_t k = 0; k < at; ++k) line += text_[k] == '\n';
  text_ = std::move(out);
  sink.report({Severity::Warning, "not-nfc",
               "the text was not in Unicode normalisation form C; normalised (combining "
               "characters composed)",
               name_, line, 0});
}

void SourceText::index_lines() {
  // The start of every kLineStride-th line only: a full table took 4 bytes a line, 1.6 × the
  // input on a text of 3-character paragraphs (issue 8: memory within 10 × the input); a lookup
  // reads at most kLineStride - 1 lines past its entry, and lookups are rare (diagnostics,
  // validation messages mapped back to the transcription).
  line_starts_.clear();
  const char* const begin = text_.data();
  const char* const end = begin + text_.size();
  // Line feeds found with memchr (std::count went byte by byte), once to count, once to store.
  auto each_line_feed = [&](auto&& f) {
    for (const char* p = begin;
         (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr;)
      f(++p);
  };
  std::size_t lines = 1;
  each_line_feed([&](const char*) { ++lines; });
  line_starts_.reserve(lines / kLineStride + 1);
  line_starts_.push_back(0);
  std::size_t line = 1;  // 0-based number of the line that starts after the next line feed
  each_line_feed([&](const char* p) {
    if (line++ % kLineStride == 0) line_starts_.push_back(static_cast<std::uint32_t>(p - begin));
  });
}

LineCol SourceText::line_col(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  // The last indexed line start at or before offset, then the line feeds between it and offset.
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto entry = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  std::uint32_t line = static_cast<std::uint32_t>(entry * kLineStride) + 1;
  std::uint32_t start = line_starts_[entry];
  const char* const text = text_.data();
  for (const char* p = text + start;
       (p = static_cast<const char*>(std::memchr(p, '\n', offset - static_cast<std::size_t>(p - text)))) != nullptr;) {
    ++p;
    ++line;
    start = static_cast<std::uint32_t>(p - text);
  }
  std::uint32_t column = 1;
  for (std::uint32_t i = start; i < offset; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;  // count code points
  return {line, column};
}

std::string_view SourceText::slice(Span span) const {
  const auto size = static_cast<std::uint32_t>(text_.size());
  const std::uint32_t b = std::min(span.begin, size), e = std::min(std::max(span.end, b), size);
  return std::string_view(text_).substr(b, e - b);
}

}  // namespace teikit
