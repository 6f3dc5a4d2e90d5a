#include <gtest/gtest.h>

#include "teikit/convert/dates.hpp"

using namespace teikit;

TEST(Dates, ParsesTheThreeDateLineForms) {
  EXPECT_EQ(parse_date("April 30, 1962")->iso(), "1962-04-30");
  EXPECT_EQ(parse_date("30 April 1962")->iso(), "1962-04-30");
  EXPECT_EQ(parse_date("1962-04-30")->iso(), "1962-04-30");
  EXPECT_FALSE(parse_date("1962-02-30"));
  EXPECT_FALSE(parse_date("Cable from the Chinese Foreign Ministry"));
}

TEST(Dates, LongTextIsReadInWindowsWithoutSplittingADate) {
  // Dates around the 1 MiB window boundary and far beyond it are all found, at their offsets.
  std::string text;
  std::vector<std::size_t> where;
  for (std::size_t target : {std::size_t(1) << 20, (std::size_t(1) << 20) - 8, std::size_t(2500000)}) {
    while (text.size() + 5 < target) text += "word ";
    where.push_back(text.size());
    text += "April 30, 1962 ";
  }
  text += "end";
  DateContext context;
  const auto found = find_dates(text, context);
  ASSERT_EQ(found.size(), where.size());
  for (std::size_t i = 0; i < where.size(); ++i) {
    EXPECT_EQ(found[i].begin, where[i]);
    EXPECT_EQ(found[i].value.iso(), "1962-04-30");
  }
}

TEST(Dates, AProbeReportsWhatNoContextCouldCompleteAndMayHoldDatesUsesIt) {
  // "the 29th" needs a month from the context; with none it is no date, but a probe reports
  // it (what mark_dates of a long paragraph relies on to tell whether the context matters).
  DateContext none;
  EXPECT_TRUE(find_dates("met on the 29th and", none).empty());
  DateContext probe;
  probe.probe = true;
  ASSERT_EQ(find_dates("met on the 29th and", probe).size(), 1u);
  EXPECT_TRUE(find_dates("Enclosure 1, page 4", probe).empty());

  Node add = Node::make_element("add");
  add.append_text("12 May");
  EXPECT_TRUE(may_hold_dates(add));
  Node note = Node::make_element("note");
  note.append_text("Enclosure 1");
  EXPECT_FALSE(may_hold_dates(note));
  Node supplied = Node::make_element("supplied");
  supplied.append_text("29th of April");
  EXPECT_FALSE(may_hold_dates(supplied));  // read as the parent's text
  EXPECT_FALSE(interrupts_dates(supplied));
  EXPECT_TRUE(interrupts_dates(note));
  Node gap = Node::make_element("gap");
  gap.append(Node::make_element("desc")).append_text("3 May 1962");
  EXPECT_FALSE(may_hold_dates(gap));  // never read for dates
}

namespace {
Node supplied_word(const std::string& w) {
  Node s = Node::make_element("supplied");
  s.append_text(w);
  return s;
}
}  // namespace

TEST(Dates, DateCutsOnlyBetweenLongDigitFreeRunsOrBeforeAnInterruptingElement) {
  // Children: text and supplied words. A cut needs 16 tokens with no digit on both sides.
  DateCuts cuts;
  cuts.add(Node::make_text("on the 29th of "));
  cuts.add(supplied_word("April"));
  EXPECT_EQ(cuts.cut(), 0u);  // the date is right there
  for (int i = 0; i < 40; ++i) {
    cuts.add(Node::make_text(" "));
    cuts.add(supplied_word("word"));
  }
  // 40 words after the date: cuts 16 tokens past it are confirmed once 16 more follow.
  EXPECT_GT(cuts.cut(), 2u);
  const std::size_t before = cuts.cut();
  cuts.add(Node::make_text(" 3"));  // a digit: nothing within 16 tokens before it is a cut
  for (int i = 0; i < 40; ++i) cuts.add(supplied_word("x"));  // one word "xxx…": no token
  EXPECT_EQ(cuts.cut(), before);
  // An element that interrupts every date is a cut at once, digits or not.
  cuts.add(Node::make_element("gap"));
  const std::size_t at_gap = cuts.cut();
  EXPECT_GT(at_gap, before);
  cuts.drop(at_gap);
  EXPECT_EQ(cuts.cut(), 0u);
  // Spaces are no tokens: "29th of" and "April" far apart in bytes are still one date.
  DateCuts spaced;
  spaced.add(Node::make_text("the 29th of"));
  spaced.add(Node::make_text(std::string(500, ' ')));
  spaced.add(supplied_word("April"));
  spaced.add(Node::make_text(std::string(500, ' ')));
  EXPECT_EQ(spaced.cut(), 0u);
}

TEST(Dates, MarkOwnThenElementDatesIsMarkDates) {
  // A paragraph with a note holding a day alone after the paragraph's own dates: the note's
  // day takes its month from the paragraph's last own date, not from the one before it.
  auto make = [] {
    Node p = Node::make_element("p");
    p.append_text("On 3 May 1962 ");
    Node& n = p.append(Node::make_element("note"));
    n.append_text("see the 9th");
    p.append_text(" and on 4 June 1962.");
    return p;
  };
  Node whole = make(), split = make();
  DateContext a, b;
  mark_dates(whole, a);
  mark_own_dates(split, b);
  mark_element_dates(split, b);
  std::string x, y;
  write_xml(whole, 0, false, x);
  write_xml(split, 0, false, y);
  EXPECT_EQ(x, y);
  EXPECT_NE(x.find("1962-06-09"), std::string::npos) << x;
}
