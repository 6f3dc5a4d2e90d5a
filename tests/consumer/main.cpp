// A program of someone else's that uses the installed teikit: converts a short transcription,
// prints the TEI and validates it against the project schema it finds in teikit's data folder.
// Built by tests/consumer/CMakeLists.txt (find_package(teikit)) and by
// tests/consumer/build-with-pkg-config.sh (pkg-config teikit).
#include <teikit/base/data_dir.hpp>
#include <teikit/base/diagnostics.hpp>
#include <teikit/base/version.hpp>
#include <teikit/base/xml.hpp>
#include <teikit/convert/convert.hpp>
#include <teikit/validate/validate.hpp>

#include <iostream>
#include <string>
#include <vector>

int main() {
#ifdef TEIKIT_CONSUMER_DATA_DIR
  // This program lives outside teikit's prefix and links the library statically: it says where
  // the data is (teikit_DATA_DIR of find_package, pkgdatadir of pkg-config).
  teikit::set_data_dir(TEIKIT_CONSUMER_DATA_DIR);
#endif
  const std::string text =
      "March 3, 1950\n"
      "\n"
      "Letter from A. Writer to B. Reader\n"
      "\n"
      "Dear Sir,\n"
      "\n"
      "The shipment [illegible] arrived on Tuesday.\n"
      "\n"
      "Yours faithfully,\n"
      "A. Writer\n";
  const teikit::ConvertResult result = teikit::convert("letter.txt", text, teikit::ConvertOptions{});
  for (const teikit::Diagnostic& d : result.diagnostics.diagnostics())
    teikit::print_text(std::cerr, d);
  std::cout << result.xml;

  std::string error;
  teikit::xml::DocPtr doc = teikit::xml::parse_memory(result.xml, "letter.xml", error);
  if (!doc) {
    std::cerr << "consumer: the TEI does not parse: " << error << "\n";
    return 1;
  }
  if (result.xml.find("<gap reason=\"illegible\"") == std::string::npos) {
    std::cerr << "consumer: [illegible] did not become <gap reason=\"illegible\"/>\n";
    return 1;
  }
  const std::string schema_path = teikit::project_schema_path();
  const teikit::RelaxNgSchema schema(schema_path);
  if (!schema.valid()) {
    std::cerr << "consumer: " << schema.error() << "\n";
    return 1;
  }
  std::vector<teikit::ValidityError> errors;
  if (!schema.validate(doc.get(), errors)) {
    for (const teikit::ValidityError& e : errors)
      std::cerr << "letter.xml:" << e.line << ": " << e.message << "\n";
    return 1;
  }
  std::cerr << "consumer: teikit " << teikit::version() << ": converted, valid against "
            << schema_path << "\n";
  return 0;
}
