// `teikit render` on the real command line, in-process: HTML and Markdown output, stylesheet
// parameters, a user's stylesheet, the libxslt security preferences (no writes, no network),
// and the edition index (index.html + corpus.xml).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "render_support.hpp"
#include "cli.hpp"
#include "teikit/render/edition_index.hpp"

namespace fs = boost::filesystem;
using namespace teikit;
using namespace teikit::test;

namespace {

class RenderCli : public teikit::test::TempDirTest {
 protected:
  // A converted sample as DIR/<name>.xml.
  std::string sample_tei(const std::string& sample, const std::string& as = "") {
    for (const auto& d : corpus())
      if (d.name == "sample-" + sample) return write((as.empty() ? sample : as) + ".xml", d.tei);
    ADD_FAILURE() << "no sample " << sample;
    return "";
  }
  // Files in a directory whose name starts with '.' (temporaries of an atomic write), but for
  // .teikit-outputs, the record of what teikit wrote there.
  int hidden_files(const std::string& d) const {
    int n = 0;
    for (const auto& e : fs::directory_iterator(d)) {
      const std::string name = e.path().filename().string();
      n += name[0] == '.' && name != ".teikit-outputs";
    }
    return n;
  }
};

const char* const kParamSheet = R"X(<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:tei="http://www.tei-c.org/ns/1.0">
  <xsl:output method="text"/>
  <xsl:param name="greeting" select="'none'"/>
  <xsl:param name="who" select="'none'"/>
  <xsl:template match="/">
    <xsl:value-of select="concat($greeting, '|', $who, '|', normalize-space(//tei:titleStmt/tei:title))"/>
  </xsl:template>
</xsl:stylesheet>)X";

}  // namespace

TEST_F(RenderCli, HtmlForOneFileToStandardOutput) {
  CliRun r = teikit_cli({"render", "--to", "html", sample_tei("cable-plain")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out.rfind("<!DOCTYPE html", 0), 0u);
  EXPECT_NE(r.out.find("class=\"supplied\""), std::string::npos);
}

// libxml2 2.9 parses an element's attributes in quadratic time (10^5: 11 s): render and the
// edition index refuse such a document before parsing it, as validate does.
TEST_F(RenderCli, DocumentsLibxmlParsesInQuadraticTimeAreRefused) {
  std::string doc = "<TEI xmlns='http://www.tei-c.org/ns/1.0'><p";
  for (int i = 0; i < 100000; ++i) doc += " a" + std::to_string(i) + "='1'";
  doc += "/></TEI>";
  const std::string wide = write("wide.xml", doc);
  CliRun r = teikit_cli({"render", "--to", "html", wide});
  EXPECT_EQ(r.code, kExitUnreadable);
  EXPECT_NE(r.err.find("wide.xml:1: "), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  r = teikit_cli({"render", "--index", dir_.string()});
  EXPECT_NE(r.err.find("/wide.xml: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("attributes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(not indexed)"), std::string::npos) << r.err;
}

TEST_F(RenderCli, ManyFilesIntoADirectoryLeaveNoTemporaries) {
  const std::string a = sample_tei("cable-plain"), b = sample_tei("despatch-plain");
  CliRun r = teikit_cli({"render", "--to", "html", a, b, "-o", path("site") + "/"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_TRUE(fs::exists(path("site/cable-plain.html")));
  EXPECT_TRUE(fs::exists(path("site/despatch-plain.html")));
  EXPECT_EQ(hidden_files(path("site")), 0);
}

TEST_F(RenderCli, MarkdownHasEscapedBrackets) {
  CliRun r = teikit_cli({"render", "--to", "markdown", sample_tei("cable-plain")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("Zhang \\[Hanfu\\]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n# Cable from the Chinese Foreign Ministry"), std::string::npos) << r.out;
}

TEST_F(RenderCli, ParametersReachTheStylesheet) {
  const std::string sheet = write("p.xsl", kParamSheet);
  CliRun r = teikit_cli({"render", "--xslt", sheet, "--param", "greeting=hello world", "--param",
                         "who=O'Brien \"the\" editor", sample_tei("letter-plain")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  // Values are strings, never XPath: quotes of both kinds come through unchanged.
  EXPECT_EQ(r.out, "hello world|O'Brien \"the\" editor|Letter from Harold P. Crane to Under "
                   "Secretary of State Sumner Welles");
  // Without parameters the stylesheet's defaults apply.
  EXPECT_EQ(teikit_cli({"render", "--xslt", sheet, path("letter-plain.xml")}).out.substr(0, 10),
            "none|none|");
}

TEST_F(RenderCli, ParameterWithoutValueIsAUsageError) {
  CliRun r = teikit_cli({"render", "--to", "html", "--param", "view", sample_tei("cable-plain")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("name=value"), std::string::npos);
}

TEST_F(RenderCli, ViewParameterOpensTheReadingView) {
  CliRun r = teikit_cli({"render", "--to", "html", "--param", "view=reading", sample_tei("cable-plain")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find(R"X(id="view-reading" class="view-input" checked="checked")X"), std::string::npos);
}

TEST_F(RenderCli, StylesheetThatDoesNotCompileExitsFive) {
  CliRun r = teikit_cli({"render", "--xslt", write("bad.xsl", "<xsl:stylesheet version='1.0' "
                                                   "xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
                                                   "<xsl:template match='/'><xsl:value-of select='(('/></xsl:template>"
                                                   "</xsl:stylesheet>"),
                         sample_tei("cable-plain")});
  EXPECT_EQ(r.code, kExitSchema);
  EXPECT_NE(r.err.find("bad.xsl"), std::string::npos) << r.err;
}

TEST_F(RenderCli, NonTeiInputToHtmlFailsClearly) {
  CliRun r = teikit_cli({"render", "--to", "html", write("x.xml", "<x/>")});
  EXPECT_EQ(r.code, kExitUnreadable);
  EXPECT_NE(r.err.find("not a TEI document"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------- security preferences

// exsl:document (and XSLT 2's xsl:document) would write a file: refused, nothing written, a
// message that says so, a non-zero exit.
TEST_F(RenderCli, StylesheetWritingAFileIsRefused) {
  const std::string target = path("written-by-stylesheet.txt");
  const std::string sheet = write("write.xsl", R"X(<xsl:stylesheet version="1.0"
      xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:exsl="http://exslt.org/common"
      extension-element-prefixes="exsl">
    <xsl:template match="/">
      <exsl:document href=")X" + target + R"X(" method="text">owned</exsl:document>
      <out>done</out>
    </xsl:template>
  </xsl:stylesheet>)X");
  CliRun r = teikit_cli({"render", "--xslt", sheet, sample_tei("cable-plain"), "-o", path("out.txt")});
  EXPECT_NE(r.code, kExitOk);
  EXPECT_EQ(r.code, kExitUnreadable);
  EXPECT_FALSE(fs::exists(target));
  EXPECT_FALSE(fs::exists(path("out.txt")));  // a failed transformation writes no output either
  EXPECT_NE(r.err.find("write"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("refused"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(target), std::string::npos) << r.err;
}

// A directory for the written file would have to be created first: refused as well.
TEST_F(RenderCli, StylesheetCreatingADirectoryIsRefused) {
  const std::string target = path("newdir/sub/file.txt");
  const std::string sheet = write("mkdir.xsl", R"X(<xsl:stylesheet version="1.0"
      xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:exsl="http://exslt.org/common"
      extension-element-prefixes="exsl">
    <xsl:template match="/"><exsl:document href=")X" + target + R"X(">x</exsl:document></xsl:template>
  </xsl:stylesheet>)X");
  CliRun r = teikit_cli({"render", "--xslt", sheet, sample_tei("cable-plain")});
  EXPECT_NE(r.code, kExitOk);
  EXPECT_FALSE(fs::exists(path("newdir")));
}

namespace {

// A TCP listener on 127.0.0.1 (a free port), to prove that nothing even tried to connect.
class Listener {
 public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd_, 8) != 0)
      return;
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    fcntl(fd_, F_SETFL, O_NONBLOCK);
  }
  ~Listener() {
    if (fd_ >= 0) close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  int port() const { return port_; }
  // True when a connection is waiting (the kernel completes the handshake before accept()).
  bool was_contacted() const {
    const int c = accept(fd_, nullptr, nullptr);
    if (c >= 0) close(c);
    return c >= 0;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace

// document('http://…') would read from the network: refused, and no connection is made.
TEST_F(RenderCli, StylesheetReadingFromTheNetworkIsRefused) {
  Listener listener;
  ASSERT_GT(listener.port(), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/secret.xml";
  const std::string sheet = write("net.xsl", R"X(<xsl:stylesheet version="1.0"
      xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
    <xsl:template match="/"><out><xsl:copy-of select="document(')X" + url + R"X(')"/></out></xsl:template>
  </xsl:stylesheet>)X");
  CliRun r = teikit_cli({"render", "--xslt", sheet, sample_tei("cable-plain")});
  EXPECT_EQ(r.code, kExitUnreadable);
  EXPECT_NE(r.err.find("refused"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(url), std::string::npos) << r.err;
  EXPECT_FALSE(listener.was_contacted());
}

// The same for a stylesheet module imported from the network at compile time.
TEST_F(RenderCli, StylesheetImportFromTheNetworkIsRefused) {
  Listener listener;
  ASSERT_GT(listener.port(), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/module.xsl";
  const std::string sheet = write("import.xsl", R"X(<xsl:stylesheet version="1.0"
      xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:import href=")X" + url + R"X("/>
    <xsl:template match="/"><out/></xsl:template></xsl:stylesheet>)X");
  CliRun r = teikit_cli({"render", "--xslt", sheet, sample_tei("cable-plain")});
  EXPECT_EQ(r.code, kExitSchema);
  EXPECT_FALSE(listener.was_contacted());
}

// Local reads stay allowed (a stylesheet may read a sibling file), so the refusals above are
// the security preferences at work, not a stylesheet that cannot load documents at all.
TEST_F(RenderCli, StylesheetReadingALocalFileWorks) {
  write("data.xml", "<data>local value</data>");
  const std::string sheet = write("local.xsl", R"X(<xsl:stylesheet version="1.0"
      xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:output method="text"/>
    <xsl:template match="/"><xsl:value-of select="document('data.xml')/data"/></xsl:template>
  </xsl:stylesheet>)X");
  CliRun r = teikit_cli({"render", "--xslt", sheet, sample_tei("cable-plain")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "local value");
}

// document() reads with the project's locked-down parser: an external entity is not fetched
// (the file it names does not reach the output), a DTD is not loaded, and internal entities are
// not expanded (a billion-laughs notes.xml stays small and fast).
TEST_F(RenderCli, DocumentInAStylesheetReadsWithoutEntities) {
  write("secret.txt", "SECRET-7f3a9");
  write("notes.xml", "<!DOCTYPE n [<!ENTITY e SYSTEM \"" + path("secret.txt") +
                         "\"><!ENTITY h SYSTEM \"file:///etc/hostname\">]><n>a&e;b&h;c</n>");
  write("dtd.xml", "<!DOCTYPE n SYSTEM \"" + path("ext.dtd") + "\"><n x=\"1\">&d;</n>");
  write("ext.dtd", "<!ENTITY d \"FROM-DTD\"><!ATTLIST n y CDATA \"DEFAULT-ATTR\">");
  // Each level is ten references to the one below: 10^12 "lol"s if expanded.
  std::string laughs = "<!DOCTYPE n [<!ENTITY l0 \"lol\">";
  for (int i = 1; i <= 12; ++i) {
    laughs += "<!ENTITY l" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) laughs += "&l" + std::to_string(i - 1) + ";";
    laughs += "\">";
  }
  write("laughs.xml", laughs + "]><n>&l12;</n>");
  const std::string sheet = write("notes.xsl", R"X(<xsl:stylesheet version="1.0"
      xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:output method="xml"/>
    <xsl:template match="/"><out>
      <v><xsl:value-of select="document('notes.xml')/n"/></v>
      <c><xsl:copy-of select="document('notes.xml')/n"/></c>
      <d><xsl:value-of select="document('dtd.xml')/n"/>|<xsl:value-of select="document('dtd.xml')/n/@y"/></d>
      <l><xsl:value-of select="string-length(document('laughs.xml')/n)"/></l>
    </out></xsl:template>
  </xsl:stylesheet>)X");
  CliRun r = teikit_cli({"render", "--xslt", sheet, sample_tei("cable-plain")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out.find("SECRET-7f3a9"), std::string::npos) << r.out;
  const std::string hostname = read_file("/etc/hostname");
  if (std::string h = hostname.substr(0, hostname.find('\n')); h.size() >= 3) {
    EXPECT_EQ(r.out.find(h), std::string::npos) << r.out;
  }
  EXPECT_NE(r.out.find("<v>abc</v>"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("FROM-DTD"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("DEFAULT-ATTR"), std::string::npos) << r.out;
  EXPECT_LT(r.out.size(), 10000u);  // 10^12 "lol"s were not expanded
}

// document('/dev/zero') or a FIFO would be read until memory runs out: only regular files are
// read (the run goes on without them, as with any document() that cannot be loaded).
TEST_F(RenderCli, DocumentInAStylesheetReadsOnlyRegularFiles) {
  const std::string fifo = path("notes.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string sheet = write("zero.xsl", R"X(<xsl:stylesheet version="1.0"
      xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:output method="xml"/>
    <xsl:template match="/"><out>
      <z><xsl:value-of select="count(document('/dev/zero'))"/></z>
      <f><xsl:value-of select="count(document('notes.fifo'))"/></f>
    </out></xsl:template>
  </xsl:stylesheet>)X");
  CliRun r = teikit_cli({"render", "--xslt", sheet, sample_tei("cable-plain")});
  // (Read, /dev/zero never ends and a FIFO without a writer blocks the open: this run would
  // not come back.)
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("<z>0</z>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<f>0</f>"), std::string::npos) << r.out;
}

// xsl:include and xsl:import read through the same parser.
TEST_F(RenderCli, IncludedStylesheetReadsWithoutEntities) {
  write("secret.txt", "SECRET-11b2");
  write("module.xsl", "<!DOCTYPE x [<!ENTITY e SYSTEM \"" + path("secret.txt") +
                          "\">]><xsl:stylesheet version=\"1.0\" "
                          "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"><xsl:template "
                          "name=\"m\"><m>[&e;]</m></xsl:template></xsl:stylesheet>");
  const std::string sheet = write("main.xsl", R"X(<xsl:stylesheet version="1.0"
      xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:include href="module.xsl"/>
    <xsl:template match="/"><out><xsl:call-template name="m"/></out></xsl:template>
  </xsl:stylesheet>)X");
  CliRun r = teikit_cli({"render", "--xslt", sheet, sample_tei("cable-plain")});
  EXPECT_EQ(r.out.find("SECRET-11b2"), std::string::npos) << r.out << r.err;
}

// ---------------------------------------------------------------- edition index

TEST_F(RenderCli, IndexListsTheDocumentsByDateAndWritesAValidCorpus) {
  // Three documents, named so that file order is not date order; two have pages.
  sample_tei("cable-plain", "a-1962");        // 1962-04-30
  sample_tei("letter-markdown", "b-1853");    // 1853-08-14
  sample_tei("telegram-markdown", "c-1917");  // 1917-10-06
  write("notes.xml", "<notes/>");             // not TEI: skipped with a warning
  CliRun r = teikit_cli({"render", "--to", "html", path("a-1962.xml"), path("b-1853.xml"), "-o",
                         path("") , "--index", path(""), "--param", "title=Test edition"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.err.find("notes.xml: not a TEI document"), std::string::npos) << r.err;
  EXPECT_EQ(hidden_files(dir_.string()), 0);

  std::string error;
  xml::DocPtr index = xml::parse_file(path("index.html"), error);
  ASSERT_TRUE(index) << error;
  std::vector<xmlNode*> entries;
  find_by_class(xmlDocGetRootElement(index.get()), "entry", entries);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(xml::attribute(entries[0], "id"), "b-1853");
  EXPECT_EQ(xml::attribute(entries[1], "id"), "c-1917");
  EXPECT_EQ(xml::attribute(entries[2], "id"), "a-1962");
  const std::string html = read_file(path("index.html"));
  EXPECT_NE(html.find("<h1>Test edition</h1>"), std::string::npos);
  EXPECT_NE(html.find(R"X(<a href="b-1853.html">Letter from William Ashdown)X"), std::string::npos);
  EXPECT_NE(html.find(R"X(<a href="a-1962.xml" type="application/tei+xml">TEI XML</a>)X"), std::string::npos);
  EXPECT_EQ(html.find(R"X(href="c-1917.html")X"), std::string::npos);  // no page was rendered
  EXPECT_NE(html.find("Ashdown, writing from Port Natal, reports the loss"), std::string::npos);
  // The parties the title names, under each entry's title.
  std::vector<xmlNode*> parties;
  find_by_class(xmlDocGetRootElement(index.get()), "entry-corresp", parties);
  ASSERT_GE(parties.size(), 1u);
  EXPECT_NE(html.find(R"X(<p class="entry-corresp">From <span class="persName">William Ashdown</span> to <span class="persName">Professor Edmund Hartley</span>)X"),
            std::string::npos);
  EXPECT_NE(html.find(R"X(<time class="date" datetime="1917-10-06")X"), std::string::npos);
  EXPECT_NE(html.find(R"X(href="corpus.xml")X"), std::string::npos);

  xml::DocPtr corpus_doc = xml::parse_file(path("corpus.xml"), error);
  ASSERT_TRUE(corpus_doc) << error;
  xmlDoc* c = corpus_doc.get();
  EXPECT_EQ(xpath_count(c, "/t:teiCorpus/t:teiHeader"), 1);
  EXPECT_EQ(xpath_string(c, "/t:teiCorpus/t:teiHeader/t:fileDesc/t:titleStmt/t:title"), "Test edition");
  EXPECT_EQ(xpath_count(c, "/t:teiCorpus/t:teiHeader/t:fileDesc/t:publicationStmt/t:publisher"), 0);
  EXPECT_NE(xpath_string(c, "/t:teiCorpus/t:teiHeader/t:fileDesc/t:publicationStmt/t:authority").find("Unpublished"),
            std::string::npos);
  EXPECT_EQ(xpath_count(c, "/t:teiCorpus/t:TEI"), 3);
  EXPECT_EQ(xpath_count(c, "/t:teiCorpus/t:TEI/t:teiHeader"), 3);
  EXPECT_EQ(xpath_string(c, "/t:teiCorpus/t:TEI[1]/@source"), "b-1853.xml");
  EXPECT_EQ(xpath_string(c, "/t:teiCorpus/t:teiHeader/t:profileDesc/t:creation/t:date/@from"), "1853-08-14");
  // ids are unique, and every pointer still points at an element of its own document.
  EXPECT_EQ(xpath_count(c, "//*[@xml:id = following::*/@xml:id or @xml:id = descendant::*/@xml:id]"), 0);
  EXPECT_GT(xpath_count(c, "//*[@xml:id]"), 3);
  EXPECT_GT(xpath_count(c, "//@resp"), 0);
  EXPECT_EQ(xpath_count(c, "//t:TEI//@resp[not(substring(., 2) = ancestor::t:TEI//@xml:id)]"), 0);
  EXPECT_EQ(xpath_string(c, "(//t:TEI[@xml:id='a-1962']//t:supplied/@resp)[1]"), "#a-1962.translator");
}

TEST_F(RenderCli, IndexAloneAndItsErrors) {
  EXPECT_EQ(teikit_cli({"render"}).code, kExitUsage);  // neither files nor --index
  CliRun empty = teikit_cli({"render", "--index", dir_.string()});
  EXPECT_EQ(empty.code, kExitUnreadable);
  EXPECT_NE(empty.err.find("no TEI documents"), std::string::npos) << empty.err;
  EXPECT_FALSE(fs::exists(path("index.html")));
  EXPECT_EQ(teikit_cli({"render", "--index", path("missing")}).code, kExitUnreadable);
  sample_tei("note-french");
  CliRun ok = teikit_cli({"render", "--index", dir_.string()});
  EXPECT_EQ(ok.code, kExitOk) << ok.err;
  EXPECT_TRUE(fs::exists(path("index.html")));
  EXPECT_TRUE(fs::exists(path("corpus.xml")));
  // A second run reads the directory again but never corpus.xml itself, even when the shell's
  // DIR/*.xml hands it over as an input to render.
  ok = teikit_cli({"render", "--to", "html", path("corpus.xml"), path("note-french.xml"), "-o",
                   dir_.string(), "--index", dir_.string()});
  EXPECT_EQ(ok.code, kExitOk) << ok.err;
  std::string error;
  xml::DocPtr c = xml::parse_file(path("corpus.xml"), error);
  ASSERT_TRUE(c);
  EXPECT_EQ(xpath_count(c.get(), "/t:teiCorpus/t:TEI"), 1);
  EXPECT_FALSE(fs::exists(path("corpus.html")));
  EXPECT_NE(read_file(path("index.html")).find(R"X(<a href="note-french.html">)X"), std::string::npos);
}

// corpus.xml is valid against the official TEI schema (jing, the reference validator).
TEST_F(RenderCli, CorpusOfAllSamplesIsValidTei) {
  const std::string shared = shared_dir();
  if (shared.empty()) GTEST_SKIP() << "../shared (tei_all.rng) is not present";
  if (std::system("command -v jing >/dev/null 2>&1") != 0) GTEST_SKIP() << "jing is not installed";
  int n = 0;
  for (const auto& d : corpus()) {
    write(d.name + ".xml", d.tei);
    ++n;
  }
  CliRun r = teikit_cli({"render", "--index", dir_.string()});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  std::string error;
  xml::DocPtr c = xml::parse_file(path("corpus.xml"), error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(xpath_count(c.get(), "/t:teiCorpus/t:TEI"), n);
  const std::string cmd = "jing " + shared + "/tei-schemas/tei_all.rng " + path("corpus.xml") +
                          " > " + path("jing.log") + " 2>/dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << read_file(path("jing.log"));
}

// A page is written to its temporary as it is made: a transformation that fails after parts of
// the page were written (teikit:chunk) leaves neither the output nor a temporary, and an
// existing output is kept as it was; the error names the input.
TEST_F(RenderCli, TransformationFailingHalfWayLeavesTheOutputUntouched) {
  const std::string sheet = write("stop.xsl", R"X(<xsl:stylesheet version="1.0"
      xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:teikit="urn:x-teikit:xslt"
      extension-element-prefixes="teikit">
    <xsl:output method="xml" indent="no"/>
    <xsl:template match="/">
      <out><teikit:chunk><part>one</part></teikit:chunk><teikit:chunk><part>two</part></teikit:chunk>
        <xsl:message terminate="yes">stopped on purpose</xsl:message></out>
    </xsl:template>
  </xsl:stylesheet>)X");
  const std::string tei = sample_tei("cable-plain");
  CliRun r = teikit_cli({"render", "--xslt", sheet, tei, "-o", path("new.xml")});
  EXPECT_EQ(r.code, kExitUnreadable);
  EXPECT_NE(r.err.find(tei + ": transformation failed"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("new.xml")));
  EXPECT_EQ(hidden_files(dir_.string()), 0);
  // Over a page teikit wrote before.
  const std::string html = path("cable-plain.html");
  ASSERT_EQ(teikit_cli({"render", "--to", "html", tei, "-o", html}).code, kExitOk);
  const std::string before = read_file(html);
  r = teikit_cli({"render", "--xslt", sheet, tei, "-o", html});
  EXPECT_EQ(r.code, kExitUnreadable);
  EXPECT_EQ(read_file(html), before);
  EXPECT_EQ(hidden_files(dir_.string()), 0);
  // Without the failure, the same stylesheet writes the whole page.
  const std::string ok = write("ok.xsl", read_file(sheet).replace(
      read_file(sheet).find("<xsl:message"), std::string("<xsl:message terminate=\"yes\">stopped on purpose</xsl:message>").size(), ""));
  r = teikit_cli({"render", "--xslt", ok, tei, "-o", path("ok.xml")});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(read_file(path("ok.xml")), "<?xml version=\"1.0\"?>\n<out><part>one</part><part>two</part></out>");
}
