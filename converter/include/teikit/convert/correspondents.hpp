// Who wrote to whom (TEI correspDesc; ENCODING.md §2, docs/decisions.md "Correspondents"): the
// parties a document's title and summary name, checked against what its text says (the
// opener's addressee line, the closer's signature). Every word it looks for is profile data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "teikit/convert/correspondence.hpp"
#include "teikit/convert/document.hpp"

namespace teikit {

class DiagnosticSink;
struct Header;
struct Profile;

/// One party of the correspondence as it is written in correspDesc.
struct Correspondent {
  std::string name;     ///< as written in the title or summary, without a leading article
  std::string element;  ///< "persName" or "orgName"
};

/// The parties a title or summary names, by the profile's patterns.
struct Parties {
  std::vector<std::string> senders;     ///< as written (several when joined by "and")
  std::vector<std::string> addressees;  ///< as written
  bool ambiguous = false;  ///< the text fits a pattern in more than one way
  bool withheld = false;   ///< a party's name is an editorial bracket ("[name not declassified]")
};

/// The parties `text` names ("Letter from A to B", "The Ambassador in Russia (Francis) to the
/// Secretary of State"). `title` allows the patterns without a document word; a summary is
/// read by its first sentence only. Empty Parties when no pattern fits.
Parties parties_of(const std::string& text, bool title, const Profile& profile);

/// The place of writing a summary states ("… Place of writing: Kuruman."), or "".
std::string summary_place_of_writing(const std::string& summary, const Profile& profile);

/// The element a name is written in: "orgName" for an office or institution ("the Embassy in
/// Poland"), else "persName".
std::string correspondent_element(const std::string& name, const Profile& profile);

/// The decided correspondence of a document (the evidence is what placement found in the text:
/// Correspondence, correspondence.hpp).
struct DecidedCorrespondence {
  std::vector<Correspondent> senders, addressees;
  std::string place;  ///< the place of writing, or ""
  /// The place of receipt, or "": a city the title names as the addressee ("… to Moscow").
  std::string received_place;
  /// `place` is a city the title names as the sender ("Telegram from Beijing"): with no party
  /// named, that place alone is still a correspondence fact worth a correspDesc.
  bool place_from_title = false;
  std::string sent_when, received_when;
  /// Why a party was left out or is in doubt (each becomes a correspondent-uncertain warning).
  std::vector<std::string> doubts;
  /// Evidence that was not used, for the record (correspondent-uncertain notes): a signature or
  /// an addressee line that names no party on its own.
  std::vector<std::string> unused;
};

/// Decides the correspondents: the title first, then the summary (where both name a party and
/// disagree, neither is written), then the opener's addressee line when it names a person or
/// an office; a signature never names a party on its own, it only raises a doubt when it
/// does not match the sender named.
DecidedCorrespondence decide_correspondence(const Header& header, const Correspondence& evidence,
                                     const Profile& profile);

/// The correspDesc of the document, or nothing when there is nothing to say; every doubt is
/// reported as a `correspondent-uncertain` warning at the title, unused evidence as a note.
std::optional<Node> correspondence_desc(const Header& header, const Correspondence& evidence,
                                        const Profile& profile, const SourceText& source,
                                        DiagnosticSink& sink);

}  // namespace teikit
