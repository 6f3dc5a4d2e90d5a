// The metadata header of a transcription (ENCODING.md §1): date line, title, labelled fields.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "teikit/convert/blocks.hpp"
#include "teikit/convert/dates.hpp"

namespace teikit {

class DiagnosticSink;
struct Profile;

/// A labelled header field as written (`Label:` on its own line, value in the following block).
struct HeaderField {
  std::string label;           ///< the label without its colon, e.g. "Citation"
  std::string field;           ///< the profile's field key ("citation"), "" for an unknown label
  std::vector<Block> value;    ///< the value blocks (their texts may view the source)
  Span label_span;             ///< where the label stands
  /// The value as one string (blocks joined by '\n').
  std::string text() const;
};

/// The parts of a citation (`"Title", date, archive, signature. Translated by NAME. URL`).
struct Citation {
  std::string text;                  ///< the whole citation as written
  std::string title;                 ///< the quoted title, without the quotes
  std::optional<DateValue> date;     ///< the date after the title
  std::string date_text;             ///< the date as written
  std::string archive;               ///< the first segment after the date
  std::string signature;             ///< archival signature, e.g. "PRC FMA 118-01154-05, 28"
  std::string shelfmark;             ///< the signature without a trailing page ("PRC FMA 118-01154-05")
  bool signature_is_archival = false;  ///< true for a shelf-mark; false for "Document 92"
  /// A person the citation names as responsible: "Translated by X", "Transcribed by Y",
  /// "Edited by Z".
  struct Responsible {
    std::string role;  ///< "translator", "transcriber" or "editor"
    std::string name;  ///< as written
  };
  std::vector<Responsible> responsible;  ///< in citation order
  std::string url;                   ///< the URL, if any
  // The parts an editor's bibl distinguishes (profile <edition-header>):
  std::string series;           ///< the series title ("Foreign Relations of the United States, …"), or ""
  std::string document_number;  ///< "Document 92", as written, or ""
  std::string publisher;        ///< the sentence after the document number ("Office of the Historian, …"), or ""
  std::string repository;       ///< the holding repository as written ("National Library of Scotland"), or ""
  std::string settlement;       ///< the repository's place, from the profile's archive prefixes, or ""
  std::string holding_shelfmark;  ///< the repository's shelfmark without pages ("MS. 3650"), or ""
  std::string holding_signature;  ///< the same with its pages as written ("MS. 3650, 151-152"), or ""
};

/// A person the header credits with a part of the edition ("Transcribed and encoded … by
/// Sharon Messenger", "Justin Livingstone (proofed by …)", "Translated by Charles Kraus").
struct Credited {
  std::string name;                ///< as written
  std::vector<std::string> resps;  ///< the profile's resp wording ("transcription", "encoding")
  std::string id;                  ///< the respStmt's xml:id ("transcriber", "proofreader2")
  std::string role;                ///< the first role's id without a number ("transcriber")
  bool from_citation = false;      ///< named in the citation (also an editor there)
};

/// A licence the header states (Credits or the citation), as the profile names it.
struct StatedLicence {
  std::string name;    ///< canonical name ("Creative Commons Attribution-NonCommercial 3.0")
  std::string target;  ///< canonical URL, or "" (all rights reserved)
  std::string status;  ///< availability/@status: free, restricted or unknown
};

/// A "Summary:" that is the edition's source note ("Source: Central Intelligence Agency, Job
/// 79–01025A, Box 142, Folder 4. Secret.", "File No. 861.51/222", "No. 94.").
struct SourceNote {
  bool is_source_note = false;  ///< the summary is a source note (not an abstract)
  std::string repository;       ///< "Central Intelligence Agency" of "Source: X, Y.", or ""
  std::string shelfmark;        ///< "Job 79–01025A, Box 142, Folder 4", or ""
};

/// The parsed header.
struct Header {
  std::optional<Block> date_block;   ///< the date line as written
  std::optional<DateValue> date;     ///< the document date, read from the date line
  std::optional<Block> title_block;  ///< the title as written
  std::string title;                 ///< the title without surrounding quotes
  std::vector<HeaderField> fields;   ///< every labelled field, in input order
  Citation citation;                 ///< parsed from the Citation field
  std::string funder;                ///< the organisation in "…with support from ORG"
  std::vector<std::string> original_languages;  ///< "Original Language: English, Undetermined"
  std::string text_language;   ///< from "Contents:" ("Translation - English" → English), or ""
  bool translation = false;    ///< "Translation - …" (true); a transcript or unknown (false)
  std::vector<Credited> credited;  ///< every responsible person, citation first; each a respStmt
  std::string resp_id;   ///< the respStmt @resp of interventions points at ("" when none)
  /// The respStmt @resp of readings (illegible, unclear, sic) points at: the transcriber's
  /// when the header names one, else resp_id.
  std::string reading_resp_id;
  std::optional<StatedLicence> licence;  ///< the licence the header states, if any
  SourceNote source_note;              ///< what the summary is

  /// The field with this label (case-insensitive), or nullptr.
  const HeaderField* field(const std::string& label) const;
  /// The first field of this key ("citation", "summary", "credits", "original-language",
  /// "contents"; the labels of the profile), or nullptr.
  const HeaderField* known(const std::string& key) const;
};

/// Reads the header from the first blocks; `body_start` receives the index of the first block
/// of the document text. Never fails: missing parts are reported as warnings. The fields' value
/// blocks are moved out of `blocks` (left empty there, with their spans): the caller drops the
/// header's blocks, and a header of 10⁵ fields held them twice. Blocks whose texts view
/// `source` (BlockText) still do in the header: it must not outlive `source`.
Header parse_header(const SourceText& source, BlockList& blocks,
                    std::size_t& body_start, DiagnosticSink& sink);

/// The same with the labels, date words and phrases of `profile`.
Header parse_header(const SourceText& source, BlockList& blocks,
                    std::size_t& body_start, DiagnosticSink& sink, const Profile& profile);

/// True for labels the converter places in the TEI header (Citation, Summary, Credits, Original
/// Language, Contents).
bool is_known_field(const std::string& label);

/// True for the labels of `profile`'s <header-labels>.
bool is_known_field(const std::string& label, const Profile& profile);

/// The ISO 639 code for a language name of the default profile ("Chinese" → "zh"), or "" when
/// unknown (Profile::language_code for another profile).
std::string language_code(const std::string& name);

}  // namespace teikit
