// The load-time check of MODEL.md §2.4: raw weights that sum above 1.
#pragma once

#include <vector>

#include "entente/scenario/scenario.hpp"
#include "entente/util/diagnostics.hpp"

namespace entente {

// Warnings (location: `file`, no line) for the actor whose position weights
// (Σ_j v[i][j] + λ_i) and the pair whose affinity weights (Σ_m ω_m) sum above
// 1 on the initial state, each naming the worst actor or pair and the sum.
// Empty when every sum is at most 1.
std::vector<Diagnostic> stability_warnings(const Scenario& scenario, const std::string& file);

}  // namespace entente
