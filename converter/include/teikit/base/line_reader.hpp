// Reading a stream line by line in bounded memory (JSON Lines): a line longer than the limit is
// skipped to its end rather than held, so one huge line cannot exhaust memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace teikit {

/// Reads the lines of a file, or of standard input for "-".
class LineReader {
 public:
  /// Opens `path` ("-": standard input, read from descriptor 0 unless std::cin was given another
  /// buffer, as an in-process caller does). Lines longer than `max_line` bytes (0: no limit)
  /// are reported as TooLong and not kept. Check ok().
  LineReader(const std::string& path, std::uintmax_t max_line);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// False when the input could not be opened (error() says why).
  bool ok() const { return ok_; }
  /// Why opening or reading failed ("PATH: why").
  const std::string& error() const { return error_; }

  /// What next() found.
  enum class Status {
    Line,     ///< `line` holds the next line, without its "\n" (and without a "\r" before it)
    TooLong,  ///< the next line was longer than the limit; it was skipped, `line` is empty
    End,      ///< no more lines
    Failed,   ///< a read error (error() says which)
  };
  /// Reads the next line. A last line without "\n" is a line; an empty input has none.
  Status next(std::string& line);
  /// The 1-based number of the line next() returned last.
  std::uint64_t line_number() const { return number_; }

 private:
  bool fill();
  int fd_ = -1;
  bool own_fd_ = false;
  std::streambuf* buffer_ = nullptr;  // standard input replaced by an in-process caller
  std::string path_;
  std::uintmax_t max_;
  bool ok_ = true;
  bool eof_ = false;
  std::string error_;
  std::uint64_t number_ = 0;
  char chunk_[65536];
  std::size_t begin_ = 0, end_ = 0;
};

}  // namespace teikit
