#include "teikit/convert/profile.hpp"

#include <cstring>
#include <fstream>
#include <sstream>

#include "teikit/base/xml.hpp"

namespace teikit {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string collapse_space(const std::string& s) {
  std::string r;
  bool space = false;
  for (char c : trim(s)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
    } else {
      if (space && !r.empty()) r += ' ';
      space = false;
      r += c;
    }
  }
  return r;
}

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
  else {
    error = "rule '" + rule.id + "': unknown action '" + action + "'";
    return false;
  }
  rule.element = xml::attribute(n, "element");
  if (rule.action == RuleAction::Gap) rule.element = "gap";
  if (rule.action == RuleAction::Supplied) rule.element = "supplied";
  if (rule.action == RuleAction::PageBreak) rule.element = "pb";
  if (rule.action == RuleAction::Note) rule.element = "note";
  if (rule.element.empty()) {
    error = "rule '" + rule.id + "': action '" + action + "' needs element=\"…\"";
    return false;
  }
  // Attributes copied verbatim onto the TEI element.
  for (const char* fixed : {"reason", "type", "cert", "hand", "agent"})
    if (auto v = xml::attribute(n, fixed); !v.empty()) rule.attributes.emplace_back(fixed, v);
  rule.content_group = int_attr(n, "group");
  rule.n_group = int_attr(n, "n-group");
  const std::string keep_desc = xml::attribute(n, "keep-desc");
  rule.keep_desc = keep_desc == "yes" || keep_desc == "unless-measure";
  rule.desc_unless_measure = keep_desc == "unless-measure";
  rule.resp = xml::attribute(n, "resp") == "yes";
  rule.dates = xml::attribute(n, "dates") == "yes";
  if (xml::attribute(n, "measure") == "scan") rule.quantity_group = -1;
  if (!rule.pattern_source.empty()) {
    try {
      rule.pattern = std::regex("^(?:" + rule.pattern_source + ")$",
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

std::shared_ptr<const Profile> parse_profile(const std::string& xml_text, const std::string& name,
                                             std::string& error) {
  const xml::SettingsScope settings;
  xml::DocPtr doc = xml::parse_memory(xml_text, name, error);
  if (!doc) return nullptr;
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root || std::strcmp(reinterpret_cast<const char*>(root->name), "profile") != 0) {
    error = "the root element of a profile must be <profile>";
    return nullptr;
  }
  auto profile = std::make_shared<Profile>();
  profile->name = xml::attribute(root, "name");
  if (auto o = xml::attribute(root, "open"); !o.empty()) profile->open = o;
  if (auto c = xml::attribute(root, "close"); !c.empty()) profile->close = c;
  bool have_default = false;
  for (xmlNode* n = root->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    const std::string tag = reinterpret_cast<const char*>(n->name);
    if (tag == "title") {
      profile->title = collapse_space(xml::text_content(n));
    } else if (tag == "description") {
      profile->description = collapse_space(xml::text_content(n));
    } else if (tag == "rule") {
      BracketRule rule;
      if (!read_rule(n, rule, error)) return nullptr;
      profile->rules.push_back(std::move(rule));
    } else if (tag == "default") {
      if (!read_rule(n, profile->fallback, error)) return nullptr;
      have_default = true;
    } else if (tag == "salutation-starts") {
      profile->salutation_starts = split_bars(xml::text_content(n));
    } else if (tag == "valedictions") {
      profile->valedictions = split_bars(xml::text_content(n));
    } else {
      error = "unknown element <" + tag + "> in profile";
      return nullptr;
    }
  }
  if (!have_default) {
    error = "a profile needs a <default> rule";
    return nullptr;
  }
  if (profile->open.empty() || profile->close.empty() || profile->open == profile->close) {
    error = "a profile needs two different delimiters (open, close)";
    return nullptr;
  }
  return profile;
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

std::shared_ptr<const Profile> default_profile() {
  static const std::shared_ptr<const Profile> profile = [] {
    std::string error;
    auto p = parse_profile(kDefaultProfileXml, "archive-translation.xml", error);
    if (!p) throw std::runtime_error("built-in profile does not load: " + error);
    return p;
  }();
  return profile;
}

}  // namespace teikit
