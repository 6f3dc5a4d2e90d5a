// The conversion pipeline: bytes → SourceText → blocks → header + body tree → TEI.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "teikit/blocks.hpp"
#include "teikit/diagnostics.hpp"
#include "teikit/profile.hpp"
#include "teikit/source_text.hpp"
#include "teikit/tei_writer.hpp"

namespace teikit {

/// Options of one conversion.
struct ConvertOptions {
  Flavour flavour = Flavour::Auto;            ///< input flavour, Auto detects
  InputEncoding encoding = InputEncoding::Utf8;  ///< how the input bytes are encoded
  std::shared_ptr<const Profile> profile;     ///< null: the default profile
  PublicationOptions publication;             ///< publicationStmt data
};

/// The result: the TEI document and the diagnostics. `tei` is never null for any input.
struct ConvertResult {
  xml::DocPtr tei;              ///< the TEI document
  std::string xml;              ///< the serialised document
  DiagnosticSink diagnostics;   ///< what was noticed
  Flavour flavour = Flavour::Plain;  ///< the flavour used
  /// Source span of each element of `tei` that came from the text (for mapping validation
  /// errors back to the transcription; header elements are not listed).
  std::unordered_map<const xmlNode*, Span> spans;
  /// The decoded source (line/column lookups for `spans`).
  std::shared_ptr<const SourceText> source;
};

/// Converts one transcription. `name` is used in diagnostics and as the default edition id.
ConvertResult convert(const std::string& name, const std::string& bytes,
                      const ConvertOptions& options);

}  // namespace teikit
