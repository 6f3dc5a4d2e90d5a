// What the document text says about its correspondence (ENCODING.md §2, correspDesc): the
// signer, the place and date of the dateline, the addressee of a "To:" line and the date of a
// received note. Gathered while the body is placed, written into the header.
#pragma once

#include <string>

#include "teikit/convert/document.hpp"

namespace teikit {

struct Profile;

/// The correspondence facts found in the text.
struct Correspondence {
  std::string sender;         ///< the signature of the (first) closer
  std::string sent_place;     ///< the place before the first dateline's date
  std::string addressee;      ///< the value of an addressee line ("To: …")
  std::string sent_when;      ///< ISO date of the first dateline (or the header's date)
  std::string received_when;  ///< ISO date of the first received note

  /// True when anything but the dates of sending was found (a correspDesc is worth writing).
  bool found() const { return !sender.empty() || !addressee.empty() || !received_when.empty(); }
};

/// Sets `when` to the @when of the first <date> in `n` (document order) unless already set.
void find_first_date(const Node& n, std::string& when);

/// Sets `when` from the first date inside a <note type="received"> of `n`, unless already set.
void collect_received(const Node& n, std::string& when);

/// Reads the sending date and place from a dateline of the first opener or closer
/// ("Legation of the United States, Paris, <date>" → the place, without the profile's date
/// article: "Moskau, den 29. März" → "Moskau"), once.
void read_dateline(const Node& dateline, const Profile& profile, Correspondence& c);

// The correspDesc element is decided and written by correspondents.hpp (correspondence_desc):
// these facts are its evidence.

}  // namespace teikit
