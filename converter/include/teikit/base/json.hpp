// A small JSON reader (RFC 8259) for the line-oriented interfaces (`convert --jsonl`, the build
// manifest), and the helpers that write JSON values. Values are read whole into a tree; the
// inputs are one line each, bounded by the caller.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace teikit {

/// One JSON value.
struct JsonValue {
  /// What the value is.
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type = Type::Null;     ///< the kind of value
  bool boolean = false;       ///< for Bool
  double number = 0;          ///< for Number
  std::string text;           ///< for String (UTF-8); for Number, the number as written
  std::vector<JsonValue> items;                            ///< for Array
  std::vector<std::pair<std::string, JsonValue>> members;  ///< for Object, in input order

  /// The member `key` of an object (the last one when repeated), or null when there is none or
  /// this is not an object.
  const JsonValue* find(const std::string& key) const;
  /// True for Type::String.
  bool is_string() const { return type == Type::String; }
};

/// Parses `text` as exactly one JSON value (surrounding white space allowed). Strings must be
/// valid UTF-8; \u escapes (surrogate pairs included) are decoded; a lone surrogate is an error.
/// Nesting deeper than `max_depth` is refused, so that a hostile line cannot exhaust the stack.
/// On failure returns false and sets `error` ("column N: why", 1-based byte column).
bool parse_json(const std::string& text, JsonValue& value, std::string& error,
                std::size_t max_depth = 64);

/// `s` as a JSON string literal, quotes included (json_escape, diagnostics.hpp, inside).
std::string json_string(const std::string& s);

/// `value` written back as compact JSON (numbers as they were written).
std::string json_write(const JsonValue& value);

}  // namespace teikit
