// XSLT through libxslt with the security preferences locked: stylesheets may read only local
// files and can neither write files, create directories nor reach the network.
#pragma once

#include <map>
#include <string>

#include "teikit/base/byte_sink.hpp"
#include "teikit/base/xml.hpp"

namespace teikit {

/// A compiled stylesheet, reusable for many documents.
class Stylesheet {
 public:
  /// Compiles the stylesheet at `path`; on failure valid() is false and error() says why.
  explicit Stylesheet(const std::string& path);
  /// True when the stylesheet compiled.
  bool valid() const { return sheet_ != nullptr; }
  /// Why compilation failed.
  const std::string& error() const { return error_; }
  /// Applies the stylesheet to `doc` with string parameters; returns the serialised result or
  /// sets `error` and returns "".
  std::string apply(xmlDoc* doc, const std::map<std::string, std::string>& params,
                    std::string& error) const;
  /// Applies the stylesheet to `doc` and writes the serialised result to `sink` as it is
  /// produced, the same bytes apply() returns: with the xml output method (not indented), each
  /// <teikit:chunk> of the result is written and freed as soon as it is built, so the page is
  /// never held whole in memory. Returns false and sets `error` when the transformation fails
  /// or `sink` refuses a piece ("cannot write the result"); what was written by then is a part
  /// of the page only.
  bool apply_to(xmlDoc* doc, const std::map<std::string, std::string>& params,
                const ByteSink& sink, std::string& error) const;

 private:
  xml::StylesheetPtr sheet_;
  std::string error_;
};

/// Where the project's stylesheets are: $TEIKIT_XSLT_DIR, else data_dir()/xslt
/// (teikit/base/data_dir.hpp, which declares it too).
std::string stylesheet_dir();

}  // namespace teikit
