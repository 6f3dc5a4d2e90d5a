// The structure stage's second half: the blocks of the document text, each parsed once into the
// document tree, placed by their roles (structure.hpp) into the div's opener, paragraphs,
// closer, postscript and enclosed documents; each part, once final, goes through the dates
// (date_marker.hpp) to the body writer (body_writer.hpp).
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "teikit/base/diagnostics.hpp"
#include "teikit/convert/blocks.hpp"
#include "teikit/convert/body_writer.hpp"
#include "teikit/convert/brackets.hpp"
#include "teikit/convert/correspondence.hpp"
#include "teikit/convert/header.hpp"
#include "teikit/convert/structure.hpp"

namespace teikit {

/// The inline stage over the blocks of the document text: every block's inline content is
/// parsed exactly once, either ahead (when classify_blocks asks whether it is a single bracket)
/// or when it is placed. What a parse ahead reports (diagnostics, rules used) is held with its
/// tree and passed on when the block is taken, so that both arrive in block order.
class BlockInlines {
 public:
  /// A piece of a block's content cut at an offset of its text (take()).
  struct Part {
    std::size_t begin = 0, end = 0;  ///< the part's text, [begin, end) of the block's text
    Node content;                    ///< its nodes (a "#block" element)
  };

  /// Parses the blocks of `blocks` with `context` (its rules_used and parses are kept up to
  /// date), reporting to `sink`.
  BlockInlines(const SourceText& source, const BlockList& blocks,
               const InlineContext& context, DiagnosticSink& sink);

  /// For classify_blocks: parses block `i` ahead and tells whether it holds a single bracket
  /// (a gap, note or page break) and nothing else.
  bool standalone(std::size_t i);
  /// True when block `i` was parsed ahead and is not taken yet.
  bool held(std::size_t i) const { return ahead_.count(i) > 0; }
  /// The content of block `i`, cut at `cuts` (increasing offsets of its text, each at the
  /// start of a part): each part trimmed of spaces and newlines at both ends and parsed as a
  /// block of its own (a bracket does not run from one part into the next). A block parsed
  /// ahead is not parsed again: its tree is cut instead, at the cuts outside every bracket.
  /// Without cuts (or with none honoured): one part, the whole content as it is.
  std::vector<Part> take(std::size_t i, const std::vector<std::size_t>& cuts = {});
  /// Parses block `i` (not parsed ahead) in batches: children no later bracket can change go
  /// to `on_final` in batches of at least `batch`, the rest into `rest` (parse_inlines).
  void stream(std::size_t i, const FinalChildren& on_final, std::size_t batch, Node& rest);
  /// True when block `i` is one long bracket that standalone() found to become the profile's
  /// default element, not a standalone one: stream_bracket hands its content on in batches.
  bool bracket_streams(std::size_t i) const { return bracket_blocks_.count(i) > 0; }
  /// Parses block `i` (bracket_streams) in batches of that bracket's children
  /// (parse_inlines with BracketChildren); the bracket's element ends in `rest`.
  void stream_bracket(std::size_t i, const BracketChildren& on_bracket, std::size_t batch,
                      Node& rest);

 private:
  struct Parsed {
    Node content = Node::make_element("#block");
    DiagnosticSink diagnostics;
    std::vector<std::string> rules_used;
  };
  bool text_spans(const Block& b) const;
  const SourceText& source_;
  const BlockList& blocks_;
  const InlineContext& context_;
  DiagnosticSink& sink_;
  std::map<std::size_t, Parsed> ahead_;
  std::set<std::size_t> bracket_blocks_;
};

/// True when `content` (a parsed block) holds one gap, note or page break and only whitespace
/// text besides.
bool is_standalone_content(const Node& content);

/// What the placement needs besides the blocks and their roles.
struct PlacementInput {
  const SourceText* source = nullptr;  ///< the transcription
  const Profile* profile = nullptr;    ///< the conventions in force
  const Header* header = nullptr;      ///< the parsed header (language, translation, date)
  std::string name;                    ///< the input's name (for diagnostics)
};

/// Places the blocks of the document text by their roles `plan` into one div (plus one per
/// enclosed document), taking each block's content from `inlines`, marking each final part's
/// dates and writing it to `writer`. Releases the blocks and plans it has placed (they must not
/// be read afterwards; `body` and `plan` keep their sizes). Returns what the
/// text says of the correspondence (its sending date from the first dateline only; the
/// caller falls back on the header's).
Correspondence place_blocks(const PlacementInput& input, BlockList& body,
                            BlockPlans& plan, BlockInlines& inlines,
                            DiagnosticSink& sink, BodyWriter& writer);

}  // namespace teikit
