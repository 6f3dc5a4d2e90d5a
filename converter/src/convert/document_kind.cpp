#include "teikit/convert/document_kind.hpp"

#include <string_view>

#include "teikit/base/text_util.hpp"

namespace teikit {

namespace {

// A letter, digit or any byte of a multi-byte UTF-8 character: a cue must not start or end
// inside a word ("note" is not in "Notebook", "cable" not in "Cabled").
bool word_byte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The kind of the cue that occurs first in `lower` as whole words; "" when none does.
std::string first_cue(const std::string& lower, const Profile& profile) {
  std::size_t best_at = std::string::npos, best_length = 0;
  const std::string* best = nullptr;
  for (const auto& [cue, kind] : profile.document_kinds) {
    if (cue.empty()) continue;
    for (std::size_t at = lower.find(cue); at != std::string::npos; at = lower.find(cue, at + 1)) {
      const std::size_t end = at + cue.size();
      const bool whole = (at == 0 || !word_byte(static_cast<unsigned char>(lower[at - 1]))) &&
                         (end == lower.size() || !word_byte(static_cast<unsigned char>(lower[end])));
      if (!whole) continue;
      if (at < best_at || (at == best_at && cue.size() > best_length)) {
        best_at = at;
        best_length = cue.size();
        best = &kind;
      }
      break;  // a later place of the same cue cannot be better
    }
  }
  return best ? *best : std::string();
}

}  // namespace

std::string document_kind(const Header& header, const Profile& profile) {
  if (const HeaderField* f = header.known("kind")) {
    const std::string value = to_lower_utf8(collapse_space(f->text()));
    if (!value.empty()) {
      const std::string named = first_cue(value, profile);
      return named.empty() ? value : named;
    }
  }
  return first_cue(to_lower_utf8(collapse_space(header.title)), profile);
}

}  // namespace teikit
