#include "teikit/base/json.hpp"

#include <utf8proc.h>

#include <cstdlib>

#include "teikit/base/diagnostics.hpp"

namespace teikit {

const JsonValue* JsonValue::find(const std::string& key) const {
  if (type != Type::Object) return nullptr;
  const JsonValue* found = nullptr;
  for (const auto& [k, v] : members)
    if (k == key) found = &v;
  return found;
}

namespace {

class Parser {
 public:
  Parser(const std::string& text, std::size_t max_depth) : s_(text), max_depth_(max_depth) {}

  bool parse(JsonValue& v, std::string& error) {
    skip_space();
    if (!value(v, 0)) {
      error = "column " + std::to_string(at_ + 1) + ": " + why_;
      return false;
    }
    skip_space();
    if (at_ != s_.size()) {
      error = "column " + std::to_string(at_ + 1) + ": unexpected text after the value";
      return false;
    }
    return true;
  }

 private:
  bool fail(const char* why) {
    why_ = why;
    return false;
  }
  void skip_space() {
    while (at_ < s_.size() &&
           (s_[at_] == ' ' || s_[at_] == '\t' || s_[at_] == '\n' || s_[at_] == '\r'))
      ++at_;
  }
  bool literal(const char* word) {
    for (std::size_t i = 0; word[i]; ++i)
      if (at_ + i >= s_.size() || s_[at_ + i] != word[i]) return fail("invalid literal");
    for (std::size_t i = 0; word[i]; ++i) ++at_;
    return true;
  }
  bool value(JsonValue& v, std::size_t depth) {
    if (at_ >= s_.size()) return fail("a value was expected");
    switch (s_[at_]) {
      case '{': return object(v, depth);
      case '[': return array(v, depth);
      case '"': v.type = JsonValue::Type::String; return string(v.text);
      case 't': v.type = JsonValue::Type::Bool; v.boolean = true; return literal("true");
      case 'f': v.type = JsonValue::Type::Bool; v.boolean = false; return literal("false");
      case 'n': v.type = JsonValue::Type::Null; return literal("null");
      default: return number(v);
    }
  }
  // Consumes `c` when it is the next character; the separators and brackets of objects and
  // arrays are all read through this.
  bool eat(char c) {
    if (at_ >= s_.size() || s_[at_] != c) return false;
    ++at_;
    return true;
  }
  bool object(JsonValue& v, std::size_t depth) {
    if (depth >= max_depth_) return fail("nested too deeply");
    v.type = JsonValue::Type::Object;
    ++at_;
    skip_space();
    if (eat('}')) return true;
    for (;;) {
      skip_space();
      if (at_ >= s_.size() || s_[at_] != '"') return fail("a member name (a string) was expected");
      std::string key;
      if (!string(key)) return false;
      skip_space();
      if (!eat(':')) return fail("':' was expected");
      skip_space();
      JsonValue member;
      if (!value(member, depth + 1)) return false;
      v.members.emplace_back(std::move(key), std::move(member));
      skip_space();
      if (eat(',')) continue;
      if (eat('}')) return true;
      return fail("',' or '}' was expected");
    }
  }
  bool array(JsonValue& v, std::size_t depth) {
    if (depth >= max_depth_) return fail("nested too deeply");
    v.type = JsonValue::Type::Array;
    ++at_;
    skip_space();
    if (eat(']')) return true;
    for (;;) {
      skip_space();
      JsonValue item;
      if (!value(item, depth + 1)) return false;
      v.items.push_back(std::move(item));
      skip_space();
      if (eat(',')) continue;
      if (eat(']')) return true;
      return fail("',' or ']' was expected");
    }
  }
  bool number(JsonValue& v) {
    const std::size_t start = at_;
    auto digits = [&] {
      const std::size_t from = at_;
      while (at_ < s_.size() && s_[at_] >= '0' && s_[at_] <= '9') ++at_;
      return at_ > from;
    };
    if (at_ < s_.size() && s_[at_] == '-') ++at_;
    if (at_ < s_.size() && s_[at_] == '0') {
      ++at_;
    } else if (!digits()) {
      at_ = start;
      return fail("a value was expected");
    }
    if (at_ < s_.size() && s_[at_] == '.') {
      ++at_;
      if (!digits()) return fail("digits were expected after '.'");
    }
    if (at_ < s_.size() && (s_[at_] == 'e' || s_[at_] == 'E')) {
      ++at_;
      if (at_ < s_.size() && (s_[at_] == '+' || s_[at_] == '-')) ++at_;
      if (!digits()) return fail("digits were expected in the exponent");
    }
    v.type = JsonValue::Type::Number;
    v.text = s_.substr(start, at_ - start);
    v.number = std::strtod(v.text.c_str(), nullptr);
    return true;
  }
  bool hex4(unsigned& out) {
    if (at_ + 4 > s_.size()) return fail("four hex digits were expected after \\u");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[at_++];
      out <<= 4;
      if (c >= '0' && c <= '9') out |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') out |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') out |= static_cast<unsigned>(c - 'A' + 10);
      else return fail("four hex digits were expected after \\u");
    }
    return true;
  }
  static void append_utf8(std::string& out, unsigned cp) {
    utf8proc_uint8_t buf[4];
    const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
  }
  bool string(std::string& out) {
    ++at_;  // the opening quote
    for (;;) {
      // Runs of plain characters are copied at once (the text of a transcription is most of a
      // line).
      const std::size_t from = at_;
      while (at_ < s_.size()) {
        const unsigned char c = static_cast<unsigned char>(s_[at_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++at_;
      }
      out.append(s_, from, at_ - from);
      if (at_ >= s_.size()) return fail("the string is not closed");
      const unsigned char c = static_cast<unsigned char>(s_[at_]);
      if (c == '"') {
        ++at_;
        return true;
      }
      if (c < 0x20) return fail("a control character must be escaped in a string");
      if (c >= 0x80) {
        utf8proc_int32_t cp = -1;
        const utf8proc_ssize_t n =
            utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s_.data() + at_),
                             static_cast<utf8proc_ssize_t>(s_.size() - at_), &cp);
        if (n <= 0) return fail("not valid UTF-8");
        out.append(s_, at_, static_cast<std::size_t>(n));
        at_ += static_cast<std::size_t>(n);
        continue;
      }
      ++at_;  // backslash
      if (at_ >= s_.size()) return fail("the string is not closed");
      const char e = s_[at_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("a lone low surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned low = 0;
            if (at_ + 2 > s_.size() || s_[at_] != '\\' || s_[at_ + 1] != 'u')
              return fail("a high surrogate without its low surrogate");
            at_ += 2;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF)
              return fail("a high surrogate without its low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default: --at_; return fail("an unknown escape in a string");
      }
    }
  }

  const std::string& s_;
  std::size_t max_depth_;
  std::size_t at_ = 0;
  const char* why_ = "";
};

}  // namespace

bool parse_json(const std::string& text, JsonValue& value, std::string& error,
                std::size_t max_depth) {
  value = JsonValue();
  error.clear();
  return Parser(text, max_depth).parse(value, error);
}

std::string json_string(const std::string& s) { return "\"" + json_escape(s) + "\""; }

std::string json_write(const JsonValue& v) {
  switch (v.type) {
    case JsonValue::Type::Null: return "null";
    case JsonValue::Type::Bool: return v.boolean ? "true" : "false";
    case JsonValue::Type::Number: return v.text;
    case JsonValue::Type::String: return json_string(v.text);
    case JsonValue::Type::Array: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i) out += ',';
        out += json_write(v.items[i]);
      }
      return out + "]";
    }
    case JsonValue::Type::Object: {
      std::string out = "{";
      for (std::size_t i = 0; i < v.members.size(); ++i) {
        if (i) out += ',';
        out += json_string(v.members[i].first) + ":" + json_write(v.members[i].second);
      }
      return out + "}";
    }
  }
  return "null";
}

}  // namespace teikit
