#include "util/csv.hpp"

#include <charconv>

#include "util/shortest.hpp"

namespace entente::detail {

void append_double(std::string& out, double v) {
  char buf[kShortestMaxChars];
  out.append(buf, write_shortest(buf, v));  // no "-0"
}

std::string format_double(double v) {
  std::string s;
  append_double(s, v);
  return s;
}

void append_int(std::string& out, long long v) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void append_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace entente::detail
