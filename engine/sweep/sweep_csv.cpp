#include "sweep/sweep_csv.hpp"

#include <charconv>
#include <cmath>

#include "entente/util/diagnostics.hpp"

namespace entente::detail {

CsvReader::CsvReader(const std::filesystem::path& path) : name_(path.string()) {
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) throw InputError(SourceLocation{name_, 0, 0}, "cannot read the file");
}

CsvReader::~CsvReader() {
  if (file_ != nullptr) std::fclose(file_);
}

int CsvReader::get() {
  return std::getc(file_);
}

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  int c = get();
  if (c == EOF) return false;
  line_ = next_line_;
  std::string field;
  bool quoted = false;
  for (;; c = get()) {
    if (quoted) {
      if (c == EOF) throw InputError(SourceLocation{name_, line_, 1}, "unterminated quoted field");
      if (c == '"') {
        const int d = get();
        if (d == '"') {
          field += '"';
          continue;
        }
        quoted = false;
        c = d;
      } else {
        if (c == '\n') ++next_line_;
        field += static_cast<char>(c);
        continue;
      }
    }
    if (c == '"' && field.empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == EOF) {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      fields.push_back(std::move(field));
      ++next_line_;
      return true;
    } else {
      field += static_cast<char>(c);
    }
  }
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
