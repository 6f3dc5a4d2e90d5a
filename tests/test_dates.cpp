#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <iterator>

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

namespace {

// A match as one line: offsets, value (with its time), range end, inferred parts, time only.
std::string describe(const DateMatch& m) {
  return std::to_string(m.begin) + "-" + std::to_string(m.end) + " " + m.value.iso_time() + " " +
         (m.to ? m.to->iso() : std::string("-")) + (m.value.year_inferred ? " y" : "") +
         (m.value.month_inferred ? " m" : "") + (m.time_only ? " t" : "");
}

std::vector<std::string> read_in_windows(const std::string& text, std::size_t window, bool probe) {
  DateContext context;
  context.document = parse_date("1962-04-30");
  context.probe = probe;
  std::vector<std::string> out;
  for (const DateMatch& m : find_dates_windowed(text, context, '\x01', window))
    out.push_back(describe(m));
  if (!probe && context.previous) out.push_back("previous " + context.previous->iso());
  return out;
}

}  // namespace

namespace {
// Text dense with numbers: dates of every form the reader knows, numbers that are no date,
// barriers, and digit-free stretches longer than the cut's margin, so that windows also end
// there; about `size` bytes of pieces picked by a fixed seed.
std::string numbers_text(std::size_t size) {
  const char* const pieces[] = {
      "on April 3-5, 1962 they met ", "the 29th ", "at 9 p.m. ", "filed at 2353Z ",
      "word[1] and[2] ", "between 10 and 12 May ", "30 April 1962 ", "1962-04-30 ",
      "of the 18th instant ", "on the 3rd of this month ", "Telegram No. 977 ", "page 4 of 12 ",
      "May\x01 5, 1963 ", "on 1 June ", "19 ", "at 14.30 hours ", "31 February 1962 ", "the 2d ",
      "x\n\n1962 ", "December 31, 1961 - January 2, 1962 ", "in 1962 and 1963 ",
      // digit-free stretches longer than the cut's margin, so that windows also end there
      "and then a long stretch of words without any number in it, read by nobody, about the "
      "weather, the roads, the delegation's luggage, the hotel and its kitchen, the long speeches "
      "of the evening and the short ones of the morning after, until the talks began again "};
  std::string text;
  unsigned seed = 7;
  while (text.size() < size) {
    seed = seed * 1103515245u + 12345u;
    text += pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)];
  }
  return text;
}
}  // namespace

// Text dense with numbers has no digit-free place to cut: the windows overlap, and each goes on
// where the one before stopped. Every window size gives the matches (and the context after them)
// of a reading of the whole text: ranges, times, days without a month or year, relative months,
// ordinals, barriers, numbers that are no date, and cuts inside all of them.
TEST(Dates, WindowsOfEverySizeReadAsTheWholeText) {
  const std::string text = numbers_text(60000);
  // The same with no blank at all (one "word": the overlap is counted in pieces of tokens,
  // not in blank-separated runs, or each window would read to the end of the text).
  std::string unbroken;
  for (char c : text)
    if (c != ' ' && c != '\n') unbroken += c;
  for (const std::string* t : {&text, static_cast<const std::string*>(&unbroken)})
    for (const bool probe : {false, true}) {
      const std::vector<std::string> whole = read_in_windows(*t, 0, probe);
      ASSERT_GT(whole.size(), 500u);
      for (std::size_t window : {1, 7, 64, 99, 250, 1000, 4096, 20000}) {
        const std::vector<std::string> parts = read_in_windows(*t, window, probe);
        ASSERT_EQ(parts.size(), whole.size()) << "window " << window;
        for (std::size_t i = 0; i < whole.size(); ++i)
          ASSERT_EQ(parts[i], whole[i]) << "window " << window << ", match " << i;
      }
    }
}

namespace {
Node supplied_word(const std::string& w) {
  Node s = Node::make_element("supplied");
  s.append_text(w);
  return s;
}
}  // namespace

// The reader fed its text in pieces of every size (a paragraph parsed in batches) finds what a
// reading of the whole text finds, and says truly up to where its matches are final.
TEST(Dates, TextFedInPiecesIsReadAsTheWholeText) {
  const std::string text = numbers_text(60000);
  for (const bool probe : {false, true}) {
    const std::vector<std::string> whole = read_in_windows(text, 0, probe);
    for (std::size_t window : {1, 64, 250, 4096}) {
      for (std::size_t most : {1, 5, 300, 9000}) {
        DateContext context;
        context.document = parse_date("1962-04-30");
        context.probe = probe;
        std::vector<std::string> fed;
        std::size_t final_to = 0, calls = 0;
        const DateReader::Matches take = [&](std::vector<DateMatch>& matches, std::size_t to) {
          for (const DateMatch& m : matches) {
            EXPECT_GE(m.begin, final_to) << "a match before what was said to be final";
            fed.push_back(describe(m));
          }
          EXPECT_GE(to, final_to);
          final_to = to;
          ++calls;
        };
        DateReader reader(context, '\x01', window);
        unsigned seed = 3;
        for (std::size_t at = 0; at < text.size();) {
          seed = seed * 1103515245u + 12345u;
          const std::size_t n = std::min(text.size() - at, 1 + (seed >> 16) % most);
          reader.feed(std::string_view(text).substr(at, n), take);
          at += n;
        }
        reader.finish(take);
        if (!probe && context.previous) fed.push_back("previous " + context.previous->iso());
        EXPECT_EQ(final_to, text.size());
        EXPECT_GT(calls, window < 4096 ? 10u : 1u) << "read in one piece";
        ASSERT_EQ(fed.size(), whole.size()) << "window " << window << ", pieces of " << most;
        for (std::size_t i = 0; i < whole.size(); ++i)
          ASSERT_EQ(fed[i], whole[i]) << "window " << window << ", pieces of " << most;
      }
    }
  }
}

// The children of a paragraph given to OwnDatesMarker in batches of every size come out, in
// runs, as mark_own_dates marks them all at once, with the same context after them, and the
// first run comes before half of the children are given.
TEST(Dates, OwnDatesMarkerHandsOnRunsAsMarkOwnDatesMarksTheWhole) {
  const std::string text = numbers_text(200000);
  auto children = [&] {
    std::vector<Node> kids;
    unsigned seed = 11;
    for (std::size_t at = 0; at < text.size();) {
      seed = seed * 1103515245u + 12345u;
      const std::size_t n = std::min(text.size() - at, std::size_t(1 + (seed >> 16) % 40));
      kids.push_back(Node::make_text(text.substr(at, n)));
      at += n;
      switch ((seed >> 8) % 7) {
        case 0:
          kids.push_back(supplied_word("April"));
          break;
        case 1:
          kids.push_back(Node::make_element("gap"));
          break;
        case 2:
          kids.push_back(supplied_word(" 1962"));
          break;
        default:
          break;
      }
    }
    return kids;
  };
  Node whole = Node::make_element("p");
  whole.children = children();
  DateContext all;
  all.document = parse_date("1962-04-30");
  mark_own_dates(whole, all);
  std::string expected;
  write_xml(whole, 0, false, expected);
  ASSERT_GT(std::count(expected.begin(), expected.end(), '<'), 5000);
  for (std::size_t run : {1, 7, 1024}) {
    for (std::size_t batch : {1, 100, 5000}) {
      DateContext context;
      context.document = parse_date("1962-04-30");
      Node out = Node::make_element("p");
      std::size_t runs = 0, given = 0, given_at_first_run = 0;
      OwnDatesMarker marker(
          out, context,
          [&](std::vector<Node>& r) {
            if (runs++ == 0) given_at_first_run = given;
            for (auto& c : r) out.append(std::move(c));
          },
          run);
      std::vector<Node> kids = children();
      for (std::size_t at = 0; at < kids.size(); at += batch) {
        std::vector<Node> part(
            std::make_move_iterator(kids.begin() + static_cast<long>(at)),
            std::make_move_iterator(kids.begin() +
                                    static_cast<long>(std::min(kids.size(), at + batch))));
        given += part.size();
        marker.add(part);
      }
      marker.finish();
      std::string got;
      write_xml(out, 0, false, got);
      ASSERT_EQ(got, expected) << "runs of " << run << ", batches of " << batch;
      EXPECT_EQ(context.previous->iso(), all.previous->iso());
      EXPECT_LT(given_at_first_run, kids.size() / 2)
          << "runs of " << run << ", batches of " << batch;
    }
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
  Node gap = Node::make_element("gap");
  gap.append(Node::make_element("desc")).append_text("3 May 1962");
  EXPECT_FALSE(may_hold_dates(gap));  // never read for dates
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

TEST(Dates, TokensFarFromEveryNumberAreLeftOutWithoutJoiningTheirNeighbours) {
  // The reader leaves out the tokens no date can reach (far after one number and before the
  // next); what stays on either side must not become adjacent, and the tokens just before a
  // number (a range's first word, an article, a month) must stay.
  std::string words;
  for (int i = 0; i < 300; ++i) words += "word ";
  DateContext context;
  DateValue written;
  written.year = 1962, written.month = 4, written.day = 30;
  context.written = written;
  const std::string text = "On 3 May 1962 they wrote " + words + "Sept. " + words +
                           "5 copies, and between 10 and 12 March 1962 " + words +
                           "the 18th instant " + words + "on the 2d";
  const auto found = find_dates(text, context);
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].value.iso(), "1962-05-03");
  // "Sept. … 5": three hundred words apart, no date.
  EXPECT_EQ(text.substr(found[1].begin, found[1].end - found[1].begin), "10 and 12 March 1962");
  EXPECT_EQ(found[1].value.iso(), "1962-03-10");
  ASSERT_TRUE(found[1].to);
  EXPECT_EQ(found[1].to->iso(), "1962-03-12");
  EXPECT_EQ(text.substr(found[2].begin, found[2].end - found[2].begin), "18th instant");
  EXPECT_EQ(found[2].value.iso(), "1962-04-18");
  EXPECT_EQ(text.substr(found[3].begin, found[3].end - found[3].begin), "2d");
  EXPECT_EQ(found[3].value.iso(), "1962-04-02");  // the month of the nearest date before
}

TEST(Dates, TheJumpToTheNextDigitKeepsTheWordsBeforeItWhateverTheSpacing) {
  // Far from every number the reader jumps to the next digit and reads only the few tokens
  // before it; tabs, line feeds, runs of spaces, punctuation and letters beyond ASCII right
  // before a date must read as they do in a short text.
  std::string far;
  for (int i = 0; i < 200; ++i) far += (i % 3 == 0 ? "Wört\t" : i % 3 == 1 ? "word \n " : "—   ");
  const std::vector<std::string> snippets = {
      "between  10\tand\n12 March 1962", "(the 29th of April, 1962)", "Sept.\n3, 1962",
      "\xE2\x80\x94" "April 3\xE2\x80\x93" "5, 1962", "at 9 p.m. on the 29th of April 1962"};
  for (const auto& snippet : snippets) {
    DateContext alone_context, far_context;
    const auto alone = find_dates(snippet, alone_context);
    const std::string text = far + snippet + " " + far;
    const auto found = find_dates(text, far_context);
    ASSERT_EQ(found.size(), alone.size()) << snippet;
    ASSERT_FALSE(alone.empty()) << snippet;
    for (std::size_t k = 0; k < found.size(); ++k) {
      EXPECT_EQ(found[k].begin, far.size() + alone[k].begin) << snippet;
      EXPECT_EQ(found[k].end, far.size() + alone[k].end) << snippet;
      EXPECT_EQ(found[k].value.iso(), alone[k].value.iso()) << snippet;
      EXPECT_EQ(found[k].to.has_value(), alone[k].to.has_value()) << snippet;
    }
  }
}

// The ISO forms are written by hand: they are what printf's zero-padded fields make, for
// short, long and negative numbers alike.
TEST(Dates, IsoFormsAreThoseOfPrintf) {
  for (int year : {0, 7, 62, 999, 1962, 2026, 12345, -5}) {
    for (int month : {1, 9, 12, 123}) {
      for (int day : {0, 1, 30}) {
        for (int hour : {-1, 0, 9, 23}) {
          for (bool utc : {false, true}) {
            DateValue d;
            d.year = year;
            d.month = month;
            d.day = day;
            d.hour = hour;
            d.minute = 7;
            d.utc = utc;
            char want[64];
            if (day == 0)
              std::snprintf(want, sizeof want, "%04d-%02d", year, month);
            else if (hour < 0)
              std::snprintf(want, sizeof want, "%04d-%02d-%02d", year, month, day);
            else
              std::snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:00%s", year, month, day,
                            hour, 7, utc ? "Z" : "");
            EXPECT_EQ(d.iso(), want);
            if (hour >= 0) {
              std::snprintf(want, sizeof want, "%02d:%02d:00%s", hour, 7, utc ? "Z" : "");
              EXPECT_EQ(d.iso_time(), want);
            }
          }
        }
      }
    }
  }
}
