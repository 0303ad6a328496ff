#include "entente/model/simulation.hpp"

#include "entente/model/events.hpp"

namespace entente {

Simulation::Simulation(const Model& model, std::uint64_t run, bool record_drivers)
    : model_(&model),
      seed_(run_seed(model.scenario->seed, run)),
      rng_(seed_),
      initial_(initial_state(model)),
      state_(initial_),
      work_(make_workspace(model)),
      bloc_work_(make_bloc_workspace(model.n)),
      record_drivers_(record_drivers) {
  if (record_drivers_) drivers_ = make_step_drivers(model);
  fired_.reserve(model.scenario->events.size());
  update_blocs();
}

void Simulation::restart(std::uint64_t run) {
  seed_ = run_seed(model_->scenario->seed, run);
  rng_ = Rng(seed_);
  state_ = initial_;  // same sizes: copies into the existing storage
  fired_.clear();
  event_changes_.clear();
  if (record_drivers_) {  // as make_step_drivers leaves them: no step yet
    drivers_.affinity.setZero();
    drivers_.position.setZero();
  }
  update_blocs();
}

void Simulation::update_blocs() {
  if (!model_->needs_blocs) return;
  compute_blocs();
}

void Simulation::compute_blocs() {
  if (model_->n == 0) return;
  find_blocs(state_.R, model_->power_share, model_->scenario->output.bloc_anchor, bloc_work_,
             blocs_);
  state_.bloc = blocs_.group;
  state_.frustration = blocs_.frustration;
  state_.blocs_heuristic = blocs_.heuristic;
}

void Simulation::apply(const Effects& effects) {
  apply_effects(*model_, state_, effects);
}

void Simulation::advance() {
  due_events(*model_, state_, fired_);
  event_changes_.clear();
  for (int e : fired_) {
    const Event& ev = model_->scenario->events[static_cast<std::size_t>(e)];
    if (record_drivers_) {
      EventChange change{e, -state_.R, -state_.x};
      apply_effects(*model_, state_, ev.effects);
      change.affinity += state_.R;
      change.position += state_.x;
      event_changes_.push_back(std::move(change));
    } else {
      apply_effects(*model_, state_, ev.effects);
    }
    state_.fired[static_cast<std::size_t>(e)] = 1;
  }
  step(*model_, state_, work_, rng_, record_drivers_ ? &drivers_ : nullptr);
  update_blocs();
}

}  // namespace entente
