// Events (injects) and their effects (MODEL.md §3).
#pragma once

#include <string>
#include <vector>

#include "entente/model/model.hpp"

namespace entente {

// Applies an effect list to the state in MODEL.md §3's order (membership,
// affinity, position, regime, interdependence, weights, parameter), entries
// in written order. Deltas and scales are clipped to the valid range.
void apply_effects(const Model& model, State& state, const Effects& effects);

// The enabled events that fire at step t (= state.step + 1), in file order:
// those with `step == t`, and those whose `when` holds on `state` (the
// recorded S(t−1)) and that have not fired yet, or have `repeat`. Every
// condition is evaluated before any event applies. `out` is cleared first.
void due_events(const Model& model, const State& state, std::vector<int>& out);

// A one-line account of what an effect list does, for events.csv:
// `membership(ARM,CSTO)=0; affinity(RUS,ARM)+=-0.15; regime(corridor)=third_party`.
std::string describe(const Effects& effects, const Scenario& scenario);

}  // namespace entente
