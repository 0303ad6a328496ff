// The two halves of the fast step (engine/model/step.cpp, engine/model/step_affinities.cpp)
// and the layout of the per-row scratch they share (Workspace::row_terms).
#pragma once

#include "entente/model/step.hpp"

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

// The shared-membership table Σ_g c_g m[g][i] m[g][j] in work.shared_membership,
// recomputed only when the engagement or the cohesion differs (bit for bit)
// from the last one. Allocates nothing once the workspace exists.
void update_shared_membership(const Model& model, const State& state, Workspace& work);
// work.stake(q, i) = s_qi · U_q[i][o] for the option o in force on issue q
// (MODEL.md §2.2's stakes), once per step.
void update_stakes(const Model& model, const State& state, Workspace& work);

// The instruction sets the step can run on (engine/model/step_isa.cpp): the
// portable code (x86-64 baseline, SSE2), or, at N = 7 without drivers, a
// kernel compiled for AVX-512F that gives the same bits.
enum class StepIsa { baseline, avx512 };
// The widest this CPU and build support: avx512 on an x86-64 CPU with
// AVX-512F (enabled by the OS) where the portable N = 7 products are the
// in-order loop; else baseline.
StepIsa supported_step_isa();
// The one `step` uses: chosen once, from the environment variable
// ENTENTE_ISA ("baseline" forces the portable code; unset or any other value:
// supported_step_isa()), until set_step_isa.
StepIsa step_isa();
// Forces the path for every thread (tests, benchmarks). Throws
// std::invalid_argument for avx512 where supported_step_isa() is baseline.
void set_step_isa(StepIsa isa);
const char* step_isa_name(StepIsa isa);
// The wide step at N = 7 without drivers: fills work.x_next and work.R_next
// from `state` (work.x_t must hold xᵀ) and returns true when step_isa() is
// avx512 and model.n is 7; else does nothing and returns false.
bool step7_wide(const Model& model, State& state, Workspace& work, Rng& rng);

}  // namespace entente::detail
