#include "teikit/base/file_io.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <csignal>
#include <cstring>
#include <ctime>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

namespace fs = boost::filesystem;

namespace teikit {

namespace {

// Standard input's own buffer, captured before anyone (the in-process test runner) replaces it:
// while std::cin still reads from it, "-" is read from descriptor 0 directly, with errno.
std::streambuf* const g_stdin_buffer = std::cin.rdbuf();

// The temporary being written, for the signal handler (only async-signal-safe calls there).
char g_temporary[4096];
volatile std::sig_atomic_t g_have_temporary = 0;

extern "C" void remove_temporary_and_die(int sig) {
  if (g_have_temporary) unlink(g_temporary);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

std::string describe_type(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

constexpr const char* kTempMark = ".teikit-";
constexpr const char* kRecordName = ".teikit-outputs";
constexpr long kStaleSeconds = 3600;

// Removes the temporaries of teikit writers that are gone (`.NAME.teikit-PID-XXXXXX.tmp` whose
// PID no longer exists, or older than an hour, which also covers a PID used again): SIGKILL
// and power loss cannot be caught, so the next run writing into the directory tidies up. Once
// per directory and process.
void remove_stale_temporaries(const std::string& dir) {
  static std::mutex mutex;
  static std::set<std::string> done;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!done.insert(dir).second) return;
  }
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  const std::time_t now = std::time(nullptr);
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() < 6 || name[0] != '.' || name.compare(name.size() - 4, 4, ".tmp") != 0)
      continue;
    const std::size_t mark = name.rfind(kTempMark);
    if (mark == std::string::npos) continue;
    const std::size_t digits = mark + std::strlen(kTempMark);
    const std::size_t dash = name.find('-', digits);
    if (dash == std::string::npos || dash == digits ||
        name.find_first_not_of("0123456789", digits) != dash)
      continue;
    const long pid = std::strtol(name.c_str() + digits, nullptr, 10);
    const std::string path = dir + "/" + name;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    const bool gone = pid > 0 && pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 &&
                      errno == ESRCH;
    const bool old = now - st.st_mtime > kStaleSeconds;
    if (gone || old) ::unlink(path.c_str());
  }
  ::closedir(d);
}

std::string directory_of(const std::string& path) {
  const std::string dir = fs::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// A file name as one token of a record line (no spaces, newlines or control bytes).
std::string record_token(const std::string& name) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : name) {
    if (c <= 0x20 || c == '%' || c == 0x7f) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string record_line(const struct stat& st, const std::string& name) {
  std::ostringstream line;
  line << st.st_dev << ' ' << st.st_ino << ' ' << st.st_size << ' ' << st.st_mtim.tv_sec << ' '
       << st.st_mtim.tv_nsec << ' ' << record_token(name) << '\n';
  return line.str();
}

bool read_fd(int fd, const std::string& name, std::string& bytes, std::string& error,
             std::uintmax_t max_size, const std::string& too_big) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = name + (name == "<stdin>" ? ": cannot read standard input (" : ": read error (") +
              std::strerror(errno) + ")";
      return false;
    }
    if (n == 0) return true;
    if (max_size && bytes.size() + static_cast<std::size_t>(n) > max_size) {
      error = name + too_big;
      return false;
    }
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) {  // no progress: report it rather than loop
      errno = EIO;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

void install_interrupt_cleanup() {
  // Every signal whose default action ends the process, but SIGPIPE (below), SIGKILL and SIGSTOP
  // (which cannot be caught) and the ones a fault raises. One ignored by whoever started the run
  // stays ignored (nohup's SIGHUP, a shell's background SIGINT).
  for (int sig :
       {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU}) {
    struct sigaction now;
    if (::sigaction(sig, nullptr, &now) == 0 && now.sa_handler == SIG_IGN) continue;
    std::signal(sig, remove_temporary_and_die);
  }
  std::signal(SIGXFSZ, SIG_IGN);  // a file-size limit makes write() fail with EFBIG instead
}

void protect_standard_descriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int got = ::open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
    if (got >= 0 && got != fd) {
      ::dup2(got, fd);
      ::close(got);
    }
  }
}

std::string library_input_problem(const std::string& path, std::uintmax_t max_size) {
  if (path.empty()) return "";
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "";  // the library reports it as unreadable
  if (S_ISDIR(st.st_mode)) return path + ": is a directory";
  if (!S_ISREG(st.st_mode))
    return path + ": is " + describe_type(st.st_mode) + "; only a regular file is read here";
  if (max_size && static_cast<std::uintmax_t>(st.st_size) > max_size)
    return path + ": larger than --max-input-size (" + std::to_string(max_size) +
           " bytes); refused";
  return "";
}

namespace {
// True when the symbolic link `path`, or a link it leads to, lies in /dev or /proc (checked on
// the absolute path of each link, as the kernel follows them; at most 40, as it does).
bool leads_through_descriptor_links(const std::string& path) {
  fs::path at = fs::absolute(path).lexically_normal();
  for (int hops = 0; hops < 40; ++hops) {
    const std::string s = at.string();
    if (s.rfind("/dev/", 0) == 0 || s.rfind("/proc/", 0) == 0) return true;
    char target[4096];
    const ssize_t n = ::readlink(s.c_str(), target, sizeof target);
    if (n <= 0 || static_cast<std::size_t>(n) >= sizeof target) return false;
    const fs::path next(std::string(target, static_cast<std::size_t>(n)));
    at = (next.is_absolute() ? next : at.parent_path() / next).lexically_normal();
  }
  return true;
}
}  // namespace

std::string output_target_problem(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return "";
  std::string what = "is " + describe_type(st.st_mode);
  if (S_ISLNK(st.st_mode)) {
    // A link is replaced, not followed; but one that leads to a device, FIFO or terminal
    // (/dev/stdout, a link to /dev/null) was meant as that, and replacing it (in /dev, as
    // root) would break it for everyone. A dangling link is a new path.
    struct stat to;
    if (::stat(path.c_str(), &to) != 0 || S_ISREG(to.st_mode)) {
      // /dev/stdout, /dev/fd/N, /proc/self/fd/N lead to whatever the descriptor is, a regular
      // file when the shell redirected it to one: the link stands for a descriptor, not a file,
      // and replacing it (as root) breaks /dev/stdout for everyone.
      if (!leads_through_descriptor_links(path)) return "";
      return path +
             ": is a link to a file descriptor, not a file; teikit writes outputs only "
             "to regular files or new paths (- for standard output)";
    }
    what = "is a symbolic link to " + describe_type(to.st_mode);
  }
  return path + ": " + what +
         "; teikit writes outputs only to regular files or new paths (- for standard output)";
}

std::string resolved_output_path(const std::string& path) {
  bool dot_dot = false;
  for (const auto& part : fs::path(path)) dot_dot |= part == "..";
  if (!dot_dot) return path;
  boost::system::error_code ec;
  fs::path resolved = fs::weakly_canonical(fs::absolute(path), ec).lexically_normal();
  if (ec) return path;
  if (resolved.filename() == ".") resolved = resolved.parent_path();
  std::string out = resolved.string();
  if (path.back() == '/' && (out.empty() || out.back() != '/')) out += '/';
  return out;
}

std::string output_input_conflict(const std::string& output,
                                  const std::vector<std::string>& inputs) {
  return InputFiles(inputs).conflict(output);
}

InputFiles::InputFiles(const std::vector<std::string>& inputs) {
  const auto file_key = [](const struct stat& st) {
    return std::make_pair(static_cast<std::uint64_t>(st.st_dev),
                          static_cast<std::uint64_t>(st.st_ino));
  };
  for (const auto& input : inputs) {
    if (input.empty()) continue;
    if (input == "-") {
      // Standard input redirected from a file: that file is an input too (when it can be read:
      // protect_standard_descriptors leaves a closed one write-only).
      struct stat st;
      const int flags = ::fcntl(0, F_GETFL);
      if (flags != -1 && (flags & O_ACCMODE) != O_WRONLY && ::fstat(0, &st) == 0 &&
          S_ISREG(st.st_mode))
        by_file_.emplace(file_key(st), "- (standard input)");
      continue;
    }
    by_path_.emplace(fs::absolute(input).lexically_normal().string(), input);
    // The output path itself is replaced (a symlink there is replaced, not followed), so it
    // conflicts when it is the input's file (a hard link) or the input's own symlink: both the
    // followed and the unfollowed identity of each input count.
    struct stat st;
    for (const bool follow : {true, false})
      if ((follow ? ::stat(input.c_str(), &st) : ::lstat(input.c_str(), &st)) == 0)
        by_file_.emplace(file_key(st), input);
  }
}

std::string InputFiles::conflict(const std::string& output) const {
  if (output == "-") {
    // Standard output redirected to (or appended to) an input file: writing would destroy it,
    // as `cat x > x` would (GNU cat refuses "input file is output file").
    struct stat st;
    if (::fstat(1, &st) != 0 || !S_ISREG(st.st_mode)) return "";
    const auto same = by_file_.find(std::make_pair(static_cast<std::uint64_t>(st.st_dev),
                                                   static_cast<std::uint64_t>(st.st_ino)));
    if (same == by_file_.end()) return "";
    return "standard output is the input " + same->second + "; refused (it would be overwritten)";
  }
  if (by_path_.count(fs::absolute(output).lexically_normal().string()))
    return output + ": is also an input of this run; refused (it would be replaced)";
  struct stat out_st;
  if (::lstat(output.c_str(), &out_st) != 0) return "";
  const auto same = by_file_.find(std::make_pair(static_cast<std::uint64_t>(out_st.st_dev),
                                                 static_cast<std::uint64_t>(out_st.st_ino)));
  if (same == by_file_.end()) return "";
  return output + ": is the same file as the input " + same->second +
         "; refused (it would be replaced)";
}

bool written_by_teikit(const std::string& path) { return OutputRecords().written_by_teikit(path); }

bool OutputRecords::written_by_teikit(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  const std::string dir = directory_of(path);
  const std::string wanted = record_line(st, fs::path(path).filename().string());
  auto known = lines_.find(dir);
  if (known != lines_.end() && known->second.count(wanted)) return true;
  // Not read yet, or read before this file was written: another run records a file before it
  // renames it into place, so a record read after the lstat above has its line if teikit wrote
  // it. (Re-read on a miss only: a run stops at the first file that is not teikit's.)
  std::string records, error;
  std::unordered_set<std::string> lines;
  if (read_input(dir + "/" + kRecordName, records, error, 64u << 20)) {
    // Whole lines only: a line is the inode, size, modification time and name at writing time.
    for (std::size_t at = 0; at < records.size();) {
      std::size_t end = records.find('\n', at);
      end = end == std::string::npos ? records.size() : end + 1;
      lines.insert(records.substr(at, end - at));
      at = end;
    }
  }
  const bool found = lines.count(wanted) > 0;
  lines_[dir] = std::move(lines);
  return found;
}

namespace {

// Appends the line for `st` (the file about to be renamed to `path`) to the directory's record.
void record_output(const std::string& path, const struct stat& st) {
  const std::string dir = directory_of(path);
  const std::string record_path = dir + "/" + kRecordName;
  const std::string line = record_line(st, fs::path(path).filename().string());
  struct stat rst;
  if (::lstat(record_path.c_str(), &rst) == 0 && !S_ISREG(rst.st_mode)) return;
  // Compaction reads the whole record and checks each of its files, so it must not run on
  // every write once a directory holds many files whose lines are all still valid: after a
  // compaction the next one waits until the record has doubled (per directory, per process),
  // which keeps the cost of writing N files into one directory linear.
  static std::mutex compaction_mutex;
  static std::map<std::string, long long> compact_above;
  long long threshold = 1 << 20;
  {
    std::lock_guard<std::mutex> lock(compaction_mutex);
    const auto known = compact_above.find(dir);
    if (known != compact_above.end()) threshold = std::max(threshold, known->second);
  }
  if (::lstat(record_path.c_str(), &rst) == 0 && rst.st_size > threshold) {
    // Compact: keep the lines that still describe a file as it is; a concurrent writer's line
    // lost here only means its file will not be replaced later (the safe direction).
    std::string records, error, kept;
    if (read_input(record_path, records, error, 64u << 20)) {
      std::istringstream in(records);
      std::string l;
      while (std::getline(in, l)) {
        const std::size_t name_at = l.rfind(' ');
        if (name_at == std::string::npos) continue;
        std::string name;
        const std::string token = l.substr(name_at + 1);
        for (std::size_t i = 0; i < token.size(); ++i) {
          if (token[i] == '%' && i + 2 < token.size()) {
            name += static_cast<char>(std::strtol(token.substr(i + 1, 2).c_str(), nullptr, 16));
            i += 2;
          } else {
            name += token[i];
          }
        }
        struct stat fst;
        const std::string file = dir + "/" + name;
        if (::lstat(file.c_str(), &fst) == 0 && record_line(fst, name) == l + "\n") kept += l + "\n";
      }
      kept += line;
      {
        std::lock_guard<std::mutex> lock(compaction_mutex);
        compact_above[dir] = 2 * static_cast<long long>(kept.size());
      }
      std::string ignored;
      write_atomically(record_path, kept, ignored);
      return;
    }
  }
  const int fd = ::open(record_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
                        0666);
  if (fd < 0) return;
  write_all(fd, line.data(), line.size());  // one short line with O_APPEND: not interleaved
  ::close(fd);
}

}  // namespace

bool write_atomically(const std::string& path, const std::string& data, std::string& error,
                      bool record) {
  return write_atomically(
      path, [&data](const ByteSink& sink) { return sink(data.data(), data.size()); }, error,
      record);
}

namespace {

// A temporary written beside its target, not yet flushed to disk nor renamed.
struct Temporary {
  std::string path;  // the temporary
  int fd = -1;       // still open
};

// The first half of an atomic write: checks the target, writes what `produce` makes to a new
// temporary beside it (with the old file's permissions) and leaves it open. On failure nothing
// is left behind; `error` as write_atomically says. With `track`, the signal handler of
// install_interrupt_cleanup knows the temporary (one at a time: write_atomically's).
bool write_temporary(const std::string& path, const ByteProducer& produce, std::string& error,
                     bool track, Temporary& out) {
  error.clear();
  const fs::path target(path);
  if (const std::string problem = output_target_problem(path); !problem.empty()) {
    error = problem;
    return false;
  }
  struct stat existing;
  const bool keep_mode = ::lstat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode);
  const std::string dir = directory_of(path);
  remove_stale_temporaries(dir);
  // A hidden name beside the target: same file system (so rename is atomic), and a directory
  // listing of *.xml / *.html never picks up a temporary. The writer's pid in the name lets a
  // later run tell a stale temporary from a live one. The target's name is shortened so that
  // the temporary's stays within NAME_MAX.
  std::string stem = target.filename().string().substr(0, 160);
  // The name's last part is a counter of this process, not random (boost's unique_path opens a
  // random device for every name, a measurable cost at tens of thousands of outputs): the pid
  // tells processes apart, and O_EXCL a name left by a dead process with the same pid (the
  // next number is tried).
  static std::atomic<unsigned long> serial{0};
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 64; ++attempt) {
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, "-%06lx.tmp", ++serial & 0xffffffUL);
    tmp = (fs::path(dir) / ("." + stem + kTempMark + std::to_string(::getpid()) + suffix)).string();
    if (tmp.size() >= sizeof g_temporary) {
      error = path + ": path too long";
      return false;
    }
    if (track) {
      std::memcpy(g_temporary, tmp.c_str(), tmp.size() + 1);
      g_have_temporary = 1;
    }
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd >= 0 || errno != EEXIST) break;
  }
  if (fd < 0) {
    if (track) g_have_temporary = 0;
    error = path + ": cannot write (" + std::strerror(errno) + ")";
    return false;
  }
  if (keep_mode) {
    // The replacement is a new file: give it the old one's permissions (0600 stays 0600), and
    // for root its owner, as editing the file in place would have kept them.
    ::fchmod(fd, existing.st_mode & 07777);
    if (::geteuid() == 0 && ::fchown(fd, existing.st_uid, existing.st_gid) == 0)
      ::fchmod(fd, existing.st_mode & 07777);  // chown clears set-id bits
  }
  bool write_failed = false;
  int write_errno = 0;
  const ByteSink to_file = [&](const char* data, std::size_t size) {
    if (write_failed) return false;
    if (!write_all(fd, data, size)) {
      write_failed = true;
      write_errno = errno;
      return false;
    }
    return true;
  };
  const bool produced = produce(to_file);
  if (!produced || write_failed) {
    // A failed write, or the producer's own failure (a transformation error, error stays ""):
    // nothing is left behind.
    ::close(fd);
    ::unlink(tmp.c_str());
    if (track) g_have_temporary = 0;
    if (write_failed) error = path + ": write failed (" + std::strerror(write_errno) + ")";
    return false;
  }
  out.path = tmp;
  out.fd = fd;
  return true;
}

}  // namespace

bool write_atomically(const std::string& path, const ByteProducer& produce, std::string& error,
                      bool record) {
  Temporary t;
  if (!write_temporary(path, produce, error, true, t)) return false;
  const std::string& tmp = t.path;
  const int fd = t.fd;
  // fsync before rename: after a crash the target is the old file or the whole new one.
  const bool synced = ::fsync(fd) == 0;
  const int sync_errno = errno;
  struct stat written_st;
  const bool described = synced && record && ::fstat(fd, &written_st) == 0;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed) {
    const int why = !synced ? sync_errno : errno;
    ::unlink(tmp.c_str());
    g_have_temporary = 0;
    error = path + ": write failed (" + std::strerror(why) + ")";
    return false;
  }
  // Recorded before the rename (which keeps inode, size and modification time): a concurrent
  // run planning its outputs never sees this file in place but unrecorded.
  if (described) record_output(path, written_st);
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

AtomicBatch::~AtomicBatch() { discard(); }

bool AtomicBatch::add(const std::string& path, const ByteProducer& produce, std::string& error) {
  Temporary t;
  if (!write_temporary(path, produce, error, false, t)) return false;
  // Closed now (a batch may hold many): the data is in the page cache, flushed by commit().
  if (::close(t.fd) != 0) {
    error = path + ": write failed (" + std::strerror(errno) + ")";
    ::unlink(t.path.c_str());
    return false;
  }
  pending_.push_back({path, t.path});
  return true;
}

bool AtomicBatch::commit(std::vector<std::string>& errors) {
  if (pending_.empty()) return true;
  bool ok = true;
  // One syncfs(2) for the whole batch instead of an fsync per file (milliseconds each): the
  // same guarantee, every temporary is on disk before any of them is renamed into place.
  const int dir_fd = ::open(directory_of(pending_.front().target).c_str(),
                            O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool synced = dir_fd >= 0 && ::syncfs(dir_fd) == 0;
  if (dir_fd >= 0) ::close(dir_fd);
  for (const auto& p : pending_) {
    if (!synced) {
      // syncfs is not there (or failed): each file on its own.
      const int fd = ::open(p.temporary.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
      const bool file_synced = fd >= 0 && ::fsync(fd) == 0;
      const int why = errno;
      if (fd >= 0) ::close(fd);
      if (!file_synced) {
        errors.push_back(p.target + ": write failed (" + std::strerror(why) + ")");
        ::unlink(p.temporary.c_str());
        ok = false;
        continue;
      }
    }
    if (::rename(p.temporary.c_str(), p.target.c_str()) != 0) {
      errors.push_back(p.target + ": cannot rename into place (" + std::strerror(errno) + ")");
      ::unlink(p.temporary.c_str());
      ok = false;
    }
  }
  pending_.clear();
  return ok;
}

void AtomicBatch::discard() {
  for (const auto& p : pending_) ::unlink(p.temporary.c_str());
  pending_.clear();
}

bool read_input(const std::string& path, std::string& bytes, std::string& error,
                std::uintmax_t max_size) {
  const std::string too_big = ": larger than --max-input-size (" + std::to_string(max_size) +
                              " bytes); refused";
  bytes.clear();
  if (path == "-") {
    const std::string name = "<stdin>";
    if (std::cin.rdbuf() == g_stdin_buffer) {
      if (!read_fd(0, name, bytes, error, max_size, too_big)) return false;
    } else {
      // Standard input replaced by a stream (the in-process test runner): the same bounded loop.
      char buffer[65536];
      while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
        const auto n = static_cast<std::size_t>(std::cin.gcount());
        if (max_size && bytes.size() + n > max_size) {
          error = name + too_big;
          return false;
        }
        bytes.append(buffer, n);
      }
      if (std::cin.bad()) {
        error = name + ": read error";
        return false;
      }
    }
    if (bytes.empty()) {
      error = name + ": standard input is empty";
      return false;
    }
    return true;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    error = path + ": cannot open for reading (" + std::strerror(errno) + ")";
    return false;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    error = path + ": cannot read (" + std::strerror(errno) + ")";
    ::close(fd);
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    error = path + ": is a directory";
    ::close(fd);
    return false;
  }
  if (S_ISREG(st.st_mode)) {
    if (max_size && static_cast<std::uintmax_t>(st.st_size) > max_size) {
      error = path + too_big;
      ::close(fd);
      return false;
    }
    bytes.reserve(static_cast<std::size_t>(st.st_size));  // one allocation, not doubling
  }
  // Devices, FIFOs and files that grow while read are bounded by the same loop.
  const bool ok = read_fd(fd, path, bytes, error, max_size, too_big);
  ::close(fd);
  return ok;
}

FdOutputBuffer::FdOutputBuffer(int fd) : fd_(fd), line_buffered_(::isatty(fd) == 1) {
  setp(buffer_, buffer_ + sizeof buffer_);
}

FdOutputBuffer::~FdOutputBuffer() { drain(); }

bool FdOutputBuffer::drain() {
  const std::size_t n = static_cast<std::size_t>(pptr() - pbase());
  if (n == 0) return error_ == 0;
  if (error_ == 0 && !write_all(fd_, pbase(), n)) error_ = errno ? errno : EIO;
  setp(buffer_, buffer_ + sizeof buffer_);
  return error_ == 0;
}

FdOutputBuffer::int_type FdOutputBuffer::overflow(int_type c) {
  if (!drain()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  if (line_buffered_ && traits_type::to_char_type(c) == '\n' && !drain()) return traits_type::eof();
  return c;
}

std::streamsize FdOutputBuffer::xsputn(const char* s, std::streamsize n) {
  if (error_ != 0) return 0;
  const std::streamsize room = epptr() - pptr();
  if (n <= room) {
    std::memcpy(pptr(), s, static_cast<std::size_t>(n));
    pbump(static_cast<int>(n));
    // On a terminal, whole lines appear as they are written (validate --verbose).
    if (line_buffered_ && std::memchr(s, '\n', static_cast<std::size_t>(n)) && !drain()) return 0;
    return n;
  }
  // Large pieces (a whole document) go straight out after what is buffered.
  if (!drain()) return 0;
  if (!write_all(fd_, s, static_cast<std::size_t>(n))) {
    error_ = errno ? errno : EIO;
    return 0;
  }
  return n;
}

int FdOutputBuffer::sync() { return drain() ? 0 : -1; }

bool output_ok(std::ostream& out, std::string& error) {
  out.flush();
  if (out.good()) return true;
  const auto* fd_buffer = dynamic_cast<const FdOutputBuffer*>(out.rdbuf());
  error = fd_buffer && fd_buffer->error() ? std::strerror(fd_buffer->error()) : "write error";
  return false;
}

}  // namespace teikit
