// Sweeps: the per-point scenario equals the loader's, results do not depend on
// the thread count, seeds depend only on (seed, point, replicate), and bad
// sweep files get located messages.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "cli_support.hpp"
#include "entente/model/rng.hpp"
#include "entente/model/simulation.hpp"
#include "entente/scenario/scenario_template.hpp"
#include "entente/sweep/sweep.hpp"

namespace {

using namespace entente;
using entente::testing::cli;
using entente::testing::fresh_dir;
using entente::testing::slurp;

const std::filesystem::path kSmall = "tests/data/scenarios/small.toml";

// Builds the scenario through a binding and through load_scenario.
void expect_same(const std::vector<std::pair<std::string, std::string>>& sets, bool direct) {
  std::vector<std::string> paths, texts;
  std::vector<double> numbers;
  std::vector<Override> overrides;
  for (const auto& [path, value] : sets) {
    paths.push_back(path);
    texts.push_back(value);
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    numbers.push_back(*end == '\0' ? v : std::nan(""));
    overrides.push_back(parse_override(path + "=" + value));
  }
  const ScenarioBinding binding(ScenarioTemplate(kSmall), paths);
  EXPECT_EQ(binding.direct(), direct);
  const Scenario fast = binding.make(numbers, texts);
  const Scenario slow = load_scenario(kSmall, overrides).scenario;
  EXPECT_TRUE(fast == slow) << "differs for " << sets.front().first;
}

TEST(ScenarioBinding, EachDirectPathEqualsTheLoader) {
  const std::vector<std::pair<std::string, std::string>> each = {
      {"model.balance", "0.07"},
      {"model.power_exponent", "0"},
      {"actors.ARM.stubbornness", "0.3"},
      {"actors.ARM.power", "3"},
      {"actors.AZE.noise", "0.1"},
      {"actors.RUS.position.orientation", "0.2"},  // no ideal in the file: it moves too
      {"actors.ARM.position.orientation", "0.3"},  // ideal given: it stays
      {"actors.ARM.ideal.orientation", "-0.1"},
      {"affinity.ARM.AZE", "0.4"},   // AZE->ARM not given: filled in both ways
      {"affinity.RUS.ARM", "-0.2"},  // given both ways
      {"affinity.AZE.RUS", "0.5"},   // neither way given
      {"weights.ARM.RUS", "2"},
      {"interdependence.ARM.RUS", "0.1"},
      {"institutions.CSTO.members.ARM", "0.5"},
      {"institutions.CSTO.cohesion", "0.7"},
      {"issues.corridor.regime", "\"extraterritorial\""},
      {"issues.corridor.regime", "armenian_control"},
      {"issues.corridor.salience.AZE", "0.3"},
      {"issues.corridor.utility.AZE.closed", "-0.5"},
      {"events.csto_exit.step", "4"},
  };
  for (const auto& one : each) expect_same({one}, true);
  // Together, including both directions of one pair (neither then fills the other).
  expect_same(each, true);
  expect_same({{"affinity.ARM.AZE", "0.4"}, {"affinity.AZE.ARM", "-0.1"}}, true);
  expect_same({{"actors.RUS.position.orientation", "0.2"}, {"actors.RUS.ideal.orientation", "0.6"}},
              true);
}

TEST(ScenarioBinding, OtherPathsGoThroughTheTree) {
  expect_same({{"scenario.steps", "20"}, {"model.balance", "0.07"}}, false);
  expect_same({{"output.blocs", "false"}}, false);
}

TEST(ScenarioBinding, BadValuesGiveTheLoadersMessage) {
  const ScenarioBinding binding(ScenarioTemplate(kSmall), {"actors.ARM.stubbornness"});
  const double v = 1.5;
  const std::string text = "1.5";
  std::string fast, slow;
  try {
    binding.make({&v, 1}, {&text, 1});
  } catch (const InputError& e) {
    fast = e.what();
  }
  try {
    load_scenario(kSmall, std::vector<Override>{parse_override("actors.ARM.stubbornness=1.5")});
  } catch (const InputError& e) {
    slow = e.what();
  }
  EXPECT_EQ(fast, "--set:1:25: error: actors.ARM.stubbornness must be in [0, 1] (got 1.5)");
  EXPECT_EQ(fast, slow);
}

TEST(Sweep, PointScenarioAndSeedsAreTheDocumentedOnes) {
  const Sweep sw = load_sweep("tests/data/sweeps/small.toml");
  ASSERT_EQ(sw.design.points(), 20);
  const ScenarioBinding binding(
      sw.scenario, {"model.balance", "actors.ARM.stubbornness", "issues.corridor.regime"});
  EXPECT_TRUE(binding.direct());
  for (int p : {0, 7, 19}) {
    const Model m = point_model(sw, binding, p);
    const auto& row = sw.design.values[static_cast<std::size_t>(p)];
    std::vector<Override> o;
    for (std::size_t k = 0; k < row.size(); ++k)
      o.push_back(parse_override(sw.design.parameters[k].path + "=" +
                                 parameter_text(sw.design.parameters[k], row[k])));
    o.push_back(parse_override("scenario.seed=" +
                               std::to_string(point_seed(11, static_cast<std::uint64_t>(p)))));
    o.push_back(parse_override("scenario.runs=3"));
    EXPECT_TRUE(*m.scenario == load_scenario(kSmall, o).scenario) << "point " << p;
  }
  // splitmix64(splitmix64(11) ^ splitmix64(p + 1)) >> 1
  EXPECT_EQ(point_seed(11, 4), splitmix64(splitmix64(11) ^ splitmix64(5)) >> 1);
  EXPECT_LT(point_seed(11, 4), std::uint64_t{1} << 63);
}

TEST(Sweep, ReducersFollowTheirDefinitions) {
  const Sweep sw = load_sweep("tests/data/sweeps/small.toml");
  const ScenarioBinding binding(
      sw.scenario, {"model.balance", "actors.ARM.stubbornness", "issues.corridor.regime"});
  const Model m = point_model(sw, binding, 3);
  std::vector<double> out;
  run_outputs(sw, m, 1, out);
  // Replay the run by hand.
  Simulation sim(m, 1);
  const Observable arm_rus = parse_observable("affinity(ARM,RUS)", *m.scenario);
  const Observable arm = parse_observable("position(ARM,orientation)", *m.scenario);
  const Observable rus_arm = parse_observable("affinity(RUS,ARM)", *m.scenario);
  const Observable bloc = parse_observable("bloc(ARM)", *m.scenario);
  double sum = 0, at6 = 0, first = 13, ever_b = 0;
  for (int t = 0; t <= 12; ++t) {
    if (t > 0) sim.advance();
    const double x = observe(m, sim.state(), arm);
    sum += x;
    if (t == 6) at6 = x;
    if (first == 13 && observe(m, sim.state(), rus_arm) < 0.2) first = t;
    if (t == 12) {  // blocs at the last step only: the sweep computes them there alone
      sim.compute_blocs();
      ever_b = observe(m, sim.state(), bloc) == 1 ? 1 : 0;
    }
  }
  // Only the last step reads blocs (a probability), so they are not computed
  // every step; the value is the same (blocs do not feed back).
  EXPECT_FALSE(m.needs_blocs);
  EXPECT_EQ(out[0], observe(m, sim.state(), arm_rus));
  EXPECT_DOUBLE_EQ(out[1], sum / 13);
  EXPECT_EQ(out[2], at6);
  EXPECT_EQ(out[3], first);
  EXPECT_EQ(out[4], ever_b);
}

TEST(Sweep, ResultsAreByteIdenticalForOneAndFourThreads) {
  const auto dir = fresh_dir("sweep-threads");
  const auto one =
      cli("sweep tests/data/sweeps/small.toml -q --threads 1 -o '" + (dir / "t1").string() + "'");
  ASSERT_EQ(one.status, 0) << one.err;
  const auto four =
      cli("sweep tests/data/sweeps/small.toml -q --threads 4 -o '" + (dir / "t4").string() + "'");
  ASSERT_EQ(four.status, 0) << four.err;
  const std::string results = slurp(dir / "t1" / "results.csv");
  EXPECT_EQ(results, slurp(dir / "t4" / "results.csv"));
  EXPECT_EQ(slurp(dir / "t1" / "design.csv"), slurp(dir / "t4" / "design.csv"));
  // 20 points × 3 replicates and a header; seeds as documented.
  EXPECT_EQ(std::count(results.begin(), results.end(), '\n'), 61);
  EXPECT_EQ(results.substr(0, results.find('\n')),
            "point,replicate,seed,model.balance,actors.ARM.stubbornness,issues.corridor.regime,arm_"
            "rus,arm_mean,"
            "arm_at_6,rupture,bloc_a");
  const std::string second = results.substr(results.find('\n') + 1);
  EXPECT_EQ(second.substr(0, second.find(',', 4)),
            "0,0," + std::to_string(run_seed(point_seed(11, 0), 0)));
  EXPECT_FALSE(std::filesystem::exists(dir / "t1" / "progress.json"));
  EXPECT_TRUE(std::filesystem::exists(dir / "t1" / "manifest.json"));
  std::filesystem::remove_all(dir);
}

TEST(Sweep, ExampleSweepsLoadWithTheirDocumentedSizes) {
  const Sweep lenses = load_sweep("scenarios/sweeps/csto_lenses.toml");
  EXPECT_EQ(lenses.design.points(), 24 * 9);
  EXPECT_EQ(lenses.runs, 20);
  const Sweep corridor = load_sweep("scenarios/sweeps/corridor_utilities.toml");
  EXPECT_EQ(corridor.design.points(), 512 * 9);
  EXPECT_TRUE(corridor.design.saltelli);
  EXPECT_TRUE(corridor.design.parameters[0].categorical);
}

TEST(ScenarioBinding, OutOfRangeValuesFailLikeTheLoader) {
  // Each direct path just outside its range: the binding and the loader agree.
  for (const auto& [path, value] :
       std::vector<std::pair<std::string, std::string>>{{"model.balance", "1.5"},
                                                        {"actors.ARM.power", "0"},
                                                        {"weights.ARM.RUS", "12345678.9"},
                                                        {"affinity.ARM.AZE", "-1.5"},
                                                        {"institutions.CSTO.cohesion", "-1"},
                                                        {"events.csto_exit.step", "0"},
                                                        {"issues.corridor.regime", "open"},
                                                        {"interdependence.ARM.RUS", "2"}}) {
    const ScenarioBinding binding(ScenarioTemplate(kSmall), {path});
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    const double number = *end == '\0' ? v : std::nan("");
    std::string fast = "no error", slow = "no error";
    try {
      binding.make({&number, 1}, {&value, 1});
    } catch (const InputError& e) {
      fast = e.message();
    }
    try {
      load_scenario(kSmall, std::vector<Override>{parse_override(path + "=" + value)});
    } catch (const InputError& e) {
      slow = e.message();
    }
    EXPECT_EQ(fast, slow) << path;
    EXPECT_NE(fast, "no error") << path;
  }
}

std::string load_error(const std::string& file) {
  try {
    load_sweep("tests/data/sweeps/" + file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Sweep, BadFilesGetLocatedMessages) {
  EXPECT_EQ(load_error("unknown_path.toml"),
            "tests/data/sweeps/unknown_path.toml:9:20: error: parameter 'actors.ARM.stubornness': "
            "unknown key "
            "'stubornness' in actors.ARM (did you mean 'stubbornness'?)");
  EXPECT_EQ(load_error("empty_range.toml"),
            "tests/data/sweeps/empty_range.toml:10:9: error: parameter 'model.balance': range is "
            "empty: lo must "
            "be below hi (got [0.2, 0.2])");
  EXPECT_EQ(load_error("too_few_points.toml"),
            "tests/data/sweeps/too_few_points.toml:4:1: error: design 'morris' with 3 parameters "
            "needs points in "
            "multiples of 4 and at least 8 (2 trajectories); got 5");
  EXPECT_EQ(load_error("out_of_range.toml"),
            "tests/data/sweeps/out_of_range.toml:9:10: error: parameter 'actors.ARM.stubbornness': "
            "actors.ARM.stubbornness must be in [0, 1] (got 1.5)");
  EXPECT_EQ(
      load_error("bad_output.toml"),
      "tests/data/sweeps/bad_output.toml:13:28: error: unknown actor 'RSU' (did you mean 'RUS'?)");
  // Through the command line: exit 2, nothing written.
  const auto dir = fresh_dir("sweep-bad");
  const auto r =
      cli("sweep tests/data/sweeps/empty_range.toml -o '" + (dir / "out").string() + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("range is empty"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
  std::filesystem::remove_all(dir);
}

}  // namespace
