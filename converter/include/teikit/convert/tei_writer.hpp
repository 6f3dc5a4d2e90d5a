// TEI writer: header + serialised body → the TEI document (ENCODING.md §2).
#pragma once

#include <string>
#include <vector>

#include "teikit/convert/document.hpp"
#include "teikit/convert/header.hpp"
#include "teikit/convert/profile.hpp"
#include "teikit/base/publication.hpp"

namespace teikit {

/// Everything the writer needs besides the body.
struct TeiInput {
  const Header* header = nullptr;              ///< parsed header
  const Profile* profile = nullptr;            ///< profile in force (for editorialDecl)
  std::vector<std::string> rules_used;         ///< ids of profile rules that fired
  PublicationOptions publication;              ///< publicationStmt data
  std::string resp_id;  ///< xml:id of the respStmt that @resp points at ("translator"), or ""
  bool handwritten = false;                    ///< a handNote for #handwritten is needed
  const Node* correspondence = nullptr;        ///< correspDesc, if built
  /// When set (to the same header as `header`), the value of every field written as a note of
  /// notesStmt is released as soon as that note is written (a header of 10⁵ fields held them
  /// and their notes at once), and once the notes are written the fields themselves (the
  /// document is then copied together beside them); the header is not read again by the caller.
  Header* release_notes = nullptr;
};

/// Writes the TEI document as libxml2 would serialise it (write_xml): the header built from
/// `input`, then <text><body> holding `body`, the body's divs already serialised at level 3
/// (each line indented and ended), in pieces that are released as they are copied into the
/// result (built in one buffer, sized once). Text goes in as text, escaped, never parsed. When
/// `spans` is given it holds the spans of the body's elements on entry and those of every
/// element of the document, in document order, on return (kNoSpan for the made-up header).
std::string write_tei(const TeiInput& input, std::vector<std::string>& body,
                      std::vector<Span>* spans = nullptr);

}  // namespace teikit
