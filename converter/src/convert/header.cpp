#include "teikit/convert/header.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>

#include "teikit/base/diagnostics.hpp"
#include "teikit/base/text_util.hpp"
#include "teikit/convert/profile.hpp"

namespace teikit {

namespace {

// "Citation:" alone on its line (ENCODING.md §1: each label on its own line). Labels are short
// (the profile's label-max-length), start with a capital letter and hold letters, spaces and a
// few joiners; a label of the profile is one whatever its letters ("Résumé:").
bool label_of(const Block& b, std::string& label, const Profile& profile) {
  const std::string_view t = b.text;
  if (t.size() < 2 || t.size() - 1 > profile.label_max_length || t.back() != ':' ||
      t.find('\n') != std::string::npos)
    return false;
  if (!profile.field_of(std::string(t.substr(0, t.size() - 1))).empty()) {
    label = t.substr(0, t.size() - 1);
    return true;
  }
  bool upper = false;
  if (utf8_letter(t, 0, &upper) == 0 || !upper) return false;
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    if (std::size_t n = utf8_letter(t, i)) {  // letters of any script: "Année", "Übersicht"
      i += n - 1;
      continue;
    }
    if (!(std::isdigit(c) || c == ' ' || c == '-' || c == '/' || c == '(' || c == ')' ||
          c == '&' || c == '\''))
      return false;
  }
  label = t.substr(0, t.size() - 1);
  // A salutation ("Dear Sir:", "My dear Friend:") is the start of the text, not a field.
  for (const std::string& w : profile.salutation_labels)
    if (starts_with(label, w) &&
        (label.size() == w.size() || !std::isalpha(static_cast<unsigned char>(label[w.size()]))))
      return false;
  return true;
}

bool is_url_block(const Block& b) {
  const std::string t = trim(b.text);
  return t.find('\n') == std::string::npos && t.find(' ') == std::string::npos &&
         (starts_with(t, "http://") || starts_with(t, "https://"));
}

void citation_parts(Citation& c, const std::string& rest, const std::vector<std::string>& segments,
                    const Profile& profile);

// Splits a citation into its parts (ENCODING.md §1, `Citation:` row). Works on the text as
// written; every part it finds is a substring of the citation, so the bibl can be written as
// mixed content that keeps every character.
Citation parse_citation(const std::string& text, const Profile& profile) {
  Citation c;
  c.text = text;
  std::string rest = collapse_space(text);
  // URL at the end.
  if (auto p = rest.rfind("http"); p != std::string::npos &&
                                   (starts_with(rest.substr(p), "http://") ||
                                    starts_with(rest.substr(p), "https://"))) {
    auto e = rest.find_first_of(" )>", p);
    c.url = rest.substr(p, e == std::string::npos ? std::string::npos : e - p);
    while (!c.url.empty() && (c.url.back() == '.' || c.url.back() == ',')) c.url.pop_back();
  }
  // Quoted title at the start: the profile's quotation marks (straight or curly double quotes).
  for (const auto& [open_quote, close_quote] : profile.title_quotes) {
    if (!starts_with(rest, open_quote)) continue;
    const std::size_t ol = open_quote.size();
    const auto close = rest.find(close_quote + ",", ol);
    if (close == std::string::npos) break;
    c.title = rest.substr(ol, close - ol);
    rest = trim(rest.substr(close + close_quote.size() + 1));
    break;
  }
  // The date after the title: everything up to the comma after a four-digit year.
  if (!c.title.empty()) {
    for (std::size_t comma = rest.find(','); comma != std::string::npos;
         comma = rest.find(',', comma + 1)) {
      if (comma > 40) break;
      if (auto d = parse_date(rest.substr(0, comma), profile)) {
        c.date = d;
        c.date_text = rest.substr(0, comma);
        rest = trim(rest.substr(comma + 1));
        break;
      }
    }
  }
  // "Translated by NAME[ and NAME]." (also Transcribed by, Edited by) — a full stop after a
  // single capital is an initial, not the end of the name.
  std::size_t cut = std::string::npos;
  for (const auto& [phrase, role] : profile.responsibilities) {
    const auto p = rest.find(phrase);
    if (p == std::string::npos) continue;
    std::size_t s = p + phrase.size(), e = s;
    while (e < rest.size()) {
      if (rest[e] == '.' && !(e >= 1 && std::isupper(static_cast<unsigned char>(rest[e - 1])) &&
                              (e < 2 || rest[e - 2] == ' ' || rest[e - 2] == '.')))
        break;
      if (starts_with(rest.substr(e), " http")) break;
      ++e;
    }
    const std::string names = trim(rest.substr(s, e - s));
    for (std::string part : split_any(names, profile.name_separators))
      if (!(part = trim(part)).empty()) c.responsible.push_back({role, part});
    cut = std::min(cut, p);
  }
  if (cut != std::string::npos) rest = rest.substr(0, cut);
  if (!c.url.empty())
    if (auto p = rest.find(c.url); p != std::string::npos) rest = rest.substr(0, p);
  rest = trim(rest);
  // Archive, then an archival signature among the comma-separated segments.
  std::vector<std::string> segments = split_any(rest, {", "});
  if (!segments.empty()) {
    c.archive = trim(segments.front());
    if (auto dot = c.archive.find(". "); dot != std::string::npos) c.archive.resize(dot);
    while (!c.archive.empty() && c.archive.back() == '.') c.archive.pop_back();
  }
  for (std::size_t i = 1; i < segments.size(); ++i) {
    std::string seg = trim(segments[i]);
    while (!seg.empty() && seg.back() == '.') seg.pop_back();
    auto is_code = [](const std::string& s) {
      // Shelf-marks: capitals then a number ("PRC FMA 118-01154-05"), or id_000478.
      std::size_t k = 0, caps = 0;
      while (k < s.size() && (std::isupper(static_cast<unsigned char>(s[k])) || s[k] == ' ')) {
        if (s[k] != ' ') ++caps;
        ++k;
      }
      if (caps >= 2 && k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) return true;
      const auto us = s.find('_');
      return us != std::string::npos && us > 0 && us + 1 < s.size() &&
             std::all_of(s.begin() + static_cast<long>(us) + 1, s.end(),
                         [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }) &&
             s.find(' ') == std::string::npos;
    };
    if (is_code(seg)) {
      c.signature = c.shelfmark = seg;
      // "PRC FMA 118-01154-05" is a shelf-mark of a holding archive; "liv_000478" is the
      // catalogue number of an edition, not an archival signature.
      c.signature_is_archival = seg.find('_') == std::string::npos;
      // A folio or page number right after the shelf-mark belongs to it ("…-05, 28").
      if (i + 1 < segments.size()) {
        std::string nxt = trim(segments[i + 1]);
        while (!nxt.empty() && nxt.back() == '.') nxt.pop_back();
        if (!nxt.empty() && nxt.size() <= 6 &&
            std::all_of(nxt.begin(), nxt.end(), [](char ch) {
              return std::isdigit(static_cast<unsigned char>(ch)) != 0 || ch == '-';
            }))
          c.signature += ", " + nxt;
      }
      break;
    }
    for (const std::string& number : profile.document_numbers)
      if (starts_with(seg, number) && seg.size() < 20) {
        c.signature = seg.substr(0, seg.find('.'));
        c.signature_is_archival = false;
        break;
      }
  }
  // Only keep the signature if it really occurs in the citation text (mixed content needs it).
  if (!c.signature.empty() && collapse_space(text).find(c.signature) == std::string::npos)
    c.signature.clear();
  citation_parts(c, rest, segments, profile);
  return c;
}


// The parts an editor's bibl distinguishes, from the segments after the date (ENCODING.md §1,
// profile <edition-header>): a series title up to the document number and the publisher after
// it ("…, Document 92. Office of the Historian, U.S. Department of State."); the holding
// repository and its shelfmark ("National Library of Scotland, MS. 3650, 151-152"); the
// repository an archive's shelfmark prefix names ("PRC FMA 118-01154-05"). Every part is a
// substring of the citation, so that the bibl keeps every character.
void citation_parts(Citation& c, const std::string& rest, const std::vector<std::string>& segments,
                    const Profile& profile) {
  const std::string whole = collapse_space(c.text);
  // Series title and document number.
  if (!segments.empty())
    for (const auto& series : profile.series_titles)
      if (starts_with(trim(segments.front()), series)) {
        const std::size_t from = rest.find(trim(segments.front()));
        for (const std::string& number : profile.document_numbers) {
          std::size_t at = rest.find(", " + number, from);
          if (at == std::string::npos) continue;
          std::size_t e = at + 2 + number.size();
          while (e < rest.size() && std::isdigit(static_cast<unsigned char>(rest[e]))) ++e;
          if (e == at + 2 + number.size()) continue;
          c.series = rest.substr(from, at - from);
          c.document_number = rest.substr(at + 2, e - at - 2);
          // The publisher: the sentence after the number, up to the URL.
          std::string pub = trim(rest.substr(e));
          if (starts_with(pub, ".")) pub = trim(pub.substr(1));
          while (!pub.empty() && pub.back() == '.') pub.pop_back();
          if (!pub.empty() && pub.find("http") == std::string::npos) c.publisher = pub;
          break;
        }
        break;
      }
  if (!c.series.empty() && whole.find(c.series) == std::string::npos) c.series.clear();
  if (!c.publisher.empty() && whole.find(c.publisher) == std::string::npos) c.publisher.clear();
  // An archive named by its shelfmark prefix.
  if (c.signature_is_archival && !c.shelfmark.empty())
    for (const auto& a : profile.archive_prefixes)
      if (starts_with(c.shelfmark, a.prefix + " ")) {
        c.repository = a.name;
        c.settlement = a.settlement;
        c.holding_shelfmark = c.shelfmark;
        c.holding_signature = c.signature;
        return;
      }
  // A holding repository after the edition's own number ("liv_000576, National Library of
  // Scotland, MS. 3650, 151-152 (Letters, 0114)").
  if (c.signature.empty() || c.signature_is_archival) return;
  std::size_t after = rest.find(c.signature);
  if (after == std::string::npos) return;
  std::string holding = trim(rest.substr(after + c.signature.size()));
  if (starts_with(holding, ",")) holding = trim(holding.substr(1));
  while (!holding.empty() && holding.back() == '.') holding.pop_back();
  // A parenthesis that closes the holding is the edition's own reference ("(Letters, 0114)").
  if (!holding.empty() && holding.back() == ')')
    if (const auto open = holding.rfind(" ("); open != std::string::npos) holding = trim(holding.substr(0, open));
  const std::vector<std::string> parts = split_any(holding, {", "});
  std::size_t repo_end = 0;  // segments [0, repo_end) name the repository
  for (std::size_t k = 0; k < parts.size(); ++k) {
    bool named = false;
    for (const auto& w : profile.repository_words) {
      const auto p = parts[k].find(w);
      named |= p != std::string::npos && (p + w.size() == parts[k].size() || !std::isalpha(static_cast<unsigned char>(parts[k][p + w.size()])));
    }
    if (named) repo_end = k + 1;
    else if (repo_end > 0) break;
  }
  if (repo_end == 0 || repo_end == parts.size()) return;
  std::string repository, shelfmark, signature;
  for (std::size_t k = 0; k < repo_end; ++k) repository += (k ? ", " : "") + parts[k];
  std::size_t last = parts.size();
  auto is_locus = [&](const std::string& seg) {
    for (const auto& l : profile.locus_starts)
      if (starts_with(seg, l + " ") || starts_with(seg, l)) {
        if (seg.size() > l.size() && std::isalpha(static_cast<unsigned char>(seg[l.size()])) && l.back() != '.') continue;
        return true;
      }
    return !seg.empty() && std::all_of(seg.begin(), seg.end(), [](char ch) {
      return std::isdigit(static_cast<unsigned char>(ch)) || ch == '-' || ch == ' ';
    });
  };
  while (last > repo_end + 1 && is_locus(parts[last - 1])) --last;
  for (std::size_t k = repo_end; k < last; ++k) shelfmark += (k > repo_end ? ", " : "") + parts[k];
  for (std::size_t k = repo_end; k < parts.size(); ++k) signature += (k > repo_end ? ", " : "") + parts[k];
  if (whole.find(repository) == std::string::npos || whole.find(signature) == std::string::npos) return;
  c.repository = repository;
  c.holding_shelfmark = shelfmark;
  c.holding_signature = signature;
}

// The first sentence of `text`: up to a full stop after a word of two letters or more that is
// not one of the profile's abbreviations ("Mr.", "No."), nor an initial ("T.").
std::string sentence_of(const std::string& text, const Profile& profile) {
  for (std::size_t p = text.find('.'); p != std::string::npos; p = text.find('.', p + 1)) {
    if (p + 1 < text.size() && text[p + 1] != ' ') continue;
    const std::size_t start = text.rfind(' ', p);
    const std::string word = text.substr(start == std::string::npos ? 0 : start + 1,
                                         p + 1 - (start == std::string::npos ? 0 : start + 1));
    if (std::find(profile.abbreviations.begin(), profile.abbreviations.end(), word) != profile.abbreviations.end())
      continue;
    const std::string bare = word.substr(0, word.size() - 1);
    const bool initial = bare.size() == 1 && std::isupper(static_cast<unsigned char>(bare[0]));
    if (bare.empty() || initial || bare.find('.') != std::string::npos) continue;
    return text.substr(0, p);
  }
  return text;
}

// What a Summary is: a source note when a profile pattern matches its start; then the
// repository and shelfmark of "Source: REPOSITORY, SHELFMARK. Classification. …".
SourceNote read_source_note(const std::string& summary, const Profile& profile) {
  SourceNote n;
  for (const auto& re : profile.source_note_patterns)
    if (std::regex_search(summary, re, std::regex_constants::match_continuous)) n.is_source_note = true;
  if (!n.is_source_note) return n;
  const auto colon = summary.find(": ");
  if (colon == std::string::npos || colon > 12) return n;
  const std::string first = sentence_of(trim(summary.substr(colon + 2)), profile);
  const auto comma = first.find(", ");
  if (comma == std::string::npos) return n;
  n.repository = trim(first.substr(0, comma));
  n.shelfmark = trim(first.substr(comma + 2));
  return n;
}

// The people Credits names with a role: "ROLE[ and ROLE] for X by NAME (ROLES); NAME (ROLES);
// … . Published by …" (Livingstone Online), "Transcribed by NAME." — one Credited per name,
// its roles those of the profile's <credit-roles> whose words stand in its clause.
void read_credits(const std::string& credits, const Profile& profile, std::vector<Credited>& out) {
  if (profile.credit_roles.empty()) return;
  std::string text = credits;
  std::vector<std::string> entries = split_any(text, {"; "});
  for (std::size_t k = 0; k < entries.size(); ++k) {
    std::string entry = trim(entries[k]);
    std::string roles_text;
    if (k + 1 == entries.size()) {
      // "Translated by A. Transcribed by B.": each sentence names its own people (a sentence
      // that names no role, "Published by …", gives nobody).
      const std::string first = sentence_of(entry, profile);
      if (first.size() + 2 < entry.size()) entries.push_back(trim(entry.substr(first.size() + 1)));
      entry = first;
    }
    // "Transcribed and encoded for Livingstone Online by NAME (…)": the words before " by ".
    if (const auto by = entry.find(" by "); by != std::string::npos &&
                                            (entry.find(" (") == std::string::npos || by < entry.find(" ("))) {
      roles_text = entry.substr(0, by);
      entry = trim(entry.substr(by + 4));
    }
    std::string name = entry;
    if (const auto open = entry.find(" ("); open != std::string::npos) {
      name = trim(entry.substr(0, open));
      const auto close = entry.find(')', open);
      roles_text += " " + entry.substr(open + 2, close == std::string::npos ? std::string::npos : close - open - 2);
    }
    while (!name.empty() && (name.back() == '.' || name.back() == ',')) name.pop_back();
    bool upper = false;
    if (name.empty() || utf8_letter(name, 0, &upper) == 0 || !upper || name.size() > 80) continue;
    const std::string lower = to_lower_utf8(roles_text);
    Credited person;
    person.name = name;
    for (const auto& role : profile.credit_roles) {
      bool found = false;
      for (const auto& w : role.words) {
        for (std::size_t p = lower.find(w); p != std::string::npos && !found; p = lower.find(w, p + 1)) {
          const bool before = p == 0 || !std::isalpha(static_cast<unsigned char>(lower[p - 1]));
          const std::size_t e = p + w.size();
          found = before && (e >= lower.size() || !std::isalpha(static_cast<unsigned char>(lower[e])));
        }
      }
      if (!found) continue;
      person.resps.push_back(role.resp);
      if (person.role.empty()) person.role = role.id;
    }
    if (person.resps.empty()) continue;
    bool merged = false;
    for (auto& o : out)
      if (o.name == person.name) {
        for (const auto& r : person.resps)
          if (std::find(o.resps.begin(), o.resps.end(), r) == o.resps.end()) o.resps.push_back(r);
        merged = true;
      }
    if (!merged) out.push_back(std::move(person));
  }
}

std::optional<StatedLicence> read_licence(const std::string& text, const Profile& profile) {
  const std::string lower = to_lower_utf8(text);
  for (const auto& l : profile.licences)
    for (const auto& phrase : l.phrases)
      if (lower.find(phrase) != std::string::npos) return StatedLicence{l.name, l.target, l.status};
  return std::nullopt;
}
}  // namespace

std::string HeaderField::text() const {
  std::string r;
  for (const auto& b : value) {
    if (!r.empty()) r += '\n';
    r += b.text;
  }
  return r;
}

const HeaderField* Header::field(const std::string& label) const {
  for (const auto& f : fields)
    if (equals_ignore_case(f.label, label)) return &f;
  return nullptr;
}

const HeaderField* Header::known(const std::string& key) const {
  for (const auto& f : fields)
    if (f.field == key) return &f;
  return nullptr;
}

bool is_known_field(const std::string& label) { return is_known_field(label, *default_profile()); }

bool is_known_field(const std::string& label, const Profile& profile) {
  return !profile.field_of(label).empty();
}

std::string language_code(const std::string& name) { return default_profile()->language_code(name); }

Header parse_header(const SourceText& source, BlockList& blocks,
                    std::size_t& body_start, DiagnosticSink& sink) {
  return parse_header(source, blocks, body_start, sink, *default_profile());
}

Header parse_header(const SourceText& source, BlockList& blocks,
                    std::size_t& body_start, DiagnosticSink& sink, const Profile& profile) {
  Header h;
  std::size_t i = 0;
  std::string label;
  // Date line: the first block that is a date (ENCODING.md §1).
  if (i < blocks.size()) {
    if (auto d = parse_date(trim(blocks[i].text), profile)) {
      h.date = d;
      h.date_block = blocks[i];
      ++i;
    } else {
      sink.report(source, blocks[i].span.begin, Severity::Warning, "missing-date-line",
                  "the transcription does not start with a date line; no document date");
    }
  }
  // Title: the next block unless it is already a label.
  if (i < blocks.size() && !label_of(blocks[i], label, profile)) {
    h.title_block = blocks[i];
    std::string t = collapse_space(blocks[i].text);
    h.title = strip_quotes(t);
    ++i;
  } else {
    sink.report(source, i < blocks.size() ? blocks[i].span.begin : 0, Severity::Warning,
                "missing-title", "no title block after the date line");
  }
  // Labelled fields until the first block that is not a label (or right after Contents).
  // After Contents, only the known labels continue the header (a reordered header puts
  // Citation or Summary last); an unknown label there is already document text ("SUBJECT:").
  bool seen_contents = false;
  {
    // The fields are counted first, so that the vector is allocated once at its size (grown by
    // doubling, a header of 10⁵ fields briefly held three times their size).
    std::size_t k = i, count = 0;
    bool contents = false;
    while (k < blocks.size() && label_of(blocks[k], label, profile) &&
           (!contents || is_known_field(label, profile))) {
      if (profile.field_of(label) == "contents") contents = true;
      ++k;
      if (k < blocks.size() && !label_of(blocks[k], label, profile)) {
        ++k;
        while (k < blocks.size() && is_url_block(blocks[k])) ++k;
      }
      ++count;
    }
    h.fields.reserve(count);
  }
  while (i < blocks.size() && label_of(blocks[i], label, profile) &&
         (!seen_contents || is_known_field(label, profile))) {
    HeaderField f;
    f.label = label;
    f.field = profile.field_of(label);
    f.label_span = blocks[i].span;
    ++i;
    if (i < blocks.size() && !label_of(blocks[i], label, profile)) {
      f.value.push_back(std::move(blocks[i++]));
      // A URL on its own line (Markdown autolink) continues the citation.
      while (i < blocks.size() && is_url_block(blocks[i]))
        f.value.push_back(std::move(blocks[i++]));
    } else {
      sink.report(source, f.label_span.begin, Severity::Warning, "empty-field",
                  "header field '" + f.label + "' has no value");
    }
    if (f.field == "contents") seen_contents = true;
    h.fields.push_back(std::move(f));
  }
  body_start = i;

  if (const HeaderField* f = h.known("citation"))
    h.citation = parse_citation(collapse_space(f->text()), profile);
  if (const HeaderField* f = h.known("credits")) {
    const std::string credits = collapse_space(f->text());
    for (const std::string& phrase : profile.funder_phrases)
      if (auto p = credits.find(phrase); p != std::string::npos) {
        h.funder = trim(credits.substr(p + phrase.size()));
        while (!h.funder.empty() && h.funder.back() == '.') h.funder.pop_back();
        break;
      }
  }
  if (const HeaderField* f = h.known("original-language"))
    for (const auto& part : split_any(collapse_space(f->text()), {", ", "; "}))
      if (!trim(part).empty()) h.original_languages.push_back(trim(part));
  // "Contents:" may list several items ("Translation - English", "Original Scan"); the first
  // "Translation - X" or "Transcript - X" names the text and its language. Without one the
  // language is unknown (xml:lang="und") and the text is not claimed to be a translation.
  if (const HeaderField* f = h.known("contents")) {
    for (const auto& line : split_any(f->text(), {"\n"})) {
      const std::string v = collapse_space(line);
      const std::string lower = to_lower_utf8(v);
      const std::pair<std::string, std::string>* kind = nullptr;
      for (const auto& k : profile.contents_kinds)
        if (!kind && starts_with(lower, k.first)) kind = &k;
      if (!kind) continue;
      h.translation = kind->second == "translation";
      if (auto dash = v.find(" - "); dash != std::string::npos) h.text_language = trim(v.substr(dash + 3));
      break;
    }
  }
  // Without a language in the header, the profile may say which language its texts are in.
  if (h.text_language.empty() && !profile.text_language.empty())
    for (const auto& [code, name] : profile.language_names)
      if (code == profile.text_language) {
        h.text_language = name;
        break;
      }
  if (!h.date && h.citation.date) h.date = h.citation.date;
  // Responsibility: the citation's people first (their ids the role, as before), then those
  // Credits names; @resp of interventions points at the translator, else the transcriber, else
  // the editor (ENCODING.md §4).
  {
    std::map<std::string, int> per_role;
    auto id_of = [&](const std::string& role) {
      const int k = ++per_role[role];
      return role + (k > 1 ? std::to_string(k) : "");
    };
    for (const auto& r : h.citation.responsible) {
      Credited c;
      c.name = r.name;
      c.role = r.role;
      c.resps.push_back(r.role == "translator" ? "translation" : r.role == "transcriber" ? "transcription" : "editing");
      c.from_citation = true;
      c.id = id_of(r.role);
      h.credited.push_back(std::move(c));
    }
    std::vector<Credited> credited;
    if (const HeaderField* f = h.known("credits")) read_credits(collapse_space(f->text()), profile, credited);
    for (auto& c : credited) {
      bool known = false;
      for (const auto& o : h.credited) known |= o.name == c.name;
      if (known) continue;
      c.id = id_of(c.role);
      h.credited.push_back(std::move(c));
    }
    for (const char* role : {"translator", "transcriber", "editor"})
      for (const auto& c : h.credited)
        if (h.resp_id.empty() && c.role == role) h.resp_id = c.id;
    // A reading of the source (what is illegible, uncertain or as found) is the transcriber's
    // when both a translator and a transcriber are named; the translator answers for the
    // translation's brackets (docs/decisions.md, @resp).
    for (const auto& c : h.credited)
      if (h.reading_resp_id.empty() && c.role == "transcriber") h.reading_resp_id = c.id;
    if (h.reading_resp_id.empty()) h.reading_resp_id = h.resp_id;
  }
  {
    std::string stated;
    if (const HeaderField* f = h.known("credits")) stated += collapse_space(f->text()) + "\n";
    stated += h.citation.text;
    h.licence = read_licence(stated, profile);
  }
  if (const HeaderField* f = h.known("summary")) h.source_note = read_source_note(collapse_space(f->text()), profile);
  for (const auto& f : h.fields)
    if (f.field.empty())
      sink.report(source, f.label_span.begin, Severity::Note, "unknown-field",
                  "header field '" + f.label + "' is not known; kept in notesStmt");
  return h;
}

}  // namespace teikit
