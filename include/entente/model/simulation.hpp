// One run: events, then the step, then blocs, step after step. The loop the
// CLI's `run`, workshops and sweeps all drive.
#pragma once

#include <cstdint>
#include <vector>

#include "entente/model/blocs.hpp"
#include "entente/model/model.hpp"
#include "entente/model/rng.hpp"
#include "entente/model/step.hpp"

namespace entente {

// What one firing event changed in R and x (MODEL.md §5.3 `event:<id>`).
struct EventChange {
  int event = 0;
  RowMatrix affinity;  // ΔR, N×N
  RowMatrix position;  // Δx, N×K
};

// A run of a model from step 0. Construct it, read state() (step 0), then
// call advance() once per step. Owns its generator, seeded with
// run_seed(scenario seed, run), and every buffer it needs, so advance()
// allocates nothing unless drivers are recorded and an event fires.
class Simulation {
 public:
  Simulation(const Model& model, std::uint64_t run, bool record_drivers = false);

  // Starts run `run` of the same model again from step 0: afterwards this
  // simulation is what Simulation(model, run, record_drivers) would be, but
  // its memory is reused (ensembles and sweeps restart one simulation per
  // thread instead of allocating one per run).
  void restart(std::uint64_t run);

  // S(t−1) → S(t): applies the events due at t in file order, then the step
  // (MODEL.md §2), then the bloc partition when the model needs it.
  void advance();

  // Applies an ad-hoc effect list now, as an event would (for workshops).
  void apply(const Effects& effects);

  // The bloc partition of the current state, now, even where the model does
  // not need blocs every step (sweeps that read blocs at one step only; blocs
  // never feed back into the dynamics).
  void compute_blocs();

  const Model& model() const { return *model_; }
  const State& state() const { return state_; }
  std::uint64_t seed() const { return seed_; }
  // Events that fired in the last advance(), in file order.
  const std::vector<int>& fired() const { return fired_; }
  // Drivers of the last advance() (null unless recorded).
  const StepDrivers* drivers() const { return record_drivers_ ? &drivers_ : nullptr; }
  const std::vector<EventChange>& event_changes() const { return event_changes_; }

 private:
  void update_blocs();

  const Model* model_;
  std::uint64_t seed_;
  Rng rng_;
  State initial_;  // the model's state at step 0 (restart copies it)
  State state_;
  Workspace work_;
  BlocWorkspace bloc_work_;
  BlocPartition blocs_;
  bool record_drivers_;
  StepDrivers drivers_;
  std::vector<int> fired_;
  std::vector<EventChange> event_changes_;
};

}  // namespace entente
