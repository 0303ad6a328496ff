// The two halves of the fast step (engine/model/step.cpp, engine/model/step_affinities.cpp)
// and the layout of the per-row scratch they share (Workspace::row_terms).
#pragma once

#include <string_view>

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
// when kDrivers) from `state`, adding work.noise_R. Allocates nothing.
template <bool kDrivers>
void step_affinities(const Model& model, const State& state, Workspace& work, StepDrivers* drivers);
extern template void step_affinities<true>(const Model&, const State&, Workspace&, StepDrivers*);
extern template void step_affinities<false>(const Model&, const State&, Workspace&, StepDrivers*);

// Noise (MODEL.md §2.3, include/entente/model/rng.hpp). Whether any actor's σx is
// positive (and K ≥ 1).
bool draws_position_noise(const Model& model, const State& state);
// ξ of step t = state.step + 1 into work.noise_x (when `positions`) and
// work.noise_R (when `affinities`), in one batch. Allocates nothing.
void draw_step_noise(const State& state, Workspace& work, const Rng& rng, bool positions,
                     bool affinities);
// The Box–Muller pairs of the counters (t, a[k], b[k], kind[k]), k < count,
// into z0[k] and z1[k]: Rng::pair's bits, on step_isa()'s instruction set
// (engine/model/noise_wide.cpp). The arrays must hold count rounded up to a whole
// kNoiseBlock (the wide code reads and writes whole vectors past count).
inline constexpr int kNoiseBlock = 32;
void draw_normals(const Rng& rng, std::uint32_t t, const std::uint32_t* kind,
                  const std::uint32_t* a, const std::uint32_t* b, int count, double* z0,
                  double* z1);

// The shared-membership table Σ_g c_g m[g][i] m[g][j] in work.shared_membership,
// recomputed only when the engagement or the cohesion differs (bit for bit)
// from the last one. Allocates nothing once the workspace exists.
void update_shared_membership(const Model& model, const State& state, Workspace& work);
// work.stake(q, i) = s_qi · U_q[i][o] for the option o in force on issue q
// (MODEL.md §2.2's stakes), once per step.
void update_stakes(const Model& model, const State& state, Workspace& work);

// The instruction sets the step can run on (engine/model/step_isa.cpp): the
// portable code (baseline), or, at N = 7 without drivers, the wide kernel of
// engine/model/step_wide.cpp (Google Highway, dispatched at run time) compiled for
// AVX2, AVX-512 or NEON, which gives the same bits; the noise's batch draws
// use the same instruction set.
enum class StepIsa { baseline, avx2, avx512, neon };
// Whether this CPU and build can run `isa` (baseline: always).
bool isa_available(StepIsa isa);
// The widest available: avx512, else avx2 (x86-64), neon (ARM), baseline.
StepIsa supported_step_isa();
// ENTENTE_ISA's values: "auto" (or empty: supported_step_isa()), "baseline",
// "avx2", "avx512" (and "neon" on ARM). Throws std::invalid_argument for any
// other value and for an instruction set this CPU or build lacks.
StepIsa parse_step_isa(std::string_view value);
// The one `step` uses: chosen once per process, parse_step_isa(ENTENTE_ISA)
// (unset: auto), until set_step_isa. Throws as parse_step_isa does.
StepIsa step_isa();
// Forces the path for every thread (tests, benchmarks). Throws
// std::invalid_argument for an instruction set that is not available.
void set_step_isa(StepIsa isa);
const char* step_isa_name(StepIsa isa);
// The wide step at N = 7 without drivers: fills work.x_next and work.R_next
// from `state` (work.x_t must hold xᵀ) and returns true when step_isa() is
// not baseline and model.n is 7; else does nothing and returns false.
bool step7_wide(const Model& model, State& state, Workspace& work);

}  // namespace entente::detail
