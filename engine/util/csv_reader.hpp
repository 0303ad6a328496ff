// The one CSV reader: every CSV file entente reads back (report, sweep design
// tables and results, compare's run directories) goes through it. RFC 4180
// fields (quoted fields may hold commas, doubled quotes and line breaks; CRLF,
// LF or CR end a record), read record by record from the file (memory bounded
// by the longest record, never the file), every error located as
// `FILE:LINE:COL: error: …` at the field it is about. No byte-order mark is
// skipped: a BOM stays part of the first header name.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace entente::detail {

class CsvReader {
 public:
  // Opens the file and reads its first record as the header. Throws
  // InputError at FILE (no line) with `cannot_read` when the file cannot be
  // opened, and at FILE:1:1 with `empty` when it has no record at all.
  explicit CsvReader(const std::filesystem::path& path,
                     std::string_view empty = "the file is empty (expected a header line)",
                     std::string_view cannot_read = "cannot read the file");
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  const std::string& name() const { return name_; }
  const std::vector<std::string>& header() const { return header_; }
  // Index of the column named `name`, or -1.
  int find_column(std::string_view name) const;
  // Index of the column named `name`; throws InputError (line 1) when absent.
  int column(std::string_view name) const;

  // Advances to the next record whatever its number of fields (a blank line
  // is one empty field); false at the end. Throws InputError for a quote
  // not closed or a character after a closing quote.
  bool next_record();
  // Advances to the next record and throws InputError when it has not as
  // many fields as the header; false at the end.
  bool next();

  // The current record: its fields, the line it starts on (1-based).
  const std::vector<std::string>& fields() const { return fields_; }
  std::size_t size() const { return fields_.size(); }
  int line() const { return line_; }
  std::string_view field(int column) const { return fields_[static_cast<std::size_t>(column)]; }
  // 1-based line and column where field `column` of the current record starts.
  int line_of(int column) const { return places_[static_cast<std::size_t>(column)].line; }
  int column_of(int column) const { return places_[static_cast<std::size_t>(column)].column; }

  // The field as a double (std::from_chars, the whole field) / an integer in
  // [min, max]; throws InputError at the field.
  double number(int column) const;
  long long integer(int column, long long min, long long max) const;
  // Throws InputError at the field's place with `message`.
  [[noreturn]] void fail(int column, const std::string& message) const;

 private:
  struct Place {
    int line;
    int column;
  };
  void advance();  // past look_, keeping at_line_/at_column_ on the new look_
  std::FILE* file_ = nullptr;
  std::string name_;  // the path as given, for messages
  std::vector<std::string> header_;
  std::vector<std::string> fields_;
  std::vector<Place> places_;
  int look_ = EOF;   // the next character of the file
  int line_ = 0;     // where the current record starts
  int at_line_ = 1;  // where look_ is
  int at_column_ = 1;
};

// A number in a hand-written table (sweep designs): like std::from_chars but
// also "+1" and surrounding blanks, and only finite values; false for
// anything else, including an empty field.
bool parse_double(std::string_view text, double& out);

}  // namespace entente::detail
