// The HTML reading edition (xslt/tei-to-html.xsl): golden fragments for every convention of
// ENCODING.md §4, well-formedness as XML and as HTML, no external resources, the DOM counts
// against the TEI, and the two views against the text round trip (xslt/tei-to-text.xsl).
#include <gtest/gtest.h>

#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>

#include "fuzz/render_invariant.hpp"
#include "render_support.hpp"

using namespace teikit;
using namespace teikit::test;

namespace {

// A minimal TEI document whose text is one paragraph; the header declares a translator, so
// that @resp="#translator" resolves as in the converter's output.
std::string tei_with_paragraph(const std::string& p) {
  return R"(<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc>)"
         R"(<titleStmt><title>T</title><respStmt xml:id="translator"><resp>translation</resp>)"
         R"(<name>Jane Roe</name></respStmt></titleStmt><publicationStmt><p>P</p></publicationStmt>)"
         R"(<sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader><text><body><div><p>)" +
         p + "</p></div></body></text></TEI>";
}

std::string render_html(const std::string& tei, const std::map<std::string, std::string>& params = {}) {
  xml::DocPtr doc = parse_tei(tei);
  if (!doc) return "";
  std::string error;
  const std::string html = apply_sheet("tei-to-html.xsl", doc.get(), error, params);
  EXPECT_EQ(error, "");
  return html;
}

// The page parsed as XML (it is XHTML-compatible; a failure here is a failure of the page).
xml::DocPtr page_as_xml(const std::string& html) {
  std::string error;
  xml::DocPtr doc = xml::parse_memory(html, "page.html", error);
  EXPECT_TRUE(doc) << error;
  return doc;
}

// Whitespace runs as one space, trimmed.
std::string collapse(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

struct Golden {
  const char* name;      // convention
  const char* tei;       // content of one TEI <p>
  const char* html;      // the <p> the page must contain, exactly
  const char* diplomatic;  // its text in the diplomatic view
  const char* reading;     // its text in the reading view
};

// Every row of ENCODING.md §4 (and a §5 date), as the converter encodes it.
const Golden kGoldens[] = {
    {"omission",  // [...]
     R"G(Zhang came <gap reason="editorial" resp="#translator"/> today.)G",
     R"G(<p class="p">Zhang came <span class="gap" role="img" aria-label="Left out by the translator, Jane Roe" title="Left out by the translator, Jane Roe" data-reason="editorial" data-resp="#translator"><span class="dipl">[…]</span><span class="read">…</span></span> today.</p>)G",
     R"G(Zhang came […] today.)G", R"G(Zhang came … today.)G"},
    {"illegible",  // [illegible]
     R"G(Mr. <gap reason="illegible"/> for reply.)G",
     R"G(<p class="p">Mr. <span class="gap" role="img" aria-label="Illegible in the source" title="Illegible in the source" data-reason="illegible"><span class="dipl">[illegible]</span><span class="read">…</span></span> for reply.</p>)G",
     R"G(Mr. [illegible] for reply.)G", R"G(Mr. … for reply.)G"},
    {"illegible-extent",  // [2 words illegible]
     R"G(some <gap reason="illegible" quantity="2" unit="word" resp="#translator"/> presses)G",
     R"G(<p class="p">some <span class="gap" role="img" aria-label="Illegible in the source, 2 words (noted by the translator, Jane Roe)" title="Illegible in the source, 2 words (noted by the translator, Jane Roe)" data-reason="illegible" data-quantity="2" data-unit="word" data-resp="#translator"><span class="dipl">[2 words illegible]</span><span class="read">…</span></span> presses</p>)G",
     R"G(some [2 words illegible] presses)G", R"G(some … presses)G"},
    {"illegible-desc",  // [illegible signature]
     R"G(<gap reason="illegible"><desc>illegible signature</desc></gap>)G",
     R"G(<p class="p"><span class="gap" role="img" aria-label="Illegible in the source: “illegible signature”" title="Illegible in the source: “illegible signature”" data-reason="illegible"><span class="dipl">[<span class="gap-desc">illegible signature</span>]</span><span class="read">…</span></span></p>)G",
     R"G([illegible signature])G", R"G(…)G"},
    {"unclear",  // word [?]
     R"G(the end <unclear resp="#translator">use</unclear> of it)G",
     R"G(<p class="p">the end <span class="unclear" role="group" aria-label="Uncertain reading (noted by the translator, Jane Roe)" title="Uncertain reading (noted by the translator, Jane Roe)" data-resp="#translator">use<span class="sign dipl"> [?]</span></span> of it</p>)G",
     R"G(the end use [?] of it)G", R"G(the end use of it)G"},
    {"conjecture",  // [word?]
     R"G(in <supplied cert="low" resp="#translator">Buenos Aires</supplied>.)G",
     R"G(<p class="p">in <span class="supplied" role="group" aria-label="Conjecture, supplied by the translator, Jane Roe (uncertain)" title="Conjecture, supplied by the translator, Jane Roe (uncertain)" data-cert="low" data-resp="#translator"><span class="sign dipl">[</span>Buenos Aires<span class="sign dipl">?]</span></span>.</p>)G",
     R"G(in [Buenos Aires?].)G", R"G(in Buenos Aires.)G"},
    {"sic",  // word [sic]
     R"G(would <sic resp="#translator">embarass</sic> the)G",
     R"G(<p class="p">would <span class="sic" role="group" aria-label="Sic: reproduced as found in the source (noted by the translator, Jane Roe)" title="Sic: reproduced as found in the source (noted by the translator, Jane Roe)" data-resp="#translator">embarass<span class="sign dipl"> [sic]</span></span> the</p>)G",
     R"G(would embarass [sic] the)G", R"G(would embarass the)G"},
    {"withheld",  // [1½ lines not declassified], [less than 1 line …]
     R"G(from <gap reason="withheld" quantity="1.5" unit="line"><desc>1½ lines not declassified</desc></gap> and <gap reason="withheld" atMost="1" unit="line"><desc>less than 1 line of source text not declassified</desc></gap>)G",
     R"G(<p class="p">from <span class="gap" role="img" aria-label="Withheld (not declassified), 1.5 lines: “1½ lines not declassified”" title="Withheld (not declassified), 1.5 lines: “1½ lines not declassified”" data-reason="withheld" data-quantity="1.5" data-unit="line"><span class="dipl">[<span class="gap-desc">1½ lines not declassified</span>]</span><span class="read">…</span></span> and <span class="gap" role="img" aria-label="Withheld (not declassified), at most 1 line: “less than 1 line of source text not declassified”" title="Withheld (not declassified), at most 1 line: “less than 1 line of source text not declassified”" data-reason="withheld" data-atmost="1" data-unit="line"><span class="dipl">[<span class="gap-desc">less than 1 line of source text not declassified</span>]</span><span class="read">…</span></span></p>)G",
     R"G(from [1½ lines not declassified] and [less than 1 line of source text not declassified])G", R"G(from … and …)G"},
    {"page",  // [Page 12]
     R"G(end of one page <pb n="12"/>and the next)G",
     R"G(<p class="p">end of one page <span class="pb" role="separator" aria-label="Page 12 of the source begins here" title="Page 12 of the source begins here" data-n="12" id="page-12"><span class="sign dipl">[</span>Page 12<span class="sign dipl">]</span></span>and the next</p>)G",
     R"G(end of one page [Page 12]and the next)G", R"G(end of one page Page 12and the next)G"},
    {"editorial-omission",  // [Omitted here is …]
     R"G(4. <gap reason="editorial" quantity="1" unit="paragraph"><desc>Omitted here is a paragraph.</desc></gap>)G",
     R"G(<p class="p">4. <span class="gap" role="img" aria-label="Left out by the editor, 1 paragraph: “Omitted here is a paragraph.”" title="Left out by the editor, 1 paragraph: “Omitted here is a paragraph.”" data-reason="editorial" data-quantity="1" data-unit="paragraph"><span class="dipl">[<span class="gap-desc">Omitted here is a paragraph.</span>]</span><span class="read">…</span></span></p>)G",
     R"G(4. [Omitted here is a paragraph.])G", R"G(4. …)G"},
    {"received",  // [Received …]
     R"G(<note type="received">Received <date when="1917-10-09T21:30:00" evidence="internal">October 9, 9.30 p.m.</date></note>)G",
     R"G(<p class="p"><span class="note" role="note" aria-label="Receipt note" title="Receipt note" data-type="received"><span class="sign dipl">[</span>Received <time class="date" datetime="1917-10-09T21:30:00" title="1917-10-09 21:30 (inferred from the context)">October 9, 9.30 p.m.</time><span class="sign dipl">]</span></span></p>)G",
     R"G([Received October 9, 9.30 p.m.])G", R"G(Received October 9, 9.30 p.m.)G"},
    {"source",  // [Source: …]
     R"G(<note type="source">Source: Example Archives, vol. 11.</note>)G",
     R"G(<p class="p"><span class="note" role="note" aria-label="Source note of the edition" title="Source note of the edition" data-type="source"><span class="sign dipl">[</span>Source: Example Archives, vol. 11.<span class="sign dipl">]</span></span></p>)G",
     R"G([Source: Example Archives, vol. 11.])G", R"G(Source: Example Archives, vol. 11.)G"},
    {"label-seal",  // [Telegram], [l. s.]
     R"G(<note type="editorial">Telegram</note> <seg type="seal">l. s.</seg>)G",
     R"G(<p class="p"><span class="note" role="note" aria-label="The editor’s label" title="The editor’s label" data-type="editorial"><span class="sign dipl">[</span>Telegram<span class="sign dipl">]</span></span> <span class="seal" role="group" aria-label="Place of the seal (locus sigilli)" title="Place of the seal (locus sigilli)"><span class="sign dipl">[</span>l. s.<span class="sign dipl">]</span></span></p>)G",
     R"G([Telegram] [l. s.])G", R"G(Telegram l. s.)G"},
    {"handwritten-stamp",  // [handwritten: X], [stamp: X]
     R"G(<add hand="#handwritten">Refer to Mr. <gap reason="illegible"/> for reply.</add> <stamp>Received Jun 16 1941</stamp>)G",
     R"G(<p class="p"><span class="add" role="group" aria-label="Handwritten addition" title="Handwritten addition" data-hand="#handwritten"><span class="sign dipl">[handwritten: </span>Refer to Mr. <span class="gap" role="img" aria-label="Illegible in the source" title="Illegible in the source" data-reason="illegible"><span class="dipl">[illegible]</span><span class="read">…</span></span> for reply.<span class="sign dipl">]</span></span> <span class="stamp" role="group" aria-label="Stamp on the source" title="Stamp on the source"><span class="sign dipl">[stamp: </span><span class="stamp-text">Received Jun 16 1941</span><span class="sign dipl">]</span></span></p>)G",
     R"G([handwritten: Refer to Mr. [illegible] for reply.] [stamp: Received Jun 16 1941])G", R"G(Refer to Mr. … for reply. Received Jun 16 1941)G"},
    {"supplied",  // [To the], S[umner]
     R"G(The Honorable S<supplied>umner</supplied> W<supplied>elles</supplied> and <supplied resp="#translator">To the</supplied> Committee)G",
     R"G(<p class="p">The Honorable S<span class="supplied" role="group" aria-label="Supplied by the editor" title="Supplied by the editor"><span class="sign dipl">[</span>umner<span class="sign dipl">]</span></span> W<span class="supplied" role="group" aria-label="Supplied by the editor" title="Supplied by the editor"><span class="sign dipl">[</span>elles<span class="sign dipl">]</span></span> and <span class="supplied" role="group" aria-label="Supplied by the translator, Jane Roe" title="Supplied by the translator, Jane Roe" data-resp="#translator"><span class="sign dipl">[</span>To the<span class="sign dipl">]</span></span> Committee</p>)G",
     R"G(The Honorable S[umner] W[elles] and [To the] Committee)G", R"G(The Honorable Sumner Welles and To the Committee)G"},
    {"date",  // §5 dates
     R"G(on the <date when="1962-04-29T18:00:00" evidence="internal">29th of <supplied resp="#translator">April</supplied></date>)G",
     R"G(<p class="p">on the <time class="date" datetime="1962-04-29T18:00:00" title="1962-04-29 18:00 (inferred from the context)">29th of <span class="supplied" role="group" aria-label="Supplied by the translator, Jane Roe" title="Supplied by the translator, Jane Roe" data-resp="#translator"><span class="sign dipl">[</span>April<span class="sign dipl">]</span></span></time></p>)G",
     R"G(on the 29th of [April])G", R"G(on the 29th of April)G"},
    {"hand-shift-parenthesised-note",  // [handwritten:], (Received November 9, 1870.)
     R"G(Ends. <handShift new="#handwritten"/> Seen. <note type="received" rend="parentheses">Received <date when="1870-11-09">November 9, 1870</date>.</note>)G",
     R"G(<p class="p">Ends. <span class="handshift" role="note" aria-label="What follows is in another hand" title="What follows is in another hand" data-new="#handwritten"><span class="sign dipl">[handwritten:]</span></span> Seen. <span class="note" role="note" aria-label="Receipt note" title="Receipt note" data-type="received">(Received <time class="date" datetime="1870-11-09" title="1870-11-09">November 9, 1870</time>.)</span></p>)G",
     R"G(Ends. [handwritten:] Seen. (Received November 9, 1870.))G", R"G(Ends. Seen. (Received November 9, 1870.))G"},
};

class HtmlGolden : public ::testing::TestWithParam<Golden> {};

}  // namespace

TEST_P(HtmlGolden, FragmentAndBothViews) {
  const Golden& g = GetParam();
  const std::string html = render_html(tei_with_paragraph(g.tei));
  const auto start = html.find("<section class=\"tei-div\">");
  const auto end = html.find("</section></main>");
  ASSERT_NE(start, std::string::npos) << html;
  ASSERT_NE(end, std::string::npos) << html;
  const std::string body = html.substr(start + 25, end - start - 25);
  EXPECT_EQ(body, g.html);
  xml::DocPtr doc = page_as_xml(html);
  ASSERT_TRUE(doc);
  xmlNode* main = find_element(xmlDocGetRootElement(doc.get()), "main");
  ASSERT_TRUE(main);
  EXPECT_EQ(collapse(view_text(main, View::Diplomatic)), g.diplomatic);
  EXPECT_EQ(collapse(view_text(main, View::Reading)), g.reading);
}

INSTANTIATE_TEST_SUITE_P(Conventions, HtmlGolden, ::testing::ValuesIn(kGoldens),
                         [](const ::testing::TestParamInfo<Golden>& i) {
                           std::string n = i.param.name;
                           for (char& c : n) if (c == '-') c = '_';
                           return n;
                         });

TEST(Html, SignStandingBetweenBlocksIsAParagraphWithoutTheSignsClass) {
  const std::string tei = tei_with_paragraph("Text.</p><gap reason=\"editorial\"/><p>More.");
  const std::string html = render_html(tei);
  EXPECT_NE(html.find("<p class=\"p\">Text.</p><p class=\"blk\"><span class=\"gap\" role=\"img\""),
            std::string::npos) << html;
  EXPECT_EQ(html.find("<p class=\"gap\""), std::string::npos);
}

TEST(Html, LineBreaksInsideATextBecomeBr) {
  const std::string html = render_html(tei_with_paragraph("Harold P. Crane\nPresident"));
  EXPECT_NE(html.find("<p class=\"p\">Harold P. Crane<br/>President</p>"), std::string::npos) << html;
}

TEST(Html, ViewParameterSelectsTheReadingView) {
  const std::string tei = tei_with_paragraph("x");
  const std::string dipl = render_html(tei);
  const std::string read = render_html(tei, {{"view", "reading"}});
  EXPECT_NE(dipl.find(R"(id="view-diplomatic" class="view-input" checked="checked")"), std::string::npos);
  EXPECT_EQ(dipl.find(R"(id="view-reading" class="view-input" checked="checked")"), std::string::npos);
  EXPECT_NE(read.find(R"(id="view-reading" class="view-input" checked="checked")"), std::string::npos);
  EXPECT_EQ(read.find(R"(id="view-diplomatic" class="view-input" checked="checked")"), std::string::npos);
}

TEST(Html, MetadataPanelFromTheHeader) {
  const auto& docs = corpus();
  const auto it = std::find_if(docs.begin(), docs.end(),
                               [](const CorpusDoc& d) { return d.name == "sample-cable-plain"; });
  ASSERT_NE(it, docs.end());
  const std::string html = render_html(it->tei);
  xml::DocPtr page = page_as_xml(html);
  ASSERT_TRUE(page);
  std::vector<xmlNode*> meta;
  find_by_class(xmlDocGetRootElement(page.get()), "meta", meta);
  ASSERT_EQ(meta.size(), 1u);
  const std::string text = collapse(view_text(meta[0], View::Diplomatic));
  for (const char* want :
       {"Date April 30, 1962", "Citation \"Cable from the Chinese Foreign Ministry",
        "https://example.org/document/120417", "Archival signature PRC FMA 118-01162-03, 14",
        "Translator Mei Lindqvist", "Funder the Halvorsen Foundation", "Original Language Chinese",
        "Summary The Foreign Ministry instructs the Xinjiang authorities"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\nin: " << text;
  EXPECT_NE(html.find(R"(<a class="ref" href="https://example.org/document/120417">)"), std::string::npos);
  EXPECT_NE(html.find("<title>Cable from the Chinese Foreign Ministry"), std::string::npos);
}

// Under the title, "From A (place) to B, date"; the source note under its own heading; the
// stated licence linked.
TEST(Html, CorrespondentsSourceNoteAndLicence) {
  const std::string tei =
      R"(<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc>)"
      R"(<titleStmt><title>Letter to B</title></titleStmt><publicationStmt><authority>Unpublished )"
      R"(edition</authority><idno type="edition">x</idno><availability status="restricted">)"
      R"(<licence target="https://creativecommons.org/licenses/by-nc/3.0/">CC BY-NC 3.0</licence>)"
      R"(</availability></publicationStmt><sourceDesc><bibl>"<title>B</title>")"
      R"(<note type="source">File No. 861.51/222</note></bibl></sourceDesc></fileDesc>)"
      R"(<profileDesc><correspDesc><correspAction type="sent"><persName>David Livingstone</persName>)"
      R"(<placeName>Kuruman</placeName><date when="1845-01-25"/></correspAction>)"
      R"(<correspAction type="received"><persName>Benjamin T. Pyne</persName></correspAction>)"
      R"(</correspDesc></profileDesc></teiHeader><text><body><div><p>x</p></div></body></text></TEI>)";
  const std::string html = render_html(tei);
  xml::DocPtr page = page_as_xml(html);
  ASSERT_TRUE(page);
  std::vector<xmlNode*> line;
  find_by_class(xmlDocGetRootElement(page.get()), "doc-corresp", line);
  ASSERT_EQ(line.size(), 1u);
  EXPECT_EQ(collapse(view_text(line[0], View::Diplomatic)),
            "From David Livingstone (Kuruman) to Benjamin T. Pyne, 1845-01-25");
  std::vector<xmlNode*> meta;
  find_by_class(xmlDocGetRootElement(page.get()), "meta", meta);
  ASSERT_EQ(meta.size(), 1u);
  const std::string text = collapse(view_text(meta[0], View::Diplomatic));
  EXPECT_NE(text.find("Source note File No. 861.51/222"), std::string::npos) << text;
  EXPECT_EQ(text.find("Summary"), std::string::npos) << text;
  EXPECT_NE(html.find(R"(<a href="https://creativecommons.org/licenses/by-nc/3.0/">CC BY-NC 3.0</a>)"),
            std::string::npos);
  EXPECT_NE(text.find("Unpublished edition"), std::string::npos) << text;
}

TEST(Html, NotATeiDocumentIsAnError) {
  xml::DocPtr doc = parse_tei("<x/>");
  std::string error;
  EXPECT_EQ(apply_sheet("tei-to-html.xsl", doc.get(), error), "");
  EXPECT_NE(error.find("not a TEI document"), std::string::npos) << error;
}

// ---------------------------------------------------------------- every document of the corpus

namespace {

class HtmlCorpus : public ::testing::TestWithParam<CorpusDoc> {
 protected:
  void SetUp() override {
    tei_ = parse_tei(GetParam().tei);
    ASSERT_TRUE(tei_) << GetParam().name;
    std::string error;
    html_ = apply_sheet("tei-to-html.xsl", tei_.get(), error);
    ASSERT_EQ(error, "");
    page_ = page_as_xml(html_);
    ASSERT_TRUE(page_);
    main_ = find_element(xmlDocGetRootElement(page_.get()), "main");
    ASSERT_TRUE(main_);
  }
  xml::DocPtr tei_, page_;
  std::string html_;
  xmlNode* main_ = nullptr;
};

std::string doc_name(const ::testing::TestParamInfo<CorpusDoc>& i) {
  std::string n = i.param.name;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

// HTML5 elements that libxml2's HTML parser (HTML 4 era) does not know; it reports them as
// "Tag … invalid" (XML_HTML_UNKNOWN_TAG) but parses them correctly. Nothing else is allowed.
const std::set<std::string> kHtml5Elements = {"main", "section", "header", "footer", "nav",
                                              "aside", "article", "time", "details", "summary"};

}  // namespace

TEST_P(HtmlCorpus, ParsesAsXmlAndAsHtmlWithoutErrors) {
  // As XML: SetUp parsed it. As HTML:
  std::vector<HtmlParseError> errors;
  xml::DocPtr doc = parse_html(html_, errors);
  ASSERT_TRUE(doc);
  for (const auto& e : errors) {
    std::smatch m;
    const bool html5_tag = e.code == XML_HTML_UNKNOWN_TAG &&
                           std::regex_search(e.message, m, std::regex("Tag (\\w+) invalid")) &&
                           kHtml5Elements.count(m[1]);
    EXPECT_TRUE(html5_tag) << "HTML parser: " << e.code << " " << e.message;
  }
  // Both parsers see the same tree: same number of elements (an XML-style <span/> would open
  // an element for the HTML parser and change the count).
  const std::string count = "count(//*)";
  xml::XPathContextPtr hx(xmlXPathNewContext(doc.get())), xx(xmlXPathNewContext(page_.get()));
  xml::XPathObjectPtr hc(xmlXPathEvalExpression(BAD_CAST count.c_str(), hx.get()));
  xml::XPathObjectPtr xc(xmlXPathEvalExpression(BAD_CAST count.c_str(), xx.get()));
  EXPECT_EQ(hc->floatval, xc->floatval);
  // No non-void element is written in XML's empty form.
  std::smatch m;
  const std::regex self_closing("<([a-zA-Z0-9]+)[^<>]*/>");
  for (auto it = std::sregex_iterator(html_.begin(), html_.end(), self_closing);
       it != std::sregex_iterator(); ++it) {
    const std::string tag = (*it)[1];
    EXPECT_TRUE(tag == "br" || tag == "meta" || tag == "input" || tag == "hr" || tag == "wbr")
        << "self-closing <" << tag << "/>";
  }
  EXPECT_EQ(html_.rfind("<!DOCTYPE html", 0), 0u);
  // ids are unique, and every aria-labelledby / label[for] / in-page link points at one.
  std::set<std::string> ids;
  std::vector<std::string> refs;
  struct Walk {
    static void run(xmlNode* n, std::set<std::string>& ids, std::vector<std::string>& refs) {
      for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        const std::string id = xml::attribute(n, "id");
        if (!id.empty()) {
          EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
        }
        for (const char* a : {"aria-labelledby", "for"})
          if (const std::string r = xml::attribute(n, a); !r.empty()) refs.push_back(r);
        if (const std::string h = xml::attribute(n, "href"); h.rfind("#", 0) == 0) refs.push_back(h.substr(1));
        run(n->children, ids, refs);
      }
    }
  };
  Walk::run(xmlDocGetRootElement(page_.get()), ids, refs);
  for (const auto& r : refs) EXPECT_TRUE(ids.count(r)) << "reference to missing id " << r;
}

TEST_P(HtmlCorpus, NoExternalResources) {
  xml::XPathContextPtr ctx(xmlXPathNewContext(page_.get()));
  xmlXPathRegisterNs(ctx.get(), BAD_CAST "h", BAD_CAST "http://www.w3.org/1999/xhtml");
  auto count = [&](const char* e) {
    xml::XPathObjectPtr r(xmlXPathEvalExpression(BAD_CAST e, ctx.get()));
    return r && r->nodesetval ? r->nodesetval->nodeNr : -1;
  };
  EXPECT_EQ(count("//h:script | //h:link | //h:img | //h:iframe | //h:object | //h:embed | "
                  "//h:video | //h:audio | //h:source | //h:picture | //h:form"), 0);
  EXPECT_EQ(count("//@src | //@srcset | //@poster | //@data | //@action | //@formaction | "
                  "//@background | //@style"), 0);
  // The only absolute link is the source's own URL, in the citation of the metadata panel.
  const std::string source_url = xpath_string(tei_.get(), "//t:sourceDesc//t:ref/@target");
  xml::XPathObjectPtr hrefs(xmlXPathEvalExpression(BAD_CAST "//@href", ctx.get()));
  for (int i = 0; hrefs && hrefs->nodesetval && i < hrefs->nodesetval->nodeNr; ++i) {
    xmlNode* attr = hrefs->nodesetval->nodeTab[i];
    const std::string v = xml::text_content(attr);
    if (v.rfind("#", 0) == 0) continue;  // in-page
    EXPECT_EQ(v, source_url) << "href to " << v;
    EXPECT_TRUE(xmlStrEqual(attr->parent->name, BAD_CAST "a"));
  }
  const std::string css = xpath_string(page_.get(), "//*[local-name()='style']");
  EXPECT_FALSE(css.empty());
  EXPECT_EQ(css.find("url("), std::string::npos);
  EXPECT_EQ(css.find("@import"), std::string::npos);
  EXPECT_EQ(css.find("@font-face"), std::string::npos);
}

// Every gap, supplied, sic and unclear of the TEI is one element with that class, a role and a
// label (aria-label = title) in the page; page breaks and notes too.
TEST_P(HtmlCorpus, InterventionsCountAsInTheTei) {
  xmlNode* root = xmlDocGetRootElement(page_.get());
  for (const char* kind : {"gap", "supplied", "sic", "unclear"}) {
    std::vector<xmlNode*> found;
    find_by_class(root, kind, found);
    EXPECT_EQ(static_cast<int>(found.size()), xpath_count(tei_.get(), std::string("//t:") + kind))
        << kind << " in the whole page";
  }
  for (const char* kind : {"gap", "supplied", "sic", "unclear", "pb", "note", "add", "stamp"}) {
    std::vector<xmlNode*> found;
    find_by_class(main_, kind, found);
    // A distribution list's note (closer/note[@type='distribution']) is the list's wrapper, laid
    // out as a list, not an intervention.
    const std::string which = std::string(kind) == "note" ? "note[not(@type = 'distribution')]" : kind;
    EXPECT_EQ(static_cast<int>(found.size()), xpath_count(tei_.get(), "//t:text//t:" + which))
        << kind << " in the text";
    for (xmlNode* n : found) {
      const std::string label = xml::attribute(n, "aria-label");
      EXPECT_FALSE(label.empty()) << kind;
      EXPECT_EQ(xml::attribute(n, "title"), label) << kind;
      EXPECT_FALSE(xml::attribute(n, "role").empty()) << kind;  // aria-label needs a role
    }
  }
  // Gap reasons in document order, and each label says why.
  std::vector<xmlNode*> gaps;
  find_by_class(root, "gap", gaps);
  for (std::size_t i = 0; i < gaps.size(); ++i) {
    const std::string reason =
        xpath_string(tei_.get(), "(//t:gap)[" + std::to_string(i + 1) + "]/@reason");
    EXPECT_EQ(xml::attribute(gaps[i], "data-reason"), reason);
    const std::string label = xml::attribute(gaps[i], "aria-label");
    const std::string why = reason == "illegible"  ? "Illegible"
                            : reason == "withheld" ? "Withheld"
                            : reason == "lost"     ? "Lost"
                                                   : "Left out";
    EXPECT_EQ(label.rfind(why, 0), 0u) << label;
  }
  // Dates carry their normalised value.
  std::vector<xmlNode*> dates;
  find_by_class(main_, "date", dates);
  EXPECT_EQ(static_cast<int>(dates.size()), xpath_count(tei_.get(), "//t:text//t:date[node()]"));
  for (xmlNode* d : dates) {
    if (xmlStrEqual(d->name, BAD_CAST "time")) {
      EXPECT_FALSE(xml::attribute(d, "datetime").empty());
    }
  }
}

// The diplomatic view is the transcription in its canonical notation: the text round trip of
// the body, character for character (whitespace aside, "…" for "...").
TEST_P(HtmlCorpus, DiplomaticViewIsTheTextRoundTrip) {
  std::string error;
  const std::string text = apply_sheet("tei-to-text.xsl", tei_.get(), error, {{"part", "body"}});
  ASSERT_EQ(error, "");
  EXPECT_EQ(squeeze(view_text(main_, View::Diplomatic)), squeeze(text));
}

// The reading view = the text round trip modulo bracket signs: with the signs the reading view
// drops by design ([sic], [?], handwritten:, stamp:) left out and every gap a "…".
TEST_P(HtmlCorpus, ReadingViewIsTheTextRoundTripWithoutBracketSigns) {
  std::string error;
  const std::string text = reading_round_trip(GetParam().tei, error);
  ASSERT_EQ(error, "");
  const std::string reading = view_text(main_, View::Reading);
  EXPECT_EQ(without(squeeze(reading), "[]"), without(squeeze(text), "[]"));
  // And no sign of the diplomatic view is left in it.
  for (const char* sign : {"[sic]", "[?]", "[handwritten:", "[stamp:", "[illegible]"})
    EXPECT_EQ(reading.find(sign), std::string::npos) << sign;
}

// Every word of the header's transcription (date line, title, Citation, Summary, Credits,
// Original Language, Contents, unknown fields) is on the page outside the text.
TEST_P(HtmlCorpus, HeaderWordsAreInTheMetadataPanel) {
  std::string error;
  const std::string header = apply_sheet("tei-to-text.xsl", tei_.get(), error, {{"part", "header"}});
  ASSERT_EQ(error, "");
  std::vector<xmlNode*> meta;
  find_by_class(xmlDocGetRootElement(page_.get()), "meta", meta);
  ASSERT_EQ(meta.size(), 1u);
  std::multiset<std::string> shown;
  for (const auto& w : words(view_text(meta[0], View::Diplomatic))) shown.insert(w);
  // A Summary that is the edition's source note is shown under "Source note", not "Summary".
  const bool source_note = teikit::test::xpath_count(tei_.get(), "//t:sourceDesc/t:bibl/t:note[@type='source']") > 0;
  for (const auto& w : words(header)) {
    if (source_note && w == "Summary") {
      EXPECT_TRUE(shown.count("Source") && shown.count("note"));
      continue;
    }
    EXPECT_TRUE(shown.count(w)) << "header word '" << w << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(Documents, HtmlCorpus, ::testing::ValuesIn(corpus()), doc_name);

// ---------------------------------------------------------------- Markdown

class MarkdownCorpus : public ::testing::TestWithParam<CorpusDoc> {};

// The Markdown is the text round trip with markup on top: remove the escapes and the markup it
// adds and the texts are the same.
TEST_P(MarkdownCorpus, IsTheTextRoundTripWithMarkup) {
  xml::DocPtr tei = parse_tei(GetParam().tei);
  ASSERT_TRUE(tei);
  std::string error;
  const std::string md = apply_sheet("tei-to-markdown.xsl", tei.get(), error);
  ASSERT_EQ(error, "");
  const std::string text = apply_sheet("tei-to-text.xsl", tei.get(), error);
  ASSERT_EQ(error, "");
  // Brackets are escaped, so no "[" can start a link.
  EXPECT_FALSE(std::regex_search(md, std::regex(R"((^|[^\\])\[)")));
  std::string plain;
  for (std::size_t i = 0; i < md.size(); ++i) {
    if (md[i] == '\\' && i + 1 < md.size() && std::ispunct(static_cast<unsigned char>(md[i + 1]))) {
      plain += md[++i];
      continue;
    }
    plain += md[i];
  }
  auto strip = [](std::string s) { return without(squeeze(s), "*#"); };
  EXPECT_EQ(strip(plain), strip(text));
}

INSTANTIATE_TEST_SUITE_P(Documents, MarkdownCorpus, ::testing::ValuesIn(corpus()), doc_name);

// ---------------------------------------------------------------- links: the URL allow-list

namespace {

// A TEI document whose licence (availability/licence/@target) is `url` (an attribute value as
// written in XML, character references allowed) and whose text links it with ref and ptr.
std::string tei_linking(const std::string& url) {
  return R"(<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>)"
         R"(</titleStmt><publicationStmt><publisher>P</publisher><availability><licence target=")" +
         url + R"(">Licence</licence></availability></publicationStmt><sourceDesc><bibl>B )"
         R"(<ref target=")" + url + R"(">cited</ref></bibl></sourceDesc></fileDesc></teiHeader>)"
         R"(<text><body><p>See <ref target=")" + url + R"(">this</ref> and <ptr target=")" + url +
         R"("/>.</p></body></text></TEI>)";
}

// The href values of the page's <a> elements (the skip link aside), as the XML parser reads them.
std::vector<std::string> hrefs(const std::string& html) {
  std::vector<std::string> out;
  std::string error;
  xml::DocPtr page = xml::parse_memory(html, "page.html", error);
  EXPECT_TRUE(page) << error;
  if (!page) return out;
  xml::XPathContextPtr ctx(xmlXPathNewContext(page.get()));
  xml::XPathObjectPtr r(xmlXPathEvalExpression(BAD_CAST "//@href | //@src | //@action | //@formaction", ctx.get()));
  for (int i = 0; r && r->nodesetval && i < r->nodesetval->nodeNr; ++i) {
    const std::string v = xml::text_content(r->nodesetval->nodeTab[i]);
    if (v != "#text") out.push_back(v);
  }
  return out;
}

}  // namespace

// Every scheme outside http, https, mailto (and relative links) is shown as text, never linked:
// written the way browsers still read as a scheme (case, leading spaces, tab and line feeds
// anywhere, character references).
TEST(HtmlLinks, SchemesOutsideTheAllowListAreNeverLinked) {
  const char* const hostile[] = {
      "javascript:alert(document.domain)", "JaVaScRiPt:alert(1)", "&#32;&#32;JaVa&#9;Script:alert(1)",
      "java&#x0A;script:alert(1)", "java&#x0D;script:alert(1)", "&#x09;javascript:alert(1)",
      "javascript&#x3A;alert(1)", "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;",
      "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
      "file:///etc/passwd", "blob:https://example.org/0d1e", "//evil.example/x", "\\\\evil.example\\x",
      "/\\evil.example", " //evil.example", "ja va:x", ":x"};
  for (const char* url : hostile) {
    SCOPED_TRACE(url);
    const std::string html = render_html(tei_linking(url));
    ASSERT_FALSE(html.empty());
    EXPECT_EQ(hrefs(html), std::vector<std::string>{});
    // The licence's URL stays readable, as text.
    EXPECT_NE(html.find("<span class=\"url-unlinked\">("), std::string::npos);
  }
}

TEST(HtmlLinks, AllowedSchemesAndRelativeLinks) {
  // Licences may be any allowed URL; ref/ptr only absolute http(s) (the source's own URL).
  const std::pair<const char*, int> allowed[] = {
      {"https://creativecommons.org/licenses/by/4.0/", 4}, {"http://example.org/l", 4},
      {"HTTPS://example.org/l", 1}, {"mailto:editor@example.org", 1}, {"licence.html", 1},
      {"../LICENCE.txt#s2", 1}, {"#licence", 1}, {"notes/a:b.html", 1}};
  for (const auto& [url, links] : allowed) {
    SCOPED_TRACE(url);
    const std::string html = render_html(tei_linking(url));
    const auto found = hrefs(html);
    EXPECT_EQ(static_cast<int>(found.size()), links);
    for (const auto& h : found) EXPECT_EQ(h, url);
  }
}

// `teikit convert --licence-url 'javascript:…'` writes licence/@target; the page shows the URL
// as text. (The converter's own check is the validator's rule url-scheme-not-allowed.)
TEST(HtmlLinks, LicenceOptionOfTheConverterIsNotLinked) {
  ConvertOptions o;
  o.publication.licence = "CC BY 4.0";
  o.publication.licence_url = "javascript:alert(document.domain)";
  const ConvertResult r = convert("x.txt", read_file(source_dir() + "/samples/cable-plain.txt"), o);
  ASSERT_NE(r.xml.find("javascript:alert"), std::string::npos) << "the option did not reach the TEI";
  const std::string html = render_html(r.xml);
  EXPECT_EQ(html.find("href=\"javascript"), std::string::npos);
  EXPECT_NE(html.find("(javascript:alert(document.domain))"), std::string::npos);
}

// Markdown writes no links at all: a hostile URL in the TEI stays text after CommonMark.
TEST(HtmlLinks, MarkdownOfHostileLinksHasNoLink) {
  xml::DocPtr tei = parse_tei(tei_linking("javascript:alert(1)"));
  std::string error;
  const std::string md = apply_sheet("tei-to-markdown.xsl", tei.get(), error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(md.find("](javascript"), std::string::npos) << md;
  EXPECT_EQ(md.find("<javascript"), std::string::npos) << md;
}

// ---------------------------------------------------------------- the page as an HTML parser reads it

namespace {

// The element tree of `n` as "name(child child …)", names lower case, text ignored: what an
// HTML parser and the XML parser must agree on.
void shape(xmlNode* n, std::string& out) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    std::string name = reinterpret_cast<const char*>(n->name);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += name;
    if (n->children) {
      out += '(';
      shape(n->children, out);
      out += ')';
    }
    out += ' ';
  }
}

std::string shape_of(xmlDoc* doc) {
  std::string s;
  shape(xmlDocGetRootElement(doc), s);
  // An element with only text and one without children look the same to this comparison.
  return std::regex_replace(s, std::regex("\\(\\)"), "");
}

void expect_same_tree_as_html(const std::string& html) {
  std::string error;
  xml::DocPtr as_xml = xml::parse_memory(html, "page.html", error);
  ASSERT_TRUE(as_xml) << error;
  std::vector<HtmlParseError> errors;
  xml::DocPtr as_html = parse_html(html, errors);
  ASSERT_TRUE(as_html);
  const std::string a = shape_of(as_xml.get()), b = shape_of(as_html.get());
  if (a == b) return;
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const std::size_t from = i > 200 ? i - 200 : 0;
  ADD_FAILURE() << "the HTML parser builds another tree than the XML parser; from offset " << from
                << ":\nXML:  " << a.substr(from, 400) << "\nHTML: " << b.substr(from, 400);
}

}  // namespace

// An element with no content is written <x></x>, never <x/> (an HTML parser reads <span/> as an
// open tag that swallows the rest of the paragraph); void elements stay <br/>.
TEST(Html, EmptyElementsAreWrittenWithAnEndTag) {
  const std::string html = render_html(tei_with_paragraph(
      "a <figure><graphic url=\"x.png\"/></figure> b<lb/>c <hi rend=\"x\"><anchor xml:id=\"n\"/></hi> d"));
  EXPECT_NE(html.find("<span class=\"figure\"></span>"), std::string::npos) << html;
  EXPECT_NE(html.find("<span class=\"hi\"></span>"), std::string::npos) << html;
  EXPECT_NE(html.find("b<br/>c"), std::string::npos) << html;
  EXPECT_EQ(html.find("<span class=\"figure\"/>"), std::string::npos);
  expect_same_tree_as_html(html);
}

TEST_P(HtmlCorpus, HtmlParserBuildsTheSameTreeAsTheXmlParser) { expect_same_tree_as_html(html_); }

// TEI written by others (../shared/corpus/*/*.xml: letters, real-world TEI with empty idno,
// addSpan, …): the same tree for both parsers.
TEST(Html, SharedTeiPagesReadTheSameAsHtmlAndAsXml) {
  REQUIRE_SHARED();
  namespace fs = boost::filesystem;
  int pages = 0;
  for (const char* dir : {"tei-real", "letters-dev", "frus-dev"}) {
    const fs::path d = fs::path(shared_dir()) / "corpus" / dir;
    boost::system::error_code ec;
    if (!fs::is_directory(d, ec)) continue;
    for (fs::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() != ".xml") continue;
      SCOPED_TRACE(it->path().string());
      xml::DocPtr tei = parse_tei(read_file(it->path().string()));
      if (!tei || !xmlDocGetRootElement(tei.get()) ||
          !xmlStrEqual(xmlDocGetRootElement(tei.get())->name, BAD_CAST "TEI"))
        continue;
      std::string error;
      const std::string html = apply_sheet("tei-to-html.xsl", tei.get(), error);
      ASSERT_EQ(error, "");
      expect_same_tree_as_html(html);
      ++pages;
    }
  }
  EXPECT_GT(pages, 20);
}

// ---------------------------------------------------------------- long texts

// A paragraph of many lines is one text node with that many line breaks: each becomes <br/>
// without a template recursion per line (which failed at ~1,450 lines).
TEST(Html, ParagraphOfTwentyThousandLines) {
  std::string p;
  for (int i = 0; i < 20000; ++i) p += "line " + std::to_string(i) + "\n";
  const std::string html = render_html(tei_with_paragraph(p + "last"));
  ASSERT_FALSE(html.empty());
  std::size_t brs = 0;
  for (std::size_t at = html.find("<br/>"); at != std::string::npos; at = html.find("<br/>", at + 1)) ++brs;
  EXPECT_EQ(brs, 20000u);
  EXPECT_NE(html.find("line 19999<br/>last</p>"), std::string::npos);
}

// Empty lines, a trailing line break and a line break before an element: as before.
TEST(Html, LineBreaksAtTheEdgesOfATextNode) {
  EXPECT_NE(render_html(tei_with_paragraph("a\n\nb")).find("<p class=\"p\">a<br/><br/>b</p>"),
            std::string::npos);
  EXPECT_NE(render_html(tei_with_paragraph("a\n")).find("<p class=\"p\">a</p>"), std::string::npos);
  EXPECT_NE(render_html(tei_with_paragraph("a\n \n")).find("<p class=\"p\">a </p>"), std::string::npos);
  EXPECT_NE(render_html(tei_with_paragraph("\na\nb\n<hi>c</hi>"))
                .find("<p class=\"p\"><br/>a<br/>b<br/><span class=\"hi\">c</span></p>"),
            std::string::npos)
      << render_html(tei_with_paragraph("\na\nb\n<hi>c</hi>"));
}

// ---------------------------------------------------------------- the fuzzer's invariant

// What fuzz_render checks on random input, on every document of the corpus, hostile links and
// findings checked in under tests/fuzz/regressions-render/.
TEST(HtmlFuzz, EveryCheckedInFindingHolds) {
  const Stylesheet& sheet = project_sheet("tei-to-html.xsl");
  ASSERT_TRUE(sheet.valid()) << sheet.error();
  namespace fs = boost::filesystem;
  const fs::path dir = fs::path(source_dir()) / "tests/fuzz/regressions-render";
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!fs::is_regular_file(e.path()) || e.path().filename() == "README.md") continue;
    EXPECT_EQ(fuzz::check_render_invariant(read_file(e.path().string()), sheet), "") << e.path();
  }
  for (const auto& d : corpus()) EXPECT_EQ(fuzz::check_render_invariant(d.tei, sheet), "") << d.name;
  for (const char* url : {"javascript:alert(1)", " JaVa&#9;Script:alert(1)", "data:text/html,x",
                          "vbscript:x", "//evil.example/"})
    EXPECT_EQ(fuzz::check_render_invariant(tei_linking(url), sheet), "") << url;
  std::string deep = "<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body>";
  for (int i = 0; i < 200; ++i) deep += "<div><p><hi>";
  EXPECT_EQ(fuzz::check_render_invariant(deep, sheet), "");  // not well-formed: refused
  for (int i = 0; i < 200; ++i) deep += "</hi></p></div>";
  EXPECT_EQ(fuzz::check_render_invariant(deep + "</body></text></TEI>", sheet), "");
  EXPECT_EQ(fuzz::check_render_invariant(
                tei_with_paragraph("<figure><graphic url='javascript:x'/></figure><ref/><ptr/>"), sheet),
            "");
}

// The invariant catches what it is there for (a check that cannot fail proves nothing).
TEST(HtmlFuzz, InvariantRejectsScriptLinksAndSelfClosedElements) {
  EXPECT_EQ(fuzz::render_detail::self_closed("<p><br/><span class=\"a\"/></p>"), "span");
  EXPECT_EQ(fuzz::render_detail::self_closed("<p><br/><input type=\"radio\"/></p>"), "");
  EXPECT_EQ(fuzz::render_detail::scheme(" JaVa\tScript:x"), "javascript");
  EXPECT_EQ(fuzz::render_detail::scheme("\\\\evil"), "//");
  EXPECT_EQ(fuzz::render_detail::scheme("a/b:c"), "");
  std::string error;
  xml::DocPtr page = xml::parse_memory("<html><a href='data:x'>x</a></html>", "p.html", error);
  EXPECT_NE(fuzz::render_detail::bad_link(xmlDocGetRootElement(page.get())), "");
  page = xml::parse_memory("<html><b onclick='x()'>x</b></html>", "p.html", error);
  EXPECT_NE(fuzz::render_detail::bad_link(xmlDocGetRootElement(page.get())), "");
}

// ---------------------------------------------------------------- the page, chunk by chunk

namespace {

// The page as libxslt alone writes it: the whole result tree, then serialised (no chunks: the
// teikit:chunk element writes its content in place outside Stylesheet::apply), with XML's empty
// form of non-void elements written out as Stylesheet::apply does.
std::string whole_tree_page(xmlDoc* tei) {
  xsltStylesheet* raw = xsltParseStylesheetFile(BAD_CAST (source_dir() + "/xslt/tei-to-html.xsl").c_str());
  EXPECT_TRUE(raw);
  if (!raw) return "";
  xml::StylesheetPtr sheet(raw);
  xml::DocPtr out(xsltApplyStylesheet(sheet.get(), tei, nullptr));
  xmlChar* mem = nullptr;
  int size = 0;
  xsltSaveResultToString(&mem, &size, out.get(), sheet.get());
  xml::XmlCharPtr owner(mem);
  const std::string page(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size));
  static const std::regex empty("<([a-zA-Z0-9]+)((?: [^<>]*?)?)/>");
  static const std::set<std::string> kVoid = {"br", "hr", "img", "input", "meta", "link", "wbr"};
  std::string r;
  std::size_t last = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), empty); it != std::sregex_iterator(); ++it) {
    r.append(page, last, it->position() - last);
    const std::string tag = (*it)[1];
    r += kVoid.count(tag) ? it->str() : "<" + tag + (*it)[2].str() + "></" + tag + ">";
    last = it->position() + it->length();
  }
  return r + page.substr(last);
}

}  // namespace

// Stylesheet::apply writes each paragraph as soon as it is built (teikit:chunk) with what precedes it
// in the page: put together, byte for byte the page the whole result tree gives.
TEST(HtmlChunks, PageIsTheWholeTreeSerialised) {
  std::vector<std::string> teis;
  for (const auto& d : corpus()) teis.push_back(d.tei);
  teis.push_back(tei_with_paragraph(
      "one</p><p>two <note><p>inner</p></note> x</p><list><item><p>in an item</p></item></list>"
      "<p>a\nb<lb/>c</p><p/><p>&lt;&amp;&gt; \"q\" é 中文</p><p><figure><graphic url='x'/></figure>"));
  for (const auto& tei : teis) {
    xml::DocPtr doc = parse_tei(tei);
    ASSERT_TRUE(doc);
    const std::string chunked = render_html(tei);
    EXPECT_NE(chunked.find("<main"), std::string::npos);
    EXPECT_EQ(chunked.find("teikit-chunk"), std::string::npos);
    EXPECT_EQ(chunked, whole_tree_page(doc.get()));
  }
}

// ---------------------------------------------------------------- the page, streamed

namespace {

// The page through Stylesheet::apply_to, piece by piece.
struct Streamed {
  bool ok = false;
  std::string page, error;
  std::vector<std::size_t> pieces;  // the size of each piece, in order
};
Streamed stream_page(const Stylesheet& sheet, const std::string& tei) {
  Streamed s;
  xml::DocPtr doc = parse_tei(tei);
  EXPECT_TRUE(doc);
  if (!doc) return s;
  s.ok = sheet.apply_to(doc.get(), {}, [&s](const char* data, std::size_t size) {
    s.page.append(data, size);
    s.pieces.push_back(size);
    return true;
  }, s.error);
  return s;
}

// The page of `tei` through `sheet` and through `other` (a fallback of it), expected the same
// bytes; the first one's pieces are returned (`ok` false when either failed).
Streamed expect_same_page(const Stylesheet& sheet, const Stylesheet& other, const std::string& tei,
                          const std::string& label) {
  Streamed s = stream_page(sheet, tei);
  EXPECT_TRUE(s.ok) << s.error;
  const Streamed o = stream_page(other, tei);
  EXPECT_TRUE(o.ok) << o.error;
  EXPECT_EQ(s.page, o.page) << label.substr(0, 100);
  s.ok = s.ok && o.ok;
  return s;
}

// A stylesheet of its own in `dir` (with the url-allow-list.xsl it includes).
Stylesheet sheet_in(const std::string& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir + "/" + name) << text;
  std::ofstream(dir + "/url-allow-list.xsl") << read_file(source_dir() + "/xslt/url-allow-list.xsl");
  return Stylesheet(dir + "/" + name);
}

// tei-to-html.xsl with its test `test` (which must be there) made false(): the stylesheet's own
// fallback for an extension, in `dir`.
Stylesheet html_sheet_without(const std::string& dir, const std::string& test) {
  std::string text = read_file(source_dir() + "/xslt/tei-to-html.xsl");
  const std::size_t at = text.find(test);
  EXPECT_NE(at, std::string::npos) << test;
  if (at != std::string::npos) text.replace(at, test.size(), "false()");
  return sheet_in(dir, "fallback.xsl", text);
}

// The text of the project stylesheet `name` with every <teikit:checkpoint> taken out (a page
// held whole); `removed` counts them.
std::string without_checkpoints(const std::string& name, std::size_t& removed) {
  std::string text = read_file(source_dir() + "/xslt/" + name);
  const std::string checkpoint = "<teikit:checkpoint><xsl:fallback/></teikit:checkpoint>";
  removed = 0;
  for (std::size_t at = text.find(checkpoint); at != std::string::npos;
       at = text.find(checkpoint, at)) {
    text.erase(at, checkpoint.size());
    ++removed;
  }
  return text;
}

std::string paragraphs(int n) {
  std::string p = "Paragraph 0 with <supplied>a</supplied> sign";
  for (int i = 1; i < n; ++i)
    p += "</p><p>Paragraph " + std::to_string(i) + " with <gap reason='illegible'/> and <sic>x</sic>";
  return p;
}

}  // namespace

// A page of many paragraphs goes out in pieces, the first before the page is built, none of
// them near the page's size; put together they are what apply() returns and what the whole
// result tree gives.
TEST(HtmlStream, ManyParagraphsAreWrittenPieceByPiece) {
  const Stylesheet& sheet = project_sheet("tei-to-html.xsl");
  ASSERT_TRUE(sheet.valid()) << sheet.error();
  const std::string tei = tei_with_paragraph(paragraphs(2000));
  const Streamed s = stream_page(sheet, tei);
  ASSERT_TRUE(s.ok) << s.error;
  EXPECT_GT(s.pieces.size(), 2000u);
  EXPECT_LT(*std::max_element(s.pieces.begin(), s.pieces.end()), s.page.size() / 20);
  EXPECT_EQ(s.page, render_html(tei));
  xml::DocPtr doc = parse_tei(tei);
  EXPECT_EQ(s.page, whole_tree_page(doc.get()));
}

// One paragraph of 5,000 interventions, and a note holding them, are written in pieces
// (teikit:checkpoint), with the bytes of the stylesheet without checkpoints.
TEST(HtmlStream, OneParagraphOfInterventionsIsWrittenPieceByPiece) {
  const std::string dir = testing::TempDir() + "/teikit-checkpoint-fallback";
  boost::filesystem::create_directories(dir);
  std::size_t removed = 0;
  const std::string text = without_checkpoints("tei-to-html.xsl", removed);
  ASSERT_GT(removed, 10u);
  const Stylesheet without = sheet_in(dir, "without.xsl", text);
  ASSERT_TRUE(without.valid()) << without.error();
  const Stylesheet& sheet = project_sheet("tei-to-html.xsl");
  std::string many;
  for (int i = 0; i < 5000; ++i)
    many +=
        "a <supplied resp=\"#translator\">word</supplied> b <gap reason=\"illegible\"/> c "
        "<sic>teh</sic> ";
  for (const std::string& p :
       {many, "<note type=\"source\">" + many + "</note>", "<hi>" + many + "</hi>x"}) {
    const std::string tei = tei_with_paragraph(p);
    const Streamed s = expect_same_page(sheet, without, tei, p);
    ASSERT_TRUE(s.ok);
    EXPECT_GT(s.pieces.size(), 20u);
    EXPECT_LT(*std::max_element(s.pieces.begin(), s.pieces.end()), s.page.size() / 10);
    xml::DocPtr doc = parse_tei(tei);
    EXPECT_EQ(s.page, whole_tree_page(doc.get()));
  }
  boost::filesystem::remove_all(dir);
}

// The text and Markdown pages are written block by block (teikit:checkpoint in emit), with the
// bytes of the same sheets without checkpoints (a page held whole): many paragraphs, one long
// paragraph, and the header's fields.
TEST(TextStream, TextAndMarkdownPagesAreWrittenBlockByBlock) {
  const std::string dir = testing::TempDir() + "/teikit-text-checkpoints";
  boost::filesystem::create_directories(dir);
  for (const char* name : {"tei-to-text.xsl", "tei-to-markdown.xsl"}) {
    std::size_t removed = 0;
    const std::string text = without_checkpoints(name, removed);
    ASSERT_GT(removed, 0u) << name;
    std::ofstream(dir + "/" + name) << text;
  }
  const Stylesheet text_without(dir + "/tei-to-text.xsl"), md_without(dir + "/tei-to-markdown.xsl");
  ASSERT_TRUE(text_without.valid()) << text_without.error();
  ASSERT_TRUE(md_without.valid()) << md_without.error();
  const Stylesheet& text_sheet = project_sheet("tei-to-text.xsl");
  const Stylesheet& md_sheet = project_sheet("tei-to-markdown.xsl");
  std::string long_one;
  for (int i = 0; i < 3000; ++i) long_one += "word <supplied>w</supplied> # [x] *y* ";
  for (const std::string& p : {paragraphs(3000), long_one, std::string("one"), std::string("")}) {
    const std::string tei = tei_with_paragraph(p);
    for (const auto& [sheet, without] :
         {std::pair{&text_sheet, &text_without}, std::pair{&md_sheet, &md_without}}) {
      const Streamed s = expect_same_page(*sheet, *without, tei, p);
      ASSERT_TRUE(s.ok);
      if (p.size() > 50000) {
        EXPECT_GE(s.pieces.size(), 2u);  // the title's block, then the paragraph's
      }
      if (p.size() > 50000 && p != long_one) {
        EXPECT_GT(s.pieces.size(), 3000u);
        EXPECT_LT(*std::max_element(s.pieces.begin(), s.pieces.end()), s.page.size() / 100);
      }
    }
  }
  boost::filesystem::remove_all(dir);
}

// A paragraph of 5,000 lines is written in pieces of at most ~1,024 lines (teikit:lines), and
// gives the bytes of the stylesheet's own str:split rendering, edge cases included.
TEST(HtmlStream, LinesAreThoseOfTheStylesheetsFallback) {
  const std::string dir = testing::TempDir() + "/teikit-lines-fallback";
  boost::filesystem::create_directories(dir);
  const Stylesheet fallback = html_sheet_without(dir, "element-available('teikit:lines')");
  ASSERT_TRUE(fallback.valid()) << fallback.error();
  const Stylesheet& sheet = project_sheet("tei-to-html.xsl");
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "line " + std::to_string(i) + " &amp; &lt;more&gt;\n";
  for (const std::string& p :
       {many, many + "<hi>after</hi>", std::string("a\n\nb"), std::string("a\n"), std::string("a\n \n"),
        std::string("\na\nb\n<hi>c</hi>"), std::string("\n\n"), std::string("x\n\t\r\n y \n"),
        std::string("<hi>a\nb</hi>\n<hi>c\n</hi>d\n"), std::string("é\n中文\n\n")}) {
    const std::string tei = tei_with_paragraph(p);
    const Streamed s = expect_same_page(sheet, fallback, tei, p);
    ASSERT_TRUE(s.ok);
    if (p.size() > 100000) {
      EXPECT_GT(s.pieces.size(), 4u);
      EXPECT_LT(*std::max_element(s.pieces.begin(), s.pieces.end()), s.page.size() / 3);
    }
  }
  boost::filesystem::remove_all(dir);
}

// The anchor of the first page break of each number, found with teikit:key-first, is that of the
// stylesheet's key() fallback: breaks of repeated numbers, without @n, with spaces in @n, in a
// note, and ahead of their number's first use elsewhere.
TEST(HtmlStream, FirstPageBreakOfANumberIsThatOfTheKeyFallback) {
  const std::string dir = testing::TempDir() + "/teikit-key-fallback";
  boost::filesystem::create_directories(dir);
  const Stylesheet fallback = html_sheet_without(dir, "function-available('teikit:key-first')");
  ASSERT_TRUE(fallback.valid()) << fallback.error();
  const Stylesheet& sheet = project_sheet("tei-to-html.xsl");
  std::string repeated;
  for (int i = 0; i < 300; ++i) repeated += "a<pb n=\"" + std::to_string(i % 7) + "\"/>b</p><p>";
  for (const std::string& p :
       {repeated, std::string("a<pb n=\"4\"/>b<pb n=\"5\"/>c<pb n=\"4\"/>d<pb/>e<pb n=\"5\"/>"),
        std::string("<note>x<pb n=\"2\"/></note>y<pb n=\"2\"/>"),
        std::string("<pb n=\"1 a\"/>x<pb n=\"1_a\"/>y<pb n=\"1 a\"/>"),
        std::string("<pb n=\"\"/>")}) {
    const std::string tei = tei_with_paragraph(p);
    const Streamed s = expect_same_page(sheet, fallback, tei, p);
    ASSERT_TRUE(s.ok);
  }
  // And what both give: one anchor per number, on its first break.
  const std::string html =
      stream_page(sheet, tei_with_paragraph("a<pb n=\"4\"/>b<pb n=\"5\"/>c<pb n=\"4\"/>d")).page;
  std::size_t anchors = 0;
  for (std::size_t at = html.find("id=\"page-"); at != std::string::npos;
       at = html.find("id=\"page-", at + 1))
    ++anchors;
  EXPECT_EQ(anchors, 2u) << html;
  const std::size_t first4 = html.find("data-n=\"4\""), anchor4 = html.find("id=\"page-4\"");
  ASSERT_NE(anchor4, std::string::npos);
  EXPECT_LT(first4, anchor4);
  EXPECT_LT(anchor4, html.find("data-n=\"5\""));
  boost::filesystem::remove_all(dir);
}

// A sink that refuses a piece stops the transformation: no piece is offered after it, and the
// result says why.
TEST(HtmlStream, RefusedPieceStopsTheTransformation) {
  const Stylesheet& sheet = project_sheet("tei-to-html.xsl");
  xml::DocPtr doc = parse_tei(tei_with_paragraph(paragraphs(500)));
  ASSERT_TRUE(doc);
  int calls = 0;
  std::string error;
  EXPECT_FALSE(sheet.apply_to(doc.get(), {}, [&calls](const char*, std::size_t) {
    return ++calls < 3;
  }, error));
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(error, "cannot write the result");
}

// teikit:chunk in a user's stylesheet: as the last content of an element that is not XHTML
// (which must not become <a/> after its start tag was written), in an attribute's value and in
// a variable (written in place), in a nested chunk, before a doctype and a declaration.
TEST(HtmlStream, ChunksAnywhereGiveThePageWithoutChunks) {
  const std::string dir = testing::TempDir() + "/teikit-chunk-sheets";
  boost::filesystem::create_directories(dir);
  const std::string body = R"X(
    <xsl:template match="/">
      <teikit:chunk><xsl:processing-instruction name="before">the root</xsl:processing-instruction></teikit:chunk>
      <doc>
        <a><teikit:chunk><b>1</b></teikit:chunk></a>
        <c><teikit:chunk><d><teikit:chunk><e/></teikit:chunk></d>x</teikit:chunk><teikit:chunk/></c>
        <f><xsl:attribute name="v"><teikit:chunk>in &amp; "attr"</teikit:chunk></xsl:attribute>
          <xsl:variable name="v"><teikit:chunk><g/></teikit:chunk></xsl:variable>
          <xsl:copy-of select="$v"/><xsl:value-of select="count(//*)"/></f>
        <xsl:comment><teikit:chunk>note</teikit:chunk></xsl:comment>
        <teikit:chunk><h>&lt;&gt;</h></teikit:chunk>
      </doc>
      <teikit:chunk><xsl:comment>after the root</xsl:comment></teikit:chunk>
    </xsl:template>
  </xsl:stylesheet>)X";
  const std::string head =
      R"(<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
          xmlns:teikit="urn:x-teikit:xslt" extension-element-prefixes="teikit">)";
  for (const std::string& output :
       {std::string(R"(<xsl:output method="xml" indent="no"/>)"),
        std::string(R"(<xsl:output method="xml" indent="no" doctype-system="x.dtd" doctype-public="-//X//Y"/>)"),
        std::string(R"(<xsl:output method="xml" indent="no" omit-xml-declaration="yes" encoding="ISO-8859-1"/>)")}) {
    const Stylesheet chunked = sheet_in(dir, "chunked.xsl", head + output + body);
    ASSERT_TRUE(chunked.valid()) << chunked.error();
    std::string plain_text = head + output + body;
    for (std::size_t at; (at = plain_text.find("<teikit:chunk/>")) != std::string::npos;)
      plain_text.erase(at, 15);
    for (const std::string tag : {"<teikit:chunk>", "</teikit:chunk>"})
      for (std::size_t at; (at = plain_text.find(tag)) != std::string::npos;) plain_text.erase(at, tag.size());
    const Stylesheet plain = sheet_in(dir, "plain.xsl", plain_text);
    ASSERT_TRUE(plain.valid()) << plain.error();
    const std::string tei = tei_with_paragraph("x");
    const Streamed s = expect_same_page(chunked, plain, tei, tei);
    ASSERT_TRUE(s.ok);
    EXPECT_GT(s.pieces.size(), 3u) << s.page;
    EXPECT_NE(s.page.find("<a><b>1</b></a>"), std::string::npos) << s.page;
  }
  boost::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------- lists in inline content

// A TEI list inside inline content (in a hi of a paragraph, in an ab, in a list of such) is a
// list of spans (role list/listitem), so that no <ul> stands inside a <p> or a span: an HTML
// parser ends a p at a <ul>. A list directly in a paragraph (a div then) or in an item stays a
// <ul> of <li>.
TEST(Html, ListsInsideInlineContentNestValidly) {
  const std::string html = render_html(tei_with_paragraph(
      "a <hi>n <list><item>one</item><item>two <list><item>deep</item></list></item></list></hi> b"
      "</p><p>c<list><item>x<list><item>y</item></list></item></list></p>"
      "<ab>d <seg><list><item>z</item></list></seg></ab><p>e"));
  ASSERT_FALSE(html.empty());
  std::string error;
  xml::DocPtr page = xml::parse_memory(html, "page.html", error);
  ASSERT_TRUE(page) << error;
  const auto count = [&page](const std::string& expr) {
    xml::XPathContextPtr ctx(xmlXPathNewContext(page.get()));
    xmlXPathRegisterNs(ctx.get(), BAD_CAST "h", BAD_CAST "http://www.w3.org/1999/xhtml");
    xml::XPathObjectPtr r(xmlXPathEvalExpression(BAD_CAST ("count(" + expr + ")").c_str(), ctx.get()));
    return r ? static_cast<int>(r->floatval) : -1;
  };
  EXPECT_EQ(count("//h:ul[ancestor::h:p or ancestor::h:span]"), 0) << html;
  EXPECT_EQ(count("//h:div[ancestor::h:p or ancestor::h:span]"), 0) << html;
  EXPECT_EQ(count("//h:span[@class = 'list'][@role = 'list']/h:span[@class = 'item'][@role = 'listitem']"), 4) << html;
  EXPECT_EQ(count("//h:span[@class = 'item']/h:span[@class = 'list']/h:span[@class = 'item'][. = 'deep']"), 1);
  EXPECT_EQ(count("//h:div[@class = 'p']/h:ul/h:li/h:ul/h:li[. = 'y']"), 1) << html;
  EXPECT_NE(html.find("<span class=\"item\" role=\"listitem\">one</span>"), std::string::npos) << html;
}

// Footnotes (ENCODING.md §4): the mark is a linked superscript number, the notes a numbered list
// after the text, each linked back to its mark; the note's text is not repeated at the mark.
TEST(Html, FootnotesAreAListAfterTheTextLinkedBothWays) {
  std::string tei = tei_with_paragraph(
      R"(Arrived.<note n="1" place="foot">Of the <supplied resp="#translator">Ministry</supplied>.</note> Left.<note n="2" place="foot">Second note.</note>)");
  const std::string gen = R"(<divGen type="footnotes" rend="___"><head>Notes</head></divGen>)";
  tei.replace(tei.find("</body>"), 7, gen + "</body>");
  const std::string html = render_html(tei);
  const std::string p = html.substr(html.find("<p class=\"p\">"), html.find("</p>", html.find("<p class=\"p\">")) -
                                                                     html.find("<p class=\"p\">"));
  EXPECT_NE(p.find(R"(<sup class="fn-ref"><a href="#fn-1" id="fnref-1" role="doc-noteref" aria-label="Note 1"><span class="sign dipl">[</span>1<span class="sign dipl">]</span></a></sup>)"),
            std::string::npos) << p;
  EXPECT_EQ(p.find("Second note"), std::string::npos) << p;
  EXPECT_NE(html.find(R"(<section class="footnotes" role="doc-endnotes" aria-labelledby="footnotes-head"><p class="fn-rule">___</p><h2 id="footnotes-head">Notes</h2><ol class="fn-list"><li id="fn-1" value="1"><a class="fn-back" href="#fnref-1" role="doc-backlink")"),
            std::string::npos) << html;
  EXPECT_NE(html.find(R"(<span class="note" role="note" aria-label="Note 2" title="Note 2" data-place="foot">Second note.</span>)"), std::string::npos) << html;
  EXPECT_TRUE(page_as_xml(html));
}
