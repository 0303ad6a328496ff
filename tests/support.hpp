// Small scenarios built in code, for tests of the model core.
#pragma once

#include <string>

#include "entente/scenario/scenario.hpp"

namespace entente::testing {

// Lines 1-13 of a valid scenario file: the axis `orientation` and the actors
// ARM and RUS. Text appended to it starts at line 14, which the error tests'
// expected FILE:LINE:COL messages count on.
inline const std::string kTwoActorHead = R"([scenario]
name = "t"
steps = 10
[[axes]]
id = "orientation"
[[actors]]
id = "ARM"
power = 1
position = { orientation = 0.1 }
[[actors]]
id = "RUS"
power = 2
position = { orientation = -0.5 }
)";

// N actors A, B, C, … with power 1, K axes x0, x1, …, every position 0,
// R0 = 0 off the diagonal (1 on it), W = 1, T = 0, no institutions, issues or
// events, all rates 0 (power_exponent 1), one run of `steps` steps.
inline Scenario make_scenario(int n, int k, int steps = 10) {
  Scenario s;
  s.name = "test";
  s.steps = steps;
  s.runs = 1;
  for (int a = 0; a < k; ++a) s.axes.push_back({"x" + std::to_string(a), "", ""});
  for (int i = 0; i < n; ++i) {
    Actor actor;
    actor.id = std::string(1, static_cast<char>('A' + i));
    actor.name = actor.id;
    actor.power = 1.0;
    actor.position.assign(static_cast<std::size_t>(k), 0.0);
    actor.ideal = actor.position;
    s.actors.push_back(actor);
  }
  const auto N = static_cast<std::size_t>(n);
  s.affinity.assign(N, std::vector<double>(N, 0.0));
  s.weights.assign(N, std::vector<double>(N, 1.0));
  s.interdependence.assign(N, std::vector<double>(N, 0.0));
  for (std::size_t i = 0; i < N; ++i) s.affinity[i][i] = 1.0;
  s.output.observables = default_observables(s);
  return s;
}

// Sets a position and, unless told otherwise, the ideal to the same value.
inline void set_position(Scenario& s, int i, int a, double v) {
  s.actors[static_cast<std::size_t>(i)].position[static_cast<std::size_t>(a)] = v;
  s.actors[static_cast<std::size_t>(i)].ideal[static_cast<std::size_t>(a)] = v;
}

inline void set_affinity(Scenario& s, int i, int j, double v) {
  s.affinity[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = v;
}

}  // namespace entente::testing
