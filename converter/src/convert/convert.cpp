#include "teikit/convert/convert.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <new>

#include "teikit/base/file_names.hpp"
#include "teikit/convert/body_writer.hpp"
#include "teikit/convert/brackets.hpp"
#include "teikit/convert/correspondence.hpp"
#include "teikit/convert/correspondents.hpp"
#include "teikit/convert/footnotes.hpp"
#include "teikit/convert/header.hpp"
#include "teikit/convert/placement.hpp"
#include "teikit/convert/structure.hpp"

namespace teikit {

// True when a CommonMark text of `text_size` bytes fits in the memory this process can get
// (below: it reads /proc and the resource limits as conversion_memory_available does).
bool markdown_memory_available(std::size_t text_size);

namespace {

// The edition's id when none is given: the input's file name without its folder and extension.
std::string edition_id_from(const std::string& name) {
  std::string base = name;
  if (auto slash = base.find_last_of('/'); slash != std::string::npos) base = base.substr(slash + 1);
  if (auto dot = base.rfind('.'); dot != std::string::npos && dot > 0) base.resize(dot);
  // A file name is any bytes; the idno must be text an XML document can carry.
  return base == "-" || base == "<stdin>" || base.empty() ? "stdin" : name_as_text(base);
}

// What the writer needs besides the body: the header, the profile, the publication data and
// whom @resp points at.
TeiInput tei_input(const Header& header, const Profile& profile, const ConvertOptions& options,
                   const std::string& name) {
  TeiInput tei;
  tei.header = &header;
  tei.profile = &profile;
  tei.publication = options.publication;
  // @resp points at the translator; without one at the transcriber, then the editor (the
  // party responsible for the readings) — never at someone the header does not name.
  tei.resp_id = header.resp_id;
  if (tei.publication.edition_id.empty()) tei.publication.edition_id = edition_id_from(name);
  return tei;
}

// The pipeline: source → blocks → header → inlines → structure → dates → writer. The body is
// streamed: each block is parsed once (BlockInlines), given its role (classify_blocks) and
// placed (place_blocks), and each part, once final, has its dates marked and is serialised
// (BodyWriter), so that only the parts that can still change are held as a tree.
ConvertResult convert_text(const std::string& name, const std::string& bytes, std::string* release,
                           const ConvertOptions& options) {
  ConvertResult result;
  DiagnosticSink& sink = result.diagnostics;
  const auto profile_ptr = options.profile ? options.profile : default_profile();
  const Profile& profile = *profile_ptr;

  // source, blocks
  result.source = std::make_shared<const SourceText>(name, bytes, sink, options.encoding);
  if (release) std::string().swap(*release);  // decoded: the raw bytes are not needed any more
  const SourceText& source = *result.source;
  result.flavour = options.flavour == Flavour::Auto ? detect_flavour(source) : options.flavour;
  // cmark's tree of a CommonMark text takes up to ~130× the text (`>`, list items, emphasis on
  // every character), and cmark aborts the process when an allocation fails: so the memory is
  // looked at first, and a text that cannot fit is refused as out of memory (std::bad_alloc,
  // which every caller turns into a clean error) instead of ending the process.
  if (result.flavour == Flavour::Markdown && source.text().size() > (std::size_t{1} << 20) &&
      !markdown_memory_available(source.text().size()))
    throw std::bad_alloc();
  BlockList body = segment_blocks(source, result.flavour, sink);

  // header; the header keeps copies of its blocks, what remains is the document text
  std::size_t body_start = 0;
  Header header = parse_header(source, body, body_start, sink, profile);
  body.drop_front(body_start);  // the header's chunks are freed
  // The notes written after the text leave it here; each goes to its mark (footnotes.hpp).
  Footnotes footnotes = Footnotes::take(body, profile);
  if (body.empty())
    sink.report(source, static_cast<std::uint32_t>(source.text().size()), Severity::Warning,
                "empty-text", "the transcription has a header but no document text");
  TeiInput tei = tei_input(header, profile, options, name);

  // inlines, structure (roles, then placement), dates, body writer
  InlineContext ictx;
  ictx.profile = &profile;
  if (!tei.resp_id.empty()) ictx.resp = "#" + tei.resp_id;
  if (!header.reading_resp_id.empty()) ictx.reading_resp = "#" + header.reading_resp_id;
  ictx.rules_used = &tei.rules_used;
  ictx.parses = &result.inline_parses;
  ictx.footnotes = &footnotes;
  // The notes' own brackets: their diagnostics and conventions come after the text's (they
  // stand after it in the source). They are no text blocks: not counted in inline_parses.
  DiagnosticSink notes_sink;
  std::vector<std::string> notes_rules;
  InlineContext notes_ctx = ictx;
  notes_ctx.rules_used = &notes_rules;
  notes_ctx.parses = nullptr;
  footnotes.parse_notes(source, notes_ctx, notes_sink);
  result.text_blocks = body.size();
  BlockInlines inlines(source, body, ictx, sink);
  BlockPlans plan =
      classify_blocks(body, profile, [&](std::size_t i) { return inlines.standalone(i); });
  BodyWriter writer(options.element_spans ? &result.element_spans : nullptr);
  Correspondence corr = place_blocks({&source, &profile, &header, name}, body, plan, inlines, sink, writer);
  if (footnotes.found()) writer.after_divs(footnotes.area());
  sink.absorb(notes_sink);
  for (const auto& id : notes_rules)
    if (std::find(tei.rules_used.begin(), tei.rules_used.end(), id) == tei.rules_used.end())
      tei.rules_used.push_back(id);
  body = BlockList();

  // writer: the header from what the text said, then the document
  if (corr.sent_when.empty() && header.date) corr.sent_when = header.date->iso();
  Node corresp_node;
  if (auto desc = correspondence_desc(header, corr, profile, source, sink)) {
    corresp_node = std::move(*desc);
    tei.correspondence = &corresp_node;
  }
  for (const char* hand : {"handwritten", "hand-shift"})
    if (std::find(tei.rules_used.begin(), tei.rules_used.end(), hand) != tei.rules_used.end())
      tei.handwritten = true;
  sink.summarise_suppressed(name);
  tei.release_notes = &header;  // not read after write_tei
  result.xml = write_tei(tei, writer.pieces(), options.element_spans ? &result.element_spans : nullptr);
  return result;
}

}  // namespace

ConvertResult convert(const std::string& name, const std::string& bytes,
                      const ConvertOptions& options) {
  return convert_text(name, bytes, nullptr, options);
}

ConvertResult convert(const std::string& name, std::string&& bytes, const ConvertOptions& options) {
  return convert_text(name, bytes, &bytes, options);
}

std::size_t conversion_memory_estimate(std::size_t input_size) {
  // Measured peaks (bench/convert_memory.sh) stay under 10× the input for real and
  // bracket-dense text; the estimate leaves room above that, plus the program itself.
  constexpr std::size_t kPerInputByte = 12, kBase = std::size_t{64} << 20;
  return input_size > (SIZE_MAX - kBase) / kPerInputByte ? SIZE_MAX
                                                          : input_size * kPerInputByte + kBase;
}

namespace {

// The whole of a small /proc file, read with one open and a few reads (an ifstream and its
// locale-aware parsing cost more than the rest of a small conversion).
std::string read_proc(const char* path) {
  std::string text;
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buf[4096];
  for (ssize_t got; (got = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(got));
  ::close(fd);
  return text;
}

// The number after `key` (at a line start) in a /proc text of "Key:   123 kB" lines.
bool proc_value(const std::string& text, const char* key, std::size_t& value) {
  const std::size_t len = std::strlen(key);
  for (std::size_t at = 0; at < text.size();) {
    if (text.compare(at, len, key) == 0) {
      const char* p = text.c_str() + at + len;
      while (*p == ' ' || *p == '\t') ++p;
      if (*p < '0' || *p > '9') return false;
      value = 0;
      for (; *p >= '0' && *p <= '9'; ++p) value = value * 10 + static_cast<std::size_t>(*p - '0');
      return true;
    }
    const std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  return false;
}

// MemAvailable of /proc/meminfo in bytes, or SIZE_MAX when it cannot be read.
std::size_t memory_available() {
  std::size_t kib = 0;
  if (!proc_value(read_proc("/proc/meminfo"), "MemAvailable:", kib)) return SIZE_MAX;
  return kib > SIZE_MAX / 1024 ? SIZE_MAX : kib * 1024;
}

// What a resource limit still allows, given `used` bytes in use: SIZE_MAX when unlimited.
std::size_t limit_left(int resource, std::size_t used) {
  struct rlimit rl {};
  if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
  const auto cur = static_cast<std::size_t>(rl.rlim_cur);
  return cur > used ? cur - used : 0;
}

// The process's virtual size and data segment (bytes) from /proc/self/status.
void memory_in_use(std::size_t& vm, std::size_t& data) {
  vm = data = 0;
  const std::string status = read_proc("/proc/self/status");
  if (proc_value(status, "VmSize:", vm)) vm *= 1024;
  if (proc_value(status, "VmData:", data)) data *= 1024;
}

}  // namespace

bool markdown_memory_available(std::size_t text_size) {
  constexpr std::size_t kPerTextByte = 160, kBase = std::size_t{64} << 20;
  const std::size_t need =
      text_size > (SIZE_MAX - kBase) / kPerTextByte ? SIZE_MAX : text_size * kPerTextByte + kBase;
  std::size_t vm = 0, data = 0;
  memory_in_use(vm, data);
  return need <=
         std::min({memory_available(), limit_left(RLIMIT_AS, vm), limit_left(RLIMIT_DATA, data)});
}

bool conversion_memory_available(std::size_t input_size, std::string& why) {
  const std::size_t need = conversion_memory_estimate(input_size);
  std::size_t vm = 0, data = 0;
  memory_in_use(vm, data);
  const std::size_t have = std::min({memory_available(), limit_left(RLIMIT_AS, vm),
                                     limit_left(RLIMIT_DATA, data)});
  if (need <= have) return true;
  auto mib = [](std::size_t b) { return std::to_string(b >> 20) + " MiB"; };
  why = "converting " + mib(input_size) + " of text needs up to about " + mib(need) +
        " of memory; " + mib(have) + " available";
  return false;
}

}  // namespace teikit
