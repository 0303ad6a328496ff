// One step of the dynamics (MODEL.md §2): S(t−1), after that step's events,
// to S(t). A pure function of the model, the state and the generator: it
// writes nothing and, once the workspace is built, allocates nothing.
#pragma once

#include <string>
#include <vector>

#include "entente/model/model.hpp"
#include "entente/model/rng.hpp"

namespace entente {

// The slots of the affinity drivers, in MODEL.md §2.2's order: balance,
// similarity, institutions, interdependence, one stakes slot per issue,
// memory; then noise and clip.
inline constexpr int kBalanceSlot = 0;
inline constexpr int kSimilaritySlot = 1;
inline constexpr int kInstitutionsSlot = 2;
inline constexpr int kInterdependenceSlot = 3;
inline constexpr int kFirstStakesSlot = 4;

// The split of one step's change into named parts (MODEL.md §5.3), excluding
// events (recorded by apply_events). Filled by the step when asked for.
//
//   affinity(i*N + j, slot): the mechanism terms ω_m (τ_m − R[i][j]) in the
//     slots above (kFirstStakesSlot + q is stakes:q, then memory), then
//     `noise`, then `clip`.
//   position(i*K + a, slot): slot j < N is source actor j's term
//     v[i][j] (sign(R[i][j]) x[j][a] − x[i][a]); then `anchoring`, `noise`, `clip`.
struct StepDrivers {
  RowMatrix affinity;
  RowMatrix position;
  int memory_slot() const { return static_cast<int>(affinity.cols()) - 3; }
  int affinity_noise_slot() const { return static_cast<int>(affinity.cols()) - 2; }
  int affinity_clip_slot() const { return static_cast<int>(affinity.cols()) - 1; }
  int position_anchor_slot() const { return static_cast<int>(position.cols()) - 3; }
  int position_noise_slot() const { return static_cast<int>(position.cols()) - 2; }
  int position_clip_slot() const { return static_cast<int>(position.cols()) - 1; }
};
StepDrivers make_step_drivers(const Model& model);

// The names of the driver slots (MODEL.md §5.3), in slot order. Affinity:
// balance, similarity, institutions, interdependence, stakes:<issue>…,
// memory, noise, clip. Position: influence:<source actor>…, anchoring,
// noise, clip. (Events are named event:<id>.)
std::vector<std::string> affinity_driver_names(const Scenario& scenario);
std::vector<std::string> position_driver_names(const Scenario& scenario);

// Scratch arrays for `step`, sized once per model so that the step allocates
// nothing at any N. Its contents between steps are private to `step`, except
// that it remembers the shared-membership table of the last engagement it saw
// (recomputed only when the engagement or cohesion changes). One workspace
// serves one model; copying it is allowed.
struct Workspace {
  RowMatrix x_next, R_next;
  RowMatrix triad, triad_abs;     // R diag(w) R and |R| diag(w) |R|
  RowMatrix absR, wR, wabsR;      // helpers for the two products
  RowMatrix weighted_membership;  // c_g m[g][i], G×N
  RowMatrix shared_membership;    // Σ_g c_g m[g][i] m[g][j]
  RowMatrix stake;                // Q×N: s[q][i] u[q][i][regime q]
  RowMatrix x_t;                  // xᵀ, K×N: positions axis by axis
  RowMatrix R_t;                  // Rᵀ: affinities source by source
  RowMatrix influence_t;          // N×N, [j][i]: W[i][j] w_j, then v[i][j]
  // Per row i, the quantities of every pair (i, j) laid out over j, so that
  // they are computed two pairs at a time: per-actor position sums, then
  // each affinity slot's ω and τ (row indices: engine/model/step_parts.hpp).
  RowMatrix row_terms;
  // Eigen's GEMM packing panels for the balance products (N×N×N blocking
  // kc, mc, nc as Eigen chooses them), so that the products never reach
  // Eigen's heap fallback; empty where the products do not use GEMM.
  Eigen::VectorXd gemm_lhs_panel, gemm_rhs_panel;
  Eigen::Index gemm_kc = 0, gemm_mc = 0, gemm_nc = 0;
  // The engagement and cohesion `shared_membership` was computed from.
  RowMatrix membership_seen;
  Eigen::VectorXd cohesion_seen;
  bool shared_membership_valid = false;
};
Workspace make_workspace(const Model& model);

// The fast step: the formulas of MODEL.md §2 with the balance sums taken from
// two matrix products. `drivers` may be null.
void step(const Model& model, State& state, Workspace& work, Rng& rng,
          StepDrivers* drivers = nullptr);

// The reference step: plain loops, one line per formula of MODEL.md §2,
// written for obviousness, not speed. The tests hold `step` to it.
void reference_step(const Model& model, State& state, Rng& rng, StepDrivers* drivers = nullptr);

}  // namespace entente
