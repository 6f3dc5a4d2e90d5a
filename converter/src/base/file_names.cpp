#include "teikit/base/file_names.hpp"

#include <utf8proc.h>

#include <cstdio>
#include <string>

namespace teikit {

namespace {

constexpr const char* kHex = "0123456789ABCDEF";

void percent(std::string& out, unsigned char c) {
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

bool printable_xml_char(utf8proc_int32_t c) {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;  // controls, DEL, C1
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return c != 0xfffe && c != 0xffff && c <= 0x10ffff;
}

bool is_letter(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

}  // namespace

namespace {

std::string as_text(const std::string& name, bool keep_line_breaks) {
  std::string out;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(name.data());
  std::size_t i = 0;
  while (i < name.size()) {
    utf8proc_int32_t c = -1;
    const utf8proc_ssize_t n =
        utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(name.size() - i), &c);
    const bool line_break = keep_line_breaks && (c == '\t' || c == '\n' || c == '\r');
    if (n <= 0 || (!printable_xml_char(c) && !line_break)) {
      // Each byte of a rejected sequence on its own: the name can be read back byte for byte.
      const std::size_t len = n > 0 ? static_cast<std::size_t>(n) : 1;
      for (std::size_t k = 0; k < len; ++k) percent(out, static_cast<unsigned char>(name[i + k]));
      i += len;
      continue;
    }
    out.append(name, i, static_cast<std::size_t>(n));
    i += static_cast<std::size_t>(n);
  }
  return out;
}

}  // namespace

std::string xml_text_problem(const std::string& text) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  for (std::size_t i = 0; i < text.size();) {
    utf8proc_int32_t c = -1;
    const utf8proc_ssize_t n =
        utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(text.size() - i), &c);
    if (n <= 0) {
      static const char* const hex = kHex;
      const unsigned char b = static_cast<unsigned char>(text[i]);
      return std::string("is not UTF-8 (byte 0x") + hex[b >> 4] + hex[b & 15] + " at " +
             std::to_string(i + 1) + ")";
    }
    // XML 1.0 Char (§2.2): tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
    const bool allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
                         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
    if (!allowed) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
      return std::string("holds the character ") + code + ", which XML cannot carry";
    }
    i += static_cast<std::size_t>(n);
  }
  return "";
}

std::string name_as_text(const std::string& name) { return as_text(name, false); }

std::string as_xml_text(const std::string& text) { return as_text(text, true); }

std::string name_as_uri(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    const bool keep = is_letter(c) || is_digit(c) || c == '-' || c == '.' || c == '_' ||
                      c == '~' || c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' ||
                      c == ')' || c == '*' || c == '+' || c == ',' || c == ';' || c == '=' ||
                      c == '@';
    if (keep) out += static_cast<char>(c);
    else percent(out, c);
  }
  return out;
}

std::string name_as_ncname(const std::string& stem) {
  std::string id;
  for (unsigned char c : stem)
    id += is_letter(c) || is_digit(c) || c == '-' || c == '_' ? static_cast<char>(c) : '_';
  if (id.empty() || !(is_letter(static_cast<unsigned char>(id[0])) || id[0] == '_'))
    id = "d-" + id;
  return id;
}

}  // namespace teikit
