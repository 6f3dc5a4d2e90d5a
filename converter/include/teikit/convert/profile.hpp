// A profile: the bracket conventions of one archive, as data (ENCODING.md §4 and §6).
//
// A profile is an XML file (see converter/profiles/archive-translation.xml and
// docs/profiles.md). Each rule has a regular expression matched against the text between the
// brackets (case-insensitively, whole content) and an action saying which TEI it becomes. The
// first matching rule wins; the profile's `default` rule applies when none matches.
#pragma once

#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace teikit {

class DiagnosticSink;

/// What a matched bracket becomes.
enum class RuleAction {
  Gap,          ///< <gap reason=…> with optional quantity/unit and <desc>
  Supplied,     ///< <supplied> holding the bracket content
  MarkPrevious, ///< wraps the preceding token (e.g. [sic] → <sic>, [?] → <unclear>)
  PageBreak,    ///< <pb n=…/>
  Note,         ///< <note type=…> holding the bracket content
  Element,      ///< any other element holding the content (seg, stamp, add)
};

/// One convention of a profile.
struct BracketRule {
  std::string id;              ///< stable name, used in editorialDecl and diagnostics
  std::string pattern_source;  ///< the regular expression as written in the profile
  std::regex pattern;          ///< compiled, ECMAScript, case-insensitive
  RuleAction action = RuleAction::Supplied;  ///< what to produce
  std::string element;         ///< TEI element name for MarkPrevious/Element/Note
  std::vector<std::pair<std::string, std::string>> attributes;  ///< fixed attributes to set
  int content_group = 0;       ///< regex group holding the content to keep (0 = all)
  int quantity_group = 0;      ///< regex group holding a quantity ("2", "three", "1½")
  int unit_group = 0;          ///< regex group holding a unit ("words", "lines")
  int n_group = 0;             ///< regex group holding @n (page breaks)
  bool keep_desc = false;      ///< gap: keep the bracket wording in <desc>
  bool desc_unless_measure = false;  ///< gap: …unless the wording is only a measure ("2 words")
  bool resp = false;           ///< set @resp to the translator when the header names one
  bool dates = false;          ///< look for dates inside (received notes)
  std::string canonical;       ///< canonical notation for the round trip, e.g. "[...]"
  std::string description;     ///< prose for editorialDecl
};

/// A loaded profile.
struct Profile {
  std::string name;          ///< e.g. "archive-translation"
  std::string title;         ///< one line for people
  std::string description;   ///< prose for editorialDecl
  std::string open = "[";    ///< opening delimiter
  std::string close = "]";   ///< closing delimiter
  std::vector<BracketRule> rules;  ///< in priority order
  BracketRule fallback;            ///< applied when no rule matches
  std::vector<std::string> salutation_starts;  ///< words that open a salutation ("Dear", "Sir")
  std::vector<std::string> valedictions;       ///< words of a closing formula ("yours")

  /// The first rule matching `content`, or `fallback`.
  const BracketRule& classify(const std::string& content) const;
};

/// Loads a profile from XML text. Errors (unknown action, bad regex) are returned as a message
/// in `error` and the result is null.
std::shared_ptr<const Profile> parse_profile(const std::string& xml_text, const std::string& name,
                                             std::string& error);

/// Loads a profile file from disk; see parse_profile.
std::shared_ptr<const Profile> load_profile_file(const std::string& path, std::string& error);

/// The built-in default profile (ENCODING.md §4), compiled into the library from
/// converter/profiles/archive-translation.xml so the executable works without its data files.
std::shared_ptr<const Profile> default_profile();

}  // namespace teikit
