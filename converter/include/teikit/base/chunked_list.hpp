// A vector-like sequence that a reader going forward can free from the front.
#pragma once

#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace teikit {

/// A sequence of T in chunks of kChunk elements: indexed like a vector, appended to at the end,
/// and freed from the front as a reader that goes forward is done with it (release_before),
/// which a vector cannot do without a copy of what is left.
template <typename T>
class ChunkedList {
 public:
  /// Elements per chunk.
  static constexpr std::size_t kChunk = 4096;

  /// An index-based iterator (random access, for range-for and the standard algorithms).
  template <typename List, typename Value>
  class Iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = Value*;
    using reference = Value&;
    Iterator() = default;
    Iterator(List* list, std::size_t i) : list_(list), i_(i) {}
    reference operator*() const { return (*list_)[i_]; }
    pointer operator->() const { return &(*list_)[i_]; }
    reference operator[](difference_type d) const { return (*list_)[i_ + d]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator t = *this;
      ++i_;
      return t;
    }
    Iterator& operator--() {
      --i_;
      return *this;
    }
    Iterator operator--(int) {
      Iterator t = *this;
      --i_;
      return t;
    }
    Iterator& operator+=(difference_type d) {
      i_ += d;
      return *this;
    }
    Iterator& operator-=(difference_type d) {
      i_ -= d;
      return *this;
    }
    friend Iterator operator+(Iterator a, difference_type d) { return a += d; }
    friend Iterator operator+(difference_type d, Iterator a) { return a += d; }
    friend Iterator operator-(Iterator a, difference_type d) { return a -= d; }
    friend difference_type operator-(const Iterator& a, const Iterator& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.i_ == b.i_; }
    friend bool operator!=(const Iterator& a, const Iterator& b) { return a.i_ != b.i_; }
    friend bool operator<(const Iterator& a, const Iterator& b) { return a.i_ < b.i_; }
    friend bool operator>(const Iterator& a, const Iterator& b) { return a.i_ > b.i_; }
    friend bool operator<=(const Iterator& a, const Iterator& b) { return a.i_ <= b.i_; }
    friend bool operator>=(const Iterator& a, const Iterator& b) { return a.i_ >= b.i_; }

   private:
    List* list_ = nullptr;
    std::size_t i_ = 0;
  };
  using iterator = Iterator<ChunkedList, T>;
  using const_iterator = Iterator<const ChunkedList, const T>;

  /// The number of elements (released ones included: indices do not move).
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// Element `i` (not released).
  T& operator[](std::size_t i) { return at_physical(first_ + i); }
  const T& operator[](std::size_t i) const { return const_cast<ChunkedList&>(*this)[i]; }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }
  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size_}; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

  /// Says how many elements will be added (the first chunk is allocated at that size if smaller).
  void reserve(std::size_t n) { expected_ = n; }
  /// Appends `value`.
  void push_back(T value) {
    const std::size_t p = first_ + size_;
    if (p / kChunk == chunks_.size()) {
      chunks_.emplace_back();
      // The first chunk at the announced size when that is smaller: most texts are short.
      chunks_.back().reserve(chunks_.size() == 1 && expected_ > 0 && expected_ < kChunk ? expected_
                                                                                        : kChunk);
    }
    chunks_[p / kChunk].push_back(std::move(value));
    ++size_;
  }
  /// Appends default elements up to `n` in all.
  void grow_to(std::size_t n) {
    if (expected_ < n) expected_ = n;
    while (size_ < n) push_back(T());
  }
  /// Keeps the first `n` elements only.
  void truncate(std::size_t n) {
    if (n >= size_) return;
    const std::size_t end = first_ + n;  // physical: the first element dropped
    // Chunks wholly past the new end go; the last kept one is cut.
    chunks_.resize((end + kChunk - 1) / kChunk);
    if (end % kChunk != 0) chunks_.back().resize(end % kChunk);
    size_ = n;
  }
  /// Removes the first `n` elements: element n becomes element 0.
  void drop_front(std::size_t n) {
    n = n < size_ ? n : size_;
    first_ += n;
    size_ -= n;
    free_chunks_before(first_);
  }
  /// The chunks that hold elements (not freed).
  std::size_t chunks_held() const {
    std::size_t held = 0;
    for (const auto& c : chunks_) held += c.capacity() > 0;
    return held;
  }
  /// Releases the elements before `i` (whole chunks are freed); they must not be read again.
  void release_before(std::size_t i) { free_chunks_before(first_ + (i < size_ ? i : size_)); }

 private:
  T& at_physical(std::size_t p) { return chunks_[p / kChunk][p % kChunk]; }
  void free_chunks_before(std::size_t p) {
    // Whole chunks only: the elements of a chunk that is partly needed stay as they are.
    for (std::size_t c = p / kChunk; c-- > 0;) {
      if (chunks_[c].capacity() == 0) break;  // freed before, and the ones before it too
      std::vector<T>().swap(chunks_[c]);
    }
  }
  std::vector<std::vector<T>> chunks_;
  std::size_t first_ = 0;     // the physical index of element 0
  std::size_t size_ = 0;      // elements, from element 0
  std::size_t expected_ = 0;  // reserve()
};

}  // namespace teikit
