#include "teikit/convert/structure.hpp"

#include <cctype>

#include "teikit/convert/dates.hpp"
#include "teikit/base/text_util.hpp"

namespace teikit {

namespace {

constexpr std::size_t kMaxOpenerLine = 160;
constexpr std::size_t kMaxLabelledOpener = 700;  // "Participants: …" lists
constexpr std::size_t kMaxCloserLine = 70;
constexpr std::size_t kMaxCloserBlocks = 2;    // signature and its date, without a formula
constexpr std::size_t kMaxTrailingBlocks = 8;  // how far back a closing formula is looked for
constexpr std::size_t kMaxPanelBlocks = 4;     // blocks of an address panel
constexpr std::size_t kMaxTrailingParagraphs = 2;  // paragraphs after a signed formula

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

// "To: …", "Level: …", "Contents: …": an apparatus label (at most `max_length` bytes) at the
// start of a block.
bool starts_with_label(const std::string& s, std::size_t max_length, std::string* label = nullptr) {
  std::size_t i = 0;
  bool upper = false;
  if (utf8_letter(s, 0, &upper) == 0 || !upper) return false;  // "To", "Objet", "Éditeur"
  while (i < s.size() && i < max_length) {
    if (s[i] == ' ') ++i;
    else if (std::size_t n = utf8_letter(s, i)) i += n;
    else break;
  }
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

// `s` without the bracketed notes at its end ("… discussed. [Received …]" → "… discussed.").
std::string without_trailing_brackets(std::string s) {
  s = trim(s);
  while (!s.empty() && s.back() == ']') {
    const auto open = s.rfind('[');
    if (open == std::string::npos) break;
    s = trim(s.substr(0, open));
  }
  return s;
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
  // "To: Wulumuqi" is an address line; "Dear Bill:" (nothing after the colon) may be a salute.
  if (starts_with_label(t, profile.label_max_length) && t.back() != ':') return false;
  const std::string bare = trim(std::string_view(t).substr(t[0] == '[' ? 1 : 0));
  bool opens = false;
  for (const auto& w : profile.salutation_starts)
    if (starts_with_word(bare, w)) opens = true;
  if (!opens) return false;
  const char last = t.back();
  // "My Dear Mr Oswel [sic]": a mark after the name is no word of the salutation.
  return last == ':' || last == ',' ||
         (word_count(without_trailing_brackets(t)) <= 4 && !ends_sentence(without_trailing_brackets(t)));
}

// A date with a year in the first line, and little else: "Petrograd, October 6, 1917, 9 p.m."
bool is_dateline(const std::string& text, const Profile& profile) {
  if (text.size() > 220 || line_count(text) > 3) return false;
  const std::string first = text.substr(0, text.find('\n'));
  if (first.size() > 150 || (!first.empty() && first.back() == ':')) return false;
  DateContext none;
  none.profile = &profile;
  const std::string plain = without_delimiters(first, profile);
  auto dates = find_dates(plain, none);
  if (dates.empty() || dates.front().value.inferred()) return false;
  // The place before the date is a short phrase of names ("Legation of the United States,
  // Paris,"), not the start of a sentence ("The agreement of April 30, 1962 was …").
  const std::string place = plain.substr(0, dates.front().begin);
  if (word_count(place) > 10) return false;
  for (const auto& w : split_any(collapse_space(place), {" "})) {
    if (w.empty()) continue;
    bool particle = false;
    for (const auto& p : profile.dateline_particles) particle |= w == p;
    const unsigned char c = static_cast<unsigned char>(w[0]);
    if (!particle && !std::isupper(c) && c < 0x80 && !std::isdigit(c)) return false;
  }
  // After the date (and its time) only punctuation and a parenthesised or bracketed note.
  std::string tail = trim(first.substr(dates.front().end));
  while (!tail.empty() && (tail[0] == '.' || tail[0] == ',')) tail = trim(tail.substr(1));
  return tail.empty() || tail[0] == '(' || tail[0] == '[';
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
bool is_signature(const std::string& t, const Profile& profile) {
  if (t.empty() || t.size() > kMaxCloserLine || line_count(t) > 2) return false;
  const char last = t.back();
  if (last == ':' || last == '?' || last == '!' || last == ';' || last == ',') return false;
  if (t.front() == '[' && t.back() == ']') return true;  // withheld name
  std::size_t words = 0, capitalised = 0;
  for (const auto& w : split_any(collapse_space(t), {" "})) {
    if (w.empty()) continue;
    bool particle = false;
    for (const auto& p : profile.signature_particles) particle |= w == p;
    if (particle) continue;
    ++words;
    const unsigned char c = static_cast<unsigned char>(w[0] == '[' && w.size() > 1 ? w[1] : w[0]);
    if (std::isupper(c) || c >= 0x80) ++capitalised;
  }
  if (words == 0 || words > 8) return false;
  // A full stop ends a name only after initials or capitals ("E. B. WASHBURNE."): a short
  // sentence ("Comrade Zhang arrived.") is not a signature.
  if (ends_sentence(t)) return capitalised == words && words <= 5;
  return capitalised * 3 >= words * 2;
}

// True when `t` holds one of the profile's address cues as a word ("Revd", "Care of").
bool has_address_cue(const std::string& t, const Profile& profile) {
  auto boundary = [&](std::size_t at) {
    return at >= t.size() || t[at] == ' ' || t[at] == '\n' || t[at] == ',' || t[at] == '.';
  };
  for (const auto& cue : profile.address_cues)
    for (std::size_t p = t.find(cue); p != std::string::npos; p = t.find(cue, p + 1))
      if ((p == 0 || t[p - 1] == ' ' || t[p - 1] == '\n') && boundary(p + cue.size())) return true;
  return false;
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
    case BlockRole::Head: return "head";
    case BlockRole::Postscript: return "postscript";
    case BlockRole::Address: return "address";
  }
  return "paragraph";
}

bool paragraph_number(const std::string& text, std::string& n) {
  // Paragraph numbers are short ("1.", "12."); "1845. For Secretary…" is a telegram number.
  std::size_t i = 0;
  while (i < text.size() && i < 3 && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
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

namespace {

// The plan, whose standalone test runs only for the blocks whose role is read: a block that
// may be a single bracket (its text ends with the close delimiter) is parsed to know, and is
// parsed once, so that a test of every block held every block's tree until it was placed.
class LazyPlan {
 public:
  LazyPlan(std::vector<BlockPlan>& plan, const std::function<bool(std::size_t)>& is_standalone)
      : plan_(plan), is_standalone_(is_standalone) {}
  BlockPlan& operator[](std::size_t k) {
    BlockPlan& p = plan_[k];
    if (p.may_be_standalone) {
      p.may_be_standalone = false;
      p.role = is_standalone_(k) ? BlockRole::Standalone : BlockRole::Paragraph;
    }
    return p;
  }

 private:
  std::vector<BlockPlan>& plan_;
  const std::function<bool(std::size_t)>& is_standalone_;
};

// True when the text, less spaces, tabs and newlines at its ends, is one bracket: it opens
// with the open delimiter and the close delimiter that matches it (the parser pairs them as a
// depth counter would) ends it. Only then can its parse be a single gap, note or page break;
// a linear scan, no parse.
bool may_be_one_bracket(const std::string& text, const Profile& profile) {
  const std::string& open = profile.open;
  const std::string& close = profile.close;
  if (open.empty() || close.empty()) return false;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
  std::size_t b = 0, e = text.size();
  while (b < e && space(text[b])) ++b;
  while (e > b && space(text[e - 1])) --e;
  if (text.compare(b, open.size(), open) != 0) return false;
  std::size_t depth = 0;
  for (std::size_t i = b; i < e;) {
    if (text.compare(i, open.size(), open) == 0) {
      ++depth;
      i += open.size();
    } else if (text.compare(i, close.size(), close) == 0) {
      i += close.size();
      if (depth > 0 && --depth == 0) return i == e;
    } else {
      ++i;
    }
  }
  return false;
}

// Classifies blocks [first, n) as one document: opener zone, text, closer zone.
void classify_segment(const std::vector<Block>& blocks, const Profile& profile,
                      LazyPlan& plan, std::size_t first, std::size_t n,
                      bool enclosure) {
  // An enclosure may open with a heading line before its dateline.
  std::size_t i = first, opener_end = first;
  if (enclosure && first + 1 < n && plan[first].role == BlockRole::Paragraph &&
      blocks[first].text.size() <= 120 && is_dateline(trim(blocks[first + 1].text), profile)) {
    plan[first].role = BlockRole::Head;
    i = opener_end = first + 1;
  }
  for (; i < n; ++i) {
    const std::string t = trim(blocks[i].text);
    auto& role = plan[i].role;
    if (role == BlockRole::Standalone) continue;
    if (role == BlockRole::Milestone) break;  // "* * *": text has begun
    std::string num, label;
    // A numbered block ("1. …", "1845. For Secretary…", "06731. Ascham sends…") is text.
    std::size_t digits = 0;
    while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
    if (digits > 0 && digits + 1 < t.size() && (t[digits] == '.' || t[digits] == ')') &&
        t[digits + 1] == ' ')
      break;
    bool subject = false;
    for (const auto& w : profile.subject_labels)
      subject |= equals_ignore_case(t, w) || equals_ignore_case(t, w + ":");
    if (subject) {
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
    // A list of apparatus lines continues while the previous line ends in ';' or ','
    // ("Participants: A;" / "B;" / "C.").
    if (i > first && plan[i - 1].role == BlockRole::Opener && t.size() <= kMaxOpenerLine) {
      const std::string prev = trim(blocks[i - 1].text);
      if (!prev.empty() && (prev.back() == ';' || prev.back() == ',')) {
        role = BlockRole::Opener;
        opener_end = i + 1;
        continue;
      }
    }
    // Apparatus labels are one or two words (To:, Level:, Participants:); a longer one is the
    // start of a paragraph ("Sir and dear Minister: Conformably …"). A long labelled block is
    // apparatus only when it is a list of lines.
    const bool labelled = starts_with_label(t, profile.label_max_length, &label) && word_count(label) <= 2;
    // An addressee line ending in ':' right before the text is the salutation, whatever its
    // first word ("Foreign Affairs Office of Xinjiang:").
    if (!labelled && t.back() == ':' && t.size() <= 240 && i + 1 < n &&
        (blocks[i + 1].text.size() > kMaxOpenerLine || ends_sentence(trim(blocks[i + 1].text))) &&
        !std::isdigit(static_cast<unsigned char>(trim(blocks[i + 1].text)[0]))) {
      role = BlockRole::Salute;
      opener_end = i + 1;
      ++i;
      break;
    }
    if ((labelled && (t.size() <= kMaxOpenerLine ||
                      (line_count(t) >= 2 && t.size() <= kMaxLabelledOpener))) ||
        (t.size() <= kMaxOpenerLine && line_count(t) <= 3 && word_count(t) <= 14 &&
         !ends_sentence(without_trailing_brackets(t)) && t.back() != ':')) {
      bool subject_label = false;
      for (const auto& w : profile.subject_labels) subject_label |= labelled && equals_ignore_case(label, w);
      role = subject_label ? BlockRole::Subject : BlockRole::Opener;
      opener_end = i + 1;
      continue;
    }
    // The addressee's name (and address) right above the salutation ("R. Owen Esqr." / "Sir"):
    // the opener's address.
    if (i + 1 < n && t.size() <= kMaxOpenerLine && line_count(t) <= 4 &&
        is_signature(t.substr(0, t.find('\n')), profile) && is_salute(trim(blocks[i + 1].text), profile)) {
      role = BlockRole::Address;
      opener_end = i + 1;
      continue;
    }
    break;
  }
  // Blocks left in the opener zone after its last member are text, not apparatus.
  for (std::size_t k = opener_end; k < i && k < n; ++k)
    if (plan[k].role != BlockRole::Standalone && plan[k].role != BlockRole::Milestone)
      plan[k].role = BlockRole::Paragraph;

  // Closer zone. One line of the closer: formula, signature (with a trailing date), or date.
  auto closer_line = [&](std::size_t k) -> BlockPlan {
    BlockPlan not_closer;
    // Every closer line is short; a paragraph is not looked into (a 100 MB line stays cheap).
    if (blocks[k].text.size() > 4 * kMaxCloserLine) return not_closer;
    const std::string t = trim(blocks[k].text);
    const std::size_t lead = blocks[k].text.find_first_not_of(" \t\n");
    BlockPlan p;
    p.role = BlockRole::Paragraph;  // "not a closer line"
    const auto newline = t.find('\n');
    if (newline != std::string::npos && is_valediction(t.substr(0, newline), profile) &&
        is_signature(trim(t.substr(newline + 1)), profile)) {
      // "Sincerely yours,\nE. B. Washburne" in one block: formula, then signature.
      p.role = BlockRole::Valediction;
      p.signature_split = static_cast<std::uint32_t>(newline + 1 + lead);
    } else if (is_valediction(t, profile)) {
      p.role = BlockRole::Valediction;
    } else if (auto d = parse_date(without_delimiters(t, profile), profile); d && !d->inferred()) {
      p.role = BlockRole::CloserDate;
    } else {
      const std::string plain = without_delimiters(t, profile);
      DateContext none;
      none.profile = &profile;
      auto dates = find_dates(plain, none);
      std::string tail;
      if (!dates.empty()) tail = trim(plain.substr(dates.back().end));
      std::string signer = dates.empty() ? "" : trim(t.substr(0, dates.back().begin));
      if (!signer.empty() && signer.back() == ',') signer = trim(signer.substr(0, signer.size() - 1));
      if (!dates.empty() && dates.back().begin > 0 && (tail.empty() || tail == ".") &&
          !dates.back().value.inferred() && is_signature(signer, profile)) {
        p.role = BlockRole::Signed;
        // Offsets in the trimmed text equal offsets in the block after leading whitespace.
        p.date_split = static_cast<std::uint32_t>(dates.back().begin + lead);
      } else if (is_signature(t, profile)) {
        p.role = BlockRole::Signed;
      }
    }
    return p;
  };
  auto has_text_before = [&](std::size_t k) {
    for (std::size_t m = opener_end; m < k; ++m)
      if (plan[m].role == BlockRole::Paragraph || plan[m].role == BlockRole::Milestone) return true;
    return false;
  };

  // An address panel ends the letter ("Revd R. Moffat Kuruman", "Rev. J. Fredoux" / "Motito"):
  // the short blocks at the end from the first one holding an address cue. The closer and a
  // postscript are looked for before it.
  std::size_t panel = n;
  for (std::size_t k = n, seen = 0; k > opener_end && seen < kMaxPanelBlocks; --k) {
    if (plan[k - 1].role == BlockRole::Standalone) continue;
    const std::string& t = blocks[k - 1].text;
    if (t.size() > kMaxOpenerLine || line_count(t) > 4) break;
    bool postscript = false;  // "PS Bitte grüßen Sie Ihre Frau": a postscript, not an address
    for (const auto& w : profile.postscript_cues) postscript |= starts_with_word(trim(t), w);
    if (postscript) break;
    ++seen;
    if (has_address_cue(t, profile) && has_text_before(k - 1)) panel = k - 1;
  }
  for (std::size_t k = panel; k < n; ++k)
    if (plan[k].role != BlockRole::Standalone) plan[k].role = BlockRole::Address;
  n = panel;

  // A postscript ("P.S. …") ends the letter proper: the closer is looked for before it.
  std::size_t last = n;
  for (std::size_t k = n, seen_ps = 0; k > opener_end && seen_ps < kMaxTrailingBlocks; --k, ++seen_ps) {
    const std::string t = trim(blocks[k - 1].text);
    bool cue = false;
    for (const auto& w : profile.postscript_cues) cue |= starts_with_word(t, w);
    if (cue && has_text_before(k - 1)) last = k - 1;
  }
  for (std::size_t k = last; k < n; ++k)
    if (plan[k].role != BlockRole::Standalone) plan[k].role = BlockRole::Postscript;

  // With a closing formula near the end ("Sincerely yours,"), the closer is the formula, the
  // signature after it and its date; short blocks after that (P.S., address panel, endorsements,
  // "cc:" lines) are postscript, not signatures.
  // Beyond a paragraph or two after the signature (a postscript with no cue: "Sechele desires
  // me to mention…"), only a formula with its signature right after it counts.
  std::size_t formula = last, seen = 0, paragraphs = 0;
  auto signed_after = [&](std::size_t k) {
    if (plan[k].signature_split > 0 || closer_line(k).signature_split > 0) return true;
    std::size_t m = k + 1;
    while (m < last && plan[m].role == BlockRole::Standalone) ++m;
    return m < last && closer_line(m).role == BlockRole::Signed;
  };
  for (std::size_t k = last; k > opener_end && seen < kMaxTrailingBlocks; --k) {
    if (plan[k - 1].role == BlockRole::Standalone) continue;
    if (blocks[k - 1].text.size() > kMaxOpenerLine) {  // a paragraph
      if (++paragraphs > kMaxTrailingParagraphs) break;
      continue;
    }
    ++seen;
    if (closer_line(k - 1).role == BlockRole::Valediction) {
      if (paragraphs == 0 || signed_after(k - 1)) formula = k - 1;
      break;
    }
  }
  if (formula < last && has_text_before(formula)) {
    std::size_t k = formula;
    plan[k] = closer_line(k);
    bool signed_done = plan[k].signature_split > 0;
    auto next = [&](std::size_t from) {
      while (from < last && plan[from].role == BlockRole::Standalone) ++from;
      return from;
    };
    k = next(k + 1);
    if (!signed_done && k < last && closer_line(k).role == BlockRole::Signed) {
      plan[k] = closer_line(k);
      signed_done = true;
      k = next(k + 1);
    }
    if (k < last && closer_line(k).role == BlockRole::CloserDate) {
      plan[k] = closer_line(k);
      k = next(k + 1);
    }
    for (; k < last; ++k)
      if (plan[k].role != BlockRole::Standalone) plan[k].role = BlockRole::Postscript;
    return;
  }

  // Without a formula: the signature (and its date) ending the text.
  std::size_t j = last;
  std::vector<std::pair<std::size_t, BlockPlan>> closer;
  bool have_signed = false;
  while (j > opener_end && closer.size() < kMaxCloserBlocks) {
    if (plan[j - 1].role == BlockRole::Standalone) {  // a gap or note stays what it is
      --j;
      continue;
    }
    BlockPlan p = closer_line(j - 1);
    if (p.role == BlockRole::Paragraph || p.role == BlockRole::Valediction) break;
    if (p.role == BlockRole::Signed) {
      if (have_signed) break;  // one signature: a second name above it is text
      have_signed = true;
    }
    closer.emplace_back(j - 1, p);
    --j;
  }
  // The closer never takes the whole text: some paragraph must stand before it.
  if (have_signed && has_text_before(j))
    for (auto& [k, p] : closer) plan[k] = p;
}

}  // namespace

std::vector<BlockPlan> classify_blocks(const std::vector<Block>& blocks, const Profile& profile,
                                       const std::function<bool(std::size_t)>& is_standalone) {
  const std::size_t n = blocks.size();
  std::vector<BlockPlan> roles(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (may_be_one_bracket(blocks[i].text, profile)) roles[i].may_be_standalone = true;
    else if (is_asterisks(blocks[i].text)) roles[i].role = BlockRole::Milestone;
  }
  LazyPlan plan(roles, is_standalone);
  // A signature followed by a new document's beginning (a document label such as
  // [Translation.] or [Enclosure], a dateline, or a heading and a dateline) ends one document
  // and starts an enclosed one.
  std::vector<std::size_t> starts{0};
  // The last block long enough to be text (a scan to the end per signature was quadratic).
  std::size_t last_long = SIZE_MAX;
  for (std::size_t k = n; k-- > 0;)
    if (blocks[k].text.size() > kMaxOpenerLine) {
      last_long = k;
      break;
    }
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (!is_signature(trim(blocks[i].text), profile) || plan[i].role != BlockRole::Paragraph) continue;
    if (i > 0 && plan[i - 1].role != BlockRole::Paragraph) continue;
    std::size_t j = i + 1;
    const bool label = plan[j].role == BlockRole::Standalone;
    while (j < n && plan[j].role == BlockRole::Standalone) ++j;
    if (j >= n) continue;
    // A heading naming writer and addressee ("Jules Favre to Mr. Washburne.") over a dateline.
    const std::string heading = trim(blocks[j].text);
    bool joined = false;
    for (const auto& w : profile.heading_joiners) joined |= heading.find(w) != std::string::npos;
    const bool dated = j + 1 < n && heading.size() <= 120 && joined &&
                       is_dateline(trim(blocks[j + 1].text), profile);
    // …and the new document has text of its own, not just a date line under the signature.
    const bool has_text = last_long != SIZE_MAX && last_long > j;
    if (has_text && (dated || (label && j + 2 < n))) {
      starts.push_back(i + 1);
      plan[i + 1].starts_enclosure = true;
    }
  }
  starts.push_back(n);
  for (std::size_t k = 0; k + 1 < starts.size(); ++k) {
    // Leading standalone blocks (the [Translation.] label) belong to the new document.
    std::size_t first = starts[k];
    while (k > 0 && first < starts[k + 1] && plan[first].role == BlockRole::Standalone) ++first;
    classify_segment(blocks, profile, plan, first, starts[k + 1], k > 0);
  }
  return roles;
}

}  // namespace teikit
