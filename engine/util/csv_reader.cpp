#include "util/csv_reader.hpp"

#include <charconv>
#include <cmath>

#include "entente/util/diagnostics.hpp"

namespace entente::detail {

CsvReader::CsvReader(const std::filesystem::path& path, std::string_view empty,
                     std::string_view cannot_read)
    : name_(path.string()) {
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) throw InputError({name_, 0, 0}, std::string(cannot_read));
  look_ = std::getc(file_);
  if (!next_record()) throw InputError({name_, 1, 1}, std::string(empty));
  header_ = fields_;
}

CsvReader::~CsvReader() {
  if (file_ != nullptr) std::fclose(file_);
}

void CsvReader::advance() {
  const int was = look_;
  look_ = std::getc(file_);
  if (was == '\n' || (was == '\r' && look_ != '\n')) {
    ++at_line_;
    at_column_ = 1;
  } else {
    ++at_column_;
  }
}

int CsvReader::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int CsvReader::column(std::string_view name) const {
  const int c = find_column(name);
  if (c < 0) throw InputError({name_, 1, 1}, "no column '" + std::string(name) + "' in the header");
  return c;
}

bool CsvReader::next_record() {
  fields_.clear();
  places_.clear();
  if (look_ == EOF) return false;
  line_ = at_line_;
  for (;;) {
    places_.push_back({at_line_, at_column_});
    std::string& f = fields_.emplace_back();
    if (look_ == '"') {
      const Place open = places_.back();
      advance();
      for (;;) {
        if (look_ == EOF) throw InputError({name_, open.line, open.column}, "unclosed quote");
        if (look_ == '"') {
          advance();
          if (look_ != '"') break;
        }
        f.push_back(static_cast<char>(look_));
        advance();
      }
    } else {
      while (look_ != EOF && look_ != ',' && look_ != '\n' && look_ != '\r') {
        f.push_back(static_cast<char>(look_));
        advance();
      }
    }
    switch (look_) {
      case ',':
        advance();
        continue;
      case EOF:
        return true;
      case '\r':
        advance();
        if (look_ == '\n') advance();
        return true;
      case '\n':
        advance();
        return true;
      default:
        throw InputError({name_, at_line_, at_column_},
                         "unexpected character after a quoted field");
    }
  }
}

bool CsvReader::next() {
  if (!next_record()) return false;
  if (fields_.size() != header_.size()) {
    throw InputError({name_, line_, 1}, std::to_string(fields_.size()) + " fields, expected " +
                                            std::to_string(header_.size()) + " as in the header");
  }
  return true;
}

void CsvReader::fail(int column, const std::string& message) const {
  throw InputError({name_, line_of(column), column_of(column)}, message);
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

bool parse_double(std::string_view text, double& out) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out);
}

}  // namespace entente::detail
