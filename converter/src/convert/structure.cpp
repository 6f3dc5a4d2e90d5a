#include "teikit/convert/structure.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>

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

std::size_t line_count(std::string_view s) {
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
  // Compared in place: lower-casing the whole block for every word of a list was most of the
  // cost of classifying a block.
  if (text.size() < word.size() || !equals_ignore_case(std::string_view(text).substr(0, word.size()), word))
    return false;
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
  // "My Dear Mr Oswel [sic]": a mark after the name is no word of the salutation; "My Dear O.":
  // the full stop of an initial ends no sentence.
  const std::string bare_end = without_trailing_brackets(t);
  const std::size_t z = bare_end.size();
  const bool initial = z >= 2 && bare_end[z - 1] == '.' && std::isupper(static_cast<unsigned char>(bare_end[z - 2])) &&
                       (z == 2 || bare_end[z - 3] == ' ' || bare_end[z - 3] == '.');
  return last == ':' || last == ',' ||
         (word_count(bare_end) <= 4 && (initial || !ends_sentence(bare_end)));
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

// `t` opens with one of `words` as a whole word (case-insensitive).
bool starts_with_any(const std::string& t, const std::vector<std::string>& words) {
  for (const auto& w : words)
    if (starts_with_word(t, w)) return true;
  return false;
}

// The first line of a closing formula of several lines ("I am,", "Believe me", "I am &c",
// "I am sure"): a profile lead, a few words, no sentence or field after it.
bool is_valediction_lead(const std::string& t, const Profile& profile) {
  if (t.empty() || t.size() > kMaxCloserLine || line_count(t) > 2 || word_count(t) > 6) return false;
  const char last = t.back();
  if (last == '?' || last == '!' || last == ':' || last == ';') return false;
  if (last == '.' && t.find("&c") == std::string::npos) return false;  // "I am &c." is no sentence
  return starts_with_any(t, profile.valediction_leads);
}

// Initials alone ("D. L.", "D.L.", "DL"): capitals, at most two in a row, with dots or spaces.
bool is_initials(const std::string& t) {
  if (t.empty() || t.size() > 12) return false;
  std::size_t run = 0, letters = 0;
  for (char c : t) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (++run > 2) return false;
      ++letters;
    } else if (c == '.' || c == ' ') {
      run = 0;
    } else {
      return false;
    }
  }
  return letters >= 1;
}

// A short phrase after the signature ("Excuse haste", "In haste"): a postscript.
bool is_closing_phrase(const std::string& t, const Profile& profile) {
  return !t.empty() && t.size() <= kMaxCloserLine && word_count(t) <= 8 &&
         starts_with_any(t, profile.closing_phrases);
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

// A signature block the editor marked ("Counsellor of the Embassy of the USSR in the PRC" /
// "[signature] N. SOROKIN", "Embassy in Mongolia [seal] [signature]"): at most three short lines,
// the last holding a bracket of one of the profile's <signature-brackets> rules, every line less
// those brackets a name or an office. The brackets make the lines a signature where their
// length alone would not; a line with a label's colon ("Soviet side: …") is a field, not a name.
bool is_marked_signature(const std::string& t, const Profile& profile) {
  const std::string& open = profile.open;
  const std::string& close = profile.close;
  if (profile.signature_bracket_rules.empty() || open.empty() || close.empty() || t.empty() ||
      line_count(t) > 3)
    return false;
  const std::vector<std::string> lines = split_any(t, {"\n"});
  bool named = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string line = trim(lines[i]);
    if (line.empty() || line.size() > kMaxCloserLine || line.find(':') != std::string::npos) return false;
    std::string rest;
    bool marked = false;
    for (std::size_t pos = 0; pos < line.size();) {
      if (line.compare(pos, open.size(), open) != 0) {
        rest += line[pos++];
        continue;
      }
      // The bracket's end, nested brackets counted ("[illegible [?]]").
      std::size_t depth = 0, q = pos, end = std::string::npos;
      while (q < line.size()) {
        if (line.compare(q, open.size(), open) == 0) {
          ++depth;
          q += open.size();
        } else if (line.compare(q, close.size(), close) == 0) {
          q += close.size();
          if (--depth == 0) {
            end = q;
            break;
          }
        } else {
          ++q;
        }
      }
      if (end == std::string::npos) return false;  // an unclosed bracket: no signature
      const std::string content = line.substr(pos + open.size(), end - close.size() - pos - open.size());
      const BracketMatch m = profile.match_bracket(trim(content));
      bool kind = false;
      if (m.rule)
        for (const auto& id : profile.signature_bracket_rules) kind |= m.rule->id == id;
      marked |= kind;
      // Other brackets stay part of the name ("S[umner] W[elles]").
      rest += kind ? std::string(" ") : line.substr(pos, end - pos);
      pos = end;
    }
    rest = trim(collapse_space(rest));
    if (i + 1 == lines.size() && !marked) return false;
    if (rest.empty()) continue;
    if (!is_signature(rest, profile)) return false;
    named = true;
  }
  return named;
}

// "Your obedient servant, E. B. Washburne.", "I am, Sir, your most obedient servant, David
// Livingstone": a closing formula with the signature after it on the same line. Returns where
// the signature starts in `t`, or 0. The signature is what follows the formula's last word
// (after a comma or space): a name opening with a capital (or a bracket), and no salutation
// word ("Yours truly, Sir" is no signed formula).
std::size_t signature_after_valediction(const std::string& t, const Profile& profile) {
  if (t.size() > 2 * kMaxCloserLine || t.find('\n') != std::string::npos) return 0;
  const std::string lower = to_lower(t);
  std::size_t end = 0;
  for (const auto& v : profile.valedictions) {
    const std::string lv = to_lower(v);
    for (std::size_t p = lower.find(lv); p != std::string::npos; p = lower.find(lv, p + 1))
      end = std::max(end, p + lv.size());
  }
  if (end == 0) return 0;
  std::size_t start = end;
  auto separators = [&] {
    while (start < t.size() && (t[start] == ',' || t[start] == ' ' || t[start] == ';')) ++start;
  };
  separators();
  // The formula's word must end where it stands ("yours" is not the start of "Yoursby").
  if (start == end || start >= t.size()) return 0;
  // Small words of the formula after its cue ("yours of course D Livingston", "yours ever &c
  // D. L."): up to three words in lower case (or "&c") before the signature.
  for (int words = 0; words < 3 && start < t.size(); ++words) {
    const unsigned char c = static_cast<unsigned char>(t[start]);
    if (!(std::islower(c) || c == '&')) break;
    const std::size_t space = t.find(' ', start);
    if (space == std::string::npos) return 0;
    start = space;
    separators();
  }
  if (start >= t.size()) return 0;
  const std::string rest = trim(t.substr(start));
  const unsigned char first = static_cast<unsigned char>(rest[0]);
  if (!(std::isupper(first) || first == '[' || first >= 0x80)) return 0;
  for (const auto& w : profile.salutation_starts)
    if (starts_with_word(rest, w)) return 0;
  if (!is_valediction(trim(t.substr(0, start)), profile) || !is_signature(rest, profile)) return 0;
  return start;
}

// True when `t` holds one of the profile's address cues as a word ("Revd", "Care of").
bool has_address_cue(std::string_view t, const Profile& profile) {
  auto boundary = [&](std::size_t at) {
    return at >= t.size() || t[at] == ' ' || t[at] == '\n' || t[at] == ',' || t[at] == '.';
  };
  for (const auto& cue : profile.address_cues)
    for (std::size_t p = t.find(cue); p != std::string::npos; p = t.find(cue, p + 1))
      if ((p == 0 || t[p - 1] == ' ' || t[p - 1] == '\n') && boundary(p + cue.size())) return true;
  return false;
}

bool is_asterisks(std::string_view t) {
  std::size_t stars = 0;
  for (char c : t) {
    if (c == '*') ++stars;
    else if (c != ' ' && c != '\t') return false;
  }
  return stars >= 3;
}

// `t` opens with `label` (case-insensitive) as a whole word: what follows is no letter.
bool starts_with_label_word(const std::string& t, const std::string& label) {
  if (label.empty() || t.size() < label.size() ||
      !equals_ignore_case(std::string_view(t).substr(0, label.size()), label))
    return false;
  if (t.size() == label.size()) return true;
  const unsigned char next = static_cast<unsigned char>(t[label.size()]);
  return !std::isalpha(next) && next < 0x80;
}

// A reference line or telegram number ("No. 308.]", "Telegram No. 977", "No. 1517",
// "Ciphered telegram No. 1234/sh of 5 May 1962"): a profile label, a number, at most a date.
bool is_reference(const std::string& t, const Profile& profile) {
  if (t.empty() || t.size() > 100 || t.find('\n') != std::string::npos) return false;
  for (const auto& label : profile.reference_labels) {
    if (!starts_with_label_word(t, label)) continue;
    const std::string rest = trim(t.substr(label.size()));
    const auto space = rest.find(' ');
    const std::string number = rest.substr(0, space);
    if (number.empty() || !std::isdigit(static_cast<unsigned char>(number[0]))) continue;
    if (space == std::string::npos) return true;
    // After the number only a date ("of 5 May 1962") and punctuation.
    DateContext none;
    none.profile = &profile;
    const std::string after = without_delimiters(rest.substr(space), profile);
    if (word_count(after) > 6) continue;
    auto dates = find_dates(after, none);
    if (dates.empty()) continue;
    std::string tail = trim(after.substr(dates.back().end));
    if (tail.empty() || tail == "." || tail == "]" || tail == ".]") return true;
  }
  return false;
}

// The block opens a distribution or reading list ("Copies: …", "Distribution:", "Seen by
// Comrade …", "cc: …"): a profile label, then a colon, a space or the end of the line.
bool is_distribution_start(const std::string& t, const Profile& profile) {
  for (const auto& label : profile.distribution_labels) {
    if (!starts_with_label_word(t, label)) continue;
    if (t.size() == label.size()) return true;
    const char next = t[label.size()];
    if (next == ':' || next == '\n') return true;
    // Without a colon the label is followed by a name ("Seen by Comrade Deng Xiaoping"), not
    // by a sentence ("Copies of the draft resolution were given …").
    if (next == ' ') {
      const std::string rest = trim(t.substr(label.size(), t.find('\n') - label.size()));
      if (!rest.empty() && is_signature(rest, profile)) return true;
    }
  }
  return false;
}

// A copy line of a distribution list, with or without a label before it ("5. Comr. Copy",
// "Printed in 5 copies"): one of the profile's <copy-lines> patterns matches the whole line.
bool is_copy_line(const std::string& line, const Profile& profile) {
  const std::string t = trim(line);
  if (t.empty() || t.size() > kMaxCloserLine) return false;
  for (const auto& re : profile.copy_line_patterns)
    if (std::regex_match(t, re)) return true;
  return false;
}

// A line of a distribution list after its label: a name or office ("Chen Yi", "Ministry of
// Foreign Affairs"), or a copy line ("5. Comr. Copy"), never a sentence or formula.
bool is_distribution_line(const std::string& line, const Profile& profile) {
  const std::string t = trim(line);
  if (t.empty() || is_copy_line(t, profile)) return true;
  return is_signature(t, profile) && !is_valediction(t, profile);
}

// Offsets in block text `text` where the parts of a distribution block start: its label
// when a colon ends it ("Copies:" is the list's head), then each line (one item per line).
std::vector<std::size_t> distribution_cuts(std::string_view text, const Profile& profile) {
  std::vector<std::size_t> cuts;
  const std::size_t lead = text.find_first_not_of(" \t\n");
  if (lead == std::string::npos) return cuts;
  const std::string t(text.substr(lead));
  for (const auto& label : profile.distribution_labels)
    if (starts_with_label_word(t, label) && t.size() > label.size() && t[label.size()] == ':') {
      const std::size_t after = lead + label.size() + 1;
      if (text.find_first_not_of(" \t", after) != std::string::npos &&
          text[text.find_first_not_of(" \t", after)] != '\n')
        cuts.push_back(after);
      break;
    }
  for (std::size_t p = text.find('\n', lead); p != std::string::npos; p = text.find('\n', p + 1))
    if (text.find_first_not_of(" \t\n", p) != std::string::npos) cuts.push_back(p + 1);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

// The kinds of list labels: "1." / "1)", "a." / "a)", "A." / "A)", "(1)", "(a)", "i." / "i)",
// "I." / "I)", "(i)".
enum ListKind { kNumber, kLower, kUpper, kParenNumber, kParenLower, kLowerRoman, kUpperRoman,
                kParenRoman, kListKinds };

// One reading of a list label: its kind, the item's number in its sequence (a = 1, iv = 4) and
// the label's length with the space after it.
struct ListLabel {
  int kind = kNumber;
  long value = 0;
  std::size_t end = 0;
};

// The value of roman numeral `r` (one case), or 0 when it is not one written the usual way
// ("iiii", "vx" are not).
long roman_value(const std::string& r) {
  auto digit = [](char c) -> long {
    switch (std::tolower(static_cast<unsigned char>(c))) {
      case 'i': return 1;
      case 'v': return 5;
      case 'x': return 10;
      case 'l': return 50;
      case 'c': return 100;
      case 'd': return 500;
      case 'm': return 1000;
    }
    return 0;
  };
  long total = 0;
  for (std::size_t k = 0; k < r.size(); ++k) {
    const long v = digit(r[k]);
    if (v == 0) return 0;
    total += k + 1 < r.size() && digit(r[k + 1]) > v ? -v : v;
  }
  if (total <= 0 || total >= 4000) return 0;
  // Written back the usual way, the numeral must be the same.
  static const std::pair<long, const char*> parts[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                                                        {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                                                        {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"},
                                                        {1, "i"}};
  std::string canonical;
  long rest = total;
  for (const auto& [v, w] : parts)
    for (; rest >= v; rest -= v) canonical += w;
  return canonical == to_lower(r) ? total : 0;
}

// The readings of the list label at the start of `t` (at most two: "i." is the letter i and the
// roman one). Labels: "1. " / "1) ", "a. ", "A. ", "(1) ", "(a) ", "iv. ", "IV. ", "(iv) ".
std::size_t list_labels(std::string_view t, ListLabel out[2]) {
  auto digit = [&](std::size_t i) { return i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])); };
  auto alpha = [&](std::size_t i) { return i < t.size() && std::isalpha(static_cast<unsigned char>(t[i])); };
  const bool paren = !t.empty() && t[0] == '(';
  std::size_t i = paren ? 1 : 0, j = i;
  if (digit(i)) {
    while (digit(j) && j - i < 3) ++j;
    if (digit(j)) return 0;
  } else {
    while (alpha(j) && j - i < 7) ++j;
    if (j == i || alpha(j)) return 0;
  }
  // The close: ")" after "(", else "." or ")"; then a space and some text.
  if (j >= t.size() || (paren ? t[j] != ')' : t[j] != '.' && t[j] != ')')) return 0;
  if (j + 1 >= t.size() || t[j + 1] != ' ' || j + 2 >= t.size()) return 0;
  const std::size_t end = j + 2;
  const std::string token(t.substr(i, j - i));
  std::size_t n = 0;
  if (digit(i)) {
    out[n++] = {paren ? kParenNumber : kNumber, std::atol(token.c_str()), end};
    return n;
  }
  const bool lower = std::islower(static_cast<unsigned char>(token[0]));
  for (char c : token)
    if ((std::islower(static_cast<unsigned char>(c)) != 0) != lower) return 0;  // "Ab."
  // "(A)" is no label here: a parenthesised capital is more often an annex or a grade.
  if (token.size() == 1 && !(paren && !lower))
    out[n++] = {paren ? kParenLower : lower ? kLower : kUpper, std::tolower(static_cast<unsigned char>(token[0])) - 'a' + 1, end};
  if (const long v = roman_value(token); v > 0 && !(paren && !lower))
    out[n++] = {paren ? kParenRoman : lower ? kLowerRoman : kUpperRoman, v, end};
  return n;
}

// Numbered and lettered sequences of the text ("1.", "2."; "a."–"f."; "(1)", "(2)"; "i.", "ii."),
// as FRUS's own TEI writes them: list/label+item, and a sequence of another kind that starts
// right after an item, inside that item ("2. The acts are as follows:", "a.", "b.", "3.": a.
// and b. are a list in item 2). Conservative: a sequence is at least two consecutive items of
// one kind (it may start anywhere: "2.", "3.", "4." when the first number was lost); paragraphs
// only (no opener or closer line), short enough to be held as one block, and a paragraph without
// a label ends every sequence.
constexpr std::size_t kMaxListItem = std::size_t{1} << 16;
void mark_lists(const BlockList& blocks, BlockPlans& plan, std::size_t first,
                std::size_t n) {
  struct Run {
    int kind;
    long next;
    std::vector<std::size_t> members;
    std::size_t parent;  // the run whose last item this one follows, or SIZE_MAX
    bool list = false;
  };
  std::vector<Run> runs;           // the runs since the last block that ended them all
  std::vector<std::size_t> open;   // indices into runs, outermost first
  // Decides the runs: each of at least two members is a list, nested in its parent's last item
  // when the parent is a list too; the others' members stay paragraphs. A member after the
  // first continues its list only when everything since the one before it is inside the list
  // (free-standing blocks, or items of the lists nested in it).
  auto settle = [&] {
    std::vector<int> depth(runs.size(), 0);
    std::vector<std::size_t> owner;  // per block from the first run's first member: its run
    const std::size_t base = runs.empty() ? 0 : runs.front().members.front();
    for (std::size_t r = 0; r < runs.size(); ++r) {
      Run& run = runs[r];
      run.list = run.members.size() >= 2;
      const bool nested = run.parent != SIZE_MAX && runs[run.parent].list;
      if (!nested) run.parent = SIZE_MAX;
      depth[r] = nested ? depth[run.parent] + 1 : 0;
      for (const std::size_t b : run.members) {
        if (owner.size() <= b - base) owner.resize(b - base + 1, SIZE_MAX);
        owner[b - base] = run.list ? r : SIZE_MAX;
      }
    }
    auto inside = [&](std::size_t r, std::size_t ancestor) {
      for (; r != SIZE_MAX; r = runs[r].parent)
        if (r == ancestor) return true;
      return false;
    };
    for (std::size_t r = 0; r < runs.size(); ++r) {
      const Run& run = runs[r];
      for (std::size_t m = 0; m < run.members.size(); ++m) {
        BlockPlan& p = plan[run.members[m]];
        if (!run.list) {
          p.split = 0;
          continue;
        }
        p.role = BlockRole::ListItem;
        p.list_depth = static_cast<std::uint8_t>(depth[r]);
        bool adjacent = m > 0;
        for (std::size_t x = m > 0 ? run.members[m - 1] + 1 : 0; adjacent && x < run.members[m]; ++x) {
          if (plan[x].role == BlockRole::Standalone || plan[x].may_be_standalone) continue;
          adjacent = x - base < owner.size() && owner[x - base] != SIZE_MAX && inside(owner[x - base], r);
        }
        p.starts_list = !adjacent;
      }
    }
    runs.clear();
    open.clear();
  };
  for (std::size_t i = first; i < n; ++i) {
    if (plan[i].may_be_standalone || plan[i].role == BlockRole::Standalone) continue;
    ListLabel readings[2];
    std::size_t count = 0;
    const std::size_t lead = blocks[i].text.find_first_not_of(" \t\n");
    if (plan[i].role == BlockRole::Paragraph && blocks[i].text.size() < kMaxListItem &&
        lead != std::string::npos)
      count = list_labels(blocks[i].text.substr(lead, 16), readings);
    if (count == 0) {
      settle();
      continue;
    }
    // The reading that continues an open run (innermost first), else the one that starts a
    // run: "i." after "h." is a letter, "i." after "2." a roman one.
    std::size_t at = SIZE_MAX;
    const ListLabel* label = nullptr;
    for (std::size_t o = open.size(); o-- > 0 && !label;)
      for (std::size_t k = 0; k < count; ++k)
        if (runs[open[o]].kind == readings[k].kind && runs[open[o]].next == readings[k].value) {
          at = o;
          label = &readings[k];
          break;
        }
    if (!label) {
      label = &readings[0];
      // A roman reading starts a run at i; a letter other than i stays a letter ("c.", "d.").
      for (std::size_t k = 0; k < count; ++k)
        if ((readings[k].kind == kLowerRoman || readings[k].kind == kUpperRoman ||
             readings[k].kind == kParenRoman) && readings[k].value == 1)
          label = &readings[k];
    }
    plan[i].split = static_cast<std::uint32_t>(lead + label->end);
    if (at != SIZE_MAX) {
      open.resize(at + 1);  // the runs inside it are over
      Run& run = runs[open[at]];
      run.members.push_back(i);
      ++run.next;
      continue;
    }
    // A new run: after a run of its own kind (out of sequence) at that depth, or inside the
    // innermost open run's last item.
    for (std::size_t o = 0; o < open.size(); ++o)
      if (runs[open[o]].kind == label->kind) {
        open.resize(o);
        break;
      }
    Run run{label->kind, label->value + 1, {i}, open.empty() ? SIZE_MAX : open.back()};
    runs.push_back(std::move(run));
    open.push_back(runs.size() - 1);
  }
  settle();
}

}  // namespace

std::vector<std::size_t> distribution_parts(std::string_view text, const Profile& profile) {
  return distribution_cuts(text, profile);
}

bool opens_distribution(std::string_view text, const Profile& profile) {
  return is_distribution_start(trim(text), profile);
}

std::size_t distribution_head_end(std::string_view text, const Profile& profile) {
  const std::size_t lead = text.find_first_not_of(" \t\n");
  if (lead == std::string::npos) return 0;
  const std::string t(text.substr(lead));
  for (const auto& label : profile.distribution_labels)
    if (starts_with_label_word(t, label) && t.size() > label.size() && t[label.size()] == ':')
      return lead + label.size() + 1;
  return 0;
}

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
    case BlockRole::Reference: return "reference";
    case BlockRole::Distribution: return "distribution";
    case BlockRole::Heading: return "heading";
    case BlockRole::ListItem: return "list-item";
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

bool is_one_bracket(std::string_view text, const Profile& profile) {
  const std::string& open = profile.open;
  const std::string& close = profile.close;
  if (open.empty() || close.empty() || text.compare(0, open.size(), open) != 0) return false;
  const std::size_t e = text.size();
  std::size_t depth = 0;
  for (std::size_t i = 0; i < e;) {
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
  LazyPlan(BlockPlans& plan, const std::function<bool(std::size_t)>& is_standalone)
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
  BlockPlans& plan_;
  const std::function<bool(std::size_t)>& is_standalone_;
};

// True when the text, less spaces, tabs and newlines at its ends, is one bracket: it opens
// with the open delimiter and the close delimiter that matches it (the parser pairs them as a
// depth counter would) ends it. Only then can its parse be a single gap, note or page break;
// a linear scan, no parse.
bool may_be_one_bracket(std::string_view text, const Profile& profile) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
  std::size_t b = 0, e = text.size();
  while (b < e && space(text[b])) ++b;
  while (e > b && space(text[e - 1])) --e;
  return is_one_bracket(std::string_view(text).substr(b, e - b), profile);
}

// Classifies blocks [first, n) as one document: opener zone, text, closer zone.
void classify_segment(const BlockList& blocks, const Profile& profile,
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
    // "No. 308.]", "Telegram No. 977": a reference of the opener, never a paragraph.
    if (is_reference(t, profile)) {
      role = BlockRole::Reference;
      opener_end = i + 1;
      continue;
    }
    // The second line of a field broken in the middle of a phrase ("Contents: … from" /
    // "Xinjiang's Border Areas to the Soviet Union"): the same seg. The field's last word is a
    // short lower-case word (a preposition, an article), the line no field and no salutation.
    if (i > first && (plan[i - 1].role == BlockRole::Subject || plan[i - 1].role == BlockRole::Opener) &&
        t.size() <= kMaxOpenerLine && line_count(t) == 1 && t.back() != ':' &&
        !starts_with_label(t, profile.label_max_length)) {
      const std::string prev = trim(blocks[i - 1].text);
      const auto space = prev.find_last_of(" \n");
      const std::string last_word = space == std::string::npos ? "" : prev.substr(space + 1);
      const bool broken = !last_word.empty() && last_word.size() <= 4 &&
                          std::islower(static_cast<unsigned char>(last_word[0])) &&
                          std::isalpha(static_cast<unsigned char>(last_word.back())) &&
                          (plan[i - 1].role == BlockRole::Subject ||
                           starts_with_label(prev, profile.label_max_length));
      if (broken && !is_salute(t, profile) && !is_dateline(t, profile)) {
        role = plan[i - 1].role;
        plan[i].continues_field = true;
        opener_end = i + 1;
        continue;
      }
    }
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
      // "SUBJECT" / "The Cultural Revolution": the label and its value are one subject seg.
      if (i + 1 < n && blocks[i + 1].text.size() <= kMaxOpenerLine) {
        plan[++i].role = BlockRole::Subject;
        plan[i].continues_field = true;
      }
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
    bool labelled = starts_with_label(t, profile.label_max_length, &label) && word_count(label) <= 2;
    // "Sir: I have the honor …": a salutation run into the text (FRUS) is the paragraph, not a
    // field labelled "Sir".
    if (labelled && t.size() > label.size() + 1)
      for (const auto& w : profile.salutation_labels) labelled &= !starts_with_word(label, w);
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
    // "Recent Developments:" alone on its line, right before the text (a long or numbered
    // paragraph): a heading of the text, not a field of the opener.
    if (labelled && t.size() == label.size() + 1 && i + 1 < n) {
      std::size_t next = i + 1;
      while (next < n && plan[next].role == BlockRole::Standalone) ++next;
      std::string number;
      const std::string nt = next < n ? trim(blocks[next].text) : std::string();
      if (next < n && (nt.size() > kMaxOpenerLine || paragraph_number(nt, number))) {
        role = BlockRole::Heading;  // the text begins here
        break;
      }
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
    } else if (const std::size_t at = signature_after_valediction(t, profile); at > 0) {
      // "Your obedient servant, E. B. Washburne.": formula and signature on one line.
      p.role = BlockRole::Valediction;
      p.signature_split = static_cast<std::uint32_t>(at + lead);
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
        p.split = static_cast<std::uint32_t>(dates.back().begin + lead);
      } else if (is_signature(t, profile) || is_marked_signature(t, profile)) {
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

  // A distribution or reading list ends the text ("Copies: …", "Seen by Comrade …", "cc: …"):
  // from the last block opening with a profile label among the short blocks at the end, it
  // and the short blocks after it (its names, one per line or block). The closer is looked
  // for before it.
  {
    std::size_t dist = n;
    for (std::size_t k = n, seen = 0; k > opener_end && seen < kMaxTrailingBlocks; --k) {
      if (plan[k - 1].role == BlockRole::Standalone) continue;
      const std::string_view raw = blocks[k - 1].text;
      if (raw.size() > kMaxLabelledOpener) break;
      bool long_line = false;
      for (std::size_t from = 0; from < raw.size();) {
        const std::size_t eol = std::min(raw.find('\n', from), raw.size());
        long_line |= eol - from > kMaxOpenerLine;
        from = eol + 1;
      }
      if (long_line) break;
      const std::string t = trim(raw);
      bool postscript = false;
      for (const auto& w : profile.postscript_cues) postscript |= starts_with_word(t, w);
      if (postscript) break;
      ++seen;
      // A label alone ("Copies:") with nothing after it would be a list without items.
      const bool label_only = distribution_head_end(t, profile) == t.size();
      // A copy line starts a list too ("1. Comr. Stalin" / "5. Comr. Copy": no label).
      const bool starts = is_distribution_start(t, profile) || is_copy_line(t.substr(0, t.find('\n')), profile);
      // Every further line is a name or a copy line; a block that is neither a list's start nor
      // such lines ends the search (the list, if any, stands below it).
      bool names = true;
      std::size_t from = 0, line = 0;
      while (from <= t.size()) {
        const std::size_t eol = std::min(t.find('\n', from), t.size());
        if (!(starts && line == 0)) names &= is_distribution_line(t.substr(from, eol - from), profile);
        ++line;
        from = eol + 1;
      }
      if (!names) break;
      if (starts && has_text_before(k - 1) && (!label_only || seen > 1)) dist = k - 1;
    }
    for (std::size_t k = dist; k < n; ++k)
      if (plan[k].role != BlockRole::Standalone) plan[k].role = BlockRole::Distribution;
    n = dist;
  }

  // An address panel ends the letter ("Revd R. Moffat Kuruman", "Rev. J. Fredoux" / "Motito"):
  // the short blocks at the end from the first one holding an address cue. The closer and a
  // postscript are looked for before it.
  std::size_t panel = n;
  for (std::size_t k = n, seen = 0; k > opener_end && seen < kMaxPanelBlocks; --k) {
    if (plan[k - 1].role == BlockRole::Standalone) continue;
    const std::string_view t = blocks[k - 1].text;
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

  // The next block from `from` on that is not free-standing, or `end`.
  auto next_block = [&](std::size_t from, std::size_t end) {
    while (from < end && plan[from].role == BlockRole::Standalone) ++from;
    return from;
  };
  // The block before `k` that is not free-standing, or SIZE_MAX.
  auto block_before = [&](std::size_t k) -> std::size_t {
    while (k > opener_end) {
      --k;
      if (plan[k].role != BlockRole::Standalone) return k;
    }
    return SIZE_MAX;
  };
  // "For Robert Hamilton" under a signature: a line that signs for someone else.
  auto on_behalf = [&](std::size_t k) {
    if (blocks[k].text.size() > kMaxCloserLine + 8) return false;
    const std::string t = trim(blocks[k].text);
    return starts_with_any(t, profile.on_behalf_cues) && is_signature(t, profile);
  };

  // A postscript ("P.S. …") ends the letter proper: the closer is looked for before it. A
  // short phrase right under the signature ("Excuse haste") is one too.
  std::size_t last = n;
  for (std::size_t k = n, seen_ps = 0; k > opener_end && seen_ps < kMaxTrailingBlocks; --k, ++seen_ps) {
    const std::string t = trim(blocks[k - 1].text);
    bool cue = false;
    for (const auto& w : profile.postscript_cues) cue |= starts_with_word(t, w);
    if (!cue && is_closing_phrase(t, profile)) {
      const std::size_t above = block_before(k - 1);
      cue = above != SIZE_MAX && closer_line(above).role != BlockRole::Paragraph;
    }
    if (cue && has_text_before(k - 1)) last = k - 1;
  }
  for (std::size_t k = last; k < n; ++k)
    if (plan[k].role != BlockRole::Standalone) plan[k].role = BlockRole::Postscript;
  // "P.S. …" / "D. L.": initials ending the postscript are its signature.
  if (last < n) {
    const std::size_t end = block_before(n);
    const std::size_t above = end == SIZE_MAX ? SIZE_MAX : block_before(end);
    if (end != SIZE_MAX && end > last && above != SIZE_MAX && above >= last &&
        plan[end].role == BlockRole::Postscript && blocks[end].text.size() <= 16 &&
        is_initials(trim(blocks[end].text)))
      plan[end].signs_postscript = true;
  }

  // With a closing formula near the end ("Sincerely yours,"), the closer is the formula, the
  // signature after it and its date; short blocks after that (P.S., address panel, endorsements,
  // "cc:" lines) are postscript, not signatures.
  // Beyond a paragraph or two after the signature (a postscript with no cue: "Sechele desires
  // me to mention…"), only a formula with its signature right after it counts.
  std::size_t formula = last, seen = 0, paragraphs = 0;
  auto signed_after = [&](std::size_t k) {
    if (plan[k].signature_split > 0 || closer_line(k).signature_split > 0) return true;
    const std::size_t m = next_block(k + 1, last);
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
    // "I am &c" / "David Livingstone", "I am sure" / "David Livingstone": the first words of a
    // formula right above the signature are the formula.
    if (is_valediction_lead(trim(blocks[k - 1].text), profile) && signed_after(k - 1)) {
      formula = k - 1;
      break;
    }
  }
  if (formula < last && has_text_before(formula)) {
    // The formula's first lines above it ("I am," / "My dear Sir," / "Yours most truly,"): leads,
    // vocatives ending in a comma, and further formula lines, up to three blocks.
    std::size_t top = formula;
    for (int extra = 0; extra < 3; ++extra) {
      const std::size_t above = block_before(top);
      if (above == SIZE_MAX || blocks[above].text.size() > kMaxCloserLine) break;
      const std::string t = trim(blocks[above].text);
      const bool vocative = !t.empty() && t.back() == ',' && is_salute(t, profile);
      const BlockPlan line = closer_line(above);
      if (!(vocative || is_valediction_lead(t, profile) ||
            (line.role == BlockRole::Valediction && line.signature_split == 0)))
        break;
      if (!has_text_before(above)) break;
      top = above;
    }
    for (std::size_t k = top; k < formula; ++k)
      if (plan[k].role != BlockRole::Standalone) {
        plan[k] = BlockPlan();
        plan[k].role = BlockRole::Valediction;
      }
    std::size_t k = formula;
    plan[k] = closer_line(k);
    if (plan[k].role != BlockRole::Valediction) {  // a lead ("I am &c")
      plan[k] = BlockPlan();
      plan[k].role = BlockRole::Valediction;
    }
    // "Yours Affectionately" / "David Livingston": with a signature on the next line, the word
    // after the formula on its own line is the formula's ("Affectionately"), not a signature.
    if (plan[k].signature_split > 0 && blocks[k].text.find('\n') == std::string::npos) {
      const std::size_t after = next_block(k + 1, last);
      if (after < last && closer_line(after).role == BlockRole::Signed) plan[k].signature_split = 0;
    }
    bool signed_done = plan[k].signature_split > 0;
    k = next_block(k + 1, last);
    if (!signed_done && k < last && closer_line(k).role == BlockRole::Signed) {
      plan[k] = closer_line(k);
      signed_done = true;
      k = next_block(k + 1, last);
    }
    if (signed_done && k < last && on_behalf(k)) {  // "For Robert Hamilton"
      plan[k] = BlockPlan();
      plan[k].role = BlockRole::Signed;
      k = next_block(k + 1, last);
    }
    // The date under the signature, with its place ("Kuruman, 5th May 1852").
    if (k < last && (closer_line(k).role == BlockRole::CloserDate ||
                     (signed_done && blocks[k].text.size() <= kMaxOpenerLine &&
                      is_dateline(trim(blocks[k].text), profile)))) {
      plan[k] = BlockPlan();
      plan[k].role = BlockRole::CloserDate;
      k = next_block(k + 1, last);
    }
    for (; k < last; ++k)
      if (plan[k].role != BlockRole::Standalone) plan[k].role = BlockRole::Postscript;
    return;
  }

  // Without a formula: a signature and the line that signs for someone else under it ("David
  // Livingston" / "For Robert Hamilton"), then at most a paragraph or two (a postscript without
  // a cue) before the postscript or the end.
  {
    std::size_t k = last, seen_blocks = 0, paras = 0;
    while (k > opener_end && seen_blocks < kMaxTrailingBlocks) {
      --k;
      if (plan[k].role == BlockRole::Standalone) continue;
      ++seen_blocks;
      if (on_behalf(k)) {
        const std::size_t above = block_before(k);
        if (above != SIZE_MAX && closer_line(above).role == BlockRole::Signed &&
            has_text_before(above)) {
          plan[above] = closer_line(above);
          plan[k] = BlockPlan();
          plan[k].role = BlockRole::Signed;
          for (std::size_t m = k + 1; m < last; ++m)
            if (plan[m].role != BlockRole::Standalone) plan[m].role = BlockRole::Postscript;
          return;
        }
        break;
      }
      if (blocks[k].text.size() > kMaxOpenerLine && ++paras > kMaxTrailingParagraphs) break;
    }
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
      // "David Livingstone" / "Kuruman, 5th May 1852": the dated line under the signature is
      // its dateline, not a second signature; otherwise one signature: a second name above it
      // is text.
      if (!have_signed) {
        have_signed = true;
      } else if (closer.size() == 1 && closer.back().second.split > 0 && p.split == 0 &&
                 blocks[closer.back().first].text.size() <= kMaxOpenerLine &&
                 is_dateline(trim(blocks[closer.back().first].text), profile)) {
        closer.back().second = BlockPlan();
        closer.back().second.role = BlockRole::CloserDate;
      } else {
        break;
      }
    }
    closer.emplace_back(j - 1, p);
    --j;
  }
  // The closer never takes the whole text: some paragraph must stand before it.
  if (have_signed && has_text_before(j))
    for (auto& [k, p] : closer) plan[k] = p;
}

}  // namespace

static_assert(sizeof(BlockPlan) <= 12, "a plan is held per block, all at once: keep it small");

BlockPlans classify_blocks(const BlockList& blocks, const Profile& profile,
                                       const std::function<bool(std::size_t)>& is_standalone) {
  const std::size_t n = blocks.size();
  BlockPlans roles;
  roles.grow_to(n);
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
    // A paragraph or an omission line ("* * *", FRUS 1870/d94) stands above the signature.
    if (i > 0 && plan[i - 1].role != BlockRole::Paragraph && plan[i - 1].role != BlockRole::Milestone)
      continue;
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
    mark_lists(blocks, roles, first, starts[k + 1]);
  }
  return roles;
}

}  // namespace teikit
