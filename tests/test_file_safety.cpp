// No user file is destroyed or silently dropped (issue 8): outputs are planned before anything
// is written (an input is never replaced, two inputs never share an output, a file teikit did
// not write is never replaced under a derived name, only regular files or new paths are
// targets), every byte to standard output is checked, every input is read with a bound, a stop
// leaves no temporary, and file names of any bytes give well-formed, valid XML. In-process runs
// (teikit::run) where they suffice; the real executable in a child process for descriptors,
// signals and memory limits.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include <chrono>
#include <cstring>
#include <fstream>
#include <set>
#include <thread>

#include <libxml/xpath.h>

#include "cli.hpp"
#include "teikit/base/file_io.hpp"
#include "teikit/base/file_names.hpp"
#include "test_support.hpp"

namespace fs = boost::filesystem;
using namespace teikit;
using teikit::test::CliRun;
using teikit::test::read_file;
using teikit::test::teikit_cli;
using teikit::test::xpath_count;
using teikit::test::xpath_string;

#if defined(__SANITIZE_ADDRESS__)
#define TEIKIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEIKIT_ASAN 1
#endif
#endif

namespace {

const char* const kDoc =
    "April 30, 1962\n\nA cable\n\nCitation:\n\n\"A cable\", April 30, 1962, Test Archive, ABC 1-2, "
    "3. Translated by Jane Roe. https://example.org/1\n\nContents:\n\nTranslation - English\n\n"
    "Zhang [Hanfu] came [...].\n";

// What the real executable did in a child process.
struct Child {
  int status = 0;   // waitpid status
  std::string err;  // its standard error
  bool exited(int code) const { return WIFEXITED(status) && WEXITSTATUS(status) == code; }
};

class FileSafety : public teikit::test::TempDirTest {
 protected:
  // Runs `teikit args…`. stdin_path/stdout_path: a file to redirect from/to; "closed" closes
  // the descriptor; "" leaves /dev/null (stdin) or a file in the directory (stdout).
  Child run_binary(const std::vector<std::string>& args, const std::string& stdin_path = "",
                   const std::string& stdout_path = "", rlim_t address_space = RLIM_INFINITY,
                   bool ignore_sigpipe = false) {
    const std::string err_path = path("child.err");
    const pid_t pid = fork();
    if (pid == 0) {
      if (address_space != RLIM_INFINITY) {
        rlimit r{address_space, address_space};
        setrlimit(RLIMIT_AS, &r);
      }
      if (ignore_sigpipe) signal(SIGPIPE, SIG_IGN);
      const int e = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(e, 2);
      if (stdin_path == "closed") {
        close(0);
      } else {
        const int i = open(stdin_path.empty() ? "/dev/null" : stdin_path.c_str(), O_RDONLY);
        dup2(i, 0);
      }
      if (stdout_path == "closed") {
        close(1);
      } else {
        // ">>FILE": appended to, as the shell's >> does.
        const bool append = stdout_path.rfind(">>", 0) == 0;
        const std::string o = stdout_path.empty() ? path("child.out")
                              : append            ? stdout_path.substr(2)
                                                  : stdout_path;
        const int fd = open(o.c_str(), O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);
        dup2(fd, 1);
      }
      std::vector<std::string> copy = args;
      static std::string bin = TEIKIT_BINARY;
      std::vector<char*> argv{bin.data()};
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(bin.c_str(), argv.data());
      _exit(127);
    }
    Child c;
    waitpid(pid, &c.status, 0);
    c.err = read_file(err_path);
    return c;
  }
  // Names of the files in `d` (or the test directory), hidden ones included.
  std::set<std::string> listing(const std::string& d = "") const {
    std::set<std::string> names;
    boost::system::error_code ec;
    for (fs::directory_iterator it(d.empty() ? dir_ : fs::path(d), ec), end; !ec && it != end;
         it.increment(ec))
      names.insert(it->path().filename().string());
    return names;
  }
  std::string tei_of(const std::string& name) {
    const std::string in = write(name + ".src.txt", kDoc);
    CliRun r = teikit_cli({"convert", in, "-o", path(name)});
    EXPECT_EQ(r.code, kExitOk) << r.err;
    fs::remove(in);
    return path(name);
  }
};

}  // namespace

// ---------------------------------------------------------------- output planning

TEST_F(FileSafety, TwoInputsWithOneOutputNameAreRefusedBeforeAnyWrite) {
  const std::string a = write("a/x.txt", kDoc), b = write("b/x.txt", kDoc + std::string("\nB.\n"));
  CliRun r = teikit_cli({"convert", a, b, "-o", path("out") + "/"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("would both be written to"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("out")));  // not even the directory
  // x.txt and x.md: the same stem.
  const std::string md = write("a/x.md", kDoc);
  r = teikit_cli({"convert", a, md, "-o", path("out2") + "/"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_FALSE(fs::exists(path("out2")));
  // The same for pages.
  const std::string ta = tei_of("p/doc.xml"), tb = tei_of("q/doc.xml");
  r = teikit_cli({"render", "--to", "html", ta, tb, "-o", path("site") + "/"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_FALSE(fs::exists(path("site")));
  // One input given twice is one output twice.
  EXPECT_EQ(teikit_cli({"convert", a, a, "-o", path("out3") + "/"}).code, kExitUsage);
}

TEST_F(FileSafety, AnOutputThatIsAnInputIsRefused) {
  const std::string doc = write("doc.txt", kDoc);
  CliRun r = teikit_cli({"convert", doc, "-o", doc});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("is also an input"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(doc), kDoc);
  // Spelled differently, or a hard link to it.
  EXPECT_EQ(teikit_cli({"convert", doc, "-o", path("./sub/../doc.txt")}).code, kExitUsage);
  ASSERT_EQ(link(doc.c_str(), path("hard.xml").c_str()), 0);
  r = teikit_cli({"convert", doc, "-o", path("hard.xml")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("same file"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(doc), kDoc);
  // The profile, the config file and the stylesheet are inputs too.
  const std::string conf = write("teikit.conf", "publisher = P\n");
  EXPECT_EQ(teikit_cli({"convert", doc, "--config", conf, "-o", conf}).code, kExitUsage);
  EXPECT_EQ(read_file(conf), "publisher = P\n");
  const std::string tei = tei_of("doc.xml");
  const std::string sheet = write("s.xsl", read_file(teikit::test::source_dir() + "/xslt/tei-to-text.xsl"));
  EXPECT_EQ(teikit_cli({"render", "--xslt", sheet, tei, "-o", sheet}).code, kExitUsage);
  // A render into the directory of its own input never replaces the TEI.
  EXPECT_EQ(teikit_cli({"render", "--to", "text", tei, "-o", tei}).code, kExitUsage);
}

TEST_F(FileSafety, DerivedNamesNeverReplaceAFileTeikitDidNotWrite) {
  // d/doc.txt is the transcription; render --to text d/doc.xml -o d/ would replace it.
  const std::string txt = write("d/doc.txt", kDoc);
  ASSERT_EQ(teikit_cli({"convert", txt, "-o", path("d/doc.xml")}).code, kExitOk);
  CliRun r = teikit_cli({"render", "--to", "text", path("d/doc.xml"), "-o", path("d") + "/"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("not written by teikit"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(txt), kDoc);
  // A file teikit wrote there itself may be replaced: re-running works.
  ASSERT_EQ(teikit_cli({"render", "--to", "text", path("d/doc.xml"), "-o", path("t") + "/"}).code,
            kExitOk);
  ASSERT_EQ(teikit_cli({"render", "--to", "text", path("d/doc.xml"), "-o", path("t") + "/"}).code,
            kExitOk);
  ASSERT_EQ(teikit_cli({"convert", txt, "-o", path("x") + "/"}).code, kExitOk);
  ASSERT_EQ(teikit_cli({"convert", txt, "-o", path("x") + "/"}).code, kExitOk);
  // Once the user edits it, it is theirs: not replaced.
  std::ofstream(path("x/doc.xml"), std::ios::app) << "<!-- corrected by hand -->\n";
  const std::string edited = read_file(path("x/doc.xml"));
  r = teikit_cli({"convert", txt, "-o", path("x") + "/"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(read_file(path("x/doc.xml")), edited);
  // An explicit -o FILE is the user's choice.
  EXPECT_EQ(teikit_cli({"convert", txt, "-o", path("x/doc.xml")}).code, kExitOk);
}

TEST_F(FileSafety, TheRecordOfOutputsStaysSmall) {
  const std::string txt = write("doc.txt", kDoc);
  ASSERT_EQ(teikit_cli({"convert", txt, "-o", path("x") + "/"}).code, kExitOk);
  {
    // Lines for files that are long gone, more than 1 MiB of them.
    std::ofstream record(path("x/.teikit-outputs"), std::ios::app);
    for (int i = 0; i < 40000; ++i) record << "1 " << i << " 10 0 0 gone" << i << ".xml\n";
  }
  ASSERT_GT(fs::file_size(path("x/.teikit-outputs")), 1u << 20);
  ASSERT_EQ(teikit_cli({"convert", txt, "-o", path("x") + "/"}).code, kExitOk);
  EXPECT_LT(fs::file_size(path("x/.teikit-outputs")), 1000u);
  // The file written is still known as teikit's.
  EXPECT_EQ(teikit_cli({"convert", txt, "-o", path("x") + "/"}).code, kExitOk);
}

TEST_F(FileSafety, IndexedInputsAnswerAsTheListOfInputsDoes) {
  // InputFiles and OutputRecords replace a pass over every input (and a read of the record)
  // per output, which made planning 10,000 outputs quadratic; each answer is spelled out here.
  const std::string a = write("in/a.txt", kDoc);
  const std::string b = write("in/b.txt", kDoc);
  ASSERT_EQ(link(a.c_str(), path("hard.xml").c_str()), 0);
  ASSERT_EQ(symlink(b.c_str(), path("in/link.txt").c_str()), 0);
  const teikit::InputFiles indexed({"-", a, path("in/link.txt"), path("missing.txt")});
  const std::string input = "is also an input";
  for (const std::string& out : {a, path("in/./a.txt"), path("in/link.txt"), path("missing.txt")})
    EXPECT_NE(indexed.conflict(out).find(input), std::string::npos) << out;
  EXPECT_NE(indexed.conflict(path("hard.xml")).find("same file as the input " + a),
            std::string::npos);
  // b is the file an input's link leads to: replacing it would change that input.
  EXPECT_NE(indexed.conflict(b).find("same file as the input " + path("in/link.txt")),
            std::string::npos);
  EXPECT_EQ(indexed.conflict(path("new.xml")), "");
  EXPECT_EQ(indexed.conflict(path("in/other.txt")), "");
  // Outputs teikit wrote, one it did not, one edited since, one written after the record was
  // read (by another run: it must be read again, not answered from the first reading).
  ASSERT_EQ(teikit_cli({"convert", a, b, "-o", path("x") + "/"}).code, kExitOk);
  write("x/mine.xml", "not teikit's");
  std::ofstream(path("x/b.xml"), std::ios::app) << "<!-- edited -->\n";
  teikit::OutputRecords records;
  EXPECT_TRUE(records.written_by_teikit(path("x/a.xml")));
  EXPECT_FALSE(records.written_by_teikit(path("x/b.xml")));
  EXPECT_FALSE(records.written_by_teikit(path("x/mine.xml")));
  EXPECT_FALSE(records.written_by_teikit(path("x/none.xml")));
  const std::string c = write("in/c.txt", kDoc);
  ASSERT_EQ(teikit_cli({"convert", c, "-o", path("x") + "/"}).code, kExitOk);
  EXPECT_TRUE(records.written_by_teikit(path("x/c.xml")));
  EXPECT_TRUE(records.written_by_teikit(path("x/a.xml")));
}

TEST_F(FileSafety, SeveralInputsWithAnOutputFileAreAnError) {
  const std::string a = write("a.txt", kDoc), b = write("b.txt", kDoc);
  CliRun r = teikit_cli({"convert", a, b, "-o", path("out.xml")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("output directory"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("out.xml")));
  EXPECT_EQ(teikit_cli({"convert", a, b, "-o", "-"}).code, kExitUsage);
  const std::string ta = tei_of("a.xml"), tb = tei_of("b.xml");
  EXPECT_EQ(teikit_cli({"render", "--to", "html", ta, tb, "-o", path("site.html")}).code,
            kExitUsage);
  EXPECT_FALSE(fs::exists(path("site.html")));
  EXPECT_FALSE(fs::exists("-"));
  r = teikit_cli({"convert", a, b, "--edition-id", "ed-1", "-o", path("out") + "/"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("--edition-id"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("out")));
}

TEST_F(FileSafety, OnlyRegularFilesOrNewPathsAreTargets) {
  const std::string doc = write("doc.txt", kDoc);
  ASSERT_EQ(mkfifo(path("fifo").c_str(), 0600), 0);
  CliRun r = teikit_cli({"convert", doc, "-o", path("fifo")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("is a FIFO"), std::string::npos) << r.err;
  struct stat st;
  ASSERT_EQ(lstat(path("fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));  // not replaced by a regular file
  // A socket.
  const int s = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string sock = path("sock");
  ASSERT_LT(sock.size(), sizeof addr.sun_path);
  std::strcpy(addr.sun_path, sock.c_str());
  ASSERT_EQ(bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_EQ(teikit_cli({"convert", doc, "-o", sock}).code, kExitUsage);
  ASSERT_EQ(lstat(sock.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  close(s);
  // A directory where a derived name would go.
  fs::create_directories(path("out/doc.xml"));
  EXPECT_EQ(teikit_cli({"convert", doc, "-o", path("out") + "/"}).code, kExitUsage);
  EXPECT_TRUE(fs::is_directory(path("out/doc.xml")));
  // The report of validate likewise.
  const std::string tei = tei_of("doc.xml");
  EXPECT_EQ(teikit_cli({"validate", tei, "--report", "junit", path("fifo")}).code, kExitUsage);
  ASSERT_EQ(lstat(path("fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  // A symbolic link to a FIFO or device (/dev/stdout) is neither written through nor
  // replaced; a dangling one is a new path.
  ASSERT_EQ(symlink(path("fifo").c_str(), path("link.xml").c_str()), 0);
  r = teikit_cli({"convert", doc, "-o", path("link.xml")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("symbolic link to a FIFO"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_symlink(path("link.xml")));
  ASSERT_EQ(lstat(path("fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  ASSERT_EQ(symlink("/dev/null", path("null.xml").c_str()), 0);
  EXPECT_EQ(teikit_cli({"convert", doc, "-o", path("null.xml")}).code, kExitUsage);
  EXPECT_TRUE(fs::is_symlink(path("null.xml")));
  ASSERT_EQ(symlink(path("nowhere").c_str(), path("dangling.xml").c_str()), 0);
  EXPECT_EQ(teikit_cli({"convert", doc, "-o", path("dangling.xml")}).code, kExitOk);
  EXPECT_TRUE(fs::is_regular_file(path("dangling.xml")));
  EXPECT_FALSE(fs::exists(path("nowhere")));
  // - is standard output.
  r = teikit_cli({"convert", doc, "-o", "-"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.out.rfind("<?xml", 0), 0u);
}

TEST_F(FileSafety, ASymlinkedOutputIsReplacedNotWrittenThrough) {
  const std::string other = write("other.txt", "precious\n");
  ASSERT_EQ(symlink(other.c_str(), path("out.xml").c_str()), 0);
  EXPECT_EQ(teikit_cli({"convert", write("doc.txt", kDoc), "-o", path("out.xml")}).code, kExitOk);
  EXPECT_EQ(read_file(other), "precious\n");
  EXPECT_FALSE(fs::is_symlink(path("out.xml")));
  // Under a name teikit derives in a directory, a link is the user's: not replaced.
  ASSERT_EQ(symlink(other.c_str(), path("doc.xml").c_str()), 0);
  EXPECT_EQ(teikit_cli({"convert", path("doc.txt"), "-o", dir_.string() + "/"}).code, kExitUsage);
  EXPECT_TRUE(fs::is_symlink(path("doc.xml")));
  EXPECT_EQ(read_file(other), "precious\n");
}

TEST_F(FileSafety, ValidateReportNeverReplacesAnInput) {
  const std::string tei = tei_of("doc.xml");
  const std::string before = read_file(tei);
  CliRun r = teikit_cli({"validate", tei, "--report", "junit", tei});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(read_file(tei), before);
  r = teikit_cli({"validate", tei, "--report", "junit", "-"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("<testsuites>"), std::string::npos) << r.out;
}

TEST_F(FileSafety, AReplacedFileKeepsItsMode) {
  const std::string doc = write("doc.txt", kDoc);
  write("out.xml", "old");
  ASSERT_EQ(chmod(path("out.xml").c_str(), 0600), 0);
  ASSERT_EQ(teikit_cli({"convert", doc, "-o", path("out.xml")}).code, kExitOk);
  struct stat st;
  ASSERT_EQ(stat(path("out.xml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_NE(read_file(path("out.xml")), "old");
  // In a directory too (a file teikit wrote, made private by the user).
  ASSERT_EQ(teikit_cli({"convert", doc, "-o", path("d") + "/"}).code, kExitOk);
  ASSERT_EQ(chmod(path("d/doc.xml").c_str(), 0640), 0);
  ASSERT_EQ(teikit_cli({"convert", doc, "-o", path("d") + "/"}).code, kExitOk);
  ASSERT_EQ(stat(path("d/doc.xml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

// ---------------------------------------------------------------- the edition directory

TEST_F(FileSafety, DocumentsNamedCorpusOrIndexAreRefusedNotDropped) {
  fs::create_directories(path("ed"));
  const std::string ed = path("ed") + "/";
  ASSERT_EQ(teikit_cli({"convert", write("src/corpus.txt", kDoc), write("src/letter.txt", kDoc),
                        "-o", ed}).code, kExitOk);
  const std::string corpus_doc = read_file(path("ed/corpus.xml"));
  // corpus.xml is a document: indexing would replace it and leave it out.
  CliRun r = teikit_cli({"render", "--index", ed});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("is a document"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(path("ed/corpus.xml")), corpus_doc);
  EXPECT_FALSE(fs::exists(path("ed/index.html")));
  // Also when rendering pages first: refused before any page is written.
  r = teikit_cli({"render", "--to", "html", path("ed/corpus.xml"), path("ed/letter.xml"), "-o", ed,
                  "--index", ed});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_FALSE(fs::exists(path("ed/letter.html")));
  fs::remove(path("ed/corpus.xml"));

  // index.xml: its page would be the index page.
  ASSERT_EQ(teikit_cli({"convert", write("src/index.txt", kDoc), "-o", ed}).code, kExitOk);
  r = teikit_cli({"render", "--to", "html", path("ed/letter.xml"), path("ed/index.xml"), "-o", ed,
                  "--index", ed});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("index"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("ed/letter.html")));
  EXPECT_FALSE(fs::exists(path("ed/index.html")));
  EXPECT_EQ(teikit_cli({"render", "--index", ed}).code, kExitUsage);
  EXPECT_FALSE(fs::exists(path("ed/index.html")));
  // A page named index.html rendered from elsewhere into the edition directory.
  const std::string elsewhere = tei_of("other/index.xml");
  fs::remove(path("ed/index.xml"));
  r = teikit_cli({"render", "--to", "html", elsewhere, "-o", ed, "--index", ed});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_FALSE(fs::exists(path("ed/index.html")));

  // A user's own index.html is not replaced; the one teikit wrote is.
  write("ed/index.html", "<p>my page</p>");
  EXPECT_EQ(teikit_cli({"render", "--index", ed}).code, kExitUsage);
  EXPECT_EQ(read_file(path("ed/index.html")), "<p>my page</p>");
  fs::remove(path("ed/index.html"));
  ASSERT_EQ(teikit_cli({"render", "--index", ed}).code, kExitOk);
  r = teikit_cli({"render", "--to", "html", path("ed/letter.xml"), "-o", ed, "--index", ed});
  EXPECT_EQ(r.code, kExitOk) << r.err;
}

// ---------------------------------------------------------------- file names in the XML

TEST_F(FileSafety, FileNamesOfAnyBytesGiveWellFormedIdsSourcesAndLinks) {
  const std::vector<std::string> names = {"a\x01" "b", "\xff", "a b&<c>", "x", "x.translator",
                                          "100%", "k:v"};
  fs::create_directories(path("ed"));
  std::vector<std::string> args{"convert"};
  for (const auto& n : names) args.push_back(write("src/" + n + ".txt", kDoc));
  args.push_back("-o");
  args.push_back(path("ed") + "/");
  CliRun r = teikit_cli(args);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  std::string error;
  for (const auto& n : names) {
    xml::DocPtr doc = xml::parse_file(path("ed/" + n + ".xml"), error);
    ASSERT_TRUE(doc) << n << ": " << error;
    EXPECT_EQ(xpath_string(doc.get(), "//t:publicationStmt/t:idno[@type='edition']"),
              name_as_text(n));
  }
  EXPECT_EQ(name_as_text("a\x01" "b"), "a%01b");
  EXPECT_EQ(name_as_text("\xff"), "%FF");
  EXPECT_EQ(name_as_uri("a b&<c>.xml"), "a%20b&%3Cc%3E.xml");

  args = {"render", "--to", "html"};
  for (const auto& n : names) args.push_back(path("ed/" + n + ".xml"));
  for (const auto& a : {"-o", "--index"}) {
    args.push_back(a);
    args.push_back(path("ed") + "/");
  }
  r = teikit_cli(args);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  xml::DocPtr corpus = xml::parse_file(path("ed/corpus.xml"), error);
  ASSERT_TRUE(corpus) << error;
  xmlDoc* c = corpus.get();
  EXPECT_EQ(xpath_count(c, "/t:teiCorpus/t:TEI"), static_cast<int>(names.size()));
  // Unique ids, none taken from another document's prefix (x and x.translator).
  EXPECT_EQ(xpath_count(c, "//*[@xml:id = following::*/@xml:id or @xml:id = descendant::*/@xml:id]"),
            0);
  std::set<std::string> sources;
  for (int i = 1; i <= static_cast<int>(names.size()); ++i) {
    const std::string id = xpath_string(c, "/t:teiCorpus/t:TEI[" + std::to_string(i) + "]/@xml:id");
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"),
              std::string::npos) << id;
    const std::string source =
        xpath_string(c, "/t:teiCorpus/t:TEI[" + std::to_string(i) + "]/@source");
    for (unsigned char ch : source) EXPECT_TRUE(ch > 0x20 && ch < 0x7f) << source;
    sources.insert(source);
  }
  EXPECT_TRUE(sources.count("a%20b&%3Cc%3E.xml"));
  EXPECT_TRUE(sources.count("%FF.xml"));
  EXPECT_TRUE(sources.count("a%01b.xml"));
  EXPECT_TRUE(sources.count("100%25.xml"));
  EXPECT_TRUE(sources.count("k%3Av.xml"));

  // Every link of index.html names a file that exists.
  xml::DocPtr index = xml::parse_file(path("ed/index.html"), error);
  ASSERT_TRUE(index) << error;
  xml::XPathContextPtr ctx(xmlXPathNewContext(index.get()));
  xml::XPathObjectPtr links(xmlXPathEvalExpression(BAD_CAST "//@href", ctx.get()));
  ASSERT_TRUE(links && links->nodesetval);
  int local = 0;
  for (int i = 0; i < links->nodesetval->nodeNr; ++i) {
    xml::XmlCharPtr v(xmlNodeGetContent(links->nodesetval->nodeTab[i]));
    const std::string href = reinterpret_cast<const char*>(v.get());
    ASSERT_FALSE(href.empty());
    if (href[0] == '#' || href.find("://") != std::string::npos) continue;
    std::string decoded;
    for (std::size_t k = 0; k < href.size(); ++k) {
      if (href[k] == '%' && k + 2 < href.size()) {
        decoded += static_cast<char>(std::stoi(href.substr(k + 1, 2), nullptr, 16));
        k += 2;
      } else {
        decoded += href[k];
      }
    }
    EXPECT_TRUE(fs::exists(path("ed/" + decoded))) << href;
    ++local;
  }
  EXPECT_GE(local, 2 * static_cast<int>(names.size()));  // a page and the TEI for each

  // The whole corpus against the official schema, with teikit's own validator.
  const std::string shared = teikit::test::shared_dir();
  if (shared.empty()) GTEST_SKIP() << "../shared (tei_all.rng) is absent: validity not checked";
  r = teikit_cli({"validate", "--schema", shared + "/tei-schemas/tei_all.rng",
                  path("ed/corpus.xml")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
}

TEST_F(FileSafety, JunitReportOfAStrangeFileNameIsWellFormed) {
  const std::string tei = tei_of("a\x01" "b\xff.xml");
  CliRun r = teikit_cli({"validate", tei, "--report", "junit", path("report.xml")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  std::string error;
  EXPECT_TRUE(xml::parse_file(path("report.xml"), error)) << error;
}

TEST_F(FileSafety, JsonDiagnosticsOfAStrangeFileNameAreUtf8) {
  const std::string in = write("\xff\x01.txt", std::string(kDoc) + "\nAn [open bracket.\n");
  CliRun r = teikit_cli({"convert", "--diagnostics=json", in, "-o", path("out.xml")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.err.find("%FF\\u0001.txt"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\xff'), std::string::npos);
}

// ---------------------------------------------------------------- inputs

TEST_F(FileSafety, EmptyStandardInputIsAnError) {
  for (const char* cmd : {"convert", "render", "validate"}) {
    CliRun r = teikit_cli({cmd, "-"}, "");
    EXPECT_EQ(r.code, kExitUnreadable) << cmd;
    EXPECT_NE(r.err.find("standard input is empty"), std::string::npos) << cmd << ": " << r.err;
    EXPECT_EQ(r.out, "") << cmd;
  }
  // An empty file named on the command line still converts (with its warning).
  EXPECT_EQ(teikit_cli({"convert", write("empty.txt", "")}).code, kExitOk);
}

TEST_F(FileSafety, MaxInputSizeAppliesToEverySubcommand) {
  const std::string tei = tei_of("doc.xml");
  for (const char* cmd : {"render", "validate"}) {
    CliRun r = teikit_cli({cmd, "--max-input-size", "100", tei});
    EXPECT_EQ(r.code, kExitUnreadable) << cmd;
    EXPECT_NE(r.err.find("--max-input-size"), std::string::npos) << cmd << ": " << r.err;
    r = teikit_cli({cmd, "--max-input-size", "100", "-"}, read_file(tei));
    EXPECT_EQ(r.code, kExitUnreadable) << cmd;
    EXPECT_NE(r.err.find("--max-input-size"), std::string::npos) << cmd << ": " << r.err;
  }
  EXPECT_EQ(teikit_cli({"render", "--max-input-size", "0", tei}).code, kExitOk);
}

TEST_F(FileSafety, DevicesAndFifosAreReadOnlyUpToTheLimit) {
  // The real executable: /dev/zero never ends, so only the limit stops it.
  const std::string limit = std::to_string(1 << 20);
  for (const char* cmd : {"convert", "render", "validate"}) {
    Child c = run_binary({cmd, "--max-input-size", limit, "/dev/zero"});
    EXPECT_TRUE(c.exited(4)) << cmd << ": " << c.status << " " << c.err;
    EXPECT_NE(c.err.find("--max-input-size"), std::string::npos) << cmd << ": " << c.err;
    c = run_binary({cmd, "--max-input-size", limit, "-"}, "/dev/zero");
    EXPECT_TRUE(c.exited(4)) << cmd << ": " << c.err;
    EXPECT_NE(c.err.find("--max-input-size"), std::string::npos) << cmd << ": " << c.err;
  }
  // The other inputs: profile and config are read with the same bound; a stylesheet or schema
  // (read by libxslt/libxml2) must be a regular file.
  const std::string doc = write("doc.txt", kDoc);
  for (const char* option : {"--profile", "--config"}) {
    Child c = run_binary({"convert", "--max-input-size", limit, option, "/dev/zero", doc});
    EXPECT_TRUE(c.exited(4)) << option << ": " << c.err;
    EXPECT_NE(c.err.find("--max-input-size"), std::string::npos) << option << ": " << c.err;
  }
  const std::string tei = tei_of("doc.xml");
  Child x = run_binary({"render", "--xslt", "/dev/zero", tei});
  EXPECT_TRUE(x.exited(4)) << x.err;
  EXPECT_NE(x.err.find("character device"), std::string::npos) << x.err;
  x = run_binary({"validate", "--schema", "/dev/zero", tei});
  EXPECT_TRUE(x.exited(4)) << x.err;
  // A *.xml glob that picks up a link to /dev/zero.
  ASSERT_EQ(symlink("/dev/zero", path("zero.xml").c_str()), 0);
  Child c = run_binary({"validate", "--max-input-size", limit, path("zero.xml")});
  EXPECT_TRUE(c.exited(4)) << c.err;
  // A FIFO fed more than the limit.
  ASSERT_EQ(mkfifo(path("fifo").c_str(), 0600), 0);
  const pid_t writer = fork();
  if (writer == 0) {
    signal(SIGPIPE, SIG_DFL);
    const int fd = open(path("fifo").c_str(), O_WRONLY);
    std::string chunk(65536, 'a');
    for (int i = 0; i < 64; ++i)
      if (::write(fd, chunk.data(), chunk.size()) < 0) break;
    _exit(0);
  }
  c = run_binary({"convert", "--max-input-size", limit, path("fifo")});
  EXPECT_TRUE(c.exited(4)) << c.err;
  EXPECT_NE(c.err.find("--max-input-size"), std::string::npos) << c.err;
  kill(writer, SIGKILL);
  waitpid(writer, nullptr, 0);
}

TEST_F(FileSafety, ClosedStandardInputIsAnError) {
  Child c = run_binary({"convert", "-"}, "closed");
  EXPECT_TRUE(c.exited(4)) << c.status << " " << c.err;
  EXPECT_NE(c.err.find("<stdin>: cannot read standard input"), std::string::npos) << c.err;
  EXPECT_EQ(read_file(path("child.out")), "");
}

// ---------------------------------------------------------------- standard output

TEST_F(FileSafety, AFullDiskOnStandardOutputExitsFour) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  const std::string doc = write("doc.txt", kDoc);
  Child c = run_binary({"convert", doc}, "", "/dev/full");
  EXPECT_TRUE(c.exited(4)) << c.status << " " << c.err;
  EXPECT_NE(c.err.find("teikit: standard output: No space left on device"), std::string::npos)
      << c.err;
  const std::string tei = tei_of("doc.xml");
  c = run_binary({"render", "--to", "html", tei}, "", "/dev/full");
  EXPECT_TRUE(c.exited(4)) << c.err;
  c = run_binary({"validate", "-v", tei}, "", "/dev/full");
  EXPECT_TRUE(c.exited(4)) << c.err;
  c = run_binary({"--help"}, "", "/dev/full");
  EXPECT_TRUE(c.exited(4)) << c.err;
}

// Standard input or output redirected to a file that is also an input or the output: refused
// before anything is written (`cat x > x` destroys x; GNU cat refuses "input file is output
// file").
TEST_F(FileSafety, StandardInputOrOutputThatIsAnInputOrTheOutputIsRefused) {
  const std::string doc = write("doc.txt", kDoc);
  const std::string tei = tei_of("doc.xml");
  const std::string tei_bytes = read_file(tei);
  Child c = run_binary({"convert", "-", "-o", doc}, doc);  // convert - -o doc.txt < doc.txt
  EXPECT_TRUE(c.exited(1)) << c.status << " " << c.err;
  EXPECT_NE(c.err.find("is the same file as the input - (standard input)"), std::string::npos)
      << c.err;
  c = run_binary({"render", "--to", "html", "-", "-o", tei}, tei);
  EXPECT_TRUE(c.exited(1)) << c.err;
  c = run_binary({"convert", doc}, "", ">>" + doc);  // convert doc.txt >> doc.txt
  EXPECT_TRUE(c.exited(1)) << c.err;
  EXPECT_NE(c.err.find("standard output is the input"), std::string::npos) << c.err;
  c = run_binary({"convert", "-"}, doc, ">>" + doc);  // convert - < doc.txt >> doc.txt
  EXPECT_TRUE(c.exited(1)) << c.err;
  c = run_binary({"validate", tei, "--report", "junit", "-"}, "", ">>" + tei);
  EXPECT_TRUE(c.exited(1)) << c.err;
  write("in.jsonl", "{\"id\": 1, \"text\": \"a\"}\n");
  c = run_binary({"convert", "--jsonl", path("in.jsonl")}, "", ">>" + path("in.jsonl"));
  EXPECT_TRUE(c.exited(1)) << c.err;
  EXPECT_EQ(read_file(doc), kDoc);
  EXPECT_EQ(read_file(tei), tei_bytes);
  EXPECT_EQ(read_file(path("in.jsonl")), "{\"id\": 1, \"text\": \"a\"}\n");
  // Still fine: standard input from a file, standard output to another.
  c = run_binary({"convert", "-"}, doc, path("other.xml"));
  EXPECT_TRUE(c.exited(0)) << c.err;
}

// /dev/stdout, /dev/fd/1 and /proc/self/fd/1 lead to the file standard output was redirected
// to; as -o they stand for a descriptor, and replacing the link (as root) would break
// /dev/stdout for everyone: refused, as a link to a device is.
TEST_F(FileSafety, LinksToFileDescriptorsAreNoOutputs) {
  const std::string doc = write("doc.txt", kDoc);
  fs::create_symlink("/dev/stdout", path("to-stdout"));
  const std::vector<std::string> targets = {"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1",
                                            path("to-stdout")};
  for (const std::string& target : targets) {
    if (!fs::exists(target) && !fs::is_symlink(target)) continue;
    const Child c = run_binary({"convert", doc, "-o", target}, "", path("redirected.xml"));
    EXPECT_TRUE(c.exited(1)) << target << ": " << c.status << " " << c.err;
    EXPECT_NE(c.err.find("is a link to a file descriptor"), std::string::npos) << c.err;
  }
  EXPECT_TRUE(fs::is_symlink("/dev/stdout") || !fs::exists("/dev/stdout"));
  EXPECT_TRUE(fs::is_symlink(path("to-stdout")));
}

// A metadata value XML cannot carry (a control character, bytes that are not UTF-8, U+FFFE)
// is refused, from the command line, a config file, a JSON line's options or build's --title:
// written as it is, it made the TEI, corpus and index ill-formed.
TEST_F(FileSafety, MetadataValuesXmlCannotCarryAreRefused) {
  const std::string doc = write("doc.txt", kDoc);
  for (const std::vector<std::string>& option : {std::vector<std::string>{"--publisher", "c\x01"},
                                                 {"--edition-id", "\xff"},
                                                 {"--licence", "\xef\xbf\xbe"},
                                                 {"--pub-place", "a\x1f"},
                                                 {"--licence-url", "https://x/\x01"}}) {
    const CliRun r = teikit_cli({"convert", doc, option[0], option[1], "-o", path("o.xml")});
    EXPECT_EQ(r.code, kExitUsage) << option[0] << ": " << r.err;
    EXPECT_NE(r.err.find(option[0] + ": the value"), std::string::npos) << r.err;
  }
  write("cfg", std::string("pub-place = a\0b\n", 15));
  EXPECT_EQ(teikit_cli({"convert", doc, "--config", path("cfg"), "-o", path("o.xml")}).code,
            kExitUsage);
  EXPECT_FALSE(fs::exists(path("o.xml")));
  write("in.jsonl", "{\"id\": 1, \"text\": \"a\", \"options\": {\"publisher\": \"P\\u0001\"}}\n");
  const CliRun j = teikit_cli({"convert", "--jsonl", path("in.jsonl")});
  EXPECT_NE(j.out.find("\"status\":\"error\""), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("bad-options"), std::string::npos) << j.out;
  write("src/a.txt", kDoc);
  EXPECT_EQ(teikit_cli({"build", path("src"), "-o", path("ed"), "--title", "T\x01"}).code,
            kExitUsage);
  EXPECT_FALSE(fs::exists(path("ed")));
  // Other Unicode, tabs and line feeds are XML text.
  EXPECT_EQ(
      teikit_cli({"convert", doc, "--publisher", "\xc3\x9cber\tVerlag", "-o", path("o.xml")}).code,
      kExitOk);
}

// `-o d/new/../` is d/ once d/new is made: the checks see d/ (resolved_output_path), so a
// transcription or a user's file there is not replaced, nor is the source folder built into.
TEST_F(FileSafety, AnOutputThroughAFolderNotYetMadeIsCheckedWhereItLands) {
  const std::string doc = write("d/a.txt", kDoc);
  ASSERT_EQ(teikit_cli({"convert", doc, "-o", path("d/a.xml")}).code, kExitOk);
  CliRun r = teikit_cli({"render", "--to", "text", path("d/a.xml"), "-o", path("d/nx/../")});
  EXPECT_EQ(r.code, kExitUsage) << r.err;
  EXPECT_NE(r.err.find("exists and was not written by teikit"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(doc), kDoc);
  write("e/a.xml", "MINE\n");
  EXPECT_EQ(teikit_cli({"convert", doc, "-o", path("e/nx/../")}).code, kExitUsage);
  EXPECT_EQ(read_file(path("e/a.xml")), "MINE\n");
  write("s/a.txt", kDoc);
  EXPECT_EQ(teikit_cli({"build", path("s"), "-o", path("s/nx/..")}).code, kExitUsage);
  EXPECT_FALSE(fs::exists(path("s/a.xml")));
  EXPECT_FALSE(fs::exists(path("d/nx")));
  // A new folder that way is fine: f/nx/../ is f/.
  r = teikit_cli({"convert", doc, "-o", path("f/nx/../")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_TRUE(fs::exists(path("f/a.xml")));
}

TEST_F(FileSafety, AClosedStandardOutputExitsFour) {
  Child c = run_binary({"convert", write("doc.txt", kDoc)}, "", "closed");
  EXPECT_TRUE(c.exited(4)) << c.status << " " << c.err;
  EXPECT_NE(c.err.find("standard output"), std::string::npos) << c.err;
}

TEST_F(FileSafety, AClosedPipeEndsTheRunAsBefore) {
  // A reader that goes away (`teikit … | head`): SIGPIPE ends the run quietly, as for any
  // filter; with SIGPIPE ignored the write fails with EPIPE and the run exits 4.
  std::string big = kDoc;
  for (int i = 0; i < 20000; ++i) big += "\nParagraph " + std::to_string(i) + " of [some] text.\n";
  const std::string doc = write("big.txt", big);
  for (const bool ignore : {false, true}) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    close(fds[0]);  // nobody reads
    const std::string out = "/dev/fd/" + std::to_string(fds[1]);
    Child c = run_binary({"convert", doc}, "", out, RLIM_INFINITY, ignore);
    close(fds[1]);
    if (ignore) {
      EXPECT_TRUE(c.exited(4)) << c.status << " " << c.err;
      EXPECT_NE(c.err.find("Broken pipe"), std::string::npos) << c.err;
    } else {
      EXPECT_TRUE(WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGPIPE) << c.status;
    }
  }
}

// ---------------------------------------------------------------- temporaries and signals

TEST_F(FileSafety, EveryTerminatingSignalLeavesNoTemporary) {
  // Large outputs, so that each temporary exists long enough to be seen: the signal is sent
  // while one is being written, and the handler must remove it.
  std::string doc = kDoc;
  for (int i = 0; i < 12000; ++i)
    doc += "\nZhang [Hanfu] met them on the 29th of [April] [...] and [illegible] words [sic].\n";
  std::vector<std::string> args{"convert"};
  for (int i = 0; i < 30; ++i) args.push_back(write("in/doc" + std::to_string(i) + ".txt", doc));
  args.push_back("-o");
  args.push_back(path("out") + "/");
  for (const int sig : {SIGHUP, SIGQUIT, SIGUSR1, SIGALRM, SIGXCPU}) {
    fs::remove_all(path("out"));
    fs::create_directories(path("out"));
    const pid_t pid = fork();
    if (pid == 0) {
      rlimit no_core{0, 0};  // SIGQUIT's default action dumps core
      setrlimit(RLIMIT_CORE, &no_core);
      if (!freopen("/dev/null", "w", stderr)) _exit(127);
      std::vector<std::string> copy = args;
      static std::string bin = TEIKIT_BINARY;
      std::vector<char*> argv{bin.data()};
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(bin.c_str(), argv.data());
      _exit(127);
    }
    bool seen = false;
    int status = 0;
    while (!seen && waitpid(pid, &status, WNOHANG) == 0) {
      for (const auto& name : listing(path("out")))
        if (name.find(".teikit-") != std::string::npos && name.find(".tmp") != std::string::npos)
          seen = true;
    }
    if (seen) {
      kill(pid, sig);
      waitpid(pid, &status, 0);
    }
    ASSERT_TRUE(seen) << "the run ended before a temporary was seen";
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << status;
    for (const auto& name : listing(path("out")))
      EXPECT_EQ(name.find(".tmp"), std::string::npos) << "temporary left after signal " << sig
                                                      << ": " << name;
  }
}

TEST_F(FileSafety, StaleTemporariesAreRemovedByTheNextRun) {
  fs::create_directories(path("out"));
  // A writer that is gone: a child that has exited and been reaped.
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  const std::string gone = ".doc.xml.teikit-" + std::to_string(dead) + "-a1b2c3.tmp";
  // A live writer (this test's parent), fresh: kept. The same, two hours old: removed.
  const std::string live = ".doc.xml.teikit-" + std::to_string(getppid()) + "-d4e5f6.tmp";
  const std::string old = ".other.xml.teikit-" + std::to_string(getppid()) + "-a7b8c9.tmp";
  const std::string foreign = ".notes.xml.123456.tmp";  // not teikit's: never touched
  for (const auto& n : {gone, live, old, foreign}) write("out/" + n, "partial");
  const std::time_t two_hours_ago = std::time(nullptr) - 7200;
  boost::filesystem::last_write_time(path("out/" + old), two_hours_ago);
  ASSERT_EQ(teikit_cli({"convert", write("doc.txt", kDoc), "-o", path("out") + "/"}).code,
            kExitOk);
  const std::set<std::string> after = listing(path("out"));
  EXPECT_FALSE(after.count(gone));
  EXPECT_FALSE(after.count(old));
  EXPECT_TRUE(after.count(live));
  EXPECT_TRUE(after.count(foreign));
  EXPECT_TRUE(after.count("doc.xml"));
}

TEST_F(FileSafety, ConcurrentWritersOfOneDirectoryAllSucceed) {
  // Several runs writing the same outputs at once: each sees the others' files either absent or
  // recorded as teikit's (the record is written before the rename), so none is refused, and
  // the result is one whole document.
  std::string doc = kDoc;
  for (int i = 0; i < 500; ++i) doc += "\nParagraph " + std::to_string(i) + " of [some] text.\n";
  const std::string a = write("in/a.txt", doc), b = write("in/b.txt", doc);
  std::vector<pid_t> pids;
  for (int k = 0; k < 6; ++k) {
    const pid_t pid = fork();
    if (pid == 0) {
      if (!freopen("/dev/null", "w", stderr)) _exit(127);
      static std::string bin = TEIKIT_BINARY;
      int status = 0;
      for (int round = 0; round < 5 && status == 0; ++round) {
        const pid_t run = fork();
        if (run == 0) {
          std::vector<std::string> args{bin, "convert", a, b, "-o", path("out") + "/"};
          std::vector<char*> argv;
          for (auto& x : args) argv.push_back(x.data());
          argv.push_back(nullptr);
          execv(bin.c_str(), argv.data());
          _exit(127);
        }
        waitpid(run, &status, 0);
      }
      _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 99);
    }
    pids.push_back(pid);
  }
  for (const pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  std::string error;
  for (const char* name : {"a.xml", "b.xml"})
    EXPECT_TRUE(xml::parse_file(path(std::string("out/") + name), error)) << name << ": " << error;
  for (const auto& name : listing(path("out")))
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
}

// ---------------------------------------------------------------- memory

// Memory running out while the schema is compiled (or the document read) is exit 4 with
// "out-of-memory", never exit 5 ("the schema did not compile": the schema is not at fault) nor
// a signal. Address-space limits from where the executable can just be loaded (its shared
// libraries map ~40 MB; below that the loader refuses, exit 127) upwards cover compiling the
// project schema, reading and validating a 4 MB TEI, and validating it.
TEST_F(FileSafety, OutOfMemoryWhileValidatingIsACleanExitFour) {
#ifdef TEIKIT_ASAN
  GTEST_SKIP() << "AddressSanitizer reserves terabytes of address space, so RLIMIT_AS cannot be "
                  "lowered under it; the release build runs this test";
#else
  {
    std::ofstream txt(path("doc.txt"), std::ios::binary);
    txt << kDoc;
    const std::string line = "Zhang [Hanfu] met them on the 29th of [April] [...] and [sic].\n\n";
    for (std::size_t n = 0; n < (2u << 20); n += line.size()) txt << line;
  }
  ASSERT_TRUE(run_binary({"convert", path("doc.txt"), "-o", path("doc.xml")}).exited(0));
  int out_of_memory = 0, loaded = 0;
  // Every 2 MB: where memory runs out moves with the build, and each stage (setting up the
  // command line, reading the schema, compiling it and the rules, the document) must say so.
  for (rlim_t mb = 36; mb <= 96; mb += 2) {
    Child c = run_binary({"validate", "--timeout", "0", path("doc.xml")}, "", "", mb << 20);
    if (c.exited(127)) continue;  // the loader could not map the libraries
    ++loaded;
    EXPECT_TRUE(c.exited(0) || c.exited(4)) << mb << " MB: status " << c.status << ": " << c.err;
    // Neither the schema nor the rules are at fault ([schema-did-not-compile],
    // [rules-did-not-compile]).
    EXPECT_EQ(c.err.find("did-not-compile]"), std::string::npos) << mb << " MB: " << c.err;
    if (c.exited(4)) {
      ++out_of_memory;
      EXPECT_NE(c.err.find("[out-of-memory]"), std::string::npos) << mb << " MB: " << c.err;
    }
  }
  EXPECT_GT(loaded, 0);
  EXPECT_GT(out_of_memory, 0);
#endif
}

TEST_F(FileSafety, OutOfMemoryIsACleanExitFour) {
#ifdef TEIKIT_ASAN
  GTEST_SKIP() << "AddressSanitizer reserves terabytes of address space, so RLIMIT_AS cannot be "
                  "lowered under it; the release build runs this test";
#else
  // 64 MB of text, no size limit, 256 MB of address space: reading and converting it cannot
  // fit, and the allocation that fails must end in a message and exit 4, not an abort.
  {
    std::ofstream big(path("big.txt"), std::ios::binary);
    big << kDoc;
    const std::string line = "Zhang [Hanfu] met them on the 29th of [April] [...] and [sic].\n\n";
    for (std::size_t n = 0; n < (64u << 20); n += line.size()) big << line;
  }
  Child c = run_binary({"convert", "--max-input-size", "0", path("big.txt"), "-o",
                        path("big.xml")},
                       "", "", rlim_t(256) << 20);
  // Either the estimate made before converting refuses it, or the allocation that fails is caught
  // (the memory-estimate tests in test_pathological.cpp check the first on its own).
  EXPECT_TRUE(c.exited(4)) << "status " << c.status << ": " << c.err;
  EXPECT_TRUE(c.err.find("out of memory") != std::string::npos ||
              c.err.find("of memory; ") != std::string::npos)
      << c.err;
  EXPECT_FALSE(fs::exists(path("big.xml")));
  // CommonMark: cmark aborts when an allocation fails, and its tree of `*` lines takes ~70× the
  // text, far more than the estimate for plain text allows for: refused once the flavour is
  // known, from convert, a JSON line and build alike.
  {
    std::ofstream md(path("stars.md"), std::ios::binary);
    md << "# A title\n\n";
    for (int n = 0; n < 2500000; ++n) md << "*\n";
  }
  c = run_binary({"convert", "--from", "markdown", path("stars.md"), "-o", path("stars.xml")}, "",
                 "", rlim_t(256) << 20);
  EXPECT_TRUE(c.exited(4)) << "status " << c.status << ": " << c.err;
  EXPECT_NE(c.err.find("out of memory"), std::string::npos) << c.err;
  fs::create_directories(path("md-src"));
  fs::copy_file(path("stars.md"), path("md-src/stars.md"));
  c = run_binary({"build", "--from", "markdown", path("md-src"), "-o", path("md-ed"), "-q"}, "", "",
                 rlim_t(256) << 20);
  EXPECT_TRUE(c.exited(4)) << "status " << c.status << ": " << c.err;
#endif
}
