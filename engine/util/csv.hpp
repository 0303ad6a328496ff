// CSV formatting: numbers in the shortest form that reads back to the same
// double (MODEL.md §6), fields quoted as RFC 4180 says.
#pragma once

#include <string>
#include <string_view>

namespace entente::detail {

// Shortest round-trip decimal form (std::to_chars's bytes, by write_shortest):
// 0.1, -0.15, 1e-05, 0.
// Negative zero is written as 0.
std::string format_double(double v);
void append_double(std::string& out, double v);
void append_int(std::string& out, long long v);

// Appends a field, quoting it when it holds a comma, quote, CR or LF.
void append_field(std::string& out, std::string_view field);

}  // namespace entente::detail
