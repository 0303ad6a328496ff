// Reading the CSV files of an output directory back, for `entente report`:
// RFC 4180 fields, numbers parsed exactly (std::from_chars reads the shortest
// round-trip form the writers use back to the same double), and every error
// located as `FILE:LINE:COL: error: …`.
#pragma once

#include <deque>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace entente::report_detail {

// A whole CSV file read row by row. Construct, check the header with
// column(), then call next() until it returns false and read the fields of
// the current row. Every accessor that finds bad input throws InputError
// naming the file, the line and the column of the field.
class CsvReader {
 public:
  // Throws InputError when the file cannot be read or has no header line.
  explicit CsvReader(const std::filesystem::path& path);

  const std::vector<std::string>& header() const { return header_; }
  // Index of the column named `name`, or -1.
  int find_column(std::string_view name) const;
  // Index of the column named `name`; throws InputError (line 1) when absent.
  int column(std::string_view name) const;

  // Advances to the next row; false at the end. Throws InputError when the
  // row has not as many fields as the header or a quote is not closed.
  bool next();
  int line() const { return line_; }
  std::string_view field(int column) const { return fields_[static_cast<std::size_t>(column)]; }
  // The field as a double / an integer in [min, max]; throws InputError.
  double number(int column) const;
  long long integer(int column, long long min, long long max) const;
  // Throws InputError at the field's place with `message`.
  [[noreturn]] void fail(int column, const std::string& message) const;

 private:
  std::string file_;  // as given, for messages
  std::string text_;
  std::size_t pos_ = 0;
  int line_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;
  std::vector<int> columns_;          // 1-based column of each field
  std::deque<std::string> unquoted_;  // storage for quoted fields (stable on push_back)
  bool read_row(std::vector<std::string_view>& fields);
};

}  // namespace entente::report_detail
