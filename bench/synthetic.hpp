// A synthetic scenario of N actors and K axes with every mechanism on, for
// the step benchmarks: one institution, one issue, dense R, W and T.
#pragma once

#include <string>
#include <vector>

#include "entente/scenario/scenario.hpp"

namespace entente::bench {

inline Scenario synthetic(int n, int k, bool noise) {
  Scenario s;
  s.name = "bench";
  s.steps = 36;
  for (int a = 0; a < k; ++a) s.axes.push_back({"x" + std::to_string(a), "", ""});
  for (int i = 0; i < n; ++i) {
    Actor actor;
    actor.id = "A" + std::to_string(i);
    actor.name = actor.id;
    actor.power = 1.0 + i % 5;
    actor.stubbornness = 0.1;
    for (int a = 0; a < k; ++a) actor.position.push_back(((i * 7 + a * 3) % 11) / 5.5 - 1.0);
    actor.ideal = actor.position;
    s.actors.push_back(actor);
  }
  const auto N = static_cast<std::size_t>(n);
  s.affinity.assign(N, std::vector<double>(N, 0.0));
  s.weights.assign(N, std::vector<double>(N, 1.0));
  s.interdependence.assign(N, std::vector<double>(N, 0.1));
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = 0; j < N; ++j)
      s.affinity[i][j] = i == j ? 1.0 : static_cast<double>((i * 13 + j * 7) % 9) / 4.5 - 1.0;
  }
  s.rates = {0.1, 0.04, 0.03, 0.03, 0.05, 0.04, 0.1, 0.5, noise ? 0.01 : 0.0, noise ? 0.02 : 0.0};
  Institution g{"G", "G", 1.0, std::vector<double>(N, 0.5)};
  s.institutions.push_back(g);
  Issue q{"q",
          "q",
          {"a", "b"},
          1,
          std::vector<double>(N, 1.0),
          Matrix(N, std::vector<double>{0.5, -0.5})};
  s.issues.push_back(q);
  s.output.observables = default_observables(s);
  return s;
}

}  // namespace entente::bench
