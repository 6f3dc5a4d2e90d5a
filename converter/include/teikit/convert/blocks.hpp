// Block segmentation: the source text → blank-line separated blocks of plain text.
//
// Plain input is split on blank lines. Markdown-flavoured input goes through libcmark (a real
// CommonMark parser): inline markup (**bold**, <autolinks>, hard breaks) is removed and only the
// text remains, list markers and thematic-break lines are kept as text (they are content in this
// genre: numbered paragraphs, "* * *" omission lines), and source lines that cmark would swallow
// (link reference definitions) are kept verbatim with a warning: nothing is lost.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "teikit/base/source_text.hpp"

namespace teikit {

class DiagnosticSink;

/// The two input flavours of ENCODING.md §1.
enum class Flavour { Auto, Plain, Markdown };

/// One blank-line separated block of text.
struct Block {
  std::string text;  ///< the block's text, lines joined with '\n', markup removed
  Span span;         ///< the source lines it came from
  /// True when text is a verbatim slice of the source starting at span.begin, so that byte i of
  /// `text` is byte span.begin + i of the source (plain input). Otherwise offsets map to the
  /// block's first line only.
  bool exact = false;
  bool strong = false;  ///< the whole block was bold in Markdown (**…**)

  /// The source offset of byte `i` of text.
  std::uint32_t source_offset(std::size_t i) const {
    return exact ? span.begin + static_cast<std::uint32_t>(i) : span.begin;
  }
};

/// Guesses the flavour: Markdown when the text has a line that is wholly bold (`**…**`), an
/// autolink (`<http…>`), or a hard line break (two trailing spaces before a non-blank line).
Flavour detect_flavour(const SourceText& source);

/// Splits `source` into blocks according to `flavour` (Auto is resolved with detect_flavour).
/// Markdown is parsed in parts of at least `markdown_part_bytes` (cut before a line that
/// follows a blank line and is not indented), one CommonMark tree at a time, when the text has
/// nothing that runs across such a cut (fenced code, HTML blocks of kinds 1-5, link reference
/// definitions); otherwise whole. The blocks are the same for every part size.
std::vector<Block> segment_blocks(const SourceText& source, Flavour flavour, DiagnosticSink& sink,
                                  std::size_t markdown_part_bytes = std::size_t{1} << 16);

}  // namespace teikit
