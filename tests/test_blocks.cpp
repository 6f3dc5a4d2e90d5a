#include <gtest/gtest.h>

#include "teikit/convert/blocks.hpp"
#include "teikit/base/diagnostics.hpp"

using namespace teikit;

namespace {
std::vector<Block> blocks_of(const std::string& text, Flavour f = Flavour::Auto) {
  DiagnosticSink sink;
  SourceText s("b.txt", text, sink);
  return segment_blocks(s, f, sink);
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
