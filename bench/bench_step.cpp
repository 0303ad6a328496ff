// The step and a whole run, in items per second. Issue 7 extends this set.
#include <benchmark/benchmark.h>

#include "entente/scenario_io.hpp"
#include "entente/simulation.hpp"
#include "entente/step.hpp"

namespace {

using namespace entente;

Scenario synthetic(int n, int k, bool noise) {
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
      s.affinity[i][j] = i == j ? 1.0 : ((i * 13 + j * 7) % 9) / 4.5 - 1.0;
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

void BM_Step(benchmark::State& bs) {
  const int n = static_cast<int>(bs.range(0));
  const Model m = compile(synthetic(n, 2, bs.range(1) != 0));
  State st = initial_state(m);
  Workspace ws = make_workspace(m);
  Rng rng(1);
  for (auto _ : bs) {
    step(m, st, ws, rng);
    benchmark::DoNotOptimize(st.R.data());
  }
  bs.SetItemsProcessed(bs.iterations());
  bs.counters["pairs"] = static_cast<double>(n) * (n - 1);
}
BENCHMARK(BM_Step)->ArgsProduct({{7, 16, 64, 256}, {0, 1}})->ArgNames({"N", "noise"});

void BM_BaselineRun(benchmark::State& bs) {
  const LoadedScenario loaded = load_scenario(ENTENTE_SOURCE_DIR "/scenarios/baseline.toml");
  const Model m = compile(loaded.scenario);
  std::uint64_t run = 0;
  for (auto _ : bs) {
    Simulation sim(m, run++);
    for (int t = 0; t < loaded.scenario.steps; ++t) sim.advance();
    benchmark::DoNotOptimize(sim.state().R.data());
  }
  bs.SetItemsProcessed(bs.iterations());
}
BENCHMARK(BM_BaselineRun);

}  // namespace
