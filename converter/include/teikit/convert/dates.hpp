// Dates (ENCODING.md §5): recognising dates in running text and normalising them to ISO 8601.
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <utility>

namespace teikit {

struct Profile;

/// A calendar date, possibly with a time, with a record of what was inferred.
struct DateValue {
  int year = 0;     ///< four-digit year
  int month = 0;    ///< 1–12
  int day = 0;      ///< 1–31, 0 when only year and month are known
  int hour = -1;    ///< 0–23, -1 without a time
  int minute = 0;   ///< 0–59
  bool year_inferred = false;   ///< the year was taken from the document date
  bool month_inferred = false;  ///< the month was taken from the nearest earlier date
  bool utc = false;             ///< the time was given in UTC ("2353Z")

  /// ISO form: YYYY-MM-DD, YYYY-MM, or YYYY-MM-DDThh:mm:ss.
  std::string iso() const;
  /// The time as xsd:time ("23:53:00Z"), for a time with no day.
  std::string iso_time() const;
  /// True when any part was inferred.
  bool inferred() const { return year_inferred || month_inferred; }
};

/// A date found in a string: byte range and value.
struct DateMatch {
  std::size_t begin = 0;  ///< first byte of the match
  std::size_t end = 0;    ///< one past the last byte
  DateValue value;        ///< the normalised date (the start of a range)
  std::optional<DateValue> to;  ///< the end of a range ("April 3–5, 1962"), if any
  bool time_only = false;       ///< a time with no day ("2353Z"): value holds hour and minute
};

/// Context for dates without a year or month: the document date and the last date seen.
struct DateContext {
  std::optional<DateValue> document;  ///< the document date (header)
  std::optional<DateValue> previous;  ///< the nearest date before, in reading order
  /// The date of the nearest dateline before (the date of writing): what "the 18th instant",
  /// "ultimo" and a date without a year are read against first (ENCODING.md §5; issue 10).
  std::optional<DateValue> written;
  /// A probe: find_dates reports every date or time it reads, whatever the context would make
  /// of it (nothing found: no context can make the text yield a date).
  bool probe = false;
  /// The words of dates (month and weekday names, ordinals, "of", "the"…): null for the
  /// default profile.
  const Profile* profile = nullptr;
};

/// Reads a whole string as a date ("April 30, 1962", "30 April 1962", "1962-04-30"), or nothing.
std::optional<DateValue> parse_date(const std::string& text);

/// The same with the date words of `profile`. A weekday name of the profile may stand before
/// the date ("Monday, April 30, 1962").
std::optional<DateValue> parse_date(const std::string& text, const Profile& profile);

/// Finds the dates in `text` (left to right, non-overlapping). Characters equal to `barrier`
/// stop a match (used for the places of elements that are not text). Missing years and months
/// are filled from `context`, which is updated as dates are found.
std::vector<DateMatch> find_dates(const std::string& text, DateContext& context,
                                  char barrier = '\x01');

/// find_dates, reading `text` in windows of about `window` bytes (0: whole); find_dates uses
/// 64 KiB, so that its memory does not grow with the text. The matches are the same for every
/// window size (tests compare small windows with the whole).
std::vector<DateMatch> find_dates_windowed(const std::string& text, DateContext& context,
                                           char barrier, std::size_t window);

/// The month number (1–12) of a month name or abbreviation of the default profile, or 0.
int month_number(const std::string& word);

/// The month number (1–12) of a month name or abbreviation of `profile`, or 0.
int month_number(const std::string& word, const Profile& profile);

/// True when the header's date and the date of the text's dateline (ISO forms) name different
/// days, or months where one of them has no day (issue 10: warning date-conflict).
bool dates_conflict(const std::string& header_iso, const std::string& text_iso);

/// True when year/month/day form a real date of the Gregorian calendar.
bool is_valid_date(int year, int month, int day);

}  // namespace teikit

#include "teikit/convert/document.hpp"

namespace teikit {

/// Wraps every date found in the text of `node` and its descendants in <date when="…"> (with
/// evidence="internal" where a part was inferred), in document order. Text inside <supplied>
/// counts as text ("the 29th of [April]"); other elements interrupt a date. Elements of the
/// names in `skip` (e.g. "desc") are left alone.
void mark_dates(Node& node, DateContext& context);

/// True when `child`, among the children of an element whose dates are marked, interrupts
/// every date (any element but a <supplied> holding text only): mark_dates on a node holding
/// the children before it and then on one holding the rest gives what one call on all gives,
/// provided no child before it may_hold_dates (mark_own_dates: whatever the children).
bool interrupts_dates(const Node& child);

/// True when mark_dates would look for dates inside the element `child` itself (not as part of
/// its parent's text) and could find one there, in some context (with the date words of
/// `profile`; null: the default profile).
bool may_hold_dates(const Node& child, const Profile* profile = nullptr);

/// The first half of mark_dates on an element that is not a received note: the dates of its
/// own text (its text children and the <supplied> text it reads as text), not those inside its
/// other elements. mark_dates(node, c) is mark_own_dates(node, c), then mark_element_dates(node,
/// c), with the context as the first leaves it.
void mark_own_dates(Node& node, DateContext& context);

/// The second half of mark_dates on an element that is not a received note: the dates inside
/// its element children, in document order.
void mark_element_dates(Node& node, DateContext& context);

/// Finds where the children of an element can be cut into runs on which mark_own_dates, called
/// on the runs in turn, does what one call on all the children does: before a child that
/// interrupts every date, and between two children with no digit within 16 tokens (of the date
/// reader's) on either side of the cut and no word running across it — every date has a digit
/// and the reader looks at most a few tokens around one. Fed the children in order; holds a few
/// counters and the candidate cuts not yet confirmed.
class DateCuts {
 public:
  /// Reads the next child.
  void add(const Node& child);
  /// The last confirmed cut: the number of children, among those read and not dropped, before
  /// it (0: none yet).
  std::size_t cut() const { return cut_; }
  /// Forgets the first `n` children (n ≤ cut()): they were moved out as one run.
  void drop(std::size_t n);

 private:
  enum class Last { None, Space, Alpha, Digit, DigitTail, Other };
  void feed(const std::string& flat);
  std::size_t children_ = 0;   // children read and not dropped
  std::size_t tokens_ = 0;     // tokens started, at least (never more than the reader makes)
  std::size_t last_digit_ = 0; // 1 + the index of the last digit token (0: none yet)
  Last last_ = Last::None;
  bool boundary_ = false;      // a cut before child children_-1 awaits its first byte
  std::size_t cut_ = 0;
  // Candidate cuts (children before, tokens before) awaiting 16 tokens with no digit.
  std::vector<std::pair<std::size_t, std::size_t>> pending_;
};

}  // namespace teikit
