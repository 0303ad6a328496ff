// The two halves of the fast step (engine/step.cpp, engine/step_affinities.cpp)
// and the layout of the per-row scratch they share (Workspace::row_terms).
#pragma once

#include "entente/step.hpp"

namespace entente::detail {

// Rows of Workspace::row_terms: per row i of the step, one quantity of each
// pair (i, j) laid out over j (the position rows: one quantity per actor i).
// Position rows first, then the affinity slots' ω and τ in MODEL.md §2.2's
// order; the stakes rows last (ω then τ, per issue).
enum TermRow : int {
  kDenominator,     // over i: Σ_j W[i][j] w_j (j ≠ i), the influence denominator
  kInfluenceTotal,  // over i: Σ_j v[i][j] + λ_i
  kAnchorWeight,    // over i: λ_i, normalised with the v[i][j]
  kPositionSum,     // over i: x[i][a] + Σ_j v[i][j] (…) for one axis
  kOmegaBalance,
  kTauBalance,
  kOmegaSimilarity,
  kTauSimilarity,
  kOmegaInstitutions,
  kOmegaInterdependence,
  kOmegaMemory,
  kTotal,  // Σ ω
  kValue,  // R[i][j] + Σ terms
  kFirstStakesRow
};
inline int stakes_omega_row(int q) {
  return kFirstStakesRow + 2 * q;
}
inline int stakes_tau_row(int q) {
  return kFirstStakesRow + 2 * q + 1;
}

// MODEL.md §2.2 and §2.3 for R: fills work.R_next (and the affinity drivers
// when kDrivers) from `state`, drawing the affinity noise. Allocates nothing.
template <bool kDrivers>
void step_affinities(const Model& model, const State& state, Workspace& work, Rng& rng,
                     StepDrivers* drivers);
extern template void step_affinities<true>(const Model&, const State&, Workspace&, Rng&,
                                           StepDrivers*);
extern template void step_affinities<false>(const Model&, const State&, Workspace&, Rng&,
                                            StepDrivers*);

}  // namespace entente::detail
