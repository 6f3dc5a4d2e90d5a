// The inputs of the stage benchmarks, made in memory from the transcriptions of samples/ (and of
// the shared corpus when TEIKIT_SHARED names it): single documents of the requested sizes (the
// transcriptions concatenated, the first one's header the header of the whole) and the
// transcriptions one by one, as a collection of small documents.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace benchmark {
class State;
}

namespace teikit::bench {

/// One transcription or TEI document held in memory.
struct Document {
  std::string name;   ///< its file name (diagnostics, edition ids)
  std::string bytes;  ///< its content
};

/// What the benchmarks run on; filled once by main() before any benchmark is registered.
struct Inputs {
  std::string source_dir;  ///< the project (samples/, schemas/, xslt/)
  std::string shared_dir;  ///< $TEIKIT_SHARED, or "" when it is not set or not a directory
  std::vector<Document> transcriptions;  ///< every transcription read, one by one
  std::vector<std::size_t> sizes;        ///< requested single-document sizes, in bytes
  std::vector<std::size_t> collections;  ///< requested edition sizes (number of documents)
  /// The converted TEI of each transcription (same order as `transcriptions`).
  std::vector<Document> tei;
  /// tei_all.rng of the shared schemas, or "" when the shared folder is absent.
  std::string tei_all;
};

/// The inputs of this run (main.cpp).
const Inputs& inputs();

/// A transcription of about `size` bytes: the transcriptions concatenated (blank line between
/// them) as often as needed and cut at the last blank line before `size` (never empty).
/// Memoised: each size is made once.
const std::string& document_of_size(std::size_t size);

/// The TEI of document_of_size(size), converted once with the default options.
const std::string& tei_of_size(std::size_t size);

/// "16K", "1M", "10M": a size as the benchmark names show it.
std::string size_label(std::size_t size);

/// Parses "16K", "1M", "1.5M", "4096" (bytes); 0 when it is not a size.
std::size_t parse_size(const std::string& text);

/// A fresh directory below $TMPDIR (or /tmp), removed by remove_scratch_dirs().
std::string scratch_dir(const std::string& stem);

/// Skips the running benchmark with `why` (state.SkipWithError) and remembers it, so that the
/// run exits 1: a benchmark that cannot run is a failure of the smoke test, not a figure.
void fail(benchmark::State& state, const std::string& why);

/// The failures fail() recorded.
std::size_t failures();

/// Removes every directory scratch_dir() made (called by main() at exit).
void remove_scratch_dirs();

}  // namespace teikit::bench
