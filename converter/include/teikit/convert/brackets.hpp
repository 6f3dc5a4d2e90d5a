// The inline bracket parser (ENCODING.md §4): one pass over a block's text with an explicit
// opener stack, linear in the input (the cmark approach). Matched brackets are classified by the
// profile; unmatched or empty brackets stay literal text with a warning.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "teikit/convert/blocks.hpp"
#include "teikit/convert/document.hpp"
#include "teikit/convert/profile.hpp"

namespace teikit {

class DiagnosticSink;
class Footnotes;

/// What the inline parser needs besides the text.
struct InlineContext {
  const Profile* profile = nullptr;  ///< the conventions in force
  std::string resp;                  ///< value for @resp ("#translator"), or ""
  /// @resp of a reading (a rule with resp="reading": illegible, unclear, sic): the
  /// transcriber's ("#transcriber") when the header names one, else `resp`.
  std::string reading_resp;
  std::vector<std::string>* rules_used = nullptr;  ///< receives ids of rules that fired
  /// The notes found after the text, for the footnote marks ("[1]") of the profile; null: a
  /// mark stays text, with a warning.
  const Footnotes* footnotes = nullptr;
  /// Node spans are byte offsets into the block's text instead of the source (for a block that
  /// is not exact, whose source spans cannot be told apart, when its parsed content is to be
  /// cut at offsets of its text); the caller maps them back.
  bool text_spans = false;
  /// When set, incremented by each call of parse_inlines (the structure stage parses every
  /// block once; the tests hold it to that).
  std::size_t* parses = nullptr;
};

/// Parses `block` into inline nodes appended to `parent`.
void parse_inlines(const SourceText& source, const Block& block, const InlineContext& context,
                   Node& parent, DiagnosticSink& sink);

/// Receives children of a block, in text order, that no later bracket can change.
using FinalChildren = std::function<void(std::vector<Node>& children)>;

/// Like parse_inlines, for a long block: whenever at least `batch` children are final (the
/// opener stack is empty, and they are not the last two, which a backward-applying mark such as
/// "[sic]" may still take), they are moved out to `on_final`, in text order; the rest goes into
/// `parent` at the end. The children and diagnostics, taken together, are those parse_inlines
/// gives; only the memory held at once is bounded.
void parse_inlines(const SourceText& source, const Block& block, const InlineContext& context,
                   Node& parent, DiagnosticSink& sink, const FinalChildren& on_final,
                   std::size_t batch);

/// Receives children of the one bracket a block is (its element: name, attributes and @resp,
/// no children and a span that ends at its start), in text order, that no later bracket can
/// change. Returns false to stop the parse there (a probe: `parent` and the diagnostics then
/// hold only part of the block).
using BracketChildren = std::function<bool(const Node& element, std::vector<Node>& children)>;

/// Like the batched parse_inlines, for a block that is a single bracket from its first byte to
/// its last: once the final children of that bracket are longer than any content the profile
/// classifies and are not only text and unclear readings, the bracket can only become the
/// profile's default element (when that keeps its content), whatever follows; from then on
/// its final children go to `on_bracket` in batches of at least `batch`. The bracket's element
/// with its last children ends in `parent`. A bracket that never qualifies is parsed as
/// parse_inlines does.
void parse_inlines(const SourceText& source, const Block& block, const InlineContext& context,
                   Node& parent, DiagnosticSink& sink, const FinalChildren& on_final,
                   std::size_t batch, const BracketChildren& on_bracket);

/// Reads a measure ("2 words", "three lines", "less than 1 line", "1½ pages") out of `text` and
/// sets @quantity or @atMost/@atLeast and @unit on `gap`. Returns false when none is found.
bool read_measure(const std::string& text, Node& gap);

/// The same with the number, unit and bound words of `profile` ("zwei Wörter").
bool read_measure(const std::string& text, Node& gap, const Profile& profile);

}  // namespace teikit
