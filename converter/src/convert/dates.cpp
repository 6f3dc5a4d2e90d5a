#include "teikit/convert/dates.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "teikit/base/text_util.hpp"
#include "teikit/convert/profile.hpp"

namespace teikit {

namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

struct Token {
  enum Kind { Number, Word, Punct } kind;
  std::size_t begin, end;
  std::string_view text;  // lower-cased for words (a view into Tokens::lower), else the input's
  int value = -1;         // numbers
  bool ordinal = false;   // 29th, 1st
  bool capitalised = false;
  std::size_t lower_at = 0;  // words: where the lower-cased text starts in Tokens::lower
};

// The tokens of one text and the lower-cased words they point into: one buffer for every word
// instead of a string per token (tokenising was mostly allocation).
struct Tokens {
  std::vector<Token> list;
  std::string lower;
  std::vector<std::size_t> words;  // tokenise's scratch: the word tokens' indices in list
};

// The date reader's token buffers, kept between calls on one thread (one call per paragraph
// each made them grow from nothing); released when a long text made them large.
class ScratchTokens {
 public:
  ScratchTokens() : tokens_(in_use_ ? own_ : cached()) { taken_ = !in_use_; in_use_ = true; }
  ~ScratchTokens() {
    if (!taken_) return;
    in_use_ = false;
    if (tokens_.list.capacity() > kKeep) std::vector<Token>().swap(tokens_.list);
    if (tokens_.lower.capacity() > kKeep) std::string().swap(tokens_.lower);
    if (tokens_.words.capacity() > kKeep) std::vector<std::size_t>().swap(tokens_.words);
  }
  ScratchTokens(const ScratchTokens&) = delete;
  ScratchTokens& operator=(const ScratchTokens&) = delete;
  Tokens& get() { return tokens_; }

 private:
  static constexpr std::size_t kKeep = 1 << 14;
  static Tokens& cached() {
    thread_local Tokens tokens;
    return tokens;
  }
  static thread_local bool in_use_;
  Tokens own_;
  Tokens& tokens_;
  bool taken_ = false;
};
thread_local bool ScratchTokens::in_use_ = false;

// The date reader looks at most this many tokens past a number (a time, "on the", a date range
// and a time after it: about 25), plus the words of the profile's relative months, and starts
// at most three tokens before one, with one more token before the start ("between 10 and 12").
constexpr std::size_t kAfterNumber = 64;
constexpr std::size_t kBeforeNumber = 8;

// The first ASCII digit in s at or after `from`, or s.size(): eight bytes at a time.
std::size_t find_ascii_digit(std::string_view s, std::size_t from) {
  const std::size_t n = s.size();
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = from;
  for (;;) {
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      // Digits become bytes below 10; "has a byte below 10" (a borrow sets its high bit).
      const std::uint64_t t = w ^ (0x30 * kOnes);
      if (((t - 10 * kOnes) & ~t & kHigh) != 0) break;
      i += 8;
    }
    const std::size_t stop = std::min(n, i + 8);
    while (i < stop && !digit(s[i])) ++i;
    if (i < stop || i >= n) return i;
  }
}

// A linear tokeniser: letter runs, digit runs (with an ordinal suffix of the profile), single
// punctuation characters; whitespace is dropped (positions keep adjacency), other bytes are
// punctuation.
// `sparse` (for the date reader): tokens that no date can reach (more than kAfterNumber after
// the last number and more than kBeforeNumber before the next) are left out, each stretch of
// them replaced by one empty punctuation token that no rule accepts, so that the tokens on
// either side stay apart. Most of a text is far from any digit.
void tokenise(const std::string& s, const Profile& profile, Tokens& out, bool sparse = false) {
  out.list.clear();
  out.lower.clear();
  std::vector<Token>& list = out.list;
  std::string& lower = out.lower;
  const std::string_view sv(s);
  // Word tokens keep offsets into `lower` until it stops growing; then they become views.
  std::vector<std::size_t>& words = out.words;
  words.clear();
  auto lower_word = [&](Token& t) {
    t.lower_at = lower.size();
    // ASCII words (the same as to_lower_utf8 on them, without a string per word) are written
    // in one pass; a word with other letters is redone by to_lower_utf8.
    const std::size_t len = t.end - t.begin;
    lower.resize(t.lower_at + len);
    char* dst = &lower[t.lower_at];
    unsigned char high = 0;
    for (std::size_t k = 0; k < len; ++k) {
      const char c = s[t.begin + k];
      high |= static_cast<unsigned char>(c);
      dst[k] = static_cast<char>(c | (c >= 'A' && c <= 'Z' ? 0x20 : 0));
    }
    if (high & 0x80) {
      lower.resize(t.lower_at);
      lower += to_lower_utf8(sv.substr(t.begin, len));
    }
  };
  auto emit = [&](Token& t) {
    if (t.kind == Token::Word) {
      lower_word(t);
      words.push_back(list.size());
    }
    list.push_back(t);
  };
  // A relative month of the profile ("of this month") is read after a day: its words add to
  // the reach.
  std::size_t after_number = kAfterNumber;
  for (const auto& relative : profile.relative_months) after_number += relative.first.size();
  std::size_t since_number = sparse ? after_number : 0;  // before the first number: far
  Token held[kBeforeNumber];  // the last tokens while far from a number, a ring
  std::size_t held_count = 0, held_first = 0;
  bool dropped = false;
  std::size_t dropped_begin = 0, dropped_end = 0;
  auto push = [&](Token t) {
    if (!sparse) return emit(t);
    if (t.kind == Token::Number) {
      if (dropped) {
        Token gap{Token::Punct, dropped_begin, dropped_end, std::string_view()};
        list.push_back(gap);
        dropped = false;
      }
      for (std::size_t k = 0; k < held_count; ++k) emit(held[(held_first + k) % kBeforeNumber]);
      held_count = held_first = 0;
      since_number = 0;
      return emit(t);
    }
    if (since_number < after_number) {
      ++since_number;
      return emit(t);
    }
    if (held_count == kBeforeNumber) {
      const Token& old = held[held_first];
      if (!dropped) dropped_begin = old.begin;
      dropped = true;
      dropped_end = old.end;
      held_first = (held_first + 1) % kBeforeNumber;
      --held_count;
    }
    held[(held_first + held_count) % kBeforeNumber] = t;
    ++held_count;
  };
  lower.reserve(sparse ? 256 : s.size() / 2);
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto is_ascii_letter = [](unsigned char c) {
    return static_cast<unsigned char>((c | 0x20) - 'a') < 26;
  };
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
  // Far from every number, the tokens are only held (and dropped) until the next digit: the
  // tokeniser jumps there, tokenising only the kBeforeNumber tokens before it. A jump starts
  // right after whitespace, which is never inside a token (unless an ordinal suffix of the
  // profile holds some: then no jumps), so the tokens from there on are the ones a token by
  // token reading makes. `next_digit`: where the last search found the next digit.
  bool can_jump = sparse;
  for (const std::string& suffix : profile.ordinal_suffixes)
    for (char c : suffix) can_jump &= !is_space(c);
  bool searched = false;
  std::size_t next_digit = 0;
  while (i < n) {
    if (can_jump && since_number >= after_number && (!searched || i > next_digit)) {
      searched = true;
      next_digit = find_ascii_digit(sv, i);
      if (next_digit == n) break;  // no number after: every token left would be dropped
      // Back from the digit over kBeforeNumber runs of non-space bytes (each holds a token).
      std::size_t k = next_digit, runs = 0;
      while (k > i && runs < kBeforeNumber) {
        if (is_space(s[k - 1])) {
          --k;
          continue;
        }
        while (k > i && !is_space(s[k - 1])) --k;
        ++runs;
      }
      if (runs == kBeforeNumber && k > i) {
        // Everything held and everything in [i, k) is dropped: the tokens from k on push it out.
        std::size_t first = i;
        while (first < k && is_space(s[first])) ++first;
        if (held_count > 0 || first < k) {
          if (!dropped) dropped_begin = held_count > 0 ? held[held_first].begin : first;
          dropped = true;
          dropped_end = k;
        }
        held_count = held_first = 0;
        i = k;
      }
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n') {
      ++i;
    } else if (c >= '0' && c <= '9') {
      std::size_t j = i;
      int v = 0;
      while (j < n && s[j] >= '0' && s[j] <= '9') {
        if (v < 100000) v = v * 10 + (s[j] - '0');
        ++j;
      }
      Token t{Token::Number, i, j, sv.substr(i, j - i), j - i > 6 ? -1 : v};
      // Ordinal suffixes of the profile, in its order: "29th"; "2d" stands for "d" after a
      // number ending in 2 (the "2d", "23d" of nineteenth-century despatches).
      for (const std::string& suffix : profile.ordinal_suffixes) {
        std::string_view suf = suffix;
        if (!suf.empty() && suf[0] >= '0' && suf[0] <= '9') {
          if (s[j - 1] != suf[0]) continue;
          suf.remove_prefix(1);
        }
        if (suf.empty() || j + suf.size() > n) continue;
        // An ASCII byte after the number lower-cases to itself or its small letter: when that
        // is not the suffix's first byte, the suffix cannot follow (most numbers: a space).
        if (const unsigned char d = static_cast<unsigned char>(s[j]);
            d < 0x80 && static_cast<char>(std::tolower(d)) != suf[0])
          continue;
        if (to_lower_utf8(sv.substr(j, suf.size())) != suf) continue;
        const std::size_t e = j + suf.size();
        if (e < n && std::isalpha(static_cast<unsigned char>(s[e]))) continue;
        t.ordinal = true;
        t.end = e;
        j = e;
        break;
      }
      push(t);
      i = j;
    } else if (bool upper = false; std::size_t len = utf8_letter(s, i, &upper)) {
      std::size_t j = i + len;
      while (j < n) {
        const unsigned char d = static_cast<unsigned char>(s[j]);
        if (d < 0x80) {
          if (!is_ascii_letter(d)) break;
          ++j;
          continue;
        }
        if ((len = utf8_letter(s, j)) == 0) break;
        j += len;
      }
      Token t{Token::Word, i, j, {}};
      t.capitalised = upper;
      push(t);
      i = j;
    } else {
      // A UTF-8 multi-byte character counts as one punctuation token (e.g. an em dash).
      std::size_t j = i + 1;
      while (j < n && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
      push({Token::Punct, i, j, sv.substr(i, j - i)});
      i = j;
    }
  }
  // Tokens still held after the last number are beyond every date's reach: left out.
  for (std::size_t w = 0; w < words.size(); ++w) {
    Token& t = list[words[w]];
    const std::size_t to = w + 1 < words.size() ? list[words[w + 1]].lower_at : lower.size();
    t.text = std::string_view(lower).substr(t.lower_at, to - t.lower_at);
  }
}

bool among(std::string_view w, const std::vector<std::string>& list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

const Profile::MonthName* month_name(std::string_view lower, const Profile& profile) {
  for (const auto& m : profile.months)
    if (m.word == lower) return &m;
  return nullptr;
}

struct Matcher {
  const std::vector<Token>& t;
  const Profile& p;

  bool word(std::size_t i, const char* w) const {
    return i < t.size() && t[i].kind == Token::Word && t[i].text == w;
  }
  bool word(std::size_t i, const std::string& w) const {
    return i < t.size() && t[i].kind == Token::Word && t[i].text == w;
  }
  bool word_in(std::size_t i, const std::vector<std::string>& list) const {
    return i < t.size() && t[i].kind == Token::Word && among(t[i].text, list);
  }
  // A range word between two days ("10 to 12", "between 10 and 12"), `first` the range's start.
  bool range_word(std::size_t j, std::size_t first) const {
    if (word_in(j, p.range_words)) return true;
    for (const auto& [a, b] : p.range_pairs)
      if (word(j, b) && first > 0 && word(first - 1, a)) return true;
    return false;
  }
  // After a day: its ordinal full stop when the profile has one ("29. März").
  std::size_t after_day(std::size_t i) const {
    // "17.5." (day.month in figures) and "1.5" are not an ordinal day followed by text.
    if (p.ordinal_dot && punct(i + 1, ".") && t[i + 1].begin == t[i].end &&
        !(i + 2 < t.size() && t[i + 2].kind == Token::Number && t[i + 2].begin == t[i + 1].end))
      return i + 2;
    return i + 1;
  }
  bool ordinal_day(std::size_t i) const {
    return i < t.size() && (t[i].ordinal || after_day(i) == i + 2);
  }
  bool punct(std::size_t i, const char* mark) const {
    return i < t.size() && t[i].kind == Token::Punct && t[i].text == mark;
  }
  // "-", "–" (en dash) or "—" between the two ends of a range.
  bool dash(std::size_t i) const {
    return punct(i, "-") || punct(i, "\xE2\x80\x93") || punct(i, "\xE2\x80\x94");
  }
  mutable int range_day = 0;  // set by date(): the last day of "April 3–5, 1962"

  int month(std::size_t i) const {
    if (i >= t.size() || t[i].kind != Token::Word || (p.months_capitalised && !t[i].capitalised))
      return 0;
    const Profile::MonthName* m = month_name(t[i].text, p);
    return m ? m->month : 0;
  }
  // A month token, with the full stop of an abbreviation ("Sept.") absorbed.
  std::size_t after_month(std::size_t i) const {
    const Profile::MonthName* m = month_name(t[i].text, p);
    if (m && m->abbreviation && punct(i + 1, ".") && t[i + 1].begin == t[i].end) return i + 2;
    return i + 1;
  }
  int day(std::size_t i) const {
    if (i >= t.size() || t[i].kind != Token::Number) return 0;
    // One or two digits; an ordinal suffix may make the token longer ("29th", "29ème").
    if (t[i].text.size() > 2 && !(t[i].ordinal && t[i].end - t[i].begin <= 4)) return 0;
    return (t[i].value >= 1 && t[i].value <= 31) ? t[i].value : 0;
  }
  int year(std::size_t i) const {
    if (i >= t.size() || t[i].kind != Token::Number || t[i].ordinal) return 0;
    if (t[i].text.size() != 4) return 0;
    return (t[i].value >= 1000 && t[i].value <= 2999) ? t[i].value : 0;
  }

  // Tries to read a time at i: "9 p.m.", "9.30 p.m.", "6:00 a.m.", "2353Z". Returns the index
  // after it, or 0.
  std::size_t time(std::size_t i, int& hour, int& minute, bool& utc) const {
    utc = false;
    if (i >= t.size() || t[i].kind != Token::Number || t[i].ordinal) return 0;
    // Military time "2353Z": four digits immediately followed by Z.
    if (t[i].text.size() == 4 && i + 1 < t.size() && t[i + 1].kind == Token::Word &&
        t[i + 1].text == "z" && t[i + 1].begin == t[i].end) {
      const int h = t[i].value / 100, m = t[i].value % 100;
      if (h > 23 || m > 59) return 0;
      hour = h, minute = m, utc = true;
      return i + 2;
    }
    if (t[i].text.size() > 2) return 0;
    int h = t[i].value, m = 0;
    std::size_t j = i + 1;
    if ((punct(j, ":") || punct(j, ".")) && j + 1 < t.size() && t[j + 1].kind == Token::Number &&
        t[j + 1].text.size() == 2 && t[j].begin == t[i].end && t[j + 1].begin == t[j].end) {
      m = t[j + 1].value;
      j += 2;
    }
    // a.m. / p.m. (also "a. m." and "A.M.")
    if (j + 2 < t.size() + 1 && (word(j, "a") || word(j, "p")) && punct(j + 1, ".") &&
        word(j + 2, "m")) {
      const bool pm = t[j].text == "p";
      j += 3;
      if (punct(j, ".")) ++j;
      if (h < 1 || h > 12 || m > 59) return 0;
      hour = (h % 12) + (pm ? 12 : 0);
      minute = m;
      return j;
    }
    if (word(j, "noon") && h == 12) {
      hour = 12, minute = m;
      return j + 1;
    }
    return 0;
  }

  // Reads a date starting at i (without a leading time). Returns the index after it or 0.
  std::size_t date(std::size_t i, DateValue& d) const {
    // YYYY-MM-DD
    if (year(i) && punct(i + 1, "-") && i + 4 < t.size() && t[i + 2].kind == Token::Number &&
        punct(i + 3, "-") && t[i + 4].kind == Token::Number && t[i + 1].begin == t[i].end &&
        t[i + 2].begin == t[i + 1].end && t[i + 3].begin == t[i + 2].end &&
        t[i + 4].begin == t[i + 3].end) {
      d.year = year(i), d.month = t[i + 2].value, d.day = t[i + 4].value;
      return is_valid_date(d.year, d.month, d.day) ? i + 5 : 0;
    }
    range_day = 0;
    // Month Day[,] [Year]  /  Month Year  /  Month Day–Day[,] Year
    if (int m = month(i)) {
      std::size_t j = after_month(i);
      if (int dd = day(j)) {
        d.month = m, d.day = dd;
        if (dash(j + 1) && day(j + 2) > dd) {
          range_day = day(j + 2);
          j += 2;
        }
        std::size_t k = j + 1;
        if (punct(k, ",")) ++k;
        if (int y = year(k)) {
          d.year = y;
          return k + 1;
        }
        return j + 1;  // no year: inferred by the caller
      }
      if (int y = year(j)) {
        d.month = m, d.year = y;
        return j + 1;
      }
      return 0;
    }
    // Day [of] Month[,] [Year]  (29th of April, 30 April 1962, 24th of April, 3–5 April 1962,
    // 29. März 1962)
    if (int dd = day(i)) {
      std::size_t j = after_day(i);
      if ((dash(j) || range_word(j, i)) && day(j + 1) > dd && month(after_day(j + 1))) {
        range_day = day(j + 1);
        j = after_day(j + 1);
      }
      if (word_in(j, p.day_month_words)) ++j;
      if (int m = month(j)) {
        d.day = dd, d.month = m;
        std::size_t k = after_month(j);
        if (punct(k, ",")) ++k;
        if (word_in(k, p.month_year_words) && year(k + 1)) ++k;
        if (int y = year(k)) {
          d.year = y;
          return k + 1;
        }
        return after_month(j);
      }
    }
    return 0;
  }
};

}  // namespace

int month_number(const std::string& word, const Profile& profile) {
  const Profile::MonthName* m = month_name(to_lower_utf8(word), profile);
  return m ? m->month : 0;
}

int month_number(const std::string& word) { return month_number(word, *default_profile()); }

bool is_valid_date(int year, int month, int day) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1 || month < 1 || month > 12) return false;
  if (day == 0) return true;
  const int max = days[month - 1] + ((month == 2 && is_leap(year)) ? 1 : 0);
  return day >= 1 && day <= max;
}

namespace {

// `n` as printf's "%0*d" writes it: at least `width` digits, zero-padded. Written by hand: one
// snprintf per date was 1,600 instructions, 1.2 % of converting 10 MB of real text.
void append_padded(std::string& out, int n, int width) {
  if (n < 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*d", width, n);
    out += buf;
    return;
  }
  char digits[12];
  int k = 0;
  do {
    digits[k++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n > 0);
  for (int i = k; i < width; ++i) out += '0';
  while (k > 0) out += digits[--k];
}

}  // namespace

std::string DateValue::iso() const {
  std::string out;
  out.reserve(24);
  append_padded(out, year, 4);
  out += '-';
  append_padded(out, month, 2);
  if (day == 0) return out;
  out += '-';
  append_padded(out, day, 2);
  if (hour < 0) return out;
  out += 'T';
  out += iso_time();
  return out;
}

std::string DateValue::iso_time() const {
  std::string out;
  out.reserve(12);
  append_padded(out, hour, 2);
  out += ':';
  append_padded(out, minute, 2);
  out += ":00";
  if (utc) out += 'Z';
  return out;
}

namespace {

// `limit` and `stopped` (find_dates_windowed): the reading stops before it starts a match at a
// token at or after byte `limit`, and *stopped says where it stood: the begin of that token, or
// of the first token at or after `limit` when no number is left (every match before it is the
// one a reading of the whole text makes; a reading from *stopped goes on as it would).
// `read_from`: the reading starts at the first token at or after it (the tokens before are there
// for the matcher's look at the token before a start: "between 10 and 12 May"); *resume: a
// token boundary four tokens before *stopped, where the next window's text begins.
std::vector<DateMatch> find_dates_in(const std::string& text, DateContext& context, char barrier,
                                     std::size_t limit = std::string::npos,
                                     std::size_t* stopped = nullptr, std::size_t read_from = 0,
                                     std::size_t* resume = nullptr) {
  if (stopped) *stopped = text.size();
  if (resume) *resume = text.size();
  std::vector<DateMatch> out;
  const std::shared_ptr<const Profile> fallback = context.profile ? nullptr : default_profile();
  const Profile& profile = context.profile ? *context.profile : *fallback;
  ScratchTokens scratch;
  Tokens& tokenised = scratch.get();
  tokenise(text, profile, tokenised, /*sparse=*/true);
  const std::vector<Token>& tokens = tokenised.list;
  const Matcher m{tokens, profile};
  const std::string barrier_text(1, barrier);
  // The closing position of a match must not run over a barrier between tokens.
  auto spans_barrier = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k)
      if (tokens[k].kind == Token::Punct && tokens[k].text == barrier_text) return true;
    return false;
  };
  auto finish = [&](DateValue d) -> bool {
    if (context.probe) {
      out.back().value = d;
      return true;
    }
    // ENCODING.md §5: a missing year comes from the document date, a missing month (a day
    // alone) from the nearest date before it.
    if (d.month == 0) {
      const auto& from = context.previous ? context.previous : context.document;
      if (!from) return false;
      d.month = from->month, d.year = from->year;
      d.month_inferred = d.year_inferred = true;
    }
    if (d.year == 0) {
      // The year of the text's own date of writing, else of the nearest date before, and
      // the header's only when the text has none: a header date that disagrees with the
      // dateline (FRUS misdates) must not move the text's dates.
      const auto& from = context.written    ? context.written
                         : context.previous ? context.previous
                                            : context.document;
      if (!from) return false;
      d.year = from->year;
      d.year_inferred = true;
    }
    if (!is_valid_date(d.year, d.month, d.day)) return false;
    context.previous = d;
    context.previous->hour = -1;
    out.back().value = d;
    return true;
  };
  std::size_t i = 0;
  while (i < tokens.size() && tokens[i].begin < read_from) ++i;
  std::size_t next_number = 0;  // the first number token at or after i
  while (i < tokens.size()) {
    // Every date and time the matcher reads has a number among its first four tokens (a day,
    // a year or an hour after at most an article and a month with its full stop); tokens
    // with none that near cannot start one, so the matcher skips them.
    if (next_number < i) next_number = i;
    while (next_number < tokens.size() && tokens[next_number].kind != Token::Number) ++next_number;
    auto stop_at = [&](std::size_t k) {
      if (stopped) *stopped = tokens[k].begin;
      if (resume) *resume = tokens[k >= 4 ? k - 4 : 0].begin;
    };
    if (next_number == tokens.size()) {
      if (limit != std::string::npos)
        for (std::size_t k = i; k < tokens.size(); ++k)
          if (tokens[k].begin >= limit) {
            stop_at(k);
            break;
          }
      break;
    }
    if (next_number > i + 3) i = next_number - 3;
    if (tokens[i].begin >= limit) {
      stop_at(i);
      break;
    }
    DateValue d;
    std::size_t start = i, end = 0;
    int hour = -1, minute = 0;
    bool utc = false;
    // "6:00 p.m. on the 29th of April": a time before the date.
    if (std::size_t after_time = m.time(i, hour, minute, utc)) {
      std::size_t j = after_time;
      if (m.word_in(j, profile.time_date_words)) {
        ++j;
        if (m.word_in(j, profile.date_articles)) ++j;
        DateValue dd;
        if (std::size_t e = m.date(j, dd)) {
          d = dd, end = e;
        } else if (m.day(j) && m.ordinal_day(j)) {
          d.day = m.day(j), end = m.after_day(j);
        }
        if (end) d.hour = hour, d.minute = minute, d.utc = utc;
      }
    }
    std::optional<DateValue> to;
    if (!end) {
      hour = -1;
      if (std::size_t e = m.date(i, d)) {
        end = e;
        if (m.range_day) {
          to = d;
          to->day = m.range_day;
        } else if (std::size_t sep = e; m.dash(sep) || m.range_word(sep, i)) {
          // "April 22 – May 7, 1962", "10 to 12 March": a second date closes the range; a
          // year written only at its end belongs to both.
          DateValue second;
          const std::size_t e2 = m.date(sep + 1, second);
          if (e2 && !m.range_day && second.day && d.day) {
            if (d.year == 0 && second.year) d.year = second.year;
            if (second.year == 0 && d.year) second.year = d.year;
            to = second;
            end = e2;
          }
        }
        // A time after the date: "October 6, 1917, 9 p.m.", "April 24, 1937—3 p.m.".
        std::size_t j = e;
        if (m.punct(j, ",") || m.punct(j, "\xE2\x80\x94") || m.punct(j, "-") ||
            m.punct(j, "\xE2\x80\x93"))
          ++j;
        if (m.word_in(j, profile.date_time_words)) ++j;
        if (std::size_t te = m.time(j, hour, minute, utc); te && d.day) {
          d.hour = hour, d.minute = minute, d.utc = utc;
          end = te;
        }
      } else if (m.word_in(i, profile.date_articles) && m.date(i + 1, d)) {
        // "the 29th of April": the date proper starts after the article.
        ++i;
        continue;
      } else if (m.word_in(i, profile.date_articles) && m.day(i + 1) && m.ordinal_day(i + 1)) {
        // A day alone: "on the 29th". Its month comes from the nearest date before, unless the
        // text says which month relative to the document's own date: "the 18th instant",
        // "the 2d ultimo", "the 9th of this month" (never from a received note's date).
        d.day = m.day(i + 1);
        start = i + 1;
        end = m.after_day(i + 1);
        int relative = 99;
        // A one-word relative ("instant", "ult.") takes the full stop after it; a phrase ("of
        // next month") does not.
        auto abbreviation = [&](std::size_t k) { return m.punct(k, ".") ? k + 1 : k; };
        for (const auto& [words, offset] : profile.relative_months) {
          std::size_t k = 0;
          while (k < words.size() && m.word(end + k, words[k])) ++k;
          if (k == 0 || k < words.size()) continue;
          relative = offset;
          end = words.size() == 1 ? abbreviation(end + 1) : end + words.size();
          break;
        }
        // "instant" is the month of writing: the dateline's, else the document's (the header's
        // date), else the nearest date before. Not simply the nearest date: "the 18th instant,
        // mine of the 2d ultimo and the 9th of this month" would move with each of them.
        const auto& anchor = context.written    ? context.written
                             : context.document ? context.document
                                                : context.previous;
        if (relative != 99 && anchor) {
          int month = anchor->month + relative, year = anchor->year;
          if (month < 1) month += 12, --year;
          if (month > 12) month -= 12, ++year;
          d.month = month, d.year = year;
          d.month_inferred = d.year_inferred = true;
        }
      }
    }
    // A time with no day ("filed at 2353Z", "at 9 p.m."): a time, never a date.
    if (!end) {
      if (std::size_t te = m.time(i, hour, minute, utc); te && !spans_barrier(i, te)) {
        DateMatch t{tokens[i].begin, tokens[te - 1].end, {}, std::nullopt, true};
        t.value.hour = hour, t.value.minute = minute, t.value.utc = utc;
        out.push_back(t);
        i = te;
        continue;
      }
    }
    if (end && !spans_barrier(start, end)) {
      out.push_back({tokens[start].begin, tokens[end - 1].end, {}, std::nullopt, false});
      if (to) {
        if (to->year == 0) to->year = d.year;
        if (to->month == 0) to->month = d.month;
      }
      if (finish(d)) {
        if (to) {
          if (to->year == 0) to->year = out.back().value.year, to->year_inferred = true;
          // A range runs forwards; anything else was two dates that only looked like one.
          if (is_valid_date(to->year, to->month, to->day) &&
              to->iso() > out.back().value.iso())
            out.back().to = to;
        }
        i = end;
        continue;
      }
      out.pop_back();
    }
    ++i;
  }
  return out;
}

// Every date contains a digit and is far shorter than this, so a cut with no digit within this
// distance on either side cannot split one.
constexpr std::size_t kDigitFree = 100;
// A long text is read in windows of about kDateWindow bytes, so that the token list (~60 bytes
// a token, a token every two bytes in text dense with numbers) stays small whatever the text.
// Pieces of text (see find_dates_windowed) read past a window's stop point: they hold at least
// half as many tokens, more than a match reads (at most 3 before its number, kAfterNumber and
// the relative month words after it).
constexpr std::size_t kOverlapRuns = 512;

}  // namespace

bool dates_conflict(const std::string& header_iso, const std::string& text_iso) {
  // Compared on the date part: "1917-10-06" and "1917-10-06T21:00:00" agree; "1962-04" and
  // "1962-04-25" too (the header gives the month only).
  const std::size_t n = std::min<std::size_t>({header_iso.size(), text_iso.size(), 10});
  return n >= 7 && header_iso.compare(0, n, text_iso, 0, n) != 0;
}

std::vector<DateMatch> find_dates(const std::string& text, DateContext& context, char barrier) {
  return find_dates_windowed(text, context, barrier, kDateWindow);
}

std::vector<DateMatch> find_dates_windowed(const std::string& text, DateContext& context,
                                           char barrier, std::size_t window) {
  if (window == 0 || text.size() <= window) return find_dates_in(text, context, barrier);
  std::vector<DateMatch> out;
  const DateReader::Matches collect = [&](std::vector<DateMatch>& matches, std::size_t) {
    if (out.empty())
      out = std::move(matches);
    else
      out.insert(out.end(), std::make_move_iterator(matches.begin()),
                 std::make_move_iterator(matches.end()));
  };
  DateReader reader(context, barrier, window);
  reader.feed(text, collect);
  reader.finish(collect);
  return out;
}

DateReader::DateReader(DateContext& context, char barrier, std::size_t window)
    : context_(context), barrier_(barrier), window_(window) {}

void DateReader::feed(std::string_view text, const Matches& on_matches) {
  // The text read already is dropped once it is at least half of what is held (and a window),
  // so that a text fed in one piece is not moved once per window.
  if (start_ - base_ >= std::max(window_, text_.size() / 2)) {
    text_.erase(0, start_ - base_);
    base_ = start_;
  }
  text_.append(text);
  if (window_ == 0) return;
  while (read_window(false, on_matches)) {
  }
}

void DateReader::finish(const Matches& on_matches) {
  if (window_ == 0) {
    std::vector<DateMatch> all = find_dates_in(text_, context_, barrier_);
    on_matches(all, text_.size());
  } else {
    while (read_window(true, on_matches)) {
    }
  }
  base_ = start_ = from_ = base_ + text_.size();
  retry_at_ = 0;
  text_.clear();
}

bool DateReader::read_window(bool at_end, const Matches& on_matches) {
  const std::size_t size = base_ + text_.size();  // absolute end of the text fed
  if (from_ >= size) return false;
  if (!at_end && size < retry_at_) return false;
  const auto at = [&](std::size_t k) { return text_[k - base_]; };
  const auto digit = [&](std::size_t k) { return at(k) >= '0' && at(k) <= '9'; };
  const auto blank = [&](std::size_t k) { return at(k) == ' ' || at(k) == '\t' || at(k) == '\n'; };
  // A window ends at a cut with no digit near it (after `window` bytes, looked for over
  // `window` more), or, in text dense with numbers, reads on kOverlapRuns runs past a stop
  // point `limit` and the next window starts where that reading stopped. Before the end of
  // the text, a window is read only once the text it looks at is all there, so that every
  // window is the one a reading of the whole text makes (the matches do not depend on where
  // the pieces fed end).
  std::size_t end = size, limit = std::string::npos;
  if (size - from_ > window_) {
    if (!at_end && size - from_ < 2 * window_) return false;
    std::size_t last_digit = from_;
    bool seen = false, cut = false;
    const std::size_t scan_to = std::min(size, from_ + 2 * window_);
    for (std::size_t q = from_ + window_ - std::min(window_, kDigitFree); q < scan_to; ++q) {
      if (digit(q)) {
        last_digit = q;
        seen = true;
      }
      // At a blank: a cut inside a long word would make a new token of its end ("3
      // Mayxxxx…" cut after "May" reads as a date).
      if (q >= from_ + window_ && (!seen || q - last_digit > 2 * kDigitFree) &&
          q > from_ + kDigitFree && blank(q - kDigitFree)) {
        end = q - kDigitFree;
        cut = true;
        break;
      }
    }
    if (!cut) {
      // Pieces of at most one token each: letter runs (bytes of other scripts counted as
      // letters), digit runs, single punctuation bytes; blanks only separate. A token holds
      // at most two (a number and its ordinal suffix), so kOverlapRuns pieces hold more
      // tokens than a match reads, and text without blanks is not read to its end.
      limit = from_ + window_;
      const auto kind = [&](std::size_t k) {
        const unsigned char c = static_cast<unsigned char>(at(k));
        if (c >= '0' && c <= '9') return 1;
        if (c >= 0x80 || static_cast<unsigned char>((c | 0x20) - 'a') < 26) return 2;
        return 3;
      };
      std::size_t q = limit, pieces = 0;
      while (q < size && pieces < kOverlapRuns) {
        while (q < size && blank(q)) ++q;
        if (q == size) break;
        const int k = kind(q);
        ++q;
        if (k != 3)
          while (q < size && !blank(q) && kind(q) == k) ++q;
        ++pieces;
      }
      // A run may go on in the text still to come. The next try waits until the text held has
      // doubled: this reading scans to the end of the text, and trying again at every piece fed
      // was quadratic in text without blanks (`[word][word]…`: 500 KB took 18 s). When the
      // reading is tried does not change what it finds, only how much text is held meanwhile.
      if (!at_end && (pieces < kOverlapRuns || q == size)) {
        retry_at_ = size + std::max(window_, size - from_);
        return false;
      }
      end = q;
    }
  } else if (!at_end) {
    return false;
  }
  const std::string part = text_.substr(start_ - base_, end - start_);
  std::size_t stopped = part.size(), resume = part.size();
  std::vector<DateMatch> matches =
      find_dates_in(part, context_, barrier_, limit == std::string::npos ? limit : limit - start_,
                    &stopped, from_ - start_, &resume);
  for (DateMatch& d : matches) {
    d.begin += start_;
    d.end += start_;
  }
  if (limit == std::string::npos) {
    start_ = from_ = end;
  } else {
    // Forward: the stop point is at or after `limit`, past `from`; the next text begins a
    // few tokens before it, at or after this one's start.
    from_ = start_ + stopped;
    start_ += std::min(resume, stopped);
  }
  on_matches(matches, from_);
  return true;
}

std::optional<DateValue> parse_date(const std::string& text) {
  return parse_date(text, *default_profile());
}

std::optional<DateValue> parse_date(const std::string& text, const Profile& profile) {
  DateContext none;
  none.profile = &profile;
  auto found = find_dates(text, none);
  if (found.size() != 1) return std::nullopt;
  // The whole string (but surrounding punctuation and quotes) must be the date.
  const auto& f = found.front();
  auto only_noise = [](std::string_view s) {
    for (char c : s)
      if (std::isalnum(static_cast<unsigned char>(c))) return false;
    return true;
  };
  // …or a weekday before it, with the profile's articles after the weekday ("Monday, April 30,
  // 1962", "Montag, den 30. April 1962").
  auto weekday_lead = [&](const std::string& s) {
    if (only_noise(s)) return true;
    bool weekday = false;
    Tokens tokenised;
    tokenise(s, profile, tokenised);
    for (const Token& tk : tokenised.list) {
      if (tk.kind == Token::Punct && only_noise(tk.text)) continue;
      if (tk.kind != Token::Word) return false;
      if (!weekday && among(tk.text, profile.weekdays)) weekday = true;
      else if (!weekday || !among(tk.text, profile.date_articles)) return false;
    }
    return weekday;
  };
  if (!weekday_lead(text.substr(0, f.begin)) || !only_noise(text.substr(f.end))) return std::nullopt;
  if (f.value.inferred()) return std::nullopt;
  // A time alone ("9 p.m.") dates nothing: a date line names at least a year (ENCODING.md §1),
  // and a time without one was written when="0000-00", which no schema accepts.
  if (f.time_only || f.value.year == 0) return std::nullopt;
  return f.value;
}

}  // namespace teikit
