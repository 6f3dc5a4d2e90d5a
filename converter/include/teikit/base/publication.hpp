// Who publishes an edition and under which licence: the publicationStmt of every TEI document
// the converter writes and of the edition's corpus header (ENCODING.md §2).
#pragma once

#include <string>

namespace teikit {

/// Publication data from options or a config file (ENCODING.md §2: publicationStmt is never
/// empty).
struct PublicationOptions {
  /// publicationStmt/publisher; empty: the edition is unpublished (publicationStmt/authority
  /// says so).
  std::string publisher;
  std::string licence;          ///< licence text; empty: availability says it is unknown
  std::string licence_url;      ///< licence/@target
  std::string edition_id;       ///< idno of the edition; defaults to the input's base name
  std::string pub_place;        ///< pubPlace, optional
};

}  // namespace teikit
