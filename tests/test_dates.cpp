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
