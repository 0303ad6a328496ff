// Objectives (MODEL.md §7): what an actor plays for. An actor's score at a
// state is Σ weight × observable over its `objective`. Scores are read off
// states; they never enter the step (§2), so a scenario gives the same
// trajectories with and without objectives.
#pragma once

#include <vector>

#include "entente/model/model.hpp"
#include "entente/scenario/scenario.hpp"

namespace entente {

// Σ weight × observe(model, state, observable) over `objective`, in order.
// `frustration` is computed from the state's affinities when the model does
// not track blocs.
double objective_score(const Model& model, const State& state,
                       const std::vector<ObjectiveTerm>& objective);

// The score of actor `actor` (index in file order); 0 for an actor without
// an objective.
double actor_score(const Model& model, const State& state, int actor);

// Whether any actor of `scenario` has an objective.
bool has_objectives(const Scenario& scenario);

}  // namespace entente
