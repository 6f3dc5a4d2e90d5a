// `teikit build`: a tree of transcriptions into an edition (mirrored folders, collisions, broken
// files, the report, incremental runs, removed sources, --force, an interrupted run), and the
// library pieces it stands on (DocumentValidator, write_tree_index, AtomicBatch).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

#include "cli.hpp"
#include "teikit/base/file_io.hpp"
#include "teikit/base/json.hpp"
#include "teikit/convert/convert.hpp"
#include "teikit/render/edition_index.hpp"
#include "teikit/validate/validate.hpp"
#include "teikit/validate/validation_job.hpp"
#include "test_support.hpp"

namespace fs = boost::filesystem;
using namespace teikit;

using teikit::test::CliRun;
using teikit::test::read_file;
using teikit::test::teikit_cli;

namespace {

std::string doc(const std::string& title, const std::string& date = "April 30, 1962") {
  return date + "\n\n" + title +
         "\n\nCitation:\n\n\"" + title + "\", " + date +
         ", Test Archive, ABC 1-2, 3. Translated by Jane Roe. https://example.org/1\n\n"
         "Contents:\n\nTranslation - English\n\nZhang [Hanfu] came [...].\n";
}

// Modification time of `path` in nanoseconds (0 when it does not exist).
long long mtime(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

JsonValue json_of(const std::string& text) {
  JsonValue v;
  std::string error;
  EXPECT_TRUE(parse_json(text, v, error)) << error;
  return v;
}

double number(const JsonValue& v, const char* a, const char* b) {
  const JsonValue* x = v.find(a);
  const JsonValue* y = x ? x->find(b) : nullptr;
  return y ? y->number : -1;
}

const JsonValue* document(const JsonValue& report, const std::string& source) {
  const JsonValue* docs = report.find("documents");
  if (!docs) return nullptr;
  for (const JsonValue& d : docs->items)
    if (const JsonValue* s = d.find("source"); s && s->text == source) return &d;
  return nullptr;
}

class Build : public teikit::test::TempDirTest {
 protected:
  std::string src() const { return path("src"); }
  std::string out() const { return path("out"); }
  CliRun build(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"build", src(), "-o", out(), "-j", "2", "--report", "json",
                                     path("report.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    return teikit_cli(args);
  }
  JsonValue report() { return json_of(read_file(path("report.json"))); }
  // Files below `d` (relative, sorted), hidden ones included.
  std::set<std::string> tree(const std::string& d) const {
    std::set<std::string> names;
    boost::system::error_code ec;
    for (fs::recursive_directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec))
      if (fs::is_regular_file(it->path()))
        names.insert(it->path().lexically_relative(d).generic_string());
    return names;
  }
  void three_documents() {
    write("src/a/x.txt", doc("Cable one"));
    write("src/b/x.txt", doc("Cable two", "May 2, 1962"));
    write("src/c/d/y.md", "# Letter three\n\nMay 3, 1962\n\nDear Sir, [illegible] words.\n");
  }
};

}  // namespace

TEST_F(Build, MirrorsTheSourceTreeSoThatEqualNamesInTwoFoldersDoNotCollide) {
  three_documents();
  CliRun r = build();
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::set<std::string> files = tree(out());
  for (const char* f : {"a/x.xml", "a/x.html", "b/x.xml", "b/x.html", "c/d/y.xml", "c/d/y.html",
                        "index.html", "corpus.xml"})
    EXPECT_TRUE(files.count(f)) << f;
  // Each page is its own document's.
  EXPECT_NE(read_file(path("out/a/x.xml")).find("Cable one"), std::string::npos);
  EXPECT_NE(read_file(path("out/b/x.xml")).find("Cable two"), std::string::npos);
  EXPECT_NE(read_file(path("out/a/x.html")).find("Cable one"), std::string::npos);
  // The index links each page by its path; the corpus holds all three, with unique ids.
  const std::string index = read_file(path("out/index.html"));
  EXPECT_NE(index.find("href=\"a/x.html\""), std::string::npos);
  EXPECT_NE(index.find("href=\"b/x.html\""), std::string::npos);
  EXPECT_NE(index.find("href=\"c/d/y.html\""), std::string::npos);
  std::string error;
  xml::DocPtr corpus = xml::parse_memory(read_file(path("out/corpus.xml")), "corpus.xml", error);
  ASSERT_TRUE(corpus) << error;
  EXPECT_EQ(teikit::test::xpath_count(corpus.get(), "/t:teiCorpus/t:TEI"), 3);
  EXPECT_EQ(teikit::test::xpath_count(corpus.get(), "/t:teiCorpus/t:TEI[@source='a/x.xml']"), 1);
  EXPECT_EQ(teikit::test::xpath_string(corpus.get(), "/t:teiCorpus/t:TEI[@source='b/x.xml']/@xml:id"),
            "b_x");
  // The corpus is valid against the project schema's notion of a corpus as render --index writes
  // it: the members keep their text.
  EXPECT_EQ(teikit::test::xpath_count(corpus.get(), "//t:TEI/t:text"), 3);
  // The summary says what happened.
  EXPECT_NE(r.err.find("3 documents (3 converted, 0 unchanged)"), std::string::npos) << r.err;
  const JsonValue rep = report();
  EXPECT_EQ(number(rep, "summary", "documents"), 3);
  EXPECT_EQ(number(rep, "summary", "converted"), 3);
}

TEST_F(Build, TheSameTeiAsConvertWouldWrite) {
  write("src/a/x.txt", doc("Cable one"));
  ASSERT_EQ(build().code, kExitOk);
  CliRun c = teikit_cli({"convert", path("src/a/x.txt")});
  ASSERT_EQ(c.code, kExitOk) << c.err;
  EXPECT_EQ(read_file(path("out/a/x.xml")), c.out);
}

TEST_F(Build, TwoSourcesWithOneOutputNameAreAnErrorForTheSecond) {
  write("src/a/x.md", "# One\n\nText.\n");
  write("src/a/x.txt", doc("Two"));
  write("src/index.txt", doc("Index"));
  CliRun r = build();
  EXPECT_EQ(r.code, kExitUnreadable) << r.err;
  EXPECT_NE(r.err.find("a/x.txt: error: would be written to a/x.xml, which a/x.md has"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("[output-collision]"), std::string::npos);
  EXPECT_NE(r.err.find("[reserved-name]"), std::string::npos);
  EXPECT_NE(read_file(path("out/a/x.xml")).find("One"), std::string::npos);
  const JsonValue rep = report();
  const JsonValue* d = document(rep, "a/x.txt");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->find("status")->text, "error");
  EXPECT_EQ(d->find("diagnostics")->items.at(0).find("code")->text, "output-collision");
  EXPECT_NE(document(rep, "a/x.md")->find("status")->text, "error");
}

TEST_F(Build, ABrokenFileIsReportedAndTheOthersAreBuilt) {
  three_documents();
  write("src/big.txt", doc("Big") + std::string(5000, 'x') + "\n");
  CliRun r = build({"--max-input-size", "2000"});
  EXPECT_EQ(r.code, kExitUnreadable) << r.err;
  EXPECT_NE(r.err.find("big.txt: larger than --max-input-size"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(path("out/a/x.html")));
  EXPECT_FALSE(fs::exists(path("out/big.xml")));
  const JsonValue rep = report();
  EXPECT_EQ(number(rep, "summary", "errors"), 1);
  EXPECT_EQ(document(rep, "big.txt")->find("diagnostics")->items.at(0).find("code")->text,
            "unreadable");
  // The index lists the documents that were built.
  EXPECT_NE(read_file(path("out/index.html")).find("c/d/y.html"), std::string::npos);
}

// A name like a transcription that is not a regular file is a failed document, never opened
// (a FIFO would block the run, /dev/zero never end), not silently left out.
TEST_F(Build, FilesThatAreNotRegularAreFailedDocumentsAndNeverOpened) {
  three_documents();
  ASSERT_EQ(::mkfifo(path("src/a/fifo.txt").c_str(), 0600), 0);
  fs::create_symlink("/dev/zero", path("src/zero.md"));
  fs::create_symlink(path("src/nowhere.txt"), path("src/dangling.txt"));
  fs::create_directories(path("src/folder"));
  fs::create_directory_symlink(path("src/folder"), path("src/linked.txt"));
  CliRun r = build();
  EXPECT_EQ(r.code, kExitUnreadable) << r.err;
  const JsonValue rep = report();
  const std::pair<const char*, const char*> refused[] = {
      {"a/fifo.txt", "(a FIFO)"}, {"zero.md", "(a device)"},
      {"dangling.txt", "(a dangling symbolic link)"}};
  for (const auto& [name, what] : refused) {
    const JsonValue* d = document(rep, name);
    ASSERT_NE(d, nullptr) << name;
    EXPECT_EQ(d->find("status")->text, "error") << name;
    const JsonValue& first = d->find("diagnostics")->items.at(0);
    EXPECT_EQ(first.find("code")->text, "not-a-regular-file") << name;
    EXPECT_NE(first.find("message")->text.find(what), std::string::npos)
        << first.find("message")->text;
    EXPECT_NE(r.err.find(std::string(name) + ": error: not a regular file"), std::string::npos)
        << r.err;
  }
  EXPECT_EQ(document(rep, "linked.txt"), nullptr);  // a link to a folder, left out as folders' links
  EXPECT_EQ(number(rep, "summary", "errors"), 3);
  EXPECT_EQ(number(rep, "summary", "documents"), 6);
  EXPECT_TRUE(fs::exists(path("out/c/d/y.html")));
  EXPECT_FALSE(fs::exists(path("out/a/fifo.xml")));
}

TEST_F(Build, InvalidDocumentsAgainstAGivenSchemaAreFailuresInTheJunitReport) {
  three_documents();
  // A schema no TEI document satisfies: the root must be <other>.
  write("strict.rng",
        "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"><start><element name=\"other\">"
        "<empty/></element></start></grammar>");
  CliRun r = teikit_cli({"build", src(), "-o", out(), "--schema", path("strict.rng"), "--report",
                         "junit", path("junit.xml")});
  EXPECT_EQ(r.code, kExitInvalid) << r.err;
  std::string error;
  xml::DocPtr junit = xml::parse_memory(read_file(path("junit.xml")), "junit.xml", error);
  ASSERT_TRUE(junit) << error;
  EXPECT_EQ(teikit::test::xpath_count(junit.get(), "//testcase"), 3);
  EXPECT_EQ(teikit::test::xpath_count(junit.get(), "//testcase/failure[@type='invalid']"), 3);
  EXPECT_EQ(teikit::test::xpath_string(junit.get(), "//testsuite/@failures"), "3");
  // The pages are still written: an invalid document is still readable.
  EXPECT_TRUE(fs::exists(path("out/a/x.html")));
}

// Validation is `validate`'s: a per-document time limit (--timeout), after which the document
// is reported (validation-timeout, status error, exit 4) and the others are still validated.
TEST_F(Build, ADocumentOverTheTimeLimitIsReportedAndTheRunGoesOn) {
  three_documents();
  // A rule whose test is cubic in the number of elements: instant on the small documents,
  // hours on one of a few thousand elements.
  write("slow.sch",
        "<schema xmlns='http://purl.oclc.org/dsdl/schematron' queryBinding='exslt'>"
        "<ns prefix='tei' uri='http://www.tei-c.org/ns/1.0'/><pattern><rule context='/tei:TEI'>"
        "<assert id='cubic' test='count(//*[count(//*[count(//*) &gt; 0]) &gt; 0]) &gt; 0'>"
        "elements</assert></rule></pattern></schema>");
  std::string many = doc("Cable four");
  for (int i = 0; i < 3000; ++i) many += "\nParagraph " + std::to_string(i) + ".\n";
  write("src/a/many.txt", many);
  const auto t0 = std::chrono::steady_clock::now();
  CliRun r = build({"--rules", path("slow.sch"), "--timeout", "3"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(seconds, 60) << "the time limit did not stop the document";
  EXPECT_EQ(r.code, kExitUnreadable) << r.err;
  EXPECT_NE(r.err.find("[validation-timeout]"), std::string::npos) << r.err;
  const JsonValue rep = report();
  EXPECT_EQ(document(rep, "a/many.txt")->find("status")->text, "error");
  bool timed_out = false;
  for (const JsonValue& d : document(rep, "a/many.txt")->find("diagnostics")->items)
    timed_out = timed_out || d.find("code")->text == "validation-timeout";
  EXPECT_TRUE(timed_out);
  // The others, before and after it in the same batch, were validated and built.
  for (const char* s : {"a/x.txt", "b/x.txt", "c/d/y.md"})
    EXPECT_NE(document(rep, s)->find("status")->text, "error") << s;
  EXPECT_TRUE(fs::exists(path("out/c/d/y.html")));
  // Without the limit's stop, --no-prune takes the same path: the whole grammar.
  CliRun whole = build({"--no-prune", "--force"});
  EXPECT_NE(whole.code, kExitSchema) << whole.err;
  EXPECT_EQ(document(report(), "a/x.txt")->find("status")->text,
            document(rep, "a/x.txt")->find("status")->text);
}

TEST_F(Build, TheReportGivesEachFileItsStatusDiagnosticsWithPositionsAndTimings) {
  write("src/nodate.txt", "A note without a date\n\nSome text [illegible].\n");
  write("src/a/x.txt", doc("Cable one"));
  CliRun r = build();
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const JsonValue rep = report();
  const JsonValue* d = document(rep, "nodate.txt");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->find("status")->text, "warnings");
  EXPECT_TRUE(d->find("converted")->boolean);
  const JsonValue& first = d->find("diagnostics")->items.at(0);
  EXPECT_EQ(first.find("severity")->text, "warning");
  EXPECT_GT(first.find("line")->number, 0);
  EXPECT_GT(first.find("column")->number, 0);
  EXPECT_FALSE(first.find("code")->text.empty());
  EXPECT_GE(number(*d, "seconds", "convert"), 0);
  EXPECT_GE(number(*d, "seconds", "validate"), 0);
  EXPECT_GE(number(*d, "seconds", "render"), 0);
  ASSERT_EQ(d->find("outputs")->items.size(), 2u);
  EXPECT_EQ(d->find("outputs")->items[0].text, "nodate.xml");
  EXPECT_EQ(number(rep, "summary", "warnings"), 1);
  EXPECT_EQ(number(rep, "summary", "ok"), 1);
  // With --fail-on-warnings the same run is exit 2.
  EXPECT_EQ(build({"--fail-on-warnings", "--force"}).code, kExitWarnings);
}

TEST_F(Build, ASecondRunOnAnUnchangedTreeConvertsNothing) {
  three_documents();
  ASSERT_EQ(build().code, kExitOk);
  const long long page = mtime(path("out/a/x.html")), index = mtime(path("out/index.html"));
  CliRun r = build();
  ASSERT_EQ(r.code, kExitOk) << r.err;
  JsonValue rep = report();
  EXPECT_EQ(number(rep, "summary", "converted"), 0);
  EXPECT_EQ(number(rep, "summary", "documents"), 3);
  EXPECT_EQ(mtime(path("out/a/x.html")), page);
  EXPECT_EQ(mtime(path("out/index.html")), index);  // nothing changed, so neither did the index
  EXPECT_NE(r.err.find("(0 converted, 3 unchanged)"), std::string::npos) << r.err;
  // A file touched but not changed is read and hashed, not converted.
  const std::string a = path("src/a/x.txt");
  fs::last_write_time(a, fs::last_write_time(a) + 10);
  ASSERT_EQ(build().code, kExitOk);
  EXPECT_EQ(number(report(), "summary", "converted"), 0);
  EXPECT_EQ(mtime(path("out/a/x.html")), page);
  // A changed file is converted again, alone, and the index follows.
  write("src/a/x.txt", doc("Cable one, revised"));
  ASSERT_EQ(build().code, kExitOk);
  rep = report();
  EXPECT_EQ(number(rep, "summary", "converted"), 1);
  EXPECT_TRUE(document(rep, "a/x.txt")->find("converted")->boolean);
  EXPECT_FALSE(document(rep, "b/x.txt")->find("converted")->boolean);
  EXPECT_NE(read_file(path("out/a/x.html")).find("revised"), std::string::npos);
  EXPECT_NE(read_file(path("out/index.html")).find("revised"), std::string::npos);
  // The diagnostics of unchanged documents are still reported.
  write("src/nodate.txt", "A note without a date\n\nSome text.\n");
  ASSERT_EQ(build().code, kExitOk);
  ASSERT_EQ(build().code, kExitOk);
  EXPECT_EQ(document(report(), "nodate.txt")->find("status")->text, "warnings");
  EXPECT_FALSE(document(report(), "nodate.txt")->find("diagnostics")->items.empty());
}

TEST_F(Build, ChangedOptionsRebuildEverythingAndForceDoesToo) {
  three_documents();
  ASSERT_EQ(build().code, kExitOk);
  ASSERT_EQ(build({"--publisher", "Another Press"}).code, kExitOk);
  EXPECT_EQ(number(report(), "summary", "converted"), 3);
  EXPECT_NE(read_file(path("out/b/x.xml")).find("Another Press"), std::string::npos);
  ASSERT_EQ(build({"--publisher", "Another Press"}).code, kExitOk);
  EXPECT_EQ(number(report(), "summary", "converted"), 0);
  ASSERT_EQ(build({"--publisher", "Another Press", "--force"}).code, kExitOk);
  EXPECT_EQ(number(report(), "summary", "converted"), 3);
}

TEST_F(Build, OutputsWhoseSourceDisappearedAreRemoved) {
  three_documents();
  ASSERT_EQ(build().code, kExitOk);
  fs::remove(path("src/c/d/y.md"));
  CliRun r = build();
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_FALSE(fs::exists(path("out/c/d/y.xml")));
  EXPECT_FALSE(fs::exists(path("out/c/d/y.html")));
  EXPECT_FALSE(fs::exists(path("out/c")));  // the folders it leaves empty go too
  EXPECT_TRUE(fs::exists(path("out/a/x.xml")));
  const JsonValue rep = report();
  EXPECT_EQ(number(rep, "summary", "removed"), 1);
  EXPECT_EQ(rep.find("removed")->items.at(0).text, "c/d/y.md");
  EXPECT_EQ(read_file(path("out/index.html")).find("c/d/y.html"), std::string::npos);
  std::string error;
  xml::DocPtr corpus = xml::parse_memory(read_file(path("out/corpus.xml")), "corpus.xml", error);
  ASSERT_TRUE(corpus);
  EXPECT_EQ(teikit::test::xpath_count(corpus.get(), "/t:teiCorpus/t:TEI"), 2);
}

// A folder that cannot be listed (here: deeper than PATH_MAX, which stops root too) fails the
// run before anything is built or removed: a partial list of the sources would make every
// output of a source not seen look like the output of a deleted one.
TEST_F(Build, AFolderThatCannotBeListedFailsTheRunAndRemovesNothing) {
  three_documents();
  ASSERT_EQ(build().code, kExitOk);
  const std::set<std::string> before = tree(out());
  // mkdir(2) refuses a path past PATH_MAX: the folders are made one by one through chdir.
  const std::string name(200, 'd');
  const std::string cwd = fs::current_path().string();
  fs::create_directories(src() + "/z");
  ASSERT_EQ(::chdir((src() + "/z").c_str()), 0);
  for (int i = 0; i < 24; ++i) {
    ASSERT_EQ(::mkdir(name.c_str(), 0755), 0);
    ASSERT_EQ(::chdir(name.c_str()), 0);
  }
  std::ofstream("deep.txt") << doc("Deep");
  ASSERT_EQ(::chdir(cwd.c_str()), 0);
  CliRun r = build();
  EXPECT_EQ(r.code, kExitUnreadable) << r.err;
  EXPECT_NE(r.err.find("cannot list every folder"), std::string::npos) << r.err;
  EXPECT_EQ(tree(out()), before);
  // Taken down the same way (a recursive removal by path would fail past PATH_MAX).
  ASSERT_EQ(::chdir((src() + "/z").c_str()), 0);
  for (int i = 0; i < 24; ++i) ASSERT_EQ(::chdir(name.c_str()), 0);
  ::unlink("deep.txt");
  for (int i = 0; i < 24; ++i) {
    ASSERT_EQ(::chdir(".."), 0);
    ::rmdir(name.c_str());
  }
  ASSERT_EQ(::chdir(cwd.c_str()), 0);
}

TEST_F(Build, AFileTeikitDidNotWriteIsNeitherReplacedNorRemoved) {
  three_documents();
  write("out/a/x.xml", "<mine/>\n");
  CliRun r = build();
  EXPECT_EQ(r.code, kExitUnreadable);
  EXPECT_NE(r.err.find("out/a/x.xml: exists and was not written by teikit"), std::string::npos)
      << r.err;
  EXPECT_EQ(read_file(path("out/a/x.xml")), "<mine/>\n");
  EXPECT_TRUE(fs::exists(path("out/b/x.xml")));
  // An output teikit wrote and someone edited afterwards is theirs now: not removed with its
  // source.
  write("out/b/x.html", "edited\n");
  fs::remove(path("src/b/x.txt"));
  build();
  EXPECT_EQ(read_file(path("out/b/x.html")), "edited\n");
  EXPECT_FALSE(fs::exists(path("out/b/x.xml")));
}

TEST_F(Build, RefusesASourceThatIsNotAFolderAndAnOutputThatIsTheSource) {
  write("src/a.txt", doc("One"));
  EXPECT_EQ(teikit_cli({"build", path("src/a.txt"), "-o", out()}).code, kExitUsage);
  EXPECT_EQ(teikit_cli({"build", src(), "-o", src()}).code, kExitUsage);
  EXPECT_FALSE(fs::exists(path("src/a.xml")));
  EXPECT_EQ(teikit_cli({"build", src(), "-o", out(), "--report", "xml", "f"}).code, kExitUsage);
}

// The report never replaces what the run reads nor a file of the edition.
TEST_F(Build, TheReportReplacesNoInputAndNoFileOfTheEdition) {
  write("src/a.txt", doc("One"));
  write("cfg", "publisher = Me\n");
  fs::copy_file(teikit::test::source_dir() + "/schemas/teikit.rng", path("my.rng"));
  ASSERT_EQ(teikit_cli({"build", src(), "-o", out()}).code, kExitOk);
  const std::string page = read_file(path("out/a.xml"));
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"--config", path("cfg"), "--report", "json", path("cfg")},
        {"--schema", path("my.rng"), "--report", "junit", path("my.rng")},
        {"--report", "junit", path("out/a.xml")},
        {"--report", "json", path("out/.teikit-build.jsonl")},
        {"--report", "json", path("out/new/r.json")}}) {
    std::vector<std::string> args = {"build", src(), "-o", out(), "--force"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliRun r = teikit_cli(args);
    EXPECT_EQ(r.code, kExitUsage) << extra.back() << ": " << r.err;
  }
  EXPECT_EQ(read_file(path("cfg")), "publisher = Me\n");
  EXPECT_EQ(read_file(path("my.rng")),
            read_file(teikit::test::source_dir() + "/schemas/teikit.rng"));
  EXPECT_EQ(read_file(path("out/a.xml")), page);
  EXPECT_FALSE(fs::exists(path("out/new")));
}

TEST_F(Build, AnOutputFolderInsideTheSourceTreeIsNotReadAsSources) {
  write("src/a.txt", doc("One"));
  ASSERT_EQ(teikit_cli({"build", src(), "-o", path("src/site")}).code, kExitOk);
  write("src/site/stray.txt", doc("Stray"));  // not a source: it is in the output folder
  CliRun r = teikit_cli({"build", src(), "-o", path("src/site")});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.err.find("1 documents"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("src/site/site")));
}

TEST_F(Build, QuietPrintsNothingForACleanRun) {
  three_documents();
  CliRun r = teikit_cli({"build", src(), "-o", out(), "--quiet"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.err, "");
  // Without --quiet, a stream that is not a terminal gets plain progress lines.
  r = teikit_cli({"build", src(), "-o", out(), "--force"});
  EXPECT_NE(r.err.find("teikit build: 3/3 documents"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos);
}

TEST_F(Build, AnInterruptedRunLeavesThePreviousEditionUsableAndTheNextRunFinishes) {
  // Enough documents that the run is still going when the first progress line appears.
  constexpr int kDocuments = 1500;
  for (int i = 0; i < kDocuments; ++i)
    write("src/f" + std::to_string(i / 100) + "/d" + std::to_string(i) + ".txt",
          doc("Cable " + std::to_string(i)));
  ASSERT_EQ(teikit_cli({"build", src(), "-o", out(), "-q"}).code, kExitOk);
  const std::string index_before = read_file(path("out/index.html"));
  for (int i = 0; i < kDocuments; ++i)
    write("src/f" + std::to_string(i / 100) + "/d" + std::to_string(i) + ".txt",
          doc("Revised cable " + std::to_string(i)));

  int err_pipe[2];
  ASSERT_EQ(pipe(err_pipe), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(err_pipe[1], 2);
    close(err_pipe[0]);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    std::string bin = TEIKIT_BINARY, cmd = "build", s = src(), o = "-o", d = out(), j = "-j",
                n = "2";
    char* argv[] = {bin.data(), cmd.data(), s.data(), o.data(), d.data(), j.data(), n.data(),
                    nullptr};
    execv(bin.c_str(), argv);
    _exit(127);
  }
  close(err_pipe[1]);
  // The first progress line (a tenth of the way) means documents are being written: stop it.
  std::string err;
  char buf[4096];
  for (ssize_t got; err.find("documents,") == std::string::npos &&
                    (got = read(err_pipe[0], buf, sizeof buf)) > 0;)
    err.append(buf, static_cast<std::size_t>(got));
  kill(pid, SIGINT);
  for (ssize_t got; (got = read(err_pipe[0], buf, sizeof buf)) > 0;)
    err.append(buf, static_cast<std::size_t>(got));
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << err;
  const bool interrupted = WEXITSTATUS(status) == 130;
  if (!interrupted) {
    // The run was done before the signal came: nothing to check but that it finished.
    ASSERT_EQ(WEXITSTATUS(status), kExitOk) << err;
    GTEST_SKIP() << "the build finished before it could be interrupted";
  }
  EXPECT_NE(err.find("build stopped by a signal"), std::string::npos) << err;
  // The previous index is still there, untouched; every page is whole (old or new); no
  // temporaries are left.
  EXPECT_EQ(read_file(path("out/index.html")), index_before);
  std::size_t revised = 0;
  for (const std::string& f : tree(out())) {
    EXPECT_EQ(f.find(".tmp"), std::string::npos) << f;
    if (f.size() > 4 && f.compare(f.size() - 4, 4, ".xml") == 0 && f != "corpus.xml") {
      std::string error;
      const std::string text = read_file(path("out/" + f));
      EXPECT_TRUE(xml::parse_memory(text, f, error)) << f << ": " << error;
      revised += text.find("Revised cable") != std::string::npos;
    }
  }
  EXPECT_LT(revised, static_cast<std::size_t>(kDocuments));
  // The next run converts only what the interrupted one did not finish.
  CliRun r = build({"-q"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(number(report(), "summary", "converted"), kDocuments - static_cast<double>(revised));
  EXPECT_NE(read_file(path("out/index.html")).find("Revised cable 0"), std::string::npos);
}

// ---------------------------------------------------------------------------- library pieces

TEST(DocumentValidator, ValidatesDocumentsOneAtATimeWithTheVerdictsOfAJob) {
  ValidationOptions options;
  options.schema_path = project_schema_path();
  options.rules_path = project_rules_path();
  const DocumentValidator validator(options);
  ASSERT_TRUE(validator.ok()) << validator.error();
  ValidationInput good;
  good.name = "good.xml";
  good.bytes = convert("good.txt", doc("A cable"), ConvertOptions{}).xml;
  EXPECT_EQ(validator.validate(good).verdict, Verdict::Valid);
  ValidationInput bad;
  bad.name = "bad.xml";
  bad.bytes = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text/></TEI>";
  const DocumentResult r = validator.validate(bad);
  EXPECT_EQ(r.verdict, Verdict::Invalid);
  ASSERT_FALSE(r.diagnostics.empty());
  // The same verdict an unpruned job gives.
  options.prune = false;
  const ValidationReport job = validate_documents({good, bad}, options);
  EXPECT_EQ(job.documents[0].verdict, Verdict::Valid);
  EXPECT_EQ(job.documents[1].verdict, Verdict::Invalid);
  EXPECT_EQ(job.documents[1].diagnostics.size(), r.diagnostics.size());
  ValidationInput broken;
  broken.name = "broken.xml";
  broken.bytes = "<TEI";
  EXPECT_EQ(validator.validate(broken).verdict, Verdict::Unreadable);
}

TEST(DocumentValidator, ASchemaThatDoesNotCompileIsReported) {
  ValidationOptions options;
  options.schema_path = "/nonexistent/schema.rng";
  const DocumentValidator validator(options);
  EXPECT_FALSE(validator.ok());
  EXPECT_NE(validator.error().find("/nonexistent/schema.rng"), std::string::npos);
  ValidationInput in;
  in.name = "x";
  in.bytes = "<x/>";
  EXPECT_EQ(validator.validate(in).verdict, Verdict::NotValidated);
}

class AtomicBatchTest : public teikit::test::TempDirTest {};

TEST_F(AtomicBatchTest, FilesAppearOnlyOnCommitAndDiscardedOnesNever) {
  write("old.txt", "old\n");
  {
    AtomicBatch batch;
    std::string error;
    const ByteProducer text = [](const ByteSink& sink) { return sink("new\n", 4); };
    ASSERT_TRUE(batch.add(path("old.txt"), text, error)) << error;
    ASSERT_TRUE(batch.add(path("fresh.txt"), text, error)) << error;
    EXPECT_EQ(read_file(path("old.txt")), "old\n");
    EXPECT_FALSE(fs::exists(path("fresh.txt")));
    std::vector<std::string> errors;
    EXPECT_TRUE(batch.commit(errors));
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(read_file(path("old.txt")), "new\n");
    EXPECT_EQ(read_file(path("fresh.txt")), "new\n");
    ASSERT_TRUE(batch.add(path("never.txt"), text, error));
    // A producer that fails leaves nothing.
    const ByteProducer failing = [](const ByteSink&) { return false; };
    EXPECT_FALSE(batch.add(path("failed.txt"), failing, error));
    EXPECT_EQ(error, "");
    // A directory as target is refused, as write_atomically refuses it.
    fs::create_directories(path("dir"));
    EXPECT_FALSE(batch.add(path("dir"), text, error));
    EXPECT_NE(error.find("is a directory"), std::string::npos) << error;
  }  // destroyed without commit: never.txt's temporary is removed
  std::set<std::string> names;
  for (fs::directory_iterator it(dir_), end; it != end; ++it)
    names.insert(it->path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"old.txt", "fresh.txt", "dir"}));
}

class TreeIndex : public teikit::test::TempDirTest {};

TEST_F(TreeIndex, ListsDocumentsInFoldersAndWritesTheCorpusMemberByMember) {
  for (const auto& [file, title, date] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"1962/a.xml", "Second", "May 2, 1962"},
           {"1961/a.xml", "First", "April 30, 1961"},
           {"a b/c.xml", "Third", "June 1, 1963"}}) {
    fs::create_directories(fs::path(path(file)).parent_path());
    write(file, convert(file, doc(title, date), ConvertOptions{}).xml);
  }
  write("notes.xml", "<notes/>");
  const EditionIndexResult r = write_tree_index(
      dir_.string(),
      {{"1962/a.xml", true}, {"1961/a.xml", false}, {"a b/c.xml", true}, {"notes.xml", false}},
      EditionIndexOptions{});
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries[0].file, "1961/a.xml");  // by date
  EXPECT_EQ(r.entries[2].file, "a b/c.xml");
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_NE(r.skipped[0].find("notes.xml: not a TEI document"), std::string::npos);
  const std::string index = read_file(path("index.html"));
  EXPECT_NE(index.find("href=\"1962/a.html\""), std::string::npos);
  EXPECT_EQ(index.find("href=\"1961/a.html\""), std::string::npos);  // no page
  EXPECT_NE(index.find("href=\"a%20b/c.html\""), std::string::npos);
  std::string error;
  xml::DocPtr corpus = xml::parse_memory(read_file(path("corpus.xml")), "corpus.xml", error);
  ASSERT_TRUE(corpus) << error;
  EXPECT_EQ(teikit::test::xpath_count(corpus.get(), "/t:teiCorpus/t:TEI"), 3);
  EXPECT_EQ(teikit::test::xpath_string(corpus.get(), "/t:teiCorpus/t:TEI[1]/@source"), "1961/a.xml");
  EXPECT_EQ(teikit::test::xpath_string(corpus.get(), "/t:teiCorpus/t:TEI[3]/@source"), "a%20b/c.xml");
  // Ids are unique although both files are a.xml, and the members keep their text.
  EXPECT_NE(teikit::test::xpath_string(corpus.get(), "/t:teiCorpus/t:TEI[1]/@xml:id"),
            teikit::test::xpath_string(corpus.get(), "/t:teiCorpus/t:TEI[2]/@xml:id"));
  EXPECT_EQ(teikit::test::xpath_count(corpus.get(), "/t:teiCorpus/t:TEI/t:text"), 3);
  EXPECT_EQ(teikit::test::xpath_string(corpus.get(), "/t:teiCorpus/t:teiHeader//t:date/@from"),
            "1961-04-30");
  // The same check render --index makes: a second run may replace both files.
  EXPECT_EQ(edition_dir_problem(dir_.string()), "");
  EXPECT_TRUE(write_tree_index(dir_.string(), {{"1962/a.xml", true}}, EditionIndexOptions{}).ok);
}

// The entry's title, date and the corpus's publisher are the header's values as XPath gives them
// (string() of title[1], date[1]/@when, publisher[1]): text of nested elements without comments,
// the first match in document order, a first date without @when giving no date even when a
// later one has it, and a later titleStmt's title when the first has none.
TEST_F(TreeIndex, EntriesHaveTheHeadersValuesAsXPathReadsThem) {
  const std::string head =
      "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc>";
  const std::string tail =
      "<sourceDesc><p/></sourceDesc></fileDesc>%PROFILE%</teiHeader><text><body><p>x</p></body></text></TEI>\n";
  struct Case {
    std::string file, filedesc, profile;
  };
  const std::vector<Case> cases = {
      {"a.xml",
       "<titleStmt><title>Cable <hi>to</hi><!-- not this --> Paris</title><title>Second</title></titleStmt>"
       "<publicationStmt><publisher> The  Archive </publisher><publisher>Other</publisher></publicationStmt>",
       "<profileDesc><creation><date>undated</date><date when=\"1962-05-02\">May 2</date></creation>"
       "<creation><date when=\"1963-01-01\"/></creation></profileDesc>"},
      {"b.xml",
       "<titleStmt><respStmt><resp>r</resp><name>n</name></respStmt></titleStmt>"
       "<titleStmt><title type=\"main\">From the second</title></titleStmt>"
       "<publicationStmt><p>none</p></publicationStmt>",
       "<profileDesc><creation><date when=\"1961-04-30\">April 30</date></creation></profileDesc>"},
      {"c.xml", "<titleStmt><title/></titleStmt><publicationStmt><p/></publicationStmt>", ""},
  };
  std::vector<TreeDocument> docs;
  for (const Case& c : cases) {
    std::string text = head + c.filedesc + tail;
    text.replace(text.find("%PROFILE%"), 9, c.profile);
    write(c.file, text);
    docs.push_back({c.file, false});
  }
  const EditionIndexResult r = write_tree_index(dir_.string(), docs, EditionIndexOptions{});
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.entries.size(), cases.size());
  for (const EditionEntry& e : r.entries) {
    std::string error;
    xml::DocPtr d = xml::parse_memory(read_file(path(e.file)), e.file, error);
    ASSERT_TRUE(d) << error;
    const std::string title = teikit::test::xpath_string(
        d.get(), "normalize-space(/t:TEI/t:teiHeader/t:fileDesc/t:titleStmt/t:title[1])");
    EXPECT_EQ(e.title, title) << e.file;
    EXPECT_EQ(e.when, teikit::test::xpath_string(
                          d.get(), "string(/t:TEI/t:teiHeader/t:profileDesc/t:creation/t:date[1]/@when)"))
        << e.file;
  }
  EXPECT_EQ(r.entries[0].file, "b.xml");  // 1961
  EXPECT_EQ(r.entries[0].title, "From the second");
  EXPECT_EQ(r.entries[1].file, "a.xml");
  EXPECT_EQ(r.entries[1].title, "Cable to Paris");
  EXPECT_EQ(r.entries[1].when, "1963-01-01");  // the first creation's first date has no @when
  EXPECT_EQ(r.entries[2].when, "");
  // Two publishers named (and one document naming none): the corpus says neither.
  const std::string corpus = read_file(path("corpus.xml"));
  EXPECT_EQ(corpus.find("<publisher>The Archive</publisher>"), std::string::npos) << corpus.substr(0, 2000);
}

TEST_F(Build, SearchMarksThePagesForPagefindAndRunsIt) {
  three_documents();
  // Without pagefind the run is refused before anything is written.
  setenv("TEIKIT_PAGEFIND", path("no-pagefind").c_str(), 1);
  CliRun r = build({"--search"});
  unsetenv("TEIKIT_PAGEFIND");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("--search needs pagefind"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("out/a/x.html")));
  // A stand-in that records its arguments and writes what pagefind writes first.
  const std::string fake = write("fake-pagefind",
                                 "#!/bin/sh\necho \"$@\" > \"$2/pagefind-args\"\n"
                                 "mkdir -p \"$2/pagefind\" && echo '{}' > \"$2/pagefind/pagefind-entry.json\"\n");
  fs::permissions(fake, fs::owner_all);
  setenv("TEIKIT_PAGEFIND", fake.c_str(), 1);
  r = build({"--search"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(read_file(path("out/pagefind-args")), "--site " + out() + "\n");
  const std::string page = read_file(path("out/b/x.html"));
  EXPECT_NE(page.find("data-pagefind-body"), std::string::npos);
  EXPECT_NE(page.find("<span hidden=\"\" data-pagefind-filter=\"year\">1962</span>"),
            std::string::npos);
  EXPECT_NE(page.find("data-pagefind-filter=\"archive\">Test Archive</span>"), std::string::npos);
  // The kind is the document's (from the title's cue words, in the TEI's textClass), not
  // whether it is a translation.
  EXPECT_NE(page.find("data-pagefind-filter=\"kind\">cable</span>"), std::string::npos) << page;
  EXPECT_NE(read_file(path("out/c/d/y.html")).find("data-pagefind-filter=\"kind\">letter</span>"),
            std::string::npos);
  EXPECT_NE(read_file(path("out/b/x.xml")).find("<term type=\"document-kind\">cable</term>"),
            std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);  // pages stay script-free
  EXPECT_NE(read_file(path("out/index.html")).find("pagefind/pagefind-ui.js"), std::string::npos);
  // Unchanged tree, index there: pagefind is not run again.
  fs::remove(path("out/pagefind-args"));
  ASSERT_EQ(build({"--search"}).code, kExitOk);
  EXPECT_FALSE(fs::exists(path("out/pagefind-args")));
  // A failing pagefind is an error with its output.
  write("fake-pagefind", "#!/bin/sh\necho broken index >&2\nexit 3\n");
  r = build({"--search", "--force"});
  unsetenv("TEIKIT_PAGEFIND");
  EXPECT_EQ(r.code, kExitUnreadable);
  EXPECT_NE(r.err.find("failed (exit 3): broken index"), std::string::npos) << r.err;
  // Without --search nothing of it is in the pages.
  ASSERT_EQ(build().code, kExitOk);
  EXPECT_EQ(read_file(path("out/b/x.html")).find("pagefind"), std::string::npos);
}

TEST_F(Build, NamesWithAnyBytesAreBuiltOnceAndRecognisedNextTime) {
  write("src/sp ace/a b%41.txt", doc("Spaces"));
  write("src/\xff\xfe.txt", doc("Bytes"));
  ASSERT_EQ(build().code, kExitOk);
  EXPECT_TRUE(fs::exists(path("out/sp ace/a b%41.html")));
  EXPECT_TRUE(fs::exists(path("out/\xff\xfe.html")));
  EXPECT_NE(read_file(path("out/index.html")).find("href=\"sp%20ace/a%20b%2541.html\""),
            std::string::npos);
  ASSERT_EQ(build().code, kExitOk);
  EXPECT_EQ(number(report(), "summary", "converted"), 0);
  fs::remove(path("src/\xff\xfe.txt"));
  ASSERT_EQ(build().code, kExitOk);
  EXPECT_FALSE(fs::exists(path("out/\xff\xfe.html")));
  EXPECT_EQ(number(report(), "summary", "removed"), 1);
}

TEST_F(Build, ThePagesAreWhatRenderWritesFromTheTei) {
  // The page is rendered from the tree validation read back, not from a second parse: the
  // same bytes as `teikit render` of the TEI build wrote, with and without validation.
  three_documents();
  write("src/e/notes.md", "# Notes\n\nMay 4, 1962\n\nA list:\n\n- one\n- two\n\n> quoted [...]\n");
  for (const bool validate : {true, false}) {
    ASSERT_LE(build(validate ? std::vector<std::string>{"--force"}
                             : std::vector<std::string>{"--no-validate"})
                  .code,
              kExitWarnings);
    for (const char* stem : {"a/x", "b/x", "c/d/y", "e/notes"}) {
      const CliRun r = teikit_cli({"render", "--to", "html", out() + "/" + stem + ".xml"});
      ASSERT_EQ(r.code, kExitOk) << r.err;
      EXPECT_EQ(read_file(out() + "/" + stem + ".html"), r.out) << stem;
    }
  }
}

TEST_F(Build, TheReportSaysEachStylesheetAndSchemaWasCompiledOncePerThread) {
  for (int i = 0; i < 12; ++i)
    write("src/f" + std::to_string(i % 3) + "/d" + std::to_string(i) + ".txt",
          doc("Cable " + std::to_string(i)));
  ASSERT_EQ(build().code, kExitOk);
  JsonValue rep = report();
  EXPECT_EQ(number(rep, "statistics", "threads"), 2);
  EXPECT_EQ(number(rep, "statistics", "page_stylesheets_compiled"), 2);
  EXPECT_EQ(number(rep, "statistics", "schemas_compiled"), 2);
  EXPECT_EQ(number(rep, "statistics", "index_stylesheets_compiled"), 1);  // 12 documents: one batch
  EXPECT_EQ(number(rep, "statistics", "index_documents_read"), 12);  // each once
  // Nothing to convert: nothing compiled for the pages; the index is not rewritten either.
  ASSERT_EQ(build().code, kExitOk);
  rep = report();
  EXPECT_EQ(number(rep, "statistics", "page_stylesheets_compiled"), 1);  // checked before the run
  EXPECT_EQ(number(rep, "statistics", "schemas_compiled"), 0);
  EXPECT_EQ(number(rep, "statistics", "index_documents_read"), 0);
  // --no-validate compiles no schema.
  ASSERT_EQ(build({"--no-validate"}).code, kExitOk);
  EXPECT_EQ(number(report(), "statistics", "schemas_compiled"), 0);
}

// A validator is a child forked from one worker while the other threads go on: a lock one of
// them held at the fork (libxml2's, or the allocator's in a sanitized build) would hang the
// child, and its documents would be reported as timed out. With more threads than documents,
// most workers end (freeing their thread-local state) while the first forks; with many
// documents, the workers convert, write and free while the others fork. The time limit is long,
// so that only a hang, not a slow machine, reaches it.
TEST_F(Build, ValidatorsForkedWhileOtherThreadsWorkNeverHang) {
  const auto run = [this](const char* jobs) {
    return teikit_cli({"build", src(), "-o", out(), "-j", jobs, "--timeout", "60", "--force",
                       "--report", "json", path("report.json")});
  };
  write("src/a.txt", doc("Cable one"));
  write("src/b.txt", doc("Cable two"));
  for (int round = 0; round < 20; ++round) {
    const CliRun r = run("8");
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_EQ(number(report(), "summary", "ok"), 2) << r.err;
  }
  for (int i = 0; i < 96; ++i)
    write("src/f" + std::to_string(i % 4) + "/d" + std::to_string(i) + ".txt",
          doc("Cable " + std::to_string(i)));
  for (int round = 0; round < 3; ++round) {
    const CliRun r = run("6");
    ASSERT_EQ(r.code, kExitOk) << r.err;
    const JsonValue rep = report();
    EXPECT_EQ(number(rep, "summary", "ok"), 98) << r.err;
    EXPECT_EQ(number(rep, "statistics", "threads"), 6);
  }
}

TEST_F(TreeIndex, ThreadsWriteTheSameIndexAndCorpusAsOneAndEachDocumentIsReadOnce) {
  // More documents than one batch, folders whose names make equal ids ("a/x" and "a_x" are both
  // a_x), and a file that is not TEI whose id, had it been one, would have come first.
  std::vector<TreeDocument> docs;
  write("a/x.xml", "<notes/>");
  docs.push_back({"a/x.xml", true});
  for (int i = 0; i < 150; ++i) {
    const std::string file =
        (i % 2 ? "b/" : "c/") + std::string(i == 7 ? "a_x" : "d" + std::to_string(i)) + ".xml";
    fs::create_directories(fs::path(path(file)).parent_path());
    const std::string date = i % 5 ? "May " + std::to_string(1 + i % 28) + ", 1962" : "";
    write(file, convert(file, doc("Cable " + std::to_string(i % 40), date), ConvertOptions{}).xml);
    docs.push_back({file, i % 3 != 0});
  }
  write("a_x.xml", convert("a_x.xml", doc("Same id"), ConvertOptions{}).xml);
  docs.push_back({"a_x.xml", true});
  EditionIndexOptions one;
  const EditionIndexResult r1 = write_tree_index(dir_.string(), docs, one);
  ASSERT_TRUE(r1.ok) << r1.error;
  EXPECT_EQ(r1.stylesheets_compiled, 1u);
  // Each read once, and a_x.xml again: it had id a_x-2 until a/x.xml turned out not to be TEI.
  EXPECT_EQ(r1.documents_read, docs.size() + 1);
  const std::string index1 = read_file(path("index.html")), corpus1 = read_file(path("corpus.xml"));
  EditionIndexOptions three;
  three.jobs = 3;
  const EditionIndexResult r3 = write_tree_index(dir_.string(), docs, three);
  ASSERT_TRUE(r3.ok) << r3.error;
  EXPECT_EQ(r3.stylesheets_compiled, 3u);
  EXPECT_EQ(read_file(path("index.html")), index1);
  EXPECT_EQ(read_file(path("corpus.xml")), corpus1);
  ASSERT_EQ(r3.entries.size(), 151u);
  ASSERT_EQ(r3.skipped.size(), 1u);
  // The page: every entry once, in the corpus's order, no marks of the pieces left.
  EXPECT_NE(index1.find("151 documents"), std::string::npos);
  EXPECT_EQ(index1.find("teikit-entr"), std::string::npos);
  std::size_t entries = 0;
  for (std::size_t at = index1.find("<li class=\"entry\""); at != std::string::npos;
       at = index1.find("<li class=\"entry\"", at + 1))
    ++entries;
  EXPECT_EQ(entries, 151u);
  EXPECT_LT(index1.find("id=\"" + r3.entries[0].id + "\""),
            index1.find("id=\"" + r3.entries[150].id + "\""));
  // The non-TEI a/x.xml took no id: the first TEI document named a_x has the plain one.
  std::string error;
  xml::DocPtr corpus = xml::parse_memory(corpus1, "corpus.xml", error);
  ASSERT_TRUE(corpus) << error;
  EXPECT_EQ(teikit::test::xpath_string(corpus.get(), "//t:TEI[@source='b/a_x.xml']/@xml:id"), "b_a_x");
  EXPECT_EQ(teikit::test::xpath_string(corpus.get(), "//t:TEI[@source='a_x.xml']/@xml:id"), "a_x");
  EXPECT_EQ(teikit::test::xpath_count(corpus.get(), "/t:teiCorpus/t:TEI"), 151);
  // Nothing is left behind in the directory but the two files (the spool has no name).
  for (fs::directory_iterator it(dir_), end; it != end; ++it)
    EXPECT_EQ(it->path().filename().string().find(".teikit-index"), std::string::npos);
}
