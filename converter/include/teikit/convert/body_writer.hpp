// The body's serialisation, part by part (a part: a child of a div, such as an opener, a p or a
// closer), so that the document tree only ever holds the parts that can still change. The bytes
// are those libxml2 writes for the whole tree (write_xml), in pieces of about 64 KiB that
// write_tei copies into the document and releases one by one.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "teikit/convert/document.hpp"

namespace teikit {

/// Writes the divs of the body (level 3) as they become final.
class BodyWriter {
 public:
  /// `spans`, when given, receives the span of every element written, in document order.
  explicit BodyWriter(std::vector<Span>* spans) : spans_(spans) {}

  /// Writes a whole part of `div` (opening the div first if needed).
  void part(const Node& div, const Node& part);
  /// Opens a part written in pieces (a long paragraph): its start tag; then child(), then
  /// close_part(). Only for a part with a text child: mixed content is written as it is,
  /// without indentation, so the pieces make the bytes write_xml makes of the whole part.
  void open_part(const Node& div, const Node& part, unsigned indent = 8);
  /// Writes one child of the part opened with open_part.
  void child(const Node& c);
  /// Reserves the place of a child of the part opened with open_part that is written later
  /// (fill_hole), when it is final: a long paragraph's element whose dates depend on the whole
  /// paragraph's text. Returns the hole's number.
  std::size_t hole();
  /// Writes `c` into hole `h`, as child() would have written it there.
  void fill_hole(std::size_t h, const Node& c);
  /// Ends the part opened with open_part (every hole filled).
  void close_part(const Node& part);
  /// Opens `part` of `div` (at indent 8) whose one child is `element`, written as mixed
  /// content: the parts of `element` follow with child(), hole() and fill_hole().
  void open_wrapped(const Node& div, const Node& part, const Node& element);
  /// Closes what open_wrapped opened; `element`'s span replaces the one written at its start.
  void close_wrapped(const Node& part, const Node& element);
  /// Opens a part whose children are all elements (an opener of many lines, a postscript),
  /// written child by child: its start tag; then container_child(), then close_container().
  void open_container(const Node& div, const Node& part);
  /// Writes one child of the part opened with open_container, indented.
  void container_child(const Node& c);
  /// Ends the part opened with open_container.
  void close_container(const Node& part);
  /// Ends `div` (a div without parts is written as an empty element).
  void close_div(const Node& div);
  /// Writes an element of the body after its divisions (the footnotes' divGen).
  void after_divs(const Node& n);
  /// The pieces written so far (the last one finished).
  std::vector<std::string>& pieces();

 private:
  static constexpr std::size_t kPiece = 1 << 16;
  struct Hole {
    std::size_t piece;        // index in pieces_
    std::size_t spans_at;     // the number of spans written before it
    std::vector<Span> spans;  // its own, once filled
  };
  void open_div(const Node& div);
  void next_piece();
  void merge_hole_spans();
  std::vector<Span>* spans_;
  std::vector<std::string> pieces_;
  std::string out_;
  std::vector<Hole> holes_;
  bool div_open_ = false;
  std::size_t untrimmed_ = 0;  // bytes of pieces made since the last malloc_trim
  std::size_t wrapped_span_ = 0;  // index in *spans_ of open_wrapped's element
};

}  // namespace teikit
