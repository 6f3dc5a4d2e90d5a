#include "teikit/convert/correspondents.hpp"

#include <algorithm>
#include <cctype>

#include "teikit/base/diagnostics.hpp"
#include "teikit/base/text_util.hpp"
#include "teikit/convert/header.hpp"
#include "teikit/convert/profile.hpp"

namespace teikit {

namespace {

// ASCII lower case keeps every byte where it was, so offsets found in the lower-cased text
// are offsets of the text as written (the patterns' words are matched case-insensitively).
std::string ascii_lower(const std::string& s) {
  std::string r = s;
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

bool is_letter_at(const std::string& s, std::size_t i) {
  return i < s.size() && (utf8_letter(s, i) > 0 || std::isdigit(static_cast<unsigned char>(s[i])));
}

// Where the word or phrase `w` stands in `s` as whole words (not inside a longer word), from
// `from`; npos when it does not.
std::size_t find_word(const std::string& s, const std::string& w, std::size_t from = 0) {
  if (w.empty()) return std::string::npos;
  for (std::size_t p = s.find(w, from); p != std::string::npos; p = s.find(w, p + 1)) {
    const bool before = p == 0 || !is_letter_at(s, p - 1) || !is_letter_at(s, p);
    const std::size_t e = p + w.size();
    const bool after = e >= s.size() || !is_letter_at(s, e) || !is_letter_at(s, e - 1);
    if (before && after) return p;
  }
  return std::string::npos;
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  for (auto& w : split_any(s, {" "}))
    if (!w.empty()) out.push_back(w);
  return out;
}

bool in_list(const std::vector<std::string>& list, const std::string& w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

bool any_word_of(const std::string& name, const std::vector<std::string>& list) {
  for (const auto& w : list)
    if (find_word(name, w) != std::string::npos) return true;
  return false;
}

// A word that ends no sentence with its full stop: a profile abbreviation ("Mr."), an initial
// ("T.", "J.C.").
bool keeps_full_stop(const std::string& word, const Profile& profile) {
  if (in_list(profile.abbreviations, word)) return true;
  const std::string bare = word.substr(0, word.size() - 1);
  if (bare.empty()) return true;
  // "… Agnes Livingstone (Sr.). Place of writing": the parenthesis is closed, the sentence ends.
  if (bare.back() == ')') return false;
  bool upper = false;
  const std::size_t n = utf8_letter(bare, 0, &upper);
  if (n > 0 && upper && n == bare.size()) return true;      // "T."
  return bare.find('.') != std::string::npos;              // "J.C."
}

// The text up to the first full stop that ends a sentence.
std::string first_sentence(const std::string& text, const Profile& profile) {
  for (std::size_t p = text.find('.'); p != std::string::npos; p = text.find('.', p + 1)) {
    if (p + 1 < text.size() && text[p + 1] != ' ') continue;
    const std::size_t start = text.rfind(' ', p);
    const std::string word = text.substr(start == std::string::npos ? 0 : start + 1,
                                         p + 1 - (start == std::string::npos ? 0 : start + 1));
    if (!keeps_full_stop(word, profile)) return text.substr(0, p);
  }
  return text;
}

std::string strip_final_stop(std::string s, const Profile& profile) {
  s = trim(s);
  while (!s.empty() && (s.back() == ',' || s.back() == ';')) s = trim(s.substr(0, s.size() - 1));
  if (!s.empty() && s.back() == '.') {
    const std::size_t start = s.rfind(' ');
    const std::string word = s.substr(start == std::string::npos ? 0 : start + 1);
    if (!keeps_full_stop(word, profile)) s.pop_back();
  }
  return trim(s);
}

// The part of a title or summary sentence that can name parties: up to the first stop (", '"
// opens a subject, "on behalf of" a second party) or a date after a comma.
std::string parties_part(const std::string& text, const Profile& profile) {
  std::string t = collapse_space(text);
  const std::string lower = ascii_lower(t);
  std::size_t cut = t.size();
  for (const auto& stop : profile.correspondent_stops) {
    const std::string s = ascii_lower(stop);
    const bool wordy = utf8_letter(s, 0) > 0;
    const std::size_t p = wordy ? find_word(lower, s) : lower.find(s);
    if (p != std::string::npos && p > 0) cut = std::min(cut, wordy ? p - 1 : p);
  }
  for (std::size_t p = t.find(", "); p != std::string::npos && p < cut; p = t.find(", ", p + 1))
    if (p + 2 < t.size() && std::isdigit(static_cast<unsigned char>(t[p + 2]))) cut = std::min(cut, p);
  std::string part = strip_quotes(trim(t.substr(0, cut)));
  // A title quoted in single quotes ("'Cable from …'") as Markdown transcriptions write it.
  for (const char* q : {"'", "‘"})
    if (starts_with(part, q)) part = trim(part.substr(std::char_traits<char>::length(q)));
  return strip_final_stop(part, profile);
}

struct Piece {
  bool slot = false;
  std::string text;  // literal (lower-cased) or slot name
};

std::vector<Piece> pieces_of(const std::string& pattern) {
  std::vector<Piece> out;
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    const std::size_t open = pattern.find('{', pos);
    if (open != pos) {
      out.push_back({false, ascii_lower(pattern.substr(pos, open == std::string::npos ? std::string::npos : open - pos))});
      if (open == std::string::npos) break;
    }
    const std::size_t close = pattern.find('}', open);
    if (close == std::string::npos) break;
    out.push_back({true, pattern.substr(open + 1, close - open - 1)});
    pos = close + 1;
  }
  return out;
}

// True when `v` reads as a party's name: capitalised words, the profile's particles, initials,
// numbers; at most one parenthesis, closing the name ("the Ambassador in Russia (Francis)");
// no editorial bracket ("[name not declassified] of …" is no name).
bool reads_as_party(const std::string& v, const Profile& profile) {
  // A comma inside a title's party opens a subject or an apposition ("the Chinese Foreign
  // Ministry, Reply to the Soviet Memorandum"): no name holds one.
  if (v.empty() || v.find(profile.open) != std::string::npos || v.find(", ") != std::string::npos)
    return false;
  const std::string lower = to_lower_utf8(v);
  for (const auto& n : profile.not_correspondents)
    if (lower == n) return false;
  const auto opens = std::count(v.begin(), v.end(), '(');
  if (opens != std::count(v.begin(), v.end(), ')') || opens > 1 || (opens == 1 && v.back() != ')'))
    return false;
  bool capital = false;
  // A word of the patterns themselves that is no particle of names ("From" in "Backchannel
  // Message From …"): the title reads another way than this split says.
  for (const auto& w : words(v)) {
    const std::string lw = ascii_lower(w);
    if (in_list(profile.name_particles, lw)) continue;
    for (const auto& pattern : profile.correspondence_patterns)
      for (const auto& piece : pieces_of(pattern))
        if (!piece.slot)
          for (const auto& pw : words(piece.text))
            if (pw == lw) return false;
  }
  std::vector<std::string> words_of_v = words(v);
  bool in_parenthesis = false;
  for (std::string& w : words_of_v) {
    // The parenthesis closing a name says who is meant, in any words: "(Francis)", "(Sr.)",
    // "Agnes Livingstone (daughter)".
    if (!w.empty() && w[0] == '(') in_parenthesis = capital;
    if (in_parenthesis) continue;
    while (!w.empty() && (w[0] == '(' || w[0] == '"' || w[0] == '\'')) w.erase(0, 1);
    if (w.empty()) return false;
    bool upper = false;
    if (utf8_letter(w, 0, &upper) > 0 && upper) {
      capital = true;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(w[0]))) {
      if (&w != &words_of_v.back()) return false;  // a date or number inside: no name ("for 1 January 1957")
      continue;
    }
    std::string bare = to_lower_utf8(w);
    while (!bare.empty() && std::ispunct(static_cast<unsigned char>(bare.back()))) bare.pop_back();
    if (!in_list(profile.name_particles, bare)) return false;
  }
  return capital;
}

struct Match {
  std::string sender, addressee;
};

// Every way `pieces` covers the whole of `t` (`lower`: t lower-cased, same offsets).
void match_from(const std::vector<Piece>& pieces, std::size_t pi, const std::string& t,
                const std::string& lower, std::size_t pos, Match m, const Profile& profile,
                std::vector<Match>& out) {
  if (out.size() > 16) return;  // a title is short; this only bounds a pathological one
  if (pi == pieces.size()) {
    if (pos == t.size()) out.push_back(m);
    return;
  }
  const Piece& p = pieces[pi];
  if (!p.slot) {
    if (lower.compare(pos, p.text.size(), p.text) == 0)
      match_from(pieces, pi + 1, t, lower, pos + p.text.size(), m, profile, out);
    return;
  }
  if (p.text == "doc") {
    // At the start, a document word may follow a few capitalised words of its own kind
    // ("Action Memorandum From …", "Backchannel Message From …").
    std::vector<std::size_t> starts{pos};
    if (pos == 0)
      for (std::size_t sp = t.find(' '), k = 0; sp != std::string::npos && k < 3; sp = t.find(' ', sp + 1), ++k) {
        bool upper = false;
        if (utf8_letter(t, sp + 1, &upper) == 0 || !upper) break;
        starts.push_back(sp + 1);
      }
    for (const std::size_t at : starts)
      for (const auto& w : profile.document_words) {
        const std::string lw = ascii_lower(w);
        if (lower.compare(at, lw.size(), lw) != 0 || is_letter_at(lower, at + lw.size())) continue;
        std::size_t after = at + lw.size();
        // "Ciphered Telegram No. 3345 from …": the document's number belongs to {doc}.
        for (const auto& nw : profile.document_number_words) {
          const std::string ln = " " + ascii_lower(nw) + " ";
          if (lower.compare(after, ln.size(), ln) != 0) continue;
          std::size_t e = after + ln.size();
          while (e < lower.size() && (std::isdigit(static_cast<unsigned char>(lower[e])) || lower[e] == '/' || lower[e] == '-')) ++e;
          if (e > after + ln.size()) after = e;
          break;
        }
        match_from(pieces, pi + 1, t, lower, after, m, profile, out);
      }
    return;
  }
  auto set = [&](Match& into, const std::string& v) {
    (p.text == "sender" ? into.sender : into.addressee) = v;
  };
  if (pi + 1 == pieces.size()) {
    if (pos < t.size()) {
      set(m, t.substr(pos));
      out.push_back(m);
    }
    return;
  }
  const Piece& next = pieces[pi + 1];
  if (next.slot) return;  // two slots side by side cannot be told apart
  for (std::size_t q = lower.find(next.text, pos + 1); q != std::string::npos;
       q = lower.find(next.text, q + 1)) {
    Match mm = m;
    set(mm, t.substr(pos, q - pos));
    match_from(pieces, pi + 1, t, lower, q, mm, profile, out);
  }
}

// "Thomas Archer and Mary Archer" → two names, when no part names an organisation.
std::vector<std::string> split_names(const std::string& v, const Profile& profile) {
  for (const auto& sep : profile.name_separators) {
    if (sep == ", " || sep == "; ") continue;  // "DC/P and CIP, Central Intelligence Agency"
    const auto parts = split_any(v, std::vector<std::string>{sep});
    if (parts.size() < 2) continue;
    // People joined by "and" are several ("Kuznetsov and Stalin"); an office's name may hold
    // "and" ("Ministry of Foreign Affairs and Trade").
    // A part that opens with an article after the first is a party of its own, an office too
    // ("Mao Zedong and the CCP Central Committee").
    bool ok = true, articled = true;
    for (std::size_t k = 1; k < parts.size(); ++k) {
      const auto w = words(trim(parts[k]));
      articled = articled && !w.empty() && in_list(profile.name_articles, to_lower_utf8(w[0]));
    }
    for (const auto& part : parts)
      ok = ok && reads_as_party(trim(part), profile) &&
           (articled || !any_word_of(trim(part), profile.organisation_words));
    if (!ok) continue;
    std::vector<std::string> out;
    for (const auto& part : parts) out.push_back(trim(part));
    return out;
  }
  return {v};
}

// The tokens a name is compared by: lower-cased letters and digits, without articles and a
// trailing catalogue number ("Robert Moffat 1").
std::vector<std::string> name_tokens(const std::string& name, const Profile& profile) {
  std::string s = ascii_lower(name);
  for (char& c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) >= 0x80))) c = ' ';
  std::vector<std::string> out;
  for (auto& w : words(s))
    if (!in_list(profile.name_articles, w)) out.push_back(w);
  if (!out.empty() && std::all_of(out.back().begin(), out.back().end(),
                                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    out.pop_back();
  return out;
}

bool subset(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& w : a)
    if (!in_list(b, w)) return false;
  return true;
}

// The person words of a name ("sir", "revd", "dr") apart from its other tokens.
std::vector<std::string> titles_of(std::vector<std::string>& tokens, const Profile& profile) {
  std::vector<std::string> titles, rest;
  for (auto& t : tokens) {
    bool title = false;
    for (const auto& w : profile.person_words) {
      std::string lw = ascii_lower(w);
      while (!lw.empty() && lw.back() == '.') lw.pop_back();
      title = title || lw == t;
    }
    (title ? titles : rest).push_back(t);
  }
  tokens = rest;
  return titles;
}

bool same_party(const std::string& a, const std::string& b, const Profile& profile) {
  auto ta = name_tokens(a, profile), tb = name_tokens(b, profile);
  if (ta.empty() || tb.empty()) return false;
  if (subset(ta, tb) || subset(tb, ta)) return true;
  // "Sir Roderick Murchison" / "Roderick Impey Murchison", "the Revd Dr Tidman" / "Arthur
  // Tidman": the same person when the titles of one are all the other's (none where the other
  // has none; "Mr. Smith" / "Mrs. Smith" differ) and the rest of one is in the other.
  const auto sa = titles_of(ta, profile), sb = titles_of(tb, profile);
  if (ta.empty() || tb.empty()) return false;
  const bool titles_fit = sa.empty() || sb.empty() || subset(sa, sb) || subset(sb, sa);
  return titles_fit && (subset(ta, tb) || subset(tb, ta));
}

bool ends_in_number(const std::string& s) {
  const auto w = words(s);
  return !w.empty() && std::all_of(w.back().begin(), w.back().end(),
                                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// The name as correspDesc writes it: without a leading article, a trailing catalogue number,
// or the affiliation of a person ("J.C. Esterline of the Central Intelligence Agency").
std::string written_name(std::string name, const Profile& profile) {
  name = trim(name);
  if (const auto w = words(name); w.size() > 1 && in_list(profile.name_articles, to_lower_utf8(w[0])))
    name = trim(name.substr(w[0].size()));
  if (ends_in_number(name) && words(name).size() > 1) name = trim(name.substr(0, name.rfind(' ')));
  if (name.find('(') == std::string::npos)
    for (const auto& aff : profile.affiliations) {
      const std::size_t p = find_word(name, aff);
      if (p == std::string::npos || p == 0) continue;
      const std::string head = trim(name.substr(0, p));
      // "J.C. Esterline of the …" is a person; "Directors of the London Missionary Society" is
      // the body itself.
      if (words(head).size() >= 2 && !any_word_of(head, profile.organisation_words) &&
          !any_word_of(head, profile.person_words))
        name = head;
      break;
    }
  return name;
}

// A sender and a signature name the same person when a word of one starts the other's
// ("Livingston" / "Livingstone", "Welles" / "WELLES.").
bool signature_matches(const std::string& name, const std::string& signer, const Profile& profile) {
  std::string key = name;
  if (const auto open = name.find('('); open != std::string::npos)
    key = name.substr(open + 1, name.find(')', open) - open - 1);
  const auto a = name_tokens(key, profile), b = name_tokens(signer, profile);
  for (const auto& x : a)
    for (const auto& y : b) {
      const std::size_t n = std::min(x.size(), y.size());
      if (n >= 3 && x.compare(0, n, y, 0, n) == 0) return true;
    }
  return false;
}

// Whether the sender's name can be compared with a signature: a parenthesised name, or a name
// of capitalised words only (an office such as "the Secretary of State" cannot).
bool comparable_with_signature(const std::string& name, const Profile& profile) {
  if (name.find('(') != std::string::npos) return true;
  for (const auto& w : words(name))
    if (in_list(profile.name_particles, to_lower_utf8(w))) return false;
  return true;
}

// Decides one side (senders or addressees) from the title's and the summary's parties.
std::vector<std::string> decide_side(const std::vector<std::string>& from_title,
                                     const std::vector<std::string>& from_summary, const char* what,
                                     const Profile& profile, std::vector<std::string>& doubts) {
  if (from_title.empty()) return from_summary;
  if (from_summary.empty()) return from_title;
  bool agree = from_title.size() == from_summary.size();
  for (std::size_t k = 0; agree && k < from_title.size(); ++k)
    agree = same_party(from_title[k], from_summary[k], profile);
  if (!agree) {
    auto joined = [](const std::vector<std::string>& v) {
      std::string r;
      for (const auto& s : v) r += (r.empty() ? "" : " and ") + s;
      return r;
    };
    doubts.push_back(std::string("the title names the ") + what + " '" + joined(from_title) +
                     "', the summary '" + joined(from_summary) + "'; neither is written");
    return {};
  }
  // The same parties: the wording without a catalogue number ("Robert Moffat 1"), else the title's.
  std::vector<std::string> out;
  for (std::size_t k = 0; k < from_title.size(); ++k)
    out.push_back(ends_in_number(from_title[k]) && !ends_in_number(from_summary[k]) ? from_summary[k]
                                                                                    : from_title[k]);
  return out;
}

}  // namespace

Parties parties_of(const std::string& text, bool title, const Profile& profile) {
  Parties result;
  std::string t = collapse_space(text);
  if (!title) t = first_sentence(t, profile);
  t = parties_part(t, profile);
  if (t.empty() || t.size() > 1000) return result;
  const std::string lower = ascii_lower(t);
  // "Journal of Soviet Ambassador to the DPRK …", "Minutes of …": a title of a document that
  // is no letter names no parties by the bare "A to B".
  bool no_party_title = false;
  for (const auto& w : profile.no_party_titles)
    no_party_title = no_party_title || (find_word(to_lower_utf8(t), w) == 0);
  for (const auto& pattern : profile.correspondence_patterns) {
    if ((!title || no_party_title) && pattern.find("{doc}") == std::string::npos) continue;
    std::vector<Match> found;
    match_from(pieces_of(pattern), 0, t, lower, 0, {}, profile, found);
    std::vector<Match> valid;
    const bool has_sender = pattern.find("{sender}") != std::string::npos;
    const bool has_addressee = pattern.find("{addressee}") != std::string::npos;
    // The slot that ends the pattern may run on into a subject ("Cable from the Chinese Foreign
    // Ministry, Representations between …"): then the name is what stands before its first comma.
    const bool sender_last = has_sender && ends_with(pattern, "{sender}");
    const bool addressee_last = has_addressee && ends_with(pattern, "{addressee}");
    // A party whose name the edition withholds ("[name not declassified] of the CIA") is no
    // name to write, but the other party of the same title still is.
    auto check = [&](std::string& v, bool last, bool& withheld) {
      v = strip_final_stop(v, profile);
      if (reads_as_party(v, profile)) return true;
      // "Letter from David Livingstone to an unknown correspondent": no addressee, but the
      // sender of the same sentence still is one.
      if (in_list(profile.not_correspondents, to_lower_utf8(v))) {
        v.clear();
        return true;
      }
      // "Filippov [Stalin]": the name as the title has it, before the editor's identification.
      if (const auto open = v.find(" " + profile.open); open != std::string::npos && ends_with(v, profile.close) &&
                                                         v.find(profile.open) == open + 1) {
        std::string head = trim(v.substr(0, open));
        if (reads_as_party(head, profile)) {
          v = head;
          return true;
        }
      }
      if (v.find(profile.open) != std::string::npos) {
        withheld = true;
        v.clear();
        return true;
      }
      if (last)
        if (const auto comma = v.find(", "); comma != std::string::npos) {
          std::string head = strip_final_stop(v.substr(0, comma), profile);
          if (reads_as_party(head, profile)) {
            v = head;
            return true;
          }
        }
      return false;
    };
    bool nobody = false;  // the title reads this way and names no one ("Letter to Unknown")
    for (auto& m : found) {
      bool withheld = false;
      const bool s_ok = !has_sender || check(m.sender, sender_last, withheld);
      const bool a_ok = !has_addressee || check(m.addressee, addressee_last, withheld);
      nobody = nobody || (s_ok && a_ok && m.sender.empty() && m.addressee.empty() && !withheld);
      bool seen = false;  // "Circular Telegram" and "Telegram" read the title the same way
      for (const auto& v : valid) seen |= v.sender == m.sender && v.addressee == m.addressee;
      if (s_ok && a_ok && !seen && (!m.sender.empty() || !m.addressee.empty())) {
        valid.push_back(m);
        if (withheld) result.withheld = true;
      }
    }
    if (valid.empty() && nobody) return result;
    if (valid.empty()) continue;
    // "the Ambassador to the DPRK", "the Mission to the United Nations": a sender that ends in an
    // office named with "to" does not end there. Of several splits those are dropped; a title
    // split only there names its addressee only when the addressee reads as one (an office or
    // person word, a parenthesised name), else the title is not read ("Report by the Soviet
    // Ambassador to the DPRK" names no addressee).
    auto ends_in_office = [&](const Match& m) {
      const std::string lower_sender = ascii_lower(m.sender);
      for (const auto& w : profile.offices_to) {
        const std::string lw = ascii_lower(w);
        if (lower_sender.size() >= lw.size() &&
            lower_sender.compare(lower_sender.size() - lw.size(), lw.size(), lw) == 0 &&
            find_word(lower_sender, lw, lower_sender.size() - lw.size()) != std::string::npos)
          return true;
      }
      return false;
    };
    if (valid.size() > 1) {
      std::vector<Match> kept;
      for (const auto& m : valid)
        if (!ends_in_office(m)) kept.push_back(m);
      if (!kept.empty()) valid = kept;
    } else if (ends_in_office(valid[0]) && !valid[0].addressee.empty() && valid[0].addressee.back() != ')' &&
               !any_word_of(valid[0].addressee, profile.organisation_words) &&
               !any_word_of(valid[0].addressee, profile.person_words)) {
      result.ambiguous = true;
      return result;
    }
    if (valid.size() > 1) {
      result.ambiguous = true;
      return result;
    }
    if (!valid[0].sender.empty()) result.senders = split_names(valid[0].sender, profile);
    if (!valid[0].addressee.empty()) result.addressees = split_names(valid[0].addressee, profile);
    return result;
  }
  return result;
}

std::string summary_place_of_writing(const std::string& summary, const Profile& profile) {
  const std::string s = collapse_space(summary);
  const std::string lower = ascii_lower(s);
  for (const auto& label : profile.place_of_writing_labels) {
    const std::string l = ascii_lower(label) + ":";
    const std::size_t p = lower.find(l);
    if (p == std::string::npos) continue;
    const std::string place = strip_final_stop(first_sentence(trim(s.substr(p + l.size())), profile), profile);
    if (!place.empty() && place.find(profile.open) == std::string::npos) return place;
  }
  return "";
}

std::string correspondent_element(const std::string& name, const Profile& profile) {
  if (!name.empty() && name.back() == ')') return "persName";  // "the Ambassador in Russia (Francis)"
  return any_word_of(name, profile.organisation_words) ? "orgName" : "persName";
}

DecidedCorrespondence decide_correspondence(const Header& header, const Correspondence& evidence,
                                     const Profile& profile) {
  DecidedCorrespondence c;
  c.sent_when = evidence.sent_when;
  c.received_when = evidence.received_when;
  const Parties title = parties_of(header.title, true, profile);
  Parties summary;
  std::string summary_text;
  if (const HeaderField* f = header.known("summary")) {
    summary_text = collapse_space(f->text());
    summary = parties_of(summary_text, false, profile);
  }
  if (title.ambiguous) c.doubts.push_back("the title '" + header.title + "' names its parties in more than one way");
  if (summary.ambiguous) c.doubts.push_back("the summary names its parties in more than one way");
  if (title.withheld || summary.withheld)
    c.doubts.push_back("a party's name is withheld in the edition; it is not written");

  const auto senders = decide_side(title.senders, summary.senders, "sender", profile, c.doubts);
  auto addressees = decide_side(title.addressees, summary.addressees, "addressee", profile, c.doubts);

  // The opener's addressee line ("To: …") only when the header names no addressee, and only
  // when it names a person or an office: a cable's "To: Wulumuqi" names a place.
  if (addressees.empty() && title.addressees.empty() && summary.addressees.empty() &&
      !evidence.addressee.empty()) {
    const std::string line = strip_final_stop(collapse_space(evidence.addressee), profile);
    // A labelled line is a field of its own: the name's words need not read as a title's party
    // ("Ministère des Affaires étrangères"), but it holds no bracket and names someone.
    if (line.find(profile.open) == std::string::npos &&
        (any_word_of(line, profile.person_words) || any_word_of(line, profile.organisation_words)))
      addressees.push_back(line);
    else
      c.unused.push_back("the addressee line '" + line + "' names no person or office; no addressee is written");
  }

  // A party that is the dateline's place ("Telegram from Beijing to …", dated "Beijing, …") is
  // a place, which is no correspondent.
  std::vector<std::string> places;
  if (!evidence.sent_place.empty()) {
    places.push_back(to_lower_utf8(evidence.sent_place));
    if (const auto comma = evidence.sent_place.rfind(", "); comma != std::string::npos)
      places.push_back(to_lower_utf8(trim(evidence.sent_place.substr(comma + 2))));
  }
  std::vector<std::string> sent_places, received_places;  // cities named as parties
  auto add = [&](const std::string& party, std::vector<Correspondent>& into) {
    const std::string name = written_name(party, profile);
    if (name.empty()) return;
    if (in_list(places, to_lower_utf8(name))) {
      c.doubts.push_back("'" + name + "' is the place of the dateline, not a correspondent; it is not written");
      return;
    }
    // "Telegram from Beijing", "… to Moscow": the city stands for whoever sent or received
    // there; the one fact the title gives is the place (TEI Guidelines 2.4.6, correspAction
    // holds placeName), so no persName is invented for it.
    if (in_list(profile.place_names, to_lower_utf8(name))) {
      (&into == &c.senders ? sent_places : received_places).push_back(name);
      return;
    }
    into.push_back({name, correspondent_element(name, profile)});
  };
  for (const auto& s : senders) add(s, c.senders);
  for (const auto& a : addressees) add(a, c.addressees);

  // A signature never names the sender on its own (the structure may take an address panel or
  // a place for one); it only raises a doubt.
  const std::string signer = collapse_space(evidence.sender);
  if (!signer.empty()) {
    if (c.senders.empty() && senders.empty()) {
      c.unused.push_back("only the signature '" + signer + "' names a sender; no sender is written");
    } else if (c.senders.size() == 1 && c.senders[0].element == "persName" &&
               comparable_with_signature(c.senders[0].name, profile) &&
               !signature_matches(c.senders[0].name, signer, profile)) {
      c.doubts.push_back("the signature '" + signer + "' does not name the sender '" + c.senders[0].name +
                         "' of the header; the header's sender is written");
    }
  }

  // The place of writing: the summary's statement, else the dateline's place ("Legation of the
  // United States, Paris" → Paris: an institution is no place).
  c.place = summary_place_of_writing(summary_text, profile);
  if (c.place.empty() && !evidence.sent_place.empty()) {
    std::string place = evidence.sent_place;
    if (const auto comma = place.rfind(", "); comma != std::string::npos &&
                                              any_word_of(place.substr(0, comma), profile.organisation_words))
      place = trim(place.substr(comma + 2));
    c.place = place;
  }
  // A city the title names as the sender is the place of writing when nothing else says where
  // it was written; one place each side is written (the summary's or the dateline's first).
  for (const auto& place : sent_places) {
    if (c.place.empty())
      c.place = place, c.place_from_title = true;
    else if (to_lower_utf8(place) != to_lower_utf8(c.place))
      c.doubts.push_back("the title names '" + place + "' as the sender's place, the text '" + c.place +
                         "'; '" + c.place + "' is written");
  }
  for (const auto& place : received_places) {
    if (c.received_place.empty())
      c.received_place = place;
    else
      c.doubts.push_back("the title names more than one place of receipt; '" + c.received_place +
                         "' is written");
  }
  return c;
}

std::optional<Node> correspondence_desc(const Header& header, const Correspondence& evidence,
                                        const Profile& profile, const SourceText& source,
                                        DiagnosticSink& sink) {
  const DecidedCorrespondence c = decide_correspondence(header, evidence, profile);
  const std::uint32_t at = header.title_block ? header.title_block->span.begin : 0;
  for (const auto& why : c.doubts)
    sink.report(source, at, Severity::Warning, "correspondent-uncertain", why);
  for (const auto& why : c.unused) sink.report(source, at, Severity::Note, "correspondent-uncertain", why);
  if (c.senders.empty() && c.addressees.empty() && c.received_when.empty() && !c.place_from_title &&
      c.received_place.empty())
    return std::nullopt;
  Node desc = Node::make_element("correspDesc");
  Node sent = Node::make_element("correspAction");
  sent.set("type", "sent");
  for (const auto& s : c.senders) sent.append(Node::make_element(s.element)).append_text(s.name);
  if (!c.place.empty()) sent.append(Node::make_element("placeName")).append_text(c.place);
  if (!c.sent_when.empty()) sent.append(Node::make_element("date")).set("when", c.sent_when);
  if (!sent.children.empty()) desc.append(std::move(sent));
  Node recv = Node::make_element("correspAction");
  recv.set("type", "received");
  for (const auto& a : c.addressees) recv.append(Node::make_element(a.element)).append_text(a.name);
  if (!c.received_place.empty()) recv.append(Node::make_element("placeName")).append_text(c.received_place);
  if (!c.received_when.empty()) recv.append(Node::make_element("date")).set("when", c.received_when);
  if (!recv.children.empty()) desc.append(std::move(recv));
  if (desc.children.empty()) return std::nullopt;
  return desc;
}

}  // namespace teikit
