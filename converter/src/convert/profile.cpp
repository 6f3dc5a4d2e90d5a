#include "teikit/convert/profile.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "teikit/base/diagnostics.hpp"
#include "teikit/base/text_util.hpp"
#include "teikit/base/xml.hpp"

namespace teikit {

namespace {

std::vector<std::string> split_bars(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, '|'))
    if (auto t = trim(item); !t.empty()) out.push_back(t);
  return out;
}

int int_attr(xmlNode* n, const char* name) {
  const std::string v = xml::attribute(n, name);
  return v.empty() ? 0 : std::atoi(v.c_str());
}

bool read_rule(xmlNode* n, BracketRule& rule, std::string& error) {
  rule.id = xml::attribute(n, "id");
  rule.pattern_source = xml::attribute(n, "pattern");
  rule.description = collapse_space(xml::text_content(n));
  rule.canonical = xml::attribute(n, "canonical");
  const std::string action = xml::attribute(n, "action");
  if (action == "gap") rule.action = RuleAction::Gap;
  else if (action == "supplied") rule.action = RuleAction::Supplied;
  else if (action == "mark-previous") rule.action = RuleAction::MarkPrevious;
  else if (action == "pagebreak") rule.action = RuleAction::PageBreak;
  else if (action == "note") rule.action = RuleAction::Note;
  else if (action == "element") rule.action = RuleAction::Element;
  else if (action == "empty") rule.action = RuleAction::Empty;
  else if (action == "footnote") rule.action = RuleAction::Footnote;
  else {
    error = "rule '" + rule.id + "': unknown action '" + action + "'";
    return false;
  }
  rule.element = xml::attribute(n, "element");
  if (rule.action == RuleAction::Gap) rule.element = "gap";
  if (rule.action == RuleAction::Supplied) rule.element = "supplied";
  if (rule.action == RuleAction::PageBreak) rule.element = "pb";
  if (rule.action == RuleAction::Note || rule.action == RuleAction::Footnote) rule.element = "note";
  if (rule.element.empty()) {
    error = "rule '" + rule.id + "': action '" + action + "' needs element=\"…\"";
    return false;
  }
  // Attributes copied verbatim onto the TEI element.
  for (const char* fixed : {"reason", "type", "cert", "hand", "agent", "new"})
    if (auto v = xml::attribute(n, fixed); !v.empty()) rule.attributes.emplace_back(fixed, v);
  rule.content_group = int_attr(n, "group");
  rule.n_group = int_attr(n, "n-group");
  const std::string keep_desc = xml::attribute(n, "keep-desc");
  rule.keep_desc = keep_desc == "yes" || keep_desc == "unless-measure";
  rule.desc_unless_measure = keep_desc == "unless-measure";
  rule.resp = xml::attribute(n, "resp") == "yes" || xml::attribute(n, "resp") == "reading";
  rule.resp_reading = xml::attribute(n, "resp") == "reading";
  if (xml::attribute(n, "measure") == "scan") rule.quantity_group = -1;
  if (!rule.pattern_source.empty()) {
    try {
      rule.pattern = ProfileRegex("^(?:" + rule.pattern_source + ")$",
                                  std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error& e) {
      error = "rule '" + rule.id + "': bad pattern: " + e.what();
      return false;
    }
  } else if (std::strcmp(reinterpret_cast<const char*>(n->name), "default") != 0) {
    error = "rule '" + rule.id + "' has no pattern";
    return false;
  }
  return true;
}

}  // namespace

const BracketRule& Profile::classify(const std::string& content) const {
  for (const auto& rule : rules)
    if (std::regex_match(content, rule.pattern)) return rule;
  return fallback;
}

BracketMatch Profile::match_bracket(const std::string& content) const {
  return bracket_matches.get(content, [&] {
    BracketMatch m;
    m.rule = &fallback;
    std::smatch groups;
    for (const auto& rule : rules) {
      if (!std::regex_match(content, groups, rule.pattern)) continue;
      m.rule = &rule;
      for (std::size_t g = 0; g < groups.size(); ++g)
        m.groups.emplace_back(groups[g].matched ? static_cast<int>(groups.position(g)) : -1,
                              groups[g].matched ? static_cast<int>(groups.length(g)) : 0);
      break;
    }
    return m;
  });
}

namespace {

// Reports the problems of one profile text with their line and column. libxml2 gives a node's
// line only; the column is where the attribute (or the start tag) stands on that line.
class ProfileProblems {
 public:
  ProfileProblems(const std::string& text, const std::string& name, DiagnosticSink& sink)
      : text_(text), name_(name), sink_(sink) {}

  void error(xmlNode* n, const char* attr, const char* code, const std::string& message) {
    report(n, attr, Severity::Error, code, message);
    ++errors_;
  }
  void warning(xmlNode* n, const char* attr, const char* code, const std::string& message) {
    report(n, attr, Severity::Warning, code, message);
  }
  std::size_t errors() const { return errors_; }

 private:
  void report(xmlNode* n, const char* attr, Severity severity, const char* code,
              const std::string& message) {
    Diagnostic d;
    d.severity = severity;
    d.code = code;
    d.message = message;
    d.file = name_;
    if (n) {
      const long line = xmlGetLineNo(n);
      d.line = line > 0 ? static_cast<std::uint32_t>(line) : 0;
      d.column = column(d.line, n, attr);
    }
    sink_.report(std::move(d));
  }
  std::uint32_t column(std::uint32_t line, xmlNode* n, const char* attr) const {
    if (line == 0) return 0;
    std::size_t begin = 0;
    for (std::uint32_t l = 1; l < line && begin != std::string::npos; ++l) {
      begin = text_.find('\n', begin);
      if (begin != std::string::npos) ++begin;
    }
    if (begin == std::string::npos) return 0;
    const std::size_t eol = std::min(text_.find('\n', begin), text_.size());
    const std::string l = text_.substr(begin, eol - begin);
    std::size_t at = std::string::npos;
    if (attr) at = l.find(std::string(attr) + "=");
    if (at == std::string::npos && n->name)
      at = l.find("<" + std::string(reinterpret_cast<const char*>(n->name)));
    if (at == std::string::npos) at = l.find_first_not_of(" \t");
    return at == std::string::npos ? 1 : static_cast<std::uint32_t>(at + 1);
  }
  const std::string& text_;
  const std::string& name_;
  DiagnosticSink& sink_;
  std::size_t errors_ = 0;
};

std::string tag_of(xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

std::vector<xmlNode*> element_children(xmlNode* n) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  return out;
}

// The words of a list element ("of|the"), lower-cased; an element that names none is a
// problem when the section cannot work empty.
std::vector<std::string> word_list(xmlNode* n) {
  std::vector<std::string> out;
  for (auto& w : split_bars(xml::text_content(n))) out.push_back(to_lower_utf8(collapse_space(w)));
  return out;
}

std::vector<std::string> words_of(const std::string& phrase) {
  std::vector<std::string> out;
  for (auto& w : split_any(phrase, {" "}))
    if (!w.empty()) out.push_back(w);
  return out;
}

bool read_number(const std::string& s, double& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end && *end == '\0' && v >= 0;
}

bool is_language_code(const std::string& c) {
  // ISO 639-1/-2/-3 codes, optionally with a BCP 47 subtag ("de", "gsw", "zh-Hant").
  std::size_t i = 0;
  while (i < c.size() && c[i] >= 'a' && c[i] <= 'z') ++i;
  if (i < 2 || i > 3) return false;
  if (i == c.size()) return true;
  if (c[i] != '-' || i + 1 == c.size()) return false;
  for (++i; i < c.size(); ++i)
    if (!std::isalnum(static_cast<unsigned char>(c[i])) && c[i] != '-') return false;
  return true;
}

const char* const kFieldKeys[] = {"citation", "summary", "credits", "original-language", "contents"};

// Reads <correspondence> and <edition-header> (correspondents, citation parts, credits and
// licences): each child present replaces what `p` inherited.
void read_header_section(xmlNode* n, const std::string& tag, Profile& p, ProfileProblems& out) {
  auto cased = [&](xmlNode* c) {
    std::vector<std::string> v;
    for (auto& w : split_bars(xml::text_content(c)))
      if (!collapse_space(w).empty()) v.push_back(collapse_space(w));
    return v;
  };
  for (xmlNode* c : element_children(n)) {
    const std::string t = tag_of(c);
    if (tag == "correspondence" && t == "patterns") {
      p.correspondence_patterns = cased(c);
      for (const auto& pat : p.correspondence_patterns)
        if (pat.find("{sender}") == std::string::npos && pat.find("{addressee}") == std::string::npos)
          out.error(c, nullptr, "profile-bad-value",
                    "pattern '" + pat + "' has neither {sender} nor {addressee}");
    } else if (tag == "correspondence" && t == "document-words") {
      p.document_words = cased(c);
    } else if (tag == "correspondence" && t == "stops") {
      p.correspondent_stops = cased(c);
    } else if (tag == "correspondence" && t == "not-correspondents") {
      p.not_correspondents = word_list(c);
    } else if (tag == "correspondence" && t == "no-party-titles") {
      p.no_party_titles = word_list(c);
    } else if (tag == "correspondence" && t == "offices-to") {
      p.offices_to = cased(c);
    } else if (tag == "correspondence" && t == "organisation-words") {
      p.organisation_words = cased(c);
    } else if (tag == "correspondence" && t == "person-words") {
      p.person_words = cased(c);
    } else if (tag == "correspondence" && t == "particles") {
      p.name_particles = word_list(c);
    } else if (tag == "correspondence" && t == "affiliations") {
      p.affiliations = cased(c);
    } else if (tag == "correspondence" && t == "articles") {
      p.name_articles = word_list(c);
    } else if (tag == "correspondence" && t == "abbreviations") {
      p.abbreviations = cased(c);
    } else if (tag == "correspondence" && t == "place-of-writing") {
      p.place_of_writing_labels = cased(c);
    } else if (tag == "correspondence" && t == "number-words") {
      p.document_number_words = cased(c);
    } else if (tag == "correspondence" && t == "place-names") {
      p.place_names = word_list(c);
    } else if (tag == "edition-header" && t == "series-titles") {
      p.series_titles = cased(c);
    } else if (tag == "edition-header" && t == "repository-words") {
      p.repository_words = cased(c);
    } else if (tag == "edition-header" && t == "archives") {
      p.archive_prefixes.clear();
      for (xmlNode* a : element_children(c)) {
        Profile::ArchivePrefix ap{xml::attribute(a, "prefix"), collapse_space(xml::text_content(a)),
                                  xml::attribute(a, "settlement")};
        if (tag_of(a) != "archive" || ap.prefix.empty() || ap.name.empty())
          out.error(a, nullptr, "profile-bad-value", "<archive prefix=\"…\"> names an archive");
        else
          p.archive_prefixes.push_back(std::move(ap));
      }
    } else if (tag == "edition-header" && t == "source-notes") {
      p.source_note_patterns.clear();
      for (xmlNode* r : element_children(c)) {
        const std::string pattern = xml::attribute(r, "pattern");
        try {
          if (tag_of(r) != "source-note" || pattern.empty()) throw std::regex_error(std::regex_constants::error_collate);
          p.source_note_patterns.emplace_back(pattern, std::regex::ECMAScript);
        } catch (const std::regex_error&) {
          out.error(r, "pattern", "profile-bad-pattern", "<source-note pattern=\"" + pattern + "\"> is no regular expression");
        }
      }
    } else if (tag == "edition-header" && t == "locus-starts") {
      p.locus_starts = cased(c);
    } else if (tag == "edition-header" && t == "credit-roles") {
      p.credit_roles.clear();
      for (xmlNode* r : element_children(c)) {
        Profile::CreditRole cr{word_list(r), xml::attribute(r, "resp"), xml::attribute(r, "id")};
        if (tag_of(r) != "role" || cr.words.empty() || cr.resp.empty() || cr.id.empty())
          out.error(r, nullptr, "profile-bad-value", "<role resp=\"…\" id=\"…\"> lists its words");
        else
          p.credit_roles.push_back(std::move(cr));
      }
    } else if (tag == "edition-header" && t == "licences") {
      p.licences.clear();
      for (xmlNode* l : element_children(c)) {
        Profile::LicenceName ln{word_list(l), xml::attribute(l, "name"), xml::attribute(l, "target"),
                                xml::attribute(l, "status")};
        if (tag_of(l) != "licence" || ln.phrases.empty() || ln.name.empty() ||
            (ln.status != "free" && ln.status != "restricted" && ln.status != "unknown"))
          out.error(l, nullptr, "profile-bad-value",
                    "<licence name=\"…\" status=\"free|restricted|unknown\"> lists its phrases");
        else
          p.licences.push_back(std::move(ln));
      }
    } else {
      out.error(c, nullptr, "profile-unknown-element", "unknown element <" + t + "> in <" + tag + ">");
    }
  }
}

// Reads the language sections of <profile> (everything but the rules) into `p`. A section that
// is present replaces what `p` inherited; every problem is reported.
void read_language_section(xmlNode* n, const std::string& tag, Profile& p, ProfileProblems& out) {
  auto list = [&](std::vector<std::string>& into, bool may_be_empty) {
    into = word_list(n);
    if (into.empty() && !may_be_empty)
      out.error(n, nullptr, "profile-empty-list", "<" + tag + "> lists no words");
  };
  // Lists matched against the text as written (case kept: "P.S", "To").
  auto cased_list = [&](std::vector<std::string>& into) {
    into.clear();
    for (auto& w : split_bars(xml::text_content(n))) into.push_back(collapse_space(w));
    if (into.empty()) out.error(n, nullptr, "profile-empty-list", "<" + tag + "> lists no words");
  };
  auto children = [&](const char* child) {
    std::vector<xmlNode*> kids;
    for (xmlNode* c : element_children(n)) {
      if (tag_of(c) == child) kids.push_back(c);
      else out.error(c, nullptr, "profile-unknown-element",
                     "unknown element <" + tag_of(c) + "> in <" + tag + ">");
    }
    return kids;
  };
  if (tag == "salutation-starts") {
    cased_list(p.salutation_starts);
  } else if (tag == "valedictions") {
    cased_list(p.valedictions);
  } else if (tag == "label-max-length") {
    const std::string v = trim(xml::text_content(n));
    char* end = nullptr;
    const long len = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || len < 1 || len > 200)
      out.error(n, nullptr, "profile-bad-value",
                "<label-max-length> must be a whole number from 1 to 200, not '" + v + "'");
    else
      p.label_max_length = static_cast<std::size_t>(len);
  } else if (tag == "header-labels") {
    p.header_labels.clear();
    std::vector<std::string> seen;
    for (xmlNode* c : children("label")) {
      const std::string field = xml::attribute(c, "field");
      bool known = false;
      for (const char* k : kFieldKeys) known |= field == k;
      known |= field == "kind";  // optional: the document kind (document_kind.hpp)
      if (!known) {
        out.error(c, "field", "profile-bad-value",
                  "<label field=\"" + field + "\">: field is one of citation, summary, credits, "
                  "original-language, contents, kind");
        continue;
      }
      const auto names = word_list(c);
      if (names.empty()) out.error(c, nullptr, "profile-empty-list", "<label> names no label");
      for (const auto& w : names) {
        for (const auto& [other, key] : p.header_labels)
          if (other == w) out.error(c, nullptr, "profile-duplicate", "label '" + w + "' is given twice");
        p.header_labels.emplace_back(w, field);
      }
      seen.push_back(field);
    }
    for (const char* k : kFieldKeys)
      if (std::find(seen.begin(), seen.end(), k) == seen.end())
        out.warning(n, nullptr, "profile-missing-label",
                    std::string("<header-labels> has no label for the field '") + k +
                        "': that field is never recognised");
  } else if (tag == "salutation-labels") {
    cased_list(p.salutation_labels);
  } else if (tag == "contents-kinds") {
    p.contents_kinds.clear();
    for (xmlNode* c : children("kind")) {
      const std::string type = xml::attribute(c, "type");
      if (type != "translation" && type != "transcription")
        out.error(c, "type", "profile-bad-value",
                  "<kind type=\"" + type + "\">: type is translation or transcription");
      for (const auto& w : word_list(c)) p.contents_kinds.emplace_back(w, type);
    }
  } else if (tag == "document-kinds") {
    p.document_kinds.clear();
    for (xmlNode* c : children("kind")) {
      const std::string name = collapse_space(xml::attribute(c, "name"));
      if (name.empty())
        out.error(c, "name", "profile-bad-value", "<kind name=\"…\">: name is the kind's name");
      const auto cues = word_list(c);
      if (cues.empty()) out.error(c, nullptr, "profile-empty-list", "<kind> names no cue");
      for (const auto& w : cues) p.document_kinds.emplace_back(w, to_lower_utf8(name));
    }
  } else if (tag == "responsibilities") {
    p.responsibilities.clear();
    for (xmlNode* c : children("responsibility")) {
      const std::string role = xml::attribute(c, "role");
      if (role != "translator" && role != "transcriber" && role != "editor")
        out.error(c, "role", "profile-bad-value",
                  "<responsibility role=\"" + role + "\">: role is translator, transcriber or editor");
      for (auto& w : split_bars(xml::text_content(c)))
        p.responsibilities.emplace_back(collapse_space(w) + " ", role);
    }
  } else if (tag == "name-joiners") {
    p.name_separators.clear();
    for (auto& w : split_bars(xml::text_content(n))) {
      const std::string j = collapse_space(w);
      p.name_separators.push_back(", " + j + " ");
      p.name_separators.push_back(" " + j + " ");
    }
    p.name_separators.push_back(", ");
    p.name_separators.push_back("; ");
  } else if (tag == "funder-phrases" || tag == "document-numbers") {
    auto& into = tag == "funder-phrases" ? p.funder_phrases : p.document_numbers;
    into.clear();
    for (auto& w : split_bars(xml::text_content(n))) into.push_back(collapse_space(w) + " ");
  } else if (tag == "title-quotes") {
    p.title_quotes.clear();
    for (xmlNode* c : children("quote")) {
      const std::string o = xml::attribute(c, "open"), cl = xml::attribute(c, "close");
      if (o.empty() || cl.empty())
        out.error(c, nullptr, "profile-bad-value", "<quote> needs open=\"…\" and close=\"…\"");
      else
        p.title_quotes.emplace_back(o, cl);
    }
  } else if (tag == "months") {
    p.months.clear();
    const std::string letter_case = xml::attribute(n, "case");
    if (!letter_case.empty() && letter_case != "capitalised" && letter_case != "any")
      out.error(n, "case", "profile-bad-value", "<months case=\"" + letter_case + "\">: case is capitalised or any");
    p.months_capitalised = letter_case != "any";
    bool have[13] = {};
    for (xmlNode* c : children("month")) {
      const std::string v = xml::attribute(c, "n");
      char* end = nullptr;
      const long m = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || m < 1 || m > 12) {
        out.error(c, "n", "profile-bad-value", "<month n=\"" + v + "\">: n is a number from 1 to 12");
        continue;
      }
      const auto names = word_list(c);
      if (names.empty()) out.error(c, nullptr, "profile-empty-list", "<month n=\"" + v + "\"> names no month");
      for (std::string w : names) {
        Profile::MonthName name;
        name.abbreviation = w.size() > 1 && w.back() == '.';
        if (name.abbreviation) w.pop_back();
        name.word = w;
        name.month = static_cast<int>(m);
        for (const auto& other : p.months)
          if (other.word == w && other.month != m)
            out.error(c, nullptr, "profile-duplicate",
                      "'" + w + "' names month " + std::to_string(other.month) + " already");
        p.months.push_back(name);
      }
      have[m] = true;
    }
    if (p.months.empty()) out.error(n, nullptr, "profile-empty-list", "<months> names no month");
    else
      for (int m = 1; m <= 12; ++m)
        if (!have[m])
          out.error(n, nullptr, "profile-incomplete",
                    "<months> has no <month n=\"" + std::to_string(m) + "\">");
  } else if (tag == "weekdays") {
    list(p.weekdays, false);
  } else if (tag == "date-words") {
    const std::string dot = xml::attribute(n, "ordinal-dot");
    if (!dot.empty() && dot != "yes" && dot != "no")
      out.error(n, "ordinal-dot", "profile-bad-value", "ordinal-dot is yes or no");
    p.ordinal_dot = dot == "yes";
    for (auto* l : {&p.ordinal_suffixes, &p.day_month_words, &p.month_year_words, &p.date_articles,
                    &p.time_date_words, &p.date_time_words, &p.range_words})
      l->clear();
    p.range_pairs.clear();
    p.relative_months.clear();
    for (xmlNode* c : element_children(n)) {
      const std::string t = tag_of(c);
      if (t == "ordinal-suffixes") p.ordinal_suffixes = word_list(c);
      else if (t == "day-month") p.day_month_words = word_list(c);
      else if (t == "month-year") p.month_year_words = word_list(c);
      else if (t == "article") p.date_articles = word_list(c);
      else if (t == "time-date") p.time_date_words = word_list(c);
      else if (t == "date-time") p.date_time_words = word_list(c);
      else if (t == "range") p.range_words = word_list(c);
      else if (t == "between") {
        const std::string a = to_lower_utf8(trim(xml::attribute(c, "first")));
        const std::string b = to_lower_utf8(trim(xml::attribute(c, "second")));
        if (a.empty() || b.empty())
          out.error(c, nullptr, "profile-bad-value", "<between> needs first=\"…\" and second=\"…\"");
        else
          p.range_pairs.emplace_back(a, b);
      } else if (t == "relative") {
        const std::string v = xml::attribute(c, "offset");
        if (v != "0" && v != "-1" && v != "1") {
          out.error(c, "offset", "profile-bad-value", "<relative offset=\"" + v + "\">: offset is -1, 0 or 1");
          continue;
        }
        for (const auto& w : word_list(c)) p.relative_months.emplace_back(words_of(w), std::stoi(v));
      } else {
        out.error(c, nullptr, "profile-unknown-element", "unknown element <" + t + "> in <date-words>");
      }
    }
  } else if (tag == "numbers") {
    p.numbers.clear();
    for (xmlNode* c : children("number")) {
      const std::string v = xml::attribute(c, "value");
      double value = 0;
      if (v == "vague") value = -2;
      else if (!read_number(v, value)) {
        out.error(c, "value", "profile-bad-value",
                  "<number value=\"" + v + "\">: value is a number (2, 0.5) or vague");
        continue;
      }
      for (const auto& w : word_list(c)) p.numbers.emplace_back(w, value);
    }
  } else if (tag == "units") {
    p.units.clear();
    for (xmlNode* c : children("unit")) {
      const std::string unit = xml::attribute(c, "value");
      if (unit.empty()) out.error(c, nullptr, "profile-bad-value", "<unit> needs value=\"…\" (the TEI unit)");
      for (const char* form : {"singular", "plural"})
        for (auto& w : split_bars(xml::attribute(c, form)))
          p.units.push_back({to_lower_utf8(collapse_space(w)), unit, form[0] == 'p'});
    }
  } else if (tag == "measure-bounds") {
    p.measure_bounds.clear();
    for (xmlNode* c : children("bound")) {
      const std::string type = xml::attribute(c, "type");
      if (type != "atMost" && type != "atLeast")
        out.error(c, "type", "profile-bad-value", "<bound type=\"" + type + "\">: type is atMost or atLeast");
      for (const auto& w : word_list(c)) p.measure_bounds.emplace_back(words_of(w), type);
    }
  } else if (tag == "measure-words") {
    list(p.measure_words, true);
  } else if (tag == "subject-labels") {
    list(p.subject_labels, false);
  } else if (tag == "addressee-labels") {
    list(p.addressee_labels, true);
  } else if (tag == "addressee-stops") {
    p.addressee_stops.clear();
    for (auto& w : split_bars(xml::text_content(n))) p.addressee_stops.push_back(" " + collapse_space(w));
  } else if (tag == "postscript-cues") {
    cased_list(p.postscript_cues);
  } else if (tag == "valediction-leads") {
    cased_list(p.valediction_leads);
  } else if (tag == "on-behalf-cues") {
    cased_list(p.on_behalf_cues);
  } else if (tag == "closing-phrases") {
    cased_list(p.closing_phrases);
  } else if (tag == "heading-joiners") {
    p.heading_joiners.clear();
    for (auto& w : split_bars(xml::text_content(n))) p.heading_joiners.push_back(" " + collapse_space(w) + " ");
  } else if (tag == "dateline-particles") {
    list(p.dateline_particles, true);
  } else if (tag == "signature-particles") {
    list(p.signature_particles, true);
  } else if (tag == "signature-brackets") {
    p.signature_bracket_rules.clear();
    for (auto& id : split_bars(xml::text_content(n))) {
      id = collapse_space(id);
      bool known = false;
      for (const auto& r : p.rules) known |= r.id == id;
      if (!known)
        out.error(n, nullptr, "profile-bad-value",
                  "<signature-brackets> names '" + id + "', which is no rule of this profile");
      p.signature_bracket_rules.push_back(id);
    }
  } else if (tag == "parenthesised-notes") {
    // Note rules that also apply to a parenthesis: "(Received November 9, 1870.)".
    p.parenthesised_rules.clear();
    p.parenthesis_open = xml::attribute(n, "open").empty() ? "(" : xml::attribute(n, "open");
    p.parenthesis_close = xml::attribute(n, "close").empty() ? ")" : xml::attribute(n, "close");
    if (p.parenthesis_open == p.parenthesis_close)
      out.error(n, "open", "profile-delimiters", "<parenthesised-notes> needs two different delimiters");
    for (auto& id : split_bars(xml::text_content(n))) {
      bool note_rule = false;
      for (const auto& r : p.rules) note_rule |= r.id == id && r.action == RuleAction::Note;
      if (!note_rule)
        out.error(n, nullptr, "profile-bad-value",
                  "<parenthesised-notes> names '" + id + "', which is no note rule of this profile");
      p.parenthesised_rules.push_back(id);
    }
  } else if (tag == "footnotes") {
    p.footnote_headings.clear();
    p.footnote_rule_characters.clear();
    p.footnote_rule_length = 3;
    for (xmlNode* c : element_children(n)) {
      const std::string t = tag_of(c);
      if (t == "headings") {
        p.footnote_headings = word_list(c);
      } else if (t == "rule-line") {
        for (auto& ch : split_bars(xml::text_content(c))) p.footnote_rule_characters.push_back(ch);
        const std::string len = xml::attribute(c, "min-length");
        if (!len.empty()) {
          const long v = std::atol(len.c_str());
          if (v < 1 || v > 200) out.error(c, "min-length", "profile-bad-value", "min-length is a number from 1 to 200");
          else p.footnote_rule_length = static_cast<std::size_t>(v);
        }
      } else {
        out.error(c, nullptr, "profile-unknown-element", "unknown element <" + t + "> in <footnotes>");
      }
    }
  } else if (tag == "inline-field-labels") {
    cased_list(p.inline_field_labels);
  } else if (tag == "address-cues") {
    cased_list(p.address_cues);
  } else if (tag == "reference-labels") {
    cased_list(p.reference_labels);
  } else if (tag == "distribution-labels") {
    cased_list(p.distribution_labels);
  } else if (tag == "copy-lines") {
    p.copy_line_patterns.clear();
    for (xmlNode* r : element_children(n)) {
      const std::string pattern = xml::attribute(r, "pattern");
      try {
        if (tag_of(r) != "copy-line" || pattern.empty()) throw std::regex_error(std::regex_constants::error_collate);
        p.copy_line_patterns.emplace_back(pattern, std::regex::ECMAScript | std::regex::icase);
      } catch (const std::regex_error&) {
        out.error(r, "pattern", "profile-bad-pattern", "<copy-line pattern=\"" + pattern + "\"> is no regular expression");
      }
    }
  } else if (tag == "languages") {
    p.languages.clear();
    p.language_names.clear();
    for (xmlNode* c : children("language")) {
      const std::string code = xml::attribute(c, "code");
      const auto written = split_bars(xml::text_content(c));
      if (!written.empty()) p.language_names.emplace_back(code, collapse_space(written.front()));
      if (!is_language_code(code))
        out.error(c, "code", "profile-bad-value",
                  "<language code=\"" + code + "\">: not an ISO 639 code (two or three small letters)");
      for (const auto& w : word_list(c)) {
        for (const auto& [other, oc] : p.languages)
          if (other == w && oc != code)
            out.error(c, nullptr, "profile-duplicate", "language name '" + w + "' is given twice");
        p.languages.emplace_back(w, code);
      }
    }
  } else if (tag == "correspondence" || tag == "edition-header") {
    read_header_section(n, tag, p, out);
  } else {
    out.error(n, nullptr, "profile-unknown-element", "unknown element <" + tag + "> in profile");
  }
}

std::shared_ptr<const Profile> parse_profile_into(const std::string& xml_text,
                                                  const std::string& name, const Profile* base,
                                                  DiagnosticSink& sink) {
  const xml::SettingsScope settings;
  ProfileProblems out(xml_text, name, sink);
  std::string error;
  xml::DocPtr doc = xml::parse_memory(xml_text, name, error);
  if (!doc) {
    // "line N: message" from the reader.
    Diagnostic d{Severity::Error, "profile-not-xml", error, name, 0, 0};
    if (starts_with(error, "line ")) {
      d.line = static_cast<std::uint32_t>(std::atoi(error.c_str() + 5));
      if (auto colon = error.find(": "); colon != std::string::npos) d.message = error.substr(colon + 2);
    }
    sink.report(std::move(d));
    return nullptr;
  }
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root || tag_of(root) != "profile") {
    out.error(root, nullptr, "profile-root", "the root element of a profile must be <profile>");
    return nullptr;
  }
  auto profile = std::make_shared<Profile>();
  if (base) *profile = *base;  // the language sections a profile leaves out
  profile->rules.clear();
  profile->fallback = BracketRule{};
  profile->title.clear();
  profile->description.clear();
  profile->open = "[";
  profile->close = "]";
  profile->text_language.clear();
  profile->name = xml::attribute(root, "name");
  if (profile->name.empty()) out.error(root, nullptr, "profile-bad-value", "<profile> needs name=\"…\"");
  if (auto o = xml::attribute(root, "open"); !o.empty()) profile->open = o;
  if (auto c = xml::attribute(root, "close"); !c.empty()) profile->close = c;
  if (auto l = xml::attribute(root, "language"); !l.empty()) {
    if (!is_language_code(l)) out.error(root, "language", "profile-bad-value", "language=\"" + l + "\" is not an ISO 639 code");
    profile->language = l;
  }
  if (auto l = xml::attribute(root, "text-language"); !l.empty()) {
    if (!is_language_code(l))
      out.error(root, "text-language", "profile-bad-value", "text-language=\"" + l + "\" is not an ISO 639 code");
    profile->text_language = l;
  }
  bool have_default = false;
  std::vector<std::string> ids;
  auto check_id = [&](xmlNode* n, const BracketRule& rule) {
    if (rule.id.empty()) out.error(n, nullptr, "profile-bad-value", "a rule needs id=\"…\"");
    else if (std::find(ids.begin(), ids.end(), rule.id) != ids.end())
      out.error(n, "id", "profile-duplicate-id", "rule id '" + rule.id + "' is used twice");
    ids.push_back(rule.id);
  };
  for (xmlNode* n : element_children(root)) {
    const std::string tag = tag_of(n);
    if (tag == "title") {
      profile->title = collapse_space(xml::text_content(n));
    } else if (tag == "description") {
      profile->description = collapse_space(xml::text_content(n));
    } else if (tag == "rule" || tag == "default") {
      BracketRule rule;
      std::string rule_error;
      if (!read_rule(n, rule, rule_error)) {
        const char* code = rule_error.find("unknown action") != std::string::npos ? "profile-unknown-action"
                           : rule_error.find("bad pattern") != std::string::npos  ? "profile-bad-pattern"
                                                                                  : "profile-bad-rule";
        const char* attr = rule_error.find("action") != std::string::npos ? "action" : "pattern";
        out.error(n, attr, code, rule_error);
        continue;
      }
      check_id(n, rule);
      if (tag == "default") {
        if (have_default) out.error(n, nullptr, "profile-duplicate", "a profile has one <default> rule");
        profile->fallback = std::move(rule);
        have_default = true;
      } else {
        profile->rules.push_back(std::move(rule));
      }
    } else {
      read_language_section(n, tag, *profile, out);
    }
  }
  if (!have_default) out.error(root, nullptr, "profile-no-default", "a profile needs a <default> rule");
  if (profile->open.empty() || profile->close.empty() || profile->open == profile->close)
    out.error(root, "open", "profile-delimiters", "a profile needs two different delimiters (open, close)");
  if (out.errors() > 0) return nullptr;
  return profile;
}

}  // namespace

std::string Profile::field_of(const std::string& label) const {
  const std::string key = to_lower_utf8(collapse_space(label));
  for (const auto& [l, field] : header_labels)
    if (l == key) return field;
  return "";
}

std::string Profile::language_code(const std::string& language_name) const {
  const std::string key = to_lower_utf8(trim(language_name));
  for (const auto& [n, code] : languages)
    if (key == n) return code;
  return "";
}

std::shared_ptr<const Profile> parse_profile(const std::string& xml_text, const std::string& name,
                                             DiagnosticSink& sink) {
  return parse_profile_into(xml_text, name, default_profile().get(), sink);
}

std::shared_ptr<const Profile> parse_profile(const std::string& xml_text, const std::string& name,
                                             std::string& error) {
  DiagnosticSink sink;
  auto p = parse_profile(xml_text, name, sink);
  if (!p)
    for (const auto& d : sink.diagnostics())
      if (d.severity == Severity::Error) {
        error = (d.line ? "line " + std::to_string(d.line) + ": " : std::string()) + d.message;
        break;
      }
  return p;
}

std::shared_ptr<const Profile> load_profile_file(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read profile " + path;
    return nullptr;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_profile(buffer.str(), path, error);
}

extern const char* const kDefaultProfileXml;  // generated from profiles/archive-translation.xml
extern const char* const kGermanProfileXml;   // generated from profiles/de-archive.xml

namespace {
struct Builtin {
  const char* name;
  const char* const* xml;
};
const Builtin kBuiltins[] = {{"archive-translation", &kDefaultProfileXml},
                             {"de-archive", &kGermanProfileXml}};
}  // namespace

std::vector<std::string> builtin_profile_names() {
  std::vector<std::string> names;
  for (const auto& b : kBuiltins) names.emplace_back(b.name);
  return names;
}

const char* builtin_profile_xml(const std::string& name) {
  for (const auto& b : kBuiltins)
    if (name == b.name) return *b.xml;
  return nullptr;
}

std::shared_ptr<const Profile> default_profile() {
  static const std::shared_ptr<const Profile> profile = [] {
    DiagnosticSink sink;
    auto p = parse_profile_into(kDefaultProfileXml, "archive-translation.xml", nullptr, sink);
    if (!p) {
      std::string why;
      for (const auto& d : sink.diagnostics()) why += "line " + std::to_string(d.line) + ": " + d.message + "; ";
      throw std::runtime_error("built-in profile does not load: " + why);
    }
    return p;
  }();
  return profile;
}

std::shared_ptr<const Profile> builtin_profile(const std::string& name) {
  if (name == "archive-translation") return default_profile();
  if (name == "de-archive") {
    static const std::shared_ptr<const Profile> german = [] {
      std::string error;
      auto p = parse_profile(kGermanProfileXml, "de-archive.xml", error);
      if (!p) throw std::runtime_error("built-in profile de-archive does not load: " + error);
      return p;
    }();
    return german;
  }
  return nullptr;
}

}  // namespace teikit
