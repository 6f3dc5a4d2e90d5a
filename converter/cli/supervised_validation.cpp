// A validation job under supervision: the job runs in a child process, the parent keeps the time
// (validation_job.hpp says why). The child reports through a pipe what the job reports
// (ValidationProgress); the parent gives compiling and each document a time limit, kills the
// child when one runs out, and starts a new child for the documents left after a document that
// ran out of time or killed the child. POSIX only.
#include "supervised_validation.hpp"

#include "teikit/base/file_io.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace teikit {

namespace {

using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------------
// The pipe protocol: frames of [kind: 1 byte][length: 4 bytes][payload]. The payload is a
// sequence of fields: 4-byte unsigned, 8-byte double, strings as length + bytes.

enum Frame : char {
  kCompiling = 'P',  // documents read; compilation starts (the clock starts)
  kCompiled = 'C',   // compile_seconds, prune stats
  kFailed = 'F',     // schema_error
  kDocument = 'D',   // index, one DocumentResult
  kReading = 'R',    // index: pass 1 reads this document (its clock starts)
  kRead = 'E',       // index: pass 1 is done with this document (its clock stops)
  kValidating = 'V', // index: pass 2 validates this document (its clock starts)
};

class Payload {
 public:
  void u32(std::uint32_t v) { bytes_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void f64(double v) { bytes_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void text(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    bytes_ += s;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  std::uint32_t u32() {
    std::uint32_t v = 0;
    take(&v, sizeof v);
    return v;
  }
  double f64() {
    double v = 0;
    take(&v, sizeof v);
    return v;
  }
  std::string text() {
    const std::uint32_t n = u32();
    if (n > bytes_.size() - pos_) {
      pos_ = bytes_.size();
      return {};
    }
    std::string s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  void take(void* out, std::size_t n) {
    if (bytes_.size() - pos_ < n) {
      pos_ = bytes_.size();
      return;
    }
    std::memcpy(out, bytes_.data() + pos_, n);
    pos_ += n;
  }
  const std::string& bytes_;
  std::size_t pos_ = 0;
};

void send(int fd, Frame kind, const Payload& p = {}) {
  std::string frame(1, static_cast<char>(kind));
  const auto n = static_cast<std::uint32_t>(p.bytes().size());
  frame.append(reinterpret_cast<const char*>(&n), sizeof n);
  frame += p.bytes();
  write_all(fd, frame.data(), frame.size());
}

void put(Payload& p, const DocumentResult& d) {
  p.text(d.name);
  p.u32(static_cast<std::uint32_t>(d.verdict));
  p.f64(d.seconds);
  p.u32(static_cast<std::uint32_t>(d.diagnostics.size()));
  for (const auto& v : d.diagnostics) {
    p.text(v.diagnostic.file);
    p.u32(v.diagnostic.line);
    p.u32(v.diagnostic.column);
    p.u32(static_cast<std::uint32_t>(v.diagnostic.severity));
    p.text(v.diagnostic.code);
    p.text(v.diagnostic.message);
    p.text(v.path);
  }
}

DocumentResult get_document(Reader& r) {
  DocumentResult d;
  d.name = r.text();
  d.verdict = static_cast<Verdict>(r.u32());
  d.seconds = r.f64();
  const std::uint32_t n = r.u32();
  for (std::uint32_t i = 0; i < n; ++i) {
    ValidationDiagnostic v;
    v.diagnostic.file = r.text();
    v.diagnostic.line = r.u32();
    v.diagnostic.column = r.u32();
    v.diagnostic.severity = static_cast<Severity>(r.u32());
    v.diagnostic.code = r.text();
    v.diagnostic.message = r.text();
    v.path = r.text();
    d.diagnostics.push_back(std::move(v));
  }
  return d;
}


// The exit status of a child that ran out of memory where it could not report it.
constexpr int kChildOutOfMemory = 4;

// The child's side: what the job reports goes down the pipe as frames.
class PipeProgress : public ValidationProgress {
 public:
  explicit PipeProgress(int fd) : fd_(fd) {}
  void reading(std::size_t i) override { send_index(kReading, i); }
  void read(std::size_t i) override { send_index(kRead, i); }
  void compiling() override { send(fd_, kCompiling); }
  void failed(const std::string& why) override { send_failed(why, false); }
  void out_of_memory(const std::string& why) override { send_failed(why, true); }
  void compiled(double seconds, bool pruned, const PruneStats& stats) override {
    Payload p;
    p.f64(seconds);
    p.u32(pruned ? 1 : 0);
    p.u32(static_cast<std::uint32_t>(stats.elements_kept));
    p.u32(static_cast<std::uint32_t>(stats.elements_pruned));
    p.u32(static_cast<std::uint32_t>(stats.attributes_pruned));
    p.u32(static_cast<std::uint32_t>(stats.defines_removed));
    p.u32(stats.self_contained ? 1 : 0);
    send(fd_, kCompiled, p);
  }
  void validating(std::size_t i) override { send_index(kValidating, i); }
  void send_failed(const std::string& why, bool out_of_memory) {
    Payload p;
    p.text(why);
    p.u32(out_of_memory ? 1 : 0);
    send(fd_, kFailed, p);
  }
  void document(std::size_t i, DocumentResult r) override {
    Payload p;
    p.u32(static_cast<std::uint32_t>(i));
    put(p, r);
    send(fd_, kDocument, p);
  }

 private:
  void send_index(Frame kind, std::size_t i) {
    Payload p;
    p.u32(static_cast<std::uint32_t>(i));
    send(fd_, kind, p);
  }
  int fd_;
};

// ---------------------------------------------------------------------------------------------
// The parent.

std::string seconds_text(double s) {
  char limit[32];
  std::snprintf(limit, sizeof limit, "%g", s);
  return std::string(limit) + (s == 1 ? " second" : " seconds");
}

// A document the validator did not finish: it ran out of time, or the process died on it.
DocumentResult stopped_on(const ValidationInput& in, bool timed_out, bool reading, double limit,
                          int status) {
  DocumentResult d;
  d.name = in.name;
  d.verdict = Verdict::NotValidated;
  ValidationDiagnostic v;
  v.diagnostic.file = d.name;
  v.diagnostic.severity = Severity::Error;
  if (timed_out) {
    v.diagnostic.code = "validation-timeout";
    v.diagnostic.message = std::string(reading ? "reading and parsing" : "validating") +
                           " this document took longer than " + seconds_text(limit) +
                           " (gave up; a longer --timeout may help)";
  } else {
    v.diagnostic.code = "validator-crashed";
    v.diagnostic.message =
        "the validator stopped on this document" +
        (WIFSIGNALED(status) ? " (signal " + std::to_string(WTERMSIG(status)) + ")"
                             : std::string());
  }
  d.diagnostics.push_back(std::move(v));
  return d;
}

// What one child process achieved.
struct Round {
  bool compiled = false;       // the schema compiled (kCompiled arrived)
  bool failed = false;         // the schema did not compile (kFailed arrived)
  bool out_of_memory = false;  // ... because memory ran out
  bool schema_timeout = false;  // compilation ran out of time
  std::string schema_error;
  double compile_seconds = 0;
  bool pruned = false;
  PruneStats prune;
  std::optional<std::size_t> current;  // the document being read or validated when it ended
  bool current_reading = false;        // ... in pass 1
  bool document_timeout = false;       // ... and it ran out of time
  /// The child died with several documents in flight (validate -j): which one stopped it is
  /// not known, so none is blamed; the next round validates one document at a time.
  bool ambiguous = false;
  int status = 0;                      // the child's wait status
};

Clock::time_point deadline_after(double seconds) {
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// The parent's reading of the frames: what arrived, which clock runs.
struct Frames {
  const std::vector<ValidationInput>& inputs;
  const std::vector<std::size_t>& indices;
  const ValidationLimits& options;
  std::vector<std::optional<DocumentResult>>& results;
  Round& round;
  bool done = false;
  bool heard = false;  // a frame has come: before the first, the compilation's clock runs
  std::size_t received = 0;
  // The compilation's clock, when it runs.
  bool compiling = false;
  Clock::time_point compile_deadline{};
  // The documents being read or validated (several with validate -j), each with its clock.
  struct Running {
    Clock::time_point deadline;
    bool reading;  // pass 1
  };
  std::map<std::size_t, Running> running{};

  // Handles every complete frame at the start of `buffer` and removes them.
  void handle(std::string& buffer) {
    std::size_t pos = 0;
    while (!done && buffer.size() - pos >= 5) {
      std::uint32_t len = 0;
      std::memcpy(&len, buffer.data() + pos + 1, sizeof len);
      if (buffer.size() - pos - 5 < len) break;
      const char kind = buffer[pos];
      const std::string payload = buffer.substr(pos + 5, len);
      pos += 5 + len;
      Reader r(payload);
      heard = true;
      switch (kind) {
        case kReading:
        case kValidating: {
          const std::size_t i = r.u32();
          if (i >= inputs.size()) break;
          running[i] = Running{deadline_after(options.document_timeout), kind == kReading};
          break;
        }
        case kRead:
          running.erase(r.u32());
          break;
        case kCompiling:
          running.clear();
          compiling = true;
          compile_deadline = deadline_after(options.compile_timeout);
          break;
        case kFailed:
          compiling = false;
          round.failed = true;
          round.schema_error = r.text();
          round.out_of_memory = r.u32() != 0;
          done = true;
          break;
        case kCompiled:
          compiling = false;
          round.compiled = true;
          round.compile_seconds = r.f64();
          round.pruned = r.u32() != 0;
          round.prune.elements_kept = r.u32();
          round.prune.elements_pruned = r.u32();
          round.prune.attributes_pruned = r.u32();
          round.prune.defines_removed = r.u32();
          round.prune.self_contained = r.u32() != 0;
          break;
        case kDocument: {
          const std::size_t i = r.u32();
          running.erase(i);
          if (i < inputs.size()) results[i] = get_document(r);
          if (++received == indices.size()) done = true;
          break;
        }
        default:
          break;
      }
    }
    buffer.erase(0, pos);
  }
};

// How long a child that has closed its pipe may take to exit before it is killed.
constexpr int kExitGraceMs = 2000;
// How long the parent lets frames gather before it reads them (see run_round).
constexpr int kFrameBatchMs = 1;

// Runs one child on `indices` and collects what it sends into `results`.
Round run_round(const std::vector<ValidationInput>& inputs, const std::vector<std::size_t>& indices,
                const ValidationOptions& options, const ValidationLimits& limits,
                std::vector<std::optional<DocumentResult>>& results, std::string& start_error,
                const HeldLock* held) {
  // The caller's lock is let go only around what waits (fork() itself takes it exclusively).
  struct LetGo {
    const HeldLock* held;
    explicit LetGo(const HeldLock* h) : held(h) {
      if (held) held->release();
    }
    ~LetGo() {
      if (held) held->acquire();
    }
  };
  Round round;
  Frames frames{inputs, indices, limits, results, round};
  int fds[2];
  if (::pipe(fds) != 0) {
    start_error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return round;
  }
  if (held) held->release();
  const pid_t pid = ::fork();
  if (pid != 0 && held) held->acquire();  // the child is alone: it takes nothing again
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    start_error = std::string("cannot start the validator: ") + std::strerror(errno);
    return round;
  }
  if (pid == 0) {
    ::close(fds[0]);
    ::signal(SIGPIPE, SIG_IGN);
    PipeProgress progress(fds[1]);
    try {
      run_validation_job(inputs, indices, options, progress);
    } catch (const std::bad_alloc&) {
      // Memory ran out where the job could not say so (sending what it found): the exit
      // status says it.
      ::_exit(kChildOutOfMemory);
    }
    ::close(fds[1]);
    ::_exit(0);  // no destructors, atexit handlers or stdio flushes of the parent's state
  }
  ::close(fds[1]);
  const int fd = fds[0];

  std::string buffer;
  char chunk[65536];
  const Clock::time_point start_deadline = deadline_after(limits.compile_timeout);
  while (!frames.done) {
    int wait_ms = -1;
    // The clock that runs out first: the compilation's, or the earliest document's.
    std::optional<Clock::time_point> deadline;
    std::optional<std::size_t> first;
    if (frames.compiling && limits.compile_timeout > 0) deadline = frames.compile_deadline;
    if (!frames.heard && limits.compile_timeout > 0) deadline = start_deadline;
    if (!frames.compiling && limits.document_timeout > 0) {
      for (const auto& [i, run] : frames.running)
        if (!deadline || run.deadline < *deadline) deadline = run.deadline, first = i;
    }
    if (deadline) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
      if (left.count() <= 0) {
        if (!first) {
          round.schema_timeout = true;
        } else {
          round.document_timeout = true;
          round.current = *first;
          round.current_reading = frames.running[*first].reading;
        }
        break;
      }
      wait_ms = static_cast<int>(left.count()) + 1;
    }
    pollfd p{fd, POLLIN, 0};
    int ready;
    {
      const LetGo let_go(held);
      ready = ::poll(&p, 1, wait_ms);
    }
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the deadline check above decides
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the child is gone
    buffer.append(chunk, static_cast<std::size_t>(n));
    frames.handle(buffer);
    if (!frames.done) {
      // The child sends a few small frames per document, thousands a second. Woken for each,
      // this process spent as much CPU on the wake-ups (and the child on waking it) as the
      // child on validating (perf: pipe writes and task switches, about an eighth of a run).
      // A pause lets the frames of a millisecond arrive together; no clock is that fine.
      const LetGo let_go(held);
      std::this_thread::sleep_for(std::chrono::milliseconds(kFrameBatchMs));
    }
  }
  ::close(fd);
  if (!round.document_timeout && !frames.compiling && !frames.done) {
    // The child is gone (or was stopped) with documents in flight.
    if (frames.running.size() == 1) {
      round.current = frames.running.begin()->first;
      round.current_reading = frames.running.begin()->second.reading;
    } else if (frames.running.size() > 1) {
      round.ambiguous = true;
    }
  }
  if (round.schema_timeout || round.document_timeout) ::kill(pid, SIGKILL);
  // A child that has sent everything (or closed its end) only exits; one stuck on its way out
  // (a lock inherited held from another thread of the parent) must not hang the parent: after
  // a grace it is killed. Its results are in already; the wait status only matters otherwise.
  const auto grace_until = Clock::now() + std::chrono::milliseconds(kExitGraceMs);
  const LetGo let_go(held);
  for (long pause_us = 50;;) {
    const pid_t r = ::waitpid(pid, &round.status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) break;
    if (r == 0 && Clock::now() >= grace_until) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &round.status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    if (r == 0) {
      ::usleep(static_cast<useconds_t>(pause_us));
      pause_us = std::min(pause_us * 2, 20000L);
    }
  }
  return round;
}

}  // namespace

ValidationReport validate_supervised(const std::vector<ValidationInput>& inputs,
                                     const ValidationOptions& options,
                                     const ValidationLimits& limits, const HeldLock* held) {
  ValidationReport report;
  std::vector<std::optional<DocumentResult>> results(inputs.size());
  std::vector<std::size_t> pending(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) pending[i] = i;
  bool first_round = true, schema_known = false;
  ValidationOptions round_options = options;
  // A document that runs out of time or kills the validator is reported as such, and a new
  // validator takes the documents not yet done (compiling the schema again): one bad file does
  // not leave the rest of a run unchecked. Each round finishes at least one document, so there
  // are at most as many rounds as documents, and one more (with no document) when every document
  // was stopped before the schema was compiled.
  while (!pending.empty() || !schema_known) {
    std::string start_error;
    const Round round = run_round(inputs, pending, round_options, limits, results, start_error, held);
    if (!start_error.empty()) {
      report.schema = SchemaStatus::Failed;
      report.schema_error = start_error;
      break;
    }
    if (round.compiled && first_round) {
      report.compile_seconds = round.compile_seconds;
      report.pruned = round.pruned;
      report.prune = round.prune;
    }
    first_round = false;
    if (round.ambiguous) {
      // Stopped with several documents in flight: the rest again, one at a time, finds the one.
      round_options.jobs = 1;
      if (round.compiled) report.schema = SchemaStatus::Compiled, schema_known = true;
      std::vector<std::size_t> left;
      for (std::size_t i : pending)
        if (!results[i]) left.push_back(i);
      pending = std::move(left);
      continue;
    }
    if (round.current) {
      // Stopped on a document (in pass 1, before compiling, or in pass 2).
      const std::size_t i = *round.current;
      results[i] = stopped_on(inputs[i], round.document_timeout, round.current_reading,
                              limits.document_timeout, round.status);
      if (round.compiled) report.schema = SchemaStatus::Compiled, schema_known = true;
    } else if (round.schema_timeout) {
      report.schema = SchemaStatus::TimedOut;
      report.schema_error = options.schema_path + ": schema did not compile within " +
                            seconds_text(limits.compile_timeout) +
                            " (gave up; a longer --timeout may help, or the schema is one "
                            "libxml2 cannot compile)";
      break;
    } else if (round.failed) {
      report.schema = round.out_of_memory ? SchemaStatus::OutOfMemory : SchemaStatus::Failed;
      report.schema_error = round.schema_error;
      break;
    } else if (!round.compiled && WIFEXITED(round.status) &&
               WEXITSTATUS(round.status) == kChildOutOfMemory) {
      report.schema = SchemaStatus::OutOfMemory;
      report.schema_error = options.schema_path + ": out of memory while compiling the schema";
      break;
    } else if (!round.compiled) {
      report.schema = SchemaStatus::Crashed;
      report.schema_error =
          options.schema_path + ": the validator stopped while compiling the schema" +
          (WIFSIGNALED(round.status)
               ? std::string(" (signal ") + std::to_string(WTERMSIG(round.status)) + ")"
               : std::string());
      break;
    } else {
      report.schema = SchemaStatus::Compiled;
      schema_known = true;
    }
    std::vector<std::size_t> left;
    for (std::size_t i : pending)
      if (!results[i]) left.push_back(i);
    if (!left.empty() && left.size() == pending.size()) {
      // Nothing was finished and nothing identified: do not go round again on the same.
      results[left.front()] = stopped_on(inputs[left.front()], false, false, 0, round.status);
      left.erase(left.begin());
    }
    pending = std::move(left);
  }
  collect_documents(report, inputs, results);
  return report;
}

}  // namespace teikit
