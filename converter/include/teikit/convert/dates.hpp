// Dates (ENCODING.md §5): recognising dates in running text and normalising them to ISO 8601.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
/// kDateWindow. The matches are the same for every
/// window size (tests compare small windows with the whole).
std::vector<DateMatch> find_dates_windowed(const std::string& text, DateContext& context,
                                           char barrier, std::size_t window);

/// The size of the windows find_dates reads a long text in (64 KiB), so that its memory does
/// not grow with the text.
inline constexpr std::size_t kDateWindow = std::size_t(1) << 16;

/// The date reader of find_dates_windowed fed its text in pieces, for a text that comes in
/// pieces and must not be held whole (a long paragraph parsed and written in batches): it holds
/// about two windows of text, and hands on the matches of each window as soon as the window is
/// read. The matches, and the context after them, are those of find_dates on all the text fed
/// (find_dates_windowed is this reader fed the whole text at once).
class DateReader {
 public:
  /// Matches now final (offsets from the start of all the text fed), and the offset before
  /// which every match is known: no later match begins before it.
  using Matches = std::function<void(std::vector<DateMatch>& matches, std::size_t final_to)>;

  /// A reader updating `context` (which must outlive it), with windows of about `window`
  /// bytes (0: the whole text in one reading at finish()).
  DateReader(DateContext& context, char barrier, std::size_t window);
  /// Appends `text` to what is read; reads every window that is now complete.
  void feed(std::string_view text, const Matches& on_matches);
  /// Reads what is left; the reader is then empty.
  void finish(const Matches& on_matches);

 private:
  bool read_window(bool at_end, const Matches& on_matches);
  DateContext& context_;
  char barrier_;
  std::size_t window_;
  std::string text_;       // the text fed, from the absolute offset base_ on
  std::size_t base_ = 0;   // absolute offset of text_[0]
  std::size_t start_ = 0;  // absolute: where the next window's text begins
  std::size_t from_ = 0;   // absolute: where its reading goes on (at or after start_)
  std::size_t retry_at_ = 0;  // absolute: no window is tried before the text reaches it
};

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

/// mark_own_dates on an element whose children come in pieces and must not be held whole (a
/// long paragraph parsed in batches): the children are given in order to add(), and handed on,
/// marked, to `emit` in runs of about `run` children as soon as no date can reach them (the
/// date reader's window has passed them); finish() hands on the rest. The runs, put together,
/// are the children mark_own_dates gives, with the same context after them. Holds the children
/// of about two windows of the date reader (and a text child being cut, whole).
class OwnDatesMarker {
 public:
  /// Marked children, in order; `emit` may move them out.
  using Emit = std::function<void(std::vector<Node>& children)>;

  /// A marker for the children of `element` (its name and kind decide, as in mark_own_dates,
  /// whether its text is read at all), updating `context`, which must outlive it.
  OwnDatesMarker(const Node& element, DateContext& context, Emit emit, std::size_t run = 1024);
  /// Takes the next children (moved out of `kids`).
  void add(std::vector<Node>& kids);
  /// Marks and hands on every child still held.
  void finish();

 private:
  void take(std::vector<DateMatch>& matches, std::size_t final_to);
  void emit_rest(std::size_t i);
  void hand_on(bool all);
  bool reads_;
  DateReader reader_;
  Emit emit_;
  std::size_t run_;
  std::vector<Node> held_;  // children fed, from held_[first_] on not yet handed on
  std::vector<std::pair<std::size_t, std::size_t>> pieces_;  // their absolute flat ranges
  std::size_t first_ = 0;      // the first child not yet handed on (held_ index)
  std::size_t used_ = 0;       // bytes of held_[first_] (text) handed on already
  std::size_t flat_size_ = 0;  // bytes of flat text fed
  std::vector<Node> out_;      // marked children not yet handed on
};

}  // namespace teikit
