#include "entente/util/date.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace entente {

namespace {
bool read_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc();
}
}  // namespace

std::optional<StartDate> parse_start_date(std::string_view text) {
  StartDate d;
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) return std::nullopt;
  if (!read_int(text.substr(0, 4), d.year) || d.year < 1) return std::nullopt;
  if (text.size() >= 7) {
    if (text[4] != '-' || !read_int(text.substr(5, 2), d.month) || d.month < 1 || d.month > 12) {
      return std::nullopt;
    }
  }
  if (text.size() == 10) {
    if (text[7] != '-' || !read_int(text.substr(8, 2), d.day)) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(d.year),
                                          std::chrono::month(static_cast<unsigned>(d.month)),
                                          std::chrono::day(static_cast<unsigned>(d.day))};
    if (!ymd.ok()) return std::nullopt;
  }
  return d;
}

std::string to_string(const StartDate& d) {
  char buf[48];
  if (d.day > 0)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  else if (d.month > 0)
    std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
  else
    std::snprintf(buf, sizeof buf, "%04d", d.year);
  return buf;
}

std::string step_date(const StartDate& start, StepUnit unit, int step) {
  using namespace std::chrono;
  StartDate d = start;
  const auto add_months = [&](int months) {
    if (d.month == 0) d.month = 1;  // monthly steps from "2025" count from January
    const int base = d.year * 12 + (d.month - 1) + months;
    d.year = base / 12;
    d.month = base % 12 + 1;
    if (d.day > 0) {
      const auto last =
          year_month_day_last(year(d.year), month_day_last(month(static_cast<unsigned>(d.month))));
      d.day = std::min(d.day, static_cast<int>(static_cast<unsigned>(last.day())));
    }
  };
  switch (unit) {
    case StepUnit::month:
      add_months(step);
      break;
    case StepUnit::quarter:
      add_months(3 * step);
      break;
    case StepUnit::year:
      d.year += step;
      break;
    case StepUnit::day:
    case StepUnit::week: {
      const year_month_day ymd{year(d.year), month(static_cast<unsigned>(std::max(d.month, 1))),
                               day(static_cast<unsigned>(std::max(d.day, 1)))};
      const sys_days when = sys_days(ymd) + days(unit == StepUnit::week ? 7 * step : step);
      const year_month_day out{when};
      d.year = static_cast<int>(out.year());
      d.month = static_cast<int>(static_cast<unsigned>(out.month()));
      d.day = static_cast<int>(static_cast<unsigned>(out.day()));
      break;
    }
    case StepUnit::step:
      break;
  }
  return to_string(d);
}

}  // namespace entente
