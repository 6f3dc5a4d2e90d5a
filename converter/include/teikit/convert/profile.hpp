// A profile: the bracket conventions of one archive, as data (ENCODING.md §4 and §6).
//
// A profile is an XML file (see converter/profiles/archive-translation.xml and
// docs/profiles.md). Each rule has a regular expression matched against the text between the
// brackets (case-insensitively, whole content) and an action saying which TEI it becomes. The
// first matching rule wins; the profile's `default` rule applies when none matches.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

namespace teikit {

class DiagnosticSink;

/// The regular-expression traits of a profile's patterns: std::regex_traits<char> with the
/// locale's ctype and collate facets looked up once (at imbue) instead of on every call.
/// std::regex_traits<char> looks the facet up per character (use_facet, a dynamic_cast each):
/// a case-insensitive pattern paid it for every character it compared, and compiling one paid
/// it 256 times per bracket expression (the matcher's table of every byte). Same results: the
/// same facets do the same work.
class ProfileRegexTraits : public std::regex_traits<char> {
 public:
  ProfileRegexTraits() { cache_facets(); }
  ProfileRegexTraits(const ProfileRegexTraits& other) : std::regex_traits<char>(other) {
    cache_facets();
  }
  ProfileRegexTraits& operator=(const ProfileRegexTraits& other) {
    std::regex_traits<char>::operator=(other);
    cache_facets();
    return *this;
  }
  /// Imbues `loc` and looks its facets up; returns the previous locale.
  locale_type imbue(locale_type loc) {
    locale_type old = std::regex_traits<char>::imbue(loc);
    cache_facets();
    return old;
  }
  /// The lower-case form of `c` (as std::regex_traits<char>::translate_nocase).
  char_type translate_nocase(char_type c) const { return ctype_->tolower(c); }
  /// The collation key of [first, last) (as std::regex_traits<char>::transform).
  template <class FwdIt>
  string_type transform(FwdIt first, FwdIt last) const {
    const string_type s(first, last);
    return collate_->transform(s.data(), s.data() + s.size());
  }
  /// The primary collation key of [first, last): lower-cased, then transformed (as
  /// std::regex_traits<char>::transform_primary).
  template <class FwdIt>
  string_type transform_primary(FwdIt first, FwdIt last) const {
    string_type s(first, last);
    ctype_->tolower(s.data(), s.data() + s.size());
    return collate_->transform(s.data(), s.data() + s.size());
  }

 private:
  void cache_facets() {
    // getloc() is a copy of the traits' own locale: the facets it hands out live as long as
    // that locale does.
    const locale_type loc = getloc();
    ctype_ = &std::use_facet<std::ctype<char>>(loc);
    collate_ = &std::use_facet<std::collate<char>>(loc);
  }
  const std::ctype<char>* ctype_ = nullptr;      // facets of the traits' locale, which keeps them alive
  const std::collate<char>* collate_ = nullptr;
};

/// A compiled pattern of a profile.
using ProfileRegex = std::basic_regex<char, ProfileRegexTraits>;

/// What a matched bracket becomes.
enum class RuleAction {
  Gap,          ///< <gap reason=…> with optional quantity/unit and <desc>
  Supplied,     ///< <supplied> holding the bracket content
  MarkPrevious, ///< wraps the preceding token (e.g. [sic] → <sic>, [?] → <unclear>)
  PageBreak,    ///< <pb n=…/>
  Note,         ///< <note type=…> holding the bracket content
  Element,      ///< any other element holding the content (seg, stamp, add)
  Empty,        ///< an empty element in place of the bracket (handShift)
  Footnote,     ///< a footnote mark "[1]": the note found after the text (footnotes.hpp)
};

/// One convention of a profile.
struct BracketRule {
  std::string id;              ///< stable name, used in editorialDecl and diagnostics
  std::string pattern_source;  ///< the regular expression as written in the profile
  ProfileRegex pattern;        ///< compiled, ECMAScript, case-insensitive
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
  /// resp="reading": the intervention is a reading of the source (illegible, unclear, sic), so
  /// @resp goes to the transcriber when the header names one besides the translator.
  bool resp_reading = false;
  std::string canonical;       ///< canonical notation for the round trip, e.g. "[...]"
  std::string description;     ///< prose for editorialDecl
};

/// A bracket content classified: the rule that matched and where its pattern's groups are.
struct BracketMatch {
  const BracketRule* rule = nullptr;  ///< the first rule matching, or the profile's fallback
  /// Group k of the rule's pattern (0: the whole content) as {offset, length} in the content;
  /// offset -1 when the group took no part in the match. Empty for the fallback.
  std::vector<std::pair<int, int>> groups;
  /// Group g's text, or "" when it did not match or the pattern has no such group.
  std::string group(const std::string& content, std::size_t g) const {
    if (g >= groups.size() || groups[g].first < 0) return "";
    return content.substr(static_cast<std::size_t>(groups[g].first),
                          static_cast<std::size_t>(groups[g].second));
  }
};

/// Remembers classifications of bracket contents (they repeat: "[...]", "[sic]"). A copy starts
/// empty: a copied profile may be given other rules. Safe to use from several threads.
class BracketMatchCache {
 public:
  BracketMatchCache() = default;
  BracketMatchCache(const BracketMatchCache&) {}
  BracketMatchCache& operator=(const BracketMatchCache&) {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.clear();
    return *this;
  }
  /// The entry for `content`, computed with `compute` when absent (kept while the cache holds
  /// fewer than kMaxEntries contents).
  template <class Compute>
  BracketMatch get(const std::string& content, Compute compute) const {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = entries_.find(content); it != entries_.end()) return it->second;
    }
    BracketMatch m = compute();
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.size() < kMaxEntries) entries_.emplace(content, m);
    return m;
  }
  static constexpr std::size_t kMaxEntries = 4096;  ///< bounds the memory of distinct contents

 private:
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, BracketMatch> entries_;
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

  // The language knowledge of the profile (docs/profiles.md). A user's profile that leaves a
  // section out inherits it from the built-in default profile.
  std::string language;       ///< ISO 639 code of the profile's vocabulary ("en", "de")
  std::string text_language;  ///< ISO 639 code of the text when the header names none ("" = und)
  std::size_t label_max_length = 0;  ///< the longest label ("Citation", "To") in bytes
  /// Header labels as written (lower-cased) → field key ("citation", "summary", "credits",
  /// "original-language", "contents").
  std::vector<std::pair<std::string, std::string>> header_labels;
  std::vector<std::string> salutation_labels;  ///< label-shaped salutations ("Dear Sir:")
  /// First word of a Contents line (lower-cased) → "translation" or "transcription".
  std::vector<std::pair<std::string, std::string>> contents_kinds;
  /// A cue of a document kind in a title (lower-cased, "memorandum of conversation") → the
  /// kind it names ("record of conversation"); document_kind.hpp.
  std::vector<std::pair<std::string, std::string>> document_kinds;
  /// "Translated by" → "translator" (the phrase with a trailing space).
  std::vector<std::pair<std::string, std::string>> responsibilities;
  std::vector<std::string> name_separators;  ///< between names: ", and ", " and ", ", ", "; "
  std::vector<std::string> funder_phrases;   ///< "with support from " (Credits)
  std::vector<std::string> document_numbers; ///< "Document " (a citation's document number)
  std::vector<std::pair<std::string, std::string>> title_quotes;  ///< open, close
  /// A month name (lower-cased) and its number; an abbreviation absorbs a following full stop.
  struct MonthName {
    std::string word;           ///< lower-cased
    int month = 0;              ///< 1–12
    bool abbreviation = false;  ///< written with a full stop in the profile ("Sept.")
  };
  std::vector<MonthName> months;       ///< every spelling of every month
  bool months_capitalised = true;      ///< a month name counts only capitalised ("April", not "april")
  std::vector<std::string> weekdays;   ///< lower-cased; may stand before a date line's date
  /// Ordinal suffixes after a day ("st", "th"); "2d" means "d" after a number ending in 2.
  std::vector<std::string> ordinal_suffixes;
  bool ordinal_dot = false;  ///< "29. März": a full stop right after a day makes it ordinal
  std::vector<std::string> day_month_words;   ///< "29th of April" ("of")
  std::vector<std::string> month_year_words;  ///< "29 de abril de 1962" ("de")
  std::vector<std::string> date_articles;     ///< "the 29th" ("the"; "am", "den")
  std::vector<std::string> time_date_words;   ///< "6 p.m. on the 29th" ("on")
  std::vector<std::string> date_time_words;   ///< "April 29 at 9 p.m." ("at")
  std::vector<std::string> range_words;       ///< "10 to 12 March" ("to")
  std::vector<std::pair<std::string, std::string>> range_pairs;  ///< "between" … "and"
  /// Words after a day alone that place it relative to the document's month ("instant" → 0,
  /// "ultimo" → -1, "of next month" → 1); each as its lower-cased words.
  std::vector<std::pair<std::vector<std::string>, int>> relative_months;
  std::vector<std::pair<std::string, double>> numbers;  ///< "three" → 3; -2: vague ("several")
  /// A unit word (lower-cased) → TEI unit ("word", "line", "char"…), and whether it is plural.
  struct UnitWord {
    std::string word;
    std::string unit;
    bool plural = false;
  };
  std::vector<UnitWord> units;
  /// Words before a number that make it a bound ("less than" → atMost), as lower-cased words.
  std::vector<std::pair<std::vector<std::string>, std::string>> measure_bounds;
  std::vector<std::string> measure_words;  ///< may stand in a bare measure ("illegible")
  std::vector<std::string> subject_labels;    ///< "Subject", "Re"
  std::vector<std::string> addressee_labels;  ///< lower-cased, "to" (correspDesc addressee)
  std::vector<std::string> addressee_stops;   ///< " Level:" ends the addressee of a To: line
  std::vector<std::string> postscript_cues;   ///< "P.S", "Postscript"
  /// Words opening the first lines of a closing formula of several lines or blocks ("I am,",
  /// "Believe me", "I have the honour to be"), as written, matched case-insensitively.
  std::vector<std::string> valediction_leads;
  /// Words opening a line under a signature that signs for someone else ("For Robert
  /// Hamilton", "p.p.", "i. A."), as written, matched case-insensitively.
  std::vector<std::string> on_behalf_cues;
  /// Short phrases after the signature that are a postscript, never the signature ("Excuse
  /// haste", "In haste"), as written, matched case-insensitively.
  std::vector<std::string> closing_phrases;
  std::vector<std::string> heading_joiners;   ///< " to " of "Jules Favre to Mr. Washburne."
  std::vector<std::string> dateline_particles;   ///< small words of a place ("of", "the")
  std::vector<std::string> signature_particles;  ///< small words of a name ("van", "von")
  /// Ids of bracket rules that mark a signature or seal ("signature-note", "seal"): a short last
  /// block whose last line holds one of them, with a name or office, is the closer's signed.
  std::vector<std::string> signature_bracket_rules;
  // Letters and cables as the Guidelines structure them (docs/profiles.md).
  /// Field labels that may follow another field on its line, as written ("Level": "To: A
  /// Level: Urgent" is two segs).
  std::vector<std::string> inline_field_labels;
  /// Words (as written) of an address panel's first block ("Revd", "Care of", "Esqr."): short
  /// blocks at the end of the text from one holding such a word are ab[@type='address'].
  std::vector<std::string> address_cues;
  /// Words before a number that make an opener line a reference line ("No.", "Telegram No."),
  /// as written, matched case-insensitively: "No. 308.]" is seg[@type='reference'].
  std::vector<std::string> reference_labels;
  /// Words opening a distribution or reading list at the end of the text ("Copies", "Seen by"),
  /// as written, matched case-insensitively: note[@type='distribution']/list in the closer.
  std::vector<std::string> distribution_labels;
  /// Copy-count and copy lines of a distribution list without a label ("5. Comr. Copy",
  /// "Printed in 5 copies"): each pattern matches a whole line, case-insensitively.
  std::vector<ProfileRegex> copy_line_patterns;
  std::vector<std::pair<std::string, std::string>> languages;  ///< lower-cased name → code
  std::vector<std::pair<std::string, std::string>> language_names;  ///< code → first name as written

  // Notes outside the brackets and footnotes (ENCODING.md §4, §5; docs/profiles.md).
  /// Ids of note rules that also apply to a parenthesis whose whole content they match
  /// ("(Received November 9, 1870.)" with the rule "received").
  std::vector<std::string> parenthesised_rules;
  std::string parenthesis_open = "(";   ///< opening delimiter of a parenthesised note
  std::string parenthesis_close = ")";  ///< closing delimiter of a parenthesised note
  /// Lower-cased headings of a notes area after the text ("notes", "footnotes").
  std::vector<std::string> footnote_headings;
  /// The characters of a rule line above the notes ("_", "-", "—"), as written.
  std::vector<std::string> footnote_rule_characters;
  std::size_t footnote_rule_length = 3;  ///< at least this many of them make a rule line
  // Correspondents and the edition's header (<correspondence>, <edition-header>; docs/profiles.md).
  /// Title/summary patterns with the slots {doc}, {sender}, {addressee} ("{doc} from {sender} to
  /// {addressee}"); a pattern without {doc} is tried on the title only.
  std::vector<std::string> correspondence_patterns;
  std::vector<std::string> document_words;      ///< what {doc} matches ("Letter", "Telegram"), as written
  std::vector<std::string> correspondent_stops; ///< end a name (", '", "on behalf of"), as written
  std::vector<std::string> not_correspondents;  ///< lower-cased; "the Record" of "Memorandum for the Record"
  /// Lower-cased; a title opening with one of these words is no correspondence ("Journal of the
  /// Ambassador to the DPRK …"): the patterns without {doc} are not tried on it.
  std::vector<std::string> no_party_titles;
  /// As written; an office named with "to" ("the Ambassador to the DPRK", "the Mission to the
  /// United Nations"): a sender ending in one does not end at that "to".
  std::vector<std::string> offices_to;
  std::vector<std::string> organisation_words;  ///< a name holding one is an orgName ("Ministry")
  std::vector<std::string> person_words;        ///< an addressee line holding one names a person ("Comrade")
  std::vector<std::string> name_particles;      ///< lower-case words inside a name ("of", "the")
  std::vector<std::string> affiliations;        ///< "of the": "J.C. Esterline of the CIA" is J.C. Esterline
  std::vector<std::string> name_articles;       ///< lower-cased; left off a name ("the")
  std::vector<std::string> abbreviations;       ///< a full stop that ends no sentence ("Mr.")
  std::vector<std::string> place_of_writing_labels;  ///< "Place of writing" (summary)
  std::vector<std::string> document_number_words;  ///< "No.": "Telegram No. 3345 from …"
  /// Lower-cased; a party that is one of these names a place, not a correspondent ("Telegram
  /// from Beijing"): it is written as the correspAction's placeName.
  std::vector<std::string> place_names;
  std::vector<std::string> series_titles;       ///< citation segments that open a series title
  std::vector<std::string> repository_words;    ///< a citation segment naming a repository ("Library")
  /// A shelfmark prefix of an archive ("PRC FMA") and the archive's name and place.
  struct ArchivePrefix {
    std::string prefix, name, settlement;
  };
  std::vector<ArchivePrefix> archive_prefixes;
  /// A Summary matching one of these at its start is a source note ("Source:\\s").
  std::vector<ProfileRegex> source_note_patterns;
  std::vector<std::string> locus_starts;  ///< a citation segment of pages or folios ("ff.")
  /// A role of Credits ("transcribed" → resp "transcription", xml:id "transcriber").
  struct CreditRole {
    std::vector<std::string> words;  ///< lower-cased
    std::string resp, id;
  };
  std::vector<CreditRole> credit_roles;
  /// A licence as the header may name it, with its canonical name, URL and availability status.
  struct LicenceName {
    std::vector<std::string> phrases;  ///< lower-cased
    std::string name, target, status;
  };
  std::vector<LicenceName> licences;

  /// The header field key of a label ("Citation" → "citation"), or "" for an unknown label.
  std::string field_of(const std::string& label) const;
  /// The ISO 639 code of a language name, or "".
  std::string language_code(const std::string& name) const;

  /// The first rule matching `content`, or `fallback`.
  const BracketRule& classify(const std::string& content) const;
  /// classify() with the matching rule's groups; remembered per content (the profile's rules
  /// must not change once it is in use).
  BracketMatch match_bracket(const std::string& content) const;

  BracketMatchCache bracket_matches;  ///< match_bracket's memory
};

/// Loads a profile from XML text and reports every problem (XML, unknown element or action, bad
/// pattern, duplicate id, empty or incomplete list…) to `sink` as a diagnostic of `name` with
/// its line and column (docs/diagnostics.md, codes profile-*). Null when any is an error.
std::shared_ptr<const Profile> parse_profile(const std::string& xml_text, const std::string& name,
                                             DiagnosticSink& sink);

/// Loads a profile from XML text. Errors (unknown action, bad regex) are returned as a message
/// in `error` and the result is null.
std::shared_ptr<const Profile> parse_profile(const std::string& xml_text, const std::string& name,
                                             std::string& error);

/// Loads a profile file from disk; see parse_profile.
std::shared_ptr<const Profile> load_profile_file(const std::string& path, std::string& error);

/// The names of the built-in profiles ("archive-translation", "de-archive").
std::vector<std::string> builtin_profile_names();

/// The XML text of a built-in profile, or nullptr for an unknown name.
const char* builtin_profile_xml(const std::string& name);

/// A built-in profile by name, or null for an unknown name.
std::shared_ptr<const Profile> builtin_profile(const std::string& name);

/// The built-in default profile (ENCODING.md §4), compiled into the library from
/// converter/profiles/archive-translation.xml so the executable works without its data files.
std::shared_ptr<const Profile> default_profile();

}  // namespace teikit
