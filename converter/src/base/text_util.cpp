#include "teikit/base/text_util.hpp"

#include <cctype>
#include <cstring>

#include <utf8proc.h>

namespace teikit {

namespace {
bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::string collapse_space(std::string_view s) {
  // Word by word: each run of non-space bytes is appended in one piece.
  std::string r;
  r.reserve(s.size());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    while (i < n && space(s[i])) ++i;
    if (i == n) break;
    std::size_t j = i;
    while (j < n && !space(s[j])) ++j;
    if (!r.empty()) r += ' ';
    r.append(s.data() + i, j - i);
    i = j;
  }
  return r;
}

namespace {
// std::tolower of the "C" locale (the library never sets another): A–Z only, without a call
// into libc per byte.
inline char ascii_lower(char c) { return static_cast<char>(c | ((c >= 'A' && c <= 'Z') ? 0x20 : 0)); }
}  // namespace

std::string to_lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = ascii_lower(c);
  return r;
}

std::string to_lower_utf8(std::string_view s) {
  std::string r;
  r.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      // An ASCII run: appended, then lower-cased in place.
      std::size_t j = i + 1;
      while (j < s.size() && static_cast<unsigned char>(s[j]) < 0x80) ++j;
      const std::size_t at = r.size();
      r.append(s.data() + i, j - i);
      for (std::size_t k = at; k < r.size(); ++k) r[k] = ascii_lower(r[k]);
      i = j;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      r += s[i++];
      continue;
    }
    utf8proc_uint8_t buf[4];
    const auto m = utf8proc_encode_char(utf8proc_tolower(cp), buf);
    r.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(m));
    i += static_cast<std::size_t>(n);
  }
  return r;
}

std::size_t utf8_letter(std::string_view s, std::size_t i, bool* upper) {
  if (i >= s.size()) return 0;
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    // std::isalpha and std::isupper of the "C" locale.
    const bool capital = c >= 'A' && c <= 'Z';
    if (!capital && !(c >= 'a' && c <= 'z')) return 0;
    if (upper) *upper = capital;
    return 1;
  }
  utf8proc_int32_t cp = 0;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                  static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0) return 0;
  const auto cat = utf8proc_category(cp);
  if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_MC) return 0;
  if (upper) *upper = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
  return static_cast<std::size_t>(n);
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool ends_with(std::string_view s, std::string_view x) {
  return s.size() >= x.size() && s.substr(s.size() - x.size()) == x;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i]))
      return false;
  return true;
}

namespace {
// split_any over separators given as views (no string made per separator and call). One
// single-byte separator, the common case (" "), is found with memchr.
template <class Seps>
std::vector<std::string> split_views(const std::string& s, const Seps& seps, std::size_t count) {
  std::vector<std::string> out;
  if (count == 1 && seps[0].size() == 1) {
    const char sep = seps[0][0];
    std::size_t start = 0;
    for (const char* p; (p = static_cast<const char*>(std::memchr(s.data() + start, sep, s.size() - start))) != nullptr;) {
      const std::size_t at = static_cast<std::size_t>(p - s.data());
      out.push_back(s.substr(start, at - start));
      start = at + 1;
    }
    out.push_back(s.substr(start));
    return out;
  }
  std::size_t start = 0, i = 0;
  while (i < s.size()) {
    std::size_t len = 0;
    for (std::size_t k = 0; k < count; ++k) {
      const std::string_view sep = seps[k];
      if (!sep.empty() && std::string_view(s).substr(i, sep.size()) == sep) {
        len = sep.size();
        break;
      }
    }
    if (len) {
      out.push_back(s.substr(start, i - start));
      i += len;
      start = i;
    } else {
      ++i;
    }
  }
  out.push_back(s.substr(start));
  return out;
}
}  // namespace

std::vector<std::string> split_any(const std::string& s, std::initializer_list<const char*> seps) {
  std::string_view views[8];
  if (seps.size() > 8) return split_any(s, std::vector<std::string>(seps.begin(), seps.end()));
  std::size_t k = 0;
  for (const char* sep : seps) views[k++] = sep;
  return split_views(s, views, k);
}

std::vector<std::string> split_any(const std::string& s, const std::vector<std::string>& seps) {
  return split_views(s, seps, seps.size());
}

std::string strip_quotes(const std::string& s) {
  static const std::pair<const char*, const char*> pairs[] = {
      {"\"", "\""}, {"'", "'"}, {"\xE2\x80\x9C", "\xE2\x80\x9D"}, {"\xE2\x80\x98", "\xE2\x80\x99"}};
  for (const auto& [o, c] : pairs) {
    const std::size_t ol = std::strlen(o), cl = std::strlen(c);
    if (s.size() > ol + cl && starts_with(s, o) && ends_with(s, c))
      return s.substr(ol, s.size() - ol - cl);
  }
  return s;
}

std::string slug(std::string_view s) {
  std::string r;
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      r += static_cast<char>(std::tolower(u));
    } else if (!r.empty() && r.back() != '-') {
      r += '-';
    }
  }
  while (!r.empty() && r.back() == '-') r.pop_back();
  return r;
}

}  // namespace teikit
