// A small streaming JSON writer for the data a report embeds. Numbers are
// written in the shortest form that reads back to the same double (as the
// CSV files are), so the page shows exactly the values of the files; Boost.JSON
// would write 0.1 as 1E-1. Strings escape '<' as \u003c so the text can sit
// inside an HTML <script> element.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace entente::report_detail {

// Usage: `JsonWriter w; w.begin_object(); w.key("a"); w.value(1.0); w.end_object();`
// then `w.text()`. Commas are placed by the writer; keys and values must
// alternate inside objects (not checked).
class JsonWriter {
 public:
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view k);
  void value(double v);  // non-finite values are written as null
  void value(long long v);
  void value(int v) { value(static_cast<long long>(v)); }
  void value(bool v);
  void value(std::string_view s);
  void value(const char* s) { value(std::string_view(s)); }
  void null();
  void numbers(std::span<const double> values);  // an array of numbers
  void strings(std::span<const std::string> values);
  // A value already serialised as JSON, inserted as is.
  void raw(std::string_view json);

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  std::vector<bool> first_;  // per open container: no element yet
  bool after_key_ = false;
  void separate();
};

// Appends `s` as a JSON string (quoted, escaped).
void append_json_string(std::string& out, std::string_view s);

}  // namespace entente::report_detail
