// Objectives and scores (include/entente/model/objective.hpp).
#include "entente/model/objective.hpp"

#include "entente/model/blocs.hpp"

namespace entente {

double objective_score(const Model& model, const State& state,
                       const std::vector<ObjectiveTerm>& objective) {
  double sum = 0.0;
  for (const ObjectiveTerm& term : objective) {
    double value = 0.0;
    if (term.observable.kind == Observable::Kind::frustration && !model.needs_blocs) {
      BlocWorkspace work = make_bloc_workspace(model.n);
      BlocPartition blocs;
      find_blocs(state.R, model.power_share, model.scenario->output.bloc_anchor, work, blocs);
      value = blocs.frustration;
    } else {
      value = observe(model, state, term.observable);
    }
    sum += term.weight * value;
  }
  return sum;
}

double actor_score(const Model& model, const State& state, int actor) {
  return objective_score(model, state,
                         model.scenario->actors[static_cast<std::size_t>(actor)].objective);
}

bool has_objectives(const Scenario& scenario) {
  for (const Actor& a : scenario.actors) {
    if (!a.objective.empty()) return true;
  }
  return false;
}

}  // namespace entente
