// One step of the dynamics (MODEL.md §2): S(t−1), after that step's events,
// to S(t). A pure function of the model, the state and the generator: it
// writes nothing and, once the workspace is built, allocates nothing.
#pragma once

#include <cstdint>
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
// that it remembers the shared-membership tables of the last two engagements
// it saw (recomputed only when the engagement or cohesion is neither). One workspace
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
  // Noise (MODEL.md §2.3, include/entente/model/rng.hpp): h of every actor's and
  // axis's id; the step's counters (t, a, b, kind) without t: first the
  // positions (N×K: actor, axis; kind 0), then one per unordered pair of
  // actors (h(a) < h(b); kind 1), padded with zeros to a whole block of
  // detail::kNoiseBlock; the slots of R a pair's two draws go to (a→b takes
  // z0, b→a z1); the draws z0, z1 (same length); and the step's ξ.
  std::vector<std::uint32_t> actor_noise_id, axis_noise_id;
  std::vector<std::uint32_t> noise_counter_a, noise_counter_b, noise_counter_kind;
  int position_draws = 0, pair_draws = 0;
  std::vector<int> pair_slot0, pair_slot1;  // i*N + j
  std::vector<double> noise_z0, noise_z1;
  RowMatrix noise_x;  // ξ per position, N×K
  RowMatrix noise_R;  // ξ per affinity, N×N (diagonal 0)
  // The engagement and cohesion `shared_membership` was computed from; and
  // the table before it, kept for when the engagement returns (an event that
  // changes it, then the ensemble's next run starting from step 0 again).
  RowMatrix membership_seen;
  Eigen::VectorXd cohesion_seen;
  bool shared_membership_valid = false;
  RowMatrix shared_membership_before, membership_before;
  Eigen::VectorXd cohesion_before;
  bool shared_membership_before_valid = false;
};
// Throws std::invalid_argument when two actor ids, or two axis ids, have the
// same noise id h (rng.hpp; the scenario loader refuses such files first).
Workspace make_workspace(const Model& model);

// The fast step: the formulas of MODEL.md §2 with the balance sums taken from
// two matrix products. `drivers` may be null.
// The noise comes from `rng` (include/entente/model/rng.hpp): ξ of step
// state.step + 1.
void step(const Model& model, State& state, Workspace& work, const Rng& rng,
          StepDrivers* drivers = nullptr);

// The reference step: plain loops, one line per formula of MODEL.md §2,
// written for obviousness, not speed. The tests hold `step` to it.
void reference_step(const Model& model, State& state, const Rng& rng,
                    StepDrivers* drivers = nullptr);

}  // namespace entente
