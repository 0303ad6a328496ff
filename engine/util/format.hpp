// Text for people and manifests: numbers at fixed precision (never
// "-0.000") and the current time in UTC.
#pragma once

#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>

namespace entente::detail {

// `v` with a printf format such as "%+.3f" (the default) or "%.0f"; with a
// signed format, magnitudes below half the last digit print as +0.000.
inline std::string fixed(double v, const char* format = "%+.3f") {
  char buf[48];
  if (std::abs(v) < 5e-4 && format[1] == '+') v = 0.0;
  std::snprintf(buf, sizeof buf, format, v == 0.0 ? 0.0 : v);
  return buf;
}

// A time as ISO 8601 UTC to the second: "2026-11-30T16:11:03Z".
inline std::string utc_iso(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Now, as utc_iso (manifests, the room's log and views).
inline std::string utc_now() {
  return utc_iso(std::time(nullptr));
}

}  // namespace entente::detail
