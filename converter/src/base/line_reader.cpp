#include "teikit/base/line_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace teikit {

namespace {

// Standard input's own buffer, captured before an in-process caller (the test runner) replaces
// it; as in file_io.cpp, "-" is read from descriptor 0 while std::cin still uses it.
std::streambuf* const g_stdin_buffer = std::cin.rdbuf();

}  // namespace

LineReader::LineReader(const std::string& path, std::uintmax_t max_line)
    : path_(path == "-" ? "<stdin>" : path), max_(max_line) {
  if (path == "-") {
    if (std::cin.rdbuf() == g_stdin_buffer) fd_ = STDIN_FILENO;
    else buffer_ = std::cin.rdbuf();
    return;
  }
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    ok_ = false;
    error_ = path + ": cannot read (" + std::strerror(errno) + ")";
    return;
  }
  own_fd_ = true;
}

LineReader::~LineReader() {
  if (own_fd_) ::close(fd_);
}

bool LineReader::fill() {
  begin_ = end_ = 0;
  if (eof_ || !ok_) return false;
  if (buffer_) {
    const std::streamsize n = buffer_->sgetn(chunk_, sizeof chunk_);
    if (n <= 0) eof_ = true;
    else end_ = static_cast<std::size_t>(n);
    return end_ > 0;
  }
  for (;;) {
    const ssize_t n = ::read(fd_, chunk_, sizeof chunk_);
    if (n < 0) {
      if (errno == EINTR) continue;
      ok_ = false;
      error_ = path_ + ": read error (" + std::strerror(errno) + ")";
      return false;
    }
    if (n == 0) eof_ = true;
    end_ = static_cast<std::size_t>(n);
    return n > 0;
  }
}

LineReader::Status LineReader::next(std::string& line) {
  line.clear();
  if (!ok_) return Status::Failed;
  bool too_long = false, any = false;
  for (;;) {
    if (begin_ == end_ && !fill()) {
      if (!ok_) return Status::Failed;
      if (!any) return Status::End;
      break;  // a last line without a newline
    }
    any = true;
    const char* start = chunk_ + begin_;
    const void* nl = std::memchr(start, '\n', end_ - begin_);
    const std::size_t n = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start)
                             : end_ - begin_;
    if (!too_long) {
      if (max_ && line.size() + n > max_) {
        too_long = true;
        std::string().swap(line);  // what was kept of it is released
      } else {
        line.append(start, n);
      }
    }
    begin_ += n;
    if (nl) {
      ++begin_;
      break;
    }
  }
  ++number_;
  if (too_long) return Status::TooLong;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return Status::Line;
}

}  // namespace teikit
