// The kind of an archival document (cable, telegram, letter, memorandum, record of
// conversation, ...), as an archive's user searches for it: from an explicit header field, or
// from the profile's cue words found in the title. The words are profile data
// (<document-kinds>, docs/profiles.md), never code.
#pragma once

#include <string>

#include "teikit/convert/header.hpp"
#include "teikit/convert/profile.hpp"

namespace teikit {

/// The document kind of `header` under `profile`: the value of its `kind` field (the kind a
/// cue word of that value names, else the value itself, lower-cased), else the kind named by
/// the cue that occurs first in the title as whole words (of two at the same place, the
/// longer: "Memorandum of Conversation" before "Memorandum"); "" when neither says.
std::string document_kind(const Header& header, const Profile& profile);

}  // namespace teikit
