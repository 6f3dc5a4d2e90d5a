#include <gtest/gtest.h>

#include "teikit/dates.hpp"

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
