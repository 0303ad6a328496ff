// Numbers for people (terminal tables, dashboards, debriefs): fixed
// precision, and never "-0.000".
#pragma once

#include <cmath>
#include <cstdio>
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

}  // namespace entente::detail
