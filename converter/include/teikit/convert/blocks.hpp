// Block segmentation: the source text → blank-line separated blocks of plain text.
//
// Plain input is split on blank lines. Markdown-flavoured input goes through libcmark (a real
// CommonMark parser): inline markup (**bold**, <autolinks>, hard breaks) is removed and only the
// text remains, list markers and thematic-break lines are kept as text (they are content in this
// genre: numbered paragraphs, "* * *" omission lines), and source lines that cmark would swallow
// (link reference definitions) are kept verbatim with a warning: nothing is lost.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "teikit/base/chunked_list.hpp"
#include "teikit/base/source_text.hpp"

namespace teikit {

class DiagnosticSink;

/// The two input flavours of ENCODING.md §1.
enum class Flavour { Auto, Plain, Markdown };

/// A block's text: either a view of the source it was segmented from (plain input, where a
/// block is a verbatim slice) or bytes of its own (Markdown with its markup removed, texts
/// joined or edited later). A view costs no copy of the text; it is valid as long as the
/// SourceText is. Read it as a std::string_view.
class BlockText {
 public:
  /// An empty text.
  BlockText() = default;
  /// A copy of `text`, owned.
  BlockText(std::string_view text) { assign(text); }  // NOLINT: implicit, as std::string is
  /// A copy of `text`, owned.
  BlockText(const std::string& text) : BlockText(std::string_view(text)) {}  // NOLINT
  /// A copy of `text`, owned.
  BlockText(const char* text) : BlockText(std::string_view(text)) {}  // NOLINT
  /// A view of `source_slice` (bytes of a SourceText's text, which must outlive the block).
  static BlockText view_of(std::string_view source_slice);

  BlockText(const BlockText& other);
  BlockText(BlockText&& other) noexcept;
  BlockText& operator=(const BlockText& other);
  BlockText& operator=(BlockText&& other) noexcept;
  /// Replaces the text by an owned copy of `text` (which may be part of this text).
  BlockText& operator=(std::string_view text);
  BlockText& operator=(const std::string& text) { return *this = std::string_view(text); }
  BlockText& operator=(const char* text) { return *this = std::string_view(text); }
  ~BlockText() { release(); }
  /// Keeps the first `n` bytes (n ≤ size()); a view stays a view.
  void shorten(std::size_t n) { size_ = static_cast<std::uint32_t>(n < size_ ? n : size_); }

  /// The text.
  std::string_view view() const { return {data_, size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: read as a string_view
  /// The text as a std::string (a copy).
  std::string str() const { return std::string(view()); }
  /// True when the text views the source (no bytes of its own).
  bool is_view() const { return !owned_; }

  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  char operator[](std::size_t i) const { return data_[i]; }
  char back() const { return data_[size_ - 1]; }
  const char* begin() const { return data_; }
  const char* end() const { return data_ + size_; }
  std::string_view substr(std::size_t pos, std::size_t n = std::string_view::npos) const {
    return view().substr(pos, n);
  }
  std::size_t find(std::string_view s, std::size_t pos = 0) const { return view().find(s, pos); }
  std::size_t find(char c, std::size_t pos = 0) const { return view().find(c, pos); }
  std::size_t find_first_not_of(std::string_view s, std::size_t pos = 0) const {
    return view().find_first_not_of(s, pos);
  }
  friend bool operator==(const BlockText& a, std::string_view b) { return a.view() == b; }
  friend std::string operator+(const BlockText& a, std::string_view b) {
    std::string s(a.view());
    s += b;
    return s;
  }

 private:
  void assign(std::string_view text);
  void release();
  // 13 bytes and 3 of padding, which Block's flags use ([[no_unique_address]] below): a block
  // is 24 bytes (it was 48 with a std::string), and a text of 3-character paragraphs has 200,000
  // blocks a megabyte, all held at once (issue 8: memory within 10 × the input).
  const char* data_ = "";
  std::uint32_t size_ = 0;
  bool owned_ = false;
};

/// One blank-line separated block of text.
struct Block {
  /// the block's text, lines joined with '\n', markup removed
  [[no_unique_address]] BlockText text;
  /// True when text is a verbatim slice of the source starting at span.begin, so that byte i of
  /// `text` is byte span.begin + i of the source (plain input). Otherwise offsets map to the
  /// block's first line only.
  bool exact = false;
  bool strong = false;  ///< the whole block was bold in Markdown (**…**)
  Span span;            ///< the source lines it came from

  /// The source offset of byte `i` of text.
  std::uint32_t source_offset(std::size_t i) const {
    return exact ? span.begin + static_cast<std::uint32_t>(i) : span.begin;
  }
};

/// The blocks of a text in order, in chunks, so that placement, which goes forward, frees the
/// ones it is done with (ChunkedList::release_before). A text of 3-character paragraphs has
/// 200,000 blocks a megabyte: held in one vector until the last one was placed, they were a
/// third of a conversion's memory (issue 8: memory within 10 × the input).
using BlockList = ChunkedList<Block>;

/// Guesses the flavour: Markdown when the text has a line that is wholly bold (`**…**`), an
/// autolink (`<http…>`), or a hard line break (two trailing spaces before a non-blank line).
Flavour detect_flavour(const SourceText& source);

/// Splits `source` into blocks according to `flavour` (Auto is resolved with detect_flavour).
/// Texts that are the source as written view it (BlockText): the blocks must not outlive
/// `source`.
/// Markdown is parsed in parts of at least `markdown_part_bytes` (cut before a line that
/// follows a blank line and is not indented), one CommonMark tree at a time, when the text has
/// nothing that runs across such a cut (fenced code, HTML blocks of kinds 1-5, link reference
/// definitions); otherwise whole. The blocks are the same for every part size.
BlockList segment_blocks(const SourceText& source, Flavour flavour, DiagnosticSink& sink,
                         std::size_t markdown_part_bytes = std::size_t{1} << 16);

}  // namespace teikit
