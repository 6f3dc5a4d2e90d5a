// Validation against the real schemas and documents of ../shared (skipped with a message when it
// is absent): the broken set agrees with EXPECTED.tsv, pruning never changes a verdict, jing
// agrees except where jing is wrong (tests/validate/README.md), every document teikit.rng
// accepts is accepted by tei_all.rng, and TEI Simple's schema gives up within the time limit.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "cli.hpp"
#include "validate_cli.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/validate/rng_check.hpp"
#include "teikit/validate/rng_prune.hpp"
#include "teikit/validate/validate.hpp"
#include "teikit/validate/validation_job.hpp"
#include "teikit/base/xml_source.hpp"
#include "test_support.hpp"

namespace fs = boost::filesystem;
using namespace teikit;
using namespace teikit::test;

namespace {



std::string tei_all(const std::string& shared) { return shared + "/tei-schemas/tei_all.rng"; }

// A document to check: its name and its bytes (a file of the corpus, or a converter output).
struct Doc {
  std::string name, bytes;
  bool xinclude = false;
};

std::vector<Doc> real_documents(const std::string& shared) {
  std::vector<Doc> docs;
  const std::string real = shared + "/corpus/tei-real";
  std::vector<std::string> paths = files(real, ".xml");
  for (const auto& sub : {"/castello/header", "/castello/text", "/broken"})
    for (const auto& p : files(real + sub, ".xml")) paths.push_back(p);
  for (const auto& p : paths) {
    Doc d{p, read_file(p)};
    docs.push_back(d);
    if (d.bytes.find("XInclude") != std::string::npos) {  // also with the inclusions made
      d.xinclude = true;
      docs.push_back(d);
    }
  }
  return docs;
}

// The converter's output for samples/ and the transcription corpora.
std::vector<Doc> converter_outputs(const std::string& shared) {
  std::vector<std::string> inputs = files(source_dir() + "/samples", ".txt");
  if (!shared.empty())
    for (const auto& sub : {"seeds", "frus-dev", "letters-dev"})
      for (const auto& p : files(shared + "/corpus/" + sub, ".txt")) inputs.push_back(p);
  std::vector<Doc> docs;
  for (const auto& p : inputs) {
    // German samples (*-deutsch.txt) are converted with their profile, as scripts/run-samples.sh does.
    ConvertOptions options;
    if (p.size() > 12 && p.compare(p.size() - 12, 12, "-deutsch.txt") == 0)
      options.profile = builtin_profile("de-archive");
    ConvertResult r = convert(p, read_file(p), options);
    docs.push_back({p + " (converted)", r.xml});
  }
  return docs;
}

std::vector<Doc> golden_documents() {
  std::vector<Doc> docs;
  for (const auto& p : files(source_dir() + "/tests/validate", ".xml"))
    docs.push_back({p, read_file(p)});
  return docs;
}

std::unique_ptr<XmlSource> parse(const Doc& d) {
  XmlReadOptions options;
  options.xinclude = d.xinclude;
  return std::make_unique<XmlSource>(d.name, d.bytes, options);
}

// libxml2 2.9 needs ~10 s for the whole of tei_all.rng: compiled once per test binary.
const RelaxNgSchema& full_tei_all(const std::string& shared) {
  static RelaxNgSchema schema(tei_all(shared));
  return schema;
}

bool pruned_verdict(const xmlDoc* grammar, const NameSet& names, xmlDoc* doc, std::string& error) {
  xml::DocPtr pruned = prune_grammar(grammar, names);
  RelaxNgSchema schema(pruned.get());
  if (!schema.valid()) {
    error = schema.error();
    return false;
  }
  std::vector<ValidityError> errors;
  return schema.validate(doc, errors);
}

std::map<std::string, std::string> expected_verdicts(const std::string& tsv) {
  std::map<std::string, std::string> out;  // b01-gap-unknown-attr → "invalid: …"
  std::istringstream in(read_file(tsv));
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

}  // namespace

TEST(ValidateCorpus, BrokenSetAgreesWithExpectedTsv) {
  REQUIRE_SHARED();
  const std::string dir = shared + "/corpus/tei-real/broken/";
  const auto expected = expected_verdicts(dir + "EXPECTED.tsv");
  ASSERT_GE(expected.size(), 20u);
  // As `teikit validate --schema tei_all.rng broken/*.xml` does it: one job, one compilation.
  std::vector<ValidationInput> inputs;
  for (const auto& [id, why] : expected) {
    ValidationInput in;
    in.name = in.path = dir + id + ".xml";
    inputs.push_back(in);
  }
  ValidationOptions options;
  options.schema_path = tei_all(shared);
  const ValidationReport report = validate_documents(inputs, options);
  ASSERT_EQ(report.schema, SchemaStatus::Compiled) << report.schema_error;
  int agree = 0;
  std::size_t i = 0;
  for (const auto& [id, why] : expected) {
    const DocumentResult& d = report.documents[i++];
    const bool expect_valid = why.rfind("VALID", 0) == 0;
    const bool valid = d.verdict == Verdict::Valid;
    agree += valid == expect_valid;
    EXPECT_EQ(valid, expect_valid)
        << id << ": " << why << " — teikit says " << to_string(d.verdict)
        << (d.diagnostics.empty() ? "" : ": " + d.diagnostics[0].diagnostic.message);
    // Every invalid document is told where: a line and column in it.
    if (!valid && !d.diagnostics.empty()) {
      EXPECT_GT(d.diagnostics[0].diagnostic.line, 0u) << id;
      EXPECT_GT(d.diagnostics[0].diagnostic.column, 0u) << id;
    }
  }
  std::printf("  broken/: %d of %zu verdicts agree with EXPECTED.tsv\n", agree, expected.size());
  // The exit codes of the command line, for one of each.
  const char* argv_bad[] = {"teikit", "validate", "--schema", options.schema_path.c_str(),
                            inputs.front().path.c_str()};
  std::ostringstream out, err;
  EXPECT_EQ(run(5, argv_bad, out, err), kExitInvalid) << err.str();
  const std::string valid_doc = dir + "v01-unit-nonascii-ok.xml";
  const char* argv_ok[] = {"teikit", "validate", "--schema", options.schema_path.c_str(),
                           valid_doc.c_str()};
  EXPECT_EQ(run(5, argv_ok, out, err), kExitOk) << err.str();
}

TEST(ValidateCorpus, PrunedVerdictsEqualFullVerdicts) {
  REQUIRE_SHARED();
  ASSERT_TRUE(full_tei_all(shared).valid()) << full_tei_all(shared).error();
  std::string error;
  xml::DocPtr grammar = read_grammar(tei_all(shared), error);
  ASSERT_TRUE(grammar) << error;
  xml::DocPtr project_grammar = read_grammar(project_schema_path(), error);
  ASSERT_TRUE(project_grammar) << error;
  const RelaxNgSchema full_project(project_schema_path());
  ASSERT_TRUE(full_project.valid()) << full_project.error();

  std::vector<Doc> docs = real_documents(shared);
  const auto outputs = converter_outputs(shared);
  const auto goldens = golden_documents();
  docs.insert(docs.end(), outputs.begin(), outputs.end());
  docs.insert(docs.end(), goldens.begin(), goldens.end());
  std::vector<std::unique_ptr<XmlSource>> parsed;
  NameSet all_names;
  for (const auto& d : docs) {
    parsed.push_back(parse(d));
    if (parsed.back()->ok()) all_names.add_document(parsed.back()->doc());
  }
  // The grammar pruned for all documents at once, as one `teikit validate` run over them does.
  xml::DocPtr union_grammar = prune_grammar(grammar.get(), all_names);
  const RelaxNgSchema union_schema(union_grammar.get());
  ASSERT_TRUE(union_schema.valid()) << union_schema.error();

  int compared = 0, valid = 0;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    XmlSource& src = *parsed[i];
    if (!src.ok()) continue;  // tests/validate/not-well-formed.xml
    std::vector<ValidityError> errors;
    const bool full = full_tei_all(shared).validate(src.doc(), errors);
    NameSet names;
    names.add_document(src.doc());
    error.clear();
    const bool pruned = pruned_verdict(grammar.get(), names, src.doc(), error);
    EXPECT_TRUE(error.empty()) << docs[i].name << ": " << error;
    EXPECT_EQ(pruned, full) << docs[i].name << (docs[i].xinclude ? " (XInclude)" : "")
                            << ": full grammar says " << (full ? "valid" : "invalid");
    errors.clear();
    EXPECT_EQ(union_schema.validate(src.doc(), errors), full) << docs[i].name << " (union)";
    // The project schema too (pruning also flattens its choices).
    errors.clear();
    const bool project_full = full_project.validate(src.doc(), errors);
    EXPECT_EQ(pruned_verdict(project_grammar.get(), names, src.doc(), error), project_full)
        << docs[i].name << " (teikit.rng)";
    ++compared;
    valid += full;
  }
  std::printf(
      "  tei_all.rng: pruned and full verdicts compared on %d documents (%d valid, %d "
      "invalid), per document and with one grammar for all\n",
      compared, valid, compared - valid);
  EXPECT_GE(compared, 60);

  // Both grammars are correct as a whole (rng_check.hpp), so pruning them hides no error.
  GrammarError wrong;
  EXPECT_TRUE(check_grammar(grammar.get(), wrong)) << describe(wrong, tei_all(shared));
  EXPECT_TRUE(check_grammar(project_grammar.get(), wrong)) << describe(wrong, "teikit.rng");

  // An incorrect schema is refused with and without pruning, whatever the documents: every
  // schema of tests/data/rng-incorrect against the whole corpus at once (one job each way).
  std::vector<ValidationInput> inputs;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (!parsed[i]->ok()) continue;
    ValidationInput in;
    in.name = docs[i].name;
    in.doc = parsed[i]->doc();
    inputs.push_back(in);
  }
  int refused = 0;
  for (const auto& schema : files(source_dir() + "/tests/data/rng-incorrect", ".rng")) {
    for (const bool prune : {true, false}) {
      ValidationOptions options;
      options.schema_path = schema;
      options.prune = prune;
      const ValidationReport report = validate_documents(inputs, options);
      EXPECT_EQ(report.schema, SchemaStatus::Failed)
          << schema << (prune ? "" : " (no pruning)") << ": " << report.schema_error;
      EXPECT_EQ(exit_code(report), kExitSchema) << schema;
      refused += report.schema == SchemaStatus::Failed;
    }
  }
  std::printf("  %d incorrect schemas refused with and without pruning on those documents\n",
              refused / 2);
}

TEST(ValidateCorpus, JingAgreesOnEveryRealDocumentExceptItsOwnBugs) {
  REQUIRE_SHARED();
  if (std::system("command -v jing >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "jing is not installed: agreement with jing not checked";
  // Where jing is wrong (tests/validate/README.md): it accepts U+200B, which [^\p{C}\p{Z}]+
  // forbids, and it cannot resolve the XPointer shorthand of the castello text's xi:include.
  const std::set<std::string> jing_bugs = {"b17-unit-with-ctrl-char.xml",
                                           "castello-anima-teiText.xml"};
  std::vector<ValidationInput> inputs;
  for (const auto& d : real_documents(shared)) {
    if (d.xinclude) continue;
    ValidationInput in;
    in.name = in.path = d.name;
    inputs.push_back(in);
  }
  ValidationOptions options;
  options.schema_path = tei_all(shared);
  options.read.xinclude = true;  // jing processes XInclude
  const ValidationReport report = validate_documents(inputs, options);
  ASSERT_EQ(report.schema, SchemaStatus::Compiled) << report.schema_error;
  int agree = 0, known = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string cmd =
        "jing '" + tei_all(shared) + "' '" + inputs[i].path + "' >/dev/null 2>&1";
    const bool jing_valid = std::system(cmd.c_str()) == 0;
    const bool ours = report.documents[i].verdict == Verdict::Valid;
    const std::string base = fs::path(inputs[i].path).filename().string();
    if (jing_bugs.count(base)) {
      EXPECT_NE(ours, jing_valid) << base << ": the known disagreement is gone; update the README";
      ++known;
      continue;
    }
    agree += ours == jing_valid;
    EXPECT_EQ(ours, jing_valid) << base << ": jing says " << (jing_valid ? "valid" : "invalid");
  }
  std::printf("  jing: %d of %zu documents agree; %d disagreements are jing's known bugs\n", agree,
              inputs.size(), known);
}

TEST(ValidateCorpus, ProjectSchemaIsASubsetOfTei) {
  REQUIRE_SHARED();
  // Every converter output the project schema (and rules) accepts is accepted by tei_all.rng.
  std::vector<Doc> docs = converter_outputs(shared);
  const auto goldens = golden_documents();
  docs.insert(docs.end(), goldens.begin(), goldens.end());
  std::vector<ValidationInput> inputs;
  for (const auto& d : docs) {
    ValidationInput in;
    in.name = d.name;
    in.bytes = d.bytes;
    inputs.push_back(in);
  }
  ValidationOptions project;
  project.schema_path = project_schema_path();
  project.rules_path = project_rules_path();
  ValidationOptions tei = project;
  tei.schema_path = tei_all(shared);
  tei.rules_path.clear();
  const ValidationReport a = validate_documents(inputs, project);
  const ValidationReport b = validate_documents(inputs, tei);
  ASSERT_EQ(a.schema, SchemaStatus::Compiled) << a.schema_error;
  ASSERT_EQ(b.schema, SchemaStatus::Compiled) << b.schema_error;
  int accepted = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (a.documents[i].verdict != Verdict::Valid) continue;
    ++accepted;
    EXPECT_EQ(b.documents[i].verdict, Verdict::Valid)
        << inputs[i].name << " is valid against teikit.rng but not against tei_all.rng: "
        << (b.documents[i].diagnostics.empty() ? ""
                                               : b.documents[i].diagnostics[0].diagnostic.message);
  }
  std::printf("  teikit.rng accepts %d of %zu documents; tei_all.rng accepts all of them\n",
              accepted, inputs.size());
  EXPECT_GE(accepted, 40);  // every converter output, at least
}

TEST(ValidateCorpus, TeiSimpleGivesUpWithinTheLimit) {
  REQUIRE_SHARED();
  // libxml2 2.9.14 never finishes compiling the whole of teisimple.rng.
  const std::string schema = shared + "/tei-schemas/teisimple.rng";
  const std::string doc = shared + "/corpus/tei-real/minimal.xml";
  const char* argv[] = {"teikit",     "validate",  "--schema", schema.c_str(),
                        "--no-prune", "--timeout", "2",        doc.c_str()};
  std::ostringstream out, err;
  const auto start = std::chrono::steady_clock::now();
  const int code = run(8, argv, out, err);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(code, kExitSchema);
  EXPECT_NE(err.str().find("schema did not compile within 2 seconds"), std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("[schema-timeout]"), std::string::npos) << err.str();
  EXPECT_GE(seconds, 2.0);
  EXPECT_LT(seconds, 4.0);
  std::printf("  teisimple.rng (whole grammar): gave up after %.2f s (limit 2 s)\n", seconds);
  // Pruned to what the document uses, the same schema compiles at once and gives a verdict.
  const char* argv_pruned[] = {"teikit",    "validate", "--schema", schema.c_str(),
                               "--timeout", "2",        doc.c_str()};
  std::ostringstream out2, err2;
  EXPECT_NE(run(7, argv_pruned, out2, err2), kExitSchema) << err2.str();
}
