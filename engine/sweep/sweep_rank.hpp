// Ranking the rows of one output of an analysis (engine/analyze_*.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "entente/sweep/analyze.hpp"

namespace entente::detail {

// Appends `rows` (one output's) to `out`, by `key` descending, NaN last, ties
// in parameter order.
inline void append_ranked(std::vector<SensitivityRow> rows, std::vector<SensitivityRow>& out) {
  std::stable_sort(rows.begin(), rows.end(), [](const SensitivityRow& a, const SensitivityRow& b) {
    if (std::isnan(a.key)) return false;
    if (std::isnan(b.key)) return true;
    return a.key > b.key;
  });
  for (auto& r : rows) out.push_back(std::move(r));
}

}  // namespace entente::detail
