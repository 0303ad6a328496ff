// Reading CSV files for sweeps: table designs and results tables.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace entente::detail {

// Reads an RFC 4180 CSV file record by record (quoted fields may hold commas,
// quotes and line breaks; CRLF accepted). Throws InputError (file: the path)
// when the file cannot be opened.
class CsvReader {
 public:
  explicit CsvReader(const std::filesystem::path& path);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // The next record into `fields`; false at the end. Throws InputError for an
  // unterminated quote.
  bool next(std::vector<std::string>& fields);
  // 1-based line where the last record started.
  int line() const { return line_; }
  const std::string& name() const { return name_; }

 private:
  int get();
  std::FILE* file_ = nullptr;
  std::string name_;
  int line_ = 0;
  int next_line_ = 1;
};

// A whole number or decimal (as std::from_chars reads it, also "+1", " 1 ");
// false for anything else, including an empty field.
bool parse_double(std::string_view text, double& out);

}  // namespace entente::detail
