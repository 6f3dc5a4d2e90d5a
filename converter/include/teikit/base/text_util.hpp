// Small string helpers shared by the pipeline stages (ASCII case rules: the labels and keywords
// they are used on are English).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace teikit {

/// `s` without leading and trailing ASCII whitespace.
std::string trim(std::string_view s);
/// `s` with every run of whitespace replaced by one space, trimmed.
std::string collapse_space(std::string_view s);
/// ASCII lower case.
std::string to_lower(std::string_view s);
/// `s` with every letter lower-cased, ASCII and beyond ("MÄRZ" → "märz"); invalid UTF-8 is kept
/// as it is.
std::string to_lower_utf8(std::string_view s);
/// The byte length of the letter starting at s[i] (an ASCII letter, or a Unicode letter or
/// combining mark in UTF-8: "ä", "é"), or 0; `upper` (if given) says whether it is a capital.
std::size_t utf8_letter(std::string_view s, std::size_t i, bool* upper = nullptr);
/// True when `s` starts with `prefix`.
bool starts_with(std::string_view s, std::string_view prefix);
/// True when `s` ends with `suffix`.
bool ends_with(std::string_view s, std::string_view suffix);
/// ASCII case-insensitive equality.
bool equals_ignore_case(std::string_view a, std::string_view b);
/// Splits `s` at each occurrence of any separator (the earliest, longest first listed wins).
std::vector<std::string> split_any(const std::string& s, std::initializer_list<const char*> seps);
/// The same with the separators in a vector (tried in order at each position).
std::vector<std::string> split_any(const std::string& s, const std::vector<std::string>& seps);
/// `s` without one pair of surrounding quotes ("…", '…', “…”, ‘…’).
std::string strip_quotes(const std::string& s);
/// A token usable as an XML NCName / TEI data.word: lower-case letters, digits and hyphens.
std::string slug(std::string_view s);

}  // namespace teikit
