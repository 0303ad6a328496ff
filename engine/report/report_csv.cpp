#include <charconv>
#include <fstream>
#include <sstream>

#include "entente/util/diagnostics.hpp"
#include "report/csv_reader.hpp"

namespace entente::report_detail {

CsvReader::CsvReader(const std::filesystem::path& path) : file_(path.string()) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({file_, 0, 0}, "cannot read the file");
  std::ostringstream s;
  s << in.rdbuf();
  text_ = std::move(s).str();
  std::vector<std::string_view> fields;
  if (!read_row(fields))
    throw InputError({file_, 1, 1}, "the file is empty (expected a header line)");
  for (auto f : fields) header_.emplace_back(f);
}

int CsvReader::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int CsvReader::column(std::string_view name) const {
  const int c = find_column(name);
  if (c < 0) throw InputError({file_, 1, 1}, "no column '" + std::string(name) + "' in the header");
  return c;
}

bool CsvReader::read_row(std::vector<std::string_view>& fields) {
  fields.clear();
  columns_.clear();
  unquoted_.clear();
  if (pos_ >= text_.size()) return false;
  ++line_;
  const std::size_t line_start = pos_;
  while (true) {
    columns_.push_back(static_cast<int>(pos_ - line_start) + 1);
    if (pos_ < text_.size() && text_[pos_] == '"') {
      std::string value;
      std::size_t i = pos_ + 1;
      while (true) {
        if (i >= text_.size()) throw InputError({file_, line_, columns_.back()}, "unclosed quote");
        if (text_[i] == '"') {
          if (i + 1 < text_.size() && text_[i + 1] == '"') {
            value.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        value.push_back(text_[i++]);
      }
      unquoted_.push_back(std::move(value));
      fields.emplace_back(unquoted_.back());
      pos_ = i;
    } else {
      std::size_t end = pos_;
      while (end < text_.size() && text_[end] != ',' && text_[end] != '\n' && text_[end] != '\r')
        ++end;
      fields.emplace_back(text_.data() + pos_, end - pos_);
      pos_ = end;
    }
    if (pos_ >= text_.size()) return true;
    const char c = text_[pos_];
    if (c == ',') {
      ++pos_;
      continue;
    }
    if (c == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    if (c == '\r' || c == '\n') return true;
    throw InputError({file_, line_, static_cast<int>(pos_ - line_start) + 1},
                     "unexpected character after a quoted field");
  }
}

bool CsvReader::next() {
  if (!read_row(fields_)) return false;
  if (fields_.size() != header_.size()) {
    throw InputError({file_, line_, 1}, std::to_string(fields_.size()) + " fields, expected " +
                                            std::to_string(header_.size()) + " as in the header");
  }
  return true;
}

void CsvReader::fail(int column, const std::string& message) const {
  throw InputError({file_, line_, columns_[static_cast<std::size_t>(column)]}, message);
}

double CsvReader::number(int column) const {
  const auto f = field(column);
  double v = 0.0;
  const auto res = std::from_chars(f.data(), f.data() + f.size(), v);
  if (res.ec != std::errc() || res.ptr != f.data() + f.size()) {
    fail(column, "'" + std::string(f) + "' is not a number");
  }
  return v;
}

long long CsvReader::integer(int column, long long min, long long max) const {
  const auto f = field(column);
  long long v = 0;
  const auto res = std::from_chars(f.data(), f.data() + f.size(), v);
  if (res.ec != std::errc() || res.ptr != f.data() + f.size()) {
    fail(column, "'" + std::string(f) + "' is not an integer");
  }
  if (v < min || v > max) {
    fail(column, std::to_string(v) + " is out of range (expected " + std::to_string(min) + " … " +
                     std::to_string(max) + ")");
  }
  return v;
}

}  // namespace entente::report_detail
