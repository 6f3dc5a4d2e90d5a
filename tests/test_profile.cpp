#include <gtest/gtest.h>

#include "teikit/convert/brackets.hpp"
#include "teikit/convert/profile.hpp"
#include "test_support.hpp"

using namespace teikit;

TEST(Profile, DefaultProfileIsTheFileInTheRepository) {
  std::string error;
  auto from_file = load_profile_file(
      teikit::test::source_dir() + "/converter/profiles/archive-translation.xml", error);
  ASSERT_TRUE(from_file) << error;
  auto builtin = default_profile();
  ASSERT_EQ(from_file->rules.size(), builtin->rules.size());
  for (std::size_t i = 0; i < builtin->rules.size(); ++i)
    EXPECT_EQ(from_file->rules[i].pattern_source, builtin->rules[i].pattern_source);
}

TEST(Profile, ClassifiesTheConventionsOfEncodingMd) {
  auto p = default_profile();
  auto id = [&](const char* content) { return p->classify(content).id; };
  EXPECT_EQ(id("..."), "omission");
  EXPECT_EQ(id("\xE2\x80\xA6"), "omission");
  EXPECT_EQ(id(". . ."), "omission");
  EXPECT_EQ(id("illegible"), "illegible");
  EXPECT_EQ(id("ILLEGIBLE"), "illegible");
  EXPECT_EQ(id("2 words illegible"), "illegible-extent");
  EXPECT_EQ(id("illegible signature"), "illegible-extent");
  EXPECT_EQ(id("sic"), "sic");
  EXPECT_EQ(id("sic!"), "sic");
  EXPECT_EQ(id("?"), "unclear");
  EXPECT_EQ(id("Urumqi?"), "conjecture");
  EXPECT_EQ(id("name not declassified"), "withheld");
  EXPECT_EQ(id("Page 12"), "page");
  EXPECT_EQ(id("p. 12"), "page");
  EXPECT_EQ(id("Here follows discussion of trade"), "editorial-omission");
  EXPECT_EQ(id("2 paragraphs omitted"), "editorial-omission");
  EXPECT_EQ(id("Received October 9, 9.30 p.m."), "received");
  EXPECT_EQ(id("Source: Central Files"), "source-note");
  EXPECT_EQ(id("Telegram"), "document-label");
  EXPECT_EQ(id("Translation."), "document-label");
  EXPECT_EQ(id("l. s."), "seal");
  EXPECT_EQ(id("handwritten: OK"), "handwritten");
  EXPECT_EQ(id("stamp: SECRET"), "stamp");
  EXPECT_EQ(id("To the"), "supplied");
  EXPECT_EQ(id("Urumqi"), "supplied");
}

TEST(Profile, ALeidenStyleProfileIsJustData) {
  std::string error;
  auto p = parse_profile(
      "<profile name='leiden' open='{' close='}'><title>t</title>"
      "<rule id='surplus' action='element' element='surplus' pattern='.+'/>"
      "<default id='x' action='supplied'/></profile>", "leiden.xml", error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->open, "{");
  EXPECT_EQ(p->classify("abc").element, "surplus");
}

TEST(Profile, ErrorsAreReported) {
  std::string error;
  EXPECT_FALSE(parse_profile("<profile name='x'><rule id='a' action='gap' pattern='('/>"
                             "<default id='d' action='supplied'/></profile>", "x", error));
  EXPECT_NE(error.find("bad pattern"), std::string::npos);
  EXPECT_FALSE(parse_profile("<profile name='x'/>", "x", error));
  EXPECT_NE(error.find("default"), std::string::npos);
  EXPECT_FALSE(parse_profile("not xml", "x", error));
}

TEST(Measure, ReadsQuantitiesAndBounds) {
  auto measure = [](const char* text) {
    Node gap = Node::make_element("gap");
    read_measure(text, gap);
    std::string r;
    for (const auto& [k, v] : gap.attributes) r += k + "=" + v + " ";
    return r;
  };
  EXPECT_EQ(measure("2 words illegible"), "quantity=2 unit=word ");
  EXPECT_EQ(measure("three lines illegible"), "quantity=3 unit=line ");
  EXPECT_EQ(measure("1\xC2\xBD lines not declassified"), "quantity=1.5 unit=line ");
  EXPECT_EQ(measure("less than 1 line of source text not declassified"), "atMost=1 unit=line ");
  EXPECT_EQ(measure("illegible word"), "quantity=1 unit=word ");
  EXPECT_EQ(measure("4 characters illegible"), "quantity=4 unit=char ");
  EXPECT_EQ(measure("name not declassified"), "");
}
