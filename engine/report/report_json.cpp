#include <cmath>

#include "report/json_writer.hpp"
#include "util/csv.hpp"

namespace entente::report_detail {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
        out += "\\u003c";
        break;  // no "</script>" inside the page's <script>
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 15]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
  }
}

void JsonWriter::begin_object() {
  separate();
  out_.push_back('{');
  first_.push_back(true);
}

void JsonWriter::end_object() {
  out_.push_back('}');
  first_.pop_back();
}

void JsonWriter::begin_array() {
  separate();
  out_.push_back('[');
  first_.push_back(true);
}

void JsonWriter::end_array() {
  out_.push_back(']');
  first_.pop_back();
}

void JsonWriter::key(std::string_view k) {
  separate();
  append_json_string(out_, k);
  out_.push_back(':');
  after_key_ = true;
}

void JsonWriter::value(double v) {
  separate();
  if (std::isfinite(v)) {
    detail::append_double(out_, v);
  } else {
    out_ += "null";
  }
}

void JsonWriter::value(long long v) {
  separate();
  detail::append_int(out_, v);
}

void JsonWriter::value(bool v) {
  separate();
  out_ += v ? "true" : "false";
}

void JsonWriter::value(std::string_view s) {
  separate();
  append_json_string(out_, s);
}

void JsonWriter::null() {
  separate();
  out_ += "null";
}

void JsonWriter::numbers(std::span<const double> values) {
  begin_array();
  for (const double v : values) value(v);
  end_array();
}

void JsonWriter::strings(std::span<const std::string> values) {
  begin_array();
  for (const auto& v : values) value(std::string_view(v));
  end_array();
}

void JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
}

}  // namespace entente::report_detail
