// Calendar dates of steps, for the `date` column of outputs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "entente/scenario/scenario.hpp"

namespace entente {

// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a real calendar date, year
// 1..9999); nullopt when it is not one.
std::optional<StartDate> parse_start_date(std::string_view text);

// "2025", "2025-04" or "2025-04-15", with the precision given.
std::string to_string(const StartDate& d);

// The date of step t: the start plus t units. Months and quarters give
// "YYYY-MM" (or a full date when the start has a day); years keep the start's
// precision (a month is added to "2025-04" as "2025-05"; a day
// past the end of a month is clamped to its last day); days and weeks always
// give a full date (a start without a day counts from the first).
std::string step_date(const StartDate& start, StepUnit unit, int step);

}  // namespace entente
