// Embedding entente in another program: load a scenario, run a small
// ensemble, print one observable at the last step with its 5–95 % band.
//   embed SCENARIO.toml [OBSERVABLE] [RUNS]
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <entente/entente.hpp>

int main(int argc, char** argv) try {
  if (argc < 2) {
    std::fprintf(stderr, "usage: embed SCENARIO.toml [OBSERVABLE] [RUNS]\n");
    return 2;
  }
  const entente::Scenario scenario = entente::load_scenario(argv[1]).scenario;
  const entente::Model model = entente::compile(scenario);
  const std::string text = argc > 2 ? argv[2] : "affinity(ARM,RUS)";
  const entente::Observable observable = entente::parse_observable(text, scenario);
  const int runs = argc > 3 ? std::stoi(argv[3]) : 20;
  std::vector<double> values;
  entente::Simulation sim(model, 0);
  for (int run = 0; run < runs; ++run) {
    sim.restart(static_cast<std::uint64_t>(run));  // run `run` from step 0, memory reused
    for (int t = 1; t <= scenario.steps; ++t) sim.advance();
    values.push_back(entente::observe(model, sim.state(), observable));
  }
  const entente::Stats s = entente::compute_stats(values);
  std::printf("%s at step %d over %d runs: mean %.4f, 5-95%% [%.4f, %.4f]\n", text.c_str(),
              scenario.steps, runs, s.mean, s.quantile[0], s.quantile[4]);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "embed: %s\n", e.what());
  return 2;
}
