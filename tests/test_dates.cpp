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
