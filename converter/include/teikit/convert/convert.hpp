// The conversion pipeline: bytes → SourceText → blocks → header + body tree → TEI.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "teikit/convert/blocks.hpp"
#include "teikit/base/diagnostics.hpp"
#include "teikit/convert/profile.hpp"
#include "teikit/base/source_text.hpp"
#include "teikit/convert/tei_writer.hpp"

namespace teikit {

/// Options of one conversion.
struct ConvertOptions {
  Flavour flavour = Flavour::Auto;            ///< input flavour, Auto detects
  InputEncoding encoding = InputEncoding::Utf8;  ///< how the input bytes are encoded
  std::shared_ptr<const Profile> profile;     ///< null: the default profile
  PublicationOptions publication;             ///< publicationStmt data
  /// Fill ConvertResult::element_spans (8 bytes per element; `convert --validate` needs them).
  bool element_spans = true;
};

/// The result: the TEI document and the diagnostics. `xml` is a well-formed TEI document for
/// any input.
struct ConvertResult {
  std::string xml;              ///< the serialised document (UTF-8, formatted as libxml2 does)
  DiagnosticSink diagnostics;   ///< what was noticed
  Flavour flavour = Flavour::Plain;  ///< the flavour used
  /// The source span of each element of `xml`, in document order (the order of the start
  /// tags): where in the transcription the element came from, kNoSpan for the elements the
  /// converter made up (the header). For mapping validation errors back to the transcription.
  /// Empty unless ConvertOptions::element_spans.
  std::vector<Span> element_spans;
  /// The decoded source (line/column lookups for `element_spans`).
  std::shared_ptr<const SourceText> source;
  /// The number of blocks of the document text (after the header).
  std::size_t text_blocks = 0;
  /// How many times the inline parser ran over a block of the document text: once per block
  /// (equal to `text_blocks`), never twice.
  std::size_t inline_parses = 0;
};

/// Converts one transcription. `name` is used in diagnostics and as the default edition id.
/// Memory: the decoded text, the document tree of the parts of the text still open (the body is
/// serialised part by part) and the output. Throws std::bad_alloc when memory runs out, and
/// before it starts when a CommonMark text larger than 1 MiB cannot fit (cmark, which takes up
/// to ~130× the text, would abort the process on a failed allocation).
ConvertResult convert(const std::string& name, const std::string& bytes,
                      const ConvertOptions& options);

/// The same, releasing `bytes` as soon as they are decoded, so that the caller's copy of the
/// input is not held beside the conversion.
ConvertResult convert(const std::string& name, std::string&& bytes, const ConvertOptions& options);

/// A generous estimate of the peak memory (bytes) converting `input_size` bytes may need.
std::size_t conversion_memory_estimate(std::size_t input_size);

/// True when conversion_memory_estimate(input_size) fits in what this process can get: the
/// system's available memory (/proc/meminfo MemAvailable) and the address-space and data
/// limits (RLIMIT_AS, RLIMIT_DATA) less what is in use. Otherwise false, with the reason in
/// `why` ("needs about N MiB, M MiB available"). Where no figure can be read, true.
bool conversion_memory_available(std::size_t input_size, std::string& why);

}  // namespace teikit
