#include "teikit/convert/body_writer.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace teikit {

void BodyWriter::part(const Node& div, const Node& part) {
  open_div(div);
  out_.append(8, ' ');
  write_xml(part, 4, true, out_, spans_);
  out_ += '\n';
  if (out_.size() >= kPiece) next_piece();
}

void BodyWriter::open_part(const Node& div, const Node& part, unsigned indent) {
  open_div(div);
  out_.append(indent, ' ');
  write_start_tag(part, out_);
  if (spans_) spans_->push_back(part.span);
}

void BodyWriter::child(const Node& c) {
  write_xml(c, 5, false, out_, spans_);
  if (out_.size() >= kPiece) next_piece();
}

std::size_t BodyWriter::hole() {
  next_piece();
  pieces_.emplace_back();
  holes_.push_back({pieces_.size() - 1, spans_ ? spans_->size() : 0, {}});
  return holes_.size() - 1;
}

void BodyWriter::fill_hole(std::size_t h, const Node& c) {
  Hole& hole = holes_[h];
  write_xml(c, 5, false, pieces_[hole.piece], spans_ ? &hole.spans : nullptr);
}

void BodyWriter::merge_hole_spans() {
  // The holes' spans go where the holes stand, in one pass over the part's spans.
  if (spans_ && !holes_.empty()) {
    std::vector<Span>& all = *spans_;
    const std::size_t from = holes_.front().spans_at;
    std::vector<Span> merged;
    std::size_t extra = 0;
    for (const auto& h : holes_) extra += h.spans.size();
    merged.reserve(all.size() - from + extra);
    std::size_t at = from;
    for (const auto& h : holes_) {
      merged.insert(merged.end(), all.begin() + static_cast<long>(at),
                    all.begin() + static_cast<long>(h.spans_at));
      merged.insert(merged.end(), h.spans.begin(), h.spans.end());
      at = h.spans_at;
    }
    merged.insert(merged.end(), all.begin() + static_cast<long>(at), all.end());
    all.resize(from);
    all.insert(all.end(), merged.begin(), merged.end());
  }
  holes_.clear();
}

void BodyWriter::close_part(const Node& part) {
  merge_hole_spans();
  out_ += "</";
  out_ += part.name;
  out_ += ">\n";
  if (out_.size() >= kPiece) next_piece();
}

void BodyWriter::open_wrapped(const Node& div, const Node& part, const Node& element) {
  // As write_xml writes a part whose one child is an element of mixed content: the child on a
  // line of its own, one level deeper.
  open_div(div);
  out_.append(8, ' ');
  write_start_tag(part, out_);
  out_ += '\n';
  out_.append(10, ' ');
  write_start_tag(element, out_);
  if (spans_) {
    spans_->push_back(part.span);
    wrapped_span_ = spans_->size();
    spans_->push_back(element.span);
  }
}

void BodyWriter::close_wrapped(const Node& part, const Node& element) {
  merge_hole_spans();
  if (spans_) (*spans_)[wrapped_span_] = element.span;
  out_ += "</";
  out_ += element.name;
  out_ += ">\n";
  out_.append(8, ' ');
  out_ += "</";
  out_ += part.name;
  out_ += ">\n";
  if (out_.size() >= kPiece) next_piece();
}

void BodyWriter::open_container(const Node& div, const Node& part) {
  open_div(div);
  out_.append(8, ' ');
  write_start_tag(part, out_);
  out_ += '\n';
  if (spans_) spans_->push_back(part.span);
}

void BodyWriter::container_child(const Node& c) {
  out_.append(10, ' ');
  write_xml(c, 5, true, out_, spans_);
  out_ += '\n';
  if (out_.size() >= kPiece) next_piece();
}

void BodyWriter::close_container(const Node& part) {
  out_.append(8, ' ');
  close_part(part);
}

void BodyWriter::close_div(const Node& div) {
  if (div_open_) {
    out_ += "      </div>\n";
  } else {
    out_.append(6, ' ');
    write_xml(div, 3, true, out_, spans_);  // a div without parts: <div …/>
    out_ += '\n';
  }
  div_open_ = false;
}

void BodyWriter::after_divs(const Node& n) {
  out_.append(6, ' ');
  write_xml(n, 3, true, out_, spans_);
  out_ += '\n';
}

std::vector<std::string>& BodyWriter::pieces() {
  next_piece();
  return pieces_;
}

void BodyWriter::open_div(const Node& div) {
  if (div_open_) return;
  out_.append(6, ' ');
  write_start_tag(div, out_);
  out_ += '\n';
  if (spans_) spans_->push_back(div.span);
  div_open_ = true;
}

void BodyWriter::next_piece() {
  if (out_.empty()) return;
  out_.shrink_to_fit();
  untrimmed_ += out_.size();
  pieces_.push_back(std::move(out_));
  out_.clear();
#if defined(__GLIBC__)
  // The blocks written so far had their text released (placement), in small strings spread
  // over the heap among those still held: glibc keeps those pages mapped, and the pieces,
  // which need contiguous room, cannot reuse them, so without this the text and the body
  // written from it were held at once (10 MB of real text: 12 MB more). Once per MiB written.
  if (untrimmed_ >= (std::size_t{1} << 18)) {
    malloc_trim(0);
    untrimmed_ = 0;
  }
#endif
}

}  // namespace teikit
