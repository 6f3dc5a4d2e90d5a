// Footnotes (ENCODING.md §4): a mark "[1]" in the text whose note is written after the text —
// blocks starting with the same mark ("[1] …") or its number ("1. …") after a rule line
// ("___", "---"), under a "Notes" heading, or (marks in brackets only) at the very end of the
// document. Under a rule line or a heading, one area may mix both labels, and a block that
// opens with no label goes on with the note before it (a note of several paragraphs). The notes area is taken out of the text before it is parsed; each note is put at
// its mark as <note n="1" place="foot">, and the area itself leaves a
// <divGen type="footnotes"> after the text (its heading as <head>, its rule line in @rend) so
// that the text round trip gives marks, rule, heading and notes back. Every cue (the mark's
// pattern, the headings, the rule characters) is profile data.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "teikit/convert/blocks.hpp"
#include "teikit/convert/document.hpp"

namespace teikit {

class DiagnosticSink;
struct InlineContext;
struct Profile;

/// The footnotes of one document: the notes found after its text and where their marks are.
class Footnotes {
 public:
  /// Looks for a notes area at the end of `body` (the document text without its header). When
  /// one is found whose every note has a mark in the text before it, its blocks are removed
  /// from `body` and remembered. Profiles without a footnote rule (action="footnote") find
  /// nothing.
  static Footnotes take(BlockList& body, const Profile& profile);

  /// Parses the notes' text with the brackets of `context` (a mark inside a note stays text).
  /// Diagnostics go to `sink`.
  void parse_notes(const SourceText& source, const InlineContext& context, DiagnosticSink& sink);

  /// The note for the mark whose content is `n` and whose opening delimiter stands at source
  /// offset `offset`: only the first mark of each number gets its note (a note is text of the
  /// source and is written once). Null when there is none.
  const Node* note_for(const std::string& n, std::uint32_t offset) const;

  /// True when a notes area was found.
  bool found() const { return !entries_.empty(); }
  /// The number of notes found.
  std::size_t size() const { return entries_.size(); }

  /// The <divGen type="footnotes"> that stands for the notes area after the text.
  Node area() const;

 private:
  struct Entry {
    std::string n;             // the number as written ("1")
    Block text;                // the note's text, without its label
    std::vector<Block> more;   // its further paragraphs, when it runs over several
    bool numbered = false;     // labelled "1." rather than "[1]"
    std::uint32_t mark = 0;    // source offset of the first mark's opening delimiter
    bool ambiguous = false;    // two marks of this number cannot be told apart
    Node note;                 // <note n="…" place="foot"> once parsed
  };
  static Footnotes take_framed(BlockList& body, const Profile& profile);
  static bool mark_all(std::vector<Entry>& entries, const std::unordered_map<std::string, std::size_t>& index,
                       const BlockList& body, std::size_t area, const Profile& profile);
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::size_t> index_;  // number → entry
  std::string rule_;           // the rule line as written, or ""
  bool has_heading_ = false;
  Block heading_;
  Node heading_node_;
  bool numbered_ = false;      // the notes are labelled "1." rather than "[1]"
  bool mixed_ = false;         // some notes are labelled "1.", others "[1]" (each note says which)
};

}  // namespace teikit
