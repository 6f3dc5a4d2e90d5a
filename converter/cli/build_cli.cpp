#include "build_cli.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "cli.hpp"
#include "jsonl_cli.hpp"
#include "profile_cli.hpp"
#include "supervised_validation.hpp"
#include "teikit/base/data_dir.hpp"
#include "teikit/base/file_io.hpp"
#include "teikit/base/file_names.hpp"
#include "teikit/base/json.hpp"
#include "teikit/base/line_reader.hpp"
#include "teikit/base/version.hpp"
#include "teikit/base/xml.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/render/edition_index.hpp"
#include "teikit/render/transform.hpp"
#include "teikit/validate/validate.hpp"
#include "teikit/validate/validation_job.hpp"
#include "validate_cli.hpp"

namespace fs = boost::filesystem;

namespace teikit {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The record of the last run, in OUT: one JSON object per line, the first the run's
// fingerprint, then one per document. Hidden, so that no listing of the edition picks it up.
constexpr const char* kManifestName = ".teikit-build.jsonl";
constexpr int kManifestFormat = 1;
// Outputs are made durable together, this many documents at a time (AtomicBatch): one flush of
// the file system instead of two fsyncs per document.
constexpr std::size_t kBatchDocuments = 256;

// 64-bit FNV-1a: a content fingerprint to notice changes, not a defence against forgery.
struct Hash {
  std::uint64_t h = 1469598103934665603ull;
  void add(const char* data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
      h ^= static_cast<unsigned char>(data[i]);
      h *= 1099511628211ull;
    }
  }
  void add(const std::string& s) {
    add(s.data(), s.size());
    add("\0", 1);  // "ab"+"c" and "a"+"bc" differ
  }
  std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
  }
};

std::string hash_of(const std::string& bytes) {
  Hash h;
  h.add(bytes.data(), bytes.size());
  return h.hex();
}

// ---------------------------------------------------------------------------------------------
// Signals: the first SIGINT/SIGTERM/SIGHUP asks the workers to stop after the document they
// are on (and the run to record what was finished); a second one ends the process at once.

volatile std::sig_atomic_t g_stop = 0;

extern "C" void request_stop(int sig) {
  if (g_stop) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  g_stop = sig;
}

// Installs request_stop for the run and puts the previous handlers back afterwards.
class StopOnSignals {
 public:
  StopOnSignals() {
    g_stop = 0;
    struct sigaction sa {};
    sa.sa_handler = request_stop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (std::size_t i = 0; i < kCount; ++i) ::sigaction(kSignals[i], &sa, &previous_[i]);
  }
  ~StopOnSignals() {
    for (std::size_t i = 0; i < kCount; ++i) ::sigaction(kSignals[i], &previous_[i], nullptr);
  }
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

 private:
  static constexpr std::size_t kCount = 3;
  static constexpr int kSignals[kCount] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction previous_[kCount];
};

// ---------------------------------------------------------------------------------------------
// Documents.

enum class Status { Ok, Warnings, Invalid, Failed };

const char* to_string(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::Warnings: return "warnings";
    case Status::Invalid: return "invalid";
    case Status::Failed: break;
  }
  return "error";
}

bool status_from(const std::string& s, Status& out) {
  for (Status c : {Status::Ok, Status::Warnings, Status::Invalid, Status::Failed})
    if (s == to_string(c)) {
      out = c;
      return true;
    }
  return false;
}

// What the manifest says about a document.
struct Entry {
  std::string rel;  // source path relative to SRC, '/'-separated
  std::uintmax_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string hash;
  Status status = Status::Ok;
  bool has_xml = false, has_page = false;
  // What the outputs were when this run wrote them (stamp()): a file there that still matches
  // is teikit's to replace or remove; one that does not was put there or edited by someone.
  std::string xml_stamp, page_stamp;
  std::vector<Diagnostic> diagnostics;
};

struct Item {
  std::string rel;       // "1962/cable.txt"
  std::string path;      // SRC/1962/cable.txt
  std::string stem_rel;  // "1962/cable"
  std::string xml, html; // OUT/1962/cable.xml, .html
  std::uintmax_t size = 0;
  std::int64_t mtime_ns = 0;
  const Entry* old = nullptr;
  std::string refused;   // not a regular file: what it is (never opened)
  bool queued = false;   // to be looked at by a worker
  // The outcome.
  Entry result;
  bool converted = false;  // conversion work was done in this run
  bool done = false;       // result is final (outputs committed, or nothing to do)
  double convert_seconds = 0, validate_seconds = 0, render_seconds = 0;
};

// Device, inode, size and modification time of `path`; "" when it does not exist.
std::string stamp(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "";
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
         std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

// Whether teikit may replace or remove the existing file `path`: this tool's last run wrote it
// and it is unchanged since (`recorded`, from the manifest), or it is recognised as teikit's
// (written_by_teikit).
bool ours(const std::string& path, const std::string& recorded) {
  const std::string now = stamp(path);
  return (!now.empty() && now == recorded) || written_by_teikit(path);
}

Diagnostic problem(const std::string& file, const std::string& code, const std::string& message) {
  return {Severity::Error, code, message, file, 0, 0};
}

// ---------------------------------------------------------------------------------------------
// The manifest.

std::string diagnostics_json(const std::vector<Diagnostic>& all) {
  std::string s = "[";
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Diagnostic& d = all[i];
    if (i) s += ',';
    s += "{\"line\":" + std::to_string(d.line) + ",\"column\":" + std::to_string(d.column) +
         ",\"severity\":\"" + to_string(d.severity) + "\",\"code\":" + json_string(d.code) +
         ",\"message\":" + json_string(d.message) + "}";
  }
  return s + "]";
}

// A source path in the manifest: any bytes. JSON writes a byte that is not UTF-8 as "%XX"
// (json_escape), so '%' itself is written "%25" first and the name read back is decoded.
std::string manifest_name(const std::string& rel) {
  std::string out;
  for (char c : rel) out += c == '%' ? std::string("%25") : std::string(1, c);
  return json_string(out);
}

std::string from_manifest_name(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string entry_json(const Entry& e) {
  return "{\"source\":" + manifest_name(e.rel) + ",\"size\":" + std::to_string(e.size) +
         ",\"mtime_ns\":" + std::to_string(e.mtime_ns) + ",\"hash\":\"" + e.hash +
         "\",\"status\":\"" + to_string(e.status) + "\",\"xml\":" + (e.has_xml ? "true" : "false") +
         ",\"page\":" + (e.has_page ? "true" : "false") + ",\"xml_stamp\":" +
         json_string(e.xml_stamp) + ",\"page_stamp\":" + json_string(e.page_stamp) +
         ",\"diagnostics\":" +
         diagnostics_json(e.diagnostics) + "}\n";
}

bool read_diagnostics(const JsonValue* v, const std::string& file, std::vector<Diagnostic>& out) {
  if (!v || v->type != JsonValue::Type::Array) return false;
  for (const JsonValue& d : v->items) {
    const JsonValue *line = d.find("line"), *column = d.find("column"),
                    *severity = d.find("severity"), *code = d.find("code"),
                    *message = d.find("message");
    if (!line || !column || !severity || !code || !message || !code->is_string() ||
        !message->is_string() || !severity->is_string())
      return false;
    Diagnostic x;
    x.file = file;
    x.line = static_cast<std::uint32_t>(line->number);
    x.column = static_cast<std::uint32_t>(column->number);
    x.severity = severity->text == "error" ? Severity::Error
                 : severity->text == "note" ? Severity::Note
                                            : Severity::Warning;
    x.code = code->text;
    x.message = message->text;
    out.push_back(std::move(x));
  }
  return true;
}

// Reads OUT's manifest. A missing, foreign or damaged one gives no entries: everything is built.
std::vector<Entry> read_manifest(const std::string& path, std::string& fingerprint) {
  std::vector<Entry> entries;
  fingerprint.clear();
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return entries;
  LineReader reader(path, 64u << 20);
  std::string line, error;
  bool first = true;
  for (;;) {
    const auto s = reader.next(line);
    if (s == LineReader::Status::End) break;
    if (s != LineReader::Status::Line) return {};
    JsonValue v;
    if (!parse_json(line, v, error)) return {};
    if (first) {
      const JsonValue *format = v.find("teikit-build"), *f = v.find("fingerprint");
      if (!format || format->number != kManifestFormat || !f || !f->is_string()) return {};
      fingerprint = f->text;
      first = false;
      continue;
    }
    Entry e;
    const JsonValue *src = v.find("source"), *size = v.find("size"), *mtime = v.find("mtime_ns"),
                    *hash = v.find("hash"), *status = v.find("status"), *xml = v.find("xml"),
                    *page = v.find("page");
    if (!src || !src->is_string() || !size || !mtime || !hash || !hash->is_string() || !status ||
        !status->is_string() || !status_from(status->text, e.status) || !xml || !page)
      return {};
    e.rel = from_manifest_name(src->text);
    e.size = static_cast<std::uintmax_t>(std::strtoull(size->text.c_str(), nullptr, 10));
    e.mtime_ns = std::strtoll(mtime->text.c_str(), nullptr, 10);
    e.hash = hash->text;
    e.has_xml = xml->boolean;
    e.has_page = page->boolean;
    if (const JsonValue* x = v.find("xml_stamp"); x && x->is_string()) e.xml_stamp = x->text;
    if (const JsonValue* x = v.find("page_stamp"); x && x->is_string()) e.page_stamp = x->text;
    if (!read_diagnostics(v.find("diagnostics"), "", e.diagnostics)) return {};
    entries.push_back(std::move(e));
  }
  if (first) fingerprint.clear();
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Walking the source tree.

bool is_transcription(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".txt" || ext == ".md";
}

// The transcriptions below `src`, sorted by relative path: hidden files and folders are left
// out, symbolic links to folders are not followed (no cycles), and `skip` (the output folder,
// when it is inside the source tree) is not entered.
bool walk(const std::string& src, const fs::path& skip, std::vector<Item>& items,
          std::string& error) {
  boost::system::error_code ec;
  fs::recursive_directory_iterator it(src, fs::symlink_option::none, ec), end;
  if (ec) {
    error = src + ": cannot list (" + ec.message() + ")";
    return false;
  }
  // A folder that cannot be listed (no permission, a path longer than PATH_MAX, no file
  // descriptor left) fails the whole walk: a partial list would make the run remove the outputs
  // of every transcription it did not see. The iterator reports it from increment(), and may be
  // at its end then, so the error is checked after each step, not at the top of the loop.
  std::string last = src;  // the entry before a failed step: the folder that failed is below it
  auto step = [&] {
    it.increment(ec);
    if (!ec) return true;
    error = src + ": cannot list every folder (" + ec.message() + ", after " + last +
            "); nothing was built or removed";
    return false;
  };
  for (; it != end;) {
    const fs::path p = it->path();
    last = p.string();
    const std::string name = p.filename().string();
    boost::system::error_code status_ec;
    const fs::file_status status = it->symlink_status(status_ec);
    if (!name.empty() && name[0] == '.') {
      if (fs::is_directory(status)) it.no_push();
      if (!step()) return false;
      continue;
    }
    if (fs::is_directory(status)) {
      boost::system::error_code same_ec;
      if (!skip.empty() && fs::equivalent(p, skip, same_ec)) it.no_push();
      if (!step()) return false;
      continue;
    }
    if (!is_transcription(p)) {
      if (!step()) return false;
      continue;
    }
    // A name like a transcription that is not a regular file is never opened (a FIFO would
    // block, a device never end) but listed as a failed document: dropped without a word, it
    // would look built. A symbolic link to a folder is left out, as folders' links are.
    std::string refused;
    struct stat st;
    if (::stat(p.c_str(), &st) != 0)
      refused = ::lstat(p.c_str(), &st) == 0 && S_ISLNK(st.st_mode) ? "a dangling symbolic link"
                                                                     : "cannot be looked at";
    else if (S_ISDIR(st.st_mode)) {
      if (!step()) return false;
      continue;
    } else if (S_ISFIFO(st.st_mode))
      refused = "a FIFO";
    else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
      refused = "a device";
    else if (S_ISSOCK(st.st_mode))
      refused = "a socket";
    else if (!S_ISREG(st.st_mode))
      refused = "not a regular file";
    Item item;
    item.path = p.string();
    item.rel = p.lexically_relative(src).generic_string();
    item.refused = refused;
    items.push_back(std::move(item));
    if (!step()) return false;
  }
  std::sort(items.begin(), items.end(),
            [](const Item& a, const Item& b) { return a.rel < b.rel; });
  return true;
}

// Whether the tree validation read back from the conversion (conversion_validation_input) can
// be rendered as it is, instead of parsing the TEI a second time (what `teikit render` would
// read: the same nodes): made so here, with the output's name as its URL and the look-up
// numbers validation kept on the nodes cleared. Not when it is deeper than a parse without
// XML_PARSE_HUGE accepts (256 levels in libxml2 2.9) nor for a TEI so large that a text node
// may pass its 10 MB: such a document is parsed again as render parses it, so that build
// refuses what render refuses and nothing else.
bool reusable_for_render(xmlDoc* doc, const std::string& url) {
  constexpr int kMaxDepth = 200;  // below the limit, with room: past it, parse as render does
  int depth = 0;
  for (xmlNode* n = xmlDocGetRootElement(doc); n;) {
    n->_private = nullptr;
    if (n->type == XML_ELEMENT_NODE && n->children) {
      if (++depth > kMaxDepth) return false;
      n = n->children;
      continue;
    }
    while (n && !n->next) {
      n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : nullptr;
      if (n) --depth;
    }
    if (n) n = n->next;
  }
  if (doc->URL) xmlFree(const_cast<xmlChar*>(doc->URL));
  doc->URL = xmlStrdup(BAD_CAST url.c_str());
  return true;
}

// ---------------------------------------------------------------------------------------------
// The work of one thread: a validator, the page stylesheet, a batch of outputs.

struct Shared {
  Shared(const BuildArgs& a, ConvertOptions o, ValidationOptions v, std::string same,
         std::vector<Item>& i)
      : args(a), options(std::move(o)), validation(std::move(v)),
        fingerprint_same(std::move(same)), items(i) {}
  const BuildArgs& args;
  ConvertOptions options;
  ValidationOptions validation;
  ValidationLimits limits;  // --timeout, as `validate` has it
  std::string fingerprint_same;  // non-empty: the manifest's fingerprint matches this run's
  std::map<std::string, std::string> page_params;  // for tei-to-html.xsl
  std::vector<Item>& items;
  std::vector<std::size_t> queue;  // indices into items
  std::atomic<std::size_t> next{0};
  // Progress, for the main thread.
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t finished = 0, converted = 0, warnings = 0, errors = 0;
  std::size_t workers_left = 0;
  std::size_t workers_started = 0, workers = 0;
  // How often the run compiled the page stylesheet and the schema with its rules: once per
  // thread, never per document (the report's "statistics").
  std::atomic<unsigned> sheets_compiled{0}, schemas_compiled{0};
};

// Validation runs as `teikit validate` runs it (validate_supervised): in a child process, with
// the grammar pruned to the names of the documents validated together (pruning never changes a
// verdict: rng_prune.hpp), a time limit for compiling and one for each document. A child is
// forked for a batch of documents, not for each, so that the compilation is paid once per
// batch. fork() copies only the calling thread: a lock another thread held at that moment stays
// held in the child for ever, and the child hangs on its first use. libxml2 2.9 has such locks
// (its dictionaries' is global), and so has the allocator of a sanitized build (glibc's malloc
// is made safe around fork, AddressSanitizer's in GCC 12 is not). So every thread of a build
// holds g_fork_guard shared while it works, and lets go of it only where it waits (between two
// documents, around a validator's wait, around the main thread's sleep); fork() itself takes it
// exclusively (pthread_atfork), that is, only when every other thread is at such a point.
// The lock prefers the writer: once a fork waits, no thread takes the lock again until it has
// happened, so a fork waits for at most one document of each other thread.
class ForkGuard {
 public:
  ForkGuard() {
    pthread_rwlockattr_t attr;
    ::pthread_rwlockattr_init(&attr);
    ::pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    ::pthread_rwlock_init(&lock_, &attr);
    ::pthread_rwlockattr_destroy(&attr);
  }
  ForkGuard(const ForkGuard&) = delete;
  ForkGuard& operator=(const ForkGuard&) = delete;
  void lock_shared() { ::pthread_rwlock_rdlock(&lock_); }
  void unlock_shared() { ::pthread_rwlock_unlock(&lock_); }
  void lock() { ::pthread_rwlock_wrlock(&lock_); }
  void unlock() { ::pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;  // never destroyed: fork() may use it until the process ends
};

ForkGuard g_fork_guard;

void install_fork_guard() {
  static std::once_flag once;
  std::call_once(once, [] {
    ::pthread_atfork([] { g_fork_guard.lock(); }, [] { g_fork_guard.unlock(); },
                     [] { g_fork_guard.unlock(); });
  });
}

// A thread's hold on g_fork_guard, for as long as it works (never taken twice by one thread: a
// second shared hold would wait behind a waiting fork that waits for the first).
class ForkGuardHold {
 public:
  ForkGuardHold() { g_fork_guard.lock_shared(); }
  ~ForkGuardHold() {
    if (held_) g_fork_guard.unlock_shared();
  }
  ForkGuardHold(const ForkGuardHold&) = delete;
  ForkGuardHold& operator=(const ForkGuardHold&) = delete;
  void release() {
    g_fork_guard.unlock_shared();
    held_ = false;
  }
  void acquire() {
    g_fork_guard.lock_shared();
    held_ = true;
  }
  // Lets a waiting fork happen.
  void pause() {
    release();
    acquire();
  }
  // For validate_supervised, which lets go around its waits and its fork.
  HeldLock as_held_lock() {
    return HeldLock{[this] { release(); }, [this] { acquire(); }};
  }

 private:
  bool held_ = true;
};

// Documents validated by one child process (one compilation of the schema and the rules), at
// most; and at most this many bytes of TEI held for them (their trees wait for the verdict).
constexpr std::size_t kValidationBatch = 256;
constexpr std::size_t kValidationBatchBytes = 16u << 20;

// The documents of a run: kValidationBatch, fewer in a small queue so that it still has runs
// for several threads (a sixteenth of it, at least 8).
std::size_t run_length(std::size_t queued) {
  return std::min(kValidationBatch, std::max<std::size_t>(8, (queued + 15) / 16));
}

const char* schema_problem_code(SchemaStatus status) {
  switch (status) {
    case SchemaStatus::TimedOut: return "schema-timeout";
    case SchemaStatus::OutOfMemory: return "out-of-memory";
    default: return "schema-did-not-compile";
  }
}

class Worker {
 public:
  Worker(Shared& s, std::unique_ptr<Stylesheet> sheet) : s_(s), sheet_(std::move(sheet)) {}

  void run() {
    // No worker forks before every thread has started, nor exits before every one is done: a
    // thread's start and end use the allocator (its caches, thread-local state such as
    // libxml2's) outside of any hold on g_fork_guard.
    std::unique_lock<std::mutex> lock(s_.mutex);
    ++s_.workers_started;
    s_.changed.notify_all();
    s_.changed.wait(lock, [this] { return s_.workers_started == s_.workers; });
    lock.unlock();
    work();
    lock.lock();
    --s_.workers_left;
    s_.changed.notify_all();
    s_.changed.wait(lock, [this] { return s_.workers_left == 0; });
  }

 private:
  void work() {
    ForkGuardHold hold;
    held_ = hold.as_held_lock();
    const xml::SettingsScope settings;
    if (!sheet_) {
      sheet_ = std::make_unique<Stylesheet>(stylesheet_dir() + "/tei-to-html.xsl");
      ++s_.sheets_compiled;
    }
    // The queue is taken in runs of documents, each run validated together: which documents
    // share a pruned grammar depends on the tree only, not on -j or on timing.
    for (;;) {
      if (g_stop) break;
      const std::size_t run = run_length(s_.queue.size());
      const std::size_t from = s_.next.fetch_add(1) * run;
      if (from >= s_.queue.size()) break;
      const std::size_t to = std::min(s_.queue.size(), from + run);
      for (std::size_t k = from; k < to && !g_stop; ++k) {
        hold.pause();  // between two documents, another thread's fork may happen
        Item& item = s_.items[s_.queue[k]];
        std::unique_ptr<Converted> c;
        try {
          c = prepare(item);
        } catch (const std::bad_alloc&) {
          fail(item, "out-of-memory", "out of memory");
        }
        if (!c) {
          finished(item);
          continue;
        }
        converted_bytes_ += c->result.xml.size();
        converted_.push_back(std::move(c));
        if (converted_bytes_ >= kValidationBatchBytes) finish_converted();
      }
      if (g_stop) break;
      finish_converted();
      if (pending_.size() >= kBatchDocuments) commit();
    }
    if (!g_stop) finish_converted();
    if (g_stop) {
      converted_.clear();  // not finished: the next run takes them up
      batch_.discard();    // what is not committed was not finished
    } else {
      commit();
    }
    sheet_.reset();  // under the hold: its destructor frees libxml2 dictionaries
  }

  // A document converted, waiting for its verdict before its TEI and page are written.
  struct Converted {
    Item* item = nullptr;
    ConvertResult result;
    xml::DocPtr doc;     // the TEI read back once: validated (in the child's copy), then rendered
    ValidationInput in;  // in.doc is doc.get(); in.locate refers to result
  };

  void fail(Item& item, const std::string& code, const std::string& message) {
    item.result.status = Status::Failed;
    item.result.diagnostics.push_back(problem(item.path, code, message));
  }

  // The document is processed: it waits for its batch to be committed (progress counts it now).
  void finished(Item& item) {
    pending_.push_back(&item);
    std::lock_guard<std::mutex> lock(s_.mutex);
    ++s_.finished;
    if (item.converted) ++s_.converted;
    for (const auto& d : item.result.diagnostics) {
      if (d.severity == Severity::Error) ++s_.errors;
      else if (d.severity == Severity::Warning) ++s_.warnings;
    }
  }

  bool outputs_present(const Item& item, const Entry& e) const {
    struct stat st;
    return (!e.has_xml || ::stat(item.xml.c_str(), &st) == 0) &&
           (!e.has_page || ::stat(item.html.c_str(), &st) == 0);
  }

  // Where teikit may not write: a file there that teikit did not write, a directory, a device.
  std::string target_problem(const std::string& target, const std::string& recorded) const {
    if (std::string p = output_target_problem(target); !p.empty()) return p;
    struct stat st;
    if (::lstat(target.c_str(), &st) == 0 && !ours(target, recorded))
      return target + ": exists and was not written by teikit (or was changed since); not "
                      "replaced: move it away, or build into another directory";
    return "";
  }

  // Reads and converts the document; null when there is nothing more to do for it (unchanged,
  // or failed), else the conversion waiting for validation and writing.
  std::unique_ptr<Converted> prepare(Item& item) {
    const auto t0 = Clock::now();
    Entry& r = item.result;
    r.rel = item.rel;
    r.size = item.size;
    r.mtime_ns = item.mtime_ns;
    std::string bytes, error;
    if (!read_input(item.path, bytes, error, s_.args.max_input_size)) {
      fail(item, "unreadable", error);
      return nullptr;
    }
    r.hash = hash_of(bytes);
    // The same content as last time (only its time stamp changed): nothing to do.
    if (item.old && !s_.fingerprint_same.empty() && !s_.args.force && item.old->hash == r.hash &&
        item.old->status != Status::Failed && outputs_present(item, *item.old)) {
      const std::string hash = r.hash;
      r = *item.old;
      r.size = item.size;
      r.mtime_ns = item.mtime_ns;
      r.hash = hash;
      for (auto& d : r.diagnostics) d.file = item.path;
      return nullptr;
    }
    for (const bool page : {false, true}) {
      const std::string recorded =
          !item.old ? "" : page ? item.old->page_stamp : item.old->xml_stamp;
      if (const std::string p = target_problem(page ? item.html : item.xml, recorded); !p.empty()) {
        fail(item, "output-refused", p);
        return nullptr;
      }
    }
    if (bytes.size() > (1u << 20) && !conversion_memory_available(bytes.size(), error)) {
      fail(item, "out-of-memory", error);
      return nullptr;
    }
    item.converted = true;
    ConvertOptions o = s_.options;
    o.element_spans = !s_.args.no_validate;
    auto c = std::make_unique<Converted>();
    c->item = &item;
    c->result = convert(item.path, std::move(bytes), o);
    r.diagnostics = c->result.diagnostics.diagnostics();
    item.convert_seconds = seconds_since(t0);
    if (!s_.args.no_validate) {
      const auto t = Clock::now();
      c->doc = conversion_validation_input(c->result, c->in);
      item.validate_seconds = seconds_since(t);
    }
    return c;
  }

  // Validates the documents converted so far (one child process for all of them), then writes
  // each one's TEI and page.
  void finish_converted() {
    if (converted_.empty()) return;
    std::vector<ValidationInput> inputs;
    std::vector<Converted*> validated;
    for (auto& c : converted_)
      if (c->doc) {
        inputs.push_back(c->in);
        validated.push_back(c.get());
      }
    std::vector<const DocumentResult*> verdicts(converted_.size(), nullptr);
    ValidationReport report;
    if (!inputs.empty()) {
      const auto t = Clock::now();
      report = validate_supervised(inputs, s_.validation, s_.limits, &held_);
      ++s_.schemas_compiled;
      const double each = seconds_since(t) / static_cast<double>(inputs.size());
      for (Converted* c : validated) c->item->validate_seconds += each;
    }
    std::size_t v = 0;
    for (auto& c : converted_) {
      Item& item = *c->item;
      Entry& r = item.result;
      bool invalid = false;
      if (!s_.args.no_validate) {
        if (!c->doc) {
          r.diagnostics.push_back(internal_tree_diagnostic(c->in.name));
          invalid = true;
        } else if (report.schema != SchemaStatus::Compiled) {
          r.diagnostics.push_back(problem(s_.validation.schema_path,
                                          schema_problem_code(report.schema), report.schema_error));
          r.status = Status::Failed;  // not validated, as `validate` says with exit 4 or 5
          ++v;
        } else {
          const DocumentResult& d = report.documents[v++];
          append_conversion_findings(d, c->in.name, r.diagnostics);
          if (d.verdict == Verdict::Unreadable || d.verdict == Verdict::NotValidated)
            r.status = Status::Failed;  // timed out, crashed, out of memory: exit 4 as validate
          invalid = d.verdict != Verdict::Valid;
        }
      }
      try {
        write_outputs(*c, invalid);
      } catch (const std::bad_alloc&) {
        fail(item, "out-of-memory", "out of memory");
      }
      c.reset();  // the tree and the TEI are not needed any more
      finished(item);
    }
    converted_.clear();
    converted_bytes_ = 0;
  }

  void write_outputs(Converted& conv, bool invalid) {
    Item& item = *conv.item;
    Entry& r = item.result;
    ConvertResult& c = conv.result;
    std::string error;
    xml::DocPtr doc = std::move(conv.doc);
    // The TEI, then the page rendered from it.
    const ByteProducer tei = [&c](const ByteSink& sink) { return sink(c.xml.data(), c.xml.size()); };
    if (!batch_.add(item.xml, tei, error)) {
      fail(item, "write-failed", error);
      return;
    }
    r.has_xml = true;
    const auto t = Clock::now();
    if (!doc || c.xml.size() > (8u << 20) || !reusable_for_render(doc.get(), item.xml)) {
      doc.reset();
      doc = xml::parse_memory_for_reading(c.xml, item.xml, error);
    }
    std::string render_error;
    const ByteProducer page = [&](const ByteSink& sink) {
      return doc && sheet_->apply_to(doc.get(), s_.page_params, sink, render_error);
    };
    if (!doc || !batch_.add(item.html, page, error)) {
      fail(item, "render-failed",
           !error.empty() ? error : item.path + ": the page was not rendered: " + render_error);
    } else {
      r.has_page = true;
    }
    item.render_seconds = seconds_since(t);
    if (r.status != Status::Failed)
      r.status = invalid                                   ? Status::Invalid
                 : c.diagnostics.count(Severity::Warning) ? Status::Warnings
                                                          : Status::Ok;
  }

  // Makes the batch's outputs durable and in place; only then are its documents finished.
  void commit() {
    std::vector<std::string> errors;
    if (!batch_.commit(errors)) {
      for (Item* item : pending_)
        for (const std::string& e : errors)
          if (e.rfind(item->xml + ":", 0) == 0 || e.rfind(item->html + ":", 0) == 0) {
            item->result.status = Status::Failed;
            item->result.diagnostics.push_back(problem(item->path, "write-failed", e));
          }
    }
    for (Item* item : pending_) {
      if (!item->converted) continue;
      if (item->result.has_xml) item->result.xml_stamp = stamp(item->xml);
      if (item->result.has_page) item->result.page_stamp = stamp(item->html);
    }
    for (Item* item : pending_) item->done = true;  // read by the main thread after join()
    pending_.clear();
  }

  Shared& s_;
  HeldLock held_;  // run()'s hold on g_fork_guard, for validate_supervised
  std::unique_ptr<Stylesheet> sheet_;
  AtomicBatch batch_;
  std::vector<Item*> pending_;
  std::vector<std::unique_ptr<Converted>> converted_;
  std::size_t converted_bytes_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Progress and reports.

std::string format_duration(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.0f s", s);
  else std::snprintf(buf, sizeof buf, "%d min %02d s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return buf;
}

class Progress {
 public:
  // `base` documents were finished before the workers started (unchanged ones): the rate and
  // the time left are those of the work.
  Progress(std::ostream& err, bool quiet, std::size_t total, std::size_t base)
      : err_(err), total_(total), base_(base), start_(Clock::now()) {
    // A bar only on a terminal (the process's own standard error); plain lines elsewhere.
    tty_ = &err == &std::cerr && ::isatty(STDERR_FILENO);
    quiet_ = quiet || total == 0;
  }
  void update(std::size_t done, std::size_t warnings, std::size_t errors, bool last) {
    if (quiet_) return;
    const double elapsed = seconds_since(start_);
    const double rate = elapsed > 0 && done > base_ ? (done - base_) / elapsed : 0;
    const double eta = rate > 0 ? (total_ - done) / rate : 0;
    char figures[160];
    std::snprintf(figures, sizeof figures, "%zu/%zu documents, %.0f/s, ETA %s, %zu warnings, %zu errors",
                  done, total_, rate, format_duration(eta).c_str(), warnings, errors);
    if (tty_) {
      constexpr int kWidth = 24;
      const int filled = total_ ? static_cast<int>(kWidth * done / total_) : kWidth;
      err_ << "\r\033[K[" << std::string(static_cast<std::size_t>(filled), '#')
           << std::string(static_cast<std::size_t>(kWidth - filled), '.') << "] " << figures;
      if (last) err_ << "\n";
      err_.flush();
      return;
    }
    // Plain lines: at each tenth of the way, and at least every five seconds.
    const std::size_t tenth = total_ ? done * 10 / total_ : 10;
    if (last || tenth > last_tenth_ || seconds_since(last_line_) >= 5) {
      if (done == last_done_ && !last) return;
      err_ << "teikit build: " << figures << "\n";
      err_.flush();
      last_tenth_ = tenth;
      last_done_ = done;
      last_line_ = Clock::now();
    }
  }
  bool tty() const { return tty_; }

 private:
  std::ostream& err_;
  std::size_t total_, base_;
  Clock::time_point start_, last_line_ = Clock::now();
  bool tty_ = false, quiet_ = false;
  std::size_t last_tenth_ = 0, last_done_ = static_cast<std::size_t>(-1);
};

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", s);
  return buf;
}

// What the run did once rather than per document, for the report: a check that nothing is
// compiled again for each document.
struct RunStatistics {
  unsigned threads = 0;                // worker threads of the conversion
  unsigned sheets_compiled = 0;        // tei-to-html.xsl, by the workers
  unsigned schemas_compiled = 0;       // the schema with its rules, by the workers
  unsigned index_sheets_compiled = 0;  // edition-index.xsl, by the index
  std::size_t index_documents_read = 0;
};

std::string json_report(const std::vector<Item>& items, const std::vector<std::string>& removed,
                        const BuildArgs& a, double total_seconds, const RunStatistics& stats) {
  std::size_t counts[4] = {0, 0, 0, 0}, converted = 0;
  std::string docs;
  for (const Item& item : items) {
    const Entry& r = item.result;
    ++counts[static_cast<int>(r.status)];
    converted += item.converted;
    if (!docs.empty()) docs += ",\n  ";
    docs += "{\"source\":" + json_string(item.rel) + ",\"status\":\"" + to_string(r.status) +
            "\",\"converted\":" + (item.converted ? "true" : "false") + ",\"outputs\":[";
    if (r.has_xml) docs += json_string(item.stem_rel + ".xml");
    if (r.has_page) docs += std::string(r.has_xml ? "," : "") + json_string(item.stem_rel + ".html");
    docs += "],\"seconds\":{\"convert\":" + seconds_text(item.convert_seconds) +
            ",\"validate\":" + seconds_text(item.validate_seconds) +
            ",\"render\":" + seconds_text(item.render_seconds) + "},\"diagnostics\":" +
            diagnostics_json(r.diagnostics) + "}";
  }
  std::string gone;
  for (const auto& r : removed) gone += (gone.empty() ? "" : ",") + json_string(r);
  return "{\"teikit\":\"" + std::string(version()) + "\",\"source\":" + json_string(a.source) +
         ",\"output\":" + json_string(a.output) + ",\"seconds\":" + seconds_text(total_seconds) +
         ",\n \"summary\":{\"documents\":" + std::to_string(items.size()) +
         ",\"converted\":" + std::to_string(converted) + ",\"ok\":" + std::to_string(counts[0]) +
         ",\"warnings\":" + std::to_string(counts[1]) + ",\"invalid\":" + std::to_string(counts[2]) +
         ",\"errors\":" + std::to_string(counts[3]) + ",\"removed\":" +
         std::to_string(removed.size()) + "},\n \"statistics\":{\"threads\":" +
         std::to_string(stats.threads) + ",\"page_stylesheets_compiled\":" +
         std::to_string(stats.sheets_compiled) + ",\"schemas_compiled\":" +
         std::to_string(stats.schemas_compiled) + ",\"index_stylesheets_compiled\":" +
         std::to_string(stats.index_sheets_compiled) + ",\"index_documents_read\":" +
         std::to_string(stats.index_documents_read) + "},\n \"removed\":[" + gone +
         "],\n \"documents\":[\n  " +
         docs + "\n ]}\n";
}

xmlNode* child(xmlNode* parent, const char* name) {
  return xmlNewChild(parent, nullptr, BAD_CAST name, nullptr);
}

void set(xmlNode* n, const char* name, const std::string& value) {
  xmlSetProp(n, BAD_CAST name, BAD_CAST as_xml_text(value).c_str());
}

// The JUnit XML CI systems read: a testcase per document, a failure for an invalid one, an
// error for one that could not be built; warnings in system-out.
std::string junit_report(const std::vector<Item>& items, double total_seconds) {
  xml::DocPtr doc(xmlNewDoc(BAD_CAST "1.0"));
  xmlNode* suites = xmlNewDocNode(doc.get(), nullptr, BAD_CAST "testsuites", nullptr);
  xmlDocSetRootElement(doc.get(), suites);
  xmlNode* suite = child(suites, "testsuite");
  set(suite, "name", "teikit build");
  std::size_t failures = 0, errors = 0;
  for (const Item& item : items) {
    const Entry& r = item.result;
    xmlNode* tc = child(suite, "testcase");
    set(tc, "classname", "teikit.build");
    set(tc, "name", item.rel);
    set(tc, "time", seconds_text(item.convert_seconds + item.validate_seconds + item.render_seconds));
    std::ostringstream text;
    for (const auto& d : r.diagnostics) print_text(text, d);
    if (r.status == Status::Invalid || r.status == Status::Failed) {
      const bool failure = r.status == Status::Invalid;
      xmlNode* f = child(tc, failure ? "failure" : "error");
      set(f, "type", to_string(r.status));
      std::string first;
      for (const auto& d : r.diagnostics)
        if (d.severity == Severity::Error) {
          first = d.message;
          break;
        }
      set(f, "message", first.empty() ? to_string(r.status) : first);
      xmlNodeAddContent(f, BAD_CAST as_xml_text(text.str()).c_str());
      ++(failure ? failures : errors);
    } else if (!r.diagnostics.empty()) {
      xmlNodeAddContent(child(tc, "system-out"), BAD_CAST as_xml_text(text.str()).c_str());
    }
  }
  set(suite, "tests", std::to_string(items.size()));
  set(suite, "failures", std::to_string(failures));
  set(suite, "errors", std::to_string(errors));
  set(suite, "time", seconds_text(total_seconds));
  return xml::serialize(doc.get());
}

// Removes an output of a source that disappeared, if it is teikit's, and the folders it leaves
// empty (up to OUT).
bool remove_output(const std::string& path, const std::string& recorded, const fs::path& out) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return false;
  if (!S_ISREG(st.st_mode) || !ours(path, recorded)) return false;
  if (::unlink(path.c_str()) != 0) return false;
  boost::system::error_code ec;
  for (fs::path dir = fs::path(path).parent_path(); !dir.empty() && !fs::equivalent(dir, out, ec);
       dir = dir.parent_path())
    if (!fs::is_empty(dir, ec) || ec || !fs::remove(dir, ec)) break;
  return true;
}

// The fingerprint of everything besides the text that decides the outputs: the tool, the
// options, the profile, the schema, the rules, the stylesheets.
std::string run_fingerprint(const BuildArgs& a, const ValidationOptions& v, std::uintmax_t max) {
  Hash h;
  h.add(std::string("teikit ") + version());
  for (const std::string* s : {&a.profile, &a.from, &a.encoding, &a.publisher, &a.licence,
                               &a.licence_url, &a.pub_place})
    h.add(*s);
  h.add(a.no_validate ? "no-validate" : "validate");
  h.add(a.search ? "search" : "no-search");
  // Pruning never changes a verdict, but the whole grammar can word a message otherwise.
  h.add(a.no_prune ? "no-prune" : "prune");
  std::vector<std::string> files = {stylesheet_dir() + "/tei-to-html.xsl",
                                    stylesheet_dir() + "/url-allow-list.xsl", a.config};
  if (!a.no_validate) {
    files.push_back(v.schema_path);
    files.push_back(v.rules_path);
  }
  // A profile that is a file (not a built-in name, which the version covers).
  boost::system::error_code ec;
  if (!a.profile.empty() && fs::is_regular_file(a.profile, ec)) files.push_back(a.profile);
  for (const auto& f : files) {
    std::string bytes, error;
    h.add(f);
    if (!f.empty() && read_input(f, bytes, error, max)) h.add(bytes);
  }
  return h.hex();
}

// The pagefind executable: $TEIKIT_PAGEFIND, else pagefind (or pagefind_extended) on the PATH;
// "" when there is none.
std::string find_pagefind() {
  if (const char* p = std::getenv("TEIKIT_PAGEFIND"); p && *p) return ::access(p, X_OK) == 0 ? p : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  for (std::size_t from = 0; from <= dirs.size();) {
    std::size_t colon = dirs.find(':', from);
    if (colon == std::string::npos) colon = dirs.size();
    const std::string dir = dirs.substr(from, colon - from);
    for (const char* name : {"pagefind", "pagefind_extended"}) {
      const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    from = colon + 1;
  }
  return "";
}

// Runs `pagefind --site OUT` (it writes OUT/pagefind/, reading the pages only: no network);
// "" when it succeeded, else why not with the end of what it printed.
std::string run_pagefind(const std::string& pagefind, const std::string& out) {
  char log[] = "/tmp/teikit-pagefind-XXXXXX";
  const int fd = ::mkstemp(log);
  if (fd < 0) return "pagefind: cannot make a temporary file";
  ::unlink(log);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    const int in = ::open("/dev/null", O_RDONLY);
    if (in >= 0) ::dup2(in, STDIN_FILENO);
    std::string a0 = pagefind, a1 = "--site", a2 = out;
    char* argv[] = {a0.data(), a1.data(), a2.data(), nullptr};
    ::execv(pagefind.c_str(), argv);
    _exit(127);
  }
  int status = 0;
  const bool waited = pid > 0 && ::waitpid(pid, &status, 0) == pid;
  std::string output;
  char buf[4096];
  ::lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) output.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  if (waited && WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (output.size() > 2000) output = "…" + output.substr(output.size() - 2000);
  return pagefind + " --site " + out + " failed" +
         (waited && WIFEXITED(status) ? " (exit " + std::to_string(WEXITSTATUS(status)) + ")" : "") +
         ": " + output;
}

}  // namespace

CLI::App* add_build_command(CLI::App& app, BuildArgs& a) {
  CLI::App* cmd = app.add_subcommand(
      "build", "Build an edition from a tree of transcriptions: TEI, validation, pages, index");
  cmd->add_option("source", a.source, "folder of transcriptions (.txt, .md; subfolders too)")
      ->required();
  cmd->add_option("-o,--output", a.output, "the edition folder (mirrors the source tree)")
      ->required();
  cmd->add_option("-j,--jobs", a.jobs, "documents built in parallel (default: the cores)");
  cmd->add_option("--schema", a.schema,
                  "RelaxNG schema to validate against (default: the project schema with its rules)");
  cmd->add_option("--rules", a.rules, "ISO Schematron rules to apply as well");
  cmd->add_flag("--no-rules", a.no_rules, "do not apply the project's rules");
  cmd->add_flag("--no-validate", a.no_validate, "do not validate the TEI");
  cmd->add_option("--timeout", a.timeout,
                  "time limit in seconds (default 5; 0: no limit) for compiling the schema, and "
                  "separately for each document's validation, as for validate")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--no-prune", a.no_prune,
                "compile the whole grammar instead of the part the documents can reach (slow "
                "for tei_all.rng; same verdicts)");
  cmd->add_option("--profile", a.profile, "profile: a built-in name or a profile file (XML)");
  cmd->add_option("--from", a.from, "input flavour")
      ->check(CLI::IsMember({"auto", "plain", "markdown"}));
  cmd->add_option("--encoding", a.encoding, "encoding of the inputs (default utf-8)")
      ->check(CLI::IsMember({"utf-8", "latin-1", "windows-1252"}));
  cmd->add_option("--config", a.config, "config file with publisher, licence, …");
  cmd->add_option("--publisher", a.publisher, "publicationStmt/publisher");
  cmd->add_option("--licence", a.licence, "licence statement");
  cmd->add_option("--licence-url", a.licence_url, "licence URL (licence/@target)");
  cmd->add_option("--pub-place", a.pub_place, "publicationStmt/pubPlace");
  cmd->add_option("--title", a.title, "title of the edition (index page and corpus)");
  cmd->add_flag("--search", a.search,
                "full-text search with facets (year, sender, addressee, place, archive, kind, "
                "language) on the index page: runs pagefind ($TEIKIT_PAGEFIND, else pagefind on "
                "the PATH; scripts/setup-pagefind.sh installs it)");
  cmd->add_flag("--force", a.force, "rebuild every document, changed or not");
  cmd->add_flag("-q,--quiet", a.quiet, "no progress and no summary (problems are still printed)");
  cmd->add_flag("--fail-on-warnings", a.fail_on_warnings, "exit 2 when warnings occur");
  cmd->add_option("--report", a.report, "also write a report: --report json|junit FILE")
      ->expected(2)
      ->allow_extra_args(false);
  cmd->add_option("--max-input-size", a.max_input_size,
                  "refuse transcriptions larger than this many bytes (default 512 MiB; 0: no limit)");
  return cmd;
}

namespace {
int run_build_into(const BuildArgs& a, std::ostream& out, std::ostream& err);
}  // namespace

int run_build(const BuildArgs& args, std::ostream& out, std::ostream& err) {
  // OUT as the kernel will resolve it (OUT/new/.. is OUT's parent once OUT/new exists): the
  // checks that OUT is not SRC and holds only teikit's files must see that folder.
  BuildArgs a = args;
  a.output = resolved_output_path(args.output);
  return run_build_into(a, out, err);
}

namespace {
int run_build_into(const BuildArgs& a, std::ostream& out, std::ostream& err) {
  const auto started = Clock::now();
  if (!a.report.empty() &&
      (a.report.size() != 2 || (a.report[0] != "json" && a.report[0] != "junit"))) {
    err << "teikit: --report expects json FILE or junit FILE\n";
    return kExitUsage;
  }
  if (const std::string why = xml_text_problem(a.title); !why.empty()) {
    err << "teikit: --title: the value " << why << "\n";
    return kExitUsage;
  }
  boost::system::error_code ec;
  if (!fs::is_directory(a.source, ec)) {
    err << "teikit: " << a.source << ": not a folder (build reads a tree of transcriptions)\n";
    return kExitUsage;
  }
  if (fs::exists(a.output, ec) && !fs::is_directory(a.output, ec)) {
    err << "teikit: " << a.output << ": exists and is not a folder\n";
    return kExitUsage;
  }
  if (fs::exists(a.output, ec) && fs::equivalent(a.source, a.output, ec)) {
    err << "teikit: " << a.output << ": is the source folder; build into another folder\n";
    return kExitUsage;
  }
  if (!a.report.empty() && a.report[1] != "-") {
    std::string problem = output_target_problem(a.report[1]);
    if (problem.empty() && is_transcription(a.report[1]))
      problem = a.report[1] + ": a report named like a transcription (.txt, .md) is refused";
    // Nor may it replace what the run reads (the config, profile, schema, rules) or any file of
    // the edition (a page, a TEI, the index, the run's record): the edition would be left with a
    // report in place of one of its files, which later runs take for theirs.
    if (problem.empty()) {
      std::vector<std::string> read = {a.config, a.schema, a.rules};
      if (fs::exists(a.profile, ec)) read.push_back(a.profile);
      problem = output_input_conflict(a.report[1], read);
    }
    if (problem.empty()) {
      const fs::path out_dir = fs::absolute(a.output).lexically_normal();
      for (fs::path dir = fs::absolute(a.report[1]).lexically_normal().parent_path(); !dir.empty();
           dir = dir.parent_path()) {
        if (dir == out_dir || (fs::exists(a.output, ec) && fs::equivalent(dir, a.output, ec))) {
          problem = a.report[1] + ": is inside the edition folder " + a.output +
                    "; write the report elsewhere";
          break;
        }
        if (dir == dir.root_path()) break;
      }
    }
    if (!problem.empty()) {
      err << "teikit: --report: " << problem << "\n";
      return kExitUsage;
    }
  }
  // The conversion options, as `convert` takes them.
  ConvertOptions options;
  if (const int code = conversion_options(a, options, err); code != kExitOk) return code;
  ValidationOptions validation;
  validation.schema_path = a.schema.empty() ? project_schema_path() : a.schema;
  validation.rules_path = !a.rules.empty()                  ? a.rules
                          : a.schema.empty() && !a.no_rules ? project_rules_path()
                                                            : "";
  validation.max_input_size = a.max_input_size;
  validation.prune = !a.no_prune;
  validation.jobs = 1;  // each worker validates its own batches
  for (const std::string& file : {a.schema, a.rules}) {
    if (const std::string problem = library_input_problem(file, a.max_input_size);
        !problem.empty()) {
      err << "teikit: " << problem << "\n";
      return kExitUnreadable;
    }
  }

  // The tree, and what the last run left.
  std::vector<Item> items;
  std::string error;
  const fs::path out_dir(a.output);
  if (!walk(a.source, fs::exists(out_dir, ec) ? out_dir : fs::path(), items, error)) {
    err << "teikit: " << error << "\n";
    return kExitUnreadable;
  }
  const std::string manifest_path = (out_dir / kManifestName).string();
  std::string old_fingerprint;
  const std::vector<Entry> old = read_manifest(manifest_path, old_fingerprint);
  std::unordered_map<std::string, const Entry*> old_by_rel;
  for (const Entry& e : old) old_by_rel[e.rel] = &e;
  const std::string fingerprint = run_fingerprint(a, validation, a.max_input_size);

  // The edition must be writable before anything is done.
  {
    fs::create_directories(out_dir, ec);
    if (!fs::is_directory(out_dir, ec)) {
      err << "teikit: " << a.output << ": cannot create the folder\n";
      return kExitUnreadable;
    }
    if (const std::string p = edition_dir_problem(a.output); !p.empty()) {
      err << "teikit: " << p << "\n";
      return kExitUsage;
    }
  }

  Shared shared(a, options, validation, old_fingerprint == fingerprint ? fingerprint : "", items);
  shared.limits = ValidationLimits{a.timeout, a.timeout};
  if (a.search) shared.page_params["search"] = "yes";
  std::string pagefind;
  if (a.search) {
    pagefind = find_pagefind();
    if (pagefind.empty()) {
      err << "teikit: --search needs pagefind: set TEIKIT_PAGEFIND, or put pagefind on the PATH "
             "(scripts/setup-pagefind.sh installs it)\n";
      return kExitUsage;
    }
  }
  std::map<std::string, std::string> taken;  // output stem → the source that has it
  for (std::size_t i = 0; i < items.size(); ++i) {
    Item& item = items[i];
    item.stem_rel = fs::path(item.rel).replace_extension().generic_string();
    item.xml = (out_dir / (item.stem_rel + ".xml")).string();
    item.html = (out_dir / (item.stem_rel + ".html")).string();
    item.result.rel = item.rel;
    if (!item.refused.empty()) {
      item.result.status = Status::Failed;
      item.result.diagnostics.push_back(problem(
          item.path, "not-a-regular-file",
          "not a regular file (" + item.refused + "); not read"));
      item.done = true;
      continue;
    }
    if (const auto [it, fresh] = taken.emplace(item.stem_rel, item.rel); !fresh) {
      item.result.status = Status::Failed;
      item.result.diagnostics.push_back(
          problem(item.path, "output-collision",
                  "would be written to " + item.stem_rel + ".xml, which " + it->second +
                      " has; not built (rename one of them)"));
      item.done = true;
      continue;
    }
    if (item.stem_rel == kIndexStem || item.stem_rel == "corpus") {
      item.result.status = Status::Failed;
      item.result.diagnostics.push_back(problem(
          item.path, "reserved-name",
          "the names index and corpus are reserved at the top of an edition (index.html, "
          "corpus.xml); not built (rename it or move it into a folder)"));
      item.done = true;
      continue;
    }
    struct stat st;
    if (::stat(item.path.c_str(), &st) == 0) {
      item.size = static_cast<std::uintmax_t>(st.st_size);
      item.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    }
    if (const auto o = old_by_rel.find(item.rel); o != old_by_rel.end()) item.old = o->second;
    // Unchanged since the last run (same size and time stamp, same options): not even read.
    struct stat ost;
    if (item.old && !shared.fingerprint_same.empty() && !a.force && item.old->size == item.size &&
        item.old->mtime_ns == item.mtime_ns && item.old->status != Status::Failed &&
        (!item.old->has_xml || ::stat(item.xml.c_str(), &ost) == 0) &&
        (!item.old->has_page || ::stat(item.html.c_str(), &ost) == 0)) {
      item.result = *item.old;
      for (auto& d : item.result.diagnostics) d.file = item.path;
      item.done = true;
      continue;
    }
    item.queued = true;
    shared.queue.push_back(i);
    fs::create_directories(fs::path(item.xml).parent_path(), ec);
  }

  // Each thread compiles its own schema, rules and stylesheet (libxml2's compiled schemas are
  // not shared between threads); the first set is compiled here, so that one that does not
  // compile stops the run before anything is written.
  auto first_sheet = std::make_unique<Stylesheet>(stylesheet_dir() + "/tei-to-html.xsl");
  ++shared.sheets_compiled;
  if (!first_sheet->valid()) {
    err << "teikit: " << first_sheet->error() << "\n";
    return kExitSchema;
  }
  if (!a.no_validate && !shared.queue.empty()) {
    // As `validate` would: the whole grammar checked, the part no document reaches pruned
    // away, within the compile time limit. Before any thread is started.
    install_fork_guard();
    const ValidationReport check = validate_supervised({}, validation, shared.limits);
    if (check.schema != SchemaStatus::Compiled) {
      err << "teikit: " << check.schema_error << "\n";
      return check.schema == SchemaStatus::OutOfMemory ? kExitUnreadable : kExitSchema;
    }
  }

  const xml::SettingsScope settings;  // for the whole run, around every thread's own scopes
  const StopOnSignals stop_on_signals;
  unsigned jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(jobs, shared.queue.size())));
  Progress progress(err, a.quiet, items.size(), items.size() - shared.queue.size());
  {
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<std::thread> threads;
    shared.workers_left = shared.workers = shared.queue.empty() ? 0 : jobs;
    shared.finished = items.size() - shared.queue.size();
    for (unsigned j = 0; j < shared.workers_left; ++j) {
      workers.push_back(std::make_unique<Worker>(shared, j == 0 ? std::move(first_sheet) : nullptr));
    }
    // The main thread allocates too (starting threads, printing progress): under the guard,
    // let go of while it sleeps (g_fork_guard), and never while it holds shared.mutex, which
    // the workers take under the guard.
    ForkGuardHold hold;
    for (auto& w : workers) threads.emplace_back([&w] { w->run(); });
    for (;;) {
      std::size_t left, finished, warnings, errors;
      hold.release();
      {
        std::unique_lock<std::mutex> lock(shared.mutex);
        if (shared.workers_left > 0)
          shared.changed.wait_for(lock, std::chrono::milliseconds(progress.tty() ? 100 : 500));
        left = shared.workers_left;
        finished = shared.finished, warnings = shared.warnings, errors = shared.errors;
      }
      hold.acquire();
      if (left == 0) break;
      progress.update(finished, warnings, errors, false);
    }
    hold.release();
    for (auto& t : threads) t.join();
    hold.acquire();
  }
  // Count what the main thread decided (collisions, unchanged) into the totals.
  std::size_t warnings = 0, errors = 0;
  for (const Item& item : items) {
    if (!item.done) continue;
    for (const auto& d : item.result.diagnostics) {
      if (d.severity == Severity::Error) ++errors;
      else if (d.severity == Severity::Warning) ++warnings;
    }
  }
  const std::size_t finished = static_cast<std::size_t>(
      std::count_if(items.begin(), items.end(), [](const Item& i) { return i.done; }));
  progress.update(finished, warnings, errors, true);

  // The manifest: this run's results for what it finished; the last run's for the rest (so that
  // an interrupted run is taken up where it stopped, and sources that disappeared are still
  // known until their outputs are removed).
  const bool stopped = g_stop != 0;
  std::vector<std::string> removed;
  if (!stopped) {
    std::set<std::string> present;
    for (const Item& item : items) present.insert(item.rel);
    for (const Entry& e : old) {
      if (present.count(e.rel)) continue;
      const std::string stem = fs::path(e.rel).replace_extension().generic_string();
      bool any = false;
      any = remove_output((out_dir / (stem + ".xml")).string(), e.xml_stamp, out_dir) || any;
      any = remove_output((out_dir / (stem + ".html")).string(), e.page_stamp, out_dir) || any;
      if (any) removed.push_back(e.rel);
    }
  }
  bool changed = !removed.empty() || a.force || shared.fingerprint_same.empty();
  for (const Item& item : items) changed = changed || item.converted;
  struct stat ist;
  if (::stat((out_dir / kIndexFileName).string().c_str(), &ist) != 0 ||
      ::stat((out_dir / kCorpusFileName).string().c_str(), &ist) != 0 ||
      (a.search && ::stat((out_dir / "pagefind" / "pagefind-entry.json").string().c_str(), &ist) != 0))
    changed = true;
  int status = kExitOk;
  RunStatistics stats;
  stats.threads = shared.queue.empty() ? 0 : jobs;
  stats.sheets_compiled = shared.sheets_compiled;
  stats.schemas_compiled = shared.schemas_compiled;
  if (!stopped && changed) {
    std::vector<TreeDocument> documents;
    for (const Item& item : items)
      if (item.done && item.result.has_xml) documents.push_back({item.stem_rel + ".xml", item.result.has_page});
    if (!documents.empty()) {
      EditionIndexOptions index;
      index.title = a.title;
      if (a.search) index.params["search"] = "yes";
      index.max_input_size = a.max_input_size;
      index.jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
      const EditionIndexResult r = write_tree_index(a.output, documents, index);
      stats.index_sheets_compiled = r.stylesheets_compiled;
      stats.index_documents_read = r.documents_read;
      for (const auto& s : r.skipped) err << "teikit: warning: " << a.output << "/" << s << " (not indexed)\n";
      if (!r.ok) {
        err << "teikit: " << r.error << "\n";
        status = r.refused ? kExitUsage : r.stylesheet_failed ? kExitSchema : kExitUnreadable;
      } else if (a.search) {
        if (const std::string why = run_pagefind(pagefind, a.output); !why.empty()) {
          err << "teikit: " << why << "\n";
          status = kExitUnreadable;
        }
      }
    }
  }
  {
    const ByteProducer manifest = [&](const ByteSink& sink) {
      const std::string head = "{\"teikit-build\":" + std::to_string(kManifestFormat) +
                               ",\"version\":\"" + version() + "\",\"fingerprint\":\"" +
                               // An index that failed is made again next time.
                               (status == kExitOk ? fingerprint : std::string("-")) + "\"}\n";
      if (!sink(head.data(), head.size())) return false;
      std::set<std::string> written;
      for (const Item& item : items) {
        Entry e;
        if (!item.done || (item.result.status == Status::Failed && !item.result.has_xml)) {
          // Not finished, or failed before writing: the last run's outputs are still there.
          if (!item.old) continue;
          e = *item.old;
          // A failure is looked at again next time, whatever the time stamps say.
          if (item.done) e.mtime_ns = -1;
        } else {
          e = item.result;
        }
        const std::string line = entry_json(e);
        if (!sink(line.data(), line.size())) return false;
        written.insert(e.rel);
      }
      if (stopped)
        for (const Entry& e : old)
          if (!written.count(e.rel)) {
            const std::string line = entry_json(e);
            if (!sink(line.data(), line.size())) return false;
          }
      return true;
    };
    if (!write_atomically(manifest_path, manifest, error)) {
      err << "teikit: " << error << "\n";
      if (status == kExitOk) status = kExitUnreadable;
    }
  }

  // Problems on standard error: errors always, warnings in the report and the summary.
  // At most kPrinted of them: a tree that fails the same way everywhere must not bury the
  // summary (the report has them all).
  constexpr std::size_t kPrinted = 50;
  std::size_t counts[4] = {0, 0, 0, 0}, converted = 0, unchanged_now = 0, printed = 0,
              not_printed = 0;
  for (const Item& item : items) {
    if (!item.done) continue;
    ++counts[static_cast<int>(item.result.status)];
    converted += item.converted;
    unchanged_now += !item.converted && item.result.status != Status::Failed;
    if (item.result.status == Status::Invalid || item.result.status == Status::Failed)
      for (const auto& d : item.result.diagnostics)
        if (d.severity == Severity::Error) {
          if (printed++ < kPrinted) print_text(err, d);
          else ++not_printed;
        }
  }
  if (not_printed > 0)
    err << "teikit: " << not_printed << " more errors not listed (--report json FILE has them "
        << "all)\n";
  const double total_seconds = seconds_since(started);
  if (!a.report.empty()) {
    const std::string report = a.report[0] == "json" ? json_report(items, removed, a, total_seconds, stats)
                                                     : junit_report(items, total_seconds);
    if (a.report[1] == "-") {
      out << report;
    } else if (!write_atomically(a.report[1], report, error)) {
      err << "teikit: " << error << "\n";
      if (status == kExitOk) status = kExitUnreadable;
    }
  }
  if (stopped) {
    err << "teikit: build stopped by a signal: " << finished << " of " << items.size()
        << " documents finished; the edition's index is the last complete run's; run again to "
           "finish\n";
    return 130;
  }
  if (!a.quiet) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.0f", total_seconds > 0 ? converted / total_seconds : 0.0);
    err << "teikit build: " << items.size() << " documents (" << converted << " converted, "
        << unchanged_now << " unchanged"
        << (removed.empty() ? "" : ", " + std::to_string(removed.size()) + " removed") << ") in "
        << seconds_text(total_seconds) << " s (" << rate << " documents/s): " << counts[0]
        << " ok, " << counts[1] << " with warnings, " << counts[2] << " invalid, " << counts[3]
        << " failed; " << warnings << " warnings, " << errors << " errors\n";
  }
  if (status != kExitOk) return status;
  if (counts[3] > 0) return kExitUnreadable;
  if (counts[2] > 0) return kExitInvalid;
  if (a.fail_on_warnings && warnings > 0) return kExitWarnings;
  return kExitOk;
}
}  // namespace

}  // namespace teikit
