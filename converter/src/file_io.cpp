#include "teikit/file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = boost::filesystem;

namespace teikit {

namespace {

// The temporary being written, for the signal handler (only async-signal-safe calls there).
char g_temporary[4096];
volatile std::sig_atomic_t g_have_temporary = 0;

extern "C" void remove_temporary_and_die(int sig) {
  if (g_have_temporary) unlink(g_temporary);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void install_interrupt_cleanup() {
  std::signal(SIGINT, remove_temporary_and_die);
  std::signal(SIGTERM, remove_temporary_and_die);
  std::signal(SIGXFSZ, SIG_IGN);  // a file-size limit makes write() fail with EFBIG instead
}

bool write_atomically(const std::string& path, const std::string& data, std::string& error) {
  const fs::path target(path);
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  boost::system::error_code ec;
  // A hidden name beside the target: same file system (so rename is atomic), and a directory
  // listing of *.xml / *.html never picks up a temporary.
  const std::string tmp =
      (dir / fs::unique_path("." + target.filename().string() + ".%%%%%%.tmp", ec)).string();
  if (tmp.size() >= sizeof g_temporary) {
    error = path + ": path too long";
    return false;
  }
  std::memcpy(g_temporary, tmp.c_str(), tmp.size() + 1);
  g_have_temporary = 1;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    g_have_temporary = 0;
    error = path + ": cannot write (" + std::strerror(errno) + ")";
    return false;
  }
  const bool written = write_all(fd, data.data(), data.size());
  const int write_errno = errno;
  // fsync before rename: after a crash the target is the old file or the whole new one.
  const bool synced = written && ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!written || !synced || !closed) {
    ::unlink(tmp.c_str());
    g_have_temporary = 0;
    error = path + ": write failed (" + std::strerror(written ? errno : write_errno) + ")";
    return false;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    g_have_temporary = 0;
    error = path + ": cannot rename into place (" + why + ")";
    return false;
  }
  g_have_temporary = 0;
  return true;
}

bool read_input(const std::string& path, std::string& bytes, std::string& error,
                std::uintmax_t max_size) {
  const std::string too_big = ": larger than --max-input-size (" + std::to_string(max_size) +
                              " bytes); refused";
  if (path == "-") {
    bytes.clear();
    char buffer[65536];
    while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
      bytes.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
      if (max_size && bytes.size() > max_size) {
        error = "<stdin>" + too_big;
        return false;
      }
    }
    return true;
  }
  boost::system::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = path + ": is a directory";
    return false;
  }
  if (const auto size = fs::file_size(path, ec); !ec && max_size && size > max_size) {
    error = path + too_big;
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open for reading";
    return false;
  }
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) {
    error = path + ": read error";
    return false;
  }
  bytes = s.str();
  return true;
}

}  // namespace teikit
