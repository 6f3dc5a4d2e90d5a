#include <gtest/gtest.h>

#include <deque>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>

#include "teikit/convert/blocks.hpp"
#include "teikit/base/diagnostics.hpp"
#include "test_support.hpp"

using namespace teikit;

namespace {
BlockList blocks_of(const std::string& text, Flavour f = Flavour::Auto) {
  DiagnosticSink sink;
  // Plain blocks view the source (BlockText): it is kept for as long as the test runs.
  static std::deque<SourceText> sources;
  return segment_blocks(sources.emplace_back("b.txt", text, sink), f, sink);
}
}  // namespace

TEST(Blocks, PlainBlocksAreVerbatimSlices) {
  auto b = blocks_of("\n\none\nline two  \n\n\nthree\n");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].text, "one\nline two");
  EXPECT_TRUE(b[0].exact);
  EXPECT_EQ(b[0].span.begin, 2u);
  EXPECT_EQ(b[1].text, "three");
}

TEST(Blocks, DetectsMarkdownFlavour) {
  DiagnosticSink sink;
  EXPECT_EQ(detect_flavour(SourceText("a", "**Citation:**\n", sink)), Flavour::Markdown);
  EXPECT_EQ(detect_flavour(SourceText("a", "x\n<https://example.org>\n", sink)), Flavour::Markdown);
  EXPECT_EQ(detect_flavour(SourceText("a", "a title  \ncontinued\n", sink)), Flavour::Markdown);
  EXPECT_EQ(detect_flavour(SourceText("a", "Citation:\n\n[...] and *stars*\n", sink)), Flavour::Plain);
}

TEST(Blocks, MarkdownDropsMarkupKeepsText) {
  auto b = blocks_of("**Bold label:**\n\nsee <https://example.org/x> now\n\n1. First point\n\n"
                     "* * * * *\n");
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].text, "Bold label:");
  EXPECT_TRUE(b[0].strong);
  EXPECT_EQ(b[1].text, "see https://example.org/x now");
  EXPECT_EQ(b[2].text, "1. First point");   // list marker kept: a numbered paragraph
  EXPECT_EQ(b[3].text, "* * * * *");        // thematic break kept as the omission line it is
}

TEST(Blocks, MarkdownKeepsBracketsAndLinkDefinitions) {
  DiagnosticSink sink;
  SourceText s("m.txt", "**T**\n\nWulumuqi [Urumqi] [...]\n\n[ref]: https://example.org\n", sink);
  auto b = segment_blocks(s, Flavour::Markdown, sink);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[1].text, "Wulumuqi [Urumqi] [...]");
  EXPECT_EQ(b[2].text, "[ref]: https://example.org");
  ASSERT_EQ(sink.diagnostics().size(), 1u);
  EXPECT_EQ(sink.diagnostics()[0].code, "markdown-unrendered");
}

namespace {
// Blocks and diagnostics of `text` segmented as Markdown with parts of `part_bytes`.
std::string markdown_blocks(const std::string& text, std::size_t part_bytes) {
  DiagnosticSink sink;
  SourceText s("m.txt", text, sink);
  std::string r;
  for (const auto& b : segment_blocks(s, Flavour::Markdown, sink, part_bytes))
    r += std::to_string(b.span.begin) + "-" + std::to_string(b.span.end) + (b.exact ? "e" : "") +
         (b.strong ? "s" : "") + ":" + b.text + "\n";
  for (const auto& d : sink.diagnostics())
    r += d.code + "@" + std::to_string(d.line) + ":" + std::to_string(d.column) + "\n";
  return r;
}
}  // namespace

// Markdown is parsed in parts, one cmark tree at a time; cut anywhere it may be cut (parts of
// one byte) it gives the blocks of the whole document, list items, quotes, indented code,
// headings, breaks and brackets included.
TEST(Blocks, MarkdownInPartsGivesTheWholeDocumentsBlocks) {
  std::string text = "**Citation:**\n\nA \"title\", 1962. <https://example.org/a>\n\n";
  for (int i = 0; i < 50; ++i)
    text += "1. First point [sic] and **bold** text\n2. second  \nhard break\n\n"
            "- item\n\n  continued item paragraph\n\n> quoted [stamp: A]\n> more\n\n"
            "    indented code\n\n    more code\n\nNext paragraph *em* [...]\n"
            "lazy line\n\n# Heading " + std::to_string(i) + "\n\n* * * * *\n\n"
            "Setext\n===\n\n<div>html block</div>\n\n[not a definition] of [April]: a note\n\n";
  const std::string whole = markdown_blocks(text, SIZE_MAX);
  EXPECT_EQ(markdown_blocks(text, 1), whole);
  EXPECT_EQ(markdown_blocks(text, 100), whole);
  EXPECT_NE(whole.find("1. First point [sic] and bold text"), std::string::npos);
}

// Paragraphs that are their lines as written are made blocks without cmark: every case on the
// edge of that test (list markers, entities, underscores, brackets, breaks, indentation,
// paragraphs interrupted) gives the blocks and diagnostics of the whole cmark parse.
TEST(Blocks, LiteralParagraphsGiveCmarksBlocks) {
  const char* paragraphs[] = {
      "Plain line one [sic]\nplain line two [...] (a note)",
      "14. Mai 1958\nlazy line", "1) First point\nmore", "3.  two spaces", "4.     five spaces",
      "5.", "1958.", "12345678901. eleven digits", "0. zero", "7.\tafter a tab",
      "AT&T, &amp; and &#65; &x; & alone", "snake_case a_b liv_01 _x_ __init__ x_ _y",
      "[a](b) link, [sic] and ![img](u)", "[not a link] (b)", "hard  \nbreak", "escaped\\\nbreak",
      "tab\there", "x\n  indented continuation", "para\n===", "para\n---", "para\n- item",
      "para\n2. two", "para\n1. one", "a < b > c", "`code` here", "*em* and **strong**",
      "# heading", "> quote", "+ plus", "~~~", "    indented code", " one space", "Ünïcode ä_b",
      "digits 12.5 and 1958.", "trailing space ", "===", "***", "- - -", "<div>x</div>",
      "line\n\n  indented after a blank", "A\u00a0no-break space"};
  std::string text;
  for (int i = 0; i < 3; ++i)
    for (const char* p : paragraphs) text += std::string(p) + "\n\n";
  const std::string whole = markdown_blocks(text, SIZE_MAX);
  EXPECT_EQ(markdown_blocks(text, 1), whole);
  EXPECT_EQ(markdown_blocks(text, 200), whole);
  EXPECT_NE(whole.find("14. Mai 1958\nlazy line"), std::string::npos);
}

// Each byte the literal test looks for, at every place of a line of 24 bytes (the scan goes
// eight bytes at a time): the blocks are cmark's, as for the whole document.
TEST(Blocks, LiteralParagraphsFindMarkupAtEveryPlaceOfAWord) {
  std::string text;
  // Markup that cmark takes out (a code span, emphasis, an escape, an entity, a link) and
  // bytes it keeps (a control character, a bracket, "<", "_" inside a word).
  for (const char* special : {"`c`", "*e*", "\\*", "&amp;", "[l](u)", " _e_ ", "\x01", "]",
                              "<", "a_b"}) {
    for (std::size_t at = 0; at <= 24; ++at) {
      std::string line(24, 'a');
      for (std::size_t k = 0; k < line.size(); k += 5) line[k] = ' ';
      line.insert(at, special);
      while (!line.empty() && line.back() == ' ') line.pop_back();
      text += "x" + line + "\n\n";
    }
  }
  const std::string whole = markdown_blocks(text, SIZE_MAX);
  EXPECT_EQ(markdown_blocks(text, 1), whole);
}

// What runs across a cut makes the text be parsed whole: a link definition at the end applies
// to a reference at the start; a fenced code block and an HTML comment hold blank lines and
// unindented lines.
TEST(Blocks, MarkdownThatRunsAcrossACutIsParsedWhole) {
  const std::string filler = "Some paragraph text.\n\n";
  std::string refs = "See [the file][f] here.\n\n";
  for (int i = 0; i < 40; ++i) refs += filler;
  refs += "[f]: https://example.org/f\n";
  const std::string whole = markdown_blocks(refs, SIZE_MAX);
  EXPECT_EQ(markdown_blocks(refs, 1), whole);
  EXPECT_NE(whole.find("See the file (https://example.org/f) here."), std::string::npos);
  for (const std::string& open : {std::string("```\n"), std::string("<!--\n"),
                                  std::string("<pre>\n"), std::string("> ~~~\n")}) {
    std::string t = "Start.\n\n" + open + "code\n\nnot a paragraph\n\n";
    for (int i = 0; i < 40; ++i) t += filler;
    EXPECT_EQ(markdown_blocks(t, 1), markdown_blocks(t, SIZE_MAX)) << open;
  }
}

// The real Markdown documents of the project, cut at every place they may be cut.
TEST(Blocks, MarkdownSamplesInPartsGiveTheWholeDocumentsBlocks) {
  for (const char* name : {"telegram-markdown.txt", "cable-markdown.txt", "letter-markdown.txt"}) {
    std::ifstream in(test::source_dir() + "/samples/" + name, std::ios::binary);
    ASSERT_TRUE(in) << name;
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Without the document's link definitions, which would make it be parsed whole.
    std::string cut;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
      if (line.find("]:") == std::string::npos || line[0] != '[') cut += line + "\n";
    EXPECT_EQ(markdown_blocks(cut, 1), markdown_blocks(cut, SIZE_MAX)) << name;
    EXPECT_EQ(markdown_blocks(text, 1), markdown_blocks(text, SIZE_MAX)) << name;
  }
}

// A block's text views the source or owns a copy: copies of a view view the same bytes, copies
// of an owned text are copies, a text assigned a part of itself keeps the right bytes, and
// shorten() keeps a view a view.
TEST(Blocks, BlockTextViewsTheSourceOrOwnsACopy) {
  const std::string source = "one two three";
  BlockText view = BlockText::view_of(std::string_view(source).substr(4, 3));
  EXPECT_TRUE(view.is_view());
  EXPECT_EQ(view, "two");
  EXPECT_EQ(view.data(), source.data() + 4);
  const BlockText view_copy = view;
  EXPECT_TRUE(view_copy.is_view());
  EXPECT_EQ(view_copy.data(), source.data() + 4);

  BlockText owned = std::string("a text of its own, longer than a small string");
  EXPECT_FALSE(owned.is_view());
  BlockText owned_copy = owned;
  EXPECT_FALSE(owned_copy.is_view());
  EXPECT_NE(owned_copy.data(), owned.data());
  EXPECT_EQ(owned_copy, owned.view());

  owned_copy = owned_copy.substr(2, 4);  // a part of itself
  EXPECT_EQ(owned_copy, "text");
  owned_copy.shorten(2);
  EXPECT_EQ(owned_copy, "te");

  view.shorten(1);
  EXPECT_TRUE(view.is_view());
  EXPECT_EQ(view, "t");

  BlockText moved = std::move(owned);
  EXPECT_EQ(moved, "a text of its own, longer than a small string");
  EXPECT_TRUE(owned.empty());  // NOLINT: a moved-from text is empty
  moved = BlockText();
  EXPECT_TRUE(moved.empty());
  EXPECT_EQ(BlockText(""), "");
}

// Plain blocks are views of the source: no copy of the text is made.
TEST(Blocks, PlainBlocksViewTheSource) {
  DiagnosticSink sink;
  const SourceText s("v.txt", "First paragraph.\n\nSecond one.\n", sink);
  const auto blocks = segment_blocks(s, Flavour::Plain, sink);
  ASSERT_EQ(blocks.size(), 2u);
  for (const auto& b : blocks) {
    EXPECT_TRUE(b.text.is_view());
    EXPECT_EQ(b.text.data(), s.text().data() + b.span.begin);
  }
}

// ChunkedList: indexed like a vector across its chunks, cut at the end, dropped at the front
// (indices move), freed behind a reader (indices stay).
TEST(Blocks, ChunkedListIndexesTruncatesDropsAndReleases) {
  using List = ChunkedList<int>;
  const std::size_t n = List::kChunk * 3 + 5;
  List list;
  list.reserve(n);
  for (std::size_t i = 0; i < n; ++i) list.push_back(static_cast<int>(i));
  ASSERT_EQ(list.size(), n);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(list[i], static_cast<int>(i));
  std::size_t seen = 0;
  for (int v : list) ASSERT_EQ(v, static_cast<int>(seen++));
  EXPECT_EQ(seen, n);
  EXPECT_EQ(list.end() - list.begin(), static_cast<std::ptrdiff_t>(n));

  list.truncate(List::kChunk * 2 + 1);  // into the third chunk
  EXPECT_EQ(list.size(), List::kChunk * 2 + 1);
  EXPECT_EQ(list.back(), static_cast<int>(List::kChunk * 2));
  list.push_back(-1);  // goes on after the cut
  EXPECT_EQ(list[List::kChunk * 2 + 1], -1);
  list.truncate(List::kChunk);  // at a chunk's end
  EXPECT_EQ(list.back(), static_cast<int>(List::kChunk - 1));
  list.push_back(-2);  // a new chunk
  EXPECT_EQ(list[List::kChunk], -2);

  list.drop_front(3);
  EXPECT_EQ(list.size(), List::kChunk - 2);
  EXPECT_EQ(list[0], 3);
  EXPECT_EQ(list.back(), -2);

  List reader;
  reader.grow_to(List::kChunk * 2 + 10);
  for (std::size_t i = 0; i < reader.size(); ++i) {
    reader[i] = static_cast<int>(i);
    reader.release_before(i);  // only chunks wholly before i go
    ASSERT_EQ(reader[i], static_cast<int>(i));
    if (i % List::kChunk != 0) {
      ASSERT_EQ(reader[i - 1], static_cast<int>(i - 1)) << i;  // in i's chunk: kept
    }
    ASSERT_EQ(reader.chunks_held(), 3 - i / List::kChunk) << i;  // the ones before i's are freed
  }
  EXPECT_EQ(reader.size(), List::kChunk * 2 + 10);

  List empty;
  EXPECT_TRUE(empty.empty());
  empty.truncate(0);
  empty.drop_front(1);
  empty.release_before(5);
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.begin(), empty.end());
}
