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
