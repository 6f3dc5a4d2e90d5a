// The reading edition in a real browser: every sample, seed and frus-dev document is rendered
// with xslt/tei-to-html.xsl and opened in headless Chromium.
//
//   * --dump-dom of each page: every gap, supplied, sic and unclear of the TEI is in the DOM
//     with its role and label;
//   * one harness page (this test's own, with a script; the edition pages have none) loads every
//     page in an iframe, reads the text the browser really shows (innerText honours the CSS),
//     clicks the "Reading" radio and reads again: the diplomatic view shows every word of the
//     transcription, the reading view the text without the signs, switched by CSS alone;
//   * --screenshot of the sample and seed pages (and of the seeds' reading view), kept under
//     <build>/screenshots/ as artefacts.
//
// ctest runs this executable as the test "browser" (label "browser"); without chromium every
// test skips with a message saying how to install it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "render_support.hpp"

namespace fs = boost::filesystem;
using namespace teikit;
using namespace teikit::test;

namespace {

std::string build_dir() { return TEIKIT_BUILD_DIR; }

// $TEIKIT_CHROMIUM, else the first of Debian's and Google's names on the PATH.
std::string find_chromium() {
  if (const char* e = std::getenv("TEIKIT_CHROMIUM"); e && *e) return e;
  for (const char* name : {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
    const std::string probe = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(probe.c_str()) == 0) return name;
  }
  return "";
}

std::string quote(const std::string& s) {
  std::string r = "'";
  for (char c : s) r += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return r + "'";
}

std::string file_url(const std::string& path) {
  std::string url = "file://";
  const std::string absolute = fs::absolute(path).string();
  for (unsigned char c : absolute) {
    if (std::isalnum(c) || std::string("/-._~").find(static_cast<char>(c)) != std::string::npos) {
      url += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      url += buf;
    }
  }
  return url;
}

// One headless Chromium run, with the flags that keep it off the network and away from any
// profile: stdout goes to `out`, stderr to `out`.log. Returns the shell's status.
int run_chromium(const std::string& chromium, const std::string& flags, const std::string& url,
                 const std::string& out) {
  const fs::path profile = fs::temp_directory_path() / fs::unique_path("teikit-chromium-%%%%%%%%");
  fs::create_directories(profile);
  const std::string cmd =
      "timeout 120 " + quote(chromium) +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --user-data-dir=" + quote(profile.string()) + " " + flags + " " + quote(url) + " > " +
      quote(out) + " 2> " + quote(out + ".log");
  const int rc = std::system(cmd.c_str());
  boost::system::error_code ec;
  fs::remove_all(profile, ec);
  return rc;
}

// Runs `jobs` on a few threads (each job is one Chromium process).
void run_parallel(std::vector<std::function<void()>>& jobs) {
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  const unsigned n = std::max(2u, std::min(6u, std::thread::hardware_concurrency()));
  for (unsigned t = 0; t < n; ++t)
    pool.emplace_back([&] {
      for (std::size_t i; (i = next++) < jobs.size();) jobs[i]();
    });
  for (auto& t : pool) t.join();
}

struct Page {
  const CorpusDoc* doc = nullptr;
  std::string html_path, dom_path, screenshot, reading_screenshot;
  double render_ms = 0;
  // From the harness: text the browser shows.
  std::string body_diplomatic, text_diplomatic, text_reading;
  bool harness_ok = false;
};

// The harness: every page in an iframe; on load, innerText of the page body and of #text in the
// diplomatic view, then a click on the "Reading" radio (what a reader does) and #text again.
// Results go into <pre data-page=… data-part=…> elements, read back from --dump-dom.
std::string harness_html(const std::vector<Page>& pages) {
  std::string h = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>harness</title></head><body>\n";
  for (std::size_t i = 0; i < pages.size(); ++i)
    h += "<iframe id=\"f" + std::to_string(i) + "\" src=\"" + file_url(pages[i].html_path) +
         "\" style=\"width:1200px;height:800px\"></iframe>\n";
  h += R"JS(<div id="out"></div><script>
window.addEventListener('load', function () {
  var out = document.getElementById('out');
  function put(i, part, text) {
    var pre = document.createElement('pre');
    pre.setAttribute('data-page', String(i));
    pre.setAttribute('data-part', part);
    pre.textContent = text;
    out.appendChild(pre);
  }
  var frames = document.querySelectorAll('iframe');
  for (var i = 0; i < frames.length; i++) {
    var d = frames[i].contentDocument;
    if (!d || !d.getElementById('text') || !d.getElementById('view-reading')) { put(i, 'error', 'not loaded'); continue; }
    put(i, 'body-diplomatic', d.body.innerText);
    put(i, 'text-diplomatic', d.getElementById('text').innerText);
    d.getElementById('view-reading').click();
    put(i, 'text-reading', d.getElementById('text').innerText);
  }
});
</script></body></html>
)JS";
  return h;
}

class Browser : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    chromium_ = find_chromium();
    if (chromium_.empty()) return;
    const fs::path root = fs::path(build_dir()) / "browser";
    const fs::path shots = fs::path(build_dir()) / "screenshots";
    fs::create_directories(root / "pages");
    fs::create_directories(root / "reading");
    fs::create_directories(root / "dom");
    fs::create_directories(root / "logs");
    fs::create_directories(shots);
    pages_.clear();
    for (const auto& d : corpus()) {
      Page p;
      p.doc = &d;
      xml::DocPtr tei = parse_tei(d.tei);
      std::string error;
      const auto t0 = std::chrono::steady_clock::now();
      const std::string html = apply_sheet("tei-to-html.xsl", tei.get(), error);
      p.render_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      p.html_path = (root / "pages" / (d.name + ".html")).string();
      std::ofstream(p.html_path, std::ios::binary) << html;
      p.dom_path = (root / "dom" / (d.name + ".dom.html")).string();
      // Screenshots of the samples and seeds (the frus-dev pages are checked, not pictured), and
      // of the reading view opened directly (view=reading) for the seeds.
      if (d.name.rfind("frus-", 0) != 0) p.screenshot = (shots / (d.name + ".png")).string();
      if (d.name.rfind("seed-", 0) == 0) {
        const std::string reading = apply_sheet("tei-to-html.xsl", tei.get(), error, {{"view", "reading"}});
        const std::string path = (root / "reading" / (d.name + ".html")).string();
        std::ofstream(path, std::ios::binary) << reading;
        p.reading_screenshot = (shots / (d.name + ".reading.png")).string();
      }
      pages_.push_back(std::move(p));
    }
    const std::string harness = (root / "harness.html").string();
    std::ofstream(harness, std::ios::binary) << harness_html(pages_);

    std::vector<std::function<void()>> jobs;
    for (auto& p : pages_) {
      jobs.push_back([&p] { run_chromium(chromium_, "--dump-dom", file_url(p.html_path), p.dom_path); });
      if (!p.screenshot.empty())
        jobs.push_back([&p, root] {
          run_chromium(chromium_, "--screenshot=" + quote(p.screenshot) + " --window-size=1200,2000",
                       file_url(p.html_path), (root / "logs" / (p.doc->name + ".png.out")).string());
        });
      if (!p.reading_screenshot.empty())
        jobs.push_back([&p, root] {
          const std::string page = (root / "reading" / (p.doc->name + ".html")).string();
          run_chromium(chromium_, "--screenshot=" + quote(p.reading_screenshot) + " --window-size=1200,2000",
                       file_url(page), (root / "logs" / (p.doc->name + ".reading.png.out")).string());
        });
    }
    const std::string harness_dom = (root / "harness.dom.html").string();
    // The harness reads the pages through contentDocument, which file:// pages allow only with
    // this flag; the edition pages themselves never need it.
    jobs.push_back([harness, harness_dom] {
      run_chromium(chromium_, "--allow-file-access-from-files --dump-dom", file_url(harness), harness_dom);
    });
    const auto t0 = std::chrono::steady_clock::now();
    run_parallel(jobs);
    browser_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::vector<HtmlParseError> errors;
    xml::DocPtr dom = parse_html(read_file(harness_dom), errors);
    if (!dom) return;
    std::vector<xmlNode*> pres;
    struct Walk {
      static void run(xmlNode* x, std::vector<xmlNode*>& out) {
        for (; x; x = x->next) {
          if (x->type != XML_ELEMENT_NODE) continue;
          if (xmlStrEqual(x->name, BAD_CAST "pre")) out.push_back(x);
          run(x->children, out);
        }
      }
    };
    Walk::run(xmlDocGetRootElement(dom.get()), pres);
    for (xmlNode* pre : pres) {
      const std::size_t i = std::stoul(xml::attribute(pre, "data-page"));
      if (i >= pages_.size()) continue;
      const std::string part = xml::attribute(pre, "data-part"), text = xml::text_content(pre);
      Page& p = pages_[i];
      if (part == "body-diplomatic") p.body_diplomatic = text;
      if (part == "text-diplomatic") p.text_diplomatic = text;
      if (part == "text-reading") {
        p.text_reading = text;
        p.harness_ok = true;
      }
    }
    std::cout << "[ browser  ] " << pages_.size() << " pages, " << jobs.size()
              << " Chromium runs in " << browser_seconds_ << " s (" << chromium_ << ")\n";
  }

 protected:
  void SetUp() override {
    if (chromium_.empty())
      GTEST_SKIP() << "chromium is not installed: install Debian's chromium package "
                      "(scripts/setup-debian.sh does) or set TEIKIT_CHROMIUM; browser tests skipped";
    ASSERT_FALSE(pages_.empty()) << "no documents to render";
  }

  static inline std::string chromium_;
  static inline std::vector<Page> pages_;
  static inline double browser_seconds_ = 0;
};

int count_class(xmlNode* root, const std::string& cls) {
  std::vector<xmlNode*> found;
  find_by_class(root, cls, found);
  return static_cast<int>(found.size());
}

}  // namespace

// The DOM Chromium built from each page holds every gap, supplied, sic and unclear of the TEI,
// each with a role and a label (aria-label, the same as the tooltip).
TEST_F(Browser, EveryInterventionIsInTheDomWithItsLabel) {
  for (const Page& p : pages_) {
    SCOPED_TRACE(p.doc->name);
    const std::string dump = read_file(p.dom_path);
    ASSERT_FALSE(dump.empty()) << "Chromium produced no DOM; log:\n" << read_file(p.dom_path + ".log");
    std::vector<HtmlParseError> errors;
    xml::DocPtr dom = parse_html(dump, errors);
    ASSERT_TRUE(dom);
    xml::DocPtr tei = parse_tei(p.doc->tei);
    xmlNode* root = xmlDocGetRootElement(dom.get());
    std::string line = p.doc->name + ":";
    for (const char* kind : {"gap", "supplied", "sic", "unclear"}) {
      std::vector<xmlNode*> found;
      find_by_class(root, kind, found);
      const int in_tei = xpath_count(tei.get(), std::string("//t:") + kind);
      EXPECT_EQ(static_cast<int>(found.size()), in_tei) << kind;
      for (xmlNode* n : found) {
        const std::string label = xml::attribute(n, "aria-label");
        EXPECT_FALSE(label.empty()) << kind << " without aria-label";
        EXPECT_EQ(xml::attribute(n, "title"), label) << kind;
        EXPECT_FALSE(xml::attribute(n, "role").empty()) << kind << " without role";
      }
      line += " " + std::string(kind) + " " + std::to_string(found.size()) + "/" + std::to_string(in_tei);
    }
    const int pb = count_class(root, "pb"), pb_tei = xpath_count(tei.get(), "//t:pb");
    EXPECT_EQ(pb, pb_tei);
    line += " pb " + std::to_string(pb) + "/" + std::to_string(pb_tei);
    // The browser kept the page free of scripts and external resources.
    EXPECT_EQ(dump.find("<script"), std::string::npos);
    EXPECT_EQ(dump.find(" src="), std::string::npos);
    std::cout << "[ dom/tei  ] " << line << " (render " << p.render_ms << " ms)\n";
  }
}

// What the browser shows in the diplomatic view (innerText, after CSS) is the transcription:
// the text round trip of the body, character for character but for whitespace, and every word
// of the whole transcription (header fields included) is visible on the page.
TEST_F(Browser, VisibleTextContainsEveryWordOfTheTranscription) {
  for (const Page& p : pages_) {
    SCOPED_TRACE(p.doc->name);
    ASSERT_TRUE(p.harness_ok) << "the harness did not read this page";
    xml::DocPtr tei = parse_tei(p.doc->tei);
    std::string error;
    const std::string body = apply_sheet("tei-to-text.xsl", tei.get(), error, {{"part", "body"}});
    const std::string all = apply_sheet("tei-to-text.xsl", tei.get(), error);
    ASSERT_EQ(error, "");
    EXPECT_EQ(squeeze(p.text_diplomatic), squeeze(body));
    std::multiset<std::string> visible;
    for (const auto& w : words(p.body_diplomatic)) visible.insert(w);
    std::multiset<std::string> needed;
    for (const auto& w : words(all)) needed.insert(w);
    // A Summary that is the edition's source note stands under "Source note", not "Summary".
    if (p.doc->tei.find("<note type=\"source\">") != std::string::npos && needed.count("Summary"))
      needed.erase(needed.find("Summary"));
    int missing = 0;
    for (auto it = needed.begin(); it != needed.end(); it = needed.upper_bound(*it)) {
      if (visible.count(*it) < needed.count(*it)) {
        ADD_FAILURE() << "word '" << *it << "' appears " << needed.count(*it)
                      << " times in the transcription, " << visible.count(*it) << " on the page";
        ++missing;
      }
    }
    EXPECT_EQ(missing, 0);
  }
}

// A click on the "Reading" radio switches the view by CSS alone (the page has no script): the
// text is then the round trip without the bracket signs, and every gap is "…".
TEST_F(Browser, ReadingViewSwitchesWithoutJavaScript) {
  for (const Page& p : pages_) {
    SCOPED_TRACE(p.doc->name);
    ASSERT_TRUE(p.harness_ok);
    EXPECT_EQ(read_file(p.html_path).find("<script"), std::string::npos);
    std::string error;
    const std::string expected = reading_round_trip(p.doc->tei, error);
    ASSERT_EQ(error, "");
    EXPECT_EQ(without(squeeze(p.text_reading), "[]"), without(squeeze(expected), "[]"));
    for (const char* sign : {"[sic]", "[?]", "[handwritten:", "[stamp:", "[illegible]", "[…]"})
      EXPECT_EQ(p.text_reading.find(sign), std::string::npos) << sign;
    xml::DocPtr tei = parse_tei(p.doc->tei);
    if (xpath_count(tei.get(), "//t:supplied | //t:gap | //t:sic | //t:unclear") > 0) {
      EXPECT_NE(p.text_reading, p.text_diplomatic);
    }
  }
}

// The screenshots are real images of a rendered page (not blank), kept as build artefacts.
TEST_F(Browser, ScreenshotsAreKept) {
  for (const Page& p : pages_) {
    SCOPED_TRACE(p.doc->name);
    for (const std::string& shot : {p.screenshot, p.reading_screenshot}) {
      if (shot.empty()) continue;
      const std::string png = read_file(shot);
      ASSERT_GE(png.size(), 8u) << shot << " was not written (Chromium logs in "
                                << (fs::path(build_dir()) / "browser" / "logs").string() << ")";
      EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << shot;
      // A blank 1200×2000 page compresses to a few kB; a page of text is far larger.
      EXPECT_GT(png.size(), 30000u) << shot;
    }
  }
  std::cout << "[ shots    ] " << (fs::path(build_dir()) / "screenshots").string() << "\n";
}

// ---------------------------------------------------------------- pages built from hostile TEI

namespace {

// Script that, if it ever runs, says so to the harness (postMessage reaches the parent from any
// origin, a data: document included) and tries a dialog.
std::string payload(const std::string& tag) {
  return "parent.postMessage('ran:" + tag + "','*');alert('" + tag + "')";
}

// URLs as a hostile TEI writes them (attribute values, XML character references allowed):
// every scheme a browser would run or leave the edition with, in the spellings browsers still
// read as that scheme.
std::vector<std::pair<std::string, std::string>> hostile_urls() {
  return {
      {"js", "javascript:" + payload("js")},
      {"js-case", "JaVaScRiPt:" + payload("js-case")},
      {"js-space-tab", "&#32;&#32;JaVa&#9;Script:" + payload("js-space-tab")},
      {"js-lf", "java&#x0A;script:" + payload("js-lf")},
      {"js-cr", "java&#x0D;scr&#x09;ipt:" + payload("js-cr")},
      {"js-colon-ref", "javascript&#x3A;" + payload("js-colon-ref")},
      {"data", "data:text/html,&lt;script&gt;" + payload("data") + "&lt;/script&gt;"},
      {"data-b64", "DATA:text/html;base64,PHNjcmlwdD5wYXJlbnQucG9zdE1lc3NhZ2UoJ3JhbjpkYXRhLWI2NCcsJyonKTwvc2NyaXB0Pg=="},
      {"vbscript", "vbscript:msgbox(1)"},
      {"file", "file:///etc/passwd"},
      {"blob", "blob:https://example.org/0d1e"},
      {"proto-relative", "//evil.example/x"},
  };
}

// One TEI document with every kind of link the stylesheet could make, each pointing at `url`.
std::string hostile_tei(const std::string& url) {
  return R"(<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc><titleStmt>)"
         R"(<title>Hostile links</title></titleStmt><publicationStmt><publisher>P</publisher>)"
         R"(<idno type="URL">)" + url + R"(</idno><availability><licence target=")" + url +
         R"(">Licence</licence></availability></publicationStmt><sourceDesc><bibl>Cited )"
         R"(<ref target=")" + url + R"(">source</ref> <ptr target=")" + url + R"("/> <idno type="URL">)" +
         url + R"(</idno></bibl></sourceDesc></fileDesc></teiHeader><text><body><div><p>A )"
         R"(<ref target=")" + url + R"(">link</ref>, a <ptr target=")" + url + R"("/>, a page )"
         R"(<pb n="2" facs=")" + url + R"("/>, a figure <figure><graphic url=")" + url +
         R"("/><head>F</head></figure>, a <note type="editorial"><ref target=")" + url +
         R"(">noted</ref></note>, a <name ref=")" + url + R"(">name</name>.</p></div></body></text></TEI>)";
}

// The harness: every page in an iframe; dialogs of each frame are replaced by recorders, every
// element with an href is clicked (navigation to http, https, mailto and the edition's own files
// is cancelled, so that nothing leaves the machine; anything else is let through, so a script
// link would run); then, after the clicks had time to act, what happened is written into <pre>s.
// The DOM is also checked: no on* attribute, no href/src/action/formaction outside the
// allow-list. Results are read back from --dump-dom (--virtual-time-budget lets the timer run).
std::string click_harness(const std::vector<std::pair<std::string, std::string>>& pages) {
  std::string h = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>clicks</title></head><body>\n";
  for (const auto& [name, path] : pages)
    h += "<iframe data-name=\"" + name + "\" src=\"" + file_url(path) +
         "\" style=\"width:900px;height:300px\"></iframe>\n";
  h += R"JS(<pre id="hits"></pre><pre id="problems"></pre><pre id="clicked"></pre><script>
var hits = [], problems = [], clicked = {};
window.addEventListener('message', function (e) { hits.push(String(e.data)); });
var allowed = ['http:', 'https:', 'mailto:'];
// The allow-list, judged by the browser's own URL parser: a relative link resolves against the
// base; an absolute one must have an allowed scheme whatever the base.
function verdict(raw) {
  try {
    var a = new URL(raw, 'http://base.invalid/dir/'), b = new URL(raw, 'https://other.invalid/x/');
    if (a.protocol === 'http:' && a.host === 'base.invalid' && b.host === 'other.invalid') return 'relative';
    if (allowed.indexOf(a.protocol) >= 0 && a.protocol === b.protocol && a.host === b.host) return 'allowed';
    return 'refused ' + a.protocol;
  } catch (e) { return 'relative'; }  // not a URL at all: a (broken) relative reference
}
window.addEventListener('load', function () {
  var frames = document.querySelectorAll('iframe');
  for (var i = 0; i < frames.length; i++) {
    var f = frames[i], name = f.getAttribute('data-name'), w = f.contentWindow, d = f.contentDocument;
    if (!d || !d.body) { problems.push(name + ': not loaded'); continue; }
    ['alert', 'confirm', 'prompt', 'print'].forEach(function (fn) {
      w[fn] = (function (n, fn) { return function () { hits.push('dialog:' + n + ':' + fn); return null; }; })(name, fn);
    });
    f.setAttribute('data-before', w.location.href);
    var all = d.querySelectorAll('*');
    for (var k = 0; k < all.length; k++) {
      var el = all[k];
      for (var a = 0; a < el.attributes.length; a++) {
        var an = el.attributes[a].name.toLowerCase();
        if (an.indexOf('on') === 0) problems.push(name + ': event handler attribute ' + an + ' on ' + el.tagName);
        if (['href', 'src', 'action', 'formaction', 'xlink:href'].indexOf(an) >= 0) {
          var v = verdict(el.attributes[a].value);
          if (v.indexOf('refused') === 0) problems.push(name + ': ' + an + '="' + el.attributes[a].value + '" (' + v + ')');
        }
      }
    }
    d.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('[href]');
      if (a && a.protocol && (allowed.indexOf(a.protocol) >= 0 || a.protocol === 'file:')) e.preventDefault();
    }, true);
    var links = d.querySelectorAll('[href]');
    clicked[name] = links.length;
    for (var k = 0; k < links.length; k++) links[k].click();
  }
  setTimeout(function () {
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i], name = f.getAttribute('data-name');
      try {
        var now = f.contentWindow.location.href;
        if (now !== f.getAttribute('data-before')) problems.push(name + ': navigated to ' + now);
      } catch (e) { problems.push(name + ': navigated to a document of another origin'); }
    }
    document.getElementById('hits').textContent = hits.join('\n');
    document.getElementById('problems').textContent = problems.join('\n');
    document.getElementById('clicked').textContent = JSON.stringify(clicked);
  }, 3000);
});
</script></body></html>
)JS";
  return h;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

struct ClickReport {
  std::string hits, problems, clicked, log;
};

ClickReport run_click_harness(const std::string& chromium, const std::string& dir,
                              const std::vector<std::pair<std::string, std::string>>& pages) {
  const std::string harness = dir + "/clicks.html", dom = dir + "/clicks.dom.html";
  std::ofstream(harness, std::ios::binary) << click_harness(pages);
  run_chromium(chromium, "--allow-file-access-from-files --virtual-time-budget=10000 --dump-dom",
               file_url(harness), dom);
  ClickReport r;
  r.log = read_file(dom + ".log");
  std::vector<HtmlParseError> errors;
  xml::DocPtr doc = parse_html(read_file(dom), errors);
  if (!doc) return r;
  r.hits = xpath_string(doc.get(), "//*[@id='hits']");
  r.problems = xpath_string(doc.get(), "//*[@id='problems']");
  r.clicked = xpath_string(doc.get(), "//*[@id='clicked']");
  return r;
}

}  // namespace

// Pages built from hostile TEI (every link kind × javascript:, data:, vbscript:, file:, blob:,
// protocol-relative, in mixed case and with the whitespace browsers strip), the same document
// converted with --licence-url 'javascript:…', and an edition index whose member file names are
// script URLs: every link is clicked, no script runs, no dialog opens, nothing navigates away.
// A control page (written here, not by the stylesheets) with real script links shows the harness
// does see a script run.
TEST(BrowserLinks, ClickingEveryLinkOfHostilePagesRunsNoScript) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed; browser tests skipped";
  const fs::path dir = fs::path(build_dir()) / "browser" / "hostile";
  fs::create_directories(dir);
  std::vector<std::pair<std::string, std::string>> pages;
  for (const auto& [name, url] : hostile_urls()) {
    xml::DocPtr tei = parse_tei(hostile_tei(url));
    ASSERT_TRUE(tei) << name;
    std::string error;
    const std::string html = apply_sheet("tei-to-html.xsl", tei.get(), error);
    ASSERT_EQ(error, "") << name;
    const std::string path = (dir / (name + ".html")).string();
    std::ofstream(path, std::ios::binary) << html;
    pages.emplace_back(name, path);
  }
  {  // the converter's --licence-url
    ConvertOptions o;
    o.publication.licence = "CC BY 4.0";
    o.publication.licence_url = "javascript:" + payload("licence-url");
    const ConvertResult c = convert("cable.txt", read_file(source_dir() + "/samples/cable-plain.txt"), o);
    xml::DocPtr tei = parse_tei(c.xml);
    ASSERT_TRUE(tei);
    std::string error;
    const std::string path = (dir / "licence-url.html").string();
    std::ofstream(path, std::ios::binary) << apply_sheet("tei-to-html.xsl", tei.get(), error);
    ASSERT_EQ(error, "");
    pages.emplace_back("licence-url", path);
  }
  {  // an edition index whose members' file names are script URLs
    std::string corpus_xml = R"(<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>)"
                             R"(<titleStmt><title>E</title></titleStmt><publicationStmt><p>P</p>)"
                             R"(</publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>)";
    std::string ids;
    int n = 0;
    for (const auto& [name, url] : hostile_urls()) {
      const std::string id = "d" + std::to_string(++n);
      ids += id + " ";
      corpus_xml += "<TEI xml:id=\"" + id + "\" source=\"" + url + ".xml\"><teiHeader><fileDesc><titleStmt><title>" +
                    name + "</title></titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p>"
                    "</sourceDesc></fileDesc></teiHeader><text><body><p>x</p></body></text></TEI>";
    }
    xml::DocPtr tei = parse_tei(corpus_xml + "</teiCorpus>");
    ASSERT_TRUE(tei);
    std::string error;
    const std::string path = (dir / "index.html").string();
    std::ofstream(path, std::ios::binary) << apply_sheet("edition-index.xsl", tei.get(), error, {{"pages", ids}});
    ASSERT_EQ(error, "");
    pages.emplace_back("index", path);
  }
  const std::string control = (dir / "control.html").string();
  std::ofstream(control, std::ios::binary)
      << "<!DOCTYPE html><html><body><a href=\"javascript:" << payload("control-js")
      << "\">js</a> <a href=\"  JaVa&#9;Script:" << payload("control-obfuscated") << "\">js2</a></body></html>";
  pages.emplace_back("control", control);

  const ClickReport r = run_click_harness(chromium, dir.string(), pages);
  // No report at all is a failure too: a page whose script link navigated a frame to a data:
  // document that opened a real dialog stops Chromium's --dump-dom without output.
  ASSERT_FALSE(r.clicked.empty()) << "the harness did not report (a link on a page may have run "
                                     "a script or opened a dialog); Chromium log:\n" << r.log;
  std::cout << "[ clicks   ] links clicked per page: " << r.clicked << "\n";
  // The harness sees a script link run (and its dialog) when there is one…
  EXPECT_NE(r.hits.find("ran:control-js"), std::string::npos) << r.hits;
  EXPECT_NE(r.hits.find("ran:control-obfuscated"), std::string::npos) << r.hits;
  EXPECT_NE(r.hits.find("dialog:control:alert"), std::string::npos) << r.hits;
  EXPECT_NE(r.problems.find("control: href=\"javascript:"), std::string::npos) << r.problems;
  // …and on the edition's pages nothing ran, no dialog opened, nothing navigated.
  std::string hits, problems;
  for (const std::string& line : lines_of(r.hits))
    if (line.find("control") == std::string::npos) hits += line + "\n";
  for (const std::string& line : lines_of(r.problems))
    if (line.rfind("control:", 0) != 0) problems += line + "\n";
  EXPECT_EQ(hits, "");
  EXPECT_EQ(problems, "");
  // Links that are allowed were there and clicked (the skip link, the index's own files).
  EXPECT_NE(r.clicked.find("\"index\":"), std::string::npos);
  EXPECT_EQ(r.clicked.find(":0"), std::string::npos) << r.clicked;
}
