// The compiled model (MODEL.md §1): the scenario's parameters as dense Eigen
// arrays, and the state a run moves through. `compile` is the only bridge
// from the plain Scenario to the numbers the stepper reads.
#pragma once

#include <Eigen/Core>
#include <memory>
#include <vector>

#include "entente/scenario/scenario.hpp"

namespace entente {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// What does not change during a run: powers, ideal positions, stubbornness,
// structural memory R0, cohesion, utilities and saliences. Holds the scenario
// it was compiled from, for names.
struct Model {
  std::shared_ptr<const Scenario> scenario;
  int n = 0;  // actors
  int k = 0;  // axes
  int g = 0;  // institutions
  int q = 0;  // issues

  Eigen::VectorXd power_share;   // pbar_i = p_i / Σ p
  Eigen::VectorXd stubbornness;  // λ_i
  RowMatrix ideal;               // xhat, N×K
  Eigen::VectorXd actor_noise;   // σx override per actor; NaN: use [model] noise_position
  RowMatrix affinity0;           // R0, N×N
  // Memory's target at step 0 (MODEL.md §2.5): R0, or Rstar under
  // anchor = "equilibrium" (then `ideal` holds the solved xhat). Not
  // clipped. Runs copy it into State::anchor, which `anchor` effects move.
  RowMatrix memory_target;
  Eigen::VectorXd cohesion;        // c_g
  std::vector<RowMatrix> utility;  // per issue: N×options
  RowMatrix salience;              // Q×N
  bool needs_blocs = false;        // blocs are computed every step when true

  const Scenario& names() const { return *scenario; }
};

// Compiles a validated scenario. Never throws for a scenario that loaded.
Model compile(const Scenario& scenario);

// Where a run is: everything that steps and events change (MODEL.md §1),
// plus the bloc partition of the recorded state.
struct State {
  int step = 0;
  Rates rates;              // [model]; `parameter` effects change it
  Eigen::VectorXd w;        // w_i = pbar_i^ρ, recomputed when ρ changes
  RowMatrix x;              // positions, N×K
  RowMatrix R;              // affinities, N×N, diagonal 1
  RowMatrix m;              // engagement, G×N
  RowMatrix T;              // dependence, N×N
  RowMatrix W;              // alignment weights, N×N
  RowMatrix anchor;         // memory's target, N×N (Model::memory_target; `anchor` effects)
  std::vector<int> regime;  // per issue, an option index
  std::vector<char> fired;  // per event: has it fired (for `when` without repeat)
  // Blocs (MODEL.md §5.2) of this state; valid when Model::needs_blocs.
  std::vector<int> bloc;  // per actor: 0 = A, 1 = B
  double frustration = 0.0;
  bool blocs_heuristic = false;  // true when N > 16 and the split is not proven minimal
};

// The state at step 0, before any event.
State initial_state(const Model& model);

// Recomputes w from the power shares and rates.power_exponent.
void update_source_weights(const Model& model, State& state);

// Numeric value of an observable on a state; for categorical ones, the
// category index (option index, or 0 = A / 1 = B).
double observe(const Model& model, const State& state, const Observable& o);

}  // namespace entente
