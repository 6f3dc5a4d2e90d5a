// The edition's search (`teikit build --search`) in a real browser: an edition built from the
// samples is served over HTTP on 127.0.0.1 (pagefind loads its index with fetch, which file://
// does not allow), and headless Chromium opens a harness page that loads index.html in a frame,
// types a query into the search box, ticks a facet, and writes what the page showed into <pre>s
// read back from --dump-dom. Skipped without chromium, pagefind or python3 (the HTTP server).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "cli.hpp"
#include "test_support.hpp"

namespace fs = boost::filesystem;
using namespace teikit;
using namespace teikit::test;

namespace {

bool have(const char* command) {
  return std::system((std::string("command -v ") + command + " >/dev/null 2>&1").c_str()) == 0;
}

std::string chromium() {
  if (const char* e = std::getenv("TEIKIT_CHROMIUM"); e && *e) return e;
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"})
    if (have(name)) return name;
  return "";
}

// What the harness wrote into <pre id=NAME>…</pre>.
std::string pre(const std::string& dom, const std::string& id) {
  const std::string open = "<pre id=\"" + id + "\">";
  const auto at = dom.find(open);
  if (at == std::string::npos) return "";
  const auto from = at + open.size();
  return dom.substr(from, dom.find("</pre>", from) - from);
}

// The harness: index.html in a frame; once pagefind's box is there, a query is typed as a
// reader types it (value set, input event), the results are counted; then the "year" facet's
// 1941 box is ticked and they are counted again.
const char* const kHarness = R"HTML(<!DOCTYPE html><html><head><meta charset="utf-8"><title>search</title></head>
<body><iframe id="f" src="index.html" style="width:1000px;height:800px"></iframe>
<pre id="query"></pre><pre id="faceted"></pre><pre id="filters"></pre><pre id="problem"></pre>
<script>
var f = document.getElementById('f');
function out(id, text) { document.getElementById(id).textContent = text; }
function titles(d) {
  var r = d.querySelectorAll('.pagefind-ui__result-link'), t = [];
  for (var i = 0; i < r.length; i++) t.push(r[i].textContent.trim() + ' <' + r[i].getAttribute('href') + '>');
  return r.length + '\n' + t.join('\n');
}
// Each wait is a request the server answers after 100 ms: Chromium's virtual time stands still
// while a request is pending, so the page gets real time to load pagefind and search.
function waitFor(test, then, tries) {
  if (test()) return then();
  if (tries <= 0) return out('problem', 'timed out');
  fetch('/sleep?' + Math.random()).then(function () { waitFor(test, then, tries - 1); },
                                        function () { waitFor(test, then, tries - 1); });
}
f.addEventListener('load', function () {
  var d = f.contentDocument;
  waitFor(function () { return d.querySelector('.pagefind-ui__search-input'); }, function () {
    var input = d.querySelector('.pagefind-ui__search-input');
    input.value = 'livestock';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    waitFor(function () { return d.querySelectorAll('.pagefind-ui__result-link').length > 0; }, function () {
      out('query', titles(d));
      waitFor(function () { return d.querySelectorAll('input[type=checkbox]').length > 0; }, function () {
      var boxes = d.querySelectorAll('input[type=checkbox]'), names = [];
      for (var i = 0; i < boxes.length; i++) names.push(boxes[i].id || boxes[i].value || boxes[i].name);
      out('filters', names.join('\n'));
      var box = null;
      for (var j = 0; j < boxes.length; j++) if (/year/.test(boxes[j].id) && /1941/.test(boxes[j].id)) box = boxes[j];
      if (!box) return out('problem', 'no year 1941 facet');
      var before = d.querySelectorAll('.pagefind-ui__result-link').length;
      box.click();
      // Done when the list has changed (or after ten seconds, to report what it shows).
      var n = 0;
      waitFor(function () {
        var now = d.querySelectorAll('.pagefind-ui__result-link').length;
        return (now > 0 && now !== before) || ++n > 100;
      }, function () { out('faceted', titles(d)); }, 200);
      }, 100);
    }, 100);
  }, 100);
});
</script></body></html>
)HTML";

}  // namespace

TEST(SearchBrowser, AQueryAndAFacetFindTheDocumentsOfTheCorpus) {
  const std::string browser = chromium();
  if (browser.empty()) GTEST_SKIP() << "chromium is not installed";
  if (!std::getenv("TEIKIT_PAGEFIND") && !have("pagefind"))
    GTEST_SKIP() << "pagefind is not installed (scripts/setup-pagefind.sh)";
  if (!have("python3")) GTEST_SKIP() << "python3 (the HTTP server) is not installed";
  const fs::path dir = fs::temp_directory_path() / fs::unique_path("teikit-search-%%%%%%%%");
  const fs::path src = dir / "src", out = dir / "out";
  fs::create_directories(src / "letters");
  fs::create_directories(src / "cables");
  // Two documents that mention livestock in different years, one that does not.
  const std::string samples = source_dir() + "/samples/";
  fs::copy_file(samples + "cable-plain.txt", src / "cables" / "cable.txt");  // 1962, livestock
  fs::copy_file(samples + "letter-plain.txt", src / "letters" / "letter.txt");  // 1941
  {
    std::ofstream extra((src / "letters" / "herders.txt").string());
    extra << read_file(samples + "letter-plain.txt") << "\nThe herders' livestock was counted.\n";
  }
  CliRun r = teikit_cli({"build", src.string(), "-o", out.string(), "--search", "-q"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  ASSERT_TRUE(fs::exists(out / "pagefind" / "pagefind-ui.js"));
  // The pages have no script; only the index loads the search.
  EXPECT_EQ(read_file((out / "cables" / "cable.html").string()).find("<script"), std::string::npos);
  EXPECT_NE(read_file((out / "index.html").string()).find("pagefind-ui.js"), std::string::npos);
  {
    std::ofstream h((out / "search-harness.html").string());
    h << kHarness;
  }

  // python3 -m http.server on a port of our own, bound to 127.0.0.1 only.
  const int port = 20000 + static_cast<int>(::getpid() % 20000);
  const pid_t server = fork();
  if (server == 0) {
    ::freopen("/dev/null", "w", stdout);
    ::freopen("/dev/null", "w", stderr);
    // The folder's files, and /sleep, answered after 100 ms (see waitFor in the harness).
    const std::string code =
        "import functools, http.server, sys, time\n"
        "class H(http.server.SimpleHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        if self.path.startswith('/sleep'):\n"
        "            time.sleep(0.1); self.send_response(204); self.end_headers(); return\n"
        "        super().do_GET()\n"
        "    def log_message(self, *a): pass\n"
        "http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])),\n"
        "    functools.partial(H, directory=sys.argv[2])).serve_forever()\n";
    const std::string p = std::to_string(port), d = out.string();
    execlp("python3", "python3", "-c", code.c_str(), p.c_str(), d.c_str(),
           static_cast<char*>(nullptr));
    _exit(127);
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/search-harness.html";
  for (int i = 0; i < 50 && std::system(("python3 -c \"import urllib.request as u; u.urlopen('" +
                                          url + "')\" 2>/dev/null").c_str()) != 0;
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const fs::path profile = dir / "profile", dom = dir / "dom.html";
  const std::string cmd =
      "timeout 120 '" + browser +
      "' --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
      "--disable-component-update --disable-sync --virtual-time-budget=60000 --user-data-dir='" +
      profile.string() + "' --dump-dom '" + url + "' > '" + dom.string() + "' 2>/dev/null";
  std::system(cmd.c_str());
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  const std::string page = read_file(dom.string());
  const std::string query = pre(page, "query"), faceted = pre(page, "faceted");
  EXPECT_EQ(pre(page, "problem"), "") << page.substr(0, 3000);
  // "livestock": the cable and the letter that mentions it, not the other letter.
  EXPECT_EQ(query.substr(0, 2), "2\n") << query;
  EXPECT_NE(query.find("cables/cable.html"), std::string::npos) << query;
  EXPECT_NE(query.find("letters/herders.html"), std::string::npos) << query;
  EXPECT_EQ(query.find("letters/letter.html"), std::string::npos) << query;
  // The facets come from the pages' metadata.
  const std::string filters = pre(page, "filters");
  for (const char* facet : {"year", "sender", "archive", "language"})
    EXPECT_NE(filters.find(facet), std::string::npos) << facet << "\n" << filters;
  // Year 1941: only the letter.
  EXPECT_EQ(faceted.substr(0, 2), "1\n") << faceted;
  EXPECT_NE(faceted.find("letters/herders.html"), std::string::npos) << faceted;
  boost::system::error_code ec;
  fs::remove_all(dir, ec);
}
