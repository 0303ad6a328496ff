// The edges of the model (issue: robustness): one actor, two actors, no
// axes, no institutions or issues, every rate zero, one step, one run, a
// hundred thousand runs, and effects that could overflow. Each behaves as
// docs/model.md says, and nothing non-finite ever enters the state.
#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "entente/model/events.hpp"
#include "entente/model/simulation.hpp"
#include "entente/run/output.hpp"
#include "support.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::make_scenario;
using testing::slurp;

RunReport run(const Scenario& s, const std::string& name) {
  const Model m = compile(s);
  return run_to_directory(m, RunSettings{}, testing::fresh_dir(name) / "out", {{"test"}, {}});
}

int lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(EdgeCases, OneActorHasNoRelationsAndOneBloc) {
  Scenario s = make_scenario(1, 1, 3);
  s.rates = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 0.1, 0.1};
  s.actors[0].position = {0.3};
  s.output.blocs = true;
  const RunReport r = run(s, "one");
  const fs::path dir = r.directory;
  EXPECT_EQ(slurp(dir / "relations.csv"), "run,step,from,to,affinity\n");
  EXPECT_EQ(lines(slurp(dir / "actors.csv")), 1 + 4);
  EXPECT_NE(slurp(dir / "actors.csv").find("0,3,A,"), std::string::npos);
}

TEST(EdgeCases, TwoActorsHaveNoBalanceTerm) {
  Scenario s = make_scenario(2, 1, 5);
  s.rates.balance = 1.0;
  s.affinity[0][1] = -0.4;
  const Model m = compile(s);
  Simulation sim(m, 0, true);
  for (int t = 0; t < 5; ++t) sim.advance();
  EXPECT_EQ(sim.state().R(0, 1), -0.4);
  EXPECT_EQ(sim.drivers()->affinity(1, kBalanceSlot), 0.0);
}

TEST(EdgeCases, NoAxesMeansNoPositionsAndNoSimilarity) {
  Scenario s = make_scenario(3, 0, 2);
  s.rates.similarity = 0.5;
  s.rates.influence = 0.5;
  s.affinity[0][1] = 0.2;
  const Model m = compile(s);
  Simulation sim(m, 0);
  sim.advance();
  EXPECT_EQ(sim.state().R(0, 1), 0.2);
  const RunReport r = run(s, "noaxes");
  EXPECT_EQ(slurp(r.directory / "actors.csv").substr(0, 15), "run,step,actor\n");
}

TEST(EdgeCases, AllRatesZeroKeepTheStateStill) {
  Scenario s = make_scenario(4, 2, 20);
  s.rates.power_exponent = 0.0;
  s.affinity[0][1] = 0.3;
  s.actors[2].position = {0.5, -0.5};
  s.actors[2].ideal = {-1.0, 1.0};  // anchoring is off (stubbornness 0)
  const Model m = compile(s);
  Simulation sim(m, 0);
  const State start = sim.state();
  for (int t = 0; t < 20; ++t) sim.advance();
  EXPECT_EQ(sim.state().x, start.x);
  EXPECT_EQ(sim.state().R, start.R);
}

TEST(EdgeCases, OneStepAndOneRun) {
  Scenario s = make_scenario(2, 1, 1);
  s.rates.noise_affinity = 0.1;
  const RunReport r = run(s, "onestep");
  const std::string summary = slurp(r.directory / "summary.csv");
  EXPECT_EQ(lines(summary), 1 + 2 * (2 + 2));  // steps 0 and 1 × (2 affinities + 2 positions)
  // One run: sd 0 and every quantile equals the value.
  std::istringstream in(summary);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::size_t start = line.rfind('"') + 2;
    for (std::size_t c; (c = line.find(',', start)) != std::string::npos; start = c + 1)
      f.push_back(line.substr(start, c - start));
    f.push_back(line.substr(start));
    ASSERT_EQ(f.size(), 7u) << line;
    EXPECT_EQ(f[1], "0") << line;
    for (int k = 2; k < 7; ++k) EXPECT_EQ(f[static_cast<std::size_t>(k)], f[0]) << line;
  }
}

TEST(EdgeCases, AHundredThousandRuns) {
  Scenario s = make_scenario(2, 1, 1);
  s.runs = 100000;
  s.rates.noise_position = 0.1;
  s.output.observables = {{Observable::Kind::position, 0, 0}};
  const RunReport r = run(s, "many");
  EXPECT_EQ(lines(slurp(r.directory / "actors.csv")), 1 + 100000 * 2 * 2);
  const Stats st = r.summary.stats(1, 0);
  EXPECT_NEAR(st.mean, 0.0, 0.002);  // σ/√n ≈ 0.0003
  EXPECT_NEAR(st.sd, 0.1, 0.002);
  EXPECT_NEAR(st.quantile[4], 0.1645, 0.003);  // the normal's 95th percentile × σ
}

TEST(EdgeCases, RepeatedScalingCannotOverflow) {
  Scenario s = make_scenario(3, 1, 200);
  s.rates.influence = 1.0;
  s.affinity[0][1] = 0.5;
  s.affinity[0][2] = 0.5;
  s.actors[1].position = {1.0};
  Event e;
  e.id = e.name = "grow";
  e.when_text = "step >= 0";
  e.when = parse_condition(e.when_text, s);
  e.repeat = true;
  e.effects.weights.push_back({0, 1, EffectMode::scale, 1e3, false});
  e.effects.interdependence.push_back({0, 2, EffectMode::scale, 1e3, false});
  s.events.push_back(e);
  s.interdependence[0][2] = 0.1;
  const Model m = compile(s);
  Simulation sim(m, 0);
  for (int t = 0; t < 200; ++t) {
    sim.advance();
    ASSERT_TRUE(sim.state().x.allFinite() && sim.state().R.allFinite()) << "step " << t;
  }
  EXPECT_EQ(sim.state().W(0, 1), kMaxWeight);
  EXPECT_EQ(sim.state().T(0, 2), 1.0);
  // Nearly all of A's attention goes to B: A ends next to B.
  EXPECT_GT(sim.state().x(0, 0), 0.99);
}

}  // namespace
}  // namespace entente
