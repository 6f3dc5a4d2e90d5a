// Reading inputs and writing outputs so that no user file is destroyed: a failed or interrupted
// run never leaves a half-written file, nothing is read without a bound, an output never
// replaces a file teikit did not write, and a write error on standard output is never lost.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <streambuf>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "teikit/base/byte_sink.hpp"

namespace teikit {

/// Writes all `size` bytes of `data` to `fd`, again after EINTR and short writes. False on an
/// error (errno says which; EIO when write makes no progress).
bool write_all(int fd, const char* data, std::size_t size);

/// Writes `data` to `path` through a temporary file in the same directory that is flushed to
/// disk and renamed into place (rename is atomic within one file system): readers see the old
/// file or the new one, never a part. The temporary is named `.NAME.teikit-PID-XXXXXX.tmp`;
/// stale ones in the directory (their writer is gone, or they are more than an hour old) are
/// removed first. An existing regular target keeps its permission bits (and, for root, its
/// owner); a symbolic link is replaced, never written through; a directory, FIFO, socket or
/// device as target is refused. On failure (disk full, file-size limit, no permission) the
/// temporary is removed, the target is untouched, `error` says why ("PATH: …") and the result is
/// false. With `record`, the file is also recorded in `.teikit-outputs` of its directory before
/// it is renamed into place (so no other run can see it unrecorded), so that written_by_teikit
/// recognises it later although its content says nothing about its origin (plain text,
/// Markdown, a user's stylesheet's output). Recording is best effort: when it fails, a later
/// run will only refuse to replace the file.
bool write_atomically(const std::string& path, const std::string& data, std::string& error,
                      bool record = false);

/// Produces an output piece by piece into a sink; returns false when it failed (for its own
/// reason, or because the sink refused a piece).
using ByteProducer = std::function<bool(const ByteSink& sink)>;

/// write_atomically with the content written to the temporary as `produce` makes it, so that it
/// is never held whole in memory. Every piece is written with checked write(2) calls; when one
/// fails the sink refuses it and the rest. When `produce` returns false, the temporary is
/// removed, the target is untouched and the result is false; `error` is then "PATH: write failed
/// (why)" when a write failed, and "" when the producer failed for its own reason (which it
/// reports itself).
bool write_atomically(const std::string& path, const ByteProducer& produce, std::string& error,
                      bool record = false);

/// Several outputs replaced atomically and made durable together: each is written at once to
/// its temporary (as write_atomically does, same checks and names), and commit() flushes all of
/// them to disk with one syncfs(2) before renaming each into place. After a crash every target
/// is its old file or its whole new one, as with write_atomically, but a collection of small
/// files costs one flush instead of one per file. Files are not recorded (`.teikit-outputs`):
/// for outputs whose content names teikit (TEI, HTML pages). Not thread-safe: one per thread.
class AtomicBatch {
 public:
  AtomicBatch() = default;
  /// Removes the temporaries of files not committed.
  ~AtomicBatch();
  AtomicBatch(const AtomicBatch&) = delete;
  AtomicBatch& operator=(const AtomicBatch&) = delete;
  /// Writes what `produce` makes to a temporary beside `path`; false with `error` as
  /// write_atomically sets it ("" when the producer failed for its own reason).
  bool add(const std::string& path, const ByteProducer& produce, std::string& error);
  /// Flushes the temporaries to disk and renames each into place, in the order added; false
  /// when one could not be, with "PATH: why" for each in `errors` (the others are in place).
  bool commit(std::vector<std::string>& errors);
  /// Removes the temporaries without renaming them.
  void discard();
  /// Number of files waiting for commit().
  std::size_t size() const { return pending_.size(); }

 private:
  struct Pending {
    std::string target, temporary;
  };
  std::vector<Pending> pending_;
};

/// Reads a whole input file, or standard input for "-" (named "<stdin>" in messages), with a
/// bounded loop whatever it is (regular file, FIFO, character device, pipe): refuses an input
/// larger than `max_size` bytes (0: no limit) before reading a regular file, and as soon as the
/// limit is passed for anything else, so memory stays bounded. An empty or unreadable standard
/// input is an error. Returns false and sets `error` ("PATH: why") on failure.
bool read_input(const std::string& path, std::string& bytes, std::string& error,
                std::uintmax_t max_size = 0);

/// "" when the file `path` (a stylesheet, a schema: read by libxml2/libxslt themselves, so not
/// through read_input) is a regular file of at most `max_size` bytes (0: no limit), or `path`
/// is empty; otherwise why not. A FIFO or device would be read without a bound.
std::string library_input_problem(const std::string& path, std::uintmax_t max_size);

/// "" when `path` may be written as an output: it does not exist, or it is a regular file, or a
/// symbolic link (replaced, not followed) that leads to a regular file or nowhere. Otherwise
/// why not ("PATH: is a directory; teikit writes outputs only to regular files or new paths (-
/// for standard output)"); a link to a device or FIFO (/dev/stdout) is refused too.
std::string output_target_problem(const std::string& path);

/// `path` as the kernel resolves it once its missing folders are made. A ".." after a folder
/// that does not exist yet ("d/new/../x") is taken lexically by every check made before the
/// folder exists, but resolved by the kernel after: such a path is made canonical (the existing
/// part with its symbolic links followed, the rest lexically), so that the checks see the file
/// that will be written. A path without ".." is returned as it is.
std::string resolved_output_path(const std::string& path);

/// "" when writing `output` cannot touch one of `inputs`; otherwise why: the same path, or the
/// same file (a hard link, or the file an input symlink points at). An input "-" is standard
/// input, an output "-" standard output: they conflict when they are a regular file that is an
/// input (`convert - -o x.txt < x.txt`, `convert x.txt >> x.txt`).
std::string output_input_conflict(const std::string& output, const std::vector<std::string>& inputs);

/// The inputs of one run, indexed by path and by file identity, so that checking each of many
/// outputs against all inputs costs a lookup instead of a pass over the inputs (a run over
/// 10,000 files would otherwise compare 10^8 pairs).
class InputFiles {
 public:
  /// Indexes `inputs` (empty entries ignored; "-" is standard input, indexed by its file when it
  /// is a regular file; inputs that do not exist have a path only).
  explicit InputFiles(const std::vector<std::string>& inputs);
  /// What output_input_conflict(output, inputs) says: "" or why `output` would touch an input.
  std::string conflict(const std::string& output) const;

 private:
  std::unordered_map<std::string, std::string> by_path_;  ///< absolute normal path → input
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::string> by_file_;  ///< (dev, inode) → input
};

/// Whether the existing regular file `path` is one teikit wrote and may replace: a TEI document
/// or corpus whose header names the application teikit, a page whose generator is teikit, or a
/// file recorded (same inode, size and modification time) in the directory's `.teikit-outputs`
/// by write_atomically. A file edited since teikit wrote it is no longer teikit's.
bool written_by_teikit(const std::string& path);

/// written_by_teikit for many files: each directory's `.teikit-outputs` is read on the first
/// file asked about in it and kept (its lines in a set), and read again only when a file is not
/// found in it (it may have been written since), so checking N files teikit wrote in one
/// directory reads its record once instead of N times.
class OutputRecords {
 public:
  /// As written_by_teikit(path), from the records read so far (reading the directory's first).
  bool written_by_teikit(const std::string& path);

 private:
  std::unordered_map<std::string, std::unordered_set<std::string>> lines_;  ///< dir → lines
};

/// A stream buffer writing to a file descriptor with write(2), every write checked: after the
/// first failure (a short write, disk full, a closed descriptor, EPIPE when SIGPIPE is ignored)
/// it accepts nothing more, so the stream goes bad, and error() gives the errno.
class FdOutputBuffer : public std::streambuf {
 public:
  /// Writes to `fd` (not owned: never closed here).
  explicit FdOutputBuffer(int fd);
  ~FdOutputBuffer() override;
  FdOutputBuffer(const FdOutputBuffer&) = delete;
  FdOutputBuffer& operator=(const FdOutputBuffer&) = delete;
  /// errno of the first failed write; 0 when none failed.
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  bool drain();
  int fd_;
  bool line_buffered_;  // a terminal: each line is written when complete
  int error_ = 0;
  char buffer_[65536];
};

/// Flushes `out` and says whether everything written to it arrived; on failure `error` is the
/// reason ("No space left on device" for an FdOutputBuffer, else "write error").
bool output_ok(std::ostream& out, std::string& error);

/// Makes SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF and
/// SIGXCPU (those not ignored already) remove the temporary that write_atomically is writing
/// before the process ends with the signal, and makes a file-size limit an error rather
/// than a kill (SIGXFSZ ignored). SIGPIPE keeps its default (a closed pipe ends the run quietly,
/// as for other filters). For executables: call once from main; the library never does it.
void install_interrupt_cleanup();

/// Opens /dev/null on whichever of the descriptors 0, 1 and 2 is closed, in the direction that
/// fails (write-only on 0, read-only on 1 and 2), so that a closed standard input reads as an
/// error, a closed standard output fails every write, and no file teikit opens later can take
/// one of those numbers. For executables: call once from main, first.
void protect_standard_descriptors();

}  // namespace teikit
