// Registration of the stage benchmarks, one function per file (called by main() once the inputs
// are read, so that the benchmarks' names carry the sizes asked for).
#pragma once

namespace teikit::bench {

/// Reading + NFC, blocks, inline (bracket) parse, dates, header, TEI writing, whole conversion
/// (convert_stages.cpp).
void register_convert_stages();

/// Validation per document: the project schema with its rules, tei_all.rng compiled once
/// (validate_stages.cpp).
void register_validate_stages();

/// HTML rendering per document and the edition index (render_stages.cpp).
void register_render_stages();

}  // namespace teikit::bench
