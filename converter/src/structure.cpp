#include "teikit/structure.hpp"

#include <cctype>

#include "teikit/dates.hpp"
#include "teikit/text_util.hpp"

namespace teikit {

namespace {

constexpr std::size_t kMaxOpenerLine = 160;
constexpr std::size_t kMaxLabelledOpener = 700;  // "Participants: …" lists
constexpr std::size_t kMaxCloserLine = 70;
constexpr std::size_t kMaxCloserBlocks = 4;

std::size_t word_count(const std::string& s) {
  std::size_t n = 0;
  bool in = false;
  for (char c : s) {
    const bool sp = c == ' ' || c == '\n' || c == '\t';
    if (!sp && !in) ++n;
    in = !sp;
  }
  return n;
}

std::size_t line_count(const std::string& s) {
  std::size_t n = 1;
  for (char c : s) n += c == '\n';
  return n;
}

// "To: …", "Level: …", "Contents: …": an apparatus label at the start of a block.
bool starts_with_label(const std::string& s, std::string* label = nullptr) {
  std::size_t i = 0;
  if (s.empty() || !std::isupper(static_cast<unsigned char>(s[0]))) return false;
  while (i < s.size() && i < 24 && (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == ' '))
    ++i;
  if (i < s.size() && s[i] == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) {
    if (label) *label = s.substr(0, i);
    return true;
  }
  return false;
}

bool ends_sentence(const std::string& s) {
  if (s.empty()) return false;
  const char c = s.back();
  return c == '.' || c == '!' || c == '?';
}

bool starts_with_word(const std::string& text, const std::string& word) {
  if (!starts_with(to_lower(text), to_lower(word))) return false;
  return text.size() == word.size() ||
         !std::isalpha(static_cast<unsigned char>(text[word.size()]));
}

bool is_salute(const std::string& raw, const Profile& profile) {
  const std::string t = trim(raw);
  if (t.size() > 240 || line_count(t) > 3 || t.empty()) return false;
  std::string n;
  if (paragraph_number(t, n)) return false;
  if (starts_with_label(t)) return false;  // "To: Wulumuqi" is an address line
  const std::string bare = trim(std::string_view(t).substr(t[0] == '[' ? 1 : 0));
  bool opens = false;
  for (const auto& w : profile.salutation_starts)
    if (starts_with_word(bare, w)) opens = true;
  if (!opens) return false;
  const char last = t.back();
  return last == ':' || last == ',' || (word_count(t) <= 4 && !ends_sentence(t));
}

// A date with a year in the first line, and little else: "Petrograd, October 6, 1917, 9 p.m."
bool is_dateline(const std::string& text, const Profile& profile) {
  if (text.size() > 220 || line_count(text) > 3) return false;
  const std::string first = text.substr(0, text.find('\n'));
  if (first.size() > 150 || (!first.empty() && first.back() == ':')) return false;
  DateContext none;
  auto dates = find_dates(without_delimiters(first, profile), none);
  if (dates.empty() || dates.front().value.inferred()) return false;
  // The place before the date is a short phrase, not a sentence.
  return word_count(first.substr(0, dates.front().begin)) <= 10;
}

bool is_valediction(const std::string& t, const Profile& profile) {
  if (t.size() > kMaxCloserLine || line_count(t) > 2) return false;
  const std::string lower = to_lower(t);
  for (const auto& v : profile.valedictions)
    if (lower.find(to_lower(v)) != std::string::npos) return !ends_sentence(t) || t.back() == '.';
  return false;
}

// A signature: a few words, most of them capitalised ("E. B. WASHBURNE.", "Orme Wilson",
// "Ministry of Foreign Affairs", "S[umner] W[elles]", "[name not declassified]").
bool is_signature(const std::string& t) {
  if (t.empty() || t.size() > kMaxCloserLine || line_count(t) > 2) return false;
  const char last = t.back();
  if (last == ':' || last == '?' || last == '!' || last == ';' || last == ',') return false;
  if (t.front() == '[' && t.back() == ']') return true;  // withheld name
  std::size_t words = 0, capitalised = 0;
  for (const auto& w : split_any(collapse_space(t), {" "})) {
    if (w.empty()) continue;
    static const char* const particles[] = {"of", "the", "and", "de", "van", "von", "for", "du",
                                            "la", "le", "al", "da"};
    bool particle = false;
    for (const char* p : particles) particle |= w == p;
    if (particle) continue;
    ++words;
    const unsigned char c = static_cast<unsigned char>(w[0] == '[' && w.size() > 1 ? w[1] : w[0]);
    if (std::isupper(c) || c >= 0x80) ++capitalised;
  }
  if (words == 0 || words > 8) return false;
  if (ends_sentence(t) && words > 4) return false;  // a short closing sentence, not a name
  return capitalised * 3 >= words * 2;
}

bool is_asterisks(const std::string& t) {
  std::size_t stars = 0;
  for (char c : t) {
    if (c == '*') ++stars;
    else if (c != ' ' && c != '\t') return false;
  }
  return stars >= 3;
}

}  // namespace

const char* to_string(BlockRole role) {
  switch (role) {
    case BlockRole::Opener: return "opener";
    case BlockRole::Dateline: return "dateline";
    case BlockRole::Subject: return "subject";
    case BlockRole::Salute: return "salute";
    case BlockRole::Paragraph: return "paragraph";
    case BlockRole::Milestone: return "milestone";
    case BlockRole::Standalone: return "standalone";
    case BlockRole::Valediction: return "valediction";
    case BlockRole::Signed: return "signed";
    case BlockRole::CloserDate: return "closer-date";
  }
  return "paragraph";
}

bool paragraph_number(const std::string& text, std::string& n) {
  std::size_t i = 0;
  while (i < text.size() && i < 6 && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0 || i >= text.size()) return false;
  if ((text[i] == '.' || text[i] == ')') && i + 1 < text.size() && text[i + 1] == ' ') {
    n = text.substr(0, i);
    return true;
  }
  return false;
}

std::string without_delimiters(const std::string& text, const Profile& profile) {
  std::string r = text;
  for (const std::string* d : {&profile.open, &profile.close})
    for (std::size_t p = r.find(*d); p != std::string::npos; p = r.find(*d, p))
      for (std::size_t k = 0; k < d->size(); ++k) r[p++] = ' ';
  return r;
}

std::vector<BlockPlan> classify_blocks(const std::vector<Block>& blocks, const Profile& profile,
                                       const std::function<bool(std::size_t)>& is_standalone) {
  const std::size_t n = blocks.size();
  std::vector<BlockPlan> plan(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (is_standalone(i)) plan[i].role = BlockRole::Standalone;
    else if (is_asterisks(blocks[i].text)) plan[i].role = BlockRole::Milestone;
  }

  // Opener zone: apparatus, dateline, subject and salutation before the first paragraph.
  std::size_t i = 0, opener_end = 0;
  for (; i < n; ++i) {
    const std::string t = trim(blocks[i].text);
    auto& role = plan[i].role;
    if (role == BlockRole::Standalone || role == BlockRole::Milestone) continue;
    std::string num, label;
    if (paragraph_number(t, num)) break;
    if (equals_ignore_case(t, "subject") || equals_ignore_case(t, "subject:")) {
      role = BlockRole::Subject;
      if (i + 1 < n && blocks[i + 1].text.size() <= kMaxOpenerLine) plan[++i].role = BlockRole::Subject;
      opener_end = i + 1;
      continue;
    }
    if (is_salute(t, profile)) {
      role = BlockRole::Salute;
      opener_end = i + 1;
      ++i;
      break;
    }
    if (is_dateline(t, profile)) {
      role = BlockRole::Dateline;
      opener_end = i + 1;
      continue;
    }
    const bool labelled = starts_with_label(t, &label);
    if ((labelled && t.size() <= kMaxLabelledOpener) ||
        (t.size() <= kMaxOpenerLine && line_count(t) <= 3 && !ends_sentence(t) &&
         t.back() != ':')) {
      role = (labelled && (equals_ignore_case(label, "subject") || equals_ignore_case(label, "re")))
                 ? BlockRole::Subject
                 : BlockRole::Opener;
      opener_end = i + 1;
      continue;
    }
    break;
  }
  // Blocks left in the opener zone after its last member are text, not apparatus.
  for (std::size_t k = opener_end; k < i && k < n; ++k)
    if (plan[k].role != BlockRole::Standalone && plan[k].role != BlockRole::Milestone)
      plan[k].role = BlockRole::Paragraph;

  // Closer zone, from the end: signature, its date, the closing formula.
  std::size_t j = n;
  while (j > opener_end && (plan[j - 1].role == BlockRole::Standalone)) --j;
  std::size_t taken = 0;
  bool have_signed = false;
  std::vector<std::pair<std::size_t, BlockPlan>> closer;
  while (j > opener_end && taken < kMaxCloserBlocks) {
    const std::string t = trim(blocks[j - 1].text);
    BlockPlan p;
    if (is_valediction(t, profile)) {
      p.role = BlockRole::Valediction;
    } else if (auto d = parse_date(without_delimiters(t, profile)); d && !d->inferred()) {
      p.role = BlockRole::CloserDate;
    } else {
      const std::string plain = without_delimiters(t, profile);
      DateContext none;
      auto dates = find_dates(plain, none);
      std::string tail;
      if (!dates.empty()) tail = trim(plain.substr(dates.back().end));
      if (!dates.empty() && dates.back().begin > 0 && (tail.empty() || tail == ".") &&
          !dates.back().value.inferred() && is_signature(trim(t.substr(0, dates.back().begin)))) {
        p.role = BlockRole::Signed;
        // Offsets in the trimmed text equal offsets in the block after leading whitespace.
        p.date_split = dates.back().begin + (blocks[j - 1].text.find_first_not_of(" \t\n"));
      } else if (is_signature(t)) {
        p.role = BlockRole::Signed;
      } else {
        break;
      }
    }
    if (p.role == BlockRole::Signed) have_signed = true;
    closer.emplace_back(j - 1, p);
    ++taken;
    --j;
    if (p.role == BlockRole::Valediction) break;  // the formula opens the closer
  }
  if (have_signed || (!closer.empty() && closer.back().second.role == BlockRole::Valediction))
    for (auto& [k, p] : closer) plan[k] = p;
  return plan;
}

}  // namespace teikit
