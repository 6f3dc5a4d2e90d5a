#include "teikit/convert/header.hpp"

#include <algorithm>
#include <cctype>

#include "teikit/base/diagnostics.hpp"
#include "teikit/base/text_util.hpp"
#include "teikit/convert/profile.hpp"

namespace teikit {

namespace {

// "Citation:" alone on its line (ENCODING.md §1: each label on its own line). Labels are short
// (the profile's label-max-length), start with a capital letter and hold letters, spaces and a
// few joiners; a label of the profile is one whatever its letters ("Résumé:").
bool label_of(const Block& b, std::string& label, const Profile& profile) {
  const std::string& t = b.text;
  if (t.size() < 2 || t.size() - 1 > profile.label_max_length || t.back() != ':' ||
      t.find('\n') != std::string::npos)
    return false;
  if (!profile.field_of(t.substr(0, t.size() - 1)).empty()) {
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
  return c;
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

Header parse_header(const SourceText& source, std::vector<Block>& blocks,
                    std::size_t& body_start, DiagnosticSink& sink) {
  return parse_header(source, blocks, body_start, sink, *default_profile());
}

Header parse_header(const SourceText& source, std::vector<Block>& blocks,
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
  for (const auto& f : h.fields)
    if (f.field.empty())
      sink.report(source, f.label_span.begin, Severity::Note, "unknown-field",
                  "header field '" + f.label + "' is not known; kept in notesStmt");
  return h;
}

}  // namespace teikit
