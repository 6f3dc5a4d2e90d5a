// Body structure: blocks of the document text → div with opener, head, p, closer (ENCODING.md
// §1–2). Works on the block texts; inline parsing happens per block through a callback.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "teikit/convert/blocks.hpp"
#include "teikit/convert/document.hpp"
#include "teikit/convert/profile.hpp"

namespace teikit {

/// The role a block plays in the document text (one byte: a plan is held per block).
enum class BlockRole : std::uint8_t {
  Opener,      ///< address or apparatus line before the text (To:, Level:, No. 305.])
  Dateline,    ///< place and date of writing
  Subject,     ///< SUBJECT / Contents: line(s)
  Salute,      ///< salutation ending in ':' ("Dear Bill:")
  Paragraph,   ///< ordinary paragraph
  Milestone,   ///< a line of asterisks marking an omission
  Standalone,  ///< a block that is only one bracket (gap, note, pb): placed at div level
  Valediction, ///< closing formula ("Sincerely yours,")
  Signed,      ///< signature (possibly followed by a date)
  CloserDate,  ///< a date line inside the closer
  Head,        ///< heading of an enclosed document ("Jules Favre to Mr. Washburne.")
  Postscript,  ///< text after the signature: P.S., endorsement, "cc:" line
  Address,     ///< the address panel at the end ("Revd R. Moffat / Kuruman"): closer/address
  Reference,   ///< a reference line or telegram number of the opener ("No. 308.]", "Telegram No. 977")
  Distribution,  ///< a distribution or reading list at the end ("Copies: …", "Seen by …")
  Heading,     ///< a heading of the text before it ("Recent Developments:"): p[@rend='heading']
  ListItem,    ///< one of at least two consecutive items "1.", "2." / "a.", "b." …: list/label+item,
               ///< a sequence inside an item of another nested in that item
};

/// Returns a stable lowercase name of `role` (for tests and debugging).
const char* to_string(BlockRole role);

/// The role of one block, and for a signature followed by its date on the same line
/// ("Ministry of Foreign Affairs 30 April [1962]") the byte where the date starts.
struct BlockPlan {
  // One plan per block, all held at once (a text of 5-byte paragraphs has 210,000 blocks per
  // MB): the offsets are 32-bit (the text is shorter than 4 GiB, spans are 32-bit) and the
  // flags are bits beside the role, so that a plan is 12 bytes (it was 32).
  BlockPlan()
      : starts_enclosure(false), continues_field(false), starts_list(false),
        signs_postscript(false), may_be_standalone(false) {}

  BlockRole role = BlockRole::Paragraph;  ///< what the block is
  /// True on the first block of an enclosed document (a letter quoted after the signature of
  /// the first one, as FRUS despatches do): it starts a new div.
  bool starts_enclosure : 1;
  /// Opener only: the block continues the labelled field of the block before it (a subject
  /// of two lines, "Contents: … from" / "Xinjiang's Border Areas …"): one seg.
  bool continues_field : 1;
  /// ListItem only: the item starts a list (the first of its sequence, or the first after
  /// something that is not in its list stood between).
  bool starts_list : 1;
  /// Postscript only: the block is the postscript's own signature, initials under it ("P.S. …"
  /// / "D. L."): postscript/signed.
  bool signs_postscript : 1;
  /// True when the block's text is one bracket and no rule needed to know whether its parse
  /// is a single gap, note or page break: its role is Standalone if its parse says so, else
  /// `role` (Paragraph).
  bool may_be_standalone : 1;
  /// ListItem only: how deep its list is nested. 0: a list of the div; 1: a list inside the
  /// last item of the list of depth 0 before it ("2. The acts are:", "a.", "b.", "3.": a. and
  /// b. are a list in item 2), and so on.
  std::uint8_t list_depth = 0;
  std::uint32_t signature_split = 0;  ///< Valediction only: start of a signature line, or 0
  /// Signed: the start of the trailing date, or 0. ListItem: where the item's text starts
  /// after its label ("1. " → 3). One field for both: only Paragraph blocks get a label
  /// (mark_lists), after the closer's dates were read, and a plan is 12 bytes instead of 16.
  std::uint32_t split = 0;
};

/// The plans of a text's blocks, one per block (freed from the front as placement goes on).
using BlockPlans = ChunkedList<BlockPlan>;

/// Assigns a role to each block of the document text. `is_standalone(i)` tells whether block
/// i holds a single bracket (gap, note, page break) and nothing else; it is asked only of
/// blocks whose text is one bracket ("[…]", its delimiters paired), each at most once, and only
/// where a rule reads the role (the opener and closer zones, signatures before an enclosed
/// document): the others are marked may_be_standalone.
BlockPlans classify_blocks(const BlockList& blocks, const Profile& profile,
                                       const std::function<bool(std::size_t)>& is_standalone);

/// True when `text` is one bracket from its first byte to its last: it opens with the
/// profile's open delimiter, and the close delimiter that matches it (delimiters paired as the
/// inline parser pairs them, by depth) is its last. A linear scan, no parse.
bool is_one_bracket(std::string_view text, const Profile& profile);

/// `text` with the profile's delimiters replaced by spaces (same length), so that dates and
/// names can be recognised across supplied text ("30 April [1962]").
std::string without_delimiters(const std::string& text, const Profile& profile);

/// Where the parts of a distribution block (BlockRole::Distribution) start in its text: after
/// its label when a colon ends it ("Copies:"), then at each further line (one item per line).
std::vector<std::size_t> distribution_parts(std::string_view text, const Profile& profile);

/// True when `text` opens a distribution or reading list: a profile <distribution-labels>
/// word, then a colon, a space or the end ("Copies: …", "Seen by Comrade …").
bool opens_distribution(std::string_view text, const Profile& profile);

/// The end of a distribution block's label with its colon ("Copies:", the list's head), or 0
/// when the label has no colon ("Seen by Comrade …": the line is an item).
std::size_t distribution_head_end(std::string_view text, const Profile& profile);

/// True when `text` opens with a paragraph number ("1. ", "12) ") and sets `n` to it.
bool paragraph_number(const std::string& text, std::string& n);

}  // namespace teikit
